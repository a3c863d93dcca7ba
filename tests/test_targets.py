"""Target attainment (analysis/measures/targets.py): every rule of ATTAINMENT_RULES pinned by hand-worked cases."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis.viewmodels.followup as followup
from analysis.core.model import HIGHER, LOWER, NEUTRAL
from analysis.measures.targets import (
    ATTAINMENT_ORDER,
    ATTAINMENT_RULES,
    CANNOT_ASSESS,
    NOT_ON_TRACK,
    NOT_REACHED,
    ON_TRACK,
    REACHED,
    WRONG_WAY,
    target_attainment,
    target_for,
)

# The rules of ATTAINMENT_RULES, worked by hand. Columns: value, year, base value, base year, target value, target
# year, follow-up year, direction, decimals -> word, text. "Path" is the straight line from the base value in the base
# year to the target value in the target year, evaluated in the value's year and rounded as shown.
ATTAINMENT_CASES = [
    # A target in the wrong direction: arbetslöshet, lower is better, target 12 above the base value 10,7.
    pytest.param(
        11.3,
        2024,
        10.7,
        2020,
        12.0,
        2026,
        2024,
        LOWER,
        1,
        WRONG_WAY,
        "målet pekar åt fel håll: målvärdet 12,0 är sämre än värdet basåret 2020 (10,7), och lägre är bättre",
        id="arbetsloshet-12-vs-10,7-wrong-way",
    ),
    pytest.param(
        56.0,
        2024,
        50.0,
        2020,
        45.0,
        2026,
        2024,
        HIGHER,
        1,
        WRONG_WAY,
        "målet pekar åt fel håll: målvärdet 45,0 är sämre än värdet basåret 2020 (50,0), och högre är bättre",
        id="higher-better-target-below-base",
    ),
    pytest.param(
        50.0,
        2024,
        50.0,
        2020,
        50.0,
        2026,
        2024,
        HIGHER,
        1,
        REACHED,
        "uppnått",
        id="target-equal-to-base-is-not-wrong-way",
    ),
    # Reached: the value as shown is at the target or better.
    pytest.param(62.0, 2024, 55.0, 2020, 60.0, 2026, 2024, HIGHER, 1, REACHED, "uppnått", id="reached-early"),
    pytest.param(
        59.96, 2024, 55.0, 2020, 60.0, 2026, 2024, HIGHER, 1, REACHED, "uppnått", id="59,96-shown-60,0-reaches-60,0"
    ),
    pytest.param(
        59.96,
        2024,
        55.0,
        2020,
        60.0,
        2026,
        2024,
        HIGHER,
        2,
        ON_TRACK,
        "i fas",
        id="59,96-shown-59,96-misses-60,00-path-58,33",
    ),
    pytest.param(7.04, 2024, 9.0, 2020, 7.0, 2026, 2024, LOWER, 1, REACHED, "uppnått", id="lower-7,04-shown-7,0"),
    # From the target year on: only reached or not reached.
    pytest.param(61.0, 2027, 50.0, 2020, 60.0, 2026, 2027, HIGHER, 1, REACHED, "uppnått", id="after-target-reached"),
    pytest.param(
        58.0, 2027, 50.0, 2020, 60.0, 2026, 2027, HIGHER, 1, NOT_REACHED, "inte uppnått", id="after-target-not-reached"
    ),
    pytest.param(
        58.0,
        2026,
        50.0,
        2020,
        60.0,
        2026,
        2026,
        HIGHER,
        1,
        NOT_REACHED,
        "inte uppnått",
        id="in-target-year-not-reached",
    ),
    pytest.param(
        8.0,
        2027,
        11.0,
        2020,
        7.0,
        2026,
        2027,
        LOWER,
        1,
        NOT_REACHED,
        "inte uppnått",
        id="lower-after-target-not-reached",
    ),
    pytest.param(
        58.0,
        2024,
        50.0,
        2020,
        60.0,
        2025,
        2026,
        HIGHER,
        1,
        NOT_REACHED,
        "inte uppnått (senaste värde 2024)",
        id="follow-up-after-target-year-old-value",
    ),
    # The newest value is older than the follow-up year: a verdict that says how old.
    pytest.param(
        61.0,
        2021,
        50.0,
        2020,
        60.0,
        2026,
        2024,
        HIGHER,
        1,
        REACHED,
        "uppnått (senaste värde 2021)",
        id="old-value-reached",
    ),
    pytest.param(
        54.0,
        2021,
        50.0,
        2020,
        60.0,
        2026,
        2024,
        HIGHER,
        1,
        ON_TRACK,
        "i fas (senaste värde 2021)",
        id="old-value-on-track-path-51,7",
    ),
    pytest.param(
        50.5,
        2021,
        50.0,
        2020,
        60.0,
        2026,
        2024,
        HIGHER,
        1,
        NOT_ON_TRACK,
        "inte i fas (senaste värde 2021)",
        id="old-value-not-on-track-path-51,7",
    ),
    # On track: at or better than the path in the value's year.
    pytest.param(54.0, 2022, 50.0, 2020, 60.0, 2025, 2022, HIGHER, 1, ON_TRACK, "i fas", id="exactly-on-the-line-54,0"),
    pytest.param(
        53.9, 2022, 50.0, 2020, 60.0, 2025, 2022, HIGHER, 1, NOT_ON_TRACK, "inte i fas", id="just-below-the-line"
    ),
    pytest.param(
        8.9, 2023, 10.7, 2020, 7.0, 2026, 2023, LOWER, 1, ON_TRACK, "i fas", id="lower-on-the-line-path-8,85-shown-8,9"
    ),
    pytest.param(
        8.86, 2023, 10.7, 2020, 7.0, 2026, 2023, LOWER, 1, ON_TRACK, "i fas", id="lower-8,86-shown-8,9-on-the-line"
    ),
    pytest.param(
        8.95,
        2023,
        10.7,
        2020,
        7.0,
        2026,
        2023,
        LOWER,
        1,
        NOT_ON_TRACK,
        "inte i fas",
        id="lower-8,95-shown-9,0-above-the-line",
    ),
    pytest.param(8.0, 2024, 11.0, 2020, 7.0, 2026, 2024, LOWER, 1, ON_TRACK, "i fas", id="lower-path-8,3"),
    pytest.param(
        9.0, 2024, 11.0, 2020, 7.0, 2026, 2024, LOWER, 1, NOT_ON_TRACK, "inte i fas", id="lower-path-8,3-not-on-track"
    ),
    pytest.param(
        56.0,
        2024,
        50.0,
        2020,
        60.0,
        2026,
        None,
        HIGHER,
        1,
        NOT_ON_TRACK,
        "inte i fas",
        id="path-56,7-no-follow-up-year",
    ),
    # What cannot be assessed says what is missing.
    pytest.param(
        56.0,
        2024,
        None,
        2020,
        60.0,
        2026,
        2024,
        HIGHER,
        1,
        CANNOT_ASSESS,
        "kan inte bedömas: värde för basåret 2020 saknas",
        id="base-value-missing",
    ),
    pytest.param(
        56.0,
        2024,
        None,
        None,
        60.0,
        2026,
        2024,
        HIGHER,
        1,
        CANNOT_ASSESS,
        "kan inte bedömas: målet saknar basår",
        id="base-year-missing",
    ),
    pytest.param(
        5100.0,
        2024,
        5000.0,
        2020,
        6000.0,
        2026,
        2024,
        NEUTRAL,
        0,
        CANNOT_ASSESS,
        "kan inte bedömas: indikatorn är beskrivande (varken höga eller låga värden är bättre)",
        id="neutral-indicator",
    ),
    pytest.param(
        None,
        None,
        50.0,
        2020,
        60.0,
        2026,
        2024,
        HIGHER,
        1,
        CANNOT_ASSESS,
        "kan inte bedömas: värden för indikatorn saknas",
        id="no-values",
    ),
    pytest.param(
        float("nan"),
        2024,
        50.0,
        2020,
        60.0,
        2026,
        2024,
        HIGHER,
        1,
        CANNOT_ASSESS,
        "kan inte bedömas: värden för indikatorn saknas",
        id="value-nan",
    ),
    pytest.param(
        50.0,
        2020,
        50.0,
        2020,
        60.0,
        2026,
        2020,
        HIGHER,
        1,
        CANNOT_ASSESS,
        "kan inte bedömas: värden efter basåret 2020 saknas",
        id="no-value-after-base-year",
    ),
    pytest.param(
        56.0,
        2024,
        50.0,
        2020,
        60.0,
        2020,
        2024,
        HIGHER,
        1,
        CANNOT_ASSESS,
        "kan inte bedömas: målåret 2020 är inte efter basåret 2020",
        id="target-year-not-after-base-year",
    ),
    pytest.param(56.0, 2024, 50.0, 2020, None, None, 2024, HIGHER, 1, "", "", id="no-target"),
]


@pytest.mark.parametrize(
    "value, year, base_value, base_year, target_value, target_year, followup_year, direction, decimals, word, text",
    ATTAINMENT_CASES,
)
def test_target_attainment(
    value, year, base_value, base_year, target_value, target_year, followup_year, direction, decimals, word, text
):
    result = target_attainment(
        value, year, base_value, base_year, target_value, target_year, followup_year, direction, decimals
    )
    assert (result.word, result.text) == (word, text)
    assert (result.path_value is not None) == (word in (ON_TRACK, NOT_ON_TRACK))


@pytest.mark.parametrize("word", [REACHED, ON_TRACK, NOT_ON_TRACK, NOT_REACHED, WRONG_WAY, CANNOT_ASSESS])
def test_every_attainment_word_is_ruled_in_one_swedish_sentence(word):
    assert word in ATTAINMENT_ORDER
    assert any(word in rule.lower() for rule in ATTAINMENT_RULES)
    for rule in ATTAINMENT_RULES:
        assert rule[0].isupper() and rule.endswith(".") and ". " not in rule.rstrip(".")


def test_the_rules_state_rounding_and_age_as_the_code_does():
    assert any("59,96" in r and "60,0" in r for r in ATTAINMENT_RULES)  # rounded as shown, by format_number
    assert any("(senaste värde 2021)" in r for r in ATTAINMENT_RULES)
    assert not hasattr(followup, "ATTAINMENT_NOTE")  # the rules replaced the old note: one home for them
    assert not hasattr(followup, "shown_value")  # one rounding as shown: verdicts.shown_exact


def test_target_for_picks_the_next_target_year():
    targets = pd.DataFrame(
        [
            {"area": "Ryd", "indicator": "arb", "target_year": 2030, "target_value": 70.0},
            {"area": "Ryd", "indicator": "arb", "target_year": 2024, "target_value": 60.0},
            {"area": "Ryd", "indicator": "arb", "target_year": 2026, "target_value": 65.0},
            {"area": "Berga", "indicator": "arb", "target_year": 2026, "target_value": 1.0},
        ]
    )
    assert target_for(targets, "Ryd", "arb", 2022)["target_value"] == 60.0
    assert target_for(targets, "Ryd", "arb", 2025)["target_value"] == 65.0
    assert target_for(targets, "Ryd", "arb", 2031)["target_value"] == 70.0  # all passed: the latest
    assert target_for(targets, "Ryd", "bist", 2022) is None
