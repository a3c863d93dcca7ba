"""Every page runs without an exception (AppTest) on the default data, and shows the expected numbers."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

import ui
from analysis.core.model import make_dataset
from analysis.store.importer import SYSTEM_USER, open_store
from analysis.viewmodels.method import method_sections
from analysis.viewmodels.nulage import overview, status_picture
from tests.apptest import APP, assert_page_ran
from tests.apptest import run_app_page as run_page

FOCUS = ["Berga", "Ryd", "Skäggetorp"]


@pytest.mark.parametrize("page", [p.script for p in ui.PAGES])
def test_page_runs_without_exception_and_shows_its_own_title(page):
    at = run_page(page)  # asserts the title too
    assert at.title[0].value == next(p.title for p in ui.PAGES if p.script == page)


def test_a_page_whose_url_path_differs_from_its_file_name_runs_that_page(monkeypatch):
    # AppTest finds a page by file name before the first run: switched to blindly, this ran the start page.
    pages = tuple(replace(p, url_path="sa-raknar-vi") if p.script == "views/metod.py" else p for p in ui.PAGES)
    monkeypatch.setattr(ui, "PAGES", pages)
    at = run_page("views/metod.py")
    assert at.title[0].value == "Så räknar vi"
    assert [s.value for s in at.header] == [ui.md(section.heading) for section in method_sections()]


def test_a_run_of_the_start_page_fails_the_title_check_of_any_other_page():
    at = run_page(ui.PAGES[0].script)
    for page in ui.PAGES[1:]:
        with pytest.raises(AssertionError, match="the run showed titles \\['Översikt'\\]"):
            assert_page_ran(at, page.script)


def test_a_script_outside_the_navigation_is_refused():
    with pytest.raises(AssertionError, match="views/finns_inte.py is not a page"):
        run_page("views/finns_inte.py")


def test_a_cached_data_status_is_of_the_version_of_its_key(dataset):
    path, first = ui.data_key()
    with open_store() as store:
        store.apply(make_dataset(observations=dataset.observations.head(1).assign(value=1.0)), user="Anna")
    assert ui.data_key() == (path, first + 1) == (path, 2)
    older, newer = ui.data_status_at(path, first), ui.data_status_at(path, first + 1)
    assert (older.version, older.last_user) == (1, SYSTEM_USER)
    assert (newer.version, newer.last_user) == (2, "Anna")


def test_overview_shows_a_card_per_focus_area_with_the_computed_numbers(dataset):
    at = run_page("views/oversikt.py")
    expected = overview(dataset, FOCUS, "Övriga Linköping", 2020)
    headings = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert headings == [f"### {a}" for a in FOCUS]
    progress_texts = [p.proto.text for p in at.get("progress")]
    assert progress_texts == [c.counts_text for c in expected.cards]
    assert any("Exempeldata" in w.value for w in at.warning)
    assert [m.value for m in at.metric if m.label == "Folkmängd"] == [c.population for c in expected.cards]
    assert next(m.value for m in at.metric if m.label == "Dataversion") == "1"
    first_key = expected.cards[0].key[0]
    assert any(first_key.value in m.value and first_key.gap in m.value for m in at.markdown)


def test_the_data_status_names_the_last_editor_without_their_address(dataset):
    with open_store() as store:
        store.apply(
            make_dataset(observations=dataset.observations.head(1).assign(value=1.0)),
            user="Anna <anna@linkoping.se>",
            file_name="ny.xlsx",
        )
    at = run_page("views/oversikt.py")
    status = next(c.value for c in at.caption if c.value.startswith("Senast ändrad"))
    assert " av Anna " in status and "linkoping" not in status


def test_overview_matrix_has_every_indicator_with_data(dataset):
    at = run_page("views/oversikt.py")
    matrix = at.dataframe[0].value
    assert list(matrix.columns) == FOCUS
    # All but the KPI, which only Riket has, and the områdestyp, a category and never a gap.
    assert len(matrix) == len(dataset.indicators) - 2


@pytest.mark.parametrize("area", FOCUS)
def test_nulagesbild_of_each_focus_area(area, dataset):
    at = run_page("views/nulagesbild.py", omrade=area)
    sp = status_picture(dataset, area, "Övriga Linköping", 2020)
    assert at.selectbox(key="omrade").value == area
    assert at.header[0].value == f"Nulägesbild {area}"
    assert at.info[0].value == ui.md(sp.summary)
    subheaders = [s.value for s in at.subheader]
    assert subheaders[:3] == ["Områdesbeskrivning", "Aktörer", "Befolkning"]
    assert subheaders[-4:] == ["Nyckeltal", "Utmaningar", "Styrkor", "Skyddsfaktorer"]
    written = {m.value for m in at.markdown}
    for _, cards in sp.themes:
        for card in cards:
            assert ui.md(card.sentence) in written, card.sentence  # escaped: names come from uploads
    shown = next(d.value for d in at.dataframe if {"Indikator", "Skillnad"} <= set(d.value.columns))
    assert shown["Indikator"].tolist() == sp.key_figures["Indikator"].tolist()
    assert shown[area].tolist() == sp.key_figures[area].tolist()
    assert any("Exempeldata" in w.value for w in at.warning)


def test_nulagesbild_cards_say_when_a_newer_figure_is_normally_out(dataset):
    from datetime import date

    from analysis.measures.freshness import indicator_freshness

    at = run_page("views/nulagesbild.py", omrade="Skäggetorp")
    sp = status_picture(dataset, "Skäggetorp", "Övriga Linköping", 2020)
    carded = {card.indicator for _, cards in sp.themes for card in cards} | {c.indicator for c in sp.population}
    stale = {f.indicator: f.sentence() for f in indicator_freshness(dataset, date.today()) if f.is_stale}
    flagged = [c.value for c in at.caption if c.value.startswith(":material/update:")]
    expected = [f":material/update: {ui.md(sentence)}" for ind, sentence in stale.items() if ind in carded]
    assert expected and sorted(flagged) == sorted(expected)  # one line on each out-of-date card, none elsewhere


def test_nulagesbild_cards_compare_utrikes_fodda_with_utrikes_fodda_in_the_reference(dataset):
    at = run_page("views/nulagesbild.py", omrade="Skäggetorp")
    sp = status_picture(dataset, "Skäggetorp", "Övriga Linköping", 2020)
    card = next(c for _, cards in sp.themes for c in cards if c.indicator == "forvarvsfrekvens")
    assert [g.group for g in card.groups] == ["Inrikes födda", "Utrikes födda"]
    assert card.groups[1].sentence.startswith("Bland utrikes födda i Skäggetorp var förvärvsfrekvensen")
    assert card.groups[1].sentence.endswith("lägre än bland utrikes födda i övriga Linköping.")
    written = {m.value for m in at.markdown}
    assert "  \n".join(ui.md(g.sentence) for g in card.groups) in written
    links = [e for e in at.get("page_link") if e.proto.label == "Utforska inrikes och utrikes födda"]
    assert len(links) == 2  # förvärvsfrekvens and arbetslöshet
    assert all("grupp=Inrikes+och+utrikes+f%C3%B6dda" in link.proto.query_string for link in links)


def test_nulagesbild_view_is_restored_from_the_url(dataset):
    at = run_page("views/nulagesbild.py", omrade="Ryd", jmf="Linköping", basar="2018")
    assert at.selectbox(key="omrade").value == "Ryd"
    assert at.selectbox(key="jmf").value == "Linköping"
    assert at.selectbox(key="basar").value == 2018
    sp = status_picture(dataset, "Ryd", "Linköping", 2018)
    assert at.info[0].value == ui.md(sp.summary)
    assert "sedan 2018" in sp.summary


def test_changing_the_area_changes_the_page(dataset):
    at = run_page("views/nulagesbild.py", omrade="Berga")
    at.selectbox(key="omrade").set_value("Skäggetorp").run()
    assert at.header[0].value == "Nulägesbild Skäggetorp"


def test_card_details_are_one_click_away_and_built_only_when_opened(dataset):
    at = run_page("views/nulagesbild.py", omrade="Berga")
    sp = status_picture(dataset, "Berga", "Övriga Linköping", 2020)
    card = sp.themes[0][1][0]
    cards = sp.population + [c for _, theme_cards in sp.themes for c in theme_cards]
    assert len(at.get("image")) == sum(len(c.history) > 1 for c in cards) > 20  # a sparkline per card
    assert not at.get("plotly_chart")  # plain images, not plotly charts; the theme charts are built when opened
    closed = len(at.dataframe)
    at.session_state[f"mer_{card.indicator}"] = True  # what clicking the expander does
    at.run()
    assert not at.exception
    assert len(at.dataframe) == closed + 1
    shown = next(d.value for d in at.dataframe if d.value.equals(card.history_table))
    assert list(shown.columns) == list(card.history_table.columns)
    texts = "\n".join(m.value for m in at.markdown)
    assert f"**Definition:** {ui.md(card.definition)}" in texts and f"**Källa:** {ui.md(card.source)}" in texts


@pytest.mark.parametrize(
    "page, query",
    [
        ("views/utforska.py", {}),
        ("views/utforska.py", {"vy": "Jämförelse"}),
        ("views/uppfoljning.py", {}),
        ("views/presentation.py", {"bild": "3"}),
        ("views/nulagesbild.py", {}),
    ],
)
def test_every_chart_and_image_has_a_text_alternative_and_readable_axes(page, query):
    at = run_page(page, **query)
    charts = at.get("plotly_chart")
    images = [i for element in at.get("image") for i in element.proto.imgs]
    assert charts or images
    for chart in charts:
        assert re.match(r"(Linjediagram|Stapeldiagram|Tidslinje): .+\.$", chart.proto.alt), chart.proto.alt
        # A page's charts have their table beside them; a slide's chart is read out from its own data (chart_alt_text).
        table_note = "Alla värden finns i tabellen till diagrammet."
        assert chart.proto.alt.endswith(table_note) != (page == "views/presentation.py"), chart.proto.alt
        assert chart.proto.theme == "", "Streamlit's chart theme draws axis text at 3.8:1 (ui.plotly_chart)"
    for image in images:
        assert re.match(r".+, utveckling \d{4}–\d{4}: från .+ till .+\.$", image.alt), image.alt


def test_a_database_server_that_cannot_be_reached_is_a_swedish_message_not_a_crash(monkeypatch):
    monkeypatch.setenv("SEGDASH_DB", "postgresql://segdash:hemligt@127.0.0.1:1/segdash")  # nothing listens on port 1
    ui._store_at.clear()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception and not at.title  # stopped before the page, with the message instead
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "Databasservern" in errors[0] and "kunde inte nås" in errors[0]
    assert "hemligt" not in errors[0]  # the password is never shown
    ui._store_at.clear()


def test_overview_shows_linkoping_next_to_its_comparison_municipalities(dataset):
    from analysis.viewmodels.peers import peer_comparison

    at = run_page("views/oversikt.py")
    peers = peer_comparison(dataset)
    assert peers.peers == ("Norrköping", "Örebro", "Västerås", "Jönköping", "Uppsala")
    assert "Linköping och jämförelsekommunerna" in [h.value for h in at.header]
    shown = next(d.value for d in at.dataframe if "Placering" in d.value.columns)
    assert shown.astype(str).values.tolist() == peers.table.astype(str).values.tolist()
    assert list(shown.columns[2:8]) == ["Linköping", *peers.peers]
    [link] = [e for e in at.get("page_link") if e.proto.label == "Jämför kommunerna i Utforska"]
    assert "omraden=Norrk%C3%B6ping" in link.proto.query_string and "vy=J%C3%A4mf%C3%B6relse" in link.proto.query_string


def test_overview_and_nulagesbild_show_each_focus_areas_omradestyp(dataset):
    from analysis.measures.category_status import area_categories

    written = {m.value for m in run_page("views/oversikt.py").markdown}
    for area, code in (("Berga", 2), ("Ryd", 2), ("Skäggetorp", 1)):
        [category] = area_categories(dataset, area)
        assert category.code == code and category.is_example
        assert f"{ui.md(category.sentence())} · *exempelvärde*" in written
    ryd = {m.value for m in run_page("views/nulagesbild.py", omrade="Ryd").markdown}
    [category] = area_categories(dataset, "Ryd")
    assert category.sentence() == (
        "Områdestyp: 2 – Områden med socioekonomiska utmaningar (2024, sedan 2021). "
        "2020: 3 – Socioekonomiskt blandade områden."
    )
    assert f"{ui.md(category.sentence())} · *exempelvärde*" in ryd
