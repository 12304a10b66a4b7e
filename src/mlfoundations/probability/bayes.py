"""Bayes' rule over a finite set of hypotheses.

Bayes' rule turns the probability of the evidence under each hypothesis into the
probability of each hypothesis given the evidence,

    P(H_i | E) = P(E | H_i) P(H_i) / P(E),   P(E) = sum_j P(E | H_j) P(H_j),

the denominator being the law of total probability. ``bayesian_update`` is the scalar
form the guide writes for one hypothesis H with the evidence P(E) given; ``evidence``
computes that P(E) for H against its complement; ``bayes_rule`` and ``bayes_rule_log``
handle any number of hypotheses, in probabilities or in logarithms.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import as_float_array, check_probability

__all__ = ["bayes_rule", "bayes_rule_log", "bayesian_update", "evidence"]

# Slack allowed when a prior that "sums to 1" was itself computed in floating point.
_PRIOR_SUM_TOL = 1e-9
# Slack for the consistency checks of the scalar form (a few rounding errors).
_ROUNDING_TOL = 8.0 * np.finfo(np.float64).eps
_TINY = float(np.finfo(np.float64).tiny)
_NO_EVIDENCE = "the evidence has probability zero under every hypothesis"


def evidence(prior, likelihood_h, likelihood_not_h) -> float:
    """Probability of the evidence by the law of total probability, H against not-H.

    Parameters
    ----------
    prior : float
        P(H), in [0, 1].
    likelihood_h : float
        P(E | H), in [0, 1].
    likelihood_not_h : float
        P(E | not H), in [0, 1].

    Returns
    -------
    float
        P(E) = P(E | H) P(H) + P(E | not H) (1 - P(H)).

    Raises
    ------
    TypeError
        If an argument is not a real number.
    ValueError
        If an argument lies outside [0, 1].

    Notes
    -----
    H and not-H partition the outcomes, so P(E) = P(E, H) + P(E, not H).

    References
    ----------
    Blitzstein & Hwang, *Introduction to Probability*, 2nd ed., theorem 2.3.6.

    Examples
    --------
    The guide's spam filter: P(spam) = 0.3, P(words | spam) = 0.9, P(words | ham) = 0.1.

    >>> from mlfoundations.probability.bayes import evidence
    >>> round(evidence(0.3, 0.9, 0.1), 12)
    0.34
    """
    prior = check_probability(prior, "prior")
    likelihood_h = check_probability(likelihood_h, "likelihood_h")
    likelihood_not_h = check_probability(likelihood_not_h, "likelihood_not_h")
    return likelihood_h * prior + likelihood_not_h * (1.0 - prior)


def bayesian_update(prior, likelihood, evidence) -> float:
    """Posterior probability of one hypothesis, P(H | E) = P(E | H) P(H) / P(E).

    Parameters
    ----------
    prior : float
        P(H), the probability of the hypothesis before seeing the evidence, in [0, 1].
    likelihood : float
        P(E | H), the probability of the evidence if H is true, in [0, 1].
    evidence : float
        P(E), the total probability of the evidence, in (0, 1]; see :func:`evidence`
        for computing it from P(E | not H).

    Returns
    -------
    float
        P(H | E), in [0, 1].

    Raises
    ------
    TypeError
        If an argument is not a real number.
    ValueError
        If an argument lies outside its range, if ``evidence`` is 0, or if the three
        numbers cannot come from one joint distribution: since
        P(E) = P(E | H) P(H) + P(E | not H) (1 - P(H)) with P(E | not H) in [0, 1],
        P(E) must lie in [P(E | H) P(H), P(E | H) P(H) + 1 - P(H)] (up to rounding).

    Notes
    -----
    This is the guide's ``bayesian_update(prior, likelihood, data)``, whose third
    argument is P(data); a posterior above 1 (evidence smaller than the joint
    probability P(E, H) = P(E | H) P(H)) is refused rather than returned.

    References
    ----------
    Blitzstein & Hwang, *Introduction to Probability*, 2nd ed., theorem 2.3.3.

    Examples
    --------
    >>> from mlfoundations.probability.bayes import bayesian_update, evidence
    >>> p_words = evidence(0.3, 0.9, 0.1)
    >>> round(bayesian_update(0.3, 0.9, p_words), 12)  # P(spam | words) = 0.27 / 0.34
    0.794117647059
    """
    prior = check_probability(prior, "prior")
    likelihood = check_probability(likelihood, "likelihood")
    p_evidence = check_probability(evidence, "evidence")
    if p_evidence == 0.0:
        raise ValueError("evidence must be > 0: Bayes' rule is undefined for P(E) = 0")
    joint = likelihood * prior
    if p_evidence < joint * (1.0 - _ROUNDING_TOL):
        raise ValueError(
            f"evidence={p_evidence!r} is smaller than likelihood * prior = {joint!r}; "
            "P(E) >= P(E | H) P(H) always, so the posterior would exceed 1"
        )
    most = joint + (1.0 - prior)
    if p_evidence > most * (1.0 + _ROUNDING_TOL):
        raise ValueError(
            f"evidence={p_evidence!r} exceeds likelihood * prior + (1 - prior) = {most!r}; "
            "it would need P(E | not H) > 1"
        )
    if joint >= _TINY or (joint == 0.0 and (prior == 0.0 or likelihood == 0.0)):
        return min(joint / p_evidence, 1.0)
    # the joint underflowed: divide before multiplying, P(E | H) (P(H) / P(E))
    return min(likelihood * (prior / p_evidence), 1.0)


def bayes_rule(prior, likelihood) -> np.ndarray:
    """Posterior probabilities of a finite set of hypotheses given the evidence.

    Parameters
    ----------
    prior : (K,) or (...) array_like
        P(H_i), probabilities of the mutually exclusive hypotheses; non-negative and
        summing to 1 (to 1e-9). Any shape with at least one entry (a 2-D grid of
        hypotheses is normalised over all its entries).
    likelihood : array_like, same shape as ``prior``
        P(E | H_i), the probability of the evidence under each hypothesis, in [0, 1].

    Returns
    -------
    posterior : ndarray, same shape as ``prior``
        P(H_i | E), non-negative and summing to 1.

    Raises
    ------
    ValueError
        If an input holds NaN or inf, is 0-d or empty, if the shapes differ, if the
        prior has a negative entry or does not sum to 1, if a likelihood lies outside
        [0, 1], or if P(E) = 0 (the evidence is impossible under every hypothesis
        that has prior mass).

    Notes
    -----
    P(H_i | E) = P(E | H_i) P(H_i) / sum_j P(E | H_j) P(H_j).

    Multiplying small probabilities underflows, so each product is kept as a mantissa
    in [1/4, 1) and a power of two (splitting a float into the two is exact), and all
    terms are scaled by the largest power before summing: the ratio then costs three
    roundings however small the products are (1e-300 x 1e-300 included), with no
    detour through logarithms. For log densities use ``bayes_rule_log``.

    References
    ----------
    Blitzstein & Hwang, *Introduction to Probability*, 2nd ed., theorem 2.3.7.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.probability.bayes import bayes_rule
    >>> posterior = bayes_rule([0.3, 0.7], [0.9, 0.1])  # spam vs ham
    >>> np.allclose(posterior, [0.27 / 0.34, 0.07 / 0.34], rtol=1e-15, atol=0)
    True
    >>> bayes_rule([0.5, 0.5], [1e-300, 3e-300])  # no underflow
    array([0.25, 0.75])
    """
    prior = _check_prior(prior)
    likelihood = as_float_array(likelihood, "likelihood")
    _check_same_shape(likelihood, prior, "likelihood")
    if not ((likelihood >= 0.0) & (likelihood <= 1.0)).all():
        bad = float(likelihood[(likelihood < 0.0) | (likelihood > 1.0)][0])
        raise ValueError(f"likelihood values must lie in [0, 1], got {bad!r}")
    if not ((prior > 0.0) & (likelihood > 0.0)).any():
        raise ValueError(_NO_EVIDENCE)
    # each product p_i l_i as mantissa m_i in [1/4, 1) times 2^x_i (frexp is exact);
    # every term is scaled by 2^-X, X the largest exponent, so the sum lies in
    # [1/4, n) and a product far below the others neither underflows the sum nor
    # loses its own digits before the division
    m_prior, x_prior = np.frexp(prior)
    m_likelihood, x_likelihood = np.frexp(likelihood)
    m = m_prior * m_likelihood
    x = x_prior + x_likelihood
    top = x[m > 0.0].max()
    total = np.ldexp(m, x - top).sum()
    return np.ldexp(m / total, x - top)


def bayes_rule_log(log_prior, log_likelihood) -> np.ndarray:
    """Bayes' rule in logarithms: log P(H_i | E) from log P(H_i) and log P(E | H_i).

    Parameters
    ----------
    log_prior : array_like
        log P(H_i), at least one entry; -inf marks a hypothesis ruled out a priori.
        exp(log_prior) must sum to 1 (to 1e-9).
    log_likelihood : array_like, same shape as ``log_prior``
        log P(E | H_i), or a log density of continuous evidence (values above 0 are
        allowed); -inf where the evidence is impossible. A constant added to every
        entry cancels.

    Returns
    -------
    log_posterior : ndarray, same shape as ``log_prior``
        log P(H_i | E); its exponentials sum to 1. Feed it back as ``log_prior`` to
        update on further independent evidence.

    Raises
    ------
    ValueError
        If an input holds NaN or +inf, is 0-d or empty, if the shapes differ, if
        ``log_prior`` has a positive entry or does not normalise, or if the evidence
        has probability zero under every hypothesis.

    Notes
    -----
    log P(H_i | E) = a_i - logsumexp(a), a_i = log P(E | H_i) + log P(H_i), with
    logsumexp(a) = m + log sum_j exp(a_j - m), m = max_j a_j, so that no exponential
    overflows or underflows to an all-zero sum. Log-likelihoods of thousands of
    observations (sums of log densities) are handled this way.

    References
    ----------
    Murphy, *Probabilistic Machine Learning: An Introduction*, 2022, section 2.5.4
    (the log-sum-exp trick).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.probability.bayes import bayes_rule_log
    >>> log_post = bayes_rule_log(np.log([0.5, 0.5]), [-1000.0, -1000.0 + np.log(3)])
    >>> np.allclose(np.exp(log_post), [0.25, 0.75], rtol=1e-14)
    True
    """
    log_prior = as_float_array(log_prior, "log_prior", finite=False)
    _check_log_values(log_prior, "log_prior")
    if log_prior.ndim == 0 or log_prior.size == 0:
        raise ValueError(
            f"log_prior must be an array with at least one hypothesis, got shape {log_prior.shape}"
        )
    if (log_prior > 0.0).any():
        bad = float(log_prior[log_prior > 0.0][0])
        raise ValueError(f"log_prior values must be <= 0 (log-probabilities), got {bad!r}")
    total = math.exp(_logsumexp(log_prior)) if np.isfinite(log_prior).any() else 0.0
    if abs(total - 1.0) > _PRIOR_SUM_TOL:
        raise ValueError(f"exp(log_prior) must sum to 1, got {total!r}")
    log_likelihood = as_float_array(log_likelihood, "log_likelihood", finite=False)
    _check_log_values(log_likelihood, "log_likelihood")
    _check_same_shape(log_likelihood, log_prior, "log_likelihood")
    log_joint = log_prior + log_likelihood
    if not np.isfinite(log_joint).any():
        raise ValueError(_NO_EVIDENCE)
    return _normalise_log(log_joint)


# --- helpers -----------------------------------------------------------------------------
def _check_prior(prior) -> np.ndarray:
    prior = as_float_array(prior, "prior")
    if prior.ndim == 0 or prior.size == 0:
        raise ValueError(
            f"prior must be an array with at least one hypothesis, got shape {prior.shape}"
        )
    if (prior < 0.0).any():
        raise ValueError(f"prior probabilities must be >= 0, got {float(prior[prior < 0.0][0])!r}")
    total = float(prior.sum())
    if abs(total - 1.0) > _PRIOR_SUM_TOL:
        raise ValueError(f"prior probabilities must sum to 1, got a sum of {total!r}")
    return prior


def _check_same_shape(arr: np.ndarray, reference: np.ndarray, name: str) -> None:
    if arr.shape != reference.shape:
        other = "prior" if name == "likelihood" else "log_prior"
        raise ValueError(
            f"{name} must have the shape of {other}, {reference.shape}; got {arr.shape}"
        )


def _check_log_values(arr: np.ndarray, name: str) -> None:
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    if np.isposinf(arr).any():
        raise ValueError(f"{name} contains +inf; a log-probability is at most finite")


def _logsumexp(a: np.ndarray) -> float:
    m = a.max()
    return float(m + np.log(np.sum(np.exp(a - m))))


def _normalise_log(a: np.ndarray) -> np.ndarray:
    """a - logsumexp(a) for an array with at least one finite entry."""
    return a - _logsumexp(a)
