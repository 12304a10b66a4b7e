"""The incomplete gamma machinery shared by Gamma, ChiSquare and InverseGamma.

With P(a, y) = gamma(a, y) / Gamma(a) and Q(a, y) = 1 - P(a, y) the regularized lower
and upper incomplete gamma functions (``scipy.special.gammainc``/``gammaincc``), a
Gamma(a, rate) variable X has F(x) = P(a, rate x), and an inverse-gamma variable
beta / Y, Y ~ Gamma(a, 1), has F(x) = Q(a, beta / x). What the three share:

- ``log_density(a, y, log_gamma_a)`` = log[y^(a-1) e^(-y) / Gamma(a)], switching to
  Loader's saddle-point form for a >= 100, where the three terms of the direct formula
  are each O(a log a) and cancel;
- ``log_density_fused`` = the same for scalar a, in place on one temporary;
- ``log_lower`` / ``log_upper`` = log P(a, y) and log Q(a, y), finite where P or Q
  underflow (series DLMF 8.7.1 and continued fraction DLMF 8.9.2);
- ``quantile(a, p, lower, log_gamma_a)`` = the inverse of P or Q, by Halley's method;
- ``sums_of_x_and_log_x`` and ``fit_shape_rate``: the maximum-likelihood estimate of
  (a, rate) from the two sufficient statistics mean(x) and mean(log x).

References
----------
A. R. DiDonato, A. H. Morris, "Computation of the incomplete gamma function ratios and
their inverse", ACM TOMS 12 (1986) 377-393. C. Loader, "Fast and accurate computation
of binomial probabilities", 2000. T. P. Minka, "Estimating a Gamma distribution", 2002.
NIST DLMF sections 5.11, 8.7, 8.9.
"""

from __future__ import annotations

import ctypes
import functools
import math

import numpy as np
from numba import njit
from numba.extending import get_cython_function_address
from scipy import special

from ._beta_functions import SADDLE_FROM, TINY, deviance, stirling_remainder
from ._fitting import newton_maximize

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


# --- density --------------------------------------------------------------------------------
def log_density(a, y, log_gamma_a):
    """log[y^(a-1) e^(-y) / Gamma(a)] for y in [0, inf], broadcasting.

    At y = 0 it is +inf (a < 1), 0 (a = 1) or -inf (a > 1); at y = inf it is -inf. For
    a >= SADDLE_FROM: log f = log(a / (2 pi))/2 - log y - S(a) - bd0(a, y), with S the
    Stirling remainder of log Gamma(a) and bd0(a, y) = a log(a/y) + y - a >= 0 (Loader),
    a form in which nothing larger than the result is subtracted.
    """
    if type(y) is float and np.ndim(a) == 0:
        a = float(a)
        if y == math.inf:
            return -math.inf
        if a < SADDLE_FROM:
            return float(special.xlogy(a - 1.0, y)) - y - log_gamma_a
        if y == 0.0:
            return -math.inf
        return _log_density_saddle(a, y)
    out = special.xlogy(a - 1.0, y) - y - log_gamma_a
    large = np.asarray(a >= SADDLE_FROM)
    if large.any():
        a_b, y_b, out = np.broadcast_arrays(a, y, out)
        out = out.copy()
        large = np.broadcast_to(large, a_b.shape)
        inside = large & (y_b > 0.0) & (y_b < np.inf)
        out[inside] = _log_density_saddle(a_b[inside], y_b[inside])
        out[large & (y_b == 0.0)] = -np.inf
    return np.where(np.isposinf(y), -np.inf, out)


def _log_density_saddle(a, y):
    return 0.5 * np.log(a / (2.0 * np.pi)) - np.log(y) - stirling_remainder(a) - deviance(a, y)


def log_density_fused(a: float, rate: float, x: np.ndarray, log_norm: float) -> np.ndarray:
    """(a-1) log(rate x) - rate x + log_norm for an array x >= 0 and scalar a < SADDLE_FROM.

    ``log_norm`` = log(rate) - log Gamma(a). Written as in-place operations on one
    temporary (two passes allocate: rate x and its log); this measured faster than a
    fused numba loop, NumPy's log and exp being vectorised. The formula is inf - inf
    only at x = inf (and 0 * log 0 at x = 0 when a = 1, handled by a = 1 having no log
    term), which one reduction detects and the limit -inf replaces; where rate x
    underflows to 0 (rate < 1) the log is taken as log x + log rate.
    """
    y = x * rate if rate != 1.0 else x
    if a == 1.0:
        return log_norm - y
    out = np.log(y)
    out *= a - 1.0
    out -= y
    out += log_norm
    if y.size:
        if y.max() == math.inf:
            out[y == math.inf] = -math.inf
        if rate < 1.0 and y.min() == 0.0:
            lost = (y == 0.0) & (x > 0.0)
            out[lost] = (a - 1.0) * (np.log(x[lost]) + math.log(rate)) + log_norm
    return out


# --- log P and log Q in the tails ------------------------------------------------------------
def _log_lower_series(a, y, log_gamma_a, max_terms=5000):
    """log P(a, y) = a log y - y - log Gamma(a+1) + log sum_k y^k / ((a+1)...(a+k)).

    DLMF 8.7.1; used where P underflows, i.e. y well below a, where the terms fall
    geometrically (ratio y / (a + k)).
    """
    term = np.ones_like(y)
    total = np.ones_like(y)
    for k in range(1, max_terms + 1):
        term = term * y / (a + k)
        total = total + term
        if np.all(term <= 1e-17 * total):
            break
    return a * np.log(y) - y - (log_gamma_a + np.log(a)) + np.log(total)


def _log_upper_fraction(a, y, log_gamma_a, max_terms=5000):
    """log Q(a, y) from Legendre's continued fraction (DLMF 8.9.2), by modified Lentz.

    Q(a, y) = y^a e^(-y) / Gamma(a) / (y + 1 - a - 1(1-a)/(y + 3 - a - 2(2-a)/(y + 5 - a - ...)));
    used where Q underflows, i.e. y well above a, where the fraction converges fast.
    """
    tiny = 1e-300
    b = y + 1.0 - a
    c = np.full_like(y, 1.0 / tiny)
    d = 1.0 / b
    h = d.copy()
    for k in range(1, max_terms + 1):
        coef = -k * (k - a)
        b = b + 2.0
        d = coef * d + b
        d = 1.0 / np.where(np.abs(d) < tiny, tiny, d)
        c = b + coef / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1.0) <= 1e-16):
            break
    return a * np.log(y) - y - log_gamma_a + np.log(h)


def _log_tail(a, y, log_gamma_a, lower):
    """log P (``lower``) or log Q: the smaller tail directly, the larger via log1p."""
    tail, other = special.gammainc, special.gammaincc
    if not lower:
        tail, other = other, tail
    deep_tail = _log_lower_series if lower else _log_upper_fraction
    edge = 0.0 if lower else math.inf
    if np.ndim(y) == 0 and np.ndim(a) == 0:
        p = float(tail(a, y))
        if p > 0.5:
            return math.log1p(-float(other(a, y)))
        if p >= TINY:
            return math.log(p)
        if y == edge:
            return -math.inf
        return float(deep_tail(np.array([a], float), np.array([y], float), log_gamma_a)[0])
    a_b, y_b, lg_b = np.broadcast_arrays(a, y, log_gamma_a)
    p = tail(a_b, y_b)
    out = np.log(p)
    big = p > 0.5
    if big.any():
        out[big] = np.log1p(-other(a_b[big], y_b[big]))
    deep = (p < TINY) & (y_b != edge)
    if deep.any():
        out[deep] = deep_tail(a_b[deep], y_b[deep], lg_b[deep])
    return out


def log_lower(a, y, log_gamma_a):
    """log P(a, y), accurate in both tails (finite while y > 0)."""
    return _log_tail(a, y, log_gamma_a, lower=True)


def log_upper(a, y, log_gamma_a):
    """log Q(a, y), accurate in both tails (finite while y < inf)."""
    return _log_tail(a, y, log_gamma_a, lower=False)


# --- quantiles -------------------------------------------------------------------------------
_HALLEY_FROM = 500  # fewer points: scipy's inverse directly (the kernel call has overhead)
_MAX_HALLEY = 6


@functools.cache
def _special_functions():
    """P, Q and the normal quantile of scipy.special as C functions a numba kernel can call."""
    two = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double, ctypes.c_double)
    one = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)
    module = "scipy.special.cython_special"
    return (
        two(get_cython_function_address(module, "gammainc")),
        two(get_cython_function_address(module, "gammaincc")),
        one(get_cython_function_address(module, "ndtri")),
    )


@njit(cache=True, error_model="numpy")  # IEEE division: 1/0 = inf, no exception
def _starting_point(a, t, lower_side, log_gamma_a, ndtri):
    """A first guess of y with P(a, y) = t (``lower_side``) or Q(a, y) = t, t <= 1/2.

    Wilson-Hilferty, y = a (1 - 1/(9a) + z/(3 sqrt a))^3 with z the normal quantile, in
    the body; in the lower tail the leading term of the series, P ~ y^a / Gamma(a+1),
    with one correction; in the far upper tail the asymptotic form
    Q ~ y^(a-1) e^(-y) / Gamma(a), iterated three times (DiDonato & Morris 1986).
    """
    z = ndtri(t)
    d = 1.0 / (9.0 * a)
    if lower_side:
        base = 1.0 - d + z * math.sqrt(d)
        series = math.exp((math.log(t) + math.log(a) + log_gamma_a) / a)
        series *= 1.0 + series / (a + 1.0)
        if base <= 0.0 or series < 0.1 * (a + 1.0):
            return series
        return a * base * base * base
    level = -math.log(t) - log_gamma_a
    if level > a + 1.0:
        y = level
        for _ in range(3):
            y = level + (a - 1.0) * math.log(y) + math.log1p((a - 1.0) / y)
        return y
    base = 1.0 - d - z * math.sqrt(d)
    return a * base * base * base


@njit(cache=True, error_model="numpy")
def _halley_kernel(a, log_gamma_a, a_step, p, lower, gammainc, gammaincc, ndtri):
    """y with P(a, y) = p (``lower``) or Q(a, y) = p for each p; NaN where unsettled.

    The equation solved is for the tail in which p <= 1/2 (the complement 1 - p is exact
    there), in log form g(y) = log F(a, y) - log t, nearly linear in the tails, where F
    itself changes by orders of magnitude per unit of y. With f the density and
    r = f / F: g' = +-r and g''/g' = (a-1)/y - 1 -+ r, so a step costs one F, two logs
    and one exp. Halley's step u / (1 - u g''/(2 g')), u = g/g', converges cubically;
    the iteration stops once the step is below 1e-6 y and below 1e-5 / |g''/g'| (the
    next one would be below 1e-16 y). Shapes below 1/4 in the upper tail, where the
    iteration is slow to settle, are left as NaN for scipy's inverse.
    """
    out = np.empty(p.size)
    for i in range(p.size):
        ai = a[i * a_step]
        lg = log_gamma_a[i * a_step]
        first_half = p[i] <= 0.5
        t = p[i] if first_half else 1.0 - p[i]
        lower_side = first_half == lower
        out[i] = math.nan
        if not lower_side and ai < 0.25:
            continue
        y = _starting_point(ai, t, lower_side, lg, ndtri)
        log_t = math.log(t)
        for _ in range(_MAX_HALLEY):
            if not 0.0 < y < math.inf:
                break
            value = gammainc(ai, y) if lower_side else gammaincc(ai, y)
            g = math.log(value) - log_t
            r = math.exp((ai - 1.0) * math.log(y) - y - lg) / value
            curvature = (ai - 1.0) / y - 1.0
            if lower_side:
                newton, curvature = g / r, curvature - r
            else:
                newton, curvature = -g / r, curvature + r
            half = 0.5 * newton * curvature
            step = newton / (1.0 - half) if abs(half) < 0.5 else newton
            y_new = y - step
            if y_new <= 0.0:
                y_new = 0.1 * y  # stay in the support
            if abs(step) <= 1e-6 * y_new and abs(curvature * step) <= 1e-5:
                out[i] = y_new
                break
            y = y_new
    return out


def quantile(a, p, lower, log_gamma_a):
    """y with P(a, y) = p (``lower``) or Q(a, y) = p, for p strictly inside (0, 1).

    Halley's method from the DiDonato-Morris starting values (``_halley_kernel``),
    typically two evaluations of P or Q per point where ``scipy.special.gammaincinv``
    spends the equivalent of four to seven; any point it leaves unsettled (tiny shapes
    in the upper tail, values at the edge of the floating-point range) goes to
    ``scipy.special.gammaincinv``/``gammainccinv``, and so do small inputs.
    """
    inverse = special.gammaincinv if lower else special.gammainccinv
    if np.ndim(p) == 0 or np.size(p) < _HALLEY_FROM:
        return inverse(a, p)
    shape = np.broadcast_shapes(np.shape(a), np.shape(p))
    p_flat = np.ascontiguousarray(np.broadcast_to(p, shape), dtype=np.float64).ravel()
    scalar_a = np.ndim(a) == 0
    a_flat = np.ascontiguousarray(np.broadcast_to(a, () if scalar_a else shape), dtype=np.float64)
    lg_flat = np.ascontiguousarray(
        np.broadcast_to(log_gamma_a, () if scalar_a else shape), dtype=np.float64
    )
    out = _halley_kernel(
        a_flat.ravel(), lg_flat.ravel(), 0 if scalar_a else 1, p_flat, lower, *_special_functions()
    )
    failed = np.flatnonzero(np.isnan(out))
    if failed.size:
        out[failed] = inverse(a if scalar_a else a_flat.ravel()[failed], p_flat[failed])
    return out.reshape(shape)


# --- maximum likelihood ----------------------------------------------------------------------
_MANTISSA = np.uint64(0x000FFFFFFFFFFFFF)
_EXPONENT_OF_ONE = np.uint64(0x3FF0000000000000)


@njit(cache=True, fastmath={"reassoc"})
def _sums_kernel(x):
    bits = x.view(np.uint64)
    n = x.size
    total = 0.0
    total_log = 0.0
    exponents = 0
    outside = 0
    for start in range(0, n, 512):
        partial = 0.0
        product = 1.0
        for i in range(start, min(start + 512, n)):
            b = bits[i]
            e = np.int64(b >> np.uint64(52))  # biased exponent (sign bit included)
            outside += (e < 1) | (e > 2046)  # zero, subnormal, negative, inf or NaN
            exponents += e
            product *= np.uint64((b & _MANTISSA) | _EXPONENT_OF_ONE).view(np.float64)
            partial += x[i]
        total += partial
        total_log += math.log(product)
    return total, total_log + (exponents - 1023 * n) * math.log(2.0), outside


def sums_of_x_and_log_x(x):
    """(sum x_i, sum log x_i) of a 1-D float array in one pass; sum log x = NaN unless all x > 0.

    Each x = m 2^e with m in [1, 2) read from its bits, so
    sum log x = (sum e) log 2 + log prod m, the product taken over blocks of 512
    (< 2^512, no overflow): one log per 512 points instead of one per point, more than
    ten times faster than ``np.log(x).sum()``, and as accurate (a product of k factors
    carries at most k ulps of relative error, 1e-13 absolute in its log). Block sums of x
    keep the rounding of sum x at O(512 + n/512) ulps. Subnormal points (where the bits
    hold no leading 1) fall back to ``np.log``.
    """
    x = np.ascontiguousarray(x, dtype=np.float64)
    total, total_log, outside = _sums_kernel(x)
    if outside:
        if not x.min() > 0.0:
            return float(total), math.nan
        total_log = float(np.sum(np.log(x)))  # subnormal points
    return float(total), float(total_log)


_STIRLING_LOG_DIGAMMA = (1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12)
_STIRLING_TRIGAMMA = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)


def log_minus_digamma(a: float) -> float:
    """log(a) - psi(a) > 0, by its asymptotic series for a >= 10 (where the two cancel).

    log a - psi(a) = 1/(2a) + sum_k B_2k / (2k a^2k) (DLMF 5.11.2).
    """
    if a < 10.0:
        return math.log(a) - float(special.digamma(a))
    u = 1.0 / (a * a)
    series = 0.0
    for c in reversed(_STIRLING_LOG_DIGAMMA):
        series = series * u + c
    return 0.5 / a + series * u


def inverse_a_minus_trigamma(a: float) -> float:
    """1/a - psi'(a) < 0, by its asymptotic series for a >= 10.

    psi'(a) = 1/a + 1/(2a^2) + sum_k B_2k / a^(2k+1) (DLMF 5.15.8).
    """
    if a < 10.0:
        return 1.0 / a - float(special.zeta(2.0, a))  # psi'(a) = zeta(2, a)
    u = 1.0 / (a * a)
    series = 0.0
    for c in reversed(_STIRLING_TRIGAMMA):
        series = series * u + c
    return -(0.5 * u + series * u / a)


def _inverse_digamma_start(y: float) -> float:
    """Minka's approximation to psi^{-1}(y): exp(y) + 1/2 for y >= -2.22, else -1/(y + gamma)."""
    return math.exp(y) + 0.5 if y >= -2.22 else -1.0 / (y - float(special.digamma(1.0)))


def fit_shape_rate(mean: float, mean_log: float, *, shape=None, rate=None, family="Gamma"):
    """Maximum-likelihood (shape, rate) of a gamma sample from mean(x) and mean(log x).

    Per observation, l(a, b) = a log b - log Gamma(a) + (a-1) mean(log x) - b mean(x).
    - rate free: b = a / mean(x) for any a (the rate score is zero there).
    - both free: the profile score in a is log a - psi(a) - s with
      s = log mean(x) - mean(log x) > 0 (Jensen), solved by Newton's method on
      theta = log a from Minka's (Choi-Wette) approximation
      a0 = (3 - s + sqrt((s - 3)^2 + 24 s)) / (12 s), within ~1.5% of the root.
    - rate fixed: the score psi(a) = log b + mean(log x), by Newton on log a from
      Minka's approximate inverse digamma.
    Each iteration is O(1): the data enter only through the two means.

    Returns
    -------
    shape, rate : float
    n_iter : int
    converged : bool
    """
    if shape is not None and rate is not None:
        return shape, rate, 0, True
    if shape is not None:
        return shape, shape / mean, 0, True
    if rate is None:
        s = math.log(mean) - mean_log
        if not s > 0.0:
            raise ValueError(
                f"data has zero spread (log mean(x) - mean(log x) = {s!r}); the {family} "
                "likelihood has no maximum (shape -> inf)"
            )

        def loglik(theta):
            a = math.exp(theta[0])
            return a * math.log(a / mean) - a + (a - 1.0) * mean_log - math.lgamma(a)

        def score_and_hessian(theta):
            a = math.exp(theta[0])
            g = log_minus_digamma(a) - s
            # d/dtheta = a d/da; d2/dtheta2 = a g + a^2 (1/a - psi'(a))
            return np.array([a * g]), np.array([[a * g + a * a * inverse_a_minus_trigamma(a)]])

        a0 = (3.0 - s + math.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)
        theta, n_iter, converged = newton_maximize(
            score_and_hessian, loglik, [math.log(a0)], valid=_finite_shape, family=family
        )
        a = math.exp(theta[0])
        return a, a / mean, n_iter, converged

    target = math.log(rate) + mean_log  # psi(a) at the maximum

    def loglik_fixed_rate(theta):
        a = math.exp(theta[0])
        return a * target - mean_log - math.lgamma(a) - rate * mean

    def score_and_hessian_fixed_rate(theta):
        a = math.exp(theta[0])
        g = target - float(special.digamma(a))
        return np.array([a * g]), np.array([[a * g - a * a * float(special.zeta(2.0, a))]])

    theta0 = math.log(_inverse_digamma_start(target))
    theta, n_iter, converged = newton_maximize(
        score_and_hessian_fixed_rate,
        loglik_fixed_rate,
        [theta0],
        valid=_finite_shape,
        family=family,
    )
    return math.exp(theta[0]), rate, n_iter, converged


def _finite_shape(theta) -> bool:
    return bool(-700.0 < theta[0] < 700.0)


def shape_scale_information(n: int, a: float, b: float, free, second: str):
    """Observed information of (shape, b): n [[psi'(a), -1/b], [-1/b, a/b^2]], for ``free``.

    The gamma log-likelihood n[a log b - log Gamma(a) + (a-1) mean(log x) - b mean(x)]
    (b the rate) has second derivatives that do not involve the data; the inverse gamma
    with scale b has the same. ``second`` names b ("rate" or "scale").
    """
    entries = {
        ("shape", "shape"): n * float(special.zeta(2.0, a)),  # psi'(a)
        ("shape", second): -n / b,
        (second, second): n * a / (b * b),
    }
    return np.array([[entries.get((i, j), entries.get((j, i))) for j in free] for i in free])
