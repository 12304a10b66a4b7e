"""grad, value_and_grad, jacobian, hessian and hvp against central differences
(step 1e-6 for first derivatives, tolerance 1e-6 relative + 1e-7 absolute; second
derivatives are differences of the exact gradient, same tolerances), and their
composition."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlfoundations.autodiff as ad
from mlfoundations.autodiff import grad, hessian, hvp, jacobian, value_and_grad

H = 1e-6
RTOL, ATOL = 1e-6, 1e-7


def numerical_jacobian(fun, x, h=H):
    """Central differences of an array function: shape fun(x).shape + x.shape."""
    x = np.asarray(x, dtype=float)
    y0 = np.asarray(fun(x))
    J = np.zeros(y0.shape + x.shape)
    for j in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[j] = h
        J[(...,) + j] = (np.asarray(fun(x + e)) - np.asarray(fun(x - e))) / (2 * h)
    return J


def rosenbrock(x):
    return ((1 - x[:-1]) ** 2 + 100 * (x[1:] - x[:-1] ** 2) ** 2).sum()


def softplus_quadratic(x):
    return ad.log(1 + ad.exp(x)).sum() + 0.5 * (x @ x) + (x[0] * x[-1]).tanh()


SCALAR_FUNCTIONS = [
    ("rosenbrock", rosenbrock, (5,)),
    ("softplus-quadratic", softplus_quadratic, (4,)),
    ("logsumexp-matrix", lambda X: ad.logsumexp(X @ X.T, axis=None), (3, 2)),
    ("softmax-entropy", lambda z: -(ad.softmax(z) * ad.log_softmax(z)).sum(), (6,)),
    ("max-sigmoid", lambda z: ad.sigmoid(z).max() + ad.maximum(z, 0.1).mean(), (5,)),
]


@pytest.mark.parametrize("name, f, shape", SCALAR_FUNCTIONS, ids=[c[0] for c in SCALAR_FUNCTIONS])
def test_grad_matches_central_differences(rng, name, f, shape):
    x = rng.standard_normal(shape) * 0.8
    value = lambda z: f(ad.Tensor(z)).item()  # noqa: E731
    np.testing.assert_allclose(grad(f)(x), numerical_jacobian(value, x), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name, f, shape", SCALAR_FUNCTIONS, ids=[c[0] for c in SCALAR_FUNCTIONS])
def test_hessian_matches_differences_of_the_gradient(rng, name, f, shape):
    x = rng.standard_normal(shape) * 0.8
    Hx = hessian(f)(x)
    assert Hx.shape == shape + shape
    np.testing.assert_allclose(Hx, numerical_jacobian(grad(f), x), rtol=1e-5, atol=1e-6)
    flat = Hx.reshape(x.size, x.size)
    np.testing.assert_allclose(flat, flat.T, rtol=1e-12, atol=1e-12)  # symmetric


@pytest.mark.parametrize("name, f, shape", SCALAR_FUNCTIONS, ids=[c[0] for c in SCALAR_FUNCTIONS])
def test_hvp_equals_hessian_times_vector(rng, name, f, shape):
    x = rng.standard_normal(shape) * 0.8
    v = rng.standard_normal(shape)
    Hx = hessian(f)(x).reshape(x.size, x.size)
    np.testing.assert_allclose(hvp(f, x, v), (Hx @ v.reshape(-1)).reshape(shape),
                               rtol=1e-12, atol=1e-12)


def test_rosenbrock_hessian_closed_form():
    x = np.array([-1.2, 1.0])
    expected = np.array([[1200 * x[0] ** 2 - 400 * x[1] + 2, -400 * x[0]], [-400 * x[0], 200]])
    np.testing.assert_allclose(hessian(rosenbrock)(x), expected, rtol=1e-14)
    np.testing.assert_allclose(
        grad(rosenbrock)(x),
        [-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)],
        rtol=1e-14,
    )


VECTOR_FUNCTIONS = [
    ("elementwise", lambda x: x.tanh() * x[0], (3,)),
    ("matrix-out", lambda x: ad.softmax(x.reshape(2, 3), axis=1), (6,)),
    ("matrix-in", lambda X: X.sum(axis=0) ** 2, (3, 2)),
    ("scalar-out", lambda x: (x * x).sum(), (4,)),
    ("gather", lambda X: ad.gather(ad.log_softmax(X), np.array([[1], [0]]), 1), (2, 3)),
]


@pytest.mark.parametrize("name, f, shape", VECTOR_FUNCTIONS, ids=[c[0] for c in VECTOR_FUNCTIONS])
def test_jacobian_matches_central_differences(rng, name, f, shape):
    x = rng.standard_normal(shape)
    J = jacobian(f)(x)
    value = lambda z: f(ad.Tensor(z)).data  # noqa: E731
    np.testing.assert_allclose(J, numerical_jacobian(value, x), rtol=RTOL, atol=ATOL)


def test_jacobian_of_grad_is_the_hessian(rng):
    x = rng.standard_normal(4)
    np.testing.assert_allclose(jacobian(grad(softplus_quadratic))(x),
                               hessian(softplus_quadratic)(x), rtol=1e-13, atol=1e-14)


def test_grad_of_grad_and_third_derivative():
    f = lambda x: x**3 + x.exp()  # noqa: E731
    assert grad(f)(1.0) == pytest.approx(3 + np.e, rel=1e-15)
    assert grad(grad(f))(1.0) == pytest.approx(6 + np.e, rel=1e-15)
    assert grad(grad(grad(f)))(1.0) == pytest.approx(6 + np.e, rel=1e-15)


def test_argnums_tuple_negative_and_pass_through_arguments(rng):
    A = rng.standard_normal((3, 2))
    x = rng.standard_normal(2)

    def f(A, x, scale):
        return scale * ((A @ x) ** 2).sum()

    gA, gx = grad(f, argnums=(0, 1))(A, x, 0.5)
    r = A @ x
    np.testing.assert_allclose(gA, np.outer(r, x), rtol=1e-14)
    np.testing.assert_allclose(gx, A.T @ r, rtol=1e-14)
    np.testing.assert_allclose(grad(f, argnums=-2)(A, x, 0.5), gx, rtol=0)
    value, (g0,) = value_and_grad(f, argnums=(0,))(A, x, 0.5)
    assert isinstance(value, float) and value == pytest.approx(0.5 * r @ r, rel=1e-14)
    HAA, HAx = hessian(f, argnums=(0, 1))(A, x, 0.5)[0]
    assert HAA.shape == (3, 2, 3, 2) and HAx.shape == (3, 2, 2)
    np.testing.assert_allclose(HAx, numerical_jacobian(lambda z: grad(f)(A, z, 0.5), x),
                               rtol=1e-6, atol=1e-7)


def test_inputs_are_converted_to_float64_and_not_modified():
    x32 = np.array([1.0, 2.0], dtype=np.float32)
    g = grad(lambda x: (x * x).sum())(x32)
    assert g.dtype == np.float64
    g = grad(lambda x: (x * x).sum())([1, 2])
    np.testing.assert_array_equal(g, [2.0, 4.0])
    x = np.array([1.0, 2.0])
    grad(lambda t: (t * t).sum())(x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_function_independent_of_its_input_has_zero_derivatives():
    g = grad(lambda x: ad.Tensor(3.0))(np.ones(3))
    np.testing.assert_array_equal(g, np.zeros(3))
    np.testing.assert_array_equal(hessian(lambda x: x.sum())(np.ones(2)), np.zeros((2, 2)))
    np.testing.assert_array_equal(jacobian(lambda x: x * 0 + 1)(np.ones(2)), np.zeros((2, 2)))
    np.testing.assert_array_equal(grad(lambda x: 2.0)(np.ones(2)), np.zeros(2))


def test_transforms_work_inside_no_grad():
    with ad.no_grad():
        np.testing.assert_array_equal(grad(lambda x: (x * x).sum())(np.ones(2)), [2.0, 2.0])


def test_functional_errors():
    with pytest.raises(ValueError, match=r"grad needs f to return a scalar, got shape \(2,\)"):
        grad(lambda x: x * 2)(np.ones(2))
    with pytest.raises(ValueError, match="hessian needs f to return a scalar"):
        hessian(lambda x: x * 2)(np.ones(2))
    with pytest.raises(TypeError, match="argnums must be an int or a non-empty tuple"):
        grad(lambda x: x.sum(), argnums=[0])(np.ones(2))
    with pytest.raises(ValueError, match="argnums 1 is out of range for a function called with 1"):
        grad(lambda x: x.sum(), argnums=1)(np.ones(2))
    with pytest.raises(ValueError, match="argument 0 contains NaN"):
        grad(lambda x: x.sum())(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match=r"v has shape \(3,\) but x has shape \(2,\)"):
        hvp(lambda x: x.sum(), np.ones(2), np.ones(3))
    with pytest.raises(TypeError, match="f must return a single Tensor, got tuple"):
        jacobian(lambda x: (x, x))(np.ones(2))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
def test_quadratic_forms_have_exact_derivatives(n, seed):
    # f(x) = 1/2 x^T A x + b^T x: grad = (A + A^T)/2 x + b, Hessian = (A + A^T)/2,
    # exact up to rounding (rtol 1e-12); H v is linear in v.
    rng = np.random.default_rng(seed)
    A, b, x = rng.standard_normal((n, n)), rng.standard_normal(n), rng.standard_normal(n)
    v, w = rng.standard_normal(n), rng.standard_normal(n)

    def f(t):
        return 0.5 * (t @ (ad.Tensor(A) @ t)) + (ad.Tensor(b) * t).sum()

    S = (A + A.T) / 2
    np.testing.assert_allclose(grad(f)(x), S @ x + b, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(hessian(f)(x), S, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(hvp(f, x, 2 * v + w), 2 * hvp(f, x, v) + hvp(f, x, w),
                               rtol=1e-12, atol=1e-12)
