"""Entry point: page config, navigation over views/ (not pages/: see README), the shared sidebar."""

import streamlit as st

import ui

st.set_page_config(
    page_title="Uppföljning av åtgärdsplan mot segregation – Linköping",
    page_icon="📊",
    layout="wide",
    # Presentation mode (views/presentation.py) keeps the sidebar out of the way on every rerun.
    initial_sidebar_state="collapsed" if st.session_state.get("presentera") else "expanded",
)

page = st.navigation(
    [st.Page(p.script, title=p.title, icon=p.icon, url_path=p.url_path, default=i == 0) for i, p in enumerate(ui.PAGES)]
)
with st.sidebar:
    st.caption("Åtgärdsplan mot segregation · Linköpings kommun")
    st.caption(f"Dataversion {ui.data_version():d}")
page.run()
