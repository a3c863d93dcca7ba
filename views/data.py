"""Data: the loaded tables and the version history (upload and rollback come with the data page issue)."""

import streamlit as st

import ui
from analysis.model import COLUMN_LABELS

dataset = ui.load_dataset()

st.title("Data")
ui.example_notice(dataset)
tabs = st.tabs(["Indikatorer", "Områden", "Åtgärder", "Mål", "Områdestexter", "Versioner"])
for tab, table in zip(tabs, ["indicators", "areas", "actions", "targets", "area_texts"]):
    with tab:
        st.dataframe(dataset.table(table).rename(columns=COLUMN_LABELS), hide_index=True, width="stretch")
with tabs[-1]:
    st.dataframe(ui.get_store().versions(), hide_index=True, width="stretch")
