"""The Sweep page's Streamlit cache around its pure glue (``dashboard.sweep.compute``).

``st.cache_resource``: a sweep is returned as the same object on every rerun, so moving
the picker or clicking a cell retrains nothing. Keyed on what the sweep depends on
(:func:`compute.sweep_cache_key`), so changing the Playground's learning rate or reg
reuses it. Sweeps depend only on settings, never on a person's data: sharing them
across sessions leaks nothing. Bounded, as every cache of the app.
"""

from __future__ import annotations

import streamlit as st

from dashboard.settings import Settings
from dashboard.sweep import compute

MAX_CACHED_SWEEPS = 8


@st.cache_resource(max_entries=MAX_CACHED_SWEEPS, show_spinner="Training every cell at once…")
def _sweep(key: tuple, n: int, steps: int, _settings: Settings) -> compute.PlaygroundSweep:
    return compute.playground_sweep(_settings, n, steps)


def cached_sweep(settings: Settings, n: int, steps: int) -> compute.PlaygroundSweep:
    """``compute.playground_sweep(settings, n, steps)``, trained once per data and grid.

    Parameters
    ----------
    settings : Settings
        The Playground's.
    n : int
        Grid size per axis.
    steps : int
        Steps asked for.

    Returns
    -------
    PlaygroundSweep
        Result arrays of shape (n, n); shared by reruns and sessions: read-only.
    """
    return _sweep(compute.sweep_cache_key(settings), int(n), int(steps), settings)
