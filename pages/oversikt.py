"""Översikt: placeholder start page showing the loaded data and its status."""

import streamlit as st

import ui
from analysis.formatting import format_number, format_share
from analysis.model import COLUMN_LABELS
from analysis.summary import data_status

dataset = ui.load_dataset()
status = data_status(dataset, ui.get_store().versions())

st.title("Översikt")
st.caption("Uppföljning av Åtgärdsplan mot segregation: Berga, Ryd och Skäggetorp jämfört med övriga Linköping.")
ui.example_notice(dataset)

cols = st.columns(4)
cols[0].metric("Dataversion", status.version or "–")
cols[1].metric("Värden", format_number(status.n_values))
cols[2].metric("Indikatorer", status.n_indicators)
cols[3].metric("Exempelvärden", format_share(status.example_share))
st.caption(f"Senast ändrad {status.last_change} av {status.last_user} ({status.last_file or 'ingen fil'}). "
           f"År {status.first_year}–{status.last_year}.")

st.subheader("Inlästa värden")
st.dataframe(dataset.observations.rename(columns=COLUMN_LABELS), hide_index=True, width="stretch")
