"""Private numerical helpers shared by more than one pillar."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["gram_and_column_sums", "flip_signs_by_max_abs"]

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


def flip_signs_by_max_abs(rows: np.ndarray, *others: np.ndarray):
    """Make the largest-|entry| of each row of ``rows`` positive (first index on ties).

    ``others`` are flipped by the same signs along their last axis (e.g. the matching
    columns of U in an SVD). This is the deterministic sign convention scikit-learn's
    PCA uses (``svd_flip(u_based_decision=False)``). Returns the flipped arrays.
    """
    if rows.size == 0:
        return (rows, *others)
    pivots = np.argmax(np.abs(rows), axis=1)
    signs = np.sign(rows[np.arange(rows.shape[0]), pivots])
    signs[signs == 0] = 1.0
    flipped = [rows * signs[:, None]] + [o * signs for o in others]
    return tuple(flipped)
