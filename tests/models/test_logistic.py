"""LogisticRegression against scikit-learn 1.9 (the reference), torch autograd and its own identities.

Tolerances, chosen on purpose:
- coefficients and intercepts to 1e-6 relative to max |coef| (both sides fitted with a
  gradient tolerance of 1e-12 / 1e-10; sklearn's "newton-cholesky" is the coefficient
  reference, as its lbfgs stops early on a relative decrease of f below 64 eps and is
  then only ~1e-6 accurate); the objective to 1e-10 relative against both of its solvers;
- newton vs lbfgs to 1e-8 (both to max|gradient| <= 1e-11);
- gradient vs central finite differences to 1e-7 absolute, vs torch to 1e-12 relative;
- Hessian vs finite differences of the gradient to 1e-6 relative, vs torch to 1e-10;
- probabilities: rows sum to 1 within 1e-14, log-probabilities agree with log(P) to
  1e-12 where P does not underflow.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import log_expit, log_softmax

from mlfoundations.exceptions import ConvergenceWarning, NotFittedError
from mlfoundations.models import LogisticRegression
from mlfoundations.models._logistic_loss import LogisticLoss

sk_linear = pytest.importorskip("sklearn.linear_model")
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

TIGHT = dict(tol=1e-10, max_iter=2000)


# --- data and an independent formula for the objective --------------------------------------
def make_data(n_samples, n_features, n_classes, seed=0, scale=1.0):
    """Features of mixed scales and offsets; labels drawn from a softmax model (not separable)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features)) * rng.uniform(0.5, 2.0, n_features)
    X += rng.standard_normal(n_features)
    W = scale * rng.standard_normal((n_classes, n_features)) / np.sqrt(n_features)
    Z = X @ W.T + rng.standard_normal(n_classes)
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    y = (rng.random(n_samples)[:, None] > np.cumsum(P, axis=1)).sum(axis=1)
    return X, np.minimum(y, n_classes - 1)


def objective(model, X, y, sample_weight=None, C=1.0):
    """(1/S) sum_i s_i (-log P(y_i | x_i)) + ||W||^2 / (2 C S), written with scipy.special."""
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    Z = X @ model.coef_.T + model.intercept_
    index = np.searchsorted(model.classes_, y)
    if Z.shape[1] == 1:
        log_p = np.where(index == 1, log_expit(Z[:, 0]), log_expit(-Z[:, 0]))
    else:
        log_p = log_softmax(Z, axis=1)[np.arange(len(y)), index]
    penalty = 0.0 if np.isinf(C) else np.sum(model.coef_**2) / (2 * C * s.sum())
    return float(-(s @ log_p) / s.sum() + penalty)


def sklearn_fit(X, y, C=1.0, fit_intercept=True, sample_weight=None, solver="newton-cholesky"):
    model = sk_linear.LogisticRegression(
        C=C, fit_intercept=fit_intercept, solver=solver, tol=1e-12, max_iter=10_000
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lbfgs may stop on its f-decrease test
        return model.fit(X, y, sample_weight=sample_weight)


CASES = {
    "binary": dict(n_classes=2),
    "3 classes": dict(n_classes=3),
    "5 classes": dict(n_classes=5),
    "binary weighted": dict(n_classes=2, weighted=True),
    "4 classes weighted": dict(n_classes=4, weighted=True),
    "binary no intercept": dict(n_classes=2, fit_intercept=False),
    "3 classes no intercept": dict(n_classes=3, fit_intercept=False),
    "binary penalty=None": dict(n_classes=2, penalty=None),
    "3 classes penalty=None": dict(n_classes=3, penalty=None),
    "binary C=1e-4": dict(n_classes=2, C=1e-4),
    "3 classes C=1e-4": dict(n_classes=3, C=1e-4),
    "binary C=1e4": dict(n_classes=2, C=1e4),
    "5 classes C=1e4": dict(n_classes=5, C=1e4),
    "string labels": dict(n_classes=3, labels=np.array(["cat", "dog", "emu"])),
    "string labels binary": dict(n_classes=2, labels=np.array(["no", "yes"])),
}


_REFERENCES: dict = {}


def reference(case):
    """The case's data and scikit-learn's fits with newton-cholesky and lbfgs (made once)."""
    if case not in _REFERENCES:
        spec = CASES[case]
        X, y = make_data(200, 5, spec["n_classes"], seed=len(case))
        if "labels" in spec:
            y = spec["labels"][y]
        sw = np.random.default_rng(1).uniform(0.0, 3.0, len(y)) if spec.get("weighted") else None
        sk_C = np.inf if spec.get("penalty", "l2") is None else spec.get("C", 1.0)
        fit_intercept = spec.get("fit_intercept", True)
        fits = {s: sklearn_fit(X, y, sk_C, fit_intercept, sw, s) for s in ("newton-cholesky", "lbfgs")}
        _REFERENCES[case] = (X, y, sw, sk_C, fits)
    return _REFERENCES[case]


@pytest.mark.parametrize("solver", ["lbfgs", "newton"])
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_matches_sklearn(case, solver):
    spec = CASES[case]
    X, y, sw, sk_C, fits = reference(case)
    fit_intercept = spec.get("fit_intercept", True)
    penalty = spec.get("penalty", "l2")
    ours = LogisticRegression(
        C=spec.get("C", 1.0), penalty=penalty, fit_intercept=fit_intercept, solver=solver, **TIGHT
    )
    ours.fit(X, y, sample_weight=sw)
    ref = fits["newton-cholesky"]
    assert_array_equal(ours.classes_, ref.classes_)
    assert ours.coef_.shape == ref.coef_.shape and ours.intercept_.shape == ref.intercept_.shape
    scale = max(np.max(np.abs(ref.coef_)), np.max(np.abs(ref.intercept_)), 1e-300)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-6, atol=1e-6 * scale)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-6, atol=1e-6 * scale)
    f_ours = objective(ours, X, y, sw, sk_C)
    for fit in fits.values():
        f_ref = objective(fit, X, y, sw, sk_C)
        assert f_ours <= f_ref * (1 + 1e-10)
        assert_allclose(f_ours, f_ref, rtol=1e-10)
    assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-6, atol=1e-7)
    assert_allclose(ours.decision_function(X), ref.decision_function(X), rtol=1e-6, atol=1e-6 * scale)
    assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.n_iter_.shape == (1,) and ours.n_iter_.dtype == np.int32


@pytest.mark.parametrize("n_classes", [2, 3, 5])
def test_newton_and_lbfgs_agree(n_classes):
    X, y = make_data(300, 6, n_classes, seed=7, scale=3.0)
    tight = dict(tol=1e-11, max_iter=5000)
    a = LogisticRegression(solver="lbfgs", **tight).fit(X, y)
    b = LogisticRegression(solver="newton", **tight).fit(X, y)
    assert_allclose(a.coef_, b.coef_, rtol=1e-8, atol=1e-8)
    assert_allclose(a.intercept_, b.intercept_, rtol=1e-8, atol=1e-8)
    assert b.n_iter_[0] < 30  # quadratic convergence from zero


@pytest.mark.parametrize("solver", ["lbfgs", "newton"])
def test_multinomial_parametrisation_is_centred(solver):
    # the penalty makes sum_k w_k = 0 optimal; the flat intercept direction is taken at zero sum
    X, y = make_data(150, 4, 4, seed=3)
    model = LogisticRegression(solver=solver, **TIGHT).fit(X, y)
    assert_allclose(model.coef_.sum(axis=0), 0.0, atol=1e-9)
    assert_allclose(model.intercept_.sum(), 0.0, atol=1e-12)
    free = LogisticRegression(penalty=None, solver=solver, **TIGHT).fit(X, y)
    assert_allclose(free.coef_.sum(axis=0), 0.0, atol=1e-12)


def test_tiny_C_gives_the_prior_log_odds():
    # C -> 0 drives W to 0; b then solves mean(sigma(b)) = weighted share of class 1
    X, y = make_data(100, 3, 2, seed=5)
    sw = np.linspace(0.5, 2.0, len(y))
    model = LogisticRegression(C=1e-10, **TIGHT).fit(X, y, sample_weight=sw)
    share = sw @ (y == 1) / sw.sum()
    assert_allclose(model.coef_, 0.0, atol=1e-8)
    assert_allclose(model.intercept_, [np.log(share / (1 - share))], rtol=1e-7)


@pytest.mark.parametrize("solver", ["lbfgs", "newton"])
def test_integer_weights_equal_repeated_rows(solver):
    X, y = make_data(60, 3, 3, seed=11)
    counts = np.random.default_rng(0).integers(0, 4, len(y))
    weighted = LogisticRegression(solver=solver, **TIGHT).fit(X, y, sample_weight=counts)
    repeated = LogisticRegression(solver=solver, **TIGHT).fit(np.repeat(X, counts, 0), np.repeat(y, counts))
    assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-8, atol=1e-9)
    assert_allclose(weighted.intercept_, repeated.intercept_, rtol=1e-8, atol=1e-9)


# --- the loss, its gradient and Hessian -------------------------------------------------------
def loss_for(n_classes, fit_intercept=True, C=0.7, n_samples=40, n_features=3, seed=0):
    X, y = make_data(n_samples, n_features, n_classes, seed=seed)
    sw = np.random.default_rng(seed).uniform(0.1, 2.0, n_samples)
    target = y.astype(float) if n_classes == 2 else y.astype(np.int64)
    loss = LogisticLoss(np.ascontiguousarray(X), target, sw, n_classes, fit_intercept, C)
    theta = np.random.default_rng(seed + 1).standard_normal(loss.size)
    return loss, theta, X, y, sw


def central_difference(fun, theta, h):
    columns = []
    for j in range(theta.size):
        e = np.zeros_like(theta)
        e[j] = h
        columns.append((np.asarray(fun(theta + e)) - np.asarray(fun(theta - e))) / (2 * h))
    return np.array(columns)


LOSS_CASES = [(2, True, 0.7), (2, False, 0.7), (3, True, 0.7), (4, False, np.inf), (3, True, np.inf)]


@pytest.mark.parametrize("n_classes, fit_intercept, C", LOSS_CASES)
def test_gradient_matches_finite_differences(n_classes, fit_intercept, C):
    loss, theta, *_ = loss_for(n_classes, fit_intercept, C)
    g = loss.grad(theta)
    numeric = central_difference(loss.value, theta, 1e-6)
    assert_allclose(g, numeric, atol=1e-7)


@pytest.mark.parametrize("n_classes, fit_intercept, C", LOSS_CASES)
def test_hessian_matches_finite_differences_of_gradient(n_classes, fit_intercept, C):
    loss, theta, *_ = loss_for(n_classes, fit_intercept, C)
    H = loss.hessian(theta)
    numeric = central_difference(loss.grad, theta, 1e-5)
    assert_allclose(H, H.T, rtol=0, atol=1e-15)
    assert_allclose(H, numeric, rtol=1e-6, atol=1e-7)


def torch_objective(torch, X, y, sw, n_classes, fit_intercept, C):
    Xt, st_ = torch.tensor(X), torch.tensor(sw / sw.sum())
    rows = 1 if n_classes == 2 else n_classes
    l2 = 0.0 if np.isinf(C) else 1.0 / (C * sw.sum())

    def f(theta):
        T = theta.reshape(rows, -1)
        W, b = (T[:, :-1], T[:, -1]) if fit_intercept else (T, torch.zeros(rows, dtype=T.dtype))
        Z = Xt @ W.T + b
        if rows == 1:
            nll = torch.nn.functional.binary_cross_entropy_with_logits(
                Z[:, 0], torch.tensor(y, dtype=torch.float64), reduction="none"
            )
        else:
            nll = torch.nn.functional.cross_entropy(Z, torch.tensor(y), reduction="none")
        return (st_ * nll).sum() + 0.5 * l2 * (W**2).sum()

    return f


@pytest.mark.parametrize("n_classes, fit_intercept, C", LOSS_CASES)
def test_value_gradient_hessian_match_torch(n_classes, fit_intercept, C):
    torch = pytest.importorskip("torch", reason="torch is the autograd oracle; not installed")
    loss, theta, X, y, sw = loss_for(n_classes, fit_intercept, C)
    f = torch_objective(torch, X, y, sw, n_classes, fit_intercept, C)
    t = torch.tensor(theta, requires_grad=True)
    value = f(t)
    (grad,) = torch.autograd.grad(value, t)
    H = torch.autograd.functional.hessian(f, torch.tensor(theta))
    ours_f, ours_g = loss.value_and_grad(theta)
    assert_allclose(ours_f, value.item(), rtol=1e-13)
    assert_allclose(ours_g, grad.numpy(), rtol=1e-12, atol=1e-15)
    assert_allclose(loss.hessian(theta), H.numpy(), rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_threaded_blocks_equal_one_pass(n_classes):
    # enough rows for several blocks and threads; compare with the formula in NumPy
    loss, theta, X, y, sw = loss_for(n_classes, True, 2.0, n_samples=40_000, n_features=4)
    model = LogisticRegression(C=2.0)
    model.classes_ = np.arange(n_classes)
    W, b = loss.unpack(theta)
    model.coef_, model.intercept_ = W, b
    f, g = loss.value_and_grad(theta)
    assert_allclose(f, objective(model, X, y, sw, C=2.0), rtol=1e-12)
    torch = pytest.importorskip("torch", reason="torch is the autograd oracle; not installed")
    t = torch.tensor(theta, requires_grad=True)
    f_torch = torch_objective(torch, X, y, sw, n_classes, True, 2.0)
    (grad,) = torch.autograd.grad(f_torch(t), t)
    assert_allclose(g, grad.numpy(), rtol=1e-11, atol=1e-15)
    H = torch.autograd.functional.hessian(f_torch, torch.tensor(theta)).numpy()
    assert_allclose(loss.hessian(theta), H, rtol=1e-10, atol=1e-15)  # Gram blocks on threads
    assert loss._n_threads > 1
    loss.close()
    # the blocks' partial sums are added in block order: one thread gives the same bits
    loss._n_threads, loss._cached = 1, None
    f1, g1 = loss.value_and_grad(theta)
    assert f1 == f and np.array_equal(g1, g)


@settings(max_examples=12, deadline=None)
@given(
    n_classes=st.integers(2, 4),
    seed=st.integers(0, 2**16),
    C=st.sampled_from([1e-3, 1.0, 1e3]),
)
def test_gradient_is_zero_at_the_fit(n_classes, seed, C):
    X, y = make_data(30, 2, n_classes, seed=seed)
    if len(np.unique(y)) < 2:
        return
    model = LogisticRegression(C=C, solver="newton", tol=1e-9, max_iter=500).fit(X, y)
    y_index = np.searchsorted(model.classes_, y)
    k = len(model.classes_)
    target = y_index.astype(float) if k == 2 else y_index.astype(np.int64)
    loss = LogisticLoss(np.ascontiguousarray(X), target, np.ones(len(y)), k, True, C)
    theta = np.column_stack([model.coef_, model.intercept_]).ravel()
    assert np.max(np.abs(loss.grad(theta))) <= 1e-9
    assert_allclose(model.predict_proba(X).sum(axis=1), 1.0, rtol=1e-14)


# --- probabilities -----------------------------------------------------------------------------
@pytest.mark.parametrize("n_classes", [2, 4])
def test_probabilities_are_stable_and_normalised(n_classes):
    X, y = make_data(100, 3, n_classes, seed=2)
    model = LogisticRegression(C=100.0).fit(X, y)
    far = np.vstack([X, 1e4 * X[:5], -1e4 * X[:5]])  # |z| in the thousands: exp overflows
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow / divide-by-zero RuntimeWarning
        P = model.predict_proba(far)
        log_P = model.predict_log_proba(far)
        z = model.decision_function(far)
    assert z.shape == ((len(far),) if n_classes == 2 else (len(far), n_classes))
    assert np.all(np.isfinite(log_P)) and np.all(log_P <= 0)
    assert_allclose(P.sum(axis=1), 1.0, rtol=1e-14)
    visible = P > 1e-300
    assert_allclose(log_P[visible], np.log(P[visible]), rtol=1e-12, atol=1e-14)
    assert np.max(np.abs(log_P)) > 100  # the far points really are extreme
    assert_array_equal(model.predict(far), model.classes_[np.argmax(P, axis=1)])


def test_binary_shapes_follow_sklearn():
    X, y = make_data(50, 3, 2)
    model = LogisticRegression().fit(X, y)
    assert model.coef_.shape == (1, 3) and model.intercept_.shape == (1,)
    assert model.decision_function(X).shape == (50,)
    assert model.predict_proba(X).shape == (50, 2)
    no_b = LogisticRegression(fit_intercept=False).fit(X, y)
    assert_array_equal(no_b.intercept_, [0.0])


# --- convergence ---------------------------------------------------------------------------------
@pytest.mark.parametrize("solver", ["lbfgs", "newton"])
def test_separable_unpenalised_warns_and_stays_finite(solver):
    X = np.array([[-2.0], [-1.0], [-0.5], [0.5], [1.0], [2.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    message = r"classes are linearly separable.*grow without bound \(max\|coef\| = "
    with pytest.warns(ConvergenceWarning, match=message):
        model = LogisticRegression(penalty=None, solver=solver, max_iter=50).fit(X, y)
    assert np.all(np.isfinite(model.coef_)) and np.all(np.isfinite(model.intercept_))
    assert model.coef_[0, 0] > 5  # growing towards +inf
    assert_array_equal(model.predict(X), y)
    assert np.all(np.isfinite(model.predict_log_proba(X)))
    # separable three classes too; with the penalty the same data fit without a warning
    X3 = np.array([[0.0, 0.0], [0.2, 0.1], [5.0, 0.0], [5.1, 0.3], [0.0, 5.0], [0.3, 5.2]])
    y3 = np.array([0, 0, 1, 1, 2, 2])
    with pytest.warns(ConvergenceWarning, match=r"linearly separable"):
        model = LogisticRegression(penalty=None, solver=solver, max_iter=30).fit(X3, y3)
    assert np.all(np.isfinite(model.coef_)) and np.all(np.isfinite(model.predict_proba(X3)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LogisticRegression(solver=solver).fit(X3, y3)


@pytest.mark.parametrize("solver", ["lbfgs", "newton"])
def test_max_iter_reached_warns_with_the_figure(solver):
    X, y = make_data(100, 4, 3, seed=4)
    message = r"max_iter=1 iterations reached: max\|gradient\| = [0-9.e+-]+ > tol = 1e-10"
    with pytest.warns(ConvergenceWarning, match=message):
        model = LogisticRegression(solver=solver, max_iter=1, tol=1e-10).fit(X, y)
    assert model.n_iter_[0] == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LogisticRegression(solver=solver).fit(X, y)


# --- errors ----------------------------------------------------------------------------------------
X_OK, Y_OK = make_data(20, 2, 2)


@pytest.mark.parametrize(
    "params, error, match",
    [
        (dict(C=0.0), ValueError, r"C=0.0 must be > 0"),
        (dict(C=-1.0), ValueError, r"C=-1.0 must be > 0"),
        (dict(C=np.nan), ValueError, r"C=nan must be > 0"),
        (dict(C="1"), TypeError, r"C must be a real number"),
        (dict(penalty="l1"), ValueError, r"penalty='l1' is not supported; use 'l2' or None"),
        (dict(penalty="elasticnet"), ValueError, r"penalty='elasticnet' is not supported"),
        (dict(solver="sag"), ValueError, r"solver='sag' is not supported; use 'lbfgs' or 'newton'"),
        (dict(max_iter=-1), ValueError, r"max_iter must be >= 0"),
        (dict(tol=-1e-3), ValueError, r"tol must be finite and >= 0"),
        (dict(fit_intercept="yes"), TypeError, r"fit_intercept must be True or False"),
    ],
)
def test_bad_hyperparameters(params, error, match):
    with pytest.raises(error, match=match):
        LogisticRegression(**params).fit(X_OK, Y_OK)


def test_bad_data():
    model = LogisticRegression()
    one_class = r"needs samples of at least 2 classes in the data, but the data contains only one class: 1"
    with pytest.raises(ValueError, match=one_class):
        model.fit(X_OK, np.ones(20, dtype=int))
    with pytest.raises(ValueError, match=r"sample_weight is zero for every sample"):
        model.fit(X_OK, Y_OK, sample_weight=np.zeros(20))
    one_weighted = r"needs samples of at least 2 classes .* with positive sample_weight: \['b'\]"
    with pytest.raises(ValueError, match=one_weighted):
        model.fit(X_OK[:4], ["a", "b", "b", "a"], sample_weight=[0.0, 1.0, 1.0, 0.0])
    X_nan = X_OK.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"X contains NaN"):
        model.fit(X_nan, Y_OK)
    with pytest.raises(ValueError, match=r"Unknown label type: continuous"):
        model.fit(X_OK, np.linspace(0, 1, 20))
    with pytest.raises(ValueError, match=r"X has 20 samples but y has 19; they must match"):
        model.fit(X_OK, Y_OK[:19])
    with pytest.raises(ValueError, match=r"sample_weight must be non-negative"):
        model.fit(X_OK, Y_OK, sample_weight=-np.ones(20))
    with pytest.raises(ValueError, match=r"X must be 2-D"):
        model.fit(X_OK[:, 0], Y_OK)
    fitted = LogisticRegression().fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match=r"X has 3 features, but LogisticRegression is expecting 2"):
        fitted.predict(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"X contains inf"):
        fitted.predict_proba(np.array([[np.inf, 0.0]]))
    with pytest.raises(NotFittedError, match="not fitted"):
        LogisticRegression().decision_function(X_OK)


def test_C_inf_is_no_penalty():
    X, y = make_data(80, 3, 3, seed=9)
    a = LogisticRegression(C=np.inf, **TIGHT).fit(X, y)
    b = LogisticRegression(penalty=None, C=0.5, **TIGHT).fit(X, y)  # C ignored
    assert_allclose(a.coef_, b.coef_, rtol=1e-8, atol=1e-9)


@parametrize_with_checks([LogisticRegression(), LogisticRegression(solver="newton")])
def test_sklearn_check_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("n_classes, fit_intercept, C", LOSS_CASES)
def test_flat_directions(n_classes, fit_intercept, C):
    # the loss is unchanged along P_N (softmax shift invariance), and the centring removes it
    loss, theta, *_ = loss_for(n_classes, fit_intercept, C)
    P = loss.null_space_projector()
    assert_allclose(P @ P, P, atol=1e-15)
    assert_allclose(loss.remove_flat_directions(theta), theta - P @ theta, atol=1e-15)
    assert_allclose(P @ loss.grad(theta - P @ theta), 0.0, atol=1e-15)
    if n_classes > 2 and np.isinf(C):  # every column is flat: f is constant along P_N
        shift = P @ np.random.default_rng(0).standard_normal(theta.size)
        assert_allclose(loss.value(theta + shift), loss.value(theta), rtol=1e-14)
        assert_allclose(loss.hessian(theta) @ shift, 0.0, atol=1e-14)
