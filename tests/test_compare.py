"""Comparison logic on small hand-made cases: gaps, verdicts, latest and baseline years, trends."""

from __future__ import annotations

import gc
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

import analysis.measures.compare as compare_module
from analysis.core.model import HIGHER, LOWER, NEUTRAL, make_dataset
from analysis.measures.compare import (
    baseline_year_for,
    compare_indicator,
    comparison_table,
    favourable_gap,
    gap_counts,
    index_to_reference,
    latest_year,
    reference_choices,
    series,
    series_index,
    trend_per_year,
)
from analysis.measures.verdicts import BETTER, CLOSING, PCT, PP, UNIT_GAP, WIDENING, Rule, gap_to_reference, rule_for

FV = {"unit": "procent", "direction": HIGHER, "decimals": 1}


def obs(rows: list[tuple]) -> pd.DataFrame:
    """Observations from (area, indicator, year, value[, sex[, source]]) tuples."""
    out = []
    for r in rows:
        area, ind, year, value = r[:4]
        sex = r[4] if len(r) > 4 else "Totalt"
        source = r[5] if len(r) > 5 else "SCB"
        out.append(
            {"area": area, "indicator": ind, "year": year, "sex": sex, "value": value, "source": source, "note": ""}
        )
    return make_dataset(observations=pd.DataFrame(out)).observations


@pytest.mark.parametrize(
    "value, ref, measure, expected",
    [
        (52.3, 79.4, PP, -27.1),
        (79.4, 52.3, PP, 27.1),
        (300_000, 400_000, PCT, -25.0),
        (30.6, 15.3, PCT, 100.0),
        (30.6, 15.3, UNIT_GAP, 15.3),  # days: the gap is in days
        (5.0, 0.0, PP, 5.0),  # a difference is defined for a zero reference
        (5.0, 0.0, PCT, None),  # a relative gap is not
        (None, 10.0, PP, None),
        (10.0, float("nan"), PP, None),
        (10_000, 150_000, "", None),  # counts of areas of different size are not compared
    ],
)
def test_gap_to_reference(value, ref, measure, expected):
    got = gap_to_reference(value, ref, measure)
    assert (got is None) if expected is None else got == pytest.approx(expected)


def test_index_and_favourable_gap():
    assert index_to_reference(52.3, 79.4) == pytest.approx(65.869, abs=1e-3)
    assert index_to_reference(1.0, 0.0) is None
    assert favourable_gap(-27.1, HIGHER) == -27.1  # lower employment than reference: unfavourable
    assert favourable_gap(16.5, LOWER) == -16.5  # higher unemployment: unfavourable
    assert favourable_gap(43.0, NEUTRAL) is None


def test_latest_year_and_missing_years():
    o = obs([("A", "x", 2019, 1.0), ("A", "x", 2020, None), ("A", "x", 2021, 3.0), ("A", "x", 2022, None)])
    s = series(o, "A", "x")
    assert list(s.index) == [2019, 2021]  # missing values are not data
    assert latest_year(s) == 2021
    assert latest_year(series(o, "B", "x")) is None


@pytest.mark.parametrize(
    "years, baseline, expected",
    [
        ([2018, 2019, 2020, 2021], 2020, 2020),
        ([2014, 2018, 2022], 2020, 2018),  # four-year (election) indicator
        ([2015, 2021, 2022], 2020, None),  # nothing within the four-year lookback before 2020 … except 2016-2020
        ([2016, 2021], 2020, 2016),
        ([2021, 2022], 2020, None),
    ],
)
def test_baseline_year(years, baseline, expected):
    s = pd.Series([1.0] * len(years), index=years)
    assert baseline_year_for(s, baseline) == expected


def test_trend_is_least_squares_slope_over_last_years():
    s = pd.Series([10.0, 11.0, 13.0, 12.0, 14.0, 15.0, 17.0], index=range(2018, 2025))
    # last five years 2020–2024: 13, 12, 14, 15, 17 -> slope 11 / 10 = 1.1 by hand:
    # x̄ = 2022, ȳ = 14.2; Σ(x-x̄)(y-ȳ) = (-2)(-1.2)+(-1)(-2.2)+0+(1)(0.8)+(2)(2.8) = 2.4+2.2+0.8+5.6 = 11; Σ(x-x̄)² = 10
    assert trend_per_year(s) == pytest.approx(1.1)
    assert trend_per_year(pd.Series([1.0, 2.0], index=[2023, 2024])) is None
    # four-year indicator: only 2018 and 2022 within five years of 2022 -> too few points
    assert trend_per_year(pd.Series([80.0, 82.0, 84.0], index=[2014, 2018, 2022])) is None


def test_compare_indicator_full_case():
    o = obs(
        [
            ("Skäggetorp", "fv", 2020, 50.0),
            ("Skäggetorp", "fv", 2023, 52.3),
            ("Skäggetorp", "fv", 2024, 53.0),
            ("Övriga", "fv", 2020, 80.0),
            ("Övriga", "fv", 2023, 79.4),  # reference has no 2024 value yet
            ("Skäggetorp", "fv", 2023, 48.0, "Kvinnor"),
            ("Skäggetorp", "fv", 2023, 56.6, "Män"),
        ]
    )
    c = compare_indicator(o, "fv", rule_for(FV), "Skäggetorp", "Övriga", 2020)
    assert c.year == 2023  # the latest year both have, so the gap compares like with like
    assert c.value == 52.3 and c.reference_value == 79.4
    assert c.gap == pytest.approx(-27.1)
    assert c.baseline_year == 2020 and c.baseline_gap == pytest.approx(-30.0)
    assert c.gap_change == pytest.approx(27.1 - 30.0)
    assert c.gap_verdict == CLOSING and c.value_verdict == BETTER
    assert c.value_change == pytest.approx(2.3)
    assert c.sex_gap == pytest.approx(48.0 - 56.6)
    assert c.is_example is False


def test_compare_indicator_reference_missing_and_example_flag():
    o = obs([("A", "x", 2022, 5.0, "Totalt", "Exempelvärde (fiktivt)")])
    c = compare_indicator(o, "x", Rule("procent", LOWER), "A", "Ref", 2020)
    assert c.year == 2022 and c.value == 5.0
    assert c.reference_value is None and c.gap is None and c.gap_verdict is None
    assert c.baseline_year is None  # no baseline within four years before 2020
    assert c.is_example is True


def test_zero_reference_for_relative_gap():
    o = obs([("A", "k", 2020, 10.0), ("R", "k", 2020, 0.0), ("A", "k", 2023, 12.0), ("R", "k", 2023, 0.0)])
    c = compare_indicator(o, "k", rule_for({"unit": "kronor", "direction": HIGHER, "decimals": 0}), "A", "R", 2020)
    assert c.gap is None and c.index is None and c.gap_verdict is None
    assert c.value_verdict == BETTER


def test_comparison_table_and_counts():
    ds = make_dataset(
        indicators=pd.DataFrame(
            [
                {
                    "id": "fv",
                    "name": "Förvärvsfrekvens",
                    "theme": "arbete",
                    "unit": "procent",
                    "direction": HIGHER,
                    "decimals": 1,
                },
                {
                    "id": "ut",
                    "name": "Utrikes födda",
                    "theme": "befolkning",
                    "unit": "procent",
                    "direction": NEUTRAL,
                    "decimals": 1,
                },
                {
                    "id": "al",
                    "name": "Arbetslöshet",
                    "theme": "arbete",
                    "unit": "procent",
                    "direction": LOWER,
                    "decimals": 1,
                },
                {
                    "id": "tom",
                    "name": "Utan data",
                    "theme": "arbete",
                    "unit": "procent",
                    "direction": LOWER,
                    "decimals": 1,
                },
            ]
        ),
        observations=obs(
            [
                ("S", "fv", 2020, 50.0),
                ("S", "fv", 2024, 55.0),
                ("R", "fv", 2020, 80.0),
                ("R", "fv", 2024, 80.0),
                ("S", "ut", 2020, 50.0),
                ("S", "ut", 2024, 55.0),
                ("R", "ut", 2020, 15.0),
                ("R", "ut", 2024, 15.0),
                ("S", "al", 2020, 10.0),
                ("S", "al", 2024, 14.0),
                ("R", "al", 2020, 3.0),
                ("R", "al", 2024, 3.0),
                ("K", "fv", 2024, 78.0),
            ]
        ),
    )
    t = comparison_table(ds, "S", "R", 2020, municipality="K")
    assert t["indicator"].tolist() == ["fv", "ut", "al"]  # catalogue order, no row without data
    assert t["gap_verdict"].tolist()[0] == CLOSING and t["gap_verdict"].tolist()[2] == WIDENING
    assert pd.isna(t["gap_verdict"].tolist()[1])  # neutral: no verdict
    assert t["municipality_value"].tolist()[0] == 78.0
    assert t["gap_unit"].unique().tolist() == ["procentenheter"]
    counts = gap_counts(t)
    assert (counts.closing, counts.steady, counts.widening, counts.total) == (1, 0, 1, 2)


def test_reference_choices_order():
    ds = make_dataset(
        areas=pd.DataFrame(
            [
                {"name": "Riket", "type": "Riket"},
                {"name": "Linköping", "type": "Kommun"},
                {"name": "S", "type": "Fokusområde"},
                {"name": "Övriga Linköping", "type": "Jämförelse"},
            ]
        )
    )
    assert reference_choices(ds) == ["Övriga Linköping", "Linköping", "Riket"]


def test_example_years_of_a_series_skip_missing_values_and_other_series():
    frame = obs(
        [
            ("Berga", "a", 2019, 1.0, "Totalt", "Exempelvärde (fiktivt)"),
            ("Berga", "a", 2020, 2.0, "Totalt", "SCB"),
            ("Berga", "a", 2021, None, "Totalt", "Exempelvärde (fiktivt)"),  # missing: not a shown example
            ("Berga", "a", 2022, 4.0, "Totalt", "exempelvärde"),
            ("Berga", "a", 2022, 4.0, "Kvinnor", "Exempelvärde (fiktivt)"),
            ("Ryd", "a", 2020, 3.0, "Totalt", "Exempelvärde (fiktivt)"),
        ]
    )
    index = series_index(frame)
    assert index.example_years("Berga", "a") == {2019, 2022}
    assert index.example_years("Berga", "a", "Kvinnor") == {2022}
    assert index.example_years("Ryd", "a") == {2020}
    assert index.example_years("Skäggetorp", "a") == set()


# --- the series index cache: one index per live frame, safe across threads ----------------------------------------


def _observations() -> pd.DataFrame:
    """Two values of one series."""
    return pd.DataFrame(
        {
            "area": ["Berga", "Berga"],
            "indicator": ["x", "x"],
            "year": [2020, 2021],
            "sex": ["Totalt", "Totalt"],
            "value": [1.0, 2.0],
            "source": ["SCB", "SCB"],
        }
    )


def test_threads_asking_at_once_share_one_index():
    frame = _observations()
    barrier = threading.Barrier(8)

    def ask(_: int) -> object:
        """One session's request, started together with the others."""
        barrier.wait()
        return compare_module.series_index(frame)

    with ThreadPoolExecutor(8) as pool:
        indexes = list(pool.map(ask, range(8)))
    assert all(i is indexes[0] for i in indexes)
    assert indexes[0].get("Berga", "x").tolist() == [1.0, 2.0]


def test_a_dead_frame_leaves_the_cache_and_never_removes_a_newer_entry():
    frame = _observations()
    compare_module.series_index(frame)
    key = id(frame)
    assert key in compare_module._INDEXES
    del frame
    gc.collect()
    assert key not in compare_module._INDEXES
    # A frame that got the id of a dead one: the dead frame's late callback must not drop the new entry.
    newer = _observations()
    index = compare_module.series_index(newer)
    stale_ref = weakref.ref(_observations())  # a reference that is not the entry's
    compare_module._forget_index(id(newer), stale_ref)
    assert compare_module.series_index(newer) is index


def test_an_equal_but_different_frame_gets_its_own_index():
    a, b = _observations(), _observations()
    assert compare_module.series_index(a) is not compare_module.series_index(b)
    assert compare_module.series_index(a) is compare_module.series_index(a)


SERIES_2018_2024 = [
    ("Skäggetorp", "fv", year, value)
    for year, value in zip(range(2018, 2025), (50.0, 51.0, 52.0, 56.0, 57.0, 58.5, 60.0))
] + [
    ("Övriga", "fv", year, value) for year, value in zip(range(2018, 2025), (80.0, 80.0, 80.5, 82.0, 82.0, 82.0, 82.5))
]


@pytest.mark.parametrize(
    "rows, breaks, baseline_year, series_break, missing, trend",
    [
        # No break: from 2020; the trend is fitted on all of the last years.
        (SERIES_2018_2024, (), 2020, None, "", None),
        # A break before the baseline changes nothing.
        (SERIES_2018_2024, (2019,), 2020, None, "", None),
        (SERIES_2018_2024, (2020,), 2020, None, "", None),
        # A break in 2022: changes start at 2022 (57,0 against 82,0), the trend on 2022–2024 (slope 1,5 per year).
        (SERIES_2018_2024, (2022,), 2022, 2022, "", 1.5),
        # Two breaks: the later one counts.
        (SERIES_2018_2024, (2021, 2023), 2023, 2023, "", None),
        # A break in the latest year leaves nothing comparable before it.
        (SERIES_2018_2024, (2024,), None, 2024, "break", None),
        # The baseline found by looking back (2018) lies before a 2019 break: the first comparable year is 2021.
        ([r for r in SERIES_2018_2024 if r[2] not in (2019, 2020)], (2019,), 2021, 2019, "", None),
    ],
)
def test_a_series_break_moves_the_baseline_to_the_first_comparable_year(
    rows, breaks, baseline_year, series_break, missing, trend
):
    c = compare_indicator(obs(rows), "fv", rule_for(FV), "Skäggetorp", "Övriga", 2020, breaks=breaks)
    assert (c.year, c.baseline_year, c.series_break, c.baseline_missing) == (2024, baseline_year, series_break, missing)
    if baseline_year == 2022:
        assert c.baseline_gap == pytest.approx(57.0 - 82.0) and c.gap == pytest.approx(60.0 - 82.5)
        assert c.value_change == pytest.approx(3.0) and c.gap_change == pytest.approx(22.5 - 25.0)
    if missing:
        assert c.gap_verdict is None and c.value_verdict is None and c.value_change is None
    if trend is not None:
        assert c.trend == pytest.approx(trend)


def test_a_value_on_few_persons_is_never_compared():
    few = "Osäkert värde: bygger på få personer"
    rows = obs(
        [
            ("Skäggetorp", "fv", 2020, 50.0),
            ("Skäggetorp", "fv", 2023, 52.0),
            ("Övriga", "fv", 2020, 80.0),
            ("Övriga", "fv", 2023, 79.0),
            ("Övriga", "fv", 2024, 79.5),
        ]
    )
    uncertain = obs([("Skäggetorp", "fv", 2024, 30.0)]).assign(note=few)
    data = pd.concat([rows, uncertain], ignore_index=True)
    c = compare_indicator(data, "fv", rule_for(FV), "Skäggetorp", "Övriga", 2020)
    # 2024's 30,0 rests on few persons: the latest comparable year is 2023, 52,0 against 79,0.
    assert (c.year, c.value, c.gap) == (2023, 52.0, pytest.approx(-27.0))
    assert list(series(data, "Skäggetorp", "fv").index) == [2020, 2023]


def test_the_groups_an_area_has_for_an_indicator():
    data = obs(
        [
            ("Berga", "fv", 2023, 60.0),
            ("Berga", "fv", 2023, 45.0, "Utrikes födda"),
            ("Berga", "fv", 2023, 70.0, "Inrikes födda"),
            ("Ryd", "fv", 2023, 50.0, "Kvinnor"),
        ]
    )
    index = series_index(data)
    assert sorted(index.groups("Berga", "fv")) == ["Inrikes födda", "Totalt", "Utrikes födda"]
    assert index.groups("Ryd", "fv") == ["Kvinnor"] and index.groups("Ryd", "al") == []
