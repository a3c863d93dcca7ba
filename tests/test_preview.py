"""What an import or rollback changes, as Swedish tables (analysis/store/preview.py), on a real store in tmp_path."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.model import TABLES, make_dataset
from analysis.store.history import Store
from analysis.store.preview import (
    TABLE_TITLES,
    changes_by_indicator_and_area,
    diff_counts,
    original_file_status,
    other_changes,
    rollback_summary,
    value_changes,
    versions_table,
)
from tests.builders import AREAS, INDICATORS


def observations(rows: list[tuple[str, str, int, float]]) -> pd.DataFrame:
    """Observation rows (area, indicator, year, value), Totalt, source SCB."""
    return pd.DataFrame(
        [{"area": a, "indicator": i, "year": y, "sex": "Totalt", "value": v, "source": "SCB"} for a, i, y, v in rows]
    )


FIRST = [("Berga", "forvarvsfrekvens", 2023, 60.04), ("Berga", "folkmangd", 2023, 6500.0)]
SECOND = [
    ("Berga", "forvarvsfrekvens", 2023, 61.0),  # changed
    ("Berga", "folkmangd", 2023, 6500.0),  # unchanged
    ("Skäggetorp", "folkmangd", 2023, 12345.0),  # new
    ("Berga", "folkmangd", 2024, 6558.0),  # new
]


@pytest.fixture
def store(store_target):
    s = Store(store_target)
    areas, indicators = pd.DataFrame(AREAS), pd.DataFrame(INDICATORS)
    s.apply(make_dataset(areas=areas, indicators=indicators, observations=observations(FIRST)), user="anna")
    return s


def incoming():
    """The second upload: one value changed, two new, one area's alias changed."""
    areas = pd.DataFrame(AREAS)
    areas.loc[areas["name"] == "Berga", "aliases"] = "Berga stadsdel"
    return make_dataset(areas=areas, indicators=pd.DataFrame(INDICATORS), observations=observations(SECOND))


def test_every_table_has_a_swedish_title():
    assert set(TABLE_TITLES) == set(TABLES)


def test_counts_values_and_their_swedish_formatting(store):
    diff, current = store.diff(incoming()), store.current()
    counts = diff_counts(diff).set_index("Tabell")
    assert counts.loc["Värden", ["Nya", "Ändrade", "Oförändrade"]].tolist() == [2, 1, 1]
    assert counts.loc["Områden", "Ändrade"] == 1
    changed = value_changes(diff, current)
    assert changed.to_dict("records") == [
        {
            "Område": "Berga",
            "Indikator": "Förvärvsfrekvens 20–64 år",
            "År": "2023",
            "Kön": "Totalt",
            "Gammalt värde": "60,0\u00a0%",
            "Nytt värde": "61,0\u00a0%",
            "Källa": "SCB",
        }
    ]
    new = value_changes(diff, current, "new")
    assert sorted(new["Nytt värde"]) == ["12\u00a0345", "6\u00a0558"]
    assert set(new["Gammalt värde"]) == {"–"}
    assert len(value_changes(diff, current, "new", limit=1)) == 1


def test_changes_per_indicator_and_area_and_other_tables(store):
    diff, current = store.diff(incoming()), store.current()
    table = changes_by_indicator_and_area(diff, current).sort_values(["Indikator", "Område"])
    assert table.values.tolist() == [
        ["Folkmängd", "Berga", 1, 0],
        ["Folkmängd", "Skäggetorp", 1, 0],
        ["Förvärvsfrekvens 20–64 år", "Berga", 0, 1],
    ]
    assert other_changes(diff).values.tolist() == [["Områden", "Ändrad", "Berga"]]


def test_rollback_sentence_and_version_history(store):
    store.apply(incoming(), user="bo", file_name="ny.xlsx", file_bytes=b"PK")
    assert rollback_summary(store.rollback_diff(2), 2).startswith("Nuvarande data är redan desamma som i version 2")
    text = rollback_summary(store.rollback_diff(1), 1)
    assert text.startswith("Återställningen till version 1 lägger tillbaka 0, ändrar 2 och tar bort 2 rader")
    table = versions_table(store.versions())
    assert table["Version"].tolist() == [2, 1]
    assert table["Typ"].tolist() == ["Import", "Import"]
    assert table["Fil"].tolist() == ["ny.xlsx", ""]


@pytest.mark.parametrize(
    "has_file, pruned_at, pruned_by, text",
    [
        (True, "", "", "Sparad"),
        (False, "2026-11-30T10:15:00", "anna", "Borttagen 2026-11-30 10:15 (UTC) av anna för att frigöra utrymme"),
        (False, "2026-11-30T10:15:00", "", "Borttagen 2026-11-30 10:15 (UTC) för att frigöra utrymme"),
        (False, "", "", ""),
    ],
)
def test_original_file_status(has_file, pruned_at, pruned_by, text):
    versions = pd.DataFrame({"has_file": [has_file], "file_pruned_at": [pruned_at], "file_pruned_by": [pruned_by]})
    assert original_file_status(versions) == [text]


def plan_versions(*rows: tuple[str, str, int, int | None]) -> pd.DataFrame:
    """Plan versions (name, adopted, first year, last year)."""
    return pd.DataFrame([{"name": n, "adopted": a, "first_year": f, "last_year": last} for n, a, f, last in rows])


def test_new_and_changed_plans_and_actions_per_plan_are_listed_by_their_keys(store):
    actions = pd.DataFrame(
        [
            {"id": "A01", "title": "Läxhjälp", "plan": ""},
            {"id": "A02", "title": "Belysning", "plan": "Åtgärdsplan 2020"},
        ]
    )
    store.apply(
        make_dataset(plans=plan_versions(("Åtgärdsplan 2020", "2020-12-02", 2021, 2023)), actions=actions), user="anna"
    )
    upload = make_dataset(
        plans=plan_versions(
            ("Åtgärdsplan 2020", "2020-12-02", 2021, 2021),  # shortened: the next plan takes over
            ("Åtgärdsplan 2022", "2022-01-19", 2022, None),
        ),
        actions=pd.DataFrame(
            [
                {"id": "A01", "title": "Läxhjälp", "plan": ""},
                {"id": "A02", "title": "Belysning i parken", "plan": "Åtgärdsplan 2022"},
            ]
        ),
    )
    diff = store.diff(upload)
    counts = diff_counts(diff).set_index("Tabell")
    assert counts.loc["Planer", ["Nya", "Ändrade", "Oförändrade"]].tolist() == [1, 1, 0]
    assert counts.loc["Åtgärder", ["Nya", "Ändrade", "Oförändrade"]].tolist() == [1, 0, 1]
    assert other_changes(diff).values.tolist() == [
        ["Planer", "Ny", "Åtgärdsplan 2022"],
        ["Planer", "Ändrad", "Åtgärdsplan 2020"],
        ["Åtgärder", "Ny", "A02 | Åtgärdsplan 2022"],  # the same id in another plan is another row
    ]
    changed = diff.tables["plans"].changed
    assert changed[["name", "last_year", "old_last_year"]].values.tolist() == [["Åtgärdsplan 2020", 2021, 2023]]
    store.apply(upload, user="bo")  # version 3, after the fixture's version 1 and the plans of version 2
    text = rollback_summary(store.rollback_diff(2), 2)
    assert text.startswith("Återställningen till version 2 lägger tillbaka 0, ändrar 1 och tar bort 2 rader")


def test_an_action_without_a_plan_is_named_by_its_id_alone(store):
    diff = store.diff(make_dataset(actions=pd.DataFrame([{"id": "A01", "title": "Läxhjälp"}])))
    assert other_changes(diff).values.tolist() == [["Åtgärder", "Ny", "A01"]]
