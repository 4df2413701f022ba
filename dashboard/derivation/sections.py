"""The Derivation page's top and its derivation sections, one function each.

Every number comes from :mod:`dashboard.derivation.compute` (through the page's caches),
every figure from :mod:`dashboard.derivation.charts`, every word from
:mod:`dashboard.derivation.text`. The sections open on a click and only then run
(:func:`lazy_section`), so a fresh load draws the picker and the sample's chain rule only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.derivation import cache, charts, compute
from dashboard.derivation.text import (
    LANGUAGES,
    columns,
    equations,
    figure_labels,
    setting_label,
    text,
)
from dashboard.playground.compute import PlaygroundRun
from dashboard.settings import DATASET_LABELS, FEATURE_LABELS, OPTIMIZER_LABELS, Settings
from dashboard.ui.layout import metric_grid
from dashboard.ui.persist import forget, kept

PICKER_RESOLUTION = 80  # decision-region pixels per axis on the small picker chart


@dataclass(frozen=True)
class Context:
    """What every section needs: the run, the chosen record and sample, the language."""

    run: PlaygroundRun
    lang: str
    presenter: bool
    steps: tuple
    k: int
    d: compute.SampleDerivation

    @property
    def i(self):
        return self.d.index

    @property
    def step(self):
        return self.steps[self.k]

    @property
    def class_names(self):
        return [str(c) for c in self.run.data.class_names]

    @property
    def feature_names(self):
        return [str(f) for f in self.run.feature_names]

    @property
    def training_key(self):
        return self.run.settings.training_key()

    @property
    def labels(self):
        """Figure labels in the page's language."""
        return figure_labels(self.lang)

    @property
    def columns(self):
        """Table and metric labels in the page's language."""
        return columns(self.lang)

    @property
    def equations(self):
        return equations(self.lang)

    def t(self, key, **values):
        """The page text for ``key`` in the chosen language, with numbers filled in."""
        return text(self.lang)[key].format(**values)

    def vec(self, values):
        """A C-vector for LaTeX that fits half the page: a row up to 4 classes, else a column."""
        return compute.latex_vector(values, digits=4, max_items=10, column=self.d.q.size > 4)


def sci(value, digits=2):
    return f"{value:.{digits}e}"


def step_columns(presenter=False):
    """A step's text and its chart side by side; stacked in presenter mode, where a chart
    in half a projector's width is too cramped for its projector-sized labels."""
    if presenter:
        return st.container(), st.container()
    return st.columns([1.05, 1], gap="large")


# ----------------------------------------------------------------------------- the top


def title_and_language():
    """The title and the language control; returns the language ("en" or "zh")."""
    lang = kept("lang", "en", allowed=LANGUAGES)
    head = st.columns([4, 1.3], vertical_alignment="bottom")
    head[1].segmented_control(
        text(lang)["lang_label"],
        list(LANGUAGES),
        key="lang",
        format_func=LANGUAGES.__getitem__,
        required=True,
        label_visibility="collapsed",
    )
    head[0].title(text(lang)["title"])
    return lang


def _pick_from_chart(n_samples):
    """Chart click -> the sample index (the point's ``customdata``)."""
    event = st.session_state.get("pick_chart")
    points = event["selection"]["points"] if event else []
    index = compute.sample_from_points(points, n_samples)
    if index is not None:
        st.session_state["sample"] = index


def choose(run, lang, presenter):
    """The record and sample the reader chose (kept across pages) as a :class:`Context`.

    A new run (first visit, or new settings on the Playground) opens at its final step
    and at its least certain sample; later the reader's choices hold. Whatever the
    session holds (a smaller dataset, a crafted value) is clamped into range.
    """
    steps = tuple(int(s) for s in run.history.step)
    n = len(run.y_train)
    if st.session_state.get("deriv_run") != run.settings.training_key():
        st.session_state["deriv_run"] = run.settings.training_key()
        forget("sample")
        forget("deriv_step")
    step = kept("deriv_step", steps[-1], allowed=steps)
    k = steps.index(step)
    if "sample" in st.session_state:
        st.session_state["sample"] = compute.clamp_index(st.session_state["sample"], n)
    W, b, _ = run.weights_at(len(steps) - 1)
    default = compute.most_uncertain_sample(W, b, run.features_train)
    i = kept("sample", default, allowed=range(n))
    d = cache.sample_derivation(run.settings.training_key(), k, i, run)
    return Context(run=run, lang=lang, presenter=presenter, steps=steps, k=k, d=d)


def model_summary(ctx):
    """One line on the model shown, the way back to the Playground."""
    s = ctx.run.settings

    def name(kind, key, labels):
        return setting_label(ctx.lang, kind, key, labels.get(key, key))

    st.markdown(
        ctx.t(
            "showing",
            dataset=name("dataset", s.dataset, DATASET_LABELS),
            features=name("features", s.features, FEATURE_LABELS),
            D=len(ctx.feature_names),
            C=len(ctx.class_names),
            optimizer=name("optimizer", s.optimizer, OPTIMIZER_LABELS),
            lr=f"{s.learning_rate:g}",
            reg=f"{s.reg:g}",
            N=len(ctx.run.y_train),
            step=ctx.step,
            last=ctx.steps[-1],
        )
    )
    links = st.columns([1.5, 2.5], vertical_alignment="center")
    links[0].page_link(
        "dashboard/playground/page.py", label=ctx.t("back_link"), icon=":material/tune:"
    )
    if s.training_key() == Settings().training_key():
        links[1].caption(ctx.t("first_visit"))


def sample_controls(ctx):
    """The sample index and the training step (the chart click is the other way in)."""
    n = len(ctx.run.y_train)
    controls = st.columns(2)
    controls[0].number_input(
        ctx.t("sample_label"),
        min_value=0,
        max_value=n - 1,
        step=1,
        key="sample",
        help=ctx.t("sample_help", last=n - 1),
    )
    if len(ctx.steps) > 1:
        controls[1].select_slider(
            ctx.t("step_label"), ctx.steps, key="deriv_step", help=ctx.t("step_help")
        )


def picker_chart(ctx):
    """The training points on the decision regions, the chosen one ringed; click to pick."""
    run, fl = ctx.run, ctx.labels
    xs, ys, proba = cache.picker_regions(ctx.training_key, ctx.k, PICKER_RESOLUTION, run)
    fig = charts.sample_picker_figure(
        xs,
        ys,
        proba,
        run.X_train,
        run.y_train,
        ctx.i,
        class_names=ctx.class_names,
        x_range=run.x_range,
        y_range=run.y_range,
        feature_labels=run.data.feature_names,
        presenter=ctx.presenter,
        title=fl["picker"].format(step=ctx.step),
        height=660 if ctx.presenter else 440,
        labels={
            "sample": fl["sample"],
            "chosen": fl["chosen"],
            "regions_subtitle": fl["picker_hint"],
        },
    )
    st.plotly_chart(
        fig,
        key="pick_chart",
        width="stretch",
        theme=None,
        on_select=functools.partial(_pick_from_chart, len(run.y_train)),
        selection_mode="points",
    )


def chain_at_a_glance(ctx):
    """The first screen's derivation: where the sample is, its true and predicted class,
    and its chain rule with its numbers (one block of formulas)."""
    d, names = ctx.d, ctx.class_names
    st.subheader(ctx.t("glance_title", i=ctx.i))
    x1, x2 = ctx.run.X_train[ctx.i]
    true, pred = names[d.label], names[d.predicted]
    st.markdown(ctx.t("picked", i=ctx.i, x1=f"{x1:.3g}", x2=f"{x2:.3g}", true=true, pred=pred))
    if d.predicted != d.label:
        st.caption(ctx.t("picked_wrong"))
    st.markdown(ctx.t("glance_text"))
    D, C, vec = d.x.size, d.q.size, ctx.vec
    rows = [
        r"s_i &= x_i W + b = " + vec(d.scores),
        r"q_i &= \operatorname{softmax}(s_i) = " + vec(d.q),
        rf"L_i &= -\log q_{{i,{d.label}}} = " + compute.latex_number(d.loss),
        r"\frac{\partial L_i}{\partial s_i} &= \frac{\partial L_i}{\partial q_i}"
        r"\,\frac{\partial q_i}{\partial s_i}",
        r"&= q_i - p = " + vec(d.closed),
        r"\frac{\partial L_i}{\partial W} &= x_i^{\top}(q_i - p)"
        rf"\quad({D}\times1)\,(1\times{C})",
    ]
    st.latex(r"\begin{aligned}" + r"\\[0.6ex]".join(rows) + r"\end{aligned}")
    err = sci(max(d.err_chain_closed, d.err_W_numerical))
    if not d.chain_finite:
        st.caption(ctx.t("glance_chain_inf"))
    elif d.err_W_numerical <= compute.AGREE_RELATIVE:
        st.caption(ctx.t("glance_check", err=err))
    elif d.numerical_agrees:
        st.caption(ctx.t("glance_check_resolution", err=sci(d.err_chain_closed)))
    else:
        st.caption(ctx.t("glance_check_bad", err=err))


def lazy_section(key, label, draw, ctx):
    """An expander whose content runs only while it is open (kept open across pages)."""
    kept(key, False)
    box = st.expander(label, key=key, on_change="rerun")
    if box.open:
        with box:
            draw(ctx)


# ----------------------------------------------------------------------------- (1)-(3)


def forward(ctx):
    d, D, C = ctx.d, ctx.d.x.size, ctx.d.q.size
    eq, fl, col = ctx.equations, ctx.labels, ctx.columns
    m = st.columns(3)
    m[0].metric(col["m_loss"], f"{d.loss:.4g}")
    m[1].metric(col["m_qtrue"], f"{d.q[d.label]:.6g}")
    m[2].metric(col["m_pred"], ctx.class_names[d.predicted])
    a, v = step_columns(ctx.presenter)
    with a:
        st.subheader(ctx.t("eq1_title"))
        st.markdown(ctx.t("eq1_text"))
        st.latex(eq["eq1"])
    with v:
        st.latex(r"s_i = x_i W + b = " + ctx.vec(d.scores))
        st.caption(f"x_i: (1, {D}) · W: ({D}, {C}) + b: ({C},) → s_i: (1, {C})")
    a, v = step_columns(ctx.presenter)
    with a:
        st.subheader(ctx.t("eq2_title"))
        st.markdown(ctx.t("eq2_text"))
        st.latex(eq["eq2"])
    with v:
        st.latex(r"q_i = " + ctx.vec(d.q))
        st.latex(r"\textstyle\sum_j q_{ij} = " + compute.latex_number(float(np.sum(d.q)), 12))
    a, v = step_columns(ctx.presenter)
    with a:
        st.subheader(ctx.t("eq3_title"))
        st.markdown(ctx.t("eq3_text"))
        st.latex(eq["eq3"])
    with v:
        st.latex(
            rf"y_i = {d.label},\quad L_i = -\log q_{{i,{d.label}}} = -\log\bigl("
            + compute.latex_number(d.q[d.label])
            + r"\bigr) = "
            + compute.latex_number(d.loss)
        )
    fig = charts.scores_probs_figure(
        d.scores,
        d.q,
        d.label,
        ctx.class_names,
        presenter=ctx.presenter,
        title=fl["scores"].format(i=ctx.i),
        labels={key: fl[key] for key in ("class_axis", "score_axis", "prob_axis")},
        width_share=0.75,
    )
    st.plotly_chart(fig, key="scores_chart", width="stretch", theme=None)


# ----------------------------------------------------------------------------- (4)-(7)


def chain(ctx):
    d, eq, fl, col = ctx.d, ctx.equations, ctx.labels, ctx.columns
    a, v = step_columns(ctx.presenter)
    with a:
        st.subheader(ctx.t("eq4_title"))
        st.markdown(ctx.t("eq4_text"))
    with v:
        st.latex(eq["eq4"])
    a, v = step_columns(ctx.presenter)
    with a:
        st.subheader(ctx.t("eq5_title"))
        q_true, dldq = f"{d.q[d.label]:.4g}", f"{d.dL_dq[d.label]:.4g}"
        st.markdown(ctx.t("eq5_text", q_true=q_true, dldq=dldq))
        st.latex(eq["eq5"])
    with v:
        st.latex(r"\frac{\partial L_i}{\partial q_i} = " + ctx.vec(d.dL_dq))
    a, v = step_columns(ctx.presenter)
    with a:
        st.subheader(ctx.t("eq67_title"))
        st.markdown(ctx.t("eq67_text"))
        st.latex(eq["eq6"])
        st.latex(eq["eq7"])
    with v:
        fig = charts.jacobian_figure(
            d.jacobian,
            ctx.class_names,
            presenter=ctx.presenter,
            title=fl["jacobian"].format(i=ctx.i),
            labels={
                "rows": fl["jac_rows"],
                "cols": fl["jac_cols"],
                "row_name": fl["jac_row_name"],
                "col_name": fl["jac_col_name"],
                "value": fl["value"],
            },
        )
        st.plotly_chart(fig, key="jacobian_chart", width="stretch", theme=None)
    a, v = step_columns(ctx.presenter)
    with a:
        st.subheader(ctx.t("chain_title"))
        st.markdown(ctx.t("chain_text"))
        st.latex(eq["chain_product"])
        if not d.chain_finite:
            st.warning(ctx.t("chain_inf"))
    with v:
        product = r"\frac{\partial L_i}{\partial q_i}\frac{\partial q_i}{\partial s_i} = "
        product += ctx.vec(d.chain)
        closed = r"q_i - p = " + ctx.vec(d.closed)
        if d.q.size > 4:  # two columns side by side
            st.latex(product + r"\qquad " + closed)
        else:  # two rows, one under the other
            st.latex(r"\begin{gathered}" + product + r"\\[2ex]" + closed + r"\end{gathered}")
    # The table spans the page: C rows, nine columns.
    table = pd.DataFrame(
        {
            col["j"]: np.arange(d.q.size),
            col["class"]: ctx.class_names,
            col["s"]: d.scores,
            col["q"]: d.q,
            col["p"]: d.onehot,
            col["dldq"]: d.dL_dq,
            col["chain"]: d.chain,
            col["closed"]: d.closed,
            col["numerical"]: d.numerical_scores,
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


def weights(ctx):
    d, eq, fl = ctx.d, ctx.equations, ctx.labels
    a, v = step_columns(ctx.presenter)
    with a:
        st.subheader(ctx.t("eq813_title"))
        st.markdown(ctx.t("eq813_text"))
        st.latex(eq["eq8_12"])
        st.latex(eq["eq13"])
        st.subheader(ctx.t("result_title"))
        st.markdown(ctx.t("result_text"))
        st.latex(eq["result"])
    with v:
        st.latex(r"x_i = " + compute.latex_vector(d.x, digits=3, max_items=4))
        fig = charts.sample_gradient_figure(
            d.x,
            d.grad_W,
            ctx.feature_names,
            ctx.class_names,
            d.label,
            presenter=ctx.presenter,
            title=fl["gradient"].format(i=ctx.i),
            labels={
                "subtitle": fl["gradient_subtitle"],
                "feature_axis": fl["feature_axis"],
                "class_axis": fl["class_axis_short"],
                "feature": fl["feature"],
                "class": fl["class"],
            },
        )
        st.plotly_chart(fig, key="gradient_chart", width="stretch", theme=None)


# ----------------------------------------------------------------------------- check


def check(ctx):
    d, col = ctx.d, ctx.columns
    st.subheader(ctx.t("check_title"))
    st.markdown(ctx.t("check_text", h=f"{d.h:g}"))
    st.latex(ctx.equations["rel_error"])
    metric_grid(
        [
            (col["m_chain_closed"], sci(d.err_chain_closed)),
            (col["m_scores_num"], sci(d.err_scores_numerical)),
            (col["m_W_num"], sci(d.err_W_numerical)),
            (col["m_W_engine"], sci(d.err_W_engine)),
        ],
        per_row=2 if ctx.presenter else 4,  # a projector's quarter width cuts these labels
    )
    if d.err_W_numerical <= compute.AGREE_RELATIVE:
        st.success(ctx.t("check_ok"))
    elif d.numerical_agrees:
        st.info(ctx.t("check_resolution", res=sci(d.resolution), abs=sci(d.abs_W_numerical)))
    else:
        st.error(ctx.t("check_bad"))
    batch = cache.batch_check(ctx.training_key, ctx.k, ctx.run)
    st.subheader(ctx.t("batch_title"))
    a, v = step_columns(ctx.presenter)
    with a:
        st.latex(ctx.equations["batch"])
        n = len(ctx.run.y_train)
        st.markdown(ctx.t("batch_text", N=n, err=sci(batch["rel_error"])))
    with v:
        st.metric(col["m_batch"], sci(batch["rel_error"]))
