"""Decision trees against scikit-learn's (the reference), a brute-force split search
and their own invariants.

How the comparison with scikit-learn works: both trees are walked in pre-order side by
side. Nodes that both libraries split the same way must agree in everything (sample
counts and weights exactly, value to rtol 1e-12, impurity to 1e-12 absolute); where
the two choose different splits, the two splits must decrease the impurity by the same
amount (to 1e-10 relative), i.e. be a tie, which scikit-learn breaks by its random
feature order and this library by feature index (documented). On the "tie-free" data
sets below the walk finds no tie at all, and then the whole model must agree:
predictions exactly, predict_proba to 1e-12, depth and leaf count exactly,
feature_importances_ to 1e-10, thresholds exactly. X is rounded to float32 values, so
that scikit-learn's float32 copy of X is X itself. Sample weights are multiples of
1/8: their sums are exact, so that no rounding decides whether a node is pure.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from mlfoundations.exceptions import NotFittedError
from mlfoundations.models import DecisionTreeClassifier, DecisionTreeRegressor
from mlfoundations.models.tree import export_text

sk_tree = pytest.importorskip("sklearn.tree")
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402


# --- data and oracles -------------------------------------------------------------------
def make_data(seed, n_samples=500, n_features=4):
    """Float32-valued features, 3 classes from a non-linear rule, a smooth target, 1/8 weights."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features)).astype(np.float32).astype(np.float64)
    y_class = (X[:, 0] + X[:, 1] * X[:, 2] > 0).astype(int) + (X[:, 3] > 0.5)
    y_value = X[:, 0] + np.sin(2 * X[:, 1]) + 0.3 * rng.normal(size=n_samples)
    weights = rng.integers(1, 33, n_samples) / 8.0
    return X, y_class, y_value, weights


def node_impurity(y, w, classes):
    """(N_t, i(t)) straight from the definitions: Gini/entropy of classes, or the variance."""
    n_t = w.sum()
    if classes is None:
        mean = np.sum(w * y) / n_t
        return n_t, {"squared_error": np.sum(w * (y - mean) ** 2) / n_t}
    p = np.array([w[y == c].sum() for c in classes]) / n_t
    q = p[p > 0]
    return n_t, {"gini": 1.0 - np.sum(p**2), "entropy": -np.sum(q * np.log2(q))}


def decrease(X, y, w, members, feature, threshold, criterion, classes):
    """N_t i(t) - N_L i(L) - N_R i(R) of the split x[feature] <= threshold of `members`."""
    goes_left = X[:, feature] <= threshold
    total = 0.0
    for part, sign in ((members, 1.0), (members & goes_left, -1.0), (members & ~goes_left, -1.0)):
        n_t, impurity = node_impurity(y[part], w[part], classes)
        total += sign * n_t * impurity[criterion]
    return total


def candidate_splits(x):
    """Midpoints between consecutive distinct values of x (the thresholds CART tries)."""
    values = np.unique(x)
    return values[:-1] / 2 + values[1:] / 2


def walk_against_sklearn(ours, theirs, X, y, w=None):
    """Walk both trees side by side (see the module docstring); return the number of ties.

    scikit-learn sees X rounded to float32; two splits on the same feature that put
    the same samples left are the same split (their thresholds differ by that rounding
    at most, and are equal when X holds float32 values).
    """
    a, b = ours.tree_, theirs.tree_
    X32 = X.astype(np.float32)
    w = np.ones(len(y)) if w is None else w
    classifier = isinstance(ours, DecisionTreeClassifier)
    classes = ours.classes_ if classifier else None
    criterion = {"log_loss": "entropy"}.get(ours.criterion, ours.criterion)
    ties = 0
    stack = [(0, 0, w > 0)]
    while stack:
        i, j, members = stack.pop()
        assert a.n_node_samples[i] == b.n_node_samples[j]
        assert a.weighted_n_node_samples[i] == b.weighted_n_node_samples[j]
        assert_allclose(a.value[i], b.value[j], rtol=1e-12, atol=1e-15)
        assert_allclose(a.impurity[i], b.impurity[j], rtol=0, atol=1e-12)
        assert (a.children_left[i] == -1) == (b.children_left[j] == -1), f"node {i}: one is a leaf"
        if a.children_left[i] == -1:
            continue
        goes_left = X[:, a.feature[i]] <= a.threshold[i]
        goes_left_b = X32[:, b.feature[j]] <= b.threshold[j]
        if a.feature[i] == b.feature[j] and np.array_equal(members & goes_left, members & goes_left_b):
            assert_allclose(a.threshold[i], b.threshold[j], rtol=1e-6)
            stack.append((a.children_left[i], b.children_left[j], members & goes_left))
            stack.append((a.children_right[i], b.children_right[j], members & ~goes_left))
            continue
        ours_decrease = decrease(X, y, w, members, a.feature[i], a.threshold[i], criterion, classes)
        theirs_decrease = decrease(X32, y, w, members, b.feature[j], b.threshold[j], criterion, classes)
        assert_allclose(ours_decrease, theirs_decrease, rtol=1e-10, atol=1e-13)
        ties += 1
    return ties


def sklearn_twin(estimator, random_state=0):
    params = {**estimator.get_params(), "random_state": random_state}
    return getattr(sk_tree, type(estimator).__name__)(**params)


def assert_same_model(ours, theirs, X, X_new):
    """The whole model agrees (on a tie-free data set)."""
    assert ours.get_depth() == theirs.get_depth()
    assert ours.get_n_leaves() == theirs.get_n_leaves()
    assert_array_equal(ours.tree_.children_left, theirs.tree_.children_left)
    assert_array_equal(ours.tree_.feature, theirs.tree_.feature)
    assert_array_equal(ours.tree_.threshold, theirs.tree_.threshold)
    assert_allclose(ours.feature_importances_, theirs.feature_importances_, rtol=0, atol=1e-10)
    for Z in (X, X_new):
        assert_array_equal(ours.apply(Z), theirs.apply(Z.astype(np.float32)))
        if isinstance(ours, DecisionTreeClassifier):
            assert_array_equal(ours.predict(Z), theirs.predict(Z))
            assert_allclose(ours.predict_proba(Z), theirs.predict_proba(Z), rtol=0, atol=1e-12)
        else:
            assert_allclose(ours.predict(Z), theirs.predict(Z), rtol=1e-12, atol=1e-12)


# --- agreement with scikit-learn -----------------------------------------------------------
# (seed, params, weighted): checked tie-free by the walk, which counts the ties
TIE_FREE = [
    (0, {"criterion": "gini", "max_depth": 3}, False),
    (2, {"criterion": "entropy", "max_depth": 3}, True),
    (3, {"criterion": "gini", "max_depth": 4, "min_samples_leaf": 5}, True),
    (0, {"criterion": "entropy", "max_depth": None, "min_samples_leaf": 5}, True),
    (1, {"criterion": "gini", "max_depth": None, "min_samples_leaf": 10}, True),
    (3, {"criterion": "log_loss", "max_depth": 7, "min_samples_leaf": 5}, True),
    (2, {"criterion": "gini", "max_depth": 10, "min_samples_leaf": 10}, True),
    (1, {"criterion": "entropy", "max_depth": 10, "min_samples_leaf": 10, "min_impurity_decrease": 0.01}, True),
    (1, {"criterion": "gini", "max_depth": None, "min_samples_leaf": 0.02}, True),
    (2, {"criterion": "entropy", "max_depth": 6, "min_samples_split": 0.1}, True),
    (0, {"criterion": "gini", "max_depth": 5, "min_samples_split": 40}, True),
    (0, {"criterion": "squared_error", "max_depth": None, "min_samples_leaf": 5}, False),
    (1, {"criterion": "squared_error", "max_depth": None, "min_samples_leaf": 5}, True),
    (2, {"criterion": "squared_error", "max_depth": 3}, True),
    (3, {"criterion": "squared_error", "max_depth": 7, "min_samples_leaf": 10}, False),
    (0, {"criterion": "squared_error", "max_depth": 10, "min_samples_leaf": 5, "min_impurity_decrease": 1e-3}, True),
    (3, {"criterion": "squared_error", "max_depth": None, "min_samples_leaf": 0.01, "min_samples_split": 0.05}, False),
]


def fit_pair(seed, params, weighted):
    X, y_class, y_value, weights = make_data(seed)
    if params["criterion"] == "squared_error":
        estimator, y = DecisionTreeRegressor(**params), y_value
    else:
        estimator, y = DecisionTreeClassifier(**params), y_class
    w = weights if weighted else None
    ours = estimator.fit(X, y, sample_weight=w)
    theirs = sklearn_twin(estimator, random_state=seed).fit(X, y, sample_weight=w)
    return ours, theirs, X, y, w


@pytest.mark.parametrize("seed, params, weighted", TIE_FREE)
def test_same_tree_as_sklearn_on_tie_free_data(seed, params, weighted):
    ours, theirs, X, y, w = fit_pair(seed, params, weighted)
    assert walk_against_sklearn(ours, theirs, X, y, w) == 0
    X_new = make_data(seed + 100)[0]
    assert_same_model(ours, theirs, X, X_new)
    if "min_impurity_decrease" in params:  # the threshold is active: it prunes
        unpruned = {k: v for k, v in params.items() if k != "min_impurity_decrease"}
        assert fit_pair(seed, unpruned, weighted)[0].get_n_leaves() > ours.get_n_leaves()


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("criterion", ["gini", "entropy", "squared_error"])
@pytest.mark.parametrize("max_depth, min_samples_leaf", [(None, 1), (5, 1), (None, 3)])
@pytest.mark.parametrize("weighted", [False, True])
def test_same_tree_as_sklearn_up_to_ties(seed, criterion, max_depth, min_samples_leaf, weighted):
    params = {"criterion": criterion, "max_depth": max_depth, "min_samples_leaf": min_samples_leaf}
    ours, theirs, X, y, w = fit_pair(seed, params, weighted)
    walk_against_sklearn(ours, theirs, X, y, w)
    if max_depth is None and min_samples_leaf == 1:  # both fit the training set exactly
        assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-14)
        assert_allclose(ours.predict(X), y, rtol=1e-14)  # a one-sample leaf's mean is its y


@pytest.mark.parametrize("estimator", [DecisionTreeClassifier(criterion="entropy", max_depth=4),
                                       DecisionTreeRegressor(max_depth=5, min_samples_leaf=5)], ids=repr)
def test_float64_features(estimator):
    # features that float32 cannot hold: scikit-learn's thresholds are rounded, the splits are the same
    rng = np.random.default_rng(11)
    X = rng.normal(size=(400, 3)) * 1e3 + 1.0
    if isinstance(estimator, DecisionTreeClassifier):
        y = (X[:, 0] > X[:, 1]).astype(int)
    else:
        y = np.sin(X[:, 0] / 300) + X[:, 1] / 1000 + 0.1 * rng.normal(size=400)
    ours = estimator.fit(X, y)
    theirs = sklearn_twin(estimator).fit(X, y)
    assert walk_against_sklearn(ours, theirs, X, y) == 0
    assert not np.array_equal(ours.tree_.threshold, theirs.tree_.threshold)
    assert_allclose(ours.tree_.threshold, theirs.tree_.threshold, rtol=1e-6)
    assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-12)


def test_tie_goes_to_the_first_feature():
    # two copies of one feature: every split on one is a split on the other, an exact tie
    X, y = make_data(0)[:2]
    X2 = np.column_stack([X[:, 0], X[:, 0]])
    tree = DecisionTreeClassifier(max_depth=4).fit(X2, y)
    internal = tree.tree_.children_left != -1
    assert_array_equal(tree.tree_.feature[internal], 0)
    assert_array_equal(tree.feature_importances_, [1.0, 0.0])
    # scikit-learn breaks the same ties by its random feature order: only the features
    # differ, the thresholds and predictions do not
    for seed in range(3):
        theirs = sk_tree.DecisionTreeClassifier(max_depth=4, random_state=seed).fit(X2, y)
        walk_against_sklearn(tree, theirs, X2, y)
        assert_array_equal(tree.tree_.threshold, theirs.tree_.threshold)
        assert_array_equal(tree.predict(X2), theirs.predict(X2))


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
def test_iris_up_to_the_tie_at_the_root(criterion):
    from mlfoundations.datasets import load_iris

    X, y = load_iris()
    for max_depth in (None, 3):
        ours = DecisionTreeClassifier(criterion=criterion, max_depth=max_depth).fit(X, y)
        theirs = sk_tree.DecisionTreeClassifier(criterion=criterion, max_depth=max_depth, random_state=0).fit(X, y)
        # petal length <= 2.45 and petal width <= 0.8 both cut off the setosas exactly
        assert walk_against_sklearn(ours, theirs, X, y) == 1
        assert (ours.tree_.feature[0], ours.tree_.threshold[0]) == (2, 2.45)
        assert_array_equal(ours.predict(X), theirs.predict(X))
        assert ours.get_depth() == theirs.get_depth()
        assert ours.get_n_leaves() == theirs.get_n_leaves()


# --- exactness of the search ----------------------------------------------------------------
@st.composite
def small_problems(draw):
    n = draw(st.integers(2, 25))
    p = draw(st.integers(1, 3))
    # few distinct values, so that tied feature values are common
    X = np.array(draw(st.lists(st.integers(-3, 3), min_size=n * p, max_size=n * p)), float).reshape(n, p)
    y = np.array(draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    w = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)), float) / 2
    if w.sum() == 0:
        w[0] = 1.0
    return X, y, w


@settings(max_examples=60, deadline=None)
@given(problem=small_problems(), criterion=st.sampled_from(["gini", "entropy", "squared_error"]),
       min_samples_leaf=st.integers(1, 3))
def test_every_split_is_the_best_one(problem, criterion, min_samples_leaf):
    """At every node, brute force over all (feature, midpoint) pairs finds no better split."""
    X, y, w = problem
    if criterion == "squared_error":
        y = y + 0.25 * X[:, 0]  # a real-valued target
        tree = DecisionTreeRegressor(min_samples_leaf=min_samples_leaf).fit(X, y, sample_weight=w)
        classes = None
    else:
        tree = DecisionTreeClassifier(criterion=criterion, min_samples_leaf=min_samples_leaf)
        tree.fit(X, y, sample_weight=w)
        classes = tree.classes_
    t = tree.tree_
    stack = [(0, w > 0)]
    while stack:
        node, members = stack.pop()
        assert t.n_node_samples[node] == members.sum()
        n_t, impurity = node_impurity(y[members], w[members], classes)
        assert_allclose(t.weighted_n_node_samples[node], n_t, rtol=1e-14)
        assert_allclose(t.impurity[node], impurity[criterion], rtol=1e-12, atol=1e-15)
        valid = []
        for j in range(X.shape[1]):
            for threshold in candidate_splits(X[members, j]):
                n_left = np.sum(members & (X[:, j] <= threshold))
                if min(n_left, members.sum() - n_left) >= min_samples_leaf:
                    valid.append(decrease(X, y, w, members, j, threshold, criterion, classes))
        best = max(valid, default=-np.inf)
        scale = n_t * max(impurity[criterion], 1e-300)
        if t.children_left[node] == -1:
            # a leaf: pure, too small, or no split that decreases the impurity
            assert impurity[criterion] <= 1e-12 or not valid or best <= 1e-12 * scale
            continue
        j, threshold = t.feature[node], t.threshold[node]
        assert threshold in candidate_splits(X[members, j])
        assert_allclose(decrease(X, y, w, members, j, threshold, criterion, classes), best, rtol=1e-10, atol=1e-12)
        goes_left = X[:, j] <= threshold
        stack += [(t.children_left[node], members & goes_left), (t.children_right[node], members & ~goes_left)]


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
def test_xor_and_toy_sets_are_fitted_exactly(criterion):
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    xor = np.array([0, 1, 1, 0])
    tree = DecisionTreeClassifier(criterion=criterion).fit(X, xor)
    assert_array_equal(tree.predict(X), xor)
    assert (tree.get_depth(), tree.get_n_leaves()) == (2, 4)
    # a checkerboard of 4x4 cells and concentric rings: every distinct point is learnt
    rng = np.random.default_rng(7)
    Z = rng.uniform(-1, 1, size=(400, 2))
    for labels in ((np.floor(2 * Z[:, 0]) + np.floor(2 * Z[:, 1])) % 2,
                   np.floor(3 * np.hypot(Z[:, 0], Z[:, 1])).astype(int)):
        tree = DecisionTreeClassifier(criterion=criterion).fit(Z, labels)
        assert tree.score(Z, labels) == 1.0
        assert np.all(tree.tree_.impurity[tree.tree_.children_left == -1] == 0.0)


def test_tree_arrays_are_consistent():
    X, y, y_value, w = make_data(4, n_samples=200)
    for tree in (DecisionTreeClassifier().fit(X, y, sample_weight=w),
                 DecisionTreeRegressor(max_depth=6).fit(X, y_value, sample_weight=w)):
        t = tree.tree_
        internal = np.flatnonzero(t.children_left != -1)
        left, right = t.children_left[internal], t.children_right[internal]
        assert_array_equal(t.n_node_samples[internal], t.n_node_samples[left] + t.n_node_samples[right])
        assert_allclose(t.weighted_n_node_samples[internal],
                        t.weighted_n_node_samples[left] + t.weighted_n_node_samples[right], rtol=1e-14)
        # a node's value is the weighted average of its children's (pre-order: children after parents)
        mixed = (t.weighted_n_node_samples[left, None, None] * t.value[left]
                 + t.weighted_n_node_samples[right, None, None] * t.value[right])
        assert_allclose(mixed / t.weighted_n_node_samples[internal, None, None], t.value[internal], rtol=1e-12)
        assert np.all(left > internal) and np.all(right > left)
        assert t.node_count == 2 * tree.get_n_leaves() - 1
        assert np.all(t.feature[t.children_left == -1] == -2)
        importances = tree.feature_importances_
        assert importances.sum() == pytest.approx(1.0, abs=1e-14) and np.all(importances >= 0)


# --- the classifier's contract -----------------------------------------------------------------
def test_string_labels_probabilities_and_log():
    X, y = make_data(5, n_samples=150)[:2]
    labels = np.array(["cat", "dog", "emu"])[y]
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=3).fit(X, labels)
    assert_array_equal(tree.classes_, ["cat", "dog", "emu"])
    assert tree.n_classes_ == 3
    proba = tree.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-14)
    assert_array_equal(tree.predict(X), tree.classes_[np.argmax(proba, axis=1)])
    with np.errstate(divide="ignore"):
        assert_array_equal(tree.predict_log_proba(X), np.log(proba))
    theirs = sk_tree.DecisionTreeClassifier(criterion="entropy", max_depth=3, random_state=0).fit(X, labels)
    assert walk_against_sklearn(tree, theirs, X, labels) == 0
    assert_array_equal(tree.predict(X), theirs.predict(X))


def test_single_leaf_has_zero_importances():
    X = np.random.default_rng(0).normal(size=(10, 3))
    for tree in (DecisionTreeClassifier().fit(X, np.ones(10)), DecisionTreeRegressor().fit(X, np.full(10, 2.5)),
                 DecisionTreeClassifier(max_depth=1, min_impurity_decrease=10.0).fit(X, np.arange(10) % 2)):
        assert tree.get_n_leaves() == 1 and tree.get_depth() == 0
        assert_array_equal(tree.feature_importances_, np.zeros(3))


def test_sample_weights_are_repetitions():
    X, y, y_value, _ = make_data(6, n_samples=60)
    counts = np.random.default_rng(1).integers(0, 4, size=60)
    for estimator, target in ((DecisionTreeClassifier(criterion="entropy"), y),
                              (DecisionTreeRegressor(min_samples_leaf=1), y_value)):
        weighted = estimator.fit(X, target, sample_weight=counts.astype(float))
        tree_w = weighted.tree_
        repeated = type(estimator)(**estimator.get_params()).fit(np.repeat(X, counts, 0), np.repeat(target, counts))
        assert_array_equal(tree_w.feature, repeated.tree_.feature)
        assert_array_equal(tree_w.threshold, repeated.tree_.threshold)
        assert_allclose(tree_w.value, repeated.tree_.value, rtol=1e-12)


# --- max_features ------------------------------------------------------------------------------
def test_max_features_resolution():
    X, y = make_data(0, n_samples=50, n_features=16)[:2]
    for max_features, expected in ((None, 16), ("sqrt", 4), ("log2", 4), (0.3, 4), (1.0, 16), (3, 3), (40, 16)):
        assert DecisionTreeClassifier(max_features=max_features, random_state=0).fit(X, y).max_features_ == expected


def test_max_features_draws_are_reproducible():
    X, y = make_data(8, n_samples=300, n_features=6)[:2]
    trees = [DecisionTreeClassifier(max_features=2, random_state=seed).fit(X, y).tree_ for seed in range(6)]
    again = DecisionTreeClassifier(max_features=2, random_state=np.random.default_rng(3)).fit(X, y).tree_
    assert_array_equal(again.feature, trees[3].feature)
    assert_array_equal(again.threshold, trees[3].threshold)
    assert len({tuple(t.feature) for t in trees}) > 1  # the draws differ between seeds
    # without drawing (max_features=None), random_state plays no part
    a, b = (DecisionTreeClassifier(random_state=s).fit(X, y).tree_ for s in (0, 1))
    assert_array_equal(a.threshold, b.threshold)


def test_max_features_split_is_the_best_on_its_feature():
    # a random subset of features is examined, and the split is the best on the chosen one
    X, y = make_data(9, n_samples=200, n_features=5)[:2]
    root_features = set()
    for seed in range(12):
        tree = DecisionTreeClassifier(max_features=1, max_depth=1, random_state=seed).fit(X, y)
        j, threshold = tree.tree_.feature[0], tree.tree_.threshold[0]
        root_features.add(j)
        everyone = np.ones(len(y), bool)
        gains = [decrease(X, y, np.ones(len(y)), everyone, j, t, "gini", tree.classes_)
                 for t in candidate_splits(X[:, j])]
        assert_allclose(decrease(X, y, np.ones(len(y)), everyone, j, threshold, "gini", tree.classes_),
                        max(gains), rtol=1e-12)
    assert len(root_features) >= 3  # not always the globally best feature


def test_max_features_keeps_drawing_until_a_valid_split():
    # feature 0 has no valid split (one sample differs, min_samples_leaf=2), features 1-3
    # are constant: whichever is drawn first, the search goes on to feature 4
    rng = np.random.default_rng(0)
    n = 40
    X = np.column_stack([np.r_[np.zeros(n - 1), 1.0], np.ones((n, 3)), rng.normal(size=n)])
    y = (X[:, 4] > 0.3).astype(int)
    full = DecisionTreeClassifier(min_samples_leaf=2).fit(X, y).tree_
    for seed in range(10):
        tree = DecisionTreeClassifier(max_features=1, min_samples_leaf=2, random_state=seed).fit(X, y).tree_
        assert_array_equal(tree.feature, full.feature)
        assert_array_equal(tree.threshold, full.threshold)


# --- export_text ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [{}, {"feature_names": ["a", "b", "c", "d"], "decimals": 3},
                                    {"show_weights": True, "spacing": 2}, {"max_depth": 2},
                                    {"class_names": ["low", "mid", "high"]}])
def test_export_text_matches_sklearn(kwargs):
    ours, theirs, *_ = fit_pair(3, {"criterion": "log_loss", "max_depth": 7, "min_samples_leaf": 5}, True)
    text = sk_tree.export_text(theirs, **kwargs)
    assert export_text(ours, **kwargs) == text
    assert ours.export_text(**kwargs) == text
    if "class_names" not in kwargs:
        reg, reg_theirs, *_ = fit_pair(2, {"criterion": "squared_error", "max_depth": 3}, True)
        assert reg.export_text(**kwargs) == sk_tree.export_text(reg_theirs, **kwargs)


def test_export_text_string_labels():
    X, y = make_data(5, n_samples=150)[:2]
    labels = np.array(["cat", "dog", "emu"])[y]
    ours = DecisionTreeClassifier(criterion="entropy", max_depth=3).fit(X, labels)
    theirs = sk_tree.DecisionTreeClassifier(criterion="entropy", max_depth=3, random_state=0).fit(X, labels)
    assert ours.export_text(show_weights=True) == sk_tree.export_text(theirs, show_weights=True)


# --- bad input -------------------------------------------------------------------------------------
X_OK = np.arange(12.0).reshape(6, 2)
Y_OK = np.array([0, 1, 0, 1, 1, 0])


@pytest.mark.parametrize("params, error, match", [
    ({"criterion": "mse"}, ValueError, r"criterion must be one of \['entropy', 'gini', 'log_loss'\], got 'mse'"),
    ({"max_depth": 0}, ValueError, "max_depth must be >= 1, got 0"),
    ({"max_depth": 2.5}, TypeError, "max_depth must be an int >= 1 or None"),
    ({"min_samples_split": 1}, ValueError, r"min_samples_split must be an int >= 2 or a float in \(0, 1\], got 1"),
    ({"min_samples_split": 1.5}, ValueError, r"min_samples_split must be .* a float in \(0, 1\], got 1.5"),
    ({"min_samples_split": 0.0}, ValueError, r"min_samples_split must be .* got 0.0"),
    ({"min_samples_leaf": 0}, ValueError, r"min_samples_leaf must be an int >= 1 or a float in \(0, 1\), got 0"),
    ({"min_samples_leaf": 1.0}, ValueError, r"min_samples_leaf must be .* a float in \(0, 1\), got 1.0"),
    ({"min_samples_leaf": "2"}, TypeError, "min_samples_leaf must be an int or a float, got str"),
    ({"min_impurity_decrease": -0.1}, ValueError, "min_impurity_decrease must be finite and >= 0"),
    ({"max_features": 0}, ValueError, "max_features must be >= 1 as an int, got 0"),
    ({"max_features": 1.5}, ValueError, r"max_features must lie in \(0, 1\] as a float, got 1.5"),
    ({"max_features": "half"}, ValueError, "max_features must be an int, a float, 'sqrt', 'log2' or None"),
    ({"random_state": "seed"}, TypeError, "random_state must be None, an int seed or a numpy.random.Generator"),
])
def test_bad_hyperparameters(params, error, match):
    with pytest.raises(error, match=match):
        DecisionTreeClassifier(**params).fit(X_OK, Y_OK)


def test_bad_regression_criterion():
    with pytest.raises(ValueError, match=r"criterion must be one of \['squared_error'\], got 'gini'"):
        DecisionTreeRegressor(criterion="gini").fit(X_OK, Y_OK.astype(float))


@pytest.mark.parametrize("estimator", [DecisionTreeClassifier(), DecisionTreeRegressor()], ids=repr)
def test_bad_data(estimator):
    X_nan = X_OK.copy()
    X_nan[2, 1] = np.nan
    with pytest.raises(ValueError, match="X contains NaN; remove or impute"):
        estimator.fit(X_nan, Y_OK)
    with pytest.raises(ValueError, match="y has 5 entries but X has 6 samples|X has 6 samples but y has 5"):
        estimator.fit(X_OK, Y_OK[:5])
    with pytest.raises(ValueError, match="sample_weight has 3 entries but X has 6 samples"):
        estimator.fit(X_OK, Y_OK, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match="sample_weight must be non-negative"):
        estimator.fit(X_OK, Y_OK, sample_weight=-np.ones(6))
    with pytest.raises(ValueError, match="sample_weight is zero for every sample"):
        estimator.fit(X_OK, Y_OK, sample_weight=np.zeros(6))
    with pytest.raises(NotFittedError, match="not fitted"):
        estimator.predict(X_OK)
    estimator.fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match="X has 3 features, but .* is expecting 2 features"):
        estimator.predict(np.ones((2, 3)))
    with pytest.raises(ValueError, match="X contains NaN"):
        estimator.apply(X_nan)


def test_classifier_rejects_continuous_target():
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        DecisionTreeClassifier().fit(X_OK, Y_OK + 0.5)


def test_export_text_bad_names():
    tree = DecisionTreeClassifier().fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match="feature_names must contain 2 elements, got 1"):
        tree.export_text(feature_names=["a"])
    with pytest.raises(ValueError, match="class_names must contain 2 elements"):
        tree.export_text(class_names=["a", "b", "c"])
    with pytest.raises(NotFittedError, match="not fitted"):
        export_text(DecisionTreeRegressor())


@parametrize_with_checks([DecisionTreeClassifier(), DecisionTreeRegressor(),
                          DecisionTreeClassifier(criterion="entropy", max_features="sqrt", random_state=0)])
def test_sklearn_check_estimator(estimator, check):
    check(estimator)
