"""The map as a plotly figure: the areas' own boundaries drawn as filled shapes on plain axes, with no tile server
and no base map, so it works offline and exports as an image like every other chart.

Each class is one filled trace (its legend entry), example values are hatched, areas without a value are grey,
the focus areas are outlined in black and labelled, and an invisible marker inside each area carries its hover text.
Longitudes are scaled by the cosine of the map's latitude, so a city keeps its shape. For the documents and the deck
the legend can stand to the right of or below the map, the notes can be left to the caption, one area can be
singled out with a thick outline, and `export_size` gives an image size that fits the map without empty margins.
"""

from __future__ import annotations

import json
import math

import numpy as np
import plotly.graph_objects as go
import shapely

from analysis.core.palette import MAP_MISSING
from analysis.core.safety import plotly_text
from analysis.core.settings import BasemapSetting
from analysis.render.charts import base_layout, wrapped
from analysis.viewmodels.map_view import NO_VALUE, MapData

MAP_HEIGHT = 640
FOCUS_LINE = "#000000"
EDGE = "#FFFFFF"
HATCH = "/"
EXAMPLE_LEGEND = "Streckad yta = exempelvärde (fiktivt)"
FOCUS_LEGEND = "Fokusområde (svart kant)"
HIGHLIGHT_LEGEND = "{area} (tjock svart kant)"
HIGHLIGHT_WIDTH = 5.5
# Where the legend stands: above the map in rows (the page), in a column right of it (a slide) or below it (A4).
LEGEND_TOP, LEGEND_RIGHT, LEGEND_BELOW = "top", "right", "below"
# A white halo around the area names, so they read on dark fills, hatching and outlines alike.
LABEL_HALO = "0 0 2px #FFFFFF, 0 0 3px #FFFFFF, 0 0 4px #FFFFFF"
LABEL_SIZE = 13
# Estimates for the legend's 15 px font (plotly cannot measure text up front): an entry's row, a character, and
# the symbol and padding before the text.
LEGEND_ROW_PX = 24
LEGEND_CHAR_PX = 7.6
LEGEND_SYMBOL_PX = 56
EDGE_PX = 10  # the margin round the map when nothing else stands there
EDGE_PAD = 0.01  # an exported map's axes reach this share of its extent beyond the outermost boundary


def ring_coordinates(geometries: list[str]) -> tuple[list[float | None], list[float | None]]:
    """Every ring of the geometries (outer rings and holes) as one x and one y list, rings separated by None.

    Plotly fills a trace's rings as one SVG path under the nonzero rule, so with the outer rings counter-clockwise
    and the holes clockwise a hole stays open (showing the enclave drawn by its own trace, or the background).
    """
    if not geometries:
        return [], []
    shapes = shapely.orient_polygons(shapely.from_geojson(geometries))
    polygons = shapely.get_parts(shapes)
    rings = shapely.get_rings(polygons)
    coords, index = shapely.get_coordinates(rings, return_index=True)
    # A None after each ring: plotly closes each ring on its own.
    breaks = np.flatnonzero(np.diff(index)) + 1
    xs, ys = [], []
    for part in np.split(np.arange(len(coords)), breaks):
        xs.extend([*coords[part, 0].tolist(), None])
        ys.extend([*coords[part, 1].tolist(), None])
    return xs, ys


def hover_text(row, data: MapData) -> str:
    """One area's hover: name, value, gap to the reference, source, and the example or uncertainty mark."""
    lines = [f"<b>{plotly_text(row.area)}</b>", f"{plotly_text(data.legend_title)}: {plotly_text(row.value_text)}"]
    if row.gap_text:
        lines.append(f"Skillnad mot {plotly_text(data.reference)}: {plotly_text(row.gap_text)}")
    if row.source:
        lines.append(f"Källa: {plotly_text(row.source)}")
    if row.example:
        lines.append("Exempelvärde (fiktivt)")
    if row.uncertain:
        lines.append("Osäkert värde: bygger på få personer")
    return "<br>".join(lines)


def legend_names(data: MapData, highlight: str | None = None) -> list[str]:
    """The legend's entries in order: the classes, no value, examples, focus areas and the singled-out area."""
    frame = data.frame
    names = [c.label for c in data.classes]
    names += [NO_VALUE] if bool((frame["class"] < 0).any()) else []
    names += [EXAMPLE_LEGEND] if data.has_examples else []
    names += [FOCUS_LEGEND] if bool(frame["focus"].any()) else []
    names += [HIGHLIGHT_LEGEND.format(area=highlight)] if highlight in set(frame["area"]) else []
    return names


def map_aspect(data: MapData) -> float:
    """The map's height over its width on screen (longitudes scaled by the cosine of the latitude); 1 when empty."""
    if not len(data.frame):
        return 1.0
    west, south, east, north = shapely.total_bounds(shapely.from_geojson(data.frame["geometry"].tolist()))
    lat0 = float(np.nanmean(data.frame["label_lat"]))
    width = (east - west) * math.cos(math.radians(lat0))
    return float((north - south) / width) if width > 0 and north > south else 1.0


def legend_width(data: MapData, highlight: str | None = None) -> int:
    """The estimated width in pixels of the legend as one column."""
    return int(LEGEND_SYMBOL_PX + LEGEND_CHAR_PX * max((len(n) for n in legend_names(data, highlight)), default=0))


def export_size(
    data: MapData, legend: str, *, width: int | None = None, height: int | None = None, highlight: str | None = None
) -> tuple[int, int]:
    """The image size (px) that fits the map and its legend: the height given (legend right, width at most the one
    given) or the width given (legend below, height at most the one given)."""
    aspect = map_aspect(data)
    if legend == LEGEND_RIGHT:
        box_h = height or MAP_HEIGHT
        side = legend_width(data, highlight) + 2 * EDGE_PX
        map_w = (box_h - 2 * EDGE_PX) / aspect
        return int(min(width or math.inf, map_w + side + 2 * EDGE_PX)), box_h
    box_w = width or 900
    below = LEGEND_ROW_PX * len(legend_names(data, highlight)) + 2 * EDGE_PX
    map_h = (box_w - 2 * EDGE_PX) * aspect
    return box_w, int(min(height or math.inf, map_h + below + 2 * EDGE_PX))


def place_legend(fig: go.Figure, data: MapData, legend: str, highlight: str | None) -> None:
    """The legend as one column right of the map or below it, with the margins it needs."""
    fig.update_layout(
        legend=dict(
            orientation="v",
            x=1.0 if legend == LEGEND_RIGHT else 0.0,
            xanchor="left",
            y=0.5 if legend == LEGEND_RIGHT else 0.0,
            yanchor="middle" if legend == LEGEND_RIGHT else "top",
            xref="paper",
            yref="paper",
            tracegroupgap=0,
            itemclick=False,
        )
    )
    if legend == LEGEND_RIGHT:
        fig.update_layout(margin=dict(l=EDGE_PX, r=legend_width(data, highlight) + 2 * EDGE_PX, t=EDGE_PX))
    else:
        below = LEGEND_ROW_PX * len(legend_names(data, highlight)) + EDGE_PX
        fig.update_layout(margin=dict(l=EDGE_PX, r=EDGE_PX, t=EDGE_PX, b=below))


def tight_ranges(fig: go.Figure, data: MapData) -> None:
    """Axis ranges just round the areas' bounds (plotly pads 5 %), so an exported map fills its image; the 1 % left
    keeps a thick outline at the edge whole."""
    if len(data.frame):
        west, south, east, north = shapely.total_bounds(shapely.from_geojson(data.frame["geometry"].tolist()))
        dx, dy = (east - west) * EDGE_PAD, (north - south) * EDGE_PAD
        fig.update_xaxes(range=[float(west - dx), float(east + dx)])
        fig.update_yaxes(range=[float(south - dy), float(north + dy)])


def shape_trace(
    geometries: list[str],
    name: str,
    line: dict,
    *,
    fillcolor: str | None = None,
    pattern: dict | None = None,
    **kwargs: object,
) -> go.Scatter:
    """One trace of shapes, filled (fillcolor, optionally hatched) or only outlined; hover is the markers' job."""
    xs, ys = ring_coordinates(geometries)
    return go.Scatter(
        x=xs or [None],
        y=ys or [None],
        mode="lines",
        fill="toself" if fillcolor else None,
        fillcolor=fillcolor,
        fillpattern=pattern,
        line=line,
        name=name,
        hoverinfo="skip",
        **kwargs,
    )


def map_figure(
    data: MapData,
    *,
    height: int = MAP_HEIGHT,
    title: bool = True,
    highlight: str | None = None,
    legend: str = LEGEND_TOP,
    notes: bool = True,
) -> go.Figure:
    """The choropleth of a map selection: classes in the legend, focus areas outlined, hover per area.

    highlight: an area drawn with a thick outline and labelled in bold (an attachment's own area); legend: where the
    legend stands; notes=False leaves the direction and example notes to the document's caption.
    """
    fig = go.Figure()
    frame = data.frame
    edge = dict(color=EDGE, width=0.6)
    for i, cls in enumerate(data.classes):
        for example in (False, True):
            part = frame[(frame["class"] == i) & (frame["example"] == example)]
            if not len(part) and example:
                continue
            pattern = dict(shape=HATCH, bgcolor=cls.colour, fgcolor="#555555", size=8, solidity=0.15)
            fig.add_trace(
                shape_trace(
                    part["geometry"].tolist(),
                    plotly_text(cls.label),
                    edge,
                    fillcolor=cls.colour,
                    pattern=pattern if example else None,
                    legendgroup=f"class{i}",
                    showlegend=not example,
                )
            )
    missing = frame[frame["class"] < 0]
    if len(missing):
        fig.add_trace(shape_trace(missing["geometry"].tolist(), NO_VALUE, edge, fillcolor=MAP_MISSING))
    if data.has_examples:  # the legend's key to the hatching: a shape of its own with no coordinates
        pattern = dict(shape=HATCH, fgcolor="#555555", size=8, solidity=0.3)
        fig.add_trace(
            shape_trace([], EXAMPLE_LEGEND, dict(color="#555555", width=1), fillcolor="#FFFFFF", pattern=pattern)
        )
    focus = frame[frame["focus"]]
    if len(focus):
        fig.add_trace(shape_trace(focus["geometry"].tolist(), FOCUS_LEGEND, dict(color=FOCUS_LINE, width=2.5)))
    singled = frame[frame["area"] == highlight] if highlight is not None else frame.iloc[0:0]
    if len(singled):
        name = plotly_text(HIGHLIGHT_LEGEND.format(area=highlight))
        fig.add_trace(shape_trace(singled["geometry"].tolist(), name, dict(color=FOCUS_LINE, width=HIGHLIGHT_WIDTH)))
    labelled = frame[frame["focus"] | (frame["area"] == highlight)]
    if len(labelled):
        fig.add_trace(
            go.Scatter(
                x=labelled["label_lon"],
                y=labelled["label_lat"],
                mode="text",
                text=[
                    f"<b>{plotly_text(a)}{'*' if e else ''}</b>"
                    if a == highlight
                    else plotly_text(a) + ("*" if e else "")
                    for a, e in zip(labelled["area"], labelled["example"])
                ],
                textfont=dict(size=LABEL_SIZE, color="#000000", shadow=LABEL_HALO),
                showlegend=False,
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=frame["label_lon"],
            y=frame["label_lat"],
            mode="markers",
            marker=dict(size=14, opacity=0),
            hovertext=[hover_text(r, data) for r in frame.itertuples(index=False)],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            name="",
        )
    )
    lat0 = float(np.nanmean(frame["label_lat"])) if len(frame) else 58.4
    texts = [wrapped(plotly_text(data.direction_note))]
    if data.has_examples:
        texts.append(wrapped("* Namnet märkt med stjärna och streckade ytor: exempelvärden (fiktiva)."))
    base_layout(
        fig,
        data.legend_title if title else None,
        height,
        legend_items=len(data.classes) + 3,
        notes=texts if notes else (),
        axis_px=8 if notes else EDGE_PX,
    )
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False)
    fig.update_yaxes(
        visible=False, showgrid=False, zeroline=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(lat0))
    )
    fig.update_layout(plot_bgcolor="#FFFFFF", margin=dict(l=10, r=10))
    if legend != LEGEND_TOP:
        place_legend(fig, data, legend, highlight)
        tight_ranges(fig, data)
    return fig


def map_alt_text(data: MapData) -> str:
    """The map's text alternative: title, the classes with how many areas each has, the focus areas' values and
    the areas without a value (the page's table has every row)."""
    parts = [f"Karta: {data.legend_title}."]
    if data.classes:
        counts = "; ".join(f"{c.label}: {c.count} {'område' if c.count == 1 else 'områden'}" for c in data.classes)
        parts.append(f"Klasser från lägsta värde: {counts}.")
    focus = data.frame[data.frame["focus"]]
    if len(focus):
        values = ", ".join(
            f"{a} {v}" + (" (exempelvärde)" if e else "")
            for a, v, e in zip(focus["area"], focus["value_text"], focus["example"])
        )
        parts.append(f"Fokusområdena: {values}.")
    if data.missing:
        parts.append(f"Saknar värde: {', '.join(data.missing)}.")
    parts.append(data.direction_note)
    parts.append("Fliken Tabell har alla områdens värden.")
    return " ".join(parts)


def basemap_figure(data: MapData, setting: BasemapSetting, *, height: int = MAP_HEIGHT) -> go.Figure:
    """The same map over the municipality's own tile server (only when configured and chosen; off by default).

    The classes, colours, hatching's meaning, focus outlines and hover are the offline map's; the tiles come from
    `setting.tiles`, never from a public service.
    """
    frame = data.frame
    valued = frame[frame["class"] >= 0]
    features = [
        {"type": "Feature", "properties": {"area": a}, "geometry": json.loads(g)}
        for a, g in zip(frame["area"], frame["geometry"])
    ]
    colours = [c.colour for c in data.classes] or [MAP_MISSING]
    n = len(colours)
    # One flat band per class: z = class index.
    scale = [[pos, colour] for i, colour in enumerate(colours) for pos in (i / n, (i + 1) / n)]
    fig = go.Figure()
    fig.add_trace(
        go.Choroplethmap(
            geojson={"type": "FeatureCollection", "features": features},
            featureidkey="properties.area",
            locations=valued["area"],
            z=valued["class"],
            zmin=-0.5,
            zmax=n - 0.5,
            colorscale=scale,
            showscale=False,
            marker=dict(opacity=0.75, line=dict(color=EDGE, width=0.6)),
            hovertext=[hover_text(r, data) for r in valued.itertuples(index=False)],
            hovertemplate="%{hovertext}<extra></extra>",
            name="",
        )
    )
    missing = frame[frame["class"] < 0]
    if len(missing):
        fig.add_trace(
            go.Choroplethmap(
                geojson={"type": "FeatureCollection", "features": features},
                featureidkey="properties.area",
                locations=missing["area"],
                z=[0] * len(missing),
                colorscale=[[0, MAP_MISSING], [1, MAP_MISSING]],
                showscale=False,
                marker=dict(opacity=0.75, line=dict(color=EDGE, width=0.6)),
                hovertext=[hover_text(r, data) for r in missing.itertuples(index=False)],
                hovertemplate="%{hovertext}<extra></extra>",
                name=NO_VALUE,
            )
        )
    focus = frame[frame["focus"]]
    if len(focus):
        xs, ys = ring_coordinates(focus["geometry"].tolist())
        fig.add_trace(
            go.Scattermap(
                lon=xs,
                lat=ys,
                mode="lines",
                line=dict(color=FOCUS_LINE, width=2.5),
                name=FOCUS_LEGEND,
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scattermap(
                lon=focus["label_lon"],
                lat=focus["label_lat"],
                mode="text",
                text=[plotly_text(a) + ("*" if e else "") for a, e in zip(focus["area"], focus["example"])],
                textfont=dict(size=13, color="#000000"),
                showlegend=False,
                hoverinfo="skip",
            )
        )
    # The classes in the legend: one marker per class, as on the offline map.
    for cls in data.classes:
        fig.add_trace(
            go.Scattermap(
                lon=[None],
                lat=[None],
                mode="markers",
                marker=dict(size=14, color=cls.colour),
                name=plotly_text(cls.label),
            )
        )
    lon0, lat0 = float(np.nanmean(frame["label_lon"])), float(np.nanmean(frame["label_lat"]))
    minx, miny, maxx, maxy = shapely.total_bounds(shapely.from_geojson(frame["geometry"].tolist()))
    span = max((maxx - minx) * math.cos(math.radians(lat0)), maxy - miny, 1e-4)
    zoom = max(0.0, min(16.0, math.log2(360 / span) - 0.5))
    notes = [wrapped(plotly_text(data.direction_note))]
    if data.has_examples:
        notes.append(wrapped("* Namnet märkt med stjärna: exempelvärde (fiktivt)."))
    base_layout(fig, data.legend_title, height, legend_items=len(data.classes) + 2, notes=notes, axis_px=8)
    fig.update_layout(
        map=dict(
            style="white-bg",
            center=dict(lon=lon0, lat=lat0),
            zoom=zoom,
            layers=[
                dict(
                    sourcetype="raster",
                    source=[setting.tiles],
                    sourceattribution=plotly_text(setting.attribution),
                    below="traces",
                )
            ],
        ),
        margin=dict(l=10, r=10),
    )
    return fig
