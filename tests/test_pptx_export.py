"""The PowerPoint file, opened again with python-pptx: slides, native charts and their values, tables, footers."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches

from analysis.core.model import THEMES
from analysis.core.palette import DARK_ORANGE, area_styles, contrast_ratio
from analysis.exports.font_metrics import FONT
from analysis.exports.pptx_export import (
    NO_MAP,
    fitting_size,
    map_size,
    number_format,
    pptx_filename,
    presentation_pptx,
)
from analysis.render import images
from analysis.viewmodels.nulage import status_picture
from analysis.viewmodels.slides import (
    AREA_SLIDE,
    FOLLOWUP_SLIDE,
    MAP_EXAMPLE_NOTE,
    MAP_SLIDE,
    STATUS_NOTE,
    TITLE_SLIDE,
    Slide,
    chart_alt_text,
    deck,
    table_lines,
)
from tests.fonts import measured
from tests.test_slides import with_boundaries

TODAY = date(2026, 11, 26)
REF = "Övriga Linköping"
AREAS = ["Berga", "Ryd", "Skäggetorp"]
NB = "\u00a0"


@pytest.fixture(scope="module")
def all_areas(default_data):
    """The deck for all three focus areas and its .pptx, opened again."""
    slides = deck(default_data, AREAS, THEMES, REF, 2020, TODAY, version=1)
    return slides, Presentation(io.BytesIO(presentation_pptx(slides)))


def texts(slide) -> list[str]:
    """Every text frame's text on a slide, in shape order."""
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def chart_of(slide):
    """The slide's only chart."""
    (frame,) = [s for s in slide.shapes if s.has_chart]
    return frame.chart


def table_of(slide) -> list[list[str]]:
    """The slide's only table as rows of cell texts."""
    (frame,) = [s for s in slide.shapes if s.has_table]
    return [[cell.text for cell in row.cells] for row in frame.table.rows]


def alt_text(shape) -> str | None:
    """A shape's alternative text (p:cNvPr descr)."""
    return shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr")


def assert_accessible_pptx(prs, models: Sequence[Slide]) -> None:
    """Every slide's title in its title placeholder, first in reading order; alt text on every chart and picture."""
    assert len(prs.slides) == len(models)
    for slide, model in zip(prs.slides, models):
        title = slide.shapes.title
        assert title is not None and title.text_frame.text == model.title and model.title.strip()
        assert title.placeholder_format.type == PP_PLACEHOLDER.TITLE
        assert slide.shapes[0].shape_id == title.shape_id, "the title is read first"
        charts = [s for s in slide.shapes if s.has_chart]
        assert [alt_text(c) for c in charts] == ([chart_alt_text(model.chart)] if model.chart else [])
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert all((alt_text(p) or "").strip() for p in pictures)
        for chart in charts:  # value labels readable: on their bar (stacked) or on white (above a bar)
            if chart.chart.chart_type in (XL_CHART_TYPE.COLUMN_STACKED, XL_CHART_TYPE.COLUMN_CLUSTERED):
                for ser in chart.chart.plots[0].series:
                    fill, ink = f"#{ser.format.fill.fore_color.rgb}", f"#{ser.data_labels.font.color.rgb}"
                    stacked = chart.chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
                    assert contrast_ratio(ink, fill if stacked else "#FFFFFF") >= 4.5, (model.title, ser.name)
        for frame in (s for s in slide.shapes if s.has_table):
            for cell in frame.table.rows[0].cells:  # the header row: its own fill and text colour, 4.5:1
                ink = f"#{cell.text_frame.paragraphs[0].runs[0].font.color.rgb}"
                assert contrast_ratio(ink, f"#{cell.fill.fore_color.rgb}") >= 4.5


def test_titles_are_real_slide_titles_that_look_as_before(all_areas):
    slides, prs = all_areas
    assert_accessible_pptx(prs, slides)
    for model, slide in zip(slides, prs.slides):
        title = slide.shapes.title
        big = model.kind == TITLE_SLIDE
        assert (title.left, title.top) == ((Inches(0.9), Inches(1.9)) if big else (Inches(0.5), Inches(0.3)))
        (paragraph,) = title.text_frame.paragraphs
        (run,) = paragraph.runs
        assert paragraph.alignment == PP_ALIGN.LEFT and run.font.bold and run.font.size.pt == (40 if big else 30)
        assert str(run.font.color.rgb) == "222222" and run.font._rPr.get("lang") == "sv-SE"
    # The title slide's accent bar is decoration: marked so, screen readers skip it.
    bar = prs.slides[0].shapes[1]
    assert bar.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and "decorative" in bar._element.xml


def test_one_slide_per_model_slide_in_16_9_with_titles(all_areas):
    slides, prs = all_areas
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(prs.slides) == len(slides) == 30
    for model, slide in zip(slides, prs.slides):
        shown = texts(slide)
        assert model.title in shown, model.title
        assert f"{slides.index(model) + 1} / 30" in shown
    assert prs.core_properties.language == "sv-SE"


def test_title_slide_has_date_and_data_version(all_areas):
    _, prs = all_areas
    shown = "\n".join(texts(prs.slides[0]))
    assert "Åtgärdsplan mot segregation" in shown
    assert "Uppföljning: Berga, Ryd och Skäggetorp jämfört med övriga Linköping" in shown
    assert "26 november 2026" in shown and "Dataversion 1" in shown


def test_theme_slide_has_a_native_line_chart_with_the_status_picture_values(all_areas, default_data):
    slides, prs = all_areas
    index = next(i for i, s in enumerate(slides) if s.title == "Ryd: arbete")
    chart = chart_of(prs.slides[index])
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    card = dict(status_picture(default_data, "Ryd", REF, 2020).themes)["arbete"][0]
    assert chart.chart_title.text_frame.text == card.name == "Förvärvsfrekvens 20–64 år"
    plot = chart.plots[0]
    assert list(plot.categories) == [str(y) for y in card.history.index]
    names = [s.name for s in plot.series]
    assert names == ["Ryd", REF, "Linköping"]
    assert list(plot.series[0].values) == pytest.approx(card.history.tolist())
    assert list(plot.series[1].values) == pytest.approx(card.reference_history.tolist())
    assert chart.value_axis.tick_labels.number_format == "#,##0;-#,##0;;@"
    ryd_colour = area_styles(default_data.areas)["Ryd"].colour
    assert str(plot.series[0].format.line.color.rgb) == ryd_colour.lstrip("#") == DARK_ORANGE.lstrip("#")
    shown = "\n".join(texts(prs.slides[index]))
    assert card.sentence in shown
    assert "Källa: SCB; Linköpings kommun (Linköping i siffror)." in shown
    assert "* Exempelvärde (fiktivt)" in shown


def test_area_slide_table_and_gap_count_chart(all_areas, default_data):
    slides, prs = all_areas
    index = next(i for i, s in enumerate(slides) if s.kind == AREA_SLIDE and s.area == "Skäggetorp")
    sp = status_picture(default_data, "Skäggetorp", REF, 2020)
    rows = table_of(prs.slides[index])
    assert rows[0] == ["Indikator", "År", "Skäggetorp", REF, "Skillnad", "Skillnaden"]
    assert [r[2] for r in rows[1:]] == sp.key_figures["Skäggetorp"].tolist()
    assert [r[4] for r in rows[1:]] == sp.key_figures["Skillnad"].tolist()
    chart = chart_of(prs.slides[index])
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    plot = chart.plots[0]
    assert [s.name for s in plot.series] == ["Minskad skillnad", "Oförändrat", "Ogynnsam utveckling"]
    assert [list(s.values) for s in plot.series] == [[sp.counts.closing], [sp.counts.steady], [sp.counts.widening]]
    assert plot.data_labels.number_format == "#,##0;-#,##0;;@" and not plot.data_labels.number_format_is_linked


def test_follow_up_slides(all_areas):
    slides, prs = all_areas
    rows = table_of(prs.slides[28])
    assert rows[0] == ["Tema", *AREAS]
    assert [r[0] for r in rows[1:]] == [
        "Arbete",
        "Ekonomi",
        "Utbildning",
        "Boende",
        "Befolkning",
        "Demokrati",
        "Hälsa",
        "Trygghet",
        "Alla valda teman",
    ]
    assert rows[1:] == [list(r) for r in slides[28].table.rows]
    actions = chart_of(prs.slides[29]).plots[0]
    assert list(actions.categories) == AREAS
    model = slides[29].chart
    assert [list(s.values) for s in actions.series] == [list(s.values) for s in model.series]
    assert STATUS_NOTE in "\n".join(texts(prs.slides[29]))


def test_one_area_deck(default_data):
    slides = deck(default_data, ["Berga"], ["arbete", "trygghet"], REF, 2020, TODAY, version=1)
    prs = Presentation(io.BytesIO(presentation_pptx(slides)))
    assert [texts(s)[0] if i else None for i, s in enumerate(prs.slides)][1:4] == [
        "Berga: översikt",
        "Berga: arbete",
        "Berga: trygghet",
    ]
    assert len(prs.slides) == 6
    notes = prs.slides[2].notes_slide.notes_text_frame.text
    assert slides[2].bullets[0] in notes and "Källa:" in notes


def test_formats_and_layout_helpers():
    assert number_format(0) == "#,##0;-#,##0;;@"
    assert number_format(1) == "#,##0.0;-#,##0.0;;@"
    assert pptx_filename(AREAS, TODAY) == "Presentation_Berga_Ryd_Skaggetorp_2026-11-26.pptx"
    assert fitting_size(["kort"], 6.0, 3.0) == 20
    assert fitting_size(["x" * 2000], 6.0, 3.0) == 10


def header_words_too_wide(table) -> list[str]:
    """The header words of a slide's table wider, in Arial at their size, than their column's room for text."""
    too_wide = []
    for cell, column in zip(table.rows[0].cells, table.columns):
        room = column.width.pt - cell.margin_left.pt - cell.margin_right.pt
        for run in cell.text_frame.paragraphs[0].runs:
            assert run.font.name == FONT and run.font.bold  # the font the widths are measured in
            too_wide += [w for w in run.text.split(" ") if measured(w, run.font.size.pt, True) > room]
    return too_wide


def test_every_header_word_fits_its_column(all_areas):
    slides, prs = all_areas
    tables = {
        number: shape.table
        for number, slide in enumerate(prs.slides, start=1)
        for shape in slide.shapes
        if shape.has_table
    }
    assert len(tables) == sum(1 for s in slides if s.table) == 29
    assert {n: header_words_too_wide(t) for n, t in tables.items()} == {n: [] for n in tables}
    # The follow-up of the actions (issue 17: 'Ej påbörja|d', 'Pågå|r'): nine columns in 7,6 in at 12 pt, not 13.
    actions = tables[30]
    assert slides[29].kind == FOLLOWUP_SLIDE and [c.text for c in actions.rows[0].cells][1:3] == [
        "Ej påbörjad",
        "Pågår",
    ]
    assert {r.font.size.pt for c in actions.rows[0].cells for r in c.text_frame.paragraphs[0].runs} == {12}
    assert sum(c.width for c in actions.columns) == Inches(7.6)


def test_a_deck_without_values_still_opens():
    from tests.builders import tiny_known

    slides = deck(tiny_known(), ["Berga"], THEMES, REF, 2020, TODAY)
    prs = Presentation(io.BytesIO(presentation_pptx(slides)))
    assert [texts(s)[0] for s in prs.slides][1:] == [
        "Berga: översikt",
        "Uppföljning: indikatorerna",
        "Uppföljning: åtgärderna",
    ]
    assert "Dataversion –" in "\n".join(texts(prs.slides[0]))


HYPERLINK = '=HYPERLINK("http://x","Klicka")'
LINK = "http://example.com/Skäggetorp"


def renamed(dataset, old: str, new: str):
    """The dataset with an area renamed everywhere it is used."""
    tables = {
        "areas": dataset.areas.assign(name=dataset.areas["name"].astype(str).replace({old: new})),
        "observations": dataset.observations.assign(area=dataset.observations["area"].astype(str).replace({old: new})),
        "targets": dataset.targets.assign(area=dataset.targets["area"].astype(str).replace({old: new})),
        "area_texts": dataset.area_texts.assign(area=dataset.area_texts["area"].astype(str).replace({old: new})),
        "actions": dataset.actions.assign(
            areas=dataset.actions["areas"].astype(str).str.replace(old, new, regex=False)
        ),
    }
    for name, frame in tables.items():
        dataset = dataset.with_table(name, frame)
    return dataset


def embedded_sheets(prs) -> list:
    """The worksheet of every chart's embedded workbook, opened with openpyxl (formulas as written)."""
    import openpyxl

    return [
        openpyxl.load_workbook(io.BytesIO(shape.chart.part.chart_workbook.xlsx_part.blob)).active
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_chart
    ]


def test_area_names_stay_text_in_every_embedded_chart_workbook(default_data):
    data = renamed(renamed(renamed(default_data, "Berga", HYPERLINK), "Skäggetorp", LINK), "Ryd", "Ryd\x01")
    slides = deck(data, [HYPERLINK, "Ryd\x01", LINK], THEMES, REF, 2020, TODAY, version=1)
    prs = Presentation(io.BytesIO(presentation_pptx(slides)))  # 'Ryd\x01' used to stop the export
    sheets = embedded_sheets(prs)
    cells = [cell for ws in sheets for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert len(sheets) == sum(1 for s in slides if s.chart) > 20
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [c.coordinate for c in cells if c.hyperlink is not None] == []
    texts_ = {c.value for c in cells if isinstance(c.value, str)}
    assert {HYPERLINK, LINK, "Ryd"} <= texts_ and "Ryd\x01" not in texts_
    theme_chart = chart_of(prs.slides[2])
    assert [s.name for s in theme_chart.plots[0].series][0] == HYPERLINK
    assert any(isinstance(c.value, float) for c in cells)  # the values are still numbers


# --- the map slide -----------------------------------------------------------------------------------------------


def png(width: int = 20, height: int = 10) -> bytes:
    """A valid white PNG."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def mapped_deck(default_data):
    """Berga's deck (two themes) on the default data with five boundaries."""
    return deck(with_boundaries(default_data), ["Berga"], ["arbete", "trygghet"], REF, 2020, TODAY, version=1)


def test_the_map_slide_is_a_picture_with_alt_text_after_its_heading_and_its_values_in_the_notes(mapped_deck):
    prs = Presentation(io.BytesIO(presentation_pptx(mapped_deck, rendered=images.Rendered((png(),)))))
    assert_accessible_pptx(prs, mapped_deck)
    model, slide = mapped_deck[1], prs.slides[1]
    assert model.kind == MAP_SLIDE
    (picture,) = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert alt_text(picture) == model.map.alt and alt_text(picture).startswith("Karta: Förvärvsfrekvens 20–64 år 2024")
    # Reading order: the title, the subtitle, the map, then the footer's notes and the slide number.
    assert [s.shape_id for s in slide.shapes][:3] == [
        slide.shapes.title.shape_id,
        slide.shapes[1].shape_id,
        picture.shape_id,
    ]
    assert texts(slide)[:2] == ["Karta: Förvärvsfrekvens 20–64 år", "År 2024 · Totalt · 4 klasser (kvantiler)"]
    assert texts(slide)[2:] == ["\n".join(model.notes), "2 / 7"]
    # One image pixel to a point: the slide's body high (5.05 in = 364 px) and as wide as the map and its legend,
    # centred on the slide.
    assert map_size(model.map) == (782, 364)
    assert (picture.width, picture.height) == (Inches(782 / 72), Inches(364 / 72))
    assert picture.top == Inches(1.65) and abs(picture.left + picture.width / 2 - Inches(13.333) / 2) <= 2
    notes = prs.slides[1].notes_slide.notes_text_frame.text.split("\n")
    assert notes == [*model.notes, "Kartans värden:", *table_lines(model.table)]
    assert notes[-2] == f"Lambohov – Värde: 80,0{NB}%; Skillnad mot {REF}: -2,1{NB}procentenheter; Källa: SCB"
    assert MAP_EXAMPLE_NOTE in notes
    assert [texts(s)[0] for s in prs.slides][2:] == [
        "Berga: översikt",
        "Berga: arbete",
        "Berga: trygghet",
        "Uppföljning: indikatorerna",
        "Uppföljning: åtgärderna",
    ]


def test_a_map_that_cannot_be_drawn_says_so_and_shows_its_values(mapped_deck, monkeypatch):
    monkeypatch.setenv("SEGDASH_CHROMIUM", "av")
    prs = Presentation(io.BytesIO(presentation_pptx(mapped_deck)))
    slide, model = prs.slides[1], mapped_deck[1]
    assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert texts(slide)[2] == NO_MAP.format(problem=images.NO_CHROMIUM)
    assert table_of(slide) == [list(model.table.columns), *(list(r) for r in model.table.rows)]
    assert "Kartans värden:" in slide.notes_slide.notes_text_frame.text
    drawn_not = Presentation(io.BytesIO(presentation_pptx(mapped_deck, render=False)))
    assert texts(drawn_not.slides[1])[2] == NO_MAP.format(problem="bilderna ritades inte")


def test_without_boundaries_the_deck_is_as_before(default_data):
    slides = deck(default_data, ["Berga"], ["arbete", "trygghet"], REF, 2020, TODAY, version=1)
    prs = Presentation(io.BytesIO(presentation_pptx(slides)))
    assert len(prs.slides) == 6 and MAP_SLIDE not in {s.kind for s in slides}
    assert not [s for slide in prs.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]


@pytest.mark.usefixtures("chromium")  # skips without Chromium; fails with SEGDASH_REQUIRE_BROWSER=1
def test_the_map_is_drawn_at_twice_its_size_on_the_slide_with_chromium(mapped_deck):
    prs = Presentation(io.BytesIO(presentation_pptx(mapped_deck)))
    (picture,) = [s for s in prs.slides[1].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert picture.image.blob.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(picture.image.blob)).size == (782 * 2, 364 * 2)
    assert alt_text(picture) == mapped_deck[1].map.alt
