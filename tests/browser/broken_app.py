"""A copy of the dashboard with one deliberately broken page, for test_meta_browser.py.

It builds the navigation from the real ``ui.PAGES`` (so the good pages are the real ones) and adds the page
"Trasig" at ``/trasig`` whose script raises. The meta test runs a second server on this script to prove that
``helpers.assert_no_errors`` catches a broken page. Never used by the dashboard itself.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

import ui  # noqa: E402


def broken_page() -> None:
    """A page that starts like every page and then fails."""
    st.title("Trasig")
    raise RuntimeError("avsiktligt fel")


st.set_page_config(page_title="Trasig testapp", layout="wide", initial_sidebar_state="expanded")

# Page scripts are resolved relative to the entry script, so give them as absolute paths.
pages = [
    st.Page(ROOT / p.script, title=p.title, icon=p.icon, url_path=p.url_path, default=i == 0)
    for i, p in enumerate(ui.PAGES)
]
pages.append(st.Page(broken_page, title="Trasig", url_path="trasig"))
st.navigation(pages).run()
