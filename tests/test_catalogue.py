"""The indicator catalogue as data (data/indikatorkatalog.csv, read by data/defaultdata/catalogue.py): its schema.

The catalogue is one table, one row per indicator. These tests hold it to the model's vocabularies, to the
default workbook the build writes from it, and show that the build's own check refuses a broken row.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "data"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from defaultdata.catalogue import (  # noqa: E402
    CATALOGUE_COLUMNS,
    GENERATOR,
    KPI_FILE_NAME,
    catalogue_problems,
    parse_years,
    read_catalogue,
    read_rows,
)

from analysis.core.model import INDICATOR_COLUMNS, THEMES  # noqa: E402

CSV = ROOT / "data" / "indikatorkatalog.csv"


@pytest.fixture(scope="module")
def table():
    """The header and rows of the committed catalogue."""
    return read_rows(CSV)


def test_the_table_has_the_model_columns_then_the_build_columns(table):
    header, _ = table
    assert header == list(CATALOGUE_COLUMNS)
    assert header[: len(INDICATOR_COLUMNS)] == list(INDICATOR_COLUMNS)


def test_the_committed_catalogue_breaks_no_rule(table):
    header, rows = table
    assert catalogue_problems(rows, header) == []
    assert len(rows) == 28


def test_ids_and_names_are_unique_and_every_theme_is_used(table):
    _, rows = table
    ids, names = [r["id"] for r in rows], [r["name"] for r in rows]
    assert len(set(ids)) == len(ids) and len(set(names)) == len(names)
    assert {r["theme"] for r in rows} == set(THEMES)
    assert [r["id"] for r in rows if r["values_from"] != GENERATOR] == ["omradestyp", "kpi"]
    assert next(r for r in rows if r["id"] == "omradestyp")["values_from"] == "områdestyper"
    assert next(r for r in rows if r["id"] == "kpi")["values_from"] == KPI_FILE_NAME


def test_the_default_data_has_exactly_the_catalogue(table, default_data):
    _, rows = table
    indicators = default_data.indicators
    assert indicators["id"].tolist() == [r["id"] for r in rows]
    for column in ("name", "theme", "unit", "direction", "definition", "source", "sex_words"):
        assert indicators[column].astype(str).tolist() == [r[column] for r in rows], column
    assert indicators["decimals"].astype(int).tolist() == [int(r["decimals"]) for r in rows]
    assert indicators["key_figure"].tolist() == [r["key_figure"] == "Ja" for r in rows]


def test_the_build_reads_the_table_as_written(table):
    _, rows = table
    catalogue = read_catalogue(CSV)
    assert [i.id for i in catalogue] == [r["id"] for r in rows]
    # The model's columns exactly as written; the build's own columns become typed fields.
    assert all(i.row == {c: r[c] for c in INDICATOR_COLUMNS} for i, r in zip(catalogue, rows))
    assert [i.by_sex for i in catalogue] == [r["by_sex"] == "Ja" for r in rows]
    assert [i.years for i in catalogue if i.id == "valdeltagande_kommunval"] == [(2018, 2022)]


@pytest.mark.parametrize(
    "text, years",
    [("2015-2024", tuple(range(2015, 2025))), ("2018;2022", (2018, 2022)), ("2019", (2019,)), ("", ())],
)
def test_parse_years(text, years):
    assert parse_years(text) == years


BROKEN = [
    ({"theme": "ekonomin"}, "theme 'ekonomin' not in"),
    ({"unit": "liter"}, "unit 'liter' not in"),
    ({"direction": "Högre"}, "direction 'Högre' not in"),
    ({"key_figure": "ja"}, "key_figure 'ja' not in"),
    ({"by_sex": "Yes"}, "by_sex 'Yes' not in"),
    ({"gap_measure": "pe"}, "gap_measure 'pe' not in"),
    ({"sex_words": "damer och herrar"}, "sex_words 'damer och herrar' not in"),
    ({"decimals": "1,5"}, "decimals '1,5' is not a whole number"),
    ({"threshold": "-1"}, "threshold '-1' is not a positive number"),
    ({"threshold": "en"}, "threshold 'en' is not a positive number"),
    ({"name": " "}, "name is blank"),
    ({"source": ""}, "source is blank"),
    ({"years": "2010-2024"}, "are not increasing years within"),
    ({"years": "2022;2018"}, "are not increasing years within"),
    ({"years": "tjugo"}, "is not a range or a list of years"),
    ({"values_from": "annan.csv"}, "values_from 'annan.csv' not in"),
]


@pytest.mark.parametrize(
    "change, problem", BROKEN, ids=[next(iter(c)) + "=" + repr(next(iter(c.values()))) for c, _ in BROKEN]
)
def test_a_broken_row_is_refused_with_its_reason(table, change, problem):
    header, rows = table
    row = {**next(r for r in rows if r["id"] == "forvarvsfrekvens"), **change}
    problems = catalogue_problems([row, *rows[1:]], header)
    assert any(problem in p for p in problems), problems


def test_duplicate_ids_wrong_columns_and_short_rows_are_refused(table):
    header, rows = table
    assert catalogue_problems([rows[0], rows[0]], header) == [f"id {rows[0]['id']} occurs 2 times"]
    assert catalogue_problems(rows, header[:-1])[0].startswith("columns ")
    short = {**rows[0], "values_from": None}
    assert catalogue_problems([short], header) == [f"line 2: {len(header)} cells expected"]
