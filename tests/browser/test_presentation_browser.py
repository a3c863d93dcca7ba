"""The Presentation page in a real browser: stepping through the slides, presentation mode without the sidebar, and
the PowerPoint, Word and HTML downloads opened again with python-pptx and python-docx."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from playwright.sync_api import expect
from pptx import Presentation

from tests.browser.helpers import SCREENSHOTS, assert_no_errors, download, goto_page, wait_for_app

pytestmark = pytest.mark.browser

DOWNLOAD_TIMEOUT_MS = 120_000  # the first Word file starts Chromium for the chart images


def slide_heading(page, title: str):
    """The slide's title: the page's h1 while presenting, an h2 under the page's h1 otherwise."""
    return page.get_by_test_id("stMain").locator("h1, h2").filter(has_text=title)


def click_and_wait(page, locator) -> None:
    """Click and wait for the rerun to finish."""
    locator.click()
    wait_for_app(page)


def test_stepping_through_the_slides_and_presenting(page, base_url):
    goto_page(page, base_url, "presentation", "bild=2")
    assert_no_errors(page)
    expect(slide_heading(page, "Berga: översikt")).to_be_visible()
    expect(page.get_by_text("Bild 2 av 30")).to_be_visible()

    click_and_wait(page, page.get_by_role("button", name=re.compile("^Nästa")))
    expect(slide_heading(page, "Berga: arbete")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]bild=3"))
    expect(page.get_by_test_id("stSidebar")).to_be_visible()

    click_and_wait(page, page.get_by_text("Presentationsläge"))
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    # Keyboard shortcuts are ignored while a widget (here the toggle just clicked) has the focus, as in a browser.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("PageDown")
    expect(slide_heading(page, "Berga: ekonomi")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()  # still hidden after a rerun
    page.get_by_test_id("stMain").evaluate("main => main.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "presentation-bild.png"), animations="disabled")
    assert_no_errors(page)

    click_and_wait(page, page.get_by_role("button", name=re.compile("^Föregående")))
    expect(slide_heading(page, "Berga: arbete")).to_be_visible()
    click_and_wait(page, page.get_by_text("Presentationsläge"))
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    assert_no_errors(page)


def test_powerpoint_word_and_html_downloads(page, base_url):
    goto_page(page, base_url, "presentation")
    assert_no_errors(page)

    name, data = download(page, page.get_by_role("button", name="PowerPoint, 3 områden"), timeout=DOWNLOAD_TIMEOUT_MS)
    assert re.fullmatch(r"Presentation_Berga_Ryd_Skaggetorp_\d{4}-\d{2}-\d{2}\.pptx", name)
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) == 30
    first = [s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame]
    assert "Åtgärdsplan mot segregation" in first and "Dataversion 1" in "\n".join(first)
    charts = [s.chart for slide in prs.slides for s in slide.shapes if s.has_chart]
    assert len(charts) == 29  # every slide but the title slide has a native chart
    assert [s.name for s in charts[1].plots[0].series] == ["Berga", "Övriga Linköping", "Linköping"]

    name, data = download(page, page.get_by_role("button", name="Word-bilaga, Berga"), timeout=DOWNLOAD_TIMEOUT_MS)
    assert re.fullmatch(r"Bilaga_Nulagesbild_Berga_\d{4}\.docx", name)
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[0].text.startswith("Bilaga – Nulägesbild Berga ")
    assert "Nyckeltal" in [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    key = next(t for t in doc.tables if t.rows[0].cells[0].text == "Indikator")
    assert key.rows[1].cells[0].text == "Förvärvsfrekvens 20–64 år"
    # The server has Chromium (these tests need it), so the charts are images.
    assert len(doc.inline_shapes) == 8

    name, data = download(page, page.get_by_role("button", name="HTML, Berga"), timeout=DOWNLOAD_TIMEOUT_MS)
    html = data.decode("utf-8")
    assert name.endswith(".html") and "<svg " in html and "<script" not in html
    assert_no_errors(page)
