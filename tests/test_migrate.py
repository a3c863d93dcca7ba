"""Moving a store between databases (analysis/store/migrate.py): every version, original and history row, proven."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis.core.model import TABLES
from analysis.store.history import Store, StoreError
from analysis.store.migrate import migrate_store, version_checksums
from tests.test_history import full_dataset, obs, same_table, values

ROOT = Path(__file__).resolve().parent.parent


def filled_store(target) -> dict:
    """Write a history with every kind of row (imports with files, a rollback, a pruned original) and describe it."""
    with Store(target) as s:
        s.apply(full_dataset(), user="anna", file_name="första.xlsx", file_bytes=b"\x00\x01binary\xff")
        s.apply(
            obs(("Ryd", "arb", 2024, 1.5), ("Skäggetorp", "arb", 2023, 61.25)),
            user="bo",
            file_name="b.xlsx",
            file_bytes=b"\x00\x01andra\xff",
        )
        s.rollback(1, user="cia")
        s.apply(obs(("Berga", "arb", 2025, None), ("Berga", "arb", 2026, 3.0)), user="dan")
        s.prune_originals(user="eva", keep=1)
        return {
            "checksum": s.checksum(),
            "versions": s.versions(),
            "states": {v: s.dataset_at(v) for v in s.versions()["version"]},
            "per_version": version_checksums(s),
        }


@pytest.fixture
def sqlite_source(tmp_path):
    """A filled SQLite store and what it holds."""
    path = tmp_path / "källa.sqlite"
    return path, filled_store(path)


def test_sqlite_to_postgresql_copies_every_version_and_continues_numbering(sqlite_source, postgres_url):
    path, before = sqlite_source
    report = migrate_store(path, postgres_url)
    assert report.ok and report.mismatched_versions == []
    assert report.versions == 4 and report.originals == 1  # the older original was pruned before the move
    assert report.source_checksum == report.target_checksum == before["checksum"]
    # Rows written: v1's two, v2's two new, none by the rollback (it only closes v2's rows), v4's two new.
    assert report.rows["observations"] == 2 + 2 + 0 + 2
    with Store(postgres_url) as moved:
        assert moved.checksum() == before["checksum"]
        assert version_checksums(moved) == before["per_version"]
        assert moved.versions().equals(before["versions"])
        for v, state in before["states"].items():
            for table in TABLES:
                same_table(moved.dataset_at(v).table(table), state.table(table), table)
        assert moved.original_file(1) is None  # pruned before the move, and its pruning record moved too
        assert moved.original_file(2) == ("b.xlsx", b"\x00\x01andra\xff")  # byte for byte
        # The moved store goes on: the next import is version 5 and its rows get fresh ids.
        result = moved.apply(obs(("Ryd", "arb", 2030, 7.0)), user="ny")
        assert result.version == 5
        assert values(moved.current())[("Ryd", "arb", 2030)] == 7.0


def test_postgresql_back_to_sqlite_gives_the_same_store(sqlite_source, postgres_url, tmp_path):
    path, before = sqlite_source
    assert migrate_store(path, postgres_url).ok
    back = tmp_path / "tillbaka.sqlite"
    report = migrate_store(postgres_url, back)
    assert report.ok and report.target_checksum == before["checksum"]
    with Store(back) as s:
        assert version_checksums(s) == before["per_version"]


def test_sqlite_to_sqlite_needs_no_server(sqlite_source, tmp_path):
    path, before = sqlite_source
    report = migrate_store(path, tmp_path / "kopia.sqlite")
    assert report.ok and report.versions == 4 and report.target_checksum == before["checksum"]


def test_a_target_with_versions_is_refused_and_left_as_it_was(sqlite_source, store_target):
    path, _ = sqlite_source
    with Store(store_target) as other:
        other.apply(obs(("A", "i", 2020, 1.0)), user="u")
        checksum = other.checksum()
    with pytest.raises(StoreError, match="har redan 1 versioner"):
        migrate_store(path, store_target)
    with Store(store_target) as other:
        assert other.checksum() == checksum


def test_an_empty_or_missing_source_is_refused(tmp_path):
    with pytest.raises(StoreError, match="finns inte"):
        migrate_store(tmp_path / "saknas.sqlite", tmp_path / "mål.sqlite")
    Store(tmp_path / "tom.sqlite").close()
    with pytest.raises(StoreError, match="har inga versioner"):
        migrate_store(tmp_path / "tom.sqlite", tmp_path / "mål.sqlite")


@pytest.mark.parametrize(
    ("change", "version"),
    [
        ("UPDATE observations_hist SET value = 62.0 WHERE value = 61.25", 2),  # a value written by version 2
        ("UPDATE observations_hist SET valid_to = NULL WHERE valid_to = 3", 3),  # a row version 3 closed
        ("UPDATE versions SET \"user\" = 'x' WHERE version = 4", 4),
        ("UPDATE files SET content = X'00' WHERE version = 3", None),  # v3 is a rollback: it has no file
    ],
)
def test_the_check_names_the_version_that_differs(sqlite_source, tmp_path, change, version):
    path, before = sqlite_source
    copy = tmp_path / "kopia.sqlite"
    assert migrate_store(path, copy).ok
    with Store(copy) as s, s._write() as c:
        c.execute(change)
    with Store(copy) as s:
        differing = [v for v, h in version_checksums(s).items() if before["per_version"].get(v) != h]
    assert differing == ([] if version is None else [version])


def run_migrate(source, target) -> subprocess.CompletedProcess:
    """`python -m analysis migrate --from source --to target` in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", "migrate", "--from", str(source), "--to", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


def test_the_cli_moves_a_store_and_reports_the_check(sqlite_source, postgres_url):
    path, before = sqlite_source
    done = run_migrate(path, postgres_url)
    assert done.returncode == 0, done.stderr
    assert "Flyttade 4 versioner och 1 originalfiler" in done.stdout
    assert "alla 4 versioner har samma kontrollsumma i båda databaserna" in done.stdout
    again = run_migrate(path, postgres_url)
    assert again.returncode == 3 and "har redan 4 versioner" in again.stderr
