"""The estimator contract: parameters, repr, fitted state, mixin scores, clone."""

import numpy as np
import pytest

from mlfoundations.base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    TransformerMixin,
    check_is_fitted,
)
from mlfoundations.exceptions import NotFittedError


class Mean(RegressorMixin, BaseEstimator):
    def __init__(self, shift=0.0, *, scale=1.0, inner=None):
        self.shift = shift
        self.scale = scale
        self.inner = inner

    def fit(self, X, y):
        self._validate_data(X, reset=True)
        self.mean_ = np.mean(y) * self.scale + self.shift
        return self

    def predict(self, X):
        X = self._validate_data(X, reset=False)
        return np.full(X.shape[0], self.mean_)


class Majority(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        values, counts = np.unique(y, return_counts=True)
        self.label_ = values[counts.argmax()]
        return self

    def predict(self, X):
        return np.full(len(X), self.label_)


class Double(TransformerMixin, BaseEstimator):
    def fit(self, X, y=None):
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def transform(self, X):
        return 2 * np.asarray(X, dtype=float)


def test_get_set_params_and_repr():
    est = Mean(1.0, inner=Mean(scale=3.0))
    params = est.get_params()
    assert params["shift"] == 1.0 and params["inner__scale"] == 3.0
    assert "inner__scale" not in est.get_params(deep=False)
    est.set_params(scale=2.0, inner__shift=5.0)
    assert est.scale == 2.0 and est.inner.shift == 5.0
    with pytest.raises(ValueError, match="Invalid parameter 'nope' for estimator Mean"):
        est.set_params(nope=1)
    assert repr(Mean()) == "Mean()"
    assert repr(Mean(2.0)) == "Mean(shift=2.0)"


def test_fitted_state_and_feature_checks():
    est = Mean()
    with pytest.raises(NotFittedError, match="Mean instance is not fitted"):
        check_is_fitted(est)
    with pytest.raises(AttributeError):  # NotFittedError is also an AttributeError
        est.predict(np.ones((2, 2)))
    X, y = np.ones((4, 3)), np.arange(4.0)
    est.fit(X, y)
    check_is_fitted(est)
    assert est.n_features_in_ == 3
    with pytest.raises(ValueError, match="X has 2 features, but Mean is expecting 3 features"):
        est.predict(np.ones((1, 2)))


def test_dataframe_feature_names():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [0.0, 1.0, 0.0]})
    est = Mean().fit(df, [1.0, 2.0, 3.0])
    assert list(est.feature_names_in_) == ["a", "b"]
    with pytest.raises(ValueError, match="feature names should match"):
        est.predict(df[["b", "a"]])
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        est.predict(df.to_numpy())


def test_mixin_scores_match_sklearn_metrics():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 2)), rng.normal(size=20)
    est = Mean(shift=0.3).fit(X, y)
    assert est.score(X, y) == pytest.approx(metrics.r2_score(y, est.predict(X)), rel=1e-12)
    w = rng.uniform(size=20)
    assert est.score(X, y, sample_weight=w) == pytest.approx(
        metrics.r2_score(y, est.predict(X), sample_weight=w), rel=1e-12
    )
    labels = np.array([0, 1, 1, 1, 0, 1])
    clf = Majority().fit(np.zeros((6, 1)), labels)
    assert clf.score(np.zeros((6, 1)), labels) == pytest.approx(4 / 6)
    assert np.array_equal(Double().fit_transform([[1.0, 2.0]]), [[2.0, 4.0]])


def test_sklearn_clone_and_tags():
    base = pytest.importorskip("sklearn.base")
    from sklearn.utils import get_tags

    est = Mean(2.0, scale=3.0)
    cloned = base.clone(est)
    assert cloned is not est and cloned.get_params() == est.get_params()
    assert get_tags(Mean()).estimator_type == "regressor"
    assert get_tags(Majority()).estimator_type == "classifier"
    assert get_tags(Double()).transformer_tags is not None
    assert base.is_regressor(Mean()) and base.is_classifier(Majority())


def test_not_fitted_error_is_sklearns_when_sklearn_is_loaded():
    import sklearn.exceptions

    from mlfoundations.exceptions import not_fitted_error

    err = not_fitted_error("not fitted")
    assert isinstance(err, NotFittedError) and isinstance(err, sklearn.exceptions.NotFittedError)
    assert isinstance(err, ValueError) and isinstance(err, AttributeError)
    assert type(not_fitted_error("again")) is type(err)  # one class, made once
