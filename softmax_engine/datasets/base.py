"""The :class:`Dataset` container every loader returns, and :class:`DatasetError`.

A Dataset holds ``X`` (N, D) float64 and ``y`` (N,) integers in ``[0, C)`` with the names
that go with them. The arrays are read-only, so a Dataset can be cached and shared by the
dashboard without anyone modifying it in place.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._validation import check_random_state, check_real

__all__ = ["Dataset", "DatasetError"]


class DatasetError(ValueError):
    """A dataset (usually a CSV file) cannot be used; the message says why and where."""


# ============================================================================== Dataset


@dataclass(frozen=True, eq=False)
class Dataset:
    """A labelled classification dataset, as the engine expects it.

    Parameters
    ----------
    X : array_like, shape (N, D)
        Features; stored as a read-only float64 array. Must be finite.
    y : array_like of int, shape (N,)
        Class indices in ``[0, C)``; stored as a read-only int64 array.
    feature_names : sequence of str, length D
    class_names : sequence of str, length C
        ``class_names[k]`` is the original label of class ``k`` (as a string). A class may
        have no samples (e.g. in a small validation split).
    name : str
        A short human-readable name ("iris", "spiral", "my_data.csv", ...).

    Notes
    -----
    Use :meth:`from_labels` to build a Dataset from labels of any type (strings, ints,
    ...): they are mapped to ``0..C-1`` in sorted order and kept as strings in
    ``class_names``.

    Examples
    --------
    >>> ds = Dataset([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], [0, 1, 0], ("a", "b"), ("no", "yes"))
    >>> ds
    Dataset(name='dataset', n_samples=3, n_features=2, n_classes=2)
    >>> ds.class_counts.tolist()
    [2, 1]
    >>> ds.X.flags.writeable
    False
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    name: str = "dataset"

    def __post_init__(self):
        X = np.array(self.X, dtype=np.float64, copy=True)
        if X.ndim != 2:
            raise ValueError(f"X must be a 2-D array (N, D), got shape {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("X contains NaN or infinite values")
        y_in = np.asarray(self.y)
        if y_in.ndim != 1 or y_in.shape[0] != X.shape[0]:
            raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got {y_in.shape}")
        if y_in.size and not np.issubdtype(y_in.dtype, np.integer):
            # Accept integral floats (e.g. 1.0) but nothing that would silently truncate.
            if not (np.issubdtype(y_in.dtype, np.floating) and np.all(y_in == np.round(y_in))):
                raise ValueError(
                    f"y must hold integer class indices, got dtype {y_in.dtype}; "
                    "use Dataset.from_labels for arbitrary labels"
                )
        y = np.array(y_in, dtype=np.int64, copy=True)
        feature_names = tuple(str(n) for n in self.feature_names)
        class_names = tuple(str(n) for n in self.class_names)
        if len(feature_names) != X.shape[1]:
            raise ValueError(
                f"feature_names has {len(feature_names)} names but X has {X.shape[1]} columns"
            )
        if len(class_names) < 1:
            raise ValueError("class_names must name at least one class")
        if y.size and (y.min() < 0 or y.max() >= len(class_names)):
            raise ValueError(
                f"y must lie in [0, {len(class_names)}) for {len(class_names)} class names, "
                f"got values in [{y.min()}, {y.max()}]"
            )
        X.setflags(write=False)
        y.setflags(write=False)
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "feature_names", feature_names)
        object.__setattr__(self, "class_names", class_names)
        object.__setattr__(self, "name", str(self.name))

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_labels(
        cls,
        X: ArrayLike,
        labels: ArrayLike,
        *,
        feature_names: Sequence[str] | None = None,
        name: str = "dataset",
    ) -> Dataset:
        """Build a Dataset from labels of any type.

        Parameters
        ----------
        X : array_like, shape (N, D)
        labels : array_like, shape (N,)
            Any hashable labels. Classes are ordered as ``np.unique`` sorts them (by their
            string form when the labels cannot be compared with each other).
        feature_names : sequence of str, length D, optional
            Defaults to ``("x1", ..., "xD")``.
        name : str

        Returns
        -------
        Dataset

        Examples
        --------
        >>> ds = Dataset.from_labels([[1.0], [2.0], [3.0]], ["dog", "cat", "dog"])
        >>> ds.class_names, ds.y.tolist(), ds.feature_names
        (('cat', 'dog'), [1, 0, 1], ('x1',))
        """
        X = np.asarray(X, dtype=np.float64)
        labels = np.asarray(labels)
        if labels.ndim != 1:
            raise ValueError(f"labels must be 1-D, got shape {labels.shape}")
        try:
            classes, y = np.unique(labels, return_inverse=True)
        except TypeError:  # mixed, mutually incomparable types: sort by text
            classes, y = np.unique(labels.astype(str), return_inverse=True)
        if feature_names is None:
            feature_names = tuple(f"x{j + 1}" for j in range(X.shape[1] if X.ndim == 2 else 0))
        return cls(X, y.reshape(-1), feature_names, tuple(str(c) for c in classes), name)

    # ------------------------------------------------------------------ sizes

    @property
    def n_samples(self) -> int:
        """Number of samples N."""
        return int(self.X.shape[0])

    @property
    def n_features(self) -> int:
        """Number of features D."""
        return int(self.X.shape[1])

    @property
    def n_classes(self) -> int:
        """Number of classes C (``len(class_names)``, including classes with no samples)."""
        return len(self.class_names)

    @property
    def class_counts(self) -> np.ndarray:
        """Samples per class, shape (C,)."""
        return np.bincount(self.y, minlength=self.n_classes)

    def __repr__(self):
        return (
            f"Dataset(name={self.name!r}, n_samples={self.n_samples}, "
            f"n_features={self.n_features}, n_classes={self.n_classes})"
        )

    # ------------------------------------------------------------------ subsets

    def subset(self, indices: ArrayLike, *, name: str | None = None) -> Dataset:
        """The samples at ``indices`` (same feature and class names).

        Parameters
        ----------
        indices : array_like of int, shape (M,)
        name : str, optional

        Returns
        -------
        Dataset with M samples.

        Examples
        --------
        >>> ds = Dataset.from_labels([[1.0], [2.0], [3.0]], ["a", "b", "a"])
        >>> ds.subset([2, 0]).X.ravel().tolist()
        [3.0, 1.0]
        """
        idx = np.asarray(indices, dtype=np.int64).reshape(-1)
        return Dataset(
            self.X[idx], self.y[idx], self.feature_names, self.class_names,
            self.name if name is None else name,
        )

    def train_validation_indices(
        self, validation_fraction: float = 0.2, random_state=0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Seeded, stratified train/validation indices.

        Parameters
        ----------
        validation_fraction : float in [0, 0.9]
            Share of the samples for validation; the count is ``ceil(fraction * N)`` (as in
            scikit-learn), limited so that every class keeps at least one training sample.
            0 gives an empty validation set.
        random_state : int, numpy Generator or None
            Seed for the shuffle; the same seed gives the same split.

        Returns
        -------
        train_idx : ndarray of int, shape (N_train,)
        validation_idx : ndarray of int, shape (N_val,)
            Disjoint, together all of ``0..N-1``, each sorted (original order kept).

        Notes
        -----
        Stratified: each class contributes to the validation set in proportion to its size
        (largest-remainder rounding, ties broken by the seeded generator). A class with a
        single sample stays in the training set.

        Examples
        --------
        >>> ds = Dataset.from_labels(np.arange(10.0)[:, None], [0] * 5 + [1] * 5)
        >>> train, val = ds.train_validation_indices(0.2, random_state=0)
        >>> len(train), len(val), sorted(ds.y[val].tolist())
        (8, 2, [0, 1])
        """
        fraction = _check_fraction(validation_fraction)
        rng = check_random_state(random_state)
        n = self.n_samples
        counts = np.bincount(self.y, minlength=self.n_classes)
        caps = np.maximum(counts - 1, 0)  # keep >= 1 training sample per present class
        n_val = math.ceil(fraction * n - 1e-9) if fraction > 0 else 0
        n_val = int(min(n_val, caps.sum()))
        take = np.zeros(self.n_classes, dtype=np.int64)
        if n_val > 0:
            ideal = counts * (n_val / n)
            take = np.minimum(np.floor(ideal).astype(np.int64), caps)
            # Hand out the remaining slots by largest remainder, random among ties.
            while take.sum() < n_val:
                open_ = np.flatnonzero(take < caps)
                remainder = ideal[open_] - take[open_]
                order = np.lexsort((rng.random(open_.size), -remainder))
                k = int(min(n_val - take.sum(), open_.size))
                take[open_[order[:k]]] += 1
        val_parts = []
        for c in range(self.n_classes):
            if take[c]:
                members = np.flatnonzero(self.y == c)
                val_parts.append(rng.permutation(members)[: take[c]])
        val_idx = np.sort(np.concatenate(val_parts)) if val_parts else np.zeros(0, np.int64)
        mask = np.ones(n, dtype=bool)
        mask[val_idx] = False
        return np.flatnonzero(mask), val_idx.astype(np.int64)

    def train_validation_split(
        self, validation_fraction: float = 0.2, random_state=0
    ) -> tuple[Dataset, Dataset]:
        """Seeded, stratified split into a training and a validation Dataset.

        Parameters
        ----------
        validation_fraction : float in [0, 0.9]
        random_state : int, numpy Generator or None

        Returns
        -------
        train, validation : Dataset
            Named ``"<name> (train)"`` and ``"<name> (validation)"``; both keep all
            ``class_names``. With ``validation_fraction=0`` the validation set has 0 samples
            (``X`` of shape (0, D)).

        See Also
        --------
        train_validation_indices : the indices behind the split.

        Examples
        --------
        >>> ds = Dataset.from_labels(np.arange(10.0)[:, None], [0] * 5 + [1] * 5, name="toy")
        >>> train, val = ds.train_validation_split(0.2, random_state=0)
        >>> train.name, train.n_samples, val.n_samples
        ('toy (train)', 8, 2)
        """
        train_idx, val_idx = self.train_validation_indices(validation_fraction, random_state)
        return (
            self.subset(train_idx, name=f"{self.name} (train)"),
            self.subset(val_idx, name=f"{self.name} (validation)"),
        )

    # ------------------------------------------------------------------ export

    def to_csv(self) -> str:
        """The dataset as CSV text: a header row, the features, then a ``label`` column.

        Labels are written as their class names and floats with ``repr`` (exact round
        trip), so ``load_csv(ds.to_csv().encode())`` gives back the same data.

        Returns
        -------
        str

        Examples
        --------
        >>> print(Dataset.from_labels([[0.5, 1.0]], ["cat"], feature_names=("w", "h")).to_csv())
        w,h,label
        0.5,1.0,cat
        <BLANKLINE>
        """
        label_name = "label"
        while label_name in self.feature_names:
            label_name = "_" + label_name
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([*self.feature_names, label_name])
        names = self.class_names
        for row, label in zip(self.X.tolist(), self.y.tolist(), strict=True):
            writer.writerow([*map(repr, row), names[label]])
        return buf.getvalue()


def _check_fraction(value):
    return check_real(value, "validation_fraction", low=0, high=0.9, include_high=True)
