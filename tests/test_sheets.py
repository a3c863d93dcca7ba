"""The sheet machinery: header rows, data rows and their checked cells, repeated keys, and the one sheet reader."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.ingest.context import ReadContext, ReadOptions
from analysis.ingest.contract import AREA_SHEET, DATA_SHEET, TEXT_SHEET
from analysis.ingest.excel import RawSheet, read_workbook
from analysis.ingest.problems import error, warning
from analysis.ingest.sheets import (
    Row,
    SheetReader,
    cell_at,
    check_duplicates,
    choice,
    column_label,
    data_rows,
    fill_absent_columns,
    find_header,
    read_sheet,
    records_of,
    whole_sheet,
)
from tests.builders import tiny_known, xlsx

H = ["Område", "Indikator", "År", "Värde"]


def sheet_of(rows: list[list[object]], name: str = "Blad") -> RawSheet:
    """The one sheet of an .xlsx holding these rows, as the reader sees it."""
    raw, problems = read_workbook(xlsx({name: rows}), "t.xlsx")
    assert not problems
    return raw.sheets[0]


@pytest.mark.parametrize(
    "row, index, cell",
    [(["a", "b"], 0, "a"), (["a", "b"], 1, "b"), (["a", "b"], 2, ""), (["a"], None, ""), ([], 0, "")],
)
def test_cell_at(row, index, cell):
    assert cell_at(row, index) == cell


@pytest.mark.parametrize(
    "rows, col_index, header, label",
    [
        ([H], 3, "Värde", "D (Värde)"),
        ([H], 0, "", "A"),
        ([[None, None, *H]], 0, "Område", "C (Område)"),  # two empty columns before the table: Excel's letters
    ],
)
def test_column_label(rows, col_index, header, label):
    assert column_label(sheet_of(rows), col_index, header) == label


MISSING_VALUE = ("Kolumnen Värde (eller Value, Varde) saknas.", "Lägg till kolumnen Värde i rubrikraden.")
NO_HEADER = (
    "Rubrikraden hittades inte.",
    "Första raden ska ha rubrikerna Område, Indikator, År, Värde, Kön, Grupp, Källa, Kommentar.",
)


@pytest.mark.parametrize(
    "rows, allow_years, header, problems",
    [
        # (rows, allow_years, (index, fields, year columns) or None, [(row, column, message, hint)])
        ([["Titel"], [], H, ["Berga", "folkmangd", 2020, 1]], False, (2, [0, 1, 2, 3], {}), []),
        ([H[:3], ["Berga", "folkmangd", 2020]], False, None, [(1, "Värde", *MISSING_VALUE)]),
        (
            [H[:3], ["Berga", "folkmangd", 2020]],
            True,
            None,
            [
                (1, "Värde", "Kolumnen Värde (eller Value, Varde) saknas – eller en kolumn per år (brett format).")
                + MISSING_VALUE[1:]
            ],
        ),
        (
            [["Område", "Indikator", 2020, 2021], ["Berga", "folkmangd", 1, 2]],
            True,
            (0, [0, 1], {2: 2020, 3: 2021}),
            [],
        ),
        (
            [["Område", "Area", "Indikator", "År", "Värde"]],
            False,
            (0, [0, 2, 3, 4], {}),
            [
                (
                    1,
                    "B (Area)",
                    "Kolumnen Område finns två gånger (även i kolumn A).",
                    "Ta bort eller byt namn på den ena kolumnen.",
                )
            ],
        ),
        ([["x", "y"], [1, 2]], False, None, [(None, "", *NO_HEADER)]),
    ],
)
def test_find_header(rows, allow_years, header, problems):
    found: list = []
    result = find_header(sheet_of(rows), DATA_SHEET, found, allow_years=allow_years)
    assert [(p.row, p.column, p.message, p.hint) for p in found] == problems
    if header is None:
        assert result is None
    else:
        assert (result.index, sorted(result.fields.values()), result.year_columns) == header


@pytest.mark.parametrize(
    "head, wide",
    [
        (["Område", "Indikator", "År", "Värde"], False),
        (["Område", "Indikator", 2020, 2021], True),
        (["Område", "Indikator", "Kön", 2019], True),
    ],
)
def test_a_header_is_wide_when_years_stand_for_year_and_value(head, wide):
    assert find_header(sheet_of([head]), DATA_SHEET, [], allow_years=True).is_wide is wide


def rows_of(rows: list[list[object]], spec=TEXT_SHEET) -> tuple[list[Row], list]:
    """The data rows of a sheet with these rows (the first one the header), and their shared problem list."""
    sheet = sheet_of(rows)
    problems: list = []
    return list(data_rows(sheet, spec, find_header(sheet, spec, problems), problems)), problems


def test_data_rows_skip_empty_rows_and_number_rows_as_excel_does():
    rows, _ = rows_of(
        [["Område", "Rubrik", "Text"], ["Berga", "Aktörer", "a"], [None, " ", None], ["Berga", "Styrkor"]]
    )
    assert [(r.number, r.cell("area"), r.cell("heading"), r.cell("text")) for r in rows] == [
        (2, "Berga", "Aktörer", "a"),
        (4, "Berga", "Styrkor", ""),  # a short row: cells beyond its end are ''
    ]
    assert rows[0].cell("source") == ""  # no Källa column: ''


@pytest.mark.parametrize(
    "field, cell, text, problems",
    [
        ("heading", "  Aktörer ", "Aktörer", []),
        ("heading", "x" * 200, "x" * 200, []),
        ("heading", "x" * 201, "", [("B (Rubrik)", "Texten är för lång (201 tecken, högst 200).", "Korta texten.")]),
        ("text", "x" * 20_000, "x" * 20_000, []),  # Text allows long prose
        ("source", "x" * 1_001, "", [("D (Källa)", "Texten är för lång (1001 tecken, högst 1000).", "Korta texten.")]),
        ("source", 2020.0, "2020", []),
    ],
)
def test_row_text_is_limited_by_its_column(field, cell, text, problems):
    row = {"heading": "Rubrik", "text": "Text", "source": "Källa"}
    cells = ["Berga", "h", "t", "s"]
    cells[["area", "heading", "text", "source"].index(field)] = cell
    rows, found = rows_of([["Område", *row.values()], cells])
    assert rows[0].text(field) == text
    assert [(p.column, p.message, p.hint) for p in found] == problems


def test_a_formula_without_value_is_an_error_not_text():
    rows, problems = rows_of([["Område", "Rubrik", "Text"], ["Berga", "=A1", "t"]])
    assert rows[0].text("heading") == ""
    assert [(p.row, p.column, p.value, p.message) for p in problems] == [
        (2, "B (Rubrik)", "(formel)", "Cellen innehåller en formel utan beräknat värde.")
    ]


@pytest.mark.parametrize(
    "cell, blank, value, problems",
    [
        ("fokusområde", "", "Fokusområde", []),
        ("JAMFORELSE", "", "Jämförelse", []),
        ("", "", "", []),  # an optional choice may be blank
        ("", None, None, ["Okänd områdestyp."]),  # a required one may not
        ("Stadsdel", "", None, ["Okänd områdestyp."]),
    ],
)
def test_row_choice(cell, blank, value, problems):
    rows, found = rows_of([["Område", "Typ"], ["Berga", cell or None]], AREA_SHEET)
    assert rows[0].choice("type", ("Fokusområde", "Jämförelse"), "Okänd områdestyp.", blank=blank) == value
    assert [p.message for p in found] == problems
    if problems:
        assert (found[0].column, found[0].hint) == ("B (Typ)", "Välj en av Fokusområde, Jämförelse.")


def test_row_label_names_the_contract_header_or_the_header_as_written():
    rows, _ = rows_of([["Area", "Heading", "Text"], ["Berga", "h", "t"]])
    assert rows[0].label("heading") == "B (Rubrik)"
    assert rows[0].label("heading", as_written=True) == "B (Heading)"


@pytest.mark.parametrize(
    "raw, aliases, value",
    [
        ("Högre är bättre", None, "Högre är bättre"),
        ("hogre ar battre", None, "Högre är bättre"),
        ("upp", None, None),
        ("upp", {"upp": "Högre är bättre"}, "Högre är bättre"),
        (None, None, None),
    ],
)
def test_choice(raw, aliases, value):
    assert choice(raw, ("Högre är bättre", "Neutral"), aliases) == value


def test_check_duplicates_names_the_first_row_of_each_repeat():
    problems: list = []
    keys = [("berga",), ("skaggetorp",), ("berga",), ("berga",)]
    check_duplicates("Områden", keys, [2, 3, 5, 9], "Området", problems)
    assert [(p.row, p.value, p.message) for p in problems] == [
        (5, "berga", "Området finns redan på rad 2."),
        (9, "berga", "Området finns redan på rad 2."),
    ]


def test_a_repeated_key_is_shown_without_its_blank_parts():
    problems: list = []
    check_duplicates("Åtgärder", [("a01", ""), ("a01", ""), ("a01", "Plan 2")], [2, 3, 4], "Åtgärdens id", problems)
    assert [(p.row, p.value) for p in problems] == [(3, "a01")]


def test_fill_absent_columns_keeps_stored_values_of_existing_keys_only():
    known = pd.DataFrame([{"name": "Berga", "type": "Fokusområde", "code": "1", "aliases": "B"}])
    frame = pd.DataFrame(
        [
            {"name": "Berga", "type": "Övrigt", "code": "", "aliases": ""},
            {"name": "Ny", "type": "Övrigt", "code": "", "aliases": ""},
        ]
    )
    filled = fill_absent_columns("areas", frame, {"name", "type", "code"}, known)
    assert filled.to_dict("records") == [
        {"name": "Berga", "type": "Övrigt", "code": "", "aliases": "B"},  # Alias was not on the sheet: kept
        {"name": "Ny", "type": "Övrigt", "code": "", "aliases": ""},
    ]


@pytest.mark.parametrize("level, is_error", [(error, True), (warning, False)])
def test_whole_sheet_problem(level, is_error):
    p = whole_sheet(level, "Data", "Bladet är dolt.", "Gör det synligt.")
    assert (p.sheet, p.row, p.column, p.value, p.message, p.hint, p.is_error) == (
        "Data",
        None,
        "",
        "",
        "Bladet är dolt.",
        "Gör det synligt.",
        is_error,
    )


def _text_record(row: Row, ctx: ReadContext) -> dict[str, object] | None:
    """A bare record builder: every row with a heading, the area taken as written."""
    heading = row.text("heading")
    return {"area": row.text("area"), "heading": heading, "text": row.text("text")} if heading else None


def test_read_sheet_builds_the_table_and_checks_the_specs_unique_keys():
    finished = []
    reader = SheetReader(TEXT_SHEET, _text_record, finish=lambda read, ctx: finished.append((read.sheet, read.rows)))
    sheet = sheet_of(
        [["Område", "Rubrik", "Text"], ["Berga", "Aktörer", "a"], ["Berga", None, "b"], ["Berga", "aktörer", "c"]],
        "Områdestexter",
    )
    ctx = ReadContext(tiny_known(), ReadOptions())
    frame = read_sheet(reader, sheet, ctx)
    assert list(frame.columns) == ["area", "heading", "text", "source"]
    assert frame[["heading", "text"]].values.tolist() == [["Aktörer", "a"], ["aktörer", "c"]]
    assert [(p.row, p.value, p.message) for p in ctx.problems] == [
        (4, "Berga | aktorer", "Samma område och rubrik finns redan på rad 2.")  # headings compared loosely
    ]
    assert finished == [("Områdestexter", [2, 4])]


@pytest.mark.parametrize(
    "found, records",
    [
        (None, []),
        ({"a": 1}, [{"a": 1}]),
        ([], []),
        ([{"a": 1}, {"a": 2}], [{"a": 1}, {"a": 2}]),
    ],
)
def test_records_of_a_row(found, records):
    assert records_of(found) == records


def _one_text_per_heading(row: Row, ctx: ReadContext) -> list[dict[str, object]]:
    """A record builder that gives one record per ';'-separated heading (as an action row gives one per plan)."""
    headings = [h.strip() for h in row.text("heading").split(";") if h.strip()]
    return [{"area": row.text("area"), "heading": h, "text": row.text("text")} for h in headings]


def test_a_row_may_become_several_records_each_checked_for_repeats_at_its_row():
    sheet = sheet_of(
        [
            ["Område", "Rubrik", "Text"],
            ["Berga", "Aktörer; Styrkor", "a"],
            ["Berga", None, "b"],
            ["Berga", "styrkor", "c"],
        ],
        "Områdestexter",
    )
    finished = []
    reader = SheetReader(TEXT_SHEET, _one_text_per_heading, finish=lambda read, ctx: finished.append(read.rows))
    ctx = ReadContext(tiny_known(), ReadOptions())
    frame = read_sheet(reader, sheet, ctx)
    assert frame[["heading", "text"]].values.tolist() == [["Aktörer", "a"], ["Styrkor", "a"], ["styrkor", "c"]]
    assert finished == [[2, 2, 4]]  # the Excel row of each record
    assert [(p.row, p.message) for p in ctx.problems] == [(4, "Samma område och rubrik finns redan på rad 2.")]


def test_read_sheet_without_its_header_row_reads_nothing():
    ctx = ReadContext(tiny_known(), ReadOptions())
    assert read_sheet(SheetReader(TEXT_SHEET, _text_record), sheet_of([["Område", "Text"]]), ctx) is None
    assert [p.message for p in ctx.problems] == ["Kolumnen Rubrik (eller Heading) saknas."]
