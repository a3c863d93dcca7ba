"""Så räknar vi: how gaps, verdicts, fixed prices, target attainment and example values are worked out."""

import streamlit as st

import ui
from analysis.viewmodels.method import method_sections

st.title("Så räknar vi")
st.caption(
    "Reglerna nedan läses ur samma konstanter som beräkningarna använder, så de stämmer alltid med det som "
    "visas på de andra sidorna och i exporterna."
)
ui.text_sections(method_sections())
