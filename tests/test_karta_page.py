"""The map page in AppTest: the guide without boundaries, the map with them, the view from the URL, editors only."""

from __future__ import annotations

import json

import pandas as pd

from analysis.core.model import make_dataset
from analysis.store.importer import open_store
from tests.apptest import run_app_page
from tests.test_data_page import EDITOR, SECRETS, VIEWER
from tests.test_map_view import box

PAGE = "views/karta.py"
NB = "\u00a0"


def with_boundaries() -> None:
    """Boundaries for the focus areas and two districts of type Övrigt (Lambohov without values) in the store."""
    areas = pd.DataFrame([{"name": "Lambohov", "type": "Övrigt"}, {"name": "Vallastaden", "type": "Övrigt"}])
    names = ["Berga", "Ryd", "Skäggetorp", "Lambohov", "Vallastaden"]
    bounds = pd.DataFrame(
        [{"area": a, "code": str(i), "name": a, "geometry": box(i), "source": "test"} for i, a in enumerate(names)]
    )
    with open_store() as store:
        store.apply(make_dataset(areas=areas, boundaries=bounds), user="t")


def figure(at) -> dict:
    """The page's only plotly figure as JSON."""
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)


def test_without_boundaries_the_page_says_where_they_come_from_and_draws_nothing():
    at = run_app_page(PAGE)
    guide = at.info[0].value.replace("\\", "").replace("\u2060", "")  # the Markdown escapes and word joiners
    assert "Standarddata har inga gränser" in guide and "RegSO och DeSO" in guide and "EPSG:3006" in guide
    assert not at.get("plotly_chart")


def test_the_map_draws_every_area_with_a_boundary_with_classes_and_focus_outlines():
    with_boundaries()
    at = run_app_page(PAGE)
    fig = figure(at)
    names = [t.get("name") for t in fig["data"] if t.get("showlegend", True) and t.get("name")]
    assert "Fokusområde (svart kant)" in names and "Saknar värde" in names
    assert fig["layout"]["title"]["text"].startswith(at.selectbox(key="indikator").value)
    assert any("saknar värde" in c.value and "Lambohov" in c.value for c in at.caption)
    # The example values of the default data are marked on the page.
    assert any("Exempelvärden" in w.value for w in at.warning)
    table = at.dataframe[0].value if at.dataframe else at.table[0].value
    assert set(table["Område"]) == {"Berga", "Ryd", "Skäggetorp", "Lambohov", "Vallastaden"}


def test_the_view_comes_from_the_url():
    with_boundaries()
    at = run_app_page(PAGE, indikator="Ohälsotal", ar="2020", klass="Lika breda intervall", antal="3")
    assert at.selectbox(key="indikator").value == "Ohälsotal"
    assert at.selectbox(key="ar").value == 2020
    assert figure(at)["layout"]["title"]["text"] == "Ohälsotal 2020"
    legend = [t["name"] for t in figure(at)["data"] if t.get("showlegend", True) and t.get("name")]
    assert len([n for n in legend if "dagar" in n]) == 3


def test_only_editors_get_the_uploader():
    assert not run_app_page(PAGE, secrets=SECRETS, user=VIEWER).get("file_uploader")
    assert run_app_page(PAGE, secrets=SECRETS, user=EDITOR).get("file_uploader")


def test_a_configured_tile_server_is_an_option_off_by_default(monkeypatch):
    with_boundaries()
    assert not run_app_page(PAGE).get("toggle")  # no tile server configured: offline only, no choice
    tiles = "https://karta.linkoping.se/tiles/{z}/{x}/{y}.png"
    monkeypatch.setenv("SEGDASH_MAP_TILES", tiles)
    at = run_app_page(PAGE)
    assert at.toggle(key="bakgrund").value is False
    assert "map" not in figure(at)["layout"] or not figure(at)["layout"]["map"].get("layers")
    shown = run_app_page(PAGE, bakgrund="true")
    assert figure(shown)["layout"]["map"]["layers"][0]["source"] == [tiles]


def test_a_link_with_values_the_map_cannot_show_says_so_and_shows_the_defaults():
    with_boundaries()
    at = run_app_page(PAGE, indikator="Finns inte", ar="1999", klass="Jenks")
    [warning] = [w.value for w in at.warning if "Delar av adressen" in w.value]
    text = warning.replace("\\", "").replace("\u2060", "")
    assert "indikator=”Finns inte” ignorerades" in text and "klass=”Jenks” ignorerades" in text
    assert "ar=”1999” ignorerades: det året har inga värden för urvalet." in text
    assert at.selectbox(key="indikator").value == "Förvärvsfrekvens 20–64 år"
    at.selectbox(key="indikator").set_value("Ohälsotal").run()
    assert not [w for w in at.warning if "Delar av adressen" in w.value]  # only for the link that was opened
