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
    expect(page.get_by_text("Inloggad som anna@linkoping.se")).to_be_visible()
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


def test_a_signed_in_viewer_gets_no_import_button(page, login_server, tmp_path):
    goto_page(page, login_server.url, "data")
    page.get_by_role("button", name="Logga in").click()
    page.locator('input[name="sub"]').last.fill("bo@linkoping.se")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(login_server.url)))
    goto_page(page, login_server.url, "data")
    expect(page.get_by_text(re.compile("inte finns på listan över redaktörer"))).to_be_visible()
    path = tmp_path / "ny.xlsx"
    path.write_bytes(GOOD)
    upload(page, path)
    expect(page.get_by_text(re.compile("Bara redaktörer kan importera"))).to_be_visible()
    expect(page.get_by_role("button", name="Importera som ny version")).to_have_count(0)
