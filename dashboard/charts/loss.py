"""The loss curve: total, data and regularization loss, accuracies, gradient norm.

Pure: arrays in, ``go.Figure`` out.
"""

from __future__ import annotations

import numpy as np

from dashboard.charts.style import (
    as_float32,
    base_layout,
    deep_merge,
    fixed_margins,
    legend_below,
    make_axis,
    make_figure,
    style_for,
    vline,
)

# Loss-curve colours: Okabe-Ito again, plus dash patterns so no pair relies on hue.
_LOSS_STYLE = {
    "total": dict(color="#000000", dash="solid"),
    "data": dict(color="#0072B2", dash="solid"),
    "reg": dict(color="#E69F00", dash="dash"),
    "train_acc": dict(color="#009E73", dash="dot"),
    "val_acc": dict(color="#D55E00", dash="dashdot"),
    "grad": dict(color="#CC79A7", dash="solid"),
}




def finite_range(arrays, *, log=False, pad=0.05):
    """Axis range over the finite values of ``arrays``: [min(0, lo), hi + pad] or, for a
    log axis, [log10 lo, log10 hi] of the positive values, padded."""
    vals = np.concatenate([np.ravel(np.asarray(a, float)) for a in arrays])
    vals = vals[np.isfinite(vals)]
    if log:
        vals = vals[vals > 0]
    if vals.size == 0:
        return [0.0, 1.0]
    if log:
        lo, hi = np.log10(vals.min()), np.log10(vals.max())
        span = max(hi - lo, 0.5)
        return [float(lo - pad * span), float(hi + pad * span)]
    lo, hi = min(float(vals.min()), 0.0), float(vals.max())
    span = hi - lo if hi > lo else 1.0
    return [lo, hi + pad * span]


def loss_curve_figure(
    steps,
    loss,
    data_loss,
    reg_loss,
    *,
    train_accuracy=None,
    val_accuracy=None,
    grad_norm=None,
    selected_step=None,
    presenter=False,
    log_y=False,
    title=None,
    width_share=0.5,
):
    """Loss and accuracy over training, gradient norm below, the selected step marked.

    Row 1: total, data and regularization loss (left axis) and train / validation
    accuracy (right axis, fixed 0-100 %). Row 2 (only if ``grad_norm`` has a finite
    value): the gradient norm ``||dW||`` on a log axis, where its decay over decades stays
    readable. Every range comes from the whole history, so moving the selected step only
    moves the marker.

    Parameters
    ----------
    steps : array_like of int, shape (K,)
        Recorded steps, increasing.
    loss, data_loss, reg_loss : array_like, shape (K,)
        Total = data + regularization loss. Non-finite values show as gaps; an
        all-NaN series is left out.
    train_accuracy, val_accuracy : array_like, shape (K,), optional
        In [0, 1]; an all-NaN series (e.g. no validation set) is left out.
    grad_norm : array_like, shape (K,), optional
    selected_step : int, optional
        Marked by a dotted vertical line through both rows, labelled "step N".
    presenter : bool
    log_y : bool, default False
        Log scale for the loss axis (for a loss spanning decades, or diverging).
    title : str, optional
    width_share : float, default 0.5
        The chart's share of the page width, for the legend's rows (see ``legend_below``).

    Returns
    -------
    fig : go.Figure
        Axes: x/y (losses), y2 (accuracy, overlaying y), x2/y3 (gradient norm).
        ``layout.meta`` = ``{"figure": "loss_curve", "traces": [trace names],
        "selected_step", "x_range", "n_steps", "log_y", "has_grad_norm"}``.
    """
    s = style_for(presenter)
    steps = np.asarray(steps)
    K = steps.size
    if K == 0:
        raise ValueError("steps is empty: nothing to plot")
    series = {
        "loss": loss,
        "data_loss": data_loss,
        "reg_loss": reg_loss,
        "train_accuracy": train_accuracy,
        "val_accuracy": val_accuracy,
        "grad_norm": grad_norm,
    }
    for name, a in series.items():
        if a is not None and np.shape(a) != (K,):
            raise ValueError(f"{name} must have shape ({K},) like steps, got {np.shape(a)}")
    # Every trace carries x explicitly (callers and tests decode trace["x"]); int32 steps.
    x = steps.astype(np.int32) if np.issubdtype(steps.dtype, np.integer) else as_float32(steps)
    x_range = [0.0, float(max(steps[-1], 1))]
    has_grad = grad_norm is not None and bool(np.isfinite(np.asarray(grad_norm, float)).any())

    data, names = [], []

    def add(key, a, label, yaxis="y", xaxis="x", width=s.line, fmt=".4g"):
        if a is None:
            return
        a = as_float32(a)
        if not np.isfinite(a).any():
            return  # e.g. no validation set: the trace is left out, not drawn empty
        st = _LOSS_STYLE[key]
        data.append(
            dict(
                type="scatter",
                x=x,
                y=a,
                mode="lines",
                name=label,
                xaxis=xaxis,
                yaxis=yaxis,
                line=dict(color=st["color"], dash=st["dash"], width=width),
                hovertemplate=f"%{{y:{fmt}}}<extra>{label}</extra>",
            )
        )
        names.append(label)

    add("total", loss, "total loss", width=s.line + 1)
    add("data", data_loss, "data loss")
    add("reg", reg_loss, "reg. loss")
    add("train_acc", train_accuracy, "train accuracy", yaxis="y2", fmt=".1%")
    add("val_acc", val_accuracy, "val. accuracy", yaxis="y2", fmt=".1%")
    if has_grad:
        add("grad", grad_norm, "gradient norm", xaxis="x2", yaxis="y3", fmt=".3g")

    losses = [a for a in (loss, data_loss, reg_loss) if a is not None]
    top = [0.36, 1.0] if has_grad else [0.0, 1.0]
    layout = deep_merge(
        base_layout(presenter, title=title or "Loss and accuracy", height=s.height + 80),
        dict(
            hovermode="x unified",
            uirevision="loss-curve",
            xaxis=make_axis(
                s,
                None if has_grad else "step",
                range=x_range,
                autorange=False,
                anchor="y",
                showticklabels=not has_grad,
            ),
            yaxis=make_axis(
                s,
                "loss",
                range=finite_range(losses, log=log_y),
                autorange=False,
                type="log" if log_y else "linear",
                domain=top,
            ),
            yaxis2=make_axis(
                s,
                "accuracy",
                range=[0.0, 1.02],
                autorange=False,
                overlaying="y",
                side="right",
                anchor="x",
                showgrid=False,
                tickformat=".0%",
                tickmode="array",
                tickvals=[0.0, 0.25, 0.5, 0.75, 1.0],
            ),
            meta=dict(
                figure="loss_curve",
                traces=names,
                selected_step=None if selected_step is None else int(selected_step),
                x_range=x_range,
                n_steps=int(K),
                log_y=bool(log_y),
                has_grad_norm=has_grad,
            ),
        ),
    )
    if has_grad:
        layout["xaxis2"] = make_axis(
            s, "step", range=x_range, autorange=False, anchor="y3", matches="x"
        )
        layout["yaxis3"] = make_axis(
            s,
            "‖(dW, db)‖",  # the full gradient: weights and biases
            type="log",
            autorange=False,
            domain=[0.0, 0.27],
            range=finite_range([grad_norm], log=True),
            anchor="x2",
            dtick=1,
        )  # one label per decade
    if selected_step is not None:
        layout["shapes"] = [vline(selected_step, s, name="selected step")]
        layout["annotations"] = [
            dict(
                x=selected_step,
                xref="x",
                y=top[1],
                yref="paper",
                yanchor="top",
                # keep the label inside the plot, clear of the accuracy axis on the right
                xanchor="right" if selected_step > (x_range[0] + x_range[1]) / 2 else "left",
                text=f" step {int(selected_step)} ",
                showarrow=False,
                font=dict(size=s.font, color="#222"),
                bgcolor="rgba(255,255,255,0.8)",
            )
        ]
    # Legend in rows below the "step" axis title: in a narrow column it wraps, and above
    # the plot it would run into the title.
    layout = deep_merge(layout, legend_below(presenter, data, width_share=width_share))
    return make_figure(data, fixed_margins(layout, s, r=50))
