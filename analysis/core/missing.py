"""The one test for "no value": every module that asks whether a value is missing asks this function."""

from __future__ import annotations

import pandas as pd


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas' NA: the one test for "no value" (text, even empty, is a value)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
