"""The inverse gamma distribution, the law of 1/Y for a gamma variable Y."""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np
from scipy import special

from ._base import ContinuousDistribution
from ._beta_functions import SADDLE_FROM, entropy_part
from ._gamma_functions import (
    fit_shape_rate,
    log_density,
    log_density_fused,
    log_lower,
    log_upper,
    quantile,
    shape_scale_information,
    sums_of_x_and_log_x,
)

__all__ = ["InverseGamma"]


class InverseGamma(ContinuousDistribution):
    r"""Inverse gamma distribution InvGamma(shape, scale) on [0, inf).

    .. math:: f(x) = \frac{\beta^\alpha}{\Gamma(\alpha)} x^{-\alpha-1} e^{-\beta/x}, \qquad x > 0

    X = beta / Y with Y ~ Gamma(alpha, 1). It is the conjugate prior of a normal
    variance (see ``normal_inverse_gamma``).

    Parameters
    ----------
    shape : float or array_like
        Shape alpha, > 0.
    scale : float or array_like
        Scale beta, > 0.

    Notes
    -----
    ``scipy.stats.invgamma(a=shape, scale=scale)``. With y = beta/x and P, Q the
    regularized incomplete gamma functions: F(x) = Q(alpha, y), S(x) = P(alpha, y), so
    each tail of X is the opposite tail of Y and is computed directly (never as 1 minus
    the other), log F and log S stay finite where they underflow, F^{-1}(q) = beta /
    Q^{-1}(alpha, q) and S^{-1}(q) = beta / P^{-1}(alpha, q) (see ``_gamma_functions``).
    log f(x) = log g(y) + 2 log y - log beta with g the Gamma(alpha, 1) density (the
    Jacobian |dy/dx| = y^2/beta); f(0) = 0.

    Mean beta/(alpha - 1) for alpha > 1 (inf otherwise), variance
    beta^2 / ((alpha - 1)^2 (alpha - 2)) for alpha > 2 (inf otherwise), entropy
    alpha + log(beta Gamma(alpha)) - (1 + alpha) psi(alpha). The KL divergence equals
    that of Gamma(a1, rate=b1) from Gamma(a2, rate=b2) (x -> 1/x is a bijection).

    Maximum likelihood: 1/x is a Gamma(alpha, rate=beta) sample and the Jacobian does
    not involve the parameters, so (alpha, beta) is the gamma fit of 1/x (from
    mean(1/x) and mean(log x); see ``Gamma``), with the observed information
    n [[psi'(alpha), -1/beta], [-1/beta, alpha/beta^2]]. Either parameter can be held
    fixed. The data must be > 0.

    References
    ----------
    N. L. Johnson, S. Kotz, N. Balakrishnan, *Continuous Univariate Distributions*,
    vol. 1, 2nd ed., chapter 17 (section 8.1). A. Gelman et al., *Bayesian Data
    Analysis*, 3rd ed., appendix A.

    Examples
    --------
    >>> from mlfoundations.probability.inverse_gamma import InverseGamma
    >>> from mlfoundations.probability.gamma import Gamma
    >>> d = InverseGamma(shape=3.0, scale=2.0)
    >>> d.mean()  # beta / (alpha - 1)
    1.0
    >>> d.cdf(0.5) == Gamma(3.0).sf(4.0)  # P(2/Y <= 1/2) = P(Y >= 4), Y ~ Gamma(3, 1)
    True
    """

    _parameters = {"shape": "positive", "scale": "positive"}

    def __init__(self, shape, scale=1.0):
        self._set_parameters(shape=shape, scale=scale)

    @cached_property
    def _log_gamma_shape(self):
        return special.gammaln(self.shape)

    def _support(self):
        return 0.0, math.inf

    def _y(self, x):
        if type(x) is float:
            return self.scale / x if x > 0.0 else math.inf
        return self.scale / x  # x = 0 gives inf (warning silenced by the base class)

    # -- density and distribution functions ---------------------------------------------
    def _logpdf(self, x):
        y = self._y(x)
        a, scale = self.shape, self.scale
        if type(a) is float and type(scale) is float and a + 2.0 < SADDLE_FROM:
            # (a+1) log y - y - log Gamma(a) - log beta: the gamma form with shape a + 2
            log_norm = -float(self._log_gamma_shape) - math.log(scale)
            if np.ndim(y):
                return log_density_fused(a + 2.0, 1.0, y, log_norm)
            if y == math.inf or y == 0.0:
                return -math.inf
            return (a + 1.0) * math.log(y) - y + log_norm
        if np.ndim(y) == 0 and np.ndim(self.shape) == 0:
            if y == math.inf or y == 0.0:
                return -math.inf
            log_g = float(log_density(self.shape, float(y), self._log_gamma_shape))
            return log_g + 2.0 * math.log(y) - math.log(self.scale)
        out = log_density(self.shape, y, self._log_gamma_shape)
        out = out + 2.0 * np.log(y) - np.log(self.scale)
        return np.where((y == np.inf) | (y == 0.0), -np.inf, out)

    def _pdf(self, x):
        out = self._logpdf(x)
        return np.exp(out, out=out) if np.ndim(out) else np.exp(out)

    def _cdf(self, x):
        return special.gammaincc(self.shape, self._y(x))

    def _sf(self, x):
        return special.gammainc(self.shape, self._y(x))

    def _logcdf(self, x):
        return log_upper(self.shape, self._y(x), self._log_gamma_shape)

    def _logsf(self, x):
        return log_lower(self.shape, self._y(x), self._log_gamma_shape)

    def _ppf(self, q):
        return self.scale / quantile(self.shape, q, False, self._log_gamma_shape)

    def _isf(self, q):
        return self.scale / quantile(self.shape, q, True, self._log_gamma_shape)

    def _sample(self, rng, shape):
        out = rng.standard_gamma(self.shape, size=shape)
        if type(self.scale) is float:
            return np.divide(self.scale, out, out=out)  # in place: no second array
        return self.scale / out

    # -- summaries ----------------------------------------------------------------------
    def _mean(self):
        a = np.asarray(self.shape, dtype=float)
        with np.errstate(divide="ignore"):
            out = np.where(a > 1.0, self.scale / np.maximum(a - 1.0, 1e-300), np.inf)
        return float(out) if out.ndim == 0 else out

    def _var(self):
        a = np.asarray(self.shape, dtype=float)
        am1 = np.maximum(a - 1.0, 1e-300)
        out = np.where(
            a > 2.0, np.square(self.scale / am1) / np.maximum(a - 2.0, 1e-300), np.inf
        )
        return float(out) if out.ndim == 0 else out

    def _entropy(self):
        # alpha + log Gamma(alpha) - (1 + alpha) psi(alpha) = R(alpha) - 2 psi(alpha), with
        # R(alpha) = log Gamma(alpha) - (alpha - 1) psi(alpha) + alpha free of cancellation
        return entropy_part(self.shape) - 2.0 * special.digamma(self.shape) + np.log(self.scale)

    def _kl(self, other):
        a1, b1, a2, b2 = self.shape, self.scale, other.shape, other.scale
        return (
            (a1 - a2) * special.digamma(a1)
            - special.gammaln(a1)
            + special.gammaln(a2)
            + a2 * (np.log(b1) - np.log(b2))
            + a1 * (b2 - b1) / b1
        )

    # -- maximum likelihood -------------------------------------------------------------
    @classmethod
    def _fit(cls, data, fixed):
        lowest = float(data.min())
        if not lowest > 0.0:
            raise ValueError(
                "InverseGamma.fit needs data > 0 (log x must be finite), "
                f"got min(data) = {lowest!r}"
            )
        _, total_log = sums_of_x_and_log_x(data)
        n = data.size
        mean_reciprocal = float(np.mean(1.0 / data))
        shape, scale, n_iter, converged = fit_shape_rate(
            mean_reciprocal,
            -total_log / n,
            shape=fixed.get("shape"),
            rate=fixed.get("scale"),
            family=cls.__name__,
        )
        return {"shape": shape, "scale": scale}, n_iter, converged

    def _information(self, data, free):
        return shape_scale_information(data.size, self.shape, self.scale, free, "scale")
