"""Newton and L-BFGS: iteration counts, agreement with SciPy, safety on non-convex problems.

References: scipy.optimize.minimize(method="L-BFGS-B") run to gtol=1e-12 (x compared
to 1e-6, the issue's tolerance; observed agreement is ~1e-9), numpy.linalg.solve for
quadratic minimisers (1e-10 relative), and the explicit BFGS update formula for the
two-loop recursion (1e-12).
"""

import warnings

import numpy as np
import pytest
import scipy.optimize
from hypothesis import given, settings
from hypothesis import strategies as st

from mlfoundations.optim import LineSearchError, lbfgs, minimize, newton
from mlfoundations.optim.lbfgs import two_loop_recursion
from mlfoundations.optim.linesearch import backtracking, wolfe
from mlfoundations.optim.newton import damped_cholesky


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def extended_rosenbrock(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()


def random_spd(n, rng, cond=1e3):
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return (Q * np.geomspace(1.0, cond, n)) @ Q.T


def scipy_lbfgs(fun, jac, x0):
    return scipy.optimize.minimize(
        fun, x0, jac=jac, method="L-BFGS-B", options=dict(gtol=1e-12, ftol=1e-16, maxiter=10_000)
    )


# ---- Newton -------------------------------------------------------------------------

def test_newton_reaches_rosenbrock_minimum_within_25_iterations():
    res = minimize(rosenbrock, np.array([-1.2, 1.0]), method="newton", tol=1e-10)
    assert res.success and res.nit <= 25
    np.testing.assert_allclose(res.x, [1.0, 1.0], rtol=0, atol=1e-10)
    # a descent method: f never increases
    assert np.all(np.diff(res.history_f) <= 0)


def test_newton_solves_a_quadratic_in_one_iteration(rng):
    A = random_spd(10, rng, cond=1e4)
    b = rng.standard_normal(10)
    res = minimize(lambda x: 0.5 * (x @ (A @ x)) - (b * x).sum(), np.zeros(10), method="newton", tol=1e-8)
    assert res.success and res.nit == 1
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=1e-10)


def test_newton_with_given_derivatives_matches_autodiff():
    res_ad = minimize(rosenbrock, [-1.2, 1.0], method="newton", tol=1e-10)
    res_np = minimize(
        scipy.optimize.rosen, [-1.2, 1.0], method="newton", tol=1e-10,
        jac=scipy.optimize.rosen_der, hess=scipy.optimize.rosen_hess,
    )
    assert res_np.nit == res_ad.nit
    np.testing.assert_allclose(res_np.history_x, res_ad.history_x, rtol=1e-10, atol=1e-12)


def test_newton_converges_where_the_pure_newton_step_diverges():
    # f = sqrt(1 + x^2): the pure Newton step maps x to -x^3, so |x0| > 1 diverges
    def f(x):
        return (1 + x * x).sqrt().sum()

    x0 = np.array([3.0])
    fprime, fsecond = 3.0 / np.sqrt(10.0), 10.0**-1.5
    assert np.isclose(3.0 - fprime / fsecond, -27.0, rtol=1e-14)  # where pure Newton would go
    res = minimize(f, x0, method="newton", tol=1e-12)
    assert res.success
    np.testing.assert_allclose(res.x, [0.0], atol=1e-12)
    assert np.all(np.diff(res.history_f) <= 0)


def test_newton_escapes_an_indefinite_hessian():
    # f = x^4/4 - x^2/2 + y^2/2: at x ~ 0 the Hessian diag(-1, 1) is indefinite and the
    # pure Newton step heads for the saddle (0, 0); the damped step goes downhill to (1, 0)
    def f(v):
        x, y = v[0], v[1]
        return x**4 / 4 - x**2 / 2 + y**2 / 2

    res = minimize(f, np.array([0.01, 1.0]), method="newton", tol=1e-10)
    assert res.success
    np.testing.assert_allclose(res.x, [1.0, 0.0], atol=1e-10)
    assert np.all(np.diff(res.history_f) <= 0)


@settings(max_examples=15, deadline=None)
@given(st.floats(-2.5, 2.5), st.floats(-2.5, 2.5))
def test_newton_never_increases_f_on_himmelblau(x, y):
    def himmelblau(v):
        return (v[0] ** 2 + v[1] - 11) ** 2 + (v[0] + v[1] ** 2 - 7) ** 2

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = minimize(himmelblau, np.array([x, y]), method="newton", tol=1e-8)
    assert np.all(np.isfinite(res.history_f))
    assert np.all(np.diff(res.history_f) <= 1e-12 * np.abs(res.history_f[:-1]))
    assert res.success


def test_damped_cholesky(rng):
    A = random_spd(5, rng)
    L, tau = damped_cholesky(A)
    assert tau == 0.0
    np.testing.assert_allclose(L @ L.T, A, rtol=1e-12, atol=1e-12)
    H = A - 600.0 * np.eye(5)  # indefinite: eigenvalues from -599 to 400
    L, tau = damped_cholesky(H)
    assert tau > -np.linalg.eigvalsh(H).min()
    np.testing.assert_allclose(L @ L.T, H + tau * np.eye(5), rtol=1e-12, atol=1e-9)


def test_newton_transform_options_are_checked():
    with pytest.raises(ValueError, match=r"newton needs hess when jac is given"):
        newton(rosenbrock, jac=scipy.optimize.rosen_der)
    with pytest.raises(ValueError, match=r"c1 must lie in \(0, 0.5\), got 0.7"):
        newton(rosenbrock, c1=0.7)


# ---- L-BFGS -------------------------------------------------------------------------

def test_two_loop_recursion_equals_the_bfgs_update(rng):
    n, k = 6, 4
    s = rng.standard_normal((k, n))
    A = random_spd(n, rng, cond=10.0)
    y = s @ A  # y_i = A s_i: curvature pairs of a quadratic
    rho = 1.0 / np.einsum("ij,ij->i", s, y)
    g = rng.standard_normal(n)
    gamma = (s[-1] @ y[-1]) / (y[-1] @ y[-1])
    H = gamma * np.eye(n)
    for si, yi, ri in zip(s, y, rho):
        V = np.eye(n) - ri * np.outer(yi, si)
        H = V.T @ H @ V + ri * np.outer(si, si)
    np.testing.assert_allclose(two_loop_recursion(g, s, y, rho), H @ g, rtol=1e-12)
    np.testing.assert_array_equal(two_loop_recursion(g, s[:0], y[:0], rho[:0]), g)


def test_lbfgs_agrees_with_scipy_on_rosenbrock():
    x0 = np.array([-1.2, 1.0])
    ours = minimize(rosenbrock, x0, method="lbfgs", tol=1e-10)
    ref = scipy_lbfgs(scipy.optimize.rosen, scipy.optimize.rosen_der, x0)
    assert ours.success
    np.testing.assert_allclose(ours.x, ref.x, rtol=0, atol=1e-6)
    np.testing.assert_allclose(ours.x, [1.0, 1.0], rtol=0, atol=1e-8)
    assert ours.nit <= 2 * ref.nit


def test_lbfgs_agrees_with_scipy_on_extended_rosenbrock():
    x0 = np.tile([-1.2, 1.0], 5)
    ours = minimize(extended_rosenbrock, x0, method="lbfgs", tol=1e-10)
    ref = scipy_lbfgs(scipy.optimize.rosen, scipy.optimize.rosen_der, x0)
    assert ours.success
    np.testing.assert_allclose(ours.x, ref.x, rtol=0, atol=1e-6)


def test_lbfgs_agrees_with_scipy_on_a_random_convex_quadratic(rng):
    n = 30
    A = random_spd(n, rng, cond=1e3)
    b = rng.standard_normal(n)
    ours = minimize(
        lambda x: 0.5 * x @ A @ x - b @ x, np.zeros(n), method="lbfgs", jac=lambda x: A @ x - b, tol=1e-10
    )
    ref = scipy_lbfgs(lambda x: 0.5 * x @ A @ x - b @ x, lambda x: A @ x - b, np.zeros(n))
    exact = np.linalg.solve(A, b)
    assert ours.success
    np.testing.assert_allclose(ours.x, ref.x, rtol=0, atol=1e-6)
    np.testing.assert_allclose(ours.x, exact, rtol=0, atol=1e-9)


def test_lbfgs_with_autodiff_matches_given_gradient():
    ad = minimize(rosenbrock, [-1.2, 1.0], method="lbfgs", tol=1e-9)
    np_ = minimize(scipy.optimize.rosen, [-1.2, 1.0], method="lbfgs", jac=scipy.optimize.rosen_der, tol=1e-9)
    assert ad.nit == np_.nit
    np.testing.assert_allclose(ad.history_x, np_.history_x, rtol=1e-10, atol=1e-12)


def test_lbfgs_keeps_at_most_memory_size_pairs(rng):
    A = random_spd(20, rng, cond=1e4)
    tx = lbfgs(lambda x: 0.5 * x @ A @ x, jac=lambda x: A @ x, memory_size=3)
    x = rng.standard_normal(20)
    state = tx.init(x)
    for _ in range(8):
        u, state = tx.update(A @ x, state, x)
        x = x + u
    assert state.s.shape == (3, 20) and state.y.shape == (3, 20) and state.count == 8
    # every stored pair satisfies the curvature condition
    assert np.all(np.einsum("ij,ij->i", state.s, state.y) > 0)


def test_lbfgs_options_are_checked():
    with pytest.raises(ValueError, match=r"the Wolfe constants need 0 < c1 < c2 < 1, got c1=0.5, c2=0.1"):
        lbfgs(rosenbrock, c1=0.5, c2=0.1)
    with pytest.raises(ValueError, match=r"memory_size must be >= 1, got 0"):
        lbfgs(rosenbrock, memory_size=0)


# ---- line searches ---------------------------------------------------------------------

def _line(a_coeffs):
    """phi(a) = c0 + c1 a + c2 a^2 + c4 a^4 with phi'(0) = c1 < 0 (bounded below for c4 > 0)."""
    c0, c1, c2, c4 = a_coeffs

    def evaluate(a):
        return c0 + c1 * a + c2 * a * a + c4 * a**4, c1 + 2 * c2 * a + 4 * c4 * a**3, None

    return evaluate


@settings(max_examples=60, deadline=None)
@given(st.floats(-1.0, -1e-3), st.floats(-5.0, 5.0), st.floats(1e-3, 10.0), st.floats(1e-2, 10.0))
def test_wolfe_step_satisfies_strong_wolfe_conditions(d0, c2_, c4, alpha0):
    evaluate = _line((1.0, d0, c2_, c4))
    alpha, phi_a, _ = wolfe(evaluate, 1.0, d0, alpha0=alpha0)
    _, dphi_a, _ = evaluate(alpha)
    assert phi_a <= 1.0 + 1e-4 * alpha * d0
    assert abs(dphi_a) <= 0.9 * abs(d0) + 1e-12


@settings(max_examples=60, deadline=None)
@given(st.floats(-10.0, -1e-3), st.floats(-5.0, 50.0), st.floats(0.0, 100.0))
def test_backtracking_step_satisfies_armijo(d0, c2_, c4):
    evaluate = _line((0.0, d0, c2_, c4))
    alpha, phi_a = backtracking(lambda a: evaluate(a)[0], 0.0, d0)
    assert 0 < alpha <= 1 and phi_a <= 1e-4 * alpha * d0


def test_line_searches_step_back_from_nan():
    # phi is NaN beyond a = 0.3 (outside the domain): both searches return a finite step
    def phi(a):
        return float("nan") if a > 0.3 else (a - 0.2) ** 2

    alpha, value = backtracking(phi, 0.04, -0.4)
    assert alpha <= 0.3 and np.isfinite(value)
    alpha, value, _ = wolfe(lambda a: (phi(a), 2 * (a - 0.2) if a <= 0.3 else float("nan"), None), 0.04, -0.4)
    assert alpha <= 0.3 and np.isfinite(value)


def test_line_searches_refuse_an_ascent_direction():
    with pytest.raises(LineSearchError, match=r"not a descent direction: phi'\(0\) = 1 >= 0"):
        backtracking(lambda a: a, 0.0, 1.0)
    with pytest.raises(LineSearchError, match=r"not a descent direction"):
        wolfe(lambda a: (a, 1.0, None), 0.0, 1.0)
