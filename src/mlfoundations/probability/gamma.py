"""The gamma distribution and its special case the chi-square distribution."""

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

__all__ = ["Gamma", "ChiSquare"]


class Gamma(ContinuousDistribution):
    r"""Gamma distribution Gamma(shape, rate) on [0, inf).

    .. math:: f(x) = \frac{\beta^\alpha x^{\alpha-1} e^{-\beta x}}{\Gamma(\alpha)}, \qquad x \ge 0

    with shape alpha and rate beta.

    Parameters
    ----------
    shape : float or array_like
        Shape alpha, > 0.
    rate : float or array_like
        Rate beta, > 0 (the inverse of the scale).

    Notes
    -----
    ``scipy.stats.gamma(a=shape, scale=1/rate)``. With P and Q the regularized lower and
    upper incomplete gamma functions, F(x) = P(alpha, beta x) (``special.gammainc``) and
    S(x) = Q(alpha, beta x) (``special.gammaincc``, exact in the upper tail); log F and
    log S stay finite where F or S underflow (series DLMF 8.7.1, continued fraction DLMF
    8.9.2). The quantiles invert P or Q by Halley's method in log form from the
    DiDonato-Morris starting values (``special.gammaincinv``/``gammainccinv`` where it
    does not settle). The log density is (alpha-1) log(beta x) - beta x + log beta -
    log Gamma(alpha), in one fused pass for scalar parameters; for alpha >= 100 it is
    Loader's saddle-point form, in which the O(alpha log alpha) terms do not cancel.

    Mean alpha/beta, variance alpha/beta^2, entropy
    alpha - log beta + log Gamma(alpha) + (1 - alpha) psi(alpha);
    KL(Gamma(a1, b1) || Gamma(a2, b2)) = (a1 - a2) psi(a1) - log Gamma(a1) + log Gamma(a2)
    + a2 (log b1 - log b2) + a1 (b2 - b1) / b1.

    Maximum likelihood: the data enter only through mean(x) and mean(log x). The rate is
    beta = alpha / mean(x) for any alpha; the shape solves the profile equation
    log alpha - psi(alpha) = log mean(x) - mean(log x) by Newton's method on log alpha from
    Minka's (Choi-Wette) approximation, each step O(1). With the rate held fixed
    (``Gamma.fit(x, rate=2.0)``) the shape solves psi(alpha) = log beta + mean(log x).
    Standard errors from the observed information
    n [[psi'(alpha), -1/beta], [-1/beta, alpha/beta^2]]. The data must be > 0.

    References
    ----------
    N. L. Johnson, S. Kotz, N. Balakrishnan, *Continuous Univariate Distributions*,
    vol. 1, 2nd ed., chapter 17. T. P. Minka, "Estimating a Gamma distribution", 2002.
    S. C. Choi, R. Wette, "Maximum likelihood estimation of the parameters of the gamma
    distribution and their bias", Technometrics 11 (1969). NIST DLMF chapter 8.

    Examples
    --------
    >>> import math
    >>> from mlfoundations.probability.gamma import Gamma
    >>> d = Gamma(shape=1.0, rate=2.0)  # the exponential distribution with rate 2
    >>> abs(d.cdf(0.5) - (1 - math.exp(-1.0))) < 1e-15
    True
    >>> abs(d.cdf(d.ppf(0.3)) - 0.3) < 1e-15
    True
    """

    _parameters = {"shape": "positive", "rate": "positive"}

    def __init__(self, shape, rate=1.0):
        self._set_parameters(shape=shape, rate=rate)

    @cached_property
    def _log_gamma_shape(self):
        return special.gammaln(self.shape)

    def _support(self):
        return 0.0, math.inf

    # -- density and distribution functions ---------------------------------------------
    def _density(self, x, exponentiate):
        a, rate = self.shape, self.rate
        if type(a) is float and type(rate) is float and a < SADDLE_FROM:
            log_norm = math.log(rate) - self._log_gamma_shape
            if type(x) is float:
                if 0.0 < x < math.inf:
                    y = rate * x
                    log_y = math.log(y) if y > 0.0 else math.log(x) + math.log(rate)
                    t = (a - 1.0) * log_y - y + log_norm
                else:
                    t = float(log_density(a, x, 0.0)) + log_norm
                return math.exp(t) if exponentiate else t
            out = log_density_fused(a, rate, x, log_norm)
            return np.exp(out, out=out) if exponentiate else out
        out = log_density(a, rate * x, self._log_gamma_shape) + np.log(rate)
        return np.exp(out) if exponentiate else out

    def _pdf(self, x):
        return self._density(x, True)

    def _logpdf(self, x):
        return self._density(x, False)

    def _standardized(self, x):
        # y = rate x, without a pass over x for the default rate 1
        rate = self.rate
        return x if type(rate) is float and rate == 1.0 else rate * x

    def _cdf(self, x):
        return special.gammainc(self.shape, self._standardized(x))

    def _sf(self, x):
        return special.gammaincc(self.shape, self._standardized(x))

    def _logcdf(self, x):
        return log_lower(self.shape, self._standardized(x), self._log_gamma_shape)

    def _logsf(self, x):
        return log_upper(self.shape, self._standardized(x), self._log_gamma_shape)

    def _ppf(self, q):
        return quantile(self.shape, q, True, self._log_gamma_shape) / self.rate

    def _isf(self, q):
        return quantile(self.shape, q, False, self._log_gamma_shape) / self.rate

    def _sample(self, rng, shape):
        out = rng.standard_gamma(self.shape, size=shape)
        if type(self.rate) is float:
            if self.rate != 1.0:
                out /= self.rate  # in place: no second array of the sample's size
            return out
        return out / self.rate

    # -- summaries ----------------------------------------------------------------------
    def _mean(self):
        return self.shape / self.rate

    def _var(self):
        return self.shape / np.square(self.rate)

    def _entropy(self):
        # alpha + log Gamma(alpha) + (1 - alpha) psi(alpha) = R(alpha), which cancels
        # its O(alpha log alpha) terms analytically
        return entropy_part(self.shape) - np.log(self.rate)

    def _kl(self, other):
        a1, b1, a2, b2 = self.shape, self.rate, other.shape, other.rate
        return (
            (a1 - a2) * special.digamma(a1)
            - special.gammaln(a1)
            + special.gammaln(a2)
            + a2 * (np.log(b1) - np.log(b2))
            + a1 * (b2 - b1) / b1
        )

    # -- maximum likelihood -------------------------------------------------------------
    def log_likelihood(self, data) -> float:
        """Sum of log densities of ``data``: sum_i log f(x_i).

        For one distribution with shape < 100 and positive data this is
        (alpha-1) sum log x - beta sum x + n (alpha log beta - log Gamma(alpha)), from the
        two sums taken in one pass (``_gamma_functions.sums_of_x_and_log_x``).
        """
        a, rate = self.shape, self.rate
        if type(a) is not float or type(rate) is not float or a >= SADDLE_FROM:
            return super().log_likelihood(data)
        data = self._check_data(data)
        total, total_log = sums_of_x_and_log_x(data.ravel())
        if math.isnan(total_log):  # some x <= 0: the density's own rules there
            return super().log_likelihood(data)
        n = data.size
        return float(
            (a - 1.0) * total_log - rate * total + n * (a * math.log(rate) - self._log_gamma_shape)
        )

    @classmethod
    def _fit(cls, data, fixed):
        total, total_log = _positive_sums(data, cls.__name__)
        n = data.size
        shape, rate, n_iter, converged = fit_shape_rate(
            total / n,
            total_log / n,
            shape=fixed.get("shape"),
            rate=fixed.get("rate"),
            family=cls.__name__,
        )
        return {"shape": shape, "rate": rate}, n_iter, converged

    def _information(self, data, free):
        return shape_scale_information(data.size, self.shape, self.rate, free, "rate")


class ChiSquare(Gamma):
    r"""Chi-square distribution with df degrees of freedom, Gamma(df/2, rate=1/2).

    .. math:: f(x) = \frac{x^{k/2-1} e^{-x/2}}{2^{k/2} \Gamma(k/2)}, \qquad x \ge 0

    Parameters
    ----------
    df : float or array_like
        Degrees of freedom k, > 0 (need not be an integer).

    Notes
    -----
    ``scipy.stats.chi2(df)``. Every formula is the gamma distribution's with shape k/2
    and rate 1/2 (F(x) = P(k/2, x/2), mean k, variance 2k). Maximum likelihood of k:
    the score (n/2)[mean(log x) - log 2 - psi(k/2)] is solved by Newton's method (the
    gamma shape fit with the rate fixed at 1/2); standard error from the information
    (n/4) psi'(k/2).

    References
    ----------
    N. L. Johnson, S. Kotz, N. Balakrishnan, *Continuous Univariate Distributions*,
    vol. 1, 2nd ed., chapter 18.

    Examples
    --------
    >>> from mlfoundations.probability.gamma import ChiSquare
    >>> round(ChiSquare(df=1.0).cdf(3.841458820694124), 12)  # the 95% point of chi2(1)
    0.95
    >>> ChiSquare(df=4.0).mean(), ChiSquare(df=4.0).var()
    (4.0, 8.0)
    """

    _parameters = {"df": "positive"}

    def __init__(self, df):
        self._set_parameters(df=df)
        # the gamma hooks read shape and rate; they are not parameters of this family
        self.__dict__["shape"] = self.df * 0.5
        self.__dict__["rate"] = 0.5

    @classmethod
    def _fit(cls, data, fixed):
        if "df" in fixed:
            return {"df": fixed["df"]}, 0, True
        total, total_log = _positive_sums(data, cls.__name__)
        n = data.size
        shape, _, n_iter, converged = fit_shape_rate(
            total / n, total_log / n, rate=0.5, family=cls.__name__
        )
        return {"df": 2.0 * shape}, n_iter, converged

    def _information(self, data, free):
        # l(k) = l_gamma(k/2): d2l/dk2 = (1/4) d2l/dalpha2 = -(n/4) psi'(k/2)
        return np.array([[0.25 * data.size * float(special.zeta(2.0, self.shape))]])


def _positive_sums(data, family):
    """(sum x, sum log x) of data that must be > 0 (log x finite)."""
    total, total_log = sums_of_x_and_log_x(data)
    if math.isnan(total_log):
        raise ValueError(
            f"{family}.fit needs data > 0 (log x must be finite), "
            f"got min(data) = {float(data.min())!r}"
        )
    return total, total_log
