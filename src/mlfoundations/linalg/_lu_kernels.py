"""Compiled loops of the LU factorisation (see :mod:`mlfoundations.linalg.lu`).

``lu_panel`` eliminates one panel of columns with partial pivoting; the two
vector solves are the substitutions the condition estimate calls repeatedly.
All work on float64 C-contiguous arrays and trust their inputs.

References
----------
Golub, G. H. and Van Loan, C. F. (2013). *Matrix Computations*, 4th ed., Johns
Hopkins, Algorithms 3.1.1, 3.1.2 and 3.4.1.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["lu_panel", "lu_solve_vector", "lu_solve_transpose_vector"]


@njit(cache=True)
def lu_panel(A, perm, j0, j1):
    """Eliminate below the diagonal in columns j0..j1-1, pivoting on the largest entry.

    Row swaps are applied to whole rows (so to the finished part of L and to the
    not yet updated columns right of the panel alike); the rank-one updates stay
    inside the panel, the driver updates the rest with BLAS.
    """
    m, n = A.shape
    for k in range(j0, j1):
        p = k
        biggest = abs(A[k, k])
        for i in range(k + 1, m):
            a = abs(A[i, k])
            if a > biggest:
                biggest = a
                p = i
        if p != k:
            for c in range(n):
                tmp = A[k, c]
                A[k, c] = A[p, c]
                A[p, c] = tmp
            tmp_index = perm[k]
            perm[k] = perm[p]
            perm[p] = tmp_index
        pivot = A[k, k]
        if pivot == 0.0:
            continue  # the whole column is zero: nothing to eliminate, l_ik = 0
        for i in range(k + 1, m):
            l_ik = A[i, k] / pivot
            A[i, k] = l_ik
            if l_ik != 0.0:
                for c in range(k + 1, j1):
                    A[i, c] -= l_ik * A[k, c]


@njit(cache=True)
def lu_solve_vector(LU, perm, b):
    """x = A^{-1} b for one vector: y = L^{-1} b[perm], then x = U^{-1} y.

    Both substitutions are dot products along rows of LU (contiguous), one
    compiled call instead of a blocked solve: the condition estimate needs many.
    """
    n = LU.shape[0]
    x = np.empty(n)
    for i in range(n):
        s = b[perm[i]]
        for k in range(i):
            s -= LU[i, k] * x[k]
        x[i] = s
    for i in range(n - 1, -1, -1):
        s = x[i]
        for k in range(i + 1, n):
            s -= LU[i, k] * x[k]
        x[i] = s / LU[i, i]
    return x


@njit(cache=True)
def lu_solve_transpose_vector(LU, perm, b):
    """x = A^{-T} b: A^T = U^T L^T P^T, so U^T y = b, L^T z = y, x[perm] = z.

    Column-oriented substitution: once y_k is known, y_k times row k of U (the
    k-th column of U^T) leaves the remaining right-hand side.
    """
    n = LU.shape[0]
    z = b.copy()
    for k in range(n):
        z[k] /= LU[k, k]
        for i in range(k + 1, n):
            z[i] -= LU[k, i] * z[k]
    for k in range(n - 1, -1, -1):
        for i in range(k):
            z[i] -= LU[k, i] * z[k]
    x = np.empty(n)
    for i in range(n):
        x[perm[i]] = z[i]
    return x
