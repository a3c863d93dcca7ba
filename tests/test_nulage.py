"""The status picture and overview view models on a small hand-made dataset."""

from __future__ import annotations

import dataclasses

import pandas as pd

from analysis.core.model import HIGHER, LOWER, NEUTRAL, make_dataset
from analysis.viewmodels.nulage import gap_matrix, key_figure_ids, overview, sparkline_description, status_picture
from tests.test_compare import obs

NB = "\u00a0"


def dataset():
    """Two focus areas, a reference and a municipality; three indicators over 2020 and 2024."""
    return make_dataset(
        areas=pd.DataFrame(
            [
                {"name": "Berga", "type": "Fokusområde"},
                {"name": "Ryd", "type": "Fokusområde"},
                {"name": "Övriga Linköping", "type": "Jämförelse"},
                {"name": "Linköping", "type": "Kommun"},
            ]
        ),
        indicators=pd.DataFrame(
            [
                {
                    "id": "fv",
                    "name": "Förvärvsfrekvens",
                    "theme": "arbete",
                    "unit": "procent",
                    "direction": HIGHER,
                    "decimals": 1,
                    "key_figure": True,
                    "definite": "förvärvsfrekvensen",
                    "definition": "Andel sysselsatta",
                    "source": "SCB",
                },
                {
                    "id": "al",
                    "name": "Arbetslöshet",
                    "theme": "arbete",
                    "unit": "procent",
                    "direction": LOWER,
                    "decimals": 1,
                    "key_figure": True,
                },
                {
                    "id": "folkmangd",
                    "name": "Folkmängd",
                    "theme": "befolkning",
                    "unit": "antal",
                    "direction": NEUTRAL,
                    "decimals": 0,
                },
            ]
        ),
        observations=obs(
            [
                ("Berga", "fv", 2020, 58.0),
                ("Berga", "fv", 2024, 62.5),
                ("Ryd", "fv", 2020, 57.0),
                ("Ryd", "fv", 2024, 56.0),
                ("Övriga Linköping", "fv", 2020, 82.0),
                ("Övriga Linköping", "fv", 2024, 82.1),
                ("Linköping", "fv", 2024, 78.5),
                ("Berga", "al", 2020, 10.7),
                ("Berga", "al", 2024, 11.7),
                ("Övriga Linköping", "al", 2020, 3.0),
                ("Övriga Linköping", "al", 2024, 3.1, "Totalt", "Exempelvärde (fiktivt)"),
                ("Berga", "folkmangd", 2020, 6400),
                ("Berga", "folkmangd", 2024, 6500),
            ]
        ),
        area_texts=pd.DataFrame(
            [{"area": "Berga", "heading": "Styrkor", "text": "Många föreningar.", "source": "Exempelvärde (fiktivt)"}]
        ),
    )


def test_status_picture_of_berga():
    sp = status_picture(dataset(), "Berga", "Övriga Linköping", 2020)
    assert sp.municipality == "Linköping"
    # fv: -24,0 -> -19,6 pe, closer by 4,4 (>= 1); al: 7,7 -> 8,6 pe above, 0,9 < 1 procentenhet: unchanged.
    assert sp.summary == (
        "I Berga har skillnaden mot övriga Linköping minskat för 1 av 2 indikatorer sedan 2020, "
        "utvecklats ogynnsamt för 0 och är i stort sett oförändrad för 1."
    )
    ((theme, cards),) = sp.themes
    assert theme == "arbete" and [c.indicator for c in cards] == ["fv", "al"]
    fv = cards[0]
    assert fv.value == f"62,5{NB}%" and fv.reference_value == f"82,1{NB}%" and fv.municipality_value == f"78,5{NB}%"
    assert fv.gap == "19,6 procentenheter lägre än övriga Linköping"
    assert fv.gap_verdict == "→← närmar sig" and fv.value_verdict == "↑ förbättring"
    assert fv.sentence.startswith("Förvärvsfrekvensen i Berga var 62,5 procent 2024, 19,6 procentenheter lägre")
    assert list(fv.history.index) == [2020, 2024] and fv.is_example is False
    assert cards[1].is_example is True  # the reference's 2024 value is an example
    assert [c.indicator for c in sp.population] == ["folkmangd"]
    assert sp.population[0].sentence == "Folkmängd: 6\u00a0500 i Berga år 2024. Det är 100 (1,6 procent) fler än 2020."
    assert [t.text for t in sp.texts["Styrkor"]] == ["Många föreningar."] and sp.texts["Styrkor"][0].is_example
    assert sp.texts["Aktörer"] == []
    kf = sp.key_figures
    assert kf["Indikator"].tolist() == ["Förvärvsfrekvens", "Arbetslöshet"]
    assert kf.columns.tolist()[:5] == ["Indikator", "År", "Berga", "Övriga Linköping", "Linköping"]
    assert kf.loc[1, "Skillnad"] == f"+8,6{NB}pe ▼" and kf.loc[1, "Exempel"] == "Ja"


def test_key_figures_fall_back_to_one_per_theme_when_none_marked():
    ds = dataset()
    ds = ds.with_table("indicators", ds.indicators.assign(key_figure=False))
    assert key_figure_ids(ds) == ["fv", "folkmangd"]


def test_overview_cards_and_matrix():
    ds = dataset()
    ov = overview(ds, ["Berga", "Ryd"], "Övriga Linköping", 2020)
    berga, ryd = ov.cards
    assert berga.population == f"6{NB}500" and berga.population_year == 2024
    assert berga.counts_text == "1 av 2 indikatorer har minskat gapet sedan 2020"
    assert ryd.population == "–"
    assert [k.indicator for k in berga.key] == ["fv", "al"]
    assert ov.matrix.columns.tolist() == ["Berga", "Ryd"]
    assert ov.matrix.loc[("Arbete", "Förvärvsfrekvens"), "Ryd"] == f"-26,1{NB}pe ▼"
    assert ov.matrix.loc[("Arbete", "Arbetslöshet"), "Ryd"] == "–"
    assert ov.tones.loc[("Arbete", "Förvärvsfrekvens"), "Berga"] == "nackdel"
    assert ov.tones.loc[("Arbete", "Arbetslöshet"), "Ryd"] == "neutral"
    texts, tones = gap_matrix(ds, ov.table.iloc[0:0], ["Berga"])
    assert texts.empty and tones.empty


def test_a_verdict_compared_from_another_year_says_which():
    ds = make_dataset(
        areas=pd.DataFrame(
            [{"name": "Berga", "type": "Fokusområde"}, {"name": "Övriga Linköping", "type": "Jämförelse"}]
        ),
        indicators=pd.DataFrame(
            [
                {
                    "id": "val",
                    "name": "Valdeltagande",
                    "theme": "demokrati",
                    "unit": "procent",
                    "direction": HIGHER,
                    "decimals": 1,
                }
            ]
        ),
        observations=obs(
            [
                ("Berga", "val", 2018, 60.0),
                ("Berga", "val", 2022, 57.7),
                ("Övriga Linköping", "val", 2018, 85.0),
                ("Övriga Linköping", "val", 2022, 85.7),
            ]
        ),
    )
    ((theme, (card,)),) = status_picture(ds, "Berga", "Övriga Linköping", 2020).themes
    # Election years: compared with 2018, not the page's 2020; gap -25,0 -> -28,0 pe, value -2,3 pe.
    assert card.gap_verdict == "←→ avlägsnar sig (sedan 2018)"
    assert card.value_verdict == "↓ försämring (sedan 2018)"


def test_a_card_year_is_a_whole_year_even_when_the_column_has_gaps():
    # Ryd has no Arbetslöshet: the comparison's year column holds a gap, so pandas makes its years floats.
    fv, al = status_picture(dataset(), "Ryd", "Övriga Linköping", 2020).themes[0][1]
    assert type(fv.year) is int and fv.year == 2024
    assert al.year is None


def test_sparkline_description_says_the_years_and_values():
    fv, al = status_picture(dataset(), "Berga", "Övriga Linköping", 2020).themes[0][1]
    assert sparkline_description(fv, "Berga") == (
        f"Berga, Förvärvsfrekvens, utveckling 2020–2024: från 58,0{NB}% (2020) till 62,5{NB}% (2024)."
    )
    # The card rests on an example value (the reference's 2024): the description says so.
    assert sparkline_description(al, "Berga").endswith(f"till 11,7{NB}% (2024). Innehåller exempelvärden (fiktiva).")


def test_sparkline_description_of_a_longer_series_gives_lowest_and_highest():
    fv = status_picture(dataset(), "Berga", "Övriga Linköping", 2020).themes[0][1][0]
    history = pd.Series([58.0, None, 55.25, 63.0, 62.5], index=[2020, 2021, 2022, 2023, 2024])
    card = dataclasses.replace(fv, history=history)
    assert sparkline_description(card, "Berga") == (
        f"Berga, Förvärvsfrekvens, utveckling 2020–2024: från 58,0{NB}% (2020) till 62,5{NB}% (2024), "
        f"lägst 55,3{NB}% (2022), högst 63,0{NB}% (2023)."
    )
    assert sparkline_description(dataclasses.replace(fv, history=pd.Series([None], index=[2024])), "Ryd") == (
        "Ryd, Förvärvsfrekvens: inga värden."
    )


def test_a_card_compares_each_group_with_the_same_group_in_the_reference():
    base = dataset()
    extra = obs(
        [
            ("Berga", "fv", 2024, 70.0, "Inrikes födda"),
            ("Berga", "fv", 2024, 50.0, "Utrikes födda", "Exempelvärde (fiktivt)"),
            ("Övriga Linköping", "fv", 2024, 85.0, "Inrikes födda"),
            ("Övriga Linköping", "fv", 2024, 65.5, "Utrikes födda"),
            ("Berga", "fv", 2024, 48.0, "Utrikes födda, kvinnor"),  # a combination: not a card sentence
            ("Ryd", "fv", 2024, 40.0, "Utrikes födda"),  # another area: not Berga's card
        ]
    )
    data = base.with_table("observations", pd.concat([base.observations, extra], ignore_index=True))
    sp = status_picture(data, "Berga", "Övriga Linköping", 2020)
    fv, al = sp.themes[0][1]
    assert [(g.dimension, g.group, g.is_example, g.explore_choice) for g in fv.groups] == [
        ("Födelseregion", "Inrikes födda", False, "Inrikes och utrikes födda"),
        ("Födelseregion", "Utrikes födda", True, "Inrikes och utrikes födda"),
    ]
    assert [g.sentence for g in fv.groups] == [
        "Bland inrikes födda i Berga var förvärvsfrekvensen 70,0 procent 2024, 15,0 procentenheter lägre än bland "
        "inrikes födda i övriga Linköping.",
        "Bland utrikes födda i Berga var förvärvsfrekvensen 50,0 procent 2024, 15,5 procentenheter lägre än bland "
        "utrikes födda i övriga Linköping.",
    ]
    assert fv.is_example is True  # the utrikes födda sentence rests on an example value
    assert al.groups == ()
    # The totals are untouched by the groups' rows.
    assert fv.value == f"62,5{NB}%" and fv.gap == "19,6 procentenheter lägre än övriga Linköping"


def test_age_groups_on_a_card_link_to_each_age_group_in_the_explorer():
    base = dataset()
    extra = obs(
        [
            ("Berga", "fv", 2024, 55.0, "20–64 år"),
            ("Berga", "fv", 2024, 30.0, "65+ år"),
            ("Övriga Linköping", "fv", 2024, 80.0, "20–64 år"),
        ]
    )
    data = base.with_table("observations", pd.concat([base.observations, extra], ignore_index=True))
    fv = status_picture(data, "Berga", "Övriga Linköping", 2020).themes[0][1][0]
    assert [(g.group, g.explore_choice) for g in fv.groups] == [("20–64 år", "20–64 år"), ("65+ år", "65+ år")]
    assert fv.groups[0].sentence == (
        "Bland personer 20–64 år i Berga var förvärvsfrekvensen 55,0 procent 2024, 25,0 procentenheter lägre än "
        "bland personer 20–64 år i övriga Linköping."
    )
    assert fv.groups[1].sentence.endswith("Uppgift bland personer 65+ år i övriga Linköping 2024 saknas.")
