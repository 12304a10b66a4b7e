"""Descriptive statistics: mean, var, std, sem, skewness, kurtosis and describe against numpy/scipy and NIST."""

import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.stats
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlfoundations.stats import (
    DescribeResult,
    describe,
    kurtosis,
    mean,
    median,
    quantile,
    sem,
    skewness,
    std,
    var,
)

SHAPES_AND_AXES = [
    ((1,), None),
    ((7,), None),
    ((7,), 0),
    ((100,), -1),
    ((5, 6), None),
    ((5, 6), 0),
    ((5, 6), 1),
    ((3, 4, 5), (0, 2)),
    ((3, 4, 5), (2, 1)),
    ((3, 4, 5), -2),
]


# ------------------------------------------------------------------- NIST NumAcc


def _numacc(base, low, high):
    """NIST StRD NumAcc2-4: ``base`` then 500 pairs ``low, high`` (1001 values)."""
    return np.array([base] + [low, high] * 500)


# (name, data, certified mean, certified sample standard deviation, digits required)
# Digits: NumAcc3/4 are limited by the data itself: 1000000.1 and 10000000.1 are not
# binary fractions, and rounding them to float64 moves the true sd of the stored data
# to 0.10000000003 and 0.10000000056.
NUMACC = [
    ("NumAcc1", np.array([10000001.0, 10000003.0, 10000002.0]), 10000002.0, 1.0, 15),
    ("NumAcc2", _numacc(1.2, 1.1, 1.3), 1.2, 0.1, 15),
    ("NumAcc3", _numacc(1000000.2, 1000000.1, 1000000.3), 1000000.2, 0.1, 9),
    ("NumAcc4", _numacc(10000000.2, 10000000.1, 10000000.3), 10000000.2, 0.1, 8),
]


def log_relative_error(estimate, certified):
    """NIST's LRE: the number of correct significant digits (capped at 16)."""
    if estimate == certified:
        return 16.0
    return min(16.0, -math.log10(abs(estimate - certified) / abs(certified)))


def exact_sample_sd(x):
    """The sample standard deviation of the float64 data in exact rational arithmetic."""
    values = [Fraction(v) for v in x]
    xbar = sum(values) / len(values)
    return math.sqrt(sum((v - xbar) ** 2 for v in values) / (len(values) - 1))


def test_numacc_datasets_have_nists_shape():
    for name, x, *_ in NUMACC:
        assert x.shape == ((3,) if name == "NumAcc1" else (1001,))
    assert NUMACC[3][1][0] == 10000000.2 and NUMACC[3][1][-1] == 10000000.3


@pytest.mark.parametrize("name, x, certified_mean, certified_sd, digits", NUMACC)
def test_numacc_certified_mean_and_sd(name, x, certified_mean, certified_sd, digits):
    lre_mean = log_relative_error(mean(x), certified_mean)
    lre_sd = log_relative_error(std(x, ddof=1), certified_sd)
    print(f"{name}: mean {mean(x)!r} ({lre_mean:.1f} digits), sd {std(x, ddof=1)!r} ({lre_sd:.2f} digits)")
    assert lre_mean >= 15
    assert lre_sd >= digits
    # the digits beyond those are the data's, not the algorithm's: against the exact sd
    # of the stored float64 values we are accurate to rounding (tolerance 1e-14)
    np.testing.assert_allclose(std(x, ddof=1), exact_sample_sd(x), rtol=1e-14)
    np.testing.assert_allclose(var(x, ddof=1), exact_sample_sd(x) ** 2, rtol=1e-14)


def test_numacc4_defeats_the_one_pass_formula():
    # what makes the NumAcc4 check meaningful: sum x^2 - n xbar^2 cancels every digit
    x = NUMACC[3][1]
    n = x.size
    one_pass = (np.sum(x * x) - n * np.mean(x) ** 2) / (n - 1)
    one_pass_sd = math.sqrt(max(one_pass, 0.0))
    print(f"NumAcc4 one-pass sd {one_pass_sd!r}: {log_relative_error(one_pass_sd, 0.1):.2f} digits")
    assert log_relative_error(one_pass_sd, 0.1) < 2
    assert log_relative_error(std(x, ddof=1), 0.1) >= 8


# ----------------------------------------------------------- against numpy/scipy


@pytest.mark.parametrize("shape, axis", SHAPES_AND_AXES)
def test_mean_var_std_sem_match_numpy_and_scipy(rng, shape, axis):
    x = 3.0 + rng.standard_normal(shape)
    n = x.size if axis is None else math.prod(x.shape[a] for a in np.atleast_1d(axis))
    # tolerance 1e-12: the same sums, possibly with the correction term on top
    np.testing.assert_allclose(mean(x, axis=axis), np.mean(x, axis=axis), rtol=1e-12)
    for ddof in range(min(n, 3)):
        np.testing.assert_allclose(var(x, axis=axis, ddof=ddof), np.var(x, axis=axis, ddof=ddof), rtol=1e-12)
        np.testing.assert_allclose(std(x, axis=axis, ddof=ddof), np.std(x, axis=axis, ddof=ddof), rtol=1e-12)
    if n > 1:
        for ddof in (0, 1):
            np.testing.assert_allclose(
                sem(x, axis=axis, ddof=ddof), scipy.stats.sem(x, axis=axis, ddof=ddof), rtol=1e-12
            )


def test_full_reductions_return_floats_and_partial_ones_arrays(rng):
    x = rng.standard_normal((4, 3))
    for f in (mean, var, std, sem, median):
        assert type(f(x)) is float
        assert isinstance(f(x, axis=0), np.ndarray) and f(x, axis=0).shape == (3,)
        assert f(x, axis=(0, 1)) == pytest.approx(f(x), rel=1e-14)
    assert type(quantile(x, 0.3)) is float
    assert mean(2.5) == 2.5 and var(2.5) == 0.0  # a 0-d array is one observation
    assert mean([1, 2, 3, 4]) == 2.5  # integers are read as float64


def test_large_offset_variance_is_exact(rng):
    # values near 1e9 with spread 1: one-pass formulas lose ~18 digits here
    x = 1e9 + rng.standard_normal(500)
    exact = exact_sample_sd(x) ** 2
    np.testing.assert_allclose(var(x, ddof=1), exact, rtol=1e-13)  # tolerance: n eps
    assert var([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16], ddof=1) == 30.0


def test_constant_data_has_exactly_zero_spread():
    for value in (0.1, 1e7 + 0.1, -3.0, 1e-300):
        x = np.full(7, value)
        assert var(x) == 0.0 and std(x, ddof=1) == 0.0 and sem(x) == 0.0
        assert mean(x) == pytest.approx(value, rel=1e-15)


def test_huge_and_tiny_data_neither_overflow_nor_underflow():
    base = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    for scale in (1e300, 1e-300, 2.0**-1000):
        # tolerance 1e-14: the algorithm runs on x / 2^k, which is exact
        np.testing.assert_allclose(mean(scale * base), scale * mean(base), rtol=1e-14)
        np.testing.assert_allclose(std(scale * base, ddof=1), scale * std(base, ddof=1), rtol=1e-14)
        np.testing.assert_allclose(sem(scale * base), scale * sem(base), rtol=1e-14)
    assert mean([1.5e308, 1.5e308]) == 1.5e308  # numpy's sum overflows to inf here
    np.testing.assert_allclose(var([1e150, -1e150]), 1e300, rtol=1e-14)
    np.testing.assert_allclose(std([1e300, -1e300]), 1e300, rtol=1e-14)
    with pytest.raises(ValueError, match=r"the variance of x exceeds the float64 range"):
        var([1e300, -1e300])


# ------------------------------------------------------------------------- errors


@pytest.mark.parametrize("f", [mean, var, std, sem, median])
def test_bad_samples_are_refused_naming_x(f):
    with pytest.raises(ValueError, match=r"x is empty \(shape \(0,\)\); at least one observation"):
        f([])
    with pytest.raises(ValueError, match=r"x is empty \(shape \(3, 0\)\)"):
        f(np.ones((3, 0)), axis=0)
    with pytest.raises(ValueError, match="x contains NaN"):
        f([1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="x contains inf"):
        f([1.0, np.inf, 2.0])
    with pytest.raises(ValueError, match="x contains NaN and inf"):
        f(np.array([[np.inf, 1.0], [np.nan, 1.0]]), axis=0)
    with pytest.raises(ValueError, match=r"axis 2 is out of bounds for x with 2 dimension\(s\)"):
        f(np.ones((2, 2)), axis=2)
    with pytest.raises(ValueError, match=r"axis \(0, -2\) contains a repeated axis"):
        f(np.ones((2, 2)), axis=(0, -2))
    with pytest.raises(TypeError, match="axis must be an integer, got float 0.5"):
        f(np.ones(3), axis=0.5)
    with pytest.raises(TypeError, match="x must be array-like of numbers"):
        f("abc")


@pytest.mark.parametrize("f", [var, std, sem])
def test_ddof_must_leave_a_positive_divisor(f):
    with pytest.raises(ValueError, match=r"ddof=3 must be smaller than the number of observations n=3"):
        f([1.0, 2.0, 3.0], ddof=3)
    with pytest.raises(ValueError, match=r"ddof=1 must be smaller than the number of observations n=1"):
        f(np.ones((1, 4)), axis=0, ddof=1)
    with pytest.raises(ValueError, match="ddof must be >= 0, got -1"):
        f([1.0, 2.0], ddof=-1)
    with pytest.raises(TypeError, match="ddof must be an integer, got float 1.0"):
        f([1.0, 2.0], ddof=1.0)
    with pytest.raises(ValueError, match="ddof=1 must be smaller"):
        sem([4.0])  # sem's default ddof=1 needs two observations


# ------------------------------------------------------------ skewness, kurtosis

NUMACC4 = np.array([10000000.2] + [10000000.1, 10000000.3] * 500)  # NIST StRD, 1001 values
AXES = [None, 0, 1, -1, (0, 1)]


# skewed data, so that skewness and kurtosis are far from 0 and a relative
# tolerance means something
def skewed(rng, shape):
    return 5.0 + rng.exponential(size=shape)


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("bias", [True, False])
def test_skewness_and_kurtosis_match_scipy(rng, axis, bias):
    x = skewed(rng, (40, 5))
    # tolerance 1e-12: the same moments; scipy's own rounding is ~1e-15 here
    np.testing.assert_allclose(
        skewness(x, axis=axis, bias=bias), scipy.stats.skew(x, axis=axis, bias=bias), rtol=1e-12
    )
    for fisher in (True, False):
        np.testing.assert_allclose(
            kurtosis(x, axis=axis, fisher=fisher, bias=bias),
            scipy.stats.kurtosis(x, axis=axis, fisher=fisher, bias=bias),
            rtol=1e-12,
        )


def test_moments_of_known_samples():
    assert skewness([1.0, 2.0, 3.0]) == 0.0
    assert kurtosis([-1.0, 1.0]) == -2.0 and kurtosis([-1.0, 1.0], fisher=False) == 1.0
    # a Bernoulli(1/4) sample: skewness (1 - 2p) / sqrt(p q), excess kurtosis (1 - 6pq) / pq
    p = 0.25
    x = [0.0, 0.0, 0.0, 1.0] * 5
    assert skewness(x) == pytest.approx((1 - 2 * p) / math.sqrt(p * (1 - p)), rel=1e-14)
    assert kurtosis(x) == pytest.approx((1 - 6 * p * (1 - p)) / (p * (1 - p)), rel=1e-14)


def test_shape_statistics_survive_huge_tiny_and_offset_data(rng):
    x = skewed(rng, 200)
    g1, g2 = skewness(x), kurtosis(x)
    for y in (1e200 * x, 1e-200 * x, 2.0**-1070 * 2.0**52 * x.round(3)):
        # tolerance 1e-12: scale-free statistics, computed on x / 2^k
        np.testing.assert_allclose(skewness(y), skewness(y / np.max(y)), rtol=1e-12)
    np.testing.assert_allclose(skewness(1e200 * x), g1, rtol=1e-12)
    np.testing.assert_allclose(kurtosis(1e-200 * x), g2, rtol=1e-12)
    # a large offset: corrected two-pass sums keep ~7 of the 16 digits lost to 1e9
    np.testing.assert_allclose(skewness(1e9 + x), g1, rtol=1e-5)


def test_shape_statistics_refuse_constant_and_short_samples():
    constant = "the skewness is undefined for data with zero variance: every observation is equal$"
    with pytest.raises(ValueError, match=constant):
        skewness([2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match=r"the kurtosis is undefined .* is equal at index \(1,\)"):
        kurtosis(np.array([[1.0, 5.0, 1.0], [2.0, 5.0, 3.0]]), axis=0)
    with pytest.raises(ValueError, match="the unbiased skewness needs at least 3 observations, got n=2"):
        skewness([1.0, 2.0], bias=False)
    with pytest.raises(ValueError, match="the unbiased kurtosis needs at least 4 observations, got n=3"):
        kurtosis([1.0, 2.0, 4.0], bias=False)
    with pytest.raises(ValueError, match="x contains NaN"):
        skewness([1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match=r"x is empty"):
        kurtosis([])
    with pytest.raises(TypeError, match="bias must be True or False, got int 1"):
        skewness([1.0, 2.0, 4.0], bias=1)
    with pytest.raises(TypeError, match="fisher must be True or False"):
        kurtosis([1.0, 2.0, 4.0], fisher="yes")


# ------------------------------------------------------------------------ describe


@pytest.mark.parametrize("axis", [0, 1, None, (0, 1)])
@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_describe_matches_scipy(rng, axis, ddof):
    x = skewed(rng, (30, 4))
    ours, theirs = describe(x, axis=axis, ddof=ddof), scipy.stats.describe(x, axis=axis, ddof=ddof)
    assert ours.nobs == theirs.nobs
    np.testing.assert_array_equal(ours.minmax[0], theirs.minmax[0])
    np.testing.assert_array_equal(ours.minmax[1], theirs.minmax[1])
    # tolerance 1e-12 relative for every moment
    for name in ("mean", "variance", "skewness", "kurtosis"):
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-12, err_msg=name)
        assert np.shape(getattr(ours, name)) == np.shape(getattr(theirs, name))


def test_describe_unpacks_like_scipy_and_is_frozen(rng):
    x = skewed(rng, 25)
    nobs, (lo, hi), xbar, variance, g1, g2 = describe(x)
    assert (nobs, lo, hi) == (25, x.min(), x.max())
    assert all(type(v) is float for v in (xbar, variance, g1, g2))
    result = describe(x)
    assert isinstance(result, DescribeResult) and result.ddof == 1
    with pytest.raises(AttributeError):
        result.mean = 0.0


def test_describe_prints_a_readable_table(rng):
    text = str(describe([1.0, 2.0, 3.0, 4.0, 10.0]))
    assert text.splitlines()[0] == "Descriptive statistics of n = 5 observations"
    assert "variance (ddof=1)  12.5" in text and "mean               4" in text
    assert "excess kurtosis" in text
    text = str(describe(skewed(rng, (10, 3))))
    assert text.count("[") == 6  # one array per statistic
    assert "undefined (constant data)" in str(describe([3.0, 3.0, 3.0]))


def test_describe_reports_constant_columns_as_nan_and_keeps_the_others(rng):
    x = skewed(rng, (20, 3))
    x[:, 1] = 7.0
    result = describe(x)
    assert result.variance[1] == 0.0 and result.mean[1] == 7.0
    assert np.isnan(result.skewness[1]) and np.isnan(result.kurtosis[1])
    expected = scipy.stats.describe(x[:, [0, 2]])
    np.testing.assert_allclose(result.skewness[[0, 2]], expected.skewness, rtol=1e-12)
    np.testing.assert_allclose(result.kurtosis[[0, 2]], expected.kurtosis, rtol=1e-12)


def test_describe_of_numacc4_and_of_huge_data():
    result = describe(NUMACC4)
    assert result.nobs == 1001 and result.minmax == (10000000.1, 10000000.3)
    assert abs(math.sqrt(result.variance) - 0.1) / 0.1 < 1e-8  # >= 8 certified digits
    base = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    big = describe(1e150 * base)
    np.testing.assert_allclose(big.variance, 1e300 * 12.5, rtol=1e-14)
    np.testing.assert_allclose(big.skewness, describe(base).skewness, rtol=1e-14)
    with pytest.raises(ValueError, match=r"the variance of x exceeds the float64 range"):
        describe(1e300 * base)


def test_describe_rejects_bad_input():
    with pytest.raises(ValueError, match=r"ddof=1 must be smaller than the number of observations n=1"):
        describe([3.0])
    with pytest.raises(ValueError, match="x contains inf"):
        describe([1.0, np.inf])
    with pytest.raises(ValueError, match=r"x is empty"):
        describe(np.empty((0, 3)))
    with pytest.raises(ValueError, match="axis 2 is out of bounds"):
        describe(np.ones((3, 2)), axis=2)


# --------------------------------------------------------------------- properties

# Multiples of 2^-10 below 2^20 shifted by integers below 2^30 stay exact in float64,
# so x and x + c are exactly the same sample moved: var must not notice.
dyadic = st.integers(-(2**20), 2**20).map(lambda k: k / 1024.0)


@given(arrays(np.float64, st.integers(2, 40), elements=dyadic), st.integers(-(2**30), 2**30))
def test_var_is_shift_invariant(x, c):
    assume(x.min() < x.max())
    # tolerance 1e-10: the corrected two-pass error is n eps plus the rounding of the
    # mean, amplified by |c| / sd; the one-pass formula fails this by many orders
    np.testing.assert_allclose(var(x + c, ddof=1), var(x, ddof=1), rtol=1e-10)
    np.testing.assert_allclose(mean(x + c) - c, mean(x), rtol=1e-9, atol=1e-6)


normal_floats = st.floats(-1e6, 1e6).filter(lambda v: v == 0 or abs(v) > 1e-100)


@given(arrays(np.float64, st.integers(1, 40), elements=normal_floats), st.integers(-60, 60))
def test_power_of_two_scaling_is_exact(x, k):
    # multiplying by 2^k is exact, and so is every step of the algorithm after it
    # (no subnormal numbers: those lose digits when scaled)
    a = 2.0**k
    assert var(a * x) == a * a * var(x)
    assert std(a * x) == a * std(x)

