"""Engine glue for the Sweep page: pure (no streamlit, no plotly).

:func:`playground_sweep` trains a grid of models on the Playground's current data and
features, from the Playground's initial weights and mini-batch order, so every cell is a
run the Playground repeats exactly. A first-order optimizer ("sgd", "momentum",
"nesterov", "adam", full or mini batches) gets a learning-rate × regularization grid,
trained as one batched computation (``softmax_engine.sweep.sweep``); L-BFGS, which
chooses its own step lengths, gets a path over regularization alone
(``softmax_engine.sweep.regularization_path``). The rest turns settings and results into
what the page shows: the axes, the work budget, the colour ranges, the clicked cell.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from dashboard.playground.compute import training_inputs
from dashboard.settings import (
    BATCH_SIZES,
    DATASET_LABELS,
    FEATURE_LABELS,
    LEARNING_RATES,
    OPTIMIZER_LABELS,
    OPTIMIZERS,
    REGULARIZATIONS,
    Settings,
)
from softmax_engine.sweep import (
    MAX_AUTO_RECORDS,
    SweepResult,
    log_subset,
    regularization_path,
    sweep,
)

SWEEP_SIZE_RANGE = (6, 16)
SWEEP_DEFAULT_SIZE = 12
SWEEP_STEP_RANGE = (10, 1000)
# Every optimizer and batch size the Playground offers (0 = full batch).
SWEEP_OPTIMIZERS = OPTIMIZERS
SWEEP_BATCH_SIZES = BATCH_SIZES
# Bound on the work of one sweep (sweep_work): about 3 s on a small 2-core server.
# A larger request keeps its grid and takes fewer steps (the page says so).
MAX_SWEEP_WORK = 4e10
# A mini-batch step costs about as much as this many more samples (gathering the batch,
# the optimizer's update of every model), measured on a 2-core server.
MINI_BATCH_OVERHEAD = 256
# L-BFGS evaluates the objective about this often per iteration (its line search).
LBFGS_EVALUATIONS = 2


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
        start at 0), so a chosen cell is a value the Playground offers. An L-BFGS path
        uses the regs only.
    """
    return log_subset(LEARNING_RATES, n), log_subset(REGULARIZATIONS, n)


def is_path(settings: Settings) -> bool:
    """True when the sweep is a path over regularization alone (L-BFGS: no learning rate)."""
    return settings.optimizer == "lbfgs"


def sweep_training_settings(settings: Settings, steps: int) -> Settings:
    """What the sweep trains, as Playground settings: the Playground's data, features,
    split, initial weights, optimizer and batch size, for ``steps`` steps (L-BFGS: at most
    ``steps`` iterations, on the full batch)."""
    batch_size = 0 if is_path(settings) else settings.batch_size
    return settings.replace(batch_size=batch_size, steps=int(steps), presenter=False)


def sweep_cache_key(settings: Settings) -> tuple:
    """What a sweep depends on besides its grid and steps, as a hashable tuple: the
    Playground's data, features, split, initial weights, optimizer and batch size; not its
    learning rate, reg, steps or view (the page's own controls give grid and steps)."""
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


def batch_label(batch_size: int) -> str:
    """``"Full"`` for 0 (full batch), else the size: the Playground's own labels."""
    return "Full" if batch_size == 0 else str(batch_size)


def describe_training(settings: Settings) -> str:
    """How each cell is trained, in words, e.g. "Adam on mini-batches of 32"."""
    if is_path(settings):
        return "L-BFGS (full batch, to the optimum)"
    name = OPTIMIZER_LABELS[settings.optimizer]
    if settings.batch_size == 0:
        return f"{name} on the full batch"
    return f"{name} on mini-batches of {settings.batch_size}"


@dataclass(frozen=True, eq=False)
class PlaygroundSweep:
    """A sweep on the Playground's data, with what the page says about it.

    Attributes
    ----------
    result : SweepResult
        Arrays of shape (n_lr, n_reg), one cell per (learning rate, reg); (1, n_reg) for
        an L-BFGS path, whose ``learning_rates`` is ``[nan]``.
    settings : Settings
        ``sweep_training_settings(...)`` for the steps actually run.
    steps_requested : int
    data_name : str
    n_features : int
        D, the features the models see.
    n_train, n_val : int
    class_names : tuple of str, length C
    """

    result: SweepResult
    settings: Settings
    steps_requested: int
    data_name: str
    n_features: int
    n_train: int
    n_val: int
    class_names: tuple

    @property
    def is_path(self) -> bool:
        """True for an L-BFGS path over regularization (one row, no learning rate)."""
        return is_path(self.settings)

    @property
    def n_models(self) -> int:
        """The cells of the result: n_lr · n_reg (n_reg for a path)."""
        return int(np.prod(self.result.shape))

    def describe(self) -> str:
        """What was trained, in one sentence (markdown)."""
        s = self.settings
        r = self.result
        if self.is_path:
            what = (
                f"{self.n_models} models, one per regularization strength, each by L-BFGS "
                f"on the full batch for at most {s.steps} iterations"
            )
        else:
            what = (
                f"{self.n_models} models ({r.shape[0]} learning rates × {r.shape[1]} "
                f"regularizations), each by {describe_training(s)} for {s.steps} steps"
            )
        return (
            f"**Trained:** {what}, from the Playground's initial weights (init seed "
            f"{s.init_seed}), on {self.n_train} training points with {self.n_features} "
            f"features"
            + (f"; validated on {self.n_val}." if self.n_val else "; no validation set.")
        )

    def cell_settings(self, i: int, j: int, base: Settings) -> Settings:
        """``base`` with cell (i, j)'s hyperparameters and the sweep's training settings:
        what "Load into Playground" hands over. An L-BFGS cell leaves the learning rate
        and batch size alone (L-BFGS uses neither)."""
        r, s = self.result, self.settings
        cell = dict(reg=float(r.regs[j]), optimizer=s.optimizer, steps=s.steps)
        if not self.is_path:
            cell.update(learning_rate=float(r.learning_rates[i]), batch_size=s.batch_size)
        return base.replace(**cell)


def sweep_work(
    n_models: int,
    n_classes: int,
    n_train: int,
    n_features: int,
    steps: int,
    *,
    n_val: int = 0,
    batch_size: int = 0,
    path: bool = False,
) -> float:
    """An estimate of a sweep's cost, in the units of :data:`MAX_SWEEP_WORK`.

    G · C · (D + 51) · (T · n_step + K · n_eval): every step touches n_step samples of
    every model (N for a full batch, the batch plus :data:`MINI_BATCH_OVERHEAD` for a
    mini-batch, :data:`LBFGS_EVALUATIONS` · N for an L-BFGS iteration), and each of the K
    recorded steps (at most ``MAX_AUTO_RECORDS`` + 1) evaluates the validation set, and
    with mini-batches the training set too.

    Parameters
    ----------
    n_models : int
        G.
    n_classes, n_train, n_features : int
        C, N and D of the training features.
    steps : int
        T.
    n_val : int
        M, validation samples.
    batch_size : int
        0 for full batch.
    path : bool
        An L-BFGS path (G = its number of regs).

    Returns
    -------
    float
    """
    n = max(int(n_train), 1)
    mini = 0 < batch_size < n and not path
    if path:
        n_step = LBFGS_EVALUATIONS * n
    else:
        n_step = min(n, batch_size + MINI_BATCH_OVERHEAD) if mini else n
    records = min(int(steps), MAX_AUTO_RECORDS) + 1
    n_eval = n_val + (n if mini else 0)
    per_model = n_classes * (n_features + 51)
    return float(n_models) * per_model * (steps * n_step + records * n_eval)


def sweep_steps_within_budget(
    n_models: int,
    n_classes: int,
    n_train: int,
    n_features: int,
    steps: int,
    *,
    n_val: int = 0,
    batch_size: int = 0,
    path: bool = False,
) -> int:
    """``steps``, reduced so that :func:`sweep_work` stays within :data:`MAX_SWEEP_WORK`.

    Parameters
    ----------
    n_models, n_classes, n_train, n_features, n_val, batch_size, path
        As for :func:`sweep_work`.
    steps : int
        T asked for.

    Returns
    -------
    int
        The largest T' <= T (at least 1) whose work is within the budget.
    """
    sizes = dict(n_val=n_val, batch_size=batch_size, path=path)

    def work(t):
        return sweep_work(n_models, n_classes, n_train, n_features, t, **sizes)

    lo, hi = 1, max(int(steps), 1)
    if work(hi) <= MAX_SWEEP_WORK:
        return hi
    while lo < hi:  # the work grows with T: the largest T within the budget
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if work(mid) <= MAX_SWEEP_WORK else (lo, mid - 1)
    return lo


def playground_sweep(settings: Settings, n_per_axis: int, steps: int) -> PlaygroundSweep:
    """Sweep the Playground's optimizer and batch size over n values per axis.

    Data, split and feature map come from ``training_inputs(settings)``, the initial
    weights and mini-batch order from ``random_state = settings.init_seed``, as
    ``train_playground`` draws them: cell (i, j) is exactly the Playground run with that
    learning rate and reg, the same optimizer, batch size and number of steps.

    Parameters
    ----------
    settings : Settings
        The Playground's, with the optimizer and batch size to sweep; its learning rate,
        reg and steps are not used.
    n_per_axis : int
        n, in :data:`SWEEP_SIZE_RANGE`.
    steps : int
        Steps per model (L-BFGS: iterations at most), reduced to fit :data:`MAX_SWEEP_WORK`.

    Returns
    -------
    PlaygroundSweep
        ``result`` arrays of shape (n, n); (1, n) for L-BFGS.
    """
    inputs = training_inputs(settings)
    data = inputs.data
    Phi, Phi_val = inputs.Phi_train, inputs.Phi_val
    y_train = data.y[inputs.train_index]
    val = (
        dict(X_val=Phi_val, y_val=data.y[inputs.val_index])
        if Phi_val is not None and len(Phi_val)
        else {}
    )
    n_val = len(Phi_val) if val else 0
    C, (N, D) = data.n_classes, Phi.shape
    lrs, regs = sweep_axes(n_per_axis)
    path = is_path(settings)
    batch = 0 if path else settings.batch_size
    n_models = len(regs) if path else len(lrs) * len(regs)
    used = sweep_steps_within_budget(
        n_models, C, N, D, steps, n_val=n_val, batch_size=batch, path=path
    )
    common = dict(n_classes=C, random_state=settings.init_seed, record_every="auto", **val)
    if path:
        with warnings.catch_warnings():  # a model stopped at the cap: the page says so
            warnings.simplefilter("ignore", ConvergenceWarning)
            result = regularization_path(Phi, y_train, regs, max_iter=used, **common)
    else:
        result = sweep(
            Phi,
            y_train,
            lrs,
            regs,
            steps=used,
            optimizer=settings.optimizer,
            batch_size=batch or None,
            **common,
        )
    return PlaygroundSweep(
        result=result,
        settings=sweep_training_settings(settings, used),
        steps_requested=int(steps),
        data_name=data.name,
        n_features=int(D),
        n_train=int(N),
        n_val=n_val,
        class_names=data.class_names,
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
    """The cell the last click on a sweep chart selected, from Streamlit's chart state.

    Parameters
    ----------
    event : mapping or None
        ``st.session_state[chart key]`` of a chart drawn with ``on_select="rerun"``:
        ``{"selection": {"points": [{"x", "y", "customdata", ...}, ...]}}``. A point's
        ``customdata`` is its cell ``[i, j]`` when the chart gives one (every chart of
        this page does; from a typed array it arrives as ``{"0": i, "1": j}``);
        otherwise its x and y are the cell's column and row, i.e. (learning rate index,
        reg index).
    shape : (int, int)
        (n_lr, n_reg) of the grid.

    Returns
    -------
    (i, j) or None
        The last selected point inside the grid; None when there is none.
    """
    points = ((event or {}).get("selection") or {}).get("points") or []
    cells = []
    for p in points:
        data = p.get("customdata")
        if isinstance(data, Mapping):  # a row of a typed array arrives as {"0": i, "1": j}
            data = [data.get("0"), data.get("1")]
        if isinstance(data, list | tuple) and len(data) == 2:
            cells.append(tuple(data))
        elif isinstance(p.get("x"), int | float) and isinstance(p.get("y"), int | float):
            cells.append((p["x"], p["y"]))
    cells = [c for c in cells if all(isinstance(v, int | float) for v in c)]
    if not cells:
        return None
    i, j = (round(v) for v in cells[-1])
    return (i, j) if 0 <= i < shape[0] and 0 <= j < shape[1] else None
