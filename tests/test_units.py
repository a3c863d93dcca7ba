"""The unit registry (analysis/core/units.py): one answer per unit for suffix, word, axis title, sign and decimals."""

from __future__ import annotations

import pytest

from analysis.core.formatting import format_value
from analysis.core.model import UNITS as MODEL_UNITS
from analysis.core.units import (
    REGISTRY,
    UNITS,
    axis_title,
    default_decimals,
    indicator_decimals,
    is_non_negative,
    unit_info,
    unit_suffix,
    unit_word,
)


@pytest.mark.parametrize(
    "unit, suffix, word, title, non_negative, decimals",
    [
        ("procent", "%", "procent", "Procent", True, 1),
        ("antal", "", "", "Antal", True, 0),
        ("kronor", "kr", "kronor", "Kronor", True, 0),
        ("dagar", "dagar", "dagar", "Dagar per person", True, 1),
        ("per 1 000 invånare", "per 1 000 inv.", "per 1 000 invånare", "Per 1 000 invånare", True, 1),
        ("poäng", "poäng", "poäng", "Poäng", True, 1),
        ("index", "", "", "Index", False, 0),
        # A unit outside the vocabulary (the import refuses it; nothing downstream relies on that).
        ("liter", "", "", "Liter", False, 0),
        ("", "", "", "", False, 0),
    ],
)
def test_each_unit_has_one_answer_to_every_question(unit, suffix, word, title, non_negative, decimals):
    assert (unit_suffix(unit), unit_word(unit), axis_title(unit)) == (suffix, word, title)
    assert (is_non_negative(unit), default_decimals(unit)) == (non_negative, decimals)


def test_the_catalogue_vocabulary_is_the_registry():
    assert UNITS == tuple(REGISTRY) == MODEL_UNITS
    assert all(unit_info(u).name == u for u in UNITS)


@pytest.mark.parametrize(
    "value, unit, decimals, text",
    [
        (52.345, "procent", 1, "52,3\u00a0%"),
        (388500, "kronor", 0, "388\u00a0500\u00a0kr"),
        (19.46, "dagar", 1, "19,5\u00a0dagar"),
        (10070, "antal", 0, "10\u00a0070"),
        (101.5, "index", 0, "102"),
    ],
)
def test_formatting_uses_the_registry_suffix(value, unit, decimals, text):
    assert format_value(value, unit, decimals) == text


@pytest.mark.parametrize(
    "meta, decimals",
    [({"decimals": 2}, 2), ({"decimals": "1"}, 1), ({"decimals": None}, 0), ({"decimals": float("nan")}, 0), ({}, 0)],
)
def test_indicator_decimals(meta, decimals):
    assert indicator_decimals(meta) == decimals
