"""Decision regions: probabilities blended into a picture, boundaries, class markers.

Pure: arrays in, ``go.Figure`` out. The background is one PNG placed as a layout image;
boundaries are traced by marching squares on every class's margin, so they are right
for any number of classes.
"""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

from dashboard.charts.style import (
    CLASS_SYMBOLS,
    INK,
    base_layout,
    class_colors,
    deep_merge,
    fixed_margins,
    hex_to_rgb,
    legend_below,
    make_axis,
    make_figure,
    style_for,
)


def proba_to_rgb(proba, colors=None, strength=0.6):
    """Blend class colours by probability into an RGB image.

    ``rgb = 255 - strength * (255 - proba @ class_rgb)``: the probability-weighted mix of
    the class colours, lightened toward white so markers stay visible on top. A confident
    region shows its class colour, an uncertain one a muddy mix.

    Parameters
    ----------
    proba : array_like, shape (..., C)
        Class probabilities (rows summing to 1), e.g. (G_y, G_x, C) or (K, G_y, G_x, C).
        Non-finite values count as 0.
    colors : sequence of str, length C, optional
        Hex colours; default the first C of :data:`CLASS_COLORS`.
    strength : float in [0, 1], default 0.6
        1 = pure blended colour, 0 = white.

    Returns
    -------
    rgb : ndarray of uint8, shape (..., 3)
    """
    p = np.asarray(proba, dtype=np.float32)
    colors = class_colors(p.shape[-1]) if colors is None else list(colors)
    if len(colors) != p.shape[-1]:
        raise ValueError(f"need {p.shape[-1]} colours, got {len(colors)}")
    p = np.where(np.isfinite(p), p, np.float32(0.0))
    # One matmul: 255 - s*(255 - p@rgb) = p@(s*rgb - 255*s) + 255   (rows of p sum to 1)
    rgb = hex_to_rgb(colors).astype(np.float32)
    mixed = p @ (strength * (rgb - 255.0)).astype(np.float32) + np.float32(255.0)
    return np.clip(np.rint(mixed), 0, 255).astype(np.uint8)


def check_grid(xs, ys, proba):
    """Validate the grid; return float xs, ys ascending and proba (G_y, G_x, C) to match."""
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    proba = np.asarray(proba, dtype=np.float32)
    if proba.ndim != 3 or proba.shape[:2] != (ys.size, xs.size):
        raise ValueError(
            f"proba must have shape (len(ys), len(xs), C) = ({ys.size}, {xs.size}, C), "
            f"got {proba.shape}"
        )
    if xs.size < 2 or ys.size < 2:
        raise ValueError(f"the grid needs at least 2 points per axis, got {xs.size}x{ys.size}")
    if xs[1] < xs[0]:  # keep the image upright: plotly puts pixel [0, 0] at (x0, y0)
        xs, proba = xs[::-1], proba[:, ::-1]
    if ys[1] < ys[0]:
        ys, proba = ys[::-1], proba[::-1]
    return xs, ys, proba


def _margins(proba):
    """m[k] = p_k - max_{j != k} p_j, shape (C, G_y, G_x): region k is exactly m[k] > 0."""
    top = np.argmax(proba, axis=-1)
    part = np.partition(proba, proba.shape[-1] - 2, axis=-1)
    first, second = part[..., -1], part[..., -2]
    k = np.arange(proba.shape[-1])[:, None, None]
    best_other = np.where(k == top[None], second[None], first[None])
    return np.moveaxis(proba, -1, 0) - best_other


def _marching_squares(f, xs, ys):
    """Zero-level segments of the fields ``f`` (C, G_y, G_x) -> (S, 2, 2) [[x, y], [x, y]].

    Marching squares with linear interpolation along cell edges, only on the cells the
    level crosses; a saddle cell is resolved by the sign of its centre value.
    """
    inside = f > 0
    c00, c01 = inside[:, :-1, :-1], inside[:, :-1, 1:]
    c10, c11 = inside[:, 1:, :-1], inside[:, 1:, 1:]
    k, i, j = np.nonzero((c00 != c01) | (c00 != c10) | (c01 != c11))
    if k.size == 0:
        return np.empty((0, 2, 2))
    f00, f01, f10, f11 = f[k, i, j], f[k, i, j + 1], f[k, i + 1, j], f[k, i + 1, j + 1]
    x0, x1, y0, y1 = xs[j], xs[j + 1], ys[i], ys[i + 1]
    with np.errstate(divide="ignore", invalid="ignore"):  # uncrossed edges are not used
        tb, tr = f00 / (f00 - f01), f01 / (f01 - f11)
        tt, tl = f10 / (f10 - f11), f00 / (f00 - f10)
    # Edge crossing points, edges in the order bottom, right, top, left: (M, 4).
    ex = np.stack([x0 + tb * (x1 - x0), x1, x0 + tt * (x1 - x0), x0], axis=1)
    ey = np.stack([y0, y0 + tr * (y1 - y0), y1, y0 + tl * (y1 - y0)], axis=1)
    b00, b01, b10, b11 = c00[k, i, j], c01[k, i, j], c10[k, i, j], c11[k, i, j]
    ec = np.stack([b00 != b01, b01 != b11, b10 != b11, b00 != b10], axis=1)
    r = np.arange(k.size)
    segs = []
    two = ec.sum(axis=1) == 2
    order = np.argsort(~ec[two], axis=1, kind="stable")[:, :2]  # the two crossed edges
    segs.append(
        np.stack(
            [ex[two][r[: two.sum(), None], order], ey[two][r[: two.sum(), None], order]], axis=-1
        )
    )
    four = ~two
    if four.any():
        centre = (f00 + f01 + f10 + f11)[four] > 0
        # Cut off the two corners whose side differs from the centre's.
        cut_00_11 = b00[four] != centre  # -> (bottom, left) and (top, right)
        pairs = np.where(cut_00_11[:, None, None], [[0, 3], [2, 1]], [[0, 1], [2, 3]])
        rr = np.arange(four.sum())[:, None, None]
        segs.append(np.stack([ex[four][rr, pairs], ey[four][rr, pairs]], axis=-1).reshape(-1, 2, 2))
    return np.concatenate(segs)


def _join_segments(segs, decimals=9):
    """Chain segments that share end points into polylines; NaN-separated x, y (float32).

    Chaining roughly thirds the payload against one NaN-separated segment per cell.
    """
    if len(segs) == 0:
        return np.empty(0, np.float32), np.empty(0, np.float32)
    # Canonical end-point order, then drop duplicates: the boundary between classes k and
    # j is found from both m[k] and m[j], with bit-identical crossing points.
    key = np.round(segs, decimals)
    flip = (key[:, 0, 0] > key[:, 1, 0]) | (
        (key[:, 0, 0] == key[:, 1, 0]) & (key[:, 0, 1] > key[:, 1, 1])
    )
    key[flip] = key[flip][:, ::-1]
    key = np.unique(key, axis=0)
    key = key[np.any(key[:, 0] != key[:, 1], axis=1)]  # drop zero-length segments
    pts = list(map(tuple, key.reshape(-1, 2).tolist()))
    adj = {}
    for n, p in enumerate(pts):
        adj.setdefault(p, []).append(n)  # n = 2 * segment + end
    used = bytearray(len(key))
    xs_out, ys_out = [], []
    # Start at open ends first so each open chain comes out whole, then close the loops.
    starts = [n for lst in adj.values() if len(lst) == 1 for n in lst]
    for start in starts + list(range(0, len(pts), 2)):
        if used[start // 2]:
            continue
        line, n = [pts[start]], start
        while True:
            used[n // 2] = 1
            p = pts[n ^ 1]  # the segment's other end
            line.append(p)
            nxt = [m for m in adj[p] if not used[m // 2]]
            if not nxt:
                break
            n = nxt[0]
        line.append((np.nan, np.nan))
        arr = np.asarray(line)
        xs_out.append(arr[:, 0])
        ys_out.append(arr[:, 1])
    return (np.concatenate(xs_out).astype(np.float32), np.concatenate(ys_out).astype(np.float32))


def boundary_polylines(xs, ys, proba):
    """Decision boundaries on a probability grid as NaN-separated polylines.

    A point is on a boundary where the two largest class probabilities are equal. The
    boundary of class k's region is the zero level of ``m_k = p_k - max_{j != k} p_j``,
    traced by marching squares for every class, so it is right for any number of classes
    (a contour of the argmax label would draw one line per level crossed between, say,
    class 0 and class 3, and put them in slightly different places).

    Parameters
    ----------
    xs : array_like, shape (G_x,)
    ys : array_like, shape (G_y,)
    proba : array_like, shape (G_y, G_x, C)
        Probabilities on the grid; row i is at ``ys[i]``.

    Returns
    -------
    bx, by : ndarray of float32, shape (P,)
        Polyline vertices, each polyline followed by a NaN.
    """
    xs, ys, proba = check_grid(xs, ys, proba)
    if proba.shape[-1] < 2:
        return np.empty(0, np.float32), np.empty(0, np.float32)
    p = np.where(np.isfinite(proba), proba, 0.0).astype(float)
    return _join_segments(_marching_squares(_margins(p), xs, ys))


def png_data_uri(rgb):
    """Encode an RGB image as a PNG ``data:`` URI (Pillow).

    Why PNG instead of raw pixels: the blended background is smooth, so PNG is about
    10x smaller than the uint8 array plotly would base64-encode (G = 150: ~7 kB instead
    of 67.5 kB), and the browser decodes it natively.

    Parameters
    ----------
    rgb : ndarray of uint8, shape (H, W, 3)
        Row 0 is the first row of the PNG (the top when shown as a picture).

    Returns
    -------
    uri : str
        ``"data:image/png;base64,..."``.
    """
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"rgb must have shape (H, W, 3), got {rgb.shape}")
    buffer = io.BytesIO()
    # compress_level 6 is zlib's default balance; level 9 saves ~3% for 3x the time
    Image.fromarray(rgb).save(buffer, format="PNG", compress_level=6)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def layout_image(xs, ys, rgb):
    """The blended probabilities as a layout image whose pixel centres sit on the grid.

    A layout image, not an image trace: plotly.js loads an image trace's PNG
    asynchronously before it finishes drawing, so the background of a changed figure
    appeared only after every other chart on the page had been drawn (~150 ms later on
    the Playground, ``benchmarks/latency.py``); a layout image is set in the same draw.
    It is placed by its top-left corner, so PNG row 0 must be the top row: the grid rows
    (ascending y) are flipped.
    """
    dx = (xs[-1] - xs[0]) / (xs.size - 1)
    dy = (ys[-1] - ys[0]) / (ys.size - 1)
    return dict(
        source=png_data_uri(rgb[::-1]),
        xref="x",
        yref="y",
        layer="below",
        x=float(xs[0] - dx / 2),
        y=float(ys[-1] + dy / 2),
        xanchor="left",
        yanchor="top",
        sizex=float(dx * xs.size),
        sizey=float(dy * ys.size),
        sizing="stretch",
    )


def boundary_trace(bx, by, style, *, name="decision boundary"):
    """The decision boundary as one line trace (NaN-separated polylines, no hover)."""
    return dict(
        type="scatter",
        x=bx,
        y=by,
        mode="lines",
        name=name,
        line=dict(color=INK, width=style.boundary),
        hoverinfo="skip",
    )


def class_point_traces(
    X, y, class_names, style, *, validation, feature_labels, customdata=None, hovertemplate=None
):
    """One scatter per class. Train: filled, dark outline; validation: white, coloured ring.

    Parameters
    ----------
    X : ndarray, shape (N, 2)
    y : ndarray of int, shape (N,)
    class_names : sequence of str, length C
    style : Style
    validation : bool
    feature_labels : (str, str)
        Named in the default hover.
    customdata : array_like, shape (N,), optional
        One value per point (e.g. its sample index); each class's trace gets the values
        of its points, in the order of ``X``, so a clicked point maps back to its value.
    hovertemplate : str, optional
        A plotly hover template per class; ``{name}`` is replaced by the class name
        (braces for plotly written doubled, as in ``str.format``). Default: the class
        name, "(train)" or "(validation)", and both coordinates.
    """
    traces = []
    colors = class_colors(len(class_names))
    kind = "validation" if validation else "train"
    for k, name in enumerate(class_names):
        pts = X[y == k]
        if validation:
            marker = dict(
                symbol=CLASS_SYMBOLS[k],
                size=style.marker,
                color="white",
                line=dict(color=colors[k], width=2 * style.outline + 0.5),
            )
        else:
            marker = dict(
                symbol=CLASS_SYMBOLS[k],
                size=style.marker,
                color=colors[k],
                line=dict(color=INK, width=style.outline),
            )
        trace = dict(
            type="scatter",
            x=pts[:, 0],
            y=pts[:, 1],
            mode="markers",
            marker=marker,
            name=f"{name} (validation)" if validation else str(name),
            legendgroup=f"class{k}",
            showlegend=not validation,
            hovertemplate=(
                f"{name} ({kind})<br>{feature_labels[0]} = %{{x:.3g}}"
                f"<br>{feature_labels[1]} = %{{y:.3g}}<extra></extra>"
                if hovertemplate is None
                else hovertemplate.format(name=name)
            ),
        )
        if customdata is not None:
            trace["customdata"] = np.asarray(customdata)[y == k]
        traces.append(trace)
    return traces


def check_points(X, y, name, n_classes):
    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"{name}: X must be (N, 2) and y (N,), got X {X.shape} and y {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"{name}: labels must be in [0, {n_classes}), got {y.min()}..{y.max()}")
    return X, y


REGIONS_SUBTITLE = "shade: class probabilities blended (muddy = uncertain)"


def regions_layout(
    s, presenter, title, feature_labels, x_range, y_range, meta, *, subtitle=REGIONS_SUBTITLE
):
    """Layout of a decision-regions chart: equal-aspect plane, fixed ranges, legend below."""
    return deep_merge(
        # taller than the other charts: the legend sits below the square plot
        base_layout(presenter, title=title, subtitle=subtitle, height=s.height + 80),
        dict(
            xaxis=make_axis(
                s,
                feature_labels[0],
                range=[float(v) for v in x_range],
                autorange=False,
                constrain="domain",
                showgrid=False,
            ),
            # Equal aspect: the plane's geometry is not distorted. Range ascending: the
            # background image is placed for an upward y axis (see layout_image).
            yaxis=make_axis(
                s,
                feature_labels[1],
                range=[float(v) for v in y_range],
                autorange=False,
                scaleanchor="x",
                scaleratio=1,
                constrain="domain",
                showgrid=False,
            ),
            # tracegroupgap=0: each class is its own legend group (train + validation), and
            # the default 10 px between groups would push 10 classes off the legend. Its
            # place, below the plot in rows, is legend_below's (decision_regions_figure).
            legend=dict(itemsizing="constant", tracegroupgap=0),
            uirevision="decision-regions",
            meta=meta,
        ),
    )


def decision_regions_figure(
    xs,
    ys,
    proba,
    X_train,
    y_train,
    *,
    X_val=None,
    y_val=None,
    pred_train=None,
    pred_val=None,
    class_names,
    x_range,
    y_range,
    feature_labels=("x1", "x2"),
    presenter=False,
    title=None,
    strength=0.6,
):
    """Decision regions: blended class probabilities, boundaries, train/validation points.

    Parameters
    ----------
    xs : array_like, shape (G_x,)
        Grid x coordinates, evenly spaced.
    ys : array_like, shape (G_y,)
        Grid y coordinates, evenly spaced.
    proba : array_like, shape (G_y, G_x, C)
        Class probabilities on the grid; row i is at ``ys[i]`` (rows = y).
    X_train : array_like, shape (N, 2)
    y_train : array_like of int, shape (N,)
        Labels in [0, C).
    X_val : array_like, shape (M, 2), optional
    y_val : array_like of int, shape (M,), optional
        Validation points: drawn white-filled with a ring in the class colour.
    pred_train : array_like of int, shape (N,), optional
    pred_val : array_like of int, shape (M,), optional
        Predicted labels; points where they differ from the truth get a black ring.
    class_names : sequence of str, length C (at most 10)
    x_range, y_range : (float, float)
        Fixed axis ranges (also the zoom-reset view).
    feature_labels : (str, str)
        Axis titles.
    presenter : bool
        Projector sizes.
    title : str, optional
    strength : float, default 0.6
        How strongly the background shows the class colours (see :func:`proba_to_rgb`).

    Returns
    -------
    fig : go.Figure
        The background is ``layout.images[0]``. Traces in order: boundary, C train
        traces, [C validation traces, a legend-only "validation" key], [misclassified
        rings]. ``layout.meta`` =
        ``{"figure": "decision_regions", "n_classes", "grid": [G_y, G_x], "n_train",
        "n_val", "n_misclassified_train", "n_misclassified_val", "n_misclassified",
        "x_range", "y_range"}`` (misclassified counts are None without predictions).
    """
    s = style_for(presenter)
    xs, ys, proba = check_grid(xs, ys, proba)
    C = proba.shape[-1]
    if len(class_names) != C:
        raise ValueError(f"class_names has {len(class_names)} names for {C} classes")
    feature_labels = tuple(feature_labels)
    X_train, y_train = check_points(X_train, y_train, "train", C)
    has_val = X_val is not None and y_val is not None
    if has_val:
        X_val, y_val = check_points(X_val, y_val, "validation", C)

    data = [boundary_trace(*boundary_polylines(xs, ys, proba), s)]
    data += class_point_traces(
        X_train, y_train, class_names, s, validation=False, feature_labels=feature_labels
    )
    if has_val:
        data += class_point_traces(
            X_val, y_val, class_names, s, validation=True, feature_labels=feature_labels
        )
        # Legend-only key for the validation look (the per-class validation traces are
        # grouped with their class and kept out of the legend).
        data.append(
            dict(
                # one NaN point: never drawn, but plotly.js lists a trace without points
                type="scatter",
                x=np.full(1, np.nan, np.float32),
                y=np.full(1, np.nan, np.float32),
                mode="markers",
                name="validation",
                hoverinfo="skip",
                marker=dict(
                    symbol="circle",
                    size=s.marker,
                    color="white",
                    line=dict(color="#555", width=2 * s.outline + 0.5),
                ),
            )
        )

    # Misclassified points: one ring trace over train and validation.
    wrong_xy, wrong_text, n_wrong = [], [], {"train": None, "val": None}
    for part, X, y, pred in (
        ("train", X_train, y_train, pred_train),
        ("val", X_val, y_val, pred_val),
    ):
        if pred is None or X is None or y is None:
            continue
        pred = np.asarray(pred)
        if pred.shape != y.shape:
            raise ValueError(f"pred_{part} must have shape {y.shape}, got {pred.shape}")
        bad = pred != y
        n_wrong[part] = int(bad.sum())
        wrong_xy.append(X[bad])
        wrong_text += [
            f"{part}: true {class_names[t]}, predicted {class_names[p]}"
            for t, p in zip(y[bad].tolist(), pred[bad].tolist(), strict=True)
        ]
    if wrong_xy:
        wxy = np.concatenate(wrong_xy)
        data.append(
            dict(
                type="scatter",
                x=wxy[:, 0],
                y=wxy[:, 1],
                mode="markers",
                name="misclassified",
                marker=dict(
                    symbol="circle-open",
                    size=s.marker + 9,
                    color=INK,
                    line=dict(width=s.outline + 1.0),
                ),
                text=wrong_text,
                hovertemplate="%{text}<extra></extra>",
            )
        )

    n_mis = (
        None
        if n_wrong["train"] is None and n_wrong["val"] is None
        else ((n_wrong["train"] or 0) + (n_wrong["val"] or 0))
    )
    meta = dict(
        figure="decision_regions",
        n_classes=int(C),
        grid=[int(ys.size), int(xs.size)],
        n_train=len(y_train),
        n_val=len(y_val) if has_val else 0,
        n_misclassified_train=n_wrong["train"],
        n_misclassified_val=n_wrong["val"],
        n_misclassified=n_mis,
        x_range=[float(v) for v in x_range],
        y_range=[float(v) for v in y_range],
    )
    layout = regions_layout(
        s, presenter, title or "Decision regions", feature_labels, x_range, y_range, meta
    )
    layout["images"] = [layout_image(xs, ys, proba_to_rgb(proba, strength=strength))]
    # in rows under the axis title: the square plot then gets the column's full width
    layout = deep_merge(layout, legend_below(presenter, data))
    return make_figure(data, fixed_margins(layout, s))
