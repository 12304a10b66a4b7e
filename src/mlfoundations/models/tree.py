"""Decision trees (CART): exact best splits on numeric features, grown depth-first.

A tree asks one question per node, "x_j <= theta?", and sends each sample left or
right until it reaches a leaf, which predicts the (weighted) class frequencies or
the mean target of the training samples that reached it. A node t is split at the
(j, theta) with the largest weighted impurity decrease

    Delta(t) = N_t / N * [ i(t) - N_L / N_t i(L) - N_R / N_t i(R) ],

where N is the total training weight, N_t, N_L, N_R the weights at the node and
its two children and i the node impurity: Gini 1 - sum_k p_k^2 or the entropy
-sum_k p_k log2 p_k for classification (Delta is then the information gain of the
split, scaled by N_t / N), the variance of y for regression. The candidate
thresholds of a feature are the midpoints between consecutive distinct sorted
values. The formulas and the split search live in
:mod:`mlfoundations.models._tree_kernels`.

Hyperparameters and fitted attributes follow ``sklearn.tree``, and on data where no
two splits of a node tie, the trees are the same as scikit-learn's (see the Notes
of :class:`DecisionTreeClassifier`).

References
----------
L. Breiman, J. Friedman, R. Olshen and C. Stone, *Classification and Regression
Trees*, Wadsworth (1984).
J. R. Quinlan, "Induction of decision trees", Machine Learning 1 (1986), 81-106.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .._validation import check_positive, check_random_state, check_sample_weight
from ..base import BaseEstimator, ClassifierMixin, RegressorMixin, check_is_fitted
from . import _tree_kernels as kernels
from ._targets import check_labels, check_regression_target
from ._tree_structure import Tree, export_text

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor", "Tree", "export_text"]

_CLASSIFICATION_CRITERIA = {"gini": kernels.GINI, "entropy": kernels.ENTROPY, "log_loss": kernels.ENTROPY}
_REGRESSION_CRITERIA = {"squared_error": kernels.SQUARED_ERROR}


class _BaseDecisionTree(BaseEstimator):
    """What both trees share: hyperparameter checks, growth, traversal."""

    _criteria: dict = {}

    def __sklearn_is_fitted__(self) -> bool:
        # a fit that failed half-way may have recorded n_features_in_, never tree_
        return "tree_" in vars(self)

    def _resolved_params(self, n_samples, n_features):
        """Check the hyperparameters; return them as the kernel takes them."""
        if not isinstance(self.criterion, str) or self.criterion not in self._criteria:
            raise ValueError(
                f"criterion must be one of {sorted(self._criteria)}, got {self.criterion!r}"
            )
        if self.max_depth is None:
            max_depth = np.iinfo(np.int32).max
        else:
            max_depth = _check_int_param(self.max_depth, "max_depth", 1)
        min_samples_leaf = _count_or_fraction(
            self.min_samples_leaf, "min_samples_leaf", 1, n_samples, closed=False
        )
        min_samples_split = max(
            2, _count_or_fraction(self.min_samples_split, "min_samples_split", 2, n_samples, closed=True)
        )
        # a node smaller than two leaves cannot be split
        min_samples_split = max(min_samples_split, 2 * min_samples_leaf)
        min_impurity_decrease = check_positive(
            self.min_impurity_decrease, "min_impurity_decrease", strict=False
        )
        self.max_features_ = _resolve_max_features(self.max_features, n_features)
        return max_depth, min_samples_split, min_samples_leaf, min_impurity_decrease

    def _grow(self, X, targets, sample_weight, n_classes):
        """Fit ``tree_`` to X and targets (class codes as floats, or y)."""
        n_samples, n_features = X.shape
        max_depth, min_split, min_leaf, min_decrease = self._resolved_params(n_samples, n_features)
        criterion = self._criteria[self.criterion]
        rng = check_random_state(self.random_state)
        weighted = sample_weight is not None
        if weighted:
            # samples of weight zero are left out, as if they had not been given
            active = sample_weight > 0.0
            if not active.any():
                raise ValueError(
                    "sample_weight is zero for every sample; give at least one sample a "
                    "positive weight"
                )
            if not active.all():
                X, targets, sample_weight = X[active], targets[active], sample_weight[active]
        # every feature sorted once; the kernel keeps the sorted segments by partitioning
        XT = np.ascontiguousarray(X.T)
        order = np.argsort(XT, axis=1)
        xs = np.take_along_axis(XT, order, axis=1)
        ys = targets[order]
        ws = sample_weight[order] if weighted else np.ones((1, 1))
        n_total = float(sample_weight.sum()) if weighted else float(X.shape[0])
        index_type = np.int32 if X.shape[0] < np.iinfo(np.int32).max else np.int64
        seed = np.uint64(rng.integers(0, 2**63))
        nodes, stats = kernels.grow_tree(
            order.astype(index_type), xs, ys, ws, weighted, n_classes, criterion, max_depth,
            min_split, min_leaf, min_decrease, self.max_features_, seed, n_total,
        )
        self.tree_ = Tree(nodes, stats, n_features=n_features, n_classes=n_classes)
        return self

    def _leaf_values(self, X):
        X = self._validate_data(X, reset=False)
        return self.tree_.value[self.tree_.apply(X), 0, :]

    def apply(self, X):
        """Id of the leaf (an index into the ``tree_`` arrays) that each sample reaches.

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        (n_samples,) ndarray of int
        """
        return self.tree_.apply(self._validate_data(X, reset=False))

    def get_depth(self) -> int:
        """Depth of the tree: the largest number of questions from the root to a leaf."""
        check_is_fitted(self)
        return self.tree_.max_depth

    def get_n_leaves(self) -> int:
        """Number of leaves of the tree."""
        check_is_fitted(self)
        return self.tree_.n_leaves

    @property
    def feature_importances_(self):
        """(n_features,) ndarray: each feature's share of the total impurity decrease.

        The sum over the nodes t split on feature j of N_t i(t) - N_L i(L) - N_R i(R),
        normalised to sum to 1 (all zeros when the tree is a single leaf).
        """
        check_is_fitted(self)
        return self.tree_.compute_feature_importances()

    def export_text(self, feature_names=None, *, class_names=None, max_depth=10, spacing=3,
                    decimals=2, show_weights=False) -> str:
        """The rules of the tree as indented text; see :func:`export_text`."""
        return export_text(
            self, feature_names=feature_names, class_names=class_names, max_depth=max_depth,
            spacing=spacing, decimals=decimals, show_weights=show_weights,
        )


_TREE_DOC_PARAMS = """max_depth : int >= 1 or None, default None
        Largest depth of a leaf (the root has depth 0); None grows until the leaves are
        pure or cannot be split.
    min_samples_split : int >= 2 or float in (0, 1], default 2
        A node of fewer samples is a leaf. A float is the fraction
        ceil(min_samples_split * n_samples).
    min_samples_leaf : int >= 1 or float in (0, 1), default 1
        A split must leave at least this many samples on each side. A float is the
        fraction ceil(min_samples_leaf * n_samples).
    min_impurity_decrease : float >= 0, default 0.0
        A node is split only if the best split's Delta(t) >= min_impurity_decrease,
        with Delta weighted by N_t / N as in the module docstring.
    max_features : int, float, "sqrt", "log2" or None, default None
        Number of features examined per node: an int, a fraction
        max(1, int(max_features * n_features)), floor(sqrt(n_features)),
        floor(log2(n_features)), or all of them (None). Below n_features the features
        are drawn at random, without replacement; if none of the drawn ones gives a
        valid split, drawing goes on until one does (or all have been examined).
    random_state : None, int or numpy.random.Generator, default None
        Seeds the draws of features when max_features < n_features (unused
        otherwise: all features are then examined in index order). A legacy
        RandomState only seeds a fresh Generator."""


class DecisionTreeClassifier(ClassifierMixin, _BaseDecisionTree):
    __doc__ = f"""A classification tree grown by Gini impurity or information gain.

    Parameters
    ----------
    criterion : {{"gini", "entropy", "log_loss"}}, default "gini"
        Node impurity: Gini 1 - sum_k p_k^2 or the entropy -sum_k p_k log2 p_k
        ("log_loss" is the same as "entropy": the mean log-loss of predicting the
        node frequencies is the entropy, in nats).
    {_TREE_DOC_PARAMS}

    Attributes
    ----------
    classes_ : (n_classes,) ndarray
        Sorted class labels (ints, bools or strings).
    n_classes_ : int
    tree_ : Tree
        The node arrays (children_left, children_right, feature, threshold, value,
        impurity, n_node_samples, weighted_n_node_samples).
    feature_importances_ : (n_features,) ndarray
    max_features_ : int
    n_features_in_ : int
    feature_names_in_ : (n_features_in_,) ndarray of str
        Only when X was a DataFrame with string column names.

    Notes
    -----
    The search is exact: every feature is sorted once at the root, and the sorted
    lists are partitioned stably down the tree, so that each node scans its samples
    in order of each feature and scores every threshold between consecutive
    distinct values (values closer than 1e-7 count as equal, as in scikit-learn).
    Growth is depth-first; a node becomes a leaf when it is pure, at ``max_depth``,
    below ``min_samples_split``, when no split leaves ``min_samples_leaf`` samples on
    both sides, or when the best decrease is below ``min_impurity_decrease``.

    *Ties.* When several splits of a node have the same decrease, the first one in
    the order (feature index, threshold) wins; scikit-learn examines the features in
    a random order, so its choice depends on its ``random_state``. On data where no
    two splits of a node tie, the two libraries grow the same tree: same structure,
    predictions and importances, and thresholds equal up to scikit-learn's rounding
    of X to float32 (equal outright when X holds float32 values). Splits that put
    the same samples on each side always tie, so with ``max_depth=None`` small
    nodes often tie between features: predictions on the training data still agree,
    the threshold and feature of such splits may not.

    Two smaller differences. scikit-learn computes a child's impurity at its parent
    from differences of sums; with weights whose sums round (e.g. uniform random
    weights) this can leave a pure node an impurity just above machine epsilon, and
    it then splits that node (for a zero decrease). Here a node's impurity comes from its own counts, so a pure node
    is always a leaf: same predictions, possibly fewer leaves. And with
    max_features < n_features, scikit-learn's code goes on drawing features past
    max_features only while the drawn ones are constant on the node, while its
    documentation promises to go on until a valid split is found; this
    implementation does what the documentation says.

    Features are float64 throughout (scikit-learn rounds them to float32). NaN in X
    is refused (scikit-learn 1.9 learns where to send missing values).

    References
    ----------
    Breiman, Friedman, Olshen & Stone (1984), ch. 2-4; Quinlan (1986).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.models import DecisionTreeClassifier
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> y = np.array([0, 1, 1, 0])  # XOR: no single question separates the classes
    >>> clf = DecisionTreeClassifier(criterion="entropy").fit(X, y)
    >>> clf.predict(X)
    array([0, 1, 1, 0])
    >>> clf.get_depth(), clf.get_n_leaves()
    (2, 4)
    >>> print(clf.export_text(feature_names=["a", "b"]))
    |--- a <= 0.50
    |   |--- b <= 0.50
    |   |   |--- class: 0
    |   |--- b >  0.50
    |   |   |--- class: 1
    |--- a >  0.50
    |   |--- b <= 0.50
    |   |   |--- class: 1
    |   |--- b >  0.50
    |   |   |--- class: 0
    <BLANKLINE>
    """

    _criteria = _CLASSIFICATION_CRITERIA

    def __init__(self, *, criterion="gini", max_depth=None, min_samples_split=2, min_samples_leaf=1,
                 min_impurity_decrease=0.0, max_features=None, random_state=None):
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_impurity_decrease = min_impurity_decrease
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Grow the tree on (X, y). Returns self.

        Parameters
        ----------
        X : (n_samples, n_features) array_like
            Finite numeric features.
        y : (n_samples,) array_like
            Class labels (ints, bools or strings).
        sample_weight : (n_samples,) array_like, float or None
            Non-negative weights: sample i counts as w_i samples in every N_t and N_tk.
            Samples of weight 0 are left out (they do not count in n_node_samples).

        Raises
        ------
        ValueError
            On a bad hyperparameter, non-finite X, y or sample_weight of the wrong
            length, or weights that are all zero.
        """
        y = check_labels(y, estimator=type(self).__name__)
        X = self._validate_data(X, reset=True)
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} samples but y has {y.shape[0]}; they must match")
        w = check_sample_weight(sample_weight, X.shape[0])
        self.classes_, codes = np.unique(y, return_inverse=True)
        self.n_classes_ = len(self.classes_)
        return self._grow(X, codes.astype(np.float64), w, self.n_classes_)

    def predict_proba(self, X):
        """Class probabilities: the weighted class frequencies at the leaf of each sample.

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        (n_samples, n_classes) ndarray
            Columns in the order of ``classes_``; rows sum to 1.
        """
        return self._leaf_values(X)

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba`` (-inf for a class absent from the leaf)."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """The most frequent (weighted) class at each sample's leaf (first on ties).

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        (n_samples,) ndarray
            Labels from ``classes_``.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class DecisionTreeRegressor(RegressorMixin, _BaseDecisionTree):
    __doc__ = f"""A regression tree grown by variance reduction; a leaf predicts its mean.

    Parameters
    ----------
    criterion : {{"squared_error"}}, default "squared_error"
        Node impurity: the weighted variance of y, sum w_i (y_i - ybar_t)^2 / N_t; the
        split maximises its decrease, which minimises the squared error of the
        leaf means.
    {_TREE_DOC_PARAMS}

    Attributes
    ----------
    tree_ : Tree
        value[t, 0, 0] is the weighted mean of y at node t.
    feature_importances_ : (n_features,) ndarray
    max_features_ : int
    n_features_in_ : int
    feature_names_in_ : (n_features_in_,) ndarray of str
        Only when X was a DataFrame with string column names.

    Notes
    -----
    The same search and growth as :class:`DecisionTreeClassifier` (see its Notes on
    ties and on agreement with scikit-learn). The variance is computed in two passes
    (the mean, then the squared deviations), and the split search centres y at the
    node mean, so large offsets in y do not cost precision.

    References
    ----------
    Breiman, Friedman, Olshen & Stone (1984), ch. 8.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.models import DecisionTreeRegressor
    >>> X = np.arange(6.0).reshape(-1, 1)
    >>> y = np.array([1.0, 1.0, 1.0, 5.0, 5.0, 6.0])
    >>> reg = DecisionTreeRegressor(max_depth=1).fit(X, y)
    >>> reg.tree_.threshold[0], reg.predict([[0.0], [4.0]])
    (np.float64(2.5), array([1.        , 5.33333333]))
    """

    _criteria = _REGRESSION_CRITERIA

    def __init__(self, *, criterion="squared_error", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_impurity_decrease=0.0, max_features=None, random_state=None):
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_impurity_decrease = min_impurity_decrease
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Grow the tree on (X, y). Returns self.

        Parameters
        ----------
        X : (n_samples, n_features) array_like
            Finite numeric features.
        y : (n_samples,) array_like
            Finite real targets.
        sample_weight : (n_samples,) array_like, float or None
            Non-negative weights (weight 0 leaves a sample out).

        Raises
        ------
        ValueError
            On a bad hyperparameter, non-finite X or y, y or sample_weight of the
            wrong length, or weights that are all zero.
        """
        X = self._validate_data(X, reset=True)
        y = check_regression_target(y, X.shape[0], estimator=type(self).__name__)
        w = check_sample_weight(sample_weight, X.shape[0])
        return self._grow(X, y, w, 1)

    def predict(self, X):
        """The weighted mean of y at each sample's leaf.

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        (n_samples,) ndarray
        """
        return self._leaf_values(X)[:, 0].copy()


# --- hyperparameter checks -------------------------------------------------------------
def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _check_int_param(value, name, minimum):
    if not _is_int(value):
        raise TypeError(f"{name} must be an int >= {minimum} or None, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def _count_or_fraction(value, name, minimum, n_samples, *, closed):
    """An int count >= minimum, or a float fraction of n_samples (rounded up)."""
    interval = "(0, 1]" if closed else "(0, 1)"
    if _is_int(value):
        if value < minimum:
            raise ValueError(f"{name} must be an int >= {minimum} or a float in {interval}, got {value}")
        return int(value)
    if _is_real(value):
        value = float(value)
        if not (0.0 < value < 1.0 or (closed and value == 1.0)):
            raise ValueError(f"{name} must be an int >= {minimum} or a float in {interval}, got {value!r}")
        return math.ceil(value * n_samples)
    raise TypeError(f"{name} must be an int or a float, got {type(value).__name__} {value!r}")


def _resolve_max_features(max_features, n_features) -> int:
    """Number of features examined per node (at most n_features)."""
    if max_features is None:
        return n_features
    if isinstance(max_features, str):
        if max_features == "sqrt":
            return max(1, int(np.sqrt(n_features)))
        if max_features == "log2":
            return max(1, int(np.log2(n_features)))
        raise ValueError(f"max_features must be an int, a float, 'sqrt', 'log2' or None, got {max_features!r}")
    if _is_int(max_features):
        if max_features < 1:
            raise ValueError(f"max_features must be >= 1 as an int, got {max_features}")
        return min(int(max_features), n_features)
    if _is_real(max_features):
        if not 0.0 < max_features <= 1.0:
            raise ValueError(f"max_features must lie in (0, 1] as a float, got {max_features!r}")
        return max(1, int(max_features * n_features))
    raise TypeError(f"max_features must be an int, a float, a str or None, got {type(max_features).__name__}")


# --- the tree as text ---------------------------------------------------------------------
