"""The hyperparameter plane the live stage draws: every (learning rate, regularization)
cell of the Playground trained at once, packed for the browser.

Pure (no streamlit, no plotly). :func:`build_plane` trains the Playground's models for
every Learning rate × Regularization slider position with the engine's batched trainer
and keeps, per cell, what the browser needs to draw that model without asking the
server: the final weights and biases, the loss curves and accuracies at recorded steps,
and whether it diverged. With the grid's features (the engine's feature map applied to
the regions grid) the browser evaluates ``softmax(Φ W + b)`` itself; a browser test
checks those probabilities against the engine's.

:func:`encode_plane` packs it as one binary file of typed arrays (a small JSON header,
then little-endian float32 / int32 / uint8 buffers, each 8-byte aligned), which the
browser fetches once per training setting and reads with zero-copy typed-array views.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import struct
import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from dashboard.charts.style import as_float32, class_colors
from dashboard.playground.compute import TrainingInputs, training_inputs
from dashboard.settings import LEARNING_RATES, REGULARIZATIONS, Settings
from softmax_engine.classifier import DivergenceWarning
from softmax_engine.sweep import regularization_path, sweep

MAGIC = b"SMXP"
FORMAT_VERSION = 1
MAX_PLANE_BYTES = 1_500_000  # the budget per training setting
MAX_GRID = 96  # regions pixels per axis, at most (fewer when D is large: see grid_size)
MIN_GRID = 40
MAX_RECORDS = 61  # recorded steps per cell curve (enough for a smooth curve at 500 px)
SERIES = ("loss", "data_loss", "train_accuracy", "val_accuracy")  # per cell, per record
# Work per plane: cells x steps x training points x (features + 1) x classes multiply-adds.
# The default plane is 2.8e9 and trains in ~0.6 s here; past 1e10 (~2 s) only the
# neighbourhood of the current values is trained (see plane_region).
WORK_BUDGET = 1.0e10
WORK_PER_SECOND = 5.0e9  # about what the batched trainer does here (benchmarks/sweep.py)
NEAR_CELLS = 9  # the neighbourhood trained at once while the whole plane trains


@dataclass(eq=False)
class LivePlane:
    """Every cell of the Learning rate × Regularization plane for one training setting.

    Arrays are indexed ``[i, j]`` for ``learning_rates[i]`` and ``regs[j]``. Cells outside
    ``trained`` were left for the server to train on release (the work budget).

    Attributes
    ----------
    learning_rates : ndarray, shape (n_lr,)
        The slider's values (one value, NaN, for L-BFGS: it has no learning rate).
    regs : ndarray, shape (n_reg,)
    trained : ndarray of bool, shape (n_lr, n_reg)
    W : ndarray of float32, shape (n_lr, n_reg, D, C)
    b : ndarray of float32, shape (n_lr, n_reg, C)
    diverged : ndarray of bool, shape (n_lr, n_reg)
    final_step : ndarray of int32, shape (n_lr, n_reg)
        The step of the kept state (the last finite one for a diverged cell).
    record_steps : ndarray of int32, shape (K,)
    curves : ndarray of float32, shape (n_lr, n_reg, K, len(SERIES))
        Total loss, data loss, train and validation accuracy at ``record_steps``; NaN
        where not recorded (after divergence, or no validation set).
    grid_x, grid_y : ndarray of float32, shapes (G_x,), (G_y,)
    grid_features : ndarray of float32, shape (G_y * G_x, D)
        The feature map of the regions grid, row-major with rows = y.
    train_features, val_features : ndarray of float32, shapes (N, D), (M, D)
    X_train, X_val : ndarray of float32, shapes (N, 2), (M, 2)
    y_train, y_val : ndarray of uint8
    meta : dict
        JSON-ready labels and ranges (class names, colours, axis titles, ranges, ...).
    seconds : float
        Training time of the plane.
    """

    learning_rates: np.ndarray
    regs: np.ndarray
    trained: np.ndarray
    W: np.ndarray
    b: np.ndarray
    diverged: np.ndarray
    final_step: np.ndarray
    record_steps: np.ndarray
    curves: np.ndarray
    grid_x: np.ndarray
    grid_y: np.ndarray
    grid_features: np.ndarray
    train_features: np.ndarray
    val_features: np.ndarray
    X_train: np.ndarray
    X_val: np.ndarray
    y_train: np.ndarray
    y_val: np.ndarray
    meta: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def shape(self) -> tuple[int, int]:
        return self.trained.shape

    def cell_index(self, learning_rate: float, reg: float) -> tuple[int, int]:
        """``(i, j)`` of the slider values nearest to ``learning_rate`` and ``reg``."""
        i = (
            0
            if math.isnan(self.learning_rates[0])
            else _nearest(self.learning_rates, learning_rate)
        )
        return i, _nearest(self.regs, reg)


def _nearest(values, value):
    return int(np.argmin(np.abs(np.asarray(values, float) - float(value))))


def grid_size(n_features: int, other_bytes: int) -> int:
    """Regions pixels per axis: as many as fit in the plane's byte budget beside the
    ``other_bytes`` of its other arrays (float32 features of each grid point)."""
    room = (MAX_PLANE_BYTES - other_bytes - 16_384) / (4 * max(n_features, 1))
    return int(np.clip(math.isqrt(max(int(room), 0)), MIN_GRID, MAX_GRID))


def plane_work(settings: Settings, n_train: int, n_features: int, n_classes: int) -> float:
    """Multiply-adds to train the whole plane for ``settings`` (the work budget's unit)."""
    n_lr = 1 if settings.optimizer == "lbfgs" else len(LEARNING_RATES)
    return n_lr * len(REGULARIZATIONS) * settings.steps * n_train * (n_features + 1) * n_classes


def neighbourhood(settings: Settings, n_cells: int) -> tuple[slice, slice]:
    """The rectangle of at most ``n_cells`` slider positions around the current values (as
    centred as the plane's edges allow), trained first when the whole plane exceeds the
    work budget."""
    n_lr, n_reg = len(LEARNING_RATES), len(REGULARIZATIONS)
    i = _nearest(LEARNING_RATES, settings.learning_rate)
    j = _nearest(REGULARIZATIONS, settings.reg)
    rows = min(max(1, math.isqrt(max(n_cells, 1))), n_lr)
    cols = min(max(1, n_cells // rows), n_reg)
    lo_i = int(np.clip(i - rows // 2, 0, n_lr - rows))
    lo_j = int(np.clip(j - cols // 2, 0, n_reg - cols))
    return slice(lo_i, lo_i + rows), slice(lo_j, lo_j + cols)


def _within(inner, outer):
    """``inner``'s slices clipped to ``outer``'s (both cover the current cell)."""
    return tuple(
        slice(max(a.start, b.start), min(a.stop, b.stop)) for a, b in zip(inner, outer, strict=True)
    )


def plane_region(settings: Settings, inputs: TrainingInputs) -> tuple[slice, slice]:
    """Which cells to train now: all of them, or the neighbourhood the budget allows."""
    n, d = inputs.Phi_train.shape
    C = len(inputs.data.class_names)
    work = plane_work(settings, n, d, C)
    n_lr = 1 if settings.optimizer == "lbfgs" else len(LEARNING_RATES)
    if work <= WORK_BUDGET:
        return slice(0, n_lr), slice(0, len(REGULARIZATIONS))
    per_cell = work / (n_lr * len(REGULARIZATIONS))
    cells = max(1, int(WORK_BUDGET // per_cell))
    if settings.optimizer == "lbfgs":
        _, regs = neighbourhood(settings, cells * cells)
        return slice(0, 1), regs
    return neighbourhood(settings, cells)


def build_plane(settings: Settings, *, near: int | None = None) -> LivePlane:
    """Train the plane for ``settings`` (its learning rate and reg only pick the
    neighbourhood when the budget cannot cover every cell).

    ``near`` trains only the ``near`` cells around the current values (within the
    budget's region): what the page shows at once while the whole plane trains."""
    inputs = training_inputs(settings)
    data = inputs.data
    C = len(data.class_names)
    Phi_train = inputs.Phi_train
    y_train = data.y[inputs.train_index]
    Phi_val = inputs.Phi_val
    y_val = data.y[inputs.val_index]
    D = Phi_train.shape[1]
    lbfgs = settings.optimizer == "lbfgs"
    lrs = np.array([np.nan]) if lbfgs else np.asarray(LEARNING_RATES, float)
    regs = np.asarray(REGULARIZATIONS, float)
    rows, cols = plane_region(settings, inputs)
    if near is not None:
        rows, cols = _within(neighbourhood(settings, near), (rows, cols))

    shape = (len(lrs), len(regs))
    stride = max(1, math.ceil(settings.steps / (MAX_RECORDS - 1)))
    common = dict(
        n_classes=C,
        X_val=Phi_val,
        y_val=y_val if Phi_val is not None else None,
        random_state=settings.init_seed,
        record_every=stride,
    )
    with warnings.catch_warnings():
        # the page reports the dynamics of the current cell (its single run's diagnostics)
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", DivergenceWarning)
        result = _train(settings, lbfgs, Phi_train, y_train, lrs[rows], regs[cols], common)
    record_steps = result.record_steps.astype(np.int32)
    W = np.zeros((*shape, D, C), np.float32)
    b = np.zeros((*shape, C), np.float32)
    diverged = np.zeros(shape, bool)
    final_step = np.zeros(shape, np.int32)
    curves = np.full((*shape, len(record_steps), len(SERIES)), np.nan, np.float32)
    trained = np.zeros(shape, bool)
    W[rows, cols] = as_float32(result.W)  # a diverged cell's last finite state may be huge
    b[rows, cols] = as_float32(result.b)
    diverged[rows, cols] = result.diverged
    final_step[rows, cols] = result.final_step
    trained[rows, cols] = True
    for k, name in enumerate(SERIES):
        curves[rows, cols, :, k] = as_float32(getattr(result, f"{name}_curve"))
    seconds = result.seconds

    others = sum(a.size * 4 for a in (W, b, curves, Phi_train, data.X)) + (
        Phi_val.size * 4 if Phi_val is not None else 0
    )
    xs, ys, phi_grid = _grid(inputs, grid_size(D, others))
    meta = dict(
        class_names=[str(c) for c in data.class_names],
        colors=class_colors(C),
        feature_labels=[str(f) for f in data.feature_names],
        x_range=[float(v) for v in inputs.x_range],
        y_range=[float(v) for v in inputs.y_range],
        optimizer=settings.optimizer,
        steps=int(settings.steps),
        series=list(SERIES),
        dataset=data.name,
    )
    return LivePlane(
        learning_rates=lrs,
        regs=regs,
        trained=trained,
        W=W,
        b=b,
        diverged=diverged,
        final_step=final_step,
        record_steps=record_steps,
        curves=curves,
        grid_x=xs.astype(np.float32),
        grid_y=ys.astype(np.float32),
        grid_features=phi_grid.astype(np.float32),
        train_features=Phi_train.astype(np.float32),
        val_features=(Phi_val if Phi_val is not None else np.empty((0, D))).astype(np.float32),
        X_train=data.X[inputs.train_index].astype(np.float32),
        X_val=data.X[inputs.val_index].astype(np.float32),
        y_train=y_train.astype(np.uint8),
        y_val=y_val.astype(np.uint8),
        meta=meta,
        seconds=seconds,
    )


def _train(settings, lbfgs, X, y, lrs, regs, common):
    # The same models the Playground's single run trains (SoftmaxClassifier's defaults:
    # momentum 0.9, init scale 1e-3, divergence = a non-finite loss).
    if lbfgs:
        return regularization_path(X, y, regs, max_iter=settings.steps, **common)
    return sweep(
        X,
        y,
        lrs,
        regs,
        steps=settings.steps,
        optimizer=settings.optimizer,
        batch_size=settings.batch_size or None,
        max_loss_ratio=None,
        **common,
    )


def _grid(inputs: TrainingInputs, resolution: int):
    cache = inputs.grid_cache
    if resolution not in cache:
        xs = np.linspace(*inputs.x_range, resolution)
        ys = np.linspace(*inputs.y_range, resolution)
        gx, gy = np.meshgrid(xs, ys)
        cache[resolution] = (
            xs,
            ys,
            inputs.feature_map.transform(np.column_stack([gx.ravel(), gy.ravel()])),
        )
    return cache[resolution]


# ----------------------------------------------------------------------------- the file

_ARRAYS = (
    "learning_rates", "regs", "trained", "W", "b", "diverged", "final_step", "record_steps",
    "curves", "grid_x", "grid_y", "grid_features", "train_features", "val_features",
    "X_train", "X_val", "y_train", "y_val",
)  # fmt: skip
_DTYPES = {np.dtype(np.float32): "f4", np.dtype(np.int32): "i4", np.dtype(np.uint8): "u1"}


def _wire(name, value):
    a = np.asarray(value)
    if a.dtype == bool:
        a = a.astype(np.uint8)
    elif a.dtype.kind == "f":
        a = a.astype(np.float32)
    elif a.dtype.kind in "iu" and a.dtype != np.uint8:
        a = a.astype(np.int32)
    return np.ascontiguousarray(a, a.dtype.newbyteorder("<"))


def encode_plane(plane: LivePlane) -> bytes:
    """The plane as one binary file: ``MAGIC``, the header's length (uint32 LE), the JSON
    header (``{"version", "meta", "arrays": {name: {"dtype", "shape", "offset"}}}``),
    then the arrays, each at an 8-byte aligned offset from the end of the header."""
    arrays, specs, offset = [], {}, 0
    for name in _ARRAYS:
        a = _wire(name, getattr(plane, name))
        offset += -offset % 8
        specs[name] = {
            "dtype": _DTYPES[a.dtype.newbyteorder("=")],
            "shape": list(a.shape),
            "offset": offset,
        }
        arrays.append((offset, a))
        offset += a.nbytes
    header = json.dumps({"version": FORMAT_VERSION, "meta": plane.meta, "arrays": specs}).encode()
    header += b" " * (-(len(MAGIC) + 4 + len(header)) % 8)
    body = bytearray(offset)
    for at, a in arrays:
        body[at : at + a.nbytes] = a.tobytes()
    return MAGIC + struct.pack("<I", len(header)) + header + bytes(body)


def decode_plane(blob: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """``(meta, {name: array})`` back from :func:`encode_plane` bytes (tests, benchmarks)."""
    if blob[:4] != MAGIC:
        raise ValueError("not a plane file")
    (n,) = struct.unpack("<I", blob[4:8])
    header = json.loads(blob[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, spec in header["arrays"].items():
        dtype = np.dtype({"f4": "<f4", "i4": "<i4", "u1": "u1"}[spec["dtype"]])
        count = int(np.prod(spec["shape"], dtype=np.int64))
        out[name] = np.frombuffer(blob, dtype, count, base + spec["offset"]).reshape(spec["shape"])
    return header["meta"], out


# ----------------------------------------------------------------------------- the stage


def f32_base64(a) -> str:
    """A small array as base64 little-endian float32, for the stage's JSON."""
    return base64.b64encode(np.ascontiguousarray(as_float32(a), "<f4").tobytes()).decode("ascii")


def live_note(plane: LivePlane, settings: Settings) -> str:
    """One line under the sliders: what moves live, and what waits for a release."""
    n_lr, n_reg = plane.shape
    trained, total = int(plane.trained.sum()), plane.trained.size
    if settings.optimizer == "lbfgs":
        what = (
            "L-BFGS chooses its own step sizes, so Learning rate does not apply: the plane "
            f"is {n_reg} regularizations"
        )
    else:
        what = f"{total} models ({n_lr} learning rates × {n_reg} regularizations)"
    if trained < total:
        rows = int(plane.trained.any(axis=1).sum())
        cols = int(plane.trained.any(axis=0).sum())
        return (
            f"Live: the {trained} models around the current values ({rows} × {cols}) of "
            f"{what}; too many steps and samples to train all {total} at once, so the rest "
            "train when you release a slider there."
        )
    return f"Live: {what}, trained together in {plane.seconds:.1f} s."


def pending_note(plane: LivePlane, settings: Settings) -> str:
    """While the whole plane trains: what is live now."""
    n = int(plane.trained.sum())
    return (
        f"Live now: the {n} models around the current values; the whole plane is "
        f"training (about {max(1, round(plane_seconds(settings)))} s) and joins without a reload."
    )


def stage_state(
    plane: LivePlane,
    plane_url: str,
    settings: Settings,
    *,
    echo: int,
    step: int,
    next_url: str | None = None,
    override: tuple[np.ndarray, np.ndarray] | None = None,
    play: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    pins: list[dict] | None = None,
    edit: dict | None = None,
) -> dict:
    """The JSON the stage's three elements receive on every rerun (small: the plane
    itself travels once, as a file).

    Parameters
    ----------
    plane, plane_url : the plane and where the browser fetches it.
    settings : the server's current settings (their cell is the sliders' position).
    echo : int
        The last release sequence number the server has applied.
    next_url : str, optional
        Where the whole plane will appear while ``plane`` is its neighbourhood: the
        browser fetches it when ready.
    step : int
        The selected step, marked on the loss curve.
    override : (W (D, C), b (C,)), optional
        The server's model at ``step`` when that is not the final step (the scrubber).
    play : (steps (K,), W (K, D, C), b (K, C)), optional
        Recorded states for Play, animated in the browser.
    pins : list of dict, optional
        Pinned runs' loss curves (``dashboard.playground.pins.pins_for_stage``), drawn
        faint on the loss chart.
    edit : dict, optional
        Draw mode, ``{"on": bool, "class_name": str}``: the regions chart sends clicks.
    """
    i, j = plane.cell_index(settings.learning_rate, settings.reg)
    state = dict(
        plane_url=plane_url,
        next_url=next_url,
        lr_index=_nearest(LEARNING_RATES, settings.learning_rate),  # slider positions
        reg_index=_nearest(REGULARIZATIONS, settings.reg),
        cell=[i, j],  # the server's cell in the plane
        echo=int(echo),
        lr_values=list(LEARNING_RATES),
        reg_values=list(REGULARIZATIONS),
        lr_disabled=settings.optimizer == "lbfgs",
        presenter=bool(settings.presenter),
        step=int(step),
        note=live_note(plane, settings) if next_url is None else None,
        pending=pending_note(plane, settings) if next_url else None,
        override=None,
        play=None,
        pins=list(pins or []),
        edit=dict(edit) if edit else {"on": False},
    )
    if override is not None:
        W, b = override
        state["override"] = dict(step=int(step), W=f32_base64(W), b=f32_base64(b))
    if play is not None:
        steps, W, b = play
        state["play"] = dict(steps=[int(s) for s in steps], W=f32_base64(W), b=f32_base64(b))
    return state


def plane_seconds(settings: Settings) -> float:
    """A rough forecast of the plane's training time here (for the page's note)."""
    inputs = training_inputs(settings)
    n, d = inputs.Phi_train.shape
    work = plane_work(settings, n, d, len(inputs.data.class_names))
    return min(work, WORK_BUDGET) / WORK_PER_SECOND


def plane_key(settings: Settings) -> tuple:
    """What a plane depends on: the data and features, the training settings other than
    learning rate and regularization, and which cells the work budget lets it train."""
    rows, cols = plane_region(settings, training_inputs(settings))
    return (
        settings.data_key(),
        settings.optimizer,
        settings.steps,
        settings.batch_size,
        settings.init_seed,
        (rows.start, rows.stop, cols.start, cols.stop),
    )


def plane_file_name(key: tuple) -> str:
    """The whole plane's file name, known before it is trained (the browser waits for
    it): a digest of its key. Training is deterministic, so one key, one content."""
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32] + ".bin"
