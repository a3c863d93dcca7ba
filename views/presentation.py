"""Presentation: one slide at a time for a projector; the deck as PowerPoint, the nulägesbild as Word and HTML."""

from __future__ import annotations

from datetime import date

import streamlit as st

import ui
from analysis.core.model import THEMES, focus_areas
from analysis.exports.docx_export import MIME as DOCX_MIME
from analysis.exports.docx_export import attachment_docx, docx_filename
from analysis.exports.html_export import MIME as HTML_MIME
from analysis.exports.html_export import attachment_html, html_filename
from analysis.exports.pptx_export import MIME as PPTX_MIME
from analysis.exports.pptx_export import pptx_filename, presentation_pptx
from analysis.measures.narrative import in_text
from analysis.render import images
from analysis.render.charts import chart_figure
from analysis.render.map_figure import LEGEND_RIGHT, map_figure
from analysis.viewmodels.followup import ActionFilter, followup_years
from analysis.viewmodels.map_view import map_indicator_options
from analysis.viewmodels.nulage import theme_title
from analysis.viewmodels.slides import (
    AREA_SLIDE,
    MAP_SLIDE,
    THEME_SLIDE,
    TITLE_SLIDE,
    Slide,
    attachment,
    attachment_title,
    chart_alt_text,
    indicator_map_selection,
    slide_label,
)

# A fixed style without any data: 16:9 slide area and large type (the key classes come from st.container).
SLIDE_CSS = """<style>
.st-key-bildyta, .st-key-bildyta-stor { aspect-ratio: 16 / 9; overflow-y: auto; }
.st-key-bildyta [data-testid="stMarkdown"] :is(p, li) { font-size: 1.15rem; }
.st-key-bildyta-stor { max-width: calc((100vh - 9rem) * 16 / 9); margin: 0 auto; padding: 1rem 2rem; }
.st-key-bildyta-stor [data-testid="stMarkdown"] :is(p, li) { font-size: 1.45rem; line-height: 1.4; }
.st-key-bildyta-stor h1 { font-size: 2.6rem; }
.st-key-bildyta-stor h2 { font-size: 1.75rem; }
.st-key-bildyta-stor [data-testid="stCaptionContainer"] p { font-size: 1rem; }
.st-key-bildyta-stor [data-testid="stTable"] :is(th, td) { font-size: 1.1rem; }
</style>"""
# Only while presenting: no sidebar and less empty space above the slide. app.py folds the sidebar (its
# set_page_config follows the presentera toggle); hiding it here also removes the button that would reopen it.
PRESENTING_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
[data-testid="stSidebar"], [data-testid="stExpandSidebarButton"] { display: none; }
</style>"""


def step(delta: int, total: int) -> None:
    """Move the slide picker one slide back or forth (a button callback, so it runs before the picker)."""
    st.session_state["bild"] = min(max(1, int(st.session_state.get("bild", 1)) + delta), total)


def start_slide() -> int:
    """The slide to show: the session's, else the URL's (?bild=), else the first."""
    raw = st.session_state.get("bild", st.query_params.get("bild", 1))
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 1


def bullets(items: tuple[str, ...]) -> None:
    """Sentences as a bulleted list (data text escaped)."""
    if items:
        st.markdown("\n".join(f"- {ui.md(b)}" for b in items))


def show_slide(slide: Slide, number: int, total: int, presenting: bool) -> None:
    """One slide: title, subtitle, sentences, table and chart laid out like the PowerPoint, notes at the bottom.

    While presenting, the slide is the page: its title is the page's one h1. Otherwise it sits under the page's h1.
    """
    title, subtitle = (st.title, st.header) if presenting else (st.header, st.subheader)
    if slide.kind == TITLE_SLIDE:
        st.caption("Linköpings kommun")
        title(ui.md(slide.title), anchor=False)
        subtitle(ui.md(slide.subtitle), anchor=False)
        bullets(slide.bullets)
    elif slide.kind == MAP_SLIDE and slide.map is not None:
        title(ui.md(slide.title), anchor=False)
        st.caption(ui.md(slide.subtitle))
        image = slide.map
        # Short enough that the title, the map and the notes fit the 16:9 slide area.
        fig = map_figure(image.data, height=330, title=False, legend=LEGEND_RIGHT, notes=False)
        ui.plotly_chart(fig, f"karta-{number}", alt=image.alt)
        if slide.table is not None:
            with st.expander("Kartans värden"):
                st.table(ui.md_frame(slide.table.frame()), hide_index=True)
    else:
        title(ui.md(slide.title), anchor=False)
        st.caption(ui.md(slide.subtitle))
        chart = chart_figure(slide.chart, height=380) if slide.chart else None
        if slide.kind == THEME_SLIDE:
            left, right = st.columns([1, 1], gap="large")
            with left:
                bullets(slide.bullets)
            if chart is not None:
                ui.plotly_chart(chart, f"diagram-{number}", right, alt=chart_alt_text(slide.chart))
            if slide.table is not None:
                st.table(ui.md_frame(slide.table.frame()), hide_index=True)
        else:
            bullets(slide.bullets)
            left, right = st.columns([3, 2] if slide.kind == AREA_SLIDE else [1, 1], gap="large")
            if slide.table is not None:
                left.table(ui.md_frame(slide.table.frame()), hide_index=True)
            if chart is not None:
                ui.plotly_chart(chart, f"diagram-{number}", right, alt=chart_alt_text(slide.chart))
    st.caption("  \n".join([*(ui.md(n) for n in slide.notes), f"Bild {number:d} av {total:d}"]))


# One data version for the whole run: the slides, the choices and the files agree.
data = ui.data_key()
dataset = ui.dataset_at(*data)
presenting = bool(st.session_state.get("presentera", False))
if not presenting:  # while presenting, app.py folds the sidebar away and PRESENTING_CSS hides it
    st.title("Presentation")
    st.caption(
        "Bilder för kommunstyrelsen och nämnderna, en i taget och i stor stil för projektorn. Välj områden och "
        "teman, starta presentationen och bläddra med knapparna (eller tangenterna Page Down och Page Up)."
    )
st.markdown(SLIDE_CSS + (PRESENTING_CSS if presenting else ""), unsafe_allow_html=True)

areas_all = focus_areas(dataset.areas)
if not areas_all:
    st.info("Det finns inga områden av typen Fokusområde i datan. Ange typen på bladet Områden och importera igen.")
    st.stop()

# While presenting, the slide comes first and the choices wait folded below it.
stage = st.container()
nav = st.container()
settings = st.expander("Urval och nedladdningar", expanded=False) if presenting else st.container()
if not presenting:
    settings, stage, nav = stage, nav, settings  # choices first, then the slide and its buttons

with settings:
    if not presenting:
        st.header("Urval")
    cols = st.columns(2)
    areas = cols[0].multiselect(
        "Områden",
        areas_all,
        default=areas_all,
        key="omraden",
        bind="query-params",
        placeholder="Välj områden",
        help="Fokusområdena som presentationen tar upp, i den här ordningen.",
    )
    theme_choices = list(THEMES)
    themes = cols[1].multiselect(
        "Teman",
        theme_choices,
        default=theme_choices,
        format_func=theme_title,
        key="teman",
        bind="query-params",
        placeholder="Välj teman",
        help="En bild per tema och område.",
    )
    reference, baseline = ui.comparison_controls(dataset)
    mappable = map_indicator_options(dataset)  # empty without boundaries: no map slide, no choice
    map_label = (
        st.selectbox(
            "Kartans indikator",
            list(mappable),
            key="kartindikator",
            bind="query-params",
            help="Indikatorn som kartbilden visar, senaste år.",
        )
        if mappable
        else None
    )
    map_selection = indicator_map_selection(dataset, mappable[map_label]) if map_label else None
if not areas:
    settings.info("Välj minst ett område.")
    st.stop()

today = date.today()
chosen_themes = tuple(t for t in THEMES if t in themes)
slides = ui.deck_at(*data, tuple(areas), chosen_themes, reference, baseline, today, map_selection)
total = len(slides)
# The slide number lives in the session and in the URL (?bild=3) as a plain number, so a link opens that slide.
st.session_state["bild"] = min(max(1, start_slide()), total)

with nav:
    prev_col, pick_col, next_col, mode_col = st.columns([1.2, 4, 1.2, 1.6], vertical_alignment="center")
    number = pick_col.selectbox(
        "Bild",
        list(range(1, total + 1)),
        key="bild",
        format_func=lambda i: slide_label(i, slides[i - 1]),
        label_visibility="collapsed",
    )
    if number > 1:
        st.query_params["bild"] = str(number)
    elif "bild" in st.query_params:
        del st.query_params["bild"]  # the first slide is the default: a clean address, like the bound widgets
    prev_col.button(
        "Föregående",
        key="foregaende",
        icon=":material/arrow_back:",
        on_click=step,
        args=(-1, total),
        disabled=number <= 1,
        shortcut="PageUp",
        width="stretch",
    )
    next_col.button(
        "Nästa",
        key="nasta",
        icon=":material/arrow_forward:",
        on_click=step,
        args=(1, total),
        disabled=number >= total,
        shortcut="PageDown",
        width="stretch",
    )
    mode_col.toggle(
        "Presentationsläge",
        key="presentera",
        help="Döljer sidopanelen och valen och visar bilden i stor stil. Stäng av för att välja igen.",
    )

with stage:
    if any(s.is_example for s in slides) and not presenting:
        st.warning(
            "**Exempeldata:** bilderna innehåller påhittade exempelvärden. De är märkta på varje bild och i filerna.",
            icon="⚠️",
        )
    with st.container(border=True, key="bildyta-stor" if presenting else "bildyta"):
        show_slide(slides[number - 1], number, total, presenting)

with settings:
    st.header("Ladda ned")
    st.caption(
        f"PowerPoint med redigerbara diagram för {len(areas)} områden eller ett, och nulägesbilden som "
        f"Word-bilaga eller HTML-fil. Jämfört med {ui.md(in_text(reference))}, basår {baseline:d}."
    )
    export_area = st.selectbox("Område för en fil", areas, key="exportomrade")
    one = ui.deck_at(*data, (export_area,), chosen_themes, reference, baseline, today, map_selection)
    picture = ui.status_picture_at(*data, export_area, reference, baseline)
    version = data[1]
    title = attachment_title(export_area, today)

    def attachment_for():
        """The chosen area's attachment (built when a file is asked for)."""
        return attachment(dataset, export_area, reference, baseline, today, version=version, picture=picture)

    cols = st.columns(4)
    cols[0].download_button(
        f"PowerPoint, {len(areas)} områden" if len(areas) > 1 else "PowerPoint",
        data=lambda: presentation_pptx(slides),
        file_name=pptx_filename(areas, today),
        mime=PPTX_MIME,
        on_click="ignore",
        icon=":material/slideshow:",
        key="ned_pptx_alla",
        width="stretch",
    )
    cols[1].download_button(
        f"PowerPoint, {ui.md(export_area)}",
        data=lambda: presentation_pptx(one),
        file_name=pptx_filename([export_area], today),
        mime=PPTX_MIME,
        on_click="ignore",
        icon=":material/slideshow:",
        key="ned_pptx",
        width="stretch",
    )
    cols[2].download_button(
        f"Word-bilaga, {ui.md(export_area)}",
        data=lambda: attachment_docx(attachment_for()),
        file_name=docx_filename(title),
        mime=DOCX_MIME,
        on_click="ignore",
        icon=":material/description:",
        key="ned_docx",
        width="stretch",
    )
    cols[3].download_button(
        f"HTML, {ui.md(export_area)}",
        data=lambda: attachment_html(attachment_for()),
        file_name=html_filename(title),
        mime=HTML_MIME,
        on_click="ignore",
        icon=":material/html:",
        key="ned_html",
        width="stretch",
    )
    st.caption(
        "Diagrammen i PowerPoint är PowerPoints egna och går att redigera; talen visas med decimalkomma i en "
        "svensk PowerPoint. Kartan är en bild, med kartans värden i bildens anteckningar. Word-bilagans diagram och "
        "karta är bilder när servern kan rita dem, annars tabeller. "
        "HTML-filen öppnas utan nätverk."
    )

    st.header("Bilaga 5 – uppföljningen")
    followups = followup_years(dataset)
    picked = st.selectbox(
        "Uppföljning",
        [*[str(y) for y in reversed(followups)], "Nu"],
        key="bilaga5-ar",
        help="Årets uppföljning av åtgärdsplanen, med statusen vid årets uppföljning; Nu = status i dag.",
    )
    followup_year = None if picked == "Nu" else int(picked)
    report = ui.bilaga5_at(*data, ActionFilter(), reference, baseline, followup_year, False, today)
    st.caption(
        f"{ui.md(report.title)}: {ui.md(report.plan)}, alla åtgärder, jämfört med {ui.md(in_text(reference))}, "
        f"basår {baseline:d}. Samma siffror som sidan Uppföljning med samma val."
    )
    ui.bilaga5_downloads(report, key="presentation-bilaga5")

# Last, so it does not compete with building the page: starts Chromium in the background for the Word file's charts.
images.warm_up()
