"""Sweep: a learning-rate × regularization grid on the Playground's data, trained at once.

Layout only: the sections are in this folder's ``sections`` module, the numbers in
``compute``, the heatmaps in ``charts``, the cache in ``cache``.
"""

import streamlit as st

from dashboard.sweep.cache import cached_sweep
from dashboard.sweep.compute import describe_data
from dashboard.sweep.sections import (
    cell_picker,
    grid_controls,
    headline_metrics,
    heatmaps,
    picked_cell,
)
from dashboard.ui.controls import current_settings
from dashboard.ui.layout import presenter_css

settings, _ = current_settings()
presenter = settings.presenter
st.markdown(presenter_css(presenter), unsafe_allow_html=True)  # static CSS, no user text

st.title("Sweep")
st.markdown(
    "Every cell is one model trained on the Playground's current data — "
    f"**{describe_data(settings)}** — by full-batch gradient descent from the same initial "
    "weights, with its own learning rate and regularization. All cells train **at once**, "
    "as one batched computation."
)
n, steps = grid_controls(settings)
sw = cached_sweep(settings, n, steps)
if sw.settings.steps < steps:
    st.info(
        f"{n}×{n} models on {sw.n_train} points with {len(sw.feature_names)} features would "
        f"take long at {steps} steps; this sweep runs {sw.settings.steps} steps."
    )
r = sw.result
if sw.n_val > 0:
    accuracy, accuracy_name = r.val_accuracy, "validation accuracy"
else:
    accuracy, accuracy_name = r.train_accuracy, "training accuracy"

headline_metrics(sw, accuracy, accuracy_name)
selected = picked_cell(sw)
heatmaps(sw, accuracy, accuracy_name, selected, presenter)
cell_picker(sw, accuracy, accuracy_name, selected, settings)
