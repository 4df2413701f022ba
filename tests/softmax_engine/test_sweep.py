"""The batched learning-rate × regularization sweep against per-model training."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from softmax_engine import FeatureMap, make_dataset
from softmax_engine.classifier import DivergenceWarning, SoftmaxClassifier
from softmax_engine.sweep import (
    chaotic_cells,
    initial_weights,
    log_subset,
    regularization_path,
    sweep,
)

LRS = (1e-3, 0.05, 0.5, 2.0, 5.0)
REGS = (0.0, 1e-4, 1e-2, 0.1)
STEPS = 120


@pytest.fixture(scope="module")
def spiral():
    data = make_dataset("spiral", n_samples=240, n_classes=3, random_state=1)
    tr, va = data.train_validation_indices(0.25, random_state=1)
    fm = FeatureMap("poly", degree=2)
    X = fm.fit_transform(data.X[tr])
    return X, data.y[tr], fm.transform(data.X[va]), data.y[va]


@pytest.fixture(scope="module")
def result(spiral):
    X, y, Xv, yv = spiral
    return sweep(
        X, y, LRS, REGS, steps=STEPS, X_val=Xv, y_val=yv, random_state=7, max_loss_ratio=None,
        record_every=1,
    )


def per_model(spiral, lr, reg, steps=STEPS, random_state=7):
    X, y, Xv, yv = spiral
    clf = SoftmaxClassifier(
        optimizer="sgd",
        batch_size=None,
        learning_rate=lr,
        reg=reg,
        max_iter=steps,
        random_state=random_state,
        record_every=1,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        return clf.fit(X, y, X_val=Xv, y_val=yv)


CELLS = [(0, 0), (1, 1), (2, 2), (2, 3), (3, 0), (3, 2), (4, 1), (1, 3)]


@pytest.mark.parametrize(("i", "j"), CELLS)
def test_each_cell_equals_per_model_training(spiral, result, i, j):
    clf = per_model(spiral, LRS[i], REGS[j])
    assert not clf.diverged_ and not result.diverged[i, j]
    h = clf.history_
    np.testing.assert_allclose(result.W[i, j], clf.coef_.T, rtol=0, atol=1e-10)
    np.testing.assert_allclose(result.b[i, j], clf.intercept_, rtol=0, atol=1e-10)
    np.testing.assert_allclose(result.loss_curves[:, i, j], h.loss, rtol=0, atol=1e-10)
    assert abs(result.train_loss[i, j] - h.loss[-1]) <= 1e-10
    assert abs(result.val_loss[i, j] - h.val_loss[-1]) <= 1e-10
    assert result.train_accuracy[i, j] == h.train_accuracy[-1]
    assert result.val_accuracy[i, j] == h.val_accuracy[-1]
    assert result.final_step[i, j] == STEPS


def test_grid_layout_and_initial_loss(result):
    assert result.shape == (len(LRS), len(REGS))
    np.testing.assert_array_equal(result.learning_rates, LRS)
    np.testing.assert_array_equal(result.regs, REGS)
    assert result.loss_curves.shape == (STEPS + 1, len(LRS), len(REGS))
    # every model starts at the same point, so step 0 differs only by reg * ||W0||^2
    W0, _ = initial_weights(result.W.shape[2], 3, random_state=7)
    expected0 = result.initial_loss + np.asarray(REGS) * np.sum(W0**2)
    np.testing.assert_allclose(result.loss_curves[0], np.broadcast_to(expected0, result.shape))
    assert abs(result.initial_loss - np.log(3)) < 0.01


def test_initial_weights_mirror_the_classifier(spiral):
    X, y, _, _ = spiral
    clf = SoftmaxClassifier(max_iter=0, random_state=3, init_scale=0.01).fit(X, y)
    W0, b0 = initial_weights(X.shape[1], 3, init_scale=0.01, random_state=3)
    np.testing.assert_array_equal(W0, clf.history_.W[0])
    np.testing.assert_array_equal(b0, clf.history_.b[0])


def test_explicit_start_is_used(spiral):
    X, y, _, _ = spiral
    W0 = np.full((X.shape[1], 3), 0.01)
    b0 = np.array([0.1, 0.0, -0.1])
    r = sweep(X, y, [0.1], [1e-3], steps=0, W0=W0, b0=b0)
    np.testing.assert_array_equal(r.W[0, 0], W0)
    np.testing.assert_array_equal(r.b[0, 0], b0)


def test_non_finite_divergence_matches_the_classifier_fallback():
    # unstandardized, large features and a huge step: the loss overflows within a few steps
    data = make_dataset("blobs", n_samples=120, n_classes=3, random_state=0)
    X = data.X * 1e3
    lrs, regs = (1e-6, 10.0), (0.0, 10.0)
    r = sweep(X, data.y, lrs, regs, steps=100, random_state=0, max_loss_ratio=None)
    assert not r.diverged[0, 0]
    for i, j in [(1, 1)]:
        clf = SoftmaxClassifier(
            optimizer="sgd", learning_rate=lrs[i], reg=regs[j], max_iter=100, random_state=0
        )
        with pytest.warns(DivergenceWarning):
            clf.fit(X, data.y)
        assert r.diverged[i, j] and clf.diverged_
        assert r.final_step[i, j] == clf.history_.step[-1] < 100
        np.testing.assert_allclose(r.W[i, j], clf.coef_.T, rtol=1e-12)
        np.testing.assert_allclose(r.train_loss[i, j], clf.history_.loss[-1], rtol=1e-12)
        assert np.isfinite(r.train_loss[i, j]) and np.isfinite(r.W[i, j]).all()
        # the curve stops at the divergence
        assert np.isnan(r.loss_curves[r.final_step[i, j] + 2 :, i, j]).all()


def test_blown_up_loss_is_flagged_and_frozen(spiral):
    X, y, _, _ = spiral
    # lr · 2 · reg = 20 ≥ 1: W flips sign and grows 19× per step, finite for a while
    r = sweep(X, y, [0.05, 10.0], [1.0], steps=40, random_state=0, max_loss_ratio=100.0)
    loose = sweep(X, y, [0.05, 10.0], [1.0], steps=40, random_state=0, max_loss_ratio=None)
    assert not r.diverged[0, 0] and r.diverged[1, 0]
    assert not loose.diverged[1, 0] and loose.train_loss[1, 0] > 1e30
    k = int(r.final_step[1, 0])
    assert 0 < k < 40
    limit = 100.0 * max(r.initial_loss, 1.0)
    assert r.train_loss[1, 0] <= limit < r.loss_curves[k + 1, 1, 0]
    # the frozen state is the loose run's state at that step
    np.testing.assert_allclose(r.train_loss[1, 0], loose.loss_curves[k, 1, 0], rtol=1e-12)
    np.testing.assert_allclose(r.train_loss[0, 0], loose.train_loss[0, 0], rtol=0, atol=1e-12)


def test_best_cell_prefers_validation_accuracy_then_loss(result):
    i, j = result.best_cell()
    acc = np.where(result.diverged, -1, result.val_accuracy)
    assert result.val_accuracy[i, j] == acc.max()
    ties = acc == acc.max()
    assert result.train_loss[i, j] == result.train_loss[ties].min()


def test_without_validation_set(spiral):
    X, y, _, _ = spiral
    r = sweep(X, y, [0.5], [0.0, 1e-3], steps=10)
    assert np.isnan(r.val_accuracy).all() and np.isnan(r.val_loss).all()
    assert r.best_cell() is not None


def test_zero_steps_and_no_warnings(spiral):
    X, y, _, _ = spiral
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = sweep(X * 1e4, y, [10.0], [10.0], steps=30, random_state=0)
        r0 = sweep(X, y, [1.0], [0.0], steps=0, random_state=0)
    assert r.diverged.all()
    assert r0.final_step[0, 0] == 0 and r0.loss_curves.shape == (1, 1, 1)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(learning_rates=[0.0]), "learning_rates"),
        (dict(learning_rates=[np.nan]), "learning_rates"),
        (dict(regs=[-1.0]), "regs"),
        (dict(regs=[]), "regs"),
        (dict(steps=-1), "steps"),
        (dict(steps=2.5), "steps"),
        (dict(max_loss_ratio=0.5), "max_loss_ratio"),
        (dict(W0=np.zeros((2, 3))), "W0"),
        (dict(X_val=np.zeros((3, 2))), "X_val"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, match):
    base = dict(X=np.zeros((4, 2)), y=np.array([0, 1, 2, 0]), learning_rates=[0.1], regs=[0.0])
    base.update(kwargs)
    with pytest.raises(ValueError, match=match):
        sweep(**base)


def test_log_subset_takes_options_from_the_list():
    options = (0.0, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.2, 0.5, 1.0)
    sub = log_subset(options, 6)
    assert len(sub) == 6 and set(sub) <= set(options)
    assert sub[0] == 0.0 and sub[-1] == 1.0 and list(sub) == sorted(sub)
    assert log_subset(options, 50) == options
    assert log_subset(options, 1) == (0.0,)
    with pytest.raises(ValueError, match="increasing"):
        log_subset((1.0, 0.5), 2)
    with pytest.raises(ValueError, match="n must"):
        log_subset(options, 0)


# ----------------------------------------------------------------------------- every optimizer


def blobs_data(n_classes):
    """Unstandardized-enough data for the stable range to end inside the grid."""
    data = make_dataset("blobs", n_samples=150, n_classes=n_classes, noise=0.3, random_state=2)
    tr, va = data.train_validation_indices(0.2, random_state=2)
    fm = FeatureMap("poly", degree=2)
    return fm.fit_transform(data.X[tr]), data.y[tr], fm.transform(data.X[va]), data.y[va]


PLANE_LRS = (1e-3, 0.05, 0.5, 5.0, 50.0)
PLANE_REGS = (0.0, 1e-3, 0.1)
PLANE_STEPS = 60
CASES = [
    (optimizer, batch_size, n_classes)
    for optimizer in ("sgd", "momentum", "nesterov", "adam")
    for batch_size in (None, 16)
    for n_classes in (2, 4)
]


@pytest.mark.parametrize(("optimizer", "batch_size", "n_classes"), CASES)
def test_every_cell_is_the_classifier_trained_alone(optimizer, batch_size, n_classes):
    X, y, Xv, yv = blobs_data(n_classes)
    kwargs = dict(steps=PLANE_STEPS, optimizer=optimizer, batch_size=batch_size, momentum=0.8,
                  random_state=5, max_loss_ratio=None, record_every=7)
    r = sweep(X, y, PLANE_LRS, PLANE_REGS, X_val=Xv, y_val=yv, **kwargs)
    chaotic = chaotic_cells(X, y, PLANE_LRS, PLANE_REGS, **kwargs)
    compared = 0
    for i, lr in enumerate(PLANE_LRS):
        for j, reg in enumerate(PLANE_REGS):
            clf = SoftmaxClassifier(
                learning_rate=lr, reg=reg, max_iter=PLANE_STEPS, optimizer=optimizer,
                batch_size=batch_size, momentum=0.8, random_state=5, record_every=7,
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DivergenceWarning)
                clf.fit(X, y, X_val=Xv, y_val=yv)
            assert r.diverged[i, j] == clf.diverged_
            h = clf.history_
            assert r.final_step[i, j] == h.step[-1]
            if r.diverged[i, j] or chaotic[i, j]:
                continue
            compared += 1
            rel = dict(rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(r.W[i, j], clf.coef_.T, **rel)
            np.testing.assert_allclose(r.b[i, j], clf.intercept_, **rel)
            np.testing.assert_allclose(r.dW[i, j], h.dW[-1], **rel)
            np.testing.assert_allclose(r.db[i, j], h.db[-1], **rel)
            np.testing.assert_array_equal(r.record_steps, h.step)
            for name in ("loss", "data_loss", "reg_loss", "val_loss"):
                np.testing.assert_allclose(getattr(r, f"{name}_curve")[i, j], getattr(h, name),
                                           **rel)
            for name in ("train_accuracy", "val_accuracy"):
                np.testing.assert_array_equal(getattr(r, f"{name}_curve")[i, j], getattr(h, name))
            assert r.train_loss[i, j] == pytest.approx(h.loss[-1], rel=1e-10)
            assert r.val_accuracy[i, j] == h.val_accuracy[-1]
    # the oracle must have been asked: most cells are neither diverged nor chaotic
    assert compared >= 9, (compared, int(chaotic.sum()), int(r.diverged.sum()))


def test_chaotic_cells_are_the_unstable_learning_rates():
    data = make_dataset("spiral", n_samples=150, n_classes=3, random_state=2)
    X = FeatureMap("rbf", n_centers=20, gamma=3.0).fit_transform(data.X)
    lrs, regs = (0.01, 0.1, 2.0, 10.0), (0.0, 1e-3)
    kwargs = dict(steps=60, optimizer="adam", random_state=5, max_loss_ratio=None)
    chaotic = chaotic_cells(X, data.y, lrs, regs, **kwargs)
    assert not chaotic[:2].any()  # small steps: smooth descent, rounding stays rounding
    assert chaotic[3].all()  # Adam at learning rate 10 oscillates
    # a chaotic cell is one whose runs from (W0, X) and (W0, X) (1 +- 2^-52) end apart
    W0, b0 = initial_weights(X.shape[1], 3, random_state=5)
    runs = [
        sweep(X * f, data.y, [10.0], [0.0], W0=W0 * f, b0=b0, **kwargs).W
        for f in (1.0, 1 + 2.0**-52, 1 - 2.0**-52)
    ]
    apart = max(np.abs(runs[0] - r).max() for r in runs[1:])
    assert apart > 1e-12 * np.abs(runs[0]).max()


def test_mini_batches_follow_the_classifier_order_in_every_cell():
    # with one sample per batch the step sequence is the permutation itself: a cell whose
    # order differed would differ from the classifier by far more than rounding
    X, y, _, _ = blobs_data(3)
    r = sweep(X, y, [0.01, 0.02], [0.0], steps=25, batch_size=1, random_state=11)
    for i, lr in enumerate((0.01, 0.02)):
        clf = SoftmaxClassifier(learning_rate=lr, reg=0.0, max_iter=25, batch_size=1,
                                random_state=11).fit(X, y)
        np.testing.assert_allclose(r.W[i, 0], clf.coef_.T, rtol=1e-12, atol=1e-15)
    other = sweep(X, y, [0.01], [0.0], steps=25, batch_size=1, random_state=12)
    assert np.abs(other.W[0, 0] - r.W[0, 0]).max() > 1e-6


def test_adam_divergence_is_frozen_at_the_last_good_state():
    data = make_dataset("blobs", n_samples=120, n_classes=3, random_state=0)
    X = data.X * 1e3
    r = sweep(X, data.y, [1e-3, 1e3], [10.0], steps=80, optimizer="momentum",
              random_state=0, max_loss_ratio=None, record_every=1)
    clf = SoftmaxClassifier(optimizer="momentum", learning_rate=1e3, reg=10.0, max_iter=80,
                            random_state=0)
    with pytest.warns(DivergenceWarning):
        clf.fit(X, data.y)
    assert r.diverged[1, 0] and not r.diverged[0, 0]
    k = r.final_step[1, 0]
    assert k == clf.history_.step[-1] < 80
    np.testing.assert_allclose(r.W[1, 0], clf.coef_.T, rtol=1e-12)
    assert np.isfinite(r.W[1, 0]).all() and np.isfinite(r.dW[1, 0]).all()
    assert np.isnan(r.loss_curve[1, 0, k + 2 :]).all()
    assert np.isfinite(r.loss_curve[0, 0]).all()  # the other cell went on to the end


def test_regularization_path_is_lbfgs_alone():
    X, y, Xv, yv = blobs_data(3)
    regs = (0.0, 1e-3, 0.1, 1.0)
    path = regularization_path(X, y, regs, max_iter=150, X_val=Xv, y_val=yv, random_state=3,
                               record_every=5)
    assert path.shape == (1, 4) and np.isnan(path.learning_rates).all()
    for j, reg in enumerate(regs):
        clf = SoftmaxClassifier(optimizer="lbfgs", reg=reg, max_iter=150, random_state=3,
                                record_every=5).fit(X, y, X_val=Xv, y_val=yv)
        np.testing.assert_array_equal(path.W[0, j], clf.coef_.T)
        assert path.final_step[0, j] == clf.n_iter_
        assert path.val_accuracy[0, j] == clf.history_.val_accuracy[-1]
        reached = path.record_steps <= clf.n_iter_
        on_grid = np.isin(clf.history_.step, path.record_steps)
        np.testing.assert_array_equal(path.loss_curve[0, j][reached], clf.history_.loss[on_grid])
        # converged: the curve holds the optimum after the last iteration
        np.testing.assert_array_equal(path.loss_curve[0, j][~reached], clf.history_.loss[-1])
    # stronger regularization: smaller weights (an optimum, not a learning-rate artefact)
    norms = np.linalg.norm(path.W[0], axis=(1, 2))
    assert np.all(np.diff(norms) < 0)


def test_auto_recording_and_plane_size():
    X, y, _, _ = blobs_data(3)
    r = sweep(X, y, PLANE_LRS, PLANE_REGS, steps=450, optimizer="adam", batch_size=32,
              record_every="auto")
    assert r.record_steps[0] == 0 and r.record_steps[-1] == 450
    assert len(r.record_steps) == 1 + 450 // 5  # ceil(450 / 100) = 5
    assert r.loss_curve.shape == (5, 3, len(r.record_steps)) and r.loss_curve.dtype == np.float64
    assert r.W.dtype == r.dW.dtype == np.float64 and r.final_step.dtype == np.int64
    np.testing.assert_allclose(r.loss_curve, r.data_loss_curve + r.reg_loss_curve, rtol=1e-12)
    assert r.nbytes == sum(
        getattr(r, f).nbytes for f in vars(r) if isinstance(getattr(r, f), np.ndarray)
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(optimizer="lbfgs"), "optimizer"),
        (dict(batch_size=0), "batch_size"),
        (dict(momentum=1.0), "momentum"),
        (dict(record_every=0), "record_every"),
    ],
)
def test_bad_training_arguments(kwargs, match):
    X, y, _, _ = blobs_data(2)
    with pytest.raises(ValueError, match=match):
        sweep(X, y, [0.1], [0.0], **kwargs)
