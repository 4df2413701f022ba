"""The live plane: every cell is the model trained alone, and the file the browser reads
holds exactly those numbers within the byte budget."""

import base64
import math

import numpy as np
import pytest

from dashboard.playground.compute import training_inputs
from dashboard.playground.plane import (
    MAX_PLANE_BYTES,
    SERIES,
    WORK_BUDGET,
    build_plane,
    decode_plane,
    encode_plane,
    live_note,
    plane_region,
    plane_work,
    stage_state,
)
from dashboard.settings import LEARNING_RATES, REGULARIZATIONS, Settings
from softmax_engine.classifier import SoftmaxClassifier


def alone(settings, lr, reg):
    """The oracle: one SoftmaxClassifier on the Playground's features."""
    inputs = training_inputs(settings)
    y = inputs.data.y
    return SoftmaxClassifier(
        learning_rate=1.0 if math.isnan(lr) else lr,
        reg=reg,
        max_iter=settings.steps,
        optimizer=settings.optimizer,
        batch_size=settings.batch_size or None,
        random_state=settings.init_seed,
    ).fit(inputs.Phi_train, y[inputs.train_index], X_val=inputs.Phi_val, y_val=y[inputs.val_index])


CASES = [
    Settings(steps=60),
    Settings(optimizer="adam", batch_size=32, steps=60, dataset="blobs", n_classes=4),
    Settings(optimizer="nesterov", features="poly", degree=2, steps=40),
    Settings(optimizer="lbfgs", steps=40),
]


@pytest.mark.parametrize("settings", CASES, ids=lambda s: f"{s.optimizer}-{s.batch_size}")
def test_cells_are_the_models_trained_alone(settings):
    plane = build_plane(settings)
    n_lr = plane.shape[0]
    picks = [(0, 0), (n_lr // 2, 7), (n_lr - 1, 3), (min(9, n_lr - 1), 12)]
    for i, j in picks:
        assert plane.trained[i, j]
        model = alone(settings, plane.learning_rates[i], plane.regs[j])
        if model.diverged_ or plane.diverged[i, j]:
            assert model.diverged_ == bool(plane.diverged[i, j])
            continue
        np.testing.assert_allclose(plane.W[i, j], model.coef_.T, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(plane.b[i, j], model.intercept_, rtol=1e-4, atol=1e-6)
        h = model.history_
        index = {int(s): k for k, s in enumerate(h.step)}
        shared = [k for k, s in enumerate(plane.record_steps) if int(s) in index]
        assert len(shared) >= 5
        ks = [index[int(plane.record_steps[k])] for k in shared]
        expected = {
            "loss": h.loss[ks],
            "data_loss": h.data_loss[ks],
            "train_accuracy": h.train_accuracy[ks],
            "val_accuracy": h.val_accuracy[ks],
        }
        for n, name in enumerate(SERIES):
            np.testing.assert_allclose(
                plane.curves[i, j, shared, n], expected[name], rtol=1e-4, atol=1e-6, err_msg=name
            )


def test_lbfgs_plane_is_one_row_of_regularizations_and_says_why():
    settings = Settings(optimizer="lbfgs", steps=30)
    plane = build_plane(settings)
    assert plane.shape == (1, len(REGULARIZATIONS)) and np.isnan(plane.learning_rates[0])
    assert "Learning rate does not apply" in live_note(plane, settings)
    state = stage_state(plane, "u", settings, echo=0, step=30)
    assert state["lr_disabled"] is True and state["cell"][0] == 0


def test_file_round_trip_is_exact_and_aligned():
    plane = build_plane(Settings(steps=30))
    blob = encode_plane(plane)
    meta, arrays = decode_plane(blob)
    assert meta["class_names"] == ["0", "1", "2"] and meta["steps"] == 30
    for name, a in arrays.items():
        expected = np.asarray(getattr(plane, name))
        expected = expected.astype(a.dtype) if expected.dtype == bool else expected
        np.testing.assert_array_equal(a, expected.astype(a.dtype), err_msg=name)
        assert a.ctypes.data % 8 == np.frombuffer(blob, np.uint8).ctypes.data % 8
    with pytest.raises(ValueError):
        decode_plane(b"nope" + blob[4:])


def test_grid_features_are_the_feature_map_of_the_grid():
    settings = Settings(features="poly", degree=3, steps=10)
    plane = build_plane(settings)
    gx, gy = np.meshgrid(plane.grid_x.astype(float), plane.grid_y.astype(float))
    inputs = training_inputs(settings)
    expected = inputs.feature_map.transform(np.column_stack([gx.ravel(), gy.ravel()]))
    np.testing.assert_allclose(plane.grid_features, expected, rtol=1e-5, atol=1e-5)


LARGE = [
    Settings(),
    Settings(n_samples=2000, steps=5000, n_classes=10, dataset="blobs"),
    Settings(n_samples=2000, steps=5000, features="poly", degree=5),
    Settings(n_samples=2000, steps=5000, optimizer="adam", batch_size=8),
]


@pytest.mark.slow
@pytest.mark.parametrize("settings", LARGE, ids=range(len(LARGE)))
def test_the_file_fits_the_budget_and_the_current_cell_is_live(settings):
    plane = build_plane(settings)
    assert len(encode_plane(plane)) <= MAX_PLANE_BYTES
    i, j = plane.cell_index(settings.learning_rate, settings.reg)
    assert plane.trained[i, j]
    inputs = training_inputs(settings)
    n, d = inputs.Phi_train.shape
    per_cell = plane_work(settings, n, d, len(inputs.data.class_names)) / plane.trained.size
    assert plane.trained.sum() * per_cell <= max(WORK_BUDGET, per_cell)
    if plane.trained.sum() < plane.trained.size:
        assert "release" in live_note(plane, settings)
        rows, cols = plane_region(settings, inputs)
        assert plane.trained[rows, cols].all() and plane.trained.sum() == (
            (rows.stop - rows.start) * (cols.stop - cols.start)
        )


def test_stage_state_carries_the_scrubbed_step_and_play_frames_as_float32():
    settings = Settings(steps=20, learning_rate=0.5, reg=0.01)
    plane = build_plane(settings)
    W = np.arange(6.0).reshape(2, 3) / 7
    steps, Ws, bs = np.array([0, 10, 20]), np.stack([W, 2 * W, 3 * W]), np.ones((3, 3))
    state = stage_state(plane, "url", settings, echo=4, step=10, override=(W, W[0]),
                        play=(steps, Ws, bs))  # fmt: skip
    assert state["lr_index"] == LEARNING_RATES.index(0.5)
    assert state["reg_index"] == REGULARIZATIONS.index(0.01) and state["echo"] == 4
    back = np.frombuffer(base64.b64decode(state["override"]["W"]), "<f4").reshape(2, 3)
    np.testing.assert_allclose(back, W, rtol=1e-7)
    frames = np.frombuffer(base64.b64decode(state["play"]["W"]), "<f4").reshape(3, 2, 3)
    np.testing.assert_allclose(frames, Ws, rtol=1e-7)
    assert state["play"]["steps"] == [0, 10, 20]
