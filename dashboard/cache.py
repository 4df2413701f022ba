"""Streamlit caches around the pure engine glue.

``st.cache_resource`` (not ``cache_data``): a cached run is returned as the same object,
not unpickled anew on every rerun, which keeps a rerun that changes no training setting
at a few milliseconds. Runs depend only on settings, never on a user's own data, so
sharing them across sessions leaks nothing. Bounded: a lecture hall moving sliders must
not grow the server's memory without limit.
"""

from __future__ import annotations

import streamlit as st

from dashboard import figures
from dashboard.playground_views import playground_figures
from dashboard.settings import Settings
from dashboard.training import PlaygroundRun, train_playground

MAX_CACHED_RUNS = 48
MAX_CACHED_VIEWS = 64  # five built figures each (~100 kB)


@st.cache_resource(max_entries=MAX_CACHED_RUNS, show_spinner="Training…")
def _run_for_key(training_key, _settings) -> PlaygroundRun:
    return train_playground(_settings)


def playground_run(settings: Settings) -> PlaygroundRun:
    """The trained run for these settings: trained once, then served from the cache."""
    return _run_for_key(settings.training_key(), settings.replace(presenter=False))


@st.cache_resource(max_entries=MAX_CACHED_RUNS, show_spinner=False)
def _animation_for_key(training_key, presenter, _settings):
    run = playground_run(_settings)
    picks, xs, ys, stack = run.animation_frames
    return figures.animated_regions_figure(
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


def animated_regions(settings: Settings):
    """The Play figure (60-150 ms to build), built once per run and view."""
    return _animation_for_key(settings.training_key(), settings.presenter, settings)


@st.cache_resource(max_entries=MAX_CACHED_VIEWS, show_spinner=False)
def _figures_for_key(training_key, k, presenter, _settings):
    return playground_figures(playground_run(_settings), k, presenter)


def step_figures(settings: Settings, k):
    """The Playground's figures at recorded step ``k``, built once per run, step and view.

    Scrubbing back to a step already drawn, or toggling Play off again, then costs no
    figure building: the rerun stays within a few milliseconds on the server.
    """
    return _figures_for_key(settings.training_key(), k, settings.presenter, settings)
