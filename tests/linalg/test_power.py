"""power_iteration against LAPACK (numpy.linalg.eigh / eig) on matrices with a spectral gap.

Tolerances: the iteration stops at ||A v - lambda v|| <= tol ||A||_F (tol = 1e-10 unless
stated). For symmetric A the Ritz values are then accurate to about
residual^2 / gap (we check 1e-10 relative) and the Ritz vectors to residual / gap
(we check 1e-8 with gaps of order ||A||). For non-symmetric A we check the residual
itself and the eigenvalues to 1e-8 relative.
"""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlfoundations.exceptions import ConvergenceWarning
from mlfoundations.linalg import PowerIterationResult, power_iteration


def random_orthogonal(n, rng):
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.sign(np.diag(R))


def with_spectrum(eigenvalues, rng):
    Q = random_orthogonal(len(eigenvalues), rng)
    A = (Q * eigenvalues) @ Q.T
    return 0.5 * (A + A.T)


def dominant_reference(A, k):
    w, V = np.linalg.eigh(A)
    order = np.argsort(-np.abs(w), kind="stable")[:k]
    return w[order], V[:, order]


def assert_same_up_to_sign(V, V_ref, atol):
    V_ref = V_ref * np.sign(np.sum(V * V_ref, axis=0))
    np.testing.assert_allclose(V, V_ref, rtol=0, atol=atol)


@pytest.mark.parametrize(
    "spectrum_head, k",
    [
        ([10.0], 1),
        ([-10.0], 1),  # dominant eigenvalue negative
        ([10.0, -7.0, 5.0], 3),
        ([10.0, 9.0, -8.0, 7.0], 2),
    ],
)
def test_symmetric_matches_lapack(spectrum_head, k):
    rng = np.random.default_rng(0)
    n = 60
    tail = rng.uniform(-3.0, 3.0, n - len(spectrum_head))
    A = with_spectrum(np.r_[spectrum_head, tail], rng)
    res = power_iteration(A, k, rng=1)
    w_ref, V_ref = dominant_reference(A, k)
    assert res.converged
    np.testing.assert_allclose(res.eigenvalues, w_ref, rtol=1e-10, atol=0)
    assert_same_up_to_sign(res.eigenvectors, V_ref, atol=1e-8)
    np.testing.assert_allclose(res.eigenvectors.T @ res.eigenvectors, np.eye(k), atol=1e-12)
    residual = np.linalg.norm(A @ res.eigenvectors - res.eigenvectors * res.eigenvalues, axis=0)
    assert np.all(residual <= 1e-10 * np.linalg.norm(A))


def test_non_symmetric_with_real_dominant_eigenvalues():
    rng = np.random.default_rng(2)
    n = 40
    eigenvalues = np.r_[8.0, -6.0, 4.5, rng.uniform(-2.0, 2.0, n - 3)]
    S = np.eye(n) + 0.3 * rng.standard_normal((n, n))
    A = S @ np.diag(eigenvalues) @ np.linalg.inv(S)
    res = power_iteration(A, 3, rng=0)
    assert res.converged
    np.testing.assert_allclose(res.eigenvalues, [8.0, -6.0, 4.5], rtol=1e-8)
    X = res.eigenvectors
    np.testing.assert_allclose(np.linalg.norm(X, axis=0), 1.0, rtol=1e-14)
    assert np.all(np.linalg.norm(A @ X - X * res.eigenvalues, axis=0) <= 1e-10 * np.linalg.norm(A))
    # each is (up to sign) LAPACK's unit eigenvector for that eigenvalue
    w_ref, V_ref = np.linalg.eig(A)
    for lam, x in zip(res.eigenvalues, X.T):
        v = np.real(V_ref[:, np.argmin(np.abs(w_ref - lam))])
        assert abs(abs(v @ x) - 1.0) <= 1e-8


def test_ordering_by_decreasing_modulus_and_sign_convention():
    rng = np.random.default_rng(5)
    A = with_spectrum(np.array([1.0, -9.0, 3.0, 6.0, -0.5]), rng)
    res = power_iteration(A, 4, rng=3)
    np.testing.assert_allclose(res.eigenvalues, [-9.0, 6.0, 3.0, 1.0], rtol=1e-10)
    V = res.eigenvectors
    first_largest = np.argmax(np.abs(V), axis=0)
    assert np.all(V[first_largest, np.arange(4)] > 0)


def test_k_equal_n_gives_full_decomposition():
    rng = np.random.default_rng(6)
    A = with_spectrum(np.array([4.0, -2.0, 1.0, 0.5]), rng)
    res = power_iteration(A, 4, rng=0)
    assert res.converged
    np.testing.assert_allclose(res.eigenvalues, [4.0, -2.0, 1.0, 0.5], rtol=1e-10)
    w, V = res.eigenvalues, res.eigenvectors
    np.testing.assert_allclose((V * w) @ V.T, A, atol=1e-10)


def test_diagonal_example_and_result_type():
    res = power_iteration(np.diag([5.0, -3.0, 1.0]), k=2, rng=0)
    assert isinstance(res, PowerIterationResult)
    w, V, n_iter, converged = res
    assert converged and 1 <= n_iter < 1000
    np.testing.assert_allclose(w, [5.0, -3.0], rtol=1e-12)
    np.testing.assert_allclose(V, np.eye(3)[:, :2], atol=1e-9)


def test_rank_deficient_block():
    # rank-1 A with k = 2: A Q has rank 1, the second direction is any unit vector
    # orthogonal to the first, with eigenvalue 0
    rng = np.random.default_rng(11)
    x = rng.standard_normal(8)
    A = np.outer(x, x)
    res = power_iteration(A, 2, rng=0)
    assert res.converged
    np.testing.assert_allclose(res.eigenvalues, [x @ x, 0.0], rtol=1e-12, atol=1e-12 * (x @ x))
    np.testing.assert_allclose(res.eigenvectors.T @ res.eigenvectors, np.eye(2), atol=1e-12)
    assert_same_up_to_sign(res.eigenvectors[:, :1], (x / np.linalg.norm(x))[:, None], atol=1e-12)


def test_one_by_one_and_zero_matrix():
    res = power_iteration([[-2.5]])
    np.testing.assert_array_equal(res.eigenvalues, [-2.5])
    np.testing.assert_array_equal(res.eigenvectors, [[1.0]])
    assert res.converged and res.n_iter == 1
    res = power_iteration(np.zeros((3, 3)), k=2)
    np.testing.assert_array_equal(res.eigenvalues, [0.0, 0.0])
    np.testing.assert_array_equal(res.eigenvectors, np.eye(3)[:, :2])
    assert res.converged and res.n_iter == 0


def test_huge_and_tiny_scales():
    rng = np.random.default_rng(7)
    A = with_spectrum(np.array([3.0, 1.0, 0.5, -0.2]), rng)
    for c in (1e300, 1e-300):
        res = power_iteration(c * A, 2, rng=0)
        assert res.converged
        np.testing.assert_allclose(res.eigenvalues, c * np.array([3.0, 1.0]), rtol=1e-10)


def test_rng_reproducible_and_generator_accepted():
    rng = np.random.default_rng(8)
    A = with_spectrum(np.r_[5.0, 4.0, rng.uniform(-1, 1, 20)], rng)
    a = power_iteration(A, 2, rng=42)
    b = power_iteration(A, 2, rng=np.random.default_rng(42))
    np.testing.assert_array_equal(a.eigenvalues, b.eigenvalues)
    np.testing.assert_array_equal(a.eigenvectors, b.eigenvectors)
    assert a.n_iter == b.n_iter


# ------------------------------------------------------------------ non-convergence


def test_equal_modulus_warns_with_residual():
    # |lambda_1| = |lambda_2| = 1: the iterate swings between two directions forever
    with pytest.warns(
        ConvergenceWarning,
        match=r"did not converge in max_iter=25 iterations: residual .* = [0-9.e-]+ > tol=1e-10",
    ) as record:
        res = power_iteration(np.diag([1.0, -1.0]), max_iter=25, rng=0)
    assert not res.converged and res.n_iter == 25
    figure = float(re.search(r"= ([0-9.e+-]+) > tol", str(record[0].message)).group(1))
    assert figure > 1e-3


def test_complex_dominant_pair_warns():
    theta = 0.3
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    A = np.block([[2 * rotation, np.zeros((2, 1))], [np.zeros((1, 2)), np.eye(1)]])
    with pytest.warns(ConvergenceWarning, match="did not converge in max_iter=200"):
        res = power_iteration(A, 1, max_iter=200, rng=0)
    assert not res.converged


def test_slow_ratio_converges_with_enough_iterations():
    rng = np.random.default_rng(9)
    A = with_spectrum(np.array([1.0, 0.9, 0.5, 0.1]), rng)
    with pytest.warns(ConvergenceWarning):
        power_iteration(A, 1, max_iter=5, rng=0)
    res = power_iteration(A, 1, max_iter=2000, rng=0)
    assert res.converged
    np.testing.assert_allclose(res.eigenvalues, [1.0], rtol=1e-12)


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"A": [[1.0, np.nan], [0.0, 1.0]]}, ValueError, "A contains NaN"),
        ({"A": [[1.0, np.inf], [0.0, 1.0]]}, ValueError, "A contains inf"),
        ({"A": np.ones((2, 3))}, ValueError, r"A must be a square 2-D matrix, got shape \(2, 3\)"),
        ({"A": np.ones(3)}, ValueError, r"A must be a square 2-D matrix, got shape \(3,\)"),
        ({"A": np.empty((0, 0))}, ValueError, r"A must be a non-empty square matrix"),
        ({"k": 0}, ValueError, "k must be >= 1, got 0"),
        ({"k": 4}, ValueError, "k must be <= 3, got 4"),
        ({"k": 1.5}, TypeError, "k must be an integer, got float 1.5"),
        ({"tol": 0.0}, ValueError, r"tol must be finite and > 0, got 0.0"),
        ({"tol": -1e-3}, ValueError, r"tol must be finite and > 0, got -0.001"),
        ({"max_iter": 0}, ValueError, "max_iter must be >= 1, got 0"),
        ({"rng": np.random.RandomState(0)}, TypeError, "rng: numpy.random.RandomState is not"),
        ({"rng": "seed"}, TypeError, "rng must be None, an int seed or a numpy.random.Gen"),
    ],
)
def test_bad_arguments_raise(kwargs, error, match):
    args = {"A": np.diag([3.0, 2.0, 1.0]), **kwargs}
    A = args.pop("A")
    with pytest.raises(error, match=match):
        power_iteration(A, **args)


# ------------------------------------------------------------------ properties


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 12),
    k=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
    sign=st.sampled_from([-1.0, 1.0]),
)
def test_property_symmetric_with_gap(n, k, seed, sign):
    # dominant eigenvalues 8, 4, 2 (signs varied) over a tail inside [-1, 1]: ratio <= 1/2
    k = min(k, n)
    rng = np.random.default_rng(seed)
    head = sign * np.array([8.0, -4.0, 2.0])[:k]
    A = with_spectrum(np.r_[head, rng.uniform(-1.0, 1.0, n - k)], rng)
    res = power_iteration(A, k, rng=seed)
    assert res.converged
    w_ref, V_ref = dominant_reference(A, k)
    np.testing.assert_allclose(res.eigenvalues, w_ref, rtol=1e-10)
    assert_same_up_to_sign(res.eigenvectors, V_ref, atol=1e-8)
