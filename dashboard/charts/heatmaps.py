"""Signed heatmaps: weights and gradients (D x C), the error signal (N x C), a Jacobian.

Pure: arrays in, ``go.Figure`` out. Signed values use the diverging scale centred at 0.
"""

from __future__ import annotations

import numpy as np

from dashboard.charts.style import (
    DIVERGING_COLORSCALE,
    INK,
    as_float32,
    base_layout,
    colorbar,
    deep_merge,
    fixed_margins,
    index_axis,
    make_axis,
    make_figure,
    style_for,
    symmetric_max,
)


def signed_heatmap(
    z,
    row_labels,
    col_labels,
    s,
    *,
    zmax,
    show_text,
    colorbar_title,
    text_format=".2g",
    name_rows="feature",
    name_cols="class",
    value_label="value",
):
    """Heatmap trace for a signed matrix (rows x columns), diverging colours, zmid = 0.

    The hover reads ``"{name_rows} {row} · {name_cols} {col}<br>{value_label} = z"``.
    """
    hover = np.array(
        [[f"{name_rows} {r} · {name_cols} {c}" for c in col_labels] for r in row_labels],
        dtype=object,
    )
    return dict(
        type="heatmap",
        z=z,
        x=np.arange(len(col_labels), dtype=np.int32),
        y=np.arange(len(row_labels), dtype=np.int32),
        colorscale=DIVERGING_COLORSCALE,
        zmid=0.0,
        zmin=-zmax,
        zmax=zmax,
        hovertext=hover,
        hovertemplate="%{hovertext}<br>" + value_label + " = %{z:.4g}<extra></extra>",
        texttemplate=f"%{{z:{text_format}}}" if show_text else "",
        textfont=dict(size=s.cell_text),
        xgap=2,
        ygap=2,
        colorbar=colorbar(s, colorbar_title),
    )


def weights_heatmap_figure(
    M, feature_names, class_names, *, title, presenter=False, zmax=None, text_max=(12, 10),
    subtitle=None, width_share=0.5,
):
    """Signed heatmap of a (features x classes) matrix such as W or dW.

    Parameters
    ----------
    M : array_like, shape (D, C)
        Weights or their gradient. Non-finite entries show as gaps.
    feature_names : sequence of str, length D
        Row labels (top to bottom).
    class_names : sequence of str, length C
        Column labels.
    title : str
        e.g. "dW at step 120".
    presenter : bool
    zmax : float, optional
        Colour range [-zmax, zmax]; default max |M| (pass a fixed value to compare steps).
    text_max : (int, int)
        Print values in the cells when D <= text_max[0] and C <= text_max[1].
    subtitle : str, optional
        e.g. "features × classes".
    width_share : float, default 0.5
        The chart's share of the page width (see ``base_layout``).

    Returns
    -------
    fig : go.Figure
        One heatmap, zmid = 0, zmin = -zmax, zmax = zmax; hover names the feature and
        class. ``layout.meta`` = ``{"figure": "weights_heatmap", "shape": [D, C], "zmax",
        "text_shown"}``.
    """
    s = style_for(presenter)
    M = as_float32(M)
    if M.ndim != 2 or M.shape != (len(feature_names), len(class_names)):
        raise ValueError(
            f"M must have shape (len(feature_names), len(class_names)) = "
            f"({len(feature_names)}, {len(class_names)}), got {M.shape}"
        )
    D, C = M.shape
    zmax = symmetric_max(M, zmax)
    show_text = D <= text_max[0] and C <= text_max[1]
    row_px = 44 if presenter else 30
    height = int(min(max(s.margin["t"] + s.margin["b"] + 40 + row_px * D, s.height * 0.65), 900))
    layout = deep_merge(
        base_layout(
            presenter, title=title, height=height, subtitle=subtitle, width_share=width_share
        ),
        dict(
            xaxis=index_axis(s, "class", class_names, side="bottom"),
            yaxis=index_axis(s, "feature", feature_names, reverse=True),
            uirevision="weights-heatmap",
            meta=dict(
                figure="weights_heatmap",
                shape=[int(D), int(C)],
                zmax=zmax,
                text_shown=bool(show_text),
            ),
        ),
    )
    return make_figure(
        [
            signed_heatmap(
                M,
                feature_names,
                class_names,
                s,
                zmax=zmax,
                show_text=show_text,
                colorbar_title="value",
            )
        ],
        fixed_margins(layout, s, r=70),
    )


def error_signal_figure(
    E, y, class_names, *, presenter=False, max_rows=240, title=None, subtitle=None,
    width_share=0.5,
):
    """Per-sample error signal ``q_i - onehot(y_i)`` (samples x classes), grouped by class.

    This is the classic derivation's result: dL_i/dW_j = (q_ij - 1[j = y_i]) x_i, so this
    matrix times the inputs is the gradient. Rows are grouped by true class (group boundaries drawn,
    group names on the axis) and, within a class, sorted from well classified
    (``q_iy`` near 1, error near 0) to badly classified (error near -1).

    Parameters
    ----------
    E : array_like, shape (N, C)
        Error signal; entries in [-1, 1].
    y : array_like of int, shape (N,)
        True labels in [0, C).
    class_names : sequence of str, length C
    presenter : bool
    max_rows : int, default 240
        If N is larger, keep ``max_rows`` rows evenly spaced along the sorted order
        (deterministic, keeps the class proportions); the title says so.
    title : str, optional
    subtitle : str, optional
        Replaces "samples × classes" before the sample count in the subtitle.
    width_share : float, default 0.5
        The chart's share of the page width (see ``base_layout``).

    Returns
    -------
    fig : go.Figure
        One heatmap, range [-1, 1], zmid 0; ``customdata`` holds the sample index of each
        cell's row. ``layout.meta`` = ``{"figure": "error_signal", "n_samples", "n_rows",
        "subsampled", "group_starts": [first row of each class], "class_counts": [rows
        shown per class]}``.
    """
    s = style_for(presenter)
    E = as_float32(E)
    y = np.asarray(y)
    C = len(class_names)
    if E.ndim != 2 or E.shape[1] != C or y.shape != (E.shape[0],):
        raise ValueError(f"E must be (N, {C}) and y (N,), got E {E.shape} and y {y.shape}")
    N = E.shape[0]
    if N == 0:
        raise ValueError("E is empty: no samples")
    if y.min() < 0 or y.max() >= C:
        raise ValueError(f"labels must be in [0, {C}), got {y.min()}..{y.max()}")
    # Group by class, then by the error on the true class (0 = right, -1 = badly wrong).
    e_true = np.nan_to_num(E[np.arange(N), y], nan=-1.0)
    order = np.lexsort((-e_true, y))
    subsampled = N > max_rows
    if subsampled:
        order = order[np.unique(np.linspace(0, N - 1, max_rows).round().astype(int))]
    R = order.size
    counts = np.bincount(y[order], minlength=C)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    present = np.flatnonzero(counts)

    heat = dict(
        type="heatmap",
        z=E[order],
        x=np.arange(C, dtype=np.int32),
        y=np.arange(R, dtype=np.int32),
        colorscale=DIVERGING_COLORSCALE,
        zmid=0.0,
        zmin=-1.0,
        zmax=1.0,
        customdata=np.repeat(
            order.astype(np.uint16 if N < 2**16 else np.int32)[:, None], C, axis=1
        ),
        hovertemplate="sample #%{customdata}<br>column %{x}<br>q − 1[y] = %{z:.3f}<extra></extra>",
        colorbar=colorbar(s, "q − onehot(y)", tickvals=[-1, -0.5, 0, 0.5, 1]),
        xgap=2,
    )
    # Group boundaries across the plot.
    shapes = [
        dict(
            type="line",
            xref="x domain",
            x0=0,
            x1=1,
            yref="y",
            y0=b - 0.5,
            y1=b - 0.5,
            line=dict(color=INK, width=s.line),
        )
        for b in starts[1:]
        if 0 < b < R
    ]
    note = f"{R} of {N} samples shown, evenly spaced" if subsampled else f"{N} samples"
    layout = deep_merge(
        base_layout(
            presenter,
            title=title or "Error signal q − onehot(y)",
            # a caller's subtitle names the matrix; the axes already say samples × classes
            subtitle=f"{subtitle} · {note}" if subtitle else f"samples × classes · {note}",
            width_share=width_share,
        ),
        dict(
            xaxis=index_axis(s, "class column j", class_names),
            yaxis=make_axis(
                s,
                "samples by true class",
                range=[R - 0.5, -0.5],
                autorange=False,
                tickmode="array",
                tickvals=(starts[present] + (counts[present] - 1) / 2.0).astype(float),
                ticktext=[str(class_names[k]) for k in present],
                showgrid=False,
                ticks="",
                showline=False,
            ),
            shapes=shapes,
            uirevision="error-signal",
            meta=dict(
                figure="error_signal",
                n_samples=int(N),
                n_rows=int(R),
                subsampled=bool(subsampled),
                group_starts=[int(v) for v in starts],
                class_counts=[int(v) for v in counts],
            ),
        ),
    )
    return make_figure([heat], fixed_margins(layout, s, r=96))


JACOBIAN_LABELS = {
    "rows": "probability q_i",
    "cols": "score s_j",
    "row_name": "∂q of",
    "col_name": "/ ∂s of",
    "value": "value",
    "colorbar": "∂q/∂s",
}


def jacobian_figure(J, class_names, *, presenter=False, title=None, labels=None, show_text=None):
    """Softmax Jacobian ``dq_i / ds_j = q_i (1[i = j] - q_j)`` as a signed heatmap.

    Parameters
    ----------
    J : array_like, shape (C, C)
        Row i = output probability q_i, column j = input score s_j.
    class_names : sequence of str, length C
    presenter : bool
    title : str, optional
    labels : dict, optional
        Overrides of :data:`JACOBIAN_LABELS`: axis titles ``rows`` and ``cols``, the
        hover's ``row_name``, ``col_name`` and ``value``, the ``colorbar`` title (for a
        page in another language).
    show_text : bool, optional
        Print the values in the cells; default when C <= 10.

    Returns
    -------
    fig : go.Figure
        One heatmap, zmid 0, range [-0.25, 0.25] (no entry can exceed 1/4 in size).
        ``layout.meta`` = ``{"figure": "jacobian", "shape": [C, C], "text_shown"}``.
    """
    s = style_for(presenter)
    J = as_float32(J)
    C = len(class_names)
    if J.shape != (C, C):
        raise ValueError(f"J must have shape ({C}, {C}), got {J.shape}")
    names = {**JACOBIAN_LABELS, **(labels or {})}
    show_text = C <= 10 if show_text is None else bool(show_text)
    heat = signed_heatmap(
        J,
        class_names,
        class_names,
        s,
        zmax=0.25,
        show_text=show_text,
        colorbar_title=names["colorbar"],
        text_format=".3f",
        name_rows=names["row_name"],
        name_cols=names["col_name"],
        value_label=names["value"],
    )
    side = s.margin["t"] + s.margin["b"] + (56 if presenter else 40) * C + 120
    layout = deep_merge(
        base_layout(
            presenter,
            height=min(side, 900),
            title=title or "Softmax Jacobian ∂q_i/∂s_j (classes × classes)",
        ),
        dict(
            xaxis=index_axis(
                s, names["cols"], class_names, constrain="domain", constraintoward="right"
            ),
            yaxis=index_axis(
                s,
                names["rows"],
                class_names,
                reverse=True,
                scaleanchor="x",
                scaleratio=1,
                constrain="domain",
            ),
            meta=dict(figure="jacobian", shape=[C, C], text_shown=show_text),
        ),
    )
    return make_figure([heat], layout)
