"""The Derivation page's numbers: the seed's chain rule evaluated on a trained model.

Pure engine glue (numpy and ``softmax_engine`` only; no streamlit, no plotly), so every
value the page shows is computed here by calling the engine, and unit-tested against
independent oracles (scipy, numerical gradients).

Notation follows the seed (``seed/000_3103b47667f8086c.txt``) and DESIGN.md: X (N, D),
W (D, C), b (C,), y (N,) in [0, C). For one sample i:

    s_i = x_i W + b                        (C,)   eq. (1), the seed has no b
    q_i = softmax(s_i)                     (C,)   eq. (2)
    L_i = -log q_{i, y_i}                  ()     eq. (3)
    dL_i/dq_i = -1/q_{i,y_i} at y_i        (C,)   eq. (5)
    J = dq_i/ds_i = diag(q_i) - q_i q_i^T  (C, C) eqs. (6)-(7)
    dL_i/ds_i = dL_i/dq_i J = q_i - onehot (C,)   chain rule (4) with (13)
    dL_i/dW = x_i^T (q_i - onehot)         (D, C) column j is (q_ij - 1[j = y_i]) x_i

The Verify helpers use the seed's contract ``(W, X, y, reg) -> (loss, dW)``, which has no
bias: the model's b is folded in with CS231n's bias trick (``with_bias``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from softmax_engine import (
    grad_check_sparse,
    log_softmax,
    numerical_gradient,
    relative_error,
    score_gradient,
    softmax,
    softmax_jacobian,
    softmax_loss_naive,
    softmax_loss_vectorized,
)

__all__ = [
    "EPS",
    "NUMERICAL_STEP",
    "SCALES",
    "SHIFTS",
    "TEMPERATURES",
    "TIMING_SHAPES",
    "SampleDerivation",
    "batch_gradient_check",
    "check_reg",
    "clamp_index",
    "derive_sample",
    "display_number",
    "initial_loss_check",
    "latex_number",
    "latex_vector",
    "matrix_relative_error",
    "most_uncertain_sample",
    "naive_vs_vectorized",
    "sample_from_points",
    "seed_gradient_as_written",
    "seed_shift_then_log_loss",
    "seed_slips_check",
    "shift_invariance",
    "sparse_grad_checks",
    "stability_class",
    "stability_table",
    "step_size_sweep",
    "temperature_sweep",
    "time_losses",
    "unshifted_softmax",
    "with_bias",
]

EPS = float(np.finfo(np.float64).eps)
NUMERICAL_STEP = 1e-5  # gradcheck's default: balances truncation and round-off in float64
# A gradient "agrees" with its numerical twin when the norm-wise relative error is below
# this, or when the absolute error is within a few times the finite-difference resolution.
AGREE_RELATIVE = 1e-6
AGREE_RESOLUTIONS = 10.0
REG_FALLBACK = 0.01  # the "with reg" gradient check when the model itself has reg = 0
TIMING_SHAPES = ((100, 10, 3), (500, 40, 10), (1000, 100, 10))
SCALES = tuple(10.0**k for k in range(9))  # 1 ... 1e8
SHIFTS = (-1000.0, -100.0, 0.0, 100.0, 1000.0)
TEMPERATURES = tuple(float(t) for t in np.logspace(-1, 1, 41))  # 0.1 ... 10, includes 1
STEP_SIZES = tuple(float(h) for h in np.logspace(-13, -1, 25))  # half-decade steps


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


def check_reg(reg):
    """The regularization used for the "with reg" checks: the model's, or REG_FALLBACK."""
    reg = float(reg)
    return reg if reg > 0 else REG_FALLBACK


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
    """Every intermediate quantity of the seed's derivation for one sample.

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
        The seed's p (1 at y_i).
    dL_dq : ndarray, shape (C,)
        Eq. (5): -1/q_{i,y_i} at y_i, else 0 (-inf if q_{i,y_i} underflowed to 0).
    jacobian : ndarray, shape (C, C)
        Eqs. (6)-(7): J[m, n] = dq_m/ds_n.
    chain : ndarray, shape (C,)
        dL_i/dq_i @ J: the chain rule (4) before the last factor.
    closed : ndarray, shape (C,)
        q_i - onehot: the seed's closed form (engine ``score_gradient``).
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
    """Evaluate the seed's derivation for sample ``index`` of (X, y) under (W, b).

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


# ----------------------------------------------------------------------------- the seed's code


def seed_shift_then_log_loss(scores, y):
    """The seed's per-sample loss, line by line: shift by the max, exp, normalize, log.

    ``score -= max(score); score = exp(score); score /= sum(score); -log(score[y])``.
    When ``q_y`` underflows to 0 (a score gap above ~745) this is ``-log(0) = inf``;
    without warnings (the page shows the inf).

    Parameters
    ----------
    scores : array_like, shape (C,)
    y : int

    Returns
    -------
    loss : float
    """
    score = np.array(scores, dtype=np.float64)
    score -= np.max(score)  # 防止数值爆炸: exp cannot overflow
    score = np.exp(score)
    softmax_sum = np.sum(score)
    score /= softmax_sum
    with np.errstate(divide="ignore"):
        return float(-np.log(score[int(y)]))


def unshifted_softmax(scores):
    """``exp(s) / sum(exp(s))`` without the max shift: overflows to inf / inf = NaN."""
    s = np.asarray(scores, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(s)
        return e / np.sum(e)


def seed_gradient_as_written(W, X, y):
    """Run the seed's gradient lines literally (``dw[i, j] += ... * X[i]``).

    ``dw[i, j]`` is one entry of the (D, C) matrix, indexed by a *sample* i; the right
    side is a whole (D,) vector. numpy refuses (ValueError) for D > 1, or runs off the
    matrix (IndexError) once i >= D.

    Returns
    -------
    error : str or None
        ``"ValueError: ..."`` as Python reports it; None if the lines ran.
    """
    W = np.asarray(W, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    dw = np.zeros_like(W)
    try:
        for i in range(X.shape[0]):
            score = np.dot(X[i], W)
            score -= max(score)
            score = np.exp(score)
            score /= np.sum(score)
            for j in range(W.shape[1]):
                if j != y[i]:
                    dw[i, j] += score[j] * X[i]
                else:
                    dw[i, j] += (score[j] - 1) * X[i]
    except (ValueError, IndexError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def seed_slips_check(W1, X1, y, reg, *, num_checks=8, seed=0, h=NUMERICAL_STEP):
    """The seed's gradient with its slips fixed one at a time, each against a grad check.

    Variants (all with the column indexing fixed, else the code does not run):
    ``"summed"``: sum_i x_i^T (q_i - onehot), no averaging (checked against the loss at
    reg = 0, so that only this slip counts: the ratio to the engine's dW is exactly N);
    ``"averaged"``: divided by N but without 2 reg W (checked at ``reg``);
    ``"corrected"``: + 2 reg W, the engine's gradient (checked at ``reg``).

    Returns
    -------
    rows : list of dict
        ``variant``, ``reg`` (of the loss checked against), ``max_rel_error`` (over the
        checked entries, engine ``grad_check_sparse``), ``norm_ratio`` = ||variant|| /
        ||engine dW at that reg||.
    """
    W1 = np.asarray(W1, dtype=np.float64)
    X1 = np.asarray(X1, dtype=np.float64)
    reg = float(reg)
    E = score_gradient(softmax(X1 @ W1), y)
    summed = X1.T @ E
    averaged = summed / len(E)
    corrected = averaged + 2.0 * reg * W1
    rows = []
    for name, G, r in (
        ("summed", summed, 0.0),
        ("averaged", averaged, reg),
        ("corrected", corrected, reg),
    ):
        _, engine_dW = softmax_loss_vectorized(W1, X1, y, r)

        def f(W, r=r):
            return softmax_loss_vectorized(W, X1, y, r)[0]

        res = grad_check_sparse(f, W1.copy(), G, num_checks=num_checks, h=h, random_state=seed)
        engine_norm = float(np.linalg.norm(engine_dW))
        rows.append(
            {
                "variant": name,
                "reg": r,
                "max_rel_error": float(np.max(res["relative_errors"])),
                "norm_ratio": float(np.linalg.norm(G)) / engine_norm if engine_norm else math.nan,
            }
        )
    return rows


# ----------------------------------------------------------------------------- verify


def naive_vs_vectorized(W1, X1, y, reg):
    """Loss and gradient from the seed's loop (corrected) and from the vectorized twin.

    Returns
    -------
    result : dict
        ``loss_naive``, ``loss_vectorized``, ``loss_diff`` = |difference|,
        ``grad_max_diff`` = max |dW_naive - dW_vec|, ``grad_rel_error`` (norm-wise),
        ``dW_naive``, ``dW_vectorized``.
    """
    loss_n, dW_n = softmax_loss_naive(W1, X1, y, reg)
    loss_v, dW_v = softmax_loss_vectorized(W1, X1, y, reg)
    return {
        "loss_naive": float(loss_n),
        "loss_vectorized": float(loss_v),
        "loss_diff": abs(float(loss_n) - float(loss_v)),
        "grad_max_diff": float(np.max(np.abs(dW_n - dW_v))),
        "grad_rel_error": matrix_relative_error(dW_n, dW_v),
        "dW_naive": dW_n,
        "dW_vectorized": dW_v,
    }


def _best_time(fn, *, min_total=0.01, max_repeats=200):
    """Best wall time of ``fn()`` in seconds over repeats taking about ``min_total`` s."""
    best, total, n = math.inf, 0.0, 0
    while n < max_repeats and (n < 1 or total < min_total):
        start = time.perf_counter()
        fn()
        t = time.perf_counter() - start
        best, total, n = min(best, t), total + t, n + 1
    return best


def time_losses(shapes=TIMING_SHAPES, *, seed=0, reg=1e-3):
    """Time ``softmax_loss_naive`` against ``softmax_loss_vectorized`` on random data.

    Parameters
    ----------
    shapes : sequence of (N, D, C)
    seed : int
    reg : float

    Returns
    -------
    rows : list of dict
        ``N``, ``D``, ``C``, ``naive_ms``, ``vectorized_ms`` (best of repeats),
        ``speedup`` = naive / vectorized, ``max_grad_diff`` between the two.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for N, D, C in shapes:
        X = rng.standard_normal((N, D))
        W = 1e-3 * rng.standard_normal((D, C))
        y = rng.integers(0, C, N)
        naive = _best_time(lambda W=W, X=X, y=y: softmax_loss_naive(W, X, y, reg), min_total=0.02)
        vec = _best_time(lambda W=W, X=X, y=y: softmax_loss_vectorized(W, X, y, reg))
        diff = np.max(
            np.abs(softmax_loss_naive(W, X, y, reg)[1] - softmax_loss_vectorized(W, X, y, reg)[1])
        )
        rows.append(
            {
                "N": int(N),
                "D": int(D),
                "C": int(C),
                "naive_ms": naive * 1e3,
                "vectorized_ms": vec * 1e3,
                "speedup": naive / vec if vec > 0 else math.inf,
                "max_grad_diff": float(diff),
            }
        )
    return rows


def sparse_grad_checks(W1, X1, y, regs, *, num_checks=8, seed=0, h=NUMERICAL_STEP):
    """``grad_check_sparse`` of the vectorized loss at each regularization in ``regs``.

    Returns
    -------
    results : dict of float -> list of dict
        Per reg, one row per checked entry: ``row``, ``col`` (index into W1, the last row
        being b), ``numerical``, ``analytic``, ``rel_error``. The same entries for every
        reg (same seed).
    """
    W1 = np.asarray(W1, dtype=np.float64)
    X1 = np.asarray(X1, dtype=np.float64)
    out = {}
    for reg in regs:
        reg = float(reg)
        _, dW = softmax_loss_vectorized(W1, X1, y, reg)

        def f(W, reg=reg):
            return softmax_loss_vectorized(W, X1, y, reg)[0]

        res = grad_check_sparse(f, W1.copy(), dW, num_checks=num_checks, h=h, random_state=seed)
        out[reg] = [
            {
                "row": int(idx[0]),
                "col": int(idx[1]),
                "numerical": float(n),
                "analytic": float(a),
                "rel_error": float(e),
            }
            for idx, n, a, e in zip(
                res["indices"],
                res["numerical"],
                res["analytic"],
                res["relative_errors"],
                strict=True,
            )
        ]
    return out


def step_size_sweep(W1, X1, y, reg, steps=STEP_SIZES):
    """Relative error of the centred difference against the step h, at one entry of W.

    The entry is the one with the largest |dW| (so the error is not a ratio of tiny
    numbers). Error ≈ truncation h² |f'''| / 6 + round-off eps |f| / h (relative to |g|).

    Returns
    -------
    result : dict
        ``h`` (K,), ``rel_error`` (K,), ``entry`` (row, col), ``analytic`` g, ``loss`` f,
        ``third_derivative`` f''' (5-point estimate), ``roundoff`` (K,) =
        eps |f| / (2 h |g|), ``truncation`` (K,) = h² |f'''| / (12 |g|) (both in the
        units of the engine's relative error |a - b| / (|a| + |b|)), ``best_h`` and
        ``best_error`` (the measured minimum), ``predicted_best_h`` (where the two guides
        cross).
    """
    W1 = np.asarray(W1, dtype=np.float64)
    X1 = np.asarray(X1, dtype=np.float64)
    loss, dW = softmax_loss_vectorized(W1, X1, y, reg)
    r, c = np.unravel_index(int(np.argmax(np.abs(dW))), dW.shape)
    g = float(dW[r, c])
    base = W1.copy()

    def along(t):  # the loss as a function of the one entry's offset t[0]
        base[r, c] = W1[r, c] + t[0]
        try:
            return softmax_loss_vectorized(base, X1, y, reg)[0]
        finally:
            base[r, c] = W1[r, c]

    errors = []
    for h in steps:
        res = grad_check_sparse(along, np.zeros(1), np.array([g]), num_checks=1, h=h)
        errors.append(float(res["relative_errors"][0]))
    a = 1e-2  # 5-point third derivative: [f(2a) - 2f(a) + 2f(-a) - f(-2a)] / (2a³)
    f3 = (along([2 * a]) - 2 * along([a]) + 2 * along([-a]) - along([-2 * a])) / (2 * a**3)
    hs = np.asarray(steps, dtype=np.float64)
    ag = max(abs(g), 1e-300)
    roundoff = EPS * abs(loss) / (2 * hs * ag)
    truncation = hs**2 * abs(f3) / (12 * ag)
    errors = np.asarray(errors)
    finite = np.where(errors > 0, errors, np.inf)
    k = int(np.argmin(finite))
    predicted = (3 * EPS * abs(loss) / abs(f3)) ** (1 / 3) if f3 else math.nan
    return {
        "h": hs,
        "rel_error": errors,
        "entry": (int(r), int(c)),
        "analytic": g,
        "loss": float(loss),
        "third_derivative": float(f3),
        "roundoff": roundoff,
        "truncation": truncation,
        "best_h": float(hs[k]),
        "best_error": float(errors[k]),
        "predicted_best_h": float(predicted),
    }


def initial_loss_check(X, class_counts=range(2, 11), *, scale=1e-3, seed=0):
    """Loss at small random W (and random labels) against log C, for several C.

    With W ≈ 0 every score is ≈ 0, so q ≈ 1/C for every class and L_i ≈ log C.

    Returns
    -------
    rows : list of dict
        ``C``, ``log_C``, ``loss`` (vectorized, reg = 0), ``diff`` = loss - log C.
    """
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.default_rng(seed)
    rows = []
    for C in class_counts:
        W = scale * rng.standard_normal((X.shape[1], C))
        y = rng.integers(0, C, X.shape[0])
        loss, _ = softmax_loss_vectorized(W, X, y, 0.0)
        rows.append(
            {
                "C": int(C),
                "log_C": math.log(C),
                "loss": float(loss),
                "diff": float(loss) - math.log(C),
            }
        )
    return rows


def stability_class(scores, label):
    """The class whose -log q the stability table follows: the true class if the model
    gets the sample wrong (its q is the one that can underflow), else the least likely."""
    scores = np.asarray(scores, dtype=np.float64)
    return int(label) if int(np.argmax(scores)) != int(label) else int(np.argmin(scores))


def stability_table(scores, cls, scales=SCALES):
    """-log q_cls at scores scaled by each factor: no shift, the seed's, log-softmax.

    Returns
    -------
    rows : list of dict
        ``scale``, ``gap`` = max(s) - s_cls (scaled), ``no_shift`` (exp overflows:
        NaN/inf), ``seed`` (:func:`seed_shift_then_log_loss`: inf once q underflows),
        ``log_softmax`` (engine: finite, ≈ the gap for large scales).
    """
    scores = np.asarray(scores, dtype=np.float64)
    rows = []
    for a in scales:
        s = scores * a
        with np.errstate(divide="ignore", invalid="ignore"):
            no_shift = float(-np.log(unshifted_softmax(s)[cls]))
        rows.append(
            {
                "scale": float(a),
                "gap": float(np.max(s) - s[cls]),
                "no_shift": no_shift,
                "seed": seed_shift_then_log_loss(s, cls),
                "log_softmax": float(-log_softmax(s)[cls]),
            }
        )
    return rows


def shift_invariance(scores, shifts=SHIFTS):
    """softmax(s + c) against softmax(s) for each constant c, with and without the shift.

    Returns
    -------
    rows : list of dict
        ``shift`` c, ``max_diff`` = max |softmax(s + c) - softmax(s)| (engine softmax,
        ~1e-16: invariant), ``unshifted_max_diff`` (the same without subtracting the max:
        NaN once exp overflows), ``q`` (C,) = softmax(s + c).
    """
    scores = np.asarray(scores, dtype=np.float64)
    q0 = softmax(scores)
    rows = []
    for c in shifts:
        q = softmax(scores + c)
        with np.errstate(invalid="ignore"):
            raw = float(np.max(np.abs(unshifted_softmax(scores + c) - q0)))
        rows.append(
            {
                "shift": float(c),
                "max_diff": float(np.max(np.abs(q - q0))),
                "unshifted_max_diff": raw,
                "q": q,
            }
        )
    return rows


def temperature_sweep(scores, temperatures=TEMPERATURES):
    """softmax(s / T) for each temperature T: T < 1 sharpens, T > 1 flattens.

    Returns
    -------
    T : ndarray, shape (K,)
    Q : ndarray, shape (K, C)
    entropy : ndarray, shape (K,)
        -sum_j q_j log q_j (nats): 0 for one-hot, log C for uniform.
    """
    T = np.asarray(temperatures, dtype=np.float64)
    scores = np.asarray(scores, dtype=np.float64)
    S = scores[None, :] / T[:, None]
    Q = softmax(S)
    entropy = -np.sum(Q * log_softmax(S), axis=1)
    return T, Q, entropy
