"""Paths, limits and settings in one place, each overridable by an environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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
    max_total_cells: int = 12_000_000
    max_text_in_message: int = 80
    # The child process that parses an upload (analysis/ingest/isolated.py): address space, CPU seconds, wall seconds.
    parse_memory_mb: int = 2048
    parse_cpu_seconds: int = 120
    parse_wall_seconds: int = 180


def limits() -> Limits:
    """Upload limits, each overridable by its SEGDASH_ variable (see LIMIT_VARIABLES)."""
    base = Limits()
    return Limits(
        max_file_bytes=_int_env("SEGDASH_MAX_UPLOAD_MB", base.max_file_bytes // (1024 * 1024)) * 1024 * 1024,
        max_cells=_int_env("SEGDASH_MAX_CELLS", base.max_cells),
        max_total_cells=_int_env("SEGDASH_MAX_TOTAL_CELLS", base.max_total_cells),
        parse_memory_mb=_int_env("SEGDASH_PARSE_MEMORY_MB", base.parse_memory_mb),
        parse_cpu_seconds=_int_env("SEGDASH_PARSE_CPU_SECONDS", base.parse_cpu_seconds),
        parse_wall_seconds=_int_env("SEGDASH_PARSE_TIMEOUT_SECONDS", base.parse_wall_seconds),
    )


#: The environment variable that sets each configurable limit (messages name it, so an admin knows what to raise).
LIMIT_VARIABLES: dict[str, str] = {
    "max_file_bytes": "SEGDASH_MAX_UPLOAD_MB",
    "max_cells": "SEGDASH_MAX_CELLS",
    "max_total_cells": "SEGDASH_MAX_TOTAL_CELLS",
    "parse_memory_mb": "SEGDASH_PARSE_MEMORY_MB",
    "parse_cpu_seconds": "SEGDASH_PARSE_CPU_SECONDS",
    "parse_wall_seconds": "SEGDASH_PARSE_TIMEOUT_SECONDS",
}


DATABASE_URL_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(target: object) -> bool:
    """True when a store target is a PostgreSQL URL rather than an SQLite file path."""
    return isinstance(target, str) and target.strip().lower().startswith(DATABASE_URL_SCHEMES)


def store_target(raw: str) -> Path | str:
    """A store given as text (SEGDASH_DB, --db): a postgresql:// URL stays text, anything else is a file path."""
    return raw.strip() if is_database_url(raw) else Path(raw.strip())


def store_path() -> Path | str:
    """The store: SEGDASH_DB (an SQLite file, or a postgresql:// URL), or data/store.sqlite (git-ignored)."""
    raw = os.environ.get("SEGDASH_DB", "").strip()
    return store_target(raw) if raw else DATA_DIR / "store.sqlite"


def snapshot_dir() -> Path:
    """Where an instance on PostgreSQL caches observation snapshots: SEGDASH_SNAPSHOT_DIR or data/snapshots."""
    raw = os.environ.get("SEGDASH_SNAPSHOT_DIR", "").strip()
    return Path(raw) if raw else DATA_DIR / "snapshots"


def default_workbook() -> Path:
    """The workbook that seeds an empty store: SEGDASH_DEFAULT_DATA or data/standarddata.xlsx."""
    raw = os.environ.get("SEGDASH_DEFAULT_DATA", "").strip()
    return Path(raw) if raw else DEFAULT_WORKBOOK


def baseline_year() -> int:
    """The year the follow-up compares against (the plan started 2020): SEGDASH_BASELINE_YEAR."""
    return _int_env("SEGDASH_BASELINE_YEAR", 2020)


def risk_months() -> int:
    """How near its end date (months) an action behind schedule is shown as Riskerar att försenas: SEGDASH_RISK_MONTHS."""
    return max(0, _int_env("SEGDASH_RISK_MONTHS", 6))


def editors() -> tuple[str, ...]:
    """E-mail addresses allowed to change data when login is configured: SEGDASH_EDITORS."""
    return tuple(e.lower() for e in _list_env("SEGDASH_EDITORS"))


def _flag_env(name: str) -> bool:
    """True when an environment variable is set to 1, true, ja or yes."""
    return os.environ.get(name, "").strip().lower() in {"1", "true", "ja", "yes"}


def editing_locked() -> bool:
    """True when SEGDASH_LOCK_EDITING is set: nobody may import or roll back from the web."""
    return _flag_env("SEGDASH_LOCK_EDITING")


def open_editing() -> bool:
    """True when SEGDASH_OPEN_EDITING is set: editing without login even when the server is reachable from others."""
    return _flag_env("SEGDASH_OPEN_EDITING")


def max_originals_bytes() -> int:
    """The most bytes all versions' stored original files may take together: SEGDASH_MAX_ORIGINALS_MB (500)."""
    return max(0, _int_env("SEGDASH_MAX_ORIGINALS_MB", 500)) * 1024 * 1024


def db_read_only() -> bool:
    """True when SEGDASH_DB_READ_ONLY is set: the store is opened read-only (viewers, read-only mounts)."""
    return _flag_env("SEGDASH_DB_READ_ONLY")


#: Where users report accessibility problems, until the municipality sets its own address (SEGDASH_A11Y_CONTACT).
DEFAULT_A11Y_CONTACT = "Linköpings kommun via kontaktuppgifterna på www.linkoping.se"


def accessibility_contact() -> str:
    """Where the tillgänglighetsredogörelse tells users to report a problem: SEGDASH_A11Y_CONTACT."""
    return os.environ.get("SEGDASH_A11Y_CONTACT", "").strip() or DEFAULT_A11Y_CONTACT


@dataclass(frozen=True)
class BasemapSetting:
    """A municipality's own tile server for an optional background map: URL template and attribution."""

    tiles: str  # 'https://karta.example.se/tiles/{z}/{x}/{y}.png'
    attribution: str


def basemap() -> BasemapSetting | None:
    """The tile server the map may draw under the areas (SEGDASH_MAP_TILES), or None: the map is offline-only.

    A template without {z}, {x} and {y} or that is not an http(s) address counts as not configured.
    """
    tiles = os.environ.get("SEGDASH_MAP_TILES", "").strip()
    if not tiles.startswith(("https://", "http://")) or not all(k in tiles for k in ("{z}", "{x}", "{y}")):
        return None
    return BasemapSetting(tiles, os.environ.get("SEGDASH_MAP_ATTRIBUTION", "").strip())
