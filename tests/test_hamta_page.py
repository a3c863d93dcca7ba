"""The page Hämta statistik in AppTest: the definitions, fetching from the local PxWeb v2 and v1 fixture servers,
finding a table in SCB's recorded search, and a drafted definition tried and saved through the upload path."""

from __future__ import annotations

import pandas as pd

from analysis.core.model import make_dataset
from analysis.store.importer import open_store
from tests.apptest import run_app_page
from tests.kolada_server import serve_kolada
from tests.pxweb1_server import TABLE as V1_TABLE
from tests.pxweb1_server import serve_pxweb1
from tests.pxweb_server import serve_pxweb
from tests.test_cli import fetch_row
from tests.test_data_page import EDITOR, SECRETS, VIEWER

PAGE = "views/hamta.py"


def plain(text: str) -> str:
    """Shown Markdown without its escapes and word joiners."""
    return text.replace("\\", "").replace("\u2060", "")


def test_a_viewer_sees_the_definitions_but_cannot_fetch_or_search():
    at = run_app_page(PAGE, secrets=SECRETS, user=VIEWER)
    table = next(d.value for d in at.dataframe if "Urval" in d.value.columns)
    assert table[["Indikator", "API", "Tabell", "Verifierad"]].values.tolist() == [
        ["folkmangd", "PxWeb v2", "TAB6471", "Nej"]
    ]
    assert not [b for b in at.button if b.label == "Hämta senaste"]
    assert any("Bara redaktörer kan söka" in c.value for c in at.caption)
    assert not at.text_input  # no search form


def test_fetching_pxweb_v2_and_v1_previews_and_stores_one_version():
    with serve_pxweb() as v2, serve_pxweb1() as v1:
        with open_store() as s:
            areas = pd.DataFrame([{"name": "Östergötlands län", "type": "Övrigt", "code": "05", "aliases": ""}])
            # The default folkmangd ur TAB6471 (key: indicator and table) now asks the local v2 server.
            scb = fetch_row("folkmangd", v2.base_url, selection="Region=05; Alder=30-39; ContentsCode=000007SF")
            district = {
                "indicator": "folkmangd",
                "api": "PxWeb v1",
                "base_url": v1.base_url,
                "table": V1_TABLE,
                "selection": "Stadsdel=12,31,44",
                "time": "senaste 2",
                "area_variable": "Stadsdel",
                "sex_variable": "Kon",
                "sex_codes": "1=Män; 2=Kvinnor",
                "verified": "Nej",
            }
            s.apply(make_dataset(areas=areas, fetches=pd.DataFrame([scb, district])), user="test")
            versions = len(s.versions())
        at = run_app_page(PAGE, timeout=120)
        at.button(key="hamta").click().run()
        assert not at.exception, [e.message for e in at.exception]
        said = [plain(m.value) for m in at.success]
        assert "**folkmangd ur TAB6471 (PxWeb v2):** 3 värden ur tabellen TAB6471 (ett anrop)." in said, said
        assert f"**folkmangd ur {V1_TABLE} (PxWeb v1):** 12 värden ur tabellen {V1_TABLE} (ett anrop)." in said
        assert {"Ändrade värden", "Nya värden"} <= {t.label for t in at.tabs}
        counts = next(d.value for d in at.dataframe if "Tabell" in d.value.columns and "Nya" in d.value.columns)
        assert counts.iloc[0][["Nya", "Ändrade"]].tolist() == [3, 12]
        next(b for b in at.button if b.label == "Spara hämtningen som ny version").click().run()
        assert any(f"Version {versions + 1} skapad" in m.value for m in at.success), [m.value for m in at.success]
    with open_store() as s:
        assert s.versions().iloc[0]["file_name"].startswith("Hämtning ")


def search(at, base_url: str, words: str, source: str = "PxWeb v2"):
    """Choose the source, fill in the search form and submit it."""
    if source != "PxWeb v2":
        at.segmented_control(key="sok_kalla").set_value(source).run()
    at.text_input(key="sok_api").set_value(base_url)
    if words:
        at.text_input(key="sokord").set_value(words)
    next(b for b in at.button if b.label in ("Sök", "Visa mapparna")).click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_scbs_recorded_search_is_listed_to_choose_from():
    with serve_pxweb() as server:
        at = search(run_app_page(PAGE, timeout=120, secrets=SECRETS, user=EDITOR), server.base_url, "befolkning")
    found = next(d.value for d in at.dataframe if "Rubrik" in d.value.columns)
    assert len(found) == 10 and found["Tabell"].iloc[0] == "TAB4552"  # SCB's recorded search for befolkning
    assert any(plain(c.value).startswith("10 träffar; de första 10 visas") for c in at.caption)
    assert at.selectbox(key="vald_tabell").options[-1].startswith("TAB6473 – Befolkningsstatistik efter region")


def test_a_failed_search_says_why_in_swedish():
    with serve_pxweb() as server:
        server.server_error(endpoint="tables")
        at = search(run_app_page(PAGE, timeout=120, secrets=SECRETS, user=EDITOR), server.base_url, "befolkning")
    assert any(plain(e.value).startswith("Serverfel hos 127.0.0.1 (HTTP 500)") for e in at.error)
    assert not [d for d in at.dataframe if "Rubrik" in d.value.columns]


def test_a_table_found_becomes_a_definition_that_is_tried_and_saved_through_the_upload_path():
    with open_store() as s:
        areas = pd.DataFrame([{"name": "Östergötlands län", "type": "Övrigt", "code": "05", "aliases": ""}])
        s.apply(make_dataset(areas=areas), user="test")
        versions = len(s.versions())
    with serve_pxweb() as server:
        at = search(
            run_app_page(PAGE, timeout=120, secrets=SECRETS, user=EDITOR), server.base_url, "folkmängden per månad"
        )
        [label] = at.selectbox(key="vald_tabell").options  # TAB6471, listed as its recorded metadata describes it
        at.selectbox(key="vald_tabell").set_value(label).run()
        variables = next(d.value for d in at.dataframe if "Kan utelämnas" in d.value.columns)
        assert variables["Variabel"].tolist() == ["Region", "Alder", "Kon", "ContentsCode", "Tid"]
        # The draft asks for the regions that are areas here (Riket, Östergötland, Linköping and the comparison
        # municipalities) since 2017; the recording holds the counties' last four months, so the editor asks for
        # Östergötland, 30–39 år and the latest four months, as a user adjusts a draft.
        assert at.text_input(key="utkast_selection").value == "Region=00,0380,05,0580,0581,0680,1880,1980; Alder=TotSA"
        assert at.text_input(key="utkast_sex_codes").value == "TotSa=Totalt; 1=Män; 2=Kvinnor"
        assert at.selectbox(key="utkast_period_rule").value == "Sista perioden"
        assert any("Välj vilken indikator" in i.value for i in at.info)
        assert at.text_input(key="utkast_time").value == "från 2017"
        at.text_input(key="utkast_selection").set_value("Region=05; Alder=30-39")
        at.text_input(key="utkast_time").set_value("senaste 4")
        at.selectbox(key="utkast_indicator").set_value("Folkmängd").run()
        at.button(key="provhamta").click().run()
        assert not at.exception, [e.message for e in at.exception]
        said = [plain(m.value) for m in at.success]
        assert "**folkmangd ur TAB6471 (PxWeb v2):** 3 värden ur tabellen TAB6471 (ett anrop)." in said, said
        assert {"Ändrade värden", "Nya värden"} <= {t.label for t in at.tabs}
        with open_store() as s:
            assert len(s.versions()) == versions  # tried, not stored
        at.button(key="spara_utkast").click().run()
        assert any("skapad" in m.value for m in at.success), [m.value for m in at.success] + [e.value for e in at.error]
    with open_store() as s:
        assert len(s.versions()) == versions + 1
        assert s.versions().iloc[0]["file_name"] == "Hämtningsdefinition TAB6471.xlsx"
        fetches = s.current().fetches
        saved = fetches[fetches["selection"] == "Region=05; Alder=30-39"]
        assert saved[["indicator", "api", "table", "time"]].values.tolist() == [
            ["folkmangd", "PxWeb v2", "TAB6471", "senaste 4"]
        ]


def test_an_api_v1_database_is_browsed_by_folder_to_a_district_table_and_its_draft():
    with serve_pxweb1() as server:
        at = search(run_app_page(PAGE, timeout=120, secrets=SECRETS, user=EDITOR), server.base_url, "", "PxWeb v1")
        folder = at.selectbox(key="mapp_val")
        assert folder.options == ["Mapp: Befolkning", "Mapp: Arbete och sysselsättning"]
        folder.set_value("Mapp: Befolkning").run()
        assert any(plain(c.value) == "Mapp: /Befolkning" for c in at.caption)
        table = at.selectbox(key="mapp_val")
        assert table.options == ["Tabell: Folkmängd efter stadsdel, kön och år"]  # the heading is not a choice
        table.set_value(table.options[0]).run()
        assert not at.exception, [e.message for e in at.exception]
        variables = next(d.value for d in at.dataframe if "Kan utelämnas" in d.value.columns)
        assert variables["Variabel"].tolist() == ["Stadsdel", "Kon", "ContentsCode", "Tid"]
        # The default data's areas: Linköping by its Kod 0580, and Berga, Ryd and Skäggetorp by their names.
        assert at.text_input(key="utkast_selection").value == "Stadsdel=0580,12,31,44"
        row = [d.value for d in at.dataframe if "Adress" in d.value.columns and "Urval" in d.value.columns][-1]
        assert row[["API", "Tabell"]].values.tolist() == [["PxWeb v1", V1_TABLE]]
        at.button(key="upp").click().run()
        assert at.selectbox(key="mapp_val").options[0] == "Mapp: Befolkning"


def test_a_kolada_key_figure_is_found_drafted_for_the_municipalities_and_tried():
    with serve_kolada() as server:
        at = run_app_page(PAGE, timeout=120, secrets=SECRETS, user=EDITOR)
        at = search(at, server.base_url, "förvärvsarbetar", "Kolada")
        [label] = at.selectbox(key="vald_tabell").options
        at.selectbox(key="vald_tabell").set_value(label).run()
        assert any("Påhittat nyckeltal för tester." in plain(c.value) for c in at.caption)
        # The default data's municipalities: Linköping and its five comparison municipalities.
        assert at.text_input(key="utkast_selection").value == "municipality=0580,0581,1880,1980,0680,0380"
        at.text_input(key="utkast_time").set_value("alla")
        at.selectbox(key="utkast_indicator").set_value("Förvärvsfrekvens 20–64 år").run()
        at.button(key="provhamta").click().run()
        assert not at.exception, [e.message for e in at.exception]
        said = [plain(m.value) for m in at.success] + [plain(e.value) for e in at.error]
        # The fixture's invented values: Linköping 2021–2023 (women 2023 missing) and Norrköping 2022.
        assert any(
            m.startswith("**forvarvsfrekvens ur N00914 (Kolada):** ") and "ur nyckeltalet N00914" in m for m in said
        ), said
