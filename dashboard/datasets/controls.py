"""The Datasets page's controls: the sidebar, and the dataset it shows (bundled or uploaded).

Every widget keeps its value across pages through ``dashboard.ui.persist.kept``. The
dataset shown lives in session state (``ds_current``), so a bad upload leaves the last
good one in place, and an upload is never seen by another session.
"""

from __future__ import annotations

import streamlit as st

from dashboard.datasets.compute import (
    BUNDLED_SOURCES,
    DATASET_REGULARIZATIONS,
    MAX_GD_STEPS,
    OPTIMIZER_LABELS,
    OPTIMIZERS,
    SOURCE_LABELS,
    UPLOAD_SOURCE,
    UPLOADED_KEY,
    DatasetOptions,
    accept_upload,
)
from dashboard.settings import LEARNING_RATES
from dashboard.ui.markdown import markdown_escape as md
from dashboard.ui.persist import kept
from softmax_engine import Dataset, load_dataset
from softmax_engine.datasets import MAX_CSV_BYTES

SOURCES = (*BUNDLED_SOURCES, UPLOAD_SOURCE)
CURRENT_KEY = "ds_current"  # the dataset the page shows


def _log_value(v: float) -> str:
    return f"{v:g}"


def sidebar_options() -> tuple[str, DatasetOptions]:
    """Draw the sidebar's data and training controls.

    Returns
    -------
    source : str
        A bundled dataset's name, or :data:`UPLOAD_SOURCE`.
    options : DatasetOptions
        The training options shown; with L-BFGS, the learning rate and step count are
        the defaults (L-BFGS ignores them, so they stay out of the cache key).
    """
    default = DatasetOptions()
    with st.sidebar:
        st.subheader("Data")
        kept("ds_source", BUNDLED_SOURCES[0], allowed=SOURCES)
        source = st.selectbox(
            "Dataset", SOURCES, key="ds_source", format_func=SOURCE_LABELS.__getitem__
        )
        kept("ds_val_share", default.validation_share, allowed=lambda v: 0.0 <= v <= 0.5)
        share = st.slider(
            "Validation share",
            0.0,
            0.5,
            step=0.05,
            key="ds_val_share",
            help="Held out from training (stratified, seeded); the confusion matrix and "
            "precision/recall are computed on it.",
        )
        st.subheader("Training")
        kept("ds_optimizer", default.optimizer, allowed=OPTIMIZERS)
        optimizer = st.radio(
            "Optimizer", OPTIMIZERS, key="ds_optimizer", format_func=OPTIMIZER_LABELS.get
        )
        kept("ds_reg", default.reg, allowed=DATASET_REGULARIZATIONS)
        reg = st.select_slider(
            "Regularization",
            DATASET_REGULARIZATIONS,
            key="ds_reg",
            format_func=_log_value,
            help="reg in loss = mean cross-entropy + reg·‖W‖² (log scale 1e-5 … 10).",
        )
        learning_rate, steps = default.learning_rate, default.steps
        if optimizer == "sgd":
            kept("ds_lr", default.learning_rate, allowed=LEARNING_RATES)
            learning_rate = st.select_slider(
                "Learning rate", LEARNING_RATES, key="ds_lr", format_func=_log_value
            )
            kept("ds_steps", default.steps, allowed=lambda v: 1 <= v <= MAX_GD_STEPS)
            steps = st.slider("Steps", 1, MAX_GD_STEPS, key="ds_steps")
    options = DatasetOptions(
        reg=float(reg),
        optimizer=optimizer,
        learning_rate=float(learning_rate),
        steps=int(steps),
        validation_share=float(share),
    )
    return source, options


def chosen_dataset(source: str) -> Dataset:
    """The dataset to show; for :data:`UPLOAD_SOURCE`, draw the uploader and its messages.

    A good file replaces the dataset; a bad one shows its ``DatasetError`` message and
    keeps the previous dataset (the last good upload, or the bundled set shown before).

    Parameters
    ----------
    source : str
        From :func:`sidebar_options`.

    Returns
    -------
    Dataset
    """
    state = st.session_state
    if CURRENT_KEY not in state:
        state[CURRENT_KEY] = load_dataset(BUNDLED_SOURCES[0])
    if source != UPLOAD_SOURCE:
        state[CURRENT_KEY] = load_dataset(source)
        return state[CURRENT_KEY]
    upload = st.file_uploader(
        "Your CSV file",
        type="csv",
        key="csv_upload",
        # the same 5 MB as load_csv's own limit (and the server's), refused before upload
        max_upload_size=MAX_CSV_BYTES // (1024 * 1024),
        help="Numeric feature columns and one label column (the last one); a header row is "
        "optional. Comma, semicolon or tab separated; at most 5 MB.",
    )
    if upload is not None:
        uploaded, error = accept_upload(state, upload.file_id, upload.name, upload.getvalue())
    else:
        uploaded, error = state.get(UPLOADED_KEY), None
    if uploaded is not None:
        state[CURRENT_KEY] = uploaded
    # names and messages from a person's file are text, not markdown
    shown = md(state[CURRENT_KEY].name)
    if error:
        st.error(
            f"**{md(upload.name)}** cannot be used: {md(error.rstrip('.'))}. "
            f"The page keeps showing **{shown}**."
        )
    elif uploaded is None:
        st.info(
            "Choose a CSV file: numeric feature columns, the class label in the last column. "
            f"Until then this page shows **{shown}**."
        )
    return state[CURRENT_KEY]
