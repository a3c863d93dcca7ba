"""The Uppföljning page (AppTest) on the default data: filters from the URL and the widgets, and counts, tables
and changes that agree with the follow-up computed from the same data."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

import ui
from analysis.core.model import make_dataset
from analysis.measures.targets import ATTAINMENT_RULES, NOT_ON_TRACK, ON_TRACK, REACHED
from analysis.store.importer import import_upload, open_store
from analysis.viewmodels.followup import (
    ActionFilter,
    change_counts,
    follow_up,
    summary_matrix,
)
from analysis.viewmodels.plans import plan_actions
from tests.apptest import run_app_page
from tests.builders import xlsx

PAGE = "views/uppfoljning.py"
STATUSES = ["Ej påbörjad", "Pågår", "Riskerar att försenas", "Försenad", "Genomförd", "Avbruten", "Vilande"]
CURRENT_PLAN = "Åtgärdsplan 2022"


def run_page(**query) -> AppTest:
    """The follow-up page after one run, with query parameters set as in a URL."""
    return run_app_page(PAGE, timeout=120, **query)


def metrics(at: AppTest) -> dict[str, int]:
    """The page's metrics as label -> number."""
    return {m.label: int(m.value.replace("\u00a0", "").replace(" ", "")) for m in at.metric}


def register(at: AppTest):
    """The action register table on the page."""
    return next(d.value for d in at.dataframe if {"Id", "Åtgärd", "Angiven status"} <= set(d.value.columns))


def outcome_tables(at: AppTest) -> list:
    """The outcome tables on the page (the action detail's first, the page's own last)."""
    return [d.value for d in at.dataframe if {"Måluppfyllelse", "Skillnaden"} <= set(d.value.columns)]


def expected_counts(fu) -> dict[str, int]:
    """Status counts of a follow-up as label -> number."""
    return dict(zip(fu.status_counts["status"], fu.status_counts["count"]))


def test_default_view_counts_every_action(dataset):
    at = run_page()
    fu = follow_up(dataset, ActionFilter(), "Övriga Linköping", 2020, today=date.today())
    shown = metrics(at)
    current = plan_actions(dataset, CURRENT_PLAN)
    assert shown["Åtgärder"] == len(current) == 40
    for status in STATUSES:
        assert shown[status] == expected_counts(fu)[status], status
    table = register(at)
    assert table["Id"].tolist() == current["id"].tolist()
    assert table["Status"].value_counts().to_dict() == {s: n for s, n in expected_counts(fu).items() if n}
    assert (table["Status"] != table["Angiven status"]).sum() == int(fu.register["derived"].sum()) >= 2
    assert any("Försenad räknas fram" in c.value for c in at.caption)
    assert any("åtgärderna och uppföljningarna är påhittade exempel" in w.value for w in at.warning)
    button = at.get("download_button")[0]
    assert button.label == "Ladda ner uppföljningsrapporten (Excel)"
    assert [h.value for h in at.header] == [
        "Åtgärder",
        "Förändringar sedan förra uppföljningen",
        "Förändringar sedan Åtgärdsplan 2020",
        "Utfall: närmar sig fokusområdena?",
    ]


def test_filters_from_the_url_give_consistent_counts_and_table(dataset):
    at = run_page(omr="Ryd", status="Försenad")
    assert at.multiselect(key="omr").value == ["Ryd"]
    assert at.multiselect(key="status").value == ["Försenad"]
    fu = follow_up(
        dataset, ActionFilter(areas=("Ryd",), statuses=("Försenad",)), "Övriga Linköping", 2020, today=date.today()
    )
    shown = metrics(at)
    assert shown["Åtgärder"] == len(fu.register) > 0
    assert shown["Försenad"] == shown["Åtgärder"] and shown["Pågår"] == 0
    table = register(at)
    assert table["Id"].tolist() == fu.register["id"].tolist()
    assert set(table["Status"]) == {"Försenad"}
    assert all("Ryd" in areas for areas in table["Områden"])
    outcomes = outcome_tables(at)[-1]
    assert set(outcomes["Område"]) == {"Ryd"}
    assert len(outcomes) == len(fu.outcomes)


@pytest.mark.parametrize(
    "key, value, flt",
    [
        ("tema", ["fritid"], ActionFilter(themes=("fritid",))),
        ("ansvarig", ["Socialförvaltningen"], ActionFilter(departments=("Socialförvaltningen",))),
        ("omr", ["Berga", "Skäggetorp"], ActionFilter(areas=("Berga", "Skäggetorp"))),
    ],
)
def test_changing_a_filter_updates_counts_and_table(dataset, key, value, flt):
    at = run_page()
    at.multiselect(key=key).set_value(value).run()
    assert not at.exception
    fu = follow_up(dataset, flt, "Övriga Linköping", 2020, today=date.today())
    shown = metrics(at)
    assert shown["Åtgärder"] == len(fu.register)
    assert {s: shown[s] for s in STATUSES} == {s: expected_counts(fu)[s] for s in STATUSES}
    assert register(at)["Id"].tolist() == fu.register["id"].tolist()


def test_search_finds_an_action_and_its_detail(dataset):
    at = run_page()
    at.text_input(key="sok").set_value("läxhjälp").run()
    table = register(at)
    assert table["Id"].tolist() == ["A28"]
    assert metrics(at)["Åtgärder"] == 1
    assert at.selectbox(key="atgard").value == "A28"
    assert any("A28 Läxhjälp på biblioteken" in m.value for m in at.markdown)


def test_search_without_hits_says_so():
    at = run_page(sok="finns-inte-alls")
    assert metrics(at)["Åtgärder"] == 0
    assert any("Inga åtgärder matchar urvalet" in i.value for i in at.info)


def test_action_detail_shows_derived_status_history_and_linked_indicators(dataset):
    at = run_page()
    at.selectbox(key="atgard").set_value("A20").run()
    assert at.selectbox(key="atgard").value == "A20"
    detail = next(m.value for m in at.markdown if m.value.startswith("**A20 "))
    assert "Status: **Försenad** (härledd ur slutdatum)" in detail
    history = next(
        d.value
        for d in at.dataframe
        if list(d.value.columns) == ["År", "Plan", "Angiven status", "Status", "Andel klar", "Kommentar"]
    )
    assert history["Plan"].tolist() == ["Åtgärdsplan 2020", *[CURRENT_PLAN] * 4]
    assert history["År"].tolist() == ["2021", "2022", "2023", "2024", "2025"]
    assert history["Status"].tolist()[-1] == "Försenad (härledd)"
    linked = next(d.value for d in at.dataframe if "Måluppfyllelse" in d.value.columns)
    assert set(linked["Indikator"]) == {"Förvärvsfrekvens 20–64 år", "Arbetslöshet 18–64 år", "Ekonomiskt bistånd"}
    assert at.selectbox(key="atgard_indikator").value == "forvarvsfrekvens"


def test_changes_since_the_previous_follow_up(dataset):
    at = run_page()
    fu = follow_up(dataset, ActionFilter(), "Övriga Linköping", 2020, today=date.today())
    counts = change_counts(fu.changes)
    shown = metrics(at)
    assert (shown["Nya"], shown["Genomförda"], shown["Försenade"]) == (
        counts["Ny"],
        counts["Genomförd"],
        counts["Försenad"],
    )
    table = next(d.value for d in at.dataframe if "Förändring" in d.value.columns)
    assert table["Id"].tolist() == fu.changes["id"].tolist()
    assert list(table.columns[6:8]) == ["Uppföljning 2025", "Nu"]

    at = run_page(uppf="2024")
    assert at.selectbox(key="uppf").value == "2024"
    fu = follow_up(dataset, ActionFilter(), "Övriga Linköping", 2020, current_year=2024, today=date.today())
    table = next(d.value for d in at.dataframe if "Förändring" in d.value.columns)
    assert list(table.columns[6:8]) == ["Uppföljning 2023", "Uppföljning 2024"]
    assert table["Id"].tolist() == fu.changes["id"].tolist()
    assert metrics(at)["Genomförda"] == change_counts(fu.changes)["Genomförd"]


def test_outcomes_follow_the_reference_and_baseline(dataset):
    at = run_page(jmf="Linköping", basar="2018")
    fu = follow_up(dataset, ActionFilter(), "Linköping", 2018, today=date.today())
    matrix = next(d.value for d in at.dataframe if list(d.value.columns) == ["Berga", "Ryd", "Skäggetorp"])
    expected = summary_matrix(fu.summary)
    assert matrix.to_dict() == expected.to_dict()
    outcomes = outcome_tables(at)[-1]
    # Every indicator with data for the focus areas (the KPI is for Riket only), once per focus area.
    with_data = dataset.indicators[~dataset.indicators["id"].isin(["kpi", "omradestyp"])]  # a category has no outcome
    assert len(outcomes) == len(fu.outcomes) == 3 * len(with_data)
    assert set(outcomes["Basår"]) <= {"2018", "2014", "2019", "–"}
    # Förvärvsfrekvens has a series break in 2019 (RAMS to BAS): its changes are counted from 2019, never across it.
    after_break = outcomes[outcomes["Basår"] == "2019"]
    assert len(after_break) == 3 and set(after_break["Indikator"]) == {"Förvärvsfrekvens 20–64 år"}
    attainment = next(d.value for d in at.dataframe if "I fas" in d.value.columns)
    assert attainment["Totalt"].sum() == len(dataset.targets)


def test_linked_indicators_only(dataset):
    at = run_page(tema="trygghet", kopplade="true")
    fu = follow_up(
        dataset, ActionFilter(themes=("trygghet",)), "Övriga Linköping", 2020, linked_only=True, today=date.today()
    )
    assert at.checkbox(key="kopplade").value
    outcomes = outcome_tables(at)[-1]
    indicators = {"otrygghet_kvall", "anmalda_brott", "unga_uvas"}  # linked to the trygghet actions
    assert set(fu.outcomes["indicator"]) == indicators
    assert len(outcomes) == len(fu.outcomes) == 3 * len(indicators)


def test_page_works_on_data_without_actions_or_follow_ups(tmp_path, monkeypatch):
    """Old data: only areas, indicators and values (the optional sheets empty)."""
    import pandas as pd

    from analysis.core.model import make_dataset
    from analysis.exports.workbook import dataset_to_workbook
    from tests.builders import AREAS, INDICATORS

    values = [
        {"area": a, "indicator": "forvarvsfrekvens", "year": y, "sex": "Totalt", "value": v, "source": "SCB"}
        for a, y, v in (
            ("Berga", 2020, 55.0),
            ("Berga", 2023, 58.0),
            ("Övriga Linköping", 2020, 80.0),
            ("Övriga Linköping", 2023, 80.0),
        )
    ]
    workbook = tmp_path / "gammal.xlsx"
    workbook.write_bytes(
        dataset_to_workbook(
            make_dataset(
                areas=pd.DataFrame(AREAS), indicators=pd.DataFrame(INDICATORS), observations=pd.DataFrame(values)
            )
        )
    )
    monkeypatch.setenv("SEGDASH_DEFAULT_DATA", str(workbook))
    at = run_page()
    assert metrics(at)["Åtgärder"] == 0
    assert any("Inga åtgärder matchar urvalet" in i.value for i in at.info)
    assert any("ingen uppföljning före nu" in i.value for i in at.info)
    outcomes = outcome_tables(at)[-1]
    assert outcomes[["Område", "Indikator", "Skillnaden"]].values.tolist()[0] == [
        "Berga",
        "Förvärvsfrekvens 20–64 år",
        "→← närmar sig",
    ]
    assert not at.warning or all("åtgärderna och uppföljningarna" not in w.value for w in at.warning)


def test_chart_tables_are_one_click_away(dataset):
    at = run_page()
    fu = follow_up(dataset, ActionFilter(), "Övriga Linköping", 2020, today=date.today())
    assert not any("Pågår" in d.value.columns for d in at.dataframe)  # closed: not built
    at.session_state["tabeller"] = True  # what clicking the expander does
    at.run()
    tables = [
        d.value
        for d in at.dataframe
        if "Pågår" in d.value.columns and d.value.columns[0] in ("Tema", "Ansvarig", "Område")
    ]
    assert [t.columns[0] for t in tables] == ["Tema", "Ansvarig", "Område"]
    by_theme = tables[0].set_index("Tema")["Totalt"]
    current = plan_actions(dataset, CURRENT_PLAN)
    assert by_theme.sum() == len(current) == 40  # every action has one theme
    assert by_theme.to_dict() == current["theme"].value_counts().to_dict()
    assert tables[2].set_index("Område")["Totalt"].to_dict() == {
        a: int(fu.register["areas"].str.contains(a).sum()) for a in tables[2]["Område"]
    }


def test_attainment_shows_the_rules_the_words_and_how_old_the_value_is(dataset):
    at = run_page(uppf="2025")
    fu = follow_up(dataset, ActionFilter(), "Övriga Linköping", 2020, current_year=2025, today=date.today())
    rules = next(m.value for m in at.markdown if m.value.startswith("- "))
    assert rules == "\n".join(f"- {ui.md(rule)}" for rule in ATTAINMENT_RULES)
    outcomes = outcome_tables(at)[-1]
    assert outcomes["Måluppfyllelse"].tolist() == fu.outcomes["attainment_text"].tolist()
    shown = {t for t in outcomes["Måluppfyllelse"] if t}
    assert shown and all(t.endswith(" (senaste värde 2024)") for t in shown)  # the data ends in 2024
    assert {t.removesuffix(" (senaste värde 2024)") for t in shown} <= {REACHED, ON_TRACK, NOT_ON_TRACK}
    assert not any("pekar åt fel håll" in w.value for w in at.warning)


def test_a_target_in_the_wrong_direction_is_flagged_and_never_counted_as_reached():
    # Arbetslöshet in Berga: lower is better, 10,7 % in the target's base year 2020, 11,7 % in 2024; a target of
    # 12 % would be "reached" if its direction were not checked.
    with open_store() as store:
        upload = xlsx(
            {
                "Mål": [
                    ["Område", "Indikator", "Basår", "Målår", "Målvärde"],
                    ["Berga", "arbetsloshet", 2020, 2026, 12.0],
                ]
            }
        )
        assert import_upload(store, upload, "mal.xlsx", "test").ok
    at = run_page()
    text = (
        "målet pekar åt fel håll: målvärdet 12,0\u00a0% är sämre än värdet basåret 2020 (10,7\u00a0%), och lägre är "
        "bättre"
    )
    warning = next(w.value for w in at.warning if "pekar åt fel håll" in w.value)
    assert warning.startswith("**Mål som pekar åt fel håll (1):** ") and ui.md(text) in warning
    outcomes = outcome_tables(at)[-1].set_index(["Område", "Indikator"])
    assert outcomes.loc[("Berga", "Arbetslöshet 18–64 år"), "Måluppfyllelse"] == text
    counts = next(d.value for d in at.dataframe if "Målet pekar åt fel håll" in d.value.columns).set_index("Område")
    assert counts.loc["Berga", ["Uppnått", "I fas", "Målet pekar åt fel håll", "Totalt"]].tolist() == [0, 2, 1, 4]


def test_the_cached_follow_up_is_built_from_the_version_of_its_key(dataset):
    # The page reads the version, then builds: an import in between must not file version 2's follow-up under 1.
    path, first = ui.data_key()
    today = date.today()
    with open_store() as store:
        first_three = plan_actions(dataset, CURRENT_PLAN).head(3).assign(status="Avbruten")
        store.apply(make_dataset(actions=first_three), user="test")
    assert ui.data_key() == (path, 2)
    args = (ActionFilter(), "Övriga Linköping", 2020, None, False, today)
    with open_store() as store:
        older, newer = follow_up(store.dataset_at(1), *args), follow_up(store.dataset_at(2), *args)
    cached_older, cached_newer = ui.follow_up_at(path, first, *args), ui.follow_up_at(path, 2, *args)
    assert cached_older.register["status"].tolist() == older.register["status"].tolist()
    assert cached_newer.register["status"].tolist() == newer.register["status"].tolist()
    assert cached_older.register["status"].tolist()[:3] != ["Avbruten"] * 3
    assert cached_newer.register["status"].tolist()[:3] == ["Avbruten"] * 3


def test_a_plan_version_and_its_follow_up_year(dataset):
    at = run_page(plan="Åtgärdsplan 2020")
    assert at.selectbox(key="plan").value == "Åtgärdsplan 2020"
    # The first plan was followed up once, for 2021; "Nu" belongs to the current plan.
    assert at.selectbox(key="uppf").options == ["2021"] and at.selectbox(key="uppf").value == "2021"
    fu = follow_up(dataset, ActionFilter(), "Övriga Linköping", 2020, current_year=2021, today=date.today())
    assert fu.plan.name == "Åtgärdsplan 2020"
    assert (
        register(at)["Id"].tolist() == fu.register["id"].tolist() == plan_actions(dataset, fu.plan.name)["id"].tolist()
    )
    shown = metrics(at)
    assert {s: shown[s] for s in STATUSES} == {s: expected_counts(fu)[s] for s in STATUSES}
    assert "Förändringar sedan Åtgärdsplan 2020" not in [h.value for h in at.header]


def test_changes_since_the_previous_plan_are_the_follow_ups(dataset):
    at = run_page(uppf="2025")
    assert at.selectbox(key="plan").value == CURRENT_PLAN
    fu = follow_up(dataset, ActionFilter(), "Övriga Linköping", 2020, current_year=2025, today=date.today())
    shown = metrics(at)
    assert (shown["Nya i planen"], shown["Ändrade"], shown["Utgår"], shown["Oförändrade"]) == (20, 4, 2, 16)
    table = next(d.value for d in at.dataframe if "Vad som ändrades" in d.value.columns)
    assert table["Id"].tolist() == fu.plan_changes["id"].tolist()
    assert table.set_index("Id").loc["A03", "Vad som ändrades"] == "Slut: 2023-06-30 → 2025-06-30"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[1:] == ["Bilaga 5, Word", "Bilaga 5, PowerPoint", "Bilaga 5, HTML"]
    assert any("Bilaga 5 – Uppföljning av åtgärdsplan mot segregation 2025" in c.value for c in at.caption)
