"""Beta-Bernoulli, Gamma-Poisson and Normal (known variance) conjugate models.

Each model is checked against its closed form and against a brute-force posterior:
prior density x likelihood integrated by adaptive quadrature (scipy.integrate.cubature,
Gauss-Kronrod 21, relative tolerance 1e-12), with the prior densities and the
likelihoods taken from scipy.stats, never from the library.
"""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, special, stats

from mlfoundations.probability.conjugate import BetaBernoulli, GammaPoisson, NormalKnownVariance

SEED = 20240611


@dataclasses.dataclass
class Case:
    """A model, data, and the oracle pieces for brute-force integration over theta."""

    name: str
    model: object
    data: np.ndarray
    # functions of an array of theta values, from scipy.stats
    log_prior: object  # theta -> log p(theta)
    log_likelihood: object  # theta -> sum_i log p(x_i | theta)
    breakpoints: list  # integration pieces [t0, t1, ..., tk] around the peak
    new_density: object  # (x_new, theta) -> p(x_new | theta)
    new_points: np.ndarray

    def __repr__(self):
        return self.name


def make_cases():
    rng = np.random.default_rng(SEED)
    x_bern = rng.binomial(1, 0.3, size=40).astype(float)
    s = x_bern.sum()
    x_pois = rng.poisson(3.0, size=25).astype(float)
    lam_hat = x_pois.mean()
    x_norm = rng.normal(0.4, 1.5, size=30)
    xbar = x_norm.mean()
    return [
        Case(
            "beta-bernoulli",
            BetaBernoulli(a=1.5, b=2.5),
            x_bern,
            lambda p: stats.beta.logpdf(p, 1.5, 2.5),
            lambda p: stats.bernoulli.logpmf(x_bern[:, None], p).sum(axis=0),
            [0.0, s / x_bern.size, 1.0],
            lambda k, p: stats.bernoulli.pmf(k, p),
            np.array([0.0, 1.0]),
        ),
        Case(
            "gamma-poisson",
            GammaPoisson(shape=2.0, rate=0.5),
            x_pois,
            lambda lam: stats.gamma.logpdf(lam, 2.0, scale=1 / 0.5),
            lambda lam: stats.poisson.logpmf(x_pois[:, None], lam).sum(axis=0),
            [0.0, lam_hat, 3 * lam_hat + 20.0, np.inf],
            lambda k, lam: stats.poisson.pmf(k, lam),
            np.arange(13.0),
        ),
        Case(
            "normal-known-variance",
            NormalKnownVariance(mu0=1.0, tau0=2.0, sigma=1.5),
            x_norm,
            lambda mu: stats.norm.logpdf(mu, 1.0, 2.0),
            lambda mu: stats.norm.logpdf(x_norm[:, None], mu, 1.5).sum(axis=0),
            [xbar - 15.0, xbar, xbar + 15.0],
            lambda x, mu: stats.norm.pdf(x, mu, 1.5),
            np.linspace(-4.0, 5.0, 7),
        ),
    ]


CASES = make_cases()


def log_joint(case, theta):
    return case.log_prior(theta) + case.log_likelihood(theta)


def integrate_posterior(case, g=lambda t: 1.0):
    """log of integral prior x likelihood x g over the case's pieces, by cubature."""
    pieces = list(zip(case.breakpoints[:-1], case.breakpoints[1:]))
    grid = np.concatenate([np.linspace(a, b, 50)[1:-1] for a, b in pieces if np.isfinite(b)])
    shift = float(np.max(log_joint(case, grid)))  # the integrand peaks near exp(0)

    def integrand(t):
        theta = t[:, 0]
        return np.exp(log_joint(case, theta) - shift) * g(theta)

    total = 0.0
    for a, b in pieces:
        res = integrate.cubature(integrand, [a], [b], rtol=1e-12, atol=0.0)
        assert res.status == "converged"
        total += float(res.estimate)
    return math.log(total) + shift


def numerical_posterior(case):
    """(log evidence, posterior mean, posterior variance), all by brute force."""
    log_z = integrate_posterior(case)
    mean = math.exp(integrate_posterior(case, lambda t: t) - log_z)
    var = math.exp(integrate_posterior(case, lambda t: (t - mean) ** 2) - log_z)
    return log_z, mean, var


def fields(model):
    return np.array(dataclasses.astuple(model), dtype=float)


# --- closed forms ------------------------------------------------------------------------
def test_beta_bernoulli_closed_form():
    model = BetaBernoulli(a=2, b=3).update([1, 0, 1, 1, 0, 1])
    assert model == BetaBernoulli(a=6.0, b=5.0)
    assert (model.posterior.a, model.posterior.b) == (6.0, 5.0)
    assert model.mean() == pytest.approx(6 / 11, rel=1e-15)
    assert model.posterior_predictive.p == pytest.approx(6 / 11, rel=1e-15)
    # evidence of the sequence: B(6, 5) / B(2, 3)
    expected = special.betaln(6, 5) - special.betaln(2, 3)
    assert BetaBernoulli(2, 3).log_marginal_likelihood([1, 0, 1, 1, 0, 1]) == pytest.approx(
        expected, rel=1e-14
    )
    # booleans are successes and failures
    assert BetaBernoulli().update(np.array([True, False, True])) == BetaBernoulli(3.0, 2.0)


def test_gamma_poisson_closed_form():
    model = GammaPoisson(shape=2.0, rate=1.0).update([[3, 5], [4, 0]])  # shape is irrelevant
    assert model == GammaPoisson(shape=14.0, rate=5.0)
    assert (model.posterior.shape, model.posterior.rate) == (14.0, 5.0)
    predictive = model.posterior_predictive
    assert (predictive.n, predictive.p) == (14.0, pytest.approx(5 / 6, rel=1e-15))
    k = np.arange(30)
    np.testing.assert_allclose(
        predictive.pmf(k), stats.nbinom.pmf(k, 14.0, 5 / 6), rtol=1e-12
    )


def test_normal_known_variance_closed_form():
    x = np.array([2.0, 4.0, 6.0])
    model = NormalKnownVariance(mu0=1.0, tau0=2.0, sigma=3.0).update(x)
    precision = 1 / 2.0**2 + 3 / 3.0**2
    mu_n = (1.0 / 2.0**2 + x.sum() / 3.0**2) / precision
    assert model.mu0 == pytest.approx(mu_n, rel=1e-15)
    assert model.tau0 == pytest.approx(precision**-0.5, rel=1e-15)
    assert model.sigma == 3.0
    assert (model.posterior.mu, model.posterior.sigma) == (model.mu0, model.tau0)
    predictive = model.posterior_predictive
    assert predictive.sigma == pytest.approx(math.sqrt(1 / precision + 9.0), rel=1e-15)
    # evidence: x ~ N(mu0 1, sigma^2 I + tau0^2 1 1^T), a multivariate normal
    cov = 9.0 * np.eye(3) + 4.0 * np.ones((3, 3))
    expected = stats.multivariate_normal(np.full(3, 1.0), cov).logpdf(x)
    assert NormalKnownVariance(1.0, 2.0, 3.0).log_marginal_likelihood(x) == pytest.approx(
        expected, rel=1e-13
    )


def test_normal_known_variance_extreme_prior_widths():
    x = [1.0, 2.0, 3.0]
    vague = NormalKnownVariance(mu0=5.0, tau0=1e200, sigma=1.0).update(x)
    assert vague.mu0 == pytest.approx(2.0, rel=1e-15)  # the data decide
    assert vague.tau0 == pytest.approx(1 / math.sqrt(3), rel=1e-15)
    sharp = NormalKnownVariance(mu0=5.0, tau0=1e-200, sigma=1.0).update(x)
    assert sharp.mu0 == 5.0  # the prior decides
    assert sharp.tau0 == pytest.approx(1e-200, rel=1e-15)
    assert math.isfinite(NormalKnownVariance(5.0, 1e200, 1.0).log_marginal_likelihood(x))


# --- brute force: prior x likelihood integrated numerically --------------------------------
@pytest.mark.parametrize("case", CASES, ids=repr)
def test_posterior_matches_numerical_integration(case):
    log_z, mean, var = numerical_posterior(case)
    posterior = case.model.update(case.data).posterior
    # cubature at rtol 1e-12; agreement to 1e-12 relative (observed: below 1e-14)
    assert posterior.mean() == pytest.approx(mean, rel=1e-12)
    assert posterior.var() == pytest.approx(var, rel=1e-12)
    assert case.model.update(case.data).mean() == pytest.approx(mean, rel=1e-12)
    assert case.model.log_marginal_likelihood(case.data) == pytest.approx(log_z, rel=1e-12)


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_posterior_density_matches_normalised_prior_times_likelihood(case):
    log_z = integrate_posterior(case)
    posterior = case.model.update(case.data).posterior
    theta = np.linspace(posterior.ppf(1e-4), posterior.ppf(1 - 1e-4), 9)
    # log densities of size ~1-10, absolute 1e-11
    np.testing.assert_allclose(posterior.logpdf(theta), log_joint(case, theta) - log_z, atol=1e-11)


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_predictive_matches_numerical_integration(case):
    # p(x_new | data) = integral p(x_new | theta) prior(theta) L(theta) dtheta / Z
    log_z = integrate_posterior(case)
    predictive = case.model.update(case.data).posterior_predictive
    density = predictive.pmf if hasattr(predictive, "pmf") else predictive.pdf
    for x_new in case.new_points:
        brute = math.exp(integrate_posterior(case, lambda t: case.new_density(x_new, t)) - log_z)
        assert density(x_new) == pytest.approx(brute, rel=1e-12)
        # the same number is a ratio of evidences, p(data, x_new) / p(data)
        ratio = math.exp(
            case.model.log_marginal_likelihood(np.append(case.data, x_new))
            - case.model.log_marginal_likelihood(case.data)
        )
        assert density(x_new) == pytest.approx(ratio, rel=1e-11)


def test_gamma_poisson_predictive_by_monte_carlo():
    # lambda from the posterior, then a count: the mixture is the negative binomial
    model = GammaPoisson(shape=2.0, rate=0.5).update(CASES[1].data)
    rng = np.random.default_rng(SEED)
    lam = model.posterior.rvs(size=200_000, rng=rng)
    counts = rng.poisson(lam)
    k = np.arange(12)
    observed = np.array([np.sum(counts == j) for j in k] + [np.sum(counts >= 12)])
    probs = np.append(model.posterior_predictive.pmf(k), model.posterior_predictive.sf(11))
    assert stats.chisquare(observed, probs * counts.size).pvalue > 0.01


# --- the contract --------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=repr)
def test_empty_update_returns_an_equal_model(case):
    assert case.model.update([]) == case.model
    assert case.model.update(np.empty((0, 3))) == case.model
    assert case.model.log_marginal_likelihood([]) == 0.0


@pytest.mark.parametrize("case", CASES, ids=repr)
@pytest.mark.parametrize("level", [0.5, 0.9, 0.95, 0.999999])
def test_credible_interval_holds_the_level(case, level):
    model = case.model.update(case.data)
    lo, hi = model.credible_interval(level)
    post = model.posterior
    assert lo < model.mean() < hi
    # posterior mass inside = level, and (1 - level)/2 in each tail (to 1e-12)
    assert post.cdf(hi) - post.cdf(lo) == pytest.approx(level, abs=1e-12)
    assert post.cdf(lo) == pytest.approx((1 - level) / 2, abs=1e-12)
    assert post.sf(hi) == pytest.approx((1 - level) / 2, abs=1e-12)


def test_credible_interval_default_and_scipy():
    model = BetaBernoulli(1, 1).update([1, 1, 0, 1, 1, 1, 0])
    np.testing.assert_allclose(
        model.credible_interval(), stats.beta(6, 3).interval(0.95), rtol=1e-12
    )


split_data = st.lists(st.integers(0, 1), max_size=40).flatmap(
    lambda xs: st.tuples(st.just(xs), st.integers(0, len(xs)))
)
count_data = st.lists(st.integers(0, 10**6), max_size=40).flatmap(
    lambda xs: st.tuples(st.just(xs), st.integers(0, len(xs)))
)
real_data = st.lists(st.floats(-1e6, 1e6), max_size=40).flatmap(
    lambda xs: st.tuples(st.just(xs), st.integers(0, len(xs)))
)


def assert_sequential_equals_batch(model, xs, cut):
    a, b = np.array(xs[:cut], dtype=float), np.array(xs[cut:], dtype=float)
    sequential = model.update(a).update(b)
    batch = model.update(np.concatenate([a, b]))
    assert type(sequential) is type(batch)
    np.testing.assert_allclose(fields(sequential), fields(batch), rtol=1e-12)
    # the evidence factorises the same way: p(a, b) = p(a) p(b | a)
    chained = model.log_marginal_likelihood(a) + model.update(a).log_marginal_likelihood(b)
    total = model.log_marginal_likelihood(np.concatenate([a, b]))
    assert chained == pytest.approx(total, rel=1e-10, abs=1e-10)


@given(split_data, st.floats(0.1, 10.0), st.floats(0.1, 10.0))
def test_beta_bernoulli_sequential_equals_batch(split, a, b):
    assert_sequential_equals_batch(BetaBernoulli(a, b), *split)


@given(count_data, st.floats(0.1, 10.0), st.floats(0.1, 10.0))
def test_gamma_poisson_sequential_equals_batch(split, shape, rate):
    assert_sequential_equals_batch(GammaPoisson(shape, rate), *split)


@given(real_data, st.floats(-10.0, 10.0), st.floats(0.1, 100.0), st.floats(0.1, 100.0))
def test_normal_known_variance_sequential_equals_batch(split, mu0, tau0, sigma):
    xs, cut = split
    model = NormalKnownVariance(mu0, tau0, sigma)
    a, b = np.array(xs[:cut]), np.array(xs[cut:])
    sequential, batch = model.update(a).update(b), model.update(np.concatenate([a, b]))
    # the means agree to 1e-12 of the data's scale (a convex combination of data and mu0)
    scale = max(1.0, np.max(np.abs(xs), initial=0.0), abs(mu0))
    assert sequential.mu0 == pytest.approx(batch.mu0, rel=1e-12, abs=1e-12 * scale)
    assert sequential.tau0 == pytest.approx(batch.tau0, rel=1e-12)


def test_models_are_immutable_and_repr():
    model = BetaBernoulli(2, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.a = 5.0
    assert repr(model) == "BetaBernoulli(a=2.0, b=3.0)"
    assert repr(GammaPoisson()) == "GammaPoisson(shape=1.0, rate=1.0)"
    assert repr(NormalKnownVariance()) == "NormalKnownVariance(mu0=0.0, tau0=1.0, sigma=1.0)"
    assert model.update([1]) is not model and model == BetaBernoulli(2.0, 3.0)
    assert type(BetaBernoulli(np.float64(2.0), np.int64(3)).b) is float


# --- errors ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: BetaBernoulli(a=0.0), r"a must be finite and > 0, got 0.0"),
        (lambda: BetaBernoulli(b=-1.0), r"b must be finite and > 0, got -1.0"),
        (lambda: BetaBernoulli(a=np.nan), r"a must be finite and > 0, got nan"),
        (lambda: GammaPoisson(shape=np.inf), r"shape must be finite and > 0, got inf"),
        (lambda: GammaPoisson(rate=0), r"rate must be finite and > 0, got 0.0"),
        (lambda: NormalKnownVariance(mu0=np.inf), r"mu0 must be finite, got inf"),
        (lambda: NormalKnownVariance(tau0=0.0), r"tau0 must be finite and > 0, got 0.0"),
        (lambda: NormalKnownVariance(sigma=-2.0), r"sigma must be finite and > 0, got -2.0"),
    ],
)
def test_invalid_hyperparameters(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_non_numeric_hyperparameters():
    with pytest.raises(TypeError, match="a must be a real number"):
        BetaBernoulli(a="1")
    with pytest.raises(TypeError, match="mu0 must be a real number"):
        NormalKnownVariance(mu0=[0.0])


@pytest.mark.parametrize(
    "model, data, match",
    [
        (BetaBernoulli(), [0, 1, 2], r"only 0 \(failure\) and 1 \(success\), got 2.0"),
        (BetaBernoulli(), [0.5], r"data must hold only 0 .* got 0.5"),
        (BetaBernoulli(), [1, np.nan], "data contains NaN"),
        (GammaPoisson(), [3, -1], "data must hold non-negative integer counts, got -1.0"),
        (GammaPoisson(), [2.5], "data must hold non-negative integer counts, got 2.5"),
        (GammaPoisson(), [np.inf], "data contains inf"),
        (NormalKnownVariance(), [1.0, np.inf, np.nan], "data contains NaN and inf"),
        (NormalKnownVariance(), "abc", "data must be array-like of numbers"),
    ],
)
def test_invalid_data(model, data, match):
    error = TypeError if isinstance(data, str) else ValueError
    with pytest.raises(error, match=match):
        model.update(data)
    with pytest.raises(error, match=match):
        model.log_marginal_likelihood(data)


@pytest.mark.parametrize("level", [0.0, 1.0, -0.5, 1.5, np.nan])
def test_invalid_credible_level(level):
    with pytest.raises(ValueError, match=r"level must lie in \(0, 1\)"):
        BetaBernoulli().credible_interval(level)
