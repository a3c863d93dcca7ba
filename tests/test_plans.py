"""The plan's versions: which plan covers a year, a version's actions, and what changed between two versions."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.core.model import make_dataset
from analysis.viewmodels.plans import (
    IMPLICIT_PLAN,
    PlanVersion,
    carried_over,
    current_plan,
    plan_actions,
    plan_change_counts,
    plan_changes,
    plan_changes_table,
    plan_of_year,
    plan_versions,
    previous_plan,
)

PLANS = [
    {"name": "Plan 2022", "adopted": "2022-01-19", "decided_by": "kommundirektören", "first_year": 2022},
    {
        "name": "Plan 2020",
        "adopted": "2020-12-02",
        "decided_by": "kommundirektören",
        "first_year": 2021,
        "last_year": 2021,
    },
    {
        "name": "Plan 2025",
        "adopted": "2024-12-10",
        "decided_by": "kommunstyrelsen",
        "first_year": 2025,
        "last_year": 2026,
    },
]
BASE = {"theme": "arbete", "responsible": "AVF", "areas": "Berga;Ryd", "start": "2021-01-01", "end": "2023-12-31"}
ACTIONS = [
    {"id": "A1", "title": "Jobbtorg", **BASE, "plan": "Plan 2020"},
    {
        "id": "A1",
        "title": "Jobbtorg",
        **BASE,
        "end": "2025-12-31",
        "areas": "Ryd;Berga;Skäggetorp",
        "plan": "Plan 2022",
    },
    {"id": "A2", "title": "Läxhjälp", **BASE, "plan": ""},  # every plan
    {"id": "A3", "title": "Belysning", **BASE, "plan": "Plan 2020", "source": "Exempelvärde (fiktivt)"},
    {"id": "A4", "title": "Park", **BASE, "plan": "Plan 2022"},
    {"id": "A2", "title": "Läxhjälp i skolan", **BASE, "plan": "Plan 2025"},  # its own row wins over the general one
]


@pytest.fixture(scope="module")
def ds():
    return make_dataset(plans=pd.DataFrame(PLANS), actions=pd.DataFrame(ACTIONS))


def test_versions_are_ordered_and_run_until_the_next(ds):
    versions = plan_versions(ds)
    assert [(v.name, v.first_year, v.last_year) for v in versions] == [
        ("Plan 2020", 2021, 2021),
        ("Plan 2022", 2022, 2024),  # blank last year: until the year before Plan 2025
        ("Plan 2025", 2025, 2026),
    ]
    assert versions[0].describe() == "Plan 2020, fastställd 2020-12-02 av kommundirektören, gäller 2021."
    assert versions[1].describe() == "Plan 2022, fastställd 2022-01-19 av kommundirektören, gäller 2022–2024."


@pytest.mark.parametrize(
    "year, expected",
    [
        (2019, "Plan 2020"),  # before any plan: the first
        (2021, "Plan 2020"),
        (2022, "Plan 2022"),
        (2024, "Plan 2022"),
        (2025, "Plan 2025"),
        (2030, "Plan 2025"),  # after the last plan's years: the latest that started
    ],
)
def test_plan_of_year(ds, year, expected):
    assert plan_of_year(ds, year) == expected


def test_current_and_previous_plan(ds):
    assert current_plan(ds, date(2023, 5, 1)) == "Plan 2022"
    assert previous_plan(ds, "Plan 2022") == "Plan 2020"
    assert previous_plan(ds, "Plan 2020") is None


@pytest.mark.parametrize(
    "plan, ids, titles",
    [
        ("Plan 2020", ["A1", "A2", "A3"], ["Jobbtorg", "Läxhjälp", "Belysning"]),
        ("Plan 2022", ["A1", "A2", "A4"], ["Jobbtorg", "Läxhjälp", "Park"]),
        ("Plan 2025", ["A2"], ["Läxhjälp i skolan"]),
    ],
)
def test_plan_actions(ds, plan, ids, titles):
    actions = plan_actions(ds, plan)
    assert actions["id"].tolist() == ids and actions["title"].tolist() == titles


def test_changes_between_two_versions(ds):
    changes = plan_changes(ds, "Plan 2020", "Plan 2022")
    assert changes[["change", "id", "details"]].values.tolist() == [
        ["Ny i planen", "A4", "Ny åtgärd i Plan 2022."],
        # Areas compared as sets: the order Ryd;Berga does not count, Skäggetorp does.
        ["Ändrad", "A1", "Områden: Berga, Ryd → Ryd, Berga, Skäggetorp; Slut: 2023-12-31 → 2025-12-31"],
        ["Utgår", "A3", "Finns inte med i Plan 2022."],
    ]
    assert changes["is_example"].tolist() == [False, False, True]
    assert plan_change_counts(changes) == {"Ny i planen": 1, "Ändrad": 1, "Utgår": 1}
    assert carried_over(ds, "Plan 2020", changes) == 1  # A2
    table = plan_changes_table(changes)
    assert list(table.columns) == ["Förändring", "Id", "Åtgärd", "Ansvarig", "Vad som ändrades", "Exempel"]
    assert table["Exempel"].tolist() == ["", "", "Ja"]


def test_the_first_version_has_no_changes(ds):
    assert (
        plan_changes(ds, None, "Plan 2020").empty and carried_over(ds, None, plan_changes(ds, None, "Plan 2020")) == 0
    )


def test_without_plans_there_is_one_implicit_plan():
    ds = make_dataset(actions=pd.DataFrame([{"id": "A1", "title": "Jobbtorg"}, {"id": "A2", "title": "Park"}]))
    versions = plan_versions(ds)
    assert versions == [PlanVersion("")] and versions[0].label == IMPLICIT_PLAN
    assert plan_of_year(ds, 2024) == "" and previous_plan(ds, "") is None
    assert plan_actions(ds, "")["id"].tolist() == ["A1", "A2"]


def test_a_plan_named_on_actions_but_missing_from_the_plans_is_still_a_version():
    ds = make_dataset(actions=pd.DataFrame([{"id": "A1", "title": "Jobbtorg", "plan": "Plan X"}]))
    assert [v.name for v in plan_versions(ds)] == ["Plan X"]
    assert plan_actions(ds, "Plan X")["id"].tolist() == ["A1"]
