"""softmax_engine: softmax (multinomial logistic) regression in numpy, readable beside the seed.

No streamlit, no plotly: usable from a notebook or a script on its own.
"""

from softmax_engine.gradcheck import grad_check_sparse, numerical_gradient, relative_error
from softmax_engine.losses import (
    SoftmaxObjective,
    log_softmax,
    score_gradient,
    softmax,
    softmax_jacobian,
    softmax_loss_naive,
    softmax_loss_vectorized,
)

__all__ = [
    "SoftmaxObjective",
    "grad_check_sparse",
    "log_softmax",
    "numerical_gradient",
    "relative_error",
    "score_gradient",
    "softmax",
    "softmax_jacobian",
    "softmax_loss_naive",
    "softmax_loss_vectorized",
]
