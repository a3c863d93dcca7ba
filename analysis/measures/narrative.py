"""Swedish sentences built from the numbers: levels, gaps, changes since the baseline year.

Sentences state facts only and agree with the verdicts: they use the same rules (analysis/measures/verdicts.py), the same
rounding and the same gap measure as the tables, so a sentence never states equal numbers as a change, never says a
value is missing when it exists, and names the measure and years it speaks of. Neutral (descriptive) indicators get
no value judgement, and missing data is said plainly, naming exactly which value is missing.
"""

from __future__ import annotations

from collections.abc import Mapping

from analysis.core.breaks import parse_breaks
from analysis.core.formatting import format_number
from analysis.core.groups import among_phrase
from analysis.core.model import PERCENT, SEX_WORDS
from analysis.core.model import is_missing as _missing
from analysis.core.units import unit_word
from analysis.measures.compare import BASELINE_LOOKBACK, GapCount
from analysis.measures.verdicts import (
    CAUGHT_UP,
    COUNT,
    CURRENT_PRICES,
    FALLEN_BEHIND,
    FIXED_PRICES,
    LEAD_GROWS,
    LEAD_LOST,
    LEAD_SHRINKS,
    OVERTAKEN,
    PCT,
    STEADY,
    gap_side,
    gap_threshold,
    is_unchanged,
    rule_for,
    shown,
)


def in_text(area: str) -> str:
    """An area name as written inside a sentence ('Övriga Linköping' -> 'övriga Linköping')."""
    if area.startswith("Övriga ") or area.startswith("Övrig "):
        return area[0].lower() + area[1:]
    return area


def capitalise(text: str) -> str:
    """The text with its first letter in upper case."""
    return text[:1].upper() + text[1:] if text else text


def value_phrase(value: float, unit: str, decimals: int) -> str:
    """A value with its unit word: '52,3 procent', '388 500 kronor', '10 070'."""
    word = unit_word(unit)
    number = format_number(value, decimals)
    return f"{number} {word}" if word else number


def points_phrase(amount: float, decimals: int) -> str:
    """'3,2 procentenheter', with the singular for exactly one ('1 procentenhet')."""
    number = format_number(abs(amount), decimals)
    return f"{number} procentenhet" if number == "1" else f"{number} procentenheter"


def _gap_decimals(row: Mapping) -> int:
    """Decimals of the row's gap, from its rule."""
    return rule_for(row).gap_decimals


def gap_amount(amount: float, row: Mapping) -> str:
    """A gap's size with its unit: '27,1 procentenheter', '15,0 dagar', '22 procent'."""
    rule = rule_for(row)
    decimals = rule.gap_decimals
    if rule.gap_measure == PCT:
        return f"{format_number(abs(amount), decimals)} procent"
    if rule.unit == PERCENT:
        return points_phrase(amount, decimals)
    word = unit_word(rule.unit) or rule.gap_unit
    return f"{format_number(abs(amount), decimals)} {word}".strip()


def _gap_text(gap: float, row: Mapping) -> str:
    """'27,1 procentenheter lägre' or '22 procent högre'."""
    return f"{gap_amount(gap, row)} {'högre' if gap > 0 else 'lägre'}"


def _rounds_to_zero(x: float, decimals: int) -> bool:
    """True when a number shows as 0 at the given decimals."""
    return shown(abs(x), decimals) == 0


def _what(row: Mapping) -> str:
    """The indicator as the subject of a sentence, lower case ('förvärvsfrekvensen', 'ohälsotal')."""
    definite = str(row.get("definite") or "").strip()
    what = definite or str(row["name"])
    return what[:1].lower() + what[1:]


def level_sentence(row: Mapping, area: str, reference: str) -> str:
    """How the area stands in its latest year, and how far from the reference."""
    unit, decimals = row["unit"], int(row["decimals"])
    definite = str(row.get("definite") or "").strip()
    ref = in_text(reference)
    if _missing(row.get("value")):
        return f"Det finns inga uppgifter om {_what(row)} i {area}."
    value = value_phrase(row["value"], unit, decimals)
    year = int(row["year"])
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
            return f"{text}. Uppgift för {ref} {year} saknas."
        return f"{text}. Skillnaden i procent mot {ref} kan inte beräknas eftersom värdet där var 0 {year}."
    if _rounds_to_zero(gap, _gap_decimals(row)):
        return f"{text}, samma nivå som i {ref}."
    return f"{text}, {_gap_text(gap, row)} än i {ref}."


def _no_change_sentence(row: Mapping, area: str, reference: str, baseline: int) -> str:
    """Why the change since the baseline cannot be described: exactly which value is missing."""
    ref = in_text(reference)
    year = int(row["year"])
    base_year = row.get("baseline_year")
    if _missing(base_year):
        if row.get("baseline_missing") == "break":
            return (
                f"{_break_clause(row)}. Det finns inget senare år före {year} att jämföra med, så utvecklingen "
                f"sedan {baseline} kan inte beskrivas utan att jämföra över avbrottet."
            )
        if row.get("baseline_missing") == "latest" or year <= baseline:
            return (
                f"Den senaste uppgiften för {area} är från {year}, så det finns ännu ingen utveckling sedan "
                f"basåret {baseline} att beskriva."
            )
        who = ref if row.get("baseline_missing") == "reference" else area
        return (
            f"Det finns inget värde för {who} för {baseline} eller de {BASELINE_LOOKBACK} åren före, så "
            "utvecklingen sedan dess kan inte beskrivas."
        )
    base_year = int(base_year)
    if _missing(row.get("baseline_reference_value")):
        return f"Uppgift för {ref} {base_year} saknas, så utvecklingen av skillnaden sedan dess kan inte beskrivas."
    return (
        f"Skillnaden i procent {base_year} kan inte beräknas eftersom värdet för {ref} var 0 då, så utvecklingen "
        "av skillnaden kan inte beskrivas."
    )


def _break_clause(row: Mapping) -> str:
    """'Serien bryts 2019 (RAMS ersattes av BAS)', for the row's series break."""
    year = int(row["series_break"])
    text = next((b.text for b in parse_breaks(row.get("breaks"))[0] if b.year == year), "")
    return f"Serien bryts {year}" + (f" ({text.rstrip('.')})" if text else "")


def break_sentence(row: Mapping) -> str:
    """Why the change is counted from a later year than the baseline: a series break ('' when none moved it)."""
    if _missing(row.get("series_break")) or _missing(row.get("baseline_year")) or _missing(row.get("value")):
        return ""
    return (
        f"{_break_clause(row)}, så utvecklingen räknas från {int(row['baseline_year'])}: värden före och efter "
        "avbrottet jämförs inte."
    )


def _crossing_sentence(row: Mapping, area: str, reference: str, base_year: int) -> str:
    """The gap then and now, when the area has moved to the other side of the reference (measure and years named)."""
    ref = in_text(reference)
    then, now = float(row["baseline_gap"]), float(row["gap"])
    decimals = _gap_decimals(row)
    now_text = f"samma nivå som i {ref}" if _rounds_to_zero(now, decimals) else f"{_gap_text(now, row)}"
    then_text = f"samma nivå som i {ref}" if _rounds_to_zero(then, decimals) else f"{_gap_text(then, row)} än i {ref}"
    return f"År {base_year} var {_what(row)} i {area} {then_text}; år {int(row['year'])} var det {now_text}."


def change_sentence(row: Mapping, area: str, reference: str, baseline: int) -> str:
    """How the gap to the reference has changed since the baseline year ('' when nothing to say)."""
    if _missing(row.get("value")):
        return ""
    if row["unit"] == COUNT:
        return _count_change_sentence(row, baseline)
    if _missing(row.get("baseline_year")) or _missing(row.get("baseline_gap")) or _missing(row.get("gap")):
        return _no_change_sentence(row, area, reference, baseline)
    base_year = int(row["baseline_year"])
    rule = rule_for(row)
    then, now = float(row["baseline_gap"]), float(row["gap"])
    limit = gap_threshold(rule, row.get("baseline_reference_value"), row.get("reference_value"))
    sign = rule.sign or 1  # neutral indicators: the side is just above or below
    was, is_now = (
        gap_side(shown(then * sign, rule.gap_decimals), limit),
        gap_side(shown(now * sign, rule.gap_decimals), limit),
    )
    verdict = None if _missing(row.get("gap_verdict")) else row["gap_verdict"]
    if (was != is_now and "i nivå" not in (was, is_now)) or verdict in (CAUGHT_UP, OVERTAKEN, FALLEN_BEHIND, LEAD_LOST):
        return _crossing_sentence(row, area, reference, base_year)
    change = shown(abs(now), rule.gap_decimals) - shown(abs(then), rule.gap_decimals)
    steady = verdict == STEADY if verdict else abs(shown(change, rule.gap_decimals)) < limit or change == 0
    if steady:
        return f"Skillnaden är i stort sett oförändrad sedan {base_year}."
    if verdict in (LEAD_GROWS, LEAD_SHRINKS):
        word = "ökat" if verdict == LEAD_GROWS else "minskat"
        return (
            f"{area} ligger bättre till än {in_text(reference)}, och försprånget har {word} "
            f"{_by_or_from_to(then, now, row)} sedan {base_year}."
        )
    direction = "minskat" if change < 0 else "ökat"
    return f"Skillnaden har {direction} {_by_or_from_to(then, now, row)} sedan {base_year}."


def _by_or_from_to(then: float, now: float, row: Mapping) -> str:
    """'med 2,4 procentenheter' for differences; 'från 30 till 27 procent' for relative gaps."""
    rule = rule_for(row)
    if rule.gap_measure == PCT:
        d = rule.gap_decimals
        return f"från {format_number(abs(then), d)} till {format_number(abs(now), d)} procent"
    change = shown(abs(now), rule.gap_decimals) - shown(abs(then), rule.gap_decimals)
    return f"med {gap_amount(change, row)}"


def _count_change_sentence(row: Mapping, baseline: int) -> str:
    """For counts: the change of the value itself since the baseline year."""
    base_year, then, now = row.get("baseline_year"), row.get("baseline_value"), row.get("value")
    if _missing(base_year) or _missing(then) or _missing(now):
        year = int(row["year"])
        if year <= baseline:
            return (
                f"Den senaste uppgiften är från {year}, så det finns ännu ingen utveckling sedan basåret {baseline} "
                "att beskriva."
            )
        return (
            f"Det finns inget värde för {baseline} eller de {BASELINE_LOOKBACK} åren före, så utvecklingen sedan "
            "dess kan inte beskrivas."
        )
    decimals = int(row["decimals"])
    change = shown(float(now), decimals) - shown(float(then), decimals)
    if change == 0:
        return f"Antalet är detsamma som {int(base_year)}."
    word = "fler" if change > 0 else "färre"
    share = f" ({format_number(abs(change) / float(then) * 100, 1)} procent)" if then else ""
    return f"Det är {format_number(abs(change), decimals)}{share} {word} än {int(base_year)}."


def price_sentence(row: Mapping) -> str:
    """For amounts in kronor: the change of the value itself, saying whether it is in fixed or current prices."""
    basis, then, change = row.get("price_basis"), row.get("baseline_value"), row.get("value_change")
    if row.get("unit") != "kronor" or _missing(basis) or not basis or _missing(then) or _missing(change):
        return ""
    base_year, year = int(row["baseline_year"]), int(row["year"])
    compared = float(row["value"]) - float(change)  # the baseline value in the prices the change is computed in
    percent = shown(float(change) / compared * 100, 1) if compared else 0.0
    if is_unchanged(compared, float(row["value"]), rule_for(row)):
        movement = "i stort sett oförändrat"
    else:
        movement = f"{'ökat' if percent > 0 else 'minskat'} med {format_number(abs(percent), 1)} procent"
    if basis == FIXED_PRICES:
        return f"I fasta priser (KPI, {year} års priser) har värdet {movement} sedan {base_year}."
    if basis == CURRENT_PRICES:
        return (
            f"I löpande priser har värdet {movement} sedan {base_year}; det finns ingen KPI för båda åren, så "
            "prisökningarna är inte avräknade."
        )
    return ""


def sex_sentence(row: Mapping) -> str:
    """The values for women and men (or girls and boys) in the latest year ('' when not split by sex)."""
    if _missing(row.get("women")) or _missing(row.get("men")):
        return ""
    unit, decimals = row["unit"], int(row["decimals"])
    words = str(row.get("sex_words") or "").strip() or SEX_WORDS[0]
    female, male = words.split(" och ")
    women = value_phrase(row["women"], unit, decimals)
    men = value_phrase(row["men"], unit, decimals)
    if unit == COUNT:
        return f"Av dem var {women} {female} och {men} {male} {int(row['year'])}."
    return f"Bland {female} var värdet {women} och bland {male} {men} {int(row['year'])}."


def group_sentence(row: Mapping, group: str, area: str, reference: str) -> str:
    """How one group fares in the area against the same group in the reference, in the latest year with both:
    'Bland utrikes födda i Skäggetorp var förvärvsfrekvensen 47,1 procent 2024, 21,2 procentenheter lägre än bland
    utrikes födda i övriga Linköping.' (the within-group gap segregation analysis compares)."""
    among = among_phrase(group)
    if not among:
        return level_sentence(row, area, reference)
    if _missing(row.get("value")):
        return f"{capitalise(among)} i {area} finns inga uppgifter om {_what(row)}."
    unit, decimals = row["unit"], int(row["decimals"])
    value = value_phrase(row["value"], unit, decimals)
    year = int(row["year"])
    when = f"{year}" if unit_word(unit) else f"år {year}"
    text = f"{capitalise(among)} i {area} var {_what(row)} {value} {when}"
    gap, ref = row.get("gap"), in_text(reference)
    if unit == COUNT:
        return f"{text}."
    if _missing(gap):
        return f"{text}. Uppgift {among} i {ref} {year} saknas."
    if _rounds_to_zero(gap, _gap_decimals(row)):
        return f"{text}, samma nivå som {among} i {ref}."
    return f"{text}, {_gap_text(gap, row)} än {among} i {ref}."


def indicator_sentence(row: Mapping, area: str, reference: str, baseline: int) -> str:
    """The level and gap sentence followed by the change since the baseline year (and prices for kronor)."""
    parts = [
        level_sentence(row, area, reference),
        change_sentence(row, area, reference, baseline),
        break_sentence(row),
        price_sentence(row),
    ]
    return " ".join(p for p in parts if p)


def area_summary_sentence(area: str, reference: str, counts: GapCount, baseline: int) -> str:
    """'I Skäggetorp har skillnaden mot övriga Linköping minskat för 9 av 16 indikatorer sedan 2020, …'"""
    if counts.total == 0:
        return f"För {area} finns inga indikatorer med uppgifter både {baseline} och senare."
    text = (
        f"I {area} har skillnaden mot {in_text(reference)} minskat för {counts.closing} av {counts.total} "
        f"indikatorer sedan {baseline}, utvecklats ogynnsamt för {counts.widening} och är i stort sett oförändrad "
        f"för {counts.steady}"
    )
    if counts.lead_growing:
        text += f"; för {counts.lead_growing} ligger {area} redan bättre till och försprånget har ökat"
    return text + "."
