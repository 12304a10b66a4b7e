"""svd, svdvals, matrix_rank, cond, pinv against LAPACK (numpy.linalg, scipy.linalg).

Tolerances: singular values to 1e-10 relative to s_max (a backward-stable SVD is
accurate to O(eps min(M, N) ||A||_2) absolutely); reconstruction U diag(S) Vt to 1e-10
relative in the Frobenius norm; orthogonality U^T U = I, V^T V = I to 1e-12 entrywise;
singular vectors of distinct singular values agree with LAPACK to 1e-8 after both are
put in the same sign convention (random matrices: gaps of order ||A|| / n, so the
vectors are determined to about eps ||A|| / gap).
"""

import importlib
import warnings

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.utils.extmath import svd_flip

from mlfoundations.exceptions import LinAlgError
from mlfoundations.linalg import SVDResult, cond, matrix_rank, pinv, svd, svdvals

# the package re-exports the function svd, which shadows the module's attribute name
svd_module = importlib.import_module("mlfoundations.linalg.svd")
kernels = importlib.import_module("mlfoundations.linalg._svd_kernels")

RTOL_VALUES = 1e-10
RTOL_RECON = 1e-10
ATOL_ORTHO = 1e-12
ATOL_VECTORS = 1e-8


def random_orthogonal(n, rng):
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.sign(np.diag(R))


def with_singular_values(s, m, n, rng):
    k = len(s)
    return (random_orthogonal(m, rng)[:, :k] * s) @ random_orthogonal(n, rng)[:k]


def kahan(n, c=0.3):
    # upper triangular, s_min far below what its diagonal suggests (Kahan 1966)
    s = np.sqrt(1.0 - c * c)
    return np.diag(s ** np.arange(n)) @ (np.eye(n) + np.triu(-c * np.ones((n, n)), 1))


def hilbert(n):
    i = np.arange(n)
    return 1.0 / (i[:, None] + i[None, :] + 1.0)


CASES = {
    "random 1x1": lambda rng: rng.standard_normal((1, 1)),
    "random 2x2": lambda rng: rng.standard_normal((2, 2)),
    "random 10x10": lambda rng: rng.standard_normal((10, 10)),
    "random 300x300": lambda rng: rng.standard_normal((300, 300)),
    "tall 40x7": lambda rng: rng.standard_normal((40, 7)),
    "tall 500x30": lambda rng: rng.standard_normal((500, 30)),
    "wide 7x40": lambda rng: rng.standard_normal((7, 40)),
    "wide 25x200": lambda rng: rng.standard_normal((25, 200)),
    "row 1x9": lambda rng: rng.standard_normal((1, 9)),
    "column 9x1": lambda rng: rng.standard_normal((9, 1)),
    "rank 3 of 60x50": lambda rng: rng.standard_normal((60, 3)) @ rng.standard_normal((3, 50)),
    "rank 40 of 120x120": lambda rng: rng.standard_normal((120, 40))
    @ rng.standard_normal((40, 120)),
    "graded 1e-10..1e10": lambda rng: with_singular_values(np.logspace(10, -10, 50), 50, 50, rng),
    "graded 1e-10..1e10 tall": lambda rng: with_singular_values(
        np.logspace(10, -10, 30), 70, 30, rng
    ),
    "graded rows and columns": lambda rng: np.logspace(-5, 5, 30)[:, None]
    * rng.standard_normal((30, 30))
    * np.logspace(5, -5, 30),
    "clustered": lambda rng: with_singular_values(np.repeat([3.0, 1.0, 1e-9], 15), 45, 45, rng),
    "hilbert 12": lambda rng: hilbert(12),
    "hilbert 100": lambda rng: hilbert(100),
    "kahan 80": lambda rng: kahan(80),
    "identity": lambda rng: np.eye(17),
    "zero 5x3": lambda rng: np.zeros((5, 3)),
    "ones 30x30": lambda rng: np.ones((30, 30)),
    "diagonal increasing": lambda rng: np.diag(np.logspace(-10, 10, 21)),
    "upper bidiagonal, zeros on the diagonal": lambda rng: np.diag(
        np.where(np.arange(20) % 4 == 1, 0.0, rng.standard_normal(20))
    )
    + np.diag(rng.standard_normal(19), 1),
    "upper bidiagonal, last diagonal zero": lambda rng: np.diag(np.r_[rng.standard_normal(9), 0.0])
    + np.diag(rng.standard_normal(9), 1),
    "every other column zero": lambda rng: rng.standard_normal((30, 30)) * (np.arange(30) % 2),
    "integers": lambda rng: rng.integers(-3, 4, size=(25, 20)).astype(float),
    "huge entries 1e300": lambda rng: 1e300 * rng.standard_normal((12, 9)),
    "tiny entries 1e-300": lambda rng: 1e-300 * rng.standard_normal((9, 12)),
}


def _relative_frobenius(E, A):
    return np.linalg.norm(E / np.max(np.abs(A))) / np.linalg.norm(A / np.max(np.abs(A)))


@pytest.mark.parametrize("name", list(CASES))
def test_matches_lapack(name, rng):
    A = CASES[name](rng)
    U, S, Vt = svd(A)
    k = min(A.shape)
    assert U.shape == (A.shape[0], k) and S.shape == (k,) and Vt.shape == (k, A.shape[1])
    s_ref = np.linalg.svd(A, compute_uv=False)
    s_gesvd = scipy.linalg.svd(A, compute_uv=False, lapack_driver="gesvd")
    s_max = s_ref[0]
    np.testing.assert_allclose(S, s_ref, rtol=0, atol=RTOL_VALUES * s_max)
    np.testing.assert_allclose(S, s_gesvd, rtol=0, atol=RTOL_VALUES * s_max)
    assert np.all(S >= 0.0) and np.all(np.diff(S) <= 0.0)
    if s_max > 0.0:
        assert _relative_frobenius((U * S) @ Vt - A, A) <= RTOL_RECON
    else:
        np.testing.assert_array_equal((U * S) @ Vt, A)
    np.testing.assert_allclose(U.T @ U, np.eye(k), rtol=0, atol=ATOL_ORTHO)
    np.testing.assert_allclose(Vt @ Vt.T, np.eye(k), rtol=0, atol=ATOL_ORTHO)
    # the rotations never feed back into d and e: S alone is the same computation
    np.testing.assert_array_equal(svdvals(A), S)
    np.testing.assert_array_equal(svd(A, compute_uv=False), S)


def test_graded_diagonal_keeps_relative_accuracy():
    # a diagonal matrix is already bidiagonal: every singular value exact, 1e-10 included
    s = np.logspace(10, -10, 21)
    np.testing.assert_array_equal(svdvals(np.diag(s[::-1])), s)


def test_graded_bidiagonal_small_singular_values_relatively_accurate(rng):
    # Demmel–Kahan: the singular values of a bidiagonal B are determined to high
    # relative accuracy by its entries, however graded; the relative convergence tests
    # and zero-shift sweeps must keep every digit of the 1e-22 ones. Oracles: LAPACK's
    # gesvd (whose bidiagonal QR has the same property; the Householder steps leave a
    # bidiagonal input unchanged) and 50-digit arithmetic.
    d = rng.uniform(1.0, 2.0, 12) * np.logspace(0, -22, 12)
    e = rng.uniform(0.1, 0.5, 11) * np.logspace(0, -22, 12)[1:]
    B = np.diag(d) + np.diag(e, 1)
    s = svdvals(B)
    assert s[-1] < 1e-21
    s_gesvd = scipy.linalg.svd(B, compute_uv=False, lapack_driver="gesvd")
    np.testing.assert_allclose(s, s_gesvd, rtol=1e-12)
    mpmath = pytest.importorskip("mpmath")
    with mpmath.workdps(50):
        s_mp = mpmath.svd_r(mpmath.matrix(B.tolist()), compute_uv=False)
        s_exact = np.array([float(x) for x in s_mp])
    np.testing.assert_allclose(s, np.sort(s_exact)[::-1], rtol=1e-12)


def test_extreme_magnitudes_match_numpy():
    # rescaled by a power of two inside: no overflow of intermediates near the top of
    # the range, no loss to underflow near the bottom; only a genuinely overflowing
    # s_1 becomes inf, as in LAPACK
    for value in [1e308 / 4.0, 1e-310, 5e-324]:
        A = np.full((4, 3), value)
        np.testing.assert_allclose(svdvals(A), np.linalg.svd(A, compute_uv=False), rtol=1e-14)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = svdvals(np.full((4, 3), 1.7e308))
    # rank one: s_1 = sqrt(12) * 1.7e308 overflows; s_2, s_3 are zero up to rounding
    # relative to s_1 (an exact 0 depends on the rounding of the reflectors)
    assert s[0] == np.inf
    assert np.all(s[1:] <= 4 * np.finfo(float).eps * np.finfo(float).max)


@pytest.mark.parametrize("shape", [(30, 30), (50, 20), (20, 50), (1, 8), (8, 1)])
def test_singular_vectors_match_lapack_up_to_sign_convention(shape, rng):
    A = rng.standard_normal(shape)
    U, S, Vt = svd(A)
    U_ref, _, Vt_ref = np.linalg.svd(A, full_matrices=False)
    U_ref, Vt_ref = svd_flip(U_ref, Vt_ref, u_based_decision=False)
    assert S.size == 1 or np.min(-np.diff(S)) > 1e-3 * S[0]  # distinct values
    np.testing.assert_allclose(U, U_ref, rtol=0, atol=ATOL_VECTORS)
    np.testing.assert_allclose(Vt, Vt_ref, rtol=0, atol=ATOL_VECTORS)


@pytest.mark.parametrize("shape", [(12, 12), (30, 9), (9, 30)])
@pytest.mark.parametrize("full_matrices", [False, True])
def test_sign_convention_is_scikit_learns(shape, full_matrices, rng):
    A = rng.standard_normal(shape)
    U, S, Vt = svd(A, full_matrices=full_matrices)
    k = min(shape)
    rows = np.arange(Vt.shape[0])
    largest = np.argmax(np.abs(Vt), axis=1)
    assert np.all(Vt[rows, largest] > 0.0)
    U_flipped, Vt_flipped = svd_flip(U[:, :k].copy(), Vt[:k].copy(), u_based_decision=False)
    np.testing.assert_array_equal(U_flipped, U[:, :k])
    np.testing.assert_array_equal(Vt_flipped, Vt[:k])
    # the same matrix with its sign flipped differs only in U
    U2, S2, Vt2 = svd(-A, full_matrices=full_matrices)
    np.testing.assert_allclose(Vt2[:k], Vt[:k], atol=ATOL_VECTORS)
    np.testing.assert_allclose(U2[:, :k], -U[:, :k], atol=ATOL_VECTORS)


@pytest.mark.parametrize("shape", [(9, 4), (4, 9), (6, 6), (1, 5), (5, 1)])
def test_full_matrices_complete_the_bases(shape, rng):
    A = rng.standard_normal(shape)
    m, n = shape
    k = min(shape)
    U, S, Vt = svd(A, full_matrices=True)
    U_ref, _, Vt_ref = np.linalg.svd(A, full_matrices=True)
    assert U.shape == U_ref.shape == (m, m) and Vt.shape == Vt_ref.shape == (n, n)
    np.testing.assert_allclose(U.T @ U, np.eye(m), rtol=0, atol=ATOL_ORTHO)
    np.testing.assert_allclose(Vt @ Vt.T, np.eye(n), rtol=0, atol=ATOL_ORTHO)
    Sigma = np.zeros((m, n))
    Sigma[:k, :k] = np.diag(S)
    assert _relative_frobenius(U @ Sigma @ Vt - A, A) <= RTOL_RECON
    U_thin, S_thin, Vt_thin = svd(A)
    np.testing.assert_allclose(U[:, :k], U_thin, atol=1e-13)
    np.testing.assert_allclose(Vt[:k], Vt_thin, atol=1e-13)


@pytest.mark.parametrize("shape", [(0, 0), (0, 4), (4, 0)])
@pytest.mark.parametrize("full_matrices", [False, True])
def test_empty_shapes_match_numpy(shape, full_matrices):
    A = np.zeros(shape)
    U, S, Vt = svd(A, full_matrices=full_matrices)
    U_ref, S_ref, Vt_ref = np.linalg.svd(A, full_matrices=full_matrices)
    assert (U.shape, S.shape, Vt.shape) == (U_ref.shape, S_ref.shape, Vt_ref.shape)
    np.testing.assert_array_equal(U, U_ref)
    np.testing.assert_array_equal(Vt, Vt_ref)
    assert svd(A, compute_uv=False).shape == (0,)
    assert svdvals(A).shape == (0,)


def test_result_type_and_unpacking(rng):
    A = rng.standard_normal((4, 3))
    result = svd(A)
    assert isinstance(result, SVDResult)
    U, S, Vt = result
    assert result.U is U and result.S is S and result.Vt is Vt
    assert isinstance(svd(A, compute_uv=False), np.ndarray)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("shape", [(8, 5), (5, 8)])
def test_input_left_untouched(order, shape, rng):
    A = np.array(rng.standard_normal(shape), order=order)
    A_copy = A.copy()
    svd(A)
    svd(A, full_matrices=True)
    np.testing.assert_array_equal(A, A_copy)


def test_accepts_lists_and_integers():
    U, S, Vt = svd([[3, 0], [4, 5]])
    np.testing.assert_allclose(S, [np.sqrt(45.0), np.sqrt(5.0)], rtol=1e-14)
    assert S.dtype == np.float64


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 9), st.integers(1, 9)),
        elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
    )
)
def test_property_decomposition(A):
    U, S, Vt = svd(A)
    k = min(A.shape)
    s_ref = np.linalg.svd(A, compute_uv=False)
    scale = max(s_ref[0], np.finfo(float).tiny)
    np.testing.assert_allclose(S, s_ref, rtol=0, atol=RTOL_VALUES * scale)
    assert np.all(S >= 0.0) and np.all(np.diff(S) <= 0.0)
    np.testing.assert_allclose((U * S) @ Vt, A, rtol=0, atol=RTOL_RECON * scale)
    np.testing.assert_allclose(U.T @ U, np.eye(k), rtol=0, atol=ATOL_ORTHO)
    np.testing.assert_allclose(Vt @ Vt.T, np.eye(k), rtol=0, atol=ATOL_ORTHO)
    # singular values of A^T are those of A; of c A are |c| times those of A
    np.testing.assert_allclose(svdvals(A.T), S, rtol=0, atol=RTOL_VALUES * scale)
    np.testing.assert_allclose(svdvals(-2.0 * A), 2.0 * S, rtol=0, atol=RTOL_VALUES * scale)


def test_singular_values_2x2_kernel(rng):
    for f, g, h in [(1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 0.0), (1e300, 1e300, 1e-300)]:
        s_max, s_min = kernels.singular_values_2x2(f, g, h)
        ref = np.linalg.svd(np.array([[f, g], [0.0, h]]) / 1e300 * 1e300, compute_uv=False)
        np.testing.assert_allclose([s_max, s_min], ref, rtol=1e-14, atol=0)
    for _ in range(50):
        f, g, h = rng.standard_normal(3) * 10.0 ** rng.integers(-8, 8, 3)
        ref = np.linalg.svd(np.array([[f, g], [0.0, h]]), compute_uv=False)
        np.testing.assert_allclose(kernels.singular_values_2x2(f, g, h), ref, rtol=1e-13)


def test_sweep_count_is_modest(rng):
    # about two QR sweeps per singular value, far inside the 6 n^2 budget
    n = 80
    work = rng.standard_normal((n, n))
    d, e, _, _ = kernels.bidiagonalize(work)
    steps = kernels.bidiagonal_svd(d, e, np.empty((n, 0)), np.empty((n, 0)))
    assert 0 < steps <= 2 * n * n


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.array([[1.0, np.nan], [0.0, 1.0]]), "A contains NaN"),
        (np.array([[1.0, np.inf], [0.0, 1.0]]), "A contains inf"),
        (np.ones(3), r"A must be 2-D, got .*1-D array of shape \(3,\)"),
        (np.ones((2, 2, 2)), r"A must be 2-D, got .*3-D array of shape \(2, 2, 2\)"),
        (np.array([[1 + 1j, 0], [0, 1]]), "Complex data not supported"),
    ],
)
@pytest.mark.parametrize("function", [svd, svdvals, matrix_rank, cond, pinv])
def test_rejects_bad_matrices(function, bad, message):
    with pytest.raises(ValueError, match=message):
        function(bad)


def test_non_convergence_raises(monkeypatch):
    monkeypatch.setattr(svd_module, "bidiagonal_svd", lambda d, e, Ut, Vt: -1)
    with pytest.raises(LinAlgError, match="SVD did not converge"):
        svd(np.eye(3) + 1.0)
    with pytest.raises(LinAlgError, match="SVD did not converge"):
        svdvals(np.eye(3) + 1.0)


# ------------------------------------------------------------------------ matrix_rank


@pytest.mark.parametrize("shape,rank", [((20, 20), 20), ((30, 20), 7), ((10, 40), 3), ((8, 8), 0)])
def test_matrix_rank_matches_numpy(shape, rank, rng):
    m, n = shape
    A = rng.standard_normal((m, rank)) @ rng.standard_normal((rank, n))
    assert matrix_rank(A) == np.linalg.matrix_rank(A) == rank


def test_matrix_rank_tolerance_and_edge_cases():
    A = np.diag([1.0, 1e-3, 1e-9])
    assert matrix_rank(A) == 3
    assert matrix_rank(A, tol=1e-6) == 2
    assert matrix_rank(A, tol=1e-3) == 1  # strictly above tol
    assert matrix_rank(A, tol=0) == 3
    assert matrix_rank(hilbert(14)) == np.linalg.matrix_rank(hilbert(14))
    assert matrix_rank(np.zeros((0, 3))) == 0
    assert matrix_rank([[2.0]]) == 1


@pytest.mark.parametrize(
    ("tol", "error", "message"),
    [
        (-1.0, ValueError, "tol must be finite and >= 0, got -1.0"),
        (np.nan, ValueError, "tol must be finite and >= 0, got nan"),
        (np.inf, ValueError, "tol must be finite and >= 0, got inf"),
        ("1e-3", TypeError, "tol must be a real number, got str"),
    ],
)
def test_matrix_rank_rejects_bad_tol(tol, error, message):
    with pytest.raises(error, match=message):
        matrix_rank(np.eye(2), tol=tol)


# ------------------------------------------------------------------------------- cond


@pytest.mark.parametrize("p", [None, 2, -2])
@pytest.mark.parametrize("shape", [(10, 10), (15, 6), (6, 15)])
def test_cond_two_norm_matches_numpy(p, shape, rng):
    A = rng.standard_normal(shape)
    np.testing.assert_allclose(cond(A, p), np.linalg.cond(A, p), rtol=1e-10)


@pytest.mark.parametrize("p", ["fro", "nuc", 1, -1, np.inf, -np.inf])
def test_cond_other_norms_match_numpy(p, rng):
    A = rng.standard_normal((12, 12))
    np.testing.assert_allclose(cond(A, p), np.linalg.cond(A, p), rtol=1e-10)
    H = hilbert(6)  # kappa about 1e7: digits lost in inv(H), 1e-6 left to compare
    np.testing.assert_allclose(cond(H, p), np.linalg.cond(H, p), rtol=1e-6)


@pytest.mark.parametrize("p", ["fro", "nuc", 1, -1, np.inf, -np.inf])
def test_cond_other_norms_singular_is_inf_without_warning(p):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cond(np.array([[1.0, 2.0], [2.0, 4.0]]), p) == np.inf
        assert cond(np.zeros((3, 3)), p) == np.inf
        assert np.isfinite(cond(hilbert(10), p))  # ill-conditioned, no IllConditionedWarning


def test_cond_ill_conditioned_and_singular():
    H = hilbert(8)  # kappa_2 about 1.5e10
    np.testing.assert_allclose(cond(H), np.linalg.cond(H), rtol=1e-5)
    assert cond(np.array([[1.0, 0.0], [0.0, 0.0]])) == np.inf
    assert cond(np.zeros((3, 3))) == np.inf
    assert cond(np.zeros((3, 3)), -2) == 0.0
    assert cond(np.diag([4.0, 0.5]), -2) == 0.125
    assert cond([[3.0]]) == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"A": np.zeros((0, 0))}, r"A is empty \(shape \(0, 0\)\)"),
        ({"A": np.ones((2, 3)), "p": 1}, r"A must be square for the 1-norm condition number"),
        ({"A": np.eye(2), "p": 3}, "p must be one of None, 2, -2, 'fro', 'nuc', 1, -1, inf, "
         "-inf; got 3"),
        ({"A": np.eye(2), "p": "max"}, "p must be one of .*got 'max'"),
        ({"A": np.eye(2), "p": True}, "p must be one of .*got True"),
    ],
)
def test_cond_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        cond(**kwargs)


# ------------------------------------------------------------------------------- pinv


@pytest.mark.parametrize(
    "name", ["random 10x10", "tall 40x7", "wide 7x40", "rank 3 of 60x50", "zero 5x3", "column 9x1"]
)
def test_pinv_matches_numpy_and_penrose_conditions(name, rng):
    A = CASES[name](rng)
    X = pinv(A)
    X_ref = np.linalg.pinv(A)
    assert X.shape == (A.shape[1], A.shape[0])
    scale = max(np.abs(X_ref).max(), 1.0)
    np.testing.assert_allclose(X, X_ref, rtol=0, atol=1e-10 * scale)
    # Moore–Penrose: A X A = A, X A X = X, (A X)^T = A X, (X A)^T = X A
    np.testing.assert_allclose(A @ X @ A, A, atol=1e-10 * max(np.abs(A).max(), 1.0))
    np.testing.assert_allclose(X @ A @ X, X, atol=1e-10 * scale)
    np.testing.assert_allclose((A @ X).T, A @ X, atol=1e-10)
    np.testing.assert_allclose((X @ A).T, X @ A, atol=1e-10)


def test_pinv_cutoff_and_empty():
    A = np.diag([1.0, 1e-3, 1e-12])
    np.testing.assert_allclose(pinv(A), np.linalg.pinv(A), rtol=1e-12)
    np.testing.assert_allclose(pinv(A, rtol=1e-6), np.diag([1.0, 1e3, 0.0]), rtol=1e-12)
    np.testing.assert_allclose(pinv(A, rtol=1e-6), np.linalg.pinv(A, rtol=1e-6), rtol=1e-12)
    np.testing.assert_allclose(pinv(A, rtol=0), np.diag([1.0, 1e3, 1e12]), rtol=1e-12)
    assert pinv(np.zeros((0, 3))).shape == (3, 0)
    assert pinv(np.zeros((4, 0))).shape == (0, 4)


@pytest.mark.parametrize(
    ("rtol", "error", "message"),
    [
        (-0.1, ValueError, "rtol must be finite and >= 0, got -0.1"),
        (np.nan, ValueError, "rtol must be finite and >= 0, got nan"),
        ([1e-3], TypeError, "rtol must be a real number, got list"),
    ],
)
def test_pinv_rejects_bad_rtol(rtol, error, message):
    with pytest.raises(error, match=message):
        pinv(np.eye(2), rtol=rtol)
