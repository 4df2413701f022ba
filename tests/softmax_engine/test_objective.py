"""The one loss-and-gradient kernel for G models, against scipy and against itself per model."""

import numpy as np
import pytest
from scipy.special import logsumexp

from softmax_engine.objective import BatchedObjective, SoftmaxObjective


def reference(theta, X, y, reg):
    """Loss and gradient of one class-major model (C, D + 1), written from the definition."""
    n = len(X)
    X1 = np.hstack([X, np.ones((n, 1))])
    S = X1 @ theta.T
    lse = logsumexp(S, axis=1)
    W = theta[:, :-1]
    loss = np.mean(lse - S[np.arange(n), y]) + reg * np.sum(W * W)
    G = np.exp(S - lse[:, None])
    G[np.arange(n), y] -= 1.0
    grad = G.T @ X1 / n
    grad[:, :-1] += 2 * reg * W
    return loss, grad


@pytest.fixture
def problem():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(70, 5))
    y = rng.integers(0, 4, 70)
    theta = rng.normal(size=(6, 4, 6))
    theta[2] *= 300.0  # huge scores: the shift must keep exp() finite
    regs = np.array([0.0, 0.1, 1.0, 1e-3, 0.5, 2.0])
    return X, y, theta, regs


def test_every_model_matches_scipy(problem):
    X, y, theta, regs = problem
    loss, grad = BatchedObjective(X, y, 4, regs)(theta)
    assert loss.shape == (6,) and grad.shape == theta.shape
    for g in range(6):
        ref_loss, ref_grad = reference(theta[g], X, y, regs[g])
        assert loss[g] == pytest.approx(ref_loss, rel=1e-12)
        np.testing.assert_allclose(grad[g], ref_grad, rtol=1e-10, atol=1e-12)


def test_a_model_in_a_batch_is_the_model_alone(problem):
    X, y, theta, regs = problem
    objective = BatchedObjective(X, y, 4, regs)
    loss, grad = objective(theta, count_correct=True)
    grad, parts = grad.copy(), (objective.data_loss.copy(), objective.n_correct.copy())
    for g in range(6):
        alone = BatchedObjective(X, y, 4, regs[g])
        loss1, grad1 = alone(theta[g : g + 1], count_correct=True)
        assert loss1[0] == pytest.approx(loss[g], rel=1e-14)
        np.testing.assert_allclose(grad1[0], grad[g], rtol=1e-13, atol=1e-15)
        assert alone.n_correct[0] == parts[1][g]
        scores = np.hstack([X, np.ones((70, 1))]) @ theta[g].T
        assert parts[1][g] == np.count_nonzero(scores.argmax(axis=1) == y)


def test_validation_loss_needs_no_gradient(problem):
    X, y, theta, _ = problem
    objective = BatchedObjective(X, y, 4, 0.0)
    loss, grad = objective(theta, gradient=False)
    assert grad is None
    np.testing.assert_allclose(loss, objective(theta)[0], rtol=1e-15)


def test_mini_batches_share_buffers_but_not_results(problem):
    X, y, theta, regs = problem
    whole = BatchedObjective(X, y, 4, regs)
    first, second = whole.rows(0, 20), whole.rows(20, 40)
    _, grad1 = first(theta)
    kept = grad1.copy()
    loss2, grad2 = second(theta)  # same size: same buffers, overwritten
    assert grad2 is grad1
    ref = BatchedObjective(X[:20], y[:20], 4, regs)(theta)[1]
    np.testing.assert_allclose(kept, ref, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(loss2, BatchedObjective(X[20:40], y[20:40], 4, regs)(theta)[0],
                               rtol=1e-13)


def test_softmax_objective_is_the_one_model_view(problem):
    X, y, theta, _ = problem
    single = SoftmaxObjective(X, y, 4, 0.1)
    loss, grad = single(theta[1].T.copy(), count_correct=True)
    ref_loss, ref_grad = reference(theta[1], X, y, 0.1)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(grad, ref_grad.T, rtol=1e-10, atol=1e-12)
    assert isinstance(single.n_correct, int) and single.data_loss + single.reg_loss == loss
