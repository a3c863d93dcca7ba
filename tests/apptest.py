"""Running one page of the app in Streamlit's AppTest, shared by the page tests."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from streamlit.testing.v1 import AppTest

import ui

APP = Path(__file__).resolve().parent.parent / "app.py"


def run_app_page(
    page: str,
    *,
    timeout: float = 90,
    secrets: Mapping[str, object] | None = None,
    user: dict | None = None,
    **query: str | list[str],
) -> AppTest:
    """The app after one run of a page, with secrets, a faked user and query parameters set as in a URL."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    if page != ui.PAGES[0].script:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at
