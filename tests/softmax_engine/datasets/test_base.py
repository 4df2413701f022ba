"""The Dataset container and its stratified train/validation split."""

import math

import numpy as np
import pytest

from softmax_engine.datasets import Dataset, make_dataset

# ----------------------------------------------------------------------------- Dataset


def test_from_labels_maps_any_labels_to_indices():
    X = np.arange(10.0).reshape(5, 2)
    ds = Dataset.from_labels(X, ["dog", "cat", "dog", "emu", "cat"], name="pets")
    assert ds.class_names == ("cat", "dog", "emu")
    assert [ds.class_names[k] for k in ds.y] == ["dog", "cat", "dog", "emu", "cat"]
    assert ds.feature_names == ("x1", "x2") and ds.name == "pets"
    ds = Dataset.from_labels(X, np.array([10, 2, 2, 10, 7]))
    assert ds.class_names == ("2", "7", "10")
    np.testing.assert_array_equal(ds.y, [2, 0, 0, 2, 1])


def test_dataset_validates_and_freezes():
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match="y must lie"):
        Dataset(X, [0, 1, 2], ("a", "b"), ("p", "q"))
    with pytest.raises(ValueError, match="feature_names"):
        Dataset(X, [0, 1, 1], ("a",), ("p", "q"))
    with pytest.raises(ValueError, match="NaN"):
        Dataset(np.array([[0, np.nan]]), [0], ("a", "b"), ("p",))
    with pytest.raises(ValueError, match="integer"):
        Dataset(X, [0, 0.5, 1], ("a", "b"), ("p", "q"))
    source = np.ones((3, 2))
    ds = Dataset(source, [0, 1, 1], ["a", "b"], ["p", "q"])
    source[0, 0] = 5.0  # the Dataset holds its own copy
    assert ds.X[0, 0] == 1.0
    assert not ds.X.flags.writeable and not ds.y.flags.writeable
    with pytest.raises(AttributeError):
        ds.name = "other"
    np.testing.assert_array_equal(ds.class_counts, [1, 2])


# ----------------------------------------------------------------------------- split


@pytest.mark.parametrize("fraction", [0.1, 0.2, 0.25, 1 / 3, 0.5, 0.9])
def test_split_sizes_and_stratification(fraction):
    ds = make_dataset("blobs", n_samples=203, n_classes=4, random_state=0)
    train, val = ds.train_validation_split(fraction, random_state=5)
    n_val = math.ceil(fraction * ds.n_samples - 1e-9)
    assert val.n_samples == n_val and train.n_samples == ds.n_samples - n_val
    # disjoint and complete: the rows of train and val together are the rows of ds
    rows = np.concatenate([train.X, val.X])
    order = np.lexsort(rows.T)
    ref = np.lexsort(ds.X.T)
    np.testing.assert_array_equal(rows[order], ds.X[ref])
    # stratified: each class contributes in proportion, within one sample
    expected = np.bincount(ds.y) * n_val / ds.n_samples
    assert np.all(np.abs(np.bincount(val.y, minlength=4) - expected) < 1 + 1e-9)
    assert train.class_names == val.class_names == ds.class_names
    assert train.feature_names == ds.feature_names
    assert set(np.unique(train.y)) == set(range(4))


def test_split_is_seeded():
    ds = make_dataset("spiral", n_samples=150)
    a = ds.train_validation_indices(0.3, random_state=1)
    b = ds.train_validation_indices(0.3, random_state=1)
    c = ds.train_validation_indices(0.3, random_state=2)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])
    train, val = ds.train_validation_split(0.3, random_state=1)
    np.testing.assert_array_equal(val.X, ds.X[a[1]])
    np.testing.assert_array_equal(train.y, ds.y[a[0]])


def test_split_zero_fraction_gives_an_empty_validation_set():
    ds = make_dataset("moons", n_samples=50)
    train, val = ds.train_validation_split(0.0)
    assert train.n_samples == 50 and val.n_samples == 0
    assert val.X.shape == (0, 2) and val.y.shape == (0,)
    assert val.n_classes == 2
    np.testing.assert_array_equal(train.X, ds.X)


def test_split_keeps_every_class_in_training():
    X = np.arange(14.0).reshape(7, 2)
    ds = Dataset(X, [0, 0, 0, 0, 0, 1, 2], ("a", "b"), ("p", "q", "r"))
    train, val = ds.train_validation_split(0.9, random_state=0)
    assert set(train.y.tolist()) == {0, 1, 2}  # singletons and one of class 0 stay
    assert val.n_samples == 4 and set(val.y.tolist()) == {0}


@pytest.mark.parametrize("fraction", [-0.1, 0.95, 1.0, float("nan"), True, "0.2", None])
def test_split_rejects_bad_fractions(fraction):
    ds = make_dataset("moons", n_samples=50)
    with pytest.raises(ValueError, match="validation_fraction"):
        ds.train_validation_split(fraction)
