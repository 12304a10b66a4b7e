"""The beta function and the incomplete beta ratio in log space, for Beta, StudentT and F.

The three families are one family in disguise: the Student t tail is
F(t) = I_x(nu/2, 1/2) / 2 with x = nu / (nu + t^2), the F cdf is I_u(dfn/2, dfd/2) with
u = dfn x / (dfn x + dfd), and all three densities are normalised by a beta function.
The helpers here are what they share, written so that large shape parameters do not
cancel catastrophically:

- ``stirling_remainder(x) = log Gamma(x) - [(x - 1/2) log x - x + log sqrt(2 pi)]``,
  the Stirling series sum_k B_2k / (2k (2k-1) x^(2k-1)) for x >= 20;
- ``log_beta(a, b)`` = log B(a, b), with log Gamma(a) - log Gamma(a + b) written as
  -(a - 1/2) log1p(b/a) - b log(a + b) + b + remainders when a is large (SciPy's
  ``betaln`` loses up to 1e-11 relative accuracy for 1e3 < a/b < 1e6);
- ``entropy_part(x) = log Gamma(x) - (x - 1) psi(x) + x``, from which the three
  entropies are built without their O(x log x) terms cancelling;
- ``beta_logpdf_saddle`` = log of x^(a-1) y^(b-1) / B(a, b) in Loader's saddle-point
  form, accurate when both shapes are large;
- ``log_incomplete_beta`` = log I_x(a, b) from Gauss's continued fraction where I_x
  underflows, and ``deep_ratio``/``beta_inverse``, its inverse for q < 1e-10, where
  SciPy's ``betaincinv`` can be NaN or far off;
- for the fits: ``digamma_step`` and ``half_shift_derivatives`` (digamma differences
  that would cancel for large arguments), ``log_scale`` (Newton in log parameters),
  ``negative_definite`` and ``newton_unless_divergent``.

References
----------
C. Loader, "Fast and accurate computation of binomial probabilities", 2000.
NIST DLMF sections 5.11 (Stirling series), 8.17.8 (I_x as a hypergeometric function),
15.8.1 (Pfaff's transformation); H. S. Wall, *Analytic Theory of Continued Fractions*,
1948, chapter 18 (Gauss's continued fraction).
W. H. Press et al., *Numerical Recipes*, 3rd ed., section 5.2 (modified Lentz method).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import special

from ._fitting import newton_maximize

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_SERIES_FROM = 20.0  # x from which the Stirling series replaces the direct formulas
SADDLE_FROM = 100.0  # both shapes at least this: saddle-point density
TINY = 1e-300  # below this a probability is recomputed in log space

# Bernoulli numbers B_2, B_4, ..., B_16; at x = 20 the next term is ~1e-21.
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510)
_STIRLING = tuple(b / ((2 * k) * (2 * k - 1)) for k, b in enumerate(_BERNOULLI, 1))
_ENTROPY_ODD = tuple(b / (2 * k - 1) for k, b in enumerate(_BERNOULLI, 1))
_ENTROPY_EVEN = tuple(b / (2 * k) for k, b in enumerate(_BERNOULLI, 1))
# log1p(t) - t = -t y + 2 y^3 (1/3 + y^2/5 + y^4/7 + ...), y = t / (2 + t)
_ATANH_SERIES = tuple(1.0 / (2 * k + 3) for k in range(11))


def _horner(coefs, u):
    total = 0.0
    for c in reversed(coefs):
        total = total * u + c
    return total


def _piecewise(x, small, large, at=_SERIES_FROM):
    """``small(x)`` where x < at, ``large(x)`` elsewhere; each only on its own points."""
    if isinstance(x, float) or np.ndim(x) == 0:
        x = float(x)
        return large(x) if x >= at else small(x)
    x = np.asarray(x, dtype=np.float64)
    out = np.empty(x.shape)
    big = x >= at
    out[big] = large(x[big])
    out[~big] = small(x[~big])
    return out


def apply_where(mask, fn, *args):
    """``fn(*args)`` evaluated only where ``mask`` holds (args broadcast with mask)."""
    shape = np.broadcast_shapes(mask.shape, *(np.shape(a) for a in args))
    mask = np.broadcast_to(mask, shape)
    return fn(*(np.broadcast_to(a, shape)[mask] for a in args))


def put_where(out, mask, fn, *args):
    """out[mask] = fn(*args at the masked points); ``out`` has the broadcast shape."""
    mask = np.broadcast_to(mask, out.shape)
    if mask.any():
        out[mask] = apply_where(mask, fn, *args)
    return out


def piecewise(cond, below, above, *args):
    """below(*args) where cond holds, above(*args) elsewhere, each only on its own points."""
    if np.ndim(cond) == 0:
        return below(*args) if cond else above(*args)
    out = np.empty(np.broadcast_shapes(np.shape(cond), *(np.shape(v) for v in args)))
    put_where(out, cond, below, *args)
    return put_where(out, ~cond, above, *args)


def betainc_complement(a, b, x):
    """1 - I_x(a, b): as 1 - I_x where I_x <= 0.9, ``betaincc`` elsewhere.

    1 - p for p <= 0.9 is within 0.5 eps p / (1 - p) <= 4.5 eps of the complement;
    SciPy's ``betaincc`` is exact but ~10x slower than ``betainc``, so it is kept for
    the complements below 0.1, where 1 - p would lose digits.
    """
    p = special.betainc(a, b, x)
    if np.ndim(p) == 0:
        return 1.0 - p if p <= 0.9 else special.betaincc(a, b, x)
    return put_where(1.0 - p, p > 0.9, special.betaincc, a, b, x)


# --- log Gamma and psi pieces -------------------------------------------------------------
def stirling_remainder(x):
    """log Gamma(x) - [(x - 1/2) log x - x + log sqrt(2 pi)], for x > 0."""
    return _piecewise(
        x,
        lambda x: special.gammaln(x) - (x - 0.5) * np.log(x) + x - _HALF_LOG_2PI,
        lambda x: _horner(_STIRLING, 1.0 / (x * x)) / x,
    )


def entropy_part(x):
    """R(x) = log Gamma(x) - (x - 1) psi(x) + x, for x > 0.

    For x >= 20 the O(x log x) terms cancel analytically:
    R(x) = log(2 pi x)/2 + 1/2 - 1/(2x) + sum_k B_2k [x^(1-2k)/(2k-1) - x^(-2k)/(2k)].
    """

    def large(x):
        u = 1.0 / (x * x)
        series = (_horner(_ENTROPY_ODD, u) - 0.5) / x - _horner(_ENTROPY_EVEN, u) * u
        return 0.5 * np.log(x) + _HALF_LOG_2PI + 0.5 + series

    return _piecewise(
        x, lambda x: special.gammaln(x) - (x - 1.0) * special.digamma(x) + x, large
    )


# L(x) = log Gamma(x + 1/2) - log Gamma(x) - log(x)/2 = sum_k l_k x^(1-2k),
# l_k = (2^(1-2k) - 2) B_2k / (2k (2k-1))  (Stirling series with Bernoulli polynomials at 1/2)
_HALF_SHIFT = tuple(
    (2.0 ** (1 - 2 * k) - 2.0) * b / ((2 * k) * (2 * k - 1)) for k, b in enumerate(_BERNOULLI, 1)
)
_HALF_SHIFT_D1 = tuple(-(2 * k - 1) * c for k, c in enumerate(_HALF_SHIFT, 1))
_HALF_SHIFT_D2 = tuple((2 * k - 1) * (2 * k) * c for k, c in enumerate(_HALF_SHIFT, 1))


def half_shift_derivatives(x):
    """L'(x) and L''(x) for L(x) = log Gamma(x + 1/2) - log Gamma(x) - log(x)/2.

    L'(x) = psi(x + 1/2) - psi(x) - 1/(2x) is O(x^-2): for x >= 20 from the series, where
    the difference of digammas would lose every digit beyond 1e-16 * log(x) absolute.
    """
    l1 = _piecewise(
        x,
        lambda x: special.digamma(x + 0.5) - special.digamma(x) - 0.5 / x,
        lambda x: _horner(_HALF_SHIFT_D1, 1.0 / (x * x)) / (x * x),
    )
    l2 = _piecewise(
        x,
        lambda x: special.polygamma(1, x + 0.5) - special.polygamma(1, x) + 0.5 / (x * x),
        lambda x: _horner(_HALF_SHIFT_D2, 1.0 / (x * x)) / (x * x * x),
    )
    return l1, l2


def digamma_step(x, y):
    """psi(x + y) - psi(x) - y/x for x, y > 0, without cancellation when x is large.

    For x >= 20, from psi(z) = log z - 1/(2z) - sum_k B_2k / (2k z^2k):
    log1pmx(y/x) + y/(2x(x+y)) - sum_k B_2k/(2k) x^-2k expm1(-2k log1p(y/x)).
    """

    def large(x, y):
        t = y / x
        u = 1.0 / (x * x)
        series = 0.0
        power = 1.0
        for k, b2k in enumerate(_BERNOULLI, 1):
            power = power * u
            series = series + b2k / (2 * k) * power * np.expm1(-2 * k * np.log1p(t))
        return log1pmx(t) + y / (2.0 * x * (x + y)) - series

    def small(x, y):
        return special.digamma(x + y) - special.digamma(x) - y / x

    if np.ndim(x) == 0 and np.ndim(y) == 0:
        return large(float(x), float(y)) if x >= _SERIES_FROM else small(x, y)
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    out = np.empty(x.shape)
    big = x >= _SERIES_FROM
    out[big] = large(x[big], y[big])
    out[~big] = small(x[~big], y[~big])
    return out


def _log_beta_large(big, small):
    # log Gamma(big) - log Gamma(big + small), both by Stirling, with the difference of
    # (x - 1/2) log x terms written as -(big - 1/2) log1p(small/big) - small log(big + small)
    total = big + small
    return (
        special.gammaln(small)
        - (big - 0.5) * np.log1p(small / big)
        - small * np.log(total)
        + small
        + stirling_remainder(big)
        - stirling_remainder(total)
    )


def log_beta(a, b):
    """log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b), accurate for large a or b."""
    if isinstance(a, float) and isinstance(b, float):
        big, small = (a, b) if a >= b else (b, a)
        if big < _SERIES_FROM:
            return special.betaln(a, b)
        return _log_beta_large(big, small)
    if np.ndim(a) == 0 and np.ndim(b) == 0:
        return log_beta(float(a), float(b))
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    big, small = np.maximum(a, b), np.minimum(a, b)
    out = special.betaln(a, b)
    large = big >= _SERIES_FROM
    out[large] = _log_beta_large(big[large], small[large])
    return out


# --- densities ----------------------------------------------------------------------------
def _log1pmx_near_zero(t):
    y = t / (2.0 + t)
    y2 = y * y
    return -t * y + 2.0 * y * y2 * _horner(_ATANH_SERIES, y2)


def log1pmx(t):
    """log(1 + t) - t for t >= -1, accurate (relative) near t = 0."""
    if np.ndim(t) == 0:
        t = float(t)
        if t == -1.0:
            return -math.inf
        return _log1pmx_near_zero(t) if abs(t) < 0.25 else math.log1p(t) - t
    t = np.asarray(t, dtype=np.float64)
    out = np.empty(t.shape)
    near = np.abs(t) < 0.25
    out[near] = _log1pmx_near_zero(t[near])
    far = t[~near]
    out[~near] = np.log1p(far) - far
    return out


def _log_ratio(k, m):
    """log(k / m) for k, m > 0, without overflow of k / m."""
    r = k / m
    if np.ndim(r) == 0:
        return math.log(r) if r < math.inf else math.log(k) - math.log(m)
    out = np.log(r)
    over = np.isinf(r)
    if over.any():
        out[over] = apply_where(over, lambda k, m: np.log(k) - np.log(m), k, m)
    return out


def deviance(k, m):
    """Loader's bd0(k, m) = k log(k/m) + m - k >= 0 for k > 0, m >= 0.

    Near m = k it is -k log1pmx((m - k)/k), a sum of positive terms; elsewhere the
    direct formula, with log(k/m) taken as a ratio so that no O(k log k) terms cancel.
    """
    t = (m - k) / k
    if np.ndim(t) == 0:
        if abs(t) < 0.25:
            return -k * _log1pmx_near_zero(t)
        if m == 0.0:
            return math.inf
        return k * _log_ratio(k, m) + m - k
    k, m, t = np.broadcast_arrays(k, m, t)
    out = np.empty(t.shape)
    near = np.abs(t) < 0.25
    out[near] = -k[near] * _log1pmx_near_zero(t[near])
    kf, mf = k[~near], m[~near]
    out[~near] = kf * _log_ratio(kf, mf) + mf - kf
    return out


def beta_logpdf_saddle(a, b, x, y):
    """log[x^(a-1) y^(b-1) / B(a, b)] with y = 1 - x given separately, for large a and b.

    With c = a + b and S the Stirling remainder:
    log f = -bd0(a, c x) - bd0(b, c y) + log(a b / (2 pi c))/2 - log(x y) - S(a) - S(b) + S(c).
    The exponent terms a log x, b log y and log B(a, b) are each O(c); here nothing
    larger than the result is ever subtracted (Loader 2000). x = 0 or y = 0 gives -inf.
    """
    c = a + b
    const = (
        0.5 * np.log(a * b / c)
        - _HALF_LOG_2PI
        - stirling_remainder(a)
        - stirling_remainder(b)
        + stirling_remainder(c)
    )
    if np.ndim(x) == 0 and np.ndim(const) == 0:
        if x == 0.0 or y == 0.0:
            return -math.inf
        return const - deviance(a, c * x) - deviance(b, c * y) - math.log(x * y)
    out = const - deviance(a, c * x) - deviance(b, c * y) - np.log(x * y)
    return np.where((x == 0.0) | (y == 0.0), -np.inf, out)


# --- incomplete beta in log space -----------------------------------------------------------
def _log_gauss_fraction(a, b, rho, max_iter=10_000):
    """log K with F(1-b, 1; a+1; -rho) = 1/K, K = 1 + e1/(1 + e2/(1 + ...)).

    Gauss's continued fraction for a ratio of contiguous hypergeometric functions:
    e_j = k_j rho with k_{2n+1} = (1-b+n)(a+n)/((a+2n)(a+2n+1)) and
    k_{2n} = n(a+b-1+n)/((a+2n-1)(a+2n)); evaluated forwards by the modified Lentz
    method. It needs rho = x/(1-x), never 1 - x itself.
    """
    a, b, rho = (np.array(v, dtype=np.float64) for v in np.broadcast_arrays(a, b, rho))
    f = np.ones_like(rho)
    c = np.ones_like(rho)
    d = np.zeros_like(rho)
    for j in range(1, max_iter + 1):
        n = j // 2
        if j % 2:
            k = (1.0 - b + n) * (a + n) / ((a + 2 * n) * (a + 2 * n + 1))
        else:
            k = n * (a + b - 1.0 + n) / ((a + 2 * n - 1) * (a + 2 * n))
        e = k * rho
        d = 1.0 + e * d
        d = 1.0 / np.where(np.abs(d) < 1e-300, 1e-300, d)
        c = 1.0 + e / c
        c = np.where(np.abs(c) < 1e-300, 1e-300, c)
        delta = c * d
        f *= delta
        if not np.any(np.abs(delta - 1.0) > 1e-16):  # NaN entries stop too
            break
    return np.log(f)


def log_incomplete_beta(a, b, rho, log_front):
    """log I_x(a, b) in a tail where I_x itself may underflow; rho = x / (1 - x).

    ``log_front`` = log[x^a (1-x)^b / B(a, b)], which each family has from its log
    density (it is log(x f(x)) for the beta variable x), so that large a and b do not
    cancel here. With the hypergeometric form of I_x (DLMF 8.17.8) and Pfaff's
    transformation (DLMF 15.8.1),
    I_x(a, b) = x^a (1-x)^b / (a B(a, b)) (1 + rho) F(1-b, 1; a+1; -rho),
    and F from Gauss's continued fraction. Only rho enters, never 1 - x: for the t tail
    with large df (x = df/(df + t^2) near 1) the x-form continued fraction DLMF 8.17.22
    would lose the relative accuracy of 1 - x, ~1e-9 at df = 1e10, t = -40.
    """
    out = log_front - np.log(a) + np.log1p(rho) - _log_gauss_fraction(a, b, rho)
    return float(out) if np.ndim(out) == 0 else out


def _log_front(a, b, rho):
    """log[x^a (1-x)^b / B(a, b)] with x = rho/(1+rho), 1 - x = 1/(1+rho).

    As -a log1p(1/rho) - b log1p(rho) - log B(a, b): no O(a log rho) terms cancel when
    one shape is large; both shapes large: the saddle-point density times x (1-x).
    """
    naive = -a * np.log1p(1.0 / rho) - b * np.log1p(rho) - log_beta(a, b)
    large = np.minimum(a, b) >= SADDLE_FROM
    if np.any(large):
        x, y = 1.0 / (1.0 + 1.0 / rho), 1.0 / (1.0 + rho)
        saddle = beta_logpdf_saddle(a, b, x, y) + np.log(x) + np.log(y)
        return np.where(large, saddle, naive)
    return naive


def deep_ratio(a, b, q, rho0):
    """rho = x/(1-x) with I_x(a, b) = q, for small q, by Newton's method on log I = log q.

    The unknown is s = log rho; d log I / ds = x^a (1-x)^b / (B(a, b) I_x(a, b)), and
    log I comes from ``log_incomplete_beta``, accurate however small I is. Returning rho
    keeps both x = rho/(1+rho) and 1 - x = 1/(1+rho) to full relative accuracy. The start
    is ``rho0`` where it is a positive finite number (kept as it is if it already solves
    the equation to rounding), else the first term of the series, x^a / (a B) = q.
    Steps are capped at 5 in log rho. The answer carries the rounding of log q, a
    relative error of ~|log q| eps / a in rho (2e-14 at q = 1e-300, a = 1).
    """
    shape = np.broadcast_shapes(np.shape(a), np.shape(b), np.shape(q), np.shape(rho0))
    a, b, q, rho = (
        np.array(v, dtype=np.float64, ndmin=1) for v in np.broadcast_arrays(a, b, q, rho0)
    )
    log_q = np.log(q)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        start = (rho > 0) & (rho < np.inf)
        rho = np.where(start, rho, np.exp((log_q + np.log(a) + log_beta(a, b)) / a))
        for _ in range(100):
            s = np.log(rho)
            log_front = _log_front(a, b, rho)
            log_i = log_incomplete_beta(a, b, rho, log_front)
            slope = np.exp(log_front - log_i)
            step = np.clip((log_i - log_q) / slope, -5.0, 5.0)
            done = np.abs(step) <= 1e-15 * (1.0 + np.abs(s) + np.abs(log_q) / slope)
            # rho run into the subnormals (or past the largest double): the answer
            # under/overflows, and x = 0 (or 1) is its correct rounding
            lost = ~np.isfinite(step) | (rho == 0.0) | (rho == np.inf)
            rho = np.where(lost, np.where(rho < 1.0, 0.0, np.inf), rho)
            done |= lost
            rho = np.where(done, rho, np.exp(s - step))
            if done.all():
                break
    return rho.reshape(shape)


_DEEP_Q = 1e-10  # below this the quantile is polished by ``deep_ratio``


def deep_quantile(q, x):
    """Where the special-function inverse ``x`` cannot be trusted: q < 1e-10, or NaN.

    SciPy's betaincinv returns NaN for some shapes when q < ~1e-200 (a = 2, b = 5), is off
    by up to 4% in x for others (a = 1000, b = 20, q = 1e-300: I_x(a, b) = e^36 q), and
    clamps at the smallest normal number 2.2e-308 when x underflows.
    """
    return ((q < _DEEP_Q) & (q > 0.0)) | np.isnan(x)


def beta_inverse(a, b, q, upper=False):
    """x with I_x(a, b) = q (``betaincinv``), or with 1 - I_x(a, b) = q (``betainccinv``).

    Small q (see ``deep_quantile``) are solved by ``deep_ratio`` on I_x(a, b) = q, or on
    I_{1-x}(b, a) = q for the upper tail, started from SciPy's answer.
    """
    if upper:
        x = special.betainccinv(a, b, q)

        def polish(a, b, q, x):
            return 1.0 / (1.0 + deep_ratio(b, a, q, (1.0 - x) / x))

    else:
        x = special.betaincinv(a, b, q)

        def polish(a, b, q, x):
            return 1.0 / (1.0 + 1.0 / deep_ratio(a, b, q, x / (1.0 - x)))

    deep = deep_quantile(q, x)
    if not np.any(deep):
        return x
    with np.errstate(divide="ignore", invalid="ignore"):
        if np.ndim(x) == 0:
            return float(polish(a, b, q, x))
        return put_where(x, deep, polish, a, b, q, x)


def newton_unless_divergent(score_and_hessian, loglik, theta0, *, valid, family, divergence):
    """``newton_maximize``, but a likelihood whose supremum lies at infinity is an error.

    ``divergence(theta)`` returns an error message when the final iterate sits at the
    edge of the domain (a degree of freedom run off towards infinity), else None; the
    ValueError is raised before any ConvergenceWarning of the chase is passed on.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        theta, n_iter, converged = newton_maximize(
            score_and_hessian, loglik, theta0, valid=valid, family=family
        )
    message = divergence(theta)
    if message:
        raise ValueError(message)
    for w in caught:
        warnings.warn(w.message, w.category, stacklevel=4)
    return theta, n_iter, converged


def negative_definite(h):
    """h with each eigenvalue lambda replaced by -max(|lambda|, 1e-12 max|lambda|).

    Where the log-likelihood is not concave (the flat far end of a degree of freedom)
    this keeps Newton's step a step uphill of natural length, instead of the tiny
    gradient step ``newton_maximize`` falls back to (Nocedal & Wright, *Numerical
    Optimization*, 2nd ed., section 3.4).
    """
    values, vectors = np.linalg.eigh((h + h.T) / 2.0)
    floor = 1e-12 * max(float(np.max(np.abs(values))), 1e-300)
    return (vectors * -np.maximum(np.abs(values), floor)) @ vectors.T


def log_scale(g, h, values, logged):
    """Score and Hessian for theta_j = log(p_j) (where ``logged``) from those for p.

    With p = exp(theta): dl/dtheta = p dl/dp and
    d2l/dtheta_i dtheta_j = p_i p_j d2l/dp_i dp_j + delta_ij p_i dl/dp_i.
    """
    s = np.where(logged, values, 1.0)
    return s * g, s[:, None] * h * s[None, :] + np.diag(np.where(logged, s * g, 0.0))
