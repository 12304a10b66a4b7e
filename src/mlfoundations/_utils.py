"""Private numerical helpers shared by more than one pillar."""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["gram_and_column_sums", "max_abs_signs", "power_of_two_exponent", "single_threaded_blas"]

# Below this many rows a single BLAS call beats the cost of starting threads.
_ROWS_PER_THREAD = 20_000
# ~8 MB blocks keep each block's column sums in cache right after its Gram product.
_BLOCK_BYTES = 2**23
_CONTROLLER = False  # threadpoolctl controller, created on first use


def _blas_controller():
    """A cached threadpoolctl controller (None when threadpoolctl is unavailable)."""
    global _CONTROLLER
    if _CONTROLLER is False:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - a core dependency, but stay usable
            _CONTROLLER = None
        else:
            _CONTROLLER = ThreadpoolController()
    return _CONTROLLER


def single_threaded_blas():
    """Context manager limiting BLAS to one thread (a no-op without threadpoolctl).

    OpenBLAS threads spin for a while after each multi-threaded call; a small
    LAPACK call (an eigh of the p x p Gram matrix, say) run between two big products
    is cheaper on one thread than the spinning it leaves behind.
    """
    controller = _blas_controller()
    if controller is None:  # pragma: no cover
        return contextlib.nullcontext()
    return controller.limit(limits=1, user_api="blas")


def _gram_rows(X: np.ndarray, start: int, stop: int, block_rows: int, shift):
    """(X_r^T X_r, X_r^T 1) over the rows r in [start, stop) of X - shift, block by block."""
    n_features = X.shape[1]
    gram = np.zeros((n_features, n_features))
    sums = np.zeros(n_features)
    # non-finite results are the caller's to detect (a cheap check on the Gram matrix)
    # one scratch block per call: a fresh allocation per block costs page faults
    buffer = None if shift is None else np.empty((min(block_rows, stop - start), n_features))
    with np.errstate(over="ignore", invalid="ignore"):
        for lo in range(start, stop, block_rows):
            block = X[lo:min(lo + block_rows, stop)]
            if shift is not None:
                block = np.subtract(block, shift, out=buffer[: block.shape[0]])
            gram += block.T @ block
            sums += block.sum(axis=0)  # the block is still in cache
    return gram, sums


def gram_and_column_sums(X: np.ndarray, n_threads: int | None = None, shift=None):
    """Return ``(X^T X, X^T 1)`` for a tall float64 matrix in one pass over X.

    With ``shift`` (a row vector), the same for X - shift, block by block, so that
    memory stays O(block * n_features): the centred scatter matrix when shift is the
    mean.

    X^T X = sum_c X_c^T X_c over row chunks X_c. The rows are split into one
    contiguous chunk per core; each core runs single-threaded BLAS on its chunk, block
    by block, and sums each block's columns while the block is still in cache. On a
    tall-skinny matrix this reads X once and beats one multi-threaded BLAS call (which
    splits the small output rather than the long input) followed by a second pass for
    the sums.
    """
    n_samples, n_features = X.shape
    if n_threads is None:
        n_threads = os.cpu_count() or 1
    n_threads = max(1, min(n_threads, n_samples // _ROWS_PER_THREAD))
    block_rows = max(1024, _BLOCK_BYTES // (8 * max(n_features, 1)))
    if n_threads == 1 or _blas_controller() is None:
        return _gram_rows(X, 0, n_samples, block_rows, shift)
    bounds = np.linspace(0, n_samples, n_threads + 1).astype(int)
    ranges = list(zip(bounds[:-1], bounds[1:]))
    # one BLAS thread per worker: nested BLAS threads would oversubscribe the cores
    with single_threaded_blas(), ThreadPoolExecutor(n_threads) as pool:
        parts = list(pool.map(lambda r: _gram_rows(X, r[0], r[1], block_rows, shift), ranges))
    gram, sums = parts[0]
    for g, s in parts[1:]:
        gram += g
        sums += s
    return gram, sums


def max_abs_signs(M: np.ndarray, axis: int) -> np.ndarray:
    """Signs (+1/-1) that make the largest-|entry| along ``axis`` of M positive.

    One sign per vector (column for ``axis=0``, row for ``axis=1``); the first index
    wins ties and a zero vector keeps +1. This is the deterministic sign convention of
    every decomposition in the library and of scikit-learn's PCA
    (``svd_flip(u_based_decision=False)`` on the rows of V^T).
    """
    if M.size == 0:
        return np.ones(M.shape[1 - axis])
    largest = np.argmax(np.abs(M), axis=axis)
    picked = np.take_along_axis(M, np.expand_dims(largest, axis), axis=axis).squeeze(axis)
    return np.where(picked < 0.0, -1.0, 1.0)


def power_of_two_exponent(a_max: float) -> int:
    """Exponent p with a_max = f 2^p, f in [0.5, 1) (0 for a_max = 0).

    Dividing a matrix by 2^p (``np.ldexp(A, -p)``) is exact in floating point: the
    decompositions scale by it so that no intermediate overflows or underflows.
    """
    return int(np.frexp(a_max)[1])
