"""Playground: train a softmax classifier and watch regions, loss and gradients live."""

import streamlit as st

from dashboard.playground.cache import animated_regions, playground_run, step_payloads
from dashboard.playground.exports import dataset_csv, history_csv, weights_json, weights_npz
from dashboard.settings import PRESETS
from dashboard.ui.controls import current_settings, share_link, sidebar_controls
from dashboard.ui.layout import presenter_css, show_diagnostics, step_scrubber
from dashboard.ui.markdown import markdown_escape
from dashboard.ui.plotly_view import plotly_view

settings = sidebar_controls()
_, url_notes = current_settings()
presenter = settings.presenter
st.markdown(presenter_css(presenter), unsafe_allow_html=True)  # static CSS, no user text

st.title("Playground")
if url_notes:
    notes = "\n".join(f"- {markdown_escape(n)}" for n in url_notes)  # URL text is user text
    st.warning("The link had values we corrected:\n\n" + notes)
preset = PRESETS.get(st.session_state.get("preset"))
if preset is not None:
    st.info(f"**{preset.title}.** {preset.commentary}")

run = playground_run(settings)
show_diagnostics(run)
if run.plane_note:
    st.caption(run.plane_note)

k = step_scrubber(run)
h = run.history
step = int(h.step[k])
charts = step_payloads(settings, k)

cols = st.columns(5)
cols[0].metric("Step", f"{step} / {int(h.step[-1])}")
cols[1].metric("Loss", f"{h.loss[k]:.4f}", help="mean cross-entropy + reg·‖W‖²")
cols[2].metric("Train accuracy", f"{h.train_accuracy[k]:.1%}")
cols[3].metric(
    "Validation accuracy",
    "—" if len(run.val_index) == 0 else f"{h.val_accuracy[k]:.1%}",
)
cols[4].metric("Training time", f"{run.train_seconds * 1e3:.0f} ms", help="this run, once")


def show(key, data=None):
    plotly_view(data or charts[key], key=key)


left, right = st.columns([1.15, 1])
with left:
    play = st.toggle("Play: animate training", key="play", help="Runs in your browser.")
    show("regions_chart", animated_regions(settings) if play else None)
with right:
    show("loss_chart")

heat = st.columns([1, 1.2, 1])
for column, key in zip(heat, ("dw_chart", "error_chart", "w_chart"), strict=True):
    with column:
        show(key)

with st.expander("Share and export"):
    st.caption("Link to this exact view (copy with the button at its right):")
    st.code(share_link(settings), language=None)
    # (label, data made only on click, file name, MIME type, key)
    downloads = [
        ("Weights (JSON)", lambda: weights_json(run, k), f"weights_step{step}.json",
         "application/json", "dl_json"),
        ("Weights (.npz)", lambda: weights_npz(run, k), f"weights_step{step}.npz",
         "application/octet-stream", "dl_npz"),
        ("History (CSV)", lambda: history_csv(run), "history.csv", "text/csv", "dl_history"),
        ("Dataset (CSV)", lambda: dataset_csv(run), f"{run.data.name}.csv", "text/csv",
         "dl_data"),
    ]  # fmt: skip
    for column, (label, data, file_name, mime, key) in zip(
        st.columns(len(downloads)), downloads, strict=True
    ):
        column.download_button(
            label, data, file_name=file_name, mime=mime, on_click="ignore", key=key
        )
    st.caption("Each chart's camera icon downloads it as PNG.")
