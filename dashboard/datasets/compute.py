"""Engine glue for the Datasets page: pure (no streamlit, no plotly).

:func:`train_on_dataset` trains on all (standardized) features of a bundled or uploaded
dataset and gathers every number the page shows -- accuracies,
``sklearn.metrics`` confusion matrix, precision and recall, the loss history, and
scikit-learn's ``LogisticRegression`` at the matching C beside our own L-BFGS optimum.
:func:`plane_view` puts the model's decision regions on a 2-D plane through the data.
:func:`accept_upload` is the upload state machine, on any mutable mapping (the page
passes ``st.session_state``), so a bad file never replaces the dataset in place.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
import warnings
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support
from threadpoolctl import threadpool_limits

from dashboard.settings import REGULARIZATIONS
from softmax_engine import (
    Dataset,
    DatasetError,
    FeatureMap,
    SoftmaxObjective,
    feature_plane,
    grid_bounds,
    lift,
    load_csv,
    pca_plane,
    plane_regions,
    project,
)
from softmax_engine.classifier import DivergenceWarning, SoftmaxClassifier

BUNDLED_SOURCES = ("iris", "wine", "breast_cancer", "digits")
UPLOAD_SOURCE = "upload"
SOURCE_LABELS = {
    "iris": "Iris (4 features, 3 classes)",
    "wine": "Wine (13 features, 3 classes)",
    "breast_cancer": "Breast cancer (30 features, 2 classes)",
    "digits": "Digits (8×8 images, 10 classes)",
    UPLOAD_SOURCE: "Upload CSV…",
}
OPTIMIZERS = ("lbfgs", "sgd")
OPTIMIZER_LABELS = {"lbfgs": "L-BFGS (to the optimum)", "sgd": "Gradient descent (full batch)"}
# reg = 0 has no finite optimum on separable data (breast cancer, digits), and its C is
# infinite: the Datasets page offers the Playground's positive strengths only.
DATASET_REGULARIZATIONS = tuple(r for r in REGULARIZATIONS if r > 0)
MAX_GD_STEPS = 2000
MAX_LBFGS_ITER = 3000
MAX_REGION_CLASSES = 10  # the class palette (and marker symbols) stop at 10
REGION_RESOLUTION = 150
SPLIT_SEED = 0
INIT_SEED = 0

# Keys of the upload state in the page's session state.
UPLOADED_KEY = "ds_uploaded"
UPLOAD_ID_KEY = "ds_upload_id"
UPLOAD_ERROR_KEY = "ds_upload_error"


@dataclass(frozen=True)
class DatasetOptions:
    """The training controls of the Datasets page; hashable (a cache key)."""

    reg: float = 1e-3
    optimizer: str = "lbfgs"
    learning_rate: float = 0.5
    steps: int = 300
    validation_share: float = 0.2

    def __post_init__(self):
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}")
        if not (math.isfinite(self.reg) and self.reg > 0):
            raise ValueError(f"reg must be a finite number > 0, got {self.reg!r}")
        if not 1 <= self.steps <= MAX_GD_STEPS:
            raise ValueError(f"steps must be in [1, {MAX_GD_STEPS}], got {self.steps!r}")


def content_hash(dataset: Dataset) -> str:
    """SHA-256 of everything that defines a dataset: a cache key that two sessions share
    only when they hold exactly the same data.

    Parameters
    ----------
    dataset : Dataset
        Its ``X`` (N, D), ``y`` (N,), feature names and class names are hashed; its
        display name is not.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    h = hashlib.sha256()
    for a in (dataset.X, dataset.y):
        h.update(str(a.shape).encode())
        h.update(np.ascontiguousarray(a).tobytes())
    h.update("\x1f".join(dataset.feature_names).encode())
    h.update(b"\x1e")
    h.update("\x1f".join(dataset.class_names).encode())
    return h.hexdigest()


def accept_upload(
    state: MutableMapping, file_id: str, name: str, data: bytes
) -> tuple[Dataset | None, str | None]:
    """Parse an uploaded CSV into ``state``; a bad file leaves the previous dataset in place.

    Parameters
    ----------
    state : mutable mapping
        The session's state (``st.session_state``, or a dict in tests). Keys used:
        :data:`UPLOADED_KEY` (the last good upload), :data:`UPLOAD_ID_KEY` and
        :data:`UPLOAD_ERROR_KEY` (the outcome for the file seen last, so a rerun does
        not parse the same file again).
    file_id : str
        Identifies this upload (Streamlit's ``UploadedFile.file_id``).
    name : str
        The file name (the dataset's name).
    data : bytes

    Returns
    -------
    dataset : Dataset or None
        The last good upload: this file's, or the previous one when this file is bad.
    error : str or None
        The ``DatasetError`` message for a bad file.
    """
    if state.get(UPLOAD_ID_KEY) != file_id:
        state[UPLOAD_ID_KEY] = file_id
        try:
            state[UPLOADED_KEY] = load_csv(data, name=name)
            state[UPLOAD_ERROR_KEY] = None
        except DatasetError as exc:
            state[UPLOAD_ERROR_KEY] = str(exc)
    return state.get(UPLOADED_KEY), state.get(UPLOAD_ERROR_KEY)


_PIXEL = re.compile(r"pixel_(\d+)_(\d+)")


def image_shape(feature_names: Sequence[str]) -> tuple[int, int] | None:
    """The image grid behind the features, if they are pixels.

    Parameters
    ----------
    feature_names : sequence of str, length D

    Returns
    -------
    (int, int) or None
        ``(rows, cols)`` with rows · cols = D when the names are the pixels of an image in
        row-major order (scikit-learn's digits: ``pixel_0_0 … pixel_7_7``), else None.
    """
    cells = [_PIXEL.fullmatch(n) for n in feature_names]
    if not cells or not all(cells):
        return None
    rc = [(int(m.group(1)), int(m.group(2))) for m in cells]
    rows, cols = max(r for r, _ in rc) + 1, max(c for _, c in rc) + 1
    expected = [(r, c) for r in range(rows) for c in range(cols)]
    return (rows, cols) if rc == expected else None


@dataclass(frozen=True, eq=False)
class SklearnComparison:
    """Our L-BFGS optimum beside scikit-learn's ``LogisticRegression`` at the matching C.

    Both objectives are ours, ``mean cross-entropy + reg·‖W‖²`` on the training set,
    evaluated by the engine at each model's weights (scikit-learn's own objective is N
    times this). With two classes scikit-learn fits one vector w = w₁ − w₀; the softmax
    optimum has w₁ = −w₀ = w/2, whose penalty reg·(‖w₀‖² + ‖w₁‖²) = reg·‖w‖²/2, so the
    matching C is 1/(N·reg) instead of 1/(2·N·reg).
    """

    C: float
    binary: bool
    ours_objective: float
    theirs_objective: float
    ours_train_accuracy: float
    theirs_train_accuracy: float
    ours_val_accuracy: float
    theirs_val_accuracy: float
    prediction_agreement: float  # share of all samples given the same class
    max_weight_difference: float  # max |W_ours - W_theirs| (softmax form), |W| scale
    weight_scale: float  # max |W_theirs|
    ours_iterations: int
    theirs_iterations: int
    ours_seconds: float
    theirs_seconds: float

    @property
    def objective_gap(self) -> float:
        """Relative difference of the two objectives."""
        return abs(self.ours_objective - self.theirs_objective) / max(
            abs(self.theirs_objective), 1e-300
        )


@dataclass(eq=False)
class DatasetsRun:
    """A model trained on all standardized features of a dataset; read-only once built.

    Attributes
    ----------
    dataset : Dataset
    options : DatasetOptions
    train_index, val_index : ndarray of int
    scaler : FeatureMap
        Standardization fitted on the training rows.
    Z : ndarray, shape (N, D)
        Every sample, standardized.
    model : SoftmaxClassifier
        Trained with the page's optimizer; its ``history_`` is the loss curve.
    train_seconds : float
    comparison : SklearnComparison
    """

    dataset: Dataset
    options: DatasetOptions
    train_index: np.ndarray
    val_index: np.ndarray
    scaler: FeatureMap
    Z: np.ndarray
    model: SoftmaxClassifier
    train_seconds: float
    comparison: SklearnComparison

    @property
    def W(self) -> np.ndarray:
        """Weights, shape (D, C)."""
        return self.model.coef_.T

    @property
    def b(self) -> np.ndarray:
        """Biases, shape (C,)."""
        return self.model.intercept_

    @property
    def has_validation(self) -> bool:
        """True when some rows were held out for validation."""
        return len(self.val_index) > 0

    @cached_property
    def predictions(self) -> np.ndarray:
        """Predicted class of every sample, shape (N,)."""
        return self.model.predict(self.Z)

    @property
    def train_accuracy(self) -> float:
        """Accuracy on the training rows."""
        i = self.train_index
        return float(accuracy_score(self.dataset.y[i], self.predictions[i]))

    @property
    def val_accuracy(self) -> float:
        """Accuracy on the validation rows; NaN without a validation set."""
        if not self.has_validation:
            return math.nan
        i = self.val_index
        return float(accuracy_score(self.dataset.y[i], self.predictions[i]))

    @property
    def evaluation_part(self) -> str:
        """``"validation"`` when there is a validation set, else ``"training"``."""
        return "validation" if self.has_validation else "training"

    @cached_property
    def report(self) -> dict:
        """``sklearn.metrics`` on the validation set (the training set without one):
        ``confusion`` (C, C) with rows = true, columns = predicted; ``precision``,
        ``recall``, ``support`` (C,)."""
        idx = self.val_index if self.has_validation else self.train_index
        y_true, y_pred = self.dataset.y[idx], self.predictions[idx]
        labels = np.arange(self.dataset.n_classes)
        precision, recall, _, support = precision_recall_fscore_support(
            y_true, y_pred, labels=labels, zero_division=0
        )
        return dict(
            confusion=confusion_matrix(y_true, y_pred, labels=labels),
            precision=precision,
            recall=recall,
            support=support,
            n=len(idx),
        )


def train_on_dataset(dataset: Dataset, options: DatasetOptions) -> DatasetsRun:
    """Standardize, split, train with the page's optimizer, and compare with scikit-learn.

    The split is seeded and stratified (``Dataset.train_validation_indices``); the
    standardization is fitted on the training rows only.

    Parameters
    ----------
    dataset : Dataset
        ``X`` (N, D), ``y`` (N,) with C classes.
    options : DatasetOptions

    Returns
    -------
    DatasetsRun
        ``Z`` (N, D), ``W`` (D, C), ``b`` (C,), the loss history and the comparison.
    """
    train_index, val_index = dataset.train_validation_indices(
        options.validation_share, random_state=SPLIT_SEED
    )
    scaler = FeatureMap("raw", standardize=True).fit(dataset.X[train_index])
    Z = scaler.transform(dataset.X)
    Z_train, y_train = Z[train_index], dataset.y[train_index]
    val = dict(X_val=Z[val_index], y_val=dataset.y[val_index]) if len(val_index) else {}

    lbfgs = _lbfgs(options.reg)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", DivergenceWarning)
        if options.optimizer == "lbfgs":
            model = lbfgs.fit(Z_train, y_train, **val)
            seconds = time.perf_counter() - start
            reference, reference_seconds = model, seconds
        else:
            model = SoftmaxClassifier(
                optimizer="sgd",
                batch_size=None,
                learning_rate=options.learning_rate,
                reg=options.reg,
                max_iter=options.steps,
                random_state=INIT_SEED,
            ).fit(Z_train, y_train, **val)
            seconds = time.perf_counter() - start
            start = time.perf_counter()
            reference = lbfgs.fit(Z_train, y_train)
            reference_seconds = time.perf_counter() - start
    comparison = compare_with_sklearn(
        reference,
        reference_seconds,
        Z,
        dataset.y,
        train_index,
        val_index,
        options.reg,
        dataset.n_classes,
    )
    return DatasetsRun(
        dataset=dataset,
        options=options,
        train_index=train_index,
        val_index=val_index,
        scaler=scaler,
        Z=Z,
        model=model,
        train_seconds=seconds,
        comparison=comparison,
    )


def _lbfgs(reg: float) -> SoftmaxClassifier:
    # record every iteration: the L-BFGS history is short, and every point is a real step
    return SoftmaxClassifier(
        optimizer="lbfgs",
        reg=reg,
        max_iter=MAX_LBFGS_ITER,
        record_every=1,
        random_state=INIT_SEED,
    )


def sklearn_C(reg: float, n_train: int, n_classes: int) -> float:
    """scikit-learn's C for our objective ``mean CE + reg·‖W‖²`` (see SklearnComparison):
    ``1 / (N·reg)`` for two classes, ``1 / (2·N·reg)`` for more."""
    return 1.0 / ((1 if n_classes == 2 else 2) * n_train * reg)


def objective_value(
    W: np.ndarray, b: np.ndarray, X: np.ndarray, y: np.ndarray, n_classes: int, reg: float
) -> float:
    """The engine's training objective ``mean CE + reg·‖W‖²``.

    Parameters
    ----------
    W : array_like, shape (D, C)
    b : array_like, shape (C,)
    X : array_like, shape (N, D)
    y : array_like of int, shape (N,)
    n_classes : int
        C.
    reg : float

    Returns
    -------
    float
    """
    theta = np.vstack([np.asarray(W, float), np.asarray(b, float)[None, :]])
    loss, _ = SoftmaxObjective(np.asarray(X, float), y, n_classes, reg)(theta)
    return float(loss)


def sklearn_softmax_weights(
    lr: LogisticRegression, n_classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """A fitted ``LogisticRegression`` as softmax weights.

    Parameters
    ----------
    lr : LogisticRegression
        Fitted on D features and ``n_classes`` classes.
    n_classes : int
        C.

    Returns
    -------
    W : ndarray, shape (D, C)
    b : ndarray, shape (C,)
        With two classes the symmetric pair ``(-w/2, w/2)``, the softmax optimum's form.
    """
    if n_classes == 2:
        w, c = lr.coef_[0], lr.intercept_[0]
        return np.column_stack([-w / 2, w / 2]), np.array([-c / 2, c / 2])
    return lr.coef_.T.copy(), lr.intercept_.copy()


def compare_with_sklearn(
    ours: SoftmaxClassifier,
    ours_seconds: float,
    Z: np.ndarray,
    y: np.ndarray,
    train_index: np.ndarray,
    val_index: np.ndarray,
    reg: float,
    n_classes: int,
) -> SklearnComparison:
    """Fit ``LogisticRegression(C=sklearn_C(...), solver="lbfgs")`` on the same standardized
    training rows and put it beside our L-BFGS model ``ours``.

    Parameters
    ----------
    ours : SoftmaxClassifier
        Fitted with L-BFGS on ``Z[train_index]``.
    ours_seconds : float
        Its training time.
    Z : ndarray, shape (N, D)
        Every sample, standardized.
    y : ndarray of int, shape (N,)
    train_index, val_index : ndarray of int
        Rows of the training and validation sets (``val_index`` may be empty).
    reg : float
    n_classes : int

    Returns
    -------
    SklearnComparison
    """
    Z_train, y_train = Z[train_index], y[train_index]
    C = sklearn_C(reg, len(train_index), n_classes)
    lr = LogisticRegression(C=C, solver="lbfgs", max_iter=MAX_LBFGS_ITER, tol=1e-10)
    start = time.perf_counter()
    # one BLAS thread: on a 2-core box numpy's and scipy's pools otherwise fight
    with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        lr.fit(Z_train, y_train)
    theirs_seconds = time.perf_counter() - start
    W_t, b_t = sklearn_softmax_weights(lr, n_classes)
    W_o, b_o = ours.coef_.T, ours.intercept_
    pred_o = np.argmax(Z @ W_o + b_o, axis=1)
    pred_t = lr.predict(Z)
    has_val = len(val_index) > 0

    def acc(pred, idx):
        return float(accuracy_score(y[idx], pred[idx])) if len(idx) else math.nan

    return SklearnComparison(
        C=float(C),
        binary=n_classes == 2,
        ours_objective=objective_value(W_o, b_o, Z_train, y_train, n_classes, reg),
        theirs_objective=objective_value(W_t, b_t, Z_train, y_train, n_classes, reg),
        ours_train_accuracy=acc(pred_o, train_index),
        theirs_train_accuracy=acc(pred_t, train_index),
        ours_val_accuracy=acc(pred_o, val_index) if has_val else math.nan,
        theirs_val_accuracy=acc(pred_t, val_index) if has_val else math.nan,
        prediction_agreement=float(np.mean(pred_o == pred_t)),
        max_weight_difference=float(np.max(np.abs(W_o - W_t))),
        weight_scale=float(np.max(np.abs(W_t))),
        ours_iterations=int(ours.n_iter_),
        theirs_iterations=int(np.max(lr.n_iter_)),
        ours_seconds=float(ours_seconds),
        theirs_seconds=float(theirs_seconds),
    )


# ------------------------------------------------------------------------------ the plane


@dataclass(frozen=True, eq=False)
class PlaneView:
    """Decision regions on a plane, with the samples projected onto it.

    ``raw_units``: the plane lives in the dataset's own units (the PCA plane of an image's
    raw pixels) and the model's standardization is applied to its points; otherwise it
    lives in the standardized space the model sees.
    """

    plane: object  # softmax_engine.Plane
    raw_units: bool
    xs: np.ndarray
    ys: np.ndarray
    proba: np.ndarray  # (G, G, C), rows = v
    labels: np.ndarray  # (G, G) predicted class at each grid point
    UV_train: np.ndarray
    UV_val: np.ndarray
    u_range: tuple
    v_range: tuple
    n_outside: int  # samples beyond the axis ranges (far outliers are left out of view)

    @property
    def description(self) -> str:
        """Plain sentences saying what the plane is and in which units."""
        if self.raw_units:
            units = (
                "For images the principal components are taken of the raw pixel values, "
                "which share one unit; standardized, a rarely inked border pixel would count "
                "as much as the centre and dominate them. The model still sees the "
                "standardized pixels of every point of the plane."
            )
        elif self.plane.axis_labels[0].startswith("PC1"):
            units = (
                "Features are standardized first (mean 0, standard deviation 1 on the "
                "training set), so each principal component mixes them on an equal footing."
            )
        else:
            units = (
                "Features are standardized (mean 0, standard deviation 1 on the training "
                "set), so the axes are in standard deviations from the mean."
            )
        out = f"{self.plane.description} {units}"
        if self.n_outside:
            s = "s lie" if self.n_outside > 1 else " lies"
            out += f" {self.n_outside} far-out sample{s} beyond the axes and are not drawn."
        return out


def plane_view(
    run: DatasetsRun,
    kind: str = "pca",
    i: int = 0,
    j: int = 1,
    resolution: int = REGION_RESOLUTION,
) -> PlaneView:
    """The model's class probabilities on a grid over a plane through the data, and the
    projections of the training and validation samples.

    Parameters
    ----------
    run : DatasetsRun
    kind : {"pca", "features"}
        The PCA plane through the mean (of the standardized features; of the raw pixels
        for an image dataset, see :class:`PlaneView`), or the plane of features ``i``
        (horizontal) and ``j`` (vertical) with the others held at their mean.
    i, j : int
    resolution : int
        G, grid points per axis.

    Returns
    -------
    PlaneView
        ``xs``, ``ys`` (G,), ``proba`` (G, G, C), ``labels`` (G, G); ``UV_train`` and
        ``UV_val`` (n, 2).
    """
    names = run.dataset.feature_names
    raw = kind == "pca" and image_shape(names) is not None
    if kind == "pca":
        plane = pca_plane(run.dataset.X if raw else run.Z, names)
    elif kind == "features":
        plane = feature_plane(run.Z, int(i), int(j), names)
    else:
        raise ValueError(f"kind must be 'pca' or 'features', got {kind!r}")
    UV = project(plane, run.dataset.X if raw else run.Z)
    u_range, v_range = _view_bounds(UV)
    regions = plane_regions(
        run.W,
        run.b,
        plane,
        u_range,
        v_range,
        resolution=resolution,
        feature_map=run.scaler if raw else None,
    )
    outside = (
        (UV[:, 0] < u_range[0])
        | (UV[:, 0] > u_range[1])
        | (UV[:, 1] < v_range[0])
        | (UV[:, 1] > v_range[1])
    )
    return PlaneView(
        plane=plane,
        raw_units=raw,
        xs=regions.xs,
        ys=regions.ys,
        proba=regions.proba,
        labels=regions.labels,
        UV_train=UV[run.train_index],
        UV_val=UV[run.val_index],
        u_range=u_range,
        v_range=v_range,
        n_outside=int(outside.sum()),
    )


def plane_inputs(run: DatasetsRun, view: PlaneView, UV: np.ndarray) -> np.ndarray:
    """The model's inputs at points of the plane.

    Parameters
    ----------
    run : DatasetsRun
    view : PlaneView
    UV : array_like, shape (M, 2)
        Plane coordinates.

    Returns
    -------
    ndarray, shape (M, D)
        Standardized features, as the model sees them.
    """
    X = lift(view.plane, UV)
    return run.scaler.transform(X) if view.raw_units else X


def _view_bounds(UV: np.ndarray, trim: float = 0.5, padding: float = 0.1):
    """Axis ranges around the bulk of the points: the central (100 - 2·trim) % on each
    axis, padded; only samples far beyond it fall outside the view."""
    lo = np.percentile(UV, trim, axis=0)
    hi = np.percentile(UV, 100 - trim, axis=0)
    bulk = UV[np.all((UV >= lo) & (UV <= hi), axis=1)]
    return grid_bounds(bulk if len(bulk) else UV, padding=padding)
