"""The follow-up report (Excel): its sheets hold the same numbers as the follow-up view model, as numbers with
Swedish number formats, with title, date, data version and the example note; text never becomes a formula."""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.exports.followup_report import (
    EXAMPLE_NOTE,
    SHEET_NAMES,
    followup_report,
    gap_format,
    report_file_name,
    value_format,
)
from analysis.viewmodels.followup import ATTAINMENT_RULES, PATH_HEADER, ActionFilter, follow_up
from tests.builders import read_table
from tests.test_followup import ACTIONS, EX, TODAY, dataset


def open_report(fu, version=7):
    """The report of a follow-up, opened with openpyxl."""
    return load_workbook(io.BytesIO(followup_report(fu, version)))


@pytest.fixture(scope="module")
def fu():
    return follow_up(dataset(), ActionFilter(), "Övriga Linköping", 2020, today=TODAY)


@pytest.fixture(scope="module")
def wb(fu):
    return open_report(fu)


@pytest.mark.parametrize(
    "unit, decimals, expected",
    [
        ("procent", 1, '#,##0.0 "%"'),
        ("kronor", 0, '#,##0 "kr"'),
        ("dagar", 1, '#,##0.0 "dagar"'),
        ("antal", 0, "#,##0"),
        ("poäng", 2, '#,##0.00 "poäng"'),
    ],
)
def test_value_format(unit, decimals, expected):
    assert value_format(unit, decimals) == expected


@pytest.mark.parametrize(
    "unit, decimals, expected",
    [
        ("procent", 1, '+#,##0.0 "pe";-#,##0.0 "pe";#,##0.0 "pe"'),
        ("kronor", 0, '+#,##0 "%";-#,##0 "%";#,##0 "%"'),  # relative gaps in whole percent, as on screen
        ("dagar", 1, '+#,##0.0 "dagar";-#,##0.0 "dagar";#,##0.0 "dagar"'),  # days: the gap is in days
    ],
)
def test_gap_format(unit, decimals, expected):
    assert gap_format({"unit": unit, "decimals": decimals}) == expected


def test_sheets_and_header_block(wb, fu):
    assert wb.sheetnames == list(SHEET_NAMES)
    for name in SHEET_NAMES:
        ws = wb[name]
        assert ws["A1"].value == f"Uppföljning av åtgärdsplan mot segregation – {name}"
        assert ws["A2"].value == "Datum" and ws["B2"].value == datetime(2026, 11, 26)
        assert ws["B2"].number_format == "yyyy-mm-dd"
        assert ws["A3"].value == "Dataversion" and ws["B3"].value == 7
        assert ws["B4"].value == "Alla åtgärder"
    assert not any(c.value == EXAMPLE_NOTE for c in wb["Sammanfattning"]["A"])  # no examples in this data
    assert report_file_name(fu) == "uppfoljning-atgardsplan-2026-11-26.xlsx"


def test_summary_sheet_has_the_counts(wb):
    ws = wb["Sammanfattning"]
    status = read_table(ws, "Åtgärder per status")
    assert status.values.tolist() == [
        ["Ej påbörjad", 1],
        ["Pågår", 1],
        ["Riskerar att försenas", 0],
        ["Försenad", 2],
        ["Genomförd", 1],
        ["Avbruten", 1],
        ["Vilande", 1],
        ["Totalt", 7],
    ]
    themes = read_table(ws, "Åtgärder per tema och status")
    assert themes.columns.tolist() == [
        "Tema",
        "Ej påbörjad",
        "Pågår",
        "Riskerar att försenas",
        "Försenad",
        "Genomförd",
        "Avbruten",
        "Vilande",
        "Totalt",
    ]
    assert themes["Tema"].tolist() == ["trygghet", "arbete", "utbildning", "fritid"]
    assert themes["Totalt"].tolist() == [2, 2, 1, 2]
    areas = read_table(ws, "Åtgärder per område och status (en åtgärd räknas i varje område den gäller)")
    assert dict(zip(areas["Område"], areas["Totalt"])) == {"Ryd": 5, "Berga": 3}
    changes = read_table(ws, "Förändringar: Nu jämfört med Uppföljning 2024")
    assert dict(changes.values.tolist()) == {
        "Ny": 1,
        "Genomförd": 0,
        "Försenad": 1,
        "Riskerar att försenas": 0,
        "Avbruten": 0,
        "Vilande": 0,
        "Annan statusändring": 0,
    }
    summary = read_table(ws, "Utfall per område och tema: skillnaden mot Övriga Linköping sedan 2020")
    row = summary[(summary["Område"] == "Ryd") & (summary["Tema"] == "Alla teman")].iloc[0]
    assert row[["Minskad skillnad", "Oförändrat", "Ogynnsam utveckling", "Utan bedömning", "Indikatorer"]].tolist() == [
        1,
        0,
        1,
        1,
        3,
    ]
    attainment = read_table(ws, "Måluppfyllelse per område")
    assert attainment.columns.tolist() == [
        "Område",
        "Uppnått",
        "I fas",
        "Inte i fas",
        "Inte uppnått",
        "Målet pekar åt fel håll",
        "Kan inte bedömas",
        "Totalt",
    ]
    assert attainment.values.tolist() == [["Berga", 0, 2, 0, 0, 0, 0, 2], ["Ryd", 1, 0, 1, 0, 0, 1, 3]]
    assert all(any(c.value == rule for c in ws["A"]) for rule in ATTAINMENT_RULES)
    assert (
        ws.cell(next(i for i, c in enumerate(ws["A"], 1) if c.value == "Åtgärder per status") + 2, 2).number_format
        == "#,##0"
    )


def test_actions_sheet_lists_the_register_with_dates_and_history(wb, fu):
    ws = wb["Åtgärder"]
    actions = read_table(ws, "Id")
    assert actions["Id"].tolist() == [a[0] for a in ACTIONS]
    first = actions.iloc[0]
    assert first["Status"] == "Försenad" and first["Angiven status"] == "Pågår" and first["Härledd status"] == "Ja"
    assert first["Start"] == datetime(2021, 1, 1) and first["Områden"] == "Berga, Ryd"
    assert [first[f"Uppföljning {y}"] for y in (2021, 2022, 2023, 2024)] == ["Pågår"] * 4
    assert pd.isna(actions.loc[6, "Uppföljning 2024"])  # A7 was not followed up yet: an empty cell
    header_row = next(i for i, c in enumerate(ws["A"], 1) if c.value == "Id")
    assert ws.cell(header_row + 1, 6).number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == f"C{header_row + 1}"


def test_indicators_sheet_has_numbers_with_swedish_formats(wb, fu):
    ws = wb["Indikatorer"]
    table = read_table(ws, "Område")
    assert len(table) == len(fu.outcomes) == 6
    berga = table.iloc[0]
    assert (berga["Område"], berga["Indikator"], berga["Basår"], berga["År"]) == (
        "Berga",
        "Förvärvsfrekvens",
        2020,
        2022,
    )
    assert berga["Värde basår"] == 50.0 and berga["Senaste värde"] == 54.0
    assert berga["Skillnad basår"] == pytest.approx(-30.0) and berga["Skillnad senaste"] == pytest.approx(-26.0)
    assert berga["Skillnad i"] == "procentenheter"
    assert berga["Skillnaden"] == "→← närmar sig" and berga["Måluppfyllelse"] == "i fas"
    assert berga["Målvärde"] == 60.0 and berga[PATH_HEADER] == pytest.approx(54.0)
    assert (berga["Målets basår"], berga["Värde målets basår"]) == (2020, 50.0)
    header_row = next(i for i, c in enumerate(ws["A"], 1) if c.value == "Område")
    assert ws.cell(header_row + 1, 10).number_format == '#,##0.0 "%"'
    assert ws.cell(header_row + 1, 13).number_format == '+#,##0.0 "pe";-#,##0.0 "pe";#,##0.0 "pe"'
    population = table[table["Indikator"] == "Folkmängd"].iloc[0]
    assert pd.isna(population["Skillnad senaste"]) and pd.isna(population["Skillnaden"])  # empty cells
    assert population["Senaste värde"] == 5100.0
    assert ws.cell(header_row + 3, 10).number_format == "#,##0"


def test_indicators_sheet_states_the_attainment_rules_and_age_and_wrong_direction():
    targets = [("Berga", "arb", 2025, 60.0), ("Berga", "bist", 2024, 8.5), ("Ryd", "bist", 2024, 6.0)]
    fu = follow_up(dataset(targets=targets), ActionFilter(), "Övriga Linköping", 2020, current_year=2024, today=TODAY)
    wb = open_report(fu)
    ws = wb["Indikatorer"]
    assert [c.value for c in ws["A"] if c.value in ATTAINMENT_RULES] == list(ATTAINMENT_RULES)
    table = read_table(ws, "Område").set_index(["Område", "Indikator"])
    assert table["Måluppfyllelse"].dropna().to_dict() == {
        ("Berga", "Förvärvsfrekvens"): "i fas (senaste värde 2022)",
        ("Berga", "Ekonomiskt bistånd"): "inte uppnått (senaste värde 2022)",
        ("Ryd", "Ekonomiskt bistånd"): "målet pekar åt fel håll: målvärdet 6,0\u00a0% är sämre än värdet basåret 2020 "
        "(5,0\u00a0%), och lägre är bättre",
    }
    attainment = read_table(wb["Sammanfattning"], "Måluppfyllelse per område").set_index("Område")
    assert attainment.loc["Ryd", ["Uppnått", "I fas", "Målet pekar åt fel håll", "Totalt"]].tolist() == [0, 0, 1, 1]
    assert attainment.loc["Berga", ["I fas", "Inte uppnått", "Totalt"]].tolist() == [1, 1, 2]


def test_filters_and_examples_are_stated():
    actions = [
        *ACTIONS[:-1],
        ("A7", '=HYPERLINK("http://x")', "fritid", "SBF", "Ryd", "2026-12-01", "2026-12-31", "Ej påbörjad", "=1+1", ""),
    ]
    fu = follow_up(
        dataset(actions=actions, source=EX),
        ActionFilter(areas=("Ryd",), search="=hyper"),
        "Övriga Linköping",
        2020,
        today=TODAY,
    )
    wb = open_report(fu, None)
    assert wb["Sammanfattning"]["B4"].value == "Område: Ryd · Sökning: ”=hyper”"
    assert any(c.value == EXAMPLE_NOTE for c in wb["Sammanfattning"]["A"])
    assert any(c.value == EXAMPLE_NOTE for c in wb["Åtgärder"]["A"])
    ws = wb["Åtgärder"]
    table = read_table(ws, "Id")
    assert table["Id"].tolist() == ["A7"] and table["Exempel"].tolist() == ["Ja"]
    row = next(i for i, c in enumerate(ws["A"], 1) if c.value == "A7")
    title, comment = ws.cell(row, 2), ws.cell(row, 11)
    assert (title.value, title.data_type) == ('=HYPERLINK("http://x")', "s")
    assert (comment.value, comment.data_type) == ("=1+1", "s")
    assert set(read_table(wb["Indikatorer"], "Område")["Område"]) == {"Ryd"}


def test_control_characters_are_removed_and_formula_text_stays_text():
    actions = [
        *ACTIONS[:-1],
        (
            "A7",
            "Berga\x01",
            "fritid",
            "SBF\x02",
            "Ryd",
            "2026-12-01",
            "2026-12-31",
            "Ej påbörjad",
            '=HYPERLINK("http://x","y")',
            "arb",
        ),
    ]
    fu = follow_up(dataset(actions=actions), ActionFilter(), "Övriga Linköping", 2020, today=TODAY)
    wb = open_report(fu)  # openpyxl would refuse the control characters with IllegalCharacterError
    ws = wb["Åtgärder"]
    row = next(i for i, c in enumerate(ws["A"], 1) if c.value == "A7")
    title, responsible, comment = ws.cell(row, 2), ws.cell(row, 4), ws.cell(row, 11)
    assert (title.value, responsible.value) == ("Berga", "SBF")
    assert (comment.value, comment.data_type) == ('=HYPERLINK("http://x","y")', "s")
    indicators = read_table(wb["Indikatorer"], "Område")
    assert indicators["Senaste värde"].tolist() == [54, 9, 5100, 58, 4, 8100]  # numbers are still numbers
