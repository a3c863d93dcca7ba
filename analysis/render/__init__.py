"""Figures: plotly charts, sparklines and chart images (PNG through Chromium)."""
