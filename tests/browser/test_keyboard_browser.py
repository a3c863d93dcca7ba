"""The main tasks by keyboard only (WCAG 2.1: 2.1.1 Keyboard, 2.4.3 Focus order, 2.4.7 Focus visible).

Every step is a key press: Tab to a control, Enter or Space or the arrow keys to use it. At every Tab the element
that has the focus must show it (an outline of at least 2 px), and the explorer's controls must come in reading order.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_errors, goto_page, title_heading, wait_for_app

MAX_TABS = 80

# What has the focus: its accessible label, role, and whether a focus indicator is drawn.
FOCUSED_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const label = e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText)
    || e.innerText || '';
  const style = getComputedStyle(e);
  // An outline only: a box shadow may be there without focus (buttons have one), so it proves nothing.
  const drawn = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  return {label: label.replace(/\\s+/g, ' ').trim(), role: e.getAttribute('role') || e.tagName.toLowerCase(),
          visible: drawn};
}"""


def press(page: Page, key: str) -> dict | None:
    """Press a key and return what has the focus afterwards."""
    page.keyboard.press(key)
    return page.evaluate(FOCUSED_JS)


def tab_to(page: Page, label: str | re.Pattern[str], seen: list[str] | None = None) -> dict:
    """Press Tab until an element whose label matches has the focus; every element passed must show its focus."""
    __tracebackhide__ = True
    for _ in range(MAX_TABS):
        focused = press(page, "Tab")
        if focused is None or focused["role"] == "main":
            continue  # the page itself, or the main region Streamlit makes focusable for its skip link
        assert focused["visible"], f"Fokus syns inte på {focused}"
        if seen is not None:
            seen.append(focused["label"])
        text = focused["label"]
        if label.search(text) if isinstance(label, re.Pattern) else text == label:
            return focused
    raise AssertionError(f"{label!r} nåddes inte med {MAX_TABS} tryck på Tab")


def press_for_slide(page: Page, key: str, number: int, tries: int = 3) -> None:
    """Press a slide key until slide `number` shows; a key pressed while a rerun is still drawing can be lost."""
    __tracebackhide__ = True
    shown = page.get_by_text(re.compile(rf"Bild {number:d} av \d+"))
    for _ in range(tries):
        wait_for_app(page)
        page.keyboard.press(key)
        try:
            expect(shown).to_be_visible(timeout=10_000)
        except AssertionError:
            continue
        wait_for_app(page)
        return
    raise AssertionError(f"{key} visade inte bild {number} efter {tries} försök")


def test_choose_a_page_an_indicator_and_a_view_by_keyboard(page, base_url):
    goto_page(page, base_url, "")
    # The sidebar's page links come first (after Streamlit's skip link): open the explorer with Enter.
    tab_to(page, re.compile(r"\bUtforska indikatorer$"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/utforska"))
    wait_for_app(page)
    expect(title_heading(page, "Utforska indikatorer")).to_be_visible()

    # The explorer's controls in reading order.
    seen: list[str] = []
    tab_to(page, "Indikator", seen)
    before = page.url
    page.keyboard.press("ArrowDown")  # opens the list on the current indicator
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(page).not_to_have_url(before)
    assert re.search(r"[?&]indikator=", page.url)

    tab_to(page, re.compile("^Tidsserie"), seen)
    controls = [
        "Tema",
        "Indikator",
        "Områden",
        "År — start",
        "År — end",
        "Totalt",
        "Jämför med",
        "År i jämförelsen",
        "Visa alla områden i Jämförelse",
    ]
    order = [next(i for i, label in enumerate(seen) if label == c) for c in controls]
    assert order == sorted(order), f"Valen nås i fel ordning: {seen}"

    # The tabs move with the arrow keys; the view follows.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(page.get_by_role("tab", name="Jämförelse", selected=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]vy=J%C3%A4mf%C3%B6relse"))
    assert_no_errors(page)


def test_present_by_keyboard(page, base_url):
    goto_page(page, base_url, "presentation")
    expect(page.get_by_text(re.compile(r"Bild 1 av \d+"))).to_be_visible()
    tab_to(page, re.compile(r"\bNästa\b"))
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"Bild 2 av \d+"))).to_be_visible()

    # Page Down and Page Up move the slides (a projector's remote sends them, wherever the focus is).
    press_for_slide(page, "PageDown", 3)
    press_for_slide(page, "PageUp", 2)

    # Presentation mode is a switch: Space turns it on; the slide title becomes the page's heading.
    tab_to(page, "Presentationsläge")
    page.keyboard.press("Space")
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_count(1)
    assert_no_errors(page)
