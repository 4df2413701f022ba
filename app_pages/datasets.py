"""Datasets: placeholder until its issue lands."""

import streamlit as st

st.title("Datasets")
st.info("This page is being built.")
