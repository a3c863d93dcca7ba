"""The embedded, versioned data store: every import and rollback is a version, nothing is ever deleted.

Each model table T has a history table `T_hist` with T's columns plus `valid_from` and
`valid_to` (NULL while the row is current). A row belongs to version v's state when
valid_from <= v and (valid_to IS NULL or valid_to > v). Imports add and update rows by
key and never close rows they do not hold; rollbacks write a new version whose state
equals an older one. The history itself is only ever appended to or closed, so every
state that has existed can be read back and restored.
"""

from __future__ import annotations

import hashlib
import math
import os
import sqlite3
import struct
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.model import (
    INT_COLUMNS,
    OBSERVATION_KEY,
    NUMERIC_COLUMNS,
    TABLE_COLUMNS,
    TABLE_KEYS,
    TABLES,
    Dataset,
    conform,
    empty_frame,
)

SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 30
REL_TOLERANCE = 1e-9

KIND_INITIAL = "initial"
KIND_IMPORT = "import"
KIND_ROLLBACK = "rollback"
KINDS: tuple[str, ...] = (KIND_INITIAL, KIND_IMPORT, KIND_ROLLBACK)

VERSION_COLUMNS: tuple[str, ...] = (
    "version",
    "created_at",
    "user",
    "kind",
    "file_name",
    "sha256",
    "n_new",
    "n_changed",
    "n_unchanged",
    "n_removed",
    "rollback_of",
    "note",
)

# A blank cell in an import means "no figure in this file", not "the figure is gone", so it
# must never erase a value that is already stored.
KEEP_STORED_WHEN_MISSING: dict[str, str] = {"observations": "value"}

THOUSANDS_SEPARATOR = "\u00a0"  # no-break space: Swedish style, and a number never wraps mid-way

NO_CHANGE_MESSAGE = "Inga nya eller ändrade värden – ingen ny version skapades."

_NEW = "new"
_CHANGED = "changed"
_UNCHANGED = "unchanged"
_IGNORED = "ignored"


# ---------------------------------------------------------------------------------------------
# Small helpers


def format_count(n: int) -> str:
    """An integer with Swedish thousands grouping (1 200, 200 000)."""
    return f"{int(n):,}".replace(",", THOUSANDS_SEPARATOR)


def numbers_equal(a: float | int | None, b: float | int | None) -> bool:
    """True when both are missing, or both present and equal within a relative 1e-9."""
    a_missing = a is None or (isinstance(a, float) and math.isnan(a))
    b_missing = b is None or (isinstance(b, float) and math.isnan(b))
    if a_missing or b_missing:
        return a_missing and b_missing
    if a == b:
        return True
    return abs(a - b) <= REL_TOLERANCE * max(1.0, abs(a), abs(b))


def file_sha256(file_bytes: bytes | None) -> str:
    """The hex SHA-256 of a file's bytes; the empty string when there is no file."""
    return "" if file_bytes is None else hashlib.sha256(file_bytes).hexdigest()


def _q(name: str) -> str:
    """A quoted SQL identifier (model columns include keywords such as "end")."""
    return '"' + name.replace('"', '""') + '"'


def _column_kind(table: str, column: str) -> str:
    """How a model column is stored: 'int', 'real', 'bool' or 'text'."""
    if column in INT_COLUMNS:
        return "int"
    if column in NUMERIC_COLUMNS.get(table, frozenset()):
        return "real"
    if column == "key_figure":
        return "bool"
    return "text"


def _column_ddl(table: str, column: str) -> str:
    """The column definition of a model column in a history table."""
    kind = _column_kind(table, column)
    if kind == "int":
        return f"{_q(column)} INTEGER"
    if kind == "real":
        return f"{_q(column)} REAL"
    if kind == "bool":
        return f"{_q(column)} INTEGER NOT NULL DEFAULT 0 CHECK ({_q(column)} IN (0, 1))"
    return f"{_q(column)} TEXT NOT NULL DEFAULT ''"


def _hist(table: str) -> str:
    """The quoted name of a table's history table."""
    return _q(f"{table}_hist")


def _staging(table: str) -> str:
    """The quoted name of the temporary table holding the rows compared with a table."""
    return _q(f"_in_{table}")


def _gone(table: str) -> str:
    """The quoted name of the temporary table listing current rows a rollback closes."""
    return _q(f"_gone_{table}")


def _cols(table: str, alias: str = "") -> str:
    """The table's model columns as a comma-separated SQL list, optionally alias-qualified."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + _q(c) for c in TABLE_COLUMNS[table])


def _key_match(table: str, left: str, right: str) -> str:
    """SQL that is true when two aliases have the same key (NULL-safe)."""
    return " AND ".join(f"{left}.{_q(k)} IS {right}.{_q(k)}" for k in TABLE_KEYS[table])


def _value_columns(table: str) -> list[str]:
    """The non-key columns of a table."""
    keys = set(TABLE_KEYS[table])
    return [c for c in TABLE_COLUMNS[table] if c not in keys]


def _numbers_equal_sql(a: str, b: str) -> str:
    """SQL for numbers_equal(a, b), kept in SQL because a Python callback per row is several times slower."""
    return (
        f"(coalesce({a} = {b}, {a} IS {b}) "
        f"OR coalesce(abs({a} - {b}) <= {REL_TOLERANCE!r} * max(1.0, abs({a}), abs({b})), 0))"
    )


def _differs(table: str, new: str, old: str) -> str:
    """SQL that is true when any non-key column of two aliases differs (floats with tolerance)."""
    terms = []
    for c in _value_columns(table):
        if _column_kind(table, c) == "real":
            terms.append(f"NOT {_numbers_equal_sql(f'{new}.{_q(c)}', f'{old}.{_q(c)}')}")
        else:
            terms.append(f"{new}.{_q(c)} IS NOT {old}.{_q(c)}")
    return " OR ".join(terms) if terms else "0"


def _sql_columns(table: str, frame: pd.DataFrame) -> list[list[object]]:
    """The columns of a conformed frame as lists of plain Python values (None for missing)."""
    columns: list[list[object]] = []
    for c in TABLE_COLUMNS[table]:
        kind = _column_kind(table, c)
        if kind == "text":
            columns.append(frame[c].astype("str").fillna("").tolist())
            continue
        # sqlite3 cannot bind numpy scalars or pd.NA, so every value becomes a plain Python one.
        raw = frame[c].astype(object).tolist()
        if kind == "int":
            columns.append([None if v is None or v is pd.NA else int(v) for v in raw])
        elif kind == "real":
            columns.append([None if v is None or v is pd.NA or v != v else float(v) for v in raw])
        else:
            columns.append([1 if v else 0 for v in raw])
    return columns


def _has_model_dtype(table: str, column: str, series: pd.Series) -> bool:
    """True when a column already has the dtype conform() would give it."""
    kind = _column_kind(table, column)
    if kind == "int":
        return str(series.dtype) == "Int64"
    if kind == "real":
        return str(series.dtype) == "float64"
    if kind == "bool":
        return str(series.dtype) == "bool"
    return isinstance(series.dtype, pd.StringDtype)


def _conformed(table: str, frame: pd.DataFrame | None) -> pd.DataFrame:
    """The frame as conform() would return it, without redoing the work when it is already so."""
    columns = list(TABLE_COLUMNS[table])
    if (
        frame is not None
        and len(frame)
        and list(frame.columns) == columns
        and all(_has_model_dtype(table, c, frame[c]) for c in columns)
    ):
        return frame.reset_index(drop=True)
    return conform(table, frame)


def _frame(table: str, rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """A conformed model frame from rows of the table's columns as read from SQLite."""
    if not rows:
        return empty_frame(table)
    return conform(table, pd.DataFrame.from_records(rows, columns=list(TABLE_COLUMNS[table])))


def _with_old(table: str, new: pd.DataFrame, old: pd.DataFrame) -> pd.DataFrame:
    """The new rows plus old_<col> for each non-key column, taken row by row from the old rows."""
    value_cols = _value_columns(table)
    old = old[value_cols].rename(columns={c: f"old_{c}" for c in value_cols}).reset_index(drop=True)
    return pd.concat([new.reset_index(drop=True), old], axis=1)


OBSERVATIONS = "observations"
OBSERVATION_TEXT = ("area", "indicator", "sex", "source", "note")
SNAPSHOTS_KEPT = 3


def observation_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Observations with compact dtypes: categories for the text columns, Int64 years, float values."""
    out = frame.copy()
    for c in OBSERVATION_TEXT:
        if not isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = pd.Categorical(out[c].astype(object).where(out[c].notna(), "").map(str))
    out["year"] = pd.array(pd.to_numeric(out["year"]), dtype="Int64")
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    return out.reset_index(drop=True)


def observations_from_rows(rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """Observations from SQLite rows (area, indicator, year, sex, value, source, note), column by column."""
    if not rows:
        return observation_dtypes(empty_frame(OBSERVATIONS))
    cols = list(zip(*rows))
    names = list(TABLE_COLUMNS[OBSERVATIONS])
    data = {n: pd.Categorical(["" if v is None else v for v in col]) if n in OBSERVATION_TEXT else col
            for n, col in zip(names, cols)}
    data["year"] = pd.array(np.asarray(data["year"], dtype="int64"), dtype="Int64")
    data["value"] = np.asarray([np.nan if v is None else v for v in data["value"]], dtype="float64")
    return pd.DataFrame(data)[names]


def _hash_value(h: "hashlib._Hash", value: object) -> None:
    """Feed one SQLite value to a hash, typed and length-prefixed so no two rows collide by accident."""
    if value is None:
        h.update(b"N")
    elif isinstance(value, int):
        raw = str(value).encode()
        h.update(b"I" + struct.pack(">I", len(raw)) + raw)
    elif isinstance(value, float):
        h.update(b"F" + struct.pack(">d", value))
    elif isinstance(value, str):
        raw = value.encode("utf-8", "surrogatepass")
        h.update(b"S" + struct.pack(">Q", len(raw)) + raw)
    else:
        raw = bytes(value)
        h.update(b"B" + struct.pack(">Q", len(raw)) + raw)


def _now() -> str:
    """The current UTC time as ISO-8601 with seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class TableDiff:
    """What an import or rollback does to one table."""

    table: str
    new: pd.DataFrame
    changed: pd.DataFrame
    removed: pd.DataFrame
    ignored_missing: pd.DataFrame
    unchanged: int = 0
    # Positions in the incoming data of the changed rows, then the new rows: the order they are written in.
    written_positions: np.ndarray | None = None


@dataclass
class Diff:
    """What an import or rollback does to every table."""

    tables: dict[str, TableDiff] = field(default_factory=dict)

    @property
    def n_new(self) -> int:
        """Rows that did not exist before, over all tables."""
        return sum(len(t.new) for t in self.tables.values())

    @property
    def n_changed(self) -> int:
        """Rows whose values change, over all tables."""
        return sum(len(t.changed) for t in self.tables.values())

    @property
    def n_unchanged(self) -> int:
        """Rows already stored with the same values, over all tables."""
        return sum(t.unchanged for t in self.tables.values())

    @property
    def n_removed(self) -> int:
        """Current rows that stop being current (rollback only), over all tables."""
        return sum(len(t.removed) for t in self.tables.values())

    @property
    def n_ignored_missing(self) -> int:
        """Blank incoming values that were not allowed to erase stored ones, over all tables."""
        return sum(len(t.ignored_missing) for t in self.tables.values())

    @property
    def is_empty(self) -> bool:
        """True when nothing is new, changed or removed."""
        return self.n_new == 0 and self.n_changed == 0 and self.n_removed == 0

    @property
    def new_areas(self) -> list[str]:
        """Names of the areas that are new."""
        t = self.tables.get("areas")
        return [] if t is None else t.new["name"].tolist()

    @property
    def new_indicators(self) -> list[str]:
        """Ids of the indicators that are new."""
        t = self.tables.get("indicators")
        return [] if t is None else t.new["id"].tolist()


@dataclass
class ApplyResult:
    """The outcome of an import or rollback: the version created (None if none), the diff, a message."""

    version: int | None
    diff: Diff
    message: str


# ---------------------------------------------------------------------------------------------
# The store


class Store:
    """A versioned SQLite store of a Dataset; safe for several processes and threads at once."""

    def __init__(self, path: str | Path) -> None:
        """Open or create the store file and its schema (never adds data)."""
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection shared by Streamlit's script threads, so every use goes through the lock.
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            str(path), isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False
        )
        try:
            self._configure()
            self._create_schema()
        except BaseException:
            self._conn.close()
            raise

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Store":
        """The store itself, closed again on leaving the block."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the store."""
        self.close()

    def _configure(self) -> None:
        """Apply the connection settings that make writes durable and concurrent writers wait."""
        c = self._conn
        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        c.execute("PRAGMA journal_mode = WAL")
        c.execute("PRAGMA synchronous = FULL")
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("PRAGMA temp_store = MEMORY")

    def _create_schema(self) -> None:
        """Create missing tables, indexes and model columns; refuse files from a newer schema."""
        with self._write():
            found = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if found > SCHEMA_VERSION:
                raise RuntimeError(
                    f"Databasen {self.path} har schemaversion {found}, men programmet kan bara läsa "
                    f"version {SCHEMA_VERSION}. Uppdatera programmet."
                )
            self._conn.execute(
                """CREATE TABLE IF NOT EXISTS versions (
                    version INTEGER PRIMARY KEY AUTOINCREMENT,
                    created_at TEXT NOT NULL,
                    "user" TEXT NOT NULL DEFAULT '',
                    kind TEXT NOT NULL CHECK (kind IN ('initial', 'import', 'rollback')),
                    file_name TEXT NOT NULL DEFAULT '',
                    sha256 TEXT NOT NULL DEFAULT '',
                    n_new INTEGER NOT NULL DEFAULT 0,
                    n_changed INTEGER NOT NULL DEFAULT 0,
                    n_unchanged INTEGER NOT NULL DEFAULT 0,
                    n_removed INTEGER NOT NULL DEFAULT 0,
                    rollback_of INTEGER REFERENCES versions(version),
                    note TEXT NOT NULL DEFAULT ''
                )"""
            )
            self._conn.execute("CREATE INDEX IF NOT EXISTS versions_sha256 ON versions(sha256)")
            self._conn.execute(
                """CREATE TABLE IF NOT EXISTS files (
                    version INTEGER PRIMARY KEY REFERENCES versions(version),
                    file_name TEXT NOT NULL DEFAULT '',
                    content BLOB NOT NULL
                )"""
            )
            for table in TABLES:
                self._create_history_table(table)
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _create_history_table(self, table: str) -> None:
        """Create a table's history table and indexes, adding columns the model has gained since."""
        name = f"{table}_hist"
        # row_id is an explicit INTEGER PRIMARY KEY so VACUUM cannot renumber it: it orders rows.
        columns = ",\n".join(_column_ddl(table, c) for c in TABLE_COLUMNS[table])
        self._conn.execute(
            f"""CREATE TABLE IF NOT EXISTS {_q(name)} (
                row_id INTEGER PRIMARY KEY,
                {columns},
                valid_from INTEGER NOT NULL REFERENCES versions(version),
                valid_to INTEGER REFERENCES versions(version),
                CHECK (valid_to IS NULL OR valid_to > valid_from)
            )"""
        )
        present = {r[1] for r in self._conn.execute(f"PRAGMA table_info({_q(name)})")}
        for c in TABLE_COLUMNS[table]:
            if c not in present:
                self._conn.execute(f"ALTER TABLE {_q(name)} ADD COLUMN {_column_ddl(table, c)}")
        keys = ", ".join(_q(k) for k in TABLE_KEYS[table])
        self._conn.execute(f"CREATE INDEX IF NOT EXISTS {_q(name + '_key')} ON {_q(name)} ({keys}, valid_to)")
        # At most one current row per key: a bug that tried to create a second one fails loudly.
        self._conn.execute(
            f"CREATE UNIQUE INDEX IF NOT EXISTS {_q(name + '_current')} ON {_q(name)} ({keys}) "
            "WHERE valid_to IS NULL"
        )

    # -- transactions ----------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction holding the database write lock; rolled back on any exception."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: one consistent snapshot, always rolled back (drops staging tables too)."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")

    # -- reading ---------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """True when no version has been written yet."""
        return self.current_version() is None

    def current_version(self) -> int | None:
        """The id of the newest version, or None when the store is empty."""
        with self._read() as c:
            return c.execute("SELECT max(version) FROM versions").fetchone()[0]

    def current(self) -> Dataset:
        """The current state of every table."""
        with self._read() as c:
            version = c.execute("SELECT max(version) FROM versions").fetchone()[0]
            return self._dataset(version)

    def dataset_at(self, version: int) -> Dataset:
        """The state of every table as it was right after `version`."""
        with self._read():
            self._require_version(version)
            return self._dataset(version)

    def _dataset(self, version: int | None) -> Dataset:
        """Every table at a version (inside a read transaction); observations from the snapshot when there is one."""
        tables = {t: self._state(t, version) for t in TABLES if t != OBSERVATIONS}
        tables[OBSERVATIONS] = self._observations_at(version)
        return Dataset(**tables)

    # -- observation snapshots ---------------------------------------------------------------
    # Reading millions of observations row by row from SQLite takes tens of seconds; a Parquet file
    # per version (derived data, rebuilt from SQLite whenever missing or unreadable) takes one.

    def _snapshot_file(self, version: int) -> Path | None:
        """Where the observation snapshot of a version lives (None for an in-memory store)."""
        if str(self.path) == ":memory:":
            return None
        return self.path.with_name(f"{self.path.name}.snapshots") / f"observations-v{version}.parquet"

    def _load_snapshot(self, version: int) -> pd.DataFrame | None:
        """A version's observations from its snapshot, or None when there is no usable one."""
        path = self._snapshot_file(version)
        if path is None or not path.exists():
            return None
        try:
            frame = pd.read_parquet(path)
        except Exception:  # a damaged cache file is ignored and rebuilt from SQLite
            return None
        if list(frame.columns) != list(TABLE_COLUMNS[OBSERVATIONS]):
            return None
        return observation_dtypes(frame)

    def _save_snapshot(self, version: int, frame: pd.DataFrame) -> None:
        """Write a version's snapshot atomically (temporary file, then rename); a failure only costs speed."""
        path = self._snapshot_file(version)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            frame.to_parquet(tmp, index=False)
            os.replace(tmp, path)
            for old in sorted(path.parent.glob("observations-v*.parquet"), key=lambda p: p.stat().st_mtime)[:-SNAPSHOTS_KEPT]:
                old.unlink(missing_ok=True)
        except OSError:
            pass

    def _observations_at(self, version: int | None) -> pd.DataFrame:
        """The observations current at a version: from the snapshot, else from SQLite (and snapshotted)."""
        if version is None:
            return observation_dtypes(empty_frame(OBSERVATIONS))
        frame = self._load_snapshot(version)
        if frame is not None:
            return frame
        where, params = "valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)", (version, version)
        rows = self._conn.execute(
            f"SELECT {_cols(OBSERVATIONS)} FROM {_hist(OBSERVATIONS)} WHERE {where} ORDER BY row_id", params
        ).fetchall()
        frame = observations_from_rows(rows)
        self._save_snapshot(version, frame)
        return frame

    def _update_snapshot(self, version: int, diff: Diff) -> None:
        """Derive a new version's snapshot from the previous one and the applied diff (when that one exists)."""
        previous = self._load_snapshot(version - 1)
        if previous is None:
            with self._read():
                self._observations_at(version)  # builds it from SQLite
            return
        d = diff.tables[OBSERVATIONS]
        incoming = pd.concat([f for f in (d.changed, d.new) if len(f)], ignore_index=True) if (len(d.changed) or len(d.new)) \
            else empty_frame(OBSERVATIONS)
        incoming = incoming[list(TABLE_COLUMNS[OBSERVATIONS])]
        if d.written_positions is not None and len(d.written_positions) == len(incoming):
            # The rows SQLite gives back (ORDER BY row_id) come in the order they were written: keep that order,
            # so a version reads the same with or without its snapshot.
            incoming = incoming.iloc[np.argsort(d.written_positions, kind="stable")]
        if len(d.changed):
            key = list(OBSERVATION_KEY)
            changed = pd.MultiIndex.from_frame(d.changed[key].astype({"year": "int64"}).astype(object))
            current_keys = pd.MultiIndex.from_frame(previous[key].astype({"year": "int64"}).astype(object))
            previous = previous[~current_keys.isin(changed)]
        merged = pd.concat([previous.astype({c: object for c in OBSERVATION_TEXT}), incoming], ignore_index=True)
        self._save_snapshot(version, observation_dtypes(merged))

    def versions(self) -> pd.DataFrame:
        """All versions, newest first."""
        with self._read() as c:
            rows = c.execute(
                f"SELECT {', '.join(_q(v) for v in VERSION_COLUMNS)} FROM versions ORDER BY version DESC"
            ).fetchall()
        frame = pd.DataFrame.from_records(rows, columns=list(VERSION_COLUMNS))
        for col in ("version", "n_new", "n_changed", "n_unchanged", "n_removed"):
            frame[col] = frame[col].astype("int64")
        frame["rollback_of"] = pd.to_numeric(frame["rollback_of"]).astype("Int64")
        return frame

    def original_file(self, version: int) -> tuple[str, bytes] | None:
        """The name and exact bytes of the file imported as `version`, or None if it had none."""
        with self._read() as c:
            row = c.execute("SELECT file_name, content FROM files WHERE version = ?", (version,)).fetchone()
        return None if row is None else (row[0], bytes(row[1]))

    def version_for_sha256(self, sha256: str) -> int | None:
        """The newest version whose imported file had this SHA-256, or None."""
        with self._read():
            return self._newest_version_with_sha(sha256)

    def checksum(self) -> str:
        """SHA-256 over every row of every table (history, versions, files), in a fixed order."""
        h = hashlib.sha256()
        with self._read() as c:
            queries = [
                (f"{t}_hist", f"SELECT row_id, {_cols(t)}, valid_from, valid_to FROM {_hist(t)} ORDER BY row_id")
                for t in TABLES
            ]
            queries.append(
                ("versions", f"SELECT {', '.join(_q(v) for v in VERSION_COLUMNS)} FROM versions ORDER BY version")
            )
            queries.append(("files", "SELECT version, file_name, content FROM files ORDER BY version"))
            for name, sql in queries:
                _hash_value(h, name)
                for row in c.execute(sql):
                    h.update(b"R")
                    for value in row:
                        _hash_value(h, value)
        return h.hexdigest()

    def _require_version(self, version: int) -> None:
        """Raise ValueError (in Swedish) unless the version exists."""
        row = self._conn.execute("SELECT 1 FROM versions WHERE version = ?", (version,)).fetchone()
        if row is None:
            raise ValueError(f"Version {version} finns inte.")

    def _state(self, table: str, version: int | None) -> pd.DataFrame:
        """A table's rows current at `version` (None = now), in the order their keys first appeared."""
        if version is None:
            where, params = "h.valid_to IS NULL", ()
        else:
            where, params = "h.valid_from <= ? AND (h.valid_to IS NULL OR h.valid_to > ?)", (version, version)
        # Ordering by a key's first row keeps a changed or restored row where it was (area order matters).
        sql = (
            f"SELECT {_cols(table, 'h')} FROM {_hist(table)} AS h WHERE {where} "
            f"ORDER BY (SELECT min(f.row_id) FROM {_hist(table)} AS f WHERE {_key_match(table, 'f', 'h')}), "
            "h.row_id"
        )
        return _frame(table, self._conn.execute(sql, params).fetchall())

    # -- comparing -------------------------------------------------------------------------

    def diff(self, incoming: Dataset) -> Diff:
        """What apply(incoming) would do now; writes nothing."""
        with self._read():
            return self._incoming_diff(incoming)

    def rollback_diff(self, version: int) -> Diff:
        """What rollback(version) would change now; writes nothing."""
        with self._read():
            self._require_version(version)
            return self._rollback_diff(version)

    def _incoming_diff(self, incoming: Dataset) -> Diff:
        """Stage an incoming dataset and classify its rows against the current state."""
        tables = {}
        for table in TABLES:
            self._create_staging(table)
            frame = _conformed(table, incoming.table(table))
            if len(frame):
                placeholders = ", ".join("?" for _ in range(len(TABLE_COLUMNS[table]) + 1))
                self._conn.executemany(
                    f"INSERT INTO {_staging(table)} (_pos, {_cols(table)}) VALUES ({placeholders})",
                    zip(range(len(frame)), *_sql_columns(table, frame)),
                )
            self._index_staging(table)
            self._reject_duplicates(table)
            self._classify(table, keep_stored_when_missing=True)
            tables[table] = self._table_diff(table, frame)
        return Diff(tables)

    def _rollback_diff(self, version: int) -> Diff:
        """Stage the state at `version` and classify it against the current state, removals included."""
        tables = {}
        for table in TABLES:
            self._create_staging(table)
            self._conn.execute(
                f"INSERT INTO {_staging(table)} ({_cols(table)}) SELECT {_cols(table, 'h')} FROM {_hist(table)} AS h "
                "WHERE h.valid_from <= ? AND (h.valid_to IS NULL OR h.valid_to > ?) ORDER BY h.row_id",
                (version, version),
            )
            self._index_staging(table)
            self._classify(table, keep_stored_when_missing=False)
            self._conn.execute(
                f"INSERT INTO {_gone(table)} (row_id) SELECT h.row_id FROM {_hist(table)} AS h "
                f"WHERE h.valid_to IS NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {_staging(table)} AS i WHERE {_key_match(table, 'i', 'h')})"
            )
            tables[table] = self._table_diff(table, None)
        return Diff(tables)

    def _create_staging(self, table: str) -> None:
        """(Re)create the empty temporary tables used to compare rows with a table."""
        staging, gone = _staging(table), _gone(table)
        self._conn.execute(f"DROP TABLE IF EXISTS temp.{staging}")
        self._conn.execute(f"DROP TABLE IF EXISTS temp.{gone}")
        columns = ", ".join(_column_ddl(table, c) for c in TABLE_COLUMNS[table])
        # _pos is the row's position in the incoming frame, so diff frames can be cut from it.
        self._conn.execute(
            f"CREATE TEMP TABLE {staging} (_pos INTEGER PRIMARY KEY, {columns}, _cur INTEGER, _status TEXT)"
        )
        self._conn.execute(f"CREATE TEMP TABLE {gone} (row_id INTEGER PRIMARY KEY)")

    def _index_staging(self, table: str) -> None:
        """Index the filled staging table by key (built after the bulk insert: faster than during)."""
        keys = ", ".join(_q(k) for k in TABLE_KEYS[table])
        self._conn.execute(f"CREATE INDEX temp.{_q(f'_in_{table}_key')} ON {_staging(table)} ({keys})")

    def _drop_staging(self, table: str) -> None:
        """Drop a table's temporary tables."""
        self._conn.execute(f"DROP TABLE IF EXISTS temp.{_staging(table)}")
        self._conn.execute(f"DROP TABLE IF EXISTS temp.{_gone(table)}")

    def _reject_duplicates(self, table: str) -> None:
        """Raise ValueError when the staged rows hold a key more than once (which row would win?)."""
        keys = ", ".join(_q(k) for k in TABLE_KEYS[table])
        n = self._conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {_staging(table)} GROUP BY {keys} HAVING count(*) > 1)"
        ).fetchone()[0]
        if n:
            raise ValueError(
                f"Tabellen {table} har {format_count(n)} nycklar ({', '.join(TABLE_KEYS[table])}) som "
                "förekommer mer än en gång – ingenting importerades."
            )

    def _classify(self, table: str, *, keep_stored_when_missing: bool) -> None:
        """Link each staged row to the current row with its key and mark it new/changed/unchanged/ignored."""
        staging, hist = _staging(table), _hist(table)
        match = " AND ".join(f"h.{_q(k)} IS {staging}.{_q(k)}" for k in TABLE_KEYS[table])
        self._conn.execute(
            f"UPDATE {staging} SET _cur = (SELECT h.row_id FROM {hist} AS h WHERE h.valid_to IS NULL AND {match})"
        )
        self._conn.execute(f"UPDATE {staging} SET _status = '{_NEW}' WHERE _cur IS NULL")
        guarded = KEEP_STORED_WHEN_MISSING.get(table) if keep_stored_when_missing else None
        ignore = f"{staging}.{_q(guarded)} IS NULL AND h.{_q(guarded)} IS NOT NULL" if guarded else "0"
        self._conn.execute(
            f"UPDATE {staging} SET _status = CASE WHEN {ignore} THEN '{_IGNORED}' "
            f"WHEN {_differs(table, staging, 'h')} THEN '{_CHANGED}' ELSE '{_UNCHANGED}' END "
            f"FROM {hist} AS h WHERE h.row_id = {staging}._cur"
        )

    def _table_diff(self, table: str, source: pd.DataFrame | None) -> TableDiff:
        """The classified staged rows of a table as a TableDiff (incoming rows cut from `source` if given)."""
        staging, hist = _staging(table), _hist(table)
        c = self._conn

        positions: dict[str, list[int]] = {}

        def staged(status: str) -> pd.DataFrame:
            """The staged rows with a status, in staging order (their positions in `source` noted)."""
            if source is not None:
                found = c.execute(f"SELECT _pos FROM {staging} WHERE _status = ? ORDER BY _pos", (status,))
                positions[status] = [r[0] for r in found]
                rows = positions[status]
                return source.iloc[rows].reset_index(drop=True) if rows else empty_frame(table)
            rows = c.execute(f"SELECT {_cols(table)} FROM {staging} WHERE _status = ? ORDER BY _pos", (status,))
            return _frame(table, rows.fetchall())

        def stored(status: str) -> pd.DataFrame:
            """The current stored rows that staged rows with a status are compared with, in staging order."""
            rows = c.execute(
                f"SELECT {_cols(table, 'h')} FROM {staging} AS i JOIN {hist} AS h ON h.row_id = i._cur "
                "WHERE i._status = ? ORDER BY i._pos",
                (status,),
            )
            return _frame(table, rows.fetchall())

        removed = c.execute(
            f"SELECT {_cols(table, 'h')} FROM {_gone(table)} AS g JOIN {hist} AS h ON h.row_id = g.row_id "
            "ORDER BY h.row_id"
        )
        unchanged = c.execute(f"SELECT count(*) FROM {staging} WHERE _status = ?", (_UNCHANGED,)).fetchone()[0]
        return TableDiff(
            table=table,
            new=staged(_NEW),
            changed=_with_old(table, staged(_CHANGED), stored(_CHANGED)),
            removed=_frame(table, removed.fetchall()),
            ignored_missing=_with_old(table, staged(_IGNORED), stored(_IGNORED)),
            unchanged=unchanged,
            written_positions=np.asarray(positions[_CHANGED] + positions[_NEW], dtype="int64") if positions else None,
        )

    # -- writing ---------------------------------------------------------------------------

    def apply(
        self,
        incoming: Dataset,
        *,
        user: str,
        file_name: str = "",
        file_bytes: bytes | None = None,
        kind: str = KIND_IMPORT,
        note: str = "",
    ) -> ApplyResult:
        """Add new and update changed rows of `incoming` as one new version; rows it lacks stay as they are."""
        if kind not in (KIND_INITIAL, KIND_IMPORT):
            raise ValueError(f"Okänd versionstyp för import: {kind!r}.")
        sha = file_sha256(file_bytes)
        with self._write():
            # Diffing inside the write lock: a concurrent import cannot slip in between.
            diff = self._incoming_diff(incoming)
            if diff.is_empty:
                self._drop_all_staging()
                message = NO_CHANGE_MESSAGE
                earlier = self._newest_version_with_sha(sha)
                if earlier is not None:
                    message += f" Samma fil importerades som version {earlier}."
                return ApplyResult(None, diff, message + _ignored_note(diff))
            version = self._insert_version(diff, user=user, kind=kind, file_name=file_name, sha=sha, note=note)
            if file_bytes is not None:
                self._conn.execute(
                    "INSERT INTO files (version, file_name, content) VALUES (?, ?, ?)",
                    (version, file_name, sqlite3.Binary(file_bytes)),
                )
            for table in TABLES:
                self._write_table(table, version)
            self._drop_all_staging()
        self._update_snapshot(version, diff)
        message = (
            f"Version {version} skapad: {format_count(diff.n_new)} nya, {format_count(diff.n_changed)} ändrade, "
            f"{format_count(diff.n_unchanged)} oförändrade värden."
        )
        return ApplyResult(version, diff, message + _ignored_note(diff))

    def rollback(self, version: int, *, user: str) -> ApplyResult:
        """Write a new version whose state equals the state right after `version`; history is kept."""
        with self._write():
            self._require_version(version)
            diff = self._rollback_diff(version)
            if diff.is_empty:
                self._drop_all_staging()
                message = f"Nuvarande data är redan desamma som i version {version} – ingen ny version skapades."
                return ApplyResult(None, diff, message)
            new_version = self._insert_version(
                diff, user=user, kind=KIND_ROLLBACK, file_name="", sha="", note="", rollback_of=version
            )
            for table in TABLES:
                self._write_table(table, new_version)
            self._drop_all_staging()
        message = (
            f"Version {new_version} skapad: återställning till version {version} – "
            f"{format_count(diff.n_new)} nya, {format_count(diff.n_changed)} ändrade, "
            f"{format_count(diff.n_removed)} borttagna värden."
        )
        return ApplyResult(new_version, diff, message)

    def _newest_version_with_sha(self, sha: str) -> int | None:
        """version_for_sha256 inside an already open transaction."""
        if not sha:
            return None
        return self._conn.execute("SELECT max(version) FROM versions WHERE sha256 = ?", (sha,)).fetchone()[0]

    def _insert_version(
        self, diff: Diff, *, user: str, kind: str, file_name: str, sha: str, note: str, rollback_of: int | None = None
    ) -> int:
        """Insert a versions row for a diff and return its id."""
        cur = self._conn.execute(
            'INSERT INTO versions (created_at, "user", kind, file_name, sha256, n_new, n_changed, n_unchanged, '
            "n_removed, rollback_of, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _now(),
                user,
                kind,
                file_name,
                sha,
                diff.n_new,
                diff.n_changed,
                diff.n_unchanged,
                diff.n_removed,
                rollback_of,
                note,
            ),
        )
        return int(cur.lastrowid)

    def _write_table(self, table: str, version: int) -> None:
        """Close a table's changed and removed rows and insert its new and changed rows as `version`."""
        staging, hist = _staging(table), _hist(table)
        # Close before inserting: the unique index allows only one current row per key.
        self._conn.execute(
            f"UPDATE {hist} SET valid_to = ? WHERE row_id IN "
            f"(SELECT _cur FROM {staging} WHERE _status = ? UNION ALL SELECT row_id FROM {_gone(table)})",
            (version, _CHANGED),
        )
        self._conn.execute(
            f"INSERT INTO {hist} ({_cols(table)}, valid_from) SELECT {_cols(table)}, ? FROM {staging} "
            "WHERE _status IN (?, ?) ORDER BY _pos",
            (version, _NEW, _CHANGED),
        )

    def _drop_all_staging(self) -> None:
        """Drop every table's temporary tables."""
        for table in TABLES:
            self._drop_staging(table)


def _ignored_note(diff: Diff) -> str:
    """A sentence about blank incoming values that did not erase stored ones ('' when there were none)."""
    n = diff.n_ignored_missing
    if not n:
        return ""
    return f" {format_count(n)} tomma värden i filen skrev inte över sparade värden."
