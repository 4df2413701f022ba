"""A test app for dashboard.ui.plotly_view: a good chart, then one whose payload is broken.

streamlit run tests/browser/apps/plotly_view_app.py   (from the repository root)
"""

import sys
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the repository root

from dashboard.ui.plotly_view import payload, plotly_view

height = st.slider("Height", 200, 400, 300, step=100, key="height")
fig = go.Figure(go.Scatter(x=[0, 1, 2], y=[1, 3, 2]))
fig.update_layout(height=height, title=f"height {height}")
plotly_view(payload(fig), key="good_chart")
plotly_view(b'{"config": {}, "figure": {not json', key="broken_chart")
