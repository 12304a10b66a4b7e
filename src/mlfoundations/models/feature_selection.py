"""Feature selection by mutual information: keep the k features that tell most about y.

The mutual information between a feature X_j and the class Y,

    I(X_j; Y) = H(Y) - H(Y | X_j) = sum_{x, y} p(x, y) log( p(x, y) / (p(x) p(y)) ),

is the reduction in uncertainty about the class once the feature is known; unlike a
correlation it sees any dependence, not only a linear one, and it is zero exactly when
X_j and Y are independent (Cover & Thomas 2006, §2.4). Ranking features by it and
keeping the top k is the filter method of Battiti (1994).
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .._validation import check_int, check_random_state
from ..base import BaseEstimator, TransformerMixin, check_is_fitted
from ._targets import check_labels

__all__ = ["MutualInfoSelector"]


class MutualInfoSelector(TransformerMixin, BaseEstimator):
    """Keep the k features with the highest mutual information with a class label.

    Parameters
    ----------
    k : int or "all", default 10
        Number of features to keep (0 keeps none; more than n_features keeps all, with
        a warning, as scikit-learn's ``SelectKBest`` does).
    discrete_features : "auto", bool or array_like, default "auto"
        Which features are discrete, passed on to
        :func:`mlfoundations.information.mutual_info_classif` ("auto": integer or
        boolean X is discrete, float X continuous): discrete features are scored
        exactly from their contingency table with y, continuous ones by Ross's (2014)
        nearest-neighbour estimator for a continuous variable and a discrete one.
    n_neighbors : int, default 3
        k of the nearest-neighbour estimator (continuous features only).
    random_state : None, int or numpy.random.Generator
        Seed of the tiny noise that the nearest-neighbour estimator adds to break ties.

    Attributes
    ----------
    scores_ : (n_features,) ndarray
        I(X_j; Y) of each feature, in nats.
    n_features_in_ : int

    Notes
    -----
    Ties in the scores are broken towards the later feature, by a stable sort, as
    ``SelectKBest(mutual_info_classif, k=k)`` does, so the two keep the same columns
    given the same scores.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.models import MutualInfoSelector
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 200)
    >>> X = np.column_stack([rng.integers(0, 3, 200), y, (y + rng.integers(0, 2, 200)) % 2])
    >>> MutualInfoSelector(k=1, discrete_features=True).fit(X, y).get_support(indices=True)
    array([1])
    """

    def __init__(self, k=10, *, discrete_features="auto", n_neighbors=3, random_state=None):
        self.k = k
        self.discrete_features = discrete_features
        self.n_neighbors = n_neighbors
        self.random_state = random_state

    def fit(self, X, y):
        """Score every feature by I(X_j; y).

        Parameters
        ----------
        X : (n_samples, n_features) array_like
        y : (n_samples,) array_like
            Class labels.

        Returns
        -------
        self
        """
        from ..information import mutual_info_classif

        if not (isinstance(self.k, str) and self.k == "all"):
            if not isinstance(self.k, numbers.Integral) or isinstance(self.k, bool) or self.k < 0:
                raise ValueError(f'k must be a non-negative integer or "all", got k={self.k!r}')
        check_int(self.n_neighbors, "n_neighbors", minimum=1)
        X = self._validate_data(X, reset=True, min_samples=2)
        y = check_labels(y, estimator=type(self).__name__, stacklevel=3)
        if y.shape[0] != X.shape[0]:
            raise ValueError(
                f"y has {y.shape[0]} entries but X has {X.shape[0]} samples; they must match"
            )
        self.scores_ = np.asarray(
            mutual_info_classif(
                X, y, discrete_features=self.discrete_features, n_neighbors=self.n_neighbors,
                rng=check_random_state(self.random_state),
            ),
            dtype=np.float64,
        )
        if not isinstance(self.k, str) and self.k > X.shape[1]:
            warnings.warn(
                f"k={self.k} is greater than n_features={X.shape[1]}; all the features are kept",
                UserWarning,
                stacklevel=2,
            )
        return self

    def get_support(self, indices: bool = False):
        """Mask (or, with ``indices=True``, the sorted indices) of the kept features."""
        check_is_fitted(self)
        n_features = self.scores_.shape[0]
        mask = np.zeros(n_features, dtype=bool)
        if isinstance(self.k, str) or self.k >= n_features:
            mask[:] = True
        elif self.k > 0:
            # the k largest scores; a stable sort hands ties to the later feature
            mask[np.argsort(self.scores_, kind="mergesort")[-self.k:]] = True
        return np.flatnonzero(mask) if indices else mask

    def transform(self, X):
        """The kept columns of X, in their original order.

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        (n_samples, n_kept) ndarray
        """
        X = self._validate_data(X, reset=False)
        mask = self.get_support()
        if not mask.any():
            warnings.warn(
                "No features were selected: k=0 keeps none; the result has no columns",
                UserWarning,
                stacklevel=2,
            )
        return X[:, mask]

    def get_feature_names_out(self, input_features=None):
        """Names of the kept features (``x0``, ``x1``... when X had no column names)."""
        check_is_fitted(self)
        names = getattr(self, "feature_names_in_", None)
        if input_features is not None:
            names = np.asarray(input_features, dtype=object)
            if names.shape != (self.n_features_in_,):
                raise ValueError(
                    f"input_features should have length n_features_in_={self.n_features_in_}, "
                    f"got {names.shape[0] if names.ndim == 1 else names.shape}"
                )
        if names is None:
            names = np.array([f"x{j}" for j in range(self.n_features_in_)], dtype=object)
        return np.asarray(names, dtype=object)[self.get_support()]

    def _update_tags(self, tags):
        tags.target_tags.required = True
