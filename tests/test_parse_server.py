"""The fork server's preload (analysis/ingest/parse_server.py): children never re-run the parent's main script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_importing_it_turns_off_the_main_module_fixup_and_loads_the_reader():
    # In a fresh interpreter: importing the module changes multiprocessing for that whole process.
    code = (
        "import sys\n"
        "from multiprocessing import spawn\n"
        "before = spawn._fixup_main_from_path\n"
        "import analysis.ingest.parse_server as ps\n"
        "assert spawn._fixup_main_from_path is ps._keep_main is spawn._fixup_main_from_name\n"
        "assert before is not ps._keep_main\n"
        "assert 'analysis.ingest.isolated' in sys.modules and 'analysis.ingest.excel' in sys.modules\n"
        "ps._keep_main('/some/app.py')\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_nothing_but_the_fork_server_imports_it():
    users = [
        p.relative_to(ROOT).as_posix()
        for p in [*(ROOT / "analysis").rglob("*.py"), *(ROOT / "views").glob("*.py"), ROOT / "ui.py", ROOT / "app.py"]
        if "import analysis.ingest.parse_server" in p.read_text(encoding="utf-8")
        or "from analysis.ingest import parse_server" in p.read_text(encoding="utf-8")
    ]
    assert users == []
    assert '"analysis.ingest.parse_server"' in (ROOT / "analysis/ingest/isolated.py").read_text(encoding="utf-8")
