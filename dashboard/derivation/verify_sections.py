"""The Derivation page's last sections: the textbook loop's slips and the checks.

Each function draws one section into the current container, from a
:class:`~dashboard.derivation.sections.Context`; numbers come from the page's caches
(:mod:`dashboard.derivation.cache`) and :mod:`dashboard.derivation.checks`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.derivation import cache, check_charts, checks, compute
from dashboard.derivation.sections import sci, step_columns
from dashboard.derivation.text import code_block
from dashboard.ui.layout import metric_grid

# ----------------------------------------------------------------------------- slips


def _slip(ctx, title_key, body, slip_key, fixed_key):
    st.subheader(ctx.t(title_key))
    st.markdown(body)
    left, right = st.columns(2)
    left.code(code_block(ctx.lang, slip_key), language="python", wrap_lines=True)
    right.code(code_block(ctx.lang, fixed_key), language="python", wrap_lines=True)


def slips(ctx):
    """The textbook loop's common slips, each with what it does to the reader's model."""
    found = cache.slip_checks(ctx.training_key, ctx.k, ctx.run)
    variants = {row["variant"]: row for row in found["variants"]}
    n = len(ctx.run.y_train)
    st.markdown(ctx.t("slips_intro", reg=f"{found['reg_check']:g}"))
    error = (found["index_error"] or "—").rstrip(".")
    body = ctx.t("slip_index_text", error=error)
    _slip(ctx, "slip_index_title", body, "index_slip", "index_fixed")
    summed = variants["summed"]
    body = ctx.t(
        "slip_average_text",
        ratio=f"{summed['norm_ratio']:.4g}",
        N=n,
        err=f"{summed['max_rel_error']:.3g}",
    )
    _slip(ctx, "slip_average_title", body, "average_slip", "average_fixed")
    body = ctx.t(
        "slip_reg_text",
        err=f"{variants['averaged']['max_rel_error']:.3g}",
        ok=sci(variants["corrected"]["max_rel_error"]),
    )
    _slip(ctx, "slip_reg_title", body, "reg_slip", "reg_fixed")
    _slip(ctx, "slip_shape_title", ctx.t("slip_shape_text"), "shape_slip", "shape_fixed")
    tracked = checks.stability_class(ctx.d.scores, ctx.d.label)
    stability = checks.stability_table(ctx.d.scores, tracked)
    first_inf = next(
        (row["scale"] for row in stability if not np.isfinite(row["shift_then_log"])), None
    )
    if first_inf:
        body = ctx.t("slip_log_text", scale=f"{first_inf:.0e}")
    else:
        body = ctx.t("slip_log_never")
    _slip(ctx, "slip_log_title", body, "log_slip", "log_fixed")


# ----------------------------------------------------------------------------- gradient checks


def gradient_checks(ctx):
    """Naive loop against vectorized, timings, sparse gradient checks, the step h."""
    col, fl = ctx.columns, ctx.labels
    found = cache.gradient_checks(ctx.training_key, ctx.k, ctx.run)
    st.markdown(ctx.t("verify_intro"))
    st.subheader(ctx.t("naive_title"))
    naive = found["naive"]
    st.markdown(ctx.t("naive_text", reg=f"{found['reg']:g}"))
    metric_grid(
        [
            (col["m_loss_naive"], f"{naive['loss_naive']:.10f}"),
            (col["m_loss_vec"], f"{naive['loss_vectorized']:.10f}"),
            (col["m_loss_diff"], sci(naive["loss_diff"])),
            (col["m_grad_diff"], sci(naive["grad_max_diff"])),
        ],
        per_row=2,  # ten decimals do not fit a quarter of the page
    )
    recorded = f"{ctx.run.history.data_loss[ctx.k]:.10f}"
    st.caption(ctx.t("naive_data_loss", loss=f"{found['data_loss']:.10f}", recorded=recorded))
    st.markdown(ctx.t("timing_text"))
    nonce = st.session_state.get("timing_nonce", 0)
    if st.button(ctx.t("remeasure"), key="remeasure", icon=":material/timer:"):
        nonce += 1
        st.session_state["timing_nonce"] = nonce
    N, D, C = len(ctx.run.y_train), len(ctx.feature_names), len(ctx.class_names)
    rows = cache.timings((*checks.TIMING_SHAPES, (N, D + 1, C)), nonce)
    names = ("N", "D", "C", "naive_ms", "vectorized_ms", "speedup")
    st.dataframe(
        pd.DataFrame({col[name]: [r[name] for r in rows] for name in names}),
        key="timing_table",
        hide_index=True,
        column_config={
            col["naive_ms"]: st.column_config.NumberColumn(format="%.2f"),
            col["vectorized_ms"]: st.column_config.NumberColumn(format="%.3f"),
            col["speedup"]: st.column_config.NumberColumn(format="%.0f"),
        },
    )

    st.subheader(ctx.t("gradcheck_title"))
    n_checked = len(found["gradcheck"][0.0])
    st.markdown(ctx.t("gradcheck_text", n=n_checked, reg=f"{found['reg_check']:g}"))
    if found["reg"] == 0:
        st.caption(ctx.t("gradcheck_fallback", reg=f"{found['reg_check']:g}"))
    for box, (reg, rows) in zip(st.columns(2), found["gradcheck"].items(), strict=True):
        title = col["reg0"] if reg == 0 else col["reg"].format(reg=f"{reg:g}")
        box.markdown(f"**{title}**")
        box.dataframe(
            pd.DataFrame(
                {
                    col["entry"]: [f"W[{r['row']}, {r['col']}]" for r in rows],
                    col["numerical"]: [r["numerical"] for r in rows],
                    col["analytic"]: [r["analytic"] for r in rows],
                    col["rel_error"]: [r["rel_error"] for r in rows],
                }
            ),
            key=f"gradcheck_table_{'reg' if reg else 'noreg'}",
            hide_index=True,
            width="stretch",
            column_config={
                col["numerical"]: st.column_config.NumberColumn(format="%.8g"),
                col["analytic"]: st.column_config.NumberColumn(format="%.8g"),
                col["rel_error"]: st.column_config.NumberColumn(format="%.2e"),
            },
        )

    st.subheader(ctx.t("step_title"))
    sweep = found["sweep"]
    a, v = step_columns(ctx.presenter)
    with a:
        st.markdown(
            ctx.t(
                "step_text",
                row=sweep["entry"][0],
                col=sweep["entry"][1],
                best_err=sci(sweep["best_error"], 1),
                best_h=f"{sweep['best_h']:.1e}",
                pred_h=f"{sweep['predicted_best_h']:.1e}",
            )
        )
        st.latex(ctx.equations["centred"])
    with v:
        fig = check_charts.step_error_figure(
            sweep["h"],
            sweep["rel_error"],
            sweep["roundoff"],
            sweep["truncation"],
            best_h=sweep["best_h"],
            presenter=ctx.presenter,
            title=fl["step_error"],
            labels={
                **{key: fl[key] for key in ("measured", "roundoff", "truncation", "default")},
                "x": fl["h_axis"],
                "y": fl["err_axis"],
                "minimum": fl["minimum"],
            },
        )
        st.plotly_chart(fig, key="step_chart", width="stretch", theme=None)


# ----------------------------------------------------------------------------- properties


def properties(ctx):
    """Initial loss ≈ log C, stability under scaling, shift invariance, temperature."""
    d, col, fl, h = ctx.d, ctx.columns, ctx.labels, ctx.run.history
    C = d.q.size
    st.subheader(ctx.t("init_title"))
    init = cache.initial_losses(ctx.training_key, ctx.run)
    a, v = step_columns(ctx.presenter)
    with a:
        st.markdown(ctx.t("init_text", loss0=f"{h.loss[0]:.4f}", C=C, logC=f"{np.log(C):.4f}"))
        st.dataframe(
            pd.DataFrame(
                {
                    col["C"]: [r["C"] for r in init],
                    col["log_C"]: [r["log_C"] for r in init],
                    col["loss"]: [r["loss"] for r in init],
                    col["loss_minus"]: [r["diff"] for r in init],
                }
            ),
            key="init_table",
            hide_index=True,
            width="stretch",
            column_config={
                col["log_C"]: st.column_config.NumberColumn(format="%.4f"),
                col["loss"]: st.column_config.NumberColumn(format="%.4f"),
                col["loss_minus"]: st.column_config.NumberColumn(format="%.1e"),
            },
        )
    with v:
        fig = check_charts.initial_loss_figure(
            [r["C"] for r in init],
            [r["loss"] for r in init],
            model_classes=C,
            model_loss=float(h.loss[0]),
            presenter=ctx.presenter,
            title=fl["initial"],
            labels={
                **{key: fl[key] for key in ("random", "model", "diagonal")},
                "x": fl["logC_axis"],
                "y": fl["loss_axis"],
            },
        )
        st.plotly_chart(fig, key="init_chart", width="stretch", theme=None)

    st.subheader(ctx.t("stability_title"))
    cls = checks.stability_class(d.scores, d.label)
    why = ctx.t("stability_true") if cls == d.label else ctx.t("stability_least")
    st.markdown(ctx.t("stability_text", cls=ctx.class_names[cls], why=why))
    st.latex(ctx.equations["log_softmax"])
    stability = checks.stability_table(d.scores, cls)
    ways = ("gap", "no_shift", "shift_then_log", "log_softmax")
    st.dataframe(
        pd.DataFrame(
            {
                col["scale"]: [f"{r['scale']:.0e}" for r in stability],
                **{col[w]: [compute.display_number(r[w]) for r in stability] for w in ways},
            }
        ),
        key="stability_table",
        hide_index=True,
        width="stretch",
    )

    st.subheader(ctx.t("props_title"))
    st.latex(ctx.equations["temperature"])
    a, v = step_columns(ctx.presenter)
    with a:
        st.markdown(ctx.t("shift_text"))
        shifts = checks.shift_invariance(d.scores)
        st.dataframe(
            pd.DataFrame(
                {
                    col["shift"]: [f"{r['shift']:g}" for r in shifts],
                    col["max_diff"]: [compute.display_number(r["max_diff"], ".1e") for r in shifts],
                    col["unshifted"]: [
                        compute.display_number(r["unshifted_max_diff"], ".1e") for r in shifts
                    ],
                    col["q_shifted"]: [
                        ", ".join(compute.display_number(p, ".4g") for p in r["q"]) for r in shifts
                    ],
                }
            ),
            key="shift_table",
            hide_index=True,
            width="stretch",
        )
    with v:
        st.markdown(ctx.t("temp_text"))
        T, Q, _ = checks.temperature_sweep(d.scores)
        fig = check_charts.temperature_figure(
            T,
            Q,
            ctx.class_names,
            d.label,
            presenter=ctx.presenter,
            title=fl["temperature"].format(i=ctx.i),
            labels={"x": fl["T_axis"], "y": fl["q_axis"], "T1": fl["T1"]},
        )
        st.plotly_chart(fig, key="temperature_chart", width="stretch", theme=None)
