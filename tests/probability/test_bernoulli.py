"""Bernoulli and Binomial against scipy.stats, mpmath, closed forms and the base contract."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st_
from scipy import stats

from mlfoundations.probability._discrete_kernels import entropy_by_summation
from mlfoundations.probability._fitting import FitResult, numerical_information
from mlfoundations.probability.bernoulli import Bernoulli, Binomial, bernoulli_divergence

mpmath = pytest.importorskip("mpmath")

RTOL = 1e-12
P_VALUES = [0.0, 1e-300, 1e-10, 0.3, 0.5, 1 - 1e-10, 1.0]
METHODS = ["pmf", "logpmf", "cdf", "sf", "logcdf", "logsf"]


def _with_log_tails(ref, method, k):
    # scipy's logcdf is log(cdf), which loses the digits of a cdf close to 1; ours
    # switches to log1p(-sf) there: compare with that formula on scipy's values
    with np.errstate(divide="ignore"):
        if method == "logcdf":
            cdf, sf = ref.cdf(k), ref.sf(k)
            return np.where(cdf <= 0.5, np.log(cdf), np.log1p(-sf))
        if method == "logsf":
            cdf, sf = ref.cdf(k), ref.sf(k)
            return np.where(sf <= 0.5, np.log(sf), np.log1p(-cdf))
    return getattr(ref, method)(k)


# -- Bernoulli --------------------------------------------------------------------------
@pytest.mark.parametrize("p", P_VALUES)
@pytest.mark.parametrize("method", METHODS)
def test_bernoulli_matches_scipy(p, method):
    k = np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
    ours = getattr(Bernoulli(p), method)(k)
    np.testing.assert_allclose(ours, _with_log_tails(stats.bernoulli(p), method, k), rtol=RTOL)
    scalars = [getattr(Bernoulli(p), method)(float(v)) for v in k]
    np.testing.assert_allclose(scalars, ours, rtol=1e-15)


@pytest.mark.parametrize("p", P_VALUES)
def test_bernoulli_quantiles_and_summaries_match_scipy(p):
    d, ref = Bernoulli(p), stats.bernoulli(p)
    q = np.array([1e-300, 1e-10, 0.2, 0.3, 0.5, 0.7, 0.9, 1 - 1e-16])
    np.testing.assert_array_equal(d.ppf(q), ref.ppf(q))
    # scipy's isf is ppf(1 - q), which rounds 1 - 1e-300 to 1; ours is the smallest k
    # with S(k) <= q, the same for q >= 1e-10
    np.testing.assert_array_equal(d.isf(q[1:]), ref.isf(q[1:]))
    assert d.isf(1e-300) == (0.0 if p <= 1e-300 else 1.0)
    assert d.mean() == ref.mean() and d.var() == pytest.approx(ref.var(), rel=1e-15)
    assert d.median() == ref.median()
    # scipy sums entr(p) + entr(1 - p), which drops the (1 - p) log(1 - p) ~ p term for
    # tiny p (1.4% of the entropy at p = 1e-300); compare there with the log1p form
    if 1e-3 < p < 1 - 1e-3 or p in (0.0, 1.0):
        assert d.entropy() == pytest.approx(ref.entropy(), rel=1e-13, abs=0)
    exact = (-p * math.log(p) if p > 0 else 0.0) - (
        (1 - p) * math.log1p(-p) if p < 1 else 0.0
    )
    assert d.entropy() == pytest.approx(exact, rel=1e-13, abs=0)


def test_bernoulli_degenerate_p_is_exact():
    for p, certain in ((0.0, 0.0), (1.0, 1.0)):
        d = Bernoulli(p)
        assert d.pmf(certain) == 1.0 and d.pmf(1 - certain) == 0.0
        assert d.logpmf(certain) == 0.0 and d.logpmf(1 - certain) == -np.inf
        assert d.entropy() == 0.0 and d.var() == 0.0
        assert np.all(d.rvs(100, rng=0) == certain)


def test_bernoulli_entropy_for_tiny_p_keeps_its_digits():
    # -(1 - p) log(1 - p) ~ p is computed with log1p; 1 - p would round it away
    p = 1e-20
    exact = -p * math.log(p) + p * (1 - p / 2)
    assert Bernoulli(p).entropy() == pytest.approx(exact, rel=1e-15)


def test_bernoulli_kl_divergence_edge_cases_and_direct_sum():
    def direct(p, q):  # the defining sum in 50 digits (1 - q rounds in double)
        mpmath.mp.dps = 50
        p, q = mpmath.mpf(p), mpmath.mpf(q)
        total = mpmath.mpf(0)
        for a, b in ((p, q), (1 - p, 1 - q)):
            if a > 0:
                total += a * mpmath.log(a / b) if b > 0 else mpmath.inf
        return float(total)

    for p in (0.0, 0.2, 0.5, 1.0):
        for q in (0.0, 1e-12, 0.3, 0.5, 1.0):
            assert Bernoulli(p).kl_divergence(Bernoulli(q)) == pytest.approx(
                direct(p, q), rel=1e-13, abs=1e-300
            )
    assert Bernoulli(0.0).kl_divergence(Bernoulli(0.3)) == pytest.approx(-math.log(0.7))
    assert Bernoulli(0.3).kl_divergence(Bernoulli(0.0)) == np.inf  # support mismatch
    assert Bernoulli(0.0).kl_divergence(Bernoulli(0.0)) == 0.0  # 0 log 0 = 0


def test_bernoulli_kl_of_close_probabilities_keeps_its_digits():
    mpmath.mp.dps = 50
    p, q = 0.3, 0.3 * (1 + 1e-9)
    P, Q = mpmath.mpf(p), mpmath.mpf(q)
    exact = float(P * mpmath.log(P / Q) + (1 - P) * mpmath.log((1 - P) / (1 - Q)))
    assert bernoulli_divergence(p, q) == pytest.approx(exact, rel=1e-9)  # 1 - q rounds
    assert Bernoulli(p).kl_divergence(Bernoulli(q)) == pytest.approx(exact, rel=1e-9)


def test_bernoulli_kl_monte_carlo_and_batch():
    a, b = Bernoulli(0.3), Bernoulli(0.55)
    x = a.rvs(200_000, rng=np.random.default_rng(8))
    terms = a.logpmf(x) - b.logpmf(x)
    se = terms.std() / math.sqrt(x.size)
    assert abs(terms.mean() - a.kl_divergence(b)) < 4 * se
    batch = Bernoulli(p=[0.1, 0.5, 0.9]).kl_divergence(Bernoulli(p=[[0.5], [0.0]]))
    assert batch.shape == (2, 3)
    assert np.all(np.isinf(batch[1])) and batch[0, 1] == 0.0


def test_bernoulli_fit():
    x = np.array([1, 0, 0, 1, 1, 1, 0, 1])
    res = Bernoulli.fit(x).fit_result
    assert isinstance(res, FitResult) and res.params == {"p": 0.625}
    assert res.stderr["p"] == pytest.approx(math.sqrt(0.625 * 0.375 / 8), rel=1e-14)
    info = numerical_information(
        lambda t: np.sum(stats.bernoulli.logpmf(x, t[0])), np.array([0.625])
    )
    assert res.stderr["p"] == pytest.approx(1 / math.sqrt(info[0, 0]), rel=1e-6)
    assert res.log_likelihood == pytest.approx(np.sum(stats.bernoulli.logpmf(x, 0.625)))
    # a boundary estimate: infinite information, standard error 0 (the Wald interval degenerates)
    ones = Bernoulli.fit([1, 1, 1]).fit_result
    assert ones.params == {"p": 1.0} and ones.stderr == {"p": 0.0}
    assert Bernoulli.fit(x, p=0.5).fit_result.free == ()


def test_bernoulli_fit_rejects_data_outside_the_support():
    with pytest.raises(ValueError, match=r"Bernoulli data must be integers in \{0, \.\.\., 1\}, got 2.0"):
        Bernoulli.fit([0, 1, 2])
    with pytest.raises(ValueError, match="got 0.5"):
        Bernoulli.fit([0, 0.5])
    with pytest.raises(ValueError, match="data is empty"):
        Bernoulli.fit([])
    with pytest.raises(ValueError, match="NaN or inf"):
        Bernoulli.fit([0, np.nan])


@pytest.mark.parametrize("p", [1.5, -0.1, np.nan])
def test_bernoulli_invalid_p(p):
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
        Bernoulli(p)


def test_bernoulli_sampler():
    d = Bernoulli(0.3)
    x = d.rvs(50_000, rng=np.random.default_rng(20261125))
    ones = x.sum()
    # a binomial test of the count of ones
    assert stats.binomtest(int(ones), x.size, 0.3).pvalue > 0.01
    assert type(d.rvs(rng=0)) is float and x.dtype == np.float64
    assert Bernoulli(p=[0.0, 1.0]).rvs((4, 2), rng=0).tolist() == [[0.0, 1.0]] * 4


# -- Binomial ---------------------------------------------------------------------------
N_VALUES = [0, 1, 10, 32, 33, 1000]


@pytest.mark.parametrize("n", N_VALUES)
@pytest.mark.parametrize("p", [0.0, 1e-10, 0.3, 0.5, 1 - 1e-10, 1.0])
@pytest.mark.parametrize("method", ["pmf", "cdf", "sf", "logcdf", "logsf"])
def test_binomial_matches_scipy(n, p, method):
    # scipy's pmf, cdf and sf are Boost's (accurate); ours are Loader's saddle point
    # (n > 32) and the incomplete beta function. Points with a mass below 1e-100 are
    # left to the mpmath test: there exp amplifies the rounding of log f (|log f| > 230).
    k = np.arange(-1.0, n + 2.0)
    ref = stats.binom(n, p)
    want = _with_log_tails(ref, method, k)
    keep = np.isfinite(want) & (ref.pmf(np.clip(k, 0, n)) > 1e-100)
    ours = getattr(Binomial(n, p), method)(k)
    np.testing.assert_allclose(ours[keep], want[keep], rtol=RTOL, atol=0)
    np.testing.assert_array_equal(ours[~np.isfinite(want)], want[~np.isfinite(want)])


@pytest.mark.parametrize("n", [0, 1, 10, 32])
@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
def test_binomial_logpmf_matches_scipy_for_small_n(n, p):
    k = np.arange(-1.0, n + 2.0)
    np.testing.assert_allclose(
        Binomial(n, p).logpmf(k), stats.binom(n, p).logpmf(k), rtol=RTOL, atol=1e-300
    )


def _mp_binomial_log_mass(k, n, p):
    k, n, p = mpmath.mpf(k), mpmath.mpf(n), mpmath.mpf(p)
    return (
        mpmath.loggamma(n + 1)
        - mpmath.loggamma(k + 1)
        - mpmath.loggamma(n - k + 1)
        + k * mpmath.log(p)
        + (n - k) * mpmath.log1p(-p)
    )


@pytest.mark.parametrize("n, p", [(1000, 0.01), (10**6, 0.3), (10**12, 0.5), (10**15, 1e-12)])
def test_binomial_log_mass_against_mpmath(n, p):
    # scipy's logpmf is the log-gamma formula: ~2e-10 relative error at n = 1e6
    mpmath.mp.dps = 50
    sd = math.sqrt(n * p * (1 - p))
    k = np.unique(np.clip(np.floor(n * p + sd * np.linspace(-30, 30, 41)), 0, n))
    ref = np.array([float(_mp_binomial_log_mass(v, n, p)) for v in k])
    d = Binomial(n, p)
    # backward stable: rounding p (or n p) by eps moves log f by eps * cond, with
    # cond = |d log f / d log p| = |k - n p| / (1 - p)
    cond = np.abs(k - n * p) / (1 - p)
    # (+ 6e-14: up to SMALL = 32 the log-gamma formula loses up to log Gamma(33) eps)
    assert np.all(np.abs(d.logpmf(k) - ref) <= 1e-15 * (np.abs(ref) + cond) + 6e-14)
    near = cond <= 1e3  # there the mass itself keeps 12 digits
    np.testing.assert_allclose(d.pmf(k)[near], np.exp(ref[near]), rtol=1e-12)


def test_binomial_degenerate_cases_are_exact():
    assert Binomial(10, 1.0).pmf(10) == 1.0 and Binomial(10, 0.0).pmf(0) == 1.0
    assert Binomial(10, 1.0).pmf(9) == 0.0 and Binomial(10, 0.0).pmf(1) == 0.0
    assert Binomial(1000, 1.0).pmf(1000) == 1.0 and Binomial(1000, 0.0).logpmf(0) == 0.0
    np.testing.assert_array_equal(Binomial(1000, 1.0).pmf([999, 1000]), [0.0, 1.0])
    for d in (Binomial(10, 0.0), Binomial(10, 1.0), Binomial(0, 0.4), Binomial(10**9, 1.0)):
        assert d.entropy() == 0.0 and d.var() == 0.0
    assert Binomial(0, 0.4).pmf(0) == 1.0 and Binomial(0, 0.4).cdf(0) == 1.0


def test_binomial_tiny_p_uses_log1p():
    # P(X = 0) = (1 - p)^n = exp(n log1p(-p)): 1 - p would round to 1 at p = 1e-20
    assert Binomial(10**12, 1e-10).logpmf(0) == pytest.approx(-100.000000005, rel=1e-15)
    assert Binomial(10, 1e-20).logpmf(0) == pytest.approx(-1e-19, rel=1e-15)


def test_binomial_summaries_match_scipy():
    for n, p in [(10, 0.3), (33, 0.5), (1000, 0.01), (50, 0.999)]:
        d, ref = Binomial(n, p), stats.binom(n, p)
        assert d.mean() == pytest.approx(ref.mean(), rel=1e-15)
        assert d.var() == pytest.approx(ref.var(), rel=1e-15)
        assert d.median() == ref.median()
        # scipy sums -f log f over the whole support, we over all but 2e-20 of the mass
        assert d.entropy() == pytest.approx(ref.entropy(), rel=1e-12)


@pytest.mark.parametrize("n, p", [(4 * 10**5 + 1, 0.5), (10**7, 0.011), (2 * 10**6, 0.95)])
def test_binomial_entropy_expansion_agrees_with_summation(n, p):
    d = Binomial(n, p)
    assert d.entropy() == pytest.approx(float(entropy_by_summation(d)), rel=1e-15)


def test_binomial_entropy_of_a_nearly_certain_outcome():
    # n p = 1e-18: H ~ n p (1 - log(n p)); the summation window keeps k = 1
    n, p = 10**12, 1e-30
    mu = n * p
    exact = mu * (1 - math.log(mu))  # + O(mu^2 log mu)
    assert Binomial(n, p).entropy() == pytest.approx(exact, rel=1e-15)


def test_binomial_quantiles_match_scipy():
    q = np.concatenate([[1e-10], np.linspace(0.001, 0.999, 41), [1 - 1e-10]])
    for n, p in [(10, 0.3), (1000, 0.5), (33, 1e-3), (10, 0.0), (10, 1.0)]:
        d, ref = Binomial(n, p), stats.binom(n, p)
        np.testing.assert_array_equal(d.ppf(q), ref.ppf(q))
        np.testing.assert_array_equal(d.isf(q), ref.isf(q))
    # scipy's isf(tiny q) is ppf(1 - q) = ppf(1) = n; the smallest k with S(k) <= q is 0
    assert Binomial(10, 0.0).isf(1e-300) == 0.0
    d = Binomial(10**9, 0.5)
    k = d.isf(1e-300)
    assert d.sf(k) <= 1e-300 < d.sf(k - 1)


def test_binomial_quantile_paths_agree():
    d = Binomial(40, 0.35)
    q = np.random.default_rng(1).random(6000)
    big = d.ppf(q)  # table search
    np.testing.assert_array_equal(big[:40], [d.ppf(float(v)) for v in q[:40]])  # unit walk
    batch = Binomial(n=[40, 40], p=0.35)  # the base class's bracketing search
    np.testing.assert_array_equal(batch.ppf(q[:40, None])[:, 0], big[:40])
    np.testing.assert_array_equal(d.isf(q)[:40], batch.isf(q[:40, None])[:, 1])


def test_binomial_batched_parameters():
    d = Binomial(n=np.array([[5], [20]]), p=np.array([0.2, 0.5, 0.9]))
    assert d.batch_shape == (2, 3)
    k = 3.0
    np.testing.assert_allclose(
        d.pmf(k), stats.binom(np.array([[5], [20]]), [0.2, 0.5, 0.9]).pmf(k), rtol=RTOL
    )
    assert d.support[1].shape == (2, 3)
    np.testing.assert_allclose(d.mean(), [[1.0, 2.5, 4.5], [4.0, 10.0, 18.0]])
    assert d.rvs(rng=0).shape == (2, 3)
    assert d.entropy().shape == (2, 3)


def test_binomial_kl_divergence():
    a, b = Binomial(12, 0.3), Binomial(12, 0.45)
    k = np.arange(13.0)
    direct = np.sum(a.pmf(k) * (a.logpmf(k) - b.logpmf(k)))
    assert a.kl_divergence(b) == pytest.approx(direct, rel=1e-12)
    assert a.kl_divergence(b) == pytest.approx(12 * Bernoulli(0.3).kl_divergence(Bernoulli(0.45)))
    x = a.rvs(200_000, rng=np.random.default_rng(9))
    terms = a.logpmf(x) - b.logpmf(x)
    assert abs(terms.mean() - a.kl_divergence(b)) < 4 * terms.std() / math.sqrt(x.size)
    assert Binomial(5, 0.3).kl_divergence(Binomial(5, 0.0)) == np.inf
    assert Binomial(0, 0.3).kl_divergence(Binomial(0, 0.0)) == 0.0
    with pytest.raises(ValueError, match="needs equal n, got n=5.0 and n=6.0"):
        Binomial(5, 0.3).kl_divergence(Binomial(6, 0.3))
    with pytest.raises(TypeError, match="no closed-form KL divergence between Binomial and Bernoulli"):
        Binomial(1, 0.3).kl_divergence(Bernoulli(0.3))


def test_binomial_fit_needs_n():
    with pytest.raises(ValueError, match=r"needs the number of trials n.*Binomial.fit\(data, n=10\)"):
        Binomial.fit([1, 2, 3])


def test_binomial_fit_with_n_given():
    x = Binomial(10, 0.37).rvs(4000, rng=np.random.default_rng(12))
    fitted = Binomial.fit(x, n=10)
    res = fitted.fit_result
    p_hat = x.mean() / 10
    assert res.params == {"n": 10.0, "p": pytest.approx(p_hat, rel=1e-15)}
    assert res.free == ("p",)
    closed = math.sqrt(p_hat * (1 - p_hat) / (10 * x.size))
    assert res.stderr["p"] == pytest.approx(closed, rel=1e-12)
    info = numerical_information(
        lambda t: np.sum(stats.binom.logpmf(x, 10, t[0])), np.array([p_hat])
    )
    assert res.stderr["p"] == pytest.approx(1 / math.sqrt(info[0, 0]), rel=1e-5)
    theirs = stats.fit(stats.binom, x, bounds={"n": (10, 10), "p": (0, 1)}).params.p
    ll_theirs = np.sum(stats.binom.logpmf(x, 10, theirs))
    assert res.log_likelihood >= ll_theirs - 1e-9 * abs(ll_theirs)
    assert Binomial.fit(x, n=10, p=0.5).fit_result.free == ()


def test_binomial_fit_rejects_bad_data():
    with pytest.raises(ValueError, match=r"Binomial data must be integers in \{0, \.\.\., 3\}, got 4.0"):
        Binomial.fit([1, 4], n=3)
    with pytest.raises(ValueError, match="n = 0 trials"):
        Binomial.fit([0, 0], n=0)
    with pytest.raises(ValueError, match="n must be an integer >= 0"):
        Binomial.fit([0, 1], n=2.5)
    with pytest.raises(ValueError, match="NaN or inf"):
        Binomial.fit([0, np.inf], n=3)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": 2.5, "p": 0.3}, "n must be an integer >= 0"),
        ({"n": -1, "p": 0.3}, "n must be an integer >= 0"),
        ({"n": 10, "p": 1.5}, r"p must be in \[0, 1\]"),
        ({"n": [10, 5], "p": [0.1, 0.2, 0.3]}, "do not broadcast"),
    ],
)
def test_binomial_invalid_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Binomial(**kwargs)


def test_binomial_sampler():
    d = Binomial(30, 0.4)
    x = d.rvs(20_000, rng=np.random.default_rng(20261125))
    k, observed = np.unique(x, return_counts=True)
    expected = x.size * d.pmf(k)
    keep = expected >= 5
    obs, exp = observed[keep], expected[keep]
    assert stats.chisquare(obs, exp * obs.sum() / exp.sum()).pvalue > 0.01
    assert d.rvs((3, 2), rng=0).shape == (3, 2)
    assert type(d.rvs(rng=0)) is float


def test_scalar_in_scalar_out():
    for d in (Bernoulli(0.3), Binomial(10, 0.3), Binomial(100, 0.3)):
        for method in METHODS:
            assert type(getattr(d, method)(1)) is float
            assert type(getattr(d, method)(np.float64(1.0))) is float
        for method in ("ppf", "isf"):
            assert type(getattr(d, method)(0.4)) is float
        for method in ("mean", "var", "std", "median", "entropy"):
            assert type(getattr(d, method)()) is float


@given(
    n=st_.integers(min_value=0, max_value=10**9),
    p=st_.floats(min_value=0.0, max_value=1.0),
    q=st_.floats(min_value=1e-12, max_value=1 - 1e-12),
)
def test_property_binomial_quantile_is_the_smallest_k_reaching_q(n, p, q):
    d = Binomial(n, p)
    k = d.ppf(q)
    assert 0 <= k <= n and d.cdf(k) >= q and (k == 0 or d.cdf(k - 1) < q)
    k = d.isf(q)
    assert d.sf(k) <= q and (k == 0 or d.sf(k - 1) > q)


@given(p=st_.floats(min_value=0.0, max_value=1.0), q=st_.floats(min_value=0.0, max_value=1.0))
def test_property_bernoulli_kl_is_non_negative(p, q):
    kl = Bernoulli(p).kl_divergence(Bernoulli(q))
    assert kl >= 0.0
    if p == q:
        assert kl == 0.0
