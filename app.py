"""Entry point: page config, navigation over pages/, the shared sidebar."""

import streamlit as st

import ui

st.set_page_config(
    page_title="Uppföljning av åtgärdsplan mot segregation – Linköping",
    page_icon="📊",
    layout="wide",
    initial_sidebar_state="expanded",
)

PAGES = [
    st.Page("pages/oversikt.py", title="Översikt", icon=":material/dashboard:", url_path="oversikt", default=True),
    st.Page("pages/data.py", title="Data", icon=":material/database:", url_path="data"),
]

page = st.navigation(PAGES)
with st.sidebar:
    st.caption("Åtgärdsplan mot segregation · Linköpings kommun")
    st.caption(f"Dataversion {ui.data_version()}")
page.run()
