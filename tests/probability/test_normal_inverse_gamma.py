"""The normal-inverse-gamma model (unknown mean and variance) and its distribution.

The brute-force oracle integrates prior(mu, sigma^2) x likelihood over the plane by
adaptive cubature (scipy.integrate.cubature, relative tolerance 1e-12), with the normal
and inverse-gamma densities taken from scipy.stats.
"""

import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, special, stats

from mlfoundations.probability.normal_inverse_gamma import (
    NormalInverseGamma,
    NormalInverseGammaDistribution,
)

SEED = 7
PRIOR = dict(mu0=0.5, kappa0=2.0, alpha0=3.0, beta0=2.0)
DATA = np.random.default_rng(SEED).normal(1.2, 0.8, size=12)


def log_prior(mu, s2):
    """log N(mu | mu0, s2/kappa0) + log IG(s2 | alpha0, beta0)."""
    log_normal = stats.norm.logpdf(mu, PRIOR["mu0"], np.sqrt(s2 / PRIOR["kappa0"]))
    return log_normal + stats.invgamma.logpdf(s2, PRIOR["alpha0"], scale=PRIOR["beta0"])


def log_likelihood(mu, s2):
    """sum_i log N(x_i | mu, s2), vectorised over arrays mu and s2 of one shape."""
    terms = stats.norm.logpdf(DATA[:, None], np.ravel(mu), np.sqrt(np.ravel(s2)))
    return terms.sum(axis=0).reshape(np.shape(mu))


XBAR, S2_HAT, N = DATA.mean(), DATA.var(), DATA.size
SHIFT = float(log_prior(XBAR, S2_HAT) + log_likelihood(XBAR, S2_HAT))


def joint(mu, s2):
    """prior x likelihood, scaled by exp(-SHIFT) to stay near 1 at the peak."""
    return np.exp(log_prior(mu, s2) + log_likelihood(mu, s2) - SHIFT)


def over_plane(g):
    """integral of prior x likelihood x g over (mu, s2), by adaptive cubature.

    Coordinates fitted to the data, not to the closed form: s2 = S2_HAT e^u and
    mu = XBAR + sqrt(s2 / n) z, with u in [-6, 8] and z in [-12, 12] (beyond them the
    integrand is below 1e-30 of its peak).
    """

    def integrand(p):
        z, u = p[:, 0], p[:, 1]
        s2 = S2_HAT * np.exp(u)
        mu = XBAR + np.sqrt(s2 / N) * z
        return joint(mu, s2) * g(mu, s2) * np.sqrt(s2 / N) * s2

    res = integrate.cubature(integrand, [-12.0, -6.0], [12.0, 8.0], rtol=1e-12, atol=0.0)
    assert res.status == "converged"
    return float(res.estimate)


def over_variance(mu):
    """integral of prior x likelihood over s2 at a fixed mu (s2 = S2_HAT e^u)."""
    def integrand(u):
        s2 = S2_HAT * np.exp(u[:, 0])
        return joint(np.full(s2.shape, mu), s2) * s2

    res = integrate.cubature(integrand, [-8.0], [10.0], rtol=1e-12, atol=0.0)
    assert res.status == "converged"
    return float(res.estimate)


@pytest.fixture(scope="module")
def brute():
    z = over_plane(lambda mu, s2: 1.0)
    mean_mu = over_plane(lambda mu, s2: mu) / z
    mean_s2 = over_plane(lambda mu, s2: s2) / z
    var_mu = over_plane(lambda mu, s2: (mu - mean_mu) ** 2) / z
    var_s2 = over_plane(lambda mu, s2: (s2 - mean_s2) ** 2) / z
    return dict(log_z=math.log(z) + SHIFT, z=z, mean_mu=mean_mu, mean_s2=mean_s2,
                var_mu=var_mu, var_s2=var_s2)


# --- closed form ---------------------------------------------------------------------------
def test_update_by_hand():
    # n = 3, xbar = 2, SS = 2: kappa 1+3, mu (0 + 6)/4, alpha 1 + 3/2,
    # beta 1 + 2/2 + (1 * 3 / 4) * 4 / 2
    post = NormalInverseGamma().update([1.0, 2.0, 3.0])
    assert post == NormalInverseGamma(mu0=1.5, kappa0=4.0, alpha0=2.5, beta0=3.5)


def test_update_matches_murphy_raw_moment_form():
    # Murphy (2007) eq. for b_n in raw sums: beta0 + (kappa0 mu0^2 + sum x^2 - kappa_n mu_n^2)/2
    post = NormalInverseGamma(**PRIOR).update(DATA)
    n = DATA.size
    kappa_n = PRIOR["kappa0"] + n
    mu_n = (PRIOR["kappa0"] * PRIOR["mu0"] + DATA.sum()) / kappa_n
    beta_n = PRIOR["beta0"] + 0.5 * (
        PRIOR["kappa0"] * PRIOR["mu0"] ** 2 + np.sum(DATA**2) - kappa_n * mu_n**2
    )
    np.testing.assert_allclose(
        dataclasses.astuple(post), [mu_n, kappa_n, PRIOR["alpha0"] + n / 2, beta_n], rtol=1e-13
    )


def test_update_is_stable_far_from_the_origin():
    # data around 1e9 with spread 1: the raw-moment form cancels ~1e18 against ~1e18
    rng = np.random.default_rng(SEED)
    noise = rng.normal(0.0, 1.0, size=1000)
    offset = 1e9
    near = NormalInverseGamma(mu0=0.0, kappa0=1.0, alpha0=2.0, beta0=1.0).update(noise)
    x = noise + offset
    far = NormalInverseGamma(mu0=offset, kappa0=1.0, alpha0=2.0, beta0=1.0).update(x)
    # exact rational arithmetic on the same floats is the oracle
    xs = [Fraction(v) for v in x]
    xbar = sum(xs) / len(xs)
    ss = sum((v - xbar) ** 2 for v in xs)
    kappa_n = 1 + len(xs)
    beta_n = 1 + ss / 2 + Fraction(len(xs), kappa_n) * (xbar - Fraction(offset)) ** 2 / 2
    assert far.beta0 == pytest.approx(float(beta_n), rel=1e-12)
    mu_n = (Fraction(offset) + len(xs) * xbar) / kappa_n
    assert far.mu0 == pytest.approx(float(mu_n), rel=1e-15)
    # translation moves mu only; beta agrees to the rounding of the shifted data (~1e-8)
    assert far.mu0 - offset == pytest.approx(near.mu0, abs=1e-6)
    assert (far.kappa0, far.alpha0) == (near.kappa0, near.alpha0)
    assert far.beta0 == pytest.approx(near.beta0, rel=1e-8)


# --- brute force ---------------------------------------------------------------------------
def test_posterior_moments_match_numerical_integration(brute):
    post = NormalInverseGamma(**PRIOR).update(DATA)
    a, b, k = post.alpha0, post.beta0, post.kappa0
    # closed forms: E[mu] = mu_n, Var[mu] = beta/((alpha-1) kappa), E[s2] = beta/(alpha-1),
    # Var[s2] = beta^2/((alpha-1)^2 (alpha-2)); agreement with the cubature (rtol 1e-12)
    # to 1e-12 (observed: below 1e-15)
    assert post.mean() == pytest.approx(brute["mean_mu"], rel=1e-12)
    assert post.posterior.mean()[1] == pytest.approx(brute["mean_s2"], rel=1e-12)
    assert b / ((a - 1) * k) == pytest.approx(brute["var_mu"], rel=1e-12)
    assert post.posterior.marginal_mean().var() == pytest.approx(brute["var_mu"], rel=1e-12)
    assert post.posterior.marginal_variance().var() == pytest.approx(brute["var_s2"], rel=1e-12)


def test_log_marginal_likelihood_matches_numerical_integration(brute):
    model = NormalInverseGamma(**PRIOR)
    assert model.log_marginal_likelihood(DATA) == pytest.approx(brute["log_z"], rel=1e-12)


def test_posterior_density_matches_normalised_prior_times_likelihood(brute):
    posterior = NormalInverseGamma(**PRIOR).update(DATA).posterior
    for mu, s2 in [(XBAR, S2_HAT), (XBAR - 0.3, 0.5 * S2_HAT), (XBAR + 0.5, 2 * S2_HAT)]:
        expected = log_prior(mu, s2) + log_likelihood(mu, s2) - brute["log_z"]
        assert posterior.logpdf(mu, s2) == pytest.approx(expected, abs=1e-11)


def test_marginal_of_mu_matches_integrating_out_the_variance(brute):
    marginal = NormalInverseGamma(**PRIOR).update(DATA).posterior.marginal_mean()
    for mu in XBAR + np.array([-1.0, -0.2, 0.0, 0.4]):
        assert marginal.pdf(mu) == pytest.approx(over_variance(mu) / brute["z"], rel=1e-12)


# --- predictive ----------------------------------------------------------------------------
def test_predictive_matches_integral_over_the_posterior():
    post = NormalInverseGamma(**PRIOR).update(DATA)
    predictive = post.posterior_predictive
    assert predictive.df == 2 * post.alpha0
    for x in [-1.0, 0.5, XBAR, 3.0]:
        # mu integrated in closed form (N(x | mu_n, s2 (1 + 1/kappa_n))), s2 by quadrature
        def integrand(s2):
            return stats.norm.pdf(x, post.mu0, math.sqrt(s2 * (1 + 1 / post.kappa0))) * (
                stats.invgamma.pdf(s2, post.alpha0, scale=post.beta0)
            )

        numeric = integrate.quad(integrand, 0, np.inf, epsabs=0, epsrel=1e-11, limit=200)[0]
        assert predictive.pdf(x) == pytest.approx(numeric, rel=1e-10)  # quad at 1e-11
        # and as a ratio of evidences p(data, x) / p(data)
        model = NormalInverseGamma(**PRIOR)
        ratio = math.exp(
            model.log_marginal_likelihood(np.append(DATA, x)) - model.log_marginal_likelihood(DATA)
        )
        assert predictive.pdf(x) == pytest.approx(ratio, rel=1e-11)


def test_predictive_by_monte_carlo():
    # (mu, s2) from the posterior, then x ~ N(mu, s2): KS test against the Student t
    post = NormalInverseGamma(**PRIOR).update(DATA)
    rng = np.random.default_rng(SEED)
    mu, s2 = post.posterior.rvs(size=100_000, rng=rng)
    x = rng.normal(mu, np.sqrt(s2))
    assert stats.kstest(x, post.posterior_predictive.cdf).pvalue > 0.01


# --- the distribution object -----------------------------------------------------------------
def test_distribution_logpdf_matches_scipy():
    nig = NormalInverseGammaDistribution(m=0.5, kappa=2.0, alpha=3.0, beta=2.0)
    ref = stats.normal_inverse_gamma(mu=0.5, lmbda=2.0, a=3.0, b=2.0)
    mu = np.linspace(-3, 4, 15)[:, None]
    s2 = np.geomspace(1e-3, 1e3, 11)[None, :]
    np.testing.assert_allclose(nig.logpdf(mu, s2), ref.logpdf(mu, s2), rtol=1e-12)
    np.testing.assert_allclose(nig.pdf(mu, s2), ref.pdf(mu, s2), rtol=1e-12, atol=1e-300)
    assert isinstance(nig.logpdf(0.1, 0.2), float)
    assert nig.pdf(0.1, 0.2) == pytest.approx(ref.pdf(0.1, 0.2), rel=1e-12)
    np.testing.assert_array_equal(nig.logpdf([0.0, 0.0, 0.0], [0.0, -1.0, np.inf]), -np.inf)
    assert nig.pdf(0.0, -1.0) == 0.0


def test_distribution_marginals_and_mean():
    nig = NormalInverseGammaDistribution(m=0.5, kappa=2.0, alpha=3.0, beta=2.0)
    t = nig.marginal_mean()
    assert (t.df, t.mu) == (6.0, 0.5)
    assert t.sigma == pytest.approx(math.sqrt(2.0 / (3.0 * 2.0)), rel=1e-15)
    ig = nig.marginal_variance()
    assert (ig.shape, ig.scale) == (3.0, 2.0)
    assert nig.mean() == (0.5, 1.0)
    assert NormalInverseGammaDistribution(0.0, 1.0, 0.5, 1.0).mean() == (0.0, math.inf)


def test_distribution_rvs():
    nig = NormalInverseGammaDistribution(m=0.5, kappa=2.0, alpha=3.0, beta=2.0)
    mu, s2 = nig.rvs(rng=1)
    assert isinstance(mu, float) and isinstance(s2, float) and s2 > 0
    mu, s2 = nig.rvs(size=(3, 4), rng=1)
    assert mu.shape == s2.shape == (3, 4)
    again = nig.rvs(size=(3, 4), rng=np.random.default_rng(1))
    np.testing.assert_array_equal(again[0], mu)
    mu, s2 = nig.rvs(size=50_000, rng=SEED)
    assert stats.kstest(s2, stats.invgamma(3.0, scale=2.0).cdf).pvalue > 0.01
    assert stats.kstest(mu, stats.t(6.0, 0.5, math.sqrt(2.0 / 6.0)).cdf).pvalue > 0.01
    # mu | s2 ~ N(m, s2/kappa): the standardised draws are standard normal
    assert stats.kstest((mu - 0.5) / np.sqrt(s2 / 2.0), stats.norm.cdf).pvalue > 0.01


# --- the contract --------------------------------------------------------------------------
def test_empty_update_and_repr():
    model = NormalInverseGamma(**PRIOR)
    assert model.update([]) == model
    assert model.log_marginal_likelihood(np.array([])) == 0.0
    assert repr(NormalInverseGamma()) == (
        "NormalInverseGamma(mu0=0.0, kappa0=1.0, alpha0=1.0, beta0=1.0)"
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.kappa0 = 3.0


@given(
    st.lists(st.floats(-1e3, 1e3), max_size=30).flatmap(
        lambda xs: st.tuples(st.just(xs), st.integers(0, len(xs)))
    ),
    st.floats(-10, 10),
    st.floats(0.1, 10),
    st.floats(0.1, 10),
    st.floats(0.1, 10),
)
def test_sequential_equals_batch(split, mu0, kappa0, alpha0, beta0):
    xs, cut = split
    model = NormalInverseGamma(mu0, kappa0, alpha0, beta0)
    a, b = np.array(xs[:cut]), np.array(xs[cut:])
    sequential, batch = model.update(a).update(b), model.update(np.concatenate([a, b]))
    scale = max(1.0, np.max(np.abs(xs), initial=0.0), abs(mu0))
    # mu to 1e-12 of the data's scale; beta relative 1e-12 (a sum of non-negative
    # squares formed in two different orders: no cancellation)
    assert sequential.mu0 == pytest.approx(batch.mu0, rel=1e-12, abs=1e-12 * scale)
    assert sequential.kappa0 == pytest.approx(batch.kappa0, rel=1e-15)
    assert sequential.alpha0 == pytest.approx(batch.alpha0, rel=1e-15)
    assert sequential.beta0 == pytest.approx(batch.beta0, rel=1e-12)
    chained = model.log_marginal_likelihood(a) + model.update(a).log_marginal_likelihood(b)
    total = model.log_marginal_likelihood(np.concatenate([a, b]))
    assert chained == pytest.approx(total, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("level", [0.5, 0.95, 0.999999])
def test_credible_intervals_hold_the_level(level):
    post = NormalInverseGamma(**PRIOR).update(DATA)
    tail = (1 - level) / 2
    lo, hi = post.credible_interval(level)
    t = post.posterior.marginal_mean()
    assert t.cdf(hi) - t.cdf(lo) == pytest.approx(level, abs=1e-12)
    assert t.cdf(lo) == pytest.approx(tail, abs=1e-12)
    np.testing.assert_allclose(
        (lo, hi), stats.t(2 * post.alpha0, post.mu0, t.sigma).interval(level), rtol=1e-10
    )
    lo, hi = post.credible_interval(level, parameter="sigma2")
    ig = post.posterior.marginal_variance()
    assert ig.cdf(hi) - ig.cdf(lo) == pytest.approx(level, abs=1e-12)
    assert ig.sf(hi) == pytest.approx(tail, abs=1e-12)


def test_log_marginal_likelihood_closed_form_by_hand():
    # Murphy (2007): p(D) = Gamma(a_n)/Gamma(a_0) b_0^a_0 / b_n^a_n sqrt(k_0/k_n) (2 pi)^(-n/2)
    x = [1.0, 2.0, 3.0]
    expected = (
        special.gammaln(2.5) - special.gammaln(1.0) + 0.0 - 2.5 * math.log(3.5)
        + 0.5 * math.log(1 / 4) - 1.5 * math.log(2 * math.pi)
    )
    assert NormalInverseGamma().log_marginal_likelihood(x) == pytest.approx(expected, rel=1e-14)


# --- errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(mu0=np.nan), "mu0 must be finite, got nan"),
        (dict(kappa0=0.0), r"kappa0 must be finite and > 0, got 0.0"),
        (dict(alpha0=-1.0), r"alpha0 must be finite and > 0, got -1.0"),
        (dict(beta0=np.inf), r"beta0 must be finite and > 0, got inf"),
    ],
)
def test_invalid_hyperparameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        NormalInverseGamma(**kwargs)


def test_invalid_inputs():
    model = NormalInverseGamma()
    with pytest.raises(ValueError, match="data contains NaN"):
        model.update([1.0, np.nan])
    with pytest.raises(ValueError, match="data contains inf"):
        model.log_marginal_likelihood([np.inf])
    with pytest.raises(ValueError, match=r"parameter must be 'mu' or 'sigma2', got 'sigma'"):
        model.credible_interval(0.9, parameter="sigma")
    with pytest.raises(ValueError, match=r"level must lie in \(0, 1\), got 1.0"):
        model.credible_interval(1.0)
    with pytest.raises(ValueError, match=r"kappa must be finite and > 0, got 0.0"):
        NormalInverseGammaDistribution(0.0, 0.0, 1.0, 1.0)
    nig = model.posterior
    with pytest.raises(ValueError, match="mu contains NaN"):
        nig.logpdf(np.nan, 1.0)
    with pytest.raises(ValueError, match="sigma2 contains NaN or -inf"):
        nig.logpdf(0.0, [1.0, np.nan])
