"""Running one page of the app in Streamlit's AppTest, shared by the page tests."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from streamlit.testing.v1 import AppTest

import ui

APP = Path(__file__).resolve().parent.parent / "app.py"


def page_spec(page: str) -> ui.PageSpec:
    """The navigation entry of a page script; a script that is not in ui.PAGES fails the test."""
    specs = [p for p in ui.PAGES if p.script == page]
    assert specs, f"{page} is not a page of ui.PAGES"
    return specs[0]


def assert_page_ran(at: AppTest, page: str) -> None:
    """Fail unless the run showed the page's own title: a run of another page (the start page) is caught."""
    expected = page_spec(page).title
    titles = [t.value for t in at.title]
    assert titles[:1] == [expected], f"expected the page {page} (title {expected!r}), the run showed titles {titles}"


def run_app_page(
    page: str,
    *,
    timeout: float = 90,
    secrets: Mapping[str, object] | None = None,
    user: dict | None = None,
    **query: str | list[str],
) -> AppTest:
    """The app after one run of a page, with secrets, a faked user and query parameters set as in a URL.

    Before the first run AppTest finds a page by its file name, while st.navigation registers it by its url_path:
    a page whose url_path differs is switched to after a first run has registered the pages. Either way the run
    must show the page's own title, so a test can never pass on the start page instead.
    """
    spec = page_spec(page)
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    if spec != ui.PAGES[0]:
        if Path(spec.script).stem != spec.url_path:
            at.run()
            assert not at.exception, [e.message for e in at.exception]
        at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert_page_ran(at, page)
    return at
