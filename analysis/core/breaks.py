"""Series breaks: the years from which an indicator's values are not comparable with earlier ones.

The catalogue's Serieavbrott cell lists them as 'år: vad som ändrades', several separated by ';'
('2019: RAMS ersattes av BAS; 2015: meritvärdet räknas på 17 ämnen'). A break in year B means the values of B and
later are measured differently from those before B: charts mark it, and no change or verdict spans it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.core.missing import is_missing

_BREAK = re.compile(r"^\s*(\d{4})\s*[:–-]\s*(.+?)\s*$", re.DOTALL)
FIRST_BREAK_YEAR, LAST_BREAK_YEAR = 1900, 2100


@dataclass(frozen=True)
class SeriesBreak:
    """One break: the first year measured the new way, and what changed."""

    year: int
    text: str


def parse_breaks(cell: object) -> tuple[tuple[SeriesBreak, ...], str | None]:
    """The breaks of a Serieavbrott cell in year order, and a Swedish description of what is wrong (None if
    nothing is); blank means no breaks."""
    if is_missing(cell) or not str(cell).strip():
        return (), None
    found: dict[int, SeriesBreak] = {}
    for part in str(cell).split(";"):
        if not part.strip():
            continue
        match = _BREAK.match(part)
        if match is None:
            return (), f"”{part.strip()}” är inte ett år följt av kolon och vad som ändrades."
        year, text = int(match.group(1)), " ".join(match.group(2).split())
        if not FIRST_BREAK_YEAR <= year <= LAST_BREAK_YEAR:
            return (), f"Året {year} är inte ett rimligt år för ett serieavbrott."
        if year in found:
            return (), f"Året {year} står två gånger."
        found[year] = SeriesBreak(year, text)
    return tuple(found[y] for y in sorted(found)), None


def break_years(cell: object) -> tuple[int, ...]:
    """The years of a Serieavbrott cell's breaks (none when blank or unreadable)."""
    breaks, _ = parse_breaks(cell)
    return tuple(b.year for b in breaks)


def last_break_within(years: tuple[int, ...], first: int, last: int) -> int | None:
    """The latest break year B with first < B <= last: values before B and from B on are not comparable."""
    inside = [b for b in years if first < b <= last]
    return max(inside) if inside else None
