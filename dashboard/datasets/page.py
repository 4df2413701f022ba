"""Datasets: train on all features of a real dataset or your own CSV; compare with scikit-learn."""

import math

import streamlit as st

from dashboard.charts.heatmaps import weights_heatmap_figure
from dashboard.charts.loss import loss_curve_figure
from dashboard.charts.regions import decision_regions_figure
from dashboard.datasets import charts as fd
from dashboard.datasets import compute as dv
from dashboard.ui.controls import current_settings
from dashboard.ui.layout import presenter_css
from dashboard.ui.markdown import markdown_escape
from softmax_engine import load_dataset
from softmax_engine.datasets import MAX_CSV_BYTES

MAX_CACHED = 16
# Widget state is dropped when the person visits another page; these copies are not.
_KEEP = "_ds_keep"
_DEFAULTS = {
    "ds_source": "iris",
    "ds_optimizer": "lbfgs",
    "ds_reg": 1e-3,
    "ds_lr": 0.5,
    "ds_steps": 300,
    "ds_val_share": 0.2,
    "ds_plane": "pca",
}


@st.cache_resource(max_entries=MAX_CACHED, show_spinner="Training…")
def _trained(data_hash, options, _dataset):
    # keyed on the data's content hash: one session's upload is never served to another
    return dv.train_on_dataset(_dataset, options)


def _restore_widgets():
    keep = st.session_state.setdefault(_KEEP, dict(_DEFAULTS))
    for key, value in keep.items():
        if key not in st.session_state:
            st.session_state[key] = value


def _remember_widgets():
    st.session_state[_KEEP] = {k: st.session_state[k] for k in _DEFAULTS if k in st.session_state}


settings, _ = current_settings()
presenter = settings.presenter
st.markdown(presenter_css(presenter), unsafe_allow_html=True)  # static CSS, no user text
_restore_widgets()

with st.sidebar:
    st.subheader("Data")
    source = st.selectbox(
        "Dataset",
        [*dv.BUNDLED_SOURCES, dv.UPLOAD_SOURCE],
        key="ds_source",
        format_func=dv.SOURCE_LABELS.__getitem__,
    )
    st.slider(
        "Validation share",
        0.0,
        0.5,
        step=0.05,
        key="ds_val_share",
        help="Held out from training (stratified, seeded); the confusion matrix and "
        "precision/recall are computed on it.",
    )
    st.subheader("Training")
    optimizer = st.radio(
        "Optimizer", dv.OPTIMIZERS, key="ds_optimizer", format_func=dv.OPTIMIZER_LABELS.get
    )
    st.select_slider(
        "Regularization",
        dv.DATASET_REGULARIZATIONS,
        key="ds_reg",
        format_func=lambda v: f"{v:g}",
        help="reg in loss = mean cross-entropy + reg·‖W‖² (log scale 1e-5 … 10).",
    )
    if optimizer == "sgd":
        st.select_slider(
            "Learning rate",
            dv.LEARNING_RATES,
            key="ds_lr",
            format_func=lambda v: f"{v:g}",
        )
        st.slider("Steps", 1, dv.MAX_GD_STEPS, key="ds_steps")
_remember_widgets()

st.title("Datasets")
st.caption(
    "A softmax classifier on **all** features of a real dataset, standardized "
    "(mean 0, standard deviation 1 on the training set)."
)

# ----------------------------------------------------------------------------- the data
md = markdown_escape  # names and messages from a person's file are text, not markdown
st.session_state.setdefault("ds_current", load_dataset(dv.BUNDLED_SOURCES[0]))
if source == dv.UPLOAD_SOURCE:
    upload = st.file_uploader(
        "Your CSV file",
        type="csv",
        key="csv_upload",
        # the same 5 MB as load_csv's own limit (and the server's), refused before upload
        max_upload_size=MAX_CSV_BYTES // (1024 * 1024),
        help="Numeric feature columns and one label column (the last one); a header row is "
        "optional. Comma, semicolon or tab separated; at most 5 MB.",
    )
    if upload is not None:
        uploaded, error = dv.accept_upload(
            st.session_state, upload.file_id, upload.name, upload.getvalue()
        )
    else:
        uploaded, error = st.session_state.get(dv.UPLOADED_KEY), None
    if uploaded is not None:
        st.session_state["ds_current"] = uploaded
    shown = md(st.session_state["ds_current"].name)
    if error:
        st.error(
            f"**{md(upload.name)}** cannot be used: {md(error.rstrip('.'))}. "
            f"The page keeps showing **{shown}**."
        )
    elif uploaded is None:
        st.info(
            "Choose a CSV file: numeric feature columns, the class label in the last column. "
            f"Until then this page shows **{shown}**."
        )
else:
    st.session_state["ds_current"] = load_dataset(source)
dataset = st.session_state["ds_current"]

counts = ", ".join(
    f"{md(name)}: {n}" for name, n in zip(dataset.class_names, dataset.class_counts, strict=True)
)
st.markdown(
    f"**{md(dataset.name)}**: {dataset.n_samples} samples, {dataset.n_features} features, "
    f"{dataset.n_classes} classes ({counts})."
)

gd = optimizer == "sgd"  # L-BFGS ignores the step size and count: keep them out of the key
options = dv.DatasetOptions(
    reg=float(st.session_state["ds_reg"]),
    optimizer=optimizer,
    learning_rate=float(st.session_state["ds_lr"]) if gd else dv.DatasetOptions.learning_rate,
    steps=int(st.session_state["ds_steps"]) if gd else dv.DatasetOptions.steps,
    validation_share=float(st.session_state["ds_val_share"]),
)
try:
    run = _trained(dv.content_hash(dataset), options, dataset)
except ValueError as exc:  # e.g. a dataset too small to split; never a traceback
    st.error(f"Cannot train on **{md(dataset.name)}**: {md(str(exc))}")
    st.stop()

h = run.model.history_
cmp = run.comparison
cols = st.columns(5)
cols[0].metric("Train accuracy", f"{run.train_accuracy:.1%}")
cols[1].metric("Validation accuracy", "—" if not run.has_validation else f"{run.val_accuracy:.1%}")
cols[2].metric("Objective", f"{h.loss[-1]:.4f}", help="mean cross-entropy + reg·‖W‖²")
cols[3].metric(
    "L-BFGS iterations" if optimizer == "lbfgs" else "Steps",
    f"{run.model.n_iter_}",
)
cols[4].metric("Training time", f"{run.train_seconds * 1e3:.0f} ms")
if run.model.diverged_:
    st.error(
        f"Gradient descent diverged after step {int(h.step[-1])}: the loss became "
        f"non-finite. The page shows the last finite state. Lower the learning rate "
        f"(now {options.learning_rate:g})."
    )

# ----------------------------------------------------------------------------- metrics
part = run.evaluation_part
rep = run.report
left, right = st.columns(2)
with left:
    fig = fd.confusion_matrix_figure(
        rep["confusion"],
        dataset.class_names,
        title=f"Confusion matrix ({part} set, {rep['n']} samples)",
        presenter=presenter,
    )
    st.plotly_chart(fig, key="ds_confusion", width="stretch", theme=None)
with right:
    fig = fd.precision_recall_figure(
        rep["precision"],
        rep["recall"],
        dataset.class_names,
        support=rep["support"],
        title=f"Precision and recall per class ({part} set)",
        presenter=presenter,
    )
    st.plotly_chart(fig, key="ds_precision_recall", width="stretch", theme=None)
    st.caption(
        "Precision: of the samples predicted as a class, the share that is that class. "
        "Recall: of the samples of a class, the share found (sklearn.metrics)."
    )

# ----------------------------------------------------------------------------- plane + loss
left, right = st.columns([1.1, 1])
with left:
    st.subheader("Decision regions on a plane")
    if dataset.n_features < 2:
        st.info("With a single feature there is no plane to draw.")
    elif dataset.n_classes > dv.MAX_REGION_CLASSES:
        st.info(
            f"Decision regions are drawn for up to {dv.MAX_REGION_CLASSES} classes; "
            f"this dataset has {dataset.n_classes}."
        )
    else:
        plane_kind = st.radio(
            "Plane",
            ["pca", "features"],
            key="ds_plane",
            horizontal=True,
            format_func={
                "pca": "PCA plane through the mean",
                "features": "Two features, the others at their mean",
            }.get,
        )
        i, j = 0, 1
        if plane_kind == "features":
            names = dataset.feature_names
            pick = st.columns(2)
            i = pick[0].selectbox(
                "Horizontal",
                range(len(names)),
                index=0,
                format_func=names.__getitem__,
                key="ds_feat_u",
            )
            j = pick[1].selectbox(
                "Vertical",
                range(len(names)),
                index=1,
                format_func=names.__getitem__,
                key="ds_feat_v",
            )
        if i == j:
            st.warning("Choose two different features.")
        else:
            view = dv.plane_view(run, plane_kind, i, j)
            fig = decision_regions_figure(
                view.xs,
                view.ys,
                view.proba,
                view.UV_train,
                dataset.y[run.train_index],
                X_val=view.UV_val if run.has_validation else None,
                y_val=dataset.y[run.val_index] if run.has_validation else None,
                pred_train=run.predictions[run.train_index],
                pred_val=run.predictions[run.val_index] if run.has_validation else None,
                class_names=dataset.class_names,
                x_range=view.u_range,
                y_range=view.v_range,
                feature_labels=view.plane.axis_labels,
                presenter=presenter,
                title="Decision regions on the plane",
            )
            st.plotly_chart(fig, key="ds_regions", width="stretch", theme=None)
            st.markdown(
                f"**What this plane is.** {view.description} A ring marks a sample the model "
                "(using all its features) gets wrong, so a ringed point can sit in its own "
                "class's colour: off the plane the model sees it differently."
            )
with right:
    st.subheader("Training")
    fig = loss_curve_figure(
        h.step,
        h.loss,
        h.data_loss,
        h.reg_loss,
        train_accuracy=h.train_accuracy,
        val_accuracy=h.val_accuracy,
        presenter=presenter,
        title="Loss and accuracy per L-BFGS iteration"
        if optimizer == "lbfgs"
        else "Loss and accuracy per gradient step",
    )
    st.plotly_chart(fig, key="ds_loss", width="stretch", theme=None)
    if optimizer == "lbfgs":
        st.caption(
            "L-BFGS stops where the gradient vanishes (every entry ≤ 1e-8): few iterations, "
            f"each a well-chosen step. Final gradient norm ‖(dW, db)‖ = {h.grad_norm[-1]:.1e}."
        )
    else:
        st.caption(f"Final gradient norm ‖(dW, db)‖ = {h.grad_norm[-1]:.2e}.")

# ----------------------------------------------------------------------------- weights
st.subheader("What the classifier learned")
shape = dv.image_shape(dataset.feature_names)
if shape is not None:
    fig = fd.weight_templates_figure(
        run.W,
        dataset.class_names,
        shape,
        presenter=presenter,
        title=f"Weight templates: each class's weights as an {shape[0]}×{shape[1]} image",
    )
    st.plotly_chart(fig, key="ds_weights", width="stretch", theme=None)
    st.caption(
        "As CS231n shows its class templates: the score of a class is the sum of "
        "(weight × standardized pixel), so each image is the pattern the class looks for. "
        "Stronger regularization (0.1–1) gives smoother templates."
    )
else:
    fig = weights_heatmap_figure(
        run.W,
        dataset.feature_names,
        dataset.class_names,
        title="Weights W (features × classes, standardized features)",
        presenter=presenter,
    )
    st.plotly_chart(fig, key="ds_weights", width="stretch", theme=None)
    st.caption(
        "Red: a larger value of the feature raises the class's score; blue: lowers it. "
        "Features are standardized, so the weights are comparable across rows."
    )

# ----------------------------------------------------------------------------- sklearn
st.subheader("Beside scikit-learn")
n_train = len(run.train_index)
rule = "1/(N·reg)" if cmp.binary else "1/(2·N·reg)"
st.markdown(
    f"scikit-learn's `LogisticRegression(C={cmp.C:.4g})` (solver lbfgs) on the same "
    f"standardized training set: C = {rule} with N = {n_train} and reg = {options.reg:g}. "
    "Both objectives below are ours, mean cross-entropy + reg·‖W‖², evaluated at each "
    "model's weights."
)


def _pct(v):
    return "—" if math.isnan(v) else f"{v:.2%}"


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
    f"The objectives differ by {cmp.objective_gap:.1e} (relative), the weights by at most "
    f"{cmp.max_weight_difference:.1e} (the largest weight is {cmp.weight_scale:.3g}), and "
    f"the two models give the same class to {cmp.prediction_agreement:.1%} of the samples."
)
if cmp.binary:
    agree += (
        " With two classes scikit-learn fits one vector w = w₁ − w₀; the softmax optimum "
        "has w₁ = −w₀ = w/2, whose penalty reg·(‖w₀‖² + ‖w₁‖²) is reg·‖w‖²/2 — hence "
        "C = 1/(N·reg) here, not 1/(2·N·reg)."
    )
st.caption(agree)
if optimizer == "sgd":
    gap = h.loss[-1] - cmp.ours_objective
    st.caption(
        f"Your gradient-descent model (above) ends at objective {h.loss[-1]:.6f} after "
        f"{run.model.n_iter_} steps: {gap:.2g} above this optimum."
    )
