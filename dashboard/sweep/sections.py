"""The Sweep page's sections: layout only.

The numbers come from ``dashboard.sweep.compute`` (a :class:`PlaygroundSweep`), the
charts from ``dashboard.sweep.charts``. Widget values are kept across pages by
``dashboard.ui.persist.kept``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from dashboard.settings import OPTIMIZER_LABELS, Settings
from dashboard.sweep.charts import regularization_path_figure, sweep_heatmap_figure
from dashboard.sweep.compute import (
    SWEEP_BATCH_SIZES,
    SWEEP_DEFAULT_SIZE,
    SWEEP_OPTIMIZERS,
    SWEEP_SIZE_RANGE,
    SWEEP_STEP_RANGE,
    PlaygroundSweep,
    accuracy_color_range,
    batch_label,
    clicked_cell,
    default_steps,
    is_path,
    loss_color_range,
)
from dashboard.ui.controls import load_settings
from dashboard.ui.persist import forget, kept

CHART_KEYS = ("sweep_acc_chart", "sweep_loss_chart")
_LAST_CLICK = "_sweep_clicked"  # the click applied last: a rerun does not apply it again
# Set once the person picks an optimizer or batch size here; until then both follow the
# Playground's.
_TRAINING_PICKED = "_sweep_training_picked"


def _log_value(v: float) -> str:
    return f"{v:g}"


def _training_picked() -> None:
    st.session_state[_TRAINING_PICKED] = True


def grid_controls(settings: Settings) -> tuple[Settings, int, int]:
    """Optimizer, batch size, grid size and steps, in one row.

    The optimizer and batch size are the Playground's until the person picks others here.

    Parameters
    ----------
    settings : Settings
        The Playground's.

    Returns
    -------
    settings : Settings
        The Playground's, with the optimizer and batch size to sweep.
    n : int
        Values per axis.
    steps : int
        Steps per model asked for (L-BFGS: iterations at most); the Playground's by default.
    """
    if not st.session_state.get(_TRAINING_PICKED):
        forget("sweep_optimizer")
        forget("sweep_batch")
    cols = st.columns(4)
    kept("sweep_optimizer", settings.optimizer, allowed=SWEEP_OPTIMIZERS)
    optimizer = cols[0].selectbox(
        "Optimizer",
        SWEEP_OPTIMIZERS,
        key="sweep_optimizer",
        format_func=OPTIMIZER_LABELS.__getitem__,
        on_change=_training_picked,
        help="The Playground's until you pick another here.",
    )
    lbfgs = optimizer == "lbfgs"
    kept("sweep_batch", settings.batch_size, allowed=SWEEP_BATCH_SIZES)
    batch_size = cols[1].selectbox(
        "Batch size",
        SWEEP_BATCH_SIZES,
        key="sweep_batch",
        format_func=batch_label,
        on_change=_training_picked,
        disabled=lbfgs,
        help="L-BFGS always uses the full batch."
        if lbfgs
        else "Samples per step; the same mini-batch order in every cell, as in the Playground.",
    )
    lo, hi = SWEEP_SIZE_RANGE
    kept("sweep_size", SWEEP_DEFAULT_SIZE, allowed=range(lo, hi + 1))
    n = cols[2].slider(
        "Regularization values" if lbfgs else "Grid size (per axis)",
        lo,
        hi,
        key="sweep_size",
        help="Values taken evenly from the Playground's learning-rate and regularization lists.",
    )
    lo, hi = SWEEP_STEP_RANGE
    kept("sweep_steps", default_steps(settings), allowed=lambda v: lo <= v <= hi)
    steps = cols[3].slider(
        "Iterations at most" if lbfgs else "Steps",
        lo,
        hi,
        step=10,
        key="sweep_steps",
        help="L-BFGS stops earlier at the optimum." if lbfgs else "Update steps per model.",
    )
    swept = settings.replace(optimizer=optimizer, batch_size=int(batch_size))
    return swept, int(n), int(steps)


def what_was_trained(sw: PlaygroundSweep, steps: int) -> None:
    """What the sweep trained, why an L-BFGS sweep has one axis, and any step cut."""
    if sw.is_path:
        st.info(
            "**L-BFGS has no learning rate.** It chooses the length of every step itself, "
            "by a line search along its quasi-Newton direction, so there is no learning-rate "
            "axis: this sweep is a path over regularization alone, one model per strength, "
            "each trained until its gradient vanishes or the iteration cap."
        )
    together = "" if sw.is_path else " All cells train **at once**, as one batched computation."
    st.markdown(sw.describe() + together)
    if sw.settings.steps < steps:
        n_train, n_features = sw.n_train, sw.n_features
        st.info(
            f"{sw.n_models} models on {n_train} points with {n_features} features would "
            f"take long at {steps} steps; this sweep runs {sw.settings.steps} steps."
        )
    if sw.is_path:
        r = sw.result
        capped = int(np.sum((r.final_step == sw.settings.steps) & ~r.diverged))
        if capped:
            st.caption(
                f"{capped} of the {sw.n_models} models stopped at the cap of "
                f"{sw.settings.steps} iterations before reaching the optimum: raise "
                "“Iterations at most” to let them finish."
            )


def headline_metrics(sw: PlaygroundSweep, accuracy: np.ndarray, accuracy_name: str) -> None:
    """Models, training time, diverged cells and the best cell's accuracy."""
    r = sw.result
    m = st.columns(4)
    if sw.is_path:
        m[0].metric("Models", f"{sw.n_models}", help="one L-BFGS model per regularization")
        m[1].metric(
            "Training",
            f"{r.seconds * 1e3:.0f} ms",
            help=f"at most {sw.settings.steps} L-BFGS iterations per model, one after another",
        )
    else:
        m[0].metric(
            "Models",
            f"{sw.n_models}",
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
        where = f"reg {r.regs[bj]:g}"
        if not sw.is_path:
            where = f"learning rate {r.learning_rates[bi]:g}, {where}"
        # "Best accuracy": the whole name is cut in a quarter of a projector's width
        m[3].metric("Best accuracy", f"{accuracy[bi, bj]:.1%}", help=f"{accuracy_name}, {where}")


def picked_cell(sw: PlaygroundSweep) -> tuple[int, int]:
    """The cell the picker holds: a cell clicked in either chart, else the kept pick, else
    the best cell. Call before the charts (they mark it) and :func:`cell_picker`.

    Returns
    -------
    (i, j) : (int, int)
        Indices into ``sw.result.learning_rates`` and ``sw.result.regs`` (i = 0 on an
        L-BFGS path).
    """
    r, state = sw.result, st.session_state
    lr_options, reg_options = [float(v) for v in r.learning_rates], [float(v) for v in r.regs]
    for key in CHART_KEYS:
        cell = clicked_cell(state.get(key), r.shape)
        if cell is not None and state.get(_LAST_CLICK) != (key, cell):
            state[_LAST_CLICK] = (key, cell)
            state["sweep_reg"] = reg_options[cell[1]]
            if not sw.is_path:
                state["sweep_lr"] = lr_options[cell[0]]
    best = r.best_cell() or (0, 0)
    reg = kept("sweep_reg", reg_options[best[1]], allowed=reg_options)
    if sw.is_path:  # no learning rate: the kept one waits for the next grid
        return 0, reg_options.index(reg)
    lr = kept("sweep_lr", lr_options[best[0]], allowed=lr_options)
    return lr_options.index(lr), reg_options.index(reg)


def _chart_specs(sw: PlaygroundSweep, accuracy: np.ndarray, accuracy_name: str):
    """(values, kind, name, subtitle, range) of the accuracy chart and the loss chart."""
    r = sw.result
    acc_lo, acc_hi = accuracy_color_range(accuracy, r.diverged)
    loss_lo, loss_hi = loss_color_range(r.train_loss, r.diverged, r.initial_loss)
    if sw.is_path:
        acc_note = f"higher = better · axis {acc_lo:.0%}–{acc_hi:.0%} · × = diverged"
        loss_note = f"lower = better · the axis stops at the starting loss {loss_hi:.3g}"
    else:
        acc_note = f"bright = better · colours span {acc_lo:.0%}–{acc_hi:.0%} · grey × = diverged"
        loss_note = f"bright = lower · colours stop at the starting loss {loss_hi:.3g}"
    return (
        (accuracy, "accuracy", accuracy_name, acc_note, (acc_lo, acc_hi)),
        (r.train_loss, "loss", "training loss", loss_note, (loss_lo, loss_hi)),
    )


def sweep_charts(
    sw: PlaygroundSweep,
    accuracy: np.ndarray,
    accuracy_name: str,
    selected: tuple[int, int],
    presenter: bool,
) -> None:
    """Accuracy and loss, clickable: heatmaps over the grid, or lines along an L-BFGS
    path. Side by side; stacked in presenter mode, where the cells need the width."""
    r = sw.result
    best = r.best_cell()
    columns = (st.container(), st.container()) if presenter else st.columns(2)
    width_share = 1.0 if presenter else 0.5
    specs = _chart_specs(sw, accuracy, accuracy_name)
    for column, key, (values, kind, name, subtitle, zrange) in zip(
        columns, CHART_KEYS, specs, strict=True
    ):
        if sw.is_path:
            fig = regularization_path_figure(
                values[0],
                r.regs,
                r.diverged[0],
                kind=kind,
                title=f"Final {name} along the path",
                subtitle=subtitle,
                value_name=f"final {name}",
                yrange=zrange,
                selected=selected[1],
                best=None if best is None else best[1],
                final_step=r.final_step[0],
                presenter=presenter,
                width_share=width_share,
            )
        else:
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
                best=best,
                final_step=r.final_step,
                presenter=presenter,
                width_share=width_share,
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
    """The learning-rate and reg pickers (reg only on an L-BFGS path), what the picked
    cell reached, and the button that loads it into the Playground (and switches there)."""
    r, s = sw.result, sw.settings
    st.subheader("Try a cell in the Playground")
    pick = st.columns([1, 1, 1.2])
    reg_options = [float(v) for v in r.regs]
    if sw.is_path:
        pick[0].markdown("**Learning rate:** none (L-BFGS)")
    else:
        lr_options = [float(v) for v in r.learning_rates]
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
    if is_path(s):
        sets = (
            f"the regularization of the cell, Optimizer = L-BFGS and Steps = {s.steps} "
            "(its learning rate and batch size stay: L-BFGS uses neither)"
        )
    else:
        sets = (
            f"learning rate and regularization of the cell, Optimizer = "
            f"{OPTIMIZER_LABELS[s.optimizer]}, Batch size = {batch_label(s.batch_size)} "
            f"and Steps = {s.steps}"
        )
    st.caption(
        f"Loading sets the Playground to {sets}, so it trains exactly this cell's model. "
        "Click a cell in either chart to pick it."
    )
