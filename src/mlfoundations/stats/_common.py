"""Private helpers of :mod:`.descriptive`, :mod:`.quantiles` and :mod:`.moments`.

Two things every statistic of a sample needs. First, validation at the public
boundary: the sample ``x`` (non-empty, float64, finite), its reduction axes and
``ddof``. Second, the central sums ``M_k = sum_i (x_i - xbar)^k`` (k = 2, 3, 4) by
the corrected two-pass algorithm, with a power-of-two rescaling that keeps them
from overflowing or underflowing; variance, skewness, kurtosis, ``describe`` and
``RunningMoments`` are ratios of them. Callers validate; these helpers trust them.

References
----------
Chan, T. F., Golub, G. H. and LeVeque, R. J. (1983). Algorithms for computing the
sample variance: analysis and recommendations. *The American Statistician* 37(3),
242-247.
Joanes, D. N. and Gill, C. A. (1998). Comparing measures of sample skewness and
kurtosis. *Journal of the Royal Statistical Society D* 47(1), 183-189.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import as_float_array, check_finite, check_int


# ------------------------------------------------------------------ sample and axes


def _reduction_axes(axis, ndim: int) -> tuple[int, ...]:
    """Normalise ``axis`` (None, an int or a tuple of ints) to a sorted tuple."""
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, tuple) else (axis,)
    normalized = []
    for a in axes:
        a = check_int(a, "axis")
        if not -ndim <= a < ndim:
            raise ValueError(f"axis {a} is out of bounds for x with {ndim} dimension(s)")
        normalized.append(a % ndim)
    if len(set(normalized)) != len(normalized):
        raise ValueError(f"axis {axis} contains a repeated axis")
    return tuple(sorted(normalized))


def _sample(x, axis, *, finite: bool = False):
    """Validate ``x`` and ``axis``; return the array, the axes and the count ``n``.

    Finiteness is left to the callers that sum (``finite=False``): a sum is finite
    exactly when no term is NaN or inf (or it overflowed), so they check its result
    instead of making a separate pass over ``x``.
    """
    x = as_float_array(x, "x", finite=finite)
    if x.size == 0:
        raise ValueError(f"x is empty (shape {x.shape}); at least one observation is needed")
    axes = _reduction_axes(axis, x.ndim)
    if x.ndim == 0:  # one observation; as a 1-D array so that x - mu stays an array
        x, axes = x.reshape(1), (0,)
    n = math.prod(x.shape[a] for a in axes)
    return x, axes, n


def _check_ddof(ddof, n: int) -> int:
    ddof = check_int(ddof, "ddof", minimum=0)
    if ddof >= n:
        raise ValueError(
            f"ddof={ddof} must be smaller than the number of observations n={n} "
            "(the divisor n - ddof would be <= 0)"
        )
    return ddof


def _output(a):
    """A 0-d result becomes a Python float; anything else stays an array."""
    a = np.asarray(a)
    return float(a) if a.ndim == 0 else a


# ------------------------------------------------------------------- central sums

# A sum of squares below tiny / eps may have lost terms to underflow; an infinite
# one has overflowed. Either is recomputed on x / 2^k.
_SUM_OF_SQUARES_FLOOR = np.finfo(np.float64).tiny / np.finfo(np.float64).eps


def _power_of_two_scale(x, axes):
    """The power of two ``s`` with ``1 <= max |x| / s < 2`` over ``axes`` (kept, length 1).

    Dividing by a power of two is exact, so ``x / s`` carries every digit of ``x``
    while its sums of squares and fourth powers can no longer overflow. (All-zero
    slices get ``s = 1/2``.)
    """
    largest = np.max(np.abs(x), axis=axes, keepdims=True)
    _, exponent = np.frexp(largest)  # largest = m 2^e with m in [0.5, 1)
    return np.ldexp(1.0, exponent - 1)  # 2^(e-1) <= largest; 2^e may overflow


def _sum_of_squared_deviations(x, axes, n):
    """``M2 = sum (x_i - xbar)^2`` by the corrected two-pass algorithm.

    With ``mu = sum x_i / n`` and ``d_i = x_i - mu``, ``sum d_i`` is zero in exact
    arithmetic; in floating point it measures the error of ``mu``, and
    ``M2 = sum d_i^2 - (sum d_i)^2 / n`` removes its effect (Chan, Golub and LeVeque
    1983). The result keeps the reduced axes with length 1.
    """
    mu = np.sum(x, axis=axes, keepdims=True) / n
    d = x - mu
    s1 = np.sum(d, axis=axes, keepdims=True)
    m2 = np.sum(np.square(d, out=d), axis=axes, keepdims=True) - s1 * s1 / n
    # Cauchy-Schwarz keeps the exact M2 >= 0; rounding may not for constant data
    return np.maximum(m2, 0.0)


def _scaled_m2(x, axes, n):
    """``(s, M2)`` with ``sum (x_i - xbar)^2 = s^2 M2``, safe from overflow and underflow.

    ``s`` is 1 unless ``M2`` overflowed or fell below ``tiny / eps`` (where squared
    deviations may have underflowed); then ``M2`` is recomputed on ``x / s``. A
    non-finite ``M2`` caused by NaN or inf in ``x`` raises instead.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        m2 = _sum_of_squared_deviations(x, axes, n)
    if np.isfinite(m2).all() and (m2 >= _SUM_OF_SQUARES_FLOOR).all():
        return 1.0, m2
    check_finite(x, "x")
    s = _power_of_two_scale(x, axes)
    return s, _sum_of_squared_deviations(x / s, axes, n)


def _central_power_sums(x, axes, n):
    """Mean and ``M_k = sum (x_i - mean)^k`` for k = 2, 3, 4, corrected two-pass.

    With ``d_i = x_i - mu`` and ``e = sum d_i / n`` (the rounding error of ``mu``),
    the binomial theorem gives the sums about the corrected mean ``mu + e``, returned
    as the pair ``(mu, e)`` (their sum carries more digits than one float):
    ``M2 = S2 - e S1``, ``M3 = S3 - 3 e S2 + 2 e^2 S1``,
    ``M4 = S4 - 4 e S3 + 6 e^2 S2 - 3 e^3 S1`` where ``S_k = sum d_i^k``.
    Results keep the reduced axes with length 1.
    """
    mu = np.sum(x, axis=axes, keepdims=True) / n
    d = x - mu
    s1 = np.sum(d, axis=axes, keepdims=True)
    d2 = np.square(d)
    s2 = np.sum(d2, axis=axes, keepdims=True)
    s3 = np.sum(np.multiply(d, d2, out=d), axis=axes, keepdims=True)  # d is spent
    s4 = np.sum(np.square(d2, out=d2), axis=axes, keepdims=True)
    e = s1 / n
    m2 = np.maximum(s2 - e * s1, 0.0)
    m3 = s3 - 3.0 * e * s2 + 2.0 * e * e * s1
    m4 = np.maximum(s4 - 4.0 * e * s3 + 6.0 * e * e * s2 - 3.0 * e**3 * s1, 0.0)
    return mu, e, m2, m3, m4


def _scaled_central_power_sums(x, axes, n):
    """``(s, mu, e, M2, M3, M4)``: the sums of :func:`_central_power_sums` for ``x / s``.

    ``s`` is 1 unless a fourth-power sum overflowed or ``M2`` fell below
    ``tiny / eps`` (squares may have underflowed); then it is the power of two just
    below ``max |x|``, exact to divide by. Skewness and kurtosis do not depend on
    ``s``; ``mu + e`` is the mean of ``x / s``. ``x`` must be finite.
    """
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        sums = _central_power_sums(x, axes, n)
    if np.isfinite(sums[4]).all() and (sums[2] >= _SUM_OF_SQUARES_FLOOR).all():
        return (1.0, *sums)
    s = _power_of_two_scale(x, axes)
    return (s, *_central_power_sums(x / s, axes, n))


def _skewness_from_sums(n, m2, m3, bias=True):
    """``g1 = m3 / m2^(3/2) = sqrt(n) M3 / M2^(3/2)``; unbiased ``G1 = g1 sqrt(n(n-1)) / (n-2)``."""
    g1 = math.sqrt(n) * m3 / m2**1.5
    return g1 if bias else g1 * math.sqrt(n * (n - 1.0)) / (n - 2.0)


def _kurtosis_from_sums(n, m2, m4, fisher=True, bias=True):
    """``g2 = n M4 / M2^2 - 3``; unbiased ``G2 = ((n+1) g2 + 6) (n-1) / ((n-2)(n-3))``."""
    g2 = n * m4 / (m2 * m2) - 3.0
    if not bias:
        g2 = ((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
    return g2 if fisher else g2 + 3.0


def _reject_constant(constant, what):
    """Raise if any slice is constant: its skewness or kurtosis is 0 / 0."""
    if np.any(constant):
        first = np.argwhere(np.atleast_1d(constant))[0] if np.ndim(constant) else ()
        where = f" at index {tuple(int(i) for i in first)}" if len(first) else ""
        raise ValueError(
            f"the {what} is undefined for data with zero variance: every observation "
            f"is equal{where}"
        )
