"""The hyperparameter plane: the batched sweep against its floor and against a loop of models.

    python benchmarks/sweep.py            # every table (about three minutes on 2 cores)
    python benchmarks/sweep.py --quick    # best of 2 instead of 3, a shorter scaling table

The plane is the Playground's at its default settings: spiral, 300 points of which 240
train, RBF features (D = 40), 3 classes, 300 steps, and every position of the Learning
rate (16) and Regularization (20) sliders: 320 models. Every figure is measured in this
same run (the machine is shared and noisy); ratios compare timings of the same run.

Tables:

1. Where the time of one full-batch gradient-descent plane goes: the score product, the
   softmax, the gradient product, the update and the recording, each timed alone on the
   plane's shapes, at 1 and 2 BLAS threads (the engine runs the plane on one: faster here).
2. Every optimizer, full batch and mini-batches of 32: the batched sweep (best of R), its
   floor (the same matrix products and exponentials on their own, same run), the engine's
   objective alone (the floor plus the stable softmax's max, shift, sum, normalization and
   log, and the loss), a loop that
   trains the same 320 models one by one with ``SoftmaxClassifier``, the cells that equal
   the loop's to 1e-10, the chaotic and the diverged cells, and peak memory (tracemalloc).
2b. A lower bound for any numpy design: the floor plus the parts no trainer can skip, each
   timed alone in its cheapest layout (the softmax passes an exact, stable softmax needs,
   the optimizer's update, the recording's evaluations). Where it exceeds 1.5× the floor,
   the issue's "within 1.5× of the floor" needs a compiled, fused kernel, not numpy.
3. How time and memory grow with the steps, the samples, the features and the cells.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from threadpoolctl import threadpool_limits

from dashboard.settings import LEARNING_RATES, REGULARIZATIONS  # the sliders' positions
from softmax_engine import FeatureMap, make_dataset
from softmax_engine.classifier import DivergenceWarning, SoftmaxClassifier
from softmax_engine.objective import BatchedObjective
from softmax_engine.optim import make_optimizer
from softmax_engine.sweep import chaotic_cells, sweep

STEPS = 300
TARGETS = {"sgd": 1.0, "adam": 1.5}  # seconds, full batch, from the issue
FLOOR_RATIO = 1.5


def plane_data(features="rbf", n_samples=300, n_centers=40):
    data = make_dataset("spiral", n_samples=n_samples, n_classes=3, noise=0.1, random_state=0)
    tr, va = data.train_validation_indices(0.2, random_state=0)
    fm = FeatureMap(features, n_centers=n_centers, gamma=3.0, random_state=0)
    return fm.fit_transform(data.X[tr]), data.y[tr], fm.transform(data.X[va]), data.y[va]


def best_of(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def floor_seconds(G, C, N, D1, steps):
    """Per step one (G·C, D+1) × (D+1, N) product, the exponentials of the (G·C, N) scores
    and one (G·C, N) × (N, D+1) product, on one BLAS thread: what no trainer can avoid."""
    rng = np.random.default_rng(0)
    theta = rng.standard_normal((G * C, D1)) * 0.01
    X1T = rng.standard_normal((D1, N))
    X1 = np.ascontiguousarray(X1T.T)
    S, grad = np.empty((G * C, N)), np.empty((G * C, D1))
    with threadpool_limits(limits=1, user_api="blas"):
        start = time.perf_counter()
        for _ in range(steps):
            np.matmul(theta, X1T, out=S)
            np.exp(S, out=S)
            np.matmul(S, X1, out=grad)
        return time.perf_counter() - start


def kernel_seconds(X, y, G, n, steps):
    """The engine's objective alone (products, stable softmax, loss, gradient) on n rows,
    called ``steps`` times on one BLAS thread: the trainer's cost without the trainer."""
    objective = BatchedObjective(X[:n], y[:n], 3, np.full(G, 1e-3))
    theta = np.random.default_rng(0).standard_normal((G, 3, X.shape[1] + 1)) * 0.01
    objective(theta)
    with threadpool_limits(limits=1, user_api="blas"):
        start = time.perf_counter()
        for _ in range(steps):
            objective(theta)
        return time.perf_counter() - start


def breakdown(X, y, Xv, yv, G, steps, repeats):
    """Seconds per plane of each part of a full-batch step, timed alone on the plane's
    shapes (the engine's operations on buffers of its sizes): (part, 1 thread, 2 threads)."""
    C, (N, D) = 3, X.shape
    rng = np.random.default_rng(0)
    X1 = np.hstack([X, np.ones((N, 1))])
    X1T = X1.T
    onehot = np.zeros((C, N))
    onehot[y, np.arange(N)] = 1.0
    theta = rng.standard_normal((G, C, D + 1)) * 0.01
    th2 = theta.reshape(G * C, D + 1)
    S = np.empty((G, C, N))
    S2, S_flat = S.reshape(G * C, N), S.reshape(G, C * N)
    planes = [S[:, c] for c in range(C)]
    shift, totals = np.empty((G, N)), np.empty((G, N))
    grad = np.empty((G, C, D + 1))
    objective = BatchedObjective(X, y, C, np.full(G, 1e-3))
    val = BatchedObjective(Xv, yv, C, 0.0)
    sgd = make_optimizer("sgd", learning_rate=np.full((G, 1, 1), 0.1))
    adam = make_optimizer("adam", learning_rate=np.full((G, 1, 1), 0.1))

    def softmax():
        np.maximum(planes[0], planes[1], out=shift)
        np.maximum(shift, planes[2], out=shift)
        S[...] -= shift[:, None, :]
        S_flat @ onehot.reshape(C * N)
        np.exp(S, out=S)
        np.add(planes[0], planes[1], out=totals)
        np.add(totals, planes[2], out=totals)
        S[...] /= totals[:, None, :]
        np.log(totals, out=totals).sum(axis=1)

    parts = [
        ("score product (G·C, D+1) × (D+1, N)", lambda: np.matmul(th2, X1T, out=S2)),
        ("softmax: max, shift, exp, sum, divide, log", softmax),
        ("gradient product (G·C, N) × (N, D+1)",
         lambda: np.matmul(S2, X1, out=grad.reshape(G * C, D + 1))),
        ("whole objective (loss and gradient)", lambda: objective(theta)),
        ("update: sgd", lambda: sgd.step(theta, np.zeros_like(theta))),
        ("update: adam", lambda: adam.step(theta, np.zeros_like(theta))),
        ("recording: objective with the train hit count", lambda: objective(
            theta, count_correct=True)),
        ("recording: validation loss and accuracy", lambda: val(
            theta, count_correct=True, gradient=False)),
    ]
    rows = []
    for label, fn in parts:
        timings = []
        for threads in (1, 2):
            with threadpool_limits(limits=threads, user_api="blas"):
                seconds, _ = best_of(lambda fn=fn: [fn() for _ in range(steps)], repeats)
            timings.append(seconds)
        rows.append((label, *timings))
    return rows


def lower_bound(X, y, Xv, yv, G, steps, *, optimizer, batch_size, repeats):
    """What no numpy trainer of this plane can skip, each part timed alone on its shapes
    (seconds per plane): the floor's products and exponentials; the softmax passes an exact,
    stable softmax needs besides them, in the cheapest layout (each class plane one
    contiguous block, so no pass pays numpy's per-row overhead); the optimizer's update; and
    the recording of 'auto' (<= 101 steps), which evaluates the training set (with
    mini-batches: a forward pass, products and exponentials) and the validation set.

    Returns (floor, softmax passes kept for accuracy, their cheaper inexact variant, update,
    recording), seconds per plane. Python's per-call overhead and the regularization term
    are left out, so the sum is a lower bound on any numpy design.
    """
    C, (N, D) = 3, X.shape
    n = batch_size or N
    rng = np.random.default_rng(0)
    S = rng.standard_normal((C, G * n))  # class planes, each contiguous
    onehot = np.zeros((C, G * n))
    onehot[rng.integers(0, C, G * n), np.arange(G * n)] = 1.0
    P1, P2 = np.empty(G * n), np.empty(G * n)
    Q = np.empty_like(S)

    def needed():  # max, sum, normalize, log of the normalizer: no softmax skips these
        np.maximum(S[0], S[1], out=P1)
        np.maximum(P1, S[2], out=P1)
        np.add(S[0], S[1], out=P2)
        np.add(P2, S[2], out=P2)
        np.multiply(S, P2, out=Q)
        np.log(np.abs(P2, out=P2), out=P2)

    def kept():  # plus the shift before exp() and the one-hot subtraction: full accuracy
        needed()
        np.subtract(S, P1, out=Q)
        np.subtract(Q, onehot, out=Q)

    theta = rng.standard_normal((G, C, D + 1)) * 0.01
    grad = rng.standard_normal((G, C, D + 1)) * 0.01
    lr = np.full((G, 1, 1), 1e-3)
    opt = make_optimizer(optimizer, learning_rate=lr, momentum=0.9)
    every = -(-steps // 100)
    records = steps // every + 1
    with threadpool_limits(limits=1, user_api="blas"):
        floor = min(floor_seconds(G, C, n, D + 1, steps) for _ in range(repeats))
        full = min(floor_seconds(G, C, N, D + 1, records) for _ in range(repeats))
        val = min(floor_seconds(G, C, len(Xv), D + 1, records) for _ in range(repeats))
        passes_kept, _ = best_of(lambda: [kept() for _ in range(steps)], repeats)
        passes_needed, _ = best_of(lambda: [needed() for _ in range(steps)], repeats)
        update, _ = best_of(lambda: [opt.step(theta, grad) for _ in range(steps)], repeats)
    # a full-batch step's loss is its record's: only mini-batches evaluate the set again
    recording = val + (full if batch_size else 0.0)
    return floor, passes_kept, passes_needed, update, recording


def loop_of_models(X, y, lrs, regs, *, optimizer, batch_size, record_every):
    """One SoftmaxClassifier per cell: W (n_lr, n_reg, D, C), diverged, seconds."""
    W = np.empty((len(lrs), len(regs), X.shape[1], 3))
    diverged = np.zeros((len(lrs), len(regs)), dtype=bool)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        for i, lr in enumerate(lrs):
            for j, reg in enumerate(regs):
                clf = SoftmaxClassifier(
                    learning_rate=lr, reg=reg, max_iter=STEPS, optimizer=optimizer,
                    batch_size=batch_size, random_state=0,
                    record_every=record_every if record_every != "auto" else 3,
                ).fit(X, y)
                W[i, j] = clf.coef_.T
                diverged[i, j] = clf.diverged_
    return W, diverged, time.perf_counter() - start


def peak_mb(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def table(title, cols, rows):
    widths = [max(len(c), *(len(r[k]) for r in rows)) for k, c in enumerate(cols)]
    print()
    print(title)
    print("| " + " | ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeats = 2 if args.quick else 3
    lrs, regs = np.asarray(LEARNING_RATES), np.asarray(REGULARIZATIONS)
    G = len(lrs) * len(regs)
    X, y, Xv, yv = plane_data()
    N, D = X.shape
    print(
        f"Plane: spiral, N = {N} training and {len(Xv)} validation points, RBF D = {D}, "
        f"C = 3, {STEPS} steps, {len(lrs)} learning rates × {len(regs)} regularizations "
        f"= {G} models; numpy {np.__version__}"
    )
    sweep(X, y, lrs[:2], regs[:2], steps=5)  # warm up

    # 1. where the time goes
    parts = breakdown(X, y, Xv, yv, G, STEPS, repeats)
    table(
        f"1. One full-batch plane ({STEPS} steps), each part timed alone on its shapes "
        "(seconds per plane)",
        ("part", "1 BLAS thread", "2 BLAS threads"),
        [(p, f"{a:.3f}", f"{b:.3f}") for p, a, b in parts],
    )

    # 2. every optimizer, full and mini batch
    rows = []
    for optimizer in ("sgd", "momentum", "nesterov", "adam"):
        for batch_size, record_every in ((None, 1), (None, "auto"), (32, "auto")):
            if optimizer != "sgd" and record_every == 1:
                continue
            kwargs = dict(steps=STEPS, optimizer=optimizer, batch_size=batch_size,
                          random_state=0, max_loss_ratio=None, record_every=record_every)

            def run(kwargs=kwargs):
                return sweep(X, y, lrs, regs, X_val=Xv, y_val=yv, **kwargs)

            seconds, result = best_of(run, repeats)
            memory = peak_mb(run)
            floor = min(floor_seconds(G, 3, batch_size or N, D + 1, STEPS) for _ in range(2))
            kernel = kernel_seconds(X, y, G, batch_size or N, STEPS)
            W, diverged, looped = loop_of_models(
                X, y, lrs, regs, optimizer=optimizer, batch_size=batch_size,
                record_every=record_every,
            )
            chaotic = chaotic_cells(X, y, lrs, regs, **kwargs)
            ok = ~result.diverged & ~diverged
            scale = np.maximum(np.abs(W).max(axis=(2, 3)), 1e-300)
            equal = ok & ~chaotic & (np.abs(result.W - W).max(axis=(2, 3)) <= 1e-10 * scale)
            target = TARGETS.get(optimizer) if batch_size is None else None
            rows.append((
                f"{optimizer}, {'full batch' if batch_size is None else f'batch {batch_size}'}"
                f", record {'every step' if record_every == 1 else 'auto (≤ 101)'}",
                f"{seconds:.3f} s" + (f" (≤ {target:g})" if target else ""),
                f"{floor:.3f} s",
                f"{seconds / floor:.2f}×",
                f"{kernel:.3f} s",
                f"{seconds / kernel:.2f}×",
                f"{looped:.2f} s",
                f"{looped / seconds:.1f}×",
                f"{int(equal.sum())}/{int((ok & ~chaotic).sum())}",
                f"{int(chaotic.sum())}",
                f"{int(result.diverged.sum())}",
                f"{memory:.1f} MB",
            ))
    table(
        f"2. The whole plane ({G} models × {STEPS} steps), best of {repeats}; the loop trains "
        "the same models one by one with SoftmaxClassifier",
        ("optimizer", "batched", "floor", "÷ floor", "objective alone", "÷ objective",
         "loop of models", "loop ÷ batched",
         "cells = loop to 1e-10 (of non-chaotic)", "chaotic", "diverged", "peak memory"),
        rows,
    )

    # 2b. the lower bound of any numpy design against the floor
    rows = []
    for optimizer in ("sgd", "momentum", "nesterov", "adam"):
        for batch_size in (None, 32):
            floor, kept, needed, update, recording = lower_bound(
                X, y, Xv, yv, G, STEPS, optimizer=optimizer, batch_size=batch_size,
                repeats=repeats)
            bound = floor + kept + update + recording
            inexact = floor + needed + update + recording
            rows.append((
                f"{optimizer}, {'full batch' if batch_size is None else f'batch {batch_size}'}",
                f"{floor:.3f} s", f"{kept:.3f} s", f"{update:.3f} s", f"{recording:.3f} s",
                f"{bound:.3f} s", f"{bound / floor:.2f}×", f"{inexact / floor:.2f}×",
                f"{(bound - recording) / floor:.2f}×",
            ))
    table(
        "2b. The least any numpy trainer of this plane can take, parts timed alone (record "
        "'auto'; Python overhead and the regularization term left out)",
        ("optimizer", "floor", "softmax passes", "update", "recording", "lower bound",
         "÷ floor", "÷ floor, no shift nor one-hot pass (inexact)",
         "÷ floor, nothing recorded"),
        rows,
    )

    # the D = 2 comparison: raw features
    Xr, yr, _, _ = plane_data("raw")
    seconds, _ = best_of(lambda: sweep(Xr, yr, lrs, regs, steps=STEPS, random_state=0,
                                       max_loss_ratio=None), repeats)
    _, _, looped = loop_of_models(Xr, yr, lrs, regs, optimizer="sgd", batch_size=None,
                                  record_every=1)
    print(f"\nRaw features (D = 2), sgd full batch: batched {seconds:.3f} s, loop {looped:.2f} s,"
          f" ratio {looped / seconds:.1f}×")

    # 3. growth
    base = dict(steps=STEPS, n=300, d=40, cells=(len(lrs), len(regs)))
    variants = [("base", base)]
    factors = (0.5, 2) if args.quick else (0.5, 2, 4)
    for f in factors:
        variants.append((f"steps × {f:g}", {**base, "steps": int(STEPS * f)}))
        variants.append((f"samples × {f:g}", {**base, "n": int(300 * f)}))
        variants.append((f"features × {f:g}", {**base, "d": int(40 * f)}))
        n_lr = max(1, int(len(lrs) * f)) if f < 1 else len(lrs)
        n_reg = len(regs) if f < 1 else int(len(regs) * f)
        variants.append((f"cells × {f:g}", {**base, "cells": (n_lr, n_reg)}))
    # the Playground's limits: 5000 steps, 2000 samples (1600 train); recorded every step
    variants.append(("steps 5000, every step recorded",
                     {**base, "steps": 5000, "record_every": 1}))
    variants.append(("samples 2000", {**base, "n": 2000}))
    rows = []
    for label, v in variants:
        Xg, yg, _, _ = plane_data(n_samples=v["n"], n_centers=v["d"])
        n_lr, n_reg = v["cells"]
        lr_g = np.resize(lrs, n_lr)
        reg_g = np.resize(regs, n_reg)

        every = v.get("record_every", "auto")

        def run(Xg=Xg, yg=yg, lr_g=lr_g, reg_g=reg_g, steps=v["steps"], record_every=every):
            return sweep(Xg, yg, lr_g, reg_g, steps=steps, random_state=0, max_loss_ratio=None,
                         record_every=record_every)

        once = args.quick or v["steps"] > 1000 or v["n"] > 1000
        seconds, _ = best_of(run, 1 if once else 2)
        rows.append((label, f"{v['steps']}", f"{len(Xg)}", f"{Xg.shape[1]}",
                     f"{n_lr * n_reg}", f"{seconds:.3f} s", f"{peak_mb(run):.1f} MB"))
    table(
        "3. Growth: sgd full batch, record 'auto' unless said",
        ("variant", "steps T", "train N", "features D", "cells G", "time", "peak memory"),
        rows,
    )


if __name__ == "__main__":
    main()
