"""Drawing points on the regions chart (issue 14, point 2): pure edits of a 2-D dataset.

The browser sends a click in data coordinates (``{"op": "add" | "remove", "x", "y"}``);
it is user input, so :func:`parse_click` checks it and every edit returns a clear
message instead of raising. The page keeps the edited data as the session's own data
(``dashboard.playground.own_data``), with an undo stack.
"""

from __future__ import annotations

import math

import numpy as np

from dashboard.settings import MAX_SAMPLES
from softmax_engine import Dataset

MAX_DRAWN_CLASSES = 10
MAX_UNDO = 50
HIT_SHARE = 0.03  # a remove finds the nearest point within 3 % of the axes' span
DRAWN_NAME = "drawn points"


def parse_click(value) -> dict | None:
    """``{"op", "x", "y"}`` from the browser's trigger value, or None when malformed."""
    if not isinstance(value, dict) or value.get("op") not in ("add", "remove"):
        return None
    out = {"op": value["op"]}
    for name in ("x", "y"):
        v = value.get(name)
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            return None
        if abs(v) > 1e9:
            return None
        out[name] = float(v)
    return out


def class_options(data: Dataset) -> list[str]:
    """The classes a new point can take: the data's, and one new class while under 10."""
    names = list(data.class_names)
    if len(names) < MAX_DRAWN_CLASSES:
        names.append(new_class_name(names))
    return names


def new_class_name(names) -> str:
    k = len(names)
    name = str(k)
    while name in names:
        k += 1
        name = f"class {k}"
    return name


def inside(x: float, y: float, x_range, y_range) -> bool:
    """Whether ``(x, y)`` lies on the chart (its axis ranges)."""
    return x_range[0] <= x <= x_range[1] and y_range[0] <= y <= y_range[1]


def add_point(data: Dataset, x: float, y: float, class_name: str) -> tuple[Dataset | None, str]:
    """``data`` with a point of class ``class_name`` at ``(x, y)`` (a new class is added
    last), and a message; ``(None, reason)`` when it cannot be added."""
    if data.n_samples >= MAX_SAMPLES:
        return None, f"The Playground takes at most {MAX_SAMPLES} points: remove some first."
    names = list(data.class_names)
    if class_name not in names:
        if len(names) >= MAX_DRAWN_CLASSES:
            return None, f"At most {MAX_DRAWN_CLASSES} classes."
        names.append(class_name)
    k = names.index(class_name)
    X = np.vstack([data.X, [[x, y]]])
    labels = np.append(data.y, k)
    return (
        Dataset(X, labels, data.feature_names, tuple(names), DRAWN_NAME),
        f"Added a point of class {class_name} at ({x:.3g}, {y:.3g}).",
    )


def remove_near(data: Dataset, x: float, y: float, x_range, y_range) -> tuple[Dataset | None, str]:
    """``data`` without its point nearest to ``(x, y)`` (within :data:`HIT_SHARE` of the
    axes' span), and a message; ``(None, reason)`` when none is near or when the rest
    would no longer have two classes. A class left without points is dropped."""
    span = max(x_range[1] - x_range[0], y_range[1] - y_range[0])
    d = np.hypot(data.X[:, 0] - x, data.X[:, 1] - y)
    k = int(np.argmin(d)) if len(d) else -1
    if k < 0 or d[k] > HIT_SHARE * span:
        return None, "No point there to remove."
    keep = np.ones(data.n_samples, bool)
    keep[k] = False
    present = np.unique(data.y[keep])
    if len(present) < 2:
        return None, "The data needs points of at least two classes: this one stays."
    # classes keep their order; one left without points goes (it would have no colour)
    remap = -np.ones(len(data.class_names), int)
    remap[present] = np.arange(len(present))
    names = tuple(data.class_names[c] for c in present)
    removed = data.class_names[data.y[k]]
    return (
        Dataset(data.X[keep], remap[data.y[keep]], data.feature_names, names, DRAWN_NAME),
        f"Removed a point of class {removed}.",
    )
