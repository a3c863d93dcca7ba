"""Swedish number formats in one place."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.core.formatting import (
    format_number,
    format_percent,
    format_share,
    format_value,
    missing_shown,
    plain_number,
)

NB = "\u00a0"


@pytest.mark.parametrize(
    "value, decimals, text",
    [
        (1234, 0, f"1{NB}234"),
        (251234.5, 1, f"251{NB}234,5"),
        (12.345, 1, "12,3"),
        (48.05, 1, "48,1"),
        (0.25, 1, "0,3"),
        (-3.25, 1, "-3,3"),
        (-0.04, 1, "0,0"),
        (1_234_567, 0, f"1{NB}234{NB}567"),
        (None, 1, "–"),
        (float("nan"), 0, "–"),
    ],
)
def test_format_number(value, decimals, text):
    assert format_number(value, decimals) == text


def test_units():
    assert format_percent(12.34) == f"12,3{NB}%"
    assert format_share(0.834) == f"83{NB}%"
    assert format_value(388500, "kronor", 0) == f"388{NB}500{NB}kr"
    assert format_value(19.5, "dagar", 1) == f"19,5{NB}dagar"
    assert format_value(10070, "antal", 0) == f"10{NB}070"
    assert format_value(None, "procent", 1) == "–"


@pytest.mark.parametrize(
    "value, text", [(2024, "2024"), (2024.0, "2024"), (0.05, "0,05"), (-1234.5, "-1234,5"), (None, "–"), (np.nan, "–")]
)
def test_plain_number_keeps_the_stored_digits_in_swedish(value, text):
    assert plain_number(value) == text


def test_missing_values_show_as_a_dash_and_complete_columns_are_left_alone():
    frame = pd.DataFrame(
        {
            "rad": pd.array([5, None], dtype="Int64"),
            "gräns": [0.05, np.nan],
            "text": ["a", None],
            "kategori": pd.Categorical(["x", None]),
            "hel": [1.5, 2.5],
            "flagga": [True, False],
        }
    )
    shown = missing_shown(frame)
    assert shown["rad"].tolist() == ["5", "–"] and shown["gräns"].tolist() == ["0,05", "–"]
    assert shown["text"].tolist() == ["a", "–"] and shown["kategori"].tolist() == ["x", "–"]
    assert shown["hel"].dtype == "float64" and shown["flagga"].dtype == bool  # nothing missing: unchanged
    assert frame["rad"].isna().sum() == 1  # the input is not changed
