"""Student's t distribution with location and scale."""

from __future__ import annotations

import math
import sys
from functools import cached_property

import numpy as np
from scipy import special

from ._base import ContinuousDistribution
from ._beta_functions import (
    TINY,
    apply_where,
    entropy_part,
    half_shift_derivatives,
    log1pmx,
    log_beta,
    log_incomplete_beta,
    log_scale,
    negative_definite,
    newton_unless_divergent,
    put_where,
)

__all__ = ["StudentT"]

_DF_CAP = 1e10  # Newton's domain for df
_DF_LIMIT = 1e8  # an estimate beyond this is the normal limit, not an estimate
_TAIL_LOG_X = -39.0  # beta variable x below e^-39: the quantile's one-term tail is exact
_CENTRAL = 0.005  # |q - 1/2| below this: quantile through I_y(1/2, df/2)
_LOG_MAX = math.log(sys.float_info.max)


def _log1p_square(z, df):
    """log(1 + z^2/df), also where z^2 overflows (|z| > 1e154)."""
    w = z * z / df
    if isinstance(w, float):
        if w < math.inf:
            return math.log1p(w)
        return 2.0 * (math.log(abs(z)) - 0.5 * math.log(df)) + math.log1p(df / z / z)
    out = np.log1p(w)
    over = np.isinf(out)
    if over.any():
        out[over] = apply_where(
            over,
            lambda z, df: 2.0 * (np.log(np.abs(z)) - 0.5 * np.log(df)) + np.log1p(df / z / z),
            z,
            df,
        )
    return out


def _smaller_tail(df, z):
    """F(-|z|) for the standard t: stdtr, but Cauchy's atan(1/|z|)/pi at df = 1.

    scipy.special.stdtr(1, t) loses up to 3e-9 relative near t = 0 (t = 1e-8).
    """
    if isinstance(df, float) and np.ndim(z) == 0:
        if df == 1.0:
            return math.atan2(1.0, abs(z)) / math.pi
        return special.stdtr(df, -abs(z))
    p = special.stdtr(df, -np.abs(z))
    if np.any(df == 1.0):
        put_where(p, df == 1.0, lambda df, z: np.arctan2(1.0, np.abs(z)) / np.pi, df, z)
    return p


def _log_density_constant(df):
    """log[1 / (sqrt(df) B(df/2, 1/2))], -> -log(2 pi)/2 as df -> inf."""
    log_df = math.log(df) if isinstance(df, float) else np.log(df)
    return -0.5 * log_df - log_beta(0.5 * df, 0.5)


def _log_lower_tail(df, z):
    """log F(z) for the standard t at z < 0 where F underflows.

    F(z) = I_x(df/2, 1/2) / 2 with x = df/(df + z^2) = 1/(1 + z^2/df); the front factor
    x^(df/2) (1-x)^(1/2) / B(df/2, 1/2) of the continued fraction equals |z| f(z).
    """
    log_front = _log_density_constant(df) - 0.5 * (df + 1.0) * _log1p_square(z, df)
    log_front = log_front + np.log(np.abs(z))
    rho = df / z / z  # x / (1 - x), exact where 1 - x = z^2/(df + z^2) is not
    return log_incomplete_beta(0.5 * df, 0.5, rho, log_front) - math.log(2.0)


class StudentT(ContinuousDistribution):
    r"""Student's t distribution with df degrees of freedom, location mu and scale sigma.

    .. math::
        f(x) = \frac{1}{\sigma \sqrt{\nu}\, B(\nu/2, 1/2)}
               \left(1 + \frac{z^2}{\nu}\right)^{-(\nu+1)/2}, \qquad z = \frac{x-\mu}{\sigma}

    Parameters
    ----------
    df : float or array_like
        Degrees of freedom nu, > 0 (any real; df -> inf is the normal distribution).
    mu : float or array_like
        Location, any real number (the median; the mean when df > 1).
    sigma : float or array_like
        Scale, > 0 (the standard deviation only in the limit df -> inf).

    Notes
    -----
    ``scipy.stats.t(df, loc=mu, scale=sigma)``. The cdf is ``scipy.special.stdtr``, the
    sf S(x) = stdtr(df, -z) by symmetry (at df = 1 Cauchy's atan(1/|z|)/pi: stdtr(1, t)
    loses up to 3e-9 near t = 0), the quantile ``stdtrit``, the isf by symmetry.
    log B(df/2, 1/2) is evaluated with a Stirling-series difference so that the density
    keeps full accuracy for large df (SciPy's ``poch`` route loses ~1e-12 near df = 6000).
    In the far tails, where stdtr underflows (or its t^2 overflows), log F(z) comes from
    Gauss's continued fraction for I_x(df/2, 1/2): ``logcdf``/``logsf`` are finite for
    every finite x and within 1e-14 relative of mpmath (df from 0.05 to 1e10, |z| up to
    1e300); the cdf there is exp of it (~1e-13). The quantile is ``stdtrit`` except
    near the median, |q - 1/2| < 0.005, where stdtrit loses up to 3e-8 (df = 1) and
    |t| = sqrt(df y/(1-y)) with y = I^{-1}(1/2, df/2; |2q - 1|) (``betaincinv``) is exact,
    and in the far tail, where stdtrit overflows or fails for small df (|t| > 1e100):
    there F = x^(df/2) / (df B(df/2, 1/2)) to within e^-39, so
    |t| = sqrt(df) (df B(df/2, 1/2) q)^(-1/df) (~|log q| eps / df relative).

    Moments: the mean is mu for df > 1, the variance sigma^2 df/(df - 2) for df > 2 and
    inf for 1 < df <= 2. Where a moment does not exist (mean for df <= 1, variance for
    df <= 1) one distribution raises ``ValueError``; a batch gives NaN at those entries
    (documented, not silent: the other entries are still returned). Entropy
    h = (nu+1)/2 [psi((nu+1)/2) - psi(nu/2)] + log(sqrt(nu) B(nu/2, 1/2)) + log sigma,
    rewritten through R(x) = log Gamma(x) - (x-1) psi(x) + x so that it stays exact as
    nu -> inf (h -> log(sigma sqrt(2 pi e))).

    Maximum likelihood: Newton's method on the score of
    l = sum_i [log f(x_i)] in (log df, mu, log sigma), analytic Hessian, started at
    mu = median, sigma = MAD / t_df^{-1}(3/4) and df = 4 + 6/g2 from the excess kurtosis
    g2 (30 when g2 <= 0). Any of the three may be held fixed, e.g.
    ``StudentT.fit(x, df=3)``. If the likelihood keeps increasing as df -> inf (data no
    heavier-tailed than normal) the MLE of df does not exist and ``ValueError`` says so.

    References
    ----------
    N. L. Johnson, S. Kotz, N. Balakrishnan, *Continuous Univariate Distributions*,
    vol. 2, 2nd ed., chapter 28. K. L. Lange, R. J. A. Little, J. M. G. Taylor, "Robust
    statistical modeling using the t distribution", JASA 84, 1989. NIST DLMF 8.17.

    Examples
    --------
    >>> from mlfoundations.probability.student_t import StudentT
    >>> round(StudentT(df=1).cdf(1.0), 15)  # Cauchy: 1/2 + arctan(1)/pi
    0.75
    >>> d = StudentT(df=3, mu=1.0, sigma=2.0)
    >>> abs(d.isf(0.025) - (2 * d.mean() - d.ppf(0.025))) < 1e-12
    True
    """

    _parameters = {"df": "positive", "mu": "real", "sigma": "positive"}

    def __init__(self, df, mu=0.0, sigma=1.0):
        self._set_parameters(df=df, mu=mu, sigma=sigma)

    @cached_property
    def _log_norm(self):
        sigma = self.sigma
        log_sigma = math.log(sigma) if isinstance(sigma, float) else np.log(sigma)
        return _log_density_constant(self.df) - log_sigma

    def _z(self, x):
        return (x - self.mu) / self.sigma

    # -- density and distribution functions ---------------------------------------------
    def _logpdf(self, x):
        df = self.df
        return self._log_norm - 0.5 * (df + 1.0) * _log1p_square(self._z(x), df)

    def _cdf(self, x):
        return self._lower_tail(self._z(x))

    def _sf(self, x):
        return self._lower_tail(-self._z(x))

    def _lower_tail(self, z):
        # F(z) from the smaller tail p = F(-|z|): p below the median, 1 - p above; where
        # p underflows (or stdtr's z^2 overflows), exp of the continued-fraction log tail
        df = self.df
        p = _smaller_tail(df, z)
        if np.ndim(p) == 0:
            if z > 0:
                return 1.0 - p
            if p < TINY and -math.inf < z:
                return math.exp(_log_lower_tail(df, z))
            return p
        deep = (p < TINY) & (z <= 0) & np.isfinite(z)
        if deep.any():
            p[deep] = np.exp(apply_where(deep, _log_lower_tail, df, z))
        return np.where(z > 0, 1.0 - p, p)

    def _logcdf(self, x):
        return self._log_lower_tail(self._z(x))

    def _logsf(self, x):
        return self._log_lower_tail(-self._z(x))

    def _log_lower_tail(self, z):
        # log of the smaller tail directly, log1p(-smaller) above the median
        df = self.df
        p = _smaller_tail(df, z)
        if np.ndim(p) == 0:
            if z > 0:
                return math.log1p(-p)
            if p >= TINY:
                return math.log(p)
            return -math.inf if z == -math.inf else _log_lower_tail(df, z)
        out = np.where(z > 0, np.log1p(-p), np.log(p))
        deep = (p < TINY) & (z <= 0) & np.isfinite(z)
        if deep.any():
            out[deep] = apply_where(deep, _log_lower_tail, df, z)
        return out

    def _ppf(self, q):
        return self.mu + self.sigma * self._standard_quantile(q)

    def _isf(self, q):
        return self.mu - self.sigma * self._standard_quantile(q)

    @cached_property
    def _tail_cut(self):
        """q below which the quantile's beta variable x is < e^-39 (0.0 for df >~ 40)."""
        a = 0.5 * self.df
        if isinstance(a, float):
            if a > 40.0:
                return 0.0
            return math.exp(_TAIL_LOG_X * a - math.log(2.0 * a) - log_beta(a, 0.5))
        return np.exp(_TAIL_LOG_X * a - np.log(2.0 * a) - log_beta(a, 0.5))

    def _standard_quantile(self, q):
        # stdtrit, except near the median (where it loses up to 1e-8 relative, df = 1)
        # and in the far tails (where it overflows for small df)
        df, cut = self.df, self._tail_cut
        if isinstance(q, float) and isinstance(df, float):
            if abs(q - 0.5) < _CENTRAL:
                return _central_quantile(df, q)
            if q < cut:
                return -_tail_quantile(df, q)
            if 1.0 - q < cut:
                return _tail_quantile(df, 1.0 - q)
            return special.stdtrit(df, q)
        t = special.stdtrit(df, q)  # an array here: q or df is one
        put_where(t, np.abs(q - 0.5) < _CENTRAL, _central_quantile, df, q)
        if np.any(cut > 0.0):
            put_where(t, q < cut, lambda df, q: -_tail_quantile(df, q), df, q)
            put_where(t, 1.0 - q < cut, lambda df, q: _tail_quantile(df, 1.0 - q), df, q)
        return t

    def _sample(self, rng, shape):
        return self.mu + self.sigma * rng.standard_t(self.df, size=shape)

    # -- summaries ----------------------------------------------------------------------
    def _mean(self):
        df, mu = self.df, self.mu
        if self._scalar:
            if df <= 1.0:
                raise ValueError(f"the mean of StudentT is undefined for df <= 1, got df={df!r}")
            return mu
        return np.where(df > 1.0, mu, np.nan)

    def _var(self):
        df, sigma = self.df, self.sigma
        if self._scalar:
            if df <= 1.0:
                raise ValueError(
                    f"the variance of StudentT is undefined for df <= 1, got df={df!r}"
                )
            return sigma * sigma * df / (df - 2.0) if df > 2.0 else math.inf
        with np.errstate(divide="ignore", invalid="ignore"):
            finite = sigma * sigma * df / (df - 2.0)
        return np.where(df > 2.0, finite, np.where(df > 1.0, np.inf, np.nan))

    def _median(self):
        return self.mu

    def _entropy(self):
        # x = df/2: h = R(x) - R(x + 1/2) + 1/2 + psi(x + 1/2) - 3/2 psi(x) + log(2 pi x)/2
        x = 0.5 * self.df
        return (
            entropy_part(x)
            - entropy_part(x + 0.5)
            + 0.5
            + special.digamma(x + 0.5)
            - 1.5 * special.digamma(x)
            + 0.5 * np.log(2.0 * math.pi * x)
            + np.log(self.sigma)
        )

    # -- maximum likelihood -------------------------------------------------------------
    @classmethod
    def _fit(cls, data, fixed):
        return _fit_student_t(data, fixed)

    def _information(self, data, free):
        index = [_NAMES.index(p) for p in free]
        _, hessian = _score_and_hessian(data, self.df, self.mu, self.sigma)
        return -hessian[np.ix_(index, index)]


def _tail_quantile(df, q):
    """|t| with F(-|t|) = q, from F = x^(df/2) / (df B(df/2, 1/2)), exact for x < e^-39.

    |t| = sqrt(df / x) = sqrt(df) (df B(df/2, 1/2) q)^(-1/df): one power, so the
    relative error stays ~eps/df, where exp(-log(q)/df) would add |log q| eps / df.
    """
    a = 0.5 * df
    base = 2.0 * a * np.exp(log_beta(a, 0.5)) * q
    if np.ndim(base) == 0:
        try:
            return math.sqrt(df) * math.pow(base, -1.0 / df)
        except OverflowError:
            return _tail_quantile_log(df, q)
    t = np.sqrt(df) * np.power(base, -1.0 / df)
    return put_where(t, np.isinf(t), _tail_quantile_log, df, q)


def _tail_quantile_log(df, q):
    # the same in logs, for when (df B q)^(-1/df) overflows but sqrt(df) times it may not
    a = 0.5 * df
    log_t = 0.5 * (np.log(df) - (np.log(2.0 * a * q) + log_beta(a, 0.5)) / a)
    if np.ndim(log_t) == 0:
        return math.exp(log_t) if log_t < _LOG_MAX else math.inf
    return np.exp(log_t)


def _central_quantile(df, q):
    """t with F(t) = q near the median: |t| = sqrt(df y / (1 - y)), I_y(1/2, df/2) = |2q - 1|.

    F(t) = 1/2 + sign(t) I_y(1/2, df/2) / 2 with y = t^2 / (df + t^2); the inverse of
    I_y in y keeps full relative accuracy as q -> 1/2, where 2q - 1 is exact.
    """
    y = special.betaincinv(0.5, 0.5 * df, np.abs(2.0 * q - 1.0))
    t = np.sqrt(df * y / (1.0 - y))
    return np.where(q < 0.5, -t, t) if np.ndim(t) else (-t if q < 0.5 else t)


_NAMES = ("df", "mu", "sigma")


def _score_and_hessian(data, df, mu, sigma):
    """Score and Hessian of the t log-likelihood in (df, mu, sigma).

    With z = (x - mu)/sigma, s = df + z^2, u = z^2/s and L(x) = log Gamma(x + 1/2) -
    log Gamma(x) - log(x)/2:
      dl/dmu = (df+1)/sigma sum z/s,    dl/dsigma = [-n + (df+1) sum u]/sigma,
      dl/ddf = n L'(df/2)/2 + sum [log1pmx(-u)/2 + u/(2 df)],
    and the second derivatives by differentiating once more (see the tests for a check
    against finite differences).
    """
    n = data.size
    z = (data - mu) / sigma
    z2 = z * z
    s = df + z2
    u = z2 / s
    inv_s2 = 1.0 / (s * s)
    l1, l2 = half_shift_derivatives(0.5 * df)
    g = np.array(
        [
            0.5 * n * l1 + np.sum(0.5 * log1pmx(-u) + u / (2.0 * df)),
            (df + 1.0) / sigma * np.sum(z / s),
            (-n + (df + 1.0) * np.sum(u)) / sigma,
        ]
    )
    h_dfdf = 0.25 * n * l2 + np.sum(z2 * (df * z2 - 2.0 * df - z2) * inv_s2) / (2.0 * df * df)
    h_dfmu = np.sum(z * (z2 - 1.0) * inv_s2) / sigma
    h_dfsigma = np.sum(z2 * (z2 - 1.0) * inv_s2) / sigma
    h_mumu = -(df + 1.0) / sigma**2 * np.sum((df - z2) * inv_s2)
    h_musigma = -2.0 * df * (df + 1.0) / sigma**2 * np.sum(z * inv_s2)
    h_sigmasigma = (n - (df + 1.0) * np.sum(z2 * (3.0 * df + z2) * inv_s2)) / sigma**2
    h = np.array(
        [
            [h_dfdf, h_dfmu, h_dfsigma],
            [h_dfmu, h_mumu, h_musigma],
            [h_dfsigma, h_musigma, h_sigmasigma],
        ]
    )
    return g, h


def _fit_student_t(data, fixed):
    free = [p for p in _NAMES if p not in fixed]
    if not free:
        return dict(fixed), 0, True
    if "sigma" in free and np.ptp(data) == 0.0:
        raise ValueError(
            "data has zero spread; the Student t likelihood has no maximum (sigma -> 0)"
        )
    n = data.size
    center = float(np.median(data))
    if "df" in fixed:
        df0 = fixed["df"]
    else:
        d = data - np.mean(data)
        m2 = float(np.mean(d * d))
        excess = float(np.mean(d**4)) / (m2 * m2) - 3.0 if m2 > 0 else 0.0
        df0 = min(4.0 + 6.0 / excess, 100.0) if excess > 0 else 30.0
    mu0 = fixed.get("mu", center)
    spread = float(np.median(np.abs(data - mu0)))
    if spread == 0.0:
        spread = float(np.mean(np.abs(data - mu0))) or 1.0
    start = {"df": df0, "mu": mu0, "sigma": spread / float(special.stdtrit(df0, 0.75))}
    logged = np.array([p != "mu" for p in free])
    index = [_NAMES.index(p) for p in free]

    def natural(theta):
        values = theta.copy()
        values[logged] = np.exp(theta[logged])
        return values

    def params(theta):
        full = {**fixed, **dict(zip(free, natural(theta).tolist()))}
        return full["df"], full["mu"], full["sigma"]

    def loglik(theta):
        df, mu, sigma = params(theta)
        z = (data - mu) / sigma
        return n * (_log_density_constant(df) - math.log(sigma)) - 0.5 * (df + 1.0) * float(
            np.sum(np.log1p(z * z / df))
        )

    def score_and_hessian(theta):
        df, mu, sigma = params(theta)
        g, h = _score_and_hessian(data, df, mu, sigma)
        g, h = log_scale(g[index], h[np.ix_(index, index)], natural(theta), logged)
        return g, negative_definite(h)

    theta0 = np.array([math.log(start[p]) if p != "mu" else start[p] for p in free])
    log_cap = math.log(_DF_CAP)
    df_index = free.index("df") if "df" in free else None

    def valid(theta):
        if not np.all(np.isfinite(theta)):
            return False
        return df_index is None or theta[df_index] <= log_cap

    def divergence(theta):
        if df_index is not None and math.exp(theta[df_index]) > _DF_LIMIT:
            return (
                "the Student t likelihood keeps increasing as df -> infinity: the data are "
                "no heavier-tailed than a normal sample, so the maximum-likelihood df does "
                "not exist; fit a Normal, or hold df fixed, e.g. StudentT.fit(x, df=30)"
            )
        return None

    theta, n_iter, converged = newton_unless_divergent(
        score_and_hessian, loglik, theta0, valid=valid, family="StudentT", divergence=divergence
    )
    df, mu, sigma = params(theta)
    return {"df": df, "mu": mu, "sigma": sigma}, n_iter, converged
