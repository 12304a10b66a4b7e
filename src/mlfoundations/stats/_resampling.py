"""Resampling for the bootstrap and the permutation test: many data sets, one statistic.

A statistic that takes an ``axis`` keyword (``np.mean``, ``np.median``, or any
function written with NumPy reductions) is called once per batch on arrays whose
rows are the resamples, as ``scipy.stats.bootstrap(..., vectorized=True)`` does;
any other callable is called once per row. Batches hold at most
``BATCH_ELEMENTS`` values per sample so memory stays bounded (about 32 MB of
float64) whatever the number of resamples.
"""

from __future__ import annotations

import functools
import inspect
import warnings

import numpy as np

from ..probability.normal import Normal

__all__ = [
    "BATCH_ELEMENTS",
    "takes_axis",
    "statistic_of_rows",
    "bootstrap_distribution",
    "jackknife_values",
    "acceleration",
    "bias_correction",
    "bca_levels",
]

BATCH_ELEMENTS = 1 << 22


def takes_axis(statistic) -> bool:
    """Whether ``statistic`` accepts an ``axis`` keyword (then it is called vectorised)."""
    try:
        return _takes_axis_cached(statistic)
    except TypeError:  # an unhashable callable: look at it every time
        return _takes_axis(statistic)


def _takes_axis(statistic) -> bool:
    try:
        parameters = inspect.signature(statistic).parameters
    except (TypeError, ValueError):  # some builtins have no introspectable signature
        return False
    return "axis" in parameters


# inspect.signature costs as much as a small bootstrap; np.mean and friends recur
_takes_axis_cached = functools.lru_cache(maxsize=64)(_takes_axis)


def statistic_of_rows(statistic, vectorized: bool, samples: tuple, what: str) -> np.ndarray:
    """``statistic(samples[0][k], samples[1][k], ...)`` for every row k, as float64.

    Each entry of ``samples`` is 2-D with one resample per row. Raises ``ValueError``
    unless the result is one finite number per row, so that a NaN from the user's
    function never reaches a p-value or an interval.
    """
    k = samples[0].shape[0]
    if vectorized:
        values = np.asarray(statistic(*samples, axis=-1), dtype=np.float64)
    else:
        values = np.array([statistic(*rows) for rows in zip(*samples)], dtype=np.float64)
    if values.shape != (k,):
        raise ValueError(
            f"statistic must return one number per sample; on the {what} ({k} of them, "
            f"computed vectorised={vectorized}) it returned an array of shape {values.shape}"
        )
    bad = ~np.isfinite(values)
    if bad.any():
        raise ValueError(f"statistic returned NaN or inf on {int(bad.sum())} of the {k} {what}")
    return values


def bootstrap_distribution(x, statistic, vectorized, n_resamples, rows, rng):
    """theta*_b = statistic(x*_b) for B resamples x*_b drawn from x with replacement."""
    n = x.shape[0]
    theta = np.empty(n_resamples)
    for start in range(0, n_resamples, rows):
        k = min(rows, n_resamples - start)
        # one row of indices per resample (the draws do not depend on the batch size)
        resamples = x[rng.integers(0, n, size=(k, n))]
        theta[start:start + k] = statistic_of_rows(statistic, vectorized, (resamples,),
                                                   "bootstrap resamples")
    return theta


def jackknife_values(x, statistic, vectorized, rows):
    """theta_(i) = statistic(x without x_i), i = 1..n."""
    n = x.shape[0]
    if rows >= n:
        # the n x n matrix with x in every row, minus its diagonal: row i is x without x_i
        samples = np.tile(x, n)[1:].reshape(n - 1, n + 1)[:, :-1].reshape(n, n - 1)
        return statistic_of_rows(statistic, vectorized, (samples,), "jackknife samples")
    keep = np.arange(n - 1)
    theta = np.empty(n)
    for start in range(0, n, rows):
        dropped = np.arange(start, min(start + rows, n))
        # row i takes x_0 .. x_{i-1}, x_{i+1} .. x_{n-1}
        index = keep[None, :] + (keep[None, :] >= dropped[:, None])
        theta[dropped] = statistic_of_rows(statistic, vectorized, (x[index],),
                                           "jackknife samples")
    return theta


def acceleration(jackknife: np.ndarray) -> float:
    """a = sum d_i^3 / (6 (sum d_i^2)^(3/2)) with d_i = mean(theta_(.)) - theta_(i) (E&T 14.15)."""
    d = jackknife.mean() - jackknife
    scale = np.max(np.abs(d))
    if scale == 0.0:
        warnings.warn(
            "the statistic takes the same value on every jackknife sample, so the "
            "acceleration is 0/0; a = 0 is used (the bias-corrected percentile interval)",
            RuntimeWarning,
            stacklevel=4,
        )
        return 0.0
    d = d / scale  # a is scale-free; scaling keeps d^3 from overflowing or underflowing
    return float(np.sum(d**3) / (6.0 * np.sum(d**2) ** 1.5))


def bias_correction(theta_b: np.ndarray, theta_hat: float) -> float:
    """BCa's z0 = Phi^{-1}((#{theta*_b < theta} + #{theta*_b <= theta}) / (2B)).

    Efron and Tibshirani's (14.14) counts ``theta*_b < theta``; replicates equal to
    ``theta`` (common for the median of discrete data) are counted here as half
    below, half above, as scipy.stats.bootstrap does.
    """
    below = np.count_nonzero(theta_b < theta_hat) + np.count_nonzero(theta_b <= theta_hat)
    if below == 0 or below == 2 * theta_b.size:
        side = "above" if below == 0 else "below"
        raise ValueError(
            f"BCa is undefined here: every bootstrap replicate lies {side} "
            f"statistic(data)={theta_hat!r}, so the bias correction z0 is infinite; "
            "use method='percentile'"
        )
    return float(Normal().ppf(below / (2.0 * theta_b.size)))


def bca_levels(z0: float, a: float, alpha: float) -> list[float]:
    """BCa's levels Phi(z0 + (z0 + z) / (1 - a (z0 + z))), z = z_alpha, z_{1-alpha} (E&T 14.10)."""
    normal = Normal()
    levels = []
    for z in (float(normal.ppf(alpha)), float(normal.isf(alpha))):
        shift = z0 + z
        denominator = 1.0 - a * shift
        if denominator <= 0.0:
            raise ValueError(
                f"BCa is undefined here: the acceleration a={a!r} makes "
                f"1 - a (z0 + z) = {denominator!r} <= 0; use method='percentile'"
            )
        levels.append(float(normal.cdf(z0 + shift / denominator)))
    return levels
