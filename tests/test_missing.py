"""The one test for "no value" (analysis/core/missing.py), and that the modules which used their own now agree."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from analysis.core.formatting import MISSING, format_number, format_value
from analysis.core.missing import is_missing
from analysis.core.model import is_missing as model_is_missing
from analysis.measures.presentation import change_text, gap_verdict_label, value_verdict_label

CASES = [
    (None, True),
    (float("nan"), True),
    (np.nan, True),
    (pd.NA, True),
    (pd.NaT, True),
    (np.float64("nan"), True),
    (0, False),
    (0.0, False),
    (-1.5, False),
    (Decimal("1.5"), False),
    (math.inf, False),
    ("", False),  # text, even empty, is a value
    ("saknas", False),
    (date(2024, 1, 1), False),
    (False, False),
    ([1, 2], False),  # not a scalar: a value, not an error
]


@pytest.mark.parametrize("value, expected", CASES)
def test_is_missing(value, expected):
    assert is_missing(value) is expected
    assert model_is_missing is is_missing  # re-exported, not a twin


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, pd.NaT])
def test_every_missing_value_shows_as_a_dash(value):
    assert format_number(value, 1) == MISSING
    assert format_value(value, "procent", 1) == MISSING
    assert change_text({"value_change": value, "decimals": 1, "unit": "procent"}) == MISSING
    assert gap_verdict_label(value) == ""


def test_text_is_shown_as_a_dash_by_number_formatting_only():
    # Formatting cannot print text as a number; that is a display rule, not a second missing-value predicate.
    assert format_number("abc", 1) == MISSING
    assert not is_missing("abc")


def test_labels_take_pandas_na_for_a_missing_verdict_and_price_basis():
    row = {"value_change": 2.0, "value_verdict": pd.NA, "price_basis": pd.NA, "decimals": 1, "unit": "kronor"}
    assert value_verdict_label(row) == "↑ ökning"
    assert change_text(row) == "+2,0\u00a0kr"
