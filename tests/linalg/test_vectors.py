"""Vectors: dot, cross, norm, cosine similarity and projection against numpy/sklearn."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlfoundations.linalg import cosine_similarity, cross, dot, lstsq, norm, project

sklearn_pairwise = pytest.importorskip("sklearn.metrics.pairwise")

RNG_SEED = 20240601
finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@pytest.fixture
def rng():
    return np.random.default_rng(RNG_SEED)


# --------------------------------------------------------------------------- dot


def test_dot_of_the_guide_vectors():
    assert dot([1, 2, 3], [4, 5, 6]) == 32.0
    assert isinstance(dot([1, 2, 3], [4, 5, 6]), float)


@pytest.mark.parametrize(
    "shape_x, shape_y",
    [((7,), (7,)), ((4, 7), (7,)), ((7,), (7, 3)), ((4, 7), (7, 3)), ((0,), (0,)), ((2, 0), (0, 3))],
)
def test_dot_matches_numpy(rng, shape_x, shape_y):
    x, y = rng.standard_normal(shape_x), rng.standard_normal(shape_y)
    # tolerance 1e-12: the same BLAS sum, possibly in another order
    np.testing.assert_allclose(dot(x, y), np.dot(x, y), rtol=1e-12, atol=1e-14)
    assert np.shape(dot(x, y)) == np.shape(np.dot(x, y))


def test_dot_rejects_bad_input():
    with pytest.raises(ValueError, match=r"shapes \(3,\) \(x\) and \(2,\) \(y\) are not aligned"):
        dot([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match=r"shapes \(2, 3\) \(x\) and \(2, 3\) \(y\) are not aligned"):
        dot(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"x must be 1-D or 2-D, got an array of shape \(2, 2, 2\)"):
        dot(np.ones((2, 2, 2)), np.ones(2))
    with pytest.raises(ValueError, match=r"y must be 1-D or 2-D, got an array of shape \(\)"):
        dot([1.0], 3.0)
    with pytest.raises(ValueError, match="x contains NaN"):
        dot([np.nan, 1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="y contains inf"):
        dot([1.0, 1.0], [np.inf, 1.0])


# ------------------------------------------------------------------------- cross


def test_cross_of_the_guide_vectors():
    np.testing.assert_array_equal(cross([1, 2, 3], [4, 5, 6]), [-3.0, 6.0, -3.0])


def test_cross_matches_numpy_for_rows(rng):
    X, Y = rng.standard_normal((10, 3)), rng.standard_normal((10, 3))
    np.testing.assert_allclose(cross(X, Y), np.cross(X, Y), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(cross(X, Y[0]), np.cross(X, Y[0]), rtol=1e-13, atol=1e-15)


def test_cross_of_2_vectors_is_the_z_component(rng):
    x, y = rng.standard_normal(2), rng.standard_normal(2)
    z = cross(x, y)
    assert isinstance(z, float)
    lifted = np.cross(np.append(x, 0.0), np.append(y, 0.0))
    np.testing.assert_allclose(z, lifted[2], rtol=1e-14)
    assert cross([1, 0], [0, 1]) == 1.0
    X, Y = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))
    np.testing.assert_allclose(cross(X, Y), X[:, 0] * Y[:, 1] - X[:, 1] * Y[:, 0], rtol=1e-14)


def test_cross_mixes_a_2_vector_with_a_3_vector_as_z_equals_0():
    np.testing.assert_array_equal(cross([1, 2], [3, 4, 5]), np.cross([1, 2, 0], [3, 4, 5]))


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, 3, elements=finite), arrays(np.float64, 3, elements=finite))
def test_cross_is_orthogonal_to_both_factors(x, y):
    c = cross(x, y)
    # upper bounds of the 2-norms that cannot underflow (np.linalg.norm squares entries)
    nx, ny = 2 * np.abs(x).max(), 2 * np.abs(y).max()
    # |c . x| is a sum of products of size ||x||^2 ||y||: rounding is eps times that,
    # plus an absolute floor for products that fall into the subnormal range
    bound = 1e-14 * max(nx, ny) * nx * ny + 1e-300
    assert abs(c @ x) <= bound
    assert abs(c @ y) <= bound


def test_cross_rejects_bad_input():
    with pytest.raises(ValueError, match=r"x must hold 2- or 3-vectors .* got shape \(4,\)"):
        cross([1, 2, 3, 4], [1, 2, 3])
    with pytest.raises(ValueError, match=r"y must hold 2- or 3-vectors .* got shape \(2, 2, 3\)"):
        cross([1, 2, 3], np.ones((2, 2, 3)))
    with pytest.raises(ValueError, match=r"x of shape \(2, 3\) and y of shape \(4, 3\) do not broadcast"):
        cross(np.ones((2, 3)), np.ones((4, 3)))
    with pytest.raises(ValueError, match="x contains NaN"):
        cross([np.nan, 0, 0], [1, 2, 3])


# -------------------------------------------------------------------------- norm

VECTOR_ORDS = [None, 1, 2, 3, 1.5, 0.5, np.inf, -np.inf, 0]
MATRIX_ORDS = [None, "fro", 1, -1, np.inf, -np.inf, 2, -2, "nuc"]


@pytest.mark.parametrize("ord", VECTOR_ORDS)
def test_vector_norms_match_numpy(rng, ord):
    x = rng.standard_normal(40)
    x[3] = 0.0  # ord=0 counts nonzeros
    # tolerance 1e-13: a handful of roundings in either implementation
    np.testing.assert_allclose(norm(x, ord), np.linalg.norm(x, ord), rtol=1e-13)
    assert isinstance(norm(x, ord), float)


@pytest.mark.parametrize("ord", MATRIX_ORDS)
@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (5, 5), (1, 3)])
def test_matrix_norms_match_numpy(rng, ord, shape):
    A = rng.standard_normal(shape)
    # tolerance 1e-10 covers the singular values (2, -2, nuc) from the library's SVD
    np.testing.assert_allclose(norm(A, ord), np.linalg.norm(A, ord), rtol=1e-10)


@pytest.mark.parametrize("ord", [None, 1, 3, np.inf, -np.inf, 0])
@pytest.mark.parametrize("axis", [0, 1, -1, 2])
@pytest.mark.parametrize("keepdims", [False, True])
def test_vector_norms_along_an_axis(rng, ord, axis, keepdims):
    x = rng.standard_normal((3, 4, 5))
    expected = np.linalg.norm(x, ord, axis=axis, keepdims=keepdims)
    result = norm(x, ord, axis=axis, keepdims=keepdims)
    assert result.shape == expected.shape
    np.testing.assert_allclose(result, expected, rtol=1e-13)


@pytest.mark.parametrize("ord", MATRIX_ORDS)
@pytest.mark.parametrize("axis", [(0, 1), (1, 0), (0, 2), (2, -3), (-1, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_matrix_norms_over_two_axes(rng, ord, axis, keepdims):
    x = rng.standard_normal((3, 4, 5))
    expected = np.linalg.norm(x, ord, axis=axis, keepdims=keepdims)
    result = norm(x, ord, axis=axis, keepdims=keepdims)
    assert result.shape == expected.shape
    np.testing.assert_allclose(result, expected, rtol=1e-10)


def test_norm_without_ord_flattens_any_dimension(rng):
    x = rng.standard_normal((2, 3, 4))
    np.testing.assert_allclose(norm(x), np.linalg.norm(x), rtol=1e-14)
    assert norm(x, keepdims=True).shape == (1, 1, 1)
    assert norm(-3.0) == 3.0


def test_norm_of_the_guide_vector():
    np.testing.assert_allclose(norm([1, 2, 3]), np.sqrt(14.0), rtol=1e-15)


@pytest.mark.parametrize("scale", [1e200, 1e-200, 1e300, 1e-300])
def test_two_norm_neither_overflows_nor_underflows(scale):
    # numpy squares first: inf for 1e200, 0.0 for 1e-200
    np.testing.assert_allclose(norm([scale, scale]), np.sqrt(2.0) * scale, rtol=1e-15)
    np.testing.assert_allclose(norm([[scale, scale], [scale, scale]], "fro"), 2.0 * scale, rtol=1e-15)
    np.testing.assert_allclose(norm([3.0 * scale, 4.0 * scale], 3), 91.0 ** (1 / 3) * scale, rtol=1e-14)


def test_overflow_safety_is_per_slice():
    X = np.array([[3e200, 4e200], [3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(norm(X, axis=1), [5e200, 5.0, 0.0], rtol=1e-15)


def test_matrix_two_norm_of_huge_entries():
    A = 1e300 * np.array([[3.0, 0.0], [0.0, 4.0]])
    np.testing.assert_allclose(norm(A, 2), 4e300, rtol=1e-14)
    np.testing.assert_allclose(norm(A, "nuc"), 7e300, rtol=1e-14)


def test_norm_of_empty_input_is_zero_like_numpy():
    assert norm([]) == 0.0
    assert norm([], np.inf) == 0.0
    assert norm(np.zeros((0, 3)), 1) == 0.0
    assert norm(np.zeros((0, 3)), "nuc") == 0.0
    np.testing.assert_array_equal(norm(np.zeros((0, 3)), axis=0), np.zeros(3))


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, 6, elements=finite),
    arrays(np.float64, 6, elements=finite),
    st.sampled_from([1, 1.5, 2, 3, np.inf]),
    st.floats(-5, 5, allow_nan=False),
)
def test_norm_axioms(x, y, p, c):
    # triangle inequality and absolute homogeneity, to rounding
    assert norm(x + y, p) <= (norm(x, p) + norm(y, p)) * (1 + 1e-12) + 1e-300
    np.testing.assert_allclose(norm(c * x, p), abs(c) * norm(x, p), rtol=1e-12, atol=1e-300)


def test_norm_rejects_bad_input():
    with pytest.raises(ValueError, match="x contains NaN"):
        norm([1.0, np.nan])
    with pytest.raises(ValueError, match="x contains inf"):
        norm([1.0, np.inf])
    with pytest.raises(ValueError, match="invalid norm order 'fro' for vectors"):
        norm([1.0, 2.0], "fro")
    with pytest.raises(ValueError, match="invalid norm order -1 for vectors.*not a norm"):
        norm([1.0, 2.0], -1)
    with pytest.raises(ValueError, match="invalid norm order 3 for matrices"):
        norm(np.eye(2), 3)
    with pytest.raises(ValueError, match="invalid norm order 'max' for matrices"):
        norm(np.eye(2), "max")
    with pytest.raises(ValueError, match=r"ord=1 needs x to be 1-D or 2-D .* shape \(2, 2, 2\)"):
        norm(np.ones((2, 2, 2)), 1)
    with pytest.raises(ValueError, match="axis 2 is out of bounds for x with 2 dimension"):
        norm(np.eye(2), axis=2)
    with pytest.raises(ValueError, match=r"axis \(1, -1\) repeats an axis"):
        norm(np.eye(2), axis=(1, -1))
    with pytest.raises(ValueError, match="axis must name 1 axis"):
        norm(np.ones((2, 2, 2)), axis=(0, 1, 2))
    with pytest.raises(TypeError, match="axis must be None, an int or a tuple of ints"):
        norm(np.eye(2), axis=1.0)
    with pytest.raises(ValueError, match=r"ord=-inf takes a minimum over an empty axis"):
        norm([], -np.inf)
    with pytest.raises(ValueError, match=r"ord=-1 takes a minimum over an empty axis"):
        norm(np.zeros((3, 0)), -1)
    with pytest.raises(ValueError, match="ord=-2 takes a minimum over no singular values"):
        norm(np.zeros((0, 0)), -2)


# ------------------------------------------------------------- cosine similarity


def test_cosine_similarity_matches_sklearn(rng):
    A, B = rng.standard_normal((8, 5)), rng.standard_normal((6, 5))
    # tolerance 1e-10 relative, 1e-14 absolute for entries near 0
    np.testing.assert_allclose(
        cosine_similarity(A, B), sklearn_pairwise.cosine_similarity(A, B), rtol=1e-10, atol=1e-14
    )
    np.testing.assert_allclose(
        cosine_similarity(A), sklearn_pairwise.cosine_similarity(A), rtol=1e-10, atol=1e-14
    )


def test_zero_rows_have_zero_similarity(rng):
    A = rng.standard_normal((4, 3))
    A[1] = 0.0
    S = cosine_similarity(A)
    np.testing.assert_array_equal(S[1], 0.0)
    np.testing.assert_array_equal(S[:, 1], 0.0)
    np.testing.assert_allclose(S, sklearn_pairwise.cosine_similarity(A), rtol=1e-10, atol=1e-14)


def test_cosine_similarity_is_bounded_and_scale_free(rng):
    A = rng.standard_normal((20, 4))
    S = cosine_similarity(A)
    assert np.all(np.abs(S) <= 1.0)
    np.testing.assert_allclose(np.diagonal(S), 1.0, rtol=1e-15)
    # rows of 1e200 overflow a naive dot product; here they give the same angles
    np.testing.assert_allclose(cosine_similarity(1e200 * A), S, rtol=1e-13, atol=1e-15)


def test_cosine_similarity_rejects_bad_input():
    with pytest.raises(ValueError, match=r"A has 3 columns \(shape \(2, 3\)\) but B has 2"):
        cosine_similarity(np.ones((2, 3)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="A must be 2-D, got a 1-D array"):
        cosine_similarity([1.0, 2.0])
    with pytest.raises(ValueError, match="B contains NaN"):
        cosine_similarity(np.ones((2, 2)), [[np.nan, 1.0]])
    with pytest.raises(ValueError, match=r"A has 0 sample"):
        cosine_similarity(np.zeros((0, 3)))


# ---------------------------------------------------------------------- project


def test_projection_onto_a_vector(rng):
    v, u = rng.standard_normal(5), rng.standard_normal(5)
    p = project(v, u)
    np.testing.assert_allclose(p, (v @ u) / (u @ u) * u, rtol=1e-13)
    assert abs((v - p) @ u) <= 1e-13 * np.linalg.norm(v) * np.linalg.norm(u)
    np.testing.assert_array_equal(project([2.0, 3.0], [1.0, 0.0]), [2.0, 0.0])


def test_projection_onto_a_huge_vector():
    # u . u = 2e600 overflows; the unit vector does not
    np.testing.assert_allclose(project([1.0, 0.0], [1e300, 1e300]), [0.5, 0.5], rtol=1e-14)


@pytest.mark.parametrize("deficient", [False, True])
def test_projection_onto_a_column_space(rng, deficient):
    A = rng.standard_normal((10, 3))
    if deficient:
        A = np.column_stack([A, A[:, 0] + 2 * A[:, 1]])  # rank 3, four columns
    v = rng.standard_normal(10)
    p = project(v, A)
    expected = A @ np.linalg.lstsq(A, v, rcond=None)[0]
    # tolerance 1e-10: both least-squares solvers are backward stable
    np.testing.assert_allclose(p, expected, rtol=1e-10)
    np.testing.assert_allclose(A.T @ (v - p), 0.0, atol=1e-12)  # residual orthogonal
    np.testing.assert_allclose(project(p, A), p, rtol=1e-10)  # P^2 = P


def test_projection_of_a_vector_in_the_subspace_is_itself(rng):
    A = rng.standard_normal((6, 2))
    v = A @ [1.5, -2.0]
    np.testing.assert_allclose(project(v, A), v, rtol=1e-12)
    np.testing.assert_allclose(lstsq(A, v).x, [1.5, -2.0], rtol=1e-12)


def test_project_rejects_bad_input():
    with pytest.raises(ValueError, match="cannot project onto the zero vector"):
        project([1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="cannot project onto a zero matrix"):
        project([1.0, 2.0], np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"onto has shape \(3,\); expected \(2,\) or \(2, k\)"):
        project([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"v must be 1-D"):
        project(np.ones((2, 2)), [1.0, 2.0])
    with pytest.raises(ValueError, match="onto contains NaN"):
        project([1.0, 2.0], [np.nan, 1.0])
