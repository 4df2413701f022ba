"""Update rules of ``softmax_engine.optim`` against hand-written references."""

import math

import numpy as np
import pytest

from softmax_engine.optim import OPTIMIZERS, Adam, make_optimizer

# A convex quadratic f(x) = 1/2 x^T A x - b^T x with gradient A x - b and minimum A^-1 b.
A = np.array([[3.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 0.4]])
B = np.array([1.0, -2.0, 0.5])
X_STAR = np.linalg.solve(A, B)


def grad(x):
    return A @ x - B


def grad_list(x):
    """The same gradient with Python lists only, for the references."""
    return [sum(A[i][j] * x[j] for j in range(3)) - B[i] for i in range(3)]


# ----------------------------------------------------------------- references, written out


def ref_sgd(x, lr, steps):
    x = list(x)
    for _ in range(steps):
        g = grad_list(x)
        x = [xi - lr * gi for xi, gi in zip(x, g, strict=True)]
    return x


def ref_momentum(x, lr, mu, steps):
    x, v = list(x), [0.0] * 3
    for _ in range(steps):
        g = grad_list(x)
        v = [mu * vi - lr * gi for vi, gi in zip(v, g, strict=True)]
        x = [xi + vi for xi, vi in zip(x, v, strict=True)]
    return x


def ref_nesterov(x, lr, mu, steps):
    # CS231n's form: v_prev = v; v = mu v - lr g; x += -mu v_prev + (1 + mu) v
    x, v = list(x), [0.0] * 3
    for _ in range(steps):
        g = grad_list(x)
        v_prev = v
        v = [mu * vi - lr * gi for vi, gi in zip(v, g, strict=True)]
        x = [xi - mu * vp + (1 + mu) * vi for xi, vp, vi in zip(x, v_prev, v, strict=True)]
    return x


def ref_adam(x, lr, b1, b2, eps, steps):
    x, m, s = list(x), [0.0] * 3, [0.0] * 3
    for t in range(1, steps + 1):
        g = grad_list(x)
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g, strict=True)]
        s = [b2 * si + (1 - b2) * gi * gi for si, gi in zip(s, g, strict=True)]
        m_hat = [mi / (1 - b1**t) for mi in m]
        s_hat = [si / (1 - b2**t) for si in s]
        x = [
            xi - lr * mh / (math.sqrt(sh) + eps) for xi, mh, sh in zip(x, m_hat, s_hat, strict=True)
        ]
    return x


def run(opt, x0, steps):
    x = np.array(x0, dtype=float)
    for _ in range(steps):
        opt.step(x, grad(x))
    return x


X0 = [2.0, -1.0, 3.0]


@pytest.mark.parametrize(
    ("name", "kwargs", "reference"),
    [
        ("sgd", {"learning_rate": 0.1}, lambda x, n: ref_sgd(x, 0.1, n)),
        (
            "momentum",
            {"learning_rate": 0.1, "momentum": 0.8},
            lambda x, n: ref_momentum(x, 0.1, 0.8, n),
        ),
        (
            "nesterov",
            {"learning_rate": 0.1, "momentum": 0.8},
            lambda x, n: ref_nesterov(x, 0.1, 0.8, n),
        ),
        (
            "adam",
            {"learning_rate": 0.05, "momentum": 0.85, "beta2": 0.99, "eps": 1e-6},
            lambda x, n: ref_adam(x, 0.05, 0.85, 0.99, 1e-6, n),
        ),
    ],
)
@pytest.mark.parametrize("steps", [1, 2, 7])
def test_rule_matches_reference(name, kwargs, reference, steps):
    got = run(make_optimizer(name, **kwargs), X0, steps)
    np.testing.assert_allclose(got, reference(X0, steps), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
    ("name", "lr", "steps"),
    [("sgd", 0.3, 400), ("momentum", 0.1, 400), ("nesterov", 0.1, 400), ("adam", 0.05, 3000)],
)
def test_all_converge_on_convex_quadratic(name, lr, steps):
    x = run(make_optimizer(name, learning_rate=lr), X0, steps)
    np.testing.assert_allclose(x, X_STAR, atol=1e-6)


def test_state_carries_over_between_calls():
    """Stopping and continuing with the same object is one uninterrupted run."""
    for name in OPTIMIZERS:
        opt = make_optimizer(name, learning_rate=0.05)
        x = run(opt, X0, 5)
        x = run(opt, x, 5)
        np.testing.assert_array_equal(x, run(make_optimizer(name, learning_rate=0.05), X0, 10))


def test_reset_and_load_state():
    a = make_optimizer("momentum", learning_rate=0.1)
    x = run(a, X0, 3)
    b = make_optimizer("momentum", learning_rate=0.1).load_state(a)
    np.testing.assert_array_equal(run(a, x, 4), run(b, x, 4))
    a.reset()
    assert a.velocity is None and a.t == 0
    fresh = make_optimizer("momentum", learning_rate=0.1)
    np.testing.assert_array_equal(run(a, X0, 2), run(fresh, X0, 2))
    with pytest.raises(ValueError, match=r"'sgd'.*'momentum'"):
        a.load_state(make_optimizer("sgd", learning_rate=0.1))


def test_momentum_and_nesterov_versus_sgd():
    lr, mu = 0.05, 0.9
    g0 = grad(np.array(X0))
    # from rest, momentum's first step is SGD's; Nesterov's looks ahead by (1 + mu)
    np.testing.assert_allclose(
        run(make_optimizer("momentum", learning_rate=lr), X0, 1),
        run(make_optimizer("sgd", learning_rate=lr), X0, 1),
    )
    np.testing.assert_allclose(
        run(make_optimizer("nesterov", learning_rate=lr), X0, 1), np.array(X0) - lr * (1 + mu) * g0
    )
    # momentum 0 is plain SGD for both
    for name in ("momentum", "nesterov"):
        np.testing.assert_allclose(
            run(make_optimizer(name, learning_rate=lr, momentum=0.0), X0, 9),
            run(make_optimizer("sgd", learning_rate=lr), X0, 9),
        )

    # on this quadratic (condition number 9.4) momentum needs far fewer steps than SGD
    def steps_to(name, tol=1e-6):
        opt, x = make_optimizer(name, learning_rate=lr, momentum=mu), np.array(X0)
        for k in range(1, 20000):
            opt.step(x, grad(x))
            if np.linalg.norm(x - X_STAR) < tol:
                return k
        return math.inf

    n_sgd, n_mom, n_nes = steps_to("sgd"), steps_to("momentum"), steps_to("nesterov")
    assert n_mom < n_sgd / 2 and n_nes < n_sgd / 2


def test_updates_in_place_and_keeps_dtype():
    for name in OPTIMIZERS:
        theta = np.ones((4, 3), dtype=np.float32)
        g = np.full((4, 3), 0.5, dtype=np.float32)
        g_before = g.copy()
        same = theta
        make_optimizer(name, learning_rate=0.1).step(theta, g)
        assert theta is same and theta.dtype == np.float32
        assert np.all(theta < 1)
        np.testing.assert_array_equal(g, g_before)  # the gradient is not modified


def test_adam_zero_gradient_is_zero_step():
    theta = np.array([1.0, -2.0])
    Adam(learning_rate=0.1).step(theta, np.zeros(2))
    np.testing.assert_array_equal(theta, [1.0, -2.0])


@pytest.mark.parametrize("name", ["rmsprop", "SGD", "", None])
def test_unknown_name_lists_allowed(name):
    with pytest.raises(ValueError, match="'sgd', 'momentum', 'nesterov', 'adam'"):
        make_optimizer(name, learning_rate=0.1)


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf"), "0.1", True, None])
def test_bad_learning_rate(lr):
    with pytest.raises(ValueError, match="learning_rate") as info:
        make_optimizer("sgd", learning_rate=lr)
    assert repr(lr) in str(info.value)


@pytest.mark.parametrize("name", ["momentum", "nesterov", "adam"])
@pytest.mark.parametrize("mu", [1.0, -0.1, 1.5, float("nan")])
def test_bad_momentum(name, mu):
    with pytest.raises(ValueError, match=r"\[0, 1\)") as info:
        make_optimizer(name, learning_rate=0.1, momentum=mu)
    assert repr(mu) in str(info.value)


def test_bad_adam_parameters():
    with pytest.raises(ValueError, match="beta2"):
        make_optimizer("adam", learning_rate=0.1, beta2=1.0)
    with pytest.raises(ValueError, match="eps"):
        make_optimizer("adam", learning_rate=0.1, eps=0.0)
