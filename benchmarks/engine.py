"""Engine speed, measured as ratios within one run (the machine is shared and noisy).

    python benchmarks/engine.py            # full table (about a minute)
    python benchmarks/engine.py --quick    # fewer repeats

Prints one table; every ratio compares two timings taken in this same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from softmax_engine import softmax_loss_naive, softmax_loss_vectorized


def median_seconds(fn, *, repeats, number=1):
    """Median over ``repeats`` of the mean time of ``number`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def fmt_time(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:,.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:,.2f} ms"
    return f"{seconds:,.2f} s"


def interleaved_medians(fn_a, fn_b, *, repeats, number_a=1, number_b=1):
    """Median seconds per call of two functions timed alternately, so that both see the
    same machine load (a ratio of two separate blocks drifts with the neighbours' work)."""
    a, b = [], []
    for _ in range(repeats):
        a.append(median_seconds(fn_a, repeats=1, number=number_a))
        b.append(median_seconds(fn_b, repeats=1, number=number_b))
    return statistics.median(a), statistics.median(b)


def bench_losses(rows, quick):
    rng = np.random.default_rng(0)
    # vectorized calls per sample: enough that one cold call after the naive loop is noise
    for n, d, c, target, calls in [(1000, 3, 3, 250, 200), (500, 3073, 10, 14, 10)]:
        X = rng.standard_normal((n, d))
        W = 1e-3 * rng.standard_normal((d, c))
        y = rng.integers(0, c, n)
        softmax_loss_vectorized(W, X, y, 1e-3)  # warm up
        naive, vec = interleaved_medians(
            lambda W=W, X=X, y=y: softmax_loss_naive(W, X, y, 1e-3),
            lambda W=W, X=X, y=y: softmax_loss_vectorized(W, X, y, 1e-3),
            repeats=5 if quick else 15,
            number_b=calls,
        )
        rows.append(
            (
                f"loss+grad (N,D,C)=({n},{d},{c}): naive / vectorized",
                f"{fmt_time(naive)} / {fmt_time(vec)}",
                f"{naive / vec:,.0f}×",
                f"≥ {target}×",
            )
        )


def bench_gradient_descent(rows, quick):
    from softmax_engine import SoftmaxClassifier

    rng = np.random.default_rng(1)
    X = rng.standard_normal((1000, 3))
    y = rng.integers(0, 3, 1000)
    params = dict(optimizer="sgd", learning_rate=0.5, reg=1e-3, max_iter=500, random_state=0)
    default = SoftmaxClassifier(**params)
    sparse = SoftmaxClassifier(**params, record_every=500)  # records step 0 and step 500
    default.fit(X, y)  # warm up
    sparse.fit(X, y)
    t_sparse, t_default = interleaved_medians(
        lambda: sparse.fit(X, y), lambda: default.fit(X, y), repeats=11 if quick else 31
    )
    rows.append(
        (
            "SoftmaxClassifier sgd, 500 full-batch steps, (1000,3,3), first + last step recorded",
            fmt_time(t_sparse),
            f"{len(sparse.history_.step)} records",
            "≤ 15 ms",
        )
    )
    rows.append(
        (
            "same, default history (snapshots, losses and accuracy every 2nd step)",
            fmt_time(t_default),
            f"{len(default.history_.step)} records",
            "",
        )
    )


def bench_lbfgs_vs_sklearn(rows, quick):
    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from softmax_engine import SoftmaxClassifier, SoftmaxObjective

    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    n, reg = X.shape[0], 1e-3
    C = 1.0 / (2 * n * reg)
    objective = SoftmaxObjective(X, y, 10, reg)

    def objective_of(model):
        theta = np.vstack([model.coef_.T, model.intercept_])
        return objective(theta)[0]

    # the optimum, to a tolerance far below the 1e-6 asked of the timed fits
    reference = LogisticRegression(C=C, tol=1e-12, max_iter=20000).fit(X, y)
    optimum = objective_of(reference)

    ours = SoftmaxClassifier(optimizer="lbfgs", reg=reg)
    theirs = LogisticRegression(C=C)  # scikit-learn's defaults, the fit people actually run
    repeats = 3 if quick else 7
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t_ours = median_seconds(lambda: ours.fit(X, y), repeats=repeats)
        t_theirs = median_seconds(lambda: theirs.fit(X, y), repeats=repeats)
    gap_ours = (objective_of(ours) - optimum) / optimum
    gap_theirs = (objective_of(theirs) - optimum) / optimum
    rows.append(
        (
            "lbfgs on standardized digits (1797×64, 10 classes), reg=1e-3: "
            "ours / sklearn LogisticRegression default",
            f"{fmt_time(t_ours)} / {fmt_time(t_theirs)}",
            f"{t_theirs / t_ours:.2f}× (gap to optimum {gap_ours:.1e} / {gap_theirs:.1e})",
            "ours ≤ sklearn, gap ≤ 1e-6",
        )
    )

    # Why the engine caps BLAS threads around scipy's L-BFGS loop: measured, not assumed.
    uncapped = _fit_without_thread_cap(ours, X, y, repeats=3 if quick else 5)
    rows.append(
        (
            "same lbfgs fit: BLAS threads uncapped / capped at 1 (threadpoolctl)",
            f"{fmt_time(uncapped)} / {fmt_time(t_ours)}",
            f"{uncapped / t_ours:.1f}× slower uncapped",
            "capping must not lose",
        )
    )


def _fit_without_thread_cap(model, X, y, repeats):
    import contextlib

    from softmax_engine import trainer  # the L-BFGS loop caps the threads there

    saved = trainer.one_blas_thread
    trainer.one_blas_thread = contextlib.nullcontext
    try:
        return median_seconds(lambda: model.fit(X, y), repeats=repeats)
    finally:
        trainer.one_blas_thread = saved


def bench_regions(rows, quick):
    from softmax_engine import decision_regions
    from softmax_engine.losses import softmax

    rng = np.random.default_rng(2)
    W = rng.standard_normal((2, 3))
    b = rng.standard_normal(3)
    G = 200

    def naive_grid():
        xs = np.linspace(-2, 2, G)
        ys = np.linspace(-2, 2, G)
        gx, gy = np.meshgrid(xs, ys)
        points = np.column_stack([gx.ravel(), gy.ravel()])  # the (G², D) matrix
        return softmax(points @ W + b).reshape(G, G, 3)

    fast = median_seconds(
        lambda: decision_regions(W, b, (-2, 2), (-2, 2), resolution=G), repeats=21, number=3
    )
    slow = median_seconds(naive_grid, repeats=21, number=3)
    rows.append(
        (
            f"decision regions {G}×{G}, 3 classes: (G²,D) matmul / broadcast",
            f"{fmt_time(slow)} / {fmt_time(fast)}",
            f"{slow / fast:.1f}×",
            "faster",
        )
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)

    rows = []
    bench_losses(rows, args.quick)
    bench_gradient_descent(rows, args.quick)
    bench_lbfgs_vs_sklearn(rows, args.quick)
    bench_regions(rows, args.quick)

    header = ("measurement", "time", "ratio / result", "target")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    import platform

    print(f"\nnumpy {np.__version__}, Python {platform.python_version()}, {platform.machine()}")


if __name__ == "__main__":
    main()
