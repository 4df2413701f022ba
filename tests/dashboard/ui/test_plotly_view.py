"""dashboard.ui.plotly_view: charts kept mounted by key, fed the figure JSON as bytes."""

import gc
import json
import re

import plotly
import plotly.graph_objects as go
import pytest

from dashboard import gc_tuning
from dashboard.settings import LEARNING_RATES
from dashboard.ui.plotly_view import CONFIG, PLOTLY_JS_DIR, decode_payload, payload
from tests.chartspec import plotly_views, release
from tests.dashboard.playground.test_page import open_playground


@pytest.fixture(autouse=True)
def _fresh(fresh_cache):
    yield


def test_payload_carries_the_figure_json_and_the_config():
    fig = go.Figure(go.Scatter(x=[1.5, 2.0], y=[3.0, -1.0], name="a \"quoted\" name"))
    fig.update_layout(title="t", meta={"k": [1, 2]})
    data = payload(fig)
    assert isinstance(data, bytes)
    decoded = decode_payload(data)
    assert decoded["config"] == CONFIG
    assert decoded["figure"] == json.loads(fig.to_json())


def test_the_served_plotly_js_is_the_one_plotly_py_writes_json_for():
    """The browser draws with the plotly.js bundled in the installed plotly package."""
    source = (PLOTLY_JS_DIR / "plotly.min.js").read_text(encoding="utf-8", errors="replace")
    version = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", source[:500]).group(1)
    assert version == plotly.offline.get_plotlyjs_version()
    assert "window.Plotly = Plotly" in source[-2000:]  # what the page's loader waits for


def test_playground_charts_keep_their_element_ids_when_the_figures_change():
    """Identity by key alone: a new run updates the three heatmaps instead of replacing
    them (st.plotly_chart would give each changed figure a new id, i.e. a remount)."""
    at = open_playground()
    before = {el.proto.id: decode_payload(el.proto.bytes)["figure"] for el in plotly_views(at)}
    assert len(before) == 3
    release(at, {"lr_index": LEARNING_RATES.index(0.1), "reg_index": 7, "seq": 1})
    after = {el.proto.id: decode_payload(el.proto.bytes)["figure"] for el in plotly_views(at)}
    assert set(after) == set(before)
    assert all(after[i]["data"] != before[i]["data"] for i in before)


def test_the_step_scrubber_sends_cached_bytes_for_a_step_already_shown():
    at = open_playground()
    first = {el.proto.id: el.proto.bytes for el in plotly_views(at)}
    steps = at.select_slider(key="step").options
    at.select_slider(key="step").set_value(steps[0]).run()
    middle = {el.proto.id: el.proto.bytes for el in plotly_views(at)}
    assert middle != first
    at.select_slider(key="step").set_value(steps[-1]).run()
    assert {el.proto.id: el.proto.bytes for el in plotly_views(at)} == first


def test_freezing_the_imported_heap_is_done_once():
    gc_tuning.freeze_imported_heap()
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # the libraries' objects, out of every later full collection
    gc_tuning.freeze_imported_heap()
    assert gc.get_freeze_count() == frozen
