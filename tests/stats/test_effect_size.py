"""Cohen's d and Hedges' g against their definitions, statsmodels and mpmath.

Tolerances: 1e-13 relative against the defining formulas evaluated with NumPy (the
same sums in a different order); J(df) to 4e-16 relative against 40-digit mpmath.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlfoundations.stats.effect_size import cohens_d, hedges_correction, hedges_g
from mlfoundations.stats import ttest_ind, ttest_rel

GROUP_A = [85, 87, 82, 86, 88, 85, 87]
GROUP_B = [78, 82, 79, 81, 80, 83, 78]


def pooled_d(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    df = len(a) + len(b) - 2
    s_p = math.sqrt(((len(a) - 1) * np.var(a, ddof=1) + (len(b) - 1) * np.var(b, ddof=1)) / df)
    return (a.mean() - b.mean()) / s_p


@pytest.mark.parametrize("seed, n_a, n_b", [(0, 7, 7), (1, 2, 3), (2, 40, 25), (3, 1000, 10)])
def test_cohens_d_is_the_pooled_standardised_difference(seed, n_a, n_b):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(1.0, 2.0, n_a), rng.normal(0.0, 1.0, n_b)
    np.testing.assert_allclose(cohens_d(a, b), pooled_d(a, b), rtol=1e-13)
    assert cohens_d(b, a) == -cohens_d(a, b)
    # d and Student's t are the same number on different scales
    np.testing.assert_allclose(cohens_d(a, b), ttest_ind(a, b).statistic * math.sqrt(1 / n_a + 1 / n_b), rtol=1e-13)


def test_paired_d_is_t_over_root_n():
    rng = np.random.default_rng(4)
    a = rng.normal(0, 1, 15)
    b = a + rng.normal(-0.3, 0.5, 15)
    d = a - b
    np.testing.assert_allclose(cohens_d(a, b, paired=True), d.mean() / d.std(ddof=1), rtol=1e-13)
    np.testing.assert_allclose(cohens_d(a, b, paired=True), ttest_rel(a, b).statistic / math.sqrt(15), rtol=1e-13)
    np.testing.assert_allclose(hedges_g(a, b, paired=True), hedges_correction(14) * d.mean() / d.std(ddof=1), rtol=1e-13)


def test_guide_samples():
    assert cohens_d(GROUP_A, GROUP_B) == pytest.approx(pooled_d(GROUP_A, GROUP_B), rel=1e-14)
    assert hedges_g(GROUP_A, GROUP_B) == pytest.approx(hedges_correction(12) * pooled_d(GROUP_A, GROUP_B), rel=1e-14)


@pytest.mark.parametrize("df", [1.5, 2, 3, 5, 7.5, 12, 30, 63, 64, 99, 99.999, 100, 101, 342, 1e3, 1e5, 1e8, 1e15])
def test_hedges_correction_is_the_exact_gamma_ratio(df):
    mpmath = pytest.importorskip("mpmath")
    with mpmath.workdps(40):
        nu = mpmath.mpf(df)
        exact = mpmath.gamma(nu / 2) / (mpmath.sqrt(nu / 2) * mpmath.gamma((nu - 1) / 2))
        assert abs(hedges_correction(df) / exact - 1) < 4e-16


def test_hedges_correction_vs_the_approximation():
    # 1 - 3/(4 df - 1) overestimates J by 1.3 % at df = 2; the gap shrinks as df^-2
    for df, bound in ((2, 2e-2), (10, 5e-4), (100, 5e-6), (1000, 5e-8)):
        approx = 1 - 3 / (4 * df - 1)
        assert bound / 5 < approx / hedges_correction(df) - 1 < bound


def test_hedges_correction_closed_forms():
    # J(2) = Gamma(1) / (1 * Gamma(1/2)) = 1 / sqrt(pi)
    assert hedges_correction(2) == pytest.approx(1 / math.sqrt(math.pi), rel=1e-15)
    assert hedges_correction(3) == pytest.approx(math.sqrt(math.pi) / 2 / math.sqrt(1.5), rel=1e-15)


@given(st.floats(1.0001, 1e12))
def test_hedges_correction_is_increasing_and_below_one(df):
    j = hedges_correction(df)
    assert 0 < j < 1
    assert hedges_correction(df * 1.01) >= j


def test_hedges_g_vs_statsmodels():
    ma = pytest.importorskip("statsmodels.stats.meta_analysis")
    rng = np.random.default_rng(5)
    a, b = rng.normal(1, 1, 9), rng.normal(0, 1.5, 6)
    smd_bc, _ = ma.effectsize_smd(a.mean(), a.std(ddof=1), 9, b.mean(), b.std(ddof=1), 6)
    approx = 1 - 3 / (4 * 15 - 9)  # statsmodels' correction, the approximation
    np.testing.assert_allclose(cohens_d(a, b), smd_bc / approx, rtol=1e-13)
    np.testing.assert_allclose(hedges_g(a, b) / smd_bc, hedges_correction(13) / approx, rtol=1e-13)


def test_zero_spread():
    with pytest.raises(ValueError, match=r"both samples have zero variance and the means are equal; Cohen's d \(0/0\) is undefined"):
        cohens_d([1.0, 1.0], [1.0, 1.0, 1.0])
    with pytest.warns(RuntimeWarning, match="both samples have zero variance: Hedges' g = inf"):
        assert hedges_g([2.0, 2.0], [1.0, 1.0, 1.0]) == math.inf
    with pytest.warns(RuntimeWarning, match="the differences a - b have zero variance: Cohen's d = -inf"):
        assert cohens_d([1.0, 2.0], [2.0, 3.0], paired=True) == -math.inf


def test_errors():
    with pytest.raises(ValueError, match=r"Cohen's d needs n_a \+ n_b >= 3 observations to pool a standard deviation, got n_a=1, n_b=1"):
        cohens_d([1.0], [2.0])
    with pytest.raises(ValueError, match=r"Hedges' g needs n_a \+ n_b >= 4 \(df > 1\), got df = 1"):
        hedges_g([1.0, 2.0], [2.0])
    with pytest.raises(ValueError, match=r"Hedges' g needs at least 3 pairs \(df > 1\), got df = 1"):
        hedges_g([1.0, 2.0], [2.0, 5.0], paired=True)
    with pytest.raises(ValueError, match="Cohen's d for paired data needs at least 2 pairs, got 1"):
        cohens_d([1.0], [2.0], paired=True)
    with pytest.raises(ValueError, match="a and b must have the same length for paired data, got 2 and 3"):
        cohens_d([1.0, 2.0], [2.0, 3.0, 4.0], paired=True)
    with pytest.raises(ValueError, match="b contains NaN"):
        cohens_d([1.0, 2.0], [2.0, np.nan])
    with pytest.raises(ValueError, match="a contains inf"):
        hedges_g([np.inf, 2.0], [2.0, 1.0], paired=True)
    with pytest.raises(ValueError, match="a is empty"):
        cohens_d([], [1.0, 2.0])
    with pytest.raises(TypeError, match="paired must be True or False"):
        cohens_d([1.0, 2.0], [2.0, 3.0], paired="yes")
    with pytest.raises(ValueError, match="df must be > 1 for Hedges' correction, got 1.0"):
        hedges_correction(1)
    with pytest.raises(ValueError, match="df must be finite and > 0, got inf"):
        hedges_correction(math.inf)
