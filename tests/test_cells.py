"""Single-cell interpretation: Swedish numbers, years, dates."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from analysis.ingest.cells import cell_text, parse_bool, parse_date, parse_number, parse_year, year_header


@pytest.mark.parametrize(
    "cell, value, percent",
    [
        (18.9, 18.9, False),
        (7, 7.0, False),
        ("18,9", 18.9, False),
        ("18.9", 18.9, False),
        ("251 234", 251234.0, False),
        ("251\u00a0234", 251234.0, False),
        ("251\u202f234,5", 251234.5, False),
        ("1.234,5", 1234.5, False),
        ("1,234.5", 1234.5, False),
        ("\u22125,5", -5.5, False),
        ("12,3 %", 12.3, True),
        ("12,3%", 12.3, True),
        (" 3 ", 3.0, False),
        ("1e3", 1000.0, False),
    ],
)
def test_numbers(cell, value, percent):
    parsed = parse_number(cell)
    assert parsed.error == ""
    assert parsed.value == pytest.approx(value)
    assert parsed.percent_sign is percent


@pytest.mark.parametrize(
    "cell, note",
    [
        ("", ""),
        (None, ""),
        ("..", "saknas"),
        ("x", "Sekretess"),
        ("X", "Sekretess"),
        ("-", "saknas"),
        ("–", "saknas"),
        (":", "saknas"),
    ],
)
def test_missing_markers(cell, note):
    parsed = parse_number(cell)
    assert parsed.is_missing and parsed.value is None
    assert note in parsed.missing_note


@pytest.mark.parametrize(
    "cell, fragment",
    [
        ("abc", "inte ett tal"),
        ("12,3,4", "inte ett tal"),
        ("nan", "NaN"),
        ("-inf", "NaN"),
        (float("nan"), "NaN"),
        (float("inf"), "NaN"),
        (True, "SANT/FALSKT"),
        (date(2020, 1, 1), "datum"),
        ("#N/A", "Excel-felet"),
    ],
)
def test_bad_numbers(cell, fragment):
    parsed = parse_number(cell)
    assert parsed.value is None and fragment in parsed.error and parsed.hint


@pytest.mark.parametrize(
    "cell, year, fragment",
    [
        (2020, 2020, ""),
        (2020.0, 2020, ""),
        ("2020", 2020, ""),
        ("2020.0", 2020, ""),
        (" 2021 ", 2021, ""),
        (2020.5, None, "heltal"),
        ("20", None, "fyra siffror"),
        (1899, None, "utanför"),
        (2101, None, "utanför"),
        (datetime(2020, 1, 1), None, "datum"),
        ("", None, ""),
    ],
)
def test_years(cell, year, fragment):
    got, why = parse_year(cell)
    assert got == year
    assert fragment in why
    if fragment:
        assert why


def test_year_headers():
    assert [year_header(c) for c in (2019, "2020", "Område", True, 12, datetime(2020, 1, 1))] == [
        2019,
        2020,
        None,
        None,
        None,
        None,
    ]


@pytest.mark.parametrize(
    "cell, iso, problem",
    [
        (date(2024, 5, 1), "2024-05-01", ""),
        (datetime(2024, 5, 1, 0, 0), "2024-05-01", ""),
        ("2024-05-01", "2024-05-01", ""),
        ("1/5/2024", "2024-05-01", ""),
        ("2024-02-30", "", "finns inte"),
        ("2024", "", "årtal"),
        ("snart", "", "kan inte läsas"),
    ],
)
def test_dates(cell, iso, problem):
    got, why = parse_date(cell)
    assert got == iso and problem in why


def test_text_and_bools():
    assert cell_text(580.0) == "580" and cell_text(1.5) == "1.5" and cell_text(None) == ""
    assert [parse_bool(v) for v in ("Ja", "nej", "x", "", 1, "kanske")] == [True, False, True, False, True, None]
    assert math.isnan(float("nan"))


@pytest.mark.parametrize(
    "cell, text",
    [
        ("Berga\x01", "Berga"),  # how calamine gives xlsx text written as Berga_x0001_
        ("Be\x00rga\x7f", "Berga"),
        ("\x0bSkäggetorp\x0c", "Skäggetorp"),
        ("rad ett\nrad två", "rad ett\nrad två"),  # line breaks and tabs are text
        ("a\tb", "a\tb"),
        ("  Ryd  ", "Ryd"),
    ],
)
def test_cell_text_drops_control_characters_but_keeps_line_breaks(cell, text):
    assert cell_text(cell) == text


@pytest.mark.parametrize(
    "cell, value, uncertain, note",
    [
        ("(12,3)", 12.3, True, ""),
        ("( 1 234 )", 1234.0, True, ""),
        ("(4,5 %)", 4.5, True, ""),
        ("12,3", 12.3, False, ""),
        ("(..)", None, False, "Uppgift saknas eller är för osäker (..)"),
        ("()", None, False, ""),
    ],
)
def test_a_number_in_parentheses_is_an_uncertain_figure(cell, value, uncertain, note):
    parsed = parse_number(cell)
    assert (parsed.value, parsed.uncertain, parsed.missing_note) == (value, uncertain, note)
