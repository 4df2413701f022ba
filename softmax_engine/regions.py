"""Decision regions: class probabilities of a softmax model over a 2-D grid.

For 2-D inputs the grid lies in the input plane. For higher-dimensional data it lies on a
2-D :class:`Plane` through the data (the PCA plane through the mean, or two chosen features
with the others held at their mean), and every grid point is a full D-dimensional input.

The model is just ``W`` (D, C) and ``b`` (C,) -- for a scikit-learn style estimator
``W = model.coef_.T`` and ``b = model.intercept_`` (a multinomial model, with one row of
``coef_`` per class) -- optionally behind a fitted :class:`~softmax_engine.features.FeatureMap`.

Why it is fast: with raw (or any affine) features the scores are affine in the grid
coordinates, ``s(u, v) = u·W[0] + v·W[1] + b``, so the whole (G, G, C) score array is one
broadcast sum of a (1, G, C) row term and a (G, 1, C) column term -- no (G², D) matrix of
grid points and no matmul. A plane through D-dimensional data reduces to the same form with
``W_plane = directions @ W`` (2, C) and ``b_plane = origin @ W + b``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from ._validation import check_int, check_real

if TYPE_CHECKING:
    from .features import FeatureMap

__all__ = [
    "MAX_RESOLUTION",
    "MIN_RESOLUTION",
    "DecisionRegions",
    "Plane",
    "decision_regions",
    "feature_plane",
    "grid_bounds",
    "lift",
    "pca_plane",
    "plane_regions",
    "project",
]

MIN_RESOLUTION, MAX_RESOLUTION = 10, 500
_CHUNK_POINTS = 1 << 15  # grid points per feature-map call: bounds the (chunk, D_out) buffer


@dataclass(frozen=True, eq=False)
class DecisionRegions:
    """Class probabilities of a model over a G x G grid.

    Attributes
    ----------
    xs : ndarray, shape (G,)
        Grid coordinates along the horizontal axis (x1, or u on a plane), increasing.
    ys : ndarray, shape (G,)
        Grid coordinates along the vertical axis (x2, or v on a plane), increasing.
    proba : ndarray, shape (G, G, C)
        ``proba[i, j, k]`` = P(class k) at the point ``(xs[j], ys[i])``: rows follow ``ys``
        and columns follow ``xs``, as a plotly heatmap's ``z`` with ``x=xs, y=ys`` expects.
        Sums to 1 over the last axis.
    labels : ndarray of int64, shape (G, G)
        The predicted class (argmax of the scores) at each grid point.
    confidence : ndarray, shape (G, G)
        The largest class probability at each grid point, in ``[1/C, 1]``.
    method : str
        ``"affine"`` (the broadcast path) or ``"feature_map"`` (points sent through a
        non-linear feature map), for tests and display.

    Examples
    --------
    >>> regions = decision_regions(np.eye(2), np.zeros(2), (-1, 1), (-1, 1), resolution=10)
    >>> regions.resolution, regions.n_classes
    (10, 2)
    """

    xs: np.ndarray
    ys: np.ndarray
    proba: np.ndarray
    labels: np.ndarray
    confidence: np.ndarray
    method: str

    @property
    def resolution(self) -> int:
        return int(self.xs.shape[0])

    @property
    def n_classes(self) -> int:
        return int(self.proba.shape[-1])


# ============================================================================== the grid


def decision_regions(
    W: ArrayLike,
    b: ArrayLike,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    resolution: int = 200,
    feature_map: FeatureMap | None = None,
) -> DecisionRegions:
    """Class probabilities of the softmax model ``softmax(phi(x) @ W + b)`` on a 2-D grid.

    Parameters
    ----------
    W : array_like, shape (D, C)
        Weights, ``D = 2`` without a feature map, otherwise ``feature_map.n_features_out_``.
    b : array_like, shape (C,)
        Biases.
    x_range, y_range : (float, float)
        ``(low, high)`` of the grid along x1 and x2, ``low < high`` (see :func:`grid_bounds`).
    resolution : int in [10, 500]
        G, the number of grid points along each axis.
    feature_map : fitted FeatureMap, optional
        The map ``phi`` the model was trained behind. Affine maps (raw, with or without
        standardization) are folded into W and b and use the broadcast path; others send
        the G² grid points through ``feature_map.transform`` in chunks.

    Returns
    -------
    DecisionRegions
        ``xs``, ``ys`` (G,), ``proba`` (G, G, C) with rows = y and columns = x,
        ``labels`` and ``confidence`` (G, G).

    Examples
    --------
    >>> regions = decision_regions(np.eye(2), np.zeros(2), (-1, 1), (-1, 1), resolution=10)
    >>> regions.proba.shape, regions.method
    ((10, 10, 2), 'affine')
    >>> int(regions.labels[0, -1]), int(regions.labels[-1, 0])  # x1 > x2: class 0
    (0, 1)
    """
    G = _check_resolution(resolution)
    xs = np.linspace(*_check_range("x_range", x_range), G)
    ys = np.linspace(*_check_range("y_range", y_range), G)
    if feature_map is None:
        W, b = _check_model(W, b, 2)
        return _affine_regions(W, b, xs, ys)
    _check_feature_map(feature_map, 2)
    if feature_map.is_affine:
        A, c = feature_map.affine_parameters()
        W, b = _check_model(W, b, A.shape[1])
        return _affine_regions(A @ W, c @ W + b, xs, ys)
    W, b = _check_model(W, b, feature_map.n_features_out_)
    gx, gy = np.meshgrid(xs, ys)  # (G, G) each; row i is ys[i], as in the result layout
    points = np.column_stack([gx.ravel(), gy.ravel()])
    return _mapped_regions(W, b, xs, ys, points, feature_map)


def _affine_regions(W2, b, xs, ys):
    """Scores ``x·W2[0] + y·W2[1] + b`` by broadcasting, then a stable in-place softmax.

    W2 (2, C), b (C,), xs (G,), ys (G,). The scores are built class-major, (C, G, G), from
    a (C, G, 1) and a (C, 1, G) term: no (G², 2) grid matrix and no matmul. Class-major
    because the reductions over a handful of classes then run over whole contiguous
    (G, G) planes instead of short strided rows (about 5x faster at C = 3).
    """
    scores = (W2[1][:, None, None] * ys[None, :, None] + b[:, None, None]) + (
        W2[0][:, None, None] * xs[None, None, :]
    )
    return _finish(scores, xs, ys, "affine")


def _mapped_regions(W, b, xs, ys, points, feature_map):
    """Scores of (G², 2 or D) points through a non-linear feature map, chunked."""
    G, C = xs.shape[0], W.shape[1]
    scores = np.empty((C, points.shape[0]))
    for start in range(0, points.shape[0], _CHUNK_POINTS):
        stop = start + _CHUNK_POINTS
        scores[:, start:stop] = (feature_map.transform(points[start:stop]) @ W).T
    scores += b[:, None]
    return _finish(scores.reshape(C, G, G), xs, ys, "feature_map")


def _finish(scores, xs, ys, method):
    """Softmax over the class axis of class-major ``scores`` (C, G, G), in place."""
    C = scores.shape[0]
    # Running maximum and argmax over the C planes (ties go to the lower class, as
    # np.argmax does).
    top = scores[0].copy()
    labels = np.zeros(top.shape, dtype=np.int64)
    for k in range(1, C):
        better = scores[k] > top
        np.copyto(top, scores[k], where=better)
        labels[better] = k
    # Shift by the maximum so exp cannot overflow; the largest shifted score is 0, so
    # the normalizer is >= 1 and the confidence exp(0) / normalizer needs no extra pass.
    scores -= top
    np.exp(scores, out=scores)
    total = scores.sum(axis=0)
    scores /= total
    proba = np.ascontiguousarray(np.moveaxis(scores, 0, -1))  # (G, G, C), documented layout
    return DecisionRegions(xs, ys, proba, labels, 1.0 / total, method)


def grid_bounds(
    X: ArrayLike, padding: float = 0.1
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Padded bounds of 2-D points, for fixed plot axes and the region grid.

    Parameters
    ----------
    X : array_like, shape (N, 2)
        Points (e.g. the training data, or :func:`project` of higher-D data), N >= 1.
    padding : float >= 0
        Extra margin on each side as a fraction of the data's span along that axis. An
        axis on which all points coincide gets a half-width of 1 (plus padding).

    Returns
    -------
    x_range, y_range : (float, float)
        ``(low, high)`` along each axis, ``low < high``.

    Examples
    --------
    >>> grid_bounds(np.array([[0.0, 0.0], [1.0, 2.0]]), padding=0.1)
    ((-0.1, 1.1), (-0.2, 2.2))
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] < 1:
        raise ValueError(f"X must have shape (N, 2) with N >= 1, got {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinite values")
    padding = check_real(padding, "padding", low=0)
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = hi - lo
    flat = span == 0
    lo, hi = np.where(flat, lo - 1.0, lo), np.where(flat, hi + 1.0, hi)
    span = hi - lo
    lo, hi = lo - padding * span, hi + padding * span
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


# ============================================================================== planes


@dataclass(frozen=True, eq=False)
class Plane:
    """A 2-D plane in the D-dimensional input space: ``x = origin + u·d1 + v·d2``.

    Attributes
    ----------
    origin : ndarray, shape (D,)
        The point at ``(u, v) = (0, 0)``.
    directions : ndarray, shape (2, D)
        Orthonormal rows ``d1``, ``d2``.
    axis_labels : (str, str)
        Labels for the u and v axes of a plot.
    description : str
        One or two plain sentences saying what the plane is, for the page.

    Examples
    --------
    >>> plane = Plane(np.zeros(3), [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], ("x1", "x3"), "x1-x3")
    >>> plane.n_features
    3
    """

    origin: np.ndarray
    directions: np.ndarray
    axis_labels: tuple[str, str]
    description: str

    def __post_init__(self):
        origin = np.array(self.origin, dtype=np.float64)
        directions = np.array(self.directions, dtype=np.float64)
        if origin.ndim != 1 or directions.shape != (2, origin.shape[0]):
            raise ValueError(
                f"origin must be (D,) and directions (2, D); got {origin.shape} and "
                f"{directions.shape}"
            )
        if not (np.all(np.isfinite(origin)) and np.all(np.isfinite(directions))):
            raise ValueError("origin and directions must be finite")
        if not np.allclose(directions @ directions.T, np.eye(2), atol=1e-8):
            raise ValueError("the two directions must be orthonormal")
        for a in (origin, directions):
            a.setflags(write=False)
        object.__setattr__(self, "origin", origin)
        object.__setattr__(self, "directions", directions)
        object.__setattr__(self, "axis_labels", tuple(str(s) for s in self.axis_labels))

    @property
    def n_features(self) -> int:
        return int(self.origin.shape[0])


def pca_plane(X: ArrayLike, feature_names: Sequence[str] | None = None) -> Plane:
    """The plane through the mean of X spanned by its first two principal components.

    Parameters
    ----------
    X : array_like, shape (N, D)
        Data in the model's input space (e.g. standardized features), N >= 2, D >= 2.
    feature_names : sequence of str, length D, optional
        Used to describe the components in ``description``.

    Returns
    -------
    Plane
        ``origin`` = the mean, ``directions`` = scikit-learn's ``PCA(2).components_``
        (their signs as scikit-learn fixes them), axis labels ``"PC1 (xx% of variance)"``
        and ``"PC2 (...)"``.

    Examples
    --------
    >>> from softmax_engine import load_dataset
    >>> iris = load_dataset("iris")
    >>> pca_plane(iris.X, iris.feature_names).axis_labels
    ('PC1 (92% of variance)', 'PC2 (5% of variance)')
    """
    from sklearn.decomposition import PCA

    X = _check_data(X, min_samples=2)
    names = _check_names(feature_names, X.shape[1])
    pca = PCA(n_components=2, svd_solver="full").fit(X)
    ratio = pca.explained_variance_ratio_
    labels = tuple(f"PC{k + 1} ({100 * ratio[k]:.0f}% of variance)" for k in range(2))
    parts = [
        f"PC{k + 1} ≈ " + _describe_direction(pca.components_[k], names) for k in range(2)
    ]
    description = (
        "The plane through the mean of the data spanned by its first two principal "
        f"components, which together hold {100 * ratio.sum():.0f}% of the variance "
        f"({'; '.join(parts)}). Every point of the plot is a full input: the mean plus "
        "u·PC1 + v·PC2. Data points are shown at their projections onto the plane; "
        "their distance from it is not shown."
    )
    return Plane(pca.mean_, pca.components_[:2], labels, description)


def feature_plane(
    X: ArrayLike, i: int, j: int, feature_names: Sequence[str] | None = None
) -> Plane:
    """The plane of features ``i`` and ``j``, every other feature held at its mean.

    Parameters
    ----------
    X : array_like, shape (N, D)
        Data in the model's input space, N >= 1, D >= 2.
    i, j : int
        Distinct feature indices in ``[0, D)`` for the horizontal and vertical axes.
    feature_names : sequence of str, length D, optional

    Returns
    -------
    Plane
        ``origin`` = the mean of X, ``directions`` = the unit vectors e_i and e_j, so
        ``u`` and ``v`` are offsets of features i and j from their means. Axis labels are
        the two feature names (with the offset from the mean stated in the description).

    Examples
    --------
    >>> X = np.array([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]])
    >>> plane = feature_plane(X, 0, 2, ("a", "b", "c"))
    >>> plane.axis_labels, plane.origin.tolist()
    (('a − mean', 'c − mean'), [2.0, 3.0, 4.0])
    """
    X = _check_data(X, min_samples=1)
    D = X.shape[1]
    names = _check_names(feature_names, D)
    for label, k in (("i", i), ("j", j)):
        check_int(k, label, low=0, high=D, include_high=False)
    if i == j:
        raise ValueError(f"i and j must be different features, got i = j = {i}")
    directions = np.zeros((2, D))
    directions[0, i] = directions[1, j] = 1.0
    mean = X.mean(axis=0)
    others = D - 2
    held = (
        f"the other {others} feature{'s' if others != 1 else ''} held at their mean"
        if others
        else "no other features"
    )
    description = (
        f"The plane of '{names[i]}' (horizontal) and '{names[j]}' (vertical), with {held}. "
        f"The axes show each feature's offset from its mean ({mean[i]:.3g} and "
        f"{mean[j]:.3g}); data points are shown at their values of these two features."
    )
    return Plane(mean, directions, (f"{names[i]} − mean", f"{names[j]} − mean"), description)


def project(plane: Plane, X: ArrayLike) -> np.ndarray:
    """Coordinates of points on the plane: ``(X - origin) @ directions.T``.

    Parameters
    ----------
    plane : Plane
    X : array_like, shape (N, D)

    Returns
    -------
    UV : ndarray, shape (N, 2)
        The orthogonal projections' (u, v). A point off the plane is drawn at its
        projection, where the model's prediction may differ from its own.

    Examples
    --------
    >>> X = np.array([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]])
    >>> project(feature_plane(X, 0, 2), X)
    array([[-1., -1.],
           [ 1.,  1.]])
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != plane.n_features:
        raise ValueError(f"X must have shape (N, {plane.n_features}), got {X.shape}")
    return (X - plane.origin) @ plane.directions.T


def lift(plane: Plane, UV: ArrayLike) -> np.ndarray:
    """Points of the plane as full inputs: ``origin + UV @ directions``.

    Parameters
    ----------
    plane : Plane
    UV : array_like, shape (N, 2)

    Returns
    -------
    X : ndarray, shape (N, D)

    Examples
    --------
    >>> X = np.array([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]])
    >>> lift(feature_plane(X, 0, 2), [[1.0, -1.0]])  # feature 1 stays at its mean
    array([[3., 3., 3.]])
    """
    UV = np.asarray(UV, dtype=np.float64)
    if UV.ndim != 2 or UV.shape[1] != 2:
        raise ValueError(f"UV must have shape (N, 2), got {UV.shape}")
    return plane.origin + UV @ plane.directions


def plane_regions(
    W: ArrayLike,
    b: ArrayLike,
    plane: Plane,
    u_range: tuple[float, float],
    v_range: tuple[float, float],
    resolution: int = 200,
    feature_map: FeatureMap | None = None,
) -> DecisionRegions:
    """Class probabilities of the model on a grid over a :class:`Plane`.

    Parameters
    ----------
    W : array_like, shape (D_model, C)
        Weights; ``D_model = plane.n_features`` without a feature map.
    b : array_like, shape (C,)
    plane : Plane
    u_range, v_range : (float, float)
        Grid bounds in plane coordinates (e.g. ``grid_bounds(project(plane, X))``).
    resolution : int in [10, 500]
    feature_map : fitted FeatureMap, optional
        Applied to the full D-dimensional points of the plane (e.g. a standardizing map
        fitted on the raw data when the plane lives in raw units).

    Returns
    -------
    DecisionRegions
        ``xs`` holds u and ``ys`` holds v; ``proba`` (G, G, C) with rows = v, columns = u.

    Notes
    -----
    Scores on the plane are affine in (u, v): ``s = u·(d1 @ W) + v·(d2 @ W) +
    (origin @ W + b)``, so this is :func:`decision_regions` with ``W_plane =
    directions @ W`` (2, C) and ``b_plane = origin @ W + b`` -- the same broadcast path.
    Affine feature maps fold in the same way; others transform the lifted points.

    Examples
    --------
    >>> X = np.array([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]])
    >>> plane = feature_plane(X, 0, 2)
    >>> W, b = np.array([[1.0, -1.0], [0.0, 0.0], [0.0, 0.0]]), np.array([-2.0, 2.0])  # s0 = u
    >>> regions = plane_regions(W, b, plane, (-1, 1), (-1, 1), resolution=10)
    >>> regions.labels[:, 0].tolist() == [1] * 10, regions.labels[:, -1].tolist() == [0] * 10
    (True, True)
    """
    if not isinstance(plane, Plane):
        raise ValueError(f"plane must be a Plane, got {type(plane).__name__}")
    G = _check_resolution(resolution)
    us = np.linspace(*_check_range("u_range", u_range), G)
    vs = np.linspace(*_check_range("v_range", v_range), G)
    D = plane.n_features
    if feature_map is None:
        W, b = _check_model(W, b, D)
        return _affine_regions(plane.directions @ W, plane.origin @ W + b, us, vs)
    _check_feature_map(feature_map, D)
    if feature_map.is_affine:
        A, c = feature_map.affine_parameters()
        W, b = _check_model(W, b, A.shape[1])
        # phi(origin + u d1 + v d2) = (origin @ A + c) + u (d1 @ A) + v (d2 @ A)
        return _affine_regions(
            plane.directions @ A @ W, (plane.origin @ A + c) @ W + b, us, vs
        )
    W, b = _check_model(W, b, feature_map.n_features_out_)
    gu, gv = np.meshgrid(us, vs)
    points = lift(plane, np.column_stack([gu.ravel(), gv.ravel()]))
    return _mapped_regions(W, b, us, vs, points, feature_map)


# ============================================================================== checks


def _describe_direction(direction, names, top=3):
    order = np.argsort(-np.abs(direction))[:top]
    terms = [f"{direction[k]:+.2f}·{names[k]}" for k in order]
    more = " + ..." if direction.shape[0] > top else ""
    return " ".join(terms).lstrip("+") + more


def _check_resolution(resolution):
    return check_int(resolution, "resolution", low=MIN_RESOLUTION, high=MAX_RESOLUTION)


def _check_range(name, value):
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high) of numbers, got {value!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be finite with low < high, got ({lo}, {hi})")
    return lo, hi


def _check_model(W, b, D):
    W = np.asarray(W, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if W.ndim != 2 or W.shape[0] != D or W.shape[1] < 1:
        raise ValueError(f"W must have shape ({D}, C), got {W.shape}")
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must have shape ({W.shape[1]},) to match W, got {b.shape}")
    if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
        raise ValueError("W and b must be finite")
    return W, b


def _check_feature_map(feature_map, D):
    fitted = getattr(feature_map, "is_fitted", False)
    if not fitted:
        raise ValueError("feature_map must be a fitted FeatureMap (call fit first)")
    if feature_map.n_features_in_ != D:
        raise ValueError(
            f"feature_map was fitted on {feature_map.n_features_in_} inputs, the grid "
            f"points have {D}"
        )


def _check_data(X, min_samples):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] < 2 or X.shape[0] < min_samples:
        raise ValueError(
            f"X must have shape (N, D) with N >= {min_samples} and D >= 2, got {X.shape}"
        )
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinite values")
    return X


def _check_names(names, D):
    if names is None:
        return [f"x{k + 1}" for k in range(D)]
    names = [str(n) for n in names]
    if len(names) != D:
        raise ValueError(f"feature_names must have {D} names, got {len(names)}")
    return names
