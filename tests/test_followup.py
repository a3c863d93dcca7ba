"""The follow-up of the action plan on hand-made cases: derived status, filters, counts, follow-up snapshots and
changes, target attainment, the gap summary, the figures, and the store versioning the new table."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pandas as pd
import pytest

from analysis.core.model import HIGHER, LOWER, NEUTRAL, TABLE_KEYS, TABLES, empty_frame, make_dataset
from analysis.measures.action_status import risk_rule
from analysis.measures.compare import comparison_table
from analysis.measures.targets import (
    ATTAINMENT_RULES,
    CANNOT_ASSESS,
    NOT_ON_TRACK,
    NOT_REACHED,
    ON_TRACK,
    PATH_HEADER,
    REACHED,
    WRONG_WAY,
)
from analysis.measures.verdicts import CLOSING, WIDENING
from analysis.store.history import Store
from analysis.viewmodels.followup import (
    ALL_THEMES,
    DERIVED_NOTE,
    NEW,
    NO_STATUS,
    OTHER_CHANGE,
    ActionFilter,
    action_followups,
    action_register,
    attainment_counts,
    change_counts,
    change_kind,
    changes_table,
    filter_actions,
    filter_options,
    follow_up,
    followup_changes,
    followup_history,
    followup_snapshot,
    followup_tables,
    followup_years,
    gap_summary,
    outcome_display,
    outcome_table,
    previous_followup,
    register_table,
    status_by,
    status_counts,
    summary_matrix,
)

TODAY = date(2026, 11, 26)
YESTERDAY, TOMORROW = TODAY - timedelta(days=1), TODAY + timedelta(days=1)
EX = "Exempelvärde (fiktivt)"

AREAS = [
    {"name": "Berga", "type": "Fokusområde"},
    {"name": "Ryd", "type": "Fokusområde"},
    {"name": "Övriga Linköping", "type": "Jämförelse"},
]
INDICATORS = [
    {"id": "arb", "name": "Förvärvsfrekvens", "theme": "arbete", "unit": "procent", "direction": HIGHER, "decimals": 1},
    {
        "id": "bist",
        "name": "Ekonomiskt bistånd",
        "theme": "ekonomi",
        "unit": "procent",
        "direction": LOWER,
        "decimals": 1,
    },
    {"id": "folk", "name": "Folkmängd", "theme": "befolkning", "unit": "antal", "direction": NEUTRAL, "decimals": 0},
]
VALUES = [
    ("Berga", "arb", 2020, 50.0),
    ("Berga", "arb", 2021, 52.0),
    ("Berga", "arb", 2022, 54.0),
    ("Ryd", "arb", 2020, 60.0),
    ("Ryd", "arb", 2021, 59.0),
    ("Ryd", "arb", 2022, 58.0),
    ("Övriga Linköping", "arb", 2020, 80.0),
    ("Övriga Linköping", "arb", 2021, 80.0),
    ("Övriga Linköping", "arb", 2022, 80.0),
    ("Berga", "bist", 2020, 10.0),
    ("Berga", "bist", 2022, 9.0),
    ("Ryd", "bist", 2020, 5.0),
    ("Ryd", "bist", 2022, 4.0),
    ("Övriga Linköping", "bist", 2020, 3.0),
    ("Övriga Linköping", "bist", 2022, 3.0),
    ("Berga", "folk", 2020, 5000.0),
    ("Berga", "folk", 2022, 5100.0),
    ("Ryd", "folk", 2020, 8000.0),
    ("Ryd", "folk", 2022, 8100.0),
    ("Övriga Linköping", "folk", 2020, 150000.0),
    ("Övriga Linköping", "folk", 2022, 151000.0),
]
# area, indicator, target year, target value (base year 2020 unless a fifth item says otherwise); the newest data
# is from 2022, the follow-up year of "Nu".
TARGETS = [
    ("Berga", "arb", 2025, 60.0),  # path 50 -> 60 over 2020-2025 is 54,0 in 2022; value 54,0: on track (on the line)
    ("Ryd", "arb", 2025, 65.0),  # path 60 -> 65 is 62,0 in 2022; value 58,0: not on track
    ("Berga", "bist", 2024, 8.5),  # lower is better; path 10 -> 8,5 is 9,25 (shown 9,3) in 2022; value 9,0: on track
    ("Ryd", "bist", 2024, 4.0),  # 4,0 already: reached
    ("Ryd", "folk", 2025, 9000.0),  # descriptive: cannot be assessed
]
# id, title, theme, responsible, areas, start, end, status, comment, indicators
ACTIONS = [
    (
        "A1",
        "Läxhjälp på biblioteket",
        "utbildning",
        "KOF",
        "Berga;Ryd",
        "2021-01-01",
        YESTERDAY.isoformat(),
        "Pågår",
        "Volontärer från universitetet medverkar.",
        "arb",
    ),
    ("A2", "Lokalt jobbtorg", "arbete", "AVF", "Berga", "2022-01-01", TODAY.isoformat(), "Pågår", "", "arb;bist"),
    ("A3", "Bättre belysning", "trygghet", "SBF", "Ryd", "2021-05-01", "2023-10-31", "Genomförd", "Klar.", ""),
    ("A4", "Öppen fritidsgård", "fritid", "KOF", "Ryd", "2023-01-01", "2024-12-31", "Avbruten", "", ""),
    ("A5", "Mentorprogram", "arbete", "AVF", "Ryd", "2022-09-01", "2025-12-31", "Vilande", "Pausat.", "arb"),
    ("A6", "Medborgarlöfte", "trygghet", "KLF", "Berga", "2022-01-01", "2027-12-31", "Försenad", "", ""),
    ("A7", "Aktivitetspark", "fritid", "SBF", "Ryd", "2026-12-01", "2026-12-31", "Ej påbörjad", "", ""),
]
FOLLOWUPS = [
    ("A1", 2021, "Pågår"),
    ("A1", 2022, "Pågår"),
    ("A1", 2024, "Pågår"),
    ("A3", 2021, "Pågår"),
    ("A3", 2023, "Genomförd"),
    ("A4", 2023, "Pågår"),
    ("A4", 2024, "Avbruten"),
    ("A5", 2022, "Pågår"),
    ("A5", 2024, "Vilande"),
    ("A6", 2022, "Pågår"),
    ("A6", 2024, "Försenad"),
    ("A2", 2022, "Pågår"),
    ("A2", 2024, "Pågår"),
]
ACTION_FIELDS = ("id", "title", "theme", "responsible", "areas", "start", "end", "status", "comment", "indicators")


def dataset(actions=ACTIONS, followups=FOLLOWUPS, source="Plan 2022", targets=TARGETS):
    """The tiny dataset: two focus areas, the reference, three indicators, seven actions and their follow-ups."""
    return make_dataset(
        areas=pd.DataFrame(AREAS),
        indicators=pd.DataFrame(INDICATORS),
        observations=pd.DataFrame(
            [
                {"area": a, "indicator": i, "year": y, "sex": "Totalt", "value": v, "source": "SCB"}
                for a, i, y, v in VALUES
            ]
        ),
        targets=pd.DataFrame(
            [
                {
                    "area": t[0],
                    "indicator": t[1],
                    "base_year": t[4] if len(t) > 4 else 2020,
                    "target_year": t[2],
                    "target_value": t[3],
                }
                for t in targets
            ]
        ),
        actions=pd.DataFrame([dict(zip(ACTION_FIELDS, a), source=source) for a in actions]),
        action_followups=pd.DataFrame(
            [{"action": a, "year": y, "status": s, "comment": f"{a} {y}", "source": source} for a, y, s in followups]
        ),
    )


@pytest.fixture(scope="module")
def ds():
    return dataset()


@pytest.fixture(scope="module")
def register(ds):
    return action_register(ds, TODAY)


# --- the derived status ----------------------------------------------------------------------------


def test_register_shows_derived_and_stored_status(register):
    assert register["id"].tolist() == ["A1", "A2", "A3", "A4", "A5", "A6", "A7"]
    assert register["status"].tolist() == [
        "Försenad",
        "Pågår",
        "Genomförd",
        "Avbruten",
        "Vilande",
        "Försenad",
        "Ej påbörjad",
    ]
    assert register["stored_status"].tolist()[0] == "Pågår"
    assert register["derived"].tolist() == [True, False, False, False, False, False, False]
    assert register.loc[1, "indicator_names"] == "Förvärvsfrekvens; Ekonomiskt bistånd"
    assert not register["is_example"].any()


def test_register_marks_examples_and_missing_status():
    ds = dataset(actions=[("B1", "Test", "", "", "", "", "", "", "", "")], followups=[], source=EX)
    reg = action_register(ds, TODAY)
    assert reg["status"].tolist() == [NO_STATUS]
    assert reg["is_example"].tolist() == [True]
    assert status_counts(reg)["status"].tolist()[-1] == NO_STATUS


# --- filters and counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "flt, ids",
    [
        (ActionFilter(), ["A1", "A2", "A3", "A4", "A5", "A6", "A7"]),
        (ActionFilter(areas=("Berga",)), ["A1", "A2", "A6"]),
        (ActionFilter(areas=("Berga", "Ryd")), ["A1", "A2", "A3", "A4", "A5", "A6", "A7"]),
        (ActionFilter(themes=("arbete", "fritid")), ["A2", "A4", "A5", "A7"]),
        (ActionFilter(departments=("KOF",)), ["A1", "A4"]),
        (ActionFilter(statuses=("Försenad",)), ["A1", "A6"]),  # the derived status is what is filtered
        (ActionFilter(statuses=("Pågår",)), ["A2"]),
        (ActionFilter(search="LAXHJALP"), ["A1"]),  # case and diacritics ignored
        (ActionFilter(search="volontärer universitetet"), ["A1"]),  # every word, in the comment
        (ActionFilter(search="bistånd"), ["A2"]),  # linked indicator names
        (ActionFilter(search="a5"), ["A5"]),
        (ActionFilter(search="  "), ["A1", "A2", "A3", "A4", "A5", "A6", "A7"]),
        (ActionFilter(areas=("Ryd",), statuses=("Försenad", "Vilande"), search="pro"), ["A5"]),
        (ActionFilter(areas=("Berga",), themes=("fritid",)), []),
    ],
)
def test_filter_actions(register, flt, ids):
    assert filter_actions(register, flt)["id"].tolist() == ids


def test_filter_description():
    assert ActionFilter().describe() == "Alla åtgärder"
    flt = ActionFilter(areas=("Ryd",), statuses=("Försenad", "Vilande"), search=" läx ")
    assert flt.describe() == "Område: Ryd · Status: Försenad, Vilande · Sökning: ”läx”"


def test_filter_options(ds, register):
    options = filter_options(ds, register)
    assert options["areas"] == ["Berga", "Ryd"]
    assert options["themes"] == ["trygghet", "gemenskap", "arbete", "utbildning", "fritid"]
    assert options["departments"] == ["AVF", "KLF", "KOF", "SBF"]
    assert options["statuses"] == [
        "Ej påbörjad",
        "Pågår",
        "Riskerar att försenas",
        "Försenad",
        "Genomförd",
        "Avbruten",
        "Vilande",
    ]


def test_status_counts(register):
    counts = status_counts(register)
    assert dict(zip(counts["status"], counts["count"])) == {
        "Ej påbörjad": 1,
        "Pågår": 1,
        "Riskerar att försenas": 0,
        "Försenad": 2,
        "Genomförd": 1,
        "Avbruten": 1,
        "Vilande": 1,
    }


def test_status_counts_keep_zeros():
    counts = status_counts(action_register(dataset(), TODAY).iloc[0:0])
    assert counts["count"].tolist() == [0] * 7


def test_status_by_theme_keeps_the_plans_order(register):
    table = status_by(register, "theme")
    assert table.index.tolist() == ["trygghet", "arbete", "utbildning", "fritid"]
    assert table.loc["trygghet"].to_dict() == {
        "Ej påbörjad": 0,
        "Pågår": 0,
        "Riskerar att försenas": 0,
        "Försenad": 1,
        "Genomförd": 1,
        "Avbruten": 0,
        "Vilande": 0,
        "Totalt": 2,
    }
    assert table.loc["arbete", "Pågår"] == 1 and table.loc["arbete", "Vilande"] == 1
    assert table["Totalt"].sum() == 7


def test_status_by_department_sorted_by_count_then_name(register):
    table = status_by(register, "responsible")
    assert table.index.tolist() == ["AVF", "KOF", "SBF", "KLF"]
    assert table["Totalt"].tolist() == [2, 2, 2, 1]


def test_status_by_area_counts_an_action_in_every_area(register):
    table = status_by(register, "areas")
    assert table.index.tolist() == ["Ryd", "Berga"]
    assert table.loc["Ryd", "Totalt"] == 5 and table.loc["Berga", "Totalt"] == 3
    assert table.loc["Berga", "Försenad"] == 2 and table.loc["Berga", "Pågår"] == 1


def test_status_by_names_missing_categories():
    ds = dataset(actions=[("B1", "Test", "", "", "", "", "", "Pågår", "", "")], followups=[])
    reg = action_register(ds, TODAY)
    assert status_by(reg, "theme").index.tolist() == ["Inget tema"]
    assert status_by(reg, "responsible").index.tolist() == ["Ingen ansvarig"]
    assert status_by(reg, "areas").index.tolist() == ["Inget område"]


# --- follow-ups and changes ----------------------------------------------------------------------------


def test_followup_years(ds):
    assert followup_years(ds) == [2021, 2022, 2023, 2024]
    assert followup_years(dataset(followups=[])) == []


def test_snapshot_carries_the_latest_entry_forward(ds):
    snap = followup_snapshot(ds, 2023, TODAY)
    assert dict(zip(snap["id"], snap["status"])) == {
        "A1": "Pågår",
        "A2": "Pågår",
        "A3": "Genomförd",
        "A4": "Pågår",
        "A5": "Pågår",
        "A6": "Pågår",
    }
    assert dict(zip(snap["id"], snap["reported_year"]))["A1"] == 2022
    assert snap["comment"].tolist()[0] == "A1 2022"
    assert dict(zip(*followup_snapshot(ds, 2021, TODAY)[["id", "status"]].T.values)) == {"A1": "Pågår", "A3": "Pågår"}


def test_snapshot_now_is_the_register(ds):
    snap = followup_snapshot(ds, None, TODAY)
    assert snap["status"].tolist() == action_register(ds, TODAY)["status"].tolist()
    assert snap["reported_year"].isna().all()


def test_snapshot_derives_delay_as_of_the_end_of_the_year():
    actions = [
        ("B1", "Kurs", "utbildning", "UF", "Ryd", "2021-01-01", "2023-06-30", "Pågår", "", ""),
        ("B2", "Park", "fritid", "SBF", "Ryd", "2025-01-01", "2026-12-15", "Pågår", "", ""),
    ]
    ds = dataset(actions=actions, followups=[("B1", 2022, "Pågår"), ("B1", 2023, "Pågår"), ("B2", 2026, "Pågår")])
    assert followup_snapshot(ds, 2022, TODAY)[["status", "derived"]].values.tolist() == [["Pågår", False]]
    snap_2023 = followup_snapshot(ds, 2023, TODAY)
    assert snap_2023[["status", "stored_status", "derived"]].values.tolist() == [["Försenad", "Pågår", True]]
    # The current year's follow-up is judged as of today, not 31 December.
    assert followup_snapshot(ds, 2026, TODAY).set_index("id").loc["B2", "status"] == "Pågår"
    history = action_followups(ds, "B1", TODAY)
    assert history.values.tolist() == [
        ["2022", "Åtgärdsplanen", "Pågår", "Pågår", "", "B1 2022"],
        ["2023", "Åtgärdsplanen", "Pågår", "Försenad (härledd)", "", "B1 2023"],
    ]


@pytest.mark.parametrize(
    "previous, current, expected",
    [
        (None, "Pågår", NEW),
        ("Pågår", "Pågår", None),
        ("Pågår", "Genomförd", "Genomförd"),
        ("Pågår", "Försenad", "Försenad"),
        ("Pågår", "Avbruten", "Avbruten"),
        ("Pågår", "Vilande", "Vilande"),
        ("Försenad", "Pågår", OTHER_CHANGE),
        ("Ej påbörjad", "Pågår", OTHER_CHANGE),
        ("Försenad", "Försenad", None),
    ],
)
def test_change_kind(previous, current, expected):
    assert change_kind(previous, current) == expected


@pytest.mark.parametrize(
    "current, previous, expected",
    [
        (None, 2024, {"A7": NEW, "A1": "Försenad"}),
        (2024, 2023, {"A6": "Försenad", "A4": "Avbruten", "A5": "Vilande"}),
        (2023, 2022, {"A4": NEW, "A3": "Genomförd"}),
        (2022, 2021, {"A2": NEW, "A5": NEW, "A6": NEW}),
    ],
)
def test_changes_between_follow_ups(ds, register, current, previous, expected):
    assert previous_followup(followup_years(ds), current) == previous
    changes = followup_changes(followup_snapshot(ds, previous, TODAY), followup_snapshot(ds, current, TODAY), register)
    assert dict(zip(changes["id"], changes["change"])) == expected
    assert list(changes["id"]) == list(expected)  # ordered: new, finished, delayed, cancelled, paused, other


def test_changes_now_say_derived_and_are_counted(ds, register):
    changes = followup_changes(followup_snapshot(ds, 2024, TODAY), followup_snapshot(ds, None, TODAY), register)
    assert change_counts(changes) == {
        "Ny": 1,
        "Genomförd": 0,
        "Försenad": 1,
        "Riskerar att försenas": 0,
        "Avbruten": 0,
        "Vilande": 0,
        OTHER_CHANGE: 0,
    }
    table = changes_table(changes, "Uppföljning 2024", "Nu")
    assert table[["Förändring", "Id", "Uppföljning 2024", "Nu"]].values.tolist() == [
        ["Ny", "A7", "–", "Ej påbörjad"],
        ["Försenad", "A1", "Pågår", "Försenad (härledd)"],
    ]


def test_changes_only_for_the_filtered_actions(ds, register):
    berga = filter_actions(register, ActionFilter(areas=("Berga",)))
    changes = followup_changes(followup_snapshot(ds, 2024, TODAY), followup_snapshot(ds, None, TODAY), berga)
    assert changes["id"].tolist() == ["A1"]
    assert followup_changes(None, followup_snapshot(ds, None, TODAY), register).empty


def test_previous_followup():
    assert previous_followup([2021, 2023], None) == 2023
    assert previous_followup([2021, 2023], 2023) == 2021
    assert previous_followup([2021, 2023], 2021) is None
    assert previous_followup([], None) is None


def test_history_has_a_column_per_follow_up_year(ds):
    history = followup_history(ds, ["A1", "A4", "A7"], TODAY)
    assert list(history.columns) == [2021, 2022, 2023, 2024]
    assert history.loc["A1"].tolist() == ["Pågår"] * 4
    assert history.loc["A4"].tolist() == ["", "", "Pågår", "Avbruten"]
    assert history.loc["A7"].tolist() == ["", "", "", ""]
    table = register_table(action_register(ds, TODAY), history)
    assert table.columns[-4:].tolist() == [f"Uppföljning {y}" for y in (2021, 2022, 2023, 2024)]
    assert table.loc[3, "Uppföljning 2024"] == "Avbruten"
    assert table.loc[0, "Områden"] == "Berga, Ryd"


# --- outcomes ------------------------------------------------------------------------------------------


def test_outcome_table_has_the_nulagesbild_numbers_and_attainment(ds):
    out = outcome_table(ds, ["Berga", "Ryd"], "Övriga Linköping", 2020)
    assert out[["area", "indicator"]].values.tolist() == [
        ["Berga", "arb"],
        ["Berga", "bist"],
        ["Berga", "folk"],
        ["Ryd", "arb"],
        ["Ryd", "bist"],
        ["Ryd", "folk"],
    ]
    berga = comparison_table(ds, "Berga", "Övriga Linköping", 2020)
    pd.testing.assert_frame_equal(out.iloc[:3][list(berga.columns)].reset_index(drop=True), berga, check_dtype=False)
    rows = out.set_index(["area", "indicator"])
    assert rows.loc[("Berga", "arb"), "gap"] == pytest.approx(-26.0)
    assert rows.loc[("Berga", "arb"), "baseline_gap"] == pytest.approx(-30.0)
    assert rows.loc[("Berga", "arb"), "gap_verdict"] == CLOSING
    assert rows.loc[("Ryd", "arb"), "gap_verdict"] == WIDENING
    assert rows["attainment"].to_dict() == {
        ("Berga", "arb"): ON_TRACK,
        ("Berga", "bist"): ON_TRACK,
        ("Berga", "folk"): "",
        ("Ryd", "arb"): NOT_ON_TRACK,
        ("Ryd", "bist"): REACHED,
        ("Ryd", "folk"): CANNOT_ASSESS,
    }
    assert rows.loc[("Ryd", "folk"), "attainment_text"] == (
        "kan inte bedömas: indikatorn är beskrivande (varken höga eller låga värden är bättre)"
    )
    assert rows.loc[("Berga", "arb"), "path_value"] == pytest.approx(54.0)
    assert rows.loc[("Berga", "bist"), "path_value"] == pytest.approx(9.25)
    assert rows.loc[("Ryd", "arb"), "path_value"] == pytest.approx(62.0)
    assert rows.loc[("Ryd", "arb"), "target_base_value"] == 60.0
    assert set(rows["followup_year"].dropna()) == {2022}  # "Nu": the newest year with data


def test_outcome_table_judges_from_the_targets_own_base_year(ds):
    # Ryd's förvärvsfrekvens: 60 (2020), 59 (2021), 58 (2022). From the page's baseline 2020 a target of 59,5 would
    # point the wrong way; from the target's own base year 2021 (59,0) it is right, with the path 59,1 in 2022.
    own = dataset(targets=[("Ryd", "arb", 2025, 59.5, 2021)])
    for baseline in (2020, 2021, 2018):
        row = outcome_table(own, ["Ryd"], "Övriga Linköping", baseline, ["arb"]).iloc[0]
        assert (row["attainment"], row["attainment_text"]) == (NOT_ON_TRACK, "inte i fas")
        assert (row["target_base_year"], row["target_base_value"]) == (2021, 59.0)
        assert row["path_value"] == pytest.approx(59.125)
    missing = dataset(targets=[("Ryd", "arb", 2025, 65.0, 2019)])
    row = outcome_table(missing, ["Ryd"], "Övriga Linköping", 2020, ["arb"]).iloc[0]
    assert (row["attainment"], row["attainment_text"]) == (
        CANNOT_ASSESS,
        "kan inte bedömas: värde för basåret 2019 saknas",
    )


def test_outcome_table_flags_a_target_in_the_wrong_direction_with_its_unit(ds):
    wrong = dataset(targets=[("Ryd", "bist", 2024, 6.0)])  # lower is better; base 5,0 in 2020
    row = outcome_table(wrong, ["Ryd"], "Övriga Linköping", 2020, ["bist"]).iloc[0]
    assert row["attainment"] == WRONG_WAY
    assert row["attainment_text"] == (
        "målet pekar åt fel håll: målvärdet 6,0\u00a0% är sämre än värdet basåret 2020 "
        "(5,0\u00a0%), och lägre är bättre"
    )
    counts = attainment_counts(outcome_table(wrong, ["Ryd"], "Övriga Linköping", 2020))
    assert counts.loc["Ryd", [REACHED, ON_TRACK, WRONG_WAY]].tolist() == [0, 0, 1]


def test_outcome_table_in_a_later_follow_up_year_says_how_old_the_value_is(ds):
    out = outcome_table(ds, ["Berga", "Ryd"], "Övriga Linköping", 2020, followup_year=2024).set_index(
        ["area", "indicator"]
    )
    assert out["attainment_text"].to_dict() == {
        ("Berga", "arb"): "i fas (senaste värde 2022)",
        ("Berga", "bist"): "inte uppnått (senaste värde 2022)",  # the target year 2024 has come: final
        ("Berga", "folk"): "",
        ("Ryd", "arb"): "inte i fas (senaste värde 2022)",
        ("Ryd", "bist"): "uppnått (senaste värde 2022)",
        ("Ryd", "folk"): "kan inte bedömas: indikatorn är beskrivande (varken höga eller låga värden är bättre)",
    }
    fu = follow_up(ds, current_year=2024, today=TODAY)
    assert fu.outcomes["attainment_text"].tolist() == out["attainment_text"].tolist()


def test_outcome_table_for_chosen_indicators_and_no_areas(ds):
    assert outcome_table(ds, ["Ryd"], "Övriga Linköping", 2020, ["bist"])["indicator"].tolist() == ["bist"]
    empty = outcome_table(ds, [], "Övriga Linköping", 2020)
    assert empty.empty and {"attainment", "attainment_text", "path_value", "gap_verdict"} <= set(empty.columns)


def test_gap_summary_per_area_and_theme(ds):
    summary = gap_summary(outcome_table(ds, ["Berga", "Ryd"], "Övriga Linköping", 2020))
    rows = {
        (r.area, r.theme): (r.closing, r.steady, r.widening, r.no_verdict, r.total)
        for r in summary.itertuples(index=False)
    }
    assert rows == {
        ("Berga", "arbete"): (1, 0, 0, 0, 1),
        ("Berga", "ekonomi"): (1, 0, 0, 0, 1),
        ("Berga", "befolkning"): (0, 0, 0, 1, 1),
        ("Berga", ALL_THEMES): (2, 0, 0, 1, 3),
        ("Ryd", "arbete"): (0, 0, 1, 0, 1),
        ("Ryd", "ekonomi"): (1, 0, 0, 0, 1),
        ("Ryd", "befolkning"): (0, 0, 0, 1, 1),
        ("Ryd", ALL_THEMES): (1, 0, 1, 1, 3),
    }
    matrix = summary_matrix(summary)
    assert matrix.loc["Arbete", "Ryd"] == "→← 0 · = 0 · ←→ 1"
    assert matrix.loc[ALL_THEMES, "Berga"] == "→← 2 · = 0 · ←→ 0"
    assert matrix.loc["Befolkning", "Berga"] == "ingen bedömning"


def test_gap_summary_counts_a_hand_made_table():
    table = pd.DataFrame(
        {
            "area": ["A"] * 6,
            "theme": ["arbete"] * 4 + ["hälsa"] * 2,
            "gap_verdict": ["närmar sig", "närmar sig", "oförändrat", None, "avlägsnar sig", None],
        }
    )
    summary = gap_summary(table).set_index("theme")
    assert summary.loc["arbete", ["closing", "steady", "widening", "no_verdict", "total"]].tolist() == [2, 1, 0, 1, 4]
    assert summary.loc["hälsa", ["closing", "steady", "widening", "no_verdict", "total"]].tolist() == [0, 0, 1, 1, 2]
    assert summary.loc[ALL_THEMES, ["closing", "steady", "widening", "no_verdict", "total"]].tolist() == [2, 1, 1, 2, 6]


def test_attainment_counts(ds):
    counts = attainment_counts(outcome_table(ds, ["Berga", "Ryd"], "Övriga Linköping", 2020))
    assert counts.loc["Berga"].to_dict() == {
        REACHED: 0,
        ON_TRACK: 2,
        NOT_ON_TRACK: 0,
        NOT_REACHED: 0,
        WRONG_WAY: 0,
        CANNOT_ASSESS: 0,
        "Totalt": 2,
    }
    assert counts.loc["Ryd"].to_dict() == {
        REACHED: 1,
        ON_TRACK: 0,
        NOT_ON_TRACK: 1,
        NOT_REACHED: 0,
        WRONG_WAY: 0,
        CANNOT_ASSESS: 1,
        "Totalt": 3,
    }


def test_outcome_display_in_swedish(ds):
    shown = outcome_display(outcome_table(ds, ["Berga"], "Övriga Linköping", 2020))
    first = shown.iloc[0]
    assert first["Tema"] == "Arbete"
    assert first["Värde basår"] == "50,0\u00a0%" and first["Senaste värde"] == "54,0\u00a0%"
    assert first["Skillnad basår"] == "-30,0\u00a0procentenheter"
    assert first["Skillnaden"] == "→← närmar sig"
    assert first["Värdet"] == "↑ förbättring"
    assert first["Mål"] == "60,0\u00a0% (2025)" and first["Målets basår"] == "50,0\u00a0% (2020)"
    assert first[PATH_HEADER] == "54,0\u00a0%" and first["Måluppfyllelse"] == ON_TRACK
    assert shown.iloc[2]["Skillnaden"] == "–"  # the descriptive population has no verdict


# --- the view model ------------------------------------------------------------------------------------


def test_follow_up_applies_the_filters_everywhere(ds):
    fu = follow_up(ds, ActionFilter(areas=("Ryd",)), "Övriga Linköping", 2020, today=TODAY)
    assert fu.register["id"].tolist() == ["A1", "A3", "A4", "A5", "A7"]
    assert fu.total_actions == 7
    assert int(fu.status_counts["count"].sum()) == 5
    assert fu.by_area.index.tolist() == ["Ryd", "Berga"]  # A1 also covers Berga
    assert set(fu.outcomes["area"]) == {"Ryd"}
    assert fu.current_label == "Nu" and fu.previous_label == "Uppföljning 2024"
    assert fu.changes["id"].tolist() == ["A7", "A1"]
    assert fu.history.index.tolist() == fu.register["id"].tolist()
    assert fu.notes == [DERIVED_NOTE, risk_rule(6), *ATTAINMENT_RULES]
    assert not fu.action_examples


def test_follow_up_linked_indicators_only(ds):
    fu = follow_up(ds, ActionFilter(themes=("arbete",)), "Övriga Linköping", 2020, linked_only=True, today=TODAY)
    assert sorted(set(fu.outcomes["indicator"])) == ["arb", "bist"]
    fu = follow_up(ds, ActionFilter(themes=("trygghet",)), "Övriga Linköping", 2020, linked_only=True, today=TODAY)
    assert fu.outcomes.empty and fu.summary.empty


def test_follow_up_of_a_past_year_and_examples():
    ds = dataset(source=EX)
    fu = follow_up(ds, current_year=2023, today=TODAY)
    assert fu.reference == "Övriga Linköping"  # the area of type Jämförelse
    assert (fu.current_label, fu.previous_label) == ("Uppföljning 2023", "Uppföljning 2022")
    assert dict(zip(fu.changes["id"], fu.changes["change"])) == {"A4": NEW, "A3": "Genomförd"}
    assert fu.action_examples
    assert follow_up(ds, current_year=2021, today=TODAY).previous_label is None


# --- the model and the store ---------------------------------------------------------------------------


def test_the_model_declares_the_followup_table():
    assert "action_followups" in TABLES
    assert TABLE_KEYS["action_followups"] == ("action", "year")
    frame = empty_frame("action_followups")
    assert list(frame.columns) == ["action", "year", "status", "comment", "source", "progress"]
    assert str(frame["year"].dtype) == "Int64"


def test_store_adds_and_versions_the_followup_table_of_an_existing_database(tmp_path):
    path = tmp_path / "old.sqlite"
    with Store(path) as store:
        store.apply(dataset(followups=[]), user="anna")
    # A database from before the table existed.
    con = sqlite3.connect(path)
    con.execute("DROP TABLE action_followups_hist")
    con.commit()
    con.close()
    with Store(path) as store:
        assert store.current().action_followups.empty
        assert len(store.current().actions) == 7
        result = store.apply(dataset(), user="anna")
        assert result.version == 2
        assert result.diff.tables["action_followups"].new["action"].tolist()[:3] == ["A1", "A1", "A1"]
        stored = store.current().action_followups
        assert len(stored) == len(FOLLOWUPS) and str(stored["year"].dtype) == "Int64"
        changed = dataset(followups=[("A1", 2024, "Försenad")])
        assert store.apply(changed, user="anna").diff.n_changed == 1
        assert store.current().action_followups.set_index(["action", "year"]).loc[("A1", 2024), "status"] == "Försenad"
        store.rollback(1, user="anna")
        assert store.current().action_followups.empty
        assert len(store.dataset_at(2).action_followups) == len(FOLLOWUPS)
    with sqlite3.connect(path) as con:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert {"action_followups_hist", "action_followups_hist_key", "action_followups_hist_current"} <= names


def test_follow_up_without_actions_or_follow_ups():
    fu = follow_up(dataset(actions=[], followups=[]), today=TODAY)
    assert fu.register.empty and fu.total_actions == 0
    assert fu.status_counts["count"].tolist() == [0] * 7
    assert fu.by_theme.empty and fu.by_area.empty and list(fu.by_area.columns)[-1] == "Totalt"
    assert fu.previous_label is None and fu.changes.empty and fu.years == []
    assert len(fu.outcomes) == 6 and not fu.action_examples


def test_the_page_tables_are_the_follow_ups_own(ds):
    fu = follow_up(ds, today=TODAY)
    tables = followup_tables(fu)
    assert list(tables) == ["register", "utfall", "sammanfattning"]
    pd.testing.assert_frame_equal(tables["register"], register_table(fu.register, fu.history))
    pd.testing.assert_frame_equal(tables["utfall"], outcome_display(fu.outcomes))
    pd.testing.assert_frame_equal(tables["sammanfattning"], summary_matrix(fu.summary))
    assert len(tables["register"]) == len(fu.register)


# --- plan versions, the statuses of a follow-up year, progress --------------------------------------------------


def test_a_follow_up_year_shows_the_statuses_recorded_for_it(ds):
    fu = follow_up(ds, current_year=2023, today=TODAY)
    shown = dict(zip(fu.register["id"], fu.register["status"]))
    # A1, A2, A5, A6 last reported Pågår in 2022; A3 Genomförd and A4 Pågår in 2023; A7 starts 2026-12-01.
    assert shown == {
        "A1": "Pågår",
        "A2": "Pågår",
        "A3": "Genomförd",
        "A4": "Pågår",
        "A5": "Pågår",
        "A6": "Pågår",
        "A7": "Ej påbörjad",
    }
    a7 = fu.register.set_index("id").loc["A7"]
    assert bool(a7["derived"]) and a7["stored_status"] == ""
    assert fu.register.set_index("id").loc["A3", "reported_year"] == 2023
    counts = dict(zip(fu.status_counts["status"], fu.status_counts["count"]))
    assert (counts["Pågår"], counts["Genomförd"], counts["Ej påbörjad"], counts["Försenad"]) == (5, 1, 1, 0)


def test_a_follow_up_year_judges_outcomes_with_the_values_known_then(ds):
    outcomes = follow_up(ds, current_year=2021, today=TODAY).outcomes.set_index(["area", "indicator"])
    assert outcomes.loc[("Berga", "arb"), "year"] == 2021 and outcomes.loc[("Berga", "arb"), "value"] == 52.0
    now = follow_up(ds, today=TODAY).outcomes.set_index(["area", "indicator"])
    assert now.loc[("Berga", "arb"), "year"] == 2022 and now.loc[("Berga", "arb"), "value"] == 54.0


@pytest.mark.parametrize(
    "progress, expected",
    [
        # B1 runs 2026-01-01 .. 2026-12-31; reported this year, i.e. by today (2026-11-26): 329 of 364 days = 90,4 %.
        (10.0, "Riskerar att försenas"),
        (80.0, "Riskerar att försenas"),  # 10,4 points behind
        (81.0, "Pågår"),  # 9,4 points behind
        (None, "Pågår"),  # nothing reported: not judged
    ],
)
def test_progress_behind_schedule_shows_at_risk(progress, expected):
    actions = [("B1", "Kurs", "utbildning", "UF", "Ryd", "2026-01-01", "2026-12-31", "Pågår", "", "")]
    ds = dataset(actions=actions, followups=[("B1", 2026, "Pågår")])
    ds = ds.with_table("action_followups", ds.action_followups.assign(progress=progress))
    register = action_register(ds, TODAY)
    assert register["status"].tolist() == [expected]
    assert register["derived"].tolist() == [expected != "Pågår"]
    assert followup_snapshot(ds, 2026, TODAY)["status"].tolist() == [expected]


def plan_dataset():
    """The tiny dataset with two plan versions: A3 only in the first, A7 new in the second, A1 changed."""
    ds = dataset()
    first = ds.actions[ds.actions["id"].isin(["A1", "A3", "A4"])].assign(plan="Plan 1")
    first.loc[first["id"] == "A1", "responsible"] = "UF"
    second = ds.actions[ds.actions["id"] != "A3"].assign(plan="Plan 2")
    plans = pd.DataFrame(
        [
            {"name": "Plan 2", "adopted": "2022-01-19", "decided_by": "KD", "first_year": 2022},
            {"name": "Plan 1", "adopted": "2020-12-02", "decided_by": "KD", "first_year": 2021, "last_year": 2021},
        ]
    )
    return ds.with_table("actions", pd.concat([first, second])).with_table("plans", plans)


def test_follow_up_chooses_the_plan_of_the_year():
    ds = plan_dataset()
    now = follow_up(ds, today=TODAY)
    assert now.plan.name == "Plan 2" and now.previous_plan.name == "Plan 1"
    assert now.register["id"].tolist() == ["A1", "A2", "A4", "A5", "A6", "A7"] and now.total_actions == 6
    assert dict(zip(now.plan_changes["id"], now.plan_changes["change"])) == {
        "A2": "Ny i planen",
        "A5": "Ny i planen",
        "A6": "Ny i planen",
        "A7": "Ny i planen",
        "A1": "Ändrad",
        "A3": "Utgår",
    }
    assert now.carried_over == 1  # A4
    first = follow_up(ds, current_year=2021, today=TODAY)
    assert first.plan.name == "Plan 1" and first.previous_plan is None and first.plan_changes.empty
    assert first.register["id"].tolist() == ["A1", "A3", "A4"]
    assert first.register.set_index("id").loc["A1", "responsible"] == "UF"
    # A plan asked for explicitly wins over the year's.
    assert follow_up(ds, current_year=2021, plan="Plan 2", today=TODAY).plan.name == "Plan 2"


def test_an_actions_history_names_the_plan_of_each_year():
    history = action_followups(plan_dataset(), "A1", TODAY)
    assert history[["År", "Plan"]].values.tolist() == [["2021", "Plan 1"], ["2022", "Plan 2"], ["2024", "Plan 2"]]
