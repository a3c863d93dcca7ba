"""Hostile and broken files, through the CLI and the data page: a clear Swedish message, bounded time and
memory, and the store unchanged (compared by checksum)."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.store.importer import open_store
from tests.apptest import run_app_page
from tests.hostile import hostile_inputs

ROOT = Path(__file__).resolve().parent.parent
INPUTS = hostile_inputs()
IDS = [h.name for h in INPUTS]
# Bounds for a whole CLI run on one hostile file: generous for a loaded 2-core CI machine, far below harm.
# The address-space cap stops a runaway allocation; the resident peak is what the run really used.
ADDRESS_SPACE_LIMIT = 4 * 1024**3
PEAK_RSS_LIMIT_KB = 1024 * 1024
TIME_LIMIT_S = 120


def test_there_are_45_kinds_each_named_once():
    assert len(INPUTS) == 45 and len(set(IDS)) == len(IDS)  # README says 45


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory) -> Path:
    """A store with the default data, shared by the CLI cases (none of them may change it)."""
    path = tmp_path_factory.mktemp("hostile") / "store.sqlite"
    open_store(path).close()
    return path


def checksum(path: Path) -> str:
    """The store's checksum."""
    with open_store(path, seed=False) as s:
        return s.checksum()


def _limits() -> None:
    """Cap the child's address space, so a reader that tried to allocate a bomb would fail, not the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


@pytest.mark.parametrize("hostile", INPUTS, ids=IDS)
def test_cli_refuses_with_its_message_and_leaves_the_store(hostile, seeded_store, tmp_path, capsys):
    path = tmp_path / "fil.xlsx"
    path.write_bytes(hostile.data)
    before = checksum(seeded_store)
    assert main(["validate", str(path), "--db", str(seeded_store)]) == 1
    assert hostile.message in capsys.readouterr().out
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "import", str(path), "--db", str(seeded_store), "--user", "t"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIME_LIMIT_S,
        preexec_fn=_limits,
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < PEAK_RSS_LIMIT_KB
    assert hostile.message in proc.stdout
    assert "Ingenting importerades" in proc.stdout
    assert checksum(seeded_store) == before


@pytest.mark.parametrize("hostile", INPUTS, ids=IDS)
def test_data_page_refuses_with_its_message_and_leaves_the_store(hostile):
    at = run_app_page("views/data.py", timeout=180)
    with open_store() as s:
        before = s.checksum()
    at.file_uploader(key="uppladdning").upload("fil.xlsx", hostile.data).run()
    assert not at.exception, [e.message for e in at.exception]
    table = next(d.value for d in at.dataframe if "fel" in d.value.columns)
    assert any(hostile.message in m for m in table["fel"]), table["fel"].tolist()
    assert set(table["nivå"]) >= {"Fel"}
    assert "Importera som ny version" not in [b.label for b in at.button]
    with open_store() as s:
        assert s.checksum() == before
