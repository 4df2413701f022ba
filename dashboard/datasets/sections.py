"""The Datasets page's sections, each drawn from a trained run: layout only.

The numbers come from ``dashboard.datasets.compute`` (a :class:`DatasetsRun`), the
figures from ``dashboard.datasets.charts`` and the shared chart kit.
"""

from __future__ import annotations

import math

import streamlit as st

from dashboard.charts.loss import loss_curve_figure
from dashboard.charts.regions import decision_regions_figure
from dashboard.datasets.charts import (
    confusion_matrix_figure,
    feature_weights_figure,
    precision_recall_figure,
    weight_templates_figure,
)
from dashboard.datasets.compute import MAX_REGION_CLASSES, DatasetsRun, image_shape, plane_view
from dashboard.ui.markdown import markdown_escape as md
from dashboard.ui.persist import kept
from softmax_engine import Dataset

PLANE_LABELS = {
    "pca": "PCA plane through the mean",
    "features": "Two features, the others at their mean",
}


def _chart(fig, key: str) -> None:
    st.plotly_chart(fig, key=key, width="stretch", theme=None)


def dataset_summary(dataset: Dataset) -> None:
    """One line: name, size and class counts (names from a file shown as text)."""
    counts = ", ".join(
        f"{md(name)}: {n}"
        for name, n in zip(dataset.class_names, dataset.class_counts, strict=True)
    )
    st.markdown(
        f"**{md(dataset.name)}**: {dataset.n_samples} samples, {dataset.n_features} "
        f"features, {dataset.n_classes} classes ({counts})."
    )


def headline_metrics(run: DatasetsRun) -> None:
    """Accuracies, objective, iterations and time; an error if gradient descent diverged."""
    h = run.model.history_
    lbfgs = run.options.optimizer == "lbfgs"
    cols = st.columns(5)
    cols[0].metric("Train accuracy", f"{run.train_accuracy:.1%}")
    val = f"{run.val_accuracy:.1%}" if run.has_validation else "—"
    cols[1].metric("Val. accuracy", val)
    cols[2].metric("Objective", f"{h.loss[-1]:.4f}", help="mean cross-entropy + reg·‖W‖²")
    cols[3].metric(
        "Iterations" if lbfgs else "Steps", f"{run.model.n_iter_}",
        help="L-BFGS iterations" if lbfgs else "gradient steps",
    )
    cols[4].metric("Training time", f"{run.train_seconds * 1e3:.0f} ms")
    if run.model.diverged_:
        st.error(
            f"Gradient descent diverged after step {int(h.step[-1])}: the loss became "
            f"non-finite. The page shows the last finite state. Lower the learning rate "
            f"(now {run.options.learning_rate:g})."
        )


def evaluation_charts(run: DatasetsRun, presenter: bool) -> None:
    """Confusion matrix and per-class precision and recall, side by side."""
    part, rep, names = run.evaluation_part, run.report, run.dataset.class_names
    left, right = st.columns(2)
    with left:
        # what was evaluated goes on the subtitle line: a projector's half-width column
        # cuts a long title
        _chart(
            confusion_matrix_figure(
                rep["confusion"], names, title="Confusion matrix",
                subtitle=f"{part} set, {rep['n']} samples", presenter=presenter,
            ),
            "ds_confusion",
        )
    with right:
        fig = precision_recall_figure(
            rep["precision"],
            rep["recall"],
            names,
            support=rep["support"],
            title="Precision and recall per class",
            subtitle=f"{part} set",
            presenter=presenter,
        )
        _chart(fig, "ds_precision_recall")
        st.caption(
            "Precision: of the samples predicted as a class, the share that is that class. "
            "Recall: of the samples of a class, the share found (sklearn.metrics)."
        )


def _plane_choice(names) -> tuple[str, int, int]:
    kept("ds_plane", "pca", allowed=PLANE_LABELS)
    kind = st.radio(
        "Plane", list(PLANE_LABELS), key="ds_plane", horizontal=True, format_func=PLANE_LABELS.get
    )
    if kind != "features":
        return kind, 0, 1
    indices = range(len(names))
    left, right = st.columns(2)
    kept("ds_feat_u", 0, allowed=indices)
    i = left.selectbox("Horizontal", indices, format_func=names.__getitem__, key="ds_feat_u")
    kept("ds_feat_v", 1, allowed=indices)
    j = right.selectbox("Vertical", indices, format_func=names.__getitem__, key="ds_feat_v")
    return kind, i, j


def plane_section(run: DatasetsRun, presenter: bool) -> None:
    """Decision regions on a plane through the data (PCA, or two features)."""
    dataset = run.dataset
    st.subheader("Decision regions on a plane")
    if dataset.n_features < 2:
        st.info("With a single feature there is no plane to draw.")
        return
    if dataset.n_classes > MAX_REGION_CLASSES:
        st.info(
            f"Decision regions are drawn for up to {MAX_REGION_CLASSES} classes; "
            f"this dataset has {dataset.n_classes}."
        )
        return
    kind, i, j = _plane_choice(dataset.feature_names)
    if i == j:
        st.warning("Choose two different features.")
        return
    view = plane_view(run, kind, i, j)
    val = run.has_validation
    fig = decision_regions_figure(
        view.xs,
        view.ys,
        view.proba,
        view.UV_train,
        dataset.y[run.train_index],
        X_val=view.UV_val if val else None,
        y_val=dataset.y[run.val_index] if val else None,
        pred_train=run.predictions[run.train_index],
        pred_val=run.predictions[run.val_index] if val else None,
        class_names=dataset.class_names,
        x_range=view.u_range,
        y_range=view.v_range,
        feature_labels=view.plane.axis_labels,
        presenter=presenter,
        title="Decision regions on the plane",
    )
    _chart(fig, "ds_regions")
    st.markdown(
        f"**What this plane is.** {view.description} A ring marks a sample the model "
        "(using all its features) gets wrong, so a ringed point can sit in its own "
        "class's colour: off the plane the model sees it differently."
    )


def training_section(run: DatasetsRun, presenter: bool) -> None:
    """The loss and accuracy curve of the page's optimizer."""
    h = run.model.history_
    lbfgs = run.options.optimizer == "lbfgs"
    st.subheader("Training")
    fig = loss_curve_figure(
        h.step,
        h.loss,
        h.data_loss,
        h.reg_loss,
        train_accuracy=h.train_accuracy,
        val_accuracy=h.val_accuracy,
        presenter=presenter,
        title="Loss and accuracy per " + ("L-BFGS iteration" if lbfgs else "gradient step"),
    )
    _chart(fig, "ds_loss")
    if lbfgs:
        st.caption(
            "L-BFGS stops where the gradient vanishes (every entry ≤ 1e-8): few iterations, "
            f"each a well-chosen step. Final gradient norm ‖(dW, db)‖ = {h.grad_norm[-1]:.1e}."
        )
    else:
        st.caption(f"Final gradient norm ‖(dW, db)‖ = {h.grad_norm[-1]:.2e}.")


def weights_section(run: DatasetsRun, presenter: bool) -> None:
    """The weights: class templates for an image dataset, else a features × classes map."""
    dataset = run.dataset
    st.subheader("What the classifier learned")
    shape = image_shape(dataset.feature_names)
    if shape is not None:
        title = f"Weight templates: each class's weights as an {shape[0]}×{shape[1]} image"
        fig = weight_templates_figure(
            run.W, dataset.class_names, shape, presenter=presenter, title=title
        )
        _chart(fig, "ds_weights")
        st.caption(
            "As CS231n shows its class templates: the score of a class is the sum of "
            "(weight × standardized pixel), so each image is the pattern the class looks for. "
            "Stronger regularization (0.1–1) gives smoother templates."
        )
        return
    fig = feature_weights_figure(
        run.W,
        dataset.feature_names,
        dataset.class_names,
        title="Weights W",
        subtitle="features × classes, standardized features",
        presenter=presenter,
    )
    _chart(fig, "ds_weights")
    st.caption(
        "Red: a larger value of the feature raises the class's score; blue: lowers it. "
        "Features are standardized, so the weights are comparable across rows."
    )


def _pct(v: float) -> str:
    return "—" if math.isnan(v) else f"{v:.2%}"


def sklearn_section(run: DatasetsRun) -> None:
    """Our L-BFGS optimum beside scikit-learn's ``LogisticRegression`` at the matching C."""
    cmp, reg = run.comparison, run.options.reg
    st.subheader("Beside scikit-learn")
    rule = "1/(N·reg)" if cmp.binary else "1/(2·N·reg)"
    st.markdown(
        f"scikit-learn's `LogisticRegression(C={cmp.C:.4g})` (solver lbfgs) on the same "
        f"standardized training set: C = {rule} with N = {len(run.train_index)} and "
        f"reg = {reg:g}. Both objectives below are ours, mean cross-entropy + reg·‖W‖², "
        "evaluated at each model's weights."
    )
    st.table(
        {
            "": ["Objective", "Train accuracy", "Validation accuracy", "Iterations", "Time"],
            "This engine (L-BFGS)": [
                f"{cmp.ours_objective:.10f}",
                _pct(cmp.ours_train_accuracy),
                _pct(cmp.ours_val_accuracy),
                str(cmp.ours_iterations),
                f"{cmp.ours_seconds * 1e3:.0f} ms",
            ],
            "scikit-learn": [
                f"{cmp.theirs_objective:.10f}",
                _pct(cmp.theirs_train_accuracy),
                _pct(cmp.theirs_val_accuracy),
                str(cmp.theirs_iterations),
                f"{cmp.theirs_seconds * 1e3:.0f} ms",
            ],
        },
        hide_index=True,
    )
    agree = (
        f"The objectives differ by {cmp.objective_gap:.1e} (relative), the weights by at "
        f"most {cmp.max_weight_difference:.1e} (the largest weight is "
        f"{cmp.weight_scale:.3g}), and the two models give the same class to "
        f"{cmp.prediction_agreement:.1%} of the samples."
    )
    if cmp.binary:
        agree += (
            " With two classes scikit-learn fits one vector w = w₁ − w₀; the softmax optimum "
            "has w₁ = −w₀ = w/2, whose penalty reg·(‖w₀‖² + ‖w₁‖²) is reg·‖w‖²/2 — hence "
            "C = 1/(N·reg) here, not 1/(2·N·reg)."
        )
    st.caption(agree)
    if run.options.optimizer == "sgd":
        h = run.model.history_
        gap = h.loss[-1] - cmp.ours_objective
        st.caption(
            f"Your gradient-descent model (above) ends at objective {h.loss[-1]:.6f} after "
            f"{run.model.n_iter_} steps: {gap:.2g} above this optimum."
        )
