"""Hämta statistik: where each indicator's official figures come from, fetching them as a version, and finding a
table at SCB to define a new fetch."""

import pandas as pd
import streamlit as st

import ui
from analysis.exports.workbook import definitions_workbook
from analysis.ingest.contract import FETCH_SHEET
from analysis.ingest.fetch_spec import KOLADA, PERIOD_RULES, PXWEB1, PXWEB2, fetch_specs
from analysis.ingest.kolada import KOLADA_BASE_URL, KoladaClient
from analysis.ingest.problems import problems_frame
from analysis.ingest.pxweb import SCB_BASE_URL, FetchError, PxWebClient
from analysis.ingest.pxweb1 import PxWeb1Client
from analysis.ingest.table_finder import (
    FOLDER,
    TABLE,
    Entry,
    draft_definition,
    draft_kolada,
    draft_row,
    entry_choices,
    list_folder,
    search_kpis,
    search_tables,
    table_choices,
    tables_frame,
    variables_frame,
)
from analysis.store import preview
from analysis.store.access import EditDenied, authorize, can_edit, editing_notice
from analysis.store.fetcher import FetchRun, definitions_table, fetch_all, preview_fetch, store_fetch
from analysis.store.history import STORE_ERRORS, store_error_message
from analysis.store.importer import import_upload, read_upload
from analysis.store.preview import diff_counts, value_changes

# The draft's fields the form lets an editor change, with their sheet headers as labels.
DRAFT_FIELDS = ("selection", "time", "time_variable", "area_variable", "sex_variable", "sex_codes", "group_variable")
DRAFT_FIELDS += ("group_codes", "factor", "comment")
# Where each source's API is, as the address field starts; PxWeb v1 has no one address (the municipality's own).
ADDRESSES = {PXWEB2: SCB_BASE_URL, PXWEB1: "", KOLADA: KOLADA_BASE_URL}
SOURCE_HELP = (
    "PxWeb v2: SCB:s statistikdatabas (sök bland tabellerna). PxWeb v1: äldre PxWeb-databaser som Linköpings "
    "statistikdatabas, med språk och databas i adressen (…/api/v1/sv/databas; bläddra i mapparna). Kolada: "
    "kommunernas nyckeltal (sök bland nyckeltalen)."
)
HEADERS = {c.field: c.header for c in FETCH_SHEET.columns}

store = ui.get_store()
dataset = ui.load_dataset()
policy, visitor = ui.access_policy(), ui.current_visitor()
editable = can_edit(policy, visitor) and not store.read_only

st.title("Hämta statistik")
st.caption(
    "Varifrån indikatorerna hämtas (bladet Hämtningar): SCB:s statistikdatabas, Linköpings statistikdatabas (PxWeb) "
    "och Kolada. Hämtningen går igenom samma kontroller som en uppladdning och blir en version först när du sparar."
)
if not editable:
    st.info(ui.md(editing_notice(policy, visitor)), icon=":material/lock:")
elif not visitor.logged_in:
    st.text_input("Ditt namn (sparas i historiken)", key="redaktor")


def editor_name() -> str:
    """Who stores: the logged-in editor, else the name typed on the Data page, else 'redaktör'."""
    return ui.current_visitor().label or str(st.session_state.get("redaktor", "")).strip() or "redaktör"


def run_fetch_store() -> None:
    """Store the fetch just previewed (callback: authorised again here, so a forged click is refused)."""
    try:
        authorize(ui.access_policy(), ui.current_visitor(), "spara en hämtning")
        version, run = st.session_state.pop("hamtning", (None, None))
        if run is None:
            raise ValueError("Hämtningen är redan sparad eller borta. Hämta igen.")
        if version != ui.data_version():
            raise ValueError("Datan har ändrats sedan hämtningen. Hämta igen.")
        result = store_fetch(ui.get_store(), run, editor_name())
        st.session_state["hamtning_resultat"] = ("ok", result.message if result else "Ingenting sparades.")
    except (EditDenied, ValueError) as exc:
        st.session_state["hamtning_resultat"] = ("error", str(exc))
    except STORE_ERRORS as exc:
        st.session_state["hamtning_resultat"] = ("error", store_error_message(exc))


def form_row(draft: dict[str, str]) -> dict[str, str]:
    """The draft as the form now holds it: its fields, the period rule and the chosen indicator's id."""
    edited = {f: st.session_state.get(f"utkast_{f}") for f in (*DRAFT_FIELDS, "period_rule")}
    return draft_row(draft, edited, dataset.indicators, st.session_state.get("utkast_indicator"))


def run_save_definition() -> None:
    """Import the drafted definition, as the form holds it now, as a workbook with the sheet Hämtningar (callback:
    authorised again here)."""
    try:
        authorize(ui.access_policy(), ui.current_visitor(), "spara en hämtningsdefinition")
        row = form_row(st.session_state["utkast_grund"])
        name = f"Hämtningsdefinition {row['table']}.xlsx"
        outcome = import_upload(ui.get_store(), definitions_workbook(pd.DataFrame([row])), name, editor_name())
        if outcome.result is None:
            errors = [p.message for p in outcome.read.problems if p.is_error]
            raise ValueError("Definitionen har fel och sparades inte: " + " ".join(errors[:3]))
        st.session_state["utkast_resultat"] = ("ok", outcome.result.message)
    except (EditDenied, ValueError) as exc:
        st.session_state["utkast_resultat"] = ("error", str(exc))
    except STORE_ERRORS as exc:
        st.session_state["utkast_resultat"] = ("error", store_error_message(exc))


def show_run(run: FetchRun, key: str) -> bool:
    """Each definition's outcome, the problems and the preview; True when the run can be stored."""
    for outcome in run.outcomes:
        (st.success if outcome.ok else st.error)(f"**{ui.md(outcome.spec.label)}:** {ui.md(outcome.message)}")
    if run.problems:
        ui.table(problems_frame(run.problems), hide_index=True, width="stretch", key=f"{key}_problem")
    if not run.succeeded:
        return False
    diff = preview_fetch(store, run)
    ui.table(diff_counts(diff), hide_index=True, width="stretch", key=f"{key}_antal")
    changed_tab, new_tab = st.tabs(["Ändrade värden", "Nya värden"], key=f"{key}_flikar")
    for tab, kind in ((changed_tab, "changed"), (new_tab, "new")):
        shown = value_changes(diff, dataset, kind, limit=preview.PREVIEW_ROWS)
        ui.table(shown, container=tab, hide_index=True, width="stretch", key=f"{key}_{kind}")
    return not run.blocked and not diff.is_empty


def open_entry(base: str, entries: dict[str, Entry]) -> None:
    """Open the folder chosen in the v1 browser (callback), or keep the table chosen."""
    entry = entries.get(st.session_state.get("mapp_val") or "")
    if entry is not None and entry.kind == FOLDER:
        try:
            st.session_state["mapp"] = (base, entry.path, list_folder(PxWeb1Client(base, timeout=20), entry.path))
        except FetchError as err:
            st.session_state["mapp_fel"] = err.message
        st.session_state["mapp_val"] = None


def up_one(base: str, path: str) -> None:
    """Go to the folder above (callback)."""
    parent = path.rsplit("/", 1)[0] if "/" in path else ""
    try:
        st.session_state["mapp"] = (base, parent, list_folder(PxWeb1Client(base, timeout=20), parent))
    except FetchError as err:
        st.session_state["mapp_fel"] = err.message


def chosen_table() -> str | None:
    """The table picked in the search's list (API v2) or in the folder browser (API v1), else None."""
    if "sokresultat" in st.session_state:
        api, _, search = st.session_state["sokresultat"]
        if not search.tables:
            st.info("Inget matchar sökningen. Försök med andra eller färre ord.")
            return None
        st.caption(ui.md(f"{search.total} träffar; de första {len(search.tables)} visas."))
        ui.table(tables_frame(search), hide_index=True, width="stretch", key="tabeller")
        choices = table_choices(search)
        what = "Nyckeltal" if api == KOLADA else "Tabell"
        chosen = st.selectbox(what, list(choices), index=None, key="vald_tabell", placeholder=f"Välj {what.lower()}")
        return choices[chosen] if chosen is not None else None
    if "mapp" not in st.session_state:
        return None
    base, path, listing = st.session_state["mapp"]
    if "mapp_fel" in st.session_state:
        st.error(ui.md(st.session_state.pop("mapp_fel")))
    st.caption(ui.md(f"Mapp: /{path}" if path else "Databasens översta nivå"))
    if path:
        st.button("Upp en nivå", icon=":material/arrow_upward:", on_click=up_one, args=(base, path), key="upp")
    entries = entry_choices(listing)
    if not entries:
        st.info("Mappen är tom.")
        return None
    chosen = st.selectbox(
        "Mapp eller tabell",
        list(entries),
        index=None,
        key="mapp_val",
        placeholder="Välj en mapp att öppna eller en tabell",
        on_change=open_entry,
        args=(base, entries),
    )
    entry = entries.get(chosen or "")
    return entry.path if entry is not None and entry.kind == TABLE else None


st.header("Definitioner")
specs = fetch_specs(dataset.fetches)
if not specs:
    st.info("Inga hämtningar är definierade. Hitta en tabell nedan, eller fyll i bladet Hämtningar i mallen.")
else:
    ui.table(definitions_table(specs, dataset.observations), hide_index=True, width="stretch")
    if not all(s.verified for s in specs):
        st.caption("Ej verifierad = definitionen har inte provats mot det riktiga API:t ännu.")
    if editable and st.button("Hämta senaste", icon=":material/cloud_download:", key="hamta"):
        with st.status("Hämtar från källorna …", expanded=True) as status:
            run = fetch_all(store, specs, progress=lambda text: status.write(ui.md(text)))
            status.update(label=f"Hämtat: {len(run.succeeded)} av {len(run.outcomes)} lyckades.", expanded=False)
        st.session_state["hamtning"] = (ui.data_version(), run)
    fetched = st.session_state.get("hamtning")
    if fetched is not None and fetched[0] == ui.data_version() and show_run(fetched[1], "hamtning"):
        st.button("Spara hämtningen som ny version", type="primary", on_click=run_fetch_store)
    outcome = st.session_state.pop("hamtning_resultat", None)
    if outcome:
        (st.success if outcome[0] == "ok" else st.error)(ui.md(outcome[1]))

st.header("Hitta en tabell eller ett nyckeltal")
if not editable:
    st.caption("Bara redaktörer kan söka: sökningen frågar statistikdatabasens API.")
    st.stop()
source = st.segmented_control(
    "Källa",
    list(ADDRESSES),
    default=PXWEB2,
    format_func=ui.md,
    key="sok_kalla",
    help=SOURCE_HELP,
    on_change=lambda: st.session_state.update(sok_api=ADDRESSES.get(st.session_state.get("sok_kalla"), "")),
)
source = source or PXWEB2
st.session_state.setdefault("sok_api", SCB_BASE_URL)  # set here, not as the widget's value: the source changes it
with st.form("tabellsok"):
    cols = st.columns([2, 1.4], vertical_alignment="bottom")
    query = cols[0].text_input(
        "Sökord",
        key="sokord",
        placeholder="till exempel befolkning region",
        disabled=source == PXWEB1,
        help="I ett PxWeb API v1 bläddrar du i mapparna i stället.",
    )
    base = cols[1].text_input("Adress", key="sok_api", help="API:ts adress.")
    if st.form_submit_button("Sök" if source != PXWEB1 else "Visa mapparna", icon=":material/search:"):
        st.session_state.pop("sokresultat", None)
        st.session_state.pop("mapp", None)
        try:
            if source == PXWEB1:
                st.session_state["mapp"] = (base, "", list_folder(PxWeb1Client(base, timeout=20)))
            elif not query.strip():
                st.info("Skriv ett sökord.")
            else:
                search = search_kpis if source == KOLADA else search_tables
                found = search((KoladaClient if source == KOLADA else PxWebClient)(base, timeout=20), query)
                st.session_state["sokresultat"] = (source, base, found)
        except FetchError as err:
            st.error(ui.md(err.message))
table_id = chosen_table()
if table_id is None:
    st.stop()
api, base = (
    st.session_state["sokresultat"][:2] if "sokresultat" in st.session_state else (PXWEB1, st.session_state["mapp"][0])
)
if api == KOLADA:  # a key figure has no metadata to read: its description, and a draft from the search
    kpi = next(t for t in st.session_state["sokresultat"][2].tables if t.id == table_id)
    st.subheader(ui.md(f"{kpi.id}: {kpi.label}"))
    st.caption(ui.md(kpi.description))
    draft = draft_kolada(kpi, KoladaClient(base).base_url, dataset.areas)
else:
    client = (PxWeb1Client if api == PXWEB1 else PxWebClient)(base, timeout=20)
    try:
        if st.session_state.get("utkast_meta", (None,))[0] != (base, table_id):
            st.session_state["utkast_meta"] = ((base, table_id), client.metadata(table_id))
    except FetchError as err:
        st.error(ui.md(err.message))
        st.stop()
    meta = st.session_state["utkast_meta"][1]
    st.subheader(ui.md(f"{table_id}: {meta.label}"))
    ui.table(variables_frame(meta), hide_index=True, width="stretch")
    draft = draft_definition(meta, client.base_url, api=api, areas=dataset.areas)
# A new table, or a form Streamlit emptied while another page was shown: the form starts from the draft.
if st.session_state.get("utkast_tabell") != (base, table_id) or "utkast_selection" not in st.session_state:
    for field in (*DRAFT_FIELDS, "period_rule"):
        st.session_state[f"utkast_{field}"] = draft[field]
    st.session_state["utkast_indicator"] = None
    st.session_state["utkast_tabell"] = (base, table_id)
st.session_state["utkast_grund"] = draft
st.markdown("**Förslag till definition.** Ändra det som behövs, provhämta och spara.")
cols = st.columns(2)
indicator = cols[0].selectbox(
    "Indikator", list(dataset.indicators["name"]), index=None, key="utkast_indicator", placeholder="Välj"
)
cols[1].selectbox(
    "Period",
    ["", *PERIOD_RULES],
    format_func=lambda rule: rule or "Ingen (tabellen har årsvärden)",
    key="utkast_period_rule",
    help="Hur månads- eller kvartalsvärden blir ett år.",
)
cols = st.columns(2)
for i, field in enumerate(DRAFT_FIELDS):
    cols[i % 2].text_input(ui.md(HEADERS[field]), key=f"utkast_{field}")
row = form_row(draft)
st.caption("Raden som sparas på bladet Hämtningar:")
ui.table(pd.DataFrame([row]).rename(columns=HEADERS), hide_index=True, width="stretch")
if not indicator:
    st.info("Välj vilken indikator tabellen ger.")
    st.stop()
cols = st.columns(2)
if cols[0].button("Provhämta", icon=":material/science:", key="provhamta"):
    with st.spinner("Kontrollerar definitionen och hämtar …"):
        try:
            read = read_upload(definitions_workbook(pd.DataFrame([row])), "utkast.xlsx", store.current())
            run = fetch_all(store, fetch_specs(read.dataset.fetches)) if read.ok else None
            st.session_state["provhamtning"] = (row, read.problems, run)
        except STORE_ERRORS as exc:
            st.error(ui.md(store_error_message(exc)))
tried = st.session_state.get("provhamtning")
if tried is not None and tried[0] == row:
    if tried[1]:
        ui.table(problems_frame(tried[1]), hide_index=True, width="stretch", key="utkast_problem")
    if tried[2] is not None:
        show_run(tried[2], "provhamtning")
cols[1].button("Spara definitionen", type="primary", on_click=run_save_definition, key="spara_utkast")
said = st.session_state.pop("utkast_resultat", None)
if said:
    (st.success if said[0] == "ok" else st.error)(ui.md(said[1]))
