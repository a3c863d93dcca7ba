"""Utforska indikatorer: placeholder until its issue lands."""

import streamlit as st

st.title("Utforska indikatorer")
st.info("Sidan är under arbete.")
