"""Figure builders for the Datasets and Sweep pages: arrays in, ``go.Figure`` out.

Pure functions built from the shared chart kit, ``dashboard.charts`` (sizes from
``style_for``, the shared base layout, the diverging RdBu scale, typed arrays,
``layout.meta`` for tests). No Streamlit, no engine import.
"""

from __future__ import annotations

import math

import numpy as np

from dashboard.charts.style import (
    DIVERGING_COLORSCALE,
    as_float32,
    base_layout,
    colorbar,
    deep_merge,
    index_axis,
    make_axis,
    make_figure,
    style_for,
    symmetric_max,
)

__all__ = [
    "confusion_matrix_figure",
    "precision_recall_figure",
    "sweep_heatmap_figure",
    "weight_templates_figure",
]

# Sequential, colour-blind safe and monotone in lightness (prints in greyscale).
_BLUES = [
    [0.0, "#f7fbff"],
    [0.125, "#deebf7"],
    [0.25, "#c6dbef"],
    [0.375, "#9ecae1"],
    [0.5, "#6baed6"],
    [0.625, "#4292c6"],
    [0.75, "#2171b5"],
    [0.875, "#08519c"],
    [1.0, "#08306b"],
]
_VIRIDIS = [
    [0.0, "#440154"],
    [0.1111, "#482878"],
    [0.2222, "#3e4989"],
    [0.3333, "#31688e"],
    [0.4444, "#26828e"],
    [0.5556, "#1f9e89"],
    [0.6667, "#35b779"],
    [0.7778, "#6ece58"],
    [0.8889, "#b5de2b"],
    [1.0, "#fde725"],
]
_VIRIDIS_R = [[round(1.0 - p, 4), c] for p, c in reversed(_VIRIDIS)]
_DIVERGED_BG = "#c8c8c8"  # a diverged cell: no colour, grey, with a ×
INK = "#1a1a1a"


# ----------------------------------------------------------------------------- confusion


def confusion_matrix_figure(M, class_names, *, title=None, presenter=False):
    """Confusion matrix: rows = true class, columns = predicted class, counts in the cells.

    Cells are shaded by the share of their row (the recall of the true class for the
    diagonal), so a small class's mistakes are as visible as a large one's.

    Parameters
    ----------
    M : array_like of int, shape (C, C)
        ``M[i, j]`` = samples of true class i predicted as j (``sklearn.metrics``'s layout).
    class_names : sequence of str, length C
    title : str, optional
    presenter : bool

    Returns
    -------
    go.Figure
        One heatmap with z = row shares in [0, 1] and the counts as text.
        ``layout.meta`` = ``{"figure": "confusion_matrix", "counts": M as lists, "n"}``.
    """
    s = style_for(presenter)
    M = np.asarray(M)
    C = len(class_names)
    if M.shape != (C, C):
        raise ValueError(f"M must have shape ({C}, {C}) for {C} class names, got {M.shape}")
    rows = M.sum(axis=1, keepdims=True)
    share = np.divide(M, rows, out=np.zeros(M.shape), where=rows > 0)
    counts = M.astype(np.int32)
    show_text = C <= 20
    height = int(s.height + max(0, C - 10) * (24 if presenter else 16))
    heat = dict(
        type="heatmap",
        z=share.astype(np.float32),
        x=np.arange(C, dtype=np.int32),
        y=np.arange(C, dtype=np.int32),
        customdata=counts,
        colorscale=_BLUES,
        zmin=0.0,
        zmax=1.0,
        text=counts.astype(str) if show_text else None,
        texttemplate="%{text}" if show_text else "",
        textfont=dict(size=s.cell_text if C <= 10 else max(9, s.cell_text - 3)),
        hovertext=np.array(  # by name: the axes are positions
            [
                [f"true {class_names[i]}, predicted {class_names[j]}" for j in range(C)]
                for i in range(C)
            ],
            dtype=object,
        ),
        hovertemplate=(
            "%{hovertext}<br>%{customdata} samples (%{z:.0%} of the true class)<extra></extra>"
        ),
        xgap=1,
        ygap=1,
        colorbar=_side_colorbar(s, "share of the true class", ".0%"),
    )
    layout = deep_merge(
        base_layout(presenter, title=title or "Confusion matrix", height=height),
        dict(
            xaxis=index_axis(s, "predicted class", class_names, side="bottom"),
            yaxis=index_axis(s, "true class", class_names, reverse=True),
            meta=dict(figure="confusion_matrix", counts=counts.tolist(), n=int(M.sum())),
        ),
    )
    return make_figure([heat], layout)


# ----------------------------------------------------------------------------- precision


def precision_recall_figure(
    precision, recall, class_names, *, support=None, title=None, presenter=False
):
    """Per-class precision and recall as grouped bars on a fixed 0-100 % axis.

    Parameters
    ----------
    precision, recall : array_like, shape (C,)
        In [0, 1], e.g. from ``sklearn.metrics.precision_recall_fscore_support``.
    class_names : sequence of str, length C
    support : array_like of int, shape (C,), optional
        Samples per true class, shown in the hover.
    title : str, optional
    presenter : bool

    Returns
    -------
    go.Figure
        Two bar traces, "precision" and "recall". ``layout.meta`` = ``{"figure":
        "precision_recall", "precision": [...], "recall": [...]}``.
    """
    s = style_for(presenter)
    C = len(class_names)
    p = np.asarray(precision, dtype=float)
    r = np.asarray(recall, dtype=float)
    if p.shape != (C,) or r.shape != (C,):
        raise ValueError(f"precision and recall must have shape ({C},), got {p.shape}, {r.shape}")
    sup = np.zeros(C, np.int32) if support is None else np.asarray(support).astype(np.int32)
    x = np.arange(C, dtype=np.int32)
    show_text = C <= 6
    traces = []
    for name, values, color, pattern in (
        ("precision", p, "#0072B2", ""),
        ("recall", r, "#E69F00", "/"),
    ):
        traces.append(
            dict(
                type="bar",
                name=name,
                x=x,
                y=values.astype(np.float32),
                customdata=sup,
                marker=dict(
                    color=color,
                    pattern=dict(shape=pattern, fgcolor="#ffffff", fillmode="overlay"),
                ),
                text=[f"{v:.0%}" for v in values] if show_text else None,
                textposition="outside" if show_text else "none",
                textfont=dict(size=s.cell_text if C <= 5 else max(9, s.cell_text - 2)),
                cliponaxis=False,
                hovertemplate=(
                    f"{name} of class %{{x}}: %{{y:.1%}}<br>(%{{customdata}} true samples)"
                    "<extra></extra>"
                ),
            )
        )
    layout = deep_merge(
        base_layout(presenter, title=title or "Precision and recall per class"),
        dict(
            barmode="group",
            bargap=0.25,
            xaxis=index_axis(s, "class", class_names, side="bottom"),
            yaxis=make_axis(
                s,
                None,
                range=[0.0, 1.12],
                autorange=False,
                tickformat=".0%",
                tickmode="array",
                tickvals=[0.0, 0.25, 0.5, 0.75, 1.0],
            ),
            legend=dict(orientation="h", x=1.0, xanchor="right", y=1.0, yanchor="bottom"),
            meta=dict(
                figure="precision_recall",
                precision=[float(v) for v in p],
                recall=[float(v) for v in r],
            ),
        ),
    )
    return make_figure(traces, layout)


# ----------------------------------------------------------------------------- templates


def weight_templates_figure(W, class_names, shape, *, title=None, presenter=False, ncols=5):
    """Each class's weights as an image (CS231n's class templates), one shared colour scale.

    Parameters
    ----------
    W : array_like, shape (D, C)
        Weights with D = rows · cols features in row-major pixel order.
    class_names : sequence of str, length C
    shape : (int, int)
        Image shape (rows, cols), e.g. (8, 8) for scikit-learn's digits.
    title : str, optional
    presenter : bool
    ncols : int
        Images per row.

    Returns
    -------
    go.Figure
        C heatmaps (row 0 of each image at the top), diverging colours centred at 0 with
        a symmetric range shared by all classes. ``layout.meta`` = ``{"figure":
        "weight_templates", "shape": [rows, cols], "n_classes", "zmax"}``.
    """
    s = style_for(presenter)
    W = as_float32(W)
    rows, cols = (int(v) for v in shape)
    C = len(class_names)
    if W.shape != (rows * cols, C):
        raise ValueError(f"W must have shape ({rows * cols}, {C}), got {W.shape}")
    zmax = symmetric_max(W, None)
    ncols = max(1, min(int(ncols), C))
    nrows = math.ceil(C / ncols)
    gap_x, gap_y = 0.025, 0.09
    width = (1.0 - gap_x * (ncols - 1)) / ncols
    height_frac = (1.0 - gap_y * (nrows - 1)) / nrows
    data, annotations, layout_axes = [], [], {}
    for k in range(C):
        r, c = divmod(k, ncols)
        n = "" if k == 0 else str(k + 1)
        x0 = c * (width + gap_x)
        y1 = 1.0 - r * (height_frac + gap_y)
        x_dom = [round(max(0.0, x0), 6), round(min(1.0, x0 + width), 6)]
        y_dom = [round(max(0.0, y1 - height_frac), 6), round(min(1.0, y1), 6)]
        data.append(
            dict(
                type="heatmap",
                z=W[:, k].reshape(rows, cols),
                x=np.arange(cols, dtype=np.int32),
                y=np.arange(rows, dtype=np.int32),
                xaxis=f"x{n}",
                yaxis=f"y{n}",
                coloraxis="coloraxis",
                name=str(class_names[k]),
                hovertemplate=(
                    f"class {class_names[k]}<br>pixel row %{{y}}, column %{{x}}"
                    "<br>weight %{z:.3g}<extra></extra>"
                ),
            )
        )
        common = dict(
            showticklabels=False, ticks="", showgrid=False, zeroline=False, showline=False
        )
        layout_axes[f"xaxis{n}"] = dict(
            common,
            domain=x_dom,
            range=[-0.5, cols - 0.5],
            anchor=f"y{n}",
            constrain="domain",
        )
        layout_axes[f"yaxis{n}"] = dict(
            common,
            domain=y_dom,
            range=[rows - 0.5, -0.5],
            anchor=f"x{n}",
            scaleanchor=f"x{n}",
            constrain="domain",
        )
        annotations.append(
            dict(
                text=f"<b>{class_names[k]}</b>",
                xref=f"x{n} domain",
                yref=f"y{n} domain",
                x=0.5,
                y=1.0,
                yanchor="bottom",
                showarrow=False,
                font=dict(size=s.title - 2),
            )
        )
    cell_px = 150 if presenter else 112
    height = int(s.margin["t"] + s.margin["b"] + nrows * cell_px * 1.25 + 40)
    layout = deep_merge(
        base_layout(
            presenter,
            title=title or "Weight templates: each class's weights as an image",
            subtitle="red pixels raise the class score, blue pixels lower it",
            height=height,
        ),
        dict(
            coloraxis=dict(
                colorscale=DIVERGING_COLORSCALE,
                cmin=-zmax,
                cmax=zmax,
                cmid=0.0,
                colorbar=colorbar(s, "weight"),
            ),
            annotations=annotations,
            meta=dict(
                figure="weight_templates",
                shape=[rows, cols],
                n_classes=int(C),
                zmax=zmax,
            ),
            **layout_axes,
        ),
    )
    return make_figure(data, layout)


# ----------------------------------------------------------------------------- sweep


def sweep_heatmap_figure(
    z,
    learning_rates,
    regs,
    diverged,
    *,
    kind,
    title=None,
    zrange=None,
    selected=None,
    best=None,
    final_step=None,
    presenter=False,
    subtitle=None,
):
    """A (learning rate × regularization) heatmap of a sweep result.

    Columns are learning rates, rows regularization strengths, both increasing away from
    the origin and labelled with their values (log-spaced options, so equal steps on the
    axes are roughly equal factors). Diverged cells are grey with a ×, and say so on hover.

    Parameters
    ----------
    z : array_like, shape (n_lr, n_reg)
        The value per cell (``SweepResult`` layout: ``[i, j]`` = ``learning_rates[i]``,
        ``regs[j]``). Diverged cells keep their last finite value, shown only in the hover.
    learning_rates : array_like, shape (n_lr,)
    regs : array_like, shape (n_reg,)
    diverged : array_like of bool, shape (n_lr, n_reg)
    kind : {"accuracy", "loss"}
        Accuracy: 0-100 %, bright = high. Loss: bright = low (reversed scale), range
        ``zrange`` (values beyond it saturate).
    title, subtitle : str, optional
    zrange : (float, float), optional
        Colour range; default [0, 1] for accuracy and the finite range for loss.
    selected : (int, int), optional
        Cell (i, j) outlined in black: the one the picker holds.
    best : (int, int), optional
        Cell (i, j) marked with a star.
    final_step : array_like of int, shape (n_lr, n_reg), optional
        The last good step of each cell, named in a diverged cell's hover.
    presenter : bool

    Returns
    -------
    go.Figure
        Traces: the heatmap, the "diverged" × markers, the "best" star, and an invisible
        "cells" scatter (one point per cell, ``customdata`` = [i, j]) that makes a click
        on a cell a selectable point. ``layout.meta`` = ``{"figure": "sweep_heatmap",
        "kind", "shape": [n_lr, n_reg], "n_diverged", "selected", "best"}``.
    """
    if kind not in ("accuracy", "loss"):
        raise ValueError(f"kind must be 'accuracy' or 'loss', got {kind!r}")
    s = style_for(presenter)
    z = np.asarray(z, dtype=float)
    lrs = np.asarray(learning_rates, dtype=float)
    regs = np.asarray(regs, dtype=float)
    div = np.asarray(diverged, dtype=bool)
    n_lr, n_reg = lrs.size, regs.size
    if z.shape != (n_lr, n_reg) or div.shape != (n_lr, n_reg):
        raise ValueError(
            f"z and diverged must have shape ({n_lr}, {n_reg}), got {z.shape} and {div.shape}"
        )
    shown = np.where(div, np.nan, z).T  # rows = regs (y), columns = learning rates (x)
    if kind == "accuracy":
        lo, hi = zrange if zrange is not None else (0.0, 1.0)
        colorscale, fmt, cb_fmt = _VIRIDIS, ".0%", ".0%"
        cell_fmt = "%{z:.0%}"
    else:
        finite = shown[np.isfinite(shown)]
        lo, hi = (
            zrange
            if zrange is not None
            else ((float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0))
        )
        colorscale, fmt, cb_fmt = _VIRIDIS_R, ".3g", ".2g"
        cell_fmt = "%{z:.2f}"
    if not hi > lo:
        hi = lo + 1.0
    big = max(n_lr, n_reg)
    show_text = big <= 16
    text_size = s.cell_text if big <= 10 else max(9, s.cell_text - (2 if big <= 13 else 3))
    lr_labels = [f"{v:g}" for v in lrs]
    reg_labels = [f"{v:g}" for v in regs]
    what = "validation accuracy" if kind == "accuracy" else "final loss"
    steps = None if final_step is None else np.asarray(final_step)

    def cell_hover(i, j):
        head = f"learning rate {lr_labels[i]}, reg {reg_labels[j]}<br>"
        if not div[i, j]:
            return head + f"{what} {_fmt(z[i, j], fmt)}"
        when = "" if steps is None else f" after step {int(steps[i, j])}"
        return head + f"diverged{when}; last finite {what} {_fmt(z[i, j], fmt)}"

    hover = np.array([[cell_hover(i, j) for i in range(n_lr)] for j in range(n_reg)], dtype=object)
    heat = dict(
        type="heatmap",
        z=as_float32(shown),
        x=np.arange(n_lr, dtype=np.int32),
        y=np.arange(n_reg, dtype=np.int32),
        colorscale=colorscale,
        zmin=float(lo),
        zmax=float(hi),
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        texttemplate=cell_fmt if show_text else "",
        textfont=dict(size=text_size),
        xgap=1,
        ygap=1,
        colorbar=_side_colorbar(s, "accuracy" if kind == "accuracy" else "loss", cb_fmt),
    )
    data = [heat]
    di, dj = np.nonzero(div)
    data.append(
        dict(
            type="scatter",
            x=di.astype(np.int32),
            y=dj.astype(np.int32),
            mode="markers",
            name="diverged",
            marker=dict(symbol="x-thin", size=s.marker + 6, line=dict(color=INK, width=2)),
            hoverinfo="skip",
            showlegend=True,
            visible=True if di.size else "legendonly",
        )
    )
    if best is not None:
        bi, bj = (int(v) for v in best)
        data.append(
            dict(
                type="scatter",
                x=np.array([bi], np.int32),
                y=np.array([bj], np.int32),
                mode="markers",
                name="best",
                marker=dict(
                    symbol="star",
                    size=s.marker + 10,
                    color="white",
                    line=dict(color=INK, width=1.5),
                ),
                hoverinfo="skip",
            )
        )
    # One invisible point per cell: plotly selects points, not heatmap cells, so this is
    # what a click on a cell selects (Streamlit's on_select). customdata = [i, j].
    gi, gj = np.meshgrid(np.arange(n_lr), np.arange(n_reg), indexing="ij")
    data.append(
        dict(
            type="scatter",
            x=gi.ravel().astype(np.int32),
            y=gj.ravel().astype(np.int32),
            customdata=np.column_stack([gi.ravel(), gj.ravel()]).astype(np.int32),
            mode="markers",
            name="cells",
            marker=dict(symbol="square", size=max(8, 300 // big), opacity=0.0, color="#000"),
            hoverinfo="none",
            showlegend=False,
        )
    )
    shapes = []
    if selected is not None:
        si, sj = (int(v) for v in selected)
        shapes.append(
            dict(
                type="rect",
                xref="x",
                yref="y",
                x0=si - 0.5,
                x1=si + 0.5,
                y0=sj - 0.5,
                y1=sj + 0.5,
                line=dict(color=INK, width=s.line + 1.5),
                fillcolor="rgba(0,0,0,0)",
            )
        )
    layout = deep_merge(
        base_layout(presenter, title=title, subtitle=subtitle, height=s.height + 120),
        dict(
            plot_bgcolor=_DIVERGED_BG,
            xaxis=index_axis(s, "learning rate", lr_labels, side="bottom", tickangle=-45),
            yaxis=index_axis(s, "regularization (reg)", reg_labels),
            shapes=shapes,
            dragmode=False,
            hovermode="closest",
            clickmode="event+select",
            legend=dict(
                orientation="h", x=0, xanchor="left", y=-0.22, yanchor="top", itemsizing="constant"
            ),
            uirevision=f"sweep-{kind}",
            meta=dict(
                figure="sweep_heatmap",
                kind=kind,
                shape=[int(n_lr), int(n_reg)],
                n_diverged=int(div.sum()),
                selected=None if selected is None else [int(v) for v in selected],
                best=None if best is None else [int(v) for v in best],
            ),
        ),
    )
    return make_figure(data, layout)


def _side_colorbar(s, title, tickformat):
    """A colour bar whose title runs up its side: a horizontal title would take the
    width of a narrow column from the plot."""
    bar = colorbar(s, title, tickformat=tickformat)
    bar["title"]["side"] = "right"
    return bar


def _fmt(value, fmt):
    if not np.isfinite(value):
        return "not finite"
    return format(float(value), fmt)
