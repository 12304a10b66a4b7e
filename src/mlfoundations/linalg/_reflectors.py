"""Householder reflectors and Givens rotations: the two orthogonal building blocks.

Every decomposition in this package (QR, tridiagonal and Hessenberg reduction,
bidiagonalisation, the QR iterations) is a sequence of these, so they are written
once here and compiled with numba.

References: Golub & Van Loan, *Matrix Computations*, 4th ed., Algorithms 5.1.1
(house), 5.1.3 (givens).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = [
    "householder",
    "apply_householder_left",
    "apply_householder_right",
    "givens",
]


@njit(cache=True)
def householder(x):
    """Reflector H = I - beta v v^T with H x = alpha e_1 and v[0] = 1.

    alpha = -sign(x_0) ||x|| so that v_0 = x_0 - alpha never cancels.
    Returns ``(v, beta, alpha)``; ``beta = 0`` when x is already a multiple of e_1
    with the right sign (H = I).
    """
    n = x.shape[0]
    v = np.empty(n)
    v[0] = 1.0
    if n == 0:
        return v, 0.0, 0.0
    # ||x[1:]|| on the tail's own scale: a tail far below x[0] must not underflow
    tail_scale = 0.0
    for i in range(1, n):
        tail_scale = max(tail_scale, abs(x[i]))
    if tail_scale == 0.0:
        for i in range(1, n):
            v[i] = 0.0
        if x[0] >= 0.0:
            return v, 0.0, x[0]
        return v, 2.0, -x[0]  # H = I - 2 e1 e1^T flips the sign
    sigma = 0.0
    for i in range(1, n):
        sigma += (x[i] / tail_scale) ** 2
    tail_norm = tail_scale * np.sqrt(sigma)
    mu = np.hypot(x[0], tail_norm)  # ||x||, without overflow
    alpha = -mu if x[0] >= 0.0 else mu
    v0 = x[0] - alpha  # = sign(x0) (|x0| + mu): no cancellation
    for i in range(1, n):
        v[i] = x[i] / v0
    # beta = 2 v0^2 / (v0^2 + ||tail||^2), with ratio = ||tail|| / |v0| <= 1
    ratio = tail_norm / abs(v0)
    beta = 2.0 / (1.0 + ratio * ratio)
    return v, beta, alpha


@njit(cache=True)
def apply_householder_left(A, v, beta, r0, c0, c1):
    """A[r0:r0+len(v), c0:c1] <- (I - beta v v^T) A[r0:r0+len(v), c0:c1], in place."""
    if beta == 0.0:
        return
    m = v.shape[0]
    # w = beta v^T A, then A -= v w^T; both sweeps run along contiguous row views
    # (plain slices let numba vectorise the inner loops)
    w = np.zeros(c1 - c0)
    for i in range(m):
        vi = v[i]
        row = A[r0 + i, c0:c1]
        for j in range(c1 - c0):
            w[j] += vi * row[j]
    for i in range(m):
        f = beta * v[i]
        row = A[r0 + i, c0:c1]
        for j in range(c1 - c0):
            row[j] -= f * w[j]


@njit(cache=True)
def apply_householder_right(A, v, beta, r0, r1, c0):
    """A[r0:r1, c0:c0+len(v)] <- A[r0:r1, c0:c0+len(v)] (I - beta v v^T), in place."""
    if beta == 0.0:
        return
    m = v.shape[0]
    for i in range(r0, r1):
        row = A[i, c0:c0 + m]
        s = 0.0
        for k in range(m):
            s += row[k] * v[k]
        s *= beta
        for k in range(m):
            row[k] -= s * v[k]


@njit(cache=True)
def givens(a, b):
    """Rotation (c, s, r) with [[c, s], [-s, c]] @ [a, b] = [r, 0] and r = hypot(a, b)."""
    if b == 0.0:
        return 1.0, 0.0, a
    r = np.hypot(a, b)
    return a / r, b / r, r
