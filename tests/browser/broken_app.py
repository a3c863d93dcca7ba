"""The dashboard's pages plus deliberately bad ones, for test_meta_browser.py (never used by the dashboard).

It builds the navigation from the real ``ui.PAGES`` (so the good pages are the real ones) and, when
SEGDASH_TEST_BROKEN_PAGE=1, adds:

- "Trasig" (``/trasig``): raises ``RuntimeError("avsiktligt fel")`` after its title;
- "Felruta" (``/felruta``): shows an ``st.error`` box;
- "Nedladdning" (``/nedladdning``): a ``st.download_button``, to test ``helpers.download``.

The meta tests run a second server on this script to prove that ``helpers.assert_no_errors`` catches a broken page.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: E402

import ui  # noqa: E402

# The real pages link to each other with paths relative to the entry script (st.page_link("views/…"),
# st.switch_page), and the dashboard's entry script is app.py in the project root. Streamlit resolves those paths
# from ``ScriptRunContext.main_script_path``, so let them resolve from the project root here too. (Only the link
# resolution reads it; the server still runs this script.)
_ctx = get_script_run_ctx()
if _ctx is not None:
    _ctx.main_script_path = str(ROOT / "app.py")

DOWNLOAD_NAME = "hej.csv"
DOWNLOAD_DATA = "Område;Värde\nSkäggetorp;1,5\n".encode()


def broken_page() -> None:
    """Starts like every page, then fails."""
    st.title("Trasig")
    raise RuntimeError("avsiktligt fel")


def error_box_page() -> None:
    st.title("Felruta")
    st.error("Avsiktligt felmeddelande")


def download_page() -> None:
    st.title("Nedladdning")
    st.download_button("Ladda ner", data=DOWNLOAD_DATA, file_name=DOWNLOAD_NAME, mime="text/csv")


st.set_page_config(page_title="Testapp med trasiga sidor", layout="wide", initial_sidebar_state="expanded")

# Page scripts are resolved relative to the entry script, so give them as absolute paths.
pages = [
    st.Page(ROOT / p.script, title=p.title, icon=p.icon, url_path=p.url_path, default=i == 0)
    for i, p in enumerate(ui.PAGES)
]
if os.environ.get("SEGDASH_TEST_BROKEN_PAGE") == "1":
    pages += [
        st.Page(broken_page, title="Trasig", url_path="trasig"),
        st.Page(error_box_page, title="Felruta", url_path="felruta"),
        st.Page(download_page, title="Nedladdning", url_path="nedladdning"),
    ]
st.navigation(pages).run()
