"""The status picture (nulägesbild) of one area, and the overview of all focus areas.

These view models hold every number and sentence a page, slide or document shows, so the
dashboard, PowerPoint and Word always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.core.formatting import format_value
from analysis.core.groups import SEX, SIDE_BY_SIDE, dimensions_present, groups_of
from analysis.core.missing import is_missing
from analysis.core.model import MUNICIPALITY, TEXT_HEADINGS, THEMES, TOTAL, Dataset, areas_of_type, is_example
from analysis.measures.category_status import AreaCategory, area_categories, categorical_indicators, city_count_sentence
from analysis.measures.compare import GapCount, comparison_table, gap_counts, series, series_index
from analysis.measures.narrative import area_summary_sentence, group_sentence, indicator_sentence, sex_sentence
from analysis.measures.presentation import (
    change_text,
    gap_cell_text,
    gap_phrase,
    gap_tone,
    gap_verdict_label,
    tone,
    value_text,
    value_verdict_label,
)
from analysis.measures.summary import example_share

POPULATION_THEME = "befolkning"
THEME_TITLES = {t: t.capitalize() for t in THEMES}
ALL_THEMES = "Alla teman"
DEFAULT_KEY_FIGURES = 13
# The mark after a number that is (or rests on) a fictitious example value, in tables and chart tables.
EXAMPLE_MARK = " *"


@dataclass(frozen=True)
class IndicatorCard:
    """One indicator for one area: what its card shows."""

    indicator: str
    name: str
    theme: str
    unit: str
    decimals: int
    direction: str
    year: int | None
    value: str
    reference_value: str
    municipality_value: str
    gap: str
    gap_cell: str
    gap_tone: str
    change: str
    baseline_year: int | None
    value_verdict: str
    value_tone: str
    gap_verdict: str
    verdict_tone: str
    sentence: str
    sex_sentence: str
    definition: str
    source: str
    comparability: str
    is_example: bool
    history: pd.Series = field(repr=False)
    reference_history: pd.Series = field(repr=False)
    history_table: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    # Which figures rest on example values. is_example: anything the whole card shows (Nulägesbild, Word, HTML);
    # headline_example: value, reference value, gap, change, verdicts and sentence (the overview, the slides);
    # value_example: the area's own latest value; municipality_example: the municipality's value.
    headline_example: bool = False
    value_example: bool = False
    municipality_example: bool = False
    # The indicator within groups other than sex (inrikes and utrikes födda …): one sentence per group against the
    # same group in the reference, and per dimension the explorer's choice that shows its groups side by side.
    groups: tuple[GroupComparison, ...] = ()


@dataclass(frozen=True)
class GroupComparison:
    """One group of one dimension on a card: its sentence against the same group in the reference."""

    dimension: str
    group: str
    sentence: str
    is_example: bool
    explore_choice: str  # the explorer's Grupp choice showing this dimension's groups side by side


def group_comparisons(
    dataset: Dataset, indicator: str, area: str, reference: str, baseline: int
) -> tuple[GroupComparison, ...]:
    """The indicator per group of each dimension (not sex) the area has values for, each against the same group in
    the reference: the comparison segregation analysis cares about (utrikes födda here and there)."""
    index = series_index(dataset.observations)
    labels = [str(g) for g in index.groups(area, indicator) if len(index.get(area, indicator, g))]
    out = []
    for dimension in dimensions_present(labels):
        if dimension == SEX:
            continue
        for group in groups_of(dimension, labels):
            if not len(index.get(area, indicator, group)):
                continue
            table = comparison_table(dataset, area, reference, baseline, group, indicators=[indicator])
            row = {k: (None if is_missing(v) else v) for k, v in table.iloc[0].to_dict().items()}
            choice = SIDE_BY_SIDE.get(dimension, group)
            sentence = group_sentence(row, group, area, reference)
            out.append(GroupComparison(dimension, group, sentence, bool(row["is_example"]), choice))
    return tuple(out)


@dataclass(frozen=True)
class AreaText:
    """A text section of a status picture."""

    heading: str
    text: str
    is_example: bool


@dataclass(frozen=True)
class StatusPicture:
    """Everything the nulägesbild of one area shows."""

    area: str
    reference: str
    municipality: str | None
    baseline: int
    summary: str
    counts: GapCount
    texts: dict[str, list[AreaText]]
    population: list[IndicatorCard]
    themes: list[tuple[str, list[IndicatorCard]]]
    key_figures: pd.DataFrame
    comparisons: pd.DataFrame
    example_share: float
    categories: tuple[AreaCategory, ...] = ()  # the area's områdestyp and other categorical indicators


def _none(x: object) -> object:
    """NaN as None (comparison rows come from a DataFrame)."""
    return None if is_missing(x) else x


def _since(label: str, base_year: object, baseline: int) -> str:
    """A verdict label with '(sedan 2018)' when the indicator is compared from another year than the page's."""
    if not label or base_year is None or int(base_year) == baseline:
        return label
    return f"{label} (sedan {int(base_year)})"


def indicator_card(
    row: dict, dataset: Dataset, area: str, reference: str, baseline: int, sex: str = TOTAL
) -> IndicatorCard:
    """The card of one comparison row."""
    row = {k: _none(v) for k, v in row.items()}
    obs = dataset.observations
    history = series(obs, area, row["indicator"], sex)
    reference_history = series(obs, reference, row["indicator"], sex)
    index = series_index(obs)
    headline, municipality_example = bool(row["is_example"]), bool(row.get("municipality_example"))
    examples = (index.example_years(area, row["indicator"], sex), index.example_years(reference, row["indicator"], sex))
    groups = group_comparisons(dataset, row["indicator"], area, reference, baseline) if sex == TOTAL else ()
    return IndicatorCard(
        indicator=row["indicator"],
        name=row["name"],
        theme=row["theme"],
        unit=row["unit"],
        decimals=int(row["decimals"]),
        direction=row["direction"],
        # A year column with gaps comes out of the DataFrame as floats (2024.0): the card holds a whole year.
        year=None if row["year"] is None else int(row["year"]),
        value=value_text(row),
        reference_value=value_text(row, "reference_value"),
        municipality_value=value_text(row, "municipality_value") if "municipality_value" in row else "–",
        gap=gap_phrase(row, reference),
        gap_cell=gap_cell_text(row),
        gap_tone=gap_tone(row),
        change=change_text(row),
        baseline_year=row["baseline_year"],
        value_verdict=_since(value_verdict_label(row), row["baseline_year"], baseline),
        value_tone=tone(row.get("value_verdict"), "value"),
        gap_verdict=_since(gap_verdict_label(row.get("gap_verdict")), row["baseline_year"], baseline),
        verdict_tone=tone(row.get("gap_verdict"), "gap"),
        sentence=indicator_sentence(row, area, reference, baseline),
        sex_sentence=sex_sentence(row),
        definition=str(row.get("definition") or ""),
        source=str(row.get("source") or ""),
        comparability=str(_indicator_field(dataset, row["indicator"], "comparability")),
        is_example=headline
        or municipality_example
        or bool(row.get("sex_example"))
        or any(g.is_example for g in groups),
        history=history,
        reference_history=reference_history,
        history_table=history_table(
            history, reference_history, area, reference, row["unit"], int(row["decimals"]), examples
        ),
        headline_example=headline,
        value_example=row["year"] is not None and row["year"] in examples[0],
        municipality_example=municipality_example,
        groups=groups,
    )


def sparkline_description(card: IndicatorCard, area: str) -> str:
    """What a card's sparkline shows, in words: its years, first and latest value, lowest and highest (alt text)."""
    known = card.history[[not is_missing(v) for v in card.history]].astype(float)
    if known.empty:
        return f"{area}, {card.name}: inga värden."

    def at(year: object) -> str:
        """A value and its year: '27,0 % (2024)'."""
        return f"{format_value(known[year], card.unit, card.decimals)} ({int(year):d})"

    first, last = known.index[0], known.index[-1]
    text = f"{area}, {card.name}, utveckling {int(first):d}–{int(last):d}: från {at(first)} till {at(last)}"
    if len(known) > 2:
        text += f", lägst {at(known.idxmin())}, högst {at(known.idxmax())}"
    return text + (". Innehåller exempelvärden (fiktiva)." if card.is_example else ".")


def history_table(
    history: pd.Series,
    reference_history: pd.Series,
    area: str,
    reference: str,
    unit: str,
    decimals: int,
    examples: tuple[set[int], set[int]] = (set(), set()),
) -> pd.DataFrame:
    """The values behind a card's sparkline: År, the area and the reference in Swedish, example values marked."""
    years = sorted(set(history.index) | set(reference_history.index))

    def cell(values: pd.Series, year: int, example_years: set[int]) -> str:
        """One formatted value, with the example mark when it is an example value."""
        return format_value(values.get(year), unit, decimals) + (EXAMPLE_MARK if year in example_years else "")

    return pd.DataFrame(
        {
            "År": [str(y) for y in years],
            area: [cell(history, y, examples[0]) for y in years],
            reference: [cell(reference_history, y, examples[1]) for y in years],
        }
    )


def _indicator_field(dataset: Dataset, indicator: str, field_name: str) -> str:
    """One catalogue field of an indicator ('' when unknown)."""
    cat = dataset.indicators
    hit = cat.loc[cat["id"] == indicator, field_name]
    return str(hit.iloc[0]) if len(hit) else ""


def theme_title(theme: str) -> str:
    """The Swedish heading of a theme ('arbete' -> 'Arbete'; 'Alla teman' stays as it is)."""
    return THEME_TITLES.get(theme, theme.capitalize())


def municipality_of(dataset: Dataset) -> str | None:
    """The area of type Kommun, if any."""
    names = areas_of_type(dataset.areas, MUNICIPALITY)
    return names[0] if names else None


def area_texts(dataset: Dataset, area: str) -> dict[str, list[AreaText]]:
    """The area's texts by heading: the standard headings first, others after in file order."""
    texts = dataset.area_texts[dataset.area_texts["area"] == area]
    out: dict[str, list[AreaText]] = {h: [] for h in TEXT_HEADINGS}
    for r in texts.itertuples(index=False):
        out.setdefault(r.heading, []).append(AreaText(r.heading, r.text, is_example(r.source)))
    return out


def key_figure_ids(dataset: Dataset, limit: int = DEFAULT_KEY_FIGURES) -> list[str]:
    """The key indicators (Nyckeltal = Ja in the catalogue), else the first ones of each theme, at most `limit`."""
    cat = dataset.indicators
    marked = cat.loc[cat["key_figure"], "id"].tolist()
    if marked:
        return marked[:limit]
    return cat.drop_duplicates("theme")["id"].tolist()[:limit]


def key_figures_table(cards: list[IndicatorCard], area: str, reference: str, municipality: str | None) -> pd.DataFrame:
    """The Nyckeltal table: one row per key indicator with all comparisons, formatted in Swedish."""
    rows = []
    for c in cards:
        row = {
            "Indikator": c.name,
            "År": c.year if c.year is not None else "–",
            area: c.value,
            reference: c.reference_value,
        }
        if municipality and municipality not in (area, reference):
            row[municipality] = c.municipality_value
        shown_example = c.headline_example or (municipality in row and c.municipality_example)
        row.update(
            {
                "Skillnad": c.gap_cell,
                "Basår": c.baseline_year if c.baseline_year is not None else "–",
                "Förändring sedan basår": c.change,
                "Utveckling": c.value_verdict or "–",
                "Skillnaden": c.gap_verdict or "–",
                "Exempel": "Ja" if shown_example else "",
            }
        )
        rows.append(row)
    return pd.DataFrame(rows)


def status_picture(
    dataset: Dataset,
    area: str,
    reference: str,
    baseline: int,
    *,
    sex: str = TOTAL,
    key_limit: int = DEFAULT_KEY_FIGURES,
) -> StatusPicture:
    """The nulägesbild of an area against a reference: texts, population, one section per theme, key figures."""
    municipality = municipality_of(dataset)
    table = comparison_table(dataset, area, reference, baseline, sex, municipality=municipality)
    cards = [indicator_card(r, dataset, area, reference, baseline, sex) for r in table.to_dict("records")]
    by_theme: dict[str, list[IndicatorCard]] = {}
    for c in cards:
        by_theme.setdefault(c.theme, []).append(c)
    themes = [(t, by_theme[t]) for t in THEMES if t in by_theme and t != POPULATION_THEME]
    key_ids = key_figure_ids(dataset, key_limit)
    key_cards = [c for c in cards if c.indicator in key_ids]
    counts = gap_counts(table)
    used = dataset.observations[dataset.observations["area"].isin([area, reference, municipality])]
    return StatusPicture(
        area=area,
        reference=reference,
        municipality=municipality,
        baseline=baseline,
        summary=area_summary_sentence(area, reference, counts, baseline),
        counts=counts,
        texts=area_texts(dataset, area),
        population=by_theme.get(POPULATION_THEME, []),
        themes=themes,
        key_figures=key_figures_table(key_cards, area, reference, municipality),
        comparisons=table,
        example_share=example_share(used),
        categories=tuple(area_categories(dataset, area)),
    )


# --- Overview of all focus areas ------------------------------------------------------------


@dataclass(frozen=True)
class AreaCard:
    """The overview card of one focus area."""

    area: str
    population: str
    population_year: int | None
    counts: GapCount
    counts_text: str
    key: list[IndicatorCard]
    population_example: bool = False
    categories: tuple[AreaCategory, ...] = ()  # områdestyp and other categorical indicators


@dataclass(frozen=True)
class Overview:
    """The start page: a card per focus area and the areas × indicators matrix."""

    cards: list[AreaCard]
    matrix: pd.DataFrame
    tones: pd.DataFrame
    table: pd.DataFrame
    # Per categorical indicator: how many of the city's areas are of type 1–2 and how many live there.
    category_counts: tuple[str, ...] = ()


def overview(dataset: Dataset, areas: list[str], reference: str, baseline: int, n_key: int = 4) -> Overview:
    """The overview of several areas against one reference, from one comparison pass."""
    municipality = municipality_of(dataset)
    tables = {a: comparison_table(dataset, a, reference, baseline, municipality=municipality) for a in areas}
    key_ids = key_figure_ids(dataset)
    cards = []
    for area, table in tables.items():
        counts = gap_counts(table)
        pop = series(dataset.observations, area, "folkmangd")
        key_rows = [r for r in table.to_dict("records") if r["indicator"] in key_ids and _none(r["value"]) is not None]
        cards.append(
            AreaCard(
                area=area,
                population=format_value(pop.iloc[-1], "antal", 0) if len(pop) else "–",
                population_year=int(pop.index[-1]) if len(pop) else None,
                counts=counts,
                counts_text=f"{counts.closing} av {counts.total} indikatorer har minskat gapet sedan {baseline}",
                key=[indicator_card(r, dataset, area, reference, baseline) for r in key_rows[:n_key]],
                population_example=bool(len(pop))
                and series_index(dataset.observations).any_example(area, "folkmangd", [int(pop.index[-1])]),
                categories=tuple(area_categories(dataset, area)),
            )
        )
    frames = [t for t in tables.values() if len(t)]
    table = pd.concat(frames, ignore_index=True) if frames else comparison_table(dataset, "", reference, baseline)
    matrix, tones = gap_matrix(dataset, table, areas)
    counts = tuple(
        text
        for meta in categorical_indicators(dataset).to_dict("records")
        if (text := city_count_sentence(dataset, meta))
    )
    return Overview(cards, matrix, tones, table, counts)


def gap_matrix(dataset: Dataset, table: pd.DataFrame, areas: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The areas × indicators matrix of stacked comparison rows: cell texts and tones, grouped by theme.

    Both frames have the index (Tema, Indikator) and one column per area.
    """
    if table.empty:
        empty = pd.DataFrame(columns=areas)
        return empty, empty
    table = table.copy()
    records = table.to_dict("records")
    # A cell is the gap in the latest year: marked when it rests on an example value.
    table["cell"] = [
        gap_cell_text(r) + (EXAMPLE_MARK if r.get("latest_example") and _none(r.get("gap")) is not None else "")
        for r in records
    ]
    table["tone"] = [gap_tone(r) for r in records]
    theme_order = {t: i for i, t in enumerate(THEMES)}
    cat_order = {i: n for n, i in enumerate(dataset.indicators["id"])}
    table["_t"] = table["theme"].map(theme_order)
    table["_i"] = table["indicator"].map(cat_order)
    table = table.sort_values(["_t", "_i"], kind="stable")
    table["Tema"] = table["theme"].map(THEME_TITLES)
    index = ["Tema", "name"]
    texts = table.pivot_table(index=index, columns="area", values="cell", aggfunc="first", sort=False)
    tones = table.pivot_table(index=index, columns="area", values="tone", aggfunc="first", sort=False)
    texts = texts.reindex(columns=[a for a in areas if a in texts.columns]).fillna("–")
    tones = tones.reindex(columns=texts.columns).fillna("neutral")
    texts.index = texts.index.set_names(["Tema", "Indikator"])
    tones.index = texts.index
    return texts, tones
