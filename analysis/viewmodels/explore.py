"""The indicator explorer as a view model: what the user chose (kept in the URL) and the frames every view shows.

`selection_from_params` reads the page's query parameters against the same options as the page's widgets (an
indicator may be named by its label, id or name) and says in Swedish which parameters it ignored; `explore_data`
turns a selection into the tidy frame shown (chosen areas, years and sexes, with missing values as rows without a
value), the gap and index frames, the ranked bars of one year and the facts for "Om indikatorn". Nothing here knows
about Streamlit.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np
import pandas as pd

from analysis.core.breaks import parse_breaks
from analysis.core.categories import CATEGORY, category_label, parse_categories
from analysis.core.formatting import format_number
from analysis.core.groups import (
    FIXED_GROUPS,
    MEN,
    SEX,
    SIDE_BY_SIDE,
    WOMEN,
    combined_group,
    dimensions_present,
    group_parts,
    groups_of,
    ordered_groups,
)
from analysis.core.model import (
    AREA_TYPES,
    NEUTRAL,
    THEMES,
    TOTAL,
    Dataset,
    focus_areas,
    reference_area,
)
from analysis.core.palette import AreaStyle, area_styles, style_for
from analysis.core.safety import safe_filename
from analysis.core.units import indicator_decimals
from analysis.ingest.names import AliasTable
from analysis.measures.category_status import (
    PART_TYPES,
    categories_in_year,
    category_summary,
    grouping_indicator,
)
from analysis.measures.compare import (
    index_to_reference,
    indicator_meta,
    reference_choices,
    series_index,
)
from analysis.measures.summary import example_mask, uncertain_mask
from analysis.measures.verdicts import GAP_PERCENT, gap_to_reference, rule_for
from analysis.viewmodels.address import ignored, param_values
from analysis.viewmodels.map_view import MapSelection
from analysis.viewmodels.nulage import ALL_THEMES, municipality_of, theme_title

# Query parameters (= widget keys) of the page.
THEME_PARAM = "tema"
INDICATOR_PARAM = "indikator"
AREAS_PARAM = "omraden"
YEARS_PARAM = "ar"
SEX_PARAM = "kon"
GROUP_PARAM = "grupp"
REFERENCE_PARAM = "jmf"
BAR_YEAR_PARAM = "jmfar"
ALL_AREAS_PARAM = "alla"
TYPE_PARAM = "typ"
VIEW_PARAM = "vy"
PARAMS: tuple[str, ...] = (
    THEME_PARAM,
    INDICATOR_PARAM,
    AREAS_PARAM,
    YEARS_PARAM,
    SEX_PARAM,
    GROUP_PARAM,
    REFERENCE_PARAM,
    BAR_YEAR_PARAM,
    ALL_AREAS_PARAM,
    TYPE_PARAM,
    VIEW_PARAM,
)
# Parameters Streamlit itself reads: never reported as unknown.
STREAMLIT_PARAMS = frozenset({"embed", "embed_options"})

BOTH = SIDE_BY_SIDE[SEX]  # 'Kvinnor och män'
SEX_MODES: tuple[str, ...] = (TOTAL, WOMEN, MEN, BOTH)

TIME_SERIES = "Tidsserie"
COMPARISON = "Jämförelse"
INDEX = "Index"
GAP = "Skillnad mot jämförelseområdet"
SEX_VIEW = "Kvinnor och män"
TABLE = "Tabell"
MAP = "Karta"
VIEWS: tuple[str, ...] = (TIME_SERIES, COMPARISON, INDEX, GAP, SEX_VIEW, MAP, TABLE)
ALL_TYPES = "Alla"  # the Jämförelse view over every area, whatever its områdestyp

MISSING_NOTE = "Uppgift saknas"
# Line charts with more lines are unreadable (and slow to draw): the first ones are drawn, the table has them all.
MAX_LINES = 30
MAX_LISTED = 12


@dataclass(frozen=True)
class ExploreSelection:
    """Everything the user chose: the whole view, as kept in the URL."""

    theme: str  # theme id; "" = all themes
    indicator: str
    areas: tuple[str, ...]
    years: tuple[int, int]
    sex: str  # one of SEX_MODES
    reference: str
    bar_year: int | None
    all_areas: bool = True
    view: str = TIME_SERIES
    group: str = TOTAL  # one of group_modes: Totalt, a group (Utrikes födda, 20–64 år) or a side-by-side choice
    area_type: str = ALL_TYPES  # one of type_options: the Jämförelse view over the areas of one områdestyp

    @property
    def sexes(self) -> tuple[str, ...]:
        """The groups shown (the values of the observations' sex column): the chosen sex mode crossed with the
        chosen group mode, e.g. ('Utrikes födda, kvinnor', 'Utrikes födda, män') for Kvinnor och män and Utrikes
        födda."""
        return shown_groups(self.sex, self.group)

    @property
    def side_by_side(self) -> bool:
        """True when more than one group is shown, so every line and bar names its group."""
        return len(self.sexes) > 1


def _mode_groups(mode: str) -> tuple[str, ...]:
    """The groups one choice stands for: the groups of a dimension side by side, or the one group chosen."""
    for dimension, label in SIDE_BY_SIDE.items():
        if mode == label:
            return FIXED_GROUPS[dimension]
    return (mode,)


def shown_groups(sex_mode: str, group_mode: str = TOTAL) -> tuple[str, ...]:
    """The groups a sex choice and a group choice show together (crossed; a contradiction is left out)."""
    crossed = (combined_group(g, s) for g in _mode_groups(group_mode) for s in _mode_groups(sex_mode))
    return tuple(dict.fromkeys(c for c in crossed if c is not None)) or (TOTAL,)


def group_modes(dataset: Dataset, indicator: str) -> list[str]:
    """The choices of the Grupp control for an indicator: Totalt, then per dimension (not sex) the indicator is
    split by, its groups and the side-by-side choice, then the combinations without a sex the data holds
    ('Utrikes födda, 20–64 år'); the Kön control crosses any of them with a sex."""
    if not indicator:
        return [TOTAL]
    labels = [str(g) for g in indicator_observations(dataset, indicator)["sex"].unique()]
    modes = [TOTAL]
    for dimension in dimensions_present(labels):
        if dimension == SEX:
            continue
        groups = groups_of(dimension, labels)
        modes += groups
        if dimension in SIDE_BY_SIDE and len(groups) > 1:
            modes.append(SIDE_BY_SIDE[dimension])
    combinations = [g for g in ordered_groups(labels) if len(parts := group_parts(g) or {}) > 1 and SEX not in parts]
    return modes + combinations


def selection_label(selection: ExploreSelection) -> str:
    """What the group and sex choices show, for titles and file names: '', 'kvinnor', 'utrikes födda, män'."""
    parts = [m for m in (selection.group, selection.sex) if m != TOTAL]
    return ", ".join(p.lower() for p in parts)


# --- options ----------------------------------------------------------------------------------------------------


# Indicator ids per observations frame. A DataFrame cannot be hashed, so the key is id(); each entry holds its frame,
# so no other object can take that id while the entry lives (with a weak reference, a dead frame's id could be
# reused by a new frame). A few entries, like ui's cache of datasets; Streamlit runs sessions in threads.
PRESENT_CACHE_SIZE = 4
_PRESENT: OrderedDict[int, tuple[pd.DataFrame, frozenset[str]]] = OrderedDict()
_PRESENT_LOCK = threading.Lock()


def present_indicators(observations: pd.DataFrame) -> frozenset[str]:
    """The indicator ids of an observations frame (cached per frame; frames are treated as read-only)."""
    key = id(observations)
    with _PRESENT_LOCK:
        hit = _PRESENT.get(key)
        if hit is not None:
            _PRESENT.move_to_end(key)
            return hit[1]
    ids = frozenset(str(i) for i in observations["indicator"].unique())  # outside the lock: the slow part
    with _PRESENT_LOCK:
        _PRESENT[key] = (observations, ids)
        _PRESENT.move_to_end(key)
        while len(_PRESENT) > PRESENT_CACHE_SIZE:
            _PRESENT.popitem(last=False)
    return ids


def indicators_with_data(dataset: Dataset) -> pd.DataFrame:
    """The catalogue rows (catalogue order) of indicators that have at least one observation."""
    present = present_indicators(dataset.observations)
    cat = dataset.indicators
    return cat[cat["id"].isin(present)]


def theme_options(dataset: Dataset) -> dict[str, str]:
    """Theme label -> theme id for the theme picker: 'Alla teman' first, then the themes with data."""
    themes = list(dict.fromkeys(indicators_with_data(dataset)["theme"].astype(str)))
    ordered = [t for t in THEMES if t in themes] + [t for t in themes if t not in THEMES and t]
    return {ALL_THEMES: "", **{theme_title(t): t for t in ordered}}


def indicator_options(dataset: Dataset, theme: str = "") -> dict[str, str]:
    """Indicator label -> id within a theme ('' = all), catalogue order; duplicate names get their id added."""
    cat = indicators_with_data(dataset)
    counts = cat["name"].value_counts()
    if theme:
        cat = cat[cat["theme"] == theme]
    return {(n if counts[n] == 1 else f"{n} ({i})"): i for i, n in zip(cat["id"], cat["name"])}


def area_options(dataset: Dataset) -> list[str]:
    """Every loaded area: focus areas, reference, municipality, nation, then the others (table order within type)."""
    # One pass over the table (a city has hundreds of areas): a stable sort by type keeps table order within a type.
    rank = {kind: i for i, kind in enumerate(AREA_TYPES)}
    names, types = dataset.areas["name"].tolist(), dataset.areas["type"].tolist()
    order = sorted(range(len(names)), key=lambda i: rank.get(types[i], len(AREA_TYPES)))
    return list(dict.fromkeys(names[i] for i in order))


def default_areas(dataset: Dataset) -> list[str]:
    """The default areas: the focus areas, the reference area and the municipality."""
    extra = [reference_area(dataset.areas), municipality_of(dataset)]
    return list(dict.fromkeys(focus_areas(dataset.areas) + [a for a in extra if a]))


def reference_options(dataset: Dataset) -> list[str]:
    """Areas that can be the reference: Jämförelse, Kommun and Riket first, then every other area."""
    return list(dict.fromkeys(reference_choices(dataset) + area_options(dataset)))


def type_options(dataset: Dataset) -> list[str]:
    """'Alla' and the label of every category of the grouping indicator (områdestyp) a city part has had, by code;
    only 'Alla' when none is loaded."""
    meta = grouping_indicator(dataset)
    if meta is None:
        return [ALL_TYPES]
    categories, _ = parse_categories(meta.get("categories"))
    obs = dataset.observations
    parts = dataset.areas.loc[dataset.areas["type"].isin(list(PART_TYPES)), "name"]
    rows = obs[(obs["indicator"] == meta["id"]) & obs["value"].notna() & obs["area"].isin(parts)]
    codes = sorted({int(round(float(v))) for v in rows["value"]})
    return [ALL_TYPES, *(category_label(categories, c) for c in codes)]


def default_reference(dataset: Dataset) -> str:
    """The default reference: model.reference_area, else the first area."""
    options = reference_options(dataset)
    return reference_area(dataset.areas) or (options[0] if options else "")


def year_bounds(dataset: Dataset) -> tuple[int, int] | None:
    """The first and last year of all observations, or None without data."""
    years = dataset.observations["year"].dropna()
    return (int(years.min()), int(years.max())) if len(years) else None


def indicator_observations(dataset: Dataset, indicator: str) -> pd.DataFrame:
    """All observations of one indicator (one filter over the whole table; everything else works on this)."""
    obs = dataset.observations
    return obs[obs["indicator"] == indicator]


def bar_year_options(
    dataset: Dataset,
    indicator: str,
    sexes: Sequence[str],
    years: tuple[int, int],
    observations: pd.DataFrame | None = None,
) -> list[int]:
    """Years in the range with a value of the indicator for the shown sexes (any area), latest first (the default)."""
    obs = indicator_observations(dataset, indicator) if observations is None else observations
    hit = obs[obs["sex"].isin(list(sexes)) & obs["value"].notna() & obs["year"].between(years[0], years[1])]
    return sorted({int(y) for y in hit["year"].unique()}, reverse=True)


def default_selection(dataset: Dataset) -> ExploreSelection:
    """The view before the user chose anything."""
    selection, _ = selection_from_params({}, dataset)
    return selection


# --- parameters -------------------------------------------------------------------------------------------------


def parse_years(values: Sequence[str], bounds: tuple[int, int]) -> tuple[int, int] | None:
    """Two years within the bounds (either order; decimals cut as the slider does), or None when not usable."""
    if len(values) != 2:
        return None
    try:
        years = sorted(int(float(v)) for v in values)
    except (TypeError, ValueError, OverflowError):
        return None
    if years[0] < bounds[0] or years[1] > bounds[1]:
        return None
    return years[0], years[1]


def param_notices(params: Mapping[str, str | Sequence[str]], dataset: Dataset) -> dict[str, str]:
    """Parameter -> Swedish notice, for each query parameter the page ignores (see selection_from_params)."""
    return parse_params(params, dataset)[1]


def selection_from_params(
    params: Mapping[str, str | Sequence[str]], dataset: Dataset
) -> tuple[ExploreSelection, list[str]]:
    """The selection a URL asks for, validated against the options; plus Swedish notices about ignored parameters.

    An unknown single value gives the default, unknown areas are dropped from the list (all unknown: the default
    areas), years must be two years within the data; the indicator may be named by its label, id or name.
    """
    selection, notices = parse_params(params, dataset)
    return selection, list(notices.values())


def address_indicator(dataset: Dataset, value: str) -> str | None:
    """The indicator id an address names: a picker label, or an id or name matched as the Excel import matches them.

    Case, diacritics and spacing do not matter ('ho_bistand', 'Ekonomiskt bistand'); None when nothing matches.
    """
    labels = indicator_options(dataset)
    if value in labels:
        return labels[value]
    return AliasTable.for_indicators(dataset.indicators).lookup(value)


def address_indicator_label(dataset: Dataset, theme: str, value: str | None) -> str | None:
    """The picker label, within a theme ('' = all), of the indicator an address value names; None when none is."""
    if value is None:
        return None
    labels = {i: label for label, i in indicator_options(dataset, theme).items()}
    return labels.get(address_indicator(dataset, value) or "")


Choice = TypeVar("Choice")


def parse_params(
    params: Mapping[str, str | Sequence[str]], dataset: Dataset
) -> tuple[ExploreSelection, dict[str, str]]:
    """The selection of a URL and a notice per ignored parameter (the work behind selection_from_params)."""
    raw = {k: param_values(v) for k, v in params.items()}
    notices: dict[str, str] = {}

    def pick(
        param: str, options: Mapping[str, Choice], default: Choice, reason: str, key: Callable[[str], str] = str
    ) -> Choice:
        """The option a single-valued parameter names (its last value), else the default and a notice saying why."""
        values = raw.get(param) or []
        if not values:
            return default
        if key(values[-1]) in options:
            return options[key(values[-1])]
        notices[param] = ignored(param, values[-1:], reason)
        return default

    def pick_listed(param: str, options: list[str], default: str, why: str, then: str) -> str:
        """pick over a list of labels (an empty value is the default); the notice lists the choices."""
        listed = f" (välj {', '.join(options[:-1])} eller {options[-1]})" if len(options) > 1 else ""
        return pick(param, {"": default, **{o: o for o in options}}, default, f"{why}{listed}. {then}")

    themes = theme_options(dataset)
    theme = pick(THEME_PARAM, themes, "", f"det finns inget sådant tema. {ALL_THEMES} visas.")

    labels = {i: label for label, i in indicator_options(dataset, theme).items()}
    indicator = next(iter(labels), "")
    if raw.get(INDICATOR_PARAM):
        value = raw[INDICATOR_PARAM][-1]
        named = address_indicator(dataset, value)
        if named in labels:
            indicator = named
        else:
            why = (
                "det finns ingen sådan indikator"
                if named is None
                else "indikatorn har inga värden i datan"
                if named not in present_indicators(dataset.observations)
                else "den hör inte till temat " + theme_title(theme)
            )
            notices[INDICATOR_PARAM] = ignored(
                INDICATOR_PARAM, [value], f"{why}. {labels.get(indicator, '')} visas i stället."
            )

    options = area_options(dataset)
    areas = default_areas(dataset)
    if AREAS_PARAM in raw:
        wanted = [v for v in raw[AREAS_PARAM] if v != ""]
        valid = list(dict.fromkeys(v for v in wanted if v in options))
        unknown = list(dict.fromkeys(v for v in wanted if v not in options))
        if unknown:
            then = " Standardområdena visas." if not valid else ""
            what = "områdena finns" if len(unknown) > 1 else "området finns"
            notices[AREAS_PARAM] = ignored(AREAS_PARAM, unknown, f"{what} inte i datan.{then}")
        if valid or not wanted:
            areas = valid

    bounds = year_bounds(dataset) or (0, 0)
    years = bounds
    if YEARS_PARAM in raw and bounds[0] < bounds[1]:
        parsed = parse_years(raw[YEARS_PARAM], bounds)
        if parsed is None:
            notices[YEARS_PARAM] = ignored(
                YEARS_PARAM,
                raw[YEARS_PARAM],
                f"ange två år mellan {bounds[0]} och {bounds[1]}, till exempel "
                f"ar={bounds[0]}&ar={bounds[1]}. Alla år visas.",
            )
        else:
            years = parsed

    sexes_named = {"": TOTAL, **{m: m for m in SEX_MODES}}  # an empty kon= is a cleared control: Totalt
    sex = pick(SEX_PARAM, sexes_named, TOTAL, f"välj {', '.join(SEX_MODES[:-1])} eller {SEX_MODES[-1]}. {TOTAL} visas.")

    reference = default_reference(dataset)
    references = {r: r for r in reference_options(dataset)}
    reference = pick(REFERENCE_PARAM, references, reference, f"området finns inte i datan. {reference} används.")

    group = pick_listed(
        GROUP_PARAM,
        group_modes(dataset, indicator),
        TOTAL,
        "indikatorn redovisas inte för den gruppen",
        f"{TOTAL} visas.",
    )

    sexes = shown_groups(sex, group)
    bar_years = bar_year_options(dataset, indicator, sexes, years) if indicator else []
    bar_year = bar_years[0] if bar_years else None
    then = f"{bar_year} visas." if bar_year is not None else "Det finns inga värden att jämföra."
    bar_year = pick(
        BAR_YEAR_PARAM, {str(y): y for y in bar_years}, bar_year, f"det året har inga värden för urvalet. {then}"
    )

    all_areas = pick(
        ALL_AREAS_PARAM,
        {"true": True, "false": False},
        True,
        "värdet ska vara true eller false. Alla områden visas i Jämförelse.",
        key=lambda v: v.strip().lower(),
    )
    area_type = pick_listed(
        TYPE_PARAM,
        type_options(dataset),
        ALL_TYPES,
        "det finns ingen sådan områdestyp i datan",
        "Alla områden visas i Jämförelse.",
    )
    view = pick(VIEW_PARAM, {v: v for v in VIEWS}, TIME_SERIES, f"det finns ingen sådan vy. {TIME_SERIES} visas.")

    for param in raw:
        if param not in PARAMS and param not in STREAMLIT_PARAMS:
            notices[param] = f"Adressens parameter {param} känns inte igen och ignorerades."

    selection = ExploreSelection(
        theme=theme,
        indicator=indicator,
        areas=tuple(areas),
        years=years,
        sex=sex,
        reference=reference,
        bar_year=bar_year,
        all_areas=all_areas,
        view=view,
        group=group,
        area_type=area_type,
    )
    return selection, notices


def selection_params(selection: ExploreSelection, dataset: Dataset) -> dict[str, str | list[str]]:
    """The query parameters of a selection as the bound widgets write them (values equal to the default left out)."""
    default = default_selection(dataset)
    labels = {i: label for label, i in indicator_options(dataset, selection.theme).items()}
    bar_years = bar_year_options(dataset, selection.indicator, selection.sexes, selection.years)
    out: dict[str, str | list[str]] = {}
    if selection.theme:
        out[THEME_PARAM] = theme_title(selection.theme)
    if selection.indicator in labels and selection.indicator != next(iter(labels), None):
        out[INDICATOR_PARAM] = labels[selection.indicator]
    if selection.areas != default.areas:
        out[AREAS_PARAM] = list(selection.areas)
    if selection.years != default.years:
        out[YEARS_PARAM] = [str(selection.years[0]), str(selection.years[1])]
    if selection.sex != TOTAL:
        out[SEX_PARAM] = selection.sex
    if selection.group != TOTAL:
        out[GROUP_PARAM] = selection.group
    if selection.reference != default.reference:
        out[REFERENCE_PARAM] = selection.reference
    if selection.bar_year is not None and bar_years and selection.bar_year != bar_years[0]:
        out[BAR_YEAR_PARAM] = str(selection.bar_year)
    if not selection.all_areas:
        out[ALL_AREAS_PARAM] = "false"
    if selection.area_type != ALL_TYPES:
        out[TYPE_PARAM] = selection.area_type
    if selection.view != TIME_SERIES:
        out[VIEW_PARAM] = selection.view
    return out


# --- the data shown ---------------------------------------------------------------------------------------------


def years_text(years: Sequence[int]) -> str:
    """Years in Swedish with runs collapsed: '2015–2024', '2018 och 2022', '2015–2017, 2019 och 2021'."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return "–"
    runs: list[str] = []
    start = prev = ys[0]
    for y in ys[1:] + [None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        runs.append(str(start) if start == prev else f"{start}–{prev}")
        if y is not None:
            start = prev = y
    return runs[0] if len(runs) == 1 else f"{', '.join(runs[:-1])} och {runs[-1]}"


def series_label(area: str, sex: str, both: bool) -> str:
    """The name of one line: the area, with its group added when several groups are shown side by side."""
    return f"{area}, {sex.lower()}" if both else area


# The dashes of the second, third … group of an area's lines (the first keeps the area's own style).
_GROUP_DASHES: tuple[str, ...] = ("dot", "dash", "dashdot", "longdash")


def sex_styles(
    styles: Mapping[str, AreaStyle], areas: Sequence[str], groups: Sequence[str] = (WOMEN, MEN)
) -> dict[str, AreaStyle]:
    """Styles for 'area, group' lines: the area's colour and marker; the first group in the area's own dash, the
    others dotted, dashed … (never the area's own dash), so groups differ by more than colour."""
    out: dict[str, AreaStyle] = {}
    for area in areas:
        style = style_for(styles, area)
        others = [d for d in _GROUP_DASHES if d != style.dash]
        for i, group in enumerate(groups):
            dash = style.dash if i == 0 else others[(i - 1) % len(others)]
            out[series_label(area, group, True)] = replace(style, dash=dash)
    return out


@dataclass(frozen=True)
class IndicatorFacts:
    """What 'Om indikatorn' says: the catalogue entry and facts about the data of the indicator."""

    name: str
    definition: str
    unit: str
    direction: str
    source: str
    comparability: str
    decimals: int
    years: tuple[int, ...]
    years_text: str
    sexes: tuple[str, ...]
    n_areas: int
    n_values: int
    n_example: int
    n_shown: int
    n_example_shown: int
    n_missing_shown: int
    notes: tuple[str, ...]


def indicator_notes(meta: Mapping) -> list[str]:
    """Comparability notes: the catalogue's own, then what the unit and direction mean for the comparisons."""
    notes = [str(meta.get("comparability") or "").strip()]
    rule = rule_for(meta)
    if not rule.gap_measure:
        notes.append(
            "Antal jämförs inte mellan områden av olika storlek, så vyerna Index och Skillnad mot "
            "jämförelseområdet visar inget för den här indikatorn."
        )
    elif rule.gap_measure == GAP_PERCENT:
        notes.append("Skillnaden mot jämförelseområdet anges i procent av jämförelseområdets värde.")
    else:
        notes.append(f"Skillnaden mot jämförelseområdet anges i {rule.gap_unit}.")
    notes.append(f"Oförändrat: en förändring mindre än {rule.threshold_text()} räknas som oförändrad.")
    categories, _ = parse_categories(meta.get("categories"))
    if categories:
        listed = "; ".join(category_label(categories, code) for code in categories)
        notes.append(f"Värdena är koder: {listed}. De jämförs inte som skillnader och är varken bättre eller sämre.")
    for series_break in parse_breaks(meta.get("breaks"))[0]:
        notes.append(
            f"Serieavbrott {series_break.year}: {series_break.text.rstrip('.')}. Diagrammen markerar avbrottet, och "
            "meningar och omdömen jämför aldrig värden före och efter det."
        )
    if meta.get("direction") == NEUTRAL:
        notes.append("Beskrivande indikator: högre eller lägre värden är varken bättre eller sämre.")
    return [n for n in notes if n]


def indicator_facts(meta: Mapping, observations: pd.DataFrame, shown: pd.DataFrame) -> IndicatorFacts:
    """The facts of 'Om indikatorn' from the indicator's observations and the rows shown."""
    values = observations[observations["value"].notna()]
    shown_values = shown[shown["value"].notna()]
    years = tuple(sorted({int(y) for y in values["year"].unique()}))
    sexes = tuple(ordered_groups(str(g) for g in values["sex"].unique()))
    return IndicatorFacts(
        name=str(meta.get("name", "")),
        definition=str(meta.get("definition", "")),
        unit=str(meta.get("unit", "")),
        direction=str(meta.get("direction", "")),
        source=str(meta.get("source", "")),
        comparability=str(meta.get("comparability", "")),
        decimals=indicator_decimals(meta),
        years=years,
        years_text=years_text(years),
        sexes=sexes,
        n_areas=int(values["area"].nunique()),
        n_values=len(values),
        n_example=int(example_mask(values).sum()) if len(values) else 0,
        n_shown=len(shown_values),
        n_example_shown=int(shown_values["example"].sum()),
        n_missing_shown=int(shown["value"].isna().sum()),
        notes=tuple(indicator_notes(meta)),
    )


def shown_frame(
    observations: pd.DataFrame, areas: Sequence[str], sexes: Sequence[str], years: Sequence[int]
) -> pd.DataFrame:
    """Every (area, sex, year) of the selection as a row, in area, sex and year order.

    Years are those with data for the indicator; a combination without a value is a row without one (never 0) whose
    note is the observation's note or 'Uppgift saknas'.
    """
    columns = ["area", "year", "sex", "value", "source", "note", "example"]
    if not len(areas) or not len(years):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    grid = pd.MultiIndex.from_product([list(areas), list(sexes), sorted(years)], names=["area", "sex", "year"])
    obs = observations[
        observations["area"].isin(areas) & observations["sex"].isin(sexes) & observations["year"].isin(list(years))
    ]
    obs = obs.assign(year=obs["year"].astype("int64")).drop_duplicates(["area", "sex", "year"], keep="last")
    frame = obs.set_index(["area", "sex", "year"])[["value", "source", "note"]].reindex(grid).reset_index()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    # The store's text columns are categoricals, which refuse a fill value that is not one of their categories ("").
    frame["source"] = frame["source"].astype(object).fillna("").astype(str)
    frame["note"] = frame["note"].astype(object).fillna("").astype(str)
    frame.loc[frame["value"].isna() & (frame["note"].str.strip() == ""), "note"] = MISSING_NOTE
    frame["example"] = example_mask(frame) & frame["value"].notna()
    return frame[columns]


def missing_explanations(frame: pd.DataFrame, both: bool) -> list[str]:
    """One sentence per reason for the values missing in the frame ('Uppgift saknas för Berga 2021 (Sekretess …).'), and
    one for the uncertain values it shows but never compares."""
    missing = frame[frame["value"].isna()]
    out = []
    for note, rows in missing.groupby("note", sort=False):
        items = [
            f"{a} {y}" + (f" ({s.lower()})" if both else "") for a, y, s in zip(rows["area"], rows["year"], rows["sex"])
        ]
        listed = ", ".join(items[:MAX_LISTED]) + (
            f" och {len(items) - MAX_LISTED} till" if len(items) > MAX_LISTED else ""
        )
        reason = "" if note == MISSING_NOTE else f" ({note})"
        out.append(f"{MISSING_NOTE} för {listed}{reason}. Saknade värden visas som avbrott i linjen, aldrig som 0.")
    uncertain = frame[frame["value"].notna() & uncertain_mask(frame)]
    if len(uncertain):
        items = [
            f"{a} {y}" + (f" ({s.lower()})" if both else "")
            for a, y, s in zip(*(uncertain[c] for c in ("area", "year", "sex")))
        ]
        listed = ", ".join(items[:MAX_LISTED]) + (
            f" och {len(items) - MAX_LISTED} till" if len(items) > MAX_LISTED else ""
        )
        out.append(
            f"Osäkra värden (få personer) för {listed} visas i diagram och tabell men ingår inte i jämförelser, "
            "förändringar och omdömen."
        )
    return out


@dataclass(frozen=True)
class ExploreData:
    """The frames behind every view of the explorer for one selection."""

    selection: ExploreSelection
    meta: dict
    frame: pd.DataFrame  # area, year, sex, value, source, note, example: the rows shown (table and downloads)
    lines: pd.DataFrame  # area (series label), year, value, source: the time series
    gaps: pd.DataFrame  # area (series label), year, value, reference_value, gap, index
    bars: dict[str, pd.DataFrame]  # sex -> area, value, source, note: one year, every area ranked
    highlight: tuple[str, ...]
    sex_bars: pd.DataFrame  # area, sex, value, source: women and men in the bar year
    styles: dict[str, AreaStyle] = field(repr=False)  # per line (series label)
    area_styles: dict[str, AreaStyle] = field(repr=False)  # per area (bars)
    facts: IndicatorFacts = field(repr=False)
    missing: tuple[str, ...] = ()
    n_series: int = 0  # lines the selection has; lines and gaps hold at most MAX_LINES of them
    # sex -> category, n, median, low, high: the ranked areas per områdestyp (empty without one loaded)
    type_tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    types_example: bool = False  # some area's områdestyp up to the bar year is an example value

    @property
    def comparable(self) -> bool:
        """False for counts and categories, which get neither gap nor index."""
        return bool(rule_for(self.meta).gap_measure)

    @property
    def gap_unit(self) -> str:
        """The unit the gaps are in, by the indicator's rule: procentenheter, the unit itself, or procent."""
        return rule_for(self.meta).gap_unit


def bar_frame(
    observations: pd.DataFrame, year: int | None, sex: str, areas: Sequence[str], all_areas: bool
) -> pd.DataFrame:
    """One sex and year: the chosen areas (or every area with data) with value, source and note.

    A chosen area without a value gets a row without one, so the chart can say it is missing.
    """
    columns = ["area", "value", "source", "note"]
    if year is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    rows = observations[(observations["year"] == year) & (observations["sex"] == sex)]
    if not all_areas:
        rows = rows[rows["area"].isin(areas)]
    rows = rows[columns].drop_duplicates("area", keep="last")
    present = set(rows["area"])
    absent = [a for a in areas if a not in present]
    extra = pd.DataFrame({"area": absent, "value": float("nan"), "source": "", "note": MISSING_NOTE})
    return pd.concat([rows, extra], ignore_index=True) if absent else rows.reset_index(drop=True)


def series_labels(frame: pd.DataFrame, both: bool) -> pd.Series:
    """series_label for every row of a frame with area and sex (vectorised)."""
    if not both:
        return frame["area"].astype(str)
    return frame["area"].astype(str) + ", " + frame["sex"].astype(str).str.lower()


def gap_frame(
    frame: pd.DataFrame,
    references: Mapping[str, pd.Series],
    measure: str,
    reference: str,
    both: bool,
    reference_examples: Mapping[str, set[int]] | None = None,
) -> pd.DataFrame:
    """Per shown area (not the reference), sex and year with both values: value, reference value, gap and index.

    `references` holds the reference area's series per sex (year -> value); the gap and index are those of
    compare.gap_to_reference and compare.index_to_reference (none for counts). `example` is True when the area's
    value or the reference's value (`reference_examples`: its example years per sex) is an example value.
    """
    columns = ["area", "year", "value", "reference_value", "gap", "index", "example"]
    rows = frame[frame["value"].notna() & (frame["area"] != reference)]
    parts = [
        pd.DataFrame({"sex": sex, "year": s.index.astype("int64"), "reference_value": s.to_numpy()})
        for sex, s in references.items()
        if len(s)
    ]
    if not len(rows) or not parts:
        return pd.DataFrame(
            {c: pd.Series(dtype={"area": "object", "example": "bool"}.get(c, "float64")) for c in columns}
        )
    merged = rows[["area", "sex", "year", "value", "example"]].merge(pd.concat(parts), on=["sex", "year"], how="inner")
    ref_examples = reference_examples or {}
    merged["example"] = merged["example"].astype(bool).to_numpy() | np.array(
        [int(y) in ref_examples.get(s, set()) for s, y in zip(merged["sex"], merged["year"])], dtype=bool
    )
    values, refs = merged["value"].to_numpy(dtype="float64"), merged["reference_value"].to_numpy(dtype="float64")
    merged["gap"] = pd.array([gap_to_reference(v, r, measure) for v, r in zip(values, refs)], dtype="Float64")
    merged["index"] = pd.array(
        [index_to_reference(v, r) if measure else None for v, r in zip(values, refs)], dtype="Float64"
    )
    merged["area"] = series_labels(merged, both)
    return merged[columns].reset_index(drop=True)


def first_series(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The rows of the first `limit` series (area labels in order of appearance)."""
    names = list(dict.fromkeys(frame["area"]))
    return frame if len(names) <= limit else frame[frame["area"].isin(names[:limit])]


def explore_data(dataset: Dataset, selection: ExploreSelection) -> ExploreData:
    """The frames of every view for a selection (one filter over all observations, then small frames)."""
    meta = indicator_meta(dataset, selection.indicator)
    both = selection.side_by_side
    sexes = selection.sexes
    areas = list(selection.areas)
    ind_obs = indicator_observations(dataset, selection.indicator)
    lo, hi = selection.years
    years = sorted(int(y) for y in ind_obs.loc[ind_obs["value"].notna(), "year"].unique() if lo <= y <= hi)

    frame = shown_frame(ind_obs, areas, sexes, years)
    lines = frame[["area", "year", "value", "source"]].assign(area=series_labels(frame, both))
    n_series = lines["area"].nunique()

    base_styles = area_styles(dataset.areas)
    styles = sex_styles(base_styles, areas, sexes) if both else base_styles
    index = series_index(dataset.observations)
    references = {sex: index.get(selection.reference, selection.indicator, sex) for sex in sexes}
    reference_examples = {sex: index.example_years(selection.reference, selection.indicator, sex) for sex in sexes}
    gaps = gap_frame(frame, references, rule_for(meta).gap_measure, selection.reference, both, reference_examples)

    bars = {sex: bar_frame(ind_obs, selection.bar_year, sex, areas, selection.all_areas) for sex in sexes}
    type_tables: dict[str, pd.DataFrame] = {}
    types_example = False
    grouping = grouping_indicator(dataset)
    if grouping is not None and selection.bar_year is not None:
        codes = categories_in_year(dataset, grouping["id"], selection.bar_year)
        type_rows = indicator_observations(dataset, grouping["id"])
        types_example = bool(example_mask(type_rows[type_rows["year"] <= selection.bar_year]).any())
        if selection.area_type != ALL_TYPES:
            categories, _ = parse_categories(grouping.get("categories"))
            chosen = {a for a, c in codes.items() if category_label(categories, c) == selection.area_type}
            bars = {s: b[b["area"].isin(chosen)].reset_index(drop=True) for s, b in bars.items()}
        if len(codes) and meta.get("unit") != CATEGORY:  # a median of category codes means nothing
            # Over the city's parts only: the municipality, the nation and the peers have no områdestyp.
            parts = set(dataset.areas.loc[dataset.areas["type"].isin(list(PART_TYPES)), "name"])
            type_tables = {s: category_summary(b[b["area"].isin(parts)], codes, grouping) for s, b in bars.items()}
    highlight = tuple(dict.fromkeys(focus_areas(dataset.areas) + areas))
    # Women and men within the chosen group (Utrikes födda, kvinnor …); side by side groups: the sexes' totals.
    within = selection.group if len(_mode_groups(selection.group)) == 1 else TOTAL
    sex_bars = pd.concat(
        [
            bar_frame(ind_obs, selection.bar_year, combined_group(within, s) or s, areas, False).assign(sex=s)
            for s in (WOMEN, MEN)
        ],
        ignore_index=True,
    )
    if len(sex_bars):
        order = {a: i for i, a in enumerate(areas)}
        sex_bars = sex_bars.assign(_o=sex_bars["area"].map(order)).sort_values(["_o"], kind="stable")
        sex_bars = sex_bars.drop(columns="_o").reset_index(drop=True)

    return ExploreData(
        selection=selection,
        meta=meta,
        frame=frame,
        lines=first_series(lines, MAX_LINES).reset_index(drop=True),
        gaps=first_series(gaps, MAX_LINES).reset_index(drop=True),
        bars=bars,
        highlight=highlight,
        sex_bars=sex_bars,
        styles=styles,
        area_styles=base_styles,
        facts=indicator_facts(meta, ind_obs, frame),
        missing=tuple(missing_explanations(frame, both)),
        n_series=int(n_series),
        type_tables=type_tables,
        types_example=types_example,
    )


def map_selection(selection: ExploreSelection) -> MapSelection:
    """The map of the explorer's indicator in the year of the comparison, for its first shown group."""
    return MapSelection(selection.indicator, selection.bar_year, selection.sexes[0])


def facts_rows(facts: IndicatorFacts) -> list[tuple[str, str]]:
    """The 'Om indikatorn' list as (label, text) pairs; the texts come from the data and need escaping."""
    sexes = ", ".join(s.lower() if i else s for i, s in enumerate(facts.sexes)) or "–"
    return [
        ("Definition", facts.definition or "–"),
        ("Enhet", facts.unit or "–"),
        ("Riktning", facts.direction or "–"),
        ("Källa", facts.source or "–"),
        ("År med värden", facts.years_text),
        ("Redovisas för", f"{sexes}; {format_number(facts.n_areas)} områden"),
        (
            "Exempelvärden",
            f"{format_number(facts.n_example_shown)} av {format_number(facts.n_shown)} värden som visas "
            f"({format_number(facts.n_example)} av {format_number(facts.n_values)} för hela "
            "indikatorn)",
        ),
        ("Saknade eller skyddade värden i urvalet", format_number(facts.n_missing_shown)),
    ]


def chart_title(data: ExploreData, view: str, sex: str | None = None) -> str:
    """The title of a view's chart: the indicator, what the view shows, and the sex when it is not Totalt."""
    name = str(data.meta.get("name", ""))
    sel = data.selection
    if sex is None:
        shown = selection_label(sel)
    else:
        shown = "" if sex == TOTAL else sex.lower()
    suffix = f", {shown}" if shown else ""
    if view == COMPARISON:
        return f"{name} {sel.bar_year}{suffix}"
    if view == INDEX:
        return f"{name} – index ({sel.reference} = 100){suffix}"
    if view == GAP:
        return f"{name} – skillnad mot {sel.reference}{suffix}"
    if view == SEX_VIEW:
        within = f", {sel.group.lower()}" if len(_mode_groups(sel.group)) == 1 and sel.group != TOTAL else ""
        return f"{name} {sel.bar_year}, kvinnor och män{within}"
    return f"{name}{suffix}"


def export_name(data: ExploreData, view: str | None = None) -> str:
    """The base of a download's file name (not yet made safe): indicator, view, years and sex."""
    sel = data.selection
    parts = [str(data.meta.get("name", "") or sel.indicator)]
    if view and view not in (TIME_SERIES, TABLE):
        parts.append(view)
    parts.append(f"{sel.years[0]}-{sel.years[1]}")
    parts.append(sel.sex)
    if sel.group != TOTAL:
        parts.append(sel.group)
    return " ".join(parts)


def file_stem(data: ExploreData, view: str | None = None) -> str:
    """A safe file name, without extension, for a download or a chart image ('Forvarvsfrekvens 20-64 ar …')."""
    # An en dash (20–64 år) would otherwise become '_'.
    return safe_filename(export_name(data, view).replace("–", "-"), default="utforska")
