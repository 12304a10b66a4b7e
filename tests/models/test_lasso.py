"""Lasso, lasso_path and LassoCV against scikit-learn (the reference), the toy cases of
its test suite, the optimality (KKT) conditions and the duality gap.

Tolerances: coefficients to atol 1e-6 and objectives to rtol 1e-10 against scikit-learn
run at tol=1e-10 (both solvers then stop within ~1e-10 ||y||^2 / n of the optimum, so the
objectives agree to ~1e-11 relative and the coefficients, on well-posed problems, far
better than 1e-6); paths and CV errors on the Gram path to rtol 1e-10 (same updates, same
order); the KKT conditions to 1e-6 relative to alpha.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from mlfoundations.exceptions import ConvergenceWarning
from mlfoundations.models import Lasso, LassoCV, lasso_path
from mlfoundations.models._cd_kernels import enet_duality_gap
from mlfoundations.models.coordinate_descent import soft_threshold

sk_linear = pytest.importorskip("sklearn.linear_model")
from sklearn.model_selection import KFold  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

TIGHT = dict(tol=1e-10, max_iter=100_000)


def objective(X, y, coef, intercept, alpha, l1_ratio=1.0, sample_weight=None):
    """(1/(2 sum w)) sum w (y - Xw - b)^2 + alpha l1_ratio |w|_1 + alpha (1 - l1_ratio)/2 |w|^2."""
    r = y - X @ coef - intercept
    w = np.ones_like(y) if sample_weight is None else np.asarray(sample_weight, float)
    return (0.5 * np.sum(w * r * r) / w.sum() + alpha * l1_ratio * np.abs(coef).sum()
            + 0.5 * alpha * (1.0 - l1_ratio) * coef @ coef)


def sk_fit(name, X, y, sample_weight=None, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return getattr(sk_linear, name)(**params).fit(X, y, sample_weight=sample_weight)


def problem(kind, seed=0):
    """(X, y, sample_weight) of several shapes and difficulties."""
    rng = np.random.default_rng(seed)
    n, p = {"tall": (120, 15), "wide": (40, 90), "correlated": (80, 20), "square": (30, 30)}[kind]
    X = rng.standard_normal((n, p)) + rng.normal(scale=3.0, size=p)  # off-centre columns
    if kind == "correlated":
        X[:, 1] = X[:, 0] + 0.01 * rng.standard_normal(n)
        X[:, 2] = X[:, 0] - X[:, 3] + 0.01 * rng.standard_normal(n)
    w = np.zeros(p)
    w[:5] = rng.normal(scale=2.0, size=5)
    y = X @ w + 0.5 * rng.standard_normal(n) + 4.0
    return X, y, rng.uniform(0.1, 3.0, size=n)


# --- scikit-learn's toy cases --------------------------------------------------------------
@pytest.mark.parametrize("precompute", ["auto", True, False])
@pytest.mark.parametrize(
    "alpha, coef, pred",
    [(1e-8, 1.0, [2.0, 3.0, 4.0]), (0.1, 0.85, [1.7, 2.55, 3.4]),
     (0.5, 0.25, [0.5, 0.75, 1.0]), (1.0, 0.0, [0.0, 0.0, 0.0])],
)
def test_toy(alpha, coef, pred, precompute):
    X, y, T = [[-1.0], [0.0], [1.0]], [-1.0, 0.0, 1.0], [[2.0], [3.0], [4.0]]
    model = Lasso(alpha=alpha, precompute=precompute).fit(X, y)
    assert_allclose(model.coef_, [coef], atol=1e-7)
    assert model.intercept_ == pytest.approx(0.0, abs=1e-12)
    assert_allclose(model.predict(T), pred, atol=1e-6)
    assert model.dual_gap_ == pytest.approx(0.0, abs=1e-12)
    assert_allclose(model.predict(T), sk_fit("Lasso", X, y, alpha=alpha).predict(T), atol=1e-6)


def test_soft_threshold():
    assert [soft_threshold(z, 1.0) for z in (3.0, -3.0, 0.5, -1.0, 1.0)] == [2.0, -2.0, 0.0, 0.0, 0.0]
    assert soft_threshold(2.5, 0.0) == 2.5


@settings(max_examples=60, deadline=None)
@given(z=st.floats(-1e3, 1e3), t=st.floats(0.0, 1e3))
def test_soft_threshold_is_the_l1_prox(z, t):
    # S(z, t) minimises 1/2 (w - z)^2 + t |w|: no nearby point does better
    w = soft_threshold(z, t)
    f = lambda v: 0.5 * (v - z) ** 2 + t * abs(v)  # noqa: E731
    for v in (w - 1e-3, w + 1e-3, 0.0, z):
        assert f(w) <= f(v) + 1e-9 * (1.0 + abs(z) * (abs(z) + t))


# --- agreement with scikit-learn ------------------------------------------------------------
CASES = [
    ("tall", {}), ("wide", {}), ("correlated", {}), ("square", {}),
    ("tall", {"positive": True}), ("wide", {"positive": True}),
    ("tall", {"fit_intercept": False}), ("wide", {"fit_intercept": False}),
    ("correlated", {"precompute": True}), ("wide", {"precompute": True}),
    ("tall", {"precompute": False}), ("correlated", {"selection": "random", "random_state": 0}),
]


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("kind, params", CASES, ids=[f"{k}-{p}" for k, p in CASES])
def test_matches_sklearn(kind, params, order, weighted):
    X, y, sw = problem(kind)
    sw = sw if weighted else None
    X = np.asarray(X, order=order)
    alpha = 0.05
    ours = Lasso(alpha=alpha, **params, **TIGHT).fit(X, y, sample_weight=sw)
    sk_params = {k: v for k, v in params.items() if k != "precompute"}
    theirs = sk_fit("Lasso", X, y, sw, alpha=alpha, **sk_params, **TIGHT)
    assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-6)
    f_ours = objective(X, y, ours.coef_, ours.intercept_, alpha, sample_weight=sw)
    f_theirs = objective(X, y, theirs.coef_, theirs.intercept_, alpha, sample_weight=sw)
    assert f_ours == pytest.approx(f_theirs, rel=1e-10)
    if params.get("positive"):
        assert (ours.coef_ >= 0).all()


@pytest.mark.parametrize("kind", ["tall", "wide"])
@pytest.mark.parametrize("precompute", [True, False])
def test_dual_gap_and_kkt(kind, precompute):
    X, y, _ = problem(kind, seed=4)
    alpha, tol = 0.1, 1e-8
    model = Lasso(alpha=alpha, tol=tol, max_iter=10_000, precompute=precompute).fit(X, y)
    n = X.shape[0]
    threshold = tol * np.sum((y - y.mean()) ** 2) / n
    assert 0.0 <= model.dual_gap_ <= threshold
    # KKT: x_j . r / n = alpha sign(w_j) where w_j != 0, |x_j . r| / n <= alpha where w_j = 0
    Xc = X - X.mean(axis=0)
    r = y - model.predict(X)
    correlation = Xc.T @ r / n
    active = model.coef_ != 0
    assert active.any() and not active.all()
    assert_allclose(correlation[active], alpha * np.sign(model.coef_[active]), rtol=1e-6, atol=1e-6 * alpha)
    assert np.all(np.abs(correlation[~active]) <= alpha * (1 + 1e-6))
    assert abs(r.sum()) <= 1e-9 * np.abs(y).sum()  # the intercept's own condition


def test_duality_gap_formula():
    # gap = P(w) - D(v), both evaluated directly, with v the scaled residual
    rng = np.random.default_rng(1)
    X, y, w = rng.normal(size=(20, 6)), rng.normal(size=20), rng.normal(size=6)
    for l1, l2 in [(3.0, 0.0), (3.0, 2.0), (0.0, 2.0)]:
        r = y - X @ w
        XtA = X.T @ r - (l2 * w if l1 > 0 else 0.0)
        gap = enet_duality_gap(l1, l2, np.abs(w).sum(), w @ w, r @ r, r @ y,
                               np.abs(XtA).max(), (X.T @ r) @ (X.T @ r))
        primal = 0.5 * r @ r + l1 * np.abs(w).sum() + 0.5 * l2 * w @ w
        if l1 > 0:
            s = min(1.0, l1 / np.abs(XtA).max())
            v, extra = s * r, s * np.sqrt(l2) * w  # the dual point on [X; sqrt(l2) I]
            dual = -0.5 * (v @ v + extra @ extra) + v @ y
        else:
            dual = -0.5 * r @ r + r @ y - (X.T @ r) @ (X.T @ r) / (2 * l2)
        assert gap == pytest.approx(primal - dual, rel=1e-12)
        assert gap > 0


def test_auto_switches_to_the_gram_matrix_when_epochs_cost_more(monkeypatch):
    # a common factor makes the features strongly correlated: CD needs hundreds of epochs
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2000, 40)) + 2.0 * rng.standard_normal((2000, 1))
    y = X[:, :8] @ rng.standard_normal(8) + 0.1 * rng.standard_normal(2000)
    import mlfoundations.models.coordinate_descent as cd

    made = []
    make_solver = cd.make_solver
    monkeypatch.setattr(cd, "make_solver", lambda *a, **k: made.append(a[4]) or make_solver(*a, **k))
    auto = Lasso(alpha=1e-3, tol=1e-8, max_iter=10_000).fit(X, y)
    assert made == [False, True]  # residual updates first, then covariance updates
    gram = Lasso(alpha=1e-3, tol=1e-8, max_iter=10_000, precompute=True).fit(X, y)
    theirs = sk_fit("Lasso", X, y, alpha=1e-3, tol=1e-8, max_iter=10_000)
    assert_allclose(auto.coef_, gram.coef_, atol=1e-6)
    assert_allclose(auto.coef_, theirs.coef_, atol=1e-6)
    made.clear()
    easy = rng.standard_normal((2000, 300))  # independent features: a few epochs suffice
    Lasso(alpha=0.1).fit(easy, easy[:, :3].sum(axis=1))
    assert made == [False]


def test_c_and_f_order_give_the_same_fit():
    X, y, _ = problem("wide", seed=2)
    c = Lasso(alpha=0.05, tol=1e-8).fit(np.ascontiguousarray(X), y)
    f = Lasso(alpha=0.05, tol=1e-8).fit(np.asfortranarray(X), y)
    assert_allclose(c.coef_, f.coef_, rtol=1e-12, atol=1e-14)
    assert c.n_iter_ == f.n_iter_


def test_random_selection_is_seeded():
    X, y, _ = problem("correlated")
    a = Lasso(alpha=0.01, selection="random", random_state=3, tol=1e-3).fit(X, y)
    b = Lasso(alpha=0.01, selection="random", random_state=3, tol=1e-3).fit(X, y)
    c = Lasso(alpha=0.01, selection="random", random_state=np.random.default_rng(3), tol=1e-3).fit(X, y)
    assert_allclose(a.coef_, b.coef_, rtol=0, atol=0)
    assert_allclose(a.coef_, c.coef_, atol=1e-4)  # another stream, same optimum to tol


def test_warm_start_starts_at_the_solution():
    X, y, _ = problem("tall")
    model = Lasso(alpha=0.1, warm_start=True, tol=1e-8).fit(X, y)
    coef = model.coef_.copy()
    model.fit(X, y)
    assert model.n_iter_ == 0
    assert_allclose(model.coef_, coef, rtol=0, atol=0)


def test_convergence_warning_states_gap_and_tolerance():
    X, y, _ = problem("correlated")
    with pytest.warns(ConvergenceWarning, match=r"max_iter=1 epochs: duality gap .* > tolerance"):
        model = Lasso(alpha=0.01, max_iter=1).fit(X, y)
    assert model.n_iter_ == 1


def test_alpha_zero_warns_and_is_least_squares():
    X, y, _ = problem("tall")
    with pytest.warns(UserWarning, match="alpha=0"):
        model = Lasso(alpha=0.0, tol=1e-12, max_iter=100_000).fit(X, y)
    ols = np.linalg.lstsq(np.column_stack([X, np.ones(len(y))]), y, rcond=None)[0]
    assert_allclose(model.coef_, ols[:-1], rtol=1e-7)


def test_user_gram_matrix():
    X, y, _ = problem("tall")
    gram = X.T @ X
    ours = Lasso(alpha=0.1, fit_intercept=False, precompute=gram, **TIGHT).fit(X, y)
    plain = Lasso(alpha=0.1, fit_intercept=False, precompute=False, **TIGHT).fit(X, y)
    assert_allclose(ours.coef_, plain.coef_, atol=1e-8)
    with pytest.warns(UserWarning, match="centres X; the Gram matrix of the centred data"):
        Lasso(alpha=0.1, precompute=gram).fit(X, y)
    with pytest.raises(ValueError, match=r"Gram matrix passed does not match X: entry \(7, 8\)"):
        Lasso(alpha=0.1, fit_intercept=False, precompute=gram + 1.0).fit(X, y)


def test_sparse_coef():
    X, y, _ = problem("wide")
    model = Lasso(alpha=0.3).fit(X, y)
    assert_allclose(model.sparse_coef_.toarray(), model.coef_[None, :])
    assert model.sparse_coef_.nnz == np.count_nonzero(model.coef_)


# --- lasso_path ----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["tall", "wide"])
@pytest.mark.parametrize("precompute", ["auto", False])
@pytest.mark.parametrize("positive", [False, True])
def test_lasso_path_matches_sklearn(kind, precompute, positive):
    X, y, _ = problem(kind, seed=5)
    ours = lasso_path(X, y, n_alphas=30, precompute=precompute, positive=positive, **TIGHT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        theirs = sk_linear.lasso_path(X, y, alphas=30, precompute=precompute, positive=positive, **TIGHT)
    assert_allclose(ours[0], theirs[0], rtol=1e-12)
    assert_allclose(ours[1], theirs[1], atol=1e-6)
    assert ours[1].shape == (X.shape[1], 30)
    assert np.all(ours[2] >= 0)


def test_lasso_path_explicit_alphas_and_coefficients_of_each():
    X, y, _ = problem("tall", seed=6)
    alphas, coefs, gaps, n_iters = lasso_path(X, y, alphas=[0.01, 1.0, 0.1], return_n_iter=True, **TIGHT)
    assert_allclose(alphas, [1.0, 0.1, 0.01])
    for alpha, coef in zip(alphas, coefs.T):
        single = Lasso(alpha=alpha, fit_intercept=False, **TIGHT).fit(X, y)
        assert_allclose(coef, single.coef_, atol=1e-7)
    assert len(n_iters) == 3


def test_lasso_path_starts_at_zero():
    X, y, _ = problem("wide")
    alphas, coefs, _ = lasso_path(X, y, n_alphas=5, eps=1e-2)
    assert np.all(coefs[:, 0] == 0) and np.any(coefs[:, 1] != 0)
    assert alphas[0] == pytest.approx(np.abs(X.T @ y).max() / X.shape[0], rel=1e-14)
    assert alphas[-1] == pytest.approx(alphas[0] * 1e-2, rel=1e-12)


# --- LassoCV -------------------------------------------------------------------------------
@pytest.mark.parametrize("kind, cv", [("tall", None), ("correlated", 3), ("tall", KFold(4))])
def test_lasso_cv_matches_sklearn_on_the_gram_path(kind, cv):
    # n_train > n_features: both take the Gram matrix, same updates in the same order
    X, y, _ = problem(kind, seed=7)
    ours = LassoCV(cv=cv).fit(X, y)
    theirs = sk_fit("LassoCV", X, y, cv=cv)
    assert ours.alpha_ == theirs.alpha_
    assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-12)
    assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-10)
    assert_allclose(ours.coef_, theirs.coef_, atol=1e-4)  # refit at the default tol=1e-4


@pytest.mark.parametrize("weighted", [False, True])
def test_lasso_cv_matches_sklearn_wide_and_weighted(weighted):
    X, y, sw = problem("wide", seed=8)
    sw = sw if weighted else None
    ours = LassoCV(cv=3, n_alphas=40, **TIGHT).fit(X, y, sample_weight=sw)
    theirs = sk_fit("LassoCV", X, y, sw, cv=3, alphas=40, **TIGHT)
    assert ours.alpha_ == theirs.alpha_
    # different iterates (working set vs full sweeps), each within the gap tolerance: the
    # small-alpha end of a wide path is ill-conditioned, so test errors agree to ~1e-8
    assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-6)
    assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    assert ours.mse_path_.shape == (40, 3)


def test_lasso_cv_explicit_alphas():
    X, y, _ = problem("tall", seed=9)
    ours = LassoCV(alphas=[0.3, 0.01, 0.1], cv=3).fit(X, y)
    theirs = sk_fit("LassoCV", X, y, alphas=[0.3, 0.01, 0.1], cv=3)
    assert_allclose(ours.alphas_, [0.3, 0.1, 0.01])
    assert ours.alpha_ == theirs.alpha_
    assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-10)


# --- errors --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"alpha": -1.0}, ValueError, r"alpha=-1.0 must be finite and >= 0"),
        ({"alpha": "big"}, TypeError, "alpha must be a real number"),
        ({"tol": -1e-4}, ValueError, r"tol=-0.0001 must be finite and >= 0"),
        ({"max_iter": 0}, ValueError, r"max_iter=0 must be >= 1"),
        ({"selection": "greedy"}, ValueError, r"selection='greedy' must be one of \('cyclic', 'random'\)"),
        ({"precompute": "yes"}, ValueError, r"precompute='yes' must be 'auto', True, False or a Gram"),
        ({"precompute": np.eye(2)}, ValueError, r"must have shape \(3, 3\), got \(2, 2\)"),
        ({"positive": 1}, TypeError, "positive must be True or False"),
    ],
)
def test_bad_hyperparameters(params, error, match):
    with pytest.raises(error, match=match):
        Lasso(**params).fit(np.ones((4, 3)) + np.eye(4, 3), [1.0, 2.0, 3.0, 4.0])


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("precompute", ["auto", True, False])
def test_bad_data(fit_intercept, precompute):
    X, y = np.arange(12.0).reshape(4, 3), np.arange(4.0)
    model = Lasso(fit_intercept=fit_intercept, precompute=precompute)
    X_nan = X.copy()
    X_nan[1, 1] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        model.fit(X_nan, y)
    X_inf = X.copy()
    X_inf[2, 0] = np.inf
    with pytest.raises(ValueError, match="X contains inf"):
        model.fit(X_inf, y)
    with pytest.raises(ValueError, match="y contains NaN"):
        model.fit(X, [0.0, np.nan, 1.0, 2.0])
    with pytest.raises(ValueError, match="y has 3 entries but X has 4 samples"):
        model.fit(X, y[:3])
    with pytest.raises(ValueError, match="sample_weight has 2 entries but X has 4 samples"):
        model.fit(X, y, sample_weight=[1.0, 2.0])
    with pytest.raises(ValueError, match="sample_weight must have a positive sum"):
        model.fit(X, y, sample_weight=np.zeros(4))


def test_path_and_cv_errors():
    X, y = np.arange(12.0).reshape(4, 3) + np.eye(4, 3), np.arange(4.0)
    with pytest.raises(ValueError, match=r"alphas\[1\]=-0.5 must be >= 0"):
        lasso_path(X, y, alphas=[1.0, -0.5])
    with pytest.raises(ValueError, match=r"eps=0 must be > 0"):
        lasso_path(X, y, eps=0)
    with pytest.raises(ValueError, match=r"n_alphas=0 must be an integer >= 1"):
        lasso_path(X, y, n_alphas=0)
    with pytest.raises(ValueError, match="X contains NaN"):
        lasso_path(np.full((4, 3), np.nan), y)
    with pytest.raises(ValueError, match=r"n_splits=5 greater than the number of samples: n_samples=4"):
        LassoCV().fit(X, y)
    with pytest.raises(ValueError, match=r"cv=1 must be at least 2 folds"):
        LassoCV(cv=1).fit(X, y)


# --- scikit-learn's estimator checks ---------------------------------------------------------
@parametrize_with_checks([
    Lasso(), Lasso(precompute=True), Lasso(precompute=False, selection="random", random_state=0),
    LassoCV(cv=3),
])
def test_sklearn_check_estimator(estimator, check):
    check(estimator)
