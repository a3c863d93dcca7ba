"""The follow-up page in a real browser: counts on the page, filters from the URL, and the Excel report it downloads."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from analysis.exports.followup_report import SHEET_NAMES
from tests.browser.helpers import (
    SCREENSHOTS,
    assert_no_errors,
    download,
    full_page_screenshot,
    goto_page,
    title_heading,
)
from tests.builders import read_table

pytestmark = pytest.mark.browser

STATUSES = ["Ej påbörjad", "Pågår", "Riskerar att försenas", "Försenad", "Genomförd", "Avbruten", "Vilande"]


def metrics(page) -> dict[str, int]:
    """The page's metrics as label -> number."""
    out = {}
    for m in page.get_by_test_id("stMetric").all():
        label = m.get_by_test_id("stMetricLabel").inner_text().strip()
        value = m.get_by_test_id("stMetricValue").inner_text().strip()
        out[label] = int(re.sub(r"\D", "", value))
    return out


def report(page) -> tuple[str, object]:
    """Download the report with the page's button; the file name and the opened workbook."""
    button = page.get_by_test_id("stDownloadButton").get_by_role("button", name=re.compile("uppföljningsrapporten"))
    name, data = download(page, button)
    return name, load_workbook(io.BytesIO(data))


def test_report_download_has_the_pages_numbers(page, base_url):
    goto_page(page, base_url, "uppfoljning")
    assert_no_errors(page)
    expect(title_heading(page, "Uppföljning")).to_be_visible()
    shown = metrics(page)
    name, wb = report(page)
    assert re.fullmatch(r"uppfoljning-atgardsplan-\d{4}-\d{2}-\d{2}\.xlsx", name)
    assert wb.sheetnames == list(SHEET_NAMES)

    summary = wb["Sammanfattning"]
    assert summary["A1"].value.startswith("Uppföljning av åtgärdsplan mot segregation")
    assert summary["A3"].value == "Dataversion" and isinstance(summary["B3"].value, int)
    assert any(str(c.value or "").startswith("Exempelvärden:") for c in summary["A"])
    by_status = read_table(summary, "Åtgärder per status")
    counts = dict(zip(by_status["Status"], by_status["Antal"]))
    assert counts["Totalt"] == shown["Åtgärder"]
    for status in STATUSES:
        assert counts[status] == shown[status], status

    actions = read_table(wb["Åtgärder"], "Id")
    assert len(actions) == shown["Åtgärder"]
    assert actions["Status"].value_counts().to_dict() == {s: n for s, n in counts.items() if s != "Totalt" and n}
    assert {"Uppföljning 2021", "Uppföljning 2025"} <= set(actions.columns)

    indicators = read_table(wb["Indikatorer"], "Område")
    assert set(indicators["Område"]) == {"Berga", "Ryd", "Skäggetorp"}
    cell = wb["Indikatorer"].cell(
        next(i for i, r in enumerate(wb["Indikatorer"].iter_rows(values_only=True), 1) if r[0] == "Område") + 1, 10
    )
    assert isinstance(cell.value, float) and cell.number_format.endswith('"%"')
    full_page_screenshot(page, SCREENSHOTS / "uppfoljning-rapport.png")


def test_filters_in_the_url_filter_the_page_and_the_report(page, base_url):
    goto_page(page, base_url, "uppfoljning", "omr=Ryd&status=F%C3%B6rsenad")
    assert_no_errors(page)
    shown = metrics(page)
    assert 0 < shown["Åtgärder"] < 41
    assert shown["Försenad"] == shown["Åtgärder"] and shown["Pågår"] == 0
    _, wb = report(page)
    assert wb["Sammanfattning"]["B4"].value == "Område: Ryd · Status: Försenad"
    actions = read_table(wb["Åtgärder"], "Id")
    assert len(actions) == shown["Åtgärder"]
    assert set(actions["Status"]) == {"Försenad"}
    assert all("Ryd" in areas for areas in actions["Områden"])
    assert set(read_table(wb["Indikatorer"], "Område")["Område"]) == {"Ryd"}


def area_cards(page) -> dict[str, dict[str, int]]:
    """The outcome cards per area (its name, then its counts): closing, steady and widening as the page shows them."""
    out = {}
    texts = [t.strip() for t in page.get_by_test_id("stMarkdownContainer").all_inner_texts()]
    for name, text in zip(texts, texts[1:]):
        m = re.search(r"→← närmar sig: (\d+)\s*= oförändrat: (\d+)\s*←→ avlägsnar sig: (\d+)", text)
        if m:
            out[name] = {"closing": int(m.group(1)), "steady": int(m.group(2)), "widening": int(m.group(3))}
    return out


def test_bilaga5_word_has_the_pages_numbers(page, base_url):
    goto_page(page, base_url, "uppfoljning", "uppf=2025")
    assert_no_errors(page)
    expect(title_heading(page, "Uppföljning")).to_be_visible()
    shown = metrics(page)
    cards = area_cards(page)
    assert set(cards) == {"Berga", "Ryd", "Skäggetorp"}
    button = page.get_by_test_id("stDownloadButton").get_by_role("button", name="Bilaga 5, Word")
    name, data = download(page, button, timeout=120_000)
    assert name == "Bilaga5_Uppfoljning_atgardsplan_2025.docx"
    doc = Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Title", "Heading"))]
    assert headings[0] == "Bilaga 5 – Uppföljning av åtgärdsplan mot segregation 2025"
    assert headings[1:4] == ["Sammanfattning", "Åtgärder per tema", "Trygghet"]
    assert {"Utfall per fokusområde", "Berga", "Förändringar sedan uppföljning 2024", "Källor", "Exempelvärden"} <= set(
        headings
    )
    assert "Förändringar sedan Åtgärdsplan 2020" in headings
    # The status table is the page's metrics, status by status.
    status = next(t for t in doc.tables if t.rows[0].cells[0].text == "Status")
    counts = {r.cells[0].text: int(r.cells[1].text) for r in status.rows[1:]}
    assert counts["Totalt"] == shown["Åtgärder"]
    assert {s: counts[s] for s in STATUSES} == {s: shown[s] for s in STATUSES}
    # The summary's sentence per area holds the page's card numbers.
    text = "\n".join(p.text for p in doc.paragraphs)
    for area, c in cards.items():
        sentence = (
            f"I {area} har skillnaden mot övriga Linköping minskat för {c['closing']} av \\d+ indikatorer sedan 2020, "
            f"utvecklats ogynnsamt för {c['widening']} och är i stort sett oförändrad för {c['steady']}"
        )
        assert re.search(sentence, text), area
    # The changes since the previous plan are the page's metrics.
    plan = next(
        t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["Förändring", "Id"] and len(t.columns) == 4
    )
    kinds = [r.cells[0].text for r in plan.rows[1:]]
    assert kinds.count("Ny i planen") == shown["Nya i planen"] and kinds.count("Utgår") == shown["Utgår"]
    assert kinds.count("Ändrad") == shown["Ändrade"]
    # Chromium draws the two charts on this server: images with alt text, not tables.
    assert len(doc.inline_shapes) == 2
    assert "Exempeldata." in text
