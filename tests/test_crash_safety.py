"""Crash safety: an import killed (SIGKILL) at random moments leaves a store that opens, passes SQLite's
integrity check (on SQLite) and holds exactly the previous version or exactly the new one, on both backends."""

from __future__ import annotations

import hashlib
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.core.model import TABLES
from analysis.store.history import Store
from analysis.store.importer import import_upload, open_store
from tests.builders import data_sheet
from tests.conftest import BACKENDS, empty_store_target, store_copy

ROOT = Path(__file__).resolve().parent.parent
KILLS = 20


def state_digest(path: Path | str) -> str:
    """A hash of the current content of every table (version metadata left out)."""
    with Store(path) as s:
        ds = s.current()
        h = hashlib.sha256()
        for name in TABLES:
            h.update(ds.table(name).to_csv(index=False).encode())
        return h.hexdigest()


def big_update() -> bytes:
    """A workbook that changes and adds a few thousand values (several seconds of work to import)."""
    areas = ["Berga", "Ryd", "Skäggetorp", "Övriga Linköping", "Linköping"]
    indicators = ["ohalsotal", "forvarvsfrekvens", "arbetsloshet", "ekonomiskt_bistand", "otrygghet_kvall"]
    rows = [
        [a, i, y, round(10 + (hash((a, i, y, s)) % 500) / 10, 1), s]
        for a in areas
        for i in indicators
        for y in range(1990, 2031)
        for s in ("Totalt", "Kvinnor", "Män")
    ]
    return data_sheet(*rows)


@pytest.fixture(scope="module", params=BACKENDS)
def setup(request, tmp_path_factory):
    """A seeded base store, the update file, and the digests before and after a complete import (per backend)."""
    d = tmp_path_factory.mktemp("crash")
    base = empty_store_target(request, request.param, d)
    open_store(base).close()
    update = d / "update.xlsx"
    update.write_bytes(big_update())
    done = store_copy(request, base, d, "done")
    with Store(done) as s:
        outcome = import_upload(s, update.read_bytes(), update.name, "referens")
        assert outcome.version == 2
    t0 = time.perf_counter()
    probe = store_copy(request, base, d, "probe")
    subprocess.run(
        [sys.executable, "-m", "analysis", "import", str(update), "--db", str(probe)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    duration = time.perf_counter() - t0
    return base, update, state_digest(base), state_digest(done), duration


def test_killed_imports_leave_either_the_old_or_the_new_version(request, setup, tmp_path):
    base, update, before, after, duration = setup
    assert before != after
    rng = random.Random(20201202)
    outcomes = []
    for i in range(KILLS):
        db = store_copy(request, base, tmp_path, f"kill{i}")
        proc = subprocess.Popen(
            [sys.executable, "-m", "analysis", "import", str(update), "--db", str(db)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.0, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if not isinstance(db, str):  # PostgreSQL rolls back a dead client's transaction itself
            with sqlite3.connect(db) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        digest = state_digest(db)
        with Store(db) as s:
            n_versions = len(s.versions())
        assert (digest, n_versions) in {(before, 1), (after, 2)}, f"kill {i}: half an import"
        outcomes.append("före" if digest == before else "efter")
    print(
        f"\n{KILLS} avbrutna importer (import {duration:.1f} s): {outcomes.count('före')} gav förra versionen, "
        f"{outcomes.count('efter')} den nya."
    )
    assert len(outcomes) == KILLS
