"""NegativeBinomial against scipy.stats.nbinom, mpmath, the Gamma-Poisson mixture, fits."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st_
from scipy import integrate, optimize, stats

from mlfoundations.probability._discrete_kernels import entropy_by_summation
from mlfoundations.probability._fitting import numerical_information
from mlfoundations.probability.negative_binomial import NegativeBinomial

mpmath = pytest.importorskip("mpmath")

RTOL = 1e-12
PARAMS = [
    (1e-8, 0.3),
    (0.3, 0.05),
    (1.0, 0.25),
    (2.5, 0.3),
    (40.0, 0.3),
    (40.0, 1e-6),
    (7.0, 0.9999),
]


def _grid(d, width=40):
    m, sd = d.mean(), d.std()
    k = np.concatenate([np.arange(0.0, 60.0), np.floor(m + sd * np.linspace(-width, width, 161))])
    return np.unique(k[k >= 0])


def _with_log_tails(ref, method, k):
    # scipy's logcdf is log(cdf); ours switches to log1p(-sf) where the cdf is near 1
    with np.errstate(divide="ignore"):
        cdf, sf = ref.cdf(k), ref.sf(k)
        if method == "logcdf":
            return np.where(cdf <= 0.5, np.log(cdf), np.log1p(-sf))
        return np.where(sf <= 0.5, np.log(sf), np.log1p(-cdf))


@pytest.mark.parametrize("n, p", PARAMS)
@pytest.mark.parametrize("method", ["pmf", "cdf", "sf", "logcdf", "logsf"])
def test_point_methods_match_scipy(n, p, method):
    # scipy's pmf, cdf, sf are Boost's. Masses below 1e-100 (|log f| > 230, where exp
    # amplifies the rounding of log f) are left to the mpmath test.
    d, ref = NegativeBinomial(n, p), stats.nbinom(n, p)
    k = _grid(d)
    ours = getattr(d, method)(k)
    if method in ("pmf", "cdf", "sf"):
        want = getattr(ref, method)(k)
    else:
        want = _with_log_tails(ref, method, k)
    keep = np.isfinite(want) & (ref.pmf(k) > 1e-100)
    np.testing.assert_allclose(ours[keep], want[keep], rtol=RTOL, atol=0)


def _mp_log_mass(k, n, p):
    k, n, p = mpmath.mpf(k), mpmath.mpf(n), mpmath.mpf(p)
    return (
        mpmath.loggamma(k + n)
        - mpmath.loggamma(n)
        - mpmath.loggamma(k + 1)
        + n * mpmath.log(p)
        + k * mpmath.log1p(-p)
    )


@pytest.mark.parametrize("n, p", PARAMS + [(1e6, 0.3), (1e15, 0.3), (1e15, 1 - 1e-10)])
def test_log_mass_against_mpmath(n, p):
    # scipy's logpmf is the log-gamma formula: 4e-10 relative error at n = 1e6, 40% at 1e15
    mpmath.mp.dps = 50
    d = NegativeBinomial(n, p)
    k = _grid(d, width=30)
    ref = np.array([float(_mp_log_mass(v, n, p)) for v in k])
    # backward stable: rounding p (or n p) by eps moves log f by eps * cond, with
    # cond = |d log f / d log p| = |n - (n + k) p| / (1 - p), up to 3e8 here at n = 1e15
    cond = np.abs(n - (n + k) * p) / (1 - p)
    # (+ 6e-14: up to SMALL = 32 the log-gamma formula loses up to log Gamma(33) eps)
    assert np.all(np.abs(d.logpmf(k) - ref) <= 1e-15 * (np.abs(ref) + cond) + 6e-14)
    near = cond < 1e3  # there the mass itself keeps 12 digits
    np.testing.assert_allclose(d.pmf(k)[near], np.exp(ref[near]), rtol=1e-12)


def test_is_the_gamma_mixture_of_poissons():
    # f(k) = integral Poisson(k; lam) Gamma(lam; shape n, rate p / (1 - p)) dlam: the
    # posterior predictive of the Gamma-Poisson model
    n, p = 2.7, 0.35
    rate = p / (1 - p)
    d = NegativeBinomial(n, p)
    for k in (0, 1, 4, 15):
        def integrand(lam):
            return stats.poisson.pmf(k, lam) * stats.gamma.pdf(lam, n, scale=1 / rate)

        mixed = integrate.quad(integrand, 0, np.inf, epsabs=0, epsrel=1e-13, limit=200)[0]
        assert d.pmf(k) == pytest.approx(mixed, rel=1e-10)


def test_geometric_special_case():
    p = 0.25
    d = NegativeBinomial(1.0, p)
    k = np.arange(0.0, 30.0)
    np.testing.assert_allclose(d.pmf(k), (1 - p) ** k * p, rtol=1e-14)
    np.testing.assert_allclose(d.cdf(k), 1 - (1 - p) ** (k + 1), rtol=1e-13)
    closed = (-(1 - p) * math.log(1 - p) - p * math.log(p)) / p
    assert d.entropy() == pytest.approx(closed, rel=1e-14)


def test_point_mass_at_p_one_and_invalid_parameters():
    d = NegativeBinomial(3.0, 1.0)
    assert d.pmf(0) == 1.0 and d.pmf(1) == 0.0 and d.entropy() == 0.0 and d.var() == 0.0
    np.testing.assert_array_equal(d.rvs(20, rng=0), np.zeros(20))
    with pytest.raises(ValueError, match=r"p must be in \(0, 1\]"):
        NegativeBinomial(3.0, 0.0)
    with pytest.raises(ValueError, match=r"p must be in \(0, 1\]"):
        NegativeBinomial(3.0, [0.5, 0.0])
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
        NegativeBinomial(3.0, 1.2)
    with pytest.raises(ValueError, match="n must be finite and > 0"):
        NegativeBinomial(0.0, 0.5)
    with pytest.raises(ValueError, match="n must be finite and > 0"):
        NegativeBinomial(np.nan, 0.5)


def test_outside_the_support():
    d = NegativeBinomial(2.5, 0.3)
    assert d.pmf(-1) == 0.0 and d.logpmf(-1) == -np.inf and d.cdf(-1) == 0.0
    assert d.pmf(1.5) == 0.0 and d.cdf(1.5) == d.cdf(1.0)
    np.testing.assert_array_equal(d.pmf([-np.inf, np.inf]), [0.0, 0.0])
    np.testing.assert_array_equal(d.cdf([-np.inf, np.inf]), [0.0, 1.0])
    assert d.logpmf(np.inf) == -np.inf


@pytest.mark.parametrize("n, p", PARAMS)
def test_summaries_match_scipy(n, p):
    d, ref = NegativeBinomial(n, p), stats.nbinom(n, p)
    assert d.mean() == pytest.approx(ref.mean(), rel=1e-14)
    assert d.var() == pytest.approx(ref.var(), rel=1e-14)
    assert d.median() == ref.median()


@pytest.mark.parametrize("n, p", [(3.5, 0.4), (40.0, 0.3), (1.0, 0.999999)])
def test_entropy_matches_scipy(n, p):
    # scipy's generic summation; it does not converge for (0.1, 0.01), see mpmath below
    assert NegativeBinomial(n, p).entropy() == pytest.approx(stats.nbinom(n, p).entropy(), rel=1e-12)


@pytest.mark.parametrize("n, p", [(0.1, 0.01), (1e-3, 0.5), (2.5, 0.3)])
def test_entropy_against_mpmath(n, p):
    mpmath.mp.dps = 30
    d = NegativeBinomial(n, p)
    hi = int(d.isf(1e-25))
    total = mpmath.mpf(0)
    for k in range(hi + 1):
        log_f = _mp_log_mass(k, n, p)
        total -= mpmath.exp(log_f) * log_f
    assert d.entropy() == pytest.approx(float(total), rel=1e-13)


@pytest.mark.parametrize("n, p", [(1e5 / 0.7 + 1, 0.3), (2e5, 0.9), (1.2e5, 0.02)])
def test_entropy_expansion_agrees_with_summation(n, p):
    d = NegativeBinomial(n, p)
    assert d.entropy() == pytest.approx(float(entropy_by_summation(d)), rel=1e-15)


def test_entropy_refuses_an_endless_sum():
    with pytest.raises(ValueError, match="no closed form and summing its mass would need"):
        NegativeBinomial(1.0, 1e-9).entropy()


def test_batched_parameters():
    n = np.array([[1.0], [2.5], [40.0]])
    p = np.array([0.2, 0.5])
    d = NegativeBinomial(n, p)
    assert d.batch_shape == (3, 2)
    k = np.array([0.0, 3.0])
    k3 = k[:, None, None]
    np.testing.assert_allclose(d.pmf(k3), stats.nbinom(n, p).pmf(k3), rtol=RTOL)
    q = np.array([[0.1], [0.5], [0.9]])
    np.testing.assert_array_equal(d.ppf(q), stats.nbinom(n, p).ppf(q))
    # each row summed on a common grid gives what each distribution gives alone (the
    # scalar entropies are checked against mpmath; scipy's sum is off by 1.7e-12 at (40, 0.2))
    np.testing.assert_allclose(
        d.entropy(), [[NegativeBinomial(a, b).entropy() for b in p] for a in n[:, 0]], rtol=1e-14
    )
    np.testing.assert_allclose(
        d.entropy(), [[stats.nbinom(a, b).entropy() for b in p] for a in n[:, 0]], rtol=1e-11
    )
    assert d.rvs(rng=0).shape == (3, 2)


Q = np.concatenate([[1e-300, 1e-100, 1e-20], np.linspace(0.001, 0.999, 41), [1 - 1e-10]])


@pytest.mark.parametrize("n, p", [(2.5, 0.3), (0.3, 0.05), (40.0, 0.9)])
def test_quantiles(n, p):
    d, ref = NegativeBinomial(n, p), stats.nbinom(n, p)
    ok = Q >= 1e-10  # scipy's isf(q) is ppf(1 - q): nan or wrong for tiny q
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(d.ppf(Q[ok]), ref.ppf(Q[ok]))
        np.testing.assert_array_equal(d.isf(Q[ok]), ref.isf(Q[ok]))
    k = d.ppf(Q)
    assert np.all(d.cdf(k) >= Q) and np.all((k == 0) | (d.cdf(k - 1) < Q))
    k = d.isf(Q)
    assert np.all(d.sf(k) <= Q) and np.all((k == 0) | (d.sf(k - 1) > Q))
    many = np.random.default_rng(3).random(5000)  # the cdf-table search
    np.testing.assert_array_equal(d.ppf(many), ref.ppf(many))


def test_sampler():
    d = NegativeBinomial(2.5, 0.3)
    x = d.rvs(20_000, rng=np.random.default_rng(20261125))
    k, observed = np.unique(x, return_counts=True)
    expected = x.size * d.pmf(k)
    keep = expected >= 5
    obs, exp = np.append(observed[keep], x.size - observed[keep].sum()), expected[keep]
    exp = np.append(exp, x.size - exp.sum())
    assert stats.chisquare(obs, exp).pvalue > 0.01
    assert type(d.rvs(rng=0)) is float and d.rvs((2, 5), rng=0).shape == (2, 5)


def test_no_closed_form_kl():
    with pytest.raises(TypeError, match="no closed-form KL divergence"):
        NegativeBinomial(2.0, 0.3).kl_divergence(NegativeBinomial(3.0, 0.3))


def test_scalar_in_scalar_out():
    d = NegativeBinomial(2.5, 0.3)
    for method in ("pmf", "logpmf", "cdf", "sf", "logcdf", "logsf"):
        assert type(getattr(d, method)(3)) is float
        assert type(getattr(NegativeBinomial(100.0, 0.3), method)(300)) is float
    for method in ("ppf", "isf"):
        assert type(getattr(d, method)(0.3)) is float
    for method in ("mean", "var", "std", "median", "entropy"):
        assert type(getattr(d, method)()) is float


# -- maximum likelihood -----------------------------------------------------------------
def _scipy_loglik(x, n, p):
    return float(np.sum(stats.nbinom.logpmf(x, n, p)))


@pytest.mark.parametrize("n, p, size", [(3.5, 0.4, 5000), (0.3, 0.05, 2000), (50.0, 0.5, 3000)])
def test_fit_beats_a_direct_optimisation_of_scipys_likelihood(n, p, size):
    x = NegativeBinomial(n, p).rvs(size, rng=np.random.default_rng(31))
    fitted = NegativeBinomial.fit(x)
    res = fitted.fit_result
    assert res.converged and res.free == ("n", "p") and 0 < res.n_iter < 20

    def nll(theta):  # unconstrained: n = exp(a), p = logistic(b)
        return -_scipy_loglik(x, math.exp(theta[0]), 1 / (1 + math.exp(-theta[1])))

    start = [math.log(n), math.log(p / (1 - p))]
    options = {"xatol": 1e-9, "fatol": 1e-9, "maxiter": 2000}
    theirs = optimize.minimize(nll, start, method="Nelder-Mead", options=options)
    assert theirs.success
    ll_theirs = -theirs.fun
    ll_ours = _scipy_loglik(x, fitted.n, fitted.p)  # the same function for both
    assert ll_ours >= ll_theirs - 1e-9 * abs(ll_theirs)
    # at the estimate the score vanishes and p = n / (n + mean)
    assert fitted.p == pytest.approx(fitted.n / (fitted.n + x.mean()), rel=1e-14)
    info = numerical_information(
        lambda t: _scipy_loglik(x, t[0], t[1]), np.array([fitted.n, fitted.p])
    )
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    np.testing.assert_allclose([res.stderr["n"], res.stderr["p"]], se, rtol=1e-3)


def test_fit_with_one_parameter_fixed():
    x = NegativeBinomial(2.0, 0.3).rvs(3000, rng=np.random.default_rng(7))
    with_n = NegativeBinomial.fit(x, n=2.0)
    assert with_n.p == pytest.approx(2.0 / (2.0 + x.mean()), rel=1e-15)
    assert with_n.fit_result.free == ("p",)
    se = with_n.fit_result.stderr["p"]
    info = numerical_information(lambda t: _scipy_loglik(x, 2.0, t[0]), np.array([with_n.p]))
    assert se == pytest.approx(1 / math.sqrt(info[0, 0]), rel=1e-5)

    with_p = NegativeBinomial.fit(x, p=0.3)
    assert with_p.fit_result.free == ("n",) and with_p.fit_result.converged
    grid = np.linspace(with_p.n * 0.98, with_p.n * 1.02, 41)
    lls = [_scipy_loglik(x, g, 0.3) for g in grid]
    assert _scipy_loglik(x, with_p.n, 0.3) >= max(lls) - 1e-9 * abs(max(lls))


def test_fit_rejects_data_without_a_maximum():
    with pytest.raises(ValueError, match=r"not over-dispersed \(variance 0.666667 <= mean 2\)"):
        NegativeBinomial.fit([1, 2, 3])
    with pytest.raises(ValueError, match="all data are 0"):
        NegativeBinomial.fit([0, 0, 0])
    with pytest.raises(ValueError, match=r"NegativeBinomial data must be integers.*got -2.0"):
        NegativeBinomial.fit([1, -2, 3])
    with pytest.raises(ValueError, match="got 0.5"):
        NegativeBinomial.fit([1, 0.5])
    with pytest.raises(ValueError, match="data is empty"):
        NegativeBinomial.fit([])
    with pytest.raises(ValueError, match="p = 1 puts all mass at 0"):
        NegativeBinomial.fit([0, 1, 7], p=1.0)
    with pytest.raises(ValueError, match=r"p must be in \(0, 1\]"):
        NegativeBinomial.fit([0, 1, 7], p=0.0)
    with pytest.raises(ValueError, match="all data are 0"):
        NegativeBinomial.fit([0, 0], p=0.5)


def test_fit_of_poisson_like_data_converges_or_refuses_cleanly():
    # barely over-dispersed data push n towards infinity: either a (large) finite
    # estimate with no warning, or the ValueError; never a silent NaN
    x = np.random.default_rng(0).poisson(5.0, 4000).astype(float)
    var, mean = x.var(), x.mean()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if var > mean:
            fitted = NegativeBinomial.fit(x)
            assert np.isfinite(fitted.n) and fitted.n > 20
        else:
            with pytest.raises(ValueError, match="not over-dispersed"):
                NegativeBinomial.fit(x)


@settings(max_examples=40)
@given(
    n=st_.floats(min_value=1e-3, max_value=1e6),
    p=st_.floats(min_value=1e-4, max_value=1.0),
    q=st_.floats(min_value=1e-12, max_value=1 - 1e-12),
)
def test_property_quantile_is_the_smallest_k_reaching_q(n, p, q):
    d = NegativeBinomial(n, p)
    k = d.ppf(q)
    assert d.cdf(k) >= q and (k == 0 or d.cdf(k - 1) < q)
    k = d.isf(q)
    assert d.sf(k) <= q and (k == 0 or d.sf(k - 1) > q)
