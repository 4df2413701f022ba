"""Datasets: train on all features of a real dataset or your own CSV; compare with scikit-learn.

Layout only: the controls and sections are in this folder's ``controls`` and ``sections``
modules, the numbers in ``compute``, the figures in ``charts``, the cache in ``cache``.
"""

import streamlit as st

from dashboard.datasets.cache import trained_run
from dashboard.datasets.controls import chosen_dataset, sidebar_options
from dashboard.datasets.sections import (
    dataset_summary,
    evaluation_charts,
    headline_metrics,
    plane_section,
    sklearn_section,
    training_section,
    weights_section,
)
from dashboard.ui.controls import current_settings
from dashboard.ui.layout import presenter_css
from dashboard.ui.markdown import markdown_escape

settings, _ = current_settings()
presenter = settings.presenter
st.markdown(presenter_css(presenter), unsafe_allow_html=True)  # static CSS, no user text
source, options = sidebar_options()

st.title("Datasets")
st.caption(
    "A softmax classifier on **all** features of a real dataset, standardized "
    "(mean 0, standard deviation 1 on the training set)."
)
dataset = chosen_dataset(source)
dataset_summary(dataset)
try:
    run = trained_run(dataset, options)
except ValueError as exc:  # e.g. a dataset too small to split; never a traceback
    name, message = markdown_escape(dataset.name), markdown_escape(str(exc))
    st.error(f"Cannot train on **{name}**: {message}")
    st.stop()

headline_metrics(run)
evaluation_charts(run, presenter)
# stacked on a projector: half its width is too cramped for projector-sized labels
left, right = (st.container(), st.container()) if presenter else st.columns([1.1, 1])
with left:
    plane_section(run, presenter)
with right:
    training_section(run, presenter)
weights_section(run, presenter)
sklearn_section(run)
