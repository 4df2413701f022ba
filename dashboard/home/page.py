"""Home: what this is, a one-minute tour, and a link to every page."""

import streamlit as st

st.title("Softmax Playground")
st.markdown(
    "Train a **softmax classifier** (multinomial logistic regression) and watch it learn: "
    "the decision regions, the loss curve and the gradient change live as you move the "
    "**Learning rate** and **Regularization** sliders. Every number on screen is computed by "
    "a small numpy engine you can read next to the derivation it comes from,"
)
st.latex(
    r"\frac{\partial L_i}{\partial W_j} = \left(q_{ij} - \mathbb{1}[j = y_i]\right) x_i,"
    r"\qquad q_i = \operatorname{softmax}(x_i W + b)."
)

left, right = st.columns([1.3, 1])
with left:
    st.subheader("A one-minute tour")
    st.markdown(
        """
1. **Open the Playground.** A spiral of three classes is already trained: the background
   shows the class probabilities blended (pale where the model is unsure), the lines are
   the decision boundaries, ringed points are misclassified.
2. **Drag Learning rate** slowly from right to left. The regions and the loss curve follow
   the pointer: every position was trained beforehand, all 320 models at once, and your
   browser draws the one under it. The curve shows whether the steps were too timid or
   too bold; let go and the rest of the page follows.
3. **Drag the Step slider** back to 0 and forward again: the regions and the gradient
   heatmaps replay training. Or switch on **Play** to animate it in your browser.
4. **Pick a preset** in the sidebar, for instance *XOR needs the x1·x2 feature* or
   *Strong regularization flattens the probabilities*; each comes with a sentence on what
   to look for.
5. **Share what you see:** the address bar holds every setting, so a copied link opens the
   same view. *Presenter mode* enlarges everything for a projector; at 1280×720 the
   sliders and both charts fit on one screen.
"""
    )
with right:
    st.subheader("Pages")
    st.page_link(
        "dashboard/playground/page.py",
        label="Playground — train and watch",
        icon=":material/tune:",
    )
    st.caption("Decision regions, loss curve and gradient heatmaps, live.")
    st.page_link(
        "dashboard/derivation/page.py",
        label="Derivation — the gradient, step by step",
        icon=":material/function:",
    )
    st.caption("The chain rule evaluated on your own model, checked numerically.")
    st.page_link(
        "dashboard/datasets/page.py", label="Datasets — real data and your CSV",
        icon=":material/table_chart:",
    )
    st.caption("Iris, wine, breast cancer, digits, or your own file; compared with scikit-learn.")
    st.page_link(
        "dashboard/sweep/page.py", label="Sweep — find good hyperparameters",
        icon=":material/grid_on:",
    )
    st.caption("A whole grid of learning rates × regularizations, trained at once.")
