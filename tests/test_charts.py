"""The plotly figure builders: colours, values, Swedish formatting, gaps and example marking."""

from __future__ import annotations

import math
import re
from datetime import date
from functools import partial
from xml.etree import ElementTree

import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis.core.formatting import NBSP
from analysis.core.model import EXAMPLE_SOURCE
from analysis.core.palette import AreaStyle, area_styles
from analysis.render import charts
from analysis.render.charts import (
    ALT_MAX_VALUES,
    bar_figure,
    chart_figure,
    figure_alt_text,
    figure_table,
    gap_figure,
    index_figure,
    sex_figure,
    sparkline_svg,
    time_series_figure,
)
from analysis.render.followup_figures import status_by_figure, timeline_figure
from analysis.viewmodels.slides import LINE, STACKED, ChartData, ChartSeries

AREAS = pd.DataFrame(
    [
        {"name": "Berga", "type": "Fokusområde"},
        {"name": "Linköping", "type": "Kommun"},
        {"name": "Skäggetorp", "type": "Fokusområde"},
        {"name": "Övriga Linköping", "type": "Jämförelse"},
        {"name": "Lambohov", "type": "Övrigt"},
        {"name": "Riket", "type": "Riket"},
    ]
)
PCT = {"name": "Förvärvsfrekvens", "unit": "procent", "decimals": 1, "direction": "Högre är bättre"}
KR = {"name": "Medianinkomst", "unit": "kronor", "decimals": 0, "direction": "Högre är bättre"}
NOTE = "Ofyllda punkter är exempelvärden (fiktiva)."


@pytest.fixture
def styles() -> dict[str, AreaStyle]:
    """The styles of the tiny areas table."""
    return area_styles(AREAS)


def obs_frame(source: str = "SCB") -> pd.DataFrame:
    """Three years for two focus areas and the reference; Berga lacks 2022 (NaN row)."""
    rows = [
        ("Berga", 2021, 48.0),
        ("Berga", 2022, math.nan),
        ("Berga", 2023, 50.1),
        ("Skäggetorp", 2021, 51.0),
        ("Skäggetorp", 2022, 51.7),
        ("Skäggetorp", 2023, 52.3),
        ("Övriga Linköping", 2021, 80.0),
        ("Övriga Linköping", 2022, 80.5),
        ("Övriga Linköping", 2023, 81.2),
    ]
    return pd.DataFrame([{"area": a, "year": y, "value": v, "source": source} for a, y, v in rows])


def annotation_texts(fig: go.Figure) -> list[str]:
    """All annotation texts of a figure."""
    return [a.text for a in fig.layout.annotations]


def as_floats(values) -> list[float]:
    """A plotly array as floats with NaN for gaps (None or NaN)."""
    return [math.nan if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]


def same(a, b) -> bool:
    """Equal float lists where NaN equals NaN."""
    return len(a) == len(b) and all((math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(a, b))


def test_styles_differ_in_dash_and_symbol(styles):
    assert styles["Berga"] == AreaStyle("#0072B2", "solid", "circle", "Fokusområde")
    assert styles["Skäggetorp"].symbol == "square"
    assert (styles["Övriga Linköping"].dash, styles["Övriga Linköping"].symbol) == ("dash", "star")
    assert (styles["Linköping"].dash, styles["Linköping"].symbol) == ("dot", "triangle-down")
    assert (styles["Riket"].dash, styles["Riket"].symbol) == ("dashdot", "hexagon")
    assert (styles["Lambohov"].dash, styles["Lambohov"].symbol) == ("solid", "circle")
    symbols = [s.symbol for s in styles.values() if s.area_type != "Övrigt"]
    assert len(set(symbols)) == len(symbols)


# --- time series --------------------------------------------------------------------------------


def test_time_series_traces_equal_input_with_gaps(styles):
    fig = time_series_figure(obs_frame(), PCT, styles)
    assert [t.name for t in fig.data] == ["Berga", "Skäggetorp", "Övriga Linköping"]
    berga, skagg, ref = fig.data
    assert list(berga.x) == [2021, 2022, 2023]
    assert same(as_floats(berga.y), [48.0, math.nan, 50.1])
    assert same(as_floats(skagg.y), [51.0, 51.7, 52.3])
    assert all(t.connectgaps is False for t in fig.data)
    assert berga.line.color == "#0072B2" and ref.line.color == "#000000" and ref.line.dash == "dash"
    assert ref.marker.symbol == ("star", "star", "star")


def test_time_series_never_plots_a_missing_value_as_zero(styles):
    fig = time_series_figure(obs_frame(), PCT, styles)
    assert 0 not in as_floats(fig.data[0].y)


def test_absent_year_breaks_the_line(styles):
    obs = obs_frame()
    obs = obs[~((obs["area"] == "Berga") & (obs["year"] == 2022))]
    berga = time_series_figure(obs, PCT, styles).data[0]
    assert list(berga.x) == [2021, 2022, 2023]
    assert same(as_floats(berga.y), [48.0, math.nan, 50.1])


def test_election_years_are_not_broken(styles):
    obs = pd.DataFrame({"area": "Berga", "year": [2014, 2018, 2022], "value": [60.0, 62.0, 58.5], "source": "SCB"})
    trace = time_series_figure(obs, PCT, styles).data[0]
    assert list(trace.x) == [2014, 2018, 2022]


def test_hover_text_is_swedish_with_unit(styles):
    fig = time_series_figure(obs_frame(), PCT, styles)
    skagg = fig.data[1]
    assert skagg.hovertemplate == "%{text}<extra></extra>"
    assert skagg.text[-1] == f"Skäggetorp 2023: 52,3{NBSP}%"
    assert f"52,3{NBSP}%" in skagg.text[-1]


def test_layout_is_swedish_and_readable(styles):
    fig = time_series_figure(obs_frame(), PCT, styles, title="Titel", height=500)
    assert fig.layout.separators == ", "
    assert fig.layout.font.size == 16
    assert fig.layout.title.font.size == 20
    assert fig.layout.title.text == "Titel"
    assert fig.layout.height == 500
    assert fig.layout.yaxis.title.text == "Procent"
    assert fig.layout.xaxis.tickformat == "d"
    assert fig.layout.xaxis.dtick == 1


def test_default_title_is_the_indicator_name(styles):
    assert time_series_figure(obs_frame(), PCT, styles).layout.title.text == "Förvärvsfrekvens"


def test_long_series_get_whole_year_ticks(styles):
    obs = pd.DataFrame({"area": "Berga", "year": range(2000, 2024), "value": 1.0, "source": "SCB"})
    xaxis = time_series_figure(obs, PCT, styles).layout.xaxis
    assert xaxis.dtick == 3 and xaxis.tickformat == "d"


def test_direct_labels_at_last_point_in_line_colour(styles):
    fig = time_series_figure(obs_frame(), PCT, styles)
    labels = {a.text: a for a in fig.layout.annotations if a.text in {"Berga", "Skäggetorp", "Övriga Linköping"}}
    assert set(labels) == {"Berga", "Skäggetorp", "Övriga Linköping"}
    assert labels["Berga"].x == 2023 and labels["Berga"].font.color == "#0072B2"
    # Skäggetorp's dark orange line has 3,5:1 on white, too little for text (4,5:1): its label is written in ink.
    assert styles["Skäggetorp"].colour == "#B87F00" and labels["Skäggetorp"].font.color == "#333333"
    assert labels["Övriga Linköping"].y == pytest.approx(81.2, abs=1.0)
    assert fig.layout.showlegend is True


def test_close_direct_labels_do_not_overlap(styles):
    obs = pd.DataFrame(
        {
            "area": ["Berga", "Skäggetorp", "Övriga Linköping"] * 2,
            "year": [2022] * 3 + [2023] * 3,
            "value": [10.0, 10.0, 90.0, 50.0, 50.1, 90.0],
            "source": "SCB",
        }
    )
    fig = time_series_figure(obs, PCT, styles)
    ys = {a.text: a.y for a in fig.layout.annotations}
    assert abs(ys["Berga"] - ys["Skäggetorp"]) > 2


def test_example_note_and_open_markers_only_for_examples(styles):
    real = time_series_figure(obs_frame("SCB"), PCT, styles)
    assert NOTE not in annotation_texts(real)
    assert real.data[1].marker.symbol == ("square", "square", "square")

    obs = obs_frame("SCB")
    obs.loc[(obs["area"] == "Skäggetorp") & (obs["year"] == 2023), "source"] = EXAMPLE_SOURCE
    mixed = time_series_figure(obs, PCT, styles)
    assert NOTE in annotation_texts(mixed)
    assert mixed.data[1].marker.symbol == ("square", "square", "square-open")
    assert mixed.data[1].text[-1].endswith("(exempelvärde)")
    assert mixed.data[0].marker.symbol == ("circle", "circle", "circle")


def test_example_on_a_missing_value_does_not_count(styles):
    obs = obs_frame("SCB")
    obs.loc[(obs["area"] == "Berga") & (obs["year"] == 2022), "source"] = EXAMPLE_SOURCE
    assert NOTE not in annotation_texts(time_series_figure(obs, PCT, styles))


def test_baseline_line_only_when_in_range(styles):
    inside = time_series_figure(obs_frame(), PCT, styles, baseline_year=2022)
    assert "Basår 2022" in annotation_texts(inside)
    assert any(s.x0 == 2022 and s.line.dash == "dot" for s in inside.layout.shapes)
    outside = time_series_figure(obs_frame(), PCT, styles, baseline_year=2015)
    assert not any(t.startswith("Basår") for t in annotation_texts(outside))
    assert len(outside.layout.shapes) == 0
    assert len(time_series_figure(obs_frame(), PCT, styles).layout.shapes) == 0


@pytest.mark.parametrize(
    "breaks, marked",
    [
        ("2022: RAMS ersattes av BAS", [2022]),
        ("2023: a; 2022: b", [2022, 2023]),
        ("2021: first plotted year", []),  # nothing plotted before it: no break inside the chart
        ("2024: after the last year", []),
        ("", []),
        ("inte ett avbrott", []),  # unreadable cells are stopped at import; a chart never fails on one
    ],
)
def test_series_breaks_are_marked_between_the_years_inside_the_chart(styles, breaks, marked):
    for figure in (time_series_figure, partial(gap_figure, reference="Övriga Linköping")):
        frame = obs_frame().rename(columns={"value": "gap"}) if figure is not time_series_figure else obs_frame()
        fig = figure(frame, {**PCT, "breaks": breaks}, styles)
        lines = [s.x0 for s in fig.layout.shapes if s.line.dash == "dash" and s.xref == "x"]
        assert lines == [year - 0.5 for year in marked]
        assert [t for t in annotation_texts(fig) if t.startswith("Serieavbrott")] == [
            f"Serieavbrott {year}" for year in marked
        ]


def test_area_without_values_is_listed_not_drawn_as_zero(styles):
    obs = pd.concat(
        [obs_frame(), pd.DataFrame([{"area": "Linköping", "year": 2023, "value": math.nan, "source": "SCB"}])]
    )
    fig = time_series_figure(obs, PCT, styles)
    assert "Saknas: Linköping" in annotation_texts(fig)
    assert as_floats(fig.data[-1].y) != [0.0]


def test_unknown_area_gets_a_grey_fallback(styles):
    obs = pd.DataFrame({"area": "Okänt", "year": [2022, 2023], "value": [1.0, 2.0], "source": "SCB"})
    assert time_series_figure(obs, PCT, styles).data[0].line.color == "#8C8C8C"


# --- gap and index ------------------------------------------------------------------------------


def gap_frame() -> pd.DataFrame:
    """Gaps of two focus areas in two years."""
    return pd.DataFrame(
        {
            "area": ["Berga", "Berga", "Skäggetorp", "Skäggetorp"],
            "year": [2022, 2023] * 2,
            "gap": [-30.0, -31.1, -28.8, -28.9],
        }
    )


def test_gap_figure_units_and_zero_line(styles):
    pct = gap_figure(gap_frame(), PCT, styles, "Övriga Linköping")
    assert pct.layout.yaxis.title.text.replace("<br>", " ") == "Skillnad mot Övriga Linköping (procentenheter)"
    assert "= Övriga Linköping" in annotation_texts(pct)
    assert any(s.y0 == 0 and s.y1 == 0 for s in pct.layout.shapes)
    assert same(as_floats(pct.data[0].y), [-30.0, -31.1])
    assert pct.data[0].text[-1] == f"Berga 2023: -31,1{NBSP}procentenheter"
    kr = gap_figure(gap_frame(), KR, styles, "Övriga Linköping")
    assert kr.layout.yaxis.title.text.replace("<br>", " ") == "Skillnad mot Övriga Linköping (procent)"
    assert kr.data[0].text[-1] == f"Berga 2023: -31{NBSP}procent"


def test_positive_gap_has_a_plus_sign(styles):
    gaps = pd.DataFrame({"area": ["Berga"], "year": [2023], "gap": [2.5]})
    assert gap_figure(gaps, PCT, styles, "X").data[0].text[0] == f"Berga 2023: +2,5{NBSP}procentenheter"


def test_index_figure_has_a_hundred_line(styles):
    index = pd.DataFrame({"area": ["Berga", "Berga"], "year": [2022, 2023], "index": [62.5, 61.7]})
    fig = index_figure(index, PCT, styles, "Övriga Linköping")
    assert "Övriga Linköping = 100" in annotation_texts(fig)
    assert any(s.y0 == 100 for s in fig.layout.shapes)
    assert same(as_floats(fig.data[0].y), [62.5, 61.7])
    assert fig.data[0].text[-1] == "Berga 2023: 62 (Övriga Linköping = 100)"
    assert fig.layout.separators == ", "


# --- bars ---------------------------------------------------------------------------------------


def bar_values() -> pd.DataFrame:
    """Kronor values for one year, one missing."""
    return pd.DataFrame(
        {
            "area": ["Berga", "Övriga Linköping", "Skäggetorp", "Linköping", "Riket"],
            "value": [1234.0, 3000.0, 900.0, 2500.0, math.nan],
            "source": "SCB",
        }
    )


def test_bar_figure_sorted_highlighted_and_labelled(styles):
    fig = bar_figure(bar_values(), KR, styles, year=2023)
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == ["Övriga Linköping", "Linköping", "Berga", "Skäggetorp"]
    assert list(bar.x) == [3000.0, 2500.0, 1234.0, 900.0]
    assert fig.layout.yaxis.autorange == "reversed"  # first = top
    assert list(bar.marker.color) == ["#C8C8C8", "#C8C8C8", "#0072B2", "#B87F00"]
    # The light-grey bars (1,7:1 on white) get a grey outline (4,3:1); the coloured ones need none.
    assert list(bar.marker.line.color[:2]) == ["#7A7A7A", "#7A7A7A"] and list(bar.marker.line.width) == [1, 1, 0, 0]
    assert bar.text[2] == f"1{NBSP}234{NBSP}kr"
    assert "Saknas: Riket" in annotation_texts(fig)
    assert fig.layout.title.text == "Medianinkomst 2023"
    assert fig.layout.xaxis.title.text == "Kronor"
    assert fig.layout.separators == ", "


def test_bar_figure_explicit_highlight(styles):
    fig = bar_figure(bar_values(), KR, styles, year=2023, highlight=["Övriga Linköping"])
    assert list(fig.data[0].marker.color) == ["#000000", "#C8C8C8", "#C8C8C8", "#C8C8C8"]


def test_bar_figure_marks_examples_hollow(styles):
    values = bar_values()
    values.loc[0, "source"] = EXAMPLE_SOURCE
    fig = bar_figure(values, KR, styles, year=2023)
    assert "Ofyllda staplar är exempelvärden (fiktiva)." in annotation_texts(fig)
    assert fig.data[0].marker.color[2] == "white"
    assert fig.data[0].marker.line.color[2] == "#0072B2"
    assert "Ofyllda staplar är exempelvärden (fiktiva)." not in annotation_texts(
        bar_figure(bar_values(), KR, styles, year=2023)
    )


def test_bar_height_grows_with_areas(styles):
    small = bar_figure(bar_values(), KR, styles, year=2023)
    many = pd.DataFrame({"area": [f"Område {i}" for i in range(300)], "value": range(300), "source": "SCB"})
    big = bar_figure(many, KR, styles, year=2023)
    assert big.layout.height >= 28 * 300
    assert big.layout.height > small.layout.height
    assert bar_figure(bar_values(), KR, styles, year=2023, height=333).layout.height == 333


# --- sex ----------------------------------------------------------------------------------------


def test_sex_figure_two_traces_with_values():
    obs = pd.DataFrame(
        {
            "area": ["Berga", "Berga", "Berga", "Skäggetorp", "Skäggetorp"],
            "sex": ["Kvinnor", "Män", "Totalt", "Kvinnor", "Män"],
            "value": [45.5, 55.0, 50.1, 48.0, math.nan],
            "source": "SCB",
        }
    )
    fig = sex_figure(obs, PCT, year=2023)
    assert [t.name for t in fig.data] == ["Kvinnor", "Män"]
    women, men = fig.data
    assert list(women.x) == ["Berga", "Skäggetorp"]
    assert same(as_floats(women.y), [45.5, 48.0])
    assert same(as_floats(men.y), [55.0, math.nan])
    assert list(women.marker.color) == ["#CC79A7", "#CC79A7"]
    assert list(men.marker.color) == ["#009E73", "#009E73"]
    assert women.marker.pattern.shape == "" and men.marker.pattern.shape == "/"
    assert women.text[0] == f"45,5{NBSP}%"
    assert fig.layout.barmode == "group"
    assert "Saknas: Skäggetorp (män)" in annotation_texts(fig)
    assert fig.layout.separators == ", "


# --- sparkline ----------------------------------------------------------------------------------


def test_sparkline_is_a_small_svg_with_a_gap_and_the_last_value_marked():
    # Years 2020-2023 padded by 0.3 -> x range 2019.7..2023.3 (3.6 years over 180 px: 50 px per year).
    # Values 1..4 padded by 0.36 -> y range 0.64..4.36 (3.72 over 60 px).
    values = pd.Series([1.0, math.nan, 3.0, 4.0], index=[2020, 2021, 2022, 2023])
    svg = sparkline_svg(values, "#0072B2")
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert (root.get("width"), root.get("height")) == ("180", "60")
    lines = [p.get("points") for p in root.iter(f"{ns}polyline")]
    y = lambda v: 60 - (v - 0.64) / 3.72 * 60  # noqa: E731
    assert lines == [f"15.0,{y(1.0):.1f}", f"115.0,{y(3.0):.1f} 165.0,{y(4.0):.1f}"]  # the missing 2021 breaks it
    (dot,) = root.iter(f"{ns}circle")
    assert (dot.get("cx"), dot.get("cy"), dot.get("fill")) == ("165.0", f"{y(4.0):.1f}", "#0072B2")


def test_sparkline_marks_the_last_year_with_a_value_and_survives_odd_input():
    values = pd.Series([2.0, 2.0, math.nan], index=[2020, 2021, 2022])
    root = ElementTree.fromstring(sparkline_svg(values, '"><script>x</script>'))
    ns = "{http://www.w3.org/2000/svg}"
    (dot,) = root.iter(f"{ns}circle")
    assert dot.get("cx") == f"{(2021 - 2019.7) / 2.6 * 180:.1f}" and dot.get("cy") == "30.0"  # flat: padded by 1
    assert dot.get("fill") == '"><script>x</script>'  # an attribute value, never markup
    assert not list(root.iter("script")) and not list(root.iter(f"{ns}script"))
    empty = ElementTree.fromstring(sparkline_svg(pd.Series([math.nan], index=[2020]), "#000"))
    assert list(empty) == []


# --- tables -------------------------------------------------------------------------------------


def test_figure_table_headers_and_formatting():
    table = figure_table(obs_frame(), PCT, {"value": "Värde"})
    assert list(table.columns) == ["Område", "År", "Värde", "Källa"]
    row = table.iloc[5]
    assert (row["Område"], row["År"], row["Värde"], row["Källa"]) == ("Skäggetorp", "2023", f"52,3{NBSP}%", "SCB")
    assert table.iloc[1]["Värde"] == "–"


def test_figure_table_of_full_observations_shows_sex_and_notes_only_when_informative():
    obs = obs_frame().assign(indicator="forvarvsfrekvens", sex="Totalt", note="")
    assert list(figure_table(obs, PCT, {"value": "Värde"}).columns) == ["Område", "År", "Värde", "Källa"]
    obs.loc[0, "sex"], obs.loc[1, "note"] = "Kvinnor", "Ny definition"
    table = figure_table(obs, PCT, {"value": "Värde"})
    assert list(table.columns) == ["Område", "År", "Grupp", "Värde", "Källa", "Kommentar"]
    assert table.iloc[1]["Kommentar"] == "Ny definition"


def test_figure_table_for_gaps_and_money():
    gaps = figure_table(gap_frame(), PCT, {"gap": "Skillnad"})
    assert list(gaps.columns) == ["Område", "År", "Skillnad"]
    assert gaps.iloc[0]["Skillnad"] == f"-30,0{NBSP}procentenheter"
    money = figure_table(bar_values(), KR, {"value": "Medianinkomst"})
    assert money.iloc[0]["Medianinkomst"] == f"1{NBSP}234{NBSP}kr"


def test_module_has_no_streamlit():
    assert "streamlit" not in charts.__dict__


# --- text from the data is inert in plotly --------------------------------------------------------------------------

HOSTILE = '<a href="http://evil.invalid/x">klick</a><b>fet</b>'
ESCAPED = '&lt;a href="http://evil.invalid/x"&gt;klick&lt;/a&gt;&lt;b&gt;fet&lt;/b&gt;'
# An area without values: its name is in the 'Saknas: …' note, which is wrapped into lines.
EMPTY = "<i>tom</i> & <span style='color:red'>röd</span>"
HOSTILE_AREAS = pd.DataFrame(
    [
        {"name": HOSTILE, "type": "Fokusområde"},
        {"name": "Ryd", "type": "Fokusområde"},
        {"name": EMPTY, "type": "Fokusområde"},
        {"name": "Övriga Linköping", "type": "Jämförelse"},
    ]
)
HOSTILE_PCT = {**PCT, "name": HOSTILE}
OUR_TAGS = re.compile(r"</?(?:br|b|extra)>")  # the markup the builders write themselves


def figure_strings(node: object, path: str = "") -> list[tuple[str, str]]:
    """Every string anywhere in a figure's dict (data and layout) with its path ('layout.yaxis.ticktext[0]')."""
    if isinstance(node, str):
        return [(path, node)]
    if isinstance(node, dict):
        return [item for key, value in node.items() for item in figure_strings(value, f"{path}.{key}".lstrip("."))]
    if hasattr(node, "tolist") and not isinstance(node, (int, float)):
        node = node.tolist()
    if isinstance(node, (list, tuple)):
        return [item for i, value in enumerate(node) for item in figure_strings(value, f"{path}[{i}]")]
    return []


def raw_markup(fig: go.Figure | dict) -> list[str]:
    """Strings of the figure in which plotly would find markup from the data (tags but ours, the data's <b>fet)."""
    found = []
    for path, text in figure_strings(fig.to_dict() if isinstance(fig, go.Figure) else fig):
        if re.search(r"<|>", OUR_TAGS.sub("", text)) or "<b>fet" in text or "&amp;lt;" in text:
            found.append(f"{path}: {text}")
    return found


def escaped_at(fig: go.Figure, text: str = ESCAPED) -> set[str]:
    """The paths, without list indices, of the figure's strings that hold the escaped text."""
    return {re.sub(r"\[\d+\]", "", path) for path, s in figure_strings(fig.to_dict()) if text in s}


def hostile_obs() -> pd.DataFrame:
    """Three years for the hostile area, Ryd and the reference; the area EMPTY has no value."""
    frame = obs_frame().replace({"Berga": HOSTILE, "Skäggetorp": "Ryd"})
    return pd.concat([frame, pd.DataFrame([{"area": EMPTY, "year": 2023, "value": math.nan, "source": "SCB"}])])


@pytest.fixture
def hostile_styles() -> dict[str, AreaStyle]:
    """The styles of the areas with hostile names."""
    return area_styles(HOSTILE_AREAS)


def test_the_walk_finds_raw_markup_anywhere_in_a_figure(monkeypatch, hostile_styles):
    # Nested in lists and dicts, in data and layout; our own <br>, <b> and <extra> are fine.
    assert raw_markup({"layout": {"yaxis": {"ticktext": ["Ryd", f"x<br>{HOSTILE}"]}}}) != []
    assert raw_markup({"data": [{"hovertext": ["Ryd", "<b>fet</b>"]}]}) != []  # the data's bold, though <b> is ours
    assert raw_markup({"layout": {"title": {"text": "&amp;lt;b&amp;gt;"}}}) != []  # escaped twice
    assert (
        raw_markup(
            go.Figure(
                go.Bar(
                    y=["a"],
                    x=[1],
                    name=f"<b>{ESCAPED}</b>",
                    hovertemplate="%{x}<extra></extra>",
                    hovertext=["rad<br>rad"],
                )
            )
        )
        == []
    )
    # And in a real builder's figure, when the data is not escaped.
    monkeypatch.setattr(charts, "plotly_text", str)
    found = raw_markup(time_series_figure(hostile_obs(), HOSTILE_PCT, hostile_styles, baseline_year=2021))
    assert any(f.startswith("layout.title.text") for f in found) and any(f.startswith("data[0].name") for f in found)


def test_line_figures_show_names_from_the_data_as_text(hostile_styles):
    obs = hostile_obs()
    fig = time_series_figure(obs, HOSTILE_PCT, hostile_styles, baseline_year=2022)
    assert raw_markup(fig) == []
    assert fig.layout.title.text == ESCAPED and fig.data[0].name == ESCAPED
    assert {"layout.title.text", "data.name", "data.text", "layout.annotations.text"} <= escaped_at(fig)
    assert fig.data[0].text[0] == f"{ESCAPED} 2021: 48,0{NBSP}%"  # hover text
    assert f"Saknas: {charts.plotly_text(EMPTY)}" in annotation_texts(fig)
    gaps = obs.rename(columns={"value": "gap"}).assign(index=100.0)
    for fig in (
        gap_figure(gaps, HOSTILE_PCT, hostile_styles, HOSTILE),
        index_figure(gaps, HOSTILE_PCT, hostile_styles, HOSTILE),
    ):
        assert raw_markup(fig) == []
        assert {
            "layout.title.text",
            "layout.yaxis.title.text",
            "data.name",
            "data.text",
            "layout.annotations.text",
        } <= escaped_at(fig)
        assert "<br>" in fig.layout.yaxis.title.text  # our own line break still works
    assert fig.data[0].text[0] == f"{ESCAPED} 2021: 100 ({ESCAPED} = 100)"


def test_a_unit_outside_the_vocabulary_is_text_in_axis_titles(hostile_styles):
    # The import allows known units only; the charts do not rely on it (axis_title capitalises an unknown unit).
    meta, obs = {**HOSTILE_PCT, "unit": HOSTILE}, hostile_obs()
    sexes = obs.assign(sex="Kvinnor")
    for fig in (
        time_series_figure(obs, meta, hostile_styles),
        bar_figure(obs, meta, hostile_styles, year=2023),
        sex_figure(sexes, meta, year=2023),
    ):
        assert raw_markup(fig) == []
    assert fig.layout.yaxis.title.text == ESCAPED


def test_explorer_titles_are_escaped_once(hostile_styles):
    title = f"{HOSTILE} – skillnad mot R&D"  # as explore.chart_title builds it: plain text
    fig = time_series_figure(hostile_obs(), HOSTILE_PCT, hostile_styles, title=title)
    assert fig.layout.title.text == f"{ESCAPED} – skillnad mot R&amp;D"


def test_bar_figures_escape_the_categories_and_keep_their_order(hostile_styles):
    values = hostile_obs().query("year == 2023")
    fig = bar_figure(values, HOSTILE_PCT, hostile_styles, year=2023)
    assert raw_markup(fig) == []
    bar, axis = fig.data[0], fig.layout.yaxis
    # Largest first, the bars, order and ticks all on the escaped names, so every bar has its tick.
    assert list(bar.y) == ["Övriga Linköping", "Ryd", ESCAPED] == list(axis.categoryarray) == list(axis.tickvals)
    assert list(axis.ticktext) == ["Övriga Linköping", "<b>Ryd</b>", f"<b>{ESCAPED}</b>"]  # focus areas bold
    assert bar.hovertext[2] == f"{ESCAPED} 2023: 50,1{NBSP}%"
    assert fig.layout.title.text == f"{ESCAPED} 2023"
    assert annotation_texts(fig)[0] == f"Saknas: {charts.plotly_text(EMPTY)}"
    sexes = pd.DataFrame(
        {
            "area": [HOSTILE, HOSTILE, "Ryd", "Ryd"],
            "sex": ["Kvinnor", "Män"] * 2,
            "value": [45.5, 55.0, 48.0, math.nan],
            "source": "SCB",
        }
    )
    fig = sex_figure(sexes, HOSTILE_PCT, year=2023)
    assert raw_markup(fig) == []
    assert list(fig.data[0].x) == [ESCAPED, "Ryd"] == list(fig.data[1].x)
    assert {"layout.title.text", "data.x", "data.hovertext"} <= escaped_at(fig)


def test_follow_up_figures_show_actions_departments_and_areas_as_text():
    table = pd.DataFrame({"Pågår": [2, 1], "Totalt": [2, 1]}, index=[HOSTILE, "Ryd"])
    fig = status_by_figure(table, f"Åtgärder per {HOSTILE}")
    assert raw_markup(fig) == []
    assert list(fig.data[0].y) == [ESCAPED, "Ryd"] == list(fig.layout.yaxis.categoryarray)
    assert [a.y for a in fig.layout.annotations] == [ESCAPED, "Ryd"]  # the totals at their bars
    assert {"layout.title.text", "data.hovertext"} <= escaped_at(fig)
    register = pd.DataFrame(
        [
            {
                "id": "A1",
                "title": HOSTILE,
                "start": "2024-01-01",
                "end": "2027-12-31",
                "status": "Pågår",
                "derived": False,
            },
            {"id": f"B{HOSTILE}", "title": "Utan datum", "start": "", "end": "", "status": "Pågår", "derived": False},
        ]
    )
    fig = timeline_figure(register, date(2026, 1, 1))
    assert raw_markup(fig) == []
    # The label is cut to 48 characters (with …) before it is escaped; the hover text has all of it.
    label = '&lt;a href="http://evil.invalid/x"&gt;klick&lt;/a&gt;&lt;b&gt;…'
    assert list(fig.data[0].y) == [f"A1 {label}"] == list(fig.layout.yaxis.categoryarray)
    assert fig.data[0].hovertext[0].startswith(f"A1 {ESCAPED}<br>2024-01-01 – 2027-12-31<br>")
    assert any(f"B{ESCAPED}" in t for t in annotation_texts(fig))  # 'Saknar start- eller slutdatum: …'


def test_long_names_are_cut_and_wrapped_before_they_are_escaped():
    name = "<" * 200  # an entity cut in half would show as '&l'
    register = pd.DataFrame(
        [{"id": "A1", "title": name, "start": "2024-01-01", "end": "2025-01-01", "status": "Pågår", "derived": False}]
    )
    label = timeline_figure(register, date(2026, 1, 1)).data[0].y[0]
    assert label.endswith("&lt;…") and label.count("&") == label.count("&lt;")
    note = charts.wrapped(f"Saknas: {name} {name}")
    lines = note.split("<br>")
    assert len(lines) > 2 and all(line.replace("&lt;", "").strip() in ("", "Saknas:") for line in lines)


def test_deck_charts_show_names_from_the_data_as_text():
    series = (ChartSeries(HOSTILE, (1.0, 2.0), "#0072B2"), ChartSeries("Ryd", (2.0, 3.0), "#B87F00"))
    line = chart_figure(
        ChartData(
            LINE,
            HOSTILE,
            ("2021", "2022"),
            series,
            "procent",
            1,
            HOSTILE,
            marker="2021",
            marker_label=f"Basår {HOSTILE}",
        )
    )
    assert raw_markup(line) == []
    assert {
        "layout.title.text",
        "layout.yaxis.title.text",
        "data.name",
        "data.text",
        "layout.annotations.text",
    } <= escaped_at(line)
    bars = chart_figure(ChartData(STACKED, "Gapet", (HOSTILE, "Ryd"), series, "antal", 0, "Antal"))
    assert raw_markup(bars) == []
    assert list(bars.data[0].x) == [ESCAPED, "Ryd"] and bars.data[0].hovertext[0] == f"{ESCAPED} {ESCAPED}: 1"
    # A line over categories that are not years: the baseline marker stands on the escaped category.
    cats = chart_figure(
        ChartData(LINE, "T", (HOSTILE, "Ryd"), series, "procent", 1, "Procent", marker=HOSTILE, marker_label="Basår")
    )
    assert raw_markup(cats) == [] and cats.layout.shapes[0].x0 == ESCAPED == cats.data[0].x[0]


# --- text alternatives ----------------------------------------------------------------------------------------------
def test_alt_text_of_a_line_chart_names_the_lines_the_period_and_the_last_values(styles):
    frame = obs_frame()
    # Skäggetorp's last year is missing: its latest value is the one of 2022.
    frame.loc[(frame["area"] == "Skäggetorp") & (frame["year"] == 2023), "value"] = math.nan
    assert figure_alt_text(time_series_figure(frame, PCT, styles)) == (
        "Linjediagram: Förvärvsfrekvens. Linjer: Berga, Skäggetorp, Övriga Linköping, 2021–2023. "
        f"Senaste värden: Berga 2023: 50,1{NBSP}%; Skäggetorp 2022: 51,7{NBSP}%; Övriga Linköping 2023: 81,2{NBSP}%. "
        "Alla värden finns i tabellen till diagrammet."
    )


def test_alt_text_marks_example_values_and_decodes_escaped_names(styles):
    frame = pd.DataFrame({"area": "<b>Område</b>", "year": [2022, 2023], "value": [1.0, 2.0], "source": "Exempel"})
    text = figure_alt_text(time_series_figure(frame, PCT, styles), title="Eget & namn")
    assert text.startswith("Linjediagram: Eget & namn. Linjer: <b>Område</b>, 2022–2023.")
    assert f"<b>Område</b> 2023: 2,0{NBSP}% (exempelvärde)" in text


def test_alt_text_of_a_bar_chart_reads_every_bar(styles):
    assert figure_alt_text(bar_figure(bar_values(), KR, styles, year=2023)) == (
        f"Stapeldiagram: Medianinkomst 2023. Värden: Övriga Linköping 2023: 3{NBSP}000{NBSP}kr; "
        f"Linköping 2023: 2{NBSP}500{NBSP}kr; Berga 2023: 1{NBSP}234{NBSP}kr; Skäggetorp 2023: 900{NBSP}kr. "
        "Alla värden finns i tabellen till diagrammet."
    )


def test_alt_text_of_many_bars_stops_at_the_limit(styles):
    names = [f"Område {i:02d}" for i in range(ALT_MAX_VALUES + 3)]
    frame = pd.DataFrame({"area": names, "value": [float(i) for i in range(len(names))], "source": "SCB"})
    text = figure_alt_text(bar_figure(frame, KR, styles, year=2023))
    assert text.count(f"{NBSP}kr") == ALT_MAX_VALUES
    assert " och 3 till. Alla värden finns i tabellen till diagrammet." in text


def test_sparkline_has_its_description_as_title():
    values = pd.Series([1.0, 2.0], index=[2020, 2021])
    root = ElementTree.fromstring(sparkline_svg(values, "#0072B2", description="Berga <&> 2020–2021"))
    assert root.get("role") == "img"
    assert root[0].tag.endswith("title") and root[0].text == "Berga <&> 2020–2021"
    assert not ElementTree.fromstring(sparkline_svg(values, "#0072B2")).findall("{http://www.w3.org/2000/svg}title")


def test_labels_inside_stacked_bars_are_black_or_white_by_the_bar():
    series = (ChartSeries("Minskad", (3.0,), "#0072B2"), ChartSeries("Ogynnsam", (2.0,), "#B87F00"))
    fig = chart_figure(ChartData(STACKED, "Omdömen", ("Berga",), series, "antal", 0, "Antal"))
    # White on blue (5,2:1), black on dark orange (6,1:1): Plotly's own choice gave 3,7:1 and 2,8:1 on such bars.
    assert [t.textfont.color for t in fig.data] == ["#FFFFFF", "#000000"]
    assert fig.layout.template.layout.modebar.color == "#595959"  # the toolbar's icons at 7:1
