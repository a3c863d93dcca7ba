"""Target attainment (måluppfyllelse): every rule once, here; `target_attainment` applies them.

A target is judged from its own base year: the path (målbanan) is the straight line from the area's value in the
target's base year to the target value in the target year. The rules in Swedish (ATTAINMENT_RULES) are shown on the
follow-up page, in the report and on the method page, so what the reader is told is what the code does.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from analysis.core.formatting import format_number, format_value
from analysis.core.model import HIGHER, LOWER, is_missing
from analysis.measures.verdicts import direction_sign, shown_exact

#: The label of the newest follow-up (the latest year the focus areas have values for).
NOW_LABEL = "Nu"
REACHED, NOT_REACHED = "uppnått", "inte uppnått"
ON_TRACK, NOT_ON_TRACK = "i fas", "inte i fas"
WRONG_WAY, CANNOT_ASSESS = "målet pekar åt fel håll", "kan inte bedömas"
#: Every attainment word, in the order of the tables. Only REACHED and ON_TRACK are good news.
ATTAINMENT_ORDER: tuple[str, ...] = (REACHED, ON_TRACK, NOT_ON_TRACK, NOT_REACHED, WRONG_WAY, CANNOT_ASSESS)
#: The straight line from the area's value in the target's base year to the target value in the target year.
PATH = "målbanan"
#: What is missing when a target cannot be assessed (said after "kan inte bedömas: ").
NO_DIRECTION = "indikatorn är beskrivande (varken höga eller låga värden är bättre)"
NO_BASE_YEAR = "målet saknar basår"
NO_VALUE = "värden för indikatorn saknas"
NO_BASE_VALUE = "värde för basåret {base_year} saknas"
BAD_TARGET_YEAR = "målåret {target_year} är inte efter basåret {base_year}"
NO_LATER_VALUE = "värden efter basåret {base_year} saknas"
#: The column with the path's value in the latest value's year (tables and report).
PATH_HEADER = "Målbana senaste år"
#: Added to a verdict made on a value older than the follow-up year.
AGE_NOTE = "senaste värde {year}"
#: The rules in Swedish, one sentence each, for the page, the report and a method page ("Så räknar vi").
ATTAINMENT_RULES: tuple[str, ...] = (
    f"Varje mål bedöms från sitt eget basår: {PATH} är den raka linjen från områdets värde basåret till målvärdet "
    "målåret.",
    f"Bättre betyder högre när {HIGHER.lower()} och lägre när {LOWER.lower()}, och beskrivande indikatorer "
    f"{CANNOT_ASSESS}.",
    f"Värdena jämförs avrundade till indikatorns antal decimaler, så som de visas: {format_number(59.96, 2)} visas "
    f"som {format_number(59.96, 1)} och når därför målet {format_number(60, 1)}.",
    f"{REACHED.capitalize()}: senaste värdet är lika med målvärdet eller bättre.",
    f"{ON_TRACK.capitalize()}: före målåret ligger senaste värdet på {PATH} eller bättre det år värdet gäller, "
    f"annars är målet {NOT_ON_TRACK}.",
    f"Från och med målåret (när uppföljningsåret eller senaste värdets år har nått målåret) är målet bara "
    f"{REACHED} eller {NOT_REACHED}.",
    f"{WRONG_WAY.capitalize()}: målvärdet är sämre än värdet basåret, och ett sådant mål räknas aldrig som "
    f"{REACHED} eller {ON_TRACK} förrän målet har rättats.",
    f"Är senaste värdet äldre än uppföljningsåret bedöms målet ändå, och bedömningen säger hur gammalt värdet är "
    f"({AGE_NOTE.format(year=2021)}).",
    f"Uppföljningsåret är det valda uppföljningsåret, och för ”{NOW_LABEL}” det senaste år som fokusområdena har "
    "något värde för.",
    f"{CANNOT_ASSESS.capitalize()} när målet saknar basår, när målåret inte ligger efter basåret, när värdet basåret "
    "saknas eller när värden efter basåret saknas, och bedömningen säger vad som saknas.",
)


@dataclass(frozen=True)
class Attainment:
    """A target's attainment: the word (ATTAINMENT_ORDER, '' without a target), the Swedish text shown and the
    value of the path (målbanan) in the latest value's year when the word was decided against it."""

    word: str
    text: str
    path_value: float | None = None


def path_value(base_value: float, base_year: int, target_value: float, target_year: int, year: int) -> Decimal:
    """The value of the straight line from the base year's value to the target value in a year, exactly."""
    base, target = Decimal(repr(float(base_value))), Decimal(repr(float(target_value)))
    return base + (target - base) * (int(year) - int(base_year)) / (int(target_year) - int(base_year))


def _cannot_assess(reason: str) -> Attainment:
    """'kan inte bedömas: <what is missing>'."""
    return Attainment(CANNOT_ASSESS, f"{CANNOT_ASSESS}: {reason}")


def target_attainment(
    value: float | None,
    year: int | None,
    base_value: float | None,
    base_year: int | None,
    target_value: float | None,
    target_year: int | None,
    followup_year: int | None,
    direction: str,
    decimals: int = 1,
    unit: str = "",
) -> Attainment:
    """The attainment of a target by ATTAINMENT_RULES, from the latest value and the target's own base year.

    Checked in this order: no target (''), descriptive indicator, base year, values and base value missing
    (kan inte bedömas), target worse than the base value (målet pekar åt fel håll), reached, from the target year on
    not reached, no value after the base year, and else on the path (i fas) or not. Values are compared as shown,
    rounded to `decimals`; a verdict on a value older than `followup_year` says the value's year.
    """
    if is_missing(target_value) or is_missing(target_year):
        return Attainment("", "")
    sign = direction_sign(direction)
    if sign == 0:
        return _cannot_assess(NO_DIRECTION)
    if is_missing(base_year):
        return _cannot_assess(NO_BASE_YEAR)
    base_year, target_year = int(base_year), int(target_year)
    if is_missing(value) or is_missing(year):
        return _cannot_assess(NO_VALUE)
    if is_missing(base_value):
        return _cannot_assess(NO_BASE_VALUE.format(base_year=base_year))
    if target_year <= base_year:
        return _cannot_assess(BAD_TARGET_YEAR.format(target_year=target_year, base_year=base_year))
    year, decimals = int(year), 0 if is_missing(decimals) else int(decimals)
    seen, seen_target = shown_exact(value, decimals), shown_exact(target_value, decimals)
    if (seen_target - shown_exact(base_value, decimals)) * sign < 0:
        return Attainment(
            WRONG_WAY,
            f"{WRONG_WAY}: målvärdet {format_value(target_value, unit, decimals)} är sämre "
            f"än värdet basåret {base_year} ({format_value(base_value, unit, decimals)}), "
            f"och {direction.lower()}",
        )
    aged = not is_missing(followup_year) and year < int(followup_year)
    note = f" ({AGE_NOTE.format(year=year)})" if aged else ""
    if (seen - seen_target) * sign >= 0:
        return Attainment(REACHED, REACHED + note)
    if year >= target_year or (not is_missing(followup_year) and int(followup_year) >= target_year):
        return Attainment(NOT_REACHED, NOT_REACHED + note)
    if year <= base_year:
        return _cannot_assess(NO_LATER_VALUE.format(base_year=base_year))
    path = path_value(base_value, base_year, target_value, target_year, year)
    word = ON_TRACK if (seen - shown_exact(path, decimals)) * sign >= 0 else NOT_ON_TRACK
    return Attainment(word, word + note, float(path))


def target_for(targets: pd.DataFrame | list[dict], area: str, indicator: str, year: int | None) -> dict | None:
    """The area's target for an indicator: the first target year not before `year`, else the latest; None if none."""
    records = targets.to_dict("records") if isinstance(targets, pd.DataFrame) else targets
    hits = sorted(
        (r for r in records if r["area"] == area and r["indicator"] == indicator and not is_missing(r["target_year"])),
        key=lambda r: int(r["target_year"]),
    )
    if not hits:
        return None
    ahead = [r for r in hits if year is not None and int(r["target_year"]) >= year]
    row = ahead[0] if ahead else hits[-1]
    return {k: (None if is_missing(v) else v) for k, v in row.items()}
