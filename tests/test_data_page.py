"""The data page: upload, check, preview, import, rollback; viewers and forged clicks are refused."""

from __future__ import annotations

import errno
import sqlite3
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

import ui
from analysis.core.model import make_dataset
from analysis.measures.freshness import indicator_freshness
from analysis.store.history import Store
from analysis.store.importer import open_store
from tests.apptest import run_app_page
from tests.builders import data_sheet, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD = data_sheet(["Berga", "ohalsotal", 2025, "31,5", "Totalt"], ["Ryd", "ohalsotal", 2025, 14.2, "Totalt"])
BAD = data_sheet(["Skägetorp", "ohalsotal", 2025, "31,5", "Totalt"], ["Berga", "ohalsotal", 2025, "x y", "Totalt"])
SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "en-lang-slumpad-testnyckel-32-byte-minst",
        "client_id": "dashboard",
        "client_secret": "s",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    },
    "segdash": {"editors": ["anna@linkoping.se"]},
}
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
    assert any(ui.md("Version 2 skapad: 2 nya") in s.value for s in at.success), [s.value for s in at.success]
    with open_store() as s:
        versions = s.versions()
        assert versions.iloc[0][["version", "user", "file_name"]].tolist() == [2, "Anna Andersson", "ny.xlsx"]
        obs = s.current().observations
        assert obs[(obs.area == "Berga") & (obs.year == 2025)]["value"].tolist() == [31.5]


def test_a_long_preview_shows_its_first_rows_and_offers_the_whole_list(monkeypatch):
    import analysis.store.preview

    monkeypatch.setattr(analysis.store.preview, "PREVIEW_ROWS", 1)
    at = upload(data_page(), "ny.xlsx", GOOD)
    new = [d.value for d in at.dataframe if "Nytt värde" in d.value.columns]
    assert [len(t) for t in new] == [0, 1]  # changed (none), new (the first of two)
    assert any(c.value == ui.md("Visar de första 1 av 2 nya värden. Hela listan kan laddas ned.") for c in at.caption)
    assert ui.md("Ladda ned alla nya värden (CSV)") in [d.label for d in at.get("download_button")]


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


def uploaders(at: AppTest) -> list:
    """The page's file uploaders."""
    return at.get("file_uploader")


def test_viewer_sees_history_but_no_upload_import_or_rollback():
    at = data_page(SECRETS, VIEWER)
    assert any("inte finns på listan" in i.value for i in at.info)
    assert uploaders(at) == []  # a viewer cannot make the server parse files
    assert any("Bara redaktörer kan ladda upp" in i.value for i in at.info)
    labels = [b.label for b in at.button]
    assert "Importera som ny version" not in labels and "Återställ" not in labels
    assert not [s for s in at.selectbox if s.key in ("aterstall", "fil_version")]
    assert any(d.value.columns[0] == "Version" for d in at.dataframe)  # the history is visible


def test_viewers_see_no_editor_addresses_and_no_original_files_but_editors_do():
    with open_store() as s:
        s.apply(
            make_dataset(observations=s.current().observations.head(1).assign(value=1.0)),
            user="Anna <anna@linkoping.se>",
            file_name="ny.xlsx",
            file_bytes=b"ny",
        )
    viewer = data_page(SECRETS, VIEWER)
    history = next(d.value for d in viewer.dataframe if d.value.columns[0] == "Version")
    assert history["Av"].tolist() == ["Anna", "system"]
    assert not [s for s in viewer.selectbox if s.key == "fil_version"]
    assert any("Bara redaktörer kan hämta" in c.value for c in viewer.caption)
    editor = data_page(SECRETS, EDITOR)
    history = next(d.value for d in editor.dataframe if d.value.columns[0] == "Version")
    assert history["Av"].tolist() == ["Anna <anna@linkoping.se>", "system"]
    assert editor.selectbox(key="fil_version").options == ["2", "1"]


@pytest.mark.parametrize(
    "auth_change, problem",
    [
        ({"cookie_secret": "byt-mot-en-lång-slumpmässig-sträng"}, "exempelvärdet"),
        ({"cookie_secret": "kort"}, "för kort"),
        ({"client_secret": None}, "saknar client_secret"),
    ],
)
def test_a_broken_login_configuration_closes_editing_and_tells_the_admin(auth_change, problem):
    auth = {k: v for k, v in {**SECRETS["auth"], **auth_change}.items() if v is not None}
    at = data_page({**SECRETS, "auth": auth}, EDITOR)
    assert any(ui.md(problem) in e.value and "felaktigt konfigurerad" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert uploaders(at) == []
    assert "Logga in" not in [b.label for b in at.button] and "Logga ut" not in [b.label for b in at.button]
    assert not [s for s in at.selectbox if s.key == "aterstall"]


def test_without_login_editing_is_closed_unless_on_localhost_or_opened(monkeypatch):
    monkeypatch.delenv("SEGDASH_OPEN_EDITING")
    at = data_page()  # AppTest has no server address: as a server listening on every interface
    assert any(ui.md("SEGDASH_OPEN_EDITING=1") in i.value for i in at.info)
    assert uploaders(at) == []
    monkeypatch.setenv("SEGDASH_OPEN_EDITING", "1")
    assert len(uploaders(data_page())) == 1


def test_a_secrets_file_that_cannot_be_parsed_is_reported_not_ignored(tmp_path):
    from streamlit import config

    broken = tmp_path / "secrets.toml"
    broken.write_text('[auth]\nredirect_uri = "https://x.se/oauth2callback"\ncookie_secret = \n', encoding="utf-8")
    old = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(broken)])
    st_secrets = __import__("streamlit").secrets
    st_secrets._reset()
    try:
        secrets, error = ui.secrets_state()
        assert secrets == {} and "Error parsing secrets file" in error
        config.set_option("secrets.files", [str(tmp_path / "finns-inte.toml")])
        st_secrets._reset()
        assert ui.secrets_state() == ({}, "")  # no file at all is simply "no login"
    finally:
        config.set_option("secrets.files", old)
        st_secrets._reset()


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
    assert uploaders(at) == []
    assert "Importera som ny version" not in [b.label for b in at.button]


DISK_ERRORS = [sqlite3.OperationalError("database or disk is full"), OSError(errno.ENOSPC, "No space left on device")]


@pytest.mark.parametrize("error", DISK_ERRORS, ids=["sqlite-full", "enospc"])
def test_a_full_disk_during_import_is_a_swedish_error_on_the_page(monkeypatch, error):
    def full(self, *args, **kwargs):
        raise error

    at = data_page()
    upload(at, "ny.xlsx", GOOD)
    before = checksum()
    monkeypatch.setattr(Store, "apply", full)
    at.text_input(key="redaktor").input("Anna").run()
    next(b for b in at.button if b.label == "Importera som ny version").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [e.value for e in at.error if "disken" in e.value][0].startswith(
        ui.md("Databasen kunde inte skrivas: disken på servern är full. Ingenting ändrades")
    )  # shown escaped
    assert not [s for s in at.success if "skapad" in s.value]
    assert checksum() == before


@pytest.mark.parametrize("error", DISK_ERRORS, ids=["sqlite-full", "enospc"])
def test_a_full_disk_during_rollback_is_a_swedish_error_on_the_page(monkeypatch, error):
    def full(self, *args, **kwargs):
        raise error

    with open_store() as s:
        s.apply(make_dataset(observations=s.current().observations.head(1).assign(value=1.0)), user="u")
    monkeypatch.setattr(Store, "rollback", full)
    at = data_page()
    at.selectbox(key="aterstall").select(1).run()
    at.checkbox(key="bekrafta_aterstallning").check().run()
    before = checksum()
    next(b for b in at.button if b.label == "Återställ").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(e.value.startswith(ui.md("Databasen kunde inte skrivas: disken på servern är full.")) for e in at.error)
    assert checksum() == before


def test_only_original_files_still_stored_are_offered_and_the_history_says_which_were_removed():
    with open_store() as s:
        s.apply(
            make_dataset(observations=s.current().observations.head(1).assign(value=1.0)),
            user="u",
            file_name="ny.xlsx",
            file_bytes=b"ny",
        )
        s.prune_originals(user="it-admin", keep=1)  # the default data's original (version 1) is removed
    at = data_page()
    assert at.selectbox(key="fil_version").options == ["2"]
    history = next(d.value for d in at.dataframe if d.value.columns[0] == "Version")
    status = dict(zip(history["Version"], history["Originalfil"]))
    assert (
        status[2] == "Sparad"
        and status[1].startswith("Borttagen ")
        and status[1].endswith("av it-admin för att frigöra utrymme")
    )


def test_a_read_only_store_says_so_on_the_page(monkeypatch):
    open_store().close()
    monkeypatch.setenv("SEGDASH_DB_READ_ONLY", "1")
    at = data_page()
    assert any(w.value.startswith("Databasen är skrivskyddad") for w in at.warning)
    assert any(d.value.columns[0] == "Version" for d in at.dataframe)  # the history is still shown


def test_the_tables_tab_shows_every_table_of_the_plan():
    at = run_app_page("views/data.py", timeout=120)
    labels = [t.label for t in at.tabs]
    expected = ["Indikatorer", "Områden", "Planer", "Åtgärder", "Uppföljning", "Mål", "Områdestexter", "Hämtningar"]
    assert labels[-len(expected) :] == expected
    plans = next(d.value for d in at.dataframe if "Antagen" in d.value.columns)
    assert plans["Namn"].tolist() == ["Åtgärdsplan 2020", "Åtgärdsplan 2022"]
    fetches = next(d.value for d in at.dataframe if "Urval" in d.value.columns)
    assert fetches[["Indikator", "API", "Tabell", "Verifierad"]].values.tolist() == [
        ["folkmangd", "PxWeb v2", "TAB6471", "Nej"]
    ]


def test_the_data_page_lists_what_is_due_for_an_update():
    at = data_page()
    expander = next(e for e in at.expander if e.label.startswith("Dags att uppdatera"))
    stale = [f for f in indicator_freshness(open_store().current(), date.today()) if f.is_stale]
    label = expander.label.replace("\\", "")  # the label is Markdown: its colon comes escaped
    assert stale and label.startswith(f"Dags att uppdatera: {len(stale)} indikatorer har nyare värden ute")
    text = " ".join(m.value for m in expander.markdown).replace("\\", "")
    for f in stale:  # one sentence each, e.g. Meritvärde: senaste värde 2024, nyare finns normalt från 2025
        assert f.name in text and f.sentence() in text
    shown = expander.dataframe[0].value
    assert set(shown["Läge"]) <= {"nyare värde finns normalt", "nytt värde väntas i år"}
