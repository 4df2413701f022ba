"""Sweep: a learning-rate × regularization grid on the Playground's data, trained at once."""

import math

import numpy as np
import streamlit as st

from dashboard.datasets import charts as fd
from dashboard.datasets import compute as dv
from dashboard.settings import DATASET_LABELS, FEATURE_LABELS, Settings
from dashboard.ui.controls import current_settings, load_settings
from dashboard.ui.layout import presenter_css

MAX_CACHED_SWEEPS = 8
_DEFAULT = Settings()
_KEEP = "_sweep_keep"


@st.cache_resource(max_entries=MAX_CACHED_SWEEPS, show_spinner="Training every cell at once…")
def _sweep(data_key, n, steps, _settings):
    return dv.playground_sweep(_settings, n, steps)


def _data_key(settings):
    """What the sweep depends on: the Playground's data, features, split and init, not its
    learning rate, reg, optimizer, batch size, steps or view."""
    base = dv.sweep_training_settings(settings, 0)
    return base.replace(learning_rate=_DEFAULT.learning_rate, reg=_DEFAULT.reg).training_key()


def _describe(settings):
    feats = FEATURE_LABELS[settings.features]
    if settings.features == "poly":
        feats += f" (degree {settings.degree})"
    elif settings.features == "rbf":
        feats += f" (γ = {settings.rbf_gamma:g})"
    data = DATASET_LABELS[settings.dataset]
    return f"{data}, {feats} features" + ("" if settings.standardize else ", unstandardized")


settings, _ = current_settings()
presenter = settings.presenter
st.markdown(presenter_css(presenter), unsafe_allow_html=True)  # static CSS, no user text

keep = st.session_state.setdefault(
    _KEEP,
    {
        "sweep_size": dv.SWEEP_DEFAULT_SIZE,
        "sweep_steps": min(max(settings.steps, dv.SWEEP_STEP_RANGE[0]), dv.SWEEP_STEP_RANGE[1]),
    },
)
for key, value in keep.items():
    st.session_state.setdefault(key, value)

st.title("Sweep")
st.markdown(
    f"Every cell is one model trained on the Playground's current data — **{_describe(settings)}** "
    "— by full-batch gradient descent from the same initial weights, with its own learning "
    "rate and regularization. All cells train **at once**, as one batched computation."
)
controls = st.columns([1, 1, 2])
n = controls[0].slider(
    "Grid size (per axis)",
    *dv.SWEEP_SIZE_RANGE,
    key="sweep_size",
    help="Values taken evenly from the Playground's learning-rate and regularization lists.",
)
steps = controls[1].slider(
    "Steps",
    *dv.SWEEP_STEP_RANGE,
    step=10,
    key="sweep_steps",
    help="Gradient steps per model.",
)
st.session_state[_KEEP] = {"sweep_size": n, "sweep_steps": steps}

sw = _sweep(_data_key(settings), n, steps, settings)
r = sw.result
has_val = sw.n_val > 0
acc = r.val_accuracy if has_val else r.train_accuracy
acc_name = "validation accuracy" if has_val else "training accuracy"
best = r.best_cell()
if sw.settings.steps < steps:
    st.info(
        f"{n}×{n} models on {sw.n_train} points with {len(sw.feature_names)} features would "
        f"take long at {steps} steps; this sweep runs {sw.settings.steps} steps."
    )

m = st.columns(4)
m[0].metric(
    "Models",
    f"{r.shape[0] * r.shape[1]}",
    help=f"{r.shape[0]} learning rates × {r.shape[1]} regularizations",
)
m[1].metric(
    "Batched training",
    f"{r.seconds * 1e3:.0f} ms",
    help=f"{sw.settings.steps} steps of every model, one computation",
)
m[2].metric("Diverged", f"{int(r.diverged.sum())}", help="loss non-finite, or 1000× its start")
if best is not None:
    bi, bj = best
    m[3].metric(
        f"Best {acc_name}",
        f"{acc[bi, bj]:.1%}",
        help=f"learning rate {r.learning_rates[bi]:g}, reg {r.regs[bj]:g}",
    )

# --- the picker state: the grid's values; a click on a chart cell moves it there
lr_options = [float(v) for v in r.learning_rates]
reg_options = [float(v) for v in r.regs]
default = best if best is not None else (0, 0)
if st.session_state.get("sweep_lr") not in lr_options:
    st.session_state["sweep_lr"] = lr_options[default[0]]
if st.session_state.get("sweep_reg") not in reg_options:
    st.session_state["sweep_reg"] = reg_options[default[1]]
for chart_key in ("sweep_acc_chart", "sweep_loss_chart"):
    event = st.session_state.get(chart_key)
    points = (event or {}).get("selection", {}).get("points", [])
    # a point's x, y are the cell's column and row: (learning rate index, reg index)
    cells = [(p["x"], p["y"]) for p in points if isinstance(p.get("x"), int | float)]
    if cells and st.session_state.get("_sweep_clicked") != (chart_key, cells[-1]):
        ci, cj = (round(v) for v in cells[-1])
        if 0 <= ci < len(lr_options) and 0 <= cj < len(reg_options):
            st.session_state["sweep_lr"] = lr_options[ci]
            st.session_state["sweep_reg"] = reg_options[cj]
        st.session_state["_sweep_clicked"] = (chart_key, cells[-1])
sel = (
    lr_options.index(st.session_state["sweep_lr"]),
    reg_options.index(st.session_state["sweep_reg"]),
)

# Colours over the range the cells reach (in 5 % steps), so 85 % and 93 % look different.
ok_acc = acc[~r.diverged & np.isfinite(acc)]
acc_lo = math.floor(20 * ok_acc.min()) / 20 if ok_acc.size else 0.0
acc_hi = max(math.ceil(20 * ok_acc.max()) / 20, acc_lo + 0.05) if ok_acc.size else 1.0


def sweep_chart(values, *, kind, title, subtitle, zrange, key):
    """One clickable heatmap over the grid; a click on a cell selects it (rerun)."""
    fig = fd.sweep_heatmap_figure(
        values,
        r.learning_rates,
        r.regs,
        r.diverged,
        kind=kind,
        title=title,
        subtitle=subtitle,
        zrange=zrange,
        selected=sel,
        best=best,
        final_step=r.final_step,
        presenter=presenter,
    )
    st.plotly_chart(
        fig, key=key, width="stretch", theme=None, on_select="rerun", selection_mode="points"
    )


# Side by side; one under the other in presenter mode, where the cells need the width.
left, right = (st.container(), st.container()) if presenter else st.columns(2)
with left:
    sweep_chart(
        acc,
        kind="accuracy",
        title=f"Final {acc_name}",
        subtitle=f"bright = better · colours span {acc_lo:.0%}–{acc_hi:.0%} · grey × = diverged",
        zrange=(acc_lo, acc_hi),
        key="sweep_acc_chart",
    )
with right:
    finite = r.train_loss[~r.diverged]
    lo = float(finite.min()) if finite.size else 0.0
    hi = max(float(r.initial_loss), lo + 1e-6)
    sweep_chart(
        r.train_loss,
        kind="loss",
        title="Final training loss",
        subtitle=f"bright = lower · colours stop at the starting loss {hi:.3g}",
        zrange=(lo, hi),
        key="sweep_loss_chart",
    )

st.subheader("Try a cell in the Playground")
pick = st.columns([1, 1, 1.2])
pick[0].selectbox("Learning rate", lr_options, key="sweep_lr", format_func=lambda v: f"{v:g}")
pick[1].selectbox("Regularization", reg_options, key="sweep_reg", format_func=lambda v: f"{v:g}")
i, j = sel
cell = (
    f"{acc_name} {acc[i, j]:.1%}, final loss {r.train_loss[i, j]:.4g}"
    if not r.diverged[i, j]
    else f"diverged after step {int(r.final_step[i, j])}"
)
pick[2].markdown(f"**This cell:** {cell}.")
if pick[2].button("Load into Playground", key="sweep_load", type="primary"):
    load_settings(sw.cell_settings(i, j, settings))
    st.switch_page("dashboard/playground/page.py")
st.caption(
    f"Loading sets the Playground to learning rate and regularization of the cell, "
    f"Optimizer = Gradient descent, Batch size = Full and Steps = {sw.settings.steps}, so "
    "it trains exactly this cell's model. Click a cell in either chart to pick it."
)
