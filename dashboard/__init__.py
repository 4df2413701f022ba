"""Streamlit + Plotly glue shared by the pages (figures, settings, controls)."""
