"""Householder QR and least squares against LAPACK (numpy.linalg.qr, numpy.linalg.lstsq)."""

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlfoundations.linalg import LstsqResult, QRResult, lstsq, qr

RNG_SEED = 3


@pytest.fixture
def rng():
    return np.random.default_rng(RNG_SEED)


def relative_error(X, Y):
    return np.linalg.norm(X - Y) / max(np.linalg.norm(Y), np.finfo(float).tiny)


def numpy_qr_with_positive_diagonal(A, mode):
    """LAPACK's QR with its row signs changed to ours (diag(R) >= 0)."""
    Q, R = np.linalg.qr(A, mode=mode)
    k = min(A.shape)
    signs = np.where(np.diagonal(R) < 0.0, -1.0, 1.0)
    R[:k] *= signs[:, None]
    Q[:, :k] *= signs
    return Q, R


# Shapes on both sides of the panel width (32), tall, wide, square and degenerate.
SHAPES = [
    (1, 1), (5, 5), (7, 3), (3, 7), (32, 32), (33, 33),
    (100, 70), (70, 100), (150, 150), (100, 1), (1, 100),
]


@pytest.mark.parametrize("mode", ["reduced", "complete"])
@pytest.mark.parametrize("shape", SHAPES)
def test_qr_matches_lapack(rng, shape, mode):
    A = rng.standard_normal(shape)
    Q, R = qr(A, mode=mode)
    Q_ref, R_ref = numpy_qr_with_positive_diagonal(A, mode)
    assert Q.shape == Q_ref.shape and R.shape == R_ref.shape
    k = min(shape)
    # tolerance 1e-10 relative (Frobenius) for factors and reconstruction
    assert relative_error(R, R_ref) < 1e-10
    assert relative_error(Q[:, :k], Q_ref[:, :k]) < 1e-10
    assert relative_error(Q @ R, A) < 1e-10
    # orthonormal columns to working precision, also the completing ones
    np.testing.assert_allclose(Q.T @ Q, np.eye(Q.shape[1]), atol=1e-13)
    np.testing.assert_array_equal(np.tril(R, -1), 0.0)
    assert np.all(np.diagonal(R) >= 0.0)


def test_qr_returns_named_tuple_and_r_mode_returns_r_only(rng):
    A = rng.standard_normal((9, 4))
    result = qr(A)
    assert isinstance(result, QRResult)
    R_only = qr(A, mode="r")
    assert isinstance(R_only, np.ndarray) and R_only.shape == (4, 4)
    np.testing.assert_array_equal(R_only, result.R)
    assert qr(A.T, mode="r").shape == (4, 9)


def test_qr_by_hand():
    Q, R = qr([[3.0, 1.0], [4.0, 2.0]])
    np.testing.assert_allclose(R, [[5.0, 2.2], [0.0, 0.4]], rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(Q, [[0.6, -0.8], [0.8, 0.6]], rtol=1e-14)


def test_r_transpose_is_the_cholesky_factor_of_the_gram_matrix(rng):
    A = rng.standard_normal((40, 6))
    R = qr(A, mode="r")
    np.testing.assert_allclose(R.T, np.linalg.cholesky(A.T @ A), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "A",
    [
        np.zeros((4, 3)),
        np.ones((5, 5)),  # rank 1
        np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]),
        np.array([[0.0, 1.0], [0.0, 0.0]]),
        np.diag([-1.0, -2.0, 3.0]),  # already triangular, signs to flip
        scipy.linalg.hilbert(12),  # cond ~ 1e16
        np.vander(np.linspace(0, 1, 20), 12),
    ],
)
def test_qr_of_rank_deficient_and_ill_conditioned_matrices(A):
    for mode in ("reduced", "complete"):
        Q, R = qr(A, mode=mode)
        # backward stable whatever the rank or conditioning
        assert np.linalg.norm(Q @ R - A) <= 1e-14 * max(np.linalg.norm(A), 1.0)
        np.testing.assert_allclose(Q.T @ Q, np.eye(Q.shape[1]), atol=1e-13)
        assert np.all(np.diagonal(R) >= 0.0)


@pytest.mark.parametrize("shape", [(0, 0), (0, 3), (3, 0)])
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr_of_empty_matrices_has_numpys_shapes(shape, mode):
    Q, R = qr(np.zeros(shape), mode=mode)
    Q_ref, R_ref = np.linalg.qr(np.zeros(shape), mode=mode)
    assert Q.shape == Q_ref.shape and R.shape == R_ref.shape


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda m: st.integers(1, 8).flatmap(
            lambda n: arrays(np.float64, (m, n), elements=st.floats(-100, 100, allow_nan=False))
        )
    )
)
def test_qr_reconstructs_any_matrix(A):
    Q, R = qr(A)
    assert np.linalg.norm(Q @ R - A) <= 1e-13 * np.linalg.norm(A) + 1e-300  # floor: subnormals
    np.testing.assert_allclose(Q.T @ Q, np.eye(Q.shape[1]), atol=1e-13)


def test_qr_refuses_bad_input():
    with pytest.raises(ValueError, match=r"mode must be one of \('reduced', 'complete', 'r'\), got 'raw'"):
        qr(np.eye(2), mode="raw")
    with pytest.raises(ValueError, match="A must be 2-D, got a 1-D array"):
        qr([1.0, 2.0])
    with pytest.raises(ValueError, match="A contains NaN"):
        qr([[1.0, np.nan]])
    with pytest.raises(ValueError, match="A contains inf"):
        qr([[1.0, -np.inf]])


# ---------------------------------------------------------------------- lstsq


def assert_matches_numpy_lstsq(A, b, rcond=None, rtol=1e-10):
    result = lstsq(A, b, rcond=rcond)
    x_ref, residuals_ref, rank_ref, s_ref = np.linalg.lstsq(A, b, rcond=rcond)
    assert isinstance(result, LstsqResult)
    assert result.rank == rank_ref and isinstance(result.rank, int)
    assert result.x.shape == x_ref.shape
    assert result.residuals.shape == residuals_ref.shape
    assert relative_error(result.x, x_ref) < rtol
    if residuals_ref.size:
        np.testing.assert_allclose(result.residuals, residuals_ref, rtol=rtol)
    np.testing.assert_allclose(result.singular_values, s_ref, rtol=rtol, atol=rtol * s_ref.max(initial=0))
    return result


@pytest.mark.parametrize(
    "shape", [(50, 10), (10, 50), (30, 30), (1, 1), (5, 3), (3, 5), (120, 40), (40, 120)]
)
@pytest.mark.parametrize("n_rhs", [None, 1, 3])
def test_lstsq_matches_numpy(rng, shape, n_rhs):
    A = rng.standard_normal(shape)
    b = rng.standard_normal(shape[0] if n_rhs is None else (shape[0], n_rhs))
    # tolerance 1e-10 relative for well-conditioned A
    assert_matches_numpy_lstsq(A, b)


@pytest.mark.parametrize("shape", [(20, 8), (8, 20), (10, 10)])
@pytest.mark.parametrize("n_rhs", [None, 2])
def test_lstsq_minimum_norm_for_rank_deficient_matrices(rng, shape, n_rhs):
    m, n = shape
    A = rng.standard_normal((m, 4)) @ rng.standard_normal((4, n))  # rank 4
    b = rng.standard_normal(m if n_rhs is None else (m, n_rhs))
    result = assert_matches_numpy_lstsq(A, b)
    assert result.rank == 4
    np.testing.assert_allclose(result.x, np.linalg.pinv(A) @ b, rtol=1e-10, atol=1e-12)


def test_lstsq_with_a_large_rcond_truncates_like_numpy(rng):
    A = rng.standard_normal((15, 6)) @ np.diag([1.0, 1.0, 1.0, 1e-3, 1e-4, 1e-5])
    b = rng.standard_normal(15)
    result = assert_matches_numpy_lstsq(A, b, rcond=1e-2)
    assert result.rank == 3
    assert lstsq(A, b, rcond=0).rank == 6


@pytest.mark.parametrize("rcond", [-1, 0, 0.0, -0.5])
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (3, 3)])
def test_lstsq_rcond_zero_or_negative_means_machine_precision_like_numpy(rng, shape, rcond):
    # numpy documents rcond=-1 as "machine precision" and LAPACK gelsd treats 0
    # the same way: s_3 = 1e-18 < eps * s_1 is cut, not inverted into a 1e18
    A = np.zeros(shape)
    A[[1, 0, 2], [0, 1, 2]] = [3.0, 1.0, 1e-18]  # singular values known exactly
    b = rng.standard_normal((shape[0], 2))
    result = assert_matches_numpy_lstsq(A, b, rcond=rcond)  # 1e-10 relative
    assert result.rank == 2
    assert np.abs(result.x).max() < 10.0


def test_lstsq_of_a_zero_matrix(rng):
    result = assert_matches_numpy_lstsq(np.zeros((4, 3)), rng.standard_normal(4))
    assert result.rank == 0
    np.testing.assert_array_equal(result.x, 0.0)


@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (0, 0)])
@pytest.mark.parametrize("n_rhs", [None, 2])
def test_lstsq_of_empty_problems(shape, n_rhs):
    b = np.ones(shape[0] if n_rhs is None else (shape[0], n_rhs))
    assert_matches_numpy_lstsq(np.zeros(shape), b)


def test_lstsq_fits_a_line_exactly():
    t = np.arange(6.0)
    A = np.column_stack([np.ones(6), t])
    x, residuals, rank, s = lstsq(A, 1.0 + 2.0 * t)
    np.testing.assert_allclose(x, [1.0, 2.0], rtol=1e-13)
    assert rank == 2 and residuals.shape == (1,) and residuals[0] < 1e-25


def test_lstsq_of_an_ill_conditioned_problem_is_backward_stable(rng):
    A = scipy.linalg.hilbert(8)  # cond ~ 1.5e10: full rank
    b = rng.standard_normal(8)
    x = lstsq(A, b).x
    assert np.linalg.norm(A @ x - b) / (np.linalg.norm(A, 2) * np.linalg.norm(x)) < 1e-13
    # tall polynomial fit, cond ~ 1e8: the residual is orthogonal to the columns
    V = np.vander(np.linspace(-1, 1, 60), 10)
    y = np.cos(3 * np.linspace(-1, 1, 60))
    r = y - V @ lstsq(V, y).x
    assert np.linalg.norm(V.T @ r) <= 1e-13 * np.linalg.norm(V, 2) * np.linalg.norm(y)
    assert_matches_numpy_lstsq(V, y, rtol=1e-7)  # forward error ~ cond * eps


def test_lstsq_refuses_bad_input():
    message = r"b has shape \(3,\); expected \(4,\) or \(4, k\) to match the 4 rows of A"
    with pytest.raises(ValueError, match=message):
        lstsq(np.ones((4, 2)), np.ones(3))
    with pytest.raises(ValueError, match=r"b has shape \(4, 1, 1\)"):
        lstsq(np.ones((4, 2)), np.ones((4, 1, 1)))
    with pytest.raises(ValueError, match="rcond must be finite, got nan"):
        lstsq(np.ones((4, 2)), np.ones(4), rcond=np.nan)
    with pytest.raises(TypeError, match="rcond must be a real number"):
        lstsq(np.ones((4, 2)), np.ones(4), rcond="warn")
    with pytest.raises(ValueError, match="A must be 2-D, got a 1-D array"):
        lstsq(np.ones(4), np.ones(4))
    with pytest.raises(ValueError, match="b contains NaN"):
        lstsq(np.ones((2, 2)), [np.nan, 1.0])
    with pytest.raises(ValueError, match="A contains inf"):
        lstsq([[np.inf, 1.0], [0.0, 1.0]], [1.0, 1.0])
