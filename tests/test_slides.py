"""The deck and attachment models: every slide's numbers and sentences come from the status pictures."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.core.model import THEMES, make_dataset
from analysis.measures.compare import gap_counts
from analysis.render.charts import chart_figure
from analysis.viewmodels.followup import STATUS_COLOURS, action_register
from analysis.viewmodels.map_view import MapSelection
from analysis.viewmodels.nulage import status_picture
from analysis.viewmodels.slides import (
    AREA_SLIDE,
    BAR,
    EXAMPLE_NOTE,
    FOLLOWUP_SLIDE,
    LINE,
    MAP_EXAMPLE_NOTE,
    MAP_SLIDE,
    STACKED,
    STATUS_NOTE,
    THEME_SLIDE,
    TITLE_SLIDE,
    ChartData,
    ChartSeries,
    action_sentence,
    attachment,
    chart_alt_text,
    chart_table,
    deck,
    indicator_map_selection,
    nice_step,
    slide_label,
    swedish_date,
    table_lines,
    value_range,
)
from tests.test_map_view import box
from tests.test_nulage import dataset as small_dataset

TODAY = date(2026, 11, 26)
REF = "Övriga Linköping"
NB = "\u00a0"


def small() -> make_dataset:
    """The status-picture test data with three actions (one an example) for the follow-up slide."""
    ds = small_dataset()
    actions = pd.DataFrame(
        [
            # Its end date has passed: the follow-up shows it as Försenad.
            {
                "id": "A1",
                "title": "Läxhjälp",
                "theme": "utbildning",
                "areas": "Berga;Ryd",
                "status": "Pågår",
                "end": "2025-06-30",
                "source": "Plan",
            },
            {
                "id": "A2",
                "title": "Belysning",
                "theme": "trygghet",
                "areas": "Berga",
                "status": "Genomförd",
                "end": "2024-12-31",
                "source": "Plan",
            },
            {
                "id": "A3",
                "title": "Nattvandring",
                "theme": "trygghet",
                "areas": "Berga",
                "status": "Pågår",
                "end": "2027-12-31",
                "source": "Exempelvärde (fiktivt)",
            },
        ]
    )
    return ds.with_table("actions", actions)


def test_deck_has_title_area_theme_and_follow_up_slides_in_order():
    ds = small()
    slides = deck(ds, ["Berga", "Ryd"], ["befolkning", "arbete"], REF, 2020, TODAY, version=3)
    assert [(s.kind, s.title) for s in slides] == [
        (TITLE_SLIDE, "Åtgärdsplan mot segregation"),
        (AREA_SLIDE, "Berga: översikt"),
        (THEME_SLIDE, "Berga: arbete"),  # catalogue order, not the order chosen
        (THEME_SLIDE, "Berga: befolkning"),
        (AREA_SLIDE, "Ryd: översikt"),
        (THEME_SLIDE, "Ryd: arbete"),  # Ryd has no population values: no slide
        (FOLLOWUP_SLIDE, "Uppföljning: indikatorerna"),
        (FOLLOWUP_SLIDE, "Uppföljning: åtgärderna"),
    ]
    title = slides[0]
    assert title.subtitle == "Uppföljning: Berga och Ryd jämfört med övriga Linköping"
    assert title.bullets == ("Förändring sedan basåret 2020", "26 november 2026", "Dataversion 3")
    assert title.is_example and "Exempelvärde (fiktivt)" in title.notes[0]
    assert slide_label(3, slides[2]) == "3. Berga: arbete"


def test_area_slide_shows_the_key_figures_and_gap_counts_of_the_status_picture():
    ds = small()
    sp = status_picture(ds, "Berga", REF, 2020)
    slide = deck(ds, ["Berga"], [], REF, 2020, TODAY)[1]
    assert slide.bullets == (sp.summary, f"Folkmängd 2024: 6{NB}500")
    assert slide.table.columns == ("Indikator", "År", "Berga", REF, "Skillnad", "Skillnaden")
    assert [r[0] for r in slide.table.rows] == ["Förvärvsfrekvens", "Arbetslöshet *"]  # * = example value
    assert [r[2] for r in slide.table.rows] == sp.key_figures["Berga"].tolist()
    assert [r[4] for r in slide.table.rows] == sp.key_figures["Skillnad"].tolist()
    assert slide.chart.kind == STACKED and slide.chart.categories == ("Berga",)
    # Förvärvsfrekvens closes (-24,0 -> -19,6 pe); arbetslöshet 7,7 -> 8,6 pe is within 1 pe: unchanged.
    assert [s.values for s in slide.chart.series] == [(1.0,), (1.0,), (0.0,)]
    assert (sp.counts.closing, sp.counts.steady, sp.counts.widening) == (1, 1, 0)
    assert slide.notes == ("Källa: SCB.", EXAMPLE_NOTE)


def test_theme_slide_has_the_card_sentences_table_and_the_lead_indicators_history():
    ds = small()
    sp = status_picture(ds, "Berga", REF, 2020)
    slide = next(s for s in deck(ds, ["Berga"], ["arbete"], REF, 2020, TODAY) if s.kind == THEME_SLIDE)
    cards = dict(sp.themes)["arbete"]
    assert slide.bullets == tuple(c.sentence for c in cards)
    assert slide.bullets[0].startswith("Förvärvsfrekvensen i Berga var 62,5 procent 2024")
    assert slide.table.rows[0] == (
        "Förvärvsfrekvens",
        "2024",
        f"62,5{NB}%",
        f"82,1{NB}%",
        f"-19,6{NB}pe ▼",
        "→← närmar sig",
    )
    chart = slide.chart
    assert chart.kind == LINE and chart.title == "Förvärvsfrekvens" and chart.unit == "procent" and chart.decimals == 1
    assert chart.categories == ("2020", "2024") and chart.marker == "2020" and chart.marker_label == "Basår 2020"
    berga, ref, municipality = chart.series
    assert (berga.name, berga.values) == ("Berga", tuple(cards[0].history.tolist()))
    assert (ref.name, ref.values) == (REF, tuple(cards[0].reference_history.tolist()))
    assert (municipality.name, municipality.values) == ("Linköping", (None, 78.5))
    assert berga.colour == "#0072B2" and ref.dash == "dash"
    assert ref.examples == (False, False)
    assert slide.notes == ("Källa: SCB.", EXAMPLE_NOTE)  # the Arbetslöshet card uses an example value


def test_example_points_are_flagged_and_noted():
    ds = small()
    sp = status_picture(ds, "Berga", REF, 2020)
    from analysis.viewmodels.slides import history_chart

    card = dict(sp.themes)["arbete"][1]  # Arbetslöshet: the reference's 2024 value is an example
    chart = history_chart(ds, sp, card)
    assert chart.series[1].examples == (False, True)
    assert chart.has_examples


def test_follow_up_slides_count_gaps_per_theme_and_actions_per_status():
    ds = small()
    slides = deck(ds, ["Berga", "Ryd"], ["arbete", "befolkning"], REF, 2020, TODAY)
    indicators, actions = slides[-2:]
    assert indicators.table.columns == ("Tema", "Berga", "Ryd")
    assert indicators.table.rows == (
        ("Arbete", "1 / 1 / 0", "0 / 0 / 1"),
        ("Befolkning", "–", "–"),
        ("Alla valda teman", "1 / 1 / 0", "0 / 0 / 1"),
    )
    berga = status_picture(ds, "Berga", REF, 2020)
    assert gap_counts(berga.comparisons).total == 2
    assert indicators.bullets[0] == berga.summary
    assert [s.values for s in indicators.chart.series] == [(1.0, 0.0), (1.0, 0.0), (0.0, 1.0)]
    assert actions.table.columns == ("Område", "Pågår", "Försenad", "Genomförd", "Totalt")
    assert actions.table.rows == (("Berga", "1", "1", "1", "3"), ("Ryd", "0", "1", "0", "1"))
    assert actions.bullets == (
        "Berga: 3 åtgärder (1 pågår, 1 försenad och 1 genomförd).",
        "Ryd: 1 åtgärd (1 försenad).",
    )
    register = action_register(ds, TODAY)
    assert register["status"].tolist() == ["Försenad", "Genomförd", "Pågår"] and register["derived"].any()
    assert actions.notes[0].startswith(STATUS_NOTE)
    assert [s.colour for s in actions.chart.series] == [STATUS_COLOURS[s] for s in ("Pågår", "Försenad", "Genomförd")]
    assert actions.is_example and "Åtgärderna är exempel" in actions.notes[-1]


def test_default_data_deck_for_all_focus_areas(default_data):
    slides = deck(default_data, ["Berga", "Ryd", "Skäggetorp"], THEMES, REF, 2020, TODAY, version=1)
    # title + 3 × (overview + 8 themes) + 2 follow-up slides
    assert len(slides) == 30
    assert [s.title for s in slides if s.kind == AREA_SLIDE] == [
        "Berga: översikt",
        "Ryd: översikt",
        "Skäggetorp: översikt",
    ]
    for slide in slides:
        assert slide.notes, slide.title
        if slide.kind == THEME_SLIDE:
            assert slide.chart is not None and slide.notes[0].startswith("Källa: ")
    totals = slides[-2].table.rows[-1]
    for area, cell in zip(["Berga", "Ryd", "Skäggetorp"], totals[1:]):
        c = status_picture(default_data, area, REF, 2020).counts
        assert cell == f"{c.closing} / {c.steady} / {c.widening}"


def test_attachment_follows_the_order_of_a_status_picture(default_data):
    att = attachment(default_data, "Skäggetorp", REF, 2020, TODAY, version=1)
    sp = att.picture
    assert att.title == "Bilaga – Nulägesbild Skäggetorp 2026"
    assert att.meta.startswith("26 november 2026 · Dataversion 1 · Jämförelse: övriga Linköping · Basår 2020")
    assert [s.heading for s in att.sections] == [
        "Områdesbeskrivning",
        "Aktörer",
        "Befolkning",
        "Nyckeltal",
        "Arbete",
        "Ekonomi",
        "Utbildning",
        "Boende",
        "Demokrati",
        "Hälsa",
        "Trygghet",
        "Utmaningar",
        "Styrkor",
        "Skyddsfaktorer",
    ]
    key = att.sections[3].table
    assert list(key.columns) == sp.key_figures.columns.tolist()
    assert [list(r) for r in key.rows] == sp.key_figures.astype(str).values.tolist()
    assert att.sections[0].paragraphs[0].is_example
    assert att.summary == sp.summary and att.example_note.startswith("Exempeldata:")
    assert len(att.sources) == len(sp.population) + sum(len(c) for _, c in sp.themes)
    assert any(s.startswith("https://") for e in att.sources for s in e.value_sources)


def test_chart_table_and_figure_use_swedish_numbers():
    chart = ChartData(
        LINE,
        "Ohälsotal",
        ("2020", "2024"),
        (
            ChartSeries("Berga", (26.2, None), "#0072B2", examples=(True, False)),
            ChartSeries(REF, (15.6, 1234.5), "#000000", "dash", "star"),
        ),
        "dagar",
        1,
        "Dagar per person",
        "2020",
        "Basår 2020",
    )
    table = chart_table(chart)
    assert table.columns == ("År", "Berga", REF)
    assert table.rows == (("2020", f"26,2{NB}dagar *", f"15,6{NB}dagar"), ("2024", "–", f"1{NB}234,5{NB}dagar"))
    fig = chart_figure(chart)
    assert [t.name for t in fig.data] == ["Berga", REF]
    assert list(fig.data[0].marker.symbol) == ["circle-open", "circle"]
    assert fig.layout.separators == ", "
    assert fig.data[1].text[1] == f"{REF} 2024: 1{NB}234,5{NB}dagar"


def test_small_helpers():
    assert swedish_date(date(2026, 1, 5)) == "5 januari 2026"
    assert nice_step(23) == 5 and nice_step(0.4) == 0.1
    line = ChartData(LINE, "", ("1", "2"), (ChartSeries("a", (57.6, 62.5), "#000"),), "procent", 1, "")
    assert value_range(line) == (57.0, 63.0)
    assert action_sentence("Ryd", pd.Series(dtype=int), []) == "Ryd: inga åtgärder i åtgärdstabellen."


# Hand-worked: the text a screen reader reads for a chart in Word, PowerPoint and HTML.
ALT_TEXT_CASES = [
    pytest.param(
        ChartData(
            LINE,
            "Ohälsotal",
            ("2018", "2019", "2020", "2021"),
            (
                # The last year is missing and the year before is an example: the latest value is 2020's.
                ChartSeries("Berga", (20.0, None, 22.5, None), "#0072B2", examples=(False, False, True, False)),
                ChartSeries(REF, (15.0, 15.5, 15.2, 15.1), "#000000", "dash", "star"),
            ),
            "dagar",
            1,
            "Dagar per person",
            "2020",
            "Basår 2020",
        ),
        f"Linjediagram: Ohälsotal, 2018–2021. Linjerna visar Berga och {REF}. Senaste värden: "
        f"Berga 22,5{NB}dagar år 2020 (exempelvärde); {REF} 15,1{NB}dagar år 2021. Basår 2020 är markerat.",
        id="line-missing-last-value",
    ),
    pytest.param(
        ChartData(
            LINE,
            "Folkmängd",
            ("2024",),
            (ChartSeries("Berga", (10070.0,), "#0072B2", examples=(True,)),),
            "antal",
            0,
            "Antal",
        ),
        f"Linjediagram: Folkmängd, 2024. Linjen visar Berga. Senaste värde: Berga 10{NB}070 år 2024 (exempelvärde).",
        id="line-one-series-one-year",
    ),
    pytest.param(
        ChartData(
            STACKED,
            "Skillnaden mot övriga Linköping sedan 2020",
            ("Berga", "Ryd"),
            (
                ChartSeries("Minskad skillnad", (10.0, 7.0), "#0072B2"),
                ChartSeries("Ogynnsam utveckling", (8.0, 0.0), "#D55E00"),
            ),
            "antal",
            0,
            "Antal indikatorer",
        ),
        "Stapeldiagram: Skillnaden mot övriga Linköping sedan 2020. Staplarna visar Berga och Ryd, uppdelade i "
        "Minskad skillnad och Ogynnsam utveckling. Värden: Berga: Minskad skillnad 10, Ogynnsam utveckling 8; "
        "Ryd: Minskad skillnad 7, Ogynnsam utveckling 0.",
        id="stacked-bars",
    ),
    pytest.param(
        ChartData(
            BAR,
            "Förvärvsfrekvens",
            ("Berga",),
            (
                ChartSeries("Kvinnor", (52.25,), "#CC79A7", examples=(True,)),
                ChartSeries("Män", (None,), "#009E73"),
            ),
            "procent",
            1,
            "Procent",
        ),
        f"Stapeldiagram: Förvärvsfrekvens. Staplarna visar Kvinnor och Män för Berga. Värden: "
        f"Berga: Kvinnor 52,3{NB}% (exempelvärde), Män saknas.",
        id="bars-example-value",
    ),
]


@pytest.mark.parametrize(("chart", "expected"), ALT_TEXT_CASES)
def test_chart_alt_text_says_kind_title_series_period_and_latest_values(chart, expected):
    assert chart_alt_text(chart) == expected


def test_a_theme_slide_compares_each_group_with_the_same_group_in_the_reference(default_data):
    """Issue 20: förvärvsfrekvens for inrikes and utrikes födda in Skäggetorp against övriga Linköping, in the deck."""
    slides = deck(default_data, ["Skäggetorp"], ["arbete"], REF, 2020, TODAY, version=1)
    slide = next(s for s in slides if s.kind == THEME_SLIDE)
    cards = dict(status_picture(default_data, "Skäggetorp", REF, 2020).themes)["arbete"]
    employment = next(c for c in cards if c.indicator == "forvarvsfrekvens")
    assert [g.group for g in employment.groups] == ["Inrikes födda", "Utrikes födda"]
    at = slide.bullets.index(employment.sentence)
    assert slide.bullets[at + 1 : at + 3] == tuple(g.sentence for g in employment.groups)
    assert slide.bullets[at + 2].startswith("Bland utrikes födda i Skäggetorp")
    assert len(slide.bullets) == len(cards) + sum(len(c.groups) for c in cards)
    assert slide.is_example  # the group values are examples


# --- the map -----------------------------------------------------------------------------------------------------

BORDERS = "Linköpings kommun"


def with_boundaries(dataset, source: str | None = None):
    """The default data with boundaries for the focus areas, Lambohov (förvärvsfrekvens 80,0 % and områdestyp 4 in
    2024, from SCB) and Vallastaden (no values); source: every value's source replaced (no examples)."""
    areas = pd.concat(
        [dataset.areas, pd.DataFrame([{"name": a, "type": "Övrigt", "code": ""} for a in ("Lambohov", "Vallastaden")])]
    )
    added = [
        {"area": "Lambohov", "indicator": i, "year": 2024, "sex": "Totalt", "value": v, "source": "SCB"}
        for i, v in (("forvarvsfrekvens", 80.0), ("omradestyp", 4.0))
    ]
    observations = pd.concat([dataset.observations, pd.DataFrame(added)], ignore_index=True)
    if source is not None:
        observations = observations.assign(source=source)
    names = ["Berga", "Ryd", "Skäggetorp", "Lambohov", "Vallastaden"]
    bounds = pd.DataFrame(
        [{"area": a, "code": f"R{i}", "name": a, "geometry": box(i), "source": BORDERS} for i, a in enumerate(names)]
    )
    return dataset.with_table("areas", areas).with_table("observations", observations).with_table("boundaries", bounds)


@pytest.fixture(scope="module")
def mapped_data(default_data):
    """The default data with five boundaries (see with_boundaries)."""
    return with_boundaries(default_data)


def test_with_boundaries_the_deck_gets_a_map_slide_after_the_title(default_data, mapped_data):
    plain = deck(default_data, ["Berga", "Ryd"], ["arbete"], REF, 2020, TODAY, version=1)
    slides = deck(mapped_data, ["Berga", "Ryd"], ["arbete"], REF, 2020, TODAY, version=1)
    assert [s.kind for s in slides] == [TITLE_SLIDE, MAP_SLIDE, *(s.kind for s in plain[1:])]
    assert slides[0] == plain[0] and slides[2:] == plain[1:]  # nothing else changes
    slide = slides[1]
    # The map page's default: the first mappable indicator in its latest year; four values, one class each.
    assert slide.title == "Karta: Förvärvsfrekvens 20–64 år"
    assert slide.subtitle == "År 2024 · Totalt · 4 klasser (kvantiler)"
    assert slide_label(2, slide) == "2. Karta: Förvärvsfrekvens 20–64 år"
    assert slide.notes == (
        f"Källa: SCB; Exempelvärde (fiktivt). Områdesgränser: {BORDERS}.",
        "Mörkare färg = större utmaning (högre värde är bättre).",
        MAP_EXAMPLE_NOTE,
    )
    assert slide.is_example and slide.chart is None and slide.bullets == ()
    # Klass only repeats Värde (one class per value) and no row has a comment: both columns are left out.
    assert slide.table.columns == ("Område", "Värde", f"Skillnad mot {REF}", "Källa", "Exempelvärde")
    assert slide.table.numeric == (False, True, True, False, False)
    example = "Exempelvärde (fiktivt)"
    assert slide.table.rows == (
        ("Berga", f"62,5{NB}%", f"-19,6{NB}procentenheter", example, "Ja"),
        ("Ryd", f"59,1{NB}%", f"-23,0{NB}procentenheter", example, "Ja"),
        ("Skäggetorp", f"55,3{NB}%", f"-26,8{NB}procentenheter", example, "Ja"),
        ("Lambohov", f"80,0{NB}%", f"-2,1{NB}procentenheter", "SCB", ""),
        ("Vallastaden", "Saknar värde", "", "", ""),
    )
    assert slide.map.highlight is None and slide.map.notes == slide.notes
    assert slide.map.alt == (
        f"Karta: Förvärvsfrekvens 20–64 år 2024, 5 områden med gräns. Mörkare färg = större utmaning (högre värde är "
        f"bättre). Klasser: 55,3{NB}% (1 område); 59,1{NB}% (1 område); 62,5{NB}% (1 område); 80,0{NB}% (1 område). "
        f"Värden: Berga 62,5{NB}% (exempelvärde); Ryd 59,1{NB}% (exempelvärde); Skäggetorp 55,3{NB}% (exempelvärde); "
        f"Lambohov 80,0{NB}%; Vallastaden saknar värde. Fokusområdena Berga, Ryd och Skäggetorp har svart kant."
    )
    assert table_lines(slide.table)[3] == (
        f"Lambohov – Värde: 80,0{NB}%; Skillnad mot {REF}: -2,1{NB}procentenheter; Källa: SCB"
    )


def test_the_deck_maps_the_chosen_indicator_and_marks_examples_only_when_there_are_some(mapped_data):
    chosen = indicator_map_selection(mapped_data, "ohalsotal")
    assert chosen == MapSelection("ohalsotal", 2024, "Totalt")
    slide = deck(mapped_data, ["Berga"], [], REF, 2020, TODAY, map_selection=chosen)[1]
    assert slide.title == "Karta: Ohälsotal" and slide.subtitle == "År 2024 · Totalt · 3 klasser (kvantiler)"
    assert slide.notes[1] == "Mörkare färg = större utmaning (lägre värde är bättre)."
    # A choice that cannot be drawn (KPI has no value for an area with a boundary) gives the default map.
    assert indicator_map_selection(mapped_data, "kpi") is None
    stale = MapSelection("kpi", 2024)
    assert deck(mapped_data, ["Berga"], [], REF, 2020, TODAY, map_selection=stale)[1].title == (
        "Karta: Förvärvsfrekvens 20–64 år"
    )
    real = with_boundaries(small_dataset(), source="SCB")
    slide = next(s for s in deck(real, ["Berga"], [], REF, 2020, TODAY) if s.kind == MAP_SLIDE)
    assert not slide.is_example and MAP_EXAMPLE_NOTE not in slide.notes and len(slide.notes) == 2
    assert slide.notes[0] == f"Källa: SCB. Områdesgränser: {BORDERS}."
    assert "Exempelvärde" not in slide.table.columns


def test_without_boundaries_there_is_no_map(default_data):
    slides = deck(
        default_data, ["Berga"], THEMES, REF, 2020, TODAY, map_selection=MapSelection("forvarvsfrekvens", 2024)
    )
    assert MAP_SLIDE not in {s.kind for s in slides} and len(slides) == 1 + 1 + 8 + 2
    assert all(s.map is None for s in attachment(default_data, "Berga", REF, 2020, TODAY).sections)


def test_the_attachment_maps_the_area_type_with_the_area_outlined(mapped_data):
    att = attachment(mapped_data, "Berga", REF, 2020, TODAY, version=1)
    assert [s.heading for s in att.sections][:4] == ["Områdesbeskrivning", "Karta", "Aktörer", "Befolkning"]
    section = att.sections[1]
    assert section.map.highlight == "Berga" and section.map.data.selection == MapSelection("omradestyp", 2024)
    assert [p.text for p in section.paragraphs] == [
        "Kartan visar områdestypen år 2024 i de 5 områden som har en gräns. Berga har tjock svart kant och de andra "
        "fokusområdena svart kant."
    ]
    # A category: Klass repeats Värde and there is no gap, so the table has neither.
    assert section.table.columns == ("Område", "Värde", "Källa", "Exempelvärde")
    assert section.table.numeric == (False, False, False, False)
    assert section.table.rows[2:] == (
        ("Skäggetorp", "1 – Områden med stora socioekonomiska utmaningar", "Exempelvärde (fiktivt)", "Ja"),
        ("Lambohov", "4 – Områden med goda socioekonomiska förutsättningar", "SCB", ""),
        ("Vallastaden", "Saknar värde", "", ""),
    )
    assert section.map.notes == (
        f"Källa: SCB; Exempelvärde (fiktivt). Områdesgränser: {BORDERS}.",
        "Färgen visar kategorin; den säger inget om bättre eller sämre.",
        MAP_EXAMPLE_NOTE,
    )
    assert section.map.alt.startswith("Karta: Områdestyp 2024, 5 områden med gräns. Färgen visar kategorin;")
    assert section.map.alt.endswith(
        "Fokusområdena Berga, Ryd och Skäggetorp har svart kant. Berga har tjock svart kant."
    )
    assert "Kategorier: 1 – Områden med stora socioekonomiska utmaningar (1 område); 2 – " in section.map.alt


def test_the_map_section_of_other_areas(mapped_data):
    def karta(area: str):
        return next((s for s in attachment(mapped_data, area, REF, 2020, TODAY).sections if s.map), None)

    lambohov = karta("Lambohov")
    assert lambohov.map.highlight == "Lambohov"
    assert lambohov.paragraphs[0].text.endswith("Lambohov har tjock svart kant och fokusområdena svart kant.")
    assert (
        karta("Vallastaden")
        .paragraphs[0]
        .text.endswith(
            "Vallastaden har tjock svart kant och fokusområdena svart kant. Vallastaden saknar värde 2024 (grå yta)."
        )
    )
    city = karta("Linköping")  # the municipality: the whole map, nothing singled out
    assert city.map.highlight is None and city.paragraphs[0].text.endswith("en gräns. Fokusområdena har svart kant.")
    assert karta("Norrköping") is None and karta(REF) is None  # no boundary, not the city
    chosen = attachment(mapped_data, "Berga", REF, 2020, TODAY, map_selection=MapSelection("forvarvsfrekvens", 2024))
    assert chosen.sections[1].map.data.selection.indicator == "forvarvsfrekvens"
