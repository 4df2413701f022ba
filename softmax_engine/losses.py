"""Softmax cross-entropy: the textbook loop, its vectorized twin, and the pieces between.

Conventions: X has shape (N, D), W (D, C), y (N,) integers in [0, C).

    loss = mean_i L_i + reg * ||W||^2,     L_i = -log q_{i, y_i},   q_i = softmax(x_i W)
    dW   = mean_i x_i^T (q_i - onehot(y_i)) + 2 * reg * W

Both ``softmax_loss_naive`` and ``softmax_loss_vectorized`` keep the CS231n contract
``(W, X, y, reg) -> (loss, dW)`` so that one checks the other.

Numerical stability: subtracting the row maximum (the classic derivation's trick) prevents ``exp``
from overflowing, but ``log(q)`` still fails when ``q`` underflows to 0 (any score gap
above ~745 in float64). Both versions therefore take the loss from log-softmax,
``log q_ij = s_ij - max_k s_ik - log sum_k exp(s_ik - max_k s_ik)``, which is finite for
every finite score.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validation import check_real
from .objective import BatchedObjective, SoftmaxObjective

__all__ = [
    "SoftmaxObjective",
    "log_softmax",
    "score_gradient",
    "softmax",
    "softmax_jacobian",
    "softmax_loss_naive",
    "softmax_loss_vectorized",
]


# ----------------------------------------------------------------------------- softmax


def softmax(scores: ArrayLike, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis``, stable for any finite scores.

    Parameters
    ----------
    scores : array_like, shape (..., C)
        Unnormalized class scores (logits).
    axis : int, default -1
        The class axis.

    Returns
    -------
    q : ndarray, same shape as ``scores``
        Probabilities: non-negative, summing to 1 along ``axis``.

    Examples
    --------
    >>> softmax(np.array([1.0, 2.0, 3.0])).round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> softmax(np.array([0.0, 1000.0]))  # no overflow
    array([0., 1.])
    """
    s = _as_float_array(scores)
    shifted = s - np.max(s, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(scores: ArrayLike, axis: int = -1) -> np.ndarray:
    """Logarithm of the softmax, computed without ever taking ``log(0)``.

    Parameters
    ----------
    scores : array_like, shape (..., C)
    axis : int, default -1

    Returns
    -------
    log_q : ndarray, same shape as ``scores``
        ``log softmax(scores)``; finite whenever ``scores`` is finite.

    Examples
    --------
    >>> log_softmax(np.array([0.0, 1000.0]))  # log(0) would be -inf
    array([-1000.,     0.])
    """
    s = _as_float_array(scores)
    shifted = s - np.max(s, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax_jacobian(q: ArrayLike) -> np.ndarray:
    """Jacobian of the softmax with respect to its scores: ``diag(q) - q q^T``.

    This is equations (6)-(7) of the classic derivation: ``dq_m/ds_n = q_m (1[m = n] - q_n)``.

    Parameters
    ----------
    q : array_like, shape (C,) or (N, C)
        Softmax probabilities of one sample or of a batch.

    Returns
    -------
    J : ndarray, shape (C, C) or (N, C, C)
        ``J[..., m, n] = dq_m / ds_n``; symmetric, each row sums to 0.

    Examples
    --------
    >>> softmax_jacobian(np.array([0.5, 0.5]))
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    q = _as_float_array(q)
    if q.ndim not in (1, 2):
        raise ValueError(f"q must have shape (C,) or (N, C); got shape {q.shape}.")
    outer = q[..., :, None] * q[..., None, :]
    eye = np.eye(q.shape[-1], dtype=q.dtype)
    return q[..., :, None] * eye - outer


def score_gradient(q: ArrayLike, y: ArrayLike) -> np.ndarray:
    """Per-sample gradient of ``L_i`` with respect to the scores: ``q_i - onehot(y_i)``.

    This is the classic derivation's final result before it is multiplied by ``x_i``:
    ``dL_i/dW_j = (q_ij - 1[j = y_i]) x_i``.

    Parameters
    ----------
    q : array_like, shape (N, C)
        Softmax probabilities.
    y : array_like of int, shape (N,)
        True classes in ``[0, C)``.

    Returns
    -------
    error_signal : ndarray, shape (N, C)
        Rows sum to 0; the true-class entry is ``q_{i,y_i} - 1 <= 0``.

    Examples
    --------
    >>> score_gradient(np.array([[0.2, 0.8], [0.6, 0.4]]), np.array([1, 0]))
    array([[ 0.2, -0.2],
           [-0.4,  0.4]])
    """
    q = _as_float_array(q)
    if q.ndim != 2:
        raise ValueError(f"q must have shape (N, C); got shape {q.shape}.")
    y = _check_labels(y, q.shape[0], q.shape[1])
    g = q.copy()
    g[np.arange(q.shape[0]), y] -= 1.0
    return g


# ----------------------------------------------------------------------------- losses


def softmax_loss_naive(
    W: ArrayLike, X: ArrayLike, y: ArrayLike, reg: float
) -> tuple[float, np.ndarray]:
    """Softmax loss and gradient with explicit loops: the textbook loop, corrected.

    Corrections against the textbook loop of the classic derivation: the gradient of
    sample ``i`` for class ``j`` is accumulated into column ``j`` of ``dW`` (shape
    (D, C)), not ``dw[i, j]``; ``dW`` is averaged over N like the loss; the
    regularization gradient ``2 reg W`` is added; the loss comes from log-softmax so
    that it never takes ``log(0)``.

    Parameters
    ----------
    W : ndarray, shape (D, C)
        Weights.
    X : ndarray, shape (N, D)
        Samples, one per row.
    y : ndarray of int, shape (N,)
        True classes in ``[0, C)``.
    reg : float
        L2 regularization strength, ``reg >= 0``.

    Returns
    -------
    loss : float
        Mean cross-entropy plus ``reg * sum(W**2)``.
    dW : ndarray, shape (D, C)
        Gradient of ``loss`` with respect to ``W``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> W, X = 0.01 * rng.standard_normal((3, 4)), rng.standard_normal((5, 3))
    >>> y = np.array([0, 1, 2, 3, 0])
    >>> loss, dW = softmax_loss_naive(W, X, y, reg=0.1)
    >>> round(loss, 6), dW.shape
    (1.382955, (3, 4))
    """
    W, X, y, reg = _check_inputs(W, X, y, reg)
    loss = 0.0
    dW = np.zeros_like(W)
    num_train = X.shape[0]
    num_class = W.shape[1]
    for i in range(num_train):
        scores = X[i].dot(W)  # s_i = x_i W, shape (C,)
        scores = scores - np.max(scores)  # shift: exp() cannot overflow
        log_sum = np.log(np.sum(np.exp(scores)))
        loss += log_sum - scores[y[i]]  # -log q_{i,y_i} from log-softmax: no log(0)
        q = np.exp(scores - log_sum)
        for j in range(num_class):
            if j == y[i]:
                dW[:, j] += (q[j] - 1.0) * X[i]
            else:
                dW[:, j] += q[j] * X[i]
    loss /= num_train
    dW /= num_train
    loss += reg * np.sum(W * W)
    dW += 2.0 * reg * W
    return _scalar(loss, W.dtype), dW


def softmax_loss_vectorized(
    W: ArrayLike, X: ArrayLike, y: ArrayLike, reg: float
) -> tuple[float, np.ndarray]:
    """Softmax loss and gradient without loops; same contract as ``softmax_loss_naive``.

    Parameters
    ----------
    W : ndarray, shape (D, C)
    X : ndarray, shape (N, D)
    y : ndarray of int, shape (N,)
    reg : float, ``reg >= 0``

    Returns
    -------
    loss : float
    dW : ndarray, shape (D, C)

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> W, X = 0.01 * rng.standard_normal((3, 4)), rng.standard_normal((5, 3))
    >>> y = np.array([0, 1, 2, 3, 0])
    >>> loss, dW = softmax_loss_vectorized(W, X, y, reg=0.1)
    >>> naive_loss, naive_dW = softmax_loss_naive(W, X, y, reg=0.1)
    >>> round(loss, 6), bool(np.allclose(dW, naive_dW, rtol=1e-12, atol=0))
    (1.382955, True)
    """
    W, X, y, reg = _check_inputs(W, X, y, reg)
    # the engine's one kernel, as one model (G = 1) whose class rows are W's columns
    loss, grad = BatchedObjective(X, y, W.shape[1], reg, fit_intercept=False)(W.T[None])
    return _scalar(loss[0], W.dtype), grad[0].T.copy()


# ----------------------------------------------------------------------------- checks


def _as_float_array(a):
    a = np.asarray(a)
    if a.dtype not in (np.float32, np.float64):
        a = a.astype(np.float64)
    return a


def _scalar(value, dtype):
    return float(value) if dtype == np.float64 else dtype.type(value)


def _check_labels(y, n, n_classes):
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"y must have shape ({n},) to match the samples; got shape {y.shape}.")
    if y.dtype.kind not in "iu":
        if y.dtype.kind == "f" and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
            y = y.astype(np.intp)
        else:
            raise ValueError(f"y must hold integer class indices; got dtype {y.dtype}.")
    y = y.astype(np.intp, copy=False)
    # one pass: seen unsigned, a negative index is huge, so one maximum checks both ends
    if n and y.view(np.uintp).max() >= n_classes:
        raise ValueError(
            f"y must hold class indices in [0, {n_classes}); "
            f"got values from {y.min()} to {y.max()}."
        )
    return y


def _check_inputs(W, X, y, reg):
    W = _as_float_array(W)
    X = _as_float_array(X)
    if W.ndim != 2:
        raise ValueError(f"W must have shape (D, C); got shape {W.shape}.")
    if X.ndim != 2:
        raise ValueError(f"X must have shape (N, D); got shape {X.shape}.")
    if X.shape[1] != W.shape[0]:
        raise ValueError(
            f"X has {X.shape[1]} features but W has {W.shape[0]} rows; "
            "X must be (N, D) and W (D, C)."
        )
    if X.shape[0] == 0:
        raise ValueError("X has no samples (N = 0); the mean loss is undefined.")
    if W.shape[1] < 1:
        raise ValueError("W must have at least one class column.")
    y = _check_labels(y, X.shape[0], W.shape[1])
    reg = check_real(reg, "reg", low=0)
    if X.dtype != W.dtype:  # mixed precision: compute in the wider type
        dtype = np.result_type(X.dtype, W.dtype)
        W, X = W.astype(dtype), X.astype(dtype)
    return W, X, y, reg
