"""Chi-square tests against scipy.stats (and R's chisq.test values); bad tables; calibration.

Tolerance: 1e-12 relative against scipy.stats on the same counts (the same sums of
the same terms, then the same regularised incomplete gamma function).
"""

import math

import numpy as np
import pytest
from scipy import stats
from scipy.stats.contingency import association

from mlfoundations.stats import chi2_contingency, chi2_goodness_of_fit

RTOL = 1e-12


def random_table(seed, shape, low=1, high=60):
    return np.random.default_rng(seed).integers(low, high, size=shape)


# ---------------------------------------------------------------- independence


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 2), (4, 5), (6, 3)])
@pytest.mark.parametrize("correction", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_contingency_matches_scipy(shape, correction, seed):
    observed = random_table(seed, shape)
    res = chi2_contingency(observed, correction=correction)
    ref = stats.chi2_contingency(observed, correction=correction)
    np.testing.assert_allclose([res.statistic, res.pvalue, res.df],
                               [ref.statistic, ref.pvalue, ref.dof], rtol=RTOL)
    np.testing.assert_allclose(res.expected, ref.expected_freq, rtol=RTOL)
    assert res.correction == (correction and shape == (2, 2))
    np.testing.assert_allclose(res.effect_size, association(observed, method="cramer"), rtol=RTOL)


def test_contingency_edge_tables():
    cases = [
        [[12, 5], [7, 7]],  # Yates moves each cell by the full 0.5
        [[10, 10], [10, 10.2]],  # |O - E| < 0.5: Yates stops at E
        [[0, 5], [6, 0]],  # zero cells are allowed where the margins are not zero
        [[1e6, 2e6], [3e6, 4.5e6]],  # huge counts, p far in the tail
        [[2.5, 3.25], [1.5, 7.75]],  # non-integer "counts" (weights)
    ]
    for observed in cases:
        for correction in (True, False):
            res = chi2_contingency(observed, correction=correction)
            ref = stats.chi2_contingency(observed, correction=correction)
            np.testing.assert_allclose([res.statistic, res.pvalue], [ref.statistic, ref.pvalue], rtol=RTOL)


def test_contingency_known_values():
    # by hand: E = [[10.419, 6.581], [8.581, 5.419]], |O - E| = 1.581 -> 1.081 after Yates
    res = chi2_contingency([[12, 5], [7, 7]])
    gap = abs(12 - 17 * 19 / 31) - 0.5
    expected = np.outer([17, 14], [19, 12]) / 31
    assert res.statistic == pytest.approx(np.sum(gap**2 / expected), rel=1e-14)
    # a table proportional to its margins: no association at all
    res = chi2_contingency([[10, 20], [30, 60]], correction=False)
    assert (res.statistic, res.pvalue, res.effect_size) == (0.0, 1.0, 0.0)
    np.testing.assert_array_equal(res.expected, [[10, 20], [30, 60]])


def test_contingency_result_unpacks_and_prints():
    res = chi2_contingency([[10, 20], [30, 40]])
    chi2, p = res
    assert (chi2, p) == (res.statistic, res.pvalue) and res.df == 1.0
    text = str(res)
    assert text.splitlines()[:2] == ["chi-square test of independence", "  (with Yates' continuity correction)"]
    assert "chi2 = 0.446429, df = 1, p-value = 0.504" in text and "Cramér's V = 0.0890871" in text
    with pytest.raises(ValueError, match="the chi-square test of independence has no confidence interval"):
        res.confidence_interval()
    assert res == chi2_contingency([[10, 20], [30, 40]])  # the expected table is left out of ==


def test_contingency_errors():
    with pytest.raises(ValueError, match=r"observed must have at least 2 rows and 2 columns, got shape \(1, 3\)"):
        chi2_contingency([[1, 2, 3]])
    with pytest.raises(ValueError, match="observed must be 2-D, got a 1-D array"):
        chi2_contingency([1, 2, 3])
    with pytest.raises(ValueError, match=r"observed has an all-zero row \(row 1\)"):
        chi2_contingency([[1, 2], [0, 0], [3, 4]])
    with pytest.raises(ValueError, match=r"observed has an all-zero column \(column 0\)"):
        chi2_contingency([[0, 2], [0, 4]])
    with pytest.raises(ValueError, match="observed must be non-negative counts, got -1"):
        chi2_contingency([[1, -1], [2, 3]])
    with pytest.raises(ValueError, match="observed contains NaN"):
        chi2_contingency([[1, np.nan], [2, 3]])
    with pytest.raises(TypeError, match="correction must be True or False"):
        chi2_contingency([[1, 2], [2, 3]], correction=1)


# -------------------------------------------------------------- goodness of fit


@pytest.mark.parametrize("k, ddof", [(2, 0), (3, 0), (3, 1), (6, 0), (6, 2), (20, 0), (20, 1)])
def test_goodness_of_fit_matches_scipy(k, ddof):
    rng = np.random.default_rng(k)
    observed = rng.integers(0, 50, size=k) + 1
    probs = rng.random(k) + 0.1
    expected = probs / probs.sum() * observed.sum()
    for f_exp in (None, expected):
        res = chi2_goodness_of_fit(observed, f_exp, ddof=ddof)
        ref = stats.chisquare(observed, f_exp, ddof=ddof)
        np.testing.assert_allclose([res.statistic, res.pvalue], [ref.statistic, ref.pvalue], rtol=RTOL)
        assert res.df == k - 1 - ddof
        np.testing.assert_allclose(res.effect_size, math.sqrt(res.statistic / observed.sum()), rtol=RTOL)


def test_goodness_of_fit_known_values():
    # a die thrown 88 times; by hand X^2 = (16/9 + 100/9 + 16/9 + 4/9 + 64/9 + 64/9) / (44/3) = 2
    chi2, p = chi2_goodness_of_fit([16, 18, 16, 14, 12, 12])
    assert chi2 == 2.0 and p == pytest.approx(0.8491, abs=5e-5)
    # a perfect fit
    res = chi2_goodness_of_fit([5, 10, 15], [5, 10, 15])
    assert (res.statistic, res.pvalue, res.effect_size) == (0.0, 1.0, 0.0)
    assert res.alternative is None and "(" not in str(res).splitlines()[0]
    assert "chi2 = 0, df = 2, p-value = 1" in str(res)


def test_goodness_of_fit_errors():
    with pytest.raises(ValueError, match="observed needs at least 2 categories, got 1"):
        chi2_goodness_of_fit([5])
    with pytest.raises(ValueError, match=r"ddof=2 leaves df = k - 1 - ddof = 0 with k=3 categories; ddof must be <= 1"):
        chi2_goodness_of_fit([1, 2, 3], ddof=2)
    with pytest.raises(ValueError, match="ddof must be >= 0, got -1"):
        chi2_goodness_of_fit([1, 2, 3], ddof=-1)
    with pytest.raises(ValueError, match="observed counts sum to 0"):
        chi2_goodness_of_fit([0, 0, 0])
    with pytest.raises(ValueError, match="observed must be non-negative counts, got -2"):
        chi2_goodness_of_fit([3, -2, 5])
    with pytest.raises(ValueError, match="expected counts must all be > 0, got 0"):
        chi2_goodness_of_fit([3, 2, 5], [5, 5, 0])
    with pytest.raises(ValueError, match=r"expected must have the shape of observed \(3,\), got \(2,\)"):
        chi2_goodness_of_fit([3, 2, 5], [5, 5])
    with pytest.raises(ValueError, match="observed and expected must have the same total, got 10.0 and 12.0"):
        chi2_goodness_of_fit([3, 2, 5], [4, 4, 4])
    with pytest.raises(ValueError, match="observed contains inf"):
        chi2_goodness_of_fit([3, np.inf, 5])
    with pytest.raises(ValueError, match=r"observed must be 1-D, got an array of shape \(2, 2\)"):
        chi2_goodness_of_fit([[1, 2], [3, 4]])
    # totals within 1e-8 relative are the same total (rounding in a computed expectation)
    chi2_goodness_of_fit([3, 2, 5], [10 / 3, 10 / 3, 10 / 3 * (1 + 1e-12)])


# ------------------------------------------------------------------ calibration


def test_goodness_of_fit_pvalues_are_nearly_uniform_under_the_null():
    """2000 multinomial samples of 2000 counts: the chi-square approximation is good."""
    rng = np.random.default_rng(20261125)
    probs = np.array([0.1, 0.2, 0.3, 0.4])
    n = 2000
    pvalues = [chi2_goodness_of_fit(rng.multinomial(n, probs), probs * n).pvalue for _ in range(2000)]
    assert stats.kstest(pvalues, "uniform").pvalue > 0.01
