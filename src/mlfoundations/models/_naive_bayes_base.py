"""What the naive Bayes classifiers share: Bayes' rule in log space, inputs, statistics.

A naive Bayes classifier scores each class c by the joint log-probability

    log P(c, x) = log P(c) + sum_j log P(x_j | c),

the features being taken as independent given the class, and turns the scores into
posteriors with Bayes' rule, P(c | x) = P(c, x) / sum_k P(k, x). Subclasses supply
the class-conditional model P(x_j | c); this module supplies the rule, the checks
of labels, weights and priors, the moment updates of the Gaussian model and the
counting of the discrete ones (Manning, Raghavan & Schütze 2008, ch. 13). The
public classes live in :mod:`mlfoundations.models.naive_bayes`.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .._validation import as_vector, check_bool, check_finite, check_sample_weight
from ..base import BaseEstimator, ClassifierMixin
from ._targets import check_labels

# smallest additive smoothing kept when force_alpha=False (scikit-learn's bound)
_ALPHA_FLOOR = 1e-10


class _BaseNB(ClassifierMixin, BaseEstimator):
    """Bayes' rule on top of a subclass's ``_joint_log_likelihood``.

    Subclasses implement ``_joint_log_likelihood(X) -> (n_samples, n_classes)`` on an
    already validated X, and ``_check_X(X)`` that validates it, and set
    ``_undefined_hint``, the likely cause when a joint log-likelihood comes out NaN.
    """

    _undefined_hint = ""

    def predict_joint_log_proba(self, X):
        """Joint log-probability of each sample and class, log P(c) + log P(x | c).

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        (n_samples, n_classes) ndarray
            Columns in the order of ``classes_``. ``-inf`` for a class of prior zero.

        Raises
        ------
        ValueError
            If X is not a finite 2-D array with ``n_features_in_`` columns, or if the
            fitted model leaves a log-likelihood undefined (NaN).
        """
        return self._checked_jll(self._check_X(X))

    def predict_log_proba(self, X):
        """Log-posterior of each class, log P(c | x) = log P(c, x) - log sum_k P(k, x).

        The normaliser is a log-sum-exp, log sum_k exp(a_k) = m + log sum_k exp(a_k - m)
        with m = max_k a_k, so no joint probability is ever exponentiated on its own:
        it works when every P(k, x) underflows (log-likelihoods of -1e5 are common).

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        (n_samples, n_classes) ndarray
        """
        return _log_posterior(self._checked_jll(self._check_X(X)))

    def predict_proba(self, X):
        """Posterior probability of each class, P(c | x) = exp(log P(c | x)).

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        (n_samples, n_classes) ndarray
            Rows sum to 1; columns in the order of ``classes_``.
        """
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """The maximum a posteriori class, argmax_c log P(c, x) (first on ties).

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        (n_samples,) ndarray
            Labels from ``classes_``.
        """
        jll = self._checked_jll(self._check_X(X))
        # P(x) is the same for every class, so the joint already ranks the posteriors
        return self.classes_[np.argmax(jll, axis=1)]

    def _checked_jll(self, X):
        jll = self._joint_log_likelihood(X)
        undefined = np.isnan(jll).any(axis=0)
        if undefined.any():
            raise ValueError(
                f"the joint log-likelihood of classes {self.classes_[undefined].tolist()} "
                f"is undefined (NaN) under the fitted model: {self._undefined_hint}"
            )
        return jll

    # --- fitting helpers shared by the subclasses -------------------------------------
    def _begin_fit(self, X, y, classes, sample_weight, *, partial: bool):
        """Validate one batch; return (first, classes, X, y, class index, weights).

        ``fit`` always starts afresh, with the classes found in y. ``partial_fit``
        starts when the estimator has no ``classes_`` yet (``classes`` is then
        required) and otherwise continues, checking that ``classes``, if given
        again, has not changed. Nothing is stored here except what
        ``_validate_data`` records on a first call (``n_features_in_``).
        """
        first = not partial or not hasattr(self, "classes_")
        if partial:
            if classes is None and first:
                raise ValueError("classes must be passed on the first call to partial_fit")
            if classes is not None:
                classes = np.unique(check_labels(classes, name="classes"))
                if not first and not np.array_equal(classes, self.classes_):
                    raise ValueError(
                        f"classes={classes.tolist()} is not the same as on the last call "
                        f"to partial_fit, was {self.classes_.tolist()}"
                    )
        # check_labels < _begin_fit < _fit < fit < the caller
        y = check_labels(y, estimator=type(self).__name__, stacklevel=5)
        X = self._validate_data(X, reset=first)
        if y.shape[0] != X.shape[0]:
            raise ValueError(
                f"X has {X.shape[0]} samples but y has {y.shape[0]}; they must match"
            )
        w = check_sample_weight(sample_weight, X.shape[0])
        if not first:
            classes = self.classes_
        elif not partial:
            classes = np.unique(y)
        return first, classes, X, y, class_index(y, classes), w

    def _check_total_weight(self, first, w):
        """Refuse a fit in which no sample carries weight (every prior would be 0/0)."""
        seen = 0.0 if first else float(np.sum(self.class_count_))
        if w is not None and seen + w.sum() == 0.0:
            raise ValueError(
                "sample_weight is zero for every sample, so the class frequencies are "
                "undefined; give at least one sample a positive weight"
            )


def class_index(y, classes):
    """Position of each label of y in the sorted ``classes``; unknown labels raise."""
    known = np.isin(y, classes)
    if not known.all():
        raise ValueError(
            f"The target label(s) {np.unique(y[~known]).tolist()} in y do not exist in "
            f"the initial classes {classes.tolist()}"
        )
    return np.searchsorted(classes, y)


def _log_posterior(jll):
    """log P(c | x) = a_c - log sum_k exp(a_k) for the joint log-probabilities a = jll.

    Shifting by m = max_k a_k first, log P(c | x) = (a_c - m) - log sum_k exp(a_k - m):
    the largest term is exp(0) = 1, so the sum neither underflows nor overflows, and
    a_c - m is exact for comparable scores, so the posteriors sum to 1 to rounding
    however large |a| is.
    """
    m = np.max(jll, axis=1, keepdims=True)
    impossible = np.isneginf(m[:, 0])
    if impossible.any():
        raise ValueError(
            f"sample(s) {np.flatnonzero(impossible)[:10].tolist()} have probability zero "
            "under every class (all joint log-likelihoods are -inf), so their posterior "
            "is undefined; smooth the model (alpha > 0, var_smoothing > 0)"
        )
    shifted = jll - m
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def check_prior(prior, n_classes: int, name: str) -> np.ndarray:
    """A probability vector over the classes: finite, >= 0, one entry each, summing to 1.

    The sum is checked to the tolerance of ``numpy.isclose`` (as scikit-learn does),
    so a prior typed to a few decimals (``[0.33, 0.33, 0.34]``) is accepted as given.
    """
    p = check_finite(as_vector(prior, name, finite=False), name)
    if p.shape[0] != n_classes:
        raise ValueError(
            f"Number of priors must match number of classes: {name} has {p.shape[0]} "
            f"entries for {n_classes} classes"
        )
    if (p < 0).any():
        raise ValueError(f"Priors must be non-negative: {name}={p.tolist()}")
    if not np.isclose(p.sum(), 1.0):
        raise ValueError(f"The sum of the priors should be 1: {name} sums to {float(p.sum())!r}")
    return p


def class_subsets(X, index, sample_weight):
    """Yield (c, X_c, w_c) for each class c present in the batch (w_c None if unweighted).

    ``index`` holds the position of each sample's class in ``classes_``.
    """
    for c in np.unique(index):
        rows = index == c
        yield c, X[rows], None if sample_weight is None else sample_weight[rows]


def moments(X, w):
    """(n, mean, variance) of the columns of X, weighted by w (None: all ones).

    Two passes, the mean and then the mean squared deviation from it, so no digits are
    lost to the cancellation of sum(x^2) - n mean^2.
    """
    if w is None:
        return float(X.shape[0]), X.mean(axis=0), X.var(axis=0)
    n = float(w.sum())
    if n == 0.0:
        return 0.0, np.zeros(X.shape[1]), np.zeros(X.shape[1])
    mean = w @ X / n
    return n, mean, w @ (X - mean) ** 2 / n


def merge_moments(a, b):
    """Moments of the union of two samples from theirs (Chan, Golub & LeVeque 1979).

    n = n_a + n_b, delta = mean_b - mean_a, mean = mean_a + delta n_b / n and
    n var = n_a var_a + n_b var_b + delta^2 n_a n_b / n; variances divide by n.
    """
    n_a, mean_a, var_a = a
    n_b, mean_b, var_b = b
    if n_b == 0.0:
        return a
    if n_a == 0.0:
        return b
    n = n_a + n_b
    delta = mean_b - mean_a
    mean = mean_a + delta * (n_b / n)
    var = (n_a * var_a + n_b * var_b + delta**2 * (n_a * n_b / n)) / n
    return n, mean, var


class _DiscreteNB(_BaseNB):
    """Shared fitting of the count models: sufficient statistics N_c and N_cj.

    Subclasses implement ``_prepare_X(X)`` (binarise or check X) and
    ``_feature_log_prob(alpha)`` from ``feature_count_`` and ``class_count_``.
    """

    _undefined_hint = (
        "a class has no feature counts and alpha = 0 makes its probabilities 0/0; "
        "use alpha > 0"
    )

    def fit(self, X, y, sample_weight=None):
        """Count the features of each class in (X, y) and smooth them. Returns self.

        Parameters
        ----------
        X : (n_samples, n_features) array_like
        y : (n_samples,) array_like
            Class labels (ints, bools or strings).
        sample_weight : (n_samples,) array_like or None
            Non-negative weights; sample i adds w_i to N_c and w_i x_ij to N_cj.
        """
        return self._fit(X, y, None, sample_weight, partial=False)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Add the counts of one more batch and re-smooth. Returns self.

        Parameters
        ----------
        X, y, sample_weight
            As in :meth:`fit`.
        classes : (n_classes,) array_like or None
            Every class that will ever appear; required on the first call.
        """
        return self._fit(X, y, classes, sample_weight, partial=True)

    def _fit(self, X, y, classes, sample_weight, *, partial):
        fit_prior = check_bool(self.fit_prior, "fit_prior")
        first, classes, X, y, index, w = self._begin_fit(
            X, y, classes, sample_weight, partial=partial
        )
        X = self._prepare_X(X)
        alpha = self._check_alpha(X.shape[1])
        self._check_total_weight(first, w)
        n_classes = len(classes)
        prior = self.class_prior
        if prior is not None:
            prior = check_prior(prior, n_classes, "class_prior")
        if first:
            self.classes_ = classes
            self.class_count_ = np.zeros(n_classes)
            self.feature_count_ = np.zeros((n_classes, X.shape[1]))

        for c, X_c, w_c in class_subsets(X, index, w):
            # N_c = sum_{i in c} w_i and N_cj = sum_{i in c} w_i x_ij
            self.class_count_[c] += X_c.shape[0] if w_c is None else w_c.sum()
            self.feature_count_[c] += X_c.sum(axis=0) if w_c is None else w_c @ X_c
        with np.errstate(divide="ignore", invalid="ignore"):  # log 0 = -inf is meant
            self.feature_log_prob_ = self._feature_log_prob(alpha)
            if prior is not None:
                self.class_log_prior_ = np.log(prior)
            elif fit_prior:
                self.class_log_prior_ = np.log(self.class_count_) - np.log(self.class_count_.sum())
            else:
                self.class_log_prior_ = np.full(n_classes, -np.log(n_classes))
        return self

    def _check_alpha(self, n_features):
        force_alpha = check_bool(self.force_alpha, "force_alpha")
        if isinstance(self.alpha, numbers.Real) and not isinstance(self.alpha, (bool, np.bool_)):
            alpha = float(self.alpha)
            if not (np.isfinite(alpha) and alpha >= 0):
                raise ValueError(f"alpha must be finite and >= 0, got {self.alpha!r}")
        else:
            alpha = as_vector(self.alpha, "alpha")
            if alpha.shape[0] != n_features:
                raise ValueError(
                    f"alpha has {alpha.shape[0]} entries but X has {n_features} features; "
                    "an array alpha needs one entry per feature"
                )
            if (alpha < 0).any():
                raise ValueError(
                    f"All values in alpha must be >= 0, got min {float(alpha.min())!r}"
                )
        if not force_alpha and np.min(alpha) < _ALPHA_FLOOR:
            warnings.warn(
                f"alpha below {_ALPHA_FLOOR:.0e} makes log-probabilities overflow; it is "
                f"raised to {_ALPHA_FLOOR:.0e}. Use force_alpha=True to keep alpha unchanged.",
                UserWarning,
                stacklevel=4,
            )
            alpha = np.maximum(alpha, _ALPHA_FLOOR)
        return alpha

    def _check_X(self, X):
        return self._prepare_X(self._validate_data(X, reset=False))

    def _impossible_classes_to_minus_inf(self, jll):
        # a class of prior 0 is impossible even where its likelihood is undefined
        jll[:, np.isneginf(self.class_log_prior_)] = -np.inf
        return jll

    def _update_tags(self, tags):
        # a generative model of counts scores modestly on scikit-learn's Gaussian blobs
        tags.classifier_tags.poor_score = True


def sum_x_log_p(X, log_p):
    """S_ic = sum_j x_ij log p_cj, with 0 log 0 = 0 (the term of a zero count is 1).

    A plain matrix product X log_p^T unless some p_cj = 0 (alpha = 0): then IEEE
    0 * -inf = NaN would spoil every sample, so the -inf entries are replaced by 0
    and S_ic set to -inf exactly where x_ij > 0 meets p_cj = 0.
    """
    zero_p = np.isneginf(log_p)
    if not zero_p.any():
        return X @ log_p.T
    S = X @ np.where(zero_p, 0.0, log_p).T
    S[(X > 0) @ zero_p.T] = -np.inf
    return S
