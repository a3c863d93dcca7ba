"""Every page runs without an exception (AppTest), on the default data."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))


def run_page(page: str) -> AppTest:
    """The app after running one page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if page != "pages/oversikt.py":
        at.switch_page(page)
        at.run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(page):
    at = run_page(page)
    assert not at.exception, [e.message for e in at.exception]


def test_overview_shows_the_example_notice_and_data_status():
    at = run_page("pages/oversikt.py")
    assert any("Exempeldata" in w.value for w in at.warning)
    assert at.metric[0].value == "1"  # data version 1: the seeded default data
