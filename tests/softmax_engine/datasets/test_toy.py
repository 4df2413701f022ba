"""Toy generators: shapes, class rules, seeding, noise, and what a linear model can do."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from softmax_engine.datasets import MAX_TOY_SAMPLES, TOY_DATASETS, make_dataset

ALL_COUNTS = [(name, c) for name, info in TOY_DATASETS.items() for c in info.class_counts]


# ----------------------------------------------------------------------------- toy data


@pytest.mark.parametrize("name,n_classes", ALL_COUNTS)
def test_toy_shapes_dtypes_and_balance(name, n_classes):
    n = 103  # not a multiple of most class counts: checks the remainder handling
    ds = make_dataset(name, n_samples=n, n_classes=n_classes, noise=0.1, random_state=3)
    assert ds.X.shape == (n, 2) and ds.X.dtype == np.float64
    assert ds.y.shape == (n,) and np.issubdtype(ds.y.dtype, np.integer)
    assert ds.n_samples == n and ds.n_features == 2 and ds.n_classes == n_classes
    assert ds.feature_names == ("x1", "x2")
    assert len(ds.class_names) == n_classes
    counts = np.bincount(ds.y, minlength=n_classes)
    assert counts.sum() == n and counts.min() >= 1
    assert counts.max() - counts.min() <= 1  # balanced
    assert np.all(np.isfinite(ds.X))
    # plotting scale: the bulk of every dataset lies within a few units of the origin
    assert np.percentile(np.abs(ds.X), 95) < 2.0
    assert ds.name == name


@pytest.mark.parametrize("name", sorted(TOY_DATASETS))
def test_toy_default_classes_and_info(name):
    info = TOY_DATASETS[name]
    assert info.name == name and info.title and info.description
    assert info.default_classes in info.class_counts
    assert make_dataset(name).n_classes == info.default_classes


def test_toy_class_count_rules():
    for name in ("blobs", "spiral", "linear"):
        assert TOY_DATASETS[name].class_counts == tuple(range(2, 11))
    assert TOY_DATASETS["moons"].class_counts == (2,)
    assert TOY_DATASETS["xor"].class_counts == (2,)
    assert TOY_DATASETS["gaussian_quadrants"].class_counts == (2, 4)
    info = TOY_DATASETS["gaussian_quadrants"]
    assert info.clamp_classes(3) == 2 and info.clamp_classes(7) == 4
    assert TOY_DATASETS["moons"].clamp_classes(9) == 2
    assert TOY_DATASETS["spiral"].clamp_classes(5) == 5


@pytest.mark.parametrize("name", sorted(TOY_DATASETS))
def test_toy_seeding(name):
    a = make_dataset(name, n_samples=120, random_state=7)
    b = make_dataset(name, n_samples=120, random_state=7)
    c = make_dataset(name, n_samples=120, random_state=8)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)


@pytest.mark.parametrize("name", sorted(TOY_DATASETS))
def test_noise_is_additive_gaussian_jitter_in_data_units(name):
    # With the seed fixed, the noise-free shape and the jitter are the same draws, so the
    # displacement must scale linearly with `noise` and have standard deviation `noise`.
    kw = dict(n_samples=4000, random_state=1)
    x0 = make_dataset(name, noise=0.0, **kw).X
    x1 = make_dataset(name, noise=0.1, **kw).X
    x3 = make_dataset(name, noise=0.3, **kw).X
    np.testing.assert_allclose(x3 - x0, 3 * (x1 - x0), atol=1e-12)
    assert abs(np.std(x1 - x0) - 0.1) < 0.005


def test_clean_shapes_match_their_definitions():
    # xor at noise 0: the label is the sign of x1*x2
    ds = make_dataset("xor", n_samples=400, noise=0.0)
    np.testing.assert_array_equal(ds.y, (ds.X[:, 0] * ds.X[:, 1] < 0).astype(int))
    # circles at noise 0: class k lies on the ring of radius (k+1)/C
    for C in (2, 3, 5):
        ds = make_dataset("circles", n_samples=300, n_classes=C, noise=0.0)
        np.testing.assert_allclose(np.hypot(*ds.X.T), (ds.y + 1) / C, atol=1e-12)
    # spiral at noise 0 (CS231n): radius r in [0, 1] and angle t = 4 (j + r) along arm j
    ds = make_dataset("spiral", n_samples=300, n_classes=3, noise=0.0)
    r = np.hypot(*ds.X.T)
    assert r.max() <= 1 + 1e-12
    t = 4 * (ds.y + r)
    np.testing.assert_allclose(ds.X, np.column_stack([r * np.sin(t), r * np.cos(t)]), atol=1e-12)
    # blobs: class means near C points evenly spaced on the unit circle
    ds = make_dataset("blobs", n_samples=3000, n_classes=5, noise=0.0)
    means = np.array([ds.X[ds.y == k].mean(axis=0) for k in range(5)])
    angles = 2 * np.pi * np.arange(5) / 5
    np.testing.assert_allclose(means, np.column_stack([np.cos(angles), np.sin(angles)]),
                               atol=0.05)


@pytest.mark.parametrize("n_classes", [2, 3, 6, 10])
def test_linear_dataset_is_linearly_separable(n_classes):
    ds = make_dataset("linear", n_samples=300, n_classes=n_classes, noise=0.0, random_state=2)
    model = LogisticRegression(C=1e6, max_iter=20000).fit(ds.X, ds.y)
    assert model.score(ds.X, ds.y) == 1.0


def test_nonlinear_datasets_defeat_a_linear_model():
    for name in ("xor", "circles"):
        ds = make_dataset(name, n_samples=400, noise=0.05)
        assert LogisticRegression().fit(ds.X, ds.y).score(ds.X, ds.y) < 0.75


@pytest.mark.parametrize(
    "kwargs,fragment",
    [
        (dict(name="nope"), "'nope'"),
        (dict(name="moons", n_classes=3), "got 3"),
        (dict(name="xor", n_classes=4), "got 4"),
        (dict(name="blobs", n_classes=11), "2..10"),
        (dict(name="blobs", n_classes=1), "got 1"),
        (dict(name="gaussian_quadrants", n_classes=3), "{2, 4}"),
        (dict(name="blobs", n_classes=2.0), "2.0"),
        (dict(name="blobs", n_samples=5, n_classes=3), "[6, 20000]"),
        (dict(name="blobs", n_samples=MAX_TOY_SAMPLES + 1), "20001"),
        (dict(name="blobs", n_samples=100.5), "100.5"),
        (dict(name="blobs", n_samples=True), "True"),
        (dict(name="blobs", noise=-0.1), "-0.1"),
        (dict(name="blobs", noise=float("nan")), "nan"),
        (dict(name="blobs", noise=float("inf")), "inf"),
        (dict(name="blobs", noise="0.1"), "'0.1'"),
        (dict(name="blobs", random_state=-1), "-1"),
        (dict(name="blobs", random_state=1.5), "1.5"),
    ],
)
def test_make_dataset_rejects_bad_arguments(kwargs, fragment):
    name = kwargs.pop("name")
    with pytest.raises(ValueError) as info:
        make_dataset(name, **kwargs)
    assert fragment in str(info.value)


def test_make_dataset_sample_bounds_are_inclusive():
    assert make_dataset("blobs", n_samples=6, n_classes=3).n_samples == 6
    assert make_dataset("moons", n_samples=MAX_TOY_SAMPLES).n_samples == MAX_TOY_SAMPLES
