"""minimize() for every method, its result object, its failure modes, and gradient_descent.

Convergence checks compare with numpy.linalg.solve (quadratic) or the known minimum
(Rosenbrock): with ||grad f(x)||_2 <= tol the error is at most tol / lambda_min(A),
so with tol = 1e-6 and lambda_min > 1 we check x to 1e-6.
"""

import dataclasses
import warnings

import numpy as np
import pytest

from mlfoundations.exceptions import ConvergenceWarning
from mlfoundations.optim import METHODS, OptimizeResult, exponential_lr, gradient_descent, minimize

A = np.array([[3.0, 1.0], [1.0, 2.0]])
B = np.array([1.0, -1.0])
X_STAR = np.linalg.solve(A, B)


def quadratic(x):
    return 0.5 * ((x @ A) * x).sum() - (B * x).sum()


def quadratic_np(x):
    return 0.5 * x @ A @ x - B @ x


def quadratic_grad(x):
    return A @ x - B


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


# each method with the settings under which it converges on the quadratic
SETTINGS = {
    "gd": {},
    "sgd": {},
    "momentum": {},
    "rmsprop": {"learning_rate": exponential_lr(0.01, 0.995)},  # a constant step can hover ~eta away
    "adam": {},
    "newton": {},
    "lbfgs": {},
}


def test_settings_cover_every_method():
    assert set(SETTINGS) == set(METHODS) == {"adam", "sgd", "momentum", "rmsprop", "gd", "newton", "lbfgs"}


@pytest.mark.parametrize("method", METHODS)
def test_every_method_converges_on_a_quadratic(method):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = minimize(quadratic, np.zeros(2), method=method, **SETTINGS[method])
    assert res.success, res.message
    assert np.linalg.norm(res.jac) <= 1e-6
    np.testing.assert_allclose(res.x, X_STAR, rtol=0, atol=1e-6)
    assert res.method == method and res.message.startswith("converged")


@pytest.mark.parametrize(
    "method, kwargs, max_nit",
    [
        ("newton", {}, 25),
        ("lbfgs", {}, 60),
        ("adam", {"learning_rate": 0.05}, 3000),
        ("momentum", {"learning_rate": 1e-3}, 4000),
    ],
)
def test_methods_converge_on_rosenbrock(method, kwargs, max_nit):
    res = minimize(rosenbrock, [-1.2, 1.0], method=method, **kwargs)
    assert res.success and res.nit <= max_nit
    np.testing.assert_allclose(res.x, [1.0, 1.0], rtol=0, atol=1e-5)


@pytest.mark.parametrize("method", ["adam", "momentum", "rmsprop", "lbfgs", "newton"])
def test_given_derivatives_give_the_same_iterates_as_autodiff(method):
    kwargs = dict(SETTINGS[method])
    if method == "newton":
        kwargs["hess"] = lambda x: A
    ad = minimize(quadratic, np.zeros(2), method=method, **SETTINGS[method])
    by_hand = minimize(quadratic_np, np.zeros(2), method=method, jac=quadratic_grad, **kwargs)
    assert ad.nit == by_hand.nit
    np.testing.assert_allclose(ad.history_x, by_hand.history_x, rtol=1e-12, atol=1e-14)


def test_options_reach_the_transform():
    with pytest.warns(ConvergenceWarning):
        nesterov = minimize(quadratic, np.zeros(2), method="sgd", max_iter=5, options={"momentum": 0.5, "nesterov": True})
    with pytest.warns(ConvergenceWarning):
        heavy = minimize(quadratic, np.zeros(2), method="sgd", max_iter=5, options={"momentum": 0.5})
    assert not np.array_equal(nesterov.x, heavy.x)
    # the first Nesterov step is x - eta (1 + mu) g
    np.testing.assert_allclose(nesterov.history_x[1], 0.01 * 1.5 * B, rtol=1e-14)


# ---- the result --------------------------------------------------------------------

def test_result_history_and_counts():
    res = minimize(quadratic, [0, 0], method="gd", learning_rate=0.1)
    assert res.history_x.shape == (res.nit + 1, 2) and res.history_f.shape == (res.nit + 1,)
    np.testing.assert_array_equal(res.history_x[0], [0.0, 0.0])
    np.testing.assert_array_equal(res.history_x[-1], res.x)
    np.testing.assert_allclose(res.history_f, [quadratic_np(x) for x in res.history_x], rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(res.jac, quadratic_grad(res.x), rtol=0, atol=1e-15)
    assert res.fun == res.history_f[-1]
    assert res.nfev == res.nit + 1  # one autodiff pass per iterate
    assert np.all(np.diff(res.history_f) < 0)


def test_result_is_frozen_and_readable():
    res = minimize(quadratic, np.zeros(2), method="newton")
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.x = np.zeros(2)
    with pytest.raises(ValueError, match="read-only"):
        res.x[0] = 1.0
    text = str(res)
    assert text.startswith("OptimizeResult (method='newton')\n  success: True\n  message: converged")
    for field in ("fun:", "x:", "jac:", "nit: 1", "nfev:"):
        assert field in text
    assert isinstance(res, OptimizeResult)


def test_any_shape_of_x0():
    res = minimize(lambda x: (x - 3.0) ** 2, 10.0, method="newton")
    assert res.x.shape == () and abs(res.x - 3.0) < 1e-12
    target = np.arange(6.0).reshape(2, 3)
    res = minimize(lambda x: ((x - target) ** 2).sum(), np.zeros((2, 3)), method="lbfgs")
    assert res.x.shape == (2, 3) and res.jac.shape == (2, 3) and res.history_x.shape[1:] == (2, 3)
    np.testing.assert_allclose(res.x, target, atol=1e-6)


def test_callback_sees_each_iterate_and_can_stop():
    seen = []

    def callback(x, f):
        seen.append((x, f))
        x[:] = 99.0  # a copy: must not disturb the iteration
        return len(seen) == 3

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # stopping on request is not a convergence failure
        res = minimize(quadratic, np.zeros(2), method="gd", callback=callback)
    assert res.nit == 3 and not res.success and res.message.startswith("stopped by callback after 3 iterations")
    assert [f for _, f in seen] == list(res.history_f[1:])


# ---- failures are reported, never hidden -------------------------------------------------

def test_non_convergence_warns_and_says_so():
    with pytest.warns(ConvergenceWarning, match=r"minimize\(method='adam'\): did not converge in max_iter=5 iterations: \|\|grad f\(x\)\|\|_2 = .* > tol = 1e-06"):
        res = minimize(quadratic, np.zeros(2), method="adam", max_iter=5)
    assert not res.success and res.nit == 5


def test_divergence_stops_at_the_last_finite_point():
    # x <- x - 1.5 * 2x = -2x: |x| doubles until f overflows
    with pytest.warns(ConvergenceWarning, match=r"became non-finite at iteration \d+ .*try a smaller learning_rate"):
        res = minimize(lambda x: (x * x).sum(), np.array([1.0]), method="gd", learning_rate=1.5)
    assert not res.success
    assert np.isfinite(res.fun) and np.all(np.isfinite(res.x)) and np.all(np.isfinite(res.history_f))
    assert res.fun > 1e300


def test_nan_objective_at_x0_is_not_a_success():
    with pytest.warns(ConvergenceWarning, match=r"f\(x0\) or its gradient is not finite"):
        res = minimize(lambda x: (x * x).sum() * float("nan"), np.ones(2), method="lbfgs")
    assert not res.success and res.nit == 0


def test_nan_objective_midway_is_not_a_success():
    def f(x):
        return float("nan") if x[0] < -0.5 else float(x @ x)

    with pytest.warns(ConvergenceWarning, match=r"became non-finite at iteration 1"):
        res = minimize(f, np.array([1.0]), method="gd", jac=lambda x: 2 * x, learning_rate=0.9)
    assert not res.success and res.nit == 0 and res.x[0] == 1.0


def test_failed_line_search_is_reported():
    # f is NaN everywhere but at x0, so no step is acceptable
    def f(x):
        return 1.0 if x[0] == 1.0 else float("nan")

    with pytest.warns(ConvergenceWarning, match=r"no acceptable step: backtracking found no step with sufficient decrease"):
        res = minimize(f, np.array([1.0]), method="newton", jac=lambda x: np.ones(1), hess=lambda x: np.eye(1))
    assert not res.success and res.x[0] == 1.0


# ---- bad input -------------------------------------------------------------------------

@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(method="bfgs"), r"unknown method 'bfgs'; valid methods are gd, sgd, momentum, rmsprop, adam, newton, lbfgs"),
        (dict(learning_rate=-0.1), r"learning_rate must be finite and >= 0, got -0.1"),
        (dict(method="sgd", learning_rate=float("nan")), r"learning_rate must be finite and >= 0, got nan"),
        (dict(options={"b1": 1.0}), r"b1 must lie in \[0, 1\), got 1.0"),
        (dict(options={"b2": -0.01}), r"b2 must lie in \[0, 1\), got -0.01"),
        (dict(x0=[np.nan, 0.0]), r"x0 contains NaN"),
        (dict(x0=[np.inf, 0.0]), r"x0 contains inf"),
        (dict(x0=[]), r"x0 is empty"),
        (dict(method="lbfgs", hess=lambda x: A), r"hess is only used by method='newton', not 'lbfgs'"),
        (dict(method="newton", jac=quadratic_grad), r"method='newton' needs hess when jac is given"),
        (dict(method="newton", learning_rate=0.1), r"method='newton' chooses its step by line search; it takes no learning_rate"),
        (dict(method="lbfgs", learning_rate=0.1), r"method='lbfgs' chooses its step by line search"),
        (dict(tol=-1.0), r"tol must be finite and >= 0, got -1.0"),
        (dict(max_iter=-1), r"max_iter must be >= 0, got -1"),
        (dict(options={"momentum": 0.9}), r"unknown options \['momentum'\] for method='adam'; valid options are b1, b2, eps, weight_decay, amsgrad"),
        (dict(method="gd", options={"momentum": 0.9}), r"unknown options \['momentum'\] for method='gd'; valid options are none"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, match):
    kwargs = {"x0": np.zeros(2), **kwargs}
    x0 = kwargs.pop("x0")
    with pytest.raises(ValueError, match=match):
        minimize(quadratic, x0, **kwargs)


@pytest.mark.parametrize(
    "fun, kwargs, match",
    [
        ("x**2", {}, r"fun must be callable, got str"),
        (quadratic, dict(jac=3), r"jac must be callable or None, got int"),
        (quadratic, dict(callback="print"), r"callback must be callable, got str"),
        (quadratic, dict(max_iter=10.5), r"max_iter must be an integer, got float 10.5"),
        (quadratic, dict(options=[("b1", 0.5)]), r"options must be a dict, got list"),
    ],
)
def test_bad_types_raise_type_error(fun, kwargs, match):
    with pytest.raises(TypeError, match=match):
        minimize(fun, np.zeros(2), **kwargs)


def test_non_scalar_objective_is_refused():
    with pytest.raises(ValueError, match=r"needs f to return a scalar, got shape \(2,\)"):
        minimize(lambda x: x * 2.0, np.zeros(2))
    with pytest.raises(ValueError, match=r"fun must return a scalar, got an array of shape \(2,\)"):
        minimize(lambda x: 2.0 * x, np.zeros(2), jac=lambda x: np.ones(2))


# ---- the guide's gradient_descent ----------------------------------------------------------

def test_gradient_descent_guide_example():
    x_min = gradient_descent(lambda x: x**2, lambda x: 2 * x, x0=10.0)
    assert isinstance(x_min, float)
    # x_k = 10 * 0.98^k; the first step shorter than 1e-6 is 0.02 * x_{k-1} < 1e-6
    k = next(k for k in range(1, 2000) if 0.02 * 10 * 0.98 ** (k - 1) < 1e-6)
    assert abs(x_min - 10 * 0.98**k) <= 1e-12 and abs(x_min) < 1e-4


def test_gradient_descent_on_a_vector():
    x = gradient_descent(quadratic_np, quadratic_grad, np.zeros(2), learning_rate=0.1, max_iter=10_000, tol=1e-12)
    np.testing.assert_allclose(x, X_STAR, atol=1e-10)


def test_gradient_descent_warns_when_out_of_steps():
    with pytest.warns(ConvergenceWarning, match=r"gradient_descent did not converge in max_iter=10 steps: last step"):
        x = gradient_descent(lambda x: x**2, lambda x: 2 * x, 10.0, max_iter=10)
    assert abs(x - 10 * 0.98**10) < 1e-12


def test_gradient_descent_refuses_to_return_a_divergent_answer():
    with pytest.raises(ValueError, match=r"gradient descent diverged: x is not finite after \d+ steps; learning_rate=1.5 is too large"):
        gradient_descent(lambda x: x**2, lambda x: 2 * x, 10.0, learning_rate=1.5, max_iter=5000)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(x0=float("nan")), r"x0 contains NaN"),
        (dict(learning_rate=-0.01), r"learning_rate must be finite and >= 0, got -0.01"),
        (dict(tol=0.0), r"tol must be finite and > 0, got 0.0"),
        (dict(max_iter=-5), r"max_iter must be >= 0, got -5"),
    ],
)
def test_gradient_descent_bad_input(kwargs, match):
    kwargs = {"x0": 1.0, **kwargs}
    with pytest.raises(ValueError, match=match):
        gradient_descent(lambda x: x**2, lambda x: 2 * x, **kwargs)
