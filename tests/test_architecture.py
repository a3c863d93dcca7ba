"""House rules that keep the code base in shape."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Top-level module names a Python file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_analysis_never_imports_streamlit():
    offenders = [p.name for p in (ROOT / "analysis").rglob("*.py") if "streamlit" in imported_modules(p)]
    assert offenders == []


def test_the_rule_would_catch_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from streamlit import session_state\n")
    assert "streamlit" in imported_modules(bad)


def test_analysis_does_not_import_pages_or_ui():
    offenders = [p.name for p in (ROOT / "analysis").rglob("*.py") if imported_modules(p) & {"views", "pages", "ui", "app"}]
    assert offenders == []


def test_every_page_is_registered_in_the_navigation():
    import ui

    registered = sorted(p.script for p in ui.PAGES)
    on_disk = sorted(f"views/{p.name}" for p in (ROOT / "views").glob("*.py"))
    assert registered == on_disk
    assert len({p.url_path for p in ui.PAGES}) == len(ui.PAGES)


def test_every_analysis_function_has_a_docstring():
    missing = []
    for path in (ROOT / "analysis").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("__"):
                if ast.get_docstring(node) is None:
                    missing.append(f"{path.name}:{node.name}")
    assert missing == []
