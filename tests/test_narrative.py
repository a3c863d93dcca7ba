"""Swedish sentences: units, grammar, number format, missing data, no judgement for neutral indicators.

Every expected sentence is written out by hand from the numbers in its case.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.model import HIGHER, LOWER, NEUTRAL
from analysis.measures.compare import GapCount, compare_indicator
from analysis.measures.narrative import (
    area_summary_sentence,
    change_sentence,
    group_sentence,
    in_text,
    indicator_sentence,
    level_sentence,
    price_sentence,
    sex_sentence,
)
from analysis.measures.verdicts import rule_for
from tests.test_compare import obs

FV = {"name": "Förvärvsfrekvens 20–64 år", "unit": "procent", "decimals": 1, "definite": "förvärvsfrekvensen"}
OH = {"name": "Ohälsotal", "unit": "dagar", "decimals": 1, "definite": "ohälsotalet"}
INCOME = {"name": "Medianinkomst", "unit": "kronor", "decimals": 0, "definite": "medianinkomsten"}


def row_for(
    o,
    meta: dict,
    direction: str,
    area: str = "Skäggetorp",
    ref: str = "Övriga Linköping",
    baseline: int = 2020,
    kpi: pd.Series | None = None,
) -> dict:
    """A comparison row as comparison_table produces it."""
    rule = rule_for({**meta, "direction": direction})
    c = compare_indicator(o, "x", rule, area, ref, baseline, kpi=kpi)
    return {
        **c.__dict__,
        **meta,
        "direction": direction,
        "gap_measure": rule.gap_measure,
        "gap_unit": rule.gap_unit,
        "gap_decimals": rule.gap_decimals,
        "threshold": rule.threshold,
    }


def test_the_example_sentence_from_the_issue():
    o = obs(
        [
            ("Skäggetorp", "x", 2020, 50.0),
            ("Övriga Linköping", "x", 2020, 80.3),
            ("Skäggetorp", "x", 2023, 52.3),
            ("Övriga Linköping", "x", 2023, 79.4),
        ]
    )
    row = row_for(o, FV, HIGHER)
    # gap 2020: 50,0 - 80,3 = -30,3; 2023: 52,3 - 79,4 = -27,1; closer by 3,2 procentenheter (>= 1)
    assert indicator_sentence(row, "Skäggetorp", "Övriga Linköping", 2020) == (
        "Förvärvsfrekvensen i Skäggetorp var 52,3 procent 2023, 27,1 procentenheter lägre än i övriga Linköping. "
        "Skillnaden har minskat med 3,2 procentenheter sedan 2020."
    )


def test_name_is_used_with_a_colon_when_no_definite_form_is_given():
    o = obs([("S", "x", 2023, 52.3), ("R", "x", 2023, 52.3)])
    row = row_for(o, {**FV, "definite": ""}, HIGHER, "S", "R")
    assert level_sentence(row, "S", "R") == "Förvärvsfrekvens 20–64 år: 52,3 procent i S 2023, samma nivå som i R."


def test_relative_gap_in_percent_with_thousands_separator():
    o = obs(
        [("S", "x", 2020, 240_000), ("R", "x", 2020, 400_000), ("S", "x", 2022, 280_800), ("R", "x", 2022, 445_700)]
    )
    text = indicator_sentence(row_for(o, INCOME, HIGHER, "S", "R"), "S", "R", 2020)
    # 2020: 240/400 - 1 = -40 %; 2022: 280 800 / 445 700 - 1 = -37,0 %: closer by 3 (>= 3) percent of the reference.
    # No KPI: the value's change (280 800 / 240 000 - 1 = 17,0 %) is in current prices, and the sentence says so.
    assert text == (
        "Medianinkomsten i S var 280\u00a0800 kronor 2022, 37 procent lägre än i R. "
        "Skillnaden har minskat från 40 till 37 procent sedan 2020. "
        "I löpande priser har värdet ökat med 17,0 procent sedan 2020; det finns ingen KPI för båda åren, "
        "så prisökningarna är inte avräknade."
    )


def test_income_in_fixed_prices_when_the_kpi_covers_both_years():
    o = obs(
        [("S", "x", 2020, 298_400), ("R", "x", 2020, 401_300), ("S", "x", 2023, 313_500), ("R", "x", 2023, 429_500)]
    )
    kpi = pd.Series([335.92, 403.70], index=[2020, 2023])
    row = row_for(o, INCOME, HIGHER, "S", "R", kpi=kpi)
    # 298 400 in 2023's prices: 298 400 × 403,70 / 335,92 = 358 609; 313 500 / 358 609 - 1 = -12,6 %: a fall in
    # fixed prices although the amount rose 5,1 % in current prices.
    assert row["price_basis"] == "fasta priser" and row["value_verdict"] == "försämring"
    assert row["value_change"] == pytest.approx(313_500 - 298_400 * 403.70 / 335.92)
    assert (
        price_sentence(row) == "I fasta priser (KPI, 2023 års priser) har värdet minskat med 12,6 procent sedan 2020."
    )


def test_counts_get_no_gap_but_their_change():
    o = obs([("S", "x", 2020, 10_000), ("R", "x", 2020, 150_000), ("S", "x", 2024, 10_132), ("R", "x", 2024, 151_000)])
    meta = {"name": "Folkmängd", "unit": "antal", "decimals": 0, "definite": "folkmängden"}
    text = indicator_sentence(row_for(o, meta, NEUTRAL, "S", "R"), "S", "R", 2020)
    assert text == "Folkmängden i S var 10\u00a0132 år 2024. Det är 132 (1,3 procent) fler än 2020."


@pytest.mark.parametrize(
    "then, now, decimals, expected",
    [
        (20.0, 20.2, 0, "Skillnaden är i stort sett oförändrad sedan 2020."),  # 30 -> 30 pe as shown
        (20.0, 20.9, 1, "Skillnaden är i stort sett oförändrad sedan 2020."),  # 0,9 < 1 procentenhet
        (20.0, 21.0, 0, "Skillnaden har minskat med 1 procentenhet sedan 2020."),
        (20.0, 22.4, 1, "Skillnaden har minskat med 2,4 procentenheter sedan 2020."),
        (20.0, 17.0, 1, "Skillnaden har ökat med 3,0 procentenheter sedan 2020."),
    ],
)
def test_gap_changes_in_procentenheter(then, now, decimals, expected):
    o = obs([("S", "x", 2020, then), ("R", "x", 2020, 50.0), ("S", "x", 2024, now), ("R", "x", 2024, 50.0)])
    row = row_for(o, {**FV, "decimals": decimals}, HIGHER, "S", "R")
    assert change_sentence(row, "S", "R", 2020) == expected


def test_a_gap_that_rounds_to_the_same_number_is_never_a_change():
    # Relative gaps in whole percent: 2020 -17,4 % and 2024 -16,6 % both show as 17: not "från 17 till 17".
    o = obs([("S", "x", 2020, 82.6), ("R", "x", 2020, 100.0), ("S", "x", 2024, 83.4), ("R", "x", 2024, 100.0)])
    row = row_for(o, INCOME, HIGHER, "S", "R")
    assert change_sentence(row, "S", "R", 2020) == "Skillnaden är i stort sett oförändrad sedan 2020."


def test_a_gap_in_days_is_stated_in_days():
    # Skäggetorp's ohälsotal: 15,1 days above then, 15,0 now: unchanged, not "från 84 till 96 procent".
    o = obs([("S", "x", 2020, 33.1), ("R", "x", 2020, 18.0), ("S", "x", 2024, 30.6), ("R", "x", 2024, 15.6)])
    row = row_for(o, OH, LOWER, "S", "R")
    assert row["gap_verdict"] == "oförändrat"
    assert indicator_sentence(row, "S", "R", 2020) == (
        "Ohälsotalet i S var 30,6 dagar 2024, 15,0 dagar högre än i R. Skillnaden är i stort sett oförändrad sedan 2020."
    )


def test_a_shrinking_lead_is_said_as_such():
    # Ryd: 3,1 days below the reference then, 1,7 now (lower is better): the lead shrank by 1,4 days.
    o = obs([("Ryd", "x", 2020, 14.9), ("R", "x", 2020, 18.0), ("Ryd", "x", 2024, 13.9), ("R", "x", 2024, 15.6)])
    row = row_for(o, OH, LOWER, "Ryd", "R")
    assert row["gap_verdict"] == "försprånget minskar"
    assert change_sentence(row, "Ryd", "R", 2020) == (
        "Ryd ligger bättre till än R, och försprånget har minskat med 1,4 dagar sedan 2020."
    )


def test_crossing_the_reference_names_the_measure_and_both_years():
    o = obs([("S", "x", 2020, 8.0), ("R", "x", 2020, 10.0), ("S", "x", 2024, 12.0), ("R", "x", 2024, 10.0)])
    row = row_for(o, {**FV, "definite": "arbetslösheten"}, LOWER, "S", "R")
    assert row["gap_verdict"] == "har hamnat efter"
    assert change_sentence(row, "S", "R", 2020) == (
        "År 2020 var arbetslösheten i S 2,0 procentenheter lägre än i R; år 2024 var det 2,0 procentenheter högre."
    )


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([], "Det finns inga uppgifter om förvärvsfrekvensen i Berga."),
        (
            [("Berga", "x", 2023, 61.0)],
            "Förvärvsfrekvensen i Berga var 61,0 procent 2023. Uppgift för övriga Linköping 2023 saknas.",
        ),
    ],
)
def test_missing_data_is_said_plainly(rows, expected):
    o = obs(rows) if rows else obs([("Annat", "x", 2023, 1.0)])
    row = row_for(o, FV, HIGHER, "Berga")
    assert level_sentence(row, "Berga", "Övriga Linköping") == expected


@pytest.mark.parametrize(
    "rows, baseline, expected",
    [
        # Nothing within the four years before 2020.
        (
            [("S", "x", 2023, 61.0), ("R", "x", 2023, 80.0)],
            2020,
            "Det finns inget värde för S för 2020 eller de 4 åren före, så utvecklingen sedan dess kan inte beskrivas.",
        ),
        # The area has 2019, the reference nothing in 2016–2020: the reference's value is the one missing.
        (
            [("S", "x", 2019, 61.0), ("S", "x", 2023, 61.0), ("R", "x", 2023, 80.0)],
            2020,
            "Det finns inget värde för R för 2020 eller de 4 åren före, så utvecklingen sedan dess kan inte beskrivas.",
        ),
        # Valdeltagande with basår 2022: 2022 exists, but it is also the latest year.
        (
            [("S", "x", 2018, 60.0), ("R", "x", 2018, 85.0), ("S", "x", 2022, 57.7), ("R", "x", 2022, 85.7)],
            2022,
            "Den senaste uppgiften för S är från 2022, så det finns ännu ingen utveckling sedan basåret 2022 att beskriva.",
        ),
        # A relative gap whose reference was 0 in the baseline year.
        (
            [("S", "x", 2020, 5.0), ("R", "x", 2020, 0.0), ("S", "x", 2024, 6.0), ("R", "x", 2024, 4.0)],
            2020,
            "Skillnaden i procent 2020 kan inte beräknas eftersom värdet för R var 0 då, så utvecklingen av skillnaden "
            "kan inte beskrivas.",
        ),
    ],
)
def test_missing_baseline_values_are_named_exactly(rows, baseline, expected):
    meta = FV if rows[0][3] != 5.0 else {"name": "Brott", "unit": "per 1 000 invånare", "decimals": 1, "definite": ""}
    assert change_sentence(row_for(obs(rows), meta, HIGHER, "S", "R", baseline), "S", "R", baseline) == expected


def test_election_year_baseline_and_neutral_indicators_have_no_judgement():
    o = obs([("S", "x", 2018, 60.0), ("R", "x", 2018, 85.0), ("S", "x", 2022, 57.7), ("R", "x", 2022, 85.7)])
    text = indicator_sentence(row_for(o, FV, NEUTRAL, "S", "R"), "S", "R", 2020)
    assert text.endswith("Skillnaden har ökat med 3,0 procentenheter sedan 2018.")  # -25,0 -> -28,0
    for word in ("bättre", "sämre", "förbättring", "försämring", "positiv", "negativ"):
        assert word not in text


@pytest.mark.parametrize(
    "row, expected",
    [
        (
            {"unit": "procent", "decimals": 1, "women": 48.05, "men": 56.4, "year": 2023},
            "Bland kvinnor var värdet 48,1 procent och bland män 56,4 procent 2023.",
        ),
        (
            {
                "unit": "poäng",
                "decimals": 1,
                "women": 231.0,
                "men": 204.5,
                "year": 2024,
                "sex_words": "flickor och pojkar",
            },
            "Bland flickor var värdet 231,0 poäng och bland pojkar 204,5 poäng 2024.",
        ),
        (
            {"unit": "antal", "decimals": 0, "women": 3261, "men": 3297, "year": 2024},
            "Av dem var 3\u00a0261 kvinnor och 3\u00a0297 män 2024.",
        ),
        ({"unit": "procent", "decimals": 1, "women": None, "men": 3.0, "year": 2024}, ""),
    ],
)
def test_sex_sentence(row, expected):
    assert sex_sentence(row) == expected


GROUP_CASES = [
    # (values in Skäggetorp and övriga Linköping 2024, meta, group, sentence)
    (
        (47.1, 68.3),
        FV,
        "Utrikes födda",
        "Bland utrikes födda i Skäggetorp var förvärvsfrekvensen 47,1 procent 2024, 21,2 procentenheter lägre än "
        "bland utrikes födda i övriga Linköping.",
    ),
    (
        (66.1, 66.14),
        FV,
        "Inrikes födda",
        "Bland inrikes födda i Skäggetorp var förvärvsfrekvensen 66,1 procent 2024, samma nivå som bland inrikes "
        "födda i övriga Linköping.",
    ),
    (
        (31.0, 20.5),
        OH,
        "Utländsk bakgrund, kvinnor",
        "Bland kvinnor med utländsk bakgrund i Skäggetorp var ohälsotalet 31,0 dagar 2024, 10,5 dagar högre än "
        "bland kvinnor med utländsk bakgrund i övriga Linköping.",
    ),
    (
        (70.0, None),
        {"name": "Förvärvsfrekvens", "unit": "procent", "decimals": 1},
        "20–64 år",
        "Bland personer 20–64 år i Skäggetorp var förvärvsfrekvens 70,0 procent 2024. Uppgift bland personer 20–64 "
        "år i övriga Linköping 2024 saknas.",
    ),
    (
        (None, 60.0),
        FV,
        "Utrikes födda",
        "Bland utrikes födda i Skäggetorp finns inga uppgifter om förvärvsfrekvensen.",
    ),
]


@pytest.mark.parametrize("values, meta, group, expected", GROUP_CASES)
def test_group_sentence_compares_a_group_with_the_same_group_in_the_reference(values, meta, group, expected):
    rows = [(a, "x", 2024, v) for a, v in zip(("Skäggetorp", "Övriga Linköping"), values) if v is not None]
    row = row_for(obs(rows), meta, LOWER if meta is OH else HIGHER)
    assert group_sentence(row, group, "Skäggetorp", "Övriga Linköping") == expected


def test_a_group_sentence_for_the_total_is_the_level_sentence():
    row = row_for(obs([("Skäggetorp", "x", 2024, 50.0), ("Övriga Linköping", "x", 2024, 80.0)]), FV, HIGHER)
    assert group_sentence(row, "Totalt", "Skäggetorp", "Övriga Linköping") == level_sentence(
        row, "Skäggetorp", "Övriga Linköping"
    )


BREAK_ROWS = [
    ("Skäggetorp", "x", 2020, 52.0),
    ("Övriga Linköping", "x", 2020, 80.5),
    ("Skäggetorp", "x", 2022, 57.0),
    ("Övriga Linköping", "x", 2022, 82.0),
    ("Skäggetorp", "x", 2024, 60.0),
    ("Övriga Linköping", "x", 2024, 82.5),
]


def break_row(rows: list[tuple], breaks: str) -> dict:
    """A comparison row of förvärvsfrekvens with the catalogue's Serieavbrott cell."""
    meta = {**FV, "breaks": breaks}
    rule = rule_for({**meta, "direction": HIGHER})
    c = compare_indicator(
        obs(rows), "x", rule, "Skäggetorp", "Övriga Linköping", 2020, breaks=(2022,) if breaks else ()
    )
    return {**c.__dict__, **meta, "direction": HIGHER, "gap_measure": rule.gap_measure, "threshold": rule.threshold}


def test_a_series_break_is_said_and_the_change_starts_after_it():
    row = break_row(BREAK_ROWS, "2022: RAMS ersattes av BAS.")
    # 2022: -25,0; 2024: -22,5 procentenheter.
    assert indicator_sentence(row, "Skäggetorp", "Övriga Linköping", 2020) == (
        "Förvärvsfrekvensen i Skäggetorp var 60,0 procent 2024, 22,5 procentenheter lägre än i övriga Linköping. "
        "Skillnaden har minskat med 2,5 procentenheter sedan 2022. Serien bryts 2022 (RAMS ersattes av BAS), så "
        "utvecklingen räknas från 2022: värden före och efter avbrottet jämförs inte."
    )


def test_without_a_comparable_year_the_sentence_says_the_break_stops_the_comparison():
    rows = [r for r in BREAK_ROWS if r[2] != 2024]
    row = break_row(rows, "2022: RAMS ersattes av BAS")
    assert change_sentence(row, "Skäggetorp", "Övriga Linköping", 2020) == (
        "Serien bryts 2022 (RAMS ersattes av BAS). Det finns inget senare år före 2022 att jämföra med, så "
        "utvecklingen sedan 2020 kan inte beskrivas utan att jämföra över avbrottet."
    )


def test_without_a_break_nothing_is_added():
    row = break_row(BREAK_ROWS, "")
    assert indicator_sentence(row, "Skäggetorp", "Övriga Linköping", 2020).endswith(
        "Skillnaden har minskat med 6,0 procentenheter sedan 2020."
    )


def test_in_text():
    assert in_text("Övriga Linköping") == "övriga Linköping" and in_text("Linköping") == "Linköping"


@pytest.mark.parametrize(
    "counts, expected",
    [
        (
            GapCount(9, 3, 4),
            "I Skäggetorp har skillnaden mot övriga Linköping minskat för 9 av 16 indikatorer sedan 2020, "
            "utvecklats ogynnsamt för 4 och är i stort sett oförändrad för 3.",
        ),
        (
            GapCount(2, 1, 1, 1),
            "I Skäggetorp har skillnaden mot övriga Linköping minskat för 2 av 5 indikatorer sedan "
            "2020, utvecklats ogynnsamt för 1 och är i stort sett oförändrad för 1; för 1 ligger "
            "Skäggetorp redan bättre till och försprånget har ökat.",
        ),
        (GapCount(0, 0, 0), "För Skäggetorp finns inga indikatorer med uppgifter både 2020 och senare."),
    ],
)
def test_area_summary(counts, expected):
    assert area_summary_sentence("Skäggetorp", "Övriga Linköping", counts, 2020) == expected


def test_a_neutral_indicator_from_a_table_row_is_unchanged_when_the_shown_gap_is():
    # Rows from a DataFrame carry NaN (not None) as the verdict of a neutral indicator; -4,04 and -3,96 both show -4,0.
    o = obs([("S", "x", 2015, 50.0), ("R", "x", 2015, 54.04), ("S", "x", 2024, 50.0), ("R", "x", 2024, 53.96)])
    row = {**row_for(o, FV, NEUTRAL, "S", "R", 2015), "gap_verdict": float("nan")}
    assert change_sentence(row, "S", "R", 2015) == "Skillnaden är i stort sett oförändrad sedan 2015."
