"""Streamlit caches around the pure engine glue.

``st.cache_resource`` (not ``cache_data``): a cached run is returned as the same object,
not unpickled anew on every rerun, which keeps a rerun that changes no training setting
at a few milliseconds. Runs depend only on settings, never on a user's own data, so
sharing them across sessions leaks nothing. Bounded: a lecture hall moving sliders must
not grow the server's memory without limit.
"""

from __future__ import annotations

import streamlit as st

from dashboard.playground.charts import playground_figures
from dashboard.playground.compute import PlaygroundRun, train_playground
from dashboard.playground.plane import LivePlane, build_plane, encode_plane, plane_key
from dashboard.settings import Settings
from dashboard.ui.live_stage import publish_plane
from dashboard.ui.plotly_view import payload

MAX_CACHED_RUNS = 48
MAX_CACHED_VIEWS = 64  # three heatmaps' JSON each
MAX_CACHED_PLANES = 16  # ~3 MB each (arrays and their file bytes)


@st.cache_resource(max_entries=MAX_CACHED_RUNS, show_spinner="Training…")
def _run_for_key(training_key, _settings) -> PlaygroundRun:
    return train_playground(_settings)


def playground_run(settings: Settings) -> PlaygroundRun:
    """The trained run for these settings: trained once, then served from the cache."""
    return _run_for_key(settings.training_key(), settings.replace(presenter=False))


@st.cache_resource(
    max_entries=MAX_CACHED_PLANES, show_spinner="Training every learning rate × regularization…"
)
def _plane_for_key(key, _settings) -> tuple[LivePlane, bytes]:
    plane = build_plane(_settings)
    return plane, encode_plane(plane)


def live_plane(settings: Settings) -> tuple[LivePlane, str]:
    """The hyperparameter plane for these settings and the URL the browser fetches it
    from: trained once per data, features, optimizer, steps, batch and init, shared by
    every session."""
    plane, blob = _plane_for_key(plane_key(settings), settings.replace(presenter=False))
    return plane, publish_plane(blob)


@st.cache_resource(max_entries=MAX_CACHED_VIEWS, show_spinner=False)
def _payloads_for_key(training_key, k, presenter, _settings):
    figs = playground_figures(playground_run(_settings), k, presenter)
    return {key: payload(fig) for key, fig in figs.items()}


def step_payloads(settings: Settings, k):
    """The Playground's heatmaps at recorded step ``k`` as ``plotly_view`` payload
    bytes, built and encoded once per run, step and view.

    Scrubbing back to a step already drawn then costs no figure building: the rerun
    stays within a few milliseconds on the server. Only the bytes are kept, not the
    figure objects: smaller, and nothing for the garbage collector to scan.
    """
    return _payloads_for_key(settings.training_key(), k, settings.presenter, settings)
