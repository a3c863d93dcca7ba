"""Categorical indicators (unit 'kategori'): a code per area and year with its label in the catalogue.

The catalogue's Kategorier cell lists the codes as 'kod: benämning; …', e.g. SCB's områdestyper '1: Områden med
stora socioekonomiska utmaningar; …; 5: Områden med mycket goda socioekonomiska förutsättningar'. Values are the
codes; they are never averaged, compared as gaps or judged better or worse.
"""

from __future__ import annotations

import re

from analysis.core.missing import is_missing

CATEGORY = "kategori"
_ENTRY = re.compile(r"^\s*(\d{1,3})\s*[:–-]\s*(.+?)\s*$", re.DOTALL)


def parse_categories(cell: object) -> tuple[dict[int, str], str | None]:
    """Code -> label of a Kategorier cell in code order, and a Swedish description of what is wrong (None if
    nothing is); blank means no categories."""
    if is_missing(cell) or not str(cell).strip():
        return {}, None
    found: dict[int, str] = {}
    for part in str(cell).split(";"):
        if not part.strip():
            continue
        match = _ENTRY.match(part)
        if match is None:
            return {}, f"”{part.strip()}” är inte en kod följd av kolon och en benämning."
        code = int(match.group(1))
        if code in found:
            return {}, f"Koden {code} står två gånger."
        found[code] = " ".join(match.group(2).split())
    return dict(sorted(found.items())), None


def category_label(categories: dict[int, str], value: object) -> str:
    """'1 – Områden med stora socioekonomiska utmaningar' for a code; the bare number for an unknown code; '–'."""
    if is_missing(value):
        return "–"
    code = int(round(float(value)))
    label = categories.get(code)
    return f"{code} – {label}" if label else str(code)


def codes_text(categories: dict[int, str]) -> str:
    """The codes for a message: '1, 2, 3, 4 eller 5'."""
    codes = [str(c) for c in categories]
    return codes[0] if len(codes) == 1 else f"{', '.join(codes[:-1])} eller {codes[-1]}"
