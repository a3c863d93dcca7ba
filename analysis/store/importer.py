"""The one import path: read and check a file, preview its effect, store it as a version.

The data page, the CLI and the first-start seeding all go through these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis.core.model import Dataset
from analysis.core.settings import default_workbook, store_path, store_target
from analysis.ingest.isolated import read_isolated
from analysis.ingest.problems import Problem, has_errors
from analysis.ingest.validate import ReadOptions, ReadResult, with_sources
from analysis.store.history import ApplyResult, Diff, Store

SYSTEM_USER = "system"


def read_upload(data: bytes, file_name: str, known: Dataset, options: ReadOptions | None = None) -> ReadResult:
    """The checked dataset in an uploaded file, parsed in a child process under hard limits (never raises for bad input)."""
    return with_sources(read_isolated(data, file_name, known, options), known.observations, file_name, options)


@dataclass
class ImportOutcome:
    """What happened to an upload: the read result and, when stored, the new version."""

    read: ReadResult
    result: ApplyResult | None = None

    @property
    def problems(self) -> list[Problem]:
        """Every problem found in the file."""
        return self.read.problems

    @property
    def ok(self) -> bool:
        """True when the file had no errors (whether or not anything changed)."""
        return self.read.ok

    @property
    def version(self) -> int | None:
        """The version the import created, None when nothing was stored."""
        return self.result.version if self.result else None


def preview_upload(
    store: Store, data: bytes, file_name: str, options: ReadOptions | None = None
) -> tuple[ReadResult, Diff | None]:
    """The read result and what importing it would change, without writing anything."""
    read = read_upload(data, file_name, store.current(), options)
    if not read.ok:
        return read, None
    return read, store.diff(read.dataset)


def import_upload(
    store: Store, data: bytes, file_name: str, user: str, options: ReadOptions | None = None, kind: str = "import"
) -> ImportOutcome:
    """Read, check and store a file as a new version; nothing is stored when it has errors."""
    return import_read(store, read_upload(data, file_name, store.current(), options), data, file_name, user, kind)


def import_read(
    store: Store, read: ReadResult, data: bytes, file_name: str, user: str, kind: str = "import"
) -> ImportOutcome:
    """Store an already read and checked file (e.g. the one just previewed) as a new version, unless it has errors."""
    if not read.ok or has_errors(read.problems):
        return ImportOutcome(read)
    result = store.apply(read.dataset, user=user, file_name=file_name, file_bytes=data, kind=kind)
    return ImportOutcome(read, result)


def seed_store(store: Store, workbook: Path | None = None) -> ImportOutcome | None:
    """Fill an empty store from the default workbook as version 1; None when not empty."""
    if not store.is_empty():
        return None
    path = workbook or default_workbook()
    data = path.read_bytes()
    outcome = import_upload(store, data, path.name, SYSTEM_USER, kind="initial")
    if not outcome.ok:
        details = "; ".join(p.as_text() for p in outcome.problems[:5])
        raise RuntimeError(f"Standarddata i {path} kunde inte läsas: {details}")
    return outcome


def open_store(path: Path | str | None = None, seed: bool = True) -> Store:
    """The store at a path (default from settings), created and seeded with default data on first use."""
    target = store_target(str(path)) if path else store_path()
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    store = Store(target)
    if seed:
        seed_store(store)
    return store
