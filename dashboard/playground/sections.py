"""Sections of the Playground page that are more than a line or two of layout.

Pins (issue 14, point 3): the session keeps up to five pinned runs in
``st.session_state[PINS_KEY]``; they survive slider moves and page switches and are
never seen by another session.
"""

from __future__ import annotations

import streamlit as st

from dashboard.playground.cache import playground_run
from dashboard.playground.pins import MAX_PINS, add_pin, pin_from_run, pins_table
from dashboard.settings import Settings

PINS_KEY = "pg_pins"
# The title row's buttons sit in the band of Streamlit's (transparent) header: let clicks
# through the header to them, keeping its own buttons and links clickable.
TITLE_ROW_CSS = """
<style>
[data-testid="stHeader"], [data-testid="stHeader"] * { pointer-events: none !important; }
[data-testid="stHeader"] button, [data-testid="stHeader"] a { pointer-events: auto !important; }
</style>
"""


def pinned() -> list:
    """The session's pinned runs (a list of ``Pin``), oldest first."""
    pins = st.session_state.get(PINS_KEY)
    return pins if isinstance(pins, list) else []


def _pin(settings: Settings):
    # A callback: it runs before the script, so the rerun's stage already has the pin.
    st.session_state[PINS_KEY] = add_pin(pinned(), pin_from_run(playground_run(settings)))


def _clear_pins():
    st.session_state[PINS_KEY] = []


def title_row(settings: Settings):
    """The page title with Pin this run and Clear pins beside it (no extra height: the
    stage must still fit a 1280×720 projector)."""
    title, pin, clear = st.columns([5, 1.4, 1.1], vertical_alignment="center")
    title.title("Playground")
    n = len(pinned())
    pin.button(
        "Pin this run",
        key="pin_run",
        on_click=_pin,
        args=(settings,),
        width="stretch",
        help=f"Keep this run's loss curve on the chart, faint, to compare (up to {MAX_PINS}; "
        "a sixth replaces the oldest).",
    )
    clear.button(
        "Clear pins" if not n else f"Clear {n} pin{'s' if n > 1 else ''}",
        key="clear_pins",
        on_click=_clear_pins,
        disabled=not n,
        width="stretch",
    )


def pins_section(run):
    """The pinned runs' table beside the current run: what differs, and their results."""
    pins = pinned()
    if not pins:
        return
    rows = pins_table(pins, run.settings, now=pin_from_run(run))
    st.dataframe(rows, hide_index=True, key="pins_table")
