"""Exported tables (SCB, PxWeb, Kolada): title, header row, area and sex columns, footnotes, the user's choices."""

from __future__ import annotations

import math

import pytest

from analysis.ingest.context import LAYOUT_EXPORT, ReadContext, ReadInfo, ReadOptions
from analysis.ingest.excel import read_workbook
from analysis.ingest.exported import read_exported_table
from tests.builders import tiny_known, xlsx


def read(rows: list[list[object]], **options) -> tuple[list[tuple] | None, list[tuple], ReadInfo]:
    """A one-sheet table read as an export: (area, year, sex, value, source, note) rows, problems, info."""
    sheet = read_workbook(xlsx({"Tabell": rows}), "t.xlsx")[0].sheets[0]
    ctx = ReadContext(tiny_known(), ReadOptions(**options))
    info = ReadInfo()
    frame = read_exported_table(sheet, ctx, info)
    records = None
    if frame is not None:
        records = [
            (r.area, r.year, r.sex, None if math.isnan(r.value) else r.value, r.source, r.note)
            for r in frame.itertuples(index=False)
        ]
    return records, [(p.level, p.row, p.value, p.message) for p in ctx.problems], info


SCB = [
    ["Folkmängd efter region och år"],
    [],
    ["region", 2019, 2020],
    ["0580 Linköping", 1000, 1010],
    ["Berga", 50, ".."],
    [],
    ["Källa: SCB"],
    ["Fotnot 2"],
]


def test_a_table_from_scb_with_title_codes_missing_values_and_a_stated_source():
    records, problems, info = read(SCB, indicator="Folkmängd")
    assert records == [
        ("Linköping", 2019, "Totalt", 1000.0, "SCB", ""),
        ("Linköping", 2020, "Totalt", 1010.0, "SCB", ""),
        ("Berga", 2019, "Totalt", 50.0, "SCB", ""),
        ("Berga", 2020, "Totalt", None, "SCB", "Uppgift saknas eller är för osäker (..)"),
    ]
    assert problems == []
    assert (info.layout, info.title, info.data_rows) == (LAYOUT_EXPORT, "Folkmängd efter region och år", 2)


def test_the_chosen_source_wins_over_the_footnote():
    records, _, _ = read(SCB, indicator="folkmangd", source="Min källa")
    assert {r[4] for r in records} == {"Min källa"}


def test_without_a_chosen_indicator_the_reader_asks_and_suggests_from_the_title():
    records, problems, info = read(SCB)
    assert records is None
    assert problems == [
        (
            "Fel",
            None,
            "Folkmängd efter region och år",
            "Filen ser ut som en exporterad tabell (till exempel från SCB, PxWeb eller Kolada) "
            "och det framgår inte vilken indikator den innehåller.",
        )
    ]
    assert (info.needs_indicator, info.suggested_indicators) == (True, ["folkmangd"])


@pytest.mark.parametrize(
    "options, problem",
    [
        ({"indicator": "folkmängden"}, ("Fel", None, "folkmängden", "Den angivna indikatorn finns inte.")),
        ({"indicator": "folkmangd", "sex": "barn"}, ("Fel", None, "barn", "Okänt kön.")),
    ],
)
def test_a_bad_choice_is_reported_before_anything_is_read(options, problem):
    records, problems, _ = read(SCB, **options)
    assert records is None and problems == [problem]


@pytest.mark.parametrize(
    "rows, options, records",
    [
        # a sex column named by its header; PxWeb writes the area once for the rows under it
        (
            [["Område", "kön", 2020], ["Berga", "kvinnor", 1], [None, "män", 2]],
            {},
            [("Berga", 2020, "Kvinnor", 1.0), ("Berga", 2020, "Män", 2.0)],
        ),
        # an area on a row of its own before its values
        (
            [["region", "kön", 2020], ["Skäggetorp", None, None], [None, "Kvinnor", 5], [None, "Män", 6]],
            {},
            [("Skäggetorp", 2020, "Kvinnor", 5.0), ("Skäggetorp", 2020, "Män", 6.0)],
        ),
        # columns without headers: their contents tell which holds sexes and which areas
        (
            [["", "", 2020], ["Kvinnor", "Berga", 1], ["Män", "Skäggetorp", 2]],
            {},
            [("Berga", 2020, "Kvinnor", 1.0), ("Skäggetorp", 2020, "Män", 2.0)],
        ),
        # a long table with År and Värde columns; the chosen sex when there is no sex column
        (
            [["Region", "År", "Värde"], ["Berga", 2020, 5], ["Berga", "2021", 6]],
            {"sex": "Kvinnor"},
            [("Berga", 2020, "Kvinnor", 5.0), ("Berga", 2021, "Kvinnor", 6.0)],
        ),
        (
            [["Region", "Kön", "Tid", "Antal"], ["Berga", "Män", 2020, 5]],
            {"sex": "Kvinnor"},  # the table's own sex column wins
            [("Berga", 2020, "Män", 5.0)],
        ),
    ],
)
def test_label_columns(rows, options, records):
    found, problems, _ = read(rows, indicator="folkmangd", **options)
    assert problems == []
    assert [r[:4] for r in found] == records
    assert {r[4] for r in found} == {"Import av tabell"}  # no title, no stated source


@pytest.mark.parametrize(
    "rows, problems",
    [
        (
            [["x", "y"], [1, 2]],
            [("Fel", None, "", "Ingen rubrikrad med årtal hittades i tabellen.")],
        ),
        ([["", 2020], [1, 2]], [("Fel", 1, "", "Kolumnen med områden hittades inte.")]),
        (
            [["Område", 2020], ["Berga", None], ["Skäggetorp", None]],
            [("Fel", None, "", "Tabellen har inga datarader.")],
        ),
    ],
)
def test_tables_that_cannot_be_read(rows, problems):
    _, found, _ = read(rows, indicator="folkmangd")
    assert found == problems


def test_rows_after_the_footnotes_are_not_read():
    rows = [["Område", 2020, 2021], ["Berga", 1, 2], [], ["Not"], ["Skäggetorp", 3, 4]]
    records, problems, info = read(rows, indicator="folkmangd")
    assert [r[:4] for r in records] == [("Berga", 2020, "Totalt", 1.0), ("Berga", 2021, "Totalt", 2.0)]
    assert problems == [("Varning", 5, "Not", "Rader efter tabellens fotnoter läses inte.")]
    assert info.data_rows == 1


def test_a_title_names_the_fallback_source():
    records, _, info = read([["Befolkning 2020"], ["", 2020], ["Berga", 1]], indicator="folkmangd")
    assert info.title == "Befolkning 2020" and records[0][4] == "Import av Befolkning 2020"


def test_a_pxweb_table_with_a_birth_region_column_imports_as_is():
    """PxWeb writes region, födelseregion and kön once for the rows under them; every value gets its group."""
    rows = [
        ["Förvärvsfrekvens efter region, födelseregion, kön och år"],
        ["region", "födelseregion", "kön", 2020, 2021],
        ["0580 Linköping", "inrikes född", "män", 84.1, 84.5],
        [None, None, "kvinnor", 82.0, 82.2],
        [None, "utrikes född", "män", 66.0, 67.1],
        [None, None, "kvinnor", 58.3, ".."],
        ["Berga", "utrikes född", "totalt", 50.0, 51.0],
    ]
    records, problems, _ = read(rows, indicator="forvarvsfrekvens")
    assert problems == []
    assert [r[:4] for r in records] == [
        ("Linköping", 2020, "Inrikes födda, män", 84.1),
        ("Linköping", 2021, "Inrikes födda, män", 84.5),
        ("Linköping", 2020, "Inrikes födda, kvinnor", 82.0),
        ("Linköping", 2021, "Inrikes födda, kvinnor", 82.2),
        ("Linköping", 2020, "Utrikes födda, män", 66.0),
        ("Linköping", 2021, "Utrikes födda, män", 67.1),
        ("Linköping", 2020, "Utrikes födda, kvinnor", 58.3),
        ("Linköping", 2021, "Utrikes födda, kvinnor", None),
        ("Berga", 2020, "Utrikes födda", 50.0),
        ("Berga", 2021, "Utrikes födda", 51.0),
    ]


def test_a_group_column_is_found_by_what_it_holds_and_a_bad_group_is_a_row_level_error():
    rows = [
        ["Område", "", 2021],
        ["Berga", "20-64 år", 70.0],
        ["Berga", "65+ år", 12.0],
        ["Skäggetorp", "20-64 år", 75.0],
        ["Skäggetorp", "65+ år", 15.0],
        ["Skäggetorp", "barn", 3.0],
    ]
    records, problems, _ = read(rows, indicator="forvarvsfrekvens")
    assert [r[:4] for r in records] == [
        ("Berga", 2021, "20–64 år", 70.0),
        ("Berga", 2021, "65+ år", 12.0),
        ("Skäggetorp", 2021, "20–64 år", 75.0),
        ("Skäggetorp", 2021, "65+ år", 15.0),
    ]
    assert problems == [("Fel", 6, "barn", "Okänd grupp.")]
