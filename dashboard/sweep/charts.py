"""Figure builders for the Sweep page: arrays in, ``go.Figure`` out.

Pure functions built from the shared chart kit, ``dashboard.charts`` (sizes from
``style_for``, the shared base layout, typed arrays, ``layout.meta`` for tests). No
Streamlit, no engine import.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from dashboard.charts.style import (
    INK,
    as_float32,
    base_layout,
    colorbar,
    deep_merge,
    index_axis,
    make_axis,
    make_figure,
    style_for,
)

__all__ = ["regularization_path_figure", "sweep_heatmap_figure"]

# Sequential, colour-blind safe and monotone in lightness (prints in greyscale).
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


def sweep_heatmap_figure(
    z: np.ndarray,
    learning_rates: Sequence[float],
    regs: Sequence[float],
    diverged: np.ndarray,
    *,
    kind: str,
    title: str | None = None,
    zrange: tuple[float, float] | None = None,
    selected: tuple[int, int] | None = None,
    best: tuple[int, int] | None = None,
    final_step: np.ndarray | None = None,
    presenter: bool = False,
    subtitle: str | None = None,
    width_share: float = 0.5,
    value_name: str | None = None,
) -> go.Figure:
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
    value_name : str, optional
        What a cell's value is, in its hover; default "validation accuracy" or "final
        loss".
    width_share : float, default 0.5
        The chart's share of the page width, for wrapping the titles (see ``base_layout``).

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
        colorscale, fmt, cb_fmt = _VIRIDIS_R, ".3g", ".2~g"
        cell_fmt = "%{z:.2f}"
    if not hi > lo:
        hi = lo + 1.0
    big = max(n_lr, n_reg)
    show_text = big <= 16
    text_size = s.cell_text if big <= 10 else max(9, s.cell_text - (2 if big <= 13 else 3))
    lr_labels = [f"{v:g}" for v in lrs]
    reg_labels = [f"{v:g}" for v in regs]
    what = value_name or ("validation accuracy" if kind == "accuracy" else "final loss")
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
        # under the plot, beside the legend: at its side it would take a column's width
        # from the cells, whose numbers then no longer fit
        colorbar=deep_merge(
            colorbar(s, None, tickformat=cb_fmt),
            dict(
                orientation="h",
                x=1.0,
                xanchor="right",
                xref="paper",
                y=-0.2,
                yanchor="top",
                len=0.4,
                thickness=s.font - 1,
                nticks=4,
                tickangle=0,
            ),
        ),
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
        base_layout(
            presenter, title=title, subtitle=subtitle, height=s.height + 120,
            width_share=width_share,
        ),
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


def regularization_path_figure(
    values: np.ndarray,
    regs: Sequence[float],
    diverged: np.ndarray,
    *,
    kind: str,
    title: str | None = None,
    subtitle: str | None = None,
    value_name: str | None = None,
    yrange: tuple[float, float] | None = None,
    selected: int | None = None,
    best: int | None = None,
    final_step: np.ndarray | None = None,
    presenter: bool = False,
    width_share: float = 0.5,
) -> go.Figure:
    """One value per regularization strength along an L-BFGS path, as a line.

    The x axis is the regs' positions, labelled with their values (log-spaced options, as
    on the heatmap's reg axis). Each point is clickable (``customdata`` = [0, j], the
    cell of the one-row ``SweepResult``).

    Parameters
    ----------
    values : array_like, shape (n_reg,)
        E.g. ``result.val_accuracy[0]``; a diverged model's value is left out of the line.
    regs : array_like, shape (n_reg,)
    diverged : array_like of bool, shape (n_reg,)
    kind : {"accuracy", "loss"}
        Accuracy: percent axis, default range [0, 1]. Loss: default the finite range.
    title, subtitle, value_name : str, optional
        ``value_name`` names the value in the hover (default "validation accuracy" or
        "final loss").
    yrange : (float, float), optional
    selected : int, optional
        Index j of the reg the picker holds, ringed in black.
    best : int, optional
        Index j marked with a star.
    final_step : array_like of int, shape (n_reg,), optional
        Iterations each model ran, named in the hover.
    presenter : bool
    width_share : float, default 0.5
        As for :func:`sweep_heatmap_figure`.

    Returns
    -------
    go.Figure
        Traces "path" (line and markers), "diverged" (× at the bottom), "best" (a star),
        and "selected" (a ring) when given. ``layout.meta`` = ``{"figure":
        "regularization_path", "kind", "n", "n_diverged", "selected", "best"}``.
    """
    if kind not in ("accuracy", "loss"):
        raise ValueError(f"kind must be 'accuracy' or 'loss', got {kind!r}")
    s = style_for(presenter)
    v = np.asarray(values, dtype=float)
    regs = np.asarray(regs, dtype=float)
    div = np.asarray(diverged, dtype=bool)
    n = regs.size
    if v.shape != (n,) or div.shape != (n,):
        raise ValueError(f"values and diverged must have shape ({n},), got {v.shape}, {div.shape}")
    shown = np.where(div, np.nan, v)
    finite = shown[np.isfinite(shown)]
    if yrange is not None:
        lo, hi = yrange
    elif kind == "accuracy":
        lo, hi = 0.0, 1.0
    else:
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if not hi > lo:
        hi = lo + 1.0
    pad = 0.06 * (hi - lo)
    fmt = ".1%" if kind == "accuracy" else ".4g"
    what = value_name or ("validation accuracy" if kind == "accuracy" else "final loss")
    reg_labels = [f"{r:g}" for r in regs]
    steps = None if final_step is None else np.asarray(final_step)

    def hover(j):
        head = f"reg {reg_labels[j]}<br>"
        ran = "" if steps is None else f"<br>{int(steps[j])} L-BFGS iterations"
        if div[j]:
            return head + f"diverged; last finite {what} {_fmt(v[j], fmt)}{ran}"
        return head + f"{what} {_fmt(v[j], fmt)}{ran}"

    x = np.arange(n, dtype=np.int32)
    cells = np.column_stack([np.zeros(n, np.int32), x])
    data = [
        dict(
            type="scatter",
            x=x,
            y=as_float32(shown),
            customdata=cells,
            mode="lines+markers",
            name="path",
            line=dict(color="#0072B2", width=s.line),
            marker=dict(size=s.marker + 2, color="#0072B2", line=dict(color="white", width=1)),
            hovertext=[hover(j) for j in range(n)],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    ]
    di = np.flatnonzero(div)
    data.append(
        dict(
            type="scatter",
            x=di.astype(np.int32),
            y=np.full(di.size, lo, np.float32),
            customdata=cells[di],
            mode="markers",
            name="diverged",
            marker=dict(symbol="x-thin", size=s.marker + 6, line=dict(color=INK, width=2)),
            hovertext=[hover(j) for j in di],
            hovertemplate="%{hovertext}<extra></extra>",
            visible=True if di.size else "legendonly",
        )
    )
    if best is not None:
        data.append(
            dict(
                type="scatter",
                x=np.array([int(best)], np.int32),
                y=as_float32([shown[int(best)]]),
                mode="markers",
                name="best",
                marker=dict(
                    symbol="star",
                    size=s.marker + 12,
                    color="white",
                    line=dict(color=INK, width=1.5),
                ),
                hoverinfo="skip",
            )
        )
    if selected is not None:
        j = int(selected)
        y_sel = shown[j] if np.isfinite(shown[j]) else lo
        data.append(
            dict(
                type="scatter",
                x=np.array([j], np.int32),
                y=as_float32([y_sel]),
                mode="markers",
                name="selected",
                marker=dict(
                    symbol="circle-open",
                    size=s.marker + 16,
                    color=INK,  # an open symbol is drawn in the marker colour
                    line=dict(color=INK, width=s.line + 1),
                ),
                hoverinfo="skip",
            )
        )
    axis_format = dict(tickformat=".0%") if kind == "accuracy" else {}
    layout = deep_merge(
        base_layout(
            presenter, title=title, subtitle=subtitle, height=s.height, width_share=width_share
        ),
        dict(
            xaxis=index_axis(s, "regularization (reg)", reg_labels, side="bottom", tickangle=-45),
            yaxis=make_axis(
                s,
                "accuracy" if kind == "accuracy" else "loss",
                range=[lo - pad, hi + pad],
                autorange=False,
                **axis_format,
            ),
            dragmode=False,
            hovermode="closest",
            clickmode="event+select",
            legend=dict(
                orientation="h", x=0, xanchor="left", y=-0.3, yanchor="top", itemsizing="constant"
            ),
            uirevision=f"sweep-path-{kind}",
            meta=dict(
                figure="regularization_path",
                kind=kind,
                n=int(n),
                n_diverged=int(div.sum()),
                selected=None if selected is None else int(selected),
                best=None if best is None else int(best),
            ),
        ),
    )
    return make_figure(data, layout)


def _fmt(value, fmt):
    if not np.isfinite(value):
        return "not finite"
    return format(float(value), fmt)
