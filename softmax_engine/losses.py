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

import copy

import numpy as np
from numpy.typing import ArrayLike

from ._validation import check_real

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
    objective = SoftmaxObjective(X, y, W.shape[1], reg, fit_intercept=False)
    loss, dW = objective(W)
    return _scalar(loss, W.dtype), np.ascontiguousarray(dW)


class SoftmaxObjective:
    """Loss and gradient of a softmax model with bias, for repeated evaluation.

    Training calls the objective hundreds of times on the same data, so the data
    are prepared once and every buffer is preallocated. The parameters are one
    array ``theta`` of shape (D + 1, C): rows ``0..D-1`` are W, the last row is the
    bias b (absent when ``fit_intercept=False``). The bias is not regularized.

    Scores are kept class-major, shape (C, N): with 3-10 classes a reduction over
    classes is then C - 1 elementwise operations on contiguous rows of length N,
    which is several times faster than reducing N rows of length C.

    Parameters
    ----------
    X : ndarray, shape (N, D)
    y : ndarray of int, shape (N,), values in [0, n_classes)
    n_classes : int
    reg : float, >= 0
    fit_intercept : bool, default True

    Notes
    -----
    Calling the objective overwrites its buffers; it is not thread-safe. The
    attributes ``data_loss`` and ``reg_loss`` hold the parts of the last loss, and
    ``n_correct`` the training-set hit count of the last call made with
    ``count_correct=True`` (-1 before any).

    Examples
    --------
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> objective = SoftmaxObjective(X, np.array([0, 1, 1]), n_classes=2, reg=0.1)
    >>> theta = np.zeros((3, 2))  # W (2, 2) with the bias row b below it
    >>> loss, grad = objective(theta, count_correct=True)
    >>> round(loss, 4), grad.shape, objective.n_correct  # a tie counts as class 0
    (0.6931, (3, 2), 1)
    """

    def __init__(self, X, y, n_classes, reg, *, fit_intercept=True):
        X = np.asarray(X)
        n, d = X.shape
        self.n_samples, self.n_features, self.n_classes = n, d, int(n_classes)
        self.reg = float(reg)
        self.fit_intercept = bool(fit_intercept)
        if fit_intercept:
            self.X1 = np.empty((n, d + 1), dtype=X.dtype)
            self.X1[:, :d] = X
            self.X1[:, d] = 1.0
            # X1 / N for the gradient product: saves one scaling of dW per step, which is
            # ~5% of a training step at (1000, 3, 3)
            self._grad_rows, self._grad_scale = self.X1 / n, None
        else:
            self.X1 = X  # no copy: the one-off vectorized loss must not pay for one
            self._grad_rows, self._grad_scale = X, 1.0 / n
        self.X1T = self.X1.T  # BLAS reads the transposed view directly
        self.onehot = np.zeros((self.n_classes, n), dtype=X.dtype)
        self.onehot[y, np.arange(n)] = 1.0
        self._S = np.empty((self.n_classes, n), dtype=X.dtype)
        self._shift = np.empty(n, dtype=X.dtype)
        self._totals = np.empty(n, dtype=X.dtype)
        self.data_loss = self.reg_loss = np.nan
        self.n_correct = -1
        self._y = y  # kept only for count_correct; the flat index is built on first use
        self._true_flat = None

    def __call__(self, theta, *, count_correct=False):
        """Evaluate the objective.

        Parameters
        ----------
        theta : ndarray, shape (D + 1, C) or (D, C) without intercept
        count_correct : bool, default False
            Also count the samples whose predicted class (the first maximum of the
            scores, as ``argmax`` picks it) is the true class, into ``self.n_correct``.
            Costs a few microseconds, so training asks only on recorded steps.

        Returns
        -------
        loss : float
            Mean cross-entropy + ``reg * ||W||^2``.
        grad : ndarray, shape like ``theta``
            Gradient of ``loss``; a new array.
        """
        S, shift, totals = self._S, self._shift, self._totals
        np.dot(theta.T, self.X1T, out=S)  # (C, N) scores s_ij = x_i w_j + b_j
        _reduce_rows(np.maximum, S, shift)
        S -= shift  # shifted scores: exp() cannot overflow
        true_scores_sum = np.vdot(S, self.onehot)
        if count_correct:
            self.n_correct = self._count_correct(S)
        np.exp(S, out=S)
        _reduce_rows(np.add, S, totals)
        S /= totals  # q, (C, N)
        # log q_{i,y_i} = s_{i,y_i} - log(totals_i): log-softmax, never log(0)
        data_loss = (np.log(totals, out=totals).sum() - true_scores_sum) / self.n_samples
        S -= self.onehot  # q - onehot(y): the classic derivation's (q_ij - 1[j = y_i])
        grad = (S @ self._grad_rows).T  # (C, N) @ (N, D+1): contiguous operands, fastest
        if self._grad_scale is not None:
            grad *= self._grad_scale  # the mean over samples
        W = theta[: self.n_features]
        self.data_loss = float(data_loss)
        self.reg_loss = self.reg * float(np.vdot(W, W)) if self.reg else 0.0
        if self.reg:
            grad[: self.n_features] += (2.0 * self.reg) * W
        return self.data_loss + self.reg_loss, grad

    def rows(self, start, stop):
        """The same objective on samples ``start:stop`` only, sharing this one's data.

        Mini-batch training shuffles the data into one objective per epoch and takes
        consecutive blocks of it: no copy of X per batch, only small new buffers.

        Parameters
        ----------
        start, stop : int
            ``0 <= start < stop <= N``.

        Returns
        -------
        SoftmaxObjective
            Over ``stop - start`` samples; the mean loss is over those samples.
        """
        if not 0 <= start < stop <= self.n_samples:
            raise ValueError(
                f"rows must satisfy 0 <= start < stop <= {self.n_samples}; got {start}, {stop}."
            )
        n, dtype = stop - start, self._S.dtype
        sub = copy.copy(self)  # same reg, sizes and flags; the arrays are replaced below
        sub.n_samples = n
        sub.X1 = self.X1[start:stop]  # consecutive rows: still C-contiguous, no copy
        sub.X1T = sub.X1.T
        sub._grad_rows, sub._grad_scale = sub.X1, 1.0 / n
        sub.onehot = np.ascontiguousarray(self.onehot[:, start:stop])
        sub._S = np.empty((self.n_classes, n), dtype=dtype)
        sub._shift = np.empty(n, dtype=dtype)
        sub._totals = np.empty(n, dtype=dtype)
        sub._y = np.asarray(self._y)[start:stop]
        sub._true_flat = None
        sub.data_loss = sub.reg_loss = np.nan
        sub.n_correct = -1
        return sub

    def _count_correct(self, shifted):
        """Hits of ``argmax`` on the shifted scores (C, N) (``self._S``), whose column
        maxima are exactly 0."""
        n = self.n_samples
        if self._true_flat is None:  # first use: index of s_{i, y_i} in the flat (C, N)
            self._y = np.asarray(self._y, dtype=np.intp)
            self._true_flat = self._y * n + np.arange(n)
            as_int = np.dtype(f"i{shifted.itemsize}")  # integer views of the buffers
            self._bits = (self._S.reshape(-1).view(as_int), self._shift.view(as_int))
        s_bits, shift_bits = self._bits
        # a - max is +0.0 exactly when a == max (a - b = -0.0 needs a = -0.0, b = +0.0 and
        # so a maximum of +0.0), so "true shifted score is 0" means the true class attains
        # the maximum. That is argmax's answer unless a sample has tied maxima (e.g. at
        # all-zero weights), where argmax takes the first one: count those exactly. Zero
        # tests run on the bits (integer views): twice as fast as float compares.
        if np.count_nonzero(shift_bits) == n and s_bits.size - np.count_nonzero(s_bits) == n:
            return n - np.count_nonzero(s_bits.take(self._true_flat))
        first_max = np.argmax(shifted == 0.0, axis=0)
        return int(np.count_nonzero(first_max == self._y))


def _reduce_rows(ufunc, A, out):
    """``out = ufunc.reduce(A, axis=0)`` for a class-major A (C, N), row by row: with few
    classes, C - 1 elementwise calls on contiguous rows beat a strided reduction."""
    if len(A) == 1:
        np.copyto(out, A[0])
        return out
    ufunc(A[0], A[1], out=out)
    for k in range(2, len(A)):
        ufunc(out, A[k], out=out)
    return out


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
    if n and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(
            f"y must hold class indices in [0, {n_classes}); "
            f"got values from {y.min()} to {y.max()}."
        )
    return y.astype(np.intp, copy=False)


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
