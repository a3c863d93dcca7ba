"""Every fictitious value is marked, wherever it appears (issue 15).

One rule decides whether a source is a fictitious example (`model.is_example`); the table below pins it. Then a
small dataset where only SOME values are real walks every page's and every export's numbers: each indicator has
real values except at one place (the area's latest value, the municipality's value, the reference's baseline value,
an old year, a year the trend uses, a value for women, a target or the year a target's path starts), and every
number that rests on an example must carry the example mark its page or export uses, while numbers from real
sources only must not.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest
from docx import Document
from pptx import Presentation

import ui
from analysis.core.model import (
    EXAMPLE_SOURCE,
    HIGHER,
    LOWER,
    NEUTRAL,
    TABLE_COLUMNS,
    TABLES,
    THEMES,
    is_example,
    make_dataset,
)
from analysis.exports.docx_export import attachment_docx
from analysis.exports.downloads import download_table, explore_csv, explore_xlsx, screen_table
from analysis.exports.followup_report import followup_report
from analysis.exports.html_export import attachment_html
from analysis.exports.pptx_export import presentation_pptx
from analysis.measures.compare import comparison_table
from analysis.measures.summary import example_mask, example_share
from analysis.store.importer import open_store
from analysis.viewmodels.explore import TABLE, explore_data, selection_from_params
from analysis.viewmodels.followup import ActionFilter, follow_up, outcome_display, register_table
from analysis.viewmodels.nulage import EXAMPLE_MARK, overview, status_picture
from analysis.viewmodels.slides import AREA_SLIDE, EXAMPLE_ACTIONS_NOTE, EXAMPLE_NOTE, attachment, chart_table, deck
from tests.apptest import run_app_page
from tests.builders import read_table

# --- the one rule ------------------------------------------------------------------------------------------------

RULE = [
    ("Exempelvärde (fiktivt)", True),
    ("exempelvärde (fiktivt)", True),
    ("  Exempelvärde   (fiktivt) ", True),
    ("Härlett exempelvärde", True),
    ("Härlett exempelvärde (fiktivt) ur fokusområdena och Övriga Linköping", True),
    ("Exempeltext", True),
    ("Exempel", True),
    ("Fiktivt värde", True),
    ("Påhittat värde", True),
    ("Example value (fictitious)", True),
    ("exempeldata.xlsx", True),  # a file named so, as the source of an upload without a Källa column
    ("https://www.linkoping.se/kommun-och-politik/fakta-om-linkoping/statistik/", False),
    ("http://www.linkopingsposten.se/fran-utanforskap-till-jobb-i-skaggetorp/", False),
    ("https://www.scb.se/exempel-pa-tabeller/", False),  # a web address is a publication, whatever its words
    ("www.exempel.se", False),
    ("SCB", False),
    ("Linköpings kommun (Linköping i siffror)", False),
    ("Polisen/Brå", False),
    ("Folkmängd 2024.xlsx", False),
    ("SCB, till exempel tabell BE0101", False),
    ("Kolada, exempelvis N00914", False),
    ("SCB, for example table BE0101", False),
    ("", False),
    (None, False),
    (float("nan"), False),
]


@pytest.mark.parametrize("source, expected", RULE)
def test_the_one_rule_for_example_sources(source, expected):
    assert is_example(source) is expected


def test_the_vectorised_rule_is_the_same_rule():
    frame = pd.DataFrame({"source": [s for s, _ in RULE]})
    expected = [e for _, e in RULE]
    assert example_mask(frame).tolist() == expected
    assert example_mask(frame.astype({"source": "category"})).tolist() == expected  # as the store's frames


def test_every_source_of_the_default_data_is_classified(default_data):
    sources: dict[str, set[str]] = {}
    # Every table whose rows carry a source, except the catalogue (its source names the publisher, not a value) and
    # the plan versions (their source is the decision document, a real board paper without a web address).
    for table in [t for t in TABLES if "source" in TABLE_COLUMNS[t] and t not in ("indicators", "plans")]:
        for source in default_data.table(table)["source"].astype(str).unique():
            sources.setdefault(source, set()).add(table)
    for source, tables in sorted(sources.items()):
        print(f"{'EXEMPEL' if is_example(source) else 'verklig'}\t{sorted(tables)}\t{source}")
    # Published values have their web address as source; everything else in the default data is made up.
    for source in sources:
        assert is_example(source) is not source.startswith(("http://", "https://")), source
    assert is_example(EXAMPLE_SOURCE)
    assert not default_data.plans["source"].map(is_example).any()
    obs = default_data.observations
    assert example_mask(obs).sum() == (~obs["source"].astype(str).str.match(r"^https?://")).sum()


# --- a dataset where only some values are real -------------------------------------------------------------------

TODAY = date(2026, 11, 26)
AREA, REF, MUNI = "Berga", "Övriga Linköping", "Linköping"
BASELINE = 2020
YEARS = range(2015, 2025)
REAL = "https://www.scb.se/hitta-statistik/"
DERIVED = "Härlett exempelvärde (fiktivt) ur fokusområdena och Övriga Linköping"

# id, name, theme, unit, direction, decimals
INDICATORS = [
    ("forvarv", "Förvärvsfrekvens", "arbete", "procent", HIGHER, 1),  # every value real; an example target
    ("arbetsloshet", "Arbetslöshet", "arbete", "procent", LOWER, 1),  # the area's latest value is an example
    ("ohalsotal", "Ohälsotal", "hälsa", "dagar", LOWER, 1),  # the municipality's latest value is derived (example)
    ("bistand", "Ekonomiskt bistånd", "ekonomi", "procent", LOWER, 1),  # the reference's baseline value
    ("trangbodd", "Trångboddhet", "boende", "procent", LOWER, 1),  # an old year only; a real target
    ("merit", "Meritvärde", "utbildning", "poäng", HIGHER, 1),  # a year the trend is fitted on
    ("eftergymn", "Eftergymnasial utbildning", "utbildning", "procent", HIGHER, 1),  # women's value; a path's start
    ("folkmangd", "Folkmängd", "befolkning", "antal", NEUTRAL, 0),  # the area's latest population
]
NAMES = {i[0]: i[1] for i in INDICATORS}
EXAMPLE_CELLS = {
    (AREA, "arbetsloshet", 2024, "Totalt"): EXAMPLE_SOURCE,
    (MUNI, "ohalsotal", 2024, "Totalt"): DERIVED,
    (REF, "bistand", 2020, "Totalt"): EXAMPLE_SOURCE,
    (AREA, "trangbodd", 2016, "Totalt"): EXAMPLE_SOURCE,
    (AREA, "merit", 2022, "Totalt"): EXAMPLE_SOURCE,
    (AREA, "eftergymn", 2024, "Kvinnor"): EXAMPLE_SOURCE,
    (AREA, "eftergymn", 2019, "Totalt"): EXAMPLE_SOURCE,
    (AREA, "folkmangd", 2024, "Totalt"): EXAMPLE_SOURCE,
}

# What rests on an example, per figure.
HEADLINE = {"arbetsloshet", "bistand", "folkmangd"}  # value, reference value, gap, change, verdicts, sentence
LATEST_GAP = {"arbetsloshet"}  # the gap in the latest year (the overview's matrix; counts have no gap)
CARD = HEADLINE | {"ohalsotal", "eftergymn"}  # the whole card: also the municipality and women and men
KEY_TABLE = HEADLINE | {"ohalsotal"}  # the Nyckeltal row: also the municipality's value
OUTCOME = HEADLINE | {"forvarv", "eftergymn"}  # also the target and the value where the target's path starts
REPORT_OUTCOME = OUTCOME | {"merit"}  # the report also shows the trend per year
EXAMPLE_TEXT = "Berga är en stadsdel i sydvästra Linköping (påhittad beskrivning)."
REAL_TEXT = "Många aktiva föreningar och en stark skola."


def _value(indicator: str, area: str, year: int, sex: str) -> float:
    """A plausible value: a level per indicator and area, a small change per year, women above men."""
    level = {
        "forvarv": 60,
        "arbetsloshet": 12,
        "ohalsotal": 30,
        "bistand": 9,
        "trangbodd": 25,
        "merit": 200,
        "eftergymn": 30,
        "folkmangd": 10000,
    }[indicator]
    if area != AREA:
        level *= 1.4 if indicator in ("forvarv", "merit", "eftergymn") else 0.5 if indicator != "folkmangd" else 10
    step = level * 0.02 * (1 if indicator in ("forvarv", "merit", "eftergymn", "folkmangd") else -1)
    shift = {"Totalt": 0, "Kvinnor": 0.05, "Män": -0.05}[sex] * level
    return round(level + step * (year - 2015) + shift, 0 if indicator == "folkmangd" else 1)


def mixed_dataset():
    """A focus area, a reference and a municipality; real values except EXAMPLE_CELLS; examples among the rest."""
    rows = []
    for ind in NAMES:
        sexes = ("Totalt", "Kvinnor", "Män") if ind == "eftergymn" else ("Totalt",)
        for area in (AREA, REF, MUNI):
            for sex in sexes:
                for year in YEARS:
                    source = EXAMPLE_CELLS.get((area, ind, year, sex), REAL)
                    rows.append(
                        {
                            "area": area,
                            "indicator": ind,
                            "year": year,
                            "sex": sex,
                            "value": _value(ind, area, year, sex),
                            "source": source,
                            "note": "",
                        }
                    )
    indicators = pd.DataFrame(
        [
            {
                "id": i,
                "name": n,
                "theme": t,
                "unit": u,
                "direction": d,
                "decimals": dec,
                "definition": f"Definition av {n.lower()}",
                "source": "SCB",
                "key_figure": True,
            }
            for i, n, t, u, d, dec in INDICATORS
        ]
    )
    areas = pd.DataFrame(
        [{"name": AREA, "type": "Fokusområde"}, {"name": REF, "type": "Jämförelse"}, {"name": MUNI, "type": "Kommun"}]
    )
    actions = pd.DataFrame(
        [
            {
                "id": "A1",
                "title": "Läxhjälp i Berga",
                "theme": "utbildning",
                "responsible": "Utbildningsförvaltningen",
                "areas": AREA,
                "start": "2021-01-01",
                "end": "2027-12-31",
                "status": "Pågår",
                "indicators": "merit",
                "source": EXAMPLE_SOURCE,
            },
            {
                "id": "A2",
                "title": "Feriejobb för unga",
                "theme": "arbete",
                "responsible": "Arbetsmarknadsförvaltningen",
                "areas": AREA,
                "start": "2021-01-01",
                "end": "2027-12-31",
                "status": "Pågår",
                "indicators": "forvarv",
                "source": "Kommunstyrelsen, beslut 2021-03-02 § 55",
            },
            {
                "id": "A3",
                "title": "Trygghetsvandringar",
                "theme": "trygghet",
                "responsible": "Kommunledningskontoret",
                "areas": AREA,
                "start": "2021-01-01",
                "end": "2027-12-31",
                "status": "Pågår",
                "indicators": "",
                "source": "Kommunstyrelsen, beslut 2021-03-02 § 56",
            },
        ]
    )
    followups = pd.DataFrame(
        [
            {"action": "A1", "year": 2023, "status": "Pågår", "comment": "", "source": EXAMPLE_SOURCE},
            {"action": "A2", "year": 2023, "status": "Pågår", "comment": "", "source": EXAMPLE_SOURCE},
            {"action": "A3", "year": 2023, "status": "Pågår", "comment": "", "source": "Uppföljning 2023, KS"},
        ]
    )
    targets = pd.DataFrame(
        [
            {
                "area": AREA,
                "indicator": "forvarv",
                "base_year": 2020,
                "target_year": 2030,
                "target_value": 75.0,
                "source": EXAMPLE_SOURCE,
            },
            {
                "area": AREA,
                "indicator": "trangbodd",
                "base_year": 2020,
                "target_year": 2030,
                "target_value": 15.0,
                "source": "Kommunfullmäktige 2021-06-15 § 120",
            },
            {
                "area": AREA,
                "indicator": "eftergymn",
                "base_year": 2019,
                "target_year": 2030,
                "target_value": 45.0,
                "source": "Kommunfullmäktige 2021-06-15 § 120",
            },
        ]
    )
    texts = pd.DataFrame(
        [
            {"area": AREA, "heading": "Områdesbeskrivning", "text": EXAMPLE_TEXT, "source": EXAMPLE_SOURCE},
            {"area": AREA, "heading": "Styrkor", "text": REAL_TEXT, "source": "Stadsdelsbeskrivning 2023"},
        ]
    )
    return make_dataset(
        observations=pd.DataFrame(rows),
        indicators=indicators,
        areas=areas,
        actions=actions,
        action_followups=followups,
        targets=targets,
        area_texts=texts,
    )


@pytest.fixture(scope="module")
def ds():
    """The mixed dataset."""
    return mixed_dataset()


@pytest.fixture
def stored(ds):
    """The mixed dataset as the only data of the store the app opens (SEGDASH_DB of this test)."""
    with open_store(seed=False) as store:
        store.apply(ds, user="test", file_name="blandat.xlsx")
    return ds


def marked_ids(names: list[str], marks: list[bool]) -> set[str]:
    """The indicator ids of the names whose mark is set."""
    ids = {n: i for i, n in NAMES.items()}
    return {ids[n] for n, m in zip(names, marks) if m}


# --- view models: compare, nulage ----------------------------------------------------------------------------------


def test_the_comparison_flags_each_figure(ds):
    table = comparison_table(ds, AREA, REF, BASELINE, municipality=MUNI).set_index("indicator")
    assert set(table.index[table["is_example"]]) == HEADLINE
    assert set(table.index[table["latest_example"]]) == {"arbetsloshet", "folkmangd"}
    assert set(table.index[table["municipality_example"]]) == {"ohalsotal"}
    assert set(table.index[table["sex_example"]]) == {"eftergymn"}
    assert set(table.index[table["trend_example"]]) == {"arbetsloshet", "merit", "folkmangd"}


def test_status_picture_cards_key_figures_and_history(ds):
    sp = status_picture(ds, AREA, REF, BASELINE)
    cards = sp.population + [c for _, cs in sp.themes for c in cs]
    assert {c.indicator for c in cards} == set(NAMES)
    assert {c.indicator for c in cards if c.is_example} == CARD
    assert {c.indicator for c in cards if c.headline_example} == HEADLINE
    kf = sp.key_figures
    assert marked_ids(kf["Indikator"].tolist(), (kf["Exempel"] == "Ja").tolist()) == KEY_TABLE
    for card in cards:  # every example value in a card's table of values, and nothing else, has the mark
        table = card.history_table
        for area in (AREA, REF):
            marked = {int(y) for y, v in zip(table["År"], table[area]) if v.endswith(EXAMPLE_MARK)}
            assert marked == {
                y for (a, i, y, s) in EXAMPLE_CELLS if a == area and i == card.indicator and s == "Totalt"
            }, (card.indicator, area)
    assert sp.example_share > 0


def test_the_share_of_examples_counts_derived_examples(ds):
    obs = ds.observations
    assert example_share(obs) == pytest.approx(len(EXAMPLE_CELLS) / len(obs))
    only_derived = obs[obs["source"] == DERIVED]
    assert len(only_derived) == 1 and example_share(only_derived) == 1.0


def test_overview_cards_matrix_and_population(ds):
    ov = overview(ds, [AREA], REF, BASELINE)
    (card,) = ov.cards
    assert [k.indicator for k in card.key] == ["forvarv", "arbetsloshet", "ohalsotal", "bistand"]
    assert {k.indicator for k in card.key if k.headline_example} == HEADLINE & {k.indicator for k in card.key}
    assert card.population_example
    cells = ov.matrix[AREA]
    names = [i for _, i in cells.index]
    assert marked_ids(names, [c.endswith(EXAMPLE_MARK) for c in cells]) == LATEST_GAP


# --- pages ----------------------------------------------------------------------------------------------------------


def test_oversikt_page_marks_exactly_the_example_numbers(stored):
    at = run_app_page("views/oversikt.py")
    for ind in ("forvarv", "arbetsloshet", "ohalsotal", "bistand"):
        (line,) = [m.value for m in at.markdown if m.value.startswith(f"**{NAMES[ind]}**")]
        assert ("exempelvärde" in line) is (ind in HEADLINE), line
    assert any(c.value == "Folkmängden är ett *exempelvärde* (fiktivt)." for c in at.caption)
    matrix = at.dataframe[0].value
    names = [i for _, i in matrix.index]
    assert marked_ids(names, [str(c).endswith(EXAMPLE_MARK) for c in matrix[AREA]]) == LATEST_GAP
    changes = next(d.value for d in at.dataframe if "Utveckling" in d.value.columns)
    assert marked_ids(changes["Indikator"].tolist(), (changes["Exempel"] == "Ja").tolist()) == HEADLINE
    share = next(m.value for m in at.metric if m.label == "Exempelvärden")
    assert share != "0\u00a0%" and share != "0 %"


def test_nulagesbild_page_marks_cards_key_figures_and_texts(stored):
    at = run_app_page("views/nulagesbild.py", omrade=AREA)
    titles = {}
    for m in at.markdown:
        for ind, name in NAMES.items():
            if m.value in (f"#### {name}", f"#### {name} · :gray[*exempelvärde*]"):
                titles[ind] = m.value.endswith("*exempelvärde*]")
    assert set(titles) == set(NAMES)
    assert {i for i, marked in titles.items() if marked} == CARD
    key = next(d.value for d in at.dataframe if "Exempel" in d.value.columns and "Indikator" in d.value.columns)
    assert marked_ids(key["Indikator"].tolist(), (key["Exempel"] == "Ja").tolist()) == KEY_TABLE
    assert ui.md(EXAMPLE_TEXT) in [m.value for m in at.markdown]
    assert [c.value for c in at.caption].count("Exempeltext (fiktiv).") == 1  # the example text's, not the real one's


# --- Utforska: table, CSV, Excel, gap view --------------------------------------------------------------------------


def expected_rows(indicator: str, frame: pd.DataFrame) -> list[bool]:
    """Per explorer row (area, year, sex): True when its value is an example."""
    keys = zip(frame["Område"], frame["År"], frame["Grupp"])
    return [(a, indicator, int(y), s) in EXAMPLE_CELLS for a, y, s in keys]


@pytest.mark.parametrize("indicator", ["ohalsotal", "arbetsloshet", "forvarv"])
def test_utforska_table_csv_and_excel_mark_each_example_row(ds, indicator):
    selection, notices = selection_from_params({"indikator": NAMES[indicator], "vy": TABLE}, ds)
    assert not notices and set(selection.areas) == {AREA, REF, MUNI}
    data = explore_data(ds, selection)
    table = download_table(data)
    assert (table["Exempelvärde"] == "Ja").tolist() == expected_rows(indicator, table)
    assert (screen_table(data)["Exempelvärde"] == "Ja").tolist() == expected_rows(indicator, table)
    rows = list(csv.reader(io.StringIO(explore_csv(data).decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    flags = [r[header.index("Exempelvärde")] == "Ja" for r in body]
    assert flags == expected_rows(indicator, table)
    ws = openpyxl.load_workbook(io.BytesIO(explore_xlsx(data))).active
    cells = [list(r) for r in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(cells) if r and r[0] == "Indikator")
    column = cells[start].index("Exempelvärde")
    assert [r[column] == "Ja" for r in cells[start + 1 : start + 1 + len(table)]] == expected_rows(indicator, table)
    assert any("exempelvärden" in str(r[0]) for r in cells[:start]) is bool(any(expected_rows(indicator, table)))


def test_utforska_gaps_rest_on_the_reference_too(ds):
    selection, _ = selection_from_params({"indikator": NAMES["bistand"]}, ds)
    gaps = explore_data(ds, selection).gaps
    marked = {(a, int(y)) for a, y, e in zip(gaps["area"], gaps["year"], gaps["example"]) if e}
    assert marked == {(AREA, 2020), (MUNI, 2020)}  # the reference's 2020 value is an example


def test_utforska_page_table_marks_each_example_row(stored):
    at = run_app_page("views/utforska.py", indikator=NAMES["ohalsotal"], vy=TABLE)
    table = next(d.value for d in at.dataframe if "Exempelvärde" in d.value.columns)
    assert (table["Exempelvärde"] == "Ja").tolist() == expected_rows("ohalsotal", table)
    assert (table["Exempelvärde"] == "Ja").sum() == 1


# --- Uppföljning: outcome table, register, report ------------------------------------------------------------------


def test_followup_outcomes_register_and_report(ds):
    fu = follow_up(ds, ActionFilter(), REF, BASELINE, today=TODAY)
    shown = outcome_display(fu.outcomes)
    assert marked_ids(shown["Indikator"].tolist(), (shown["Exempel"] == "Ja").tolist()) == OUTCOME
    register = register_table(fu.register, fu.history)
    assert dict(zip(register["Id"], register["Exempel"])) == {"A1": "Ja", "A2": "Ja", "A3": ""}
    without_history = register_table(fu.register)
    assert dict(zip(without_history["Id"], without_history["Exempel"])) == {"A1": "Ja", "A2": "", "A3": ""}
    assert fu.action_examples and fu.outcome_examples
    wb = openpyxl.load_workbook(io.BytesIO(followup_report(fu, 1)))
    indicators = read_table(wb["Indikatorer"], "Område")
    assert marked_ids(indicators["Indikator"].tolist(), (indicators["Exempel"] == "Ja").tolist()) == REPORT_OUTCOME
    actions = read_table(wb["Åtgärder"], "Id")
    assert dict(zip(actions["Id"], actions["Exempel"])) == {"A1": "Ja", "A2": "Ja", "A3": "Nej"}


def test_uppfoljning_page_marks_outcomes_and_actions(stored):
    at = run_app_page("views/uppfoljning.py", timeout=120)
    outcomes = [d.value for d in at.dataframe if {"Måluppfyllelse", "Skillnaden"} <= set(d.value.columns)][-1]
    assert marked_ids(outcomes["Indikator"].tolist(), (outcomes["Exempel"] == "Ja").tolist()) == OUTCOME
    register = next(d.value for d in at.dataframe if {"Id", "Åtgärd", "Angiven status"} <= set(d.value.columns))
    assert dict(zip(register["Id"], register["Exempel"])) == {"A1": "Ja", "A2": "Ja", "A3": ""}
    lead = "*Exempel (fiktivt):* "
    for action, expected in (
        ("A1", "åtgärden och dess uppföljningar är påhittade."),
        ("A2", "uppföljningarna är påhittade."),
        ("A3", None),
    ):
        at.selectbox(key="atgard").set_value(action).run()
        assert not at.exception
        notes = [c.value.removeprefix(lead) for c in at.caption if c.value.startswith(lead)]
        assert notes == ([expected] if expected else []), action


# --- exports: PowerPoint, Word, HTML --------------------------------------------------------------------------------


def test_powerpoint_marks_rows_population_and_notes(ds):
    slides = deck(ds, [AREA], THEMES, REF, BASELINE, TODAY, version=1)
    prs = Presentation(io.BytesIO(presentation_pptx(slides)))
    seen: dict[str, bool] = {}
    for model, slide in zip(slides, prs.slides):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        tables = [[[c.text for c in row.cells] for row in s.table.rows] for s in slide.shapes if s.has_table]
        rows = [r for t in tables if t[0][0] == "Indikator" for r in t[1:]]
        for first, *_ in rows:
            name = first.removesuffix(EXAMPLE_MARK)
            ind = next(i for i, n in NAMES.items() if n == name)
            seen[ind] = first.endswith(EXAMPLE_MARK)
        any_marked = any(r[0].endswith(EXAMPLE_MARK) for r in rows)
        if model.kind == AREA_SLIDE:
            population = next(b for b in model.bullets if b.startswith("Folkmängd"))
            assert population.endswith(EXAMPLE_MARK) and any(population in t for t in texts)
            any_marked = True
        if rows:
            assert any(EXAMPLE_NOTE in t for t in texts) is any_marked, model.title
    assert {i for i, m in seen.items() if m} == HEADLINE
    assert set(seen) == set(NAMES)
    actions = slides[-1]
    assert actions.is_example and EXAMPLE_ACTIONS_NOTE in actions.notes


@pytest.fixture(scope="module")
def berga(ds):
    """The attachment of the area."""
    return attachment(ds, AREA, REF, BASELINE, TODAY, version=1)


def test_word_marks_cards_key_figures_texts_and_chart_values(berga):
    doc = Document(io.BytesIO(attachment_docx(berga, render=False)))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    cards = {h.removesuffix(" · exempelvärde"): h.endswith(" · exempelvärde") for h in headings}
    assert set(cards) == set(NAMES.values())
    assert marked_ids(list(cards), list(cards.values())) == CARD
    (key,) = [t for t in doc.tables if t.rows[0].cells[0].text == "Indikator"]
    rows = [[c.text for c in r.cells] for r in key.rows]
    column = rows[0].index("Exempel")
    assert marked_ids([r[0] for r in rows[1:]], [r[column] == "Ja" for r in rows[1:]]) == KEY_TABLE
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[paragraphs.index(EXAMPLE_TEXT) + 1] == "Exempeltext (fiktiv)."
    assert paragraphs[paragraphs.index(REAL_TEXT) + 1] != "Exempeltext (fiktiv)."
    chart_cells = {c.text for t in doc.tables if t is not key for r in t.rows for c in r.cells}
    expected = {c for s in berga.sections if s.chart is not None for r in chart_table(s.chart).rows for c in r}
    assert {c for c in expected if c.endswith(EXAMPLE_MARK)} <= chart_cells


def test_chart_values_are_marked_exactly_where_examples_are(berga):
    for section in berga.sections:
        chart = section.chart
        if chart is None:
            continue
        indicator = next(i for i, n in NAMES.items() if n == chart.title)
        table = chart_table(chart)
        for row in table.rows:
            for area, cell in zip(table.columns[1:], row[1:]):
                expected = (area, indicator, int(row[0]), "Totalt") in EXAMPLE_CELLS
                assert cell.endswith(EXAMPLE_MARK) is expected, (indicator, area, row[0])


class Tables(HTMLParser):
    """The tables and h3 headings of an HTML document as text."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.h3: list[str] = []
        self._cell: list[str] | None = None
        self._in_h3 = False

    def handle_starttag(self, tag, attrs):
        """Start a table, row, cell or heading."""
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "h3":
            self._in_h3 = True
            self.h3.append("")

    def handle_endtag(self, tag):
        """End a cell or heading."""
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "h3":
            self._in_h3 = False

    def handle_data(self, data):
        """Collect text."""
        if self._cell is not None:
            self._cell.append(data)
        if self._in_h3:
            self.h3[-1] += data


def test_html_marks_cards_key_figures_texts_and_chart_values(berga):
    html = attachment_html(berga)
    parts = Tables()
    parts.feed(html)
    cards = {h.removesuffix(" · exempelvärde"): h.endswith(" · exempelvärde") for h in parts.h3}
    assert set(cards) == set(NAMES.values())
    assert marked_ids(list(cards), list(cards.values())) == CARD
    (key,) = [t for t in parts.tables if t[0][0] == "Indikator"]
    column = key[0].index("Exempel")
    assert marked_ids([r[0] for r in key[1:]], [r[column] == "Ja" for r in key[1:]]) == KEY_TABLE
    assert f'<p>{EXAMPLE_TEXT}</p><p class="note">Exempeltext (fiktiv).</p>' in html
    assert f'<p>{REAL_TEXT}</p><p class="note">' not in html
    chart_cells = {c for t in parts.tables if t is not key for r in t for c in r}
    expected = {c for s in berga.sections if s.chart is not None for r in chart_table(s.chart).rows for c in r}
    assert {c for c in expected if c.endswith(EXAMPLE_MARK)} <= chart_cells
