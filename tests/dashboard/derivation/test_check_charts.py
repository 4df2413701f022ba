"""The checks' figures (``dashboard.derivation.check_charts``): valid plotly, the numbers
they were given, the page's words in hovers and markers."""

import numpy as np
import plotly.graph_objects as go
import scipy.special

from dashboard.derivation import check_charts
from tests.chartspec import decode


def validated(fig):
    return go.Figure(fig.to_dict())  # plotly's validation: raises on an unknown property


def test_step_error_figure():
    h = np.logspace(-13, -1, 25)
    err = 1e-16 / h + h**2  # a V with its minimum near 1e-5.3
    fig = validated(
        check_charts.step_error_figure(
            h,
            err,
            1e-16 / h,
            h**2,
            best_h=float(h[np.argmin(err)]),
            labels={"y": "相对误差", "minimum": "最小"},
        )
    )
    assert fig.layout.meta["best_h"] == float(h[np.argmin(err)])
    np.testing.assert_allclose(fig.layout.meta["rel_error"], err)
    assert "相对误差 = " in fig.data[2].hovertemplate
    assert fig.layout.annotations[1].text.startswith("最小 ")


def test_initial_loss_figure():
    Cs = np.arange(2, 11)
    fig = validated(
        check_charts.initial_loss_figure(
            Cs, np.log(Cs) + 1e-3, model_classes=4, model_loss=1.38, labels={"y": "损失"}
        )
    )
    assert fig.layout.meta["C"] == list(range(2, 11))
    np.testing.assert_allclose(decode(fig.to_dict()["data"][1]["x"]), np.log(Cs))
    assert "损失 = " in fig.data[1].hovertemplate and "损失 = " in fig.data[2].hovertemplate


def test_temperature_figure():
    s = np.array([2.0, 0.5, -1.0])
    T = np.logspace(-1, 1, 41)
    Q = scipy.special.softmax(s[None] / T[:, None], axis=1)
    fig = validated(check_charts.temperature_figure(T, Q, ["a", "b", "c"], 0))
    np.testing.assert_allclose(fig.layout.meta["q_at_T1"], scipy.special.softmax(s), rtol=1e-12)
    assert fig.data[0].name.endswith("★")
