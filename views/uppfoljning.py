"""Uppföljning: what became of the plan's actions, and whether the gaps to the rest of Linköping are closing."""

from datetime import date

import streamlit as st

import ui
from analysis.core.mime import XLSX_MIME
from analysis.core.model import split_list
from analysis.core.settings import risk_months
from analysis.exports.followup_report import followup_report, report_file_name
from analysis.measures.action_status import risk_rule
from analysis.measures.narrative import in_text
from analysis.measures.targets import ATTAINMENT_RULES, WRONG_WAY
from analysis.measures.verdicts import THRESHOLD_TEXT
from analysis.viewmodels.bilaga5 import report_year
from analysis.viewmodels.followup import (
    ALL_THEMES,
    CHANGE_ORDER,
    DERIVED_NOTE,
    STATUS_ORDER,
    ActionFilter,
    action_followups,
    action_register,
    attainment_display,
    change_counts,
    changes_table,
    counts_table,
    filter_options,
    outcome_display,
    plan_followup_years,
    summary_display,
)
from analysis.viewmodels.plans import (
    CHANGED_IN_PLAN,
    DROPPED_FROM_PLAN,
    NEW_IN_PLAN,
    current_plan,
    plan_change_counts,
    plan_changes_table,
    plan_versions,
)

# One data version for the whole run: the follow-up, the filters' options and the action details agree.
data = ui.data_key()
dataset = ui.dataset_at(*data)
today = date.today()
st.title("Uppföljning")
st.caption(
    "Den årliga uppföljningen av åtgärdsplanen: vad som har hänt med varje åtgärd, och om Berga, Ryd och "
    "Skäggetorp närmar sig resten av Linköping."
)
if dataset.actions.empty and dataset.observations.empty:
    st.info("Det finns inga åtgärder eller värden i datan än. Importera data på sidan Data.")
    st.stop()

versions = {v.name: v for v in plan_versions(dataset)}
with st.container(border=True):
    top = st.columns([3, 2])
    names = list(versions)
    # Plain option values: a bound selectbox keeps its option in the URL (?plan=Åtgärdsplan 2022).
    plan = top[0].selectbox(
        "Plan",
        names,
        index=names.index(current_plan(dataset, today)) if current_plan(dataset, today) in names else 0,
        key="plan",
        bind="query-params",
        format_func=lambda n: versions[n].label,
        help="Åtgärdsplanens versioner. Varje version har sina åtgärder; en uppföljning gäller planen för sitt år.",
    )
    years = plan_followup_years(dataset, plan)
    now = ["Nu"] if plan == current_plan(dataset, today) or not years else []
    picked = top[1].selectbox(
        "Uppföljning",
        [*now, *[str(y) for y in reversed(years)]],
        key="uppf",
        bind="query-params",
        help="Nu = status i dag; ett årtal = statusen vid årets uppföljning. Den jämförs med uppföljningen före.",
    )
options = filter_options(dataset, action_register(dataset, today, plan))
with st.container(border=True):
    cols = st.columns([2, 3, 4, 3])
    areas = cols[0].multiselect("Område", options["areas"], key="omr", bind="query-params", placeholder="Alla")
    themes = cols[1].multiselect("Tema", options["themes"], key="tema", bind="query-params", placeholder="Alla")
    departments = cols[2].multiselect(
        "Ansvarig", options["departments"], key="ansvarig", bind="query-params", placeholder="Alla"
    )
    statuses = cols[3].multiselect("Status", options["statuses"], key="status", bind="query-params", placeholder="Alla")
    search = st.text_input(
        "Sök bland åtgärderna",
        key="sok",
        bind="query-params",
        placeholder="t.ex. läxhjälp, A12 eller Socialförvaltningen",
    )
    reference, baseline = ui.comparison_controls(dataset)
    linked_only = st.checkbox(
        "Visa bara utfall för indikatorer som de valda åtgärderna ska påverka", key="kopplade", bind="query-params"
    )

filters = ActionFilter(tuple(areas), tuple(themes), tuple(departments), tuple(statuses), search)
current_year = None if picked == "Nu" else int(picked)
version = data[1]
choices = (filters, reference, baseline, current_year, linked_only, today, plan)
fu = ui.follow_up_at(*data, *choices)
figures, shown_tables = ui.followup_shown_at(*data, *choices)
reference = fu.reference  # '' when the data has no comparison area

# The workbook is built when the button is clicked, not on every change of the filters.
st.download_button(
    "Ladda ner uppföljningsrapporten (Excel)",
    data=lambda: followup_report(fu, version),
    file_name=report_file_name(fu),
    mime=XLSX_MIME,
    key="rapport",
    icon=":material/download:",
    on_click="ignore",
    help="Bladen Sammanfattning, Åtgärder och Indikatorer med samma urval och siffror som sidan.",
)
st.caption(
    f"**Bilaga 5 – Uppföljning av åtgärdsplan mot segregation {ui.md(report_year(fu))}**: sammanfattning i "
    "meningar, åtgärderna per tema, utfallet per fokusområde och förändringarna, med samma urval och siffror "
    "som sidan."
)
ui.bilaga5_downloads(ui.bilaga5_at(*data, *choices), key="bilaga5")
if fu.action_examples:
    st.warning(
        "**Exempeldata:** åtgärderna och uppföljningarna är påhittade exempel (källa *Exempelvärde "
        "(fiktivt)*) och ska ersättas med kommunens riktiga uppföljning.",
        icon="⚠️",
    )
ui.example_notice(data=data)

# --- Actions -------------------------------------------------------------------------------------
st.header("Åtgärder")
st.caption(
    f"{ui.md(fu.plan.describe())} Status "
    + ("i dag" if fu.current_year is None else f"vid {ui.md(fu.current_label.lower())}")
    + f". Urval: {ui.md(filters.describe())}. {ui.md(DERIVED_NOTE)}"
)
with st.expander("Så räknas Riskerar att försenas fram"):
    st.markdown(ui.md(risk_rule(risk_months())))
counts = dict(zip(fu.status_counts["status"], fu.status_counts["count"]))
metric_cols = st.columns(1 + len(counts))
metric_cols[0].metric("Åtgärder", len(fu.register), help=f"Av {fu.total_actions:d} åtgärder i planen.")
for col, status in zip(metric_cols[1:], [s for s in STATUS_ORDER if s in counts]):
    col.metric(ui.md(status), int(counts[status]))

if fu.register.empty:
    st.info("Inga åtgärder matchar urvalet. Ta bort något filter eller ändra sökningen.")
else:
    chart_cols = st.columns(2)
    ui.plotly_chart(figures["status"], "fig-status", chart_cols[0])
    ui.plotly_chart(figures["tema"], "fig-tema", chart_cols[1])
    chart_cols = st.columns(2)
    ui.plotly_chart(figures["ansvarig"], "fig-ansvarig", chart_cols[0])
    ui.plotly_chart(figures["omrade"], "fig-omrade", chart_cols[1])
    st.caption(
        "En åtgärd som gäller flera områden räknas i varje område. Siffrorna i staplarna är antal åtgärder; "
        "statusarna har både färg och mönster."
    )
    # Tables in collapsed expanders are built only when opened: the browser has less to draw.
    tables = st.expander("Tabeller till diagrammen", key="tabeller", on_change="rerun")
    if tables.open:
        with tables:
            for by, table in (("theme", fu.by_theme), ("responsible", fu.by_department), ("areas", fu.by_area)):
                ui.table(counts_table(table, by), hide_index=True, width="stretch")

    st.subheader("Åtgärdsregister")
    st.caption(f"{len(fu.register)} åtgärder. Kolumnerna Uppföljning ÅÅÅÅ visar statusen vid varje årlig uppföljning.")
    ui.table(
        shown_tables["register"],
        hide_index=True,
        width="stretch",
        key="register",
        column_config={
            "Åtgärd": st.column_config.TextColumn(width="large"),
            "Kommentar": st.column_config.TextColumn(width="large"),
        },
    )

    st.subheader("Tidslinje")
    st.caption(
        "Varje stapel går från åtgärdens start- till slutdatum och har statusen skriven på sig. Den prickade "
        "linjen är dagens datum."
    )
    ui.plotly_chart(figures["tidslinje"], "fig-tidslinje", title="Åtgärdernas tidslinje")

    st.subheader("En åtgärd i detalj")
    titles = dict(zip(fu.register["id"], fu.register["title"]))
    action_id = st.selectbox("Åtgärd", list(titles), key="atgard", format_func=lambda i: f"{i} {titles.get(i, '')}")
    action = fu.register[fu.register["id"] == action_id].iloc[0]
    with st.container(border=True):
        derived = " (härledd ur slutdatum)" if action["derived"] else ""
        st.markdown(
            f"**{ui.md(action['id'])} {ui.md(action['title'])}**  \n"
            f"Tema: {ui.md(action['theme']) or '–'} · Ansvarig: {ui.md(action['responsible']) or '–'} · "
            f"Områden: {ui.md(', '.join(split_list(action['areas']))) or '–'}  \n"
            f"{ui.md(action['start']) or '?'} – {ui.md(action['end']) or '?'} · "
            f"Status: **{ui.md(action['status'])}**{derived}"
        )
        if action["comment"]:
            st.markdown(f"> {ui.md(action['comment'])}")
        if action["is_example"] or action["followups_example"]:
            st.caption(
                "*Exempel (fiktivt):* "
                + (
                    "åtgärden och dess uppföljningar är påhittade."
                    if action["is_example"] and action["followups_example"]
                    else "åtgärden är påhittad."
                    if action["is_example"]
                    else "uppföljningarna är påhittade."
                )
            )
        history = action_followups(dataset, action_id, today)
        if len(history):
            ui.table(history, hide_index=True, width="stretch", key="atgard-historik")
        else:
            st.caption("Åtgärden har inga uppföljningar än.")
        linked = split_list(action["indicators"])
        if linked:
            action_areas = [a for a in split_list(action["areas"]) if a in set(fu.outcomes["area"])] or list(
                dict.fromkeys(fu.outcomes["area"])
            )
            rows = fu.outcomes[fu.outcomes["indicator"].isin(linked) & fu.outcomes["area"].isin(action_areas)]
            st.markdown("**Indikatorer som åtgärden ska påverka**")
            if len(rows):
                ui.table(outcome_display(rows), hide_index=True, width="stretch", key="atgard-utfall")
            names = dict(zip(dataset.indicators["id"], dataset.indicators["name"]))
            indicator = (
                st.selectbox("Indikator", linked, key="atgard_indikator", format_func=lambda i: names.get(i, i))
                if len(linked) > 1
                else linked[0]
            )
            ui.indicator_chart(
                dataset,
                indicator,
                [a for a in (*action_areas, reference) if a],
                baseline,
                key=f"atgard-diagram-{action_id}-{indicator}",
                data=data,
            )

# --- Changes since the previous follow-up --------------------------------------------------------
st.header("Förändringar sedan förra uppföljningen")
if fu.previous_label is None:
    st.info(f"Det finns ingen uppföljning före {ui.md(fu.current_label.lower())} att jämföra med.")
else:
    st.caption(
        f"{ui.md(fu.current_label)} jämfört med {ui.md(fu.previous_label.lower())}. Ny = fanns inte med i "
        f"{ui.md(fu.previous_label.lower())}. Statusen vid en uppföljning är den senast rapporterade, och "
        "Försenad räknas fram med slutdatum och uppföljningsårets sista dag."
    )
    changes = change_counts(fu.changes)
    change_cols = st.columns(4)
    change_cols[0].metric("Nya", int(changes[CHANGE_ORDER[0]]))
    change_cols[1].metric("Genomförda", int(changes[CHANGE_ORDER[1]]))
    change_cols[2].metric("Försenade", int(changes[CHANGE_ORDER[2]]))
    change_cols[3].metric("Övriga ändringar", int(sum(changes[k] for k in CHANGE_ORDER[3:])))
    if fu.changes.empty:
        st.caption("Ingen åtgärd i urvalet har ändrat status.")
    else:
        ui.table(
            changes_table(fu.changes, fu.previous_label, fu.current_label),
            hide_index=True,
            width="stretch",
            key="forandringar",
        )

# --- Changes since the previous plan --------------------------------------------------------------
if fu.previous_plan is not None:
    st.header(f"Förändringar sedan {ui.md(fu.previous_plan.label)}")
    plan_counts = plan_change_counts(fu.plan_changes)
    st.caption(
        f"{ui.md(fu.plan.label)} jämförd med {ui.md(fu.previous_plan.describe())} Hela planen, utan urvalets filter. "
        "Ändrad = samma id men annan beskrivning, tema, ansvarig, områden, datum eller indikatorer."
    )
    plan_cols = st.columns(4)
    plan_cols[0].metric("Nya i planen", int(plan_counts[NEW_IN_PLAN]))
    plan_cols[1].metric("Ändrade", int(plan_counts[CHANGED_IN_PLAN]))
    plan_cols[2].metric("Utgår", int(plan_counts[DROPPED_FROM_PLAN]))
    plan_cols[3].metric("Oförändrade", int(fu.carried_over))
    if len(fu.plan_changes):
        ui.table(plan_changes_table(fu.plan_changes), hide_index=True, width="stretch", key="planforandringar")

# --- Outcomes ------------------------------------------------------------------------------------
st.header("Utfall: närmar sig fokusområdena?")
st.caption(
    f"Jämfört med {ui.md(in_text(reference))}, förändring sedan {baseline:d}. Skillnaden anges i procentenheter "
    f"för andelar, i enheten för dagar och poäng och i procent för övriga mått. {ui.md(THRESHOLD_TEXT)}"
    + (" Bara indikatorer som de valda åtgärderna ska påverka." if linked_only else "")
)
if fu.outcomes.empty:
    st.info("Det finns inga indikatorvärden för fokusområdena i urvalet.")
else:
    totals = fu.summary[fu.summary["theme"] == ALL_THEMES]
    area_cols = st.columns(max(len(totals), 1))
    for col, row in zip(area_cols, totals.itertuples(index=False)):
        with col.container(border=True):
            st.markdown(f"**{ui.md(row.area)}**")
            st.markdown(
                f"→← närmar sig: **{ui.md(row.closing)}**  \n= oförändrat: **{ui.md(row.steady)}**  \n"
                f"←→ avlägsnar sig: **{ui.md(row.widening)}**  \nutan bedömning: {ui.md(row.no_verdict)}"
            )
    st.subheader("Per område och tema")
    st.caption(
        "Antal indikatorer per tema vars skillnad mot jämförelseområdet →← närmar sig, = är oförändrad eller "
        "←→ avlägsnar sig. Beskrivande indikatorer och indikatorer utan data saknar bedömning."
    )
    ui.table(shown_tables["sammanfattning"], width="stretch", key="sammanfattning")
    same = st.expander("Samma siffror som tabell", key="samma-tabell", on_change="rerun")
    if same.open:
        with same:
            ui.table(summary_display(fu.summary), hide_index=True, width="stretch")
    st.subheader("Måluppfyllelse")
    st.caption(
        "Varje mål bedöms mot den raka linjen från områdets värde målets basår till målvärdet målåret: "
        "uppnått, i fas eller inte i fas före målåret, uppnått eller inte uppnått från och med målåret."
    )
    with st.expander("Så bedöms måluppfyllelsen"):
        st.markdown("\n".join(f"- {ui.md(rule)}" for rule in ATTAINMENT_RULES))
    if fu.attainment.empty:
        st.caption("Det finns inga mål för indikatorerna i urvalet.")
    else:
        ui.table(attainment_display(fu.attainment), hide_index=True, width="stretch", key="maluppfyllelse")
        wrong = fu.outcomes[fu.outcomes["attainment"] == WRONG_WAY]
        if len(wrong):
            st.warning(
                f"**Mål som pekar åt fel håll ({len(wrong):d}):** "
                + "; ".join(
                    f"{ui.md(a)}, {ui.md(n)}: {ui.md(t)}"
                    for a, n, t in zip(wrong["area"], wrong["name"], wrong["attainment_text"])
                )
                + ". Kontrollera målen på bladet Mål.",
                icon="⚠️",
            )
    st.subheader("Indikatorer")
    ui.table(shown_tables["utfall"], hide_index=True, width="stretch", key="utfall")
