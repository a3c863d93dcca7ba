"""The deck as a PowerPoint file (python-pptx): 16:9, native editable charts, footers with sources.

Charts are PowerPoint charts with their data in the embedded workbook, so they can be edited. A map slide's map is a
PNG drawn by plotly and kaleido (analysis.render.images) at the size it has on the slide, one image pixel to a point,
so its legend reads like the slide's own text; its text alternative and the speaker notes hold its values. Without a
Chromium the slide says so, and the values stay in the notes.
Number formats use the file format's invariant codes ('#,##0.0'): PowerPoint shows them with the
viewer's separators, so a Swedish PowerPoint shows '1 234,5'. Texts and table cells are the
Swedish strings of the view models ('62,5 %', '-19,6 pe ▼') and never change.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

import xlsxwriter
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt, lazyproperty

from analysis.core.formatting import format_value
from analysis.core.mime import PPTX_MIME
from analysis.core.palette import LABEL_INK, label_colour, text_colour
from analysis.core.safety import safe_filename
from analysis.core.xlsx_writer import XLSXWRITER_OPTIONS, cell_text
from analysis.exports.table_fit import add_pptx_table
from analysis.render.images import PendingRender, Rendered, start_render
from analysis.render.map_figure import LEGEND_RIGHT, export_size, map_figure
from analysis.viewmodels.slides import (
    AREA_SLIDE,
    LINE,
    MAP_SLIDE,
    STACKED,
    TABLE_SLIDE,
    THEME_SLIDE,
    TITLE_SLIDE,
    ChartData,
    MapImage,
    Slide,
    SlideTable,
    chart_alt_text,
    table_lines,
    value_range,
)

SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.5
BODY_TOP, BODY_BOTTOM = 1.65, 6.7
INK, GREY, ACCENT = "222222", "555555", "0072B2"
LANGUAGE = "sv-SE"
FONT_SIZES = (20, 18, 16, 15, 14, 13, 12, 11, 10)
LINE_DASH = {
    "solid": MSO_LINE_DASH_STYLE.SOLID,
    "dash": MSO_LINE_DASH_STYLE.DASH,
    "dot": MSO_LINE_DASH_STYLE.ROUND_DOT,
    "dashdot": MSO_LINE_DASH_STYLE.DASH_DOT,
}
MARKERS = {
    "circle": XL_MARKER_STYLE.CIRCLE,
    "square": XL_MARKER_STYLE.SQUARE,
    "diamond": XL_MARKER_STYLE.DIAMOND,
    "triangle-up": XL_MARKER_STYLE.TRIANGLE,
    "triangle-down": XL_MARKER_STYLE.TRIANGLE,
    "star": XL_MARKER_STYLE.STAR,
    "cross": XL_MARKER_STYLE.PLUS,
    "x": XL_MARKER_STYLE.X,
    "hexagon": XL_MARKER_STYLE.DIAMOND,
}
MIME = PPTX_MIME
# Office's mark for a decorative shape (an accent bar): screen readers skip it.
DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
# The layout with only a title placeholder: every slide's title goes there, the rest is placed by hand.
TITLE_ONLY_LAYOUT = 5
# A map image is drawn one pixel to a point (72 per inch) and rendered at twice that, so it is sharp on a projector.
MAP_PX_PER_INCH = 72
MAP_SCALE = 2.0
NOT_DRAWN = "bilderna ritades inte"
NO_MAP = "Kartan kunde inte ritas här ({problem}). Kartans värden står i anteckningarna."
MAP_VALUES = "Kartans värden:"
# A map that could not be drawn shows its values on the slide as a table when they fit.
MAP_TABLE_ROWS = 12


class TextWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's writer of a chart's embedded workbook, with XlsxWriter writing strings as strings."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple]:
        """The workbook and its only worksheet; '=…' and 'http://…' in area names stay text, not formulas or links."""
        workbook = xlsxwriter.Workbook(xlsx_file, {"in_memory": True, **XLSXWRITER_OPTIONS})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class TextChartData(CategoryChartData):
    """Category chart data whose embedded workbook keeps text as text."""

    @lazyproperty
    def _workbook_writer(self) -> TextWorkbookWriter:
        """The writer of the embedded workbook (python-pptx asks this property for it)."""
        return TextWorkbookWriter(self)


def number_format(decimals: int) -> str:
    """The invariant number format code for a number of decimals ('#,##0.0'); zeros are left empty."""
    base = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return f"{base};-{base};;@"


def rgb(colour: str) -> RGBColor:
    """'#0072B2' as an RGBColor."""
    return RGBColor.from_string(colour.lstrip("#").upper())


def _swedish(run) -> None:
    """Mark a run's language as Swedish (spell checking, hyphenation)."""
    run.font._rPr.set("lang", LANGUAGE)  # noqa: SLF001 - python-pptx has no API for the language


def write_text(
    box,
    text: str,
    size: int,
    *,
    bold: bool = False,
    colour: str = INK,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
) -> None:
    """One paragraph of text in a shape's text frame, wrapped, the shape growing to fit it."""
    tf = box.text_frame
    tf.word_wrap = True
    # A text box grows with its text; a title placeholder would shrink the text instead (the master's normAutofit).
    tf.auto_size = MSO_AUTO_SIZE.SHAPE_TO_FIT_TEXT
    tf.vertical_anchor = anchor
    for margin in ("margin_left", "margin_right"):
        setattr(tf, margin, Inches(0.05))
    p = tf.paragraphs[0]
    p.alignment = align
    run = p.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, rgb(colour)
    _swedish(run)


def add_text(
    slide,
    text: str,
    x: float,
    y: float,
    w: float,
    h: float,
    size: int,
    *,
    bold: bool = False,
    colour: str = INK,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
):
    """A text box with one paragraph of text."""
    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    write_text(box, text, size, bold=bold, colour=colour, align=align, anchor=anchor)
    return box


def add_title(slide, text: str, x: float, y: float, w: float, h: float, size: int):
    """The slide's title in the layout's title placeholder, set like a bold text box at (x, y)."""
    # Screen readers, the outline view and PowerPoint's accessibility checker find a slide's title only in the title
    # placeholder; cloned from the layout, it is the slide's first shape and so also read first.
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(x), Inches(y), Inches(w), Inches(h)
    write_text(title, text, size, bold=True)
    return title


def set_alt_text(shape, text: str) -> None:
    """A shape's alternative text (p:cNvPr descr), which screen readers read for a chart or picture."""
    # XML cannot hold control characters (an area named 'Berga\x01' would stop the export).
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", cell_text(text))  # noqa: SLF001 - no API for it


def mark_decorative(shape) -> None:
    """Mark a shape as decorative (Office's extension), so screen readers skip it."""
    props = shape._element.xpath("./*[1]/p:cNvPr")[0]  # noqa: SLF001 - python-pptx has no API for it
    ext_list = props.makeelement(qn("a:extLst"), {})
    ext = ext_list.makeelement(qn("a:ext"), {"uri": DECORATIVE_URI})
    ext.append(ext.makeelement(f"{{{DECORATIVE_NS}}}decorative", {"val": "1"}, nsmap={"adec": DECORATIVE_NS}))
    ext_list.append(ext)
    props.append(ext_list)


def fitting_size(texts: Sequence[str], w: float, h: float, sizes: Sequence[int] = FONT_SIZES) -> int:
    """The largest font size at which the paragraphs fit a box (estimated: 0,55 em per character)."""
    for size in sizes:
        per_line = max(1, int((w - 0.4) * 72 / (size * 0.55)))
        lines = sum(max(1, math.ceil(len(t) / per_line)) for t in texts)
        needed = lines * size * 1.2 / 72 + len(texts) * size * 0.5 / 72
        if needed <= h:
            return size
    return sizes[-1]


def add_bullets(slide, bullets: Sequence[str], x: float, y: float, w: float, h: float, max_size: int = 20):
    """A text box with one bulleted paragraph per text, at the largest size that fits."""
    size = fitting_size(bullets, w, h, [s for s in FONT_SIZES if s <= max_size])
    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    tf = box.text_frame
    tf.word_wrap = True
    for i, text in enumerate(bullets):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.space_after = Pt(size * 0.5)
        ppr = p._p.get_or_add_pPr()  # noqa: SLF001 - bullets need the paragraph properties
        ppr.set("marL", str(Emu(Inches(0.25))))
        ppr.set("indent", str(-Emu(Inches(0.25))))
        bullet = ppr.makeelement(qn("a:buChar"), {"char": "•"})
        ppr.append(bullet)
        run = p.add_run()
        run.text = text
        run.font.size, run.font.color.rgb = Pt(size), rgb(INK)
        _swedish(run)
    return box


def add_table(slide, table: SlideTable, x: float, y: float, w: float, h: float, size: int = 12):
    """A native table with a header row, fitted to its width: header words never break (analysis.exports.table_fit)."""
    return add_pptx_table(
        slide, table.columns, table.rows, Inches(x), Inches(y), Inches(w), Inches(h), size=size, numeric=table.numeric
    )


def chart_type(chart: ChartData):
    """The native chart type of a chart kind: line with markers, clustered or stacked columns."""
    if chart.kind == LINE:
        return XL_CHART_TYPE.LINE_MARKERS
    return XL_CHART_TYPE.COLUMN_STACKED if chart.kind == STACKED else XL_CHART_TYPE.COLUMN_CLUSTERED


def add_chart(slide, chart: ChartData, x: float, y: float, w: float, h: float):
    """A native, editable chart of the deck model's chart data, in the areas' colours."""
    fmt = number_format(chart.decimals)
    data = TextChartData(number_format=fmt)
    # Chart XML, like a cell, cannot hold control characters (an area named 'Berga\x01' would stop the export).
    data.categories = [cell_text(c) if isinstance(c, str) else c for c in chart.categories]
    for s in chart.series:
        data.add_series(cell_text(s.name), list(s.values), number_format=fmt)
    frame = slide.shapes.add_chart(chart_type(chart), Inches(x), Inches(y), Inches(w), Inches(h), data)
    set_alt_text(frame, chart_alt_text(chart))
    native = frame.chart
    native.font.size = Pt(12)
    native.has_title = True
    native.chart_title.text_frame.text = chart.title
    native.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    native.chart_title.text_frame.paragraphs[0].runs[0].font.bold = True
    native.has_legend = True
    native.legend.position = XL_LEGEND_POSITION.BOTTOM
    native.legend.include_in_layout = False
    axis = native.value_axis
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = rgb("#E5E5E5")
    axis.tick_labels.number_format = number_format(0)
    axis.tick_labels.number_format_is_linked = False
    if chart.kind == LINE:
        scale = value_range(chart)
        if scale is not None:
            axis.minimum_scale, axis.maximum_scale = scale
    axis.has_title = True
    axis.axis_title.text_frame.text = chart.axis_title
    axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(11)
    plot = native.plots[0]
    if chart.kind == LINE:
        style_lines(plot, chart)
    else:
        style_bars(plot, chart, fmt)
    return frame


def style_lines(plot, chart: ChartData) -> None:
    """Line colours, dashes and markers per area; hollow markers for example values; the last value labelled."""
    for ser, s in zip(plot.series, chart.series):
        ser.smooth = False
        ser.format.line.color.rgb = rgb(s.colour)
        ser.format.line.width = Pt(2.5)
        ser.format.line.dash_style = LINE_DASH.get(s.dash, MSO_LINE_DASH_STYLE.SOLID)
        ser.marker.style = MARKERS.get(s.symbol, XL_MARKER_STYLE.CIRCLE)
        ser.marker.size = 8
        present = [i for i, v in enumerate(s.values) if v is not None]
        examples = [i for i in present if s.examples and s.examples[i]]
        # All examples (the usual case with the default data): one hollow series marker instead of one per point.
        hollow_series = bool(present) and len(examples) == len(present)
        ser.marker.format.fill.solid()
        ser.marker.format.fill.fore_color.rgb = rgb("#FFFFFF" if hollow_series else s.colour)
        ser.marker.format.line.color.rgb = rgb(s.colour)
        for i in [] if hollow_series else examples:
            point = ser.points[i]
            point.marker.format.fill.solid()
            point.marker.format.fill.fore_color.rgb = rgb("#FFFFFF")
            point.marker.format.line.color.rgb = rgb(s.colour)
        last = max(present, default=None)
        # Only the area's own line gets a label: labels of close lines would overprint each other.
        if last is not None and ser.index == 0:
            label = ser.points[last].data_label
            label.has_text_frame = True
            label.text_frame.text = format_value(s.values[last], chart.unit, chart.decimals)
            label.position = XL_LABEL_POSITION.RIGHT
            label.font.size = Pt(11)
            label.font.color.rgb = rgb(label_colour(s.colour))


def style_bars(plot, chart: ChartData, fmt: str) -> None:
    """Bar colours per series and value labels in the chart's number format."""
    plot.gap_width = 60
    if chart.kind == STACKED:
        plot.overlap = 100
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = fmt
    labels.number_format_is_linked = False
    labels.font.size = Pt(12)
    labels.position = XL_LABEL_POSITION.CENTER if chart.kind == STACKED else XL_LABEL_POSITION.OUTSIDE_END
    for ser, s in zip(plot.series, chart.series):
        ser.format.fill.solid()
        ser.format.fill.fore_color.rgb = rgb(s.colour)
        # Office's default label colour is dark on every bar: inside a bar the label is black or white by the bar's
        # colour (4.5:1), above a bar it is ink on white.
        ser.data_labels.font.color.rgb = rgb(text_colour(s.colour) if chart.kind == STACKED else LABEL_INK)


def add_footer(slide, notes: Sequence[str], number: int, total: int) -> None:
    """The footer: source and example notes on the left, the slide number on the right."""
    if notes:
        box = add_text(slide, notes[0], MARGIN, 6.78, 11.2, 0.62, 10, colour=GREY)
        for note in notes[1:]:
            p = box.text_frame.add_paragraph()
            run = p.add_run()
            run.text = note
            run.font.size, run.font.color.rgb = Pt(10), rgb(GREY)
            _swedish(run)
    add_text(
        slide, f"{number} / {total}", SLIDE_W - MARGIN - 1.0, 6.95, 1.0, 0.35, 10, colour=GREY, align=PP_ALIGN.RIGHT
    )


def add_heading(slide, model: Slide) -> None:
    """The slide's title and subtitle."""
    add_title(slide, model.title, MARGIN, 0.3, SLIDE_W - 2 * MARGIN, 0.75, 30)
    if model.subtitle:
        add_text(slide, model.subtitle, MARGIN, 1.05, SLIDE_W - 2 * MARGIN, 0.45, 16, colour=GREY)


def render_title(slide, model: Slide) -> None:
    """The title slide: an accent bar, the plan, the areas, baseline, date and data version."""
    bar = slide.shapes.add_shape(1, Inches(MARGIN), Inches(1.9), Inches(0.12), Inches(3.4))
    bar.fill.solid()
    bar.fill.fore_color.rgb = rgb(ACCENT)
    bar.line.fill.background()
    mark_decorative(bar)
    add_text(slide, "Linköpings kommun", 0.9, 1.4, 11, 0.45, 16, colour=GREY)
    add_title(slide, model.title, 0.9, 1.9, 11.5, 1.1, 40)
    add_text(slide, model.subtitle, 0.9, 3.0, 11.5, 0.9, 24)
    add_bullets(slide, list(model.bullets), 0.9, 3.95, 11.5, 1.6, max_size=20)


def render_content(slide, model: Slide) -> None:
    """Area, theme and follow-up slides: bullets, a table and a chart in a fixed grid."""
    add_heading(slide, model)
    body_h = BODY_BOTTOM - BODY_TOP
    if model.kind == TABLE_SLIDE:
        # Sentences across the top, the table below over the full width (Bilaga 5's long tables).
        text_h = 0.0 if not model.bullets else (body_h if model.table is None else 0.9)
        if model.bullets:
            add_bullets(slide, list(model.bullets), MARGIN, BODY_TOP, SLIDE_W - 2 * MARGIN, text_h, max_size=18)
        if model.table:
            top = BODY_TOP + text_h + (0.1 if text_h else 0.0)
            add_table(slide, model.table, MARGIN, top, SLIDE_W - 2 * MARGIN, BODY_BOTTOM - top, size=11)
        return
    if model.kind == THEME_SLIDE:
        add_bullets(slide, list(model.bullets), MARGIN, BODY_TOP, 6.4, 3.25, max_size=18)
        if model.chart:
            add_chart(slide, model.chart, 7.1, BODY_TOP, 5.75, 3.25)
        if model.table:
            add_table(slide, model.table, MARGIN, BODY_TOP + 3.35, SLIDE_W - 2 * MARGIN, body_h - 3.35, size=12)
        return
    if model.kind == AREA_SLIDE:
        # Thirteen key figures need the width; the gap counts are a narrow single bar.
        add_bullets(slide, list(model.bullets), MARGIN, BODY_TOP, SLIDE_W - 2 * MARGIN, 0.8, max_size=16)
        top, table_w, chart_x = BODY_TOP + 0.85, 9.0, 9.75
    else:
        add_bullets(slide, list(model.bullets), MARGIN, BODY_TOP, 7.6, 1.6, max_size=18)
        top, table_w, chart_x = BODY_TOP + 1.7, 7.6, 8.35
    if model.table:
        size = 10 if len(model.table.rows) > 12 else 11 if len(model.table.rows) > 9 else 13
        add_table(slide, model.table, MARGIN, top, table_w, BODY_BOTTOM - top, size=size)
    if model.chart:
        chart_y = top if model.kind == AREA_SLIDE else BODY_TOP
        add_chart(slide, model.chart, chart_x, chart_y, SLIDE_W - MARGIN - chart_x, BODY_BOTTOM - chart_y)


def map_size(image: MapImage) -> tuple[int, int]:
    """A map image's size in pixels: the slide's body high, as wide as the map and its legend need (at most the
    body's width)."""
    width = round((SLIDE_W - 2 * MARGIN) * MAP_PX_PER_INCH)
    height = round((BODY_BOTTOM - BODY_TOP) * MAP_PX_PER_INCH)
    return export_size(image.data, LEGEND_RIGHT, width=width, height=height, highlight=image.highlight)


def start_map_renders(images: Sequence[MapImage]) -> list[PendingRender]:
    """Start drawing each map slide's image in the background (each at its own size)."""
    pending = []
    for image in images:
        width, height = map_size(image)
        fig = map_figure(
            image.data, height=height, title=False, highlight=image.highlight, legend=LEGEND_RIGHT, notes=False
        )
        pending.append(start_render([fig], width=width, height=height, scale=MAP_SCALE))
    return pending


def add_map(slide, model: Slide, png: bytes | None, problem: str, after) -> None:
    """The map image centred in the slide's body with its text alternative, right after the heading in reading
    order; without an image, why not and (when they fit) the map's values as a table."""
    image = model.map
    if png is not None and image is not None:
        width, height = (v / MAP_PX_PER_INCH for v in map_size(image))
        top = BODY_TOP + max(0.0, (BODY_BOTTOM - BODY_TOP - height) / 2)
        shape = slide.shapes.add_picture(
            io.BytesIO(png), Inches((SLIDE_W - width) / 2), Inches(top), Inches(width), Inches(height)
        )
        set_alt_text(shape, image.alt)
        shape.name = "Karta"
        placed = [shape]
    else:
        placed = [add_text(slide, NO_MAP.format(problem=problem or NOT_DRAWN), MARGIN, BODY_TOP, 11.5, 0.4, 14)]
        if model.table is not None and len(model.table.rows) <= MAP_TABLE_ROWS:
            top = BODY_TOP + 0.55
            placed.append(add_table(slide, model.table, MARGIN, top, SLIDE_W - 2 * MARGIN, BODY_BOTTOM - top, size=11))
    for shape in reversed(placed):
        after.addnext(shape._element)  # noqa: SLF001 - python-pptx adds shapes last; the map belongs after the heading


def presentation_pptx(slides: Sequence[Slide], *, rendered: Rendered | None = None, render: bool = True) -> bytes:
    """The deck as .pptx bytes: one 16:9 slide per model slide, with footers and speaker notes.

    A map slide's image is drawn in the background while the other slides are written (or taken from `rendered`,
    one image per map slide; render=False: no images).
    """
    maps = [s.map for s in slides if s.kind == MAP_SLIDE and s.map is not None]
    pending = start_map_renders(maps) if maps and rendered is None and render else []
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    layout = prs.slide_layouts[TITLE_ONLY_LAYOUT]
    places = []
    for number, model in enumerate(slides, start=1):
        slide = prs.slides.add_slide(layout)
        lines = [*model.bullets, *model.notes]
        if model.kind == TITLE_SLIDE:
            render_title(slide, model)
        elif model.kind == MAP_SLIDE:
            add_heading(slide, model)
            places.append((slide, model, slide.shapes[-1]._element))  # noqa: SLF001 - the heading's last shape
            lines += [MAP_VALUES, *table_lines(model.table)] if model.table is not None else []
        else:
            render_content(slide, model)
        add_footer(slide, list(model.notes), number, len(slides))
        notes = slide.notes_slide.notes_text_frame
        notes.text = "\n".join(lines)
    for i, (slide, model, after) in enumerate(places):
        result = pending[i].result() if pending else rendered or Rendered((), NOT_DRAWN)
        index = 0 if pending else i
        png = result.images[index] if result.ok and index < len(result.images) else None
        add_map(slide, model, png, result.problem, after)
    first = slides[0] if slides else None
    prs.core_properties.title = cell_text(f"{first.title} – {first.subtitle}") if first else ""
    prs.core_properties.language = LANGUAGE
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def pptx_filename(areas: Sequence[str], today: date) -> str:
    """'Presentation_Berga_Ryd_Skaggetorp_2026-11-26.pptx'."""
    return safe_filename(f"Presentation {' '.join(areas)} {today.isoformat()}").replace(" ", "_") + ".pptx"
