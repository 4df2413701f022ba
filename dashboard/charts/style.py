"""The chart kit's style: palette, sizes per display mode, axes, colour bars, layouts.

Every figure in the app is built from these pieces, so a chart on any page looks like
its neighbours and switches to projector sizes with ``presenter=True``.

- Classes use the Okabe-Ito palette (colour-blind safe) and a marker symbol each, so a
  class never depends on colour alone. Signed quantities use ColorBrewer's diverging
  RdBu (negative = blue, white = 0, positive = red), always centred at zero.
- Figures carry their own styling and an empty template; plain dicts are wrapped
  without plotly.py's validation (:func:`make_figure`) and the tests validate them.
- Arrays go to plotly as numpy arrays (float32 where that is precise enough, see
  :func:`as_float32`), never ``.tolist()``: plotly 7 sends them as base64 typed arrays.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

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


INK = "#1a1a1a"  # boundaries, outlines, misclassified rings


GRID = "#e3e3e3"


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


def hex_to_rgb(colors):
    """(C,) hex strings -> (C, 3) float64 in 0..255."""
    return np.array([[int(h[i : i + 2], 16) for i in (1, 3, 5)] for h in colors], float)




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


def make_axis(style, title, **kw):
    """One axis dict: fixed range (given in ``kw``), light grid, readable labels."""
    base = dict(
        title=dict(text=title, font=dict(size=style.font)),
        tickfont=dict(size=style.font),
        showline=True,
        linecolor="#444",
        gridcolor=GRID,
        zeroline=False,
        ticks="outside",
        automargin=True,  # never cut off tick labels or titles
    )
    base.update(kw)
    return base


MODEBAR_BAND = 34  # px: one row of plotly's toolbar and a gap
MODEBAR_REMOVE = [
    "lasso2d", "select2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
    "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian",
]  # fmt: skip


# The narrowest page content each mode is laid out for, px: presenter mode on a 1024-px
# projector (sidebar closed), normal mode on a 1280-px laptop with the sidebar open.
# Plotly never wraps a title, so titles wrap to fit their chart's share of that width.
NARROWEST_CONTENT_PX = {True: 824, False: 884}
_AVERAGE_EM = 0.56  # mean advance of Latin text in Arial, in ems; CJK characters are 1
_CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"  # a line may break between two of these
_TOKENS = re.compile(rf"\s+|[{_CJK}]|[^\s{_CJK}]+")


def text_width_em(text: str) -> float:
    """Approximate width of ``text`` in ems (wide East Asian characters count 1)."""
    return sum(
        1.0 if unicodedata.east_asian_width(ch) in "WF" else _AVERAGE_EM for ch in text
    )


def wrap_text(text: str | None, max_em: float) -> tuple[str | None, int]:
    """``text`` with ``<br>`` breaks so no line is wider than ``max_em``, and its line count.

    Breaks fall between words or between two CJK characters; a word wider than the line
    keeps a line of its own. ``None`` stays ``None`` (0 lines).

    Examples
    --------
    >>> wrap_text("Loss and accuracy per L-BFGS iteration", 12)
    ('Loss and accuracy per<br>L-BFGS iteration', 2)
    >>> wrap_text("W at step 300", 20)
    ('W at step 300', 1)
    """
    if text is None:
        return None, 0
    lines = []
    for paragraph in text.split("<br>"):
        line = ""
        for token in _TOKENS.findall(paragraph):
            if token.isspace():
                line += " " if line else ""
            elif line.strip() and text_width_em(line + token) > max_em:
                lines.append(line.rstrip())
                line = token
            else:
                line += token
        lines.append(line.rstrip())
    return "<br>".join(lines), len(lines)


def base_layout(presenter=False, *, title=None, height=None, subtitle=None, width_share=0.5):
    """Layout shared by every figure: fonts, margins, white background, empty template.

    An empty template is used on purpose: plotly's default template adds ~6.5 kB of
    JSON to every chart on every rerun; the few settings we need are set explicitly.
    ``width_share`` is the chart's share of the page's width (0.5 in a two-column row):
    the title and subtitle wrap to fit it on the narrowest screen, and the top margin
    grows by their extra lines.
    """
    s = style_for(presenter)
    room = NARROWEST_CONTENT_PX[bool(presenter)] * width_share - 24
    title, title_lines = wrap_text(title, room / s.title)
    subtitle, subtitle_lines = wrap_text(subtitle, room / s.font)
    extra = max(title_lines - 1, 0) * round(1.25 * s.title) + subtitle_lines * (s.font + 10)
    return dict(
        template=go.layout.Template(),
        font=dict(family="Arial, Helvetica, sans-serif", size=s.font, color="#222"),
        # The title starts below a band kept for plotly's toolbar: on a device that
        # reports no hover (a tablet) the toolbar is always shown, top right, and would
        # cover a long title.
        title=dict(
            text=title,
            font=dict(size=s.title),
            x=0.01,
            xanchor="left",
            yref="container",
            y=1,
            yanchor="top",
            pad=dict(t=MODEBAR_BAND),
            subtitle=dict(text=subtitle, font=dict(size=s.font, color="#555")),
        ),
        # every title line after the first and every subtitle line take room above the plot
        margin=dict(s.margin, t=s.margin["t"] + MODEBAR_BAND + extra),
        # Only the buttons these charts need, so the toolbar stays one row in the band.
        modebar=dict(remove=MODEBAR_REMOVE),
        height=height or s.height,
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel=dict(font=dict(size=s.font)),
        legend=dict(font=dict(size=s.font)),
    )


def legend_below(presenter, traces, *, width_share=0.5, bottom=None):
    """A horizontal legend at the foot of the figure, under the x axis and its title, and
    the layout's bottom margin with room for it.

    A legend placed in plot fractions (``y=-0.2``) lands on the axis title whenever the
    plot is short or the labels are large (presenter mode): the distance it needs is in
    pixels. Here the legend hangs from the figure's bottom edge and the margin above it
    keeps ``bottom`` px (default: the style's) for the tick labels and the axis title; its
    rows are estimated from the named traces on the narrowest screen (see ``base_layout``).

    Returns
    -------
    dict
        ``{"legend": ..., "margin": {"b": ...}}``, to merge into a layout.
    """
    s = style_for(presenter)
    room = NARROWEST_CONTENT_PX[bool(presenter)] * width_share - 24
    rows, used = 1, 0.0
    for trace in traces:
        if trace.get("showlegend") is False or not trace.get("name"):
            continue
        item = text_width_em(str(trace["name"])) * s.font + 2.6 * s.font  # symbol and gap
        if used and used + item > room:
            rows, used = rows + 1, 0.0
        used += item
    return dict(
        # in container coordinates both ways: rows span the whole figure, not only the plot
        legend=dict(orientation="h", xref="container", x=0, xanchor="left", yref="container",
                    y=0, yanchor="bottom", font=dict(size=s.font)),
        margin=dict(b=(s.margin["b"] if bottom is None else bottom) + rows * (s.font + 12) + 4),
    )


_F32_MAX = float(np.finfo(np.float32).max)


def as_float32(a):
    """Float32 copy for plotting: non-finite values become NaN (gaps); finite values
    beyond the float32 range (a diverging run's last finite state) saturate at +-3.4e38
    instead of overflowing to inf."""
    a = np.asarray(a, dtype=float)
    return np.where(np.isfinite(a), np.clip(a, -_F32_MAX, _F32_MAX), np.nan).astype(np.float32)


def fixed_margins(layout, s, **extra_px):
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


def vline(x, style, **extra):
    """A dotted vertical marker across the whole plot height at data position ``x``."""
    return dict(
        type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
        line=dict(color="#444", width=style.line, dash="dot"), **extra,
    )


def deep_merge(base, extra):
    """Recursive dict merge: values in ``extra`` win, nested dicts are merged."""
    out = dict(base)
    for k, v in extra.items():
        nested = isinstance(v, dict) and isinstance(out.get(k), dict)
        out[k] = deep_merge(out[k], v) if nested else v
    return out


def make_figure(data, layout, frames=None):
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




def colorbar(s, title, **kw):
    return dict(
        title=dict(text=title, font=dict(size=s.font)),
        tickfont=dict(size=s.font),
        thickness=22 if s is _PRESENTER else 14,
        outlinewidth=0,
        **kw,
    )


def index_axis(s, title, labels, *, reverse=False, **kw):
    """Axis over positions 0..n-1 labelled with ``labels`` (robust to duplicate or
    number-like names), fixed range; ``reverse`` puts row 0 at the top."""
    n = len(labels)
    rng = [n - 0.5, -0.5] if reverse else [-0.5, n - 0.5]
    # Past 30 rows (the Playground's 40 RBF bumps) label every k-th row: each tick label
    # costs the browser layout time on every redraw, and the hover names every row anyway.
    every = -(-n // 10) if n > 30 else 1
    return make_axis(
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


def symmetric_max(M, zmax):
    if zmax is not None:
        return float(zmax)
    m = float(np.nanmax(np.abs(M))) if np.isfinite(M).any() else 0.0
    return m if m > 0 else 1.0
