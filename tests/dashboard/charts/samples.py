"""Sample inputs for the chart tests: a linear softmax model on a grid, points, a history.

Everything here is computed from its definition (numpy), never by the code under test.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from dashboard.charts.heatmaps import error_signal_figure, jacobian_figure, weights_heatmap_figure
from dashboard.charts.loss import loss_curve_figure
from dashboard.charts.regions import decision_regions_figure
from dashboard.charts.style import CLASS_COLORS


def softmax(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def linear_grid(W, b, G=60, lim=3.0, gy=None):
    """Probabilities of a linear softmax model on a G x G grid over [-lim, lim]^2."""
    xs = np.linspace(-lim, lim, G)
    ys = np.linspace(-lim, lim, gy or G)
    XX, YY = np.meshgrid(xs, ys)  # rows = y
    pts = np.stack([XX, YY], axis=-1)
    return xs, ys, softmax(pts @ W + b)


def decode_png(uri):
    """Independent decoder (Pillow) for the data URIs the figures carry."""
    head, b64 = uri.split(",", 1)
    assert head == "data:image/png;base64"
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB"))


def expected_rgb(p, strength=0.6, colors=CLASS_COLORS):
    """The blend computed from its definition, in float64: white -> mix of class colours."""
    rgb = np.array([[int(h[i : i + 2], 16) for i in (1, 3, 5)] for h in colors[: p.shape[-1]]])
    return 255.0 - strength * (255.0 - p @ rgb)


@pytest.fixture
def toy():
    """Three classes, linear model, train + validation points with predictions."""
    rng = np.random.default_rng(0)
    W = np.array([[2.0, -1.0, -1.0], [0.0, 1.7, -1.7]])
    b = np.array([0.1, 0.0, -0.1])
    xs, ys, proba = linear_grid(W, b, G=50, gy=40)
    X = rng.normal(scale=1.2, size=(90, 2))
    y = rng.integers(0, 3, 90)
    Xv = rng.normal(scale=1.2, size=(30, 2))
    yv = rng.integers(0, 3, 30)
    return dict(
        xs=xs,
        ys=ys,
        proba=proba,
        X=X,
        y=y,
        Xv=Xv,
        yv=yv,
        pred=softmax(X @ W + b).argmax(1),
        pred_v=softmax(Xv @ W + b).argmax(1),
        names=["setosa", "versicolor", "virginica"],
    )


def regions(toy, **kw):
    args = dict(
        X_val=toy["Xv"],
        y_val=toy["yv"],
        pred_train=toy["pred"],
        pred_val=toy["pred_v"],
        class_names=toy["names"],
        x_range=(-3, 3),
        y_range=(-3, 3),
    )
    args.update(kw)
    return decision_regions_figure(toy["xs"], toy["ys"], toy["proba"], toy["X"], toy["y"], **args)


def history(K=50, with_val=True):
    steps = np.arange(K) * 10
    data = 1.1 * np.exp(-steps / 100) + 0.2
    reg = np.full(K, 0.01)
    acc = np.linspace(0.3, 0.95, K)
    return dict(
        steps=steps,
        loss=data + reg,
        data_loss=data,
        reg_loss=reg,
        train_accuracy=acc,
        val_accuracy=acc - 0.05 if with_val else np.full(K, np.nan),
        grad_norm=np.exp(-steps / 80),
    )


def loss_fig(h, **kw):
    return loss_curve_figure(
        h["steps"],
        h["loss"],
        h["data_loss"],
        h["reg_loss"],
        train_accuracy=h["train_accuracy"],
        val_accuracy=h["val_accuracy"],
        grad_norm=h["grad_norm"],
        **kw,
    )


def all_figures(presenter=False):
    rng = np.random.default_rng(1)
    W = np.array([[2.0, -1.0, -1.0], [0.0, 1.7, -1.7]])
    xs, ys, proba = linear_grid(W, 0.0, G=30)
    X = rng.normal(size=(40, 2))
    y = rng.integers(0, 3, 40)
    names = ["a", "b", "c"]
    q = softmax(X @ W)
    E = q - np.eye(3)[y]
    return {
        "regions": decision_regions_figure(
            xs,
            ys,
            proba,
            X,
            y,
            class_names=names,
            x_range=(-3, 3),
            y_range=(-3, 3),
            presenter=presenter,
        ),
        "loss": loss_fig(history(), selected_step=100, presenter=presenter),
        "weights": weights_heatmap_figure(W, ["x1", "x2"], names, title="W", presenter=presenter),
        "error": error_signal_figure(E, y, names, presenter=presenter),
        "jacobian": jacobian_figure(
            np.diag(q[0]) - np.outer(q[0], q[0]), names, presenter=presenter
        ),
    }

