"""Swedish sentences: units, grammar, number format, missing data, no judgement for neutral indicators."""

from __future__ import annotations

import pytest

from analysis.compare import GapCount, compare_indicator
from analysis.model import HIGHER, LOWER, NEUTRAL
from analysis.narrative import (
    area_summary_sentence,
    change_sentence,
    in_text,
    indicator_sentence,
    level_sentence,
    sex_sentence,
)
from tests.test_compare import obs

FV = {"name": "Förvärvsfrekvens 20–64 år", "unit": "procent", "decimals": 1, "definite": "förvärvsfrekvensen"}


def row_for(o, meta: dict, direction: str, area: str = "Skäggetorp", ref: str = "Övriga Linköping", baseline: int = 2020) -> dict:
    """A comparison row as comparison_table produces it."""
    c = compare_indicator(o, "x", meta["unit"], direction, area, ref, baseline)
    return {**c.__dict__, **meta, "direction": direction}


def test_the_example_sentence_from_the_issue():
    o = obs([("Skäggetorp", "x", 2020, 50.0), ("Övriga Linköping", "x", 2020, 80.3),
             ("Skäggetorp", "x", 2023, 52.3), ("Övriga Linköping", "x", 2023, 79.4)])
    row = row_for(o, FV, HIGHER)
    assert indicator_sentence(row, "Skäggetorp", "Övriga Linköping", 2020) == (
        "Förvärvsfrekvensen i Skäggetorp var 52,3 procent 2023, 27,1 procentenheter lägre än i övriga Linköping. "
        "Skillnaden har minskat med 3,2 procentenheter sedan 2020."
    )


def test_name_is_used_with_a_colon_when_no_definite_form_is_given():
    o = obs([("S", "x", 2023, 52.3), ("R", "x", 2023, 52.3)])
    row = row_for(o, {**FV, "definite": ""}, HIGHER, "S", "R")
    assert level_sentence(row, "S", "R") == "Förvärvsfrekvens 20–64 år: 52,3 procent i S 2023, samma nivå som i R."


def test_relative_gap_in_percent_with_thousands_separator():
    o = obs([("S", "x", 2020, 240_000), ("R", "x", 2020, 400_000), ("S", "x", 2022, 280_800), ("R", "x", 2022, 445_700)])
    meta = {"name": "Medianinkomst", "unit": "kronor", "decimals": 0, "definite": "medianinkomsten"}
    text = indicator_sentence(row_for(o, meta, HIGHER, "S", "R"), "S", "R", 2020)
    # 2020: 240/400 - 1 = -40 %; 2022: 280 800 / 445 700 - 1 = -37,0 %; the distance shrank by 3 > 3 % of 40 = 1,2
    assert text == ("Medianinkomsten i S var 280\u00a0800 kronor 2022, 37 procent lägre än i R. "
                    "Skillnaden har minskat från 40 till 37 procent sedan 2020.")


def test_counts_get_no_gap_but_their_change():
    o = obs([("S", "x", 2020, 10_000), ("R", "x", 2020, 150_000), ("S", "x", 2024, 10_132), ("R", "x", 2024, 151_000)])
    meta = {"name": "Folkmängd", "unit": "antal", "decimals": 0, "definite": "folkmängden"}
    text = indicator_sentence(row_for(o, meta, NEUTRAL, "S", "R"), "S", "R", 2020)
    assert text == "Folkmängden i S var 10\u00a0132 år 2024. Det är 132 (1,3 procent) fler än 2020."


def test_unchanged_gap_and_singular_procentenhet():
    o = obs([("S", "x", 2020, 20.0), ("R", "x", 2020, 50.0), ("S", "x", 2024, 20.2), ("R", "x", 2024, 50.0)])
    row = row_for(o, {**FV, "decimals": 0}, HIGHER, "S", "R")
    assert change_sentence(row, "S", "R", 2020) == "Skillnaden är i stort sett oförändrad sedan 2020."
    o = obs([("S", "x", 2020, 20.0), ("R", "x", 2020, 50.0), ("S", "x", 2024, 21.0), ("R", "x", 2024, 50.0)])
    row = row_for(o, {**FV, "decimals": 0}, HIGHER, "S", "R")
    assert change_sentence(row, "S", "R", 2020) == "Skillnaden har minskat med 1 procentenhet sedan 2020."


def test_crossing_the_reference_is_said_as_such():
    o = obs([("S", "x", 2020, 8.0), ("R", "x", 2020, 10.0), ("S", "x", 2024, 12.0), ("R", "x", 2024, 10.0)])
    row = row_for(o, {**FV, "definite": "arbetslösheten"}, LOWER, "S", "R")
    assert change_sentence(row, "S", "R", 2020) == "2020 låg S lägre än R; nu ligger S högre."


@pytest.mark.parametrize("rows, expected", [
    ([], "Det finns inga uppgifter om förvärvsfrekvensen i Berga."),
    ([("Berga", "x", 2023, 61.0)], "Förvärvsfrekvensen i Berga var 61,0 procent 2023. Uppgift för övriga Linköping saknas för 2023."),
])
def test_missing_data_is_said_plainly(rows, expected):
    o = obs(rows) if rows else obs([("Annat", "x", 2023, 1.0)])
    row = row_for(o, FV, HIGHER, "Berga")
    assert level_sentence(row, "Berga", "Övriga Linköping") == expected


def test_missing_baseline_is_said_plainly():
    o = obs([("S", "x", 2023, 61.0), ("R", "x", 2023, 80.0)])
    assert change_sentence(row_for(o, FV, HIGHER, "S", "R"), "S", "R", 2020) == (
        "Uppgifter för 2020 saknas, så utvecklingen sedan dess kan inte beskrivas.")


def test_election_year_baseline_and_neutral_indicators_have_no_judgement():
    o = obs([("S", "x", 2018, 60.0), ("R", "x", 2018, 85.0), ("S", "x", 2022, 57.7), ("R", "x", 2022, 85.7)])
    text = indicator_sentence(row_for(o, FV, NEUTRAL, "S", "R"), "S", "R", 2020)
    assert "sedan 2018" in text
    for word in ("bättre", "sämre", "förbättring", "försämring", "positiv", "negativ"):
        assert word not in text


def test_sex_sentence_and_in_text():
    row = {"unit": "procent", "decimals": 1, "women": 48.05, "men": 56.4}
    assert sex_sentence(row) == "Bland kvinnor var värdet 48,1 procent och bland män 56,4 procent."
    assert sex_sentence({"unit": "procent", "decimals": 1, "women": None, "men": 3.0}) == ""
    assert in_text("Övriga Linköping") == "övriga Linköping" and in_text("Linköping") == "Linköping"


def test_area_summary():
    text = area_summary_sentence("Skäggetorp", "Övriga Linköping", GapCount(9, 3, 4), 2020)
    assert text == ("I Skäggetorp har skillnaden mot övriga Linköping minskat för 9 av 16 indikatorer sedan 2020, "
                    "ökat för 4 och är i stort sett oförändrad för 3.")
