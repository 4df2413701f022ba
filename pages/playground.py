"""Playground: placeholder until the live page lands (issue 3)."""

import streamlit as st

st.title("Playground")
st.info("The live Playground is being built. The engine behind it is ready in softmax_engine.")
