"""The nulägesbild of one area as a Word attachment to a board paper (python-docx).

'Bilaga – Nulägesbild {område} {år}': områdesbeskrivning, aktörer, befolkning, nyckeltal, one
section per theme with the sentences of the Nulägesbild page, utmaningar, styrkor, skyddsfaktorer,
sources and a note on example values. Charts are PNG images rendered by plotly and kaleido when a
Chromium is available (analysis.render.images); otherwise their values are tables, and the document says so.
When areas have boundaries, a Karta section after the description shows the city's map with the area's thick
outline (a PNG the same way, with a text alternative), its caption and notes, and the map's values as a table.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from analysis.core.mime import DOCX_MIME
from analysis.core.xlsx_writer import cell_text
from analysis.exports.table_fit import add_docx_table
from analysis.measures.narrative import in_text
from analysis.render.images import PendingRender, Rendered, start_chart_render, start_render
from analysis.render.map_figure import LEGEND_BELOW, export_size, map_figure
from analysis.viewmodels.slides import (
    Attachment,
    ChartData,
    MapImage,
    Section,
    SlideTable,
    SourceEntry,
    attachment_file_name,
    card_line,
    chart_alt_text,
    chart_table,
    verdict_line,
)

LANGUAGE = "sv-SE"
GREY = RGBColor(0x55, 0x55, 0x55)
#: Headings in the HTML export's dark blue (12,2:1 on white).
HEADING_COLOUR = "#17365D"
TEXT_WIDTH_CM = 17.0
LANDSCAPE_WIDTH_CM = 25.7
MIME = DOCX_MIME
NO_IMAGES = "Diagrammen kunde inte ritas här ({problem}), så diagrammens värden visas som tabeller i stället."
NOT_DRAWN = "bilderna ritades inte"
# The map is 16 cm wide and drawn 640 px wide (40 px per cm), so its 15 px legend is about 11 pt, like the text.
MAP_WIDTH_CM = 16.0
MAP_PX_PER_CM = 40
MAP_MAX_HEIGHT_CM = 18.0
MAP_SCALE = 2.0
NO_MAP = "Kartan kunde inte ritas här ({problem}); kartans värden står i tabellen nedan."
MAP_TABLE_NOTE = "Kartans värden per område:"


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
    # Word reads the theme fonts' language from the settings; left as en-US it would check Swedish as English.
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANGUAGE)
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


def add_table(doc, table: SlideTable, *, size: float = 9, width_cm: float = TEXT_WIDTH_CM, after=None):
    """A Word table fitted to its width: a shaded, repeated header row whose words never break; numbers right-aligned."""
    return add_docx_table(
        doc, table.columns, table.rows, width=Cm(width_cm), size=size, numeric=table.numeric, after=after
    )


def style_note(run, *, italic: bool = True, size: int = 9) -> None:
    """A run in the small grey style of notes and captions."""
    run.italic, run.font.size, run.font.color.rgb = italic, Pt(size), GREY


def fill_chart_slot(doc, slot, png: bytes | None, chart: ChartData, number: int) -> None:
    """Put a chart's image and caption where the document kept a place for it, or, without an image, its table."""
    picture, caption = slot
    span = f", {chart.categories[0]}–{chart.categories[-1]}" if chart.categories else ""
    if png is not None:
        shape = picture.add_run().add_picture(io.BytesIO(png), width=Cm(16.0))
        # XML cannot hold control characters (an area named 'Berga\x01' would stop the export).
        shape._inline.docPr.set("descr", cell_text(chart_alt_text(chart)))  # noqa: SLF001 - alt text has no API
        shape._inline.docPr.set("title", cell_text(chart.title))  # noqa: SLF001
        style_note(caption.add_run(f"Figur {number}. {chart.title}{span}."))
        return
    style_note(picture.add_run(f"Tabell {number}. {chart.title}: värdena i diagrammet."))
    add_table(doc, chart_table(chart), size=9, width_cm=12.0, after=picture)
    caption._p.getparent().remove(caption._p)  # noqa: SLF001


def map_size(image: MapImage) -> tuple[int, int]:
    """The map image's size in pixels: 16 cm wide, as high as the map and its legend below it need (at most 18 cm)."""
    width, height = round(MAP_WIDTH_CM * MAP_PX_PER_CM), round(MAP_MAX_HEIGHT_CM * MAP_PX_PER_CM)
    return export_size(image.data, LEGEND_BELOW, width=width, height=height, highlight=image.highlight)


def start_map_render(image: MapImage) -> PendingRender:
    """Start drawing the attachment's map in the background, its legend below it and its notes left to the caption."""
    width, height = map_size(image)
    fig = map_figure(
        image.data, height=height, title=False, highlight=image.highlight, legend=LEGEND_BELOW, notes=False
    )
    return start_render([fig], width=width, height=height, scale=MAP_SCALE)


def fill_map_slot(slot, png: bytes | None, image: MapImage, problem: str, number: int) -> bool:
    """Put the map's image and caption where the document kept a place for it, or say why there is none; True when
    the map became figure `number`."""
    picture, caption = slot
    notes = " ".join(image.notes)
    if png is None:
        style_note(picture.add_run(NO_MAP.format(problem=problem or NOT_DRAWN)), italic=False, size=10)
        style_note(caption.add_run(notes))
        return False
    shape = picture.add_run().add_picture(io.BytesIO(png), width=Cm(MAP_WIDTH_CM))
    title = f"Karta: {image.data.legend_title}"
    shape._inline.docPr.set("descr", cell_text(image.alt))  # noqa: SLF001 - alt text has no API
    shape._inline.docPr.set("title", cell_text(title))  # noqa: SLF001
    style_note(caption.add_run(f"Figur {number}. {title}. {notes}"))
    return True


def add_map_section(doc, section: Section) -> tuple:
    """The Karta section: its introduction, a place for the map and its caption, and the map's values as a table."""
    doc.add_heading(section.heading, level=1)
    # The heading, the introduction, the map and its caption stay on one page: a map too tall for the rest of a
    # page takes its introduction along to the next instead of leaving it alone at the bottom.
    for item in section.paragraphs:
        doc.add_paragraph(item.text).paragraph_format.keep_with_next = True
    slot = (doc.add_paragraph(), doc.add_paragraph())
    slot[0].paragraph_format.keep_with_next = True
    if section.table is not None and section.table.rows:
        add_note(doc, MAP_TABLE_NOTE, italic=False, size=10)
        add_table(doc, section.table, size=9)
    return slot


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
        # Level 2 under the section's Heading 1: a skipped level breaks a screen reader's outline (WCAG 1.3.1).
        heading = doc.add_heading(card.name, level=2)
        if card.is_example:
            run = heading.add_run(" · exempelvärde")
            run.italic, run.font.color.rgb = True, GREY
        doc.add_paragraph(card_line(card, att.picture)).runs[0].bold = True
        doc.add_paragraph(card.sentence)
        if card.sex_sentence:
            doc.add_paragraph(card.sex_sentence)
        for group in card.groups:
            doc.add_paragraph(group.sentence)
        verdicts = verdict_line(card)
        if verdicts:
            add_note(doc, verdicts, italic=False, size=10)


def chart_pending(
    charts: list[ChartData], rendered: Rendered | None, render: bool
) -> tuple[PendingRender | None, Rendered | None]:
    """Start rendering a document's charts in the background, or say why there will be no images."""
    if rendered is None and not render:
        return None, Rendered((), "bilderna ritades inte")
    return (start_chart_render(charts) if rendered is None else None), rendered


def new_document(title: str, subject: str, meta: str, example_note_body: str):
    """A Swedish A4 document with title, meta line, the example note (when any) and a place for the image note.

    Returns the document and the empty paragraph finish_document fills when charts could not be drawn.
    """
    doc = Document()
    set_language(doc)
    page_setup(doc)
    # The template's headings are #4F81BD (4.0:1 on white); 13-point bold text needs 4.5:1 (WCAG 1.4.3).
    for style in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        doc.styles[style].font.color.rgb = RGBColor.from_string(HEADING_COLOUR.lstrip("#"))
    doc.core_properties.title = title
    doc.core_properties.subject = subject
    doc.core_properties.author = "Linköpings kommun"
    add_page_footer(doc, title)
    doc.add_heading(title, level=0)
    add_note(doc, meta, italic=False, size=10)
    if example_note_body:
        note = doc.add_paragraph()
        note.add_run("Exempeldata. ").bold = True
        note.add_run(example_note_body)
    return doc, doc.add_paragraph()


def add_sources(doc, lead: str, entries: Sequence[SourceEntry]) -> None:
    """The Källor section: each indicator's definition and source, and the sources of its values."""
    doc.add_heading("Källor", level=1)
    add_note(doc, lead, italic=False, size=10)
    for entry in entries:
        p = doc.add_paragraph()
        p.add_run(entry.name).bold = True
        p.add_run(f". {entry.definition or 'Definition saknas.'} Källa: {entry.source or '–'}.")
        if entry.value_sources:
            add_note(doc, "Värdenas källor: " + "; ".join(entry.value_sources) + ".", italic=False)


def add_example_section(doc, example_note: str) -> None:
    """The closing Exempelvärden section, when the document holds examples."""
    if example_note:
        doc.add_heading("Exempelvärden", level=1)
        doc.add_paragraph(example_note)


def finish_document(
    doc, slots: list, pending: PendingRender | None, rendered: Rendered | None, problem, first: int = 1
) -> bytes:
    """Put each chart's image (or its table) in its place, numbered from `first`, say so when images failed, and
    return the bytes."""
    rendered = pending.result() if pending is not None else rendered
    images = list(rendered.images) if rendered.ok else []
    images += [None] * (len(slots) - len(images))
    for number, ((slot, chart), png) in enumerate(zip(slots, images), start=first):
        fill_chart_slot(doc, slot, png, chart, number)
    if slots and not rendered.ok:
        style_note(problem.add_run(NO_IMAGES.format(problem=rendered.problem)), italic=False, size=10)
    else:
        problem._p.getparent().remove(problem._p)  # noqa: SLF001 - python-docx cannot delete a paragraph
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def attachment_docx(
    att: Attachment, *, rendered: Rendered | None = None, render: bool = True, map_rendered: Rendered | None = None
) -> bytes:
    """The attachment as .docx bytes; charts as images when they can be rendered, else as tables.

    The images are rendered in the background while the document is written, and put in place at the end. `rendered`
    holds the charts' images and `map_rendered` the map's, drawn beforehand; render=False draws none.
    """
    pending, rendered = chart_pending([s.chart for s in chart_sections(att)], rendered, render)
    image = next((s.map for s in att.sections if s.map is not None), None)
    map_pending = start_map_render(image) if image is not None and map_rendered is None and render else None
    doc, problem = new_document(
        att.title, f"Nulägesbild {att.area}", att.meta, att.example_note_body if att.example_note else ""
    )
    doc.add_paragraph(att.summary)

    slots, map_slot = [], None
    for section in att.sections:
        if section.map is not None:
            map_slot = add_map_section(doc, section)
            continue
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

    lead = (
        f"Indikatorernas definition och källa enligt indikatorkatalogen, och källorna till de värden för "
        f"{att.area} och {in_text(att.picture.reference)} som bilagan bygger på."
    )
    add_sources(doc, lead, att.sources)
    add_example_section(doc, att.example_note)
    first = 1
    if map_slot is not None and image is not None:
        drawn = map_pending.result() if map_pending is not None else map_rendered or Rendered((), NOT_DRAWN)
        png = drawn.images[0] if drawn.ok and drawn.images else None
        first += fill_map_slot(map_slot, png, image, drawn.problem, first)
    return finish_document(doc, slots, pending, rendered, problem, first)


def docx_filename(title: str) -> str:
    """'Bilaga_Nulagesbild_Berga_2026.docx' from the attachment's title."""
    return attachment_file_name(title, "docx")
