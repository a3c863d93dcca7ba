"""Swedish sentences built from the numbers: levels, gaps, changes since the baseline year.

Sentences state facts only; neutral (descriptive) indicators get no value judgement, and
missing data is said plainly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from analysis.compare import COUNT, PP, STEADY, GapCount, is_unchanged
from analysis.model import PERCENT
from analysis.formatting import format_number

_UNIT_WORDS = {
    PERCENT: "procent",
    "kronor": "kronor",
    "dagar": "dagar",
    "per 1 000 invånare": "per 1 000 invånare",
    "poäng": "poäng",
}


def _missing(x: object) -> bool:
    """True for None and NaN."""
    return x is None or (isinstance(x, float) and math.isnan(x))


def in_text(area: str) -> str:
    """An area name as written inside a sentence ('Övriga Linköping' -> 'övriga Linköping')."""
    if area.startswith("Övriga ") or area.startswith("Övrig "):
        return area[0].lower() + area[1:]
    return area


def unit_word(unit: str) -> str:
    """The word after a number of this unit ('procent', 'kronor', …; '' for antal and index)."""
    return _UNIT_WORDS.get(unit, "")


def capitalise(text: str) -> str:
    """The text with its first letter in upper case."""
    return text[:1].upper() + text[1:] if text else text


def value_phrase(value: float, unit: str, decimals: int) -> str:
    """A value with its unit word: '52,3 procent', '388 500 kronor', '10 070'."""
    word = unit_word(unit)
    number = format_number(value, decimals)
    return f"{number} {word}" if word else number


def _gap_decimals(row: Mapping) -> int:
    """Decimals for a gap: the indicator's for procentenheter, whole percent otherwise."""
    return int(row["decimals"]) if row["unit"] == PERCENT else 0


def points_phrase(amount: float, decimals: int) -> str:
    """'3,2 procentenheter', with the singular for exactly one ('1 procentenhet')."""
    number = format_number(abs(amount), decimals)
    return f"{number} procentenhet" if number == "1" else f"{number} {PP}"


def _gap_text(gap: float, row: Mapping) -> str:
    """'27,1 procentenheter lägre' or '22 procent högre'."""
    decimals = _gap_decimals(row)
    side = "högre" if gap > 0 else "lägre"
    if row["unit"] == PERCENT:
        return f"{points_phrase(gap, decimals)} {side}"
    return f"{format_number(abs(gap), decimals)} procent {side}"


def _rounds_to_zero(x: float, decimals: int) -> bool:
    """True when a number shows as 0 at the given decimals."""
    return round(abs(x), decimals) == 0


def level_sentence(row: Mapping, area: str, reference: str) -> str:
    """How the area stands in its latest year, and how far from the reference."""
    unit, decimals = row["unit"], int(row["decimals"])
    definite = str(row.get("definite") or "").strip()
    ref = in_text(reference)
    if _missing(row.get("value")):
        what = definite or str(row["name"])
        return f"Det finns inga uppgifter om {what[:1].lower() + what[1:]} i {area}."
    value = value_phrase(row["value"], unit, decimals)
    year = row["year"]
    when = f"{year}" if unit_word(unit) else f"år {year}"
    if definite:
        text = f"{capitalise(definite)} i {area} var {value} {when}"
    else:
        text = f"{row['name']}: {value} i {area} {when}"
    gap = row.get("gap")
    if unit == COUNT:
        return f"{text}."
    if _missing(gap):
        if _missing(row.get("reference_value")):
            return f"{text}. Uppgift för {ref} saknas för {year}."
        return f"{text}. Skillnaden i procent mot {ref} kan inte beräknas eftersom värdet där är 0."
    if _rounds_to_zero(gap, _gap_decimals(row)):
        return f"{text}, samma nivå som i {ref}."
    return f"{text}, {_gap_text(gap, row)} än i {ref}."


def change_sentence(row: Mapping, area: str, reference: str, baseline: int) -> str:
    """How the gap to the reference has changed since the baseline year ('' when nothing to say)."""
    if _missing(row.get("value")):
        return ""
    ref = in_text(reference)
    base_year = row.get("baseline_year")
    if row["unit"] == COUNT:
        return _count_change_sentence(row, baseline)
    if _missing(base_year) or _missing(row.get("baseline_gap")) or _missing(row.get("gap")):
        return f"Uppgifter för {baseline} saknas, så utvecklingen sedan dess kan inte beskrivas."
    base_year = int(base_year)
    then, now = float(row["baseline_gap"]), float(row["gap"])
    decimals = _gap_decimals(row)
    if then * now < 0 and not _rounds_to_zero(then, decimals) and not _rounds_to_zero(now, decimals):
        before = "högre" if then > 0 else "lägre"
        after = "högre" if now > 0 else "lägre"
        return f"{base_year} låg {area} {before} än {ref}; nu ligger {area} {after}."
    change = abs(now) - abs(then)
    steady = row.get("gap_verdict") == STEADY if row.get("gap_verdict") else is_unchanged(change, then)
    if steady:
        return f"Skillnaden är i stort sett oförändrad sedan {base_year}."
    direction = "minskat" if change < 0 else "ökat"
    if row["unit"] == PERCENT:
        return f"Skillnaden har {direction} med {points_phrase(change, decimals)} sedan {base_year}."
    return (f"Skillnaden har {direction} från {format_number(abs(then), 0)} till {format_number(abs(now), 0)} "
            f"procent sedan {base_year}.")


def _count_change_sentence(row: Mapping, baseline: int) -> str:
    """For counts: the change of the value itself since the baseline year."""
    base_year, then, now = row.get("baseline_year"), row.get("baseline_value"), row.get("value")
    if _missing(base_year) or _missing(then) or _missing(now):
        return f"Uppgifter för {baseline} saknas, så utvecklingen sedan dess kan inte beskrivas."
    change = float(now) - float(then)
    if round(change) == 0:
        return f"Antalet är detsamma som {int(base_year)}."
    word = "fler" if change > 0 else "färre"
    share = f" ({format_number(abs(change) / float(then) * 100, 1)} procent)" if then else ""
    return f"Det är {format_number(abs(change), int(row['decimals']))}{share} {word} än {int(base_year)}."


def sex_sentence(row: Mapping) -> str:
    """The values for women and men in the latest year ('' when not split by sex)."""
    if _missing(row.get("women")) or _missing(row.get("men")):
        return ""
    unit, decimals = row["unit"], int(row["decimals"])
    women = value_phrase(row["women"], unit, decimals)
    men = value_phrase(row["men"], unit, decimals)
    return f"Bland kvinnor var värdet {women} och bland män {men}."


def indicator_sentence(row: Mapping, area: str, reference: str, baseline: int) -> str:
    """The level and gap sentence followed by the change since the baseline year."""
    parts = [level_sentence(row, area, reference), change_sentence(row, area, reference, baseline)]
    return " ".join(p for p in parts if p)


def area_summary_sentence(area: str, reference: str, counts: GapCount, baseline: int) -> str:
    """'I Skäggetorp har skillnaden mot övriga Linköping minskat för 9 av 16 indikatorer sedan 2020.'"""
    if counts.total == 0:
        return f"För {area} finns inga indikatorer med uppgifter både {baseline} och senare."
    return (f"I {area} har skillnaden mot {in_text(reference)} minskat för {counts.closing} av {counts.total} "
            f"indikatorer sedan {baseline}, ökat för {counts.widening} och är i stort sett oförändrad för {counts.steady}.")
