"""Text from uploads is shown as text: an area named like a script tag never runs and is shown literally."""

from __future__ import annotations

from playwright.sync_api import expect

from analysis.importer import import_upload, open_store
from tests.browser.helpers import ROOT, assert_no_errors, goto_page, run_streamlit
from tests.builders import xlsx

EVIL = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
MARKDOWN = "**fet** [länk](javascript:alert(3))"


def hostile_names_workbook() -> bytes:
    """A focus area and a text whose contents look like HTML, script and Markdown."""
    return xlsx({
        "Områden": [["Område", "Typ"], [EVIL, "Fokusområde"]],
        "Data": [["Område", "Indikator", "År", "Värde"], [EVIL, "ohalsotal", 2020, 25.0], [EVIL, "ohalsotal", 2024, 24.0]],
        "Områdestexter": [["Område", "Rubrik", "Text"], [EVIL, "Styrkor", MARKDOWN]],
    })


def test_script_like_names_are_inert_text(page, tmp_path):
    work = tmp_path / "server"
    work.mkdir()
    with open_store(work / "store.sqlite") as store:
        outcome = import_upload(store, hostile_names_workbook(), "fientlig.xlsx", "test")
        assert outcome.version == 2, [p.as_text() for p in outcome.problems]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with run_streamlit(ROOT / "app.py", work) as server:
        goto_page(page, server.url, "")
        expect(page.get_by_text(EVIL).first).to_be_visible()
        assert_no_errors(page)
        goto_page(page, server.url, "nulagesbild", "omrade=" + EVIL.replace("&", "%26"))
        expect(page.get_by_text(f"Nulägesbild {EVIL}")).to_be_visible()
        expect(page.get_by_text(MARKDOWN)).to_be_visible()  # shown literally, not as bold text and a link
        assert page.locator("a[href^='javascript']").count() == 0
        assert page.locator("img[src='x']").count() == 0
        assert_no_errors(page)
    assert dialogs == []
