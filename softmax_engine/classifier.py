"""``SoftmaxClassifier``: multinomial logistic regression as a scikit-learn estimator.

The model is the one in ``losses.py``: scores ``s = x W + b`` with W (D, C) and b (C,),
and the training objective

    loss(W, b) = mean_i -log softmax(x_i W + b)_{y_i} + reg * ||W||^2     (b not regularized)

which is scikit-learn's ``LogisticRegression(C=1 / (2 * N * reg))`` divided by N.

Training works on one parameter array ``theta`` of shape (D + 1, C) (W with b as its
last row) so that the fast ``SoftmaxObjective`` and the update rules of ``optim.py``
can run on it without copies. One *step* (one *iteration*, counted by ``n_iter_``) is
one parameter update: one gradient step on the whole training set (``batch_size=None``)
or on one mini-batch, or one L-BFGS iteration. Step ``k`` in the history is the state
after ``k`` updates, counted from the first ``fit`` (continued training keeps counting).

For a live dashboard the estimator records a bounded history (``TrainingHistory``):
losses, accuracies, gradient norms and snapshots of W, b and their gradients, can
continue training (``warm_start=True`` or ``partial_fit``), and never keeps non-finite
weights: when the loss or the weights blow up it stops at the last finite state, sets
``diverged_`` and warns with a ``DivergenceWarning``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d, validate_data

from ._validation import check_bool, check_choice, check_int, check_random_state, check_real
from .history import TrainingHistory, history_from_recorder
from .losses import log_softmax, softmax
from .objective import BatchedObjective
from .optim import make_optimizer
from .trainer import MiniBatches, Recorder, Schedule, initial_theta, train, train_lbfgs

__all__ = ["DivergenceWarning", "SoftmaxClassifier", "TrainingHistory"]

OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "adam", "lbfgs")

#: ``record_every="auto"`` keeps at most this many recorded steps plus step 0.
MAX_AUTO_RECORDS = 250

class DivergenceWarning(UserWarning):
    """Training stopped because the loss or the weights became non-finite.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> X, y = np.array([[0.0], [1e3], [2e3], [3e3]]), np.array([0, 0, 1, 1])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     clf = SoftmaxClassifier(learning_rate=10.0, reg=10.0, max_iter=200).fit(X, y)
    >>> clf.diverged_, caught[0].category.__name__
    (True, 'DivergenceWarning')
    """


# ----------------------------------------------------------------------------- estimator


class SoftmaxClassifier(ClassifierMixin, BaseEstimator):
    """Softmax (multinomial logistic) regression trained by gradient methods or L-BFGS.

    Minimizes ``mean cross-entropy + reg * ||W||^2`` (the bias is not regularized),
    which equals scikit-learn's ``LogisticRegression(C=1 / (2 * N * reg))`` objective
    divided by the number of samples N.

    Parameters
    ----------
    learning_rate : float, default 0.1
        Step size, finite and > 0. Ignored by ``optimizer="lbfgs"``.
    reg : float, default 1e-3
        L2 strength, finite and >= 0.
    max_iter : int, default 200
        Update steps per ``fit`` / ``partial_fit`` call (>= 0): gradient steps for the
        first-order optimizers, iterations (an upper bound) for L-BFGS.
    batch_size : int or None, default None
        ``None`` (or >= N): full-batch steps. Otherwise each step uses the next
        ``batch_size`` samples of a permutation of the training set, reshuffled every
        epoch with the seeded generator; the last batch of an epoch may be smaller.
        Ignored by ``optimizer="lbfgs"`` (always full batch).
    optimizer : {"sgd", "momentum", "nesterov", "adam", "lbfgs"}, default "sgd"
        ``"sgd"`` is plain gradient descent; ``"lbfgs"`` is a full-batch quasi-Newton
        solve with ``scipy.optimize.minimize(method="L-BFGS-B")`` that runs to the
        optimum (see ``tol``).
    momentum : float in [0, 1), default 0.9
        Momentum of "momentum" and "nesterov"; Adam's ``beta1``. Unused by "sgd" and
        "lbfgs".
    tol : float, default 0.0
        Early stopping on the gradient, >= 0. For the first-order optimizers training
        stops once the Euclidean norm of the full gradient (dW and db) is <= ``tol``
        (with mini-batches this is checked on recorded steps only); 0 disables it, so
        a call makes exactly ``max_iter`` steps, which a live view wants. For
        ``"lbfgs"``, ``tol`` > 0 is scipy's ``gtol`` (largest gradient entry); 0 means
        a tight default (1e-8 in float64, 1e-5 in float32) that reaches the optimum.
    random_state : int, numpy Generator or None, default None
        Seeds the initial weights and the mini-batch shuffling
        (``np.random.default_rng(random_state)``).
    init_scale : float, default 1e-3
        Initial W is ``init_scale * standard normal``; b starts at 0. Finite, >= 0.
    record_every : "auto" or int, default "auto"
        Record every that many steps (plus step 0 and the final step). ``"auto"`` uses
        ``ceil(max_iter / 250)`` and, when continued training grows the history past
        251 records, thins it (doubling the stride) so memory stays bounded.
    dtype : numpy.float64 or numpy.float32, default numpy.float64
        Precision of the data copy, the weights and the snapshots.
    warm_start : bool, default False
        If True and the estimator is fitted on data with the same features and
        classes, ``fit`` continues from ``coef_`` / ``intercept_`` and the optimizer's
        state, and appends to ``history_`` with continuing step numbers.

    Attributes
    ----------
    classes_ : ndarray, shape (C,)
        Class labels (any sortable labels: ints, strings).
    coef_ : ndarray, shape (C, D)
        ``W.T``.
    intercept_ : ndarray, shape (C,)
        ``b``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X had string column names (a DataFrame).
    n_iter_ : int
        Steps made by the last ``fit`` / ``partial_fit`` call.
    history_ : TrainingHistory
    diverged_ : bool
        Whether the last call stopped because the loss or weights became non-finite.

    Examples
    --------
    >>> from sklearn.preprocessing import StandardScaler
    >>> from softmax_engine import load_dataset
    >>> iris = load_dataset("iris")
    >>> X = StandardScaler().fit_transform(iris.X)
    >>> clf = SoftmaxClassifier(learning_rate=0.5, max_iter=100, random_state=0).fit(X, iris.y)
    >>> clf.coef_.shape, clf.intercept_.shape, round(clf.score(X, iris.y), 3)
    ((3, 4), (3,), 0.953)
    >>> clf.history_
    TrainingHistory(101 recorded steps from 0 to 100, D=4, C=3, loss 1.099 -> 0.1939)
    >>> exact = SoftmaxClassifier(optimizer="lbfgs", reg=1e-3).fit(X, iris.y)
    >>> round(exact.score(X, iris.y), 3)
    0.973
    """

    def __init__(
        self,
        *,
        learning_rate: float = 0.1,
        reg: float = 1e-3,
        max_iter: int = 200,
        batch_size: int | None = None,
        optimizer: str = "sgd",
        momentum: float = 0.9,
        tol: float = 0.0,
        random_state=None,
        init_scale: float = 1e-3,
        record_every: int | str = "auto",
        dtype=np.float64,
        warm_start: bool = False,
    ):
        self.learning_rate = learning_rate
        self.reg = reg
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.momentum = momentum
        self.tol = tol
        self.random_state = random_state
        self.init_scale = init_scale
        self.record_every = record_every
        self.dtype = dtype
        self.warm_start = warm_start

    # ------------------------------------------------------------------ properties

    @property
    def W_(self):
        """Weights W, shape (D, C): a view of ``coef_``."""
        check_is_fitted(self)
        return self.coef_.T

    @property
    def b_(self):
        """Biases b, shape (C,): ``intercept_``."""
        check_is_fitted(self)
        return self.intercept_

    # ------------------------------------------------------------------ training

    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        X_val: ArrayLike | None = None,
        y_val: ArrayLike | None = None,
    ) -> SoftmaxClassifier:
        """Train on (X, y), from scratch or, with ``warm_start``, from the current state.

        Parameters
        ----------
        X : array_like, shape (N, D)
        y : array_like, shape (N,)
            Labels; at least 2 distinct ones.
        X_val : array_like, shape (M, D), optional
        y_val : array_like, shape (M,), optional
            Validation set for ``history_.val_loss`` / ``val_accuracy``; its labels
            must be among those of y.

        Returns
        -------
        self
        """
        params = self._checked_params()
        X, y = self._validate_Xy(X, y, params["dtype"], reset=True)
        classes, y_index = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(
                "SoftmaxClassifier needs samples of at least 2 classes; "
                f"got 1 class ({classes[0]!r})."
            )
        continuing = (
            self.warm_start
            and hasattr(self, "coef_")
            and self.coef_.shape == (len(classes), X.shape[1])
            and np.array_equal(self.classes_, classes)
        )
        return self._train(X, y_index, classes, params, continuing, X_val, y_val)

    def partial_fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        classes: ArrayLike | None = None,
        *,
        X_val: ArrayLike | None = None,
        y_val: ArrayLike | None = None,
    ) -> SoftmaxClassifier:
        """Make ``max_iter`` more steps on (X, y), continuing the current state.

        The first call initializes the model like ``fit``. This is what a "Play"
        button calls repeatedly; step numbers and the history continue across calls.

        Parameters
        ----------
        X : array_like, shape (N, D)
        y : array_like, shape (N,)
        classes : array_like, shape (C,), optional
            All labels, if y of the first call does not contain every class. Later
            calls may omit it; if given it must equal ``classes_``.
        X_val, y_val : optional
            Validation set, as in ``fit``.

        Returns
        -------
        self
        """
        params = self._checked_params()
        first = not hasattr(self, "coef_")
        X, y = self._validate_Xy(X, y, params["dtype"], reset=first)
        if first:
            all_labels = np.unique(y if classes is None else column_or_1d(classes))
            if len(all_labels) < 2:
                raise ValueError(
                    "SoftmaxClassifier needs at least 2 classes; got 1 class "
                    f"({all_labels[0]!r}). Pass classes= to the first partial_fit."
                )
        else:
            all_labels = self.classes_
            if classes is not None and not np.array_equal(np.unique(classes), all_labels):
                raise ValueError(
                    f"classes={classes!r} differs from the classes of the first call, "
                    f"{all_labels!r}."
                )
        y_index = _encode(y, all_labels, "y")
        return self._train(X, y_index, all_labels, params, not first, X_val, y_val)

    def _train(self, X, y_index, classes, params, continuing, X_val, y_val):
        """Train from scratch or continue; sets every fitted attribute at the end."""
        n_samples, n_features = X.shape
        n_classes = len(classes)
        dtype = X.dtype
        val_objective = None
        if X_val is not None or y_val is not None:
            if X_val is None or y_val is None:
                raise ValueError("pass both X_val and y_val, or neither.")
            X_val = check_array(X_val, dtype=dtype)
            if X_val.shape[1] != n_features:
                raise ValueError(f"X_val has {X_val.shape[1]} features, but X has {n_features}.")
            yv = _encode(column_or_1d(y_val), classes, "y_val")
            if len(yv) != len(X_val):
                raise ValueError(f"X_val has {len(X_val)} samples but y_val has {len(yv)}.")
            val_objective = BatchedObjective(X_val, yv, n_classes, 0.0)

        if continuing:
            theta = np.empty((1, n_classes, n_features + 1), dtype=dtype)
            theta[0, :, :n_features] = self.coef_
            theta[0, :, n_features] = self.intercept_
            previous = self.history_
            start = int(previous.step[-1])
            rng = self._rng
        else:
            previous = None
            start = 0
            rng = check_random_state(params["random_state"])
            theta = initial_theta(
                rng, n_features, n_classes, init_scale=params["init_scale"], dtype=dtype
            )
            self._optimizer = None
            self._epoch = None
            self._record_stride = None

        every = self._stride_for(params["record_every"], params["max_iter"], continuing)
        schedule = Schedule(
            start=start,
            stop=start + params["max_iter"],
            every=every,
            skip=start if continuing else -1,  # a continued call already has its first step
            tol=params["tol"],
        )
        objective = BatchedObjective(X, y_index, n_classes, params["reg"])
        recorder = Recorder(schedule, theta, val_objective, snapshots=True)
        name = params["optimizer"]

        if name == "lbfgs":
            # overflow on the way to a divergence is expected and handled: no warnings
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                final, diverged = train_lbfgs(objective, theta, schedule, recorder)
        else:
            optimizer = make_optimizer(
                name, learning_rate=params["learning_rate"], momentum=params["momentum"]
            )
            old = getattr(self, "_optimizer", None)
            if continuing and old is not None and old.name == name:
                optimizer.load_state(old)  # new hyperparameters, same velocity / moments
            batch = params["batch_size"]
            batches = None
            if batch is not None and batch < n_samples:
                batches = MiniBatches(
                    X, y_index, n_classes, params["reg"], batch, rng, state=self._epoch
                )
            result = train(objective, theta, optimizer, schedule, recorder, batches=batches)
            final, diverged = int(result.final_step[0]), bool(result.diverged[0])
            if batches is not None:
                self._epoch = batches.state
            if diverged:
                optimizer.reset()  # its velocity / moments led to the blow-up
            self._optimizer = optimizer

        history = history_from_recorder(recorder, final, schedule.skip, n_samples)
        if previous is not None:
            history = TrainingHistory.concat(previous, history)
        if params["record_every"] == "auto":
            history = self._thin(history)

        self.classes_ = classes
        self.coef_ = theta[0, :, :n_features].copy()
        self.intercept_ = theta[0, :, n_features].copy()
        self.n_iter_ = final - start
        self.history_ = history
        self.diverged_ = diverged
        self._rng = rng
        if diverged:
            lr = "" if name == "lbfgs" else f", learning_rate={params['learning_rate']!r}"
            warnings.warn(
                f"SoftmaxClassifier diverged (optimizer={name!r}{lr}): the step after step "
                f"{final} made the loss non-finite, so training stopped and kept the last "
                f"finite weights, those of step {final}. Try a smaller learning rate or "
                "standardized features.",
                DivergenceWarning,
                stacklevel=3,
            )
        return self

    def _stride_for(self, record_every, n_steps, continuing):
        if record_every != "auto":
            return record_every
        stride = max(1, math.ceil(n_steps / MAX_AUTO_RECORDS))
        if continuing and self._record_stride:
            # stay on the grid of the existing history: a power-of-2 multiple of its stride
            old = self._record_stride
            stride = old * 2 ** max(0, math.ceil(math.log2(stride / old)))
        self._record_stride = stride
        return stride

    def _thin(self, history):
        """Halve the records (doubling the stride) until at most 251 remain; keep the last."""
        stride = self._record_stride
        while len(history) > MAX_AUTO_RECORDS + 1:
            stride *= 2
            keep = history.step % stride == 0
            keep[-1] = True
            history = history.take(keep)
        self._record_stride = stride
        return history

    # ------------------------------------------------------------------ prediction

    def _scores(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=(np.float64, np.float32))
        return X @ self.coef_.T + self.intercept_

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """Class scores ``X W + b``.

        Parameters
        ----------
        X : array_like, shape (M, D)

        Returns
        -------
        scores : ndarray, shape (M, C), or (M,) with 2 classes
            With 2 classes, scikit-learn's convention: the log-odds ``s_1 - s_0`` of
            ``classes_[1]`` (positive means ``classes_[1]``).
        """
        scores = self._scores(X)
        if scores.shape[1] == 2:
            return scores[:, 1] - scores[:, 0]
        return scores

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Class probabilities ``softmax(X W + b)``, shape (M, C); rows sum to 1."""
        return softmax(self._scores(X), axis=1)

    def predict_log_proba(self, X: ArrayLike) -> np.ndarray:
        """Log-probabilities from log-softmax (finite even where a probability underflows)."""
        return log_softmax(self._scores(X), axis=1)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Most probable class (the first, on a tie) for each row of X, shape (M,)."""
        scores = self._scores(X)  # first: it raises NotFittedError before fit
        return self.classes_[np.argmax(scores, axis=1)]

    # ------------------------------------------------------------------ validation

    def _validate_Xy(self, X, y, dtype, *, reset):
        """``validate_data`` + ``check_classification_targets``, with a shortcut for clean input.

        scikit-learn's checks take ~0.4 ms, as long as 15 live training steps. A numpy
        float array of the right dtype with integer labels needs none of their
        conversions, so only its shapes and finiteness are checked here; anything else
        (lists, DataFrames, other dtypes, bad values) takes the full path and its messages.
        """
        if (
            type(X) is np.ndarray
            and type(y) is np.ndarray
            and X.dtype == dtype
            and X.ndim == 2
            and y.ndim == 1
            and y.dtype.kind in "iu"
            and 0 < X.shape[0] == y.shape[0]
            and X.shape[1] > 0
            and not hasattr(self, "feature_names_in_")
            and (reset or X.shape[1] == self.n_features_in_)
            and np.isfinite(X).all()
        ):
            self.n_features_in_ = X.shape[1]
            return X, y
        X, y = validate_data(self, X, y, dtype=dtype, reset=reset)
        check_classification_targets(y)
        return X, y

    def _checked_params(self):
        """Validate the hyperparameters; the messages name the value and the allowed range."""
        p = {"optimizer": check_choice(self.optimizer, "optimizer", OPTIMIZER_NAMES)}
        uses_steps = self.optimizer != "lbfgs"  # L-BFGS ignores these three
        p["learning_rate"] = p["momentum"] = None
        if uses_steps:
            p["learning_rate"] = check_real(
                self.learning_rate, "learning_rate", low=0.0, include_low=False
            )
            p["momentum"] = check_real(self.momentum, "momentum", low=0.0, high=1.0)
        p["reg"] = check_real(self.reg, "reg", low=0.0)
        p["tol"] = check_real(self.tol, "tol", low=0.0)
        p["init_scale"] = check_real(self.init_scale, "init_scale", low=0.0)
        p["max_iter"] = check_int(self.max_iter, "max_iter", low=0)
        p["batch_size"] = (
            None
            if self.batch_size is None or not uses_steps
            else check_int(self.batch_size, "batch_size", low=1)
        )
        if self.record_every == "auto":
            p["record_every"] = "auto"
        else:
            p["record_every"] = check_int(
                self.record_every, "record_every", low=1, also=' or "auto"'
            )
        try:
            dtype = np.dtype(self.dtype)
        except TypeError:
            dtype = None
        if dtype not in (np.dtype(np.float64), np.dtype(np.float32)):
            raise ValueError(f"dtype must be numpy.float64 or numpy.float32; got {self.dtype!r}.")
        p["dtype"] = dtype
        check_bool(self.warm_start, "warm_start")
        rs = self.random_state
        if not isinstance(rs, (np.random.Generator, np.random.RandomState)):
            check_random_state(rs)  # the message names the value; the generator is made later
        p["random_state"] = rs
        return p


# ----------------------------------------------------------------------------- helpers


def _encode(y, classes, name):
    """Map labels to indices into the sorted ``classes``; unknown labels are an error."""
    y = np.asarray(y)
    index = np.clip(np.searchsorted(classes, y), 0, len(classes) - 1)
    unknown = classes[index] != y
    if np.any(unknown):
        bad = np.unique(y[unknown])[:5]
        raise ValueError(
            f"{name} contains labels not seen in training: {list(bad)!r}; "
            f"known classes: {list(classes)!r}."
        )
    return index.astype(np.intp)
