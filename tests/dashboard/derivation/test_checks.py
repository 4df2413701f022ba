"""The verification numbers (``dashboard.derivation.checks``) against independent oracles.

Oracles: ``scipy.special`` (softmax, log_softmax, entr) and the engine's vectorized loss
only where the check is *about* agreeing with it (a gradient check's analytic side).
"""

import math

import numpy as np
import scipy.special

from dashboard.derivation import checks, compute
from softmax_engine import softmax_loss_vectorized


def test_unshifted_softmax_overflows_to_nan():
    assert np.isnan(checks.unshifted_softmax([1000.0, 0.0])).any()
    np.testing.assert_allclose(checks.unshifted_softmax([1.0, 2.0]), scipy.special.softmax([1, 2]))


# ----------------------------------------------------------------------------- verify


def test_naive_vs_vectorized_against_scipy(runs):
    run = runs["iris"]
    W, b, _ = run.weights_at(len(run.history.step) - 1)
    W1, X1 = compute.with_bias(W, b, run.features_train)
    y = run.y_train
    res = checks.naive_vs_vectorized(W1, X1, y, 0.1)
    lsm = scipy.special.log_softmax(X1 @ W1, axis=1)
    expected = -lsm[np.arange(len(y)), y].mean() + 0.1 * np.sum(W1**2)
    assert math.isclose(res["loss_naive"], expected, rel_tol=1e-12)
    assert math.isclose(res["loss_vectorized"], expected, rel_tol=1e-12)
    assert res["loss_diff"] < 1e-12 and res["grad_max_diff"] < 1e-12
    # with reg = 0 the loss is the Playground's recorded data loss
    res0 = checks.naive_vs_vectorized(W1, X1, y, 0.0)
    assert math.isclose(res0["loss_vectorized"], run.history.data_loss[-1], rel_tol=1e-10)


def test_time_losses_rows():
    rows = checks.time_losses(((20, 3, 2), (300, 20, 5)))
    assert [(r["N"], r["D"], r["C"]) for r in rows] == [(20, 3, 2), (300, 20, 5)]
    for r in rows:
        assert r["naive_ms"] > 0 and r["vectorized_ms"] > 0
        assert math.isclose(r["speedup"], r["naive_ms"] / r["vectorized_ms"])
        assert r["max_grad_diff"] < 1e-12
    assert rows[1]["speedup"] > 1  # a 1500-step Python loop against a few BLAS calls


def test_sparse_grad_checks(runs):
    run = runs["spiral"]
    W, b, _ = run.weights_at(len(run.history.step) - 1)
    W1, X1 = compute.with_bias(W, b, run.features_train)
    y = run.y_train
    res = checks.sparse_grad_checks(W1, X1, y, [0.0, 0.5], num_checks=6)
    assert set(res) == {0.0, 0.5}
    assert [(r["row"], r["col"]) for r in res[0.0]] == [(r["row"], r["col"]) for r in res[0.5]]
    for reg, rows in res.items():
        _, dW = softmax_loss_vectorized(W1, X1, y, reg)
        for r in rows:
            assert r["analytic"] == dW[r["row"], r["col"]]
            assert r["rel_error"] < 1e-6


def test_step_size_sweep_is_a_v(runs):
    run = runs["blobs_raw"]
    W, b, _ = run.weights_at(len(run.history.step) - 1)
    W1, X1 = compute.with_bias(W, b, run.features_train)
    res = checks.step_size_sweep(W1, X1, run.y_train, 1e-3)
    h, err = res["h"], res["rel_error"]
    at = {round(math.log10(v) * 2) / 2: e for v, e in zip(h, err, strict=True)}
    assert at[-5.0] < 1e-6
    assert at[-1.0] > 100 * at[-5.0]  # truncation on the right
    assert at[-13.0] > 100 * at[-5.0]  # round-off on the left
    assert 1e-9 <= res["best_h"] <= 1e-3
    # guides: slope +2 and -1 on the log-log plot
    slope = np.diff(np.log10(res["truncation"])) / np.diff(np.log10(h))
    np.testing.assert_allclose(slope, 2.0, rtol=1e-9)
    slope = np.diff(np.log10(res["roundoff"])) / np.diff(np.log10(h))
    np.testing.assert_allclose(slope, -1.0, rtol=1e-9)
    _, dW1 = softmax_loss_vectorized(W1, X1, run.y_train, 1e-3)
    assert res["analytic"] == dW1[res["entry"]] and abs(res["analytic"]) == np.abs(dW1).max()


def test_initial_loss_is_log_c(runs):
    rows = checks.initial_loss_check(runs["spiral"].features_train)
    assert [r["C"] for r in rows] == list(range(2, 11))
    for r in rows:
        assert math.isclose(r["log_C"], math.log(r["C"]))
        assert abs(r["loss"] - math.log(r["C"])) < 0.01


def test_stability_table():
    scores = np.array([1.0, -2.0, 0.5])
    cls = checks.stability_class(scores, 0)  # classified right: follow the least likely class
    assert cls == 1
    assert checks.stability_class(scores, 2) == 2  # classified wrong: follow the true class
    rows = checks.stability_table(scores, cls)
    assert [r["scale"] for r in rows] == list(checks.SCALES)
    for r in rows:
        s = scores * r["scale"]
        expected = -scipy.special.log_softmax(s)[cls]
        assert math.isclose(r["log_softmax"], expected, rel_tol=1e-12)
        assert math.isclose(r["gap"], s.max() - s[cls], rel_tol=1e-12)
        if r["gap"] < 700:
            assert math.isclose(r["shift_then_log"], expected, rel_tol=1e-9)
        if r["gap"] > 760:
            assert r["shift_then_log"] == math.inf
        if s.max() > 710:  # exp overflows without the shift
            assert not math.isfinite(r["no_shift"])


def test_shift_invariance():
    scores = np.array([0.3, -1.2, 2.0, 0.0])
    rows = checks.shift_invariance(scores)
    q0 = scipy.special.softmax(scores)
    for r in rows:
        assert r["max_diff"] < 1e-12
        np.testing.assert_allclose(r["q"], q0, atol=1e-12)
    by_shift = {r["shift"]: r for r in rows}
    assert math.isnan(by_shift[1000.0]["unshifted_max_diff"])
    assert by_shift[0.0]["unshifted_max_diff"] < 1e-15


def test_temperature_sweep():
    scores = np.array([2.0, 0.5, -1.0])
    T, Q, entropy = checks.temperature_sweep(scores)
    assert 1.0 in T
    np.testing.assert_allclose(Q, scipy.special.softmax(scores[None] / T[:, None], axis=1))
    np.testing.assert_allclose(Q[list(T).index(1.0)], scipy.special.softmax(scores))
    np.testing.assert_allclose(entropy, scipy.special.entr(Q).sum(axis=1), rtol=1e-10)
    assert np.all(np.diff(entropy) > 0)  # hotter = flatter
    assert Q[0].max() > 0.999 and entropy[-1] > 0.9 * math.log(3)


def test_check_reg_falls_back_only_without_regularization():
    assert checks.check_reg(0.0) == checks.REG_FALLBACK
    assert checks.check_reg(0.3) == 0.3
