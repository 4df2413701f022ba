"""The batched learning-rate × regularization sweep against a loop over the models.

    python benchmarks/sweep.py            # 20×20 grid, 200 steps, best of 5 sweeps
    python benchmarks/sweep.py --quick    # best of 2

One table, every timing taken in this same run (the machine is shared and noisy): the
batched sweep (``softmax_engine.sweep``: all G models as one (G, C, D + 1) tensor) and a
Python loop fitting one ``SoftmaxClassifier(optimizer="sgd", batch_size=None)`` per cell
with the same data, steps and initial weights. Both compute the final training loss and
validation accuracy of every cell; the table counts the cells where the two agree to 1e-10
(the others have a learning rate past the stable range, where gradient descent oscillates
chaotically and the tiniest rounding difference grows) and the diverged cells.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from softmax_engine import FeatureMap, make_dataset
from softmax_engine.classifier import DivergenceWarning, SoftmaxClassifier
from softmax_engine.sweep import sweep

TARGET_SECONDS = 1.0


def toy(features):
    data = make_dataset("spiral", n_samples=300, n_classes=3, random_state=0)
    tr, va = data.train_validation_indices(0.2, random_state=0)
    fm = FeatureMap(features, n_centers=40, gamma=3.0)
    return fm.fit_transform(data.X[tr]), data.y[tr], fm.transform(data.X[va]), data.y[va]


def loop(X, y, Xv, yv, lrs, regs, steps):
    """One SoftmaxClassifier per cell; returns (loss (n_lr, n_reg), val accuracy, seconds)."""
    loss = np.empty((len(lrs), len(regs)))
    acc = np.empty_like(loss)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        for i, lr in enumerate(lrs):
            for j, reg in enumerate(regs):
                clf = SoftmaxClassifier(
                    optimizer="sgd",
                    batch_size=None,
                    learning_rate=lr,
                    reg=reg,
                    max_iter=steps,
                    random_state=0,
                ).fit(X, y)
                loss[i, j] = clf.history_.loss[-1]
                acc[i, j] = np.mean(clf.predict(Xv) == yv)
    return loss, acc, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--grid", type=int, default=20)
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    lrs = np.logspace(-3, 1, args.grid)
    regs = np.logspace(-5, 1, args.grid)
    G = len(lrs) * len(regs)

    rows = []
    for features in ("raw", "rbf"):
        X, y, Xv, yv = toy(features)
        sweep(X, y, lrs[:2], regs[:2], steps=5)  # warm up
        times, result = [], None
        for _ in range(repeats):
            start = time.perf_counter()
            result = sweep(
                X,
                y,
                lrs,
                regs,
                steps=args.steps,
                X_val=Xv,
                y_val=yv,
                random_state=0,
                max_loss_ratio=None,
            )
            times.append(time.perf_counter() - start)
        batched = min(times)
        loss, acc, looped = loop(X, y, Xv, yv, lrs, regs, args.steps)
        ok = ~result.diverged
        rel = np.abs(result.train_loss - loss) / np.maximum(1.0, np.abs(loss))
        same = (rel <= 1e-10) & (result.val_accuracy == acc)
        # where it is not, the learning rate is past the stable range: gradient descent
        # oscillates chaotically, and any rounding difference (summation order) grows
        chaotic = ok & ~same
        first = (
            f" (lr ≥ {result.learning_rates[np.nonzero(chaotic)[0].min()]:.2g})"
            if (chaotic.any())
            else ""
        )
        label = f"{len(X)} points, D={X.shape[1]} ({features}), C=3"
        rows.append(
            (
                label,
                f"{batched:.3f} s",
                f"{looped:.2f} s",
                f"{looped / batched:.1f}×",
                f"{int(same[ok].sum())}/{int(ok.sum())}{first}",
                f"{int((~ok).sum())}",
                "yes" if batched <= TARGET_SECONDS else "NO",
            )
        )

    head = (
        f"{args.grid}×{args.grid} sweep = {G} models × {args.steps} full-batch steps "
        f"(best of {repeats} batched runs; one loop)"
    )
    cols = (
        "toy set",
        "batched",
        "loop of models",
        "ratio",
        "cells equal to 1e-10 (else chaotic)",
        "diverged",
        f"≤ {TARGET_SECONDS:g} s",
    )
    widths = [max(len(c), *(len(r[k]) for r in rows)) for k, c in enumerate(cols)]
    print(head)
    print("| " + " | ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) + " |")


if __name__ == "__main__":
    main()
