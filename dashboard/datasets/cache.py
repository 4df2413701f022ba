"""The Datasets page's Streamlit cache around its pure glue (``dashboard.datasets.compute``).

``st.cache_resource``: a cached run is returned as the same object on every rerun. It is
keyed on the data's content hash, never on a name, so one session's upload is served to
another session only if that session holds exactly the same data. Bounded: a lecture
hall switching datasets must not grow the server's memory without limit.
"""

from __future__ import annotations

import streamlit as st

from dashboard.datasets import compute
from softmax_engine import Dataset

MAX_CACHED_RUNS = 16


@st.cache_resource(max_entries=MAX_CACHED_RUNS, show_spinner="Training…")
def _trained(data_hash: str, options: compute.DatasetOptions, _dataset: Dataset):
    return compute.train_on_dataset(_dataset, options)


def trained_run(dataset: Dataset, options: compute.DatasetOptions) -> compute.DatasetsRun:
    """``compute.train_on_dataset(dataset, options)``, trained once per data and options.

    Parameters
    ----------
    dataset : Dataset
        ``X`` (N, D), ``y`` (N,).
    options : DatasetOptions

    Returns
    -------
    DatasetsRun
        Shared by every rerun and session with the same data and options: read-only.
    """
    return _trained(compute.content_hash(dataset), options, dataset)
