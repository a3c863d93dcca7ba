"""The Word attachment, opened again with python-docx: headings, the key figures table, sentences, charts or tables."""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Twips
from PIL import Image

from analysis.core.palette import contrast_ratio
from analysis.exports.docx_export import (
    LANDSCAPE_WIDTH_CM,
    MAP_TABLE_NOTE,
    NO_IMAGES,
    NO_MAP,
    attachment_docx,
    chart_sections,
    docx_filename,
    map_size,
)
from analysis.exports.font_metrics import FONT
from analysis.render import images
from analysis.viewmodels.slides import ChartData, attachment, chart_alt_text
from tests.fonts import measured
from tests.test_slides import with_boundaries

TODAY = date(2026, 11, 26)
REF = "Övriga Linköping"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def berga(default_data):
    """The attachment of Berga."""
    return attachment(default_data, "Berga", REF, 2020, TODAY, version=1)


def paragraphs(doc) -> list[str]:
    """Every body paragraph's text."""
    return [p.text for p in doc.paragraphs]


def headings(doc, level: int) -> list[str]:
    """The texts of the headings of one level (0 = the title)."""
    name = "Title" if level == 0 else f"Heading {level}"
    return [p.text for p in doc.paragraphs if p.style.name == name]


def heading_level(paragraph) -> int | None:
    """0 for the Title style, n for Heading n, None for any other paragraph."""
    name = paragraph.style.name
    if name == "Title":
        return 0
    return int(name.removeprefix("Heading ")) if name.startswith("Heading ") else None


def assert_accessible_docx(doc, charts: Sequence[ChartData], map_alt: str | None = None) -> None:
    """Accessible-document rules: one title, headings that never skip a level, header rows, alt text, Swedish."""
    levels = [level for p in doc.paragraphs if (level := heading_level(p)) is not None]
    assert levels[0] == 0 and levels.count(0) == 1, "one Title, first"
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    assert all(p.text.strip() for p in doc.paragraphs if heading_level(p) is not None)
    assert doc.tables and all(t.rows[0]._tr.trPr.xpath("./w:tblHeader") for t in doc.tables)
    alts = ([map_alt] if map_alt is not None else []) + [chart_alt_text(c) for c in charts]
    assert [s._inline.docPr.get("descr") for s in doc.inline_shapes] == alts
    assert all(s._inline.docPr.get("descr").strip() for s in doc.inline_shapes)
    assert doc.core_properties.title and doc.core_properties.language == "sv-SE"
    languages = {el.get(qn("w:val")) for el in doc.styles.element.iter(qn("w:lang"))}
    assert languages == {"sv-SE"}
    assert doc.settings.element.find(qn("w:themeFontLang")).get(qn("w:val")) == "sv-SE"
    # Heading text of 13 points is not large text: 4.5:1 on white (the template's #4F81BD has 4.0:1).
    for level in sorted(set(levels)):
        colour = doc.styles["Title" if level == 0 else f"Heading {level}"].font.color.rgb
        assert colour is not None and contrast_ratio(f"#{colour}", "#FFFFFF") >= 4.5, (level, colour)


def tiny_png() -> bytes:
    """A valid 4×2 PNG."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 2), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_attachment_without_chromium_has_tables_and_says_so(berga, monkeypatch):
    monkeypatch.setenv("SEGDASH_CHROMIUM", "av")
    doc = Document(io.BytesIO(attachment_docx(berga)))
    assert headings(doc, 0) == ["Bilaga – Nulägesbild Berga 2026"]
    assert headings(doc, 1) == [
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
        "Källor",
        "Exempelvärden",
    ]
    text = paragraphs(doc)
    assert text[1] == berga.meta and "Dataversion 1" in text[1] and "26 november 2026" in text[1]
    assert NO_IMAGES.format(problem=images.NO_CHROMIUM) in text
    assert len(doc.inline_shapes) == 0
    # the key figures table, and one table per chart with the chart's values (the population's comes first)
    charts = [s.chart for s in chart_sections(berga)]
    assert len(doc.tables) == 1 + len(charts)
    first_chart = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert first_chart[0] == ["År", *(s.name for s in charts[0].series)]
    assert f"Tabell 1. {charts[0].title}: värdena i diagrammet." in text
    assert_accessible_docx(doc, [])


def test_key_figures_table_equals_the_status_picture(berga, monkeypatch):
    monkeypatch.setenv("SEGDASH_CHROMIUM", "av")
    doc = Document(io.BytesIO(attachment_docx(berga)))
    kf = berga.picture.key_figures
    (table,) = [t for t in doc.tables if t.rows[0].cells[0].text == "Indikator"]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == kf.columns.tolist()
    assert rows[1:] == kf.astype(str).values.tolist()
    assert rows[1][:3] == ["Förvärvsfrekvens 20–64 år", "2024", "62,5\u00a0%"]
    # Eleven columns: the key figures get a landscape page of their own.
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]


def test_every_sentence_text_and_source_is_in_the_document(berga, monkeypatch):
    monkeypatch.setenv("SEGDASH_CHROMIUM", "av")
    doc = Document(io.BytesIO(attachment_docx(berga)))
    text = set(paragraphs(doc))
    sp = berga.picture
    for card in sp.population + [c for _, cards in sp.themes for c in cards]:
        assert card.sentence in text, card.sentence
        if card.sex_sentence:
            assert card.sex_sentence in text
        for group in card.groups:
            assert group.sentence in text
    assert any(g.group == "Utrikes födda" for c in sp.themes[0][1] for g in c.groups)  # Berga has them
    for heading in ("Områdesbeskrivning", "Aktörer", "Utmaningar", "Styrkor", "Skyddsfaktorer"):
        for item in sp.texts[heading]:
            assert item.text in text
    assert "Exempeltext (fiktiv)." in text
    assert sp.summary in text
    joined = "\n".join(paragraphs(doc))
    for entry in berga.sources:
        assert f"{entry.name}. {entry.definition} Källa: {entry.source}." in joined
    assert berga.example_note in text
    assert "Förvärvsfrekvens 20–64 år · exempelvärde" in headings(doc, 2)


def test_rendered_images_go_into_their_sections_with_alt_text(berga):
    charts = [s.chart for s in chart_sections(berga)]
    png = tiny_png()
    doc = Document(io.BytesIO(attachment_docx(berga, rendered=images.Rendered((png,) * len(charts)))))
    assert len(doc.inline_shapes) == len(charts) == 8
    described = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert described == [chart_alt_text(c) for c in charts]
    assert described[1].startswith(f"Linjediagram: {charts[1].title}, 2015–2024. Linjerna visar Berga, {REF} och ")
    assert "Senaste värden: Berga " in described[1]
    assert_accessible_docx(doc, charts)
    assert f"Figur 2. {charts[1].title}, 2015–2024." in paragraphs(doc)
    assert len(doc.tables) == 1
    assert not any(p.startswith("Diagrammen kunde inte ritas") for p in paragraphs(doc))


def cell_padding(table) -> float:
    """A Word table's left plus right cell margin in points, as the table declares them."""
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    return sum(Twips(int(margins.find(qn(f"w:{side}")).get(qn("w:w")))).pt for side in ("left", "right"))


def header_words_too_wide(table) -> list[str]:
    """The header words of a Word table wider, in Arial at their size, than their column's room for text."""
    too_wide = []
    for cell, column in zip(table.rows[0].cells, table.columns):
        assert cell.width == column.width  # Word reads the cells' widths, LibreOffice the grid's
        for run in cell.paragraphs[0].runs:
            assert run.font.name == FONT and run.bold  # the font the widths are measured in
            room = column.width.pt - cell_padding(table)
            too_wide += [w for w in run.text.split(" ") if measured(w, run.font.size.pt, True) > room]
    return too_wide


@pytest.mark.parametrize("area", ["Berga", "Skäggetorp"])
def test_every_header_word_fits_its_column(default_data, area):
    att = attachment(default_data, area, REF, 2020, TODAY, version=1)
    doc = Document(io.BytesIO(attachment_docx(att, render=False)))  # the charts as tables too
    assert len(doc.tables) == 1 + len(chart_sections(att))
    assert {t.rows[0].cells[0].paragraphs[0].runs[0].font.size.pt for t in doc.tables} == {9}
    assert [header_words_too_wide(t) for t in doc.tables] == [[]] * len(doc.tables)
    (key,) = [t for t in doc.tables if t.rows[0].cells[0].text == "Indikator"]
    assert [c.text for c in key.rows[0].cells][2] == area
    assert sum(c.width for c in key.columns) == pytest.approx(Cm(LANDSCAPE_WIDTH_CM), abs=11 * 635)


def test_file_name():
    assert docx_filename("Bilaga – Nulägesbild Skäggetorp 2026") == "Bilaga_Nulagesbild_Skaggetorp_2026.docx"


def test_chromium_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("SEGDASH_CHROMIUM", "av")
    assert images.chromium_path() is None
    assert images.render_pngs([go.Figure()]).problem == images.NO_CHROMIUM
    monkeypatch.setenv("SEGDASH_CHROMIUM", str(tmp_path / "saknas"))
    assert images.chromium_path() is None
    assert images.render_pngs([]).ok


@pytest.mark.usefixtures("chromium")  # skips without Chromium; fails with SEGDASH_REQUIRE_BROWSER=1
def test_charts_are_rendered_as_png_images_with_chromium(berga):
    started = time.monotonic()
    data = attachment_docx(berga)
    elapsed = time.monotonic() - started
    doc = Document(io.BytesIO(data))
    assert len(doc.inline_shapes) == len(chart_sections(berga))
    blobs = [
        doc.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob for s in doc.inline_shapes
    ]
    assert all(b.startswith(PNG_SIGNATURE) for b in blobs)
    assert Image.open(io.BytesIO(blobs[0])).size == (images.WIDTH * 2, images.HEIGHT * 2)
    print(f"Word-bilaga med {len(blobs)} diagram: {elapsed:.1f} s (första gången startar Chromium)")


@pytest.mark.usefixtures("chromium")  # skips without Chromium; fails with SEGDASH_REQUIRE_BROWSER=1
def test_a_render_that_takes_too_long_gives_no_images():
    unique = go.Figure(go.Scatter(x=[1, 2], y=[time.time(), 1]))
    result = images.render_pngs([unique], timeout=0.001)
    assert result.images == () and result.problem == images.TIMED_OUT


# --- the map ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mapped_berga(default_data):
    """Berga's attachment on the default data with five boundaries: its Karta section maps områdestyp."""
    return attachment(with_boundaries(default_data), "Berga", REF, 2020, TODAY, version=1)


def table_rows(table) -> list[list[str]]:
    """A Word table as rows of cell texts."""
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_karta_section_has_the_map_its_caption_and_its_values(mapped_berga):
    section = mapped_berga.sections[1]
    charts = [s.chart for s in chart_sections(mapped_berga)]
    png = tiny_png()
    data = attachment_docx(
        mapped_berga, rendered=images.Rendered((png,) * len(charts)), map_rendered=images.Rendered((png,))
    )
    doc = Document(io.BytesIO(data))
    assert headings(doc, 1)[:4] == ["Områdesbeskrivning", "Karta", "Aktörer", "Befolkning"]
    assert_accessible_docx(doc, charts, section.map.alt)
    (first, *_) = doc.inline_shapes
    assert first._inline.docPr.get("title") == "Karta: Områdestyp 2024"
    assert first.width == Cm(16.0)
    text = paragraphs(doc)
    at = text.index("Karta")
    assert text[at + 1] == section.paragraphs[0].text
    assert text[at + 1].endswith("Berga har tjock svart kant och de andra fokusområdena svart kant.")
    assert text[at + 2] == ""  # the paragraph that holds the image
    assert text[at + 3] == (
        "Figur 1. Karta: Områdestyp 2024. Källa: SCB; Exempelvärde (fiktivt). Områdesgränser: Linköpings kommun. "
        "Färgen visar kategorin; den säger inget om bättre eller sämre. Streckade ytor och namn märkta * är "
        "exempelvärden (fiktiva) som ska ersättas med riktiga uppgifter."
    )
    assert text[at + 4] == MAP_TABLE_NOTE
    # The charts' figures are numbered after the map.
    assert f"Figur 2. {charts[0].title}, 2015–2024." in text and f"Figur 1. {charts[0].title}, 2015–2024." not in text
    values = table_rows(doc.tables[0])
    assert values[0] == ["Område", "Värde", "Källa", "Exempelvärde"]
    assert values[1:] == [list(r) for r in section.table.rows]
    assert values[4] == ["Lambohov", "4 – Områden med goda socioekonomiska förutsättningar", "SCB", ""]
    assert len(doc.tables) == 2  # the map's values and the key figures
    # The introduction and the image keep with what follows, so the map never leaves them behind on a page.
    assert doc.paragraphs[at + 1].paragraph_format.keep_with_next
    assert doc.paragraphs[at + 2].paragraph_format.keep_with_next


def test_without_an_image_the_karta_section_says_so_and_keeps_its_table(mapped_berga, monkeypatch):
    monkeypatch.setenv("SEGDASH_CHROMIUM", "av")
    doc = Document(io.BytesIO(attachment_docx(mapped_berga)))
    assert len(doc.inline_shapes) == 0
    text = paragraphs(doc)
    at = text.index("Karta")
    assert text[at + 2] == NO_MAP.format(problem=images.NO_CHROMIUM)
    assert text[at + 3].startswith("Källa: SCB; Exempelvärde (fiktivt). Områdesgränser: Linköpings kommun.")
    assert table_rows(doc.tables[0])[0] == ["Område", "Värde", "Källa", "Exempelvärde"]
    # No map figure: the charts' tables are numbered from 1, as without boundaries.
    charts = [s.chart for s in chart_sections(mapped_berga)]
    assert f"Tabell 1. {charts[0].title}: värdena i diagrammet." in text
    assert len(doc.tables) == 2 + len(charts)


def test_without_boundaries_the_attachment_is_as_before(berga):
    assert all(s.map is None for s in berga.sections)
    doc = Document(io.BytesIO(attachment_docx(berga, render=False, map_rendered=images.Rendered((tiny_png(),)))))
    assert "Karta" not in headings(doc, 1) and len(doc.inline_shapes) == 0
    assert len(doc.tables) == 1 + len(chart_sections(berga))


@pytest.mark.usefixtures("chromium")  # skips without Chromium; fails with SEGDASH_REQUIRE_BROWSER=1
def test_the_map_is_drawn_as_a_png_with_chromium(mapped_berga):
    doc = Document(io.BytesIO(attachment_docx(mapped_berga)))
    section = mapped_berga.sections[1]
    first = doc.inline_shapes[0]
    assert first._inline.docPr.get("descr") == section.map.alt
    blob = doc.part.related_parts[first._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    # 16 cm at 40 px per cm wide; the legend's nine rows below the map.
    width, height = map_size(section.map)
    assert width == 640 and Image.open(io.BytesIO(blob)).size == (1280, height * 2)
    assert len(doc.inline_shapes) == 1 + len(chart_sections(mapped_berga))
