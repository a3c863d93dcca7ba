"""The map as a view model: which indicators, years and groups can be mapped, and per area with a boundary its value,
class, gap to the reference and source, with the classes (quantiles or equal intervals) and their colours.

Boundaries are data (the `boundaries` table, analysis/ingest/boundaries.py): without them there is no map, and the
page says how to load them. Nothing here knows about Streamlit or plotly.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from analysis.core.categories import CATEGORY, category_label, parse_categories
from analysis.core.formatting import format_number, format_value
from analysis.core.model import FOCUS, HIGHER, LOWER, OTHER, TOTAL, Dataset, focus_areas, reference_area
from analysis.core.palette import map_colours
from analysis.core.units import indicator_decimals
from analysis.measures.compare import indicator_meta
from analysis.measures.presentation import gap_text
from analysis.measures.summary import example_mask, uncertain_mask
from analysis.measures.verdicts import gap_to_reference, rule_for
from analysis.viewmodels.address import ignored, listed, param_values

# Query parameters (= widget keys) of the map page.
INDICATOR_PARAM = "indikator"
YEAR_PARAM = "ar"
GROUP_PARAM = "grupp"
METHOD_PARAM = "klass"
CLASSES_PARAM = "antal"
PARAMS: tuple[str, ...] = (INDICATOR_PARAM, YEAR_PARAM, GROUP_PARAM, METHOD_PARAM, CLASSES_PARAM)

QUANTILES = "Kvantiler"
EQUAL = "Lika breda intervall"
NATURAL = "Naturliga brytpunkter"
METHODS: tuple[str, ...] = (QUANTILES, EQUAL, NATURAL)
METHOD_HELP = (
    "Kvantiler: ungefär lika många områden i varje klass. Lika breda intervall: klasserna delar skalan från lägsta "
    "till högsta värde lika. Naturliga brytpunkter: gränserna läggs där värdena glesnar, så att värdena i varje "
    "klass ligger så nära klassens medelvärde som möjligt (Fisher–Jenks)."
)
CLASS_COUNTS: tuple[int, ...] = (3, 4, 5)
DEFAULT_CLASSES = 5
NO_VALUE = "Saknar värde"
# A map is drawn at most this many pixels across: detail finer than one pixel is dropped before the shapes are sent
# to the browser (3 363 RegSO polygons would otherwise be megabytes of invisible vertices).
SCREEN_PIXELS = 1500


@dataclass(frozen=True)
class MapSelection:
    """What the map shows: indicator, year, group (the observations' sex column), class method and count."""

    indicator: str
    year: int | None
    group: str = TOTAL
    method: str = QUANTILES
    classes: int = DEFAULT_CLASSES


@dataclass(frozen=True)
class MapClass:
    """One class of the legend: its label (a value range or a category), fill colour and how many areas it has."""

    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class MapData:
    """Everything the map, its legend, its table and its downloads show for one selection."""

    selection: MapSelection
    meta: dict
    # area, type, focus, value, value_text, class (-1: no value), reference_value, gap_text, source, note, example,
    # geometry (GeoJSON text), label_lon, label_lat: one row per area with a boundary, focus areas first
    frame: pd.DataFrame = field(repr=False)
    classes: tuple[MapClass, ...]
    reference: str
    missing: tuple[str, ...]  # areas with a boundary but no value
    without_shape: tuple[str, ...]  # focus areas and city parts with a value but no boundary
    legend_title: str
    direction_note: str  # how to read the colours, in words: 'Mörkare = sämre (lägre är bättre)'

    @property
    def has_examples(self) -> bool:
        """True when a value on the map is a fictitious example."""
        return bool(self.frame["example"].any()) if len(self.frame) else False


def shaped_areas(dataset: Dataset) -> list[str]:
    """The areas with a boundary, in the order of the areas table."""
    shaped = set(dataset.boundaries["area"])
    return [a for a in dataset.areas["name"] if a in shaped]


def map_indicator_options(dataset: Dataset) -> dict[str, str]:
    """Label -> indicator id of the indicators with a value for an area with a boundary, catalogue order."""
    obs = dataset.observations
    present = set(obs.loc[obs["area"].isin(shaped_areas(dataset)) & obs["value"].notna(), "indicator"])
    cat = dataset.indicators
    return {str(r.name): str(r.id) for r in cat.itertuples(index=False) if r.id in present}


def shaped_values(dataset: Dataset, indicator: str) -> pd.DataFrame:
    """The indicator's observations with a value for the areas with a boundary."""
    obs = dataset.observations
    return obs[(obs["indicator"] == indicator) & obs["area"].isin(shaped_areas(dataset)) & obs["value"].notna()]


def map_groups(dataset: Dataset, indicator: str) -> list[str]:
    """The groups (Totalt, Kvinnor, Utrikes födda …) the indicator has values for on the map, Totalt first."""
    groups = [str(g) for g in dict.fromkeys(shaped_values(dataset, indicator)["sex"])]
    return sorted(groups, key=lambda g: (g != TOTAL, g))


def map_years(dataset: Dataset, indicator: str, group: str = TOTAL) -> list[int]:
    """The years with a value of the indicator and group for an area with a boundary, latest first."""
    rows = shaped_values(dataset, indicator)
    return sorted({int(y) for y in rows.loc[rows["sex"] == group, "year"]}, reverse=True)


def param_notices(params: Mapping[str, str | Sequence[str]], dataset: Dataset) -> dict[str, str]:
    """Parameter -> Swedish notice, for each value of the map page's address it cannot use and replaces by the
    default (a link naming a renamed indicator, a year without values, an unknown class method); empty values are
    cleared controls and say nothing."""
    raw = {k: param_values(v) for k, v in params.items()}
    notices: dict[str, str] = {}

    def asked(param: str, options: Sequence[object], reason: str) -> str | None:
        """The parameter's last value when it is an option; a notice and None when it is not."""
        values = raw.get(param) or [""]
        if values[-1] == "" or values[-1] in [str(o) for o in options]:
            return values[-1] or None
        notices[param] = ignored(param, values[-1:], reason)
        return None

    indicators = map_indicator_options(dataset)
    if not indicators:
        return {}
    labels = list(indicators)
    label = asked(INDICATOR_PARAM, labels, f"ingen indikator med det namnet har värden på kartan. {labels[0]} visas.")
    indicator = indicators[label or labels[0]]
    groups = map_groups(dataset, indicator)
    reason = f"indikatorn redovisas inte för den gruppen på kartan (välj {listed(groups)}). {groups[0]} visas."
    group = asked(GROUP_PARAM, groups, reason) or groups[0]
    years = map_years(dataset, indicator, group)
    asked(YEAR_PARAM, years, f"det året har inga värden för urvalet. {years[0]} visas.")
    asked(METHOD_PARAM, METHODS, f"välj {listed(METHODS)}. {QUANTILES} används.")
    asked(CLASSES_PARAM, CLASS_COUNTS, f"välj {listed(CLASS_COUNTS)} klasser. {DEFAULT_CLASSES} används.")
    return notices


def class_edges(values: Sequence[float], method: str, n: int) -> list[float]:
    """The edges of at most n classes over the values: quantiles or equal widths (tied quantiles merge classes)."""
    data = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if not len(data):
        return []
    if method == EQUAL:
        edges = np.linspace(data.min(), data.max(), n + 1)
    else:
        edges = np.quantile(data, np.linspace(0, 1, n + 1))
    return [float(e) for e in dict.fromkeys(edges.tolist())]


def natural_breaks(values: Sequence[float], n: int) -> list[float]:
    """The lowest value of each of at most n classes that keep the values closest to their class means (Fisher's
    exact optimisation, as Jenks' natural breaks): the split with the least within-class sum of squares."""
    data = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    levels, counts = np.unique(data, return_counts=True)
    m = len(levels)
    if m == 0:
        return []
    k = min(n, m)
    # Prefix sums over the distinct values, weighted by how often each occurs: a class's cost in O(1).
    w = np.concatenate([[0.0], np.cumsum(counts)])
    s1 = np.concatenate([[0.0], np.cumsum(levels * counts)])
    s2 = np.concatenate([[0.0], np.cumsum(levels**2 * counts)])

    def cost(start: np.ndarray, end: int) -> np.ndarray:
        """The sum of squared deviations from the mean of levels start..end (inclusive), for many starts."""
        total, weight = s1[end + 1] - s1[start], w[end + 1] - w[start]
        return s2[end + 1] - s2[start] - total**2 / weight

    best = s2[1:] - s1[1:] ** 2 / w[1:]  # one class: levels 0..j for every j
    starts = np.zeros((k, m), dtype=int)
    for c in range(1, k):
        nxt = np.full(m, np.inf)
        for j in range(c, m):
            # The last class starts at i (c ≤ i ≤ j); the first c classes cover the levels before it.
            i = np.arange(c, j + 1)
            total = best[i - 1] + cost(i, j)
            at = int(np.argmin(total))
            nxt[j], starts[c, j] = total[at], i[at]
        best = nxt
    breaks, end = [], m - 1
    for c in range(k - 1, 0, -1):
        breaks.append(int(starts[c, end]))
        end = breaks[-1] - 1
    return [float(levels[0])] + [float(levels[i]) for i in reversed(breaks)]


def class_of(values: np.ndarray, edges: Sequence[float]) -> np.ndarray:
    """The class (0-based) of each value between the edges; the top edge belongs to the last class, no value: -1."""
    out = np.full(len(values), -1, dtype=int)
    valued = ~np.isnan(values)
    if len(edges) < 2:
        out[valued] = 0
        return out
    out[valued] = np.clip(np.searchsorted(np.asarray(edges[1:-1]), values[valued], side="right"), 0, len(edges) - 2)
    return out


def range_label(low: float, high: float, unit: str, decimals: int) -> str:
    """'40,0–50,0 %' (one value when the class is a single level: '50,0 %')."""
    if format_number(low, decimals) == format_number(high, decimals):
        return format_value(high, unit, decimals)
    return f"{format_number(low, decimals)}–{format_value(high, unit, decimals)}"


def value_classes(values: np.ndarray, method: str, n: int, unit: str, decimals: int) -> tuple[np.ndarray, list[str]]:
    """Each value's class (-1: no value) and the classes' labels, lowest first. With no more distinct values than
    classes, each value is a class of its own (a quantile would merge two of them)."""
    levels = np.unique(values[~np.isnan(values)])
    if not len(levels):
        return np.full(len(values), -1, dtype=int), []
    if len(levels) <= n:
        index = {float(v): i for i, v in enumerate(levels)}
        classes = np.array([index[float(v)] if not np.isnan(v) else -1 for v in values], dtype=int)
        return classes, [format_value(v, unit, decimals) for v in levels]
    if method == NATURAL:
        # Each class is labelled by its own lowest and highest value: natural breaks leave gaps between classes.
        starts = natural_breaks(values.tolist(), n)
        classes = class_of(values, [*starts, math.inf])
        labels = [
            range_label(lo, float(levels[levels < hi].max()), unit, decimals)
            for lo, hi in zip(starts, [*starts[1:], math.inf])
        ]
        return classes, labels
    edges = class_edges(values.tolist(), method, n)
    labels = [range_label(edges[i], edges[i + 1], unit, decimals) for i in range(len(edges) - 1)]
    return class_of(values, edges), labels


def screen_geometries(geometries: Sequence[str]) -> list[str]:
    """The geometries simplified to about one pixel of a map of their whole extent, shared edges kept shared."""
    if not len(geometries):
        return []
    shapes = shapely.from_geojson(list(geometries))
    minx, miny, maxx, maxy = shapely.total_bounds(shapes)
    across = max((maxx - minx) * math.cos(math.radians((miny + maxy) / 2)), maxy - miny)
    tolerance = across / SCREEN_PIXELS
    try:
        simple = shapely.coverage_simplify(shapes, tolerance)
    except shapely.errors.GEOSException:  # not a clean coverage (overlaps): each shape on its own
        simple = shapely.simplify(shapes, tolerance, preserve_topology=True)
    return shapely.to_geojson(shapely.set_precision(simple, 1e-6)).tolist()


def label_points(geometries: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """A point inside each geometry (for its label and hover), as longitudes and latitudes."""
    if not len(geometries):
        return np.array([]), np.array([])
    shapes = shapely.from_geojson(list(geometries))
    points = shapely.point_on_surface(shapes)
    return shapely.get_x(points), shapely.get_y(points)


def default_selection(dataset: Dataset) -> MapSelection | None:
    """The first mappable indicator in its latest year, or None without boundaries or values."""
    options = map_indicator_options(dataset)
    if not options:
        return None
    indicator = next(iter(options.values()))
    groups = map_groups(dataset, indicator)
    group = groups[0] if groups else TOTAL
    years = map_years(dataset, indicator, group)
    return MapSelection(indicator, years[0] if years else None, group)


def map_data(dataset: Dataset, selection: MapSelection) -> MapData:
    """The map of one indicator, year and group over every area with a boundary."""
    meta = indicator_meta(dataset, selection.indicator)
    unit, decimals = str(meta.get("unit", "")), indicator_decimals(meta)
    bounds = dataset.boundaries
    areas = dataset.areas.set_index("name")
    focus = focus_areas(dataset.areas)
    order = {a: i for i, a in enumerate([*focus, *dataset.areas["name"]])}
    shapes = bounds.assign(_o=bounds["area"].map(order).fillna(len(order))).sort_values("_o", kind="stable")

    obs = dataset.observations
    rows = obs[
        (obs["indicator"] == selection.indicator) & (obs["year"] == selection.year) & (obs["sex"] == selection.group)
    ]
    rows = rows.drop_duplicates("area", keep="last").set_index("area")
    uncertain = set(rows.index[uncertain_mask(rows.reset_index()).to_numpy()]) if len(rows) else set()
    examples = set(rows.index[example_mask(rows.reset_index()).to_numpy()]) if len(rows) else set()

    names = shapes["area"].astype(str).tolist()
    values = np.array([float(rows.at[a, "value"]) if a in rows.index else np.nan for a in names], dtype=float)
    reference = reference_area(dataset.areas) or ""
    ref_value = float(rows.at[reference, "value"]) if reference in rows.index else np.nan
    measure = rule_for(meta).gap_measure

    categorical = unit == CATEGORY
    directional = meta.get("direction") in (HIGHER, LOWER) and not categorical
    categories, _ = parse_categories(meta.get("categories"))
    if categorical:
        codes = sorted({int(round(v)) for v in values if not np.isnan(v)})
        colours = map_colours(len(codes), False)
        classes_idx = np.array([codes.index(int(round(v))) if not np.isnan(v) else -1 for v in values], dtype=int)
        labels = [category_label(categories, c) for c in codes]
    else:
        classes_idx, labels = value_classes(values, selection.method, selection.classes, unit, decimals)
        n = len(labels)
        best_first = map_colours(n, directional) if n else ()
        # Colours run best -> worst; classes run from the lowest value up.
        colours = tuple(reversed(best_first)) if meta.get("direction") == HIGHER else best_first
    counts = [int((classes_idx == i).sum()) for i in range(len(labels))]
    classes = tuple(MapClass(label, colour, count) for label, colour, count in zip(labels, colours, counts))

    drawn = screen_geometries(shapes["geometry"].tolist())
    lon, lat = label_points(drawn)
    gaps = [
        gap_to_reference(v, ref_value, measure) if measure and not np.isnan(v) and not np.isnan(ref_value) else None
        for v in values
    ]
    frame = pd.DataFrame(
        {
            "area": names,
            "type": [str(areas.at[a, "type"]) if a in areas.index else "" for a in names],
            "focus": [a in focus for a in names],
            "value": values,
            "value_text": [
                NO_VALUE
                if np.isnan(v)
                else category_label(categories, v)
                if categorical
                else format_value(v, unit, decimals)
                for v in values
            ],
            "class": classes_idx,
            "reference_value": ref_value,
            "gap_text": [gap_text(g, meta) if g is not None else "" for g in gaps],
            "source": [str(rows.at[a, "source"]) if a in rows.index else "" for a in names],
            "note": [str(rows.at[a, "note"]) if a in rows.index else "" for a in names],
            "example": [a in examples for a in names],
            "uncertain": [a in uncertain for a in names],
            "geometry": drawn,
            "label_lon": lon,
            "label_lat": lat,
        }
    )
    parts = set(dataset.areas.loc[dataset.areas["type"].isin([FOCUS, OTHER]), "name"])
    without = tuple(a for a in rows.index if a in parts and a not in set(names))
    if categorical:
        note = "Färgen visar kategorin; den säger inget om bättre eller sämre."
    elif directional:
        better = "högre" if meta.get("direction") == HIGHER else "lägre"
        note = f"Mörkare färg = större utmaning ({better} värde är bättre)."
    else:
        note = "Mörkare färg = högre värde. Indikatorn är beskrivande: färgen säger inget om bättre eller sämre."
    title = f"{meta.get('name', selection.indicator)} {selection.year}"
    if selection.group != TOTAL:
        title += f", {selection.group.lower()}"
    return MapData(
        selection=selection,
        meta=meta,
        frame=frame,
        classes=classes,
        reference=reference,
        missing=tuple(a for a, v in zip(names, values) if np.isnan(v)),
        without_shape=without,
        legend_title=title,
        direction_note=note,
    )


def map_table(data: MapData) -> pd.DataFrame:
    """The map's data as the page and the downloads show it: one row per area with a boundary."""
    frame = data.frame
    labels = [c.label for c in data.classes]
    return pd.DataFrame(
        {
            "Område": frame["area"],
            "Värde": frame["value_text"],
            "Klass": [labels[c] if c >= 0 else NO_VALUE for c in frame["class"]],
            f"Skillnad mot {data.reference}": frame["gap_text"],
            "Källa": frame["source"],
            "Exempelvärde": ["Ja" if e else "" for e in frame["example"]],
            "Kommentar": frame["note"],
        }
    )


def geojson_features(data: MapData) -> dict:
    """The boundaries as a GeoJSON FeatureCollection with each area's name, value and class (for the map file)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"area": area, "value": None if np.isnan(value) else float(value), "class": int(cls)},
                "geometry": json.loads(geometry),
            }
            for area, value, cls, geometry in zip(
                data.frame["area"], data.frame["value"], data.frame["class"], data.frame["geometry"]
            )
        ],
    }


#: What the page says when no boundaries are loaded: where boundaries come from and what the file needs.
HOW_TO_LOAD: tuple[str, ...] = (
    "Kartan ritar områdenas egna gränser, utan bakgrundskarta och utan kartserver. Standarddata har inga gränser: "
    "inga påhittade gränser visas.",
    "Gränser finns som öppna data: kommunens egna stadsdels- eller basområdesgränser (kommunens öppna data eller "
    "GIS-enhet) och SCB:s gränser för RegSO och DeSO (SCB:s öppna geodata på scb.se).",
    "Filen kan vara GeoJSON (.geojson), GeoPackage (.gpkg) eller en zippad Shapefile (.zip med .shp, .shx, .dbf och "
    ".prj), i vilket koordinatsystem som helst (svenska källor använder oftast SWEREF 99 TM, EPSG:3006).",
    "Varje yta behöver en kod eller ett namn (till exempel kolumnerna kod och namn) som matchar Kod, Namn eller Alias "
    "på bladet Områden i mallen (sidan Data). Ytor som inte matchar och områden utan yta listas vid uppladdningen.",
)
