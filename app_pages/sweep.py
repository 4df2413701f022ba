"""Sweep: placeholder until its issue lands."""

import streamlit as st

st.title("Sweep")
st.info("This page is being built.")
