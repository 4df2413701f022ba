"""Signed heatmaps: centred at zero, fixed ranges, the error signal's row order, the Jacobian."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.charts.heatmaps import error_signal_figure, jacobian_figure, weights_heatmap_figure


def test_weights_heatmap_is_zero_centred_and_symmetric():
    M = np.array([[0.5, -2.0, 0.1], [1.0, 0.0, -0.3]])
    fig = weights_heatmap_figure(
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
    hm = weights_heatmap_figure(M, ["x1", "x2"], ["a", "b"], title="W").data[0]
    assert np.isfinite(hm.z[0]).all() and hm.z[0, 0] > 1e38 and hm.z[0, 1] < -1e38
    assert np.isnan(hm.z[1, 1])  # a real inf is a gap
    assert np.isfinite(hm.zmax)


def test_weights_heatmap_fixed_zmax_and_no_text_when_large():
    rng = np.random.default_rng(4)
    M = rng.normal(size=(30, 4))
    fig = weights_heatmap_figure(
        M, [f"rbf {i}" for i in range(30)], list("abcd"), title="W", zmax=5.0
    )
    hm = fig.data[0]
    assert hm.zmax == 5.0 and hm.zmin == -5.0
    assert not hm.texttemplate and fig.layout.meta["text_shown"] is False
    zero = weights_heatmap_figure(np.zeros((2, 2)), ["x1", "x2"], ["a", "b"], title="W")
    assert zero.data[0].zmax == 1.0  # all-zero matrix: a valid range, not [0, 0]


def test_error_signal_rows_grouped_by_class_and_sorted():
    rng = np.random.default_rng(5)
    N, C = 60, 3
    y = rng.integers(0, C, N)
    q = rng.dirichlet(np.ones(C), size=N)
    E = q - np.eye(C)[y]
    fig = error_signal_figure(E, y, ["a", "b", "c"])
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
    a = error_signal_figure(E, y, list("abcd"), max_rows=200)
    b = error_signal_figure(E, y, list("abcd"), max_rows=200)
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
    fig = jacobian_figure(J, ["a", "b", "c"])
    hm = fig.data[0]
    np.testing.assert_allclose(hm.z, J, rtol=1e-6)
    assert hm.zmid == 0 and (hm.zmin, hm.zmax) == (-0.25, 0.25)
    assert fig.layout.meta["shape"] == [3, 3]
    assert fig.layout.meta["text_shown"] is True
    assert fig.layout.xaxis.title.text == "score s_j" and "value =" in hm.hovertemplate


def test_jacobian_figure_takes_labels_in_another_language():
    q = np.array([0.5, 0.3, 0.2])
    J = np.diag(q) - np.outer(q, q)
    labels = {"rows": "概率", "cols": "得分", "row_name": "行", "col_name": "列", "value": "值"}
    fig = jacobian_figure(J, ["a", "b", "c"], labels=labels, show_text=False)
    hm = fig.data[0]
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("得分", "概率")
    assert "值 =" in hm.hovertemplate and hm.hovertext[0][1] == "行 a · 列 b"
    assert hm.texttemplate == "" and fig.layout.meta["text_shown"] is False
    np.testing.assert_allclose(hm.z, J, rtol=1e-6)
