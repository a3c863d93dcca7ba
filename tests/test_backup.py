"""The online backup of the store (analysis/store/backup.py) and its restore check, also through the CLI."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading

import pytest

from analysis.cli import main
from analysis.store.backup import backup_store, checked_backup
from analysis.store.history import Store, StoreError
from analysis.store.importer import open_store
from tests.test_history import full_dataset, obs


@pytest.fixture
def live(tmp_path):
    """A store with two versions and an original file, in WAL mode like the running dashboard's."""
    path = tmp_path / "store.sqlite"
    with Store(path) as store:
        store.apply(full_dataset(), user="anna", file_name="första.xlsx", file_bytes=b"PK-forsta")
        store.apply(obs(("Berga", "fv", 2024, 61.0)), user="anna")
    return path


def test_the_copy_restores_every_version_row_and_original(live, tmp_path):
    target = tmp_path / "kopior" / "store-2026-12-01.sqlite"
    report = backup_store(live, target)
    with Store(live) as store, Store(target, read_only=True) as copy:
        assert copy.checksum() == store.checksum() == report.checksum
        assert copy.versions().equals(store.versions())
        assert copy.dataset_at(1).observations.equals(store.dataset_at(1).observations)
    assert (report.versions, report.current_version) == (2, 2)
    assert report.bytes == target.stat().st_size > 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # the data and the originals stay owner-only
    assert not target.with_name(target.name + "-wal").exists()  # one self-contained file


def test_a_backup_taken_while_another_connection_writes_is_consistent(live, tmp_path):
    # A writer holds an open write transaction during the backup: the copy is the last committed state.
    writer = sqlite3.connect(live, isolation_level=None, timeout=10)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE versions SET user = 'halvfärdig' WHERE version = 2")
    try:
        report = backup_store(live, tmp_path / "under-skrivning.sqlite")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with Store(tmp_path / "under-skrivning.sqlite", read_only=True) as copy:
        assert "halvfärdig" not in copy.versions()["user"].tolist()
        assert copy.checksum() == report.checksum


def test_an_existing_file_is_never_overwritten(live, tmp_path):
    target = tmp_path / "finns.sqlite"
    target.write_bytes(b"viktig fil")
    with pytest.raises(StoreError, match="finns redan"):
        backup_store(live, target)
    assert target.read_bytes() == b"viktig fil"


@pytest.mark.parametrize("content", [b"", b"inte en databas"])
def test_a_file_that_is_no_store_gives_a_message_and_no_copy(tmp_path, content):
    source = tmp_path / "annan.sqlite"
    source.write_bytes(content)
    target = tmp_path / "kopia.sqlite"
    with pytest.raises((StoreError, sqlite3.DatabaseError)):
        backup_store(source, target)
    assert not target.exists()
    assert source.read_bytes() == content  # never turned into a store


def test_the_check_finds_a_damaged_copy(live, tmp_path):
    target = tmp_path / "kopia.sqlite"
    backup_store(live, target)
    data = bytearray(target.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = os.urandom(4096)
    target.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="skadad|samma innehåll"):
        checked_backup(live, target)


def test_the_check_finds_a_copy_of_another_state(live, tmp_path):
    target = tmp_path / "kopia.sqlite"
    backup_store(live, target)
    with Store(target) as copy:  # the copy changes after the backup: no longer what the store holds
        copy.apply(obs(("Berga", "fv", 2024, 99.0)), user="bertil")
    with pytest.raises(StoreError, match="version"):
        checked_backup(live, target)


def test_a_backup_leaves_no_lock_behind(live, tmp_path):
    done = threading.Event()

    def importing() -> None:
        with Store(live) as store:
            store.apply(obs(("Ryd", "fv", 2024, 57.0)), user="cecilia")
        done.set()

    backup_store(live, tmp_path / "kopia.sqlite")
    thread = threading.Thread(target=importing)
    thread.start()
    thread.join(30)
    assert done.is_set()


def test_the_cli_writes_and_checks_a_backup(tmp_path, capsys):
    db = tmp_path / "cli.sqlite"
    open_store(db).close()
    out = tmp_path / "kopia.sqlite"
    assert main(["backup", str(out), "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert f"Skrev säkerhetskopian {out}" in text and "1 versioner" in text
    assert "samma kontrollsumma som databasen" in text
    assert main(["backup", str(out), "--db", str(db)]) == 3
    assert "finns redan" in capsys.readouterr().err
