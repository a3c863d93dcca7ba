"""The rules behind every verdict word: how gaps are measured, what counts as unchanged, which side an area is on.

Each rule is stated once, here, with the constants it uses; the method page ("Så räknar vi") and the README are
rendered from these constants (analysis/viewmodels/method.py), so what the board reads about the method is what the code does.

- A gap (skillnad mot jämförelseområdet) is measured per indicator: in procentenheter for shares, in the unit itself
  for days and points, in percent of the reference for the other measures. The catalogue may say otherwise per
  indicator (column Skillnad mäts i).
- Values and gaps are compared as they are shown: rounded to the indicator's decimals (whole percent for gaps in
  percent), so the same visible change always gets the same word.
- A change is "oförändrat" when it is smaller than the indicator's threshold: by default 1 procentenhet for shares and
  3 percent of the larger of the two levels for other measures (symmetric: 100 -> 103 and 103 -> 100 get the same
  word). The catalogue may set another threshold per indicator (column Oförändrat-gräns).
- The gap verdict says what happened, seen from the side the area is on: behind the reference it closes or widens,
  ahead of it the lead grows or shrinks, and crossing over is said as such (kommit ikapp, gått om, hamnat efter).
- Amounts in kronor are compared in fixed prices (KPI) when the KPI covers both years, else in current prices, and
  the words say which.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from analysis.core.categories import CATEGORY
from analysis.core.formatting import round_half_up
from analysis.core.model import GAP_MEASURES, GAP_PERCENT, GAP_PP, GAP_UNIT, HIGHER, LOWER, PERCENT
from analysis.core.model import is_missing as _missing

# --- how a gap is measured ----------------------------------------------------------------------------------------

PP, UNIT_GAP, PCT = GAP_PP, GAP_UNIT, GAP_PERCENT
COUNT, MONEY = "antal", "kronor"
#: The measure of a gap when the catalogue does not say: counts (antal) get no gap (areas differ in size).
DEFAULT_GAP_MEASURE: dict[str, str] = {
    PERCENT: PP,
    "dagar": UNIT_GAP,
    "poäng": UNIT_GAP,
    MONEY: PCT,
    "per 1 000 invånare": PCT,
    "index": PCT,
}
#: What a gap of each measure is called after its number.
GAP_MEASURE_WORDS: dict[str, str] = {PP: "procentenheter", PCT: "procent"}

# --- what counts as unchanged ---------------------------------------------------------------------------------------

#: Default threshold for shares (unit procent), in procentenheter.
THRESHOLD_POINTS = 1.0
#: Default threshold for other measures, in percent of the larger of the two levels compared.
THRESHOLD_SHARE = 3.0

#: The threshold rule in one sentence, for captions under tables (the method page says more).
THRESHOLD_TEXT = (
    f"Oförändrat betyder att förändringen som den visas är mindre än {THRESHOLD_POINTS:g} procentenhet för andelar och "
    f"{THRESHOLD_SHARE:g} procent av nivån för övriga mått, om inte indikatorn har en egen gräns (se Så räknar vi)."
)

# --- the words ------------------------------------------------------------------------------------------------------

BETTER, SAME, WORSE = "förbättring", "oförändrat", "försämring"
CLOSING, STEADY, WIDENING = "närmar sig", "oförändrat", "avlägsnar sig"
CAUGHT_UP, OVERTAKEN, FALLEN_BEHIND = "har kommit ikapp", "har gått om", "har hamnat efter"
LEAD_GROWS, LEAD_SHRINKS, LEAD_LOST = "försprånget ökar", "försprånget minskar", "har tappat försprånget"
#: Gap verdicts that are real improvements: only these count as "minskat gapet".
GAP_IMPROVED: frozenset[str] = frozenset({CLOSING, CAUGHT_UP, OVERTAKEN})
GAP_FAVOURABLE: frozenset[str] = GAP_IMPROVED | {LEAD_GROWS}
GAP_UNFAVOURABLE: frozenset[str] = frozenset({WIDENING, FALLEN_BEHIND, LEAD_SHRINKS, LEAD_LOST})
GAP_VERDICTS: tuple[str, ...] = (
    CLOSING,
    CAUGHT_UP,
    OVERTAKEN,
    LEAD_GROWS,
    STEADY,
    LEAD_SHRINKS,
    LEAD_LOST,
    WIDENING,
    FALLEN_BEHIND,
)
#: What each gap verdict means, for the method page and the legends.
GAP_VERDICT_MEANINGS: dict[str, str] = {
    CLOSING: "området ligger sämre till än jämförelseområdet och skillnaden har minskat",
    CAUGHT_UP: "området låg sämre till men är nu i nivå med jämförelseområdet",
    OVERTAKEN: "området låg sämre till eller i nivå men ligger nu bättre till än jämförelseområdet",
    LEAD_GROWS: "området ligger bättre till än jämförelseområdet och försprånget har ökat",
    STEADY: "skillnaden har ändrats mindre än gränsen för oförändrat (eller området är fortfarande i nivå)",
    LEAD_SHRINKS: "området ligger bättre till än jämförelseområdet men försprånget har minskat",
    LEAD_LOST: "området låg bättre till men är nu bara i nivå med jämförelseområdet",
    WIDENING: "området ligger sämre till än jämförelseområdet och skillnaden har ökat",
    FALLEN_BEHIND: "området låg bättre till eller i nivå men ligger nu sämre till än jämförelseområdet",
}
BEHIND, LEVEL, AHEAD = "sämre", "i nivå", "bättre"

# --- prices ---------------------------------------------------------------------------------------------------------

KPI_INDICATOR = "kpi"
FIXED_PRICES, CURRENT_PRICES = "fasta priser", "löpande priser"


def direction_sign(direction: str) -> int:
    """+1 when higher is better, -1 when lower is better, 0 for neutral indicators."""
    return {HIGHER: 1, LOWER: -1}.get(direction, 0)


def shown_exact(value: float | Decimal, decimals: int) -> Decimal:
    """A number as the reader sees it, exactly: rounded half up to `decimals` (59,96 -> 60,0 at one decimal)."""
    decimals = max(int(decimals), 0)
    if isinstance(value, Decimal):
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP) + 0
    return round_half_up(float(value), decimals)


def shown(value: float, decimals: int) -> float:
    """A number as it is shown: rounded half up to `decimals`, as the tables and sentences print it."""
    return float(shown_exact(value, decimals))


@dataclass(frozen=True)
class Rule:
    """How one indicator is compared: its unit, direction, decimals, gap measure and unchanged threshold."""

    unit: str
    direction: str
    decimals: int = 1
    gap_measure: str = PP
    threshold: float = THRESHOLD_POINTS

    @property
    def sign(self) -> int:
        """+1, -1 or 0 (neutral) from the direction."""
        return direction_sign(self.direction)

    @property
    def threshold_in_points(self) -> bool:
        """True for shares: the threshold is in procentenheter; otherwise it is percent of the level."""
        return self.unit == PERCENT

    @property
    def gap_decimals(self) -> int:
        """Decimals of a gap: the indicator's for procentenheter and the unit, whole percent for percent gaps."""
        return int(self.decimals) if self.gap_measure in (PP, UNIT_GAP) else 0

    @property
    def gap_unit(self) -> str:
        """The word after a gap's number: 'procentenheter', 'procent' or the unit ('dagar', 'poäng')."""
        return GAP_MEASURE_WORDS.get(self.gap_measure, self.unit if self.gap_measure == UNIT_GAP else "")

    @property
    def monetary(self) -> bool:
        """True for amounts in kronor (compared in fixed prices where the KPI covers the years)."""
        return self.unit == MONEY

    def threshold_text(self) -> str:
        """The threshold in words: '1 procentenhet', '3 procent av nivån'."""
        number = f"{self.threshold:g}".replace(".", ",")
        if self.threshold_in_points:
            return f"{number} {'procentenhet' if number == '1' else 'procentenheter'}"
        return f"{number} procent av nivån"


def default_gap_measure(unit: str) -> str:
    """The gap measure of a unit when the catalogue does not declare one ('' for counts and categories: no gap)."""
    return DEFAULT_GAP_MEASURE.get(unit, "" if unit in (COUNT, CATEGORY) else PCT)


def default_threshold(unit: str) -> float:
    """The unchanged threshold of a unit when the catalogue does not declare one."""
    return THRESHOLD_POINTS if unit == PERCENT else THRESHOLD_SHARE


def rule_for(meta: Mapping) -> Rule:
    """The comparison rule of a catalogue row (gap measure and threshold from the catalogue, else the defaults)."""
    unit = str(meta.get("unit") or "")
    declared = str(meta.get("gap_measure") or "").strip().lower()
    measure = declared if declared in GAP_MEASURES else default_gap_measure(unit)
    if unit in (COUNT, CATEGORY):
        measure = ""
    threshold = meta.get("threshold")
    threshold = default_threshold(unit) if _missing(threshold) or float(threshold) <= 0 else float(threshold)
    decimals = meta.get("decimals")
    return Rule(
        unit=unit,
        direction=str(meta.get("direction") or ""),
        decimals=1 if _missing(decimals) else int(decimals),
        gap_measure=measure,
        threshold=threshold,
    )


# --- gaps -----------------------------------------------------------------------------------------------------------


def gap_to_reference(value: float | None, reference: float | None, measure: str) -> float | None:
    """The area's difference from the reference in the gap's measure (None without one, or for a 0 reference in %)."""
    if _missing(value) or _missing(reference) or measure not in GAP_MEASURES:
        return None
    if measure in (PP, UNIT_GAP):
        return float(value) - float(reference)
    if float(reference) == 0:
        return None
    return (float(value) / float(reference) - 1.0) * 100.0


def gap_threshold(rule: Rule, reference_then: float | None = None, reference_now: float | None = None) -> float:
    """The unchanged threshold of a gap in the gap's own measure.

    Procentenheter and percent gaps use the threshold as it is (procentenheter; percentage points of the relative gap);
    a gap in the unit (days, points) uses the threshold's share of the reference level.
    """
    if rule.gap_measure == UNIT_GAP and not rule.threshold_in_points:
        levels = [abs(float(r)) for r in (reference_then, reference_now) if not _missing(r)]
        return rule.threshold / 100.0 * (max(levels) if levels else 0.0)
    return rule.threshold


# --- verdicts -------------------------------------------------------------------------------------------------------


def is_unchanged(then: float, now: float, rule: Rule) -> bool:
    """True when the shown change from `then` to `now` is smaller than the rule's threshold (symmetric)."""
    a, b = shown(then, rule.decimals), shown(now, rule.decimals)
    change = shown(b - a, rule.decimals)
    if change == 0:
        return True
    if rule.threshold_in_points:
        return abs(change) < rule.threshold
    return abs(change) < rule.threshold / 100.0 * max(abs(a), abs(b))


def value_verdict(then: float | None, now: float | None, rule: Rule) -> str | None:
    """'förbättring', 'oförändrat' or 'försämring' of the value; None for neutral indicators or missing values."""
    if rule.sign == 0 or _missing(then) or _missing(now):
        return None
    if is_unchanged(float(then), float(now), rule):
        return SAME
    return BETTER if (shown(float(now), rule.decimals) - shown(float(then), rule.decimals)) * rule.sign > 0 else WORSE


def gap_side(favourable: float, threshold: float) -> str:
    """Where an area stands against the reference: 'sämre', 'i nivå' (within the threshold) or 'bättre'."""
    if abs(favourable) < threshold or favourable == 0:
        return LEVEL
    return AHEAD if favourable > 0 else BEHIND


def gap_verdict(
    gap_then: float | None, gap_now: float | None, rule: Rule, threshold: float | None = None
) -> str | None:
    """What happened to the gap, from the side the area is on; None for neutral indicators or missing gaps.

    `threshold` is the gap's unchanged threshold in its measure (see gap_threshold; default: the rule's own).
    """
    if rule.sign == 0 or _missing(gap_then) or _missing(gap_now) or not rule.gap_measure:
        return None
    limit = rule.threshold if threshold is None else threshold
    d = rule.gap_decimals
    before, after = shown(float(gap_then) * rule.sign, d), shown(float(gap_now) * rule.sign, d)
    was, now = gap_side(before, limit), gap_side(after, limit)
    change = shown(abs(after) - abs(before), d)
    moved = change != 0 and abs(change) >= limit
    if was == BEHIND and now == BEHIND:
        return (CLOSING if change < 0 else WIDENING) if moved else STEADY
    if was == AHEAD and now == AHEAD:
        return (LEAD_GROWS if change > 0 else LEAD_SHRINKS) if moved else STEADY
    if now == AHEAD:
        return OVERTAKEN  # from behind or level
    if now == BEHIND:
        return FALLEN_BEHIND  # from ahead or level
    if was == BEHIND:
        return CAUGHT_UP
    if was == AHEAD:
        return LEAD_LOST
    return STEADY  # level then and now


# --- prices ---------------------------------------------------------------------------------------------------------


def in_fixed_prices(amount: float, year: int, to_year: int, kpi: pd.Series | None) -> float | None:
    """An amount of `year` in `to_year`'s prices by the KPI (None when the KPI lacks either year)."""
    if kpi is None or year not in kpi.index or to_year not in kpi.index:
        return None
    then, now = float(kpi.loc[year]), float(kpi.loc[to_year])
    if then <= 0 or math.isnan(then) or math.isnan(now):
        return None
    return float(amount) * now / then


def kpi_years_text(kpi: pd.Series | None) -> str:
    """The years the KPI covers, e.g. '2015–2023' ('' when there is no KPI)."""
    if kpi is None or not len(kpi):
        return ""
    return f"{int(kpi.index.min())}–{int(kpi.index.max())}"
