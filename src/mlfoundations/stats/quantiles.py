"""Order statistics: sample quantiles and the median.

Sorting the sample gives the order statistics ``x_(1) <= ... <= x_(n)``; a
quantile is one of them or a weighted average of two neighbours. Which ones, and
with what weight, is a matter of definition: Hyndman and Fan list nine, and NumPy
and R name the same nine (plus four neighbours of type 7).

References
----------
Hyndman, R. J. and Fan, Y. (1996). Sample quantiles in statistical packages.
*The American Statistician* 50(4), 361-365.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array
from ._common import _output, _sample

__all__ = ["median", "quantile"]


# Hyndman and Fan's continuous types 4-9: the p-quantile sits at the 1-based
# position n p + m with m = alpha + p (1 - alpha - beta).
_PLOTTING_POSITIONS = {
    "interpolated_inverted_cdf": (0.0, 1.0),  # type 4
    "hazen": (0.5, 0.5),  # type 5
    "weibull": (0.0, 0.0),  # type 6
    "linear": (1.0, 1.0),  # type 7
    "median_unbiased": (1.0 / 3.0, 1.0 / 3.0),  # type 8
    "normal_unbiased": (3.0 / 8.0, 3.0 / 8.0),  # type 9
}
_QUANTILE_METHODS = (
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    *_PLOTTING_POSITIONS,
    "lower",
    "higher",
    "nearest",
    "midpoint",
)


def _order_statistic_weights(q, n, method):
    """0-based neighbours ``j, j + 1`` of each quantile's position and the weight ``gamma``.

    The quantile is ``(1 - gamma) x_(j) + gamma x_(j+1)`` in the sorted sample.
    """
    if method in _PLOTTING_POSITIONS:
        alpha, beta = _PLOTTING_POSITIONS[method]
        # type 7 written as (n - 1) p: the same number, one rounding fewer
        h = (n - 1) * q if method == "linear" else n * q + (alpha + q * (1 - alpha - beta)) - 1
        j = np.floor(h)
        gamma = h - j
    elif method in ("lower", "higher", "nearest", "midpoint"):
        h = (n - 1) * q
        j = np.floor(h)
        between = h > j  # False when the type 7 position is a whole order statistic
        gamma = {
            "lower": np.zeros_like(h),
            "higher": between.astype(float),
            "nearest": (np.rint(h) > j).astype(float),  # ties go to the even index
            "midpoint": np.where(between, 0.5, 0.0),
        }[method]
    else:
        # Types 1-3 step the empirical distribution function: g = frac(n p - m)
        # decides whether the quantile is x_(j) or x_(j+1) (or, type 2, their average).
        h = n * q - 1 if method != "closest_observation" else n * q - 1.5
        j = np.floor(h)
        g = h - j
        if method == "inverted_cdf":
            gamma = (g > 0).astype(float)
        elif method == "averaged_inverted_cdf":
            gamma = np.where(g > 0, 1.0, 0.5)
        else:  # round to the even 1-based order statistic when g == 0
            gamma = np.where((g == 0) & (j % 2 == 1), 0.0, 1.0)
    # positions before the first or past the last order statistic clip to it
    lo = np.clip(j, 0, n - 1).astype(np.intp)
    hi = np.clip(j + 1, 0, n - 1).astype(np.intp)
    return lo, hi, gamma


def _lerp(a, b, t):
    """``(1 - t) a + t b``, exact at t = 0 and t = 1 and monotone in t."""
    return np.where(t < 0.5, a + (b - a) * t, b - (b - a) * (1.0 - t))


def quantile(x, q, axis=None, method="linear"):
    """Sample quantiles by Hyndman and Fan's definitions (NumPy's ``method`` names).

    Parameters
    ----------
    x : (...) array_like
        The observations.
    q : float or array_like
        Probabilities in [0, 1].
    axis : None, int or tuple of ints, default None
        Axes holding the sample; None pools every entry.
    method : str, default "linear"
        ``"linear"`` (type 7), ``"inverted_cdf"`` (1), ``"averaged_inverted_cdf"``
        (2), ``"closest_observation"`` (3), ``"interpolated_inverted_cdf"`` (4),
        ``"hazen"`` (5), ``"weibull"`` (6), ``"median_unbiased"`` (8),
        ``"normal_unbiased"`` (9), or ``"lower"``, ``"higher"``, ``"nearest"``,
        ``"midpoint"`` (the neighbours of the type 7 position).

    Returns
    -------
    float or ndarray
        Shape ``q.shape`` followed by the axes of ``x`` not reduced; a float for a
        scalar ``q`` and a full reduction.

    Raises
    ------
    ValueError
        If ``x`` is empty or holds NaN or inf, ``q`` lies outside [0, 1] or holds
        NaN, ``axis`` is out of bounds or ``method`` is unknown.

    Notes
    -----
    Sort ``x_(1) <= ... <= x_(n)``. The continuous types place the p-quantile at
    the 1-based position ``h = n p + m``, ``m = alpha + p (1 - alpha - beta)``, and
    interpolate ``Q(p) = (1 - gamma) x_(j) + gamma x_(j+1)`` with ``j = floor(h)``,
    ``gamma = h - j`` (positions outside [1, n] clip to the extremes). Type 7
    (``alpha = beta = 1``, ``h = 1 + (n - 1) p``) is the default of NumPy and R;
    type 8 is approximately median-unbiased whatever the distribution, type 9
    unbiased for normal data. The discontinuous types 1-3 invert the empirical
    distribution function. Equals ``numpy.quantile(x, q, axis, method=method)``.

    References
    ----------
    Hyndman and Fan (1996), *The American Statistician* 50(4), 361-365.

    Examples
    --------
    >>> from mlfoundations.stats import quantile
    >>> quantile([1.0, 2.0, 3.0, 4.0], 0.5)
    2.5
    >>> quantile([1.0, 2.0, 3.0, 4.0], [0.25, 0.5], method="lower")
    array([1., 2.])
    """
    x, axes, n = _sample(x, axis, finite=True)
    q = as_float_array(q, "q")
    if ((q < 0) | (q > 1)).any():
        bad = float(q[(q < 0) | (q > 1)].ravel()[0])
        raise ValueError(f"q must lie in [0, 1], got {bad!r}")
    if method not in _QUANTILE_METHODS:
        raise ValueError(f"method={method!r} is not one of {', '.join(_QUANTILE_METHODS)}")
    kept = [a for a in range(x.ndim) if a not in axes]
    # the sample along axis 0, the other axes after it
    sample = np.transpose(x, axes + tuple(kept)).reshape((n, *[x.shape[a] for a in kept]))
    sample = np.sort(sample, axis=0)
    lo, hi, gamma = _order_statistic_weights(q, n, method)
    gamma = gamma.reshape(gamma.shape + (1,) * len(kept))
    return _output(_lerp(sample[lo], sample[hi], gamma))


def median(x, axis=None):
    """Sample median: the middle order statistic, or the mean of the two middle ones.

    Parameters
    ----------
    x : (...) array_like
        The observations.
    axis : None, int or tuple of ints, default None
        Axes holding the sample; None pools every entry.

    Returns
    -------
    float or ndarray
        ``quantile(x, 0.5, axis)`` (type 7): ``x_((n+1)/2)`` for odd ``n``,
        ``(x_(n/2) + x_(n/2+1)) / 2`` for even ``n``.

    Raises
    ------
    ValueError
        If ``x`` is empty or holds NaN or inf, or ``axis`` is out of bounds.

    Examples
    --------
    >>> from mlfoundations.stats import median
    >>> median([3.0, 1.0, 2.0])
    2.0
    >>> median([4.0, 1.0, 3.0, 2.0])
    2.5
    """
    return quantile(x, 0.5, axis=axis)
