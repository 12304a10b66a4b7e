"""The Tensor class and the backward sweep: construction, accumulation, retained
gradients, detach/no_grad, create_graph, deep graphs, and the errors users hit."""

import threading
import time

import numpy as np
import pytest

import mlfoundations.autodiff as ad
from mlfoundations.autodiff import Tensor, no_grad


# ---------------------------------------------------------------- construction
@pytest.mark.parametrize("data, dtype", [
    ([1, 2, 3], np.float64), (np.arange(3), np.float64), (True, np.float64),
    (np.ones(2, np.float32), np.float32), (np.ones(2, np.float16), np.float64),
    (2.5, np.float64), (np.float32(1.0), np.float32), ([[1.0], [2.0]], np.float64),
])
def test_dtype_rules(data, dtype):
    assert Tensor(data).dtype == dtype
    assert ad.tensor(data, requires_grad=True).dtype == dtype


def test_parameters_copy_their_data_and_constants_share_it():
    w0 = np.zeros(3)
    w = Tensor(w0, requires_grad=True)
    w.data -= 1.0  # an optimizer step must not write into the caller's array
    np.testing.assert_array_equal(w0, 0.0)
    x = Tensor(w0)  # a batch of data is wrapped without a copy
    assert x.data is w0


@pytest.mark.parametrize("data, match", [
    ("abc", "must be numeric, got a string"),
    (np.array(["a", "b"]), "must be numeric"),
    (np.array([1 + 2j]), "must be numeric"),
    ([1.0, None], "must be numeric"),
    ([[1.0], [2.0, 3.0]], "could not be read as a numeric array"),
])
def test_non_numeric_data_raises_type_error(data, match):
    with pytest.raises(TypeError, match=match):
        Tensor(data)


def test_requires_grad_must_be_bool():
    with pytest.raises(TypeError, match="requires_grad must be True or False, got int"):
        Tensor([1.0], requires_grad=1)


def test_properties_and_repr():
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    assert (x.shape, x.ndim, x.size, len(x)) == ((2, 3), 2, 6, 2)
    assert x.T.shape == (3, 2) and x.is_leaf and not (x * 1).is_leaf
    assert x.numpy() is x.data and np.asarray(x) is x.data
    assert np.array(x) is not x.data and np.asarray(x, dtype=np.float32).dtype == np.float32
    assert Tensor([[4.0]]).item() == 4.0 and isinstance(Tensor(4.0).item(), float)
    assert repr(x) == "Tensor([[0., 1., 2.],\n        [3., 4., 5.]], requires_grad=True)"
    assert repr(Tensor(np.float32(1.5))) == "Tensor(1.5, dtype=float32)"
    with pytest.raises(ValueError, match=r"item\(\) needs a one-element tensor"):
        x.item()
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(Tensor(1.0))


def test_numpy_arrays_on_the_left_defer_to_tensor():
    x = Tensor([1.0, 2.0], requires_grad=True)
    for y in (np.ones(2) * x, np.ones(2) + x, np.ones(2) - x, np.ones(2) / x, np.ones(2) ** x):
        assert isinstance(y, Tensor) and y.requires_grad
    y = np.array([3.0, 4.0]) - x
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [-1.0, -1.0])


# ---------------------------------------------------------------- accumulation
def test_gradients_accumulate_until_zero_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    for _ in range(3):
        (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, 3 * 2 * x.data)
    x.zero_grad()
    assert x.grad is None
    (3 * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])


def test_backward_twice_on_the_same_graph_doubles():
    x = Tensor(2.0, requires_grad=True)
    y = x**3
    y.backward()
    y.backward()
    assert x.grad == 2 * 12.0


def test_shared_subexpressions_sum_over_paths():
    # z = y + y*y with y = sin-free polynomial x^2:  dz/dx = 2x + 4x^3
    x = Tensor(np.array([0.5, -1.5]), requires_grad=True)
    y = x * x
    z = (y + y * y).sum()
    z.backward()
    np.testing.assert_allclose(x.grad, 2 * x.data + 4 * x.data**3, rtol=1e-15)


def test_leaf_gradients_never_alias_each_other():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    assert a.grad is not b.grad
    a.grad *= 10  # an in-place update of one gradient leaves the other alone
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])
    c = Tensor(1.0, requires_grad=True)
    ad.broadcast_to(c, (3,)).sum().backward()
    c.grad += 1  # writable, owned
    assert c.grad == 4.0


def test_views_of_one_gradient_are_not_shared_between_leaves():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0], requires_grad=True)
    c = Tensor(np.zeros(3), requires_grad=True)
    ((ad.concatenate([a, b]) + c) * np.array([1.0, 2.0, 3.0])).sum().backward()
    c.grad[...] = 0.0  # c's gradient is the array the slices for a and b came from
    a.grad[...] = -1.0
    np.testing.assert_array_equal(b.grad, [3.0])
    np.testing.assert_array_equal(c.grad, [0.0, 0.0, 0.0])


def test_transposed_weight_gets_a_c_ordered_gradient(rng):
    # y = x W^T (PyTorch's Linear layout): the gradient of W has W's memory layout
    W = Tensor(rng.standard_normal((4, 3)), requires_grad=True)
    x = rng.standard_normal((5, 3))
    g = rng.standard_normal((5, 4))
    (Tensor(x) @ W.T).backward(g)
    assert W.grad.flags.c_contiguous
    np.testing.assert_allclose(W.grad, g.T @ x, rtol=1e-14)
    x_t = Tensor(rng.standard_normal((3, 5)), requires_grad=True)
    (x_t.T @ W.data.T).backward(g)  # a transposed left operand
    np.testing.assert_allclose(x_t.grad, (g @ W.data).T, rtol=1e-14)


def test_only_tensors_that_require_grad_get_gradients():
    w = Tensor([1.0], requires_grad=True)
    x = Tensor([2.0])
    (w * x).sum().backward()
    assert x.grad is None and w.grad[0] == 2.0


def test_non_leaf_gradients_are_not_kept_unless_retained():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    r = (x * 2).retain_grad()
    ((h + r) ** 2).sum().backward()
    assert h.grad is None
    np.testing.assert_array_equal(r.grad, 2 * (h.data + r.data))
    with pytest.raises(ValueError, match="retain_grad\\(\\) on a tensor that does not require"):
        Tensor([1.0]).retain_grad()


def test_backward_from_a_leaf_and_an_explicit_cotangent():
    x = Tensor([1.0, 2.0], requires_grad=True)
    x.backward(np.array([3.0, 4.0]))
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])
    y = Tensor(np.ones((2, 2)), requires_grad=True)
    (y * 2).backward(Tensor(np.eye(2)))
    np.testing.assert_array_equal(y.grad, 2 * np.eye(2))
    z = Tensor([[5.0]], requires_grad=True)
    (z * z).backward()  # one element: the cotangent 1 is implied
    assert z.grad[0, 0] == 10.0


# ---------------------------------------------------------------- detach, no_grad
def test_detach_stops_the_gradient_and_shares_data():
    x = Tensor([1.0, 2.0], requires_grad=True)
    d = (x * 2).detach()
    assert not d.requires_grad and d.is_leaf
    (x * d).sum().backward()
    np.testing.assert_array_equal(x.grad, d.data)
    assert x.detach().data is x.data


def test_no_grad_records_nothing_and_restores_the_mode():
    x = Tensor([1.0], requires_grad=True)
    with no_grad():
        assert not ad.is_grad_enabled()
        y = x * 2 + 1
        with ad.enable_grad():
            z = x * 2
    assert ad.is_grad_enabled()
    assert not y.requires_grad and y._args is None and z.requires_grad

    @no_grad()
    def evaluate(t):
        return t * 2

    assert not evaluate(x).requires_grad and ad.is_grad_enabled()
    with ad.set_grad_enabled(False):
        assert not (x + 1).requires_grad
    assert ad.is_grad_enabled()
    with pytest.raises(TypeError, match="mode must be True or False"):
        ad.set_grad_enabled(0)


def test_grad_mode_is_per_thread():
    seen = []
    with no_grad():
        worker = threading.Thread(target=lambda: seen.append(ad.is_grad_enabled()))
        worker.start()
        worker.join()
    assert seen == [True]


# ---------------------------------------------------------------- deep graphs
def test_chain_of_100000_operations_backpropagates_quickly():
    # No recursion anywhere: Python's default recursion limit is 1000. Budget 5 s
    # for forward + backward (about 2 s on a loaded 2-core machine).
    x = Tensor(0.5, requires_grad=True)
    start = time.perf_counter()
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.backward()
    elapsed = time.perf_counter() - start
    np.testing.assert_allclose(x.grad, 1.00001**100_000, rtol=1e-9)
    assert elapsed < 5.0


def test_wide_graph_with_many_paths():
    x = Tensor(np.arange(5.0), requires_grad=True)
    terms = [x * k for k in range(200)]
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    total.sum().backward()
    np.testing.assert_array_equal(x.grad, np.full(5, sum(range(200))))


# ---------------------------------------------------------------- create_graph
def test_create_graph_gives_differentiable_gradients():
    x = Tensor(np.array([0.3, -0.7]), requires_grad=True)
    (x.tanh() * x).sum().backward(create_graph=True)
    g = x.grad
    assert isinstance(g, Tensor) and g.requires_grad
    t = np.tanh(x.data)
    np.testing.assert_allclose(g.data, t + x.data * (1 - t**2), rtol=1e-14)
    x.zero_grad()
    g.sum().backward()  # d/dx [tanh + x sech^2] = 2 sech^2 - 2 x tanh sech^2
    s2 = 1 - t**2
    np.testing.assert_allclose(x.grad, 2 * s2 - 2 * x.data * t * s2, rtol=1e-13)


def test_create_graph_accumulates_onto_an_existing_gradient():
    x = Tensor(2.0, requires_grad=True)
    (x * x).backward()
    (x**3).backward(create_graph=True)
    assert isinstance(x.grad, Tensor) and x.grad.item() == 4.0 + 12.0
    (x * 5).backward()  # a plain pass after a recorded one keeps an array
    assert isinstance(x.grad, np.ndarray) and x.grad == 21.0


def test_third_derivative_by_repeated_create_graph():
    x = Tensor(1.5, requires_grad=True)
    (x**4).backward(create_graph=True)
    g1 = x.grad
    x.zero_grad()
    g1.backward(create_graph=True)
    g2 = x.grad
    x.zero_grad()
    g2.backward()
    assert g1.item() == 4 * 1.5**3 and g2.item() == 12 * 1.5**2 and x.grad == 24 * 1.5


# ---------------------------------------------------------------- errors
def test_backward_errors():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"grad can be omitted only for a scalar .*shape \(2,\)"):
        (x * 2).backward()
    with pytest.raises(ValueError, match="backward\\(\\) called on a tensor that does not"):
        Tensor(1.0).backward()
    with no_grad():
        y = (x * x).sum()
    with pytest.raises(ValueError, match="does not require grad"):
        y.backward()
    with pytest.raises(ValueError, match=r"grad has shape \(3,\) but the tensor has shape \(2,\)"):
        (x * 2).backward(np.ones(3))
    with pytest.raises(TypeError, match="grad must be numeric"):
        (x * 2).backward(np.array(["a", "b"]))
