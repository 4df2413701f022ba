"""The BLAS thread cap the training loops run under."""

import numpy as np
from threadpoolctl import threadpool_info

from softmax_engine._threads import one_blas_thread


def blas_threads():
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_every_blas_is_capped_inside_and_restored_after():
    np.ones((4, 4)) @ np.ones((4, 4))  # numpy's BLAS is loaded
    before = blas_threads()
    with one_blas_thread():
        inside = blas_threads()
    assert inside and all(n == 1 for n in inside)
    assert blas_threads() == before
