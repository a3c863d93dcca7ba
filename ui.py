"""Shared Streamlit helpers: the store, cached data keyed by data version, common notices."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from analysis.core.formatting import format_share, missing_shown
from analysis.core.mime import CSV_MIME, XLSX_MIME
from analysis.core.model import Dataset, focus_areas
from analysis.core.palette import area_styles, blend, style_for
from analysis.core.safety import markdown_text
from analysis.core.settings import BasemapSetting, baseline_year, store_path
from analysis.exports.downloads import formula_safe
from analysis.exports.followup_document import FORMATS as BILAGA5_FORMATS
from analysis.measures.compare import indicator_meta, observations_for, reference_choices
from analysis.measures.freshness import Freshness, freshness_headline, freshness_table, indicator_freshness
from analysis.measures.presentation import TONE_COLOURS, TONE_STREAMLIT, TONE_TINT
from analysis.measures.summary import DataStatus, data_status, example_share
from analysis.render.charts import figure_alt_text, figure_table, sparkline_svg, time_series_figure
from analysis.render.followup_figures import followup_figures
from analysis.render.map_figure import basemap_figure, map_alt_text, map_figure
from analysis.store.access import AccessPolicy, Visitor, is_proxied, policy_from
from analysis.store.history import STORE_ERRORS, Store, store_error_message
from analysis.store.importer import open_store
from analysis.viewmodels.bilaga5 import Bilaga5, bilaga5, report_file_name
from analysis.viewmodels.explore import TIME_SERIES, ExploreData, ExploreSelection, chart_title, explore_data
from analysis.viewmodels.followup import ActionFilter, FollowUp, follow_up, followup_tables
from analysis.viewmodels.map_view import MapData, MapSelection, map_data
from analysis.viewmodels.nulage import (
    EXAMPLE_MARK,
    Overview,
    StatusPicture,
    overview,
    sparkline_description,
    status_picture,
)
from analysis.viewmodels.peers import PeerComparison, peer_comparison
from analysis.viewmodels.slides import Slide, deck


@dataclass(frozen=True)
class PageSpec:
    """One page of the navigation: its script, title, icon and URL path."""

    script: str
    title: str
    icon: str
    url_path: str


# The navigation, in menu order; the first page is the start page. Browser tests visit every entry.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("views/oversikt.py", "Översikt", ":material/dashboard:", "oversikt"),
    PageSpec("views/nulagesbild.py", "Nulägesbild", ":material/location_city:", "nulagesbild"),
    PageSpec("views/utforska.py", "Utforska indikatorer", ":material/query_stats:", "utforska"),
    PageSpec("views/karta.py", "Karta", ":material/map:", "karta"),
    PageSpec("views/uppfoljning.py", "Uppföljning", ":material/checklist:", "uppfoljning"),
    PageSpec("views/presentation.py", "Presentation", ":material/slideshow:", "presentation"),
    PageSpec("views/data.py", "Data", ":material/database:", "data"),
    PageSpec("views/hamta.py", "Hämta statistik", ":material/cloud_download:", "hamta"),
    PageSpec("views/metod.py", "Så räknar vi", ":material/calculate:", "metod"),
    PageSpec("views/tillganglighet.py", "Tillgänglighetsredogörelse", ":material/accessibility:", "tillganglighet"),
)


@st.cache_resource(show_spinner="Öppnar databasen …")
def _store_at(path: str) -> Store:
    """The process-wide store at a path (created and filled with the default data on first use)."""
    return open_store(path)


def get_store() -> Store:
    """The store configured for this server (SEGDASH_DB)."""
    return _store_at(str(store_path()))


def data_version() -> int:
    """The current data version: every cached load is keyed by it, so an import shows at once.

    One cheap query per run, so an import through another instance on the same database shows on the next rerun.
    A store that cannot be opened or read (a PostgreSQL server that is down) stops the page with a Swedish message.
    """
    try:
        return get_store().current_version() or 0
    except STORE_ERRORS as exc:
        st.error(md(store_error_message(exc)), icon=":material/database:")
        st.stop()


def data_key() -> tuple[str, int]:
    """The store path and current data version, read once by a page so all it shows is of one version."""
    return str(store_path()), data_version()


@st.cache_resource(max_entries=4, show_spinner="Läser data …")
def dataset_at(path: str, version: int) -> Dataset:
    """The dataset of one version of one store (shared between sessions: never mutate it).

    A cached builder keyed by (path, version) reads its data here, never through load_dataset: an import between
    the page reading the version and the builder running would otherwise file a newer version's result under the
    older key.
    """
    return _store_at(path).dataset_at(version) if version else Dataset()


def load_dataset() -> Dataset:
    """The current dataset, from the cache when the version has not changed."""
    return dataset_at(*data_key())


def example_notice(observations: pd.DataFrame | None = None, *, data: tuple[str, int] | None = None) -> None:
    """The 'Exempeldata' notice when example (fictitious) values are among those shown (default: all data of the
    page's version `data`, the data_key() of its run)."""
    if observations is None:
        share = data_status_at(*(data or data_key())).example_share
    else:
        share = example_share(observations)
    if share > 0:
        st.warning(
            f"**Exempeldata:** {md(format_share(share))} av värdena här är påhittade exempelvärden (källa "
            "*Exempelvärde (fiktivt)*) och ska ersättas med riktiga uppgifter. De är märkta i tabeller och exporter.",
            icon="⚠️",
        )


# --- Cached view models (keyed by store and data version, shared between sessions: read-only) ---


@st.cache_resource(max_entries=4, show_spinner=False)
def data_status_at(path: str, version: int) -> DataStatus:
    """The data status of one data version (the versions after it, imported since, left out)."""
    versions = _store_at(path).versions()
    return data_status(dataset_at(path, version), versions[versions["version"] <= version])


@st.cache_resource(max_entries=4, show_spinner=False)
def freshness_at(path: str, version: int, today: date) -> list[Freshness]:
    """Every indicator's freshness in one data version on one day."""
    return indicator_freshness(dataset_at(path, version), today)


def stale_sentences(data: tuple[str, int] | None = None) -> dict[str, str]:
    """Indicator id -> 'Senaste värde …, nyare finns normalt från …' for the indicators that are out of date."""
    return {f.indicator: f.sentence() for f in freshness_at(*(data or data_key()), date.today()) if f.is_stale}


def freshness_flag(indicator: str, data: tuple[str, int] | None = None) -> None:
    """A notice on a page showing one indicator when a newer figure is normally out (nothing otherwise)."""
    sentence = stale_sentences(data).get(indicator)
    if sentence:
        st.info(md(sentence) + " Nya värden läses in på sidan Data.", icon=":material/update:")


def freshness_notice() -> None:
    """What is due for an update (Data page): the out-of-date indicators with a sentence each, and a table of all due."""
    items = freshness_at(*data_key(), date.today())
    due = freshness_table(items, dataset_at(*data_key()).fetches)
    if not len(due):
        st.caption("Alla indikatorer med känd publiceringstakt har sitt senaste värde.")
        return
    stale = [f for f in items if f.is_stale]
    with st.expander(
        md(freshness_headline(items)),
        expanded=bool(stale),
        icon=":material/update:",
    ):
        for f in stale:
            st.markdown(f"- **{md(f.name)}:** {md(f.sentence())}")
        st.caption(
            "Publiceringsfördröjningen står i indikatorkatalogen (bladet Indikatorer): hur många år efter "
            "statistikåret ett värde normalt publiceras."
        )
        table(due, hide_index=True)
        if (due["Hämtas från"] != "–").any():
            st.page_link(
                "views/hamta.py", label="Hämta de indikatorer som har en hämtning", icon=":material/cloud_download:"
            )


@st.cache_resource(max_entries=32, show_spinner="Räknar …")
def overview_at(path: str, version: int, areas: tuple[str, ...], reference: str, baseline: int) -> Overview:
    """The overview for one data version and set of choices."""
    return overview(dataset_at(path, version), list(areas), reference, baseline)


def category_lines(categories) -> None:
    """An area's områdestyp and other categories, one line each, example values marked."""
    for category in categories:
        example = " · *exempelvärde*" if category.is_example else ""
        st.markdown(f"{md(category.sentence())}{example}")


@st.cache_resource(max_entries=8, show_spinner="Räknar …")
def peer_comparison_at(path: str, version: int) -> PeerComparison | None:
    """The municipality against its comparison municipalities for one data version."""
    return peer_comparison(dataset_at(path, version))


@st.cache_resource(max_entries=64, show_spinner="Räknar …")
def status_picture_at(path: str, version: int, area: str, reference: str, baseline: int) -> StatusPicture:
    """The status picture for one data version and set of choices."""
    return status_picture(dataset_at(path, version), area, reference, baseline)


@st.cache_resource(max_entries=16, show_spinner="Räknar …")
def follow_up_at(
    path: str,
    version: int,
    filters: ActionFilter,
    reference: str,
    baseline: int,
    current_year: int | None,
    linked_only: bool,
    today: date,
    plan: str | None = None,
) -> FollowUp:
    """The follow-up of one data version and set of choices (Uppföljning)."""
    return follow_up(dataset_at(path, version), filters, reference, baseline, current_year, linked_only, today, plan)


@st.cache_resource(max_entries=16, show_spinner=False)
def followup_shown_at(
    path: str,
    version: int,
    filters: ActionFilter,
    reference: str,
    baseline: int,
    current_year: int | None,
    linked_only: bool,
    today: date,
    plan: str | None = None,
) -> tuple[dict[str, go.Figure], dict[str, pd.DataFrame]]:
    """The Uppföljning page's figures and Swedish tables for one data version and set of choices, built once.

    Plotly is slow to build; shared between sessions like every cached view model (st.plotly_chart only reads a
    figure, never changes it).
    """
    fu = follow_up_at(path, version, filters, reference, baseline, current_year, linked_only, today, plan)
    return followup_figures(fu, today), followup_tables(fu)


@st.cache_resource(max_entries=8, show_spinner=False)
def bilaga5_at(
    path: str,
    version: int,
    filters: ActionFilter,
    reference: str,
    baseline: int,
    current_year: int | None,
    linked_only: bool,
    today: date,
    plan: str | None = None,
) -> Bilaga5:
    """Bilaga 5 for one data version and set of choices: the same FollowUp as the Uppföljning page shows."""
    fu = follow_up_at(path, version, filters, reference, baseline, current_year, linked_only, today, plan)
    return bilaga5(dataset_at(path, version), fu, version=version)


@st.cache_resource(max_entries=32, show_spinner=False)
def explore_at(path: str, version: int, selection: ExploreSelection) -> ExploreData:
    """The explorer's frames for one data version and selection (Utforska indikatorer)."""
    return explore_data(dataset_at(path, version), selection)


@st.cache_resource(max_entries=16, show_spinner="Ritar kartan …")
def map_at(path: str, version: int, selection: MapSelection) -> MapData:
    """The map's data for one data version and selection (Karta)."""
    return map_data(dataset_at(path, version), selection)


@st.cache_resource(max_entries=16, show_spinner=False)
def map_figure_at(path: str, version: int, selection: MapSelection) -> go.Figure:
    """The map's figure for one data version and selection, built once (thousands of shapes are slow to build)."""
    return map_figure(map_at(path, version, selection))


def address_warning(notices: Sequence[str]) -> None:
    """One warning listing the parts of the page's address that could not be used (nothing when there are none)."""
    if notices:
        st.warning(
            "**Delar av adressen kunde inte användas.**\n\n" + "\n".join(f"- {md(n)}" for n in notices),
            icon=":material/link_off:",
        )


def keep_valid(key: str, options: list) -> None:
    """Set a widget whose options depend on other choices (indicator, year in the comparison) before it is drawn.

    Its value must be one of the new options, and the URL must follow when its default changed with the options:
    left to Streamlit, the widget would reset but the URL keep the old value. Setting it updates the URL.
    """
    if options and key in st.session_state:
        value = st.session_state[key]
        st.session_state[key] = value if value in options else options[0]


def table_downloads(csv: Callable[[], bytes], xlsx: Callable[[], bytes], stem: str, key: str) -> None:
    """'Ladda ner CSV' and 'Ladda ner Excel' side by side; the files are built only when clicked."""
    with st.container(horizontal=True, vertical_alignment="center"):
        for label, build, extension, mime in (("CSV", csv, "csv", CSV_MIME), ("Excel", xlsx, "xlsx", XLSX_MIME)):
            st.download_button(
                f"Ladda ner {md(label)}",
                data=build,
                file_name=f"{stem}.{extension}",
                mime=mime,
                on_click="ignore",
                icon=":material/download:",
                key=f"{key}-{extension}",
            )


@st.cache_resource(max_entries=8, show_spinner=False)
def basemap_figure_at(path: str, version: int, selection: MapSelection, setting: BasemapSetting) -> go.Figure:
    """The map over the configured tile server, built once per data version and selection."""
    return basemap_figure(map_at(path, version, selection), setting)


def boundary_map(
    data_key: tuple[str, int], selection: MapSelection, key: str, basemap: BasemapSetting | None = None
) -> MapData:
    """The map of a selection with what it leaves out said under it (Karta and Utforska's Karta tab); over the
    municipality's tile server when `basemap` is given (chosen on the page; off by default)."""
    data = map_at(*data_key, selection)
    fig = map_figure_at(*data_key, selection) if basemap is None else basemap_figure_at(*data_key, selection, basemap)
    plotly_chart(fig, key, alt=map_alt_text(data))
    if basemap is not None and basemap.attribution:
        st.caption(f"Bakgrundskarta: {md(basemap.attribution)}")
    if data.missing:
        st.caption(f"Grå yta, saknar värde {md(selection.year)}: {md(', '.join(data.missing))}.")
    if data.without_shape:
        st.caption(f"Har värde men ingen gräns (syns inte på kartan): {md(', '.join(data.without_shape))}.")
    return data


@st.cache_resource(max_entries=32, show_spinner=False)
def explore_time_series_at(path: str, version: int, selection: ExploreSelection) -> go.Figure:
    """The explorer's line chart for one data version and selection, built once (plotly is slow to build)."""
    data = explore_at(path, version, selection)
    return time_series_figure(data.lines, data.meta, data.styles, title=chart_title(data, TIME_SERIES))


@st.cache_resource(max_entries=16, show_spinner="Bygger bilderna …")
def deck_at(
    path: str,
    version: int,
    areas: tuple[str, ...],
    themes: tuple[str, ...],
    reference: str,
    baseline: int,
    today: date,
    map_selection: MapSelection | None = None,
) -> tuple[Slide, ...]:
    """The slides of one data version and set of choices (Presentation), on the shared status pictures; the map slide
    shows map_selection (None: the map page's default)."""
    pictures = {a: status_picture_at(path, version, a, reference, baseline) for a in areas if a != reference}
    dataset = dataset_at(path, version)
    return tuple(
        deck(
            dataset,
            list(areas),
            list(themes),
            reference,
            baseline,
            today,
            version=version,
            pictures=pictures,
            map_selection=map_selection,
        )
    )


# --- Shared widgets ---


def bilaga5_downloads(report: Bilaga5, key: str) -> None:
    """Bilaga 5 as Word, PowerPoint and HTML: three download buttons whose files are built when clicked."""
    cols = st.columns(len(BILAGA5_FORMATS))
    for col, (label, extension, mime, build) in zip(cols, BILAGA5_FORMATS):
        col.download_button(
            f"Bilaga 5, {md(label)}",
            data=lambda build=build: build(report),
            file_name=report_file_name(report.year, extension),
            mime=mime,
            on_click="ignore",
            icon=":material/download:",
            key=f"{key}-{extension}",
            width="stretch",
        )


def baseline_years(dataset: Dataset) -> list[int]:
    """Years that can be chosen as baseline: those with data, the configured default included."""
    years = sorted({int(y) for y in dataset.observations["year"].dropna().unique()} | {baseline_year()})
    return years


def comparison_controls(dataset: Dataset, container=None) -> tuple[str, int]:
    """Reference area and baseline year pickers, both kept in the URL (jmf, basar)."""
    where = container or st
    refs = reference_choices(dataset) or focus_areas(dataset.areas)
    cols = where.columns(2)
    reference = cols[0].selectbox(
        "Jämför med",
        refs,
        key="jmf",
        bind="query-params",
        help="Området som fokusområdena jämförs med. Standard är området av typen Jämförelse.",
    )
    years = baseline_years(dataset)
    baseline = cols[1].selectbox(
        "Basår",
        years,
        index=years.index(baseline_year()),
        key="basar",
        bind="query-params",
        help="Året förändringarna räknas från. Åtgärdsplanen började 2020.",
    )
    return reference, int(baseline)


def md(text: object) -> str:
    """Text from the data, safe to put inside Markdown."""
    return markdown_text(text)


def md_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for st.table, which renders every text cell, header and index label as Markdown: all escaped."""
    out = frame.map(lambda v: md(v) if isinstance(v, str) else v)
    out.columns = [md(c) if isinstance(c, str) else c for c in out.columns]
    if out.index.dtype == object:
        out.index = [md(i) if isinstance(i, str) else i for i in out.index]
    return out


def tone_text(text: str, tone: str) -> str:
    """Markdown for a verdict in its tone colour (the words and symbols carry the meaning too)."""
    if not text:
        return ""
    return f":{TONE_STREAMLIT[tone]}[{md(text)}]"


def tone_css(tone: str) -> str:
    """CSS for a matrix cell of a tone: a light background and a dark text in the tone colour."""
    colour = TONE_COLOURS.get(tone, TONE_COLOURS["neutral"])
    return f"background-color: {blend(colour, TONE_TINT)}; color: {colour}; font-weight: 600"


def table(frame: pd.DataFrame, *, styles: pd.DataFrame | None = None, container=None, **kwargs):
    """st.dataframe for every page: text a spreadsheet would run as a formula is neutralised before it is shown.

    The table's toolbar downloads what is shown as CSV (and copying puts it on the clipboard). Streamlit 1.67 has
    no st.dataframe parameter for that; its only switch, client.disableDataExport, would take the download and
    copying away from every table. So the text is neutralised here, by the rule of our own CSV downloads.
    Missing values show as '–', not Streamlit's English 'None'. `styles` is an optional frame of CSS per cell (same
    shape as `frame`); `container` a column or tab to draw in.
    """
    shown = missing_shown(formula_safe(frame))
    if styles is not None:
        css = styles.set_axis(shown.index, axis=0).set_axis(shown.columns, axis=1)
        shown = shown.style.apply(lambda _: css, axis=None)
    return (st if container is None else container).dataframe(shown, **kwargs)


#: The app's own CSS (fixed, no data in it): a focus ring on every element reached by keyboard (WCAG 2.1, 2.4.7;
#: some of Streamlit's, like the sidebar's page links, show none of their own), and the indicator cards' heading
#: (an h4 under the theme's h3, for screen-reader navigation) and value at the size of a card, not of a page.
APP_CSS = """<style>
:focus-visible { outline: 3px solid #005AA0 !important; outline-offset: 2px !important; }
[class*="st-key-kort-"] h4 { font-size: 1.15rem; padding: 0.25rem 0; }
[class*="st-key-kort-"] [data-testid="stMetricValue"] { font-size: 1.75rem; }
</style>"""
#: Sets the document's language to Swedish once the page has loaded (app.py; see the tillgänglighetsredogörelse).
PAGE_LANGUAGE_SCRIPT = "<script>document.documentElement.lang = 'sv';</script>"
CHART_CONFIG = {"displaylogo": False, "locale": "sv", "toImageButtonOptions": {"format": "png", "scale": 2}}


def text_sections(sections) -> None:
    """Sections of generated text (method, accessibility statement): an h2 each, its paragraphs and its list."""
    for section in sections:
        st.header(md(section.heading))
        for paragraph in section.paragraphs:
            st.markdown(md(paragraph))
        if section.bullets:
            st.markdown("\n".join(f"- {md(item)}" for item in section.bullets))


def plotly_chart(
    fig, key: str, container=None, config: dict | None = None, title: str | None = None, alt: str | None = None
):
    """st.plotly_chart with the house toolbar and a text alternative for screen readers (`alt`, or figure_alt_text).

    theme=None keeps the figure's own template (analysis/render/charts.py): Streamlit's theme would write tick
    labels and axis titles in a grey with 3.8:1 on white, below the 4.5:1 text needs (WCAG 2.1, 1.4.3).
    """
    return (st if container is None else container).plotly_chart(
        fig, config=config or CHART_CONFIG, key=key, alt=alt or figure_alt_text(fig, title), theme=None
    )


@st.cache_resource(max_entries=256, show_spinner=False)
def _time_series(path: str, version: int, indicator: str, areas: tuple[str, ...], baseline: int):
    """The time-series figure of one indicator and set of areas, and its data table, for one data version."""
    dataset = dataset_at(path, version)
    frame = observations_for(dataset, indicator, list(areas))
    meta = indicator_meta(dataset, indicator)
    figure = time_series_figure(frame, meta, area_styles(dataset.areas), baseline_year=baseline)
    return figure, figure_table(frame, meta, {"value": "Värde"})


def indicator_card(card, styles: dict, area: str, reference: str, municipality: str | None, stale: str = "") -> None:
    """One indicator card: value, comparisons, sparkline, verdicts, sentence; definition and data one click away.

    `stale` is the sentence saying a newer figure is normally out ('' when the indicator is current).
    """
    with st.container(border=True, key=f"kort-{card.indicator}"):
        example = " · :gray[*exempelvärde*]" if card.is_example else ""
        # The indicator's name is the card's heading (under the theme's h3); the value is a metric, not a heading.
        st.markdown(f"#### {md(card.name)}{example}", anchors=False)
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.metric(f"Senaste värde ({card.year:d})" if card.year else "Senaste värde", md(card.value))
        if len(card.history) > 1:
            colour = style_for(styles, area).colour
            description = sparkline_description(card, area)
            right.image(sparkline_svg(card.history, colour, description=description), alt=description)
        also = (
            f" · {md(municipality)}: {md(card.municipality_value)}"
            if municipality and municipality not in (area, reference)
            else ""
        )
        st.caption(f"{md(reference)}: {md(card.reference_value)}{also}")
        if stale:
            st.caption(f":material/update: {md(stale)}")
        verdicts = [tone_text(card.value_verdict, card.value_tone), tone_text(card.gap_verdict, card.verdict_tone)]
        st.markdown("  \n".join(v for v in [md(card.gap)] + verdicts if v))
        st.markdown(md(card.sentence))
        if card.groups:
            st.markdown("  \n".join(md(g.sentence) for g in card.groups))
            for choice in dict.fromkeys(g.explore_choice for g in card.groups):
                st.page_link(
                    "views/utforska.py",
                    label=f"Utforska {md(choice[:1].lower() + choice[1:])}",
                    icon=":material/groups:",
                    query_params={"indikator": card.name, "grupp": choice, "omraden": [area, reference]},
                )
        # The details are built only when opened (on_change="rerun" tracks the state): 26 cards stay fast.
        more = st.expander("Definition, källa och värden", key=f"mer_{card.indicator}", on_change="rerun")
        if more.open:
            with more:
                if card.sex_sentence:
                    st.markdown(md(card.sex_sentence))
                st.markdown(f"**Definition:** {md(card.definition) or '–'}  \n**Källa:** {md(card.source) or '–'}")
                if card.comparability:
                    st.caption(f"Att tänka på: {md(card.comparability)}")
                table(card.history_table, hide_index=True, width="stretch")
                if card.history_table.map(lambda v: str(v).endswith(EXAMPLE_MARK)).to_numpy().any():
                    st.caption("Värden med \\* är exempelvärden (fiktiva).")
                st.page_link(
                    "views/utforska.py",
                    label="Utforska indikatorn",
                    icon=":material/query_stats:",
                    query_params={"indikator": card.name},
                )


def indicator_chart(
    dataset: Dataset,
    indicator: str,
    areas: list[str],
    baseline: int,
    key: str,
    *,
    data: tuple[str, int] | None = None,
) -> None:
    """A time-series chart of one indicator for some areas, with its data table, definition and source in tabs.

    `data` is the (store path, version) that `dataset` is of (data_key() of the page's run); default the current.
    """
    meta = indicator_meta(dataset, indicator)
    fig, points = _time_series(*(data or data_key()), indicator, tuple(areas), baseline)
    chart_tab, table_tab, about_tab = st.tabs(["Diagram", "Tabell", "Om indikatorn"])
    with chart_tab:
        plotly_chart(fig, key)
    with table_tab:
        table(points, hide_index=True, width="stretch")
    with about_tab:
        st.markdown(
            f"**{md(meta.get('name', ''))}**  \n{md(meta.get('definition', ''))}  \n"
            f"**Enhet:** {md(meta.get('unit', ''))} · **Riktning:** {md(meta.get('direction', ''))}  \n"
            f"**Källa:** {md(meta.get('source', ''))}"
        )
        if meta.get("comparability"):
            st.caption(f"Att tänka på: {md(meta['comparability'])}")


# --- Who is using the page ---


_log = logging.getLogger("segdash.access")
_logged_problems: set[tuple[str, ...]] = set()


def secrets_state() -> tuple[dict, str]:
    """The app's secrets as a plain dict, and why they could not be read ('' when fine or when there is no file)."""
    try:
        return st.secrets.to_dict(), ""
    except StreamlitSecretNotFoundError as exc:
        if getattr(exc, "error_id", "") == "no-secrets-found":
            return {}, ""  # no secrets file at all: login is simply not configured
        return {}, str(exc)
    except Exception as exc:  # anything else unreadable fails closed too
        return {}, f"{type(exc).__name__}: {exc}"


def access_policy() -> AccessPolicy:
    """The rules for changing data, from secrets, environment and the address the server listens on."""
    secrets, error = secrets_state()
    policy = policy_from(secrets, error, st.get_option("server.address"), proxied=is_proxied(st.context.headers))
    if policy.problems and policy.problems not in _logged_problems:
        _logged_problems.add(policy.problems)  # once per distinct fault, not on every page run
        _log.error("Redigering avstängd, inloggningen är felaktigt konfigurerad: %s", " ".join(policy.problems))
    return policy


def _claim_flag(value: object) -> bool | None:
    """A boolean ID-token claim such as email_verified (None when the provider does not send it)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"true", "1", "yes"}


def current_visitor() -> Visitor:
    """The visitor as st.user reports them (logged out when login is not configured)."""
    try:
        info = st.user.to_dict()
    except Exception:
        info = {}
    if not info.get("is_logged_in", False):
        return Visitor(False)  # without a login, any address st.user may hold is unverified
    return Visitor(
        True,
        str(info.get("email") or ""),
        str(info.get("name") or ""),
        email_verified=_claim_flag(info.get("email_verified")),
        tenant=str(info.get("tid") or ""),
        issuer=str(info.get("iss") or ""),
    )
