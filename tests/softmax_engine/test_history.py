"""TrainingHistory built from the shared trainer's recorder: steps, the kept state, shapes."""

import numpy as np

from softmax_engine.history import TrainingHistory, history_from_recorder
from softmax_engine.objective import BatchedObjective
from softmax_engine.optim import make_optimizer
from softmax_engine.trainer import Recorder, Schedule, initial_theta, train


def run(lr, stop, every):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2)) * 50.0
    y = (X[:, 0] > 0).astype(int)
    objective = BatchedObjective(X, y, 2, 5.0)
    theta = initial_theta(rng, 2, 2)
    schedule = Schedule(0, stop, every)
    recorder = Recorder(schedule, theta, None, snapshots=True)
    result = train(objective, theta, make_optimizer("sgd", learning_rate=lr), schedule,
                   recorder)
    return recorder, int(result.final_step[0]), theta, objective


def test_history_is_the_recorded_steps_then_the_kept_state():
    recorder, final, theta, objective = run(1e-4, 7, 3)
    h = history_from_recorder(recorder, final, -1, 30)
    assert isinstance(h, TrainingHistory) and h.step.tolist() == [0, 3, 6, 7]
    assert h.W.shape == (4, 2, 2) and h.dW.shape == (4, 2, 2) and h.b.shape == (4, 2)
    np.testing.assert_array_equal(h.W[-1], theta[0, :, :2].T)
    loss, grad = objective(theta, count_correct=True)
    assert h.loss[-1] == loss[0] and h.train_accuracy[-1] == objective.n_correct[0] / 30
    np.testing.assert_array_equal(h.db[-1], grad[0, :, 2])
    np.testing.assert_allclose(h.grad_norm[-1], np.linalg.norm(grad[0]), rtol=1e-14)
    assert np.isnan(h.val_loss).all()


def test_a_diverged_run_ends_at_its_last_finite_step():
    # reg 5 with lr 1: the weights flip sign and grow 9x per step until the loss overflows
    recorder, final, theta, _ = run(1.0, 400, 1)
    h = history_from_recorder(recorder, final, -1, 30)
    assert final < 400 and h.step[-1] == final and h.step.tolist() == list(range(final + 1))
    assert np.isfinite(h.loss).all() and np.isfinite(h.W).all()
    np.testing.assert_array_equal(h.W[-1], theta[0, :, :2].T)
