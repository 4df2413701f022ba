"""The sample's figures (``dashboard.derivation.charts``): valid plotly, the right numbers,
the page's words.

Expected numbers are computed here with scipy / numpy from the same inputs.
"""

import json

import numpy as np
import plotly.graph_objects as go
import pytest
import scipy.special

from dashboard.derivation import charts, compute
from tests.chartspec import decode
from tests.dashboard.derivation.oracles import random_problem


def validated(fig):
    return go.Figure(fig.to_dict())  # plotly's validation: raises on an unknown property


def picker(run, selected, **kw):
    xs, ys, proba = run.regions_at(len(run.history.step) - 1, resolution=20)
    return charts.sample_picker_figure(
        xs,
        ys,
        proba,
        run.X_train,
        run.y_train,
        selected,
        class_names=run.data.class_names,
        x_range=run.x_range,
        y_range=run.y_range,
        **kw,
    )


def test_sample_picker_figure_maps_points_to_indices(runs):
    run = runs["iris"]
    C = len(run.data.class_names)
    fig = picker(run, 7)
    validated(fig)
    spec = json.loads(fig.to_json())  # what the browser gets
    assert spec["data"][0]["mode"] == "lines"  # the boundary, then one trace per class
    for k in range(C):
        trace = spec["data"][1 + k]
        idx = decode(trace["customdata"]).astype(int)
        np.testing.assert_array_equal(idx, np.flatnonzero(run.y_train == k))
        np.testing.assert_allclose(decode(trace["x"]), run.X_train[idx, 0], rtol=1e-6)
        np.testing.assert_allclose(decode(trace["y"]), run.X_train[idx, 1], rtol=1e-6)
    ring = spec["data"][-1]
    assert list(decode(ring["customdata"])) == [7]
    xy = [decode(ring["x"])[0], decode(ring["y"])[0]]
    np.testing.assert_allclose(xy, run.X_train[7], rtol=1e-6)
    assert spec["layout"]["meta"]["selected"] == 7
    assert spec["layout"]["images"][0]["source"].startswith("data:image/png;base64,")
    assert spec["layout"]["clickmode"] == "event+select"
    # what a click on the first training point of class 1 gives back
    first = int(decode(spec["data"][2]["customdata"])[0])
    point = {"curve_number": 2, "point_index": 0, "customdata": first}
    assert compute.sample_from_points([point], len(run.y_train)) == first
    with pytest.raises(ValueError):
        picker(run, len(run.y_train))


def test_sample_picker_figure_speaks_the_given_words(runs):
    labels = {"sample": "样本", "chosen": "已选中", "regions_subtitle": "点击一个点"}
    spec = picker(runs["spiral"], 3, labels=labels, feature_labels=("x1", "x2")).to_dict()
    assert spec["layout"]["title"]["subtitle"]["text"] == "点击一个点"
    for trace in spec["data"][1:-1]:
        assert trace["hovertemplate"].startswith("样本 #%{customdata} · ")
        assert "x1 = %{x:.3g}" in trace["hovertemplate"]
    assert spec["data"][-1]["hovertemplate"].startswith("样本 #3 (已选中)")


def test_sample_figures_validate_and_carry_numbers():
    rng = np.random.default_rng(5)
    W, b, X, y = random_problem(rng, D=5, C=4)
    s = X[2] @ W + b
    q = scipy.special.softmax(s)
    label = int(y[2])
    names = [f"c{j}" for j in range(4)]
    fig = validated(charts.scores_probs_figure(s, q, label, names, presenter=True))
    np.testing.assert_allclose(fig.layout.meta["q"], q, rtol=1e-12)
    np.testing.assert_allclose(fig.layout.meta["scores"], s, rtol=1e-12)
    G = np.outer(X[2], q - np.eye(4)[label])
    fig = validated(
        charts.sample_gradient_figure(
            X[2], G, [f"f{k}" for k in range(5)], names, label, labels={"feature": "特征"}
        )
    )
    assert fig.layout.meta["shape"] == [5, 4] and fig.layout.meta["label"] == label
    np.testing.assert_allclose(decode(json.loads(fig.to_json())["data"][1]["z"]), G, rtol=1e-6)
    assert fig.data[1].hovertext[0][0] == "特征 f0 · class c0"


@pytest.mark.parametrize("C", [3, 8])
def test_jacobian_figure_uses_the_kit_with_the_pages_words(C):
    q = scipy.special.softmax(np.linspace(-1, 2, C))
    J = np.diag(q) - np.outer(q, q)
    names = [str(j) for j in range(C)]
    labels = {"rows": "概率", "cols": "得分", "row_name": "行", "col_name": "列", "value": "值"}
    fig = validated(charts.jacobian_figure(J, names, labels=labels))
    z = decode(json.loads(fig.to_json())["data"][0]["z"])
    np.testing.assert_allclose(z, J, rtol=1e-5, atol=1e-7)
    assert (fig.layout.yaxis.title.text, fig.layout.xaxis.title.text) == ("概率", "得分")
    assert "值 = " in fig.data[0].hovertemplate
    assert fig.layout.meta["text_shown"] is (C <= charts.MAX_TEXT_CLASSES)
