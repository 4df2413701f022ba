"""Small Streamlit pieces the pages share: the step scrubber, diagnostics, presenter CSS."""

from __future__ import annotations

import streamlit as st

# Streamlit's default top padding (6rem) wastes a projector's first screenful.
LAYOUT_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
</style>
"""

_PRESENTER_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 20px; }
/* a fifth of a 1024-px projector holds "300 / 300" at this size */
[data-testid="stMetricValue"] { font-size: clamp(1.4rem, 2.8vw, 2.4rem); }
[data-testid="stMetricLabel"] p { font-size: 1.15rem; }
h1 { font-size: 2.6rem !important; }
</style>
"""


# A page whose first screen is a stage (the Playground) keeps its title to one short line,
# in the band of Streamlit's header (transparent: it holds only two icons at its ends).
_STAGE_CSS = """
<style>
[data-testid="stHeader"] { background: transparent; }
[data-testid="stMainBlockContainer"] { padding-top: 0.9rem; }
h1 { font-size: 1.6rem !important; padding: 0 0 0.2rem !important; }
</style>
"""


def presenter_css(presenter, *, stage=False):
    """Static page CSS; with ``presenter``, bigger text for a projector; with ``stage``,
    a compact title so the stage fills the first screen."""
    return LAYOUT_CSS + (_PRESENTER_CSS if presenter else "") + (_STAGE_CSS if stage else "")


def show_diagnostics(run):
    for d in run.diagnostics:
        {"error": st.error, "warning": st.warning}.get(d.level, st.info)(d.message)


def step_scrubber(run):
    """A slider over the recorded steps; returns the selected record index.

    A new run (any training setting changed) jumps to its final step; moving the
    scrubber only redraws, it never retrains.
    """
    steps = [int(s) for s in run.history.step]
    run_key = run.settings.training_key()
    if (
        st.session_state.get("_scrubber_run") != run_key
        or st.session_state.get("step") not in steps
    ):
        st.session_state["step"] = steps[-1]
        st.session_state["_scrubber_run"] = run_key
    if len(steps) < 2:
        return 0
    value = st.select_slider(
        "Step",
        steps,
        key="step",
        help="Any recorded step: regions, heatmaps and the marker on the loss curve follow.",
    )
    return steps.index(value)


def metric_grid(metrics, per_row):
    """``st.metric`` for each ``(label, value)``, ``per_row`` to a row: a long label or
    value is cut once a row is narrower than it, so pages choose fewer for a projector."""
    for start in range(0, len(metrics), per_row):
        row = metrics[start : start + per_row]
        for column, (label, value) in zip(st.columns(per_row)[: len(row)], row, strict=True):
            column.metric(label, value)
