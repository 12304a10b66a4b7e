"""The sample summary every t and z test starts from: n, mean and root sum of squares.

A test needs, per sample, its size ``n``, its mean ``xbar`` and
``rss = sqrt(M2)`` with ``M2 = sum_i (x_i - xbar)^2``. ``M2`` is computed by the
corrected two-pass algorithm (Chan, Golub and LeVeque 1983, eq. 1.7): a first pass
for the mean, a second for the deviations ``d_i = x_i - xbar``, and
``M2 = sum d_i^2 - (sum d_i)^2 / n``, where ``sum d_i`` (zero in exact arithmetic)
measures and removes the rounding error of the first mean. Both passes sum in
blocks of ``BLOCK`` values, which bounds the error growth like pairwise summation
and lets the compiler keep several partial sums in flight (``fastmath`` is
restricted to reassociation, so NaN and inf still propagate).

Working with ``rss`` rather than ``M2`` keeps every later formula finite: where
``M2`` would overflow (data near 1e200) or its squares underflow (data near
1e-200), the moments are recomputed on ``x / s`` with ``s`` a power of two (an
exact division) and ``rss = s sqrt(M2(x / s))``.

References
----------
Chan, T. F., Golub, G. H. and LeVeque, R. J. (1983). Algorithms for computing the
sample variance: analysis and recommendations. *The American Statistician* 37(3),
242-247.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .._validation import as_vector, check_finite

__all__ = ["BLOCK", "mean_and_m2", "as_sample", "mean_and_rss"]

BLOCK = 2048

# Below this M2, squared deviations may have underflowed: recompute on scaled data.
_M2_FLOOR = float(np.finfo(np.float64).tiny / np.finfo(np.float64).eps)


@njit(cache=True, fastmath={"reassoc"})
def mean_and_m2(x):
    """Mean and ``M2 = sum (x_i - mean)^2`` of a float64 vector by the corrected two-pass sums."""
    n = x.shape[0]
    total = 0.0
    for start in range(0, n, BLOCK):
        partial = 0.0
        for i in range(start, min(start + BLOCK, n)):
            partial += x[i]
        total += partial
    mean = total / n
    s1 = 0.0
    s2 = 0.0
    for start in range(0, n, BLOCK):
        p1 = 0.0
        p2 = 0.0
        for i in range(start, min(start + BLOCK, n)):
            d = x[i] - mean
            p1 += d
            p2 += d * d
        s1 += p1
        s2 += p2
    return mean + s1 / n, s2 - s1 * s1 / n


def as_sample(x, name: str) -> np.ndarray:
    """A non-empty 1-D float64 C-contiguous array (NaN is caught later, by ``mean_and_rss``).

    Lists and float64 arrays, the common inputs, take a short path; anything else
    (strings, complex, sparse, ragged) goes through ``as_vector`` for its messages.
    """
    if type(x) is np.ndarray and x.dtype == np.float64:
        arr = x
    elif type(x) is list:
        try:
            arr = np.array(x, dtype=np.float64)
        except (TypeError, ValueError):
            arr = as_vector(x, name, finite=False)
    else:
        arr = as_vector(x, name, finite=False)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got an array of shape {arr.shape}")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty; a test needs observations")
    if not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr)
    return arr


def mean_and_rss(x: np.ndarray, name: str) -> tuple[float, float]:
    """``(mean, sqrt(M2))`` of a sample from ``as_sample``; NaN or inf raise ``ValueError``.

    A sum is finite only if every term is, so one look at the results replaces a
    separate pass over ``x`` for finiteness.
    """
    mean, m2 = mean_and_m2(x)
    if m2 >= _M2_FLOOR and m2 < math.inf and math.isfinite(mean):
        return mean, math.sqrt(m2)
    check_finite(x, name)
    # finite data: M2 overflowed or underflowed (or is exactly zero); rescale by 2^k
    _, exponent = math.frexp(float(np.max(np.abs(x))))
    s = math.ldexp(1.0, exponent - 1)  # |x / s| < 2; 2^exponent itself may overflow
    mean, m2 = mean_and_m2(x / s)
    return mean * s, math.sqrt(max(m2, 0.0)) * s
