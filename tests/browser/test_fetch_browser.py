"""Fetching on the page Hämta statistik in a real browser: the definitions, Hämta senaste against the local PxWeb
fixture server (SCB's recorded answers), the preview, and Spara as a new version. A server of its own, so the shared
store keeps its data."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from analysis.core.model import make_dataset
from analysis.store.importer import open_store
from tests.browser.helpers import ROOT, assert_no_errors, goto_page, run_streamlit, wait_for_app
from tests.pxweb_server import serve_pxweb
from tests.test_cli import fetch_row

WAIT_MS = 60_000


@pytest.fixture
def fetch_server(chromium_executable, tmp_path):
    """The fixture PxWeb API, and the dashboard on a store whose folkmängd definition points at it."""
    with serve_pxweb() as fake:
        work = tmp_path / "server"
        work.mkdir()
        with open_store(work / "store.sqlite") as store:
            areas = pd.DataFrame([{"name": "Östergötlands län", "type": "Övrigt", "code": "05", "aliases": ""}])
            # The default definition of folkmangd ur TAB6471 (key: indicator and table) now asks the fixture server.
            fetch = fetch_row("folkmangd", fake.base_url, selection="Region=05; Alder=30-39; ContentsCode=000007SF")
            store.apply(make_dataset(areas=areas, fetches=pd.DataFrame([fetch])), user="test")
        with run_streamlit(ROOT / "app.py", work) as server:
            yield server


def test_fetch_preview_and_store_from_the_data_page(page, fetch_server):
    goto_page(page, fetch_server.url, "hamta")
    expect(page.get_by_text("TAB6471").first).to_be_attached(timeout=WAIT_MS)
    page.get_by_role("button", name="Hämta senaste").click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"folkmangd ur TAB6471 \(PxWeb v2\):")).first).to_be_visible(timeout=WAIT_MS)
    page.get_by_role("tab", name="Nya värden").click()
    # April 2026 is the last month of the recording: 30 727 women of 30–39 in Östergötland (TAB6471_data.json).
    expect(page.get_by_text(re.compile("30 727|30\u00a0727")).first).to_be_attached(timeout=WAIT_MS)
    page.get_by_role("button", name="Spara hämtningen som ny version").click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile("Version 3 skapad"))).to_be_visible(timeout=WAIT_MS)
    assert_no_errors(page)
