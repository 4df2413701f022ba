"""The sample's numbers (``dashboard.derivation.compute``) against independent oracles.

Oracles: ``scipy.special`` (softmax, log_softmax, entr) and the centred differences of
``oracles.py``; expected values are never taken from the code under test.
"""

import math

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.derivation import compute
from tests.dashboard.derivation.oracles import oracle_loss, oracle_numerical, random_problem

# ----------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("value", "n", "expected"),
    [
        (0, 5, 0),
        (4, 5, 4),
        (5, 5, 4),
        (-3, 5, 0),
        (2.6, 5, 3),
        (1e12, 5, 4),
        (None, 5, 0),
        ("abc", 5, 0),
        ("3", 5, 3),
        (float("nan"), 5, 0),
        (float("inf"), 5, 4),
        (float("-inf"), 5, 0),
        (7, 1, 0),
        (7, 0, 0),
    ],
)
def test_clamp_index(value, n, expected):
    assert compute.clamp_index(value, n) == expected


def test_with_bias_reproduces_scores():
    rng = np.random.default_rng(0)
    W, b, X, _ = random_problem(rng)
    W1, X1 = compute.with_bias(W, b, X)
    assert W1.shape == (W.shape[0] + 1, W.shape[1]) and X1.shape == (X.shape[0], X.shape[1] + 1)
    np.testing.assert_allclose(X1 @ W1, X @ W + b, rtol=1e-13)


def test_matrix_relative_error():
    assert compute.matrix_relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert compute.matrix_relative_error([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert compute.matrix_relative_error([1.0], [-1.0]) == 1.0
    assert math.isclose(compute.matrix_relative_error([3.0], [1.0]), 0.5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.5, "0.5"),
        (-1.25e-7, r"-1.25\times10^{-7}"),
        (math.inf, r"\infty"),
        (-math.inf, r"-\infty"),
        (math.nan, r"\mathrm{NaN}"),
    ],
)
def test_latex_number(value, expected):
    assert compute.latex_number(value) == expected


def test_latex_vector_elides_long_vectors():
    text = compute.latex_vector(np.arange(12.0), max_items=5)
    assert text.count("&") == 5 and r"\cdots" in text
    assert text.startswith(r"\begin{bmatrix}") and text.endswith(r"\end{bmatrix}")


def test_display_number():
    assert compute.display_number(math.inf) == "∞"
    assert compute.display_number(-math.inf) == "−∞"
    assert compute.display_number(math.nan) == "NaN"
    assert compute.display_number(1234.5678, ".6g") == "1234.57"


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([], None),
        (None, None),
        ([{"curve_number": 2, "point_index": 3}], None),
        ([{"customdata": 17}], 17),
        ([{"customdata": [8, "x"]}], 8),
        ([{"customdata": 17.0}], 17),
        ([{"customdata": None}, {"customdata": 4}], 4),
        ([{"customdata": 999}], 49),
        ([{"customdata": -3}], 0),
        ([{"customdata": "nonsense"}], None),
        ([{"customdata": float("nan")}], None),
        (["not a dict"], None),
    ],
)
def test_sample_from_points(points, expected):
    assert compute.sample_from_points(points, 50) == expected


def test_most_uncertain_sample_matches_scipy_entropy():
    rng = np.random.default_rng(3)
    W, b, X, _ = random_problem(rng, N=40, C=4)
    q = scipy.special.softmax(X @ W + b, axis=1)
    entropy = scipy.special.entr(q).sum(axis=1)
    assert compute.most_uncertain_sample(W, b, X) == int(np.argmax(entropy))


# ----------------------------------------------------------------------------- one sample


def check_sample(d, W, b, X, y, i):
    """Every quantity of a SampleDerivation against scipy and hand-written differences."""
    x, label = X[i], int(y[i])
    C = W.shape[1]
    s = x @ W + b
    np.testing.assert_allclose(d.scores, s, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(d.q, scipy.special.softmax(s), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(d.log_q, scipy.special.log_softmax(s), rtol=1e-12, atol=1e-12)
    assert math.isclose(d.loss, oracle_loss(W, b, x, label), rel_tol=1e-12, abs_tol=1e-15)
    onehot = np.eye(C)[label]
    np.testing.assert_array_equal(d.onehot, onehot)
    # Eq. (5): -1/q at the label, 0 elsewhere.
    q = scipy.special.softmax(s)
    expected_dldq = np.where(np.arange(C) == label, -1.0 / q[label], 0.0)
    np.testing.assert_allclose(d.dL_dq, expected_dldq, rtol=1e-12)
    # Eqs. (6)-(7): the Jacobian, against differences of scipy's softmax.
    J_num = np.stack(
        [oracle_numerical(lambda v, m=m: scipy.special.softmax(v)[m], s) for m in range(C)]
    )
    np.testing.assert_allclose(d.jacobian, J_num, atol=1e-8)
    np.testing.assert_allclose(d.jacobian, d.jacobian.T, atol=1e-15)
    np.testing.assert_allclose(d.jacobian.sum(axis=1), 0.0, atol=1e-15)
    # Chain rule = closed form = differences of the loss in the scores.
    np.testing.assert_allclose(d.closed, q - onehot, atol=1e-15)
    np.testing.assert_allclose(d.chain, d.closed, rtol=1e-9, atol=1e-12)
    num_s = oracle_numerical(lambda v: float(-scipy.special.log_softmax(v)[label]), s)
    np.testing.assert_allclose(d.numerical_scores, num_s, atol=1e-7)
    np.testing.assert_allclose(d.closed, num_s, atol=1e-7)
    # The per-sample gradient: column j = (q_j - 1[j = y]) x.
    G = np.outer(x, q - onehot)
    np.testing.assert_allclose(d.grad_W, G, rtol=1e-12, atol=1e-15)
    num_W = oracle_numerical(lambda Wp: oracle_loss(Wp, b, x, label), W)
    np.testing.assert_allclose(d.numerical_W, num_W, atol=1e-7)
    np.testing.assert_allclose(d.engine_W, G, rtol=1e-10, atol=1e-14)
    assert d.err_chain_closed < 1e-8
    assert d.err_W_engine < 1e-12
    assert d.numerical_agrees
    assert d.index == i and d.label == label and d.predicted == int(np.argmax(s))


def test_derive_sample_on_random_problem():
    rng = np.random.default_rng(1)
    W, b, X, y = random_problem(rng)
    for i in (0, 5, len(y) - 1):
        check_sample(compute.derive_sample(W, b, X, y, i), W, b, X, y, i)


@pytest.mark.parametrize("name", ["spiral", "blobs_raw", "iris", "xor_poly"])
def test_derive_sample_on_trained_runs(runs, name):
    run = runs[name]
    X, y = run.features_train, run.y_train
    for k in (0, len(run.history.step) - 1):
        W, b, _ = run.weights_at(k)
        for i in (0, len(y) // 2, len(y) - 1):
            check_sample(compute.derive_sample(W, b, X, y, i), W, b, X, y, i)


def test_derive_sample_clamps_the_index():
    rng = np.random.default_rng(2)
    W, b, X, y = random_problem(rng)
    assert compute.derive_sample(W, b, X, y, -4).index == 0
    assert compute.derive_sample(W, b, X, y, 10**9).index == len(y) - 1
    assert compute.derive_sample(W, b, X, y, None).index == 0


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    C=st.integers(2, 10),
    D=st.integers(1, 6),
    scale=st.sampled_from([1e-3, 1.0, 5.0]),
)
def test_derive_sample_identities(seed, C, D, scale):
    rng = np.random.default_rng(seed)
    W, b, X, y = random_problem(rng, N=5, D=D, C=C, scale=scale)
    d = compute.derive_sample(W, b, X, y, int(rng.integers(5)))
    np.testing.assert_allclose(d.q.sum(), 1.0, rtol=1e-12)
    np.testing.assert_allclose(d.closed.sum(), 0.0, atol=1e-12)
    np.testing.assert_allclose(d.chain, d.closed, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(d.grad_W, np.outer(d.x, d.closed), rtol=1e-12, atol=1e-15)
    assert d.numerical_agrees


def test_underflowed_true_class_breaks_only_the_factored_chain():
    # The true class sits ~2000 below the top: q underflows to 0, eq. (5) is -inf.
    W = np.array([[0.0, 2000.0]])
    b = np.zeros(2)
    X = np.array([[1.0]])
    y = np.array([0])
    d = compute.derive_sample(W, b, X, y, 0)
    assert d.q[0] == 0.0 and d.dL_dq[0] == -np.inf
    assert not d.chain_finite
    np.testing.assert_allclose(d.closed, [-1.0, 1.0])
    assert math.isclose(d.loss, 2000.0, rel_tol=1e-12)  # log-softmax: finite
    np.testing.assert_allclose(d.grad_W, [[-1.0, 1.0]])
    assert d.numerical_agrees


def test_batch_gradient_check_reproduces_recorded_gradient(runs):
    for run in runs.values():
        for k in (0, len(run.history.step) - 1):
            W, b, dW = run.weights_at(k)
            res = compute.batch_gradient_check(
                W, b, run.features_train, run.y_train, run.settings.reg, dW
            )
            assert res["rel_error"] < 1e-10
            # and the mean of per-sample outer products, computed sample by sample
            X, y = run.features_train, run.y_train
            total = (
                sum(
                    np.outer(X[i], scipy.special.softmax(X[i] @ W + b) - np.eye(W.shape[1])[y[i]])
                    for i in range(len(y))
                )
                / len(y)
                + 2 * run.settings.reg * W
            )
            np.testing.assert_allclose(res["total"], total, rtol=1e-9, atol=1e-13)
