"""WCAG 2.1 AA in a real browser: axe-core on every page, after the key interactions and on the HTML exports.

The rules and the allow-list live in analysis/core/accessibility.py (the tillgänglighetsredogörelse is written from
it). A serious or critical violation fails unless an AXE_ALLOWED entry names its rule and matches the element; an
entry that names an audited state where the audit no longer sees it fails too. Besides axe, each state is checked for
what axe leaves to us: the page language, one h1, headings without skipped levels, alt texts. The problems found by
hand (LIMITATIONS) each have a check here that they still exist, so the statement never claims a fixed problem.
"""

from __future__ import annotations

import re
import urllib.request
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

import ui
from analysis.core.accessibility import AUDIT_TAGS, AXE_ALLOWED, AXE_VERSION, BLOCKING_IMPACTS, LIMITATIONS
from analysis.viewmodels.explore import COMPARISON, GAP, INDEX, SEX_VIEW, TABLE
from tests.browser.helpers import (
    download,
    goto_page,
    page_url_path,
    wait_for_app,
)
from tests.browser.test_data_browser import BAD, upload

AXE = Axe()
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": list(AUDIT_TAGS)}, "resultTypes": ["violations"]}

# Headings in document order, the page language, images without alt and the number of h1 (axe leaves these to us:
# its heading rules are best practice, not WCAG).
STRUCTURE_JS = """() => ({
  lang: document.documentElement.lang,
  headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(h => h.getClientRects().length > 0)
    .map(h => [Number(h.tagName[1]), h.innerText.trim().slice(0, 60)]),
  imagesWithoutAlt: [...document.querySelectorAll('img:not([alt])')].length,
})"""


def audit_problems(page: Page, state: str) -> list[str]:
    """What fails WCAG 2.1 A/AA in the page as it is now: unlisted axe violations and structure problems."""
    problems: list[str] = []
    response = AXE.run(page, options=AXE_OPTIONS).response
    assert response["testEngine"]["version"] == AXE_VERSION, "update AXE_VERSION (the statement names it)"
    seen: set[str] = set()
    for violation in response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            target = node["target"][-1] if node["target"] else "html"
            allowed = [
                i
                for i in AXE_ALLOWED
                if i.rule == violation["id"]
                and page.evaluate("([t, s]) => !!document.querySelector(t)?.closest(s)", [target, i.selector])
            ]
            if allowed:
                seen.update(i.key for i in allowed)
                continue
            problems.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} – {node['html'][:160]} – "
                + "; ".join(c["message"] for c in node.get("any", []) + node.get("all", []) + node.get("none", []))
            )
    for issue in AXE_ALLOWED:
        if state in issue.states and issue.key not in seen:
            problems.append(f"Undantaget {issue.key} ({issue.rule}) syns inte längre i {state}: ta bort det ur listan.")
    structure = page.evaluate(STRUCTURE_JS)
    if structure["lang"] != "sv":
        problems.append(f"Sidans språk är {structure['lang']!r}, inte 'sv'.")
    levels = [level for level, _ in structure["headings"]]
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1-rubriker, inte en: {structure['headings']}")
    for (before, _), (level, text) in zip(structure["headings"], structure["headings"][1:]):
        if level > before + 1:
            problems.append(f"Rubriknivå hoppar från h{before} till h{level} vid {text!r}.")
    if structure["imagesWithoutAlt"]:
        problems.append(f"{structure['imagesWithoutAlt']} bilder utan alt-text.")
    return problems


def assert_accessible(page: Page, state: str) -> None:
    """Fail with every problem the audit finds in the page as it is now."""
    __tracebackhide__ = True
    problems = audit_problems(page, state)
    assert not problems, f"{state}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("spec", ui.PAGES, ids=lambda p: p.url_path)
def test_every_page_in_its_default_state(page, base_url, spec):
    goto_page(page, base_url, page_url_path(spec))
    assert_accessible(page, spec.url_path)


@pytest.mark.parametrize("view", [COMPARISON, INDEX, GAP, SEX_VIEW, TABLE])
def test_the_explorer_views(page, base_url, view):
    goto_page(page, base_url, "utforska", f"vy={quote(view)}")
    expect(page.get_by_role("tab", name=view, selected=True)).to_be_visible()
    assert_accessible(page, f"utforska vy={view}")


def test_an_upload_with_errors(page, base_url, tmp_path):
    path = tmp_path / "dålig.xlsx"
    path.write_bytes(BAD)
    goto_page(page, base_url, "data")
    upload(page, path)
    expect(page.get_by_text(re.compile("ingenting importeras"))).to_be_visible()
    assert_accessible(page, "data med fel")


def test_presentation_mode(page, base_url):
    goto_page(page, base_url, "presentation", "bild=3")
    page.get_by_text("Presentationsläge").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    assert_accessible(page, "presentationsläge")


@pytest.mark.parametrize("button", ["HTML, Berga", "Bilaga 5, HTML"])
def test_the_html_exports(page, base_url, button):
    goto_page(page, base_url, "presentation")
    name, data = download(page, page.get_by_role("button", name=button), timeout=120_000)
    assert name.endswith(".html")
    page.set_content(data.decode("utf-8"), wait_until="load")
    assert_accessible(page, button)


# --- the problems found by hand still exist (else the statement would claim a fixed problem) ---------------------


def english_controls(page: Page, base_url: str) -> None:
    """Streamlit's skip link, main menu and help buttons speak English."""
    goto_page(page, base_url, "utforska")
    expect(page.get_by_test_id("stSkipToContent")).to_have_text("Skip to main content")
    expect(page.get_by_role("button", name="Main menu")).to_be_attached()
    expect(page.get_by_role("button", name=re.compile("^Help for ")).first).to_be_attached()
    expect(page.get_by_role("slider", name=re.compile("^År — start"))).to_be_attached()


def english_chart_toolbar(page: Page, base_url: str) -> None:
    """Plotly's toolbar names its buttons in English."""
    goto_page(page, base_url, "utforska")
    expect(page.locator('[data-title="Download plot as a PNG"]').first).to_be_attached()


def page_served_as_english(page: Page, base_url: str) -> None:
    """The server sends lang="en"; the app's script makes it Swedish after loading."""
    with urllib.request.urlopen(f"{base_url}/utforska", timeout=10) as response:
        served = response.read().decode("utf-8")
    assert re.search(r'<html[^>]*\blang="en"', served)
    goto_page(page, base_url, "utforska")
    assert page.evaluate("document.documentElement.lang") == "sv"


def chart_points_not_focusable(page: Page, base_url: str) -> None:
    """No point or bar of a plotly chart is in the tab order."""
    goto_page(page, base_url, "utforska")
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator(".point").first).to_be_attached()
    assert chart.locator(".point[tabindex], .point [tabindex], .trace [tabindex]").count() == 0


LIMITATION_CHECKS = {
    "engelska-kontroller": english_controls,
    "diagramverktyg-engelska": english_chart_toolbar,
    "sidans-sprak": page_served_as_english,
    "diagram-punkter": chart_points_not_focusable,
}


def test_every_limitation_has_a_check():
    assert sorted(LIMITATION_CHECKS) == sorted(i.key for i in LIMITATIONS)


@pytest.mark.parametrize("key", sorted(LIMITATION_CHECKS))
def test_the_limitation_still_exists(page, base_url, key):
    LIMITATION_CHECKS[key](page, base_url)
