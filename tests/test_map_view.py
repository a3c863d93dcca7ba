"""The map's view model: what can be mapped, the classes and their colours, the gap and the marks per area."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
import shapely

from analysis.core.model import EXAMPLE_SOURCE, make_dataset
from analysis.core.palette import MAP_DIRECTIONAL, MAP_NEUTRAL
from analysis.viewmodels import map_view as mv
from analysis.viewmodels.map_view import (
    EQUAL,
    NATURAL,
    QUANTILES,
    MapSelection,
    map_data,
    map_table,
    natural_breaks,
    value_classes,
)
from tests.test_categories import TYPES

NB = "\u00a0"
# Six districts in a 3 × 2 grid of boxes near Linköping (lon/lat); Vallastaden has a boundary but no value and
# Tornby a value but no boundary.
GRID = ("Berga", "Ryd", "Skäggetorp", "Lambohov", "Innerstaden", "Vallastaden")
AREAS = [
    ("Berga", "Fokusområde", "0580R001"),
    ("Ryd", "Fokusområde", "0580R002"),
    ("Skäggetorp", "Fokusområde", "0580R003"),
    ("Lambohov", "Övrigt", "0580R004"),
    ("Innerstaden", "Övrigt", "0580R005"),
    ("Vallastaden", "Övrigt", "0580R006"),
    ("Tornby", "Övrigt", "0580R007"),
    ("Övriga Linköping", "Jämförelse", ""),
    ("Linköping", "Kommun", "0580"),
]
EMPLOYMENT = {"Berga": 60.0, "Ryd": 55.0, "Skäggetorp": 50.0, "Lambohov": 80.0, "Innerstaden": 85.0, "Tornby": 70.0}


def box(i: int) -> str:
    """The GeoJSON of the i-th box of the grid: 0.03° wide, 0.02° high."""
    x, y = 15.55 + 0.03 * (i % 3), 58.38 + 0.02 * (i // 3)
    return shapely.to_geojson(shapely.box(x, y, x + 0.03, y + 0.02))


def mapped(extra_obs: list[dict] | None = None, boundaries: bool = True):
    """A dataset with the grid's boundaries, förvärvsfrekvens (Berga an example value), ohälsotal and områdestyp."""
    indicators = [
        {"id": "forv", "name": "Förvärvsfrekvens", "theme": "arbete", "unit": "procent", "direction": "Högre är bättre"}
        | {"decimals": 1, "definition": "Andel förvärvsarbetande 20–64 år", "source": "SCB"},
        {"id": "ohalsa", "name": "Ohälsotal", "theme": "hälsa", "unit": "dagar", "direction": "Lägre är bättre"},
        {"id": "folk", "name": "Folkmängd", "theme": "befolkning", "unit": "antal", "direction": "Neutral"},
        {"id": "typ", "name": "Områdestyp", "theme": "befolkning", "unit": "kategori", "direction": "Neutral"}
        | {"categories": TYPES},
    ]
    obs = [
        {"area": a, "indicator": "forv", "year": 2024, "sex": "Totalt", "value": v}
        | {"source": EXAMPLE_SOURCE if a == "Berga" else "SCB"}
        for a, v in EMPLOYMENT.items()
    ]
    obs += [
        {"area": "Övriga Linköping", "indicator": "forv", "year": 2024, "sex": "Totalt", "value": 82.0, "source": "SCB"}
    ]
    obs += [{"area": "Berga", "indicator": "forv", "year": 2023, "sex": "Totalt", "value": 58.0, "source": "SCB"}]
    obs += [
        {"area": a, "indicator": "forv", "year": 2024, "sex": "Utrikes födda", "value": v - 10, "source": "SCB"}
        for a, v in EMPLOYMENT.items()
    ]
    obs += [
        {"area": a, "indicator": "ohalsa", "year": 2024, "sex": "Totalt", "value": v, "source": "FK"}
        for a, v in (("Berga", 30.0), ("Ryd", 25.0), ("Skäggetorp", 35.0), ("Lambohov", 15.0))
    ]
    obs += [
        {"area": a, "indicator": "typ", "year": 2024, "sex": "Totalt", "value": v, "source": "SCB"}
        for a, v in (("Berga", 2.0), ("Ryd", 2.0), ("Skäggetorp", 1.0), ("Innerstaden", 5.0))
    ]
    obs += [{"area": "Linköping", "indicator": "folk", "year": 2024, "sex": "Totalt", "value": 165000, "source": "SCB"}]
    obs += extra_obs or []
    bounds = [{"area": a, "code": f"R{i}", "name": a, "geometry": box(i), "source": "t"} for i, a in enumerate(GRID)]
    return make_dataset(
        areas=pd.DataFrame([{"name": n, "type": t, "code": c} for n, t, c in AREAS]),
        indicators=pd.DataFrame(indicators),
        observations=pd.DataFrame(obs),
        boundaries=pd.DataFrame(bounds) if boundaries else None,
    )


@pytest.fixture(scope="module")
def dataset():
    return mapped()


def test_only_indicators_groups_and_years_with_a_value_for_a_shaped_area_can_be_mapped(dataset):
    # Folkmängd has a value only for Linköping, which has no boundary.
    assert mv.map_indicator_options(dataset) == {"Förvärvsfrekvens": "forv", "Ohälsotal": "ohalsa", "Områdestyp": "typ"}
    assert mv.map_groups(dataset, "forv") == ["Totalt", "Utrikes födda"]
    assert mv.map_years(dataset, "forv") == [2024, 2023]
    assert mv.map_years(dataset, "forv", "Utrikes födda") == [2024]
    assert mv.default_selection(dataset) == MapSelection("forv", 2024, "Totalt")
    assert mv.map_indicator_options(mapped(boundaries=False)) == {}
    assert mv.default_selection(mapped(boundaries=False)) is None


@pytest.mark.parametrize(
    "values, method, n, classes, labels",
    [
        # Five values, five quantile classes: each its own class.
        ([50, 55, 60, 80, 85], QUANTILES, 5, [0, 1, 2, 3, 4], ["50", "55", "60", "80", "85"]),
        # Quartiles of 10, 20, …, 90: 10–30, 30–50, 50–70, 70–90 (a value on an edge goes up, the top stays).
        (
            [10, 20, 30, 40, 50, 60, 70, 80, 90],
            QUANTILES,
            4,
            [0, 0, 1, 1, 2, 2, 3, 3, 3],
            ["10–30", "30–50", "50–70", "70–90"],
        ),
        # Equal widths over 0–100 in 4: 0–25, 25–50, 50–75, 75–100.
        ([0, 10, 49, 51, 100, 99], EQUAL, 4, [0, 0, 1, 2, 3, 3], ["0–25", "25–50", "50–75", "75–100"]),
        # Fewer distinct values than classes: one class per value; no value stays -1.
        ([3, 3, 7, math.nan], QUANTILES, 5, [0, 0, 1, -1], ["3", "7"]),
        ([math.nan], QUANTILES, 5, [-1], []),
        # Natural breaks: three clusters; each class labelled by its own lowest and highest value.
        ([30, 1, 2, 3, 10, 11, 12, math.nan], NATURAL, 3, [2, 0, 0, 0, 1, 1, 1, -1], ["1–3", "10–12", "30"]),
    ],
)
def test_value_classes(values, method, n, classes, labels):
    found, texts = value_classes(np.array(values, dtype=float), method, n, "antal", 0)
    assert found.tolist() == classes
    assert texts == labels


@pytest.mark.parametrize(
    "values, n, starts",
    [
        ([1, 2, 3, 10, 11, 12, 30], 3, [1, 10, 30]),  # three clusters, the last a single value
        ([1, 1, 1, 2, 9, 9, 10], 2, [1, 9]),
        # Repeats weigh: {0 ×6}, {10, 11}, {20} leaves 0.5; {0 ×6}, {10}, {11, 20} would leave 40.5.
        ([0, 0, 0, 0, 0, 0, 10, 11, 20], 3, [0, 10, 20]),
        ([5, 5, 5], 3, [5]),  # fewer distinct values than classes
        ([], 3, []),
    ],
)
def test_natural_breaks_by_hand(values, n, starts):
    assert natural_breaks(values, n) == starts


def within_class_squares(levels: list[float], starts: list[float]) -> float:
    """The sum of squared deviations from the class means when classes begin at the starts."""
    bounds = [*starts[1:], math.inf]
    total = 0.0
    for lo, hi in zip(starts, bounds):
        part = [v for v in levels if lo <= v < hi]
        total += sum((v - sum(part) / len(part)) ** 2 for v in part)
    return total


@pytest.mark.parametrize("seed", range(12))
def test_natural_breaks_find_the_least_within_class_squares_of_every_split(seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 40, size=int(rng.integers(6, 12))).astype(float).tolist()
    n = int(rng.integers(2, 5))
    levels = sorted(set(values))
    # Every way to cut the distinct levels into n contiguous classes, by brute force.
    best = min(
        within_class_squares(values, [levels[0], *(levels[i] for i in cut)])
        for cut in itertools.combinations(range(1, len(levels)), min(n, len(levels)) - 1)
    )
    assert within_class_squares(values, natural_breaks(values, n)) == pytest.approx(best)


def test_the_map_of_a_higher_is_better_indicator(dataset):
    data = map_data(dataset, MapSelection("forv", 2024))
    frame = data.frame.set_index("area")
    # Focus areas first, then the other shaped areas in table order; Tornby has no shape, Vallastaden no value.
    assert data.frame["area"].tolist() == ["Berga", "Ryd", "Skäggetorp", "Lambohov", "Innerstaden", "Vallastaden"]
    assert data.missing == ("Vallastaden",)
    assert data.without_shape == ("Tornby",)
    # Five values, five classes, lowest first; higher is better, so the lowest class has the darkest colour.
    assert [c.label for c in data.classes] == [f"{v},0{NB}%" for v in (50, 55, 60, 80, 85)]
    assert [c.colour for c in data.classes] == list(reversed(MAP_DIRECTIONAL))
    assert frame.loc["Skäggetorp", "class"] == 0 and frame.loc["Innerstaden", "class"] == 4
    assert frame.loc["Vallastaden", "class"] == -1 and frame.loc["Vallastaden", "value_text"] == "Saknar värde"
    # Gap to övriga Linköping (82,0): Berga 60,0 -> -22,0 procentenheter.
    assert frame.loc["Berga", "gap_text"] == f"-22,0{NB}procentenheter"
    assert frame.loc["Berga", "example"] and not frame.loc["Ryd", "example"] and data.has_examples
    assert data.direction_note == "Mörkare färg = större utmaning (högre värde är bättre)."
    # The label point lies inside the area's box.
    assert shapely.contains(
        shapely.from_geojson(frame.loc["Ryd", "geometry"]),
        shapely.Point(frame.loc["Ryd", "label_lon"], frame.loc["Ryd", "label_lat"]),
    )


def test_lower_is_better_runs_the_colours_the_other_way_and_neutral_is_blue(dataset):
    data = map_data(dataset, MapSelection("ohalsa", 2024, classes=4))
    # Four values, four classes: 15 (Lambohov, best) lightest … 35 (Skäggetorp) darkest.
    assert [c.colour for c in data.classes] == [MAP_DIRECTIONAL[i] for i in (0, 1, 3, 4)]
    assert data.direction_note.endswith("(lägre värde är bättre).")
    types = map_data(dataset, MapSelection("typ", 2024))
    assert [c.label for c in types.classes] == [
        "1 – Områden med stora socioekonomiska utmaningar",
        "2 – Områden med socioekonomiska utmaningar",
        "5 – Områden med mycket goda socioekonomiska förutsättningar",
    ]
    assert [c.count for c in types.classes] == [1, 2, 1]
    assert {c.colour for c in types.classes} <= set(MAP_NEUTRAL)
    assert "säger inget om bättre eller sämre" in types.direction_note
    assert types.frame.set_index("area").loc["Berga", "gap_text"] == ""  # a category has no gap


def test_a_group_maps_its_own_values(dataset):
    data = map_data(dataset, MapSelection("forv", 2024, "Utrikes födda"))
    assert data.frame.set_index("area").loc["Skäggetorp", "value"] == 40.0
    assert data.legend_title == "Förvärvsfrekvens 2024, utrikes födda"
    assert not data.has_examples


def test_the_table_and_the_geojson_hold_what_the_map_shows(dataset):
    data = map_data(dataset, MapSelection("forv", 2024))
    table = map_table(data)
    assert table.columns.tolist() == [
        "Område",
        "Värde",
        "Klass",
        "Skillnad mot Övriga Linköping",
        "Källa",
        "Exempelvärde",
        "Kommentar",
    ]
    assert table.iloc[0].tolist()[:3] == ["Berga", f"60,0{NB}%", f"60,0{NB}%"]
    assert table.iloc[-1].tolist()[:3] == ["Vallastaden", "Saknar värde", "Saknar värde"]
    features = mv.geojson_features(data)["features"]
    assert [f["properties"]["area"] for f in features] == table["Område"].tolist()
    drawn, stored = shapely.from_geojson(json.dumps(features[0]["geometry"])), shapely.from_geojson(box(0))
    assert shapely.area(shapely.symmetric_difference(drawn, stored)) < 1e-12  # the box needs no simplifying
    assert features[-1]["properties"]["value"] is None


def test_shapes_are_simplified_to_a_pixel_of_the_map_and_neighbours_still_meet():
    """Two neighbours sharing a wiggly edge of 2 001 points over 0,06°: the map is 1 500 pixels across, so detail
    below about 0,00004° goes, the shared edge stays shared (no gap, no overlap) and the areas barely change."""
    t = np.linspace(0, 1, 2001)
    edge = np.column_stack([15.55 + 0.0002 * np.sin(40 * np.pi * t) + 0.00001 * np.sin(2000 * t), 58.38 + 0.02 * t])
    west = shapely.Polygon([(15.52, 58.40), (15.52, 58.38), *edge.tolist()])
    east = shapely.Polygon([*edge.tolist(), (15.58, 58.40), (15.58, 58.38)])
    drawn = [
        shapely.from_geojson(g) for g in mv.screen_geometries([shapely.to_geojson(west), shapely.to_geojson(east)])
    ]
    assert all(shapely.get_num_coordinates(d) < 700 for d in drawn)  # from 2 003: the visible waves stay
    assert shapely.area(shapely.intersection(drawn[0], drawn[1])) < 1e-12
    union = shapely.union_all(drawn)
    assert union.geom_type == "Polygon" and math.isclose(union.area, west.area + east.area, rel_tol=1e-4)
    assert math.isclose(drawn[0].area, west.area, rel_tol=1e-2)


@pytest.mark.parametrize(
    "params, notices",
    [
        ({"indikator": "Förvärvsfrekvens", "ar": "2024", "klass": "Kvantiler", "antal": "5"}, {}),
        ({"klass": "", "antal": ""}, {}),  # cleared controls
        (
            {"indikator": "Finns inte", "ar": "2024"},
            {
                "indikator": "Adressens parameter indikator=”Finns inte” ignorerades: ingen indikator med det namnet "
                "har värden på kartan. Förvärvsfrekvens visas."
            },
        ),
        (
            {"indikator": "Förvärvsfrekvens", "grupp": "Män", "ar": "1999"},
            {
                "grupp": "Adressens parameter grupp=”Män” ignorerades: indikatorn redovisas inte för den gruppen på "
                "kartan (välj Totalt eller Utrikes födda). Totalt visas.",
                "ar": "Adressens parameter ar=”1999” ignorerades: det året har inga värden för urvalet. 2024 visas.",
            },
        ),
        (
            {"klass": "Jenks", "antal": ["4", "9"]},
            {
                "klass": "Adressens parameter klass=”Jenks” ignorerades: välj Kvantiler, Lika breda intervall eller "
                "Naturliga brytpunkter. Kvantiler används.",
                "antal": "Adressens parameter antal=”9” ignorerades: välj 3, 4 eller 5 klasser. 5 används.",
            },
        ),
    ],
)
def test_param_notices_name_what_the_address_asked_for_that_the_map_cannot_show(dataset, params, notices):
    assert mv.param_notices(params, dataset) == notices
