"""The Sweep page's engine glue (``dashboard.sweep.compute``), without a server."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.playground.compute import train_playground
from dashboard.settings import LEARNING_RATES, REGULARIZATIONS, Settings
from dashboard.sweep import compute as sweep_compute


def test_sweep_axes_are_playground_slider_values():
    for n in range(sweep_compute.SWEEP_SIZE_RANGE[0], sweep_compute.SWEEP_SIZE_RANGE[1] + 1):
        lrs, regs = sweep_compute.sweep_axes(n)
        assert len(lrs) == len(regs) == n
        assert set(lrs) <= set(LEARNING_RATES) and set(regs) <= set(REGULARIZATIONS)
        assert lrs[0] == min(LEARNING_RATES) and lrs[-1] == max(LEARNING_RATES)
        assert regs[0] == 0.0 and regs[-1] == max(REGULARIZATIONS)


def test_playground_sweep_cells_are_playground_runs():
    settings = Settings(
        dataset="blobs",
        features="poly",
        degree=2,
        n_samples=200,
        optimizer="adam",
        batch_size=32,
        learning_rate=0.01,
    )
    sw = sweep_compute.playground_sweep(settings, 6, 80)
    r = sw.result
    assert r.shape == (6, 6) and sw.settings.steps == 80
    assert sw.settings.optimizer == "sgd" and sw.settings.batch_size == 0
    for i, j in [(2, 1), (3, 3), (4, 0)]:
        cell = sw.cell_settings(i, j, settings)
        assert (cell.learning_rate, cell.reg) == (r.learning_rates[i], r.regs[j])
        run = train_playground(cell)
        assert not run.model.diverged_ and not r.diverged[i, j]
        assert abs(run.history.loss[-1] - r.train_loss[i, j]) <= 1e-10
        assert run.history.val_accuracy[-1] == r.val_accuracy[i, j]
        np.testing.assert_allclose(run.model.coef_.T, r.W[i, j], rtol=0, atol=1e-10)
        assert (cell.dataset, cell.features, cell.degree) == ("blobs", "poly", 2)


def test_sweep_steps_are_bounded_by_the_work_budget():
    assert sweep_compute.sweep_steps_within_budget(144, 3, 240, 40, 300) == 300
    big = sweep_compute.sweep_steps_within_budget(256, 10, 1600, 40, 1000)
    assert 1 <= big < 1000
    assert 256 * 10 * 1600 * (40 + 51) * big <= sweep_compute.MAX_SWEEP_WORK


def test_sweep_cache_key_ignores_what_the_sweep_does_not_use():
    base = Settings(dataset="blobs", features="poly", degree=2)
    key = sweep_compute.sweep_cache_key(base)
    same = base.replace(
        learning_rate=5.0, reg=1.0, optimizer="adam", batch_size=32, steps=77, presenter=True
    )
    assert sweep_compute.sweep_cache_key(same) == key
    for change in (dict(data_seed=3), dict(degree=3), dict(init_seed=1), dict(noise=0.3)):
        assert sweep_compute.sweep_cache_key(base.replace(**change)) != key


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
