"""The engine's parameter checks: one helper per kind of value, one style of message.

Every check raises ``ValueError`` (or the ``error`` class it is given) with a message that
names the parameter, the bad value and the allowed values, e.g.
``"learning_rate must be a finite number in (0.0, inf), got -0.1"``, so that an
estimator, an optimizer and a dataset generator word the same mistake the same way.
Booleans are not numbers here; NaN and infinities are refused. The interval test is four
comparisons written here rather than scikit-learn's ``check_scalar``: its messages were
replaced by ours anyway, and its ~1 µs per call was a fortieth of a one-off vectorized
loss, which checks its ``reg`` on every call.

Random states follow numpy's ``default_rng`` (the engine's reproducibility contract), not
scikit-learn's ``check_random_state``, which returns the legacy ``RandomState``.

This is the engine's internal helper module: its functions are public within it and are
imported by the other engine modules, not re-exported by ``softmax_engine``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "check_bool",
    "check_choice",
    "check_int",
    "check_labels",
    "check_matrix",
    "check_random_state",
    "check_real",
    "check_vector",
    "describe_interval",
]


def describe_interval(low=None, high=None, *, include_low=True, include_high=False) -> str:
    """The interval as text, bounds written as given: ``[0, 1)``, ``(0.0, inf)``.

    Examples
    --------
    >>> describe_interval(0, 1)
    '[0, 1)'
    >>> describe_interval(0.0, None, include_low=False)
    '(0.0, inf)'
    """
    left = "[" if include_low and low is not None else "("
    right = "]" if include_high and high is not None else ")"
    lo = "-inf" if low is None else repr(low)
    hi = "inf" if high is None else repr(high)
    return f"{left}{lo}, {hi}{right}"


def _is_number(value) -> bool:
    if type(value) is float or type(value) is int:  # the common case, without the ABC check
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _within(value, low, high, include_low, include_high) -> bool:
    """Whether ``value`` lies in the interval; ``None`` bounds are unbounded."""
    if low is not None and (value < low if include_low else value <= low):
        return False
    return high is None or (value <= high if include_high else value < high)


def check_real(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    include_low: bool = True,
    include_high: bool = False,
    error: type[Exception] = ValueError,
) -> float:
    """A finite real number in the interval; returns it as a float.

    Parameters
    ----------
    value : object
        The value to check; ``bool`` and strings are refused.
    name : str
        The parameter's name, for the message.
    low, high : float or None
        Bounds (``None``: unbounded), written in the message as given (``0`` or ``0.0``).
    include_low, include_high : bool
        Whether the bounds themselves are allowed (default ``[low, high)``).
    error : exception class, default ValueError

    Returns
    -------
    float

    Examples
    --------
    >>> check_real(0.5, "momentum", low=0, high=1)
    0.5
    >>> check_real(1.0, "momentum", low=0, high=1)
    Traceback (most recent call last):
    ...
    ValueError: momentum must be a finite number in [0, 1), got 1.0
    """

    def failure():  # the message is built only for a bad value: checks run per call
        rng = describe_interval(low, high, include_low=include_low, include_high=include_high)
        return error(f"{name} must be a finite number in {rng}, got {value!r}")

    if not _is_number(value) or not math.isfinite(value):
        raise failure()
    if not _within(value, low, high, include_low, include_high):
        raise failure()
    return float(value)


def check_int(
    value: Any,
    name: str,
    *,
    low: int | None = None,
    high: int | None = None,
    include_high: bool = True,
    also: str = "",
    context: str = "",
    error: type[Exception] = ValueError,
) -> int:
    """An integer (not a bool, not an integral float) in ``[low, high]``; returns an int.

    Parameters
    ----------
    value : object
    name : str
    low, high : int or None
        Bounds; ``high`` is included unless ``include_high=False``.
    also : str
        Other accepted values for the message, e.g. ``' or "auto"'``.
    context : str
        Said after the range, e.g. ``" for 3 classes"``.
    error : exception class, default ValueError

    Returns
    -------
    int

    Examples
    --------
    >>> check_int(3, "degree", low=1, high=5)
    3
    >>> check_int(2.0, "degree", low=1, high=5)
    Traceback (most recent call last):
    ...
    ValueError: degree must be an integer in [1, 5], got 2.0
    >>> check_int(-1, "max_iter", low=0)
    Traceback (most recent call last):
    ...
    ValueError: max_iter must be an integer >= 0, got -1
    """

    def failure():  # the message is built only for a bad value
        if high is None:
            rng = "" if low is None else f" >= {low}"
        else:
            lo = "-inf" if low is None else low
            rng = f" in [{lo}, {high}{']' if include_high else ')'}"
        return error(f"{name} must be an integer{rng}{also}{context}, got {value!r}")

    if not isinstance(value, numbers.Integral) or isinstance(value, (bool, np.bool_)):
        raise failure()
    if not _within(int(value), low, high, True, include_high):
        raise failure()
    return int(value)


def check_bool(value: Any, name: str, *, error: type[Exception] = ValueError) -> bool:
    """``True`` or ``False`` (numpy's too); returns a Python bool.

    Examples
    --------
    >>> check_bool(np.True_, "standardize")
    True
    >>> check_bool("yes", "standardize")
    Traceback (most recent call last):
    ...
    ValueError: standardize must be True or False, got 'yes'
    """
    if not isinstance(value, (bool, np.bool_)):
        raise error(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_choice(value: Any, name: str, choices: Iterable, *, error=ValueError):
    """One of ``choices`` (compared with ``==``, so never a list or an array); returns it.

    Examples
    --------
    >>> check_choice("sgd", "optimizer", ("sgd", "adam"))
    'sgd'
    >>> check_choice("rmsprop", "optimizer", ("sgd", "adam"))
    Traceback (most recent call last):
    ...
    ValueError: optimizer='rmsprop' is not supported; choose one of 'sgd', 'adam'
    """
    choices = tuple(choices)
    if not isinstance(value, (str, numbers.Number, type(None))) or value not in choices:
        allowed = ", ".join(map(repr, choices))
        raise error(f"{name}={value!r} is not supported; choose one of {allowed}")
    return value


def check_random_state(value: Any, name: str = "random_state") -> np.random.Generator:
    """A numpy ``Generator`` from None, an int >= 0, a Generator or a legacy RandomState.

    ``None`` and ints go through ``np.random.default_rng``; a Generator is returned as it
    is (so drawing from the result advances it); a ``RandomState`` (scikit-learn's older
    style) seeds a new Generator from one draw.

    Examples
    --------
    >>> rng = check_random_state(0)
    >>> round(rng.standard_normal(), 4)
    0.1257
    >>> check_random_state(-3)
    Traceback (most recent call last):
    ...
    ValueError: random_state must be None, an int >= 0, or a numpy Generator / RandomState, got -3
    """
    message = (
        f"{name} must be None, an int >= 0, or a numpy Generator / RandomState, got {value!r}"
    )
    if isinstance(value, np.random.Generator):
        return value
    if isinstance(value, np.random.RandomState):
        return np.random.default_rng(value.randint(np.iinfo(np.int32).max))
    if value is None:
        return np.random.default_rng()
    if not isinstance(value, numbers.Integral) or isinstance(value, (bool, np.bool_)):
        raise ValueError(message)
    if value < 0:
        raise ValueError(message)
    return np.random.default_rng(int(value))


def check_matrix(X: Any, name: str) -> np.ndarray:
    """A finite float64 matrix (N, D) with D >= 1.

    Examples
    --------
    >>> check_matrix([[1, 2]], "X").dtype
    dtype('float64')
    >>> check_matrix([[np.nan]], "X")
    Traceback (most recent call last):
    ...
    ValueError: X contains NaN or infinite values
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] < 1:
        raise ValueError(f"{name} must have shape (N, D) with D >= 1, got {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return X


def check_labels(y: Any, n: int, name: str) -> np.ndarray:
    """Integer class indices >= 0, shape (n,); returned as intp.

    Examples
    --------
    >>> check_labels([0, 2, 1], 3, "y").tolist()
    [0, 2, 1]
    >>> check_labels([0.5, 1, 0], 3, "y")
    Traceback (most recent call last):
    ...
    ValueError: y must hold integer class indices, got dtype float64
    """
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {y.shape}")
    if y.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integer class indices, got dtype {y.dtype}")
    if n and y.min() < 0:
        raise ValueError(f"{name} must hold class indices >= 0, got {y.min()}")
    return y.astype(np.intp, copy=False)


def check_vector(values: Any, name: str, *, positive: bool) -> np.ndarray:
    """A non-empty 1-D float64 array of finite values, each > 0 (``positive``) or >= 0.

    Examples
    --------
    >>> check_vector([0.1, 1], "learning_rates", positive=True).tolist()
    [0.1, 1.0]
    >>> check_vector([0.0], "learning_rates", positive=True)
    Traceback (most recent call last):
    ...
    ValueError: learning_rates must be finite and > 0; got 0.0
    """
    a = np.asarray(values, dtype=np.float64).reshape(-1)
    if a.size == 0:
        raise ValueError(f"{name} is empty")
    ok = np.isfinite(a) & ((a > 0) if positive else (a >= 0))
    if not ok.all():
        bad = float(a[~ok][0])
        rule = "> 0" if positive else ">= 0"
        raise ValueError(f"{name} must be finite and {rule}; got {bad!r}")
    return a
