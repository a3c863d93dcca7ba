"""Utforska in a real browser: widget changes go into the URL, the URL restores the view in a new page, and the CSV
and Excel downloads hold exactly the rows of the table on screen."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from analysis.core.formatting import format_value
from tests.browser.helpers import SCREENSHOTS, assert_no_errors, download, goto_page, track_page_errors, wait_for_app

pytestmark = pytest.mark.browser

BEHORIGHET = "Behörighet till gymnasiets yrkesprogram"
# Reruns after a click can take a while on a busy machine; Playwright's expect waits 5 s by default.
WAIT_MS = 30_000
BOTH = "Kvinnor och män"


def query(page: Page) -> dict[str, list[str]]:
    """The page's query parameters."""
    return parse_qs(urlsplit(page.url).query)


def pick(page: Page, key: str, text: str, option: str) -> None:
    """Choose an option of a selectbox by typing part of it (as a user searching by name)."""
    box = page.locator(f".st-key-{key}").get_by_role("combobox")
    box.click()
    box.fill(text)
    page.get_by_role("option", name=option, exact=True).click()


def selected_sex(page: Page):
    """The checked option of the Kön control."""
    return page.locator(".st-key-kon").get_by_role("radio", checked=True)


def open_tab(page: Page):
    """The selected tab."""
    return page.get_by_test_id("stTab").and_(page.locator("[aria-selected=true]"))


def screen_rows(page: Page) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the table on screen (the data grid's accessible table), after checking all rows are drawn."""
    grid = page.get_by_test_id("stDataFrame").locator("table[role=grid]")
    expect(grid).to_be_attached(timeout=WAIT_MS)
    total = int(grid.get_attribute("aria-rowcount")) - 1
    expect(grid.locator("tbody tr")).to_have_count(total, timeout=WAIT_MS)
    header = grid.locator("thead th").all_inner_texts()
    rows = grid.evaluate("t => [...t.querySelectorAll('tbody tr')].map(r => [...r.cells].map(c => c.textContent))")
    return header, rows


def as_shown(value: object, unit: str, decimals: int) -> str:
    """A downloaded value the way the table shows it ('76,8 %', '–' when missing)."""
    if value is None or value == "":
        return "–"
    number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    return format_value(number, unit, decimals)


def test_widget_changes_go_into_the_url_and_the_url_restores_the_view(page, base_url, context):
    goto_page(page, base_url, "utforska")
    assert_no_errors(page)
    pick(page, "indikator", "Behörighet", BEHORIGHET)
    expect(page).to_have_url(re.compile(r"indikator=Beh%C3%B6righet"), timeout=WAIT_MS)
    wait_for_app(page)
    page.locator(".st-key-kon").get_by_role("radio", name=BOTH, exact=True).click()
    expect(page).to_have_url(re.compile(r"kon=Kvinnor\+och\+m%C3%A4n"), timeout=WAIT_MS)
    wait_for_app(page)
    page.get_by_test_id("stTab").filter(has_text=re.compile("^Jämförelse$")).click()
    expect(page).to_have_url(re.compile(r"vy=J%C3%A4mf%C3%B6relse"), timeout=WAIT_MS)
    wait_for_app(page)
    assert query(page) == {"indikator": [BEHORIGHET], "kon": [BOTH], "vy": ["Jämförelse"]}
    expect(page.locator(".gtitle").filter(has_text=f"{BEHORIGHET} 2024, kvinnor")).to_be_visible(timeout=WAIT_MS)
    assert_no_errors(page)

    again = context.new_page()
    track_page_errors(again)
    again.goto(page.url, wait_until="domcontentloaded")
    wait_for_app(again)
    expect(again.locator(".st-key-indikator").get_by_role("combobox")).to_have_value(BEHORIGHET, timeout=WAIT_MS)
    expect(selected_sex(again)).to_have_text(BOTH, timeout=WAIT_MS)
    expect(open_tab(again)).to_have_text("Jämförelse", timeout=WAIT_MS)
    expect(again.locator(".gtitle").filter(has_text=f"{BEHORIGHET} 2024, kvinnor")).to_be_visible(timeout=WAIT_MS)
    expect(again.locator(".gtitle").filter(has_text=f"{BEHORIGHET} 2024, män")).to_be_visible(timeout=WAIT_MS)
    assert query(again) == query(page)
    assert_no_errors(again)


def test_changing_the_theme_keeps_the_url_in_step_with_the_indicator(page, base_url):
    goto_page(page, base_url, "utforska", urlencode({"tema": "Arbete", "indikator": "Arbetslöshet 18–64 år"}))
    pick(page, "tema", "Utbild", "Utbildning")
    expect(page).to_have_url(re.compile(r"tema=Utbildning"), timeout=WAIT_MS)
    wait_for_app(page)
    # The indicator moved to the first of the theme (the default), so it left the URL instead of staying stale.
    indicator = page.locator(".st-key-indikator").get_by_role("combobox")
    expect(indicator).to_have_value("Eftergymnasial utbildning 25–64 år", timeout=WAIT_MS)
    expect(page).not_to_have_url(re.compile("indikator="), timeout=WAIT_MS)
    expect(page.get_by_text("Delar av adressen")).to_have_count(0, timeout=WAIT_MS)
    assert_no_errors(page)


def test_invalid_parameters_are_named_in_a_notice(page, base_url):
    goto_page(page, base_url, "utforska", urlencode({"kon": "Alla", "vy": "Diagram"}))
    notice = page.get_by_test_id("stAlert").filter(has_text="Delar av adressen kunde inte användas")
    expect(notice).to_contain_text("kon=”Alla”", timeout=WAIT_MS)
    expect(notice).to_contain_text("vy=”Diagram”", timeout=WAIT_MS)
    expect(selected_sex(page)).to_have_text("Totalt", timeout=WAIT_MS)
    expect(open_tab(page)).to_have_text("Tidsserie", timeout=WAIT_MS)
    assert_no_errors(page)


def test_the_chart_toolbar_saves_a_png(page, base_url):
    goto_page(page, base_url, "utforska")
    chart = page.get_by_test_id("stPlotlyChart").first
    chart.hover()
    expect(chart.locator(".modebar-btn[data-title*='png' i]")).to_have_count(1, timeout=WAIT_MS)


def test_csv_and_excel_hold_exactly_the_rows_on_screen(page, base_url):
    params = [
        ("omraden", "Berga"),
        ("omraden", "Ryd"),
        ("omraden", "Övriga Linköping"),
        ("ar", "2021"),
        ("ar", "2024"),
        ("kon", "Kvinnor"),
        ("vy", "Tabell"),
    ]
    goto_page(page, base_url, "utforska", urlencode(params))
    assert_no_errors(page)
    header, rows = screen_rows(page)
    assert header == ["Område", "År", "Grupp", "Värde", "Källa", "Kommentar", "Exempelvärde"]
    assert len(rows) == 12
    assert {r[0] for r in rows} == {"Berga", "Ryd", "Övriga Linköping"} and {r[2] for r in rows} == {"Kvinnor"}
    page.screenshot(path=str(SCREENSHOTS / "utforska-tabell.png"), animations="disabled")

    name, data = download(page, page.get_by_test_id("stDownloadButton").filter(has_text="Ladda ner CSV"))
    assert name == "Forvarvsfrekvens 20-64 ar 2021-2024 Kvinnor.csv"
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(table) == len(rows)
    for shown, got in zip(rows, table):
        assert got["Enhet"] == "procent"
        assert [
            got["Område"],
            got["År"],
            got["Grupp"],
            as_shown(got["Värde"], "procent", 1),
            got["Källa"],
            got["Kommentar"],
            got["Exempelvärde"],
        ] == shown

    name, data = download(page, page.get_by_test_id("stDownloadButton").filter(has_text="Ladda ner Excel"))
    assert name == "Forvarvsfrekvens 20-64 ar 2021-2024 Kvinnor.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws["A1"].value == "Förvärvsfrekvens 20–64 år"
    first = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Indikator")
    assert [ws.cell(r, 1).value for r in range(2, first)][:2] == ["Enhet: procent", "Källa: SCB"]
    assert any("exempelvärden" in str(ws.cell(r, 1).value) for r in range(2, first))
    columns = [c.value for c in ws[first]]
    excel = [dict(zip(columns, r)) for r in ws.iter_rows(min_row=first + 1, values_only=True)]
    assert len(excel) == len(rows)
    for shown, got in zip(rows, excel):
        assert isinstance(got["År"], int) and isinstance(got["Värde"], (int, float))  # numbers, not text
        assert [
            got["Område"],
            str(got["År"]),
            got["Grupp"],
            as_shown(got["Värde"], "procent", 1),
            got["Källa"] or "",
            got["Kommentar"] or "",
            got["Exempelvärde"],
        ] == shown


def test_inrikes_and_utrikes_fodda_in_skaggetorp_from_the_url_to_the_csv(page, base_url):
    """The issue's case: förvärvsfrekvens per födelseregion in Skäggetorp and övriga Linköping, kept in the URL."""
    params = [
        ("omraden", "Skäggetorp"),
        ("omraden", "Övriga Linköping"),
        ("grupp", "Inrikes och utrikes födda"),
        ("vy", "Tabell"),
    ]
    goto_page(page, base_url, "utforska", urlencode(params))
    assert_no_errors(page)
    header, rows = screen_rows(page)
    assert query(page)["grupp"] == ["Inrikes och utrikes födda"]
    assert header[:3] == ["Område", "År", "Grupp"]
    assert {r[2] for r in rows} == {"Inrikes födda", "Utrikes födda"} and len(rows) == 2 * 2 * 10
    page.screenshot(path=str(SCREENSHOTS / "utforska-grupp.png"), animations="disabled")
    name, data = download(page, page.get_by_test_id("stDownloadButton").filter(has_text="Ladda ner CSV"))
    assert name == "Forvarvsfrekvens 20-64 ar 2015-2024 Totalt Inrikes och utrikes fodda.csv"
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [(t["Område"], t["År"], t["Grupp"]) for t in table] == [(r[0], r[1], r[2]) for r in rows]
