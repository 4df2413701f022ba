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
    "data_digest",
    "parse_upload",
    "plane_of",
    "register",
    "registered",
]


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
        X = StandardScaler().fit_transform(full.X)
        plane = pca_plane(X, full.feature_names)
        data = Dataset(project(plane, X), full.y, ("PC1", "PC2"), full.class_names, full.name)
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


_registry: OrderedDict = OrderedDict()
_lock = threading.Lock()


def register(data: Dataset, note: str | None) -> str:
    """Keep ``data`` (2-D) for the caches under its digest; return the digest."""
    digest = data_digest(data)
    with _lock:
        _registry[digest] = (data, note)
        _registry.move_to_end(digest)
        while len(_registry) > MAX_OWN_DATASETS:
            _registry.popitem(last=False)
    return digest


def registered(digest: str) -> tuple[Dataset, str | None]:
    """The dataset registered under ``digest`` and its note.

    Raises
    ------
    LookupError
        When it is not (or no longer) registered; the page registers its session's data
        on every run, so this means a stale digest.
    """
    with _lock:
        found = _registry.get(digest)
    if found is None:
        raise LookupError("your data is no longer on the server: upload it again")
    return found
