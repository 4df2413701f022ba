"""A learning-rate × regularization sweep, trained as one batched computation.

Every cell of the grid is the same softmax model trained by full-batch gradient descent
from the same initial weights, with its own learning rate and regularization strength.
Instead of a Python loop over G = n_lr · n_reg models, all G parameter arrays live in one
tensor ``Theta`` of shape (G, C, D + 1) (class-major: W transposed with the bias as its
last column), and each step is

    S    = Theta @ [X, 1]^T                  (G, C, N)   one matrix product for all models
    q    = softmax over the class axis       (G, C, N)
    loss = mean_i -log q_{y_i} + reg_g ||W_g||^2          (G,)
    grad = (q - onehot(y)) @ [X, 1] / N + 2 reg_g [W_g, 0]   (G, C, D + 1)
    Theta -= lr_g * grad

which is exactly what ``SoftmaxClassifier(optimizer="sgd", batch_size=None)`` does for
one model (the tests check each cell against it to 1e-10).

A model *diverges* when its loss becomes non-finite or grows past ``max_loss_ratio``
times its initial loss. From then on it is frozen at its last good state (the one before
the step that blew up, as ``SoftmaxClassifier`` keeps its last finite weights), its cell
is flagged in ``diverged`` and its final values are those of that state.

Numpy only: usable from a notebook, no streamlit or plotly.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._threads import one_blas_thread
from ._validation import check_int, check_real

__all__ = ["SweepResult", "initial_weights", "log_subset", "sweep"]


@dataclass(frozen=True, eq=False)
class SweepResult:
    """What a sweep found; every (n_lr, n_reg) array has one cell per (learning rate, reg).

    Attributes
    ----------
    learning_rates : ndarray, shape (n_lr,)
    regs : ndarray, shape (n_reg,)
    steps : int
        Gradient steps asked for (T).
    train_loss : ndarray, shape (n_lr, n_reg)
        Training objective (mean cross-entropy + reg·‖W‖²) of the final state: after T
        steps, or the last good state of a diverged model.
    train_accuracy : ndarray, shape (n_lr, n_reg)
    val_loss, val_accuracy : ndarray, shape (n_lr, n_reg)
        Mean cross-entropy (no regularization) and accuracy on the validation set; NaN
        without one.
    diverged : ndarray of bool, shape (n_lr, n_reg)
    final_step : ndarray of int, shape (n_lr, n_reg)
        The step of the final state: T, or the last good step of a diverged model.
    loss_curves : ndarray, shape (T + 1, n_lr, n_reg)
        Training objective at every step 0..T; NaN after a model diverged (the value of
        the step that blew up is kept when it is finite, so a blow-up is visible).
    W : ndarray, shape (n_lr, n_reg, D, C)
    b : ndarray, shape (n_lr, n_reg, C)
        Final weights and biases.
    initial_loss : float
        The objective at the common starting point without regularization (the data
        loss), ~log C for small initial weights.
    seconds : float
        Wall-clock time of the training loop.
    """

    learning_rates: np.ndarray
    regs: np.ndarray
    steps: int
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    val_loss: np.ndarray
    val_accuracy: np.ndarray
    diverged: np.ndarray
    final_step: np.ndarray
    loss_curves: np.ndarray
    W: np.ndarray
    b: np.ndarray
    initial_loss: float
    seconds: float

    @property
    def shape(self):
        """``(n_lr, n_reg)``."""
        return self.train_loss.shape

    def best_cell(self):
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
    rng = np.random.default_rng(random_state)
    W = float(init_scale) * rng.standard_normal((int(n_features), int(n_classes)))
    return W, np.zeros(int(n_classes))


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
    X,
    y,
    learning_rates,
    regs,
    *,
    steps=200,
    n_classes=None,
    X_val=None,
    y_val=None,
    W0=None,
    b0=None,
    init_scale=1e-3,
    random_state=None,
    max_loss_ratio=1e3,
):
    """Train one model per (learning rate, reg) by full-batch gradient descent, all at once.

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
        Gradient steps T per model.
    n_classes : int, optional
        C; default ``max(y) + 1`` (and of ``y_val``).
    X_val, y_val : array_like, optional
        Validation set, (M, D) and (M,), for ``val_loss`` and ``val_accuracy``.
    W0, b0 : array_like, shapes (D, C) and (C,), optional
        The common starting point. Default :func:`initial_weights` with ``init_scale``
        and ``random_state``, the start of ``SoftmaxClassifier(init_scale=...,
        random_state=...)``.
    init_scale : float, default 1e-3
    random_state : int, numpy Generator or None
    max_loss_ratio : float or None, default 1e3
        A model whose loss exceeds ``max_loss_ratio · max(initial loss, 1)`` counts as
        diverged, like a non-finite loss; ``None`` flags non-finite losses only (the
        rule of ``SoftmaxClassifier``).

    Returns
    -------
    SweepResult
        Arrays indexed ``[i, j]`` for ``learning_rates[i]`` and ``regs[j]``.

    Examples
    --------
    >>> from softmax_engine import make_dataset
    >>> data = make_dataset("blobs", n_samples=90, random_state=0)
    >>> result = sweep(data.X, data.y, [0.1, 1.0], [0.0, 0.1], steps=50, random_state=0)
    >>> result.shape, result.best_cell(), bool(result.diverged.any())
    ((2, 2), (1, 0), False)
    """
    X = _float_matrix(X, "X")
    n, d = X.shape
    if n == 0:
        raise ValueError("X has no samples")
    y = _labels(y, n, "y")
    lrs = _vector(learning_rates, "learning_rates", positive=True)
    regs = _vector(regs, "regs", positive=False)
    steps = check_int(steps, "steps", low=0)
    has_val = X_val is not None or y_val is not None
    if has_val:
        if X_val is None or y_val is None:
            raise ValueError("pass both X_val and y_val, or neither")
        X_val = _float_matrix(X_val, "X_val")
        if X_val.shape[1] != d:
            raise ValueError(f"X_val has {X_val.shape[1]} features, but X has {d}")
        y_val = _labels(y_val, X_val.shape[0], "y_val")
        has_val = X_val.shape[0] > 0
    if n_classes is None:
        n_classes = int(max(y.max(), y_val.max() if has_val else 0)) + 1
    C = int(n_classes)
    if C < 1 or y.max() >= C or (has_val and y_val.max() >= C):
        raise ValueError(f"labels must lie in [0, {C}) for n_classes={C}")
    if W0 is None and b0 is None:
        W0, b0 = initial_weights(d, C, init_scale=init_scale, random_state=random_state)
    elif W0 is None or b0 is None:
        raise ValueError("pass both W0 and b0, or neither")
    W0 = np.asarray(W0, dtype=np.float64)
    b0 = np.asarray(b0, dtype=np.float64)
    if W0.shape != (d, C) or b0.shape != (C,):
        raise ValueError(f"W0 must be ({d}, {C}) and b0 ({C},); got {W0.shape} and {b0.shape}")
    if not (np.isfinite(W0).all() and np.isfinite(b0).all()):
        raise ValueError("W0 and b0 must be finite")
    if max_loss_ratio is not None:
        check_real(max_loss_ratio, "max_loss_ratio", low=1, include_low=False)

    n_lr, n_reg = len(lrs), len(regs)
    G = n_lr * n_reg
    lr_g = np.repeat(lrs, n_reg)  # model g = i * n_reg + j
    reg_g = np.tile(regs, n_lr)
    X1 = np.empty((n, d + 1))
    X1[:, :d] = X
    X1[:, d] = 1.0
    X1T = np.ascontiguousarray(X1.T)
    onehot = np.zeros((C, n))
    onehot[y, np.arange(n)] = 1.0
    theta = np.empty((G, C, d + 1))  # class-major: theta[g] = [W_g^T, b_g]
    theta[:, :, :d] = W0.T
    theta[:, :, d] = b0
    # Buffers reused by every step: the loop allocates nothing of size G·C·N.
    S = np.empty((G, C, n))
    shift = np.empty((G, n))
    totals = np.empty((G, n))
    grad = np.empty((G, C, d + 1))
    previous = np.empty_like(theta)
    curves = np.full((steps + 1, G), np.nan)
    active = np.ones(G, dtype=bool)
    final_step = np.full(G, steps, dtype=np.int64)
    step_size = lr_g.copy()  # zeroed for frozen models
    limit = math.inf

    start = time.perf_counter()
    # One BLAS thread: the products are small, and on a 2-core server numpy's and scipy's
    # OpenBLAS pools otherwise spin against each other after any scipy call (10x slower).
    with one_blas_thread(), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for k in range(steps + 1):
            loss = _loss_and_grad(theta, X1, X1T, onehot, reg_g, S, shift, totals, grad)
            if k == 0:
                initial = float(np.nanmax(loss - reg_g * _w_sq(theta)))
                if max_loss_ratio is not None:
                    limit = float(max_loss_ratio) * max(initial, 1.0)
            bad = active & ~(np.isfinite(loss) & (loss <= limit))
            curves[k] = np.where(active, loss, np.nan)
            if bad.any():
                if k > 0:  # back to the state before the step that blew up
                    theta[bad] = previous[bad]
                    final_step[bad] = k - 1
                else:  # the start itself: keep it (nothing better exists)
                    final_step[bad] = 0
                curves[k, bad] = np.where(np.isfinite(loss[bad]), loss[bad], np.nan)
                active &= ~bad
                step_size[bad] = 0.0
            if k == steps or not active.any():
                break
            np.copyto(previous, theta)
            if not active.all():
                grad[~active] = 0.0  # frozen: a start that was already bad may have NaNs
            grad *= step_size[:, None, None]
            theta -= grad
        seconds = time.perf_counter() - start

        # Final values at each model's kept state (one more evaluation for all of them).
        loss = _loss_and_grad(theta, X1, X1T, onehot, reg_g, S, shift, totals, grad)
        train_acc = _accuracy(theta, X1T, y)
        if has_val:
            Xv1 = np.empty((X_val.shape[0], d + 1))
            Xv1[:, :d] = X_val
            Xv1[:, d] = 1.0
            val_loss = _data_loss(theta, Xv1, y_val, C)
            val_acc = _accuracy(theta, np.ascontiguousarray(Xv1.T), y_val)
        else:
            val_loss = val_acc = np.full(G, np.nan)

    def grid(a):
        return np.asarray(a).reshape(n_lr, n_reg)

    W = np.ascontiguousarray(np.swapaxes(theta[:, :, :d], 1, 2)).reshape(n_lr, n_reg, d, C)
    return SweepResult(
        learning_rates=lrs,
        regs=regs,
        steps=steps,
        train_loss=grid(loss),
        train_accuracy=grid(train_acc),
        val_loss=grid(val_loss),
        val_accuracy=grid(val_acc),
        diverged=grid(~active),
        final_step=grid(final_step),
        loss_curves=curves.reshape(steps + 1, n_lr, n_reg),
        W=W,
        b=theta[:, :, d].reshape(n_lr, n_reg, C).copy(),
        initial_loss=initial,
        seconds=seconds,
    )


# ----------------------------------------------------------------------------- the step


def _loss_and_grad(theta, X1, X1T, onehot, reg_g, S, shift, totals, grad):
    """Objective of every model (G,) and its gradient into ``grad`` (G, C, D + 1).

    The same operations, in the same order, as ``SoftmaxObjective`` for one model:
    shifted scores, log-softmax loss, ``(q - onehot) @ X1 / N + 2 reg W``.
    """
    G, C, n = S.shape
    d = X1.shape[1] - 1
    np.matmul(theta.reshape(G * C, d + 1), X1T, out=S.reshape(G * C, n))  # one BLAS call
    _reduce_classes(np.maximum, S, shift)
    S -= shift[:, None, :]
    true_sum = S.reshape(G, C * n) @ onehot.reshape(C * n)  # sum_i s_{i, y_i}, shifted
    np.exp(S, out=S)
    _reduce_classes(np.add, S, totals)
    S /= totals[:, None, :]
    data_loss = (np.log(totals, out=totals).sum(axis=1) - true_sum) / n
    S -= onehot
    np.matmul(S.reshape(G * C, n), X1, out=grad.reshape(G * C, d + 1))
    grad *= 1.0 / n
    W = theta[:, :, :d]
    grad[:, :, :d] += (2.0 * reg_g)[:, None, None] * W
    return data_loss + reg_g * _w_sq(theta)


def _w_sq(theta):
    """``||W_g||^2`` for every model (the bias column excluded), shape (G,)."""
    W = theta[:, :, :-1]
    return np.einsum("gcd,gcd->g", W, W)


def _reduce_classes(ufunc, A, out):
    """``out = ufunc.reduce(A, axis=1)`` for A (G, C, N), one class plane at a time: with
    a handful of classes, C - 1 elementwise calls beat a strided reduction."""
    C = A.shape[1]
    if C == 1:
        np.copyto(out, A[:, 0])
        return out
    ufunc(A[:, 0], A[:, 1], out=out)
    for c in range(2, C):
        ufunc(out, A[:, c], out=out)
    return out


def _scores(theta, X1T):
    G, C, d1 = theta.shape
    return (theta.reshape(G * C, d1) @ X1T).reshape(G, C, X1T.shape[1])


def _accuracy(theta, X1T, y):
    """Share of samples whose first maximal score is the true class, per model (G,)."""
    pred = np.argmax(_scores(theta, X1T), axis=1)  # (G, N)
    return (pred == y).mean(axis=1)


def _data_loss(theta, X1, y, C):
    """Mean cross-entropy (no regularization) per model, from log-softmax."""
    s = _scores(theta, np.ascontiguousarray(X1.T))
    top = s.max(axis=1, keepdims=True)
    s -= top
    log_totals = np.log(np.exp(s).sum(axis=1))  # (G, M)
    true = np.take_along_axis(s, y[None, None, :].repeat(len(s), 0), axis=1)[:, 0]
    return (log_totals - true).mean(axis=1)


# ----------------------------------------------------------------------------- checks


def _float_matrix(X, name):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] < 1:
        raise ValueError(f"{name} must have shape (N, D) with D >= 1, got {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return X


def _labels(y, n, name):
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {y.shape}")
    if y.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integer class indices, got dtype {y.dtype}")
    if n and y.min() < 0:
        raise ValueError(f"{name} must hold class indices >= 0, got {y.min()}")
    return y.astype(np.intp, copy=False)


def _vector(values, name, *, positive):
    a = np.asarray(values, dtype=np.float64).reshape(-1)
    if a.size == 0:
        raise ValueError(f"{name} is empty")
    ok = np.isfinite(a) & ((a > 0) if positive else (a >= 0))
    if not ok.all():
        bad = a[~ok][0]
        rule = "> 0" if positive else ">= 0"
        raise ValueError(f"{name} must be finite and {rule}; got {bad!r}")
    return a
