"""Triangular solves (forward and back substitution), shared by LU, Cholesky and QR.

Four numba kernels solve ``T X = B`` or ``T^T X = B`` in place for a lower or an
upper triangular block of ``T``; :func:`solve_triangular` runs them block by block
so that all but O(n^2 nb) of the work is a matrix product done by BLAS (the
right-looking blocked substitution of Golub & Van Loan, section 3.1.4).

Every kernel works on ``T[r0:r1, r0:r1]`` and ``B[r0:r1, c0:c1]`` of float64
C-contiguous arrays and walks along rows of ``B``, which are contiguous. ``T`` and
``B`` may be the same array when the two regions do not overlap (the LU driver
uses this to form the block row of U).

Private: inputs are trusted, a zero on the diagonal divides by zero.

References
----------
Golub, G. H. and Van Loan, C. F. (2013). *Matrix Computations*, 4th ed., Johns
Hopkins, Algorithms 3.1.1-3.1.4.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = [
    "solve_triangular",
    "lower_solve",
    "upper_solve",
    "lower_transpose_solve",
    "upper_transpose_solve",
    "as_columns",
]

_BLOCK = 64


@njit(cache=True)
def lower_solve(T, B, r0, r1, c0, c1, unit):
    """Forward substitution: x_i = (b_i - sum_{k<i} t_ik x_k) / t_ii."""
    if c1 - c0 == 1:  # one column: the sum as a dot product along row i of T
        for i in range(r0, r1):
            s = B[i, c0]
            for k in range(r0, i):
                s -= T[i, k] * B[k, c0]
            B[i, c0] = s if unit else s / T[i, i]
        return
    for i in range(r0, r1):
        for k in range(r0, i):
            t = T[i, k]
            if t != 0.0:
                for c in range(c0, c1):
                    B[i, c] -= t * B[k, c]
        if not unit:
            d = T[i, i]
            for c in range(c0, c1):
                B[i, c] /= d


@njit(cache=True)
def upper_solve(T, B, r0, r1, c0, c1, unit):
    """Back substitution: x_i = (b_i - sum_{k>i} t_ik x_k) / t_ii."""
    if c1 - c0 == 1:
        for i in range(r1 - 1, r0 - 1, -1):
            s = B[i, c0]
            for k in range(i + 1, r1):
                s -= T[i, k] * B[k, c0]
            B[i, c0] = s if unit else s / T[i, i]
        return
    for i in range(r1 - 1, r0 - 1, -1):
        for k in range(i + 1, r1):
            t = T[i, k]
            if t != 0.0:
                for c in range(c0, c1):
                    B[i, c] -= t * B[k, c]
        if not unit:
            d = T[i, i]
            for c in range(c0, c1):
                B[i, c] /= d


@njit(cache=True)
def lower_transpose_solve(T, B, r0, r1, c0, c1, unit):
    """Solve T^T X = B for lower T: T^T is upper, so substitute backwards.

    Column-oriented: once x_k is known its share t_ki x_k leaves every b_i, i < k;
    this reads row k of T, which is contiguous.
    """
    for k in range(r1 - 1, r0 - 1, -1):
        if not unit:
            d = T[k, k]
            for c in range(c0, c1):
                B[k, c] /= d
        for i in range(r0, k):
            t = T[k, i]
            if t != 0.0:
                for c in range(c0, c1):
                    B[i, c] -= t * B[k, c]


@njit(cache=True)
def upper_transpose_solve(T, B, r0, r1, c0, c1, unit):
    """Solve T^T X = B for upper T: T^T is lower, so substitute forwards."""
    for k in range(r0, r1):
        if not unit:
            d = T[k, k]
            for c in range(c0, c1):
                B[k, c] /= d
        for i in range(k + 1, r1):
            t = T[k, i]
            if t != 0.0:
                for c in range(c0, c1):
                    B[i, c] -= t * B[k, c]


def solve_triangular(T, B, *, lower, trans=False, unit=False):
    """Overwrite ``B`` (n, k) with ``op(T)^{-1} B``; ``op`` is identity or transpose.

    Only the named triangle of ``T`` (n, n) is read; with ``unit`` its diagonal is
    taken to be ones. Blocks of ``_BLOCK`` rows are solved by a kernel, and the rest
    of ``B`` is updated with one BLAS product per block.
    """
    n, k = B.shape
    if n == 0 or k == 0:
        return B
    starts = list(range(0, n, _BLOCK))
    # op(T) lower (lower and not trans, or upper and trans): sweep blocks forwards
    forwards = lower != trans
    for j0 in starts if forwards else reversed(starts):
        j1 = min(j0 + _BLOCK, n)
        if lower and not trans:
            lower_solve(T, B, j0, j1, 0, k, unit)
            if j1 < n:
                B[j1:] -= T[j1:, j0:j1] @ B[j0:j1]
        elif not lower and not trans:
            upper_solve(T, B, j0, j1, 0, k, unit)
            if j0 > 0:
                B[:j0] -= T[:j0, j0:j1] @ B[j0:j1]
        elif lower and trans:
            lower_transpose_solve(T, B, j0, j1, 0, k, unit)
            if j0 > 0:
                B[:j0] -= T[j0:j1, :j0].T @ B[j0:j1]
        else:
            upper_transpose_solve(T, B, j0, j1, 0, k, unit)
            if j1 < n:
                B[j1:] -= T[j0:j1, j1:].T @ B[j0:j1]
    return B


def as_columns(b: np.ndarray) -> np.ndarray:
    """A fresh C-contiguous float64 (n, k) copy of ``b`` ((n,) becomes (n, 1))."""
    cols = b[:, None] if b.ndim == 1 else b
    return np.array(cols, dtype=np.float64, order="C", copy=True)
