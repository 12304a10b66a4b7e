"""eigh / eigvalsh against LAPACK (numpy.linalg.eigh, eigvalsh).

Tolerances: eigenvalues to 1e-10 relative to max |lambda| (the backward-stable bound is
O(eps n ||A||)); reconstruction V diag(w) V^T to 1e-10 relative to max |lambda|;
orthogonality V^T V = I to 1e-12; eigenvectors of well-separated eigenvalues (gaps of
order ||A||) agree with LAPACK to 1e-10 after matching signs.
"""

import importlib
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlfoundations.exceptions import LinAlgError
from mlfoundations.linalg import EighResult, eigh, eigvalsh

# the package re-exports the function eigh, which shadows the module's attribute name
eigh_module = importlib.import_module("mlfoundations.linalg.eigh")

RTOL_VALUES = 1e-10
RTOL_RECON = 1e-10
ATOL_ORTHO = 1e-12


def random_orthogonal(n, rng):
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.sign(np.diag(R))


def with_spectrum(eigenvalues, rng):
    Q = random_orthogonal(len(eigenvalues), rng)
    A = (Q * eigenvalues) @ Q.T
    return 0.5 * (A + A.T)


def random_symmetric(n, rng):
    M = rng.standard_normal((n, n))
    return M + M.T


def graded(n, rng):
    # entries a_ij = g_i g_j r_ij with g spanning 1e-4..1e4: eigenvalues spread over 1e16
    g = np.logspace(-4, 4, n)
    return g[:, None] * random_symmetric(n, rng) * g[None, :]


def wilkinson(n):
    # W_n^+: pairs of eigenvalues that agree to many digits (Wilkinson 1965)
    m = (n - 1) / 2
    return np.diag(np.abs(np.arange(n) - m)) + np.eye(n, k=1) + np.eye(n, k=-1)


def gram(X):
    return X.T @ X


def tridiagonal(n, rng):
    off = rng.standard_normal(n - 1)
    return np.diag(rng.standard_normal(n)) + np.diag(off, 1) + np.diag(off, -1)


CASES = {
    "random_2": lambda rng: random_symmetric(2, rng),
    "random_3": lambda rng: random_symmetric(3, rng),
    "random_10": lambda rng: random_symmetric(10, rng),
    "random_57": lambda rng: random_symmetric(57, rng),
    "random_300": lambda rng: random_symmetric(300, rng),
    "positive_definite": lambda rng: gram(rng.standard_normal((60, 40))) + 1e-3 * np.eye(40),
    "indefinite": lambda rng: with_spectrum(np.linspace(-5.0, 5.0, 30), rng),
    "singular": lambda rng: with_spectrum(np.r_[np.zeros(4), rng.uniform(1, 2, 16)], rng),
    "spectrum_1e-8_to_1e8": lambda rng: with_spectrum(
        np.logspace(-8, 8, 25) * rng.choice([-1.0, 1.0], 25), rng
    ),
    "graded_entries": lambda rng: graded(20, rng),
    "identity": lambda rng: np.eye(12),
    "repeated_11122": lambda rng: with_spectrum(np.array([1.0, 1, 1, 2, 2]), rng),
    "repeated_clusters": lambda rng: with_spectrum(np.repeat([-3.0, 0.5, 7.0], 8), rng),
    "diagonal": lambda rng: np.diag(rng.standard_normal(15)),
    "tridiagonal": lambda rng: tridiagonal(40, rng),
    "second_difference": lambda rng: 2 * np.eye(50) - np.eye(50, k=1) - np.eye(50, k=-1),
    "wilkinson_21": lambda rng: wilkinson(21),
    "rank_one": lambda rng: (lambda x: np.outer(x, x))(rng.standard_normal(9)),
    "zero": lambda rng: np.zeros((6, 6)),
    "huge_entries": lambda rng: 1e300 * random_symmetric(8, rng),
    "tiny_entries": lambda rng: 1e-300 * random_symmetric(8, rng),
    "one_by_one": lambda rng: np.array([[-4.5]]),
}


@pytest.fixture(params=sorted(CASES), ids=sorted(CASES))
def case(request):
    rng = np.random.default_rng(zlib.crc32(request.param.encode()))
    return CASES[request.param](rng)


def test_eigenvalues_match_lapack(case):
    w, _ = eigh(case)
    w_ref = np.linalg.eigvalsh(case)
    scale = np.max(np.abs(w_ref)) if w_ref.size else 0.0
    assert w.shape == w_ref.shape
    assert np.all(np.diff(w) >= 0), "eigenvalues must be ascending"
    assert np.max(np.abs(w - w_ref)) <= RTOL_VALUES * scale


def test_reconstruction_and_orthogonality(case):
    w, V = eigh(case)
    n = case.shape[0]
    scale = np.max(np.abs(w))
    assert np.max(np.abs((V * w) @ V.T - case)) <= RTOL_RECON * scale
    np.testing.assert_allclose(V.T @ V, np.eye(n), rtol=0, atol=ATOL_ORTHO)


def test_sign_convention(case):
    _, V = eigh(case)
    absV = np.abs(V)
    first_largest = np.argmax(absV, axis=0)
    assert np.all(V[first_largest, np.arange(V.shape[1])] > 0)


def test_eigvalsh_matches_eigh_exactly(case):
    # the same sweeps run on (d, e) whether or not the rotations are accumulated
    np.testing.assert_array_equal(eigvalsh(case), eigh(case).eigenvalues)


@pytest.mark.parametrize("n", [2, 5, 30, 120])
def test_eigenvectors_match_lapack_for_separated_eigenvalues(n):
    # eigenvalues 1, 2, ..., n: gaps of 1 against ||A|| = n, so each eigenvector is
    # determined to about eps * n / 1 and both solvers must agree up to sign
    rng = np.random.default_rng(n)
    A = with_spectrum(np.arange(1.0, n + 1.0), rng)
    w, V = eigh(A)
    w_ref, V_ref = np.linalg.eigh(A)
    np.testing.assert_allclose(w, w_ref, rtol=RTOL_VALUES, atol=0)
    V_ref = V_ref * np.sign(np.sum(V * V_ref, axis=0))
    np.testing.assert_allclose(V, V_ref, rtol=0, atol=1e-10)


def test_repeated_eigenvalues_span_the_eigenspaces():
    rng = np.random.default_rng(3)
    Q = random_orthogonal(5, rng)
    A = (Q * np.array([1.0, 1, 1, 2, 2])) @ Q.T
    w, V = eigh(0.5 * (A + A.T))
    np.testing.assert_allclose(w, [1, 1, 1, 2, 2], rtol=0, atol=1e-14)
    # the eigenvector basis is not unique, the projector onto each eigenspace is
    for cols in (slice(0, 3), slice(3, 5)):
        np.testing.assert_allclose(V[:, cols] @ V[:, cols].T, Q[:, cols] @ Q[:, cols].T, atol=1e-13)


def test_identity_and_diagonal_are_exact():
    w, V = eigh(np.eye(4))
    np.testing.assert_array_equal(w, np.ones(4))
    np.testing.assert_array_equal(V, np.eye(4))
    d = np.array([3.0, -1.0, 2.0, 0.5])
    w, V = eigh(np.diag(d))
    np.testing.assert_array_equal(w, np.sort(d))
    np.testing.assert_array_equal(np.abs(V), np.eye(4)[:, np.argsort(d)])


def test_second_difference_closed_form():
    # eigenvalues of tridiag(-1, 2, -1) are 2 - 2 cos(j pi / (n + 1)), j = 1..n
    n = 64
    A = 2 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1)
    j = np.arange(1, n + 1)
    exact = 2 - 2 * np.cos(j * np.pi / (n + 1))
    np.testing.assert_allclose(eigvalsh(A), exact, rtol=0, atol=4e-15 * n)


def test_two_by_two_closed_form():
    a, b, c = 2.0, 1.0, -1.0
    mean, radius = (a + c) / 2, np.hypot((a - c) / 2, b)
    w, V = eigh([[a, b], [b, c]])
    np.testing.assert_allclose(w, [mean - radius, mean + radius], rtol=1e-15)
    np.testing.assert_allclose(np.array([[a, b], [b, c]]) @ V, V * w, atol=1e-15)


def test_empty_and_one_by_one():
    w, V = eigh(np.empty((0, 0)))
    assert w.shape == (0,) and V.shape == (0, 0)
    assert eigvalsh(np.empty((0, 0))).shape == (0,)
    w, V = eigh([[-7.0]])
    np.testing.assert_array_equal(w, [-7.0])
    np.testing.assert_array_equal(V, [[1.0]])


def test_result_is_named_tuple_and_inputs_untouched():
    rng = np.random.default_rng(0)
    A = random_symmetric(6, rng)
    A_copy = A.copy()
    res = eigh(A)
    assert isinstance(res, EighResult)
    w, V = res
    assert res.eigenvalues is w and res.eigenvectors is V
    np.testing.assert_array_equal(A, A_copy)


def test_accepts_lists_ints_and_float32():
    w, _ = eigh([[2, 1], [1, 2]])
    np.testing.assert_allclose(w, [1.0, 3.0], rtol=1e-15)
    w32 = eigvalsh(np.array([[2, 1], [1, 2]], dtype=np.float32))
    assert w32.dtype == np.float64
    np.testing.assert_allclose(w32, [1.0, 3.0], rtol=1e-15)


def test_round_off_asymmetry_is_accepted():
    rng = np.random.default_rng(1)
    A = random_symmetric(10, rng)
    B = A.copy()
    B[0, 1] *= 1 + 1e-14
    np.testing.assert_allclose(eigvalsh(B), np.linalg.eigvalsh(A), rtol=0, atol=1e-12)


def test_check_symmetric_false_uses_symmetric_part():
    rng = np.random.default_rng(2)
    A = rng.standard_normal((7, 7))
    S = (A + A.T) / 2
    np.testing.assert_allclose(
        eigvalsh(A, check_symmetric=False), np.linalg.eigvalsh(S), rtol=0, atol=1e-13
    )
    w, V = eigh(A, check_symmetric=False)
    np.testing.assert_allclose(S @ V, V * w, atol=1e-13)


@pytest.mark.parametrize("t", [5e-192, 1e-160, 1e-140, 1e-100, 1e-20])
def test_tiny_couplings_on_a_zero_diagonal_converge(t):
    # regression (found by hypothesis): zero diagonal, tiny off-diagonals next to a large
    # 2x2 block. The bulge products t * t underflow, so without an absolute deflation
    # floor the QR sweeps stall and eigh raised LinAlgError.
    A = np.zeros((7, 7))
    A[0, 6] = A[6, 0] = A[1, 6] = A[6, 1] = t
    A[1, 2] = A[2, 1] = 0.5
    w, V = eigh(A)
    np.testing.assert_allclose(w, np.linalg.eigvalsh(A), rtol=0, atol=1e-10 * 0.5)
    np.testing.assert_allclose((V * w) @ V.T, A, rtol=0, atol=1e-10 * 0.5)
    np.testing.assert_allclose(V.T @ V, np.eye(7), rtol=0, atol=ATOL_ORTHO)


def test_underflowing_coupling_closed_form():
    # [[0, t, 0], [t, 0, b], [0, b, 0]] has eigenvalues 0 and +-sqrt(t^2 + b^2) = +-b
    # exactly in double precision when t = 5e-159; found by hypothesis, where LAPACK
    # (numpy.linalg.eigvalsh) returned +-1.50000013 for b = 1.5
    t, b = 5.25704734e-159, 1.5
    A = np.zeros((7, 7))
    A[0, 1] = A[1, 0] = t
    A[1, 5] = A[5, 1] = b
    w, V = eigh(A)
    np.testing.assert_allclose(w, [-b, 0, 0, 0, 0, 0, b], rtol=0, atol=1e-15)
    np.testing.assert_allclose((V * w) @ V.T, A, rtol=0, atol=1e-15)


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("func", [eigh, eigvalsh])
def test_non_symmetric_is_refused(func):
    A = np.array([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(
        ValueError,
        match=r"A is not symmetric: max \|A - A\^T\| = 2 exceeds tolerance 2e-10",
    ):
        func(A)


@pytest.mark.parametrize("func", [eigh, eigvalsh])
@pytest.mark.parametrize(
    "bad, match",
    [
        (np.array([[1.0, np.nan], [np.nan, 1.0]]), "A contains NaN"),
        (np.array([[np.inf, 0.0], [0.0, 1.0]]), "A contains inf"),
        (np.ones((2, 3)), r"A must be a square 2-D matrix, got shape \(2, 3\)"),
        (np.ones(3), r"A must be a square 2-D matrix, got shape \(3,\)"),
        (np.ones((2, 2, 2)), r"A must be a square 2-D matrix, got shape \(2, 2, 2\)"),
        (np.eye(2) * (1 + 1j), "A: Complex data not supported"),
    ],
    ids=["nan", "inf", "non_square", "one_d", "three_d", "complex"],
)
def test_bad_input_raises(func, bad, match):
    with pytest.raises(ValueError, match=match):
        func(bad)


def test_string_input_raises_type_error():
    with pytest.raises(TypeError, match="A must be array-like of numbers"):
        eigh("abc")


def test_non_convergence_raises_linalg_error(monkeypatch):
    monkeypatch.setattr(eigh_module, "_SWEEPS_PER_EIGENVALUE", 0)
    A = random_symmetric(5, np.random.default_rng(0))
    with pytest.raises(LinAlgError, match=r"did not converge within 0 sweeps \(0 \* n\); 5 of 5"):
        eigh(A)
    # a diagonal matrix needs no sweep at all
    np.testing.assert_array_equal(eigvalsh(np.diag([2.0, 1.0])), [1.0, 2.0])


# ------------------------------------------------------------------ properties

# |entries| in [1e-50, 1e3] or 0: LAPACK itself is not an exact oracle when products
# of entries underflow (see test_underflowing_coupling_closed_form)
moderate_entries = st.one_of(
    st.just(0.0), st.floats(1e-50, 1e3), st.floats(-1e3, -1e-50)
)
symmetric_matrices = st.integers(1, 8).flatmap(
    lambda n: arrays(np.float64, (n, n), elements=moderate_entries)
).map(lambda M: 0.5 * M + 0.5 * M.T)


@settings(max_examples=150, deadline=None)
@given(symmetric_matrices)
def test_property_matches_lapack_and_reconstructs(A):
    w, V = eigh(A)
    w_ref = np.linalg.eigvalsh(A)
    scale = np.max(np.abs(w_ref))
    assert np.max(np.abs(w - w_ref)) <= RTOL_VALUES * scale
    assert np.max(np.abs((V * w) @ V.T - A)) <= RTOL_RECON * scale
    np.testing.assert_allclose(V.T @ V, np.eye(A.shape[0]), rtol=0, atol=ATOL_ORTHO)


@settings(max_examples=60, deadline=None)
@given(symmetric_matrices, st.integers(-60, 60))
def test_property_power_of_two_scaling_is_exact(A, p):
    # eigh(2^p A) = 2^p eigh(A) bit for bit: the internal scaling is by powers of two
    w, V = eigh(A)
    w2, V2 = eigh(np.ldexp(A, p))
    np.testing.assert_array_equal(w2, np.ldexp(w, p))
    np.testing.assert_array_equal(V2, V)


@settings(max_examples=60, deadline=None)
@given(symmetric_matrices, st.floats(-100, 100, allow_nan=False))
def test_property_shift_moves_every_eigenvalue(A, sigma):
    n = A.shape[0]
    w = eigvalsh(A)
    w_shift = eigvalsh(A + sigma * np.eye(n))
    scale = max(np.max(np.abs(w)), abs(sigma))
    assert np.max(np.abs(w_shift - (w + sigma))) <= 1e-10 * scale


wide_entries = st.one_of(
    st.just(0.0),
    st.builds(lambda m, p: m * 10.0**p, st.floats(-1, 1, allow_nan=False), st.integers(-200, 200)),
)
wide_symmetric_matrices = st.integers(1, 8).flatmap(
    lambda n: arrays(np.float64, (n, n), elements=wide_entries)
).map(lambda M: 0.5 * M + 0.5 * M.T)


@settings(max_examples=150, deadline=None)
@given(wide_symmetric_matrices)
def test_property_wide_magnitudes_reconstruct(A):
    # entries from 1e-200 to 1e200 and exact zeros (sparse, zero diagonals): the QR
    # iteration must converge and be backward stable relative to ||A||
    w, V = eigh(A)
    scale = np.max(np.abs(A))
    n = A.shape[0]
    assert np.all(np.diff(w) >= 0)
    assert np.max(np.abs((V * w) @ V.T - A)) <= 1e-13 * n * scale
    np.testing.assert_allclose(V.T @ V, np.eye(n), rtol=0, atol=ATOL_ORTHO)
    np.testing.assert_array_equal(eigvalsh(A), w)
