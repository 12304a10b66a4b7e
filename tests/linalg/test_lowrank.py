"""low_rank_approximation: the truncated SVD and the Eckart–Young theorem.

Tolerances: the errors read off the singular values agree with ||A - A_k|| computed
directly (numpy.linalg.norm) to 1e-10 relative to ||A||_2, the floating-point floor
of forming A - A_k; A_k agrees with numpy's truncated SVD to 1e-10 relative to ||A||_2.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlfoundations.linalg import LowRankApproximation, low_rank_approximation, svd

RTOL = 1e-10


def numpy_truncated(A, k):
    U, S, Vt = np.linalg.svd(A, full_matrices=False)
    return (U[:, :k] * S[:k]) @ Vt[:k]


@pytest.mark.parametrize("shape", [(30, 20), (20, 30), (25, 25), (1, 6), (6, 1), (80, 3)])
def test_eckart_young_errors_match_direct_computation(shape, rng):
    A = rng.standard_normal(shape)
    s_max = np.linalg.norm(A, 2)
    for k in range(1, min(shape) + 1):
        result = low_rank_approximation(A, k)
        residual = A - result.approximation
        error_2 = np.linalg.norm(residual, 2)
        error_fro = np.linalg.norm(residual, "fro")
        atol = RTOL * s_max
        np.testing.assert_allclose(result.error_2, error_2, rtol=0, atol=atol)
        np.testing.assert_allclose(result.error_fro, error_fro, rtol=0, atol=atol)
        np.testing.assert_allclose(result.approximation, numpy_truncated(A, k), rtol=0, atol=atol)
        np.testing.assert_allclose(result.relative_error_2, error_2 / s_max, rtol=0, atol=RTOL)
        relative_fro = error_fro / np.linalg.norm(A, "fro")
        np.testing.assert_allclose(result.relative_error_fro, relative_fro, rtol=0, atol=RTOL)
        assert np.linalg.matrix_rank(result.approximation) == k


def test_full_rank_is_exact(rng):
    A = rng.standard_normal((7, 5))
    result = low_rank_approximation(A, 5)
    assert result.error_2 == 0.0 and result.error_fro == 0.0
    assert result.relative_error_2 == 0.0 and result.relative_error_fro == 0.0
    np.testing.assert_allclose(result.approximation, A, rtol=0, atol=RTOL * np.linalg.norm(A, 2))


def test_exactly_low_rank_matrix_is_recovered(rng):
    A = rng.standard_normal((40, 4)) @ rng.standard_normal((4, 30))
    result = low_rank_approximation(A, 4)
    s_max = np.linalg.norm(A, 2)
    assert result.error_2 <= 1e-13 * s_max
    np.testing.assert_allclose(result.approximation, A, rtol=0, atol=RTOL * s_max)


def test_factors_and_fields(rng):
    A = rng.standard_normal((12, 9))
    result = low_rank_approximation(A, 3)
    U, S, Vt = svd(A)
    assert isinstance(result, LowRankApproximation)
    assert result.rank == 3
    assert result.U.shape == (12, 3) and result.S.shape == (3,) and result.Vt.shape == (3, 9)
    np.testing.assert_array_equal(result.U, U[:, :3])
    np.testing.assert_array_equal(result.S, S[:3])
    np.testing.assert_array_equal(result.Vt, Vt[:3])
    assert result.error_2 == S[3]
    np.testing.assert_allclose(result.error_fro, np.sqrt(np.sum(S[3:] ** 2)), rtol=1e-14)
    assert result.compression_ratio == 3 * (12 + 9 + 1) / (12 * 9)
    text = str(result)
    assert "rank 3 of a 12x9 matrix" in text and "compression ratio" in text
    with pytest.raises(AttributeError):
        result.error_2 = 0.0  # frozen


def test_compression_of_an_image_like_matrix():
    # a smooth 64x48 "image" (0..255) is nearly rank 1-2: a few triplets store it well
    x = np.linspace(0.0, 1.0, 48)
    y = np.linspace(0.0, 1.0, 64)[:, None]
    smooth = 0.5 + 0.4 * np.sin(3.0 * y) * np.cos(2.0 * x) + 0.1 * y * x
    image = np.round(255.0 * smooth).astype(np.uint8)
    result = low_rank_approximation(image, 4)
    assert result.compression_ratio == 4 * (64 + 48 + 1) / (64 * 48)
    assert result.compression_ratio < 0.2
    assert result.relative_error_fro < 0.01


@settings(max_examples=40, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(2, 8), st.integers(2, 8)),
        elements=st.floats(-100, 100, allow_nan=False, allow_infinity=False),
    ),
    st.integers(1, 7),
    st.integers(0, 2**32 - 1),
)
def test_property_truncated_svd_is_optimal(A, k, seed):
    # Eckart–Young: no rank-k matrix comes closer, in either norm, than A_k
    k = min(k, min(A.shape))
    result = low_rank_approximation(A, k)
    s = np.linalg.svd(A, compute_uv=False)
    atol = RTOL * max(s[0], 1.0)
    np.testing.assert_allclose(result.error_2, s[k] if k < s.size else 0.0, rtol=0, atol=atol)
    np.testing.assert_allclose(result.error_fro, np.sqrt(np.sum(s[k:] ** 2)), rtol=0, atol=atol)
    assert result.error_2 <= result.error_fro + atol
    rng = np.random.default_rng(seed)
    for _ in range(5):
        # a random rank-k candidate, and the one nearest A with the same column space
        C = rng.standard_normal((A.shape[0], k))
        X = C @ rng.standard_normal((k, A.shape[1]))
        assert np.linalg.norm(A - X, 2) >= result.error_2 - atol
        assert np.linalg.norm(A - X, "fro") >= result.error_fro - atol
        Qc, _ = np.linalg.qr(C)  # reduced: (M, k)
        X = Qc @ (Qc.T @ A)
        assert np.linalg.norm(A - X, 2) >= result.error_2 - atol
        assert np.linalg.norm(A - X, "fro") >= result.error_fro - atol


def test_zero_matrix():
    result = low_rank_approximation(np.zeros((4, 3)), 2)
    np.testing.assert_array_equal(result.approximation, np.zeros((4, 3)))
    assert result.error_2 == 0.0 and result.error_fro == 0.0
    assert result.relative_error_2 == 0.0 and result.relative_error_fro == 0.0


def test_huge_entries_do_not_overflow(rng):
    A = 1e300 * rng.standard_normal((6, 5))
    result = low_rank_approximation(A, 2)
    s = np.linalg.svd(A / 1e300, compute_uv=False)
    np.testing.assert_allclose(result.error_fro / 1e300, np.sqrt(np.sum(s[2:] ** 2)), rtol=1e-10)
    assert np.isfinite(result.relative_error_fro)


@pytest.mark.parametrize(
    ("k", "error", "message"),
    [
        (0, ValueError, r"k=0 must be between 1 and min\(M, N\)=3 for A of shape \(5, 3\)"),
        (4, ValueError, r"k=4 must be between 1 and min\(M, N\)=3 for A of shape \(5, 3\)"),
        (-1, ValueError, r"k=-1 must be between 1 and min\(M, N\)=3"),
        (2.0, TypeError, "k must be an integer, got float 2.0"),
        (True, TypeError, "k must be an integer, got bool True"),
        (None, TypeError, "k must be an integer, got NoneType None"),
    ],
)
def test_rejects_bad_k(k, error, message, rng):
    with pytest.raises(error, match=message):
        low_rank_approximation(rng.standard_normal((5, 3)), k)


def test_accepts_numpy_integer_k(rng):
    assert low_rank_approximation(rng.standard_normal((5, 3)), np.int64(2)).rank == 2


@pytest.mark.parametrize(
    ("A", "message"),
    [
        (np.array([[1.0, np.nan], [0.0, 1.0]]), "A contains NaN"),
        (np.array([[1.0, -np.inf], [0.0, 1.0]]), "A contains inf"),
        (np.ones(4), r"A must be 2-D, got .*1-D"),
        (np.ones((2, 2, 2)), r"A must be 2-D, got .*3-D"),
        (np.zeros((0, 3)), r"A is empty \(shape \(0, 3\)\)"),
        (np.zeros((3, 0)), r"A is empty \(shape \(3, 0\)\)"),
    ],
)
def test_rejects_bad_matrices(A, message):
    with pytest.raises(ValueError, match=message):
        low_rank_approximation(A, 1)
