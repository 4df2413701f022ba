"""Sweep: a learning-rate × regularization grid on the Playground's data, trained at once.

Every optimizer and batch size the Playground offers; L-BFGS, which has no learning rate,
gets a path over regularization alone. Layout only: the sections are in this folder's
``sections`` module, the numbers in ``compute``, the charts in ``charts``, the cache in
``cache``.
"""

import streamlit as st

from dashboard.sweep.cache import cached_sweep
from dashboard.sweep.compute import describe_data
from dashboard.sweep.sections import (
    cell_picker,
    grid_controls,
    headline_metrics,
    picked_cell,
    sweep_charts,
    what_was_trained,
)
from dashboard.ui.controls import current_settings
from dashboard.ui.layout import presenter_css

settings, _ = current_settings()
presenter = settings.presenter
st.markdown(presenter_css(presenter), unsafe_allow_html=True)  # static CSS, no user text

st.title("Sweep")
st.markdown(
    "Every cell is one model trained on the Playground's current data — "
    f"**{describe_data(settings)}** — from the Playground's initial weights, with its own "
    "learning rate and regularization. Optimizer and batch size start as the Playground's."
)
swept, n, steps = grid_controls(settings)
sw = cached_sweep(swept, n, steps)
what_was_trained(sw, steps)
r = sw.result
if sw.n_val > 0:
    accuracy, accuracy_name = r.val_accuracy, "validation accuracy"
else:
    accuracy, accuracy_name = r.train_accuracy, "training accuracy"

headline_metrics(sw, accuracy, accuracy_name)
selected = picked_cell(sw)
sweep_charts(sw, accuracy, accuracy_name, selected, presenter)
cell_picker(sw, accuracy, accuracy_name, selected, settings)
