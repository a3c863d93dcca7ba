"""Step 1: the indicator catalogue, read from the table ``data/indikatorkatalog.csv``.

One row per indicator. The columns are the model's indicator columns (``INDICATOR_COLUMNS``, written as on the
workbook's Indikatorer sheet: key_figure Ja/Nej, blanks for defaults) and three that only the build reads:

* ``by_sex``      - Ja when the indicator is reported for Kvinnor and Män besides Totalt;
* ``years``       - the years of the example series: a range ``2015-2024`` or a list ``2018;2022``;
* ``values_from`` - ``generator`` (example series, anchored to published figures) or the name of a file in
  ``data/`` whose published values are read as they are (``kpi_arsmedel.csv``; then ``years`` is blank).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.core.breaks import parse_breaks
from analysis.core.categories import CATEGORY, parse_categories
from analysis.core.model import DIRECTIONS, GAP_MEASURES, INDICATOR_COLUMNS, SEX_WORDS, THEMES, UNITS

from .common import CATALOGUE_PATH, FIRST_YEAR, LAST_YEAR

BUILD_COLUMNS: tuple[str, ...] = ("by_sex", "years", "values_from")
CATALOGUE_COLUMNS: tuple[str, ...] = (*INDICATOR_COLUMNS, *BUILD_COLUMNS)
GENERATOR = "generator"
KPI_FILE_NAME = "kpi_arsmedel.csv"
AREA_TYPES_ORIGIN = "områdestyper"  # hand-written examples (area_types.py)
VALUE_ORIGINS: tuple[str, ...] = (GENERATOR, KPI_FILE_NAME, AREA_TYPES_ORIGIN)
YES, NO = "Ja", "Nej"
REQUIRED: tuple[str, ...] = ("id", "name", "theme", "unit", "direction", "definition", "source", "decimals", "definite")


@dataclass(frozen=True)
class Indicator:
    """One row of the catalogue: the model's columns as read (text) plus what the build needs typed."""

    row: dict[str, str]
    decimals: int
    key_figure: bool
    by_sex: bool
    years: tuple[int, ...]
    values_from: str

    @property
    def id(self) -> str:
        """The indicator's id."""
        return self.row["id"]

    @property
    def unit(self) -> str:
        """The indicator's unit."""
        return self.row["unit"]


def parse_years(text: str) -> tuple[int, ...]:
    """The years of a ``years`` cell: '2015-2024' (inclusive range) or '2018;2022'; blank gives none."""
    years: list[int] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        first, _, last = part.partition("-")
        years += range(int(first), int(last or first) + 1)
    return tuple(years)


def catalogue_problems(rows: list[dict[str, str]], header: list[str]) -> list[str]:
    """Everything in the catalogue table that disagrees with the schema or the model's vocabularies."""
    problems = []
    if header != list(CATALOGUE_COLUMNS):
        problems.append(f"columns {header} are not {list(CATALOGUE_COLUMNS)}")
        return problems
    ids = [r["id"] for r in rows]
    problems += [f"id {i} occurs {ids.count(i)} times" for i in sorted(set(ids)) if ids.count(i) > 1]
    vocabularies = {
        "theme": THEMES,
        "unit": UNITS,
        "direction": DIRECTIONS,
        "key_figure": (YES, NO),
        "by_sex": (YES, NO),
        "values_from": VALUE_ORIGINS,
    }
    optional = {"gap_measure": GAP_MEASURES, "sex_words": SEX_WORDS}
    for line, r in enumerate(rows, start=2):
        if None in r or None in r.values():
            problems.append(f"line {line}: {len(header)} cells expected")
            continue
        ind = r["id"] or "(no id)"
        problems += [f"{ind}: {c} is blank" for c in REQUIRED if not r[c].strip()]
        problems += [f"{ind}: {c} {r[c]!r} not in {vocab}" for c, vocab in vocabularies.items() if r[c] not in vocab]
        problems += [f"{ind}: {c} {r[c]!r} not in {v}" for c, v in optional.items() if r[c] and r[c] not in v]
        if not r["decimals"].isdigit():
            problems.append(f"{ind}: decimals {r['decimals']!r} is not a whole number")
        if r["lag_years"] and not (r["lag_years"].isdigit() and int(r["lag_years"]) <= 10):
            problems.append(f"{ind}: lag_years {r['lag_years']!r} is not a whole number of years 0–10")
        if parse_categories(r["categories"])[1] or (r["unit"] == CATEGORY) != bool(r["categories"]):
            problems.append(f"{ind}: categories {r['categories']!r} do not fit the unit {r['unit']!r}")
        if parse_breaks(r["breaks"])[1]:
            problems.append(f"{ind}: breaks {r['breaks']!r}: {parse_breaks(r['breaks'])[1]}")
        if r["threshold"] and not _positive_number(r["threshold"]):
            problems.append(f"{ind}: threshold {r['threshold']!r} is not a positive number")
        problems += _years_problems(r, ind)
    return problems


def _positive_number(text: str) -> bool:
    """True when the text is a number above zero."""
    try:
        return float(text) > 0
    except ValueError:
        return False


def _years_problems(row: dict[str, str], ind: str) -> list[str]:
    """Generated series need years within the build's span; a series read from a file takes the file's years."""
    if row["values_from"] != GENERATOR:
        return [] if not row["years"] else [f"{ind}: years must be blank for values from {row['values_from']}"]
    try:
        years = parse_years(row["years"])
    except ValueError:
        return [f"{ind}: years {row['years']!r} is not a range or a list of years"]
    if not years or not all(FIRST_YEAR <= y <= LAST_YEAR for y in years) or list(years) != sorted(set(years)):
        return [f"{ind}: years {row['years']!r} are not increasing years within {FIRST_YEAR}–{LAST_YEAR}"]
    return []


def read_rows(path: Path = CATALOGUE_PATH) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of the catalogue table, as text."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = [dict(r) for r in reader]
        return list(reader.fieldnames or []), rows


def read_catalogue(path: Path = CATALOGUE_PATH) -> tuple[Indicator, ...]:
    """The catalogue in table order; fails with every problem listed when the table breaks the schema."""
    header, rows = read_rows(path)
    problems = catalogue_problems(rows, header)
    if problems:
        raise ValueError(f"{path.name}:\n" + "\n".join(problems))
    return tuple(
        Indicator(
            row={c: r[c] for c in INDICATOR_COLUMNS},
            decimals=int(r["decimals"]),
            key_figure=r["key_figure"] == YES,
            by_sex=r["by_sex"] == YES,
            years=parse_years(r["years"]),
            values_from=r["values_from"],
        )
        for r in rows
    )


CATALOGUE: tuple[Indicator, ...] = read_catalogue()
INDICATOR_BY_ID: dict[str, Indicator] = {i.id: i for i in CATALOGUE}
# The indicators whose series the generator makes (every area); the others are read from their file.
GENERATED: tuple[Indicator, ...] = tuple(i for i in CATALOGUE if i.values_from == GENERATOR)


def indicators_frame(catalogue: tuple[Indicator, ...] = CATALOGUE) -> pd.DataFrame:
    """The Indikatorer table: the model's columns of every row, typed (decimals, key figure)."""
    rows = [{**i.row, "decimals": i.decimals, "key_figure": i.key_figure} for i in catalogue]
    return pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS))
