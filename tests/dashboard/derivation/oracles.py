"""Independent oracles for the Derivation tests: scipy and centred differences written here.

Not the engine's ``numerical_gradient`` nor anything in ``dashboard.derivation``, so a slip
there cannot hide behind itself.
"""

import numpy as np
import scipy.special


def oracle_loss(W, b, x, label):
    """-log softmax(x W + b)[label] with scipy."""
    return float(-scipy.special.log_softmax(x @ W + b)[label])


def oracle_mean_loss(W, X, y, reg):
    """Mean cross-entropy + reg * sum(W**2) with scipy."""
    lsm = scipy.special.log_softmax(X @ W, axis=1)
    return float(-lsm[np.arange(len(y)), y].mean() + reg * np.sum(W * W))


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
