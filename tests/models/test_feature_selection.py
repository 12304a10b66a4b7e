"""MutualInfoSelector against scikit-learn's SelectKBest(mutual_info_classif)."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from mlfoundations.models import MutualInfoSelector

sklearn = pytest.importorskip("sklearn")
from sklearn.feature_selection import SelectKBest, mutual_info_classif  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402


@pytest.fixture
def discrete_data():
    rng = np.random.default_rng(7)
    n = 600
    y = rng.integers(0, 3, n)
    informative = (y + (rng.random(n) < 0.2) * rng.integers(0, 3, n)) % 3
    weak = np.where(rng.random(n) < 0.6, y, rng.integers(0, 3, n))
    noise = rng.integers(0, 5, (n, 4))
    X = np.column_stack([noise[:, 0], informative, noise[:, 1], weak, noise[:, 2:]])
    return X.astype(float), y


@pytest.mark.parametrize("k", [0, 1, 2, 4, "all"])
def test_discrete_matches_select_k_best(discrete_data, k):
    X, y = discrete_data
    ours = MutualInfoSelector(k=k, discrete_features=True).fit(X, y)
    score = lambda X, y: mutual_info_classif(X, y, discrete_features=True)  # noqa: E731
    theirs = SelectKBest(score, k=k).fit(X, y)
    # exact plug-in estimates from the same contingency tables: rounding only
    assert_allclose(ours.scores_, theirs.scores_, rtol=1e-12, atol=1e-15)
    assert_array_equal(ours.get_support(), theirs.get_support())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # k=0 keeps nothing (both warn)
        assert_array_equal(ours.transform(X), theirs.transform(X))


def test_informative_features_come_first(discrete_data):
    X, y = discrete_data
    sel = MutualInfoSelector(k=2, discrete_features=True).fit(X, y)
    assert_array_equal(sel.get_support(indices=True), [1, 3])
    assert sel.transform(X).shape == (X.shape[0], 2)
    assert_array_equal(sel.get_feature_names_out(), ["x1", "x3"])
    # a feature that is a copy of y scores H(y), the most any feature can
    sel = MutualInfoSelector(k=1, discrete_features=True).fit(np.column_stack([X, y]), y)
    counts = np.bincount(y) / y.size
    assert_allclose(sel.scores_[-1], -(counts * np.log(counts)).sum(), rtol=1e-12)
    assert_array_equal(sel.get_support(indices=True), [X.shape[1]])


def test_ties_go_to_the_later_feature_as_in_sklearn():
    y = np.array([0, 1, 0, 1, 0, 1])
    X = np.column_stack([y, y, 1 - y]).astype(float)  # three equal scores
    ours = MutualInfoSelector(k=2, discrete_features=True).fit(X, y)
    theirs = SelectKBest(lambda X, y: mutual_info_classif(X, y, discrete_features=True), k=2).fit(X, y)
    assert_array_equal(ours.get_support(), theirs.get_support())


def test_k_larger_than_n_features_keeps_all_with_a_warning(discrete_data):
    X, y = discrete_data
    with pytest.warns(UserWarning, match="k=20 is greater than n_features=6"):
        sel = MutualInfoSelector(k=20, discrete_features=True).fit(X, y)
    assert sel.get_support().all()


def test_continuous_features_rank_the_dependent_one_first():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 400)
    X = np.column_stack([rng.normal(size=400), y + 0.3 * rng.normal(size=400), rng.normal(size=400)])
    sel = MutualInfoSelector(k=1, random_state=0).fit(X, y)
    assert_array_equal(sel.get_support(indices=True), [1])
    again = MutualInfoSelector(k=1, random_state=0).fit(X, y)
    assert_array_equal(sel.scores_, again.scores_)  # deterministic given random_state


@pytest.mark.parametrize(
    ("params", "msg"),
    [({"k": -1}, r'k must be a non-negative integer or "all", got k=-1'),
     ({"k": 1.5}, r"got k=1.5"),
     ({"k": "some"}, r"got k='some'"),
     ({"n_neighbors": 0}, "n_neighbors")],
)
def test_bad_hyperparameters(discrete_data, params, msg):
    X, y = discrete_data
    with pytest.raises(ValueError, match=msg):
        MutualInfoSelector(**params).fit(X, y)


def test_bad_inputs(discrete_data):
    X, y = discrete_data
    with pytest.raises(ValueError, match="y has 5 entries but X has 600 samples"):
        MutualInfoSelector().fit(X, y[:5])
    with pytest.raises(ValueError, match="NaN"):
        MutualInfoSelector().fit(np.where(X == 0, np.nan, X), y)
    sel = MutualInfoSelector(k=2).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but MutualInfoSelector is expecting 6"):
        sel.transform(X[:, :3])
    with pytest.raises(ValueError, match="input_features should have length"):
        sel.get_feature_names_out(["a", "b"])


@parametrize_with_checks([MutualInfoSelector(k=1, random_state=0)])
def test_sklearn_check_estimator(estimator, check):
    check(estimator)
