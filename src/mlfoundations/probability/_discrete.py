"""The base class of distributions on the integers.

A discrete family writes its mass (``_logpmf`` or ``_pmf``) and cdf for integer points;
this class gives the mass zero off the integers, makes the cdf a step function, and
finds quantiles by a bracketing search when a family has no exact inverse.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ._base import Distribution

__all__ = ["DiscreteDistribution"]


class DiscreteDistribution(Distribution):
    """A distribution on the integers; a family writes ``_logpmf`` or ``_pmf`` and ``_cdf``.

    Hooks receive integer-valued points. The mass of a non-integer point is zero and
    the cdf is a step function, F(x) = F(floor(x)). The quantile is the smallest
    support point k with F(k) >= q (``ppf(0)`` is one below the support, as in SciPy);
    unless a family has an exact inverse it is found by a bracketing search on the cdf,
    started at the normal approximation mean + sd * Phi^{-1}(q).
    """

    def pmf(self, k):
        """Probability mass function P(X = k)."""
        return self._evaluate(self._integer_only(self._pmf, 0.0), k, 0.0, 0.0)

    def logpmf(self, k):
        """log P(X = k)."""
        return self._evaluate(self._integer_only(self._logpmf, -np.inf), k, -np.inf, -np.inf)

    def cdf(self, x):
        return self._evaluate(lambda x: self._cdf(np.floor(x)), x, 0.0, 1.0)

    def sf(self, x):
        return self._evaluate(lambda x: self._sf(np.floor(x)), x, 1.0, 0.0)

    def logcdf(self, x):
        return self._evaluate(lambda x: self._logcdf(np.floor(x)), x, -np.inf, 0.0)

    def logsf(self, x):
        return self._evaluate(lambda x: self._logsf(np.floor(x)), x, 0.0, -np.inf)

    cdf.__doc__ = Distribution.cdf.__doc__
    sf.__doc__ = Distribution.sf.__doc__
    logcdf.__doc__ = Distribution.logcdf.__doc__
    logsf.__doc__ = Distribution.logsf.__doc__

    @staticmethod
    def _integer_only(hook, fill):
        def at_integers(k):
            is_integer = k == np.floor(k)
            if np.ndim(k) == 0:
                return hook(k) if is_integer else fill
            return np.where(is_integer, hook(np.floor(k)), fill)

        return at_integers

    def _pmf(self, k):
        return np.exp(self._logpmf(k))

    def _logpmf(self, k):
        return np.log(self._pmf(k))

    def _log_density(self, data):
        return self.logpmf(data)

    def _ppf_at_zero(self):
        return self._support()[0] - 1.0

    def _ppf(self, q):
        return self._search_quantile(q, upper=False)

    def _isf(self, q):
        return self._search_quantile(q, upper=True)

    def _search_quantile(self, q, upper: bool):
        """Smallest k in the support with F(k) >= q (or, if ``upper``, with S(k) <= q)."""
        lo_support, hi_support = (np.asarray(v, dtype=float) for v in self._support())
        q = np.asarray(q, dtype=float)
        shape = np.broadcast_shapes(q.shape, self._batch_shape)
        q = np.broadcast_to(q, shape)
        lo_s = np.broadcast_to(lo_support, shape)
        hi_s = np.broadcast_to(hi_support, shape)

        def reached(k):  # monotone in k: False below the answer, True from it on
            return self._sf(k) <= q if upper else self._cdf(k) >= q

        with np.errstate(all="ignore"):
            # S^{-1}(q) ~ mean - sd Phi^{-1}(q): 1 - q would round to 1 (z = inf) below 1e-16
            z = -special.ndtri(q) if upper else special.ndtri(q)
            guess = np.broadcast_to(self._mean() + np.sqrt(self._var()) * z, shape)
            guess = np.nan_to_num(guess, nan=0.0, posinf=0.0, neginf=0.0)
            guess = np.clip(np.floor(guess), lo_s, np.minimum(hi_s, 2.0**52))
        # bracket: reached(hi) is True, reached(lo) is False (lo may sit below the support)
        ok = reached(guess)
        hi = np.where(ok, guess, np.nan)
        lo = np.where(ok, np.nan, guess)
        step = np.ones(shape)
        pending = ok.copy()  # need a lower end
        while pending.any():
            cand = np.maximum(guess - step, lo_s - 1.0)
            below = cand < lo_s
            res = np.where(below, False, reached(np.where(below, lo_s, cand)))
            done = pending & ~res
            lo = np.where(done, cand, lo)
            hi = np.where(pending & res, cand, hi)
            pending &= res
            step *= 2.0
        step = np.ones(shape)
        pending = ~ok
        while pending.any():
            cand = np.minimum(guess + step, hi_s)
            res = reached(cand) | (cand >= hi_s)
            done = pending & res
            hi = np.where(done, cand, hi)
            lo = np.where(pending & ~res, cand, lo)
            pending &= ~res
            step *= 2.0
        # bisection on the integers
        while True:
            gap = hi - lo > 1
            if not gap.any():
                break
            mid = np.floor((lo + hi) / 2.0)
            res = reached(np.where(gap, mid, hi))
            hi = np.where(gap & res, mid, hi)
            lo = np.where(gap & ~res, mid, lo)
        return hi
