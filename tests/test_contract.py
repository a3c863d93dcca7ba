"""The workbook contract: sheet names, headers and their alternatives, text limits and the keys rows must not repeat."""

from __future__ import annotations

import pytest

from analysis.core.model import ACTION_STATUSES, SHEET_TABLES, TABLE_COLUMNS
from analysis.ingest.contract import (
    ACTION_SHEET,
    AREA_SHEET,
    DATA_SHEET,
    FOLLOWUP_SHEET,
    GROUP_FIELD,
    INDICATOR_SHEET,
    MAX_LONG_TEXT,
    MAX_NAME_TEXT,
    MAX_SHORT_TEXT,
    PLAN_SHEET,
    SHEETS,
    TARGET_SHEET,
    TEXT_SHEET,
    UniqueKey,
    field_for_header,
    sheet_for_name,
)
from analysis.ingest.names import normalise


@pytest.mark.parametrize(
    "name, table",
    [
        ("Data", "observations"),
        ("data", "observations"),
        ("Värden", "observations"),
        ("Observations", "observations"),
        ("Indikatorkatalog", "indicators"),
        ("  indicators ", "indicators"),
        ("Omraden", "areas"),
        ("OMRÅDEN", "areas"),
        ("Atgarder", "actions"),
        ("Planer", "plans"),
        ("planversioner", "plans"),
        ("Plans", "plans"),
        ("Atgardsplaner", "plans"),
        ("Follow-ups", "action_followups"),
        ("Uppföljningar", "action_followups"),
        ("Mal", "targets"),
        ("Texter", "area_texts"),
        ("Area texts", "area_texts"),
        ("Listor", None),  # the template's own sheets are not contract sheets
        ("Instruktioner", None),
        ("Blad1", None),
        ("", None),
    ],
)
def test_sheet_for_name(name, table):
    spec = sheet_for_name(name)
    assert (spec.table if spec else None) == table


@pytest.mark.parametrize(
    "spec, header, field",
    [
        (DATA_SHEET, "Område", "area"),
        (DATA_SHEET, "region", "area"),
        (DATA_SHEET, "  Stadsdel ", "area"),
        (DATA_SHEET, "VARDE", "value"),
        (DATA_SHEET, "year", "year"),
        (DATA_SHEET, "Kon", "sex"),
        (DATA_SHEET, "Kommentar", "note"),
        (DATA_SHEET, "Fotnot", "note"),
        (DATA_SHEET, "Nyckeltal", "indicator"),  # on Data a key figure names the indicator
        (INDICATOR_SHEET, "Nyckeltal", "key_figure"),  # in the catalogue it is the key-figure flag
        (INDICATOR_SHEET, "Indikator", "name"),
        (INDICATOR_SHEET, "I mening", "definite"),
        (INDICATOR_SHEET, "gap_measure", "gap_measure"),  # the model field itself is accepted
        (AREA_SHEET, "Namn", "name"),
        (AREA_SHEET, "Typ", "type"),
        (ACTION_SHEET, "Ansvarig förvaltning", "responsible"),
        (ACTION_SHEET, "Område", "areas"),
        (ACTION_SHEET, "Kommentar", "comment"),
        (ACTION_SHEET, "Plan", "plan"),
        (ACTION_SHEET, "Planer", "plan"),
        (ACTION_SHEET, "planversion", "plan"),
        (PLAN_SHEET, "Plan", "name"),  # on Planer the plan is the row's own name
        (PLAN_SHEET, "Fastställd", "adopted"),
        (PLAN_SHEET, "Gäller fran", "first_year"),
        (PLAN_SHEET, "Gäller till", "last_year"),
        (PLAN_SHEET, "Beslutad av", "decided_by"),
        (FOLLOWUP_SHEET, "Andel klar", "progress"),
        (FOLLOWUP_SHEET, "Andel klar (%)", "progress"),
        (FOLLOWUP_SHEET, "framsteg", "progress"),
        (FOLLOWUP_SHEET, "Progress", "progress"),
        (FOLLOWUP_SHEET, "Åtgärds-id", "action"),
        (FOLLOWUP_SHEET, "Id", "action"),
        (TARGET_SHEET, "Target", "target_value"),
        (TARGET_SHEET, "Basar", "base_year"),
        (TEXT_SHEET, "heading", "heading"),
        (DATA_SHEET, "Rubrik", None),
        (DATA_SHEET, "", None),
        (DATA_SHEET, None, None),
        (DATA_SHEET, 2020, None),
    ],
)
def test_field_for_header(spec, header, field):
    assert field_for_header(spec, header) == field


@pytest.mark.parametrize(
    "spec, headers",
    [
        (DATA_SHEET, ["Område", "Indikator", "År", "Värde", "Kön", "Grupp", "Källa", "Kommentar"]),
        (AREA_SHEET, ["Område", "Typ", "Kod", "Alias"]),
        (FOLLOWUP_SHEET, ["Åtgärd", "År", "Status", "Andel klar", "Kommentar", "Källa"]),
        (PLAN_SHEET, ["Plan", "Antagen", "Beslutad av", "Gäller från", "Gäller till", "Kommentar", "Källa"]),
        (
            ACTION_SHEET,
            [
                "Id",
                "Plan",
                "Åtgärd",
                "Tema",
                "Ansvarig",
                "Områden",
                "Start",
                "Slut",
                "Status",
                "Kommentar",
                "Indikatorer",
                "Källa",
            ],
        ),
        (TARGET_SHEET, ["Område", "Indikator", "Basår", "Målår", "Målvärde", "Källa"]),
        (TEXT_SHEET, ["Område", "Rubrik", "Text", "Källa"]),
    ],
)
def test_headers_in_template_order(spec, headers):
    assert spec.headers == headers


@pytest.mark.parametrize(
    "spec, field, header, required, max_len",
    [
        (DATA_SHEET, "value", "Värde", True, MAX_SHORT_TEXT),
        (DATA_SHEET, "note", "Kommentar", False, MAX_SHORT_TEXT),
        (AREA_SHEET, "name", "Område", True, MAX_NAME_TEXT),
        (AREA_SHEET, "code", "Kod", False, 50),
        (AREA_SHEET, "aliases", "Alias", False, MAX_SHORT_TEXT),
        (INDICATOR_SHEET, "id", "Id", True, 80),
        (INDICATOR_SHEET, "definition", "Definition", False, MAX_LONG_TEXT),
        (INDICATOR_SHEET, "definite", "Bestämd form", False, MAX_NAME_TEXT),
        (ACTION_SHEET, "title", "Åtgärd", True, MAX_LONG_TEXT),
        (ACTION_SHEET, "responsible", "Ansvarig", False, MAX_SHORT_TEXT),
        (FOLLOWUP_SHEET, "comment", "Kommentar", False, MAX_LONG_TEXT),
        (FOLLOWUP_SHEET, "progress", "Andel klar", False, MAX_SHORT_TEXT),
        (ACTION_SHEET, "plan", "Plan", False, MAX_SHORT_TEXT),
        (PLAN_SHEET, "name", "Plan", True, MAX_NAME_TEXT),
        (PLAN_SHEET, "adopted", "Antagen", True, MAX_SHORT_TEXT),
        (PLAN_SHEET, "first_year", "Gäller från", True, MAX_SHORT_TEXT),
        (PLAN_SHEET, "last_year", "Gäller till", False, MAX_SHORT_TEXT),
        (PLAN_SHEET, "comment", "Kommentar", False, MAX_LONG_TEXT),
        (TEXT_SHEET, "heading", "Rubrik", True, MAX_NAME_TEXT),
        (TEXT_SHEET, "text", "Text", True, MAX_LONG_TEXT),
    ],
)
def test_column_declarations(spec, field, header, required, max_len):
    col = spec.column(field)
    assert (col.header, col.required, col.max_len) == (header, required, max_len)


@pytest.mark.parametrize(
    "key, record, expected",
    [
        (AREA_SHEET.unique[0], {"name": "Skäggetorp"}, ("skaggetorp",)),
        (INDICATOR_SHEET.unique[0], {"id": " Folkmangd ", "name": "x"}, ("folkmangd",)),
        (INDICATOR_SHEET.unique[1], {"id": "a", "name": "Förvärvsfrekvens"}, ("forvarvsfrekvens",)),
        (ACTION_SHEET.unique[0], {"id": "A01", "plan": ""}, ("a01", "")),
        (ACTION_SHEET.unique[0], {"id": "A01", "plan": "Åtgärdsplan 2022"}, ("a01", "Åtgärdsplan 2022")),
        (PLAN_SHEET.unique[0], {"name": " Åtgärdsplan  2022"}, ("atgardsplan 2022",)),
        (FOLLOWUP_SHEET.unique[0], {"action": "A01", "year": 2023}, ("A01", 2023)),
        (TARGET_SHEET.unique[0], {"area": "Berga", "indicator": "ind", "target_year": 2030}, ("Berga", "ind", 2030)),
        (TEXT_SHEET.unique[0], {"area": "Berga", "heading": "Aktörer "}, ("Berga", "aktorer")),
        (UniqueKey(("a", "b"), "x", folded=("b",)), {"a": "Å", "b": "Å"}, ("Å", "a")),
    ],
)
def test_unique_key_of_a_record(key, record, expected):
    assert key.of(record) == expected


@pytest.mark.parametrize(
    "spec, labels",
    [
        (DATA_SHEET, []),  # Data's repeats are checked with the observations (area, indicator, year, sex)
        (AREA_SHEET, ["Området"]),
        (INDICATOR_SHEET, ["Indikatorns id", "Indikatorns namn"]),
        (PLAN_SHEET, ["Planen"]),
        (ACTION_SHEET, ["Åtgärdens id"]),  # (id, plan): the same id once per plan version
        (FOLLOWUP_SHEET, ["Samma åtgärd och år"]),
        (TARGET_SHEET, ["Samma mål (område, indikator, målår)"]),
        (TEXT_SHEET, ["Samma område och rubrik"]),
    ],
)
def test_unique_keys_of_each_sheet(spec, labels):
    assert [k.label for k in spec.unique] == labels


def test_one_sheet_per_model_table_with_the_model_columns():
    assert sorted(s.table for s in SHEETS) == sorted(SHEET_TABLES)
    for spec in SHEETS:
        folded = {GROUP_FIELD} if spec is DATA_SHEET else set()  # Grupp is read into the observations' group
        assert {c.field for c in spec.columns} - folded <= set(TABLE_COLUMNS[spec.table]), spec.name
        for key in spec.unique:
            assert set(key.folded) <= set(key.fields) <= {c.field for c in spec.columns}, spec.name


def test_every_header_and_alternative_names_its_own_field_and_no_other():
    for spec in SHEETS:
        owner: dict[str, str] = {}
        for col in spec.columns:
            for text in (col.header, col.field, *col.alternatives):
                assert field_for_header(spec, text) == col.field, (spec.name, text)
                assert owner.setdefault(normalise(text), col.field) == col.field, (spec.name, text)


def test_no_sheet_name_is_claimed_by_two_sheets():
    owner: dict[str, str] = {}
    for spec in SHEETS:
        for n in (spec.name, *spec.alternatives):  # "Omraden" and "Områden" are one name to the reader
            assert owner.setdefault(normalise(n), spec.table) == spec.table, n
    for spec in SHEETS:
        for n in (spec.name, *spec.alternatives):
            assert sheet_for_name(n) is spec


def test_the_planer_sheet_comes_before_the_actions_whose_plan_column_names_its_plans():
    order = [s.name for s in SHEETS]
    assert order == [
        "Data",
        "Indikatorer",
        "Områden",
        "Planer",
        "Åtgärder",
        "Uppföljning",
        "Mål",
        "Områdestexter",
        "Hämtningar",
    ]


@pytest.mark.parametrize("spec", [ACTION_SHEET, FOLLOWUP_SHEET])
def test_the_status_help_lists_every_status(spec):
    help_text = spec.column("status").help
    assert all(status in help_text for status in ACTION_STATUSES)
    assert "Pågår, Riskerar att försenas, Försenad" in help_text
