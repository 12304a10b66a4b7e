"""Every primitive: forward value against NumPy, VJP against central differences
(gradcheck, float64, atol 1e-6 / rtol 1e-5 unless stated), broadcasting undone, dtype
kept, and the tie conventions of max/maximum."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, broadcastable_shapes

import mlfoundations.autodiff as ad
from mlfoundations.autodiff import Tensor, gradcheck

ATOL, RTOL = 1e-6, 1e-5


def _draw(rng, shape, domain):
    if domain == "positive":
        return rng.uniform(0.5, 2.0, shape)
    if domain == "nonzero":
        return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.5, 2.0, shape)
    return rng.standard_normal(shape)


# (id, function of Tensors, NumPy reference, input shapes, domain)
CASES = [
    ("add", lambda a, b: a + b, np.add, [(3, 4), (3, 4)], "any"),
    ("add-bcast-row", lambda a, b: a + b, np.add, [(3, 4), (4,)], "any"),
    ("add-bcast-both", lambda a, b: a + b, np.add, [(3, 1, 4), (2, 1)], "any"),
    ("add-scalar-tensor", lambda a, b: a + b, np.add, [(), (2, 3)], "any"),
    ("radd-number", lambda a: 2.5 + a, lambda a: 2.5 + a, [(3,)], "any"),
    ("sub-bcast", lambda a, b: a - b, np.subtract, [(2, 3), (3,)], "any"),
    ("rsub-number", lambda a: 1.0 - a, lambda a: 1.0 - a, [(3,)], "any"),
    ("mul-bcast", lambda a, b: a * b, np.multiply, [(2, 3, 4), (3, 1)], "any"),
    ("div-bcast", lambda a, b: a / b, np.divide, [(2, 3), (2, 1)], "nonzero"),
    ("rdiv-number", lambda a: 3.0 / a, lambda a: 3.0 / a, [(4,)], "nonzero"),
    ("neg", lambda a: -a, np.negative, [(2, 3)], "any"),
    ("pow-int", lambda a: a**3, lambda a: a**3, [(5,)], "any"),
    ("pow-frac", lambda a: a**-1.5, lambda a: a**-1.5, [(2, 2)], "positive"),
    ("pow-tensor-exponent", lambda a, b: a**b, np.power, [(3, 2), (2,)], "positive"),
    ("rpow-number", lambda a: 2.0**a, lambda a: 2.0**a, [(3,)], "any"),
    ("exp", ad.exp, np.exp, [(3, 2)], "any"),
    ("log", ad.log, np.log, [(3, 2)], "positive"),
    ("sqrt", ad.sqrt, np.sqrt, [(4,)], "positive"),
    ("abs", ad.abs, np.abs, [(2, 3)], "nonzero"),
    ("tanh", ad.tanh, np.tanh, [(2, 3)], "any"),
    ("sigmoid", ad.sigmoid, lambda a: 1 / (1 + np.exp(-a)), [(2, 3)], "any"),
    ("relu", ad.relu, lambda a: np.maximum(a, 0), [(3, 3)], "nonzero"),
    ("maximum-bcast", ad.maximum, np.maximum, [(3, 4), (4,)], "any"),
    ("minimum", ad.minimum, np.minimum, [(3, 4), (3, 4)], "any"),
    ("where-bcast", lambda a, b: ad.where(np.array([True, False, True]), a, b),
     lambda a, b: np.where(np.array([True, False, True]), a, b), [(2, 3), (2, 1)], "any"),
    ("sum-all", lambda a: a.sum(), np.sum, [(2, 3, 4)], "any"),
    ("sum-axis0", lambda a: a.sum(axis=0), lambda a: a.sum(axis=0), [(2, 3, 4)], "any"),
    ("sum-axes-keepdims", lambda a: a.sum(axis=(0, 2), keepdims=True),
     lambda a: a.sum(axis=(0, 2), keepdims=True), [(2, 3, 4)], "any"),
    ("sum-0d", lambda a: a.sum(), np.sum, [()], "any"),
    ("mean-all", lambda a: a.mean(), np.mean, [(3, 4)], "any"),
    ("mean-neg-axis", lambda a: a.mean(axis=-1, keepdims=True),
     lambda a: a.mean(axis=-1, keepdims=True), [(2, 3, 4)], "any"),
    ("max-all", lambda a: a.max(), np.max, [(3, 4)], "any"),
    ("max-axis", lambda a: a.max(axis=1), lambda a: a.max(axis=1), [(2, 5, 3)], "any"),
    ("max-axes-keepdims", lambda a: a.max(axis=(0, 2), keepdims=True),
     lambda a: a.max(axis=(0, 2), keepdims=True), [(2, 5, 3)], "any"),
    ("reshape", lambda a: a.reshape(4, -1), lambda a: a.reshape(4, -1), [(2, 3, 2)], "any"),
    ("reshape-tuple", lambda a: a.reshape((6,)), lambda a: a.reshape(6), [(2, 3)], "any"),
    ("transpose", lambda a: a.transpose(), np.transpose, [(2, 3, 4)], "any"),
    ("transpose-axes", lambda a: a.transpose(1, 2, 0), lambda a: a.transpose(1, 2, 0),
     [(2, 3, 4)], "any"),
    ("T", lambda a: a.T, lambda a: a.T, [(2, 3)], "any"),
    ("mT", lambda a: a.mT, lambda a: np.swapaxes(a, -1, -2), [(4, 2, 3)], "any"),
    ("getitem-slices", lambda a: a[1:, ::2], lambda a: a[1:, ::2], [(3, 5)], "any"),
    ("getitem-int-none-ellipsis", lambda a: a[None, ..., 1], lambda a: a[None, ..., 1],
     [(2, 3, 4)], "any"),
    ("getitem-repeated-ints", lambda a: a[[0, 2, 0, 0]], lambda a: a[[0, 2, 0, 0]],
     [(3, 2)], "any"),
    ("getitem-two-arrays", lambda a: a[np.array([0, 1, 1]), np.array([2, 0, 2])],
     lambda a: a[np.array([0, 1, 1]), np.array([2, 0, 2])], [(2, 3)], "any"),
    ("getitem-bool-mask", lambda a: a[np.array([True, False, True])],
     lambda a: a[np.array([True, False, True])], [(3, 2)], "any"),
    ("getitem-mixed", lambda a: a[1:, [0, 0, 2]], lambda a: a[1:, [0, 0, 2]], [(3, 4)], "any"),
    ("gather", lambda a: ad.gather(a, np.array([[0, 2, 2], [1, 1, 0]]), axis=1),
     lambda a: np.take_along_axis(a, np.array([[0, 2, 2], [1, 1, 0]]), axis=1),
     [(2, 3)], "any"),
    ("gather-axis0-bcast", lambda a: ad.gather(a, np.array([[1], [0]]), axis=0),
     lambda a: np.take_along_axis(a, np.array([[1], [0]]), axis=0), [(3, 4)], "any"),
    ("concatenate", lambda a, b: ad.concatenate([a, b], axis=1),
     lambda a, b: np.concatenate([a, b], axis=1), [(2, 3), (2, 1)], "any"),
    ("stack", lambda a, b, c: ad.stack([a, b, c], axis=-1),
     lambda a, b, c: np.stack([a, b, c], axis=-1), [(2, 3), (2, 3), (2, 3)], "any"),
    ("broadcast_to", lambda a: ad.broadcast_to(a, (2, 3, 4)),
     lambda a: np.broadcast_to(a, (2, 3, 4)), [(3, 1)], "any"),
    ("matmul-2d", lambda a, b: a @ b, np.matmul, [(3, 4), (4, 2)], "any"),
    ("matmul-vec-vec", lambda a, b: a @ b, np.matmul, [(4,), (4,)], "any"),
    ("matmul-vec-mat", lambda a, b: a @ b, np.matmul, [(4,), (4, 3)], "any"),
    ("matmul-mat-vec", lambda a, b: a @ b, np.matmul, [(3, 4), (4,)], "any"),
    ("matmul-batched", lambda a, b: a @ b, np.matmul, [(2, 3, 4), (2, 4, 5)], "any"),
    ("matmul-batch-bcast", lambda a, b: a @ b, np.matmul, [(2, 1, 3, 4), (3, 4, 2)], "any"),
    ("matmul-vec-batch", lambda a, b: a @ b, np.matmul, [(4,), (2, 4, 3)], "any"),
    ("matmul-batch-vec", lambda a, b: ad.matmul(a, b), np.matmul, [(2, 3, 4), (4,)], "any"),
    ("rmatmul-array", lambda b: np.ones((2, 3)) @ b, lambda b: np.ones((2, 3)) @ b,
     [(3, 2)], "any"),
    ("logsumexp", ad.logsumexp, lambda a: np.log(np.exp(a).sum(-1)), [(3, 4)], "any"),
    ("logsumexp-axes-keepdims", lambda a: ad.logsumexp(a, axis=(0, 2), keepdims=True),
     lambda a: np.log(np.exp(a).sum(axis=(0, 2), keepdims=True)), [(2, 3, 4)], "any"),
    ("log_softmax", ad.log_softmax, lambda a: a - np.log(np.exp(a).sum(-1, keepdims=True)),
     [(3, 4)], "any"),
    ("log_softmax-axis0", lambda a: ad.log_softmax(a, axis=0),
     lambda a: a - np.log(np.exp(a).sum(0, keepdims=True)), [(3, 4)], "any"),
    ("softmax", ad.softmax, lambda a: np.exp(a) / np.exp(a).sum(-1, keepdims=True),
     [(2, 5)], "any"),
    ("softmax-axis1-3d", lambda a: ad.softmax(a, axis=1),
     lambda a: np.exp(a) / np.exp(a).sum(1, keepdims=True), [(2, 3, 2)], "any"),
    ("astype-roundtrip", lambda a: a.astype(np.float64) * 2, lambda a: a * 2, [(3,)], "any"),
]


@pytest.mark.parametrize("name, f, reference, shapes, domain", CASES, ids=[c[0] for c in CASES])
def test_forward_matches_numpy(rng, name, f, reference, shapes, domain):
    xs = [_draw(rng, s, domain) for s in shapes]
    out = f(*[Tensor(x) for x in xs])
    np.testing.assert_allclose(out.data, reference(*xs), rtol=1e-13, atol=1e-15)
    assert type(out.data) is np.ndarray and out.data.dtype == np.float64  # 0-d too


@pytest.mark.parametrize("name, f, reference, shapes, domain", CASES, ids=[c[0] for c in CASES])
def test_gradcheck_every_primitive(rng, name, f, reference, shapes, domain):
    xs = [_draw(rng, s, domain) for s in shapes]
    report = gradcheck(f, xs, atol=ATOL, rtol=RTOL)
    assert report.passed, str(report)


@pytest.mark.parametrize("name, f, reference, shapes, domain", CASES, ids=[c[0] for c in CASES])
def test_float32_inputs_get_float32_grads(rng, name, f, reference, shapes, domain):
    xs = [Tensor(_draw(rng, s, domain).astype(np.float32), requires_grad=True) for s in shapes]
    out = f(*xs)
    # NumPy's promotion: a float64 constant (or an explicit cast) gives a float64 result
    promoted = name in {"rmatmul-array", "astype-roundtrip"}
    assert out.dtype == (np.float64 if promoted else np.float32), name
    out.backward(np.ones(out.shape))
    for x in xs:
        assert type(x.grad) is np.ndarray
        assert x.grad.dtype == np.float32 and x.grad.shape == x.shape


def test_mixed_precision_gradient_takes_the_inputs_dtype(rng):
    a = Tensor(rng.standard_normal(3).astype(np.float32), requires_grad=True)
    b = Tensor(rng.standard_normal(3), requires_grad=True)
    (a * b).sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    np.testing.assert_allclose(a.grad, b.data.astype(np.float32), rtol=1e-7)


# ---------------------------------------------------------------- broadcasting
@settings(max_examples=40, deadline=None)
@given(shapes=array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
       .flatmap(lambda s: st.tuples(st.just(s), broadcastable_shapes(s, max_side=3))),
       seed=st.integers(0, 2**32 - 1))
def test_broadcasting_is_undone_property(shapes, seed):
    # d/db sum(a * b) = sum of a over the axes b was broadcast along.
    rng = np.random.default_rng(seed)
    sa, sb = shapes
    a = Tensor(rng.standard_normal(sa), requires_grad=True)
    b = Tensor(rng.standard_normal(sb), requires_grad=True)
    (a * b).sum().backward()
    assert a.grad.shape == a.shape and b.grad.shape == b.shape
    full = np.broadcast_shapes(sa, sb)
    expected_b = np.broadcast_to(a.data, full) * np.ones(full)
    lead = len(full) - len(sb)
    expected_b = expected_b.sum(axis=tuple(range(lead)))
    expected_b = expected_b.sum(axis=tuple(i for i, n in enumerate(sb) if n == 1), keepdims=True)
    np.testing.assert_allclose(b.grad, expected_b.reshape(sb), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------- conventions
def test_max_splits_gradient_evenly_between_ties():
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], requires_grad=True)
    x.max(axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    y = Tensor([5.0, 5.0], requires_grad=True)
    y.max().backward()
    np.testing.assert_array_equal(y.grad, [0.5, 0.5])


def test_maximum_splits_ties_and_broadcasts():
    a = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = Tensor(2.0, requires_grad=True)
    ad.maximum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad, [0.0, 0.5, 1.0])
    assert b.grad == 1.5


def test_relu_and_abs_have_zero_gradient_at_the_kink():
    x = Tensor([-1.0, 0.0, 2.0], requires_grad=True)
    (x.relu() + x.abs()).sum().backward()
    np.testing.assert_array_equal(x.grad, [-1.0, 0.0, 2.0])


def test_repeated_indices_accumulate():
    x = Tensor(np.arange(4.0), requires_grad=True)
    x[np.array([3, 3, 3, 0])].sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.0, 0.0, 3.0])
    x.zero_grad()
    ad.gather(Tensor(np.ones((2, 4))) * x, np.array([[1, 1], [2, 1]]), axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 3.0, 1.0, 0.0])


def test_tensor_index_and_boolean_mask_from_a_comparison():
    x = Tensor([[-1.0, 2.0], [3.0, -4.0]], requires_grad=True)
    x[x > 0].sum().backward()  # comparisons give bool arrays usable as masks
    np.testing.assert_array_equal(x.grad, [[0.0, 1.0], [1.0, 0.0]])
    y = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    y[Tensor([2.0, 0.0]).data.astype(int)].sum().backward()
    np.testing.assert_array_equal(y.grad, [1.0, 0.0, 1.0])


def test_getitem_result_does_not_alias_the_input():
    x = Tensor(np.arange(4.0))
    y = x[1:3]
    x.data[1] = 100.0
    assert y.data[0] == 1.0


def test_comparisons_return_plain_bool_arrays():
    x = Tensor([1.0, 2.0], requires_grad=True)
    for result in (x < 2, x <= 1, x > 1, x >= np.array([1.0, 3.0]), x == x, x != 1.0):
        assert isinstance(result, np.ndarray) and result.dtype == bool
    np.testing.assert_array_equal(x < Tensor([2.0, 1.0]), [True, False])


def test_index_add_is_the_adjoint_of_indexing(rng):
    # <x[i], v> == <x, index_add(v, i, x.shape)> for every x, v.
    index = (np.array([0, 2, 2, 1]), np.array([1, 1, 1, 0]))
    x = rng.standard_normal((3, 2))
    v = rng.standard_normal(4)
    assert np.isclose(x[index] @ v, (x * ad.index_add(v, index, x.shape)).sum(), rtol=1e-13)
    report = gradcheck(lambda w: ad.index_add(w, index, (3, 2)), [v], atol=ATOL, rtol=RTOL)
    assert report.passed, str(report)


# ---------------------------------------------------------------- stability
def test_softmax_family_is_stable_for_huge_logits():
    z = Tensor([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4]], requires_grad=True)
    np.testing.assert_allclose(ad.softmax(z).data, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]],
                               rtol=1e-15, atol=1e-300)
    lsm = ad.log_softmax(z)
    np.testing.assert_allclose(lsm.data, [[0.0, -1e4, -2e4], [-np.log(3)] * 3], rtol=1e-15)
    lse = ad.logsumexp(z)
    np.testing.assert_allclose(lse.data, [1e4, -1e4 + np.log(3)], rtol=1e-15)
    (lsm.sum() + lse.sum()).backward()
    assert np.isfinite(z.grad).all()


def test_logsumexp_of_all_minus_infinity_is_minus_infinity():
    out = ad.logsumexp(Tensor([[-np.inf, -np.inf], [0.0, -np.inf]]))
    np.testing.assert_array_equal(out.data, [-np.inf, 0.0])


def test_sigmoid_is_stable_for_large_inputs():
    x = Tensor([-1000.0, -40.0, 0.0, 40.0, 1000.0], requires_grad=True)
    s = ad.sigmoid(x)
    np.testing.assert_allclose(s.data, [0.0, np.exp(-40.0), 0.5, 1.0, 1.0], rtol=1e-14)
    s.sum().backward()
    assert np.isfinite(x.grad).all() and x.grad[2] == 0.25


def test_float32_softmax_of_large_logits_stays_finite():
    z = Tensor(np.array([[80.0, 100.0, -100.0]], np.float32), requires_grad=True)
    out = ad.log_softmax(z)
    assert out.dtype == np.float32 and np.isfinite(out.data).all()
    out.sum().backward()
    assert np.isfinite(z.grad).all()


# ---------------------------------------------------------------- errors
def test_matmul_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"matmul: shapes \(3, 4\) and \(5, 2\) are not aligned"):
        Tensor(np.ones((3, 4))) @ Tensor(np.ones((5, 2)))
    with pytest.raises(ValueError, match=r"matmul: shapes \(2, 3, 4\) and \(5, 4, 2\)"):
        ad.matmul(np.ones((2, 3, 4)), Tensor(np.ones((5, 4, 2))))
    with pytest.raises(ValueError, match=r"matmul: shapes \(\) and \(2,\)"):
        ad.matmul(Tensor(2.0), Tensor([1.0, 2.0]))


def test_log_of_zero_raises_instead_of_minus_infinity():
    with pytest.raises(ValueError, match=r"log of 0 or of a negative number: 2 of 3 entries"):
        ad.log(Tensor([1.0, 0.0, -1.0]))
    with pytest.raises(ValueError, match="log of 0"):
        ad.log(ad.softmax(Tensor([0.0, -1e4])))  # underflowed probability in a loss


def test_sqrt_and_pow_domain_errors():
    with pytest.raises(ValueError, match="sqrt of a negative number: 1 of 2 entries"):
        ad.sqrt(Tensor([1.0, -1.0]))
    with pytest.raises(ValueError, match="negative base with a non-integer exponent"):
        Tensor([-2.0]) ** 0.5
    x = Tensor([-2.0, 3.0], requires_grad=True)
    p = Tensor(2.0, requires_grad=True)
    y = (x**p).sum()  # fine forward (integer-valued exponent) ...
    with pytest.raises(ValueError, match="exponent needs a non-negative base; got 1 negative"):
        y.backward()  # ... but d/dp needs log of the base


def test_shape_and_axis_errors():
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"cannot reshape a tensor of shape \(2, 3\) to \(4,\)"):
        x.reshape(4)
    with pytest.raises(ValueError, match="not a permutation"):
        x.transpose(0, 0)
    with pytest.raises(ValueError, match="axis 2 is out of bounds for a tensor with 2 dim"):
        x.sum(axis=2)
    with pytest.raises(ValueError, match="repeated axis"):
        x.sum(axis=(0, 0))
    with pytest.raises(TypeError, match="axis must be an int"):
        x.mean(axis=1.5)
    with pytest.raises(ValueError, match="axis 3 is out of bounds"):
        ad.softmax(x, axis=3)
    with pytest.raises(ValueError, match="max over an empty axis"):
        Tensor(np.ones((0, 3))).max(axis=0)
    with pytest.raises(ValueError, match="mean over an empty axis"):
        Tensor(np.ones((0, 3))).mean()
    with pytest.raises(ValueError, match=r"cannot broadcast a tensor of shape \(2, 3\) to \(3,\)"):
        ad.broadcast_to(x, (3,))
    with pytest.raises(IndexError, match=r"index into a tensor of shape \(2, 3\)"):
        x[5]


def test_gather_concatenate_stack_errors():
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(TypeError, match="gather: index must hold integers"):
        ad.gather(x, np.array([[0.5]]), axis=1)
    with pytest.raises(ValueError, match=r"gather: index must have the tensor's 2 dim"):
        ad.gather(x, np.array([0, 1]), axis=1)
    with pytest.raises(IndexError, match="gather: index out of range for axis 1 of size 3"):
        ad.gather(x, np.array([[3]]), axis=1)
    with pytest.raises(ValueError, match="concatenate needs a non-empty sequence"):
        ad.concatenate([])
    with pytest.raises(ValueError, match=r"concatenate: shapes \[\(2, 3\), \(3, 2\)\]"):
        ad.concatenate([x, Tensor(np.ones((3, 2)))], axis=0)
    with pytest.raises(ValueError, match="stack: all tensors must have the same shape"):
        ad.stack([x, Tensor(np.ones(3))])
    with pytest.raises(TypeError, match="dtype must be float32 or float64"):
        x.astype(np.int64)


def test_where_with_tensor_condition_and_float32(rng):
    a = Tensor(rng.standard_normal(4).astype(np.float32), requires_grad=True)
    out = ad.where(Tensor([1.0, 0.0, 1.0, 0.0]), a, 0.0)
    out.sum().backward()
    assert out.dtype == np.float32
    np.testing.assert_array_equal(a.grad, [1, 0, 1, 0])


# ---------------------------------------------------------------- second order
@pytest.mark.parametrize("name, f, reference, shapes, domain", CASES, ids=[c[0] for c in CASES])
def test_second_derivatives_of_every_primitive(rng, name, f, reference, shapes, domain):
    # The VJP x -> u^T J_f(x), recorded with create_graph, checked against central
    # differences of itself: d/dx (u^T J_f(x)) is the Hessian of u.f (atol 1e-5, rtol 1e-4).
    xs = [_draw(rng, s, domain) for s in shapes]
    u = rng.standard_normal(np.shape(reference(*xs)))
    argnums = tuple(range(len(xs)))

    def vjp(*ts):
        grads = ad.grad(lambda *a: (f(*a) * u).sum(), argnums=argnums)(*ts)
        return ad.concatenate([g.reshape(-1) for g in grads])

    report = gradcheck(vjp, xs, atol=1e-5, rtol=1e-4)
    assert report.passed, str(report)
