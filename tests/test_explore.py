"""The explorer's view model: options, URL parameters (read, validated, written back) and the frames of every view."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from analysis.core.model import EXAMPLE_SOURCE, make_dataset
from analysis.store.history import observation_dtypes
from analysis.viewmodels import explore as ex
from analysis.viewmodels.explore import (
    BOTH,
    ExploreData,
    ExploreSelection,
    chart_title,
    default_selection,
    explore_data,
    export_name,
    facts_rows,
    missing_explanations,
    selection_from_params,
    selection_params,
    shown_frame,
    years_text,
)

SECRET = "Sekretess: uppgiften är skyddad (x)"
AREAS = [
    {"name": "Berga", "type": "Fokusområde"},
    {"name": "Lambohov", "type": "Övrigt"},
    {"name": "Skäggetorp", "type": "Fokusområde"},
    {"name": "Övriga Linköping", "type": "Jämförelse"},
    {"name": "Linköping", "type": "Kommun"},
]
INDICATORS = [
    {
        "id": "forvarv",
        "name": "Förvärvsfrekvens",
        "theme": "arbete",
        "unit": "procent",
        "direction": "Högre är bättre",
        "definition": "Andel förvärvsarbetande",
        "source": "SCB",
        "decimals": 1,
        "comparability": "Registerbaserat mått för november.",
    },
    {
        "id": "ohalsa",
        "name": "Ohälsotal",
        "theme": "hälsa",
        "unit": "dagar",
        "direction": "Lägre är bättre",
        "source": "Försäkringskassan",
        "decimals": 1,
    },
    {"id": "folk", "name": "Folkmängd", "theme": "befolkning", "unit": "antal", "direction": "Neutral", "decimals": 0},
    {
        "id": "val",
        "name": "Valdeltagande",
        "theme": "demokrati",
        "unit": "procent",
        "direction": "Högre är bättre",
        "decimals": 1,
    },
    {"id": "utan_data", "name": "Utan data", "theme": "ekonomi", "unit": "procent", "direction": "Neutral"},
]
OBSERVATIONS = [
    # Berga 2022 is suppressed (a row without value), Skäggetorp 2023 is absent.
    ("Berga", "forvarv", 2021, "Totalt", 50.0, "SCB", ""),
    ("Berga", "forvarv", 2022, "Totalt", math.nan, "SCB", SECRET),
    ("Berga", "forvarv", 2023, "Totalt", 52.0, "SCB", ""),
    ("Skäggetorp", "forvarv", 2021, "Totalt", 40.0, "SCB", ""),
    ("Skäggetorp", "forvarv", 2022, "Totalt", 41.0, "SCB", ""),
    ("Övriga Linköping", "forvarv", 2021, "Totalt", 80.0, "SCB", ""),
    ("Övriga Linköping", "forvarv", 2022, "Totalt", 81.0, "SCB", ""),
    ("Övriga Linköping", "forvarv", 2023, "Totalt", 82.0, "SCB", ""),
    ("Linköping", "forvarv", 2021, "Totalt", 75.0, "SCB", ""),
    ("Linköping", "forvarv", 2022, "Totalt", 76.0, "SCB", ""),
    ("Linköping", "forvarv", 2023, "Totalt", 77.0, "SCB", ""),
    ("Lambohov", "forvarv", 2023, "Totalt", 90.0, "SCB", ""),
    ("Berga", "forvarv", 2023, "Kvinnor", 54.0, EXAMPLE_SOURCE, ""),
    ("Berga", "forvarv", 2023, "Män", 50.0, "SCB", ""),
    ("Övriga Linköping", "forvarv", 2023, "Kvinnor", 83.0, "SCB", ""),
    ("Övriga Linköping", "forvarv", 2023, "Män", 81.0, "SCB", ""),
    ("Berga", "ohalsa", 2023, "Totalt", 30.0, "FK", ""),
    ("Övriga Linköping", "ohalsa", 2023, "Totalt", 20.0, "FK", ""),
    ("Berga", "folk", 2023, "Totalt", 10000.0, "SCB", ""),
    ("Övriga Linköping", "folk", 2023, "Totalt", 150000.0, "SCB", ""),
    ("Berga", "val", 2018, "Totalt", 60.0, EXAMPLE_SOURCE, ""),
    ("Berga", "val", 2022, "Totalt", 58.0, EXAMPLE_SOURCE, ""),
]
DEFAULT_AREAS = ("Berga", "Skäggetorp", "Övriga Linköping", "Linköping")


def tiny(observations=OBSERVATIONS, indicators=INDICATORS, areas=AREAS):
    """A dataset with five areas, five indicators (one without data) and a few values for 2018–2023."""
    obs = pd.DataFrame(observations, columns=["area", "indicator", "year", "sex", "value", "source", "note"])
    return make_dataset(areas=pd.DataFrame(areas), indicators=pd.DataFrame(indicators), observations=obs)


@pytest.fixture(scope="module")
def dataset():
    return tiny()


def selection(**changes) -> ExploreSelection:
    """The default selection of the tiny dataset with some fields changed."""
    base = ExploreSelection(
        theme="",
        indicator="forvarv",
        areas=DEFAULT_AREAS,
        years=(2018, 2023),
        sex="Totalt",
        reference="Övriga Linköping",
        bar_year=2023,
    )
    return ExploreSelection(**{**base.__dict__, **changes})


# --- options --------------------------------------------------------------------------------------------------------


def test_theme_options_list_all_themes_first_then_themes_with_data_in_catalogue_order(dataset):
    assert ex.theme_options(dataset) == {
        "Alla teman": "",
        "Arbete": "arbete",
        "Befolkning": "befolkning",
        "Demokrati": "demokrati",
        "Hälsa": "hälsa",
    }


def test_indicator_options_leave_out_indicators_without_data_and_filter_by_theme(dataset):
    assert ex.indicator_options(dataset) == {
        "Förvärvsfrekvens": "forvarv",
        "Ohälsotal": "ohalsa",
        "Folkmängd": "folk",
        "Valdeltagande": "val",
    }
    assert ex.indicator_options(dataset, "hälsa") == {"Ohälsotal": "ohalsa"}


def test_indicators_with_the_same_name_get_their_id_in_the_label():
    twins = INDICATORS[:1] + [{**INDICATORS[0], "id": "forvarv2"}]
    data = tiny(OBSERVATIONS + [("Berga", "forvarv2", 2023, "Totalt", 1.0, "SCB", "")], twins)
    assert list(ex.indicator_options(data)) == ["Förvärvsfrekvens (forvarv)", "Förvärvsfrekvens (forvarv2)"]


def observations_of(*indicators: str) -> pd.DataFrame:
    """A fresh observations frame with one value per indicator."""
    return pd.DataFrame({"indicator": list(indicators), "value": [1.0] * len(indicators)})


def test_present_indicators_are_cached_per_frame():
    frame = observations_of("a", "b", "a")
    first = ex.present_indicators(frame)
    assert first == {"a", "b"}
    assert ex.present_indicators(frame) is first  # from the cache
    assert ex.present_indicators(observations_of("c")) == {"c"}  # an equal-shaped other frame is not a hit


def test_a_new_frame_never_gets_the_indicators_of_a_dead_one_with_the_same_id():
    # Frames made and dropped in a loop get recycled ids: the cache must never answer with another frame's ids.
    for k in range(300):
        assert ex.present_indicators(observations_of(f"i{k}")) == {f"i{k}"}
    with ex._PRESENT_LOCK:
        entries = list(ex._PRESENT.items())
    assert len(entries) == ex.PRESENT_CACHE_SIZE
    assert all(key == id(frame) for key, (frame, _) in entries)  # each entry keeps its frame, so its id, alive


def test_present_indicators_in_many_threads_each_get_their_own_frames_ids():
    from concurrent.futures import ThreadPoolExecutor

    shared = observations_of("delad")

    def work(thread: int) -> list[bool]:
        """Alternate between the shared frame and fresh frames of this thread."""
        results = []
        for k in range(200):
            results.append(ex.present_indicators(shared) == {"delad"})
            ids = {f"t{thread}-{k}", f"t{thread}"}
            results.append(ex.present_indicators(observations_of(*ids)) == ids)
        return results

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = [ok for results in pool.map(work, range(8)) for ok in results]
    assert len(outcomes) == 8 * 400 and all(outcomes)
    assert len(ex._PRESENT) <= ex.PRESENT_CACHE_SIZE


def test_areas_are_ordered_by_type_and_the_defaults_are_focus_reference_and_municipality(dataset):
    assert ex.area_options(dataset) == ["Berga", "Skäggetorp", "Övriga Linköping", "Linköping", "Lambohov"]
    assert ex.default_areas(dataset) == list(DEFAULT_AREAS)
    assert ex.reference_options(dataset) == ["Övriga Linköping", "Linköping", "Berga", "Skäggetorp", "Lambohov"]
    assert ex.default_reference(dataset) == "Övriga Linköping"


def test_bar_years_are_years_with_values_for_the_sexes_in_the_range_latest_first(dataset):
    assert ex.bar_year_options(dataset, "forvarv", ["Totalt"], (2018, 2023)) == [2023, 2022, 2021]
    assert ex.bar_year_options(dataset, "forvarv", ["Totalt"], (2018, 2022)) == [2022, 2021]
    assert ex.bar_year_options(dataset, "forvarv", ["Kvinnor", "Män"], (2018, 2023)) == [2023]
    assert ex.bar_year_options(dataset, "val", ["Totalt"], (2018, 2023)) == [2022, 2018]


def test_default_selection(dataset):
    assert default_selection(dataset) == selection()


# --- URL parameters -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "expected"),
    [
        ({"tema": "Hälsa"}, "theme", "hälsa"),
        ({"tema": "Hälsa"}, "indicator", "ohalsa"),
        ({"indikator": "Valdeltagande"}, "indicator", "val"),
        ({"indikator": "Valdeltagande"}, "bar_year", 2022),
        ({"tema": "Demokrati", "indikator": "Valdeltagande"}, "indicator", "val"),
        ({"omraden": ["Lambohov", "Berga"]}, "areas", ("Lambohov", "Berga")),
        ({"omraden": ["Berga", "Berga"]}, "areas", ("Berga",)),
        ({"omraden": ""}, "areas", ()),
        ({"ar": ["2021", "2022"]}, "years", (2021, 2022)),
        ({"ar": ["2022", "2019"]}, "years", (2019, 2022)),
        ({"ar": ["2019.7", "2022"]}, "years", (2019, 2022)),
        ({"ar": ["2021", "2022"]}, "bar_year", 2022),
        ({"kon": "Kvinnor"}, "sex", "Kvinnor"),
        ({"kon": "Kvinnor och män"}, "sex", BOTH),
        ({"kon": ""}, "sex", "Totalt"),
        ({"jmf": "Linköping"}, "reference", "Linköping"),
        ({"jmf": "Lambohov"}, "reference", "Lambohov"),
        ({"jmfar": "2021"}, "bar_year", 2021),
        ({"alla": "false"}, "all_areas", False),
        ({"alla": "TRUE"}, "all_areas", True),
        ({"vy": "Tabell"}, "view", "Tabell"),
        ({"vy": ["Index", "Jämförelse"]}, "view", "Jämförelse"),
        # The indicator by its id or name, harmonised as the Excel import does (case, diacritics, spaces).
        ({"indikator": "val"}, "indicator", "val"),
        ({"indikator": "VAL"}, "indicator", "val"),
        ({"indikator": "valdeltagande"}, "indicator", "val"),
        ({"indikator": "  Forvarvsfrekvens "}, "indicator", "forvarv"),
        ({"indikator": "ohälsotal"}, "indicator", "ohalsa"),
        ({"tema": "Demokrati", "indikator": "val"}, "indicator", "val"),
        ({"indikator": "val"}, "bar_year", 2022),
    ],
)
def test_valid_parameters_are_used(dataset, params, field, expected):
    chosen, notices = selection_from_params(params, dataset)
    assert getattr(chosen, field) == expected
    assert notices == []


@pytest.mark.parametrize(
    ("params", "field", "expected", "notice"),
    [
        ({"tema": "Sport"}, "theme", "", "tema=”Sport” ignorerades: det finns inget sådant tema. Alla teman visas."),
        (
            {"indikator": "Meritvärde"},
            "indicator",
            "forvarv",
            "indikator=”Meritvärde” ignorerades: det finns ingen sådan indikator. Förvärvsfrekvens visas i stället.",
        ),
        (
            {"tema": "Hälsa", "indikator": "Valdeltagande"},
            "indicator",
            "ohalsa",
            "indikator=”Valdeltagande” ignorerades: den hör inte till temat Hälsa. Ohälsotal visas i stället.",
        ),
        (
            {"tema": "Hälsa", "indikator": "val"},
            "indicator",
            "ohalsa",
            "indikator=”val” ignorerades: den hör inte till temat Hälsa. Ohälsotal visas i stället.",
        ),
        (
            {"indikator": "utan_data"},
            "indicator",
            "forvarv",
            "indikator=”utan_data” ignorerades: indikatorn har inga värden i datan. Förvärvsfrekvens visas i stället.",
        ),
        (
            {"omraden": ["Berga", "Atlantis"]},
            "areas",
            ("Berga",),
            "omraden=”Atlantis” ignorerades: området finns inte i datan.",
        ),
        (
            {"omraden": ["Atlantis", "Mu"]},
            "areas",
            DEFAULT_AREAS,
            "omraden=”Atlantis” och ”Mu” ignorerades: områdena finns inte i datan. Standardområdena visas.",
        ),
        (
            {"ar": ["2010", "2022"]},
            "years",
            (2018, 2023),
            "ar=”2010” och ”2022” ignorerades: ange två år mellan 2018 och 2023, till exempel ar=2018&ar=2023. "
            "Alla år visas.",
        ),
        ({"ar": "2020"}, "years", (2018, 2023), "ar=”2020” ignorerades"),
        ({"ar": ["tjugo", "2022"]}, "years", (2018, 2023), "ar=”tjugo” och ”2022” ignorerades"),
        (
            {"kon": "Alla"},
            "sex",
            "Totalt",
            "kon=”Alla” ignorerades: välj Totalt, Kvinnor, Män eller Kvinnor och män. Totalt visas.",
        ),
        (
            {"jmf": "Atlantis"},
            "reference",
            "Övriga Linköping",
            "jmf=”Atlantis” ignorerades: området finns inte i datan. Övriga Linköping används.",
        ),
        (
            {"jmfar": "2019"},
            "bar_year",
            2023,
            "jmfar=”2019” ignorerades: det året har inga värden för urvalet. 2023 visas.",
        ),
        ({"jmfar": "2023", "ar": ["2018", "2022"]}, "bar_year", 2022, "jmfar=”2023” ignorerades"),
        ({"alla": "ja"}, "all_areas", True, "alla=”ja” ignorerades: värdet ska vara true eller false."),
        (
            {"vy": "Diagram"},
            "view",
            "Tidsserie",
            "vy=”Diagram” ignorerades: det finns ingen sådan vy. Tidsserie visas.",
        ),
    ],
)
def test_invalid_parameters_fall_back_to_the_default_with_a_notice_naming_parameter_and_value(
    dataset, params, field, expected, notice
):
    chosen, notices = selection_from_params(params, dataset)
    assert getattr(chosen, field) == expected
    assert len(notices) == 1 and notices[0].startswith("Adressens parameter ")
    assert notice in notices[0]


@pytest.mark.parametrize(
    ("theme", "value", "label"),
    [
        ("", "val", "Valdeltagande"),  # an id
        ("", "Valdeltagande", "Valdeltagande"),  # the label itself
        ("", "förvärvsFREKVENS", "Förvärvsfrekvens"),  # a name in another spelling
        ("demokrati", "val", "Valdeltagande"),
        ("hälsa", "val", None),  # another theme's indicator
        ("", "utan_data", None),  # in the catalogue, without values
        ("", "Meritvärde", None),
        ("", None, None),  # no parameter
    ],
)
def test_the_label_an_address_names_within_a_theme(dataset, theme, value, label):
    assert ex.address_indicator_label(dataset, theme, value) == label


def test_indicators_with_the_same_name_are_named_by_label_or_id():
    twins = INDICATORS[:1] + [{**INDICATORS[0], "id": "forvarv2"}]
    data = tiny(OBSERVATIONS + [("Berga", "forvarv2", 2023, "Totalt", 1.0, "SCB", "")], twins)
    assert ex.address_indicator(data, "Förvärvsfrekvens (forvarv2)") == "forvarv2"
    assert ex.address_indicator(data, "forvarv2") == "forvarv2"
    assert ex.address_indicator(data, "Förvärvsfrekvens") == "forvarv"  # the bare name: the first in the catalogue


def test_the_explorer_uses_the_one_theme_title_of_nulage():
    from analysis.viewmodels import nulage

    assert ex.theme_title is nulage.theme_title
    assert [ex.theme_title(t) for t in ("arbete", "hälsa", ex.ALL_THEMES)] == ["Arbete", "Hälsa", "Alla teman"]


def test_unknown_parameters_are_reported_but_streamlits_own_are_not(dataset):
    _, notices = selection_from_params({"indikatorn": "x", "embed": "true"}, dataset)
    assert notices == ["Adressens parameter indikatorn känns inte igen och ignorerades."]


def test_long_values_are_shortened_in_the_notice(dataset):
    _, notices = selection_from_params({"tema": "x" * 200}, dataset)
    assert "”" + "x" * 59 + "…”" in notices[0]


def test_param_notices_are_keyed_by_parameter(dataset):
    assert list(ex.param_notices({"tema": "Sport", "kon": "Män", "vy": "Diagram"}, dataset)) == ["tema", "vy"]


@pytest.mark.parametrize(
    "chosen",
    [
        selection(),
        selection(theme="hälsa", indicator="ohalsa"),
        selection(indicator="val", bar_year=2018, areas=("Lambohov",), years=(2018, 2022)),
        selection(sex=BOTH, reference="Linköping", all_areas=False, view="Kvinnor och män"),
        selection(areas=(), sex="Män", view="Skillnad mot jämförelseområdet"),
    ],
)
def test_the_parameters_of_a_selection_restore_it(dataset, chosen):
    params = selection_params(chosen, dataset)
    assert selection_from_params(params, dataset) == (chosen, [])


def test_parameters_equal_to_the_default_are_left_out_as_streamlit_does(dataset):
    assert selection_params(selection(), dataset) == {}
    assert selection_params(selection(theme="hälsa", indicator="ohalsa", bar_year=2023), dataset) == {"tema": "Hälsa"}
    assert selection_params(selection(sex=BOTH, years=(2019, 2023), bar_year=2022, all_areas=False), dataset) == {
        "ar": ["2019", "2023"],
        "kon": "Kvinnor och män",
        "jmfar": "2022",
        "alla": "false",
    }


# --- formatting helpers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "text"),
    [
        ([], "–"),
        ([2020], "2020"),
        ([2015, 2016, 2017], "2015–2017"),
        ([2022, 2018], "2018 och 2022"),
        ([2015, 2016, 2017, 2019, 2021], "2015–2017, 2019 och 2021"),
        ([2015, 2015, 2016], "2015–2016"),
    ],
)
def test_years_text(years, text):
    assert years_text(years) == text


@pytest.mark.parametrize(
    ("view", "changes", "title"),
    [
        ("Tidsserie", {}, "Förvärvsfrekvens"),
        ("Tidsserie", {"sex": "Kvinnor"}, "Förvärvsfrekvens, kvinnor"),
        ("Jämförelse", {}, "Förvärvsfrekvens 2023"),
        ("Index", {"reference": "Linköping"}, "Förvärvsfrekvens – index (Linköping = 100)"),
        ("Skillnad mot jämförelseområdet", {}, "Förvärvsfrekvens – skillnad mot Övriga Linköping"),
        ("Kvinnor och män", {}, "Förvärvsfrekvens 2023, kvinnor och män"),
    ],
)
def test_chart_titles(dataset, view, changes, title):
    assert chart_title(explore_data(dataset, selection(**changes)), view) == title


def test_export_name_says_indicator_view_years_and_sex(dataset):
    data = explore_data(dataset, selection(sex="Män", years=(2021, 2023)))
    assert export_name(data) == "Förvärvsfrekvens 2021-2023 Män"
    assert export_name(data, "Index") == "Förvärvsfrekvens Index 2021-2023 Män"


def test_file_stems_are_safe_and_keep_dashes():
    data = explore_data(tiny(), selection(sex=BOTH))
    data = ExploreData(**{**data.__dict__, "meta": {**data.meta, "name": "Unga 20–25 år / NEET"}})
    assert ex.file_stem(data) == "Unga 20-25 ar _ NEET 2018-2023 Kvinnor och man"
    assert ex.file_stem(data, "Jämförelse") == "Unga 20-25 ar _ NEET Jamforelse 2018-2023 Kvinnor och man"


# --- the data shown -------------------------------------------------------------------------------------------------


def test_the_shown_frame_has_a_row_per_area_sex_and_year_with_missing_values_never_zero(dataset):
    frame = shown_frame(
        dataset.observations[dataset.observations["indicator"] == "forvarv"],
        ["Skäggetorp", "Berga"],
        ["Totalt"],
        [2021, 2022, 2023],
    )
    assert frame["area"].tolist() == ["Skäggetorp"] * 3 + ["Berga"] * 3
    assert frame["year"].tolist() == [2021, 2022, 2023] * 2
    assert frame["value"].tolist()[:2] == [40.0, 41.0]
    assert math.isnan(frame["value"].iloc[2]) and frame["note"].iloc[2] == "Uppgift saknas"
    assert math.isnan(frame["value"].iloc[4]) and frame["note"].iloc[4] == SECRET
    assert frame["value"].iloc[5] == 52.0
    assert not frame["example"].any()


def test_the_shown_frame_fills_absent_years_in_the_stores_categorical_columns(dataset):
    # The store keeps the text columns as categoricals; "" is no category of a source column that is always filled,
    # and filling Skäggetorp's absent 2023 with it raised a TypeError (Utforska showed an exception).
    obs = observation_dtypes(dataset.observations[dataset.observations["indicator"] == "forvarv"])
    assert isinstance(obs["source"].dtype, pd.CategoricalDtype) and "" not in obs["source"].cat.categories
    frame = shown_frame(obs, ["Skäggetorp", "Berga"], ["Totalt"], [2021, 2022, 2023])
    assert frame["source"].tolist() == ["SCB", "SCB", "", "SCB", "SCB", "SCB"]
    assert frame["note"].tolist() == ["", "", "Uppgift saknas", "", SECRET, ""]
    # The same frame, dtypes too, as from plain text columns.
    plain = dataset.observations[dataset.observations["indicator"] == "forvarv"]
    pd.testing.assert_frame_equal(frame, shown_frame(plain, ["Skäggetorp", "Berga"], ["Totalt"], [2021, 2022, 2023]))
    data = explore_data(replace(dataset, observations=observation_dtypes(dataset.observations)), selection())
    assert data.frame["source"].tolist() == ["SCB"] * 3 + ["SCB", "SCB", ""] + ["SCB"] * 6


def test_explore_data_holds_the_chosen_areas_years_and_sex(dataset):
    data = explore_data(dataset, selection(areas=("Berga", "Övriga Linköping"), years=(2022, 2023)))
    assert list(zip(data.frame["area"], data.frame["year"])) == [
        ("Berga", 2022),
        ("Berga", 2023),
        ("Övriga Linköping", 2022),
        ("Övriga Linköping", 2023),
    ]
    assert data.frame["value"].tolist()[1:] == [52.0, 81.0, 82.0]
    assert data.lines["area"].tolist() == ["Berga", "Berga", "Övriga Linköping", "Övriga Linköping"]
    assert data.n_series == 2


def test_gaps_are_in_procentenheter_for_percent_and_skip_missing_years(dataset):
    data = explore_data(dataset, selection())
    gaps = data.gaps
    # Berga: 50 - 80 and 52 - 82 (2022 suppressed); Skäggetorp: 40 - 80, 41 - 81; Linköping 75 - 80 …
    berga = gaps[gaps["area"] == "Berga"]
    assert berga["year"].tolist() == [2021, 2023]
    assert berga["gap"].tolist() == [-30.0, -30.0]
    assert berga["index"].tolist() == pytest.approx([62.5, 52 / 82 * 100])
    assert gaps["area"].unique().tolist() == ["Berga", "Skäggetorp", "Linköping"]
    assert gaps.loc[gaps["area"] == "Linköping", "gap"].tolist() == [-5.0, -5.0, -5.0]


def test_gaps_in_days_are_in_days(dataset):
    data = explore_data(dataset, selection(indicator="ohalsa"))
    assert data.gaps[["area", "year", "value", "reference_value", "gap", "index"]].values.tolist() == [
        ["Berga", 2023, 30.0, 20.0, 10.0, 150.0]
    ]  # 30 - 20 days; index 30 / 20 × 100
    assert data.gap_unit == "dagar"


def test_counts_get_neither_gap_nor_index(dataset):
    data = explore_data(dataset, selection(indicator="folk"))
    assert not data.comparable
    assert data.gaps["gap"].isna().all() and data.gaps["index"].isna().all()


def test_women_and_men_side_by_side_are_separate_lines_with_the_area_colour(dataset):
    data = explore_data(dataset, selection(sex=BOTH, areas=("Berga", "Övriga Linköping", "Linköping")))
    assert data.lines["area"].unique().tolist() == [
        "Berga, kvinnor",
        "Berga, män",
        "Övriga Linköping, kvinnor",
        "Övriga Linköping, män",
        "Linköping, kvinnor",
        "Linköping, män",
    ]
    women, men = data.styles["Berga, kvinnor"], data.styles["Berga, män"]
    assert women.colour == men.colour == data.area_styles["Berga"].colour
    assert (women.dash, men.dash) == ("solid", "dot")
    # The municipality is dotted already, so its men get dashes instead.
    assert (data.styles["Linköping, kvinnor"].dash, data.styles["Linköping, män"].dash) == ("dot", "dash")
    assert data.gaps[["area", "gap"]].values.tolist() == [["Berga, kvinnor", -29.0], ["Berga, män", -31.0]]
    assert list(data.bars) == ["Kvinnor", "Män"]


def test_comparison_ranks_every_loaded_area_or_only_the_chosen(dataset):
    everyone = explore_data(dataset, selection(areas=("Berga", "Skäggetorp")))
    bars = everyone.bars["Totalt"]
    assert sorted(bars["area"].tolist()) == ["Berga", "Lambohov", "Linköping", "Skäggetorp", "Övriga Linköping"]
    skaggetorp = bars[bars["area"] == "Skäggetorp"]
    assert math.isnan(skaggetorp["value"].iloc[0]) and skaggetorp["note"].iloc[0] == "Uppgift saknas"
    assert everyone.highlight == ("Berga", "Skäggetorp")
    chosen = explore_data(dataset, selection(areas=("Lambohov", "Berga"), all_areas=False))
    assert chosen.bars["Totalt"][["area", "value"]].values.tolist() == [["Berga", 52.0], ["Lambohov", 90.0]]
    assert chosen.highlight == ("Berga", "Skäggetorp", "Lambohov")


def test_women_and_men_in_the_bar_year_for_the_chosen_areas(dataset):
    data = explore_data(dataset, selection(areas=("Berga", "Linköping")))
    rows = data.sex_bars[["area", "sex", "value"]].values.tolist()
    assert rows[:2] == [["Berga", "Kvinnor", 54.0], ["Berga", "Män", 50.0]]
    assert [r[:2] for r in rows[2:]] == [["Linköping", "Kvinnor"], ["Linköping", "Män"]]
    assert all(math.isnan(r[2]) for r in rows[2:])


def test_the_line_charts_get_at_most_max_lines(dataset, monkeypatch):
    monkeypatch.setattr(ex, "MAX_LINES", 2)
    data = explore_data(dataset, selection())
    assert data.n_series == 4
    assert data.lines["area"].unique().tolist() == ["Berga", "Skäggetorp"]
    assert data.gaps["area"].unique().tolist() == ["Berga", "Skäggetorp"]
    assert len(data.frame) == 12  # the table keeps every row


def test_missing_values_are_explained_with_their_note(dataset):
    data = explore_data(dataset, selection())
    assert data.missing == (
        f"Uppgift saknas för Berga 2022 ({SECRET}). Saknade värden visas som avbrott i linjen, aldrig som 0.",
        "Uppgift saknas för Skäggetorp 2023. Saknade värden visas som avbrott i linjen, aldrig som 0.",
    )


def test_long_lists_of_missing_values_are_cut():
    frame = pd.DataFrame(
        {
            "area": ["Berga"] * 14,
            "year": range(2000, 2014),
            "sex": "Kvinnor",
            "value": math.nan,
            "note": "Uppgift saknas",
        }
    )
    text = missing_explanations(frame, both=True)[0]
    assert text.startswith("Uppgift saknas för Berga 2000 (kvinnor), Berga 2001 (kvinnor)")
    assert "Berga 2011 (kvinnor) och 2 till." in text


def test_facts_about_the_indicator(dataset):
    data = explore_data(dataset, selection(areas=("Berga",), sex=BOTH))
    facts = data.facts
    assert (facts.name, facts.unit, facts.source, facts.decimals) == ("Förvärvsfrekvens", "procent", "SCB", 1)
    assert facts.years == (2021, 2022, 2023) and facts.years_text == "2021–2023"
    assert facts.sexes == ("Totalt", "Kvinnor", "Män")
    assert (facts.n_areas, facts.n_values, facts.n_example) == (5, 15, 1)
    # Shown: Berga, women and men, 2021–2023: only 2023 has values, the women's is an example value.
    assert (facts.n_shown, facts.n_example_shown, facts.n_missing_shown) == (2, 1, 4)
    assert facts.notes == (
        "Registerbaserat mått för november.",
        "Skillnaden mot jämförelseområdet anges i procentenheter.",
        "Oförändrat: en förändring mindre än 1 procentenhet räknas som oförändrad.",
    )
    rows = dict(facts_rows(facts))
    assert rows["År med värden"] == "2021–2023"
    assert rows["Exempelvärden"] == "1 av 2 värden som visas (1 av 15 för hela indikatorn)"
    assert rows["Redovisas för"] == "Totalt, kvinnor, män; 5 områden"
    assert rows["Saknade eller skyddade värden i urvalet"] == "4"


@pytest.mark.parametrize(
    ("indicator", "note"),
    [
        ("folk", "Antal jämförs inte mellan områden av olika storlek"),
        ("folk", "Beskrivande indikator"),
        ("ohalsa", "Skillnaden mot jämförelseområdet anges i dagar."),
        ("ohalsa", "Oförändrat: en förändring mindre än 3 procent av nivån räknas som oförändrad."),
        ("forvarv", "Oförändrat: en förändring mindre än 1 procentenhet räknas som oförändrad."),
    ],
)
def test_comparability_notes_follow_unit_and_direction(dataset, indicator, note):
    facts = explore_data(dataset, selection(indicator=indicator)).facts
    assert any(n.startswith(note) for n in facts.notes)


def test_an_empty_selection_gives_empty_frames(dataset):
    data = explore_data(dataset, selection(areas=(), bar_year=None))
    assert data.frame.empty and data.lines.empty and data.gaps.empty and data.sex_bars.empty
    assert data.bars["Totalt"].empty


# --- groups beyond sex ----------------------------------------------------------------------------------------------

GROUP_OBSERVATIONS = [
    *OBSERVATIONS,
    ("Skäggetorp", "forvarv", 2022, "Utrikes födda", 35.0, EXAMPLE_SOURCE, ""),
    ("Skäggetorp", "forvarv", 2022, "Inrikes födda", 55.0, "SCB", ""),
    ("Skäggetorp", "forvarv", 2022, "Utrikes födda, kvinnor", 30.0, "SCB", ""),
    ("Skäggetorp", "forvarv", 2022, "Utrikes födda, män", 40.0, "SCB", ""),
    ("Övriga Linköping", "forvarv", 2022, "Utrikes födda", 60.0, "SCB", ""),
    ("Övriga Linköping", "forvarv", 2022, "Inrikes födda", 84.0, "SCB", ""),
    ("Övriga Linköping", "forvarv", 2022, "20–64 år", 82.0, "SCB", ""),
    ("Övriga Linköping", "forvarv", 2022, "Utrikes födda, 20–64 år", 61.0, "SCB", ""),
]


@pytest.fixture(scope="module")
def grouped():
    return tiny(GROUP_OBSERVATIONS)


def test_group_modes_list_the_groups_the_indicator_has_then_side_by_side_then_combinations(grouped):
    assert ex.group_modes(grouped, "forvarv") == [
        "Totalt",
        "Inrikes födda",
        "Utrikes födda",
        "Inrikes och utrikes födda",
        "20–64 år",
        "Utrikes födda, 20–64 år",
    ]
    assert ex.group_modes(grouped, "ohalsa") == ["Totalt"]
    assert ex.group_modes(grouped, "") == ["Totalt"]


@pytest.mark.parametrize(
    "sex, group, shown",
    [
        ("Totalt", "Totalt", ("Totalt",)),
        ("Kvinnor", "Totalt", ("Kvinnor",)),
        (BOTH, "Totalt", ("Kvinnor", "Män")),
        ("Totalt", "Utrikes födda", ("Utrikes födda",)),
        ("Totalt", "Inrikes och utrikes födda", ("Inrikes födda", "Utrikes födda")),
        ("Kvinnor", "Utrikes födda", ("Utrikes födda, kvinnor",)),
        (
            BOTH,
            "Inrikes och utrikes födda",
            ("Inrikes födda, kvinnor", "Inrikes födda, män", "Utrikes födda, kvinnor", "Utrikes födda, män"),
        ),
        ("Män", "Utrikes födda, 20–64 år", ("Utrikes födda, 20–64 år, män",)),
    ],
)
def test_the_groups_shown_cross_the_sex_and_the_group_choice(sex, group, shown):
    assert ex.shown_groups(sex, group) == shown
    assert selection(sex=sex, group=group).side_by_side == (len(shown) > 1)


def test_the_group_is_read_from_and_written_to_the_url(grouped):
    chosen, notices = selection_from_params({"grupp": "Inrikes och utrikes födda"}, grouped)
    assert notices == [] and chosen.group == "Inrikes och utrikes födda"
    assert chosen.sexes == ("Inrikes födda", "Utrikes födda")
    assert chosen.bar_year == 2022  # the only year with values for the groups
    assert selection_params(chosen, grouped) == {"grupp": "Inrikes och utrikes födda"}
    assert selection_from_params(selection_params(chosen, grouped), grouped)[0] == chosen
    _, notices = selection_from_params({"grupp": "Utrikes födda", "indikator": "Ohälsotal"}, grouped)
    assert notices == [
        "Adressens parameter grupp=”Utrikes födda” ignorerades: indikatorn redovisas inte för den gruppen. Totalt visas."
    ]
    fallback, notices = selection_from_params({"grupp": "Barn"}, grouped)
    assert fallback.group == "Totalt"
    assert notices == [
        "Adressens parameter grupp=”Barn” ignorerades: indikatorn redovisas inte för den gruppen (välj Totalt, "
        "Inrikes födda, Utrikes födda, Inrikes och utrikes födda, 20–64 år eller Utrikes födda, 20–64 år). "
        "Totalt visas."
    ]


def test_groups_side_by_side_are_lines_per_area_and_group_with_gaps_within_the_group(grouped):
    chosen = selection(areas=("Skäggetorp", "Övriga Linköping"), group="Inrikes och utrikes födda", bar_year=2022)
    data = explore_data(grouped, chosen)
    assert data.frame[data.frame["value"].notna()][["area", "sex", "value"]].values.tolist() == [
        ["Skäggetorp", "Inrikes födda", 55.0],
        ["Skäggetorp", "Utrikes födda", 35.0],
        ["Övriga Linköping", "Inrikes födda", 84.0],
        ["Övriga Linköping", "Utrikes födda", 60.0],
    ]
    assert data.lines["area"].unique().tolist() == [
        "Skäggetorp, inrikes födda",
        "Skäggetorp, utrikes födda",
        "Övriga Linköping, inrikes födda",
        "Övriga Linköping, utrikes födda",
    ]
    # Utrikes födda in Skäggetorp against utrikes födda in övriga Linköping: 35 - 60.
    assert data.gaps[["area", "year", "gap"]].values.tolist() == [
        ["Skäggetorp, inrikes födda", 2022, -29.0],
        ["Skäggetorp, utrikes födda", 2022, -25.0],
    ]
    assert data.gaps["example"].tolist() == [False, True]
    inrikes, utrikes = data.styles["Skäggetorp, inrikes födda"], data.styles["Skäggetorp, utrikes födda"]
    assert inrikes.colour == utrikes.colour and inrikes.dash != utrikes.dash
    assert list(data.bars) == ["Inrikes födda", "Utrikes födda"]
    assert data.facts.sexes[:3] == ("Totalt", "Kvinnor", "Män")
    assert "Utrikes födda" in data.facts.sexes
    assert chart_title(data, ex.TIME_SERIES) == "Förvärvsfrekvens, inrikes och utrikes födda"
    assert chart_title(data, ex.COMPARISON, "Utrikes födda") == "Förvärvsfrekvens 2022, utrikes födda"
    assert export_name(data) == "Förvärvsfrekvens 2018-2023 Totalt Inrikes och utrikes födda"


def test_women_and_men_within_a_group(grouped):
    data = explore_data(grouped, selection(areas=("Skäggetorp",), group="Utrikes födda", bar_year=2022))
    assert data.sex_bars[["area", "sex", "value"]].values.tolist() == [
        ["Skäggetorp", "Kvinnor", 30.0],
        ["Skäggetorp", "Män", 40.0],
    ]
    assert chart_title(data, ex.SEX_VIEW) == "Förvärvsfrekvens 2022, kvinnor och män, utrikes födda"


def test_uncertain_values_are_shown_and_said_to_be_left_out_of_comparisons():
    rows = [*OBSERVATIONS, ("Skäggetorp", "forvarv", 2023, "Totalt", 30.0, "SCB", "Få personer")]
    data = explore_data(tiny(rows), selection(areas=("Berga", "Skäggetorp")))
    shown = data.frame[(data.frame["area"] == "Skäggetorp") & (data.frame["year"] == 2023)]
    assert shown["value"].tolist() == [30.0]
    assert data.missing[-1] == (
        "Osäkra värden (få personer) för Skäggetorp 2023 visas i diagram och tabell men ingår inte i jämförelser, "
        "förändringar och omdömen."
    )


# --- områdestyp in the whole-city comparison ------------------------------------------------------------------------

TYPE_LABELS = (
    "1: Områden med stora socioekonomiska utmaningar; 2: Områden med socioekonomiska utmaningar; "
    "3: Socioekonomiskt blandade områden; 4: Områden med goda socioekonomiska förutsättningar; "
    "5: Områden med mycket goda socioekonomiska förutsättningar"
)
TYPE_ONE = "1 – Områden med stora socioekonomiska utmaningar"
TYPE_FOUR = "4 – Områden med goda socioekonomiska förutsättningar"


def typed_dataset():
    """The tiny dataset with områdestyp: Berga and Skäggetorp type 1, Lambohov type 4 (since 2020)."""
    indicators = [
        *INDICATORS,
        {"id": "typ", "name": "Områdestyp", "theme": "befolkning", "unit": "kategori", "direction": "Neutral"}
        | {"categories": TYPE_LABELS},
    ]
    rows = [
        ("Berga", "typ", 2021, "Totalt", 1.0, "SCB", ""),
        ("Skäggetorp", "typ", 2021, "Totalt", 1.0, "SCB", ""),
        ("Lambohov", "typ", 2020, "Totalt", 4.0, "SCB", ""),
        ("Linköping", "typ", 2021, "Totalt", 3.0, "SCB", ""),  # no city part: no option, never grouped
    ]
    return tiny([*OBSERVATIONS, *rows], indicators)


@pytest.fixture(scope="module")
def typed():
    return typed_dataset()


def test_the_type_options_are_the_types_the_citys_parts_have(typed, dataset):
    assert ex.type_options(typed) == ["Alla", TYPE_ONE, TYPE_FOUR]
    assert ex.type_options(dataset) == ["Alla"]


@pytest.mark.parametrize(
    "value, expected, notice",
    [
        (TYPE_FOUR, TYPE_FOUR, ""),
        ("", "Alla", ""),
        ("3 – Socioekonomiskt blandade områden", "Alla", "det finns ingen sådan områdestyp i datan (välj Alla, 1 –"),
    ],
)
def test_the_type_comes_from_the_address(typed, value, expected, notice):
    chosen, notices = selection_from_params({"typ": value}, typed)
    assert chosen.area_type == expected
    assert (notices[0] if notices else "").startswith(f"Adressens parameter typ=”{value}”" if notice else "")
    assert notice in (notices[0] if notices else "")
    assert selection_params(chosen, typed).get("typ") == (None if expected == "Alla" else expected)


def test_a_type_ranks_only_its_areas_and_the_summary_groups_the_citys_parts(typed):
    everyone = explore_data(typed, selection())
    # Lambohov 90; Berga 52 and Skäggetorp (no 2023 value) type 1; Linköping and Övriga Linköping are no city parts.
    assert everyone.type_tables["Totalt"].values.tolist() == [
        [TYPE_ONE, 1, 52.0, 52.0, 52.0],
        [TYPE_FOUR, 1, 90.0, 90.0, 90.0],
    ]
    only_one = explore_data(typed, selection(area_type=TYPE_ONE))
    bars = only_one.bars["Totalt"]
    assert bars["area"].tolist() == ["Berga", "Skäggetorp"]
    assert bars["value"].isna().tolist() == [False, True]  # a chosen area of the type without a value stays, as missing
    before = explore_data(typed, selection(area_type=TYPE_ONE, bar_year=2021))
    assert before.bars["Totalt"][["area", "value"]].values.tolist() == [["Berga", 50.0], ["Skäggetorp", 40.0]]
    assert before.type_tables["Totalt"].values.tolist()[0] == [TYPE_ONE, 2, 45.0, 40.0, 50.0]
    lambohov = explore_data(typed, selection(area_type=TYPE_FOUR, bar_year=2023))
    assert lambohov.bars["Totalt"]["area"].tolist() == ["Lambohov"]
    # The categorical indicator itself is filtered but never summarised (a median of codes means nothing).
    assert explore_data(typed, selection(indicator="typ", bar_year=2021)).type_tables == {}
    assert not everyone.types_example  # SCB's types here; the default data's are marked (test_utforska_page)
