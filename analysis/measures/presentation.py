"""Presenting comparisons: verdict arrows and words, cell texts, favourable/unfavourable tones.

Shared by pages, slides and documents, so a verdict always reads and looks the same.
"""

from __future__ import annotations

from collections.abc import Mapping

from analysis.core.formatting import MISSING, NBSP, format_number, format_value
from analysis.core.model import PERCENT, is_missing
from analysis.core.units import unit_suffix
from analysis.measures.narrative import in_text
from analysis.measures.verdicts import (
    BETTER,
    CAUGHT_UP,
    CLOSING,
    FALLEN_BEHIND,
    GAP_FAVOURABLE,
    GAP_UNFAVOURABLE,
    GAP_VERDICTS,
    LEAD_GROWS,
    LEAD_LOST,
    LEAD_SHRINKS,
    OVERTAKEN,
    PCT,
    PP,
    SAME,
    STEADY,
    WIDENING,
    WORSE,
    direction_sign,
    rule_for,
    shown,
)

FAVOURABLE, UNFAVOURABLE, NEUTRAL_TONE = "fördel", "nackdel", "neutral"

# Okabe–Ito blue for favourable, a dark vermillion for unfavourable, grey for neutral: colour-blind safe, and never
# alone (symbols and words say the same). Each is also a text colour: 4.5:1 on white and on its own tint.
TONE_COLOURS = {FAVOURABLE: "#0072B2", UNFAVOURABLE: "#A84B00", NEUTRAL_TONE: "#666666"}
#: Opacity of a tone's colour as the background of a table cell written in that colour (ui.tone_css).
TONE_TINT = 0x14 / 255
TONE_STREAMLIT = {FAVOURABLE: "blue", UNFAVOURABLE: "orange", NEUTRAL_TONE: "gray"}

# A symbol for every gap verdict (never colour alone): arrows towards each other when the gap to a reference the
# area trails closes, up when the area gets or stays ahead, down when it falls back.
GAP_SYMBOLS = {
    CLOSING: "→←",
    CAUGHT_UP: "→|",
    OVERTAKEN: "↗",
    LEAD_GROWS: "↑",
    STEADY: "=",
    LEAD_SHRINKS: "↓",
    LEAD_LOST: "↘",
    WIDENING: "←→",
    FALLEN_BEHIND: "↘",
}
VALUE_TONES = {BETTER: FAVOURABLE, SAME: NEUTRAL_TONE, WORSE: UNFAVOURABLE}
GAP_TONES = {
    v: FAVOURABLE if v in GAP_FAVOURABLE else UNFAVOURABLE if v in GAP_UNFAVOURABLE else NEUTRAL_TONE
    for v in GAP_VERDICTS
}
#: Short unit after a gap's number in tables ('pe', '%', or the unit's own suffix).
GAP_SUFFIX = {PP: "pe", PCT: "%"}


def change_arrow(change: float | None, unchanged: bool) -> str:
    """↑, ↓ or → for the direction the value moved."""
    if is_missing(change) or unchanged:
        return "→"
    return "↑" if change > 0 else "↓"


def gap_verdict_label(verdict: str | None) -> str:
    """'→← närmar sig', '= oförändrat', '←→ avlägsnar sig', or '' without a verdict."""
    if is_missing(verdict) or not verdict:
        return ""
    return f"{GAP_SYMBOLS[verdict]} {verdict}"


def value_verdict_label(row: Mapping) -> str:
    """Arrow for the value's movement plus the direction-aware word; neutral indicators only say ökning/minskning."""
    change = row.get("value_change")
    verdict = row.get("value_verdict")
    if is_missing(change):
        return ""
    basis = row.get("price_basis")
    prices = f" i {basis}" if not is_missing(basis) and basis else ""
    if not is_missing(verdict) and verdict:
        return f"{change_arrow(change, verdict == SAME)} {verdict}{prices}"
    if round(abs(change), int(row.get("decimals", 1))) == 0:
        return f"→ oförändrat{prices}"
    return f"{change_arrow(change, False)} {'ökning' if change > 0 else 'minskning'}{prices}"


def tone(verdict: str | None, kind: str = "gap") -> str:
    """The tone of a verdict: fördel, nackdel or neutral."""
    table = GAP_TONES if kind == "gap" else VALUE_TONES
    return table.get(verdict or "", NEUTRAL_TONE)


def _gap_decimals(row: Mapping) -> int:
    """Decimals of the row's gap (from its rule; whole percent for percent gaps when the row does not say)."""
    if not is_missing(row.get("gap_decimals")):
        return int(row["gap_decimals"])
    return int(row["decimals"]) if row.get("unit") == PERCENT else 0


def gap_suffix(row: Mapping) -> str:
    """The short unit of the row's gap: 'pe', '%' or the unit's suffix ('dagar', 'poäng')."""
    measure = row.get("gap_measure") or (PP if row.get("unit") == PERCENT else PCT)
    return GAP_SUFFIX.get(measure) or unit_suffix(str(row.get("unit", ""))) or str(row.get("unit", ""))


def gap_cell_text(row: Mapping) -> str:
    """A matrix cell: signed gap with its unit, and ▲/▼ for better/worse than the reference."""
    gap = row.get("gap")
    if is_missing(gap):
        return MISSING
    decimals = _gap_decimals(row)
    sign = "+" if gap > 0 and format_number(gap, decimals) != format_number(0, decimals) else ""
    text = f"{sign}{format_number(gap, decimals)}{NBSP}{gap_suffix(row)}"
    s = direction_sign(row.get("direction", ""))
    if s == 0 or _shows_as_zero(gap, row):
        return text
    return f"{text} {'▲' if gap * s > 0 else '▼'}"


def gap_tone(row: Mapping) -> str:
    """fördel when the area is better than the reference, nackdel when worse, neutral otherwise."""
    gap = row.get("gap")
    s = direction_sign(row.get("direction", ""))
    if is_missing(gap) or s == 0 or _shows_as_zero(gap, row):
        return NEUTRAL_TONE
    return FAVOURABLE if gap * s > 0 else UNFAVOURABLE


def _shows_as_zero(gap: float, row: Mapping) -> bool:
    """True when a gap is displayed as 0 at the decimals its cell uses."""
    decimals = _gap_decimals(row)
    return format_number(abs(gap), decimals) == format_number(0, decimals)


def gap_words(row: Mapping) -> str:
    """The unit of the row's gap in words: 'procentenheter', 'procent' or the unit ('dagar', 'poäng')."""
    unit = row.get("gap_unit")
    if not is_missing(unit) and unit:
        return str(unit)
    return "procentenheter" if row.get("unit") == PERCENT else "procent"


def gap_phrase(row: Mapping, reference: str) -> str:
    """'27,1 procentenheter lägre än övriga Linköping' (or 'samma som …', or '' without a gap)."""
    gap = row.get("gap")
    if is_missing(gap):
        return ""
    if _shows_as_zero(gap, row):
        return f"samma som {in_text(reference)}"
    side = "högre" if gap > 0 else "lägre"
    return f"{format_number(abs(gap), _gap_decimals(row))} {gap_words(row)} {side} än {in_text(reference)}"


def value_text(row: Mapping, column: str = "value") -> str:
    """A value of a comparison row with its unit ('52,3 %', '388 500 kr')."""
    return format_value(row.get(column), row["unit"], int(row["decimals"]))


def change_text(row: Mapping) -> str:
    """The change since the baseline with sign and unit ('+2,3 pe', '−4 200 kr (fasta priser)', '–' when unknown)."""
    change = row.get("value_change")
    if is_missing(change):
        return MISSING
    decimals = int(row["decimals"])
    number = format_number(change, decimals)
    sign = "+" if change > 0 and number != format_number(0, decimals) else ""
    if row["unit"] == PERCENT:
        return f"{sign}{number}{NBSP}pe"
    suffix = unit_suffix(row["unit"])
    text = f"{sign}{number}{NBSP}{suffix}" if suffix else f"{sign}{number}"
    basis = row.get("price_basis")
    return f"{text} ({basis})" if not is_missing(basis) and basis else text


def gap_text(gap: object, meta: Mapping) -> str:
    """A gap to the reference with sign and unit, as the indicator's rule measures it: '+5,2 procentenheter',
    '+15,0 dagar', '-12 procent' (relative gaps in whole percent)."""
    if is_missing(gap):
        return MISSING
    rule = rule_for(meta)
    text = format_number(gap, rule.gap_decimals)
    sign = "+" if shown(float(gap), rule.gap_decimals) > 0 else ""
    return f"{sign}{text}\u00a0{rule.gap_unit}"
