"""The Sweep page's engine glue (``dashboard.sweep.compute``), without a server."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.playground.compute import train_playground, training_inputs
from dashboard.settings import BATCH_SIZES, LEARNING_RATES, OPTIMIZERS, REGULARIZATIONS, Settings
from dashboard.sweep import compute as sweep_compute
from softmax_engine import SoftmaxClassifier


def test_sweep_axes_are_playground_slider_values():
    for n in range(sweep_compute.SWEEP_SIZE_RANGE[0], sweep_compute.SWEEP_SIZE_RANGE[1] + 1):
        lrs, regs = sweep_compute.sweep_axes(n)
        assert len(lrs) == len(regs) == n
        assert set(lrs) <= set(LEARNING_RATES) and set(regs) <= set(REGULARIZATIONS)
        assert lrs[0] == min(LEARNING_RATES) and lrs[-1] == max(LEARNING_RATES)
        assert regs[0] == 0.0 and regs[-1] == max(REGULARIZATIONS)


BLOBS = Settings(dataset="blobs", features="poly", degree=2, n_samples=200, learning_rate=0.01)
# (optimizer, batch size): every first-order optimizer, full and mini batches
FIRST_ORDER = [("sgd", 0), ("momentum", 16), ("nesterov", 0), ("adam", 32), ("sgd", 8)]


def _alone(settings, lr, reg, steps):
    """The engine's SoftmaxClassifier trained alone on the Playground's inputs."""
    inputs = training_inputs(settings)
    y = inputs.data.y
    return SoftmaxClassifier(
        optimizer=settings.optimizer,
        learning_rate=lr,
        reg=reg,
        max_iter=steps,
        batch_size=settings.batch_size or None,
        random_state=settings.init_seed,
    ).fit(
        inputs.Phi_train,
        y[inputs.train_index],
        X_val=inputs.Phi_val,
        y_val=y[inputs.val_index],
    )


@pytest.mark.parametrize(("optimizer", "batch_size"), FIRST_ORDER)
def test_playground_sweep_cells_are_playground_runs(optimizer, batch_size):
    settings = BLOBS.replace(optimizer=optimizer, batch_size=batch_size)
    sw = sweep_compute.playground_sweep(settings, 6, 80)
    r = sw.result
    assert r.shape == (6, 6) and sw.settings.steps == 80
    assert (sw.settings.optimizer, sw.settings.batch_size) == (optimizer, batch_size)
    assert (r.optimizer, r.batch_size) == (optimizer, batch_size or None)
    for i, j in [(2, 1), (3, 3), (1, 0)]:
        cell = sw.cell_settings(i, j, settings)
        assert (cell.learning_rate, cell.reg) == (r.learning_rates[i], r.regs[j])
        assert (cell.optimizer, cell.batch_size, cell.steps) == (optimizer, batch_size, 80)
        assert (cell.dataset, cell.features, cell.degree) == ("blobs", "poly", 2)
        run = train_playground(cell)  # the Playground's own run of this cell
        assert not run.model.diverged_ and not r.diverged[i, j]
        assert abs(run.history.loss[-1] - r.train_loss[i, j]) <= 1e-10
        assert run.history.val_accuracy[-1] == r.val_accuracy[i, j]
        np.testing.assert_allclose(run.model.coef_.T, r.W[i, j], rtol=0, atol=1e-10)
        alone = _alone(settings, cell.learning_rate, cell.reg, 80)
        np.testing.assert_allclose(alone.coef_.T, r.W[i, j], rtol=0, atol=1e-10)
        np.testing.assert_allclose(alone.intercept_, r.b[i, j], rtol=0, atol=1e-10)


def test_lbfgs_sweep_is_a_regularization_path_of_playground_runs():
    settings = BLOBS.replace(optimizer="lbfgs", batch_size=32, learning_rate=0.2)
    sw = sweep_compute.playground_sweep(settings, 6, 200)
    r = sw.result
    assert sw.is_path and r.shape == (1, 6) and np.isnan(r.learning_rates).all()
    assert sw.settings.optimizer == "lbfgs" and sw.settings.batch_size == 0
    assert list(r.regs) == list(sweep_compute.sweep_axes(6)[1])
    for j in (0, 2, 5):
        cell = sw.cell_settings(0, j, settings)
        # L-BFGS uses neither learning rate nor batch size: the Playground's stay
        assert (cell.optimizer, cell.reg, cell.steps) == ("lbfgs", r.regs[j], 200)
        assert (cell.learning_rate, cell.batch_size) == (0.2, 32)
        run = train_playground(cell)
        assert abs(run.history.loss[-1] - r.train_loss[0, j]) <= 1e-10
        alone = _alone(settings, 0.2, float(r.regs[j]), 200)
        np.testing.assert_allclose(alone.coef_.T, r.W[0, j], rtol=0, atol=1e-10)
        assert alone.n_iter_ == r.final_step[0, j]
    assert "one per regularization strength" in sw.describe()
    assert "L-BFGS" in sw.describe() and "at most 200 iterations" in sw.describe()


def test_describe_says_what_was_trained():
    sw = sweep_compute.playground_sweep(BLOBS.replace(optimizer="adam", batch_size=32), 6, 40)
    text = sw.describe()
    assert "36 models (6 learning rates × 6 regularizations)" in text
    assert "Adam on mini-batches of 32 for 40 steps" in text
    assert "160 training points with 5 features" in text and "validated on 40" in text
    full = sweep_compute.playground_sweep(BLOBS.replace(optimizer="sgd", batch_size=0), 6, 40)
    assert "Gradient descent on the full batch for 40 steps" in full.describe()


def test_sweep_steps_are_bounded_by_the_work_budget():
    assert sweep_compute.sweep_steps_within_budget(144, 3, 240, 40, 300) == 300
    big = sweep_compute.sweep_steps_within_budget(256, 10, 1600, 40, 1000)
    assert 1 <= big < 1000
    # full batch without validation: G·C·N·(D + 51) per step
    assert 256 * 10 * 1600 * (40 + 51) * big <= sweep_compute.MAX_SWEEP_WORK
    # the largest number of steps within the budget, whatever the batch mode
    for kw in (dict(), dict(n_val=400), dict(batch_size=8, n_val=400), dict(path=True)):
        t = sweep_compute.sweep_steps_within_budget(256, 10, 1600, 40, 1000, **kw)
        work = [sweep_compute.sweep_work(256, 10, 1600, 40, k, **kw) for k in (t, t + 1)]
        assert work[0] <= sweep_compute.MAX_SWEEP_WORK < work[1]


def test_mini_batches_cost_less_per_step_than_the_full_batch():
    full = sweep_compute.sweep_work(144, 3, 1600, 40, 300, n_val=400)
    mini = sweep_compute.sweep_work(144, 3, 1600, 40, 300, n_val=400, batch_size=32)
    assert mini < full
    # a batch as large as the training set is the full batch
    assert sweep_compute.sweep_work(144, 3, 200, 40, 300, batch_size=256) == (
        sweep_compute.sweep_work(144, 3, 200, 40, 300)
    )


def test_sweep_cache_key_ignores_what_the_sweep_does_not_use():
    base = Settings(dataset="blobs", features="poly", degree=2, optimizer="adam", batch_size=32)
    key = sweep_compute.sweep_cache_key(base)
    same = base.replace(learning_rate=5.0, reg=1.0, steps=77, presenter=True)
    assert sweep_compute.sweep_cache_key(same) == key
    for change in (dict(data_seed=3), dict(degree=3), dict(init_seed=1), dict(noise=0.3)):
        assert sweep_compute.sweep_cache_key(base.replace(**change)) != key
    # the optimizer and batch size are swept as chosen
    assert sweep_compute.sweep_cache_key(base.replace(optimizer="sgd")) != key
    assert sweep_compute.sweep_cache_key(base.replace(batch_size=0)) != key
    # L-BFGS uses the full batch whatever the Playground's batch size
    lbfgs = base.replace(optimizer="lbfgs")
    assert sweep_compute.sweep_cache_key(lbfgs) == sweep_compute.sweep_cache_key(
        lbfgs.replace(batch_size=128)
    )


def test_the_sweep_offers_every_optimizer_and_batch_size_of_the_playground():
    assert set(sweep_compute.SWEEP_OPTIMIZERS) == set(OPTIMIZERS)
    assert set(sweep_compute.SWEEP_BATCH_SIZES) == set(BATCH_SIZES)
    assert [sweep_compute.batch_label(b) for b in (0, 32)] == ["Full", "32"]


def test_default_steps_is_the_playgrounds_within_the_slider():
    lo, hi = sweep_compute.SWEEP_STEP_RANGE
    assert sweep_compute.default_steps(Settings(steps=120)) == 120
    assert sweep_compute.default_steps(Settings(steps=1)) == lo
    assert sweep_compute.default_steps(Settings(steps=5000)) == hi


def test_describe_data_names_the_data_and_features():
    text = sweep_compute.describe_data(Settings(dataset="blobs", features="poly", degree=2))
    assert "(degree 2)" in text and text.endswith("features")
    text = sweep_compute.describe_data(Settings(features="rbf", rbf_gamma=0.3, standardize=False))
    assert "γ = 0.3" in text and text.endswith(", unstandardized")


def test_accuracy_color_range_spans_the_counted_cells_in_5_percent_steps():
    acc = np.array([[0.87, 0.93], [0.10, np.nan]])
    diverged = np.array([[False, False], [True, False]])
    assert sweep_compute.accuracy_color_range(acc, diverged) == (0.85, 0.95)
    one = np.array([[0.9]])  # a single value still gets a 5 % wide range
    assert sweep_compute.accuracy_color_range(one, np.array([[False]])) == pytest.approx(
        (0.9, 0.95)
    )
    assert sweep_compute.accuracy_color_range(acc, np.ones((2, 2), bool)) == (0.0, 1.0)


def test_loss_color_range_stops_at_the_starting_loss():
    loss = np.array([[0.4, 2.0], [0.1, 0.7]])
    diverged = np.array([[False, False], [True, False]])
    assert sweep_compute.loss_color_range(loss, diverged, 1.1) == (0.4, 1.1)
    lo, hi = sweep_compute.loss_color_range(loss, diverged, 0.2)  # all worse than the start
    assert lo == 0.4 and hi == 0.4 + 1e-6
    assert sweep_compute.loss_color_range(loss, np.ones((2, 2), bool), 1.1) == (0.0, 1.1)


def test_clicked_cell_reads_the_last_point_inside_the_grid():
    def event(*points):
        return {"selection": {"points": [dict(zip("xy", p, strict=True)) for p in points]}}

    assert sweep_compute.clicked_cell(event((1, 2), (3.0, 0.0)), (4, 5)) == (3, 0)
    assert sweep_compute.clicked_cell(event((4, 0)), (4, 5)) is None  # outside
    assert sweep_compute.clicked_cell(event(), (4, 5)) is None
    assert sweep_compute.clicked_cell(None, (4, 5)) is None
    assert sweep_compute.clicked_cell({"selection": {"points": [{"x": "a"}]}}, (4, 5)) is None


def test_clicked_cell_prefers_the_points_cell():
    # the path chart's points carry their cell (0, j); their y is a value, not a row
    event = {"selection": {"points": [{"x": 3, "y": 0.82, "customdata": [0, 3]}]}}
    assert sweep_compute.clicked_cell(event, (1, 6)) == (0, 3)
    # what Chromium sent for a click on the path chart (customdata from a typed array)
    event = {"selection": {"points": [{"x": 9, "y": 0.93, "customdata": {"0": 0, "1": 9}}]}}
    assert sweep_compute.clicked_cell(event, (1, 12)) == (0, 9)
