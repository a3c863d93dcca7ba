"""Fixtures for the browser tests: Debian's Chromium via Playwright against the dashboard in a subprocess.

- ``chromium_executable``: the installed Chromium; without one the tests are skipped (or fail when
  SEGDASH_REQUIRE_BROWSER=1, as in CI). Playwright never downloads a browser here.
- ``app_server`` (session): ``streamlit run app.py`` on a free port with a fresh store; ``base_url`` (package) is its
  address after one warm-up visit of the start page.
- ``browser`` (package): one headless Chromium for all browser tests. Package scope, so it is closed after the last
  browser test: the Playwright sync API marks an asyncio loop as running in the main thread while it is alive,
  which must not leak into the other tests of the session.
- ``page``: a new browser context (sv-SE, 1920×1080, downloads accepted) and page per test, with uncaught
  JavaScript errors collected for ``helpers.assert_no_errors``.

Every test in this folder gets the ``browser`` marker (``pytest -m "not browser"`` leaves them out).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser import helpers

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Mark every test in tests/browser with ``browser``."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The path of Debian's Chromium; skips (or fails, with SEGDASH_REQUIRE_BROWSER=1) when none is installed."""
    path = helpers.find_chromium()
    if path is None:
        if helpers.browser_required():
            pytest.fail(f"SEGDASH_REQUIRE_BROWSER=1 men {helpers.MISSING_CHROMIUM}", pytrace=False)
        pytest.skip(helpers.MISSING_CHROMIUM)
    return path


@pytest.fixture(scope="session")
def app_server(chromium_executable, tmp_path_factory) -> Iterator[helpers.StreamlitServer]:
    """The dashboard (app.py) on a free port, with the default data seeded into a throwaway store."""
    with helpers.run_streamlit(helpers.ROOT / "app.py", tmp_path_factory.mktemp("browser-app")) as server:
        yield server


@pytest.fixture(scope="package")
def base_url(app_server, browser) -> str:
    """The dashboard's address, e.g. http://127.0.0.1:54321 (no trailing slash), after one visit of the start page.

    The visit seeds the store before any test opens a deep link (deep links on a fresh server are tested in
    ``test_first_visit_to_a_deep_link_uses_the_app_navigation``).
    """
    ctx = browser.new_context(locale="sv-SE", viewport={"width": 1920, "height": 1080})
    try:
        helpers.goto_page(ctx.new_page(), app_server.url, "")
    finally:
        ctx.close()
    return app_server.url


@pytest.fixture(scope="package")
def browser(chromium_executable) -> Iterator[Browser]:
    """One headless Debian Chromium for all browser tests."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_executable, headless=True, args=helpers.CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser) -> Iterator[BrowserContext]:
    """A fresh browser context: Swedish locale, 1920×1080, downloads accepted."""
    ctx = browser.new_context(
        locale="sv-SE", viewport={"width": 1920, "height": 1080}, accept_downloads=True, timezone_id="Europe/Stockholm"
    )
    ctx.set_default_timeout(30_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context, request) -> Iterator[Page]:
    """A new page whose uncaught JavaScript errors are collected; on failure the server's log is printed."""
    pg = context.new_page()
    helpers.track_page_errors(pg)
    yield pg
    report = getattr(request.node, "_report_call", None)
    if report is not None and report.failed:
        for name in ("app_server", "broken_server"):
            if name in request.fixturenames:
                server = request.getfixturevalue(name)
                print(f"--- {name} ({server.url}), slutet av loggen ---\n{server.log()}")
