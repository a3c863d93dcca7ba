"""The map in a real browser: the issue's GeoPackage uploaded and imported, the map drawn with its legend, and a
URL that reproduces the view. A server of its own, so the other browser tests keep a store without boundaries."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests import geodata
from tests.browser.helpers import ROOT, assert_no_errors, goto_page, run_streamlit, track_page_errors, wait_for_app

WAIT_MS = 60_000


@pytest.fixture
def map_server(chromium_executable, tmp_path):
    """The dashboard on a fresh store of its own."""
    with run_streamlit(ROOT / "app.py", tmp_path / "server") as server:
        yield server


def legend(page):
    """The map's legend entries."""
    return page.locator(".js-plotly-plot .legendtext")


def test_upload_import_map_and_a_url_that_reproduces_the_view(page, context, map_server, tmp_path):
    goto_page(page, map_server.url, "karta")
    expect(page.get_by_text(re.compile("Standarddata har inga gränser"))).to_be_visible(timeout=WAIT_MS)
    path = tmp_path / "distrikt.gpkg"
    path.write_bytes(geodata.districts_gpkg())
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    wait_for_app(page)
    # The report: ten features, three of them the focus areas of the default data, the rest listed as unmatched.
    expect(page.get_by_text(re.compile(r"10 ytor, 962 hörnpunkter, koordinatsystem EPSG"))).to_be_visible(
        timeout=WAIT_MS
    )
    expect(page.get_by_text(re.compile("Ytor som inte matchar något område.*0580R999"))).to_be_visible()
    page.get_by_role("button", name="Importera gränserna som en ny version").click()
    wait_for_app(page)
    expect(page.get_by_text("Version 2 skapad med gränser för 3 områden.")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=WAIT_MS)
    expect(legend(page).filter(has_text="Fokusområde (svart kant)")).to_have_count(1)
    expect(legend(page).filter(has_text="Streckad yta = exempelvärde (fiktivt)")).to_have_count(1)
    assert_no_errors(page)

    view = {"indikator": "Ohälsotal", "ar": "2020", "klass": "Lika breda intervall", "antal": "3"}
    goto_page(page, map_server.url, "karta", urlencode(view))
    expect(page.locator(".gtitle").filter(has_text="Ohälsotal 2020")).to_be_visible(timeout=WAIT_MS)
    expect(legend(page).filter(has_text=re.compile("dagar"))).to_have_count(3)
    classes = legend(page).filter(has_text=re.compile("dagar")).all_inner_texts()
    again = context.new_page()
    track_page_errors(again)
    again.goto(page.url, wait_until="domcontentloaded")
    wait_for_app(again)
    expect(again.locator(".gtitle").filter(has_text="Ohälsotal 2020")).to_be_visible(timeout=WAIT_MS)
    expect(again.locator(".st-key-klass").get_by_role("radio", name="Lika breda intervall")).to_be_checked()
    assert legend(again).filter(has_text=re.compile("dagar")).all_inner_texts() == classes
    assert_no_errors(again)
