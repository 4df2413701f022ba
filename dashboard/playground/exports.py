"""Downloads of a Playground run: weights (JSON, .npz), history (CSV), dataset (CSV).

Pure functions returning bytes or text, so they are tested without a server. The .npz
holds plain float arrays (``np.savez``): loading it never needs ``allow_pickle``.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np


def weights_json(run, k):
    """W, b and dW at recorded step index ``k`` with their names, as JSON text."""
    W, b, dW = run.weights_at(k)
    payload = {
        "format": "softmax-playground weights v1",
        "step": int(run.history.step[k]),
        "shapes": {"W": list(W.shape), "b": list(b.shape)},
        "features": list(run.feature_names),
        "classes": list(run.data.class_names),
        "W": W.tolist(),
        "b": b.tolist(),
        "dW": dW.tolist(),
        "settings": {
            name: value for name, value in vars(run.settings).items() if name != "presenter"
        },
        "model": "q = softmax(phi(x) @ W + b); phi = the feature map named in settings",
    }
    return json.dumps(payload, indent=1, allow_nan=False)


def weights_npz(run, k):
    """W, b, dW and names at recorded step index ``k`` as an .npz archive (bytes)."""
    W, b, dW = run.weights_at(k)
    buf = io.BytesIO()
    np.savez(
        buf,
        W=W,
        b=b,
        dW=dW,
        step=np.int64(run.history.step[k]),
        features=np.array(run.feature_names, dtype=str),
        classes=np.array(run.data.class_names, dtype=str),
    )
    return buf.getvalue()


def history_csv(run):
    """One line per recorded step: losses, accuracies, gradient norm."""
    return run.history.to_csv()


def dataset_csv(run):
    """The 2-D points the Playground trained on, with their labels (loadable by load_csv)."""
    return run.data.to_csv()


def dataset_file_name(run):
    """A safe download name for the run's dataset ("my data.csv" -> "my_data.csv")."""
    name = str(run.data.name)
    stem = name[:-4] if name.lower().endswith(".csv") else name
    return (re.sub(r"[^\w.-]+", "_", stem).strip("._")[:60] or "data") + ".csv"
