"""Whether an indicator's figures are current (analysis/measures/freshness.py), worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.core.model import make_dataset
from analysis.measures.freshness import (
    CURRENT,
    DUE,
    STALE,
    UNKNOWN,
    Freshness,
    freshness_headline,
    freshness_status,
    freshness_table,
    indicator_freshness,
)

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("latest", "lag", "status"),
    [
        (2024, 2, CURRENT),  # 2025's figure is published during 2027
        (2024, 1, DUE),  # 2025's figure is published during 2026: due this year
        (2024, 0, STALE),  # 2025's figure came out during 2025
        (2021, 1, STALE),  # 2022's figure came out during 2023
        (2025, 0, DUE),
        (2026, 0, CURRENT),
        (None, 1, UNKNOWN),  # no figure loaded
        (2020, None, UNKNOWN),  # no publication lag in the catalogue: nothing is claimed
    ],
)
def test_status_by_latest_year_and_lag(latest, lag, status):
    assert freshness_status(latest, lag, TODAY) == status


def test_sentences():
    stale = Freshness("x", "Meritvärde", 2021, 1, STALE)
    assert stale.next_expected == 2023
    assert stale.sentence() == "Senaste värde 2021, nyare finns normalt från 2023."
    due = Freshness("y", "Folkmängd", 2024, 1, DUE)
    assert due.sentence() == "Senaste värde 2024; värdet för 2025 väntas under 2026."
    assert Freshness("z", "Z", 2024, 2, CURRENT).sentence() == ""
    assert Freshness("z", "Z", None, None, UNKNOWN).next_expected is None


def test_indicator_freshness_reads_the_latest_year_with_a_value_over_all_areas():
    ds = make_dataset(
        indicators=pd.DataFrame(
            [
                {"id": "a", "name": "A", "lag_years": 0},
                {"id": "b", "name": "B", "lag_years": 1},
                {"id": "c", "name": "C"},
            ]
        ),
        observations=pd.DataFrame(
            [
                {"area": "Berga", "indicator": "a", "year": 2023, "sex": "Totalt", "value": 1.0},
                {"area": "Ryd", "indicator": "a", "year": 2024, "sex": "Totalt", "value": 2.0},
                {
                    "area": "Ryd",
                    "indicator": "a",
                    "year": 2025,
                    "sex": "Totalt",
                    "value": None,
                },  # suppressed: no figure
                {"area": "Ryd", "indicator": "b", "year": 2024, "sex": "Totalt", "value": 3.0},
                {"area": "Ryd", "indicator": "c", "year": 2010, "sex": "Totalt", "value": 3.0},
            ]
        ),
    )
    got = {f.indicator: (f.latest_year, f.lag_years, f.status) for f in indicator_freshness(ds, TODAY)}
    assert got == {"a": (2024, 0, STALE), "b": (2024, 1, DUE), "c": (2010, None, UNKNOWN)}
    table = freshness_table(indicator_freshness(ds, TODAY))
    assert table["Indikator"].tolist() == ["A", "B"]  # out of date first, current and unknown left out
    assert table["Nästa värde väntas"].tolist() == [2025, 2026]
    fetches = pd.DataFrame(
        [
            {"indicator": "b", "table": "TAB1", "api": "PxWeb v2"},
            {"indicator": "b", "table": "N0001", "api": "Kolada"},
            {"indicator": "c", "table": "TAB2", "api": "PxWeb v2"},
        ]
    )
    with_sources = freshness_table(indicator_freshness(ds, TODAY), fetches)
    assert with_sources["Hämtas från"].tolist() == ["–", "TAB1 (PxWeb v2); N0001 (Kolada)"]
    assert "Hämtas från" not in table.columns


def test_the_default_data_flags_what_a_strategist_should_update(dataset):
    items = {f.indicator: f for f in indicator_freshness(dataset, TODAY)}
    assert items["meritvarde"].status == STALE  # example series end 2024; Skolverket publishes the same year
    assert items["folkmangd"].status == DUE
    assert items["forvarvsfrekvens"].status == CURRENT
    assert items["valdeltagande_kommunval"].status == UNKNOWN  # elections: no yearly rhythm to claim


@pytest.mark.parametrize(
    ("statuses", "headline"),
    [
        ([STALE], "Dags att uppdatera: 1 indikator har nyare värden ute, 0 väntas i år"),
        ([STALE, STALE, DUE], "Dags att uppdatera: 2 indikatorer har nyare värden ute, 1 väntas i år"),
        ([DUE, CURRENT, UNKNOWN], "Dags att uppdatera: 0 indikatorer har nyare värden ute, 1 väntas i år"),
    ],
)
def test_headline_counts_in_swedish(statuses, headline):
    items = [Freshness(str(i), str(i), 2024, 1, s) for i, s in enumerate(statuses)]
    assert freshness_headline(items) == headline
