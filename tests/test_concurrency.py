"""Concurrent imports from separate processes: each lands as its own version or fails clearly;
no lost update; versions in a consistent order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis.store.history import Store
from analysis.store.importer import open_store
from tests.builders import data_sheet
from tests.conftest import BACKENDS, empty_store_target, store_copy

ROOT = Path(__file__).resolve().parent.parent
SHARED_KEY = ("Berga", "ohalsotal", 2030, "Totalt")


def file_for(i: int) -> bytes:
    """Process i's own values (its own year) plus a value for a key every process writes."""
    own = [[area, "ohalsotal", 2040 + i, 10.0 + i, "Totalt"] for area in ("Berga", "Ryd", "Skäggetorp")]
    return data_sheet(*own, [*SHARED_KEY[:3], 100.0 + i, SHARED_KEY[3]])


@pytest.fixture(scope="module", params=BACKENDS)
def base(request, tmp_path_factory) -> Path | str:
    """A seeded store to copy for each run: an SQLite file, and then a PostgreSQL database."""
    target = empty_store_target(request, request.param, tmp_path_factory.mktemp("conc"))
    open_store(target).close()
    return target


@pytest.mark.parametrize("n", [2, 4, 8])
def test_parallel_imports(request, base, tmp_path, n):
    db = store_copy(request, base, tmp_path, "store")
    files = []
    for i in range(n):
        f = tmp_path / f"fil{i}.xlsx"
        f.write_bytes(file_for(i))
        files.append(f)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "analysis", "import", str(f), "--db", str(db), "--user", f"p{i}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        for i, f in enumerate(files)
    ]
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
    landed = []
    for i, (code, out, err) in enumerate(results):
        if code == 0:
            assert "Version" in out and "skapad" in out, out
            landed.append(i)
        else:
            assert code == 3 and "Databasen kunde inte" in err, (code, out, err)
    assert landed, "no import landed"
    with Store(db) as s:
        versions = s.versions().sort_values("version")
        imports = versions[versions["kind"] == "import"]
        assert imports["version"].tolist() == list(range(2, 2 + len(landed)))
        assert imports["created_at"].is_monotonic_increasing
        assert sorted(imports["user"]) == sorted(f"p{i}" for i in landed)
        obs = s.current().observations.set_index(["area", "indicator", "year", "sex"])["value"]
        for i in landed:  # no lost update: every landed import's own values are there
            for area in ("Berga", "Ryd", "Skäggetorp"):
                assert obs[(area, "ohalsotal", 2040 + i, "Totalt")] == 10.0 + i
        last_user = imports.iloc[-1]["user"]
        assert obs[SHARED_KEY] == 100.0 + int(last_user[1:])  # the shared key holds the last writer's value
        for i in landed:  # each version recorded exactly its own changes
            row = imports[imports["user"] == f"p{i}"].iloc[0]
            assert row["n_new"] + row["n_changed"] >= 3
