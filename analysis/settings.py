"""Paths, limits and settings in one place, each overridable by an environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_WORKBOOK = DATA_DIR / "standarddata.xlsx"


def _int_env(name: str, default: int) -> int:
    """An integer from the environment, or the default when unset or not a number."""
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


def _list_env(name: str) -> tuple[str, ...]:
    """A comma- or semicolon-separated list from the environment."""
    raw = os.environ.get(name, "")
    return tuple(p.strip() for p in raw.replace(";", ",").split(",") if p.strip())


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or broken upload from exhausting the server."""

    max_file_bytes: int = 25 * 1024 * 1024
    max_zip_entries: int = 2_000
    max_part_bytes: int = 150 * 1024 * 1024
    max_total_unzipped_bytes: int = 300 * 1024 * 1024
    max_compression_ratio: int = 200
    max_cells: int = 6_000_000
    max_text_in_message: int = 80


def limits() -> Limits:
    """Upload limits, overridable with SEGDASH_MAX_UPLOAD_MB and SEGDASH_MAX_CELLS."""
    base = Limits()
    return Limits(
        max_file_bytes=_int_env("SEGDASH_MAX_UPLOAD_MB", base.max_file_bytes // (1024 * 1024)) * 1024 * 1024,
        max_cells=_int_env("SEGDASH_MAX_CELLS", base.max_cells),
    )


def store_path() -> Path:
    """The SQLite store: SEGDASH_DB, or data/store.sqlite (git-ignored)."""
    raw = os.environ.get("SEGDASH_DB", "").strip()
    return Path(raw) if raw else DATA_DIR / "store.sqlite"


def default_workbook() -> Path:
    """The workbook that seeds an empty store: SEGDASH_DEFAULT_DATA or data/standarddata.xlsx."""
    raw = os.environ.get("SEGDASH_DEFAULT_DATA", "").strip()
    return Path(raw) if raw else DEFAULT_WORKBOOK


def baseline_year() -> int:
    """The year the follow-up compares against (the plan started 2020): SEGDASH_BASELINE_YEAR."""
    return _int_env("SEGDASH_BASELINE_YEAR", 2020)


def editors() -> tuple[str, ...]:
    """E-mail addresses allowed to change data when login is configured: SEGDASH_EDITORS."""
    return tuple(e.lower() for e in _list_env("SEGDASH_EDITORS"))


def editing_locked() -> bool:
    """True when SEGDASH_LOCK_EDITING is set: nobody may import or roll back from the web."""
    return os.environ.get("SEGDASH_LOCK_EDITING", "").strip().lower() in {"1", "true", "ja", "yes"}
