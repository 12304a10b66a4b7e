"""Bayes' rule: the guide's spam example, the direct formula, exact rationals, properties."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlfoundations.probability.bayes import bayes_rule, bayes_rule_log, bayesian_update, evidence

# P(spam | words) = 0.9 * 0.3 / (0.9 * 0.3 + 0.1 * 0.7) = 0.27 / 0.34 = 27/34
SPAM_POSTERIOR = 0.7941176470588235


def exact_posterior(prior, likelihood):
    """Bayes' rule in exact rational arithmetic on the given floats (the oracle)."""
    joint = [Fraction(float(p)) * Fraction(float(l)) for p, l in zip(prior, likelihood)]
    total = sum(joint)
    return np.array([float(j / total) for j in joint])


def random_prior(rng, k):
    p = rng.random(k)
    return p / p.sum()


# --- the guide's scalar form ------------------------------------------------------------
def test_spam_example_from_the_guide():
    p_words = evidence(0.3, 0.9, 0.1)
    assert p_words == pytest.approx(0.34, rel=1e-15)
    assert bayesian_update(0.3, 0.9, p_words) == pytest.approx(SPAM_POSTERIOR, rel=1e-15)
    assert bayesian_update(0.3, 0.9, 0.34) == pytest.approx(27 / 34, rel=1e-15)
    assert round(bayesian_update(0.3, 0.9, p_words), 3) == 0.794  # the guide prints .3f


def test_spam_example_through_bayes_rule():
    posterior = bayes_rule([0.3, 0.7], [0.9, 0.1])
    np.testing.assert_allclose(posterior, [27 / 34, 7 / 34], rtol=1e-15)


@given(
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
)
def test_bayesian_update_agrees_with_bayes_rule_on_two_hypotheses(prior, lik_h, lik_not_h):
    p_e = evidence(prior, lik_h, lik_not_h)
    if p_e < 1e-300:  # P(E) = 0 (or subnormal): covered by the error tests
        return
    posterior = bayesian_update(prior, lik_h, p_e)
    assert 0.0 <= posterior <= 1.0
    # exact rational oracle on the same floats, even where the joint underflows
    exact = float(Fraction(lik_h) * Fraction(prior) / Fraction(p_e))
    assert posterior == pytest.approx(exact, rel=1e-15, abs=1e-300)
    # rtol 1e-13: same formula, the vector form scales by powers of two first
    expected = bayes_rule([prior, 1.0 - prior], [lik_h, lik_not_h])[0] if prior < 1 else 1.0
    assert posterior == pytest.approx(expected, rel=1e-13, abs=1e-300)


def test_bayesian_update_edge_cases():
    assert bayesian_update(0.0, 0.5, 0.2) == 0.0  # a hypothesis ruled out stays out
    assert bayesian_update(1.0, 0.5, 0.5) == 1.0  # a certain hypothesis stays certain
    assert bayesian_update(0.4, 0.0, 0.3) == 0.0  # evidence impossible under H
    # evidence = likelihood * prior exactly: P(E | not H) = 0, H becomes certain
    assert bayesian_update(0.3, 0.9, 0.9 * 0.3) == 1.0


@pytest.mark.parametrize(
    "args, match",
    [
        ((0.3, 0.9, 0.0), "evidence must be > 0"),
        ((0.3, 0.9, 0.2), r"smaller than likelihood \* prior = 0.27"),
        ((0.3, 0.9, 0.98), r"exceeds likelihood \* prior \+ \(1 - prior\)"),
        ((1.3, 0.9, 0.3), r"prior must lie in \[0, 1\], got 1.3"),
        ((0.3, -0.1, 0.3), r"likelihood must lie in \[0, 1\], got -0.1"),
        ((0.3, 0.9, 1.5), r"evidence must lie in \[0, 1\], got 1.5"),
        ((float("nan"), 0.9, 0.3), r"prior must lie in \[0, 1\], got nan"),
    ],
)
def test_bayesian_update_errors(args, match):
    with pytest.raises(ValueError, match=match):
        bayesian_update(*args)


def test_scalar_form_type_errors():
    with pytest.raises(TypeError, match="prior must be a real number"):
        bayesian_update("0.3", 0.9, 0.34)
    with pytest.raises(TypeError, match="likelihood_not_h must be a real number"):
        evidence(0.3, 0.9, [0.1])
    with pytest.raises(ValueError, match=r"likelihood_h must lie in \[0, 1\]"):
        evidence(0.3, 2.0, 0.1)


# --- bayes_rule over K hypotheses ---------------------------------------------------------
@pytest.mark.parametrize("k", [1, 2, 3, 10, 1000])
def test_bayes_rule_matches_the_direct_formula(rng, k):
    prior = random_prior(rng, k)
    likelihood = rng.random(k)
    posterior = bayes_rule(prior, likelihood)
    direct = likelihood * prior / np.sum(likelihood * prior)
    np.testing.assert_allclose(posterior, direct, rtol=1e-13)  # reordering of roundings
    np.testing.assert_allclose(posterior, exact_posterior(prior, likelihood), rtol=1e-14)
    assert posterior.shape == (k,)


def test_bayes_rule_keeps_a_grid_of_hypotheses(rng):
    prior = rng.random((4, 5))
    prior /= prior.sum()
    likelihood = rng.random((4, 5))
    posterior = bayes_rule(prior, likelihood)
    assert posterior.shape == (4, 5)
    direct = prior * likelihood / np.sum(prior * likelihood)
    np.testing.assert_allclose(posterior, direct, rtol=1e-13)


def test_bayes_rule_scales_tiny_likelihoods_instead_of_underflowing():
    # the direct products are subnormal (1e-310, 1e-310 * (1 - 1e-10)): digits lost
    prior, likelihood = [1e-10, 1.0 - 1e-10], [1e-300, 1e-310]
    assert np.all(np.multiply(prior, likelihood) < np.finfo(float).tiny)
    np.testing.assert_allclose(
        bayes_rule(prior, likelihood), exact_posterior(prior, likelihood), rtol=1e-15
    )
    # the mass sits where the prior is tiny and the likelihood large, and the other way
    # round: every scaled product is ~1e-300, so the logarithmic path takes over
    prior, likelihood = [1e-300, 1.0 - 1e-300], [1.0, 1e-300]
    np.testing.assert_allclose(
        bayes_rule(prior, likelihood), exact_posterior(prior, likelihood), rtol=1e-13
    )
    prior, likelihood = [1e-200, 0.5, 0.5 - 1e-200], [1e-150, 1e-250, 0.0]
    np.testing.assert_allclose(
        bayes_rule(prior, likelihood), exact_posterior(prior, likelihood), rtol=1e-13
    )


def test_bayes_rule_zero_prior_or_zero_likelihood_gives_zero_posterior():
    posterior = bayes_rule([0.0, 0.5, 0.5], [1.0, 0.0, 0.2])
    np.testing.assert_array_equal(posterior, [0.0, 0.0, 1.0])


probability_vectors = arrays(
    np.float64, st.integers(1, 12), elements=st.floats(0.0, 1.0, allow_subnormal=False)
).filter(lambda p: p.sum() > 1e-3).map(lambda p: p / p.sum())


@given(probability_vectors, st.data())
def test_bayes_rule_properties(prior, data):
    k = prior.size
    likelihood = data.draw(
        arrays(np.float64, k, elements=st.floats(0.0, 1.0, allow_subnormal=False))
    )
    if not np.any((prior > 0) & (likelihood > 0)):
        with pytest.raises(ValueError, match="probability zero under every hypothesis"):
            bayes_rule(prior, likelihood)
        return
    posterior = bayes_rule(prior, likelihood)
    # a probability vector (sum to 1e-12), zero wherever prior or likelihood is zero
    assert np.all(posterior >= 0.0)
    assert abs(posterior.sum() - 1.0) < 1e-12
    assert np.all(posterior[(prior == 0) | (likelihood == 0)] == 0.0)
    exact = exact_posterior(prior, likelihood)
    np.testing.assert_allclose(posterior, exact, rtol=1e-13, atol=1e-300)
    # a likelihood scaled by 2^-k is the same evidence: the same result, up to the 1e-13
    # each computation is allowed above (tiny products take the log-space path)
    np.testing.assert_allclose(
        bayes_rule(prior, np.ldexp(likelihood, -7)), posterior, rtol=2e-13, atol=1e-300
    )
    # relabelling the hypotheses relabels the posterior
    perm = np.arange(k)[::-1]
    relabelled = bayes_rule(prior[perm], likelihood[perm])
    np.testing.assert_allclose(relabelled, posterior[perm], rtol=1e-13)


@given(probability_vectors, st.floats(1e-300, 1.0))
def test_flat_likelihood_leaves_the_prior_unchanged(prior, c):
    # rtol 1e-13: the prior itself sums to 1 only up to rounding
    # atol: a subnormal prior entry carries fewer than 13 digits itself
    np.testing.assert_allclose(
        bayes_rule(prior, np.full(prior.shape, c)), prior, rtol=1e-13, atol=1e-300
    )


def test_sequential_evidence_equals_joint_evidence(rng):
    # independent evidence E1, E2 given H: P(E1, E2 | H) = P(E1 | H) P(E2 | H)
    prior = random_prior(rng, 6)
    l1, l2 = rng.random(6), rng.random(6)
    sequential = bayes_rule(bayes_rule(prior, l1), l2)
    np.testing.assert_allclose(sequential, bayes_rule(prior, l1 * l2), rtol=1e-13)


@pytest.mark.parametrize(
    "prior, likelihood, match",
    [
        ([0.5, 0.6], [0.5, 0.5], "prior probabilities must sum to 1, got a sum of 1.1"),
        ([1.5, -0.5], [0.5, 0.5], "prior probabilities must be >= 0, got -0.5"),
        ([0.5, np.nan], [0.5, 0.5], "prior contains NaN"),
        ([0.5, 0.5], [0.5, np.inf], "likelihood contains inf"),
        ([0.5, 0.5], [0.5, 1.5], r"likelihood values must lie in \[0, 1\], got 1.5"),
        ([0.5, 0.5], [0.5] * 3, r"likelihood must have the shape of prior, \(2,\); got \(3,\)"),
        ([0.5, 0.5, 0.0], [0.0, 0.0, 1.0], "evidence has probability zero under every hypothesis"),
        (1.0, 1.0, r"prior must be an array with at least one hypothesis, got shape \(\)"),
        ([], [], r"prior must be an array with at least one hypothesis, got shape \(0,\)"),
    ],
)
def test_bayes_rule_errors(prior, likelihood, match):
    with pytest.raises(ValueError, match=match):
        bayes_rule(prior, likelihood)


# --- bayes_rule_log ------------------------------------------------------------------------
def test_bayes_rule_log_matches_bayes_rule(rng):
    prior = random_prior(rng, 8)
    likelihood = rng.random(8)
    log_post = bayes_rule_log(np.log(prior), np.log(likelihood))
    # rtol 1e-13 on exp: log and exp each add a few ulps relative to |log p| <= ~10
    np.testing.assert_allclose(np.exp(log_post), bayes_rule(prior, likelihood), rtol=1e-13)


def test_bayes_rule_log_handles_log_likelihoods_of_many_observations(rng):
    # 1000 normal observations: the likelihoods exp(-1400...) underflow, the logs do not
    x = rng.normal(0.3, 1.0, size=1000)
    mus = np.linspace(-1.0, 1.0, 41)
    loglik = np.array([np.sum(-0.5 * (x - m) ** 2 - 0.5 * np.log(2 * np.pi)) for m in mus])
    assert np.all(np.exp(loglik) == 0.0)
    log_prior = np.full(41, -np.log(41))
    log_post = bayes_rule_log(log_prior, loglik)
    # exact: log posterior = loglik - logsumexp(loglik) for a flat prior (tolerance 1e-9
    # absolute on logs of size ~1e3)
    shifted = loglik - loglik.max()
    np.testing.assert_allclose(log_post, shifted - np.log(np.exp(shifted).sum()), atol=1e-9)
    assert mus[np.argmax(log_post)] == pytest.approx(np.mean(x), abs=0.05)
    # sequential in log space: split the sample in two
    half = [np.array([np.sum(-0.5 * (xs - m) ** 2 - 0.5 * np.log(2 * np.pi)) for m in mus])
            for xs in (x[:500], x[500:])]
    np.testing.assert_allclose(
        bayes_rule_log(bayes_rule_log(log_prior, half[0]), half[1]), log_post, atol=1e-9
    )


def test_bayes_rule_log_accepts_densities_and_impossible_hypotheses():
    log_post = bayes_rule_log(np.log([0.2, 0.3, 0.5]), [2.0, -np.inf, 2.0 + np.log(2.0)])
    np.testing.assert_allclose(np.exp(log_post), [1 / 6, 0.0, 5 / 6], rtol=1e-14)
    assert log_post[1] == -np.inf


@pytest.mark.parametrize(
    "log_prior, log_likelihood, match",
    [
        (np.log([0.5, 0.6]), [0.0, 0.0], r"exp\(log_prior\) must sum to 1, got 1.1"),
        ([0.1, -np.inf], [0.0, 0.0], "log_prior values must be <= 0"),
        ([-np.inf, -np.inf], [0.0, 0.0], r"exp\(log_prior\) must sum to 1, got 0.0"),
        ([np.nan, 0.0], [0.0, 0.0], "log_prior contains NaN"),
        (np.log([0.5, 0.5]), [0.0, np.inf], r"log_likelihood contains \+inf"),
        (np.log([0.5, 0.5]), [0.0, np.nan], "log_likelihood contains NaN"),
        (np.log([0.5, 0.5]), [0.0], "log_likelihood must have the shape of log_prior"),
        ([0.0, -np.inf], [-np.inf, 0.0], "probability zero under every hypothesis"),
        (0.0, 0.0, "log_prior must be an array with at least one hypothesis"),
    ],
)
def test_bayes_rule_log_errors(log_prior, log_likelihood, match):
    with pytest.raises(ValueError, match=match):
        bayes_rule_log(log_prior, log_likelihood)
