"""Normal data with unknown mean and variance: the normal-inverse-gamma conjugate model.

sigma^2 ~ InverseGamma(alpha, beta),  mu | sigma^2 ~ N(m, sigma^2/kappa),
x_i | mu, sigma^2 ~ N(mu, sigma^2) independently.

The prior on (mu, sigma^2) is the normal-inverse-gamma distribution NIG(m, kappa, alpha,
beta); kappa counts the pseudo-observations behind m and 2 alpha those behind the
variance. References: Murphy, "Conjugate Bayesian analysis of the Gaussian
distribution" (2007), sections 6-7; Gelman et al., *Bayesian Data Analysis*, 3rd ed.,
section 3.3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from .._validation import as_float_array, check_positive, check_real, check_rng
from .conjugate import (
    _LOG_2PI,
    ConjugateModel,
    _equal_tailed,
    _frozen_set,
    mean_and_sum_of_squares,
)
from .inverse_gamma import InverseGamma
from .normal import Normal
from .student_t import StudentT

__all__ = ["NormalInverseGamma", "NormalInverseGammaDistribution"]


@dataclass(frozen=True)
class NormalInverseGammaDistribution:
    r"""The normal-inverse-gamma distribution of a mean and a variance, NIG(m, kappa, alpha, beta).

    .. math:: p(\mu, \sigma^2) = N(\mu \mid m, \sigma^2/\kappa)\,
              \mathrm{IG}(\sigma^2 \mid \alpha, \beta)

    Parameters
    ----------
    m : float
        Location of mu, real.
    kappa : float
        Precision multiplier of mu given sigma^2, > 0.
    alpha, beta : float
        Shape and scale of the inverse gamma on sigma^2, > 0.

    Notes
    -----
    ``scipy.stats.normal_inverse_gamma(mu=m, lmbda=kappa, a=alpha, b=beta)``.
    Integrating out sigma^2 leaves mu ~ StudentT(2 alpha, m, sqrt(beta/(alpha kappa)));
    sigma^2 alone is InverseGamma(alpha, beta).

    References
    ----------
    Murphy, "Conjugate Bayesian analysis of the Gaussian distribution" (2007), section 6.

    Examples
    --------
    >>> from mlfoundations.probability.normal_inverse_gamma import (
    ...     NormalInverseGammaDistribution)
    >>> nig = NormalInverseGammaDistribution(m=1.0, kappa=2.0, alpha=3.0, beta=4.0)
    >>> nig.mean()  # (m, beta/(alpha - 1))
    (1.0, 2.0)
    >>> mu, sigma2 = nig.rvs(size=5, rng=0)
    >>> mu.shape, bool((sigma2 > 0).all())
    ((5,), True)
    """

    m: float
    kappa: float
    alpha: float
    beta: float

    def __post_init__(self):
        _frozen_set(
            self,
            m=check_real(self.m, "m"),
            kappa=check_positive(self.kappa, "kappa"),
            alpha=check_positive(self.alpha, "alpha"),
            beta=check_positive(self.beta, "beta"),
        )

    def logpdf(self, mu, sigma2):
        """Log density log p(mu, sigma^2), broadcasting ``mu`` with ``sigma2``.

        Parameters
        ----------
        mu : float or array_like
            Values of the mean, finite.
        sigma2 : float or array_like
            Values of the variance; the density is 0 (log density -inf) for sigma2 <= 0.

        Returns
        -------
        float or ndarray
            log N(mu | m, sigma2/kappa) + log IG(sigma2 | alpha, beta)
            = 1/2 log(kappa / (2 pi sigma2)) - kappa (mu - m)^2 / (2 sigma2)
            + alpha log beta - log Gamma(alpha) - (alpha + 1) log sigma2 - beta / sigma2.
        """
        mu = as_float_array(mu, "mu")
        sigma2 = as_float_array(sigma2, "sigma2", finite=False)
        if np.isnan(sigma2).any() or np.isneginf(sigma2).any():
            raise ValueError("sigma2 contains NaN or -inf")
        mu, sigma2 = np.broadcast_arrays(mu, sigma2)
        inside = (sigma2 > 0.0) & np.isfinite(sigma2)
        s2 = np.where(inside, sigma2, 1.0)
        out = (
            0.5 * (math.log(self.kappa) - _LOG_2PI - np.log(s2))
            - 0.5 * self.kappa * np.square(mu - self.m) / s2
            + self.alpha * math.log(self.beta)
            - special.gammaln(self.alpha)
            - (self.alpha + 1.0) * np.log(s2)
            - self.beta / s2
        )
        out = np.where(inside, out, -np.inf)
        return float(out) if out.ndim == 0 else out

    def pdf(self, mu, sigma2):
        """Density p(mu, sigma^2) = exp(logpdf(mu, sigma2))."""
        log_density = self.logpdf(mu, sigma2)
        return math.exp(log_density) if isinstance(log_density, float) else np.exp(log_density)

    def rvs(self, size=None, rng=None):
        """Draw (mu, sigma^2) pairs: sigma^2 from the inverse gamma, then mu given it.

        Parameters
        ----------
        size : int or tuple of ints, optional
            Shape of each output; ``None`` gives one pair of floats.
        rng : None, int or numpy.random.Generator
            Source of randomness (SPEC 7).

        Returns
        -------
        (mu, sigma2) : tuple of floats or of ndarrays of shape ``size``
        """
        rng = check_rng(rng)
        sigma2 = InverseGamma(self.alpha, self.beta).rvs(size=size, rng=rng)
        mu = Normal(self.m, np.sqrt(np.asarray(sigma2) / self.kappa)).rvs(size=size, rng=rng)
        return mu, sigma2

    def mean(self) -> tuple[float, float]:
        """(E[mu], E[sigma^2]) = (m, beta/(alpha - 1)); E[sigma^2] is inf for alpha <= 1."""
        return self.m, (self.beta / (self.alpha - 1.0) if self.alpha > 1.0 else math.inf)

    def marginal_mean(self) -> StudentT:
        """Marginal of mu: StudentT(df=2 alpha, mu=m, sigma=sqrt(beta / (alpha kappa)))."""
        return StudentT(2.0 * self.alpha, self.m, math.sqrt(self.beta / (self.alpha * self.kappa)))

    def marginal_variance(self) -> InverseGamma:
        """Marginal of sigma^2: InverseGamma(shape=alpha, scale=beta)."""
        return InverseGamma(self.alpha, self.beta)


@dataclass(frozen=True)
class NormalInverseGamma(ConjugateModel):
    r"""Conjugate model of normal data with unknown mean and unknown variance.

    sigma^2 ~ InverseGamma(alpha0, beta0),  mu | sigma^2 ~ N(mu0, sigma^2/kappa0),
    x_i | mu, sigma^2 ~ N(mu, sigma^2) independently.

    Parameters
    ----------
    mu0 : float, default 0.0
        Prior location of mu.
    kappa0 : float, default 1.0
        Number of pseudo-observations behind mu0, > 0.
    alpha0, beta0 : float, default 1.0
        Shape and scale of the inverse gamma prior on sigma^2, > 0.

    Notes
    -----
    From n observations with mean xbar and sum of squared deviations
    SS = sum (x_i - xbar)^2 (two-pass, so no cancellation):

        kappa_n = kappa0 + n,   mu_n = (kappa0 mu0 + n xbar) / kappa_n,
        alpha_n = alpha0 + n/2,
        beta_n  = beta0 + SS/2 + kappa0 n (xbar - mu0)^2 / (2 kappa_n).

    This is Murphy's update beta_n = beta0 + (kappa0 mu0^2 + sum x_i^2 - kappa_n
    mu_n^2)/2 rearranged so that no large terms cancel.

    - ``posterior``: :class:`NormalInverseGammaDistribution` (mu_n, kappa_n, alpha_n, beta_n);
    - ``posterior_predictive``: StudentT(2 alpha_n, mu_n, sqrt(beta_n (kappa_n + 1) /
      (alpha_n kappa_n)));
    - ``mean()`` and ``credible_interval`` refer to mu by default, through its marginal
      StudentT(2 alpha_n, mu_n, sqrt(beta_n/(alpha_n kappa_n))); ``credible_interval(level,
      parameter="sigma2")`` gives the interval of the variance from InverseGamma(alpha_n,
      beta_n);
    - evidence: log p(x) = log Gamma(alpha_n) - log Gamma(alpha0) + alpha0 log beta0
      - alpha_n log beta_n + 1/2 log(kappa0/kappa_n) - n/2 log(2 pi).

    References
    ----------
    Murphy, "Conjugate Bayesian analysis of the Gaussian distribution" (2007), sections
    6-7; Gelman et al., *Bayesian Data Analysis*, 3rd ed., section 3.3.

    Examples
    --------
    >>> from mlfoundations.probability.normal_inverse_gamma import NormalInverseGamma
    >>> model = NormalInverseGamma(mu0=0.0, kappa0=1.0, alpha0=1.0, beta0=1.0)
    >>> post = model.update([1.0, 2.0, 3.0])
    >>> post  # kappa 1+3, mu 6/4, alpha 1+3/2, beta 1 + 2/2 + 3*4/8
    NormalInverseGamma(mu0=1.5, kappa0=4.0, alpha0=2.5, beta0=3.5)
    >>> post == model.update([3.0]).update([1.0, 2.0])
    True
    """

    mu0: float = 0.0
    kappa0: float = 1.0
    alpha0: float = 1.0
    beta0: float = 1.0

    def __post_init__(self):
        _frozen_set(
            self,
            mu0=check_real(self.mu0, "mu0"),
            kappa0=check_positive(self.kappa0, "kappa0"),
            alpha0=check_positive(self.alpha0, "alpha0"),
            beta0=check_positive(self.beta0, "beta0"),
        )

    def mean(self) -> float:
        """Posterior location of mu, mu_n (its mean when alpha_n > 1/2)."""
        return self.mu0

    def credible_interval(self, level=0.95, parameter: str = "mu") -> tuple[float, float]:
        """Equal-tailed credible interval of ``parameter`` ("mu" or "sigma2").

        Parameters
        ----------
        level : float, default 0.95
            Posterior probability inside the interval, in (0, 1).
        parameter : {"mu", "sigma2"}, default "mu"
            The mean (from its StudentT marginal) or the variance (from its
            InverseGamma marginal).

        Returns
        -------
        (lower, upper) : tuple of float
            Equal posterior mass (1 - level)/2 below ``lower`` and above ``upper``.

        Raises
        ------
        ValueError
            If ``level`` is not in (0, 1) or ``parameter`` is unknown.
        """
        posterior = self._posterior()
        if parameter == "mu":
            return _equal_tailed(posterior.marginal_mean(), level)
        if parameter == "sigma2":
            return _equal_tailed(posterior.marginal_variance(), level)
        raise ValueError(f"parameter must be 'mu' or 'sigma2', got {parameter!r}")

    def _statistics(self, x):
        n = x.size
        xbar, ss = mean_and_sum_of_squares(x)
        kappa_n = self.kappa0 + n
        dev = xbar - self.mu0
        mu_n = (self.kappa0 / kappa_n) * self.mu0 + (n / kappa_n) * xbar
        beta_increment = 0.5 * ss + 0.5 * (self.kappa0 * n / kappa_n) * dev * dev
        return mu_n, kappa_n, self.alpha0 + 0.5 * n, beta_increment

    def _update(self, x):
        mu_n, kappa_n, alpha_n, beta_increment = self._statistics(x)
        return NormalInverseGamma(
            mu0=mu_n, kappa0=kappa_n, alpha0=alpha_n, beta0=self.beta0 + beta_increment
        )

    def _posterior(self):
        return NormalInverseGammaDistribution(self.mu0, self.kappa0, self.alpha0, self.beta0)

    def _predictive(self):
        scale = math.sqrt(self.beta0 * (self.kappa0 + 1.0) / (self.alpha0 * self.kappa0))
        return StudentT(2.0 * self.alpha0, self.mu0, scale)

    def _log_marginal(self, x):
        n = x.size
        _, kappa_n, alpha_n, beta_increment = self._statistics(x)
        beta_n = self.beta0 + beta_increment
        # alpha0 log beta0 - alpha_n log beta_n = -alpha0 log(beta_n/beta0) - n/2 log beta_n
        return (
            special.gammaln(alpha_n)
            - special.gammaln(self.alpha0)
            - self.alpha0 * math.log1p(beta_increment / self.beta0)
            - 0.5 * n * math.log(beta_n)
            + 0.5 * math.log(self.kappa0 / kappa_n)
            - 0.5 * n * _LOG_2PI
        )
