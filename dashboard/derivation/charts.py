"""Figures for the Derivation page's sample: numpy arrays in, ``go.Figure`` out.

Built from the chart kit's pieces (:mod:`dashboard.charts`): its trace and layout
builders compose each variant, so no figure is built and then patched. Same conventions
as the kit: numpy arrays handed to plotly as typed arrays, fixed axis ranges, Okabe-Ito
class colours with a marker symbol per class, signed quantities on the diverging RdBu
scale centred at 0, ``presenter=True`` for projector sizes, and ``layout.meta`` carrying
the key numbers so a test can read them back. Every word a chart shows (titles, axis
titles, hovers) can be given in the page's language through ``labels``.
"""

from __future__ import annotations

import math

import numpy as np

from dashboard.charts import heatmaps
from dashboard.charts.regions import (
    boundary_polylines,
    boundary_trace,
    check_grid,
    check_points,
    class_point_traces,
    layout_image,
    proba_to_rgb,
    regions_layout,
)
from dashboard.charts.style import (
    DIVERGING_COLORSCALE,
    INK,
    as_float32,
    base_layout,
    class_colors,
    colorbar,
    deep_merge,
    fixed_margins,
    index_axis,
    make_axis,
    make_figure,
    style_for,
    symmetric_max,
)

__all__ = [
    "MAX_TEXT_CLASSES",
    "finite_list",
    "jacobian_figure",
    "sample_gradient_figure",
    "sample_picker_figure",
    "scores_probs_figure",
]

MAX_TEXT_CLASSES = 6  # beyond this many classes, numbers in cells and on bars overlap


def finite_list(values):
    """Floats for ``layout.meta`` (JSON): non-finite values become None."""
    return [float(v) if math.isfinite(v) else None for v in np.ravel(np.asarray(values, float))]


def _plotly_text(text):
    """``text`` inside a template that goes through ``str.format``: braces doubled."""
    return str(text).replace("{", "{{").replace("}", "}}")


# ----------------------------------------------------------------------------- picker

PICKER_LABELS = {
    "sample": "sample",
    "chosen": "chosen",
    "regions_subtitle": "click a training point to pick it",
}


def sample_picker_figure(
    xs,
    ys,
    proba,
    X_train,
    y_train,
    selected,
    *,
    class_names,
    x_range,
    y_range,
    feature_labels=("x1", "x2"),
    presenter=False,
    title=None,
    height=None,
    labels=None,
):
    """Small decision-regions chart of the training points, the chosen sample ringed.

    Composed from the kit's builders: the blended background (``layout_image``), the
    boundary (``boundary_trace``), one trace per class (``class_point_traces``, each
    point carrying its sample index as ``customdata`` so that a click maps back to the
    index), then a ring on the chosen sample and a dotted crosshair through it.

    Parameters
    ----------
    xs, ys, proba, X_train, y_train, class_names, x_range, y_range, feature_labels
        As in :func:`dashboard.charts.regions.decision_regions_figure`.
    selected : int
        Index into ``X_train`` of the sample to ring.
    presenter : bool
    title : str, optional
    height : int, optional
    labels : dict, optional
        Overrides of :data:`PICKER_LABELS`: the words ``sample`` and ``chosen`` of the
        hovers, and ``regions_subtitle``, the hint under the title.

    Returns
    -------
    fig : go.Figure
        Traces: boundary, C class traces, the ring. ``layout.meta`` = ``{"figure":
        "sample_picker", "n_classes", "grid", "n_train", "x_range", "y_range",
        "selected", "selected_xy"}``.
    """
    s = style_for(presenter)
    names = {**PICKER_LABELS, **(labels or {})}
    xs, ys, proba = check_grid(xs, ys, proba)
    C = proba.shape[-1]
    if len(class_names) != C:
        raise ValueError(f"class_names has {len(class_names)} names for {C} classes")
    X_train, y_train = check_points(X_train, y_train, "train", C)
    selected = int(selected)
    if not 0 <= selected < len(y_train):
        raise ValueError(f"selected must be in [0, {len(y_train)}), got {selected}")
    f1, f2 = (_plotly_text(f) for f in feature_labels)
    hover = (
        _plotly_text(names["sample"]) + " #%{{customdata}} · {name}"
        f"<br>{f1} = %{{{{x:.3g}}}}<br>{f2} = %{{{{y:.3g}}}}<extra></extra>"
    )
    point = X_train[selected]
    data = [
        boundary_trace(*boundary_polylines(xs, ys, proba), s),
        *class_point_traces(
            X_train,
            y_train,
            class_names,
            s,
            validation=False,
            feature_labels=feature_labels,
            customdata=np.arange(len(y_train), dtype=np.int32),
            hovertemplate=hover,
        ),
        dict(
            type="scatter",
            x=point[None, 0],
            y=point[None, 1],
            mode="markers",
            name=f"{names['sample']} #{selected}",
            customdata=np.array([selected], dtype=np.int32),
            marker=dict(
                symbol="circle-open",
                size=s.marker + 16,
                color=INK,
                line=dict(width=s.outline + 2.5, color=INK),
            ),
            hovertemplate=f"{names['sample']} #{selected} ({names['chosen']})<extra></extra>",
        ),
    ]
    meta = dict(
        figure="sample_picker",
        n_classes=int(C),
        grid=[int(ys.size), int(xs.size)],
        n_train=len(y_train),
        x_range=[float(v) for v in x_range],
        y_range=[float(v) for v in y_range],
        selected=selected,
        selected_xy=[float(point[0]), float(point[1])],
    )
    layout = regions_layout(
        s,
        presenter,
        title or "Pick a sample",
        tuple(feature_labels),
        x_range,
        y_range,
        meta,
        subtitle=names["regions_subtitle"],
    )
    crosshair = dict(type="line", line=dict(color=INK, width=1, dash="dot"))
    layout = deep_merge(
        layout,
        dict(
            height=height or s.height,
            showlegend=False,
            # a click selects one point; keep the others fully opaque
            clickmode="event+select",
            # a crosshair through the chosen sample: findable among hundreds of points
            shapes=[
                dict(crosshair, xref="x", yref="y domain", x0=float(point[0]),
                     x1=float(point[0]), y0=0, y1=1),
                dict(crosshair, xref="x domain", yref="y", y0=float(point[1]),
                     y1=float(point[1]), x0=0, x1=1),
            ],
        ),
    )  # fmt: skip
    layout["images"] = [layout_image(xs, ys, proba_to_rgb(proba))]
    return make_figure(data, fixed_margins(layout, s, b=75))


# ----------------------------------------------------------------------------- one sample

JACOBIAN_LABELS = {
    "rows": "probability q_i",
    "cols": "score s_j",
    "row_name": "∂q of class",
    "col_name": "/ ∂s of class",
    "value": "value",
}


def jacobian_figure(J, class_names, *, presenter=False, title=None, labels=None):
    """The kit's :func:`~dashboard.charts.heatmaps.jacobian_figure` in the page's words,
    with the numbers in the cells only while they fit (C <= 6; the hover always has them).

    Parameters
    ----------
    J : array_like, shape (C, C)
    class_names : sequence of str, length C
    presenter : bool
    title : str, optional
    labels : dict, optional
        Overrides of :data:`JACOBIAN_LABELS` (axis titles ``rows``, ``cols``; hover words
        ``row_name``, ``col_name``, ``value``).

    Returns
    -------
    fig : go.Figure
        As the kit's; ``layout.meta`` has ``"text_shown"``.
    """
    return heatmaps.jacobian_figure(
        J,
        class_names,
        presenter=presenter,
        title=title,
        labels={**JACOBIAN_LABELS, **(labels or {})},
        show_text=len(class_names) <= MAX_TEXT_CLASSES,
    )


def scores_probs_figure(
    scores, q, label, class_names, *, presenter=False, title=None, labels=None, width_share=0.5
):
    """Bars of the scores s_ij (left) and the probabilities q_ij (right) of one sample.

    The true class's bars are drawn dark-outlined and named in the axis labels.

    Parameters
    ----------
    scores, q : array_like, shape (C,)
    label : int
        True class.
    class_names : sequence of str, length C
    presenter : bool
    title : str, optional
    labels : dict, optional
        Axis titles ``class_axis``, ``score_axis``, ``prob_axis`` (for the page's language).
    width_share : float, default 0.5
        The chart's share of the page width, for wrapping the title (see ``base_layout``).

    Returns
    -------
    fig : go.Figure
        ``layout.meta`` = ``{"figure": "scores_probs", "scores", "q", "label"}``.
    """
    s = style_for(presenter)
    scores = np.asarray(scores, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    C = len(class_names)
    if scores.shape != (C,) or q.shape != (C,):
        raise ValueError(f"scores and q must have shape ({C},), got {scores.shape}, {q.shape}")
    label = int(label)
    names = {
        "class_axis": "class j (★ = true class)",
        "score_axis": "score s_ij",
        "prob_axis": "probability q_ij",
        **(labels or {}),
    }
    colors = class_colors(C)
    ticks = [f"{name} ★" if j == label else str(name) for j, name in enumerate(class_names)]
    line = dict(
        color=[INK if j == label else "rgba(0,0,0,0)" for j in range(C)],
        width=[s.outline + 2 if j == label else 0 for j in range(C)],
    )
    x = np.arange(C, dtype=np.int32)
    data = [
        dict(
            type="bar",
            x=x,
            y=as_float32(scores),
            marker=dict(color=colors, line=line),
            text=[f"{v:.3g}" for v in scores] if C <= MAX_TEXT_CLASSES else None,
            textposition="outside",
            cliponaxis=False,
            textfont=dict(size=s.cell_text),
            hovertemplate="s = %{y:.4g}<extra></extra>",
            name=names["score_axis"],
            xaxis="x",
            yaxis="y",
        ),
        dict(
            type="bar",
            x=x,
            y=as_float32(q),
            marker=dict(color=colors, line=line),
            text=[f"{v:.3f}" for v in q] if C <= MAX_TEXT_CLASSES else None,
            textposition="outside",
            cliponaxis=False,
            textfont=dict(size=s.cell_text),
            hovertemplate="q = %{y:.4g}<extra></extra>",
            name=names["prob_axis"],
            xaxis="x2",
            yaxis="y2",
        ),
    ]
    finite = scores[np.isfinite(scores)]
    lo = min(float(finite.min()) if finite.size else 0.0, 0.0)
    hi = max(float(finite.max()) if finite.size else 1.0, 0.0)
    pad = 0.18 * (hi - lo if hi > lo else 1.0)
    layout = deep_merge(
        base_layout(
            presenter,
            title=title or "Scores and probabilities",
            height=s.height - 60,
            width_share=width_share,
        ),
        dict(
            showlegend=False,
            xaxis=index_axis(s, names["class_axis"], ticks, domain=[0.0, 0.44]),
            yaxis=make_axis(
                s,
                names["score_axis"],
                range=[lo - (pad if lo < 0 else 0.0), hi + pad],
                autorange=False,
                zeroline=True,
                zerolinecolor="#888",
            ),
            xaxis2=index_axis(s, names["class_axis"], ticks, domain=[0.56, 1.0], anchor="y2"),
            yaxis2=make_axis(
                s, names["prob_axis"], range=[0.0, 1.15], autorange=False, anchor="x2"
            ),
            meta=dict(
                figure="scores_probs",
                scores=finite_list(scores),
                q=finite_list(q),
                label=label,
            ),
        ),
    )
    return make_figure(data, layout)


def sample_gradient_figure(
    x, G, feature_names, class_names, label, *, presenter=False, title=None, labels=None
):
    """x_i (one column) beside the per-sample gradient x_i^T (q_i - onehot) (D x C).

    Column j of the gradient is x_i scaled by (q_ij - 1[j = y_i]): the picture of the
    derivation's result. Both use the diverging scale, each centred at 0 with its own range;
    the true class's column is framed.

    Parameters
    ----------
    x : array_like, shape (D,)
    G : array_like, shape (D, C)
    feature_names : sequence of str, length D
    class_names : sequence of str, length C
    label : int
        True class y_i.
    presenter : bool
    title : str, optional
    labels : dict, optional
        ``subtitle``, ``feature_axis``, ``class_axis``, and the hover's words ``feature``
        and ``class`` (for the page's language).

    Returns
    -------
    fig : go.Figure
        Traces: x heatmap (x/y axes), gradient heatmap (x2/y axes). ``layout.meta`` =
        ``{"figure": "sample_gradient", "shape": [D, C], "label", "zmax", "text_shown"}``.
    """
    s = style_for(presenter)
    x = as_float32(x)
    G = as_float32(G)
    D, C = len(feature_names), len(class_names)
    if x.shape != (D,) or G.shape != (D, C):
        raise ValueError(f"x must be ({D},) and G ({D}, {C}), got {x.shape} and {G.shape}")
    label = int(label)
    names = {
        "subtitle": "column j = (q_ij − 1[j = y_i]) · x_i   (★ = true class)",
        "feature_axis": "feature d",
        "class_axis": "class j",
        "feature": "feature",
        "class": "class",
        **(labels or {}),
    }
    show_text = D <= 12 and C <= 10
    xmax = symmetric_max(x, None)
    zmax = symmetric_max(G, None)
    rows = np.arange(D, dtype=np.int32)
    fnames = [str(f) for f in feature_names]
    cnames = [f"{c} ★" if j == label else str(c) for j, c in enumerate(class_names)]
    x_hover = np.array([[f"x_i[{f}]"] for f in fnames], dtype=object)
    g_hover = np.array(
        [[f"{names['feature']} {f} · {names['class']} {c}" for c in class_names] for f in fnames],
        dtype=object,
    )
    data = [
        dict(
            type="heatmap",
            z=x[:, None],
            x=np.zeros(1, dtype=np.int32),
            y=rows,
            colorscale=DIVERGING_COLORSCALE,
            zmid=0.0,
            zmin=-xmax,
            zmax=xmax,
            showscale=False,
            hovertext=x_hover,
            hovertemplate="%{hovertext} = %{z:.4g}<extra></extra>",
            texttemplate="%{z:.2g}" if show_text else "",
            textfont=dict(size=s.cell_text),
            ygap=1 if D > 12 else 2,
            xaxis="x",
            yaxis="y",
        ),
        dict(
            type="heatmap",
            z=G,
            x=np.arange(C, dtype=np.int32),
            y=rows,
            colorscale=DIVERGING_COLORSCALE,
            zmid=0.0,
            zmin=-zmax,
            zmax=zmax,
            hovertext=g_hover,
            hovertemplate="%{hovertext}<br>∂L_i/∂W = %{z:.4g}<extra></extra>",
            texttemplate="%{z:.2g}" if show_text else "",
            textfont=dict(size=s.cell_text),
            xgap=2,
            ygap=1 if D > 12 else 2,
            colorbar=colorbar(s, "∂L_i/∂W"),
            xaxis="x2",
            yaxis="y",
        ),
    ]
    row_px = (44 if presenter else 30) if D <= 12 else max(int(640 / D), 12)
    height = int(min(max(s.margin["t"] + s.margin["b"] + 60 + row_px * D, 380), 1000))
    x_share = min(0.22, 1.0 / (C + 2))
    layout = deep_merge(
        base_layout(
            presenter,
            height=height,
            title=title or "Per-sample gradient ∂L_i/∂W = x_iᵀ(q_i − onehot)",
            subtitle=names["subtitle"],
        ),
        dict(
            xaxis=index_axis(s, "x_i", ["x_i"], domain=[0.0, x_share], showticklabels=False),
            yaxis=index_axis(s, names["feature_axis"], fnames, reverse=True),
            xaxis2=index_axis(
                s, names["class_axis"], cnames, domain=[x_share + 0.06, 1.0], anchor="y"
            ),
            shapes=[
                dict(
                    type="rect",
                    xref="x2",
                    yref="y domain",
                    x0=label - 0.5,
                    x1=label + 0.5,
                    y0=0,
                    y1=1,
                    line=dict(color=INK, width=s.line),
                    fillcolor="rgba(0,0,0,0)",
                )
            ],
            uirevision="sample-gradient",
            meta=dict(
                figure="sample_gradient",
                shape=[int(D), int(C)],
                label=label,
                zmax=float(zmax),
                text_shown=bool(show_text),
            ),
        ),
    )
    return make_figure(data, layout)
