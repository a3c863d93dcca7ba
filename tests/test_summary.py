"""Facts about the data as a whole: the share of example values the banners and the data status show."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.model import EXAMPLE_SOURCE, make_dataset
from analysis.measures.summary import data_status, example_mask, example_share, uncertain_mask

SOURCES = [EXAMPLE_SOURCE, "Härlett exempelvärde (fiktivt) ur fokusområdena", "https://www.scb.se/", "SCB", ""]


def observations(sources: list[str]) -> pd.DataFrame:
    """One value per source, Berga 2020–."""
    return pd.DataFrame(
        {
            "area": "Berga",
            "indicator": "forvarv",
            "year": range(2020, 2020 + len(sources)),
            "sex": "Totalt",
            "value": 1.0,
            "source": sources,
            "note": "",
        }
    )


@pytest.mark.parametrize("categorical", [False, True])
def test_example_mask_applies_the_one_rule_to_every_row(categorical):
    obs = observations(SOURCES)
    if categorical:
        obs = obs.astype({"source": "category"})
    assert example_mask(obs).tolist() == [True, True, False, False, False]


def test_example_share_counts_derived_example_values():
    assert example_share(observations(SOURCES)) == pytest.approx(2 / 5)
    assert example_share(observations(["Härlett exempelvärde"])) == 1.0
    assert example_share(observations([])) == 0.0


def test_data_status_shows_the_share_with_derived_examples():
    ds = make_dataset(observations=observations(SOURCES))
    status = data_status(ds, pd.DataFrame(columns=["version", "created_at", "user", "file_name"]))
    assert status.example_share == pytest.approx(2 / 5)
    assert status.n_values == 5 and status.first_year == 2020 and status.last_year == 2024


@pytest.mark.parametrize("categorical", [False, True])
def test_uncertain_mask_applies_the_one_rule_to_every_row(categorical):
    obs = observations(["SCB"] * 4).assign(
        note=["Osäkert värde: bygger på få personer", "", "Preliminärt", "Få personer"]
    )
    if categorical:
        obs = obs.astype({"note": "category"})
    assert uncertain_mask(obs).tolist() == [True, False, False, True]
