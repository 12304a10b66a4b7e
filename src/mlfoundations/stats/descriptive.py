"""Descriptive statistics: the location, spread and shape of a sample.

The variance is where textbooks and computers part ways. The one-pass formula
``sum x_i^2 - n xbar^2`` subtracts two nearly equal large numbers and loses every
digit when the mean is large next to the spread (NIST's NumAcc4: values near 1e7
spread by 0.1). Here every statistic is built on the corrected two-pass algorithm
of Chan, Golub and LeVeque: compute the mean, then the sums of powers of the
deviations from it, corrected for the rounding error left in the mean (:mod:`._common`).
Quantiles and the median are in :mod:`.quantiles`, ``RunningMoments`` in :mod:`.moments`.

Every function here also takes a ``dask.array.Array`` or a ``dask.dataframe`` DataFrame
or Series, reduced over every entry (``axis=None``) or over the rows (``axis=0``): each
block becomes a ``RunningMoments`` on the workers and the blocks merge by its pairwise
update in a tree, one pass over data larger than memory, equal to the in-memory result
to ~1e-10 (deviations beyond ~1e77, whose fourth powers overflow, are refused there).

References
----------
Chan, T. F., Golub, G. H. and LeVeque, R. J. (1983). Algorithms for computing the
sample variance: analysis and recommendations. *The American Statistician* 37(3),
242-247.
Higham, N. J. (2002). *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
SIAM, sections 1.9 and 4.2 (pairwise summation).
Joanes, D. N. and Gill, C. A. (1998). Comparing measures of sample skewness and
kurtosis. *Journal of the Royal Statistical Society D* 47(1), 183-189.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _dask
from .._dask import is_dask_collection
from .._validation import check_bool, check_finite
from ._common import (
    _check_ddof,
    _kurtosis_from_sums,
    _output,
    _power_of_two_scale,
    _reject_constant,
    _sample,
    _scaled_central_power_sums,
    _scaled_m2,
    _skewness_from_sums,
)

__all__ = ["mean", "var", "std", "sem", "skewness", "kurtosis", "describe", "DescribeResult"]


# ------------------------------------------------------------ location and spread


def mean(x, axis=None):
    """Arithmetic mean ``xbar = (1/n) sum_i x_i``.

    Parameters
    ----------
    x : (...) array_like
        The observations.
    axis : None, int or tuple of ints, default None
        Axes to average over; None averages every entry.

    Returns
    -------
    float or ndarray
        A float for a full reduction, otherwise an array over the remaining axes.

    Raises
    ------
    ValueError
        If ``x`` is empty or holds NaN or inf, or ``axis`` is out of bounds.

    Notes
    -----
    The sum is NumPy's, pairwise along a contiguous axis, so its error grows like
    ``log2(n) eps`` rather than ``n eps`` (Higham 2002, section 4.2). A sum that
    overflows although every ``x_i`` is finite is recomputed on ``x / 2^k``.

    Examples
    --------
    >>> from mlfoundations.stats import mean
    >>> mean([1.0, 2.0, 3.0, 4.0])
    2.5
    >>> mean([[1.0, 2.0], [3.0, 4.0]], axis=0)
    array([2., 3.])
    """
    if is_dask_collection(x):
        return _dask.moments.mean(x, axis)
    x, axes, n = _sample(x, axis)
    with np.errstate(over="ignore", invalid="ignore"):
        xbar = np.sum(x, axis=axes, keepdims=True) / n
    if not np.isfinite(xbar).all():
        check_finite(x, "x")  # a finite x whose sum overflowed: average x_i / 2^k instead
        s = _power_of_two_scale(x, axes)
        xbar = s * (np.sum(x / s, axis=axes, keepdims=True) / n)
    return _output(np.squeeze(xbar, axis=axes))


def var(x, axis=None, ddof=0):
    """Variance ``s^2 = (1/(n - ddof)) sum_i (x_i - xbar)^2``.

    Parameters
    ----------
    x : (...) array_like
        The observations.
    axis : None, int or tuple of ints, default None
        Axes to reduce; None uses every entry.
    ddof : int, default 0
        Delta degrees of freedom: 0 for the population (maximum-likelihood)
        variance, 1 for the unbiased sample variance.

    Returns
    -------
    float or ndarray
        The variance, >= 0.

    Raises
    ------
    ValueError
        If ``x`` is empty or holds NaN or inf, ``axis`` is out of bounds,
        ``ddof < 0``, ``ddof >= n`` or the variance exceeds the float64 range.

    Notes
    -----
    Corrected two-pass algorithm (Chan, Golub and LeVeque 1983):
    ``mu = (1/n) sum x_i``, ``d_i = x_i - mu``, then
    ``M2 = sum d_i^2 - (1/n) (sum d_i)^2``. The correction term is zero in exact
    arithmetic and cancels the rounding error of ``mu``. The relative error of
    ``M2`` is bounded by about ``n eps + (n eps kappa)^2`` (``log2 n`` for ``n``
    with pairwise sums), against ``n eps kappa^2`` for the one-pass formula
    ``sum x_i^2 - n xbar^2``; ``kappa = ||x||_2 / sqrt(M2)`` is the condition number.

    References
    ----------
    Chan, Golub and LeVeque (1983), *The American Statistician* 37(3), 242-247.

    Examples
    --------
    >>> from mlfoundations.stats import var
    >>> var([1.0, 2.0, 3.0, 4.0])
    1.25
    >>> x = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]  # one-pass formula: -170.67
    >>> var(x, ddof=1)
    30.0
    """
    if is_dask_collection(x):
        return _dask.moments.var(x, axis, ddof)
    x, axes, n = _sample(x, axis)
    ddof = _check_ddof(ddof, n)
    s, m2 = _scaled_m2(x, axes, n)
    with np.errstate(over="ignore"):
        variance = s * (s * (m2 / (n - ddof)))
    if not np.isfinite(variance).all():
        raise ValueError(
            "the variance of x exceeds the float64 range (about 1.8e308); "
            "std(x) or a rescaled x stays representable"
        )
    return _output(np.squeeze(variance, axis=axes))


def std(x, axis=None, ddof=0):
    """Standard deviation ``s = sqrt((1/(n - ddof)) sum_i (x_i - xbar)^2)``.

    Parameters
    ----------
    x : (...) array_like
        The observations.
    axis : None, int or tuple of ints, default None
        Axes to reduce; None uses every entry.
    ddof : int, default 0
        Delta degrees of freedom (see :func:`var`).

    Returns
    -------
    float or ndarray
        The standard deviation, >= 0.

    Raises
    ------
    ValueError
        As :func:`var` (empty, NaN or inf, bad ``axis``, ``ddof`` outside ``[0, n)``).

    Notes
    -----
    The square root of the corrected two-pass variance (see :func:`var`); data that
    would overflow is divided by a power of two ``2^k`` first and the result
    multiplied back, so ``std`` is finite whenever it is representable.

    Examples
    --------
    >>> from mlfoundations.stats import std
    >>> std([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    2.0
    """
    if is_dask_collection(x):
        return _dask.moments.std(x, axis, ddof)
    x, axes, n = _sample(x, axis)
    ddof = _check_ddof(ddof, n)
    s, m2 = _scaled_m2(x, axes, n)
    return _output(np.squeeze(s * np.sqrt(m2 / (n - ddof)), axis=axes))


def sem(x, axis=None, ddof=1):
    """Standard error of the mean ``s / sqrt(n)``, with ``s`` the ``ddof`` std.

    Parameters
    ----------
    x : (...) array_like
        The observations.
    axis : None, int or tuple of ints, default None
        Axes to reduce; None uses every entry (``scipy.stats.sem`` defaults to 0).
    ddof : int, default 1
        Delta degrees of freedom of ``s`` (1: the unbiased variance).

    Returns
    -------
    float or ndarray
        ``sqrt(sum_i (x_i - xbar)^2 / ((n - ddof) n))``.

    Raises
    ------
    ValueError
        As :func:`var`; with the default ``ddof=1`` a single observation is refused.

    Notes
    -----
    ``Var(xbar) = sigma^2 / n`` for independent observations, estimated by
    ``s^2 / n``. Equals ``scipy.stats.sem(x, axis, ddof)``.

    Examples
    --------
    >>> from mlfoundations.stats import sem
    >>> sem([1.0, 2.0, 3.0, 4.0, 5.0])  # s = sqrt(2.5), n = 5
    0.7071067811865476
    """
    if is_dask_collection(x):
        return _dask.moments.sem(x, axis, ddof)
    x, axes, n = _sample(x, axis)
    ddof = _check_ddof(ddof, n)
    s, m2 = _scaled_m2(x, axes, n)
    return _output(np.squeeze(s * np.sqrt(m2 / ((n - ddof) * n)), axis=axes))


# ------------------------------------------------------------------------- shape


def _shape_sums(x, axis, min_n, what):
    """Validate for skewness/kurtosis; return ``n``, the axes and ``(M2, M3, M4)`` of x / s."""
    x, axes, n = _sample(x, axis, finite=True)
    if n < min_n:
        raise ValueError(f"the unbiased {what} needs at least {min_n} observations, got n={n}")
    _, _, _, m2, m3, m4 = _scaled_central_power_sums(x, axes, n)
    constant = np.max(x, axis=axes) == np.min(x, axis=axes)
    _reject_constant(constant, what)
    return n, axes, m2, m3, m4


def skewness(x, axis=None, bias=True):
    """Sample skewness, the standardised third central moment.

    Parameters
    ----------
    x : (...) array_like
        The observations.
    axis : None, int or tuple of ints, default None
        Axes to reduce; None uses every entry (``scipy.stats.skew`` defaults to 0).
    bias : bool, default True
        True: the moment estimator ``g1``; False: the adjusted Fisher-Pearson
        estimator ``G1`` (needs n >= 3).

    Returns
    -------
    float or ndarray
        ``g1`` or ``G1``.

    Raises
    ------
    ValueError
        If ``x`` is empty, holds NaN or inf, is constant along the axes (0 / 0), or
        has fewer than 3 observations with ``bias=False``.

    Notes
    -----
    ``g1 = m3 / m2^(3/2)`` with ``m_k = (1/n) sum_i (x_i - xbar)^k``, and
    ``G1 = g1 sqrt(n (n - 1)) / (n - 2)`` (Joanes and Gill 1998). The central
    sums come from the corrected two-pass algorithm. Equals
    ``scipy.stats.skew(x, axis, bias=bias)``.

    Examples
    --------
    >>> from mlfoundations.stats import skewness
    >>> skewness([1.0, 2.0, 3.0])
    0.0
    >>> round(skewness([0.0, 0.0, 0.0, 1.0]), 12)  # a long right tail
    1.154700538379
    """
    if is_dask_collection(x):
        return _dask.moments.skewness(x, axis, bias)
    bias = check_bool(bias, "bias")
    n, axes, m2, m3, _ = _shape_sums(x, axis, 1 if bias else 3, "skewness")
    return _output(np.squeeze(_skewness_from_sums(n, m2, m3, bias), axis=axes))


def kurtosis(x, axis=None, fisher=True, bias=True):
    """Sample kurtosis, the standardised fourth central moment (excess by default).

    Parameters
    ----------
    x : (...) array_like
        The observations.
    axis : None, int or tuple of ints, default None
        Axes to reduce; None uses every entry (``scipy.stats.kurtosis`` defaults to 0).
    fisher : bool, default True
        True: excess kurtosis (0 for a normal distribution); False: Pearson's
        (3 for a normal distribution).
    bias : bool, default True
        True: the moment estimator ``g2``; False: the estimator ``G2``, unbiased
        for normal data (needs n >= 4).

    Returns
    -------
    float or ndarray
        ``g2`` or ``G2`` (plus 3 if ``fisher`` is False).

    Raises
    ------
    ValueError
        If ``x`` is empty, holds NaN or inf, is constant along the axes (0 / 0), or
        has fewer than 4 observations with ``bias=False``.

    Notes
    -----
    ``g2 = m4 / m2^2 - 3`` with ``m_k = (1/n) sum_i (x_i - xbar)^k``, and
    ``G2 = ((n + 1) g2 + 6) (n - 1) / ((n - 2)(n - 3))`` (Joanes and Gill 1998).
    Equals ``scipy.stats.kurtosis(x, axis, fisher=fisher, bias=bias)``.

    Examples
    --------
    >>> from mlfoundations.stats import kurtosis
    >>> kurtosis([-1.0, 1.0])  # two points: m4 = m2^2, the smallest possible
    -2.0
    >>> kurtosis([-1.0, 1.0], fisher=False)
    1.0
    """
    if is_dask_collection(x):
        return _dask.moments.kurtosis(x, axis, fisher, bias)
    fisher = check_bool(fisher, "fisher")
    bias = check_bool(bias, "bias")
    n, axes, m2, _, m4 = _shape_sums(x, axis, 1 if bias else 4, "kurtosis")
    return _output(np.squeeze(_kurtosis_from_sums(n, m2, m4, fisher, bias), axis=axes))


# ------------------------------------------------------------------------ summary


@dataclass(frozen=True)
class DescribeResult:
    """Summary of a sample in ``scipy.stats.describe``'s order; unpacks the same way.

    Attributes
    ----------
    nobs : int
        Number of observations ``n``.
    minmax : tuple of (float or ndarray)
        ``(min x_i, max x_i)``.
    mean : float or ndarray
        ``xbar``.
    variance : float or ndarray
        ``sum (x_i - xbar)^2 / (n - ddof)``.
    skewness : float or ndarray
        ``g1 = m3 / m2^(3/2)`` (biased); NaN where the data is constant.
    kurtosis : float or ndarray
        Excess kurtosis ``g2 = m4 / m2^2 - 3`` (biased); NaN where the data is constant.
    ddof : int
        The delta degrees of freedom of ``variance`` (not unpacked).
    """

    nobs: int
    minmax: tuple
    mean: float | np.ndarray
    variance: float | np.ndarray
    skewness: float | np.ndarray
    kurtosis: float | np.ndarray
    ddof: int = 1

    def __iter__(self):
        fields = (self.nobs, self.minmax, self.mean, self.variance, self.skewness, self.kurtosis)
        return iter(fields)

    def __str__(self) -> str:
        def fmt(v):
            if np.ndim(v) == 0:
                return "undefined (constant data)" if np.isnan(v) else f"{v:.6g}"
            return np.array2string(np.asarray(v), precision=6, separator=", ")

        rows = [
            ("min", fmt(self.minmax[0])),
            ("max", fmt(self.minmax[1])),
            ("mean", fmt(self.mean)),
            (f"variance (ddof={self.ddof})", fmt(self.variance)),
            ("skewness", fmt(self.skewness)),
            ("excess kurtosis", fmt(self.kurtosis)),
        ]
        width = max(len(name) for name, _ in rows)
        lines = [f"Descriptive statistics of n = {self.nobs} observations"]
        lines += [f"  {name:<{width}}  {value}" for name, value in rows]
        return "\n".join(lines)


def describe(x, axis=0, ddof=1):
    """Count, range, mean, variance, skewness and kurtosis from one set of central sums.

    Parameters
    ----------
    x : (...) array_like
        The observations.
    axis : None, int or tuple of ints, default 0
        Axes holding the sample (``scipy.stats.describe``'s default); None pools
        every entry.
    ddof : int, default 1
        Delta degrees of freedom of the variance.

    Returns
    -------
    DescribeResult
        ``nobs, minmax, mean, variance, skewness, kurtosis`` (and ``ddof``); the
        statistics are floats for a full reduction, otherwise arrays.

    Raises
    ------
    ValueError
        If ``x`` is empty or holds NaN or inf, ``axis`` is out of bounds,
        ``ddof`` lies outside ``[0, n)`` or the variance exceeds the float64 range.

    Notes
    -----
    The corrected two-pass central sums ``M_k = sum (x_i - xbar)^k`` give
    ``variance = M2 / (n - ddof)``, ``skewness = sqrt(n) M3 / M2^(3/2)`` and
    ``kurtosis = n M4 / M2^2 - 3`` (the biased estimators, scipy's defaults).
    Skewness and kurtosis are 0 / 0 for constant data and reported as NaN there,
    so that a constant column does not hide the others (:func:`skewness` raises).
    Equals ``scipy.stats.describe(x, axis, ddof)``.

    Examples
    --------
    >>> from mlfoundations.stats import describe
    >>> result = describe([1.0, 2.0, 3.0, 4.0, 10.0])
    >>> result.nobs, result.minmax, result.mean, result.variance
    (5, (1.0, 10.0), 4.0, 12.5)
    >>> nobs, minmax, mean, variance, skewness, kurtosis = result
    """
    if is_dask_collection(x):
        return _dask.moments.describe(x, axis, ddof)
    x, axes, n = _sample(x, axis, finite=True)
    ddof = _check_ddof(ddof, n)
    s, mu, e, m2, m3, m4 = _scaled_central_power_sums(x, axes, n)
    with np.errstate(over="ignore"):
        variance = s * (s * (m2 / (n - ddof)))
    if not np.isfinite(variance).all():
        raise ValueError("the variance of x exceeds the float64 range (about 1.8e308)")
    lowest, highest = np.min(x, axis=axes, keepdims=True), np.max(x, axis=axes, keepdims=True)
    constant = lowest == highest
    safe_m2 = np.where(constant, 1.0, m2)  # 0 / 0 where constant, reported as NaN
    skew = np.where(constant, np.nan, _skewness_from_sums(n, safe_m2, m3))
    kurt = np.where(constant, np.nan, _kurtosis_from_sums(n, safe_m2, m4))

    def out(a):
        return _output(np.squeeze(a, axis=axes))

    return DescribeResult(
        n, (out(lowest), out(highest)), out(s * (mu + e)), out(variance), out(skew), out(kurt), ddof
    )
