"""Series breaks: reading the catalogue's Serieavbrott cell and finding the break between two years."""

from __future__ import annotations

import math

import pytest

from analysis.core.breaks import SeriesBreak, break_years, last_break_within, parse_breaks


@pytest.mark.parametrize(
    "cell, breaks",
    [
        ("", ()),
        (None, ()),
        (math.nan, ()),
        ("2019: RAMS ersattes av BAS", (SeriesBreak(2019, "RAMS ersattes av BAS"),)),
        (
            "2019 – RAMS ersattes av BAS;  2015:  17 ämnen\n i meritvärdet ;",
            (SeriesBreak(2015, "17 ämnen i meritvärdet"), SeriesBreak(2019, "RAMS ersattes av BAS")),
        ),
    ],
)
def test_good_cells(cell, breaks):
    assert parse_breaks(cell) == (breaks, None)


@pytest.mark.parametrize(
    "cell, problem",
    [
        ("RAMS ersattes av BAS", "”RAMS ersattes av BAS” är inte ett år följt av kolon och vad som ändrades."),
        ("2019", "”2019” är inte ett år följt av kolon och vad som ändrades."),
        ("2019:", "”2019:” är inte ett år följt av kolon och vad som ändrades."),
        ("1850: folkräkning", "Året 1850 är inte ett rimligt år för ett serieavbrott."),
        ("2019: a; 2019: b", "Året 2019 står två gånger."),
    ],
)
def test_bad_cells_say_what_is_wrong(cell, problem):
    assert parse_breaks(cell) == ((), problem)
    assert break_years(cell) == ()


@pytest.mark.parametrize(
    "years, first, last, expected",
    [
        ((2019,), 2020, 2024, None),  # before the first year: both years are measured the new way
        ((2020,), 2020, 2024, None),  # the first year is already the new way
        ((2021,), 2020, 2024, 2021),
        ((2024,), 2020, 2024, 2024),
        ((2025,), 2020, 2024, None),
        ((2018, 2021, 2023), 2017, 2024, 2023),  # the latest one counts
        ((), 2020, 2024, None),
    ],
)
def test_last_break_within(years, first, last, expected):
    assert last_break_within(years, first, last) == expected
