"""Safe cells for every workbook we write: numbers stay numbers, text stays text and never becomes a formula.

All .xlsx exports (downloads, the problem list, the template and data export, the follow-up report) write their cells
through `safe_cell`/`put`, and the workbooks python-pptx embeds in PowerPoint charts are written by XlsxWriter with
`XLSXWRITER_OPTIONS`. Text from the data is cleaned of the control characters Excel rejects, is cut to Excel's
maximum cell length and is always stored as a string (data type 's'): '=HYPERLINK(…)' stays the text it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal

import numpy as np
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from analysis.core.model import is_missing

YES, NO = "Ja", "Nej"
MAX_CELL_TEXT = 32_767  # Excel's limit; a longer cell makes Excel "repair" the file
# XlsxWriter (used by python-pptx for chart data) otherwise turns '=…' into formulas and 'http://…' into links.
XLSXWRITER_OPTIONS: dict[str, bool] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def cell_text(value: object) -> str:
    """Text a cell can hold: characters Excel rejects removed, at most Excel's maximum length."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL_TEXT]


def cell_value(value: object) -> object:
    """A safe cell value: numbers stay numbers, missing -> empty, bool -> Ja/Nej, dates stay dates, the rest text."""
    if is_missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return YES if value else NO
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating, Decimal)):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, (datetime, time)):
        return value.replace(tzinfo=None)  # Excel has no time zones; openpyxl refuses aware values
    if isinstance(value, date):
        return value
    return cell_text(value) or None


def fill(cell: Cell, value: object, number_format: str | None = None) -> Cell:
    """Put a value in a cell safely (text always a string, never a formula) with a number format for non-empty cells."""
    safe = cell_value(value)
    cell.value = safe
    if isinstance(safe, str):
        cell.data_type = "s"  # openpyxl makes text starting with '=' a formula
    if number_format and safe is not None:
        cell.number_format = number_format
    return cell


def safe_cell(ws: Worksheet, value: object, number_format: str | None = None, font: Font | None = None) -> Cell:
    """A safe cell for `ws.append`, in normal and write-only worksheets alike."""
    cell = fill(WriteOnlyCell(ws), value, number_format)
    if font is not None:
        cell.font = font
    return cell


def append_row(ws: Worksheet, values: Iterable[object], number_formats: Sequence[str | None] = ()) -> None:
    """Append a row of safe cells (one optional number format per column) to a normal or write-only worksheet."""
    formats = list(number_formats)
    ws.append([safe_cell(ws, v, formats[i] if i < len(formats) else None) for i, v in enumerate(values)])


def put(ws: Worksheet, row: int, column: int, value: object, number_format: str | None = None) -> Cell:
    """Write one safe cell at a place in a normal worksheet and return it (for styling)."""
    return fill(ws.cell(row, column), value, number_format)
