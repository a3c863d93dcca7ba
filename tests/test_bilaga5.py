"""Bilaga 5's model on a follow-up worked out by hand (tests/builders.plan_followup_dataset).

2022 is followed up against Plan 2022: A1 finished, A3 runs to 2030 and reports 10 % (11 % of its time had passed),
A4 ended 2022-10-31 without finishing (Försenad, derived). In 2021 A1 (Plan 2020, ending 2022-06-30) reported 40 %
with 67 % of its time gone, within six months of its end: Riskerar att försenas. Berga's förvärvsfrekvens went from
50,0 to 56,0 % while övriga Linköping went from 80,0 to 80,5 %: the gap closed from -30,0 to -24,5 percentage
points; the target path 50 -> 60 (2020-2025) is at 54,0 in 2022, so the target is i fas.
"""

from __future__ import annotations

from datetime import date

import pytest

from analysis.viewmodels.bilaga5 import (
    ACTION_COLUMNS,
    OUTCOME_COLUMNS,
    bilaga5,
    report_file_name,
    report_slides,
    report_title,
    sections_for,
)
from analysis.viewmodels.followup import ActionFilter, follow_up
from analysis.viewmodels.slides import TABLE_SLIDE, TITLE_SLIDE
from tests.builders import plan_followup_dataset

TODAY = date(2026, 11, 30)
NBSP = "\xa0"


@pytest.fixture(scope="module")
def ds():
    return plan_followup_dataset()


@pytest.fixture(scope="module")
def report(ds):
    return bilaga5(ds, follow_up(ds, current_year=2022, today=TODAY), version=7)


def test_title_meta_and_file_name(report):
    assert report.title == report_title(2022) == "Bilaga 5 – Uppföljning av åtgärdsplan mot segregation 2022"
    assert report.meta == (
        "30 november 2026 · Plan 2022 · Uppföljning 2022 · Dataversion 7 · Jämförelse: övriga Linköping · Basår 2020"
    )
    assert report_file_name(2022, "docx") == "Bilaga5_Uppfoljning_atgardsplan_2022.docx"


def test_summary_sentences_come_from_the_numbers(report):
    assert report.summary == (
        "Plan 2022, fastställd 2022-01-19 av kommundirektören, gäller från 2022.",
        "Av planens 3 åtgärder är 1 genomförd, 1 pågår och 1 är försenad.",
        "I Berga har skillnaden mot övriga Linköping minskat för 1 av 1 indikatorer sedan 2020, utvecklats "
        "ogynnsamt för 0 och är i stort sett oförändrad för 0.",
        "1 mål följs upp: 1 är i fas.",
        "Sedan uppföljningen 2021 har status ändrats för 3 åtgärder: 2 har tillkommit och 1 har genomförts.",
        "Jämfört med Plan 2020 har Plan 2022 2 nya åtgärder, 1 ändrad och 1 som utgått; 0 fortsätter oförändrade.",
    )
    assert report.status_counts["Genomförd"] == 1 and report.status_counts["Försenad"] == 1


def test_actions_per_theme_with_the_years_status_and_comment(report):
    actions = sections_for(report, "actions")
    assert [s.heading for s in actions] == ["Arbete", "Fritid"]
    assert actions[0].table.columns == ACTION_COLUMNS
    assert actions[0].table.rows == (
        ("A1", "Jobbtorg", "Genomförd", "AVF", "2021-01–2022-12", f"100{NBSP}%", "A1 2022"),
        ("A3", "Mentorer", "Pågår", "AVF", "2022-01–2030-12", f"10{NBSP}%", "A3 2022"),
    )
    assert actions[1].table.rows == (
        ("A4", "Park", "Försenad (härledd)", "AVF", "2022-02–2022-10", f"50{NBSP}%", "A4 2022"),
    )


def test_outcomes_per_focus_area(report):
    (berga,) = sections_for(report, "outcomes")
    assert berga.heading == "Berga" and berga.table.columns == OUTCOME_COLUMNS
    assert berga.table.rows == (
        (
            "Förvärvsfrekvens",
            f"50,0{NBSP}% (2020)",
            f"56,0{NBSP}% (2022)",
            f"-24,5{NBSP}procentenheter",
            "→← närmar sig",
            f"60,0{NBSP}% (2025)",
            "I fas",
        ),
    )


def test_changes_since_the_last_follow_up_and_the_previous_plan(report):
    (changes,) = sections_for(report, "changes")
    assert changes.heading == "Förändringar sedan uppföljning 2021"
    assert changes.table.rows == (
        ("Ny", "A3", "Mentorer", "–", "Pågår"),
        ("Ny", "A4", "Park", "–", "Försenad (härledd)"),
        # At the 2021 follow-up A1 was 27 points behind its schedule with its end within six months.
        ("Genomförd", "A1", "Jobbtorg", "Riskerar att försenas", "Genomförd"),
    )
    (plan,) = sections_for(report, "plan")
    assert plan.heading == "Förändringar sedan Plan 2020"
    assert plan.table.rows == (
        ("Ny i planen", "A3", "Mentorer", "Ny åtgärd i Plan 2022."),
        ("Ny i planen", "A4", "Park", "Ny åtgärd i Plan 2022."),
        ("Ändrad", "A1", "Jobbtorg", "Slut: 2022-06-30 → 2022-12-31"),
        ("Utgår", "A2", "Läxhjälp <b>&", "Finns inte med i Plan 2022."),
    )


def test_the_first_follow_up_has_no_changes_and_its_own_plan(ds):
    report = bilaga5(ds, follow_up(ds, current_year=2021, today=TODAY))
    assert report.plan == "Plan 2020" and report.title.endswith(" 2021")
    (changes,) = sections_for(report, "changes")
    assert changes.table is None and changes.empty_text.startswith("Det finns ingen uppföljning före")
    assert not sections_for(report, "plan")
    assert report.summary[1] == "Av planens 2 åtgärder riskerar 1 att försenas och 1 är avbruten."


def test_sources_and_example_marking(ds):
    report = bilaga5(ds, follow_up(ds, current_year=2022, today=TODAY))
    assert report.example_note == ""
    assert [s.value_sources for s in report.sources] == [("SCB",)]
    assert report.other_sources == (
        "Plan 2022: Tjänsteskrivelse 2022-01-19",
        "Åtgärderna: Plan",
        "Uppföljningarna: Plan",
    )
    example = plan_followup_dataset(source="Exempelvärde (fiktivt)")
    marked = bilaga5(example, follow_up(example, current_year=2022, today=TODAY))
    assert marked.example_note.startswith("Exempeldata. ")
    (berga,) = sections_for(marked, "outcomes")
    assert berga.table.rows[0][0] == f"Förvärvsfrekvens{NBSP}*"


def test_a_filtered_follow_up_says_so(ds):
    report = bilaga5(ds, follow_up(ds, ActionFilter(themes=("fritid",)), current_year=2022, today=TODAY))
    assert report.meta.endswith("Urval: Tema: fritid")
    assert report.summary[1] == "Urvalets enda åtgärd är försenad."


def test_slides_hold_the_same_tables(report):
    slides = report_slides(report)
    assert slides[0].kind == TITLE_SLIDE and slides[0].title == "Uppföljning 2022"
    tables = {s.title: s.table for s in slides if s.kind == TABLE_SLIDE and s.table is not None}
    assert tables["Arbete"] == sections_for(report, "actions")[0].table
    assert tables["Berga"] == sections_for(report, "outcomes")[0].table
    assert slides[1].chart is not None and slides[1].chart.title == "Åtgärder per tema och status"
    assert slides[-1].title == "Källor"


def test_long_tables_are_split_over_slides(ds):
    from analysis.viewmodels import bilaga5 as module

    report = bilaga5(ds, follow_up(ds, current_year=2022, today=TODAY))
    original = dict(module.SLIDE_ROWS)
    module.SLIDE_ROWS["plan"] = 3
    try:
        titles = [s.title for s in report_slides(report)]
    finally:
        module.SLIDE_ROWS.update(original)
    assert "Förändringar sedan Plan 2020 (1/2)" in titles and "Förändringar sedan Plan 2020 (2/2)" in titles
