"""Private numerical helpers shared by more than one pillar."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["gram_and_column_sums", "max_abs_signs"]

# Below this many rows a single BLAS call beats the cost of starting threads.
_ROWS_PER_THREAD = 20_000


def _gram_chunk(X: np.ndarray, rows: slice) -> tuple[np.ndarray, np.ndarray]:
    block = X[rows]
    # non-finite results are the caller's to detect (a cheap check on the Gram matrix)
    with np.errstate(over="ignore", invalid="ignore"):
        return block.T @ block, block.sum(axis=0)


def gram_and_column_sums(X: np.ndarray, n_threads: int | None = None):
    """Return ``(X^T X, X^T 1)`` for a tall float64 matrix in one pass over X.

    The rows are split into contiguous chunks, one per core, and each chunk's Gram
    matrix is one BLAS call in its own thread (BLAS releases the GIL); the partial
    results add up: X^T X = sum_c X_c^T X_c. On a tall-skinny matrix this runs about
    twice as fast as a single BLAS call, which parallelises poorly in that shape.
    """
    n_samples = X.shape[0]
    if n_threads is None:
        n_threads = os.cpu_count() or 1
    n_threads = max(1, min(n_threads, n_samples // _ROWS_PER_THREAD))
    if n_threads == 1:
        return _gram_chunk(X, slice(None))
    bounds = np.linspace(0, n_samples, n_threads + 1).astype(int)
    slices = [slice(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:])]
    with ThreadPoolExecutor(n_threads) as pool:
        parts = list(pool.map(lambda s: _gram_chunk(X, s), slices))
    gram = parts[0][0]
    sums = parts[0][1]
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
