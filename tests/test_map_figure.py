"""The map figure: classes in the legend, hatched examples, grey gaps, focus outlines, hover and the projection."""

from __future__ import annotations

import io
import math

import pandas as pd
import plotly.graph_objects as go
import pytest
import shapely
from PIL import Image

from analysis.core.palette import MAP_MISSING
from analysis.render.images import render_pngs
from analysis.render.map_figure import (
    EDGE,
    EXAMPLE_LEGEND,
    FOCUS_LEGEND,
    HIGHLIGHT_WIDTH,
    LEGEND_BELOW,
    LEGEND_RIGHT,
    export_size,
    legend_names,
    legend_width,
    map_alt_text,
    map_aspect,
    map_figure,
    ring_coordinates,
    shape_trace,
)
from analysis.viewmodels.map_view import MapSelection, map_data
from tests.test_map_view import box, mapped

NB = "\u00a0"


def test_rings_are_separated_so_each_part_fills_on_its_own():
    xs, ys = ring_coordinates([box(0), box(1)])
    assert xs.count(None) == 2 and len(xs) == 2 * 6  # a box ring has 5 points (closed), then None
    assert sorted(set(xs[:5])) == [15.55, 15.58] and xs[0] == xs[4] and xs[5] is None
    assert sorted({round(y, 6) for y in ys[6:11]}) == [58.38, 58.4]


SQUARE = [(0, 0), (10, 0), (10, 10), (0, 10)]
HOLE = [(3, 3), (3, 7), (7, 7), (7, 3)]
DONUT = shapely.to_geojson(shapely.Polygon(SQUARE[::-1], [HOLE[::-1]]))  # written with both rings the wrong way round
ENCLAVE = shapely.to_geojson(shapely.Polygon(HOLE))


def signed_area(xs: list, ys: list) -> float:
    """The shoelace area of one closed ring: positive when counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for x0, y0, x1, y1 in zip(xs, ys, xs[1:], ys[1:])) / 2


def test_holes_are_drawn_as_rings_turning_against_their_outer_ring():
    xs, ys = ring_coordinates([DONUT])
    assert xs.count(None) == 2
    assert signed_area(xs[:5], ys[:5]) == 100.0 and signed_area(xs[6:11], ys[6:11]) == -16.0


def square_map(*traces: tuple[str, str]) -> go.Figure:
    """A figure of shape traces (geometry, fill colour) on white, its axes spanning the 10 × 10 square edge to edge."""
    fig = go.Figure(
        [shape_trace([geometry], colour, dict(color=EDGE, width=0.5), fillcolor=colour) for geometry, colour in traces]
    )
    axis = dict(range=[0, 10], visible=False)
    fig.update_layout(margin=dict(l=0, r=0, t=0, b=0), xaxis=axis, yaxis=axis)
    fig.update_layout(plot_bgcolor="#FFFFFF", paper_bgcolor="#FFFFFF", showlegend=False)
    return fig


@pytest.mark.usefixtures("chromium")  # skips without Chromium; fails with SEGDASH_REQUIRE_BROWSER=1
def test_a_hole_stays_open_so_an_enclave_drawn_before_its_surroundings_shows():
    rendered = render_pngs([square_map((DONUT, "#0000FF")), square_map((ENCLAVE, "#FF0000"), (DONUT, "#0000FF"))])
    assert rendered.ok, rendered.problem
    alone, with_enclave = (Image.open(io.BytesIO(png)).convert("RGB") for png in rendered.images)
    w, h = alone.size  # the renderer's own image size; the axes fill it
    assert alone.getpixel((w // 2, h // 2)) == (255, 255, 255)  # the hole: background
    assert alone.getpixel((w // 8, h // 2)) == (0, 0, 255)  # the ring round it
    assert with_enclave.getpixel((w // 2, h // 2)) == (255, 0, 0)  # the enclave, not covered by the area around it


def test_the_map_has_a_legend_entry_per_class_and_marks_examples_gaps_and_focus_areas():
    data = map_data(mapped(), MapSelection("forv", 2024))
    fig = map_figure(data)
    legend = [t.name for t in fig.data if t.showlegend is not False and t.name]
    assert legend == [
        *(f"{v},0{NB}%" for v in (50, 55, 60, 80, 85)),
        "Saknar värde",
        EXAMPLE_LEGEND,
        FOCUS_LEGEND,
    ]
    hatched = [
        t for t in fig.data if t.fillpattern is not None and t.fillpattern.shape == "/" and t.showlegend is False
    ]
    assert len(hatched) == 1  # Berga, the example value, in its class colour under the hatching
    assert hatched[0].fillpattern.bgcolor == data.classes[2].colour
    grey = next(t for t in fig.data if t.name == "Saknar värde")
    assert grey.fillcolor == MAP_MISSING
    labels = next(t for t in fig.data if t.mode == "text")
    assert list(labels.text) == ["Berga*", "Ryd", "Skäggetorp"]
    hover = next(t for t in fig.data if t.mode == "markers")
    assert (
        "Skillnad mot Övriga Linköping: -22,0" in hover.hovertext[0] and "Exempelvärde (fiktivt)" in hover.hovertext[0]
    )
    assert fig.layout.yaxis.scaleanchor == "x"
    lat = sum(pd.Series([58.39, 58.41]).tolist()) / 2
    assert math.isclose(fig.layout.yaxis.scaleratio, 1 / math.cos(math.radians(lat)), rel_tol=0.01)
    assert fig.layout.xaxis.visible is False


def test_text_from_the_data_is_inert_in_the_hover():
    data = map_data(mapped(), MapSelection("forv", 2024))
    frame = data.frame.copy()
    frame.loc[1, "source"] = "<a href='x'>SCB</a>"
    fig = map_figure(type(data)(**{**data.__dict__, "frame": frame}))
    hover = next(t for t in fig.data if t.mode == "markers")
    assert "&lt;a href='x'&gt;SCB&lt;/a&gt;" in hover.hovertext[1]


def test_an_area_can_be_singled_out_with_a_thick_outline_and_a_bold_name():
    data = map_data(mapped(), MapSelection("forv", 2024))
    fig = map_figure(data, highlight="Lambohov")
    legend = [t.name for t in fig.data if t.showlegend is not False and t.name]
    assert legend[-2:] == [FOCUS_LEGEND, "Lambohov (tjock svart kant)"]
    thick = next(t for t in fig.data if t.name == "Lambohov (tjock svart kant)")
    assert thick.line.width == HIGHLIGHT_WIDTH > next(t for t in fig.data if t.name == FOCUS_LEGEND).line.width
    assert sorted({x for x in thick.x if x is not None}) == [15.55, 15.58]  # box 3: the grid's second row, first column
    labels = next(t for t in fig.data if t.mode == "text")
    # Lambohov is no focus area, but the singled-out area is named too, in bold; every name has a white halo.
    assert list(labels.text) == ["Berga*", "Ryd", "Skäggetorp", "<b>Lambohov</b>"]
    assert "#FFFFFF" in labels.textfont.shadow
    # An area without a boundary cannot be singled out: the map is as without one.
    assert len(map_figure(data, highlight="Tornby").data) == len(map_figure(data).data)


def test_for_the_documents_the_legend_stands_beside_or_below_and_the_notes_go_to_the_caption():
    data = map_data(mapped(), MapSelection("forv", 2024))
    assert [a.text for a in map_figure(data).layout.annotations][0].startswith("Mörkare färg")
    right = map_figure(data, height=364, title=False, legend=LEGEND_RIGHT, notes=False)
    assert not right.layout.annotations and right.layout.title.text == ""
    assert (right.layout.legend.orientation, right.layout.legend.x, right.layout.legend.xanchor) == ("v", 1.0, "left")
    assert right.layout.margin.r == legend_width(data) + 20
    below = map_figure(data, height=600, title=False, legend=LEGEND_BELOW, notes=False)
    assert (below.layout.legend.y, below.layout.legend.yanchor) == (0.0, "top")
    # Eight entries (five classes, no value, examples, focus areas) of 24 px under the map.
    assert legend_names(data) == [c.label for c in data.classes] + ["Saknar värde", EXAMPLE_LEGEND, FOCUS_LEGEND]
    assert below.layout.margin.b == 8 * 24 + 10
    # The axes reach just beyond the grid (15.55–15.64 × 58.38–58.42), without plotly's 5 % padding.
    assert below.layout.xaxis.range == pytest.approx((15.5491, 15.6409))
    assert below.layout.yaxis.range == pytest.approx((58.3796, 58.4204))


def test_the_export_size_fits_the_map_and_its_legend():
    data = map_data(mapped(), MapSelection("forv", 2024))
    # The grid is 0.09° × 0.04°: on screen 0.09 × cos(58.4°) = 0.0472 wide, so 0.848 as high as wide.
    assert map_aspect(data) == pytest.approx(0.04 / (0.09 * math.cos(math.radians(58.4))), rel=0.001)
    width, height = export_size(data, LEGEND_RIGHT, width=888, height=364)
    assert height == 364 and width == int((364 - 20) / map_aspect(data) + legend_width(data) + 40) < 888
    assert export_size(data, LEGEND_RIGHT, width=300, height=364) == (300, 364)
    width, height = export_size(data, LEGEND_BELOW, width=640, height=2000)
    assert width == 640 and height == int(620 * map_aspect(data) + 8 * 24 + 40)
    assert export_size(data, LEGEND_BELOW, width=640, height=500) == (640, 500)


def test_the_text_alternative_names_the_classes_the_focus_areas_and_the_gaps():
    # Tertiles of 50, 55, 60, 80, 85: positions 4/3 and 8/3 give 55 + 5/3 = 56,7 and 60 + 40/3 = 73,3.
    data = map_data(mapped(), MapSelection("forv", 2024, classes=3))
    assert map_alt_text(data) == (
        "Karta: Förvärvsfrekvens 2024. Klasser från lägsta värde: "
        f"50,0–56,7{NB}%: 2 områden; 56,7–73,3{NB}%: 1 område; 73,3–85,0{NB}%: 2 områden. "
        f"Fokusområdena: Berga 60,0{NB}% (exempelvärde), Ryd 55,0{NB}%, Skäggetorp 50,0{NB}%. "
        "Saknar värde: Vallastaden. Mörkare färg = större utmaning (högre värde är bättre). "
        "Fliken Tabell har alla områdens värden."
    )


def test_the_basemap_version_draws_the_same_classes_over_the_configured_tiles_only():
    from analysis.core.settings import BasemapSetting
    from analysis.render.map_figure import basemap_figure

    data = map_data(mapped(), MapSelection("forv", 2024))
    tiles = "https://karta.linkoping.se/tiles/{z}/{x}/{y}.png"
    fig = basemap_figure(data, BasemapSetting(tiles, "© Linköpings kommun"))
    (layer,) = fig.layout.map.layers
    assert list(layer.source) == [tiles] and layer.below == "traces" and fig.layout.map.style == "white-bg"
    valued, missing = [t for t in fig.data if t.type == "choroplethmap"]
    assert list(valued.locations) == ["Berga", "Ryd", "Skäggetorp", "Lambohov", "Innerstaden"]
    assert list(valued.z) == [2, 1, 0, 3, 4] and list(missing.locations) == ["Vallastaden"]
    legend = [t.name for t in fig.data if t.type == "scattermap" and t.mode == "markers"]
    assert legend == [c.label for c in data.classes]
    assert "Fokusområde (svart kant)" in [t.name for t in fig.data]
