"""The live stage: the Learning rate and Regularization sliders, the decision regions and
the loss curve, drawn in the browser from the whole hyperparameter plane.

Why in the browser: Streamlit's slider reports only on release, and a server round trip
plus a chart redraw costs more than a drag can wait. The engine trains every (learning
rate, regularization) cell at once (``dashboard.playground.plane``); the browser fetches
that plane once per training setting, as one binary file of typed arrays, and while a
slider moves it draws the cell under the pointer itself: softmax(Φ W + b) on the grid the
engine mapped, blended into pixels, boundaries, points. Nothing goes to the server until
the slider is released (or a key changes it); then the server follows (URL, metrics,
step scrubber, heatmaps, exports, other pages).

Three Streamlit elements, one ``st.components.v2`` component: ``stage_sliders``,
``regions_chart`` and ``loss_chart``. Their scripts meet in one page-wide store
(``store.js``), so the sliders can redraw the two charts without Streamlit. One file per
view that only draws: ``regions.js``, ``loss.js``, ``sliders.js``.

The plane file is served by Streamlit's component file route from a folder this module
owns (content-addressed names, ``Cache-Control: public``): the browser fetches a plane
once and every session shares the server's copy.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st
from streamlit.components import v1 as components_v1

COMPONENT_NAME = "softmax_live_stage"
PLANE_ROUTE = "softmax_planes"
MAX_PLANE_FILES = 64  # files kept on disk (a few hundred kB to 1.5 MB each)
_HERE = Path(__file__).parent
_JS_FILES = ("store.js", "regions.js", "loss.js", "sliders.js", "main.js")
PLANE_DIR = Path(tempfile.mkdtemp(prefix="softmax_planes_"))
_files_lock = threading.Lock()


def stage_script() -> str:
    """The component's JavaScript: the views' files in order, one ES module."""
    return "\n".join((_HERE / name).read_text(encoding="utf-8") for name in _JS_FILES)


def publish_plane(blob: bytes, *, name: str | None = None) -> str:
    """Store ``blob`` where the browser can fetch it (:func:`write_plane_file`); return
    its URL (relative, so it resolves under any base path)."""
    return plane_url(write_plane_file(blob, name=name))


def write_plane_file(blob: bytes, *, name: str | None = None) -> str:
    """Write ``blob`` into the served folder once, named by its content unless ``name``
    is given, atomically (a reader never sees half a file); remove the oldest files
    beyond ``MAX_PLANE_FILES``. Needs no script run: usable from a worker thread.
    Returns the file's name."""
    name = name or hashlib.sha256(blob).hexdigest()[:32] + ".bin"
    path = PLANE_DIR / name
    with _files_lock:
        if not path.exists():
            partial = path.with_suffix(".part")
            partial.write_bytes(blob)
            os.replace(partial, path)
            files = sorted(PLANE_DIR.glob("*.bin"), key=lambda p: p.stat().st_mtime)
            for old in files[:-MAX_PLANE_FILES]:
                old.unlink(missing_ok=True)
        else:
            path.touch()
    return name


def plane_url(name: str) -> str:
    """The URL of the plane file ``name`` (whether or not it exists yet)."""
    return f"component/{_plane_route()}/{name}"


def plane_file(url: str) -> Path:
    """The file behind a URL from :func:`publish_plane` (tests, benchmarks)."""
    return PLANE_DIR / url.rsplit("/", 1)[-1]


def _plane_route() -> str:
    # Registered on every run: registration needs a running script and is idempotent.
    return components_v1.declare_component(PLANE_ROUTE, path=str(PLANE_DIR)).name


def f32_base64(a: np.ndarray) -> str:
    """A small float32 array for the stage's JSON (a scrubbed step, Play's frames)."""
    return base64.b64encode(np.ascontiguousarray(a, "<f4").tobytes()).decode("ascii")


_mounted: dict[str, Any] = {}


def _mounter():
    if "stage" not in _mounted:
        _mounted["stage"] = st.components.v2.component(
            COMPONENT_NAME,
            js=stage_script(),
            css=(_HERE / "stage.css").read_text(encoding="utf-8"),
            isolate_styles=False,  # the views find each other in the page
        )
    return _mounted["stage"]


def stage_sliders(state: dict, *, on_release: Callable[[], None], key: str = "stage_sliders"):
    """The two sliders. ``on_release`` runs (before the rerun's script) when the browser
    sends a released cell; read it with :func:`released_cell`."""
    _plane_route()
    return _mounter()(
        key=key,
        data={**state, "view": "sliders"},
        default={"cell": None},
        on_cell_change=on_release,
        width="stretch",
        height="content",
    )


def regions_view(
    state: dict, *, key: str = "regions_chart", on_click: Callable[[], None] | None = None
):
    """The decision regions of the cell under the sliders, drawn in the browser.

    With ``state["edit"]`` on, a click on the chart is sent as the trigger ``click``
    (``{"op": "add" | "remove", "x", "y"}`` in data coordinates); ``on_click`` runs before
    the rerun's script: read it with :func:`clicked_point`."""
    _plane_route()
    callbacks = {} if on_click is None else {"on_click_change": on_click}
    _mounter()(
        key=key, data={**state, "view": "regions"}, width="stretch", height="content", **callbacks
    )


def clicked_point(key: str = "regions_chart"):
    """The click the regions chart sent (raw: it is user input; check it), or None."""
    state = st.session_state.get(key)
    if state is None:
        return None
    return state.get("click") if hasattr(state, "get") else getattr(state, "click", None)


def loss_view(state: dict, *, key: str = "loss_chart"):
    """The loss curve of the cell under the sliders, drawn in the browser."""
    _plane_route()
    _mounter()(key=key, data={**state, "view": "loss"}, width="stretch", height="content")


def released_cell(key: str = "stage_sliders") -> dict | None:
    """The cell the browser sent on release, ``{"lr_index", "reg_index", "seq"}`` as
    ints, or None when absent or malformed (it is user input)."""
    state = st.session_state.get(key)
    cell = None
    if state is not None:
        cell = state.get("cell") if hasattr(state, "get") else getattr(state, "cell", None)
    if not isinstance(cell, dict):
        return None
    out = {}
    for name in ("lr_index", "reg_index", "seq"):
        value = cell.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if not np.isfinite(value) or value != int(value) or not 0 <= value < 2**31:
            return None
        out[name] = int(value)
    return out
