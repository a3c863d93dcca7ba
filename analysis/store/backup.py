"""A consistent copy of the SQLite store while the dashboard runs, and the check that the copy can be restored.

SQLite's online backup API copies the store page by page inside one read transaction, so the copy is the store as
it was at one moment even while another process imports (a plain file copy of a store in WAL mode is not). The
check then opens the copy as a store on its own: SQLite's integrity check, the schema, and the same checksum over
every version, row and original file as the live store (Store.checksum) — what a restore would bring back.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from analysis.core.settings import is_database_url
from analysis.store.history import PRIVATE_FILE_MODE, Store, StoreError


@dataclass(frozen=True)
class BackupReport:
    """What a backup wrote and what its check found."""

    path: Path
    versions: int
    current_version: int | None
    checksum: str
    bytes: int


def backup_store(source: Path | str, target: Path) -> BackupReport:
    """Copy the store at `source` to a new file `target` with SQLite's online backup, then check the copy.

    Raises StoreError (in Swedish) when the target exists, the source is no store, or the check fails; a failed
    backup leaves no file behind.
    """
    if is_database_url(source):
        raise StoreError(
            "Säkerhetskopian här gäller SQLite-databasfiler. En PostgreSQL-databas säkerhetskopieras med pg_dump "
            "(se README, ”Flera instanser och säkerhetskopior”)."
        )
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise StoreError(f"Databasen {source} finns inte. Ange rätt fil med --db eller SEGDASH_DB.")
    if target.exists():
        raise StoreError(f"{target} finns redan. Välj ett nytt filnamn; en säkerhetskopia skriver aldrig över en fil.")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only, like the store itself: the copy holds the same data and the imported files.
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    try:
        src, dst = sqlite3.connect(source), sqlite3.connect(target)
        try:
            if not src.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'versions'").fetchone():
                raise StoreError(f"{source} är ingen databas från instrumentpanelen (tabellen versions saknas).")
            src.backup(dst)
            # A single file: the copy is complete without a -wal beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            src.close()
            dst.close()
        return checked_backup(source, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def checked_backup(source: Path, backup: Path) -> BackupReport:
    """Open `backup` as a store and prove it restores `source`: integrity, schema and the same checksum."""
    conn = sqlite3.connect(Path(backup).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        verdict = str(exc)
    finally:
        conn.close()
    if verdict != "ok":
        raise StoreError(f"Säkerhetskopian {backup} är skadad (SQLite: {verdict}).")
    with Store(backup, read_only=True) as copy:
        versions, current, checksum = len(copy.versions()), copy.current_version(), copy.checksum()
    with Store(source, read_only=True) as live:  # never waits for a write lock, never writes
        live_current, live_checksum = live.current_version(), live.checksum()
    if live_current != current:
        raise StoreError(
            f"Databasen fick version {live_current} medan kopian skrevs (kopian har {current}). Kör kommandot igen."
        )
    if live_checksum != checksum:
        raise StoreError(
            f"Säkerhetskopian {backup} har inte samma innehåll som databasen (kontrollsumman skiljer sig)."
        )
    return BackupReport(Path(backup), versions, current, checksum, Path(backup).stat().st_size)
