"""House rules that keep the code base in shape."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

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
    offenders = [
        p.name for p in (ROOT / "analysis").rglob("*.py") if imported_modules(p) & {"views", "pages", "ui", "app"}
    ]
    assert offenders == []


def test_every_page_is_registered_in_the_navigation():
    import ui

    registered = sorted(p.script for p in ui.PAGES)
    on_disk = sorted(f"views/{p.name}" for p in (ROOT / "views").glob("*.py"))
    assert registered == on_disk
    assert len({p.url_path for p in ui.PAGES}) == len(ui.PAGES)


def english_placeholders(source: str) -> list[int]:
    """Lines of st.multiselect calls, and st.selectbox calls that may show nothing chosen (index=None), without a
    placeholder: Streamlit's own is English ('Choose options')."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        empty = isinstance(keywords.get("index"), ast.Constant) and keywords["index"].value is None
        if (
            node.func.attr == "multiselect" or (node.func.attr == "selectbox" and empty)
        ) and "placeholder" not in keywords:
            lines.append(node.lineno)
    return lines


def test_no_widget_shows_streamlits_english_placeholder():
    offenders = {
        p.name: found
        for p in [ROOT / "ui.py", *(ROOT / "views").glob("*.py")]
        if (found := english_placeholders(p.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_placeholder_rule_would_catch_an_offender():
    source = "st.multiselect('A', [1])\nst.selectbox('B', [1], index=None)\nst.selectbox('C', [1])\n"
    assert english_placeholders(source) == [1, 2]


def test_every_analysis_function_has_a_docstring():
    missing = []
    for path in (ROOT / "analysis").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("__"):
                if ast.get_docstring(node) is None:
                    missing.append(f"{path.name}:{node.name}")
    assert missing == []


# --- the layers (import-linter, configured in pyproject.toml) ---------------------------------------------------

BIN = Path(sys.executable).parent
LAYERS = ["cli", "exports", "render", "viewmodels", "measures", "store", "ingest", "core"]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """import-linter's verdict on the tree at root (its pyproject.toml, its analysis package)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_layers_in_the_contract_are_the_packages_on_disk():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}
    assert contracts["layers"]["layers"] == [f"analysis.{name}" for name in LAYERS]
    packages = sorted(p.parent.name for p in (ROOT / "analysis").glob("*/__init__.py"))
    assert packages == sorted(name for name in LAYERS if name != "cli")
    assert sorted(p.name for p in (ROOT / "analysis").glob("*.py")) == ["__init__.py", "__main__.py", "cli.py"]


def test_every_layer_imports_only_the_layers_below_it():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


# Each pair is a back edge the old flat tree had or could grow; the contract must refuse every one.
BACK_EDGES = [
    ("viewmodels/explore.py", "from analysis.render.charts import base_layout"),  # view models pulled plotly in
    ("viewmodels/slides.py", "from analysis.render import images"),
    ("measures/compare.py", "from analysis.viewmodels.nulage import status_picture"),
    ("store/preview.py", "from analysis.measures.compare import comparison_table"),
    ("ingest/problems.py", "from analysis.exports import workbook"),
    ("core/model.py", "from analysis.ingest import names"),
    ("render/charts.py", "from analysis.exports import downloads"),
    ("exports/workbook.py", "from analysis import cli"),
    ("core/formatting.py", "import streamlit"),
]


@pytest.mark.parametrize("module, line", BACK_EDGES, ids=[f"{m}:{line.split()[1]}" for m, line in BACK_EDGES])
def test_the_contract_fails_on_a_back_edge(tmp_path, module, line):
    shutil.copytree(ROOT / "analysis", tmp_path / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "analysis" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    importer = "analysis." + module.removesuffix(".py").replace("/", ".")
    assert importer in result.stdout


# --- lint and format (ruff, configured in pyproject.toml) ----------------------------------------------------------


def test_ruff_finds_nothing_on_the_whole_tree():
    result = subprocess.run(
        [str(BIN / "ruff"), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_whole_tree_is_formatted():
    result = subprocess.run(
        [str(BIN / "ruff"), "format", "--check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_has_its_test_file_beside_it():
    modules = sorted(p for p in (ROOT / "analysis").rglob("*.py") if not p.name.startswith("__"))
    missing = [p.relative_to(ROOT).as_posix() for p in modules if not (ROOT / "tests" / f"test_{p.stem}.py").exists()]
    assert missing == []
    # One module name per test file: two modules of one name in different layers would share a test file.
    stems = [p.stem for p in modules]
    assert sorted({s for s in stems if stems.count(s) > 1}) == []
