"""Verdict labels, cell texts and tones: the same everywhere, never colour alone."""

from __future__ import annotations

import pytest

from analysis.core.model import HIGHER, LOWER, NEUTRAL
from analysis.measures.presentation import (
    FAVOURABLE,
    NEUTRAL_TONE,
    UNFAVOURABLE,
    change_text,
    gap_cell_text,
    gap_phrase,
    gap_tone,
    gap_verdict_label,
    tone,
    value_verdict_label,
)
from analysis.measures.verdicts import (
    BETTER,
    CAUGHT_UP,
    CLOSING,
    FALLEN_BEHIND,
    LEAD_GROWS,
    LEAD_LOST,
    LEAD_SHRINKS,
    OVERTAKEN,
    SAME,
    STEADY,
    WIDENING,
    WORSE,
)

NB = "\u00a0"
PCT = {"unit": "procent", "decimals": 1}


@pytest.mark.parametrize(
    "gap, direction, text, cell_tone",
    [
        (-27.1, HIGHER, f"-27,1{NB}pe ▼", UNFAVOURABLE),
        (16.5, LOWER, f"+16,5{NB}pe ▼", UNFAVOURABLE),
        (-2.0, LOWER, f"-2,0{NB}pe ▲", FAVOURABLE),
        (43.0, NEUTRAL, f"+43,0{NB}pe", NEUTRAL_TONE),
        (0.04, HIGHER, f"0,0{NB}pe", NEUTRAL_TONE),
        (None, HIGHER, "–", NEUTRAL_TONE),
    ],
)
def test_gap_cells(gap, direction, text, cell_tone):
    row = {**PCT, "gap": gap, "direction": direction}
    assert gap_cell_text(row) == text
    assert gap_tone(row) == cell_tone


def test_relative_gap_cell_and_phrase():
    row = {"unit": "kronor", "decimals": 0, "gap": -37.2, "direction": HIGHER}
    assert gap_cell_text(row) == f"-37{NB}% ▼"
    assert gap_phrase(row, "Övriga Linköping") == "37 procent lägre än övriga Linköping"
    assert gap_phrase({**PCT, "gap": 0.01}, "Linköping") == "samma som Linköping"


def test_a_gap_in_days_is_stated_in_days():
    row = {
        "unit": "dagar",
        "decimals": 1,
        "gap": 15.04,
        "direction": LOWER,
        "gap_measure": "enhet",
        "gap_unit": "dagar",
        "gap_decimals": 1,
    }
    assert gap_cell_text(row) == f"+15,0{NB}dagar ▼"
    assert gap_phrase(row, "Övriga Linköping") == "15,0 dagar högre än övriga Linköping"


def test_kronor_say_whether_they_are_in_fixed_or_current_prices():
    row = {
        "unit": "kronor",
        "decimals": 0,
        "value_change": -4200,
        "value_verdict": WORSE,
        "price_basis": "fasta priser",
    }
    assert change_text(row) == f"-4{NB}200{NB}kr (fasta priser)"
    assert value_verdict_label(row) == "↓ försämring i fasta priser"
    assert (
        value_verdict_label({**row, "price_basis": "löpande priser", "value_change": 900, "value_verdict": BETTER})
        == "↑ förbättring i löpande priser"
    )


@pytest.mark.parametrize(
    "verdict, label, kind_tone",
    [
        (CLOSING, "→← närmar sig", FAVOURABLE),
        (STEADY, "= oförändrat", NEUTRAL_TONE),
        (WIDENING, "←→ avlägsnar sig", UNFAVOURABLE),
        (CAUGHT_UP, "→| har kommit ikapp", FAVOURABLE),
        (OVERTAKEN, "↗ har gått om", FAVOURABLE),
        (LEAD_GROWS, "↑ försprånget ökar", FAVOURABLE),
        (LEAD_SHRINKS, "↓ försprånget minskar", UNFAVOURABLE),
        (LEAD_LOST, "↘ har tappat försprånget", UNFAVOURABLE),
        (FALLEN_BEHIND, "↘ har hamnat efter", UNFAVOURABLE),
        (None, "", NEUTRAL_TONE),
    ],
)
def test_gap_verdict_labels(verdict, label, kind_tone):
    assert gap_verdict_label(verdict) == label
    assert tone(verdict, "gap") == kind_tone


@pytest.mark.parametrize(
    "change, verdict, label",
    [
        (2.3, BETTER, "↑ förbättring"),
        (-3.1, BETTER, "↓ förbättring"),
        (1.3, WORSE, "↑ försämring"),
        (0.4, SAME, "→ oförändrat"),
        (2.2, None, "↑ ökning"),
        (-0.5, None, "↓ minskning"),
        (0.01, None, "→ oförändrat"),
        (None, None, ""),
    ],
)
def test_value_verdict_labels(change, verdict, label):
    assert value_verdict_label({**PCT, "value_change": change, "value_verdict": verdict}) == label


def test_change_text_units():
    assert change_text({**PCT, "value_change": 2.34}) == f"+2,3{NB}pe"
    assert change_text({"unit": "kronor", "decimals": 0, "value_change": -4200}) == f"-4{NB}200{NB}kr"
    assert change_text({"unit": "antal", "decimals": 0, "value_change": 166}) == "+166"
    assert change_text({**PCT, "value_change": None}) == "–"
