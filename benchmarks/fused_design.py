"""Design study for issue 12: would a compiled, fused softmax reach 1.5x the floor?

    python benchmarks/fused_design.py          # about ten seconds on 2 cores

Not used by the app or the engine. ``benchmarks/sweep.py`` (table 2b) shows that no numpy
trainer of the default plane comes within 1.5x of the floor, because a stable softmax
needs passes over the (G·C, N) scores besides the exponentials. This script compiles
``fused_softmax.c`` (gcc, glibc's vector exp and log) into a temporary library and trains
the same full-batch gradient-descent plane with it: the two matrix products stay numpy's,
the softmax passes run fused per model while its scores are in cache (the training and
validation hit counts of the recorded steps too), and the update with its regularization
term is one pass. It prints, in one run, the floor, the engine's sweep, the fused
trainer, and how far the fused trainer's weights are from the sweep's (the same
arithmetic up to rounding: chaotic and diverged cells apart).

Needs gcc and glibc's libmvec (x86-64); says so and stops otherwise.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sweep import STEPS, best_of, floor_seconds, plane_data
from threadpoolctl import threadpool_limits

from dashboard.settings import LEARNING_RATES, REGULARIZATIONS
from softmax_engine.sweep import chaotic_cells, initial_weights, sweep

SOURCE = Path(__file__).with_name("fused_softmax.c")
FLAGS = ["-O3", "-march=native", "-mprefer-vector-width=512", "-fno-math-errno",
         "-fopenmp-simd", "-shared", "-fPIC"]


def compile_kernel(folder):
    """The compiled library, or None with the reason printed."""
    if shutil.which("gcc") is None:
        print("gcc not found: the design study needs a C compiler.")
        return None
    library = Path(folder) / "fused_softmax.so"
    done = subprocess.run(["gcc", *FLAGS, str(SOURCE), "-o", str(library), "-lmvec", "-lm"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        print("gcc failed:\n" + done.stderr[-2000:])
        return None
    lib = ctypes.CDLL(str(library))
    pointer, size = ctypes.c_void_p, ctypes.c_long
    lib.fused_softmax.argtypes = [pointer, pointer, size, size, size, pointer, pointer, pointer]
    lib.fused_softmax.restype = None
    lib.sgd_step.argtypes = [pointer, pointer, pointer, pointer, size, size, size]
    lib.sgd_step.restype = None
    return lib


def fused_plane(lib, X, y, Xv, yv, lrs, regs, steps):
    """Full-batch gradient descent of every (lr, reg) cell, recorded as ``sweep``'s 'auto'
    (train loss and hits, validation loss and hits at <= 101 steps). Returns W (G, C, D+1)."""
    C, (N, D) = 3, X.shape
    G = len(lrs) * len(regs)
    lr = np.ascontiguousarray(np.repeat(lrs, len(regs)))
    two_reg = np.ascontiguousarray(2.0 * np.tile(regs, len(lrs)))
    W0, b0 = initial_weights(D, C, random_state=0)
    theta = np.empty((G, C, D + 1))
    theta[:, :, :D], theta[:, :, D] = W0.T, b0

    def data(X_, y_):
        X1 = np.hstack([X_, np.ones((len(X_), 1))])
        onehot_mean = np.zeros((C, len(X_)))
        onehot_mean[y_, np.arange(len(X_))] = 1.0 / len(X_)
        return X1, np.ascontiguousarray(X1.T), onehot_mean

    X1, X1T, onehot_mean = data(X, y)
    _, V1T, val_onehot_mean = data(Xv, yv)
    S, grad = np.empty((G, C, N)), np.empty((G, C, D + 1))
    SV = np.empty((G, C, len(Xv)))
    loss, val_loss = np.empty(G), np.empty(G)
    hits, val_hits = np.empty(G, dtype=np.int64), np.empty(G, dtype=np.int64)
    work = np.empty(2 * max(N, len(Xv)))
    every = -(-steps // 100)
    # ctypes pointers made once: converting 13 arrays every step costs ~4 % of the plane
    P = {name: value.ctypes.data_as(ctypes.c_void_p) for name, value in dict(
        S=S, SV=SV, theta=theta, grad=grad, lr=lr, two_reg=two_reg, loss=loss, hits=hits,
        val_loss=val_loss, val_hits=val_hits, work=work, onehot_mean=onehot_mean,
        val_onehot_mean=val_onehot_mean).items()}
    theta2, S2, grad2, SV2 = (a.reshape(G * C, -1) for a in (theta, S, grad, SV))
    W = theta[:, :, :D]
    records = []
    for k in range(steps + 1):
        np.matmul(theta2, X1T, out=S2)
        record = k % every == 0 or k == steps
        lib.fused_softmax(P["S"], P["onehot_mean"], G, C, N, P["loss"], P["work"],
                          P["hits"] if record else None)
        if record:
            np.matmul(theta2, V1T, out=SV2)
            lib.fused_softmax(P["SV"], P["val_onehot_mean"], G, C, len(Xv), P["val_loss"],
                              P["work"], P["val_hits"])
            reg_loss = 0.5 * two_reg * np.einsum("gcd,gcd->g", W, W)
            records.append((k, loss + reg_loss, hits.copy(), val_loss.copy(), val_hits.copy()))
        if k == steps:
            break
        np.matmul(S2, X1, out=grad2)
        lib.sgd_step(P["theta"], P["grad"], P["lr"], P["two_reg"], G, C, D + 1)
    return theta, records


def main():
    lrs, regs = np.asarray(LEARNING_RATES), np.asarray(REGULARIZATIONS)
    G = len(lrs) * len(regs)
    X, y, Xv, yv = plane_data()
    N, D = X.shape
    with tempfile.TemporaryDirectory() as folder:
        lib = compile_kernel(folder)
        if lib is None:
            return
        kwargs = dict(steps=STEPS, random_state=0, max_loss_ratio=None, record_every="auto")
        with threadpool_limits(limits=1, user_api="blas"), np.errstate(all="ignore"):
            fused_plane(lib, X, y, Xv, yv, lrs[:2], regs[:2], 5)  # warm up
            fused, (theta, _) = best_of(
                lambda: fused_plane(lib, X, y, Xv, yv, lrs, regs, STEPS), 3)
            floor = min(floor_seconds(G, 3, N, D + 1, STEPS) for _ in range(3))
        swept, result = best_of(lambda: sweep(X, y, lrs, regs, X_val=Xv, y_val=yv, **kwargs), 3)
        chaotic = chaotic_cells(X, y, lrs, regs, **kwargs)
    W_sweep = np.concatenate(
        [np.swapaxes(result.W, 2, 3), result.b[..., None]], axis=3).reshape(G, 3, D + 1)
    same = ~(result.diverged.reshape(G) | chaotic.reshape(G) | ~np.isfinite(theta).all((1, 2)))
    scale = np.abs(W_sweep[same]).max(axis=(1, 2))
    gap = (np.abs(theta[same] - W_sweep[same]).max(axis=(1, 2)) / scale).max()
    print(f"Plane: {G} models x {STEPS} steps, spiral N = {N}, RBF D = {D}, C = 3, full-batch "
          f"GD, record 'auto'; numpy {np.__version__}; gcc {' '.join(FLAGS)}")
    print()
    print("| trainer | seconds | ÷ floor |")
    print("| --- | --- | --- |")
    print(f"| floor: the two products and the exponentials alone | {floor:.3f} | 1.00× |")
    print(f"| engine's sweep (numpy) | {swept:.3f} | {swept / floor:.2f}× |")
    print(f"| compiled softmax passes and update, numpy products | {fused:.3f} | "
          f"{fused / floor:.2f}× |")
    print()
    print(f"Weights against the sweep's, {int(same.sum())} cells neither diverged nor chaotic: "
          f"largest relative difference {gap:.1e}")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.0f} s)")
