"""scikit-learn's bundled datasets, loaded offline and read-only."""

import numpy as np
import pytest
from sklearn import datasets as skd

from softmax_engine.datasets import BUNDLED_DATASETS, load_dataset

# ----------------------------------------------------------------------------- bundled


@pytest.mark.parametrize(
    "name,shape,n_classes",
    [("iris", (150, 4), 3), ("wine", (178, 13), 3), ("breast_cancer", (569, 30), 2),
     ("digits", (1797, 64), 10)],
)
def test_bundled_datasets(name, shape, n_classes):
    ds = load_dataset(name)
    bunch = getattr(skd, f"load_{name}")()
    assert ds.X.shape == shape and ds.n_classes == n_classes
    np.testing.assert_array_equal(ds.X, bunch.data)
    np.testing.assert_array_equal(ds.y, bunch.target)
    assert ds.feature_names == tuple(map(str, bunch.feature_names))
    assert ds.class_names == tuple(map(str, bunch.target_names))
    assert name in BUNDLED_DATASETS
    with pytest.raises(ValueError):
        ds.X[0, 0] = 1.0  # read-only: the cached object cannot be corrupted


def test_load_dataset_unknown_name():
    with pytest.raises(ValueError, match="'mnist'"):
        load_dataset("mnist")
