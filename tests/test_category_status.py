"""What categorical indicators say: an area's områdestyp over time, never a gap, and the city count."""

from __future__ import annotations

import pandas as pd

from analysis.core.model import NEUTRAL, make_dataset
from analysis.measures.category_status import (
    area_categories,
    categories_in_year,
    category_summary,
    city_count_sentence,
    grouping_indicator,
)
from analysis.measures.compare import comparison_table
from analysis.measures.verdicts import rule_for
from tests.test_categories import TYPES
from tests.test_compare import obs


def area_types(rows: list[tuple], areas: list[dict] | None = None):
    """A dataset with the områdestyp indicator and population, for focus areas and RegSO of type Övrigt."""
    return make_dataset(
        areas=pd.DataFrame(
            areas
            or [
                {"name": "Skäggetorp", "type": "Fokusområde"},
                {"name": "Ryd", "type": "Fokusområde"},
                {"name": "Övriga Linköping", "type": "Jämförelse"},
                {"name": "Lambohov", "type": "Övrigt"},
                {"name": "Innerstaden", "type": "Övrigt"},
            ]
        ),
        indicators=pd.DataFrame(
            [
                {
                    "id": "omradestyp",
                    "name": "Områdestyp",
                    "theme": "befolkning",
                    "unit": "kategori",
                    "direction": NEUTRAL,
                    "categories": TYPES,
                },
                {"id": "folkmangd", "name": "Folkmängd", "theme": "befolkning", "unit": "antal", "direction": NEUTRAL},
            ]
        ),
        observations=obs(rows),
    )


def test_an_areas_type_since_when_and_before():
    data = area_types(
        [
            ("Ryd", "omradestyp", 2018, 3.0),
            ("Ryd", "omradestyp", 2019, 3.0),
            ("Ryd", "omradestyp", 2020, 2.0, "Totalt", "Exempelvärde (fiktivt)"),
            ("Ryd", "omradestyp", 2021, 2.0),
            ("Skäggetorp", "omradestyp", 2019, 1.0),
            ("Skäggetorp", "omradestyp", 2021, 1.0),
        ]
    )
    [ryd] = area_categories(data, "Ryd")
    assert (ryd.year, ryd.code, ryd.since, ryd.previous_year) == (2021, 2, 2020, 2019)
    assert ryd.sentence() == (
        "Områdestyp: 2 – Områden med socioekonomiska utmaningar (2021, sedan 2020). "
        "2019: 3 – Socioekonomiskt blandade områden."
    )
    assert ryd.is_example  # the first year of the run is an example value
    [skaggetorp] = area_categories(data, "Skäggetorp")
    assert skaggetorp.sentence() == (
        "Områdestyp: 1 – Områden med stora socioekonomiska utmaningar (2021; samma sedan 2019, det första året med "
        "uppgift)."
    )
    assert not skaggetorp.is_example
    assert area_categories(data, "Lambohov") == []


def test_a_category_is_never_a_gap_or_a_verdict():
    data = area_types([("Ryd", "omradestyp", 2021, 2.0), ("Övriga Linköping", "omradestyp", 2021, 4.0)])
    assert rule_for({"unit": "kategori"}).gap_measure == ""
    assert "omradestyp" not in set(comparison_table(data, "Ryd", "Övriga Linköping", 2020)["indicator"])


def test_the_city_count_over_focus_areas_and_regso_with_population():
    rows = [
        ("Skäggetorp", "omradestyp", 2023, 1.0),
        ("Ryd", "omradestyp", 2023, 2.0),
        ("Lambohov", "omradestyp", 2023, 3.0),
        ("Innerstaden", "omradestyp", 2023, 5.0),
        ("Innerstaden", "omradestyp", 2022, 1.0),  # an older year does not count
        ("Övriga Linköping", "omradestyp", 2023, 1.0),  # the reference area is no part of the count
        ("Skäggetorp", "folkmangd", 2023, 10000),
        ("Ryd", "folkmangd", 2023, 8000),
        ("Lambohov", "folkmangd", 2023, 12000),
        ("Innerstaden", "folkmangd", 2023, 30000),
    ]
    data = area_types(rows)
    meta = data.indicators.iloc[0].to_dict()
    # 2 of 4 are type 1–2; they have 18 000 of 60 000 inhabitants: 30 %.
    assert city_count_sentence(data, meta) == (
        "2 av 4 områden med områdestyp 2023 är typ 1–2; där bor 30\u00a0% av invånarna i dessa områden."
    )
    assert city_count_sentence(data, meta, codes=(5,)) == (
        "1 av 4 områden med områdestyp 2023 är typ 5; där bor 50\u00a0% av invånarna i dessa områden."
    )
    # Without a population for every area the share is left out rather than guessed.
    without = area_types([r for r in rows if r[:2] != ("Lambohov", "folkmangd")])
    assert city_count_sentence(without, meta) == "2 av 4 områden med områdestyp 2023 är typ 1–2."
    # Only the focus areas have a type: the count would repeat their cards.
    only_focus = area_types([r for r in rows if r[0] in ("Skäggetorp", "Ryd")])
    assert city_count_sentence(only_focus, meta) == ""


def test_the_grouping_indicator_needs_a_value_for_a_city_part():
    assert grouping_indicator(area_types([("Övriga Linköping", "omradestyp", 2021, 4.0)])) is None
    assert grouping_indicator(area_types([("Lambohov", "omradestyp", 2021, 4.0)]))["id"] == "omradestyp"


def test_each_areas_category_is_its_latest_up_to_the_year():
    data = area_types(
        [
            ("Lambohov", "omradestyp", 2018, 3.0),
            ("Lambohov", "omradestyp", 2021, 4.0),
            ("Ryd", "omradestyp", 2019, 2.0),
            ("Skäggetorp", "omradestyp", 2023, 1.0),  # after the year: not known then
        ]
    )
    assert categories_in_year(data, "omradestyp", 2020).to_dict() == {"Lambohov": 3, "Ryd": 2}
    assert categories_in_year(data, "omradestyp", 2023).to_dict() == {"Lambohov": 4, "Ryd": 2, "Skäggetorp": 1}


def test_the_summary_per_category_counts_only_areas_with_a_value():
    bars = pd.DataFrame(
        {
            "area": ["Skäggetorp", "Berga", "Ryd", "Lambohov", "Innerstaden", "Vallastaden"],
            "value": [40.0, 50.0, float("nan"), 70.0, 80.0, 75.0],
        }
    )
    codes = pd.Series({"Skäggetorp": 1, "Berga": 1, "Ryd": 1, "Lambohov": 4, "Innerstaden": 4})
    meta = {"name": "Områdestyp", "categories": TYPES}
    table = category_summary(bars, codes, meta)
    assert table.values.tolist() == [
        ["1 – Områden med stora socioekonomiska utmaningar", 2, 45.0, 40.0, 50.0],
        ["4 – Områden med goda socioekonomiska förutsättningar", 2, 75.0, 70.0, 80.0],
        ["Utan områdestyp", 1, 75.0, 75.0, 75.0],
    ]
