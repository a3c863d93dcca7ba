"""Observations: one value checked against its year, sex and unit, the checks over all rows, the Data sheet."""

from __future__ import annotations

import math

import pytest

from analysis.ingest.context import LAYOUT_LONG, LAYOUT_WIDE, ReadContext, ReadInfo, ReadOptions
from analysis.ingest.contract import DATA_SHEET
from analysis.ingest.excel import RawSheet, read_workbook
from analysis.ingest.observations import (
    Obs,
    RowKeys,
    ValueCell,
    check_observations,
    observation,
    observations_frame,
    read_template_data,
    unit_problem,
)
from analysis.ingest.sheets import find_header
from analysis.ingest.validate import parse_workbook
from tests.builders import tiny_known, xlsx


def data_sheet_of(rows: list[list[object]]) -> RawSheet:
    """The Data sheet of an .xlsx holding these rows."""
    return read_workbook(xlsx({"Data": rows}), "t.xlsx")[0].sheets[0]


# Row 2 holds a formula Excel never computed in column D; row 3 is clean.
SHEET_ROWS = [["Område", "Indikator", "År", "Värde"], ["Berga", "folkmangd", 2020, "=1+1"]]
PERCENT_KEYS = RowKeys(3, "Berga", "forvarvsfrekvens", "Kvinnor", "E (Kön)", "SCB", "Preliminärt")
COUNT_KEYS = RowKeys(3, "Berga", "folkmangd", "", "Kön", "")


def value(cell: object, year: object = 2020) -> ValueCell:
    """A value in column D with its year cell in column C."""
    return ValueCell(cell, 3, "Värde", year, "C (År)")


@pytest.mark.parametrize(
    "keys, cell, expected",
    [
        # (keys, value cell, (year, sex, value, note, percent sign))
        (PERCENT_KEYS, value("18,9"), (2020, "Kvinnor", 18.9, "Preliminärt", False)),
        (PERCENT_KEYS, value("12 %", "2021"), (2021, "Kvinnor", 12.0, "Preliminärt", True)),
        (
            PERCENT_KEYS,
            value(".."),
            (2020, "Kvinnor", None, "Uppgift saknas eller är för osäker (..). Preliminärt", False),
        ),
        (COUNT_KEYS, value("x"), (2020, "Totalt", None, "Sekretess: uppgiften är skyddad (x)", False)),
        (COUNT_KEYS, value("251 234"), (2020, "Totalt", 251234.0, "", False)),
        (COUNT_KEYS, value(None), (2020, "Totalt", None, "", False)),  # an empty value is a missing value
    ],
)
def test_good_observations(keys, cell, expected):
    ctx = ReadContext(tiny_known(), ReadOptions())
    o = observation(ctx, data_sheet_of(SHEET_ROWS), keys, cell)
    assert ctx.problems == []
    assert (o.year, o.sex, o.value, o.note, o.percent_sign) == expected
    assert (o.area, o.indicator, o.row, o.column, o.source) == (keys.area, keys.indicator, 3, "D (Värde)", keys.source)


@pytest.mark.parametrize(
    "keys, cell, problems",
    [
        (PERCENT_KEYS, value(101), [("D (Värde)", "101", "Procentvärdet ligger utanför 0–100.")]),
        (COUNT_KEYS, value(-1), [("D (Värde)", "-1", "Värdet är negativt men enheten är antal.")]),
        (
            RowKeys(3, "Berga", "ohalsotal", "", "Kön", ""),
            value(-2),
            [("D (Värde)", "-2", "Värdet är negativt men enheten är dagar.")],
        ),
        (COUNT_KEYS, value("abc"), [("D (Värde)", "abc", "Värdet är inte ett tal.")]),
        (
            RowKeys(3, "Berga", "folkmangd", "x", "E (Kön)", ""),
            value(5, "tjugo"),
            [("C (År)", "tjugo", "Årtalet är inte ett heltal med fyra siffror."), ("E (Kön)", "x", "Okänt kön.")],
        ),
        (COUNT_KEYS, value(5, None), [("C (År)", "", "Årtalet saknas.")]),
        (RowKeys(3, None, "folkmangd", "", "Kön", ""), value(5), []),  # the unknown area was reported already
        (RowKeys(3, None, "folkmangd", "", "Kön", ""), value("abc"), [("D (Värde)", "abc", "Värdet är inte ett tal.")]),
        (
            RowKeys(2, "Berga", "folkmangd", "", "Kön", ""),
            value(None),
            [("D (Värde)", "(formel)", "Cellen innehåller en formel utan beräknat värde.")],
        ),
    ],
)
def test_bad_observations_are_left_out(keys, cell, problems):
    ctx = ReadContext(tiny_known(), ReadOptions())
    assert observation(ctx, data_sheet_of(SHEET_ROWS), keys, cell) is None
    assert [(p.column, p.value, p.message) for p in ctx.problems] == problems


@pytest.mark.parametrize(
    "unit, number, problem",
    [
        ("procent", 100, None),
        ("procent", 0, None),
        ("procent", 100.1, "Procentvärdet ligger utanför 0–100."),
        ("procent", -0.1, "Procentvärdet ligger utanför 0–100."),
        ("antal", -1, "Värdet är negativt men enheten är antal."),
        ("kronor", -5, "Värdet är negativt men enheten är kronor."),
        ("antal", 1e9, None),
        ("index", -1, None),  # an index may fall below zero
    ],
)
def test_unit_problem(unit, number, problem):
    found = unit_problem(unit, number)
    assert (found[0] if found else None) == problem


def obs(indicator: str, value: float | None, row: int, year: int = 2020, percent_sign: bool = False) -> Obs:
    """An observation for Berga, Totalt, in column D."""
    return Obs("Berga", indicator, year, "Totalt", value, "", "", row, "D (Värde)", percent_sign)


@pytest.mark.parametrize(
    "observations, problems",
    [
        ([obs("folkmangd", 1, 2), obs("folkmangd", 2, 3, 2021)], []),
        (
            [obs("folkmangd", 1, 2), obs("folkmangd", 2, 5), obs("folkmangd", 3, 7)],
            [
                (5, "Berga | folkmangd | 2020 | Totalt", "Samma område, indikator, år och kön finns redan på rad 2."),
                (7, "Berga | folkmangd | 2020 | Totalt", "Samma område, indikator, år och kön finns redan på rad 2."),
            ],
        ),
        # every percentage between 0 and 1: shares, reported once at the first row
        (
            [
                obs("forvarvsfrekvens", 0.7, 4),
                obs("forvarvsfrekvens", 0.65, 3, 2021),
                obs("forvarvsfrekvens", None, 5, 2022),
            ],
            [(3, "2 värden mellan 0 och 1", "Alla värden för forvarvsfrekvens ligger mellan 0 och 1.")],
        ),
        ([obs("forvarvsfrekvens", 0.7, 4), obs("forvarvsfrekvens", 65, 3, 2021)], []),  # one real percentage: fine
        ([obs("forvarvsfrekvens", 0.7, 4, percent_sign=True)], []),  # written with %: really under 1 %
        ([obs("forvarvsfrekvens", 0, 4)], []),  # all zero is no sign of shares
        ([obs("folkmangd", 0.5, 4)], []),  # only percentages
    ],
)
def test_check_observations(observations, problems):
    ctx = ReadContext(tiny_known(), ReadOptions())
    check_observations("Data", observations, ctx)
    assert [(p.row, p.value, p.message[: len(m)]) for p, (_, _, m) in zip(ctx.problems, problems)] == problems
    assert len(ctx.problems) == len(problems)


def test_observations_frame_has_the_model_columns():
    frame = observations_frame([obs("folkmangd", 1, 2)])
    assert frame.to_dict("records") == [
        {"area": "Berga", "indicator": "folkmangd", "year": 2020, "sex": "Totalt", "value": 1, "source": "", "note": ""}
    ]


def read_data(rows: list[list[object]], **options) -> tuple[list[tuple], list[tuple], ReadInfo]:
    """A Data sheet read: (area, indicator, year, sex, value, source) rows, (row, column, message), info."""
    sheet = data_sheet_of(rows)
    ctx = ReadContext(tiny_known(), ReadOptions(**options))
    info = ReadInfo()
    header = find_header(sheet, DATA_SHEET, ctx.problems, allow_years=True)
    frame = read_template_data(sheet, header, ctx, info)
    records = [(*r[:4], None if math.isnan(r[4]) else r[4], r[5]) for r in frame.itertuples(index=False)]
    return records, [(p.row, p.column, p.message) for p in ctx.problems], info


def test_long_format():
    rows = [
        ["Område", "Indikator", "År", "Värde", "Kön", "Källa"],
        ["Berga", "Folkmängd", 2020, "6 012", None, None],
        ["berga", "forvarvsfrekvens", "2021", "55,5", "Kvinnor", "SCB"],
        [None, None, None, None, None, None],
        ["Okänt", "folkmangd", 2020, 5, "Män", None],
    ]
    records, problems, info = read_data(rows, source="Min källa")
    assert records == [
        ("Berga", "folkmangd", 2020, "Totalt", 6012.0, "Min källa"),  # no source: the chosen one
        ("Berga", "forvarvsfrekvens", 2021, "Kvinnor", 55.5, "SCB"),
    ]
    assert problems == [(5, "A (Område)", "Okänt område.")]
    assert (info.layout, info.data_rows) == (LAYOUT_LONG, 3)


def test_wide_format_reads_one_value_per_year_column():
    rows = [
        ["Område", "Indikator", "Kön", 2019, 2020],
        ["Berga", "folkmangd", "Kvinnor", 3000, "3 010"],
        ["Berga", "forvarvsfrekvens", None, "..", 150],
    ]
    records, problems, info = read_data(rows)
    assert records == [
        ("Berga", "folkmangd", 2019, "Kvinnor", 3000.0, ""),
        ("Berga", "folkmangd", 2020, "Kvinnor", 3010.0, ""),
        ("Berga", "forvarvsfrekvens", 2019, "Totalt", None, ""),
    ]
    assert problems == [(3, "E (2020)", "Procentvärdet ligger utanför 0–100.")]
    assert (info.layout, info.data_rows) == (LAYOUT_WIDE, 2)


def test_a_grupp_column_puts_each_value_in_its_group_together_with_kon():
    rows = [
        ["Område", "Indikator", "År", "Värde", "Kön", "Grupp"],
        ["Berga", "forvarvsfrekvens", 2021, "48,0", None, "utrikes född"],
        ["Berga", "forvarvsfrekvens", 2021, "71,5", "Totalt", "Födda i Sverige"],
        ["Berga", "forvarvsfrekvens", 2021, "45,0", "Kvinnor", "Utrikes födda"],
        ["Berga", "forvarvsfrekvens", 2021, "60,0", "Män", None],
        ["Berga", "forvarvsfrekvens", 2021, "70,0", None, "20-64 år"],
        ["Berga", "forvarvsfrekvens", 2021, "44,0", None, "Utrikes födda, kvinnor, 20–64"],
    ]
    records, problems, _ = read_data(rows)
    assert problems == []
    assert [(r[3], r[4]) for r in records] == [
        ("Utrikes födda", 48.0),
        ("Inrikes födda", 71.5),
        ("Utrikes födda, kvinnor", 45.0),
        ("Män", 60.0),
        ("20–64 år", 70.0),
        ("Utrikes födda, 20–64 år, kvinnor", 44.0),
    ]


@pytest.mark.parametrize(
    "header, row, problem",
    [
        (
            "Grupp",
            ["Kvinnor", "Barn"],
            (2, "F (Grupp)", "Okänd grupp."),
        ),
        (
            "Födelseregion",
            ["Totalt", "okänd region"],
            (2, "F (Födelseregion)", "Okänd grupp."),
        ),
        (
            "Grupp",
            ["Kvinnor", "Män"],
            (2, "F (Grupp)", "Gruppen säger emot kolumnen E (Kön) (Kvinnor)."),
        ),
        (
            "Grupp",
            [None, "Utrikes födda, inrikes födda"],
            (2, "F (Grupp)", "Okänd grupp."),
        ),
        (
            "Ålder",
            [None, "64-20 år"],
            (2, "F (Ålder)", "Okänd grupp."),
        ),
    ],
)
def test_a_bad_group_is_a_row_level_error_and_the_value_is_left_out(header, row, problem):
    rows = [["Område", "Indikator", "År", "Värde", "Kön", header], ["Berga", "forvarvsfrekvens", 2021, 50, *row]]
    records, problems, _ = read_data(rows)
    assert records == []
    assert problems == [problem]


def test_a_group_written_in_kon_is_an_error_that_points_to_the_grupp_column():
    sheet = data_sheet_of(
        [["Område", "Indikator", "År", "Värde", "Kön"], ["Berga", "folkmangd", 2021, 5, "Utrikes födda"]]
    )
    ctx = ReadContext(tiny_known(), ReadOptions())
    header = find_header(sheet, DATA_SHEET, ctx.problems, allow_years=True)
    assert read_template_data(sheet, header, ctx, ReadInfo()).empty
    [problem] = ctx.problems
    assert (problem.row, problem.column, problem.message) == (2, "E (Kön)", "Okänt kön.")
    assert "egen kolumn Grupp" in problem.hint


def test_a_workbook_without_a_grupp_column_reads_as_before():
    """Existing workbooks (Kön only, or no Kön at all) give exactly the rows they always gave."""
    rows = [
        ["Område", "Indikator", "År", "Värde", "Kön", "Källa", "Kommentar"],
        ["Berga", "forvarvsfrekvens", 2020, "55,5", "Kvinnor", "SCB", ""],
        ["Berga", "forvarvsfrekvens", 2020, "60,1", "män", "SCB", ""],
        ["Berga", "forvarvsfrekvens", 2020, "57,8", "", "SCB", "Preliminärt"],
    ]
    records, problems, _ = read_data(rows)
    assert problems == []
    assert records == [
        ("Berga", "forvarvsfrekvens", 2020, "Kvinnor", 55.5, "SCB"),
        ("Berga", "forvarvsfrekvens", 2020, "Män", 60.1, "SCB"),
        ("Berga", "forvarvsfrekvens", 2020, "Totalt", 57.8, "SCB"),
    ]


def test_a_categorical_value_must_be_one_of_the_indicators_codes():
    catalogue = [
        ["Id", "Namn", "Tema", "Enhet", "Riktning", "Kategorier"],
        ["typ", "Områdestyp", "befolkning", "kategori", "Neutral", "1: Stora utmaningar; 2: Utmaningar; 3: Blandade"],
    ]
    data = [
        ["Område", "Indikator", "År", "Värde"],
        ["Berga", "typ", 2023, 2],
        ["Berga", "typ", 2022, 7],
        ["Berga", "typ", 2021, "1,5"],
    ]
    result = parse_workbook(read_workbook(xlsx({"Indikatorer": catalogue, "Data": data}), "t.xlsx")[0], tiny_known())
    problems = [(p.row, p.column, p.message, p.hint) for p in result.problems]
    assert problems == [
        (3, "D (Värde)", "Värdet är ingen av indikatorns kategorier.", "Ange koden 1, 2 eller 3."),
        (4, "D (Värde)", "Värdet är ingen av indikatorns kategorier.", "Ange koden 1, 2 eller 3."),
    ]


def test_a_value_in_parentheses_is_kept_and_marked_as_resting_on_few_persons():
    rows = [
        ["Område", "Indikator", "År", "Värde", "Kommentar"],
        ["Berga", "forvarvsfrekvens", 2023, "(41,0)", ""],
        ["Berga", "forvarvsfrekvens", 2022, "(40,5)", "Preliminärt"],
        ["Berga", "forvarvsfrekvens", 2021, "40,0", "Få personer"],
    ]
    sheet = data_sheet_of(rows)
    ctx = ReadContext(tiny_known(), ReadOptions())
    frame = read_template_data(sheet, find_header(sheet, DATA_SHEET, ctx.problems, allow_years=True), ctx, ReadInfo())
    assert ctx.problems == []
    assert frame[["year", "value", "note"]].values.tolist() == [
        [2023, 41.0, "Osäkert värde: bygger på få personer"],
        [2022, 40.5, "Osäkert värde: bygger på få personer. Preliminärt"],
        [2021, 40.0, "Få personer"],  # the note says so already
    ]
