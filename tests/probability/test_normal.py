"""Normal against scipy.stats.norm, its closed forms, and the base-class contract."""

import numpy as np
import pytest
from scipy import stats

from mlfoundations.exceptions import ConvergenceWarning  # noqa: F401  (import check)
from mlfoundations.probability import FitResult, Normal

RTOL = 1e-12  # scipy evaluates the same special functions; only rounding order differs

PARAMS = [(0.0, 1.0), (3.0, 0.5), (-1e3, 1e-3), (1e6, 1e4), (0.0, 1e-300), (2.0, 1e300)]


@pytest.mark.parametrize("mu, sigma", PARAMS)
@pytest.mark.parametrize("method", ["pdf", "logpdf", "cdf", "logcdf", "sf", "logsf"])
def test_point_methods_match_scipy(mu, sigma, method):
    z = np.concatenate([-np.geomspace(40, 1e-3, 40), [0.0], np.geomspace(1e-3, 40, 40)])
    x = mu + sigma * z
    ours = getattr(Normal(mu, sigma), method)(x)
    ref = getattr(stats.norm(mu, sigma), method)(x)
    np.testing.assert_allclose(ours, ref, rtol=RTOL, atol=0)


@pytest.mark.parametrize("mu, sigma", PARAMS[:4])
def test_ppf_isf_match_scipy_into_the_tails(mu, sigma):
    q = np.concatenate([[1e-300, 1e-100, 1e-16], np.linspace(0.001, 0.999, 51), [1 - 1e-16]])
    d = Normal(mu, sigma)
    np.testing.assert_allclose(d.ppf(q), stats.norm(mu, sigma).ppf(q), rtol=RTOL, atol=1e-300)
    np.testing.assert_allclose(d.isf(q), stats.norm(mu, sigma).isf(q), rtol=RTOL, atol=1e-300)


def test_tails_stay_accurate():
    assert Normal().logcdf(-40) == pytest.approx(-804.6084420137538, rel=1e-14)
    assert Normal().logsf(40) == pytest.approx(-804.6084420137538, rel=1e-14)
    assert Normal().sf(10) == pytest.approx(7.619853024160527e-24, rel=1e-13)
    assert Normal().cdf(-40) == 0.0  # e^-804.6 underflows; its logarithm above does not


def test_endpoints_of_ppf():
    d = Normal(1.0, 2.0)
    assert d.ppf(0.0) == -np.inf and d.ppf(1.0) == np.inf
    assert d.isf(0.0) == np.inf and d.isf(1.0) == -np.inf
    np.testing.assert_array_equal(d.ppf([0.0, 1.0]), [-np.inf, np.inf])


def test_infinite_points():
    d = Normal()
    np.testing.assert_array_equal(d.pdf([-np.inf, np.inf]), [0.0, 0.0])
    np.testing.assert_array_equal(d.cdf([-np.inf, np.inf]), [0.0, 1.0])
    np.testing.assert_array_equal(d.logpdf([-np.inf]), [-np.inf])


def test_scalar_in_scalar_out():
    d = Normal()
    for method in ("pdf", "logpdf", "cdf", "sf", "logcdf", "logsf"):
        assert type(getattr(d, method)(0.3)) is float
        assert type(getattr(d, method)(np.float64(0.3))) is float
        assert getattr(d, method)([0.3]).shape == (1,)
    assert type(d.ppf(0.3)) is float
    assert type(d.mean()) is float and type(d.var()) is float and type(d.entropy()) is float
    assert type(d.rvs(rng=0)) is float
    assert d.rvs(5, rng=0).shape == (5,)


def test_batched_parameters_broadcast():
    mu = np.array([0.0, 1.0, 2.0])
    sigma = np.array([[1.0], [2.0]])
    d = Normal(mu, sigma)
    assert d.batch_shape == (2, 3)
    x = np.array([0.5, 1.5, 2.5])
    np.testing.assert_allclose(d.pdf(x), stats.norm(mu, sigma).pdf(x), rtol=RTOL)
    assert d.pdf(0.0).shape == (2, 3)
    np.testing.assert_array_equal(d.mean(), np.broadcast_to(mu, (2, 3)))
    np.testing.assert_allclose(d.std(), np.broadcast_to(sigma, (2, 3)))
    assert d.rvs(rng=0).shape == (2, 3)
    assert d.rvs((4, 2, 3), rng=0).shape == (4, 2, 3)
    with pytest.raises(ValueError, match="must contain the parameters' shape"):
        d.rvs(3, rng=0)
    with pytest.raises(ValueError, match="do not broadcast"):
        Normal([0.0, 1.0], [1.0, 2.0, 3.0])


def test_moments_entropy_median():
    d = Normal(3.0, 2.0)
    ref = stats.norm(3.0, 2.0)
    assert d.mean() == ref.mean() and d.median() == ref.median()
    assert d.var() == pytest.approx(ref.var(), rel=RTOL)
    assert d.entropy() == pytest.approx(ref.entropy(), rel=RTOL)
    assert d.support == (-np.inf, np.inf)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.inf, np.nan])
def test_invalid_sigma_raises(bad):
    with pytest.raises(ValueError, match="sigma must be finite and > 0"):
        Normal(0.0, bad)
    with pytest.raises(ValueError, match="sigma must be finite and > 0"):
        Normal(0.0, [1.0, bad])


def test_invalid_inputs_raise():
    with pytest.raises(ValueError, match="mu must be a finite real number"):
        Normal(np.nan, 1.0)
    with pytest.raises(TypeError, match="mu must be a real number"):
        Normal("0", 1.0)
    with pytest.raises(ValueError, match="x contains NaN"):
        Normal().pdf([0.0, np.nan])
    with pytest.raises(ValueError, match="x is NaN"):
        Normal().cdf(float("nan"))
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\], got 1.5"):
        Normal().ppf(1.5)
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\]"):
        Normal().isf([0.5, -0.1])
    with pytest.raises(ValueError, match="q contains NaN"):
        Normal().ppf([np.nan])
    with pytest.raises(TypeError, match="x must be numeric"):
        Normal().pdf("a")


def test_sampler_passes_ks_test():
    d = Normal(2.0, 3.0)
    sample = d.rvs(20000, rng=np.random.default_rng(1))
    assert stats.kstest(sample, d.cdf).pvalue > 0.01


def test_rvs_is_reproducible_and_uses_no_global_state():
    np.random.seed(0)
    a = Normal().rvs(5, rng=123)
    np.random.seed(1)
    b = Normal().rvs(5, rng=123)
    np.testing.assert_array_equal(a, b)


def test_kl_closed_form_and_monte_carlo():
    p, q = Normal(0.5, 1.5), Normal(-1.0, 0.7)
    exact = np.log(0.7 / 1.5) + (1.5**2 + 1.5**2) / (2 * 0.7**2) - 0.5
    assert p.kl_divergence(q) == pytest.approx(exact, rel=1e-13)
    x = p.rvs(200000, rng=0)
    terms = p.logpdf(x) - q.logpdf(x)
    assert abs(terms.mean() - exact) < 4 * terms.std() / np.sqrt(x.size)
    assert p.kl_divergence(p) == 0.0
    with pytest.raises(TypeError, match="no closed-form KL divergence"):
        p.kl_divergence(object())


def test_guide_mle_example():
    fitted = Normal.fit([2.1, 2.5, 1.8, 2.3, 2.0])
    assert fitted.mu == pytest.approx(2.14, rel=1e-14)
    assert fitted.sigma == pytest.approx(0.2416609194718914, rel=1e-14)  # sqrt(0.0584)
    assert round(fitted.sigma, 2) == 0.24
    assert isinstance(fitted.fit_result, FitResult)


def test_fit_matches_scipy_and_standard_errors(rng):
    x = rng.normal(3.0, 2.0, 500)
    fitted = Normal.fit(x)
    mu, sigma = stats.norm.fit(x)
    np.testing.assert_allclose([fitted.mu, fitted.sigma], [mu, sigma], rtol=1e-13)
    res = fitted.fit_result
    n = x.size
    np.testing.assert_allclose(
        [res.stderr["mu"], res.stderr["sigma"]],
        [sigma / np.sqrt(n), sigma / np.sqrt(2 * n)],
        rtol=1e-10,
    )
    assert res.log_likelihood == pytest.approx(np.sum(stats.norm(mu, sigma).logpdf(x)), rel=1e-13)
    assert res.aic == pytest.approx(4 - 2 * res.log_likelihood)
    assert res.bic == pytest.approx(2 * np.log(n) - 2 * res.log_likelihood)
    assert "log-likelihood" in str(res) and "mu" in str(res)


def test_fit_with_fixed_parameter(rng):
    x = rng.normal(1.0, 2.0, 300)
    fitted = Normal.fit(x, mu=0.0)
    assert fitted.mu == 0.0
    assert fitted.sigma == pytest.approx(np.sqrt(np.mean(x**2)), rel=1e-14)
    assert fitted.fit_result.free == ("sigma",)
    mu, sigma = stats.norm.fit(x, floc=0.0)
    assert fitted.sigma == pytest.approx(sigma, rel=1e-13)
    fixed_sigma = Normal.fit(x, sigma=2.0)
    assert fixed_sigma.sigma == 2.0 and fixed_sigma.mu == pytest.approx(x.mean(), rel=1e-14)
    assert fixed_sigma.fit_result.stderr["mu"] == pytest.approx(2.0 / np.sqrt(300), rel=1e-12)


def test_numerical_information_agrees_with_analytic(rng):
    x = rng.normal(0.0, 1.0, 200)
    fitted = Normal.fit(x)
    analytic = fitted._information(x, ("mu", "sigma"))
    numerical = super(Normal, fitted)._information(x, ("mu", "sigma"))
    np.testing.assert_allclose(numerical, analytic, rtol=1e-6, atol=1e-6 * analytic.max())


def test_fit_refuses_bad_data():
    with pytest.raises(ValueError, match="data is empty"):
        Normal.fit([])
    with pytest.raises(ValueError, match="data contains NaN or inf"):
        Normal.fit([1.0, np.nan])
    with pytest.raises(ValueError, match="zero spread"):
        Normal.fit([2.0, 2.0, 2.0])
    with pytest.raises(TypeError, match="unknown parameter"):
        Normal.fit([1.0, 2.0], scale=1.0)
    with pytest.raises(ValueError, match="sigma must be finite and > 0"):
        Normal.fit([1.0, 2.0], sigma=-1.0)


def test_log_likelihood():
    d = Normal(1.0, 2.0)
    x = [0.0, 1.0, 5.0]
    assert d.log_likelihood(x) == pytest.approx(stats.norm(1, 2).logpdf(x).sum(), rel=RTOL)
    with pytest.raises(ValueError, match="data is empty"):
        d.log_likelihood([])


def test_repr():
    assert repr(Normal(1.0, 2.0)) == "Normal(mu=1.0, sigma=2.0)"
    assert "array(shape=(2,))" in repr(Normal([0.0, 1.0]))
