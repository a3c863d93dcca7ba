"""Presenting comparisons: verdict arrows and words, cell texts, favourable/unfavourable tones.

Shared by pages, slides and documents, so a verdict always reads and looks the same.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from analysis.compare import BETTER, CLOSING, SAME, STEADY, WIDENING, WORSE, direction_sign
from analysis.formatting import MISSING, NBSP, format_number, format_value, unit_suffix
from analysis.model import PERCENT
from analysis.narrative import in_text

FAVOURABLE, UNFAVOURABLE, NEUTRAL_TONE = "fördel", "nackdel", "neutral"

# Okabe–Ito blue for favourable, vermillion for unfavourable, grey for neutral: colour-blind safe,
# and never alone (symbols and words say the same).
TONE_COLOURS = {FAVOURABLE: "#0072B2", UNFAVOURABLE: "#D55E00", NEUTRAL_TONE: "#7A7A7A"}
TONE_STREAMLIT = {FAVOURABLE: "blue", UNFAVOURABLE: "orange", NEUTRAL_TONE: "gray"}

GAP_SYMBOLS = {CLOSING: "→←", STEADY: "=", WIDENING: "←→"}
VALUE_TONES = {BETTER: FAVOURABLE, SAME: NEUTRAL_TONE, WORSE: UNFAVOURABLE}
GAP_TONES = {CLOSING: FAVOURABLE, STEADY: NEUTRAL_TONE, WIDENING: UNFAVOURABLE}


def _missing(x: object) -> bool:
    """True for None and NaN."""
    return x is None or (isinstance(x, float) and math.isnan(x))


def change_arrow(change: float | None, unchanged: bool) -> str:
    """↑, ↓ or → for the direction the value moved."""
    if _missing(change) or unchanged:
        return "→"
    return "↑" if change > 0 else "↓"


def gap_verdict_label(verdict: str | None) -> str:
    """'→← närmar sig', '= oförändrat', '←→ avlägsnar sig', or '' without a verdict."""
    if not verdict or _missing(verdict):
        return ""
    return f"{GAP_SYMBOLS[verdict]} {verdict}"


def value_verdict_label(row: Mapping) -> str:
    """Arrow for the value's movement plus the direction-aware word; neutral indicators only say ökning/minskning."""
    change = row.get("value_change")
    verdict = row.get("value_verdict")
    if _missing(change):
        return ""
    if verdict and not _missing(verdict):
        return f"{change_arrow(change, verdict == SAME)} {verdict}"
    if round(abs(change), int(row.get("decimals", 1))) == 0:
        return "→ oförändrat"
    return f"{change_arrow(change, False)} {'ökning' if change > 0 else 'minskning'}"


def tone(verdict: str | None, kind: str = "gap") -> str:
    """The tone of a verdict: fördel, nackdel or neutral."""
    table = GAP_TONES if kind == "gap" else VALUE_TONES
    return table.get(verdict or "", NEUTRAL_TONE)


def gap_cell_text(row: Mapping) -> str:
    """A matrix cell: signed gap with its unit, and ▲/▼ for better/worse than the reference."""
    gap = row.get("gap")
    if _missing(gap):
        return MISSING
    decimals = int(row["decimals"]) if row["unit"] == PERCENT else 0
    unit = "pe" if row["unit"] == PERCENT else "%"
    sign = "+" if gap > 0 and format_number(gap, decimals) != format_number(0, decimals) else ""
    text = f"{sign}{format_number(gap, decimals)}{NBSP}{unit}"
    s = direction_sign(row.get("direction", ""))
    if s == 0 or _shows_as_zero(gap, row):
        return text
    return f"{text} {'▲' if gap * s > 0 else '▼'}"


def gap_tone(row: Mapping) -> str:
    """fördel when the area is better than the reference, nackdel when worse, neutral otherwise."""
    gap = row.get("gap")
    s = direction_sign(row.get("direction", ""))
    if _missing(gap) or s == 0 or _shows_as_zero(gap, row):
        return NEUTRAL_TONE
    return FAVOURABLE if gap * s > 0 else UNFAVOURABLE


def _shows_as_zero(gap: float, row: Mapping) -> bool:
    """True when a gap is displayed as 0 at the decimals its cell uses."""
    decimals = int(row["decimals"]) if row["unit"] == PERCENT else 0
    return format_number(abs(gap), decimals) == format_number(0, decimals)


def gap_phrase(row: Mapping, reference: str) -> str:
    """'27,1 procentenheter lägre än övriga Linköping' (or 'samma som …', or '' without a gap)."""
    gap = row.get("gap")
    if _missing(gap):
        return ""
    decimals = int(row["decimals"]) if row["unit"] == PERCENT else 0
    if _shows_as_zero(gap, row):
        return f"samma som {in_text(reference)}"
    word = "procentenheter" if row["unit"] == PERCENT else "procent"
    side = "högre" if gap > 0 else "lägre"
    return f"{format_number(abs(gap), decimals)} {word} {side} än {in_text(reference)}"


def value_text(row: Mapping, column: str = "value") -> str:
    """A value of a comparison row with its unit ('52,3 %', '388 500 kr')."""
    return format_value(row.get(column), row["unit"], int(row["decimals"]))


def change_text(row: Mapping) -> str:
    """The change since the baseline with sign and unit ('+2,3 pe', '−4 200 kr', '–' when unknown)."""
    change = row.get("value_change")
    if _missing(change):
        return MISSING
    decimals = int(row["decimals"])
    number = format_number(change, decimals)
    sign = "+" if change > 0 and number != format_number(0, decimals) else ""
    if row["unit"] == PERCENT:
        return f"{sign}{number}{NBSP}pe"
    suffix = unit_suffix(row["unit"])
    return f"{sign}{number}{NBSP}{suffix}" if suffix else f"{sign}{number}"
