"""ElasticNet, enet_path and ElasticNetCV against scikit-learn (the reference) and the
optimality conditions of the elastic net.

Tolerances as in test_lasso.py: coefficients to atol 1e-6 and objectives to rtol 1e-10
against scikit-learn at tol=1e-10; Gram-path CV errors to rtol 1e-10; KKT conditions to
1e-6 relative.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from mlfoundations.models import ElasticNet, ElasticNetCV, Lasso, enet_path

sk_linear = pytest.importorskip("sklearn.linear_model")
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

TIGHT = dict(tol=1e-10, max_iter=100_000)


def objective(X, y, coef, intercept, alpha, l1_ratio, sample_weight=None):
    r = y - X @ coef - intercept
    w = np.ones_like(y) if sample_weight is None else sample_weight
    return (0.5 * np.sum(w * r * r) / w.sum() + alpha * l1_ratio * np.abs(coef).sum()
            + 0.5 * alpha * (1.0 - l1_ratio) * coef @ coef)


def sk_fit(name, X, y, sample_weight=None, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return getattr(sk_linear, name)(**params).fit(X, y, sample_weight=sample_weight)


def problem(n, p, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) @ np.diag(rng.uniform(0.5, 3.0, p)) + 1.5
    X[:, 1] = X[:, 0] + 0.05 * rng.standard_normal(n)  # a correlated pair, where L2 matters
    y = X[:, :4] @ np.array([1.5, 1.0, -2.0, 0.7]) + rng.standard_normal(n) - 2.0
    return X, y, rng.uniform(0.2, 2.0, n)


@pytest.mark.parametrize("l1_ratio", [0.1, 0.5, 0.9])
@pytest.mark.parametrize("shape", [(100, 12), (30, 70)], ids=["tall", "wide"])
@pytest.mark.parametrize(
    "params",
    [{}, {"precompute": False}, {"precompute": True}, {"positive": True}, {"fit_intercept": False}],
    ids=["auto", "residual", "gram", "positive", "no-intercept"],
)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_matches_sklearn(l1_ratio, shape, params, weighted):
    X, y, sw = problem(*shape)
    sw = sw if weighted else None
    alpha = 0.2
    ours = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **params, **TIGHT).fit(X, y, sample_weight=sw)
    sk_params = {k: v for k, v in params.items() if k != "precompute"}
    theirs = sk_fit("ElasticNet", X, y, sw, alpha=alpha, l1_ratio=l1_ratio, **sk_params, **TIGHT)
    assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-6)
    f_ours = objective(X, y, ours.coef_, ours.intercept_, alpha, l1_ratio, sw)
    f_theirs = objective(X, y, theirs.coef_, theirs.intercept_, alpha, l1_ratio, sw)
    assert f_ours == pytest.approx(f_theirs, rel=1e-10)
    assert ours.dual_gap_ >= 0


def test_l1_ratio_one_is_the_lasso_and_zero_is_ridge():
    X, y, _ = problem(60, 8)
    enet = ElasticNet(alpha=0.1, l1_ratio=1.0, **TIGHT).fit(X, y)
    lasso = Lasso(alpha=0.1, **TIGHT).fit(X, y)
    assert_allclose(enet.coef_, lasso.coef_, rtol=0, atol=0)
    # l1_ratio = 0: (1/2n)|r|^2 + alpha/2 |w|^2, i.e. ridge with penalty n alpha
    ridge = ElasticNet(alpha=0.1, l1_ratio=0.0, **TIGHT).fit(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    exact = np.linalg.solve(Xc.T @ Xc + 0.1 * len(y) * np.eye(8), Xc.T @ yc)
    assert_allclose(ridge.coef_, exact, rtol=1e-8)


@pytest.mark.parametrize("l1_ratio", [0.2, 0.8])
def test_kkt_conditions(l1_ratio):
    X, y, _ = problem(80, 30, seed=3)
    alpha = 0.3
    model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-9, max_iter=10_000).fit(X, y)
    n = len(y)
    # x_j . r / n - alpha (1 - l1_ratio) w_j = alpha l1_ratio sign(w_j) (w_j != 0), |.| <= (w_j = 0)
    g = (X - X.mean(axis=0)).T @ (y - model.predict(X)) / n - alpha * (1 - l1_ratio) * model.coef_
    active = model.coef_ != 0
    assert active.any() and not active.all()
    bound = alpha * l1_ratio
    assert_allclose(g[active], bound * np.sign(model.coef_[active]), atol=1e-6 * bound)
    assert np.all(np.abs(g[~active]) <= bound * (1 + 1e-6))


@pytest.mark.parametrize("shape", [(100, 12), (30, 70)], ids=["tall", "wide"])
@pytest.mark.parametrize("l1_ratio", [0.1, 0.5, 0.9])
def test_enet_path_matches_sklearn(shape, l1_ratio):
    X, y, _ = problem(*shape, seed=4)
    ours = enet_path(X, y, l1_ratio=l1_ratio, n_alphas=20, **TIGHT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        theirs = sk_linear.enet_path(X, y, l1_ratio=l1_ratio, alphas=20, **TIGHT)
    assert_allclose(ours[0], theirs[0], rtol=1e-12)
    assert_allclose(ours[1], theirs[1], atol=1e-6)


def test_enet_path_grid_needs_l1():
    X, y, _ = problem(20, 4)
    with pytest.raises(ValueError, match="automatic alpha grid needs l1_ratio > 0"):
        enet_path(X, y, l1_ratio=0.0)
    alphas, coefs, _ = enet_path(X, y, l1_ratio=0.0, alphas=[1.0, 0.1])
    assert coefs.shape == (4, 2)


@pytest.mark.parametrize("l1_ratio", [0.5, [0.1, 0.5, 0.9, 1.0]])
def test_elastic_net_cv_matches_sklearn(l1_ratio):
    X, y, _ = problem(90, 10, seed=5)
    ours = ElasticNetCV(l1_ratio=l1_ratio, cv=3).fit(X, y)
    theirs = sk_fit("ElasticNetCV", X, y, l1_ratio=l1_ratio, cv=3)
    assert ours.alpha_ == theirs.alpha_
    assert ours.l1_ratio_ == theirs.l1_ratio_
    assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-12)
    assert ours.mse_path_.shape == theirs.mse_path_.shape
    assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-10)
    assert_allclose(ours.coef_, theirs.coef_, atol=1e-4)  # refit at the default tol=1e-4


def test_elastic_net_cv_wide_weighted():
    X, y, sw = problem(36, 60, seed=6)
    ours = ElasticNetCV(l1_ratio=[0.3, 0.8], n_alphas=15, cv=3, **TIGHT).fit(X, y, sample_weight=sw)
    theirs = sk_fit("ElasticNetCV", X, y, sw, l1_ratio=[0.3, 0.8], alphas=15, cv=3, **TIGHT)
    assert (ours.alpha_, ours.l1_ratio_) == (theirs.alpha_, theirs.l1_ratio_)
    # different iterates (working set vs full sweeps), each within the gap tolerance: the
    # small-alpha end of a wide path is ill-conditioned, so test errors agree to ~1e-8
    assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-6)
    assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"l1_ratio": 1.5}, ValueError, r"l1_ratio=1.5 must lie in \[0, 1\]"),
        ({"l1_ratio": -0.1}, ValueError, r"l1_ratio=-0.1 must be finite and >= 0"),
        ({"alpha": np.nan}, ValueError, r"alpha=nan must be finite and >= 0"),
        ({"max_iter": 2.5}, TypeError, "max_iter must be an integer"),
        ({"tol": -1}, ValueError, r"tol=-1.0 must be finite and >= 0"),
        ({"fit_intercept": "yes"}, TypeError, "fit_intercept must be True or False"),
    ],
)
def test_bad_hyperparameters(params, error, match):
    X, y, _ = problem(10, 4)
    with pytest.raises(error, match=match):
        ElasticNet(**params).fit(X, y)


def test_cv_bad_l1_ratio():
    X, y, _ = problem(30, 4)
    with pytest.raises(ValueError, match=r"l1_ratio=1.2 must lie in \[0, 1\]"):
        ElasticNetCV(l1_ratio=[0.5, 1.2]).fit(X, y)


@parametrize_with_checks([ElasticNet(), ElasticNet(l1_ratio=0.9, precompute=False), ElasticNetCV(cv=3)])
def test_sklearn_check_estimator(estimator, check):
    check(estimator)
