"""Finding a table: SCB's recorded table search and TAB6471's recorded metadata, read by hand-worked cases, the search
over HTTP against the fixture server, and the drafted definition checked as the sheet Hämtningar reads it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analysis.ingest.fetch_spec import FETCHES, PXWEB1, fetch_specs
from analysis.ingest.pxweb import InvalidResponseError, PxWebClient, TableMetadata, Variable, table_metadata
from analysis.ingest.pxweb1 import PxWeb1Client, table_metadata_v1
from analysis.ingest.table_finder import (
    draft_definition,
    draft_kolada,
    draft_row,
    entry_choices,
    folder_entries,
    kpi_search,
    list_folder,
    search_kpis,
    search_tables,
    search_url,
    table_choices,
    table_search,
    tables_frame,
    variables_frame,
)
from tests.pxweb_server import RECORDED, serve_pxweb
from tests.test_plan import read

REFERENCE = Path("/work/shared/reference/pxweb/v2")
SEARCH = json.loads((REFERENCE / "search.json").read_text("utf-8"))
META = table_metadata("TAB6471", json.loads((REFERENCE / "TAB6471_metadata.json").read_text("utf-8")), "u")
SCB = "https://statistikdatabasen.scb.se/api/v2"


def test_the_search_address_asks_in_swedish_for_one_page():
    assert search_url(SCB + "/", " befolkning region ", 20) == (
        f"{SCB}/tables?lang=sv&query=befolkning+region&pageSize=20"
    )


def test_the_recorded_search_lists_its_ten_tables():
    search = table_search(SEARCH, "u")
    assert search.total == 10 and len(search.tables) == 10
    first = search.tables[0]
    assert (first.id, first.first_period, first.last_period, first.updated) == ("TAB4552", "1960", "2024", "2026-06-02")
    assert first.variables == ("typ av anslutning", "tabellinnehåll", "år")
    frame = tables_frame(search)
    assert list(frame.columns) == ["Tabell", "Rubrik", "Från", "Till", "Uppdaterad", "Variabler"]
    assert (
        frame.loc[frame["Tabell"] == "TAB6473", "Variabler"].item()
        == "region, förändringar, kön, tabellinnehåll, månad"
    )


@pytest.mark.parametrize("body", [{"tables": "x"}, [], {"page": {}}])
def test_what_is_no_table_list_is_an_invalid_answer(body):
    with pytest.raises(InvalidResponseError, match="Svaret är ingen tabellista"):
        table_search(body, "u")


def test_an_entry_without_an_id_is_left_out():
    search = table_search({"tables": [{"label": "utan id"}, {"id": "TAB1"}], "page": {"totalElements": 2}}, "u")
    assert [t.id for t in search.tables] == ["TAB1"] and search.total == 2 and search.tables[0].label == "TAB1"


def test_the_variables_of_tab6471_with_their_first_codes():
    frame = variables_frame(META).set_index("Variabel")
    assert list(frame.index) == ["Region", "Alder", "Kon", "ContentsCode", "Tid"]
    assert frame.loc["Region", "Antal koder"] == 312 and frame.loc["Region", "Kan utelämnas"] == "Ja"
    assert frame.loc["Region", "Koder"].startswith("00 (Riket), 01 (Stockholms län), 0114 (Upplands Väsby)")
    assert frame.loc["Region", "Koder"].endswith("… och 306 till")
    assert frame.loc["Kon", "Koder"] == "TotSa (totalt, samtliga män och kvinnor), 1 (män), 2 (kvinnor)"
    assert frame.loc["Tid", "Tid"] == "Ja" and frame.loc["Alder", "Kan utelämnas"] == "Nej"


def test_the_draft_for_tab6471_asks_for_linkoping_every_sex_all_ages_and_the_last_month_of_a_year():
    row = draft_definition(META, SCB + "/", "folkmangd")
    assert row["selection"] == "Region=0580*; Alder=TotSA"
    assert (row["area_variable"], row["time_variable"], row["sex_variable"]) == ("Region", "Tid", "Kon")
    assert row["sex_codes"] == "TotSa=Totalt; 1=Män; 2=Kvinnor"
    # Months of 2025 and 2026: ten years back from 2026, the last month as the year's value.
    assert row["time"] == "från 2017" and row["period_rule"] == "Sista perioden"
    assert row["base_url"] == SCB and row["verified"] == "Nej"
    assert row["comment"].startswith(
        "Utkast från tabellsökningen. Region: Linköpings koder (0580*); Alder=TotSA (totalt, samtliga åldrar) av 134;"
    )


def test_the_draft_reads_as_a_row_of_hamtningar_and_becomes_a_spec():
    row = draft_definition(META, SCB, "Folkmängd")
    header = [c.header for c in FETCHES.spec.columns]
    records, problems, _ = read(FETCHES, [header, [row.get(c.field, "") for c in FETCHES.spec.columns]])
    assert problems == []
    [spec] = fetch_specs(pd.DataFrame(records))
    assert spec.selection == {
        "Region": ("0580*",),
        "Alder": ("TotSA",),
        "Tid": ("from(2017)",),
        "Kon": ("TotSa", "1", "2"),
    }


def variable(id: str, codes: list[str], labels: list[str] | None = None, elimination=False, time=False) -> Variable:
    """A hand-made variable."""
    return Variable(id, id.lower(), tuple(codes), tuple(labels or codes), elimination, time)


def test_a_yearly_district_table_without_sex_leaves_out_what_may_be_and_says_what_it_chose():
    meta = TableMetadata(
        "BE0101",
        "t",
        (
            variable("Stadsdel", ["12", "31"]),
            variable("Fodelseland", ["TOT", "SE", "UT"], ["totalt", "Sverige", "utlandet"]),
            variable("Civilstand", ["G", "OG"], elimination=True),
            variable("ContentsCode", ["A", "B"], ["Antal", "Andel"]),
            variable("Tid", ["2022", "2023"], time=True),
        ),
        "u",
    )
    row = draft_definition(meta, "http://x/api/v2")
    assert row["selection"] == "Stadsdel=*; Fodelseland=TOT; ContentsCode=A"
    assert row["time"] == "senaste 10" and row["period_rule"] == "" and row["sex_variable"] == ""
    assert row["comment"] == (
        "Utkast från tabellsökningen. Stadsdel: alla koder; Fodelseland=TOT (totalt) av 3; "
        "Civilstand utelämnas (summeras); ContentsCode=A (Antal) av 2."
    )


def test_the_search_over_http_gets_the_recorded_answer():
    with serve_pxweb() as server:
        client = PxWebClient(server.base_url, sleep=lambda s: None)
        search = search_tables(client, "befolkning")
        [call] = server.calls("tables")
        assert call.answer == RECORDED and call.query["query"] == "befolkning"
        assert [t.id for t in search.tables][:2] == ["TAB4552", "TAB4560"]
        narrower = search_tables(client, "Befolkningsstatistik region")
        assert [t.id for t in narrower.tables] == ["TAB6473"] and narrower.total == 1


AREAS = pd.DataFrame(
    [
        {"name": "Linköping", "type": "Kommun", "code": "0580", "aliases": "Linköpings kommun"},
        {"name": "Riket", "type": "Riket", "code": "00", "aliases": ""},
        {"name": "Norrköping", "type": "Kommun", "code": "0581", "aliases": ""},
        {"name": "Berga", "type": "Fokusområde", "code": "", "aliases": "Stadsdelen Berga"},
    ]
)


def test_with_the_areas_sheet_the_draft_asks_for_the_regions_that_are_areas():
    row = draft_definition(META, SCB, areas=AREAS)
    # TAB6471's Region holds Riket (00), every county and municipality: three of its 312 codes are areas here.
    assert row["selection"] == "Region=00,0580,0581; Alder=TotSA"
    assert "Region: de 3 av 312 koder som är områden på bladet Områden" in row["comment"]


def test_a_district_table_of_api_v1_is_drafted_with_its_path_and_the_districts_named_as_areas():
    from tests.pxweb1_server import TABLE, metadata

    meta = table_metadata_v1(TABLE, metadata(), "u")
    row = draft_definition(meta, "http://x/api/v1/sv/Linkoping", "folkmangd", api=PXWEB1, areas=AREAS)
    assert (row["api"], row["table"], row["area_variable"]) == ("PxWeb v1", "Befolkning/BefStadsdel.px", "Stadsdel")
    # 0580 (Linköpings kommun) by its Kod, 12 by its label Berga; Ryd, Skäggetorp and Vasastaden are not areas here.
    assert row["selection"] == "Stadsdel=0580,12"
    assert (row["sex_variable"], row["sex_codes"]) == ("Kon", "1=Män; 2=Kvinnor")
    assert row["time"] == "senaste 10" and row["period_rule"] == ""


@pytest.mark.parametrize(
    "body, entries",
    [
        (
            [
                {"id": "BE", "type": "l", "text": "Befolkning"},
                {"id": "T1", "type": "t", "text": "Tabell", "updated": "2025-03-20T12:00:00"},
            ],
            [("BE", "l", "Befolkning", "top/BE", ""), ("T1", "t", "Tabell", "top/T1", "2025-03-20")],
        ),
        (
            [{"id": "H", "type": "h", "text": "Rubrik"}, {"id": "X", "type": "q"}, {"type": "l"}, "x"],
            [("H", "h", "Rubrik", "top/H", "")],
        ),
        ([], []),
    ],
)
def test_a_folder_listing_keeps_folders_tables_and_headings(body, entries):
    found = folder_entries(body, "/top/", "u")
    assert [(e.id, e.kind, e.text, e.path, e.updated) for e in found] == entries


def test_what_is_no_folder_listing_is_an_invalid_answer():
    with pytest.raises(InvalidResponseError, match="Svaret är ingen mapplista"):
        folder_entries({"variables": []}, "", "u")


def test_the_v1_folders_over_http():
    from tests.pxweb1_server import serve_pxweb1

    with serve_pxweb1() as server:
        client = PxWeb1Client(server.base_url, sleep=lambda s: None)
        assert [(e.kind, e.path) for e in list_folder(client)] == [("l", "Befolkning"), ("l", "Arbete")]
        assert [(e.kind, e.path) for e in list_folder(client, "Befolkning")] == [
            ("h", "Befolkning/Stadsdelar"),
            ("t", "Befolkning/BefStadsdel.px"),
        ]


def test_a_kolada_key_figure_list_reads_as_a_search():
    body = {
        "count": 2,
        "values": [
            {
                "id": "N1",
                "title": "Andel",
                "description": "Om N1",
                "is_divided_by_gender": 1,
                "publication_date": "2025-11-20",
            },
            {"id": "N2", "title": "Antal", "is_divided_by_gender": 0, "publication_date": None},
            {"title": "utan id"},
        ],
    }
    search = kpi_search(body, "u")
    assert search.total == 2 and [t.id for t in search.tables] == ["N1", "N2"]
    assert search.tables[0].variables == ("kommun", "år", "kön") and search.tables[1].variables == ("kommun", "år")
    assert (search.tables[0].description, search.tables[0].updated, search.tables[1].updated) == (
        "Om N1",
        "2025-11-20",
        "",
    )
    with pytest.raises(InvalidResponseError, match="Svaret är ingen lista över nyckeltal"):
        kpi_search({"count": 0}, "u")


def test_a_kolada_draft_asks_for_the_municipalities_of_the_areas_sheet():
    kpi = kpi_search({"values": [{"id": "N00914", "title": "T", "is_divided_by_gender": 1}]}, "u").tables[0]
    row = draft_kolada(kpi, "https://api.kolada.se/v2/", AREAS, "forv")
    # Linköping 0580 and Norrköping 0581; Riket's 00 and Berga (no code) are not Kolada municipalities.
    assert row["selection"] == "municipality=0580,0581"
    assert (row["api"], row["table"], row["base_url"], row["time"]) == (
        "Kolada",
        "N00914",
        "https://api.kolada.se/v2",
        "senaste 10",
    )
    assert (row["time_variable"], row["area_variable"], row["sex_variable"]) == ("period", "municipality", "gender")
    assert draft_kolada(kpi, "u", None)["selection"] == "municipality=0580"


def test_the_kolada_search_over_http():
    from analysis.ingest.kolada import KoladaClient
    from tests.kolada_server import serve_kolada

    with serve_kolada() as server:
        found = search_kpis(KoladaClient(server.base_url, sleep=lambda s: None), "förvärvsarbetar")
        assert [t.id for t in found.tables] == ["N00914"] and found.total == 1
        [call] = server.calls()
        assert call.path == "/kpi" and call.query == {"title": "förvärvsarbetar", "per_page": "50"}


def test_variables_are_recognised_by_whole_words_and_a_missing_time_variable_is_said():
    meta = TableMetadata(
        "T",
        "t",
        (
            variable("EkonomiskStandard", ["Q1", "Q2"], ["kvartil 1", "kvartil 2"]),
            variable("Utbildningsomrade", ["U1", "U2"]),
            variable("Region", ["0580", "0581"]),
            variable("Månad", ["2024M01", "2024M02"]),
        ),
        "u",
    )
    meta = TableMetadata("T", "t", (replace(meta.variables[0], label="ekonomisk standard"), *meta.variables[1:]), "u")
    row = draft_definition(meta, "http://x/api/v2")
    assert row["sex_variable"] == "" and row["area_variable"] == "Region"
    assert row["time_variable"] == "" and "ingen tidsvariabel hittades: skriv Tidsvariabel" in row["comment"]


def test_a_long_list_of_area_codes_becomes_linkopings_codes():
    codes = [f"0580C{i:04d}" for i in range(200)]
    meta = TableMetadata("T", "t", (variable("Region", codes), variable("Tid", ["2024"], time=True)), "u")
    areas = pd.DataFrame(
        [{"name": f"D{i}", "type": "Övrigt", "code": c, "aliases": ""} for i, c in enumerate(codes[:150])]
    )
    assert draft_definition(meta, "u", areas=areas)["selection"] == "Region=0580*"


def test_the_databases_at_the_top_of_a_v1_api_are_folders():
    found = folder_entries([{"dbid": "ssd", "text": "Statistikdatabasen"}], "", "u")
    assert [(e.id, e.kind, e.text, e.path) for e in found] == [("ssd", "l", "Statistikdatabasen", "ssd")]


def test_a_kolada_list_leaves_out_the_periods_no_key_figure_has():
    search = kpi_search({"values": [{"id": "N1", "title": "Andel", "is_divided_by_gender": 1}]}, "u")
    assert list(tables_frame(search).columns) == ["Tabell", "Rubrik", "Variabler"]


def test_a_folder_is_offered_without_headings_and_a_repeated_text_gets_its_id():
    listing = folder_entries(
        [
            {"id": "H", "type": "h", "text": "Rubrik"},
            {"id": "BE", "type": "l", "text": "Befolkning"},
            {"id": "T1.px", "type": "t", "text": "Folkmängd"},
            {"id": "T2.px", "type": "t", "text": "Folkmängd"},
        ],
        "",
        "u",
    )
    assert {label: e.path for label, e in entry_choices(listing).items()} == {
        "Mapp: Befolkning": "BE",
        "Tabell: Folkmängd (T1.px)": "T1.px",
        "Tabell: Folkmängd (T2.px)": "T2.px",
    }


def test_a_search_is_offered_by_id_and_title():
    assert (
        table_choices(table_search(SEARCH, "u"))[
            "TAB4552 – Befolkningens anslutning till kommunalt vatten och avlopp. År 1960-2024"
        ]
        == "TAB4552"
    )


def test_the_edited_draft_keeps_what_was_not_edited_and_names_the_indicator_by_id():
    indicators = pd.DataFrame([{"id": "folkmangd", "name": "Folkmängd"}])
    draft = {"table": "TAB6471", "selection": "Region=0580*", "time": "senaste 10", "indicator": ""}
    row = draft_row(draft, {"selection": "Region=05", "time": None}, indicators, "Folkmängd")
    assert row == {"table": "TAB6471", "selection": "Region=05", "time": "", "indicator": "folkmangd"}
    assert draft_row(draft, {}, indicators, None)["indicator"] == ""
