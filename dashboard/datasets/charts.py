"""Figure builders for the Datasets page: arrays in, ``go.Figure`` out.

Pure functions built from the shared chart kit, ``dashboard.charts`` (sizes from
``style_for``, the shared base layout, the diverging RdBu scale, typed arrays,
``layout.meta`` for tests). No Streamlit, no engine import.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from dashboard.charts.heatmaps import weights_heatmap_figure
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
    "feature_weights_figure",
    "precision_recall_figure",
    "weight_templates_figure",
]
MAX_NAME_MARGIN = 280  # px: the longest feature names may be cut beyond this

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


# ----------------------------------------------------------------------------- confusion


def confusion_matrix_figure(
    M: np.ndarray,
    class_names: Sequence[str],
    *,
    title: str | None = None,
    subtitle: str | None = None,
    presenter: bool = False,
) -> go.Figure:
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
        base_layout(presenter, title=title or "Confusion matrix", height=height, subtitle=subtitle),
        dict(
            xaxis=index_axis(s, "predicted class", class_names, side="bottom"),
            yaxis=index_axis(s, "true class", class_names, reverse=True),
            meta=dict(figure="confusion_matrix", counts=counts.tolist(), n=int(M.sum())),
        ),
    )
    return make_figure([heat], layout)


# ----------------------------------------------------------------------------- precision


def precision_recall_figure(
    precision: np.ndarray,
    recall: np.ndarray,
    class_names: Sequence[str],
    *,
    support: np.ndarray | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    presenter: bool = False,
) -> go.Figure:
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
        base_layout(presenter, title=title or "Precision and recall per class", subtitle=subtitle),
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


def weight_templates_figure(
    W: np.ndarray,
    class_names: Sequence[str],
    shape: tuple[int, int],
    *,
    title: str | None = None,
    presenter: bool = False,
    ncols: int = 5,
) -> go.Figure:
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


# ----------------------------------------------------------------------------- weights


def feature_weights_figure(
    W: np.ndarray,
    feature_names: Sequence[str],
    class_names: Sequence[str],
    *,
    title: str,
    subtitle: str | None = None,
    presenter: bool = False,
) -> go.Figure:
    """The shared weights heatmap, page-wide, with room on the left for feature names.

    ``dashboard.charts.heatmaps.weights_heatmap_figure`` keeps a fixed left margin (short
    Playground names such as ``x1``); names such as "od280/od315_of_diluted_wines" need
    more, or their start is cut off and the axis title covers them.

    Parameters
    ----------
    W : array_like, shape (D, C)
    feature_names : sequence of str, length D
    class_names : sequence of str, length C
    title : str
    subtitle : str, optional
    presenter : bool

    Returns
    -------
    go.Figure
        As ``weights_heatmap_figure``, with ``layout.margin.l`` widened to about 0.6 em
        per character of the longest name plus the axis title (at most
        :data:`MAX_NAME_MARGIN` px).
    """
    fig = weights_heatmap_figure(
        W, feature_names, class_names, title=title, subtitle=subtitle, presenter=presenter,
        width_share=1.0,
    )
    s = style_for(presenter)
    longest = max((len(str(name)) for name in feature_names), default=0)
    needed = round(0.6 * s.font * longest + 2 * s.font + 16)
    fig.layout.margin.l = max(s.margin["l"], min(needed, MAX_NAME_MARGIN))
    return fig


def _side_colorbar(s, title, tickformat):
    """A colour bar whose title runs up its side: a horizontal title would take the
    width of a narrow column from the plot."""
    return deep_merge(colorbar(s, title, tickformat=tickformat), dict(title=dict(side="right")))
