"""Engine glue for the Sweep page: pure (no streamlit, no plotly).

:func:`playground_sweep` runs the batched learning-rate × regularization sweep
(``softmax_engine.sweep``) on the Playground's current data and features, from the
Playground's initial weights, so every cell is a run the Playground can repeat. The rest
turns settings and results into what the page shows: the grid's axes, the work budget,
the colour ranges, the cell a click on a chart picked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from dashboard.playground.compute import train_playground
from dashboard.settings import (
    DATASET_LABELS,
    FEATURE_LABELS,
    LEARNING_RATES,
    REGULARIZATIONS,
    Settings,
)
from softmax_engine.sweep import SweepResult, log_subset, sweep

SWEEP_SIZE_RANGE = (6, 16)
SWEEP_DEFAULT_SIZE = 12
SWEEP_STEP_RANGE = (10, 1000)
# Bound on G·C·N·(D + 51)·T, the work of one sweep: about 3 s on a small 2-core server.
# A larger request keeps its grid and takes fewer steps (the page says so).
MAX_SWEEP_WORK = 4e10


def sweep_axes(n: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The grid's axes: n values of each of the Playground's slider lists.

    Parameters
    ----------
    n : int
        Values per axis.

    Returns
    -------
    learning_rates, regs : tuple of float, length n each
        Spread evenly over ``LEARNING_RATES`` and ``REGULARIZATIONS`` (log-spaced; regs
        start at 0), so a chosen cell is a value the Playground offers.
    """
    return log_subset(LEARNING_RATES, n), log_subset(REGULARIZATIONS, n)


def sweep_training_settings(settings: Settings, steps: int) -> Settings:
    """What the sweep trains, as Playground settings: full-batch gradient descent for
    ``steps`` steps on the Playground's data, features, split and initial weights."""
    return settings.replace(optimizer="sgd", batch_size=0, steps=int(steps), presenter=False)


def sweep_cache_key(settings: Settings) -> tuple:
    """What a sweep depends on, as a hashable tuple: the Playground's data, features, split
    and initial weights; not its learning rate, reg, optimizer, batch size, steps or view
    (the page's own controls give the grid and the steps)."""
    default = Settings()
    base = sweep_training_settings(settings, 0)
    return base.replace(learning_rate=default.learning_rate, reg=default.reg).training_key()


def default_steps(settings: Settings) -> int:
    """The Playground's step count, clamped to :data:`SWEEP_STEP_RANGE`."""
    lo, hi = SWEEP_STEP_RANGE
    return min(max(int(settings.steps), lo), hi)


def describe_data(settings: Settings) -> str:
    """The Playground's data and features in words, e.g. "Spiral, RBF (γ = 3) features"."""
    feats = FEATURE_LABELS[settings.features]
    if settings.features == "poly":
        feats += f" (degree {settings.degree})"
    elif settings.features == "rbf":
        feats += f" (γ = {settings.rbf_gamma:g})"
    data = DATASET_LABELS[settings.dataset]
    return f"{data}, {feats} features" + ("" if settings.standardize else ", unstandardized")


@dataclass(frozen=True, eq=False)
class PlaygroundSweep:
    """A sweep on the Playground's data, with what the page says about it.

    Attributes
    ----------
    result : SweepResult
        Arrays of shape (n_lr, n_reg), one cell per (learning rate, reg).
    settings : Settings
        ``sweep_training_settings(...)`` for the steps actually run.
    steps_requested : int
    data_name : str
    feature_names : tuple of str, length D
    n_train, n_val : int
    class_names : tuple of str, length C
    """

    result: SweepResult
    settings: Settings
    steps_requested: int
    data_name: str
    feature_names: tuple
    n_train: int
    n_val: int
    class_names: tuple

    def cell_settings(self, i: int, j: int, base: Settings) -> Settings:
        """``base`` with cell (i, j)'s learning rate and reg and the sweep's training
        settings: what "Load into Playground" hands over."""
        r = self.result
        return base.replace(
            learning_rate=float(r.learning_rates[i]),
            reg=float(r.regs[j]),
            optimizer="sgd",
            batch_size=0,
            steps=self.settings.steps,
        )


def sweep_steps_within_budget(
    n_models: int, n_classes: int, n_train: int, n_features: int, steps: int
) -> int:
    """``steps``, reduced so that the sweep's work stays within :data:`MAX_SWEEP_WORK`.

    Parameters
    ----------
    n_models : int
        G, the cells of the grid.
    n_classes, n_train, n_features : int
        C, N and D of the training features.
    steps : int
        T asked for.

    Returns
    -------
    int
        The largest T' <= T (at least 1) with G·C·N·(D + 51)·T' <= MAX_SWEEP_WORK.
    """
    per_step = n_models * n_classes * max(n_train, 1) * (n_features + 51)
    return int(max(1, min(steps, MAX_SWEEP_WORK // per_step)))


def playground_sweep(settings: Settings, n_per_axis: int, steps: int) -> PlaygroundSweep:
    """Sweep n × n (learning rate, reg) cells on the Playground's current data.

    The data, split, feature map and initial weights come from ``train_playground`` at 0
    steps, so cell (i, j) is exactly the Playground run with that learning rate and reg,
    ``optimizer="sgd"``, full batch, and the same number of steps.

    Parameters
    ----------
    settings : Settings
        The Playground's; its learning rate, reg, optimizer, batch size and steps are
        not used.
    n_per_axis : int
        n, in :data:`SWEEP_SIZE_RANGE`.
    steps : int
        Gradient steps per model, reduced to fit :data:`MAX_SWEEP_WORK`.

    Returns
    -------
    PlaygroundSweep
        ``result`` arrays of shape (n, n).
    """
    lrs, regs = sweep_axes(n_per_axis)
    base = sweep_training_settings(settings, 0)
    start = train_playground(base)  # no steps: only data, features and W0
    Phi, Phi_val = start.features_train, start.features_val
    C = start.data.n_classes
    used = sweep_steps_within_budget(len(lrs) * len(regs), C, len(Phi), Phi.shape[1], steps)
    result = sweep(
        Phi,
        start.y_train,
        lrs,
        regs,
        steps=used,
        n_classes=C,
        X_val=Phi_val if len(Phi_val) else None,
        y_val=start.y_val if len(Phi_val) else None,
        W0=start.history.W[0],
        b0=start.history.b[0],
    )
    return PlaygroundSweep(
        result=result,
        settings=sweep_training_settings(start.settings, used),
        steps_requested=int(steps),
        data_name=start.data.name,
        feature_names=start.feature_names,
        n_train=len(Phi),
        n_val=len(Phi_val),
        class_names=start.data.class_names,
    )


def accuracy_color_range(accuracy: np.ndarray, diverged: np.ndarray) -> tuple[float, float]:
    """The accuracy heatmap's colour range: the cells' range, widened to 5 % steps.

    Parameters
    ----------
    accuracy : array_like, shape (n_lr, n_reg)
    diverged : array_like of bool, shape (n_lr, n_reg)
        These cells (and non-finite ones) do not count.

    Returns
    -------
    (lo, hi) : (float, float)
        Multiples of 0.05 with lo <= every counted cell <= hi and hi >= lo + 0.05, so
        85 % and 93 % look different; (0, 1) when no cell counts.
    """
    acc = np.asarray(accuracy, dtype=float)
    ok = acc[~np.asarray(diverged, dtype=bool) & np.isfinite(acc)]
    if not ok.size:
        return 0.0, 1.0
    lo = math.floor(20 * ok.min()) / 20
    return lo, max(math.ceil(20 * ok.max()) / 20, lo + 0.05)


def loss_color_range(
    train_loss: np.ndarray, diverged: np.ndarray, initial_loss: float
) -> tuple[float, float]:
    """The loss heatmap's colour range: from the lowest final loss to the starting loss.

    Parameters
    ----------
    train_loss : array_like, shape (n_lr, n_reg)
    diverged : array_like of bool, shape (n_lr, n_reg)
        These cells do not count.
    initial_loss : float
        The common starting loss; worse cells saturate at it.

    Returns
    -------
    (lo, hi) : (float, float)
        lo = the smallest loss of a cell that did not diverge (0 if none), hi =
        max(initial_loss, lo + 1e-6).
    """
    finite = np.asarray(train_loss, dtype=float)[~np.asarray(diverged, dtype=bool)]
    lo = float(finite.min()) if finite.size else 0.0
    return lo, max(float(initial_loss), lo + 1e-6)


def clicked_cell(event: Mapping | None, shape: tuple[int, int]) -> tuple[int, int] | None:
    """The cell the last click on a sweep heatmap selected, from Streamlit's chart state.

    Parameters
    ----------
    event : mapping or None
        ``st.session_state[chart key]`` of a chart drawn with ``on_select="rerun"``:
        ``{"selection": {"points": [{"x", "y", ...}, ...]}}``. A point's x and y are the
        cell's column and row, i.e. (learning rate index, reg index).
    shape : (int, int)
        (n_lr, n_reg) of the grid.

    Returns
    -------
    (i, j) or None
        The last selected point inside the grid; None when there is none.
    """
    points = ((event or {}).get("selection") or {}).get("points") or []
    cells = [
        (p["x"], p["y"])
        for p in points
        if isinstance(p.get("x"), int | float) and isinstance(p.get("y"), int | float)
    ]
    if not cells:
        return None
    i, j = (round(v) for v in cells[-1])
    return (i, j) if 0 <= i < shape[0] and 0 <= j < shape[1] else None
