"""Permutation test and Mann-Whitney U against scipy.stats; exact distributions; degenerate input.

Tolerances: 1e-12 relative against scipy.stats on the same data. An exact permutation
test enumerates the same splits as scipy (the multiset of null values is the same to
rounding, and both count ties within 100 eps |T|), so p-values agree exactly. For a
Monte Carlo test with the same seed the two draw the same permutations (numpy's
``Generator.permuted`` shuffles each row with the stream ``Generator.permutation``
uses), so they agree exactly too; with different seeds they agree within Monte Carlo
error. The exact U distribution is checked against brute-force enumeration.
"""

import itertools
import math
import warnings
from dataclasses import FrozenInstanceError

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from mlfoundations.stats.nonparametric import (
    MannWhitneyResult,
    PermutationTestResult,
    mann_whitney_u,
    permutation_test,
    u_distribution,
)
from mlfoundations.stats.nonparametric import _gaussian_binomial, _u_recurrence

RTOL = 1e-12
ALTERNATIVES = ("two-sided", "less", "greater")


def scipy_mean_difference(x, y, axis):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def scipy_permutation(a, b, statistic=scipy_mean_difference, **kw):
    return stats.permutation_test((a, b), statistic, permutation_type="independent",
                                  vectorized=True, **kw)


# ----------------------------------------------------------------- permutation test

PERMUTATION_CASES = {  # name: (a, b)
    "normal 6 vs 5": (np.random.default_rng(0).normal(size=6),
                      np.random.default_rng(1).normal(0.8, 1.0, 5)),
    "two vs many": (np.array([3.0, -0.5]), np.random.default_rng(2).normal(size=9)),
    "integer ties": (np.array([1.0, 2, 2, 3, 3, 3]), np.array([2.0, 3, 4, 4, 5])),
    "separated": (np.arange(7.0) + 100.0, np.arange(6.0)),
    "offset 1e8": (1e8 + np.random.default_rng(3).normal(size=5),
                   1e8 + np.random.default_rng(4).normal(size=5)),
}


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("case", PERMUTATION_CASES, ids=str)
def test_exact_permutation_test_equals_scipy(case, alternative):
    a, b = PERMUTATION_CASES[case]
    ours = permutation_test(a, b, alternative=alternative)
    ref = scipy_permutation(a, b, alternative=alternative)
    assert ours.exact and ours.n_resamples == math.comb(a.size + b.size, a.size)
    np.testing.assert_allclose(ours.statistic, ref.statistic, rtol=RTOL)
    np.testing.assert_allclose(ours.pvalue, ref.pvalue, rtol=RTOL)
    np.testing.assert_allclose(np.sort(ours.null_distribution), np.sort(ref.null_distribution),
                               rtol=RTOL, atol=1e-12 * np.abs(ref.null_distribution).max())


def test_exact_p_value_by_hand():
    # splits of {1, 2, 3, 4} into 2 + 2: a = {3, 4} has the largest mean difference (2);
    # one split of six is as large, one as small
    res = permutation_test([3.0, 4.0], [1.0, 2.0])
    assert res.exact and res.n_resamples == 6 and res.statistic == 2.0
    assert res.pvalue == pytest.approx(2 / 6, rel=1e-15)
    assert permutation_test([3.0, 4.0], [1.0, 2.0], alternative="greater").pvalue == pytest.approx(1 / 6)
    assert permutation_test([3.0, 4.0], [1.0, 2.0], alternative="less").pvalue == 1.0


def test_single_observation_in_a():
    # (scipy refuses a sample of 1.) With a = [v] the statistic v - mean(rest) grows with
    # v, so p is the share of the 5 values >= 3 (greater) or <= 3 (less)
    a, b = [3.0], [1.0, 2.0, 4.0, 5.0]
    assert permutation_test(a, b, alternative="greater").pvalue == pytest.approx(3 / 5, rel=1e-15)
    assert permutation_test(a, b, alternative="less").pvalue == pytest.approx(3 / 5, rel=1e-15)
    assert permutation_test(a, b).pvalue == 1.0  # min(1, 2 * 3/5)


@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_monte_carlo_equals_scipy_with_the_same_seed(alternative):
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=30), rng.normal(0.4, 1.0, 25)
    ours = permutation_test(a, b, n_resamples=2000, alternative=alternative, rng=11)
    ref = scipy_permutation(a, b, n_resamples=2000, alternative=alternative, rng=11)
    assert not ours.exact and ours.n_resamples == 2000
    np.testing.assert_allclose(ours.null_distribution, ref.null_distribution, rtol=0, atol=1e-14)
    np.testing.assert_allclose(ours.pvalue, ref.pvalue, rtol=RTOL)


def test_monte_carlo_agrees_with_scipy_within_monte_carlo_error():
    rng = np.random.default_rng(6)
    a, b = rng.normal(size=40), rng.normal(0.45, 1.0, 40)
    ours = permutation_test(a, b, rng=1)
    ref = scipy_permutation(a, b, rng=2)
    # each p has standard error sqrt(p (1 - p) / B); the difference of two, 4 sigma
    se = math.sqrt(2 * ref.pvalue * (1 - ref.pvalue) / 9999)
    assert 0.01 < ref.pvalue < 0.5
    assert abs(ours.pvalue - ref.pvalue) < 4 * se


def test_monte_carlo_p_value_is_never_zero():
    # completely separated samples: no random split is as extreme, p = 1/(B + 1)
    res = permutation_test(np.arange(20.0) + 100, np.arange(20.0), n_resamples=99, rng=0)
    assert res.pvalue == pytest.approx(2 / 100) and not res.exact
    res = permutation_test(np.arange(20.0) + 100, np.arange(20.0), n_resamples=99, rng=0,
                           alternative="greater")
    assert res.pvalue == pytest.approx(1 / 100)


def test_exact_when_the_number_of_splits_equals_n_resamples():
    a, b = np.arange(4.0), np.arange(4.0) + 0.5  # C(8, 4) = 70 splits
    assert permutation_test(a, b, n_resamples=70).exact
    assert not permutation_test(a, b, n_resamples=69, rng=0).exact


def test_statistic_with_and_without_axis_agree():
    rng = np.random.default_rng(8)
    a, b = rng.normal(size=7), rng.normal(size=6)

    def median_diff_vectorized(x, y, axis):
        return np.median(x, axis=axis) - np.median(y, axis=axis)

    def median_diff(x, y):
        return np.median(x) - np.median(y)

    for kw in ({}, {"n_resamples": 300, "rng": 3}):
        vec = permutation_test(a, b, median_diff_vectorized, **kw)
        loop = permutation_test(a, b, median_diff, **kw)
        np.testing.assert_array_equal(vec.null_distribution, loop.null_distribution)
        assert vec.pvalue == loop.pvalue
    ref = scipy_permutation(a, b, median_diff_vectorized)
    np.testing.assert_allclose(permutation_test(a, b, median_diff).pvalue, ref.pvalue, rtol=RTOL)
    assert loop.statistic_name == "median_diff"


def test_constant_data_gives_p_equal_to_one():
    res = permutation_test([2.0, 2.0, 2.0], [2.0, 2.0])
    assert res.statistic == 0.0 and res.pvalue == 1.0


def test_permutation_result_contract():
    res = permutation_test([4.1, 5.3, 6.0, 5.8], [3.2, 3.9, 4.4])
    t, p = res
    assert (t, p) == (res.statistic, res.pvalue) and res[1] == p and len(res) == 2
    assert isinstance(res, PermutationTestResult) and res.df is None
    with pytest.raises(FrozenInstanceError):
        res.pvalue = 0.5
    with pytest.raises(ValueError, match="the permutation test has no confidence interval"):
        res.confidence_interval()
    assert str(res).splitlines() == [
        "permutation test (two-sided)",
        "  (exact: all 35 distinct assignments)",
        "  mean(a) - mean(b) = 1.46667, p-value = 0.1143",
    ]
    mc = permutation_test(np.arange(10.0), np.arange(10.0) + 0.5, n_resamples=999, rng=0)
    assert "(Monte Carlo: 999 random permutations)" in str(mc)


def test_permutation_p_values_are_calibrated_under_the_null():
    # exact test on 5 + 5 normal observations: P(p <= 0.05) <= 0.05, and close to it
    rng = np.random.default_rng(9)
    pvalues = [permutation_test(rng.normal(size=5), rng.normal(size=5)).pvalue for _ in range(600)]
    rate = np.mean(np.array(pvalues) <= 0.05)
    assert abs(rate - 0.05) < 0.03  # 600 draws: standard error 0.009


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(a=[], b=[1.0]), ValueError, r"a is empty"),
        (dict(a=[1.0], b=[[1.0, 2.0]]), ValueError, r"b must be 1-D, got an array of shape \(1, 2\)"),
        (dict(a=[1.0, np.nan], b=[1.0]), ValueError, r"a contains NaN"),
        (dict(a=[1.0], b=[np.inf, 1.0]), ValueError, r"b contains inf"),
        (dict(a=[1.0], b=[2.0], statistic="mean"), TypeError, r"statistic must be callable, got str"),
        (dict(a=[1.0], b=[2.0], n_resamples=0), ValueError, r"n_resamples must be >= 1, got 0"),
        (dict(a=[1.0], b=[2.0], n_resamples=9.5), TypeError, r"n_resamples must be an integer"),
        (dict(a=[1.0], b=[2.0], alternative="two_sided"), ValueError,
         r"alternative must be 'two-sided', 'less' or 'greater', got 'two_sided'"),
        (dict(a=[1.0], b=[2.0], rng=np.random.RandomState(0)), TypeError, r"RandomState is not supported"),
        (dict(a=[1.0, 2.0], b=[2.0], statistic=lambda x, y: np.nan), ValueError,
         r"statistic returned NaN or inf on 1 of the 1 observed samples"),
        (dict(a=[1.0, 2.0], b=[2.0], statistic=lambda x, y: 1.0 / (np.min(x) - 2.0)), ValueError,
         r"statistic returned NaN or inf on 1 of the 3 permutations"),
        (dict(a=[1.0, 2.0], b=[2.0], statistic=lambda x, y, axis: np.zeros(2)), ValueError,
         r"statistic must return one number per sample; on the observed samples \(1 of them"),
    ],
)
def test_permutation_errors(kwargs, error, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the 1 / 0 statistic above
        with pytest.raises(error, match=match):
            permutation_test(**kwargs)


# ----------------------------------------------------------------- Mann-Whitney U


def brute_force_u_pmf(m, n):
    """P(U = u) by listing every placement of the m first-sample values among m + n."""
    counts = np.zeros(m * n + 1)
    for positions in itertools.combinations(range(m + n), m):
        # U = sum over first-sample values of the number of second-sample values below
        counts[sum(p - i for i, p in enumerate(positions))] += 1
    return counts / counts.sum()


# sizes up to 8 in the smaller sample use the Gaussian binomial, larger the recurrence
@pytest.mark.parametrize("m, n", [(1, 1), (1, 5), (3, 4), (4, 3), (5, 5), (2, 9), (6, 7), (9, 9), (10, 9)])
def test_u_distribution_equals_enumeration(m, n):
    np.testing.assert_allclose(u_distribution(m, n), brute_force_u_pmf(m, n), rtol=1e-14)


@pytest.mark.parametrize("m, n", [(1, 40), (5, 200), (8, 8), (8, 1500)])
def test_both_exact_algorithms_agree(m, n):
    # product formula (cancels above degree n) against the all-positive recurrence
    total = float(math.comb(m + n, m))
    np.testing.assert_allclose(_gaussian_binomial(m, n) / total, _u_recurrence(m, n), rtol=1e-13)


def test_exact_method_refuses_a_huge_table_and_auto_stays_fast():
    rng = np.random.default_rng(13)
    with pytest.raises(ValueError, match=r"method='exact' with sample sizes 300 and 300 needs a table"):
        mann_whitney_u(rng.normal(size=300), rng.normal(size=300), method="exact")
    # auto is exact for 8 vs 20000 (O(m^2 n) work); all of a above all of b
    res = mann_whitney_u(np.arange(8.0) + 1e6, np.arange(20_000.0), alternative="greater")
    assert res.method == "exact"
    assert res.pvalue == pytest.approx(1 / math.comb(20_008, 8), rel=1e-12)


@given(st.integers(1, 12), st.integers(1, 40))
def test_u_distribution_is_a_symmetric_distribution(m, n):
    pmf = u_distribution(m, n)
    assert pmf.shape == (m * n + 1,) and np.all(pmf > 0)
    assert np.sum(pmf) == pytest.approx(1.0, rel=1e-13)
    np.testing.assert_allclose(pmf, pmf[::-1], rtol=1e-12)
    # the extreme value U = 0 needs every second-sample value above: 1 / C(m + n, m)
    assert pmf[0] == pytest.approx(1 / math.comb(m + n, m), rel=1e-13)


def mwu_samples():
    rng = np.random.default_rng(10)
    yield "exact 4 vs 3", [1.1, 2.3, 3.8, 4.2], [0.4, 0.9, 1.5], {}
    yield "exact 8 vs 8", rng.normal(size=8), rng.normal(0.7, 1.0, 8), {}
    yield "exact 1 vs 1", [1.0], [2.0], {}
    yield "exact 5 vs 300", rng.normal(size=5), rng.normal(0.5, 1.0, 300), {}
    yield "exact separated 8 vs 8", np.arange(8.0) + 10, np.arange(8.0), {}
    yield "asymptotic 9 vs 9", rng.normal(size=9), rng.normal(size=9), {}
    yield "asymptotic with ties", rng.integers(0, 5, 20).astype(float), rng.integers(0, 6, 15).astype(float), {}
    yield "ties, small", [1.0, 2.0, 2.0], [2.0, 3.0], {}
    yield "asymptotic large", rng.normal(size=400), rng.normal(0.1, 1.0, 350), {}
    yield "forced exact 20 vs 30", rng.normal(size=20), rng.normal(0.3, 1.0, 30), {"method": "exact"}
    yield "forced asymptotic 4 vs 5", rng.normal(size=4), rng.normal(size=5), {"method": "asymptotic"}
    yield "no continuity", rng.normal(size=15), rng.normal(size=12), {"use_continuity": False}
    yield "far tail", rng.normal(size=60), rng.normal(3.0, 1.0, 60), {}


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("case", list(mwu_samples()), ids=lambda c: c[0])
def test_mann_whitney_equals_scipy(case, alternative):
    _, a, b, kw = case
    ours = mann_whitney_u(a, b, alternative=alternative, **kw)
    ref = stats.mannwhitneyu(a, b, alternative=alternative, **kw)
    assert ours.statistic == ref.statistic
    assert ours.pvalue == pytest.approx(float(ref.pvalue), rel=RTOL, abs=0)


def test_auto_method_follows_scipy_rule():
    rng = np.random.default_rng(11)
    assert mann_whitney_u(rng.normal(size=8), rng.normal(size=100)).method == "exact"
    assert mann_whitney_u(rng.normal(size=9), rng.normal(size=9)).method == "asymptotic"
    assert mann_whitney_u([1.0, 2.0, 2.0], [3.0]).method == "asymptotic"  # ties


def test_exact_tail_keeps_relative_accuracy():
    # every a above every b: p = 2 / C(16, 8) exactly
    res = mann_whitney_u(np.arange(8.0) + 10, np.arange(8.0))
    assert res.statistic == 64.0 and res.method == "exact"
    assert res.pvalue == pytest.approx(2 / math.comb(16, 8), rel=1e-14)
    assert res.effect_size == 1.0
    # 8 vs 300, all separated: 1 / C(308, 8) ~ 1e-15, far below 1 - (1 - tail) rounding
    res = mann_whitney_u(np.arange(8.0) + 1000, np.arange(300.0), alternative="greater")
    assert res.pvalue == pytest.approx(1 / math.comb(308, 8), rel=1e-12)


def test_effect_size_is_the_rank_biserial_correlation():
    a, b = [1.1, 2.3, 3.8, 4.2], [0.4, 0.9, 1.5]
    res = mann_whitney_u(a, b)
    # U_a counts the pairs with a_i > b_j: 11 of 12
    assert res.statistic == 11.0 and res.effect_size == pytest.approx(2 * 11 / 12 - 1, rel=1e-15)
    assert mann_whitney_u(b, a).effect_size == pytest.approx(-res.effect_size, rel=1e-15)


def test_all_values_tied_warns_and_gives_p_one():
    with pytest.warns(RuntimeWarning, match="every value is tied: U equals its null mean"):
        res = mann_whitney_u([3.0, 3.0, 3.0], [3.0, 3.0])
    assert res.pvalue == 1.0 and res.statistic == 3.0 and res.effect_size == 0.0
    ref = stats.mannwhitneyu([3.0, 3.0, 3.0], [3.0, 3.0])  # scipy: 1 with the continuity correction
    assert ref.pvalue == 1.0


def test_exact_method_with_ties_warns_and_matches_scipy():
    a, b = [1.0, 2.0, 2.0, 5.0], [2.0, 3.0, 4.0]
    with pytest.warns(RuntimeWarning, match="the exact distribution of U assumes no ties"):
        res = mann_whitney_u(a, b, method="exact")
    assert res.pvalue == pytest.approx(float(stats.mannwhitneyu(a, b, method="exact").pvalue),
                                       rel=RTOL)


def test_type_one_error_rate_under_the_null():
    # 4000 asymptotic tests of two normal samples of 20: reject at 5% in 5 +- 1.5% of them
    rng = np.random.default_rng(12)
    rejections = sum(
        mann_whitney_u(rng.normal(size=20), rng.normal(size=20)).pvalue <= 0.05
        for _ in range(4000)
    )
    assert abs(rejections / 4000 - 0.05) < 0.015


def test_mann_whitney_result_contract():
    res = mann_whitney_u([1.1, 2.3, 3.8, 4.2], [0.4, 0.9, 1.5])
    u, p = res
    assert (u, p) == (res.statistic, res.pvalue) and isinstance(res, MannWhitneyResult)
    with pytest.raises(FrozenInstanceError):
        res.statistic = 1.0
    assert str(res).splitlines() == [
        "Mann-Whitney U test (two-sided)",
        "  (exact p-value)",
        "  U = 11, p-value = 0.1143",
        "  rank-biserial correlation = 0.833333",
    ]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(a=[], b=[1.0]), ValueError, r"a is empty"),
        (dict(a=[1.0], b=[]), ValueError, r"b is empty"),
        (dict(a=[1.0, np.nan], b=[1.0]), ValueError, r"a contains NaN"),
        (dict(a=np.ones((2, 2)), b=[1.0]), ValueError, r"a must be 1-D"),
        (dict(a=[1.0], b=[2.0], alternative="bigger"), ValueError, r"alternative must be"),
        (dict(a=[1.0], b=[2.0], method="permutation"), ValueError,
         r"method must be 'auto', 'exact' or 'asymptotic', got 'permutation'"),
        (dict(a=[1.0], b=[2.0], use_continuity=1), TypeError, r"use_continuity must be True or False"),
        (dict(a=["x"], b=[2.0]), ValueError, r"a must hold numbers"),
    ],
)
def test_mann_whitney_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        mann_whitney_u(**kwargs)
