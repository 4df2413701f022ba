"""Home: what this is and where to go."""

import streamlit as st

st.title("Softmax Playground")
st.markdown(
    "Train a softmax (multinomial logistic regression) classifier and watch it learn: "
    "decision regions, the loss curve and the gradient, live as you move the sliders."
)
st.page_link("app_pages/playground.py", label="Open the Playground", icon=":material/tune:")
