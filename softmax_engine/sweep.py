"""The hyperparameter plane: one model per (learning rate, regularization), trained at once.

Every cell of the grid is the softmax model ``SoftmaxClassifier`` trains from the same
start with that learning rate and regularization, by any first-order optimizer the
Playground offers ("sgd", "momentum", "nesterov", "adam") on full or mini batches. Instead
of a Python loop over G = n_lr · n_reg models, all G parameter arrays live in one tensor
of shape (G, C, D + 1) and go through the engine's one training loop
(:func:`softmax_engine.trainer.train`): per step one (G·C, D + 1) × (D + 1, N) product for
the scores, the exponentials of the (G·C, N) scores and one (G·C, N) × (N, D + 1) product
for the gradients, whatever G is. Mini-batches follow the same sample order in every cell:
the order ``SoftmaxClassifier(random_state=...)`` draws.

Cell ``[i, j]`` is ``SoftmaxClassifier(learning_rate=learning_rates[i], reg=regs[j],
max_iter=steps, optimizer=..., batch_size=..., momentum=..., random_state=...)`` trained on
the same data (``coef_ = W.T``, ``intercept_ = b``): the tests check it to 1e-10 in every
cell that did not diverge and is not *chaotic*. A cell is chaotic when its training
amplifies rounding differences: with the start and the features changed in their last
bit (``W0 · (1 ± 2**-52)``, ``X · (1 ± 2**-52)``) it ends more than 1e-12 (relative)
away in the final loss or weights (:func:`chaotic_cells`). There a batched product and a
single one, which round differently, cannot be asked to agree to 1e-10; such cells have
a learning rate past the stable range, where the optimizer oscillates.

A model *diverges* when its loss becomes non-finite or grows past ``max_loss_ratio``
times its initial loss. From then on it is frozen at its last good state (the one before
the step that blew up, as ``SoftmaxClassifier`` keeps its last finite weights), its cell
is flagged in ``diverged`` and its final values are those of that state.

L-BFGS has no learning rate: :func:`regularization_path` trains one L-BFGS model per
regularization strength and returns the same result type with one row.

Numpy only: usable from a notebook, no streamlit or plotly.
"""

from __future__ import annotations

import itertools
import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._threads import one_blas_thread
from ._validation import (
    check_choice,
    check_int,
    check_labels,
    check_matrix,
    check_random_state,
    check_real,
    check_vector,
)
from .classifier import DivergenceWarning, SoftmaxClassifier
from .objective import BatchedObjective
from .optim import OPTIMIZERS, make_optimizer
from .trainer import NO_LIMIT, MiniBatches, Recorder, Schedule, initial_theta, train

__all__ = [
    "MAX_AUTO_RECORDS",
    "SweepResult",
    "chaotic_cells",
    "initial_weights",
    "log_subset",
    "regularization_path",
    "sweep",
]

#: ``record_every="auto"`` records at most this many steps after step 0.
MAX_AUTO_RECORDS = 100

_CURVES = ("loss", "data_loss", "reg_loss", "train_accuracy", "val_loss", "val_accuracy")


@dataclass(frozen=True, eq=False)
class SweepResult:
    """What a sweep found: every array is float64 (or int64 / bool) and indexed
    ``[i, j]`` for ``learning_rates[i]`` and ``regs[j]``; K is the number of recorded steps.

    Enough to draw any cell's model and curves without retraining.

    Attributes
    ----------
    learning_rates : ndarray, shape (n_lr,)
        NaN for :func:`regularization_path` (L-BFGS has none).
    regs : ndarray, shape (n_reg,)
    steps : int
        Steps asked for (T): updates for the first-order optimizers, an upper bound on
        the iterations for L-BFGS.
    optimizer : str
    batch_size : int or None
        None for full batch.
    momentum : float
    record_steps : ndarray of int, shape (K,)
        The recorded steps: 0, multiples of ``record_every``, and T.
    loss_curve, data_loss_curve, reg_loss_curve : ndarray, shape (n_lr, n_reg, K)
        Training objective (mean cross-entropy + reg·‖W‖²) and its two parts at the
        recorded steps. NaN after a model diverged (a finite value at the recorded step
        that blew up is kept, so a blow-up is visible).
    train_accuracy_curve, val_loss_curve, val_accuracy_curve : ndarray, shape (n_lr, n_reg, K)
        Accuracy on the training set, mean cross-entropy (no regularization) and accuracy
        on the validation set at the recorded steps; validation NaN without one.
    train_loss, data_loss, reg_loss : ndarray, shape (n_lr, n_reg)
        The objective and its parts at the final state: after T steps, or the last good
        state of a diverged model.
    train_accuracy, val_loss, val_accuracy : ndarray, shape (n_lr, n_reg)
        At the final state.
    W, dW : ndarray, shape (n_lr, n_reg, D, C)
    b, db : ndarray, shape (n_lr, n_reg, C)
        Final weights and biases and the gradient of the training objective there.
    diverged : ndarray of bool, shape (n_lr, n_reg)
    final_step : ndarray of int, shape (n_lr, n_reg)
        The step of the final state: T (fewer when L-BFGS converged sooner), or the last
        good step of a diverged model.
    initial_loss : float
        The objective at the common starting point without regularization (the data
        loss), ~log C for small initial weights.
    seconds : float
        Wall-clock time of the training.

    Examples
    --------
    >>> from softmax_engine import make_dataset
    >>> data = make_dataset("blobs", n_samples=90, random_state=0)
    >>> r = sweep(data.X, data.y, [0.1, 1.0], [0.0, 0.1], steps=300, optimizer="adam",
    ...           batch_size=32, record_every="auto")
    >>> r.shape, r.W.shape, r.loss_curve.shape, r.record_steps[:3].tolist()
    ((2, 2), (2, 2, 2, 3), (2, 2, 101), [0, 3, 6])
    """

    learning_rates: np.ndarray
    regs: np.ndarray
    steps: int
    optimizer: str
    batch_size: int | None
    momentum: float
    record_steps: np.ndarray
    loss_curve: np.ndarray
    data_loss_curve: np.ndarray
    reg_loss_curve: np.ndarray
    train_accuracy_curve: np.ndarray
    val_loss_curve: np.ndarray
    val_accuracy_curve: np.ndarray
    train_loss: np.ndarray
    data_loss: np.ndarray
    reg_loss: np.ndarray
    train_accuracy: np.ndarray
    val_loss: np.ndarray
    val_accuracy: np.ndarray
    W: np.ndarray
    b: np.ndarray
    dW: np.ndarray
    db: np.ndarray
    diverged: np.ndarray
    final_step: np.ndarray
    initial_loss: float
    seconds: float

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_lr, n_reg)``."""
        return self.train_loss.shape

    @property
    def loss_curves(self) -> np.ndarray:
        """``loss_curve`` step-major, shape (K, n_lr, n_reg) (the layout of earlier
        versions, where K was T + 1)."""
        return np.moveaxis(self.loss_curve, -1, 0)

    @property
    def nbytes(self) -> int:
        """Bytes of all the arrays: what shipping the plane costs (float64)."""
        return sum(v.nbytes for v in vars(self).values() if isinstance(v, np.ndarray))

    def best_cell(self) -> tuple[int, int] | None:
        """``(i, j)`` of the best model that did not diverge: highest validation accuracy
        (training accuracy without a validation set), ties broken by the lower training
        loss, then by the smaller indices. ``None`` when every model diverged."""
        ok = ~self.diverged
        if not ok.any():
            return None
        acc = self.val_accuracy if np.isfinite(self.val_accuracy).any() else self.train_accuracy
        acc = np.where(ok & np.isfinite(acc), acc, -np.inf)
        loss = np.where(ok & np.isfinite(self.train_loss), self.train_loss, np.inf)
        order = np.lexsort((loss.ravel(), -acc.ravel()))  # last key is the primary one
        return tuple(int(v) for v in np.unravel_index(order[0], self.shape))


def initial_weights(
    n_features: int, n_classes: int, *, init_scale: float = 1e-3, random_state=None
) -> tuple[np.ndarray, np.ndarray]:
    """The starting point ``SoftmaxClassifier`` uses: ``W = init_scale · N(0, 1)``, b = 0.

    Parameters
    ----------
    n_features, n_classes : int
    init_scale : float, >= 0
    random_state : int, numpy Generator or None
        Seeds ``np.random.default_rng``, as ``SoftmaxClassifier(random_state=...)`` does.

    Returns
    -------
    W : ndarray, shape (D, C)
    b : ndarray, shape (C,)

    Examples
    --------
    >>> W, b = initial_weights(2, 3, random_state=0)
    >>> W.shape, b.tolist()
    ((2, 3), [0.0, 0.0, 0.0])
    """
    theta = initial_theta(
        check_random_state(random_state), n_features, n_classes, init_scale=init_scale
    )
    return theta[0, :, :-1].T.copy(), theta[0, :, -1].copy()


def log_subset(options: Sequence[float], n: int) -> tuple[float, ...]:
    """``n`` values of a sorted, roughly log-spaced list of options, spread evenly over it.

    Parameters
    ----------
    options : sequence of float, increasing
        E.g. a slider's 1-2-5 steps per decade; a leading 0 counts as one more step.
    n : int, >= 1
        How many to take; all of them if ``n >= len(options)``.

    Returns
    -------
    tuple of float
        Always the first and the last option (for n >= 2), in increasing order, each an
        element of ``options`` (so a value chosen from the subset is offered by the list).

    Examples
    --------
    >>> log_subset((0.0, 1e-3, 1e-2, 0.1, 1.0), 3)
    (0.0, 0.01, 1.0)
    """
    options = tuple(float(v) for v in options)
    if not options:
        raise ValueError("options is empty")
    if any(b <= a for a, b in itertools.pairwise(options)):
        raise ValueError("options must be strictly increasing")
    n = check_int(n, "n", low=1)
    if n >= len(options):
        return options
    index = np.unique(np.round(np.linspace(0, len(options) - 1, int(n))).astype(int))
    return tuple(options[k] for k in index)


def sweep(
    X: ArrayLike,
    y: ArrayLike,
    learning_rates: ArrayLike,
    regs: ArrayLike,
    *,
    steps: int = 200,
    optimizer: str = "sgd",
    batch_size: int | None = None,
    momentum: float = 0.9,
    n_classes: int | None = None,
    X_val: ArrayLike | None = None,
    y_val: ArrayLike | None = None,
    W0: ArrayLike | None = None,
    b0: ArrayLike | None = None,
    init_scale: float = 1e-3,
    random_state=None,
    max_loss_ratio: float | None = 1e3,
    record_every: int | str = 1,
) -> SweepResult:
    """Train one model per (learning rate, reg) with a first-order optimizer, all at once.

    Parameters
    ----------
    X : array_like, shape (N, D)
        Training features (already mapped / standardized as the models should see them).
    y : array_like of int, shape (N,)
        Classes in ``[0, C)``.
    learning_rates : array_like, shape (n_lr,)
        Each finite and > 0.
    regs : array_like, shape (n_reg,)
        Each finite and >= 0.
    steps : int, >= 0
        Update steps T per model.
    optimizer : {"sgd", "momentum", "nesterov", "adam"}, default "sgd"
        As ``SoftmaxClassifier(optimizer=...)``; for "lbfgs" see
        :func:`regularization_path`.
    batch_size : int or None, default None
        None (or >= N): full-batch steps; else mini-batches of that size in the order
        ``SoftmaxClassifier(random_state=random_state)`` draws, the same in every cell.
    momentum : float in [0, 1), default 0.9
        Of "momentum" and "nesterov"; Adam's beta1.
    n_classes : int, optional
        C; default ``max(y) + 1`` (and of ``y_val``).
    X_val, y_val : array_like, optional
        Validation set, (M, D) and (M,), for the validation loss and accuracy.
    W0, b0 : array_like, shapes (D, C) and (C,), optional
        The common starting point. Default: the start of ``SoftmaxClassifier(init_scale=...,
        random_state=...)`` (:func:`initial_weights`). The random state is used for the
        mini-batch order either way, after the draw of the initial weights, as in
        ``SoftmaxClassifier``.
    init_scale : float, default 1e-3
    random_state : int, numpy Generator or None
    max_loss_ratio : float or None, default 1e3
        A model whose loss (on the training set, or on its mini-batch) exceeds
        ``max_loss_ratio · max(initial loss, 1)`` counts as diverged, like a non-finite
        loss; ``None`` flags non-finite losses only (the rule of ``SoftmaxClassifier``).
    record_every : int or "auto", default 1
        Record the curves every that many steps (and at step T). 1 records every step
        (``loss_curves[k]`` is step k, as callers of earlier versions expect); "auto"
        records at most :data:`MAX_AUTO_RECORDS` steps after step 0 (``ceil(T / 100)``),
        what a plane shipped to a browser wants, and with mini-batches it saves the
        full-set evaluation of the steps it does not record.

    Returns
    -------
    SweepResult
        Arrays indexed ``[i, j]`` for ``learning_rates[i]`` and ``regs[j]``.

    Notes
    -----
    Time grows as G · C · N_step · (D + 1) · T (N_step the batch size, or N), plus the
    recorded steps' full-set evaluations (K · G · C · (N + M) · (D + 1)) with mini-batches;
    memory as G · C · (N + D) for the buffers plus G · K · 6 curve values, independent of T
    apart from K. A server must cap T and N (the Playground allows 5000 steps and 2000
    samples) and G.

    Examples
    --------
    >>> from softmax_engine import make_dataset
    >>> data = make_dataset("blobs", n_samples=90, random_state=0)
    >>> result = sweep(data.X, data.y, [0.1, 1.0], [0.0, 0.1], steps=50, random_state=0)
    >>> result.shape, result.best_cell(), bool(result.diverged.any())
    ((2, 2), (1, 0), False)
    """
    X = check_matrix(X, "X")
    n, d = X.shape
    if n == 0:
        raise ValueError("X has no samples")
    y = check_labels(y, n, "y")
    lrs = check_vector(learning_rates, "learning_rates", positive=True)
    regs = check_vector(regs, "regs", positive=False)
    steps = check_int(steps, "steps", low=0)
    optimizer = check_choice(optimizer, "optimizer", OPTIMIZERS)
    momentum = check_real(momentum, "momentum", low=0.0, high=1.0)
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size", low=1)
    every = _record_stride(record_every, steps)
    X_val, y_val, C = _validation_and_classes(X_val, y_val, d, y, n_classes)
    if max_loss_ratio is not None:
        check_real(max_loss_ratio, "max_loss_ratio", low=1, include_low=False)

    n_lr, n_reg = len(lrs), len(regs)
    G = n_lr * n_reg
    lr_g = np.repeat(lrs, n_reg)  # model g = i * n_reg + j
    reg_g = np.tile(regs, n_lr)
    rng = check_random_state(random_state)
    theta = initial_theta(rng, d, C, init_scale=init_scale, n_models=G)  # draws as the classifier
    if W0 is not None or b0 is not None:
        theta[:] = _start(W0, b0, d, C)
    objective = BatchedObjective(X, y, C, reg_g)
    val_objective = BatchedObjective(X_val, y_val, C, 0.0) if X_val is not None else None
    schedule = Schedule(start=0, stop=steps, every=every)
    recorder = Recorder(schedule, theta, val_objective, snapshots=False)
    update = make_optimizer(optimizer, learning_rate=lr_g[:, None, None], momentum=momentum)
    batches = None
    if batch_size is not None and batch_size < n:
        batches = MiniBatches(X, y, C, reg_g, batch_size, rng)

    start = time.perf_counter()
    # One BLAS thread: the products are small, and on a 2-core server numpy's and scipy's
    # OpenBLAS pools otherwise spin against each other after any scipy call (10x slower).
    with one_blas_thread():
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            initial = float(BatchedObjective(X, y, C)(theta[:1], gradient=False)[0][0])
        limit = NO_LIMIT
        if max_loss_ratio is not None:
            limit = float(max_loss_ratio) * max(initial, 1.0)
        result = train(objective, theta, update, schedule, recorder, batches=batches,
                       limit=limit)
    seconds = time.perf_counter() - start
    return _result(
        recorder, result.final_step, result.diverged, lrs, regs, d, C, n,
        X_val.shape[0] if X_val is not None else 0,
        steps=steps, optimizer=optimizer, batch_size=batch_size if batches else None,
        momentum=momentum, initial_loss=initial, seconds=seconds,
    )


def regularization_path(
    X: ArrayLike,
    y: ArrayLike,
    regs: ArrayLike,
    *,
    max_iter: int = 200,
    tol: float = 0.0,
    n_classes: int | None = None,
    X_val: ArrayLike | None = None,
    y_val: ArrayLike | None = None,
    init_scale: float = 1e-3,
    random_state=None,
    record_every: int | str = "auto",
) -> SweepResult:
    """One L-BFGS model per regularization strength: the sweep L-BFGS allows.

    Each cell is ``SoftmaxClassifier(optimizer="lbfgs", reg=regs[j], max_iter=max_iter,
    tol=tol, init_scale=init_scale, random_state=random_state)`` itself, trained from the
    same start; L-BFGS solves to the optimum, so there is no learning rate and the result
    has one row.

    Parameters
    ----------
    X, y, n_classes, X_val, y_val, init_scale, random_state
        As for :func:`sweep`.
    regs : array_like, shape (n_reg,)
    max_iter : int, >= 0
        Iterations at most (T of the curves).
    tol : float, >= 0
        As ``SoftmaxClassifier(tol=...)``; 0 is a tight default.
    record_every : int or "auto"

    Returns
    -------
    SweepResult
        Shape (1, n_reg), ``learning_rates = [nan]``, ``optimizer = "lbfgs"``. A model that
        converged before a recorded step keeps its final values there.

    Examples
    --------
    >>> from softmax_engine import make_dataset
    >>> data = make_dataset("blobs", n_samples=90, random_state=0)
    >>> path = regularization_path(data.X, data.y, [1e-3, 1.0], max_iter=100)
    >>> path.shape, bool(path.train_loss[0, 0] < path.train_loss[0, 1])
    ((1, 2), True)
    """
    X = check_matrix(X, "X")
    n, d = X.shape
    y = check_labels(y, n, "y")
    regs = check_vector(regs, "regs", positive=False)
    max_iter = check_int(max_iter, "max_iter", low=0)
    every = _record_stride(record_every, max_iter)
    X_val, y_val, C = _validation_and_classes(X_val, y_val, d, y, n_classes)
    grid = Schedule(start=0, stop=max_iter, every=every).record_steps()
    n_reg, K = len(regs), len(grid)
    curves = {name: np.full((n_reg, K), np.nan) for name in _CURVES}
    final = {name: np.full(n_reg, np.nan) for name in _CURVES}
    W, dW = np.empty((n_reg, d, C)), np.empty((n_reg, d, C))
    b, db = np.empty((n_reg, C)), np.empty((n_reg, C))
    diverged = np.zeros(n_reg, dtype=bool)
    final_step = np.zeros(n_reg, dtype=np.int64)
    initial = math.nan
    start = time.perf_counter()
    for j, reg in enumerate(regs):
        clf = SoftmaxClassifier(
            optimizer="lbfgs", reg=float(reg), max_iter=max_iter, tol=tol,
            init_scale=init_scale, random_state=random_state, record_every=every,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DivergenceWarning)
            clf.partial_fit(X, y, classes=np.arange(C), X_val=X_val, y_val=y_val)
        h = clf.history_
        if j == 0:
            initial = float(h.data_loss[0])
        position = np.searchsorted(h.step, grid)  # the record at each grid step, if any
        at = np.minimum(position, len(h.step) - 1)
        reached = grid <= h.step[-1]
        for name in _CURVES:
            values = getattr(h, name)
            curves[name][j] = np.where(reached, values[at], np.nan if clf.diverged_ else values[-1])
            final[name][j] = values[-1]
        W[j], b[j], dW[j], db[j] = h.W[-1], h.b[-1], h.dW[-1], h.db[-1]
        diverged[j], final_step[j] = clf.diverged_, h.step[-1]
    seconds = time.perf_counter() - start

    def row(a):
        return a.reshape(1, *a.shape)

    return SweepResult(
        learning_rates=np.array([np.nan]), regs=regs, steps=max_iter, optimizer="lbfgs",
        batch_size=None, momentum=math.nan, record_steps=grid,
        **{f"{name}_curve": row(curves[name]) for name in _CURVES},
        train_loss=row(final["loss"]),
        **{name: row(final[name]) for name in _CURVES if name != "loss"},
        W=row(W), b=row(b), dW=row(dW), db=row(db), diverged=row(diverged),
        final_step=row(final_step), initial_loss=initial, seconds=seconds,
    )


def chaotic_cells(
    X: ArrayLike, y: ArrayLike, learning_rates: ArrayLike, regs: ArrayLike, *,
    rtol: float = 1e-12, **sweep_kwargs,
) -> np.ndarray:
    """The cells whose training amplifies a last-bit change past ``rtol``.

    Runs :func:`sweep` as asked and with the start and the features changed in their
    last bit, ``W0 · (1 ± 2**-52)`` and ``X · (1 ± 2**-52)`` (the same mini-batch order),
    and compares the final loss and weights of every cell that did not diverge. The
    change of X reaches every step, as rounding does (Adam's first step, about
    ``lr · sign(g)``, would erase a change of W0 alone). With the default
    ``rtol = 1e-12`` a cell that is not chaotic amplifies rounding differences less than
    ~10^4-fold, so the differences of every step (a batched product and a single one
    round differently) stay far below 1e-10.

    Parameters
    ----------
    X, y, learning_rates, regs
        As for :func:`sweep`.
    rtol : float
        Relative distance that makes a cell chaotic.
    **sweep_kwargs
        Passed to :func:`sweep` (``steps``, ``optimizer``, ``batch_size``, ...).

    Returns
    -------
    ndarray of bool, shape (n_lr, n_reg)
        True where a perturbed run ends more than ``rtol`` away (diverged cells: False).

    Examples
    --------
    >>> from softmax_engine import make_dataset
    >>> data = make_dataset("blobs", n_samples=90, random_state=0)
    >>> chaotic_cells(data.X, data.y, [0.1, 1.0], [0.0], steps=50, random_state=0).tolist()
    [[False], [False]]
    """
    kwargs = dict(sweep_kwargs)
    W0, b0 = kwargs.pop("W0", None), kwargs.pop("b0", None)
    X = check_matrix(X, "X")
    if W0 is None:
        C = kwargs.get("n_classes") or int(np.max(y)) + 1
        W0, b0 = initial_weights(
            X.shape[1], C, init_scale=kwargs.get("init_scale", 1e-3),
            random_state=kwargs.get("random_state"),
        )
    W0 = np.asarray(W0, dtype=np.float64)
    base = sweep(X, y, learning_rates, regs, W0=W0, b0=b0, **kwargs)
    chaotic = np.zeros(base.shape, dtype=bool)
    for factor in (1 + 2.0**-52, 1 - 2.0**-52):
        other = sweep(X * factor, y, learning_rates, regs, W0=W0 * factor, b0=b0, **kwargs)
        ok = ~(base.diverged | other.diverged)
        loss_scale = np.maximum(np.abs(base.train_loss), 1e-300)
        W_scale = np.maximum(np.abs(base.W).max(axis=(2, 3)), 1e-300)
        far = (np.abs(base.train_loss - other.train_loss) > rtol * loss_scale) | (
            np.abs(base.W - other.W).max(axis=(2, 3)) > rtol * W_scale
        )
        chaotic |= ok & far
    return chaotic


# ----------------------------------------------------------------------------- helpers


def _record_stride(record_every, steps):
    if record_every == "auto":
        return max(1, math.ceil(steps / MAX_AUTO_RECORDS))
    return check_int(record_every, "record_every", low=1, also=' or "auto"')


def _result(recorder, final_step, diverged, lrs, regs, d, C, n, m, **fields):
    """A SweepResult from a finished Recorder of G = n_lr · n_reg models."""
    n_lr, n_reg = len(lrs), len(regs)

    def grid(a):  # (G, ...) -> (n_lr, n_reg, ...)
        return np.ascontiguousarray(a).reshape(n_lr, n_reg, *a.shape[1:])

    def curve(name, count=1):  # (K, G) -> (n_lr, n_reg, K), non-finite values as NaN
        a = getattr(recorder, name)
        setattr(recorder, name, None)  # free it: the plane holds one copy of each curve
        a = np.where(np.isfinite(a), a / count, np.nan)
        return grid(a.T)

    theta, grad = recorder.final_theta, recorder.final_grad
    return SweepResult(
        learning_rates=lrs, regs=regs, record_steps=recorder.steps.copy(),
        loss_curve=curve("loss"),
        data_loss_curve=curve("data_loss"),
        reg_loss_curve=curve("reg_loss"),
        train_accuracy_curve=curve("n_correct", n),
        val_loss_curve=curve("val_loss"),
        val_accuracy_curve=curve("val_correct", max(m, 1)),
        train_loss=grid(recorder.final_loss),
        data_loss=grid(recorder.final_data_loss),
        reg_loss=grid(recorder.final_reg_loss),
        train_accuracy=grid(recorder.final_n_correct / n),
        val_loss=grid(recorder.final_val_loss),
        val_accuracy=grid(recorder.final_val_correct / max(m, 1)),
        W=grid(theta[:, :, :d].transpose(0, 2, 1)),
        b=grid(theta[:, :, d]),
        dW=grid(grad[:, :, :d].transpose(0, 2, 1)),
        db=grid(grad[:, :, d]),
        diverged=grid(diverged),
        final_step=grid(final_step),
        **fields,
    )


def _validation_and_classes(X_val, y_val, d, y, n_classes):
    """Checked (X_val, y_val) (None without a non-empty set) and the class count C."""
    if X_val is not None or y_val is not None:
        if X_val is None or y_val is None:
            raise ValueError("pass both X_val and y_val, or neither")
        X_val = check_matrix(X_val, "X_val")
        if X_val.shape[1] != d:
            raise ValueError(f"X_val has {X_val.shape[1]} features, but X has {d}")
        y_val = check_labels(y_val, X_val.shape[0], "y_val")
        if X_val.shape[0] == 0:
            X_val = y_val = None
    if n_classes is None:
        n_classes = int(max(y.max(), y_val.max() if y_val is not None else 0)) + 1
    C = check_int(n_classes, "n_classes", low=1)
    if y.max() >= C or (y_val is not None and y_val.max() >= C):
        raise ValueError(f"labels must lie in [0, {C}) for n_classes={C}")
    return X_val, y_val, C


def _start(W0, b0, d, C):
    """The explicit common start as class-major (C, D + 1)."""
    if W0 is None or b0 is None:
        raise ValueError("pass both W0 and b0, or neither")
    W0 = np.asarray(W0, dtype=np.float64)
    b0 = np.asarray(b0, dtype=np.float64)
    if W0.shape != (d, C) or b0.shape != (C,):
        raise ValueError(f"W0 must be ({d}, {C}) and b0 ({C},); got {W0.shape} and {b0.shape}")
    if not (np.isfinite(W0).all() and np.isfinite(b0).all()):
        raise ValueError("W0 and b0 must be finite")
    return np.hstack([W0.T, b0[:, None]])
