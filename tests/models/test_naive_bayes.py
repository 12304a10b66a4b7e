"""Naive Bayes against scikit-learn's (the reference), the textbook's worked examples
and its own identities.

Tolerances: attributes and joint log-probabilities to rtol 1e-10; log-posteriors to
atol 1e-10 (an absolute error on log P is a relative error on P) or rtol 1e-10 for
those of hopeless classes (log P ~ -1e8, whose own rounding is 1e-8); posteriors to
rtol 1e-10 (atol 1e-300 only so that subnormal probabilities, which carry few
digits, do not count).
"""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from mlfoundations.datasets import load_digits, load_iris
from mlfoundations.exceptions import NotFittedError
from mlfoundations.exceptions import DataConversionWarning
from mlfoundations.models.naive_bayes import BernoulliNB, GaussianNB, MultinomialNB

sk_nb = pytest.importorskip("sklearn.naive_bayes")
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

RTOL = 1e-10
GAUSSIAN_ATTRIBUTES = ("class_count_", "class_prior_", "theta_", "var_", "epsilon_")
DISCRETE_ATTRIBUTES = ("class_count_", "feature_count_", "class_log_prior_", "feature_log_prob_")


def sklearn_twin(estimator):
    """The scikit-learn estimator of the same name and hyperparameters."""
    return getattr(sk_nb, type(estimator).__name__)(**estimator.get_params())


def attributes_of(estimator):
    return GAUSSIAN_ATTRIBUTES if isinstance(estimator, GaussianNB) else DISCRETE_ATTRIBUTES


def assert_same_model(ours, theirs, rtol=RTOL):
    assert_array_equal(ours.classes_, theirs.classes_)
    assert ours.n_features_in_ == theirs.n_features_in_
    for name in attributes_of(ours):
        assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=rtol, err_msg=name)


def assert_same_predictions(ours, theirs, X):
    assert_allclose(
        ours.predict_joint_log_proba(X), theirs.predict_joint_log_proba(X), rtol=RTOL
    )
    log_p = ours.predict_log_proba(X)
    assert_allclose(log_p, theirs.predict_log_proba(X), rtol=RTOL, atol=1e-10)
    p = ours.predict_proba(X)
    assert_allclose(p, theirs.predict_proba(X), rtol=RTOL, atol=1e-300)
    assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    assert_array_equal(ours.predict(X), theirs.predict(X))


def fit_both(estimator, X, y, **fit_params):
    ours = estimator.fit(X, y, **fit_params)
    theirs = sklearn_twin(estimator).fit(X, y, **fit_params)
    assert_same_model(ours, theirs)
    return ours, theirs


def counts(rng, n_samples, n_features, n_classes):
    """Poisson word counts whose rates differ by class."""
    y = rng.integers(n_classes, size=n_samples)
    rates = rng.gamma(1.0, 2.0, size=(n_classes, n_features))
    return rng.poisson(rates[y]).astype(float), y


# --- agreement with scikit-learn --------------------------------------------------------
@pytest.mark.parametrize("params", [{}, {"var_smoothing": 1e-3}, {"priors": [0.5, 0.3, 0.2]}])
def test_gaussian_iris_matches_sklearn(params):
    X, y = load_iris()
    ours, theirs = fit_both(GaussianNB(**params), X, y)
    assert_same_predictions(ours, theirs, X)
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y), abs=0)


@pytest.mark.parametrize("shape", [(50, 3), (400, 20), (7, 1)])
@pytest.mark.parametrize("n_classes", [1, 2, 5])
def test_gaussian_random_data_matches_sklearn(rng, shape, n_classes):
    X = rng.standard_normal(shape) * rng.uniform(0.01, 100, size=shape[1]) + 3.0
    y = rng.integers(n_classes, size=shape[0])
    y[:n_classes] = np.arange(n_classes)  # every class present
    ours, theirs = fit_both(GaussianNB(), X, y)
    X_test = rng.standard_normal((30, shape[1])) * 50
    assert_same_predictions(ours, theirs, X_test)


@pytest.mark.parametrize(
    "estimator", [MultinomialNB(), MultinomialNB(alpha=0.3, fit_prior=False), BernoulliNB(),
                  BernoulliNB(binarize=7.5, alpha=2.0)],
    ids=repr,
)
def test_discrete_digits_matches_sklearn(estimator):
    X, y = load_digits()
    ours, theirs = fit_both(estimator, X, y)
    assert_same_predictions(ours, theirs, X)


def test_bernoulli_already_binary_matches_sklearn(rng):
    X = (rng.random((200, 12)) < rng.random(12)).astype(float)
    y = rng.integers(3, size=200)
    ours, theirs = fit_both(BernoulliNB(binarize=None, alpha=0.5), X, y)
    assert_same_predictions(ours, theirs, X)


@pytest.mark.parametrize("cls", [MultinomialNB, BernoulliNB])
@pytest.mark.parametrize("class_prior", [None, [0.2, 0.3, 0.1, 0.4]])
def test_discrete_random_counts_match_sklearn(rng, cls, class_prior):
    X, y = counts(rng, 300, 40, 4)
    ours, theirs = fit_both(cls(class_prior=class_prior), X, y)
    assert_same_predictions(ours, theirs, counts(rng, 50, 40, 4)[0])


def test_multinomial_alpha_per_feature_matches_sklearn(rng):
    X, y = counts(rng, 100, 6, 3)
    alpha = np.array([0.1, 1.0, 2.0, 0.5, 3.0, 1e-3])
    ours, theirs = fit_both(MultinomialNB(alpha=alpha), X, y)
    assert_same_predictions(ours, theirs, X)


@pytest.mark.parametrize(
    "estimator", [GaussianNB(), MultinomialNB(), BernoulliNB(binarize=1.0)], ids=repr
)
def test_sample_weight_matches_sklearn(rng, estimator):
    X, y = counts(rng, 120, 5, 3)
    w = rng.uniform(0, 3, size=120)
    w[::7] = 0.0
    ours, theirs = fit_both(estimator, X, y, sample_weight=w)
    assert_same_predictions(ours, theirs, X)
    # integer weights are repetitions of the samples (epsilon_ aside, which uses the
    # unweighted spread of X, as scikit-learn's does)
    k = rng.integers(0, 3, size=120)
    k[:3] = 1
    params = estimator.get_params()
    repeated = type(estimator)(**params).fit(np.repeat(X, k, axis=0), np.repeat(y, k))
    weighted = type(estimator)(**params).fit(X, y, sample_weight=k)
    for name in set(attributes_of(estimator)) - {"var_", "epsilon_"}:
        assert_allclose(getattr(weighted, name), getattr(repeated, name), rtol=1e-12, err_msg=name)
    if isinstance(estimator, GaussianNB):
        sigma2 = weighted.var_ - weighted.epsilon_
        assert_allclose(sigma2, repeated.var_ - repeated.epsilon_, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("estimator", [GaussianNB(), MultinomialNB(), BernoulliNB()], ids=repr)
def test_string_labels_match_sklearn(rng, estimator):
    X, y_int = counts(rng, 90, 4, 3)
    names = np.array(["virginica", "setosa", "versicolor"])
    y = names[y_int]
    ours, theirs = fit_both(estimator, X, y)
    assert_array_equal(ours.classes_, ["setosa", "versicolor", "virginica"])
    assert ours.predict(X).dtype.kind == "U"
    assert_same_predictions(ours, theirs, X)
    # object arrays and lists of str are the same labels
    assert_array_equal(type(estimator)().fit(X, list(y)).predict(X), ours.predict(X))
    assert_array_equal(type(estimator)().fit(X, y.astype(object)).predict(X), ours.predict(X))


@pytest.mark.parametrize("estimator", [GaussianNB(), MultinomialNB(), BernoulliNB()], ids=repr)
def test_single_feature_matches_sklearn(rng, estimator):
    X, y = counts(rng, 60, 1, 2)
    ours, theirs = fit_both(estimator, X, y)
    assert_same_predictions(ours, theirs, np.arange(10.0)[:, None])


def test_feature_names_in_from_dataframe(rng):
    pd = pytest.importorskip("pandas")
    X, y = load_iris()
    df = pd.DataFrame(X, columns=["sl", "sw", "pl", "pw"])
    ours, theirs = fit_both(GaussianNB(), df, y)
    assert_array_equal(ours.feature_names_in_, theirs.feature_names_in_)
    assert_same_predictions(ours, theirs, df)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        ours.predict(X)


# --- log space ---------------------------------------------------------------------------
def test_gaussian_extreme_log_likelihoods_do_not_underflow(rng):
    # tight classes, test points far away: log P(c, x) ~ -1e4 for every class, so
    # exp() of each is 0 and the naive P(c, x) / sum_k P(k, x) would be 0/0. (Scores
    # are kept below ~1e5 in size: beyond, their own rounding, ulp(|a|) > 1e-11,
    # already exceeds the 1e-10 we compare the log-posteriors to.)
    X = np.concatenate([rng.normal(0, 0.1, (20, 3)), rng.normal(1, 0.1, (20, 3))])
    y = np.repeat([0, 1], 20)
    X_far = rng.normal(8, 3, size=(10, 3))
    ours, theirs = fit_both(GaussianNB(), X, y)
    jll = ours.predict_joint_log_proba(X_far)
    assert -1e5 < jll.min() and jll.max() < -1e3 and np.all(np.exp(jll) == 0.0)
    assert_same_predictions(ours, theirs, X_far)
    p = ours.predict_proba(X_far)
    assert np.all(np.isfinite(p)) and np.all(p.max(axis=1) > 0.5)


def test_multinomial_extreme_log_likelihoods_do_not_underflow(rng):
    X, y = counts(rng, 100, 10, 3)
    ours, theirs = fit_both(MultinomialNB(), X, y)
    X_big = counts(rng, 20, 10, 3)[0] * 300  # documents of ~1e4 words
    jll = ours.predict_joint_log_proba(X_big)
    assert -1e5 < jll.min() and jll.max() < -1e3 and np.all(np.exp(jll) == 0.0)
    assert_same_predictions(ours, theirs, X_big)


def test_log_posterior_is_log_of_posterior(rng):
    X, y = counts(rng, 80, 5, 3)
    for estimator in (GaussianNB(), MultinomialNB(), BernoulliNB()):
        estimator.fit(X, y)
        p = estimator.predict_proba(X)
        assert_allclose(np.exp(estimator.predict_log_proba(X)), p, rtol=1e-15)
        # Bayes' rule: posterior ratios are joint-probability ratios
        jll = estimator.predict_joint_log_proba(X)
        log_p = estimator.predict_log_proba(X)
        assert_allclose(log_p - log_p[:, :1], jll - jll[:, :1], atol=1e-12)


# --- partial_fit -------------------------------------------------------------------------
def chunks(n, n_chunks, rng):
    cuts = np.sort(rng.choice(np.arange(1, n), size=n_chunks - 1, replace=False))
    return np.split(np.arange(n), cuts)


@pytest.mark.parametrize("estimator", [GaussianNB(), MultinomialNB(), BernoulliNB()], ids=repr)
@pytest.mark.parametrize("weighted", [False, True])
def test_partial_fit_in_chunks_equals_fit(rng, estimator, weighted):
    X, y = counts(rng, 300, 6, 4)
    X = X + (rng.standard_normal(X.shape) if isinstance(estimator, GaussianNB) else 0)
    w = rng.uniform(0.1, 2.0, 300) if weighted else None
    full = type(estimator)().fit(X, y, sample_weight=w)
    online = type(estimator)()
    for rows in chunks(300, 7, rng):
        online.partial_fit(X[rows], y[rows], classes=[0, 1, 2, 3],
                           sample_weight=None if w is None else w[rows])
    for name in attributes_of(estimator):
        assert_allclose(getattr(online, name), getattr(full, name), rtol=RTOL, err_msg=name)
    assert_allclose(online.predict_proba(X), full.predict_proba(X), rtol=1e-9)


@pytest.mark.parametrize("estimator", [MultinomialNB(), BernoulliNB()], ids=repr)
def test_discrete_partial_fit_matches_sklearn_chunk_by_chunk(rng, estimator):
    X, y = counts(rng, 200, 8, 3)
    ours, theirs = estimator, sklearn_twin(estimator)
    # a class absent from the first chunk: its count stays 0 until it appears
    order = np.argsort(y == 2, kind="stable")
    X, y = X[order], y[order]
    for rows in np.array_split(np.arange(200), 4):
        ours.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
        theirs.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
        assert_same_model(ours, theirs)
    assert_same_predictions(ours, theirs, X)


def test_gaussian_partial_fit_against_sklearn(rng):
    X = rng.standard_normal((200, 4)) * [1.0, 10.0, 0.1, 3.0]
    X[160:] *= 0.5  # a last chunk of smaller spread: its epsilon differs from the whole's
    y = rng.integers(3, size=200)
    # one call is exactly scikit-learn's fit
    ours = GaussianNB().partial_fit(X, y, classes=[0, 1, 2])
    theirs = sk_nb.GaussianNB().partial_fit(X, y, classes=[0, 1, 2])
    assert_same_model(ours, theirs)
    # several calls: the same means; variances differ by O(var_smoothing * max Var),
    # as scikit-learn takes epsilon_ from the last chunk and we from all the data
    ours, theirs = GaussianNB(), sk_nb.GaussianNB()
    for rows in np.array_split(np.arange(200), 5):
        ours.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
        theirs.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
    assert_allclose(ours.theta_, theirs.theta_, rtol=RTOL)
    assert_allclose(ours.class_count_, theirs.class_count_, rtol=0)
    scale = 1e-9 * X.var(axis=0).max()
    assert_allclose(ours.var_, theirs.var_, rtol=0, atol=10 * scale)
    assert theirs.epsilon_ == pytest.approx(1e-9 * X[160:].var(axis=0).max(), rel=1e-12)
    assert ours.epsilon_ == pytest.approx(1e-9 * X.var(axis=0).max(), rel=1e-12)


@given(st.integers(0, 2**32 - 1), st.integers(2, 12))
def test_gaussian_chunk_boundaries_do_not_matter(seed, n_chunks):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((60, 3)) * rng.uniform(0.1, 10, 3) + rng.uniform(-1e3, 1e3, 3)
    y = rng.integers(3, size=60)
    full = GaussianNB().fit(X, y)
    online = GaussianNB()
    for rows in chunks(60, n_chunks, rng):
        online.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
    classes_seen = np.isin([0, 1, 2], y)
    assert_allclose(online.theta_[classes_seen], full.theta_, rtol=1e-10, atol=1e-12)
    assert_allclose(online.var_[classes_seen], full.var_, rtol=1e-9)


def test_partial_fit_continues_a_fit(rng):
    X, y = counts(rng, 100, 5, 2)
    a = MultinomialNB().fit(X[:60], y[:60]).partial_fit(X[60:], y[60:])
    b = MultinomialNB().fit(X, y)
    assert_allclose(a.feature_count_, b.feature_count_, rtol=1e-14)


# --- the formulas, by hand ------------------------------------------------------------
# Manning, Raghavan & Schütze (2008), Examples 13.1 and 13.2: vocabulary
# (Chinese, Beijing, Shanghai, Macao, Tokyo, Japan); d1-d3 in class "china", d4 not.
IIR_X = np.array(
    [[2, 1, 0, 0, 0, 0], [2, 0, 1, 0, 0, 0], [1, 0, 0, 1, 0, 0], [1, 0, 0, 0, 1, 1]], float
)
IIR_Y = np.array(["china", "china", "china", "not"])
IIR_D5 = np.array([[3, 0, 0, 0, 1, 1]], float)


def test_multinomial_textbook_example_13_1():
    clf = MultinomialNB().fit(IIR_X, IIR_Y)
    # P(Chinese|c) = 6/14, P(Tokyo|c) = P(Japan|c) = 1/14; P(t|not) = 2/9 for those three
    theta = np.exp(clf.feature_log_prob_[:, [0, 4, 5]])
    assert_allclose(theta, [[3 / 7, 1 / 14, 1 / 14], [2 / 9, 2 / 9, 2 / 9]], rtol=1e-15)
    joint = np.exp(clf.predict_joint_log_proba(IIR_D5))[0]
    expected = [3 / 4 * (3 / 7) ** 3 * (1 / 14) ** 2, 1 / 4 * (2 / 9) ** 5]  # ~0.0003, ~0.0001
    assert_allclose(joint, expected, rtol=1e-13)
    assert clf.predict(IIR_D5)[0] == "china"


def test_bernoulli_textbook_example_13_2():
    clf = BernoulliNB().fit(IIR_X, IIR_Y)
    p_china = [4 / 5, 2 / 5, 2 / 5, 2 / 5, 1 / 5, 1 / 5]
    p_not = [2 / 3, 1 / 3, 1 / 3, 1 / 3, 2 / 3, 2 / 3]
    assert_allclose(np.exp(clf.feature_log_prob_), [p_china, p_not], rtol=1e-15)
    joint = np.exp(clf.predict_joint_log_proba(IIR_D5))[0]
    expected = [3 / 4 * 4 / 5 * 1 / 5 * 1 / 5 * (3 / 5) ** 3, 1 / 4 * (2 / 3) ** 3 * (2 / 3) ** 3]
    assert_allclose(joint, expected, rtol=1e-13)  # ~0.005 and ~0.022
    assert clf.predict(IIR_D5)[0] == "not"


def test_gaussian_parameters_are_class_moments(rng):
    X = rng.standard_normal((90, 3))
    y = rng.integers(3, size=90)
    clf = GaussianNB(var_smoothing=0.0).fit(X, y)
    for c in range(3):
        assert_allclose(clf.theta_[c], X[y == c].mean(axis=0), rtol=1e-14)
        assert_allclose(clf.var_[c], X[y == c].var(axis=0), rtol=1e-13)
    x = X[:1]
    normal_logpdf = -0.5 * (np.log(2 * np.pi * clf.var_) + (x - clf.theta_) ** 2 / clf.var_)
    expected = np.log(clf.class_prior_) + normal_logpdf.sum(axis=1)
    assert_allclose(clf.predict_joint_log_proba(x)[0], expected, rtol=1e-13)


def test_zero_probabilities_follow_0_log_0_convention():
    # alpha = 0: feature 2 never occurs in class 0, so P(x_2 > 0 | 0) = 0 exactly, while a
    # sample without feature 2 is unaffected (0 log 0 = 0) rather than NaN
    X = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 0.0], [0.0, 1.0, 4.0], [1.0, 0.0, 2.0]])
    clf = MultinomialNB(alpha=0.0).fit(X, [0, 0, 1, 1])
    p = clf.predict_proba([[1.0, 1.0, 1.0], [2.0, 1.0, 0.0]])
    assert_array_equal(p[0], [0.0, 1.0])
    theta = clf.feature_count_ / clf.feature_count_.sum(axis=1, keepdims=True)
    joint = np.log(0.5) + np.log(theta[:, :2]) @ [2.0, 1.0]
    assert_allclose(np.log(p[1]), joint - np.logaddexp.reduce(joint), rtol=1e-13)
    # an impossible class (prior 0) stays impossible
    clf = BernoulliNB(class_prior=[0.0, 1.0]).fit(X, [0, 0, 1, 1])
    assert_array_equal(clf.predict_proba(X)[:, 0], 0.0)


# --- scikit-learn's estimator contract ----------------------------------------------------
@parametrize_with_checks([GaussianNB(), MultinomialNB(), BernoulliNB()])
def test_sklearn_check_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", [GaussianNB(), MultinomialNB(), BernoulliNB()], ids=repr)
def test_unfitted_raises(estimator):
    for method in ("predict", "predict_proba", "predict_log_proba", "predict_joint_log_proba"):
        with pytest.raises(NotFittedError, match="not fitted"):
            getattr(estimator, method)(np.ones((2, 3)))


# --- errors ------------------------------------------------------------------------------
def test_multinomial_rejects_negative_counts():
    X = np.array([[1.0, 2.0], [0.0, -1.5]])
    msg = r"Negative values in data passed to MultinomialNB \(input X\).*minimum of -1.5"
    with pytest.raises(ValueError, match=msg):
        MultinomialNB().fit(X, [0, 1])
    with pytest.raises(ValueError, match=msg):
        MultinomialNB().partial_fit(X, [0, 1], classes=[0, 1])
    clf = MultinomialNB().fit(np.abs(X), [0, 1])
    with pytest.raises(ValueError, match=msg):
        clf.predict(X)


@pytest.mark.parametrize("estimator", [GaussianNB(), MultinomialNB(), BernoulliNB()], ids=repr)
def test_wrong_number_of_features_at_predict(estimator):
    X, y = load_iris()
    estimator.fit(X, y)
    name = type(estimator).__name__
    for method in ("predict", "predict_proba", "predict_log_proba", "predict_joint_log_proba"):
        match = f"X has 3 features, but {name} is expecting 4 features"
        with pytest.raises(ValueError, match=match):
            getattr(estimator, method)(X[:, :3])
    with pytest.raises(ValueError, match=f"X has 5 features, but {name} is expecting 4"):
        estimator.partial_fit(np.ones((2, 5)), [0, 1])


@pytest.mark.parametrize(
    "estimator, name",
    [(GaussianNB(priors=[0.5, 0.6, 0.1]), "priors"),
     (MultinomialNB(class_prior=[0.2, 0.2, 0.2]), "class_prior"),
     (BernoulliNB(class_prior=[1.0, 1.0, 1.0]), "class_prior")],
    ids=repr,
)
def test_priors_must_sum_to_one(estimator, name):
    X, y = load_iris()
    with pytest.raises(ValueError, match=f"The sum of the priors should be 1: {name} sums to"):
        estimator.fit(X, y)


@pytest.mark.parametrize("estimator", [GaussianNB(), MultinomialNB(), BernoulliNB()], ids=repr)
def test_nan_and_inf_input(estimator):
    X, y = load_iris()
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        estimator.fit(bad, y)
    estimator.fit(X, y)
    with pytest.raises(ValueError, match="X contains NaN"):
        estimator.predict_proba(bad)
    bad[3, 1] = np.inf
    with pytest.raises(ValueError, match="X contains inf"):
        estimator.predict(bad)
    with pytest.raises(ValueError, match="Input y contains NaN"):
        type(estimator)().fit(X, np.where(y == 1, np.nan, y))


@pytest.mark.parametrize(
    "params, fit_kwargs, error, match",
    [
        ({"priors": [0.5, 0.5]}, {}, ValueError, "priors has 2 entries for 3 classes"),
        ({"priors": [1.2, -0.1, -0.1]}, {}, ValueError, "Priors must be non-negative"),
        ({"priors": [0.5, np.nan, 0.5]}, {}, ValueError, "priors contains NaN"),
        ({"var_smoothing": -1.0}, {}, ValueError, r"var_smoothing must be finite and >= 0"),
        ({"var_smoothing": "tiny"}, {}, TypeError, "var_smoothing must be a real number"),
        ({}, {"sample_weight": np.ones(7)}, ValueError, "sample_weight has 7 entries but X has"),
        ({}, {"sample_weight": -np.ones(150)}, ValueError, "sample_weight must be non-negative"),
        ({}, {"sample_weight": np.zeros(150)}, ValueError, "sample_weight is zero for every"),
    ],
)
def test_gaussian_bad_parameters(params, fit_kwargs, error, match):
    X, y = load_iris()
    clf = GaussianNB(**params)  # constructing never validates (scikit-learn's contract)
    with pytest.raises(error, match=match):
        clf.fit(X, y, **fit_kwargs)


@pytest.mark.parametrize(
    "cls, params, error, match",
    [
        (MultinomialNB, {"alpha": -0.5}, ValueError, "alpha must be finite and >= 0, got -0.5"),
        (MultinomialNB, {"alpha": [1.0, 2.0]}, ValueError, "alpha has 2 entries but X has 4"),
        (BernoulliNB, {"alpha": [1, -1, 1, 1]}, ValueError, "All values in alpha must be >= 0"),
        (MultinomialNB, {"fit_prior": "yes"}, TypeError, "fit_prior must be True or False"),
        (BernoulliNB, {"force_alpha": None}, TypeError, "force_alpha must be True or False"),
        (BernoulliNB, {"binarize": -1.0}, ValueError, "binarize must be finite and >= 0"),
        (BernoulliNB, {"binarize": None}, ValueError, r"binarize=None needs X with values in \[0"),
        (MultinomialNB, {"class_prior": [0.5, 0.5]}, ValueError, "class_prior has 2 entries for 3"),
    ],
)
def test_discrete_bad_parameters(cls, params, error, match):
    X, y = load_iris()
    with pytest.raises(error, match=match):
        cls(**params).fit(X, y)


def test_force_alpha_false_raises_tiny_alpha_with_warning(rng):
    X, y = counts(rng, 50, 4, 2)
    with pytest.warns(UserWarning, match="raised to 1e-10"):
        ours = MultinomialNB(alpha=0.0, force_alpha=False).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        theirs = sk_nb.MultinomialNB(alpha=0.0, force_alpha=False).fit(X, y)
    assert_same_model(ours, theirs)


@pytest.mark.parametrize(
    "y, match",
    [
        (np.linspace(0, 1, 150), "Unknown label type: continuous"),
        (np.array(["a", 1] * 75, dtype=object), r"Mix of label input types \(string and number\)"),
        (np.zeros((150, 2)), r"y should be a 1d array, got an array of shape \(150, 2\)"),
        (np.zeros(149), "X has 150 samples but y has 149"),
        (None, "GaussianNB requires y to be passed, but the target y is None"),
    ],
)
def test_bad_labels(y, match):
    X, _ = load_iris()
    with pytest.raises(ValueError, match=match):
        GaussianNB().fit(X, y)


def test_column_vector_y_warns_and_is_flattened():
    X, y = load_iris()
    with pytest.warns(DataConversionWarning, match="A column-vector y was passed"):
        clf = GaussianNB().fit(X, y[:, None])
    assert_array_equal(clf.predict(X), GaussianNB().fit(X, y).predict(X))


def test_partial_fit_class_bookkeeping(rng):
    X, y = counts(rng, 40, 3, 3)
    with pytest.raises(ValueError, match="classes must be passed on the first call to partial_fit"):
        GaussianNB().partial_fit(X, y)
    clf = MultinomialNB().partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match=r"classes=\[0, 1\] is not the same as on the last call"):
        clf.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=r"The target label\(s\) \[7\] in y do not exist"):
        clf.partial_fit(X[:2], [0, 7])


def test_undefined_likelihood_raises_instead_of_nan():
    # var_smoothing = 0 and a feature constant within a class: a zero variance
    X = np.array([[1.0, 0.0], [1.0, 1.0], [2.0, 5.0], [3.0, 6.0]])
    clf = GaussianNB(var_smoothing=0.0).fit(X, [0, 0, 1, 1])
    with pytest.raises(ValueError, match=r"classes \[0\] is undefined \(NaN\).*var_smoothing > 0"):
        clf.predict_proba(X)
    # alpha = 0 and a class with no counts at all: theta = 0/0
    clf = MultinomialNB(alpha=0.0, class_prior=[0.5, 0.5])
    clf.partial_fit(X[:2], [0, 0], classes=[0, 1])
    with pytest.raises(ValueError, match=r"classes \[1\] is undefined.*use alpha > 0"):
        clf.predict(X)
    # alpha = 0 and a sample whose features are impossible in every class
    X = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    clf = MultinomialNB(alpha=0.0).fit(X, [0, 1])
    with pytest.raises(ValueError, match=r"sample\(s\) \[0\] have probability zero under every"):
        clf.predict_proba([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
