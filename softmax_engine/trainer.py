"""The engine's training loops: one first-order loop for G models at once, and L-BFGS.

``SoftmaxClassifier`` trains one model through it (G = 1) and ``sweep`` a whole
learning-rate × regularization grid (G = n_lr · n_reg): the same step code, the same
objective (:class:`~softmax_engine.objective.BatchedObjective`), the same update rules
(``optim.py``, with one learning rate per model), the same mini-batch order, so a cell of
a sweep is the model ``SoftmaxClassifier`` trains with those hyperparameters.

One *step* is one parameter update: on the whole training set (full batch) or on the next
mini-batch. Step ``k`` is the state after ``k`` updates.

Divergence: a model whose loss is not ``<= limit`` (non-finite, or past a bound the
caller sets) stops at its last good state: the one before the step that blew up (a loss
that is already bad at the start keeps the start). A stopped model is *frozen*: its
gradient is zeroed and its optimizer state forgotten, so every rule moves it by exactly 0
while the others go on; the loop ends when every model has stopped or at the last step.
"""

from __future__ import annotations

import math
import warnings
from types import SimpleNamespace
from typing import NamedTuple

import numpy as np
from scipy.optimize import minimize
from sklearn.exceptions import ConvergenceWarning

from ._threads import one_blas_thread
from .objective import BatchedObjective
from .optim import Optimizer

__all__ = [
    "NO_LIMIT",
    "MiniBatches",
    "Recorder",
    "Schedule",
    "TrainResult",
    "grad_norms",
    "initial_theta",
    "train",
    "train_lbfgs",
]

#: ``limit`` that flags non-finite losses only (a loss is never negative).
NO_LIMIT = float(np.finfo(np.float64).max)

# L-BFGS stopping rules when ``tol == 0``. ftol is scikit-learn's choice (stop only when
# a step no longer changes the loss at machine precision); gtol bounds the largest
# gradient entry, which puts the loss within ~1e-10 relative of the optimum in float64.
_LBFGS_FTOL = 64 * np.finfo(np.float64).eps
_LBFGS_GTOL = {np.dtype(np.float64): 1e-8, np.dtype(np.float32): 1e-5}


class _NonFiniteLoss(Exception):
    """Raised inside the L-BFGS objective to leave scipy's loop at once."""


class Schedule(NamedTuple):
    """Which steps one training call makes and records.

    Attributes
    ----------
    start : int
        Step number of the current weights.
    stop : int
        The last step to reach.
    every : int
        Record the steps that are multiples of this, and ``stop``.
    skip : int
        A step not to record again (``start`` when continuing, else -1).
    tol : float
        Stop a model once the norm of its full gradient is <= tol (0: never).

    Examples
    --------
    >>> Schedule(start=0, stop=10, every=4, skip=-1, tol=0.0).record_steps().tolist()
    [0, 4, 8, 10]
    >>> Schedule(start=8, stop=10, every=4, skip=8, tol=0.0).record_steps().tolist()
    [10]
    """

    start: int
    stop: int
    every: int
    skip: int = -1
    tol: float = 0.0

    def first_record(self) -> int:
        """The first step to record (-1 if none): the start, or the next grid point."""
        if self.start != self.skip:
            return self.start
        if self.stop == self.start:
            return -1
        return self.next_record(self.start)

    def next_record(self, k: int) -> int:
        """The recorded step after step k (-1 after the last)."""
        if k >= self.stop:
            return -1
        return min(k - k % self.every + self.every, self.stop)

    def record_steps(self) -> np.ndarray:
        """Every step this schedule records, in order."""
        steps, k = [], self.first_record()
        while k >= 0:
            steps.append(k)
            k = self.next_record(k)
        return np.array(steps, dtype=np.int64)


def initial_theta(
    rng: np.random.Generator,
    n_features: int,
    n_classes: int,
    *,
    init_scale: float = 1e-3,
    n_models: int = 1,
    dtype=np.float64,
) -> np.ndarray:
    """The common starting point: ``W = init_scale · N(0, 1)`` drawn from ``rng``, b = 0.

    Parameters
    ----------
    rng : numpy Generator
        Advanced by one draw of D · C normals (then the mini-batch order follows).
    n_features, n_classes : int
    init_scale : float
    n_models : int
        G copies of the same start.
    dtype : float64 or float32

    Returns
    -------
    theta : ndarray, shape (G, C, D + 1)
        Class-major: ``theta[g, :, :D] = W.T``, ``theta[g, :, D] = b``.

    Examples
    --------
    >>> theta = initial_theta(np.random.default_rng(0), 2, 3, n_models=4)
    >>> theta.shape, bool((theta == theta[0]).all()), theta[0, :, 2].tolist()
    ((4, 3, 3), True, [0.0, 0.0, 0.0])
    """
    W = init_scale * rng.standard_normal((int(n_features), int(n_classes)))
    theta = np.zeros((int(n_models), int(n_classes), int(n_features) + 1), dtype=dtype)
    theta[:, :, :n_features] = W.T
    return theta


class MiniBatches:
    """Mini-batch objectives, forever: consecutive blocks of a permutation of the data,
    reshuffled (``rng.permutation(N)``) at the start of every epoch; the last batch of an
    epoch may be smaller.

    Each epoch shuffles the data once into one :class:`BatchedObjective`; a batch is a
    block of consecutive rows of it (``BatchedObjective.rows``), so batches copy nothing.

    Parameters
    ----------
    X, y, n_classes, reg
        As for :class:`BatchedObjective`.
    batch_size : int, >= 1
    rng : numpy Generator
        Draws the permutations.
    state : (order, position) or None
        Where a previous call left its epoch (``MiniBatches.state``); None starts anew.

    Examples
    --------
    >>> X, y = np.arange(10.0).reshape(5, 2), np.array([0, 1, 0, 1, 0])
    >>> batches = MiniBatches(X, y, 2, 0.0, 2, np.random.default_rng(0))
    >>> [next(batches).n_samples for _ in range(4)]  # 2 + 2 + 1, then a new epoch
    [2, 2, 1, 2]
    """

    def __init__(
        self,
        X: np.ndarray,
        y: np.ndarray,
        n_classes: int,
        reg,
        batch_size: int,
        rng: np.random.Generator,
        state: tuple | None = None,
    ):
        self.X, self.y, self.n_classes, self.reg = X, y, n_classes, reg
        self.batch_size, self.rng = int(batch_size), rng
        n = len(X)
        order, pos = state if state is not None else (None, n)
        if order is None or len(order) != n:
            order, pos = None, n
        self.order, self.pos = order, pos
        self._pool = None
        self._shuffled = self._objective() if pos < n else None  # resume an epoch

    def _objective(self):
        o = self.order
        objective = BatchedObjective(self.X[o], self.y[o], self.n_classes, self.reg)
        if self._pool is None:
            self._pool = objective.buffer_pool
        objective.buffer_pool = self._pool  # every epoch's batches reuse the same buffers
        return objective

    def __iter__(self):
        return self

    def __next__(self) -> BatchedObjective:
        n = len(self.X)
        if self.pos >= n:  # a new epoch: reshuffle
            self.order, self.pos = self.rng.permutation(n), 0
            self._shuffled = self._objective()
        stop = min(self.pos + self.batch_size, n)
        batch = self._shuffled.rows(self.pos, stop)
        self.pos = stop
        return batch

    @property
    def state(self):
        """``(order, position)`` of the current epoch, to continue it later."""
        return self.order, self.pos


class Recorder:
    """The recorded steps of one training call, in preallocated arrays.

    Row r holds step ``steps[r]`` of every model; a model that had stopped before that
    step has NaN there. A model that goes bad at a recorded step keeps that step's values
    there (they may be non-finite). After training, ``final_*`` hold every model's values
    at its kept state, whatever the grid.

    Parameters
    ----------
    schedule : Schedule
    theta : ndarray, shape (G, C, D + 1)
    val_objective : BatchedObjective or None
        Validation data (reg 0): its loss and accuracy are recorded too.
    snapshots : bool
        Also keep theta and the gradient at every recorded step (K, G, C, D + 1).

    Attributes
    ----------
    steps : ndarray of int, shape (K,)
    loss, data_loss, reg_loss, n_correct, val_loss, val_correct : ndarray, shape (K, G)
        float64; the validation columns are NaN without a validation set.
    thetas, grads : ndarray, shape (K, G, C, D + 1), or None without snapshots
    final_theta, final_grad : ndarray, shape (G, C, D + 1)
    final_loss, final_data_loss, final_reg_loss, final_n_correct, final_val_loss, \
final_val_correct : ndarray, shape (G,)

    Examples
    --------
    >>> from softmax_engine.optim import make_optimizer
    >>> objective = BatchedObjective(np.array([[0.0], [1.0]]), np.array([0, 1]), 2)
    >>> theta, schedule = np.zeros((1, 2, 2)), Schedule(start=0, stop=4, every=2)
    >>> recorder = Recorder(schedule, theta, None, snapshots=False)
    >>> sgd = make_optimizer("sgd", learning_rate=0.5)
    >>> result = train(objective, theta, sgd, schedule, recorder)
    >>> recorder.steps.tolist(), recorder.loss[:, 0].round(4).tolist()
    ([0, 2, 4], [0.6931, 0.5879, 0.5136])
    """

    #: The per-step columns, each (K, G) float64.
    COLUMNS = ("loss", "data_loss", "reg_loss", "n_correct", "val_loss", "val_correct")

    def __init__(
        self,
        schedule: Schedule,
        theta: np.ndarray,
        val_objective: BatchedObjective | None,
        *,
        snapshots: bool,
    ):
        K = len(schedule.record_steps())
        G = theta.shape[0]
        self.val_objective = val_objective
        self.steps = np.empty(K, dtype=np.int64)
        self.n_rows = 0
        for name in self.COLUMNS:
            setattr(self, name, np.full((K, G), np.nan))
        self.thetas = np.empty((K, *theta.shape), dtype=theta.dtype) if snapshots else None
        self.grads = np.empty_like(self.thetas) if snapshots else None

    def add(self, k, theta, grad, loss, objective, active):
        """Record step k: theta, its gradient and loss, the objective's parts (evaluated at
        theta with ``count_correct=True``); models not ``active`` get NaN."""
        r = self.n_rows
        self.n_rows += 1
        self.steps[r] = k
        columns = [loss, objective.data_loss, objective.reg_loss, objective.n_correct]
        if self.val_objective is not None:
            val = self.val_objective
            val(theta, count_correct=True, gradient=False)
            columns += [val.data_loss, val.n_correct]
        every = active.all()
        for name, value in zip(self.COLUMNS, columns, strict=False):
            row = getattr(self, name)[r]
            if every:
                row[:] = value
            else:
                row[active] = value[active]
        if self.thetas is not None:
            self.thetas[r] = theta
            self.grads[r] = grad

    def finish(self, theta, grad, objective, *, fresh):
        """Trim the rows to those filled and keep every model's final values at its kept
        state ``theta``. ``fresh``: the last recorded row was evaluated at this very theta,
        with ``grad`` its gradient, so nothing needs recomputing."""
        K = self.n_rows
        self.steps = self.steps[:K]
        for name in self.COLUMNS:
            setattr(self, name, getattr(self, name)[:K])
        if self.thetas is not None:
            self.thetas, self.grads = self.thetas[:K], self.grads[:K]
        if not fresh:
            _, grad = objective(theta, count_correct=True)
        G = theta.shape[0]
        self.final_theta = theta.copy()
        self.final_grad = grad.copy()
        self.final_data_loss = np.array(objective.data_loss, dtype=np.float64)
        self.final_reg_loss = np.array(objective.reg_loss, dtype=np.float64)
        self.final_loss = self.final_data_loss + self.final_reg_loss
        self.final_n_correct = np.array(objective.n_correct, dtype=np.float64)
        self.final_val_loss = self.final_val_correct = np.full(G, np.nan)
        if self.val_objective is not None:
            val = self.val_objective
            if not fresh:
                val(theta, count_correct=True, gradient=False)
            self.final_val_loss = np.array(val.data_loss, dtype=np.float64)
            self.final_val_correct = np.array(val.n_correct, dtype=np.float64)


class TrainResult(NamedTuple):
    """What :func:`train` returns: per model (G,) arrays, and the loop's last step."""

    final_step: np.ndarray
    diverged: np.ndarray
    last_step: int


def train(
    objective: BatchedObjective,
    theta: np.ndarray,
    optimizer: Optimizer,
    schedule: Schedule,
    recorder: Recorder,
    *,
    batches: MiniBatches | None = None,
    limit: float = NO_LIMIT,
) -> TrainResult:
    """Train G models from ``theta`` (updated in place) by first-order steps.

    Parameters
    ----------
    objective : BatchedObjective
        The full training set; its losses and gradients are recorded, and with
        ``batches=None`` it also gives every step's gradient.
    theta : ndarray, shape (G, C, D + 1)
    optimizer : Optimizer
        Its ``step(theta, grad)`` updates all G models (one learning rate per model is an
        array of shape (G, 1, 1)).
    schedule : Schedule
    recorder : Recorder
        Filled at the schedule's steps; its ``finish`` is called at the end.
    batches : MiniBatches or None
        Mini-batch objectives for the steps (None: full batch).
    limit : float
        A model whose loss (full, or of its mini-batch) is not ``<= limit`` stops at its
        last good state. :data:`NO_LIMIT` stops at non-finite losses only.

    Returns
    -------
    TrainResult
        ``final_step`` (G,): the step of each model's kept state; ``diverged`` (G,);
        ``last_step``: where the loop stopped.

    Notes
    -----
    Per full-batch step the loop does only what it must: one objective call, one test of
    the G losses, a copy of theta (to fall back on) and the update. A loss ``<= limit``
    proves the weights finite: an inf or nan weight makes a score, and so the loss,
    non-finite.

    Examples
    --------
    >>> from softmax_engine.optim import make_optimizer
    >>> objective = BatchedObjective(np.array([[0.0], [1.0]]), np.array([0, 1]), 2)
    >>> theta, schedule = np.zeros((2, 2, 2)), Schedule(start=0, stop=100, every=100)
    >>> recorder = Recorder(schedule, theta, None, snapshots=False)
    >>> lrs = np.array([0.5, 1e308])[:, None, None]  # the second model blows up
    >>> result = train(objective, theta, make_optimizer("sgd", learning_rate=lrs),
    ...                schedule, recorder)
    >>> result.final_step.tolist(), result.diverged.tolist()
    ([100, 0], [False, True])
    """
    G = theta.shape[0]
    start, stop, _, _, tol = schedule
    active = np.ones(G, dtype=bool)
    diverged = np.zeros(G, dtype=bool)
    final = np.full(G, stop, dtype=np.int64)
    previous = np.empty_like(theta)
    frozen = False  # some model has stopped
    fresh = False  # the last recorded row was evaluated at the current theta
    grad = None  # the full gradient at the last full evaluation
    k = start
    next_record = schedule.first_record()

    def ok(loss):
        """Every model that is still training has a loss <= limit (a quick test first)."""
        if (loss[0] <= limit) if G == 1 else (loss <= limit).all():
            return True
        return not (~(loss <= limit) & active).any()

    def halt(models, *, bad):
        """Stop ``models`` at step k (bad: back to the previous state); True if any remain."""
        nonlocal frozen, fresh
        if not models.any():
            return True
        if bad:
            if k > start:  # back to the state before the step that blew up
                theta[models] = previous[models]
                final[models] = k - 1
                fresh = False
            else:  # the start itself: keep it (nothing better exists)
                final[models] = k
            diverged[models] = True
        else:
            final[models] = k
        active[models] = False
        frozen = True
        if active.any():
            optimizer.reset_cells(models)
            return True
        return False

    def run():
        nonlocal k, grad, next_record, fresh, frozen
        while True:
            if batches is None or k == next_record:
                record = k == next_record
                loss, grad = objective(theta, count_correct=record)
                if record:
                    recorder.add(k, theta, grad, loss, objective, active)
                    next_record = schedule.next_record(k)
                    fresh = True
                if not ok(loss) and not halt(~(loss <= limit) & active, bad=True):
                    break
                if tol:
                    done = active & (grad_norms(grad) <= tol)
                    if done.any() and not halt(done, bad=False):
                        break
            if k == stop:
                break
            step_grad = grad
            if batches is not None:
                loss, step_grad = next(batches)(theta)
                if not ok(loss) and not halt(~(loss <= limit) & active, bad=True):
                    break
            if frozen:
                step_grad[~active] = 0.0
            previous[...] = theta
            optimizer.step(theta, step_grad)
            fresh = False
            k += 1

    # overflow on the way to a divergence is expected and handled: no RuntimeWarnings
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        run()
        recorder.finish(theta, grad, objective, fresh=fresh)
    return TrainResult(final, diverged, k)


def train_lbfgs(
    objective: BatchedObjective, theta: np.ndarray, schedule: Schedule, recorder: Recorder
) -> tuple[int, bool]:
    """Full-batch L-BFGS-B (``scipy.optimize.minimize``) for one model, to the optimum.

    theta (1, C, D + 1) is updated in place; one step is one L-BFGS iteration. The
    recorder gets the schedule's grid steps that L-BFGS reaches and, through ``finish``,
    the final iterate. A non-finite loss stops it at the last accepted iterate. With
    ``schedule.tol == 0`` the gradient tolerance is tight (1e-8 on the largest entry in
    float64, 1e-5 in float32); if ``schedule.stop`` comes first a ``ConvergenceWarning``
    says so.

    Returns
    -------
    final_step : int
    diverged : bool

    Examples
    --------
    >>> objective = BatchedObjective(np.array([[0.0], [1.0]]), np.array([0, 1]), 2, 0.1)
    >>> theta, schedule = np.zeros((1, 2, 2)), Schedule(start=0, stop=50, every=50)
    >>> recorder = Recorder(schedule, theta, None, snapshots=False)
    >>> final, diverged = train_lbfgs(objective, theta, schedule, recorder)
    >>> diverged, bool(recorder.final_loss[0] < recorder.loss[0, 0])
    (False, True)
    """
    start, stop, every, skip, tol = schedule
    shape, dtype = theta.shape, theta.dtype
    everyone = np.ones(1, dtype=bool)
    last = SimpleNamespace(x=None)  # the latest evaluation, reused when it is an iterate

    def fun(x):
        th = x.reshape(shape).astype(dtype, copy=False)
        loss, grad = objective(th, count_correct=True)
        if not math.isfinite(loss[0]):
            raise _NonFiniteLoss
        last.x, last.th, last.loss, last.grad = x.copy(), th, loss, grad
        return float(loss[0]), grad.astype(np.float64).ravel()

    def record(k, x):
        if last.x is None or not np.array_equal(last.x, x):
            fun(x)  # the objective's buffers and parts are then those of x
        recorder.add(k, last.th, last.grad, last.loss, objective, everyone)

    accepted = theta.astype(np.float64).ravel()
    k = start

    def callback(intermediate_result):
        nonlocal k
        k += 1
        accepted[:] = intermediate_result.x
        if k % every == 0 and k != stop:
            record(k, accepted)

    gtol = tol if tol > 0 else _LBFGS_GTOL[dtype]
    diverged = False
    status = 0
    # numpy's and scipy's OpenBLAS each run their own thread pool; a loop that alternates
    # between them makes the idle pools spin against each other (20-40x slower on 2 cores).
    with one_blas_thread():
        try:
            if start != skip:
                record(start, accepted)
            if stop > start:
                result = minimize(
                    fun,
                    accepted.copy(),
                    jac=True,
                    method="L-BFGS-B",
                    callback=callback,
                    options={
                        "maxiter": stop - start,
                        "gtol": gtol,
                        "ftol": _LBFGS_FTOL,
                        "maxls": 50,
                    },
                )
                status = result.status
                # scipy returns the last accepted iterate, which the callback saw; should
                # it ever end elsewhere, that point is one more (final) step
                if not np.array_equal(result.x, accepted) and np.all(np.isfinite(result.x)):
                    k += 1
                    accepted[:] = result.x
        except _NonFiniteLoss:
            diverged = True  # k is the last accepted iterate (or the start, as it is)
        theta[...] = accepted.reshape(shape)
        recorder.finish(theta, None, objective, fresh=False)
    if status == 1 and not diverged:
        warnings.warn(
            f"L-BFGS stopped at max_iter={stop - start} before reaching the optimum "
            "(gradient tolerance not met); increase max_iter.",
            ConvergenceWarning,
            stacklevel=4,
        )
    return k, diverged


def grad_norms(grad: np.ndarray) -> np.ndarray:
    """Euclidean norm of each model's gradient (dW and db together), shape (G,).

    Examples
    --------
    >>> grad_norms(np.full((2, 1, 4), 0.5)).tolist()
    [1.0, 1.0]
    """
    g = grad.reshape(len(grad), -1)
    return np.sqrt(np.einsum("gi,gi->g", g, g))
