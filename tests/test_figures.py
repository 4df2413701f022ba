"""Figure builders, checked without a server: what is drawn, where, and how big it is."""

from __future__ import annotations

import base64
import io
import json
import time

import numpy as np
import plotly.graph_objects as go
import pytest

from dashboard import figures as F

PIL_Image = pytest.importorskip("PIL.Image")  # Pillow comes with Streamlit


# ----------------------------------------------------------------------------- helpers


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
    return np.asarray(PIL_Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB"))


def expected_rgb(p, strength=0.6, colors=F.CLASS_COLORS):
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
    return F.decision_regions_figure(toy["xs"], toy["ys"], toy["proba"], toy["X"], toy["y"], **args)


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
    return F.loss_curve_figure(
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
        "regions": F.decision_regions_figure(
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
        "weights": F.weights_heatmap_figure(W, ["x1", "x2"], names, title="W", presenter=presenter),
        "error": F.error_signal_figure(E, y, names, presenter=presenter),
        "jacobian": F.jacobian_figure(
            np.diag(q[0]) - np.outer(q[0], q[0]), names, presenter=presenter
        ),
        "animated": F.animated_regions_figure(
            xs,
            ys,
            np.stack([proba] * 5),
            np.arange(5),
            X,
            y,
            class_names=names,
            x_range=(-3, 3),
            y_range=(-3, 3),
            presenter=presenter,
        ),
    }


# ----------------------------------------------------------------------------- colours


def test_proba_to_rgb_equals_blend_computed_independently():
    rng = np.random.default_rng(2)
    for C in (2, 3, 10):
        p = rng.dirichlet(np.ones(C), size=(7, 9))
        got = F.proba_to_rgb(p)
        assert got.dtype == np.uint8 and got.shape == (7, 9, 3)
        assert np.abs(got.astype(float) - expected_rgb(p)).max() <= 0.5 + 1e-3
    # a stack of grids (K, G, G, C) converts in one call
    stack = rng.dirichlet(np.ones(3), size=(4, 5, 6))
    assert F.proba_to_rgb(stack).shape == (4, 5, 6, 3)
    # a certain class shows its own colour, lightened; uniform is a neutral mix
    one = F.proba_to_rgb(np.eye(3)[[0]])[0]
    np.testing.assert_allclose(one, expected_rgb(np.eye(3)[[0]])[0], atol=0.5)


def test_palette_is_okabe_ito_and_has_ten_distinct_colours():
    assert F.CLASS_COLORS[:7] == (
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#CC79A7",
        "#56B4E9",
        "#D55E00",
        "#F0E442",
    )
    assert len(set(F.CLASS_COLORS)) == 10 and len(set(F.CLASS_SYMBOLS)) == 10
    with pytest.raises(ValueError, match="n_classes"):
        F.class_colors(11)


def test_png_data_uri_round_trips():
    rng = np.random.default_rng(3)
    img = rng.integers(0, 256, size=(13, 17, 3), dtype=np.uint8)
    np.testing.assert_array_equal(decode_png(F.png_data_uri(img)), img)


# ----------------------------------------------------------------------------- regions


def test_regions_trace_types_order_and_legend(toy):
    fig = regions(toy)
    types = [t.type for t in fig.data]
    # boundary, 3 train, 3 validation, validation legend key, misclassified rings; the
    # background is a layout image, not a trace
    assert types == ["scatter"] * 9
    assert len(fig.layout.images) == 1
    names = [t.name for t in fig.data]
    assert names[0] == "decision boundary"
    assert names[1:4] == toy["names"]
    assert names[-2:] == ["validation", "misclassified"]
    shown = [t.name for t in fig.data if t.showlegend is not False]
    assert shown == ["decision boundary", *toy["names"], "validation", "misclassified"]
    # validation points: white fill, ring in the class colour, same symbol as the class
    val0 = fig.data[4]
    assert val0.marker.color == "white" and val0.marker.line.color == F.CLASS_COLORS[0]
    assert val0.marker.symbol == fig.data[1].marker.symbol
    # the minimal call: boundary, one trace per class
    plain = F.decision_regions_figure(
        toy["xs"],
        toy["ys"],
        toy["proba"],
        toy["X"],
        toy["y"],
        class_names=toy["names"],
        x_range=(-3, 3),
        y_range=(-3, 3),
    )
    assert [t.type for t in plain.data] == ["scatter"] * 4
    assert plain.layout.meta["n_misclassified"] is None


def test_regions_points_are_the_given_points(toy):
    fig = regions(toy)
    for k in range(3):
        tr = fig.data[1 + k]
        np.testing.assert_allclose(tr.x, toy["X"][toy["y"] == k, 0], rtol=1e-6)
        np.testing.assert_allclose(tr.y, toy["X"][toy["y"] == k, 1], rtol=1e-6)
        assert len(fig.data[4 + k].x) == np.sum(toy["yv"] == k)


def test_regions_image_is_the_blend_and_lines_up_with_the_axes(toy):
    fig = regions(toy)
    img = fig.layout.images[0]
    xs, ys, proba = toy["xs"], toy["ys"], toy["proba"]
    pix = decode_png(img.source)[::-1]  # PNG row 0 is the top: flip to rows = ascending y
    assert pix.shape == (ys.size, xs.size, 3)  # rows = y, cols = x
    for i, j in [(0, 0), (0, xs.size - 1), (ys.size - 1, 0), (17, 23), (ys.size - 1, 30)]:
        np.testing.assert_allclose(pix[i, j], expected_rgb(proba[i, j]), atol=0.51)
    # placed in data coordinates so that pixel centres fall on the grid points
    hx, hy = xs[1] - xs[0], ys[1] - ys[0]
    assert img.xref == "x" and img.yref == "y" and img.layer == "below"
    assert img.xanchor == "left" and img.yanchor == "top" and img.sizing == "stretch"
    assert img.x == pytest.approx(xs[0] - hx / 2) and img.y == pytest.approx(ys[-1] + hy / 2)
    assert img.sizex == pytest.approx(hx * xs.size) and img.sizey == pytest.approx(hy * ys.size)
    assert fig.layout.yaxis.range[0] < fig.layout.yaxis.range[1]


def test_regions_descending_grid_gives_the_same_picture(toy):
    up = regions(toy)
    down = F.decision_regions_figure(
        toy["xs"],
        toy["ys"][::-1],
        toy["proba"][::-1],
        toy["X"],
        toy["y"],
        class_names=toy["names"],
        x_range=(-3, 3),
        y_range=(-3, 3),
    )
    a, b = up.layout.images[0], down.layout.images[0]
    np.testing.assert_array_equal(decode_png(a.source), decode_png(b.source))
    assert (b.x, b.y, b.sizex, b.sizey) == pytest.approx((a.x, a.y, a.sizex, a.sizey))


def test_regions_axis_ranges_are_fixed(toy):
    fig = regions(toy, x_range=(-2.5, 4.0), y_range=(-1.0, 3.5), feature_labels=("a", "b"))
    assert tuple(fig.layout.xaxis.range) == (-2.5, 4.0)
    assert tuple(fig.layout.yaxis.range) == (-1.0, 3.5)
    assert fig.layout.xaxis.autorange is False and fig.layout.yaxis.autorange is False
    assert fig.layout.yaxis.scaleanchor == "x"  # equal aspect: geometry is not distorted
    assert fig.layout.xaxis.title.text == "a" and fig.layout.yaxis.title.text == "b"
    assert fig.layout.uirevision


def test_misclassified_overlay_counts_the_mismatches(toy):
    fig = regions(toy)
    n_train = int(np.sum(toy["pred"] != toy["y"]))
    n_val = int(np.sum(toy["pred_v"] != toy["yv"]))
    assert n_train > 0 and n_val > 0  # the fixture really has mistakes
    ring = fig.data[-1]
    assert ring.name == "misclassified" and ring.marker.symbol == "circle-open"
    assert len(ring.x) == n_train + n_val
    wrong = np.concatenate(
        [toy["X"][toy["pred"] != toy["y"]], toy["Xv"][toy["pred_v"] != toy["yv"]]]
    )
    np.testing.assert_allclose(ring.x, wrong[:, 0], rtol=1e-6)
    meta = fig.layout.meta
    assert meta["n_misclassified_train"] == n_train
    assert meta["n_misclassified_val"] == n_val
    assert meta["n_misclassified"] == n_train + n_val
    assert meta["n_train"] == 90 and meta["n_val"] == 30 and meta["grid"] == [40, 50]
    # all right -> an empty ring trace, count 0
    ok = regions(toy, pred_train=toy["y"], pred_val=toy["yv"])
    assert len(ok.data[-1].x) == 0 and ok.layout.meta["n_misclassified"] == 0


@pytest.mark.parametrize("C", [2, 3, 5, 10])
def test_boundaries_lie_on_ties_and_separate_every_region(C):
    """Every boundary vertex is (nearly) a tie of the two top classes, and every pair of
    neighbouring grid points with different argmax has a boundary vertex between them."""
    rng = np.random.default_rng(C)
    ang = np.linspace(0, 2 * np.pi, C, endpoint=False)
    W = 2.0 * np.stack([np.cos(ang), np.sin(ang)]) + 0.3 * rng.normal(size=(2, C))
    b = 0.2 * rng.normal(size=C)
    G = 81
    xs, ys, proba = linear_grid(W, b, G=G)
    bx, by = F.boundary_polylines(xs, ys, proba)
    assert bx.dtype == np.float32 and bx.shape == by.shape
    v = np.isfinite(bx)
    pts = np.stack([bx[v], by[v]], axis=1).astype(float)
    p = softmax(pts @ W + b)
    top2 = np.sort(p, axis=1)[:, -2:]
    h = xs[1] - xs[0]
    # the exact boundary is within a fraction of a cell of each vertex
    assert np.max(top2[:, 1] - top2[:, 0]) < 0.2
    assert np.median(top2[:, 1] - top2[:, 0]) < 0.02
    lab = proba.argmax(-1)
    ii, jj = np.nonzero(lab[:, 1:] != lab[:, :-1])  # horizontal neighbours that differ
    mid = np.stack([(xs[jj] + xs[jj + 1]) / 2, ys[ii]], axis=1)
    d = np.sqrt(((mid[:, None, :] - pts[None, :, :]) ** 2).sum(-1)).min(axis=1)
    assert d.max() <= h  # no region edge without a drawn boundary


def test_boundary_between_non_consecutive_labels_is_one_line():
    """Classes 0 and 3 meet (1 and 2 never win): one line, not one per label level."""
    xs = np.linspace(-1, 1, 41)
    ys = np.linspace(-1, 1, 31)
    s0 = np.broadcast_to(-3 * xs, (31, 41))
    scores = np.stack([s0, s0 * 0 - 5, s0 * 0 - 5, -s0], axis=-1)
    bx, by = F.boundary_polylines(xs, ys, softmax(scores))
    assert np.isnan(bx).sum() == 1  # exactly one polyline
    np.testing.assert_allclose(bx[np.isfinite(bx)], 0.0, atol=1e-6)  # at x = 0
    assert np.nanmin(by) == pytest.approx(-1) and np.nanmax(by) == pytest.approx(1)


def test_single_class_everywhere_has_no_boundary():
    xs = ys = np.linspace(0, 1, 10)
    proba = np.zeros((10, 10, 3))
    proba[..., 1] = 1.0
    bx, by = F.boundary_polylines(xs, ys, proba)
    assert bx.size == 0 and by.size == 0


# ----------------------------------------------------------------------------- loss curve


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
    one = F.loss_curve_figure(h["steps"], h["loss"], h["data_loss"], h["reg_loss"])
    assert [t.name for t in one.data] == ["total loss", "data loss", "reg. loss"]
    assert "yaxis3" not in one.to_plotly_json()["layout"]
    assert one.layout.xaxis.title.text == "step"


def test_loss_curve_survives_divergence():
    h = history()
    loss = h["loss"].copy()
    loss[30:] = np.inf
    loss[25:30] = np.nan
    fig = F.loss_curve_figure(h["steps"], loss, h["data_loss"], h["reg_loss"], log_y=True)
    y = fig.data[0].y
    assert np.isnan(y[25:]).all() and np.isfinite(y[:25]).all()  # gaps, not inf
    assert np.isfinite(fig.layout.yaxis.range).all() and fig.layout.yaxis.type == "log"
    json.loads(fig.to_json())  # still serializes


# ----------------------------------------------------------------------------- heatmaps


def test_weights_heatmap_is_zero_centred_and_symmetric():
    M = np.array([[0.5, -2.0, 0.1], [1.0, 0.0, -0.3]])
    fig = F.weights_heatmap_figure(
        M, ["x1", "x2"], ["a", "b", "c"], title="dW (features × classes)"
    )
    (hm,) = fig.data
    assert hm.type == "heatmap"
    np.testing.assert_allclose(hm.z, M, rtol=1e-6)
    assert hm.zmid == 0 and hm.zmax == pytest.approx(2.0) and hm.zmin == pytest.approx(-2.0)
    assert hm.texttemplate  # small: values printed in the cells
    assert hm.hovertext[1][2] == "feature x2 · class c"
    assert list(fig.layout.xaxis.ticktext) == ["a", "b", "c"]
    assert list(fig.layout.yaxis.ticktext) == ["x1", "x2"]
    assert tuple(fig.layout.yaxis.range) == (1.5, -0.5)  # first feature on top, fixed
    assert tuple(fig.layout.xaxis.range) == (-0.5, 2.5)
    assert fig.layout.meta["zmax"] == pytest.approx(2.0) and fig.layout.meta["shape"] == [2, 3]
    # the colour scale is diverging with white in the middle, blue < 0 < red
    cs = dict((round(v, 3), c) for v, c in hm.colorscale)
    assert cs[0.5].lower() == "#f7f7f7"
    assert cs[0.0].lower() == "#053061" and cs[1.0].lower() == "#67001f"


def test_huge_finite_values_stay_finite():
    """A diverging run's last finite state can exceed float32: it saturates, no inf/NaN."""
    M = np.array([[1e300, -1e200], [3.0, np.inf]])
    hm = F.weights_heatmap_figure(M, ["x1", "x2"], ["a", "b"], title="W").data[0]
    assert np.isfinite(hm.z[0]).all() and hm.z[0, 0] > 1e38 and hm.z[0, 1] < -1e38
    assert np.isnan(hm.z[1, 1])  # a real inf is a gap
    assert np.isfinite(hm.zmax)


def test_weights_heatmap_fixed_zmax_and_no_text_when_large():
    rng = np.random.default_rng(4)
    M = rng.normal(size=(30, 4))
    fig = F.weights_heatmap_figure(
        M, [f"rbf {i}" for i in range(30)], list("abcd"), title="W", zmax=5.0
    )
    hm = fig.data[0]
    assert hm.zmax == 5.0 and hm.zmin == -5.0
    assert not hm.texttemplate and fig.layout.meta["text_shown"] is False
    zero = F.weights_heatmap_figure(np.zeros((2, 2)), ["x1", "x2"], ["a", "b"], title="W")
    assert zero.data[0].zmax == 1.0  # all-zero matrix: a valid range, not [0, 0]


def test_error_signal_rows_grouped_by_class_and_sorted():
    rng = np.random.default_rng(5)
    N, C = 60, 3
    y = rng.integers(0, C, N)
    q = rng.dirichlet(np.ones(C), size=N)
    E = q - np.eye(C)[y]
    fig = F.error_signal_figure(E, y, ["a", "b", "c"])
    (hm,) = fig.data
    order = np.asarray(hm.customdata)[:, 0]
    assert sorted(order) == list(range(N))  # every sample once, none subsampled
    np.testing.assert_allclose(hm.z, E[order], rtol=1e-6)
    assert np.all(np.diff(y[order]) >= 0)  # grouped by true class, in class order
    for k in range(C):  # within a class: from right (error ~0) to badly wrong (~ -1)
        e_true = E[order][y[order] == k, k]
        assert np.all(np.diff(e_true) <= 1e-7)
    assert hm.zmid == 0 and (hm.zmin, hm.zmax) == (-1, 1)
    counts = np.bincount(y, minlength=C)
    meta = fig.layout.meta
    assert meta["class_counts"] == counts.tolist() and meta["subsampled"] is False
    assert meta["group_starts"] == [0, int(counts[0]), int(counts[0] + counts[1])]
    # one line at each class change, and the group names on the y axis
    assert sorted(s.y0 for s in fig.layout.shapes) == [counts[0] - 0.5, counts[0] + counts[1] - 0.5]
    assert list(fig.layout.yaxis.ticktext) == ["a", "b", "c"]
    assert tuple(fig.layout.yaxis.range) == (N - 0.5, -0.5)


def test_error_signal_subsamples_deterministically_and_says_so():
    rng = np.random.default_rng(6)
    N, C = 2000, 4
    y = rng.integers(0, C, N)
    E = rng.dirichlet(np.ones(C), size=N) - np.eye(C)[y]
    a = F.error_signal_figure(E, y, list("abcd"), max_rows=200)
    b = F.error_signal_figure(E, y, list("abcd"), max_rows=200)
    rows = np.asarray(a.data[0].customdata)[:, 0]
    assert rows.size == 200 and a.layout.meta["n_rows"] == 200
    np.testing.assert_array_equal(rows, np.asarray(b.data[0].customdata)[:, 0])
    assert np.all(np.diff(y[rows]) >= 0)
    shown = np.bincount(y[rows], minlength=C) / 200
    np.testing.assert_allclose(shown, np.bincount(y, minlength=C) / N, atol=0.02)
    assert "200 of 2000" in a.layout.title.subtitle.text
    assert a.layout.meta["subsampled"] is True


def test_jacobian_figure():
    q = np.array([0.7, 0.2, 0.1])
    J = np.diag(q) - np.outer(q, q)
    fig = F.jacobian_figure(J, ["a", "b", "c"])
    hm = fig.data[0]
    np.testing.assert_allclose(hm.z, J, rtol=1e-6)
    assert hm.zmid == 0 and (hm.zmin, hm.zmax) == (-0.25, 0.25)
    assert fig.layout.meta["shape"] == [3, 3]


# ----------------------------------------------------------------------------- animation


def test_animation_frames_controls_and_payload():
    rng = np.random.default_rng(7)
    K, G, C = 200, 48, 3
    W = np.array([[2.0, -1.0, -1.0], [0.0, 1.7, -1.7]])
    xs, ys, _ = linear_grid(W, 0.0, G=G)
    scale = np.linspace(0.05, 1, K)[:, None, None, None]
    XX, YY = np.meshgrid(xs, ys)
    stack = softmax(scale * (np.stack([XX, YY], -1) @ W))
    steps = np.arange(K) * 5
    X = rng.normal(size=(150, 2))
    y = rng.integers(0, C, 150)
    fig = F.animated_regions_figure(
        xs,
        ys,
        stack,
        steps,
        X,
        y,
        class_names=list("abc"),
        x_range=(-3, 3),
        y_range=(-3, 3),
        max_frames=60,
    )
    frames = fig.frames
    assert len(frames) == 60 and fig.layout.meta["n_frames"] == 60
    names = [f.name for f in frames]
    assert names[0] == "0" and names[-1] == str(steps[-1])  # first and last kept
    assert fig.layout.meta["frame_steps"] == [int(n) for n in names]
    # the background is a layout image (swapped without a full redraw); trace 0 = boundary
    assert fig.data[0].name == "decision boundary" and "image" not in {t.type for t in fig.data}
    mid = frames[30]
    assert list(mid.traces) == list(range(len(fig.data)))  # all traces listed (Streamlit)
    step_k = int(mid.name) // 5
    img = decode_png(mid.layout.images[0].source)[::-1]  # PNG row 0 is the top
    np.testing.assert_allclose(img[5, 7], expected_rgb(stack[step_k, 5, 7]), atol=0.51)
    bx, _ = F.boundary_polylines(xs, ys, stack[step_k])
    np.testing.assert_array_equal(mid.data[0].x, bx)
    # layout image covers exactly the grid cells (pixel centres on grid points)
    im = fig.layout.images[0]
    h = xs[1] - xs[0]
    assert im.x == pytest.approx(xs[0] - h / 2) and im.y == pytest.approx(ys[-1] + h / 2)
    assert im.sizex == pytest.approx(G * h) and im.xref == "x" and im.layer == "below"
    # controls: Play / Pause / Replay, client side, no redraw, fast frames
    play, pause, replay = fig.layout.updatemenus[0].buttons
    assert [b.method for b in (play, pause, replay)] == ["animate"] * 3
    assert play.args[1]["frame"] == {"duration": 30, "redraw": False}
    assert play.args[1]["transition"]["duration"] == 0
    assert replay.args[1]["fromcurrent"] is False
    slider = fig.layout.sliders[0]
    assert [s.args[0][0] for s in slider.steps] == names and slider.active == 59
    # payload bounded: 60 frames of a 48 x 48 grid
    size = len(fig.to_json())
    assert size < 600_000, size


def test_animation_keeps_all_frames_when_few():
    xs = ys = np.linspace(-1, 1, 8)
    stack = np.full((3, 8, 8, 2), 0.5)
    fig = F.animated_regions_figure(
        xs,
        ys,
        stack,
        [0, 1, 2],
        np.zeros((2, 2)),
        [0, 1],
        class_names=["a", "b"],
        x_range=(-1, 1),
        y_range=(-1, 1),
    )
    assert [f.name for f in fig.frames] == ["0", "1", "2"]


# ----------------------------------------------------------------------------- all figures


def test_presenter_mode_uses_bigger_fonts_and_markers():
    normal, big = all_figures(False), all_figures(True)
    for key in normal:
        n, p = normal[key].layout, big[key].layout
        assert p.font.size >= 20 and p.font.size > n.font.size, key
        assert p.title.font.size > n.title.font.size, key
        assert p.xaxis.tickfont.size >= 20, key
        assert p.height > n.height, key
    assert big["regions"].data[1].marker.size > normal["regions"].data[1].marker.size
    assert big["regions"].data[0].line.width > normal["regions"].data[0].line.width
    assert big["loss"].data[0].line.width > normal["loss"].data[0].line.width
    assert big["weights"].data[0].textfont.size >= 20


def test_arrays_are_numpy_and_sent_as_typed_arrays():
    figs = all_figures()
    reg = figs["regions"]
    for tr in reg.data:
        assert isinstance(tr.x, np.ndarray) and tr.x.dtype == np.float32
    assert isinstance(figs["loss"].data[0].y, np.ndarray)
    assert figs["loss"].data[0].y.dtype == np.float32
    assert isinstance(figs["weights"].data[0].z, np.ndarray)
    spec = json.loads(reg.to_json())
    assert spec["data"][2]["x"]["dtype"] == "f4" and "bdata" in spec["data"][2]["x"]
    spec = json.loads(figs["error"].to_json())
    assert spec["data"][0]["z"]["dtype"] == "f4"


def test_every_figure_passes_plotly_validation():
    """Builders skip plotly.py's validation for speed; a misspelt property fails here."""
    for key, fig in {
        **all_figures(False),
        **{f"p-{k}": v for k, v in all_figures(True).items()},
    }.items():
        go.Figure(fig.to_dict())  # validates every property; raises on an unknown one
        assert fig.layout.meta["figure"], key


def test_layout_template_is_empty_to_keep_the_payload_small():
    for fig in all_figures().values():
        assert len(json.dumps(fig.to_plotly_json()["layout"]["template"], default=str)) < 100


def test_bad_input_raises_clear_errors(toy):
    with pytest.raises(ValueError, match="proba must have shape"):
        F.decision_regions_figure(
            toy["xs"],
            toy["ys"],
            toy["proba"][:, :-1],
            toy["X"],
            toy["y"],
            class_names=toy["names"],
            x_range=(-3, 3),
            y_range=(-3, 3),
        )
    with pytest.raises(ValueError, match="class_names"):
        regions(toy, class_names=["a", "b"])
    with pytest.raises(ValueError, match="labels must be in"):
        F.decision_regions_figure(
            toy["xs"],
            toy["ys"],
            toy["proba"],
            toy["X"],
            toy["y"] + 5,
            class_names=toy["names"],
            x_range=(-3, 3),
            y_range=(-3, 3),
        )
    with pytest.raises(ValueError, match="pred_train"):
        regions(toy, pred_train=toy["pred"][:-1])
    h = history()
    with pytest.raises(ValueError, match="data_loss"):
        F.loss_curve_figure(h["steps"], h["loss"], h["data_loss"][:-1], h["reg_loss"])
    with pytest.raises(ValueError, match="M must have shape"):
        F.weights_heatmap_figure(np.zeros((3, 2)), ["x1", "x2"], ["a", "b"], title="W")
    with pytest.raises(ValueError, match="E must be"):
        F.error_signal_figure(np.zeros((4, 2)), np.zeros(4, int), ["a", "b", "c"])


def test_json_size_and_build_time_at_full_resolution():
    """G = 150 regions and the other charts: small payload, fast build + serialization."""
    rng = np.random.default_rng(8)
    C, G, N = 4, 150, 600
    ang = np.linspace(0, 2 * np.pi, C, endpoint=False)
    W = 2 * np.stack([np.cos(ang), np.sin(ang)])
    xs, ys, proba = linear_grid(W, 0.0, G=G)
    y = rng.integers(0, C, N)
    X = W.T[y] / 2 + rng.normal(size=(N, 2))
    names = list("abcd")
    h = history(K=500)
    q = softmax(X @ W)
    builders = {
        "regions": lambda: F.decision_regions_figure(
            xs,
            ys,
            proba,
            X[:450],
            y[:450],
            X_val=X[450:],
            y_val=y[450:],
            pred_train=q[:450].argmax(1),
            pred_val=q[450:].argmax(1),
            class_names=names,
            x_range=(-3, 3),
            y_range=(-3, 3),
        ),
        "loss": lambda: loss_fig(h, selected_step=2000),
        "dW": lambda: F.weights_heatmap_figure(W, ["x1", "x2"], names, title="dW"),
        "error": lambda: F.error_signal_figure(q - np.eye(C)[y], y, names),
    }
    limits = {"regions": 60_000, "loss": 40_000, "dW": 8_000, "error": 30_000}
    sizes = {}
    for key, build in builders.items():
        build()  # warm up
        t0 = time.perf_counter()
        js = build().to_json()
        elapsed = time.perf_counter() - t0
        sizes[key] = len(js)
        assert len(js) < limits[key], (key, len(js))
        assert elapsed < 0.25, (key, elapsed)  # generous: typical is 2-15 ms
    print("JSON bytes at G=150:", sizes)
