"""The nulägesbild of one area as one self-contained HTML file that opens offline.

Inline CSS, charts as inline SVG drawn here from the deck model's chart data (no script, no fonts,
no images to fetch), and a Content-Security-Policy that forbids any request. Every text from the
data goes through html.escape; source addresses are shown as text, never as links. The Karta section's map is
inline SVG too, drawn from the areas' boundaries like the map figure draws them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

import numpy as np
import shapely

from analysis.core.formatting import format_number, format_value
from analysis.core.mime import HTML_MIME
from analysis.core.palette import MAP_MISSING, label_colour, text_colour
from analysis.measures.narrative import in_text
from analysis.viewmodels.slides import (
    EXAMPLE_MARK,
    LINE,
    STACKED,
    Attachment,
    ChartData,
    ChartSeries,
    MapImage,
    Section,
    SlideTable,
    SourceEntry,
    attachment_file_name,
    card_line,
    chart_alt_text,
    chart_table,
    nice_step,
    value_range,
    verdict_line,
)

MIME = HTML_MIME
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
FONT = "Source Sans Pro, Arial, sans-serif"
DASHES = {"solid": "", "dash": "9 5", "dot": "2 5", "dashdot": "9 4 2 4"}
WIDTH, HEIGHT = 760, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 120, 74, 40

STYLE = """
body { font-family: Source Sans Pro, Arial, sans-serif; color: #222; margin: 0; background: #fff; line-height: 1.45; }
main { max-width: 52rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 2rem; margin: .2rem 0 .4rem; color: #17365d; }
h2 { font-size: 1.4rem; margin: 2.2rem 0 .6rem; color: #17365d; border-bottom: 1px solid #ccd; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .2rem; }
.org, .meta, .note, figcaption, .sources small { color: #555; font-size: .9rem; }
.example { background: #fff4e5; border-left: 4px solid #d55e00; padding: .6rem .9rem; margin: 1rem 0; }
.tag { font-weight: normal; font-style: italic; color: #555; font-size: .85rem; }
.values { font-weight: 600; margin: .1rem 0; }
.verdict { color: #555; font-size: .92rem; margin-top: -.4rem; }
.summary { font-size: 1.1rem; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .6rem 0 1rem; }
th, td { border: 1px solid #c8c8c8; padding: .25rem .4rem; text-align: right; vertical-align: top; }
th { background: #dce6f0; } th:first-child, td:first-child { text-align: left; }
.wide { overflow-x: auto; } .wide:focus-visible { outline: 3px solid #005AA0; outline-offset: 2px; } figure { margin: 1.2rem 0; } svg { max-width: 100%; height: auto; }
details { margin: .3rem 0; } summary { cursor: pointer; color: #17365d; }
.sources dt { font-weight: 600; margin-top: .6rem; } .sources dd { margin: 0 0 .2rem 0; overflow-wrap: anywhere; }
@media print { main { max-width: none; padding: 0; } details { display: none; } h2 { break-after: avoid; } }
"""


def e(text: object) -> str:
    """Text from the data, escaped for HTML (quotes too)."""
    return escape("" if text is None else str(text), quote=True)


# --- SVG charts ------------------------------------------------------------------------------------------------


def svg_text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = 13,
    anchor: str = "start",
    colour: str = "#333",
    weight: str = "normal",
    baseline: str = "auto",
) -> str:
    """An SVG text element with escaped content."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{colour}" '
        f'font-weight="{weight}" dominant-baseline="{baseline}">{e(text)}</text>'
    )


def svg_marker(x: float, y: float, symbol: str, colour: str, hollow: bool, size: float = 5.5) -> str:
    """A marker shape (circle, square, diamond or triangle), hollow for example values."""
    fill = "#fff" if hollow else colour
    style = f'fill="{fill}" stroke="{colour}" stroke-width="2"'
    if symbol.startswith("square"):
        return f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size:.1f}" height="{2 * size:.1f}" {style}/>'
    if symbol.startswith(("diamond", "star", "hexagon", "cross", "x")):
        pts = f"{x:.1f},{y - size - 1:.1f} {x + size + 1:.1f},{y:.1f} {x:.1f},{y + size + 1:.1f} {x - size - 1:.1f},{y:.1f}"
        return f'<polygon points="{pts}" {style}/>'
    if symbol.startswith("triangle"):
        down = "down" in symbol
        tip, base = (y + size, y - size) if down else (y - size - 1, y + size)
        pts = f"{x:.1f},{tip:.1f} {x + size + 1:.1f},{base:.1f} {x - size - 1:.1f},{base:.1f}"
        return f'<polygon points="{pts}" {style}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" {style}/>'


def bar_range(chart: ChartData) -> tuple[float, float]:
    """The value axis of a bar chart: from 0 to a round number above the largest (stacked) bar."""
    if chart.kind == STACKED:
        tops = [sum(s.values[i] or 0 for s in chart.series) for i in range(len(chart.categories))]
    else:
        tops = [v or 0 for s in chart.series for v in s.values]
    top = max(tops, default=0) or 1.0
    step = nice_step(top)
    return 0.0, math.ceil(top * 1.08 / step) * step


def legend_svg(series: Sequence[ChartSeries], y: float, line: bool) -> list[str]:
    """A one-row legend: a sample line (or box) and the series name per series."""
    out, x = [], LEFT
    for s in series:
        if line:
            dash = DASHES.get(s.dash, "")
            out.append(
                f'<line x1="{x}" y1="{y}" x2="{x + 28}" y2="{y}" stroke="{s.colour}" stroke-width="3" '
                f'stroke-dasharray="{dash}"/>'
            )
            out.append(svg_marker(x + 14, y, s.symbol, s.colour, False, 4.5))
        else:
            out.append(f'<rect x="{x + 8}" y="{y - 7}" width="14" height="14" fill="{s.colour}"/>')
        out.append(svg_text(x + 34, y, s.name, size=13, baseline="middle"))
        x += 44 + 7.5 * len(s.name)
    return out


def chart_svg(chart: ChartData, width: int = WIDTH, height: int = HEIGHT) -> str:
    """An inline SVG of a chart: lines with markers (hollow = example) or (stacked) bars, Swedish numbers."""
    lo, hi = (value_range(chart) or (0.0, 1.0)) if chart.kind == LINE else bar_range(chart)
    hi = hi if hi > lo else lo + 1
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    n = max(1, len(chart.categories))

    def y_of(v: float) -> float:
        """The pixel row of a value."""
        return TOP + plot_h * (1 - (v - lo) / (hi - lo))

    def x_of(i: int) -> float:
        """The pixel column of the middle of category i."""
        return LEFT + plot_w * (i + 0.5) / n

    # role="img" makes a screen reader read the chart as one image named by its text alternative, not its parts.
    alt = e(chart_alt_text(chart))
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{alt}" font-family="{FONT}">',
        f"<title>{alt}</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        svg_text(LEFT - 56, 22, chart.title, size=16, weight="bold"),
    ]
    parts += legend_svg(chart.series, 48, chart.kind == LINE)
    step = nice_step(hi - lo)
    decimals = 0 if step >= 1 else min(3, math.ceil(-math.log10(step)))
    tick = lo
    while tick <= hi + step / 1000:
        y = y_of(tick)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        parts.append(svg_text(LEFT - 8, y, format_number(tick, decimals), size=12, anchor="end", baseline="middle"))
        tick += step
    parts.append(
        f'<text transform="translate(14 {TOP + plot_h / 2:.1f}) rotate(-90)" font-size="12" fill="#333" '
        f'text-anchor="middle">{e(chart.axis_title)}</text>'
    )
    for i, category in enumerate(chart.categories):
        parts.append(svg_text(x_of(i), TOP + plot_h + 20, category, size=12, anchor="middle"))
    if chart.kind == LINE:
        parts += line_marks(chart, x_of, y_of)
    else:
        parts += bar_marks(chart, x_of, y_of, plot_w / n, lo)
    parts.append("</svg>")
    return "".join(parts)


def line_marks(chart: ChartData, x_of, y_of) -> list[str]:
    """The lines (broken at missing values), markers, the baseline marker and the area's last value."""
    out = []
    if chart.marker in chart.categories:
        x = x_of(chart.categories.index(chart.marker))
        out.append(
            f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{y_of(value_range(chart)[0]):.1f}" '
            'stroke="#555" stroke-dasharray="2 4"/>'
        )
        out.append(svg_text(x + 4, TOP + 12, chart.marker_label, size=12, colour="#555"))
    for k, s in enumerate(chart.series):
        segments, current = [], []
        for i, v in enumerate(s.values):
            if v is None:
                segments.append(current)
                current = []
            else:
                current.append(f"{x_of(i):.1f},{y_of(v):.1f}")
        segments.append(current)
        dash = DASHES.get(s.dash, "")
        for seg in (seg for seg in segments if len(seg) > 1):
            out.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="{s.colour}" stroke-width="3" '
                f'stroke-dasharray="{dash}"/>'
            )
        for i, v in enumerate(s.values):
            if v is not None:
                out.append(svg_marker(x_of(i), y_of(v), s.symbol, s.colour, bool(s.examples and s.examples[i])))
        present = [i for i, v in enumerate(s.values) if v is not None]
        if k == 0 and present:
            i = present[-1]
            out.append(
                svg_text(
                    x_of(i) + 10,
                    y_of(s.values[i]),
                    format_value(s.values[i], chart.unit, chart.decimals),
                    size=13,
                    colour=label_colour(s.colour),
                    weight="bold",
                    baseline="middle",
                )
            )
    return out


def bar_marks(chart: ChartData, x_of, y_of, band: float, lo: float) -> list[str]:
    """The bars (stacked or side by side) with their values written on or above them."""
    out = []
    width = band * 0.6
    for i in range(len(chart.categories)):
        base = lo
        for k, s in enumerate(chart.series):
            v = s.values[i] or 0.0
            if chart.kind == STACKED:
                x, w, bottom, top = x_of(i) - width / 2, width, base, base + v
                base = top
            else:
                w = width / max(1, len(chart.series))
                x, bottom, top = x_of(i) - width / 2 + k * w, lo, v
            y0, y1 = y_of(top), y_of(bottom)
            out.append(
                f'<rect x="{x:.1f}" y="{y0:.1f}" width="{w:.1f}" height="{max(0.0, y1 - y0):.1f}" '
                f'fill="{s.colour}"><title>{e(s.name)} {e(chart.categories[i])}: '
                f"{e(format_number(v, chart.decimals))}</title></rect>"
            )
            if v and (chart.kind != STACKED or y1 - y0 >= 16):
                label_y = (y0 + y1) / 2 if chart.kind == STACKED else y0 - 6
                # A label on a bar takes black or white, whichever reads better on the bar's colour.
                colour = text_colour(s.colour) if chart.kind == STACKED else "#333"
                out.append(
                    svg_text(
                        x + w / 2,
                        label_y,
                        format_number(v, chart.decimals),
                        size=12,
                        anchor="middle",
                        colour=colour,
                        baseline="middle" if chart.kind == STACKED else "auto",
                    )
                )
    return out


# --- the map ---------------------------------------------------------------------------------------------------

MAP_WIDTH, MAP_MAX_HEIGHT, MAP_PAD = 760, 620, 12
LEGEND_ROW = 24
HATCH = (
    '<pattern id="streck" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">'
    '<line x1="0" y1="0" x2="0" y2="8" stroke="#555" stroke-width="1.5"/></pattern>'
)


def ring_path(coords: np.ndarray, x0: float, y0: float, k: float, cos_lat: float) -> str:
    """One ring as an SVG path part: longitudes scaled by the cosine of the latitude, north up."""
    points = " ".join(f"{(lon - x0) * cos_lat * k + MAP_PAD:.1f},{(y0 - lat) * k + MAP_PAD:.1f}" for lon, lat in coords)
    return f"M{points}Z"


def area_paths(geometries: Sequence[str], x0: float, y0: float, k: float, cos_lat: float) -> list[str]:
    """Each geometry as one SVG path (its polygons' outer rings and holes; drawn with the even-odd rule)."""
    out = []
    for shape in shapely.from_geojson(list(geometries)):
        rings = []
        for polygon in shapely.get_parts(shape):
            for ring in [polygon.exterior, *polygon.interiors]:
                rings.append(ring_path(np.asarray(ring.coords), x0, y0, k, cos_lat))
        out.append("".join(rings))
    return out


def map_legend_entries(image: MapImage) -> list[tuple[str, str]]:
    """The map's legend as (symbol, label): the classes, no value, examples, focus areas and the singled-out area."""
    data = image.data
    frame = data.frame
    box = '<rect width="22" height="14" fill="{fill}" stroke="{stroke}"/>'
    line = '<line x1="0" y1="7" x2="22" y2="7" stroke="#000" stroke-width="{width}"/>'
    entries = [(box.format(fill=c.colour, stroke="#999"), c.label) for c in data.classes]
    if bool((frame["class"] < 0).any()):
        entries.append((box.format(fill=MAP_MISSING, stroke=MAP_MISSING), "Saknar värde"))
    if data.has_examples:
        entries.append((box.format(fill="url(#streck)", stroke="#555"), "Streckad yta = exempelvärde (fiktivt)"))
    if bool(frame["focus"].any()):
        entries.append((line.format(width=2.5), "Fokusområde (svart kant)"))
    if image.highlight in set(frame["area"]):
        entries.append((line.format(width=5), f"{image.highlight} (tjock svart kant)"))
    return entries


def map_legend_svg(entries: Sequence[tuple[str, str]], top: float) -> list[str]:
    """The map's legend as a column of symbols and labels from `top` down."""
    out = []
    for i, (mark, label) in enumerate(entries):
        y = top + i * LEGEND_ROW
        out.append(f'<g transform="translate({MAP_PAD} {y:.1f})">{mark}</g>')
        out.append(svg_text(MAP_PAD + 32, y + 7, label, size=14, colour="#222", baseline="middle"))
    return out


def map_svg(image: MapImage, width: int = MAP_WIDTH) -> str:
    """An inline SVG of a map: the areas in their class colours, examples hatched, focus areas outlined and named,
    the singled-out area's outline thick, and the legend below."""
    data = image.data
    frame = data.frame
    alt = e(image.alt)
    west, south, east, north = shapely.total_bounds(shapely.from_geojson(frame["geometry"].tolist()))
    cos_lat = math.cos(math.radians(float(np.nanmean(frame["label_lat"]))))
    span_x, span_y = max((east - west) * cos_lat, 1e-9), max(north - south, 1e-9)
    k = min((width - 2 * MAP_PAD) / span_x, (MAP_MAX_HEIGHT - 2 * MAP_PAD) / span_y)
    map_w, map_h = span_x * k + 2 * MAP_PAD, span_y * k + 2 * MAP_PAD
    paths = area_paths(frame["geometry"].tolist(), west, north, k, cos_lat)
    entries = map_legend_entries(image)
    height = map_h + LEGEND_ROW * len(entries) + MAP_PAD
    parts = [
        f'<svg viewBox="0 0 {width} {height:.0f}" width="{width}" height="{height:.0f}" role="img" '
        f'aria-label="{alt}" font-family="{FONT}">',
        f"<title>{alt}</title>",
        f"<defs>{HATCH}</defs>",
        f'<rect width="{width}" height="{height:.0f}" fill="#fff"/>',
        f'<g transform="translate({(width - map_w) / 2:.1f} 0)" fill-rule="evenodd">',
    ]
    colours = [c.colour for c in data.classes]
    for path, cls, example in zip(paths, frame["class"], frame["example"]):
        fill = colours[cls] if cls >= 0 else MAP_MISSING
        parts.append(f'<path d="{path}" fill="{fill}" stroke="#fff" stroke-width="0.8"/>')
        if example:
            parts.append(f'<path d="{path}" fill="url(#streck)"/>')
    for path, focus, area in zip(paths, frame["focus"], frame["area"]):
        if focus or area == image.highlight:
            thick = 5 if area == image.highlight else 2.5
            parts.append(f'<path d="{path}" fill="none" stroke="#000" stroke-width="{thick}" stroke-linejoin="round"/>')
    for area, lon, lat, focus, example in zip(
        frame["area"], frame["label_lon"], frame["label_lat"], frame["focus"], frame["example"]
    ):
        if focus or area == image.highlight:
            x, y = (lon - west) * cos_lat * k + MAP_PAD, (north - lat) * k + MAP_PAD
            weight = "bold" if area == image.highlight else "normal"
            label = svg_text(
                x,
                y,
                f"{area}{'*' if example else ''}",
                size=13,
                anchor="middle",
                colour="#000",
                weight=weight,
                baseline="middle",
            )
            # A white halo under the name, so it reads on dark fills and hatching.
            parts.append(label.replace("<text ", '<text stroke="#fff" stroke-width="3" paint-order="stroke" ', 1))
    parts.append("</g>")
    parts += map_legend_svg(entries, map_h + MAP_PAD)
    parts.append("</svg>")
    return "".join(parts)


def map_figure_html(section: Section, number: int) -> str:
    """The Karta section's body: its introduction, the map as inline SVG with its caption, and its values one click
    away."""
    image = section.map
    out = [f"<p>{e(p.text)}</p>" for p in section.paragraphs]
    table = table_html(section.table, "Kartans värden per område") if section.table is not None else ""
    out.append(
        f"<figure>{map_svg(image)}<figcaption>Figur {number}. Karta: {e(image.data.legend_title)}. "
        f"{e(' '.join(image.notes))}</figcaption><details><summary>Kartans värden</summary>{table}</details></figure>"
    )
    return "".join(out)


# --- the document ----------------------------------------------------------------------------------------------


def table_html(table: SlideTable, caption: str = "") -> str:
    """An HTML table with a header row; every cell escaped."""
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in table.columns)
    rows = "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in table.rows)
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    # A wide table scrolls sideways in its box: the box takes the keyboard focus (arrow keys scroll it) and is named.
    name = e(caption or "Tabell")
    return (
        f'<div class="wide" role="region" tabindex="0" aria-label="{name}"><table>{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def figure_html(chart: ChartData, number: int) -> str:
    """A chart as inline SVG with a caption and its values in a table one click away."""
    span = f", {chart.categories[0]}–{chart.categories[-1]}" if chart.categories else ""
    return (
        f"<figure>{chart_svg(chart)}<figcaption>Figur {number}. {e(chart.title)}{e(span)}."
        + (
            f" Ofyllda punkter är exempelvärden (fiktiva), markerade {e(EXAMPLE_MARK.strip())} i tabellen."
            if chart.has_examples
            else ""
        )
        + f"</figcaption><details><summary>Diagrammets värden</summary>{table_html(chart_table(chart))}</details>"
        "</figure>"
    )


def section_html(section: Section, att: Attachment, number: int) -> tuple[str, int]:
    """One section as HTML, and the next figure number."""
    out = [f"<section><h2>{e(section.heading)}</h2>"]
    if section.map is not None and len(section.map.data.frame):
        return "".join(out) + map_figure_html(section, number + 1) + "</section>", number + 1
    if section.heading == "Nyckeltal":
        out += [f'<p class="note">{e(p.text)}</p>' for p in section.paragraphs]
        out.append(
            table_html(section.table)
            if section.table and section.table.rows
            else f'<p class="note">{e(section.empty_text)}</p>'
        )
        return "".join(out) + "</section>", number
    if not section.cards:
        if not section.paragraphs and section.empty_text:
            out.append(f'<p class="note">{e(section.empty_text)}</p>')
        for p in section.paragraphs:
            out.append(f"<p>{e(p.text)}</p>" + ('<p class="note">Exempeltext (fiktiv).</p>' if p.is_example else ""))
        return "".join(out) + "</section>", number
    for card in section.cards:
        tag = ' <span class="tag">· exempelvärde</span>' if card.is_example else ""
        out.append(
            f'<article><h3>{e(card.name)}{tag}</h3><p class="values">{e(card_line(card, att.picture))}</p>'
            f"<p>{e(card.sentence)}</p>"
        )
        if card.sex_sentence:
            out.append(f"<p>{e(card.sex_sentence)}</p>")
        out.extend(f"<p>{e(group.sentence)}</p>" for group in card.groups)
        if verdict_line(card):
            out.append(f'<p class="verdict">{e(verdict_line(card))}</p>')
        out.append("</article>")
    if section.chart is not None:
        number += 1
        out.append(figure_html(section.chart, number))
    return "".join(out) + "</section>", number


def header_html(title: str, meta: str, example_note_body: str) -> list[str]:
    """The document's header (organisation, title, meta line) and the example note when there is one."""
    out = [
        '<header><p class="org">Linköpings kommun</p>',
        f"<h1>{e(title)}</h1>",
        f'<p class="meta">{e(meta)}</p></header>',
    ]
    if example_note_body:
        out.append(f'<aside class="example"><strong>Exempeldata.</strong> {e(example_note_body)}</aside>')
    return out


def sources_html(lead: str, entries: Sequence[SourceEntry], extra: Sequence[str] = ()) -> str:
    """The Källor section: each indicator's definition, source and its values' sources, then further source lines."""
    out = [f'<section class="sources"><h2>Källor</h2><p class="note">{e(lead)}</p><dl>']
    for entry in entries:
        out.append(
            f"<dt>{e(entry.name)}</dt><dd>{e(entry.definition or 'Definition saknas.')} "
            f"Källa: {e(entry.source or '–')}.</dd>"
        )
        if entry.value_sources:
            out.append(f"<dd><small>Värdenas källor: {e('; '.join(entry.value_sources))}.</small></dd>")
    out.append("</dl>" + "".join(f"<p>{e(t)}</p>" for t in extra) + "</section>")
    return "".join(out)


def html_page(title: str, body: Sequence[str], example_note: str) -> str:
    """A self-contained HTML document (no scripts, no external resources) around the body, the example note last."""
    if example_note:
        body = [*body, f"<section><h2>Exempelvärden</h2><p>{e(example_note)}</p></section>"]
    return (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{STYLE}</style></head><body><main>"
        + "".join(body)
        + "</main></body></html>\n"
    )


def attachment_html(att: Attachment) -> str:
    """The attachment as one self-contained HTML document (no scripts, no external resources)."""
    body = header_html(att.title, att.meta, att.example_note_body if att.example_note else "")
    body.append(f'<p class="summary">{e(att.summary)}</p>')
    number = 0
    for section in att.sections:
        html, number = section_html(section, att, number)
        body.append(html)
    lead = (
        "Indikatorernas definition och källa enligt indikatorkatalogen, och källorna till de "
        f"värden för {att.area} och {in_text(att.picture.reference)} som bilagan bygger på."
    )
    body.append(sources_html(lead, att.sources))
    return html_page(att.title, body, att.example_note)


def html_filename(title: str) -> str:
    """'Bilaga_Nulagesbild_Berga_2026.html' from the attachment's title."""
    return attachment_file_name(title, "html")
