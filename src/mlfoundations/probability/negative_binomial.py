"""The negative binomial distribution: failures before the n-th success."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ._discrete import DiscreteDistribution
from ._discrete_kernels import (
    SMALL,
    TabulatedQuantiles,
    check_counts,
    entropy_by_summation,
    log_two_term_mass,
    sample_by_inversion,
    split_by_size,
    tabulated,
)
from ._fitting import newton_maximize

__all__ = ["NegativeBinomial"]

_ASYMPTOTIC_SIZE = 1e5  # n (1 - p) from which the entropy expansion is used


def _direct(k, r, p):
    return (
        special.gammaln(k + r)
        - special.gammaln(r)
        - special.gammaln(k + 1.0)
        + r * np.log(p)
        + special.xlog1py(k, -p)
    )


def _saddle(k, r, p):
    # C(k + r - 1, k) = r / (r + k) * C(r + k, r)
    return np.log(r / (r + k)) + log_two_term_mass(r, k, p)


def _log_mass(k, r, p):
    return split_by_size((k + r) > SMALL, _direct, _saddle, k, r, p)


class NegativeBinomial(TabulatedQuantiles, DiscreteDistribution):
    r"""Negative binomial distribution: the number of failures before the n-th success.

    .. math:: P(X = k) = \frac{\Gamma(k + n)}{k!\,\Gamma(n)} p^n (1 - p)^k,
              \qquad k = 0, 1, 2, \ldots

    Parameters
    ----------
    n : float or array_like
        Number of successes, a real number > 0 (for non-integer n the mass is the
        Gamma mixture of Poissons below).
    p : float or array_like
        Probability of success of each trial, in (0, 1]; p = 1 is the point mass at 0.

    Notes
    -----
    ``scipy.stats.nbinom(n, p)``. Mean n (1 - p) / p, variance n (1 - p) / p^2 > mean.
    It is the Poisson(lambda) mixed over lambda ~ Gamma(shape=n, rate=p / (1 - p)), so
    it is the posterior predictive of the Gamma-Poisson model.

    While k + n <= 32 the log-mass is log Gamma(k + n) - log Gamma(n) - log k!
    + n log p + k log(1 - p); beyond, log(n / (n + k)) plus Loader's saddle-point form
    of log[C(n + k, n) p^n (1 - p)^k] (``_discrete_kernels``), accurate to a few ulps
    for any n and k. The cdf is the regularised incomplete beta function
    I_p(n, k + 1) (``betainc``), the sf its complement ``betaincc``. Quantiles and
    repeated integers as for :class:`~.poisson.Poisson`.

    Entropy: -sum f(k) log f(k) over the k between the t and 1 - t quantiles,
    t = 1e-20 min(1, Var X); from n (1 - p) >= 1e5 on, the Edgeworth expansion
    1/2 log(2 pi e s^2) - g1^2/12 - (g2^2/48 + 7 g1^4/48 - g1^2 g2/8) with
    s^2 = n (1 - p)/p^2, g1^2 = (2 - p)^2 / (n (1 - p)), g2 = (6 (1 - p) + p^2) / (n (1 - p)).
    With n (1 - p) below 1e5 and a standard deviation above ~2e5 (p tiny) the sum would
    need more than 4 million terms and ``entropy`` raises ``ValueError``.

    Maximum likelihood (both parameters): for a fixed n the score in p vanishes at
    p = n / (n + mean(x)); the profile log-likelihood in n is maximised by Newton's
    method in log n from the moment estimate n0 = mean^2 / (var - mean), using
    d/dn = sum psi(x_i + n) - N psi(n) + N log(n / (n + mean)). The estimate exists if
    and only if the data are over-dispersed, var > mean (biased variance; Aragon,
    Eberly & Eberly 1992), otherwise the likelihood increases to the Poisson limit
    n -> infinity and ``fit`` raises ``ValueError``. With n fixed, p_hat = n / (n + mean);
    with p fixed, Newton on n alone. Standard errors from the analytic observed
    information: -d2l/dn2 = N psi'(n) - sum psi'(x_i + n), -d2l/dn dp = -N / p,
    -d2l/dp2 = N n / p^2 + sum x_i / (1 - p)^2.

    References
    ----------
    Johnson, Kemp & Kotz, *Univariate Discrete Distributions*, 3rd ed., chapter 5.
    C. Loader, "Fast and accurate computation of binomial probabilities", 2000.
    J. Aragon, D. Eberly and S. Eberly, "Existence and uniqueness of the maximum
    likelihood estimator for the two-parameter negative binomial distribution",
    Statistics & Probability Letters 15 (1992) 375-379.

    Examples
    --------
    >>> from mlfoundations.probability.negative_binomial import NegativeBinomial
    >>> d = NegativeBinomial(n=1.0, p=0.25)  # geometric: (1 - p)^k p
    >>> round(d.pmf(2), 15) == round(0.75**2 * 0.25, 15)
    True
    >>> d.mean(), d.var()
    (3.0, 12.0)
    """

    _parameters = {"n": "positive", "p": "probability"}

    def __init__(self, n=1.0, p=0.5):
        self._set_parameters(n=n, p=p)
        p = self.p
        if (p == 0.0) if type(p) is float else np.any(p == 0.0):
            raise ValueError("p must be in (0, 1] (p = 0 never reaches a success), got 0.0")

    def _support(self):
        return 0.0, math.inf

    def _logpmf(self, k):
        r, p = self.n, self.p
        if self._scalar and isinstance(k, float):
            if p == 1.0:  # the point mass at 0
                return 0.0 if k == 0.0 else -math.inf
            if k + r <= SMALL:
                return (
                    math.lgamma(k + r)
                    - math.lgamma(r)
                    - math.lgamma(k + 1.0)
                    + r * math.log(p)
                    + (k * math.log1p(-p) if k > 0.0 else 0.0)
                )
            if k == math.inf:
                return -math.inf
            return math.log(r / (r + k)) + log_two_term_mass(float(r), float(k), p)
        if self._scalar:
            return tabulated(lambda k: _log_mass(k, r, p), k)
        return _log_mass(k, r, p)

    def _pmf(self, k):
        if self._scalar and isinstance(k, np.ndarray):
            return tabulated(lambda k: np.exp(_log_mass(k, self.n, self.p)), k)
        return np.exp(self._logpmf(k))

    def _cdf(self, k):
        if self._scalar and isinstance(k, np.ndarray):
            return tabulated(lambda k: special.betainc(self.n, k + 1.0, self.p), k)
        return special.betainc(self.n, k + 1.0, self.p)

    def _sf(self, k):
        if self._scalar and isinstance(k, np.ndarray):
            return tabulated(lambda k: special.betaincc(self.n, k + 1.0, self.p), k)
        return special.betaincc(self.n, k + 1.0, self.p)

    def _sample(self, rng, shape):
        k = sample_by_inversion(self, rng, shape)
        return rng.negative_binomial(self.n, self.p, size=shape) if k is None else k

    def _mean(self):
        return self.n * (1.0 - self.p) / self.p

    def _var(self):
        return self.n * (1.0 - self.p) / self.p**2

    def _entropy(self):
        shape = self._batch_shape
        r = np.broadcast_to(np.asarray(self.n, dtype=float), shape)
        p = np.broadcast_to(np.asarray(self.p, dtype=float), shape)
        rq = r * (1.0 - p)
        out = np.zeros(shape)  # p = 1: a point mass at 0
        middle = (rq > 0) & (rq < _ASYMPTOTIC_SIZE)
        large = rq >= _ASYMPTOTIC_SIZE
        if middle.any():
            out[middle] = entropy_by_summation(NegativeBinomial(n=r[middle], p=p[middle]))
        if large.any():
            rql, pl = rq[large], p[large]
            g1sq = (2.0 - pl) ** 2 / rql
            g2 = (6.0 * (1.0 - pl) + pl * pl) / rql
            out[large] = (
                0.5 * np.log(2.0 * math.pi * math.e * rql / pl**2)
                - g1sq / 12.0
                - (g2 * g2 / 48.0 + 7.0 * g1sq * g1sq / 48.0 - g1sq * g2 / 8.0)
            )
        return out

    # -- maximum likelihood ---------------------------------------------------------------
    @classmethod
    def _fit(cls, data, fixed):
        check_counts(data, cls.__name__)
        if fixed.get("p") == 0.0:
            raise ValueError("p must be in (0, 1] (p = 0 never reaches a success), got 0.0")
        values, counts = np.unique(data, return_counts=True)
        n_obs, mean = float(data.size), float(np.mean(data))
        if "n" in fixed:
            r = fixed["n"]
            return {"n": r, "p": fixed.get("p", r / (r + mean))}, 0, True
        if mean == 0.0:
            raise ValueError(
                "all data are 0: the likelihood p^(N n) increases towards p -> 1 or n -> 0 "
                "and has no maximum (n is not identifiable)"
            )

        def digamma_sum(r, order=0):  # sum_i psi^(order)(x_i + r) - N psi^(order)(r)
            return float(
                np.dot(counts, special.polygamma(order, values + r))
                - n_obs * special.polygamma(order, r)
            )

        def log_gamma_sum(r):
            return float(np.dot(counts, special.gammaln(values + r)) - n_obs * special.gammaln(r))

        total = float(np.dot(counts, values))
        if "p" in fixed:
            p = fixed["p"]
            if p == 1.0:
                raise ValueError("p = 1 puts all mass at 0, but the data are not all 0")

            def loglik(t):
                r = math.exp(t[0])
                return log_gamma_sum(r) + n_obs * r * math.log(p)

            def score_and_hessian(t):
                # chain rule for t = log n: dl/dt = n l'(n), d2l/dt2 = n^2 l''(n) + n l'(n)
                r = math.exp(t[0])
                g = digamma_sum(r) + n_obs * math.log(p)
                h = digamma_sum(r, 1)
                return np.array([r * g]), np.array([[r * r * h + r * g]])

            r0 = max(mean * p / (1.0 - p), 1e-3)  # moment estimate from the mean
        else:
            var = float(np.dot(counts, (values - mean) ** 2)) / n_obs
            if not var > mean:
                raise ValueError(
                    f"the data are not over-dispersed (variance {var:.6g} <= mean {mean:.6g}): "
                    "the negative binomial likelihood increases towards the Poisson limit "
                    "n -> infinity and has no maximum; fit a Poisson instead"
                )

            def loglik(t):
                # profile log-likelihood: p = n / (n + mean) maximises over p for this n
                r = math.exp(t[0])
                return (
                    log_gamma_sum(r)
                    + n_obs * r * math.log(r / (r + mean))
                    + total * math.log(mean / (r + mean))
                )

            def score_and_hessian(t):
                r = math.exp(t[0])
                g = digamma_sum(r) + n_obs * math.log(r / (r + mean))
                h = digamma_sum(r, 1) + n_obs * mean / (r * (r + mean))
                return np.array([r * g]), np.array([[r * r * h + r * g]])

            r0 = mean * mean / (var - mean)
        theta, n_iter, converged = newton_maximize(
            score_and_hessian,
            loglik,
            np.array([math.log(r0)]),
            valid=lambda t: abs(t[0]) < 700.0,
            family=cls.__name__,
        )
        r = math.exp(theta[0])
        p = fixed.get("p", r / (r + mean))
        return {"n": r, "p": p}, n_iter, converged

    def _information(self, data, free):
        r, p = self.n, self.p
        n_obs, total = data.size, float(np.sum(data))
        entries = {
            ("n", "n"): n_obs * special.polygamma(1, r)
            - float(np.sum(special.polygamma(1, data + r))),
            ("n", "p"): -n_obs / p,
            ("p", "p"): n_obs * r / p**2 + (total / (1.0 - p) ** 2 if total > 0 else 0.0),
        }
        return np.array(
            [[entries.get((a, b), entries.get((b, a))) for b in free] for a in free], dtype=float
        )
