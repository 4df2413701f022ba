"""Keep the server's full garbage collections short.

A full collection scans every tracked object. With numpy, scipy, scikit-learn, plotly
and Streamlit imported that is ~170 000 objects, 80-100 ms on this machine, holding the
GIL: a rerun's last messages wait behind it. Streamlit runs one after every rerun
(``runner.postScriptGC``, on by default; left on, it keeps memory in check) and Python
runs its own by thresholds. :func:`freeze_imported_heap` moves what the imports created
out of the collector's sight once per process (``gc.freeze``), so the collections scan
only what the sessions create: ~3 ms instead of 80-100 ms. The first run after a server
start pays for it once (~1 s: the page modules are imported up front).
"""

from __future__ import annotations

import gc
import importlib

# Everything the pages import, so their module objects are frozen too.
_MODULES = (
    "numpy",
    "scipy.optimize",
    "sklearn.linear_model",
    "plotly.graph_objects",
    "dashboard.playground.cache",
    "dashboard.ui.controls",
    "dashboard.charts.regions",
    "dashboard.charts.loss",
    "dashboard.charts.heatmaps",
    "dashboard.playground.plane",
    "dashboard.ui.live_stage",
    "dashboard.datasets.charts",
    "dashboard.datasets.compute",
    "dashboard.derivation.charts",
    "dashboard.derivation.compute",
    "dashboard.sweep.charts",
    "dashboard.sweep.compute",
    "softmax_engine",
)
_frozen = False


def freeze_imported_heap():
    """Import the app's libraries and freeze the heap, once per process; idempotent."""
    global _frozen
    if _frozen:
        return
    for name in _MODULES:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()
    _frozen = True
