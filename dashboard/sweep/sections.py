"""The Sweep page's sections: layout only.

The numbers come from ``dashboard.sweep.compute`` (a :class:`PlaygroundSweep`), the
heatmaps from ``dashboard.sweep.charts``. Widget values are kept across pages by
``dashboard.ui.persist.kept``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from dashboard.settings import Settings
from dashboard.sweep.charts import sweep_heatmap_figure
from dashboard.sweep.compute import (
    SWEEP_DEFAULT_SIZE,
    SWEEP_SIZE_RANGE,
    SWEEP_STEP_RANGE,
    PlaygroundSweep,
    accuracy_color_range,
    clicked_cell,
    default_steps,
    loss_color_range,
)
from dashboard.ui.controls import load_settings
from dashboard.ui.persist import kept

CHART_KEYS = ("sweep_acc_chart", "sweep_loss_chart")
_LAST_CLICK = "_sweep_clicked"  # the click applied last: a rerun does not apply it again


def _log_value(v: float) -> str:
    return f"{v:g}"


def grid_controls(settings: Settings) -> tuple[int, int]:
    """The grid size and step sliders.

    Returns
    -------
    n : int
        Values per axis.
    steps : int
        Steps per model asked for (the Playground's by default).
    """
    cols = st.columns([1, 1, 2])
    lo, hi = SWEEP_SIZE_RANGE
    kept("sweep_size", SWEEP_DEFAULT_SIZE, allowed=range(lo, hi + 1))
    n = cols[0].slider(
        "Grid size (per axis)",
        lo,
        hi,
        key="sweep_size",
        help="Values taken evenly from the Playground's learning-rate and regularization lists.",
    )
    lo, hi = SWEEP_STEP_RANGE
    kept("sweep_steps", default_steps(settings), allowed=lambda v: lo <= v <= hi)
    steps = cols[1].slider(
        "Steps", lo, hi, step=10, key="sweep_steps", help="Gradient steps per model."
    )
    return int(n), int(steps)


def headline_metrics(sw: PlaygroundSweep, accuracy: np.ndarray, accuracy_name: str) -> None:
    """Models, batched training time, diverged cells and the best cell's accuracy."""
    r = sw.result
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
    best = r.best_cell()
    if best is not None:
        bi, bj = best
        m[3].metric(
            f"Best {accuracy_name}",
            f"{accuracy[bi, bj]:.1%}",
            help=f"learning rate {r.learning_rates[bi]:g}, reg {r.regs[bj]:g}",
        )


def picked_cell(sw: PlaygroundSweep) -> tuple[int, int]:
    """The cell the picker holds: a cell clicked in either chart, else the kept pick, else
    the best cell. Call before the charts (they outline it) and :func:`cell_picker`.

    Returns
    -------
    (i, j) : (int, int)
        Indices into ``sw.result.learning_rates`` and ``sw.result.regs``.
    """
    r, state = sw.result, st.session_state
    lr_options, reg_options = [float(v) for v in r.learning_rates], [float(v) for v in r.regs]
    for key in CHART_KEYS:
        cell = clicked_cell(state.get(key), r.shape)
        if cell is not None and state.get(_LAST_CLICK) != (key, cell):
            state[_LAST_CLICK] = (key, cell)
            state["sweep_lr"], state["sweep_reg"] = lr_options[cell[0]], reg_options[cell[1]]
    best = r.best_cell() or (0, 0)
    lr = kept("sweep_lr", lr_options[best[0]], allowed=lr_options)
    reg = kept("sweep_reg", reg_options[best[1]], allowed=reg_options)
    return lr_options.index(lr), reg_options.index(reg)


def heatmaps(
    sw: PlaygroundSweep,
    accuracy: np.ndarray,
    accuracy_name: str,
    selected: tuple[int, int],
    presenter: bool,
) -> None:
    """The accuracy and loss heatmaps, clickable; side by side, stacked in presenter mode
    (where the cells need the width)."""
    r = sw.result
    acc_lo, acc_hi = accuracy_color_range(accuracy, r.diverged)
    loss_lo, loss_hi = loss_color_range(r.train_loss, r.diverged, r.initial_loss)
    charts = (
        (
            accuracy,
            "accuracy",
            accuracy_name,
            f"bright = better · colours span {acc_lo:.0%}–{acc_hi:.0%} · grey × = diverged",
            (acc_lo, acc_hi),
        ),
        (
            r.train_loss,
            "loss",
            "training loss",
            f"bright = lower · colours stop at the starting loss {loss_hi:.3g}",
            (loss_lo, loss_hi),
        ),
    )
    columns = (st.container(), st.container()) if presenter else st.columns(2)
    for column, key, (values, kind, name, subtitle, zrange) in zip(
        columns, CHART_KEYS, charts, strict=True
    ):
        fig = sweep_heatmap_figure(
            values,
            r.learning_rates,
            r.regs,
            r.diverged,
            kind=kind,
            title=f"Final {name}",
            subtitle=subtitle,
            value_name=f"final {name}",
            zrange=zrange,
            selected=selected,
            best=r.best_cell(),
            final_step=r.final_step,
            presenter=presenter,
        )
        column.plotly_chart(
            fig, key=key, width="stretch", theme=None, on_select="rerun", selection_mode="points"
        )


def cell_picker(
    sw: PlaygroundSweep,
    accuracy: np.ndarray,
    accuracy_name: str,
    selected: tuple[int, int],
    settings: Settings,
) -> None:
    """The learning rate and reg pickers, what the picked cell reached, and the button
    that loads it into the Playground (and switches there)."""
    r = sw.result
    st.subheader("Try a cell in the Playground")
    pick = st.columns([1, 1, 1.2])
    lr_options, reg_options = [float(v) for v in r.learning_rates], [float(v) for v in r.regs]
    pick[0].selectbox("Learning rate", lr_options, key="sweep_lr", format_func=_log_value)
    pick[1].selectbox("Regularization", reg_options, key="sweep_reg", format_func=_log_value)
    i, j = selected
    cell = (
        f"{accuracy_name} {accuracy[i, j]:.1%}, final loss {r.train_loss[i, j]:.4g}"
        if not r.diverged[i, j]
        else f"diverged after step {int(r.final_step[i, j])}"
    )
    pick[2].markdown(f"**This cell:** {cell}.")
    if pick[2].button("Load into Playground", key="sweep_load", type="primary"):
        load_settings(sw.cell_settings(i, j, settings))
        st.switch_page("dashboard/playground/page.py")
    st.caption(
        f"Loading sets the Playground to learning rate and regularization of the cell, "
        f"Optimizer = Gradient descent, Batch size = Full and Steps = {sw.settings.steps}, "
        "so it trains exactly this cell's model. Click a cell in either chart to pick it."
    )
