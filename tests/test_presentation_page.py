"""The Presentation page (AppTest): choices, stepping through the slides, the URL, presentation mode, downloads."""

from __future__ import annotations

import json
from datetime import date

import pytest

import ui
from analysis.core.model import THEMES, make_dataset
from analysis.core.safety import markdown_text
from analysis.store.importer import open_store
from analysis.viewmodels.slides import MAP_EXAMPLE_NOTE, deck
from tests.apptest import run_app_page as run_page
from tests.test_karta_page import with_boundaries

PAGE = "views/presentation.py"
REF = "Övriga Linköping"
AREAS = ["Berga", "Ryd", "Skäggetorp"]


@pytest.fixture
def slides():
    """The deck the page shows by default: every focus area and theme against övriga Linköping since 2020."""
    with open_store() as store:
        return deck(store.current(), AREAS, THEMES, REF, 2020, date.today(), version=store.current_version())


PAGE_SECTIONS = {"Urval", "Ladda ned", "Bilaga 5 – uppföljningen"}


def shown_title(at) -> str:
    """The slide title on the page (escaped Markdown, as the page writes data text).

    While presenting it is the page's h1; otherwise the first h2 that is not one of the page's own sections.
    """
    if at.title and at.title[0].value != "Presentation":
        return at.title[0].value
    return next(h.value for h in at.header if h.value not in PAGE_SECTIONS)


def test_first_slide_and_choices(slides):
    at = run_page(PAGE)
    assert at.title[0].value == "Presentation"
    assert at.multiselect(key="omraden").value == AREAS
    assert at.multiselect(key="teman").value == list(THEMES)
    assert at.selectbox(key="jmf").value == REF and at.selectbox(key="basar").value == 2020
    assert shown_title(at) == markdown_text(slides[0].title) == "Åtgärdsplan mot segregation"
    assert at.selectbox(key="bild").value == 1
    assert "bild" not in at.query_params  # the default slide keeps the address clean
    assert len(at.selectbox(key="bild").options) == len(slides) == 30
    assert at.button(key="foregaende").disabled and not at.button(key="nasta").disabled
    assert any("Exempeldata" in w.value for w in at.warning)
    assert slides[0].bullets[-1] == "Dataversion 1"
    assert any("Bild 1 av 30" in c.value for c in at.caption)
    assert "kartindikator" not in [s.key for s in at.selectbox]  # no boundaries: no map to choose


def test_next_and_previous_step_through_the_slides(slides):
    at = run_page(PAGE)
    seen = [shown_title(at)]
    for _ in range(3):
        at.button(key="nasta").click().run()
        seen.append(shown_title(at))
    assert seen == [markdown_text(s.title) for s in slides[:4]]
    assert at.query_params["bild"] == "4"
    at.button(key="foregaende").click().run()
    assert shown_title(at) == markdown_text(slides[2].title) == r"Berga\: arbete"
    assert at.selectbox(key="bild").value == 3


def test_slide_picker_and_last_slide(slides):
    at = run_page(PAGE)
    at.selectbox(key="bild").set_value(30).run()
    assert shown_title(at) == r"Uppföljning\: åtgärderna"
    assert at.button(key="nasta").disabled
    table = at.table[0].value
    # st.table renders every cell as Markdown: the page shows the cells escaped
    assert table.columns.tolist() == [markdown_text(c) for c in slides[-1].table.columns]
    assert table.values.tolist() == [[markdown_text(c) for c in r] for r in slides[-1].table.rows]


def test_the_url_opens_a_slide(slides):
    at = run_page(PAGE, bild="3")
    assert shown_title(at) == markdown_text(slides[2].title)
    bullets = next(m.value for m in at.markdown if m.value.startswith("- "))
    assert bullets.splitlines()[0] == f"- {markdown_text(slides[2].bullets[0])}"
    out_of_range = run_page(PAGE, bild="99")
    assert out_of_range.selectbox(key="bild").value == 30


def test_presentation_mode_hides_the_page_furniture(slides):
    at = run_page(PAGE, bild="2")
    at.toggle(key="presentera").set_value(True).run()
    # No page title, no notices: only the slide (its title the page's one h1), its buttons and the folded choices.
    assert [t.value for t in at.title] == [markdown_text(slides[1].title)]
    assert not at.warning
    assert shown_title(at) == markdown_text(slides[1].title)
    assert [e.label for e in at.expander] == ["Urval och nedladdningar"]
    at.button(key="nasta").click().run()
    assert shown_title(at) == markdown_text(slides[2].title)
    at.toggle(key="presentera").set_value(False).run()
    assert at.title[0].value == "Presentation"


def test_choosing_areas_and_themes_changes_the_deck():
    at = run_page(PAGE)
    at.multiselect(key="omraden").set_value(["Ryd"]).run()
    at.multiselect(key="teman").set_value(["trygghet"]).run()
    options = at.selectbox(key="bild").options
    assert len(options) == 5
    assert [o.split(". ", 1)[1] for o in options] == [
        "Åtgärdsplan mot segregation",
        "Ryd: översikt",
        "Ryd: trygghet",
        "Uppföljning: indikatorerna",
        "Uppföljning: åtgärderna",
    ]
    at.multiselect(key="omraden").set_value([]).run()
    assert any(i.value == "Välj minst ett område." for i in at.info)


def test_download_buttons():
    at = run_page(PAGE)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [
        "PowerPoint, 3 områden",
        "PowerPoint, Berga",
        "Word-bilaga, Berga",
        "HTML, Berga",
        "Bilaga 5, Word",
        "Bilaga 5, PowerPoint",
        "Bilaga 5, HTML",
    ]
    # The files are made when a button is clicked (deferred), without rerunning the page.
    assert all(b.proto.deferred_file_id and b.proto.ignore_rerun for b in at.get("download_button"))
    at.selectbox(key="exportomrade").set_value("Skäggetorp").run()
    assert [b.proto.label for b in at.get("download_button")][2] == "Word-bilaga, Skäggetorp"


def test_the_cached_deck_is_built_from_the_version_of_its_key():
    # The page reads the version, then builds: an import in between must not file version 2's slides under 1.
    path, first = ui.data_key()
    today = date.today()
    with open_store() as store:
        observations = store.current().observations
        berga = observations[observations["area"] == "Berga"]
        store.apply(make_dataset(observations=berga.assign(value=berga["value"] * 2)), user="test")
    assert ui.data_key() == (path, 2)
    with open_store() as store:
        older = tuple(deck(store.dataset_at(1), ["Berga"], THEMES, REF, 2020, today, version=1))
        newer = tuple(deck(store.dataset_at(2), ["Berga"], THEMES, REF, 2020, today, version=2))
    assert older[1:] != newer[1:]  # the change shows beyond the title slide
    assert ui.deck_at(path, first, ("Berga",), tuple(THEMES), REF, 2020, today) == older
    assert ui.deck_at(path, 2, ("Berga",), tuple(THEMES), REF, 2020, today) == newer


def test_with_boundaries_the_deck_has_a_map_slide_whose_indicator_can_be_chosen():
    with_boundaries()  # the focus areas, Lambohov and Vallastaden (neither with values)
    at = run_page(PAGE, bild="2")
    assert len(at.selectbox(key="bild").options) == 31  # the map slide after the title slide
    assert shown_title(at) == markdown_text("Karta: Förvärvsfrekvens 20–64 år")
    picker = at.selectbox(key="kartindikator")
    assert picker.label == "Kartans indikator" and picker.value == "Förvärvsfrekvens 20–64 år"
    assert "Ohälsotal" in picker.options and "Konsumentprisindex (KPI), årsmedeltal" not in picker.options
    (chart,) = at.get("plotly_chart")
    legend = [t.get("name") for t in json.loads(chart.proto.spec)["data"] if t.get("showlegend", True)]
    assert "Fokusområde (svart kant)" in legend and "Saknar värde" in legend
    notes = next(c.value for c in at.caption if "Bild 2 av 31" in c.value)
    assert markdown_text("Mörkare färg = större utmaning (högre värde är bättre).") in notes
    assert markdown_text(MAP_EXAMPLE_NOTE) in notes  # the default data's values are examples
    assert [e.label for e in at.expander] == ["Kartans värden"]
    assert at.table[0].value["Område"].tolist() == ["Berga", "Ryd", "Skäggetorp", "Lambohov", "Vallastaden"]
    picker.set_value("Ohälsotal").run()
    assert shown_title(at) == markdown_text("Karta: Ohälsotal")
    # The deck's map is part of the shared address: a link with ?kartindikator= opens that map.
    again = run_page(PAGE, bild="2", kartindikator="Ohälsotal")
    assert shown_title(again) == markdown_text("Karta: Ohälsotal")
    assert any(markdown_text("(lägre värde är bättre).") in c.value for c in at.caption)
