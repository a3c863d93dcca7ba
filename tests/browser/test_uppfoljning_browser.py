"""The follow-up page in a real browser: counts on the page, filters from the URL, and the Excel report it downloads."""

from __future__ import annotations

import io
import re

import pytest
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

STATUSES = ["Ej påbörjad", "Pågår", "Försenad", "Genomförd", "Avbruten", "Vilande"]


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
