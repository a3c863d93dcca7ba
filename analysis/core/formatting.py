"""Swedish number formatting in one place (babel, locale sv_SE): pages, charts and exports use it."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel.numbers import get_decimal_symbol, get_group_symbol

from analysis.core.model import is_missing
from analysis.core.units import unit_suffix

LOCALE = "sv_SE"
MISSING = "–"
NBSP = "\u00a0"
# The ASCII hyphen is kept as minus sign (as babel's format_decimal writes it): it survives copying into Excel.
_SWEDISH = str.maketrans({",": get_group_symbol(LOCALE), ".": get_decimal_symbol(LOCALE)})


def _shown_as_missing(value: object) -> bool:
    """True for a missing value (model.is_missing) and for anything that is not a number, both shown as '–'."""
    if is_missing(value):
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def format_number(value: object, decimals: int = 0) -> str:
    """A number in Swedish format: '1 234', '12,3' (no-break space between thousands); '–' if missing."""
    if _shown_as_missing(value):
        return MISSING
    text = format(round_half_up(float(value), decimals), f",.{max(decimals, 0)}f")
    # Python writes "1,234.5"; Swedish (from babel's locale data) is "1 234,5" with a no-break space.
    return text.translate(_SWEDISH)


def round_half_up(value: float, decimals: int) -> Decimal:
    """The value rounded as statistics tables do (48,05 -> 48,1), from its shortest decimal form."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded + 0  # turns -0 into 0


def format_percent(value: object, decimals: int = 1) -> str:
    """A value on the 0–100 scale as a Swedish percentage: '12,3 %'."""
    if _shown_as_missing(value):
        return MISSING
    return f"{format_number(value, decimals)}{NBSP}%"


def format_value(value: object, unit: str, decimals: int) -> str:
    """A value with its unit: '52,3 %', '388 500 kr', '19,5 dagar', '10 070'."""
    if _shown_as_missing(value):
        return MISSING
    suffix = unit_suffix(unit)
    text = format_number(value, decimals)
    return f"{text}{NBSP}{suffix}" if suffix else text


def format_share(share: float, decimals: int = 0) -> str:
    """A share 0–1 as a Swedish percentage: 0.83 -> '83 %'."""
    if _shown_as_missing(share):
        return MISSING
    return format_percent(float(share) * 100, decimals)


def format_count(n: int) -> str:
    """A whole count with Swedish thousands grouping ('1 234', with a no-break space)."""
    return format_number(int(n), 0)


def plain_number(value: object) -> str:
    """A number as it was stored, without rounding or thousands separators ('2024', '0,05'); '–' if missing."""
    if _shown_as_missing(value):
        return MISSING
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() else f"{number:.10g}".translate(_SWEDISH)


def missing_shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as a table shows it: each column holding a missing value becomes text, numbers as stored in Swedish
    and the missing ones '–' (Streamlit would write English 'None' in the empty cells)."""
    gaps = [c for c in frame.columns if frame[c].isna().any()]
    if not gaps:
        return frame  # every table on every rerun comes here: no copy when nothing is missing
    out = frame.copy()
    for column in gaps:
        values = out[column]
        numeric = pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)
        shown = plain_number if numeric else (lambda v: MISSING if is_missing(v) else v)
        out[column] = pd.Series([shown(v) for v in values.tolist()], index=out.index, dtype=object)
    return out
