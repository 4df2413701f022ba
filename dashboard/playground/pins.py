"""Pinned runs: keep a run, compare later runs with it (issue 14, point 3).

Pure (no streamlit): a :class:`Pin` holds what the comparison needs from a trained
:class:`~dashboard.playground.compute.PlaygroundRun` (its settings, its total-loss curve
at recorded steps, final loss, validation accuracy, steps to 95 % of its final
accuracy), every number taken from the engine's history. The page keeps at most
:data:`MAX_PINS` in the session; the stage draws their loss curves faint, labelled by
what differs from the current run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dashboard.settings import DATASET_LABELS, Settings

MAX_PINS = 5
MAX_PIN_POINTS = 100  # recorded steps per pinned curve sent to the browser
OPTIMIZER_SHORT = {
    "sgd": "GD",
    "momentum": "Momentum",
    "nesterov": "Nesterov",
    "adam": "Adam",
    "lbfgs": "L-BFGS",
}
FEATURE_SHORT = {"raw": "raw x1, x2", "poly": "polynomial", "rbf": "RBF"}


@dataclass(frozen=True, eq=False)
class Pin:
    """A pinned run, as the comparison needs it.

    Attributes
    ----------
    settings : Settings
    steps : tuple of int
        Recorded steps (at most :data:`MAX_PIN_POINTS`, first and last included).
    loss : tuple of float
        Total loss at ``steps`` (NaN where not finite).
    final_loss : float
    val_accuracy : float or None
        Final validation accuracy; None without a validation set.
    steps_to_95 : int or None
        The first recorded step whose accuracy (validation, else training) reaches 95 %
        of the final one; None when the final accuracy is not finite.
    """

    settings: Settings
    steps: tuple
    loss: tuple
    final_loss: float
    val_accuracy: float | None
    steps_to_95: int | None


def steps_to_fraction(steps, accuracy, fraction: float = 0.95) -> int | None:
    """The first of ``steps`` where ``accuracy`` reaches ``fraction`` of its last value."""
    accuracy = np.asarray(accuracy, float)
    if not len(accuracy) or not math.isfinite(accuracy[-1]):
        return None
    reached = np.flatnonzero(accuracy >= fraction * accuracy[-1])
    return int(steps[reached[0]]) if len(reached) else None


def pin_from_run(run) -> Pin:
    """A :class:`Pin` of a trained PlaygroundRun (duck-typed: settings, history, val_index)."""
    h = run.history
    n = len(h.step)
    picks = np.unique(np.linspace(0, n - 1, min(n, MAX_PIN_POINTS)).round().astype(int))
    has_val = len(run.val_index) > 0
    accuracy = h.val_accuracy if has_val else h.train_accuracy
    return Pin(
        settings=run.settings.replace(presenter=False),
        steps=tuple(int(s) for s in h.step[picks]),
        loss=tuple(float(v) for v in h.loss[picks]),
        final_loss=float(h.loss[-1]),
        val_accuracy=float(h.val_accuracy[-1]) if has_val else None,
        steps_to_95=steps_to_fraction(h.step, accuracy),
    )


def add_pin(pins: list, pin: Pin) -> list:
    """``pins`` with ``pin`` last: a pin of the same training settings is replaced, and
    beyond :data:`MAX_PINS` the oldest goes."""
    key = pin.settings.training_key()
    kept = [p for p in pins if p.settings.training_key() != key]
    return [*kept, pin][-MAX_PINS:]


def _describe(name: str, value) -> str:
    if name == "learning_rate":
        return f"lr {value:g}"
    if name == "reg":
        return f"reg {value:g}"
    if name == "optimizer":
        return OPTIMIZER_SHORT.get(value, str(value))
    if name == "steps":
        return f"{value} steps"
    if name == "batch_size":
        return "full batch" if value == 0 else f"batch {value}"
    if name == "dataset":
        return DATASET_LABELS.get(value, str(value))
    if name == "features":
        return FEATURE_SHORT.get(value, str(value))
    if name == "standardize":
        return "standardized" if value else "not standardized"
    if name == "validation_share":
        return f"validation {value:.0%}"
    if name == "rbf_gamma":
        return f"γ {value:g}"
    if name == "user_data":
        return "other data"
    words = {
        "n_classes": "{} classes",
        "n_samples": "{} samples",
        "noise": "noise {:g}",
        "data_seed": "data seed {}",
        "degree": "degree {}",
        "init_seed": "init seed {}",
    }
    return words.get(name, name + " {}").format(value)  # fmt: skip


# Fields in the order a label names them (the likeliest to differ first).
_ORDER = (
    "learning_rate", "reg", "optimizer", "steps", "batch_size", "init_seed", "features",
    "degree", "rbf_gamma", "standardize", "dataset", "user_data", "n_classes", "n_samples",
    "noise", "data_seed", "validation_share",
)  # fmt: skip


def differences(pinned: Settings, current: Settings) -> list[str]:
    """What ``pinned`` sets differently from ``current``, in words ("lr 0.1", "Adam")."""
    out = []
    for name in _ORDER:
        value = getattr(pinned, name, None)
        if value != getattr(current, name, None):
            if name == "learning_rate" and pinned.optimizer == "lbfgs":
                continue  # L-BFGS has no learning rate
            if name == "user_data" and pinned.dataset != "own":
                continue
            out.append(_describe(name, value))
    return out


def pin_label(pinned: Settings, current: Settings, limit: int = 3) -> str:
    """A short label: the first ``limit`` differences, "+n more", or "same settings"."""
    diffs = differences(pinned, current)
    if not diffs:
        return "same settings"
    more = len(diffs) - limit
    return ", ".join(diffs[:limit]) + (f", +{more} more" if more > 0 else "")


def _finite(v):
    return float(v) if v is not None and math.isfinite(v) else None


def pins_for_stage(pins: list, current: Settings) -> list[dict]:
    """The pinned curves for the stage's JSON: label, steps and loss (null where the
    loss is not finite)."""
    return [
        dict(label=pin_label(p.settings, current), steps=list(p.steps),
             loss=[_finite(v) for v in p.loss])
        for p in pins
    ]  # fmt: skip


def pins_table(pins: list, current: Settings, now: Pin | None = None) -> list[dict]:
    """One row per pin for the page's table (strings, ready to show); with ``now`` (the
    current run as a Pin), a first row for it to compare against."""
    rows = []
    entries = ([("now", now)] if now is not None else []) + [
        (str(n), p) for n, p in enumerate(pins, 1)
    ]
    for name, p in entries:
        diffs = ", ".join(differences(p.settings, current)) or "same settings"
        rows.append(
            {
                "Run": name,
                "Differs from the current run": "—" if p is now else diffs,
                "Final loss": f"{p.final_loss:.4g}" if math.isfinite(p.final_loss) else "diverged",
                "Validation accuracy": "—" if p.val_accuracy is None else f"{p.val_accuracy:.1%}",
                "Steps to 95 % of final accuracy": "—"
                if p.steps_to_95 is None
                else str(p.steps_to_95),
            }
        )
    return rows
