"""The training objective of G softmax models at once: the engine's one loss-and-gradient kernel.

Training evaluates the same objective hundreds of times on the same data, for one model
(``SoftmaxClassifier``) or for a whole grid of hyperparameters (``sweep``). Both go through
:class:`BatchedObjective`: the parameters of G models are one class-major array ``theta``
of shape (G, C, D + 1) (row ``c`` of model ``g`` is ``[w_c^T, b_c]``: W transposed with the
bias as its last column), and one evaluation is

    S    = theta @ [X, 1]^T               (G, C, N)   one matrix product for all models
    q    = softmax over the class axis    (G, C, N)
    loss = mean_i -log q_{i, y_i} + reg_g ||W_g||^2                    (G,)
    grad = (q - onehot(y)) @ [X, 1] / N + 2 reg_g [W_g, 0]    (G, C, D + 1)

The loss comes from log-softmax, so it is finite for every finite score. Scores are kept
class-major, (G, C, N): with 3-10 classes a reduction over classes is then C - 1
elementwise operations on contiguous rows of length N, several times faster than reducing
N rows of length C.

:class:`SoftmaxObjective` is the same kernel for one model in the (D + 1, C) layout of
``losses.softmax_loss_vectorized`` (W with b as its last row).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["BatchedObjective", "SoftmaxObjective", "reduce_planes"]


class BatchedObjective:
    """Loss and gradient of G softmax models with biases on one data set.

    The data are prepared once and every buffer is preallocated; the bias is not
    regularized.

    Parameters
    ----------
    X : ndarray, shape (N, D)
        float64 or float32; the buffers take its dtype.
    y : ndarray of int, shape (N,)
        Classes in ``[0, n_classes)``.
    n_classes : int
    reg : float or ndarray of shape (G,), default 0.0
        L2 strength of every model, or of each; >= 0 (not checked here).
    fit_intercept : bool, default True
        Without intercept ``theta`` has shape (G, C, D).

    Attributes
    ----------
    data_loss, reg_loss : ndarray, shape (G,)
        The parts of the last loss: mean cross-entropy and ``reg * ||W||^2``.
    n_correct : ndarray of int, shape (G,)
        Training samples whose first maximal score is the true class, from the last
        call made with ``count_correct=True`` (None before any).
    buffer_pool : dict
        The working buffers by size; objectives that are never called at the same time
        (the mini-batches of an epoch, of every epoch) may share one.

    Notes
    -----
    A call overwrites the buffers, and the gradient it returns is one of them: it is
    valid until the next call of this objective or of one sharing its buffers (those
    :meth:`rows` makes). Not thread-safe.

    Examples
    --------
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> objective = BatchedObjective(X, np.array([0, 1, 1]), 2, reg=np.array([0.0, 0.5]))
    >>> theta = np.zeros((2, 2, 3))  # two models, 2 classes, D + 1 = 3
    >>> theta[:, 1, 0] = 1.0  # both: w_1 = (1, 0)
    >>> loss, grad = objective(theta, count_correct=True)
    >>> loss.round(4), objective.reg_loss.tolist(), objective.n_correct.tolist(), grad.shape
    (array([0.4399, 0.9399]), [0.0, 0.5], [3, 3], (2, 2, 3))
    """

    def __init__(
        self, X: np.ndarray, y: ArrayLike, n_classes: int, reg=0.0, *, fit_intercept: bool = True
    ):
        X = np.asarray(X)
        n, d = X.shape
        self.n_samples, self.n_features, self.n_classes = n, d, int(n_classes)
        self.fit_intercept = bool(fit_intercept)
        self._reg_per_model = not isinstance(reg, (int, float)) and np.ndim(reg) > 0
        self.reg = np.asarray(reg, dtype=np.float64) if self._reg_per_model else float(reg)
        if fit_intercept:
            self.X1 = np.empty((n, d + 1), dtype=X.dtype)
            self.X1[:, :d] = X
            self.X1[:, d] = 1.0
        else:
            self.X1 = X  # no copy: the one-off vectorized loss must not pay for one
        self.X1T = self.X1.T  # BLAS reads the transposed view directly
        self._y = np.asarray(y)  # kept for count_correct and rows()
        self._set_mean_onehot()
        self._true_flat = None
        self._buffers = None
        self.buffer_pool = {}  # shared with the objectives rows() makes
        self.data_loss = self.reg_loss = self.n_correct = None

    def _set_mean_onehot(self):
        # onehot(y) / N and 1 / N per sample: the mean over samples is folded into the
        # normalization and two matrix-vector products, so no step spends a pass on it
        n, dtype = self.n_samples, self.dtype
        mean_eye = np.zeros((self.n_classes, self.n_classes), dtype=dtype)
        mean_eye.ravel()[:: self.n_classes + 1] = 1.0 / n
        self._onehot_mean = mean_eye.take(self._y, axis=1)  # (C, N): the fastest build
        self._onehot_mean_flat = self._onehot_mean.reshape(-1)
        self._mean_weights = np.empty(n, dtype=dtype)
        self._mean_weights.fill(1.0 / n)

    @property
    def dtype(self) -> np.dtype:
        return self.X1.dtype

    def _buffers_for(self, G):
        """Buffers and their views for G models, made once per G (a step pays no reshape).

        The arrays come from ``buffer_pool``, keyed by size: objectives that share the
        pool (the mini-batches :meth:`rows` makes) reuse the same memory instead of
        allocating it every step.
        """
        if self._buffers is not None and self._buffers[0] == G:
            return self._buffers
        n, C, dtype = self.n_samples, self.n_classes, self.X1.dtype
        d1 = self.X1.shape[1]
        key = (G, n, d1, dtype)
        arrays = self.buffer_pool.get(key)
        if arrays is None:
            arrays = self.buffer_pool[key] = (
                np.empty((G, C, n), dtype=dtype),  # scores, then probabilities
                np.empty((G, n), dtype=dtype),  # column maxima
                np.empty((G, n), dtype=dtype),  # softmax normalizers
                np.empty((G, C, d1), dtype=dtype),  # gradient
            )
        S, shift, totals, grad = arrays
        self._buffers = buffers = (
            G,
            S,
            S.reshape(G * C, n),  # the products' view
            S.reshape(G, C * n),  # one row per model, for the true-class sums
            [S[:, c] for c in range(C)],  # class planes
            shift,
            totals,
            grad,
            grad.reshape(G * C, d1),
            grad[:, :, : self.n_features] if self.fit_intercept else grad,
            self._onehot_mean_flat,
        )
        return buffers

    def __call__(
        self, theta: np.ndarray, *, count_correct: bool = False, gradient: bool = True
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Evaluate the objective of every model.

        Parameters
        ----------
        theta : ndarray, shape (G, C, D + 1), or (G, C, D) without intercept
            Any strides (a transposed view is fine).
        count_correct : bool, default False
            Also count, per model, the training samples whose predicted class (the
            first maximum, as ``argmax`` picks it) is the true class (``n_correct``).
        gradient : bool, default True
            False skips the gradient product (a validation loss needs none).

        Returns
        -------
        loss : ndarray, shape (G,)
            Mean cross-entropy + ``reg * ||W||^2`` of each model.
        grad : ndarray, shape (G, C, D + 1), or None
            The gradient of each loss; a buffer overwritten by the next call.
        """
        G, C, d1 = theta.shape
        _, S, S2, S_rows, planes, shift, totals, grad, grad2, grad_W, onehot_mean_flat = (
            self._buffers_for(G)
        )
        np.matmul(theta.reshape(G * C, d1), self.X1T, out=S2)  # one BLAS call, all models
        reduce_planes(np.maximum, planes, shift)
        S -= shift[:, None, :]  # shifted scores: exp() cannot overflow
        true_mean = S_rows @ onehot_mean_flat  # mean_i s_{i, y_i} of each model, (G,)
        if count_correct:
            self.n_correct = self._count_correct(S, shift)
        np.exp(S, out=S)
        reduce_planes(np.add, planes, totals)
        if gradient:
            # q / N = exp(s) / (N totals), by one division per sample; the maxima are
            # no longer needed
            np.divide(self._mean_weights, totals, out=shift)
            S *= shift[:, None, :]
        # log q_{i, y_i} = s_{i, y_i} - log(totals_i): log-softmax, never log(0)
        data_loss = np.log(totals, out=totals) @ self._mean_weights
        data_loss -= true_mean
        W = theta[:, :, : self.n_features] if self.fit_intercept else theta
        if G == 1:
            w_sq = np.vdot(W, W)
        else:
            w_sq = np.einsum("gcd,gcd->g", W, W)
        reg = self.reg
        self.data_loss = data_loss
        self.reg_loss = reg_loss = (
            reg * w_sq if self._reg_per_model or G > 1 else np.array((reg * w_sq,))
        )
        loss = data_loss + reg_loss
        if not gradient:
            return loss, None
        S -= self._onehot_mean  # (q - onehot(y)) / N: the classic derivation's (q_ij - 1[j = y_i])
        np.matmul(S2, self.X1, out=grad2)
        if self._reg_per_model:
            grad_W += (2.0 * reg)[:, None, None] * W
        elif reg:
            grad_W += (2.0 * reg) * W
        return loss, grad

    def rows(self, start: int, stop: int) -> BatchedObjective:
        """The same objective on samples ``start:stop`` only, sharing this one's data.

        Mini-batch training shuffles the data into one objective per epoch and takes
        consecutive blocks of it: no copy of X per batch, only small new buffers.

        Parameters
        ----------
        start, stop : int
            ``0 <= start < stop <= N``.

        Returns
        -------
        BatchedObjective
            Over ``stop - start`` samples; the mean loss is over those samples.

        Examples
        --------
        >>> X = np.arange(8.0).reshape(4, 2)
        >>> whole = BatchedObjective(X, np.array([0, 1, 0, 1]), 2)
        >>> whole.rows(2, 4).n_samples
        2
        """
        if not 0 <= start < stop <= self.n_samples:
            raise ValueError(
                f"rows must satisfy 0 <= start < stop <= {self.n_samples}; got {start}, {stop}."
            )
        sub = object.__new__(type(self))
        sub.__dict__.update(self.__dict__)  # same reg, sizes and flags; arrays replaced below
        sub.n_samples = stop - start
        sub.X1 = self.X1[start:stop]  # consecutive rows: still C-contiguous, no copy
        sub.X1T = sub.X1.T
        sub._y = self._y[start:stop]
        sub._set_mean_onehot()
        sub._true_flat = None
        sub._buffers = None
        sub.data_loss = sub.reg_loss = sub.n_correct = None
        return sub

    def _count_correct(self, shifted, shift):
        """Hits of ``argmax`` per model, from the shifted scores (G, C, N), whose column
        maxima are exactly 0, and the maxima ``shift`` (G, N)."""
        G, n = shifted.shape[0], self.n_samples
        if self._true_flat is None:  # first use: index of s_{i, y_i} in a flat (C, N)
            self._y = np.asarray(self._y, dtype=np.intp)
            self._true_flat = self._y * n + np.arange(n)
        as_int = np.dtype(f"i{shifted.itemsize}")  # integer views of the buffers
        s_bits = shifted.reshape(G, -1).view(as_int)
        # a - max is +0.0 exactly when a == max (a - b = -0.0 needs a = -0.0, b = +0.0 and
        # so a maximum of +0.0), so "true shifted score is 0" means the true class attains
        # the maximum. That is argmax's answer unless a sample has tied maxima (e.g. at
        # all-zero weights), where argmax takes the first one: count those exactly. Zero
        # tests run on the bits (integer views): twice as fast as float compares.
        if (
            np.count_nonzero(shift.view(as_int)) == G * n
            and s_bits.size - np.count_nonzero(s_bits) == G * n
        ):
            return n - np.count_nonzero(s_bits[:, self._true_flat], axis=1)
        first_max = np.argmax(shifted == 0.0, axis=1)  # (G, N)
        return np.count_nonzero(first_max == self._y, axis=1)


class SoftmaxObjective:
    """Loss and gradient of one softmax model with bias, for repeated evaluation.

    :class:`BatchedObjective` with G = 1, in the layout of the CS231n contract: the
    parameters are one array ``theta`` of shape (D + 1, C), rows ``0..D-1`` W and the
    last row the bias b (absent when ``fit_intercept=False``). The bias is not
    regularized.

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

    def __init__(
        self,
        X: np.ndarray,
        y: ArrayLike,
        n_classes: int,
        reg: float,
        *,
        fit_intercept: bool = True,
        _batched: BatchedObjective | None = None,
    ):
        self._batched = _batched or BatchedObjective(
            X, y, n_classes, float(reg), fit_intercept=fit_intercept
        )
        b = self._batched
        self.n_samples, self.n_features, self.n_classes = b.n_samples, b.n_features, b.n_classes
        self.reg, self.fit_intercept = b.reg, b.fit_intercept
        self.data_loss = self.reg_loss = np.nan
        self.n_correct = -1

    def __call__(
        self, theta: np.ndarray, *, count_correct: bool = False
    ) -> tuple[float, np.ndarray]:
        """Evaluate the objective.

        Parameters
        ----------
        theta : ndarray, shape (D + 1, C) or (D, C) without intercept
        count_correct : bool, default False
            Also count the samples whose predicted class (the first maximum of the
            scores, as ``argmax`` picks it) is the true class, into ``self.n_correct``.

        Returns
        -------
        loss : float
            Mean cross-entropy + ``reg * ||W||^2``.
        grad : ndarray, shape like ``theta``
            Gradient of ``loss``; a new array.
        """
        b = self._batched
        loss, grad = b(theta.T[None], count_correct=count_correct)
        self.data_loss = float(b.data_loss[0])
        self.reg_loss = float(b.reg_loss[0])
        if count_correct:
            self.n_correct = int(b.n_correct[0])
        return float(loss[0]), grad[0].T.copy()

    def rows(self, start: int, stop: int) -> SoftmaxObjective:
        """The same objective on samples ``start:stop`` only, sharing this one's data.

        Parameters
        ----------
        start, stop : int
            ``0 <= start < stop <= N``.

        Returns
        -------
        SoftmaxObjective
            Over ``stop - start`` samples; the mean loss is over those samples.

        Examples
        --------
        >>> X = np.arange(8.0).reshape(4, 2)
        >>> SoftmaxObjective(X, np.array([0, 1, 0, 1]), 2, 0.0).rows(0, 3).n_samples
        3
        """
        return SoftmaxObjective(None, None, 0, 0.0, _batched=self._batched.rows(start, stop))


def reduce_planes(ufunc, planes, out: np.ndarray) -> np.ndarray:
    """``out = ufunc.reduce(planes)`` for a list of C class planes of the same shape, one
    elementwise call per class: with a handful of classes, C - 1 calls on contiguous rows
    beat a strided reduction over the class axis.

    Examples
    --------
    >>> A = np.array([[[1.0, 5.0], [3.0, 2.0]]])  # G = 1, C = 2, N = 2
    >>> reduce_planes(np.maximum, [A[:, 0], A[:, 1]], np.empty((1, 2)))
    array([[3., 5.]])
    """
    if len(planes) == 1:
        np.copyto(out, planes[0])
        return out
    ufunc(planes[0], planes[1], out=out)
    for plane in planes[2:]:
        ufunc(out, plane, out=out)
    return out
