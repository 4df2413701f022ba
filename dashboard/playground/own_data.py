"""A person's own data on the Playground (issue 14, point 1): an uploaded CSV on a plane
of two columns or its PCA plane.

Pure (no streamlit). The session keeps its own dataset; the server keeps a bounded
registry from the 2-D dataset's digest to the dataset, so the caches (runs, planes, the
shared training inputs) key on ``Settings.user_data`` = that digest and never mix two
sessions' data: equal digests mean equal data.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import numpy as np
from sklearn.preprocessing import StandardScaler

from dashboard.settings import MAX_SAMPLES
from softmax_engine import Dataset, DatasetError, load_csv, pca_plane, project
from softmax_engine.datasets import MAX_CSV_BYTES

MAX_OWN_CLASSES = 10  # the Playground's colours and symbols
MAX_OWN_DATASETS = 64  # registered 2-D datasets kept by the server (all sessions)
PCA_VIEW = "pca"

__all__ = [
    "MAX_CSV_BYTES",
    "MAX_OWN_CLASSES",
    "PCA_VIEW",
    "anchor_points",
    "anchored_split",
    "data_digest",
    "make_anchor",
    "parse_upload",
    "plane_of",
    "register",
    "registered",
]


def on_pca_plane(full: Dataset) -> Dataset:
    """``full`` standardized and projected on its PCA plane through the mean: (N, 2)."""
    X = StandardScaler().fit_transform(full.X)
    plane = pca_plane(X, full.feature_names)
    return Dataset(project(plane, X), full.y, ("PC1", "PC2"), full.class_names, full.name)


def parse_upload(data: bytes, name: str) -> Dataset:
    """The uploaded file as a Dataset, with the engine's checks and messages.

    Raises
    ------
    DatasetError
        From ``load_csv`` (limits: 5 MB, :data:`~dashboard.settings.MAX_SAMPLES` rows,
        2–10 classes), or when the file has a single feature column.
    """
    full = load_csv(data, name=name, max_rows=MAX_SAMPLES, max_classes=MAX_OWN_CLASSES)
    if full.n_features < 2:
        raise DatasetError(
            f"the file has one feature column ({full.feature_names[0]!r}); the Playground "
            "needs two numeric columns besides the label"
        )
    return full


def plane_of(full: Dataset, view=PCA_VIEW) -> tuple[Dataset, str | None]:
    """The 2-D dataset the Playground trains on, and a sentence on what its plane is.

    Parameters
    ----------
    full : Dataset
        Two or more feature columns.
    view : "pca" or (int, int)
        The PCA plane (standardized columns, through the mean) or two column indices.
        Ignored with exactly two columns: they are used as they are.
    """
    n, d = full.X.shape
    if d == 2:
        return full, None
    if view == PCA_VIEW:
        data = on_pca_plane(full)
        note = (
            f"{full.name}: {n} rows with {d} numeric columns, standardized and projected on "
            "their first two principal components (the PCA plane through the mean). The "
            "model here sees only these two coordinates."
        )
        return data, note
    i, j = (int(v) for v in view)
    if not (0 <= i < d and 0 <= j < d and i != j):
        raise ValueError(f"columns must be two different indices below {d}, got {view!r}")
    names = (full.feature_names[i], full.feature_names[j])
    data = Dataset(full.X[:, [i, j]], full.y, names, full.class_names, full.name)
    note = (
        f"{full.name}: {n} rows; the model sees the columns “{names[0]}” and “{names[1]}” "
        f"of its {d}."
    )
    return data, note


def data_digest(data: Dataset) -> str:
    """SHA-256 (first 32 hex digits) of the points, labels and names: the cache key."""
    h = hashlib.sha256()
    for a in (data.X, data.y):
        h.update(str(a.shape).encode())
        h.update(np.ascontiguousarray(a).tobytes())
    for names in (data.feature_names, data.class_names, (data.name,)):
        h.update("\x1f".join(names).encode() + b"\x1e")
    return h.hexdigest()[:32]


def make_anchor(data: Dataset, val_index) -> np.ndarray:
    """The anchor of drawn data: every point of the data the drawing starts from, as
    rows ``(x, y, 1 if validation else 0)`` (see :func:`register`)."""
    flags = np.zeros(data.n_samples)
    flags[np.asarray(val_index, int)] = 1.0
    return np.column_stack([data.X, flags])


def anchored_split(data: Dataset, anchor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Train and validation rows of drawn data: a point of the starting data keeps its
    side; a drawn point trains (it is drawn to move the model). Every class keeps a
    training point."""
    side = {row[:2].tobytes(): row[2] for row in np.asarray(anchor, float)}
    val = np.array([side.get(x.tobytes(), 0.0) == 1.0 for x in data.X], bool)
    for c in np.unique(data.y):
        rows = np.flatnonzero(data.y == c)
        if val[rows].all():
            val[rows[0]] = False
    return np.flatnonzero(~val), np.flatnonzero(val)


_registry: OrderedDict = OrderedDict()
_lock = threading.Lock()


def register(data: Dataset, note: str | None, anchor: np.ndarray | None = None) -> str:
    """Keep ``data`` (2-D) for the caches under its digest; return the digest.

    ``anchor`` (drawn data, :func:`make_anchor`): the points of the data the drawing
    started from. The feature map stays fitted on its training points, the axes cover
    it and its points keep their side of the split (:func:`anchored_split`), so an edit
    changes the training set only, not the features, the other points' split or the
    axes."""
    digest = data_digest(data)
    if anchor is not None:
        anchor = np.ascontiguousarray(anchor, float)
        digest = hashlib.sha256((digest + "anchor").encode() + anchor.tobytes()).hexdigest()[:32]
    with _lock:
        _registry[digest] = (data, note, anchor)
        _registry.move_to_end(digest)
        while len(_registry) > MAX_OWN_DATASETS:
            _registry.popitem(last=False)
    return digest


def _lookup(digest: str):
    with _lock:
        found = _registry.get(digest)
    if found is None:
        raise LookupError("your data is no longer on the server: upload it again")
    return found


def registered(digest: str) -> tuple[Dataset, str | None]:
    """The dataset registered under ``digest`` and its note.

    Raises
    ------
    LookupError
        When it is not (or no longer) registered; the page registers its session's data
        on every run, so this means a stale digest.
    """
    data, note, _ = _lookup(digest)
    return data, note


def anchor_points(digest: str) -> np.ndarray | None:
    """The anchor registered with ``digest`` (drawn data), or None (an upload)."""
    return _lookup(digest)[2]
