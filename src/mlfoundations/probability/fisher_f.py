"""Fisher's F distribution (Snedecor's F), the law of variance ratios."""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np
from scipy import special

from ._base import ContinuousDistribution
from ._beta_functions import (
    SADDLE_FROM,
    TINY,
    beta_logpdf_saddle,
    betainc_complement,
    deep_quantile,
    deep_ratio,
    digamma_step,
    entropy_part,
    log1pmx,
    log_beta,
    log_incomplete_beta,
    log_scale,
    negative_definite,
    newton_unless_divergent,
    piecewise,
    put_where,
)

__all__ = ["FDistribution"]

_DF_CAP = 1e10  # Newton's domain for the degrees of freedom
_DF_LIMIT = 1e8  # an estimate beyond this is the chi-square limit, not an estimate


# The F variable x maps to the beta variable u = r/(1 + r), v = 1 - u = 1/(1 + r),
# with r = dfn x / dfd; u and v are both computed from r, so neither loses accuracy.
def _logpdf(a, b, ratio, x, log_b):
    """log f(x) for a = dfn/2, b = dfd/2, ratio = dfn/dfd (x > 0 or arrays under errstate).

    f(x) = ratio^a x^(a-1) (1 + r)^-(a+b) / B(a, b), written as
    (a-1) log u + (b+1) log v + log(ratio) - log B(a, b): no O(a log a) terms cancel
    when dfn alone is large. Both shapes large: the beta saddle-point form, since
    f_F(x) = f_Beta(u) du/dx with du/dx = ratio v^2.
    """
    r = ratio * x
    log_v = -np.log1p(r)
    if np.ndim(a) == 0 and np.ndim(b) == 0:
        if a >= SADDLE_FROM and b >= SADDLE_FROM:
            u, v = 1.0 / (1.0 + 1.0 / r), 1.0 / (1.0 + r)
            return beta_logpdf_saddle(a, b, u, v) + np.log(ratio) + 2.0 * log_v
        upper = (b + 1.0) * log_v + np.log(ratio) - log_b
        return upper if a == 1.0 else (a - 1.0) * _log_u(ratio, x, r) + upper
    out = (a - 1.0) * _log_u(ratio, x, r) + (b + 1.0) * log_v + np.log(ratio) - log_b
    large = (a >= SADDLE_FROM) & (b >= SADDLE_FROM)
    if np.any(large):
        u, v = 1.0 / (1.0 + 1.0 / r), 1.0 / (1.0 + r)
        saddle = beta_logpdf_saddle(a, b, u, v) + np.log(ratio) + 2.0 * log_v
        out = np.where(large, saddle, out)
    if np.any(x == 0.0):  # 0 * log(0) where a = 1 (there f(0) = 1), the pole where a < 1
        edge = np.where(a < 1.0, np.inf, np.where(a == 1.0, 0.0, -np.inf))
        out = np.where(x == 0.0, edge, out)
    return out


def _log_u(ratio, x, r):
    """log u = -log1p(1/r); log(ratio) + log(x) where 1/r would overflow (r < 1e-300)."""
    if np.ndim(r) == 0:
        return -math.log1p(1.0 / r) if r >= TINY else math.log(ratio) + math.log(x)
    out = -np.log1p(1.0 / r)
    return put_where(out, r < TINY, lambda c, x: np.log(c) + np.log(x), ratio, x)


def _by_ratio(a, b, r, below, above):
    """below(a, b, r) where r <= 1 (u <= 1/2), above(a, b, r) elsewhere."""
    return piecewise(r <= 1.0, below, above, a, b, r)


def _cdf(a, b, r):
    # I_u(a, b) = 1 - I_v(b, a): take the incomplete beta at whichever of u, v is <= 1/2
    return _by_ratio(
        a,
        b,
        r,
        lambda a, b, r: special.betainc(a, b, r / (1.0 + r)),
        lambda a, b, r: betainc_complement(b, a, 1.0 / (1.0 + r)),
    )


def _sf(a, b, r):
    return _by_ratio(
        a,
        b,
        r,
        lambda a, b, r: betainc_complement(a, b, r / (1.0 + r)),
        lambda a, b, r: special.betainc(b, a, 1.0 / (1.0 + r)),
    )


def _log_tail_deep(a, b, ratio, x, lower):
    """log cdf (log I_u(a, b)) or log sf (log I_v(b, a)) where they underflow."""
    log_front = _logpdf(a, b, ratio, x, log_beta(a, b)) + np.log(x)  # log(u^a v^b / B)
    r = ratio * x
    if lower:
        return log_incomplete_beta(a, b, r, log_front)
    return log_incomplete_beta(b, a, 1.0 / r, log_front)


class FDistribution(ContinuousDistribution):
    r"""Fisher's F distribution with dfn and dfd degrees of freedom.

    The law of (chi2_dfn / dfn) / (chi2_dfd / dfd) for independent chi-squares:

    .. math::
        f(x) = \frac{1}{B(d_1/2, d_2/2)} \left(\frac{d_1}{d_2}\right)^{d_1/2}
               x^{d_1/2 - 1} \left(1 + \frac{d_1 x}{d_2}\right)^{-(d_1+d_2)/2},
               \qquad x \ge 0

    Parameters
    ----------
    dfn : float or array_like
        Numerator degrees of freedom d1, > 0.
    dfd : float or array_like
        Denominator degrees of freedom d2, > 0.

    Notes
    -----
    ``scipy.stats.f(dfn, dfd)``. With r = d1 x / d2, u = r/(1+r) is Beta(d1/2, d2/2) and
    F(x) = I_u(d1/2, d2/2) = 1 - I_v(d2/2, d1/2), v = 1/(1+r); the cdf and sf evaluate
    ``betainc`` at whichever of u, v is <= 1/2 (both computed from r, so no tail is ever
    1 - (something near 1)) and take the other tail as 1 - I where I <= 0.9 (within
    4.5 eps), ``betaincc`` elsewhere. The quantiles invert the same way (``betaincinv``/``betainccinv``) and
    return x = (d2/d1) u/v; for q < 1e-10, where SciPy's inverses can be NaN or far off,
    Newton's method on log I_u = log q (or log I_v) finds rho = u/v directly. Deep tails
    (probabilities below 1e-300) of ``logcdf``/``logsf`` come from Gauss's continued
    fraction. The log density is (a-1) log u + (b+1) log v + log(d1/d2) - log B(a, b)
    (a = d1/2, b = d2/2), or Loader's saddle-point form when a, b >= 100: SciPy's
    d2/2 log d2 + d1/2 log d1 + ... - (d1+d2)/2 log(d2 + d1 x) loses 3e-7 at d1 = 1e8.
    At x = 0 the density is +inf for d1 < 2, exactly 1 for d1 = 2 and 0 for d1 > 2.

    Mean d2/(d2-2) for d2 > 2; variance 2 d2^2 (d1+d2-2) / (d1 (d2-2)^2 (d2-4)) for
    d2 > 4, inf for 2 < d2 <= 4. Where a moment does not exist (d2 <= 2) one distribution
    raises ``ValueError`` and a batch gives NaN at those entries. Entropy (a = d1/2,
    b = d2/2) log(d2/d1) + log B(a, b) + (1-a) psi(a) - (1+b) psi(b) + (a+b) psi(a+b),
    evaluated through R(x) = log Gamma(x) - (x-1) psi(x) + x so that large degrees of
    freedom do not cancel (SciPy's direct formula loses ~1e-7 absolute at d = 1e8).

    Maximum likelihood: Newton's method on the score in (log d1, log d2), analytic
    Hessian, started from the (d1, d2) on a log grid whose log-moments
    E log X = log(b/a) + psi(a) - psi(b), Var log X = psi'(a) + psi'(b) best match the
    data's (they exist for every F, unlike the moments). The data must be > 0. If the
    likelihood keeps increasing as a degree of freedom goes to infinity (a scaled
    chi-square sample) the MLE does not exist and ``ValueError`` says so; hold that
    parameter fixed instead.

    References
    ----------
    N. L. Johnson, S. Kotz, N. Balakrishnan, *Continuous Univariate Distributions*,
    vol. 2, 2nd ed., chapter 27. NIST DLMF 8.17.

    Examples
    --------
    >>> from mlfoundations.probability.fisher_f import FDistribution
    >>> d = FDistribution(dfn=3, dfd=10)
    >>> abs(d.cdf(d.ppf(0.95)) - 0.95) < 1e-14
    True
    >>> abs(FDistribution(2, 2).cdf(1.0) - 0.5) < 1e-15  # F(2, 2): cdf = x / (1 + x)
    True
    """

    _parameters = {"dfn": "positive", "dfd": "positive"}

    def __init__(self, dfn, dfd):
        self._set_parameters(dfn=dfn, dfd=dfd)

    @cached_property
    def _shapes(self):
        """(a, b, ratio, log B(a, b)) = (dfn/2, dfd/2, dfn/dfd, ...)."""
        a, b = 0.5 * self.dfn, 0.5 * self.dfd
        return a, b, self.dfn / self.dfd, log_beta(a, b)

    def _support(self):
        return 0.0, math.inf

    # -- density and distribution functions ---------------------------------------------
    def _logpdf(self, x):
        a, b, ratio, log_b = self._shapes
        if np.ndim(x) == 0 and x == 0.0 and np.ndim(a) == 0:
            # f(0) = ratio^a / B(a, b) is +inf for a < 1, 0 for a > 1, and at a = 1
            # (dfn = 2) ratio b = 1 exactly
            return math.inf if a < 1.0 else (0.0 if a == 1.0 else -math.inf)
        return _logpdf(a, b, ratio, x, log_b)

    def _cdf(self, x):
        a, b, ratio, _ = self._shapes
        return _cdf(a, b, ratio * x)

    def _sf(self, x):
        a, b, ratio, _ = self._shapes
        return _sf(a, b, ratio * x)

    def _logcdf(self, x):
        return self._log_tail(x, lower=True)

    def _logsf(self, x):
        return self._log_tail(x, lower=False)

    def _log_tail(self, x, lower):
        # the smaller tail directly; the larger as log1p(-other); underflow via the CF
        a, b, ratio, _ = self._shapes
        tail, other = (_cdf, _sf) if lower else (_sf, _cdf)
        edge = 0.0 if lower else math.inf
        p = tail(a, b, ratio * x)
        if np.ndim(p) == 0:
            if p > 0.5:
                return math.log1p(-other(a, b, ratio * x))
            if p >= TINY:
                return math.log(p)
            return -math.inf if x == edge else _log_tail_deep(a, b, ratio, x, lower)
        out = np.log(p)
        put_where(out, p > 0.5, lambda a, b, r: np.log1p(-other(a, b, r)), a, b, ratio * x)
        deep = (p < TINY) & (x != edge)
        return put_where(
            out, deep, lambda a, b, c, x: _log_tail_deep(a, b, c, x, lower), a, b, ratio, x
        )

    @cached_property
    def _median_split(self):
        """(F, S) at the x where u = 1/2: I_{1/2}(a, b) and I_{1/2}(b, a)."""
        a, b, _, _ = self._shapes
        return special.betainc(a, b, 0.5), special.betaincc(a, b, 0.5)

    def _ppf(self, q):
        # q <= I_{1/2}(a, b): u = I^{-1}(a, b; q) <= 1/2, x = (b/a) u / (1 - u); else
        # v = 1 - u from betainccinv(b, a, q) (I_v(b, a) = 1 - q), x = (b/a)(1 - v) / v.
        # Small q: x = (b/a) rho with rho = u/v from deep_ratio (I_u(a, b) = q).
        a, b, _, _ = self._shapes
        x = piecewise(
            q <= self._median_split[0],
            lambda a, b, q: _x_from_u(special.betaincinv(a, b, q), a, b),
            lambda a, b, q: _x_from_v(special.betainccinv(b, a, q), a, b),
            a,
            b,
            q,
        )
        return self._polish(x, q, lambda a, b, q, x: (b / a) * deep_ratio(a, b, q, (a / b) * x))

    def _isf(self, q):
        # S(x) = I_v(b, a): q <= I_{1/2}(b, a) = 1 - I_{1/2}(a, b) gives v <= 1/2;
        # small q: x = (b/a) / rho with rho = v/u from deep_ratio (I_v(b, a) = q)
        a, b, _, _ = self._shapes
        x = piecewise(
            q <= self._median_split[1],
            lambda a, b, q: _x_from_v(special.betaincinv(b, a, q), a, b),
            lambda a, b, q: _x_from_u(special.betainccinv(a, b, q), a, b),
            a,
            b,
            q,
        )
        return self._polish(x, q, lambda a, b, q, x: (b / a) / deep_ratio(b, a, q, b / (a * x)))

    def _polish(self, x, q, solve):
        a, b, _, _ = self._shapes
        deep = deep_quantile(q, x)
        if not np.any(deep):
            return x
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if np.ndim(x) == 0:
                return float(solve(a, b, q, x))
            return put_where(x, deep, solve, a, b, q, x)

    def _sample(self, rng, shape):
        return rng.f(self.dfn, self.dfd, size=shape)

    # -- summaries ----------------------------------------------------------------------
    def _mean(self):
        dfd = self.dfd
        if self._scalar:
            if dfd <= 2.0:
                raise ValueError(
                    f"the mean of FDistribution is undefined for dfd <= 2, got dfd={dfd!r}"
                )
            return dfd / (dfd - 2.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(dfd > 2.0, dfd / (dfd - 2.0), np.nan)

    def _var(self):
        dfn, dfd = self.dfn, self.dfd
        if self._scalar:
            if dfd <= 2.0:
                raise ValueError(
                    f"the variance of FDistribution is undefined for dfd <= 2, got dfd={dfd!r}"
                )
            if dfd <= 4.0:
                return math.inf
            return 2.0 * dfd**2 * (dfn + dfd - 2.0) / (dfn * (dfd - 2.0) ** 2 * (dfd - 4.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            finite = 2.0 * dfd**2 * (dfn + dfd - 2.0) / (dfn * (dfd - 2.0) ** 2 * (dfd - 4.0))
            return np.where(dfd > 4.0, finite, np.where(dfd > 2.0, np.inf, np.nan))

    def _entropy(self):
        # h = log(d2/d1) + R(a) + R(b) - R(a+b) - 2 psi(b) + psi(a+b), a = d1/2, b = d2/2
        a, b, ratio, _ = self._shapes
        c = a + b
        return (
            -np.log(ratio)
            + entropy_part(a)
            + entropy_part(b)
            - entropy_part(c)
            - 2.0 * special.digamma(b)
            + special.digamma(c)
        )

    # -- maximum likelihood -------------------------------------------------------------
    @classmethod
    def _fit(cls, data, fixed):
        return _fit_f(data, fixed)

    def _information(self, data, free):
        index = [_NAMES.index(p) for p in free]
        _, hessian = _score_and_hessian(data, self.dfn, self.dfd)
        return -hessian[np.ix_(index, index)]


def _x_from_u(u, a, b):
    if np.ndim(u) == 0 and u == 1.0:
        return math.inf
    return (b / a) * u / (1.0 - u)


def _x_from_v(v, a, b):
    if np.ndim(v) == 0 and v == 0.0:
        return math.inf
    return (b / a) * (1.0 - v) / v


_NAMES = ("dfn", "dfd")


def _score_and_hessian(data, dfn, dfd):
    """Score and Hessian of the F log-likelihood in (dfn, dfd).

    With a = dfn/2, b = dfd/2, c = a + b, u = r/(1+r), v = 1/(1+r), r = dfn x/dfd:
      dl/ddfn = sum[log u + 1 - (c/a) u]/2 + n [psi(c) - psi(a)]/2,
      dl/ddfd = sum[log v + 1 - (c/b) v]/2 + n [psi(c) - psi(b)]/2,
    and with S = sum(a v^2 + b u^2) the Hessian
      d2l/ddfn2 = S/(4a^2) - n[psi'(a) - psi'(c)]/4,   d2l/ddfn ddfd = -S/(4ab) + n psi'(c)/4,
      d2l/ddfd2 = S/(4b^2) - n[psi'(b) - psi'(c)]/4.
    Each score is summed in the form that does not cancel: for dfn <= dfd as written
    (log u ~ log(a/b) against psi(c) ~ log b, both O(log)); for dfn > dfd as
    log1pmx(-v) + (b/a) v with n [psi(c) - psi(a) - b/a], whose O(b/a) parts cancel
    exactly (and symmetrically for dfd). Newton's steps would otherwise chase rounding
    noise where the likelihood is nearly flat.
    """
    n = data.size
    a, b = 0.5 * dfn, 0.5 * dfd
    c = a + b
    r = (dfn / dfd) * data
    u, v = r / (1.0 + r), 1.0 / (1.0 + r)
    g = 0.5 * np.array([_score_part(a, b, c, u, v, r, n), _score_part(b, a, c, v, u, 1.0 / r, n)])
    s = float(np.sum(a * v * v + b * u * u))
    tri_c = special.polygamma(1, c)
    h_nn = s / (4.0 * a * a) - 0.25 * n * (special.polygamma(1, a) - tri_c)
    h_dd = s / (4.0 * b * b) - 0.25 * n * (special.polygamma(1, b) - tri_c)
    h_nd = -s / (4.0 * a * b) + 0.25 * n * tri_c
    return g, np.array([[h_nn, h_nd], [h_nd, h_dd]])


def _score_part(a, b, c, u, v, r, n):
    """2 dl/d(2a): sum[log u + 1 - (c/a) u] + n [psi(c) - psi(a)], in a stable form."""
    if a <= b:
        log_u = -np.log1p(1.0 / r)
        psi_difference = special.digamma(c) - special.digamma(a)
        return np.sum(log_u) + n - (c / a) * np.sum(u) + n * psi_difference
    return np.sum(log1pmx(-v)) + (b / a) * np.sum(v) + n * digamma_step(a, b)


def _log_moment_start(data):
    """(dfn, dfd) on a log grid matching E log X and Var log X of the data."""
    logs = np.log(data)
    mean, var = float(np.mean(logs)), float(np.var(logs))
    shapes = np.logspace(-1.5, 4.0, 56)  # a, b = df/2 from 0.03 to 1e4
    a, b = shapes[:, None], shapes[None, :]
    model_mean = np.log(b / a) + special.digamma(a) - special.digamma(b)
    model_var = special.polygamma(1, a) + special.polygamma(1, b)
    var = max(var, 1e-300)
    mismatch = (model_mean - mean) ** 2 / var + np.log(model_var / var) ** 2
    i, j = np.unravel_index(np.argmin(mismatch), mismatch.shape)
    return 2.0 * shapes[i], 2.0 * shapes[j]


def _fit_f(data, fixed):
    if float(data.min()) <= 0.0:
        raise ValueError(
            "FDistribution.fit needs data > 0 (log x must be finite); "
            f"got min {float(data.min())!r}"
        )
    free = [p for p in _NAMES if p not in fixed]
    if not free:
        return dict(fixed), 0, True
    n = data.size
    if len(free) == 2:
        start = dict(zip(_NAMES, _log_moment_start(data)))
    else:  # one free: the best of a log grid of candidate values (each one pass over data)
        grid = np.logspace(-1.0, 4.0, 26)
        values = [
            np.sum(_logpdf_at(data, **{**fixed, free[0]: float(g)})) for g in grid
        ]
        start = {free[0]: float(grid[int(np.argmax(values))])}
    index = [_NAMES.index(p) for p in free]
    log_cap = math.log(_DF_CAP)

    def params(theta):
        full = {**fixed, **dict(zip(free, np.exp(theta).tolist()))}
        return full["dfn"], full["dfd"]

    def loglik(theta):
        dfn, dfd = params(theta)
        return float(np.sum(_logpdf_at(data, dfn, dfd)))

    def score_and_hessian(theta):
        g, h = _score_and_hessian(data, *params(theta))
        logged = np.ones(len(free), dtype=bool)
        g, h = log_scale(g[index], h[np.ix_(index, index)], np.exp(theta), logged)
        return g, negative_definite(h)

    def divergence(theta):
        for name, value in zip(free, np.exp(theta)):
            if value > _DF_LIMIT:
                limit = "chi2(dfn)/dfn" if name == "dfd" else "dfd/chi2(dfd)"
                return (
                    f"the F likelihood keeps increasing as {name} -> infinity: the data look "
                    f"like a scaled chi-square ({limit}), so the maximum-likelihood {name} "
                    f"does not exist; hold it fixed, e.g. FDistribution.fit(x, {name}=1e6)"
                )
        return None

    theta, n_iter, converged = newton_unless_divergent(
        score_and_hessian,
        loglik,
        np.log([start[p] for p in free]),
        valid=lambda t: bool(np.all(np.isfinite(t)) and np.all(t <= log_cap)),
        family="FDistribution",
        divergence=divergence,
    )
    dfn, dfd = params(theta)
    return {"dfn": dfn, "dfd": dfd}, n_iter, converged


def _logpdf_at(data, dfn, dfd):
    a, b = 0.5 * dfn, 0.5 * dfd
    return _logpdf(a, b, dfn / dfd, data, log_beta(a, b))
