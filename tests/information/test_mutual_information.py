"""Mutual information, normalised MI, information gain and the per-feature estimates
against scikit-learn (mutual_info_score, normalized_mutual_info_score,
mutual_info_classif, mutual_info_regression) and the identities of the plug-in
estimate."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlfoundations.information import (
    entropy, information_gain, joint_entropy, mutual_info_classif, mutual_info_regression,
    mutual_information, normalized_mutual_information,
)

sklearn_metrics = pytest.importorskip("sklearn.metrics")
sklearn_fs = pytest.importorskip("sklearn.feature_selection")

# Plug-in MI: the same cells summed in another order; values are O(1) nats.
ATOL = 1e-12
# Nearest-neighbour estimates: the same integer counts, averaged in the same way; the
# jitter (1e-10 relative) changes no count on data without ties.
KNN_ATOL = 1e-10
AVERAGES = ["min", "geometric", "arithmetic", "max"]


def _labels(rng, n, k, shift=None):
    x = rng.integers(0, k, n)
    y = (x + rng.integers(0, 3, n)) % k if shift else rng.integers(0, k, n)
    return x, y


# ------------------------------------------------------------------ discrete: plug-in
@pytest.mark.parametrize("n, kx, ky", [(1, 1, 1), (10, 2, 3), (500, 5, 4), (3000, 40, 7)])
@pytest.mark.parametrize("dependent", [False, True])
def test_discrete_mi_matches_sklearn(n, kx, ky, dependent, rng):
    x = rng.integers(0, kx, n)
    y = (x * 3 + rng.integers(0, 2, n)) % ky if dependent else rng.integers(0, ky, n)
    ref = sklearn_metrics.mutual_info_score(x, y)
    assert mutual_information(x, y, base=np.e) == pytest.approx(ref, abs=ATOL)
    assert mutual_information(x, y) == pytest.approx(ref / math.log(2), abs=ATOL)


def test_discrete_mi_with_many_labels_and_any_label_type(rng):
    x = rng.permutation(5000)  # all distinct: the sparse path, I = H(y)
    y = rng.integers(0, 9, 5000)
    assert mutual_information(x, y, base=np.e) == pytest.approx(
        sklearn_metrics.mutual_info_score(x, y), abs=ATOL)
    assert mutual_information(x, y) == pytest.approx(entropy(np.bincount(y), normalize=True),
                                                     abs=ATOL)
    words = np.array(["a", "b", "c"])[rng.integers(0, 3, 200)]
    codes = rng.integers(-5, 5, 200)
    assert mutual_information(words, codes, base=np.e) == pytest.approx(
        sklearn_metrics.mutual_info_score(words, codes), abs=ATOL)
    # float labels are discrete when asked to be
    assert mutual_information(codes * 0.5, words, discrete=True, base=np.e) == pytest.approx(
        sklearn_metrics.mutual_info_score(codes, words), abs=ATOL)


def test_mi_is_entropies_minus_joint_entropy(rng):
    x, y = _labels(rng, 400, 5, shift=True)
    table = np.zeros((5, 5))
    np.add.at(table, (x, y), 1)
    hx, hy = entropy(table.sum(1), normalize=True), entropy(table.sum(0), normalize=True)
    assert mutual_information(x, y) == pytest.approx(
        hx + hy - joint_entropy(table, normalize=True), abs=ATOL)


@pytest.mark.parametrize("average_method", AVERAGES)
def test_normalized_mi_matches_sklearn(average_method, rng):
    for n, k in [(20, 3), (700, 6), (50, 50)]:
        x, y = _labels(rng, n, k, shift=True)
        ref = sklearn_metrics.normalized_mutual_info_score(x, y, average_method=average_method)
        assert normalized_mutual_information(x, y, average_method=average_method) == \
            pytest.approx(ref, abs=ATOL)
    # the limit cases scikit-learn fixes by convention
    for x, y in [([1, 1, 1], [2, 2, 2]), ([0, 0, 1, 1], [0, 1, 2, 3]), ([0, 0, 0, 0], [0, 1, 2, 3]),
                 ([0, 1, 0, 1], [0, 0, 1, 1]), ([0, 0, 1, 1], ["x", "x", "y", "y"])]:
        assert normalized_mutual_information(x, y, average_method=average_method) == pytest.approx(
            sklearn_metrics.normalized_mutual_info_score(x, y, average_method=average_method),
            abs=ATOL)


def test_information_gain(rng):
    y = rng.integers(0, 3, 300)
    split = rng.random(300) < 0.4
    # parent entropy minus the weighted child entropies, by the definition
    children = sum(np.mean(split == g) * entropy(np.bincount(y[split == g], minlength=3),
                                                 normalize=True) for g in (False, True))
    expected = entropy(np.bincount(y), normalize=True) - children
    assert information_gain(y, split) == pytest.approx(expected, abs=ATOL)
    assert information_gain(y, split) == pytest.approx(mutual_information(y, split), abs=ATOL)
    assert information_gain(y, split, base=np.e) == pytest.approx(
        sklearn_metrics.mutual_info_score(y, split), abs=ATOL)
    assert information_gain([0, 0, 1, 1], [0, 0, 1, 1]) == 1.0
    assert information_gain([0, 0, 1, 1], ["l", "l", "l", "l"]) == 0.0
    assert information_gain(y, np.arange(300)) == pytest.approx(
        entropy(np.bincount(y), normalize=True), abs=ATOL)  # pure leaves: the whole entropy


# ------------------------------------------------------------------ properties
_LABELS = arrays(np.int64, st.integers(1, 60), elements=st.integers(0, 4))


@given(_LABELS)
def test_mi_with_a_constant_is_exactly_zero_and_with_itself_is_entropy(x):
    assert mutual_information(x, np.zeros_like(x)) == 0.0
    assert mutual_information(np.full(x.shape, 7), x) == 0.0
    h = entropy(np.bincount(x), normalize=True)
    assert mutual_information(x, x) == pytest.approx(h, abs=1e-12)
    assert mutual_information(x, 2 * x + 1) == pytest.approx(h, abs=1e-12)  # relabelling


@given(st.integers(1, 80).flatmap(lambda n: st.tuples(
    arrays(np.int64, n, elements=st.integers(0, 3)), arrays(np.int64, n, elements=st.integers(0, 5)))))
def test_mi_symmetric_nonnegative_and_bounded(xy):
    x, y = xy
    mi = mutual_information(x, y)
    assert mi >= 0.0
    assert mi == pytest.approx(mutual_information(y, x), abs=1e-12)
    hx, hy = entropy(np.bincount(x), normalize=True), entropy(np.bincount(y), normalize=True)
    assert mi <= min(hx, hy) + 1e-12
    nmi = normalized_mutual_information(x, y)
    assert -1e-12 <= nmi <= 1 + 1e-12


# ------------------------------------------------------------------ per feature: classif
def test_classif_discrete_features_match_sklearn(rng):
    X = rng.integers(0, 10, (3000, 12))
    X[:, 3] = X[:, 3] * 1000 - 7  # a sparse integer grid
    X[:, 4] = 5  # constant
    y = (X[:, 0] + X[:, 1] // 3 + rng.integers(0, 2, 3000)) % 3
    ref = sklearn_fs.mutual_info_classif(X, y, discrete_features=True)
    for Xin in (X, X.astype(np.float64), X.astype(np.int8)):
        np.testing.assert_allclose(mutual_info_classif(Xin, y, discrete_features=True), ref,
                                   atol=ATOL, rtol=0)
    assert mutual_info_classif(X, y)[4] == 0.0  # integer X: "auto" means discrete
    np.testing.assert_allclose(mutual_info_classif(X, y, base=2), ref / math.log(2), atol=ATOL)


@pytest.mark.filterwarnings("ignore:Clustering metrics expects discrete values:UserWarning")
def test_classif_discrete_non_integer_and_wide_values(rng):
    X = rng.integers(0, 6, (800, 4)).astype(np.float64)
    X[:, 0] *= 0.25  # not integers: ranked by sorting
    X[:, 1] = X[:, 1] * 1e12  # integers of a range too wide for a dense grid
    X[:, 2] -= 2.5
    y = np.array(["a", "b", "c"])[(X[:, 3].astype(int) + rng.integers(0, 2, 800)) % 3]
    ref = sklearn_fs.mutual_info_classif(X, y, discrete_features=True)
    np.testing.assert_allclose(mutual_info_classif(X, y, discrete_features=True), ref, atol=ATOL)


def test_classif_counts_in_turns_when_the_table_is_large(rng, monkeypatch):
    from mlfoundations.information import _contingency
    X = rng.integers(0, 50, (600, 9))
    y = rng.integers(0, 4, 600)
    full = mutual_info_classif(X, y)
    monkeypatch.setattr(_contingency, "_MAX_CELLS", 250)  # one or two features per pass
    np.testing.assert_array_equal(mutual_info_classif(X, y), full)
    np.testing.assert_allclose(full, sklearn_fs.mutual_info_classif(X, y, discrete_features=True),
                               atol=ATOL)


@pytest.mark.parametrize("n_neighbors", [1, 3, 7])
def test_classif_continuous_features_match_sklearn(n_neighbors, rng):
    n = 600
    X = rng.standard_normal((n, 5))
    X[:, 2] *= 1e4
    # classes of more than 2k + 1 samples (see the next test for smaller ones)
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.7)
    y[3] = 11  # a class of one sample: left out by both
    ours = mutual_info_classif(X, y, n_neighbors=n_neighbors, rng=1)
    ref = sklearn_fs.mutual_info_classif(X, y, n_neighbors=n_neighbors, random_state=1)
    np.testing.assert_allclose(ours, ref, atol=KNN_ATOL, rtol=0)
    assert ours[0] > 0.2 and ours[3] < 0.05


@pytest.mark.parametrize("seed", range(6))
def test_estimators_equal_sklearns_on_the_same_jittered_data(seed):
    # The estimators proper, on identical input bits: equal to scikit-learn's to the
    # last digit, also for classes of at most 2k + 1 samples, where scikit-learn
    # measures distances by brute force as sqrt(x^2 - 2xy + y^2) and so do we.
    # (Through the public functions the jitter differs, and in such small classes the
    # rounding of that expansion -- hence the estimate -- depends on it.)
    private = pytest.importorskip("sklearn.feature_selection._mutual_info")
    from mlfoundations.information import _ksg
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 300))
    c, other = rng.standard_normal(n), rng.standard_normal(n) * 10.0 ** rng.uniform(-3, 3)
    labels = rng.integers(0, int(rng.integers(2, 30)), n)  # classes of 0 to ~40 samples
    uniques, codes = np.unique(labels, return_inverse=True)
    for k in (1, 2, 3, 5):
        assert _ksg.ross(c, codes.astype(np.intp), uniques.size, k) == pytest.approx(
            private._compute_mi_cd(c, labels, k), abs=1e-14)
        if k < n:
            assert _ksg.ksg(c, other, k) == pytest.approx(private._compute_mi_cc(c, other, k),
                                                          abs=1e-14)


def test_classif_mixed_features_by_mask_and_indices(rng):
    n = 500
    X = np.column_stack([rng.standard_normal(n), rng.integers(0, 4, n), rng.standard_normal(n),
                         rng.integers(0, 3, n)]).astype(float)
    y = (X[:, 1] + (X[:, 0] > 0)) % 3
    ref = sklearn_fs.mutual_info_classif(X, y, discrete_features=[1, 3], random_state=0)
    for mask in ([1, 3], [-3, -1], np.array([False, True, False, True])):
        np.testing.assert_allclose(mutual_info_classif(X, y, discrete_features=mask, rng=0), ref,
                                   atol=KNN_ATOL)
    # no discrete feature: the integer columns are then estimated as continuous (their
    # ties broken by the jitter, so the value depends on it)
    np.testing.assert_array_equal(mutual_info_classif(X, y, discrete_features=[], rng=0),
                                  mutual_info_classif(X, y, discrete_features=False, rng=0))


def test_classif_with_all_singleton_classes_is_zero(rng):
    X = rng.standard_normal((5, 2))
    np.testing.assert_array_equal(mutual_info_classif(X, np.arange(5), rng=0), [0.0, 0.0])


# ------------------------------------------------------------------ per feature: regression
@pytest.mark.parametrize("n_neighbors", [1, 3, 10])
def test_regression_matches_sklearn(n_neighbors, rng):
    n = 700
    X = rng.standard_normal((n, 4))
    X[:, 3] = rng.integers(0, 5, n)  # a discrete feature (Ross with y continuous)
    y = X[:, 0] + np.sin(3 * X[:, 1]) + 0.5 * X[:, 3] + 0.2 * rng.standard_normal(n)
    ours = mutual_info_regression(X, y, discrete_features=[3], n_neighbors=n_neighbors, rng=0)
    ref = sklearn_fs.mutual_info_regression(X, y, discrete_features=[3], n_neighbors=n_neighbors,
                                            random_state=0)
    np.testing.assert_allclose(ours, ref, atol=KNN_ATOL, rtol=0)
    assert ours[0] > 0.3 and ours[2] < ours[0] / 2


def test_continuous_pair_matches_sklearn_and_theory(rng):
    n = 3000
    x = rng.standard_normal(n)
    y = x + 0.5 * rng.standard_normal(n)
    ref = sklearn_fs.mutual_info_regression(x[:, None], y, random_state=0)[0]
    assert mutual_information(x, y, base=np.e, rng=0) == pytest.approx(ref, abs=KNN_ATOL)
    # a Gaussian pair with correlation rho: I = -log(1 - rho^2) / 2 = log(5) / 2
    assert mutual_information(x, y, base=np.e, rng=0) == pytest.approx(math.log(5) / 2, abs=0.05)
    # Ross's estimator both ways round
    labels = (x > 0.3).astype(int) + (x > -0.5)
    ref = sklearn_fs.mutual_info_classif(y[:, None], labels, random_state=0)[0]
    assert mutual_information(y, labels, base=np.e, rng=0) == pytest.approx(ref, abs=KNN_ATOL)
    assert mutual_information(labels, y, base=np.e, rng=0) == pytest.approx(ref, abs=KNN_ATOL)
    assert mutual_information(y, labels, discrete=(False, True), base=np.e, rng=0) == \
        pytest.approx(ref, abs=KNN_ATOL)


def test_independent_continuous_estimate_is_small_and_clipped_at_zero():
    rng = np.random.default_rng(11)
    values = [mutual_information(rng.standard_normal(1000), rng.standard_normal(1000),
                                 base=np.e, rng=0) for _ in range(10)]
    assert min(values) == 0.0  # the estimator's negative values are clipped
    assert max(values) < 0.05


def test_ties_are_broken_by_the_jitter_reproducibly():
    x = np.repeat(np.arange(10.0), 30)  # 30-fold ties
    y = x + np.tile(np.arange(30.0), 10) / 30
    a = mutual_information(x, y, rng=5)
    assert a == mutual_information(x, y, rng=np.random.default_rng(5))
    assert a > 1.0


# ------------------------------------------------------------------ errors
def test_errors():
    with pytest.raises(ValueError, match="x and y must have the same number of samples, got 3 and 2"):
        mutual_information([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="x and y are empty; need at least one sample"):
        mutual_information([], [])
    with pytest.raises(ValueError, match=r"x must be 1-D, got an array of shape \(2, 2\)"):
        mutual_information([[1, 2], [3, 4]], [1, 2])
    with pytest.raises(ValueError, match="y contains NaN"):
        mutual_information([1, 2, 3], [0.5, np.nan, 1.0])
    with pytest.raises(ValueError, match="discrete must be 'auto', a bool or a pair of bools, got 'yes'"):
        mutual_information([1, 2], [1, 2], discrete="yes")
    with pytest.raises(TypeError, match=r"discrete must be 'auto', a bool or a pair of bools, got \(1, 0\)"):
        mutual_information([1, 2], [1, 2], discrete=(1, 0))
    with pytest.raises(ValueError, match=r"n_neighbors=3 must be smaller than the number of samples \(3\)"):
        mutual_information([0.1, 0.2, 0.3], [0.3, 0.1, 0.2])
    with pytest.raises(ValueError, match="n_neighbors must be >= 1, got 0"):
        mutual_information([0.1, 0.2], [0.3, 0.1], n_neighbors=0)
    with pytest.raises(ValueError, match="x must hold numbers"):
        mutual_information(["a", "b"], [0.3, 0.1], discrete=False)
    with pytest.raises(ValueError, match="base must be a finite number > 0 and != 1, got 1"):
        mutual_information([1, 2], [1, 2], base=1)
    with pytest.raises(TypeError, match="rng must be None, an int seed or a numpy.random.Generator"):
        mutual_information([0.1, 0.2, 0.3, 0.4], [0.3, 0.1, 0.2, 0.0], rng="seed")
    with pytest.raises(ValueError, match="average_method must be one of"):
        normalized_mutual_information([1, 2], [1, 2], average_method="harmonic")
    with pytest.raises(ValueError, match="y and groups must have the same number of samples"):
        information_gain([0, 1], [0])
    with pytest.raises(TypeError, match="y holds labels that cannot be compared"):
        information_gain(np.array([1, "a", None], dtype=object), [0, 0, 1])


def test_feature_errors():
    X = np.zeros((4, 3))
    y = [0, 1, 0, 1]
    with pytest.raises(ValueError, match=r"X must be 2-D, got an array of shape \(4,\)"):
        mutual_info_classif(np.zeros(4), y)
    with pytest.raises(ValueError, match="X contains NaN"):
        mutual_info_classif(np.full((4, 3), np.nan), y)
    with pytest.raises(ValueError, match="X and y must have the same number of samples, got 4 and 3"):
        mutual_info_regression(X, [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"discrete_features as a boolean mask must have shape \(3,\), got \(2,\)"):
        mutual_info_classif(X, y, discrete_features=[True, False])
    with pytest.raises(ValueError, match=r"discrete_features holds the index 3, outside \[-3, 3\)"):
        mutual_info_classif(X, y, discrete_features=[0, 3])
    with pytest.raises(ValueError, match="discrete_features must be 'auto', a bool, a boolean mask"):
        mutual_info_classif(X, y, discrete_features="all")
    with pytest.raises(TypeError, match="discrete_features must be 'auto', a bool, a boolean mask or a 1-D array"):
        mutual_info_classif(X, y, discrete_features=[0.5])
    with pytest.raises(ValueError, match=r"n_neighbors=4 must be smaller than the number of samples \(4\)"):
        mutual_info_regression(X, [0.1, 0.2, 0.3, 0.4], n_neighbors=4)
    with pytest.raises(ValueError, match="y contains inf"):
        mutual_info_regression(X, [0.1, 0.2, 0.3, np.inf])
