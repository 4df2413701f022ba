"""Numerical gradients, the oracle of every analytic gradient: they must catch a wrong one."""

import numpy as np
import pytest

from softmax_engine import (
    grad_check_sparse,
    numerical_gradient,
    relative_error,
    softmax_loss_vectorized,
)

from .test_losses import random_problem


def test_gradcheck_detects_a_wrong_gradient():
    # the textbook loop's slip: the gradient not averaged over N must fail the check
    W, X, y = random_problem(np.random.default_rng(9), 25, 3, 3)
    _, dW = softmax_loss_vectorized(W, X, y, 0.0)
    check = grad_check_sparse(
        lambda w: softmax_loss_vectorized(w, X, y, 0.0)[0], W, dW * 25, num_checks=5, random_state=1
    )
    assert np.all(check["relative_errors"] > 0.5)


def test_numerical_gradient_restores_point_and_validates():
    x = np.array([1.0, 2.0, 3.0])
    g = numerical_gradient(lambda v: float(np.sum(v**3)), x)
    np.testing.assert_allclose(g, 3 * x**2, rtol=1e-8)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="h must be"):
        numerical_gradient(lambda v: 0.0, x, h=0.0)
    with pytest.raises(ValueError, match="float ndarray"):
        numerical_gradient(lambda v: 0.0, [1, 2])
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(1.0, -1.0) == pytest.approx(1.0)


def test_grad_check_sparse_passes_a_correct_gradient_and_validates():
    W, X, y = random_problem(np.random.default_rng(4), 30, 4, 3)
    _, dW = softmax_loss_vectorized(W, X, y, 0.2)
    check = grad_check_sparse(
        lambda w: softmax_loss_vectorized(w, X, y, 0.2)[0], W, dW, num_checks=8, random_state=0
    )
    assert len(check["indices"]) == 8 and np.all(check["relative_errors"] < 1e-6)
    np.testing.assert_array_equal(check["analytic"], [dW[i] for i in check["indices"]])
    with pytest.raises(ValueError, match="num_checks"):
        grad_check_sparse(lambda w: 0.0, W, dW, num_checks=0)
    with pytest.raises(ValueError, match="shape"):
        grad_check_sparse(lambda w: 0.0, W, dW[:1])
