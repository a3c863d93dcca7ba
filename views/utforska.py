"""Utforska indikatorer: any indicator, any areas, years and sex in six views; the whole view lives in the URL."""

from dataclasses import replace
from functools import partial

import streamlit as st

import ui
from analysis.exports.downloads import (
    explore_csv,
    explore_xlsx,
    screen_table,
    type_screen_table,
)
from analysis.render.charts import bar_figure, gap_figure, index_figure, sex_figure
from analysis.viewmodels import explore as ex
from analysis.viewmodels.address import changed_params

BIND = "query-params"
ADDRESS_KEY = "_utforska_address"
NO_VALUES = (
    "Det finns inga värden för det här urvalet. Välj fler områden, andra år, ett annat kön eller en annan grupp."
)

# One data version for the whole run: the choices, the frames and the charts agree.
version_key = ui.data_key()
dataset = ui.dataset_at(*version_key)
st.title("Utforska indikatorer")
st.caption(
    "Välj indikator, områden, år, kön och grupp. Hela vyn står i adressen: kopiera adressen för att dela eller spara "
    "exakt samma vy."
)

bounds = ex.year_bounds(dataset)
themes = ex.theme_options(dataset)
if bounds is None or len(themes) < 2:
    st.info("Det finns inga värden att utforska ännu. Importera data på sidan Data.")
    st.stop()

# Streamlit drops invalid values of bound widgets silently: read the URL first and say what was ignored. Only
# parameters that differ from the address of the previous run count: the server's copy of the URL can lag a run
# behind the widgets (a parameter still naming the indicator of the theme the user just left).
params = {k: st.query_params.get_all(k) for k in st.query_params}
fresh = changed_params(params, st.session_state.get(ADDRESS_KEY, {}))
notices = [text for param, text in ex.param_notices(params, dataset).items() if param in fresh] if fresh else []
ui.address_warning(notices)


def bound_choice(column, label: str, options: list, key: str, help: str, disabled: bool = False):
    """A selectbox bound to the URL whose options depend on other choices (kept valid first, see keep_valid)."""
    ui.keep_valid(key, options)
    return column.selectbox(ui.md(label), options, key=key, bind=BIND, help=ui.md(help), disabled=disabled)


top = st.columns([1, 2.2])
theme_label = top[0].selectbox("Tema", list(themes), key=ex.THEME_PARAM, bind=BIND)
indicators = ex.indicator_options(dataset, themes[theme_label])
# The picker's options are labels, and Streamlit would drop an address naming the indicator by its id or another
# spelling of its name (?indikator=ho_bistand): the label it names is set instead, and the URL follows.
address = st.query_params.get(ex.INDICATOR_PARAM)
label = ex.address_indicator_label(dataset, themes[theme_label], address)
if label is not None and label != address:
    st.session_state[ex.INDICATOR_PARAM] = label
ui.keep_valid(ex.INDICATOR_PARAM, list(indicators))
indicator_label = top[1].selectbox(
    "Indikator", list(indicators), key=ex.INDICATOR_PARAM, bind=BIND, help="Skriv en del av namnet för att söka."
)
areas = st.multiselect(
    "Områden",
    ex.area_options(dataset),
    default=ex.default_areas(dataset),
    key=ex.AREAS_PARAM,
    bind=BIND,
    placeholder="Välj områden",
    help="Standard är fokusområdena, jämförelseområdet och kommunen. Alla inlästa områden kan läggas till.",
)
row = st.columns([1, 1.2, 0.9], vertical_alignment="bottom", gap="medium")
years = bounds
if bounds[0] < bounds[1]:
    years = tuple(sorted(row[0].slider("År", bounds[0], bounds[1], bounds, key=ex.YEARS_PARAM, bind=BIND)))
sex = (
    row[1].segmented_control("Kön", ex.SEX_MODES, default=ex.TOTAL, format_func=ui.md, key=ex.SEX_PARAM, bind=BIND)
    or ex.TOTAL
)
group_modes = ex.group_modes(dataset, indicators[indicator_label])
group = bound_choice(
    row[2],
    "Grupp",
    group_modes,
    ex.GROUP_PARAM,
    disabled=len(group_modes) == 1,
    help="Dela upp efter födelseregion, bakgrund eller ålder när indikatorn redovisas så. "
    "Välj till exempel Utrikes födda för att jämföra utrikes födda i områdena med varandra.",
)
sexes = ex.shown_groups(sex, group)
bar_years = ex.bar_year_options(dataset, indicators[indicator_label], sexes, years)
ui.keep_valid(ex.BAR_YEAR_PARAM, bar_years)
types = ex.type_options(dataset)
row = st.columns([1.3, 1, 1.8, 1.6] if len(types) > 1 else [1.3, 1, 1.8], vertical_alignment="bottom")
references = ex.reference_options(dataset)
reference = row[0].selectbox(
    "Jämför med",
    references,
    index=references.index(ex.default_reference(dataset)),
    key=ex.REFERENCE_PARAM,
    bind=BIND,
    help="Jämförelseområdet i vyerna Index och Skillnad mot jämförelseområdet.",
)
bar_year = row[1].selectbox(
    "År i jämförelsen",
    bar_years,
    key=ex.BAR_YEAR_PARAM,
    bind=BIND,
    help="Året som vyerna Jämförelse och Kvinnor och män visar.",
)
all_areas = row[2].toggle(
    "Visa alla områden i Jämförelse",
    value=True,
    key=ex.ALL_AREAS_PARAM,
    bind=BIND,
    help="Rangordna alla inlästa områden (hela staden), inte bara de valda. Fokusområdena och "
    "de valda områdena är markerade.",
)
area_type = ex.ALL_TYPES
if len(types) > 1:
    area_type = bound_choice(
        row[3],
        "Områdestyp i Jämförelse",
        types,
        ex.TYPE_PARAM,
        help="Visa bara områden av en områdestyp (SCB:s indelning 1–5) i vyn Jämförelse. Varje område har sin "
        "senaste områdestyp till och med året i jämförelsen. Tabellen under diagrammet sammanfattar typerna.",
    )

selection = ex.ExploreSelection(
    theme=themes[theme_label],
    indicator=indicators[indicator_label],
    areas=tuple(areas),
    years=(int(years[0]), int(years[1])),
    sex=sex,
    reference=reference,
    bar_year=bar_year,
    all_areas=all_areas,
    group=group,
    area_type=area_type,
)
if not areas:
    st.session_state[ADDRESS_KEY] = ex.selection_params(selection, dataset)  # no tabs, so no vy in the URL
    st.info("Välj minst ett område.")
    st.stop()
data = ui.explore_at(*version_key, selection)
meta = data.meta
shown = data.frame[data.frame["value"].notna()]
ui.example_notice(shown)
ui.freshness_flag(selection.indicator, version_key)


def chart(fig, view: str) -> None:
    """A chart with the house toolbar; its PNG is named after what it shows."""
    name = ex.file_stem(data, view)
    config = {**ui.CHART_CONFIG, "toImageButtonOptions": {**ui.CHART_CONFIG["toImageButtonOptions"], "filename": name}}
    ui.plotly_chart(fig, f"utforska-{view}", config=config)


def missing_captions() -> None:
    """Why values are missing (suppressed, not reported): under the chart, never drawn as 0."""
    for line in data.missing:
        st.caption(ui.md(line))


def too_many() -> None:
    """Say so when the line chart leaves lines out."""
    if data.n_series > ex.MAX_LINES:
        st.caption(
            f"Diagrammet visar de första {ex.MAX_LINES:d} av {data.n_series:d} linjerna. Välj färre områden "
            "för att se andra; Jämförelse och Tabell visar alla."
        )


def time_series() -> None:
    """Tidsserie: one line per area (and sex)."""
    if shown.empty:
        st.info(NO_VALUES)
        return
    chart(ui.explore_time_series_at(*version_key, selection), ex.TIME_SERIES)
    too_many()
    missing_captions()


def comparison() -> None:
    """Jämförelse: one year, every area ranked, the focus areas and the chosen areas highlighted."""
    if bar_year is None:
        st.info(NO_VALUES)
        return
    for column, (one_sex, bars) in zip(st.columns(len(data.bars)), data.bars.items()):
        with column:
            if bars["value"].notna().any():
                fig = bar_figure(
                    bars,
                    meta,
                    data.area_styles,
                    year=bar_year,
                    highlight=list(data.highlight),
                    title=ex.chart_title(data, ex.COMPARISON, one_sex),
                )
                chart(fig, f"{ex.COMPARISON} {one_sex}")
            else:
                st.info(f"Inga värden för {ui.md(one_sex.lower())} {ui.md(bar_year)}.")
            types_shown = type_screen_table(data, one_sex)
            if len(types_shown):
                note = " Områdestyperna är exempelvärden (fiktiva)." if data.types_example else ""
                st.caption(f"Per områdestyp {ui.md(bar_year)} (områden med värde).{note}")
                ui.table(types_shown, hide_index=True, width="stretch")
    scope = (
        "Alla inlästa områden med värde rangordnas"
        if all_areas
        else "De valda områdena rangordnas (slå på Visa alla områden i Jämförelse för hela staden)"
    )
    among = f" bland områdena med områdestyp {ui.md(area_type)}" if area_type != ex.ALL_TYPES else ""
    st.caption(
        f"{ui.md(scope)}{among}, från högst till lägst. Fokusområdena och de valda områdena har färg och fetstil, övriga "
        "områden är grå."
    )


def relative(view: str) -> None:
    """Index or Skillnad mot jämförelseområdet: each chosen area against the reference over time."""
    if not data.comparable:
        st.info("Antal jämförs inte mellan områden av olika storlek: välj en andel eller ett annat mått.")
        return
    if data.gaps.empty:
        st.info(
            f"Det finns inga år där både de valda områdena och {ui.md(reference)} har värden. Välj andra "
            "områden, ett annat jämförelseområde eller andra år."
        )
        return
    if view == ex.INDEX:
        chart(index_figure(data.gaps, meta, data.styles, reference, title=ex.chart_title(data, ex.INDEX)), ex.INDEX)
        st.caption(
            f"Index = områdets värde delat med värdet för {ui.md(reference)} samma år, gånger 100. "
            f"100 betyder samma nivå som {ui.md(reference)}."
        )
    else:
        chart(gap_figure(data.gaps, meta, data.styles, reference, title=ex.chart_title(data, ex.GAP)), ex.GAP)
        st.caption(
            f"Skillnaden i {ui.md(data.gap_unit)} mot {ui.md(reference)} samma år. Över noll "
            f"betyder ett högre värde än {ui.md(reference)}. Riktning: {ui.md(data.facts.direction.lower())}."
        )
    too_many()
    missing_captions()


def women_and_men() -> None:
    """Kvinnor och män: women and men side by side per chosen area in one year."""
    if bar_year is None or not data.sex_bars["value"].notna().any():
        st.info("Indikatorn redovisas inte per kön för de valda områdena det valda året.")
        return
    chart(sex_figure(data.sex_bars, meta, year=bar_year, title=ex.chart_title(data, ex.SEX_VIEW)), ex.SEX_VIEW)


def boundary_map() -> None:
    """Karta: the indicator in the comparison's year over every area with a boundary (the first shown group)."""
    if not len(dataset.boundaries):
        st.info("Inga områdesgränser är inlästa. Sidan Karta visar hur de laddas upp.")
        return
    if bar_year is None:
        st.info(NO_VALUES)
        return
    ui.boundary_map(version_key, ex.map_selection(selection), "utforska-karta")
    st.page_link(
        "views/karta.py", label="Öppna på sidan Karta (tabell, klasser och nedladdning)", icon=":material/map:"
    )


def table() -> None:
    """Tabell: the rows shown, the same as in the downloads."""
    st.caption(
        f"{ui.md(meta.get('name', ''))} ({ui.md(data.facts.unit)}). Samma rader som i nedladdningarna. "
        "Saknade värden visas som –, och kolumnen Kommentar säger varför."
    )
    rows = screen_table(data)
    ui.table(rows, hide_index=True, width="stretch", height="content" if len(rows) <= 40 else 720)


RENDER = {
    ex.TIME_SERIES: time_series,
    ex.COMPARISON: comparison,
    ex.INDEX: partial(relative, ex.INDEX),
    ex.GAP: partial(relative, ex.GAP),
    ex.SEX_VIEW: women_and_men,
    ex.MAP: boundary_map,
    ex.TABLE: table,
}
tabs = st.tabs([ui.md(v) for v in ex.VIEWS], key=ex.VIEW_PARAM, bind=BIND)
for view, tab in zip(ex.VIEWS, tabs):
    if tab.open:  # bound tabs rerun on switch, so only the open view is computed
        with tab:
            RENDER[view]()
        st.session_state[ADDRESS_KEY] = ex.selection_params(replace(selection, view=view), dataset)

ui.table_downloads(partial(explore_csv, data), partial(explore_xlsx, data), ex.file_stem(data), "utforska")
st.caption(
    "Filerna innehåller raderna i Tabell: de valda områdena, åren och grupperna, med exempelvärden märkta. "
    "CSV-filen öppnas direkt i svenska Excel. Diagrammet sparas som bild (PNG) med kameraknappen i diagrammets "
    "verktygsfält."
)

with st.container(border=True):
    st.header("Om indikatorn")
    st.markdown(f"**{ui.md(data.facts.name)}**")
    st.markdown("\n".join(f"- **{ui.md(label)}:** {ui.md(text)}" for label, text in ex.facts_rows(data.facts)))
    for note in data.facts.notes:
        st.markdown(f"*Att tänka på:* {ui.md(note)}")
