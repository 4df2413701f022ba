"""Playground: drag Learning rate or Regularization and watch the model follow.

The stage at the top (sliders, decision regions, loss curve) is drawn in the browser from
the whole hyperparameter plane; the rest of the page follows when a slider is released.
"""

import streamlit as st

from dashboard.playground.cache import live_plane, playground_run, step_payloads
from dashboard.playground.exports import (
    dataset_csv,
    dataset_file_name,
    history_csv,
    weights_json,
    weights_npz,
)
from dashboard.playground.pins import pins_for_stage
from dashboard.playground.plane import stage_state
from dashboard.playground.sections import (
    TITLE_ROW_CSS,
    draw_message,
    draw_toolbar,
    edit_state,
    on_regions_click,
    pinned,
    pins_section,
    title_row,
)
from dashboard.settings import LEARNING_RATES, OWN_DATA, PRESETS, REGULARIZATIONS
from dashboard.ui.controls import current_settings, share_link, sidebar_controls
from dashboard.ui.layout import presenter_css, show_diagnostics, step_scrubber
from dashboard.ui.live_stage import loss_view, regions_view, released_cell, stage_sliders
from dashboard.ui.markdown import markdown_escape
from dashboard.ui.plotly_view import plotly_view


def follow_release():
    """A released slider: the server takes the browser's cell (checked: it is user input)."""
    cell = released_cell()
    if cell is None or cell["lr_index"] >= len(LEARNING_RATES):
        return
    if cell["reg_index"] >= len(REGULARIZATIONS):
        return
    st.session_state["learning_rate"] = LEARNING_RATES[cell["lr_index"]]
    st.session_state["reg"] = REGULARIZATIONS[cell["reg_index"]]
    st.session_state["stage_seq"] = cell["seq"]


settings = sidebar_controls()
_, url_notes = current_settings()
presenter = settings.presenter
st.markdown(presenter_css(presenter, stage=True) + TITLE_ROW_CSS, unsafe_allow_html=True)  # static

stage = st.container()
below = st.container()
with below:
    if url_notes:
        notes = "\n".join(f"- {markdown_escape(n)}" for n in url_notes)  # URL text is user text
        st.warning("The link had values we corrected:\n\n" + notes)
    preset = PRESETS.get(st.session_state.get("preset"))
    if preset is not None:
        st.info(f"**{preset.title}.** {preset.commentary}")
    run = playground_run(settings)
    show_diagnostics(run)
    if run.plane_note:
        st.caption(markdown_escape(run.plane_note))  # may hold a file name: user text
    scrub, play_col = st.columns([4, 1])
    with scrub:
        k = step_scrubber(run)
    with play_col:
        play = st.toggle("Play", key="play", help="Animates the training in your browser.")
    h = run.history
    step, last = int(h.step[k]), k == run.n_records - 1
    cols = st.columns(5)
    cols[0].metric("Step", f"{step} / {int(h.step[-1])}")
    cols[1].metric("Loss", f"{h.loss[k]:.4f}", help="mean cross-entropy + reg·‖W‖²")
    cols[2].metric("Train accuracy", f"{h.train_accuracy[k]:.1%}")
    cols[3].metric(
        "Val. accuracy", "—" if len(run.val_index) == 0 else f"{h.val_accuracy[k]:.1%}"
    )  # short labels: five read whole in a row on a 1024-px projector
    cols[4].metric("Time", f"{run.train_seconds * 1e3:.0f} ms", help="training this run, once")
    heatmaps = step_payloads(settings, k)
    for column, key in zip(st.columns([1, 1.2, 1]), heatmaps, strict=True):
        with column:
            plotly_view(heatmaps[key], key=key)

plane, plane_url, next_url = live_plane(settings)
W, b, _ = run.weights_at(k)
state = stage_state(
    plane,
    plane_url,
    settings,
    echo=st.session_state.get("stage_seq", 0),
    step=step,
    next_url=next_url,
    override=None if last else (W, b),
    play=run.play_frames if play else None,
    pins=pins_for_stage(pinned(), settings),
    edit=edit_state(settings),
)
with stage:
    title_row(settings)
    stage_sliders(state, on_release=follow_release)
    draw_toolbar(settings)
    left, right = st.columns([1, 1.1], gap="medium")
    with left:
        regions_view(state, on_click=on_regions_click)
    with right:
        loss_view(state)
    if state["note"]:  # while the whole plane trains, the stage says so itself
        st.caption(state["note"])
    draw_message()
    pins_section(run)

with below, st.expander("Share and export"):
    st.caption("Link to this exact view (copy with the button at its right):")
    st.code(share_link(settings), language=None)
    if settings.dataset == OWN_DATA:
        st.caption("Your data is not in the link: it opens the default data, with a note.")
    # (label, data made only on click, file name, MIME type, key)
    downloads = [
        ("Weights (JSON)", lambda: weights_json(run, k), f"weights_step{step}.json",
         "application/json", "dl_json"),
        ("Weights (.npz)", lambda: weights_npz(run, k), f"weights_step{step}.npz",
         "application/octet-stream", "dl_npz"),
        ("History (CSV)", lambda: history_csv(run), "history.csv", "text/csv", "dl_history"),
        ("Dataset (CSV)", lambda: dataset_csv(run), dataset_file_name(run), "text/csv",
         "dl_data"),
    ]  # fmt: skip
    for column, (label, data, file_name, mime, key) in zip(
        st.columns(len(downloads)), downloads, strict=True
    ):
        column.download_button(
            label, data, file_name=file_name, mime=mime, on_click="ignore", key=key
        )
    st.caption("Each chart's PNG button (or plotly's camera icon) downloads it as an image.")
