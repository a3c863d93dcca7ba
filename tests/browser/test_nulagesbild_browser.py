"""The Nulägesbild page in a real browser: the area in the URL, and the attachment downloads."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

from docx import Document
from playwright.sync_api import expect
from pptx import Presentation

from tests.browser.helpers import assert_no_errors, download, goto_page, wait_for_app


def test_choosing_an_area_changes_the_url_and_reopening_restores_it(page, base_url, context):
    goto_page(page, base_url, "nulagesbild")
    box = page.locator(".st-key-omrade").get_by_role("combobox")
    box.click()
    box.fill("Skägg")
    page.get_by_role("option", name="Skäggetorp", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Nulägesbild Skäggetorp")).to_be_visible()
    assert parse_qs(urlsplit(page.url).query)["omrade"] == ["Skäggetorp"]
    other = context.new_page()
    other.goto(page.url)
    wait_for_app(other)
    expect(other.get_by_role("heading", name="Nulägesbild Skäggetorp")).to_be_visible()
    assert_no_errors(other)


def test_word_powerpoint_and_html_downloads(page, base_url):
    goto_page(page, base_url, "nulagesbild", "omrade=Ryd")
    name, data = download(page, page.get_by_role("button", name="Word-bilaga"), timeout=90_000)
    assert name.endswith(".docx")
    doc = Document(io.BytesIO(data))
    assert any("Nulägesbild Ryd" in p.text for p in doc.paragraphs[:5])
    name, data = download(page, page.get_by_role("button", name="PowerPoint"), timeout=90_000)
    assert name.endswith(".pptx")
    texts = [sh.text_frame.text for s in Presentation(io.BytesIO(data)).slides for sh in s.shapes if sh.has_text_frame]
    assert any(t.startswith("Ryd: ") for t in texts)  # the area's slides are titled "Ryd: översikt", "Ryd: arbete", …
    name, data = download(page, page.get_by_role("button", name="HTML (fungerar utan nät)"))
    assert name.endswith(".html")
    html = data.decode("utf-8")
    assert "Nulägesbild Ryd" in html and "<script" not in html.lower()
    assert_no_errors(page)
