"""Interpreting single cells: numbers with Swedish formatting, years, dates, text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

# Markers statistical producers (SCB, PxWeb, Kolada, Eurostat) use for missing or suppressed values.
MISSING_MARKERS: dict[str, str] = {
    "..": "Uppgift saknas eller är för osäker (..)",
    "…": "Uppgift saknas eller är för osäker (..)",
    ".": "Uppgift saknas (.)",
    "-": "Uppgift saknas (-)",
    "–": "Uppgift saknas (-)",
    "—": "Uppgift saknas (-)",
    "x": "Sekretess: uppgiften är skyddad (x)",
    ":": "Uppgift saknas (:)",
}
EXCEL_ERRORS = (
    "#DIV/0!",
    "#N/A",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SE_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_YEAR = re.compile(r"^(\d{4})(\.0+)?$")

MIN_YEAR, MAX_YEAR = 1900, 2100


def is_blank(cell: object) -> bool:
    """True for an empty cell (None, empty or whitespace-only text)."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


# C0 control characters (but tab and line breaks) and DEL: invisible, refused by Word and Excel, never meant as data.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cell_text(cell: object) -> str:
    """A cell as trimmed text without control characters; whole floats without '.0' (580.0 -> '580')."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "Ja" if cell else "Nej"
    if isinstance(cell, float) and math.isfinite(cell) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time(0) else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return _CONTROL_CHARACTERS.sub("", str(cell)).strip()


@dataclass(frozen=True)
class ParsedNumber:
    """A cell read as a number: the value, or why it is missing, or what is wrong with it."""

    value: float | None = None
    missing_note: str = ""
    percent_sign: bool = False
    error: str = ""
    hint: str = ""
    uncertain: bool = False  # written in parentheses, '(12,3)': a figure too uncertain to compare

    @property
    def is_missing(self) -> bool:
        """True when the cell is empty or a missing/suppressed marker."""
        return self.value is None and not self.error


def parse_number(cell: object) -> ParsedNumber:
    """A number from a cell: 18,9 / 18.9 / 251 234 / 12,3 % / .. / x; errors explained in Swedish."""
    if is_blank(cell):
        return ParsedNumber()
    if isinstance(cell, bool):
        return ParsedNumber(error="Värdet är SANT/FALSKT, inte ett tal.", hint="Skriv ett tal.")
    if isinstance(cell, (datetime, date, time, timedelta)):
        return ParsedNumber(
            error="Värdet är ett datum eller en tid, inte ett tal.",
            hint="Formatera cellen som Tal i Excel och skriv talet.",
        )
    if isinstance(cell, (int, float)):
        v = float(cell)
        if not math.isfinite(v):
            return ParsedNumber(
                error="Värdet är inte ett ändligt tal (NaN eller oändligt).",
                hint="Skriv ett tal eller lämna cellen tom.",
            )
        return ParsedNumber(value=v)
    text = str(cell).strip()
    if len(text) > 2 and text[0] == "(" and text[-1] == ")":
        inner = parse_number(text[1:-1])
        return inner if inner.value is None else replace(inner, uncertain=True)
    if text in MISSING_MARKERS or text.lower() == "x":
        return ParsedNumber(missing_note=MISSING_MARKERS.get(text, MISSING_MARKERS["x"]))
    if text.upper() in EXCEL_ERRORS:
        return ParsedNumber(
            error=f"Cellen innehåller Excel-felet {text}.", hint="Rätta formeln i Excel eller skriv in värdet."
        )
    s = text.replace("\u2212", "-").replace("–", "-")
    percent = s.endswith("%")
    if percent:
        s = s[:-1]
    s = _SPACES.sub("", s)
    if "," in s and "." in s:
        # The last separator is the decimal one: "1.234,5" or "1,234.5".
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    else:
        s = s.replace(",", ".")
    if s.lower() in {"nan", "inf", "+inf", "-inf", "infinity", "-infinity"}:
        return ParsedNumber(
            error="Värdet är inte ett ändligt tal (NaN eller oändligt).", hint="Skriv ett tal eller lämna cellen tom."
        )
    if not _NUMBER.match(s):
        return ParsedNumber(
            error="Värdet är inte ett tal.",
            hint="Skriv talet med siffror, t.ex. 18,9 eller 251 234. Saknas värdet: lämna tomt eller skriv ..",
        )
    v = float(s)
    if not math.isfinite(v):
        return ParsedNumber(error="Talet är för stort.", hint="Kontrollera värdet.")
    return ParsedNumber(value=v, percent_sign=percent)


def parse_year(cell: object) -> tuple[int | None, str]:
    """A year from a cell, or None and a Swedish explanation (blank gives None and '')."""
    if is_blank(cell):
        return None, ""
    if isinstance(cell, bool):
        return None, "Årtalet är SANT/FALSKT."
    if isinstance(cell, (datetime, date)):
        return None, "Cellen innehåller ett datum där ett årtal väntas."
    if isinstance(cell, (int, float)):
        v = float(cell)
        if not math.isfinite(v) or not v.is_integer():
            return None, "Årtalet är inte ett heltal."
        year = int(v)
    else:
        m = _YEAR.match(str(cell).strip())
        if not m:
            return None, "Årtalet är inte ett heltal med fyra siffror."
        year = int(m.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None, f"Årtalet ligger utanför {MIN_YEAR}–{MAX_YEAR}."
    return year, ""


def year_header(cell: object) -> int | None:
    """The year a column header names (2019, 2019.0 or '2019'), else None."""
    if isinstance(cell, bool) or isinstance(cell, (datetime, date)):
        return None
    year, problem = parse_year(cell)
    return year if year is not None and not problem else None


def parse_date(cell: object) -> tuple[str, str]:
    """An ISO date 'YYYY-MM-DD' from a cell (date, 2024-05-01, 1/5/2024), or '' and a problem."""
    if is_blank(cell):
        return "", ""
    if isinstance(cell, datetime):
        return cell.date().isoformat(), ""
    if isinstance(cell, date):
        return cell.isoformat(), ""
    text = str(cell).strip()
    for pattern, order in ((_ISO_DATE, (1, 2, 3)), (_SE_DATE, (3, 2, 1))):
        m = pattern.match(text)
        if m:
            y, mo, d = (int(m.group(i)) for i in order)
            try:
                return date(y, mo, d).isoformat(), ""
            except ValueError:
                return "", "Datumet finns inte."
    year, problem = parse_year(cell)
    if year is not None and not problem:
        return "", "Ett årtal är inget datum."
    return "", "Datumet kan inte läsas."


def parse_bool(cell: object) -> bool | None:
    """Ja/Nej, true/false, x, 1/0 as a boolean; None when the cell says something else."""
    if is_blank(cell):
        return False
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, (int, float)):
        return bool(cell)
    key = str(cell).strip().casefold()
    if key in {"ja", "j", "yes", "y", "true", "sant", "x", "1"}:
        return True
    if key in {"nej", "n", "no", "false", "falskt", "0"}:
        return False
    return None
