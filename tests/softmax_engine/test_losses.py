"""Losses against independent oracles: scipy's log-softmax, the loop, numerical gradients."""

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st

import softmax_engine as se
from softmax_engine import (
    SoftmaxObjective,
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


def scipy_reference(W, X, y, reg):
    """Loss and gradient written independently with scipy.special, one-hot matrices."""
    scores = X @ W
    log_q = scipy.special.log_softmax(scores, axis=1)
    n, c = scores.shape
    onehot = np.eye(c)[y]
    loss = -np.sum(onehot * log_q) / n + reg * np.sum(W**2)
    dW = X.T @ (np.exp(log_q) - onehot) / n + 2 * reg * W
    return loss, dW


def random_problem(rng, n, d, c, scale=1.0):
    X = rng.standard_normal((n, d))
    W = scale * rng.standard_normal((d, c))
    y = rng.integers(0, c, size=n)
    return W, X, y


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 40),
    d=st.integers(1, 12),
    c=st.integers(1, 8),
    reg=st.sampled_from([0.0, 1e-3, 0.5, 10.0]),
    scale=st.sampled_from([1e-3, 1.0, 30.0]),
    seed=st.integers(0, 2**32 - 1),
)
def test_naive_vectorized_and_scipy_agree(n, d, c, reg, scale, seed):
    W, X, y = random_problem(np.random.default_rng(seed), n, d, c, scale)
    loss_ref, grad_ref = scipy_reference(W, X, y, reg)
    for fn in (softmax_loss_naive, softmax_loss_vectorized):
        loss, dW = fn(W, X, y, reg)
        assert isinstance(loss, float)
        assert dW.shape == (d, c)
        assert loss == pytest.approx(loss_ref, rel=1e-10, abs=1e-12)
        np.testing.assert_allclose(dW, grad_ref, rtol=1e-9, atol=1e-12)
    loss_n, dW_n = softmax_loss_naive(W, X, y, reg)
    loss_v, dW_v = softmax_loss_vectorized(W, X, y, reg)
    assert loss_v == pytest.approx(loss_n, rel=1e-10, abs=1e-14)
    np.testing.assert_allclose(dW_v, dW_n, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("reg", [0.0, 0.1, 3.0])
@pytest.mark.parametrize("fn", [softmax_loss_naive, softmax_loss_vectorized])
def test_gradient_matches_numerical_gradient(fn, reg):
    W, X, y = random_problem(np.random.default_rng(1), 30, 5, 4, scale=0.5)
    _, dW = fn(W, X, y, reg)
    numeric = numerical_gradient(lambda w: fn(w, X, y, reg)[0], W)
    assert np.max(relative_error(dW, numeric)) < 1e-7
    check = grad_check_sparse(lambda w: fn(w, X, y, reg)[0], W, dW, num_checks=15, random_state=0)
    assert np.all(check["relative_errors"] < 1e-7)


def test_initial_loss_is_log_c_for_tiny_weights():
    rng = np.random.default_rng(2)
    for c in (2, 3, 10):
        W, X, y = random_problem(rng, 500, 20, c, scale=1e-4)
        loss, _ = softmax_loss_vectorized(W, X, y, 0.0)
        assert loss == pytest.approx(np.log(c), rel=1e-3)


@pytest.mark.parametrize("fn", [softmax_loss_naive, softmax_loss_vectorized])
def test_stable_for_huge_scores(fn):
    # score gaps of 1e8: exp overflows and the textbook loop's log(q) would take log(0)
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    W = np.array([[1e8, -1e8], [-1e8, 1e8]])
    y = np.array([1, 0, 0])  # the first two are confidently wrong
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow is harmless
        loss, dW = fn(W, X, y, 0.0)
    expected = (2e8 + 2e8 + np.log(2.0)) / 3  # wrong by a 2e8 gap twice; a tie
    assert loss == pytest.approx(expected, rel=1e-12)
    assert np.all(np.isfinite(dW))
    ref_loss, ref_dW = scipy_reference(W, X, y, 0.0)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(dW, ref_dW, atol=1e-12)


def test_softmax_and_log_softmax_match_scipy_and_are_stable():
    rng = np.random.default_rng(3)
    s = rng.standard_normal((7, 5)) * 1e3
    np.testing.assert_allclose(softmax(s), scipy.special.softmax(s, axis=1), rtol=1e-12)
    np.testing.assert_allclose(log_softmax(s), scipy.special.log_softmax(s, axis=1), rtol=1e-12)
    assert np.all(np.isfinite(log_softmax(s)))
    np.testing.assert_allclose(softmax(s).sum(axis=1), 1.0)
    # shift invariance: adding a constant to every score leaves q unchanged
    np.testing.assert_allclose(softmax(s + 123.0), softmax(s), rtol=1e-12)
    np.testing.assert_allclose(softmax(s.T, axis=0), softmax(s).T, rtol=1e-12)


def test_softmax_jacobian_equals_numerical_jacobian():
    rng = np.random.default_rng(4)
    s = rng.standard_normal(5)
    q = softmax(s)
    J = softmax_jacobian(q)
    numeric = np.zeros((5, 5))
    for m in range(5):
        numeric[m] = numerical_gradient(lambda v, m=m: softmax(v)[m], s.copy())
    np.testing.assert_allclose(J, numeric, atol=1e-9)
    np.testing.assert_allclose(J, J.T)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)
    batch = softmax(rng.standard_normal((3, 5)))
    assert softmax_jacobian(batch).shape == (3, 5, 5)
    np.testing.assert_allclose(softmax_jacobian(batch)[1], softmax_jacobian(batch[1]))


def test_score_gradient_is_derivative_of_per_sample_loss():
    rng = np.random.default_rng(5)
    s = rng.standard_normal((4, 3))
    y = np.array([0, 2, 1, 2])
    G = score_gradient(softmax(s), y)
    for i in range(4):
        def per_sample_loss(v, i=i):
            return -log_softmax(v)[y[i]]

        numeric = numerical_gradient(per_sample_loss, s[i].copy())
        np.testing.assert_allclose(G[i], numeric, atol=1e-9)
    np.testing.assert_allclose(G.sum(axis=1), 0.0, atol=1e-15)


@pytest.mark.parametrize("fn", [softmax_loss_naive, softmax_loss_vectorized])
def test_inputs_are_not_modified(fn):
    W, X, y = random_problem(np.random.default_rng(6), 20, 4, 3)
    copies = W.copy(), X.copy(), y.copy()
    fn(W, X, y, 0.1)
    for original, copy in zip((W, X, y), copies, strict=True):
        np.testing.assert_array_equal(original, copy)


@pytest.mark.parametrize("fn", [softmax_loss_naive, softmax_loss_vectorized])
def test_float32_is_kept(fn):
    W, X, y = random_problem(np.random.default_rng(7), 50, 4, 3)
    loss32, dW32 = fn(W.astype(np.float32), X.astype(np.float32), y, 0.1)
    loss64, dW64 = fn(W, X, y, 0.1)
    assert dW32.dtype == np.float32
    assert np.asarray(loss32).dtype == np.float32
    assert float(loss32) == pytest.approx(loss64, rel=1e-5)
    np.testing.assert_allclose(dW32, dW64, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.ones((3, 2)), np.ones((4, 2)), np.zeros(4, int), 0.1), "features"),
        ((np.ones((2, 3)), np.ones((4, 2)), np.array([0, 1, 3, 0]), 0.1), r"\[0, 3\)"),
        ((np.ones((2, 3)), np.ones((4, 2)), np.array([0, -1, 1, 0]), 0.1), r"\[0, 3\)"),
        ((np.ones((2, 3)), np.ones((4, 2)), np.zeros(3, int), 0.1), "shape"),
        ((np.ones((2, 3)), np.ones((4, 2)), np.zeros(4, int), -1.0), "reg"),
        ((np.ones((2, 3)), np.ones((4, 2)), np.zeros(4, int), np.nan), "reg"),
        ((np.ones((2, 3)), np.ones((0, 2)), np.zeros(0, int), 0.1), "no samples"),
        ((np.ones((2, 3)), np.ones((4, 2)), np.array([0.5, 1, 1, 0]), 0.1), "integer"),
    ],
)
@pytest.mark.parametrize("fn", [softmax_loss_naive, softmax_loss_vectorized])
def test_bad_inputs_raise_clear_errors(fn, args, message):
    with pytest.raises(ValueError, match=message):
        fn(*args)


def test_objective_with_bias_matches_augmented_reference():
    rng = np.random.default_rng(8)
    W, X, y = random_problem(rng, 60, 4, 5)
    b = rng.standard_normal(5)
    reg = 0.3
    objective = SoftmaxObjective(X, y, 5, reg)
    loss, grad = objective(np.vstack([W, b]))
    # the bias as a constant feature, with its row left out of the regularization
    X1 = np.hstack([X, np.ones((60, 1))])
    ref_loss, ref_grad = scipy_reference(np.vstack([W, b]), X1, y, 0.0)
    ref_loss += reg * np.sum(W**2)
    ref_grad[:4] += 2 * reg * W
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-10, atol=1e-14)
    assert objective.data_loss + objective.reg_loss == pytest.approx(loss, rel=1e-14)
    assert objective.reg_loss == pytest.approx(reg * np.sum(W**2), rel=1e-14)
    # repeated calls reuse buffers but give the same answer
    loss2, grad2 = objective(np.vstack([W, b]))
    assert loss2 == loss
    np.testing.assert_array_equal(grad2, grad)


def test_public_names_importable_from_package():
    for name in (
        "softmax",
        "log_softmax",
        "softmax_jacobian",
        "score_gradient",
        "softmax_loss_naive",
        "softmax_loss_vectorized",
        "numerical_gradient",
        "grad_check_sparse",
        "relative_error",
    ):
        assert callable(getattr(se, name))
