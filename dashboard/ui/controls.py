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

from dashboard.playground.own_data import (
    MAX_CSV_BYTES,
    PCA_VIEW,
    parse_upload,
    plane_of,
    register,
)
from dashboard.settings import (
    BATCH_SIZES,
    BUNDLED_NAMES,
    CLASS_COUNTS,
    DATASET_CHOICES,
    DATASET_LABELS,
    FEATURE_LABELS,
    FEATURE_MAPS,
    LEARNING_RATES,
    MAX_SAMPLES,
    MAX_SEED,
    MAX_STEPS,
    OPTIMIZER_LABELS,
    OPTIMIZERS,
    OWN_DATA,
    PRESETS,
    RBF_GAMMAS,
    REGULARIZATIONS,
    Settings,
)
from dashboard.ui.markdown import markdown_escape as md
from dashboard.ui.persist import kept
from softmax_engine import DatasetError

# Every Settings field a widget shows (``user_data`` is not one: it is the digest of the
# session's own data, set from it).
_FIELDS = tuple(f.name for f in dataclasses.fields(Settings) if f.name != "user_data")
_NO_PRESET = "—"
# The session's own data (issue 14): never seen by another session.
OWN_FULL_KEY = "pg_own_full"  # the last good upload (every column)
OWN_FILE_KEY = "pg_own_file"  # (file id, name, error or None) of the upload seen last
OWN_PLANE_KEY = "pg_own_plane"  # (source token, 2-D dataset, note): what runs train on
OWN_SEEN_KEY = "pg_own_seen"  # the (file id, plane) the data was last made from
OWN_DIGEST_KEY = "pg_own_digest"  # its digest (Settings.user_data)
BUILTIN_KEY = "pg_builtin"  # the built-in dataset shown until own data exists


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
    settings = st.session_state["settings"]
    if settings.dataset == OWN_DATA:
        _register_own()  # the server's registry is bounded: another page may need it again
    return settings, st.session_state.get("url_notes", [])


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
    if raw["dataset"] == OWN_DATA:
        digest = st.session_state.get(OWN_DIGEST_KEY)
        if digest:
            raw["user_data"] = digest
        else:  # no good upload yet: the data shown before stays
            raw["dataset"] = st.session_state.get(BUILTIN_KEY, Settings().dataset)
    else:
        st.session_state[BUILTIN_KEY] = raw["dataset"]
    new_settings = Settings(**raw)
    st.session_state["settings"] = new_settings
    _sync_url(new_settings)
    return new_settings


def _data_controls():
    st.subheader("Data")
    st.selectbox(
        "Dataset",
        DATASET_CHOICES,
        key="dataset",
        format_func=DATASET_LABELS.__getitem__,
        on_change=_fit_class_count,
    )
    dataset = st.session_state["dataset"]
    if dataset == OWN_DATA:
        _own_data_controls()
    bundled = dataset in BUNDLED_NAMES or dataset == OWN_DATA
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


def _register_own():
    """Register the session's 2-D data (if any) with the caches; its digest or None."""
    plane = st.session_state.get(OWN_PLANE_KEY)  # (token, data, note[, anchor])
    digest = register(*plane[1:4]) if plane else None
    st.session_state[OWN_DIGEST_KEY] = digest
    return digest


def _own_data_controls():
    """The file input, its messages, and the plane of a file with more than two columns.

    A good file replaces the session's own data; a bad one shows its ``DatasetError``
    message and the data shown before stays."""
    state = st.session_state
    upload = st.file_uploader(
        "Your CSV file",
        type="csv",
        key="pg_csv",
        max_upload_size=MAX_CSV_BYTES // (1024 * 1024),  # load_csv's own 5 MB, refused early
        help=f"Numeric columns and a label column (the last one; text or numbers, 2–10 "
        f"classes); a header row is optional; at most {MAX_SAMPLES} rows and 5 MB. Stays "
        "in this browser session: links do not share it.",
    )
    if upload is not None and (state.get(OWN_FILE_KEY) or (None,))[0] != upload.file_id:
        try:
            state[OWN_FULL_KEY] = parse_upload(upload.getvalue(), upload.name)
            state[OWN_FILE_KEY] = (upload.file_id, upload.name, None)
        except DatasetError as exc:  # the previous data stays
            state[OWN_FILE_KEY] = (upload.file_id, upload.name, str(exc))
    seen = state.get(OWN_FILE_KEY)
    if upload is not None and seen and seen[2]:
        st.error(
            f"**{md(seen[1])}** cannot be used: {md(seen[2].rstrip('.'))}. "
            "The Playground keeps its data."
        )
    full = state.get(OWN_FULL_KEY)
    if full is None:
        if state.get(OWN_PLANE_KEY) is None:
            shown = DATASET_LABELS[state.get(BUILTIN_KEY, Settings().dataset)]
            st.info(
                f"Choose a CSV file (or draw points on the regions chart). Until then the "
                f"Playground shows {shown}."
            )
        return _register_own()
    view = PCA_VIEW
    if full.n_features > 2:
        names = list(range(full.n_features))
        label = full.feature_names.__getitem__
        kinds = ("PCA plane", "Two columns")
        kept("pg_own_kind", kinds[0], allowed=kinds)
        kind = st.radio("Plane", kinds, key="pg_own_kind", horizontal=True)
        if kind == "Two columns":
            kept("pg_own_x", 0, allowed=names)
            x = st.selectbox("Horizontal axis", names, key="pg_own_x", format_func=label)
            rest = [k for k in names if k != x]
            kept("pg_own_y", rest[0], allowed=rest)
            y = st.selectbox("Vertical axis", rest, key="pg_own_y", format_func=label)
            view = (int(x), int(y))
    # A new file or plane replaces the data; points drawn since stay until then.
    token = (state[OWN_FILE_KEY][0], view)
    if state.get(OWN_SEEN_KEY) != token:
        state[OWN_SEEN_KEY] = token
        state[OWN_PLANE_KEY] = (token, *plane_of(full, view))
    return _register_own()


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
