"""The Derivation page's computations, checked against independent oracles.

Oracles: ``scipy.special`` (softmax, log_softmax, logsumexp) and centred differences
written here (not the engine's ``numerical_gradient``), so a slip in the engine or in
``dashboard.derivation`` cannot hide behind itself.
"""

import json
import math
import re
import string

import numpy as np
import plotly.graph_objects as go
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.derivation import charts as fd
from dashboard.derivation import compute as dv
from dashboard.derivation.text import (
    COLUMNS,
    EQUATIONS,
    FIGURE_LABELS,
    LANGUAGES,
    SEED_CODE,
    TEXT,
    equations,
    seed_code,
)
from dashboard.playground.compute import train_playground
from dashboard.settings import Settings
from softmax_engine import softmax_loss_vectorized
from tests.chartspec import decode

# ----------------------------------------------------------------------------- oracles


def oracle_loss(W, b, x, label):
    """-log softmax(x W + b)[label] with scipy."""
    return float(-scipy.special.log_softmax(x @ W + b)[label])


def oracle_numerical(f, x, h=1e-6):
    """Centred differences of f at every entry of a float64 array (a copy is perturbed)."""
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        fp = f(x)
        x[idx] = old - h
        fm = f(x)
        x[idx] = old
        g[idx] = (fp - fm) / (2 * h)
    return g


def random_problem(rng, N=12, D=4, C=3, scale=1.0):
    X = rng.standard_normal((N, D))
    W = scale * rng.standard_normal((D, C))
    b = 0.5 * rng.standard_normal(C)
    y = rng.integers(0, C, N)
    return W, b, X, y


@pytest.fixture(scope="module")
def runs():
    return {
        "spiral": train_playground(Settings(steps=120)),
        "blobs_raw": train_playground(Settings(dataset="blobs", features="raw", steps=80)),
        "iris": train_playground(Settings(dataset="iris", steps=80)),
        "xor_poly": train_playground(
            Settings(dataset="xor", n_classes=2, features="poly", degree=2, steps=60)
        ),
    }


# ----------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("value", "n", "expected"),
    [
        (0, 5, 0),
        (4, 5, 4),
        (5, 5, 4),
        (-3, 5, 0),
        (2.6, 5, 3),
        (1e12, 5, 4),
        (None, 5, 0),
        ("abc", 5, 0),
        ("3", 5, 3),
        (float("nan"), 5, 0),
        (float("inf"), 5, 4),
        (float("-inf"), 5, 0),
        (7, 1, 0),
        (7, 0, 0),
    ],
)
def test_clamp_index(value, n, expected):
    assert dv.clamp_index(value, n) == expected


def test_with_bias_reproduces_scores():
    rng = np.random.default_rng(0)
    W, b, X, _ = random_problem(rng)
    W1, X1 = dv.with_bias(W, b, X)
    assert W1.shape == (W.shape[0] + 1, W.shape[1]) and X1.shape == (X.shape[0], X.shape[1] + 1)
    np.testing.assert_allclose(X1 @ W1, X @ W + b, rtol=1e-13)


def test_matrix_relative_error():
    assert dv.matrix_relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert dv.matrix_relative_error([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert dv.matrix_relative_error([1.0], [-1.0]) == 1.0
    assert math.isclose(dv.matrix_relative_error([3.0], [1.0]), 0.5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.5, "0.5"),
        (-1.25e-7, r"-1.25\times10^{-7}"),
        (math.inf, r"\infty"),
        (-math.inf, r"-\infty"),
        (math.nan, r"\mathrm{NaN}"),
    ],
)
def test_latex_number(value, expected):
    assert dv.latex_number(value) == expected


def test_latex_vector_elides_long_vectors():
    text = dv.latex_vector(np.arange(12.0), max_items=5)
    assert text.count("&") == 5 and r"\cdots" in text
    assert text.startswith(r"\begin{bmatrix}") and text.endswith(r"\end{bmatrix}")


def test_display_number():
    assert dv.display_number(math.inf) == "∞"
    assert dv.display_number(-math.inf) == "−∞"
    assert dv.display_number(math.nan) == "NaN"
    assert dv.display_number(1234.5678, ".6g") == "1234.57"


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([], None),
        (None, None),
        ([{"curve_number": 2, "point_index": 3}], None),
        ([{"customdata": 17}], 17),
        ([{"customdata": [8, "x"]}], 8),
        ([{"customdata": 17.0}], 17),
        ([{"customdata": None}, {"customdata": 4}], 4),
        ([{"customdata": 999}], 49),
        ([{"customdata": -3}], 0),
        ([{"customdata": "nonsense"}], None),
        ([{"customdata": float("nan")}], None),
        (["not a dict"], None),
    ],
)
def test_sample_from_points(points, expected):
    assert dv.sample_from_points(points, 50) == expected


def test_most_uncertain_sample_matches_scipy_entropy():
    rng = np.random.default_rng(3)
    W, b, X, _ = random_problem(rng, N=40, C=4)
    q = scipy.special.softmax(X @ W + b, axis=1)
    entropy = scipy.special.entr(q).sum(axis=1)
    assert dv.most_uncertain_sample(W, b, X) == int(np.argmax(entropy))


# ----------------------------------------------------------------------------- one sample


def check_sample(d, W, b, X, y, i):
    """Every quantity of a SampleDerivation against scipy and hand-written differences."""
    x, label = X[i], int(y[i])
    C = W.shape[1]
    s = x @ W + b
    np.testing.assert_allclose(d.scores, s, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(d.q, scipy.special.softmax(s), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(d.log_q, scipy.special.log_softmax(s), rtol=1e-12, atol=1e-12)
    assert math.isclose(d.loss, oracle_loss(W, b, x, label), rel_tol=1e-12, abs_tol=1e-15)
    onehot = np.eye(C)[label]
    np.testing.assert_array_equal(d.onehot, onehot)
    # Eq. (5): -1/q at the label, 0 elsewhere.
    q = scipy.special.softmax(s)
    expected_dldq = np.where(np.arange(C) == label, -1.0 / q[label], 0.0)
    np.testing.assert_allclose(d.dL_dq, expected_dldq, rtol=1e-12)
    # Eqs. (6)-(7): the Jacobian, against differences of scipy's softmax.
    J_num = np.stack(
        [oracle_numerical(lambda v, m=m: scipy.special.softmax(v)[m], s) for m in range(C)]
    )
    np.testing.assert_allclose(d.jacobian, J_num, atol=1e-8)
    np.testing.assert_allclose(d.jacobian, d.jacobian.T, atol=1e-15)
    np.testing.assert_allclose(d.jacobian.sum(axis=1), 0.0, atol=1e-15)
    # Chain rule = closed form = differences of the loss in the scores.
    np.testing.assert_allclose(d.closed, q - onehot, atol=1e-15)
    np.testing.assert_allclose(d.chain, d.closed, rtol=1e-9, atol=1e-12)
    num_s = oracle_numerical(lambda v: float(-scipy.special.log_softmax(v)[label]), s)
    np.testing.assert_allclose(d.numerical_scores, num_s, atol=1e-7)
    np.testing.assert_allclose(d.closed, num_s, atol=1e-7)
    # The per-sample gradient: column j = (q_j - 1[j = y]) x.
    G = np.outer(x, q - onehot)
    np.testing.assert_allclose(d.grad_W, G, rtol=1e-12, atol=1e-15)
    num_W = oracle_numerical(lambda Wp: oracle_loss(Wp, b, x, label), W)
    np.testing.assert_allclose(d.numerical_W, num_W, atol=1e-7)
    np.testing.assert_allclose(d.engine_W, G, rtol=1e-10, atol=1e-14)
    assert d.err_chain_closed < 1e-8
    assert d.err_W_engine < 1e-12
    assert d.numerical_agrees
    assert d.index == i and d.label == label and d.predicted == int(np.argmax(s))


def test_derive_sample_on_random_problem():
    rng = np.random.default_rng(1)
    W, b, X, y = random_problem(rng)
    for i in (0, 5, len(y) - 1):
        check_sample(dv.derive_sample(W, b, X, y, i), W, b, X, y, i)


@pytest.mark.parametrize("name", ["spiral", "blobs_raw", "iris", "xor_poly"])
def test_derive_sample_on_trained_runs(runs, name):
    run = runs[name]
    X, y = run.features_train, run.y_train
    for k in (0, len(run.history.step) - 1):
        W, b, _ = run.weights_at(k)
        for i in (0, len(y) // 2, len(y) - 1):
            check_sample(dv.derive_sample(W, b, X, y, i), W, b, X, y, i)


def test_derive_sample_clamps_the_index():
    rng = np.random.default_rng(2)
    W, b, X, y = random_problem(rng)
    assert dv.derive_sample(W, b, X, y, -4).index == 0
    assert dv.derive_sample(W, b, X, y, 10**9).index == len(y) - 1
    assert dv.derive_sample(W, b, X, y, None).index == 0


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    C=st.integers(2, 10),
    D=st.integers(1, 6),
    scale=st.sampled_from([1e-3, 1.0, 5.0]),
)
def test_derive_sample_identities(seed, C, D, scale):
    rng = np.random.default_rng(seed)
    W, b, X, y = random_problem(rng, N=5, D=D, C=C, scale=scale)
    d = dv.derive_sample(W, b, X, y, int(rng.integers(5)))
    np.testing.assert_allclose(d.q.sum(), 1.0, rtol=1e-12)
    np.testing.assert_allclose(d.closed.sum(), 0.0, atol=1e-12)
    np.testing.assert_allclose(d.chain, d.closed, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(d.grad_W, np.outer(d.x, d.closed), rtol=1e-12, atol=1e-15)
    assert d.numerical_agrees


def test_underflowed_true_class_breaks_only_the_factored_chain():
    # The true class sits ~2000 below the top: q underflows to 0, eq. (5) is -inf.
    W = np.array([[0.0, 2000.0]])
    b = np.zeros(2)
    X = np.array([[1.0]])
    y = np.array([0])
    d = dv.derive_sample(W, b, X, y, 0)
    assert d.q[0] == 0.0 and d.dL_dq[0] == -np.inf
    assert not d.chain_finite
    np.testing.assert_allclose(d.closed, [-1.0, 1.0])
    assert math.isclose(d.loss, 2000.0, rel_tol=1e-12)  # log-softmax: finite
    np.testing.assert_allclose(d.grad_W, [[-1.0, 1.0]])
    assert d.numerical_agrees


def test_batch_gradient_check_reproduces_recorded_gradient(runs):
    for run in runs.values():
        for k in (0, len(run.history.step) - 1):
            W, b, dW = run.weights_at(k)
            res = dv.batch_gradient_check(
                W, b, run.features_train, run.y_train, run.settings.reg, dW
            )
            assert res["rel_error"] < 1e-10
            # and the mean of per-sample outer products, computed sample by sample
            X, y = run.features_train, run.y_train
            total = (
                sum(
                    np.outer(X[i], scipy.special.softmax(X[i] @ W + b) - np.eye(W.shape[1])[y[i]])
                    for i in range(len(y))
                )
                / len(y)
                + 2 * run.settings.reg * W
            )
            np.testing.assert_allclose(res["total"], total, rtol=1e-9, atol=1e-13)


# ----------------------------------------------------------------------------- the seed


# The seed's listing, verbatim (seed/000_3103b47667f8086c.txt, section 1).
SEED_LISTING = """def softmax_loss_naive(W, X, y, reg):
  loss = 0.0
  dW = np.zeros_like(W)
  num_train = X.shape[0]
  num_class = W.shape[1]
  for i in range(num_train):
      # 得到S矩阵每一行
      score = np.dot(X[i],W)
      # 防止数值爆炸，保持稳定性
      score-=max(score)
      # 分子 去指数
      score = np.exp(score)
      # 分母，S矩阵每一行求和
      softmax_sum = np.sum(score)
      # broadcast：向量除以标量
      score /= softmax_sum
      # 得到交叉熵，也就是softmax的loss
      loss -= np.log(score[y[i]])
   # 平均
   loss/=num_train
   # 加上正则项
   loss+=reg*np.sum(W*W)
  return loss, dW
"""  # verbatim but for two lines' trailing spaces


def test_the_seed_listing_is_misindented_as_the_page_says():
    with pytest.raises(IndentationError):
        compile(SEED_LISTING, "seed", "exec")


@pytest.mark.parametrize("scores", [[2.0, 1.0, 0.1], [-3.0, 0.0, 40.0, 7.5], [0.0, 0.0]])
def test_seed_formula_matches_log_softmax_for_moderate_scores(scores):
    for c in range(len(scores)):
        expected = -scipy.special.log_softmax(scores)[c]
        assert math.isclose(dv.seed_shift_then_log_loss(scores, c), expected, rel_tol=1e-12)


def test_seed_formula_returns_inf_once_q_underflows():
    assert dv.seed_shift_then_log_loss([0.0, 800.0], 0) == math.inf
    assert math.isfinite(dv.seed_shift_then_log_loss([0.0, 700.0], 0))
    assert dv.seed_shift_then_log_loss([0.0, 800.0], 1) == 0.0


def test_unshifted_softmax_overflows_to_nan():
    assert np.isnan(dv.unshifted_softmax([1000.0, 0.0])).any()
    np.testing.assert_allclose(dv.unshifted_softmax([1.0, 2.0]), scipy.special.softmax([1, 2]))


def test_seed_gradient_as_written_raises_like_python():
    rng = np.random.default_rng(4)
    W, _, X, y = random_problem(rng, D=3)
    error = dv.seed_gradient_as_written(W, X, y)
    assert error.startswith("ValueError")


def test_seed_slips_check(runs):
    run = runs["spiral"]
    W, b, _ = run.weights_at(len(run.history.step) - 1)
    W1, X1 = dv.with_bias(W, b, run.features_train)
    N = len(run.y_train)
    rows = {r["variant"]: r for r in dv.seed_slips_check(W1, X1, run.y_train, 0.01)}
    assert math.isclose(rows["summed"]["norm_ratio"], N, rel_tol=1e-10)
    # N times too large: relative error (N - 1) / (N + 1) at every checked entry
    assert math.isclose(rows["summed"]["max_rel_error"], (N - 1) / (N + 1), rel_tol=1e-5)
    assert rows["averaged"]["max_rel_error"] > 1e-3
    assert rows["corrected"]["max_rel_error"] < 1e-6
    assert math.isclose(rows["corrected"]["norm_ratio"], 1.0, rel_tol=1e-12)


# ----------------------------------------------------------------------------- verify


def test_naive_vs_vectorized_against_scipy(runs):
    run = runs["iris"]
    W, b, _ = run.weights_at(len(run.history.step) - 1)
    W1, X1 = dv.with_bias(W, b, run.features_train)
    y = run.y_train
    res = dv.naive_vs_vectorized(W1, X1, y, 0.1)
    lsm = scipy.special.log_softmax(X1 @ W1, axis=1)
    expected = -lsm[np.arange(len(y)), y].mean() + 0.1 * np.sum(W1**2)
    assert math.isclose(res["loss_naive"], expected, rel_tol=1e-12)
    assert math.isclose(res["loss_vectorized"], expected, rel_tol=1e-12)
    assert res["loss_diff"] < 1e-12 and res["grad_max_diff"] < 1e-12
    # with reg = 0 the loss is the Playground's recorded data loss
    res0 = dv.naive_vs_vectorized(W1, X1, y, 0.0)
    assert math.isclose(res0["loss_vectorized"], run.history.data_loss[-1], rel_tol=1e-10)


def test_time_losses_rows():
    rows = dv.time_losses(((20, 3, 2), (300, 20, 5)))
    assert [(r["N"], r["D"], r["C"]) for r in rows] == [(20, 3, 2), (300, 20, 5)]
    for r in rows:
        assert r["naive_ms"] > 0 and r["vectorized_ms"] > 0
        assert math.isclose(r["speedup"], r["naive_ms"] / r["vectorized_ms"])
        assert r["max_grad_diff"] < 1e-12
    assert rows[1]["speedup"] > 1  # a 1500-step Python loop against a few BLAS calls


def test_sparse_grad_checks(runs):
    run = runs["spiral"]
    W, b, _ = run.weights_at(len(run.history.step) - 1)
    W1, X1 = dv.with_bias(W, b, run.features_train)
    y = run.y_train
    res = dv.sparse_grad_checks(W1, X1, y, [0.0, 0.5], num_checks=6)
    assert set(res) == {0.0, 0.5}
    assert [(r["row"], r["col"]) for r in res[0.0]] == [(r["row"], r["col"]) for r in res[0.5]]
    for reg, rows in res.items():
        _, dW = softmax_loss_vectorized(W1, X1, y, reg)
        for r in rows:
            assert r["analytic"] == dW[r["row"], r["col"]]
            assert r["rel_error"] < 1e-6


def test_step_size_sweep_is_a_v(runs):
    run = runs["blobs_raw"]
    W, b, _ = run.weights_at(len(run.history.step) - 1)
    W1, X1 = dv.with_bias(W, b, run.features_train)
    res = dv.step_size_sweep(W1, X1, run.y_train, 1e-3)
    h, err = res["h"], res["rel_error"]
    at = {round(math.log10(v) * 2) / 2: e for v, e in zip(h, err, strict=True)}
    assert at[-5.0] < 1e-6
    assert at[-1.0] > 100 * at[-5.0]  # truncation on the right
    assert at[-13.0] > 100 * at[-5.0]  # round-off on the left
    assert 1e-9 <= res["best_h"] <= 1e-3
    # guides: slope +2 and -1 on the log-log plot
    slope = np.diff(np.log10(res["truncation"])) / np.diff(np.log10(h))
    np.testing.assert_allclose(slope, 2.0, rtol=1e-9)
    slope = np.diff(np.log10(res["roundoff"])) / np.diff(np.log10(h))
    np.testing.assert_allclose(slope, -1.0, rtol=1e-9)
    _, dW1 = softmax_loss_vectorized(W1, X1, run.y_train, 1e-3)
    assert res["analytic"] == dW1[res["entry"]] and abs(res["analytic"]) == np.abs(dW1).max()


def test_initial_loss_is_log_c(runs):
    rows = dv.initial_loss_check(runs["spiral"].features_train)
    assert [r["C"] for r in rows] == list(range(2, 11))
    for r in rows:
        assert math.isclose(r["log_C"], math.log(r["C"]))
        assert abs(r["loss"] - math.log(r["C"])) < 0.01


def test_stability_table():
    scores = np.array([1.0, -2.0, 0.5])
    cls = dv.stability_class(scores, 0)  # classified right: follow the least likely class
    assert cls == 1
    assert dv.stability_class(scores, 2) == 2  # classified wrong: follow the true class
    rows = dv.stability_table(scores, cls)
    assert [r["scale"] for r in rows] == list(dv.SCALES)
    for r in rows:
        s = scores * r["scale"]
        expected = -scipy.special.log_softmax(s)[cls]
        assert math.isclose(r["log_softmax"], expected, rel_tol=1e-12)
        assert math.isclose(r["gap"], s.max() - s[cls], rel_tol=1e-12)
        if r["gap"] < 700:
            assert math.isclose(r["seed"], expected, rel_tol=1e-9)
        if r["gap"] > 760:
            assert r["seed"] == math.inf
        if s.max() > 710:  # exp overflows without the shift
            assert not math.isfinite(r["no_shift"])


def test_shift_invariance():
    scores = np.array([0.3, -1.2, 2.0, 0.0])
    rows = dv.shift_invariance(scores)
    q0 = scipy.special.softmax(scores)
    for r in rows:
        assert r["max_diff"] < 1e-12
        np.testing.assert_allclose(r["q"], q0, atol=1e-12)
    by_shift = {r["shift"]: r for r in rows}
    assert math.isnan(by_shift[1000.0]["unshifted_max_diff"])
    assert by_shift[0.0]["unshifted_max_diff"] < 1e-15


def test_temperature_sweep():
    scores = np.array([2.0, 0.5, -1.0])
    T, Q, entropy = dv.temperature_sweep(scores)
    assert 1.0 in T
    np.testing.assert_allclose(Q, scipy.special.softmax(scores[None] / T[:, None], axis=1))
    np.testing.assert_allclose(Q[list(T).index(1.0)], scipy.special.softmax(scores))
    np.testing.assert_allclose(entropy, scipy.special.entr(Q).sum(axis=1), rtol=1e-10)
    assert np.all(np.diff(entropy) > 0)  # hotter = flatter
    assert Q[0].max() > 0.999 and entropy[-1] > 0.9 * math.log(3)


# ----------------------------------------------------------------------------- figures


def validated(fig):
    return go.Figure(fig.to_dict())  # plotly's validation: raises on an unknown property


def test_sample_picker_figure_maps_points_to_indices(runs):
    run = runs["iris"]
    xs, ys, proba = run.regions_at(len(run.history.step) - 1, resolution=20)
    C = len(run.data.class_names)
    fig = fd.sample_picker_figure(
        xs,
        ys,
        proba,
        run.X_train,
        run.y_train,
        7,
        class_names=run.data.class_names,
        x_range=run.x_range,
        y_range=run.y_range,
    )
    validated(fig)
    spec = json.loads(fig.to_json())  # what the browser gets
    for k in range(C):
        trace = spec["data"][1 + k]
        idx = decode(trace["customdata"]).astype(int)
        np.testing.assert_array_equal(run.y_train[idx], k)
        np.testing.assert_allclose(decode(trace["x"]), run.X_train[idx, 0], rtol=1e-6)
        np.testing.assert_allclose(decode(trace["y"]), run.X_train[idx, 1], rtol=1e-6)
    ring = spec["data"][-1]
    assert list(decode(ring["customdata"])) == [7]
    assert spec["layout"]["meta"]["selected"] == 7
    # what a click on the first training point of class 0 gives back
    first = int(decode(spec["data"][2]["customdata"])[0])
    point = {"curve_number": 2, "point_index": 0, "customdata": first}
    assert dv.sample_from_points([point], len(run.y_train)) == point["customdata"]
    with pytest.raises(ValueError):
        fd.sample_picker_figure(
            xs,
            ys,
            proba,
            run.X_train,
            run.y_train,
            len(run.y_train),
            class_names=run.data.class_names,
            x_range=run.x_range,
            y_range=run.y_range,
        )


def test_derivation_figures_validate_and_carry_numbers():
    rng = np.random.default_rng(5)
    W, b, X, y = random_problem(rng, D=5, C=4)
    d = dv.derive_sample(W, b, X, y, 2)
    names = [f"c{j}" for j in range(4)]
    fig = validated(fd.scores_probs_figure(d.scores, d.q, d.label, names, presenter=True))
    np.testing.assert_allclose(fig.layout.meta["q"], d.q)
    fig = validated(
        fd.sample_gradient_figure(d.x, d.grad_W, [f"f{k}" for k in range(5)], names, d.label)
    )
    assert fig.layout.meta["shape"] == [5, 4] and fig.layout.meta["label"] == d.label
    np.testing.assert_allclose(
        decode(json.loads(fig.to_json())["data"][1]["z"]), d.grad_W, rtol=1e-6
    )
    T, Q, _ = dv.temperature_sweep(d.scores)
    fig = validated(fd.temperature_figure(T, Q, names, d.label))
    np.testing.assert_allclose(fig.layout.meta["q_at_T1"], d.q, rtol=1e-12)
    W1, X1 = dv.with_bias(W, b, X)
    sw = dv.step_size_sweep(W1, X1, y, 0.0)
    fig = validated(
        fd.step_error_figure(
            sw["h"], sw["rel_error"], sw["roundoff"], sw["truncation"], best_h=sw["best_h"]
        )
    )
    assert fig.layout.meta["best_h"] == sw["best_h"]
    rows = dv.initial_loss_check(X)
    fig = validated(
        fd.initial_loss_figure(
            [r["C"] for r in rows], [r["loss"] for r in rows], model_classes=4, model_loss=1.38
        )
    )
    assert fig.layout.meta["C"] == list(range(2, 11))


# ----------------------------------------------------------------------------- text


def placeholders(s):
    return {name for _, name, _, _ in string.Formatter().parse(s) if name}


def test_every_language_has_the_same_text_keys_and_placeholders():
    assert set(TEXT) == set(LANGUAGES)
    en = TEXT["en"]
    for lang, tx in TEXT.items():
        assert set(tx) == set(en), lang
        for key, s in tx.items():
            assert placeholders(s) == placeholders(en[key]), (lang, key)
            filled = s.format(**{name: "1" for name in placeholders(s)})
            assert "{" not in filled.replace("{}", "") or "$" in filled, (lang, key)
        assert set(COLUMNS[lang]) == set(COLUMNS["en"])
        assert set(FIGURE_LABELS[lang]) == set(FIGURE_LABELS["en"])
        assert set(equations(lang)) == set(EQUATIONS)
        for key in SEED_CODE:
            assert seed_code(lang, key).count("\n") == SEED_CODE[key].count("\n")


def test_chinese_text_is_chinese():
    han = re.compile(r"[\u4e00-\u9fff]")
    for key, s in TEXT["zh"].items():
        if key in ("lang_label",) or len(s) > 12:
            assert han.search(s), key
    assert not han.search(" ".join(TEXT["en"].values()).replace("查看", ""))


def test_code_blocks_compile():
    for lang in LANGUAGES:
        for key in ("index_fixed", "average_fixed", "reg_fixed", "log_fixed"):
            compile(seed_code(lang, key), key, "exec")
