"""Plotly figure builders for the Softmax Playground: numpy arrays in, ``go.Figure`` out.

Pure functions: no Streamlit, no engine import, no I/O, so every figure can be built and
checked in a unit test without a server (DESIGN.md, "Layers").

Conventions shared by every builder
-----------------------------------
- Arrays are handed to plotly as numpy arrays (float32 where the precision is enough,
  small integer types for indices), never ``.tolist()``: plotly 7 ships them as base64
  typed arrays, which keeps the JSON that Streamlit sends to the browser small. The
  blended probability background is one PNG (``png_data_uri``), ~10x smaller than its
  raw uint8 pixels. Plain dicts are wrapped without plotly.py's validation (``_figure``);
  the tests validate every figure instead.
- Axis ranges are fixed (passed in or derived from the whole history, never from the
  selected step) so the view does not jump while scrubbing, and ``uirevision`` is set so
  a user's zoom survives a redraw where plotly.js can keep it.
- ``presenter=True`` switches to projector sizes (fonts >= 20 px, thicker lines, bigger
  markers) for a 1920x1080 screen.
- Classes are coloured with the Okabe-Ito palette (colour-blind safe, see
  ``CLASS_COLORS``) and drawn with a different marker symbol per class, so the class
  never depends on colour alone. Signed quantities use ColorBrewer's diverging RdBu
  (negative = blue, white = 0, positive = red), always centred at zero (``zmid=0``,
  symmetric ``zmin`` / ``zmax``).
- Streamlit: these figures carry their own styling and an empty template; pass
  ``theme=None`` to ``st.plotly_chart`` (Streamlit's theme re-styles fonts and offsets
  the axis lines from the decision-region image).
- ``layout.meta`` carries a few numbers a test (or AppTest) can read back.
"""

from __future__ import annotations

import base64
import struct
import zlib
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

__all__ = [
    "CLASS_COLORS",
    "CLASS_SYMBOLS",
    "DIVERGING_COLORSCALE",
    "Style",
    "animated_regions_figure",
    "boundary_polylines",
    "class_colors",
    "decision_regions_figure",
    "error_signal_figure",
    "jacobian_figure",
    "loss_curve_figure",
    "png_data_uri",
    "proba_to_rgb",
    "style_for",
    "weights_heatmap_figure",
]

# ----------------------------------------------------------------------------- palette

# Okabe & Ito (2008), "Color Universal Design": the 7 non-black colours, reordered so
# that the usual 2-4 class cases get the most distinct hues (blue, orange, green,
# reddish purple). Black is kept for boundaries, outlines and the misclassified ring.
# Classes 8-10 borrow Paul Tol's "muted" wine and olive plus a neutral grey: beyond
# seven classes no palette is safe for every colour-vision type, which is why every
# class also gets its own marker symbol (CLASS_SYMBOLS).
CLASS_COLORS = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#882255",  # wine (Tol muted)
    "#999933",  # olive (Tol muted)
    "#7F7F7F",  # grey
)
CLASS_SYMBOLS = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "triangle-down",
    "pentagon",
    "hexagon",
    "star",
    "cross",
    "x",
)
# Diverging, colour-blind friendly: ColorBrewer RdBu (11 classes), negative = blue,
# 0 = near white, positive = red. Spelled out because plotly.js's built-in "RdBu" is an
# older scale with a grey middle, which hides the sign of small values.
_RDBU = (
    "#053061",
    "#2166ac",
    "#4393c3",
    "#92c5de",
    "#d1e5f0",
    "#f7f7f7",
    "#fddbc7",
    "#f4a582",
    "#d6604d",
    "#b2182b",
    "#67001f",
)
DIVERGING_COLORSCALE = [[i / (len(_RDBU) - 1), c] for i, c in enumerate(_RDBU)]

_INK = "#1a1a1a"  # boundaries, outlines, misclassified rings
_GRID = "#e3e3e3"

# Loss-curve colours: Okabe-Ito again, plus dash patterns so no pair relies on hue.
_LOSS_STYLE = {
    "total": dict(color="#000000", dash="solid"),
    "data": dict(color="#0072B2", dash="solid"),
    "reg": dict(color="#E69F00", dash="dash"),
    "train_acc": dict(color="#009E73", dash="dot"),
    "val_acc": dict(color="#D55E00", dash="dashdot"),
    "grad": dict(color="#CC79A7", dash="solid"),
}


def class_colors(n_classes):
    """Hex colours for ``n_classes`` classes (at most ``len(CLASS_COLORS)`` = 10).

    Parameters
    ----------
    n_classes : int

    Returns
    -------
    colors : list of str, length n_classes
    """
    if not 1 <= n_classes <= len(CLASS_COLORS):
        raise ValueError(f"n_classes must be between 1 and {len(CLASS_COLORS)}, got {n_classes}")
    return list(CLASS_COLORS[:n_classes])


def _hex_to_rgb(colors):
    """(C,) hex strings -> (C, 3) float64 in 0..255."""
    return np.array([[int(h[i : i + 2], 16) for i in (1, 3, 5)] for h in colors], float)


# ----------------------------------------------------------------------------- style


@dataclass(frozen=True)
class Style:
    """Sizes for one display mode; build it with :func:`style_for`."""

    font: int  # base font (ticks, legend, hover), px
    title: int  # figure title, px
    cell_text: int  # numbers printed inside heatmap cells, px
    line: float  # curve width, px
    boundary: float  # decision-boundary width, px
    marker: int  # scatter marker size, px
    outline: float  # marker outline width, px
    margin: dict  # compact plot margins, px
    height: int  # default figure height, px


_NORMAL = Style(
    font=13,
    title=16,
    cell_text=12,
    line=2.0,
    boundary=2.0,
    marker=8,
    outline=1.0,
    margin=dict(l=60, r=20, t=56, b=50),
    height=460,
)
_PRESENTER = Style(
    font=20,
    title=26,
    cell_text=20,
    line=3.5,
    boundary=3.5,
    marker=13,
    outline=1.5,
    margin=dict(l=90, r=30, t=80, b=75),
    height=640,
)


def style_for(presenter=False):
    """The :class:`Style` for normal (``False``) or projector (``True``) display."""
    return _PRESENTER if presenter else _NORMAL


def _axis(style, title, **kw):
    """One axis dict: fixed range (given in ``kw``), light grid, readable labels."""
    base = dict(
        title=dict(text=title, font=dict(size=style.font)),
        tickfont=dict(size=style.font),
        showline=True,
        linecolor="#444",
        gridcolor=_GRID,
        zeroline=False,
        ticks="outside",
        automargin=True,  # never cut off tick labels or titles
    )
    base.update(kw)
    return base


def _base_layout(presenter=False, *, title=None, height=None, subtitle=None):
    """Layout shared by every figure: fonts, margins, white background, empty template.

    An empty template is used on purpose: plotly's default template adds ~6.5 kB of
    JSON to every chart on every rerun; the few settings we need are set explicitly.
    """
    s = style_for(presenter)
    return dict(
        template=go.layout.Template(),
        font=dict(family="Arial, Helvetica, sans-serif", size=s.font, color="#222"),
        title=dict(
            text=title,
            font=dict(size=s.title),
            x=0.01,
            xanchor="left",
            y=0.98,
            yanchor="top",
            subtitle=dict(text=subtitle, font=dict(size=s.font, color="#555")),
        ),
        # a subtitle needs one more line above the plot
        margin=dict(s.margin, t=s.margin["t"] + (s.font + 10 if subtitle else 0)),
        height=height or s.height,
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel=dict(font=dict(size=s.font)),
        legend=dict(font=dict(size=s.font)),
    )


_F32_MAX = float(np.finfo(np.float32).max)


def _f32(a):
    """Float32 copy for plotting: non-finite values become NaN (gaps); finite values
    beyond the float32 range (a diverging run's last finite state) saturate at +-3.4e38
    instead of overflowing to inf."""
    a = np.asarray(a, dtype=float)
    return np.where(np.isfinite(a), np.clip(a, -_F32_MAX, _F32_MAX), np.nan).astype(np.float32)


def _fixed_margins(layout, s, **extra_px):
    """Turn off ``automargin`` on every axis and widen the margins by ``extra_px`` instead.

    automargin makes plotly lay a chart out twice; on the Playground, where five charts
    redraw on every slider move, fixed margins cut the browser's work per key press by
    ~20% (benchmarks/latency.py). ``extra_px`` is at the normal font size and scales
    with it, so presenter mode still fits its larger labels.
    """
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            axis["automargin"] = False
    margin = dict(layout.get("margin", s.margin))
    for side, px in extra_px.items():
        margin[side] = margin.get(side, s.margin[side]) + round(px * s.font / 13)
    layout["margin"] = margin
    return layout


def _vline(x, style, **extra):
    """A dotted vertical marker across the whole plot height at data position ``x``."""
    return dict(
        type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
        line=dict(color="#444", width=style.line, dash="dot"), **extra,
    )


def _merge(base, extra):
    """Recursive dict merge: values in ``extra`` win, nested dicts are merged."""
    out = dict(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _figure(data, layout, frames=None):
    """Wrap plain trace / layout dicts in a go.Figure without plotly.py's validation.

    Validation of every property costs 5-40 ms per figure, more than the numerical work;
    Streamlit does not validate a go.Figure again (``to_dict`` then ``to_json(validate=
    False)``). The tests rebuild every figure with validation on, so a misspelt property
    still fails there.
    """
    spec = {"data": data, "layout": layout}
    if frames is not None:
        spec["frames"] = frames
    return go.Figure(spec, _validate=False)


# ----------------------------------------------------------------------------- regions


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
    rgb = _hex_to_rgb(colors).astype(np.float32)
    mixed = p @ (strength * (rgb - 255.0)).astype(np.float32) + np.float32(255.0)
    return np.clip(np.rint(mixed), 0, 255).astype(np.uint8)


def _check_grid(xs, ys, proba):
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
    xs, ys, proba = _check_grid(xs, ys, proba)
    if proba.shape[-1] < 2:
        return np.empty(0, np.float32), np.empty(0, np.float32)
    p = np.where(np.isfinite(proba), proba, 0.0).astype(float)
    return _join_segments(_marching_squares(_margins(p), xs, ys))


def png_data_uri(rgb):
    """Encode an RGB image as a PNG ``data:`` URI (stdlib zlib only, no Pillow).

    Why PNG instead of ``z``: the blended background is smooth, so PNG with the "Sub"
    row filter is about 10x smaller than the raw uint8 array plotly would base64-encode
    (G = 150: ~7 kB instead of 67.5 kB), and the browser decodes it natively.

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
    h, w, _ = rgb.shape
    sub = rgb.copy()  # PNG filter 1 ("Sub"): each byte minus the same channel to its left
    sub[:, 1:] -= rgb[:, :-1]  # uint8 arithmetic wraps mod 256, as the filter requires
    raw = np.concatenate([np.ones((h, 1), np.uint8), sub.reshape(h, 3 * w)], axis=1)

    def chunk(tag, body):
        return (
            struct.pack(">I", len(body))
            + tag
            + body
            + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))  # 8-bit RGB
        + chunk(b"IDAT", zlib.compress(raw.tobytes(), 6))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _layout_image(xs, ys, rgb):
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


def _boundary_trace(bx, by, style):
    return dict(
        type="scatter",
        x=bx,
        y=by,
        mode="lines",
        name="decision boundary",
        line=dict(color=_INK, width=style.boundary),
        hoverinfo="skip",
    )


def _class_point_traces(X, y, class_names, style, *, validation, feature_labels):
    """One scatter per class. Train: filled, dark outline; validation: white, coloured ring."""
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
                line=dict(color=_INK, width=style.outline),
            )
        traces.append(
            dict(
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
                ),
            )
        )
    return traces


def _check_points(X, y, name, n_classes):
    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"{name}: X must be (N, 2) and y (N,), got X {X.shape} and y {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"{name}: labels must be in [0, {n_classes}), got {y.min()}..{y.max()}")
    return X, y


def _regions_layout(s, presenter, title, feature_labels, x_range, y_range, meta):
    subtitle = "shade: class probabilities blended (muddy = uncertain)"
    return _merge(
        # taller than the other charts: the legend sits below the square plot
        _base_layout(presenter, title=title, subtitle=subtitle, height=s.height + 80),
        dict(
            xaxis=_axis(
                s,
                feature_labels[0],
                range=[float(v) for v in x_range],
                autorange=False,
                constrain="domain",
                showgrid=False,
            ),
            # Equal aspect: the plane's geometry is not distorted. Range ascending: the
            # background image is placed for an upward y axis (see _layout_image).
            yaxis=_axis(
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
            # the default 10 px between groups would push 10 classes off the legend
            # Below the plot, in rows: the square plot then gets the column's full width.
            legend=dict(
                itemsizing="constant",
                tracegroupgap=0,
                orientation="h",
                x=0,
                xanchor="left",
                y=-0.17,
                yanchor="top",
            ),
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
    xs, ys, proba = _check_grid(xs, ys, proba)
    C = proba.shape[-1]
    if len(class_names) != C:
        raise ValueError(f"class_names has {len(class_names)} names for {C} classes")
    feature_labels = tuple(feature_labels)
    X_train, y_train = _check_points(X_train, y_train, "train", C)
    has_val = X_val is not None and y_val is not None
    if has_val:
        X_val, y_val = _check_points(X_val, y_val, "validation", C)

    data = [_boundary_trace(*boundary_polylines(xs, ys, proba), s)]
    data += _class_point_traces(
        X_train, y_train, class_names, s, validation=False, feature_labels=feature_labels
    )
    if has_val:
        data += _class_point_traces(
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
                    color=_INK,
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
    layout = _regions_layout(
        s, presenter, title or "Decision regions", feature_labels, x_range, y_range, meta
    )
    layout["images"] = [_layout_image(xs, ys, proba_to_rgb(proba, strength=strength))]
    return _figure(data, _fixed_margins(layout, s, b=75))


# ----------------------------------------------------------------------------- loss curve


def _finite_range(arrays, *, log=False, pad=0.05):
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
    x = steps.astype(np.int32) if np.issubdtype(steps.dtype, np.integer) else _f32(steps)
    x_range = [0.0, float(max(steps[-1], 1))]
    has_grad = grad_norm is not None and bool(np.isfinite(np.asarray(grad_norm, float)).any())

    data, names = [], []

    def add(key, a, label, yaxis="y", xaxis="x", width=s.line, fmt=".4g"):
        if a is None:
            return
        a = _f32(a)
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
    layout = _merge(
        _base_layout(presenter, title=title or "Loss and accuracy", height=s.height + 80),
        dict(
            hovermode="x unified",
            uirevision="loss-curve",
            # Legend in rows below the "step" axis title: in a narrow column it wraps, and
            # above the plot it would run into the title.
            legend=dict(orientation="h", x=0, xanchor="left", y=-0.16, yanchor="top"),
            xaxis=_axis(
                s,
                None if has_grad else "step",
                range=x_range,
                autorange=False,
                anchor="y",
                showticklabels=not has_grad,
            ),
            yaxis=_axis(
                s,
                "loss",
                range=_finite_range(losses, log=log_y),
                autorange=False,
                type="log" if log_y else "linear",
                domain=top,
            ),
            yaxis2=_axis(
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
        layout["xaxis2"] = _axis(
            s, "step", range=x_range, autorange=False, anchor="y3", matches="x"
        )
        layout["yaxis3"] = _axis(
            s,
            "‖(dW, db)‖",  # the full gradient: weights and biases
            type="log",
            autorange=False,
            domain=[0.0, 0.27],
            range=_finite_range([grad_norm], log=True),
            anchor="x2",
            dtick=1,
        )  # one label per decade
    if selected_step is not None:
        layout["shapes"] = [_vline(selected_step, s, name="selected step")]
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
    return _figure(data, _fixed_margins(layout, s, r=50, b=92))


# ----------------------------------------------------------------------------- heatmaps


def _colorbar(s, title, **kw):
    return dict(
        title=dict(text=title, font=dict(size=s.font)),
        tickfont=dict(size=s.font),
        thickness=22 if s is _PRESENTER else 14,
        outlinewidth=0,
        **kw,
    )


def _index_axis(s, title, labels, *, reverse=False, **kw):
    """Axis over positions 0..n-1 labelled with ``labels`` (robust to duplicate or
    number-like names), fixed range; ``reverse`` puts row 0 at the top."""
    n = len(labels)
    rng = [n - 0.5, -0.5] if reverse else [-0.5, n - 0.5]
    # Past 30 rows (the Playground's 40 RBF bumps) label every k-th row: each tick label
    # costs the browser layout time on every redraw, and the hover names every row anyway.
    every = -(-n // 10) if n > 30 else 1
    return _axis(
        s,
        title,
        range=rng,
        autorange=False,
        tickmode="array",
        tickvals=np.arange(0, n, every, dtype=np.int32),
        ticktext=[str(v) for v in labels][::every],
        showgrid=False,
        ticks="",
        showline=False,
        **kw,
    )


def _sym_max(M, zmax):
    if zmax is not None:
        return float(zmax)
    m = float(np.nanmax(np.abs(M))) if np.isfinite(M).any() else 0.0
    return m if m > 0 else 1.0


def _signed_heatmap(
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
):
    """Heatmap trace for a signed matrix (rows x columns), diverging colours, zmid = 0."""
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
        hovertemplate="%{hovertext}<br>value = %{z:.4g}<extra></extra>",
        texttemplate=f"%{{z:{text_format}}}" if show_text else "",
        textfont=dict(size=s.cell_text),
        xgap=2,
        ygap=2,
        colorbar=_colorbar(s, colorbar_title),
    )


def weights_heatmap_figure(
    M, feature_names, class_names, *, title, presenter=False, zmax=None, text_max=(12, 10)
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
        e.g. "dW at step 120 (features × classes)".
    presenter : bool
    zmax : float, optional
        Colour range [-zmax, zmax]; default max |M| (pass a fixed value to compare steps).
    text_max : (int, int)
        Print values in the cells when D <= text_max[0] and C <= text_max[1].

    Returns
    -------
    fig : go.Figure
        One heatmap, zmid = 0, zmin = -zmax, zmax = zmax; hover names the feature and
        class. ``layout.meta`` = ``{"figure": "weights_heatmap", "shape": [D, C], "zmax",
        "text_shown"}``.
    """
    s = style_for(presenter)
    M = _f32(M)
    if M.ndim != 2 or M.shape != (len(feature_names), len(class_names)):
        raise ValueError(
            f"M must have shape (len(feature_names), len(class_names)) = "
            f"({len(feature_names)}, {len(class_names)}), got {M.shape}"
        )
    D, C = M.shape
    zmax = _sym_max(M, zmax)
    show_text = D <= text_max[0] and C <= text_max[1]
    row_px = 44 if presenter else 30
    height = int(min(max(s.margin["t"] + s.margin["b"] + 40 + row_px * D, s.height * 0.65), 900))
    layout = _merge(
        _base_layout(presenter, title=title, height=height),
        dict(
            xaxis=_index_axis(s, "class", class_names, side="bottom"),
            yaxis=_index_axis(s, "feature", feature_names, reverse=True),
            uirevision="weights-heatmap",
            meta=dict(
                figure="weights_heatmap",
                shape=[int(D), int(C)],
                zmax=zmax,
                text_shown=bool(show_text),
            ),
        ),
    )
    return _figure(
        [
            _signed_heatmap(
                M,
                feature_names,
                class_names,
                s,
                zmax=zmax,
                show_text=show_text,
                colorbar_title="value",
            )
        ],
        _fixed_margins(layout, s, r=70),
    )


def error_signal_figure(E, y, class_names, *, presenter=False, max_rows=240, title=None):
    """Per-sample error signal ``q_i - onehot(y_i)`` (samples x classes), grouped by class.

    This is the seed's result: dL_i/dW_j = (q_ij - 1[j = y_i]) x_i, so this matrix times
    the inputs is the gradient. Rows are grouped by true class (group boundaries drawn,
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

    Returns
    -------
    fig : go.Figure
        One heatmap, range [-1, 1], zmid 0; ``customdata`` holds the sample index of each
        cell's row. ``layout.meta`` = ``{"figure": "error_signal", "n_samples", "n_rows",
        "subsampled", "group_starts": [first row of each class], "class_counts": [rows
        shown per class]}``.
    """
    s = style_for(presenter)
    E = _f32(E)
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
        colorbar=_colorbar(s, "q − onehot(y)", tickvals=[-1, -0.5, 0, 0.5, 1]),
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
            line=dict(color=_INK, width=s.line),
        )
        for b in starts[1:]
        if 0 < b < R
    ]
    note = f"{R} of {N} samples shown, evenly spaced" if subsampled else f"{N} samples"
    layout = _merge(
        _base_layout(
            presenter,
            title=title or "Error signal q − onehot(y)",
            subtitle=f"samples × classes · {note}",
        ),
        dict(
            xaxis=_index_axis(s, "class column j", class_names),
            yaxis=_axis(
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
    return _figure([heat], _fixed_margins(layout, s, r=96))


def jacobian_figure(J, class_names, *, presenter=False, title=None):
    """Softmax Jacobian ``dq_i / ds_j = q_i (1[i = j] - q_j)`` as a signed heatmap.

    Parameters
    ----------
    J : array_like, shape (C, C)
        Row i = output probability q_i, column j = input score s_j.
    class_names : sequence of str, length C
    presenter : bool
    title : str, optional

    Returns
    -------
    fig : go.Figure
        One heatmap, zmid 0, range [-0.25, 0.25] (no entry can exceed 1/4 in size).
        ``layout.meta`` = ``{"figure": "jacobian", "shape": [C, C]}``.
    """
    s = style_for(presenter)
    J = _f32(J)
    C = len(class_names)
    if J.shape != (C, C):
        raise ValueError(f"J must have shape ({C}, {C}), got {J.shape}")
    heat = _signed_heatmap(
        J,
        class_names,
        class_names,
        s,
        zmax=0.25,
        show_text=C <= 10,
        colorbar_title="∂q/∂s",
        text_format=".3f",
        name_rows="∂q of",
        name_cols="/ ∂s of",
    )
    side = s.margin["t"] + s.margin["b"] + (56 if presenter else 40) * C + 120
    layout = _merge(
        _base_layout(
            presenter,
            height=min(side, 900),
            title=title or "Softmax Jacobian ∂q_i/∂s_j (classes × classes)",
        ),
        dict(
            xaxis=_index_axis(
                s, "score s_j", class_names, constrain="domain", constraintoward="right"
            ),
            yaxis=_index_axis(
                s,
                "probability q_i",
                class_names,
                reverse=True,
                scaleanchor="x",
                scaleratio=1,
                constrain="domain",
            ),
            meta=dict(figure="jacobian", shape=[C, C]),
        ),
    )
    return _figure([heat], layout)


# ----------------------------------------------------------------------------- animation


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
        fx, fy, pk = _check_grid(xs, ys, P[i])
        images.append(_layout_image(fx, fy, proba_to_rgb(pk, strength=strength)))
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
    layout = _merge(
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
    return _figure(data, layout, frames)
