"""The Derivation page's numbers for one sample: the chain rule evaluated on a trained model.

Pure engine glue (numpy and ``softmax_engine`` only; no streamlit, no plotly): every value
the page shows for the chosen sample is computed here by calling the engine, and
unit-tested against independent oracles (scipy, numerical gradients).

Notation of the classic (CS231n-style) derivation: X (N, D), W (D, C), b (C,), y (N,) in
[0, C). For one sample i:

    s_i = x_i W + b                        (C,)   eq. (1); the classic derivation has no b
    q_i = softmax(s_i)                     (C,)   eq. (2)
    L_i = -log q_{i, y_i}                  ()     eq. (3)
    dL_i/dq_i = -1/q_{i,y_i} at y_i        (C,)   eq. (5)
    J = dq_i/ds_i = diag(q_i) - q_i q_i^T  (C, C) eqs. (6)-(7)
    dL_i/ds_i = dL_i/dq_i J = q_i - onehot (C,)   chain rule (4) with (13)
    dL_i/dW = x_i^T (q_i - onehot)         (D, C) column j is (q_ij - 1[j = y_i]) x_i

The verification numbers are in :mod:`dashboard.derivation.checks`, the textbook loop and
its slips in :mod:`dashboard.derivation.slips`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from softmax_engine import (
    log_softmax,
    numerical_gradient,
    relative_error,
    score_gradient,
    softmax,
    softmax_jacobian,
    softmax_loss_vectorized,
)

__all__ = [
    "AGREE_RELATIVE",
    "EPS",
    "NUMERICAL_STEP",
    "SampleDerivation",
    "batch_gradient_check",
    "clamp_index",
    "derive_sample",
    "display_number",
    "latex_number",
    "latex_vector",
    "matrix_relative_error",
    "most_uncertain_sample",
    "sample_from_points",
    "with_bias",
]

EPS = float(np.finfo(np.float64).eps)
NUMERICAL_STEP = 1e-5  # gradcheck's default: balances truncation and round-off in float64
# A gradient "agrees" with its numerical twin when the norm-wise relative error is below
# this, or when the absolute error is within a few times the finite-difference resolution.
AGREE_RELATIVE = 1e-6
AGREE_RESOLUTIONS = 10.0


# ----------------------------------------------------------------------------- small helpers


def clamp_index(value, n):
    """``value`` as an int in ``[0, n - 1]``; anything unusable (None, NaN, text) gives 0.

    Parameters
    ----------
    value : object
        E.g. a widget's value or a stale session-state entry.
    n : int
        Number of items, >= 1.

    Returns
    -------
    index : int
    """
    n = max(int(n), 1)
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0
    if not math.isfinite(v):
        return 0 if v != math.inf else n - 1
    return int(min(max(round(v), 0), n - 1))


def sample_from_points(points, n):
    """The sample index a chart selection points at, or None.

    Parameters
    ----------
    points : sequence of dict
        ``selection.points`` of a Streamlit plotly event; the picker figure gives every
        training point its sample index as ``customdata`` (a number, or a list whose
        first item is the number).
    n : int
        Number of training samples; the index is clamped to [0, n - 1].

    Returns
    -------
    index : int or None
        From the first point that carries an index; None if none does.
    """
    for point in points or ():
        value = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        if value is None:
            continue
        try:
            v = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(v):
            return clamp_index(v, n)
    return None


def most_uncertain_sample(W, b, X):
    """Index of the sample whose prediction is least certain (largest entropy of q).

    The page's default: its probabilities are spread over several classes, so every
    quantity of the derivation (the Jacobian above all) has visible, non-trivial values.

    Parameters
    ----------
    W : array_like, shape (D, C)
    b : array_like, shape (C,)
    X : array_like, shape (N, D)

    Returns
    -------
    index : int
    """
    S = np.asarray(X, dtype=np.float64) @ np.asarray(W, dtype=np.float64) + np.asarray(
        b, dtype=np.float64
    )
    log_q = log_softmax(S)
    entropy = -np.sum(np.exp(log_q) * log_q, axis=1)
    entropy = np.where(np.isfinite(entropy), entropy, -np.inf)
    return int(np.argmax(entropy)) if entropy.size else 0


def with_bias(W, b, X):
    """CS231n's bias trick: ``x W + b = [x, 1] [W; b]``.

    Parameters
    ----------
    W : array_like, shape (D, C)
    b : array_like, shape (C,)
    X : array_like, shape (N, D)

    Returns
    -------
    W1 : ndarray of float64, shape (D + 1, C)
        W with b as its last row.
    X1 : ndarray of float64, shape (N, D + 1)
        X with a column of ones.
    """
    W = np.asarray(W, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    W1 = np.vstack([W, np.asarray(b, dtype=np.float64)[None, :]])
    X1 = np.hstack([X, np.ones((X.shape[0], 1))])
    return W1, X1


def matrix_relative_error(a, b):
    """Norm-wise relative error ``||a - b|| / (||a|| + ||b||)`` (0 when both are 0).

    Unlike the entrywise ``relative_error``, entries that are zero in both do not count,
    so the number is not dominated by round-off in the smallest entries.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    den = float(np.linalg.norm(a) + np.linalg.norm(b))
    if den == 0.0:
        return 0.0
    if not math.isfinite(den):
        return math.nan
    return float(np.linalg.norm(a - b) / den)


def display_number(value, spec=".6g"):
    """A number for a table cell: ``format(value, spec)``, or ∞ / −∞ / NaN spelled out
    (a dataframe would show NaN as an empty "None" cell)."""
    v = float(value)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return format(v, spec)


def latex_number(value, digits=4):
    r"""A number for LaTeX: ``0.1234``, ``-3.5\times10^{-7}``, ``\infty``, ``\mathrm{NaN}``."""
    v = float(value)
    if math.isnan(v):
        return r"\mathrm{NaN}"
    if math.isinf(v):
        return r"\infty" if v > 0 else r"-\infty"
    text = f"{v:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times10^{{{int(exponent)}}}"
    return text


def latex_vector(values, digits=4, max_items=10, *, column=False):
    r"""A vector for LaTeX: a row ``\begin{bmatrix} a & b & ... \end{bmatrix}``, or a
    column (``column=True``); elided with ``\cdots`` / ``\vdots`` past ``max_items``."""
    values = np.ravel(np.asarray(values, dtype=np.float64))
    items = [latex_number(v, digits) for v in values[:max_items]]
    if values.size > max_items:
        items.append(r"\vdots" if column else r"\cdots")
    sep = r" \\ " if column else " & "
    return r"\begin{bmatrix}" + sep.join(items) + r"\end{bmatrix}"


# ----------------------------------------------------------------------------- one sample


@dataclass(frozen=True, eq=False)
class SampleDerivation:
    """Every intermediate quantity of the classic derivation for one sample.

    Attributes
    ----------
    index, label, predicted : int
        Sample index i, true class y_i, predicted class argmax_j s_ij.
    x : ndarray, shape (D,)
        Features x_i.
    scores : ndarray, shape (C,)
        s_i = x_i W + b (eq. 1).
    q : ndarray, shape (C,)
        softmax(s_i) (eq. 2).
    log_q : ndarray, shape (C,)
        log-softmax(s_i), finite for finite scores.
    loss : float
        L_i = -log q_{i,y_i} (eq. 3), from log-softmax.
    onehot : ndarray, shape (C,)
        p, the one-hot vector of y_i.
    dL_dq : ndarray, shape (C,)
        Eq. (5): -1/q_{i,y_i} at y_i, else 0 (-inf if q_{i,y_i} underflowed to 0).
    jacobian : ndarray, shape (C, C)
        Eqs. (6)-(7): J[m, n] = dq_m/ds_n.
    chain : ndarray, shape (C,)
        dL_i/dq_i @ J: the chain rule (4) before the last factor.
    closed : ndarray, shape (C,)
        q_i - onehot: the closed form (engine ``score_gradient``).
    numerical_scores : ndarray, shape (C,)
        Centred differences of L_i with respect to s_i.
    grad_W : ndarray, shape (D, C)
        x_i^T (q_i - onehot): column j is (q_ij - 1[j = y_i]) x_i.
    numerical_W : ndarray, shape (D, C)
        Centred differences of L_i with respect to W (b fixed).
    engine_W : ndarray, shape (D, C)
        ``softmax_loss_vectorized`` on this one sample (bias trick, reg = 0), W rows.
    err_chain_closed : float
        Max entrywise relative error, chain vs closed form.
    err_scores_numerical, err_W_numerical, err_W_engine : float
        Norm-wise relative errors (``matrix_relative_error``).
    abs_W_numerical : float
        max |grad_W - numerical_W|.
    resolution : float
        Finite-difference resolution of the numerical gradient, about
        eps * (1 + |L_i| + max_j sum_d |x_d W_dj| + max|b|) / h: below it, centred
        differences only see round-off.
    h : float
        The step used.
    """

    index: int
    label: int
    predicted: int
    x: np.ndarray
    scores: np.ndarray
    q: np.ndarray
    log_q: np.ndarray
    loss: float
    onehot: np.ndarray
    dL_dq: np.ndarray
    jacobian: np.ndarray
    chain: np.ndarray
    closed: np.ndarray
    numerical_scores: np.ndarray
    grad_W: np.ndarray
    numerical_W: np.ndarray
    engine_W: np.ndarray
    err_chain_closed: float
    err_scores_numerical: float
    err_W_numerical: float
    err_W_engine: float
    abs_W_numerical: float
    resolution: float
    h: float

    @property
    def n_features(self):
        return self.x.size

    @property
    def n_classes(self):
        return self.q.size

    @property
    def chain_finite(self):
        """False when q_{i,y_i} underflowed and the factored chain rule divides by 0."""
        return bool(np.all(np.isfinite(self.chain)))

    @property
    def below_resolution(self):
        """The numerical gradient disagrees only within finite-difference round-off."""
        return self.abs_W_numerical <= AGREE_RESOLUTIONS * self.resolution

    @property
    def numerical_agrees(self):
        """Closed form and centred differences agree (relatively, or within resolution)."""
        return bool(self.err_W_numerical <= AGREE_RELATIVE or self.below_resolution)


def derive_sample(W, b, X, y, index, *, h=NUMERICAL_STEP):
    """Evaluate the classic derivation for sample ``index`` of (X, y) under (W, b).

    Parameters
    ----------
    W : array_like, shape (D, C)
    b : array_like, shape (C,)
    X : array_like, shape (N, D)
        The features the model sees.
    y : array_like of int, shape (N,)
    index : int-like
        Clamped to [0, N - 1].
    h : float
        Step of the numerical gradients.

    Returns
    -------
    SampleDerivation
    """
    W = np.asarray(W, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    i = clamp_index(index, len(y))
    x, label = X[i], int(y[i])
    C = W.shape[1]

    scores = x @ W + b
    q = softmax(scores)
    log_q = log_softmax(scores)
    loss = float(-log_q[label])
    onehot = np.zeros(C)
    onehot[label] = 1.0
    dL_dq = np.zeros(C)
    with np.errstate(divide="ignore"):
        dL_dq[label] = -1.0 / q[label]  # eq. (5); -inf if q underflowed to 0
    J = softmax_jacobian(q)
    with np.errstate(invalid="ignore", over="ignore"):
        chain = dL_dq @ J
    closed = score_gradient(q[None, :], [label])[0]

    def loss_of_scores(s):
        return -log_softmax(s)[label]

    def loss_of_W(Wp):
        return -log_softmax(x @ Wp + b)[label]

    numerical_scores = numerical_gradient(loss_of_scores, scores.copy(), h=h)
    numerical_W = numerical_gradient(loss_of_W, W.copy(), h=h)
    grad_W = np.outer(x, closed)
    W1, X1 = with_bias(W, b, x[None, :])
    _, dW1 = softmax_loss_vectorized(W1, X1, np.array([label]), 0.0)
    engine_W = dW1[:-1]

    with np.errstate(invalid="ignore"):
        err_chain_closed = float(np.max(relative_error(chain, closed)))
    magnitude = float(np.max(np.abs(x) @ np.abs(W))) + float(np.max(np.abs(b)))
    resolution = EPS * (1.0 + abs(loss) + magnitude) / h
    return SampleDerivation(
        index=i,
        label=label,
        predicted=int(np.argmax(scores)),
        x=x.copy(),
        scores=scores,
        q=q,
        log_q=log_q,
        loss=loss,
        onehot=onehot,
        dL_dq=dL_dq,
        jacobian=J,
        chain=chain,
        closed=closed,
        numerical_scores=numerical_scores,
        grad_W=grad_W,
        numerical_W=numerical_W,
        engine_W=engine_W,
        err_chain_closed=err_chain_closed,
        err_scores_numerical=matrix_relative_error(closed, numerical_scores),
        err_W_numerical=matrix_relative_error(grad_W, numerical_W),
        err_W_engine=matrix_relative_error(grad_W, engine_W),
        abs_W_numerical=float(np.max(np.abs(grad_W - numerical_W))),
        resolution=float(resolution),
        h=float(h),
    )


def batch_gradient_check(W, b, X, y, reg, dW_recorded):
    """Average the per-sample gradients, add 2 reg W, compare with the recorded dW.

    Parameters
    ----------
    W, b, X, y : as in :func:`derive_sample`
    reg : float
    dW_recorded : array_like, shape (D, C)
        The gradient the classifier recorded at this step.

    Returns
    -------
    result : dict
        ``mean_grad`` (D, C) = (1/N) sum_i x_i^T (q_i - onehot), ``reg_grad`` = 2 reg W,
        ``total`` = their sum, ``recorded``, ``rel_error`` (norm-wise, total vs recorded).
    """
    W = np.asarray(W, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    E = score_gradient(softmax(X @ W + np.asarray(b, dtype=np.float64)), y)
    mean_grad = X.T @ E / len(E)
    reg_grad = 2.0 * float(reg) * W
    total = mean_grad + reg_grad
    recorded = np.asarray(dW_recorded, dtype=np.float64)
    return {
        "mean_grad": mean_grad,
        "reg_grad": reg_grad,
        "total": total,
        "recorded": recorded,
        "rel_error": matrix_relative_error(total, recorded),
    }
