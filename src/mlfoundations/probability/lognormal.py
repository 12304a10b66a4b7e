"""The log-normal distribution."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ._base import ContinuousDistribution
from .normal import normal_information

__all__ = ["LogNormal"]

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


def _log(x):
    """log x, with log 0 = -inf and no warning on the scalar path (x >= 0 here)."""
    if type(x) is float:
        return math.log(x) if x > 0.0 else -math.inf
    return np.log(x)


class LogNormal(ContinuousDistribution):
    r"""Log-normal distribution: X = exp(Y) with Y ~ N(mu, sigma^2), on [0, inf).

    .. math:: f(x) = \frac{1}{x \sigma \sqrt{2\pi}}
              \exp\left(-\frac{(\log x - \mu)^2}{2\sigma^2}\right), \qquad x > 0

    Parameters
    ----------
    mu : float or array_like
        Mean of log X, any real number (log of the median).
    sigma : float or array_like
        Standard deviation of log X, > 0.

    Notes
    -----
    ``scipy.stats.lognorm(s=sigma, scale=exp(mu))``. Every function is the normal one of
    z = (log x - mu)/sigma: F(x) = Phi(z) (``special.ndtr``), S(x) = Phi(-z),
    log F = log Phi(z) and log S = log Phi(-z) by ``special.log_ndtr`` (finite far into
    both tails), F^{-1}(q) = exp(mu + sigma Phi^{-1}(q)), S^{-1}(q) = exp(mu - sigma
    Phi^{-1}(q)). log f(x) = -z^2/2 - log x - log sigma - log sqrt(2 pi); f(0) = 0.

    Mean exp(mu + sigma^2/2), variance (exp(sigma^2) - 1) exp(2 mu + sigma^2) (with
    ``expm1``), median exp(mu), entropy mu + 1/2 + log(sigma sqrt(2 pi)); the KL divergence
    is that of the two normals of log X (a bijection leaves it unchanged).

    Maximum likelihood: the closed form of the normal on log x,
    mu_hat = mean(log x), sigma_hat^2 = mean((log x - mu_hat)^2), with standard errors
    sigma/sqrt(n) and sigma/sqrt(2n). The data must be > 0.

    References
    ----------
    E. L. Crow, K. Shimizu (eds.), *Lognormal Distributions: Theory and Applications*,
    1988, chapter 1. Casella & Berger, *Statistical Inference*, 2nd ed., section 3.3.

    Examples
    --------
    >>> import math
    >>> from mlfoundations.probability.lognormal import LogNormal
    >>> d = LogNormal(mu=1.0, sigma=0.5)
    >>> abs(d.median() - math.e) < 1e-15
    True
    >>> abs(d.cdf(d.ppf(0.9)) - 0.9) < 1e-15
    True
    """

    _parameters = {"mu": "real", "sigma": "positive"}

    def __init__(self, mu=0.0, sigma=1.0):
        self._set_parameters(mu=mu, sigma=sigma)

    def _support(self):
        return 0.0, math.inf

    def _z(self, x):
        return (_log(x) - self.mu) / self.sigma

    # -- density and distribution functions ---------------------------------------------
    def _logpdf(self, x):
        if type(x) is float and x == 0.0:
            return -math.inf
        log_x = np.log(x)
        z = (log_x - self.mu) / self.sigma
        out = -0.5 * z * z - log_x - np.log(self.sigma) - _LOG_SQRT_2PI
        if np.ndim(x) == 0:
            return out
        # at x = 0 the formula is -inf + inf; the density tends to 0 there
        return np.where(x > 0.0, out, -np.inf)

    def _cdf(self, x):
        return special.ndtr(self._z(x))

    def _sf(self, x):
        return special.ndtr(-self._z(x))

    def _logcdf(self, x):
        return special.log_ndtr(self._z(x))

    def _logsf(self, x):
        return special.log_ndtr(-self._z(x))

    def _ppf(self, q):
        return np.exp(self.mu + self.sigma * special.ndtri(q))

    def _isf(self, q):
        return np.exp(self.mu - self.sigma * special.ndtri(q))

    def _sample(self, rng, shape):
        return rng.lognormal(self.mu, self.sigma, size=shape)

    # -- summaries ----------------------------------------------------------------------
    def _mean(self):
        return np.exp(self.mu + 0.5 * np.square(self.sigma))

    def _var(self):
        s2 = np.square(self.sigma)
        return np.expm1(s2) * np.exp(2.0 * self.mu + s2)

    def _median(self):
        return np.exp(self.mu)

    def _entropy(self):
        return self.mu + 0.5 + _LOG_SQRT_2PI + np.log(self.sigma)

    def _kl(self, other):
        # KL(N0 || N1) of log X: log(s1/s0) + (s0^2 + (m0 - m1)^2) / (2 s1^2) - 1/2
        ratio = np.square(self.sigma / other.sigma)
        return 0.5 * (ratio - 1.0 - np.log(ratio)) + 0.5 * np.square(
            (self.mu - other.mu) / other.sigma
        )

    # -- maximum likelihood -------------------------------------------------------------
    @classmethod
    def _fit(cls, data, fixed):
        lowest = float(data.min())
        if lowest <= 0.0:
            raise ValueError(
                f"LogNormal.fit needs data > 0 (log x must be finite), got min(data) = {lowest!r}"
            )
        log_x = np.log(data)
        mu = fixed.get("mu", float(np.mean(log_x)))
        if "sigma" in fixed:
            return {"mu": mu, "sigma": fixed["sigma"]}, 0, True
        sigma = float(np.sqrt(np.mean(np.square(log_x - mu))))
        if sigma == 0.0:
            raise ValueError(
                "log(data) has zero spread; the log-normal likelihood has no maximum (sigma -> 0)"
            )
        return {"mu": mu, "sigma": sigma}, 0, True

    def _information(self, data, free):
        # the normal information of log x: the Jacobian 1/x does not involve mu, sigma
        return normal_information(np.log(data) - self.mu, self.sigma, free)
