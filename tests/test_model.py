"""The data model (analysis/core/model.py): the tables, their columns and dtypes, lists and area roles."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.model import (
    TABLE_COLUMNS,
    TABLES,
    Dataset,
    areas_of_type,
    conform,
    empty_frame,
    focus_areas,
    is_uncertain,
    make_dataset,
    reference_area,
    split_list,
)


def test_every_table_of_the_dataset_is_declared_once():
    assert set(TABLES) == set(TABLE_COLUMNS)
    assert TABLES[0] == "observations"
    assert "action_followups" in TABLES


@pytest.mark.parametrize("table", TABLES)
def test_an_empty_table_has_its_columns_and_types(table):
    frame = empty_frame(table)
    assert list(frame.columns) == list(TABLE_COLUMNS[table])
    assert len(frame) == 0
    assert getattr(Dataset(), table).columns.tolist() == list(TABLE_COLUMNS[table])


def test_conform_adds_drops_and_types_columns():
    raw = pd.DataFrame({"area": ["Berga"], "indicator": ["x"], "year": ["2021"], "value": ["12.5"], "extra": [1]})
    out = conform("observations", raw)
    assert list(out.columns) == list(TABLE_COLUMNS["observations"])
    assert out.loc[0, "year"] == 2021 and str(out["year"].dtype) == "Int64"
    assert out.loc[0, "value"] == 12.5 and out["value"].dtype == "float64"
    assert out.loc[0, "sex"] == ""  # a text column that was missing is empty text
    assert "extra" not in out.columns


def test_make_dataset_refuses_unknown_tables():
    with pytest.raises(ValueError, match="unknown tables"):
        make_dataset(observationer=pd.DataFrame())
    ds = make_dataset(areas=pd.DataFrame([{"name": "Berga", "type": "Fokusområde"}]))
    assert ds.row_counts() == {t: (1 if t == "areas" else 0) for t in TABLES}
    assert ds.with_table("areas", pd.DataFrame()).areas.empty


@pytest.mark.parametrize(
    "cell, items",
    [
        ("Berga; Ryd ;;Skäggetorp", ["Berga", "Ryd", "Skäggetorp"]),
        ("", []),
        (None, []),
        (float("nan"), []),
        (pd.NA, []),
        ("Berga", ["Berga"]),
        (2020, ["2020"]),
    ],
)
def test_split_list(cell, items):
    assert split_list(cell) == items


@pytest.mark.parametrize(
    "types, focus, reference",
    [
        (["Fokusområde", "Jämförelse", "Kommun", "Fokusområde"], ["a0", "a3"], "a1"),
        (["Fokusområde", "Kommun"], ["a0"], "a1"),  # no Jämförelse: the municipality
        (["Övrigt", "Riket"], [], None),
        (["Jämförelse", "Jämförelse"], [], "a0"),  # the first one
    ],
)
def test_area_roles(types, focus, reference):
    areas = pd.DataFrame({"name": [f"a{i}" for i in range(len(types))], "type": types})
    assert focus_areas(areas) == focus
    assert reference_area(areas) == reference
    assert areas_of_type(areas, "Riket") == [f"a{i}" for i, t in enumerate(types) if t == "Riket"]


@pytest.mark.parametrize(
    "note, uncertain",
    [
        ("Osäkert värde: bygger på få personer", True),
        ("Få personer i gruppen", True),
        ("Osäker uppgift", True),
        ("Litet underlag", True),
        ("Small number of persons", True),
        ("", False),
        (None, False),
        ("Preliminärt", False),
        ("Säker uppgift", False),  # 'säker' is not 'osäker'
        ("Färre än förra året", False),
    ],
)
def test_is_uncertain(note, uncertain):
    assert is_uncertain(note) is uncertain
