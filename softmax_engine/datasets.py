"""Datasets for the playground: seeded toy generators, scikit-learn's bundled sets, CSV files.

Everything here returns a :class:`Dataset`: ``X`` (N, D) float64, ``y`` (N,) integers in
``[0, C)``, and the names that go with them. The arrays are read-only, so a Dataset can be
cached and shared by the dashboard without anyone modifying it in place.

Three sources:

- :func:`make_dataset` -- toy 2-D data (blobs, moons, circles, spiral, xor,
  gaussian_quadrants, linear), pure and seeded like TensorFlow Playground's ``dataset.ts``.
  :data:`TOY_DATASETS` says which class counts each one allows, so a UI can offer only
  valid choices.
- :func:`load_dataset` -- scikit-learn's bundled iris, wine, breast_cancer and digits
  (shipped with scikit-learn, no download).
- :func:`load_csv` -- a person's own CSV file. Every problem with the file raises
  :class:`DatasetError` (a ``ValueError``) whose message names the row, the column or the
  limit involved; sizes are bounded before parsing starts.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import math
import numbers
import os
import re
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "BUNDLED_DATASETS",
    "MAX_CSV_BYTES",
    "MAX_CSV_CLASSES",
    "MAX_CSV_COLUMNS",
    "MAX_CSV_ROWS",
    "MAX_TOY_SAMPLES",
    "TOY_DATASETS",
    "Dataset",
    "DatasetError",
    "ToyDatasetInfo",
    "load_csv",
    "load_dataset",
    "make_dataset",
]


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
    def from_labels(cls, X, labels, *, feature_names=None, name="dataset"):
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

    def subset(self, indices, *, name=None) -> Dataset:
        """The samples at ``indices`` (same feature and class names).

        Parameters
        ----------
        indices : array_like of int, shape (M,)
        name : str, optional

        Returns
        -------
        Dataset with M samples.
        """
        idx = np.asarray(indices, dtype=np.int64).reshape(-1)
        return Dataset(
            self.X[idx], self.y[idx], self.feature_names, self.class_names,
            self.name if name is None else name,
        )

    def train_validation_indices(self, validation_fraction=0.2, random_state=0):
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
        """
        fraction = _check_fraction(validation_fraction)
        rng = np.random.default_rng(random_state)
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

    def train_validation_split(self, validation_fraction=0.2, random_state=0):
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
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"validation_fraction must be a number in [0, 0.9], got {value!r}")
    value = float(value)
    if not (0.0 <= value <= 0.9):  # also rejects NaN
        raise ValueError(f"validation_fraction must be in [0, 0.9], got {value!r}")
    return value


# ============================================================================== toy data


MAX_TOY_SAMPLES = 20_000
MAX_TOY_CLASSES = 10


@dataclass(frozen=True)
class ToyDatasetInfo:
    """What a UI needs to know about one toy dataset.

    Attributes
    ----------
    name : str
        The key for :func:`make_dataset`.
    title : str
        A short label for a select box.
    description : str
        One sentence for a tooltip.
    class_counts : tuple of int
        The allowed values of ``n_classes``.
    default_classes : int
        What ``n_classes=None`` means.
    """

    name: str
    title: str
    description: str
    class_counts: tuple[int, ...] = field(default=tuple(range(2, MAX_TOY_CLASSES + 1)))
    default_classes: int = 3

    def clamp_classes(self, n_classes) -> int:
        """The allowed class count nearest to ``n_classes`` (the smaller one on a tie).

        Useful when a UI keeps one "classes" control across datasets.
        """
        return min(self.class_counts, key=lambda k: (abs(k - n_classes), k))


_ANY = tuple(range(2, MAX_TOY_CLASSES + 1))

TOY_DATASETS: dict[str, ToyDatasetInfo] = {
    info.name: info
    for info in (
        ToyDatasetInfo(
            "blobs", "Gaussian blobs",
            "One round Gaussian cloud per class, centres evenly spaced on the unit circle.",
            _ANY, 3,
        ),
        ToyDatasetInfo(
            "linear", "Linearly separable",
            "Parallel bands at a random angle with gaps between them: a linear model can "
            "classify them perfectly at noise 0.",
            _ANY, 3,
        ),
        ToyDatasetInfo(
            "spiral", "Spiral",
            "CS231n's spiral: one arm per class, turning 4 radians from the centre outwards.",
            _ANY, 3,
        ),
        ToyDatasetInfo(
            "circles", "Concentric circles",
            "One ring per class (radii 1/C, 2/C, ..., 1); polynomial features of degree 2 "
            "separate them.",
            (2, 3, 4, 5), 2,
        ),
        ToyDatasetInfo(
            "moons", "Two moons",
            "Two interleaving half circles (always 2 classes).",
            (2,), 2,
        ),
        ToyDatasetInfo(
            "xor", "XOR",
            "Uniform points in the four quadrants, labelled by the sign of x1*x2 (always 2 "
            "classes); needs the x1*x2 feature.",
            (2,), 2,
        ),
        ToyDatasetInfo(
            "gaussian_quadrants", "Gaussian quadrants",
            "A Gaussian cloud in each quadrant: 4 classes (one per quadrant) or 2 classes "
            "(opposite quadrants share a class, a Gaussian XOR).",
            (2, 4), 4,
        ),
    )
}


def make_dataset(name, *, n_samples=200, n_classes=None, noise=0.1, random_state=0) -> Dataset:
    """Generate a seeded toy 2-D dataset.

    Parameters
    ----------
    name : str
        One of :data:`TOY_DATASETS`: ``"blobs"``, ``"linear"``, ``"spiral"``,
        ``"circles"``, ``"moons"``, ``"xor"``, ``"gaussian_quadrants"``.
    n_samples : int
        Total number of points, in ``[2 * n_classes, 20000]``. Classes are balanced:
        each gets ``n_samples // C`` points and the first ``n_samples % C`` classes one more.
    n_classes : int or None
        Number of classes. ``None`` takes the dataset's default
        (``TOY_DATASETS[name].default_classes``). Allowed counts per dataset (see
        ``TOY_DATASETS[name].class_counts``): blobs, linear and spiral any of 2..10;
        circles 2..5 (rings); gaussian_quadrants 2 or 4; moons and xor only 2. Any other
        count raises ``ValueError`` (use :meth:`ToyDatasetInfo.clamp_classes` to map a
        UI value to an allowed one).
    noise : float >= 0
        Standard deviation of isotropic Gaussian jitter added to every point, in data
        units; the same units for every dataset. The noise-free shapes lie roughly in
        ``[-1, 1]^2`` (moons: ``[-1.5, 1.5] x [-0.75, 0.75]``; blobs and quadrants have
        their own intrinsic spread of 0.2 and 0.3), so noise 0.1 is mild and 0.5 heavy.
    random_state : int >= 0
        Seed. Same arguments give identical arrays; the function has no other state.

    Returns
    -------
    Dataset
        ``X`` (n_samples, 2), ``y`` (n_samples,), features ``("x1", "x2")``, class names
        ``("0", ..., "C-1")``. The samples are shuffled (classes interleaved).
    """
    if not isinstance(name, str) or name not in TOY_DATASETS:
        raise ValueError(f"unknown toy dataset {name!r}; choose one of {sorted(TOY_DATASETS)}")
    info = TOY_DATASETS[name]
    if n_classes is None:
        n_classes = info.default_classes
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral):
        raise ValueError(f"n_classes must be an integer, got {n_classes!r}")
    n_classes = int(n_classes)
    if n_classes not in info.class_counts:
        raise ValueError(
            f"{name!r} allows n_classes in {_describe_counts(info.class_counts)}, "
            f"got {n_classes}"
        )
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral):
        raise ValueError(f"n_samples must be an integer, got {n_samples!r}")
    n_samples = int(n_samples)
    lo = 2 * n_classes
    if not (lo <= n_samples <= MAX_TOY_SAMPLES):
        raise ValueError(
            f"n_samples must be in [{lo}, {MAX_TOY_SAMPLES}] for {n_classes} classes, "
            f"got {n_samples}"
        )
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    noise = float(noise)
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral):
        raise ValueError(f"random_state must be an integer >= 0, got {random_state!r}")
    if random_state < 0:
        raise ValueError(f"random_state must be an integer >= 0, got {random_state!r}")

    rng = np.random.default_rng(int(random_state))
    counts = np.full(n_classes, n_samples // n_classes)
    counts[: n_samples % n_classes] += 1
    y = np.repeat(np.arange(n_classes), counts)
    X = _GENERATORS[name](rng, counts, y)
    X = X + noise * rng.standard_normal(X.shape)  # same jitter rule for every dataset
    order = rng.permutation(n_samples)
    return Dataset(
        X[order], y[order], ("x1", "x2"), tuple(str(k) for k in range(n_classes)), name
    )


def _describe_counts(counts):
    if len(counts) > 2 and counts == tuple(range(counts[0], counts[-1] + 1)):
        return f"{counts[0]}..{counts[-1]}"
    return "{" + ", ".join(map(str, counts)) + "}"


# Each generator gets (rng, counts (C,), y (N,) sorted by class) and returns the clean
# (noise-free) points (N, 2) in the same order as y.


def _blobs(rng, counts, y):
    C = len(counts)
    angles = 2 * np.pi * np.arange(C) / C
    centers = np.column_stack([np.cos(angles), np.sin(angles)])
    return centers[y] + 0.2 * rng.standard_normal((y.size, 2))


def _linear(rng, counts, y):
    # Bands of equal width 2/C across [-1, 1] along a random direction, each shrunk by a
    # margin, so at noise 0 the classes are separated by a gap (argmax of affine scores).
    C = len(counts)
    width = 2.0 / C
    margin = 0.15 * width
    t = -1 + width * y + margin + (width - 2 * margin) * rng.random(y.size)
    s = rng.uniform(-1, 1, y.size)
    theta = rng.uniform(0, np.pi)
    u = np.array([np.cos(theta), np.sin(theta)])
    v = np.array([-u[1], u[0]])
    return np.outer(t, u) + np.outer(s, v)


def _spiral(rng, counts, y):
    # CS231n: r = linspace(0, 1), t = linspace(4j, 4(j+1)), x = r (sin t, cos t); their
    # angular noise is replaced by the common Gaussian jitter in make_dataset.
    parts = []
    for j, n in enumerate(counts):
        r = np.linspace(0.0, 1.0, n)
        t = np.linspace(4.0 * j, 4.0 * (j + 1), n)
        parts.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
    return np.concatenate(parts)


def _circles(rng, counts, y):
    C = len(counts)
    radius = (y + 1) / C
    angle = rng.uniform(0, 2 * np.pi, y.size)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _moons(rng, counts, y):
    t = rng.uniform(0, np.pi, y.size)
    outer = np.column_stack([np.cos(t), np.sin(t)])
    inner = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where((y == 0)[:, None], outer, inner)
    return X - np.array([0.5, 0.25])  # centre the pair on the origin


def _xor(rng, counts, y):
    # Class 0: quadrants I and III (x1*x2 > 0); class 1: II and IV. A small gap of 0.05
    # around the axes keeps the label unambiguous at noise 0.
    mag = rng.uniform(0.05, 1.0, (y.size, 2))
    sx = rng.choice([-1.0, 1.0], y.size)
    sy = np.where(y == 0, sx, -sx)
    return mag * np.column_stack([sx, sy])


def _gaussian_quadrants(rng, counts, y):
    signs = np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]], dtype=float)  # counter-clockwise
    if len(counts) == 4:
        quadrant = y
    else:  # class 0 in quadrants I/III, class 1 in II/IV
        quadrant = 2 * rng.integers(0, 2, y.size) + y
    return 0.7 * signs[quadrant] + 0.3 * rng.standard_normal((y.size, 2))


_GENERATORS = {
    "blobs": _blobs,
    "linear": _linear,
    "spiral": _spiral,
    "circles": _circles,
    "moons": _moons,
    "xor": _xor,
    "gaussian_quadrants": _gaussian_quadrants,
}


# ============================================================================== bundled


BUNDLED_DATASETS: dict[str, str] = {
    "iris": "Iris flowers: 150 samples, 4 features, 3 species.",
    "wine": "Wine cultivars: 178 samples, 13 chemical features, 3 classes.",
    "breast_cancer": "Breast cancer (Wisconsin): 569 samples, 30 features, 2 classes.",
    "digits": "Handwritten digits: 1797 images of 8x8 pixels (64 features), 10 classes.",
}


def load_dataset(name) -> Dataset:
    """Load one of scikit-learn's bundled datasets (offline, shipped with scikit-learn).

    Parameters
    ----------
    name : {"iris", "wine", "breast_cancer", "digits"}

    Returns
    -------
    Dataset
        Raw (unstandardized) features with scikit-learn's feature and class names. The
        result is cached; its arrays are read-only, so sharing it is safe.
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


# ============================================================================== CSV

MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_CSV_ROWS = 100_000
MAX_CSV_COLUMNS = 1_000
MAX_CSV_CLASSES = 50

_DELIMITERS_BY_PRIORITY = ("\t", ";", ",")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_SNIFF_RECORDS = 50
_SNIFF_CHARS = 64 * 1024
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")
_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an .xlsx or .ods spreadsheet?)",
    b"\x1f\x8b": "a gzip-compressed file",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or other Office file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}


def load_csv(
    source,
    *,
    label_column=None,
    header=None,
    name=None,
    max_bytes=MAX_CSV_BYTES,
    max_rows=MAX_CSV_ROWS,
    max_columns=MAX_CSV_COLUMNS,
    max_classes=MAX_CSV_CLASSES,
) -> Dataset:
    """Read a classification dataset from a CSV file.

    The file holds numeric feature columns and one label column (any text: "cat", "3",
    ...). Rows are numbered as in a spreadsheet: the first line of the file is row 1 (the
    header, if there is one); columns are numbered from 1 in messages.

    Parameters
    ----------
    source : str, os.PathLike, bytes, bytearray, memoryview or file-like
        A path, the file's bytes, or an object with ``read()`` returning bytes or str
        (read from its current position), e.g. Streamlit's ``UploadedFile``.
    label_column : None, int or str
        The label column: ``None`` for the last column, an index (negative counts from
        the end), or a header name (which requires a header row).
    header : None or bool
        Whether row 1 is a header. ``None`` detects it: row 1 is a header when none of its
        feature cells is a number (or when ``label_column`` is a name).
    name : str, optional
        The Dataset's name; defaults to the file name, or ``"uploaded CSV"``.
    max_bytes, max_rows, max_columns, max_classes : int
        Limits (defaults :data:`MAX_CSV_BYTES` = 5 MiB, :data:`MAX_CSV_ROWS` = 100,000
        data rows, :data:`MAX_CSV_COLUMNS` = 1,000, :data:`MAX_CSV_CLASSES` = 50). The byte
        limit is checked before anything is parsed.

    Returns
    -------
    Dataset
        Classes ordered by value when every label is a number, otherwise alphabetically
        (numbers first); ``class_names`` keep the labels' text. Without a header the
        features are named ``x1, x2, ...`` and the label column ``label``.

    Raises
    ------
    DatasetError
        For any problem with the input, with a message naming the row, column or limit:
        unreadable or oversized input, binary content or NUL bytes, text that is not UTF-8
        (UTF-8 with or without BOM, and UTF-16 with BOM, are accepted), no data rows,
        rows of different lengths, empty, non-numeric, NaN or infinite feature values,
        empty labels, fewer than one feature column, a single class, too many classes,
        rows or columns, duplicate header names, or a label column that does not exist.

    Notes
    -----
    Delimiters: comma, semicolon or tab, detected from the first records (the one that
    splits them all into the same number of fields, the most fields winning). With a
    semicolon or tab delimiter a decimal comma ("1,5") is read as a decimal point. Quoted
    fields, CRLF line endings, blank lines and a trailing delimiter on every line are
    handled; cells are stripped of surrounding whitespace.
    """
    for limit_name, limit in (
        ("max_bytes", max_bytes), ("max_rows", max_rows),
        ("max_columns", max_columns), ("max_classes", max_classes),
    ):
        if isinstance(limit, bool) or not isinstance(limit, numbers.Integral) or limit < 1:
            raise DatasetError(f"{limit_name} must be a positive integer, got {limit!r}")
    if header is not None and not isinstance(header, bool):
        raise DatasetError(f"header must be None, True or False, got {header!r}")
    if label_column is not None and (
        isinstance(label_column, bool) or not isinstance(label_column, (numbers.Integral, str))
    ):
        raise DatasetError(
            f"label_column must be None, a column index or a column name, got {label_column!r}"
        )

    raw, default_name = _read_source(source, int(max_bytes))
    text = _decode(raw)
    parser = _CsvParser(
        text,
        label_column=label_column,
        header=header,
        max_rows=int(max_rows),
        max_columns=int(max_columns),
        max_classes=int(max_classes),
    )
    X, labels, feature_names = parser.parse()
    classes = sorted(set(labels), key=_label_sort_key)
    index = {c: k for k, c in enumerate(classes)}
    y = np.fromiter((index[c] for c in labels), dtype=np.int64, count=len(labels))
    return Dataset(X, y, feature_names, tuple(classes), name or default_name)


def _label_sort_key(label):
    value = _try_float(label)
    if value is not None and math.isfinite(value):
        return (0, value, label)
    return (1, 0.0, label)


def _try_float(text):
    try:
        return float(text)
    except ValueError:
        return None


def _short(value, limit=40):
    """Quote a cell for an error message, truncated."""
    text = value if len(value) <= limit else value[: limit - 3] + "..."
    return repr(text)


def _read_source(source, max_bytes):
    """Return (bytes, default name), reading at most ``max_bytes + 1`` bytes."""
    mib = f" ({max_bytes / 2**20:.3g} MiB)" if max_bytes >= 2**20 else ""
    too_large = f"the file is larger than the limit of {max_bytes:,} bytes{mib}"
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > max_bytes:
            raise DatasetError(f"{too_large}: got {len(data):,} bytes")
        return data, "uploaded CSV"
    if isinstance(source, (str, os.PathLike)):
        try:
            path = os.fspath(source)
            size = os.stat(path).st_size
            if size > max_bytes:
                raise DatasetError(f"{too_large}: {path!r} has {size:,} bytes")
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)  # the file may grow after stat
        except DatasetError:
            raise
        except (OSError, ValueError, TypeError) as exc:
            shown = source if isinstance(source, str) else repr(source)
            hint = ""
            if isinstance(source, str) and ("\n" in source or "," in source):
                hint = " (to parse CSV text, pass bytes, e.g. text.encode(), or io.StringIO)"
            raise DatasetError(
                f"cannot read file {_short(str(shown), 80)}: {exc.__class__.__name__}: "
                f"{exc}{hint}"
            ) from None
        if len(data) > max_bytes:
            raise DatasetError(too_large)
        return data, os.path.basename(path) or "CSV file"
    read = getattr(source, "read", None)
    if not callable(read):
        raise DatasetError(
            f"cannot read a CSV from a {type(source).__name__}: pass a path, bytes or a "
            "file-like object"
        )
    try:
        data = read(max_bytes + 1)
    except Exception as exc:  # any failure of a foreign read() is a bad input here
        raise DatasetError(f"cannot read the file: {exc.__class__.__name__}: {exc}") from None
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    elif isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    elif not isinstance(data, bytes):
        raise DatasetError(f"read() returned {type(data).__name__}, expected bytes or str")
    if len(data) > max_bytes:
        raise DatasetError(too_large)
    file_name = getattr(source, "name", None)
    if isinstance(file_name, str) and file_name:
        return data, os.path.basename(file_name)
    return data, "uploaded CSV"


def _decode(raw):
    """Bytes -> str: UTF-8 (BOM optional) or UTF-16 with BOM; reject binary content."""
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise DatasetError(f"this looks like {what}, not a CSV text file")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
        nul = raw.find(b"\x00")
        if nul >= 0:
            row = raw.count(b"\n", 0, nul) + 1
            raise DatasetError(
                f"the file contains a NUL byte (byte {nul:,}, row {row}): it looks binary, "
                "not a CSV text file"
            )
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise DatasetError(
            f"the file is not valid {encoding.upper().replace('-SIG', '')} text (byte 0x{bad} at "
            f"offset {exc.start:,}, row {line}); save it as a UTF-8 CSV"
        ) from None
    if "\x00" in text:
        raise DatasetError("the file contains NUL characters: it looks binary, not CSV text")
    return text


def _sniff_delimiter(text):
    """Pick the delimiter that splits the first records into equal field counts > 1.

    The most fields wins; on a tie tab beats semicolon beats comma (a file that splits
    evenly on ';' too is a European-style CSV with decimal commas). When no delimiter
    splits evenly, the one giving the first record the most fields is used, so that the
    ragged row is reported later with its row number.
    """
    sample = text[:_SNIFF_CHARS]
    truncated = len(text) > len(sample)
    best, best_fields = None, 1
    fallback, fallback_fields = ",", 1
    for delimiter in _DELIMITERS_BY_PRIORITY:
        counts = []
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
            for row in reader:
                if any(cell.strip() for cell in row):
                    counts.append(len(row))
                if len(counts) > _SNIFF_RECORDS:
                    break
        except csv.Error:
            continue
        if truncated and 1 < len(counts) <= _SNIFF_RECORDS:
            counts.pop()  # the last record may be cut off by the sample boundary
        if not counts:
            continue
        if min(counts) == max(counts) and counts[0] > best_fields:
            best, best_fields = delimiter, counts[0]
        if counts[0] > fallback_fields:
            fallback, fallback_fields = delimiter, counts[0]
    return best if best is not None else fallback


class _CsvParser:
    """One pass over the records; raises DatasetError at the first problem."""

    def __init__(self, text, *, label_column, header, max_rows, max_columns, max_classes):
        self.text = text
        self.label_column = label_column
        self.header = header
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.max_classes = max_classes
        self.delimiter = _sniff_delimiter(text)

    # -- helpers for messages -------------------------------------------------------

    def _col(self, j):
        name = self.column_names[j] if self.column_names else None
        return f"column {j + 1} ({_short(name)})" if name else f"column {j + 1}"

    def _parse_number(self, cell):
        try:
            return float(cell)
        except ValueError:
            if self.delimiter != "," and _DECIMAL_COMMA.fullmatch(cell):
                return float(cell.replace(",", "."))
            raise

    def _bad_cell(self, row_no, j, cell):
        where = f"row {row_no}, {self._col(j)}"
        if cell == "":
            return DatasetError(f"{where}: the value is missing (empty cells are not supported)")
        hint = ""
        if row_no == self.first_row_no and not self.has_header:
            hint = " (if row 1 is a header, pass header=True)"
        elif self.delimiter == "," and _DECIMAL_COMMA.fullmatch(cell.replace(".", "")):
            hint = " (use '.' as the decimal separator)"
        return DatasetError(f"{where}: {_short(cell)} is not a number{hint}")

    # -- the pass ---------------------------------------------------------------------

    def parse(self):
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        self.column_names = None
        self.has_header = False
        self.first_row_no = None
        rows, labels, row_numbers = [], [], []
        label_index = {}
        width = None
        strip_trailing = False
        row_no = 0
        try:
            for row_no, row in enumerate(reader, start=1):
                cells = [c.strip() for c in row]
                if not any(cells):
                    continue  # blank line (or only delimiters)
                if width is None:
                    strip_trailing = self._trailing_delimiter()
                if strip_trailing and cells[-1] == "":
                    cells.pop()
                if width is None:
                    width = self._first_row(row_no, cells)
                    if self.has_header:
                        continue
                elif len(cells) != width:
                    raise DatasetError(
                        f"row {row_no} has {len(cells)} fields but row {self.first_row_no} "
                        f"has {width} ({_DELIMITER_NAMES[self.delimiter]}-delimited); "
                        "every row needs the same number of fields"
                    )
                if len(rows) >= self.max_rows:
                    raise DatasetError(
                        f"the file has more than {self.max_rows:,} data rows (the limit)"
                    )
                rows.append(self._features(row_no, cells))
                label = cells[self.label_idx]
                if label == "":
                    raise DatasetError(
                        f"row {row_no}, {self._col(self.label_idx)}: the label is missing"
                    )
                if label not in label_index:
                    if len(label_index) >= self.max_classes:
                        raise DatasetError(
                            f"row {row_no}: more than {self.max_classes} distinct labels in "
                            f"{self._col(self.label_idx)} (the limit is {self.max_classes} "
                            "classes); is label_column the right column?"
                        )
                    label_index[label] = len(label_index)
                labels.append(label)
                row_numbers.append(row_no)
        except csv.Error as exc:
            raise DatasetError(f"row {row_no + 1}: cannot parse the CSV: {exc}") from None

        if width is None:
            raise DatasetError("the file is empty (no rows with any content)")
        if not rows:
            raise DatasetError("the file has a header but no data rows")
        X = np.array(rows, dtype=np.float64).reshape(len(rows), width - 1)
        finite = np.isfinite(X)
        if not finite.all():
            i, k = np.argwhere(~finite)[0]
            j = self.feature_idx[k]
            raise DatasetError(
                f"row {row_numbers[i]}, {self._col(j)}: value {float(X[i, k])} is not a finite "
                "number (NaN, infinity and missing values are not supported)"
            )
        if len(label_index) < 2:
            raise DatasetError(
                f"only one class ({_short(labels[0])}) in {self._col(self.label_idx)}; "
                "a classifier needs at least 2"
            )
        feature_names = tuple(self.column_names[j] for j in self.feature_idx)
        return X, labels, feature_names

    def _trailing_delimiter(self):
        """True when every sampled record ends with an empty field (e.g. "1,2,a,")."""
        reader = csv.reader(io.StringIO(self.text[:_SNIFF_CHARS], newline=""),
                            delimiter=self.delimiter)
        seen = 0
        try:
            for row in reader:
                if not any(c.strip() for c in row):
                    continue
                if len(row) < 3 or row[-1].strip() != "":
                    return False
                seen += 1
                if seen >= _SNIFF_RECORDS:
                    break
        except csv.Error:
            return False
        return seen > 0

    def _first_row(self, row_no, cells):
        """Settle the width, the header and the label column from the first record."""
        width = len(cells)
        self.first_row_no = row_no
        if width > self.max_columns:
            raise DatasetError(
                f"row {row_no} has {width:,} columns; the limit is {self.max_columns:,}"
            )
        if width < 2:
            raise DatasetError(
                f"row {row_no} has a single column: need at least one feature column and a "
                "label column, separated by commas, semicolons or tabs"
            )
        lc = self.label_column
        header = self.header
        if isinstance(lc, str):
            if header is False:
                raise DatasetError(
                    f"label_column={lc!r} is a name, but header=False says there is no header"
                )
            header = True
            matches = [j for j, c in enumerate(cells) if c == lc.strip()]
            if not matches:
                shown = ", ".join(_short(c, 20) for c in cells[:20])
                more = ", ..." if width > 20 else ""
                raise DatasetError(
                    f"label column {lc!r} not found in the header (row {row_no}): "
                    f"{shown}{more}"
                )
            label_idx = matches[0]
        elif lc is None:
            label_idx = width - 1
        else:
            if not (-width <= lc < width):
                raise DatasetError(
                    f"label_column={lc} is out of range: the file has {width} columns "
                    f"(valid indices {-width}..{width - 1})"
                )
            label_idx = int(lc) % width
        self.label_idx = label_idx
        self.feature_idx = [j for j in range(width) if j != label_idx]
        if header is None:
            header = all(
                _try_float(cells[j]) is None and not _DECIMAL_COMMA.fullmatch(cells[j])
                for j in self.feature_idx
            )
        self.has_header = header
        if header:
            names = [c if c else f"column {j + 1}" for j, c in enumerate(cells)]
            seen = {}
            for j, n in enumerate(names):
                if n in seen:
                    raise DatasetError(
                        f"duplicate column name {_short(n)} in the header (row {row_no}): "
                        f"columns {seen[n] + 1} and {j + 1}"
                    )
                seen[n] = j
            self.column_names = names
        else:
            self.column_names = [f"x{k + 1}" for k in range(width)]
            for k, j in enumerate(self.feature_idx):
                self.column_names[j] = f"x{k + 1}"
            self.column_names[label_idx] = "label"
        return width

    def _features(self, row_no, cells):
        values = [cells[j] for j in self.feature_idx]
        try:
            return [float(v) for v in values]
        except ValueError:
            pass
        out = []  # slow path: decimal commas, or find the bad cell for the message
        for j, v in zip(self.feature_idx, values, strict=True):
            try:
                out.append(self._parse_number(v))
            except ValueError:
                raise self._bad_cell(row_no, j, v) from None
        return out
