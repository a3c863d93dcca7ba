"""Moving a store to another database (SQLite to PostgreSQL, or back) with proof that nothing changed on the way.

Every version row, original file, pruning record and history row is copied with its own ids inside one write
transaction on the target, which must be empty. The proof is a checksum per version over what that version did
(the rows it wrote and closed, its version row and original file): equal for every version in both stores means
every version's state is equal, since each state is the previous one minus the rows closed plus the rows written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from analysis.core.model import TABLE_COLUMNS, TABLES
from analysis.store.backends import POSTGRES, display_target
from analysis.store.history import VERSION_COLUMNS, Store, StoreError, _cols, _hash_value, _hist, _q

PRUNING_COLUMNS = ("version", "file_name", "size", "sha256", "pruned_at", "pruned_by")
BATCH_ROWS = 5_000


@dataclass(frozen=True)
class MigrationReport:
    """What a migration copied and what its check found."""

    source: str
    target: str
    versions: int
    rows: dict[str, int]
    originals: int
    mismatched_versions: list[int]
    source_checksum: str
    target_checksum: str

    @property
    def ok(self) -> bool:
        """True when every version, and the whole store, has the same checksum in both stores."""
        return not self.mismatched_versions and self.source_checksum == self.target_checksum


def _copied_tables(store: Store) -> list[tuple[str, list[str], str]]:
    """(table, columns, order) for every table a migration copies, parents before children."""
    tables = [
        ("versions", [_q(c) for c in VERSION_COLUMNS], "version"),
        ("files", ["version", "file_name", "content"], "version"),
    ]
    if "file_prunings" in store._tables:
        tables.append(("file_prunings", list(PRUNING_COLUMNS), "version"))
    for t in TABLES:
        tables.append((f"{t}_hist", ["row_id", *(_q(c) for c in TABLE_COLUMNS[t]), "valid_from", "valid_to"], "row_id"))
    return tables


def version_checksums(store: Store) -> dict[int, str]:
    """One SHA-256 per version over its version row, its original file and the history rows it wrote and closed."""
    hashers: dict[int, hashlib._Hash] = {}

    def feed(version: int, *values: object) -> None:
        """Add typed values to one version's hash."""
        h = hashers.setdefault(int(version), hashlib.sha256())
        for value in values:
            _hash_value(h, value)

    with store._own_connection(), store._read() as c:
        for row in c.execute(f"SELECT {', '.join(_q(v) for v in VERSION_COLUMNS)} FROM versions ORDER BY version"):
            feed(row[0], "version", *row)
        for version, name, content in c.execute("SELECT version, file_name, content FROM files ORDER BY version"):
            feed(version, "file", name, bytes(content))
        for t in TABLES:
            sql = f"SELECT row_id, {_cols(t)}, valid_from, valid_to FROM {_hist(t)} ORDER BY row_id"
            for row in c.execute(sql):
                feed(row[-2], "written", t, *row[:-2])
                if row[-1] is not None:
                    feed(row[-1], "closed", t, row[0])
    return {v: h.hexdigest() for v, h in sorted(hashers.items())}


def _rows(cursor: Iterator[tuple[object, ...]]) -> Iterator[tuple[object, ...]]:
    """Rows as plain values (PostgreSQL's bytea arrives as bytes, SQLite's BLOB too; memoryviews become bytes)."""
    for row in cursor:
        yield tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)


def migrate_store(
    source: Path | str, target: Path | str, progress: Callable[[str], None] | None = None
) -> MigrationReport:
    """Copy every version, original and history row of `source` into the empty store `target`, then check both.

    Raises StoreError (Swedish) when the source is empty or missing, or the target already holds versions; the
    copy is one transaction, so a failure leaves the target empty.
    """
    say = progress or (lambda _text: None)
    if not isinstance(source, str) and not Path(source).is_file():
        raise StoreError(f"Källdatabasen {source} finns inte. Ange rätt fil med --from.")
    with Store(source, read_only=True) as src, Store(target) as dst:
        if src.current_version() is None:
            raise StoreError(f"Källdatabasen {src.location} har inga versioner – det finns inget att flytta.")
        found = dst.current_version()
        if found is not None:
            raise StoreError(
                f"Måldatabasen {dst.location} har redan {found} versioner. En flytt skriver bara till en tom databas, "
                "så att ingenting blandas ihop; ange en ny, tom databas med --to."
            )
        counts: dict[str, int] = {}
        with src._own_connection(), src._read() as read, dst._own_connection(), dst._write() as write:
            for table, columns, order in _copied_tables(src):
                say(f"Kopierar {table} …")
                rows = _rows(read.execute(f"SELECT {', '.join(columns)} FROM {_q(table)} ORDER BY {order}"))
                counts[table] = _insert(dst, write, table, columns, rows)
            if dst.dialect is POSTGRES:  # the next imported row continues after the copied ids
                for t in TABLES:
                    write.execute(
                        f"SELECT setval(pg_get_serial_sequence(?, 'row_id'), coalesce(max(row_id), 0) + 1, false) "
                        f"FROM {_hist(t)}",
                        (_hist(t),),
                    )
        say("Kontrollerar varje version …")
        before, after = version_checksums(src), version_checksums(dst)
        mismatched = sorted(v for v in before.keys() | after.keys() if before.get(v) != after.get(v))
        return MigrationReport(
            source=display_target(source),
            target=display_target(target),
            versions=counts["versions"],
            rows={t: counts[f"{t}_hist"] for t in TABLES},
            originals=counts["files"],
            mismatched_versions=mismatched,
            source_checksum=src.checksum(),
            target_checksum=dst.checksum(),
        )


def _insert(store: Store, conn: object, table: str, columns: list[str], rows: Iterator[tuple[object, ...]]) -> int:
    """Write rows into one table of the target (COPY on PostgreSQL) and return how many there were."""
    n = 0

    def counted() -> Iterator[tuple[object, ...]]:
        """The rows, counted as they pass."""
        nonlocal n
        for row in rows:
            n += 1
            yield row

    if store.dialect is POSTGRES:
        conn.copy_rows(_q(table), columns, counted())  # type: ignore[attr-defined]
    else:
        placeholders = ", ".join("?" for _ in columns)
        conn.executemany(f"INSERT INTO {_q(table)} ({', '.join(columns)}) VALUES ({placeholders})", counted())  # type: ignore[attr-defined]
    return n
