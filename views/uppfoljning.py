"""Uppföljning: placeholder until its issue lands."""

import streamlit as st

st.title("Uppföljning")
st.info("Sidan är under arbete.")
