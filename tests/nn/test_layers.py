"""Linear, Dropout, the activations and the initialisers: values, gradcheck, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from mlfoundations.autodiff import Tensor, gradcheck
from mlfoundations.nn import (
    Dropout,
    Linear,
    LogSoftmax,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
    functional_call,
)
from mlfoundations.nn import functional as F
from mlfoundations.nn import init

# Central differences with eps=1e-6 in float64 are accurate to ~1e-9 here.
GRAD_ATOL, GRAD_RTOL = 1e-7, 1e-6


@pytest.fixture
def rng():
    return np.random.default_rng(7)


def away_from_zero(rng, shape, margin=0.05):
    """Normal draws pushed at least ``margin`` away from the ReLU kink."""
    z = rng.standard_normal(shape)
    return np.sign(z) * (np.abs(z) + margin)


def assert_gradcheck(f, *inputs):
    report = gradcheck(f, list(inputs), atol=GRAD_ATOL, rtol=GRAD_RTOL)
    assert report.passed, str(report)


def module_gradcheck(module, x):
    """gradcheck of module(x) with respect to x and every parameter."""
    names = [name for name, _ in module.named_parameters()]

    def f(x, *params):
        return functional_call(module, dict(zip(names, params)), x)

    assert_gradcheck(f, x, *[p.data for p in module.parameters()])


# -- Linear -------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(1, 3), (5, 3), (2, 4, 3), (3,)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_computes_x_wt_plus_b(rng, shape, bias):
    layer = Linear(3, 4, bias=bias, rng=rng)
    x = rng.standard_normal(shape)
    expected = x @ layer.weight.data.T + (layer.bias.data if bias else 0.0)
    # tolerance: BLAS summation order only
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-14, atol=1e-15)
    assert layer.weight.shape == (4, 3)
    assert (layer.bias is None) == (not bias)


@pytest.mark.parametrize("shape", [(1, 3), (6, 3), (2, 3, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_gradcheck(rng, shape, bias):
    module_gradcheck(Linear(3, 2, bias=bias, rng=rng, init="torch"), rng.standard_normal(shape))


@pytest.mark.parametrize("shape", [(1, 4), (5, 4)])
def test_sequential_mlp_gradcheck(rng, shape):
    net = Sequential(Linear(4, 6, rng=rng, init="torch"), Tanh(), Linear(6, 5, rng=rng, init="torch"),
                     ReLU(), Linear(5, 2, rng=rng, init="torch"), Sigmoid())
    module_gradcheck(net, rng.standard_normal(shape))


def test_linear_gradients_are_the_textbook_formulas(rng):
    layer = Linear(3, 2, rng=rng, init="torch")
    x = rng.standard_normal((5, 3))
    G = rng.standard_normal((5, 2))
    xt = Tensor(x, requires_grad=True)
    layer(xt).backward(G)
    np.testing.assert_allclose(layer.weight.grad, G.T @ x, rtol=1e-14)
    np.testing.assert_allclose(layer.bias.grad, G.sum(axis=0), rtol=1e-14)
    np.testing.assert_allclose(xt.grad, G @ layer.weight.data, rtol=1e-14)


def test_linear_initialisations_have_the_documented_distributions():
    fan_in, fan_out = 400, 300
    cases = {
        "kaiming": stats.uniform(-np.sqrt(6 / fan_in), 2 * np.sqrt(6 / fan_in)),
        "kaiming_normal": stats.norm(0, np.sqrt(2 / fan_in)),
        "xavier": stats.uniform(-np.sqrt(6 / (fan_in + fan_out)), 2 * np.sqrt(6 / (fan_in + fan_out))),
        "xavier_normal": stats.norm(0, np.sqrt(2 / (fan_in + fan_out))),
        "torch": stats.uniform(-1 / np.sqrt(fan_in), 2 / np.sqrt(fan_in)),
    }
    for name, law in cases.items():
        layer = Linear(fan_in, fan_out, rng=1, init=name)
        # 120000 draws: a KS p-value below 1e-4 would mean a wrong distribution
        assert stats.kstest(layer.weight.data.ravel(), law.cdf).pvalue > 1e-4, name
        if name == "torch":
            assert stats.kstest(layer.bias.data, law.cdf).pvalue > 1e-4
        else:
            np.testing.assert_array_equal(layer.bias.data, 0.0)


def test_linear_randomness_comes_only_from_rng():
    a, b = Linear(5, 4, rng=3), Linear(5, 4, rng=3)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    g = np.random.default_rng(3)
    c, d = Linear(5, 4, rng=g), Linear(5, 4, rng=g)
    assert not np.array_equal(c.weight.data, d.weight.data)


def test_linear_float32_stays_float32(rng):
    layer = Linear(3, 2, rng=0, dtype=np.float32)
    x = Tensor(rng.standard_normal((4, 3)).astype(np.float32), requires_grad=True)
    y = layer(x)
    assert y.dtype == np.float32
    y.sum().backward()
    assert layer.weight.grad.dtype == np.float32 and x.grad.dtype == np.float32


def test_linear_rejects_bad_arguments_and_inputs():
    with pytest.raises(ValueError, match="in_features must be >= 1, got 0"):
        Linear(0, 3)
    with pytest.raises(TypeError, match="out_features must be an integer, got float 2.5"):
        Linear(3, 2.5)
    with pytest.raises(ValueError, match="init must be one of 'kaiming', .* got 'he'"):
        Linear(3, 2, init="he")
    with pytest.raises(ValueError, match="dtype must be float64 or float32, got int64"):
        Linear(3, 2, dtype=np.int64)
    with pytest.raises(TypeError, match="bias must be True or False"):
        Linear(3, 2, bias=1)
    with pytest.raises(TypeError, match="rng: numpy.random.RandomState is not supported"):
        Linear(3, 2, rng=np.random.RandomState(0))
    layer = Linear(3, 2, rng=0)
    with pytest.raises(ValueError, match=r"input has shape \(4, 2\), but its last axis must have in_features=3"):
        layer(np.ones((4, 2)))
    with pytest.raises(ValueError, match="input contains NaN"):
        layer(np.array([[1.0, np.nan, 0.0]]))


def test_functional_linear_checks_weight_and_bias():
    with pytest.raises(ValueError, match=r"weight must be 2-D \(out_features, in_features\), got shape \(3,\)"):
        F.linear(np.ones((2, 3)), np.ones(3))
    with pytest.raises(ValueError, match=r"bias must have shape \(2,\) to match weight, got \(3,\)"):
        F.linear(np.ones((2, 3)), np.ones((2, 3)), np.ones(3))


# -- activations --------------------------------------------------------------------
ACTIVATIONS = {
    "relu": (ReLU(), lambda x: np.maximum(x, 0.0)),
    "sigmoid": (Sigmoid(), lambda x: 1.0 / (1.0 + np.exp(-x))),
    "tanh": (Tanh(), np.tanh),
    "softmax": (Softmax(), lambda x: np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True)),
    "log_softmax": (LogSoftmax(), lambda x: x - np.log(np.exp(x).sum(axis=-1, keepdims=True))),
}


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("shape", [(4,), (3, 5), (2, 3, 4)])
def test_activation_values_and_gradcheck(rng, name, shape):
    module, formula = ACTIVATIONS[name]
    x = away_from_zero(rng, shape)
    np.testing.assert_allclose(module(x).numpy(), formula(x), rtol=1e-13, atol=1e-15)
    assert_gradcheck(module, x)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_normalises_along_dim(rng, dim):
    x = rng.standard_normal((3, 4, 5))
    np.testing.assert_allclose(Softmax(dim)(x).numpy().sum(axis=dim), 1.0, rtol=1e-14)
    np.testing.assert_allclose(
        np.exp(LogSoftmax(dim)(x).numpy()), Softmax(dim)(x).numpy(), rtol=1e-14
    )
    assert_gradcheck(lambda t: Softmax(dim)(t) * Tensor(np.arange(60.0).reshape(3, 4, 5)), x)


def test_softmax_survives_huge_logits():
    p = Softmax()(np.array([[1e4, 0.0, -1e4]])).numpy()
    np.testing.assert_array_equal(p, [[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(LogSoftmax()(np.array([1e4, 1e4])).numpy(), np.log(0.5), rtol=1e-15)


def test_relu_derivative_at_the_kink_is_zero():
    x = Tensor(np.array([-1.0, 0.0, 2.0]), requires_grad=True)
    ReLU()(x).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 1.0])


def test_softmax_dim_is_checked():
    with pytest.raises(ValueError, match="dim=2 is out of range for an input with 2 axes"):
        Softmax(dim=2)(np.ones((2, 3)))
    with pytest.raises(TypeError, match="dim must be an integer"):
        Softmax(dim=1.0)


# -- Dropout --------------------------------------------------------------------------
def test_dropout_zeroes_about_p_and_scales_the_rest():
    p = 0.3
    y = Dropout(p, rng=0)(np.ones(200_000)).numpy()
    assert set(np.unique(y)) == {0.0, 1.0 / (1.0 - p)}
    # the kept fraction is Binomial(n, 0.7)/n: 5 standard deviations is ~0.005
    assert abs((y == 0.0).mean() - p) < 5 * np.sqrt(p * (1 - p) / y.size)
    assert abs(y.mean() - 1.0) < 0.01  # inverted dropout keeps the expectation


def test_dropout_gradient_is_the_same_scaled_mask(rng):
    x = Tensor(rng.standard_normal((50, 4)), requires_grad=True)
    y = F.dropout(x, 0.5, rng=1)
    y.sum().backward()
    mask = y.numpy() / x.numpy()
    np.testing.assert_allclose(x.grad, mask, rtol=1e-15)
    # a fixed mask is a linear map: gradcheck with the mask drawn from the same seed
    assert_gradcheck(lambda t: F.dropout(t, 0.25, rng=5), rng.standard_normal((3, 4)))


def test_dropout_is_the_identity_in_eval_mode_and_for_p_zero(rng):
    x = Tensor(rng.standard_normal((3, 4)))
    assert Dropout(0.9, rng=0).eval()(x) is x
    assert Dropout(0.0, rng=0)(x) is x
    assert F.dropout(x, 0.5, training=False) is x


def test_dropout_masks_are_reproducible_from_the_seed_and_fresh_per_call():
    a, b = Dropout(0.5, rng=4), Dropout(0.5, rng=4)
    x = np.ones(64)
    first = a(x).numpy()
    np.testing.assert_array_equal(first, b(x).numpy())
    assert not np.array_equal(first, a(x).numpy())


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_dropout_p_must_lie_in_zero_one(p):
    with pytest.raises(ValueError, match=r"dropout probability p must lie in \[0, 1\)"):
        Dropout(p)
    with pytest.raises(ValueError, match=r"dropout probability p must lie in \[0, 1\)"):
        F.dropout(np.ones(2), p)


def test_dropout_p_must_be_a_number():
    with pytest.raises(TypeError, match="p must be a real number, got str"):
        Dropout("0.5")


def test_dropout_keeps_float32(rng):
    x = Tensor(rng.standard_normal(10).astype(np.float32))
    assert Dropout(0.5, rng=0)(x).dtype == np.float32


# -- init -----------------------------------------------------------------------------
def test_calculate_gain_table():
    assert init.calculate_gain("relu") == np.sqrt(2.0)
    assert init.calculate_gain("leaky_relu", 0.0) == np.sqrt(2.0)
    assert init.calculate_gain("leaky_relu") == np.sqrt(2.0 / (1 + 0.01**2))
    assert init.calculate_gain("tanh") == 5.0 / 3.0
    assert init.calculate_gain("sigmoid") == init.calculate_gain("linear") == 1.0
    with pytest.raises(ValueError, match="unknown nonlinearity 'gelu'"):
        init.calculate_gain("gelu")


@given(fan_out=st.integers(1, 40), fan_in=st.integers(1, 40), kernel=st.integers(1, 3))
@settings(max_examples=30, deadline=None)
def test_initialiser_bounds_hold_for_any_shape(fan_out, fan_in, kernel):
    shape = (fan_out, fan_in, kernel)
    w = init.xavier_uniform_(np.empty(shape), gain=2.0, rng=0)
    assert np.abs(w).max() <= 2.0 * np.sqrt(6.0 / ((fan_in + fan_out) * kernel))
    w = init.kaiming_uniform_(np.empty(shape), mode="fan_out", rng=0)
    assert np.abs(w).max() <= np.sqrt(2.0) * np.sqrt(3.0 / (fan_out * kernel))


def test_normal_initialisers_have_the_documented_spread():
    w = init.kaiming_normal_(np.empty((500, 400)), rng=0)
    assert stats.kstest(w.ravel(), stats.norm(0, np.sqrt(2 / 400)).cdf).pvalue > 1e-4
    w = init.xavier_normal_(np.empty((500, 400)), gain=init.calculate_gain("tanh"), rng=0)
    assert stats.kstest(w.ravel(), stats.norm(0, (5 / 3) * np.sqrt(2 / 900)).cdf).pvalue > 1e-4


def test_initialisers_fill_a_tensor_in_place():
    t = Tensor(np.zeros((3, 4)), requires_grad=True)
    data = t.data
    assert init.kaiming_uniform_(t, rng=0) is t and t.data is data
    assert np.all(t.data != 0.0)
    init.zeros_(t)
    np.testing.assert_array_equal(t.data, 0.0)


def test_initialisers_reject_bad_arguments():
    with pytest.raises(ValueError, match="need a weight with at least 2 axes, got shape \\(3,\\)"):
        init.xavier_uniform_(np.empty(3))
    with pytest.raises(ValueError, match="cannot compute fans of an empty weight"):
        init.kaiming_normal_(np.empty((0, 3)))
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out', got 'fan'"):
        init.kaiming_uniform_(np.empty((2, 3)), mode="fan")
    with pytest.raises(ValueError, match="gain must be >= 0"):
        init.xavier_normal_(np.empty((2, 3)), gain=-1.0)
    with pytest.raises(TypeError, match="tensor must be a floating Tensor or NumPy array"):
        init.zeros_([[1.0, 2.0]])
    with pytest.raises(ValueError, match="the lower bound a=1.0 exceeds the upper bound b=0.0"):
        init.uniform_(np.empty(3), 1.0, 0.0)
