"""The Poisson distribution: the number of events of a constant-rate process."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ._discrete import DiscreteDistribution
from ._discrete_kernels import (
    SMALL,
    TabulatedQuantiles,
    bd0,
    check_counts,
    entropy_by_summation,
    log_poisson_mass,
    sample_by_inversion,
    split_by_size,
    tabulated,
)

__all__ = ["Poisson"]

_ASYMPTOTIC_RATE = 1e4  # from here the entropy expansion errs by < 2e-17 (next term -0.1125/rate^4)
_SERIES_TERMS = np.arange(2.0, 40.0)  # rate <= 1: rate^40 / 40! < 1e-47


def _log_mass(k, lam):
    # log f = k log(lam) - lam - log k!, the saddle-point form when an argument is large
    return split_by_size(
        (k > SMALL) | (lam > SMALL),
        lambda k, lam: special.xlogy(k, lam) - lam - special.gammaln(k + 1.0),
        log_poisson_mass,
        k,
        lam,
    )


class Poisson(TabulatedQuantiles, DiscreteDistribution):
    r"""Poisson distribution with rate (mean) ``rate``.

    .. math:: P(X = k) = \frac{\lambda^k e^{-\lambda}}{k!}, \qquad k = 0, 1, 2, \ldots

    Parameters
    ----------
    rate : float or array_like
        The mean number of events lambda, > 0.

    Notes
    -----
    ``scipy.stats.poisson(mu=rate)``. The log-mass is k log(lambda) - lambda - log k!
    with ``xlogy`` and ``gammaln`` while k and lambda are at most 32; beyond, it is
    Loader's saddle-point form -stirlerr(k) - bd0(k, lambda) - log(2 pi k)/2, whose
    relative error stays a few ulps where the log-gamma form loses about
    log10(k log k) digits (SciPy's pmf at rate 1e12 is off by ~4e-3 near the mode).
    The cdf is ``pdtr`` = Q(k + 1, lambda), the sf ``pdtrc`` = P(k + 1, lambda)
    (regularised incomplete gamma functions), so the upper tail is never 1 - F. The
    quantile, the smallest k with F(k) >= q, is found by a few unit steps from the
    normal approximation for one q, by a binary search in the cdf tabulated between
    the extreme quantiles for many q (``_discrete_kernels.TabulatedQuantiles``), and
    by the base class's bracketing search for a batch of rates. A distribution with a
    scalar rate evaluated at many integers of a short range computes each distinct
    integer once (``tabulated``).

    The entropy has no closed form. For lambda <= 1 it is
    lambda (1 - log lambda) + E[log X!] (a series in lambda^k / k!, no cancellation);
    for 1 < lambda < 1e4 it is -sum f(k) log f(k) over the k between the 1e-20 and
    1 - 1e-20 quantiles (the omitted tail mass is below 2e-20); from 1e4 on it is the
    asymptotic expansion 1/2 log(2 pi e lambda) - 1/(12 lambda) - 1/(24 lambda^2)
    - 19/(360 lambda^3), whose next term is about -0.1125 / lambda^4 (Evans et al. 1988;
    the coefficient measured here with mpmath).

    KL(Poisson(a) || Poisson(b)) = a log(a/b) + b - a = bd0(a, b), computed without
    cancellation when a is close to b. Maximum likelihood: lambda_hat = mean(x), with
    standard error sqrt(lambda_hat / n); it does not exist for all-zero data.

    References
    ----------
    Johnson, Kemp & Kotz, *Univariate Discrete Distributions*, 3rd ed., chapter 4.
    C. Loader, "Fast and accurate computation of binomial probabilities", 2000.
    R. J. Evans, J. Boersma, N. M. Blachman and A. A. Jagers, "The entropy of a
    Poisson distribution", SIAM Review 30 (1988) 314-317.

    Examples
    --------
    >>> from mlfoundations.probability.poisson import Poisson
    >>> d = Poisson(rate=4.0)
    >>> round(d.pmf(2), 12) == round(4.0**2 * 2.718281828459045**-4 / 2, 12)
    True
    >>> abs(d.cdf(2) - (d.pmf(0) + d.pmf(1) + d.pmf(2))) < 1e-15
    True
    >>> d.ppf(d.cdf(6.0))
    6.0
    """

    _parameters = {"rate": "positive"}

    def __init__(self, rate=1.0):
        self._set_parameters(rate=rate)

    def _support(self):
        return 0.0, math.inf

    def _logpmf(self, k):
        lam = self.rate
        if self._scalar and isinstance(k, float):
            if k <= SMALL and lam <= SMALL:
                return k * math.log(lam) - lam - math.lgamma(k + 1.0)
            return log_poisson_mass(float(k), lam)  # -inf at k = inf
        if self._scalar:
            return tabulated(lambda k: _log_mass(k, lam), k)
        return _log_mass(k, lam)

    def _pmf(self, k):
        if self._scalar and isinstance(k, np.ndarray):
            return tabulated(lambda k: np.exp(_log_mass(k, self.rate)), k)
        return np.exp(self._logpmf(k))

    def _cdf(self, k):
        if self._scalar and isinstance(k, np.ndarray):
            return tabulated(lambda k: special.pdtr(k, self.rate), k)
        return special.pdtr(k, self.rate)

    def _sf(self, k):
        if self._scalar and isinstance(k, np.ndarray):
            return tabulated(lambda k: special.pdtrc(k, self.rate), k)
        return special.pdtrc(k, self.rate)

    def _sample(self, rng, shape):
        k = sample_by_inversion(self, rng, shape)
        return rng.poisson(self.rate, size=shape) if k is None else k

    def _mean(self):
        return self.rate

    def _var(self):
        return self.rate

    def _entropy(self):
        lam = np.asarray(self.rate, dtype=float)
        out = np.empty(lam.shape)
        small, large = lam <= 1.0, lam >= _ASYMPTOTIC_RATE
        middle = ~(small | large)
        if small.any():
            # H = sum_k f(k) (lam - k log lam + log k!) = lam (1 - log lam) + E[log X!]
            ls = lam[small][..., None]
            k = _SERIES_TERMS
            tail = np.exp(log_poisson_mass(k, ls)) * special.gammaln(k + 1.0)
            out[small] = ls[..., 0] * (1.0 - np.log(ls[..., 0])) + tail.sum(axis=-1)
        if middle.any():
            out[middle] = entropy_by_summation(Poisson(rate=lam[middle]))
        if large.any():
            r = 1.0 / lam[large]
            out[large] = 0.5 * np.log(2.0 * math.pi * math.e * lam[large]) - r * (
                1.0 / 12.0 + r * (1.0 / 24.0 + r * (19.0 / 360.0))
            )
        return out

    def _kl(self, other):
        return bd0(self.rate, other.rate)

    @classmethod
    def _fit(cls, data, fixed):
        check_counts(data, cls.__name__)
        if "rate" in fixed:
            return {"rate": fixed["rate"]}, 0, True
        rate = float(np.mean(data))
        if rate == 0.0:
            raise ValueError(
                "all data are 0: the Poisson likelihood exp(-n rate) increases to rate -> 0, "
                "which is not a valid rate (rate must be > 0); the MLE does not exist"
            )
        return {"rate": rate}, 0, True

    def _information(self, data, free):
        # -d2l/drate2 = sum(k) / rate^2  (= n / rate at the estimate)
        return np.array([[float(np.sum(data)) / self.rate**2]])
