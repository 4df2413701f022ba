"""The Derivation page's verification numbers: the checks a careful student runs.

Pure (numpy and ``softmax_engine`` only). The helpers use the textbook contract
``(W, X, y, reg) -> (loss, dW)``, which has no bias: the model's b is folded into W with
CS231n's bias trick (:func:`dashboard.derivation.compute.with_bias`).
"""

from __future__ import annotations

import math
import time

import numpy as np

from dashboard.derivation.compute import EPS, NUMERICAL_STEP, matrix_relative_error
from dashboard.derivation.slips import shift_then_log_loss
from softmax_engine import (
    grad_check_sparse,
    log_softmax,
    softmax,
    softmax_loss_naive,
    softmax_loss_vectorized,
)

__all__ = [
    "REG_FALLBACK",
    "SCALES",
    "SHIFTS",
    "STEP_SIZES",
    "TEMPERATURES",
    "TIMING_SHAPES",
    "check_reg",
    "initial_loss_check",
    "naive_vs_vectorized",
    "shift_invariance",
    "sparse_grad_checks",
    "stability_class",
    "stability_table",
    "step_size_sweep",
    "temperature_sweep",
    "time_losses",
    "unshifted_softmax",
]

REG_FALLBACK = 0.01  # the "with reg" gradient check when the model itself has reg = 0
TIMING_SHAPES = ((100, 10, 3), (500, 40, 10), (1000, 100, 10))
SCALES = tuple(10.0**k for k in range(9))  # 1 ... 1e8
SHIFTS = (-1000.0, -100.0, 0.0, 100.0, 1000.0)
TEMPERATURES = tuple(float(t) for t in np.logspace(-1, 1, 41))  # 0.1 ... 10, includes 1
STEP_SIZES = tuple(float(h) for h in np.logspace(-13, -1, 25))  # half-decade steps


def check_reg(reg):
    """The regularization used for the "with reg" checks: the model's, or REG_FALLBACK."""
    reg = float(reg)
    return reg if reg > 0 else REG_FALLBACK


def unshifted_softmax(scores):
    """``exp(s) / sum(exp(s))`` without the max shift: overflows to inf / inf = NaN."""
    s = np.asarray(scores, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(s)
        return e / np.sum(e)


def naive_vs_vectorized(W1, X1, y, reg):
    """Loss and gradient from the engine's loop (``softmax_loss_naive``) and its vectorized twin.

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
    """-log q_cls at scores scaled by each factor: no shift, shift then log, log-softmax.

    Returns
    -------
    rows : list of dict
        ``scale``, ``gap`` = max(s) - s_cls (scaled), ``no_shift`` (exp overflows:
        NaN/inf), ``shift_then_log`` (:func:`~dashboard.derivation.slips.shift_then_log_loss`: inf
        once q underflows),
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
                "shift_then_log": shift_then_log_loss(s, cls),
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
