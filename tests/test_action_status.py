"""The status an action is shown with: the Försenad and Riskerar att försenas rules on hand-worked dates."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from analysis.measures.action_status import (
    RISK_MARGIN,
    effective_status,
    expected_progress,
    is_at_risk,
    months_after,
    parse_day,
    risk_rule,
)

TODAY = date(2026, 11, 26)
YESTERDAY, TOMORROW = TODAY - timedelta(days=1), TODAY + timedelta(days=1)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-06-30", date(2025, 6, 30)),
        ("2024-02", date(2024, 2, 29)),
        ("2025", date(2025, 12, 31)),
        (date(2024, 1, 2), date(2024, 1, 2)),
        (pd.Timestamp("2024-01-02 13:00").to_pydatetime(), date(2024, 1, 2)),
        ("2025-02-30", None),
        ("", None),
        (None, None),
        ("snart", None),
    ],
)
def test_parse_day(text, expected):
    assert parse_day(text) == expected


@pytest.mark.parametrize(
    "status, end, expected",
    [
        ("Pågår", YESTERDAY, ("Försenad", True)),
        ("Pågår", TODAY, ("Pågår", False)),  # the end date itself has not passed
        ("Pågår", TOMORROW, ("Pågår", False)),
        ("Pågår", None, ("Pågår", False)),
        ("Ej påbörjad", YESTERDAY, ("Försenad", True)),
        ("Ej påbörjad", TOMORROW, ("Ej påbörjad", False)),
        ("Försenad", YESTERDAY, ("Försenad", False)),  # stated, not derived
        ("Försenad", TOMORROW, ("Försenad", False)),
        ("Genomförd", YESTERDAY, ("Genomförd", False)),
        ("Avbruten", YESTERDAY, ("Avbruten", False)),
        ("Vilande", YESTERDAY, ("Vilande", False)),
        ("", YESTERDAY, ("Försenad", True)),
        ("", TOMORROW, ("", False)),
        ("Pågår", "2026-11-25", ("Försenad", True)),
        ("Pågår", "2026-11", ("Pågår", False)),  # a month ends on its last day
        ("Pågår", "2025", ("Försenad", True)),
        ("Pågår", "ej bestämt", ("Pågår", False)),
    ],
)
def test_effective_status_around_today(status, end, expected):
    assert effective_status(status, end, TODAY) == expected


def test_effective_status_defaults_to_the_real_today():
    assert effective_status("Pågår", date.today() - timedelta(days=1)) == ("Försenad", True)
    assert effective_status("Pågår", date.today()) == ("Pågår", False)


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 11, 30), 6, date(2027, 5, 30)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # February is shorter
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2026, 1, 15), 0, date(2026, 1, 15)),
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
    ],
)
def test_months_after(day, months, expected):
    assert months_after(day, months) == expected


@pytest.mark.parametrize(
    "start, end, on, expected",
    [
        # 2021-01-01 .. 2021-01-11 is 10 days: on the 6th, 5 of 10 days have passed.
        ("2021-01-01", "2021-01-11", date(2021, 1, 6), 50.0),
        ("2021-01-01", "2021-01-11", date(2020, 12, 1), 0.0),  # before the start
        ("2021-01-01", "2021-01-11", date(2022, 1, 1), 100.0),  # after the end
        ("2021-01-01", "", date(2021, 1, 6), None),
        ("2021-01-11", "2021-01-01", date(2021, 1, 6), None),  # reversed
    ],
)
def test_expected_progress(start, end, on, expected):
    assert expected_progress(start, end, on) == expected


# An action running 2026-01-01 .. 2026-12-31 (364 days); on 2026-11-26 its end is 35 days away.
# Reported on 2025-12-31 nothing of it had passed; on 2026-07-02 182 days = 50 % had passed.
JULY = date(2026, 7, 2)


@pytest.mark.parametrize(
    "status, start, end, on, progress, reported_on, months, expected",
    [
        ("Pågår", "2026-01-01", "2026-12-31", TODAY, 39, JULY, 6, True),  # 11 points behind 50 %
        ("Pågår", "2026-01-01", "2026-12-31", TODAY, 40, JULY, 6, False),  # exactly 10 behind: not more than
        ("Pågår", "2026-01-01", "2026-12-31", TODAY, 75, JULY, 6, False),  # ahead
        ("Pågår", "2026-01-01", "2026-12-31", TODAY, 0, date(2025, 12, 31), 6, False),  # on schedule then
        ("Pågår", "2026-01-01", "2026-12-31", TODAY, None, None, 6, False),  # no progress reported: not judged
        ("Pågår", "2026-01-01", "2027-06-30", TODAY, 5, JULY, 6, False),  # end more than 6 months away
        ("Pågår", "2026-01-01", "2027-05-26", TODAY, 5, JULY, 6, True),  # end exactly 6 months away
        ("Pågår", "2026-01-01", "2027-05-27", TODAY, 5, JULY, 6, False),  # one day beyond
        ("Pågår", "2026-01-01", "2027-06-30", TODAY, 5, JULY, 12, True),  # a longer horizon is configurable
        ("Pågår", "2026-01-01", "2026-11-25", TODAY, 5, JULY, 6, False),  # already past its end: Försenad instead
        ("Ej påbörjad", "2026-10-01", "2026-12-31", TODAY, None, None, 6, True),  # should have started
        ("Ej påbörjad", "2026-12-01", "2026-12-31", TODAY, None, None, 6, False),  # starts later
        ("Ej påbörjad", "", "2026-12-31", TODAY, None, None, 6, False),  # no start date: not judged
        ("Genomförd", "2026-01-01", "2026-12-31", TODAY, 10, JULY, 6, False),
        ("Vilande", "2026-01-01", "2026-12-31", TODAY, 10, JULY, 6, False),
        ("Avbruten", "2026-01-01", "2026-12-31", TODAY, 10, JULY, 6, False),
    ],
)
def test_is_at_risk(status, start, end, on, progress, reported_on, months, expected):
    assert is_at_risk(status, start, end, on, progress, reported_on, months) is expected


@pytest.mark.parametrize(
    "status, end, kwargs, expected",
    [
        (
            "Pågår",
            "2026-12-31",
            {"start": "2026-01-01", "progress": 20, "reported_on": JULY},
            ("Riskerar att försenas", True),
        ),
        ("Pågår", "2026-12-31", {"start": "2026-01-01", "progress": 60, "reported_on": JULY}, ("Pågår", False)),
        ("Pågår", "2026-11-25", {"start": "2026-01-01", "progress": 20, "reported_on": JULY}, ("Försenad", True)),
        ("Riskerar att försenas", "2028-01-01", {}, ("Riskerar att försenas", False)),  # stated, kept
        (
            "Riskerar att försenas",
            YESTERDAY,
            {},
            ("Försenad", True),  # at risk, then late
        ),
        ("Ej påbörjad", "2026-12-31", {"start": "2026-10-01"}, ("Riskerar att försenas", True)),
        (
            "Pågår",
            "2026-12-31",
            {"start": "2026-01-01", "progress": 20, "reported_on": JULY, "risk_months": 0},
            ("Pågår", False),
        ),
    ],
)
def test_effective_status_with_risk(status, end, kwargs, expected):
    assert effective_status(status, end, TODAY, **kwargs) == expected


def test_risk_rule_names_the_configured_months_and_margin():
    assert "inom 9 månader" in risk_rule(9)
    assert f"{RISK_MARGIN:.0f} procentenheter" in risk_rule(9)
