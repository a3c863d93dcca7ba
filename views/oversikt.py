"""Översikt: each focus area against the reference, a matrix of every indicator, and the data status."""

import streamlit as st

import ui
from analysis.core.formatting import format_number, format_share
from analysis.core.model import focus_areas
from analysis.measures.narrative import in_text
from analysis.measures.verdicts import THRESHOLD_TEXT
from analysis.store.access import without_addresses

# One version for the whole run: an import while the page runs must not mix two versions' numbers.
data = ui.data_key()
dataset = ui.dataset_at(*data)
st.title("Översikt")
st.caption("Uppföljning av Åtgärdsplan mot segregation: fokusområdena jämförda med resten av staden.")

areas = focus_areas(dataset.areas)
if not areas:
    st.info("Det finns inga områden av typen Fokusområde i datan. Ange typen på bladet Områden och importera igen.")
    st.stop()
reference, baseline = ui.comparison_controls(dataset)
ui.example_notice(data=data)
ov = ui.overview_at(*data, tuple(areas), reference, baseline)

st.header(f"Fokusområdena jämfört med {ui.md(in_text(reference))}")
for col, card in zip(st.columns(len(ov.cards)), ov.cards):
    with col.container(border=True):
        st.markdown(f"### {ui.md(card.area)}")
        st.metric("Folkmängd", ui.md(card.population), help=f"Senaste år: {ui.md(card.population_year or '–')}")
        if card.population_example:
            st.caption("Folkmängden är ett *exempelvärde* (fiktivt).")
        ui.category_lines(card.categories)
        share = card.counts.closing / card.counts.total if card.counts.total else 0.0
        st.progress(share, text=ui.md(card.counts_text))
        for k in card.key:
            verdict = ui.tone_text(k.gap_verdict, k.verdict_tone)
            example = " · *exempelvärde*" if k.headline_example else ""
            st.markdown(
                f"**{ui.md(k.name)}**  \n{ui.md(k.value)} ({ui.md(k.year)}) · {ui.md(k.gap)}  \n{verdict}{example}"
            )
        st.page_link(
            "views/nulagesbild.py",
            label=f"Nulägesbild {ui.md(card.area)}",
            icon=":material/arrow_forward:",
            query_params={"omrade": card.area, "jmf": reference, "basar": str(baseline)},
        )

for sentence in ov.category_counts:
    st.caption(ui.md(sentence))

st.header("Alla indikatorer")
st.caption(
    f"Cellerna visar skillnaden mot {ui.md(in_text(reference))} senaste året med data: procentenheter (pe) för "
    "andelar, dagar och poäng i sin enhet och procent (%) för övriga mått (se Så räknar vi). ▲ betyder bättre än jämförelseområdet och ▼ sämre, med hänsyn till om "
    "höga eller låga värden är bra; färgen säger samma sak (blå = bättre, orange = sämre). Beskrivande indikatorer "
    "(till exempel andel utrikes födda) är grå och får varken ▲ eller ▼. Antal jämförs inte mellan områden av olika "
    "storlek. En stjärna (\\*) efter skillnaden betyder att den bygger på exempelvärden (fiktiva)."
)
ui.table(ov.matrix, styles=ov.tones.map(ui.tone_css), width="stretch", height=min(38 * (len(ov.matrix) + 1), 1000))
with st.expander("Förändring sedan basåret per indikator"):
    st.caption(ui.md(THRESHOLD_TEXT))
    table = (
        ov.table[["area", "name", "year", "gap_verdict", "value_verdict", "baseline_year"]]
        .rename(
            columns={
                "area": "Område",
                "name": "Indikator",
                "year": "År",
                "gap_verdict": "Skillnaden",
                "value_verdict": "Utveckling",
                "baseline_year": "Basår",
            }
        )
        .fillna("–")
    )
    table["Exempel"] = ["Ja" if e else "" for e in ov.table["is_example"]]
    ui.table(table, hide_index=True, width="stretch")

peers = ui.peer_comparison_at(*data)
if peers is not None:
    st.header(f"{ui.md(peers.municipality)} och jämförelsekommunerna")
    st.caption(
        f"{ui.md(peers.municipality)} jämfört med de andra kommunerna i datan, det senaste år som de har gemensamt. "
        "Placering: 1 är bäst med hänsyn till om höga eller låga värden är bra; beskrivande indikatorer får ingen "
        "placering. En stjärna (\\*) betyder exempelvärde (fiktivt)."
    )
    ui.table(peers.table, hide_index=True, width="stretch")
    st.page_link(
        "views/utforska.py",
        label="Jämför kommunerna i Utforska",
        icon=":material/query_stats:",
        query_params={
            "indikator": str(peers.table["Indikator"].iloc[0]),
            "omraden": [peers.municipality, *peers.peers],
            "vy": "Jämförelse",
            "alla": "false",
        },
    )

st.header("Datastatus")
status = ui.data_status_at(*data)
cols = st.columns(4)
cols[0].metric("Dataversion", ui.md(status.version or "–"))
cols[1].metric("Värden", ui.md(format_number(status.n_values)))
cols[2].metric("Indikatorer", ui.md(status.n_indicators))
cols[3].metric("Exempelvärden", ui.md(format_share(status.example_share)))
st.caption(
    f"Senast ändrad {ui.md(status.last_change.replace('T', ' ')[:16])} av {ui.md(without_addresses(status.last_user))} "
    f"({ui.md(status.last_file) or 'ingen fil'}). År {ui.md(status.first_year)}–{ui.md(status.last_year)}."
)
