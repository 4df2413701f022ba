"""The Sweep page's heatmap (``dashboard.sweep.charts``): arrays in, figures out."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from dashboard.sweep import charts as sweep_charts
from tests.chartspec import decode


def _validated(fig):
    go.Figure(fig.to_dict())  # plotly.py validation: raises on an unknown property
    return fig.to_dict()


def test_sweep_heatmap_figure_marks_diverged_selected_and_best():
    z = np.array([[0.9, 0.8, 0.7], [0.6, 0.5, np.inf]])
    div = np.array([[False, False, False], [False, False, True]])
    fig = _validated(
        sweep_charts.sweep_heatmap_figure(
            z,
            [0.1, 1.0],
            [0.0, 1e-3, 1e-2],
            div,
            kind="accuracy",
            selected=(1, 0),
            best=(0, 0),
            final_step=np.full((2, 3), 7),
        )
    )
    heat = fig["data"][0]
    shown = decode(heat["z"]).astype(float)
    assert shown.shape == (3, 2)  # rows = regs, columns = learning rates
    assert np.isnan(shown[2, 1]) and shown[1, 0] == pytest.approx(0.8)
    diverged = next(t for t in fig["data"] if t.get("name") == "diverged")
    assert list(decode(diverged["x"])) == [1] and list(decode(diverged["y"])) == [2]
    assert "diverged after step 7" in np.asarray(heat["hovertext"])[2, 1]
    assert fig["layout"]["xaxis"]["ticktext"] == ["0.1", "1"]
    assert fig["layout"]["yaxis"]["ticktext"] == ["0", "0.001", "0.01"]
    meta = fig["layout"]["meta"]
    assert meta["n_diverged"] == 1 and meta["selected"] == [1, 0] and meta["best"] == [0, 0]
    cells = next(t for t in fig["data"] if t.get("name") == "cells")
    assert len(decode(cells["customdata"])) == 6
    loss = _validated(
        sweep_charts.sweep_heatmap_figure(
            z, [0.1, 1.0], [0.0, 1e-3, 1e-2], div, kind="loss", zrange=(0.5, 0.9)
        )
    )
    assert loss["data"][0]["zmin"] == 0.5 and loss["data"][0]["zmax"] == 0.9
    with pytest.raises(ValueError, match="kind"):
        sweep_charts.sweep_heatmap_figure(z, [0.1, 1.0], [0.0, 1e-3, 1e-2], div, kind="f1")


def test_sweep_heatmap_hover_names_the_value_shown():
    z = np.array([[0.5, 0.75]])
    fig = _validated(
        sweep_charts.sweep_heatmap_figure(
            z,
            [0.1],
            [0.0, 0.1],
            np.zeros((1, 2), bool),
            kind="accuracy",
            value_name="final training accuracy",
        )
    )
    hover = np.asarray(fig["data"][0]["hovertext"])
    assert "final training accuracy 75%" in hover[1, 0]
    default = _validated(
        sweep_charts.sweep_heatmap_figure(z, [0.1], [0.0, 0.1], np.zeros((1, 2), bool), kind="loss")
    )
    assert "final loss 0.5" in np.asarray(default["data"][0]["hovertext"])[0, 0]


def test_regularization_path_figure_draws_one_point_per_reg():
    values = np.array([0.9, 0.85, 0.7, 0.4])
    regs = [0.0, 0.01, 0.1, 1.0]
    div = np.array([False, False, False, True])
    fig = _validated(
        sweep_charts.regularization_path_figure(
            values,
            regs,
            div,
            kind="accuracy",
            selected=2,
            best=0,
            final_step=np.array([40, 30, 12, 5]),
            value_name="final training accuracy",
        )
    )
    path = next(t for t in fig["data"] if t["name"] == "path")
    y = decode(path["y"]).astype(float)
    np.testing.assert_allclose(y[:3], values[:3], rtol=1e-6)
    assert np.isnan(y[3])  # a diverged model is left out of the line
    # each point is its cell (0, j) of the one-row result: what a click picks
    assert decode(path["customdata"]).tolist() == [[0, 0], [0, 1], [0, 2], [0, 3]]
    assert "final training accuracy 70.0%" in path["hovertext"][2]
    assert "12 L-BFGS iterations" in path["hovertext"][2]
    diverged = next(t for t in fig["data"] if t["name"] == "diverged")
    assert list(decode(diverged["x"])) == [3]
    assert fig["layout"]["xaxis"]["ticktext"] == ["0", "0.01", "0.1", "1"]
    meta = fig["layout"]["meta"]
    assert meta == {
        "figure": "regularization_path",
        "kind": "accuracy",
        "n": 4,
        "n_diverged": 1,
        "selected": 2,
        "best": 0,
    }
    loss = _validated(
        sweep_charts.regularization_path_figure(
            [0.3, 0.5, 0.9, 1.2], regs, np.zeros(4, bool), kind="loss", yrange=(0.3, 1.1)
        )
    )
    lo, hi = loss["layout"]["yaxis"]["range"]
    assert lo < 0.3 and hi > 1.1  # the range, padded
    with pytest.raises(ValueError, match="kind"):
        sweep_charts.regularization_path_figure(values, regs, div, kind="f1")
    with pytest.raises(ValueError, match="shape"):
        sweep_charts.regularization_path_figure(values[:3], regs, div, kind="loss")
