"""The exponential distribution."""

from __future__ import annotations

import math

import numpy as np

from ._base import ContinuousDistribution

__all__ = ["Exponential"]

_LOG_2 = math.log(2.0)


class Exponential(ContinuousDistribution):
    r"""Exponential distribution with rate lambda on [0, inf).

    .. math:: f(x) = \lambda e^{-\lambda x}, \qquad F(x) = 1 - e^{-\lambda x}, \qquad x \ge 0

    Parameters
    ----------
    rate : float or array_like
        Rate lambda, > 0 (the inverse of the mean).

    Notes
    -----
    ``scipy.stats.expon(scale=1/rate)``. Every function is written so that no tail
    rounds away: F(x) = -expm1(-lambda x) (so F(1e-18) = 1e-18 for lambda = 1, where
    1 - exp(-x) would give 0), S(x) = exp(-lambda x), log S(x) = -lambda x exactly,
    log F(x) = log(-expm1(-lambda x)) below lambda x = log 2 and log1p(-exp(-lambda x))
    above it. Quantiles F^{-1}(q) = -log1p(-q)/lambda and S^{-1}(q) = -log(q)/lambda.
    Mean 1/lambda, variance 1/lambda^2, median log(2)/lambda, entropy 1 - log lambda,
    KL(Exp(l1) || Exp(l2)) = log(l1/l2) + l2/l1 - 1.

    Maximum likelihood: lambda_hat = 1/mean(x), with standard error lambda_hat/sqrt(n)
    (the observed information n/lambda^2). The data must be >= 0 and not all zero.

    References
    ----------
    Casella & Berger, *Statistical Inference*, 2nd ed., sections 3.3 and 7.2.

    Examples
    --------
    >>> from mlfoundations.probability.exponential import Exponential
    >>> Exponential(rate=1.0).cdf(1e-18)
    1e-18
    >>> abs(Exponential(rate=2.0).median() - 0.34657359027997264) < 1e-16
    True
    """

    _parameters = {"rate": "positive"}

    def __init__(self, rate=1.0):
        self._set_parameters(rate=rate)

    def _support(self):
        return 0.0, math.inf

    # -- density and distribution functions ---------------------------------------------
    def _pdf(self, x):
        if type(x) is float or type(self.rate) is not float:
            return self.rate * np.exp(-self.rate * x)
        out = x * -self.rate  # in place from here on: one temporary
        np.exp(out, out=out)
        out *= self.rate
        return out

    def _logpdf(self, x):
        return np.log(self.rate) - self.rate * x

    def _cdf(self, x):
        return -np.expm1(-self.rate * x)

    def _sf(self, x):
        return np.exp(-self.rate * x)

    def _logcdf(self, x):
        y = self.rate * x
        if np.ndim(y) == 0:
            if y <= _LOG_2:
                return math.log(-math.expm1(-y)) if y > 0.0 else -math.inf
            return math.log1p(-math.exp(-y))
        # log(1 - e^-y): from expm1 where e^-y is near 1, from log1p where it is small
        return np.where(y <= _LOG_2, np.log(-np.expm1(-y)), np.log1p(-np.exp(-y)))

    def _logsf(self, x):
        return -self.rate * x

    def _ppf(self, q):
        return -np.log1p(-q) / self.rate

    def _isf(self, q):
        return -np.log(q) / self.rate

    def _sample(self, rng, shape):
        out = rng.standard_exponential(size=shape)
        if type(self.rate) is float:
            if self.rate != 1.0:
                out /= self.rate  # in place: no second array of the sample's size
            return out
        return out / self.rate

    # -- summaries ----------------------------------------------------------------------
    def _mean(self):
        return 1.0 / self.rate

    def _var(self):
        return 1.0 / np.square(self.rate)

    def _median(self):
        return _LOG_2 / self.rate

    def _entropy(self):
        return 1.0 - np.log(self.rate)

    def _kl(self, other):
        ratio = other.rate / self.rate
        # log(l1/l2) + l2/l1 - 1 = r - 1 - log r with r = l2/l1, >= 0
        return ratio - 1.0 - np.log(ratio)

    # -- maximum likelihood -------------------------------------------------------------
    @classmethod
    def _fit(cls, data, fixed):
        if "rate" in fixed:
            return {"rate": fixed["rate"]}, 0, True
        lowest = float(data.min())
        if lowest < 0.0:
            raise ValueError(
                f"Exponential.fit needs data >= 0 (the support), got min(data) = {lowest!r}"
            )
        mean = float(np.mean(data))
        if mean == 0.0:
            raise ValueError(
                "data are all zero; the exponential likelihood has no maximum (rate -> inf)"
            )
        return {"rate": 1.0 / mean}, 0, True

    def _information(self, data, free):
        # l(lambda) = n log lambda - lambda sum x;  -d2l/dlambda2 = n / lambda^2
        return np.array([[data.size / self.rate**2]])
