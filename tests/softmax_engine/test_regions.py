"""Decision regions on grids and planes, against per-point softmax and fitted models."""

import numpy as np
import pytest
from scipy.special import softmax as scipy_softmax
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression

from softmax_engine import regions
from softmax_engine.datasets import load_dataset, make_dataset
from softmax_engine.features import FeatureMap
from softmax_engine.regions import (
    DecisionRegions,
    Plane,
    decision_regions,
    feature_plane,
    grid_bounds,
    lift,
    pca_plane,
    plane_regions,
    project,
)


def random_model(D, C, seed=0, scale=2.0):
    rng = np.random.default_rng(seed)
    return scale * rng.normal(size=(D, C)), rng.normal(size=C)


def grid_points(res):
    """All (x, y) grid points, in the result's layout: row i is ys[i], column j is xs[j]."""
    gx, gy = np.meshgrid(res.xs, res.ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def check_against_scores(res, scores):
    """``res`` must hold softmax(scores) for scores (G*G, C) in row-major grid order."""
    G, C = res.resolution, scores.shape[1]
    q = scipy_softmax(scores, axis=1).reshape(G, G, C)
    np.testing.assert_allclose(res.proba, q, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(res.labels, scores.argmax(axis=1).reshape(G, G))
    np.testing.assert_allclose(res.confidence, q.max(axis=-1), rtol=0, atol=1e-12)


# ----------------------------------------------------------------------------- grid


@pytest.mark.parametrize("C", [1, 2, 3, 7])
def test_broadcast_path_equals_per_point_softmax(C):
    W, b = random_model(2, C, seed=C)
    res = decision_regions(W, b, (-2.0, 1.0), (0.5, 3.5), resolution=17)
    assert isinstance(res, DecisionRegions) and res.method == "affine"
    assert res.xs.shape == res.ys.shape == (17,)
    assert res.proba.shape == (17, 17, C)
    assert res.labels.shape == res.confidence.shape == (17, 17)
    np.testing.assert_array_equal(res.xs, np.linspace(-2.0, 1.0, 17))
    np.testing.assert_array_equal(res.ys, np.linspace(0.5, 3.5, 17))
    # one point at a time: proba[i, j] is the model at (x = xs[j], y = ys[i])
    for i in range(17):
        for j in range(17):
            q = scipy_softmax(np.array([res.xs[j], res.ys[i]]) @ W + b)
            np.testing.assert_allclose(res.proba[i, j], q, rtol=0, atol=1e-12)
            assert res.labels[i, j] == np.argmax(q)
            assert abs(res.confidence[i, j] - q.max()) < 1e-12


def test_broadcast_path_equals_naive_matmul_at_full_resolution():
    W, b = random_model(2, 4, seed=1)
    res = decision_regions(W, b, (-1.5, 1.5), (-1.0, 2.0), resolution=200)
    check_against_scores(res, grid_points(res) @ W + b)
    np.testing.assert_allclose(res.proba.sum(axis=-1), 1.0, atol=1e-12)


def test_huge_scores_stay_finite():
    W, b = random_model(2, 3, seed=2, scale=1e4)
    res = decision_regions(W, b, (-100, 100), (-100, 100), resolution=30)
    assert np.all(np.isfinite(res.proba)) and np.all(np.isfinite(res.confidence))
    np.testing.assert_allclose(res.proba.sum(axis=-1), 1.0, atol=1e-12)
    check_against_scores(res, grid_points(res) @ W + b)


def test_regions_agree_with_a_fitted_sklearn_model():
    ds = make_dataset("blobs", n_samples=300, n_classes=4, noise=0.2)
    model = LogisticRegression(C=10.0).fit(ds.X, ds.y)  # multinomial for 4 classes
    x_range, y_range = grid_bounds(ds.X)
    res = decision_regions(model.coef_.T, model.intercept_, x_range, y_range, resolution=60)
    points = grid_points(res)
    np.testing.assert_allclose(res.proba.reshape(-1, 4), model.predict_proba(points),
                               atol=1e-12)
    np.testing.assert_array_equal(res.labels.ravel(), model.predict(points))


@pytest.mark.parametrize(
    "fm",
    [FeatureMap("poly", degree=3), FeatureMap("rbf", n_centers=15, gamma=2.0),
     FeatureMap("poly", degree=2, standardize=False)],
    ids=repr,
)
def test_feature_map_path_equals_transforming_the_points(fm):
    ds = make_dataset("circles", n_samples=120, noise=0.05)
    fm.fit(ds.X)
    W, b = random_model(fm.n_features_out_, 3, seed=3)
    res = decision_regions(W, b, (-1.3, 1.2), (-1.1, 1.4), resolution=40, feature_map=fm)
    assert res.method == "feature_map"
    check_against_scores(res, fm.transform(grid_points(res)) @ W + b)


def test_feature_map_path_is_chunked_without_changing_the_result(monkeypatch):
    fm = FeatureMap("rbf", n_centers=20).fit(make_dataset("spiral").X)
    W, b = random_model(fm.n_features_out_, 3, seed=4)
    whole = decision_regions(W, b, (-1, 1), (-1, 1), resolution=33, feature_map=fm)
    monkeypatch.setattr(regions, "_CHUNK_POINTS", 100)  # 1089 points -> 11 chunks
    chunked = decision_regions(W, b, (-1, 1), (-1, 1), resolution=33, feature_map=fm)
    np.testing.assert_allclose(chunked.proba, whole.proba, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(chunked.labels, whole.labels)


@pytest.mark.parametrize("fm", [FeatureMap("raw"), FeatureMap("poly", degree=1)], ids=repr)
def test_affine_feature_maps_take_the_fast_path(fm):
    rng = np.random.default_rng(5)
    fm.fit(rng.normal(loc=[10, -3], scale=[4, 0.2], size=(50, 2)))
    W, b = random_model(2, 3, seed=5)
    res = decision_regions(W, b, (0.0, 20.0), (-4.0, -2.0), resolution=50, feature_map=fm)
    assert res.method == "affine"
    check_against_scores(res, fm.transform(grid_points(res)) @ W + b)


def test_grid_bounds():
    X = np.array([[0.0, 10.0], [2.0, 14.0], [1.0, 12.0]])
    (x0, x1), (y0, y1) = grid_bounds(X, padding=0.25)
    assert (x0, x1) == pytest.approx((-0.5, 2.5))
    assert (y0, y1) == pytest.approx((9.0, 15.0))
    (x0, x1), (y0, y1) = grid_bounds(np.array([[3.0, 1.0], [3.0, 2.0]]), padding=0.0)
    assert (x0, x1) == (2.0, 4.0) and (y0, y1) == (1.0, 2.0)  # flat axis gets +-1
    ds = make_dataset("moons", noise=0.3)
    (x0, x1), (y0, y1) = grid_bounds(ds.X)
    assert x0 < ds.X[:, 0].min() and ds.X[:, 0].max() < x1
    assert y0 < ds.X[:, 1].min() and ds.X[:, 1].max() < y1
    for bad in (np.zeros((0, 2)), np.zeros((3, 3)), np.array([[np.nan, 0.0]])):
        with pytest.raises(ValueError):
            grid_bounds(bad)
    with pytest.raises(ValueError, match="padding"):
        grid_bounds(X, padding=-0.1)


@pytest.mark.parametrize(
    "kwargs,fragment",
    [
        (dict(resolution=9), "[10, 500], got 9"),
        (dict(resolution=501), "got 501"),
        (dict(resolution=50.0), "50.0"),
        (dict(resolution=True), "True"),
        (dict(x_range=(1.0, 1.0)), "x_range"),
        (dict(y_range=(2.0, 1.0)), "y_range"),
        (dict(x_range=(0.0, np.inf)), "x_range"),
        (dict(x_range=(0.0,)), "x_range"),
        (dict(W=np.zeros((3, 2))), "W must have shape (2, C)"),
        (dict(b=np.zeros(3)), "b must have shape (2,)"),
        (dict(W=np.array([[np.nan, 0.0], [0.0, 0.0]])), "finite"),
        (dict(feature_map=FeatureMap("poly")), "fitted"),
        (dict(feature_map=FeatureMap("poly").fit(np.zeros((3, 3)))), "3 inputs"),
    ],
)
def test_decision_regions_validation(kwargs, fragment):
    args = dict(W=np.zeros((2, 2)), b=np.zeros(2), x_range=(0.0, 1.0), y_range=(0.0, 1.0),
                resolution=20)
    args.update(kwargs)
    with pytest.raises(ValueError) as info:
        decision_regions(**args)
    assert fragment in str(info.value)


# ----------------------------------------------------------------------------- planes


@pytest.fixture(scope="module")
def iris_std():
    ds = load_dataset("iris")
    X = (ds.X - ds.X.mean(axis=0)) / ds.X.std(axis=0)
    model = LogisticRegression(C=1.0).fit(X, ds.y)
    return ds, X, model


def test_pca_plane_matches_sklearn(iris_std):
    ds, X, _ = iris_std
    plane = pca_plane(X, ds.feature_names)
    assert isinstance(plane, Plane) and plane.n_features == 4
    np.testing.assert_allclose(plane.directions @ plane.directions.T, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(plane.origin, X.mean(axis=0), atol=1e-12)
    ref = PCA(n_components=2).fit(X)
    for k in range(2):  # same direction up to sign
        assert abs(abs(plane.directions[k] @ ref.components_[k]) - 1) < 1e-10
    assert plane.axis_labels[0].startswith("PC1") and "%" in plane.axis_labels[0]
    assert "principal components" in plane.description and "mean" in plane.description
    assert "petal" in plane.description  # names the features that matter
    # PC1 is the direction of largest variance: the projections' variance says so
    uv = project(plane, X)
    np.testing.assert_allclose(uv.var(axis=0, ddof=1), ref.explained_variance_, rtol=1e-10)


def test_project_and_lift_are_inverse_on_the_plane(iris_std):
    _, X, _ = iris_std
    plane = pca_plane(X)
    uv = np.random.default_rng(0).normal(size=(25, 2))
    np.testing.assert_allclose(project(plane, lift(plane, uv)), uv, atol=1e-12)
    # projecting removes exactly the component orthogonal to the plane
    residual = X - lift(plane, project(plane, X))
    np.testing.assert_allclose(residual @ plane.directions.T, 0, atol=1e-12)


def test_pca_plane_regions_agree_with_the_model_on_the_plane(iris_std):
    _, X, model = iris_std
    plane = pca_plane(X)
    u_range, v_range = grid_bounds(project(plane, X))
    res = plane_regions(model.coef_.T, model.intercept_, plane, u_range, v_range, 80)
    assert res.method == "affine" and res.proba.shape == (80, 80, 3)
    # every grid node is a point of the plane: lift it to 4-D and ask the model
    points = lift(plane, grid_points(res))
    np.testing.assert_allclose(res.proba.reshape(-1, 3), model.predict_proba(points),
                               atol=1e-12)
    np.testing.assert_array_equal(res.labels.ravel(), model.predict(points))
    # data points moved onto the plane (their projections) are predicted as shown
    uv = project(plane, X[::10])
    on_plane = lift(plane, uv)
    for (u, v), x in zip(uv, on_plane, strict=True):
        node = plane_regions(model.coef_.T, model.intercept_, plane, (u, u + 1), (v, v + 1), 10)
        np.testing.assert_allclose(node.proba[0, 0], model.predict_proba(x[None])[0],
                                   atol=1e-12)


def test_feature_plane(iris_std):
    ds, X, model = iris_std
    plane = feature_plane(X, 2, 3, ds.feature_names)
    np.testing.assert_array_equal(plane.directions, np.eye(4)[[2, 3]])
    np.testing.assert_allclose(plane.origin, X.mean(axis=0))
    assert "petal length (cm)" in plane.axis_labels[0]
    assert "other 2 features held at their mean" in plane.description
    # data points with the other features set to their mean lie on this plane
    X_on = np.tile(X.mean(axis=0), (len(X), 1))
    X_on[:, [2, 3]] = X[:, [2, 3]]
    uv = project(plane, X_on)
    np.testing.assert_allclose(uv, X[:, [2, 3]] - X[:, [2, 3]].mean(axis=0), atol=1e-12)
    for (u, v), x in list(zip(uv, X_on, strict=True))[::15]:
        node = plane_regions(model.coef_.T, model.intercept_, plane, (u, u + 1), (v, v + 1), 10)
        np.testing.assert_allclose(node.proba[0, 0], model.predict_proba(x[None])[0],
                                   atol=1e-12)
        assert node.labels[0, 0] == model.predict(x[None])[0]


def test_plane_regions_with_feature_maps():
    ds = load_dataset("wine")
    for fm in (FeatureMap("raw"), FeatureMap("poly", degree=2)):
        # the model lives behind the feature map; the plane lives in raw units
        Z = fm.fit_transform(ds.X)
        model = LogisticRegression(C=0.1, max_iter=2000).fit(Z, ds.y)
        plane = pca_plane(ds.X)
        u_range, v_range = grid_bounds(project(plane, ds.X))
        res = plane_regions(model.coef_.T, model.intercept_, plane, u_range, v_range, 25,
                            feature_map=fm)
        assert res.method == ("affine" if fm.is_affine else "feature_map")
        points = lift(plane, grid_points(res))
        np.testing.assert_allclose(res.proba.reshape(-1, 3),
                                   model.predict_proba(fm.transform(points)), atol=1e-10)


def test_plane_validation():
    X = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.raises(ValueError, match="orthonormal"):
        Plane(np.zeros(3), np.array([[1.0, 0, 0], [1.0, 1.0, 0]]), ("u", "v"), "")
    with pytest.raises(ValueError, match="directions"):
        Plane(np.zeros(3), np.eye(3), ("u", "v"), "")
    with pytest.raises(ValueError, match="different"):
        feature_plane(X, 1, 1)
    with pytest.raises(ValueError, match=r"\[0, 3\), got 3"):
        feature_plane(X, 0, 3)
    with pytest.raises(ValueError, match="N >= 2"):
        pca_plane(X[:1])
    with pytest.raises(ValueError, match="D >= 2"):
        pca_plane(X[:, :1])
    with pytest.raises(ValueError, match="3 names"):
        pca_plane(X, ["a"])
    plane = pca_plane(X)
    with pytest.raises(ValueError, match=r"W must have shape \(3, C\)"):
        plane_regions(np.zeros((2, 2)), np.zeros(2), plane, (0, 1), (0, 1), 10)
    with pytest.raises(ValueError, match=r"\(N, 3\)"):
        project(plane, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="Plane"):
        plane_regions(np.zeros((3, 2)), np.zeros(2), "pca", (0, 1), (0, 1), 10)
