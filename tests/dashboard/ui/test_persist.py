"""``kept``: a widget's value survives runs that do not draw it, and falls back when invalid."""

from streamlit.testing.v1 import AppTest


def _app():
    import streamlit as st

    from dashboard.ui.persist import kept

    page = st.radio("page", ["a", "b"], key="page")
    if page == "a":
        kept("n", 3, allowed=range(1, 6))
        st.slider("n", 1, 5, key="n")
    if st.session_state.get("shrink"):
        kept("n", 1, allowed=range(1, 3))  # the options shrank: 4 is no longer allowed


def test_value_survives_a_run_without_the_widget():
    at = AppTest.from_function(_app).run()
    assert at.slider(key="n").value == 3
    at.slider(key="n").set_value(4).run()
    at.radio(key="page").set_value("b").run()
    assert not at.slider  # not drawn: Streamlit drops its state
    at.radio(key="page").set_value("a").run()
    assert at.slider(key="n").value == 4


def test_value_outside_the_allowed_set_falls_back_to_the_default():
    at = AppTest.from_function(_app).run()
    at.slider(key="n").set_value(4).run()
    at.radio(key="page").set_value("b").run()
    at.session_state["shrink"] = True
    at.run()
    assert at.session_state["n"] == 1
