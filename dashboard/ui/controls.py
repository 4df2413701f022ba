"""Sidebar widgets that read and write one ``Settings``.

The canonical ``Settings`` lives in ``st.session_state["settings"]`` (it survives page
switches, unlike widget state). Each widget's key is the field name, so the CSS class
``st-key-<field>`` finds it in the browser, and the URL carries the same names. We sync
the URL ourselves instead of ``bind="query-params"`` because Streamlit silently drops
out-of-range URL values, while a lecturer's mistyped link deserves a visible note.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from dashboard.settings import (
    BATCH_SIZES,
    BUNDLED_NAMES,
    CLASS_COUNTS,
    DATASET_LABELS,
    DATASETS,
    FEATURE_LABELS,
    FEATURE_MAPS,
    LEARNING_RATES,
    MAX_SAMPLES,
    MAX_SEED,
    MAX_STEPS,
    OPTIMIZER_LABELS,
    OPTIMIZERS,
    PRESETS,
    RBF_GAMMAS,
    REGULARIZATIONS,
    Settings,
)

_FIELDS = tuple(f.name for f in dataclasses.fields(Settings))
_NO_PRESET = "—"


def current_settings():
    """The session's settings, initialized from the URL on the first run of a session.

    Returns
    -------
    settings : Settings
    url_notes : list of str
        Corrections made to the URL's parameters (shown once, on the first run).
    """
    if "settings" not in st.session_state:
        settings, notes = Settings.from_query(st.query_params.to_dict())
        st.session_state["settings"] = settings
        st.session_state["url_notes"] = notes
    return st.session_state["settings"], st.session_state.get("url_notes", [])


def load_settings(settings):
    """Make ``settings`` the session's settings (e.g. a sweep cell chosen on another page).

    Widget state is written too, so the Playground's sidebar shows the new values.
    """
    st.session_state["settings"] = settings
    for name in _FIELDS:
        st.session_state[name] = getattr(settings, name)


def sidebar_controls():
    """Draw the sidebar and return the settings it shows; keeps the URL in sync."""
    settings, _ = current_settings()
    for name in _FIELDS:  # widget state is dropped on page switches; restore it
        if name not in st.session_state:
            st.session_state[name] = getattr(settings, name)
    for name, options in (("learning_rate", LEARNING_RATES), ("reg", REGULARIZATIONS)):
        if st.session_state[name] not in options:  # set by code, not by a widget: check
            st.session_state[name] = getattr(settings, name)

    with st.sidebar:
        st.selectbox(
            "Preset",
            [_NO_PRESET, *PRESETS],
            key="preset",
            format_func=lambda k: k if k == _NO_PRESET else PRESETS[k].title,
            on_change=_apply_preset,
            help="Ready-made settings for a lecture, each with a sentence of commentary.",
        )
        _data_controls()
        _feature_controls()
        _training_controls()
        st.toggle(
            "Presenter mode",
            key="presenter",
            help="Bigger fonts and markers for a projector. Add ?presenter=true to a link "
            "to open it with the sidebar collapsed.",
        )

    raw = {name: st.session_state[name] for name in _FIELDS}
    new_settings = Settings(**raw)
    st.session_state["settings"] = new_settings
    _sync_url(new_settings)
    return new_settings


def _data_controls():
    st.subheader("Data")
    st.selectbox(
        "Dataset",
        DATASETS,
        key="dataset",
        format_func=DATASET_LABELS.__getitem__,
        on_change=_fit_class_count,
    )
    dataset = st.session_state["dataset"]
    bundled = dataset in BUNDLED_NAMES
    allowed = CLASS_COUNTS.get(dataset, range(2, 11))
    fixed = bundled or len(allowed) == 1
    st.slider(
        "Classes",
        2,
        10,
        key="n_classes",
        disabled=fixed,
        help="Fixed by this dataset." if fixed else None,
    )
    st.slider("Samples", 20, MAX_SAMPLES, step=10, key="n_samples", disabled=bundled)
    st.slider("Noise", 0.0, 1.0, step=0.01, key="noise", disabled=bundled)
    st.number_input("Data seed", 0, MAX_SEED, step=1, key="data_seed", disabled=bundled)
    st.slider(
        "Validation share",
        0.0,
        0.5,
        step=0.05,
        key="validation_share",
        help="Held out from training; drawn as hollow markers.",
    )


def _feature_controls():
    st.subheader("Features")
    st.radio(
        "Feature map",
        FEATURE_MAPS,
        key="features",
        format_func=FEATURE_LABELS.__getitem__,
        horizontal=True,
    )
    features = st.session_state["features"]
    st.slider("Polynomial degree", 1, 5, key="degree", disabled=features != "poly")
    st.select_slider(
        "RBF width γ",
        RBF_GAMMAS,
        key="rbf_gamma",
        disabled=features != "rbf",
        help="exp(−γ‖x − c‖²): a larger γ makes narrower bumps.",
    )
    st.checkbox("Standardize features", key="standardize")


def _training_controls():
    st.subheader("Training")
    st.selectbox("Optimizer", OPTIMIZERS, key="optimizer", format_func=OPTIMIZER_LABELS.__getitem__)
    lbfgs = st.session_state["optimizer"] == "lbfgs"
    # Learning rate and Regularization are on the Playground's stage, where they move the
    # charts live (dashboard.ui.live_stage); their values are kept in session state.
    st.slider("Steps", 1, MAX_STEPS, key="steps")
    st.select_slider(
        "Batch size",
        BATCH_SIZES,
        key="batch_size",
        format_func=lambda v: "Full" if v == 0 else str(v),
        disabled=lbfgs,
    )
    st.number_input("Init seed", 0, MAX_SEED, step=1, key="init_seed")


def _apply_preset():
    key = st.session_state.get("preset")
    if key in PRESETS:
        preset_settings = PRESETS[key].settings.replace(presenter=st.session_state["presenter"])
        for name in _FIELDS:
            st.session_state[name] = getattr(preset_settings, name)
        st.session_state["settings"] = preset_settings


def _fit_class_count():
    allowed = CLASS_COUNTS.get(st.session_state["dataset"])
    if allowed is not None and st.session_state["n_classes"] not in allowed:
        st.session_state["n_classes"] = min(
            allowed, key=lambda k: abs(k - st.session_state["n_classes"])
        )


def _sync_url(settings):
    query = settings.to_query()
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def share_link(settings):
    """The shareable URL of this view (absolute when the browser told us its address)."""
    from urllib.parse import urlencode

    base = st.context.url or ""
    query = urlencode(settings.to_query())
    return f"{base}?{query}" if query else base
