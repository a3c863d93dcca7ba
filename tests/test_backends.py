"""The two databases behind the store (analysis/store/backends.py), and what the store does on PostgreSQL alone."""

from __future__ import annotations

import time

import psycopg
import psycopg.errors
import pytest

from analysis.core.settings import is_database_url, store_target
from analysis.store.backends import (
    POSTGRES,
    SQLITE,
    _placeholders,
    display_target,
    pg_error_kind,
    target_key,
)
from analysis.store.history import ReadOnlyStoreError, Store, StoreError, store_error_message
from tests.test_history import obs, values


@pytest.mark.parametrize(
    ("raw", "is_url"),
    [
        ("postgresql://u:p@db.kommun.se:5432/segdash", True),
        ("postgres://db/segdash", True),
        ("  PostgreSQL://db/segdash ", True),
        ("data/store.sqlite", False),
        ("/srv/segdash/postgresql.sqlite", False),
        (":memory:", False),
    ],
)
def test_a_url_is_told_from_a_file(raw, is_url):
    assert is_database_url(raw) is is_url
    assert isinstance(store_target(raw), str) is is_url


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("postgresql://segdash:hemligt@db.kommun.se:5433/seg", "postgresql://segdash:***@db.kommun.se:5433/seg"),
        ("postgresql://segdash@db/seg", "postgresql://segdash@db/seg"),
        ("postgresql://db/seg?sslmode=require", "postgresql://db/seg?sslmode=require"),
        ("data/store.sqlite", "data/store.sqlite"),
    ],
)
def test_a_password_is_never_shown(target, shown):
    assert display_target(target) == shown


def test_the_snapshot_folder_name_does_not_depend_on_the_password():
    assert target_key("postgresql://u:a@db/seg") == target_key("postgresql://u:b@db/seg")
    assert target_key("postgresql://u@db/seg") != target_key("postgresql://u@db/annan")


@pytest.mark.parametrize(
    ("dialect", "same", "differ", "key"),
    [
        (SQLITE, "a IS b", "a IS NOT b", "a IS b"),
        (
            POSTGRES,
            "a IS NOT DISTINCT FROM b",
            "a IS DISTINCT FROM b",
            "coalesce(a, -2147483648) = coalesce(b, -2147483648)",
        ),
    ],
)
def test_dialects_spell_null_safe_comparisons(dialect, same, differ, key):
    assert dialect.same("a", "b") == same
    assert dialect.differ("a", "b") == differ
    assert dialect.key_equal("a", "b", nullable=False) == "a = b"
    assert dialect.key_equal("a", "b", nullable=True) == key


def test_placeholders_become_psycopg_style():
    assert _placeholders("SELECT ? WHERE x LIKE '5%'") == "SELECT %s WHERE x LIKE '5%%'"


@pytest.mark.parametrize(
    ("sqlstate", "kind", "words"),
    [
        ("53100", "full", "disken på servern är full"),
        ("55P03", "busy", "en annan import eller återställning pågår"),
        ("40P01", "busy", "en annan import eller återställning pågår"),
        ("25006", "read_only", "tillåter inte ändringar"),
        ("42501", "read_only", "tillåter inte ändringar"),
        ("08006", "unreachable", "Databasservern kunde inte nås"),
        ("57P01", "unreachable", "Databasservern kunde inte nås"),
    ],
)
def test_postgresql_errors_get_the_stores_swedish_messages(sqlstate, kind, words):
    exc = psycopg.errors.lookup(sqlstate)("detalj")
    assert pg_error_kind(exc) == kind
    message = store_error_message(exc)
    assert words in message and "Ingenting ändrades" in message


def test_other_errors_are_not_classified():
    assert pg_error_kind(psycopg.errors.lookup("23505")("dubblett")) is None  # a bug, raised as it is
    assert pg_error_kind(ValueError("x")) is None


def test_an_unreachable_server_is_a_clear_error_without_the_password():
    with pytest.raises(StoreError) as info:
        Store("postgresql://segdash:hemligt@127.0.0.1:1/seg")
    message = str(info.value)
    assert "kunde inte nås" in message and "SEGDASH_DB" in message
    assert "hemligt" not in message and "segdash:***@127.0.0.1:1/seg" in message


def test_a_read_only_instance_reads_but_never_writes(postgres_url, monkeypatch):
    with Store(postgres_url) as writer:
        writer.apply(obs(("A", "i1", 2020, 1.0)), user="u")
    monkeypatch.setenv("SEGDASH_DB_READ_ONLY", "1")
    with Store(postgres_url) as reader:
        assert reader.read_only
        assert values(reader.current()) == {("A", "i1", 2020): 1.0}
        with pytest.raises(ReadOnlyStoreError):
            reader.apply(obs(("A", "i1", 2020, 2.0)), user="u")
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):  # the server refuses too, not only the program
            with reader._write() as c:
                c.execute("DELETE FROM versions")


def test_a_read_only_instance_needs_the_schema(postgres_url, monkeypatch):
    monkeypatch.setenv("SEGDASH_DB_READ_ONLY", "1")
    with pytest.raises(StoreError, match="skrivskyddad och saknar action_followups_hist.*versions"):
        Store(postgres_url)


def test_each_instance_keeps_its_own_snapshot_cache_and_trusts_it(postgres_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SEGDASH_SNAPSHOT_DIR", str(tmp_path / "a"))
    with Store(postgres_url) as a:
        a.apply(obs(("A", "i1", 2020, 1.0), ("B", "i1", 2020, 2.0)), user="u")
        a.current()
        file_a = a._snapshot_file(1)
    monkeypatch.setenv("SEGDASH_SNAPSHOT_DIR", str(tmp_path / "b"))
    with Store(postgres_url) as b:
        assert values(b.current()) == {("A", "i1", 2020): 1.0, ("B", "i1", 2020): 2.0}  # built once, here
        file_b = b._snapshot_file(1)
    assert file_a.exists() and file_b.exists() and file_a.parent != file_b.parent
    assert file_a.parent.name == target_key(postgres_url)
    with psycopg.connect(postgres_url) as conn:
        recorded = {r[0] for r in conn.execute("SELECT sha256 FROM snapshots WHERE version = 1")}
    with Store(postgres_url) as b_again:  # a restarted instance: only the database's record to go by
        assert b_again._snapshot_hashes_for(1) == recorded
        assert b_again._load_snapshot(1) is not None
        file_b.write_bytes(b"manipulerad")
        assert b_again._load_snapshot(1) is None  # bytes that match no recorded hash are not trusted
        assert values(b_again.current()) == {("A", "i1", 2020): 1.0, ("B", "i1", 2020): 2.0}


def test_a_lost_connection_is_replaced_on_the_next_call(postgres_url):
    with Store(postgres_url) as store:
        store.apply(obs(("A", "i1", 2020, 1.0)), user="u")
        pid = store._shared.raw.info.backend_pid
        with psycopg.connect(postgres_url, autocommit=True) as admin:  # what a server restart does to a connection
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(psycopg.OperationalError) as info:
            store.current_version()
        assert "kunde inte nås" in store_error_message(info.value)  # what the page shows for that one run
        assert store.current_version() == 1  # the next run has a new connection
        assert store._shared.raw.info.backend_pid != pid


def test_opening_a_store_again_never_makes_readers_wait(postgres_url):
    with Store(postgres_url) as first:
        first.apply(obs(("A", "i1", 2020, 1.0)), user="u")
    with psycopg.connect(postgres_url) as reader:  # a long read in another instance: a transaction holding a table
        reader.execute("SELECT count(*) FROM observations_hist").fetchone()
        started = time.perf_counter()
        with Store(postgres_url) as second:  # a new instance starting: no ALTER or DROP that would queue behind it
            assert second.current_version() == 1
        assert time.perf_counter() - started < 10
