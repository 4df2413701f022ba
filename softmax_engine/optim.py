"""First-order update rules: SGD, momentum, Nesterov momentum and Adam.

Every rule has the same two-method interface::

    opt = make_optimizer("nesterov", learning_rate=0.1, momentum=0.9)
    for _ in range(steps):
        loss, grad = objective(theta)
        opt.step(theta, grad)        # updates theta in place, keeps its own state

``theta`` and ``grad`` are arrays of the same shape (the classifier passes theta of
shape (D + 1, C): W with the bias as its last row). Because an optimizer keeps its
state (velocity, moment estimates, step count) between calls, training can stop and
continue where it left off; ``reset()`` forgets the state.

The formulas, with learning rate ``lr``, momentum ``mu`` and gradient ``g``:

- ``sgd``:       theta -= lr * g
- ``momentum``:  v = mu * v - lr * g;  theta += v                 (CS231n's form)
- ``nesterov``:  v = mu * v - lr * g;  theta += mu * v - lr * g   (look-ahead form, the
  same as CS231n's ``theta += -mu * v_prev + (1 + mu) * v`` and PyTorch's nesterov)
- ``adam``:      m = b1 m + (1 - b1) g;  s = b2 s + (1 - b2) g^2;  t += 1;
  theta -= lr * (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps), with ``b1 = momentum``.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_real

__all__ = ["OPTIMIZERS", "SGD", "Adam", "Momentum", "Nesterov", "Optimizer", "make_optimizer"]


def _check_learning_rate(learning_rate):
    """A finite number > 0, or an array of them (one per model of a batch)."""
    if isinstance(learning_rate, np.ndarray) and learning_rate.ndim:
        bad = ~(np.isfinite(learning_rate) & (learning_rate > 0))
        if bad.any():
            raise ValueError(
                "learning_rate must hold finite numbers in (0, inf), got "
                f"{learning_rate[bad].ravel()[0]!r}"
            )
        return learning_rate.astype(np.float64, copy=False)
    return check_real(learning_rate, "learning_rate", low=0, include_low=False)


class Optimizer:
    """Base class: holds the learning rate and the rule's state.

    Parameters
    ----------
    learning_rate : float or ndarray
        Step size, finite and > 0. An array broadcast against ``theta`` gives each model
        of a batch its own, e.g. shape (G, 1, 1) for ``theta`` of shape (G, C, D + 1).

    Examples
    --------
    >>> opt = make_optimizer("adam", learning_rate=0.01)
    >>> isinstance(opt, Optimizer), opt.name, opt.t
    (True, 'adam', 0)
    """

    name = "base"
    _state_names: tuple[str, ...] = ()

    def __init__(self, *, learning_rate):
        self.learning_rate = _check_learning_rate(learning_rate)
        self.reset()

    def step(self, theta: np.ndarray, grad: np.ndarray) -> None:
        """Update ``theta`` in place from the gradient ``grad`` at ``theta``.

        Parameters
        ----------
        theta : ndarray, any shape
            Parameters; overwritten.
        grad : ndarray, same shape as ``theta``
            Gradient of the loss at ``theta``; not modified.
        """
        raise NotImplementedError

    def reset(self):
        """Forget the state (velocity, moments, step count)."""
        for name in self._state_names:
            setattr(self, name, None)
        self.t = 0

    def reset_cells(self, mask: np.ndarray) -> None:
        """Zero the state of the models selected by ``mask`` along the first axis.

        With a zero gradient from then on, such a model stays where it is: every rule
        then moves it by exactly 0. The batched trainer freezes a diverged model so.

        Examples
        --------
        >>> opt = make_optimizer("momentum", learning_rate=0.1)
        >>> theta = np.ones((2, 1, 1))
        >>> opt.step(theta, np.ones((2, 1, 1)))
        >>> opt.reset_cells(np.array([True, False]))
        >>> opt.velocity.ravel().tolist()
        [0.0, -0.1]
        """
        for name in self._state_names:
            state = getattr(self, name)
            if state is not None:
                state[mask] = 0.0

    def load_state(self, other):
        """Take over the state of ``other`` (same rule), e.g. after a hyperparameter change."""
        if type(other) is not type(self):
            raise ValueError(
                f"cannot load the state of a {other.name!r} optimizer into a {self.name!r} one."
            )
        for name in (*self._state_names, "t"):
            value = getattr(other, name)
            setattr(self, name, None if value is None else np.copy(value))
        return self

    def __repr__(self):
        params = {k: v for k, v in vars(self).items() if k not in (*self._state_names, "t")}
        inner = ", ".join(f"{k}={v!r}" for k, v in params.items())
        return f"{type(self).__name__}({inner})"


class SGD(Optimizer):
    """Plain gradient descent: ``theta -= learning_rate * grad``.

    Examples
    --------
    >>> theta = np.array([1.0, 2.0])
    >>> SGD(learning_rate=0.1).step(theta, np.array([1.0, -1.0]))
    >>> theta
    array([0.9, 2.1])
    """

    name = "sgd"

    def step(self, theta, grad):
        theta -= self.learning_rate * grad
        self.t += 1


class Momentum(Optimizer):
    """Heavy-ball momentum: ``v = mu v - lr g``; ``theta += v``.

    Parameters
    ----------
    learning_rate : float, > 0
    momentum : float in [0, 1), default 0.9
        ``mu``; 0 gives plain SGD.

    Examples
    --------
    >>> theta = np.array([1.0])
    >>> Momentum(learning_rate=0.1, momentum=0.9).step(theta, np.array([2.0]))
    >>> theta.round(6)
    array([0.8])
    """

    name = "momentum"
    _state_names = ("velocity",)

    def __init__(self, *, learning_rate, momentum=0.9):
        self.momentum = check_real(momentum, "momentum", low=0, high=1)
        super().__init__(learning_rate=learning_rate)

    def _update_velocity(self, theta, grad):
        if self.velocity is None:
            self.velocity = np.zeros_like(theta)
        v = self.velocity
        v *= self.momentum
        v -= self.learning_rate * grad
        self.t += 1
        return v

    def step(self, theta, grad):
        theta += self._update_velocity(theta, grad)


class Nesterov(Momentum):
    """Nesterov momentum in look-ahead form: ``v = mu v - lr g``; ``theta += mu v - lr g``.

    ``theta`` here is the look-ahead point, so the gradient is taken where the
    momentum step is about to land; this is why it overshoots less than momentum.

    Examples
    --------
    >>> theta = np.array([1.0])
    >>> Nesterov(learning_rate=0.1, momentum=0.9).step(theta, np.array([2.0]))
    >>> theta.round(6)  # v = -0.2; theta += 0.9 * v - 0.1 * 2
    array([0.62])
    """

    name = "nesterov"

    def step(self, theta, grad):
        v = self._update_velocity(theta, grad)
        theta += self.momentum * v
        theta -= self.learning_rate * grad


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with bias-corrected moment estimates.

    Parameters
    ----------
    learning_rate : float, > 0
    beta1 : float in [0, 1), default 0.9
        Decay of the first-moment (mean) estimate.
    beta2 : float in [0, 1), default 0.999
        Decay of the second-moment (uncentred variance) estimate.
    eps : float, > 0, default 1e-8
        Added to the root of the second moment, so a zero gradient gives a zero step.

    Examples
    --------
    >>> opt = Adam(learning_rate=0.1)
    >>> theta = np.array([1.0, 1.0])
    >>> opt.step(theta, np.array([0.5, -3.0]))  # the first step is lr * sign(g)
    >>> theta.round(6)
    array([0.9, 1.1])
    """

    name = "adam"
    _state_names = ("m", "s")

    def __init__(self, *, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1 = check_real(beta1, "beta1 (momentum)", low=0, high=1)
        self.beta2 = check_real(beta2, "beta2", low=0, high=1)
        self.eps = check_real(eps, "eps", low=0, include_low=False)
        super().__init__(learning_rate=learning_rate)

    def step(self, theta, grad):
        if self.m is None:
            self.m, self.s = np.zeros_like(theta), np.zeros_like(theta)
        self.t += 1
        m, s = self.m, self.s
        m *= self.beta1
        m += (1.0 - self.beta1) * grad
        s *= self.beta2
        s += (1.0 - self.beta2) * (grad * grad)
        # bias corrections: m and s start at 0 and would otherwise be too small early on
        lr_t = self.learning_rate / (1.0 - self.beta1**self.t)
        denom = np.sqrt(s * (1.0 / (1.0 - self.beta2**self.t)))
        denom += self.eps
        theta -= lr_t * (m / denom)


OPTIMIZERS = ("sgd", "momentum", "nesterov", "adam")


def make_optimizer(
    name: str,
    *,
    learning_rate: float,
    momentum: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> Optimizer:
    """Build an update rule by name.

    Parameters
    ----------
    name : {"sgd", "momentum", "nesterov", "adam"}
    learning_rate : float
        Finite and > 0.
    momentum : float in [0, 1), default 0.9
        Momentum for "momentum" and "nesterov", ``beta1`` for "adam"; unused by "sgd".
    beta2, eps : float
        Adam's second-moment decay in [0, 1) and its epsilon > 0; used by "adam" only.

    Returns
    -------
    Optimizer
        An object with ``step(theta, grad)`` (in place) and ``reset()``.

    Raises
    ------
    ValueError
        For an unknown name (the message lists the allowed ones) or a value out of range.

    Examples
    --------
    >>> opt = make_optimizer("momentum", learning_rate=0.1, momentum=0.9)
    >>> theta = np.array([1.0])
    >>> opt.step(theta, np.array([2.0]))  # v = -0.2
    >>> opt.step(theta, np.array([2.0]))  # v = 0.9 * -0.2 - 0.2 = -0.38
    >>> theta
    array([0.42])
    >>> make_optimizer("rmsprop", learning_rate=0.1)
    Traceback (most recent call last):
    ...
    ValueError: unknown optimizer 'rmsprop'; choose one of 'sgd', 'momentum', 'nesterov', 'adam'.
    """
    if name == "sgd":
        return SGD(learning_rate=learning_rate)
    if name == "momentum":
        return Momentum(learning_rate=learning_rate, momentum=momentum)
    if name == "nesterov":
        return Nesterov(learning_rate=learning_rate, momentum=momentum)
    if name == "adam":
        return Adam(learning_rate=learning_rate, beta1=momentum, beta2=beta2, eps=eps)
    allowed = ", ".join(map(repr, OPTIMIZERS))
    raise ValueError(f"unknown optimizer {name!r}; choose one of {allowed}.")
