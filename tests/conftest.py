"""Shared fixtures: every test gets its own store file, never the developer's data/store.sqlite."""

from __future__ import annotations

import sys

import pytest

from analysis.render import images
from analysis.store.importer import open_store

_MAIN_MODULE = sys.modules["__main__"]


@pytest.fixture(autouse=True)
def _restore_main_module():
    """Put back this process's __main__ after each test.

    AppTest runs app.py as __main__ and leaves it there; a process started later with multiprocessing's spawn
    (the concurrency tests) would then run the whole app on start, fail, and leave its pool waiting forever.
    """
    yield
    sys.modules["__main__"] = _MAIN_MODULE


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path, monkeypatch):
    """Point SEGDASH_DB at a fresh file in the test's temporary directory; editing open as on a strategist's laptop.

    AppTest runs pages without a server address, and editing without login is open only on localhost or with
    SEGDASH_OPEN_EDITING=1 (analysis/store/access.py); tests of the closed cases remove the variable.
    """
    monkeypatch.setenv("SEGDASH_DB", str(tmp_path / "store.sqlite"))
    monkeypatch.setenv("SEGDASH_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    monkeypatch.setenv("SEGDASH_OPEN_EDITING", "1")


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


def chromium_for_images() -> str:
    """The Chromium that draws chart images; skips the test without one, or fails it with SEGDASH_REQUIRE_BROWSER=1.

    The variable is read by the browser tests' own rule (tests/browser/helpers.browser_required), so CI that
    requires a browser cannot pass with the image tests silently skipped.
    """
    from tests.browser.helpers import browser_required  # imports Playwright: only when a test asks for Chromium

    path = images.chromium_path()
    if path is None:
        message = "ingen Chromium för kaleido (SEGDASH_CHROMIUM, BROWSER_PATH eller chromium på PATH)"
        if browser_required():
            pytest.fail(f"SEGDASH_REQUIRE_BROWSER=1 men {message}", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture
def chromium(monkeypatch) -> str:
    """The Chromium for chart images (see chromium_for_images): a test that draws images asks for this fixture.

    An export's time budget for images is raised to two minutes: on a loaded CI machine a first Chromium start can
    take longer than the 25 seconds a user waits, and these tests check that images are drawn, not how fast.
    """
    monkeypatch.setenv("SEGDASH_CHART_TIMEOUT", "120")
    return chromium_for_images()


@pytest.fixture(scope="session")
def postgres_server():
    """This worker's own PostgreSQL server (tests/postgres.py); skipped without one, failed under CI's rule."""
    from tests.postgres import postgres_required, start_server

    server, reason = start_server()
    if server is None:
        if postgres_required():
            pytest.fail(f"SEGDASH_REQUIRE_POSTGRES=1 men {reason}", pytrace=False)
        pytest.skip(reason)
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """The URL of a fresh, empty PostgreSQL database for this test."""
    return postgres_server.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path):
    """Where a store test keeps its store: an SQLite file, and then a PostgreSQL database (the same test twice)."""
    if request.param == "sqlite":
        return tmp_path / "data.sqlite"
    return request.getfixturevalue("postgres_url")


BACKENDS = ["sqlite", "postgresql"]


def store_copy(request, base, folder, name: str):
    """A copy of a store made once for a module: a file copy, or a PostgreSQL database made from it as template."""
    import shutil

    if isinstance(base, str):
        return request.getfixturevalue("postgres_server").new_database(copy_of=base)
    target = folder / f"{name}.sqlite"
    shutil.copy(base, target)
    return target


def empty_store_target(request, backend: str, folder):
    """A new store target of one backend in a folder: a file path, or a fresh PostgreSQL database."""
    if backend == "sqlite":
        return folder / "base.sqlite"
    return request.getfixturevalue("postgres_server").new_database()
