"""Seeded toy 2-D datasets (blobs, moons, circles, spiral, xor, gaussian_quadrants, linear).

Pure and seeded like TensorFlow Playground's ``dataset.ts``: the same arguments give the
same arrays. :data:`TOY_DATASETS` says which class counts each one allows, so a UI can
offer only valid choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import check_int, check_real
from .base import Dataset

__all__ = ["MAX_TOY_CLASSES", "MAX_TOY_SAMPLES", "TOY_DATASETS", "ToyDatasetInfo", "make_dataset"]

MAX_TOY_SAMPLES = 20_000
MAX_TOY_CLASSES = 10


@dataclass(frozen=True)
class ToyDatasetInfo:
    """What a UI needs to know about one toy dataset.

    Attributes
    ----------
    name : str
        The key for :func:`make_dataset`.
    title : str
        A short label for a select box.
    description : str
        One sentence for a tooltip.
    class_counts : tuple of int
        The allowed values of ``n_classes``.
    default_classes : int
        What ``n_classes=None`` means.

    Examples
    --------
    >>> info = TOY_DATASETS["circles"]
    >>> info.title, info.class_counts, info.default_classes
    ('Concentric circles', (2, 3, 4, 5), 2)
    """

    name: str
    title: str
    description: str
    class_counts: tuple[int, ...] = field(default=tuple(range(2, MAX_TOY_CLASSES + 1)))
    default_classes: int = 3

    def clamp_classes(self, n_classes: int) -> int:
        """The allowed class count nearest to ``n_classes`` (the smaller one on a tie).

        Useful when a UI keeps one "classes" control across datasets.

        Examples
        --------
        >>> TOY_DATASETS["gaussian_quadrants"].clamp_classes(3)
        2
        """
        return min(self.class_counts, key=lambda k: (abs(k - n_classes), k))


_ANY = tuple(range(2, MAX_TOY_CLASSES + 1))

TOY_DATASETS: dict[str, ToyDatasetInfo] = {
    info.name: info
    for info in (
        ToyDatasetInfo(
            "blobs", "Gaussian blobs",
            "One round Gaussian cloud per class, centres evenly spaced on the unit circle.",
            _ANY, 3,
        ),
        ToyDatasetInfo(
            "linear", "Linearly separable",
            "Parallel bands at a random angle with gaps between them: a linear model can "
            "classify them perfectly at noise 0.",
            _ANY, 3,
        ),
        ToyDatasetInfo(
            "spiral", "Spiral",
            "CS231n's spiral: one arm per class, turning 4 radians from the centre outwards.",
            _ANY, 3,
        ),
        ToyDatasetInfo(
            "circles", "Concentric circles",
            "One ring per class (radii 1/C, 2/C, ..., 1); polynomial features of degree 2 "
            "separate them.",
            (2, 3, 4, 5), 2,
        ),
        ToyDatasetInfo(
            "moons", "Two moons",
            "Two interleaving half circles (always 2 classes).",
            (2,), 2,
        ),
        ToyDatasetInfo(
            "xor", "XOR",
            "Uniform points in the four quadrants, labelled by the sign of x1*x2 (always 2 "
            "classes); needs the x1*x2 feature.",
            (2,), 2,
        ),
        ToyDatasetInfo(
            "gaussian_quadrants", "Gaussian quadrants",
            "A Gaussian cloud in each quadrant: 4 classes (one per quadrant) or 2 classes "
            "(opposite quadrants share a class, a Gaussian XOR).",
            (2, 4), 4,
        ),
    )
}


def make_dataset(
    name: str,
    *,
    n_samples: int = 200,
    n_classes: int | None = None,
    noise: float = 0.1,
    random_state: int = 0,
) -> Dataset:
    """Generate a seeded toy 2-D dataset.

    Parameters
    ----------
    name : str
        One of :data:`TOY_DATASETS`: ``"blobs"``, ``"linear"``, ``"spiral"``,
        ``"circles"``, ``"moons"``, ``"xor"``, ``"gaussian_quadrants"``.
    n_samples : int
        Total number of points, in ``[2 * n_classes, 20000]``. Classes are balanced:
        each gets ``n_samples // C`` points and the first ``n_samples % C`` classes one more.
    n_classes : int or None
        Number of classes. ``None`` takes the dataset's default
        (``TOY_DATASETS[name].default_classes``). Allowed counts per dataset (see
        ``TOY_DATASETS[name].class_counts``): blobs, linear and spiral any of 2..10;
        circles 2..5 (rings); gaussian_quadrants 2 or 4; moons and xor only 2. Any other
        count raises ``ValueError`` (use :meth:`ToyDatasetInfo.clamp_classes` to map a
        UI value to an allowed one).
    noise : float >= 0
        Standard deviation of isotropic Gaussian jitter added to every point, in data
        units; the same units for every dataset. The noise-free shapes lie roughly in
        ``[-1, 1]^2`` (moons: ``[-1.5, 1.5] x [-0.75, 0.75]``; blobs and quadrants have
        their own intrinsic spread of 0.2 and 0.3), so noise 0.1 is mild and 0.5 heavy.
    random_state : int >= 0
        Seed. Same arguments give identical arrays; the function has no other state.

    Returns
    -------
    Dataset
        ``X`` (n_samples, 2), ``y`` (n_samples,), features ``("x1", "x2")``, class names
        ``("0", ..., "C-1")``. The samples are shuffled (classes interleaved).

    Examples
    --------
    >>> ds = make_dataset("spiral", n_samples=300, n_classes=3, random_state=0)
    >>> ds
    Dataset(name='spiral', n_samples=300, n_features=2, n_classes=3)
    >>> ds.class_counts.tolist()
    [100, 100, 100]
    >>> make_dataset("moons", n_classes=3)
    Traceback (most recent call last):
    ...
    ValueError: 'moons' allows n_classes in {2}, got 3
    """
    if not isinstance(name, str) or name not in TOY_DATASETS:
        raise ValueError(f"unknown toy dataset {name!r}; choose one of {sorted(TOY_DATASETS)}")
    info = TOY_DATASETS[name]
    if n_classes is None:
        n_classes = info.default_classes
    n_classes = check_int(n_classes, "n_classes")
    if n_classes not in info.class_counts:
        raise ValueError(
            f"{name!r} allows n_classes in {_describe_counts(info.class_counts)}, "
            f"got {n_classes}"
        )
    lo = 2 * n_classes
    n_samples = check_int(
        n_samples, "n_samples", low=lo, high=MAX_TOY_SAMPLES, context=f" for {n_classes} classes"
    )
    noise = check_real(noise, "noise", low=0.0)
    random_state = check_int(random_state, "random_state", low=0)

    rng = np.random.default_rng(int(random_state))
    counts = np.full(n_classes, n_samples // n_classes)
    counts[: n_samples % n_classes] += 1
    y = np.repeat(np.arange(n_classes), counts)
    X = _GENERATORS[name](rng, counts, y)
    X = X + noise * rng.standard_normal(X.shape)  # same jitter rule for every dataset
    order = rng.permutation(n_samples)
    return Dataset(
        X[order], y[order], ("x1", "x2"), tuple(str(k) for k in range(n_classes)), name
    )


def _describe_counts(counts):
    if len(counts) > 2 and counts == tuple(range(counts[0], counts[-1] + 1)):
        return f"{counts[0]}..{counts[-1]}"
    return "{" + ", ".join(map(str, counts)) + "}"


# Each generator gets (rng, counts (C,), y (N,) sorted by class) and returns the clean
# (noise-free) points (N, 2) in the same order as y.


def _blobs(rng, counts, y):
    C = len(counts)
    angles = 2 * np.pi * np.arange(C) / C
    centers = np.column_stack([np.cos(angles), np.sin(angles)])
    return centers[y] + 0.2 * rng.standard_normal((y.size, 2))


def _linear(rng, counts, y):
    # Bands of equal width 2/C across [-1, 1] along a random direction, each shrunk by a
    # margin, so at noise 0 the classes are separated by a gap (argmax of affine scores).
    C = len(counts)
    width = 2.0 / C
    margin = 0.15 * width
    t = -1 + width * y + margin + (width - 2 * margin) * rng.random(y.size)
    s = rng.uniform(-1, 1, y.size)
    theta = rng.uniform(0, np.pi)
    u = np.array([np.cos(theta), np.sin(theta)])
    v = np.array([-u[1], u[0]])
    return np.outer(t, u) + np.outer(s, v)


def _spiral(rng, counts, y):
    # CS231n: r = linspace(0, 1), t = linspace(4j, 4(j+1)), x = r (sin t, cos t); their
    # angular noise is replaced by the common Gaussian jitter in make_dataset.
    parts = []
    for j, n in enumerate(counts):
        r = np.linspace(0.0, 1.0, n)
        t = np.linspace(4.0 * j, 4.0 * (j + 1), n)
        parts.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
    return np.concatenate(parts)


def _circles(rng, counts, y):
    C = len(counts)
    radius = (y + 1) / C
    angle = rng.uniform(0, 2 * np.pi, y.size)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _moons(rng, counts, y):
    t = rng.uniform(0, np.pi, y.size)
    outer = np.column_stack([np.cos(t), np.sin(t)])
    inner = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where((y == 0)[:, None], outer, inner)
    return X - np.array([0.5, 0.25])  # centre the pair on the origin


def _xor(rng, counts, y):
    # Class 0: quadrants I and III (x1*x2 > 0); class 1: II and IV. A small gap of 0.05
    # around the axes keeps the label unambiguous at noise 0.
    mag = rng.uniform(0.05, 1.0, (y.size, 2))
    sx = rng.choice([-1.0, 1.0], y.size)
    sy = np.where(y == 0, sx, -sx)
    return mag * np.column_stack([sx, sy])


def _gaussian_quadrants(rng, counts, y):
    signs = np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]], dtype=float)  # counter-clockwise
    if len(counts) == 4:
        quadrant = y
    else:  # class 0 in quadrants I/III, class 1 in II/IV
        quadrant = 2 * rng.integers(0, 2, y.size) + y
    return 0.7 * signs[quadrant] + 0.3 * rng.standard_normal((y.size, 2))


_GENERATORS = {
    "blobs": _blobs,
    "linear": _linear,
    "spiral": _spiral,
    "circles": _circles,
    "moons": _moons,
    "xor": _xor,
    "gaussian_quadrants": _gaussian_quadrants,
}

