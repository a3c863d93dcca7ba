"""Bilaga 5 – the yearly follow-up – as Word, one self-contained HTML file and PowerPoint.

All three draw analysis.viewmodels.bilaga5.Bilaga5, so they hold the same sentences and tables as the Uppföljning
page. Word gets real heading styles, editable tables with header rows, and the charts as PNG images when a Chromium
can draw them (otherwise their values as tables, and the document says so); HTML draws the charts as inline SVG;
PowerPoint draws them as native charts.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.enum.section import WD_SECTION

from analysis.core.mime import DOCX_MIME, HTML_MIME, PPTX_MIME
from analysis.exports.docx_export import (
    LANDSCAPE_WIDTH_CM,
    add_example_section,
    add_note,
    add_sources,
    add_table,
    chart_pending,
    finish_document,
    new_document,
    orient,
)
from analysis.exports.html_export import e, figure_html, header_html, html_page, sources_html, table_html
from analysis.exports.pptx_export import presentation_pptx
from analysis.render.images import Rendered
from analysis.viewmodels.bilaga5 import Bilaga5, ReportSection, report_slides

SOURCES_LEAD = (
    "Indikatorernas definition och källa enligt indikatorkatalogen och källorna till de värden som uppföljningen "
    "bygger på; planens, åtgärdernas och uppföljningarnas källor som de står i datan."
)
# Tables with this many columns and long texts are set at a smaller size.
WIDE_KINDS = frozenset({"actions", "outcomes", "changes", "plan"})


def _docx_section(doc, section: ReportSection, slots: list) -> None:
    """One section: heading at its level, paragraphs, a place for its chart, and its table."""
    doc.add_heading(section.heading, level=section.level)
    if not section.paragraphs and section.table is None and section.empty_text:
        add_note(doc, section.empty_text)
    for p in section.paragraphs:
        doc.add_paragraph(p.text)
    if section.chart is not None:
        slots.append(((doc.add_paragraph(), doc.add_paragraph()), section.chart))
    if section.table is not None and section.table.rows:
        wide = section.kind in WIDE_KINDS
        add_table(doc, section.table, size=9 if wide else 10, width_cm=LANDSCAPE_WIDTH_CM if wide else 9.0)


def bilaga5_docx(report: Bilaga5, *, rendered: Rendered | None = None, render: bool = True) -> bytes:
    """Bilaga 5 as .docx bytes: the summary, then the tables on landscape pages; charts as images or tables."""
    pending, rendered = chart_pending(report.charts, rendered, render)
    doc, problem = new_document(report.title, f"Uppföljning av {report.plan}", report.meta, report.example_note_body)
    slots: list = []
    for i, section in enumerate(report.sections):
        if i == 1:
            # The summary stays portrait; the tables after it need the width of a landscape page.
            orient(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        _docx_section(doc, section, slots)
    orient(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)
    add_sources(doc, SOURCES_LEAD, report.sources)
    for text in report.other_sources:
        doc.add_paragraph(text)
    add_example_section(doc, report.example_note)
    return finish_document(doc, slots, pending, rendered, problem)


def _html_section(section: ReportSection, number: int) -> tuple[str, int]:
    """One section as HTML (h2 or h3), and the next figure number."""
    tag = "h2" if section.level == 1 else "h3"
    out = [f"<section><{tag}>{e(section.heading)}</{tag}>"]
    if not section.paragraphs and section.table is None and section.empty_text:
        out.append(f'<p class="note">{e(section.empty_text)}</p>')
    out += [f"<p>{e(p.text)}</p>" for p in section.paragraphs]
    if section.chart is not None:
        number += 1
        out.append(figure_html(section.chart, number))
    if section.table is not None and section.table.rows:
        out.append(table_html(section.table, section.heading))
    return "".join(out) + "</section>", number


def bilaga5_html(report: Bilaga5) -> str:
    """Bilaga 5 as one self-contained HTML document (no scripts, no external resources)."""
    body = header_html(report.title, report.meta, report.example_note_body)
    number = 0
    for section in report.sections:
        html, number = _html_section(section, number)
        body.append(html)
    body.append(sources_html(SOURCES_LEAD, report.sources, report.other_sources))
    return html_page(report.title, body, report.example_note)


def bilaga5_pptx(report: Bilaga5) -> bytes:
    """Bilaga 5 as a deck: the summary with native charts, then the tables a slide at a time."""
    return presentation_pptx(report_slides(report))


def _html_bytes(report: Bilaga5) -> bytes:
    """The HTML document as UTF-8 bytes."""
    return bilaga5_html(report).encode("utf-8")


#: Each format of Bilaga 5: its name on a button, file extension, MIME type and builder.
FORMATS: tuple[tuple[str, str, str, Callable[[Bilaga5], bytes]], ...] = (
    ("Word", "docx", DOCX_MIME, bilaga5_docx),
    ("PowerPoint", "pptx", PPTX_MIME, bilaga5_pptx),
    ("HTML", "html", HTML_MIME, _html_bytes),
)
