"""Tour section: Information theory.

The guide's coin entropies in bits, the KL divergence and cross-entropy between its two
coins (which it defines but leaves with divisions by zero), then its four uses: the
classification loss, the KL term of a variational autoencoder, information gain
growing a decision tree on iris, and mutual information ranking the pixels of the
digits. Reference values were computed once with scipy.special / scipy.stats 1.17 and
scikit-learn 1.9, or are closed forms.
"""

from __future__ import annotations

import numpy as np

from ...datasets import load_digits, load_iris
from ...information import (
    cross_entropy,
    entropy,
    gaussian_kl,
    information_gain,
    kl_divergence,
    mutual_info_classif,
)
from ...models import DecisionTreeClassifier, MutualInfoSelector
from ...probability import MultivariateNormal
from . import Check

P_FAIR = [0.5, 0.5]
P_BIASED = [0.9, 0.1]
SCIPY = "scipy 1.17 (entropy, rel_entr)"
SKLEARN = "scikit-learn 1.9"
DIGITS_TOP5 = [21, 34, 33, 26, 42]
DIGITS_TOP5_MI = [0.4633502472745746, 0.46325494568039366, 0.45431966713413086,
                  0.45297243791758635, 0.4426149096200666]


def checks() -> list[Check]:
    out: list[Check] = []

    out.append(Check("the guide's fair coin: H = 1.000 bit", entropy(P_FAIR), 1.0,
                     "the guide (1.000 bits)", rtol=1e-15))
    out.append(Check("the guide's biased coin [0.9, 0.1]: H (0.469 bits)", entropy(P_BIASED),
                     0.46899559358928117, SCIPY, rtol=1e-14))
    out.append(Check("KL(fair || biased) in bits", kl_divergence(P_FAIR, P_BIASED),
                     0.7369655941662061, SCIPY, rtol=1e-14))
    out.append(Check("cross-entropy H(fair, biased) = H(fair) + KL", cross_entropy(P_FAIR, P_BIASED),
                     1.736965594166206, SCIPY, rtol=1e-14))
    out.append(Check("KL(fair || [1, 0]) = inf, not a division by zero",
                     kl_divergence(P_FAIR, [1.0, 0.0]), np.inf, "the definition (q = 0 where p > 0)"))
    out.append(Check("scipy's entropy([0, 1, 2]) in nats (normalised)",
                     entropy([0, 1, 2], base=np.e, normalize=True), 0.63651416829481278,
                     "scipy.stats.entropy docs", rtol=1e-15))

    # the classification loss: cross-entropy of one-hot labels and predicted probabilities
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]])
    onehot = np.eye(3)[[0, 1]]
    out.append(Check("cross-entropy loss of 2 predictions (nats, mean)",
                     cross_entropy(onehot, probs, base=np.e).mean(),
                     -(np.log(0.7) + np.log(0.8)) / 2, "-mean log p(true class)", rtol=1e-14))

    # the VAE term: KL(N(mu, diag(exp(logvar))) || N(0, I)) in closed form
    mu, logvar = np.array([0.5, -1.0, 2.0]), np.array([0.1, -0.7, 0.3])
    reference = MultivariateNormal(mu, np.diag(np.exp(logvar))).kl_divergence(
        MultivariateNormal(np.zeros(3), np.eye(3)))
    out.append(Check("VAE KL term gaussian_kl(mu, logvar)", gaussian_kl(mu, logvar), reference,
                     "MultivariateNormal KL (Cholesky)", rtol=1e-12))

    # information gain grows the tree: the first split isolates setosa
    X, y = load_iris()
    out.append(Check("iris: H(species) = log2 3 bits", entropy(np.bincount(y) / y.size),
                     np.log2(3.0), "closed form", rtol=1e-15))
    out.append(Check("information gain of 'petal length <= 2.45'",
                     information_gain(y, X[:, 2] <= 2.45), np.log2(3.0) - 2.0 / 3.0,
                     "closed form: log2 3 - (2/3) * 1 bit", rtol=1e-14))
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=3).fit(X, y)
    out.append(Check("entropy tree, depth 3, on iris: training accuracy, leaves",
                     [tree.score(X, y), tree.get_n_leaves()], [0.9733333333333334, 5], SKLEARN,
                     rtol=1e-12))
    out.append(Check("root node impurity (bits)", tree.tree_.impurity[0], np.log2(3.0),
                     "closed form", rtol=1e-14))

    # mutual information ranks the 64 pixels of the digits by what they say about the digit
    X, y = load_digits()
    scores = mutual_info_classif(X, y, discrete_features=True)
    top = np.argsort(scores, kind="mergesort")[::-1][:5]
    out.append(Check("digits: the 5 most informative pixels", top, DIGITS_TOP5, SKLEARN, rtol=0.0))
    out.append(Check("their mutual information with the digit (nats)", scores[top],
                     DIGITS_TOP5_MI, SKLEARN, rtol=1e-12))
    kept = MutualInfoSelector(k=5, discrete_features=True).fit(X, y).get_support(indices=True)
    out.append(Check("MutualInfoSelector(k=5) keeps those pixels", kept, sorted(DIGITS_TOP5),
                     "the ranking above", rtol=0.0))
    return out
