"""Softmax Playground: entry point. Page config and navigation only; pages live in pages/."""

import streamlit as st

st.set_page_config(page_title="Softmax Playground", page_icon="🎛️", layout="wide")

PAGES = [
    st.Page("pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("pages/playground.py", title="Playground", icon="🎛️"),
]

st.navigation(PAGES).run()
