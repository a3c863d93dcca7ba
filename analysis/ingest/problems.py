"""Validation problems: one row per problem, in Swedish, with where it is and what to do."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from analysis.core.settings import limits
from analysis.core.xlsx_writer import append_row, safe_cell

ERROR = "Fel"
WARNING = "Varning"

PROBLEM_COLUMNS: tuple[str, ...] = ("nivå", "blad", "rad", "kolumn", "värde", "fel", "åtgärd")


def shorten(value: object, max_len: int | None = None) -> str:
    """A value as text for a message, cut with an ellipsis when long."""
    if value is None:
        return ""
    text = str(value).replace("\r", " ").replace("\n", " ")
    n = max_len or limits().max_text_in_message
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One finding: an error blocks the import, a warning does not."""

    level: str
    sheet: str
    row: int | None
    column: str
    value: str
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        """True when the problem blocks the import."""
        return self.level == ERROR

    def as_text(self) -> str:
        """One line for the command line: where, what, and what to do."""
        where = ", ".join(
            p
            for p in (
                f"blad {self.sheet}" if self.sheet else "",
                f"rad {self.row}" if self.row else "",
                f"kolumn {self.column}" if self.column else "",
            )
            if p
        )
        value = f" [{self.value}]" if self.value else ""
        hint = f" – {self.hint}" if self.hint else ""
        return f"{self.level}: {where + ': ' if where else ''}{self.message}{value}{hint}"


def error(sheet: str, row: int | None, column: str, value: object, message: str, hint: str = "") -> Problem:
    """An error (blocks the import), with the offending value shortened."""
    return Problem(ERROR, sheet, row, column, shorten(value), message, hint)


def warning(sheet: str, row: int | None, column: str, value: object, message: str, hint: str = "") -> Problem:
    """A warning (does not block the import), with the offending value shortened."""
    return Problem(WARNING, sheet, row, column, shorten(value), message, hint)


def has_errors(problems: list[Problem]) -> bool:
    """True when any problem blocks the import."""
    return any(p.is_error for p in problems)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as a table with Swedish columns, errors first, in sheet and row order."""
    rows = [
        (p.level, p.sheet, p.row, p.column, p.value, p.message, p.hint)
        for p in sorted(problems, key=lambda p: (not p.is_error, p.sheet, p.row or 0))
    ]
    frame = pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS))
    frame["rad"] = frame["rad"].astype("Int64")
    return frame


def problems_workbook(problems: list[Problem], file_name: str = "") -> bytes:
    """The problem table as an .xlsx (text cells never become formulas)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Problem"
    title = f"Kontroll av {file_name}" if file_name else "Kontroll av fil"
    ws.append([safe_cell(ws, title, font=Font(bold=True, size=13))])
    append_row(ws, ["Fel stoppar importen; varningar gör det inte. Radnummer är desamma som i Excel."])
    ws.append([safe_cell(ws, c, font=Font(bold=True)) for c in PROBLEM_COLUMNS])
    for p in sorted(problems, key=lambda p: (not p.is_error, p.sheet, p.row or 0)):
        append_row(ws, [p.level, p.sheet, p.row, p.column, p.value, p.message, p.hint])
    for letter, width in zip("ABCDEFG", (9, 16, 7, 18, 30, 70, 70)):
        ws.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
