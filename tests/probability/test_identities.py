"""Identities every family must satisfy, run over all of them (the scipy.stats test idea).

These check each family against itself and against numerical analysis (quadrature,
finite differences, sampling), independently of scipy.stats; the per-family test
files compare with scipy.stats.
"""

import numpy as np
import pytest
from scipy import integrate, stats

from mlfoundations.probability import (
    Bernoulli,
    Beta,
    Binomial,
    ChiSquare,
    ContinuousDistribution,
    Exponential,
    FDistribution,
    Gamma,
    InverseGamma,
    LogNormal,
    NegativeBinomial,
    Normal,
    Poisson,
    StudentT,
    Uniform,
)

CONTINUOUS = [
    Normal(mu=1.5, sigma=2.0),
    LogNormal(mu=0.3, sigma=0.6),
    Exponential(rate=2.5),
    Uniform(low=-1.0, high=3.0),
    Gamma(shape=2.5, rate=1.5),
    Gamma(shape=0.7, rate=3.0),
    ChiSquare(df=5.0),
    Beta(a=2.0, b=5.0),
    Beta(a=0.8, b=1.7),
    StudentT(df=4.5, mu=1.0, sigma=2.0),
    FDistribution(dfn=5.0, dfd=12.0),
    InverseGamma(shape=4.0, scale=2.0),
]
DISCRETE = [
    Bernoulli(p=0.3),
    Binomial(n=12, p=0.35),
    Poisson(rate=4.0),
    NegativeBinomial(n=3.5, p=0.4),
]
ALL = CONTINUOUS + DISCRETE
Q = np.array([1e-3, 0.5, 0.999])


def _ids(dists):
    return [repr(d) for d in dists]


def _density(d, x):
    return d.pdf(x) if isinstance(d, ContinuousDistribution) else d.pmf(x)


@pytest.mark.parametrize("d", CONTINUOUS, ids=_ids(CONTINUOUS))
def test_cdf_inverts_ppf(d):
    np.testing.assert_allclose(d.cdf(d.ppf(Q)), Q, rtol=1e-10)
    np.testing.assert_allclose(d.sf(d.isf(Q)), Q, rtol=1e-10)
    np.testing.assert_allclose(d.isf(Q), d.ppf(1 - Q), rtol=1e-8)


@pytest.mark.parametrize("d", DISCRETE, ids=_ids(DISCRETE))
def test_discrete_ppf_is_smallest_k_with_cdf_at_least_q(d):
    k = d.ppf(Q)
    assert np.all(d.cdf(k) >= Q)
    lo = d.support[0]
    below = k - 1
    assert np.all((below < lo) | (d.cdf(below) < Q))
    np.testing.assert_array_equal(k, np.floor(k))


@pytest.mark.parametrize("d", ALL, ids=_ids(ALL))
def test_cdf_plus_sf_is_one_and_logs_agree(d):
    x = d.ppf(np.linspace(0.02, 0.98, 25))
    np.testing.assert_allclose(d.cdf(x) + d.sf(x), 1.0, rtol=1e-14)
    if d.sf(x).min() == 0.0:  # the top of a finite support: log S = -inf exactly
        x = x[d.sf(x) > 0]
    np.testing.assert_allclose(d.logcdf(x), np.log(d.cdf(x)), rtol=1e-12)
    np.testing.assert_allclose(d.logsf(x), np.log(d.sf(x)), rtol=1e-12)
    if isinstance(d, ContinuousDistribution):
        np.testing.assert_allclose(d.logpdf(x), np.log(d.pdf(x)), rtol=1e-12)
    else:
        np.testing.assert_allclose(d.logpmf(x), np.log(d.pmf(x)), rtol=1e-12)


@pytest.mark.parametrize("d", CONTINUOUS, ids=_ids(CONTINUOUS))
def test_pdf_is_derivative_of_cdf(d):
    x = d.ppf(np.linspace(0.05, 0.95, 19))
    h = 1e-5 * np.maximum(np.abs(x), 1e-3)
    slope = (d.cdf(x + h) - d.cdf(x - h)) / (2 * h)
    np.testing.assert_allclose(slope, d.pdf(x), rtol=1e-6)


@pytest.mark.parametrize("d", CONTINUOUS, ids=_ids(CONTINUOUS))
def test_density_integrates_to_one_and_gives_the_moments(d):
    lo, hi = d.support

    def moment(f):
        # split at the median so quad sees both halves of a skewed density
        m = d.median()
        return integrate.quad(f, lo, m, limit=200)[0] + integrate.quad(f, m, hi, limit=200)[0]

    assert moment(d.pdf) == pytest.approx(1.0, rel=1e-8)
    mean = moment(lambda x: x * d.pdf(x))
    assert d.mean() == pytest.approx(mean, rel=1e-7, abs=1e-10)
    var = moment(lambda x: (x - mean) ** 2 * d.pdf(x))
    assert d.var() == pytest.approx(var, rel=1e-6)
    entropy = moment(lambda x: -d.pdf(x) * d.logpdf(x) if d.pdf(x) > 0 else 0.0)
    assert d.entropy() == pytest.approx(entropy, rel=1e-6, abs=1e-9)
    assert d.cdf(d.median()) == pytest.approx(0.5, rel=1e-10)


@pytest.mark.parametrize("d", DISCRETE, ids=_ids(DISCRETE))
def test_mass_sums_to_one_and_gives_the_moments(d):
    k = np.arange(d.support[0], d.ppf(1 - 1e-15) + 50)
    p = d.pmf(k)
    assert p.sum() == pytest.approx(1.0, rel=1e-12)
    mean = np.sum(k * p)
    assert d.mean() == pytest.approx(mean, rel=1e-12)
    assert d.var() == pytest.approx(np.sum((k - mean) ** 2 * p), rel=1e-10)
    np.testing.assert_allclose(d.cdf(k), np.cumsum(p), rtol=1e-10, atol=1e-15)
    nz = p > 0
    assert d.entropy() == pytest.approx(-np.sum(p[nz] * np.log(p[nz])), rel=1e-10)
    assert d.pmf(k[1] + 0.5) == 0.0


@pytest.mark.parametrize("d", ALL, ids=_ids(ALL))
def test_outside_the_support(d):
    lo, hi = d.support
    if np.isfinite(lo):
        below = lo - 1.0
        assert _density(d, below) == 0.0 and d.cdf(below) == 0.0 and d.sf(below) == 1.0
    if np.isfinite(hi):
        above = hi + 1.0
        assert _density(d, above) == 0.0 and d.cdf(above) == 1.0 and d.sf(above) == 0.0


@pytest.mark.parametrize("d", ALL, ids=_ids(ALL))
def test_sampler_matches_the_distribution(d):
    sample = d.rvs(4000, rng=np.random.default_rng(7))
    assert sample.shape == (4000,)
    if isinstance(d, ContinuousDistribution):
        assert stats.kstest(sample, d.cdf).pvalue > 0.01
    else:
        k, observed = np.unique(sample, return_counts=True)
        expected = 4000 * d.pmf(k)
        keep = expected >= 5  # chi-square needs enough mass per cell
        obs, exp = observed[keep], expected[keep]
        obs = np.append(obs, 4000 - obs.sum())
        exp = np.append(exp, 4000 - exp.sum())
        if exp[-1] < 1e-9:
            obs, exp = obs[:-1], exp[:-1]
        assert stats.chisquare(obs, exp * obs.sum() / exp.sum()).pvalue > 0.01


@pytest.mark.parametrize("d", ALL, ids=_ids(ALL))
def test_fit_recovers_parameters_within_standard_errors(d):
    sample = d.rvs(5000, rng=np.random.default_rng(11))
    fixed = {"n": d.n} if isinstance(d, Binomial) else {}
    fitted = type(d).fit(sample, **fixed)
    res = fitted.fit_result
    assert res.nobs == 5000 and res.converged
    # the standard errors are calibrated: the truth lies within 5 of them of the estimate
    for name in res.free:
        se = res.stderr[name]
        assert np.isfinite(se) and se > 0
        assert abs(res.params[name] - d.parameters[name]) < 5 * se, name
    assert res.log_likelihood >= d.log_likelihood(sample) - 1e-9 * abs(res.log_likelihood)
