"""Numerics shared by the discrete families: saddle-point masses, tables, entropy.

Three things live here. (1) Log-masses accurate for arguments of any size (below).
(2) Tables for distributions with scalar parameters: many points on a short range of
integers evaluate each integer once (``tabulated``), many quantiles and large samples
search a tabulated cdf (``TabulatedQuantiles``, ``sample_by_inversion``, with a numba
guide-table kernel). (3) Entropy by summation where no closed form exists.

Log-masses such as log C(n, k) + k log p + (n - k) log(1 - p) are differences of
log-gammas that grow like n log n while the result stays of order log n: written with
``gammaln`` they lose about log10(n log n) digits (a relative error near 1e-4 in the
binomial mass at n = 1e12). Loader's saddle-point form removes the cancellation by
splitting each log-gamma into Stirling's main term and the small Stirling error

    stirlerr(x) = log Gamma(x + 1) - (x + 1/2) log x + x - log sqrt(2 pi),

and by collecting the main terms into the deviance

    bd0(x, m) = x log(x / m) + m - x  >= 0,

which is evaluated by a series when x is close to m. Then, with N = a + b and
p_a + p_b = 1,

    log[N! / (a! b!) p_a^a p_b^b]
        = stirlerr(N) - stirlerr(a) - stirlerr(b) - bd0(a, N p_a) - bd0(b, N p_b)
          - 1/2 log(2 pi a b / N),

and log[lam^k e^-lam / k!] = -stirlerr(k) - bd0(k, lam) - 1/2 log(2 pi k), each
backward stable for every size of the arguments: the error is that of rounding p
(or lam) by a few ulps, i.e. a few ulps of log f plus eps |d log f / d log p|.

Up to ``SMALL`` = 32 the direct log-gamma formulas lose at most log Gamma(33) eps
~ 6e-14 and are cheaper, so the families use them there (they are the formulas SciPy
evaluates).

References
----------
C. Loader, "Fast and accurate computation of binomial probabilities", 2000.
H.-C. Chen and Y. Asau, "On generating random variates from an empirical
distribution", AIIE Transactions 6 (1974) 163-166 (the guide table).
L. Devroye, *Non-Uniform Random Variate Generation*, 1986, section III.2 (inversion).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from scipy import special

__all__ = [
    "SMALL",
    "stirlerr",
    "bd0",
    "log_two_term_mass",
    "log_poisson_mass",
    "split_by_size",
    "tabulated",
    "tabulated_quantile",
    "search_table",
    "TabulatedQuantiles",
    "sample_by_inversion",
    "entropy_by_summation",
    "check_counts",
]

SMALL = 32.0  # below: direct log-gamma formulas, error <~ 250 eps; above: saddle point
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_LOG_2PI = math.log(2.0 * math.pi)
# Stirling series log Gamma(x+1) - Stirling = sum_j B_2j / (2j (2j-1) x^(2j-1)):
# 1/12, -1/360, 1/1260, -1/1680, 1/1188; the next term is below 2.3e-16 for x > 15.
_S0, _S1, _S2, _S3, _S4 = 1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188
_N_SERIES = 10  # bd0 series terms: |v| < 0.1 leaves v^(2*10-1) < 1e-19 of the sum


def stirlerr(x):
    """Stirling's error log Gamma(x + 1) - (x + 1/2) log x + x - log sqrt(2 pi), x > 0."""
    if isinstance(x, float):
        if x > 15.0:
            r = 1.0 / x
            r2 = r * r
            return r * (_S0 - r2 * (_S1 - r2 * (_S2 - r2 * (_S3 - r2 * _S4))))
        return math.lgamma(x + 1.0) - (x + 0.5) * math.log(x) + x - _LOG_SQRT_2PI
    x = np.asarray(x, dtype=float)
    r = 1.0 / x
    r2 = r * r
    series = r * (_S0 - r2 * (_S1 - r2 * (_S2 - r2 * (_S3 - r2 * _S4))))
    small = x <= 15.0
    if not small.any():
        return series
    xs = np.where(small, x, 1.0)
    direct = special.gammaln(xs + 1.0) - (xs + 0.5) * np.log(xs) + xs - _LOG_SQRT_2PI
    return np.where(small, direct, series)


def bd0(x, m):
    """Deviance x log(x/m) + m - x for x >= 0, m > 0, without cancellation near x = m.

    With v = (x - m)/(x + m), log(x/m) = 2 atanh(v) = 2 (v + v^3/3 + v^5/5 + ...) and
    bd0 = (x - m) v + 2 x (v^3/3 + v^5/5 + ...), every term >= 0.
    """
    if isinstance(x, float) and isinstance(m, float):
        d = x - m
        if abs(d) < 0.1 * (x + m):
            v = d / (x + m)
            v2 = v * v
            poly = 0.0
            for j in range(_N_SERIES, 0, -1):
                poly = poly * v2 + 1.0 / (2 * j + 1)
            return d * v + 2.0 * x * v * v2 * poly
        return (x * math.log(x / m) if x > 0.0 else 0.0) - d
    x, m = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(m, dtype=float))
    d = x - m
    direct = special.xlogy(x, x / m) - d
    near = np.abs(d) < 0.1 * (x + m)
    if not near.any():
        return direct
    v = d / (x + m)
    v2 = v * v
    poly = np.zeros_like(v2)
    for j in range(_N_SERIES, 0, -1):
        poly = poly * v2 + 1.0 / (2 * j + 1)
    return np.where(near, d * v + 2.0 * x * v * v2 * poly, direct)


def log_two_term_mass(a, b, p):
    """log[(a + b)! / (a! b!) p^a (1 - p)^b] for real a, b >= 0 and p in [0, 1].

    The binomial log-mass is (k, n - k, p); the negative binomial log-mass is
    log(r / (r + k)) plus (r, k, p). The rounding of N = a + b enters the two
    deviances with opposite signs and cancels to first order, so a and b may differ
    by many orders of magnitude. log(1 - p) is ``log1p(-p)``, exact for tiny p.
    """
    if isinstance(a, float) and isinstance(b, float) and isinstance(p, float):
        if a == math.inf or b == math.inf:
            return -math.inf
        if a == 0.0:
            return special.xlog1py(b, -p)
        if b == 0.0:
            return special.xlogy(a, p)
        if p == 0.0 or p == 1.0:
            return -math.inf
        n = a + b
        return (
            stirlerr(n)
            - stirlerr(a)
            - stirlerr(b)
            - bd0(a, n * p)
            - bd0(b, n * (1.0 - p))
            - 0.5 * (_LOG_2PI + math.log(a) + math.log(b) - math.log(n))
        )
    a, b, p = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, p)))
    interior = (a > 0) & (b > 0) & (p > 0) & (p < 1) & (a < np.inf) & (b < np.inf)
    # a or b zero: the mass is a single power; p at 0 or 1 against both counts positive: -inf
    boundary = np.where(a == 0, special.xlog1py(b, -p), special.xlogy(a, p))
    boundary = np.where(((a > 0) & (b > 0)) | (a == np.inf) | (b == np.inf), -np.inf, boundary)
    if not interior.any():
        return boundary
    ai, bi, pi = (np.where(interior, v, fill) for v, fill in ((a, 1.0), (b, 1.0), (p, 0.5)))
    ni = ai + bi
    inner = (
        stirlerr(ni)
        - stirlerr(ai)
        - stirlerr(bi)
        - bd0(ai, ni * pi)
        - bd0(bi, ni * (1.0 - pi))
        - 0.5 * (_LOG_2PI + np.log(ai) + np.log(bi) - np.log(ni))
    )
    return np.where(interior, inner, boundary)


def log_poisson_mass(k, lam):
    """log(lam^k e^-lam / k!) = -stirlerr(k) - bd0(k, lam) - 1/2 log(2 pi k), k >= 1; -lam at 0."""
    if isinstance(k, float) and isinstance(lam, float):
        if k == 0.0 or k == math.inf:
            return -lam if k == 0.0 else -math.inf
        return -stirlerr(k) - bd0(k, lam) - 0.5 * (_LOG_2PI + math.log(k))
    k, lam = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(lam, dtype=float))
    inside = (k > 0) & (k < np.inf)
    kk = np.where(inside, k, 1.0)
    inner = -stirlerr(kk) - bd0(kk, lam) - 0.5 * (_LOG_2PI + np.log(kk))
    return np.where(inside, inner, np.where(k == 0, -lam, -np.inf))


def split_by_size(large, direct, saddle, *args):
    """``direct(*args)`` where ``large`` is False, ``saddle(*args)`` where it is True.

    Each formula runs only on its own elements (one of them on none, the common case).
    """
    if not np.any(large):
        return direct(*args)
    if np.all(large):
        return saddle(*args)
    args = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in args))
    large = np.broadcast_to(large, args[0].shape)
    out = np.empty(args[0].shape)
    out[~large] = direct(*(v[~large] for v in args))
    out[large] = saddle(*(v[large] for v in args))
    return out


_TABULATE_MIN_SIZE = 4096


def tabulated(formula, k):
    """``formula(k)`` for integer-valued ``k``, evaluated once per integer of its range.

    A distribution with scalar parameters evaluated at many integer points (a sample,
    say) meets each integer many times: when the range k_min..k_max is small next to
    the number of points, the formula is evaluated on that range only and the points
    look their values up. The values are the same as those of ``formula(k)``.
    """
    if not isinstance(k, np.ndarray) or k.size < _TABULATE_MIN_SIZE:
        return formula(k)
    lo, hi = float(k.min()), float(k.max())
    if not (hi - lo + 1.0) * 4.0 <= k.size:
        return formula(k)
    table = np.asarray(formula(np.arange(lo, hi + 1.0)), dtype=float)
    index = k.astype(np.intp)
    if lo:
        index -= int(lo)
    return table.take(index)


_MAX_TABLE = 1 << 20


@njit(cache=True)
def _search_table(table, q, sign, offset, out):
    """out[i] = offset + the smallest j with table[j] >= sign q[i] (table.size if none).

    ``table`` is non-decreasing. A guide table (Chen & Asau 1974) maps a value to the
    first entry at or above the start of its slice of [table[0], table[-1]], so each
    search is O(1) steps on average instead of the log2(size) unpredictable branches
    of a binary search; the two scans make the answer exact whatever the rounding of
    the slice index.
    """
    size = table.size
    first, last = table[0], table[size - 1]
    scale = size / (last - first) if last > first else 0.0
    guide = np.empty(size + 1, dtype=np.int64)
    j = 0
    for g in range(size + 1):
        threshold = first + g / scale if scale > 0.0 else first
        while j < size and table[j] < threshold:
            j += 1
        guide[g] = j
    for i in range(q.size):
        v = sign * q[i]
        g = int((v - first) * scale) if v > first else 0
        j = guide[min(g, size)]
        while j > 0 and table[j - 1] >= v:
            j -= 1
        while j < size and table[j] < v:
            j += 1
        out[i] = offset + j


def search_table(table, q, offset, upper=False):
    """offset + smallest j with table[j] >= q (non-decreasing table), or, if ``upper``,
    with table[j] <= q (non-increasing table); q of any shape, float64 out."""
    table = np.ascontiguousarray(-table if upper else table, dtype=np.float64)
    q_flat = np.ascontiguousarray(q, dtype=np.float64).reshape(-1)
    out = np.empty(q_flat.size)
    _search_table(table, q_flat, -1.0 if upper else 1.0, float(offset), out)
    return out.reshape(np.shape(q))


def tabulated_quantile(dist, q, upper: bool):
    """Quantiles of a scalar-parameter distribution at many q by a search in its cdf table.

    The answer for every q lies between the quantiles k_lo and k_hi of the smallest and
    the largest q inside (0, 1), which the base class's bracketing search finds. The
    cdf (sf) is tabulated once on k_lo..k_hi, and the smallest k with F(k) >= q (with
    S(k) <= q if ``upper``) is a guided search in that table for each q: exact, and
    consistent with the cdf, since it compares the same values. q = 0 and q = 1 get
    placeholders that the caller overwrites. Returns None when there is no gain (few
    points, or a range wider than ``_MAX_TABLE``), leaving the search to the caller.
    """
    if not isinstance(q, np.ndarray) or q.size < _TABULATE_MIN_SIZE:
        return None
    q_min = float(np.min(q, where=q > 0.0, initial=1.0))
    q_max = float(np.max(q, where=q < 1.0, initial=0.0))
    if q_min > q_max:  # only 0s and 1s
        return np.zeros(q.shape)
    search = dist._search_quantile
    if upper:
        k_lo, k_hi = float(search(q_max, upper=True)), float(search(q_min, upper=True))
    else:
        k_lo, k_hi = float(search(q_min, upper=False)), float(search(q_max, upper=False))
    width = k_hi - k_lo + 1.0
    if not (width <= _MAX_TABLE and width * 4.0 <= q.size):
        return None
    k = np.arange(k_lo, k_hi + 1.0)
    table = dist._sf(k) if upper else dist._cdf(k)
    return search_table(np.asarray(table, dtype=float), q, k_lo, upper=upper)


class TabulatedQuantiles:
    """Mixin for a discrete family: fast exact quantiles for scalar parameters.

    One q: a walk of a few unit steps from the normal approximation. Many q: a guided
    search in the tabulated cdf (:func:`tabulated_quantile`). Both return the smallest
    k with F(k) >= q (S(k) <= q for ``isf``) and fall back to the base class's
    bracketing search (``_search_quantile``) for a batch of parameters, a poor start
    or a wide range.
    """

    def _ppf(self, q):
        return self._quantile(q, upper=False)

    def _isf(self, q):
        return self._quantile(q, upper=True)

    def _quantile(self, q, upper):
        out = None
        if self._scalar:
            if isinstance(q, float):
                out = _walk_quantile(self, q, upper)
            else:
                out = tabulated_quantile(self, q, upper)
        return self._search_quantile(q, upper=upper) if out is None else out


_U_MIN = 2.0**-53  # rng.random() draws multiples of 2^-53 in [0, 1)


def sample_by_inversion(dist, rng, shape):
    """Draws X = F^{-1}(U), U uniform, by a search in the tabulated cdf; or None.

    For scalar parameters and at least 4096 draws, the cdf is tabulated once on the k
    between the quantiles of 2^-53 and 1 - 2^-53 (every value ``rng.random`` can
    return maps inside; U = 0 maps to the lower end) and each draw is a search in it:
    the inversion method (Devroye 1986, section III.2), exact up to the rounding of
    the cdf. Returns None, having drawn nothing, when the range is too wide to gain.
    """
    size = math.prod(shape)
    if not dist._scalar or size < _TABULATE_MIN_SIZE:
        return None
    k_lo = float(dist._search_quantile(_U_MIN, upper=False))
    k_hi = float(dist._search_quantile(1.0 - _U_MIN, upper=False))
    width = k_hi - k_lo + 1.0
    if not (width <= _MAX_TABLE and width * 4.0 <= size):
        return None
    cdf = np.asarray(dist._cdf(np.arange(k_lo, k_hi + 1.0)), dtype=float)
    return search_table(cdf, rng.random(shape), k_lo)


_MAX_STEPS = 6


def _walk_quantile(dist, q: float, upper: bool):
    """The quantile of one q by unit steps from mean + sd z (z the normal quantile)."""
    lo, hi = dist._support()
    z = float(special.ndtri(q))
    guess = dist._mean() + math.sqrt(dist._var()) * (-z if upper else z)
    if not math.isfinite(guess):
        return None
    k = float(min(max(math.floor(guess), lo), hi))

    def reached(k):  # monotone in k: False below the answer, True from it on
        return dist._sf(k) <= q if upper else dist._cdf(k) >= q

    if reached(k):
        for _ in range(_MAX_STEPS):
            if k - 1.0 < lo or not reached(k - 1.0):
                return float(k)
            k -= 1.0
    else:
        for _ in range(_MAX_STEPS):
            k += 1.0
            if k >= hi or reached(k):
                return float(k)
    return None


_MAX_TERMS = 1 << 22


def entropy_by_summation(dist):
    """H = -sum_k f(k) log f(k) over the k holding all but 2 t of the mass, per distribution.

    The window runs from the t quantile to the 1 - t quantile with
    t = 1e-20 min(1, Var X), so that the omitted terms stay below 1e-17 H even when
    the distribution is nearly a point mass (H ~ Var X |log Var X| then). A batch is
    flattened to rows whose terms are summed on a common grid of integers, the
    padding of shorter rows masked out.
    """
    shape = dist.batch_shape
    tail = np.maximum(1e-20 * np.minimum(1.0, dist._broadcast(dist._var())), 5e-324)
    lo = np.ravel(np.broadcast_to(dist.ppf(tail), shape))
    hi = np.ravel(np.broadcast_to(dist.isf(tail), shape))[:, None]
    width = int(np.max(hi[:, 0] - lo)) + 1
    if width * lo.size > _MAX_TERMS:
        raise ValueError(
            f"the entropy of {dist!r} has no closed form and summing its mass would "
            f"need {width * lo.size:.3g} terms (more than {_MAX_TERMS})"
        )
    grid = lo[:, None] + np.arange(width, dtype=float)
    rows = type(dist)(
        **{name: np.broadcast_to(v, shape).reshape(-1, 1) for name, v in dist.parameters.items()}
    )
    with np.errstate(all="ignore"):
        log_f = rows._logpmf(np.minimum(grid, hi))
        terms = np.where((grid <= hi) & (log_f > -np.inf), -np.exp(log_f) * log_f, 0.0)
    return terms.sum(axis=1).reshape(shape) + 0.0  # + 0.0 turns -0.0 into 0.0


def check_counts(data, family: str, upper=None) -> None:
    """Raise ``ValueError`` unless every observation is an integer in {0, ..., upper}."""
    bad = (data < 0) | (data != np.floor(data))
    if upper is not None:
        bad |= data > upper
    if bad.any():
        support = "{0, 1, 2, ...}" if upper is None else f"{{0, ..., {upper:g}}}"
        raise ValueError(
            f"{family} data must be integers in {support}, got {float(data[bad][0])!r}"
        )
