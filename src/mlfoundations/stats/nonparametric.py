"""Tests that assume no distribution: the two-sample permutation test and the Mann-Whitney U test.

Both test the null hypothesis that samples ``a`` and ``b`` come from one and the same
distribution. Under it every assignment of the pooled ``n = n_a + n_b`` values to
groups of sizes ``n_a`` and ``n_b`` is equally likely, so the null distribution of
any statistic is its distribution over those ``C(n, n_a)`` assignments:

- :func:`permutation_test` computes it for any statistic, exactly when there are
  few assignments, otherwise from random permutations;
- :func:`mann_whitney_u` uses the statistic ``U`` (the number of pairs with
  ``a_i > b_j``), whose null distribution depends only on ``n_a`` and ``n_b``: exact
  for small samples, normal (with a tie correction) for large ones.

Inputs are 1-D samples; NaN or inf raise ``ValueError`` (drop missing values first).
Results are :class:`~mlfoundations.stats._results.TestResult` subclasses that unpack
as ``statistic, pvalue`` and print as a short report.

References
----------
Good, P. (2005). *Permutation, Parametric, and Bootstrap Tests of Hypotheses*, 3rd
ed., Springer.
Phipson, B. and Smyth, G. K. (2010). Permutation p-values should never be zero.
*Statistical Applications in Genetics and Molecular Biology* 9(1), article 39.
Andrews, G. E. (1976). *The Theory of Partitions*, Addison-Wesley, chapter 3.
Mann, H. B. and Whitney, D. R. (1947). On a test of whether one of two random
variables is stochastically larger than the other. *Annals of Mathematical
Statistics* 18(1), 50-60.
Lehmann, E. L. (2006). *Nonparametrics: Statistical Methods Based on Ranks*, revised
ed., Springer, chapter 1.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from .._validation import check_bool, check_finite, check_int, check_rng
from ..probability.normal import Normal
from ._resampling import BATCH_ELEMENTS, statistic_of_rows, takes_axis
from ._results import ALTERNATIVES, TestResult
from ._tests_kernels import as_sample

__all__ = ["permutation_test", "mann_whitney_u", "PermutationTestResult", "MannWhitneyResult"]


def _check_alternative(alternative) -> str:
    if not isinstance(alternative, str) or alternative not in ALTERNATIVES:
        raise ValueError(
            f"alternative must be 'two-sided', 'less' or 'greater', got {alternative!r}"
        )
    return alternative


def _finite_sample(x, name: str) -> np.ndarray:
    return check_finite(as_sample(x, name), name)


# ------------------------------------------------------------------ permutation test


def _mean_difference(x, y, axis=-1):
    """mean(x) - mean(y) along ``axis``: the default permutation statistic."""
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def _all_assignments(n: int, n_a: int, rows: int):
    """Every ``n_a``-subset of ``range(n)`` as a boolean mask, ``rows`` masks at a time."""
    combos = itertools.combinations(range(n), n_a)
    while True:
        chunk = np.fromiter(itertools.chain.from_iterable(itertools.islice(combos, rows)),
                            dtype=np.intp)
        if chunk.size == 0:
            return
        chunk = chunk.reshape(-1, n_a)
        mask = np.zeros((chunk.shape[0], n), dtype=bool)
        np.put_along_axis(mask, chunk, True, axis=1)
        yield mask


def _permutation_null(pooled, n_a, statistic, vectorized, n_perm, exact, rng):
    """The statistic over all (``exact``) or ``n_perm`` random assignments of ``pooled``."""
    n = pooled.shape[0]
    rows = max(1, BATCH_ELEMENTS // n)
    null = []
    if exact:
        for mask in _all_assignments(n, n_a, rows):
            k = mask.shape[0]
            tiled = np.broadcast_to(pooled, (k, n))
            # boolean indexing keeps each row's values in their original order
            x = tiled[mask].reshape(k, n_a)
            y = tiled[~mask].reshape(k, n - n_a)
            null.append(statistic_of_rows(statistic, vectorized, (x, y), "permutations"))
    else:
        for start in range(0, n_perm, rows):
            k = min(rows, n_perm - start)
            shuffled = rng.permuted(np.broadcast_to(pooled, (k, n)), axis=1)
            null.append(statistic_of_rows(statistic, vectorized,
                                          (shuffled[:, :n_a], shuffled[:, n_a:]), "permutations"))
    return np.concatenate(null)


@dataclass(frozen=True, kw_only=True)
class PermutationTestResult(TestResult):
    """A permutation test; adds the null distribution it was referred to.

    Attributes
    ----------
    null_distribution : ndarray, shape (n_resamples,)
        The statistic over every assignment (exact test) or over the random
        permutations (Monte Carlo test).
    n_resamples : int
        Its length.
    exact : bool
        Whether every distinct assignment was enumerated.
    """

    null_distribution: np.ndarray = field(default=None, compare=False, repr=False)
    n_resamples: int = 0
    exact: bool = False

    def _report_lines(self) -> list[str]:
        lines = super()._report_lines()
        how = (
            f"exact: all {self.n_resamples} distinct assignments"
            if self.exact
            else f"Monte Carlo: {self.n_resamples} random permutations"
        )
        lines.insert(1, f"  ({how})")
        return lines


def permutation_test(a, b, statistic=None, *, n_resamples=9999, alternative="two-sided", rng=None):
    r"""Two-sample permutation test of "a and b come from the same distribution".

    Under the null hypothesis the labels are exchangeable: each of the
    ``M = C(n_a + n_b, n_a)`` ways to split the pooled sample into groups of the
    original sizes is equally likely. The p-value is the share of splits whose
    statistic ``T*`` is at least as extreme as the observed ``T``:

    - exact, when ``M <= n_resamples``: ``p = #{T* >= T} / M`` over all splits
      (for "greater"; ``<=`` for "less");
    - Monte Carlo otherwise, from ``B = n_resamples`` random permutations:
      ``p = (#{T* >= T} + 1) / (B + 1)``, which counts the observed split among
      them, so ``p`` is never 0 and the test keeps its level (Phipson and Smyth
      2010);
    - two-sided: ``p = min(1, 2 min(p_less, p_greater))``.

    Parameters
    ----------
    a, b : (n_a,), (n_b,) array_like
        The two samples, 1-D, finite, non-empty.
    statistic : callable, optional
        ``statistic(x, y)`` returning a number; default ``mean(x) - mean(y)``. If
        it takes an ``axis`` keyword it is called vectorised, on arrays of shape
        (k, n_a) and (k, n_b) with ``axis=-1``, and must return shape (k,) (as
        for ``scipy.stats.permutation_test(..., vectorized=True)``); otherwise it
        is called once per permutation.
    n_resamples : int, default 9999
        Number of random permutations; also the largest number of splits that are
        enumerated exactly.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        Whether large ("greater"), small ("less") or either extreme value of the
        statistic count against the null hypothesis.
    rng : None, int or numpy.random.Generator, optional
        Source of the random permutations (unused by an exact test).

    Returns
    -------
    PermutationTestResult
        Unpacks as ``statistic, pvalue``; also ``null_distribution``,
        ``n_resamples`` (the number of splits used) and ``exact``. ``df`` is None
        and there is no confidence interval.

    Raises
    ------
    ValueError
        Empty, non 1-D, NaN or inf input; ``n_resamples < 1``; a statistic that
        returns NaN or inf, or the wrong shape.
    TypeError
        ``statistic`` is not callable.

    Notes
    -----
    Null values within ``100 eps |T|`` of ``T`` count as ties with it, so that
    splits equal to the observed one in exact arithmetic are not lost to rounding.
    A statistic constant over all splits (constant data) gives ``p = 1``. Equals
    ``scipy.stats.permutation_test((a, b), statistic, permutation_type=
    "independent")`` exactly in the exact case, within Monte Carlo error otherwise
    (the two draw different random permutations).

    References
    ----------
    Good (2005); Phipson and Smyth (2010).

    Examples
    --------
    >>> from mlfoundations.stats.nonparametric import permutation_test
    >>> res = permutation_test([4.1, 5.3, 6.0, 5.8], [3.2, 3.9, 4.4], rng=0)
    >>> res.exact, res.n_resamples, round(res.pvalue, 4)   # 2 of 35 splits as large, doubled
    (True, 35, 0.1143)
    >>> print(res)
    permutation test (two-sided)
      (exact: all 35 distinct assignments)
      mean(a) - mean(b) = 1.46667, p-value = 0.1143
    """
    a = _finite_sample(a, "a")
    b = _finite_sample(b, "b")
    if statistic is None:
        statistic, name = _mean_difference, "mean(a) - mean(b)"
    elif callable(statistic):
        name = getattr(statistic, "__name__", "statistic")
    else:
        raise TypeError(f"statistic must be callable, got {type(statistic).__name__}")
    n_resamples = check_int(n_resamples, "n_resamples", minimum=1)
    alternative = _check_alternative(alternative)
    generator = check_rng(rng)
    vectorized = takes_axis(statistic)

    n_a, n_b = a.shape[0], b.shape[0]
    observed = float(
        statistic_of_rows(statistic, vectorized, (a[None, :], b[None, :]), "observed samples")[0]
    )
    n_splits = math.comb(n_a + n_b, n_a)
    exact = n_splits <= n_resamples
    n_perm = n_splits if exact else n_resamples
    null = _permutation_null(np.concatenate([a, b]), n_a, statistic, vectorized, n_perm, exact,
                             generator)

    adjustment = 0 if exact else 1
    tie = 100.0 * np.finfo(np.float64).eps * abs(observed)
    p_less = (np.count_nonzero(null <= observed + tie) + adjustment) / (n_perm + adjustment)
    p_greater = (np.count_nonzero(null >= observed - tie) + adjustment) / (n_perm + adjustment)
    pvalue = {"less": p_less, "greater": p_greater}.get(alternative, 2.0 * min(p_less, p_greater))
    return PermutationTestResult(
        test="permutation test",
        statistic=observed,
        pvalue=min(float(pvalue), 1.0),
        alternative=alternative,
        statistic_name=name,
        null_distribution=null,
        n_resamples=n_perm,
        exact=exact,
    )


# ------------------------------------------------------------------ Mann-Whitney U


def _average_ranks(x: np.ndarray):
    """Ranks 1..n with ties given their average rank, and the sizes of the tie groups."""
    order = np.argsort(x, kind="stable")
    sorted_x = x[order]
    # starts of runs of equal values, and the run lengths t_k
    starts = np.flatnonzero(np.r_[True, sorted_x[1:] != sorted_x[:-1]])
    counts = np.diff(np.r_[starts, x.shape[0]])
    # a run covering sorted positions s+1 .. s+t has average rank s + (t + 1) / 2
    run_ranks = starts + 0.5 * (counts + 1.0)
    ranks = np.empty(x.shape[0])
    ranks[order] = np.repeat(run_ranks, counts)
    return ranks, counts


# Largest table (entries) the exact recurrence may build: 128 MB of float64.
_MAX_TABLE = 1 << 24


def _gaussian_binomial(m: int, n: int) -> np.ndarray:
    """Coefficients of the Gaussian binomial [m + n choose m]_q, as float64.

    The coefficient of q^u counts the orderings of m x's and n y's with U = u, and
    ``[m + n choose m]_q = prod_{i=1}^{m} (1 - q^{n+i}) / (1 - q^i)`` (Andrews 1976,
    theorem 3.1). Dividing by ``1 - q^i`` is a running sum along each residue class
    mod i; multiplying by ``1 - q^{n+i}`` subtracts a shifted copy, which only touches
    degrees above n. In the lower half, u <= m n / 2, the cancellation stays within a
    few ulps for m <= 8 (checked against exact integers); the upper half, where
    small counts are differences of large ones, is taken from the symmetry
    c_u = c_{mn-u} instead.
    """
    top = m * n
    c = np.zeros(top + 1)
    c[0] = 1.0
    for i in range(1, m + 1):
        padded = np.concatenate([c, np.zeros(-(top + 1) % i)]).reshape(-1, i)
        c = np.cumsum(padded, axis=0).ravel()[: top + 1]
    for i in range(1, m + 1):
        shift = n + i
        c[shift:] -= c[:-shift].copy()
    half = top // 2
    c[top - half:] = c[half::-1]
    return c


@njit(cache=True)
def _u_recurrence(m, n):
    """P(U = u), u = 0..m n, by ``f_{m,n}(u) = m/(m+n) f_{m-1,n}(u - n) + n/(m+n) f_{m,n-1}(u)``.

    The largest of the m + n values belongs to the first sample with probability
    m / (m + n), and then exceeds all n values of the second. Every term is
    positive, so the probabilities keep full relative accuracy in the tails.
    """
    f = np.zeros((m + 1, m * n + 1))
    f[:, 0] = 1.0  # with no second sample, U = 0
    for j in range(1, n + 1):
        for i in range(1, m + 1):
            w_first = i / (i + j)
            w_second = j / (i + j)
            # f[i, u] still holds f_{i, j-1}(u) when read; row i - 1 already holds f_{i-1, j}
            for u in range(i * j + 1):
                value = w_second * f[i, u]
                if u >= j:
                    value += w_first * f[i - 1, u - j]
                f[i, u] = value
    return f[m]


def u_distribution(m: int, n: int) -> np.ndarray:
    """Null distribution of U for samples of sizes m and n without ties: P(U = u), u = 0..m n.

    With at most 8 observations in the smaller sample (the sizes SciPy's "auto"
    sends to the exact method, whatever the other size), the counts are the
    coefficients of a Gaussian binomial, O(m^2 n) work; otherwise the all-positive
    recurrence of ``_u_recurrence``, O(m^2 n^2) work. The distribution is symmetric
    and the same for (m, n) and (n, m).
    """
    small, large = min(m, n), max(m, n)
    if small <= 8:
        return _gaussian_binomial(small, large) / float(math.comb(small + large, small))
    if (small + 1) * (small * large + 1) > _MAX_TABLE:
        raise ValueError(
            f"method='exact' with sample sizes {m} and {n} needs a table of "
            f"{(small + 1) * (small * large + 1)} probabilities (limit {_MAX_TABLE}); "
            "use method='asymptotic', accurate when both samples exceed 8 observations"
        )
    return _u_recurrence(small, large)


def _exact_sf(u: float, m: int, n: int) -> float:
    """P(U >= u) under the null distribution, summing the smaller tail."""
    pmf = u_distribution(m, n)
    # a half-integer u (ties under method="exact") is rounded down, as SciPy does: the
    # larger, conservative p-value
    k = math.floor(u)
    if 2 * k > m * n:
        return float(np.sum(pmf[k:]))
    return 1.0 - float(np.sum(pmf[:k]))


@dataclass(frozen=True, kw_only=True)
class MannWhitneyResult(TestResult):
    """A Mann-Whitney U test; adds how its p-value was computed.

    Attributes
    ----------
    method : {"exact", "asymptotic"}
        Exact null distribution of U, or the normal approximation.
    """

    method: str = "asymptotic"

    def _report_lines(self) -> list[str]:
        lines = super()._report_lines()
        lines.insert(1, f"  ({self.method} p-value)")
        return lines


def mann_whitney_u(a, b, *, alternative="two-sided", use_continuity=True, method="auto"):
    r"""Mann-Whitney U (Wilcoxon rank-sum) test of "a and b come from the same distribution".

    Rank the pooled sample (ties get their average rank); with ``R_a`` the sum of
    the ranks of ``a``,

    .. math:: U_a = R_a - \frac{n_a (n_a + 1)}{2}
              = \#\{(i, j): a_i > b_j\} + \tfrac12 \#\{(i, j): a_i = b_j\}

    and ``U_b = n_a n_b - U_a``. The statistic reported is ``U_a``. "greater"
    (``a`` tends to be larger) rejects for large ``U_a``, "less" for large ``U_b``,
    "two-sided" doubles the tail of ``max(U_a, U_b)``.

    - exact: ``p = P(U >= u)`` from the null distribution of U without ties
      (:func:`u_distribution`);
    - asymptotic: U is approximately normal with mean ``n_a n_b / 2`` and
      variance ``n_a n_b / 12 ((n + 1) - sum_k (t_k^3 - t_k) / (n (n - 1)))``,
      ``t_k`` the sizes of the tie groups, ``n = n_a + n_b``; ``z = (u - n_a n_b/2
      - 1/2) / sd`` with the continuity correction, ``p = 1 - Phi(z)``.

    Parameters
    ----------
    a, b : (n_a,), (n_b,) array_like
        The two samples, 1-D, finite, non-empty.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        H1: the distribution of ``a`` is shifted (stochastically) away from,
        below, or above that of ``b``.
    use_continuity : bool, default True
        Subtract 1/2 from ``u - mean`` in the normal approximation (ignored by the
        exact method).
    method : {"auto", "exact", "asymptotic"}, default "auto"
        "auto" is exact when there are no ties and one sample has at most 8
        observations, asymptotic otherwise (SciPy's rule).

    Returns
    -------
    MannWhitneyResult
        Unpacks as ``U_a, p``; also ``method`` and ``effect_size``, the
        rank-biserial correlation ``r = 2 U_a / (n_a n_b) - 1`` in [-1, 1]
        (``(1 + r) / 2`` is the probability of superiority P(A > B) + P(A = B)/2).

    Raises
    ------
    ValueError
        Empty, non 1-D, NaN or inf input; an unknown ``alternative`` or ``method``;
        ``method="exact"`` with both samples so large (beyond about 250 each) that
        the exact distribution would take more than 2^24 numbers.

    Warns
    -----
    RuntimeWarning
        ``method="exact"`` with ties (the exact distribution assumes none; the
        p-value is then approximate), and the asymptotic method when every value is
        tied (U equals its mean and has variance 0; ``p = 1`` is returned).

    Notes
    -----
    Equals ``scipy.stats.mannwhitneyu(a, b, use_continuity, alternative,
    method=method)``. The exact probabilities (:func:`u_distribution`) keep full
    relative accuracy in the tails; the p-value sums the smaller tail.

    References
    ----------
    Mann and Whitney (1947); Lehmann (2006), chapter 1; Andrews (1976), chapter 3.

    Examples
    --------
    >>> from mlfoundations.stats.nonparametric import mann_whitney_u
    >>> u, p = mann_whitney_u([1.1, 2.3, 3.8, 4.2], [0.4, 0.9, 1.5])
    >>> u, round(p, 6)   # exact: 2 of the 35 orderings are as extreme on either side
    (11.0, 0.114286)
    """
    a = _finite_sample(a, "a")
    b = _finite_sample(b, "b")
    alternative = _check_alternative(alternative)
    use_continuity = check_bool(use_continuity, "use_continuity")
    if not isinstance(method, str) or method not in ("auto", "exact", "asymptotic"):
        raise ValueError(f"method must be 'auto', 'exact' or 'asymptotic', got {method!r}")
    n_a, n_b = a.shape[0], b.shape[0]
    n = n_a + n_b
    ranks, ties = _average_ranks(np.concatenate([a, b]))
    u_a = float(np.sum(ranks[:n_a])) - n_a * (n_a + 1) / 2.0
    u_b = n_a * n_b - u_a
    has_ties = bool(np.any(ties > 1))
    if method == "auto":
        method = "exact" if (min(n_a, n_b) <= 8 and not has_ties) else "asymptotic"
    u, factor = {"greater": (u_a, 1.0), "less": (u_b, 1.0)}.get(alternative, (max(u_a, u_b), 2.0))

    if method == "exact":
        if has_ties:
            warnings.warn(
                "the exact distribution of U assumes no ties; with ties the exact "
                "p-value is approximate (use method='asymptotic' for the tie-corrected one)",
                RuntimeWarning,
                stacklevel=2,
            )
        pvalue = _exact_sf(u, n_a, n_b)
    else:
        tie_term = float(np.sum(ties**3.0 - ties)) / (n * (n - 1.0))
        sd = math.sqrt(n_a * n_b / 12.0 * ((n + 1.0) - tie_term))
        if sd > 0.0:
            z = (u - n_a * n_b / 2.0 - (0.5 if use_continuity else 0.0)) / sd
            pvalue = float(Normal().sf(z))
        else:
            warnings.warn(
                "every value is tied: U equals its null mean and has variance 0, so p = 1",
                RuntimeWarning,
                stacklevel=2,
            )
            pvalue = 1.0
    return MannWhitneyResult(
        test="Mann-Whitney U test",
        statistic=u_a,
        pvalue=min(factor * pvalue, 1.0),
        alternative=alternative,
        statistic_name="U",
        effect_size=2.0 * u_a / (n_a * n_b) - 1.0,
        effect_size_name="rank-biserial correlation",
        method=method,
    )
