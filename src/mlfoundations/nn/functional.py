"""Functional forms of the layers: each a formula on autodiff Tensors, no state.

Every function here is a composition of `mlfoundations.autodiff` primitives, so its
gradient comes from the primitives' local rules and nothing in ``nn`` writes a
backward pass. The modules in `layers`, `activations`, `losses` and `attention`
are thin wrappers that hold parameters and settings and call these.

Inputs may be Tensors (used as they are, gradients flow into them) or array-likes
(converted once to constant float Tensors, float32 kept, NaN/inf refused).
Dimension arguments are called ``dim`` as in PyTorch. The loss functions live in
`mlfoundations.nn.losses` next to their modules and are re-exported here.
"""

from __future__ import annotations

import numpy as np

from .. import autodiff as ad
from .._validation import as_float_array, check_real, check_rng
from ..autodiff import Tensor
from .losses import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    mse_loss,
    nll_loss,
    softplus,
)
from ._tensors import as_tensor, check_dim, check_dropout_p

__all__ = [
    "linear",
    "relu",
    "sigmoid",
    "tanh",
    "softmax",
    "log_softmax",
    "softplus",
    "dropout",
    "mse_loss",
    "cross_entropy",
    "binary_cross_entropy_with_logits",
    "nll_loss",
    "scaled_dot_product_attention",
]


def linear(input, weight, bias=None) -> Tensor:
    """Affine map ``y = x W^T + b`` applied to the last axis of ``x``.

    Parameters
    ----------
    input : (..., in_features) Tensor or array_like
        The inputs, one per row (any number of leading axes).
    weight : (out_features, in_features) Tensor or array_like
        The weight matrix, laid out as in PyTorch (one row per output).
    bias : (out_features,) Tensor or array_like, optional
        Added to every output row.

    Returns
    -------
    (..., out_features) Tensor

    Raises
    ------
    ValueError
        If ``weight`` is not 2-D, the last axis of ``input`` differs from
        ``in_features``, or ``bias`` has the wrong shape.

    Notes
    -----
    ``y_{ni} = sum_j x_{nj} W_{ij} + b_i``. The gradients follow from the matmul and
    add rules: ``dL/dW = G^T X``, ``dL/dx = G W``, ``dL/db = sum_n G_n`` with
    ``G = dL/dy`` (summed over every leading axis).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn.functional import linear
    >>> linear(np.array([[1.0, 2.0]]), np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([0.5, 0.0])).numpy()
    array([[1.5, 3. ]])
    """
    x = as_tensor(input, "input")
    w = as_tensor(weight, "weight")
    if w.ndim != 2:
        raise ValueError(f"weight must be 2-D (out_features, in_features), got shape {w.shape}")
    if x.ndim == 0 or x.shape[-1] != w.shape[1]:
        raise ValueError(
            f"input has shape {x.shape}, but its last axis must have in_features="
            f"{w.shape[1]} entries to match weight of shape {w.shape}"
        )
    y = x @ w.T
    if bias is None:
        return y
    b = as_tensor(bias, "bias")
    if b.shape != (w.shape[0],):
        raise ValueError(f"bias must have shape ({w.shape[0]},) to match weight, got {b.shape}")
    return y + b


def relu(input) -> Tensor:
    """Rectified linear unit ``max(x, 0)``, elementwise (derivative 0 at x = 0)."""
    return ad.relu(as_tensor(input, "input"))


def sigmoid(input) -> Tensor:
    """Logistic function ``1 / (1 + exp(-x))``, elementwise."""
    return ad.sigmoid(as_tensor(input, "input"))


def tanh(input) -> Tensor:
    """Hyperbolic tangent ``(e^x - e^-x) / (e^x + e^-x)``, elementwise."""
    return ad.tanh(as_tensor(input, "input"))


def softmax(input, dim: int = -1) -> Tensor:
    """Softmax along ``dim``: ``exp(x_i) / sum_j exp(x_j)``.

    Parameters
    ----------
    input : Tensor or array_like
        At least 1-D.
    dim : int, default -1
        The axis the probabilities sum to one along.

    Returns
    -------
    Tensor
        Same shape as ``input``, entries in [0, 1].

    Notes
    -----
    Computed as ``exp(x_i - m) / sum_j exp(x_j - m)`` with ``m = max_j x_j`` by the
    autodiff primitive, so large logits do not overflow.

    Examples
    --------
    >>> from mlfoundations.nn.functional import softmax
    >>> softmax([0.0, 0.0, 0.0, 0.0]).numpy()
    array([0.25, 0.25, 0.25, 0.25])
    """
    x = as_tensor(input, "input")
    return ad.softmax(x, axis=check_dim(dim, x.ndim))


def log_softmax(input, dim: int = -1) -> Tensor:
    """Log of the softmax along ``dim``: ``x_i - log sum_j exp(x_j)``, computed stably.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn.functional import log_softmax
    >>> bool(np.allclose(log_softmax([1000.0, 1000.0]).numpy(), np.log(0.5)))
    True
    """
    x = as_tensor(input, "input")
    return ad.log_softmax(x, axis=check_dim(dim, x.ndim))


def dropout(input, p: float = 0.5, training: bool = True, *, rng=None) -> Tensor:
    """Inverted dropout: zero each entry with probability ``p``, scale the rest by 1/(1-p).

    Parameters
    ----------
    input : Tensor or array_like
        The activations.
    p : float in [0, 1), default 0.5
        Probability of zeroing an entry.
    training : bool, default True
        When False (evaluation) the input is returned unchanged.
    rng : None, int or numpy.random.Generator
        Source of the mask; None draws fresh OS entropy.

    Returns
    -------
    Tensor
        ``x * m / (1 - p)`` with ``m_i ~ Bernoulli(1 - p)`` independent.

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1).

    Notes
    -----
    Scaling the kept entries at training time makes ``E[output] = x``, so the
    network needs no rescaling at evaluation (Srivastava et al., 2014, with the
    "inverted" scaling moved from test to training time). The gradient is the same
    mask times 1/(1-p).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn.functional import dropout
    >>> y = dropout(np.ones(8), p=0.5, rng=0).numpy()
    >>> sorted(set(y.tolist()))
    [0.0, 2.0]
    """
    p = check_dropout_p(p)
    x = as_tensor(input, "input")
    if not training or p == 0.0:
        return x
    generator = check_rng(rng)
    keep = generator.random(x.shape) >= p
    return x * (keep * (1.0 / (1.0 - p))).astype(x.dtype)


def scaled_dot_product_attention(query, key, value, mask=None, *, is_causal=False, scale=None) -> Tensor:
    """Attention ``softmax(Q K^T / sqrt(d_k) + M) V``, batched over the leading axes.

    Parameters
    ----------
    query : (..., L, d_k) Tensor or array_like
        One query vector per target position.
    key : (..., S, d_k) Tensor or array_like
        One key vector per source position.
    value : (..., S, d_v) Tensor or array_like
        One value vector per source position.
    mask : (..., L, S) array_like of bool or float, optional
        Broadcastable to the score shape ``(..., L, S)``. Boolean: True means *keep*
        (the query may attend to that key), False hides the key -- PyTorch's
        ``scaled_dot_product_attention`` ``attn_mask`` convention (the opposite of
        ``torch.nn.MultiheadAttention``'s boolean mask). Float: added to the scores
        (use ``-inf`` to hide a key).
    is_causal : bool, default False
        Also hide every key after the query's own position (``j > i``), the
        lower-triangular mask of autoregressive decoding.
    scale : float, optional
        Multiplies the scores; default ``1 / sqrt(d_k)``.

    Returns
    -------
    (..., L, d_v) Tensor

    Raises
    ------
    ValueError
        On inconsistent shapes, a mask that does not broadcast to ``(..., L, S)``, a
        NaN or ``+inf`` in a float mask, or a mask that hides *every* key from some
        query (its softmax would be 0/0 = NaN, so it is refused rather than returned).

    Notes
    -----
    For one query ``q``, the weights ``a_j = exp(s_j) / sum_k exp(s_k)`` with
    ``s_j = q . k_j / sqrt(d_k)`` form a probability vector over the keys, and the
    output is the weighted average ``sum_j a_j v_j``. Dividing by ``sqrt(d_k)``
    keeps the scores' variance near one when the entries of q and k are
    independent with unit variance, so the softmax does not saturate. A hidden key
    gets score ``-inf`` and weight exactly 0.

    References
    ----------
    Vaswani, A. et al. (2017). Attention is all you need. *NeurIPS*, section 3.2.1.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn.functional import scaled_dot_product_attention
    >>> q = np.array([[1.0, 0.0]]); k = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> v = np.array([[1.0], [3.0]])
    >>> scaled_dot_product_attention(q, k, v, mask=np.array([[False, True]])).numpy()
    array([[3.]])
    """
    output, _ = attention_with_weights(query, key, value, mask, is_causal=is_causal, scale=scale)
    return output


def attention_with_weights(query, key, value, mask=None, *, is_causal=False, scale=None):
    """`scaled_dot_product_attention` returning ``(output, weights)``; weights ``(..., L, S)``."""
    q = as_tensor(query, "query")
    k = as_tensor(key, "key")
    v = as_tensor(value, "value")
    for name, t in (("query", q), ("key", k), ("value", v)):
        if t.ndim < 2:
            raise ValueError(f"{name} must have at least 2 axes (..., positions, features), got shape {t.shape}")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"query and key must share their last axis d_k, got query {q.shape} and key {k.shape}"
        )
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"key and value must have the same number of positions S, got key {k.shape} and value {v.shape}"
        )
    try:
        batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise ValueError(
            f"the leading (batch) axes of query {q.shape}, key {k.shape} and value {v.shape} do not broadcast"
        ) from None
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else check_real(scale, "scale")
    score_shape = (*batch, q.shape[-2], k.shape[-2])
    axes = list(range(k.ndim))
    axes[-2], axes[-1] = axes[-1], axes[-2]
    scores = (q @ k.transpose(*axes)) * float(scale)
    keep, additive = _split_mask(mask, score_shape, is_causal)
    if additive is not None:
        scores = scores + additive.astype(scores.dtype)
    if keep is not None:
        scores = ad.where(keep, scores, -np.inf)
    weights = ad.softmax(scores, axis=-1)
    return weights @ v, weights


def _split_mask(mask, score_shape, is_causal):
    """Return (boolean keep-mask or None, additive float mask or None), validated."""
    keep = additive = None
    if mask is None and not is_causal:
        return keep, additive
    if mask is not None:
        raw = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
        try:
            broadcast = np.broadcast_shapes(raw.shape, score_shape)
        except ValueError:
            broadcast = None
        if broadcast != score_shape:
            raise ValueError(
                f"mask of shape {raw.shape} does not broadcast to the attention scores' shape {score_shape}"
            )
        if raw.dtype == np.bool_:
            keep = raw
        else:
            additive = as_float_array(raw, "mask", keep_float32=True, finite=False)
            if np.isnan(additive).any() or np.isposinf(additive).any():
                raise ValueError("mask contains NaN or +inf; a float mask holds finite values or -inf")
    if is_causal:
        n_queries, n_keys = score_shape[-2:]
        causal = np.tril(np.ones((n_queries, n_keys), dtype=bool))
        keep = causal if keep is None else (keep & causal)
    hidden = np.zeros(score_shape, dtype=bool)
    if keep is not None:
        hidden = hidden | ~keep
    if additive is not None:
        hidden = hidden | np.isneginf(additive)
    all_hidden = hidden.all(axis=-1)
    if all_hidden.any():
        where = tuple(int(i) for i in np.argwhere(all_hidden)[0])
        raise ValueError(
            f"the mask hides every key from the query at index {where} of the scores' "
            f"leading axes (shape {score_shape[:-1]}); its attention weights would be 0/0 = NaN. "
            "Let every query attend to at least one key."
        )
    return keep, additive
