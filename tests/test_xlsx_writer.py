"""The one safe cell writer: numbers stay numbers, text stays text (never a formula), illegal characters removed."""

from __future__ import annotations

import io
import math
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from analysis.core.xlsx_writer import MAX_CELL_TEXT, XLSXWRITER_OPTIONS, append_row, cell_value, put, safe_cell

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        (math.nan, None),
        (pd.NA, None),
        (pd.NaT, None),
        (np.nan, None),
        (math.inf, None),
        (True, "Ja"),
        (np.bool_(False), "Nej"),
        (7, 7),
        (np.int64(2023), 2023),
        (12.5, 12.5),
        (np.float32(0.5), 0.5),
        (Decimal("1.25"), 1.25),
        ("Berga\x01", "Berga"),
        ("a\x00b\x1fc\td\ne", "abc\td\ne"),  # tab and line feed are allowed in a cell
        (HYPERLINK, HYPERLINK),
        ("", None),
        ("\x01", None),
        (date(2026, 11, 26), date(2026, 11, 26)),
        (datetime(2026, 11, 26, 8, 30, tzinfo=UTC), datetime(2026, 11, 26, 8, 30)),
    ],
)
def test_cell_value(value, expected):
    assert cell_value(value) == expected
    assert type(cell_value(value)) is type(expected)


def test_long_text_is_cut_to_excels_maximum():
    assert len(cell_value("x" * (MAX_CELL_TEXT + 10))) == MAX_CELL_TEXT


def read_back(data: Workbook):
    """A workbook saved and opened again with openpyxl."""
    buf = io.BytesIO()
    data.save(buf)
    return load_workbook(io.BytesIO(buf.getvalue())).active


ROW = ["Berga\x01", HYPERLINK, 12.5, 2023, True, None, "@SUM(A1)"]
EXPECTED = ("Berga", HYPERLINK, 12.5, 2023, "Ja", None, "@SUM(A1)")


def test_append_row_in_a_normal_worksheet():
    wb = Workbook()
    append_row(wb.active, ROW, [None, None, "#,##0.0", "0"])
    ws = read_back(wb)
    assert next(ws.iter_rows(values_only=True)) == EXPECTED
    assert [c.data_type for c in ws[1]][:5] == ["s", "s", "n", "n", "s"]
    assert (ws["C1"].number_format, ws["D1"].number_format) == ("#,##0.0", "0")


def test_append_row_in_a_write_only_worksheet():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    append_row(ws, ROW)
    ws.append([safe_cell(ws, "=1+1", "0")])
    ws = read_back(wb)
    assert list(ws.iter_rows(values_only=True)) == [EXPECTED, ("=1+1",) + (None,) * 6]
    assert ws["B1"].data_type == ws["A2"].data_type == "s"


def test_put_writes_text_as_text_and_formats_only_filled_cells():
    wb = Workbook()
    ws = wb.active
    assert put(ws, 2, 3, HYPERLINK).data_type == "s"
    assert put(ws, 3, 3, None, "0.0").number_format == "General"
    assert put(ws, 4, 3, 0.5, "0.0%").number_format == "0.0%"
    back = read_back(wb)
    assert (back["C2"].value, back["C2"].data_type, back["C4"].value) == (HYPERLINK, "s", 0.5)


def test_xlsxwriter_writes_strings_as_strings():
    import xlsxwriter

    buf = io.BytesIO()
    workbook = xlsxwriter.Workbook(buf, {"in_memory": True, **XLSXWRITER_OPTIONS})
    sheet = workbook.add_worksheet()
    sheet.write(0, 0, HYPERLINK)
    sheet.write(1, 0, "http://example.com")
    sheet.write(2, 0, "12")
    workbook.close()
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    assert [(c.value, c.data_type, c.hyperlink) for (c,) in ws.iter_rows()] == [
        (HYPERLINK, "s", None),
        ("http://example.com", "s", None),
        ("12", "s", None),
    ]
