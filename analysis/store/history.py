"""The embedded, versioned data store: every import and rollback is a version, nothing is ever deleted.

Each model table T has a history table `T_hist` with T's columns plus `valid_from` and
`valid_to` (NULL while the row is current). A row belongs to version v's state when
valid_from <= v and (valid_to IS NULL or valid_to > v). Imports add and update rows by
key and never close rows they do not hold; rollbacks write a new version whose state
equals an older one. The history itself is only ever appended to or closed, so every
state that has existed can be read back and restored.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import sqlite3
import struct
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from analysis.core.digest import sha256_hex
from analysis.core.formatting import format_count
from analysis.core.missing import is_missing
from analysis.core.model import (
    INT_COLUMNS,
    NUMERIC_COLUMNS,
    OBSERVATION_KEY,
    TABLE_COLUMNS,
    TABLE_KEYS,
    TABLES,
    Dataset,
    conform,
    empty_frame,
)
from analysis.core.settings import db_read_only, is_database_url, max_originals_bytes, snapshot_dir
from analysis.store.backends import (
    DB_ERRORS,
    PG_VERSION_GUARD_FUNCTIONS,
    PG_VERSIONS_KEPT,
    PG_VERSIONS_KEPT_TRIGGER,
    POSTGRES,
    SQLITE,
    WRITE_LOCK_KEY,
    Dialect,
    PostgresError,
    connect_postgres,
    display_target,
    pg_error_kind,
    pg_version_guard,
    target_key,
)

SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 30
REL_TOLERANCE = 1e-9

KIND_INITIAL = "initial"
KIND_IMPORT = "import"
KIND_ROLLBACK = "rollback"

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
# versions() adds whether the original file is still stored and, when it was pruned, when and by whom.
VERSION_FRAME_COLUMNS: tuple[str, ...] = (*VERSION_COLUMNS, "has_file", "file_pruned_at", "file_pruned_by")

# A blank cell in an import means "no figure in this file", not "the figure is gone", so it
# must never erase a value that is already stored.
KEEP_STORED_WHEN_MISSING: dict[str, str] = {"observations": "value"}


NO_CHANGE_MESSAGE = "Inga nya eller ändrade värden – ingen ny version skapades."

_NEW = "new"
_CHANGED = "changed"
_UNCHANGED = "unchanged"
_IGNORED = "ignored"

PRIVATE_FILE_MODE = 0o600  # the store, its -wal/-shm (SQLite copies the store's mode) and the snapshots
PRIVATE_DIR_MODE = 0o700
SNAPSHOT_HASH_TIMEOUT_SECONDS = 0.2  # recording a snapshot's hash never makes a reader wait for an import
PRUNE_HINT = "python -m analysis prune-originals --keep 5"


class StoreError(Exception):
    """A store operation that could not be carried out; the message (Swedish) says what happened and what to do."""


class ReadOnlyStoreError(StoreError):
    """A change was asked of a store that is open read-only."""


class OriginalsQuotaError(StoreError):
    """An import whose original file would take the stored originals over their limit."""


class StorageError(StoreError):
    """The disk was full or failed while writing; the transaction was rolled back, so nothing was written."""


# What the pages and the CLI catch around a change: the store's own errors and raw disk/database errors.
STORE_ERRORS: tuple[type[BaseException], ...] = (StoreError, *DB_ERRORS, OSError)

_DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of a sqlite3 error (None for other errors or when unknown)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def store_error_message(exc: BaseException) -> str:
    """A Swedish message for an error raised while changing the store: what happened, that nothing changed, what to do."""
    if isinstance(exc, StoreError):
        return str(exc)
    text = str(exc).lower()
    code = _sqlite_code(exc)
    pg = pg_error_kind(exc)
    if (
        (isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS)
        or code == sqlite3.SQLITE_FULL
        or pg == "full"
        or "disk is full" in text
    ):
        return (
            "Databasen kunde inte skrivas: disken på servern är full. Ingenting ändrades – data och historik är "
            "som förut. Frigör utrymme på servern (till exempel genom att ta bort äldre versioners originalfiler "
            f"med `{PRUNE_HINT}`) och försök igen."
        )
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or pg == "busy" or "locked" in text:
        return (
            "Databasen kunde inte skrivas: en annan import eller återställning pågår och blev inte klar i tid. "
            "Ingenting ändrades. Vänta en stund och försök igen."
        )
    if pg == "read_only":
        return (
            "Databasen kunde inte skrivas: databasservern tillåter inte ändringar för tjänstens konto (skrivskyddad "
            "anslutning eller saknad behörighet). Ingenting ändrades. Den som sköter databasen behöver ge kontot "
            "skrivrätt till databasens tabeller."
        )
    if pg == "unreachable":
        return (
            f"Databasservern kunde inte nås ({exc}). Ingenting ändrades – data och historik är som förut. Försök igen "
            "om en stund; kvarstår felet, be den som sköter servern kontrollera databasservern och SEGDASH_DB."
        )
    if code == sqlite3.SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return (
            "Databasen kunde inte skrivas: databasfilen är skrivskyddad för servern. Ingenting ändrades. Den som "
            "sköter servern behöver ge tjänstens konto skrivrätt till databasfilen och dess katalog."
        )
    return (
        f"Databasen kunde inte läsas eller skrivas (disk- eller filfel: {exc}). Ingenting ändrades – data och "
        "historik är som förut. Försök igen om en stund; kvarstår felet, be den som sköter servern kontrollera "
        "disken och databasfilen."
    )


@contextmanager
def _storage_errors() -> Iterator[None]:
    """Turn disk and database errors raised while changing the store into a StorageError with a Swedish message."""
    try:
        yield
    except (sqlite3.OperationalError, OSError) as exc:  # full disk, I/O error, locked too long, read-only file
        raise StorageError(store_error_message(exc)) from exc
    except PostgresError as exc:  # PostgreSQL: the same kinds by SQLSTATE; anything else is a bug, raised as it is
        if pg_error_kind(exc) is None:
            raise
        raise StorageError(store_error_message(exc)) from exc
    except sqlite3.DatabaseError as exc:
        if type(exc) is not sqlite3.DatabaseError:  # integrity and programming errors are bugs: raised as they are
            raise
        raise StorageError(store_error_message(exc)) from exc  # e.g. a damaged file


def format_mb(n: int) -> str:
    """A byte count in megabytes with one decimal and a decimal comma (12,5 MB)."""
    return f"{n / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def _create_private_file(path: Path) -> None:
    """Create an empty owner-only file unless it exists (before SQLite opens it, so -wal/-shm get the same mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def _read_only_uri(path: Path, *, immutable: bool) -> str:
    """The SQLite URI that opens a store file read-only (immutable: without the -wal/-shm files, nothing locked)."""
    return f"file:{quote(str(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")


def _file_not_writable(path: Path) -> bool:
    """True when an existing store file, or its directory (where -wal and -shm live), cannot be written."""
    return path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


# ---------------------------------------------------------------------------------------------
# Small helpers


def numbers_equal(a: float | int | None, b: float | int | None) -> bool:
    """True when both are missing, or both present and equal within a relative 1e-9."""
    a_missing, b_missing = is_missing(a), is_missing(b)
    if a_missing or b_missing:
        return a_missing and b_missing
    if a == b:
        return True
    return abs(a - b) <= REL_TOLERANCE * max(1.0, abs(a), abs(b))


def file_sha256(file_bytes: bytes | None) -> str:
    """The hex SHA-256 of a file's bytes; the empty string when there is no file."""
    return "" if file_bytes is None else sha256_hex(file_bytes)


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


def _column_ddl(table: str, column: str, d: Dialect) -> str:
    """The column definition of a model column in a history table."""
    kind = _column_kind(table, column)
    if kind == "int":
        return f"{_q(column)} INTEGER"
    if kind == "real":
        return f"{_q(column)} {d.real}"
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


def _key_match(table: str, left: str, right: str, d: Dialect) -> str:
    """SQL that is true when two aliases have the same key (NULL-safe: only integer columns can be NULL)."""
    return " AND ".join(
        d.key_equal(f"{left}.{_q(k)}", f"{right}.{_q(k)}", nullable=_column_kind(table, k) != "text")
        for k in TABLE_KEYS[table]
    )


def _value_columns(table: str) -> list[str]:
    """The non-key columns of a table."""
    keys = set(TABLE_KEYS[table])
    return [c for c in TABLE_COLUMNS[table] if c not in keys]


def _numbers_equal_sql(a: str, b: str, d: Dialect) -> str:
    """SQL for numbers_equal(a, b), kept in SQL because a Python callback per row is several times slower."""
    return (
        f"(coalesce({a} = {b}, {d.same(a, b)}) "
        f"OR coalesce(abs({a} - {b}) <= {REL_TOLERANCE!r} * {d.greatest}(1.0, abs({a}), abs({b})), {d.false}))"
    )


def _differs(table: str, new: str, old: str, d: Dialect) -> str:
    """SQL that is true when any non-key column of two aliases differs (floats with tolerance)."""
    terms = []
    for c in _value_columns(table):
        if _column_kind(table, c) == "real":
            terms.append(f"NOT {_numbers_equal_sql(f'{new}.{_q(c)}', f'{old}.{_q(c)}', d)}")
        else:
            terms.append(d.differ(f"{new}.{_q(c)}", f"{old}.{_q(c)}"))
    return " OR ".join(terms) if terms else d.false


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
    data = {
        n: pd.Categorical(["" if v is None else v for v in col]) if n in OBSERVATION_TEXT else col
        for n, col in zip(names, cols)
    }
    data["year"] = pd.array(np.asarray(data["year"], dtype="int64"), dtype="Int64")
    data["value"] = np.asarray([np.nan if v is None else v for v in data["value"]], dtype="float64")
    return pd.DataFrame(data)[names]


def _hash_value(h: hashlib._Hash, value: object) -> None:
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
    return datetime.now(UTC).isoformat(timespec="seconds")


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

    def count(self, table: str, kind: str) -> int:
        """How many rows of one table are of one kind ('new', 'changed', 'removed' or 'ignored_missing')."""
        t = self.tables.get(table)
        return 0 if t is None else len(getattr(t, kind))

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


@dataclass(frozen=True)
class PrunedOriginal:
    """A version's original file that was deleted to free space (its data and history stay)."""

    version: int
    file_name: str
    size: int
    sha256: str


# ---------------------------------------------------------------------------------------------
# The store


class Store:
    """A versioned store of a Dataset in SQLite or PostgreSQL; safe for several processes and threads at once."""

    def __init__(self, path: str | Path, *, read_only: bool | None = None) -> None:
        """Open or create the store and its schema (never adds data); read-only when the file cannot be written.

        `path` is an SQLite file (or ":memory:") or a PostgreSQL URL (postgresql://…). read_only=None decides from
        SEGDASH_DB_READ_ONLY and, for a file, whether the file (and its directory) is writable.
        """
        self.url: str | None = str(path).strip() if is_database_url(path) else None
        self.dialect: Dialect = POSTGRES if self.url else SQLITE
        self.location = display_target(self.url) if self.url else str(path)  # for messages: never a password
        self.path: Path | None = None if self.url else Path(path)
        self._memory = str(path) == ":memory:"
        # Short reads share one connection (Streamlit's script threads), so every use of it goes through the lock;
        # long operations (diff, apply, rollback, full reads) run on a short-lived connection of their own.
        self._lock = threading.RLock()
        self._local = threading.local()
        self._snapshot_hashes: dict[int, str] = {}  # hashes of the snapshots this process wrote
        self._memory_snapshots: dict[int, pd.DataFrame] = {}  # read-only stores keep their snapshots here
        self.max_originals_bytes: int | None = None  # None: from settings (SEGDASH_MAX_ORIGINALS_MB)
        self._on_connect: Callable[[sqlite3.Connection], None] | None = None  # test hook, run on each new connection
        if self.url:
            self._open_postgres(read_only)
            return
        if read_only is None:
            read_only = not self._memory and (db_read_only() or _file_not_writable(self.path))
        self.read_only = bool(read_only) and not self._memory
        self._immutable = False
        if self.read_only:
            self._open_read_only()
            return
        if not self._memory:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                _create_private_file(self.path)
            except OSError as exc:
                raise StoreError(
                    f"Databasen {self.path} kan inte skapas ({exc.strerror or exc}). Kontrollera sökvägen i "
                    "SEGDASH_DB och att tjänstens konto får skriva i katalogen."
                ) from exc
        try:
            self._shared = self._connect()
        except sqlite3.OperationalError as exc:
            self._fall_back_to_read_only(exc, read_only)
            return
        try:
            self._configure_new_file(self._shared)
            self._create_schema()
        except sqlite3.OperationalError as exc:
            self._shared.close()
            self._fall_back_to_read_only(exc, read_only)
        except BaseException:
            self._shared.close()
            raise

    def _open_postgres(self, read_only: bool | None) -> None:
        """Connect to the PostgreSQL database and create (or, read-only, check) the schema."""
        self.read_only = db_read_only() if read_only is None else bool(read_only)
        self._immutable = False
        try:
            self._shared = self._connect()
        except PostgresError as exc:
            raise StoreError(
                f"Databasservern {self.location} kunde inte nås ({str(exc).strip()}). Kontrollera adressen i "
                "SEGDASH_DB, att databasservern är igång och att tjänstens konto får logga in."
            ) from exc
        try:
            if self.read_only:
                self._check_schema_read_only()
            else:
                self._create_schema()
        except BaseException:
            self._shared.close()
            raise

    def _fall_back_to_read_only(self, exc: sqlite3.OperationalError, asked: bool | None) -> None:
        """Open read-only after the file turned out not to be writable (e.g. a read-only mount); else re-raise."""
        if (
            asked is False
            or _sqlite_code(exc) not in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN)
            or not self.path.exists()
        ):
            raise exc
        self.read_only = True
        self._open_read_only()

    def _open_read_only(self) -> None:
        """Open the file with SQLite's read-only URI (immutable when -shm cannot be made) and check its schema."""
        if not self.path.exists():
            raise StoreError(
                f"Databasen {self.path} finns inte och kan inte skapas, eftersom den öppnas skrivskyddad "
                "(SEGDASH_DB_READ_ONLY eller en skrivskyddad fil eller katalog). Ange rätt fil med SEGDASH_DB, eller "
                "starta en gång med skrivrätt så att databasen skapas."
            )
        last: sqlite3.Error | None = None
        for immutable in (False, True):
            self._immutable = immutable
            try:
                conn = self._connect()
            except sqlite3.Error as exc:
                last = exc
                continue
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a WAL store needs its -shm here
            except sqlite3.Error as exc:
                conn.close()
                last = exc
                continue
            self._shared = conn
            try:
                self._check_schema_read_only()
            except BaseException:
                conn.close()
                raise
            return
        raise StoreError(
            f"Databasen {self.path} kan inte öppnas för läsning ({last}). Kontrollera att filen finns och att "
            "tjänstens konto får läsa den."
        )

    def _connect(self, timeout: float = BUSY_TIMEOUT_SECONDS) -> sqlite3.Connection:
        """A new, configured connection to the store (read-only when the store is)."""
        if self.url:
            pg = connect_postgres(self.url, lock_timeout=timeout, read_only=self.read_only)
            try:
                if self._on_connect is not None:
                    self._on_connect(pg)
            except BaseException:
                pg.close()
                raise
            return pg  # type: ignore[return-value]  # PgConnection offers the part of sqlite3's API used here
        if self.read_only:
            target, uri = _read_only_uri(self.path, immutable=self._immutable), True
        else:
            target, uri = str(self.path), False
        conn = sqlite3.connect(target, isolation_level=None, timeout=timeout, check_same_thread=False, uri=uri)
        try:
            self._configure(conn, timeout)
            if self._on_connect is not None:
                self._on_connect(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    @property
    def _conn(self) -> sqlite3.Connection:
        """The connection this thread works on: its own during a long operation, otherwise the shared one."""
        own = getattr(self._local, "conn", None)
        return own if own is not None else self._shared

    def _revive_shared(self) -> None:
        """Replace the shared PostgreSQL connection when it was lost (server restart): the next run works again."""
        if self.url and getattr(self._local, "conn", None) is None and not self._shared.usable:  # type: ignore[attr-defined]
            self._shared = self._connect()

    def _guard(self) -> AbstractContextManager[object]:
        """The shared connection's lock, or nothing when this thread works on a connection of its own."""
        return nullcontext() if getattr(self._local, "conn", None) is not None else self._lock

    @contextmanager
    def _own_connection(self) -> Iterator[None]:
        """Run a long operation on a short-lived connection of its own, so short reads never wait for it.

        WAL lets this connection read, or write, while the shared one keeps reading. In-memory stores (one
        database per connection) and nested calls keep the connection they have.
        """
        if self._memory or getattr(self._local, "conn", None) is not None:
            yield
            return
        conn = self._connect()
        self._local.conn = conn
        try:
            yield
        finally:
            self._local.conn = None
            conn.close()

    def _require_writable(self, action: str) -> None:
        """Raise ReadOnlyStoreError (Swedish) when the store is open read-only."""
        if self.read_only:
            raise ReadOnlyStoreError(
                f"Databasen är skrivskyddad, så det går inte att {action} här. Ingenting ändrades. Ändringar görs "
                "där databasen är skrivbar (utan SEGDASH_DB_READ_ONLY och med skrivrätt till databasfilen och dess "
                "katalog)."
            )

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the shared connection (idempotent)."""
        with self._lock:
            self._shared.close()

    def __enter__(self) -> Store:
        """The store itself, closed again on leaving the block."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the store."""
        self.close()

    def _configure(self, c: sqlite3.Connection, timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        """Apply the connection settings that make writes durable and concurrent writers wait."""
        c.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        c.execute("PRAGMA synchronous = FULL")
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("PRAGMA temp_store = MEMORY")
        if self.read_only:
            c.execute("PRAGMA query_only = ON")

    def _configure_new_file(self, c: sqlite3.Connection) -> None:
        """Put the file in WAL mode (a property of the file, kept by every later connection)."""
        c.execute("PRAGMA journal_mode = WAL")

    def _schema_version(self) -> int:
        """The schema version the store was made with (0 when new): SQLite's user_version, or a meta row."""
        if self.dialect is SQLITE:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])
        if "meta" not in self._table_names():
            return 0
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return 0 if row is None else int(row[0])

    def _set_schema_version(self) -> None:
        """Record the schema version this program writes."""
        if self.dialect is SQLITE:
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            return
        self._conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._conn.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = "
            "excluded.value",
            (str(SCHEMA_VERSION),),
        )

    def _create_schema(self) -> None:
        """Create missing tables, indexes and model columns; refuse stores from a newer schema."""
        d = self.dialect
        with self._write():
            found = self._schema_version()
            if found > SCHEMA_VERSION:
                raise RuntimeError(
                    f"Databasen {self.location} har schemaversion {found}, men programmet kan bara läsa "
                    f"version {SCHEMA_VERSION}. Uppdatera programmet."
                )
            self._conn.execute(
                f"""CREATE TABLE IF NOT EXISTS versions (
                    version {d.version_id_column},
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
                f"""CREATE TABLE IF NOT EXISTS files (
                    version INTEGER PRIMARY KEY REFERENCES versions(version),
                    file_name TEXT NOT NULL DEFAULT '',
                    content {d.blob} NOT NULL
                )"""
            )
            # Original files deleted to free space: the history keeps saying they existed.
            self._conn.execute(
                """CREATE TABLE IF NOT EXISTS file_prunings (
                    version INTEGER PRIMARY KEY REFERENCES versions(version),
                    file_name TEXT NOT NULL DEFAULT '',
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL DEFAULT '',
                    pruned_at TEXT NOT NULL,
                    pruned_by TEXT NOT NULL DEFAULT ''
                )"""
            )
            # The SHA-256 of each observation snapshot file: a file whose bytes differ is not trusted. On PostgreSQL
            # every instance keeps its own cache files, so each hash an instance wrote is recorded.
            snapshot_key = "version INTEGER PRIMARY KEY" if d is SQLITE else "version INTEGER"
            snapshot_end = "" if d is SQLITE else ", PRIMARY KEY (version, sha256)"
            self._conn.execute(
                f"CREATE TABLE IF NOT EXISTS snapshots ({snapshot_key}, sha256 TEXT NOT NULL{snapshot_end})"
            )
            if d is POSTGRES:
                for statement in PG_VERSION_GUARD_FUNCTIONS:
                    self._conn.execute(statement)
                if PG_VERSIONS_KEPT_TRIGGER not in self._pg_triggers("versions"):
                    self._conn.execute(PG_VERSIONS_KEPT)
            for table in TABLES:
                self._create_history_table(table)
            self._set_schema_version()
            self._tables = self._table_names()

    def _table_names(self) -> frozenset[str]:
        """The names of the tables in the store."""
        if self.dialect is SQLITE:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        else:
            sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        return frozenset(r[0] for r in self._conn.execute(sql))

    def _pg_triggers(self, table: str) -> set[str]:
        """The names of a PostgreSQL table's own triggers."""
        rows = self._conn.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = ?::regclass AND NOT tgisinternal", (_q(table),)
        )
        return {r[0] for r in rows}

    def _pg_foreign_keys(self, table: str) -> set[str]:
        """The names of a PostgreSQL table's foreign keys."""
        rows = self._conn.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = ?::regclass AND contype = 'f'", (_q(table),)
        )
        return {r[0] for r in rows}

    def _column_names(self, table: str) -> set[str]:
        """The columns a stored table has."""
        if self.dialect is SQLITE:
            return {r[1] for r in self._conn.execute(f"PRAGMA table_info({_q(table)})")}
        rows = self._conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ?",
            (table,),
        )
        return {r[0] for r in rows}

    def _check_schema_read_only(self) -> None:
        """Check, creating nothing, that a read-only store has a schema this program can read."""
        found = self._schema_version()
        if found > SCHEMA_VERSION:
            raise RuntimeError(
                f"Databasen {self.location} har schemaversion {found}, men programmet kan bara läsa "
                f"version {SCHEMA_VERSION}. Uppdatera programmet."
            )
        self._tables = self._table_names()
        missing = sorted({"versions", "files", *(f"{t}_hist" for t in TABLES)} - self._tables)
        for table in TABLES:
            if f"{table}_hist" in self._tables:
                present = self._column_names(f"{table}_hist")
                missing += [f"{table}_hist.{c}" for c in TABLE_COLUMNS[table] if c not in present]
        if missing:
            raise StoreError(
                f"Databasen {self.location} är skrivskyddad och saknar {', '.join(missing)}: den har inte skapats eller "
                "uppgraderats av den här versionen av programmet. Öppna den en gång med skrivrätt (till exempel "
                "`python -m analysis versions --db …` som tjänstens konto) och starta sedan om."
            )

    def _create_history_table(self, table: str) -> None:
        """Create a table's history table and indexes, adding columns the model has gained since."""
        name = f"{table}_hist"
        # row_id is an explicit INTEGER PRIMARY KEY so VACUUM cannot renumber it: it orders rows.
        d = self.dialect
        columns = ",\n".join(_column_ddl(table, c, d) for c in TABLE_COLUMNS[table])
        self._conn.execute(
            f"""CREATE TABLE IF NOT EXISTS {_q(name)} (
                row_id {d.row_id_column},
                {columns},
                valid_from {d.bigint} NOT NULL{" REFERENCES versions(version)" if d is SQLITE else ""},
                valid_to {d.bigint}{" REFERENCES versions(version)" if d is SQLITE else ""},
                CHECK (valid_to IS NULL OR valid_to > valid_from)
            )"""
        )
        if d is POSTGRES:
            for statement in pg_version_guard(_q(name), self._pg_triggers(name), self._pg_foreign_keys(name)):
                self._conn.execute(statement)
        present = self._column_names(name)
        for c in TABLE_COLUMNS[table]:
            if c not in present:
                self._conn.execute(f"ALTER TABLE {_q(name)} ADD COLUMN {_column_ddl(table, c, d)}")
        # A store made when the table had another key (actions were keyed by id alone, now by id and plan) has its
        # indexes on the old columns: they are rebuilt on the new key, inside this schema transaction.
        self._drop_index_unless(name, name + "_key", [*TABLE_KEYS[table], "valid_to"], unique=False)
        self._drop_index_unless(name, name + "_current", list(TABLE_KEYS[table]), unique=True)
        keys = ", ".join(_q(k) for k in TABLE_KEYS[table])
        # On PostgreSQL no query on observations looks up old rows by key (reads go by version and row id, imports
        # by the current-row index), and keeping the index up to date was a sixth of an import's time.
        if d is POSTGRES and table == OBSERVATIONS:
            self._conn.execute(f"DROP INDEX IF EXISTS {_q(name + '_key')}")
        else:
            self._conn.execute(f"CREATE INDEX IF NOT EXISTS {_q(name + '_key')} ON {_q(name)} ({keys}, valid_to)")
        # At most one current row per key: a bug that tried to create a second one fails loudly.
        self._conn.execute(
            f"CREATE UNIQUE INDEX IF NOT EXISTS {_q(name + '_current')} ON {_q(name)} ({keys}) WHERE valid_to IS NULL"
        )

    def _drop_index_unless(self, table: str, index: str, columns: list[str], *, unique: bool) -> None:
        """Drop a table's existing index when its columns or uniqueness differ from these (so it is created anew)."""
        if self.dialect is SQLITE:
            listed = {r[1]: bool(r[2]) for r in self._conn.execute(f"PRAGMA index_list({_q(table)})")}
            if index not in listed:
                return
            found = [r[2] for r in self._conn.execute(f"PRAGMA index_info({_q(index)})")]
            is_unique = listed[index]
        else:
            row = self._conn.execute(
                "SELECT i.indisunique, array_agg(a.attname::text ORDER BY k.ord) FROM pg_index AS i "
                "JOIN pg_class AS c ON c.oid = i.indexrelid "
                "JOIN unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) ON true "
                "JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                "WHERE c.relname = ? AND c.relnamespace = current_schema()::regnamespace GROUP BY i.indisunique",
                (index,),
            ).fetchone()
            if row is None:
                return
            is_unique, found = bool(row[0]), list(row[1])
        if found != columns or is_unique != unique:
            self._conn.execute(f"DROP INDEX {_q(index)}")

    # -- transactions ----------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction holding the database write lock; rolled back on any exception."""
        with self._guard():
            self._revive_shared()
            c = self._conn
            if self.dialect is SQLITE:
                c.execute("BEGIN IMMEDIATE")
            else:
                # READ COMMITTED: after the lock every statement sees what the previous writer committed.
                c.execute("BEGIN")
                try:
                    c.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK_KEY,))
                except BaseException:
                    c.execute("ROLLBACK")
                    raise
            try:
                yield c
                c.execute("COMMIT")
            except BaseException:
                if c.in_transaction:
                    c.execute("ROLLBACK")
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: one consistent snapshot, always rolled back (drops staging tables too)."""
        with self._guard():
            self._revive_shared()
            c = self._conn
            c.execute("BEGIN" if self.dialect is SQLITE else "BEGIN ISOLATION LEVEL REPEATABLE READ")
            try:
                yield c
            finally:
                if c.in_transaction:
                    c.execute("ROLLBACK")

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        """The rows of one read statement. On PostgreSQL a single statement is its own consistent snapshot, so it
        runs without BEGIN and ROLLBACK: one round trip instead of three (every page run asks for the version)."""
        if self.dialect is SQLITE:
            with self._read() as c:
                return c.execute(sql, params).fetchall()
        with self._guard():
            self._revive_shared()
            return self._conn.execute(sql, params).fetchall()

    # -- reading ---------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """True when no version has been written yet."""
        return self.current_version() is None

    def current_version(self) -> int | None:
        """The id of the newest version, or None when the store is empty."""
        return self._rows("SELECT max(version) FROM versions")[0][0]

    def current(self) -> Dataset:
        """The current state of every table."""
        with self._own_connection(), self._read() as c:
            version = c.execute("SELECT max(version) FROM versions").fetchone()[0]
            return self._dataset(version)

    def dataset_at(self, version: int) -> Dataset:
        """The state of every table as it was right after `version`."""
        with self._own_connection(), self._read():
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
        if self.url:  # every instance keeps its own cache, in a folder named after the database
            return snapshot_dir() / target_key(self.url) / f"observations-v{version}.parquet"
        if self._memory or self.path is None:
            return None
        return self.path.with_name(f"{self.path.name}.snapshots") / f"observations-v{version}.parquet"

    def _snapshot_hashes_for(self, version: int) -> set[str]:
        """The SHA-256 a version's snapshot file may have: as recorded in SQLite, or as written by this process."""
        known = {self._snapshot_hashes.get(version)}
        if "snapshots" in self._tables:
            rows = self._conn.execute("SELECT sha256 FROM snapshots WHERE version = ?", (version,)).fetchall()
            known.update(r[0] for r in rows)
        return {h for h in known if h}

    def _load_snapshot(self, version: int) -> pd.DataFrame | None:
        """A version's observations from its snapshot, or None when there is none whose bytes match its hash."""
        if self.read_only and version in self._memory_snapshots:
            return self._memory_snapshots[version].copy(deep=False)
        path = self._snapshot_file(version)
        if path is None or not path.exists():
            return None
        expected = self._snapshot_hashes_for(version)
        if not expected:  # no recorded hash: not trusted, rebuilt from SQLite
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if sha256_hex(data) not in expected:  # tampered with or truncated: rebuilt from SQLite
            return None
        try:
            frame = pd.read_parquet(io.BytesIO(data))
        except Exception:  # a damaged cache file is ignored and rebuilt from SQLite
            return None
        if list(frame.columns) != list(TABLE_COLUMNS[OBSERVATIONS]):
            return None
        return observation_dtypes(frame)

    def _save_snapshot(self, version: int, frame: pd.DataFrame) -> None:
        """Write a version's snapshot atomically (owner-only, hash recorded); a failure only costs speed.

        A read-only store never writes next to its file: it keeps the newest snapshots in memory instead.
        """
        if self.read_only:
            self._memory_snapshots[version] = frame
            for old in sorted(self._memory_snapshots)[:-SNAPSHOTS_KEPT]:
                self._memory_snapshots.pop(old, None)
            return
        path = self._snapshot_file(version)
        if path is None:
            return
        try:
            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=False)
            data = buffer.getvalue()
            digest = sha256_hex(data)
            if not path.parent.exists():
                path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
                os.chmod(path.parent, PRIVATE_DIR_MODE)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            self._snapshot_hashes[version] = digest
            os.replace(tmp, path)
            self._record_snapshot_hash(version, digest)
            for old in sorted(path.parent.glob("observations-v*.parquet"), key=lambda p: p.stat().st_mtime)[
                :-SNAPSHOTS_KEPT
            ]:
                old.unlink(missing_ok=True)
        except OSError:
            pass

    def _record_snapshot_hash(self, version: int, digest: str) -> None:
        """Record a snapshot's hash on a connection of its own (the caller may be inside a read transaction).

        Best effort with a short timeout: when an import holds the write lock, only this process trusts the file.
        """
        try:
            conn = self._connect(timeout=SNAPSHOT_HASH_TIMEOUT_SECONDS)
        except DB_ERRORS:
            return
        sql = (
            "INSERT OR REPLACE INTO snapshots (version, sha256) VALUES (?, ?)"
            if self.dialect is SQLITE
            else "INSERT INTO snapshots (version, sha256) VALUES (?, ?) ON CONFLICT DO NOTHING"
        )
        try:
            conn.execute(sql, (version, digest))
        except DB_ERRORS:
            pass
        finally:
            conn.close()

    def _observations_at(self, version: int | None) -> pd.DataFrame:
        """The observations current at a version: from the snapshot, else from SQLite (and snapshotted)."""
        if version is None:
            return observation_dtypes(empty_frame(OBSERVATIONS))
        frame = self._load_snapshot(version)
        if frame is not None:
            return frame
        frame = self._observations_from_earlier_snapshot(version)
        if frame is None:
            where, params = "valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)", (version, version)
            rows = self._conn.execute(
                f"SELECT {_cols(OBSERVATIONS)} FROM {_hist(OBSERVATIONS)} WHERE {where} ORDER BY row_id", params
            ).fetchall()
            frame = observations_from_rows(rows)
        self._save_snapshot(version, frame)
        return frame

    def _observations_from_earlier_snapshot(self, version: int) -> pd.DataFrame | None:
        """The observations at `version` from this instance's newest earlier snapshot and the rows changed since.

        Another instance (or process) imported the versions in between: reading only what they wrote and closed
        takes a fraction of reading every row (seconds at national scale). Rows get increasing ids, so the kept
        rows followed by the added ones in id order are in the order a full read gives. None when there is no
        earlier snapshot here.
        """
        earlier = None
        for candidate in self._snapshot_versions_before(version):
            earlier = self._load_snapshot(candidate)
            if earlier is not None:
                break
        if earlier is None:
            return None
        hist, cols = _hist(OBSERVATIONS), _cols(OBSERVATIONS)
        closed = self._conn.execute(
            f"SELECT {cols} FROM {hist} WHERE valid_from <= ? AND valid_to > ? AND valid_to <= ?",
            (candidate, candidate, version),
        ).fetchall()
        added = self._conn.execute(
            f"SELECT {cols} FROM {hist} WHERE valid_from > ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) "
            "ORDER BY row_id",
            (candidate, version, version),
        ).fetchall()
        kept = _without_keys(earlier, observations_from_rows(closed)) if closed else earlier
        return _appended(kept, observations_from_rows(added))

    def _snapshot_versions_before(self, version: int) -> list[int]:
        """Versions below `version` that have a snapshot file or an in-memory snapshot here, newest first."""
        found = {v for v in self._memory_snapshots if v < version}
        path = self._snapshot_file(version)
        if path is not None and path.parent.is_dir():
            for f in path.parent.glob("observations-v*.parquet"):
                number = f.stem.removeprefix("observations-v")
                if number.isdigit() and int(number) < version:
                    found.add(int(number))
        return sorted(found, reverse=True)

    def _update_snapshot(self, version: int, diff: Diff) -> None:
        """Derive a new version's snapshot from the previous one and the applied diff (when that one exists)."""
        previous = self._load_snapshot(version - 1)
        if previous is None:
            with self._read():
                self._observations_at(version)  # builds it from SQLite
            return
        d = diff.tables[OBSERVATIONS]
        incoming = (
            pd.concat([f for f in (d.changed, d.new) if len(f)], ignore_index=True)
            if (len(d.changed) or len(d.new))
            else empty_frame(OBSERVATIONS)
        )
        incoming = incoming[list(TABLE_COLUMNS[OBSERVATIONS])]
        if d.written_positions is not None and len(d.written_positions) == len(incoming):
            # The rows SQLite gives back (ORDER BY row_id) come in the order they were written: keep that order,
            # so a version reads the same with or without its snapshot.
            incoming = incoming.iloc[np.argsort(d.written_positions, kind="stable")]
        if len(d.changed):
            previous = _without_keys(previous, d.changed)
        self._save_snapshot(version, _appended(previous, incoming))

    def versions(self) -> pd.DataFrame:
        """All versions, newest first, with whether the original file is still stored or was pruned (when, by whom)."""
        pruned = (
            (
                "LEFT JOIN file_prunings AS p ON p.version = v.version",
                "coalesce(p.pruned_at, ''), coalesce(p.pruned_by, '')",
            )
            if "file_prunings" in self._tables
            else ("", "'', ''")
        )
        rows = self._rows(
            f"SELECT {', '.join('v.' + _q(col) for col in VERSION_COLUMNS)}, f.version IS NOT NULL, {pruned[1]} "
            f"FROM versions AS v LEFT JOIN files AS f ON f.version = v.version {pruned[0]} "
            "ORDER BY v.version DESC"
        )
        frame = pd.DataFrame.from_records(rows, columns=list(VERSION_FRAME_COLUMNS))
        for col in ("version", "n_new", "n_changed", "n_unchanged", "n_removed"):
            frame[col] = frame[col].astype("int64")
        frame["rollback_of"] = pd.to_numeric(frame["rollback_of"]).astype("Int64")
        frame["has_file"] = frame["has_file"].astype(bool)
        return frame

    def original_file(self, version: int) -> tuple[str, bytes] | None:
        """The name and exact bytes of the file imported as `version`, or None if it had none or it was pruned."""
        rows = self._rows("SELECT file_name, content FROM files WHERE version = ?", (version,))
        return None if not rows else (str(rows[0][0]), bytes(rows[0][1]))

    def originals_size(self) -> int:
        """The bytes all stored original files take together."""
        return int(self._rows("SELECT coalesce(sum(length(content)), 0) FROM files")[0][0])

    def prune_originals(self, *, user: str, keep: int | None = None, before: int | None = None) -> list[PrunedOriginal]:
        """Delete the original files of older versions (keep the newest `keep`, or those from `before` on); data and
        history stay, and each deletion is recorded (version, file, size, SHA-256, when, by whom)."""
        if (keep is None) == (before is None) or (keep is not None and keep < 0):
            raise ValueError(
                "Ange antingen hur många av de nyaste originalfilerna som ska sparas (--keep N, N ≥ 0) "
                "eller från vilken version de sparas (--before VERSION)."
            )
        self._require_writable("ta bort originalfiler")
        with _storage_errors(), self._own_connection(), self._write() as c:
            rows = c.execute(
                "SELECT f.version, f.file_name, length(f.content), v.sha256 FROM files AS f "
                "JOIN versions AS v ON v.version = f.version ORDER BY f.version DESC"
            ).fetchall()
            doomed = rows[keep:] if keep is not None else [r for r in rows if r[0] < before]
            now = _now()
            for version, name, size, sha in doomed:
                c.execute(
                    "INSERT INTO file_prunings (version, file_name, size, sha256, pruned_at, pruned_by) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (version, name, size, sha, now, user),
                )
                c.execute("DELETE FROM files WHERE version = ?", (version,))
        return [PrunedOriginal(int(v), str(n), int(size), str(sha)) for v, n, size, sha in sorted(doomed)]

    def version_for_sha256(self, sha256: str) -> int | None:
        """The newest version whose imported file had this SHA-256, or None."""
        with self._read():
            return self._newest_version_with_sha(sha256)

    def checksum(self) -> str:
        """SHA-256 over every row of every table (history, versions, files, prunings), in a fixed order.

        The snapshot hashes are left out: they describe derived files that a read may rebuild.
        """
        h = hashlib.sha256()
        with self._own_connection(), self._read() as c:
            queries = [
                (f"{t}_hist", f"SELECT row_id, {_cols(t)}, valid_from, valid_to FROM {_hist(t)} ORDER BY row_id")
                for t in TABLES
            ]
            queries.append(
                ("versions", f"SELECT {', '.join(_q(v) for v in VERSION_COLUMNS)} FROM versions ORDER BY version")
            )
            queries.append(("files", "SELECT version, file_name, content FROM files ORDER BY version"))
            if "file_prunings" in self._tables:
                queries.append(("file_prunings", "SELECT * FROM file_prunings ORDER BY version"))
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
            f"ORDER BY (SELECT min(f.row_id) FROM {_hist(table)} AS f WHERE {_key_match(table, 'f', 'h', self.dialect)}), "
            "h.row_id"
        )
        return _frame(table, self._conn.execute(sql, params).fetchall())

    # -- comparing -------------------------------------------------------------------------

    def diff(self, incoming: Dataset) -> Diff:
        """What apply(incoming) would do now; writes nothing (on a connection of its own: nobody waits for it)."""
        with self._own_connection(), self._read():
            return self._incoming_diff(incoming)

    def rollback_diff(self, version: int) -> Diff:
        """What rollback(version) would change now; writes nothing (on a connection of its own)."""
        with self._own_connection(), self._read():
            self._require_version(version)
            return self._rollback_diff(version)

    def _incoming_diff(self, incoming: Dataset) -> Diff:
        """Stage an incoming dataset and classify its rows against the current state."""
        tables = {}
        for table in TABLES:
            self._create_staging(table)
            frame = _conformed(table, incoming.table(table))
            if len(frame):
                rows = zip(range(len(frame)), *_sql_columns(table, frame))
                if self.dialect is SQLITE:
                    placeholders = ", ".join("?" for _ in range(len(TABLE_COLUMNS[table]) + 1))
                    self._conn.executemany(
                        f"INSERT INTO {_staging(table)} (_pos, {_cols(table)}) VALUES ({placeholders})", rows
                    )
                else:
                    columns = ["_pos", *(_q(c) for c in TABLE_COLUMNS[table])]
                    self._conn.copy_rows(_staging(table), columns, rows)  # type: ignore[attr-defined]
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
                f"(SELECT 1 FROM {_staging(table)} AS i WHERE {_key_match(table, 'i', 'h', self.dialect)})"
            )
            tables[table] = self._table_diff(table, None)
        return Diff(tables)

    def _create_staging(self, table: str) -> None:
        """(Re)create the empty temporary tables used to compare rows with a table."""
        d = self.dialect
        staging, gone = _staging(table), _gone(table)
        self._drop_staging(table)
        columns = ", ".join(_column_ddl(table, c, d) for c in TABLE_COLUMNS[table])
        # _pos is the row's position in the incoming frame, so diff frames can be cut from it.
        self._conn.execute(
            f"CREATE TEMP TABLE {staging} (_pos {d.row_id_column}, {columns}, _cur {d.bigint}, _status TEXT)"
        )
        self._conn.execute(f"CREATE TEMP TABLE {gone} (row_id {d.bigint} PRIMARY KEY)")

    def _index_staging(self, table: str) -> None:
        """Index the filled staging table by key (built after the bulk insert: faster than during)."""
        if self.dialect is POSTGRES:
            # Statistics only (autovacuum never analyses temporary tables): _classify_by_join rebuilds the table and
            # indexes it when a rollback needs the index.
            self._conn.execute(f"ANALYZE {_staging(table)}")
            return
        self._key_index_staging(table)

    def _key_index_staging(self, table: str) -> None:
        """The staging table's index on the table's key."""
        keys = ", ".join(_q(k) for k in TABLE_KEYS[table])
        prefix = "temp." if self.dialect is SQLITE else ""  # PostgreSQL puts a temporary table's index beside it
        self._conn.execute(f"CREATE INDEX {prefix}{_q(f'_in_{table}_key')} ON {_staging(table)} ({keys})")

    def _drop_staging(self, table: str) -> None:
        """Drop a table's temporary tables."""
        schema = self.dialect.temp_schema
        self._conn.execute(f"DROP TABLE IF EXISTS {schema}.{_staging(table)}")
        self._conn.execute(f"DROP TABLE IF EXISTS {schema}.{_gone(table)}")

    def _reject_duplicates(self, table: str) -> None:
        """Raise ValueError when the staged rows hold a key more than once (which row would win?)."""
        keys = ", ".join(_q(k) for k in TABLE_KEYS[table])
        n = self._conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {_staging(table)} GROUP BY {keys} HAVING count(*) > 1) AS d"
        ).fetchone()[0]
        if n:
            raise ValueError(
                f"Tabellen {table} har {format_count(n)} nycklar ({', '.join(TABLE_KEYS[table])}) som "
                "förekommer mer än en gång – ingenting importerades."
            )

    def _classify(self, table: str, *, keep_stored_when_missing: bool) -> None:
        """Link each staged row to the current row with its key and mark it new/changed/unchanged/ignored."""
        d = self.dialect
        staging, hist = _staging(table), _hist(table)
        guarded = KEEP_STORED_WHEN_MISSING.get(table) if keep_stored_when_missing else None
        if d is POSTGRES:
            self._classify_by_join(table, guarded, index=not keep_stored_when_missing)
            return
        match = _key_match(table, "h", staging, d)
        self._conn.execute(
            f"UPDATE {staging} SET _cur = (SELECT h.row_id FROM {hist} AS h WHERE h.valid_to IS NULL AND {match})"
        )
        self._conn.execute(f"UPDATE {staging} SET _status = '{_NEW}' WHERE _cur IS NULL")
        ignore = f"{staging}.{_q(guarded)} IS NULL AND h.{_q(guarded)} IS NOT NULL" if guarded else d.false
        self._conn.execute(
            f"UPDATE {staging} SET _status = CASE WHEN {ignore} THEN '{_IGNORED}' "
            f"WHEN {_differs(table, staging, 'h', d)} THEN '{_CHANGED}' ELSE '{_UNCHANGED}' END "
            f"FROM {hist} AS h WHERE h.row_id = {staging}._cur"
        )

    def _classify_by_join(self, table: str, guarded: str | None, *, index: bool) -> None:
        """_classify on PostgreSQL: the staging table rebuilt with _cur and _status by one join.

        Updating every staged row twice rewrote it twice (PostgreSQL keeps old row versions): at 100 000 rows that
        took longer than the join itself. `index`: a rollback then looks staged rows up by key.
        """
        d = self.dialect
        staging, hist, classified = _staging(table), _hist(table), _q(f"_cls_{table}")
        ignore = f"s.{_q(guarded)} IS NULL AND h.{_q(guarded)} IS NOT NULL" if guarded else d.false
        self._conn.execute(
            f"CREATE TEMP TABLE {classified} AS SELECT s._pos, {_cols(table, 's')}, h.row_id AS _cur, "
            f"CASE WHEN h.row_id IS NULL THEN '{_NEW}' WHEN {ignore} THEN '{_IGNORED}' "
            f"WHEN {_differs(table, 's', 'h', d)} THEN '{_CHANGED}' ELSE '{_UNCHANGED}' END AS _status "
            f"FROM {staging} AS s LEFT JOIN {hist} AS h ON h.valid_to IS NULL AND {_key_match(table, 'h', 's', d)}"
        )
        self._conn.execute(f"DROP TABLE {staging}")
        self._conn.execute(f"ALTER TABLE {classified} RENAME TO {staging}")
        if index:
            self._key_index_staging(table)
        self._conn.execute(f"ANALYZE {staging}")

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
        self._require_writable("importera")
        sha = file_sha256(file_bytes)
        # On a connection of its own: the diff runs inside the write transaction, and short reads must not wait.
        with self._own_connection():
            with _storage_errors(), self._write():
                # Diffing inside the write lock: a concurrent import cannot slip in between.
                diff = self._incoming_diff(incoming)
                if diff.is_empty:
                    self._drop_all_staging()
                    message = NO_CHANGE_MESSAGE
                    earlier = self._newest_version_with_sha(sha)
                    if earlier is not None:
                        message += f" Samma fil importerades som version {earlier}."
                    return ApplyResult(None, diff, message + _ignored_note(diff))
                if file_bytes is not None:
                    self._check_originals_quota(len(file_bytes))
                version = self._insert_version(diff, user=user, kind=kind, file_name=file_name, sha=sha, note=note)
                if file_bytes is not None:
                    self._conn.execute(
                        "INSERT INTO files (version, file_name, content) VALUES (?, ?, ?)",
                        (version, file_name, bytes(file_bytes)),
                    )
                for table in TABLES:
                    self._write_table(table, version)
                self._drop_all_staging()
            try:
                self._update_snapshot(version, diff)
            except (*DB_ERRORS, OSError):  # the version is committed; a snapshot is only a cache, rebuilt on read
                pass
        message = (
            f"Version {version} skapad: {format_count(diff.n_new)} nya, {format_count(diff.n_changed)} ändrade, "
            f"{format_count(diff.n_unchanged)} oförändrade värden."
        )
        return ApplyResult(version, diff, message + _ignored_note(diff))

    def rollback(self, version: int, *, user: str) -> ApplyResult:
        """Write a new version whose state equals the state right after `version`; history is kept."""
        self._require_writable("återställa en version")
        with _storage_errors(), self._own_connection(), self._write():
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

    def _check_originals_quota(self, size: int) -> None:
        """Raise OriginalsQuotaError (Swedish) when one more original of `size` bytes would exceed the limit."""
        limit = self.max_originals_bytes if self.max_originals_bytes is not None else max_originals_bytes()
        stored = int(self._conn.execute("SELECT coalesce(sum(length(content)), 0) FROM files").fetchone()[0])
        if stored + size > limit:
            raise OriginalsQuotaError(
                f"Importen stoppades: originalfilerna som sparas med varje version skulle ta {format_mb(stored + size)}"
                f" (sparade {format_mb(stored)} + den här filen {format_mb(size)}), men gränsen är "
                f"{format_mb(limit)} (SEGDASH_MAX_ORIGINALS_MB). Ingenting importerades. Frigör utrymme genom att "
                f"ta bort äldre versioners originalfiler på servern med `{PRUNE_HINT}` (data och historik finns "
                "kvar), eller be den som sköter servern höja gränsen."
            )

    def _newest_version_with_sha(self, sha: str) -> int | None:
        """version_for_sha256 inside an already open transaction."""
        if not sha:
            return None
        return self._conn.execute("SELECT max(version) FROM versions WHERE sha256 = ?", (sha,)).fetchone()[0]

    def _insert_version(
        self, diff: Diff, *, user: str, kind: str, file_name: str, sha: str, note: str, rollback_of: int | None = None
    ) -> int:
        """Insert a versions row for a diff and return its id."""
        # Numbered here, under the write lock, rather than by a sequence: a PostgreSQL sequence is not rolled back,
        # so a failed import would leave a gap in the version numbers users see.
        cur = self._conn.execute(
            'INSERT INTO versions (version, created_at, "user", kind, file_name, sha256, n_new, n_changed, '
            "n_unchanged, n_removed, rollback_of, note) VALUES ((SELECT coalesce(max(version), 0) + 1 FROM versions), "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING version",
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
        return int(cur.fetchone()[0])

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


def _without_keys(observations: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """The observations whose key (area, indicator, year, sex) is not among the keys of another frame.

    Each key becomes one integer from the observations' category codes and the year, so millions of rows are
    compared as numbers (building tuples of strings for them took seconds at national scale).
    """
    if not len(keys) or not len(observations):
        return observations
    text = ("area", "indicator", "sex")
    years = observations["year"]
    if years.isna().any() or keys["year"].isna().any():
        return _without_keys_by_tuples(observations, keys)
    present_years = years.to_numpy(dtype="int64")
    doomed_years = keys["year"].astype("int64").to_numpy()
    low = int(min(present_years.min(), doomed_years.min()))
    span = int(max(present_years.max(), doomed_years.max())) - low + 1
    present = np.zeros(len(observations), dtype="int64")
    doomed = np.zeros(len(keys), dtype="int64")
    known = np.ones(len(keys), dtype=bool)
    size = span
    for c in text:
        column = observations[c]
        if not isinstance(column.dtype, pd.CategoricalDtype):
            return _without_keys_by_tuples(observations, keys)
        categories = column.cat.categories
        size *= max(1, len(categories))
        if size >= 2**62:  # the combined number would not fit: compare tuples instead
            return _without_keys_by_tuples(observations, keys)
        codes = categories.get_indexer(keys[c].astype(object).to_numpy()).astype("int64")
        known &= codes >= 0  # a key whose text the observations never had cannot match
        present = present * len(categories) + column.cat.codes.to_numpy(dtype="int64")
        doomed = doomed * len(categories) + codes
    present = present * span + (present_years - low)
    doomed = doomed * span + (doomed_years - low)
    return observations[~np.isin(present, doomed[known])]


def _without_keys_by_tuples(observations: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """_without_keys by comparing key tuples (for frames without categories or with missing years)."""
    key = list(OBSERVATION_KEY)
    doomed = pd.MultiIndex.from_frame(keys[key].astype(object))
    present = pd.MultiIndex.from_frame(observations[key].astype(object))
    return observations[~present.isin(doomed)]


def _appended(kept: pd.DataFrame, added: pd.DataFrame) -> pd.DataFrame:
    """Observations `kept` followed by `added`, with the dtypes and sorted categories a full read gives.

    The text columns are joined as categories (no detour through millions of Python strings) and lose the
    categories no row uses any more, as a snapshot read afresh would not have them.
    """
    added = observation_dtypes(added[list(TABLE_COLUMNS[OBSERVATIONS])])
    if not all(isinstance(kept[c].dtype, pd.CategoricalDtype) for c in OBSERVATION_TEXT):
        kept = observation_dtypes(kept)
    if not len(added) and not len(kept):
        return observation_dtypes(empty_frame(OBSERVATIONS))  # as a read of no rows gives it
    if not len(added) or not len(kept):
        out = observation_dtypes(added if len(added) else kept)
        for c in OBSERVATION_TEXT:
            out[c] = out[c].cat.remove_unused_categories()
        return out
    data = {}
    for c in TABLE_COLUMNS[OBSERVATIONS]:
        if c in OBSERVATION_TEXT:
            parts = [_inferred_categories(frame[c].array) for frame in (kept, added)]
            data[c] = union_categoricals(parts, sort_categories=True).remove_unused_categories()
        else:
            data[c] = pd.concat([kept[c], added[c]], ignore_index=True).array
    return pd.DataFrame(data)


def _inferred_categories(values: pd.Categorical) -> pd.Categorical:
    """The same categorical with its categories' dtype inferred from the strings (a snapshot file may say object)."""
    categories = pd.Index(np.asarray(values.categories, dtype=object).tolist())
    return pd.Categorical.from_codes(values.codes, categories=categories)


def _ignored_note(diff: Diff) -> str:
    """A sentence about blank incoming values that did not erase stored ones ('' when there were none)."""
    n = diff.n_ignored_missing
    if not n:
        return ""
    return f" {format_count(n)} tomma värden i filen skrev inte över sparade värden."
