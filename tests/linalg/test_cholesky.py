"""Cholesky factorisation and cho_solve against LAPACK (numpy/scipy)."""

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlfoundations.exceptions import LinAlgError
from mlfoundations.linalg import cho_solve, cholesky

RNG_SEED = 11


@pytest.fixture
def rng():
    return np.random.default_rng(RNG_SEED)


def spd(rng, n, extra=5):
    X = rng.standard_normal((n + extra, n))
    return X.T @ X


def relative_error(X, Y):
    return np.linalg.norm(X - Y) / max(np.linalg.norm(Y), np.finfo(float).tiny)


# Sizes on both sides of the block height (48) and of twice it.
@pytest.mark.parametrize("n", [1, 2, 3, 10, 47, 48, 49, 97, 200])
def test_cholesky_matches_numpy(rng, n):
    A = spd(rng, n)
    L = cholesky(A)
    # tolerance 1e-10 relative in Frobenius norm, factor and reconstruction alike
    assert relative_error(L, np.linalg.cholesky(A)) < 1e-10
    assert relative_error(L @ L.T, A) < 1e-10
    np.testing.assert_array_equal(np.triu(L, 1), 0.0)
    assert np.all(np.diagonal(L) > 0.0)


def test_cholesky_of_a_small_matrix_by_hand():
    np.testing.assert_allclose(cholesky([[4.0, 2.0], [2.0, 5.0]]), [[2.0, 0.0], [1.0, 2.0]], rtol=1e-15)
    np.testing.assert_array_equal(cholesky([[9.0]]), [[3.0]])


def test_cholesky_of_an_ill_conditioned_matrix_is_backward_stable():
    H = scipy.linalg.hilbert(12)  # SPD with cond ~ 1e16: the factor still reconstructs it
    L = cholesky(H)
    assert relative_error(L @ L.T, H) < 1e-14
    assert relative_error(L, np.linalg.cholesky(H)) < 1e-6  # forward error grows with cond


def test_cholesky_reads_only_the_lower_triangle(rng):
    A = spd(rng, 6)
    nudged = A.copy()
    nudged[0, 5] *= 1 + 1e-13  # asymmetry at rounding level is tolerated
    np.testing.assert_array_equal(cholesky(nudged), cholesky(A))


def test_cholesky_of_empty_matrix():
    assert cholesky(np.zeros((0, 0))).shape == (0, 0)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 9).flatmap(
        lambda n: arrays(np.float64, (n + 2, n), elements=st.floats(-10, 10, allow_nan=False))
    )
)
def test_cholesky_reconstructs_gram_matrices(X):
    A = X.T @ X + np.eye(X.shape[1])
    L = cholesky(A)
    assert np.linalg.norm(L @ L.T - A) <= 1e-13 * np.linalg.norm(A)


# ------------------------------------------------------------------- failures


@pytest.mark.parametrize(
    "A, message",
    [
        (
            np.diag([1.0, 2.0, -0.5, 1.0]),
            r"A is not positive definite: pivot 3 is -0\.5 \(the leading 3x3 minor",
        ),
        ([[1.0, 1.0], [1.0, 1.0]], r"not positive definite: pivot 2 is 0 "),  # PSD but singular
        ([[1.0, 2.0], [2.0, 1.0]], r"not positive definite: pivot 2 is -3 "),  # indefinite
        ([[-1.0]], r"not positive definite: pivot 1 is -1 "),
        (np.zeros((3, 3)), r"not positive definite: pivot 1 is 0 "),
    ],
)
def test_not_positive_definite_names_the_pivot(A, message):
    with pytest.raises(LinAlgError, match=message):
        cholesky(A)
    with pytest.raises(np.linalg.LinAlgError):  # numpy agrees it is not PD
        np.linalg.cholesky(A)


def test_failure_beyond_the_first_block_is_located(rng):
    # pivot 100 of 150 is a_kk - ||l_k||^2 = 1 - 2 = -1 after the first 99 steps
    A = np.eye(150)
    A[99, :2] = 1.0
    A[:2, 99] = 1.0
    with pytest.raises(LinAlgError, match=r"pivot 100 is -1 \(the leading 100x100 minor"):
        cholesky(A)


def test_non_symmetric_matrix_is_refused():
    message = r"A is not symmetric: max\|A - A\^T\| = 1 exceeds 1e-10 \* max\|A\|"
    with pytest.raises(ValueError, match=message):
        cholesky([[2.0, 1.0], [0.0, 2.0]])
    with pytest.raises(ValueError, match=r"pass \(A \+ A\.T\) / 2"):
        cholesky([[2.0, 1.0 + 1e-6], [1.0, 2.0]])


@pytest.mark.parametrize(
    "A, message",
    [
        (np.ones((2, 3)), r"A must be a square 2-D matrix, got shape \(2, 3\)"),
        (np.ones(3), r"A must be a square 2-D matrix, got shape \(3,\)"),
        ([[1.0, np.nan], [np.nan, 1.0]], "A contains NaN"),
        ([[np.inf, 0.0], [0.0, 1.0]], "A contains inf"),
    ],
)
def test_bad_input_is_refused(A, message):
    with pytest.raises(ValueError, match=message):
        cholesky(A)


# ----------------------------------------------------------------- cho_solve


@pytest.mark.parametrize("n", [1, 5, 70, 150])
@pytest.mark.parametrize("n_rhs", [None, 3])
def test_cho_solve_matches_scipy(rng, n, n_rhs):
    A = spd(rng, n, extra=n)
    b = rng.standard_normal(n if n_rhs is None else (n, n_rhs))
    x = cho_solve(cholesky(A), b)
    assert x.shape == b.shape
    expected = scipy.linalg.cho_solve(scipy.linalg.cho_factor(A, lower=True), b)
    assert relative_error(x, expected) < 1e-10  # well-conditioned A: 1e-10 relative


def test_cho_solve_refuses_bad_input():
    L = np.eye(3)
    with pytest.raises(ValueError, match=r"b has shape \(2,\); expected \(3,\) or \(3, k\) to match L"):
        cho_solve(L, np.ones(2))
    with pytest.raises(ValueError, match="L has a zero on its diagonal"):
        cho_solve(np.diag([1.0, 0.0, 1.0]), np.ones(3))
    with pytest.raises(ValueError, match="b contains NaN"):
        cho_solve(L, [1.0, np.nan, 1.0])
    with pytest.raises(ValueError, match=r"L must be a square 2-D matrix"):
        cho_solve(np.ones((3, 2)), np.ones(3))
