"""Nulägesbild: the status picture of one area, in the order a status picture is written."""

from datetime import date

import streamlit as st

import ui
from analysis.core.model import THEMES, focus_areas
from analysis.core.palette import area_styles
from analysis.exports.docx_export import MIME as DOCX_MIME
from analysis.exports.docx_export import attachment_docx, docx_filename
from analysis.exports.html_export import MIME as HTML_MIME
from analysis.exports.html_export import attachment_html, html_filename
from analysis.exports.pptx_export import MIME as PPTX_MIME
from analysis.exports.pptx_export import pptx_filename, presentation_pptx
from analysis.measures.narrative import in_text
from analysis.measures.verdicts import THRESHOLD_TEXT
from analysis.render import images
from analysis.viewmodels.nulage import THEME_TITLES
from analysis.viewmodels.slides import attachment, attachment_title, deck

# One version for the whole run: an import while the page runs must not mix two versions' numbers.
data = ui.data_key()
stale = ui.stale_sentences(data)  # indicators whose newer figures are normally out
dataset = ui.dataset_at(*data)
st.title("Nulägesbild")

focus = focus_areas(dataset.areas)
choices = focus + [a for a in dataset.areas["name"] if a not in set(focus)]
if not choices:
    st.info("Det finns inga områden i datan.")
    st.stop()
area = st.selectbox("Område", choices, key="omrade", bind="query-params")
reference, baseline = ui.comparison_controls(dataset)
if area == reference:
    st.warning("Området och jämförelseområdet är samma. Välj ett annat jämförelseområde.")
    st.stop()

sp = ui.status_picture_at(*data, area, reference, baseline)
styles = area_styles(dataset.areas)
chart_areas = [a for a in (area, reference, sp.municipality) if a]
st.header(f"Nulägesbild {ui.md(area)}")
st.caption(f"Jämfört med {ui.md(in_text(reference))}, förändring sedan {baseline:d}. {ui.md(THRESHOLD_TEXT)}")
if sp.example_share > 0:
    st.warning(
        "**Exempeldata:** sidan innehåller påhittade exempelvärden och exempeltexter. Kort med exempelvärden är "
        "märkta *exempelvärde*.",
        icon="⚠️",
    )
st.info(ui.md(sp.summary))
ui.category_lines(sp.categories)

# The attachment files are built when a button is clicked, from the same status picture as this page.
today, version = date.today(), data[1]
title = attachment_title(area, today)


def _attachment():
    """The attachment model of this area and these choices."""
    return attachment(dataset, area, reference, baseline, today, version=version, picture=sp)


cols = st.columns(3)
cols[0].download_button(
    "Word-bilaga",
    data=lambda: attachment_docx(_attachment()),
    file_name=docx_filename(title),
    mime=DOCX_MIME,
    on_click="ignore",
    icon=":material/description:",
)
cols[1].download_button(
    "PowerPoint",
    file_name=pptx_filename([area], today),
    mime=PPTX_MIME,
    on_click="ignore",
    data=lambda: presentation_pptx(
        deck(dataset, [area], THEMES, reference, baseline, today, version=version, pictures={area: sp})
    ),
    icon=":material/slideshow:",
)
cols[2].download_button(
    "HTML (fungerar utan nät)",
    data=lambda: attachment_html(_attachment()),
    file_name=html_filename(title),
    mime=HTML_MIME,
    on_click="ignore",
    icon=":material/html:",
)


def texts(heading: str) -> None:
    """One text section of the status picture."""
    st.subheader(ui.md(heading))
    items = sp.texts.get(heading, [])
    if not items:
        st.caption(
            f"Ingen text om {ui.md(heading.lower())} finns för {ui.md(area)}. Den kan läggas till på bladet "
            "Områdestexter."
        )
    for item in items:
        st.markdown(ui.md(item.text))
        if item.is_example:
            st.caption("Exempeltext (fiktiv).")


texts("Områdesbeskrivning")
texts("Aktörer")

st.subheader("Befolkning")
cols = st.columns(3)
for i, card in enumerate(sp.population):
    with cols[i % 3]:
        ui.indicator_card(card, styles, area, reference, sp.municipality, stale.get(card.indicator, ""))


def theme_chart(title: str, cards: list, key: str) -> None:
    """An expander with a chart of one of the section's indicators, built only when opened."""
    box = st.expander(
        f"Diagram: {ui.md(title.lower())}", key=f"diagram_{key}", on_change="rerun", icon=":material/show_chart:"
    )
    if cards and box.open:
        with box:
            names = [c.name for c in cards]
            picked = st.selectbox("Indikator", names, key=f"val_{key}")
            ui.indicator_chart(
                dataset, cards[names.index(picked)].indicator, chart_areas, baseline, key=f"chart-{key}", data=data
            )


theme_chart("Befolkning", sp.population, "befolkning")
for theme, cards in sp.themes:
    st.subheader(ui.md(THEME_TITLES[theme]))
    cols = st.columns(3)
    for i, card in enumerate(cards):
        with cols[i % 3]:
            ui.indicator_card(card, styles, area, reference, sp.municipality, stale.get(card.indicator, ""))
    theme_chart(THEME_TITLES[theme], cards, theme)

st.subheader("Nyckeltal")
st.caption(
    f"Skillnad = {ui.md(area)} jämfört med {ui.md(in_text(reference))} senaste år (pe = procentenheter). "
    "▲ bättre, ▼ sämre än jämförelseområdet."
)
ui.table(sp.key_figures, hide_index=True, width="stretch")

texts("Utmaningar")
texts("Styrkor")
texts("Skyddsfaktorer")

# Last, so it does not compete with drawing the page: starts Chromium in the background for the Word file's charts.
images.warm_up()
