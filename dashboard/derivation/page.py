"""Derivation: the seed's chain rule, evaluated live on the Playground's model.

Thin: every number comes from ``dashboard.derivation`` (which calls the engine), every
figure from ``dashboard.derivation.charts`` / ``dashboard.figures``, every sentence from
``dashboard.derivation.text``.
"""

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.derivation import charts as fd
from dashboard.derivation import compute as dv
from dashboard.derivation.text import (
    LANGUAGES,
    columns,
    equations,
    figure_labels,
    seed_code,
    text,
)
from dashboard.playground.cache import playground_run
from dashboard.settings import DATASET_LABELS, FEATURE_LABELS, OPTIMIZER_LABELS, Settings
from dashboard.ui.controls import current_settings
from dashboard.ui.layout import presenter_css, show_diagnostics

PICKER_RESOLUTION = 80  # decision-region pixels per axis on the small picker chart

# ----------------------------------------------------------------------------- state

settings, _ = current_settings()
presenter = settings.presenter
st.markdown(presenter_css(presenter), unsafe_allow_html=True)  # static CSS, no user text

# Widget state is dropped when the person visits another page; these shadows keep the
# language, sample and step for their return.
if st.session_state.get("lang") not in LANGUAGES:
    st.session_state["lang"] = st.session_state.get("_deriv_lang", "en")


def _keep_language():
    # A segmented control can be clicked off; keep the last language instead of none.
    if st.session_state.get("lang") not in LANGUAGES:
        st.session_state["lang"] = st.session_state.get("_deriv_lang", "en")


head = st.columns([5, 1], vertical_alignment="bottom")
with head[1]:
    st.segmented_control(
        text(st.session_state["lang"])["lang_label"],
        list(LANGUAGES),
        key="lang",
        format_func=LANGUAGES.__getitem__,
        on_change=_keep_language,
        label_visibility="collapsed",
    )
lang = st.session_state["lang"] if st.session_state.get("lang") in LANGUAGES else "en"
st.session_state["_deriv_lang"] = lang
TX, FL, COL, EQUATIONS = text(lang), figure_labels(lang), columns(lang), equations(lang)


def T(key, **values):
    """The page text for ``key`` in the chosen language, with numbers filled in."""
    return TX[key].format(**values)


def sci(value, digits=2):
    return f"{value:.{digits}e}"


head[0].title(T("title"))

run = playground_run(settings)
h = run.history
steps = [int(s) for s in h.step]
N = len(run.y_train)
class_names = [str(c) for c in run.data.class_names]
feature_names = [str(f) for f in run.feature_names]
D, C = len(feature_names), len(class_names)

# A new run (first visit, or new settings on the Playground) opens at its final step and
# at its least certain sample; later the person's choices hold.
run_key = run.settings.training_key()
if st.session_state.get("_deriv_run") != run_key:
    st.session_state["_deriv_run"] = run_key
    st.session_state["deriv_step"] = steps[-1]
    W_last, b_last, _ = run.weights_at(len(steps) - 1)
    st.session_state["sample"] = dv.most_uncertain_sample(W_last, b_last, run.features_train)
    st.session_state.pop("_deriv_step", None)
    st.session_state.pop("_deriv_sample", None)
elif st.session_state.get("deriv_step") not in steps:
    shadow = st.session_state.get("_deriv_step")
    st.session_state["deriv_step"] = shadow if shadow in steps else steps[-1]

# Sample: clamp whatever the session holds (a smaller dataset, a stale value).
st.session_state["_deriv_n"] = N
raw_sample = st.session_state.get("sample", st.session_state.get("_deriv_sample", 0))
st.session_state["sample"] = dv.clamp_index(raw_sample, N)


def _on_pick():
    event = st.session_state.get("pick_chart")
    points = event["selection"]["points"] if event else []
    index = dv.sample_from_points(points, st.session_state.get("_deriv_n", 1))
    if index is not None:
        st.session_state["sample"] = index


# ----------------------------------------------------------------------------- header

st.markdown(
    T(
        "showing",
        dataset=DATASET_LABELS.get(run.settings.dataset, run.settings.dataset),
        features=FEATURE_LABELS.get(run.settings.features, run.settings.features),
        D=D,
        C=C,
        optimizer=OPTIMIZER_LABELS.get(run.settings.optimizer, run.settings.optimizer),
        lr=f"{run.settings.learning_rate:g}",
        reg=f"{run.settings.reg:g}",
        N=N,
        step=st.session_state["deriv_step"],
        last=steps[-1],
    )
)
link_cols = st.columns([1, 3], vertical_alignment="center")
link_cols[0].page_link("dashboard/playground/page.py", label=T("back_link"), icon=":material/tune:")
if run.settings.training_key() == Settings().training_key():
    link_cols[1].caption(T("first_visit"))
show_diagnostics(run)
st.markdown(T("intro"))

# ----------------------------------------------------------------------------- picker

st.header(T("picker_title"))
left, right = st.columns([1, 1.25])
with right:
    controls = st.columns(2)
    controls[0].number_input(
        T("sample_label", last=N - 1),
        min_value=0,
        max_value=N - 1,
        step=1,
        key="sample",
        help=T("sample_help"),
    )
    if len(steps) > 1:
        controls[1].select_slider(T("step_label"), steps, key="deriv_step", help=T("step_help"))
i = dv.clamp_index(st.session_state["sample"], N)
step = st.session_state["deriv_step"] if st.session_state["deriv_step"] in steps else steps[-1]
k = steps.index(step)
st.session_state["_deriv_sample"], st.session_state["_deriv_step"] = i, step

W, b, dW_recorded = run.weights_at(k)
X, y = run.features_train, run.y_train
d = dv.derive_sample(W, b, X, y, i)
true_name, pred_name = class_names[d.label], class_names[d.predicted]

with left:
    xs, ys, proba = run.regions_at(k, resolution=PICKER_RESOLUTION)
    fig = fd.sample_picker_figure(
        xs,
        ys,
        proba,
        run.X_train,
        y,
        i,
        class_names=class_names,
        x_range=run.x_range,
        y_range=run.y_range,
        feature_labels=run.data.feature_names,
        presenter=presenter,
        title=FL["picker"].format(step=step),
        subtitle=FL["picker_hint"],
        height=480 if presenter else 420,
    )
    st.plotly_chart(
        fig,
        key="pick_chart",
        width="stretch",
        theme=None,
        on_select=_on_pick,
        selection_mode="points",
    )
with right:
    x1, x2 = run.X_train[i]
    st.markdown(T("picked", i=i, x1=f"{x1:.3g}", x2=f"{x2:.3g}", true=true_name, pred=pred_name))
    if d.predicted != d.label:
        st.caption(T("picked_wrong"))
    m = st.columns(3)
    m[0].metric(COL["m_loss"], f"{d.loss:.4g}")
    m[1].metric(COL["m_qtrue"], f"{d.q[d.label]:.6g}")
    m[2].metric(COL["m_pred"], pred_name)
    fig = fd.scores_probs_figure(
        d.scores,
        d.q,
        d.label,
        class_names,
        presenter=presenter,
        title=FL["scores"].format(i=i),
        labels={
            "class_axis": FL["class_axis"],
            "score_axis": FL["score_axis"],
            "prob_axis": FL["prob_axis"],
        },
    )
    st.plotly_chart(fig, key="scores_chart", width="stretch", theme=None)


def vec(values):
    """A C-vector for LaTeX that fits half the page: a row up to 4 classes, else a column."""
    return dv.latex_vector(values, digits=4, max_items=10, column=C > 4)


def step_columns():
    return st.columns([1.05, 1], gap="large")


# ----------------------------------------------------------------------------- (1)-(3)

st.divider()
a, v = step_columns()
with a:
    st.subheader(T("eq1_title"))
    st.markdown(T("eq1_text"))
    st.latex(EQUATIONS["eq1"])
with v:
    st.latex(r"s_i = x_i W + b = " + vec(d.scores))
    st.caption(f"x_i: (1, {D}) · W: ({D}, {C}) + b: ({C},) → s_i: (1, {C})")

a, v = step_columns()
with a:
    st.subheader(T("eq2_title"))
    st.markdown(T("eq2_text"))
    st.latex(EQUATIONS["eq2"])
with v:
    st.latex(r"q_i = " + vec(d.q))
    st.latex(r"\textstyle\sum_j q_{ij} = " + dv.latex_number(float(np.sum(d.q)), 12))

a, v = step_columns()
with a:
    st.subheader(T("eq3_title"))
    st.markdown(T("eq3_text"))
    st.latex(EQUATIONS["eq3"])
with v:
    st.latex(
        rf"y_i = {d.label},\quad L_i = -\log q_{{i,{d.label}}} = -\log\bigl("
        + dv.latex_number(d.q[d.label])
        + r"\bigr) = "
        + dv.latex_number(d.loss)
    )

# ----------------------------------------------------------------------------- (4)-(7)

st.divider()
a, v = step_columns()
with a:
    st.subheader(T("eq4_title"))
    st.markdown(T("eq4_text"))
with v:
    st.latex(EQUATIONS["eq4"])

a, v = step_columns()
with a:
    st.subheader(T("eq5_title"))
    st.markdown(T("eq5_text", q_true=f"{d.q[d.label]:.4g}", dldq=f"{d.dL_dq[d.label]:.4g}"))
    st.latex(EQUATIONS["eq5"])
with v:
    st.latex(r"\frac{\partial L_i}{\partial q_i} = " + vec(d.dL_dq))

a, v = step_columns()
with a:
    st.subheader(T("eq67_title"))
    st.markdown(T("eq67_text"))
    st.latex(EQUATIONS["eq6"])
    st.latex(EQUATIONS["eq7"])
with v:
    fig = fd.jacobian_figure(
        d.jacobian,
        class_names,
        presenter=presenter,
        title=FL["jacobian"].format(i=i),
        labels={"rows": FL["jac_rows"], "cols": FL["jac_cols"]},
    )
    st.plotly_chart(fig, key="jacobian_chart", width="stretch", theme=None)

a, v = step_columns()
with a:
    st.subheader(T("chain_title"))
    st.markdown(T("chain_text"))
    st.latex(EQUATIONS["chain_product"])
    if not d.chain_finite:
        st.warning(T("chain_inf"))
with v:
    chain = r"\frac{\partial L_i}{\partial q_i}\frac{\partial q_i}{\partial s_i} = " + vec(d.chain)
    closed = r"q_i - p = " + vec(d.closed)
    if C > 4:  # two columns side by side
        st.latex(chain + r"\qquad " + closed)
    else:  # two rows, one under the other
        st.latex(r"\begin{gathered}" + chain + r"\\[2ex]" + closed + r"\end{gathered}")
# The table spans the page: C rows, eight columns.
table = pd.DataFrame(
    {
        COL["j"]: np.arange(C),
        COL["class"]: class_names,
        COL["s"]: d.scores,
        COL["q"]: d.q,
        COL["p"]: d.onehot,
        COL["dldq"]: d.dL_dq,
        COL["chain"]: d.chain,
        COL["closed"]: d.closed,
        COL["numerical"]: d.numerical_scores,
    }
)
st.dataframe(
    table,
    key="class_table",
    hide_index=True,
    width="stretch",
    column_config={
        name: st.column_config.NumberColumn(format="%.6g") for name in list(table.columns)[2:]
    },
)

# ----------------------------------------------------------------------------- (8)-(13)

st.divider()
a, v = step_columns()
with a:
    st.subheader(T("eq813_title"))
    st.markdown(T("eq813_text"))
    st.latex(EQUATIONS["eq8_12"])
    st.latex(EQUATIONS["eq13"])
    st.subheader(T("result_title"))
    st.markdown(T("result_text"))
    st.latex(EQUATIONS["result"])
with v:
    st.latex(r"x_i = " + dv.latex_vector(d.x, digits=3, max_items=4))
    fig = fd.sample_gradient_figure(
        d.x,
        d.grad_W,
        feature_names,
        class_names,
        d.label,
        presenter=presenter,
        title=FL["gradient"].format(i=i),
        labels={
            "subtitle": FL["gradient_subtitle"],
            "feature_axis": FL["feature_axis"],
            "class_axis": FL["class_axis_short"],
        },
    )
    st.plotly_chart(fig, key="gradient_chart", width="stretch", theme=None)

# ----------------------------------------------------------------------------- check

st.divider()
st.subheader(T("check_title"))
st.markdown(T("check_text", h=f"{d.h:g}"))
st.latex(EQUATIONS["rel_error"])
m = st.columns(4)
m[0].metric(COL["m_chain_closed"], sci(d.err_chain_closed))
m[1].metric(COL["m_scores_num"], sci(d.err_scores_numerical))
m[2].metric(COL["m_W_num"], sci(d.err_W_numerical))
m[3].metric(COL["m_W_engine"], sci(d.err_W_engine))
if d.err_W_numerical <= dv.AGREE_RELATIVE:
    st.success(T("check_ok"))
elif d.numerical_agrees:
    st.info(T("check_resolution", res=sci(d.resolution), abs=sci(d.abs_W_numerical)))
else:
    st.error(T("check_bad"))

batch = dv.batch_gradient_check(W, b, X, y, run.settings.reg, dW_recorded)
st.subheader(T("batch_title"))
a, v = step_columns()
with a:
    st.latex(EQUATIONS["batch"])
    st.markdown(T("batch_text", N=N, err=sci(batch["rel_error"])))
with v:
    st.metric(COL["m_batch"], sci(batch["rel_error"]))


# ----------------------------------------------------------------------------- cached checks


@st.cache_data(max_entries=64, show_spinner=False)
def verify_checks(training_key, k, _run):
    """The Verify section's numbers for one (run, step); the run is keyed by its settings."""
    W, b, _ = _run.weights_at(k)
    W1, X1 = dv.with_bias(W, b, _run.features_train)
    y = _run.y_train
    reg = float(_run.settings.reg)
    reg_check = dv.check_reg(reg)
    nv = dv.naive_vs_vectorized(W1, X1, y, reg)
    nv0 = dv.naive_vs_vectorized(W1, X1, y, 0.0)
    return {
        "reg": reg,
        "reg_check": reg_check,
        "naive": {key: val for key, val in nv.items() if not key.startswith("dW")},
        "data_loss": nv0["loss_vectorized"],
        "gradcheck": dv.sparse_grad_checks(W1, X1, y, [0.0, reg_check]),
        "slips": dv.seed_slips_check(W1, X1, y, reg_check),
        "seed_error": dv.seed_gradient_as_written(W, _run.features_train, y),
        "sweep": dv.step_size_sweep(W1, X1, y, reg),
    }


@st.cache_data(max_entries=8, show_spinner=False)
def initial_losses(training_key, _run):
    return dv.initial_loss_check(_run.features_train)


@st.cache_data(max_entries=16, show_spinner=False)
def timings(shapes, nonce):
    return dv.time_losses(shapes)


checks = verify_checks(run_key, k, run)
stab_cls = dv.stability_class(d.scores, d.label)
stability = dv.stability_table(d.scores, stab_cls)
first_inf = next((row["scale"] for row in stability if not np.isfinite(row["seed"])), None)

# ----------------------------------------------------------------------------- slips

st.divider()
st.header(T("slips_title"))
st.markdown(T("slips_intro", reg=f"{checks['reg_check']:g}"))
slips = {row["variant"]: row for row in checks["slips"]}


def slip(title_key, text, seed_key, fixed_key):
    st.subheader(T(title_key))
    st.markdown(text)
    c1, c2 = st.columns(2)
    c1.code(seed_code(lang, seed_key), language="python", wrap_lines=True)
    c2.code(seed_code(lang, fixed_key), language="python", wrap_lines=True)


slip(
    "slip_index_title",
    T("slip_index_text", error=(checks["seed_error"] or "—").rstrip(".")),
    "index_seed",
    "index_fixed",
)
slip(
    "slip_average_title",
    T(
        "slip_average_text",
        ratio=f"{slips['summed']['norm_ratio']:.4g}",
        N=N,
        err=f"{slips['summed']['max_rel_error']:.3g}",
    ),
    "average_seed",
    "average_fixed",
)
slip(
    "slip_reg_title",
    T(
        "slip_reg_text",
        err=f"{slips['averaged']['max_rel_error']:.3g}",
        ok=sci(slips["corrected"]["max_rel_error"]),
    ),
    "reg_seed",
    "reg_fixed",
)
slip("slip_shape_title", T("slip_shape_text"), "shape_seed", "shape_fixed")
slip(
    "slip_log_title",
    T("slip_log_text", scale=f"{first_inf:.0e}") if first_inf else T("slip_log_never"),
    "log_seed",
    "log_fixed",
)
st.caption(T("slip_indent"))

# ----------------------------------------------------------------------------- verify

st.divider()
st.header(T("verify_title"))
st.markdown(T("verify_intro"))

st.subheader(T("naive_title"))
nv = checks["naive"]
st.markdown(T("naive_text", reg=f"{checks['reg']:g}"))
m = st.columns(4)
m[0].metric(COL["m_loss_naive"], f"{nv['loss_naive']:.10f}")
m[1].metric(COL["m_loss_vec"], f"{nv['loss_vectorized']:.10f}")
m[2].metric(COL["m_loss_diff"], sci(nv["loss_diff"]))
m[3].metric(COL["m_grad_diff"], sci(nv["grad_max_diff"]))
st.caption(
    T("naive_data_loss", loss=f"{checks['data_loss']:.10f}", recorded=f"{h.data_loss[k]:.10f}")
)
st.markdown(T("timing_text"))
nonce = st.session_state.get("_timing_nonce", 0)
if st.button(T("remeasure"), key="remeasure", icon=":material/timer:"):
    nonce += 1
    st.session_state["_timing_nonce"] = nonce
shapes = (*dv.TIMING_SHAPES, (N, D + 1, C))
rows = timings(shapes, nonce)
st.dataframe(
    pd.DataFrame(
        {
            COL["N"]: [r["N"] for r in rows],
            COL["D"]: [r["D"] for r in rows],
            COL["C"]: [r["C"] for r in rows],
            COL["naive_ms"]: [r["naive_ms"] for r in rows],
            COL["vectorized_ms"]: [r["vectorized_ms"] for r in rows],
            COL["speedup"]: [r["speedup"] for r in rows],
        }
    ),
    key="timing_table",
    hide_index=True,
    column_config={
        COL["naive_ms"]: st.column_config.NumberColumn(format="%.2f"),
        COL["vectorized_ms"]: st.column_config.NumberColumn(format="%.3f"),
        COL["speedup"]: st.column_config.NumberColumn(format="%.0f"),
    },
)

st.subheader(T("gradcheck_title"))
st.markdown(T("gradcheck_text", n=len(checks["gradcheck"][0.0]), reg=f"{checks['reg_check']:g}"))
if checks["reg"] == 0:
    st.caption(T("gradcheck_fallback", reg=f"{checks['reg_check']:g}"))
gc_cols = st.columns(2)
for col, (reg_value, rows) in zip(gc_cols, checks["gradcheck"].items(), strict=True):
    with col:
        st.markdown(
            "**"
            + (COL["reg0"] if reg_value == 0 else COL["reg"].format(reg=f"{reg_value:g}"))
            + "**"
        )
        st.dataframe(
            pd.DataFrame(
                {
                    COL["entry"]: [f"W[{r['row']}, {r['col']}]" for r in rows],
                    COL["numerical"]: [r["numerical"] for r in rows],
                    COL["analytic"]: [r["analytic"] for r in rows],
                    COL["rel_error"]: [r["rel_error"] for r in rows],
                }
            ),
            key=f"gradcheck_table_{'reg' if reg_value else 'noreg'}",
            hide_index=True,
            width="stretch",
            column_config={
                COL["numerical"]: st.column_config.NumberColumn(format="%.8g"),
                COL["analytic"]: st.column_config.NumberColumn(format="%.8g"),
                COL["rel_error"]: st.column_config.NumberColumn(format="%.2e"),
            },
        )

st.subheader(T("step_title"))
sw = checks["sweep"]
a, v = step_columns()
with a:
    st.markdown(
        T(
            "step_text",
            row=sw["entry"][0],
            col=sw["entry"][1],
            best_err=sci(sw["best_error"], 1),
            best_h=f"{sw['best_h']:.1e}",
            pred_h=f"{sw['predicted_best_h']:.1e}",
        )
    )
    st.latex(EQUATIONS["centred"])
with v:
    fig = fd.step_error_figure(
        sw["h"],
        sw["rel_error"],
        sw["roundoff"],
        sw["truncation"],
        best_h=sw["best_h"],
        presenter=presenter,
        title=FL["step_error"],
        labels={
            **{key: FL[key] for key in ("measured", "roundoff", "truncation", "default")},
            "x": FL["h_axis"],
            "y": FL["err_axis"],
        },
    )
    st.plotly_chart(fig, key="step_chart", width="stretch", theme=None)

st.subheader(T("init_title"))
init = initial_losses(run_key, run)
a, v = step_columns()
with a:
    st.markdown(T("init_text", loss0=f"{h.loss[0]:.4f}", C=C, logC=f"{np.log(C):.4f}"))
    st.dataframe(
        pd.DataFrame(
            {
                COL["C"]: [r["C"] for r in init],
                COL["log_C"]: [r["log_C"] for r in init],
                COL["loss"]: [r["loss"] for r in init],
                COL["loss_minus"]: [r["diff"] for r in init],
            }
        ),
        key="init_table",
        hide_index=True,
        width="stretch",
        column_config={
            COL["log_C"]: st.column_config.NumberColumn(format="%.4f"),
            COL["loss"]: st.column_config.NumberColumn(format="%.4f"),
            COL["loss_minus"]: st.column_config.NumberColumn(format="%.1e"),
        },
    )
with v:
    fig = fd.initial_loss_figure(
        [r["C"] for r in init],
        [r["loss"] for r in init],
        model_classes=C,
        model_loss=float(h.loss[0]),
        presenter=presenter,
        title=FL["initial"],
        labels={
            **{key: FL[key] for key in ("random", "model", "diagonal")},
            "x": FL["logC_axis"],
            "y": FL["loss_axis"],
        },
    )
    st.plotly_chart(fig, key="init_chart", width="stretch", theme=None)

st.subheader(T("stability_title"))
why = T("stability_true") if stab_cls == d.label else T("stability_least")
st.markdown(T("stability_text", cls=class_names[stab_cls], why=why))
st.latex(EQUATIONS["log_softmax"])
st.dataframe(
    pd.DataFrame(
        {
            COL["scale"]: [f"{r['scale']:.0e}" for r in stability],
            **{
                COL[name]: [dv.display_number(r[name]) for r in stability]
                for name in ("gap", "no_shift", "seed", "log_softmax")
            },
        }
    ),
    key="stability_table",
    hide_index=True,
    width="stretch",
)

st.subheader(T("props_title"))
st.latex(EQUATIONS["temperature"])
a, v = step_columns()
shift_rows = dv.shift_invariance(d.scores)
with a:
    st.markdown(T("shift_text"))
    st.dataframe(
        pd.DataFrame(
            {
                COL["shift"]: [f"{r['shift']:g}" for r in shift_rows],
                COL["max_diff"]: [dv.display_number(r["max_diff"], ".1e") for r in shift_rows],
                COL["unshifted"]: [
                    dv.display_number(r["unshifted_max_diff"], ".1e") for r in shift_rows
                ],
                COL["q_shifted"]: [
                    ", ".join(dv.display_number(p, ".4g") for p in r["q"]) for r in shift_rows
                ],
            }
        ),
        key="shift_table",
        hide_index=True,
        width="stretch",
    )
with v:
    st.markdown(T("temp_text"))
    T_values, Q, _ = dv.temperature_sweep(d.scores)
    fig = fd.temperature_figure(
        T_values,
        Q,
        class_names,
        d.label,
        presenter=presenter,
        title=FL["temperature"].format(i=i),
        labels={"x": FL["T_axis"], "y": FL["q_axis"], "T1": FL["T1"]},
    )
    st.plotly_chart(fig, key="temperature_chart", width="stretch", theme=None)
