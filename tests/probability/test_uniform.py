"""Uniform against scipy.stats.uniform; its MLE and the exact order-statistic errors."""

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from mlfoundations.probability.uniform import Uniform

RTOL = 1e-12  # same linear formulas as scipy; only rounding order differs

PARAMS = [(0.0, 1.0), (-1.0, 3.0), (1e6, 1e6 + 1e-3), (-1e300, 1e300), (-5e-300, -4e-300)]


def _reference(low, high):
    return stats.uniform(loc=low, scale=high - low)


def _mp_reference(method, low, high, x):
    # exact F and S of the (rounded) points, in 50-digit arithmetic
    mp.mp.dps = 50
    out = []
    for v in x:
        f = min(max((mp.mpf(v) - mp.mpf(low)) / (mp.mpf(high) - mp.mpf(low)), 0), 1)
        value = {"cdf": f, "sf": 1 - f}[method.replace("log", "")]
        out.append(float(mp.log(value)) if method.startswith("log") and value > 0 else
                   (-np.inf if method.startswith("log") else float(value)))
    return np.array(out)


@pytest.mark.parametrize("low, high", PARAMS)
@pytest.mark.parametrize("method", ["pdf", "logpdf", "cdf", "logcdf", "sf", "logsf"])
def test_point_methods_match_scipy_and_exact_values(low, high, method):
    w = high - low
    x = low + w * np.concatenate(
        [[-0.5, 0.0], np.geomspace(1e-12, 0.5, 20), 1 - np.geomspace(0.4, 1e-12, 20), [1.0, 1.5]]
    )
    ours = getattr(Uniform(low, high), method)(x)
    ref = getattr(_reference(low, high), method)(x)
    if method in ("pdf", "logpdf", "cdf"):
        np.testing.assert_allclose(ours, ref, rtol=RTOL, atol=0)
    else:
        # scipy's S = 1 - F and log F loses up to 1e-4 relative near the upper end; ours
        # are the exact values of the rounded points (within 2 ulps)
        exact = _mp_reference(method, low, high, x)
        np.testing.assert_allclose(ours, exact, rtol=1e-15, atol=0)
        far = np.abs(x - high) > 0.25 * w
        np.testing.assert_allclose(ours[far], ref[far], rtol=RTOL, atol=0)
    scalar = [getattr(Uniform(low, high), method)(float(v)) for v in x[::5]]
    # the scalar path uses libm, arrays NumPy's vectorised log/exp: an ulp apart, which
    # the exponential of a density of magnitude e^-100 turns into ~1e-14 relative
    np.testing.assert_allclose(scalar, ours[::5], rtol=1e-13, atol=0)


def test_upper_tail_is_computed_from_the_upper_end():
    d = Uniform(0.0, 1.0)
    x = 1.0 - 2.0**-50
    assert d.sf(x) == 2.0**-50  # exact: (1 - x) / 1
    assert d.logsf(x) == pytest.approx(-50 * math.log(2), rel=1e-15)
    assert d.logcdf(x) == pytest.approx(math.log1p(-(2.0**-50)), rel=1e-15)
    assert d.isf(1e-300) == 1.0 and d.ppf(1e-300) == 1e-300
    assert Uniform(2.0, 6.0).isf(0.25) == 5.0


@pytest.mark.parametrize("low, high", PARAMS[:3])
def test_ppf_isf_match_scipy(low, high):
    q = np.concatenate([[1e-300, 1e-100, 1e-16], np.linspace(0.001, 0.999, 51), [1 - 1e-16]])
    d, ref = Uniform(low, high), _reference(low, high)
    np.testing.assert_allclose(d.ppf(q), ref.ppf(q), rtol=RTOL, atol=0)
    # scipy's isf is ppf(1 - q): rounded where q is tiny; ours is high - q w
    np.testing.assert_allclose(d.isf(q), ref.isf(q), rtol=RTOL, atol=1e-16 * abs(high))
    assert d.ppf(0.0) == low and d.ppf(1.0) == high and d.isf(0.0) == high


def test_outside_the_support():
    d = Uniform(-1.0, 3.0)
    x = [-np.inf, -1.5, -1.0, 3.0, 3.5, np.inf]
    np.testing.assert_array_equal(d.pdf(x), [0, 0, 0.25, 0.25, 0, 0])
    np.testing.assert_array_equal(d.cdf([-2.0, 4.0]), [0.0, 1.0])
    np.testing.assert_array_equal(d.logcdf([-2.0, -1.0, 4.0]), [-np.inf, -np.inf, 0.0])
    np.testing.assert_array_equal(d.logsf([-2.0, 3.0]), [0.0, -np.inf])
    assert d.logpdf(5.0) == -np.inf and d.logcdf(-1.0) == -np.inf and d.logsf(3.0) == -np.inf


def test_invalid_parameters_raise():
    with pytest.raises(ValueError, match=r"low must be < high, got low=2.0, high=1.0"):
        Uniform(2.0, 1.0)
    with pytest.raises(ValueError, match=r"low must be < high, got low=1.0, high=1.0"):
        Uniform([0.0, 1.0], [2.0, 1.0])
    with pytest.raises(ValueError, match="low must be a finite real number"):
        Uniform(-np.inf, 1.0)
    with pytest.raises(ValueError, match="high must be a finite real number"):
        Uniform(0.0, np.nan)
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\], got 2.0"):
        Uniform().ppf(2.0)


def test_scalar_in_scalar_out_and_batches():
    d = Uniform(1.0, 2.0)
    for method in ("pdf", "logpdf", "cdf", "sf", "logcdf", "logsf", "ppf", "isf"):
        assert type(getattr(d, method)(0.3)) is float
    for method in ("mean", "var", "std", "median", "entropy"):
        assert type(getattr(d, method)()) is float
    assert type(d.rvs(rng=0)) is float
    low, high = np.array([0.0, -1.0, 5.0]), np.array([[10.0], [20.0]])
    batch, ref = Uniform(low, high), _reference(low, high)
    x = np.array([0.5, -0.5, 7.0])
    for method in ("pdf", "logpdf", "cdf", "sf"):
        np.testing.assert_allclose(getattr(batch, method)(x), getattr(ref, method)(x), rtol=RTOL)
    assert batch.pdf(0.5).shape == (2, 3)
    np.testing.assert_allclose(batch.mean(), ref.mean(), rtol=RTOL)
    lo, hi = batch.support
    assert lo.shape == hi.shape == (2, 3)
    assert batch.rvs(rng=0).shape == (2, 3)


def test_moments_entropy_median():
    d, ref = Uniform(-1.0, 3.0), _reference(-1.0, 3.0)
    for method in ("mean", "var", "std", "median", "entropy"):
        assert getattr(d, method)() == pytest.approx(getattr(ref, method)(), rel=RTOL)
    assert Uniform(-1e308, 1.5e308).mean() == 0.25e308  # (l + h)/2 would overflow in l + h
    assert d.support == (-1.0, 3.0)


def test_sampler_passes_ks_test():
    d = Uniform(-2.0, 5.0)
    sample = d.rvs(20000, rng=np.random.default_rng(4))
    assert sample.min() >= -2.0 and sample.max() <= 5.0
    assert stats.kstest(sample, d.cdf).pvalue > 0.01


def test_kl_closed_form_inside_and_infinite_outside():
    p, q = Uniform(0.0, 1.0), Uniform(-1.0, 3.0)
    assert p.kl_divergence(q) == pytest.approx(math.log(4.0), rel=1e-15)
    assert q.kl_divergence(p) == np.inf  # q puts mass where p has none
    x = p.rvs(200000, rng=0)
    terms = p.logpdf(x) - q.logpdf(x)  # constant: the Monte Carlo estimate is exact
    assert terms.mean() == pytest.approx(math.log(4.0), rel=1e-14)
    batch = Uniform(np.array([0.0, -2.0]), 1.0).kl_divergence(Uniform(-1.0, 3.0))
    np.testing.assert_allclose(batch, [math.log(4.0), np.inf])


def test_fit_is_min_and_max_with_exact_standard_errors(rng):
    x = rng.uniform(2.0, 5.0, 300)
    fitted = Uniform.fit(x)
    assert fitted.low == x.min() and fitted.high == x.max()
    loc, scale = stats.uniform.fit(x)
    theirs = float(np.sum(stats.uniform(loc, scale).logpdf(x)))
    res = fitted.fit_result
    assert res.log_likelihood >= theirs - 1e-9 * abs(theirs)
    n, w = x.size, x.max() - x.min()
    sd = w * math.sqrt(n) / ((n + 1) * math.sqrt(n + 2))
    assert res.stderr["low"] == pytest.approx(sd, rel=1e-12)
    assert res.stderr["high"] == pytest.approx(sd, rel=1e-12)
    assert res.cov[0, 1] == pytest.approx(w**2 / ((n + 1) ** 2 * (n + 2)), rel=1e-12)
    assert np.isfinite(res.stderr["low"]) and res.converged


def test_reported_standard_error_is_the_sampling_standard_deviation():
    # the spread of min/max over replications matches the reported standard errors
    rng = np.random.default_rng(9)
    n, reps = 40, 40000
    samples = rng.uniform(0.0, 2.0, (reps, n))
    lows, highs = samples.min(axis=1), samples.max(axis=1)
    exact_sd = 2.0 * math.sqrt(n) / ((n + 1) * math.sqrt(n + 2))
    # min and max are nearly exponential (kurtosis ~9): the sample sd has a relative
    # standard deviation of sqrt(8 / reps) / 2 = 0.7%; 3% is over 4 of those
    assert lows.std() == pytest.approx(exact_sd, rel=0.03)
    assert highs.std() == pytest.approx(exact_sd, rel=0.03)
    assert np.corrcoef(lows, highs)[0, 1] == pytest.approx(1.0 / n, abs=0.02)
    fitted = Uniform.fit(samples[0])
    w_hat = samples[0].max() - samples[0].min()
    assert fitted.fit_result.stderr["low"] == pytest.approx(exact_sd * w_hat / 2.0, rel=1e-12)


def test_fit_with_fixed_ends(rng):
    x = rng.uniform(0.0, 1.0, 50)
    fixed_low = Uniform.fit(x, low=0.0)
    assert fixed_low.low == 0.0 and fixed_low.high == x.max()
    n, w = x.size, x.max()
    assert fixed_low.fit_result.stderr["high"] == pytest.approx(
        w * math.sqrt(n) / ((n + 1) * math.sqrt(n + 2)), rel=1e-12
    )
    loc, scale = stats.uniform.fit(x, floc=0.0)
    assert fixed_low.high == pytest.approx(loc + scale, rel=1e-15)
    fixed_high = Uniform.fit(x, high=2.0)
    assert fixed_high.high == 2.0 and fixed_high.low == x.min()
    both = Uniform.fit(x, low=-1.0, high=1.0)
    assert both.fit_result.free == ()


def test_fit_refuses_bad_data():
    with pytest.raises(ValueError, match="data is empty"):
        Uniform.fit([])
    with pytest.raises(ValueError, match="data contains NaN or inf"):
        Uniform.fit([1.0, np.nan])
    with pytest.raises(ValueError, match="zero spread"):
        Uniform.fit([2.0, 2.0])
    with pytest.raises(ValueError, match="zero spread"):
        Uniform.fit([2.0])
    with pytest.raises(ValueError, match=r"min\(data\) = 0.2 is below the fixed low = 0.5"):
        Uniform.fit([0.2, 0.7], low=0.5)
    with pytest.raises(ValueError, match=r"max\(data\) = 0.7 is above the fixed high = 0.5"):
        Uniform.fit([0.2, 0.7], high=0.5)
    with pytest.raises(ValueError, match="low must be < high"):
        Uniform.fit([0.2, 0.7], low=1.0, high=1.0)


@given(
    low=st.floats(-1e6, 1e6),
    width=st.floats(1e-3, 1e6),
    q=st.floats(0.0, 1.0),
)
def test_property_quantiles_invert_the_cdf(low, width, q):
    d = Uniform(low, low + width)
    assert low <= d.ppf(q) <= low + width
    # the quantile is rounded to a multiple of ulp(high): that much of the width is lost
    tol = 4 * np.spacing(abs(low) + width) / width + 1e-15
    assert d.cdf(d.ppf(q)) == pytest.approx(q, abs=tol)
    assert d.sf(d.isf(q)) == pytest.approx(q, abs=tol)
