"""The problem list: one row per problem, and its Excel download that survives any value from the upload."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from analysis.ingest.problems import PROBLEM_COLUMNS, error, problems_frame, problems_workbook, warning

HYPERLINK = '=HYPERLINK("http://x","y")'
PROBLEMS = [
    warning("Data", 7, "Kommentar", HYPERLINK, "Texten ser ut som en formel", "Kontrollera texten."),
    error("Data", 5, "Område", "Berga\x01", "Okänt område", "Lägg till området på bladet Områden."),
]


def test_problems_frame_puts_errors_first():
    frame = problems_frame(PROBLEMS)
    assert list(frame.columns) == list(PROBLEM_COLUMNS)
    assert frame["nivå"].tolist() == ["Fel", "Varning"]
    assert frame["rad"].tolist() == [5, 7]


def test_problems_workbook_keeps_text_as_text_and_removes_characters_excel_rejects():
    ws = load_workbook(io.BytesIO(problems_workbook(PROBLEMS, "data\x02.xlsx"))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Kontroll av data.xlsx"
    assert rows[2] == PROBLEM_COLUMNS
    assert rows[3] == ("Fel", "Data", 5, "Område", "Berga", "Okänt område", "Lägg till området på bladet Områden.")
    assert rows[4] == (
        "Varning",
        "Data",
        7,
        "Kommentar",
        HYPERLINK,
        "Texten ser ut som en formel",
        "Kontrollera texten.",
    )
    assert ws["E5"].data_type == "s"  # the formula text is a string
    assert ws["C4"].data_type == "n"  # the row number is a number
    assert ws["A1"].font.bold and all(c.font.bold for c in ws[3])
