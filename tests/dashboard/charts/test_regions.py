"""Decision regions: the blended picture, its placement, the points and the boundaries."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.charts.regions import (
    boundary_polylines,
    decision_regions_figure,
    png_data_uri,
    proba_to_rgb,
)
from dashboard.charts.style import CLASS_COLORS
from tests.dashboard.charts.samples import (
    decode_png,
    expected_rgb,
    linear_grid,
    regions,
    softmax,
)


def test_proba_to_rgb_equals_blend_computed_independently():
    rng = np.random.default_rng(2)
    for C in (2, 3, 10):
        p = rng.dirichlet(np.ones(C), size=(7, 9))
        got = proba_to_rgb(p)
        assert got.dtype == np.uint8 and got.shape == (7, 9, 3)
        assert np.abs(got.astype(float) - expected_rgb(p)).max() <= 0.5 + 1e-3
    # a stack of grids (K, G, G, C) converts in one call
    stack = rng.dirichlet(np.ones(3), size=(4, 5, 6))
    assert proba_to_rgb(stack).shape == (4, 5, 6, 3)
    # a certain class shows its own colour, lightened; uniform is a neutral mix
    one = proba_to_rgb(np.eye(3)[[0]])[0]
    np.testing.assert_allclose(one, expected_rgb(np.eye(3)[[0]])[0], atol=0.5)




def test_png_data_uri_round_trips():
    rng = np.random.default_rng(3)
    img = rng.integers(0, 256, size=(13, 17, 3), dtype=np.uint8)
    np.testing.assert_array_equal(decode_png(png_data_uri(img)), img)




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
    assert val0.marker.color == "white" and val0.marker.line.color == CLASS_COLORS[0]
    assert val0.marker.symbol == fig.data[1].marker.symbol
    # the minimal call: boundary, one trace per class
    plain = decision_regions_figure(
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
    down = decision_regions_figure(
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
    bx, by = boundary_polylines(xs, ys, proba)
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
    bx, by = boundary_polylines(xs, ys, softmax(scores))
    assert np.isnan(bx).sum() == 1  # exactly one polyline
    np.testing.assert_allclose(bx[np.isfinite(bx)], 0.0, atol=1e-6)  # at x = 0
    assert np.nanmin(by) == pytest.approx(-1) and np.nanmax(by) == pytest.approx(1)


def test_single_class_everywhere_has_no_boundary():
    xs = ys = np.linspace(0, 1, 10)
    proba = np.zeros((10, 10, 3))
    proba[..., 1] = 1.0
    bx, by = boundary_polylines(xs, ys, proba)
    assert bx.size == 0 and by.size == 0


def test_class_point_traces_carry_each_points_value_and_a_custom_hover():
    from dashboard.charts.regions import class_point_traces
    from dashboard.charts.style import style_for

    rng = np.random.default_rng(7)
    X = rng.standard_normal((30, 2)).astype(np.float32)
    y = rng.integers(0, 3, 30)
    index = np.arange(30, dtype=np.int32)
    traces = class_point_traces(
        X,
        y,
        ["a", "b", "c"],
        style_for(False),
        validation=False,
        feature_labels=("x1", "x2"),
        customdata=index,
        hovertemplate="#%{{customdata}} {name}<extra></extra>",
    )
    for k, trace in enumerate(traces):
        got = np.asarray(trace["customdata"])
        np.testing.assert_array_equal(got, np.flatnonzero(y == k))  # the points' own indices
        np.testing.assert_array_equal(trace["x"], X[got, 0])
        assert trace["hovertemplate"] == "#%{customdata} " + "abc"[k] + "<extra></extra>"
    # without the keywords: no customdata, the default hover names the class and the part
    plain = class_point_traces(
        X, y, ["a", "b", "c"], style_for(False), validation=True, feature_labels=("u", "v")
    )
    assert "customdata" not in plain[0] and plain[0]["hovertemplate"].startswith("a (validation)")


def test_regions_layout_takes_another_subtitle():
    from dashboard.charts.regions import REGIONS_SUBTITLE, regions_layout
    from dashboard.charts.style import style_for

    s = style_for(False)
    args = (s, False, "t", ("x1", "x2"), (0, 1), (0, 1), {})
    assert regions_layout(*args)["title"]["subtitle"]["text"] == REGIONS_SUBTITLE
    assert regions_layout(*args, subtitle="底色")["title"]["subtitle"]["text"] == "底色"
