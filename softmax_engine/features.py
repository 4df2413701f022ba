"""Feature maps for the playground: raw inputs, polynomial features, Gaussian (RBF) features.

A softmax classifier draws straight boundaries in whatever space it is given. Mapping the
2-D inputs ``(x1, x2)`` to more features lets those straight boundaries become curves back
in the plane: ``x1·x2`` solves XOR, ``x1² + x2²`` separates circles, and RBF bumps can
follow a spiral. :class:`FeatureMap` is the one small interface for all three::

    fm = FeatureMap("poly", degree=3)      # standardize=True by default
    Z_train = fm.fit_transform(X_train)    # (N, D) -> (N, D_out)
    Z_test = fm.transform(X_test)
    fm.feature_names_out()                 # ('x1', 'x2', 'x1²', 'x1·x2', 'x2²', ...)

The pieces are scikit-learn's (``StandardScaler``, ``PolynomialFeatures``, ``rbf_kernel``);
this module only chooses and names them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ._validation import check_bool, check_int, check_real

__all__ = ["FEATURE_KINDS", "FeatureMap"]

FEATURE_KINDS = ("raw", "poly", "rbf")
MIN_DEGREE, MAX_DEGREE = 1, 5
MAX_CENTERS = 500

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


class FeatureMap:
    """A feature map ``(N, D) -> (N, D_out)`` fitted on training data.

    Parameters
    ----------
    kind : {"raw", "poly", "rbf"}
        ``"raw"``: the inputs themselves (``D_out = D``).
        ``"poly"``: all monomials of the inputs up to ``degree`` without the constant
        (scikit-learn's ``PolynomialFeatures(degree, include_bias=False)``).
        ``"rbf"``: Gaussian bumps ``exp(-gamma * ||x - c_k||²)`` around ``n_centers``
        centres ``c_k`` drawn (seeded, without replacement) from the training points;
        ``D_out = min(n_centers, N_train)``.
    degree : int in [1, 5]
        Polynomial degree (``kind="poly"`` only).
    n_centers : int in [1, 500]
        Number of RBF centres (``kind="rbf"`` only).
    gamma : float > 0
        RBF width parameter, in the units the centres live in: standardized units when
        ``standardize=True`` (so ``gamma=1`` is a bump of width ~0.7 standard deviations),
        otherwise raw input units.
    standardize : bool
        Standardize the inputs before the map (zero mean, unit variance per input, which
        keeps polynomial terms well conditioned and makes ``gamma`` scale-free) and the
        mapped features after it, so every output column has mean 0 and standard
        deviation 1 on the training data (constant columns stay 0). Gradient descent
        then sees comparable feature scales.
    random_state : int
        Seed for the choice of RBF centres.

    Attributes
    ----------
    n_features_in_ : int
        D, set by :meth:`fit`.
    n_features_out_ : int
        D_out, set by :meth:`fit`.
    centers_ : ndarray, shape (K, D)
        RBF centres in the (standardized, if ``standardize``) input space; ``kind="rbf"``.
    input_scaler_, output_scaler_ : StandardScaler or None
        The fitted scalers when ``standardize=True``.

    Examples
    --------
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
    >>> fm = FeatureMap("poly", degree=2)
    >>> fm.fit_transform(X).shape
    (3, 5)
    >>> fm.feature_names_out()
    ('x1', 'x2', 'x1²', 'x1·x2', 'x2²')
    >>> FeatureMap("rbf", n_centers=2, gamma=1.0).fit(X).transform(X[:1]).shape
    (1, 2)
    """

    def __init__(
        self,
        kind: str = "raw",
        *,
        degree: int = 2,
        n_centers: int = 30,
        gamma: float = 1.0,
        standardize: bool = True,
        random_state: int = 0,
    ):
        # Validated here rather than in fit: this is a value object chosen from UI
        # controls, and a bad setting should fail where it is made.
        if kind not in FEATURE_KINDS:
            raise ValueError(f"kind must be one of {FEATURE_KINDS}, got {kind!r}")
        degree = check_int(degree, "degree", low=MIN_DEGREE, high=MAX_DEGREE)
        n_centers = check_int(n_centers, "n_centers", low=1, high=MAX_CENTERS)
        gamma = check_real(gamma, "gamma", low=0, include_low=False)
        standardize = check_bool(standardize, "standardize")
        random_state = check_int(random_state, "random_state")
        self.kind = kind
        self.degree = int(degree)
        self.n_centers = int(n_centers)
        self.gamma = float(gamma)
        self.standardize = bool(standardize)
        self.random_state = int(random_state)

    def __repr__(self):
        extra = {
            "raw": "",
            "poly": f", degree={self.degree}",
            "rbf": f", n_centers={self.n_centers}, gamma={self.gamma:g}",
        }[self.kind]
        return f"FeatureMap({self.kind!r}{extra}, standardize={self.standardize})"

    # ------------------------------------------------------------------ properties

    @property
    def is_affine(self) -> bool:
        """True when ``transform(X) = X @ A + c`` for fixed A, c (raw, or poly of degree 1).

        Decision regions of an affine map are computed by the fast broadcast path
        (:func:`softmax_engine.regions.decision_regions`), see :meth:`affine_parameters`.
        """
        return self.kind == "raw" or (self.kind == "poly" and self.degree == 1)

    @property
    def is_fitted(self) -> bool:
        return hasattr(self, "n_features_out_")

    # ------------------------------------------------------------------ fit / transform

    def fit(self, X: ArrayLike) -> FeatureMap:
        """Fit the scalers and, for RBF, choose the centres.

        Parameters
        ----------
        X : array_like, shape (N, D)
            Training inputs, finite, N >= 1.

        Returns
        -------
        self
        """
        from sklearn.preprocessing import PolynomialFeatures, StandardScaler

        X = _check_X(X)
        self.n_features_in_ = X.shape[1]
        self.input_scaler_ = StandardScaler().fit(X) if self.standardize else None
        Z = self.input_scaler_.transform(X) if self.standardize else X
        self.poly_ = None
        self.centers_ = None
        if self.kind == "poly":
            self.poly_ = PolynomialFeatures(self.degree, include_bias=False).fit(Z)
        elif self.kind == "rbf":
            rng = np.random.default_rng(self.random_state)
            k = min(self.n_centers, Z.shape[0])
            self.centers_ = Z[np.sort(rng.choice(Z.shape[0], size=k, replace=False))].copy()
        F = self._map(Z)
        self.output_scaler_ = StandardScaler().fit(F) if self.standardize else None
        self.n_features_out_ = F.shape[1]
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Map inputs to features.

        Parameters
        ----------
        X : array_like, shape (M, D)

        Returns
        -------
        F : ndarray, shape (M, D_out), float64
        """
        if not self.is_fitted:
            raise RuntimeError("this FeatureMap is not fitted yet: call fit(X_train) first")
        X = _check_X(X, allow_empty=True)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but the map was fitted on "
                f"{self.n_features_in_}"
            )
        if X.shape[0] == 0:  # scikit-learn's transformers refuse empty input
            return np.zeros((0, self.n_features_out_))
        Z = self.input_scaler_.transform(X) if self.standardize else X
        F = self._map(Z)
        return self.output_scaler_.transform(F) if self.standardize else F

    def fit_transform(self, X: ArrayLike) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``; shapes (N, D) -> (N, D_out)."""
        return self.fit(X).transform(X)

    def _map(self, Z):
        if self.kind == "raw":
            return np.array(Z, dtype=np.float64, copy=True)
        if self.kind == "poly":
            return self.poly_.transform(Z)
        from sklearn.metrics.pairwise import rbf_kernel

        return rbf_kernel(Z, self.centers_, gamma=self.gamma)

    def affine_parameters(self) -> tuple[np.ndarray, np.ndarray]:
        """``A`` (D, D_out) and ``c`` (D_out,) with ``transform(X) == X @ A + c``.

        Only for affine maps (:attr:`is_affine`). Read off the map itself, ``c`` at 0 and
        the rows of ``A`` at the unit vectors, so it stays right whatever the scalers do.

        Returns
        -------
        A : ndarray, shape (D, D_out)
        c : ndarray, shape (D_out,)

        Examples
        --------
        >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
        >>> fm = FeatureMap("raw").fit(X)
        >>> A, c = fm.affine_parameters()
        >>> bool(np.allclose(X @ A + c, fm.transform(X)))
        True
        """
        if not self.is_affine:
            raise ValueError(f"{self!r} is not affine in its inputs")
        if not self.is_fitted:
            raise RuntimeError("this FeatureMap is not fitted yet: call fit(X_train) first")
        D = self.n_features_in_
        out = self.transform(np.vstack([np.zeros((1, D)), np.eye(D)]))
        c = out[0]
        return out[1:] - c, c

    # ------------------------------------------------------------------ names

    def feature_names_out(self, input_names: Sequence[str] | None = None) -> tuple[str, ...]:
        """Names of the output features.

        Parameters
        ----------
        input_names : sequence of str, length D, optional
            Defaults to ``("x1", ..., "xD")``.

        Returns
        -------
        tuple of str, length D_out
            raw: the input names; poly: products such as ``"x1²"``, ``"x1·x2"``,
            ``"x1²·x2"`` (scikit-learn's order); rbf: ``"rbf1"``, ..., ``"rbfK"``.
        """
        if not self.is_fitted:
            raise RuntimeError("this FeatureMap is not fitted yet: call fit(X_train) first")
        D = self.n_features_in_
        if input_names is None:
            input_names = [f"x{j + 1}" for j in range(D)]
        input_names = [str(n) for n in input_names]
        if len(input_names) != D:
            raise ValueError(f"expected {D} input names, got {len(input_names)}")
        if self.kind == "raw":
            return tuple(input_names)
        if self.kind == "rbf":
            return tuple(f"rbf{k + 1}" for k in range(self.n_features_out_))
        names = []
        for powers in self.poly_.powers_:  # (D_out, D) exponents, sklearn's own order
            factors = [
                input_names[j] + (str(p).translate(_SUPERSCRIPTS) if p > 1 else "")
                for j, p in enumerate(powers)
                if p > 0
            ]
            names.append("·".join(factors))
        return tuple(names)


def _check_X(X, allow_empty=False):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (N, D), got shape {X.shape}")
    if X.shape[1] < 1 or (X.shape[0] < 1 and not allow_empty):
        raise ValueError(f"X must have at least one sample and one feature, got {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinite values")
    return X
