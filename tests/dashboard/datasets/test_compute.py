"""The Datasets page's engine glue (``dashboard.datasets.compute``), without a server."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, precision_score, recall_score

from dashboard.datasets import compute as datasets_compute
from dashboard.settings import REGULARIZATIONS
from softmax_engine import Dataset, load_dataset

GOOD_CSV = b"a,b,c,label\n1,2,3,x\n2,1,0,y\n3,3,1,x\n0,1,2,y\n1,1,1,z\n2,2,2,z\n"
BAD_CSV = b"a,b,label\n1,2,x\n1,oops,y\n"


@pytest.fixture(scope="module")
def runs():
    """One L-BFGS run per bundled dataset (module scope: each takes 20-300 ms)."""
    return {
        name: datasets_compute.train_on_dataset(
            load_dataset(name), datasets_compute.DatasetOptions()
        )
        for name in datasets_compute.BUNDLED_SOURCES
    }


# ----------------------------------------------------------------------------- upload state


def test_accept_upload_good_then_bad_keeps_the_good_one():
    state = {}
    ds, err = datasets_compute.accept_upload(state, "id1", "mine.csv", GOOD_CSV)
    assert err is None and ds.name == "mine.csv" and ds.n_samples == 6 and ds.n_classes == 3
    ds2, err = datasets_compute.accept_upload(state, "id2", "broken.csv", BAD_CSV)
    assert ds2 is ds  # the previous dataset stays in place
    assert "row 3" in err and "oops" in err
    assert state[datasets_compute.UPLOAD_ERROR_KEY] == err


def test_accept_upload_bad_first_has_no_dataset():
    state = {}
    ds, err = datasets_compute.accept_upload(state, "id1", "broken.csv", b"\x89PNG\r\n\x1a\n....")
    assert ds is None and "PNG" in err


def test_accept_upload_parses_each_file_once(monkeypatch):
    calls = []
    real = datasets_compute.load_csv

    def counting(data, name):
        calls.append(name)
        return real(data, name=name)

    monkeypatch.setattr(datasets_compute, "load_csv", counting)
    state = {}
    for _ in range(3):
        datasets_compute.accept_upload(state, "same-id", "mine.csv", GOOD_CSV)
    assert calls == ["mine.csv"]


def test_content_hash_follows_the_data():
    ds = load_dataset("iris")
    same = Dataset(ds.X.copy(), ds.y.copy(), ds.feature_names, ds.class_names, "other name")
    X = ds.X.copy()
    X[0, 0] += 1e-9
    changed = Dataset(X, ds.y, ds.feature_names, ds.class_names, ds.name)
    renamed = Dataset(ds.X, ds.y, ("a", "b", "c", "d"), ds.class_names, ds.name)
    assert datasets_compute.content_hash(ds) == datasets_compute.content_hash(same)
    assert len({datasets_compute.content_hash(d) for d in (ds, changed, renamed)}) == 3


def test_image_shape_detects_pixel_grids():
    assert datasets_compute.image_shape(load_dataset("digits").feature_names) == (8, 8)
    assert datasets_compute.image_shape(load_dataset("iris").feature_names) is None
    assert (
        datasets_compute.image_shape(["pixel_0_0", "pixel_0_1", "pixel_1_1"]) is None
    )  # incomplete
    assert datasets_compute.image_shape(["pixel_0_0", "pixel_0_1", "pixel_1_0", "pixel_1_1"]) == (
        2,
        2,
    )


# ----------------------------------------------------------------------------- training


@pytest.mark.parametrize("name", datasets_compute.BUNDLED_SOURCES)
def test_metrics_come_from_sklearn_metrics(runs, name):
    run = runs[name]
    ds = run.dataset
    idx = run.val_index
    pred = run.model.predict(run.scaler.transform(ds.X[idx]))
    labels = np.arange(ds.n_classes)
    np.testing.assert_array_equal(
        run.report["confusion"], confusion_matrix(ds.y[idx], pred, labels=labels)
    )
    np.testing.assert_allclose(
        run.report["precision"],
        precision_score(ds.y[idx], pred, labels=labels, average=None, zero_division=0),
    )
    np.testing.assert_allclose(
        run.report["recall"], recall_score(ds.y[idx], pred, labels=labels, average=None)
    )
    assert run.val_accuracy == np.mean(pred == ds.y[idx])
    assert run.evaluation_part == "validation"
    # standardized on the training rows only
    Zt = run.Z[run.train_index]
    np.testing.assert_allclose(Zt.mean(axis=0), 0, atol=1e-9)


@pytest.mark.parametrize("name", datasets_compute.BUNDLED_SOURCES)
def test_ours_agrees_with_sklearn_at_the_matching_C(runs, name):
    run = runs[name]
    c = run.comparison
    assert c.objective_gap < 1e-7
    assert c.prediction_agreement == 1.0
    assert c.max_weight_difference < 1e-3 * max(1.0, c.weight_scale)
    assert c.ours_train_accuracy == c.theirs_train_accuracy == run.train_accuracy
    n = len(run.train_index)
    expected_C = 1 / ((1 if name == "breast_cancer" else 2) * n * run.options.reg)
    assert c.C == pytest.approx(expected_C) and c.binary == (name == "breast_cancer")


def test_sklearn_objective_is_n_times_ours():
    """The definition behind C = 1/(2·N·reg): sklearn's objective / N == ours (multiclass)."""
    ds = load_dataset("wine")
    run = datasets_compute.train_on_dataset(
        ds, datasets_compute.DatasetOptions(reg=0.01, validation_share=0.0)
    )
    Z, y = run.Z, ds.y
    n, reg = len(y), 0.01
    lr = LogisticRegression(C=1 / (2 * n * reg), tol=1e-10, max_iter=1000).fit(Z, y)
    W, b = datasets_compute.sklearn_softmax_weights(lr, 3)
    proba = lr.predict_proba(Z)
    sk_objective = -np.sum(np.log(proba[np.arange(n), y])) + np.sum(W**2) / (2 * lr.C)
    assert datasets_compute.objective_value(W, b, Z, y, 3, reg) == pytest.approx(
        sk_objective / n, rel=1e-12
    )
    assert run.evaluation_part == "training" and np.isnan(run.val_accuracy)


def test_gradient_descent_option_and_its_gap_to_the_optimum():
    ds = load_dataset("iris")
    opts = datasets_compute.DatasetOptions(optimizer="sgd", learning_rate=0.5, steps=200, reg=1e-2)
    run = datasets_compute.train_on_dataset(ds, opts)
    assert run.model.optimizer == "sgd" and run.model.n_iter_ == 200
    assert len(run.model.history_.step) == 201
    # gradient descent is above the L-BFGS optimum used for the comparison
    assert run.model.history_.loss[-1] >= run.comparison.ours_objective - 1e-12
    assert run.comparison.objective_gap < 1e-7


def test_options_are_validated():
    with pytest.raises(ValueError, match="optimizer"):
        datasets_compute.DatasetOptions(optimizer="adam")
    with pytest.raises(ValueError, match="reg"):
        datasets_compute.DatasetOptions(reg=0.0)
    with pytest.raises(ValueError, match="steps"):
        datasets_compute.DatasetOptions(steps=0)
    assert 0.0 not in datasets_compute.DATASET_REGULARIZATIONS
    assert set(datasets_compute.DATASET_REGULARIZATIONS) <= set(REGULARIZATIONS)


# ----------------------------------------------------------------------------- planes


def _on_plane_predictions(run, view, UV):
    return run.model.predict(datasets_compute.plane_inputs(run, view, UV))


@pytest.mark.parametrize("name", datasets_compute.BUNDLED_SOURCES)
def test_pca_plane_regions_agree_with_the_model_on_the_plane(runs, name):
    run = runs[name]
    view = datasets_compute.plane_view(run, "pca", resolution=300)
    assert view.raw_units == (name == "digits")
    # every grid point is a point of the plane: the regions are the model's predictions
    gu, gv = np.meshgrid(view.xs, view.ys)
    grid_pred = _on_plane_predictions(run, view, np.column_stack([gu.ravel(), gv.ravel()]))
    np.testing.assert_array_equal(view.labels.ravel(), grid_pred)
    # projected samples, lifted back onto the plane: the region under each one (nearest
    # grid point) is the model's prediction there, wherever the prediction is not close
    # to a tie within one grid cell
    UV = np.vstack([view.UV_train, view.UV_val])
    inside = (
        (UV[:, 0] >= view.xs[0])
        & (UV[:, 0] <= view.xs[-1])
        & (UV[:, 1] >= view.ys[0])
        & (UV[:, 1] <= view.ys[-1])
    )
    UV = UV[inside]
    Z = datasets_compute.plane_inputs(run, view, UV)
    scores = Z @ run.W + run.b
    pred = np.argmax(scores, axis=1)
    top2 = np.sort(scores, axis=1)[:, -2:]
    margin = top2[:, 1] - top2[:, 0]
    # how much a score can change within half a grid cell on the plane
    gu_, gv_ = np.meshgrid(view.xs[:2], view.ys[:2])
    corners = datasets_compute.plane_inputs(run, view, np.column_stack([gu_.ravel(), gv_.ravel()]))
    step = np.abs((corners - corners[0]) @ run.W).max()
    clear = margin > 2 * step
    assert clear.mean() > 0.8
    j = np.rint((UV[:, 0] - view.xs[0]) / (view.xs[1] - view.xs[0])).astype(int)
    i = np.rint((UV[:, 1] - view.ys[0]) / (view.ys[1] - view.ys[0])).astype(int)
    np.testing.assert_array_equal(view.labels[i, j][clear], pred[clear])
    # and the projection is what the figure draws
    assert view.UV_train.shape == (len(run.train_index), 2)


def test_feature_plane_holds_other_features_at_the_mean(runs):
    run = runs["wine"]
    view = datasets_compute.plane_view(run, "features", 2, 5, resolution=40)
    assert not view.raw_units
    X = datasets_compute.plane_inputs(run, view, np.array([[0.0, 0.0], [1.0, -2.0]]))
    mean = run.Z.mean(axis=0)
    others = [k for k in range(run.dataset.n_features) if k not in (2, 5)]
    np.testing.assert_allclose(X[:, others], np.broadcast_to(mean[others], (2, len(others))))
    np.testing.assert_allclose(X[1, [2, 5]], mean[[2, 5]] + [1.0, -2.0])
    np.testing.assert_allclose(view.UV_train[:, 0], run.Z[run.train_index, 2] - mean[2])
    assert "standard deviations" in view.description
    assert (
        "principal components" in datasets_compute.plane_view(run, "pca", resolution=20).description
    )
    with pytest.raises(ValueError, match="kind"):
        datasets_compute.plane_view(run, "tsne")


def test_far_outliers_are_left_out_of_the_view_and_counted(runs):
    ds = load_dataset("iris")
    X = ds.X.copy()
    X[0] = X[0] + 1e3 * ds.X.std(axis=0)  # one sample far out
    run = datasets_compute.train_on_dataset(
        Dataset(X, ds.y, ds.feature_names, ds.class_names, "o"), datasets_compute.DatasetOptions()
    )
    view = datasets_compute.plane_view(run, "features", 0, 1, resolution=20)
    assert view.n_outside == 1
    assert "1 far-out sample lies beyond the axes" in view.description
    assert (
        runs["iris"]
        and datasets_compute.plane_view(runs["iris"], "pca", resolution=20).n_outside == 0
    )
