"""Numerical gradients: the independent oracle for every analytic gradient here.

Centred differences, ``(f(x + h) - f(x - h)) / 2h``, have truncation error O(h^2)
and round-off error O(eps / h); h = 1e-5 balances the two for float64 losses of
order 1, leaving a relative error around 1e-10 on a correct gradient.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._validation import check_int, check_random_state, check_real

__all__ = ["grad_check_sparse", "numerical_gradient", "relative_error"]


def relative_error(a: ArrayLike, b: ArrayLike, *, floor: float = 1e-12) -> np.ndarray | float:
    """Elementwise relative error ``|a - b| / max(|a| + |b|, floor)``.

    The floor keeps the ratio meaningful where both values are (near) zero.

    Parameters
    ----------
    a, b : array_like, broadcastable shapes
    floor : float, default 1e-12

    Returns
    -------
    error : ndarray or float
        Values in [0, 1]; a scalar for scalar inputs.

    Examples
    --------
    >>> round(relative_error(1.0, 1.0001), 10)
    4.99975e-05
    >>> relative_error(np.zeros(2), np.zeros(2))
    array([0., 0.])
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    err = np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)
    return float(err) if err.ndim == 0 else err


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, *, h: float = 1e-5
) -> np.ndarray:
    """Centred-difference gradient of a scalar function at every entry of ``x``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``; called 2 * x.size times. ``x`` is perturbed in place and
        restored, so ``f`` must read it rather than keep a copy.
    x : ndarray of float, any shape
        The point; unchanged on return.
    h : float, default 1e-5
        Step, > 0.

    Returns
    -------
    grad : ndarray of float64, shape of ``x``

    Examples
    --------
    >>> x = np.array([1.0, -2.0])
    >>> numerical_gradient(lambda v: float(np.sum(v**3)), x).round(6)  # 3 x^2
    array([ 3., 12.])
    """
    _check_step(h)
    x = _check_point(x)
    grad = np.zeros(x.shape, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        grad[idx] = _centred_difference(f, x, idx, h)
    return grad


def grad_check_sparse(
    f: Callable[[np.ndarray], float],
    x: np.ndarray,
    analytic_grad: ArrayLike,
    *,
    num_checks: int = 10,
    h: float = 1e-5,
    random_state=None,
) -> dict:
    """Compare an analytic gradient with centred differences at random entries.

    The CS231n check: cheap enough for large ``x`` because only ``num_checks``
    entries are perturbed.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``; ``x`` is perturbed in place and restored.
    x : ndarray of float, any shape
    analytic_grad : ndarray, shape of ``x``
    num_checks : int, default 10
        Entries checked (drawn with replacement).
    h : float, default 1e-5
    random_state : int, numpy Generator or None

    Returns
    -------
    result : dict
        ``indices`` (list of index tuples), ``numerical`` and ``analytic`` (arrays of
        shape (num_checks,)) and ``relative_errors`` (shape (num_checks,)).

    Examples
    --------
    >>> from softmax_engine import softmax_loss_vectorized
    >>> rng = np.random.default_rng(0)
    >>> W, X = 0.01 * rng.standard_normal((3, 4)), rng.standard_normal((5, 3))
    >>> y = np.array([0, 1, 2, 3, 0])
    >>> _, dW = softmax_loss_vectorized(W, X, y, 0.1)
    >>> result = grad_check_sparse(
    ...     lambda w: softmax_loss_vectorized(w, X, y, 0.1)[0], W, dW, num_checks=5, random_state=0
    ... )
    >>> bool(result["relative_errors"].max() < 1e-7)
    True
    """
    _check_step(h)
    x = _check_point(x)
    analytic_grad = np.asarray(analytic_grad)
    if analytic_grad.shape != x.shape:
        raise ValueError(
            f"analytic_grad has shape {analytic_grad.shape} but x has shape {x.shape}."
        )
    num_checks = check_int(num_checks, "num_checks", low=1)
    rng = check_random_state(random_state)
    indices = [tuple(int(rng.integers(n)) for n in x.shape) for _ in range(num_checks)]
    numerical = np.array([_centred_difference(f, x, idx, h) for idx in indices])
    analytic = np.array([float(analytic_grad[idx]) for idx in indices])
    return {
        "indices": indices,
        "numerical": numerical,
        "analytic": analytic,
        "relative_errors": relative_error(numerical, analytic),
    }


def _centred_difference(f, x, idx, h):
    original = x[idx]
    try:
        x[idx] = original + h
        f_plus = float(f(x))
        x[idx] = original - h
        f_minus = float(f(x))
    finally:
        x[idx] = original  # restore even if f raises
    return (f_plus - f_minus) / (2.0 * h)


def _check_step(h):
    return check_real(h, "h", low=0, include_low=False)


def _check_point(x):
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise ValueError("x must be a float ndarray (it is perturbed in place).")
    if x.size == 0:
        raise ValueError("x is empty; there is no gradient to check.")
    return x
