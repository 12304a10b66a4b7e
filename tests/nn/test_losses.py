"""Losses: values from the definitions, gradcheck, reductions, stability, bad targets."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import expit, log_softmax as scipy_log_softmax, softmax as scipy_softmax

from mlfoundations.autodiff import Tensor, gradcheck
from mlfoundations.nn import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss
from mlfoundations.nn import functional as F

# float64 central differences (eps=1e-6) are accurate to ~1e-9 on these losses.
GRAD_ATOL, GRAD_RTOL = 1e-7, 1e-6
REDUCTIONS = ["mean", "sum", "none"]


@pytest.fixture
def rng():
    return np.random.default_rng(3)


def assert_gradcheck(f, *inputs):
    report = gradcheck(f, list(inputs), atol=GRAD_ATOL, rtol=GRAD_RTOL)
    assert report.passed, str(report)


def reduce(values, reduction):
    return {"mean": np.mean, "sum": np.sum, "none": np.asarray}[reduction](values)


# -- MSE ------------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(5,), (4, 3), (2, 3, 2)])
def test_mse_loss_value_and_gradcheck(rng, reduction, shape):
    x, y = rng.standard_normal(shape), rng.standard_normal(shape)
    expected = reduce((x - y) ** 2, reduction)
    np.testing.assert_allclose(MSELoss(reduction)(x, y).numpy(), expected, rtol=1e-14)
    # gradients flow into both the prediction and a target Tensor
    assert_gradcheck(lambda a, b: F.mse_loss(a, b, reduction), x, y)


def test_mse_loss_refuses_broadcasting():
    with pytest.raises(ValueError, match=r"target has shape \(3, 1\) but input has shape \(3,\); they must match"):
        F.mse_loss(np.ones(3), np.ones((3, 1)))


# -- cross-entropy and NLL --------------------------------------------------------------
def logits_and_labels(rng, n=6, c=4, extra=()):
    x = rng.standard_normal((n, c, *extra)) * 2.0
    y = rng.integers(0, c, size=(n, *extra))
    return x, y


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("extra", [(), (3,), (2, 2)])
def test_cross_entropy_with_indices_is_minus_log_softmax_at_the_label(rng, reduction, extra):
    x, y = logits_and_labels(rng, extra=extra)
    log_p = scipy_log_softmax(x, axis=1)
    picked = -np.take_along_axis(log_p, y[:, None], axis=1)[:, 0]
    expected = reduce(picked, reduction)
    np.testing.assert_allclose(CrossEntropyLoss(reduction)(x, y).numpy(), expected, rtol=1e-13)
    np.testing.assert_allclose(NLLLoss(reduction)(log_p, y).numpy(), expected, rtol=1e-13)
    assert_gradcheck(lambda t: F.cross_entropy(t, y, reduction), x)
    assert_gradcheck(lambda t: F.nll_loss(t, y, reduction), log_p)


def test_cross_entropy_gradient_is_softmax_minus_onehot_over_n(rng):
    x, y = logits_and_labels(rng, n=8, c=5)
    t = Tensor(x, requires_grad=True)
    F.cross_entropy(t, y).backward()
    onehot = np.eye(5)[y]
    np.testing.assert_allclose(t.grad, (scipy_softmax(x, axis=1) - onehot) / 8, rtol=1e-12, atol=1e-16)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_onehot_targets_equal_index_targets(rng, reduction):
    x, y = logits_and_labels(rng, extra=(3,))
    onehot = np.moveaxis(np.eye(4)[y], -1, 1)
    np.testing.assert_allclose(
        F.cross_entropy(x, onehot, reduction).numpy(), F.cross_entropy(x, y, reduction).numpy(), rtol=1e-13
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_probability_targets_value_and_gradcheck(rng, reduction):
    x = rng.standard_normal((5, 3))
    q = scipy_softmax(rng.standard_normal((5, 3)), axis=1)
    expected = reduce(-(q * scipy_log_softmax(x, axis=1)).sum(axis=1), reduction)
    np.testing.assert_allclose(F.cross_entropy(x, q, reduction).numpy(), expected, rtol=1e-13)
    # with respect to the logits and to the (soft) target itself
    assert_gradcheck(lambda a, b: F.cross_entropy(a, b, reduction), x, q)


def test_cross_entropy_of_a_single_unbatched_sample(rng):
    x = rng.standard_normal(4)
    expected = -scipy_log_softmax(x)[2]
    np.testing.assert_allclose(F.cross_entropy(x, 2).item(), expected, rtol=1e-14)
    np.testing.assert_allclose(F.cross_entropy(x, np.eye(4)[2]).item(), expected, rtol=1e-14)
    assert_gradcheck(lambda t: F.cross_entropy(t, 2), x)


@pytest.mark.parametrize("eps", [0.1, 0.5])
def test_label_smoothing_mixes_in_the_uniform_distribution(rng, eps):
    x, y = logits_and_labels(rng)
    smoothed = (1 - eps) * np.eye(4)[y] + eps / 4
    expected = F.cross_entropy(x, smoothed).item()
    np.testing.assert_allclose(F.cross_entropy(x, y, label_smoothing=eps).item(), expected, rtol=1e-13)
    q = scipy_softmax(rng.standard_normal((6, 4)), axis=1)
    np.testing.assert_allclose(
        CrossEntropyLoss(label_smoothing=eps)(x, q).item(),
        F.cross_entropy(x, (1 - eps) * q + eps / 4).item(), rtol=1e-13,
    )
    assert_gradcheck(lambda t: F.cross_entropy(t, y, label_smoothing=eps), x)


def test_cross_entropy_is_stable_for_huge_logits():
    x = np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 1e4]])
    loss = F.cross_entropy(x, [0, 0], reduction="none").numpy()
    np.testing.assert_allclose(loss, [0.0, 1e4 + np.log(2.0)], rtol=1e-15)
    t = Tensor(x, requires_grad=True)
    F.cross_entropy(t, [0, 0]).backward()
    assert np.all(np.isfinite(t.grad))


def test_integral_float_labels_are_accepted(rng):
    x, y = logits_and_labels(rng)
    assert F.cross_entropy(x, y.astype(float)).item() == F.cross_entropy(x, y).item()


def test_bad_class_targets_raise_clear_errors(rng):
    x, y = logits_and_labels(rng)
    with pytest.raises(ValueError, match=r"target holds the class index 4, outside \[0, 3\] for an input with 4 classes"):
        F.cross_entropy(x, np.where(y == y[0], 4, y))
    with pytest.raises(ValueError, match="outside \\[0, 3\\]"):
        F.nll_loss(x, np.full(6, -1))
    with pytest.raises(ValueError, match="target must hold integer class indices, got the non-integer value 0.5"):
        F.cross_entropy(x, np.full(6, 0.5))
    with pytest.raises(TypeError, match="target must hold integer class indices, got dtype bool"):
        F.cross_entropy(x, np.ones(6, dtype=bool))
    with pytest.raises(ValueError, match=r"target has shape \(5,\); class indices for this input must have shape \(6,\)"):
        F.cross_entropy(x, y[:5])
    with pytest.raises(ValueError, match="target contains NaN"):
        F.nll_loss(x, np.full(6, np.nan))
    with pytest.raises(ValueError, match=r"target probabilities must lie in \[0, 1\], got -0.5"):
        F.cross_entropy(x, np.full((6, 4), -0.5))
    with pytest.raises(ValueError, match=r"input must have a class axis: shape \(C,\) or \(N, C, ...\), got a scalar"):
        F.cross_entropy(1.0, 0)


def test_bad_reduction_and_label_smoothing_raise():
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum', 'none', got 'avg'"):
        CrossEntropyLoss(reduction="avg")
    with pytest.raises(ValueError, match="reduction must be one of"):
        F.mse_loss(np.ones(2), np.ones(2), reduction="max")
    with pytest.raises(ValueError, match=r"label_smoothing must lie in \[0, 1\], got 1.5"):
        CrossEntropyLoss(label_smoothing=1.5)


# -- binary cross-entropy with logits ---------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(7,), (3, 4), (2, 2, 3)])
def test_bce_with_logits_value_and_gradcheck(rng, reduction, shape):
    x = rng.standard_normal(shape) * 3.0
    y = rng.random(shape)
    s = expit(x)
    expected = reduce(-(y * np.log(s) + (1 - y) * np.log1p(-s)), reduction)
    np.testing.assert_allclose(BCEWithLogitsLoss(reduction)(x, y).numpy(), expected, rtol=1e-12)
    assert_gradcheck(lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction), x, y)


def test_bce_with_logits_gradient_is_sigmoid_minus_target_even_at_zero():
    x = Tensor(np.array([0.0, 0.0, 2.0, -50.0]), requires_grad=True)
    y = np.array([1.0, 0.0, 0.5, 0.0])
    F.binary_cross_entropy_with_logits(x, y, reduction="sum").backward()
    np.testing.assert_allclose(x.grad, expit(x.numpy()) - y, rtol=1e-15)


def test_bce_with_logits_never_overflows_or_takes_log_zero():
    x = np.array([800.0, -800.0, 800.0, -800.0])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    # exact: softplus(x) - x y = log(1 + e^x) - x y
    np.testing.assert_allclose(
        F.binary_cross_entropy_with_logits(x, y, reduction="none").numpy(), [0.0, 0.0, 800.0, 800.0], rtol=1e-15
    )


def test_bce_with_logits_bad_targets():
    with pytest.raises(ValueError, match=r"target probabilities must lie in \[0, 1\], got 2.0"):
        F.binary_cross_entropy_with_logits(np.zeros(2), np.array([0.0, 2.0]))
    with pytest.raises(ValueError, match=r"target has shape \(3,\) but input has shape \(2,\)"):
        F.binary_cross_entropy_with_logits(np.zeros(2), np.zeros(3))


def test_softplus_value_and_gradient(rng):
    x = np.array([-40.0, -1.0, 0.0, 1.0, 40.0, 1000.0])
    np.testing.assert_allclose(F.softplus(x).numpy(), np.logaddexp(0.0, x), rtol=1e-15, atol=1e-17)
    assert_gradcheck(F.softplus, rng.standard_normal((3, 4)) * 4)


def test_losses_keep_float32(rng):
    x = Tensor(rng.standard_normal((4, 3)).astype(np.float32), requires_grad=True)
    loss = F.cross_entropy(x, [0, 1, 2, 0])
    assert loss.dtype == np.float32
    loss.backward()
    assert x.grad.dtype == np.float32
    assert F.binary_cross_entropy_with_logits(x, np.zeros((4, 3), np.float32)).dtype == np.float32


def test_array_targets_take_the_input_dtype(rng):
    x = Tensor(rng.standard_normal((4, 3)).astype(np.float32), requires_grad=True)
    assert F.mse_loss(x, rng.standard_normal((4, 3))).dtype == np.float32
    assert F.cross_entropy(x, np.full((4, 3), 1 / 3)).dtype == np.float32


def test_the_mean_over_an_empty_batch_raises_instead_of_nan():
    with pytest.raises(ValueError, match="the mean loss over an empty batch is 0/0"):
        F.cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int))
    assert F.cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int), reduction="sum").item() == 0.0
    assert F.mse_loss(np.zeros(0), np.zeros(0), reduction="none").shape == (0,)


@given(
    logits=arrays(np.float64, (3, 4), elements=st.floats(-50, 50)),
    labels=arrays(np.int64, 3, elements=st.integers(0, 3)),
    shift=st.floats(-100, 100),
)
@settings(max_examples=50, deadline=None)
def test_cross_entropy_is_nonnegative_and_shift_invariant(logits, labels, shift):
    loss = F.cross_entropy(logits, labels, reduction="none").numpy()
    assert np.all(loss >= 0.0)
    # softmax(x + c) = softmax(x): the loss moves only by rounding in x + c
    shifted = F.cross_entropy(logits + shift, labels, reduction="none").numpy()
    np.testing.assert_allclose(shifted, loss, atol=1e-12 * (1 + abs(shift) + np.abs(logits).max()))
