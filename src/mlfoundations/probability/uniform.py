"""The continuous uniform distribution."""

from __future__ import annotations

import math

import numpy as np

from ._base import ContinuousDistribution

__all__ = ["Uniform"]


class Uniform(ContinuousDistribution):
    r"""Continuous uniform distribution on [low, high].

    .. math:: f(x) = \frac{1}{h - l}, \qquad F(x) = \frac{x - l}{h - l}, \qquad l \le x \le h

    Parameters
    ----------
    low : float or array_like
        Lower end l, a finite real number.
    high : float or array_like
        Upper end h, a finite real number > low.

    Notes
    -----
    ``scipy.stats.uniform(loc=low, scale=high - low)``. S(x) = (h - x)/(h - l) is
    computed from the upper end, so it does not round to 0 near h; F^{-1}(q) = l + q w
    and S^{-1}(q) = h - q w with w = h - l. Mean (l + h)/2, variance w^2/12, median
    (l + h)/2, entropy log w; KL(U[l1, h1] || U[l2, h2]) = log(w2/w1) when
    [l1, h1] lies inside [l2, h2], inf otherwise.

    Maximum likelihood: the likelihood w^{-n} on l <= min(x), h >= max(x) is largest at
    l_hat = min(x), h_hat = max(x) (a fixed end is kept; the data must then lie on its
    side). This likelihood is not regular: its maximum sits on the boundary where it is
    discontinuous, so the Fisher information does not exist and 1/sqrt(n) asymptotics do
    not hold (the error is O(1/n)). The standard errors reported are instead the exact
    sampling standard deviations of the sample minimum and maximum, evaluated at
    w_hat = h_hat - l_hat:

        sd(min) = sd(max) = w sqrt(n) / ((n + 1) sqrt(n + 2)),
        cov(min, max) = w^2 / ((n + 1)^2 (n + 2)),

    (the order statistics of n uniforms are Beta(1, n) and Beta(n, 1) scaled by w);
    ``fit_result.cov`` is that covariance matrix. The estimators are biased by
    -+ w/(n + 1).

    References
    ----------
    Casella & Berger, *Statistical Inference*, 2nd ed., sections 5.4 (order statistics)
    and 7.2 (maximum likelihood); H. A. David, H. N. Nagaraja, *Order Statistics*, 3rd
    ed., section 2.2.

    Examples
    --------
    >>> from mlfoundations.probability.uniform import Uniform
    >>> d = Uniform(low=-1.0, high=3.0)
    >>> d.cdf(0.0), d.pdf(0.0), d.ppf(0.75)
    (0.25, 0.25, 2.0)
    """

    _parameters = {"low": "real", "high": "real"}

    def __init__(self, low=0.0, high=1.0):
        self._set_parameters(low=low, high=high)
        if not np.all(np.asarray(self.low < self.high)):
            bad = np.argmax(~np.broadcast_to(self.low < self.high, self._batch_shape))
            low = np.broadcast_to(self.low, self._batch_shape).flat[bad]
            high = np.broadcast_to(self.high, self._batch_shape).flat[bad]
            raise ValueError(f"low must be < high, got low={float(low)!r}, high={float(high)!r}")
        self.__dict__["_width"] = self.high - self.low

    def _support(self):
        return self.low, self.high

    # -- density and distribution functions ---------------------------------------------
    def _pdf(self, x):
        return np.zeros_like(x) + 1.0 / self._width if np.ndim(x) else 1.0 / self._width

    def _logpdf(self, x):
        out = -np.log(self._width)
        return np.zeros_like(x) + out if np.ndim(x) else out

    def _cdf(self, x):
        return (x - self.low) / self._width

    def _sf(self, x):
        return (self.high - x) / self._width

    def _logcdf(self, x):
        return _log_fraction(x - self.low, self.high - x, self._width)

    def _logsf(self, x):
        return _log_fraction(self.high - x, x - self.low, self._width)

    def _ppf(self, q):
        return self.low + q * self._width

    def _isf(self, q):
        return self.high - q * self._width

    def _sample(self, rng, shape):
        return rng.uniform(self.low, self.high, size=shape)

    # -- summaries ----------------------------------------------------------------------
    def _mean(self):
        return 0.5 * self.low + 0.5 * self.high  # no overflow of low + high

    def _var(self):
        return np.square(self._width) / 12.0

    def _median(self):
        return self._mean()

    def _entropy(self):
        return np.log(self._width)

    def _kl(self, other):
        inside = (other.low <= self.low) & (self.high <= other.high)
        return np.where(inside, np.log(other._width / self._width), np.inf)

    # -- maximum likelihood -------------------------------------------------------------
    @classmethod
    def _fit(cls, data, fixed):
        if "low" in fixed and "high" in fixed and not fixed["low"] < fixed["high"]:
            low, high = fixed["low"], fixed["high"]
            raise ValueError(f"low must be < high, got low={low!r}, high={high!r}")
        lowest, highest = float(data.min()), float(data.max())
        low = fixed.get("low", lowest)
        high = fixed.get("high", highest)
        if lowest < low:
            raise ValueError(f"min(data) = {lowest!r} is below the fixed low = {low!r}")
        if highest > high:
            raise ValueError(f"max(data) = {highest!r} is above the fixed high = {high!r}")
        if not low < high:
            raise ValueError(
                f"data have zero spread (all equal to {lowest!r}); the uniform likelihood "
                "has no maximum (high - low -> 0)"
            )
        return {"low": low, "high": high}, 0, True

    def _information(self, data, free):
        # Not a Fisher information (none exists here): the inverse of the exact covariance
        # of (min, max) of n uniforms, so that the base class's inverse gives that covariance.
        n = data.size
        scale = self._width**2 / ((n + 1.0) ** 2 * (n + 2.0))
        cov = {("low", "low"): n * scale, ("high", "high"): n * scale, ("low", "high"): scale}
        matrix = np.array([[cov.get((a, b), cov.get((b, a))) for b in free] for a in free])
        return np.linalg.inv(matrix)


def _log_fraction(part, rest, width):
    """log(part / width) with part + rest = width: log1p(-rest/width) when part is the larger."""
    if np.ndim(part) == 0:
        if part > rest:
            return math.log1p(-rest / width)
        return math.log(part / width) if part > 0.0 else -math.inf
    return np.where(part > rest, np.log1p(-rest / width), np.log(part / width))
