"""The Playground's Play animation: frames, controls and payload."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.charts.regions import boundary_polylines
from dashboard.playground.charts import animated_regions_figure
from tests.dashboard.charts.samples import decode_png, expected_rgb, linear_grid, softmax


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
    fig = animated_regions_figure(
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
    bx, _ = boundary_polylines(xs, ys, stack[step_k])
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
    fig = animated_regions_figure(
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
