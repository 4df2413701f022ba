"""AppTest helpers: open a page, read plotly figures back out of its elements."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np

APP = str(Path(__file__).resolve().parents[1] / "app.py")

_DTYPES = {"f4": np.float32, "f8": np.float64, "i1": np.int8, "u1": np.uint8, "i2": np.int16,
           "u2": np.uint16, "i4": np.int32, "u4": np.uint32, "f2": np.float16}


def decode(value):
    """Plotly 7 typed array ``{"dtype", "bdata", "shape"?}`` → ndarray; lists pass through."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=_DTYPES[value["dtype"]])
        if "shape" in value:
            shape = value["shape"]
            shape = [int(s) for s in shape.split(",")] if isinstance(shape, str) else shape
            arr = arr.reshape(shape)
        return arr
    if isinstance(value, list):
        return np.asarray(value, dtype=object)
    return value


def figure(element):
    """The figure JSON of an AppTest ``st.plotly_chart`` or ``plotly_view`` element."""
    if element.type == "bidi_component":
        return json.loads(element.proto.bytes.decode())["figure"]
    return json.loads(element.proto.spec)


def plotly_views(at):
    """The page's ``dashboard.ui.plotly_view`` elements (charts kept mounted by key)."""
    from dashboard.ui.plotly_view import COMPONENT_NAME

    return [el for el in at.get("bidi_component") if el.proto.component_name == COMPONENT_NAME]


def charts(at):
    """``{element id: figure dict}`` for every plotly chart on the page, of either kind."""
    return {el.proto.id: figure(el) for el in [*at.get("plotly_chart"), *plotly_views(at)]}


def chart(at, key):
    """The figure of the chart whose ``key`` is ``key`` (exactly one must exist)."""
    found = [fig for el_id, fig in charts(at).items() if el_id.endswith(f"-{key}")]
    assert len(found) == 1, f"no chart {key}"
    return found[0]


def open_page(page, query=None):
    """Run the app at ``page`` (e.g. "dashboard/sweep/page.py") with URL ``query``; no exception."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()  # pages are registered by st.navigation: switch_page can find them only after a run
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


# ----------------------------------------------------------------------------- live stage


def stage_element(at, key="stage_sliders"):
    """The live stage's element ``key`` (``stage_sliders``, ``regions_chart``, ``loss_chart``)."""
    from dashboard.ui.live_stage import COMPONENT_NAME

    found = [
        el
        for el in at.get("bidi_component")
        if el.proto.component_name == COMPONENT_NAME and el.proto.id.endswith(f"-{key}")
    ]
    assert len(found) == 1, f"no stage element {key}"
    return found[0]


def stage_state(at, key="stage_sliders"):
    """The JSON the server sent to the stage element ``key``."""
    return json.loads(stage_element(at, key).proto.json)


def stage_plane(at):
    """``(meta, arrays)`` of the plane file the stage points the browser to."""
    from dashboard.playground.plane import decode_plane
    from dashboard.ui.live_stage import plane_file

    return decode_plane(plane_file(stage_state(at)["plane_url"]).read_bytes())


def release(at, cell):
    """What the browser sends when a stage slider is released: the component state
    ``{"cell": cell}``, then a rerun (AppTest has no public call for a component's state)."""
    states = at._tree.get_widget_states()
    widget = states.widgets.add()
    widget.id = stage_element(at).proto.id
    widget.json_value = json.dumps({"cell": cell})
    at._run(states)
    assert not at.exception, at.exception
    return at


def click_regions(at, value, key="regions_chart"):
    """What the browser sends when the regions chart is clicked in draw mode: the trigger
    ``click`` with ``value``, then a rerun (AppTest has no public call for a trigger)."""
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    states = at._tree.get_widget_states()
    widget = states.widgets.add()
    widget.id = _make_trigger_id(stage_element(at, key).proto.id, "events")
    widget.json_trigger_value = json.dumps([{"event": "click", "value": value}])
    at._run(states)
    assert not at.exception, at.exception
    return at
