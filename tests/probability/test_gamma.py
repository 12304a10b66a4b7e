"""Gamma and ChiSquare against scipy.stats.gamma / chi2, mpmath, and their closed forms."""

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special, stats

from mlfoundations.probability._fitting import FitResult
from mlfoundations.probability._gamma_functions import (
    log_minus_digamma,
    inverse_a_minus_trigamma,
    quantile,
    sums_of_x_and_log_x,
)
from mlfoundations.probability.gamma import ChiSquare, Gamma

RTOL = 1e-12  # scipy evaluates the same special functions; only rounding order differs
MP_RTOL = 1e-13  # against 40-digit mpmath where scipy itself is the less accurate side

# (shape, rate): tiny, below 1, exponential, moderate, large shapes; extreme rates
PARAMS = [(2.5, 1.0), (0.7, 3.0), (1.0, 2.0), (0.05, 1.0), (30.0, 0.1), (2.5, 1e-100), (2.5, 1e100)]


def _reference(shape, rate):
    return stats.gamma(shape, scale=1.0 / rate)


def _grid(shape, rate):
    # from deep in the lower tail to deep in the upper tail of Gamma(shape, 1), scaled
    y = np.concatenate([np.geomspace(1e-30, 0.5 * shape, 30), np.linspace(0.5, 4, 12) * shape,
                        shape + np.geomspace(1, 600, 20)])
    return y / rate


@pytest.mark.parametrize("shape, rate", PARAMS)
@pytest.mark.parametrize("method", ["pdf", "logpdf", "cdf", "logcdf", "sf", "logsf"])
def test_point_methods_match_scipy(shape, rate, method):
    x = _grid(shape, rate)
    ours = getattr(Gamma(shape, rate), method)(x)
    ref = getattr(_reference(shape, rate), method)(x)
    # where scipy's log of an underflowed probability is -inf ours stays finite (checked
    # against mpmath below); compare the rest
    keep = np.isfinite(ref) | ~np.isfinite(ours)
    np.testing.assert_allclose(ours[keep], ref[keep], rtol=RTOL, atol=0)
    scalar = [getattr(Gamma(shape, rate), method)(float(v)) for v in x[::7]]
    # the scalar path uses libm, arrays NumPy's vectorised log/exp: an ulp apart, which
    # the exponential of a density of magnitude e^-100 turns into ~1e-14 relative
    np.testing.assert_allclose(scalar, ours[::7], rtol=1e-13, atol=0)


def _mp_log_density(a, rate, x):
    a, rate, x = mp.mpf(a), mp.mpf(rate), mp.mpf(x)
    return (a - 1) * mp.log(rate * x) - rate * x + mp.log(rate) - mp.loggamma(a)


@pytest.mark.parametrize("shape", [150.0, 1e3, 1e5])
def test_large_shape_density_is_accurate_where_the_direct_formula_cancels(shape):
    # (a-1) log x, x and log Gamma(a) are each ~a log a; scipy loses ~1e-11 here
    mp.mp.dps = 40
    x = shape * np.array([0.5, 0.9, 0.99, 1.0, 1.01, 1.1, 2.0])
    ours = Gamma(shape, 2.0).logpdf(x / 2.0)
    ref = np.array([float(_mp_log_density(shape, 2.0, v / 2.0)) for v in x])
    np.testing.assert_allclose(ours, ref, rtol=MP_RTOL, atol=1e-13)
    batch = Gamma(np.array([shape, 2.5]), 2.0).logpdf(x[:, None] / 2.0)[:, 0]
    np.testing.assert_allclose(batch, ref, rtol=MP_RTOL, atol=1e-13)


def test_log_tails_stay_finite_where_probabilities_underflow():
    mp.mp.dps = 40
    d = Gamma(2.5, 2.0)
    for x in [1e-300, 1e-200]:
        ref = mp.log(mp.gammainc(2.5, 0, mp.mpf(2.0) * mp.mpf(x), regularized=True))
        assert d.logcdf(x) == pytest.approx(float(ref), rel=MP_RTOL)
        assert d.cdf(x) == 0.0
    for x in [400.0, 1000.0]:
        ref = mp.log(mp.gammainc(2.5, mp.mpf(2.0) * x, mp.inf, regularized=True))
        assert d.logsf(x) == pytest.approx(float(ref), rel=MP_RTOL)
        assert d.sf(x) == 0.0
    both = d.logsf(np.array([1.0, 400.0, 1000.0]))
    assert np.all(np.isfinite(both)) and np.all(np.diff(both) < 0)
    assert ChiSquare(5.0).logcdf(1e-300) == pytest.approx(
        float(mp.log(mp.gammainc(2.5, 0, mp.mpf(0.5e-300), regularized=True))), rel=MP_RTOL
    )


def test_density_at_the_edges_of_the_support():
    for shape, at_zero in [(0.5, np.inf), (1.0, 3.0), (2.0, 0.0)]:
        d = Gamma(shape, 3.0)
        assert d.pdf(0.0) == pytest.approx(at_zero, rel=1e-15)
        edges = d.pdf(np.array([0.0, np.inf, -1.0]))
        np.testing.assert_allclose(edges, [at_zero, 0.0, 0.0], rtol=1e-15)
        np.testing.assert_array_equal(d.logpdf(np.array([np.inf, -1.0])), [-np.inf, -np.inf])
        assert d.pdf(np.inf) == 0.0 and d.cdf(-1.0) == 0.0 and d.sf(-1.0) == 1.0
    assert Gamma(2.0, 3.0).logpdf(0.0) == -np.inf
    # rate x underflows to 0 for a positive x: the log is log x + log rate, scalar or array
    for shape in (0.5, 2.5):
        tiny = Gamma(shape, 1e-10)
        log_y = math.log(1e-320) + math.log(1e-10)
        exact = (shape - 1) * log_y + math.log(1e-10) - math.lgamma(shape)
        assert tiny.logpdf(1e-320) == pytest.approx(exact, rel=1e-13)
        assert tiny.logpdf(np.array([1e-320, 1.0]))[0] == pytest.approx(exact, rel=1e-13)
    assert Gamma(1.0, 3.0).logpdf(np.array([0.0]))[0] == pytest.approx(math.log(3.0), rel=1e-15)


Q_TAILS = np.concatenate([[1e-300, 1e-100, 1e-16], np.linspace(0.001, 0.999, 51), [1 - 1e-16]])
# >= 500 points: the Halley path (fewer go to scipy's inverse directly)
Q_MANY = np.concatenate(
    [np.geomspace(1e-300, 0.5, 300), np.linspace(0.01, 0.99, 99), 1 - np.geomspace(1e-16, 0.5, 300)]
)


@pytest.mark.parametrize(
    "shape, rate", PARAMS + [(1e-3, 1.0), (0.3, 1.0), (500.0, 1.0), (1e4, 3.0)]
)
@pytest.mark.parametrize("q", [Q_TAILS, Q_MANY], ids=["direct", "halley"])
def test_ppf_isf_match_scipy_into_the_tails(shape, rate, q):
    d, ref = Gamma(shape, rate), _reference(shape, rate)
    np.testing.assert_allclose(d.ppf(q), ref.ppf(q), rtol=RTOL, atol=0)
    np.testing.assert_allclose(d.isf(q), ref.isf(q), rtol=RTOL, atol=0)


def test_quantiles_invert_the_cdf_in_many_regimes():
    # the Halley iteration for every (shape, q) regime, with a batch of shapes
    shapes = np.array([0.3, 0.9, 2.5, 12.0, 250.0])[:, None]
    q = np.linspace(0.0005, 0.9995, 1000)[None, :]
    d = Gamma(shapes, 1.0)
    x = d.ppf(q)
    assert x.shape == (5, 1000)
    np.testing.assert_allclose(d.cdf(x), np.broadcast_to(q, x.shape), rtol=1e-13)
    np.testing.assert_allclose(d.sf(d.isf(q)), np.broadcast_to(q, x.shape), rtol=1e-13)
    np.testing.assert_allclose(x, special.gammaincinv(shapes, q), rtol=RTOL)


def test_quantile_helper_hands_unsettled_points_to_scipy():
    # tiny shapes in the upper tail and underflowing lower quantiles go to scipy's inverse
    p = np.geomspace(1e-300, 0.999, 800)
    for a in [1e-3, 0.1]:
        np.testing.assert_allclose(
            quantile(a, p, False, special.gammaln(a)), special.gammainccinv(a, p), rtol=RTOL
        )
        np.testing.assert_allclose(
            quantile(a, p, True, special.gammaln(a)), special.gammaincinv(a, p), rtol=RTOL
        )


def test_endpoints_and_invalid_probabilities():
    d = Gamma(2.0, 1.0)
    assert d.ppf(0.0) == 0.0 and d.ppf(1.0) == np.inf
    assert d.isf(0.0) == np.inf and d.isf(1.0) == 0.0
    np.testing.assert_array_equal(d.ppf([0.0, 1.0]), [0.0, np.inf])
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\], got 1.5"):
        d.ppf(1.5)
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\]"):
        d.isf([0.5, -0.1])
    with pytest.raises(ValueError, match="q contains NaN"):
        d.ppf([np.nan])


def test_scalar_in_scalar_out():
    d = Gamma(2.5, 1.5)
    for method in ("pdf", "logpdf", "cdf", "sf", "logcdf", "logsf", "ppf", "isf"):
        assert type(getattr(d, method)(0.3)) is float
        assert getattr(d, method)([0.3]).shape == (1,)
    for method in ("mean", "var", "std", "median", "entropy"):
        assert type(getattr(d, method)()) is float
    assert type(d.rvs(rng=0)) is float
    assert type(ChiSquare(3.0).pdf(1.0)) is float


def test_batched_parameters_broadcast():
    shape = np.array([0.5, 2.0, 7.0])
    rate = np.array([[1.0], [3.0]])
    d = Gamma(shape, rate)
    assert d.batch_shape == (2, 3)
    x = np.array([0.2, 1.0, 3.0])
    ref = stats.gamma(shape, scale=1.0 / rate)
    for method in ("pdf", "logpdf", "cdf", "sf", "logcdf", "logsf"):
        np.testing.assert_allclose(getattr(d, method)(x), getattr(ref, method)(x), rtol=RTOL)
    np.testing.assert_allclose(d.ppf(0.3), ref.ppf(0.3), rtol=RTOL)
    np.testing.assert_allclose(d.mean(), ref.mean(), rtol=RTOL)
    np.testing.assert_allclose(d.var(), ref.var(), rtol=RTOL)
    np.testing.assert_allclose(d.entropy(), ref.entropy(), rtol=RTOL)
    assert d.rvs(rng=0).shape == (2, 3)
    assert d.rvs((4, 2, 3), rng=0).shape == (4, 2, 3)
    with pytest.raises(ValueError, match="must contain the parameters' shape"):
        d.rvs(3, rng=0)
    with pytest.raises(ValueError, match="do not broadcast"):
        Gamma([1.0, 2.0], [1.0, 2.0, 3.0])
    np.testing.assert_allclose(ChiSquare(shape).pdf(x), stats.chi2(shape).pdf(x), rtol=RTOL)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.inf, np.nan])
def test_invalid_parameters_raise(bad):
    with pytest.raises(ValueError, match="shape must be finite and > 0"):
        Gamma(bad)
    with pytest.raises(ValueError, match="rate must be finite and > 0"):
        Gamma(1.0, [1.0, bad])
    with pytest.raises(ValueError, match="df must be finite and > 0"):
        ChiSquare(bad)
    with pytest.raises(TypeError, match="shape must be a real number"):
        Gamma("2")


@pytest.mark.parametrize("shape, rate", [(2.5, 1.5), (0.3, 2.0), (40.0, 0.5)])
def test_moments_entropy_median(shape, rate):
    d, ref = Gamma(shape, rate), _reference(shape, rate)
    assert d.mean() == pytest.approx(ref.mean(), rel=RTOL)
    assert d.var() == pytest.approx(ref.var(), rel=RTOL)
    assert d.std() == pytest.approx(ref.std(), rel=RTOL)
    assert d.median() == pytest.approx(ref.median(), rel=RTOL)
    assert d.entropy() == pytest.approx(ref.entropy(), rel=RTOL)
    assert d.support == (0.0, np.inf)


def test_entropy_of_huge_shapes_against_mpmath():
    mp.mp.dps = 40
    for a in [1e4, 1e8]:
        exact = mp.mpf(a) + mp.loggamma(a) + (1 - mp.mpf(a)) * mp.digamma(a) - mp.log(3)
        assert Gamma(a, 3.0).entropy() == pytest.approx(float(exact), rel=MP_RTOL)


def test_chi_square_matches_scipy():
    for df in [0.5, 1.0, 5.0, 80.0]:
        d, ref = ChiSquare(df), stats.chi2(df)
        x = _grid(df / 2, 0.5)
        for method in ("pdf", "logpdf", "cdf", "sf", "logcdf", "logsf"):
            ours, theirs = getattr(d, method)(x), getattr(ref, method)(x)
            keep = np.isfinite(theirs) | ~np.isfinite(ours)
            np.testing.assert_allclose(ours[keep], theirs[keep], rtol=RTOL, atol=0)
        np.testing.assert_allclose(d.ppf(Q_MANY), ref.ppf(Q_MANY), rtol=RTOL)
        np.testing.assert_allclose(d.isf(Q_TAILS), ref.isf(Q_TAILS), rtol=RTOL)
        assert d.mean() == df and d.var() == 2 * df
        assert d.entropy() == pytest.approx(ref.entropy(), rel=RTOL)
        assert d.median() == pytest.approx(ref.median(), rel=RTOL)
    assert repr(ChiSquare(3.0)) == "ChiSquare(df=3.0)"
    assert ChiSquare(3.0).parameters == {"df": 3.0}


def test_sampler_passes_ks_test():
    for d in [Gamma(2.5, 1.5), Gamma(0.2, 4.0), ChiSquare(3.0)]:
        sample = d.rvs(20000, rng=np.random.default_rng(1))
        assert stats.kstest(sample, d.cdf).pvalue > 0.01
    np.random.seed(0)
    a = Gamma(2.0).rvs(5, rng=123)
    np.random.seed(1)
    np.testing.assert_array_equal(a, Gamma(2.0).rvs(5, rng=123))


def test_kl_closed_form_and_monte_carlo():
    p, q = Gamma(2.5, 1.5), Gamma(4.0, 0.8)
    a1, b1, a2, b2 = 2.5, 1.5, 4.0, 0.8
    exact = (
        (a1 - a2) * special.digamma(a1) - special.gammaln(a1) + special.gammaln(a2)
        + a2 * math.log(b1 / b2) + a1 * (b2 - b1) / b1
    )
    assert p.kl_divergence(q) == pytest.approx(exact, rel=1e-13)
    x = p.rvs(200000, rng=0)
    terms = p.logpdf(x) - q.logpdf(x)
    assert abs(terms.mean() - exact) < 4 * terms.std() / np.sqrt(x.size)
    assert p.kl_divergence(p) == 0.0
    assert ChiSquare(3.0).kl_divergence(ChiSquare(5.0)) == pytest.approx(
        Gamma(1.5, 0.5).kl_divergence(Gamma(2.5, 0.5)), rel=1e-14
    )
    with pytest.raises(TypeError, match="no closed-form KL divergence"):
        p.kl_divergence(ChiSquare(3.0))


# --- maximum likelihood ------------------------------------------------------------------------
def _scipy_loglik(shape, scale, x):
    return float(np.sum(stats.gamma(shape, scale=scale).logpdf(x)))


@pytest.mark.parametrize(
    "shape, rate, n", [(2.5, 1.5, 2000), (0.08, 3.0, 500), (3e3, 0.2, 1000), (1.0, 1.0, 3)]
)
def test_fit_matches_scipy(shape, rate, n):
    x = Gamma(shape, rate).rvs(n, rng=np.random.default_rng(5))
    fitted = Gamma.fit(x)
    a, _, scale = stats.gamma.fit(x, floc=0)
    res = fitted.fit_result
    theirs = _scipy_loglik(a, scale, x)
    assert res.log_likelihood >= theirs - 1e-9 * abs(theirs)
    np.testing.assert_allclose([fitted.shape, fitted.rate], [a, 1 / scale], rtol=1e-6)
    # the profile score vanishes at our estimate
    s = math.log(x.mean()) - np.mean(np.log(x))
    assert abs(math.log(fitted.shape) - special.digamma(fitted.shape) - s) <= 1e-12 * s
    assert fitted.rate == pytest.approx(fitted.shape / x.mean(), rel=1e-15)
    assert isinstance(res, FitResult) and res.converged and res.free == ("shape", "rate")
    assert res.log_likelihood == pytest.approx(np.sum(fitted.logpdf(x)), rel=1e-12)


def test_fit_standard_errors_match_numerical_and_closed_form(rng):
    x = rng.gamma(3.0, 0.5, 800)
    fitted = Gamma.fit(x)
    analytic = fitted._information(x, ("shape", "rate"))
    numerical = super(Gamma, fitted)._information(x, ("shape", "rate"))
    np.testing.assert_allclose(analytic, numerical, rtol=1e-5)
    a, b, n = fitted.shape, fitted.rate, x.size
    det = special.polygamma(1, a) * a / b**2 - 1 / b**2
    se = fitted.fit_result.stderr
    assert se["shape"] == pytest.approx(math.sqrt(a / b**2 / det / n), rel=1e-10)
    assert se["rate"] == pytest.approx(math.sqrt(special.polygamma(1, a) / det / n), rel=1e-10)


def test_fit_with_fixed_parameters(rng):
    x = rng.gamma(2.0, 1 / 3.0, 600)
    fixed_rate = Gamma.fit(x, rate=2.0)
    assert fixed_rate.rate == 2.0 and fixed_rate.fit_result.free == ("shape",)
    a, _, _ = stats.gamma.fit(x, floc=0, fscale=0.5)
    assert fixed_rate.shape == pytest.approx(a, rel=1e-6)
    assert special.digamma(fixed_rate.shape) == pytest.approx(
        math.log(2.0) + np.mean(np.log(x)), rel=1e-12
    )
    theirs = _scipy_loglik(a, 0.5, x)
    assert fixed_rate.fit_result.log_likelihood >= theirs - 1e-9 * abs(theirs)
    se = fixed_rate.fit_result.stderr["shape"]
    trigamma = special.polygamma(1, fixed_rate.shape)
    assert se == pytest.approx(1 / math.sqrt(x.size * trigamma), rel=1e-10)
    fixed_shape = Gamma.fit(x, shape=2.0)
    assert fixed_shape.shape == 2.0
    assert fixed_shape.rate == pytest.approx(2.0 / x.mean(), rel=1e-14)
    assert fixed_shape.fit_result.stderr["rate"] == pytest.approx(
        fixed_shape.rate / math.sqrt(2.0 * x.size), rel=1e-10
    )
    both = Gamma.fit(x, shape=2.0, rate=3.0)
    assert both.parameters == {"shape": 2.0, "rate": 3.0} and both.fit_result.free == ()


def test_chi_square_fit(rng):
    x = rng.chisquare(4.5, 1500)
    fitted = ChiSquare.fit(x)
    df, _, _ = stats.chi2.fit(x, floc=0, fscale=1)
    theirs = float(np.sum(stats.chi2(df).logpdf(x)))
    assert fitted.fit_result.log_likelihood >= theirs - 1e-9 * abs(theirs)
    assert fitted.df == pytest.approx(df, rel=1e-4)  # scipy: a Nelder-Mead search
    assert special.digamma(fitted.df / 2) == pytest.approx(np.mean(np.log(x / 2)), rel=1e-12)
    numerical = super(Gamma, fitted)._information(x, ("df",))
    np.testing.assert_allclose(fitted._information(x, ("df",)), numerical, rtol=1e-5)
    assert ChiSquare.fit(x, df=3.0).df == 3.0


def test_fit_refuses_bad_data():
    with pytest.raises(ValueError, match="data is empty"):
        Gamma.fit([])
    with pytest.raises(ValueError, match="data contains NaN or inf"):
        Gamma.fit([1.0, np.nan])
    with pytest.raises(ValueError, match=r"Gamma.fit needs data > 0 .* got min\(data\) = 0.0"):
        Gamma.fit([1.0, 0.0, 2.0])
    with pytest.raises(ValueError, match=r"ChiSquare.fit needs data > 0 .* = -1.0"):
        ChiSquare.fit([1.0, -1.0])
    with pytest.raises(ValueError, match="zero spread"):
        Gamma.fit([2.0, 2.0, 2.0])
    with pytest.raises(TypeError, match="unknown parameter"):
        Gamma.fit([1.0, 2.0], scale=2.0)


def test_log_likelihood_from_sufficient_statistics_equals_the_sum_of_log_densities(rng):
    x = rng.gamma(2.5, size=3001)
    d = Gamma(2.5, 1.7)
    assert d.log_likelihood(x) == pytest.approx(math.fsum(d.logpdf(x)), rel=1e-13)
    # points at 0 or below follow the density's own rules
    assert d.log_likelihood(np.append(x, 0.0)) == -np.inf
    exponential = Gamma(1.0, 2.0).log_likelihood([0.0, 1.0])
    assert exponential == pytest.approx(2 * math.log(2) - 2, rel=1e-15)
    assert Gamma(0.5).log_likelihood([-1.0, 1.0]) == -np.inf
    big = Gamma([200.0, 2.0], 1.0)  # batch: the per-point path
    per_point = np.sum(big.logpdf(x[:, None]))
    assert big.log_likelihood(x[:, None]) == pytest.approx(per_point, rel=1e-13)


@pytest.mark.parametrize("n", [1, 511, 512, 513, 5000])
def test_sums_of_x_and_log_x(rng, n):
    x = rng.lognormal(0.0, 30.0, n)  # spans ~1e-40 .. 1e40
    total, total_log = sums_of_x_and_log_x(x)
    assert total == pytest.approx(math.fsum(x), rel=1e-13)
    assert total_log == pytest.approx(math.fsum(np.log(x)), rel=1e-14, abs=1e-11)
    extreme = np.array([1e-310, 5e-324, 1e308, 1.7e308, 2.0])  # subnormal and huge
    assert sums_of_x_and_log_x(extreme)[1] == pytest.approx(math.fsum(np.log(extreme)), rel=1e-15)
    assert math.isnan(sums_of_x_and_log_x(np.array([1.0, 0.0]))[1])
    assert math.isnan(sums_of_x_and_log_x(np.array([1.0, -2.0]))[1])


def test_asymptotic_series_of_digamma_and_trigamma():
    mp.mp.dps = 40
    for a in [10.0, 37.5, 1e3, 1e9]:
        assert log_minus_digamma(a) == pytest.approx(float(mp.log(a) - mp.digamma(a)), rel=1e-14)
        assert inverse_a_minus_trigamma(a) == pytest.approx(
            float(1 / mp.mpf(a) - mp.psi(1, a)), rel=1e-13
        )


@given(
    shape=st.floats(0.05, 200.0),
    rate=st.floats(1e-3, 1e3),
    q=st.floats(1e-12, 1 - 1e-12),
)
def test_property_cdf_of_ppf_is_q(shape, rate, q):
    d = Gamma(shape, rate)
    assert d.cdf(d.ppf(q)) == pytest.approx(q, rel=1e-9)
    assert d.sf(d.isf(q)) == pytest.approx(q, rel=1e-9)
