"""Categorical against scipy.stats.rv_discrete / multinomial, closed forms and fits."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st_
from scipy import special, stats

from mlfoundations.probability._fitting import FitResult
from mlfoundations.probability.categorical import Categorical, CategoricalFitResult

RTOL = 1e-12
PROBS = [
    [1.0],
    [0.2, 0.5, 0.3],
    [0.0, 0.25, 0.0, 0.75],
    [1e-300, 0.5, 0.5 - 1e-300],
    list(np.random.default_rng(0).dirichlet(np.ones(50))),
]


def _oracle(probs):
    return stats.rv_discrete(values=(np.arange(len(probs)), probs))


@pytest.mark.parametrize("probs", PROBS, ids=lambda p: f"K={len(p)}")
def test_point_methods_match_rv_discrete(probs):
    d, ref = Categorical(probs), _oracle(probs)
    k = np.arange(-1.0, len(probs) + 1.0)
    for method in ("pmf", "cdf", "sf"):
        np.testing.assert_allclose(getattr(d, method)(k), getattr(ref, method)(k), rtol=RTOL, atol=1e-15)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(d.logpmf(k), np.log(ref.pmf(k)), rtol=RTOL)
        np.testing.assert_allclose(d.logcdf(k), np.log(ref.cdf(k)), rtol=1e-10, atol=1e-15)
    # the sf is the running sum from the top, not 1 - F: exact for a tiny last mass
    assert Categorical([1 - 1e-20, 1e-20]).sf(0) == 1e-20
    assert Categorical([1 - 1e-20, 1e-20]).logsf(0) == pytest.approx(math.log(1e-20), rel=1e-15)
    assert d.pmf(0.5) == 0.0 and d.cdf(0.5) == d.cdf(0.0)


def test_pmf_matches_multinomial_with_one_trial():
    probs = np.array([0.1, 0.6, 0.3])
    d = Categorical(probs)
    for k in range(3):
        onehot = np.eye(3)[k]
        assert d.pmf(k) == pytest.approx(stats.multinomial(1, probs).pmf(onehot), rel=1e-15)


@pytest.mark.parametrize("probs", PROBS, ids=lambda p: f"K={len(p)}")
def test_quantiles_match_rv_discrete(probs):
    d, ref = Categorical(probs), _oracle(probs)
    q = np.concatenate([[1e-300, 1e-16], np.linspace(0.01, 0.99, 49), [1 - 1e-16]])
    np.testing.assert_array_equal(d.ppf(q), ref.ppf(q))
    # q exactly at a step of the cdf returns that step
    cum = d.cdf(np.arange(len(probs)))
    inner = cum[(cum > 0) & (cum < 1)]
    np.testing.assert_array_equal(d.cdf(d.ppf(inner)), inner)
    # isf: the smallest k with S(k) <= q
    k = d.isf(q)
    assert np.all(d.sf(k) <= q) and np.all((k == 0) | (d.sf(k - 1) > q))
    assert d.ppf(0.0) == -1.0 and d.ppf(1.0) == len(probs) - 1
    assert d.isf(0.0) == len(probs) - 1 and d.isf(1.0) == -1.0
    np.testing.assert_array_equal([d.ppf(float(v)) for v in q[::5]], d.ppf(q[::5]))


@pytest.mark.parametrize("probs", PROBS, ids=lambda p: f"K={len(p)}")
def test_summaries_match_rv_discrete(probs):
    d, ref = Categorical(probs), _oracle(probs)
    assert d.mean() == pytest.approx(ref.mean(), rel=1e-13, abs=1e-300)
    assert d.var() == pytest.approx(ref.var(), rel=1e-12, abs=1e-300)
    assert d.median() == ref.median()
    assert d.entropy() == pytest.approx(ref.entropy(), rel=1e-13, abs=1e-300)
    assert d.entropy() == pytest.approx(-np.sum(special.xlogy(probs, probs)), rel=1e-14, abs=0)


def test_probabilities_are_normalised_within_tolerance():
    d = Categorical([0.2, 0.5, 0.3 + 1e-12])
    assert d.probs.sum() == pytest.approx(1.0, abs=1e-15)
    assert d.cdf(2) == 1.0 and d.sf(2) == 0.0


@pytest.mark.parametrize(
    "probs, message",
    [
        ([0.5, 0.6], r"probs must sum to 1 along the last axis \(within 1e-10 K\), got a sum of 1.1"),
        ([[0.5, 0.5], [0.5, 0.4]], "got a sum of 0.9"),
        # (the base class quotes an array entry as np.float64(-0.1); see the report)
        ([-0.1, 1.1], r"probs must be in \[0, 1\], got .*-0\.1"),
        ([0.5, np.nan], r"probs must be in \[0, 1\], got .*nan"),
        (1.0, r"probs must have shape \(\.\.\., K\) with K >= 1"),
        (np.zeros((2, 0)), r"probs must have shape \(\.\.\., K\) with K >= 1"),
    ],
)
def test_invalid_probs(probs, message):
    with pytest.raises(ValueError, match=message):
        Categorical(probs)


def test_batch_of_distributions():
    probs = np.array([[[0.1, 0.9, 0.0], [0.3, 0.3, 0.4]], [[1.0, 0.0, 0.0], [0.2, 0.2, 0.6]]])
    d = Categorical(probs)
    assert d.batch_shape == (2, 2) and d.n_categories == 3
    np.testing.assert_array_equal(d.pmf(1), probs[..., 1])
    k = np.array([[0.0], [2.0]])  # broadcasts with the batch (2, 2)
    index = np.array([[[0], [0]], [[2], [2]]])
    np.testing.assert_array_equal(d.pmf(k), np.take_along_axis(probs, index, -1)[..., 0])
    np.testing.assert_allclose(d.cdf(1), probs[..., :2].sum(-1), rtol=1e-15)
    np.testing.assert_allclose(d.sf(0), probs[..., 1:].sum(-1), rtol=1e-15)
    np.testing.assert_allclose(d.entropy(), -np.sum(special.xlogy(probs, probs), -1), rtol=1e-14)
    np.testing.assert_allclose(d.mean(), probs @ np.arange(3.0), rtol=1e-15)
    for i in range(2):
        for j in range(2):
            row = Categorical(probs[i, j])
            assert d.var()[i, j] == pytest.approx(row.var(), rel=1e-15, abs=1e-300)
            q = np.array(0.35)  # a Python float q fails in the base class for a batch
            assert d.ppf(q)[i, j] == row.ppf(0.35) and d.isf(q)[i, j] == row.isf(0.35)
            assert d.median()[i, j] == row.median()
    assert d.rvs(rng=0).shape == (2, 2)
    assert d.rvs((5, 2, 2), rng=0).shape == (5, 2, 2)


def test_kl_divergence_closed_form_direct_sum_monte_carlo_and_batch():
    p, q = Categorical([0.2, 0.5, 0.3]), Categorical([0.4, 0.4, 0.2])
    direct = sum(a * math.log(a / b) for a, b in zip([0.2, 0.5, 0.3], [0.4, 0.4, 0.2]))
    assert p.kl_divergence(q) == pytest.approx(direct, rel=1e-14)
    x = p.rvs(200_000, rng=np.random.default_rng(6))
    terms = p.logpmf(x) - q.logpmf(x)
    assert abs(terms.mean() - p.kl_divergence(q)) < 4 * terms.std() / math.sqrt(x.size)
    # 0 log 0 = 0; infinite where q has no mass but p has
    assert Categorical([0.0, 1.0]).kl_divergence(Categorical([0.5, 0.5])) == pytest.approx(math.log(2))
    assert Categorical([0.5, 0.5]).kl_divergence(Categorical([0.0, 1.0])) == np.inf
    rows_p = np.array([[0.2, 0.8], [0.5, 0.5], [1.0, 0.0]])
    rows_q = np.array([[0.5, 0.5], [0.5, 0.5], [0.3, 0.7]])
    batched = Categorical(rows_p).kl_divergence(Categorical(rows_q))
    want = [Categorical(a).kl_divergence(Categorical(b)) for a, b in zip(rows_p, rows_q)]
    np.testing.assert_allclose(batched, want, rtol=1e-15)
    assert batched[1] == 0.0
    with pytest.raises(ValueError, match="same number of categories, got K=2 and K=3"):
        Categorical([0.5, 0.5]).kl_divergence(Categorical([0.2, 0.3, 0.5]))


def test_sampler_chi_square_and_zero_mass_categories():
    probs = [0.1, 0.0, 0.35, 0.05, 0.5]
    d = Categorical(probs)
    x = d.rvs(50_000, rng=np.random.default_rng(20261125))
    counts = np.bincount(x.astype(int), minlength=5)
    assert counts[1] == 0  # a category of probability 0 is never drawn
    keep = np.array(probs) > 0
    assert stats.chisquare(counts[keep], 50_000 * np.array(probs)[keep]).pvalue > 0.01
    assert type(d.rvs(rng=0)) is float and x.dtype == np.float64
    batch = Categorical([[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(batch.rvs((3, 2), rng=0), [[0.0, 1.0]] * 3)


def test_scalar_in_scalar_out():
    d = Categorical([0.2, 0.5, 0.3])
    for method in ("pmf", "logpmf", "cdf", "sf", "logcdf", "logsf"):
        assert type(getattr(d, method)(1)) is float
        assert type(getattr(d, method)(np.float64(1.0))) is float
    for method in ("ppf", "isf"):
        assert type(getattr(d, method)(0.3)) is float
    for method in ("mean", "var", "std", "median", "entropy"):
        assert type(getattr(d, method)()) is float
    assert d.support == (0.0, 2.0)
    assert repr(d) == "Categorical(probs=array(shape=(3,)))"


def test_fit_counts_frequencies():
    data = np.array([0, 2, 2, 1, 2, 0, 2, 2])
    fitted = Categorical.fit(data)
    res = fitted.fit_result
    probs = np.array([2, 1, 5]) / 8
    np.testing.assert_allclose(fitted.probs, probs, rtol=1e-15)
    assert isinstance(res, CategoricalFitResult) and isinstance(res, FitResult)
    assert res.params == {"probs": probs.tolist()} and res.free == ("probs",)
    np.testing.assert_allclose(res.stderr["probs"], np.sqrt(probs * (1 - probs) / 8), rtol=1e-15)
    np.testing.assert_allclose(np.sqrt(np.diag(res.cov)), res.stderr["probs"], rtol=1e-15)
    np.testing.assert_allclose(res.cov.sum(axis=0), 0.0, atol=1e-17)  # singular: sum p = 1
    assert res.log_likelihood == pytest.approx(fitted.log_likelihood(data), rel=1e-15)
    by_hand = 5 * math.log(5 / 8) + 2 * math.log(2 / 8) + math.log(1 / 8)
    assert res.log_likelihood == pytest.approx(by_hand, rel=1e-15)
    assert res.n_params == 2 and res.nobs == 8 and res.n_iter == 0 and res.converged
    assert res.aic == pytest.approx(4 - 2 * res.log_likelihood)
    text = str(res)
    assert "probs[2] = 0.625  (se 0.171163)" in text and "log-likelihood" in text


def test_fit_beats_any_other_probabilities():
    data = Categorical([0.1, 0.2, 0.3, 0.4]).rvs(2000, rng=np.random.default_rng(2))
    best = Categorical.fit(data).fit_result.log_likelihood
    for alt in np.random.default_rng(3).dirichlet(np.ones(4), size=50):
        assert Categorical(alt).log_likelihood(data) <= best
    # scipy's multinomial log-likelihood of the counts differs by the constant log n!/prod n_k!
    counts = np.bincount(data.astype(int), minlength=4)
    const = special.gammaln(2001) - np.sum(special.gammaln(counts + 1))
    theirs = stats.multinomial(2000, counts / 2000).logpmf(counts) - const
    assert best == pytest.approx(theirs, rel=1e-12)


def test_fit_with_unobserved_categories():
    fitted = Categorical.fit([0, 1, 1], n_categories=4)
    np.testing.assert_array_equal(fitted.probs, [1 / 3, 2 / 3, 0.0, 0.0])
    assert fitted.fit_result.stderr["probs"][3] == 0.0


@pytest.mark.parametrize(
    "data, kwargs, error, message",
    [
        (
            [0, 1, 3],
            {"n_categories": 3},
            ValueError,
            r"Categorical data must be integers in \{0, \.\.\., 2\}, got 3.0",
        ),
        ([0, -1], {}, ValueError, r"Categorical data must be integers.*got -1.0"),
        ([0, 1.5], {}, ValueError, "got 1.5"),
        ([], {}, ValueError, "data is empty"),
        ([0, np.nan], {}, ValueError, "NaN or inf"),
        ([0, 1], {"n_categories": 0}, ValueError, "n_categories must be >= 1, got 0"),
        ([0, 1], {"n_categories": 2.0}, TypeError, "n_categories must be an integer, got 2.0"),
        ("abc", {}, TypeError, "data must be numeric"),
    ],
)
def test_fit_rejects_bad_input(data, kwargs, error, message):
    with pytest.raises(error, match=message):
        Categorical.fit(data, **kwargs)


@given(
    weights=st_.lists(st_.floats(min_value=0.0, max_value=1e6), min_size=1, max_size=20).filter(
        lambda w: sum(w) > 0
    ),
    q=st_.floats(min_value=0.0, max_value=1.0),
)
def test_property_entropy_bounds_and_quantile(weights, q):
    probs = np.array(weights) / np.sum(weights)
    d = Categorical(probs)
    assert -1e-15 <= d.entropy() <= math.log(len(probs)) + 1e-12
    if 0 < q < 1:
        k = d.ppf(q)
        assert d.cdf(k) >= q and (k == 0 or d.cdf(k - 1) < q)
        assert d.pmf(k) > 0  # the quantile is never a category without mass
