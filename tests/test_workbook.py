"""The data export and the template (analysis/exports/workbook.py): any text from the data is written safely."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from openpyxl import load_workbook

from analysis.core.model import ACTION_STATUSES, TABLES, Dataset, make_dataset
from analysis.exports.workbook import (
    INSTRUCTIONS,
    dataset_to_workbook,
    definitions_workbook,
    guide_document,
    template_workbook,
)
from analysis.ingest.contract import LISTS_SHEET
from analysis.ingest.excel import read_workbook
from analysis.ingest.validate import ReadOptions, parse_workbook
from tests.builders import AREAS, INDICATORS, tiny_known

HYPERLINK = '=HYPERLINK("http://x","y")'


def hostile_dataset():
    """The builders' areas and indicators with 'Berga\\x01' as an area and formula text in a source and a note."""
    areas = pd.DataFrame(AREAS).replace({"name": {"Berga": "Berga\x01"}})
    indicators = pd.DataFrame(INDICATORS).assign(key_figure=[True, False, True])
    observations = pd.DataFrame(
        [
            {
                "area": "Berga\x01",
                "indicator": "forvarvsfrekvens",
                "year": 2023,
                "sex": "Totalt",
                "value": 54.5,
                "source": HYPERLINK,
                "note": "@SUM(A1)",
            },
            {
                "area": "Skäggetorp",
                "indicator": "folkmangd",
                "year": 2023,
                "sex": "Totalt",
                "value": 9100.0,
                "source": "SCB",
                "note": "",
            },
        ]
    )
    return make_dataset(areas=areas, indicators=indicators, observations=observations)


def test_the_export_keeps_formula_text_as_text_and_removes_characters_excel_rejects():
    wb = load_workbook(io.BytesIO(dataset_to_workbook(hostile_dataset())))
    data = wb["Data"]
    assert list(data.iter_rows(min_row=2, values_only=True)) == [
        ("Skäggetorp", "folkmangd", 2023, 9100, "Totalt", None, "SCB", None),
        ("Berga", "forvarvsfrekvens", 2023, 54.5, "Totalt", None, HYPERLINK, "@SUM(A1)"),
    ]
    assert [data["C3"].data_type, data["D3"].data_type, data["G3"].data_type] == ["n", "n", "s"]
    assert [r[0] for r in wb["Områden"].iter_rows(min_row=2, values_only=True)][0] == "Berga"
    key_figures = [r[8] for r in wb["Indikatorer"].iter_rows(min_row=2, values_only=True)]
    assert key_figures == ["Ja", "Nej", "Ja"]


def test_the_template_lists_are_text():
    wb = load_workbook(
        io.BytesIO(
            template_workbook(
                hostile_dataset().with_table("areas", pd.DataFrame([*AREAS, {"name": HYPERLINK, "type": "Övrigt"}]))
            )
        )
    )
    lists = wb[LISTS_SHEET]
    areas = [c for (c,) in lists.iter_rows(min_row=2, max_col=1) if c.value is not None]
    assert HYPERLINK in [c.value for c in areas]
    assert {c.data_type for c in areas} == {"s"}
    assert list(wb["Data"].iter_rows(min_row=2, values_only=True)) == []


def planned_dataset() -> Dataset:
    """Areas, indicators, two plan versions, an action in both (changed between them), one in every plan, and
    follow-ups with Andel klar."""
    plans = pd.DataFrame(
        [
            {
                "name": "Åtgärdsplan 2020",
                "adopted": "2020-12-02",
                "decided_by": "Kommunfullmäktige",
                "first_year": 2021,
                "last_year": 2021,
                "comment": "Första planen",
                "source": "Dnr KS 2020-1",
            },
            {"name": "Åtgärdsplan 2022", "adopted": "2022-01-19", "first_year": 2022, "source": "Dnr KS 2022-1"},
        ]
    )
    base = {"title": "Läxhjälp", "theme": "utbildning", "areas": "Berga;Skäggetorp", "start": "2021-01-01"}
    actions = pd.DataFrame(
        [
            {**base, "id": "A01", "plan": "Åtgärdsplan 2020", "responsible": "BUN", "end": "2022-06-30"},
            {**base, "id": "A01", "plan": "Åtgärdsplan 2022", "responsible": "UN", "end": "2024-06-30"},
            {
                "id": "A02",
                "plan": "",
                "title": "Trygghetsvandringar",
                "status": "Riskerar att försenas",
                "indicators": "forvarvsfrekvens;folkmangd",
            },
        ]
    )
    followups = pd.DataFrame(
        [
            {"action": "A01", "year": 2022, "status": "Pågår", "progress": 45.5, "comment": "=ingen formel"},
            {"action": "A02", "year": 2023, "status": "Riskerar att försenas", "source": "Rapport"},
        ]
    )
    return make_dataset(
        areas=pd.DataFrame(AREAS),
        indicators=pd.DataFrame(INDICATORS),
        plans=plans,
        actions=actions,
        action_followups=followups,
    )


def test_a_dataset_written_as_a_workbook_reads_back_as_the_same_tables():
    dataset = planned_dataset()
    raw, _ = read_workbook(dataset_to_workbook(dataset), "export.xlsx")
    read = parse_workbook(raw, Dataset(), ReadOptions(today=date(2024, 5, 1)))
    assert read.ok, [p.as_text() for p in read.problems]
    assert read.problems == []
    for table in TABLES:
        pd.testing.assert_frame_equal(read.dataset.table(table), dataset.table(table), obj=table)


def test_the_workbook_has_the_planer_sheet_the_plan_column_and_andel_klar():
    wb = load_workbook(io.BytesIO(dataset_to_workbook(planned_dataset())))
    assert wb.sheetnames.index("Planer") == wb.sheetnames.index("Åtgärder") - 1
    assert [r[:5] for r in wb["Planer"].iter_rows(min_row=2, values_only=True)] == [
        ("Åtgärdsplan 2020", "2020-12-02", "Kommunfullmäktige", 2021, 2021),
        ("Åtgärdsplan 2022", "2022-01-19", None, 2022, None),
    ]
    actions = wb["Åtgärder"]
    assert [c.value for c in actions[1]][:3] == ["Id", "Plan", "Åtgärd"]
    assert [r[:2] for r in actions.iter_rows(min_row=2, values_only=True)] == [
        ("A01", "Åtgärdsplan 2020"),
        ("A01", "Åtgärdsplan 2022"),
        ("A02", None),  # every plan: a blank cell
    ]
    followups = wb["Uppföljning"]
    assert [c.value for c in followups[1]] == ["Åtgärd", "År", "Status", "Andel klar", "Kommentar", "Källa"]
    assert [r[3] for r in followups.iter_rows(min_row=2, values_only=True)] == [45.5, None]


def list_of(wb, name: str) -> list[object]:
    """The values of one drop-down list on the hidden lists sheet."""
    lists = wb[LISTS_SHEET]
    column = next(c.column for c in lists[1] if c.value == name)
    return [r[0] for r in lists.iter_rows(min_row=2, min_col=column, max_col=column, values_only=True) if r[0]]


def dropdown_columns(ws) -> dict[str, str]:
    """The column letter of each drop-down on a sheet and the list range it points at."""
    return {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1 for dv in ws.data_validations.dataValidation}


def test_the_drop_down_lists_have_every_status_the_plans_and_each_action_once():
    wb = load_workbook(io.BytesIO(template_workbook(planned_dataset())))
    assert list_of(wb, "Status") == list(ACTION_STATUSES)
    assert "Riskerar att försenas" in list_of(wb, "Status")
    assert list_of(wb, "Plan") == ["Åtgärdsplan 2020", "Åtgärdsplan 2022"]
    assert list_of(wb, "Åtgärd") == ["A01", "A02"]
    lists = {c.value: c.column_letter for c in wb[LISTS_SHEET][1]}
    on_actions = dropdown_columns(wb["Åtgärder"])
    assert on_actions["B"] == f"={LISTS_SHEET}!${lists['Plan']}$2:${lists['Plan']}$3"  # Plan
    assert on_actions["I"].startswith(f"={LISTS_SHEET}!${lists['Status']}$2")  # Status
    assert dropdown_columns(wb["Uppföljning"])["C"].startswith(f"={LISTS_SHEET}!${lists['Status']}$2")
    # The template keeps the plans (what the Plan column names), not the actions and follow-ups.
    assert wb["Planer"].max_row == 3 and wb["Åtgärder"].max_row == 1 and wb["Uppföljning"].max_row == 1


def test_the_instructions_and_the_guide_explain_plans_and_andel_klar():
    text = "\n".join(INSTRUCTIONS)
    for words in (
        "Bladet Planer",
        "Kolumnen Plan",
        "Tom cell = de planer åtgärden redan finns i (en ny åtgärd: alla planer).",
        "en rad per åtgärd och version",
        "Andel klar",
        "Riskerar att försenas",
    ):
        assert words in text, words
    from docx import Document

    guide = "\n".join(p.text for p in Document(io.BytesIO(guide_document())).paragraphs)
    assert "Bladet Planer" in guide and "Kolumnen Plan" in guide


def test_a_definitions_workbook_holds_only_hamtningar_and_reads_back_as_the_definition():
    row = {"indicator": "forvarvsfrekvens", "api": "PxWeb v2", "base_url": "https://x.se/api/v2", "table": "TAB1"}
    row |= {"selection": "Region=0580*", "time": "senaste 10", "verified": "Nej", "comment": "=HYPERLINK(1)"}
    data = definitions_workbook(pd.DataFrame([row]))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Hämtningar"]
    assert wb["Hämtningar"]["A1"].value == "Indikator" and wb["Hämtningar"]["A2"].value == "forvarvsfrekvens"
    assert all(c.data_type != "f" for row_ in wb["Hämtningar"].iter_rows() for c in row_)  # text stays text
    raw, _ = read_workbook(data, "d.xlsx")
    read = parse_workbook(raw, tiny_known(), ReadOptions(today=date(2024, 5, 1)))
    assert read.ok and read.problems == [], [p.as_text() for p in read.problems]
    assert read.dataset.fetches[["indicator", "table", "selection", "comment"]].values.tolist() == [
        ["forvarvsfrekvens", "TAB1", "Region=0580*", "=HYPERLINK(1)"]
    ]
