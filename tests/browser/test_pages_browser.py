"""Every page of the dashboard in a real browser (Debian's Chromium): it renders without errors, shows its title
and is reachable from the start page and the sidebar. Screenshots of every page go to screenshots/ (git-ignored).

The pages come from ``ui.PAGES``, so a page added to the registry is covered here without touching this file.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import ui
from tests.browser.helpers import (
    ROOT,
    SCREENSHOTS,
    assert_no_errors,
    full_page_screenshot,
    goto_page,
    page_url_path,
    run_streamlit,
    title_heading,
    wait_for_app,
)

pytestmark = pytest.mark.browser

PAGE_IDS = [p.url_path for p in ui.PAGES]


def sidebar_nav(page):
    return page.get_by_test_id("stSidebarNav")


@pytest.mark.parametrize("spec", ui.PAGES, ids=PAGE_IDS)
def test_page_renders_without_errors(page, base_url, spec):
    path = page_url_path(spec)
    goto_page(page, base_url, path)
    assert_no_errors(page)
    expect(title_heading(page, spec.title)).to_be_visible()
    expect(page).to_have_url(f"{base_url}/{path}")

    full_page_screenshot(page, SCREENSHOTS / f"{spec.url_path}.png")
    page.set_viewport_size({"width": 1280, "height": 720})
    wait_for_app(page)
    expect(title_heading(page, spec.title)).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / f"{spec.url_path}-1280.png"), animations="disabled")
    assert_no_errors(page)


def test_start_page_is_the_first_page(page, base_url):
    first = ui.PAGES[0]
    goto_page(page, base_url, "")
    assert_no_errors(page)
    expect(title_heading(page, first.title)).to_be_visible()
    current = sidebar_nav(page).locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text(first.title)


def test_sidebar_lists_every_page_in_order(page, base_url):
    goto_page(page, base_url, "")
    links = sidebar_nav(page).get_by_test_id("stSidebarNavLink")
    expect(links).to_have_text([re.compile(re.escape(p.title)) for p in ui.PAGES])


def test_sidebar_link_opens_the_data_page(page, base_url):
    data = next(p for p in ui.PAGES if p.url_path == "data")
    goto_page(page, base_url, "")
    sidebar_nav(page).get_by_role("link", name=data.title, exact=True).click()
    expect(page).to_have_url(re.compile(r"/data$"))
    expect(title_heading(page, data.title)).to_be_visible()
    wait_for_app(page)
    assert_no_errors(page)


# Every other page (the first is the start page, Data has its own test above).
OTHER_PAGES = [p for p in ui.PAGES[1:] if p.url_path != "data"]


@pytest.mark.parametrize("spec", OTHER_PAGES, ids=[p.url_path for p in OTHER_PAGES])
def test_sidebar_link_opens_each_page(page, base_url, spec):
    goto_page(page, base_url, "")
    sidebar_nav(page).get_by_role("link", name=spec.title, exact=True).click()
    expect(page).to_have_url(f"{base_url}/{spec.url_path}")
    expect(title_heading(page, spec.title)).to_be_visible()
    wait_for_app(page)
    assert_no_errors(page)


def test_first_visit_to_a_deep_link_uses_the_app_navigation(page, browser, tmp_path):
    """A fresh server whose first visitor opens a deep link still runs app.py's navigation.

    Streamlit falls back to its legacy pages-folder mode when a folder named pages/ sits next to the entry
    script, so the page scripts live in views/.
    """
    spec = ui.PAGES[-1]
    with run_streamlit(ROOT / "app.py", tmp_path) as fresh:  # nobody has opened / on this server
        goto_page(page, fresh.url, spec.url_path)
        links = sidebar_nav(page).get_by_test_id("stSidebarNavLink")
        expect(links).to_have_text([re.compile(re.escape(p.title)) for p in ui.PAGES], timeout=5_000)
        expect(page.get_by_test_id("stSidebar")).to_contain_text("Åtgärdsplan mot segregation", timeout=5_000)
        assert_no_errors(page)
