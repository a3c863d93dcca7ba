"""Så räknar vi: how gaps, verdicts, fixed prices, target attainment and example values are worked out."""

import streamlit as st

import ui
from analysis.viewmodels.method import method_sections

st.title("Så räknar vi")
st.caption(
    "Reglerna nedan läses ur samma konstanter som beräkningarna använder, så de stämmer alltid med det som "
    "visas på de andra sidorna och i exporterna."
)
for section in method_sections():
    st.subheader(ui.md(section.heading))
    for paragraph in section.paragraphs:
        st.markdown(ui.md(paragraph))
    if section.bullets:
        st.markdown("\n".join(f"- {ui.md(item)}" for item in section.bullets))
