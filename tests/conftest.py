"""Shared fixtures: every test gets its own store file, never the developer's data/store.sqlite."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path, monkeypatch):
    """Point SEGDASH_DB at a fresh file in the test's temporary directory."""
    monkeypatch.setenv("SEGDASH_DB", str(tmp_path / "store.sqlite"))
