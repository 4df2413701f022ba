"""softmax_engine: softmax (multinomial logistic) regression in numpy.

Readable beside the classic derivation of the softmax gradient (the textbook loop).

No streamlit, no plotly: usable from a notebook or a script on its own.
"""

from softmax_engine.classifier import DivergenceWarning, SoftmaxClassifier, TrainingHistory
from softmax_engine.datasets import (
    BUNDLED_DATASETS,
    TOY_DATASETS,
    Dataset,
    DatasetError,
    load_csv,
    load_dataset,
    make_dataset,
)
from softmax_engine.features import FeatureMap
from softmax_engine.gradcheck import grad_check_sparse, numerical_gradient, relative_error
from softmax_engine.losses import (
    log_softmax,
    score_gradient,
    softmax,
    softmax_jacobian,
    softmax_loss_naive,
    softmax_loss_vectorized,
)
from softmax_engine.objective import BatchedObjective, SoftmaxObjective
from softmax_engine.optim import make_optimizer
from softmax_engine.regions import (
    DecisionRegions,
    Plane,
    decision_regions,
    feature_plane,
    grid_bounds,
    lift,
    pca_plane,
    plane_regions,
    project,
)
from softmax_engine.sweep import SweepResult, regularization_path, sweep

__all__ = [
    "BUNDLED_DATASETS",
    "TOY_DATASETS",
    "BatchedObjective",
    "Dataset",
    "DatasetError",
    "DecisionRegions",
    "DivergenceWarning",
    "FeatureMap",
    "Plane",
    "SoftmaxClassifier",
    "SoftmaxObjective",
    "SweepResult",
    "TrainingHistory",
    "decision_regions",
    "feature_plane",
    "grad_check_sparse",
    "grid_bounds",
    "lift",
    "load_csv",
    "load_dataset",
    "log_softmax",
    "make_dataset",
    "make_optimizer",
    "numerical_gradient",
    "pca_plane",
    "plane_regions",
    "project",
    "regularization_path",
    "relative_error",
    "score_gradient",
    "softmax",
    "softmax_jacobian",
    "softmax_loss_naive",
    "softmax_loss_vectorized",
    "sweep",
]
