"""Column widths that keep header words whole: hand-worked cases with a simple font, then the Word and PowerPoint
helpers on real tables."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm
from pptx import Presentation
from pptx.util import Inches

from analysis.exports.font_metrics import FONT
from analysis.exports.table_fit import (
    DOCX_MARGIN,
    PPTX_MARGIN,
    TableFit,
    add_docx_table,
    add_pptx_table,
    fit_docx_table,
    fit_pptx_table,
    fit_table,
    font_sizes,
    shortened,
    words,
)
from tests.fonts import measured


def mono(text: str, size: float, bold: bool) -> float:
    """A made-up font for hand-working: every character half an em wide, in bold 0,6 em."""
    return len(text) * size * (0.6 if bold else 0.5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ej påbörjad", ["Ej", "påbörjad"]),
        ("Kvinnor/män", ["Kvinnor/", "män"]),
        ("20-64 år", ["20-64", "år"]),  # no break after '-' or '/' before a digit
        ("1/2", ["1/2"]),
        ("20–64-åringar", ["20–64-", "åringar"]),  # an en dash is not a break here: the fit stays on the safe side
        ("62,5\u00a0%", ["62,5\u00a0%"]),  # no-break spaces keep a value and its unit together
        ("  a\tb\n", ["a", "b"]),
        ("", []),
    ],
)
def test_words(text, expected):
    assert words(text) == expected


def test_font_sizes():
    assert font_sizes(12, 10) == [12, 11.5, 11, 10.5, 10]
    assert font_sizes(9, 7, 1) == [9, 8, 7]
    assert font_sizes(6, 6) == [6]


# Each case: columns, rows, total width, start size, expected TableFit. Padding 2 points; mono widths:
# a bold header letter 0,6 × size, a body letter 0,5 × size.
CASES = {
    # Everything fits on one line (Område 6×6+2 = 38 < Skäggetorp 10×5+2 = 52; År 14 < 2024 22): the widths
    # 52 and 22 (74) are stretched to 148 in proportion.
    "one line, stretched": (
        ("Område", "År"),
        (("Skäggetorp", "2024"),),
        148,
        10,
        TableFit((104.0, 44.0), 10, ("Område", "År")),
    ),
    # 'Ej påbörjad' needs 50 with its words on two lines, 68 on one; Pågår 32. 90 leaves 8 of the 18 it wants.
    "header wraps between words": (
        ("Ej påbörjad", "Pågår"),
        (("1", "10"),),
        90,
        10,
        TableFit((58.0, 32.0), 10, ("Ej påbörjad", "Pågår")),
    ),
    # Genomförd 9×0,6×s+2 and Vilande 7×0,6×s+2 fit 80 first at 7,5 pt (42,5 + 33,5 = 76; at 8 pt 80,8).
    "font shrinks": (
        ("Genomförd", "Vilande"),
        (("12", "1"),),
        80,
        10,
        TableFit((42.5 * 80 / 76, 33.5 * 80 / 76), 7.5, ("Genomförd", "Vilande")),
    ),
    # At the 7 pt floor the body word needs 16×3,5+2 = 58 of 40: it may break; the headers (6,2 each) may not,
    # and the body column gets all the rest.
    "body word breaks at the floor": (
        ("A", "B"),
        (("Långtordlångtord", "x"),),
        40,
        8,
        TableFit((33.8, 6.2), 7, ("A", "B")),
    ),
    # Skäggetorp (44) and Ryd (14,6) do not fit 40 even at 7 pt: Skäggetorp is cut to 'Skägget.' (35,6), 'Skägg.'
    # (27,2), then a letter shorter, 'Skäg.' (5×4,2+2 = 23), which fits; Ryd has too few letters to cut.
    "abbreviated with a legend": (
        ("Skäggetorp", "Ryd"),
        (("1", "2"),),
        40,
        7,
        TableFit(
            (23 * 40 / 37.6, 14.6 * 40 / 37.6),
            7,
            ("Skäg.", "Ryd"),
            "Förkortningar i tabellhuvudet: Skäg. = Skäggetorp.",
        ),
    ),
    # At 7 pt Skäggetorp (44) and the body word Långtord (30) need 74 of 60: rather than break Långtord, Skäggetorp is
    # shortened until 'Skägg.' (6 × 4,2 + 2 = 27,2) fits; 27,2 + 30 = 57,2 is then stretched to 60.
    "abbreviated so body words stay whole": (
        ("Skäggetorp", "B"),
        (("Berga", "Långtord"),),
        60,
        7,
        TableFit(
            (27.2 * 60 / 57.2, 30 * 60 / 57.2),
            7,
            ("Skägg.", "B"),
            "Förkortningar i tabellhuvudet: Skägg. = Skäggetorp.",
        ),
    ),
    # Nothing can be shortened: the last resort shrinks the minimum widths (14,6 and 10,4) in proportion.
    "nothing fits": (
        ("Abc", "De"),
        (),
        10,
        7,
        TableFit((5.84, 4.16), 7, ("Abc", "De")),
    ),
}


@pytest.mark.parametrize(("columns", "rows", "total", "size", "expected"), CASES.values(), ids=CASES.keys())
def test_fit_table(columns, rows, total, size, expected):
    fit = fit_table(columns, rows, total, size, padding=2, measure=mono)
    assert fit.widths == pytest.approx(expected.widths)
    assert (fit.size, fit.columns, fit.legend) == (expected.size, expected.columns, expected.legend)
    assert sum(fit.widths) == pytest.approx(total)


def test_an_abbreviation_never_reads_like_another_header():
    # Both headers need 8 × 4,2 + 2 = 35,6 of 60. 'Försenad' becomes 'Försen.' (31,4); 'Försenas' would read the
    # same, so 'Försen.' is cut again, to 'Förs.' (23), and 23 + 35,6 fits.
    fit = fit_table(("Försenad", "Försenas"), (), 60, 7, padding=2, measure=mono)
    assert fit.columns == ("Förs.", "Försenas")
    assert fit.legend == "Förkortningar i tabellhuvudet: Förs. = Försenad."


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Genomförd", "Genomf."),
        ("Skäggetorp", "Skägget."),
        ("Skägget.", "Skägg."),
        ("Skägg.", "Skäg."),  # no cut before a vowel left: one letter
        ("Riskerar att försenas", "Risker. att försenas"),  # the widest word, the first of equals
        ("Ej påbörjad", "Ej påbörj."),
        ("Ryd", None),
        ("20–64 år", None),
    ],
)
def test_shortened(header, expected):
    assert shortened(header, 10, mono) == expected


# --- Word and PowerPoint, measured in the font file -----------------------------------------------------------

COLUMNS = ("Område", "Ej påbörjad", "Pågår", "Riskerar att försenas", "Försenad", "Genomförd", "Totalt")
ROWS = (("Skäggetorp", "1", "13", "1", "5", "12", "33"), ("Berga", "1", "10", "0", "6", "11", "30"))


def header_words_too_wide(widths_pt, margins_pt: float, headers, size: float) -> list[str]:
    """The header words wider than their column's text width at a size: none when the table fits."""
    return [
        word
        for width, header in zip(widths_pt, headers)
        for word in header.split(" ")
        if measured(word, size, True) > width - margins_pt
    ]


def docx_run_sizes(table) -> set[float]:
    """The font sizes of every run of a Word table."""
    return {run.font.size.pt for row in table.rows for cell in row.cells for p in cell.paragraphs for run in p.runs}


def test_add_docx_table_sets_grid_cells_margins_and_font():
    doc = Document()
    anchor = doc.add_paragraph("Före")
    doc.add_paragraph("Efter")
    # The words need 349,7 pt with their margins at 9 pt, 335,2 at 8,5; 12 cm is 340,2.
    table = add_docx_table(doc, COLUMNS, ROWS, width=Cm(12), size=9, after=anchor)
    body = list(doc.element.body)
    assert body.index(table._tbl) == body.index(anchor._p) + 1
    grid = [c.width for c in table.columns]
    assert sum(grid) == pytest.approx(Cm(12), abs=len(COLUMNS) * 635)  # whole twips
    for row in table.rows:
        assert [c.width for c in row.cells] == grid
    tbl_pr = table._tbl.tblPr
    assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    margins = tbl_pr.find(qn("w:tblCellMar"))
    assert [margins.find(qn(f"w:{side}")).get(qn("w:w")) for side in ("left", "right")] == ["108", "108"]
    assert {run.font.name for row in table.rows for cell in row.cells for run in cell.paragraphs[0].runs} == {FONT}
    (size,) = docx_run_sizes(table)
    assert size == 8.5
    assert header_words_too_wide([Cm(w.cm).pt for w in grid], 2 * DOCX_MARGIN.pt, COLUMNS, size) == []
    assert [c.text for c in table.rows[0].cells] == list(COLUMNS)
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert [c.paragraphs[0].alignment for c in table.rows[1].cells][:2] == [
        WD_ALIGN_PARAGRAPH.LEFT,
        WD_ALIGN_PARAGRAPH.RIGHT,
    ]


def test_a_narrow_docx_table_shrinks_then_abbreviates_with_a_legend_below():
    doc = Document()
    # Even at 7 pt the header words need 282,5 pt with their margins; 9 cm is 255,1.
    table = add_docx_table(doc, COLUMNS, ROWS, width=Cm(9), size=9)
    (size,) = docx_run_sizes(table)
    headers = [c.text for c in table.rows[0].cells]
    assert size == 7
    assert headers == ["Område", "Ej påbörj.", "Pågår", "Risker. att försen.", "Försen.", "Gen.", "Totalt"]
    assert header_words_too_wide([c.width.pt for c in table.columns], 2 * DOCX_MARGIN.pt, headers, 7) == []
    assert table._tbl.getnext() is doc.paragraphs[-1]._p
    assert doc.paragraphs[-1].text == (
        "Förkortningar i tabellhuvudet: Ej påbörj. = Ej påbörjad; Risker. att försen. = Riskerar att försenas; "
        "Försen. = Försenad; Gen. = Genomförd."
    )


def test_fit_docx_table_fits_an_existing_table():
    doc = Document()
    table = doc.add_table(rows=2, cols=2)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ["Skäggetorp", "Exempel", "55,3 %", "Ja"]):
        cell.paragraphs[0].add_run(text).bold = text in {"Skäggetorp", "Exempel"}
    # Bold Skäggetorp and Exempel at 9 pt: 49,5 + 37,0 + 2 × 12,8 = 112,1 pt, within 4 cm (113,4); at 9,5 pt 116,9.
    fit = fit_docx_table(table, Cm(4), size=11)
    assert fit.size == 9 and fit.legend == ""
    assert sum(c.width for c in table.columns) == pytest.approx(Cm(4), abs=2 * 635)  # whole twips
    assert docx_run_sizes(table) == {9}
    assert header_words_too_wide([c.width.pt for c in table.columns], 2 * DOCX_MARGIN.pt, fit.columns, 9) == []


def pptx_slide():
    """A blank slide of a new presentation."""
    prs = Presentation()
    return prs, prs.slides.add_slide(prs.slide_layouts[6])


def test_add_pptx_table_fits_and_sets_font_margins_and_sizes():
    _, slide = pptx_slide()
    # The words need 435,7 pt with their margins at 12,5 pt, 421,2 at 12; 6 in is 432.
    shape = add_pptx_table(slide, COLUMNS, ROWS, Inches(0.5), Inches(1), Inches(6), Inches(3), size=13)
    table = shape.table
    widths = [c.width for c in table.columns]
    assert sum(widths) == Inches(6)
    sizes = {run.font.size.pt for row in table.rows for cell in row.cells for run in cell.text_frame.paragraphs[0].runs}
    assert sizes == {12}
    cell = table.cell(0, 3)
    assert (cell.margin_left, cell.margin_right) == (PPTX_MARGIN, PPTX_MARGIN)
    assert cell.text_frame.paragraphs[0].runs[0].font.name == FONT
    assert header_words_too_wide([w.pt for w in widths], 2 * PPTX_MARGIN.pt, COLUMNS, 12) == []
    assert [s for s in slide.shapes if s.has_text_frame] == []  # no legend


def test_a_narrow_pptx_table_gets_a_legend_line():
    _, slide = pptx_slide()
    # At 7 pt the header words need 267,4 pt with their margins; 3,5 in is 252.
    shape = add_pptx_table(slide, COLUMNS, ROWS, Inches(0.5), Inches(1), Inches(3.5), Inches(3), size=12)
    headers = [c.text for c in shape.table.rows[0].cells]
    widths = [c.width.pt for c in shape.table.columns]
    assert header_words_too_wide(widths, 2 * PPTX_MARGIN.pt, headers, 7) == []
    (legend,) = [s for s in slide.shapes if s.has_text_frame]
    assert headers == ["Område", "Ej påbörj.", "Pågår", "Riskerar att försen.", "Försen.", "Gen.", "Totalt"]
    assert legend.text_frame.text == (
        "Förkortningar i tabellhuvudet: Ej påbörj. = Ej påbörjad; Riskerar att försen. = Riskerar att försenas; "
        "Försen. = Försenad; Gen. = Genomförd."
    )
    assert legend.top + legend.height == Inches(4)


def test_fit_pptx_table_refits_an_existing_table():
    prs, slide = pptx_slide()
    shape = slide.shapes.add_table(2, 2, Inches(0), Inches(0), Inches(2), Inches(1))
    for cell, text in zip(
        [shape.table.cell(r, c) for r in (0, 1) for c in (0, 1)], ["Genomförd", "Totalt", "12", "33"]
    ):
        cell.text_frame.paragraphs[0].add_run().text = text
    fit = fit_pptx_table(shape.table, size=14)
    assert sum(c.width for c in shape.table.columns) == Inches(2)
    assert fit.size == 14 and fit.legend == ""
    assert header_words_too_wide([c.width.pt for c in shape.table.columns], 2 * PPTX_MARGIN.pt, fit.columns, 14) == []
    reopened = Presentation(io.BytesIO(saved(prs)))
    assert reopened.slides[0].shapes[0].table.cell(0, 0).text_frame.paragraphs[0].runs[0].font.name == FONT


def saved(prs) -> bytes:
    """A presentation as .pptx bytes."""
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
