"""The beta distribution on [0, 1]."""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np
from scipy import special

from ._base import ContinuousDistribution
from ._beta_functions import (
    SADDLE_FROM,
    TINY,
    apply_where,
    beta_inverse,
    beta_logpdf_saddle,
    betainc_complement,
    entropy_part,
    log_beta,
    log_incomplete_beta,
    piecewise,
)
from ._fitting import newton_maximize

__all__ = ["Beta"]


def _logpdf(a, b, x, log_b):
    """log f(x) = (a-1) log x + (b-1) log(1-x) - log B(a, b), broadcasting."""
    if type(a) is float and type(b) is float:
        if a >= SADDLE_FROM and b >= SADDLE_FROM:
            return beta_logpdf_saddle(a, b, x, 1.0 - x)
        return special.xlogy(a - 1.0, x) + special.xlog1py(b - 1.0, -x) - log_b
    naive = special.xlogy(a - 1.0, x) + special.xlog1py(b - 1.0, -x) - log_b
    large = np.minimum(a, b) >= SADDLE_FROM
    if np.any(large):  # each of the three terms is O(a + b): use the saddle-point form
        return np.where(large, beta_logpdf_saddle(a, b, x, 1.0 - x), naive)
    return naive


def _log_tail_deep(a, b, x, lower):
    """log I_x(a, b) (lower) or log I_{1-x}(b, a) (upper) where it underflows."""
    log_front = _logpdf(a, b, x, log_beta(a, b)) + np.log(x) + np.log1p(-x)
    if lower:
        return log_incomplete_beta(a, b, x / (1.0 - x), log_front)
    return log_incomplete_beta(b, a, (1.0 - x) / x, log_front)


def _upper_tail(a, b, x):
    """S(x) = 1 - I_x(a, b) = I_{1-x}(b, a) to full relative accuracy.

    For x >= 1/2, 1 - x is exact and ``betainc(b, a, 1 - x)`` is direct; below, 1 - I_x
    where I_x <= 0.9, else ``betaincc`` (exact, but ~10x slower than ``betainc``).
    """
    return piecewise(
        x < 0.5,
        betainc_complement,
        lambda a, b, x: special.betainc(b, a, 1.0 - x),
        a,
        b,
        x,
    )


class Beta(ContinuousDistribution):
    r"""Beta distribution Beta(a, b) on [0, 1].

    .. math:: f(x) = \frac{x^{a-1} (1-x)^{b-1}}{B(a, b)}, \qquad 0 \le x \le 1

    Parameters
    ----------
    a : float or array_like
        First shape parameter, > 0 (the exponent of x).
    b : float or array_like
        Second shape parameter, > 0 (the exponent of 1 - x).

    Notes
    -----
    ``scipy.stats.beta(a, b)``. The cdf is the regularized incomplete beta function
    I_x(a, b) (``scipy.special.betainc``), the sf I_{1-x}(b, a) where 1 - x is exact
    (x >= 1/2), else 1 - I_x where I_x <= 0.9, else ``betaincc`` (exact, ~10x slower); the
    quantiles ``betaincinv`` and ``betainccinv``, except for q < 1e-10, where SciPy's
    inverses can be NaN or far off (at a = 1000, b = 20, q = 1e-300 its x has
    I_x = e^36 q) and Newton's method on log I_x = log q, with log I_x from the
    continued fraction, gives x to ~|log q| eps relative.
    The log density is (a-1) log x + (b-1) log1p(-x) - log B(a, b); at x = 0 it is +inf
    for a < 1, log(b) for a = 1 and -inf for a > 1 (and likewise at 1 with b), as in SciPy.
    When both shapes are >= 100 those three terms are each of order a + b and nearly
    cancel, so the density switches to Loader's saddle-point form (see
    ``_beta_functions.beta_logpdf_saddle``). Where I_x underflows, log I_x comes from
    Gauss's continued fraction (``logcdf(1e-300)`` stays finite).

    Mean a/(a+b), variance ab/((a+b)^2 (a+b+1)); entropy
    log B(a, b) - (a-1) psi(a) - (b-1) psi(b) + (a+b-2) psi(a+b), evaluated through
    R(x) = log Gamma(x) - (x-1) psi(x) + x so that huge shapes do not cancel;
    KL(Beta(a1, b1) || Beta(a2, b2)) = log B(a2, b2) - log B(a1, b1) + (a1-a2) psi(a1)
    + (b1-b2) psi(b1) + (a2-a1+b2-b1) psi(a1+b1).

    Maximum likelihood: the log-likelihood n[(a-1) s1 + (b-1) s2 - log B(a, b)] depends
    on the data only through s1 = mean(log x) and s2 = mean(log(1-x)); its score
    n[s1 - psi(a) + psi(a+b), s2 - psi(b) + psi(a+b)] is solved by Newton's method
    (Hessian -n[psi'(a) - psi'(a+b), -psi'(a+b); -psi'(a+b), psi'(b) - psi'(a+b)],
    concave everywhere) from the method-of-moments start a = m c, b = (1-m) c with
    c = m(1-m)/v - 1. Every iteration is O(1). The data must lie strictly inside (0, 1).

    References
    ----------
    N. L. Johnson, S. Kotz, N. Balakrishnan, *Continuous Univariate Distributions*,
    vol. 2, 2nd ed., chapter 25. C. Loader, "Fast and accurate computation of binomial
    probabilities", 2000. NIST DLMF 8.17.

    Examples
    --------
    >>> from mlfoundations.probability.beta import Beta
    >>> d = Beta(2.0, 3.0)
    >>> round(d.cdf(0.5), 12)  # I_{1/2}(2, 3) = 11/16
    0.6875
    >>> abs(d.ppf(d.cdf(0.3)) - 0.3) < 1e-15
    True
    """

    _parameters = {"a": "positive", "b": "positive"}

    def __init__(self, a, b):
        self._set_parameters(a=a, b=b)

    @cached_property
    def _log_b(self):
        return log_beta(self.a, self.b)

    def _support(self):
        return 0.0, 1.0

    # -- density and distribution functions ---------------------------------------------
    def _logpdf(self, x):
        return _logpdf(self.a, self.b, x, self._log_b)

    def _cdf(self, x):
        return special.betainc(self.a, self.b, x)

    def _sf(self, x):
        return _upper_tail(self.a, self.b, x)

    def _logcdf(self, x):
        return self._log_tail(x, lower=True)

    def _logsf(self, x):
        return self._log_tail(x, lower=False)

    def _log_tail(self, x, lower):
        # the smaller tail directly; the larger as log1p(-other); underflow via the CF
        a, b = self.a, self.b
        if lower:
            tail, other, edge = special.betainc, _upper_tail, 0.0
        else:
            tail, other, edge = _upper_tail, special.betainc, 1.0
        p = tail(a, b, x)
        if np.ndim(p) == 0:
            if p > 0.5:
                return math.log1p(-other(a, b, x))
            if p >= TINY:
                return math.log(p)
            return -math.inf if x == edge else _log_tail_deep(a, b, x, lower)
        out = np.log(p)
        big = p > 0.5
        if big.any():
            out[big] = np.log1p(-apply_where(big, other, a, b, x))
        deep = (p < TINY) & (x != edge)
        if deep.any():
            out[deep] = apply_where(deep, lambda a, b, x: _log_tail_deep(a, b, x, lower), a, b, x)
        return out

    def _ppf(self, q):
        return beta_inverse(self.a, self.b, q)

    def _isf(self, q):
        return beta_inverse(self.a, self.b, q, upper=True)

    def _sample(self, rng, shape):
        return rng.beta(self.a, self.b, size=shape)

    # -- summaries ----------------------------------------------------------------------
    def _mean(self):
        return self.a / (self.a + self.b)

    def _var(self):
        c = self.a + self.b
        return self.a * self.b / (c * c * (c + 1.0))

    def _entropy(self):
        # h = R(a) + R(b) - R(a+b) - psi(a+b): the -a - b + (a+b) of the R's cancels exactly
        c = self.a + self.b
        return entropy_part(self.a) + entropy_part(self.b) - entropy_part(c) - special.digamma(c)

    def _kl(self, other):
        a1, b1, a2, b2 = self.a, self.b, other.a, other.b
        return (
            log_beta(a2, b2)
            - log_beta(a1, b1)
            + (a1 - a2) * special.digamma(a1)
            + (b1 - b2) * special.digamma(b1)
            + (a2 - a1 + b2 - b1) * special.digamma(a1 + b1)
        )

    # -- maximum likelihood -------------------------------------------------------------
    @classmethod
    def _fit(cls, data, fixed):
        lo, hi = float(data.min()), float(data.max())
        if lo <= 0.0 or hi >= 1.0:
            raise ValueError(
                "Beta.fit needs data strictly inside (0, 1) (log x and log(1 - x) must be "
                f"finite); got min {lo!r}, max {hi!r}"
            )
        free = [p for p in ("a", "b") if p not in fixed]
        if not free:
            return dict(fixed), 0, True
        n = data.size
        s1 = float(np.mean(np.log(data)))
        s2 = float(np.mean(np.log1p(-data)))
        m, v = float(np.mean(data)), float(np.var(data))
        if len(free) == 2:
            if hi == lo:
                raise ValueError(
                    "data has zero spread; the beta likelihood has no maximum (a, b -> inf)"
                )
            c = max(m * (1.0 - m) / v - 1.0, 1e-3)
            start = {"a": m * c, "b": (1.0 - m) * c}
        elif "a" in fixed:  # match the mean: a / (a + b) = m
            start = {"b": fixed["a"] * (1.0 - m) / m}
        else:
            start = {"a": fixed["b"] * m / (1.0 - m)}
        index = [("a", "b").index(p) for p in free]

        def unpack(theta):
            params = {**fixed, **dict(zip(free, theta.tolist()))}
            return params["a"], params["b"]

        def loglik(theta):
            a, b = unpack(theta)
            return n * ((a - 1.0) * s1 + (b - 1.0) * s2 - log_beta(a, b))

        def score_and_hessian(theta):
            a, b = unpack(theta)
            psi_c = special.digamma(a + b)
            g = n * np.array([s1 - special.digamma(a) + psi_c, s2 - special.digamma(b) + psi_c])
            h = -_information_matrix(n, a, b)
            return g[index], h[np.ix_(index, index)]

        theta, n_iter, converged = newton_maximize(
            score_and_hessian,
            loglik,
            np.array([start[p] for p in free]),
            valid=lambda t: bool(np.all(np.isfinite(t)) and np.all(t > 0)),
            family="Beta",
        )
        return {**fixed, **dict(zip(free, theta.tolist()))}, n_iter, converged

    def _information(self, data, free):
        index = [("a", "b").index(p) for p in free]
        return _information_matrix(data.size, self.a, self.b)[np.ix_(index, index)]


def _information_matrix(n, a, b):
    """-Hessian of the beta log-likelihood in (a, b); it depends on the data only via n."""
    tri_c = special.polygamma(1, a + b)
    return n * np.array(
        [
            [special.polygamma(1, a) - tri_c, -tri_c],
            [-tri_c, special.polygamma(1, b) - tri_c],
        ]
    )
