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
    # Streamlit serves its page as lang="en" and has no setting for it (streamlit/streamlit#15726); screen readers
    # need the page's language to pronounce Swedish (WCAG 2.1, 3.1.1). A fixed script, no data in it.
    st.html(ui.PAGE_LANGUAGE_SCRIPT, unsafe_allow_javascript=True, width="content")
st.html(ui.APP_CSS)
page.run()
