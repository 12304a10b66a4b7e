"""Conjugate Bayesian models: the posterior in closed form.

A prior is conjugate to a likelihood when the posterior lies in the prior's own family;
updating on data then only moves the hyperparameters, and the predictive distribution
of a new observation and the marginal likelihood of the data come out in closed form.
Each model here is a small immutable object holding the hyperparameters of its current
belief: ``update(data)`` returns a new model (the posterior becomes the next prior), so
updating on two batches in turn equals updating on both at once.

- ``BetaBernoulli``: p ~ Beta(a, b), x_i | p ~ Bernoulli(p).
- ``GammaPoisson``: lambda ~ Gamma(shape, rate), x_i | lambda ~ Poisson(lambda).
- ``NormalKnownVariance``: mu ~ N(mu0, tau0^2), x_i | mu ~ N(mu, sigma^2), sigma known.
- ``NormalInverseGamma`` (module ``normal_inverse_gamma``): mean and variance unknown.

References: Gelman et al., *Bayesian Data Analysis*, 3rd ed., chapter 2;
Murphy, "Conjugate Bayesian analysis of the Gaussian distribution" (2007);
Fink, "A compendium of conjugate priors" (1997).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from .._validation import as_float_array, check_positive, check_probability, check_real
from .bernoulli import Bernoulli
from .beta import Beta
from .gamma import Gamma
from .negative_binomial import NegativeBinomial
from .normal import Normal

__all__ = ["ConjugateModel", "BetaBernoulli", "GammaPoisson", "NormalKnownVariance"]

_LOG_2PI = math.log(2.0 * math.pi)


class ConjugateModel:
    """The contract shared by every conjugate model.

    A model is a frozen dataclass of hyperparameters. A subclass writes the hooks
    ``_check_support(x)`` (raise on observations outside the likelihood's support),
    ``_update(x)``, ``_posterior()``, ``_predictive()`` and ``_log_marginal(x)``; they
    receive a validated, finite, non-empty 1-D float array.
    """

    def update(self, data):
        """Condition on ``data`` and return the posterior as a new model.

        Parameters
        ----------
        data : array_like
            Observations, flattened; they are exchangeable, so the order and the
            shape do not matter. Empty data return the model unchanged.

        Returns
        -------
        ConjugateModel
            A model of the same type whose hyperparameters are those of the
            posterior; ``m.update(a).update(b)`` equals ``m.update(concat(a, b))``.

        Raises
        ------
        ValueError
            If ``data`` holds NaN, inf or a value outside the likelihood's support.
        """
        x = self._observations(data)
        return self if x.size == 0 else self._update(x)

    @property
    def posterior(self):
        """The current belief about the parameter, a distribution object."""
        return self._posterior()

    @property
    def posterior_predictive(self):
        """Distribution of the next observation, integral p(x_new | theta) p(theta) dtheta."""
        return self._predictive()

    def mean(self) -> float:
        """The posterior mean of the parameter, E[theta]."""
        return float(self._posterior().mean())

    def credible_interval(self, level=0.95) -> tuple[float, float]:
        """Equal-tailed credible interval of the parameter.

        Parameters
        ----------
        level : float, default 0.95
            Posterior probability inside the interval, in (0, 1).

        Returns
        -------
        (lower, upper) : tuple of float
            F^{-1}((1 - level)/2) and S^{-1}((1 - level)/2) of the posterior, so that
            P(lower <= theta <= upper | data) = level with equal mass outside each end.

        Raises
        ------
        ValueError
            If ``level`` is not in (0, 1).
        """
        return _equal_tailed(self._posterior(), level)

    def log_marginal_likelihood(self, data) -> float:
        """Log evidence of ``data`` under this model's current belief as the prior.

        Parameters
        ----------
        data : array_like
            Observations, flattened.

        Returns
        -------
        float
            log p(x_1, ..., x_n) = log integral prod_i p(x_i | theta) p(theta) dtheta,
            the log probability (or density) of this sequence of observations; 0 for
            empty data. It factorises sequentially: log p(a, b) = log p(a) +
            log p(b | a), the second term from ``self.update(a)``.

        Raises
        ------
        ValueError
            If ``data`` holds NaN, inf or a value outside the likelihood's support.
        """
        x = self._observations(data)
        return 0.0 if x.size == 0 else float(self._log_marginal(x))

    # -- hooks --------------------------------------------------------------------------
    def _observations(self, data) -> np.ndarray:
        x = as_float_array(data, "data").ravel()
        self._check_support(x)
        return x

    def _check_support(self, x) -> None:
        """Observations on the whole real line are valid unless a model says otherwise."""


def _frozen_set(model, **values) -> None:
    """Store validated hyperparameters on a frozen dataclass."""
    for name, value in values.items():
        object.__setattr__(model, name, value)


def _equal_tailed(dist, level) -> tuple[float, float]:
    level = check_probability(level, "level", open_interval=True)
    tail = 0.5 * (1.0 - level)
    # the upper end from the inverse survival function keeps its tail mass exact
    return float(dist.ppf(tail)), float(dist.isf(tail))


def mean_and_sum_of_squares(x: np.ndarray) -> tuple[float, float]:
    """Sample mean and sum of squared deviations, by the corrected two-pass algorithm.

    SS = sum (x_i - xbar)^2 - (sum (x_i - xbar))^2 / n: the second term removes the
    rounding error of xbar (Chan, Golub & LeVeque, "Algorithms for computing the sample
    variance", The American Statistician 37, 1983).
    """
    xbar = float(np.mean(x))
    d = x - xbar
    ss = float(np.dot(d, d)) - float(np.sum(d)) ** 2 / x.size
    return xbar, max(ss, 0.0)


@dataclass(frozen=True)
class BetaBernoulli(ConjugateModel):
    r"""Beta prior on the success probability of Bernoulli trials.

    p ~ Beta(a, b),  x_i | p ~ Bernoulli(p) independently, x_i in {0, 1}.

    Parameters
    ----------
    a, b : float, default 1.0
        Beta hyperparameters, > 0: pseudo-counts of successes and failures
        (a = b = 1 is the uniform prior).

    Notes
    -----
    With s = sum x_i successes in n trials,

    - posterior: Beta(a + s, b + n - s), mean (a + s)/(a + b + n);
    - predictive: Bernoulli(a'/(a' + b')) with a', b' the posterior hyperparameters;
    - evidence of the sequence: p(x_1..x_n) = B(a + s, b + n - s) / B(a, b).

    References
    ----------
    Gelman et al., *Bayesian Data Analysis*, 3rd ed., section 2.4.

    Examples
    --------
    >>> from mlfoundations.probability.conjugate import BetaBernoulli
    >>> model = BetaBernoulli().update([1, 0, 1, 1])
    >>> model
    BetaBernoulli(a=4.0, b=2.0)
    >>> BetaBernoulli().update([1, 0]).update([]).update([1, 1]) == model
    True
    >>> round(model.mean(), 12), round(model.posterior_predictive.p, 12)
    (0.666666666667, 0.666666666667)
    """

    a: float = 1.0
    b: float = 1.0

    def __post_init__(self):
        _frozen_set(self, a=check_positive(self.a, "a"), b=check_positive(self.b, "b"))

    def _check_support(self, x):
        bad = (x != 0.0) & (x != 1.0)
        if bad.any():
            raise ValueError(
                f"data must hold only 0 (failure) and 1 (success), got {float(x[bad][0])!r}"
            )

    def _update(self, x):
        s = float(np.sum(x))
        return BetaBernoulli(a=self.a + s, b=self.b + (x.size - s))

    def _posterior(self):
        return Beta(self.a, self.b)

    def _predictive(self):
        return Bernoulli(self.a / (self.a + self.b))

    def _log_marginal(self, x):
        s = float(np.sum(x))
        return special.betaln(self.a + s, self.b + (x.size - s)) - special.betaln(self.a, self.b)


@dataclass(frozen=True)
class GammaPoisson(ConjugateModel):
    r"""Gamma prior on the rate of Poisson counts.

    lambda ~ Gamma(shape, rate) (density proportional to lambda^(shape-1) e^(-rate lambda)),
    x_i | lambda ~ Poisson(lambda) independently.

    Parameters
    ----------
    shape, rate : float, default 1.0
        Gamma hyperparameters, > 0: as if ``shape`` events had been counted over
        ``rate`` intervals.

    Notes
    -----
    With s = sum x_i over n counts,

    - posterior: Gamma(shape + s, rate + n), mean (shape + s)/(rate + n);
    - predictive: NegativeBinomial(n=shape', p=rate'/(rate' + 1)) (failures before the
      shape'-th success, ``scipy.stats.nbinom``), the Poisson mixed over the posterior
      Gamma(shape', rate');
    - evidence: log p(x) = log Gamma(shape + s) - log Gamma(shape) - shape log(1 + n/rate)
      - s log(rate + n) - sum_i log x_i!.

    References
    ----------
    Gelman et al., *Bayesian Data Analysis*, 3rd ed., section 2.6.

    Examples
    --------
    >>> from mlfoundations.probability.conjugate import GammaPoisson
    >>> model = GammaPoisson(shape=2.0, rate=1.0).update([3, 5, 4])
    >>> model
    GammaPoisson(shape=14.0, rate=4.0)
    >>> model.mean()
    3.5
    """

    shape: float = 1.0
    rate: float = 1.0

    def __post_init__(self):
        _frozen_set(
            self, shape=check_positive(self.shape, "shape"), rate=check_positive(self.rate, "rate")
        )

    def _check_support(self, x):
        bad = (x < 0.0) | (x != np.floor(x))
        if bad.any():
            raise ValueError(
                f"data must hold non-negative integer counts, got {float(x[bad][0])!r}"
            )

    def _update(self, x):
        return GammaPoisson(shape=self.shape + float(np.sum(x)), rate=self.rate + x.size)

    def _posterior(self):
        return Gamma(self.shape, self.rate)

    def _predictive(self):
        return NegativeBinomial(self.shape, self.rate / (self.rate + 1.0))

    def _log_marginal(self, x):
        s, n = float(np.sum(x)), x.size
        # shape log(rate) - (shape + s) log(rate + n), without the cancellation
        return (
            special.gammaln(self.shape + s)
            - special.gammaln(self.shape)
            - self.shape * math.log1p(n / self.rate)
            - s * math.log(self.rate + n)
            - float(np.sum(special.gammaln(x + 1.0)))
        )


@dataclass(frozen=True)
class NormalKnownVariance(ConjugateModel):
    r"""Normal prior on the mean of normal data whose standard deviation is known.

    mu ~ N(mu0, tau0^2),  x_i | mu ~ N(mu, sigma^2) independently, sigma fixed.

    Parameters
    ----------
    mu0 : float, default 0.0
        Prior mean of mu.
    tau0 : float, default 1.0
        Prior standard deviation of mu, > 0.
    sigma : float, default 1.0
        Known standard deviation of each observation, > 0; unchanged by updates.

    Notes
    -----
    Precisions add: 1/tau_n^2 = 1/tau0^2 + n/sigma^2, and the posterior mean is the
    precision-weighted average mu_n = (mu0/tau0^2 + n xbar/sigma^2) tau_n^2.

    - posterior: N(mu_n, tau_n^2);
    - predictive: N(mu_n, tau_n^2 + sigma^2);
    - evidence: x ~ N(mu0 1, sigma^2 I + tau0^2 1 1^T), so with SS = sum (x_i - xbar)^2
      log p(x) = -n/2 log(2 pi sigma^2) - 1/2 log(1 + n tau0^2/sigma^2)
      - SS/(2 sigma^2) - n (xbar - mu0)^2 / (2 (sigma^2 + n tau0^2)).

    It is computed as the convex combination mu_n = w_prior mu0 + w_data xbar with
    w_data = q/(1 + q), w_prior = 1/(1 + q), q = n tau0^2/sigma^2, and
    tau_n = tau0 sigma / hypot(sigma, sqrt(n) tau0), so that extreme ratios tau0/sigma
    neither overflow nor underflow.

    References
    ----------
    Gelman et al., *Bayesian Data Analysis*, 3rd ed., section 2.5;
    Murphy, "Conjugate Bayesian analysis of the Gaussian distribution" (2007), section 2.

    Examples
    --------
    >>> from mlfoundations.probability.conjugate import NormalKnownVariance
    >>> model = NormalKnownVariance(mu0=0.0, tau0=1.0, sigma=1.0).update([2.0, 4.0, 6.0])
    >>> model.mean(), round(model.posterior.sigma ** 2, 12)  # 12/4, 1/(1 + 3)
    (3.0, 0.25)
    """

    mu0: float = 0.0
    tau0: float = 1.0
    sigma: float = 1.0

    def __post_init__(self):
        _frozen_set(
            self,
            mu0=check_real(self.mu0, "mu0"),
            tau0=check_positive(self.tau0, "tau0"),
            sigma=check_positive(self.sigma, "sigma"),
        )

    def _update(self, x):
        n = x.size
        xbar = float(np.mean(x))
        ratio = self.tau0 / self.sigma
        q = n * ratio * ratio  # n tau0^2 / sigma^2, the data's share of the precision
        w_prior = 1.0 / (1.0 + q)
        w_data = q / (1.0 + q) if q < math.inf else 1.0
        h = math.hypot(self.sigma, math.sqrt(n) * self.tau0)
        return NormalKnownVariance(
            mu0=w_prior * self.mu0 + w_data * xbar,
            tau0=self.tau0 * (self.sigma / h),
            sigma=self.sigma,
        )

    def _posterior(self):
        return Normal(self.mu0, self.tau0)

    def _predictive(self):
        return Normal(self.mu0, math.hypot(self.tau0, self.sigma))

    def _log_marginal(self, x):
        n = x.size
        xbar, ss = mean_and_sum_of_squares(x)
        ratio = math.sqrt(n) * self.tau0 / self.sigma
        # log(1 + ratio^2), kept finite when ratio^2 would overflow
        log_det = math.log1p(ratio * ratio) if ratio < 1e150 else 2.0 * math.log(ratio)
        z = math.sqrt(n) * (xbar - self.mu0) / math.hypot(self.sigma, math.sqrt(n) * self.tau0)
        return (
            -0.5 * n * (_LOG_2PI + 2.0 * math.log(self.sigma))
            - 0.5 * log_det
            - 0.5 * (ss / self.sigma) / self.sigma
            - 0.5 * z * z
        )
