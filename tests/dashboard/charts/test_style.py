"""The kit's palette and conventions every figure follows: sizes, typed arrays, validation."""

from __future__ import annotations

import json
import time

import numpy as np
import plotly.graph_objects as go
import pytest

from dashboard.charts.heatmaps import error_signal_figure, weights_heatmap_figure
from dashboard.charts.loss import loss_curve_figure
from dashboard.charts.regions import decision_regions_figure
from dashboard.charts.style import (
    CLASS_COLORS,
    CLASS_SYMBOLS,
    base_layout,
    class_colors,
    legend_below,
    text_width_em,
    wrap_text,
)
from tests.dashboard.charts.samples import (
    all_figures,
    history,
    linear_grid,
    loss_fig,
    regions,
    softmax,
)


def test_palette_is_okabe_ito_and_has_ten_distinct_colours():
    assert CLASS_COLORS[:7] == (
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#CC79A7",
        "#56B4E9",
        "#D55E00",
        "#F0E442",
    )
    assert len(set(CLASS_COLORS)) == 10 and len(set(CLASS_SYMBOLS)) == 10
    with pytest.raises(ValueError, match="n_classes"):
        class_colors(11)






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
        decision_regions_figure(
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
        decision_regions_figure(
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
        loss_curve_figure(h["steps"], h["loss"], h["data_loss"][:-1], h["reg_loss"])
    with pytest.raises(ValueError, match="M must have shape"):
        weights_heatmap_figure(np.zeros((3, 2)), ["x1", "x2"], ["a", "b"], title="W")
    with pytest.raises(ValueError, match="E must be"):
        error_signal_figure(np.zeros((4, 2)), np.zeros(4, int), ["a", "b", "c"])


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
        "regions": lambda: decision_regions_figure(
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
        "dW": lambda: weights_heatmap_figure(W, ["x1", "x2"], names, title="dW"),
        "error": lambda: error_signal_figure(q - np.eye(C)[y], y, names),
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


@pytest.mark.parametrize(
    "text",
    [
        "Per-sample gradient ∂L_i/∂W = x_iᵀ(q_i − p) of sample #210",
        "样本 #210 的逐样本梯度 ∂L_i/∂W = x_iᵀ(q_i − p)",
        "shade: class probabilities blended (muddy = uncertain)",
    ],
)
@pytest.mark.parametrize("max_em", [6.0, 10.0, 16.0])
def test_wrapped_lines_fit_and_keep_every_word(text, max_em):
    wrapped, n_lines = wrap_text(text, max_em)
    lines = wrapped.split("<br>")
    assert len(lines) == n_lines
    for line in lines:  # a line is over the budget only when it is one unbreakable word
        assert text_width_em(line) <= max_em or " " not in line.strip()
    # nothing lost or added: the same characters, spaces aside
    assert "".join(wrapped.replace("<br>", "").split()) == "".join(text.split())


def test_cjk_text_breaks_between_characters():
    wrapped, n_lines = wrap_text("链式法则与闭式解的相对误差", 4)
    assert n_lines == 4 and all(len(line) <= 4 for line in wrapped.split("<br>"))


def test_a_long_title_wraps_and_pushes_the_plot_down():
    short = base_layout(True, title="W at step 300")
    long = base_layout(True, title="Per-sample gradient ∂L_i/∂W = x_iᵀ(q_i − p) of sample #210")
    assert "<br>" not in short["title"]["text"] and "<br>" in long["title"]["text"]
    assert long["margin"]["t"] > short["margin"]["t"]
    # the same title on a full-width chart needs fewer lines than in half a page
    full = base_layout(True, title=long["title"]["text"].replace("<br>", " "), width_share=1)
    assert full["title"]["text"].count("<br>") < long["title"]["text"].count("<br>")


def test_the_legend_takes_more_rows_and_margin_as_its_entries_grow():
    names = ["total loss", "data loss", "reg. loss", "train accuracy", "val. accuracy"]
    one = legend_below(True, [dict(name=names[0])])
    five = legend_below(True, [dict(name=n) for n in names])
    narrow = legend_below(True, [dict(name=n) for n in names], width_share=0.3)
    hidden = legend_below(True, [dict(name=names[0])] + [dict(name=n, showlegend=False)
                                                         for n in names])
    assert one["margin"]["b"] < five["margin"]["b"] < narrow["margin"]["b"]
    assert hidden["margin"]["b"] == one["margin"]["b"]  # entries not shown take no room
    assert five["legend"]["yref"] == "container" and five["legend"]["yanchor"] == "bottom"
