"""scikit-learn's bundled datasets: iris, wine, breast_cancer and digits (no download)."""

from __future__ import annotations

import functools

from .base import Dataset

__all__ = ["BUNDLED_DATASETS", "load_dataset"]


BUNDLED_DATASETS: dict[str, str] = {
    "iris": "Iris flowers: 150 samples, 4 features, 3 species.",
    "wine": "Wine cultivars: 178 samples, 13 chemical features, 3 classes.",
    "breast_cancer": "Breast cancer (Wisconsin): 569 samples, 30 features, 2 classes.",
    "digits": "Handwritten digits: 1797 images of 8x8 pixels (64 features), 10 classes.",
}


def load_dataset(name: str) -> Dataset:
    """Load one of scikit-learn's bundled datasets (offline, shipped with scikit-learn).

    Parameters
    ----------
    name : {"iris", "wine", "breast_cancer", "digits"}

    Returns
    -------
    Dataset
        Raw (unstandardized) features with scikit-learn's feature and class names. The
        result is cached; its arrays are read-only, so sharing it is safe.

    Examples
    --------
    >>> iris = load_dataset("iris")
    >>> iris
    Dataset(name='iris', n_samples=150, n_features=4, n_classes=3)
    >>> iris.class_names
    ('setosa', 'versicolor', 'virginica')
    """
    if not isinstance(name, str) or name not in BUNDLED_DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {sorted(BUNDLED_DATASETS)}")
    return _load_bundled(name)


@functools.cache
def _load_bundled(name):
    from sklearn import datasets as skd  # imported lazily: only needed here

    bunch = getattr(skd, f"load_{name}")()
    return Dataset(
        bunch.data,
        bunch.target,
        tuple(str(f) for f in bunch.feature_names),
        tuple(str(c) for c in bunch.target_names),
        name,
    )

