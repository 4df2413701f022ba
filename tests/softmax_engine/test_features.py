"""Feature maps against direct formulas and scikit-learn's PolynomialFeatures."""

import numpy as np
import pytest
from sklearn.preprocessing import PolynomialFeatures

from softmax_engine.features import FeatureMap


@pytest.fixture
def X():
    rng = np.random.default_rng(0)
    return rng.normal(loc=[3.0, -1.0], scale=[2.0, 0.5], size=(80, 2))


def standardize(A, ref):
    """(A - mean) / std with the mean and population std of ``ref``, columns of 0 std -> 1."""
    sd = ref.std(axis=0)
    return (A - ref.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


# ----------------------------------------------------------------------------- raw


def test_raw_without_standardization_is_the_identity(X):
    fm = FeatureMap("raw", standardize=False)
    F = fm.fit_transform(X)
    np.testing.assert_array_equal(F, X)
    assert F is not X
    assert fm.feature_names_out() == ("x1", "x2")
    assert fm.feature_names_out(["a", "b"]) == ("a", "b")


def test_raw_standardized(X):
    fm = FeatureMap("raw")
    F = fm.fit_transform(X)
    np.testing.assert_allclose(F, standardize(X, X), atol=1e-12)
    X_new = X[:5] + 1.0  # new points use the training statistics
    np.testing.assert_allclose(fm.transform(X_new), standardize(X_new, X), atol=1e-12)


# ----------------------------------------------------------------------------- polynomial


@pytest.mark.parametrize("degree", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("D", [1, 2, 3])
def test_poly_matches_sklearn(degree, D):
    X = np.random.default_rng(degree).uniform(-2, 2, size=(40, D))
    fm = FeatureMap("poly", degree=degree, standardize=False)
    ref = PolynomialFeatures(degree, include_bias=False).fit_transform(X)
    np.testing.assert_allclose(fm.fit_transform(X), ref, rtol=1e-12, atol=1e-12)
    assert fm.n_features_out_ == ref.shape[1] and fm.n_features_in_ == D


def test_poly_degree_2_by_hand(X):
    F = FeatureMap("poly", degree=2, standardize=False).fit_transform(X)
    x1, x2 = X.T
    np.testing.assert_allclose(F, np.column_stack([x1, x2, x1**2, x1 * x2, x2**2]),
                               rtol=1e-12)


@pytest.mark.parametrize("degree", [2, 3, 5])
def test_poly_standardized_inputs_then_outputs(X, degree):
    fm = FeatureMap("poly", degree=degree)
    F = fm.fit_transform(X)
    # mean 0, std 1 on the training data, column by column
    np.testing.assert_allclose(F.mean(axis=0), 0, atol=1e-10)
    np.testing.assert_allclose(F.std(axis=0), 1, atol=1e-10)
    # and exactly: standardize inputs, take monomials, standardize outputs
    Z = standardize(X, X)
    P = PolynomialFeatures(degree, include_bias=False).fit_transform(Z)
    np.testing.assert_allclose(F, standardize(P, P), atol=1e-9)
    X_new = np.array([[0.0, 0.0], [10.0, -3.0]])
    P_new = PolynomialFeatures(degree, include_bias=False).fit_transform(standardize(X_new, X))
    np.testing.assert_allclose(fm.transform(X_new), standardize(P_new, P), rtol=1e-9,
                               atol=1e-9)


def test_poly_names(X):
    fm = FeatureMap("poly", degree=3).fit(X)
    assert fm.feature_names_out() == (
        "x1", "x2", "x1²", "x1·x2", "x2²", "x1³", "x1²·x2", "x1·x2²", "x2³",
    )
    fm2 = FeatureMap("poly", degree=2).fit(np.ones((3, 3)) * np.arange(3)[:, None])
    assert fm2.feature_names_out(["a", "b", "c"]) == (
        "a", "b", "c", "a²", "a·b", "a·c", "b²", "b·c", "c²",
    )
    # the names follow the same order as the columns (checked on a product term)
    F = FeatureMap("poly", degree=3, standardize=False).fit_transform(X)
    k = fm.feature_names_out().index("x1²·x2")
    np.testing.assert_allclose(F[:, k], X[:, 0] ** 2 * X[:, 1], rtol=1e-12)


def test_constant_column_is_left_at_zero():
    X = np.column_stack([np.linspace(-1, 1, 9), np.full(9, 4.0)])
    F = FeatureMap("poly", degree=2).fit_transform(X)
    assert np.all(np.isfinite(F))
    assert np.allclose(F.std(axis=0)[[0, 2]], 1.0)
    np.testing.assert_allclose(F[:, 1], 0.0, atol=1e-12)  # x2 is constant


# ----------------------------------------------------------------------------- RBF


def test_rbf_matches_the_formula(X):
    fm = FeatureMap("rbf", n_centers=12, gamma=0.7, standardize=False, random_state=4)
    F = fm.fit_transform(X)
    C = fm.centers_
    assert C.shape == (12, 2) and F.shape == (80, 12)
    # centres are distinct training points
    assert all(np.any(np.all(X == c, axis=1)) for c in C)
    assert len({tuple(c) for c in C}) == 12
    d2 = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=-1)
    np.testing.assert_allclose(F, np.exp(-0.7 * d2), rtol=1e-12, atol=1e-15)
    assert fm.feature_names_out() == tuple(f"rbf{k}" for k in range(1, 13))


def test_rbf_standardized(X):
    fm = FeatureMap("rbf", n_centers=10, gamma=1.5)
    F = fm.fit_transform(X)
    np.testing.assert_allclose(F.mean(axis=0), 0, atol=1e-10)
    np.testing.assert_allclose(F.std(axis=0), 1, atol=1e-10)
    Z = standardize(X, X)
    assert all(np.any(np.all(np.isclose(Z, c, atol=1e-12), axis=1)) for c in fm.centers_)
    d2 = ((Z[:, None, :] - fm.centers_[None, :, :]) ** 2).sum(axis=-1)
    G = np.exp(-1.5 * d2)
    np.testing.assert_allclose(F, standardize(G, G), atol=1e-9)


def test_rbf_centres_are_seeded_and_capped(X):
    a = FeatureMap("rbf", n_centers=10, random_state=1).fit(X).centers_
    b = FeatureMap("rbf", n_centers=10, random_state=1).fit(X).centers_
    c = FeatureMap("rbf", n_centers=10, random_state=2).fit(X).centers_
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    fm = FeatureMap("rbf", n_centers=200).fit(X[:7])
    assert fm.n_features_out_ == 7 and len(fm.feature_names_out()) == 7


# ----------------------------------------------------------------------------- interface


@pytest.mark.parametrize(
    "fm,affine",
    [
        (FeatureMap("raw"), True),
        (FeatureMap("raw", standardize=False), True),
        (FeatureMap("poly", degree=1), True),
        (FeatureMap("poly", degree=2), False),
        (FeatureMap("rbf"), False),
    ],
)
def test_is_affine_and_affine_parameters(X, fm, affine):
    assert fm.is_affine is affine
    fm.fit(X)
    if affine:
        A, c = fm.affine_parameters()
        assert A.shape == (2, fm.n_features_out_) and c.shape == (fm.n_features_out_,)
        X_new = np.random.default_rng(1).normal(size=(30, 2)) * 5
        np.testing.assert_allclose(X_new @ A + c, fm.transform(X_new), atol=1e-12)
    else:
        with pytest.raises(ValueError, match="not affine"):
            fm.affine_parameters()


def test_inputs_are_not_modified_and_empty_batches_work(X):
    before = X.copy()
    fm = FeatureMap("poly", degree=3).fit(X)
    fm.transform(X)
    np.testing.assert_array_equal(X, before)
    assert fm.transform(np.zeros((0, 2))).shape == (0, fm.n_features_out_)


@pytest.mark.parametrize(
    "kwargs,fragment",
    [
        (dict(kind="spline"), "'spline'"),
        (dict(kind="poly", degree=0), "[1, 5], got 0"),
        (dict(kind="poly", degree=6), "got 6"),
        (dict(kind="poly", degree=2.0), "2.0"),
        (dict(kind="poly", degree=True), "True"),
        (dict(kind="rbf", n_centers=0), "n_centers"),
        (dict(kind="rbf", n_centers=501), "501"),
        (dict(kind="rbf", gamma=0.0), "gamma"),
        (dict(kind="rbf", gamma=-1), "-1"),
        (dict(kind="rbf", gamma=float("nan")), "nan"),
        (dict(kind="rbf", gamma=float("inf")), "inf"),
        (dict(standardize="yes"), "'yes'"),
        (dict(random_state=0.5), "0.5"),
    ],
)
def test_bad_parameters(kwargs, fragment):
    with pytest.raises(ValueError) as info:
        FeatureMap(**kwargs)
    assert fragment in str(info.value)


def test_bad_use(X):
    fm = FeatureMap("poly", degree=2)
    with pytest.raises(RuntimeError, match="not fitted"):
        fm.transform(X)
    with pytest.raises(RuntimeError, match="not fitted"):
        fm.feature_names_out()
    fm.fit(X)
    with pytest.raises(ValueError, match="3 features"):
        fm.transform(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="expected 2 input names"):
        fm.feature_names_out(["a"])
    with pytest.raises(ValueError, match="NaN"):
        FeatureMap().fit(np.array([[0.0, np.nan]]))
    with pytest.raises(ValueError, match="2-D"):
        FeatureMap().fit(np.zeros(3))
    assert "degree=2" in repr(fm)
