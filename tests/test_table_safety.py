"""Tables on the pages go through ui.table, which neutralises formula text before Streamlit's toolbar can download it.

st.dataframe's toolbar offers the shown table as CSV (and copying puts it on the clipboard) without neutralising
anything, and Streamlit 1.67 has no parameter for that per table, so no page may call st.dataframe itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
EXPORTING = {"dataframe", "data_editor"}  # the elements with a CSV download in their toolbar
HELPER = "table"  # ui.table: the one place that may call st.dataframe


def direct_table_calls(source: str, helper: str | None = None) -> list[int]:
    """Lines that call st.dataframe / st.data_editor (on st, a column, a tab or imported bare) outside the helper.

    `helper` names a top-level function of the module whose body may call them (ui.table in ui.py).
    """
    tree = ast.parse(source)
    allowed: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == helper:
            allowed.update(id(n) for n in ast.walk(node))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and id(node) not in allowed:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in EXPORTING:
                lines.append(node.lineno)
    return sorted(lines)


def test_no_page_calls_st_dataframe_directly():
    offenders = {
        f"views/{p.name}": direct_table_calls(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "views").glob("*.py"))
    }
    offenders["ui.py"] = direct_table_calls((ROOT / "ui.py").read_text(encoding="utf-8"), HELPER)
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_rule_catches_an_offender():
    page = (
        "import streamlit as st\n"
        "from streamlit import data_editor\n"
        "import ui\n"
        "st.dataframe(frame)\n"
        "tab.dataframe(frame, hide_index=True)\n"
        "data_editor(frame)\n"
        "ui.table(frame)\n"
        "def table():\n"
        "    st.dataframe(frame)\n"
    )
    assert direct_table_calls(page) == [4, 5, 6, 9]  # a page's own function called table is no exception
    assert direct_table_calls(page, HELPER) == [4, 5, 6]  # only ui.py's helper is
    assert direct_table_calls("st.table(frame)\nst.write('x')\n") == []


def show_hostile_tables():
    """A page showing a plain and a styled table with formula text from the data (run by AppTest)."""
    import pandas as pd

    import ui

    frame = pd.DataFrame(
        {"Område": ['=HYPERLINK("http://x","y")', "Berga"], "Skillnad": ["+1,7 pe ▼", "@x"], "Värde": [1.5, -2.0]}
    )
    import streamlit as st

    (tab,) = st.tabs(["Tabell"])
    ui.table(frame, container=tab, hide_index=True)
    ui.table(
        frame.set_index("Område"),
        styles=pd.DataFrame("color: red", index=frame.index, columns=frame.columns)
        .set_index(frame["Område"])
        .drop(columns="Område"),
    )


def test_ui_table_shows_formula_text_neutralised():
    at = AppTest.from_function(show_hostile_tables).run()
    assert not at.exception
    plain, styled = (d.value for d in at.dataframe)
    expected = pd.DataFrame(
        {"Område": ['\'=HYPERLINK("http://x","y")', "Berga"], "Skillnad": ["+1,7 pe ▼", "'@x"], "Värde": [1.5, -2.0]}
    )
    pd.testing.assert_frame_equal(plain.reset_index(drop=True), expected, check_dtype=False)
    assert styled.index.tolist() == ['\'=HYPERLINK("http://x","y")', "Berga"]
    assert styled["Skillnad"].tolist() == ["+1,7 pe ▼", "'@x"]
