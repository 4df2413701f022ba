"""The textbook loop for the softmax loss and gradient, and the slips commonly made in it.

Pure (numpy and ``softmax_engine`` only). :func:`textbook_loop` computes the mean
cross-entropy plus ``reg * sum(W**2)`` and its gradient one sample at a time, the way the
classic derivation's result reads: for each class j, add ``(q_ij - 1[j = y_i]) x_i`` to
column j of dW. Each keyword switches one common slip on, so the page can show what the
slip does to the numbers of the reader's own model:

- ``index_by_sample``: the per-class vector is added to ``dW[i, j]``, one entry indexed
  by the *sample*, instead of to column j, ``dW[:, j]`` (numpy refuses);
- ``average=False``: the loss is averaged over N but the gradient is not (N times too
  large);
- ``reg_gradient=False``: the penalty is added to the loss but ``2 reg W`` is not added
  to the gradient.

The fourth slip, taking the log of a probability that can underflow to 0 although the
scores were shifted by their maximum, is :func:`shift_then_log_loss`; the loop itself
uses log-softmax. The code blocks the page shows are lines of this module (a test
checks it).
"""

from __future__ import annotations

import math

import numpy as np

from softmax_engine import grad_check_sparse, softmax_loss_vectorized

__all__ = ["index_slip_error", "shift_then_log_loss", "slips_check", "textbook_loop"]


def textbook_loop(W, X, y, reg, *, index_by_sample=False, average=True, reg_gradient=True):
    """Mean cross-entropy + ``reg * sum(W**2)`` and its gradient, one sample at a time.

    Parameters
    ----------
    W : array_like, shape (D, C)
    X : array_like, shape (N, D)
        One sample per row.
    y : array_like of int, shape (N,)
    reg : float
    index_by_sample, average, reg_gradient : bool
        The slips (see the module); the defaults compute the right gradient.

    Returns
    -------
    loss : float
    dW : ndarray, shape (D, C)

    Raises
    ------
    ValueError, IndexError
        With ``index_by_sample`` (numpy cannot put a (D,) vector into one entry, and a
        sample index past the D rows of dW is out of range).
    """
    W = np.asarray(W, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    n_samples, n_classes = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros_like(W)
    for i in range(n_samples):
        scores = X[i] @ W
        scores = scores - np.max(scores)
        log_norm = np.log(np.sum(np.exp(scores)))
        loss += log_norm - scores[y[i]]
        probs = np.exp(scores - log_norm)
        for j in range(n_classes):
            weight = probs[j] - (j == y[i])
            if index_by_sample:
                dW[i, j] += weight * X[i]
            else:
                dW[:, j] += weight * X[i]
    loss /= n_samples
    loss += reg * np.sum(W * W)
    if average:
        dW /= n_samples
    if reg_gradient:
        dW += 2 * reg * W
    return float(loss), dW


def index_slip_error(W, X, y):
    """What Python says when the loop adds each class's vector to ``dW[i, j]``.

    Returns
    -------
    error : str or None
        ``"ValueError: ..."`` as Python reports it; None if the slipped loop ran (only
        possible with one feature and no more samples than features).
    """
    try:
        textbook_loop(W, X, y, 0.0, index_by_sample=True)
    except (ValueError, IndexError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def slips_check(W1, X1, y, reg, *, num_checks=8, random_state=0, h=1e-5):
    """The loop's gradient with the slips fixed one at a time, each against a grad check.

    Variants (all with the column indexing right, else the loop does not run):
    ``"summed"``: no averaging (checked against the loss at reg = 0, so that only this
    slip counts: the ratio to the engine's dW is exactly N); ``"averaged"``: averaged but
    without ``2 reg W`` (checked at ``reg``); ``"corrected"``: the right gradient
    (checked at ``reg``).

    Parameters
    ----------
    W1 : array_like, shape (D, C)
    X1 : array_like, shape (N, D)
    y : array_like of int, shape (N,)
    reg : float
    num_checks, random_state, h
        As in ``softmax_engine.grad_check_sparse``.

    Returns
    -------
    rows : list of dict
        ``variant``, ``reg`` (of the loss checked against), ``max_rel_error`` (over the
        checked entries), ``norm_ratio`` = ||variant|| / ||engine dW at that reg||.
    """
    W1 = np.asarray(W1, dtype=np.float64)
    X1 = np.asarray(X1, dtype=np.float64)
    reg = float(reg)
    variants = (
        ("summed", dict(average=False, reg_gradient=False), 0.0),
        ("averaged", dict(reg_gradient=False), reg),
        ("corrected", {}, reg),
    )
    rows = []
    for name, slips, r in variants:
        _, G = textbook_loop(W1, X1, y, r, **slips)
        _, engine_dW = softmax_loss_vectorized(W1, X1, y, r)

        def loss(W, r=r):
            return softmax_loss_vectorized(W, X1, y, r)[0]

        res = grad_check_sparse(
            loss, W1.copy(), G, num_checks=num_checks, h=h, random_state=random_state
        )
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


def shift_then_log_loss(scores, label):
    """-log q_label computed as "shift by the max, normalize, then take the log".

    The shift keeps ``exp`` from overflowing, but the probability itself can still
    underflow to 0 (a score gap above ~745), and then this is ``-log 0 = inf`` (returned
    without a warning: the page shows the inf). Log-softmax has no such limit.

    Parameters
    ----------
    scores : array_like, shape (C,)
    label : int

    Returns
    -------
    loss : float
    """
    scores = np.asarray(scores, dtype=np.float64)
    label = int(label)
    shifted = scores - np.max(scores)
    probs = np.exp(shifted) / np.sum(np.exp(shifted))
    with np.errstate(divide="ignore"):
        loss = -np.log(probs[label])
    return float(loss)
