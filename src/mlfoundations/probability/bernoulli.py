"""Bernoulli and binomial distributions: one trial, and the successes in n trials."""

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
    log_two_term_mass,
    sample_by_inversion,
    split_by_size,
    tabulated,
)

__all__ = ["Bernoulli", "Binomial", "bernoulli_divergence"]

_ASYMPTOTIC_VARIANCE = 1e5  # n p (1 - p) from which the entropy expansion is used


def _deviance(x, m):
    # x log(x/m) + m - x with 0 log 0 = 0; infinite where m = 0 < x
    if isinstance(x, float) and isinstance(m, float):
        if m == 0.0:
            return math.inf if x > 0.0 else 0.0
        return bd0(x, m)
    x, m = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(m, dtype=float))
    out = bd0(x, np.where(m > 0, m, 1.0))
    return np.where(m > 0, out, np.where(x > 0, np.inf, 0.0))


def bernoulli_divergence(p, q):
    """KL(Bernoulli(p) || Bernoulli(q)) = p log(p/q) + (1 - p) log((1 - p)/(1 - q)).

    Written as bd0(p, q) + bd0(1 - p, 1 - q), a sum of two non-negative deviances
    (the linear terms q - p and p - q cancel), so no digits are lost when p is close
    to q; 0 log 0 = 0, and the divergence is infinite when q puts no mass where p does.
    """
    return _deviance(p, q) + _deviance(1.0 - p, 1.0 - q)


class Bernoulli(DiscreteDistribution):
    r"""Bernoulli distribution: 1 with probability ``p``, 0 with probability 1 - p.

    .. math:: P(X = k) = p^k (1 - p)^{1 - k}, \qquad k \in \{0, 1\}

    Parameters
    ----------
    p : float or array_like
        Probability of success, in [0, 1]; p = 0 and p = 1 are the point masses at 0
        and 1 (mass exactly 1 there, entropy exactly 0).

    Notes
    -----
    ``scipy.stats.bernoulli(p)``. The cdf is 1 - p at 0 and 1 at 1; the quantile is
    the smallest k with F(k) >= q, i.e. 0 if q <= 1 - p and 1 otherwise. Entropy
    -p log p - (1 - p) log(1 - p) (``xlogy``, ``xlog1py``: exact for tiny p and zero at
    p in {0, 1}). KL divergence: :func:`bernoulli_divergence`.

    Maximum likelihood: p_hat = mean(x), the fraction of ones, with standard error
    sqrt(p_hat (1 - p_hat) / n) (the observed information n / (p (1 - p))). At p_hat = 0
    or 1 the information is infinite and the standard error 0: the Wald interval
    degenerates there.

    References
    ----------
    Casella & Berger, *Statistical Inference*, 2nd ed., sections 3.2 and 7.2.

    Examples
    --------
    >>> from mlfoundations.probability.bernoulli import Bernoulli
    >>> d = Bernoulli(p=0.3)
    >>> d.pmf(1), d.pmf(0) + d.pmf(1)
    (0.3, 1.0)
    >>> Bernoulli(p=1.0).entropy()
    0.0
    """

    _parameters = {"p": "probability"}

    def __init__(self, p=0.5):
        self._set_parameters(p=p)

    def _support(self):
        return 0.0, 1.0

    def _pmf(self, k):
        p = self.p
        if self._scalar and isinstance(k, float):
            return p if k == 1.0 else 1.0 - p
        return np.where(k == 1.0, p, 1.0 - p)

    def _logpmf(self, k):
        p = self.p
        if self._scalar and isinstance(k, float):
            if k == 1.0:
                return math.log(p) if p > 0.0 else -math.inf
            return math.log1p(-p) if p < 1.0 else -math.inf
        return np.where(k == 1.0, np.log(p), np.log1p(-p))

    def _cdf(self, k):
        if self._scalar and isinstance(k, float):
            return 1.0 if k >= 1.0 else 1.0 - self.p
        return np.where(k >= 1.0, 1.0, 1.0 - self.p)

    def _sf(self, k):
        if self._scalar and isinstance(k, float):
            return 0.0 if k >= 1.0 else self.p
        return np.where(k >= 1.0, 0.0, self.p)

    def _logcdf(self, k):
        if self._scalar and isinstance(k, float):
            if k >= 1.0:
                return 0.0
            return math.log1p(-self.p) if self.p < 1.0 else -math.inf
        return np.where(k >= 1.0, 0.0, np.log1p(-self.p))

    def _logsf(self, k):
        if self._scalar and isinstance(k, float):
            return -math.inf if k >= 1.0 or self.p == 0.0 else math.log(self.p)
        return np.where(k >= 1.0, -np.inf, np.log(self.p))

    def _ppf(self, q):
        return np.where(q <= 1.0 - self.p, 0.0, 1.0)

    def _isf(self, q):
        return np.where(q >= self.p, 0.0, 1.0)

    def _sample(self, rng, shape):
        return rng.random(shape) < self.p

    def _mean(self):
        return self.p

    def _var(self):
        return self.p * (1.0 - self.p)

    def _median(self):
        return np.where(self.p <= 0.5, 0.0, 1.0)

    def _entropy(self):
        p = self.p
        return -special.xlogy(p, p) - special.xlog1py(1.0 - p, -p) + 0.0

    def _kl(self, other):
        return bernoulli_divergence(self.p, other.p)

    @classmethod
    def _fit(cls, data, fixed):
        check_counts(data, cls.__name__, upper=1.0)
        if "p" in fixed:
            return {"p": fixed["p"]}, 0, True
        return {"p": float(np.mean(data))}, 0, True

    def _information(self, data, free):
        # -d2l/dp2 = s/p^2 + (n - s)/(1 - p)^2, = n / (p (1 - p)) at p = s/n
        return np.array([[_binomial_information(float(np.sum(data)), float(data.size), self.p)]])


def _binomial_information(successes, trials, p):
    """Observed information for p after ``successes`` in ``trials``; inf at p in {0, 1}."""
    if not 0.0 < p < 1.0:
        return math.inf
    return successes / p**2 + (trials - successes) / (1.0 - p) ** 2


def _binomial_log_mass(k, n, p):
    return split_by_size(
        n > SMALL,
        lambda k, n, p: (
            special.gammaln(n + 1.0)
            - special.gammaln(k + 1.0)
            - special.gammaln(n - k + 1.0)
            + special.xlogy(k, p)
            + special.xlog1py(n - k, -p)
        ),
        lambda k, n, p: log_two_term_mass(k, n - k, p),
        k,
        n,
        p,
    )


class Binomial(TabulatedQuantiles, DiscreteDistribution):
    r"""Binomial distribution: the number of successes in ``n`` independent trials.

    .. math:: P(X = k) = \binom{n}{k} p^k (1 - p)^{n - k}, \qquad k = 0, \ldots, n

    Parameters
    ----------
    n : int or array_like
        Number of trials, an integer >= 0.
    p : float or array_like
        Probability of success of each trial, in [0, 1].

    Notes
    -----
    ``scipy.stats.binom(n, p)``. While n <= 32 the log-mass is
    log n! - log k! - log (n - k)! + k log p + (n - k) log(1 - p) (``gammaln``,
    ``xlogy``, ``xlog1py``; exact at p = 0 and p = 1); for larger n it is Loader's
    saddle-point form (``_discrete_kernels``), accurate to a few ulps for any n where
    the log-gamma form would lose log10(n log n) digits. The cdf
    ``bdtr(k, n, p)`` = I_{1-p}(n - k, k + 1) is evaluated as ``betaincc(k + 1, n - k, p)``
    and the sf ``bdtrc`` as ``betainc(k + 1, n - k, p)``: the regularised incomplete beta
    function at p itself, so 1 - p is never formed and the upper tail is never 1 - F.
    Quantiles and repeated integers as for :class:`~.poisson.Poisson`.

    Entropy: -sum f(k) log f(k) over the k between the t and 1 - t quantiles,
    t = 1e-20 min(1, n p (1 - p)); from n p (1 - p) >= 1e5 on, the Edgeworth expansion
    1/2 log(2 pi e s^2) - g1^2/12 - (g2^2/48 + 7 g1^4/48 - g1^2 g2/8) with s^2 = n p (1 - p),
    skewness g1 = (1 - 2p)/s and excess kurtosis g2 = (1 - 6 p (1 - p))/s^2 (its error is
    O(s^-6), below 1e-16 there). KL divergence for equal n: n KL(Bernoulli(p) ||
    Bernoulli(q)).

    Maximum likelihood with n known (``Binomial.fit(k, n=10)``; n is never estimated):
    p_hat = mean(k) / n with standard error sqrt(p_hat (1 - p_hat) / (N n)) for N
    observations.

    References
    ----------
    Johnson, Kemp & Kotz, *Univariate Discrete Distributions*, 3rd ed., chapter 3.
    C. Loader, "Fast and accurate computation of binomial probabilities", 2000.
    P. Comon, "Independent component analysis, a new concept?", Signal Processing 36
    (1994), eq. 3.5 (the Edgeworth expansion of the entropy).

    Examples
    --------
    >>> from mlfoundations.probability.bernoulli import Binomial
    >>> d = Binomial(n=10, p=0.5)
    >>> abs(d.pmf(5) - 252 / 1024) < 1e-15
    True
    >>> d.mean(), d.var()
    (5.0, 2.5)
    """

    _parameters = {"n": "count", "p": "probability"}

    def __init__(self, n=1, p=0.5):
        self._set_parameters(n=n, p=p)

    def _support(self):
        return 0.0, self.n

    def _logpmf(self, k):
        n, p = self.n, self.p
        if self._scalar and isinstance(k, float):
            if n > SMALL:
                return log_two_term_mass(float(k), n - k, p)
            if p == 0.0 or p == 1.0:
                return 0.0 if k == n * p else -math.inf
            return (
                math.lgamma(n + 1.0)
                - math.lgamma(k + 1.0)
                - math.lgamma(n - k + 1.0)
                + k * math.log(p)
                + (n - k) * math.log1p(-p)
            )
        if self._scalar:
            return tabulated(lambda k: _binomial_log_mass(k, n, p), k)
        return _binomial_log_mass(k, n, p)

    def _pmf(self, k):
        if self._scalar and isinstance(k, np.ndarray):
            return tabulated(lambda k: np.exp(_binomial_log_mass(k, self.n, self.p)), k)
        return np.exp(self._logpmf(k))

    def _cdf(self, k):
        n, p = self.n, self.p
        if self._scalar and isinstance(k, float):
            return special.betaincc(k + 1.0, n - k, p) if k < n else 1.0
        if self._scalar:
            return tabulated(lambda k: self._cdf_formula(k, n, p), k)
        return self._cdf_formula(k, n, p)

    def _sf(self, k):
        n, p = self.n, self.p
        if self._scalar and isinstance(k, float):
            return special.betainc(k + 1.0, n - k, p) if k < n else 0.0
        if self._scalar:
            return tabulated(lambda k: self._sf_formula(k, n, p), k)
        return self._sf_formula(k, n, p)

    @staticmethod
    def _cdf_formula(k, n, p):
        # F(k) = I_{1-p}(n - k, k + 1) = 1 - I_p(k + 1, n - k); F(n) = 1
        return np.where(k < n, special.betaincc(k + 1.0, np.maximum(n - k, 1.0), p), 1.0)

    @staticmethod
    def _sf_formula(k, n, p):
        return np.where(k < n, special.betainc(k + 1.0, np.maximum(n - k, 1.0), p), 0.0)

    def _sample(self, rng, shape):
        k = sample_by_inversion(self, rng, shape)
        if k is not None:
            return k
        n = int(self.n) if self._scalar else np.asarray(self.n).astype(np.int64)
        return rng.binomial(n, self.p, size=shape)

    def _mean(self):
        return self.n * self.p

    def _var(self):
        return self.n * self.p * (1.0 - self.p)

    def _entropy(self):
        s2 = np.asarray(self._broadcast(self._var()), dtype=float)
        out = np.zeros(s2.shape)  # a point mass (p in {0, 1} or n = 0) has entropy 0
        middle = (s2 > 0) & (s2 < _ASYMPTOTIC_VARIANCE)
        large = s2 >= _ASYMPTOTIC_VARIANCE
        n = np.broadcast_to(self.n, s2.shape)
        p = np.broadcast_to(self.p, s2.shape)
        if middle.any():
            out[middle] = entropy_by_summation(Binomial(n=n[middle], p=p[middle]))
        if large.any():
            s2l, pl = s2[large], p[large]
            g1sq = (1.0 - 2.0 * pl) ** 2 / s2l
            g2 = (1.0 - 6.0 * pl * (1.0 - pl)) / s2l
            out[large] = (
                0.5 * np.log(2.0 * math.pi * math.e * s2l)
                - g1sq / 12.0
                - (g2 * g2 / 48.0 + 7.0 * g1sq * g1sq / 48.0 - g1sq * g2 / 8.0)
            )
        return out

    def _kl(self, other):
        if np.any(np.asarray(self.n) != np.asarray(other.n)):
            raise ValueError(
                "the closed-form KL divergence between binomials needs equal n, got "
                f"n={self.n!r} and n={other.n!r}"
            )
        kl = bernoulli_divergence(self.p, other.p)
        return np.where(np.asarray(self.n) == 0, 0.0, self.n * kl)  # n = 0: both a point at 0

    @classmethod
    def _fit(cls, data, fixed):
        if "n" not in fixed:
            raise ValueError(
                "Binomial.fit needs the number of trials n, which is not estimated: "
                "pass it, e.g. Binomial.fit(data, n=10)"
            )
        n = fixed["n"]
        check_counts(data, cls.__name__, upper=n)
        if "p" in fixed:
            return {"n": n, "p": fixed["p"]}, 0, True
        if n == 0.0:
            raise ValueError("with n = 0 trials the data carry no information about p")
        return {"n": n, "p": float(np.mean(data)) / n}, 0, True

    def _information(self, data, free):
        # -d2l/dp2 = sum k / p^2 + sum (n - k) / (1 - p)^2
        return np.array([[_binomial_information(float(np.sum(data)), self.n * data.size, self.p)]])
