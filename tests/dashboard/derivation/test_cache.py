"""The page's caches (``dashboard.derivation.cache``): the numbers of the functions they
wrap, checked against scipy, and one computation per key."""

import math

import numpy as np
import pytest
import scipy.special

from dashboard.derivation import cache
from tests.dashboard.derivation.oracles import oracle_mean_loss


@pytest.fixture(autouse=True)
def _fresh(fresh_cache):
    import streamlit as st

    st.cache_data.clear()
    yield
    st.cache_data.clear()


def test_sample_derivation_is_the_samples_numbers_and_is_kept(runs):
    run = runs["iris"]
    key, k = run.settings.training_key(), len(run.history.step) - 1
    d = cache.sample_derivation(key, k, 5, run)
    W, b = run.history.W[k], run.history.b[k]
    s = run.features_train[5] @ W + b
    np.testing.assert_allclose(d.q, scipy.special.softmax(s), rtol=1e-12)
    assert d.index == 5
    again = cache.sample_derivation(key, k, 5, run)
    np.testing.assert_array_equal(again.q, d.q)
    # another sample is another entry
    assert cache.sample_derivation(key, k, 6, run).index == 6


def test_section_numbers(runs):
    run = runs["spiral"]
    key, k = run.settings.training_key(), len(run.history.step) - 1
    W, b = run.history.W[k], run.history.b[k]
    X1 = np.hstack([run.features_train, np.ones((len(run.y_train), 1))])
    W1 = np.vstack([W, b])
    found = cache.gradient_checks(key, k, run)
    expected = oracle_mean_loss(W1, X1, run.y_train, run.settings.reg)
    assert math.isclose(found["naive"]["loss_vectorized"], expected, rel_tol=1e-12)
    assert not any(name.startswith("dW") for name in found["naive"])  # only what is shown
    slips = cache.slip_checks(key, k, run)
    assert slips["index_error"].startswith("ValueError")
    summed = next(r for r in slips["variants"] if r["variant"] == "summed")
    assert math.isclose(summed["norm_ratio"], len(run.y_train), rel_tol=1e-10)
    assert cache.batch_check(key, k, run)["rel_error"] < 1e-10
    xs, ys, proba = cache.picker_regions(key, k, 20, run)
    assert proba.shape == (ys.size, xs.size, len(run.data.class_names))
    np.testing.assert_allclose(proba.sum(axis=-1), 1.0, rtol=1e-5)
    rows = cache.initial_losses(key, run)
    assert all(abs(r["loss"] - math.log(r["C"])) < 0.01 for r in rows)
