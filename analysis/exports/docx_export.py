"""The nulägesbild of one area as a Word attachment to a board paper (python-docx).

'Bilaga – Nulägesbild {område} {år}': områdesbeskrivning, aktörer, befolkning, nyckeltal, one
section per theme with the sentences of the Nulägesbild page, utmaningar, styrkor, skyddsfaktorer,
sources and a note on example values. Charts are PNG images rendered by plotly and kaleido when a
Chromium is available (analysis.render.images); otherwise their values are tables, and the document says so.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from analysis.core.mime import DOCX_MIME
from analysis.measures.narrative import in_text
from analysis.render.images import Rendered, start_chart_render
from analysis.viewmodels.slides import (
    LINE,
    Attachment,
    ChartData,
    Section,
    SlideTable,
    attachment_file_name,
    card_line,
    chart_table,
    verdict_line,
)

LANGUAGE = "sv-SE"
GREY = RGBColor(0x55, 0x55, 0x55)
HEADER_FILL = "DCE6F0"
TEXT_WIDTH_CM = 17.0
LANDSCAPE_WIDTH_CM = 25.7
MIME = DOCX_MIME
NO_IMAGES = "Diagrammen kunde inte ritas här ({problem}), så diagrammens värden visas som tabeller i stället."


def chart_sections(att: Attachment) -> list[Section]:
    """The sections whose chart goes into the document."""
    return [s for s in att.sections if s.chart is not None]


def set_language(doc) -> None:
    """Swedish as the language of the document's default text (spell checking, hyphenation)."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    doc.core_properties.language = LANGUAGE


def orient(section, landscape: bool) -> None:
    """A section on A4, portrait or landscape, with 2 cm margins."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long = Cm(21.0), Cm(29.7)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))


def page_setup(doc) -> None:
    """A4 portrait with 2 cm margins and an 11 pt body font."""
    orient(doc.sections[0], landscape=False)
    doc.styles["Normal"].font.size = Pt(11)


def add_page_footer(doc, title: str) -> None:
    """The footer of every page: the attachment's title and the page number."""
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run(f"{title} · sida ")
    run.font.size, run.font.color.rgb = Pt(9), GREY
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    p._p.append(field)  # noqa: SLF001 - python-docx has no API for fields


def add_note(doc, text: str, *, italic: bool = True, size: int = 9):
    """A small grey paragraph (captions, example notes)."""
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.italic, run.font.size, run.font.color.rgb = italic, Pt(size), GREY
    return p


def shade(cell, fill: str) -> None:
    """A table cell's background colour."""
    props = cell._tc.get_or_add_tcPr()  # noqa: SLF001
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    props.append(shd)


def repeat_header(row) -> None:
    """Repeat a table's header row on every page it spans."""
    props = row._tr.get_or_add_trPr()  # noqa: SLF001
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def column_widths(table: SlideTable, total_cm: float, size: int) -> list[float]:
    """Column widths (cm) that fill the text width: every column fits its longest word, and the rest of the width
    goes to the columns whose texts would otherwise wrap, in proportion to how much they need."""
    char, pad = size * 0.6 / 72 * 2.54, 0.45  # wide enough for Calibri and for LibreOffice's substitutes
    columns = list(zip(table.columns, *table.rows))
    least = [max(len(w) for text in col for w in str(text).split() or [""]) * char + pad for col in columns]
    wanted = [max(len(str(text)) for text in col[1:] or [""]) * char + pad for col in columns]
    wanted = [max(w, m) for w, m in zip(wanted, least)]
    if sum(wanted) <= total_cm:
        return [w * total_cm / sum(wanted) for w in wanted]
    spare, extra = total_cm - sum(least), [w - m for w, m in zip(wanted, least)]
    return [m + max(spare, 0) * e / (sum(extra) or 1) for m, e in zip(least, extra)]


def add_table(doc, table: SlideTable, *, size: int = 9, width_cm: float = TEXT_WIDTH_CM):
    """A Word table with a shaded, repeated header row, columns as wide as their texts; numbers right-aligned."""
    grid = doc.add_table(rows=len(table.rows) + 1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [Cm(w) for w in column_widths(table, width_cm, size)]
    for column, width in zip(grid.columns, widths):
        column.width = width  # the grid, which LibreOffice follows; Word follows the cells' widths below
    for r, (row, values) in enumerate(zip(grid.rows, [table.columns, *table.rows])):
        cells = row.cells  # python-docx builds this list on every access
        for c, value in enumerate(values):
            cell = cells[c]
            cell.width = widths[c]
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if c == 0 or r == 0 else WD_ALIGN_PARAGRAPH.RIGHT
            run = p.add_run(str(value))
            run.font.size, run.bold = Pt(size), r == 0
            if r == 0:
                shade(cell, HEADER_FILL)
    repeat_header(grid.rows[0])
    return grid


def chart_description(chart: ChartData) -> str:
    """Alternative text of a chart image: what it shows, for whom and when."""
    span = f"{chart.categories[0]}–{chart.categories[-1]}" if chart.categories else ""
    kind = "Linjediagram" if chart.kind == LINE else "Stapeldiagram"
    return f"{kind}: {chart.title}, {', '.join(s.name for s in chart.series)} {span}. Värdena står i texten ovan."


def style_note(run, *, italic: bool = True, size: int = 9) -> None:
    """A run in the small grey style of notes and captions."""
    run.italic, run.font.size, run.font.color.rgb = italic, Pt(size), GREY


def fill_chart_slot(doc, slot, png: bytes | None, chart: ChartData, number: int) -> None:
    """Put a chart's image and caption where the document kept a place for it, or, without an image, its table."""
    picture, caption = slot
    span = f", {chart.categories[0]}–{chart.categories[-1]}" if chart.categories else ""
    if png is not None:
        shape = picture.add_run().add_picture(io.BytesIO(png), width=Cm(16.0))
        shape._inline.docPr.set("descr", chart_description(chart))  # noqa: SLF001 - alt text has no API
        shape._inline.docPr.set("title", chart.title)  # noqa: SLF001
        style_note(caption.add_run(f"Figur {number}. {chart.title}{span}."))
        return
    style_note(picture.add_run(f"Tabell {number}. {chart.title}: värdena i diagrammet."))
    table = add_table(doc, chart_table(chart), size=9, width_cm=12.0)
    picture._p.addnext(table._tbl)  # noqa: SLF001 - move the table from the end to its place
    caption._p.getparent().remove(caption._p)  # noqa: SLF001


def add_texts(doc, section: Section) -> None:
    """A text section's paragraphs, example texts marked."""
    if not section.paragraphs and section.empty_text:
        add_note(doc, section.empty_text)
    for item in section.paragraphs:
        doc.add_paragraph(item.text)
        if item.is_example:
            add_note(doc, "Exempeltext (fiktiv).")


def add_cards(doc, section: Section, att: Attachment) -> None:
    """One block per indicator: name, values, the sentence, the sex split and the verdicts."""
    for card in section.cards:
        heading = doc.add_heading(card.name, level=3)
        if card.is_example:
            run = heading.add_run(" · exempelvärde")
            run.italic, run.font.color.rgb = True, GREY
        doc.add_paragraph(card_line(card, att.picture)).runs[0].bold = True
        doc.add_paragraph(card.sentence)
        if card.sex_sentence:
            doc.add_paragraph(card.sex_sentence)
        verdicts = verdict_line(card)
        if verdicts:
            add_note(doc, verdicts, italic=False, size=10)


def attachment_docx(att: Attachment, *, rendered: Rendered | None = None, render: bool = True) -> bytes:
    """The attachment as .docx bytes; charts as images when they can be rendered, else as tables.

    The images are rendered in the background while the document is written, and put in place at the end.
    """
    charts = [s.chart for s in chart_sections(att)]
    pending = start_chart_render(charts) if rendered is None and render else None
    if rendered is None and not render:
        rendered = Rendered((), "bilderna ritades inte")

    doc = Document()
    set_language(doc)
    page_setup(doc)
    doc.core_properties.title = att.title
    doc.core_properties.subject = f"Nulägesbild {att.area}"
    doc.core_properties.author = "Linköpings kommun"
    add_page_footer(doc, att.title)

    doc.add_heading(att.title, level=0)
    add_note(doc, att.meta, italic=False, size=10)
    if att.example_note:
        note = doc.add_paragraph()
        note.add_run("Exempeldata. ").bold = True
        note.add_run(att.example_note_body)
    problem = doc.add_paragraph()
    doc.add_paragraph(att.summary)

    slots = []
    for section in att.sections:
        if section.heading == "Nyckeltal":
            # Eleven columns need a landscape page.
            orient(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
            doc.add_heading(section.heading, level=1)
            for item in section.paragraphs:
                add_note(doc, item.text, italic=False)
            if section.table is not None and section.table.rows:
                add_table(doc, section.table, size=9, width_cm=LANDSCAPE_WIDTH_CM)
            else:
                add_note(doc, section.empty_text)
            orient(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)
            continue
        doc.add_heading(section.heading, level=1)
        if not section.cards:
            add_texts(doc, section)
            continue
        add_cards(doc, section, att)
        if section.chart is not None:
            slots.append(((doc.add_paragraph(), doc.add_paragraph()), section.chart))

    doc.add_heading("Källor", level=1)
    add_note(
        doc,
        f"Indikatorernas definition och källa enligt indikatorkatalogen, och källorna till de värden för "
        f"{att.area} och {in_text(att.picture.reference)} som bilagan bygger på.",
        italic=False,
        size=10,
    )
    for entry in att.sources:
        p = doc.add_paragraph()
        p.add_run(entry.name).bold = True
        p.add_run(f". {entry.definition or 'Definition saknas.'} Källa: {entry.source or '–'}.")
        if entry.value_sources:
            add_note(doc, "Värdenas källor: " + "; ".join(entry.value_sources) + ".", italic=False)
    if att.example_note:
        doc.add_heading("Exempelvärden", level=1)
        doc.add_paragraph(att.example_note)

    rendered = pending.result() if pending is not None else rendered
    images = list(rendered.images) if rendered.ok else []
    images += [None] * (len(slots) - len(images))
    for number, ((slot, chart), png) in enumerate(zip(slots, images), start=1):
        fill_chart_slot(doc, slot, png, chart, number)
    if charts and not rendered.ok:
        style_note(problem.add_run(NO_IMAGES.format(problem=rendered.problem)), italic=False, size=10)
    else:
        problem._p.getparent().remove(problem._p)  # noqa: SLF001 - python-docx cannot delete a paragraph
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def docx_filename(title: str) -> str:
    """'Bilaga_Nulagesbild_Berga_2026.docx' from the attachment's title."""
    return attachment_file_name(title, "docx")
