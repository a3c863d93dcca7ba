"""Karta: any indicator, year and group over the areas' own boundaries, drawn offline; editors load boundaries."""

from functools import partial

import streamlit as st

import ui
from analysis.core.digest import sha256_hex
from analysis.core.formatting import format_number
from analysis.core.settings import basemap
from analysis.exports.downloads import map_csv, map_file_stem, map_xlsx
from analysis.ingest.problems import problems_frame
from analysis.store.access import EditDenied, authorize, can_edit
from analysis.store.history import STORE_ERRORS, store_error_message
from analysis.viewmodels import map_view as mv

BIND = "query-params"
UPLOAD_KEY = "gransfil"
REPORT_KEY = "gransrapport"

version_key = ui.data_key()
dataset = ui.dataset_at(*version_key)
st.title("Karta")
st.caption(
    "Välj indikator, år och grupp. Kartan visar alla områden som har en gräns; fokusområdena har svart kant. "
    "Hela vyn står i adressen."
)


def boundary_map() -> None:
    """The controls, the map, its table, its definition and its downloads."""
    indicators = mv.map_indicator_options(dataset)
    if not indicators:
        st.info("Inget av områdena med gräns har några värden ännu.")
        return
    if mv.INDICATOR_PARAM not in st.session_state:  # the page's first run: the address is the link that was opened
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        ui.address_warning(list(mv.param_notices(params, dataset).values()))
    row = st.columns([2.2, 1, 1], vertical_alignment="bottom")
    labels = list(indicators)
    ui.keep_valid(mv.INDICATOR_PARAM, labels)
    label = row[0].selectbox("Indikator", labels, key=mv.INDICATOR_PARAM, bind=BIND)
    indicator = indicators[label]
    groups = mv.map_groups(dataset, indicator)
    ui.keep_valid(mv.GROUP_PARAM, groups)
    group = row[1].selectbox("Grupp", groups, key=mv.GROUP_PARAM, bind=BIND, disabled=len(groups) == 1)
    years = mv.map_years(dataset, indicator, group)
    ui.keep_valid(mv.YEAR_PARAM, years)
    year = row[2].selectbox("År", years, key=mv.YEAR_PARAM, bind=BIND)
    row = st.columns([2.4, 1, 1.2], vertical_alignment="bottom")
    method = (
        row[0].segmented_control(
            "Klassindelning",
            mv.METHODS,
            default=mv.QUANTILES,
            format_func=ui.md,
            key=mv.METHOD_PARAM,
            bind=BIND,
            help=ui.md(mv.METHOD_HELP),
        )
        or mv.QUANTILES
    )
    classes = (
        row[1].segmented_control(
            "Antal klasser",
            mv.CLASS_COUNTS,
            default=mv.DEFAULT_CLASSES,
            format_func=ui.md,
            key=mv.CLASSES_PARAM,
            bind=BIND,
        )
        or mv.DEFAULT_CLASSES
    )
    tiles = basemap()
    background = tiles is not None and row[2].toggle(
        "Bakgrundskarta",
        value=False,
        key="bakgrund",
        bind=BIND,
        help="Visa kommunens egen bakgrundskarta under områdena (hämtas från kartservern i SEGDASH_MAP_TILES).",
    )
    selection = mv.MapSelection(indicator, year, group, method, int(classes))
    data = ui.map_at(*version_key, selection)
    if data.has_examples:
        st.warning(
            "**Exempelvärden:** kartan visar påhittade värden (streckade ytor, namn med stjärna). De ska ersättas "
            "med riktiga uppgifter.",
            icon=":material/warning:",
        )
    map_tab, table_tab, about_tab = st.tabs(["Karta", "Tabell", "Om indikatorn"])
    with map_tab:
        ui.boundary_map(version_key, selection, "karta", tiles if background else None)
    with table_tab:
        ui.table(mv.map_table(data), hide_index=True, width="stretch")
    with about_tab:
        meta = data.meta
        st.markdown(f"**{ui.md(meta.get('name', indicator))}**")
        for field, text in (
            ("Definition", "definition"),
            ("Enhet", "unit"),
            ("Riktning", "direction"),
            ("Källa", "source"),
        ):
            if meta.get(text):
                st.markdown(f"- **{ui.md(field)}:** {ui.md(meta[text])}")
    ui.table_downloads(partial(map_csv, data), partial(map_xlsx, data), map_file_stem(data), "karta")
    st.caption("Filerna innehåller tabellens rader. Kartan sparas som bild (PNG) med kameraknappen i verktygsfältet.")


def run_boundary_import() -> None:
    """Import the checked boundaries (callback: authorised again here, so a forged click is refused)."""
    uploaded = st.session_state.get(UPLOAD_KEY)
    report = st.session_state.get(REPORT_KEY)
    try:
        authorize(ui.access_policy(), ui.current_visitor(), "importera")
        if uploaded is None or report is None or report[0] != sha256_hex(uploaded.getvalue()):
            raise ValueError("Ladda upp filen igen: granskningen hör inte till den här filen.")
        who = ui.current_visitor().label or "redaktör"
        from analysis.store.boundary_import import import_boundaries  # GDAL and PROJ load only for an upload

        result = import_boundaries(ui.get_store(), report[1], uploaded.getvalue(), uploaded.name, who)
        if result is None:
            raise ValueError("Filen har fel och importerades inte.")
        done = f"Version {result.version} skapad med gränser för {len(report[1].boundaries)} områden."
        st.session_state["gransresultat"] = ("ok", result.message if result.version is None else done)
    except (EditDenied, ValueError) as exc:
        st.session_state["gransresultat"] = ("error", str(exc))
    except STORE_ERRORS as exc:
        st.session_state["gransresultat"] = ("error", store_error_message(exc))


def boundary_upload() -> None:
    """Editors upload a boundary file, see the report and import it as a new version."""
    store = ui.get_store()
    if not can_edit(ui.access_policy(), ui.current_visitor()) or store.read_only:
        st.caption("Bara redaktörer kan ladda upp områdesgränser (logga in på sidan Data).")
        return
    uploaded = st.file_uploader("Fil med områdesgränser", type=["geojson", "json", "gpkg", "zip"], key=UPLOAD_KEY)
    if uploaded is None:
        return
    data = uploaded.getvalue()
    report = st.session_state.get(REPORT_KEY)
    if report is None or report[0] != sha256_hex(data):
        from analysis.store.boundary_import import read_boundary_upload  # GDAL and PROJ load only for an upload

        with st.spinner("Läser och kontrollerar gränserna …"):
            report = (sha256_hex(data), read_boundary_upload(store, data, uploaded.name))
        st.session_state[REPORT_KEY] = report
    read = report[1]
    st.markdown(
        f"{ui.md(format_number(read.n_features))} ytor, {ui.md(format_number(read.n_vertices))} hörnpunkter, "
        f"koordinatsystem {ui.md(read.crs or '–')}. "
        f"{ui.md(format_number(0 if read.boundaries is None else len(read.boundaries)))} ytor matchar ett område."
    )
    if read.unmatched:
        st.warning(f"Ytor som inte matchar något område (importeras inte): {ui.md(', '.join(read.unmatched))}.")
    if read.without_shape:
        st.info(f"Områden utan yta i filen: {ui.md(', '.join(read.without_shape))}.")
    if read.problems:
        ui.table(problems_frame(read.problems), hide_index=True, width="stretch")
    if read.ok:
        st.button("Importera gränserna som en ny version", type="primary", on_click=run_boundary_import)
    else:
        st.error("Filen har fel och kan inte importeras. Ingenting har ändrats.")


outcome = st.session_state.pop("gransresultat", None)
if outcome:
    (st.success if outcome[0] == "ok" else st.error)(ui.md(outcome[1]))
if len(dataset.boundaries):
    boundary_map()
else:
    st.info("\n\n".join(ui.md(line) for line in mv.HOW_TO_LOAD), icon=":material/map:")
with st.expander("Ladda upp områdesgränser", expanded=not len(dataset.boundaries)):
    boundary_upload()
