"""Poisson against scipy.stats.poisson, mpmath, closed forms and the base-class contract."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st_
from scipy import special, stats

from mlfoundations.probability._discrete_kernels import entropy_by_summation
from mlfoundations.probability._fitting import FitResult, numerical_information
from mlfoundations.probability.poisson import Poisson

mpmath = pytest.importorskip("mpmath")

RTOL = 1e-12  # scipy evaluates the same special functions (pdtr, pdtrc, gammaln)
# below and at SMALL = 32 our log-mass is scipy's formula; above it is Loader's
# saddle point, which agrees with scipy's log-gamma formula to ~|log f| * 4e-16 there
RATES = [1e-3, 0.5, 4.0, 31.0, 33.0, 100.0]


def _grid(rate):
    sd = math.sqrt(rate)
    hi = rate + 40 * sd + 40  # +40 sigma and beyond
    return np.unique(np.concatenate([np.arange(0.0, min(hi, 200.0)), np.floor([hi])]))


@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize("method", ["pmf", "logpmf", "cdf", "sf"])
def test_point_methods_match_scipy(rate, method):
    k = _grid(rate)
    ours = getattr(Poisson(rate), method)(k)
    ref = getattr(stats.poisson(rate), method)(k)
    keep = ref > 1e-280 if method == "pmf" else np.isfinite(ref)  # |log f| < 645 keeps exp's
    np.testing.assert_allclose(ours[keep], ref[keep], rtol=RTOL, atol=0)  # conditioning
    if method == "pmf":
        assert np.all(ours[~keep] < 1e-279)


@pytest.mark.parametrize("rate", RATES)
def test_log_cdf_and_sf_match_scipy_where_scipy_is_accurate(rate):
    # scipy's logcdf is log(cdf), which loses the digits of a cdf close to 1; ours
    # switches to log1p(-sf) there, so compare with that formula on scipy's sf
    k = _grid(rate)
    d, ref = Poisson(rate), stats.poisson(rate)
    cdf, sf = ref.cdf(k), ref.sf(k)
    with np.errstate(divide="ignore"):
        want_logcdf = np.where(cdf <= 0.5, np.log(cdf), np.log1p(-sf))
        want_logsf = np.where(sf <= 0.5, np.log(sf), np.log1p(-cdf))
    np.testing.assert_allclose(d.logcdf(k), want_logcdf, rtol=RTOL, atol=0)
    np.testing.assert_allclose(d.logsf(k), want_logsf, rtol=RTOL, atol=0)


def _mp_log_mass(k, rate):
    k, rate = mpmath.mpf(k), mpmath.mpf(rate)
    return k * mpmath.log(rate) - rate - mpmath.loggamma(k + 1)


@pytest.mark.parametrize("rate", [1e3, 1e6, 1e12])
def test_huge_rates_against_mpmath(rate):
    # scipy's xlogy - gammaln form loses log10(k log k) digits: at rate 1e12 its pmf is
    # off by ~4e-3 near the mode. Loader's saddle point keeps a few ulps of log f.
    mpmath.mp.dps = 40
    sd = math.sqrt(rate)
    k = np.floor(rate + sd * np.linspace(-30, 30, 61))
    ref = np.array([float(_mp_log_mass(kk, rate)) for kk in k])
    d = Poisson(rate)
    np.testing.assert_allclose(d.logpmf(k), ref, rtol=1e-14)
    near = np.abs(k - rate) < 10 * sd
    np.testing.assert_allclose(d.pmf(k)[near], np.exp(ref[near]), rtol=2e-13)  # exp of |log f| < 70
    # the scalar path gives the same numbers
    assert d.logpmf(float(k[30])) == pytest.approx(ref[30], rel=1e-14)
    # cdf and sf are scipy's pdtr and pdtrc
    np.testing.assert_allclose(d.cdf(k), stats.poisson(rate).cdf(k), rtol=RTOL)
    np.testing.assert_allclose(d.sf(k), stats.poisson(rate).sf(k), rtol=RTOL)


def test_scipy_pmf_is_inaccurate_at_huge_rate():
    # the reason for the mpmath comparison above (fails if scipy ever fixes it)
    k = 1e12 + 1e6
    ref = math.exp(float(_mp_log_mass(k, 1e12)))
    assert abs(stats.poisson(1e12).pmf(k) / ref - 1) > 1e-6
    assert Poisson(1e12).pmf(k) == pytest.approx(ref, rel=1e-13)


def test_scalar_and_array_and_tabulated_paths_agree():
    d = Poisson(33.5)
    k = np.arange(0.0, 120.0)
    big = np.tile(k, 100)  # >= 4096 points on a small range: evaluated by table lookup
    for method in ("pmf", "logpmf", "cdf", "sf", "logcdf", "logsf"):
        small = getattr(d, method)(k)
        np.testing.assert_array_equal(getattr(d, method)(big), np.tile(small, 100))
        scalars = [getattr(d, method)(float(v)) for v in k[::7]]
        np.testing.assert_allclose(scalars, small[::7], rtol=1e-14, atol=0)


def test_batched_parameters_broadcast_with_points():
    rate = np.array([[0.5], [4.0], [100.0]])
    k = np.arange(0.0, 30.0)
    d = Poisson(rate=rate)
    assert d.batch_shape == (3, 1)
    for method in ("pmf", "cdf", "sf"):
        out = getattr(d, method)(k)
        assert out.shape == (3, 30)
        np.testing.assert_allclose(out, getattr(stats.poisson(rate), method)(k), rtol=RTOL)
    q = np.array([0.1, 0.5, 0.9])
    np.testing.assert_array_equal(d.ppf(q), stats.poisson(rate).ppf(q))
    np.testing.assert_allclose(d.mean(), rate[:, 0].reshape(3, 1))
    np.testing.assert_allclose(
        d.entropy()[:, 0], [stats.poisson(r).entropy() for r in rate[:, 0]], rtol=1e-12
    )


def test_outside_the_support_and_non_integers():
    d = Poisson(4.0)
    assert d.pmf(-1) == 0.0 and d.logpmf(-1) == -np.inf
    assert d.cdf(-0.5) == 0.0 and d.sf(-1) == 1.0 and d.logcdf(-1) == -np.inf
    assert d.pmf(2.5) == 0.0 and d.logpmf(2.5) == -np.inf
    assert d.cdf(2.5) == d.cdf(2) and d.sf(2.5) == d.sf(2)
    np.testing.assert_array_equal(d.pmf([-np.inf, np.inf]), [0.0, 0.0])
    np.testing.assert_array_equal(d.cdf([-np.inf, np.inf]), [0.0, 1.0])
    assert d.support == (0.0, math.inf)


Q = np.concatenate([[1e-300, 1e-100, 1e-20, 1e-16], np.linspace(0.001, 0.999, 41), [1 - 1e-10]])


@pytest.mark.parametrize("rate", [1e-3, 0.5, 4.0, 100.0, 1e4])
def test_ppf_isf_match_scipy(rate):
    d, ref = Poisson(rate), stats.poisson(rate)
    with np.errstate(all="ignore"):
        want_ppf, want_isf = ref.ppf(Q), ref.isf(Q)
    # scipy's isf is ppf(1 - q) and returns nan (or the wrong k) for q below ~1e-16:
    # there we check the definition instead, the smallest k with S(k) <= q
    ok = Q >= 1e-10
    np.testing.assert_array_equal(d.ppf(Q), want_ppf)
    np.testing.assert_array_equal(d.isf(Q)[ok], want_isf[ok])
    _check_quantile_definition(d, Q)


def _check_quantile_definition(d, q):
    k = d.ppf(q)
    assert np.all(d.cdf(k) >= q) and np.all((k - 1 < 0) | (d.cdf(k - 1) < q))
    k = d.isf(q)
    assert np.all(d.sf(k) <= q) and np.all((k - 1 < 0) | (d.sf(k - 1) > q))


@pytest.mark.parametrize("rate", [1e-3, 4.0, 1e6, 1e12])
def test_quantile_at_the_steps_and_far_tails(rate):
    d = Poisson(rate)
    k = np.unique(d.ppf(np.linspace(0.01, 0.99, 40)))
    cdf, sf = d.cdf(k), d.sf(k)
    np.testing.assert_array_equal(d.ppf(cdf[cdf < 1]), k[cdf < 1])  # q exactly at a step
    np.testing.assert_array_equal(d.isf(sf[sf > 0]), k[sf > 0])
    _check_quantile_definition(d, Q)


def test_quantile_of_one_many_and_a_batch_agree():
    d = Poisson(7.5)
    q = np.random.default_rng(0).random(5000)  # >= 4096: the cdf-table search
    many_ppf, many_isf = d.ppf(q), d.isf(q)
    few = q[:50]
    np.testing.assert_array_equal(many_ppf[:50], [d.ppf(float(v)) for v in few])
    np.testing.assert_array_equal(many_isf[:50], [d.isf(float(v)) for v in few])
    batch = Poisson(rate=np.full(3, 7.5))  # the base class's bracketing search
    np.testing.assert_array_equal(batch.ppf(few[:, None])[:, 0], many_ppf[:50])
    np.testing.assert_array_equal(batch.isf(few[:, None])[:, 0], many_isf[:50])
    np.testing.assert_array_equal(many_ppf, stats.poisson(7.5).ppf(q))


def test_quantile_endpoints():
    d = Poisson(4.0)
    assert d.ppf(0.0) == -1.0 and d.ppf(1.0) == np.inf
    assert d.isf(0.0) == np.inf and d.isf(1.0) == -1.0
    np.testing.assert_array_equal(d.ppf([0.0, 0.5, 1.0]), [-1.0, 4.0, np.inf])


@pytest.mark.parametrize("bad", [-0.1, 1.5, np.nan])
def test_ppf_outside_unit_interval_raises(bad):
    with pytest.raises(ValueError, match="q must lie in|q is NaN|q contains NaN"):
        Poisson(4.0).ppf(bad)
    with pytest.raises(ValueError, match="q must lie in|q contains NaN"):
        Poisson(4.0).isf([0.5, bad])


@pytest.mark.parametrize("rate", [0.0, -1.0, np.inf, np.nan])
def test_invalid_rate_raises(rate):
    with pytest.raises(ValueError, match=r"rate must be finite and > 0"):
        Poisson(rate)
    with pytest.raises(ValueError, match=r"rate must be finite and > 0"):
        Poisson(rate=[1.0, rate])


def test_points_with_nan_raise():
    with pytest.raises(ValueError, match="x is NaN"):
        Poisson(4.0).pmf(np.nan)
    with pytest.raises(ValueError, match="x contains NaN"):
        Poisson(4.0).cdf([1.0, np.nan])


def test_scalar_in_scalar_out():
    d = Poisson(4.0)
    for method in ("pmf", "logpmf", "cdf", "sf", "logcdf", "logsf"):
        assert type(getattr(d, method)(3)) is float
        assert type(getattr(d, method)(np.float64(3.0))) is float
        assert getattr(d, method)([3]).shape == (1,)
    for method in ("ppf", "isf"):
        assert type(getattr(d, method)(0.3)) is float
    for method in ("mean", "var", "std", "median", "entropy"):
        assert type(getattr(d, method)()) is float
    assert type(d.rvs(rng=0)) is float


def test_moments_and_median_match_scipy():
    for rate in (1e-3, 0.5, 4.0, 1e5):
        d, ref = Poisson(rate), stats.poisson(rate)
        assert d.mean() == ref.mean() and d.var() == ref.var()
        assert d.std() == pytest.approx(ref.std(), rel=1e-15)
        assert d.median() == ref.median()


@pytest.mark.parametrize("rate", [0.7, 1.0, 1.5, 4.0, 30.0, 999.0])
def test_entropy_matches_scipy(rate):
    # scipy sums -f log f as we do for 1 < rate < 1e4; at rate 999 its log-gamma pmf
    # leaves ~2e-13, still inside the tolerance
    assert Poisson(rate).entropy() == pytest.approx(stats.poisson(rate).entropy(), rel=1e-12)


def _mp_entropy(rate):
    mpmath.mp.dps = 30
    sd = math.sqrt(rate)
    lo, hi = max(0, int(rate - 15 * sd)), int(rate + 15 * sd + 40)
    total = mpmath.mpf(0)
    for k in range(lo, hi + 1):
        log_f = _mp_log_mass(k, rate)
        total -= mpmath.exp(log_f) * log_f
    return float(total)


@pytest.mark.parametrize("rate", [1e-300, 1e-20, 1e-3, 1.0, 9999.0, 1e4, 2e4])
def test_entropy_against_mpmath_in_every_regime(rate):
    # rate <= 1: lambda (1 - log lambda) + E[log X!]; scipy is off by 2% at 1e-20;
    # 1e4 and above: the asymptotic expansion; 9999 is the last summed one
    assert Poisson(rate).entropy() == pytest.approx(_mp_entropy(rate), rel=1e-14)


def test_entropy_expansion_agrees_with_summation_at_the_switch():
    for rate in (1e4, 1e5):
        d = Poisson(rate)
        assert d.entropy() == pytest.approx(float(entropy_by_summation(d)), rel=1e-15)
    huge = Poisson(1e12).entropy()
    assert huge == pytest.approx(0.5 * math.log(2 * math.pi * math.e * 1e12), rel=1e-15)


def test_kl_divergence_closed_form_direct_sum_and_monte_carlo():
    p, q = Poisson(4.0), Poisson(6.5)
    closed = 4.0 * math.log(4.0 / 6.5) + 6.5 - 4.0
    assert p.kl_divergence(q) == pytest.approx(closed, rel=1e-14)
    k = np.arange(0.0, 200.0)
    direct = np.sum(p.pmf(k) * (p.logpmf(k) - q.logpmf(k)))
    assert p.kl_divergence(q) == pytest.approx(direct, rel=1e-12)
    x = p.rvs(200_000, rng=np.random.default_rng(5))
    terms = p.logpmf(x) - q.logpmf(x)
    se = terms.std() / math.sqrt(x.size)
    assert abs(terms.mean() - p.kl_divergence(q)) < 4 * se
    assert p.kl_divergence(p) == 0.0


def test_kl_divergence_of_close_rates_keeps_its_digits():
    # a log(a/b) + b - a cancels to ~(a - b)^2 / (2a); bd0 evaluates it by a series
    a, b = 4.0, 4.0 * (1 + 1e-7)
    mpmath.mp.dps = 50
    A, B = mpmath.mpf(a), mpmath.mpf(b)
    exact = float(A * mpmath.log(A / B) + B - A)
    assert Poisson(a).kl_divergence(Poisson(b)) == pytest.approx(exact, rel=1e-12)


def test_kl_divergence_batched():
    a = Poisson(rate=np.array([1.0, 4.0, 9.0]))
    b = Poisson(rate=np.array([[2.0], [4.0]]))
    out = a.kl_divergence(b)
    assert out.shape == (2, 3)
    want = special.rel_entr(a.rate, b.rate) + b.rate - a.rate
    np.testing.assert_allclose(out, want, rtol=1e-13, atol=1e-300)


def _chi_square_pvalue(sample, d):
    k, observed = np.unique(sample, return_counts=True)
    expected = sample.size * d.pmf(k)
    keep = expected >= 5
    obs, exp = observed[keep], expected[keep]
    obs = np.append(obs, sample.size - obs.sum())
    exp = np.append(exp, sample.size - exp.sum())
    if exp[-1] < 1e-9:
        obs, exp = obs[:-1], exp[:-1]
    return stats.chisquare(obs, exp * obs.sum() / exp.sum()).pvalue


@pytest.mark.parametrize("rate", [0.3, 4.0, 250.0, 3e4])
def test_sampler_passes_chi_square(rate):
    d = Poisson(rate)
    sample = d.rvs(20_000, rng=np.random.default_rng(20261125))
    assert _chi_square_pvalue(sample, d) > 0.01
    assert np.all(sample == np.floor(sample)) and sample.dtype == np.float64


def test_large_samples_invert_the_tabulated_cdf():
    # >= 4096 draws with a scalar rate: X = F^{-1}(U) by a search in the cdf table,
    # the same k as ppf(U) for the same uniforms; fewer draws use NumPy's generator
    d = Poisson(4.0)
    x = d.rvs(10_000, rng=np.random.default_rng(5))
    u = np.random.default_rng(5).random(10_000)
    np.testing.assert_array_equal(x, d.ppf(u))
    few = d.rvs(3000, rng=np.random.default_rng(20261125))
    np.testing.assert_array_equal(few, np.random.default_rng(20261125).poisson(4.0, 3000))
    assert _chi_square_pvalue(few, d) > 0.01
    wide = Poisson(1e12).rvs(5000, rng=0)  # a range wider than the draws: NumPy's generator
    assert abs(wide.mean() - 1e12) < 4 * math.sqrt(1e12 / 5000)


def test_sampler_shapes():
    assert type(Poisson(4.0).rvs(rng=0)) is float
    assert Poisson(4.0).rvs(5, rng=0).shape == (5,)
    assert Poisson(4.0).rvs((2, 3), rng=0).shape == (2, 3)
    batch = Poisson(rate=[1.0, 10.0, 100.0])
    assert batch.rvs(rng=0).shape == (3,)
    draws = batch.rvs((4000, 3), rng=0)
    np.testing.assert_allclose(draws.mean(axis=0), [1.0, 10.0, 100.0], rtol=0.05)
    with pytest.raises(ValueError, match="must contain the parameters' shape"):
        batch.rvs((5, 1), rng=0)
    np.testing.assert_array_equal(Poisson(4.0).rvs(10, rng=3), Poisson(4.0).rvs(10, rng=3))


# -- maximum likelihood -----------------------------------------------------------------
def test_fit_is_the_sample_mean_and_beats_scipy():
    x = Poisson(3.7).rvs(3000, rng=np.random.default_rng(2))
    fitted = Poisson.fit(x)
    res = fitted.fit_result
    assert isinstance(res, FitResult) and res.free == ("rate",) and res.n_iter == 0
    assert fitted.rate == pytest.approx(x.mean(), rel=1e-15)
    theirs = stats.fit(stats.poisson, x, bounds={"mu": (0.01, 20.0)}).params.mu
    ll_theirs = np.sum(stats.poisson.logpmf(x, theirs))
    assert res.log_likelihood >= ll_theirs - 1e-9 * abs(ll_theirs)
    assert res.log_likelihood == pytest.approx(np.sum(stats.poisson.logpmf(x, x.mean())), rel=1e-12)


def test_fit_standard_error_closed_form_and_numerical_hessian():
    x = Poisson(12.0).rvs(800, rng=np.random.default_rng(4))
    res = Poisson.fit(x).fit_result
    rate = x.mean()
    assert res.stderr["rate"] == pytest.approx(math.sqrt(rate / x.size), rel=1e-12)
    info = numerical_information(
        lambda t: np.sum(stats.poisson.logpmf(x, t[0])), np.array([rate])
    )
    assert res.stderr["rate"] == pytest.approx(1 / math.sqrt(info[0, 0]), rel=1e-5)


def test_fit_with_fixed_rate():
    x = [0, 1, 2, 5]
    res = Poisson.fit(x, rate=2.5).fit_result
    assert res.params == {"rate": 2.5} and res.free == () and res.stderr == {}
    assert res.log_likelihood == pytest.approx(np.sum(stats.poisson.logpmf(x, 2.5)), rel=1e-14)


def test_fit_rejects_bad_data():
    with pytest.raises(ValueError, match="all data are 0.*rate must be > 0"):
        Poisson.fit([0, 0, 0])
    with pytest.raises(ValueError, match=r"Poisson data must be integers in \{0, 1, 2, \.\.\.\}, got -1.0"):
        Poisson.fit([1, -1, 2])
    with pytest.raises(ValueError, match="must be integers.*got 1.5"):
        Poisson.fit([1, 1.5])
    with pytest.raises(ValueError, match="data is empty"):
        Poisson.fit([])
    with pytest.raises(ValueError, match="NaN or inf"):
        Poisson.fit([1.0, np.nan])
    with pytest.raises(TypeError, match="unknown parameter"):
        Poisson.fit([1, 2], mu=2.0)


@given(
    rate=st_.floats(min_value=1e-6, max_value=1e7),
    q=st_.floats(min_value=1e-12, max_value=1 - 1e-12),
)
def test_property_quantile_is_the_smallest_k_reaching_q(rate, q):
    d = Poisson(rate)
    k = d.ppf(q)
    assert d.cdf(k) >= q and (k == 0 or d.cdf(k - 1) < q)
    k = d.isf(q)
    assert d.sf(k) <= q and (k == 0 or d.sf(k - 1) > q)


@given(a=st_.floats(min_value=1e-6, max_value=1e6), b=st_.floats(min_value=1e-6, max_value=1e6))
def test_property_kl_is_non_negative_and_zero_only_at_equality(a, b):
    kl = Poisson(a).kl_divergence(Poisson(b))
    assert kl >= 0 and (kl > 0) == (a != b) or (a != b and kl < 1e-300)


def test_log_cdf_of_an_underflowing_cdf_is_quiet_for_scalars():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Poisson(1000.0).logcdf(0) == -np.inf


def test_quantile_of_a_python_float_for_a_batch():
    np.testing.assert_array_equal(Poisson(rate=[1.0, 4.0]).ppf(0.5), [1.0, 4.0])
