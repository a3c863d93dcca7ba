"""Parsing in a child process under hard limits: results, limits, deaths, and files the raw-byte checks miss."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from analysis.core.model import TABLES, Dataset
from analysis.core.settings import DEFAULT_WORKBOOK, Limits
from analysis.ingest.excel import _inspect_zip, read_workbook
from analysis.ingest.isolated import CPU, CRASH, MEMORY, WALL, limit_problem, read_isolated, run_limited
from analysis.ingest.validate import parse_tables
from analysis.store.importer import read_upload
from tests import isolation_targets as targets
from tests.builders import tiny_known
from tests.hostile import _cells_without_reference

ROOT = Path(__file__).resolve().parent.parent
LIM = Limits(parse_memory_mb=2048, parse_cpu_seconds=60, parse_wall_seconds=120)


@pytest.mark.parametrize(
    ("target", "args", "lim", "expected"),
    [
        (targets.answer, (21,), LIM, ("ok", 42)),
        (targets.allocate, (3,), LIM, (MEMORY, None)),
        (targets.native_abort, (), LIM, (MEMORY, "")),
        (targets.spin, (30.0,), replace(LIM, parse_cpu_seconds=1), (CPU, "")),
        (targets.sleep, (30.0,), replace(LIM, parse_wall_seconds=1), (WALL, "")),
        (targets.fail, (), LIM, (CRASH, "ValueError")),
        (targets.exit_code, (3,), LIM, (CRASH, "kod 3")),
    ],
    ids=["resultat", "minne", "abort", "cpu", "vaggklocka", "undantag", "slutkod"],
)
def test_a_child_ends_in_a_result_or_a_named_limit(target, args, lim, expected):
    assert run_limited(target, args, lim) == expected


def test_the_child_sees_settings_changed_after_the_fork_server_started(monkeypatch):
    run_limited(targets.answer, (1,), LIM)  # the fork server is running
    monkeypatch.setenv("SEGDASH_TESTVARDE", "nytt")
    assert run_limited(targets.setting, ("SEGDASH_TESTVARDE",), LIM) == ("ok", "nytt")


def test_the_child_runs_in_another_process():
    assert run_limited(os.getpid, (), LIM)[1] != os.getpid()


@pytest.mark.parametrize(
    ("kind", "fragments"),
    [
        (MEMORY, ("2\u00a0048 MB", "SEGDASH_PARSE_MEMORY_MB", "Ingenting har ändrats")),
        (CPU, ("60 s", "SEGDASH_PARSE_CPU_SECONDS", "processortid")),
        (WALL, ("120 s", "SEGDASH_PARSE_TIMEOUT_SECONDS", "längre tid")),
        (CRASH, ("avbröts oväntat", "Ingenting har ändrats")),
    ],
)
def test_each_limit_message_names_the_limit_and_its_setting(kind, fragments):
    problem = limit_problem(kind, LIM, "kod 3")
    assert problem.is_error and problem.sheet == "(filen)"
    for fragment in fragments:
        assert fragment in problem.message
    assert problem.hint


def test_the_isolated_read_equals_the_read_in_this_process():
    data = DEFAULT_WORKBOOK.read_bytes()
    known = tiny_known()
    raw, problems = read_workbook(data, "standarddata.xlsx")
    assert raw is not None and problems == []
    here = parse_tables(raw, known)
    there = read_isolated(data, "standarddata.xlsx", known)
    assert there.problems == here.problems and there.info == here.info
    for table in TABLES:
        assert there.dataset.table(table).equals(here.dataset.table(table)), table
    assert len(there.dataset.observations) > 1000


def test_cells_the_raw_byte_checks_cannot_see_are_counted_as_the_reader_materialises_them():
    data = _cells_without_reference(5_000, 1_300)
    assert _inspect_zip(data, Limits())[2] == []  # the first line sees nothing wrong
    result = read_upload(data, "fil.xlsx", tiny_known())
    assert result.dataset is None
    assert [p.message for p in result.problems] == [
        "Bladet är för stort: 6\u00a0500\u00a0000 celler, högst 6\u00a0000\u00a0000 per blad (SEGDASH_MAX_CELLS)."
    ]


def test_a_file_that_exhausts_the_child_leaves_this_process_and_the_next_upload_fine():
    data = _cells_without_reference(1_048_576, 16_384)  # 17 billion cells: the reader's allocation fails
    assert _inspect_zip(data, Limits())[2] == []
    result = read_upload(data, "fil.xlsx", tiny_known())
    assert result.dataset is None and "mer minne än gränsen" in result.problems[0].message
    again = read_upload(DEFAULT_WORKBOOK.read_bytes(), "standarddata.xlsx", Dataset())
    assert again.ok


def test_the_total_over_sheets_is_limited_where_each_sheet_is_within_its_own(monkeypatch):
    from tests.builders import rezip, sheet_xml, xlsx

    base = xlsx({f"Blad{i}": [["Område"]] for i in range(1, 4)})
    parts = {
        f"xl/worksheets/sheet{i}.xml": sheet_xml(base, f"xl/worksheets/sheet{i}.xml").replace(
            b"</sheetData>", b'<row r="1000"><c><v>1</v></c>' * 1 + b"<c><v>1</v></c>" * 999 + b"</row></sheetData>"
        )
        for i in range(1, 4)
    }
    monkeypatch.setenv("SEGDASH_MAX_CELLS", "1500000")
    monkeypatch.setenv("SEGDASH_MAX_TOTAL_CELLS", "2500000")
    result = read_upload(rezip(base, parts), "fil.xlsx", tiny_known())
    assert [p.message for p in result.problems] == [
        "Arbetsboken är för stor: bladen har tillsammans mer än 2\u00a0500\u00a0000 celler (SEGDASH_MAX_TOTAL_CELLS)."
    ]
    assert result.problems[0].sheet == "Blad3"


def test_a_main_script_without_a_guard_is_not_run_again_in_the_child(tmp_path):
    # Streamlit runs the app script as __main__ with no guard; a parse child must not import it again.
    script = tmp_path / "app_utan_skydd.py"
    script.write_text(
        "from analysis.store.importer import read_upload\n"
        "from analysis.core.model import Dataset\n"
        "from analysis.core.settings import DEFAULT_WORKBOOK\n"
        "print('körs', flush=True)\n"
        "result = read_upload(DEFAULT_WORKBOOK.read_bytes(), 'standarddata.xlsx', Dataset())\n"
        "print('läst' if result.ok else result.problems, flush=True)\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.splitlines() == ["körs", "läst"]


def test_warming_up_starts_the_fork_server_that_the_next_parse_uses():
    from multiprocessing import forkserver

    from analysis.ingest.isolated import warm_up

    warm_up()
    server = forkserver._forkserver._forkserver_pid
    assert server is not None
    assert run_limited(targets.answer, (2,), LIM) == ("ok", 4)
    assert forkserver._forkserver._forkserver_pid == server


def test_the_child_runs_at_a_lower_cpu_priority_than_the_server():
    assert run_limited(os.nice, (0,), LIM) == ("ok", os.nice(0) + 10)
