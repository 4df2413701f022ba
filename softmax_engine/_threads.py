"""BLAS thread limits for the engine's training loops.

numpy's and scipy's OpenBLAS each run their own thread pool. A loop that alternates
between them (L-BFGS: scipy's line search, numpy's objective) makes the idle pools spin
against each other, and on a 2-core server that made L-BFGS 20-40x slower; small
products such as the sweep's are also fastest on one thread. The training loops
therefore run inside :func:`one_blas_thread`.

This is the engine's internal helper module: its function is public within it.
"""

from __future__ import annotations

from threadpoolctl import ThreadpoolController

__all__ = ["one_blas_thread"]

_CONTROLLER = None  # made on first use: scanning the loaded libraries takes milliseconds


def one_blas_thread():
    """Context manager limiting every loaded BLAS (numpy's and scipy's OpenBLAS) to 1 thread.

    Examples
    --------
    >>> import numpy as np
    >>> with one_blas_thread():
    ...     float(np.ones((2, 3)) @ np.ones(3) @ np.ones(2))
    6.0
    """
    global _CONTROLLER
    if _CONTROLLER is None:
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")
