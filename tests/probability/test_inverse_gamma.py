"""InverseGamma against scipy.stats.invgamma, mpmath, and the gamma law of 1/X."""

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special, stats

from mlfoundations.probability.gamma import Gamma
from mlfoundations.probability.inverse_gamma import InverseGamma

RTOL = 1e-12  # scipy evaluates the same incomplete gamma functions of scale / x
MP_RTOL = 1e-13

PARAMS = [(4.0, 2.0), (0.5, 1.0), (1.0, 3.0), (25.0, 0.1), (0.05, 1.0), (3.0, 1e-100), (3.0, 1e100)]


def _reference(shape, scale):
    return stats.invgamma(shape, scale=scale)


def _grid(shape, scale):
    # y = scale / x from deep in the upper tail of Gamma(shape) to deep in its lower tail
    y = np.concatenate([np.geomspace(1e-30, 0.5 * shape, 25), np.linspace(0.5, 4, 10) * shape,
                        shape + np.geomspace(1, 600, 15)])
    return scale / y


@pytest.mark.parametrize("shape, scale", PARAMS)
@pytest.mark.parametrize("method", ["pdf", "logpdf", "cdf", "logcdf", "sf", "logsf"])
def test_point_methods_match_scipy(shape, scale, method):
    x = _grid(shape, scale)
    x = x[np.isfinite(x) & (x > 0)]
    ours = getattr(InverseGamma(shape, scale), method)(x)
    ref = getattr(_reference(shape, scale), method)(x)
    # scipy's log of an underflowed probability is -inf where ours stays finite (below)
    keep = np.isfinite(ref) | ~np.isfinite(ours)
    np.testing.assert_allclose(ours[keep], ref[keep], rtol=RTOL, atol=0)
    scalar = [getattr(InverseGamma(shape, scale), method)(float(v)) for v in x[::6]]
    # the scalar path uses libm, arrays NumPy's vectorised log/exp: an ulp apart, which
    # the exponential of a density of magnitude e^-100 turns into ~1e-14 relative
    np.testing.assert_allclose(scalar, ours[::6], rtol=1e-13, atol=0)


def test_density_and_tails_against_mpmath():
    mp.mp.dps = 40
    a, b = 4.0, 2.0
    d = InverseGamma(a, b)
    for x in [1e-3, 0.05, 0.7, 3.0, 1e3]:
        exact = mp.mpf(a) * mp.log(b) - mp.loggamma(a) - (a + 1) * mp.log(x) - mp.mpf(b) / x
        assert d.logpdf(x) == pytest.approx(float(exact), rel=MP_RTOL)
    # F(x) = Q(a, b/x) underflows for tiny x, S(x) = P(a, b/x) for huge x
    for x in [1e-3, 2e-4]:
        exact = mp.log(mp.gammainc(a, mp.mpf(b) / x, mp.inf, regularized=True))
        assert d.cdf(x) == 0.0 or x == 1e-3
        assert d.logcdf(x) == pytest.approx(float(exact), rel=MP_RTOL)
    for x in [1e100, 1e300]:
        exact = mp.log(mp.gammainc(a, 0, mp.mpf(b) / x, regularized=True))
        assert d.logsf(x) == pytest.approx(float(exact), rel=MP_RTOL)
    # large shapes: the saddle-point density of 1/X
    big = InverseGamma(2e3, 5.0)
    for x in [0.002, 0.0025, 0.003]:
        exact = mp.mpf(2e3) * mp.log(5) - mp.loggamma(2e3) - (2e3 + 1) * mp.log(x) - mp.mpf(5) / x
        assert big.logpdf(x) == pytest.approx(float(exact), rel=MP_RTOL)


def test_law_of_the_reciprocal():
    d, g = InverseGamma(3.5, 2.0), Gamma(3.5, rate=2.0)
    x = np.linspace(0.05, 5.0, 40)
    np.testing.assert_array_equal(d.cdf(x), g.sf(1.0 / x))
    np.testing.assert_array_equal(d.sf(x), g.cdf(1.0 / x))
    # density: f_X(x) = f_Y(1/x) / x^2
    np.testing.assert_allclose(d.pdf(x), g.pdf(1.0 / x) / x**2, rtol=1e-14)
    q = np.linspace(0.01, 0.99, 600)  # the Halley path (>= 500 points)
    np.testing.assert_allclose(d.ppf(q), 1.0 / g.isf(q), rtol=1e-15)


Q_TAILS = np.concatenate([[1e-300, 1e-100, 1e-16], np.linspace(0.001, 0.999, 51), [1 - 1e-16]])
Q_MANY = np.concatenate(
    [np.geomspace(1e-300, 0.5, 300), np.linspace(0.01, 0.99, 99), 1 - np.geomspace(1e-16, 0.5, 300)]
)


@pytest.mark.parametrize("shape, scale", PARAMS)
@pytest.mark.parametrize("q", [Q_TAILS, Q_MANY], ids=["direct", "halley"])
def test_ppf_isf_match_scipy_into_the_tails(shape, scale, q):
    d, ref = InverseGamma(shape, scale), _reference(shape, scale)
    with np.errstate(divide="ignore", over="ignore"):  # scipy's 1/0 at the extremes
        ref_ppf, ref_isf = ref.ppf(q), ref.isf(q)
    np.testing.assert_allclose(d.ppf(q), ref_ppf, rtol=RTOL, atol=0)
    np.testing.assert_allclose(d.isf(q), ref_isf, rtol=RTOL, atol=0)


def test_edges_and_invalid_inputs():
    d = InverseGamma(2.0, 1.0)
    np.testing.assert_array_equal(d.pdf([-1.0, 0.0, np.inf]), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(d.logpdf([-1.0, 0.0, np.inf]), [-np.inf, -np.inf, -np.inf])
    np.testing.assert_array_equal(d.cdf([-1.0, 0.0, np.inf]), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(d.logcdf([0.0, np.inf]), [-np.inf, 0.0])
    np.testing.assert_array_equal(d.logsf([0.0, np.inf]), [0.0, -np.inf])
    assert d.pdf(0.0) == 0.0 and d.logcdf(0.0) == -np.inf and d.sf(0.0) == 1.0
    assert d.ppf(0.0) == 0.0 and d.ppf(1.0) == np.inf and d.isf(0.0) == np.inf
    with pytest.raises(ValueError, match="shape must be finite and > 0"):
        InverseGamma(0.0)
    with pytest.raises(ValueError, match="scale must be finite and > 0"):
        InverseGamma(1.0, [1.0, -1.0])
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\], got 1.2"):
        d.ppf(1.2)
    with pytest.raises(ValueError, match="x contains NaN"):
        d.cdf([np.nan])


def test_scalar_in_scalar_out_and_batches():
    d = InverseGamma(3.0, 2.0)
    for method in ("pdf", "logpdf", "cdf", "sf", "logcdf", "logsf", "ppf", "isf"):
        assert type(getattr(d, method)(0.3)) is float
        assert getattr(d, method)([0.3]).shape == (1,)
    for method in ("mean", "var", "std", "median", "entropy"):
        assert type(getattr(d, method)()) is float
    assert type(d.rvs(rng=0)) is float
    shape, scale = np.array([0.5, 3.0, 40.0]), np.array([[1.0], [0.2]])
    batch, ref = InverseGamma(shape, scale), _reference(shape, scale)
    x = np.array([0.1, 0.7, 2.0])
    for method in ("pdf", "logpdf", "cdf", "sf", "logcdf", "logsf"):
        np.testing.assert_allclose(getattr(batch, method)(x), getattr(ref, method)(x), rtol=RTOL)
    np.testing.assert_allclose(batch.ppf(0.3), ref.ppf(0.3), rtol=RTOL)
    np.testing.assert_allclose(batch.entropy(), ref.entropy(), rtol=RTOL)
    assert batch.rvs(rng=0).shape == (2, 3) and batch.rvs((5, 2, 3), rng=0).shape == (5, 2, 3)


def test_moments_entropy_median():
    for shape, scale in [(4.0, 2.0), (2.5, 0.3), (60.0, 7.0)]:
        d, ref = InverseGamma(shape, scale), _reference(shape, scale)
        for method in ("mean", "var", "std", "median", "entropy"):
            assert getattr(d, method)() == pytest.approx(getattr(ref, method)(), rel=RTOL)
    assert InverseGamma(1.0, 2.0).mean() == np.inf and InverseGamma(2.0, 2.0).var() == np.inf
    assert InverseGamma(1.5, 2.0).mean() == pytest.approx(4.0, rel=1e-15)
    np.testing.assert_array_equal(InverseGamma(np.array([0.5, 3.0]), 2.0).mean(), [np.inf, 1.0])
    mp.mp.dps = 40
    a = mp.mpf(1e6)
    exact = a + mp.log(3) + mp.loggamma(a) - (1 + a) * mp.digamma(a)
    assert InverseGamma(1e6, 3.0).entropy() == pytest.approx(float(exact), rel=MP_RTOL)


def test_sampler_passes_ks_test():
    for d in [InverseGamma(3.0, 2.0), InverseGamma(0.4, 0.5)]:
        sample = d.rvs(20000, rng=np.random.default_rng(5))
        assert stats.kstest(sample, d.cdf).pvalue > 0.01


def test_kl_closed_form_and_monte_carlo():
    p, q = InverseGamma(3.0, 2.0), InverseGamma(5.0, 1.0)
    exact = Gamma(3.0, 2.0).kl_divergence(Gamma(5.0, 1.0))
    assert p.kl_divergence(q) == pytest.approx(exact, rel=1e-14)
    x = p.rvs(200000, rng=0)
    terms = p.logpdf(x) - q.logpdf(x)
    assert abs(terms.mean() - exact) < 4 * terms.std() / np.sqrt(x.size)
    assert p.kl_divergence(p) == 0.0


def test_fit_matches_scipy_and_the_gamma_fit_of_the_reciprocals(rng):
    x = 2.0 / rng.gamma(4.0, size=1500)
    fitted = InverseGamma.fit(x)
    a, _, scale = stats.invgamma.fit(x, floc=0)
    res = fitted.fit_result
    theirs = float(np.sum(stats.invgamma(a, scale=scale).logpdf(x)))
    assert res.log_likelihood >= theirs - 1e-9 * abs(theirs)
    # scipy's invgamma fit is a Nelder-Mead search: its parameters agree to ~1e-5
    np.testing.assert_allclose([fitted.shape, fitted.scale], [a, scale], rtol=1e-4)
    g = Gamma.fit(1.0 / x)
    np.testing.assert_allclose([fitted.shape, fitted.scale], [g.shape, g.rate], rtol=1e-12)
    numerical = super(InverseGamma, fitted)._information(x, ("shape", "scale"))
    np.testing.assert_allclose(fitted._information(x, ("shape", "scale")), numerical, rtol=1e-5)
    for ours, gamma_name in (("shape", "shape"), ("scale", "rate")):
        assert res.stderr[ours] == pytest.approx(g.fit_result.stderr[gamma_name], rel=1e-10)


def test_fit_with_fixed_parameters(rng):
    x = 1.5 / rng.gamma(3.0, size=800)
    fixed_scale = InverseGamma.fit(x, scale=1.5)
    assert fixed_scale.scale == 1.5
    # psi(a) = log(scale) - mean(log x)
    target = math.log(1.5) - np.mean(np.log(x))
    assert special.digamma(fixed_scale.shape) == pytest.approx(target, rel=1e-12)
    a, _, _ = stats.invgamma.fit(x, floc=0, fscale=1.5)
    assert fixed_scale.shape == pytest.approx(a, rel=1e-4)
    fixed_shape = InverseGamma.fit(x, shape=3.0)
    assert fixed_shape.shape == 3.0
    assert fixed_shape.scale == pytest.approx(3.0 / np.mean(1.0 / x), rel=1e-14)


def test_fit_refuses_bad_data():
    with pytest.raises(ValueError, match="data is empty"):
        InverseGamma.fit([])
    with pytest.raises(ValueError, match="data contains NaN or inf"):
        InverseGamma.fit([np.inf, 1.0])
    with pytest.raises(ValueError, match=r"needs data > 0 .* got min\(data\) = 0.0"):
        InverseGamma.fit([1.0, 0.0])
    with pytest.raises(ValueError, match="zero spread"):
        InverseGamma.fit([0.5, 0.5, 0.5])


def test_used_by_the_normal_inverse_gamma_model():
    # the conjugate model builds InverseGamma(alpha, beta) positionally and samples it
    d = InverseGamma(2.5, 3.5)
    assert d.parameters == {"shape": 2.5, "scale": 3.5}
    assert d.rvs(size=4, rng=0).shape == (4,)
    lo, hi = d.ppf(np.array([0.025, 0.975]))
    np.testing.assert_allclose([lo, hi], _reference(2.5, 3.5).ppf([0.025, 0.975]), rtol=RTOL)


@given(shape=st.floats(0.3, 300.0), scale=st.floats(1e-3, 1e3), q=st.floats(1e-12, 1 - 1e-12))
def test_property_quantiles_invert_the_cdf(shape, scale, q):
    d = InverseGamma(shape, scale)
    assert d.cdf(d.ppf(q)) == pytest.approx(q, rel=1e-9)
    assert d.sf(d.isf(q)) == pytest.approx(q, rel=1e-9)
