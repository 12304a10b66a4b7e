"""Naive Bayes classifiers: Gaussian, multinomial and Bernoulli class-conditional models.

Bayes' rule gives the posterior of class c for a sample x = (x_1, ..., x_p),

    P(c | x) = P(c) P(x | c) / sum_k P(k) P(x | k),

and the *naive* assumption, that the features are independent given the class, makes
the likelihood a product, P(x | c) = prod_j P(x_j | c). Everything is computed in log
space, log P(c, x) = log P(c) + sum_j log P(x_j | c), and normalised with a
log-sum-exp, so posteriors stay exact when every P(c, x) underflows. The three
classifiers differ only in P(x_j | c):

- ``GaussianNB``: x_j | c ~ N(theta_cj, sigma^2_cj), for real-valued features.
- ``MultinomialNB``: x | c ~ Multinomial(theta_c1, ..., theta_cp), for counts.
- ``BernoulliNB``: x_j | c ~ Bernoulli(p_cj), for binary (presence/absence) features.

Parameters, attributes and formulas are those of ``sklearn.naive_bayes``, so results
agree to rounding. The deliberate differences: GaussianNB's ``epsilon_`` under
``partial_fit`` (see its Notes); 0 log 0 = 0 where alpha = 0 leaves a zero
probability (scikit-learn gives NaN); and stricter checks (priors of the discrete
models must sum to 1, sample weights must be non-negative, BernoulliNB with
``binarize=None`` needs X in [0, 1], and a model whose likelihood is undefined
raises instead of predicting NaN). Input is dense; sparse matrices are refused.

References
----------
C. D. Manning, P. Raghavan and H. Schütze, *Introduction to Information Retrieval*,
Cambridge University Press (2008), ch. 13 "Text classification and Naive Bayes".
T. F. Chan, G. H. Golub and R. J. LeVeque, "Updating formulae and a pairwise
algorithm for computing sample variances", Stanford report STAN-CS-79-773 (1979).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_positive
from ._naive_bayes_base import (
    _BaseNB,
    _DiscreteNB,
    check_prior,
    class_subsets,
    merge_moments,
    moments,
    sum_x_log_p,
)

__all__ = ["GaussianNB", "MultinomialNB", "BernoulliNB"]


class GaussianNB(_BaseNB):
    """Gaussian naive Bayes: each feature is normal within each class.

    Parameters
    ----------
    priors : (n_classes,) array_like or None, default None
        Class priors P(c), used as given; None estimates them as the (weighted)
        class frequencies N_c / N.
    var_smoothing : float >= 0, default 1e-9
        epsilon = var_smoothing * max_j Var(x_j) (the largest variance of a feature
        over all the training data, classes pooled, samples unweighted) is added to
        every variance, so a feature that is constant within a class does not make
        the density singular.

    Attributes
    ----------
    classes_ : (n_classes,) ndarray
        Sorted class labels.
    class_count_ : (n_classes,) ndarray
        N_c, the (weighted) number of training samples of each class.
    class_prior_ : (n_classes,) ndarray
        P(c): ``priors`` or N_c / sum_k N_k.
    theta_ : (n_classes, n_features) ndarray
        theta_cj, the (weighted) mean of feature j over class c.
    var_ : (n_classes, n_features) ndarray
        sigma^2_cj + epsilon, the (weighted, maximum-likelihood: divided by N_c)
        variance of feature j over class c, plus the smoothing.
    epsilon_ : float
        The smoothing added to every variance.
    n_features_in_ : int
    feature_names_in_ : (n_features_in_,) ndarray of str
        Only when X was a DataFrame with string column names.

    Notes
    -----
    The class-conditional log-density of a sample is

        log P(x | c) = -1/2 sum_j [ log(2 pi sigma^2_cj) + (x_j - theta_cj)^2 / sigma^2_cj ].

    ``partial_fit`` merges the moments of each new batch B into those of the data A
    seen so far (Chan, Golub & LeVeque 1979):

        n = n_A + n_B,   delta = theta_B - theta_A,   theta = theta_A + delta n_B / n,
        n sigma^2 = n_A sigma^2_A + n_B sigma^2_B + delta^2 n_A n_B / n,

    which is exact, so fitting in chunks gives what one ``fit`` on all the data gives.
    This includes ``epsilon_``: it is computed from the pooled variance of every
    feature over all batches, merged the same way. scikit-learn instead recomputes it
    from the last batch alone (its issue #14054 discusses this), so after several
    ``partial_fit`` calls its ``var_`` differs from ours by O(var_smoothing); after
    ``fit`` or a single ``partial_fit`` they agree to rounding.

    A class of prior 0 gets a joint log-likelihood of -inf. A zero variance
    (var_smoothing=0, or features constant over all the data) leaves the density
    undefined and prediction raises ``ValueError`` rather than returning NaN.

    References
    ----------
    Manning, Raghavan & Schütze (2008), ch. 13; Chan, Golub & LeVeque (1979).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.models.naive_bayes import GaussianNB
    >>> X = np.array([[-1.0, -1.0], [-2.0, -1.0], [-3.0, -2.0], [1.0, 1.0], [2.0, 1.0], [3.0, 2.0]])
    >>> y = np.array([1, 1, 1, 2, 2, 2])
    >>> clf = GaussianNB().fit(X, y)
    >>> clf.predict([[-0.8, -1.0]])
    array([1])
    >>> bool(np.allclose(clf.predict_proba(X).sum(axis=1), 1.0))
    True
    """

    _undefined_hint = (
        "a variance in var_ is zero (features constant within a class and "
        "epsilon_ = 0); use var_smoothing > 0 with features that vary"
    )

    def __init__(self, *, priors=None, var_smoothing=1e-9):
        self.priors = priors
        self.var_smoothing = var_smoothing

    def fit(self, X, y, sample_weight=None):
        """Estimate the class priors, means and variances from (X, y). Returns self.

        Parameters
        ----------
        X : (n_samples, n_features) array_like
        y : (n_samples,) array_like
            Class labels (ints, bools or strings).
        sample_weight : (n_samples,) array_like or None
            Non-negative weights; sample i counts as w_i samples in N_c, the means and
            the variances.
        """
        return self._fit(X, y, None, sample_weight, partial=False)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Update the model with one more batch of samples. Returns self.

        Parameters
        ----------
        X, y, sample_weight
            As in :meth:`fit`.
        classes : (n_classes,) array_like or None
            Every class that will ever appear; required on the first call.
        """
        return self._fit(X, y, classes, sample_weight, partial=True)

    def _fit(self, X, y, classes, sample_weight, *, partial):
        var_smoothing = check_positive(self.var_smoothing, "var_smoothing", strict=False)
        first, classes, X, y, index, w = self._begin_fit(
            X, y, classes, sample_weight, partial=partial
        )
        self._check_total_weight(first, w)
        n_classes, n_features = len(classes), X.shape[1]
        priors = None if self.priors is None else check_prior(self.priors, n_classes, "priors")
        if first:
            self.classes_ = classes
            self.class_count_ = np.zeros(n_classes)
            self.theta_ = np.zeros((n_classes, n_features))
            self._sigma2 = np.zeros((n_classes, n_features))  # unsmoothed variances
            self._pooled = (0.0, np.zeros(n_features), np.zeros(n_features))

        for c, X_c, w_c in class_subsets(X, index, w):
            n_c, self.theta_[c], self._sigma2[c] = merge_moments(
                (self.class_count_[c], self.theta_[c], self._sigma2[c]), moments(X_c, w_c)
            )
            self.class_count_[c] = n_c
        # epsilon from the variance of all the data seen, unweighted (scikit-learn's choice)
        self._pooled = merge_moments(self._pooled, moments(X, None))
        self.epsilon_ = var_smoothing * float(np.max(self._pooled[2]))
        self.var_ = self._sigma2 + self.epsilon_
        # maximum likelihood prior N_c / N unless one is given
        if priors is None:
            priors = self.class_count_ / self.class_count_.sum()
        self.class_prior_ = priors
        return self

    def _check_X(self, X):
        return self._validate_data(X, reset=False)

    def _joint_log_likelihood(self, X):
        jll = np.full((X.shape[0], len(self.classes_)), -np.inf)
        with np.errstate(divide="ignore", invalid="ignore"):  # a zero variance shows as NaN
            for c in np.flatnonzero(self.class_prior_ > 0):
                sigma2 = self.var_[c]
                log_normaliser = -0.5 * np.sum(np.log(2.0 * np.pi * sigma2))
                squared_distance = np.sum((X - self.theta_[c]) ** 2 / sigma2, axis=1)
                jll[:, c] = np.log(self.class_prior_[c]) + log_normaliser - 0.5 * squared_distance
        return jll


class MultinomialNB(_DiscreteNB):
    """Multinomial naive Bayes for counts (e.g. word counts of documents).

    Parameters
    ----------
    alpha : float >= 0 or (n_features,) array_like, default 1.0
        Additive smoothing: Laplace for alpha = 1, Lidstone for 0 < alpha < 1.
    force_alpha : bool, default True
        If False, an alpha below 1e-10 is raised to 1e-10 with a warning.
    fit_prior : bool, default True
        Estimate P(c) as N_c / N; False uses the uniform prior 1 / n_classes.
    class_prior : (n_classes,) array_like or None, default None
        P(c) used as given (must sum to 1); overrides ``fit_prior``.

    Attributes
    ----------
    classes_ : (n_classes,) ndarray
    class_count_ : (n_classes,) ndarray
        N_c, the (weighted) number of samples of class c.
    feature_count_ : (n_classes, n_features) ndarray
        N_cj, the (weighted) total count of feature j in the samples of class c.
    feature_log_prob_ : (n_classes, n_features) ndarray
        log theta_cj (see Notes).
    class_log_prior_ : (n_classes,) ndarray
        log P(c).
    n_features_in_ : int
    feature_names_in_ : (n_features_in_,) ndarray of str

    Notes
    -----
    With smoothed counts, theta_cj = (N_cj + alpha_j) / sum_l (N_cl + alpha_l), and

        log P(x | c) = sum_j x_j log theta_cj + const(x),

    the multinomial coefficient const(x) being the same for every class, so it drops
    out of the posterior (and, as in scikit-learn, out of the joint log-probability).
    X must be non-negative. With alpha = 0 a feature never seen in class c gets
    theta_cj = 0: a sample with x_j > 0 then has probability 0 in c, one with
    x_j = 0 is unaffected (0 log 0 = 0).

    References
    ----------
    Manning, Raghavan & Schütze (2008), sec. 13.2, eq. 13.7 (Laplace smoothing).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.models.naive_bayes import MultinomialNB
    >>> X = np.array([[3, 0, 1], [2, 1, 0], [0, 2, 3], [1, 3, 4]])
    >>> clf = MultinomialNB().fit(X, ["spam", "spam", "ham", "ham"])
    >>> clf.predict([[4, 0, 0]])
    array(['spam'], dtype='<U4')
    >>> bool(np.allclose(np.exp(clf.feature_log_prob_).sum(axis=1), 1.0))
    True
    """

    def __init__(self, *, alpha=1.0, force_alpha=True, fit_prior=True, class_prior=None):
        self.alpha = alpha
        self.force_alpha = force_alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior

    def _prepare_X(self, X):
        if X.size and X.min() < 0:
            raise ValueError(
                "Negative values in data passed to MultinomialNB (input X): feature "
                f"counts must be >= 0, got a minimum of {float(X.min())!r}"
            )
        return X

    def _feature_log_prob(self, alpha):
        smoothed = self.feature_count_ + alpha
        return np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))

    def _joint_log_likelihood(self, X):
        jll = sum_x_log_p(X, self.feature_log_prob_) + self.class_log_prior_
        return self._impossible_classes_to_minus_inf(jll)

    def _update_tags(self, tags):
        tags.input_tags.positive_only = True


class BernoulliNB(_DiscreteNB):
    """Bernoulli naive Bayes for binary features (presence or absence).

    Parameters
    ----------
    alpha : float >= 0 or (n_features,) array_like, default 1.0
        Additive smoothing (see Notes).
    force_alpha : bool, default True
        If False, an alpha below 1e-10 is raised to 1e-10 with a warning.
    binarize : float >= 0 or None, default 0.0
        Threshold: x_j is read as [x_j > binarize]. None takes X as already binary;
        its values must then lie in [0, 1].
    fit_prior : bool, default True
        Estimate P(c) as N_c / N; False uses the uniform prior 1 / n_classes.
    class_prior : (n_classes,) array_like or None, default None
        P(c) used as given (must sum to 1); overrides ``fit_prior``.

    Attributes
    ----------
    classes_ : (n_classes,) ndarray
    class_count_ : (n_classes,) ndarray
        N_c, the (weighted) number of samples of class c.
    feature_count_ : (n_classes, n_features) ndarray
        N_cj, the (weighted) number of samples of class c in which feature j is present.
    feature_log_prob_ : (n_classes, n_features) ndarray
        log p_cj (see Notes).
    class_log_prior_ : (n_classes,) ndarray
        log P(c).
    n_features_in_ : int
    feature_names_in_ : (n_features_in_,) ndarray of str

    Notes
    -----
    p_cj = (N_cj + alpha) / (N_c + 2 alpha) is the smoothed frequency of feature j in
    class c, and

        log P(x | c) = sum_j [ x_j log p_cj + (1 - x_j) log(1 - p_cj) ]:

    unlike the multinomial model, an absent feature is evidence too. log(1 - p_cj) is
    taken from the counts, log(N_c - N_cj + alpha) - log(N_c + 2 alpha), rather than
    as log(1 - exp(log p_cj)), which would lose digits as p_cj nears 1.

    References
    ----------
    Manning, Raghavan & Schütze (2008), sec. 13.3, fig. 13.3.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.models.naive_bayes import BernoulliNB
    >>> X = np.array([[1, 0, 1], [1, 1, 0], [0, 1, 1], [0, 0, 1]])
    >>> clf = BernoulliNB().fit(X, [0, 0, 1, 1])
    >>> clf.predict([[1, 0, 0]])
    array([0])
    """

    def __init__(
        self, *, alpha=1.0, force_alpha=True, binarize=0.0, fit_prior=True, class_prior=None
    ):
        self.alpha = alpha
        self.force_alpha = force_alpha
        self.binarize = binarize
        self.fit_prior = fit_prior
        self.class_prior = class_prior

    def _prepare_X(self, X):
        if self.binarize is not None:
            threshold = check_positive(self.binarize, "binarize", strict=False)
            return (X > threshold).astype(np.float64)
        if X.size and (X.min() < 0 or X.max() > 1):
            raise ValueError(
                "BernoulliNB with binarize=None needs X with values in [0, 1] (presence "
                f"of each feature), got values in [{float(X.min())!r}, {float(X.max())!r}]"
            )
        return X

    def _feature_log_prob(self, alpha):
        N_c = self.class_count_[:, None]
        log_denominator = np.log(N_c + 2 * alpha)
        # N_c - N_cj >= 0 in exact arithmetic; clip the round-off of weighted sums
        absent = np.maximum(N_c - self.feature_count_, 0.0)
        self._log_1m_feature_prob = np.log(absent + alpha) - log_denominator
        return np.log(self.feature_count_ + alpha) - log_denominator

    def _joint_log_likelihood(self, X):
        jll = (
            sum_x_log_p(X, self.feature_log_prob_)
            + sum_x_log_p(1.0 - X, self._log_1m_feature_prob)
            + self.class_log_prior_
        )
        return self._impossible_classes_to_minus_inf(jll)
