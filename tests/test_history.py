"""Tests of the versioned SQLite store: imports, history, rollback and durability."""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pandas as pd
import pytest

from analysis.core.model import TABLE_COLUMNS, TABLES, Dataset, conform, make_dataset
from analysis.core.settings import max_originals_bytes
from analysis.store.history import (
    NO_CHANGE_MESSAGE,
    VERSION_COLUMNS,
    OriginalsQuotaError,
    PrunedOriginal,
    ReadOnlyStoreError,
    StorageError,
    Store,
    StoreError,
    format_count,
    numbers_equal,
)
from analysis.store.preview import versions_table

NAN = float("nan")


def same_table(a: pd.DataFrame, b: pd.DataFrame, table: str = "observations") -> None:
    """Assert two frames of a table hold the same rows; observations compare in key order with plain text dtypes
    (the store returns them as categories, in storage order)."""
    if table == "observations":

        def norm(f: pd.DataFrame) -> pd.DataFrame:
            """Sorted by key, text as str."""
            f = f.astype({c: "str" for c in ("area", "indicator", "sex", "source", "note")})
            return f.sort_values(["area", "indicator", "year", "sex"], kind="stable").reset_index(drop=True)

        a, b = norm(a), norm(b)
    pd.testing.assert_frame_equal(a, b)


def obs(*rows: tuple) -> Dataset:
    """A dataset holding only observations given as (area, indicator, year, value[, source])."""
    records = []
    for row in rows:
        area, indicator, year, value = row[:4]
        records.append(
            {
                "area": area,
                "indicator": indicator,
                "year": year,
                "sex": "Totalt",
                "value": value,
                "source": row[4] if len(row) > 4 else "SCB",
            }
        )
    return make_dataset(observations=pd.DataFrame(records))


def values(ds: Dataset) -> dict[tuple, float]:
    """Observation values by (area, indicator, year)."""
    o = ds.observations
    return {(r.area, r.indicator, int(r.year)): r.value for r in o.itertuples()}


def full_dataset() -> Dataset:
    """A small dataset with rows in every table of the model, including missing numbers and both booleans."""
    return make_dataset(
        observations=pd.DataFrame(
            [
                {
                    "area": "Skäggetorp",
                    "indicator": "arb",
                    "year": 2022,
                    "sex": "Kvinnor",
                    "value": 61.5,
                    "source": "SCB",
                    "note": "",
                },
                {
                    "area": "Skäggetorp",
                    "indicator": "arb",
                    "year": 2023,
                    "sex": "Män",
                    "value": NAN,
                    "source": "SCB",
                    "note": "sekretess",
                },
            ]
        ),
        indicators=pd.DataFrame(
            [
                {
                    "id": "arb",
                    "name": "Förvärvsarbetande",
                    "theme": "arbete",
                    "unit": "procent",
                    "direction": "Högre är bättre",
                    "decimals": 1,
                    "key_figure": True,
                },
                {
                    "id": "bef",
                    "name": "Befolkning",
                    "theme": "befolkning",
                    "unit": "antal",
                    "direction": "Neutral",
                    "decimals": None,
                    "key_figure": False,
                },
            ]
        ),
        areas=pd.DataFrame(
            [
                {"name": "Skäggetorp", "type": "Fokusområde", "code": "0580R005", "aliases": "Skäggis"},
                {"name": "Linköping", "type": "Kommun", "code": "0580", "aliases": ""},
            ]
        ),
        plans=pd.DataFrame(
            [
                {
                    "name": "Åtgärdsplan 2020",
                    "adopted": "2020-12-02",
                    "decided_by": "KF",
                    "first_year": 2021,
                    "last_year": 2021,
                },
                {"name": "Åtgärdsplan 2022", "adopted": "2022-01-19", "first_year": 2022, "last_year": None},
            ]
        ),
        actions=pd.DataFrame(
            [
                {
                    "id": "A1",
                    "title": "Läxhjälp",
                    "theme": "utbildning",
                    "responsible": "BUN",
                    "areas": "Skäggetorp",
                    "start": "2024-01",
                    "end": "2025-12",
                    "status": "Pågår",
                    "plan": "Åtgärdsplan 2022",
                },
            ]
        ),
        action_followups=pd.DataFrame(
            [
                {
                    "action": "A1",
                    "year": 2024,
                    "status": "Pågår",
                    "comment": "Startade i mars",
                    "source": "BUN",
                    "progress": 12.5,
                }
            ]
        ),
        targets=pd.DataFrame(
            [
                {
                    "area": "Skäggetorp",
                    "indicator": "arb",
                    "base_year": 2020,
                    "target_year": 2030,
                    "target_value": 70.0,
                    "source": "Plan",
                },
                {
                    "area": "Linköping",
                    "indicator": "arb",
                    "base_year": None,
                    "target_year": 2030,
                    "target_value": NAN,
                    "source": "",
                },
            ]
        ),
        area_texts=pd.DataFrame(
            [{"area": "Skäggetorp", "heading": "Styrkor", "text": 'Många föreningar;\n"citat"', "source": ""}]
        ),
        boundaries=pd.DataFrame(
            [
                {
                    "area": "Skäggetorp",
                    "code": "0580R006",
                    "name": "Skäggetorp",
                    "geometry": '{"type":"Polygon","coordinates":[[[15.6,58.4],[15.61,58.4],[15.61,58.41],[15.6,58.4]]]}',
                    "source": "Områdesgränser ur filen distrikt.gpkg",
                }
            ]
        ),
        fetches=pd.DataFrame(
            [
                {
                    "indicator": "bef",
                    "api": "PxWeb v2",
                    "base_url": "https://statistikdatabasen.scb.se/api/v2",
                    "table": "TAB6471",
                    "selection": "Region=0580; Alder=*",
                    "time": "från 2020",
                    "area_variable": "Region",
                    "sex_variable": "Kon",
                    "sex_codes": "1=Män; 2=Kvinnor; TotSa=Totalt",
                    "period_rule": "Sista perioden",
                    "verified": "Nej",
                }
            ]
        ),
    )


def temporary_tables(store: Store) -> int:
    """How many temporary (staging) tables the store's shared connection has."""
    if store.dialect.name == "sqlite":
        sql = "SELECT count(*) FROM temp.sqlite_master"
    else:
        sql = "SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()"
    return store._conn.execute(sql).fetchone()[0]


@pytest.fixture
def store(store_target):
    """An empty store: an SQLite file in a temporary directory, and then a fresh PostgreSQL database."""
    with Store(store_target) as s:
        yield s


# ---------------------------------------------------------------------------------------------


def test_new_store_is_empty(store: Store) -> None:
    assert store.is_empty()
    assert store.current_version() is None
    v = store.versions()
    assert list(v.columns) == [*VERSION_COLUMNS, "has_file", "file_pruned_at", "file_pruned_by"]
    assert len(v) == 0
    assert all(len(store.current().table(t)) == 0 for t in TABLES)
    assert store.original_file(1) is None
    assert store.version_for_sha256(hashlib.sha256(b"").hexdigest()) is None
    with pytest.raises(ValueError, match="^Version 1 finns inte.$"):
        store.dataset_at(1)


def test_schema_settings_and_storage_types(tmp_path: Path) -> None:
    with Store(tmp_path / "data.sqlite") as store:
        store.apply(full_dataset(), user="anna")
    con = sqlite3.connect(tmp_path / "data.sqlite")
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        types = con.execute(
            "SELECT typeof(year), typeof(value), typeof(note), valid_from, valid_to FROM observations_hist "
            "ORDER BY year"
        ).fetchall()
        assert types == [("integer", "real", "text", 1, None), ("integer", "null", "text", 1, None)]
        flags = con.execute("SELECT id, key_figure, typeof(decimals) FROM indicators_hist ORDER BY id").fetchall()
        assert flags == [("arb", 1, "integer"), ("bef", 0, "null")]
        assert con.execute("SELECT comparability FROM indicators_hist WHERE id = 'bef'").fetchone() == ("",)
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        assert {f"{t}_hist" for t in TABLES} | {"versions", "files"} <= names
        assert {"observations_hist_key", "observations_hist_current"} <= names
    finally:
        con.close()
    with Store(tmp_path / "data.sqlite") as other:
        c = other._conn
        assert c.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert c.execute("PRAGMA busy_timeout").fetchone()[0] == 30000


def test_first_apply_creates_version_1(store: Store) -> None:
    ds = make_dataset(
        observations=obs(("A", "i1", 2020, 1.0), ("A", "i1", 2021, 2.0), ("B", "i1", 2020, 3.0)).observations,
        indicators=pd.DataFrame([{"id": "i1"}, {"id": "i2"}]),
        areas=pd.DataFrame([{"name": "A"}]),
    )
    result = store.apply(ds, user="anna", file_name="data.xlsx", file_bytes=b"xlsx", note="första")
    assert result.version == 1
    assert result.message == "Version 1 skapad: 6 nya, 0 ändrade, 0 oförändrade värden."
    assert (result.diff.n_new, result.diff.n_changed, result.diff.n_unchanged, result.diff.n_removed) == (6, 0, 0, 0)
    assert result.diff.new_areas == ["A"]
    assert result.diff.new_indicators == ["i1", "i2"]
    assert not store.is_empty()
    assert store.current_version() == 1
    versions = store.versions()
    assert str(versions["rollback_of"].dtype) == "Int64" and versions["rollback_of"].isna().all()
    row = versions.drop(columns="rollback_of").iloc[0].to_dict()
    assert row["created_at"].endswith("+00:00") and len(row["created_at"]) == 25
    del row["created_at"]
    assert row == {
        "version": 1,
        "user": "anna",
        "kind": "import",
        "file_name": "data.xlsx",
        "sha256": hashlib.sha256(b"xlsx").hexdigest(),
        "n_new": 6,
        "n_changed": 0,
        "n_unchanged": 0,
        "n_removed": 0,
        "note": "första",
        "has_file": True,
        "file_pruned_at": "",
        "file_pruned_by": "",
    }


def test_second_apply_counts_and_union(store: Store) -> None:
    store.apply(obs(("A", "i1", 2020, 10.0), ("A", "i1", 2021, 20.0), ("B", "i1", 2020, 30.0)), user="u")
    result = store.apply(obs(("A", "i1", 2020, 10.0), ("A", "i1", 2021, 25.0), ("A", "i1", 2022, 40.0)), user="u")
    assert result.version == 2
    assert (result.diff.n_new, result.diff.n_changed, result.diff.n_unchanged, result.diff.n_removed) == (1, 1, 1, 0)
    assert result.message == "Version 2 skapad: 1 nya, 1 ändrade, 1 oförändrade värden."
    changed = result.diff.tables["observations"].changed
    assert list(changed.columns) == list(TABLE_COLUMNS["observations"]) + [
        "old_value",
        "old_source",
        "old_note",
    ]
    assert changed[["area", "year", "value", "old_value"]].values.tolist() == [["A", 2021, 25.0, 20.0]]
    assert result.diff.tables["observations"].new[["year", "value"]].values.tolist() == [[2022, 40.0]]
    assert values(store.current()) == {
        ("A", "i1", 2020): 10.0,
        ("A", "i1", 2021): 25.0,
        ("B", "i1", 2020): 30.0,  # not in the second file: untouched
        ("A", "i1", 2022): 40.0,
    }
    v = store.versions()
    assert v["version"].tolist() == [2, 1]
    assert v[["n_new", "n_changed", "n_unchanged", "n_removed"]].values.tolist() == [[1, 1, 1, 0], [3, 0, 0, 0]]


def test_import_leaves_other_tables_alone(store: Store) -> None:
    store.apply(full_dataset(), user="u")
    store.apply(obs(("Skäggetorp", "arb", 2024, 64.0)), user="u")
    now = store.current()
    for table in (t for t in TABLES if t != "observations"):
        same_table(now.table(table), full_dataset().table(table), table)
    assert len(now.observations) == 3


def test_reapplying_same_data_creates_no_version(store: Store) -> None:
    ds = obs(("A", "i1", 2020, 1.0))
    store.apply(ds, user="u", file_name="a.csv", file_bytes=b"area;value\nA;1\n")
    again = store.apply(ds, user="u", file_name="a.csv", file_bytes=b"area;value\nA;1\n")
    assert again.version is None
    assert again.message == NO_CHANGE_MESSAGE + " Samma fil importerades som version 1."
    assert again.message == (
        "Inga nya eller ändrade värden – ingen ny version skapades. Samma fil importerades som version 1."
    )
    assert again.diff.n_unchanged == 1 and again.diff.is_empty
    other_file = store.apply(ds, user="u", file_name="b.csv", file_bytes=b"other")
    assert other_file.message == "Inga nya eller ändrade värden – ingen ny version skapades."
    assert store.apply(ds, user="u").message == NO_CHANGE_MESSAGE
    assert store.apply(Dataset(), user="u").version is None
    assert len(store.versions()) == 1


def test_missing_value_never_overwrites_stored_value(store: Store) -> None:
    store.apply(obs(("A", "i1", 2020, 10.0, "SCB")), user="u")
    result = store.apply(obs(("A", "i1", 2020, NAN, "Kolada"), ("A", "i1", 2021, NAN)), user="u")
    assert result.version == 2
    table = result.diff.tables["observations"]
    assert (len(table.new), len(table.changed), table.unchanged, len(table.ignored_missing)) == (1, 0, 0, 1)
    assert table.ignored_missing[["year", "source", "old_value", "old_source"]].values.tolist() == [
        [2020, "Kolada", 10.0, "SCB"]
    ]
    assert result.message == (
        "Version 2 skapad: 1 nya, 0 ändrade, 0 oförändrade värden. 1 tomma värden i filen skrev inte över sparade värden."
    )
    current = store.current().observations
    kept = current[current["year"] == 2020].iloc[0]
    assert kept["value"] == 10.0 and kept["source"] == "SCB"
    stored_missing = current[current["year"] == 2021].iloc[0]
    assert math.isnan(stored_missing["value"])
    # A missing value stored for a new key is replaced by a real one later.
    third = store.apply(obs(("A", "i1", 2021, 5.0)), user="u")
    assert third.diff.n_changed == 1
    only_missing = store.apply(obs(("A", "i1", 2020, NAN)), user="u")
    assert only_missing.version is None
    assert only_missing.message.startswith(NO_CHANGE_MESSAGE)


def test_dataset_at_returns_old_states(store: Store) -> None:
    store.apply(obs(("A", "i1", 2020, 1.0)), user="u")
    store.apply(obs(("A", "i1", 2020, 2.0), ("B", "i1", 2020, 5.0)), user="u")
    store.apply(obs(("A", "i1", 2020, 3.0)), user="u")
    assert values(store.dataset_at(1)) == {("A", "i1", 2020): 1.0}
    assert values(store.dataset_at(2)) == {("A", "i1", 2020): 2.0, ("B", "i1", 2020): 5.0}
    assert values(store.dataset_at(3)) == {("A", "i1", 2020): 3.0, ("B", "i1", 2020): 5.0}
    same_table(store.dataset_at(3).observations, store.current().observations)
    with pytest.raises(ValueError, match="^Version 4 finns inte.$"):
        store.dataset_at(4)


def test_rollback_back_and_forward_restores_both_states(store: Store) -> None:
    store.apply(obs(("A", "i1", 2020, 1.0), ("B", "i1", 2020, 2.0)), user="u")
    store.apply(obs(("A", "i1", 2020, 5.0), ("C", "i1", 2020, 3.0)), user="u")
    state1, state2 = store.dataset_at(1), store.dataset_at(2)

    back = store.rollback(1, user="eva")
    assert back.version == 3
    assert (back.diff.n_new, back.diff.n_changed, back.diff.n_unchanged, back.diff.n_removed) == (0, 1, 1, 1)
    assert back.message == "Version 3 skapad: återställning till version 1 – 0 nya, 1 ändrade, 1 borttagna värden."
    same_table(store.current().observations, state1.observations)

    forward = store.rollback(2, user="eva")
    assert forward.version == 4
    assert (forward.diff.n_new, forward.diff.n_changed, forward.diff.n_unchanged, forward.diff.n_removed) == (
        1,
        1,
        1,
        0,
    )
    same_table(store.current().observations, state2.observations)

    # History is intact: every earlier state can still be read.
    same_table(store.dataset_at(1).observations, state1.observations)
    same_table(store.dataset_at(2).observations, state2.observations)
    same_table(store.dataset_at(3).observations, state1.observations)

    v = store.versions()
    assert v[["version", "user", "kind", "file_name", "sha256", "rollback_of"]].astype(object).values.tolist() == [
        [4, "eva", "rollback", "", "", 2],
        [3, "eva", "rollback", "", "", 1],
        [2, "u", "import", "", "", pd.NA],
        [1, "u", "import", "", "", pd.NA],
    ]
    assert v[["n_new", "n_changed", "n_unchanged", "n_removed"]].values.tolist() == [
        [1, 1, 1, 0],
        [0, 1, 1, 1],
        [1, 1, 0, 0],
        [2, 0, 0, 0],
    ]
    assert store.original_file(3) is None

    # Rolling back to the current version, or to one with the same state, creates nothing.
    same = store.rollback(4, user="eva")
    assert same.version is None and same.diff.is_empty
    assert same.message == "Nuvarande data är redan desamma som i version 4 – ingen ny version skapades."
    assert store.rollback(2, user="eva").version is None
    assert store.current_version() == 4
    with pytest.raises(ValueError, match="^Version 99 finns inte.$"):
        store.rollback(99, user="eva")
    with pytest.raises(ValueError, match="^Version 99 finns inte.$"):
        store.rollback_diff(99)


def test_rollback_restores_missing_values_and_other_tables(store: Store) -> None:
    store.apply(full_dataset(), user="u")
    store.apply(
        make_dataset(
            observations=obs(("Skäggetorp", "arb", 2023, 59.0)).observations.assign(sex="Män"),
            areas=pd.DataFrame([{"name": "Ryd", "type": "Fokusområde"}]),
        ),
        user="u",
    )
    result = store.rollback(1, user="u")
    assert (result.diff.n_new, result.diff.n_changed, result.diff.n_removed) == (0, 1, 1)
    assert result.diff.tables["areas"].removed["name"].tolist() == ["Ryd"]
    restored = store.current()
    for table in TABLES:
        same_table(restored.table(table), full_dataset().table(table), table)


def test_rollback_diff_counts_and_writes_nothing(store: Store) -> None:
    store.apply(obs(("A", "i1", 2020, 1.0), ("B", "i1", 2020, 2.0)), user="u")
    store.apply(obs(("A", "i1", 2020, 5.0), ("C", "i1", 2020, 3.0)), user="u")
    before = store.checksum()
    diff = store.rollback_diff(1)
    assert (diff.n_new, diff.n_changed, diff.n_unchanged, diff.n_removed) == (0, 1, 1, 1)
    table = diff.tables["observations"]
    assert table.removed[["area", "value"]].values.tolist() == [["C", 3.0]]
    assert table.changed[["area", "value", "old_value"]].values.tolist() == [["A", 1.0, 5.0]]
    assert store.rollback_diff(2).is_empty
    assert store.checksum() == before
    assert store.current_version() == 2


def test_diff_writes_nothing(store: Store) -> None:
    store.apply(obs(("A", "i1", 2020, 1.0)), user="u")
    before = store.checksum()
    diff = store.diff(obs(("A", "i1", 2020, 2.0), ("A", "i1", 2021, 3.0)))
    assert (diff.n_new, diff.n_changed, diff.n_unchanged) == (1, 1, 0)
    assert store.checksum() == before
    assert store.current_version() == 1
    assert temporary_tables(store) == 0


def test_exception_during_apply_leaves_store_unchanged(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.apply(full_dataset(), user="u")
    before = store.checksum()
    original = Store._write_table
    calls: list[str] = []

    def failing(self: Store, table: str, version: int) -> None:
        calls.append(table)
        original(self, table, version)
        if len(calls) == 2:  # after the version row, the file and two tables are written
            raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "_write_table", failing)
    changed = make_dataset(
        observations=obs(("Skäggetorp", "arb", 2022, 1.0)).observations.assign(sex="Kvinnor"),
        indicators=pd.DataFrame([{"id": "arb", "name": "Nytt namn"}]),
        areas=pd.DataFrame([{"name": "Ryd"}]),
    )
    with pytest.raises(RuntimeError, match="disk full"):
        store.apply(changed, user="u", file_name="x.xlsx", file_bytes=b"x")
    assert calls == ["observations", "indicators"]
    assert store.checksum() == before
    assert store.current_version() == 1
    assert len(store.versions()) == 1
    assert store.original_file(2) is None
    monkeypatch.setattr(Store, "_write_table", original)
    assert store.apply(changed, user="u").version == 2  # the failed id was not used up


def test_duplicate_keys_are_rejected(store: Store) -> None:
    before = store.checksum()
    with pytest.raises(ValueError, match="förekommer mer än en gång"):
        store.apply(obs(("A", "i1", 2020, 1.0), ("A", "i1", 2020, 2.0)), user="u")
    assert store.is_empty() and store.checksum() == before


def test_original_file_returns_exact_bytes(store: Store) -> None:
    content = bytes(range(256)) * 3 + b"\x00PK\x03\x04"
    store.apply(obs(("A", "i1", 2020, 1.0)), user="u", file_name="Åtgärder 2024.xlsx", file_bytes=content)
    store.apply(obs(("A", "i1", 2020, 2.0)), user="u", file_name="utan fil")
    assert store.original_file(1) == ("Åtgärder 2024.xlsx", content)
    assert store.original_file(2) is None
    assert store.version_for_sha256(hashlib.sha256(content).hexdigest()) == 1
    assert store.version_for_sha256("") is None
    assert store.versions()["sha256"].tolist() == ["", hashlib.sha256(content).hexdigest()]


FLOAT_CASES = [
    (1.0, 1.0, True),
    (1.0, 1.0 + 1e-10, True),
    (1.0, 1.0 + 1e-8, False),
    (0.0, 1e-10, True),
    (0.0, 2e-9, False),
    (-5.0, -5.0 - 1e-10, True),
    (1e12, 1e12 + 100, True),
    (1e12, 1e12 + 2000, False),
    (18.9, 18.900000000001, True),
    (18.9, 18.91, False),
    (NAN, NAN, True),
    (NAN, 0.0, False),
    (0.0, NAN, False),
]


@pytest.mark.parametrize(("a", "b", "equal"), FLOAT_CASES)
def test_float_equality(store_target, a: float, b: float, equal: bool) -> None:
    assert numbers_equal(a, b) is equal
    assert numbers_equal(b, a) is equal
    # target_value is a float column without the keep-stored-value rule, so the comparison shows plainly.
    with Store(store_target) as s:
        s.apply(make_dataset(targets=pd.DataFrame([{"area": "A", "indicator": "i", "target_value": a}])), user="u")
        diff = s.diff(make_dataset(targets=pd.DataFrame([{"area": "A", "indicator": "i", "target_value": b}])))
        assert (diff.n_changed, diff.n_unchanged) == ((0, 1) if equal else (1, 0))


def test_reopened_store_returns_same_data(store_target) -> None:
    path = store_target
    with Store(path) as s:
        s.apply(full_dataset(), user="u", file_name="f.xlsx", file_bytes=b"abc")
        s.apply(obs(("Ryd", "arb", 2024, 1.5)), user="u")
        s.rollback(1, user="u")
        checksum, current, versions = s.checksum(), s.current(), s.versions()
    with Store(path) as again:
        assert again.checksum() == checksum
        assert again.current_version() == 3
        for table in TABLES:
            same_table(again.current().table(table), current.table(table), table)
        pd.testing.assert_frame_equal(again.versions(), versions)
        assert again.original_file(1) == ("f.xlsx", b"abc")


def test_all_tables_round_trip_with_dtypes(store: Store) -> None:
    ds = full_dataset()
    store.apply(ds, user="u", kind="initial")
    assert store.versions()["kind"].tolist() == ["initial"]
    back = store.current()
    for table in TABLES:
        assert list(back.table(table).columns) == list(TABLE_COLUMNS[table])
        same_table(back.table(table), ds.table(table), table)
        if table != "observations":
            pd.testing.assert_frame_equal(back.table(table), conform(table, back.table(table)))
    assert str(back.observations["year"].dtype) == "Int64"
    assert str(back.observations["value"].dtype) == "float64"
    assert str(back.indicators["decimals"].dtype) == "Int64"
    assert back.indicators["key_figure"].dtype == bool
    assert back.indicators["key_figure"].tolist() == [True, False]
    assert back.indicators["decimals"].isna().tolist() == [False, True]
    assert str(back.targets["base_year"].dtype) == "Int64" and back.targets["base_year"].isna().tolist() == [
        False,
        True,
    ]
    assert back.actions["end"].tolist() == ["2025-12"]
    assert back.plans["last_year"].isna().tolist() == [False, True] and str(back.plans["first_year"].dtype) == "Int64"
    assert back.action_followups["progress"].tolist() == [12.5]
    assert back.area_texts["text"].tolist() == ['Många föreningar;\n"citat"']


def test_rows_keep_the_order_their_keys_first_appeared(store: Store) -> None:
    store.apply(make_dataset(areas=pd.DataFrame([{"name": n} for n in ("Skäggetorp", "Ryd", "Berga")])), user="u")
    store.apply(
        make_dataset(areas=pd.DataFrame([{"name": "Ryd", "type": "Fokusområde"}, {"name": "Ekholmen"}])), user="u"
    )
    assert store.current().areas["name"].tolist() == ["Skäggetorp", "Ryd", "Berga", "Ekholmen"]


def test_apply_rejects_unknown_kind(store: Store) -> None:
    with pytest.raises(ValueError):
        store.apply(obs(("A", "i1", 2020, 1.0)), user="u", kind="rollback")
    assert store.is_empty()


def test_two_store_objects_see_each_others_writes(store_target) -> None:
    with Store(store_target) as a, Store(store_target) as b:
        a.apply(obs(("A", "i1", 2020, 1.0)), user="a")
        result = b.apply(obs(("A", "i1", 2020, 2.0)), user="b")
        assert result.version == 2 and result.diff.n_changed == 1
        assert values(a.current()) == {("A", "i1", 2020): 2.0}


def _import_in_process(path: str, area: str, shared_value: float) -> int | None:
    """Apply 50 own values and one shared value from a separate process (for the concurrency test)."""
    rows = [(area, "i1", 1970 + k, float(k)) for k in range(50)] + [("Delad", "i1", 2020, shared_value)]
    with Store(path) as s:
        return s.apply(obs(*rows), user=area).version


def test_concurrent_imports_from_two_processes_lose_nothing(store_target) -> None:
    path = str(store_target)
    Store(path).close()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.starmap(_import_in_process, [(path, "A", 1.0), (path, "B", 2.0)])
    assert sorted(results) == [1, 2]
    with Store(path) as s:
        current = values(s.current())
        assert len(current) == 101
        v = s.versions()
        assert v["n_new"].sum() == 101
        assert v["n_changed"].tolist() == [1, 0]  # the second import saw the first one's shared value
        last_user = v.iloc[0]["user"]
        assert current[("Delad", "i1", 2020)] == (1.0 if last_user == "A" else 2.0)


def test_format_count() -> None:
    assert format_count(0) == "0"
    assert format_count(999) == "999"
    assert format_count(1200) == "1\u00a0200"
    assert format_count(200000) == "200\u00a0000"
    assert format_count(1234567) == "1\u00a0234\u00a0567"


def _snapshots(store: Store) -> list[str]:
    """Names of the observation snapshot files next to the store."""
    folder = store._snapshot_file(1).parent
    return sorted(p.name for p in folder.glob("*.parquet")) if folder.exists() else []


def test_snapshots_match_the_rows_in_sqlite(store: Store) -> None:
    store.apply(full_dataset(), user="u")
    store.apply(obs(("Skäggetorp", "arb", 2023, 59.0), ("Ny", "arb", 2024, 1.0)), user="u")
    assert "observations-v2.parquet" in _snapshots(store)  # derived from v1's snapshot and the diff
    from_snapshot = store.current().observations
    for f in store._snapshot_file(1).parent.glob("*.parquet"):
        f.unlink()
    from_sqlite = store.current().observations  # rebuilt from SQLite, and snapshotted again
    same_table(from_snapshot, from_sqlite)
    assert "observations-v2.parquet" in _snapshots(store)
    assert isinstance(from_sqlite["area"].dtype, pd.CategoricalDtype) and str(from_sqlite["year"].dtype) == "Int64"


def test_a_version_reads_in_the_same_order_with_or_without_its_snapshot(store: Store) -> None:
    store.apply(obs(("A", "i", 2020, 1.0), ("B", "i", 2020, 2.0), ("C", "i", 2020, 3.0)), user="u")
    # New and changed rows interleaved: SQLite writes them in this order after the unchanged ones.
    store.apply(
        obs(
            ("N1", "i", 2020, 9.0),
            ("B", "i", 2020, 20.0),
            ("N2", "i", 2020, 8.0),
            ("A", "i", 2020, 1.0),
            ("C", "i", 2020, 30.0),
        ),
        user="u",
    )
    as_text = lambda f: f.astype({c: "str" for c in ("area", "indicator", "sex", "source", "note")})  # noqa: E731
    from_snapshot = as_text(store.current().observations)
    assert from_snapshot["area"].tolist() == ["A", "N1", "B", "N2", "C"]
    for f in store._snapshot_file(1).parent.glob("*.parquet"):
        f.unlink()
    pd.testing.assert_frame_equal(from_snapshot, as_text(store.current().observations))  # same rows, same order


def test_a_damaged_snapshot_is_ignored(store: Store) -> None:
    store.apply(full_dataset(), user="u")
    expected = store.current().observations
    (store._snapshot_file(1).parent / "observations-v1.parquet").write_bytes(b"trasig")
    same_table(store.current().observations, expected)


# ---------------------------------------------------------------------------------------------
# Long operations on their own connection: short reads never wait for them


def many_rows(n: int, value: float = 1.0) -> Dataset:
    """n observations, one per area, all with the same value."""
    return obs(*[(f"O{k}", "i1", 2020, value) for k in range(n)])


@pytest.mark.parametrize("operation", ["diff", "apply", "rollback", "rollback_diff"])
def test_short_reads_do_not_wait_for_a_long_operation(
    store_target, monkeypatch: pytest.MonkeyPatch, operation: str
) -> None:
    store = Store(store_target)
    store.apply(many_rows(2_000, 1.0), user="u")
    store.apply(many_rows(2_000, 2.0), user="u")
    big = many_rows(20_000, 3.0)
    started, release = threading.Event(), threading.Event()
    original = Store._index_staging

    def held(self: Store, table: str) -> None:
        """Stage as usual, then hold the operation (and whatever it holds) until the test releases it."""
        original(self, table)
        if table == "observations":
            started.set()
            assert release.wait(120)

    monkeypatch.setattr(Store, "_index_staging", held)
    run = {
        "diff": lambda: store.diff(big),
        "apply": lambda: store.apply(big, user="u"),
        "rollback": lambda: store.rollback(1, user="u"),
        "rollback_diff": lambda: store.rollback_diff(1),
    }[operation]
    errors: list[BaseException] = []

    def long_operation() -> None:
        """The long operation, its error kept for the test."""
        try:
            run()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    reads: dict[str, object] = {}

    def short_reads() -> None:
        """What every page asks for."""
        reads["current_version"] = store.current_version()
        reads["versions"] = store.versions()["version"].tolist()

    worker = threading.Thread(target=long_operation)
    reader = threading.Thread(target=short_reads)
    worker.start()
    try:
        assert started.wait(120), "the long operation never reached its staging"
        reader.start()
        reader.join(timeout=15)
        assert not reader.is_alive(), f"current_version()/versions() waited for {operation}"
        assert worker.is_alive()  # the long operation was still in progress while the reads returned
        assert reads == {"current_version": 2, "versions": [2, 1]}
    finally:
        release.set()
        worker.join(120)
        if reader.ident is not None:
            reader.join(120)
    assert errors == []
    assert store.current_version() == (3 if operation in ("apply", "rollback") else 2)
    assert temporary_tables(store) == 0
    store.close()


def test_an_in_memory_store_keeps_working_on_its_one_connection() -> None:
    with Store(":memory:") as store:
        store.apply(obs(("A", "i1", 2020, 1.0)), user="u")
        assert store.diff(obs(("A", "i1", 2020, 2.0))).n_changed == 1
        assert store.rollback(1, user="u").version is None
        assert values(store.current()) == {("A", "i1", 2020): 1.0}


# ---------------------------------------------------------------------------------------------
# Original files: a total limit, and pruning that keeps the data and says so in the history


def test_max_originals_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert max_originals_bytes() == 500 * 1024 * 1024
    monkeypatch.setenv("SEGDASH_MAX_ORIGINALS_MB", "2")
    assert max_originals_bytes() == 2 * 1024 * 1024


def test_an_import_over_the_originals_limit_is_refused_and_writes_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEGDASH_MAX_ORIGINALS_MB", "1")
    store.apply(obs(("A", "i1", 2020, 1.0)), user="u", file_name="a.xlsx", file_bytes=b"a" * 600_000)
    before = store.checksum()
    with pytest.raises(OriginalsQuotaError) as info:
        store.apply(obs(("A", "i1", 2020, 2.0)), user="u", file_name="b.xlsx", file_bytes=b"b" * 600_000)
    message = str(info.value)
    assert "Ingenting importerades" in message and "1,0 MB" in message and "SEGDASH_MAX_ORIGINALS_MB" in message
    assert "python -m analysis prune-originals --keep" in message  # how to free space
    assert store.checksum() == before and store.current_version() == 1
    assert values(store.current()) == {("A", "i1", 2020): 1.0}
    # A change that stores no file, or one that changes nothing, is not refused.
    assert store.apply(obs(("A", "i1", 2020, 1.0)), user="u", file_bytes=b"c" * 600_000).version is None
    assert store.apply(obs(("A", "i1", 2020, 3.0)), user="u").version == 2
    # Freeing space makes the refused import possible.
    assert [p.version for p in store.prune_originals(user="it", keep=0)] == [1]
    assert (
        store.apply(obs(("A", "i1", 2020, 2.0)), user="u", file_name="b.xlsx", file_bytes=b"b" * 600_000).version == 3
    )


def four_versions(store: Store) -> dict[int, bytes]:
    """v1 and v2 imports with files, v3 a rollback (no file), v4 an import with a file; their files by version."""
    files = {1: b"first" * 100, 2: b"second" * 100, 4: b"fourth" * 100}
    store.apply(obs(("A", "i1", 2020, 1.0)), user="u", file_name="v1.xlsx", file_bytes=files[1])
    store.apply(obs(("A", "i1", 2020, 2.0)), user="u", file_name="v2.xlsx", file_bytes=files[2])
    store.rollback(1, user="u")
    store.apply(obs(("A", "i1", 2021, 4.0)), user="u", file_name="v4.xlsx", file_bytes=files[4])
    return files


PRUNE_CASES = [
    ({"keep": 0}, [1, 2, 4]),
    ({"keep": 1}, [1, 2]),
    ({"keep": 2}, [1]),
    ({"keep": 3}, []),
    ({"keep": 10}, []),
    ({"before": 1}, []),
    ({"before": 2}, [1]),
    ({"before": 4}, [1, 2]),
    ({"before": 99}, [1, 2, 4]),
]


@pytest.mark.parametrize(("which", "pruned"), PRUNE_CASES, ids=[str(c[0]) for c in PRUNE_CASES])
def test_prune_originals_deletes_old_files_but_keeps_data_and_history(
    store: Store, which: dict, pruned: list[int]
) -> None:
    files = four_versions(store)
    states = {v: store.dataset_at(v) for v in (1, 2, 3, 4)}
    history_before = store.versions()[list(VERSION_COLUMNS)]
    result = store.prune_originals(user="it-admin", **which)
    assert result == [
        PrunedOriginal(v, f"v{v}.xlsx", len(files[v]), hashlib.sha256(files[v]).hexdigest()) for v in pruned
    ]
    for v in (1, 2, 4):
        assert store.original_file(v) == (None if v in pruned else (f"v{v}.xlsx", files[v]))
    for v, state in states.items():  # every state can still be read
        same_table(store.dataset_at(v).observations, state.observations)
    versions = store.versions()
    pd.testing.assert_frame_equal(versions[list(VERSION_COLUMNS)], history_before)  # the history is untouched
    assert dict(zip(versions["version"], versions["has_file"])) == {
        4: 4 not in pruned,
        3: False,
        2: 2 not in pruned,
        1: 1 not in pruned,
    }
    by_version = versions.set_index("version")
    for v in pruned:
        assert by_version.loc[v, "file_pruned_by"] == "it-admin" and by_version.loc[v, "file_pruned_at"].endswith(
            "+00:00"
        )
    shown = dict(zip(versions_table(versions)["Version"], versions_table(versions)["Originalfil"]))
    for v in (1, 2, 4):
        if v in pruned:
            assert shown[v].startswith("Borttagen ") and shown[v].endswith("av it-admin för att frigöra utrymme")
        else:
            assert shown[v] == "Sparad"
    assert shown[3] == ""
    assert store.originals_size() == sum(len(files[v]) for v in (1, 2, 4) if v not in pruned)
    rows = store._conn.execute("SELECT version, file_name, size, sha256, pruned_by FROM file_prunings ORDER BY version")
    assert rows.fetchall() == [
        (v, f"v{v}.xlsx", len(files[v]), hashlib.sha256(files[v]).hexdigest(), "it-admin") for v in pruned
    ]
    assert store.prune_originals(user="it-admin", **which) == []  # nothing left to prune: nothing recorded twice


@pytest.mark.parametrize("which", [{}, {"keep": 1, "before": 2}, {"keep": -1}])
def test_prune_originals_needs_exactly_one_rule(store: Store, which: dict) -> None:
    four_versions(store)
    before = store.checksum()
    with pytest.raises(ValueError, match="--keep N"):
        store.prune_originals(user="u", **which)
    assert store.checksum() == before


def test_pruning_changes_the_checksum(store: Store) -> None:
    four_versions(store)
    before = store.checksum()
    store.prune_originals(user="u", keep=1)
    assert store.checksum() != before


# ---------------------------------------------------------------------------------------------
# A full disk during an import or rollback: a Swedish error, nothing half-written


def fill_disk_after(store: Store, extra_pages: int = 2) -> None:
    """Make every connection the store opens from now on hit SQLITE_FULL after a few more pages (test hook)."""
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._on_connect = lambda c: c.execute(f"PRAGMA max_page_count = {pages + extra_pages}").fetchone()


@pytest.mark.parametrize("operation", ["import", "rollback"])
def test_a_full_disk_is_a_swedish_error_and_leaves_the_store_as_it_was(tmp_path: Path, operation: str) -> None:
    path = tmp_path / "full.sqlite"
    store = Store(path)
    store.apply(many_rows(3_000, 1.0), user="u", file_name="v1.xlsx", file_bytes=b"1" * 1000)
    store.apply(many_rows(3_000, 2.0), user="u", file_name="v2.xlsx", file_bytes=b"2" * 1000)
    before = store.checksum()
    fill_disk_after(store)
    with pytest.raises(StorageError) as info:
        if operation == "import":
            store.apply(many_rows(6_000, 3.0), user="u", file_name="v3.xlsx", file_bytes=b"3" * 200_000)
        else:
            store.rollback(1, user="u")
    cause = info.value.__cause__
    assert isinstance(cause, sqlite3.OperationalError) and cause.sqlite_errorcode == sqlite3.SQLITE_FULL
    message = str(info.value)
    assert message.startswith("Databasen kunde inte skrivas: disken på servern är full.")
    assert "Ingenting ändrades" in message and "prune-originals" in message
    store._on_connect = None
    assert store.checksum() == before and store.current_version() == 2
    store.close()
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store(path) as again:
        assert again.checksum() == before
        assert set(values(again.current()).values()) == {2.0}
        assert again.rollback(1, user="u").version == 3  # with room again, the same change works


# ---------------------------------------------------------------------------------------------
# Read-only stores: viewers on a read-only file, directory or mount


def seeded(path: Path) -> str:
    """Create a store at `path` with two versions (snapshots removed) and return its checksum."""
    with Store(path) as s:
        s.apply(full_dataset(), user="u", file_name="v1.xlsx", file_bytes=b"v1")
        s.apply(obs(("Skäggetorp", "arb", 2024, 70.0)), user="u")
        checksum = s.checksum()
    shutil.rmtree(path.with_name(path.name + ".snapshots"), ignore_errors=True)
    return checksum


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_read_only_setting_opens_the_store_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ro.sqlite"
    checksum = seeded(path)
    with Store(path) as writable:
        expected = writable.current()
    shutil.rmtree(path.with_name(path.name + ".snapshots"))
    digest = file_digest(path)
    monkeypatch.setenv("SEGDASH_DB_READ_ONLY", "1")
    with Store(path) as store:
        assert store.read_only
        assert store.checksum() == checksum
        same_table(store.current().observations, expected.observations)
        same_table(store.current().observations, expected.observations)  # from the in-memory snapshot
        assert store.versions()["version"].tolist() == [2, 1]
        assert store.original_file(1) == ("v1.xlsx", b"v1")
        for change, action in [
            (lambda: store.apply(obs(("A", "i1", 2020, 1.0)), user="u"), "importera"),
            (lambda: store.rollback(1, user="u"), "återställa"),
            (lambda: store.prune_originals(user="u", keep=0), "ta bort originalfiler"),
        ]:
            with pytest.raises(ReadOnlyStoreError, match=f"^Databasen är skrivskyddad, så det går inte att {action}"):
                change()
        assert store.checksum() == checksum
    assert not path.with_name(path.name + ".snapshots").exists()  # no snapshot written next to a read-only store
    assert file_digest(path) == digest


def test_a_read_only_store_that_does_not_exist_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEGDASH_DB_READ_ONLY", "1")
    with pytest.raises(StoreError, match="finns inte och kan inte skapas"):
        Store(tmp_path / "saknas.sqlite")
    assert not (tmp_path / "saknas.sqlite").exists()


READ_ONLY_CHILD = r"""
import json, os, sys
from analysis.store.history import ReadOnlyStoreError, Store
import analysis.core.model, pyarrow.parquet  # imported before dropping privileges: the code tree may be root-only
path = sys.argv[1]
if os.getuid() == 0:
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
out = {"uid": os.getuid(), "writable": os.access(path, os.W_OK)}
with Store(path) as store:
    out["read_only"] = store.read_only
    out["immutable"] = store._immutable
    out["checksum"] = store.checksum()
    out["n_observations"] = len(store.current().observations)
    out["versions"] = store.versions()["version"].tolist()
    try:
        store.apply(analysis.core.model.make_dataset(), user="x")
        out["apply"] = "no error"
    except ReadOnlyStoreError as exc:
        out["apply"] = str(exc)
print(json.dumps(out))
"""


@pytest.mark.parametrize("what", ["file", "directory"])
def test_a_read_only_file_or_directory_opens_read_only(what: str) -> None:
    root = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="segdash-ro-"))
    try:
        os.chmod(folder, 0o777 if what == "file" else 0o755)
        path = folder / "ro.sqlite"
        checksum = seeded(path)
        os.chmod(path, 0o444)
        if what == "directory":
            os.chmod(folder, 0o555)
        if not root and os.access(path, os.W_OK):
            pytest.skip("neither root (to drop privileges) nor chmod makes the file read-only here")
        listing = sorted(p.name for p in folder.iterdir())
        digest = file_digest(path)
        proc = subprocess.run(
            [sys.executable, "-c", READ_ONLY_CHILD, str(path)],
            cwd=Path(__file__).parent.parent,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        out = json.loads(proc.stdout.strip().splitlines()[-1])
        assert out["uid"] != 0 and out["writable"] is False
        assert out["read_only"] is True
        assert out["immutable"] is (what == "directory")  # no -shm can be made there: opened immutable
        assert out["checksum"] == checksum and out["versions"] == [2, 1] and out["n_observations"] == 3
        assert out["apply"].startswith("Databasen är skrivskyddad")
        assert file_digest(path) == digest
        after = sorted(p.name for p in folder.iterdir())
        assert not any(name.endswith(".snapshots") for name in after)
        if what == "directory":
            assert after == listing
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Owner-only files and checked snapshots


def mode(path: Path) -> int:
    """A file's permission bits."""
    return stat.S_IMODE(path.stat().st_mode)


def test_store_and_snapshots_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "private.sqlite"
        with Store(path) as store:
            store.apply(full_dataset(), user="u")
            store.apply(obs(("Skäggetorp", "arb", 2024, 70.0)), user="u")
            assert {p.name for p in tmp_path.iterdir()} >= {
                "private.sqlite",
                "private.sqlite-wal",
                "private.sqlite-shm",
            }
            for name in ("private.sqlite", "private.sqlite-wal", "private.sqlite-shm"):
                assert mode(tmp_path / name) == 0o600, name
            folder = tmp_path / "private.sqlite.snapshots"
            assert mode(folder) == 0o700
            snapshots = sorted(folder.iterdir())
            assert [p.name for p in snapshots] == ["observations-v1.parquet", "observations-v2.parquet"]
            assert all(mode(p) == 0o600 for p in snapshots)
    finally:
        os.umask(old)


def tamper_with_snapshot(path: Path, how: str) -> None:
    """Change a snapshot file: a valid Parquet file with one value changed, or the file cut short."""
    if how == "changed value":
        frame = pd.read_parquet(path)
        frame.loc[0, "value"] = 99.0
        frame.to_parquet(path, index=False)
    else:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("how", ["changed value", "truncated"])
def test_a_tampered_snapshot_is_not_trusted_and_is_rebuilt(tmp_path: Path, how: str) -> None:
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        store.apply(obs(("A", "i1", 2020, 1.0), ("B", "i1", 2020, 2.0)), user="u")
        expected = values(store.current())
    snapshot = tmp_path / "s.sqlite.snapshots" / "observations-v1.parquet"
    tamper_with_snapshot(snapshot, how)
    with Store(path) as store:  # a new process's view: only SQLite's record of the hash to go by
        assert values(store.current()) == expected == {("A", "i1", 2020): 1.0, ("B", "i1", 2020): 2.0}
        recorded = store._conn.execute("SELECT sha256 FROM snapshots WHERE version = 1").fetchone()[0]
    assert file_digest(snapshot) == recorded  # rebuilt from SQLite, and its new hash recorded
    assert values(Dataset(observations=pd.read_parquet(snapshot))) == expected


def test_a_snapshot_without_a_recorded_hash_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        store.apply(obs(("A", "i1", 2020, 1.0)), user="u")
        store._conn.execute("DELETE FROM snapshots")
    snapshot = tmp_path / "s.sqlite.snapshots" / "observations-v1.parquet"
    tamper_with_snapshot(snapshot, "changed value")
    with Store(path) as store:
        assert values(store.current()) == {("A", "i1", 2020): 1.0}


def test_diff_counts_rows_per_table_and_kind(store: Store) -> None:
    store.apply(obs(("A", "i1", 2020, 1.0), ("A", "i1", 2021, 2.0)), user="u")
    diff = store.diff(obs(("A", "i1", 2020, 1.5), ("A", "i1", 2022, 3.0), ("A", "i1", 2023, 4.0)))
    assert [diff.count("observations", k) for k in ("new", "changed", "removed")] == [2, 1, 0]
    assert diff.count("areas", "new") == 0 and diff.count("finns_inte", "new") == 0


def test_the_full_dataset_has_rows_in_every_table() -> None:
    assert [t for t in TABLES if full_dataset().table(t).empty] == []


def action(action_id: str, plan: str, responsible: str) -> dict[str, object]:
    """An action row of one plan version."""
    return {"id": action_id, "title": "Läxhjälp", "responsible": responsible, "plan": plan}


def index_columns(path: Path, index: str) -> list[str]:
    """The columns an index of the store file covers, in order."""
    con = sqlite3.connect(path)
    try:
        return [r[2] for r in con.execute(f'PRAGMA index_info("{index}")')]
    finally:
        con.close()


def make_old_schema(path: Path) -> None:
    """Turn a store file into one made before plan versions: no plans table, actions and their indexes keyed by id
    alone, follow-ups without Andel klar."""
    con = sqlite3.connect(path)
    try:
        con.executescript(
            """
            DROP INDEX actions_hist_key;
            DROP INDEX actions_hist_current;
            ALTER TABLE actions_hist DROP COLUMN plan;
            CREATE INDEX actions_hist_key ON actions_hist (id, valid_to);
            CREATE UNIQUE INDEX actions_hist_current ON actions_hist (id) WHERE valid_to IS NULL;
            DROP INDEX plans_hist_key;
            DROP INDEX plans_hist_current;
            DROP TABLE plans_hist;
            ALTER TABLE action_followups_hist DROP COLUMN progress;
            """
        )
    finally:
        con.close()


def test_a_store_made_before_plan_versions_is_migrated_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with Store(path) as s:
        s.apply(make_dataset(actions=pd.DataFrame([action("A1", "", "BUN")])), user="u")
    make_old_schema(path)
    assert index_columns(path, "actions_hist_current") == ["id"]
    with Store(path) as s:
        assert index_columns(path, "actions_hist_current") == ["id", "plan"]
        assert index_columns(path, "actions_hist_key") == ["id", "plan", "valid_to"]
        assert index_columns(path, "plans_hist_current") == ["name"]
        assert s.current().actions[["id", "plan", "responsible"]].values.tolist() == [["A1", "", "BUN"]]
        # Two rows with the same id in two plans: the old unique index on id alone would refuse the second.
        plans = pd.DataFrame([{"name": "P1", "first_year": 2021}, {"name": "P2", "first_year": 2022}])
        two = pd.DataFrame([action("A2", "P1", "BUN"), action("A2", "P2", "SBN")])
        result = s.apply(make_dataset(plans=plans, actions=two), user="u")
        assert (result.version, result.diff.n_new) == (2, 4)
        assert s.current().actions[["id", "plan", "responsible"]].values.tolist() == [
            ["A1", "", "BUN"],
            ["A2", "P1", "BUN"],
            ["A2", "P2", "SBN"],
        ]
        followups = pd.DataFrame([{"action": "A2", "year": 2022, "status": "Pågår", "progress": 30.0}])
        s.apply(make_dataset(action_followups=followups), user="u")
        assert s.current().action_followups["progress"].tolist() == [30.0]
        s.rollback(1, user="u")
        assert s.current().actions["id"].tolist() == ["A1"] and s.current().plans.empty
    with Store(path) as again:  # a migrated file is opened again without another change
        assert index_columns(path, "actions_hist_current") == ["id", "plan"]
        assert again.current_version() == 4


def test_the_same_action_in_two_plans_is_two_rows_each_with_its_own_history(store: Store) -> None:
    store.apply(make_dataset(actions=pd.DataFrame([action("A1", "P1", "BUN"), action("A1", "P2", "BUN")])), user="u")
    diff = store.diff(make_dataset(actions=pd.DataFrame([action("A1", "P2", "SBN")])))
    assert (diff.n_new, diff.n_changed, diff.n_unchanged) == (0, 1, 0)
    assert diff.tables["actions"].changed[["id", "plan", "responsible", "old_responsible"]].values.tolist() == [
        ["A1", "P2", "SBN", "BUN"]
    ]
    store.apply(make_dataset(actions=pd.DataFrame([action("A1", "P2", "SBN")])), user="u")
    # An import adds and updates rows by key (id, plan) and leaves the rest: P1's row is untouched.
    assert store.current().actions[["plan", "responsible"]].values.tolist() == [["P1", "BUN"], ["P2", "SBN"]]
    assert store.dataset_at(1).actions["responsible"].tolist() == ["BUN", "BUN"]


def test_a_missing_snapshot_is_derived_from_an_earlier_one_and_the_rows_changed_since(
    store_target, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.store import history

    with Store(store_target) as reader, Store(store_target) as writer:
        writer.apply(obs(("A", "i", 2020, 1.0), ("B", "i", 2020, 2.0), ("C", "i", 2020, 3.0)), user="u")
        reader.current()  # the reader's snapshot of version 1
        writer.apply(obs(("B", "i", 2020, 20.0), ("N1", "i", 2020, 9.0)), user="u")  # v2: one changed, one new
        writer.rollback(1, user="u")  # v3: closes both, writes B's old value as a new row
        writer.apply(obs(("N2", "i", 2020, 8.0), ("C", "i", 2020, 30.0)), user="u")  # v4
        folder = reader._snapshot_file(1).parent
        for f in folder.glob("observations-v*.parquet"):
            if f.name != "observations-v1.parquet":
                f.unlink()  # as on an instance that only ever saw version 1
        fetched: list[int] = []
        original = history.observations_from_rows
        monkeypatch.setattr(history, "observations_from_rows", lambda rows: fetched.append(len(rows)) or original(rows))
        derived = reader.current().observations
        assert max(fetched) <= 3  # only the rows v2-v4 wrote and closed were read, never all six history rows
        with reader._read() as c:
            rows = c.execute(
                "SELECT area, indicator, year, sex, value, source, note FROM observations_hist "
                "WHERE valid_to IS NULL ORDER BY row_id"
            ).fetchall()
        full = original(rows)
        as_text = lambda f: f.astype({c: "str" for c in ("area", "indicator", "sex", "source", "note")})  # noqa: E731
        pd.testing.assert_frame_equal(as_text(derived), as_text(full))
        assert derived["area"].tolist() == ["A", "B", "N2", "C"]  # kept rows, then new rows in id order
        assert reader._snapshot_file(4).exists()  # and kept as this instance's snapshot of version 4


SNAPSHOT_MERGE_CASES = [
    # (stored rows, keys closed since, rows added since, areas left in order)
    ([("A", "i", 2020, 1.0), ("B", "i", 2020, 2.0)], [("B", "i", 2020)], [("B", "i", 2020, 3.0)], ["A", "B"]),
    ([("A", "i", 2020, 1.0), ("B", "i", 2021, 2.0)], [("B", "i", 2020)], [], ["A", "B"]),  # other year: kept
    ([("A", "i", 2020, 1.0)], [("Okänt", "i", 2020)], [("C", "j", 2019, 5.0)], ["A", "C"]),  # unknown text
    ([("A", "i", 2020, 1.0), ("B", "i", 2020, 2.0)], [("A", "i", 2020), ("B", "i", 2020)], [], []),  # all closed
    ([("Ö", "i", 1990, 1.0), ("A", "k", 2030, None)], [("Ö", "i", 1990)], [("Å", "k", 2030, 4.0)], ["A", "Å"]),
]


@pytest.mark.parametrize(("stored", "closed", "added", "areas"), SNAPSHOT_MERGE_CASES)
def test_a_snapshot_merged_from_categories_equals_one_read_afresh(stored, closed, added, areas) -> None:
    from analysis.store.history import _appended, _without_keys, _without_keys_by_tuples, observation_dtypes

    previous = observation_dtypes(obs(*stored).observations)
    gone = obs(*[(*k, 0.0) for k in closed]).observations
    new = obs(*added).observations if added else obs().observations
    kept = _without_keys(previous, gone)
    assert kept.index.equals(_without_keys_by_tuples(previous, gone).index)
    merged = _appended(kept, new)
    expected = observation_dtypes(
        pd.concat([kept.astype({c: object for c in ("area", "indicator", "sex", "source", "note")}), new])
    )
    pd.testing.assert_frame_equal(merged, expected)  # values, dtypes and the categories themselves
    assert merged["area"].tolist() == areas
    assert set(merged["area"].cat.categories) == set(areas)  # no category of a closed row lingers


def test_history_rows_name_existing_versions_and_versions_are_never_deleted(store: Store) -> None:
    import psycopg

    store.apply(obs(("A", "i1", 2020, 1.0)), user="u")
    before = store.checksum()
    refused = (sqlite3.IntegrityError, psycopg.IntegrityError)
    for statement in (
        "INSERT INTO observations_hist (area, indicator, year, sex, valid_from) VALUES ('X', 'i1', 2020, 'Totalt', 99)",
        "UPDATE observations_hist SET valid_to = 99",
        "DELETE FROM versions",
    ):
        with pytest.raises(refused):
            with store._write() as c:
                c.execute(statement)
    assert store.checksum() == before
