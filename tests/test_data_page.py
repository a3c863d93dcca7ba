"""The data page: upload, check, preview, import, rollback; viewers and forged clicks are refused."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analysis.importer import open_store
from tests.apptest import run_app_page
from tests.builders import data_sheet, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD = data_sheet(["Berga", "ohalsotal", 2025, "31,5", "Totalt"], ["Ryd", "ohalsotal", 2025, 14.2, "Totalt"])
BAD = data_sheet(["Skägetorp", "ohalsotal", 2025, "31,5", "Totalt"], ["Berga", "ohalsotal", 2025, "x y", "Totalt"])
SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-secret",
                    "client_id": "dashboard", "client_secret": "s",
                    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"},
           "segdash": {"editors": ["anna@linkoping.se"]}}
EDITOR = {"is_logged_in": True, "email": "anna@linkoping.se", "name": "Anna"}
VIEWER = {"is_logged_in": True, "email": "bo@linkoping.se", "name": "Bo"}


def data_page(secrets: dict | None = None, user: dict | None = None) -> AppTest:
    """The data page, optionally with login configured and a faked user."""
    return run_app_page("views/data.py", timeout=120, secrets=secrets, user=user)


def checksum() -> str:
    """The checksum of the test's store."""
    with open_store() as s:
        return s.checksum()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    """Upload a file through the page's file uploader and rerun."""
    at.file_uploader(key="uppladdning").upload(name, data, XLSX).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_good_workbook_is_checked_previewed_and_imported():
    at = data_page()
    upload(at, "ny.xlsx", GOOD)
    assert any("Inga problem" in s.value for s in at.success)
    counts = next(d.value for d in at.dataframe if "Tabell" in d.value.columns)
    assert counts.iloc[0][["Tabell", "Nya", "Ändrade"]].tolist() == ["Värden", 2, 0]
    at.text_input(key="redaktor").input("Anna Andersson").run()
    next(b for b in at.button if b.label == "Importera som ny version").click().run()
    assert any("Version 2 skapad: 2 nya" in s.value for s in at.success), [s.value for s in at.success]
    with open_store() as s:
        versions = s.versions()
        assert versions.iloc[0][["version", "user", "file_name"]].tolist() == [2, "Anna Andersson", "ny.xlsx"]
        obs = s.current().observations
        assert obs[(obs.area == "Berga") & (obs.year == 2025)]["value"].tolist() == [31.5]


def test_bad_workbook_shows_the_swedish_error_table_and_changes_nothing():
    at = data_page()
    before = checksum()
    upload(at, "dålig.xlsx", BAD)
    problems = next(d.value for d in at.dataframe if "fel" in d.value.columns)
    assert problems[["nivå", "blad", "rad"]].values.tolist()[:2] == [["Fel", "Data", 2], ["Fel", "Data", 3]]
    assert "Okänt område" in problems["fel"].tolist()[0] and "Skäggetorp" in problems["åtgärd"].tolist()[0]
    assert any("ingenting importeras" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "Importera som ny version"]
    assert any(d.label.startswith("Ladda ned problemlistan") for d in at.get("download_button"))
    assert checksum() == before


def test_exported_table_asks_for_the_indicator_then_imports():
    table = xlsx({"Tabell": [["Ohälsotal efter region"], [], ["region", 2025], ["0580 Linköping", "22,1"]]})
    at = data_page()
    upload(at, "scb.xlsx", table)
    assert any("exporterad tabell" in d.value["fel"].iloc[0] for d in at.dataframe if "fel" in d.value.columns)
    box = at.selectbox(key="tabell_indikator")
    assert box.options[0] == "Ohälsotal"  # suggested from the title
    box.select_index(0).run()
    assert any("Inga problem" in s.value for s in at.success)
    at.text_input(key="redaktor").input("Anna").run()
    next(b for b in at.button if b.label == "Importera som ny version").click().run()
    assert any("Version 2 skapad" in s.value for s in at.success)


def test_rollback_with_confirmation():
    at = data_page()
    upload(at, "ny.xlsx", GOOD)
    at.text_input(key="redaktor").input("Anna").run()
    next(b for b in at.button if b.label == "Importera som ny version").click().run()
    at.selectbox(key="aterstall").select(1).run()
    assert any("Återställningen till version 1" in m.value for m in at.markdown)
    button = next(b for b in at.button if b.label == "Återställ")
    assert button.disabled
    at.checkbox(key="bekrafta_aterstallning").check().run()
    next(b for b in at.button if b.label == "Återställ").click().run()
    assert any("återställning till version 1" in s.value for s in at.success)
    with open_store() as s:
        assert s.versions().iloc[0][["version", "kind", "rollback_of"]].tolist() == [3, "rollback", 1]
        assert (s.current().observations["year"] == 2025).sum() == 0


def test_viewer_sees_history_but_no_import_or_rollback():
    at = data_page(SECRETS, VIEWER)
    assert any("inte finns på listan" in i.value for i in at.info)
    upload(at, "ny.xlsx", GOOD)
    labels = [b.label for b in at.button]
    assert "Importera som ny version" not in labels and "Återställ" not in labels
    assert not [s for s in at.selectbox if s.key == "aterstall"]
    assert any(d.value.columns[0] == "Version" for d in at.dataframe)  # the history is visible


def test_editor_with_login_imports_under_their_address():
    at = data_page(SECRETS, EDITOR)
    assert any("du får importera" in i.value for i in at.info)
    upload(at, "ny.xlsx", GOOD)
    next(b for b in at.button if b.label == "Importera som ny version").click().run()
    with open_store() as s:
        assert s.versions().iloc[0]["user"] == "Anna <anna@linkoping.se>"


def test_a_forged_click_by_a_viewer_is_refused_on_the_server():
    at = data_page(SECRETS, EDITOR)
    upload(at, "ny.xlsx", GOOD)
    button = next(b for b in at.button if b.label == "Importera som ny version")
    before = checksum()
    at.user = VIEWER  # the same browser session now belongs to a viewer, who sends the stale click
    button.click().run()
    assert any("inte behörighet att importera" in e.value for e in at.error)
    assert checksum() == before


@pytest.mark.parametrize("lock", ["1"])
def test_locked_editing(monkeypatch, lock):
    monkeypatch.setenv("SEGDASH_LOCK_EDITING", lock)
    at = data_page()
    assert any("avstängda" in i.value for i in at.info)
    upload(at, "ny.xlsx", GOOD)
    assert "Importera som ny version" not in [b.label for b in at.button]
