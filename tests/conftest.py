"""Shared fixtures: every test gets its own store file, never the developer's data/store.sqlite."""

from __future__ import annotations

import pytest

from analysis.importer import open_store


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path, monkeypatch):
    """Point SEGDASH_DB at a fresh file in the test's temporary directory."""
    monkeypatch.setenv("SEGDASH_DB", str(tmp_path / "store.sqlite"))


@pytest.fixture
def dataset():
    """The default data, read from the store the app opens (SEGDASH_DB points at a fresh file per test)."""
    with open_store() as store:
        return store.current()


@pytest.fixture(scope="module")
def default_data(tmp_path_factory):
    """The default data, seeded into a throwaway store once per test module."""
    with open_store(tmp_path_factory.mktemp("standarddata") / "store.sqlite") as store:
        return store.current()
