"""Data: template, upload with checks and preview, import as a version, history and rollback."""

import streamlit as st

import ui
from analysis.core.digest import sha256_hex
from analysis.core.formatting import format_number
from analysis.core.mime import CSV_MIME, DOCX_MIME, XLSX_MIME
from analysis.core.model import COLUMN_LABELS, SHEET_TABLES, TOTAL
from analysis.core.safety import safe_filename
from analysis.core.settings import limits
from analysis.exports.downloads import csv_bytes
from analysis.exports.workbook import dataset_to_workbook, guide_document, template_workbook
from analysis.ingest.isolated import warm_up
from analysis.ingest.problems import has_errors, problems_frame, problems_workbook
from analysis.ingest.validate import ReadOptions
from analysis.store import preview
from analysis.store.access import EditDenied, authorize, can_edit, editing_notice, without_addresses
from analysis.store.history import STORE_ERRORS, store_error_message
from analysis.store.importer import import_read, import_upload, preview_upload
from analysis.store.preview import (
    TABLE_TITLES,
    changes_by_indicator_and_area,
    diff_counts,
    other_changes,
    rollback_summary,
    value_changes,
    versions_table,
)

MAX_MB = limits().max_file_bytes // (1024 * 1024)

store = ui.get_store()
dataset = ui.load_dataset()
policy, visitor = ui.access_policy(), ui.current_visitor()
editable = can_edit(policy, visitor) and not store.read_only

st.title("Data")
if store.read_only:
    st.warning("Databasen är skrivskyddad här: data och historik kan visas, men import och återställning går inte.")
if policy.problems:
    st.error(
        "**Inloggningen är felaktigt konfigurerad, så ingen kan ändra data:**  \n"
        + "  \n".join(f"- {ui.md(problem)}" for problem in policy.problems)
    )
st.info(ui.md(editing_notice(policy, visitor)), icon=":material/lock:" if not editable else ":material/edit:")
if policy.login_configured and not policy.problems:
    if visitor.logged_in:
        st.button("Logga ut", on_click=st.logout)
    else:
        st.button("Logga in", type="primary", on_click=st.login)


def options() -> ReadOptions:
    """The read options chosen for an exported single table."""
    return ReadOptions(
        indicator=st.session_state.get("tabell_indikator"),
        sex=st.session_state.get("tabell_kon") or TOTAL,
        new_areas=bool(st.session_state.get("nya_omraden")),
    )


def run_import() -> None:
    """Import the uploaded file (callback: authorised again here, so a forged click is refused)."""
    uploaded = st.session_state.get("uppladdning")
    try:
        authorize(ui.access_policy(), ui.current_visitor(), "importera")
        if uploaded is None:
            raise ValueError("Ingen fil är uppladdad.")
        who = ui.current_visitor().label or str(st.session_state.get("redaktor", "")).strip()
        if not who:
            raise ValueError("Skriv ditt namn innan du importerar.")
        data = uploaded.getvalue()
        key = (sha256_hex(data), ui.data_version(), options())
        if st.session_state.get("granskning_nyckel") == key:  # the file just previewed, against the same data
            outcome = import_read(ui.get_store(), st.session_state["granskning"][0], data, uploaded.name, who)
        else:
            outcome = import_upload(ui.get_store(), data, uploaded.name, who, options())
        if outcome.result is None:
            raise ValueError("Filen har fel och importerades inte.")
        st.session_state["meddelande"] = ("success", outcome.result.message)
    except (EditDenied, ValueError) as exc:
        st.session_state["meddelande"] = ("error", str(exc))
    except STORE_ERRORS as exc:  # full disk, I/O error, read-only store, original-file limit: nothing was written
        st.session_state["meddelande"] = ("error", store_error_message(exc))


def run_rollback(version: int) -> None:
    """Roll back to a version (callback: authorised again here)."""
    try:
        authorize(ui.access_policy(), ui.current_visitor(), "återställa")
        who = ui.current_visitor().label or str(st.session_state.get("redaktor", "")).strip() or "okänd"
        result = ui.get_store().rollback(version, user=who)
        st.session_state["meddelande"] = ("success", result.message)
    except (EditDenied, ValueError) as exc:
        st.session_state["meddelande"] = ("error", str(exc))
    except STORE_ERRORS as exc:  # full disk, I/O error, read-only store: nothing was written
        st.session_state["meddelande"] = ("error", store_error_message(exc))


st.page_link(
    "views/hamta.py",
    label="Hämta statistik direkt från SCB, Linköpings statistikdatabas och Kolada",
    icon=":material/cloud_download:",
)

if "meddelande" in st.session_state:
    kind, text = st.session_state.pop("meddelande")
    (st.success if kind == "success" else st.error)(ui.md(text))

upload_tab, history_tab, tables_tab = st.tabs(["Ladda upp", "Historik", "Tabeller"], key="flik", bind="query-params")

with upload_tab:
    ui.freshness_notice()
    st.header("1. Hämta mallen")
    cols = st.columns(3)
    # Files are built when the button is clicked (callables), not on every rerun of the page.
    cols[0].download_button(
        "Mall (Excel)",
        lambda: template_workbook(dataset),
        "mall_segregation.xlsx",
        XLSX_MIME,
        icon=":material/download:",
    )
    cols[1].download_button(
        "Guide (Word)", guide_document, "guide_dataimport.docx", DOCX_MIME, icon=":material/download:"
    )
    cols[2].caption("Mallen har rullgardinslistor för områden, indikatorer och kön. Guiden beskriver formatet.")

    st.header("2. Ladda upp en fil")
    if not editable:
        # Parsing costs the server work: only those who may import can make it parse files.
        st.info("Bara redaktörer kan ladda upp och kontrollera filer.", icon=":material/lock:")
    if editable:
        warm_up()  # the parsing process starts now, not when the first file arrives
    uploaded = (
        None
        if not editable
        else st.file_uploader(
            f"Excel (.xlsx, .xlsm, .xls) eller .ods, högst {MAX_MB:d} MB",
            type=["xlsx", "xlsm", "xls", "ods"],
            key="uppladdning",
            max_upload_size=MAX_MB,
        )
    )
    if uploaded is not None:
        data = uploaded.getvalue()
        key = (sha256_hex(data), ui.data_version(), options())
        if st.session_state.get("granskning_nyckel") != key:
            with st.status("Läser och kontrollerar filen …", expanded=True) as status:
                st.write("Kontrollerar filens format och storlek, läser bladen och kontrollerar varje rad …")
                read, diff = preview_upload(store, data, uploaded.name, options())
                st.write("Jämför med sparad data …" if diff is not None else "Filen har fel.")
                status.update(
                    label="Filen är läst och kontrollerad.", state="complete" if read.ok else "error", expanded=False
                )
            st.session_state["granskning_nyckel"], st.session_state["granskning"] = key, (read, diff)
        read, diff = st.session_state["granskning"]

        if read.info.needs_indicator or st.session_state.get("tabell_indikator"):
            st.subheader("Vilken indikator innehåller tabellen?")
            names = dict(zip(dataset.indicators["id"], dataset.indicators["name"]))
            suggested = [names[i] for i in read.info.suggested_indicators if i in names]
            order = suggested + [n for n in names.values() if n not in suggested]
            cols = st.columns(3)
            cols[0].selectbox(
                "Indikator",
                order,
                index=None,
                key="tabell_indikator",
                placeholder="Välj indikator",
                help="Förslagen överst liknar tabellens rubrik.",
            )
            cols[1].selectbox("Kön", ["Totalt", "Kvinnor", "Män"], key="tabell_kon")
            cols[2].checkbox("Lägg till okända områden (typ Övrigt)", key="nya_omraden")

        st.header("3. Kontroll")
        if read.problems:
            frame = problems_frame(read.problems)
            n_err = int((frame["nivå"] == "Fel").sum())
            (st.error if n_err else st.warning)(
                f"{n_err} fel och {len(frame) - n_err:d} varningar. "
                + (
                    "Rätta felen i filen och ladda upp den igen: ingenting importeras så länge det finns fel."
                    if n_err
                    else ""
                )
            )
            ui.table(frame, hide_index=True, width="stretch")
            st.download_button(
                "Ladda ned problemlistan (Excel)",
                lambda: problems_workbook(read.problems, uploaded.name),
                f"problem_{safe_filename(uploaded.name)}.xlsx",
                XLSX_MIME,
                icon=":material/download:",
            )
        else:
            st.success(
                f"Inga problem hittades ({ui.md(read.info.layout or 'arbetsbok')}, "
                f"blad: {', '.join(map(ui.md, read.info.sheets))})."
            )

        if diff is not None and not has_errors(read.problems):
            st.header("4. Förhandsgranskning")
            ui.table(diff_counts(diff), hide_index=True, width="stretch")
            if diff.new_areas or diff.new_indicators:
                st.write(
                    f"Nya områden: {', '.join(map(ui.md, diff.new_areas)) or '–'}. "
                    f"Nya indikatorer: {', '.join(map(ui.md, diff.new_indicators)) or '–'}."
                )
            t1, t2, t3, t4 = st.tabs(["Ändrade värden", "Nya värden", "Per indikator och område", "Övriga ändringar"])
            shown = preview.PREVIEW_ROWS
            for tab, kind, what in ((t1, "changed", "ändrade"), (t2, "new", "nya")):
                ui.table(
                    value_changes(diff, dataset, kind, limit=shown), container=tab, hide_index=True, width="stretch"
                )
                total = diff.count("observations", kind)
                if total > shown:  # a table of 200 000 rows helps nobody and slows the server for everyone
                    tab.caption(
                        ui.md(
                            f"Visar de första {format_number(shown)} av {format_number(total)} {what} "
                            "värden. Hela listan kan laddas ned."
                        )
                    )
                    tab.download_button(
                        ui.md(f"Ladda ned alla {what} värden (CSV)"),
                        lambda kind=kind: csv_bytes(value_changes(diff, dataset, kind)),
                        f"{kind}_{safe_filename(uploaded.name)}.csv",
                        CSV_MIME,
                        icon=":material/download:",
                        key=f"alla_{kind}",
                    )
            ui.table(changes_by_indicator_and_area(diff, dataset), container=t3, hide_index=True, width="stretch")
            ui.table(other_changes(diff), container=t4, hide_index=True, width="stretch")

            st.header("5. Importera")
            if diff.is_empty:
                st.info("Filen innehåller inga nya eller ändrade värden. En import skulle inte skapa någon ny version.")
            elif editable:
                if not visitor.logged_in:
                    st.text_input("Ditt namn (sparas i historiken)", key="redaktor")
                st.button("Importera som ny version", type="primary", on_click=run_import, icon=":material/upload:")
            else:
                st.info("Bara redaktörer kan importera.")

with history_tab:
    versions = store.versions()
    history = versions_table(versions)
    if not editable:  # editors' e-mail addresses are for editors
        history["Av"] = history["Av"].map(without_addresses)
    ui.table(history, hide_index=True, width="stretch")
    cols = st.columns(2)
    with cols[0]:
        st.markdown("**Originalfil för en version**")
        if editable:
            with_files = [
                int(v) for v, f in zip(versions["version"], versions["has_file"]) if f
            ]  # pruned ones are gone
            chosen = st.selectbox("Version", with_files, key="fil_version") if with_files else None
            name = versions.loc[versions["version"] == chosen, "file_name"].iloc[0] if chosen else ""
            if name:
                st.download_button(
                    f"Ladda ned {ui.md(name)}",
                    lambda: store.original_file(chosen)[1],
                    safe_filename(name),
                    icon=":material/download:",
                )
        else:
            st.caption("Bara redaktörer kan hämta de importerade originalfilerna.")
        st.markdown("**Nuvarande data i mallens format**")
        version = ui.data_version()
        st.download_button(
            "Exportera data (Excel)",
            lambda: dataset_to_workbook(dataset, title=f"Export av data, version {version}"),
            f"data_version_{version}.xlsx",
            XLSX_MIME,
            icon=":material/download:",
        )
    with cols[1]:
        st.markdown("**Återställ till en tidigare version**")
        if editable:
            target = st.selectbox(
                "Återställ till version",
                [int(v) for v in versions["version"]][1:],
                key="aterstall",
                index=None,
                placeholder="Välj version",
            )
            if target is not None:
                rollback = store.rollback_diff(target)
                st.write(ui.md(rollback_summary(rollback, target)))
                confirmed = st.checkbox(f"Ja, återställ till version {target:d}", key="bekrafta_aterstallning")
                st.button(
                    "Återställ",
                    disabled=not confirmed or rollback.is_empty,
                    on_click=run_rollback,
                    args=(target,),
                    icon=":material/history:",
                )
        else:
            st.caption("Bara redaktörer kan återställa.")

with tables_tab:
    names = {t: TABLE_TITLES[t] for t in SHEET_TABLES if t != "observations"}  # boundaries: the Karta page
    for tab, table in zip(st.tabs([ui.md(label) for label in names.values()]), names):
        ui.table(dataset.table(table).rename(columns=COLUMN_LABELS), container=tab, hide_index=True, width="stretch")
