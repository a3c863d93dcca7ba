"""Bilaga 5 as Word, HTML and PowerPoint, read back: headings, the model's tables cell by cell, charts, escaping."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document
from pptx import Presentation

from analysis.exports.followup_document import FORMATS, bilaga5_docx, bilaga5_html, bilaga5_pptx
from analysis.exports.html_export import e
from analysis.render.images import Rendered
from analysis.viewmodels.bilaga5 import bilaga5, report_slides
from analysis.viewmodels.followup import follow_up
from tests.builders import plan_followup_dataset
from tests.test_docx_export import assert_accessible_docx
from tests.test_html_export import assert_accessible_html
from tests.test_pptx_export import assert_accessible_pptx

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def report():
    ds = plan_followup_dataset(source="Exempelvärde (fiktivt)")
    return bilaga5(ds, follow_up(ds, current_year=2022, today=TODAY), version=7)


@pytest.fixture(scope="module")
def doc(report):
    return Document(io.BytesIO(bilaga5_docx(report, render=False)))


def _table_cells(table) -> list[tuple[str, ...]]:
    """A Word table's rows as text tuples."""
    return [tuple(c.text for c in row.cells) for row in table.rows]


def test_word_has_real_headings_in_the_documents_order(doc, report):
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Title", "Heading"))]
    assert headings[0] == ("Title", report.title)
    level = {1: "Heading 1", 2: "Heading 2"}
    expected = [(level[s.level], s.heading) for s in report.sections]
    assert headings[1 : 1 + len(expected)] == expected
    assert headings[-2:] == [("Heading 1", "Källor"), ("Heading 1", "Exempelvärden")]


def test_word_tables_are_the_models_with_a_header_row(doc, report):
    model_tables = [s.table for s in report.sections if s.table is not None and s.table.rows]
    # Without images each chart's values are a table too, right after its caption: skip those.
    word = [t for t in doc.tables if _table_cells(t)[0] in {m.columns for m in model_tables}]
    assert len(word) == len(model_tables)
    for table, model in zip(word, model_tables):
        assert _table_cells(table) == [model.columns, *model.rows]
        # The header row repeats on every page.
        assert table.rows[0]._tr.trPr is not None and table.rows[0]._tr.trPr.xpath("./w:tblHeader")
        # No row is split over a page break.
        assert all(row._tr.trPr.xpath("./w:cantSplit") for row in table.rows)


def test_word_without_chromium_says_charts_are_tables(doc, report):
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Diagrammen kunde inte ritas här" in text
    assert f"Tabell 1. {report.charts[0].title}: värdena i diagrammet." in text
    assert not doc.inline_shapes
    assert "Exempeldata. " in text and report.summary[1] in text


def test_word_with_images_puts_each_chart_with_alt_text(report):
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    rendered = Rendered(tuple(png for _ in report.charts), "")
    doc = Document(io.BytesIO(bilaga5_docx(report, rendered=rendered)))
    assert len(doc.inline_shapes) == len(report.charts) == 2
    descriptions = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert descriptions[0].startswith("Stapeldiagram: Åtgärder per tema och status. Staplarna visar ")
    assert_accessible_docx(doc, report.charts)
    assert "Diagrammen kunde inte ritas här" not in "\n".join(p.text for p in doc.paragraphs)


@pytest.mark.usefixtures("chromium")  # skips without Chromium; fails with SEGDASH_REQUIRE_BROWSER=1
def test_word_charts_are_drawn_with_chromium(report):
    doc = Document(io.BytesIO(bilaga5_docx(report)))
    said = [p.text for p in doc.paragraphs if "kunde inte ritas" in p.text]
    assert len(doc.inline_shapes) == 2, said


def test_html_is_self_contained_escaped_and_holds_every_table(report):
    html = bilaga5_html(report)
    assert html.startswith('<!DOCTYPE html>\n<html lang="sv">')
    assert "<script" not in html and "http://" not in html.split("</style>")[1]
    assert "Läxhjälp &lt;b&gt;&amp;" in html and "<b>&" not in html
    assert len(re.findall(r"<svg", html)) == 2
    for section in report.sections:
        for row in section.table.rows if section.table is not None else ():
            assert all(f"<td>{e(cell)}</td>" in html for cell in row), row
    assert html.count("<h2>") >= 5 and "<h3>Berga</h3>" in html


def test_pptx_has_one_slide_per_model_slide_with_native_charts(report):
    prs = Presentation(io.BytesIO(bilaga5_pptx(report)))
    models = report_slides(report)
    assert len(prs.slides) == len(models)
    titles = [s.shapes[0].text_frame.text for s in prs.slides]
    assert titles == [m.title for m in models]
    assert_accessible_pptx(prs, models)
    charts = [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) == 2
    tables = [sh.table for s in prs.slides for sh in s.shapes if sh.has_table]
    berga = next(t for t in tables if t.cell(0, 0).text == "Indikator")
    assert berga.cell(1, 0).text == "Förvärvsfrekvens\u00a0*" and berga.cell(1, 6).text == "I fas"


def test_every_format_has_a_builder_of_bytes(report):
    assert [(label, ext) for label, ext, _, _ in FORMATS] == [
        ("Word", "docx"),
        ("PowerPoint", "pptx"),
        ("HTML", "html"),
    ]
    html = dict((ext, build) for _, ext, _, build in FORMATS)["html"](report)
    assert isinstance(html, bytes) and html.decode("utf-8") == bilaga5_html(report)


def test_word_is_an_accessible_document(doc, report):
    # Without images: the charts' values are tables, every one with its header row marked.
    assert_accessible_docx(doc, [])
    assert doc.core_properties.title == report.title


def test_html_is_accessible(report):
    html = bilaga5_html(report)
    assert_accessible_html(html, report.charts)
    assert "<h3>" in html  # the themes and areas, under their h2
