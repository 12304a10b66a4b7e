"""Exponential against scipy.stats.expon, its closed forms, and its exact tails."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from mlfoundations.probability._fitting import FitResult
from mlfoundations.probability.exponential import Exponential

RTOL = 1e-12  # scipy uses the same expm1/log1p formulas; only rounding order differs

RATES = [1.0, 2.5, 1e-3, 1e3, 1e-300, 1e300]


def _reference(rate):
    return stats.expon(scale=1.0 / rate)


@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize("method", ["pdf", "logpdf", "cdf", "logcdf", "sf", "logsf"])
def test_point_methods_match_scipy(rate, method):
    x = np.concatenate([[0.0], np.geomspace(1e-300, 700.0, 80)]) / rate
    ours = getattr(Exponential(rate), method)(x)
    ref = getattr(_reference(rate), method)(x)
    np.testing.assert_allclose(ours, ref, rtol=RTOL, atol=0)
    scalar = [getattr(Exponential(rate), method)(float(v)) for v in x[::9]]
    # the scalar path uses libm, arrays NumPy's vectorised log/exp: an ulp apart, which
    # the exponential of a density of magnitude e^-100 turns into ~1e-14 relative
    np.testing.assert_allclose(scalar, ours[::9], rtol=1e-13, atol=0)


def test_tails_are_exact():
    d = Exponential(1.0)
    assert d.cdf(1e-18) == 1e-18  # 1 - exp(-x) would round to 0
    assert d.cdf(1e-300) == 1e-300
    assert d.logcdf(1e-300) == pytest.approx(math.log(1e-300), rel=1e-15)
    assert d.sf(700.0) == math.exp(-700.0)
    assert d.logsf(1e4) == -1e4  # exp(-1e4) underflows, its log does not
    assert d.logcdf(40.0) == pytest.approx(-math.exp(-40.0), rel=1e-15)
    assert d.ppf(1e-300) == pytest.approx(1e-300, rel=1e-15)
    assert d.isf(1e-300) == pytest.approx(300 * math.log(10), rel=1e-15)
    assert Exponential(4.0).ppf(0.5) == pytest.approx(math.log(2) / 4, rel=1e-15)


@pytest.mark.parametrize("rate", RATES)
def test_ppf_isf_match_scipy_into_the_tails(rate):
    q = np.concatenate([[1e-300, 1e-100, 1e-16], np.linspace(0.001, 0.999, 51), [1 - 1e-16]])
    d, ref = Exponential(rate), _reference(rate)
    np.testing.assert_allclose(d.ppf(q), ref.ppf(q), rtol=RTOL, atol=0)
    np.testing.assert_allclose(d.isf(q), ref.isf(q), rtol=RTOL, atol=0)
    if 1e-3 <= rate <= 1e3:  # elsewhere q/rate leaves the normal floating-point range
        np.testing.assert_allclose(d.cdf(d.ppf(q)), q, rtol=1e-14)


def test_outside_the_support_and_endpoints():
    d = Exponential(2.0)
    np.testing.assert_array_equal(d.pdf([-1.0, -np.inf, np.inf]), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(d.logpdf([-1.0, np.inf]), [-np.inf, -np.inf])
    np.testing.assert_array_equal(d.cdf([-1.0, 0.0, np.inf]), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(d.sf([-1.0, 0.0, np.inf]), [1.0, 1.0, 0.0])
    assert d.logcdf(0.0) == -np.inf and d.logsf(-1.0) == 0.0 and d.pdf(0.0) == 2.0
    assert d.ppf(0.0) == 0.0 and d.ppf(1.0) == np.inf
    assert d.isf(0.0) == np.inf and d.isf(1.0) == 0.0
    np.testing.assert_array_equal(d.ppf([0.0, 1.0]), [0.0, np.inf])


def test_invalid_inputs_raise():
    for bad in [0.0, -1.0, np.inf, np.nan]:
        with pytest.raises(ValueError, match="rate must be finite and > 0"):
            Exponential(bad)
        with pytest.raises(ValueError, match="rate must be finite and > 0"):
            Exponential([1.0, bad])
    with pytest.raises(TypeError, match="rate must be a real number"):
        Exponential("1")
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\], got 1.5"):
        Exponential().ppf(1.5)
    with pytest.raises(ValueError, match="q contains NaN"):
        Exponential().isf([0.5, np.nan])
    with pytest.raises(ValueError, match="x contains NaN"):
        Exponential().pdf([1.0, np.nan])


def test_scalar_in_scalar_out():
    d = Exponential(1.5)
    for method in ("pdf", "logpdf", "cdf", "sf", "logcdf", "logsf", "ppf", "isf"):
        assert type(getattr(d, method)(0.3)) is float
        assert getattr(d, method)([0.3]).shape == (1,)
    for method in ("mean", "var", "std", "median", "entropy"):
        assert type(getattr(d, method)()) is float
    assert type(d.rvs(rng=0)) is float


def test_batched_parameters_broadcast():
    rate = np.array([[0.5], [1.0], [4.0]])
    d = Exponential(rate)
    x = np.array([0.0, 0.3, 2.0, 10.0])
    ref = _reference(rate)
    assert d.batch_shape == (3, 1)
    for method in ("pdf", "logpdf", "cdf", "sf", "logcdf", "logsf"):
        np.testing.assert_allclose(getattr(d, method)(x), getattr(ref, method)(x), rtol=RTOL)
    np.testing.assert_allclose(d.ppf(np.array([0.1, 0.9])), ref.ppf([0.1, 0.9]), rtol=RTOL)
    np.testing.assert_allclose(d.mean(), ref.mean(), rtol=RTOL)
    assert d.rvs(rng=0).shape == (3, 1)
    assert d.rvs((5, 3, 2), rng=0).shape == (5, 3, 2)
    with pytest.raises(ValueError, match="must contain the parameters' shape"):
        d.rvs(4, rng=0)


def test_moments_entropy_median():
    d, ref = Exponential(2.5), _reference(2.5)
    for method in ("mean", "var", "std", "median", "entropy"):
        assert getattr(d, method)() == pytest.approx(getattr(ref, method)(), rel=RTOL)
    assert d.support == (0.0, np.inf)


def test_sampler_passes_ks_test():
    d = Exponential(3.0)
    sample = d.rvs(20000, rng=np.random.default_rng(2))
    assert sample.min() >= 0.0
    assert stats.kstest(sample, d.cdf).pvalue > 0.01
    np.testing.assert_array_equal(Exponential().rvs(4, rng=7), Exponential().rvs(4, rng=7))


def test_kl_closed_form_and_monte_carlo():
    p, q = Exponential(2.0), Exponential(0.5)
    exact = math.log(2.0 / 0.5) + 0.5 / 2.0 - 1.0
    assert p.kl_divergence(q) == pytest.approx(exact, rel=1e-14)
    x = p.rvs(200000, rng=0)
    terms = p.logpdf(x) - q.logpdf(x)
    assert abs(terms.mean() - exact) < 4 * terms.std() / np.sqrt(x.size)
    assert p.kl_divergence(p) == 0.0


def test_fit_matches_scipy_and_closed_form(rng):
    x = rng.exponential(0.4, 1000)
    fitted = Exponential.fit(x)
    _, scale = stats.expon.fit(x, floc=0)
    assert fitted.rate == pytest.approx(1 / scale, rel=1e-14)
    assert fitted.rate == pytest.approx(1 / x.mean(), rel=1e-15)
    res = fitted.fit_result
    assert isinstance(res, FitResult) and res.free == ("rate",) and res.n_iter == 0
    theirs = float(np.sum(stats.expon(scale=scale).logpdf(x)))
    assert res.log_likelihood >= theirs - 1e-9 * abs(theirs)
    assert res.stderr["rate"] == pytest.approx(fitted.rate / math.sqrt(x.size), rel=1e-12)
    numerical = super(Exponential, fitted)._information(x, ("rate",))
    np.testing.assert_allclose(fitted._information(x, ("rate",)), numerical, rtol=1e-6)
    assert Exponential.fit(x, rate=2.0).rate == 2.0
    assert Exponential.fit([0.0, 1.0, 3.0]).rate == pytest.approx(0.75, rel=1e-15)


def test_fit_refuses_bad_data():
    with pytest.raises(ValueError, match="data is empty"):
        Exponential.fit([])
    with pytest.raises(ValueError, match="data contains NaN or inf"):
        Exponential.fit([1.0, np.inf])
    with pytest.raises(ValueError, match=r"needs data >= 0 .* got min\(data\) = -0.5"):
        Exponential.fit([1.0, -0.5])
    with pytest.raises(ValueError, match="data are all zero"):
        Exponential.fit([0.0, 0.0])
    with pytest.raises(TypeError, match="unknown parameter"):
        Exponential.fit([1.0], scale=1.0)


@given(rate=st.floats(1e-100, 1e100), q=st.floats(1e-200, 1.0))
def test_property_quantiles_invert_the_cdf(rate, q):
    # two roundings (of the quantile and of rate x) and log1p/expm1: a few ulps
    d = Exponential(rate)
    assert d.cdf(d.ppf(q)) == pytest.approx(q, rel=1e-14)
    x = d.isf(q)
    assert d.sf(x) == pytest.approx(q, rel=1e-15 * max(1.0, rate * x))
