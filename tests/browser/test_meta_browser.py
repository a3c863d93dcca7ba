"""The browser suite can fail: a second server runs broken_app.py (the real pages plus deliberately bad ones) with
SEGDASH_TEST_BROKEN_PAGE=1, and ``assert_no_errors`` must raise on every bad page and pass on a good page of the
same server. Also checks ``helpers.download`` against a real ``st.download_button``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

import ui
from tests.browser.helpers import (
    StreamlitServer,
    assert_no_errors,
    download,
    goto_page,
    page_url_path,
    run_streamlit,
    title_heading,
)

pytestmark = pytest.mark.browser

BROKEN_APP = Path(__file__).resolve().parent / "broken_app.py"


@pytest.fixture(scope="module")
def broken_server(chromium_executable, tmp_path_factory) -> Iterator[StreamlitServer]:
    """A second server: the real pages plus /trasig, /felruta and /nedladdning."""
    work_dir = tmp_path_factory.mktemp("browser-broken-app")
    with run_streamlit(BROKEN_APP, work_dir, extra_env={"SEGDASH_TEST_BROKEN_PAGE": "1"}) as server:
        yield server


def test_a_page_that_raises_fails_the_check(page, broken_server):
    goto_page(page, broken_server.url, "trasig")
    expect(title_heading(page, "Trasig")).to_be_visible()  # the page did run up to the error
    with pytest.raises(AssertionError, match="Undantag på sidan"):
        assert_no_errors(page)
    # The redacted message (client.showErrorDetails = "none") never reaches the browser; the server log has it.
    assert "avsiktligt fel" in broken_server.log()


@pytest.mark.parametrize("spec", ui.PAGES, ids=[p.url_path for p in ui.PAGES])
def test_a_good_page_of_the_same_server_passes(page, broken_server, spec):
    goto_page(page, broken_server.url, page_url_path(spec))
    assert_no_errors(page)
    expect(title_heading(page, spec.title)).to_be_visible()


def test_an_error_box_fails_the_check_unless_expected(page, broken_server):
    goto_page(page, broken_server.url, "felruta")
    with pytest.raises(AssertionError, match="Felruta på sidan: Avsiktligt felmeddelande"):
        assert_no_errors(page)
    assert_no_errors(page, expected_errors=["Avsiktligt felmeddelande"])
    assert_no_errors(page, expected_errors=[re.compile(r"^Avsiktligt")])


def test_an_unknown_page_fails_the_check(page, broken_server):
    goto_page(page, broken_server.url, "finns-inte")
    with pytest.raises(AssertionError, match="Page not found"):
        assert_no_errors(page)


def test_an_uncaught_javascript_error_fails_the_check(page, broken_server):
    goto_page(page, broken_server.url, "")
    assert_no_errors(page)
    # The error is thrown asynchronously; wait for the event itself, not for a fixed time.
    with page.expect_event("pageerror"):
        page.evaluate("() => setTimeout(() => { throw new Error('avsiktligt JS-fel'); }, 0)")
    with pytest.raises(AssertionError, match="avsiktligt JS-fel"):
        assert_no_errors(page)


def test_download_helper_returns_name_and_content(page, broken_server):
    goto_page(page, broken_server.url, "nedladdning")
    assert_no_errors(page)
    button = page.get_by_test_id("stDownloadButton").get_by_role("button", name="Ladda ner")
    name, content = download(page, button)
    assert name == "hej.csv"
    assert content == "Område;Värde\nSkäggetorp;1,5\n".encode()
