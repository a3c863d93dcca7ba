"""Column widths for the Word and PowerPoint tables: no header word ever breaks inside itself.

A header may wrap between its words (at a space, after '-' or '/' before a letter), never inside one, so every column
is at least as wide as its header's widest word, measured in Arial (analysis.exports.font_metrics), bold, plus the
cell's margins. Body words get the same where there is room; the rest of the width goes to the columns whose texts
would otherwise wrap. When even that minimum is too wide the font shrinks in half points down to MIN_SIZE; then header
words are abbreviated, with a legend that says what the abbreviations stand for, and only when that cannot make room
for the body words may they break (the headers then abbreviated only as far as their own words need).

Helpers for export modules (widths are python-docx/python-pptx lengths, e.g. Cm(17) or Inches(7.6)):

    add_docx_table(doc, columns, rows, *, width, size=9.0, numeric=None, after=None) -> docx Table
        a 'Table Grid' table with a shaded, repeated, bold header row, fitted; the legend (if any) as a note below;
        after=a paragraph puts the table (and legend) right after it instead of at the end of the document.
    fit_docx_table(table, width, size=9.0) -> TableFit
        fits an existing python-docx table (first row the header): grid and cell widths, margins, font and size of
        every run, abbreviated headers; the caller shows TableFit.legend if it is not empty.
    add_pptx_table(slide, columns, rows, left, top, width, height, *, size=12.0, numeric=None) -> GraphicFrame
        a native table with a bold header row, fitted; the legend (if any) as a line at the bottom of the box.
    fit_pptx_table(table, size=12.0) -> TableFit
        fits an existing python-pptx table into the width its columns have now.

numeric: one flag per column, True for right-aligned (number) columns; by default every column but the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor, Twips
from pptx.dml.color import RGBColor as PptxRGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu as PptxEmu
from pptx.util import Inches
from pptx.util import Pt as PptxPt

from analysis.exports.font_metrics import FONT, text_width

MIN_SIZE = 7.0
STEP = 0.5
# Per column, beyond the cell margins: the borders and the renderers' rounding of widths and letter positions.
ALLOWANCE = 2.0
DOCX_MARGIN = Twips(108)  # each side; the value of Word's and python-docx's 'Table Grid', set on every table fitted
PPTX_MARGIN = Inches(0.06)  # each side
DOCX_PADDING = 2 * DOCX_MARGIN.pt + ALLOWANCE
PPTX_PADDING = 2 * PPTX_MARGIN.pt + ALLOWANCE
HEADER_FILL = "DCE6F0"
HEADER_TEXT = "000000"
GREY = "555555"
LANGUAGE = "sv-SE"
LEGEND_LEAD = "Förkortningar i tabellhuvudet: "
VOWELS = frozenset("aeiouyåäöéüAEIOUYÅÄÖÉÜ")
# Where a line may break: at spaces (not no-break spaces, which keep '62,5 %' together), and after '-' and '/' before
# a letter (never before a digit: '20-64' and '1/2' stay whole, as in Unicode's line breaking rules).
BREAKS = re.compile(r"[ \t\r\n]+|(?<=[-/])(?=[^\W\d_])")

Measure = Callable[[str, float, bool], float]


@dataclass(frozen=True)
class TableFit:
    """How a table fits its width: column widths (points), font size (points), headers as written, legend or ''."""

    widths: tuple[float, ...]
    size: float
    columns: tuple[str, ...]
    legend: str = ""


def words(text: str) -> list[str]:
    """The pieces a text may wrap between, a '-' or '/' kept with the piece before it."""
    return [w for w in BREAKS.split(str(text)) if w]


def font_sizes(size: float, floor: float, step: float = STEP) -> list[float]:
    """The font sizes to try, largest first: size, then down in steps to the floor."""
    sizes = [size]
    while sizes[-1] - step >= floor - 1e-9:
        sizes.append(round(sizes[-1] - step, 2))
    return sizes


def width_levels(
    columns: Sequence[str], rows: Sequence[Sequence[str]], size: float, padding: float, measure: Measure
) -> list[list[float]]:
    """Each column's width at four levels of comfort: header words unbroken; body words too; body cells on one line;
    headers on one line. Each level is at least the one before."""
    header_words, body_words, body_lines, header_lines = [], [], [], []
    for c, header in enumerate(columns):
        cells = [str(row[c]) for row in rows if c < len(row)]
        header_words.append(max((measure(w, size, True) for w in words(header)), default=0.0))
        body_words.append(max((measure(w, size, False) for cell in cells for w in words(cell)), default=0.0))
        body_lines.append(max((measure(cell.strip(), size, False) for cell in cells), default=0.0))
        header_lines.append(measure(str(header).strip(), size, True))
    levels = [[w + padding for w in header_words]]
    for more in (body_words, body_lines, header_lines):
        levels.append([max(low, w + padding) for low, w in zip(levels[-1], more)])
    return levels


def distributed(levels: Sequence[Sequence[float]], total: float) -> tuple[float, ...]:
    """Widths summing to total: the highest level that fits, the rest shared in proportion to what the next level
    needs; above the top level in proportion to the widths."""
    least = levels[0]
    if sum(least) > total:  # nothing fits: shrink in proportion, the last resort
        return tuple(w * total / sum(least) for w in least)
    for lower, upper in zip(levels, levels[1:]):
        if sum(upper) > total:
            spare, need = total - sum(lower), [u - low for u, low in zip(upper, lower)]
            return tuple(low + spare * n / sum(need) for low, n in zip(lower, need))
    top = levels[-1]
    return tuple(w * total / sum(top) for w in top)


def shortened(header: str, size: float, measure: Measure) -> str | None:
    """The header with its widest word cut shorter and ending in '.', None when no word can be cut (words of letters
    only, kept to at least three letters)."""
    parts = header.split(" ")
    candidates = [i for i, p in enumerate(parts) if p.rstrip(".").isalpha() and len(p.rstrip(".")) >= 4]
    if not candidates:
        return None
    i = max(candidates, key=lambda i: measure(parts[i], size, True))
    letters = parts[i].rstrip(".")
    # Cut as Swedish abbreviations are cut, after a consonant before a vowel ('Genomförd' -> 'Genomf.', 'Skäggetorp'
    # -> 'Skägget.' -> 'Skägg.'); without such a place, one letter shorter.
    cuts = [n for n in range(len(letters) - 1, 2, -1) if letters[n - 1] not in VOWELS and letters[n] in VOWELS]
    parts[i] = letters[: cuts[0] if cuts else len(letters) - 1] + "."
    return " ".join(parts)


def abbreviated(
    columns: Sequence[str], floors: Sequence[float], size: float, total: float, padding: float, measure: Measure
) -> tuple[str, ...] | None:
    """The headers with the widest words abbreviated, one cut at a time, until every column's header words and its
    floor (the width its body words need, or 0) fit the width; None when no abbreviation gets there."""
    headers = list(columns)
    while True:
        heads = [max((measure(w, size, True) for w in words(h)), default=0.0) + padding for h in headers]
        if sum(max(h, f) for h, f in zip(heads, floors)) <= total:
            return tuple(headers)
        # Only a header wider than its column's floor gives back width when it is shortened.
        options = {c: shortened(h, size, measure) for c, h in enumerate(headers) if heads[c] > floors[c]}
        # A shortened header that reads like another column's would make the legend ambiguous.
        options = {c: h for c, h in options.items() if h is not None and h not in headers}
        if not options:
            return None
        c = max(options, key=lambda c: heads[c])
        headers[c] = options[c]


def legend_text(columns: Sequence[str], written: Sequence[str]) -> str:
    """'Förkortningar i tabellhuvudet: Skägg. = Skäggetorp.' for the headers that were abbreviated, else ''."""
    pairs = [f"{short} = {full}" for full, short in zip(columns, written) if short != full]
    return LEGEND_LEAD + "; ".join(pairs) + "." if pairs else ""


def fit_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    total: float,
    size: float,
    *,
    padding: float,
    measure: Measure = text_width,
    min_size: float = MIN_SIZE,
) -> TableFit:
    """Column widths (points, summing to total) and the font size at which every header word fits its column.

    padding is what a column needs beyond its text (cell margins, borders). Body words fit too, by shrinking the font
    to min_size and then abbreviating headers (TableFit.legend); when nothing makes room for them they may break.
    """
    columns = tuple(str(c) for c in columns)
    rows = [tuple(str(v) for v in row) for row in rows]
    sizes = font_sizes(size, min(size, min_size))
    for s in sizes:
        levels = width_levels(columns, rows, s, padding, measure)
        if sum(levels[1]) <= total:
            return TableFit(distributed(levels[1:], total), s, columns)
    floor = sizes[-1]
    levels = width_levels(columns, rows, floor, padding, measure)
    body_words = width_levels(["" for _ in columns], rows, floor, padding, measure)[1]
    # At the floor, abbreviated headers (with a legend) are better than body words broken inside; when abbreviating
    # cannot save the body words, they break, and headers are abbreviated only if their own words do not fit.
    for floors in (body_words, [0.0] * len(columns)):
        written = abbreviated(columns, floors, floor, total, padding, measure)
        if written is not None:
            levels = width_levels(written, rows, floor, padding, measure)
            return TableFit(distributed(levels, total), floor, written, legend_text(columns, written))
    return TableFit(distributed(levels, total), floor, columns)


# --- Word (python-docx) -------------------------------------------------------------------------------------------


def docx_property(parent, tag: str):
    """A child element of a properties element, created (empty) if missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def set_docx_geometry(table, widths: Sequence[int]) -> None:
    """The table's width, cell margins and column widths, in both the places Word and LibreOffice read."""
    table.autofit = False  # a fixed layout: Word keeps the widths instead of fitting columns to their texts
    tbl_pr = table._tbl.tblPr  # noqa: SLF001 - python-docx has no API for the table width or the cell margins
    tbl_w = docx_property(tbl_pr, "w:tblW")
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(Emu(w).twips for w in widths)))
    margins = docx_property(tbl_pr, "w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = docx_property(margins, side)
        margin.set(qn("w:w"), str(DOCX_MARGIN.twips))
        margin.set(qn("w:type"), "dxa")
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid, which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width  # the cells' widths, which Word follows


def rewrite_cell(paragraphs, text: str) -> None:
    """Replace a cell's text with another, keeping the first run's formatting."""
    runs = [run for p in paragraphs for run in p.runs]
    if runs:
        runs[0].text = text
        for run in runs[1:]:
            run.text = ""


def whole_emus(widths: Sequence[float], total: int) -> list[int]:
    """Widths in points as whole EMUs that add up exactly to total (the last column takes the rounding)."""
    emus = [int(Pt(w)) for w in widths]
    emus[-1] += total - sum(emus)
    return emus


def fit_docx_table(table, width: int, size: float = 9.0) -> TableFit:
    """Fit a python-docx table (first row the header) into a width: widths, margins, Arial at the size that fits."""
    texts = [[cell.text for cell in row.cells] for row in table.rows]
    fit = fit_table(texts[0], texts[1:], Emu(width).pt, size, padding=DOCX_PADDING)
    set_docx_geometry(table, whole_emus(fit.widths, width))
    for cell, old, new in zip(table.rows[0].cells, texts[0], fit.columns):
        if new != old:
            rewrite_cell(cell.paragraphs, new)
    for row in table.rows:
        for cell in row.cells:
            for run in (run for p in cell.paragraphs for run in p.runs):
                run.font.name, run.font.size = FONT, Pt(fit.size)
    return fit


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


def keep_rows_whole(table) -> None:
    """Keep each row on one page: a row split over a page break separates a value from its year."""
    for row in table.rows:
        props = row._tr.get_or_add_trPr()  # noqa: SLF001
        flag = OxmlElement("w:cantSplit")
        flag.set(qn("w:val"), "true")
        props.append(flag)


def numeric_flags(count: int, numeric: Sequence[bool] | None) -> list[bool]:
    """Which columns are right-aligned: as given, or every column but the first."""
    return list(numeric) if numeric is not None else [c > 0 for c in range(count)]


def add_docx_table(
    doc,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int,
    size: float = 9.0,
    numeric: Sequence[bool] | None = None,
    after=None,
):
    """A fitted Word table with a shaded, repeated, bold header row; numbers right-aligned; a legend note below when
    headers had to be abbreviated. With after (a paragraph), the table goes right after it."""
    right = numeric_flags(len(columns), numeric)
    grid = doc.add_table(rows=len(rows) + 1, cols=len(columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, (row, values) in enumerate(zip(grid.rows, [columns, *rows])):
        cells = row.cells  # python-docx builds this list on every access
        for c, value in enumerate(values):
            p = cells[c].paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if r > 0 and right[c] else WD_ALIGN_PARAGRAPH.LEFT
            p.add_run(str(value)).bold = r == 0
            if r == 0:
                shade(cells[c], HEADER_FILL)
    repeat_header(grid.rows[0])
    keep_rows_whole(grid)
    fit = fit_docx_table(grid, width, size)
    if after is not None:
        after._p.addnext(grid._tbl)  # noqa: SLF001 - python-docx adds tables only at the end
    if fit.legend:
        note = doc.add_paragraph()
        run = note.add_run(fit.legend)
        run.italic, run.font.size, run.font.color.rgb = True, Pt(max(fit.size, 8)), RGBColor.from_string(GREY)
        grid._tbl.addnext(note._p)  # noqa: SLF001
    return grid


# --- PowerPoint (python-pptx) -------------------------------------------------------------------------------------


def apply_pptx_fit(table, fit: TableFit, total: int) -> None:
    """Column widths, cell margins, Arial at the fitted size and the headers as fitted, on a python-pptx table."""
    for column, width in zip(table.columns, whole_emus(fit.widths, total)):
        column.width = PptxEmu(width)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.margin_left = cell.margin_right = PPTX_MARGIN
            if r == 0 and c < len(fit.columns) and cell.text != fit.columns[c]:
                rewrite_cell(cell.text_frame.paragraphs, fit.columns[c])
            for run in (run for p in cell.text_frame.paragraphs for run in p.runs):
                run.font.name, run.font.size = FONT, PptxPt(fit.size)


def fit_pptx_table(table, size: float = 12.0) -> TableFit:
    """Fit a python-pptx table (first row the header) into the width its columns have now."""
    texts = [[cell.text for cell in row.cells] for row in table.rows]
    total = sum(column.width for column in table.columns)
    fit = fit_table(texts[0], texts[1:], PptxEmu(total).pt, size, padding=PPTX_PADDING)
    apply_pptx_fit(table, fit, total)
    return fit


def add_pptx_table(
    slide,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    left: int,
    top: int,
    width: int,
    height: int,
    *,
    size: float = 12.0,
    numeric: Sequence[bool] | None = None,
):
    """A fitted native table with a bold header row, numbers right-aligned; a legend line at the bottom of the box
    when headers had to be abbreviated."""
    fit = fit_table(columns, rows, PptxEmu(width).pt, size, padding=PPTX_PADDING)
    legend_h = PptxPt(fit.size * 2.2) if fit.legend else 0
    count = len(rows) + 1
    row_h = min((height - legend_h) // count, int(PptxPt(fit.size * 2.1)))
    shape = slide.shapes.add_table(count, len(columns), left, top, width, row_h * count)
    grid = shape.table
    grid.first_row = True
    grid.horz_banding = True
    right = numeric_flags(len(columns), numeric)
    for r, values in enumerate([columns, *rows]):
        grid.rows[r].height = row_h
        for c, text in enumerate(values):
            cell = grid.cell(r, c)
            cell.margin_top = cell.margin_bottom = Inches(0.02)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            tf = cell.text_frame
            tf.word_wrap = True
            p = tf.paragraphs[0]
            p.alignment = PP_ALIGN.RIGHT if right[c] else PP_ALIGN.LEFT  # headers over numbers too
            run = p.add_run()
            run.text = str(text)
            run.font.bold = r == 0
            run.font._rPr.set("lang", LANGUAGE)  # noqa: SLF001 - python-pptx has no API for the language
            if r == 0:
                # The default table style writes white on #4F81BD (4.0:1): the header row takes the Word tables' light
                # fill and black text instead.
                cell.fill.solid()
                cell.fill.fore_color.rgb = PptxRGBColor.from_string(HEADER_FILL)
                run.font.color.rgb = PptxRGBColor.from_string(HEADER_TEXT)
    apply_pptx_fit(grid, fit, width)
    if fit.legend:
        box = slide.shapes.add_textbox(left, top + height - legend_h, width, legend_h)
        box.text_frame.word_wrap = True
        run = box.text_frame.paragraphs[0].add_run()
        run.text = fit.legend
        run.font.size, run.font.italic = PptxPt(max(fit.size - 1, 8)), True
        run.font.color.rgb = PptxRGBColor.from_string(GREY)
        run.font._rPr.set("lang", LANGUAGE)  # noqa: SLF001
    return shape
