"""Derivation: placeholder until its issue lands."""

import streamlit as st

st.title("Derivation")
st.info("This page is being built.")
