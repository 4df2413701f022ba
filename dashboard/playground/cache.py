"""Streamlit caches around the pure engine glue.

``st.cache_resource`` (not ``cache_data``): a cached run is returned as the same object,
not unpickled anew on every rerun, which keeps a rerun that changes no training setting
at a few milliseconds. Runs depend only on settings, never on a user's own data, so
sharing them across sessions leaks nothing. Bounded: a lecture hall moving sliders must
not grow the server's memory without limit.
"""

from __future__ import annotations

import streamlit as st

from dashboard.playground.charts import animated_regions_figure, playground_figures
from dashboard.playground.compute import PlaygroundRun, train_playground
from dashboard.settings import Settings
from dashboard.ui.plotly_view import payload

MAX_CACHED_RUNS = 48
MAX_CACHED_VIEWS = 64  # five figures' JSON each (~70 kB)


@st.cache_resource(max_entries=MAX_CACHED_RUNS, show_spinner="Training…")
def _run_for_key(training_key, _settings) -> PlaygroundRun:
    return train_playground(_settings)


def playground_run(settings: Settings) -> PlaygroundRun:
    """The trained run for these settings: trained once, then served from the cache."""
    return _run_for_key(settings.training_key(), settings.replace(presenter=False))


@st.cache_resource(max_entries=MAX_CACHED_RUNS, show_spinner=False)
def _animation_for_key(training_key, presenter, _settings) -> bytes:
    run = playground_run(_settings)
    picks, xs, ys, stack = run.animation_frames
    fig = animated_regions_figure(
        xs,
        ys,
        stack,
        run.history.step[picks],
        run.X_train,
        run.y_train,
        class_names=run.data.class_names,
        x_range=run.x_range,
        y_range=run.y_range,
        feature_labels=run.data.feature_names,
        X_val=run.X_val,
        y_val=run.y_val,
        presenter=presenter,
    )
    return payload(fig)


def animated_regions(settings: Settings) -> bytes:
    """The Play figure (60-150 ms to build) as ``plotly_view`` payload bytes, built once
    per run and view."""
    return _animation_for_key(settings.training_key(), settings.presenter, settings)


@st.cache_resource(max_entries=MAX_CACHED_VIEWS, show_spinner=False)
def _payloads_for_key(training_key, k, presenter, _settings):
    figs = playground_figures(playground_run(_settings), k, presenter)
    return {key: payload(fig) for key, fig in figs.items()}


def step_payloads(settings: Settings, k):
    """The Playground's five figures at recorded step ``k`` as ``plotly_view`` payload
    bytes, built and encoded once per run, step and view.

    Scrubbing back to a step already drawn, or toggling Play off again, then costs no
    figure building: the rerun stays within a few milliseconds on the server. Only the
    bytes are kept, not the figure objects: smaller, and nothing for the garbage
    collector to scan.
    """
    return _payloads_for_key(settings.training_key(), k, settings.presenter, settings)
