"""LU with partial pivoting, det, slogdet, solve and inv against LAPACK (numpy/scipy)."""

import warnings

import numpy as np
import pytest
import scipy.linalg
import scipy.sparse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlfoundations.exceptions import IllConditionedWarning, LinAlgError
from mlfoundations.linalg import det, inv, lu, slogdet, solve

RNG_SEED = 7


@pytest.fixture
def rng():
    return np.random.default_rng(RNG_SEED)


def relative_error(X, Y):
    return np.linalg.norm(X - Y) / max(np.linalg.norm(Y), np.finfo(float).tiny)


# Shapes on both sides of the panel width (48) and of a multiple of it.
SHAPES = [
    (1, 1), (2, 2), (5, 5), (48, 48), (49, 49), (150, 150),
    (7, 3), (3, 7), (130, 60), (60, 130), (1, 5), (5, 1),
]


# ---------------------------------------------------------------------------- lu


@pytest.mark.parametrize("shape", SHAPES)
def test_lu_matches_scipy(rng, shape):
    A = rng.standard_normal(shape)
    P, L, U = lu(A)
    P_ref, L_ref, U_ref = scipy.linalg.lu(A)
    # same pivot choices (largest |a_ik|, first on ties) give the same permutation
    np.testing.assert_array_equal(P, P_ref)
    # tolerance 1e-10 relative in Frobenius norm, as for every reconstruction here
    assert relative_error(L, L_ref) < 1e-10
    assert relative_error(U, U_ref) < 1e-10
    assert relative_error(P @ L @ U, A) < 1e-10


@pytest.mark.parametrize("shape", SHAPES)
def test_lu_factors_have_their_structure(rng, shape):
    A = rng.standard_normal(shape)
    P, L, U = lu(A)
    m, n = shape
    k = min(m, n)
    assert P.shape == (m, m) and L.shape == (m, k) and U.shape == (k, n)
    np.testing.assert_array_equal(P @ P.T, np.eye(m))
    np.testing.assert_array_equal(np.sort(P.sum(axis=0)), np.ones(m))
    np.testing.assert_array_equal(np.diagonal(L), 1.0)
    np.testing.assert_array_equal(np.triu(L, 1), 0.0)
    np.testing.assert_array_equal(np.tril(U, -1), 0.0)
    assert np.abs(L).max() <= 1.0  # partial pivoting bounds every multiplier


@pytest.mark.parametrize(
    "A",
    [
        np.zeros((3, 3)),
        np.array([[0.0, 1.0], [0.0, 2.0], [0.0, 3.0]]),
        np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]),
        np.array([[1.0, 2.0], [2.0, 4.0]]),
        np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),
        np.array([[2.0, 1.0], [2.0, 1.0]]),  # tie in the pivot column: first row wins
    ],
)
def test_lu_of_singular_and_adversarial_matrices(A):
    P, L, U = lu(A)
    P_ref, L_ref, U_ref = scipy.linalg.lu(A)
    np.testing.assert_array_equal(P, P_ref)
    np.testing.assert_allclose(L, L_ref, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(U, U_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(P @ L @ U, A, rtol=1e-12, atol=1e-14)


def test_lu_of_a_matrix_that_needs_pivoting():
    # without row exchanges the 1e-20 pivot would destroy the answer
    A = np.array([[1e-20, 1.0], [1.0, 1.0]])
    P, L, U = lu(A)
    np.testing.assert_array_equal(P, [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(P @ L @ U, A, rtol=1e-15)


@pytest.mark.parametrize("shape", [(0, 0), (0, 3), (3, 0)])
def test_lu_of_empty_matrices(shape):
    P, L, U = lu(np.zeros(shape))
    m, n = shape
    # scipy returns a (0, 0) P for (3, 0); here P is (M, M) so that P @ L @ U is defined
    assert P.shape == (m, m) and L.shape == (m, 0) and U.shape == (0, n)
    assert (P @ L @ U).shape == shape


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda m: st.integers(1, 8).flatmap(
            lambda n: arrays(np.float64, (m, n), elements=st.floats(-100, 100, allow_nan=False))
        )
    )
)
def test_lu_reconstructs_any_matrix(A):
    P, L, U = lu(A)
    # 1e-12 leaves room for the worst pivot growth (2^7) on an 8x8 matrix
    assert np.linalg.norm(P @ L @ U - A) <= 1e-12 * np.linalg.norm(A) + 1e-300  # floor: subnormals


# ----------------------------------------------------------------- det, slogdet


def test_det_of_the_guide_matrix():
    np.testing.assert_allclose(det([[1, 2], [3, 4]]), -2.0, rtol=1e-15)


@pytest.mark.parametrize("n", [1, 2, 3, 10, 60, 150])
def test_det_and_slogdet_match_numpy(rng, n):
    A = rng.standard_normal((n, n))
    # tolerance 1e-10 relative (the log is compared absolutely: it may be near 0)
    np.testing.assert_allclose(det(A), np.linalg.det(A), rtol=1e-10)
    sign, logabsdet = slogdet(A)
    sign_ref, logabsdet_ref = np.linalg.slogdet(A)
    assert sign == sign_ref
    np.testing.assert_allclose(logabsdet, logabsdet_ref, rtol=1e-10, atol=1e-10)
    assert isinstance(det(A), float) and isinstance(sign, float) and isinstance(logabsdet, float)


def test_det_of_permutations_has_their_sign():
    assert det(np.eye(4)[[1, 0, 2, 3]]) == -1.0  # one swap
    assert det(np.eye(4)[[1, 2, 0, 3]]) == 1.0  # a 3-cycle is even
    assert det(np.eye(5)[[4, 0, 1, 2, 3]]) == 1.0  # a 5-cycle is even
    assert slogdet(np.eye(4)[[3, 2, 1, 0]]) == (1.0, 0.0)  # two swaps


@pytest.mark.parametrize(
    "A", [np.zeros((3, 3)), np.array([[1.0, 2.0], [2.0, 4.0]]), np.array([[0.0, 1.0], [0.0, 5.0]])]
)
def test_singular_matrix_has_zero_det_without_error(A):
    assert det(A) == 0.0
    assert not np.signbit(det(A))
    assert slogdet(A) == (0.0, -np.inf)


def test_det_of_the_nearly_singular_3x3():
    # numpy gets 0 or 6.7e-16 depending on the LAPACK build; both are rounding level
    assert abs(det([[1, 2, 3], [4, 5, 6], [7, 8, 9]])) < 1e-14


def test_slogdet_survives_where_det_overflows_or_underflows():
    sign, logabsdet = slogdet(0.1 * np.eye(400))
    assert sign == 1.0
    np.testing.assert_allclose(logabsdet, 400 * np.log(0.1), rtol=1e-14)
    assert det(0.1 * np.eye(400)) == 0.0  # underflows, as in numpy
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert det(1e3 * np.eye(200)) == np.inf  # overflows, as in numpy, with no warning
    np.testing.assert_allclose(slogdet(-1e3 * np.eye(201)).logabsdet, 201 * np.log(1e3), rtol=1e-14)
    assert slogdet(-1e3 * np.eye(201)).sign == -1.0


def test_det_of_empty_matrix_is_one():
    assert det(np.zeros((0, 0))) == 1.0
    assert slogdet(np.zeros((0, 0))) == (1.0, 0.0)


# -------------------------------------------------------------------- solve, inv


@pytest.mark.parametrize("n", [1, 2, 5, 47, 100, 150])
@pytest.mark.parametrize("n_rhs", [None, 1, 4])
def test_solve_matches_numpy(rng, n, n_rhs):
    A = rng.standard_normal((n, n)) + n * np.eye(n)  # well conditioned
    b = rng.standard_normal(n if n_rhs is None else (n, n_rhs))
    x = solve(A, b)
    assert x.shape == b.shape
    # tolerance 1e-10 relative for a well-conditioned A
    assert relative_error(x, np.linalg.solve(A, b)) < 1e-10


def test_solve_of_a_random_matrix_that_needs_pivoting(rng):
    A = rng.standard_normal((120, 120))
    A[np.arange(120), np.arange(120)] = 0.0  # every natural pivot is zero
    b = rng.standard_normal(120)
    with warnings.catch_warnings():
        warnings.simplefilter("error", IllConditionedWarning)
        x = solve(A, b)
    # relative to the conditioning of a random matrix (cond ~ 1e3), 1e-10 is ample
    assert relative_error(x, np.linalg.solve(A, b)) < 1e-10


def test_solve_and_inv_of_the_guide_matrix():
    np.testing.assert_allclose(inv([[1, 2], [3, 4]]), [[-2.0, 1.0], [1.5, -0.5]], rtol=1e-14)
    np.testing.assert_allclose(solve([[3, 1], [1, 2]], [9, 8]), [2.0, 3.0], rtol=1e-14)


@pytest.mark.parametrize("n", [8, 9, 10, 11, 12])
def test_solve_hilbert_is_backward_stable_and_warns(n):
    H = scipy.linalg.hilbert(n)
    b = np.ones(n)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        x = solve(H, b)
    # backward error: tiny residual even where the forward error is large
    assert np.linalg.norm(H @ x - b) / (np.linalg.norm(H) * np.linalg.norm(x)) < 1e-13
    ill = [w for w in caught if issubclass(w.category, IllConditionedWarning)]
    cond_1 = np.linalg.cond(H, 1)
    if cond_1 > 1e13:  # n >= 10: reciprocal condition below 1e-12
        assert len(ill) == 1
        assert "condition number is estimated at" in str(ill[0].message)
        # Hager's estimate is a lower bound, usually within a factor of 3
        figure = float(str(ill[0].message).split("estimated at ")[1].split(" ")[0])
        assert cond_1 / 3 <= figure <= cond_1 * 1.01  # 1%: the message rounds to 3 digits
    elif cond_1 < 1e11:  # n = 8
        assert not ill


@pytest.mark.parametrize("n", [8, 10, 12])
def test_inv_hilbert_is_backward_stable(n):
    H = scipy.linalg.hilbert(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IllConditionedWarning)
        H_inv = inv(H)
    # each column x of the inverse solves H x = e_j with a small backward error
    residual = np.linalg.norm(H @ H_inv - np.eye(n), axis=0)
    assert np.all(residual / (np.linalg.norm(H, 2) * np.linalg.norm(H_inv, axis=0)) < 1e-13)


def test_inv_warns_with_the_exact_condition_number():
    H = scipy.linalg.hilbert(11)
    message = r"A is ill-conditioned: its 1-norm condition number is 1\.2\de\+15"
    with pytest.warns(IllConditionedWarning, match=message):
        inv(H)


@pytest.mark.parametrize("n", [1, 3, 49, 150])
def test_inv_matches_numpy(rng, n):
    A = rng.standard_normal((n, n)) + n * np.eye(n)
    A_inv = inv(A)
    assert relative_error(A_inv, np.linalg.inv(A)) < 1e-10
    assert relative_error(A @ A_inv, np.eye(n)) < 1e-12


def test_solve_and_inv_of_empty_systems():
    assert solve(np.zeros((0, 0)), np.zeros(0)).shape == (0,)
    assert solve(np.zeros((0, 0)), np.zeros((0, 3))).shape == (0, 3)
    assert inv(np.zeros((0, 0))).shape == (0, 0)
    assert solve(np.eye(3), np.zeros((3, 0))).shape == (3, 0)


@pytest.mark.parametrize(
    "A, detail",
    [
        ([[1.0, 2.0], [2.0, 4.0]], r"pivot 2 \(U\[1, 1\]\) is exactly zero"),
        ([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], r"pivot 3 \(U\[2, 2\]\) is"),
        (np.zeros((2, 2)), r"pivot 1 \(U\[0, 0\]\) is exactly zero"),
        ([[1.0, 1.0], [1.0, 1.0 + 1e-17]], r"pivot 2"),
        (np.outer(np.arange(1.0, 61.0), np.arange(2.0, 62.0)), r"pivot 2 \(U\[1, 1\]\)"),
    ],
)
def test_singular_matrix_refused_by_solve_and_inv(A, detail):
    with pytest.raises(LinAlgError, match=r"A is singular to working precision: " + detail):
        solve(A, np.ones(len(A)))
    with pytest.raises(LinAlgError, match=r"A is singular to working precision: " + detail):
        inv(A)


def test_nearly_singular_but_regular_matrix_warns_instead():
    A = np.array([[1.0, 1.0], [1.0, 1.0 + 1e-14]])
    with pytest.warns(IllConditionedWarning, match=r"reciprocal \d\.\d+e-15"):
        x = solve(A, [2.0, 2.0 + 1e-14])
    np.testing.assert_allclose(A @ x, [2.0, 2.0 + 1e-14], rtol=1e-15)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 10), st.integers(0, 2**32 - 1))
def test_solve_inverts_matrix_vector_product(n, seed):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n)) + 2 * np.sqrt(n) * np.eye(n)
    x = rng.standard_normal(n)
    np.testing.assert_allclose(solve(A, A @ x), x, rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("func", [det, slogdet, inv, lambda A: solve(A, np.ones(2))])
def test_non_square_or_non_finite_matrices_are_refused(func):
    with pytest.raises(ValueError, match=r"A must be a square 2-D matrix, got shape \(2, 3\)"):
        func(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"A must be a square 2-D matrix, got shape \(2,\)"):
        func(np.ones(2))
    with pytest.raises(ValueError, match=r"A must be a square 2-D matrix, got shape \(2, 2, 2\)"):
        func(np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="A contains NaN"):
        func([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(ValueError, match="A contains inf"):
        func([[1.0, np.inf], [0.0, 1.0]])


def test_lu_refuses_bad_input():
    with pytest.raises(ValueError, match="A must be 2-D, got a 1-D array"):
        lu([1.0, 2.0])
    with pytest.raises(ValueError, match="A contains NaN and inf"):
        lu([[np.nan, np.inf]])
    with pytest.raises(TypeError, match="A is a sparse matrix"):
        lu(scipy.sparse.eye(3))


def test_solve_refuses_mismatched_right_hand_sides():
    A = np.eye(3)
    with pytest.raises(ValueError, match=r"b has shape \(2,\); expected \(3,\) or \(3, k\) to match A"):
        solve(A, np.ones(2))
    with pytest.raises(ValueError, match=r"b has shape \(3, 1, 1\); expected \(3,\) or \(3, k\)"):
        solve(A, np.ones((3, 1, 1)))
    with pytest.raises(ValueError, match=r"b has shape \(\); expected"):
        solve(A, 1.0)
    with pytest.raises(ValueError, match="b contains NaN"):
        solve(A, [1.0, np.nan, 0.0])


def test_row_scaling_does_not_make_a_regular_matrix_singular():
    """Pivots are judged against their own row: diag(1, 1e-20) is regular, only ill-conditioned."""
    D = np.diag([1.0, 1e-20])
    with pytest.warns(IllConditionedWarning, match="all 16 significant digits"):
        np.testing.assert_array_equal(inv(D), np.diag([1.0, 1e20]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IllConditionedWarning)
        np.testing.assert_allclose(solve(D, [1.0, 1e-20]), [1.0, 1.0], rtol=1e-15)
    # a singular matrix is still caught, and NumPy's exception type catches ours
    with pytest.raises(np.linalg.LinAlgError, match="singular"):
        inv([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
