"""The presentation deck and the status-picture attachment as pure models.

A deck is a list of slides (title, area overview, theme, follow-up summary); the attachment is the
nulägesbild in the order a board-paper attachment is written. Every number and sentence comes from
the status pictures (analysis.viewmodels.nulage), so the presentation page, PowerPoint, Word and HTML say
exactly what the Nulägesbild page says. Charts are plain data (categories, series, unit, decimals)
that each output draws in its own way: plotly on the page and in Word, native charts in PowerPoint,
inline SVG in HTML. When areas have boundaries, the deck gets a map slide and the attachment a Karta section: the map
view model (analysis.viewmodels.map_view) with its texts, drawn as an image by each output.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from babel.dates import format_date

from analysis.core.categories import CATEGORY
from analysis.core.formatting import LOCALE, format_value
from analysis.core.model import EXAMPLE_SOURCE, SEXES, TEXT_HEADINGS, THEMES, TOTAL, Dataset, is_example, split_list
from analysis.core.palette import DARK_SKY_BLUE, area_styles, style_for
from analysis.core.safety import safe_filename
from analysis.core.units import axis_title
from analysis.measures.category_status import grouping_indicator
from analysis.measures.compare import COUNT, GapCount, gap_counts, series, series_index
from analysis.measures.followup_sentences import counted, status_phrase, swedish_list
from analysis.measures.narrative import area_summary_sentence, in_text
from analysis.measures.presentation import FAVOURABLE, NEUTRAL_TONE, TONE_COLOURS, UNFAVOURABLE
from analysis.viewmodels.followup import STATUS_COLOURS, STATUS_ORDER, action_register
from analysis.viewmodels.map_view import (
    MapData,
    MapSelection,
    default_selection,
    map_data,
    map_groups,
    map_indicator_options,
    map_table,
    map_years,
)
from analysis.viewmodels.nulage import (
    EXAMPLE_MARK,
    POPULATION_THEME,
    IndicatorCard,
    StatusPicture,
    status_picture,
    theme_title,
)

TITLE_SLIDE, AREA_SLIDE, THEME_SLIDE, FOLLOWUP_SLIDE = "title", "area", "theme", "followup"
# The map of one indicator over the areas with a boundary, as an image filling the slide's body.
MAP_SLIDE = "map"
# A slide of sentences above a full-width table (Bilaga 5's action, outcome and change tables).
TABLE_SLIDE = "table"
LINE, BAR, STACKED = "line", "bar", "stacked"

PLAN_TITLE = "Åtgärdsplan mot segregation"
EXAMPLE_NOTE = "* Exempelvärde (fiktivt): påhittat värde som ska ersättas med riktiga uppgifter."
EXAMPLE_POINTS_NOTE = "Ofyllda punkter i diagrammet är exempelvärden (fiktiva)."
EXAMPLE_ACTIONS_NOTE = "Åtgärderna är exempel (fiktiva) och ska ersättas med planens riktiga åtgärder."
STATUS_NOTE = (
    "Status som på sidan Uppföljning: en åtgärd vars slutdatum har passerat och som inte är genomförd, "
    "avbruten eller vilande räknas som försenad."
)
# The buckets of GapCount (analysis/measures/compare.py): real improvements, unchanged, every unfavourable development, and a
# lead that grew (an area already ahead). Okabe–Ito sky blue for the last, so it reads as favourable but apart.
VERDICT_LABELS = ("Minskad skillnad", "Oförändrat", "Ogynnsam utveckling", "Ökat försprång")
VERDICT_COLOURS = (TONE_COLOURS[FAVOURABLE], TONE_COLOURS[NEUTRAL_TONE], TONE_COLOURS[UNFAVOURABLE], DARK_SKY_BLUE)
ALL_THEMES_ROW = "Alla valda teman"
MAP_HEADING = "Karta"
MAP_EXAMPLE_NOTE = "Streckade ytor och namn märkta * är exempelvärden (fiktiva) som ska ersättas med riktiga uppgifter."


@dataclass(frozen=True)
class ChartSeries:
    """One series of a chart: its name, values per category (None = missing), style and example flags."""

    name: str
    values: tuple[float | None, ...]
    colour: str
    dash: str = "solid"
    symbol: str = "circle"
    examples: tuple[bool, ...] = ()


@dataclass(frozen=True)
class ChartData:
    """A chart as data: line over years, or (stacked) bars over categories, with unit and decimals."""

    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    unit: str
    decimals: int
    axis_title: str
    marker: str | None = None
    marker_label: str = ""

    @property
    def has_examples(self) -> bool:
        """True when any point of the chart is an example value."""
        return any(any(s.examples) for s in self.series)


@dataclass(frozen=True)
class SlideTable:
    """A small table: header cells and rows of text cells (already formatted in Swedish)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Per column: True for a right-aligned number column; None = every column but the first.
    numeric: tuple[bool, ...] | None = None

    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame of text (for st.dataframe)."""
        return pd.DataFrame(list(self.rows), columns=list(self.columns))


@dataclass(frozen=True)
class MapImage:
    """A map for a slide or a document: its data, the area singled out, its text alternative and its notes."""

    # The map's frame is a DataFrame, which cannot be compared as a whole; the texts below say what the map shows.
    data: MapData = field(compare=False, repr=False)
    highlight: str | None
    alt: str
    notes: tuple[str, ...]  # the sources, how to read the colours, and the example note when needed


@dataclass(frozen=True)
class Slide:
    """One slide: kind, texts, an optional table and chart, and the footer notes (sources, examples)."""

    kind: str
    title: str
    subtitle: str = ""
    bullets: tuple[str, ...] = ()
    table: SlideTable | None = None
    chart: ChartData | None = None
    notes: tuple[str, ...] = ()
    area: str | None = None
    theme: str | None = None
    is_example: bool = False
    map: MapImage | None = None  # a map slide's map (its table holds the map's values)


def swedish_date(day: date) -> str:
    """'26 november 2026'."""
    return format_date(day, "d MMMM y", locale=LOCALE)


def theme_cards(picture: StatusPicture, theme: str) -> list[IndicatorCard]:
    """The status picture's cards of one theme (the population cards for 'befolkning')."""
    if theme == POPULATION_THEME:
        return list(picture.population)
    return next((cards for t, cards in picture.themes if t == theme), [])


def marked(name: str, example: bool) -> str:
    """A table label with the example mark when the value is fictitious."""
    return f"{name}{EXAMPLE_MARK}" if example else name


def source_note(cards: Sequence[IndicatorCard]) -> str:
    """'Källa: SCB; Skolverket.' for the indicators shown ('' when none)."""
    sources = list(dict.fromkeys(c.source for c in cards if c.source))
    return f"Källa: {'; '.join(sources)}." if sources else ""


def card_notes(
    cards: Sequence[IndicatorCard], chart: ChartData | None = None, marked_example: bool = False
) -> tuple[str, ...]:
    """Footer notes for slides showing cards as table rows: the sources and, when needed, the example notes."""
    notes = [source_note(cards)]
    if marked_example or any(c.headline_example for c in cards):
        notes.append(EXAMPLE_NOTE)
    if chart is not None and chart.has_examples:
        notes.append(EXAMPLE_POINTS_NOTE)
    return tuple(n for n in notes if n)


# --- charts ----------------------------------------------------------------------------------------------------


def example_years(dataset: Dataset, area: str, indicator: str, sex: str = TOTAL) -> set[int]:
    """The years whose value of an area's indicator is a fictitious example."""
    return series_index(dataset.observations).example_years(area, indicator, sex)


def lead_card(cards: Sequence[IndicatorCard], key_names: set[str]) -> IndicatorCard | None:
    """The card a theme's chart shows: the first key figure with a history, else the first with one."""
    with_history = [c for c in cards if len(c.history) > 1]
    for card in with_history:
        if card.name in key_names:
            return card
    return with_history[0] if with_history else None


def history_chart(dataset: Dataset, picture: StatusPicture, card: IndicatorCard) -> ChartData:
    """The card's values over the years for the area, the reference and the municipality (counts: area only)."""
    styles = area_styles(dataset.areas)
    histories: list[tuple[str, pd.Series]] = [(picture.area, card.history)]
    if card.unit != COUNT:
        histories.append((picture.reference, card.reference_history))
        if picture.municipality and picture.municipality not in (picture.area, picture.reference):
            histories.append((picture.municipality, series(dataset.observations, picture.municipality, card.indicator)))
    years = sorted({int(y) for _, h in histories for y in h.index})
    out = []
    for area, history in histories:
        values = {int(y): float(v) for y, v in history.items()}
        examples = example_years(dataset, area, card.indicator)
        style = style_for(styles, area)
        out.append(
            ChartSeries(
                area,
                tuple(values.get(y) for y in years),
                style.colour,
                style.dash,
                style.symbol,
                tuple(y in examples and y in values for y in years),
            )
        )
    baseline = str(picture.baseline) if picture.baseline in years else None
    return ChartData(
        LINE,
        card.name,
        tuple(str(y) for y in years),
        tuple(out),
        card.unit,
        card.decimals,
        axis_title(card.unit),
        marker=baseline,
        marker_label=f"Basår {picture.baseline}" if baseline else "",
    )


def theme_chart(dataset: Dataset, picture: StatusPicture, theme: str) -> ChartData | None:
    """The chart of a theme: its lead indicator over time (None when no indicator has a history)."""
    key_names = set(picture.key_figures["Indikator"]) if len(picture.key_figures) else set()
    card = lead_card(theme_cards(picture, theme), key_names)
    return history_chart(dataset, picture, card) if card is not None else None


def nice_step(span: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) that divides a span into about five parts."""
    raw = max(span, 1e-9) / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def alt_value(chart: ChartData, s: ChartSeries, i: int) -> str:
    """One point's value in Swedish with the chart's unit and decimals ('saknas' when missing)."""
    value = s.values[i]
    return "saknas" if value is None else format_value(value, chart.unit, chart.decimals)


def alt_mark(s: ChartSeries, i: int) -> str:
    """' (exempelvärde)' after a fictitious point, else ''."""
    return " (exempelvärde)" if s.examples and s.examples[i] else ""


def latest_text(chart: ChartData, s: ChartSeries) -> str:
    """'Berga 62,5 % år 2024': a line's last value and its year, or that the line has no values."""
    present = [i for i, v in enumerate(s.values) if v is not None]
    if not present:
        return f"{s.name} saknar värden"
    i = present[-1]
    return f"{s.name} {alt_value(chart, s, i)} år {chart.categories[i]}{alt_mark(s, i)}"


def chart_alt_text(chart: ChartData) -> str:
    """The text alternative of a chart (Word, PowerPoint, HTML): kind, title, series, period and the values."""
    # A line gives its latest value (the last year it has one); a bar chart gives every bar, since its categories
    # are areas or themes, not a time line.
    names = swedish_list([s.name for s in chart.series])
    if chart.kind == LINE:
        first, last = (chart.categories[0], chart.categories[-1]) if chart.categories else ("", "")
        span = "" if not first else f", {first}" if first == last else f", {first}–{last}"
        one = len(chart.series) == 1
        latest = "; ".join(latest_text(chart, s) for s in chart.series)
        marker = f" {chart.marker_label} är markerat." if chart.marker and chart.marker_label else ""
        return (
            f"Linjediagram: {chart.title}{span}. {'Linjen' if one else 'Linjerna'} visar {names}. "
            f"{'Senaste värde' if one else 'Senaste värden'}: {latest}.{marker}"
        )
    categories = swedish_list(list(chart.categories))
    shows = (
        f"Staplarna visar {categories}, uppdelade i {names}."
        if chart.kind == STACKED
        else f"Staplarna visar {names} för {categories}."
    )
    values = "; ".join(
        f"{category}: " + ", ".join(f"{s.name} {alt_value(chart, s, i)}{alt_mark(s, i)}" for s in chart.series)
        for i, category in enumerate(chart.categories)
    )
    return f"Stapeldiagram: {chart.title}. {shows} Värden: {values}."


def value_range(chart: ChartData) -> tuple[float, float] | None:
    """A value axis range that shows the lines' differences: round numbers around the values, never below 0."""
    values = [v for s in chart.series for v in s.values if v is not None]
    if not values:
        return None
    lo, hi = min(values), max(values)
    step = nice_step((hi - lo) or abs(hi) or 1.0)
    bottom = math.floor((lo - step / 2) / step) * step
    top = math.ceil((hi + step / 2) / step) * step
    return (max(bottom, 0.0) if lo >= 0 else bottom), top


def counts_chart(title: str, counts: Mapping[str, GapCount]) -> ChartData:
    """Stacked bars per area: indicators whose gap closes, stays, develops unfavourably or whose lead grows."""
    parts = [("closing", 0), ("steady", 1), ("widening", 2)]
    if any(c.lead_growing for c in counts.values()):
        parts.append(("lead_growing", 3))
    out = tuple(
        ChartSeries(VERDICT_LABELS[i], tuple(float(getattr(c, attr)) for c in counts.values()), VERDICT_COLOURS[i])
        for attr, i in parts
    )
    return ChartData(STACKED, title, tuple(counts), out, COUNT, 0, "Antal indikatorer")


# --- slides ----------------------------------------------------------------------------------------------------


def title_slide(
    areas: Sequence[str], reference: str, baseline: int, today: date, version: int | None, example: bool
) -> Slide:
    """The title slide: the plan, the areas and reference, the date and the data version."""
    lines = [f"Förändring sedan basåret {baseline}", swedish_date(today)]
    lines.append(f"Dataversion {version}" if version else "Dataversion –")
    notes = (
        (
            "Presentationen innehåller påhittade exempelvärden (källa Exempelvärde (fiktivt)); de är märkta på "
            "varje bild.",
        )
        if example
        else ()
    )
    return Slide(
        TITLE_SLIDE,
        PLAN_TITLE,
        f"Uppföljning: {swedish_list(areas)} jämfört med {in_text(reference)}",
        tuple(lines),
        notes=notes,
        is_example=example,
    )


def card_rows(picture: StatusPicture, cards: Sequence[IndicatorCard]) -> SlideTable:
    """Cards as a slide table with the same columns as the key figures."""
    columns = ("Indikator", "År", picture.area, picture.reference, "Skillnad", "Skillnaden")
    rows = tuple(
        (
            marked(c.name, c.headline_example),
            str(c.year) if c.year is not None else "–",
            c.value,
            c.reference_value,
            c.gap_cell,
            c.gap_verdict or "–",
        )
        for c in cards
    )
    return SlideTable(columns, rows)


def population_card(picture: StatusPicture) -> IndicatorCard | None:
    """The population card (the first count with a year), None without one."""
    return next((c for c in picture.population if c.unit == COUNT and c.year is not None), None)


def population_line(picture: StatusPicture) -> str:
    """'Folkmängd 2024: 10 070' from the population card, example mark included ('' without one)."""
    card = population_card(picture)
    return marked(f"{card.name} {card.year}: {card.value}", card.value_example) if card else ""


def area_slide(picture: StatusPicture) -> Slide:
    """An area's overview: the summary sentence, population, key figures table and the gap counts."""
    key_names = list(picture.key_figures.get("Indikator", []))
    wanted = set(key_names)
    key_cards = [c for c in picture.population + [c for _, cs in picture.themes for c in cs] if c.name in wanted]
    by_name = {c.name: c for c in key_cards}
    chart = counts_chart(
        f"{picture.area}: skillnaden mot {in_text(picture.reference)} sedan {picture.baseline}",
        {picture.area: picture.counts},
    )
    bullets = tuple(b for b in (picture.summary, population_line(picture)) if b)
    population = population_card(picture)
    population_example = population is not None and population.value_example
    return Slide(
        AREA_SLIDE,
        f"{picture.area}: översikt",
        f"Nyckeltal jämfört med {in_text(picture.reference)}, förändring sedan {picture.baseline}",
        bullets,
        card_rows(picture, [by_name[n] for n in key_names if n in by_name]),
        chart,
        card_notes(key_cards, marked_example=population_example),
        picture.area,
        None,
        population_example or any(c.headline_example for c in key_cards),
    )


def theme_slide(dataset: Dataset, picture: StatusPicture, theme: str) -> Slide | None:
    """One theme of an area: a sentence per indicator, their table and the lead indicator's chart."""
    cards = theme_cards(picture, theme)
    if not cards:
        return None
    chart = theme_chart(dataset, picture, theme)
    return Slide(
        THEME_SLIDE,
        f"{picture.area}: {theme_title(theme).lower()}",
        f"Jämfört med {in_text(picture.reference)}, förändring sedan {picture.baseline}",
        # Each card's sentence, then its groups against the same groups in the reference (utrikes födda here and
        # there): the comparison a segregation analysis cares about.
        tuple(text for c in cards for text in (c.sentence, *(g.sentence for g in c.groups))),
        card_rows(picture, cards),
        chart,
        card_notes(cards, chart),
        picture.area,
        theme,
        any(c.headline_example or any(g.is_example for g in c.groups) for c in cards)
        or (chart is not None and chart.has_examples),
    )


def theme_counts(picture: StatusPicture, themes: Sequence[str]) -> GapCount:
    """Gap verdict counts of an area over some themes (from the status picture's comparisons)."""
    table = picture.comparisons
    return gap_counts(table[table["theme"].isin(list(themes))] if len(table) else table)


def counts_cell(counts: GapCount) -> str:
    """'3 / 1 / 2': closing / unchanged / unfavourable, then '+ 1 ↑' for leads that grew ('–' without verdicts)."""
    if not counts.total:
        return "–"
    text = f"{counts.closing} / {counts.steady} / {counts.widening}"
    return f"{text} + {counts.lead_growing} ↑" if counts.lead_growing else text


def indicator_followup_slide(pictures: Sequence[StatusPicture], themes: Sequence[str], baseline: int) -> Slide:
    """The follow-up of the indicators: per area and theme, how many gaps close, stay or widen since the baseline."""
    reference = pictures[0].reference
    totals = {p.area: theme_counts(p, themes) for p in pictures}
    rows = [(theme_title(t), *(counts_cell(theme_counts(p, [t])) for p in pictures)) for t in themes]
    rows.append((ALL_THEMES_ROW, *(counts_cell(totals[p.area]) for p in pictures)))
    bullets = tuple(area_summary_sentence(p.area, reference, totals[p.area], baseline) for p in pictures)
    chart = counts_chart(f"Skillnaden mot {in_text(reference)} sedan {baseline}", totals)
    notes = (
        "Antal indikatorer per tema: minskad skillnad (närmar sig, kommit ikapp, gått om) / oförändrat / "
        "ogynnsam utveckling (avlägsnar sig, hamnat efter, försprånget minskar eller tappat), och + n ↑ där ett "
        "område som redan ligger bättre till har ökat sitt försprång. Beskrivande indikatorer och indikatorer "
        "utan uppgifter för basåret räknas inte.",
    )
    example = any(bool(p.comparisons["is_example"].any()) for p in pictures if len(p.comparisons))
    if example:
        notes += ("Underlaget innehåller exempelvärden (fiktiva).",)
    return Slide(
        FOLLOWUP_SLIDE,
        "Uppföljning: indikatorerna",
        f"Har skillnaden mot {in_text(reference)} minskat sedan {baseline}?",
        bullets,
        SlideTable(("Tema", *(p.area for p in pictures)), tuple(rows)),
        chart,
        notes,
        None,
        None,
        example,
    )


def area_actions(actions: pd.DataFrame, area: str) -> pd.DataFrame:
    """The actions that name an area in their Områden cell."""
    if actions.empty:
        return actions
    return actions[actions["areas"].map(lambda cell: area in split_list(cell))]


def action_followup_slide(dataset: Dataset, areas: Sequence[str], today: date) -> Slide:
    """The follow-up of the actions: per area how many actions have each status."""
    actions = action_register(dataset, today)  # the status the follow-up shows (Försenad once the end has passed)
    derived = bool(actions["derived"].any())
    per_area = {a: area_actions(actions, a)["status"].value_counts() for a in areas}
    shown = [s for s in STATUS_ORDER if any(s in c.index for c in per_area.values())]
    shown += sorted({s for c in per_area.values() for s in c.index} - set(shown))
    rows = tuple((a, *(str(int(per_area[a].get(s, 0))) for s in shown), str(int(per_area[a].sum()))) for a in areas)
    colours = STATUS_COLOURS
    chart = ChartData(
        STACKED,
        "Åtgärder per status",
        tuple(areas),
        tuple(
            ChartSeries(s, tuple(float(per_area[a].get(s, 0)) for a in areas), colours.get(s, "#7A7A7A")) for s in shown
        ),
        COUNT,
        0,
        "Antal åtgärder",
    )
    bullets = tuple(action_sentence(a, per_area[a], shown) for a in areas)
    example = bool(actions["is_example"].any())
    notes = (
        STATUS_NOTE
        + (" Det gäller här minst en åtgärd." if derived else "")
        + " En åtgärd som gäller flera områden räknas i vart och ett.",
    )
    notes += (EXAMPLE_ACTIONS_NOTE,) if example else ()
    return Slide(
        FOLLOWUP_SLIDE,
        "Uppföljning: åtgärderna",
        "Åtgärder i planen per område och status",
        bullets,
        SlideTable(("Område", *shown, "Totalt"), rows),
        chart,
        notes,
        None,
        None,
        example,
    )


def action_sentence(area: str, counts: pd.Series, order: Sequence[str]) -> str:
    """'Berga: 30 åtgärder (1 ej påbörjad, 14 pågår och 11 genomförda).'"""
    total = int(counts.sum())
    if total == 0:
        return f"{area}: inga åtgärder i åtgärdstabellen."
    parts = [status_phrase(s, int(counts.get(s, 0))) for s in order if counts.get(s, 0)]
    word = "åtgärd" if total == 1 else "åtgärder"
    return f"{area}: {total} {word} ({swedish_list(parts)})."


# --- the map ---------------------------------------------------------------------------------------------------


def indicator_map_selection(dataset: Dataset, indicator: str) -> MapSelection | None:
    """The map of one indicator: its latest year, Totalt (else its first group); None when it cannot be mapped."""
    if indicator not in set(map_indicator_options(dataset).values()):
        return None
    groups = map_groups(dataset, indicator)
    group = groups[0] if groups else TOTAL
    years = map_years(dataset, indicator, group)
    return MapSelection(indicator, years[0], group) if years else None


def deck_map_selection(dataset: Dataset, chosen: MapSelection | None = None) -> MapSelection | None:
    """The map a deck shows: the chosen one when it can be drawn, else the map page's default; None without
    boundaries."""
    if dataset.boundaries.empty:
        return None
    if chosen is not None and chosen.year in map_years(dataset, chosen.indicator, chosen.group):
        return chosen
    return default_selection(dataset)


def attachment_map_selection(dataset: Dataset) -> MapSelection | None:
    """The map of an attachment: områdestyp (where the area stands in the national classification) when it can be
    mapped, else the map page's default; None without boundaries."""
    if dataset.boundaries.empty:
        return None
    meta = grouping_indicator(dataset)
    chosen = indicator_map_selection(dataset, str(meta["id"])) if meta is not None else None
    return chosen or default_selection(dataset)


def map_source_note(dataset: Dataset, data: MapData) -> str:
    """'Källa: SCB. Områdesgränser: Linköpings kommun.': the sources of the values and of the boundaries on the map."""
    values = {str(s).strip() for s in data.frame["source"] if str(s).strip()}
    bounds = dataset.boundaries
    shown = bounds[bounds["area"].isin(set(data.frame["area"]))]
    borders = list(dict.fromkeys(str(s).strip() for s in shown["source"] if str(s).strip()))
    parts = [f"Källa: {'; '.join(sorted(values, key=lambda s: (is_example(s), s)))}."] if values else []
    parts += [f"Områdesgränser: {'; '.join(borders)}."] if borders else []
    return " ".join(parts)


def map_alt_text(data: MapData, highlight: str | None = None) -> str:
    """The text alternative of a map: what it shows, how to read it, its classes and every area's value."""
    frame = data.frame
    values = "; ".join(
        f"{area} saknar värde" if cls < 0 else f"{area} {text}" + (" (exempelvärde)" if example else "")
        for area, text, cls, example in zip(frame["area"], frame["value_text"], frame["class"], frame["example"])
    )
    classes = "; ".join(f"{c.label} ({counted(c.count, 'område', 'områden')})" for c in data.classes)
    parts = [f"Karta: {data.legend_title}, {counted(len(frame), 'område', 'områden')} med gräns. {data.direction_note}"]
    parts += [f"{'Kategorier' if data.meta.get('unit') == CATEGORY else 'Klasser'}: {classes}."] if classes else []
    parts.append(f"Värden: {values}." if values else "Inga områden har värden.")
    focus = frame.loc[frame["focus"], "area"].tolist()
    if focus:
        parts.append(f"{'Fokusområdet' if len(focus) == 1 else 'Fokusområdena'} {swedish_list(focus)} har svart kant.")
    if highlight in set(frame["area"]):
        parts.append(f"{highlight} har tjock svart kant.")
    return " ".join(parts)


def map_image(dataset: Dataset, data: MapData, highlight: str | None = None) -> MapImage:
    """A map with its text alternative and notes: sources, how to read the colours, and examples when any."""
    notes = (map_source_note(dataset, data), data.direction_note, MAP_EXAMPLE_NOTE if data.has_examples else "")
    return MapImage(data, highlight, map_alt_text(data, highlight), tuple(n for n in notes if n))


def map_values_table(data: MapData) -> SlideTable:
    """The map's table (as on the map page) without empty columns, and without Klass where it only repeats Värde."""
    table = map_table(data)
    keep = [c for c in table.columns if c == "Område" or table[c].astype(str).str.strip().ne("").any()]
    if "Klass" in keep and table["Klass"].equals(table["Värde"]):
        keep.remove("Klass")
    numeric = data.meta.get("unit") != CATEGORY
    flags = tuple((c == "Värde" and numeric) or c.startswith("Skillnad") for c in keep)
    rows = tuple(tuple(str(v) for v in row) for row in table[keep].itertuples(index=False))
    return SlideTable(tuple(keep), rows, flags)


def table_lines(table: SlideTable) -> tuple[str, ...]:
    """A table as one line per row, for speaker notes: 'Berga – Värde: 60,0 %; Källa: SCB'."""
    return tuple(
        f"{row[0]} – " + "; ".join(f"{c}: {v}" for c, v in zip(table.columns[1:], row[1:]) if v) for row in table.rows
    )


def map_subtitle(data: MapData) -> str:
    """'År 2024 · Totalt · 5 klasser (kvantiler)' ('3 kategorier' for a categorical indicator)."""
    selection = data.selection
    n = len(data.classes)
    if data.meta.get("unit") == CATEGORY:
        classes = counted(n, "kategori", "kategorier")
    else:
        classes = f"{counted(n, 'klass', 'klasser')} ({selection.method.lower()})"
    return f"År {selection.year} · {selection.group} · {classes}"


def map_slide(dataset: Dataset, selection: MapSelection) -> Slide:
    """The map of one indicator over every area with a boundary: the image fills the body, its values are the
    slide's table (speaker notes and text alternative), the footer gives sources, colours and examples."""
    data = map_data(dataset, selection)
    image = map_image(dataset, data)
    return Slide(
        MAP_SLIDE,
        f"Karta: {data.meta.get('name', selection.indicator)}",
        map_subtitle(data),
        table=map_values_table(data),
        notes=image.notes,
        is_example=data.has_examples,
        map=image,
    )


def map_section(dataset: Dataset, picture: StatusPicture, selection: MapSelection) -> Section | None:
    """The attachment's Karta section: the city's map with the area's thick outline, an introduction and the map's
    values; None when the area has no boundary and is not the municipality."""
    shaped = set(dataset.boundaries["area"])
    area = picture.area
    if area not in shaped and area != picture.municipality:
        return None
    data = map_data(dataset, selection)
    highlight = area if area in set(data.frame["area"]) else None
    what = str(data.meta.get("definite") or data.meta.get("name") or selection.indicator).strip()
    group = f", {selection.group.lower()}" if selection.group != TOTAL else ""
    lines = [
        f"Kartan visar {what[:1].lower() + what[1:]} år {selection.year}{group} i de {len(data.frame)} områden som "
        "har en gräns."
    ]
    focus = data.frame.loc[data.frame["focus"], "area"].tolist()
    others = [a for a in focus if a != highlight]
    if highlight:
        rest = " och de andra fokusområdena svart kant." if highlight in focus else " och fokusområdena svart kant."
        lines.append(f"{area} har tjock svart kant" + (rest if others else "."))
        row = data.frame[data.frame["area"] == area].iloc[0]
        if row["class"] < 0:
            lines.append(f"{area} saknar värde {selection.year} (grå yta).")
    elif others:
        lines.append("Fokusområdena har svart kant.")
    return Section(
        MAP_HEADING,
        (Paragraph(" ".join(lines)),),
        table=map_values_table(data),
        map=map_image(dataset, data, highlight),
    )


def status_pictures(dataset: Dataset, areas: Sequence[str], reference: str, baseline: int) -> dict[str, StatusPicture]:
    """The status picture of each area (what the Nulägesbild page shows)."""
    return {a: status_picture(dataset, a, reference, baseline) for a in areas}


def deck(
    dataset: Dataset,
    areas: Sequence[str],
    themes: Sequence[str],
    reference: str,
    baseline: int,
    today: date,
    *,
    version: int | None = None,
    pictures: Mapping[str, StatusPicture] | None = None,
    map_selection: MapSelection | None = None,
) -> list[Slide]:
    """The slides: a title slide, the map (when areas have boundaries), per area an overview and one slide per chosen
    theme, then the follow-up summary."""
    areas = [a for a in areas if a != reference]
    pictures = dict(pictures) if pictures is not None else status_pictures(dataset, areas, reference, baseline)
    ordered = [t for t in THEMES if t in set(themes)]
    chosen = [pictures[a] for a in areas]
    selection = deck_map_selection(dataset, map_selection)
    city = map_slide(dataset, selection) if selection is not None else None
    example = any(p.example_share > 0 for p in chosen) or (city is not None and city.is_example)
    slides = [title_slide(areas, reference, baseline, today, version, example)]
    slides += [city] if city is not None else []
    for picture in chosen:
        slides.append(area_slide(picture))
        slides.extend(s for s in (theme_slide(dataset, picture, t) for t in ordered) if s is not None)
    if chosen:
        slides.append(indicator_followup_slide(chosen, ordered, baseline))
        slides.append(action_followup_slide(dataset, areas, today))
    return slides


def slide_label(number: int, slide: Slide) -> str:
    """'3. Berga: arbete' for the slide picker."""
    return f"{number}. {slide.title}"


# --- the attachment (Word, HTML) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A text paragraph and whether it is an example (fictitious) text."""

    text: str
    is_example: bool = False


@dataclass(frozen=True)
class Section:
    """One section of the attachment: texts, indicator cards, a table and a chart."""

    heading: str
    paragraphs: tuple[Paragraph, ...] = ()
    cards: tuple[IndicatorCard, ...] = ()
    table: SlideTable | None = None
    chart: ChartData | None = None
    empty_text: str = ""
    map: MapImage | None = None  # the Karta section's map (its table holds the map's values)


@dataclass(frozen=True)
class SourceEntry:
    """An indicator's definition and source, and the sources of the values used."""

    name: str
    definition: str
    source: str
    value_sources: tuple[str, ...]


EXAMPLE_NOTE_LEAD = "Exempeldata: "


@dataclass(frozen=True)
class Attachment:
    """The nulägesbild of one area as a board-paper attachment ('Bilaga – Nulägesbild Berga 2026')."""

    area: str
    title: str
    meta: str
    summary: str
    example_note: str
    sections: tuple[Section, ...]
    sources: tuple[SourceEntry, ...]
    picture: StatusPicture

    @property
    def example_note_body(self) -> str:
        """The example note after its lead word, for documents that set 'Exempeldata.' in bold themselves."""
        return self.example_note.removeprefix(EXAMPLE_NOTE_LEAD)


def attachment_title(area: str, day: date) -> str:
    """'Bilaga – Nulägesbild Berga 2026'."""
    return f"Bilaga – Nulägesbild {area} {day.year}"


def attachment_file_name(title: str, extension: str) -> str:
    """'Bilaga_Nulagesbild_Berga_2026.docx' from the attachment's title and a file extension."""
    return "_".join(safe_filename(title.replace("–", " ")).split()) + f".{extension}"


def text_section(picture: StatusPicture, heading: str) -> Section:
    """A text section (Områdesbeskrivning, Aktörer, …) with its example marking."""
    items = picture.texts.get(heading, [])
    return Section(
        heading,
        tuple(Paragraph(t.text, t.is_example) for t in items),
        empty_text=f"Ingen text om {heading.lower()} finns för {picture.area}.",
    )


def card_line(card: IndicatorCard, picture: StatusPicture) -> str:
    """'62,5 % (2024) · övriga Linköping 82,1 % · Linköping 78,5 %'."""
    parts = [f"{card.value} ({card.year})" if card.year is not None else card.value]
    parts.append(f"{in_text(picture.reference)} {card.reference_value}")
    if picture.municipality and picture.municipality not in (picture.area, picture.reference):
        parts.append(f"{picture.municipality} {card.municipality_value}")
    return " · ".join(parts)


def verdict_line(card: IndicatorCard) -> str:
    """'Utveckling: ↑ förbättring · Skillnaden: →← närmar sig (sedan 2020)' ('' without verdicts)."""
    parts = []
    if card.value_verdict:
        parts.append(f"Utveckling: {card.value_verdict}")
    if card.gap_verdict:
        parts.append(f"Skillnaden: {card.gap_verdict}")
    if parts and card.baseline_year is not None:
        parts[-1] += f" (sedan {card.baseline_year})"
    return " · ".join(parts)


def value_sources(dataset: Dataset, picture: StatusPicture, indicator: str) -> tuple[str, ...]:
    """The distinct sources of the values used for an indicator (area, reference, municipality)."""
    areas = list(dict.fromkeys(a for a in (picture.area, picture.reference, picture.municipality) if a))
    rows = series_index(dataset.observations).rows(areas, indicator, list(SEXES))
    rows = rows[rows["value"].notna()]
    sources = sorted({str(s).strip() for s in rows["source"] if str(s).strip()}, key=lambda s: (is_example(s), s))
    return tuple(sources)


def attachment(
    dataset: Dataset,
    area: str,
    reference: str,
    baseline: int,
    today: date,
    *,
    version: int | None = None,
    picture: StatusPicture | None = None,
    map_selection: MapSelection | None = None,
) -> Attachment:
    """The status picture of an area as an attachment, in the order a nulägesbild is written; the map of the city
    with the area outlined follows the area's description when areas have boundaries."""
    sp = picture if picture is not None else status_picture(dataset, area, reference, baseline)
    sections = [text_section(sp, "Områdesbeskrivning")]
    selection = deck_map_selection(dataset, map_selection) if map_selection else attachment_map_selection(dataset)
    city = map_section(dataset, sp, selection) if selection is not None else None
    sections += [city] if city is not None else []
    sections.append(text_section(sp, "Aktörer"))
    sections.append(
        Section(
            "Befolkning",
            cards=tuple(sp.population),
            chart=theme_chart(dataset, sp, POPULATION_THEME) if sp.population else None,
            empty_text=f"Det finns inga uppgifter om befolkningen i {area}.",
        )
    )
    kf = sp.key_figures
    key_table = SlideTable(
        tuple(str(c) for c in kf.columns), tuple(tuple(str(v) for v in row) for row in kf.itertuples(index=False))
    )
    sections.append(
        Section(
            "Nyckeltal",
            (
                Paragraph(
                    f"Skillnad = {area} jämfört med {in_text(reference)} senaste år (pe = procentenheter). ▲ bättre, ▼ sämre än "
                    f"jämförelseområdet. Förändring och bedömningar avser tiden sedan basåret {baseline}."
                ),
            ),
            table=key_table,
            empty_text="Inga nyckeltal är markerade i indikatorkatalogen.",
        )
    )
    for theme, cards in sp.themes:
        sections.append(Section(theme_title(theme), cards=tuple(cards), chart=theme_chart(dataset, sp, theme)))
    sections += [text_section(sp, h) for h in TEXT_HEADINGS[2:]]
    sections += [text_section(sp, h) for h in sp.texts if h not in TEXT_HEADINGS]
    cards = list(sp.population) + [c for _, cs in sp.themes for c in cs]
    sources = tuple(SourceEntry(c.name, c.definition, c.source, value_sources(dataset, sp, c.indicator)) for c in cards)
    latest = max((c.year for c in cards if c.year is not None), default=None)
    meta = (
        f"{swedish_date(today)} · Dataversion {version or '–'} · Jämförelse: {in_text(reference)} · "
        f"Basår {baseline}" + (f" · Senaste uppgifter {latest}" if latest else "")
    )
    note = ""
    examples = any(p.is_example for s in sections for p in s.paragraphs)
    if sp.example_share > 0 or examples or any(s.map is not None and s.map.data.has_examples for s in sections):
        note = (
            f"{EXAMPLE_NOTE_LEAD}bilagan innehåller påhittade exempelvärden och exempeltexter (källa {EXAMPLE_SOURCE}) "
            "som ska ersättas med riktiga uppgifter. Indikatorer med exempelvärden är märkta »exempelvärde« och "
            "exempeltexter »exempeltext«."
        )
    return Attachment(area, attachment_title(area, today), meta, sp.summary, note, tuple(sections), sources, sp)


def chart_table(chart: ChartData) -> SlideTable:
    """A chart's data as a table (categories down, one column per series), values formatted in Swedish."""
    rows = []
    for i, category in enumerate(chart.categories):
        cells = [
            format_value(s.values[i], chart.unit, chart.decimals)
            + (EXAMPLE_MARK if s.examples and s.examples[i] else "")
            for s in chart.series
        ]
        rows.append((category, *cells))
    first = "År" if chart.kind == LINE else "Område"
    return SlideTable((first, *(s.name for s in chart.series)), tuple(rows))
