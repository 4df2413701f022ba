"""SoftmaxClassifier: scikit-learn compatibility, optimum, history, continuation, divergence.

The oracles are independent of the engine: ``oracle`` below computes the objective and
its gradient with scipy's logsumexp, and scikit-learn's LogisticRegression gives the
regularized optimum.
"""

import io
import pickle
import warnings

import numpy as np
import pytest
from scipy.special import logsumexp
from sklearn.datasets import load_iris, load_wine, make_blobs
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from softmax_engine.classifier import DivergenceWarning, SoftmaxClassifier, TrainingHistory
from softmax_engine.losses import SoftmaxObjective

OPTIMIZERS = ["sgd", "momentum", "nesterov", "adam", "lbfgs"]


def oracle(W, b, X, y, reg):
    """Objective parts and gradient, written from the definition with scipy.

    Returns loss, data_loss, reg_loss, dW (D, C), db (C,).
    """
    n = len(X)
    S = X @ W + b
    lse = logsumexp(S, axis=1)
    data_loss = np.mean(lse - S[np.arange(n), y])
    reg_loss = reg * np.sum(W * W)
    G = np.exp(S - lse[:, None])
    G[np.arange(n), y] -= 1.0
    return data_loss + reg_loss, data_loss, reg_loss, X.T @ G / n + 2 * reg * W, G.mean(axis=0)


def standardized(loader):
    X, y = loader(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def iris():
    return standardized(load_iris)


@pytest.fixture(scope="module")
def wine():
    return standardized(load_wine)


def quiet_fit(est, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        return est.fit(*args, **kwargs)


# ----------------------------------------------------------------------------- sklearn


@parametrize_with_checks(
    [
        SoftmaxClassifier(),
        SoftmaxClassifier(optimizer="lbfgs"),
        SoftmaxClassifier(optimizer="nesterov", batch_size=16, learning_rate=0.05),
    ]
)
def test_sklearn_compatible(estimator, check):
    with warnings.catch_warnings():
        # unscaled iris in check_non_transformer_estimators_n_iter: L-BFGS may say so
        warnings.simplefilter("ignore", UserWarning)
        check(estimator)


# ----------------------------------------------------------------------------- optimum


@pytest.mark.parametrize("dataset", ["iris", "wine"])
@pytest.mark.parametrize("reg", [1e-3, 1e-1])
def test_lbfgs_reaches_sklearn_optimum(dataset, reg, request):
    X, y = request.getfixturevalue(dataset)
    n = len(X)
    ours = SoftmaxClassifier(optimizer="lbfgs", reg=reg, max_iter=1000).fit(X, y)
    sk = LogisticRegression(C=1 / (2 * n * reg), tol=1e-12, max_iter=100_000).fit(X, y)

    f_ours = oracle(ours.W_, ours.b_, X, y, reg)[0]
    f_sk = oracle(sk.coef_.T, sk.intercept_, X, y, reg)[0]
    # scikit-learn minimizes sum of log-losses + ||W||^2 / (2C), which is N times ours
    sk_objective = n * log_loss(y, sk.predict_proba(X)) + np.sum(sk.coef_**2) / (2 * sk.C)
    assert sk_objective == pytest.approx(n * f_sk, rel=1e-12)

    assert abs(f_ours - f_sk) <= 1e-6 * f_sk
    assert f_ours <= f_sk * (1 + 1e-10)  # ours is at least as good
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-4)
    # the bias is defined up to a common shift (softmax ignores it); compare centred
    np.testing.assert_allclose(
        ours.intercept_ - ours.intercept_.mean(), sk.intercept_ - sk.intercept_.mean(), atol=1e-4
    )
    _, _, _, dW, db = oracle(ours.W_, ours.b_, X, y, reg)
    grad_norm = np.sqrt(np.sum(dW**2) + np.sum(db**2))
    assert grad_norm < 1e-6
    assert ours.history_.grad_norm[-1] == pytest.approx(grad_norm, rel=1e-6, abs=1e-12)
    assert ours.history_.loss[-1] == pytest.approx(f_ours, rel=1e-12)


def test_gradient_descent_decreases_loss_and_approaches_optimum(iris):
    X, y = iris
    reg = 1e-2
    best = SoftmaxClassifier(optimizer="lbfgs", reg=reg).fit(X, y)
    f_star = oracle(best.W_, best.b_, X, y, reg)[0]
    gd = SoftmaxClassifier(learning_rate=0.5, reg=reg, max_iter=2000, record_every=1).fit(X, y)
    loss = gd.history_.loss
    assert np.all(np.diff(loss) <= 1e-14)  # monotone (up to rounding at convergence)
    assert loss[0] > 1.5 * f_star
    assert oracle(gd.W_, gd.b_, X, y, reg)[0] == pytest.approx(f_star, rel=1e-8)
    np.testing.assert_allclose(gd.coef_, best.coef_, atol=1e-5)


@pytest.mark.parametrize(
    ("optimizer", "batch_size", "learning_rate"),
    [
        ("sgd", None, 0.5),
        ("momentum", None, 0.1),
        ("nesterov", None, 0.1),
        ("adam", None, 0.05),
        ("lbfgs", None, 0.1),
        ("sgd", 16, 0.1),
        ("adam", 32, 0.01),
    ],
)
def test_every_optimizer_reduces_loss(wine, optimizer, batch_size, learning_rate):
    X, y = wine
    clf = SoftmaxClassifier(
        optimizer=optimizer,
        batch_size=batch_size,
        learning_rate=learning_rate,
        max_iter=300,
        random_state=0,
    ).fit(X, y)
    h = clf.history_
    assert h.loss[0] == pytest.approx(np.log(3), rel=1e-2)  # tiny initial weights
    assert h.loss[-1] < 0.25 * h.loss[0]
    assert clf.score(X, y) > 0.95
    assert not clf.diverged_


# ----------------------------------------------------------------------------- labels, API


def test_string_labels():
    X, y = make_blobs(n_samples=120, centers=3, random_state=1)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = SoftmaxClassifier(max_iter=300).fit(X, names)
    assert list(clf.classes_) == ["setosa", "versicolor", "virginica"]
    pred = clf.predict(X)
    assert pred.dtype == clf.classes_.dtype
    assert np.mean(pred == names) > 0.95
    proba = clf.predict_proba(X)
    assert proba.shape == (120, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], pred)


def test_shapes_properties_and_binary_decision_function():
    X, y = make_blobs(n_samples=80, centers=2, n_features=4, random_state=3)
    clf = SoftmaxClassifier(max_iter=50).fit(X, y + 10)
    assert clf.coef_.shape == (2, 4) and clf.intercept_.shape == (2,)
    assert clf.W_.shape == (4, 2) and clf.b_.shape == (2,)
    np.testing.assert_array_equal(clf.W_, clf.coef_.T)
    assert clf.n_features_in_ == 4
    dec = clf.decision_function(X)
    assert dec.shape == (80,)  # scikit-learn's binary convention: log-odds of classes_[1]
    log_p = clf.predict_log_proba(X)
    np.testing.assert_allclose(dec, log_p[:, 1] - log_p[:, 0], rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(clf.predict(X), np.where(dec > 0, 11, 10))


def test_multiclass_decision_function_and_log_proba(iris):
    X, y = iris
    clf = SoftmaxClassifier(max_iter=100).fit(X, y)
    scores = clf.decision_function(X)
    np.testing.assert_allclose(scores, X @ clf.W_ + clf.b_)
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(clf.predict_proba(X)))
    # far from the data the probabilities underflow, the log-probabilities stay finite
    far = clf.predict_log_proba(X * 1e6)
    assert np.all(np.isfinite(far)) and far.min() < -1000


def test_unfitted_properties_raise():
    with pytest.raises(NotFittedError):
        _ = SoftmaxClassifier().W_


def test_single_class_is_an_error():
    with pytest.raises(ValueError, match="at least 2 classes"):
        SoftmaxClassifier().fit(np.ones((5, 2)), np.zeros(5))


# ----------------------------------------------------------------------------- history


def test_history_shapes_and_recorded_steps(iris):
    X, y = iris
    clf = SoftmaxClassifier(max_iter=103, record_every=10).fit(X, y)
    h = clf.history_
    assert isinstance(h, TrainingHistory)
    assert list(h.step) == [*range(0, 101, 10), 103]  # step 0, every 10th, the final
    K = len(h)
    assert K == 12 and clf.n_iter_ == 103
    for name in TrainingHistory.SCALARS:
        assert getattr(h, name).shape == (K,)
    assert h.W.shape == (K, 4, 3) and h.dW.shape == (K, 4, 3)
    assert h.b.shape == (K, 3) and h.db.shape == (K, 3)
    np.testing.assert_array_equal(h.W[-1], clf.W_)
    np.testing.assert_array_equal(h.b[-1], clf.b_)
    assert np.all(np.isnan(h.val_loss)) and np.all(np.isnan(h.val_accuracy))
    assert h.train_accuracy[-1] == clf.score(X, y)


@pytest.mark.parametrize(
    ("max_iter", "expected"), [(5000, 251), (500, 251), (501, 168), (502, 169), (7, 8)]
)
def test_auto_recording_is_bounded(iris, max_iter, expected):
    X, y = iris
    h = SoftmaxClassifier(max_iter=max_iter, learning_rate=0.01).fit(X, y).history_
    assert len(h) == expected <= 251
    assert h.step[0] == 0 and h.step[-1] == max_iter
    assert np.all(np.diff(h.step) > 0)


def test_history_snapshots_match_oracle(wine):
    X, y = wine
    X_tr, y_tr, X_val, y_val = X[::2], y[::2], X[1::2], y[1::2]
    reg = 0.01
    clf = SoftmaxClassifier(reg=reg, max_iter=60, record_every=20, learning_rate=0.3)
    h = clf.fit(X_tr, y_tr, X_val=X_val, y_val=y_val).history_
    assert list(h.step) == [0, 20, 40, 60]
    for r in range(len(h)):
        W, b = h.W[r], h.b[r]
        loss, data_loss, reg_loss, dW, db = oracle(W, b, X_tr, y_tr, reg)
        assert h.loss[r] == pytest.approx(loss, rel=1e-12)
        assert h.data_loss[r] == pytest.approx(data_loss, rel=1e-12)
        assert h.reg_loss[r] == pytest.approx(reg_loss, rel=1e-12)
        np.testing.assert_allclose(h.dW[r], dW, rtol=1e-9, atol=1e-13)
        np.testing.assert_allclose(h.db[r], db, rtol=1e-9, atol=1e-13)
        assert h.grad_norm[r] == pytest.approx(np.sqrt(np.sum(dW**2) + np.sum(db**2)), rel=1e-9)
        S = X_tr @ W + b
        assert h.train_accuracy[r] == np.mean(S.argmax(axis=1) == y_tr)
        S_val = X_val @ W + b
        val_ce = np.mean(logsumexp(S_val, axis=1) - S_val[np.arange(len(y_val)), y_val])
        assert h.val_loss[r] == pytest.approx(val_ce, rel=1e-12)
        assert h.val_accuracy[r] == np.mean(S_val.argmax(axis=1) == y_val)

    # and a numerical check of one recorded gradient, by central differences
    W, b = h.W[1].copy(), h.b[1].copy()
    eps = 1e-6

    def loss_at(W, b):
        return oracle(W, b, X_tr, y_tr, reg)[0]

    for i, j in [(0, 0), (5, 2), (12, 1)]:
        Wp, Wm = W.copy(), W.copy()
        Wp[i, j] += eps
        Wm[i, j] -= eps
        numeric = (loss_at(Wp, b) - loss_at(Wm, b)) / (2 * eps)
        assert h.dW[1][i, j] == pytest.approx(numeric, rel=1e-6, abs=1e-9)
    bp, bm = b.copy(), b.copy()
    bp[1] += eps
    bm[1] -= eps
    numeric = (loss_at(W, bp) - loss_at(W, bm)) / (2 * eps)
    assert h.db[1][1] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_snapshot_is_the_state_at_that_step(iris):
    X, y = iris
    long = SoftmaxClassifier(optimizer="nesterov", max_iter=90, record_every=30, random_state=4)
    h = long.fit(X, y).history_
    short = SoftmaxClassifier(optimizer="nesterov", max_iter=60, random_state=4).fit(X, y)
    r = list(h.step).index(60)
    np.testing.assert_array_equal(h.W[r], short.W_)
    np.testing.assert_array_equal(h.b[r], short.b_)


def test_history_csv(iris):
    X, y = iris
    h = SoftmaxClassifier(max_iter=20, record_every=5).fit(X, y).history_
    text = h.to_csv()
    lines = text.strip().splitlines()
    assert lines[0].split(",") == list(TrainingHistory.SCALARS)
    assert len(lines) == len(h) + 1
    table = np.genfromtxt(io.StringIO(text), delimiter=",", names=True)
    for name, column in h.as_table().items():
        np.testing.assert_array_equal(table[name], column)  # repr round-trips floats, NaN too
    buf = io.StringIO()
    assert h.to_csv(buf) is None and buf.getvalue() == text


# ----------------------------------------------------------------------------- continuing


@pytest.mark.parametrize(
    ("optimizer", "batch_size"),
    [("sgd", None), ("momentum", None), ("adam", None), ("lbfgs", None), ("sgd", 20)],
)
def test_warm_start_continues(iris, optimizer, batch_size):
    X, y = iris
    kwargs = dict(optimizer=optimizer, batch_size=batch_size, random_state=2, record_every=10)
    one = SoftmaxClassifier(max_iter=80, **kwargs).fit(X, y)
    two = SoftmaxClassifier(max_iter=40, warm_start=True, **kwargs).fit(X, y)
    first_final = two.history_.loss[-1]
    two.fit(X, y)
    h = two.history_
    assert np.all(np.diff(h.step) > 0)  # continuing step numbers, no duplicate
    assert h.loss[-1] <= first_final
    if optimizer == "lbfgs":
        # L-BFGS restarts its memory; it still ends at the optimum
        assert two.history_.loss[-1] == pytest.approx(one.history_.loss[-1], rel=1e-9)
        return
    assert two.n_iter_ == 40 and h.step[-1] == 80
    # first-order steps: two calls are one long run, state (velocity, epochs) included
    np.testing.assert_allclose(two.coef_, one.coef_, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(two.intercept_, one.intercept_, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(h.step, one.history_.step)
    np.testing.assert_allclose(h.loss, one.history_.loss, rtol=1e-12)


def test_partial_fit_continues_and_checks_labels(iris):
    X, y = iris
    one = SoftmaxClassifier(max_iter=90, random_state=0).fit(X, y)
    clf = SoftmaxClassifier(max_iter=30, random_state=0)
    clf.partial_fit(X, y)  # first call initializes
    for _ in range(2):
        loss_before = clf.history_.loss[-1]
        clf.partial_fit(X, y)
        assert clf.history_.loss[-1] < loss_before
    assert clf.history_.step[-1] == 90
    np.testing.assert_allclose(clf.coef_, one.coef_, rtol=1e-12, atol=1e-14)

    named = np.array(["a", "b", "c"])
    part = SoftmaxClassifier(max_iter=5).partial_fit(X[y < 2], named[y[y < 2]], classes=named)
    assert list(part.classes_) == ["a", "b", "c"] and part.coef_.shape == (3, 4)
    part.partial_fit(X, named[y])
    with pytest.raises(ValueError, match="not seen in training"):
        part.partial_fit(X[:3], np.array(["a", "b", "z"]))
    with pytest.raises(ValueError, match="features"):
        part.partial_fit(X[:, :2], named[y])


def test_auto_history_stays_bounded_over_many_chunks(iris):
    X, y = iris
    clf = SoftmaxClassifier(max_iter=20, learning_rate=0.05)
    for _ in range(100):  # a "Play" button: 2000 steps in chunks of 20
        clf.partial_fit(X, y)
    h = clf.history_
    assert len(h) <= 251
    assert h.step[0] == 0 and h.step[-1] == 2000
    assert np.all(np.diff(h.step) > 0)
    np.testing.assert_array_equal(h.W[-1], clf.W_)


def test_warm_start_with_new_classes_starts_afresh(iris):
    X, y = iris
    clf = SoftmaxClassifier(max_iter=10, warm_start=True).fit(X, y)
    clf.fit(X[y < 2], y[y < 2])
    assert clf.history_.step[-1] == 10 and clf.coef_.shape == (2, 4)


# ----------------------------------------------------------------------------- divergence


@pytest.mark.parametrize(
    ("optimizer", "learning_rate", "scale", "reg", "progress"),
    [
        ("sgd", 1e5, 1.0, 1e-3, True),
        ("momentum", 1e5, 1.0, 1e-3, True),
        ("nesterov", 1e5, 1.0, 1e-3, True),
        ("sgd", 1e4, 1e3, 1e-3, True),  # badly scaled features
        # Adam's steps are at most ~learning_rate long, so it only blows up when that is
        # absurd, and then on the first step: the kept state is the initial one
        ("adam", 5e153, 1.0, 1e-3, False),
        ("lbfgs", 0.1, 1e150, 0.0, True),  # no step size: features of absurd size instead
    ],
)
def test_divergence_keeps_last_finite_state(optimizer, learning_rate, scale, reg, progress):
    X, y = load_iris(return_X_y=True)
    X = X * scale
    clf = SoftmaxClassifier(
        optimizer=optimizer, learning_rate=learning_rate, reg=reg, max_iter=500, random_state=0
    )
    with pytest.warns(DivergenceWarning, match="non-finite"):
        clf.fit(X, y)
    assert clf.diverged_
    assert clf.n_iter_ < 500
    assert (clf.n_iter_ > 0) == progress
    assert np.all(np.isfinite(clf.coef_)) and np.all(np.isfinite(clf.intercept_))
    h = clf.history_
    assert h.step[-1] == clf.n_iter_
    for name in ("loss", "data_loss", "reg_loss", "grad_norm", "W", "b", "dW", "db"):
        assert np.all(np.isfinite(getattr(h, name))), name
    np.testing.assert_array_equal(h.W[-1], clf.W_)
    assert np.isfinite(oracle(clf.W_, clf.b_, X, y, reg)[0])  # the kept state is a finite one
    assert clf.predict(X).shape == (150,)


def test_divergence_then_smaller_learning_rate_recovers(iris):
    X, y = iris
    clf = SoftmaxClassifier(learning_rate=1e5, max_iter=300, warm_start=True, random_state=0)
    with pytest.warns(DivergenceWarning):
        clf.fit(X, y)
    clf.set_params(learning_rate=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DivergenceWarning)
        clf.fit(X, y)
    assert not clf.diverged_
    assert np.all(np.isfinite(clf.history_.loss))


# ----------------------------------------------------------------------------- misc


def test_same_random_state_same_result(wine):
    X, y = wine
    kw = dict(optimizer="adam", batch_size=16, learning_rate=0.01, max_iter=50)
    a = SoftmaxClassifier(random_state=7, **kw).fit(X, y)
    b = SoftmaxClassifier(random_state=7, **kw).fit(X, y)
    c = SoftmaxClassifier(random_state=8, **kw).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(a.history_.loss, b.history_.loss)
    assert not np.array_equal(a.coef_, c.coef_)
    a2 = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(a2.predict_proba(X), a.predict_proba(X))


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_float32_is_kept(iris, optimizer):
    X, y = iris
    f32 = SoftmaxClassifier(dtype=np.float32, optimizer=optimizer, max_iter=100).fit(X, y)
    f64 = SoftmaxClassifier(optimizer=optimizer, max_iter=100).fit(X, y)
    assert f32.coef_.dtype == np.float32 and f32.intercept_.dtype == np.float32
    assert f32.history_.W.dtype == np.float32 and f32.history_.dW.dtype == np.float32
    assert f32.history_.loss[-1] == pytest.approx(f64.history_.loss[-1], rel=5e-3)
    assert np.mean(f32.predict(X) == f64.predict(X)) > 0.97


def test_tol_stops_early(iris):
    X, y = iris
    clf = SoftmaxClassifier(tol=1e-2, learning_rate=0.5, max_iter=5000, record_every=100).fit(X, y)
    h = clf.history_
    assert clf.n_iter_ < 5000 and h.step[-1] == clf.n_iter_
    assert h.grad_norm[-1] <= 1e-2 < h.grad_norm[-2]


def test_max_iter_zero_records_only_the_start(iris):
    X, y = iris
    clf = SoftmaxClassifier(max_iter=0, random_state=0).fit(X, y)
    assert clf.n_iter_ == 0 and list(clf.history_.step) == [0]
    clf.set_params(warm_start=True).fit(X, y)  # nothing to add
    assert list(clf.history_.step) == [0]


def test_lbfgs_ignores_learning_rate(iris):
    X, y = iris
    a = SoftmaxClassifier(optimizer="lbfgs", learning_rate=-1.0, random_state=0).fit(X, y)
    b = SoftmaxClassifier(optimizer="lbfgs", random_state=0).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)


def test_validation_set_errors(iris):
    X, y = iris
    with pytest.raises(ValueError, match="not seen in training"):
        SoftmaxClassifier(max_iter=1).fit(X[y < 2], y[y < 2], X_val=X, y_val=y)
    with pytest.raises(ValueError, match="both"):
        SoftmaxClassifier(max_iter=1).fit(X, y, X_val=X)
    with pytest.raises(ValueError, match="features"):
        SoftmaxClassifier(max_iter=1).fit(X, y, X_val=X[:, :2], y_val=y)


@pytest.mark.parametrize(
    ("param", "value", "range_text"),
    [
        ("learning_rate", 0.0, "(0.0, inf)"),
        ("learning_rate", float("nan"), "(0.0, inf)"),
        ("learning_rate", "fast", "(0.0, inf)"),
        ("reg", -1e-3, "[0.0, inf)"),
        ("reg", float("inf"), "[0.0, inf)"),
        ("momentum", 1.0, "[0.0, 1.0)"),
        ("tol", -1.0, "[0.0, inf)"),
        ("init_scale", -0.1, "[0.0, inf)"),
        ("max_iter", -1, ">= 0"),
        ("max_iter", 2.5, ">= 0"),
        ("batch_size", 0, ">= 1"),
        ("record_every", 0, ">= 1"),
        ("record_every", "often", '"auto"'),
        ("optimizer", "rmsprop", "'sgd', 'momentum', 'nesterov', 'adam', 'lbfgs'"),
        ("dtype", np.int32, "float32"),
        ("warm_start", "yes", "True or False"),
        ("random_state", -3, ">= 0"),
    ],
)
def test_bad_parameters_name_value_and_range(iris, param, value, range_text):
    X, y = iris
    clf = SoftmaxClassifier(**{param: value})
    with pytest.raises(ValueError) as info:
        clf.fit(X, y)
    message = str(info.value)
    assert param in message and range_text in message
    assert repr(value) in message or str(value) in message


def test_objective_accuracy_count_with_ties_and_signed_zeros():
    """The hit count behind train_accuracy follows argmax (first maximum) exactly."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(40, 2)), np.zeros((5, 2)), -np.ones((5, 2))])
    y = rng.integers(0, 3, len(X))
    thetas = [
        np.zeros((3, 3)),  # all scores tie
        np.array([[0.0, 0.0, 1.0], [0.0, 0.0, -1.0], [0.0, -0.0, 0.0]]),  # partial ties
        np.array([[0.0, 1.0, 0.0], [-0.0, 1.0, 0.0], [-0.0, -3.0, 0.0]]),  # +0.0 vs -0.0
        rng.normal(size=(3, 3)),
    ]
    for theta in thetas:
        objective = SoftmaxObjective(X, y, 3, 0.0)
        objective(theta, count_correct=True)
        scores = np.hstack([X, np.ones((len(X), 1))]) @ theta
        assert objective.n_correct == np.count_nonzero(scores.argmax(axis=1) == y)


def test_objective_rows_is_the_objective_of_those_rows():
    """Mini-batches are blocks of one shuffled objective: same values as a fresh one."""
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(50, 4)), rng.integers(0, 3, 50)
    theta = rng.normal(size=(5, 3))
    whole = SoftmaxObjective(X, y, 3, 0.1)
    for start, stop in [(0, 50), (0, 16), (16, 32), (48, 50), (7, 8)]:
        part = whole.rows(start, stop)
        loss, grad = part(theta, count_correct=True)
        ref_loss, ref_grad = SoftmaxObjective(X[start:stop], y[start:stop], 3, 0.1)(theta)
        assert loss == pytest.approx(ref_loss, rel=1e-13)
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-12, atol=1e-15)
        scores = np.hstack([X[start:stop], np.ones((stop - start, 1))]) @ theta
        assert part.n_correct == np.count_nonzero(scores.argmax(axis=1) == y[start:stop])
    whole(theta)  # the parts did not disturb the whole
    assert whole.n_samples == 50
    with pytest.raises(ValueError, match="start < stop"):
        whole.rows(10, 10)


def test_history_repr_is_short(iris):
    h = SoftmaxClassifier(max_iter=1000).fit(*iris).history_
    text = repr(h)
    assert len(text) < 200 and "251 recorded steps from 0 to 1000" in text
