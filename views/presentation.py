"""Presentation: placeholder until its issue lands."""

import streamlit as st

st.title("Presentation")
st.info("Sidan är under arbete.")
