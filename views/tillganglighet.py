"""Tillgänglighet: the accessibility statement, written from the audit's allow-list and the problems found by hand."""

import streamlit as st

import ui
from analysis.viewmodels.accessibility_statement import statement_sections

st.title("Tillgänglighetsredogörelse")
ui.text_sections(statement_sections())
