"""Figures for the Derivation page's checks: numpy arrays in, ``go.Figure`` out.

The step-size V of a centred difference, the initial loss against log C, and the
softmax at several temperatures. Built from the chart kit's style pieces, with the
conventions of :mod:`dashboard.derivation.charts`; every word can be given in the page's
language through ``labels``.
"""

from __future__ import annotations

import math

import numpy as np

from dashboard.charts.style import (
    INK,
    as_float32,
    base_layout,
    class_colors,
    deep_merge,
    legend_below,
    make_axis,
    make_figure,
    style_for,
    vline,
)
from dashboard.derivation.charts import finite_list

__all__ = ["initial_loss_figure", "step_error_figure", "temperature_figure"]


def _class_label(j, name):
    """``q_j`` for a class named by its index, else ``q_j (name)``."""
    return f"q_{j}" if str(name) == str(j) else f"q_{j} ({name})"


def step_error_figure(
    h,
    rel_error,
    roundoff,
    truncation,
    *,
    best_h,
    default_h=1e-5,
    presenter=False,
    title=None,
    labels=None,
):
    """Relative error of a centred difference against its step h, log-log, with guides.

    Parameters
    ----------
    h, rel_error, roundoff, truncation : array_like, shape (K,)
        Steps, measured errors, and the two guide lines (eps/h and h² laws).
    best_h : float
        The step with the smallest measured error (marked).
    default_h : float
        The engine's default step (a dotted vertical line).
    presenter : bool
    title : str, optional
    labels : dict, optional
        Trace names ``measured``, ``roundoff``, ``truncation``, ``default``; axis titles
        ``x``, ``y`` (also in the hover); ``minimum`` (the marker's word).

    Returns
    -------
    fig : go.Figure
        ``layout.meta`` = ``{"figure": "step_error", "h", "rel_error", "best_h",
        "default_h"}``.
    """
    s = style_for(presenter)
    h = np.asarray(h, dtype=np.float64)
    err = np.asarray(rel_error, dtype=np.float64)
    names = {
        "measured": "measured |numerical − analytic| (relative)",
        "roundoff": "round-off ∝ ε/h",
        "truncation": "truncation ∝ h²",
        "default": "h = 1e-5 (default)",
        "x": "step h",
        "y": "relative error",
        "minimum": "min",
        **(labels or {}),
    }
    # Zero errors (exact agreement) cannot sit on a log axis: plot them at the floor.
    floor = 1e-17
    shown = np.where(err > floor, err, floor)
    lo = math.log10(floor)
    data = [
        dict(
            type="scatter",
            x=h,
            y=np.where(np.asarray(roundoff) > 0, roundoff, np.nan),
            mode="lines",
            name=names["roundoff"],
            line=dict(color="#E69F00", dash="dash", width=s.line),
            hoverinfo="skip",
        ),
        dict(
            type="scatter",
            x=h,
            y=np.where(np.asarray(truncation) > 0, truncation, np.nan),
            mode="lines",
            name=names["truncation"],
            line=dict(color="#009E73", dash="dot", width=s.line + 0.5),
            hoverinfo="skip",
        ),
        dict(
            type="scatter",
            x=h,
            y=shown,
            mode="lines+markers",
            name=names["measured"],
            line=dict(color="#0072B2", width=s.line + 0.5),
            marker=dict(size=s.marker - 1, color="#0072B2"),
            hovertemplate="h = %{x:.1e}<br>" + names["y"] + " = %{y:.2e}<extra></extra>",
        ),
    ]
    best_err = float(shown[int(np.argmin(np.abs(np.log(h / best_h))))])
    layout = deep_merge(
        base_layout(
            presenter,
            title=title or "Centred difference: error against the step h",
            height=s.height,
        ),
        dict(
            xaxis=make_axis(
                s,
                names["x"],
                type="log",
                range=[math.log10(h.min()) - 0.2, math.log10(h.max()) + 0.2],
                autorange=False,
                dtick=2,
                exponentformat="power",
            ),
            yaxis=make_axis(
                s,
                names["y"],
                type="log",
                range=[lo, 1.0],
                autorange=False,
                dtick=2,
                exponentformat="power",
            ),
            shapes=[vline(default_h, s)],
            annotations=[
                dict(
                    x=math.log10(default_h),
                    xref="x",
                    y=1,
                    yref="paper",
                    yanchor="top",
                    xanchor="right",  # the line stands right of centre: the room is on its left
                    text=f"{names['default']} ",
                    showarrow=False,
                    font=dict(size=s.font),
                    bgcolor="rgba(255,255,255,0.8)",
                ),
                dict(
                    x=math.log10(best_h),
                    y=math.log10(best_err),
                    xref="x",
                    yref="y",
                    text=f"{names['minimum']} {best_err:.1e}",
                    showarrow=True,
                    arrowhead=2,
                    ax=0,
                    ay=40,
                    font=dict(size=s.font),
                    bgcolor="rgba(255,255,255,0.85)",
                ),
            ],
            meta=dict(
                figure="step_error",
                h=finite_list(h),
                rel_error=finite_list(err),
                best_h=float(best_h),
                default_h=float(default_h),
            ),
        ),
    )
    return make_figure(data, deep_merge(layout, legend_below(presenter, data)))


def initial_loss_figure(
    class_counts,
    losses,
    *,
    model_classes=None,
    model_loss=None,
    presenter=False,
    title=None,
    labels=None,
):
    """Loss at small random W against log C: the points sit on the diagonal.

    Parameters
    ----------
    class_counts : array_like of int, shape (K,)
    losses : array_like, shape (K,)
    model_classes, model_loss : optional
        The trained model's own C and step-0 loss, drawn as a star.
    presenter : bool
    title : str, optional
    labels : dict, optional
        ``random``, ``model``, ``diagonal`` trace names; ``x``, ``y`` axis titles (``y``
        also in the hover).

    Returns
    -------
    fig : go.Figure
        ``layout.meta`` = ``{"figure": "initial_loss", "C", "loss", "model_loss"}``.
    """
    s = style_for(presenter)
    Cs = np.asarray(class_counts, dtype=np.float64)
    losses = np.asarray(losses, dtype=np.float64)
    names = {
        "random": "small random W",
        "model": "your model at step 0",
        "diagonal": "loss = log C",
        "x": "log C",
        "y": "loss",
        **(labels or {}),
    }
    logC = np.log(Cs)
    top = float(max(np.nanmax(losses), np.nanmax(logC))) * 1.08 + 0.05
    data = [
        dict(
            type="scatter",
            x=np.array([0.0, top]),
            y=np.array([0.0, top]),
            mode="lines",
            name=names["diagonal"],
            line=dict(color="#888", dash="dash", width=s.line),
            hoverinfo="skip",
        ),
        dict(
            type="scatter",
            x=logC,
            y=losses,
            mode="markers+text",
            name=names["random"],
            marker=dict(size=s.marker + 2, color="#0072B2", line=dict(color=INK, width=1)),
            text=[f"C={int(c)}" for c in Cs],
            textposition="top left",
            textfont=dict(size=s.font - 2),
            hovertemplate="%{text}<br>log C = %{x:.4f}<br>" + names["y"] + " = %{y:.4f}"
            "<extra></extra>",
        ),
    ]
    if model_classes is not None and model_loss is not None:
        data.append(
            dict(
                type="scatter",
                x=np.array([math.log(model_classes)]),
                y=np.array([float(model_loss)]),
                mode="markers",
                name=names["model"],
                marker=dict(
                    size=s.marker + 10,
                    symbol="star",
                    color="#D55E00",
                    line=dict(color=INK, width=1),
                ),
                hovertemplate="log C = %{x:.4f}<br>" + names["y"] + " = %{y:.4f}<extra></extra>",
            )
        )
    layout = deep_merge(
        base_layout(presenter, title=title or "Initial loss ≈ log C", height=s.height - 40),
        dict(
            xaxis=make_axis(s, names["x"], range=[0.0, top], autorange=False),
            yaxis=make_axis(s, names["y"], range=[0.0, top], autorange=False),
            meta=dict(
                figure="initial_loss",
                C=[int(c) for c in Cs],
                loss=finite_list(losses),
                model_loss=None if model_loss is None else float(model_loss),
            ),
        ),
    )
    return make_figure(data, deep_merge(layout, legend_below(presenter, data)))


def temperature_figure(T, Q, class_names, label, *, presenter=False, title=None, labels=None):
    """q_j(T) = softmax(s / T)_j against the temperature T (log axis), one line per class.

    Parameters
    ----------
    T : array_like, shape (K,)
    Q : array_like, shape (K, C)
    class_names : sequence of str, length C
    label : int
        True class (thicker line, ★ in its name).
    presenter : bool
    title : str, optional
    labels : dict, optional
        ``x`` axis title, ``T1`` line label.

    Returns
    -------
    fig : go.Figure
        ``layout.meta`` = ``{"figure": "temperature", "T", "q_at_T1"}``.
    """
    s = style_for(presenter)
    T = np.asarray(T, dtype=np.float64)
    Q = np.asarray(Q, dtype=np.float64)
    C = len(class_names)
    if Q.shape != (T.size, C):
        raise ValueError(f"Q must have shape ({T.size}, {C}), got {Q.shape}")
    names = {
        "x": "temperature T (scores / T)",
        "y": "q_j",
        "T1": "T = 1: the model's q",
        **(labels or {}),
    }
    colors = class_colors(C)
    label = int(label)
    data = []
    for j in range(C):
        data.append(
            dict(
                type="scatter",
                x=T,
                y=as_float32(Q[:, j]),
                mode="lines",
                name=_class_label(j, class_names[j]) + (" ★" if j == label else ""),
                line=dict(color=colors[j], width=s.line + (2 if j == label else 0)),
                hovertemplate=f"T = %{{x:.3g}}<br>q = %{{y:.4f}}<extra>{class_names[j]}</extra>",
            )
        )
    i1 = int(np.argmin(np.abs(np.log(T))))
    layout = deep_merge(
        base_layout(presenter, title=title or "Temperature: softmax(s / T)", height=s.height - 20),
        dict(
            hovermode="x unified",
            xaxis=make_axis(
                s,
                names["x"],
                type="log",
                range=[math.log10(T.min()), math.log10(T.max())],
                autorange=False,
            ),
            yaxis=make_axis(s, names["y"], range=[0.0, 1.02], autorange=False),
            shapes=[vline(1.0, s)],
            annotations=[
                dict(
                    x=0.0,
                    xref="x",
                    y=1,
                    yref="paper",
                    yanchor="top",
                    xanchor="center",  # T = 1 is mid-axis: half the text on each side
                    text=names["T1"],
                    showarrow=False,
                    font=dict(size=s.font),
                    bgcolor="rgba(255,255,255,0.8)",
                )
            ],
            meta=dict(figure="temperature", T=finite_list(T), q_at_T1=finite_list(Q[i1])),
        ),
    )
    return make_figure(data, deep_merge(layout, legend_below(presenter, data)))
