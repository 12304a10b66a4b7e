"""Confidence intervals against scipy.stats and statsmodels; degenerate input; coverage.

Tolerances: 1e-12 relative against the references on the same data (both sides
evaluate the same closed forms with the same special functions; the sums differ in
rounding only). Interval ends also get an absolute ``1e-12 * standard_error``,
since an end near 0 is the difference of two comparable numbers. The bootstrap
draws its resampling indices as scipy.stats.bootstrap does, so with the same seed
the two give the same interval (1e-12); with different seeds they agree within
Monte Carlo error. Coverage: 4000 simulated data sets with fixed seeds, 95%
intervals must cover the truth in 95 +- 1.5% of them (the binomial standard error
of the observed share is 0.34%).
"""

import math
import sys
import warnings
from dataclasses import FrozenInstanceError
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from mlfoundations.stats._results import ConfidenceInterval
from mlfoundations.stats.intervals import (
    BootstrapInterval,
    IntervalEstimate,
    bootstrap_ci,
    confidence_interval,
    mean_difference_ci,
    proportion_ci,
)
from mlfoundations.stats import ttest_ind

proportion = pytest.importorskip("statsmodels.stats.proportion")

RTOL = 1e-12
CONFIDENCES = (0.95, 0.5, 0.99, 0.001)


def assert_interval(ours, low, high, se=0.0):
    np.testing.assert_allclose([ours.low, ours.high], [low, high], rtol=RTOL, atol=1e-12 * se)


# ------------------------------------------------------------------ t interval for a mean

MEAN_CASES = {
    "normal n=30": np.random.default_rng(0).normal(3.0, 2.0, 30),
    "n=2": np.array([1.5, 4.0]),
    "n=1e5 offset 1e6": 1e6 + np.random.default_rng(1).normal(size=100_000),
    "near zero mean": np.random.default_rng(2).normal(0.0, 1.0, 50),
    "skewed": np.random.default_rng(3).exponential(size=200),
    "integers": np.arange(1, 11),
}


@pytest.mark.parametrize("confidence", CONFIDENCES)
@pytest.mark.parametrize("case", MEAN_CASES, ids=str)
def test_t_interval_equals_the_guides_scipy_recipe(case, confidence):
    x = MEAN_CASES[case]
    ours = confidence_interval(x, confidence)
    low, high = stats.t.interval(confidence, len(x) - 1, loc=np.mean(x), scale=stats.sem(x))
    assert_interval(ours, low, high, stats.sem(x))
    assert ours.estimate == pytest.approx(np.mean(x), rel=1e-14)
    assert ours.standard_error == pytest.approx(stats.sem(x), rel=RTOL)
    assert ours.df == len(x) - 1 and ours.confidence == confidence


@pytest.mark.parametrize("confidence", [1 - 1e-6, 1 - 1e-12])
def test_t_interval_at_extreme_confidence(confidence):
    # The recipe's upper end evaluates ppf(1 - alpha/2), and 1 - alpha/2 = 1 - 5e-7 is
    # itself rounded (relative error ~1e-10 in alpha/2); the interval here uses
    # isf(alpha/2) for both ends, so the reference is mean -+ sem * t.isf(alpha/2).
    x = MEAN_CASES["normal n=30"]
    ours = confidence_interval(x, confidence)
    half = stats.sem(x) * stats.t.isf((1 - confidence) / 2, len(x) - 1)
    assert_interval(ours, np.mean(x) - half, np.mean(x) + half, stats.sem(x))
    recipe_low, _ = stats.t.interval(confidence, len(x) - 1, loc=np.mean(x), scale=stats.sem(x))
    assert ours.low == pytest.approx(recipe_low, rel=RTOL)


def test_t_interval_is_the_one_sample_t_test_interval():
    x = MEAN_CASES["normal n=30"]
    ours = confidence_interval(x, 0.9)
    ref = stats.ttest_1samp(x, 0.0).confidence_interval(0.9)
    assert_interval(ours, ref.low, ref.high, ours.standard_error)


@pytest.mark.parametrize("scale", [2.0**-700, 2.0**700])
def test_t_interval_scales_exactly_where_scipy_overflows(scale):
    # a power of two scales every float exactly; the recipe's variance overflows
    # (or underflows) at 1e+-210, the interval does not
    x = MEAN_CASES["normal n=30"]
    ref = confidence_interval(x)
    ours = confidence_interval(x * scale)
    np.testing.assert_allclose([ours.low, ours.high], [ref.low * scale, ref.high * scale], rtol=1e-14)


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=30).filter(lambda v: np.ptp(v) > 1e-3),
       st.floats(0.01, 0.99))
def test_t_interval_contains_the_mean_and_grows_with_confidence(values, confidence):
    ci = confidence_interval(values, confidence)
    wider = confidence_interval(values, min(0.999, confidence + 0.005))
    assert ci.low < ci.estimate < ci.high
    assert wider.low <= ci.low and ci.high <= wider.high
    # symmetric about the mean
    assert ci.high - ci.estimate == pytest.approx(ci.estimate - ci.low, rel=1e-9, abs=1e-9)


# ------------------------------------------------------------ difference of two means

DIFFERENCE_CASES = [  # (seed, n_a, n_b, shift, scale_b, offset)
    (0, 7, 7, 0.3, 1.0, 0.0),
    (1, 30, 45, -0.5, 3.0, 10.0),
    (2, 2, 2, 1.0, 1.0, 0.0),
    (3, 2, 500, 0.2, 0.1, -5.0),
    (4, 1000, 1200, 0.05, 1.0, 1e4),
]


@pytest.mark.parametrize("equal_var", [True, False])
@pytest.mark.parametrize("confidence", (0.95, 0.8, 0.9999))
@pytest.mark.parametrize("case", DIFFERENCE_CASES)
def test_mean_difference_equals_scipy_ttest_interval(case, confidence, equal_var):
    seed, n_a, n_b, shift, scale_b, offset = case
    rng = np.random.default_rng(seed)
    a, b = rng.normal(offset, 1.0, n_a), rng.normal(offset + shift, scale_b, n_b)
    ours = mean_difference_ci(a, b, equal_var=equal_var, confidence=confidence)
    ref = stats.ttest_ind(a, b, equal_var=equal_var)
    low, high = ref.confidence_interval(confidence)
    # means of data of size |offset| carry rounding errors of a few eps |offset| (ours
    # come from corrected sums, scipy's from np.mean); their difference keeps them
    atol = 1e-12 * ours.standard_error + 8 * np.finfo(float).eps * abs(offset)
    np.testing.assert_allclose([ours.low, ours.high], [low, high], rtol=RTOL, atol=atol)
    assert ours.df == pytest.approx(ref.df, rel=RTOL)
    # and the library's own t-test gives the same interval
    mine = ttest_ind(a, b, equal_var=equal_var).confidence_interval(confidence)
    assert_interval(ours, mine.low, mine.high, ours.standard_error)


def test_mean_difference_estimate_is_accurate_for_offset_data():
    rng = np.random.default_rng(4)
    a, b = rng.normal(1e4, 1.0, 1000), rng.normal(1e4 + 0.05, 1.0, 1200)
    exact = float(sum(map(Fraction, a)) / a.size - sum(map(Fraction, b)) / b.size)
    # each mean correctly rounded up to a few ulps of 1e4 (np.mean's error here: 1.8e-12)
    assert abs(mean_difference_ci(a, b).estimate - exact) <= 2 * np.spacing(1e4)


def test_pooled_interval_accepts_a_sample_of_one():
    a, b = [2.0, 3.0, 5.0], [1.5]
    ours = mean_difference_ci(a, b)
    low, high = stats.ttest_ind(a, b).confidence_interval()
    assert_interval(ours, low, high, ours.standard_error)
    assert ours.df == 2


# ------------------------------------------------------------------------ proportions

SM_METHOD = {"wilson": "wilson", "wald": "normal", "clopper-pearson": "beta"}
PROPORTION_CASES = [(x, n) for n in (1, 2, 10, 37, 1000, 10**6) for x in sorted({0, 1, n // 3, n - 1, n})]


@pytest.mark.parametrize("method", SM_METHOD)
@pytest.mark.parametrize("confidence", (0.95, 0.8, 0.999))
@pytest.mark.parametrize("x, n", PROPORTION_CASES)
def test_proportion_ci_equals_statsmodels(x, n, confidence, method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # Wald at x = 0 or n
        ours = proportion_ci(x, n, confidence=confidence, method=method)
    low, high = proportion.proportion_confint(x, n, alpha=1 - confidence, method=SM_METHOD[method])
    # statsmodels leaves rounding residue (1e-17) at the exact ends 0 and 1
    np.testing.assert_allclose([ours.low, ours.high], [low, high], rtol=RTOL, atol=1e-15)
    assert ours.estimate == x / n and 0.0 <= ours.low <= ours.estimate <= ours.high <= 1.0


@pytest.mark.parametrize("method, scipy_method", [("wilson", "wilson"), ("clopper-pearson", "exact")])
@pytest.mark.parametrize("x, n", [(0, 5), (3, 5), (17, 40), (999, 1000)])
def test_proportion_ci_equals_scipy_binomtest(x, n, method, scipy_method):
    ours = proportion_ci(x, n, confidence=0.9, method=method)
    ref = stats.binomtest(x, n).proportion_ci(confidence_level=0.9, method=scipy_method)
    # binomtest finds the Clopper-Pearson ends with a root finder (to ~1e-12 relative),
    # statsmodels (tested above at 1e-12) evaluates the Beta quantiles directly
    rtol = RTOL if method == "wilson" else 1e-10
    np.testing.assert_allclose([ours.low, ours.high], [ref.low, ref.high], rtol=rtol, atol=1e-15)


def test_proportion_ends_are_exact_at_zero_and_n():
    for method in ("wilson", "clopper-pearson"):
        assert proportion_ci(0, 12, method=method).low == 0.0
        assert proportion_ci(12, 12, method=method).high == 1.0
    # Clopper-Pearson at x = 0: (alpha/2)^(1/n) solves P(X = 0) = alpha/2
    assert proportion_ci(0, 20, method="clopper-pearson").high == pytest.approx(1 - 0.025 ** (1 / 20), rel=1e-14)


def test_wald_at_the_boundary_warns_and_collapses():
    with pytest.warns(RuntimeWarning, match=r"the Wald interval has zero width at successes=0, n=30"):
        ci = proportion_ci(0, 30, method="wald")
    assert (ci.low, ci.high) == (0.0, 0.0)
    with pytest.warns(RuntimeWarning, match="zero width"):
        assert tuple(proportion_ci(30, 30, method="wald")) == (1.0, 1.0)


# -------------------------------------------------------------------------- bootstrap

SKEWED = np.random.default_rng(4).exponential(size=40)


def median(x, axis):
    return np.median(x, axis=axis)


@pytest.mark.parametrize("confidence", (0.95, 0.9))
@pytest.mark.parametrize("method, scipy_method", [("percentile", "percentile"), ("bca", "BCa")])
@pytest.mark.parametrize("statistic", [np.mean, median, np.std], ids=["mean", "median", "std"])
def test_bootstrap_equals_scipy_with_the_same_seed(statistic, method, scipy_method, confidence):
    ours = bootstrap_ci(SKEWED, statistic, method=method, confidence=confidence, rng=5)
    ref = stats.bootstrap((SKEWED,), statistic, method=scipy_method, confidence_level=confidence,
                          rng=5)
    assert_interval(ours, *ref.confidence_interval, ref.standard_error)
    assert ours.standard_error == pytest.approx(ref.standard_error, rel=RTOL)
    np.testing.assert_array_equal(ours.bootstrap_distribution, ref.bootstrap_distribution)


@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_bootstrap_does_not_depend_on_batch_or_vectorisation(method):
    full = bootstrap_ci(SKEWED, np.mean, method=method, n_resamples=500, rng=6)
    for kw in ({"batch": 1}, {"batch": 7}, {"batch": 10_000}):
        other = bootstrap_ci(SKEWED, np.mean, method=method, n_resamples=500, rng=6, **kw)
        np.testing.assert_array_equal(other.bootstrap_distribution, full.bootstrap_distribution)
        assert (other.low, other.high) == (full.low, full.high)

    def mean_no_axis(x):
        return np.mean(x)

    loop = bootstrap_ci(SKEWED, mean_no_axis, method=method, n_resamples=500, rng=6)
    np.testing.assert_allclose(loop.bootstrap_distribution, full.bootstrap_distribution, rtol=1e-14)
    assert_interval(loop, full.low, full.high, full.standard_error)


def test_bca_from_a_given_bootstrap_distribution_equals_scipy_and_the_formula():
    # Deterministic: given the bootstrap distribution, the BCa interval is fixed.
    ours = bootstrap_ci(SKEWED, np.mean, method="bca", n_resamples=3000, rng=7)
    # scipy extends a previous result by n_resamples = 0 new resamples: same distribution
    ref = stats.bootstrap((SKEWED,), np.mean, method="BCa", n_resamples=0, bootstrap_result=ours)
    assert_interval(ours, *ref.confidence_interval, ours.standard_error)
    # Efron & Tibshirani (14.10)-(14.15), written out with a plain loop
    theta_b, theta = ours.bootstrap_distribution, np.mean(SKEWED)
    z0 = stats.norm.ppf((np.sum(theta_b < theta) + np.sum(theta_b <= theta)) / (2 * theta_b.size))
    jack = np.array([np.mean(np.delete(SKEWED, i)) for i in range(SKEWED.size)])
    d = jack.mean() - jack
    a = np.sum(d**3) / (6 * np.sum(d**2) ** 1.5)
    levels = [stats.norm.cdf(z0 + (z0 + z) / (1 - a * (z0 + z))) for z in stats.norm.ppf([0.025, 0.975])]
    assert ours.bias_correction == pytest.approx(z0, rel=1e-14)
    assert ours.acceleration == pytest.approx(a, rel=1e-12)
    assert_interval(ours, *np.quantile(theta_b, levels), ours.standard_error)


@pytest.mark.parametrize("method, scipy_method", [("percentile", "percentile"), ("bca", "BCa")])
def test_bootstrap_agrees_with_scipy_within_monte_carlo_error(method, scipy_method):
    ours = bootstrap_ci(SKEWED, np.mean, method=method, rng=8)
    ref = stats.bootstrap((SKEWED,), np.mean, method=scipy_method, rng=9)
    # an end is a quantile of B = 9999 draws: its standard error is about
    # sqrt(0.025 * 0.975 / B) / phi(1.96) = 0.027 bootstrap standard errors; the
    # difference of two independent ones, 5 sigma: 0.2
    tolerance = 0.2 * ref.standard_error
    assert abs(ours.low - ref.confidence_interval.low) < tolerance
    assert abs(ours.high - ref.confidence_interval.high) < tolerance
    assert ours.standard_error == pytest.approx(ref.standard_error, rel=0.05)


def test_constant_data_gives_a_point_with_a_warning():
    for method in ("percentile", "bca"):
        with pytest.warns(RuntimeWarning, match=r"every bootstrap resample gives the statistic the value 2.5"):
            ci = bootstrap_ci([2.5] * 6, np.mean, method=method, n_resamples=50, rng=0)
        assert (ci.low, ci.high, ci.standard_error) == (2.5, 2.5, 0.0)


def test_bca_undefined_when_every_replicate_is_on_one_side():
    # a resample of n distinct values almost surely repeats one: fewer distinct values
    def n_distinct(x):
        return float(np.unique(x).size)

    with pytest.raises(ValueError, match=r"BCa is undefined here: every bootstrap replicate lies "
                                         r"below statistic\(data\)=20.0.*use method='percentile'"):
        bootstrap_ci(np.arange(20.0), n_distinct, method="bca", n_resamples=200, rng=0)
    ci = bootstrap_ci(np.arange(20.0), n_distinct, n_resamples=200, rng=0)
    assert ci.high < 20.0


def test_bca_with_constant_jackknife_uses_zero_acceleration():
    # every leave-one-out median of this sample is 3; resampled medians vary
    data = [1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 3.0, 4.0, 5.0]
    with pytest.warns(RuntimeWarning, match=r"same value on every jackknife sample.*a = 0 is used"):
        ci = bootstrap_ci(data, median, method="bca", n_resamples=999, rng=1)
    assert ci.acceleration == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns about its own NaN
        ref = stats.bootstrap((np.array(data),), median, method="BCa", n_resamples=0,
                              bootstrap_result=ci)
    assert np.isnan(ref.confidence_interval.low)  # scipy's 0/0 gives NaN, ours a = 0
    assert math.isfinite(ci.low) and ci.low <= 3.0 <= ci.high


# ------------------------------------------------------------------- result contracts


def test_results_unpack_print_and_are_frozen():
    ci = confidence_interval([4.8, 5.1, 5.6, 5.0, 4.9, 5.3])
    low, high = ci
    assert (low, high) == (ci.low, ci.high)
    assert isinstance(ci, IntervalEstimate) and isinstance(ci, ConfidenceInterval)
    with pytest.raises(FrozenInstanceError):
        ci.low = 0.0
    assert str(ci) == "mean = 5.11667, 95% CI [4.80951, 5.42382] (Student's t, df = 5, standard error = 0.11949)"
    assert str(proportion_ci(7, 20)) == (
        "proportion = 0.35, 95% CI [0.181192, 0.567146] (Wilson score, standard error = 0.106654)"
    )
    boot = bootstrap_ci(SKEWED, np.mean, method="bca", n_resamples=999, rng=0)
    assert isinstance(boot, BootstrapInterval) and len(tuple(boot)) == 2
    assert str(boot).startswith("mean = 1.33365, 95% CI [") and "(bootstrap BCa, 999 resamples, standard error = " in str(boot)
    assert boot == bootstrap_ci(SKEWED, np.mean, method="bca", n_resamples=999, rng=0)


# ---------------------------------------------------------------- degenerate input


def test_zero_variance_gives_the_point_with_a_warning():
    with pytest.warns(RuntimeWarning, match=r"data has zero variance: the standard error is 0"):
        ci = confidence_interval([3.0, 3.0, 3.0])
    assert (ci.low, ci.high) == (3.0, 3.0)
    # equal means too: the interval [0, 0] is still defined (the t-test's 0/0 is not)
    with pytest.warns(RuntimeWarning, match=r"both samples have zero variance"):
        ci = mean_difference_ci([1.0, 1.0], [1.0, 1.0, 1.0])
    assert (ci.low, ci.high) == (0.0, 0.0)
    with pytest.warns(RuntimeWarning, match=r"both samples have zero variance"):
        assert tuple(mean_difference_ci([2.0, 2.0], [1.0, 1.0], equal_var=False)) == (1.0, 1.0)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: confidence_interval([1.0]), ValueError,
         r"data needs at least 2 observations for a t interval \(df = n - 1 >= 1\), got 1"),
        (lambda: confidence_interval([]), ValueError, r"data is empty"),
        (lambda: confidence_interval([1.0, np.nan, 2.0]), ValueError, r"data contains NaN"),
        (lambda: confidence_interval([[1.0, 2.0], [3.0, 4.0]]), ValueError, r"data must be 1-D"),
        (lambda: confidence_interval([1.0, 2.0], 1.0), ValueError, r"confidence must lie in \(0, 1\), got 1.0"),
        (lambda: confidence_interval([1.0, 2.0], 0), ValueError, r"confidence must lie in \(0, 1\), got 0.0"),
        (lambda: confidence_interval([1.0, 2.0], True), TypeError, r"confidence must be a real number"),
        (lambda: confidence_interval([1.0, 2.0], "95%"), TypeError, r"confidence must be a real number"),
        (lambda: mean_difference_ci([1.0], [2.0]), ValueError,
         r"the pooled t interval needs n_a \+ n_b >= 3 observations"),
        (lambda: mean_difference_ci([1.0], [2.0, 3.0], equal_var=False), ValueError,
         r"Welch's t interval needs at least 2 observations in each sample"),
        (lambda: mean_difference_ci([1.0, np.inf], [2.0, 3.0]), ValueError, r"a contains inf"),
        (lambda: mean_difference_ci([1.0, 2.0], [2.0, 3.0], equal_var="yes"), TypeError,
         r"equal_var must be True or False"),
        (lambda: proportion_ci(5, 4), ValueError, r"successes=5 must not exceed the number of trials n=4"),
        (lambda: proportion_ci(0, 0), ValueError, r"n must be >= 1, got 0"),
        (lambda: proportion_ci(-1, 4), ValueError, r"successes must be >= 0, got -1"),
        (lambda: proportion_ci(2.0, 4), TypeError, r"successes must be an integer, got float"),
        (lambda: proportion_ci(2, 4, method="exact"), ValueError,
         r"method must be 'wilson', 'wald' or 'clopper-pearson', got 'exact'"),
        (lambda: proportion_ci(2, 4, confidence=95), ValueError, r"confidence must lie in \(0, 1\)"),
        (lambda: bootstrap_ci([1.0], np.mean), ValueError,
         r"data needs at least 2 observations to bootstrap .*got 1"),
        (lambda: bootstrap_ci([], np.mean), ValueError, r"data is empty"),
        (lambda: bootstrap_ci([1.0, np.nan], np.mean), ValueError, r"data contains NaN"),
        (lambda: bootstrap_ci([1.0, 2.0], "mean"), TypeError, r"statistic must be callable, got str"),
        (lambda: bootstrap_ci([1.0, 2.0], np.mean, method="basic"), ValueError,
         r"method must be 'percentile' or 'bca', got 'basic'"),
        (lambda: bootstrap_ci([1.0, 2.0], np.mean, n_resamples=1), ValueError, r"n_resamples must be >= 2, got 1"),
        (lambda: bootstrap_ci([1.0, 2.0], np.mean, batch=0), ValueError, r"batch must be >= 1, got 0"),
        (lambda: bootstrap_ci([1.0, 2.0], np.mean, rng="seed"), TypeError, r"rng must be None, an int seed"),
        (lambda: bootstrap_ci([1.0, 2.0], lambda x: np.nan), ValueError,
         r"statistic returned NaN or inf on 1 of the 1 data"),
        (lambda: bootstrap_ci([1.0, 2.0], lambda x: 1.0 / (x[0] - x[1]), n_resamples=50, rng=0), ValueError,
         r"statistic returned NaN or inf on \d+ of the 50 bootstrap resamples"),
        (lambda: bootstrap_ci([1.0, 2.0], lambda x, axis: np.zeros(3)), ValueError,
         r"statistic must return one number per sample; on the data \(1 of them"),
    ],
)
def test_errors(call, error, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the 1 / 0 statistic above
        with pytest.raises(error, match=match):
            call()


def test_bootstrap_method_name_is_case_insensitive():
    ours = bootstrap_ci(SKEWED, np.mean, method="BCa", n_resamples=200, rng=0)
    assert ours == bootstrap_ci(SKEWED, np.mean, method="bca", n_resamples=200, rng=0)


# ------------------------------------------------------------------------- coverage

N_SIMULATIONS = 4000


def assert_covers(hits):
    coverage = np.mean(hits)
    assert abs(coverage - 0.95) <= 0.015, f"coverage {coverage:.4f}"


def test_t_interval_coverage():
    rng = np.random.default_rng(100)
    assert_covers([(lambda c: c.low <= 5.0 <= c.high)(confidence_interval(rng.normal(5.0, 2.0, 10)))
                   for _ in range(N_SIMULATIONS)])


@pytest.mark.parametrize("equal_var, scale_b, n_b", [(True, 1.0, 12), (False, 3.0, 15)])
def test_mean_difference_coverage(equal_var, scale_b, n_b):
    # pooled: equal variances (exact); Welch: unequal variances and sizes (approximate)
    rng = np.random.default_rng(101)
    hits = []
    for _ in range(N_SIMULATIONS):
        ci = mean_difference_ci(rng.normal(1.0, 1.0, 6), rng.normal(0.0, scale_b, n_b), equal_var=equal_var)
        hits.append(ci.low <= 1.0 <= ci.high)
    assert_covers(hits)


@pytest.mark.parametrize("method", ["wilson", "wald", "clopper-pearson"])
def test_proportion_coverage(method):
    # n = 200, pi = 0.4: exact coverages 94.9% (Wilson, Wald) and 95.7% (Clopper-Pearson)
    successes = np.random.default_rng(102).binomial(200, 0.4, N_SIMULATIONS)
    assert_covers([(lambda c: c.low <= 0.4 <= c.high)(proportion_ci(int(x), 200, method=method))
                   for x in successes])


@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_bootstrap_coverage(method):
    # Mean of 150 normal observations, 299 resamples. The bootstrap itself undercovers
    # here: 94.4% (percentile) and 94.2% (BCa) in a separate 8000-run simulation, from
    # the plug-in variance (n - 1)/n, normal rather than t tails, and B = 299.
    rng = np.random.default_rng(103)
    hits = []
    for _ in range(N_SIMULATIONS):
        ci = bootstrap_ci(rng.normal(0.0, 1.0, 150), np.mean, method=method, n_resamples=299, rng=rng)
        hits.append(ci.low <= 0.0 <= ci.high)
    assert_covers(hits)


# ------------------------------------------------------------------------ benchmark


def test_benchmark_workloads_agree_with_their_peers_on_tiny_sizes(monkeypatch):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    stats_intervals = pytest.importorskip("benchmarks.stats_intervals")
    for name, size in [("N_MEAN", 1000), ("N_BOOTSTRAP", 30), ("B_BOOTSTRAP", 199),
                       ("N_PERMUTATION", 12), ("B_PERMUTATION", 199), ("N_RANKS", 40),
                       ("N_PVALUES", 100)]:
        monkeypatch.setattr(stats_intervals, name, size)
    workloads = list(stats_intervals.workloads())
    assert len(workloads) == 5
    for w in workloads:
        verdicts = w.check(w.ours(), {peer: fn() for peer, fn in w.peers.items()})
        for verdict in verdicts.values():
            assert float(verdict.rsplit("diff", 1)[1]) < 1e-12, (w.name, verdict)
