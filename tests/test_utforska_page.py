"""The Utforska page in AppTest: every widget drives the figure and the table, and the URL restores the view.

The expected numbers come from analysis.viewmodels.explore on the same store the app opens. AppTest does not reflect widget
changes in the URL (the browser test covers that); here the URL is set before the first run.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ui
from analysis.core.model import make_dataset
from analysis.exports.downloads import screen_table
from analysis.store.importer import import_upload, open_store
from analysis.viewmodels import explore as ex
from analysis.viewmodels.explore import BOTH, ExploreSelection, explore_data
from tests.apptest import run_app_page
from tests.builders import data_sheet

PAGE = "views/utforska.py"
FOCUS = ("Berga", "Ryd", "Skäggetorp")
DEFAULT_AREAS = [*FOCUS, "Övriga Linköping", "Linköping"]
BEHORIGHET = "Behörighet till gymnasiets yrkesprogram"


def run_page(**query: str | list[str]) -> AppTest:
    """The app after one run of the Utforska page, with query parameters set as in a URL."""
    return run_app_page(PAGE, **query)


def rerun(at: AppTest) -> AppTest:
    """Run again after a widget change, failing on an exception."""
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def figures(at: AppTest) -> list[dict]:
    """The plotly figures on the page, as JSON."""
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def traces(figure: dict) -> dict[str, list]:
    """Trace name -> y values of a line chart."""
    return {t["name"]: t["y"] for t in figure["data"]}


def expected_lines(data) -> dict[str, list]:
    """Line name -> values per year as the chart should draw them (None for a missing value)."""
    out: dict[str, list] = {}
    for name, rows in data.lines.groupby("area", sort=False):
        out[str(name)] = [None if math.isnan(v) else v for v in rows.sort_values("year")["value"]]
    return out


def address_warnings(at: AppTest) -> list[str]:
    """The notices about ignored URL parameters."""
    return [w.value for w in at.warning if "Delar av adressen" in w.value]


def selection(dataset, **changes) -> ExploreSelection:
    """The page's default selection with some fields changed."""
    base = ex.default_selection(dataset)
    return ExploreSelection(**{**base.__dict__, **changes})


def test_the_page_opens_with_the_focus_areas_reference_and_municipality(dataset):
    at = run_page()
    assert at.title[0].value == "Utforska indikatorer"
    assert at.selectbox(key="tema").value == "Alla teman"
    assert at.selectbox(key="indikator").value == "Förvärvsfrekvens 20–64 år"
    assert at.selectbox(key="indikator").options == list(ex.indicator_options(dataset))
    assert at.multiselect(key="omraden").value == DEFAULT_AREAS
    assert at.slider(key="ar").value == (2015, 2024)
    assert at.segmented_control(key="kon").value == "Totalt"
    assert at.selectbox(key="jmf").value == "Övriga Linköping"
    assert at.selectbox(key="jmfar").value == 2024
    assert at.toggle(key="alla").value is True
    assert [t.label for t in at.tabs] == list(ex.VIEWS)
    (figure,) = figures(at)
    data = explore_data(dataset, ex.default_selection(dataset))
    assert traces(figure) == expected_lines(data)
    assert figure["data"][0]["x"] == list(range(2015, 2025))
    assert any("Exempeldata" in w.value for w in at.warning)
    assert not address_warnings(at)
    assert [b.proto.label for b in at.get("download_button")] == ["Ladda ner CSV", "Ladda ner Excel"]
    assert "Om indikatorn" in [s.value for s in at.header]


def test_theme_and_indicator_pickers_drive_the_chart(dataset):
    at = run_page()
    at.selectbox(key="tema").set_value("Utbildning")
    rerun(at)
    assert at.selectbox(key="indikator").options == list(ex.indicator_options(dataset, "utbildning"))
    assert at.selectbox(key="indikator").value == "Eftergymnasial utbildning 25–64 år"
    at.selectbox(key="indikator").set_value(BEHORIGHET)
    rerun(at)
    (figure,) = figures(at)
    expected = explore_data(dataset, selection(dataset, theme="utbildning", indicator="behorighet_yrkesprogram"))
    assert traces(figure) == expected_lines(expected)
    assert figure["layout"]["title"]["text"] == BEHORIGHET
    assert any(BEHORIGHET in m.value for m in at.markdown)  # Om indikatorn follows


def test_areas_years_and_sex_drive_the_chart(dataset):
    at = run_page()
    at.multiselect(key="omraden").set_value(["Berga", "Ryd", "Skäggetorp"])
    at.slider(key="ar").set_value((2018, 2024))
    at.segmented_control(key="kon").set_value(BOTH)
    rerun(at)
    (figure,) = figures(at)
    expected = explore_data(dataset, selection(dataset, areas=FOCUS, years=(2018, 2024), sex=BOTH))
    assert list(traces(figure)) == [
        "Berga, kvinnor",
        "Berga, män",
        "Ryd, kvinnor",
        "Ryd, män",
        "Skäggetorp, kvinnor",
        "Skäggetorp, män",
    ]
    assert traces(figure) == expected_lines(expected)
    assert figure["data"][0]["x"] == list(range(2018, 2025))
    at.segmented_control(key="kon").set_value("Kvinnor")
    rerun(at)
    assert list(traces(figures(at)[0])) == list(FOCUS)


def test_comparison_ranks_all_areas_in_the_chosen_year_and_can_show_only_the_chosen(dataset):
    at = run_page(vy="Jämförelse")
    at.selectbox(key="jmfar").set_value(2020)
    rerun(at)
    (figure,) = figures(at)
    bars = figure["data"][0]
    expected = explore_data(dataset, selection(dataset, bar_year=2020)).bars["Totalt"]
    ranked = expected.sort_values("value", ascending=False, kind="stable")
    assert bars["y"] == ranked["area"].tolist()
    assert bars["x"] == ranked["value"].tolist()
    assert "Riket" in bars["y"]  # every loaded area, not only the chosen
    assert figure["layout"]["title"]["text"] == "Förvärvsfrekvens 20–64 år 2020"
    at.toggle(key="alla").set_value(False)
    rerun(at)
    assert sorted(figures(at)[0]["data"][0]["y"]) == sorted(DEFAULT_AREAS)


def test_index_and_gap_use_the_chosen_reference(dataset):
    at = run_page()
    at.selectbox(key="jmf").set_value("Linköping")
    at.session_state["vy"] = "Index"  # AppTest cannot click a tab; a bound tab follows its key
    rerun(at)
    expected = explore_data(dataset, selection(dataset, reference="Linköping"))
    (figure,) = figures(at)
    berga = expected.gaps[expected.gaps["area"] == "Berga"]
    assert traces(figure)["Berga"] == pytest.approx(berga["index"].tolist())
    assert "Linköping" not in traces(figure)  # the reference itself is the 100 line
    assert figure["layout"]["title"]["text"] == "Förvärvsfrekvens 20–64 år – index (Linköping = 100)"
    at.session_state["vy"] = "Skillnad mot jämförelseområdet"
    rerun(at)
    (figure,) = figures(at)
    assert traces(figure)["Ryd"] == pytest.approx(expected.gaps[expected.gaps["area"] == "Ryd"]["gap"].tolist())
    assert any("procentenheter" in c.value for c in at.caption)


def test_women_and_men_view(dataset):
    at = run_page(vy="Kvinnor och män", jmfar="2019")
    (figure,) = figures(at)
    expected = explore_data(dataset, selection(dataset, bar_year=2019)).sex_bars
    women, men = figure["data"]
    assert (women["name"], men["name"]) == ("Kvinnor", "Män")
    assert women["x"] == DEFAULT_AREAS
    assert women["y"] == expected.loc[expected["sex"] == "Kvinnor", "value"].tolist()
    assert men["y"] == expected.loc[expected["sex"] == "Män", "value"].tolist()


def test_the_table_shows_the_rows_of_the_downloads(dataset):
    at = run_page(vy="Tabell", kon="Män", omraden=["Berga", "Ryd"], ar=["2020", "2024"])
    shown = at.dataframe[0].value
    expected = screen_table(
        explore_data(dataset, selection(dataset, sex="Män", areas=("Berga", "Ryd"), years=(2020, 2024), bar_year=2024))
    )
    assert list(shown.columns) == list(expected.columns)
    assert shown.astype(str).values.tolist() == expected.astype(str).values.tolist()
    assert len(shown) == 10
    assert not figures(at)


def test_the_whole_view_is_restored_from_the_url(dataset):
    at = run_page(
        tema="Utbildning",
        indikator=BEHORIGHET,
        omraden=list(FOCUS),
        ar=["2018", "2024"],
        kon=BOTH,
        jmf="Linköping",
        jmfar="2020",
        alla="false",
        vy="Jämförelse",
    )
    assert at.selectbox(key="tema").value == "Utbildning"
    assert at.selectbox(key="indikator").value == BEHORIGHET
    assert at.multiselect(key="omraden").value == list(FOCUS)
    assert at.slider(key="ar").value == (2018, 2024)
    assert at.segmented_control(key="kon").value == BOTH
    assert at.selectbox(key="jmf").value == "Linköping"
    assert at.selectbox(key="jmfar").value == 2020
    assert at.toggle(key="alla").value is False
    assert not address_warnings(at)
    women, men = figures(at)
    assert women["layout"]["title"]["text"] == f"{BEHORIGHET} 2020, kvinnor"
    assert men["layout"]["title"]["text"] == f"{BEHORIGHET} 2020, män"
    assert sorted(women["data"][0]["y"]) == sorted(FOCUS)
    expected = explore_data(
        dataset,
        ExploreSelection(
            theme="utbildning",
            indicator="behorighet_yrkesprogram",
            areas=FOCUS,
            years=(2018, 2024),
            sex=BOTH,
            reference="Linköping",
            bar_year=2020,
            all_areas=False,
        ),
    )
    kvinnor = expected.bars["Kvinnor"].sort_values("value", ascending=False)
    assert women["data"][0]["x"] == kvinnor["value"].tolist()


def import_indicator() -> str:
    """Import an indicator the default data lacks (id ho_bistand) with values for the focus areas; its name."""
    name = "Hushåll med ekonomiskt bistånd"
    indicator = {
        "id": "ho_bistand",
        "name": name,
        "theme": "ekonomi",
        "unit": "procent",
        "direction": "Lägre är bättre",
    }
    values = [
        {"area": a, "indicator": "ho_bistand", "year": y, "sex": "Totalt", "value": v + y - 2020, "source": "Kolada"}
        for a, v in (("Berga", 9.0), ("Ryd", 7.0), ("Skäggetorp", 12.0), ("Övriga Linköping", 2.0))
        for y in (2020, 2021, 2022)
    ]
    with open_store() as store:
        store.apply(make_dataset(indicators=pd.DataFrame([indicator]), observations=pd.DataFrame(values)), user="t")
    return name


@pytest.mark.parametrize("named_as", ["ho_bistand", "HO_BISTAND", "hushall med ekonomiskt bistand"])
def test_an_imported_indicator_opens_from_its_id_or_name_in_the_address(named_as):
    name = import_indicator()
    at = run_page(indikator=named_as)
    assert not address_warnings(at)
    assert at.selectbox(key="indikator").value == name
    (figure,) = figures(at)
    assert figure["layout"]["title"]["text"] == name
    assert traces(figure)["Berga"] == [9.0, 10.0, 11.0]
    at.selectbox(key="indikator").set_value(BEHORIGHET)
    rerun(at)
    assert at.selectbox(key="indikator").value == BEHORIGHET  # the user's later choice is kept


def test_an_id_from_another_theme_is_refused_with_a_notice(dataset):
    at = run_page(tema="Hälsa", indikator="ekonomiskt_bistand")
    (warning,) = address_warnings(at)
    notice = "Adressens parameter indikator=”ekonomiskt_bistand” ignorerades: den hör inte till temat Hälsa."
    assert ui.md(notice) in warning
    assert at.selectbox(key="indikator").value == "Ohälsotal"


def test_invalid_parameters_fall_back_to_defaults_with_a_notice(dataset):
    at = run_page(indikator="Finns inte", kon="Alla", omraden=["Berga", "Atlantis"], vy="Diagram")
    (warning,) = address_warnings(at)
    _, notices = ex.selection_from_params(
        {"indikator": "Finns inte", "kon": "Alla", "omraden": ["Berga", "Atlantis"], "vy": "Diagram"}, dataset
    )
    assert len(notices) == 4
    for notice in notices:
        assert ui.md(notice) in warning
    assert at.selectbox(key="indikator").value == "Förvärvsfrekvens 20–64 år"
    assert at.segmented_control(key="kon").value == "Totalt"
    assert at.multiselect(key="omraden").value == ["Berga"]
    assert list(traces(figures(at)[0])) == ["Berga"]  # the default view, Tidsserie
    at.segmented_control(key="kon").set_value("Män")
    rerun(at)
    assert not address_warnings(at)  # said once; the ignored values are gone from the address


def test_no_areas_asks_for_one():
    at = run_page(omraden="")
    assert at.multiselect(key="omraden").value == []
    assert [i.value for i in at.info] == ["Välj minst ett område."]
    assert not figures(at)


def test_counts_get_no_index_or_gap():
    at = run_page(indikator="Folkmängd", vy="Index")
    assert not figures(at)
    assert any("Antal jämförs inte" in i.value for i in at.info)


def test_suppressed_values_are_gaps_with_their_note_under_the_chart_and_in_the_table():
    with open_store() as store:
        upload = data_sheet(
            ["Berga", "forvarvsfrekvens", 2025, "x", "Totalt"], ["Ryd", "forvarvsfrekvens", 2025, 55.0, "Totalt"]
        )
        assert import_upload(store, upload, "sekretess.xlsx", "test").ok
    at = run_page(omraden=["Berga", "Ryd"])
    berga = traces(figures(at)[0])["Berga"]
    assert len(berga) == 11 and berga[-1] is None  # a gap, not 0
    note = "Sekretess: uppgiften är skyddad (x)"
    assert any(ui.md(f"Uppgift saknas för Berga 2025 ({note})") in c.value for c in at.caption)
    at.session_state["vy"] = "Tabell"
    rerun(at)
    table = at.dataframe[0].value
    row = table[(table["Område"] == "Berga") & (table["År"] == "2025")]
    assert row[["Värde", "Kommentar", "Exempelvärde"]].values.tolist() == [["–", note, "Nej"]]


@pytest.mark.parametrize("indicator", ["meritvarde", "forvarvsfrekvens"])
def test_an_out_of_date_indicator_is_flagged_and_a_current_one_is_not(dataset, indicator):
    from datetime import date

    from analysis.measures.freshness import indicator_freshness

    item = next(f for f in indicator_freshness(dataset, date.today()) if f.indicator == indicator)
    at = run_page(indikator=indicator)
    flags = [i.value.replace("\\", "") for i in at.info if "nyare finns normalt" in i.value.replace("\\", "")]
    if item.is_stale:  # meritvärde: example series end 2024, Skolverket publishes the same year
        assert flags == [f"{item.sentence()} Nya värden läses in på sidan Data."]
    else:
        assert flags == []


def test_a_group_from_the_url_shows_skaggetorp_and_ovriga_linkoping_per_birth_region(dataset):
    """The issue's case: förvärvsfrekvens for inrikes and utrikes födda in Skäggetorp against övriga Linköping."""
    areas = ["Skäggetorp", "Övriga Linköping"]
    at = run_page(grupp="Inrikes och utrikes födda", omraden=areas)
    assert not address_warnings(at)
    assert at.selectbox(key="grupp").value == "Inrikes och utrikes födda"
    assert at.selectbox(key="grupp").options == [
        "Totalt",
        "Inrikes födda",
        "Utrikes födda",
        "Inrikes och utrikes födda",
    ]
    expected = explore_data(dataset, selection(dataset, areas=tuple(areas), group="Inrikes och utrikes födda"))
    (figure,) = figures(at)
    assert traces(figure) == expected_lines(expected)
    assert set(traces(figure)) == {
        "Skäggetorp, inrikes födda",
        "Skäggetorp, utrikes födda",
        "Övriga Linköping, inrikes födda",
        "Övriga Linköping, utrikes födda",
    }
    assert figure["layout"]["title"]["text"].endswith("inrikes och utrikes födda")
    # The table (the same rows as the downloads): one row per area, group and year.
    shown = run_page(grupp="Inrikes och utrikes födda", omraden=areas, vy="Tabell").dataframe[0].value
    assert shown.astype(str).values.tolist() == screen_table(expected).astype(str).values.tolist()
    assert set(shown["Grupp"]) == {"Inrikes födda", "Utrikes födda"} and len(shown) == 2 * 2 * 10


def test_the_group_control_is_off_for_an_indicator_without_groups():
    at = run_page(indikator="Ohälsotal")
    assert at.selectbox(key="grupp").options == ["Totalt"] and at.selectbox(key="grupp").disabled


def test_the_comparison_can_show_the_areas_of_one_omradestyp_with_a_summary_per_type(dataset):
    """Områdestyp as a filter and grouping of the whole-city comparison, in the URL."""
    type_one = "1 – Områden med stora socioekonomiska utmaningar"
    at = run_page(vy="Jämförelse")
    assert at.selectbox(key="typ").options == [
        "Alla",
        type_one,
        "2 – Områden med socioekonomiska utmaningar",
        "3 – Socioekonomiskt blandade områden",
    ]
    summary = at.dataframe[0].value  # per type over the focus areas, the only parts with a type in the default data
    expected = explore_data(dataset, selection(dataset, view="Jämförelse")).type_tables["Totalt"]
    assert summary["Områdestyp"].tolist() == expected["category"].tolist()
    assert summary["Områden"].tolist() == [1, 2]  # Skäggetorp type 1; Berga and Ryd (since 2021) type 2
    assert any("Per områdestyp 2024" in c.value and "exempelvärden (fiktiva)" in c.value for c in at.caption)
    at = run_page(vy="Jämförelse", typ=type_one)
    assert not address_warnings(at)
    (figure,) = figures(at)
    assert figure["data"][0]["y"] == ["Skäggetorp"]
    assert any("bland områdena med områdestyp 1 –" in c.value for c in at.caption)
    bad = run_page(vy="Jämförelse", typ="9 – Okänd")
    assert "typ\\=”9 – Okänd” ignorerades" in address_warnings(bad)[0]
    assert len(figures(bad)[0]["data"][0]["y"]) > 1


def test_a_municipality_level_inequality_index_loads_and_shows_like_any_other():
    """Issue 20: a municipality-level measure (here the Gini coefficient Linköping publishes) needs nothing special."""
    source = (
        "https://www.linkoping.se/kommun-och-politik/fakta-om-linkoping/statistik/linkoping-i-siffror/inkomst/"
        "ekonomisk-standard/ekonomisk-standard-storre-kommuner/"
    )
    indicator = {
        "id": "gini",
        "name": "Gini-koefficient",
        "theme": "ekonomi",
        "unit": "index",
        "direction": "Lägre är bättre",
        "decimals": 3,
        "definition": "Gini-koefficient för disponibel inkomst per konsumtionsenhet",
    }
    values = [
        {"area": "Linköping", "indicator": "gini", "year": y, "sex": "Totalt", "value": v, "source": source}
        for y, v in ((2011, 0.289), (2022, 0.310))
    ]
    with open_store() as store:
        store.apply(make_dataset(indicators=pd.DataFrame([indicator]), observations=pd.DataFrame(values)), user="t")
    at = run_page(indikator="gini", omraden=["Linköping"])
    assert not address_warnings(at)
    (figure,) = figures(at)
    assert figure["layout"]["title"]["text"] == "Gini-koefficient"
    assert [v for v in traces(figure)["Linköping"] if v is not None] == [0.289, 0.31]
    table = run_page(indikator="gini", omraden=["Linköping"], vy="Tabell").dataframe[0].value
    assert table.loc[table["Värde"] != "–", "Värde"].tolist() == ["0,289", "0,310"]
    assert set(table["Källa"]) >= {source}


def test_the_map_view_shows_the_indicator_over_the_boundaries_in_the_comparisons_year():
    from tests.test_karta_page import with_boundaries

    assert any("Inga områdesgränser" in i.value for i in run_page(vy="Karta").info)
    with_boundaries()
    at = run_page(vy="Karta", jmfar="2022")
    (figure,) = figures(at)
    assert figure["layout"]["title"]["text"] == "Förvärvsfrekvens 20–64 år 2022"
    assert "Fokusområde (svart kant)" in [t.get("name") for t in figure["data"]]
    assert any("Lambohov" in c.value for c in at.caption)  # a shaped area without a value is named
