"""The baseline for ``benchmarks/latency.py``: a minimal Streamlit app.

One slider and one small plotly chart that depends on it, written the way a first
Streamlit app would be (``go.Figure``, default template and theme). The Playground's
key-press-to-redraw latency is reported as a multiple of this app's, measured in the
same browser on the same machine in the same run, so machine speed cancels out.

    streamlit run benchmarks/minimal_app.py
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.title("Minimal app")
frequency = st.slider("Frequency", 1, 20, 5, key="frequency")

x = np.linspace(0.0, 1.0, 50)
fig = go.Figure(go.Scatter(x=x, y=np.sin(2 * np.pi * frequency * x), mode="lines+markers"))
fig.update_layout(
    title=f"sin(2π · {frequency} · x)",
    height=320,
    xaxis=dict(range=[0, 1]),
    yaxis=dict(range=[-1.1, 1.1]),
)
st.plotly_chart(fig, key="chart")
