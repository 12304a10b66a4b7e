"""scaled_dot_product_attention and MultiHeadAttention: definitions, masks, gradcheck."""

import numpy as np
import pytest
from scipy.special import softmax

from mlfoundations.autodiff import Tensor, gradcheck
from mlfoundations.nn import MultiHeadAttention, functional_call
from mlfoundations.nn import functional as F

# float64 central differences (eps=1e-6): accurate to ~1e-9 on these smooth maps.
GRAD_ATOL, GRAD_RTOL = 1e-7, 1e-6


@pytest.fixture
def rng():
    return np.random.default_rng(11)


def assert_gradcheck(f, *inputs):
    report = gradcheck(f, list(inputs), atol=GRAD_ATOL, rtol=GRAD_RTOL)
    assert report.passed, str(report)


def attention_by_definition(q, k, v, keep=None):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if keep is not None:
        scores = np.where(keep, scores, -np.inf)
    return softmax(scores, axis=-1) @ v


QKV_SHAPES = [
    ((4, 3), (5, 3), (5, 2)),              # one sequence
    ((2, 4, 3), (2, 6, 3), (2, 6, 3)),     # a batch
    ((2, 3, 4, 8), (2, 3, 4, 8), (2, 3, 4, 8)),  # batch x heads, self-attention sized
    ((2, 1, 4, 3), (1, 3, 5, 3), (1, 3, 5, 2)),  # broadcasting leading axes
]


@pytest.mark.parametrize("shapes", QKV_SHAPES)
def test_sdpa_is_the_softmax_weighted_average_of_values(rng, shapes):
    q, k, v = (rng.standard_normal(s) for s in shapes)
    out = F.scaled_dot_product_attention(q, k, v)
    # tolerance: rounding of a few products and one softmax
    np.testing.assert_allclose(out.numpy(), attention_by_definition(q, k, v), rtol=1e-13, atol=1e-14)
    assert_gradcheck(F.scaled_dot_product_attention, q, k, v)


def test_sdpa_weights_are_a_probability_vector_per_query(rng):
    q, k, v = rng.standard_normal((3, 4)), rng.standard_normal((6, 4)), rng.standard_normal((6, 2))
    _, weights = F.attention_with_weights(q, k, v)
    np.testing.assert_allclose(weights.numpy().sum(axis=-1), 1.0, rtol=1e-15)
    assert np.all(weights.numpy() >= 0.0)


def test_sdpa_with_identical_keys_averages_the_values(rng):
    q = rng.standard_normal((2, 3))
    k = np.ones((4, 3))
    v = rng.standard_normal((4, 5))
    np.testing.assert_allclose(F.scaled_dot_product_attention(q, k, v).numpy(),
                               np.tile(v.mean(axis=0), (2, 1)), rtol=1e-14)


@pytest.mark.parametrize("shapes", QKV_SHAPES[:3])
def test_boolean_mask_true_means_keep(rng, shapes):
    q, k, v = (rng.standard_normal(s) for s in shapes)
    L, S = q.shape[-2], k.shape[-2]
    keep = rng.random((L, S)) < 0.6
    keep[:, 0] = True  # every query sees at least one key
    out = F.scaled_dot_product_attention(q, k, v, mask=keep)
    np.testing.assert_allclose(out.numpy(), attention_by_definition(q, k, v, keep), rtol=1e-13, atol=1e-14)
    _, weights = F.attention_with_weights(q, k, v, mask=keep)
    assert np.all(weights.numpy()[..., ~keep] == 0.0)
    assert_gradcheck(lambda a, b, c: F.scaled_dot_product_attention(a, b, c, mask=keep), q, k, v)


def test_a_hidden_key_does_not_influence_the_output(rng):
    q, k, v = rng.standard_normal((3, 4)), rng.standard_normal((5, 4)), rng.standard_normal((5, 2))
    keep = np.ones((3, 5), dtype=bool)
    keep[:, 2] = False
    before = F.scaled_dot_product_attention(q, k, v, mask=keep).numpy()
    k[2], v[2] = 1e3, -1e3
    np.testing.assert_array_equal(F.scaled_dot_product_attention(q, k, v, mask=keep).numpy(), before)


def test_float_mask_is_added_to_the_scores(rng):
    q, k, v = rng.standard_normal((3, 4)), rng.standard_normal((5, 4)), rng.standard_normal((5, 2))
    bias = rng.standard_normal((3, 5))
    bias[0, 1] = -np.inf
    scores = q @ k.T / 2.0 + bias
    np.testing.assert_allclose(F.scaled_dot_product_attention(q, k, v, mask=bias).numpy(),
                               softmax(scores, axis=-1) @ v, rtol=1e-13)


def test_causal_mask_hides_the_future(rng):
    x = rng.standard_normal((2, 5, 4))
    out = F.scaled_dot_product_attention(x, x, x, is_causal=True).numpy()
    keep = np.tril(np.ones((5, 5), dtype=bool))
    np.testing.assert_allclose(out, attention_by_definition(x, x, x, keep), rtol=1e-13, atol=1e-14)
    # the first position can only attend to itself
    np.testing.assert_allclose(out[:, 0], x[:, 0], rtol=1e-15)
    assert_gradcheck(lambda a: F.scaled_dot_product_attention(a, a, a, is_causal=True), x)


def test_scale_overrides_one_over_sqrt_dk(rng):
    q, k, v = rng.standard_normal((3, 4)), rng.standard_normal((5, 4)), rng.standard_normal((5, 2))
    expected = softmax(q @ k.T * 0.1, axis=-1) @ v
    np.testing.assert_allclose(F.scaled_dot_product_attention(q, k, v, scale=0.1).numpy(), expected, rtol=1e-13)


def test_a_fully_masked_query_raises_instead_of_returning_nan(rng):
    q, k, v = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4)), rng.standard_normal((2, 5, 2))
    keep = np.ones((2, 3, 5), dtype=bool)
    keep[1, 2] = False
    with pytest.raises(ValueError, match=r"the mask hides every key from the query at index \(1, 2\)"):
        F.scaled_dot_product_attention(q, k, v, mask=keep)
    with pytest.raises(ValueError, match="hides every key"):
        F.scaled_dot_product_attention(q, k, v, mask=np.where(keep, 0.0, -np.inf))


def test_attention_input_errors(rng):
    q, k, v = rng.standard_normal((3, 4)), rng.standard_normal((5, 4)), rng.standard_normal((5, 2))
    with pytest.raises(ValueError, match=r"query and key must share their last axis d_k, got query \(3, 4\) and key \(5, 3\)"):
        F.scaled_dot_product_attention(q, k[:, :3], v)
    with pytest.raises(ValueError, match="key and value must have the same number of positions S"):
        F.scaled_dot_product_attention(q, k, v[:4])
    with pytest.raises(ValueError, match=r"query must have at least 2 axes \(..., positions, features\)"):
        F.scaled_dot_product_attention(q[0], k, v)
    with pytest.raises(ValueError, match="leading .batch. axes of query .* do not broadcast"):
        F.scaled_dot_product_attention(np.ones((2, 3, 4)), np.ones((3, 5, 4)), np.ones((3, 5, 2)))
    with pytest.raises(ValueError, match=r"mask of shape \(3, 4\) does not broadcast to the attention scores' shape \(3, 5\)"):
        F.scaled_dot_product_attention(q, k, v, mask=np.ones((3, 4), dtype=bool))
    with pytest.raises(ValueError, match=r"mask contains NaN or \+inf"):
        F.scaled_dot_product_attention(q, k, v, mask=np.full((3, 5), np.nan))
    with pytest.raises(ValueError, match="scale must be finite"):
        F.scaled_dot_product_attention(q, k, v, scale=np.inf)


# -- MultiHeadAttention ------------------------------------------------------------------
def mha_by_definition(mha, query, key, value, keep=None):
    """Each head on its slice of the projections, concatenated, then the output map."""
    def project(layer, x):
        return x @ layer.weight.data.T + (layer.bias.data if layer.bias is not None else 0.0)

    Q, K, V = project(mha.q_proj, query), project(mha.k_proj, key), project(mha.v_proj, value)
    d = mha.head_dim
    heads = [attention_by_definition(Q[..., h * d:(h + 1) * d], K[..., h * d:(h + 1) * d],
                                     V[..., h * d:(h + 1) * d], keep)
             for h in range(mha.num_heads)]
    return project(mha.out_proj, np.concatenate(heads, axis=-1))


@pytest.mark.parametrize("embed_dim, num_heads", [(8, 1), (8, 2), (12, 4)])
def test_mha_equals_the_definition(rng, embed_dim, num_heads):
    mha = MultiHeadAttention(embed_dim, num_heads, rng=rng)
    for p in mha.parameters():  # non-zero biases so that every term is exercised
        p.data[...] = rng.standard_normal(p.shape) * 0.3
    query = rng.standard_normal((2, 4, embed_dim))
    memory = rng.standard_normal((2, 6, embed_dim))
    np.testing.assert_allclose(mha(query).numpy(), mha_by_definition(mha, query, query, query),
                               rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(mha(query, memory).numpy(), mha_by_definition(mha, query, memory, memory),
                               rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("embed_dim, num_heads, query_shape, memory_shape", [
    (6, 3, (2, 4, 6), (2, 5, 6)),   # cross-attention, batched
    (4, 1, (3, 4), (5, 4)),         # one head, unbatched
    (4, 2, (1, 5, 4), (1, 5, 4)),   # self-attention sized
])
def test_mha_gradcheck_in_inputs_and_every_parameter(rng, embed_dim, num_heads, query_shape, memory_shape):
    mha = MultiHeadAttention(embed_dim, num_heads, rng=rng)
    names = [name for name, _ in mha.named_parameters()]
    keep = np.tril(np.ones((query_shape[-2], memory_shape[-2]), dtype=bool), k=1)

    def f(query, memory, *params):
        return functional_call(mha, dict(zip(names, params)), query, memory, mask=keep)

    params = [p.data + 0.1 * rng.standard_normal(p.shape) for p in mha.parameters()]
    assert_gradcheck(f, rng.standard_normal(query_shape), rng.standard_normal(memory_shape), *params)


def test_mha_unbatched_input_and_weights(rng):
    mha = MultiHeadAttention(4, 2, rng=rng)
    x = rng.standard_normal((5, 4))
    out, weights = mha(x, need_weights=True)
    assert out.shape == (5, 4) and weights.shape == (5, 5)
    np.testing.assert_allclose(out.numpy(), mha(x[None])[0].numpy(), rtol=1e-15)
    _, per_head = mha(x[None], need_weights=True, average_attn_weights=False)
    assert per_head.shape == (1, 2, 5, 5)
    np.testing.assert_allclose(per_head.numpy().mean(axis=1)[0], weights.numpy(), rtol=1e-15)
    np.testing.assert_allclose(weights.numpy().sum(axis=-1), 1.0, rtol=1e-15)


def test_mha_key_padding_mask(rng):
    mha = MultiHeadAttention(4, 2, rng=rng)
    x = rng.standard_normal((2, 5, 4))
    lengths = np.array([5, 3])
    keep = (np.arange(5)[None, :] < lengths[:, None])[:, None, None, :]  # (batch, 1, 1, S)
    out = mha(x, mask=keep).numpy()
    # every query of sequence 1 attends to its first 3 positions only; sequence 0 is unmasked
    np.testing.assert_allclose(out[1], mha(x[1], x[1, :3]).numpy(), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(out[0], mha(x[0]).numpy(), rtol=1e-13, atol=1e-15)


def test_mha_parameters_and_init():
    mha = MultiHeadAttention(8, 2, rng=0)
    assert [name for name, _ in mha.named_parameters()] == [
        "q_proj.weight", "q_proj.bias", "k_proj.weight", "k_proj.bias",
        "v_proj.weight", "v_proj.bias", "out_proj.weight", "out_proj.bias",
    ]
    assert np.abs(mha.q_proj.weight.data).max() <= np.sqrt(6 / 16)
    assert all(np.all(m.bias.data == 0.0) for m in (mha.q_proj, mha.k_proj, mha.v_proj, mha.out_proj))
    assert MultiHeadAttention(8, 2, bias=False, rng=0).q_proj.bias is None


def test_mha_float32(rng):
    mha = MultiHeadAttention(4, 2, rng=0, dtype=np.float32)
    x = Tensor(rng.standard_normal((2, 3, 4)).astype(np.float32), requires_grad=True)
    out = mha(x)
    assert out.dtype == np.float32
    out.sum().backward()
    assert x.grad.dtype == np.float32


def test_mha_errors(rng):
    with pytest.raises(ValueError, match="embed_dim=10 must be divisible by num_heads=4"):
        MultiHeadAttention(10, 4)
    with pytest.raises(ValueError, match="num_heads must be >= 1, got 0"):
        MultiHeadAttention(8, 0)
    mha = MultiHeadAttention(4, 2, rng=0)
    with pytest.raises(ValueError, match=r"query has shape \(2, 3, 5\); its last axis must be embed_dim=4"):
        mha(np.ones((2, 3, 5)))
    with pytest.raises(ValueError, match="must all be .batch, seq, embed_dim. or all .seq, embed_dim."):
        mha(np.ones((2, 3, 4)), np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"key \(2, 3, 4\) and value \(2, 4, 4\) must have the same"):
        mha(np.ones((2, 3, 4)), np.ones((2, 3, 4)), np.ones((2, 4, 4)))
    with pytest.raises(ValueError, match="hides every key"):
        mha(np.ones((2, 3, 4)), mask=np.zeros((3, 3), dtype=bool))
