"""The data page in a real browser: checking an upload, and logging in through OpenID Connect to import."""

from __future__ import annotations

import re

import pytest
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import expect

from tests.browser.helpers import ROOT, assert_no_errors, free_port, goto_page, run_streamlit, wait_for_app
from tests.builders import data_sheet

GOOD = data_sheet(["Berga", "ohalsotal", 2025, "31,5", "Totalt"], ["Ryd", "ohalsotal", 2025, 14.2, "Totalt"])
BAD = data_sheet(["Skägetorp", "ohalsotal", 2025, "31,5", "Totalt"])


def upload(page, path) -> None:
    """Choose a file in the page's file uploader and wait for the check to finish."""
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    wait_for_app(page)


def test_a_bad_upload_shows_the_swedish_problem_table(page, base_url, tmp_path):
    path = tmp_path / "dålig.xlsx"
    path.write_bytes(BAD)
    goto_page(page, base_url, "data")
    upload(page, path)
    expect(page.get_by_text("Okänt område.").first).to_be_attached()  # dataframe cells live in a hidden grid
    expect(page.get_by_text(re.compile("ingenting importeras"))).to_be_visible()
    expect(page.get_by_role("button", name="Importera som ny version")).to_have_count(0)
    assert_no_errors(page, expected_errors=[re.compile("fel och")])


@pytest.fixture
def login_server(tmp_path):
    """A dashboard with login configured against a local OpenID provider; anna@linkoping.se is an editor."""
    with run_server_in_thread() as provider:
        port = free_port()
        home = tmp_path / "home"
        (home / ".streamlit").mkdir(parents=True)
        (home / ".streamlit" / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "hemlig-testnyckel-som-bara-finns-i-testet"\n'
            'client_id = "instrumentpanel"\n'
            'client_secret = "testhemlighet"\n'
            f'server_metadata_url = "http://localhost:{provider.server_port}/.well-known/openid-configuration"\n'
            "\n[segdash]\n"
            'editors = ["anna@linkoping.se"]\n',
            encoding="utf-8",
        )
        with run_streamlit(ROOT / "app.py", tmp_path / "server", extra_env={"HOME": str(home)}, port=port) as server:
            yield server


def test_login_through_the_local_openid_provider_and_import_as_editor(page, login_server, tmp_path):
    goto_page(page, login_server.url, "data")
    expect(page.get_by_text("Logga in för att importera")).to_be_visible()
    page.get_by_role("button", name="Logga in").click()
    page.locator('input[name="sub"]').last.fill("anna@linkoping.se")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(login_server.url)))
    goto_page(page, login_server.url, "data")
    expect(
        page.get_by_text(re.compile("Inloggad som anna@\u2060?linkoping"))
    ).to_be_visible()  # a joiner stops autolinks
    path = tmp_path / "ny.xlsx"
    path.write_bytes(GOOD)
    upload(page, path)
    expect(page.get_by_text(re.compile("Inga problem hittades"))).to_be_visible()
    page.get_by_role("button", name="Importera som ny version").click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile("Version 2 skapad: 2 nya"))).to_be_visible()
    page.get_by_role("tab", name="Historik").click()
    expect(page.get_by_text("Anna").first).to_be_visible()
    assert_no_errors(page)


def test_a_signed_in_viewer_gets_no_uploader_and_no_import_button(page, login_server):
    goto_page(page, login_server.url, "data")
    page.get_by_role("button", name="Logga in").click()
    page.locator('input[name="sub"]').last.fill("bo@linkoping.se")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(login_server.url)))
    goto_page(page, login_server.url, "data")
    expect(page.get_by_text(re.compile("inte finns på listan över redaktörer"))).to_be_visible()
    # A viewer cannot make the server parse files: no uploader, no import button, no original files.
    expect(page.get_by_text(re.compile("Bara redaktörer kan ladda upp"))).to_be_visible()
    expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)
    expect(page.get_by_role("button", name="Importera som ny version")).to_have_count(0)
    page.get_by_role("tab", name="Historik").click()
    expect(page.get_by_text("Bara redaktörer kan hämta de importerade originalfilerna.")).to_be_visible()


def test_a_secrets_file_with_a_typo_closes_editing_and_says_so_on_the_page_and_in_the_log(page, tmp_path):
    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True)
    # A missing value after '=' is a TOML syntax error; before, it silently switched login off and opened editing.
    (home / ".streamlit" / "secrets.toml").write_text(
        '[auth]\nredirect_uri = "http://127.0.0.1/oauth2callback"\ncookie_secret = \n', encoding="utf-8"
    )
    with run_streamlit(ROOT / "app.py", tmp_path / "server", extra_env={"HOME": str(home)}) as server:
        goto_page(page, server.url, "data")
        expect(
            page.get_by_test_id("stAlertContentError").get_by_text("Inloggningen är felaktigt konfigurerad")
        ).to_be_visible()
        expect(page.get_by_text("Bara redaktörer kan ladda upp")).to_be_visible()
        expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)
        assert_no_errors(page, expected_errors=[re.compile("felaktigt konfigurerad")])
        assert "Redigering avstängd, inloggningen är felaktigt konfigurerad" in server.log()


def test_without_login_a_server_reachable_from_other_computers_keeps_editing_closed(page, tmp_path):
    with run_streamlit(
        ROOT / "app.py", tmp_path / "server", address="0.0.0.0", extra_env={"SEGDASH_OPEN_EDITING": "0"}
    ) as server:
        goto_page(page, server.url, "data")
        expect(page.get_by_text(re.compile("servern kan nås från andra datorer"))).to_be_visible()
        expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)
        assert_no_errors(page)
