"""One Playground run: data → features → training → everything the views draw.

Pure engine glue (no streamlit, no plotly): ``train_playground(settings)`` returns a
``PlaygroundRun`` that the page caches by settings and reads for every view, so a
rerun that changes no training setting (the step scrubber, presenter mode) never
retrains. Every number a view shows comes from here, that is from the engine.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from dashboard.playground.own_data import anchor_points, anchored_split, on_pca_plane, registered
from dashboard.settings import BUNDLED_NAMES, OWN_DATA, Settings
from softmax_engine import (
    Dataset,
    FeatureMap,
    grid_bounds,
    load_dataset,
    make_dataset,
    softmax,
)
from softmax_engine.classifier import DivergenceWarning, SoftmaxClassifier

GRID_RESOLUTION = 120  # decision-region pixels per axis at a selected step
MAX_ANIMATION_FRAMES = 60
RBF_CENTERS = 40
MAX_SHARED_INPUTS = 16  # data + fitted feature maps kept for runs that differ in training only


@dataclass(frozen=True)
class Diagnostic:
    level: str  # "error" | "warning" | "info"
    message: str


@dataclass(eq=False)
class PlaygroundRun:
    """A trained Playground model and its data; treat as read-only (it is cached).

    Attributes
    ----------
    settings : Settings
    data : Dataset
        The 2-D points (the PCA plane of a bundled dataset).
    train_index, val_index : ndarray of int
        Rows of ``data`` used for training and validation.
    feature_map : FeatureMap
        Fitted on the training points.
    model : SoftmaxClassifier
        Fitted; ``model.history_`` holds the recorded steps.
    x_range, y_range : (float, float)
        Fixed axis ranges of the regions chart.
    plane_note : str or None
        What the 2-D plane is, for the bundled datasets.
    train_seconds : float
    diagnostics : list of Diagnostic
    grid_cache : dict
        Decision-region grids through the feature map, by resolution; shared with the
        other runs on the same data and features.
    """

    settings: Settings
    data: Dataset
    train_index: np.ndarray
    val_index: np.ndarray
    feature_map: FeatureMap
    model: SoftmaxClassifier
    x_range: tuple
    y_range: tuple
    plane_note: str | None
    train_seconds: float
    diagnostics: list = field(default_factory=list)
    grid_cache: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ data views

    @property
    def history(self):
        return self.model.history_

    @property
    def n_records(self):
        return len(self.model.history_.step)

    @property
    def X_train(self):
        return self.data.X[self.train_index]

    @property
    def y_train(self):
        return self.data.y[self.train_index]

    @property
    def X_val(self):
        return self.data.X[self.val_index]

    @property
    def y_val(self):
        return self.data.y[self.val_index]

    @cached_property
    def features_train(self):
        return self.feature_map.transform(self.X_train)

    @cached_property
    def features_val(self):
        if len(self.val_index) == 0:
            return np.empty((0, self.feature_map.n_features_out_))
        return self.feature_map.transform(self.X_val)

    @cached_property
    def feature_names(self):
        return tuple(self.feature_map.feature_names_out(self.data.feature_names))

    # ------------------------------------------------------------------ at a recorded step

    def weights_at(self, k):
        """``(W (D, C), b (C,), dW (D, C))`` at recorded step index ``k``."""
        h = self.model.history_
        return h.W[k], h.b[k], h.dW[k]

    def proba_at(self, k, features):
        W, b, _ = self.weights_at(k)
        return softmax(features @ W + b)

    def predictions_at(self, k):
        """Predicted class indices ``(train (N_train,), validation (N_val,))``."""
        train = np.argmax(self.proba_at(k, self.features_train), axis=1)
        val = (
            np.argmax(self.proba_at(k, self.features_val), axis=1)
            if len(self.val_index)
            else np.empty(0, dtype=int)
        )
        return train, val

    def error_signal_at(self, k):
        """The error signal ``q_ij − 1[j = y_i]`` of the classic derivation, for every
        training sample: shape (N_train, C)."""
        q = self.proba_at(k, self.features_train)
        q[np.arange(len(q)), self.y_train] -= 1.0
        return q

    def regions_at(self, k, resolution=GRID_RESOLUTION):
        """``(xs (G,), ys (G,), proba (G, G, C))`` at recorded step index ``k``; rows = y."""
        _, xs, ys, proba = self._grid_proba([k], resolution)
        return xs, ys, proba[0]

    @cached_property
    def play_frames(self):
        """``(steps (K,), W (K, D, C), b (K, C))``: at most ``MAX_ANIMATION_FRAMES``
        recorded states, first and last included, for Play (drawn in the browser)."""
        n = self.n_records
        picks = np.unique(np.linspace(0, n - 1, min(n, MAX_ANIMATION_FRAMES)).round().astype(int))
        h = self.model.history_
        return h.step[picks], h.W[picks], h.b[picks]

    def _grid_proba(self, picks, resolution):
        # The grid goes through the feature map once per run (an RBF map of 14k points
        # costs ~15 ms); each step is then one matrix product and a softmax.
        xs, ys, phi = self._grid_features(resolution)
        h = self.model.history_
        K, (D, C) = len(picks), h.W.shape[1:]
        W = np.moveaxis(h.W[picks], 0, 1).reshape(D, K * C)  # all steps in one BLAS call
        scores = (phi @ W).reshape(-1, K, C) + h.b[picks]
        proba = softmax(np.moveaxis(scores, 1, 0)).astype(np.float32)
        return picks, xs, ys, proba.reshape(K, len(ys), len(xs), C)

    def _grid_features(self, resolution):
        # Shared by every run on the same data and features (see ``TrainingInputs``):
        # a new learning rate does not push the grid through the feature map again.
        cache = self.grid_cache
        if resolution not in cache:
            xs = np.linspace(*self.x_range, resolution)
            ys = np.linspace(*self.y_range, resolution)
            gx, gy = np.meshgrid(xs, ys)  # row i is ys[i]: plotly's z layout
            points = np.column_stack([gx.ravel(), gy.ravel()])
            cache[resolution] = (xs, ys, self.feature_map.transform(points))
        return cache[resolution]


# ----------------------------------------------------------------------------- building


def playground_data(settings):
    """The 2-D dataset a Playground run trains on, and a note on what its plane is.

    Toy sets are 2-D already. A bundled set is standardized and projected on its PCA
    plane through the mean, so the Playground can draw it; the Datasets page trains on
    all features instead. The session's own data (``OWN_DATA``) is the 2-D dataset
    registered under ``settings.user_data`` (``dashboard.playground.own_data``).
    """
    if settings.dataset == OWN_DATA:
        return registered(settings.user_data)
    if settings.dataset in BUNDLED_NAMES:
        full = load_dataset(settings.dataset)
        note = (
            f"{full.name}: {full.n_samples} samples with {full.n_features} features, "
            "standardized and projected on their first two principal components (the PCA "
            "plane through the mean). The model here sees only these two coordinates."
        )
        return on_pca_plane(full), note
    data = make_dataset(
        settings.dataset,
        n_samples=settings.n_samples,
        n_classes=settings.n_classes,
        noise=settings.noise,
        random_state=settings.data_seed,
    )
    return data, None


@dataclass(eq=False)
class TrainingInputs:
    """What a run needs before training: data, split, fitted feature map, features.

    It depends only on :meth:`Settings.data_key`, so every run that differs only in a
    training setting (learning rate, regularization, optimizer, steps, ...) shares one:
    the dataset is generated, the feature map fitted and the decision-region grid mapped
    once, not on every slider move. Treat as read-only.
    """

    data: Dataset
    plane_note: str | None
    train_index: np.ndarray
    val_index: np.ndarray
    feature_map: FeatureMap
    Phi_train: np.ndarray
    Phi_val: np.ndarray | None
    x_range: tuple
    y_range: tuple
    # resolution -> (xs, ys, grid features); filled lazily by PlaygroundRun
    grid_cache: dict = field(default_factory=dict)


def _build_inputs(settings: Settings) -> TrainingInputs:
    data, plane_note = playground_data(settings)
    # Drawn data: the feature map, the axes and each point's split stay those of the data
    # the drawing started from, so an edit changes the training set and nothing else.
    anchor = anchor_points(settings.user_data) if settings.dataset == OWN_DATA else None
    if anchor is None:
        train_index, val_index = data.train_validation_indices(
            settings.validation_share, random_state=settings.data_seed
        )
    else:
        train_index, val_index = anchored_split(data, anchor)
    feature_map = FeatureMap(
        settings.features,
        degree=settings.degree,
        n_centers=RBF_CENTERS,
        gamma=settings.rbf_gamma,
        standardize=settings.standardize,
        random_state=settings.data_seed,
    )
    if anchor is None:
        Phi_train = feature_map.fit_transform(data.X[train_index])
        x_range, y_range = grid_bounds(data.X, padding=0.1)
    else:
        feature_map.fit(anchor[anchor[:, 2] == 0, :2])  # the starting data's training points
        Phi_train = feature_map.transform(data.X[train_index])
        x_range, y_range = grid_bounds(np.vstack([anchor[:, :2], data.X]), padding=0.1)
    Phi_val = feature_map.transform(data.X[val_index]) if len(val_index) else None
    return TrainingInputs(
        data, plane_note, train_index, val_index, feature_map, Phi_train, Phi_val,
        tuple(x_range), tuple(y_range),
    )  # fmt: skip


_inputs_cache: OrderedDict = OrderedDict()
_inputs_lock = threading.Lock()


def training_inputs(settings: Settings) -> TrainingInputs:
    """The shared :class:`TrainingInputs` for ``settings``, built once
    per :meth:`Settings.data_key` and kept for the last ``MAX_SHARED_INPUTS`` keys."""
    key = settings.data_key()
    with _inputs_lock:
        if key in _inputs_cache:
            _inputs_cache.move_to_end(key)
            return _inputs_cache[key]
    inputs = _build_inputs(settings)  # outside the lock: sessions build in parallel
    with _inputs_lock:
        inputs = _inputs_cache.setdefault(key, inputs)
        _inputs_cache.move_to_end(key)
        while len(_inputs_cache) > MAX_SHARED_INPUTS:
            _inputs_cache.popitem(last=False)
    return inputs


def train_playground(settings: Settings) -> PlaygroundRun:
    """Build the data and features, train, and diagnose; never raises on bad dynamics."""
    inputs = training_inputs(settings)
    data, train_index, val_index = inputs.data, inputs.train_index, inputs.val_index
    Phi_train, Phi_val = inputs.Phi_train, inputs.Phi_val
    model = SoftmaxClassifier(
        learning_rate=settings.learning_rate,
        reg=settings.reg,
        max_iter=settings.steps,
        batch_size=settings.batch_size or None,
        optimizer=settings.optimizer,
        random_state=settings.init_seed,
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)  # reported as a diagnostic
        model.fit(
            Phi_train,
            data.y[train_index],
            X_val=Phi_val,
            y_val=data.y[val_index] if Phi_val is not None else None,
        )
    seconds = time.perf_counter() - start
    run = PlaygroundRun(
        settings=settings,
        data=data,
        train_index=train_index,
        val_index=val_index,
        feature_map=inputs.feature_map,
        model=model,
        x_range=inputs.x_range,
        y_range=inputs.y_range,
        plane_note=inputs.plane_note,
        train_seconds=seconds,
        grid_cache=inputs.grid_cache,
    )
    run.diagnostics.extend(diagnose(run))
    return run


def diagnose(run):
    """Plain-language warnings about the training dynamics, with advice."""
    s, h, out = run.settings, run.history, []
    if run.model.diverged_:
        last = int(h.step[-1])
        out.append(
            Diagnostic(
                "error",
                f"Training diverged after step {last}: the loss or the weights became "
                f"non-finite. The charts show the last finite state (step {last}). "
                f"Lower the learning rate (now {s.learning_rate:g}); a tenth is a good "
                "first try.",
            )
        )
    if s.optimizer != "lbfgs" and s.reg > 0 and 2 * s.learning_rate * s.reg >= 1:
        out.append(
            Diagnostic(
                "warning",
                f"learning rate × 2·reg = {2 * s.learning_rate * s.reg:.3g} ≥ 1: the "
                "regularization step alone, W ← (1 − 2·lr·reg)·W, overshoots zero and flips "
                "the weights' sign every step. Lower the learning rate or the "
                "regularization.",
            )
        )
    loss = h.loss[np.isfinite(h.loss)]
    if len(loss) >= 5 and not run.model.diverged_ and s.optimizer != "lbfgs":
        rises = np.diff(loss) > 1e-9 * np.maximum(1.0, np.abs(loss[:-1]))
        if loss[-1] > loss.min() * 1.5 + 1e-12 or rises.mean() > 0.3:
            detail = (
                "Mini-batch noise makes the loss jitter; a smaller learning rate or a "
                "larger batch smooths it."
                if s.batch_size
                else "The learning rate is too large for this problem: each step "
                "overshoots the minimum. Try a smaller one."
            )
            out.append(
                Diagnostic(
                    "warning",
                    f"The loss rose on {rises.mean():.0%} of the recorded steps and ends at "
                    f"{loss[-1]:.4g} (lowest {loss.min():.4g}). {detail}",
                )
            )
    return out
