"""Pure Python/pandas core of the dashboard: model, reading, validation, store, analysis, exports.

Never imports streamlit (a test enforces it): pages call in, nothing here calls out.
"""
