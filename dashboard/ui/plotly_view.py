"""A plotly chart that stays mounted across reruns and is updated in place.

Why not ``st.plotly_chart``: Streamlit 1.67 derives a plotly chart's element id from the
figure, so every changed figure is unmounted, mounted anew and drawn twice. On the
Playground, where one slider move changes every chart, those remounts were most of the
browser's work (``benchmarks/latency.py``). :func:`plotly_view` keeps one plotly graph
per ``key`` for the life of the page and hands it each new figure with
``Plotly.react``, which updates the SVG it already has: one draw per change, and zoom,
hover and the modebar (with its PNG download) behave as in ``st.plotly_chart``.

The element is an ``st.components.v2`` component (no iframe). The browser loads the
plotly.js that ships with the installed ``plotly`` package, so the figure JSON and the
library that draws it always match; Streamlit's component file route serves it from the
package's own folder (nothing copied, nothing fetched from the internet).

The payload is the figure's JSON as bytes, built once per figure by :func:`payload` and
cached by the caller; the browser skips a payload identical to the one it shows.
"""

from __future__ import annotations

import json
from pathlib import Path

import plotly
import streamlit as st
from streamlit.components import v1 as components_v1

PLOTLY_JS_DIR = Path(plotly.__file__).parent / "package_data"
COMPONENT_NAME = "softmax_plotly_view"
# st.plotly_chart's modebar, minus the plotly logo; the camera button saves a 2x PNG.
CONFIG = {"displaylogo": False, "responsive": True, "toImageButtonOptions": {"scale": 2}}

# Runs in the page. One graph div per element; a draw queue so a fast series of reruns
# never interleaves two Plotly.react calls on one div; failures are shown in the chart's
# place instead of being thrown at Streamlit.
_JS = r"""
const loadPlotly = (src) => {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__softmaxPlotly) {
    window.__softmaxPlotly = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.async = true;
      s.onload = () => (window.Plotly ? resolve(window.Plotly)
                                      : reject(new Error('plotly.js did not load')));
      s.onerror = () => { window.__softmaxPlotly = null;
                          reject(new Error('could not load ' + src)); };
      document.head.appendChild(s);
    });
  }
  return window.__softmaxPlotly;
};

export default function ({ data, parentElement }) {
  const host = parentElement;
  let v = host.__softmaxView;
  if (!v) {
    const div = document.createElement('div');
    div.className = 'softmax-plot';
    const note = document.createElement('p');
    note.className = 'softmax-plot-error';
    note.hidden = true;
    host.append(div, note);
    v = host.__softmaxView = { div, note, text: null, queued: null, drawing: false };
    // Plotly follows window resizes only; a column also resizes when the sidebar toggles.
    v.resize = new ResizeObserver(() => {
      if (window.Plotly && div._fullLayout) window.Plotly.Plots.resize(div);
    });
    v.resize.observe(div);
  }
  const text = new TextDecoder().decode(data);
  if (text !== v.text) {
    v.text = text;
    v.queued = text;
    const pump = () => {
      if (v.queued === null) { v.drawing = false; return; }
      const t = v.queued;
      v.queued = null;
      v.drawing = true;
      loadPlotly(%(src)s)
        .then((Plotly) => {
          const { config, figure } = JSON.parse(t);
          return Plotly.react(v.div, { ...figure, config });
        })
        .then(() => { v.note.hidden = true; })
        .catch((e) => {
          v.note.textContent = 'This chart could not be drawn: ' + ((e && e.message) || e);
          v.note.hidden = false;
        })
        .then(pump);
    };
    if (!v.drawing) pump();
  }
  // Streamlit calls the last cleanup on unmount; a call it superseded while the page
  // still shows the element must not tear the chart down.
  return () => {
    if (host.isConnected) return;
    v.resize.disconnect();
    if (window.Plotly) window.Plotly.purge(v.div);
  };
}
"""

_CSS = """
.softmax-plot { width: 100%; }
.softmax-plot-error { color: #b00020; margin: 0.5rem 0; }
"""


def payload(figure) -> bytes:
    """The bytes :func:`plotly_view` sends for ``figure`` (a ``go.Figure``).

    ``{"config": CONFIG, "figure": <figure JSON>}``, built without decoding the
    figure JSON again; plotly's typed-array encoding keeps arrays compact.
    """
    head = json.dumps({"config": CONFIG})[:-1]  # drop the closing brace
    return f'{head}, "figure": {figure.to_json()}}}'.encode()


def decode_payload(data: bytes) -> dict:
    """``{"config", "figure"}`` back from :func:`payload` bytes (tests, benchmarks)."""
    return json.loads(data.decode())


def _plotly_js_url():
    # Registered on every run: registration needs a running script and is idempotent.
    served = components_v1.declare_component("plotly_js", path=str(PLOTLY_JS_DIR))
    # Relative, so it also resolves under server.baseUrlPath and on every page URL.
    return f"component/{served.name}/plotly.min.js"


_mounters = {}


def _mounter(src):
    if src not in _mounters:
        _mounters[src] = st.components.v2.component(
            COMPONENT_NAME,
            js=_JS % {"src": json.dumps(src)},
            css=_CSS,
            isolate_styles=False,  # plotly's hover labels and modebar use page styles
        )
    return _mounters[src]


def plotly_view(data: bytes, *, key: str):
    """Show the figure in ``data`` (from :func:`payload`) in the chart kept as ``key``.

    The element's identity is ``key`` alone, so a changed figure updates the chart the
    page already shows instead of replacing it.
    """
    _mounter(_plotly_js_url())(key=key, data=data, width="stretch", height="content")
