"""The loss curve: series, axes, the step marker, gaps and divergence."""

from __future__ import annotations

import json

import numpy as np

from dashboard.charts.loss import loss_curve_figure
from tests.dashboard.charts.samples import history, loss_fig


def test_loss_curve_traces_axes_and_marker():
    h = history()
    fig = loss_fig(h, selected_step=230)
    names = [t.name for t in fig.data]
    assert names == [
        "total loss",
        "data loss",
        "reg. loss",
        "train accuracy",
        "val. accuracy",
        "gradient norm",
    ]
    assert [t.yaxis for t in fig.data] == ["y", "y", "y", "y2", "y2", "y3"]
    assert fig.data[-1].xaxis == "x2"
    for t in fig.data:
        assert isinstance(t.x, np.ndarray) and t.x.dtype == np.int32
        np.testing.assert_array_equal(t.x, h["steps"])
    # fixed ranges: x = [0, last step] on both rows; accuracy 0-100 %; gradient on log
    assert tuple(fig.layout.xaxis.range) == (0, 490)
    assert tuple(fig.layout.xaxis2.range) == (0, 490)
    assert tuple(fig.layout.yaxis2.range) == (0, 1.02)
    assert fig.layout.yaxis3.type == "log"
    lo, hi = fig.layout.yaxis.range
    assert lo == 0 and hi >= h["loss"].max()
    # the selected step: one vertical line through both rows, labelled
    (shape,) = fig.layout.shapes
    assert shape.x0 == shape.x1 == 230 and shape.yref == "paper"
    assert (shape.y0, shape.y1) == (0, 1)
    assert "230" in fig.layout.annotations[0].text
    meta = fig.layout.meta
    assert meta["selected_step"] == 230 and meta["traces"] == names
    assert meta["x_range"] == [0.0, 490.0] and meta["has_grad_norm"] is True
    # the marker moves, the ranges do not
    other = loss_fig(h, selected_step=40)
    assert other.layout.shapes[0].x0 == 40
    assert tuple(other.layout.yaxis.range) == tuple(fig.layout.yaxis.range)


def test_loss_curve_leaves_out_all_nan_series():
    fig = loss_fig(history(with_val=False))
    names = [t.name for t in fig.data]
    assert "val. accuracy" not in names and "train accuracy" in names
    assert fig.layout.shapes == () and fig.layout.meta["selected_step"] is None
    # no gradient norm -> one row, x axis titled "step"
    h = history()
    one = loss_curve_figure(h["steps"], h["loss"], h["data_loss"], h["reg_loss"])
    assert [t.name for t in one.data] == ["total loss", "data loss", "reg. loss"]
    assert "yaxis3" not in one.to_plotly_json()["layout"]
    assert one.layout.xaxis.title.text == "step"


def test_loss_curve_survives_divergence():
    h = history()
    loss = h["loss"].copy()
    loss[30:] = np.inf
    loss[25:30] = np.nan
    fig = loss_curve_figure(h["steps"], loss, h["data_loss"], h["reg_loss"], log_y=True)
    y = fig.data[0].y
    assert np.isnan(y[25:]).all() and np.isfinite(y[:25]).all()  # gaps, not inf
    assert np.isfinite(fig.layout.yaxis.range).all() and fig.layout.yaxis.type == "log"
    json.loads(fig.to_json())  # still serializes
