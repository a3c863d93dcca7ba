"""Settings (analysis/core/settings.py): defaults, environment overrides, and bad values that fall back."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.core import settings


@pytest.mark.parametrize(
    "raw, expected",
    [("", 2020), ("2018", 2018), (" 2022 ", 2022), ("tjugo", 2020), ("2020.5", 2020)],
)
def test_baseline_year(monkeypatch, raw, expected):
    monkeypatch.setenv("SEGDASH_BASELINE_YEAR", raw)
    assert settings.baseline_year() == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("", ()), ("Anna@Linkoping.se", ("anna@linkoping.se",)), ("a@x.se; b@x.se ,,", ("a@x.se", "b@x.se"))],
)
def test_editors(monkeypatch, raw, expected):
    monkeypatch.setenv("SEGDASH_EDITORS", raw)
    assert settings.editors() == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("1", True), ("true", True), ("JA", True), ("yes", True), ("0", False), ("", False), ("nej", False)],
)
@pytest.mark.parametrize(
    "variable, flag",
    [
        ("SEGDASH_LOCK_EDITING", settings.editing_locked),
        ("SEGDASH_OPEN_EDITING", settings.open_editing),
        ("SEGDASH_DB_READ_ONLY", settings.db_read_only),
    ],
)
def test_flags_share_one_reading(monkeypatch, variable, flag, raw, expected):
    monkeypatch.setenv(variable, raw)
    assert flag() is expected


def test_paths_default_inside_the_repository_and_follow_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("SEGDASH_DB", raising=False)
    monkeypatch.delenv("SEGDASH_DEFAULT_DATA", raising=False)
    root = Path(__file__).resolve().parent.parent
    assert settings.ROOT == root
    assert settings.store_path() == root / "data" / "store.sqlite"
    assert settings.default_workbook() == root / "data" / "standarddata.xlsx"
    assert settings.default_workbook().exists()
    monkeypatch.setenv("SEGDASH_DB", str(tmp_path / "x.sqlite"))
    assert settings.store_path() == tmp_path / "x.sqlite"
    # A URL stays text: Path() would fold its // into one slash.
    monkeypatch.setenv("SEGDASH_DB", " postgresql://segdash@db.example:5432/segdash ")
    assert settings.store_path() == "postgresql://segdash@db.example:5432/segdash"
    monkeypatch.delenv("SEGDASH_SNAPSHOT_DIR", raising=False)
    assert settings.snapshot_dir() == root / "data" / "snapshots"
    monkeypatch.setenv("SEGDASH_SNAPSHOT_DIR", str(tmp_path / "cache"))
    assert settings.snapshot_dir() == tmp_path / "cache"


def test_limits_follow_their_variables_and_ignore_nonsense(monkeypatch):
    for name in settings.LIMIT_VARIABLES.values():
        monkeypatch.delenv(name, raising=False)
    assert settings.limits() == settings.Limits()
    monkeypatch.setenv("SEGDASH_MAX_UPLOAD_MB", "5")
    monkeypatch.setenv("SEGDASH_MAX_CELLS", "många")
    limits = settings.limits()
    assert limits.max_file_bytes == 5 * 1024 * 1024
    assert limits.max_cells == settings.Limits().max_cells
    assert set(settings.LIMIT_VARIABLES) <= set(settings.Limits.__dataclass_fields__)


@pytest.mark.parametrize("raw, expected_mb", [("", 500), ("100", 100), ("-5", 0), ("x", 500)])
def test_originals_quota(monkeypatch, raw, expected_mb):
    monkeypatch.setenv("SEGDASH_MAX_ORIGINALS_MB", raw)
    assert settings.max_originals_bytes() == expected_mb * 1024 * 1024


@pytest.mark.parametrize(
    "tiles, expected",
    [
        ("", None),
        ("https://karta.linkoping.se/tiles/{z}/{x}/{y}.png", "https://karta.linkoping.se/tiles/{z}/{x}/{y}.png"),
        ("https://karta.linkoping.se/tiles.png", None),  # no {z}/{x}/{y}: not a tile template
        ("ftp://karta.linkoping.se/{z}/{x}/{y}.png", None),
    ],
)
def test_the_basemap_is_off_unless_a_tile_template_is_configured(monkeypatch, tiles, expected):
    monkeypatch.setenv("SEGDASH_MAP_TILES", tiles)
    monkeypatch.setenv("SEGDASH_MAP_ATTRIBUTION", "© Linköpings kommun")
    found = settings.basemap()
    assert (found.tiles if found else None) == expected
    if found:
        assert found.attribution == "© Linköpings kommun"
