"""Streamlit caches around the pure engine glue.

``st.cache_resource`` (not ``cache_data``): a cached run is returned as the same object,
not unpickled anew on every rerun, which keeps a rerun that changes no training setting
at a few milliseconds. Runs depend only on settings; a session's own data enters them
as ``Settings.user_data``, the digest of that data (``dashboard.playground.own_data``),
so two sessions share a run only when they hold exactly the same data, and no link
carries the digest. Bounded: a lecture hall moving sliders must not grow the server's
memory without limit.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

import streamlit as st

from dashboard.playground.charts import playground_figures
from dashboard.playground.compute import PlaygroundRun, train_playground
from dashboard.playground.plane import (
    NEAR_CELLS,
    LivePlane,
    build_plane,
    encode_plane,
    plane_file_name,
    plane_key,
)
from dashboard.settings import Settings
from dashboard.ui.live_stage import plane_url, publish_plane, write_plane_file
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


@st.cache_resource(max_entries=MAX_CACHED_PLANES, show_spinner=False)
def _near_plane_for_key(key, cell, _settings) -> tuple[LivePlane, bytes, str]:
    plane = build_plane(_settings, near=NEAR_CELLS)
    blob = encode_plane(plane)
    # named once by its content: a rerun does not hash 1.4 MB again
    return plane, blob, write_plane_file(blob)


# Whole planes, trained off the script thread by one worker (two cores: one plane at a
# time keeps the sessions' reruns fast), kept for every session; bounded. The newest
# request goes first: a person drawing points quickly waits for the plane of their last
# edit, not for the planes of every edit before it.
_planes: OrderedDict = OrderedDict()
_jobs: dict = {}  # key -> a future of the worker; removed once that key's plane is made
_pending: OrderedDict = OrderedDict()  # key -> settings not started yet, newest last
_planes_lock = threading.Lock()
_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plane")


def _train_newest():
    with _planes_lock:
        if not _pending:
            return
        key, settings = _pending.popitem(last=True)
    _train_whole(key, settings)


def _train_whole(key, settings):
    try:
        plane = build_plane(settings)
        blob = encode_plane(plane)
        write_plane_file(blob, name=plane_file_name(key))
        with _planes_lock:
            _planes[key] = (plane, blob)
            while len(_planes) > MAX_CACHED_PLANES:
                _planes.popitem(last=False)
    except Exception:  # the browser keeps the neighbourhood; the log says why
        logging.getLogger(__name__).exception("training the plane %s failed", key)
        raise
    finally:
        with _planes_lock:
            _jobs.pop(key, None)


def live_plane(settings: Settings) -> tuple[LivePlane, str, str | None]:
    """The hyperparameter plane to show now, its URL, and the URL where the whole plane
    will appear (None when it is the whole plane).

    The whole plane is trained once per data, features, optimizer, steps, batch and
    init, in the background, and shared by every session; until it is ready the page
    shows the cells around the current values, trained at once (~20 ms), and the
    browser fetches the whole plane when its file appears."""
    settings = settings.replace(presenter=False)
    key = plane_key(settings)
    with _planes_lock:
        if key in _planes:
            _planes.move_to_end(key)
            plane, blob = _planes[key]
            whole = True
        else:
            whole = False
            if key not in _jobs:
                _pending[key] = settings
                _jobs[key] = _worker.submit(_train_newest)
    if whole:  # published again in case the folder's pruning removed it
        return plane, publish_plane(blob, name=plane_file_name(key)), None
    cell = (settings.learning_rate, settings.reg)
    plane, blob, name = _near_plane_for_key(key, cell, settings)
    # written again only if the folder's pruning removed it
    return plane, publish_plane(blob, name=name), plane_url(plane_file_name(key))


def wait_for_planes(timeout: float = 120.0) -> None:
    """Block until every plane requested so far is ready (tests, benchmarks)."""
    deadline = time.monotonic() + timeout
    while True:
        with _planes_lock:
            jobs = list(_jobs.values())
        if not jobs:
            return
        for job in jobs:  # each trains the newest request, not necessarily its own key
            job.result(timeout=max(deadline - time.monotonic(), 0.001))
        if all(job.done() for job in jobs):
            time.sleep(0.01)  # a key still pending: the worker's next job takes it


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
