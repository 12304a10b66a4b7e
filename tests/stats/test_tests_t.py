"""t and z tests against scipy.stats, statsmodels and R; degenerate input; calibration.

Tolerances: 1e-12 relative against scipy.stats / statsmodels on the same data (both
sides evaluate the same closed forms with the same special functions, so the only
differences are rounding in the sums); confidence-interval ends additionally get an
absolute 1e-12 * standard_error, since an end near 0 is a difference of two
comparable numbers.
"""

import math
import sys
from dataclasses import FrozenInstanceError
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import special, stats

from mlfoundations.stats import ttest_1samp, ttest_ind, ttest_rel, ztest

RTOL = 1e-12
GROUP_A = [85, 87, 82, 86, 88, 85, 87]
GROUP_B = [78, 82, 79, 81, 80, 83, 78]
ALTERNATIVES = ("two-sided", "less", "greater")


def assert_matches_scipy(ours, theirs, confidences=(0.95, 0.8)):
    np.testing.assert_allclose(ours.statistic, theirs.statistic, rtol=RTOL)
    np.testing.assert_allclose(ours.pvalue, theirs.pvalue, rtol=RTOL)
    np.testing.assert_allclose(ours.df, theirs.df, rtol=RTOL)
    for c in confidences:
        low, high = ours.confidence_interval(c)
        ref = theirs.confidence_interval(c)
        atol = 1e-12 * ours.standard_error
        np.testing.assert_allclose([low, high], [ref.low, ref.high], rtol=RTOL, atol=atol)


def samples(seed, n_a, n_b, shift=0.3, scale_b=1.0, offset=0.0):
    rng = np.random.default_rng(seed)
    return rng.normal(offset, 1.0, n_a), rng.normal(offset + shift, scale_b, n_b)


# ---------------------------------------------------------------- against scipy.stats

CASES = [  # (seed, n_a, n_b, shift, scale_b, offset)
    (0, 7, 7, 0.3, 1.0, 0.0),
    (1, 30, 45, -0.5, 3.0, 10.0),
    (2, 2, 2, 1.0, 1.0, 0.0),  # smallest Welch samples
    (3, 2, 500, 0.2, 0.1, -5.0),  # very unequal sizes and spreads
    (4, 1000, 1200, 0.05, 1.0, 10.0),
    (5, 50, 60, 30.0, 1.0, 0.0),  # t ~ 150: p-values far in the tail
    (6, 5000, 5000, 0.0, 1.0, 0.0),  # p near 1 on average
    (7, 3, 4, 0.0, 1e-150, 0.0),  # one sample nearly constant
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("equal_var", [True, False])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_ttest_ind_matches_scipy(case, equal_var, alternative):
    a, b = samples(*case)
    ours = ttest_ind(a, b, equal_var=equal_var, alternative=alternative)
    theirs = stats.ttest_ind(a, b, equal_var=equal_var, alternative=alternative)
    assert_matches_scipy(ours, theirs)


@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_ttest_ind_guide_samples(alternative):
    for equal_var in (True, False):
        ours = ttest_ind(GROUP_A, GROUP_B, equal_var=equal_var, alternative=alternative)
        theirs = stats.ttest_ind(GROUP_A, GROUP_B, equal_var=equal_var, alternative=alternative)
        assert_matches_scipy(ours, theirs)


def test_student_with_a_single_observation_matches_r():
    # R 4.x: t.test(c(2,3,5), c(1.5), var.equal=TRUE) -> t = 1.0394023007754, p = 0.407779907736
    res = ttest_ind([2, 3, 5], [1.5])
    np.testing.assert_allclose(res.statistic, 1.0394023007754, rtol=1e-12)
    np.testing.assert_allclose(res.pvalue, 0.407779907736, rtol=1e-11)  # R prints 12 digits
    assert res.df == 2.0
    assert_matches_scipy(res, stats.ttest_ind([2, 3, 5], [1.5]))
    assert_matches_scipy(ttest_ind([1.5], [2, 3, 5]), stats.ttest_ind([1.5], [2, 3, 5]))


@pytest.mark.parametrize("case", CASES[:6])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_ttest_rel_and_1samp_match_scipy(case, alternative):
    a, b = samples(*case[:2], case[1], *case[3:])
    assert_matches_scipy(
        ttest_rel(a, b, alternative=alternative), stats.ttest_rel(a, b, alternative=alternative)
    )
    for popmean in (0.0, case[-1] + 0.2, -3.0):
        assert_matches_scipy(
            ttest_1samp(a, popmean, alternative=alternative),
            stats.ttest_1samp(a, popmean, alternative=alternative),
        )


def test_integer_and_float32_input():
    a32, b32 = (np.asarray(x, dtype=np.float32) for x in samples(9, 10, 12))
    assert_matches_scipy(ttest_ind(a32, b32), stats.ttest_ind(a32.astype(float), b32.astype(float)))
    ia, ib = np.arange(10), np.arange(3, 15) ** 2
    assert_matches_scipy(ttest_ind(ia, ib), stats.ttest_ind(ia, ib))
    assert_matches_scipy(ttest_ind(tuple(GROUP_A), GROUP_B), stats.ttest_ind(GROUP_A, GROUP_B))
    strided = np.arange(40.0)[::3]  # non-contiguous view
    assert_matches_scipy(ttest_1samp(strided, 5.0), stats.ttest_1samp(strided, 5.0))


# ------------------------------------------- beyond scipy: exact sums, extreme scales


def exact_se(a, b):
    """Student's standard error from exact rational sums, rounded once at the end."""
    a, b = [list(map(Fraction, np.asarray(x).tolist())) for x in (a, b)]
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    ss = sum((x - ma) ** 2 for x in a) + sum((x - mb) ** 2 for x in b)
    df = len(a) + len(b) - 2
    return math.sqrt(ss / df * (Fraction(1, len(a)) + Fraction(1, len(b))))


def test_large_offset_keeps_every_digit_of_the_spread():
    # mean 1e9, spread 1e-3: a plain two-pass variance loses ~8 digits here. (The
    # difference of two means near 1e9 is only known to ~1e-7 absolute, the spacing
    # of doubles there, so t itself is ill-conditioned; the spread is not.)
    a, b = samples(10, 200, 300)
    a, b = 1e9 + 1e-3 * a, 1e9 + 1e-3 * b
    np.testing.assert_allclose(ttest_ind(a, b).standard_error, exact_se(a, b), rtol=1e-14)
    naive = math.sqrt((a.var(ddof=1) * 199 + b.var(ddof=1) * 299) / 498 * (1 / 200 + 1 / 300))
    assert abs(naive / exact_se(a, b) - 1) > 1e-10  # what the shortcut would have cost


@pytest.mark.parametrize("scale", [1e-300, 1e-200, 1e200, 2.0**1000])
def test_t_is_scale_invariant_even_near_overflow(scale):
    # sums of squares of these samples under- or overflow float64; t must not notice
    a, b = samples(11, 9, 12)
    for equal_var in (True, False):
        ref = ttest_ind(a, b, equal_var=equal_var)
        res = ttest_ind(a * scale, b * scale, equal_var=equal_var)
        np.testing.assert_allclose(res.statistic, ref.statistic, rtol=1e-13)
        np.testing.assert_allclose(res.pvalue, ref.pvalue, rtol=1e-12)
        np.testing.assert_allclose(res.df, ref.df, rtol=1e-13)
        np.testing.assert_allclose(res.standard_error, ref.standard_error * scale, rtol=1e-13)
    np.testing.assert_allclose(ttest_1samp(a * scale).statistic, ttest_1samp(a).statistic, rtol=1e-13)


@given(
    st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=30),
    st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=30),
    st.floats(0.01, 100.0),
    st.floats(-100.0, 100.0),
)
def test_invariances(a, b, scale, shift):
    a, b = np.array(a), np.array(b)
    assume(max(np.ptp(a), np.ptp(b)) > 1e-3)  # the degenerate case has its own tests
    for equal_var in (True, False):
        ref = ttest_ind(a, b, equal_var=equal_var)
        swapped = ttest_ind(b, a, equal_var=equal_var)
        # every formula is symmetric in the samples, so the swap is exact
        assert (swapped.statistic, swapped.pvalue, swapped.df) == (-ref.statistic, ref.pvalue, ref.df)
        moved = ttest_ind(a * scale + shift, b * scale + shift, equal_var=equal_var)
        # an affine map changes the rounding of the sums, never t beyond that
        assert moved.statistic == pytest.approx(ref.statistic, rel=1e-6, abs=1e-6)


def test_alternatives_split_the_two_sided_pvalue():
    a, b = samples(12, 15, 18)
    for test in (lambda alt: ttest_ind(a, b, alternative=alt),
                 lambda alt: ttest_rel(a, b[:15], alternative=alt),
                 lambda alt: ttest_1samp(a, 0.1, alternative=alt),
                 lambda alt: ztest(a, b, alternative=alt)):
        two, less, greater = (test(alt).pvalue for alt in ALTERNATIVES)
        assert less + greater == pytest.approx(1.0, rel=1e-14)
        assert two == pytest.approx(2 * min(less, greater), rel=1e-14)
        # the one-sided intervals share one end with the two-sided one at twice the level
        res = test("two-sided")
        low, high = res.confidence_interval(0.90)
        assert test("greater").confidence_interval(0.95).low == pytest.approx(low, rel=1e-14)
        assert test("less").confidence_interval(0.95).high == pytest.approx(high, rel=1e-14)
        assert test("greater").confidence_interval(0.95).high == math.inf


# ------------------------------------------------------------------ z-test vs statsmodels


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("equal_var", [True, False])
@pytest.mark.parametrize("value", [0.0, 0.4])
def test_ztest_matches_statsmodels(alternative, equal_var, value):
    sm = pytest.importorskip("statsmodels.stats.weightstats")
    sm_alt = {"two-sided": "two-sided", "less": "smaller", "greater": "larger"}[alternative]
    usevar = "pooled" if equal_var else "unequal"
    a, b = samples(13, 40, 25, scale_b=2.0)
    res = ztest(a, b, value=value, equal_var=equal_var, alternative=alternative)
    z, p = sm.ztest(a, b, value=value, alternative=sm_alt, usevar=usevar)
    np.testing.assert_allclose([res.statistic, res.pvalue], [z, p], rtol=RTOL)
    assert res.df is None
    if equal_var:  # zconfint pools always; its interval is for the difference minus value
        ci = sm.zconfint(a, b, alpha=0.1, alternative=sm_alt)
    else:
        se = math.sqrt(a.var() / (len(a) - 1) + b.var() / (len(b) - 1))
        ci = sm._zconfint_generic(a.mean() - b.mean(), se, 0.1, sm_alt)
    np.testing.assert_allclose(tuple(res.confidence_interval(0.9)), ci, rtol=RTOL)
    res1 = ztest(a, value=value, alternative=alternative)
    z1, p1 = sm.ztest(a, value=value, alternative=sm_alt)
    np.testing.assert_allclose([res1.statistic, res1.pvalue], [z1, p1], rtol=RTOL)
    ci1 = sm.zconfint(a, alpha=0.05, alternative=sm_alt)
    np.testing.assert_allclose(tuple(res1.confidence_interval()), ci1, rtol=RTOL)


def test_ztest_with_known_sigma():
    a, b = samples(14, 20, 30)
    res = ztest(a, value=0.1, sigma=2.0, alternative="greater")
    z = (a.mean() - 0.1) / (2.0 / math.sqrt(20))
    np.testing.assert_allclose([res.statistic, res.pvalue], [z, stats.norm.sf(z)], rtol=RTOL)
    res = ztest(a, b, sigma=(1.0, 3.0))
    z = (a.mean() - b.mean()) / math.sqrt(1 / 20 + 9 / 30)
    np.testing.assert_allclose([res.statistic, res.pvalue], [z, 2 * stats.norm.sf(abs(z))], rtol=RTOL)
    low, high = res.confidence_interval(0.95)
    half = stats.norm.isf(0.025) * math.sqrt(1 / 20 + 9 / 30)
    np.testing.assert_allclose([low, high], [a.mean() - b.mean() - half, a.mean() - b.mean() + half], rtol=RTOL)
    # a common sigma; one observation is enough when sigma is known
    assert ztest([1.0], [2.0, 4.0], sigma=1.0).statistic == pytest.approx(-2 / math.sqrt(1.5), rel=1e-15)


# ------------------------------------------------------------------- degenerate input


def test_zero_variance_with_equal_means_raises():
    with pytest.raises(ValueError, match=r"both samples have zero variance and mean\(a\) - mean\(b\) "
                       r"equals its null value 0.0; the t statistic \(0/0\) is undefined"):
        ttest_ind([3.0, 3.0, 3.0], [3.0, 3.0])
    with pytest.raises(ValueError, match="both samples have zero variance"):
        ttest_ind([3.0, 3.0], [3.0, 3.0], equal_var=False)
    with pytest.raises(ValueError, match=r"a has zero variance and mean\(a\) equals its null value 2.0"):
        ttest_1samp([2.0, 2.0, 2.0], 2.0)
    with pytest.raises(ValueError, match=r"the differences a - b have zero variance and mean\(a - b\)"):
        ttest_rel([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="the z statistic"):
        ztest([1.0, 1.0], [1.0, 1.0, 1.0])


@pytest.mark.filterwarnings("ignore:Precision loss occurred:RuntimeWarning")  # scipy's
@pytest.mark.parametrize("equal_var", [True, False])
def test_zero_variance_with_different_means_is_infinite_with_a_warning(equal_var):
    a, b = [2.0, 2.0, 2.0], [1.0, 1.0]
    with pytest.warns(RuntimeWarning, match="both samples have zero variance: the standard error is 0, so t = inf and p = 0.0"):
        res = ttest_ind(a, b, equal_var=equal_var)
    ref = stats.ttest_ind(a, b, equal_var=equal_var)
    assert (res.statistic, res.pvalue) == (math.inf, 0.0) == (ref.statistic, ref.pvalue)
    assert math.isfinite(res.df) and res.df > 0
    assert tuple(res.confidence_interval()) == (1.0, 1.0)  # the interval shrinks to the estimate
    with pytest.warns(RuntimeWarning, match="p = 1.0"):
        assert ttest_ind(a, b, equal_var=equal_var, alternative="less").pvalue == 1.0
    with pytest.warns(RuntimeWarning, match="t = -inf and p = 0.0"):
        res = ttest_ind(b, a, equal_var=equal_var, alternative="less")
    assert (res.statistic, res.pvalue, res.effect_size) == (-math.inf, 0.0, -math.inf)
    assert res.confidence_interval(0.9).low == -math.inf and res.confidence_interval(0.9).high == -1.0


def test_zero_variance_one_sample_and_paired():
    with pytest.warns(RuntimeWarning, match="a has zero variance"):
        res = ttest_1samp([4.0, 4.0, 4.0], 1.0, alternative="greater")
    assert (res.statistic, res.pvalue, res.df) == (math.inf, 0.0, 2.0)
    with pytest.warns(RuntimeWarning, match="the differences a - b have zero variance"):
        res = ttest_rel([2.0, 3.0, 4.0], [1.0, 2.0, 3.0])
    assert (res.statistic, res.pvalue) == (math.inf, 0.0)


@pytest.mark.filterwarnings("ignore:Precision loss occurred:RuntimeWarning")  # scipy's
def test_one_constant_sample_is_not_degenerate():
    a, b = [5.0, 5.0, 5.0, 5.0], [1.0, 2.0, 4.0]
    for equal_var in (True, False):
        assert_matches_scipy(ttest_ind(a, b, equal_var=equal_var), stats.ttest_ind(a, b, equal_var=equal_var))


def test_sample_size_errors():
    with pytest.raises(ValueError, match=r"Student's two-sample t-test needs n_a \+ n_b >= 3 observations "
                       r"\(df = n_a \+ n_b - 2 >= 1\), got n_a=1, n_b=1"):
        ttest_ind([1.0], [2.0])
    with pytest.raises(ValueError, match=r"Welch's two-sample t-test needs at least 2 observations in each "
                       r"sample to estimate its variance, got n_a=3, n_b=1"):
        ttest_ind([1.0, 2.0, 3.0], [2.0], equal_var=False)
    with pytest.raises(ValueError, match=r"a needs at least 2 observations for a t-test \(df = n - 1 >= 1\), got 1"):
        ttest_1samp([1.0])
    with pytest.raises(ValueError, match=r"a paired t-test needs at least 2 pairs \(df = n - 1 >= 1\), got 1"):
        ttest_rel([1.0], [2.0])
    with pytest.raises(ValueError, match="a and b must have the same length for a paired test, got 3 and 2"):
        ttest_rel([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="a needs at least 2 observations to estimate its variance, got 1; pass sigma"):
        ztest([1.0])
    with pytest.raises(ValueError, match="a two-sample z-test needs at least 2 observations in each sample"):
        ztest([1.0, 2.0], [3.0], equal_var=False)


@pytest.mark.parametrize("call", [
    lambda x: ttest_ind(x, [1.0, 2.0]),
    lambda x: ttest_1samp(x),
    lambda x: ttest_rel(x, [1.0, 2.0, 3.0]),
    lambda x: ztest(x, [1.0, 2.0]),
])
def test_bad_samples(call):
    with pytest.raises(ValueError, match="a is empty; a test needs observations"):
        call([])
    with pytest.raises(ValueError, match=r"a contains NaN; remove or impute non-finite values"):
        call([1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="a contains inf"):
        call([1.0, np.inf, 2.0])
    with pytest.raises(ValueError, match=r"a must be 1-D, got an array of shape \(3, 1\)"):
        call(np.ones((3, 1)))
    with pytest.raises(ValueError, match="a must hold numbers"):
        call(["x", "y", "z"])
    with pytest.raises(ValueError, match="a: Complex data not supported"):
        call(np.array([1j, 2, 3]))


def test_nan_in_second_sample_and_overflowing_differences():
    with pytest.raises(ValueError, match="b contains NaN"):
        ttest_ind([1.0, 2.0], [1.0, np.nan])
    with pytest.raises(ValueError, match="b contains inf"):
        ttest_rel([1.0, 2.0], [1.0, -np.inf])
    with pytest.raises(ValueError, match="a - b overflows float64; rescale the data"):
        ttest_rel([1.7e308, 1e308], [-1.7e308, 0.0])
    with pytest.raises(ValueError, match=r"mean\(a\) - mean\(b\) - 0.0 overflows float64"):
        ttest_ind([1.7e308, 1.6e308], [-1.7e308, -1.6e308])


def test_bad_options():
    with pytest.raises(ValueError, match="alternative must be 'two-sided', 'less' or 'greater', got 'larger'"):
        ttest_ind(GROUP_A, GROUP_B, alternative="larger")
    with pytest.raises(TypeError, match="equal_var must be True or False, got str 'yes'"):
        ttest_ind(GROUP_A, GROUP_B, equal_var="yes")
    with pytest.raises(ValueError, match="popmean must be finite, got nan"):
        ttest_1samp(GROUP_A, np.nan)
    with pytest.raises(ValueError, match=r"sigma must be finite and > 0, got -1.0"):
        ztest(GROUP_A, sigma=-1.0)
    with pytest.raises(TypeError, match="sigma must be a positive number for a one-sample test"):
        ztest(GROUP_A, sigma=(1.0, 2.0))
    with pytest.raises(TypeError, match=r"sigma must be a positive number or a pair \(sigma_a, sigma_b\)"):
        ztest(GROUP_A, GROUP_B, sigma=(1.0, 2.0, 3.0))
    with pytest.raises(TypeError, match="equal_var must be True or False"):
        ttest_ind(GROUP_A, GROUP_B, equal_var=None)


# ------------------------------------------------------------------- the result object


def test_result_unpacks_prints_and_is_frozen():
    res = ttest_ind(GROUP_A, GROUP_B, equal_var=False)
    t, p = res
    assert (t, p) == (res.statistic, res.pvalue) == (res[0], res[1]) and len(res) == 2
    assert res.estimate == pytest.approx(np.mean(GROUP_A) - np.mean(GROUP_B), rel=1e-15)
    with pytest.raises(FrozenInstanceError):
        res.pvalue = 0.5
    low, high = res.confidence_interval(0.995)
    ci = res.confidence_interval(0.995)
    assert (ci.low, ci.high, ci.confidence) == (low, high, 0.995)
    assert str(ci) == f"99.5% CI [{low:.6g}, {high:.6g}]"
    text = str(res)
    assert text.splitlines()[0] == "Welch's two-sample t-test (two-sided)"
    for piece in ("t = 5.30723", "df = 11.9982", "p-value = 0.0001862",
                  "mean(a) - mean(b) = 5.57143", "95% CI [3.28411, 7.85874]", "Cohen's d = 2.83683"):
        assert piece in text, piece
    assert "df" not in str(ztest(GROUP_A, GROUP_B)) and "z = 5.30723" in str(ztest(GROUP_A, GROUP_B))
    assert "[-inf, 7.46099]" in str(ttest_rel(GROUP_A, GROUP_B, alternative="less"))
    assert "mean(a) = 85.7143 (null value 80), 95% CI [83.8867, 87.5418]" in str(ttest_1samp(GROUP_A, 80))


def test_confidence_level_is_checked():
    res = ttest_1samp(GROUP_A, 80.0)
    for bad in (0.0, 1.0, 1.5, -0.1, math.nan):
        with pytest.raises(ValueError, match="confidence must lie in"):
            res.confidence_interval(bad)
    with pytest.raises(TypeError, match="confidence must be a real number, got str '95%'"):
        res.confidence_interval("95%")


def test_effect_sizes_in_results():
    a, b = samples(15, 12, 9)
    s_p = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
    d = (a.mean() - b.mean()) / s_p
    assert ttest_ind(a, b).effect_size == pytest.approx(d, rel=1e-13)
    assert ttest_ind(a, b, equal_var=False).effect_size == pytest.approx(d, rel=1e-13)
    res = ttest_rel(a, a + np.random.default_rng(16).normal(0.2, 1.0, 12))
    assert res.effect_size == pytest.approx(res.statistic / math.sqrt(12), rel=1e-13)
    res = ttest_1samp(a, 0.5)
    assert res.effect_size == pytest.approx((a.mean() - 0.5) / a.std(ddof=1), rel=1e-13)


# ---------------------------------------------------------------------- calibration


def test_pvalues_are_uniform_under_the_null():
    """2000 tests on null data per test: KS against U(0, 1) must not reject at 1%."""
    rng = np.random.default_rng(20261125)
    n_sim = 2000
    draws = {
        "student": lambda: ttest_ind(rng.normal(3, 2, 8), rng.normal(3, 2, 13)),
        "welch": lambda: ttest_ind(rng.normal(0, 1, 6), rng.normal(0, 5, 15), equal_var=False),
        "one-sample": lambda: ttest_1samp(rng.normal(1.5, 1, 40), 1.5),
        "paired": lambda: ttest_rel(*(lambda base: (base + rng.normal(0, 1, 10),
                                                    base + rng.normal(0, 1, 10)))(rng.normal(0, 9, 10))),
        "z known sigma": lambda: ztest(rng.normal(0, 2, 5), value=0.0, sigma=2.0),
        "greater": lambda: ttest_ind(rng.normal(0, 1, 9), rng.normal(0, 1, 9), alternative="greater"),
    }
    for name, draw in draws.items():
        pvalues = np.array([draw().pvalue for _ in range(n_sim)])
        ks = stats.kstest(pvalues, "uniform")
        assert ks.pvalue > 0.01, (name, ks)


# ------------------------------------------------------------------ benchmark script


def test_benchmark_script_runs_on_tiny_sizes(monkeypatch):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from benchmarks import run
    from benchmarks import stats as bench

    monkeypatch.setattr(bench, "N_LARGE", 500)
    monkeypatch.setattr(bench, "N_CALLS", 20)
    workloads = list(bench.workloads())
    assert len(workloads) == 3
    for w in workloads:
        w.max_repeat = 1  # one timed run per side is enough to exercise the script
        rows = run.run_workload(w, repeat=1)
        assert rows and all(row[5].startswith("t, p, df max rel diff") for row in rows), rows
        assert all(float(row[5].rsplit(" ", 1)[1]) < 1e-12 for row in rows), rows
