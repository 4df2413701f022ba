"""The Derivation page's caches: every ``st.cache_*`` of the page, and nothing else.

A run is keyed by its ``training_key`` (its settings); the run object itself is passed
unhashed (``_run``). Each section's numbers are cached apart, so opening one section
computes only what it shows.
"""

from __future__ import annotations

import streamlit as st

from dashboard.derivation import checks, compute, slips


@st.cache_data(max_entries=128, show_spinner=False)
def sample_derivation(training_key, k, i, _run):
    """:func:`compute.derive_sample` for sample ``i`` at record ``k`` of the run."""
    W, b, _ = _run.weights_at(k)
    return compute.derive_sample(W, b, _run.features_train, _run.y_train, i)


@st.cache_data(max_entries=32, show_spinner=False)
def picker_regions(training_key, k, resolution, _run):
    """The run's class probabilities on a ``resolution``-square grid at record ``k``."""
    return _run.regions_at(k, resolution=resolution)


@st.cache_data(max_entries=64, show_spinner=False)
def batch_check(training_key, k, _run):
    """:func:`compute.batch_gradient_check` at record ``k`` (relative error only)."""
    W, b, dW = _run.weights_at(k)
    result = compute.batch_gradient_check(
        W, b, _run.features_train, _run.y_train, _run.settings.reg, dW
    )
    return {"rel_error": result["rel_error"]}


@st.cache_data(max_entries=64, show_spinner=False)
def slip_checks(training_key, k, _run):
    """The slips section's numbers at record ``k``: the index slip's error, the variants."""
    W, b, _ = _run.weights_at(k)
    W1, X1 = compute.with_bias(W, b, _run.features_train)
    reg_check = checks.check_reg(_run.settings.reg)
    return {
        "reg_check": reg_check,
        "index_error": slips.index_slip_error(W, _run.features_train, _run.y_train),
        "variants": slips.slips_check(W1, X1, _run.y_train, reg_check),
    }


@st.cache_data(max_entries=64, show_spinner=False)
def gradient_checks(training_key, k, _run):
    """The gradient-check section's numbers at record ``k`` (bias folded into W)."""
    W, b, _ = _run.weights_at(k)
    W1, X1 = compute.with_bias(W, b, _run.features_train)
    y = _run.y_train
    reg = float(_run.settings.reg)
    reg_check = checks.check_reg(reg)
    naive = checks.naive_vs_vectorized(W1, X1, y, reg)
    return {
        "reg": reg,
        "reg_check": reg_check,
        "naive": {key: val for key, val in naive.items() if not key.startswith("dW")},
        "data_loss": checks.naive_vs_vectorized(W1, X1, y, 0.0)["loss_vectorized"],
        "gradcheck": checks.sparse_grad_checks(W1, X1, y, [0.0, reg_check]),
        "sweep": checks.step_size_sweep(W1, X1, y, reg),
    }


@st.cache_data(max_entries=8, show_spinner=False)
def initial_losses(training_key, _run):
    """:func:`checks.initial_loss_check` on the run's features."""
    return checks.initial_loss_check(_run.features_train)


@st.cache_data(max_entries=16, show_spinner=False)
def timings(shapes, nonce):
    """:func:`checks.time_losses`; a new ``nonce`` measures again."""
    return checks.time_losses(shapes)
