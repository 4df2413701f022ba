"""The textbook loop and its slips (``dashboard.derivation.slips``) against oracles.

Oracles: scipy's log_softmax for the loss, centred differences of that loss for the
gradient, plain numpy for what each slip must give; and the page's code blocks are
checked to be lines of the module, so what the reader sees is what runs.
"""

import inspect
import math

import numpy as np
import pytest
import scipy.special

from dashboard.derivation import compute, slips
from dashboard.derivation.text import CODE, LANGUAGES, code_block
from tests.dashboard.derivation.oracles import oracle_mean_loss, oracle_numerical, random_problem


@pytest.mark.parametrize(
    ("N", "D", "C", "reg"), [(12, 4, 3, 0.0), (30, 2, 5, 0.1), (7, 6, 2, 1e-3)]
)
def test_textbook_loop_is_the_loss_and_its_gradient(N, D, C, reg):
    rng = np.random.default_rng(N + D + C)
    W, _, X, y = random_problem(rng, N=N, D=D, C=C)
    loss, dW = slips.textbook_loop(W, X, y, reg)
    assert math.isclose(loss, oracle_mean_loss(W, X, y, reg), rel_tol=1e-12)
    numerical = oracle_numerical(lambda V: oracle_mean_loss(V, X, y, reg), W)
    np.testing.assert_allclose(dW, numerical, atol=1e-7)
    # and, entry by entry, the derivation's result averaged: sum_i x_i^T (q_i - p_i) / N
    Q = scipy.special.softmax(X @ W, axis=1)
    expected = X.T @ (Q - np.eye(C)[y]) / N + 2 * reg * W
    np.testing.assert_allclose(dW, expected, rtol=1e-12, atol=1e-15)


def test_each_slip_does_what_the_page_says():
    rng = np.random.default_rng(11)
    W, _, X, y = random_problem(rng, N=20, D=3, C=4)
    reg = 0.05
    _, right = slips.textbook_loop(W, X, y, reg)
    data = right - 2 * reg * W
    _, summed = slips.textbook_loop(W, X, y, reg, average=False, reg_gradient=False)
    np.testing.assert_allclose(summed, len(y) * data, rtol=1e-12)  # N times too large
    _, no_reg = slips.textbook_loop(W, X, y, reg, reg_gradient=False)
    np.testing.assert_allclose(no_reg, data, rtol=1e-12, atol=1e-15)  # 2 reg W missing
    with pytest.raises(ValueError):  # a (D,) vector into one entry
        slips.textbook_loop(W, X, y, reg, index_by_sample=True)
    error = slips.index_slip_error(W, X, y)
    assert error.startswith("ValueError: ")


def test_slips_check_on_a_trained_run(runs):
    run = runs["spiral"]
    W, b, _ = run.weights_at(len(run.history.step) - 1)
    W1, X1 = compute.with_bias(W, b, run.features_train)
    N = len(run.y_train)
    rows = {r["variant"]: r for r in slips.slips_check(W1, X1, run.y_train, 0.01)}
    assert rows["summed"]["reg"] == 0.0 and rows["corrected"]["reg"] == 0.01
    assert math.isclose(rows["summed"]["norm_ratio"], N, rel_tol=1e-10)
    # N times too large: relative error (N - 1) / (N + 1) at every checked entry
    assert math.isclose(rows["summed"]["max_rel_error"], (N - 1) / (N + 1), rel_tol=1e-5)
    assert rows["averaged"]["max_rel_error"] > 1e-3
    assert rows["corrected"]["max_rel_error"] < 1e-6
    assert math.isclose(rows["corrected"]["norm_ratio"], 1.0, rel_tol=1e-12)


@pytest.mark.parametrize("scores", [[2.0, 1.0, 0.1], [-3.0, 0.0, 40.0, 7.5], [0.0, 0.0]])
def test_shift_then_log_matches_log_softmax_for_moderate_scores(scores):
    for c in range(len(scores)):
        expected = -scipy.special.log_softmax(scores)[c]
        assert math.isclose(slips.shift_then_log_loss(scores, c), expected, rel_tol=1e-12)


def test_shift_then_log_returns_inf_once_q_underflows():
    assert slips.shift_then_log_loss([0.0, 800.0], 0) == math.inf
    assert math.isfinite(slips.shift_then_log_loss([0.0, 700.0], 0))
    assert slips.shift_then_log_loss([0.0, 800.0], 1) == 0.0
    # log-softmax, as the loop computes it, stays finite
    assert math.isclose(-scipy.special.log_softmax([0.0, 800.0])[0], 800.0)


def _code_lines(block):
    """The code of a block, comments dropped, one stripped line each."""
    lines = (line.split("  #")[0].strip() for line in block.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("key", sorted(CODE))
def test_code_blocks_are_lines_of_the_module(key):
    source = {line.strip() for line in inspect.getsource(slips).splitlines()}
    missing = [line for line in _code_lines(CODE[key]) if line not in source]
    assert not missing, (key, missing)
    for lang in LANGUAGES:
        compile(code_block(lang, key), key, "exec")  # every block is valid Python
        assert code_block(lang, key).count("\n") == CODE[key].count("\n")
