"""Figures for the Derivation page: numpy arrays in, ``go.Figure`` out (no Streamlit).

Same conventions as :mod:`dashboard.figures` (whose style helpers these reuse): numpy
arrays handed to plotly as typed arrays, fixed axis ranges, Okabe-Ito class colours with
a marker symbol per class, signed quantities on the diverging RdBu scale centred at 0,
``presenter=True`` for projector sizes, and ``layout.meta`` carrying the key numbers so
a test can read them back.
"""

from __future__ import annotations

import math

import numpy as np

from dashboard.charts import heatmaps
from dashboard.charts.regions import decision_regions_figure
from dashboard.charts.style import (
    DIVERGING_COLORSCALE,
    INK,
    as_float32,
    base_layout,
    class_colors,
    colorbar,
    deep_merge,
    index_axis,
    make_axis,
    make_figure,
    style_for,
    symmetric_max,
    vline,
)

__all__ = [
    "initial_loss_figure",
    "jacobian_figure",
    "sample_gradient_figure",
    "sample_picker_figure",
    "scores_probs_figure",
    "step_error_figure",
    "temperature_figure",
]


def _finite_list(values):
    """Floats for ``layout.meta`` (JSON): non-finite values become None."""
    return [float(v) if math.isfinite(v) else None for v in np.ravel(np.asarray(values, float))]


def _class_label(j, name):
    """``q_j`` for a class named by its index, else ``q_j (name)``."""
    return f"q_{j}" if str(name) == str(j) else f"q_{j} ({name})"


# ----------------------------------------------------------------------------- picker


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
    subtitle="click a training point to pick it",
    height=None,
):
    """Small decision-regions chart of the training points, the chosen sample ringed.

    Each training point carries its sample index as ``customdata`` (so a click can be
    mapped back to the index); the ring is the last trace.

    Parameters
    ----------
    xs, ys, proba, X_train, y_train, class_names, x_range, y_range, feature_labels
        As in :func:`dashboard.charts.regions.decision_regions_figure`.
    selected : int
        Index into ``X_train`` of the sample to ring.
    presenter : bool
    title : str, optional
    subtitle : str
        The hint under the title.
    height : int, optional

    Returns
    -------
    fig : go.Figure
        ``layout.meta`` = the regions figure's meta plus ``{"figure": "sample_picker",
        "selected", "selected_xy"}``.
    """
    s = style_for(presenter)
    X_train = np.asarray(X_train, dtype=np.float32)
    y_train = np.asarray(y_train)
    selected = int(selected)
    if not 0 <= selected < len(y_train):
        raise ValueError(f"selected must be in [0, {len(y_train)}), got {selected}")
    base = decision_regions_figure(
        xs,
        ys,
        proba,
        X_train,
        y_train,
        class_names=class_names,
        x_range=x_range,
        y_range=y_range,
        feature_labels=feature_labels,
        presenter=presenter,
        title=title or "Pick a sample",
    ).to_plotly_json()
    data, layout = base["data"], base["layout"]
    C = len(class_names)
    for k in range(C):  # traces 1 .. C are the training points of class k
        trace = data[1 + k]
        idx = np.flatnonzero(y_train == k)
        trace["customdata"] = idx.astype(np.int32)
        trace["hovertemplate"] = (
            f"sample #%{{customdata}} · {class_names[k]}<br>{feature_labels[0]} = %{{x:.3g}}"
            f"<br>{feature_labels[1]} = %{{y:.3g}}<extra></extra>"
        )
    point = X_train[selected]
    data.append(
        dict(
            type="scatter",
            x=point[None, 0],
            y=point[None, 1],
            mode="markers",
            name=f"sample #{selected}",
            customdata=np.array([selected], dtype=np.int32),
            marker=dict(
                symbol="circle-open",
                size=s.marker + 16,
                color=INK,
                line=dict(width=s.outline + 2.5, color=INK),
            ),
            hovertemplate=f"sample #{selected} (chosen)<extra></extra>",
        )
    )
    layout = deep_merge(
        layout,
        dict(
            height=height or s.height,
            showlegend=False,
            title=dict(subtitle=dict(text=subtitle)),
            # a click selects one point; keep the others fully opaque
            clickmode="event+select",
            # a crosshair through the chosen sample: findable among hundreds of points
            shapes=[
                dict(
                    type="line",
                    xref="x",
                    yref="y domain",
                    x0=float(point[0]),
                    x1=float(point[0]),
                    y0=0,
                    y1=1,
                    line=dict(color=INK, width=1, dash="dot"),
                ),
                dict(
                    type="line",
                    xref="x domain",
                    yref="y",
                    y0=float(point[1]),
                    y1=float(point[1]),
                    x0=0,
                    x1=1,
                    line=dict(color=INK, width=1, dash="dot"),
                ),
            ],
        ),
    )
    layout["meta"] = {
        **layout["meta"],
        "figure": "sample_picker",
        "selected": selected,
        "selected_xy": [float(point[0]), float(point[1])],
    }
    return make_figure(data, layout)


# ----------------------------------------------------------------------------- one sample

MAX_TEXT_CLASSES = 6  # beyond this many classes, numbers in cells and on bars overlap


def jacobian_figure(J, class_names, *, presenter=False, title=None, labels=None):
    """The kit's :func:`~dashboard.charts.heatmaps.jacobian_figure` for this page: axis titles
    in the page's language, and the numbers in the cells only while they fit (C <= 6; hover always).

    Parameters
    ----------
    J : array_like, shape (C, C)
    class_names : sequence of str, length C
    presenter : bool
    title : str, optional
    labels : dict, optional
        ``rows`` (probability q_i) and ``cols`` (score s_j) axis titles.

    Returns
    -------
    fig : go.Figure
        As the shared builder's; ``layout.meta`` adds ``"text_shown"``.
    """
    fig = heatmaps.jacobian_figure(J, class_names, presenter=presenter, title=title)
    spec = fig.to_plotly_json()
    show_text = len(class_names) <= MAX_TEXT_CLASSES
    if not show_text:
        spec["data"][0]["texttemplate"] = ""
    names = {"rows": "probability q_i", "cols": "score s_j", **(labels or {})}
    spec["layout"]["xaxis"]["title"]["text"] = names["cols"]
    spec["layout"]["yaxis"]["title"]["text"] = names["rows"]
    spec["layout"]["meta"] = {**spec["layout"]["meta"], "text_shown": show_text}
    return make_figure(spec["data"], spec["layout"])


def scores_probs_figure(scores, q, label, class_names, *, presenter=False, title=None, labels=None):
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
            name="scores",
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
            name="probabilities",
            xaxis="x2",
            yaxis="y2",
        ),
    ]
    finite = scores[np.isfinite(scores)]
    lo = min(float(finite.min()) if finite.size else 0.0, 0.0)
    hi = max(float(finite.max()) if finite.size else 1.0, 0.0)
    pad = 0.18 * (hi - lo if hi > lo else 1.0)
    layout = deep_merge(
        base_layout(presenter, title=title or "Scores and probabilities", height=s.height - 60),
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
                scores=_finite_list(scores),
                q=_finite_list(q),
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
    seed's result. Both use the diverging scale, each centred at 0 with its own range;
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
        ``subtitle``, ``feature_axis``, ``class_axis`` (for the page's language).

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
        [[f"feature {f} · class {c}" for c in class_names] for f in fnames], dtype=object
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


# ----------------------------------------------------------------------------- verify


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
        Trace names: ``measured``, ``roundoff``, ``truncation``, ``default`` (for the
        page's language).

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
            hovertemplate="h = %{x:.1e}<br>relative error = %{y:.2e}<extra></extra>",
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
            legend=dict(orientation="h", x=0, xanchor="left", y=-0.2, yanchor="top"),
            shapes=[vline(default_h, s)],
            annotations=[
                dict(
                    x=math.log10(default_h),
                    xref="x",
                    y=1,
                    yref="paper",
                    yanchor="top",
                    xanchor="left",
                    text=f" {names['default']}",
                    showarrow=False,
                    font=dict(size=s.font),
                    bgcolor="rgba(255,255,255,0.8)",
                ),
                dict(
                    x=math.log10(best_h),
                    y=math.log10(best_err),
                    xref="x",
                    yref="y",
                    text=f"min {best_err:.1e}",
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
                h=_finite_list(h),
                rel_error=_finite_list(err),
                best_h=float(best_h),
                default_h=float(default_h),
            ),
        ),
    )
    return make_figure(data, layout)


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
        ``random``, ``model``, ``diagonal`` trace names.

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
            hovertemplate="C = %{text}<br>log C = %{x:.4f}<br>loss = %{y:.4f}<extra></extra>",
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
                hovertemplate="log C = %{x:.4f}<br>loss = %{y:.4f}<extra></extra>",
            )
        )
    layout = deep_merge(
        base_layout(presenter, title=title or "Initial loss ≈ log C", height=s.height - 40),
        dict(
            xaxis=make_axis(s, names["x"], range=[0.0, top], autorange=False),
            yaxis=make_axis(s, names["y"], range=[0.0, top], autorange=False),
            legend=dict(orientation="h", x=0, xanchor="left", y=-0.2, yanchor="top"),
            meta=dict(
                figure="initial_loss",
                C=[int(c) for c in Cs],
                loss=_finite_list(losses),
                model_loss=None if model_loss is None else float(model_loss),
            ),
        ),
    )
    return make_figure(data, layout)


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
            legend=dict(orientation="h", x=0, xanchor="left", y=-0.2, yanchor="top"),
            shapes=[vline(1.0, s)],
            annotations=[
                dict(
                    x=0.0,
                    xref="x",
                    y=1,
                    yref="paper",
                    yanchor="top",
                    xanchor="left",
                    text=f" {names['T1']}",
                    showarrow=False,
                    font=dict(size=s.font),
                    bgcolor="rgba(255,255,255,0.8)",
                )
            ],
            meta=dict(figure="temperature", T=_finite_list(T), q_at_T1=_finite_list(Q[i1])),
        ),
    )
    return make_figure(data, layout)
