"""Tour section: Probability.

The guide's distribution calls with the library's own distributions, its spam
posterior by Bayes' rule, its maximum-likelihood normal, then what it leaves out:
accurate tails, conjugate updating, choosing a family by AIC, and naive Bayes on a
small bag-of-words spam corpus.
"""

from __future__ import annotations

import math

import numpy as np

from ...models import MultinomialNB
from ...probability import (
    Bernoulli,
    BetaBernoulli,
    Exponential,
    Gamma,
    GammaPoisson,
    LogNormal,
    Normal,
    NormalKnownVariance,
    Poisson,
    bayes_rule,
    bayesian_update,
    fit_best,
)
from . import Check

GUIDE = "the guide"
CLOSED = "closed form"

# A vocabulary with a word distribution per class; spam favours the first words.
VOCABULARY = (
    "free", "winner", "cash", "offer", "click", "prize", "urgent", "credit",
    "meeting", "project", "report", "lunch", "schedule", "team", "review", "notes",
)
_SPAM_WEIGHTS = np.array([9, 8, 8, 7, 7, 6, 5, 5, 1, 1, 1, 1, 1, 1, 1, 1], dtype=float)
_HAM_WEIGHTS = _SPAM_WEIGHTS[::-1].copy()


def make_spam_corpus(n_documents: int = 400, words_per_document: int = 12, seed: int = 0):
    """Word-count vectors of generated e-mails and their labels (1 = spam, 0 = ham).

    Each document draws its words from the class's multinomial word distribution;
    30% of documents are spam, the guide's prior P(spam) = 0.3.
    """
    rng = np.random.default_rng(seed)
    y = (rng.random(n_documents) < 0.3).astype(int)
    probs = np.where(y[:, None] == 1, _SPAM_WEIGHTS, _HAM_WEIGHTS)
    probs /= probs.sum(axis=1, keepdims=True)
    X = np.array([rng.multinomial(words_per_document, p) for p in probs], dtype=float)
    return X, y


def _naive_bayes_checks() -> list[Check]:
    X, y = make_spam_corpus()
    n_train = 300
    model = MultinomialNB(alpha=1.0).fit(X[:n_train], y[:n_train])
    accuracy = float(np.mean(model.predict(X[n_train:]) == y[n_train:]))
    # the posterior of one message by Bayes' rule written out: prior x product of
    # smoothed word probabilities, normalised over the two classes
    message = X[n_train]
    counts = np.array([X[:n_train][y[:n_train] == c].sum(axis=0) for c in (0, 1)])
    word_probs = (counts + 1.0) / (counts + 1.0).sum(axis=1, keepdims=True)
    priors = np.bincount(y[:n_train], minlength=2) / n_train
    log_joint = np.log(priors) + message @ np.log(word_probs).T
    by_hand = np.exp(log_joint - np.logaddexp.reduce(log_joint))
    return [
        Check(
            "MultinomialNB spam P(class | message) = Bayes' rule by hand",
            model.predict_proba(message[None, :])[0],
            by_hand,
            "Bayes' rule with Laplace-smoothed word probabilities",
            rtol=1e-12,
        ),
        Check(
            "MultinomialNB spam filter, held-out accuracy (100 e-mails) >= 0.95",
            min(accuracy, 0.95),
            0.95,
            "generated corpus; a perfect filter scores 1.0",
            rtol=0,
            atol=0,
        ),
    ]


def checks() -> list[Check]:
    out: list[Check] = []

    # the guide's distribution calls
    normal = Normal(mu=0.0, sigma=1.0)
    samples = normal.rvs(1000, rng=0)
    out.append(Check("Normal(0, 1).pdf(0) = 1/sqrt(2 pi)", normal.pdf(0.0), 1 / math.sqrt(2 * math.pi), CLOSED))
    out.append(Check("Normal(0, 1).cdf(0)", normal.cdf(0.0), 0.5, CLOSED))
    out.append(
        Check("mean of normal.rvs(1000) within 4 standard errors of 0", samples.mean(), 0.0,
              "sampling distribution of the mean", rtol=0, atol=4 / math.sqrt(1000))
    )
    out.append(Check("Bernoulli(p=0.7).pmf(1)", Bernoulli(p=0.7).pmf(1), 0.7, CLOSED))
    out.append(Check("Poisson(rate=5).pmf(3) = e^-5 5^3 / 3!", Poisson(rate=5.0).pmf(3),
                     math.exp(-5) * 125 / 6, CLOSED, rtol=1e-13))
    out.append(Check("Exponential(rate=1).cdf(1) = 1 - e^-1", Exponential(rate=1.0).cdf(1.0),
                     1 - math.exp(-1), CLOSED, rtol=1e-14))
    out.append(Check("LogNormal(mu=0, sigma=1).median() = e^0", LogNormal(0.0, 1.0).median(), 1.0, CLOSED))

    # tails the naive formulas lose
    out.append(Check("Normal().logcdf(-40) (Phi(-40) underflows)", normal.logcdf(-40.0),
                     -804.6084420137538, "asymptotic series of log Phi", rtol=1e-13))
    out.append(Check("Exponential(1).cdf(1e-18) (1 - exp(-x) rounds to 0)",
                     Exponential(rate=1.0).cdf(1e-18), 1e-18, "-expm1(-x)", rtol=1e-15))

    # the guide's spam example, two ways
    evidence = 0.9 * 0.3 + 0.1 * 0.7
    out.append(Check("spam: bayesian_update(0.3, 0.9, P(words)=0.34)", bayesian_update(0.3, 0.9, evidence),
                     0.794, GUIDE, rtol=0, atol=5e-4))
    out.append(Check("spam: bayes_rule over {spam, ham}", bayes_rule([0.3, 0.7], [0.9, 0.1]),
                     [0.27 / 0.34, 0.07 / 0.34], CLOSED, rtol=1e-14))

    # the guide's maximum-likelihood normal
    fitted = Normal.fit([2.1, 2.5, 1.8, 2.3, 2.0])
    out.append(Check("mle_normal([2.1, 2.5, 1.8, 2.3, 2.0]) -> mu, sigma", [fitted.mu, fitted.sigma],
                     [2.14, 0.24], GUIDE, rtol=0, atol=0.005))
    out.append(Check("standard error of mu_hat = sigma_hat / sqrt(n)", fitted.fit_result.stderr["mu"],
                     fitted.sigma / math.sqrt(5), "observed Fisher information", rtol=1e-12))

    # conjugate updating: posterior in closed form, sequential = batch
    coin = BetaBernoulli(a=1.0, b=1.0)
    flips = np.array([1, 1, 0, 1, 1, 0, 1])
    batch = coin.update(flips)
    sequential = coin.update(flips[:3]).update(flips[3:])
    out.append(Check("BetaBernoulli(1, 1) after 5 heads, 2 tails: posterior mean 6/9",
                     batch.posterior.mean(), 6 / 9, CLOSED, rtol=1e-14))
    out.append(Check("sequential updates = one batch update", sequential.posterior.mean(),
                     batch.posterior.mean(), "conjugacy", rtol=1e-14))
    counts = GammaPoisson(shape=2.0, rate=1.0).update([3, 5, 4])
    out.append(Check("GammaPoisson(2, 1) after counts 3, 5, 4: posterior mean (2+12)/(1+3)",
                     counts.posterior.mean(), 14 / 4, CLOSED, rtol=1e-14))
    known = NormalKnownVariance(mu0=0.0, tau0=1.0, sigma=2.0).update([1.0, 2.0, 3.0, 4.0])
    # precision 1/1 + 4/4 = 2; mean = (0/1 + 10/4) / 2 = 1.25
    out.append(Check("NormalKnownVariance posterior mean (precision-weighted)",
                     known.posterior.mean(), 1.25, CLOSED, rtol=1e-14))

    # choosing a family by AIC
    gamma_data = Gamma(shape=3.0, rate=2.0).rvs(2000, rng=1)
    best = fit_best(gamma_data, [Normal, Exponential, Gamma, LogNormal])[0]
    out.append(Check("fit_best on Gamma(3, 2) data picks Gamma", type(best).__name__, "Gamma",
                     "the generating family"))

    out.extend(_naive_bayes_checks())
    return out
