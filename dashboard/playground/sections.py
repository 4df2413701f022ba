"""Sections of the Playground page that are more than a line or two of layout.

Pins (issue 14, point 3): the session keeps up to five pinned runs in
``st.session_state[PINS_KEY]``; they survive slider moves and page switches and are
never seen by another session.

Draw points (issue 14, point 2): in draw mode a click on the regions chart adds a point
of the chosen class or removes the point under it; the edited data becomes the
session's own data (``dashboard.ui.controls``), so the run and the live plane follow.
"""

from __future__ import annotations

import streamlit as st

from dashboard.playground.cache import playground_run
from dashboard.playground.compute import training_inputs
from dashboard.playground.drawing import (
    MAX_UNDO,
    add_point,
    class_options,
    inside,
    parse_click,
    remove_near,
)
from dashboard.playground.own_data import anchor_points, make_anchor
from dashboard.playground.pins import MAX_PINS, add_pin, pin_from_run, pins_table
from dashboard.settings import OWN_DATA, Settings
from dashboard.ui.controls import OWN_PLANE_KEY
from dashboard.ui.live_stage import clicked_point
from dashboard.ui.markdown import markdown_escape as md
from dashboard.ui.persist import kept

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
    """The page title with Draw points, Pin this run and Clear pins beside it (no extra
    height: the stage must still fit a 1280×720 projector)."""
    title, draw, pin, clear = st.columns([2.4, 2, 1.4, 1.4], vertical_alignment="center")
    title.title("Playground")
    kept(DRAW_KEY, False)
    draw.toggle(
        "Draw points",
        key=DRAW_KEY,
        help="Click the regions chart to add a point of the chosen class; click a point to "
        "remove it. Each edit retrains.",
    )
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


# ----------------------------------------------------------------------------- draw points

DRAW_KEY = "pg_draw"  # draw mode on or off
CLASS_KEY = "pg_draw_class"  # the class of new points (its name)
UNDO_KEY = "pg_draw_undo"  # [(dataset widget value, own data before the edit), ...]
MESSAGE_KEY = "pg_draw_message"  # (level, text) of the last edit


def _current_data(settings: Settings):
    inputs = training_inputs(settings)
    return inputs.data, inputs.x_range, inputs.y_range


def on_regions_click():
    # A callback (before the script): the rerun trains on the edited data. The click is
    # user input: malformed, off the chart or impossible edits only leave a message.
    state = st.session_state
    click = parse_click(clicked_point())
    settings = state.get("settings")
    if click is None or settings is None or not state.get(DRAW_KEY):
        state[MESSAGE_KEY] = ("warning", "That click could not be read; nothing changed.")
        return
    data, x_range, y_range = _current_data(settings)
    x, y = click["x"], click["y"]
    if not inside(x, y, x_range, y_range):
        state[MESSAGE_KEY] = ("warning", "That click is off the chart; nothing changed.")
        return
    if click["op"] == "add":
        name = state.get(CLASS_KEY)
        name = name if name in class_options(data) else data.class_names[0]
        edited, message = add_point(data, x, y, name)
    else:
        edited, message = remove_near(data, x, y, x_range, y_range)
    state[MESSAGE_KEY] = ("info" if edited is not None else "warning", message)
    if edited is None:
        return
    undo = state.get(UNDO_KEY) or []
    state[UNDO_KEY] = [*undo, (state.get("dataset"), state.get(OWN_PLANE_KEY))][-MAX_UNDO:]
    # The first edit anchors the drawing to the data it starts from (features, axes,
    # split stay; see own_data.register); later edits keep that anchor and note.
    anchor = anchor_points(settings.user_data) if settings.dataset == OWN_DATA else None
    if anchor is None:
        inputs = training_inputs(settings)
        anchor = make_anchor(inputs.data, inputs.val_index)
        note = f"Points drawn on {data.name}: the features, axes and validation points stay "
        note += "those of the data you started from; the points you draw train the model."
    else:
        note = state[OWN_PLANE_KEY][2]
    state[OWN_PLANE_KEY] = (None, edited, note, anchor)
    state["dataset"] = OWN_DATA


def _restore(entry):
    dataset, own = entry
    st.session_state[OWN_PLANE_KEY] = own
    st.session_state["dataset"] = dataset
    st.session_state[MESSAGE_KEY] = None


def _undo():
    undo = st.session_state.get(UNDO_KEY) or []
    if undo:
        st.session_state[UNDO_KEY] = undo[:-1]
        _restore(undo[-1])


def _clear_edits():
    undo = st.session_state.get(UNDO_KEY) or []
    if undo:
        st.session_state[UNDO_KEY] = []
        _restore(undo[0])


def edit_state(settings: Settings) -> dict:
    """Draw mode for the stage's JSON: on or off, and the class of new points."""
    if not st.session_state.get(DRAW_KEY):
        return {"on": False}
    options = class_options(training_inputs(settings).data)
    name = st.session_state.get(CLASS_KEY)
    return {"on": True, "class_name": name if name in options else options[0]}


def draw_toolbar(settings: Settings):
    """In draw mode, one compact row above the charts (they keep their room on a
    projector): the class of new points, Undo, Clear edits."""
    if not st.session_state.get(DRAW_KEY):
        return
    options = class_options(training_inputs(settings).data)
    kept(CLASS_KEY, options[0], allowed=options)
    pick, undo, clear = st.columns([5, 1, 1.3], vertical_alignment="center")
    classes = settings_classes(settings)
    pick.radio(
        "Class of new points",
        options,
        key=CLASS_KEY,
        horizontal=True,
        label_visibility="collapsed",
        format_func=lambda n: f"class {n}" if n in classes else f"new class {n}",
        help="The class a click on the regions chart adds.",
    )
    n = len(st.session_state.get(UNDO_KEY) or [])
    undo.button("Undo", key="draw_undo", on_click=_undo, disabled=not n, width="stretch")
    clear.button(
        "Clear edits", key="draw_clear", on_click=_clear_edits, disabled=not n, width="stretch",
        help="Back to the data before the first edit.",
    )  # fmt: skip


def draw_message():
    """The last edit's message (below the charts: the redraw itself shows the edit)."""
    message = st.session_state.get(MESSAGE_KEY) if st.session_state.get(DRAW_KEY) else None
    if message:
        level, text = message
        (st.warning if level == "warning" else st.caption)(md(text))  # class names: user text


def settings_classes(settings: Settings) -> tuple:
    return tuple(training_inputs(settings).data.class_names)
