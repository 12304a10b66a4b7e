"""LogNormal against scipy.stats.lognorm and the normal of log x."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from mlfoundations.probability.lognormal import LogNormal
from mlfoundations.probability.normal import Normal

RTOL = 1e-12  # scipy evaluates the same ndtr/log_ndtr of log x; only rounding differs

PARAMS = [(0.0, 1.0), (0.3, 0.6), (-5.0, 0.01), (10.0, 3.0), (0.0, 1e-3)]


def _reference(mu, sigma):
    return stats.lognorm(s=sigma, scale=np.exp(mu))


@pytest.mark.parametrize("mu, sigma", PARAMS)
@pytest.mark.parametrize("method", ["pdf", "logpdf", "cdf", "logcdf", "sf", "logsf"])
def test_point_methods_match_scipy(mu, sigma, method):
    # z from -40 to +40 sigma on the log scale
    z = np.concatenate([-np.geomspace(40, 1e-3, 30), [0.0], np.geomspace(1e-3, 40, 30)])
    x = np.exp(mu + sigma * z)
    x = x[(x > 0) & np.isfinite(x)]
    ours = getattr(LogNormal(mu, sigma), method)(x)
    ref = getattr(_reference(mu, sigma), method)(x)
    # scipy forms log x - mu as log(x / e^mu), one more rounding: 4e-12 at 40 sigma
    rtol = RTOL if abs(mu) < 1 else 1e-10
    np.testing.assert_allclose(ours, ref, rtol=rtol, atol=0)
    normal = getattr(Normal(mu, sigma), method)(np.log(x))
    if method in ("cdf", "sf", "logcdf", "logsf"):  # X <= x iff log X <= log x
        np.testing.assert_array_equal(ours, normal)
    scalar = [getattr(LogNormal(mu, sigma), method)(float(v)) for v in x[::7]]
    # the scalar path uses libm, arrays NumPy's vectorised log/exp: an ulp apart, which
    # the exponential of a density of magnitude e^-100 turns into ~1e-14 relative
    np.testing.assert_allclose(scalar, ours[::7], rtol=1e-13, atol=0)


@pytest.mark.parametrize("method", ["pdf", "logpdf", "cdf", "logcdf", "sf", "logsf"])
def test_extreme_parameters_follow_the_normal_of_log_x(method):
    # scipy divides x by scale = e^mu, which overflows here; the normal of log x is the truth
    mu, sigma = -300.0, 50.0
    log_x = mu + sigma * np.linspace(-7.9, 19.9, 57)  # x from 1e-300 to 1e+300
    ours = getattr(LogNormal(mu, sigma), method)(np.exp(log_x))
    if method in ("pdf", "logpdf"):
        normal = Normal(mu, sigma).logpdf(log_x) - log_x  # the Jacobian 1/x
        normal = np.exp(normal) if method == "pdf" else normal
    else:
        normal = getattr(Normal(mu, sigma), method)(log_x)
    # exp(log_x) rounds log x by ~1e-16 relative, i.e. ~1e-13 absolute at |log x| ~ 700,
    # which the exponential of the density turns into ~1e-13 relative
    np.testing.assert_allclose(ours, normal, rtol=1e-12, atol=0)


def test_tails_stay_finite():
    d = LogNormal(0.0, 1.0)
    assert d.logcdf(math.exp(-40)) == pytest.approx(-804.6084420137538, rel=1e-14)
    assert d.logsf(math.exp(40)) == pytest.approx(-804.6084420137538, rel=1e-14)
    assert d.cdf(math.exp(-40)) == 0.0 or d.cdf(math.exp(-40)) < 1e-300
    assert d.logpdf(1e-300) == pytest.approx(
        -0.5 * math.log(1e-300) ** 2 - math.log(1e-300) - 0.5 * math.log(2 * math.pi), rel=1e-14
    )


@pytest.mark.parametrize("mu, sigma", PARAMS[:5])
def test_ppf_isf_match_scipy_into_the_tails(mu, sigma):
    q = np.concatenate([[1e-300, 1e-100, 1e-16], np.linspace(0.001, 0.999, 51), [1 - 1e-16]])
    d, ref = LogNormal(mu, sigma), _reference(mu, sigma)
    np.testing.assert_allclose(d.ppf(q), ref.ppf(q), rtol=RTOL, atol=0)
    np.testing.assert_allclose(d.isf(q), ref.isf(q), rtol=RTOL, atol=0)


def test_outside_the_support_and_at_zero():
    d = LogNormal(0.5, 2.0)
    np.testing.assert_array_equal(d.pdf([-1.0, 0.0, np.inf]), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(d.logpdf([-1.0, 0.0, np.inf]), [-np.inf, -np.inf, -np.inf])
    np.testing.assert_array_equal(d.cdf([-1.0, 0.0, np.inf]), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(d.sf([-1.0, 0.0, np.inf]), [1.0, 1.0, 0.0])
    assert d.pdf(0.0) == 0.0 and d.logpdf(0.0) == -np.inf and d.logcdf(0.0) == -np.inf
    assert d.ppf(0.0) == 0.0 and d.ppf(1.0) == np.inf and d.isf(0.0) == np.inf


def test_invalid_inputs_raise():
    with pytest.raises(ValueError, match="sigma must be finite and > 0"):
        LogNormal(0.0, 0.0)
    with pytest.raises(ValueError, match="sigma must be finite and > 0"):
        LogNormal(0.0, [1.0, -2.0])
    with pytest.raises(ValueError, match="mu must be a finite real number"):
        LogNormal(np.inf, 1.0)
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\], got -0.5"):
        LogNormal().ppf(-0.5)
    with pytest.raises(ValueError, match="x is NaN"):
        LogNormal().cdf(float("nan"))


def test_scalar_in_scalar_out():
    d = LogNormal(0.2, 0.7)
    for method in ("pdf", "logpdf", "cdf", "sf", "logcdf", "logsf", "ppf", "isf"):
        assert type(getattr(d, method)(0.3)) is float
        assert getattr(d, method)([0.3]).shape == (1,)
    for method in ("mean", "var", "std", "median", "entropy"):
        assert type(getattr(d, method)()) is float
    assert type(d.rvs(rng=0)) is float


def test_batched_parameters_broadcast():
    mu = np.array([-1.0, 0.0, 2.0])
    sigma = np.array([[0.5], [1.5]])
    d, ref = LogNormal(mu, sigma), _reference(mu, sigma)
    x = np.array([0.0, 0.5, 3.0])
    for method in ("pdf", "logpdf", "cdf", "sf", "logcdf", "logsf"):
        np.testing.assert_allclose(getattr(d, method)(x), getattr(ref, method)(x), rtol=RTOL)
    for method in ("mean", "var", "median", "entropy"):
        np.testing.assert_allclose(getattr(d, method)(), getattr(ref, method)(), rtol=RTOL)
    assert d.rvs(rng=0).shape == (2, 3) and d.rvs((7, 2, 3), rng=0).shape == (7, 2, 3)


@pytest.mark.parametrize("mu, sigma", [(0.3, 0.6), (-2.0, 1e-4), (1.0, 2.5)])
def test_moments_entropy_median(mu, sigma):
    d, ref = LogNormal(mu, sigma), _reference(mu, sigma)
    for method in ("mean", "var", "std", "median", "entropy"):
        assert getattr(d, method)() == pytest.approx(getattr(ref, method)(), rel=RTOL)
    # expm1 keeps the variance of a tiny sigma: (e^{s^2} - 1) e^{2mu + s^2} ~ s^2 e^{2 mu}
    assert LogNormal(0.0, 1e-9).var() == pytest.approx(1e-18, rel=1e-8)


def test_sampler_passes_ks_test():
    d = LogNormal(0.5, 0.8)
    sample = d.rvs(20000, rng=np.random.default_rng(3))
    assert stats.kstest(sample, d.cdf).pvalue > 0.01


def test_kl_closed_form_and_monte_carlo():
    p, q = LogNormal(0.5, 1.5), LogNormal(-1.0, 0.7)
    exact = math.log(0.7 / 1.5) + (1.5**2 + 1.5**2) / (2 * 0.7**2) - 0.5
    assert p.kl_divergence(q) == pytest.approx(exact, rel=1e-13)
    assert p.kl_divergence(q) == pytest.approx(Normal(0.5, 1.5).kl_divergence(Normal(-1.0, 0.7)))
    x = p.rvs(200000, rng=0)
    terms = p.logpdf(x) - q.logpdf(x)
    assert abs(terms.mean() - exact) < 4 * terms.std() / np.sqrt(x.size)


def test_fit_matches_scipy_and_standard_errors(rng):
    x = rng.lognormal(1.0, 0.5, 700)
    fitted = LogNormal.fit(x)
    s, _, scale = stats.lognorm.fit(x, floc=0)
    np.testing.assert_allclose([fitted.mu, fitted.sigma], [np.log(scale), s], rtol=1e-12)
    res = fitted.fit_result
    theirs = float(np.sum(stats.lognorm(s, scale=scale).logpdf(x)))
    assert res.log_likelihood >= theirs - 1e-9 * abs(theirs)
    n = x.size
    np.testing.assert_allclose(
        [res.stderr["mu"], res.stderr["sigma"]],
        [fitted.sigma / np.sqrt(n), fitted.sigma / np.sqrt(2 * n)],
        rtol=1e-10,
    )
    numerical = super(LogNormal, fitted)._information(x, ("mu", "sigma"))
    analytic = fitted._information(x, ("mu", "sigma"))
    np.testing.assert_allclose(numerical, analytic, rtol=1e-6, atol=1e-6 * analytic.max())


def test_fit_with_fixed_parameters(rng):
    x = rng.lognormal(0.5, 2.0, 400)
    fixed_mu = LogNormal.fit(x, mu=0.0)
    assert fixed_mu.mu == 0.0 and fixed_mu.fit_result.free == ("sigma",)
    assert fixed_mu.sigma == pytest.approx(np.sqrt(np.mean(np.log(x) ** 2)), rel=1e-14)
    fixed_sigma = LogNormal.fit(x, sigma=1.0)
    assert fixed_sigma.sigma == 1.0
    assert fixed_sigma.mu == pytest.approx(np.mean(np.log(x)), rel=1e-14)
    assert fixed_sigma.fit_result.stderr["mu"] == pytest.approx(1 / np.sqrt(400), rel=1e-12)


def test_fit_refuses_bad_data():
    with pytest.raises(ValueError, match="data is empty"):
        LogNormal.fit([])
    with pytest.raises(ValueError, match="data contains NaN or inf"):
        LogNormal.fit([1.0, np.nan])
    with pytest.raises(ValueError, match=r"needs data > 0 .* got min\(data\) = 0.0"):
        LogNormal.fit([1.0, 0.0])
    with pytest.raises(ValueError, match="zero spread"):
        LogNormal.fit([3.0, 3.0])


@given(mu=st.floats(-50, 50), sigma=st.floats(1e-3, 10), q=st.floats(1e-300, 1.0))
def test_property_quantiles_invert_the_cdf(mu, sigma, q):
    d = LogNormal(mu, sigma)
    x = d.ppf(q)
    if 0.0 < x < np.inf:
        assert d.cdf(x) == pytest.approx(q, rel=1e-9 * (1 + sigma * abs(np.log(x))))
