"""nn against PyTorch (float64, same weights): values and gradients.

Skipped where torch is not installed (it is a test-only oracle: ``pip install torch==2.13.0``).
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from mlfoundations.autodiff import Tensor  # noqa: E402
from mlfoundations.nn import (  # noqa: E402
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    Linear,
    LogSoftmax,
    MSELoss,
    MultiHeadAttention,
    NLLLoss,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
)
from mlfoundations.nn import functional as F  # noqa: E402

pytestmark = pytest.mark.torch
TF = torch.nn.functional
REDUCTIONS = ["mean", "sum", "none"]
# Tolerances: the issue asks 1e-10 for the MLP gradients, 1e-12 for single losses and
# activations; atol covers entries that are zero up to rounding.
MLP_RTOL, MLP_ATOL = 1e-10, 1e-13
RTOL, ATOL = 1e-12, 1e-14


@pytest.fixture
def rng():
    return np.random.default_rng(2024)


def leaf(x, requires_grad=True):
    return Tensor(np.array(x, dtype=np.float64), requires_grad=requires_grad)


def torch_leaf(x, requires_grad=True):
    return torch.tensor(np.array(x, dtype=np.float64), requires_grad=requires_grad)


def assert_close(ours, theirs, rtol=RTOL, atol=ATOL):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else theirs
    ours = ours.numpy() if isinstance(ours, Tensor) else ours
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol)


def compare(ours_fn, torch_fn, *arrays, rtol=RTOL, atol=ATOL):
    """Value of f(arrays) and the VJP with a random cotangent, ours against torch's."""
    ours_in = [leaf(a) for a in arrays]
    torch_in = [torch_leaf(a) for a in arrays]
    ours_out, torch_out = ours_fn(*ours_in), torch_fn(*torch_in)
    assert_close(ours_out, torch_out, rtol, atol)
    cotangent = np.random.default_rng(0).standard_normal(ours_out.shape)
    ours_out.backward(cotangent)
    torch_out.backward(torch.tensor(cotangent))
    for i, (a, b) in enumerate(zip(ours_in, torch_in)):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=rtol, atol=atol, err_msg=f"input {i}")


# -- the MLP ------------------------------------------------------------------------------
@pytest.mark.parametrize("n_samples", [1, 17, 64])
def test_mlp_cross_entropy_gradients_equal_pytorchs(rng, n_samples):
    ours = Sequential(Linear(20, 32, rng=rng), ReLU(), Linear(32, 16, rng=rng), ReLU(), Linear(16, 5, rng=rng))
    theirs = torch.nn.Sequential(
        torch.nn.Linear(20, 32), torch.nn.ReLU(), torch.nn.Linear(32, 16), torch.nn.ReLU(), torch.nn.Linear(16, 5)
    ).double()
    # the names and layouts agree, so torch loads our state_dict as is
    theirs.load_state_dict({name: torch.tensor(value) for name, value in ours.state_dict().items()})
    X = rng.standard_normal((n_samples, 20))
    y = rng.integers(0, 5, n_samples)

    loss = CrossEntropyLoss()(ours(X), y)
    loss.backward()
    torch_loss = TF.cross_entropy(theirs(torch.tensor(X)), torch.tensor(y))
    torch_loss.backward()

    np.testing.assert_allclose(loss.item(), torch_loss.item(), rtol=MLP_RTOL)
    torch_params = dict(theirs.named_parameters())
    assert [name for name, _ in ours.named_parameters()] == list(torch_params)
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad, torch_params[name].grad.numpy(), rtol=MLP_RTOL, atol=MLP_ATOL,
                                   err_msg=name)


def test_torch_weights_load_into_our_model(rng):
    theirs = torch.nn.Sequential(torch.nn.Linear(6, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2)).double()
    ours = Sequential(Linear(6, 4), Tanh(), Linear(4, 2))
    ours.load_state_dict({name: t.detach().numpy() for name, t in theirs.state_dict().items()})
    X = rng.standard_normal((5, 6))
    assert_close(ours(X), theirs(torch.tensor(X)))


# -- activations ----------------------------------------------------------------------------
ACTIVATIONS = [
    (ReLU(), torch.relu),
    (Sigmoid(), torch.sigmoid),
    (Tanh(), torch.tanh),
    (Softmax(dim=-1), lambda t: torch.softmax(t, dim=-1)),
    (Softmax(dim=0), lambda t: torch.softmax(t, dim=0)),
    (LogSoftmax(dim=-1), lambda t: torch.log_softmax(t, dim=-1)),
    (LogSoftmax(dim=1), lambda t: torch.log_softmax(t, dim=1)),
]


@pytest.mark.parametrize("module, torch_fn", ACTIVATIONS, ids=lambda a: getattr(a, "__name__", repr(a)))
@pytest.mark.parametrize("shape", [(7, 5), (2, 3, 4)])
def test_activation_values_and_gradients_equal_pytorchs(rng, module, torch_fn, shape):
    x = rng.standard_normal(shape) * 3.0
    x[0, 0] = 0.0  # ReLU's kink: both libraries take derivative 0 there
    compare(module, torch_fn, x)


# -- losses ---------------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_loss_equals_pytorchs(rng, reduction):
    x, y = rng.standard_normal((6, 3)), rng.standard_normal((6, 3))
    compare(lambda a, b: MSELoss(reduction)(a, b), lambda a, b: TF.mse_loss(a, b, reduction=reduction), x, y)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("extra", [(), (3,)])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_cross_entropy_with_indices_equals_pytorchs(rng, reduction, extra, label_smoothing):
    x = rng.standard_normal((8, 5, *extra)) * 3.0
    y = rng.integers(0, 5, (8, *extra))
    compare(
        lambda a: CrossEntropyLoss(reduction, label_smoothing=label_smoothing)(a, y),
        lambda a: TF.cross_entropy(a, torch.tensor(y), reduction=reduction, label_smoothing=label_smoothing),
        x,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_cross_entropy_with_probabilities_equals_pytorchs(rng, reduction, label_smoothing):
    x = rng.standard_normal((8, 5)) * 3.0
    q = rng.random((8, 5))
    q /= q.sum(axis=1, keepdims=True)
    compare(
        lambda a, b: F.cross_entropy(a, b, reduction, label_smoothing=label_smoothing),
        lambda a, b: TF.cross_entropy(a, b, reduction=reduction, label_smoothing=label_smoothing),
        x, q,
    )


def test_cross_entropy_of_an_unbatched_sample_equals_pytorchs(rng):
    x = rng.standard_normal(6)
    compare(lambda a: F.cross_entropy(a, 4), lambda a: TF.cross_entropy(a, torch.tensor(4)), x)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss_equals_pytorchs(rng, reduction):
    log_p = np.log(rng.dirichlet(np.ones(4), size=7))
    y = rng.integers(0, 4, 7)
    compare(lambda a: NLLLoss(reduction)(a, y), lambda a: TF.nll_loss(a, torch.tensor(y), reduction=reduction), log_p)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_equals_pytorchs(rng, reduction):
    x = rng.standard_normal((5, 4)) * 5.0
    x[0, :2] = 0.0, 30.0
    y = rng.random((5, 4))
    y[1] = np.round(y[1])
    compare(
        lambda a, b: BCEWithLogitsLoss(reduction)(a, b),
        lambda a, b: TF.binary_cross_entropy_with_logits(a, b, reduction=reduction),
        x, y,
    )


# -- attention ------------------------------------------------------------------------------
def test_sdpa_equals_pytorchs(rng):
    q, k, v = rng.standard_normal((2, 3, 4, 8)), rng.standard_normal((2, 3, 6, 8)), rng.standard_normal((2, 3, 6, 5))
    compare(F.scaled_dot_product_attention, TF.scaled_dot_product_attention, q, k, v)


def test_sdpa_with_a_boolean_mask_equals_pytorchs(rng):
    q, k, v = rng.standard_normal((2, 4, 8)), rng.standard_normal((2, 6, 8)), rng.standard_normal((2, 6, 5))
    keep = rng.random((2, 4, 6)) < 0.5
    keep[..., 3] = True
    compare(
        lambda a, b, c: F.scaled_dot_product_attention(a, b, c, mask=keep),
        lambda a, b, c: TF.scaled_dot_product_attention(a, b, c, attn_mask=torch.tensor(keep)),
        q, k, v,
    )


def test_sdpa_with_a_float_mask_scale_and_causality_equals_pytorchs(rng):
    q, k, v = rng.standard_normal((3, 5, 4)), rng.standard_normal((3, 5, 4)), rng.standard_normal((3, 5, 2))
    bias = rng.standard_normal((5, 5))
    compare(
        lambda a, b, c: F.scaled_dot_product_attention(a, b, c, mask=bias, scale=0.3),
        lambda a, b, c: TF.scaled_dot_product_attention(a, b, c, attn_mask=torch.tensor(bias), scale=0.3),
        q, k, v,
    )
    compare(
        lambda a, b, c: F.scaled_dot_product_attention(a, b, c, is_causal=True),
        lambda a, b, c: TF.scaled_dot_product_attention(a, b, c, is_causal=True),
        q, k, v,
    )


def torch_mha_like(ours: MultiHeadAttention, bias=True):
    """A torch.nn.MultiheadAttention(batch_first=True) holding our weights."""
    theirs = torch.nn.MultiheadAttention(ours.embed_dim, ours.num_heads, bias=bias, batch_first=True).double()
    with torch.no_grad():
        theirs.in_proj_weight.copy_(torch.tensor(np.concatenate(
            [ours.q_proj.weight.data, ours.k_proj.weight.data, ours.v_proj.weight.data])))
        theirs.out_proj.weight.copy_(torch.tensor(ours.out_proj.weight.data))
        if bias:
            theirs.in_proj_bias.copy_(torch.tensor(np.concatenate(
                [ours.q_proj.bias.data, ours.k_proj.bias.data, ours.v_proj.bias.data])))
            theirs.out_proj.bias.copy_(torch.tensor(ours.out_proj.bias.data))
    return theirs


@pytest.mark.parametrize("embed_dim, num_heads, bias", [(8, 2, True), (12, 3, True), (6, 1, False)])
def test_multihead_attention_equals_pytorchs(rng, embed_dim, num_heads, bias):
    ours = MultiHeadAttention(embed_dim, num_heads, bias=bias, rng=rng)
    if bias:
        for layer in (ours.q_proj, ours.k_proj, ours.v_proj, ours.out_proj):
            layer.bias.data[...] = rng.standard_normal(embed_dim) * 0.2
    theirs = torch_mha_like(ours, bias)
    query = rng.standard_normal((2, 4, embed_dim))
    memory = rng.standard_normal((2, 6, embed_dim))
    keep = rng.random((4, 6)) < 0.6
    keep[:, 0] = True

    ours_q, ours_m = leaf(query), leaf(memory)
    out, weights = ours(ours_q, ours_m, mask=keep, need_weights=True)
    torch_q, torch_m = torch_leaf(query), torch_leaf(memory)
    # torch's boolean attn_mask in MultiheadAttention marks the positions to *hide*
    torch_out, torch_weights = theirs(torch_q, torch_m, torch_m, attn_mask=torch.tensor(~keep))
    assert_close(out, torch_out)
    assert_close(weights, torch_weights)

    cotangent = rng.standard_normal(out.shape)
    out.backward(cotangent)
    torch_out.backward(torch.tensor(cotangent))
    assert_close(ours_q.grad, torch_q.grad)
    assert_close(ours_m.grad, torch_m.grad)
    d_in = np.concatenate([ours.q_proj.weight.grad, ours.k_proj.weight.grad, ours.v_proj.weight.grad])
    assert_close(d_in, theirs.in_proj_weight.grad)
    assert_close(ours.out_proj.weight.grad, theirs.out_proj.weight.grad)
    if bias:
        d_bias = np.concatenate([ours.q_proj.bias.grad, ours.k_proj.bias.grad, ours.v_proj.bias.grad])
        assert_close(d_bias, theirs.in_proj_bias.grad)
        assert_close(ours.out_proj.bias.grad, theirs.out_proj.bias.grad)


def test_multihead_self_attention_per_head_weights_equal_pytorchs(rng):
    ours = MultiHeadAttention(8, 4, rng=rng)
    theirs = torch_mha_like(ours)
    x = rng.standard_normal((3, 5, 8))
    out, weights = ours(x, need_weights=True, average_attn_weights=False)
    torch_out, torch_weights = theirs(*(torch.tensor(x),) * 3, average_attn_weights=False)
    assert_close(out, torch_out)
    assert_close(weights, torch_weights)
