"""The Datasets page's figures (``dashboard.datasets.charts``): arrays in, figures out."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from dashboard.datasets import charts as datasets_charts
from tests.chartspec import decode


def _validated(fig):
    go.Figure(fig.to_dict())  # plotly.py validation: raises on an unknown property
    return fig.to_dict()


def test_confusion_matrix_figure():
    M = np.array([[5, 1, 0], [0, 3, 3], [0, 0, 0]])
    fig = _validated(datasets_charts.confusion_matrix_figure(M, ["a", "b", "c"], title="t"))
    heat = fig["data"][0]
    np.testing.assert_allclose(decode(heat["z"]).astype(float)[1], [0, 0.5, 0.5])
    assert decode(heat["z"]).astype(float)[2].tolist() == [0, 0, 0]  # empty row: no NaN
    assert fig["layout"]["meta"]["counts"] == M.tolist()
    assert "true b, predicted c" in np.asarray(heat["hovertext"])[1, 2]
    with pytest.raises(ValueError, match="shape"):
        datasets_charts.confusion_matrix_figure(M[:2], ["a", "b", "c"])


def test_precision_recall_figure():
    fig = _validated(
        datasets_charts.precision_recall_figure([1, 0.5], [0.25, 1], ["x", "y"], support=[3, 4])
    )
    names = [t["name"] for t in fig["data"]]
    assert names == ["precision", "recall"]
    assert fig["layout"]["meta"]["recall"] == [0.25, 1.0]
    assert fig["layout"]["yaxis"]["range"][0] == 0.0


def test_weight_templates_figure():
    W = np.random.default_rng(0).standard_normal((64, 10))  # 8×8 pixels, 10 classes
    names = [str(d) for d in range(10)]
    fig = _validated(datasets_charts.weight_templates_figure(W, names, (8, 8), presenter=True))
    assert len(fig["data"]) == 10
    z = decode(fig["data"][3]["z"]).astype(float)
    np.testing.assert_allclose(z, W[:, 3].reshape(8, 8), rtol=1e-6)
    ca = fig["layout"]["coloraxis"]
    assert ca["cmin"] == -ca["cmax"] and ca["cmax"] == pytest.approx(np.abs(W).max(), 1e-6)
    assert fig["layout"]["yaxis"]["range"][0] > fig["layout"]["yaxis"]["range"][1]  # row 0 top


def test_feature_weights_figure_makes_room_for_long_names():
    W = np.random.default_rng(1).standard_normal((3, 2))
    names = ["od280/od315_of_diluted_wines", "ash", "hue"]
    fig = _validated(datasets_charts.feature_weights_figure(W, names, ["a", "b"], title="W"))
    np.testing.assert_allclose(decode(fig["data"][0]["z"]).astype(float), W, rtol=1e-6)
    assert list(fig["layout"]["yaxis"]["ticktext"]) == names
    # at 13 px a character of the tick labels takes 6-8 px: 28 of them need ~200 px
    assert fig["layout"]["margin"]["l"] >= 6 * len(names[0])
    short = _validated(
        datasets_charts.feature_weights_figure(W, ["x1", "x2", "x3"], ["a", "b"], title="W")
    )
    assert short["layout"]["margin"]["l"] < fig["layout"]["margin"]["l"]
