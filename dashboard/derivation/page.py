"""Derivation: the classic chain rule of the softmax gradient, live on the Playground's model.

Layout only. The first screen picks a sample and shows its chain rule with its numbers;
the derivation's steps and the checks follow as sections that run only while open (a
fresh load draws one chart and one block of formulas instead of seven charts and ~70
formulas; ``benchmarks/page_load.py``). Numbers: :mod:`dashboard.derivation.compute`,
``checks`` and ``slips`` through ``cache``; figures: ``charts`` and ``check_charts``;
words: ``text``; sections: ``sections`` and ``verify_sections``.
"""

import streamlit as st

from dashboard.derivation import sections, verify_sections
from dashboard.playground.cache import playground_run
from dashboard.ui.controls import current_settings
from dashboard.ui.layout import presenter_css, show_diagnostics

settings, _ = current_settings()
st.markdown(presenter_css(settings.presenter), unsafe_allow_html=True)  # static CSS
lang = sections.title_and_language()
run = playground_run(settings)
ctx = sections.choose(run, lang, settings.presenter)

sections.model_summary(ctx)
show_diagnostics(run)

left, right = st.columns([1, 1.25], gap="large")
with left:
    sections.sample_controls(ctx)
    sections.picker_chart(ctx)
with right:
    sections.chain_at_a_glance(ctx)

st.header(ctx.t("sections_title"))
st.markdown(ctx.t("intro"))
for key, title, draw in (
    ("open_forward", "sec_forward", sections.forward),
    ("open_chain", "sec_chain", sections.chain),
    ("open_weights", "sec_weights", sections.weights),
    ("open_check", "sec_check", sections.check),
    ("open_slips", "sec_slips", verify_sections.slips),
    ("open_gradcheck", "sec_gradcheck", verify_sections.gradient_checks),
    ("open_props", "sec_props", verify_sections.properties),
):
    sections.lazy_section(key, ctx.t(title), draw, ctx)
