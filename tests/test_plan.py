"""The plan sheets: Åtgärder, Uppföljning, Mål and Områdestexter rows become records, or say what is wrong."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from analysis.ingest.context import ReadContext, ReadOptions
from analysis.ingest.excel import read_workbook
from analysis.ingest.plan import ACTIONS, FOLLOWUPS, TARGETS, TEXTS
from analysis.ingest.sheets import SheetReader, read_sheet
from tests.builders import tiny_known, xlsx

STORED_ACTIONS = pd.DataFrame([{"id": "A01", "title": "Fler sommarjobb", "start": "2021-03-01", "status": "Pågår"}])


def read(reader: SheetReader, rows: list[list[object]]) -> tuple[list[dict], list[tuple], ReadContext]:
    """A sheet read on 1 May 2024 against the tiny dataset plus action A01: records, (level, row, column, value,
    message) of each problem, and the context."""
    raw, _ = read_workbook(xlsx({reader.spec.name: rows}), "t.xlsx")
    ctx = ReadContext(tiny_known().with_table("actions", STORED_ACTIONS), ReadOptions(today=date(2024, 5, 1)))
    frame = read_sheet(reader, raw.sheets[0], ctx)
    problems = [(p.level, p.row, p.column, p.value, p.message) for p in ctx.problems]
    return frame.to_dict("records"), problems, ctx


AH = ["Id", "Åtgärd", "Tema", "Ansvarig", "Områden", "Start", "Slut", "Status", "Kommentar", "Indikatorer", "Källa"]


def test_a_good_action_row():
    row = ["A02", "Läxhjälp", "utbildning", "BUN", "Berga; skäggetorp", datetime(2023, 1, 1), "31/12/2024", "pågår"]
    records, problems, _ = read(ACTIONS, [AH, [*row, "k", "Folkmängd", "src"]])
    assert problems == []
    assert records == [
        {
            "id": "A02",
            "title": "Läxhjälp",
            "theme": "utbildning",
            "responsible": "BUN",
            "areas": "Berga;Skäggetorp",  # each area resolved to its name
            "start": "2023-01-01",
            "end": "2024-12-31",
            "status": "Pågår",
            "comment": "k",
            "indicators": "folkmangd",  # the name resolved to the id
            "source": "src",
        }
    ]


@pytest.mark.parametrize(
    "row, problems",
    [
        (
            ["A02", None, "okänt", None, "Berga; Okänt", "2024-13-01", None, "kanske", None, "folk"],
            [
                ("Fel", 2, "Id/Åtgärd", "", "Åtgärdens id eller beskrivning saknas."),
                ("Fel", 2, "C (Tema)", "okänt", "Okänt tema för åtgärden."),
                ("Fel", 2, "H (Status)", "kanske", "Okänd status."),
                ("Fel", 2, "F (Start)", "2024-13-01", "Datumet finns inte."),
                ("Fel", 2, "Områden", "Okänt", "Okänt område."),
                ("Fel", 2, "Indikatorer", "folk", "Okänd indikator."),
            ],
        ),
        (
            ["A03", "X", None, None, None, "2024-06-01", "2024-01-01"],
            [("Fel", 2, "Slut", "2024-01-01", "Slutdatum ligger före startdatum.")],
        ),
        (["A04", "X", None, None, None, "2023"], [("Fel", 2, "F (Start)", "2023", "Ett årtal är inget datum.")]),
    ],
)
def test_bad_action_rows_are_left_out_with_every_problem(row, problems):
    records, found, _ = read(ACTIONS, [AH, row])
    assert records == [] and found == problems


def test_an_action_row_with_errors_still_gives_its_id_to_uppfoljning():
    _, _, ctx = read(ACTIONS, [AH, ["A05", "Nytt", "okänt"]])
    assert ctx.resolve_action("Uppföljning", 2, "A", "nytt") == "A05"


def test_repeated_action_ids_are_reported():
    rows = [AH, ["A01", "Ny titel"], ["a01", "Annan"]]
    records, problems, _ = read(ACTIONS, rows)
    assert len(records) == 2
    assert problems == [("Fel", 3, "", "a01", "Åtgärdens id finns redan på rad 2.")]


def test_the_sheets_start_years_replace_the_stored_ones_for_uppfoljning():
    rows = [AH, ["A01", "Ny titel", None, None, None, "2019-05-01"], ["A02", "Annan", None, None, None, None]]
    _, problems, ctx = read(ACTIONS, rows)
    assert problems == [] and ctx.action_starts == {"A01": 2019}  # A01 was stored as 2021; A02 has no start


FH = ["Åtgärd", "År", "Status", "Kommentar", "Källa"]


@pytest.mark.parametrize(
    "row, record",
    [
        (["a01", 2023, "Genomförd", "k", "s"], ("A01", 2023, "Genomförd", "k", "s")),
        (["Fler sommarjobb", "2022", "pågår"], ("A01", 2022, "Pågår", "", "")),  # the title names the action
        (["A01", 2020, "Ej påbörjad"], ("A01", 2020, "Ej påbörjad", "", "")),  # before the start, not begun: fine
    ],
)
def test_good_followup_rows(row, record):
    records, problems, _ = read(FOLLOWUPS, [FH, row])
    assert problems == [] and [tuple(r.values()) for r in records] == [record]


@pytest.mark.parametrize(
    "row, recorded, problems",
    [
        (
            ["A01", 2020, "Pågår"],
            True,
            [
                (
                    "Varning",
                    2,
                    "B (År)",
                    "2020.0",
                    "Uppföljningsåret ligger före åtgärdens startår (2021) men statusen är Pågår.",
                )
            ],
        ),
        (
            ["A09", 2025, None],
            False,
            [
                ("Fel", 2, "A (Åtgärd)", "A09", "Okänd åtgärd."),
                ("Fel", 2, "B (År)", "2025.0", "Uppföljningsåret ligger utanför 2000–2024."),  # 2025 has not begun
                ("Fel", 2, "C (Status)", "", "Statusen saknas."),
            ],
        ),
        (
            ["A01", 1999, "klar"],
            False,
            [
                ("Fel", 2, "B (År)", "1999.0", "Uppföljningsåret ligger utanför 2000–2024."),
                ("Fel", 2, "C (Status)", "klar", "Okänd status."),
            ],
        ),
        (
            [None, None, "Pågår"],
            False,
            [("Fel", 2, "A (Åtgärd)", "", "Åtgärden saknas."), ("Fel", 2, "B (År)", "", "Året saknas.")],
        ),
    ],
)
def test_followup_problems(row, recorded, problems):
    records, found, _ = read(FOLLOWUPS, [FH, row])
    assert bool(records) is recorded and found == problems


def test_followup_columns_are_named_as_the_sheet_writes_them():
    _, problems, _ = read(FOLLOWUPS, [["Action", "Year", "Status"], ["A09", 2023, "Pågår"]])
    assert problems == [("Fel", 2, "A (Action)", "A09", "Okänd åtgärd.")]


def test_one_followup_per_action_and_year():
    _, problems, _ = read(FOLLOWUPS, [FH, ["A01", 2023, "Pågår"], ["a01", 2023, "Genomförd"], ["A01", 2022, "Pågår"]])
    assert problems == [("Fel", 3, "", "A01 | 2023", "Samma åtgärd och år finns redan på rad 2.")]


TH = ["Område", "Indikator", "Basår", "Målår", "Målvärde", "Källa"]


@pytest.mark.parametrize(
    "row, problems",
    [
        (["Berga", "forvarvsfrekvens", 2020, 2030, "65,5", "Beslut"], []),
        (
            ["Berga", "forvarvsfrekvens", None, 2030, 150],
            [("Fel", 2, "Målvärde", "150.0", "Procentvärdet ligger utanför 0–100.")],
        ),
        (["Berga", "folkmangd", None, 2030, 150], []),  # a count may exceed 100
        (
            ["Okänt", "folkmangd", "tjugo", None, "abc"],
            [
                ("Fel", 2, "Område", "Okänt", "Okänt område."),
                ("Fel", 2, "Basår", "tjugo", "Årtalet är inte ett heltal med fyra siffror."),
                ("Fel", 2, "Målår", "", "Målår saknas."),
                ("Fel", 2, "Målvärde", "abc", "Värdet är inte ett tal."),
            ],
        ),
        (
            ["Berga", "folkmangd"],
            [("Fel", 2, "Målår", "", "Målår saknas."), ("Fel", 2, "Målvärde", "", "Målvärdet saknas.")],
        ),
        # the percentage range is checked only once the indicator is known
        (["Okänt", "forvarvsfrekvens", None, 2030, 150], [("Fel", 2, "Område", "Okänt", "Okänt område.")]),
    ],
)
def test_target_rows(row, problems):
    records, found, _ = read(TARGETS, [TH, row])
    assert found == problems and len(records) == (0 if problems else 1)


def test_a_good_target_and_a_repeated_one():
    rows = [
        TH,
        ["Berga", "forvarvsfrekvens", 2020, 2030, "65,5", "Beslut"],
        ["berga", "Förvärvsfrekvens 20–64 år", None, 2030, 70],
    ]
    records, problems, _ = read(TARGETS, rows)
    assert records[0] == {
        "area": "Berga",
        "indicator": "forvarvsfrekvens",
        "base_year": 2020,
        "target_year": 2030,
        "target_value": 65.5,
        "source": "Beslut",
    }
    assert problems == [
        ("Fel", 3, "", "Berga | forvarvsfrekvens | 2030", "Samma mål (område, indikator, målår) finns redan på rad 2.")
    ]


XH = ["Område", "Rubrik", "Text", "Källa"]


@pytest.mark.parametrize(
    "row, records, problems",
    [
        (["Berga", "Aktörer", "Många föreningar", "s"], [("Berga", "Aktörer", "Många föreningar", "s")], []),
        (["Okänt", "Aktörer", "t"], [], [("Fel", 2, "Område", "Okänt", "Okänt område.")]),
        (["Berga", None, "t"], [], [("Fel", 2, "Rubrik/Text", "", "Rubrik eller text saknas.")]),
        (
            ["Okänt", None, "t"],
            [],
            [
                ("Fel", 2, "Område", "Okänt", "Okänt område."),
                ("Fel", 2, "Rubrik/Text", "", "Rubrik eller text saknas."),
            ],
        ),
    ],
)
def test_text_rows(row, records, problems):
    found_records, found, _ = read(TEXTS, [XH, row])
    assert [tuple(r.values()) for r in found_records] == records and found == problems
