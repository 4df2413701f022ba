"""The shared training loop: schedules, the mini-batch order, freezing, tolerance."""

import numpy as np
import pytest

from softmax_engine.objective import BatchedObjective
from softmax_engine.optim import make_optimizer
from softmax_engine.trainer import (
    MiniBatches,
    Recorder,
    Schedule,
    grad_norms,
    initial_theta,
    train,
)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)
    return X, y


def test_schedule_records_start_grid_and_stop():
    assert Schedule(0, 7, 3).record_steps().tolist() == [0, 3, 6, 7]
    assert Schedule(5, 11, 4, skip=5).record_steps().tolist() == [8, 11]
    assert Schedule(5, 5, 4, skip=5).record_steps().tolist() == []
    assert Schedule(0, 0, 1).record_steps().tolist() == [0]


def test_mini_batches_are_blocks_of_the_rng_permutations(data):
    X, y = data
    batches = MiniBatches(X, y, 3, 0.0, 16, np.random.default_rng(4))
    rng = np.random.default_rng(4)
    expected = []
    for _ in range(2):
        order = rng.permutation(40)
        expected += [order[0:16], order[16:32], order[32:40]]
    theta = np.random.default_rng(1).normal(size=(1, 3, 4))
    for rows in expected:
        loss, _ = next(batches)(theta)
        ref, _ = BatchedObjective(X[rows], y[rows], 3)(theta)
        assert loss[0] == pytest.approx(ref[0], rel=1e-14)
    order, pos = batches.state
    resumed = MiniBatches(X, y, 3, 0.0, 16, rng, state=(order, 16))
    assert next(resumed).n_samples == 16 and resumed.state[1] == 32 and pos == 40


def test_a_frozen_model_does_not_move_while_the_others_train(data):
    X, y = data
    objective = BatchedObjective(X, y, 3)
    theta = initial_theta(np.random.default_rng(0), 3, 3, n_models=3)
    schedule = Schedule(0, 40, 1)
    recorder = Recorder(schedule, theta, None, snapshots=True)
    lrs = np.array([0.1, 1e300, 0.5])[:, None, None]  # the middle one blows up at once
    momentum = make_optimizer("momentum", learning_rate=lrs, momentum=0.9)
    result = train(objective, theta, momentum, schedule, recorder)
    assert result.diverged.tolist() == [False, True, False]
    assert result.final_step.tolist() == [40, 0, 40]
    np.testing.assert_array_equal(theta[1], recorder.thetas[0, 1])  # kept the start exactly
    assert np.isnan(recorder.loss[2:, 1]).all() and np.isfinite(recorder.loss[:, [0, 2]]).all()
    alone = initial_theta(np.random.default_rng(0), 3, 3)
    train(objective_alone := BatchedObjective(X, y, 3), alone,
          make_optimizer("momentum", learning_rate=0.5, momentum=0.9), schedule,
          Recorder(schedule, alone, None, snapshots=False))
    np.testing.assert_allclose(theta[2], alone[0], rtol=1e-12, atol=1e-15)
    assert objective_alone.n_samples == 40


def test_loss_limit_and_tolerance_stop_models(data):
    X, y = data
    objective = BatchedObjective(X, y, 3, np.array([0.0, 10.0]))
    theta = initial_theta(np.random.default_rng(0), 3, 3, n_models=2, init_scale=0.1)
    schedule = Schedule(0, 200, 10, tol=1e-3)
    recorder = Recorder(schedule, theta, None, snapshots=False)
    # reg 10 with lr 0.2: W flips sign and grows 3x per step until the loss passes 100
    result = train(objective, theta, make_optimizer("sgd", learning_rate=np.array(
        [1.0, 0.2])[:, None, None]), schedule, recorder, limit=100.0)
    assert result.diverged.tolist() == [False, True]
    assert recorder.final_loss[1] <= 100.0
    # model 0 trains until its gradient is small or the steps run out
    k = result.final_step[0]
    assert k == 200 or grad_norms(recorder.final_grad)[0] <= 1e-3
