"""The Playground's charts: the five figures at one recorded step, and the Play animation.

Pure: a run's arrays in, figures out; built from the shared kit in ``dashboard.charts``.
"""

from __future__ import annotations

import numpy as np

from dashboard.charts.heatmaps import error_signal_figure, weights_heatmap_figure
from dashboard.charts.loss import loss_curve_figure
from dashboard.charts.regions import (
    boundary_polylines,
    check_grid,
    decision_regions_figure,
    layout_image,
    proba_to_rgb,
)
from dashboard.charts.style import deep_merge, make_figure, style_for


def playground_figures(run, k, presenter):
    """``{chart key: go.Figure}`` for the regions, loss, dW, error-signal and W charts.

    Parameters
    ----------
    run : PlaygroundRun
    k : int
        Recorded-step index into ``run.history``.
    presenter : bool
    """
    h = run.history
    step = int(h.step[k])
    class_names = run.data.class_names
    W, _, dW = run.weights_at(k)
    pred_train, pred_val = run.predictions_at(k)
    xs, ys, proba = run.regions_at(k)
    return {
        "regions_chart": decision_regions_figure(
            xs,
            ys,
            proba,
            run.X_train,
            run.y_train,
            X_val=run.X_val,
            y_val=run.y_val,
            pred_train=pred_train,
            pred_val=pred_val,
            class_names=class_names,
            x_range=run.x_range,
            y_range=run.y_range,
            feature_labels=run.data.feature_names,
            presenter=presenter,
            title=f"Decision regions at step {step}",
        ),
        "loss_chart": loss_curve_figure(
            h.step,
            h.loss,
            h.data_loss,
            h.reg_loss,
            train_accuracy=h.train_accuracy,
            val_accuracy=h.val_accuracy,
            grad_norm=h.grad_norm,
            selected_step=step,
            presenter=presenter,
        ),
        "dw_chart": weights_heatmap_figure(
            dW,
            run.feature_names,
            class_names,
            title=f"dW at step {step} (features × classes)",
            presenter=presenter,
        ),
        "error_chart": error_signal_figure(
            run.error_signal_at(k),
            run.y_train,
            class_names,
            presenter=presenter,
            title=f"Error signal q − onehot(y) at step {step}",
        ),
        "w_chart": weights_heatmap_figure(
            W,
            run.feature_names,
            class_names,
            title=f"W at step {step} (features × classes)",
            presenter=presenter,
        ),
    }


def animated_regions_figure(
    xs,
    ys,
    proba_stack,
    steps,
    X_train,
    y_train,
    *,
    class_names,
    x_range,
    y_range,
    feature_labels=("x1", "x2"),
    X_val=None,
    y_val=None,
    presenter=False,
    max_frames=60,
    frame_ms=30,
    title=None,
    strength=0.6,
):
    """Decision regions with client-side Play / Pause / Replay and a step slider.

    Why plotly animation frames: the whole run (at most ``max_frames`` snapshots) is
    shipped to the browser once, inside the figure, and plotly.js steps through it on its
    own timer: no Streamlit rerun and no websocket round trip per frame.

    Why a layout image and ``redraw=False`` (not an Image trace with ``redraw=True``):
    ``redraw=True`` re-renders the whole figure every frame (axes, legend, every marker);
    measured in headless Chromium with software rendering that is 55-110 ms per frame,
    9-11 fps. With ``redraw=False`` plotly.js only swaps the layout image's ``source`` and
    updates the boundary line's x / y, which keeps up with ``frame_ms`` = 30 ms (30 fps
    measured). plotly.js advances frames on animation-frame ticks (16.7 ms at 60 Hz), so
    40 ms would round up to 50 ms = 20 fps; 30 ms rounds to 33 ms.

    Payload: frames are subsampled evenly to ``max_frames`` (first and last kept); each
    carries one PNG (a few kB for a smooth 48-96 px grid) and the boundary polylines.

    Parameters
    ----------
    xs : array_like, shape (G_x,)
    ys : array_like, shape (G_y,)
    proba_stack : array_like, shape (K, G_y, G_x, C)
        Probability grids at the recorded steps (a reduced grid is enough).
    steps : array_like of int, shape (K,)
    X_train, y_train, X_val, y_val, class_names, x_range, y_range, feature_labels
        As in :func:`decision_regions_figure`.
    presenter : bool
    max_frames : int, default 60
    frame_ms : int, default 30
        Frame duration (see above).
    title : str, optional
    strength : float
        Background colour strength (see :func:`proba_to_rgb`).

    Returns
    -------
    fig : go.Figure
        Shows the last frame; Play starts from the first. The background is
        ``layout.images[0]``; trace 0 is the boundary, then the points as in
        :func:`decision_regions_figure`. The slider shows the current step.
        ``layout.meta`` has the keys of :func:`decision_regions_figure` (misclassified
        counts None) plus ``"n_frames"``, ``"frame_steps"`` and ``"frame_ms"``.
    """
    s = style_for(presenter)
    P = np.asarray(proba_stack, dtype=np.float32)
    steps = np.asarray(steps)
    if P.ndim != 4 or P.shape[0] != steps.size or steps.size == 0:
        raise ValueError(
            f"proba_stack must be (K, G_y, G_x, C) with K = len(steps) = "
            f"{steps.size} > 0, got {P.shape}"
        )
    if max_frames < 2:
        raise ValueError(f"max_frames must be at least 2, got {max_frames}")
    keep = np.unique(
        np.linspace(0, steps.size - 1, min(steps.size, max_frames)).round().astype(int)
    )
    names = [str(int(steps[i])) for i in keep]

    base = decision_regions_figure(
        xs,
        ys,
        P[keep[-1]],
        X_train,
        y_train,
        X_val=X_val,
        y_val=y_val,
        class_names=class_names,
        x_range=x_range,
        y_range=y_range,
        feature_labels=feature_labels,
        presenter=presenter,
        strength=strength,
        title=title or "Training: decision regions over the steps",
    ).to_plotly_json()
    data = base["data"]  # trace 0 = boundary; the background is a layout image

    images, frames = [], []
    for name, i in zip(names, keep, strict=True):
        fx, fy, pk = check_grid(xs, ys, P[i])
        images.append(layout_image(fx, fy, proba_to_rgb(pk, strength=strength)))
        bx, by = boundary_polylines(fx, fy, pk)
        # Every trace is listed (the static ones with an empty update): Streamlit's
        # bundled plotly.js 3.x erases the markers of traces a redraw=False frame leaves out.
        frames.append(
            dict(
                name=name,
                data=[dict(type="scatter", x=bx, y=by)] + [{} for _ in data[1:]],
                traces=list(range(len(data))),
                layout=dict(images=[images[-1]]),
            )
        )

    still = dict(
        frame=dict(duration=0, redraw=False), transition=dict(duration=0), mode="immediate"
    )
    play = dict(
        frame=dict(duration=int(frame_ms), redraw=False),
        transition=dict(duration=0),
        fromcurrent=True,
        mode="immediate",
    )
    # Controls stacked under the x axis title: buttons, then a full-width slider. Offsets
    # are in px (pad.t), since paper fractions would depend on the height.
    below_axis = int(2.2 * s.font + 34)
    button_h = s.font + 18
    extra = below_axis + button_h + 3 * s.font + 44 - s.margin["b"]
    layout = deep_merge(
        base["layout"],
        dict(
            images=[images[-1]],
            updatemenus=[
                dict(
                    type="buttons",
                    direction="left",
                    showactive=False,
                    x=0,
                    xanchor="left",
                    y=0,
                    yanchor="top",
                    pad=dict(t=below_axis, r=6),
                    font=dict(size=s.font),
                    buttons=[
                        dict(label="▶ Play", method="animate", args=[None, play]),
                        dict(label="❚❚ Pause", method="animate", args=[[None], still]),
                        dict(
                            label="⟲ Replay",
                            method="animate",
                            args=[None, dict(play, fromcurrent=False)],
                        ),
                    ],
                )
            ],
            sliders=[
                dict(
                    active=len(keep) - 1,
                    x=0,
                    len=1,
                    xanchor="left",
                    y=0,
                    yanchor="top",
                    pad=dict(t=below_axis + button_h + 6, b=0, l=0, r=0),
                    font=dict(size=s.font),
                    currentvalue=dict(prefix="step ", font=dict(size=s.font), xanchor="left"),
                    transition=dict(duration=0),  # the knob keeps up with the frames
                    # plotly.js thins overlapping step labels itself
                    steps=[dict(method="animate", args=[[n], still], label=n) for n in names],
                )
            ],
            margin=dict(b=s.margin["b"] + extra),
            height=s.height + extra,
            meta=dict(
                figure="animated_regions",
                n_frames=len(keep),
                frame_steps=[int(steps[i]) for i in keep],
                frame_ms=int(frame_ms),
            ),
        ),
    )
    layout["meta"] = {**base["layout"]["meta"], **layout["meta"]}
    return make_figure(data, layout, frames)
