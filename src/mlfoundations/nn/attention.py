"""Multi-head attention: several scaled dot-product attentions side by side.

Dot products measure how well each query matches each key; a softmax turns a row
of matches into weights; the output is the weighted average of the values
(`mlfoundations.nn.functional.scaled_dot_product_attention`). Multi-head attention
runs ``num_heads`` of these in learned ``embed_dim / num_heads``-dimensional
subspaces and mixes the results with an output projection.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_bool, check_int, check_rng
from ..autodiff import Tensor
from .functional import attention_with_weights
from ._tensors import as_tensor
from .layers import Linear, _check_dtype
from .module import Module

__all__ = ["MultiHeadAttention"]


class MultiHeadAttention(Module):
    """Multi-head attention with batch-first ``(batch, seq, embed_dim)`` inputs.

    Parameters
    ----------
    embed_dim : int >= 1
        Size ``E`` of each input and output vector.
    num_heads : int >= 1
        Number of heads ``H``; must divide ``embed_dim``. Each head works in
        ``d = E / H`` dimensions.
    bias : bool, default True
        Whether the four projections have biases.
    rng : None, int or numpy.random.Generator
        Source of the initial weights.
    dtype : {float64, float32}, default float64

    Attributes
    ----------
    q_proj, k_proj, v_proj, out_proj : Linear(E, E)
        The query, key, value and output projections. Each weight is Glorot uniform
        ``U(-a, a)``, ``a = sqrt(6 / (2 E))``, and each bias starts at zero.
        PyTorch keeps the first three stacked in one ``in_proj_weight`` of shape
        ``(3E, E)`` (rows ``[W_q; W_k; W_v]``) and ``in_proj_bias``; copy them
        across by splitting into thirds.

    Notes
    -----
    ``head_h = Attention(Q W_q^(h)T, K W_k^(h)T, V W_v^(h)T)`` where ``W^(h)`` are
    rows ``h d .. (h + 1) d - 1`` of each projection, and
    ``MultiHead(Q, K, V) = concat(head_1, ..., head_H) W_o^T + b_o``.

    References
    ----------
    Vaswani, A. et al. (2017). Attention is all you need. *NeurIPS*, section 3.2.2.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn import MultiHeadAttention
    >>> mha = MultiHeadAttention(8, 2, rng=0)
    >>> x = np.random.default_rng(1).standard_normal((3, 5, 8))
    >>> mha(x).shape
    (3, 5, 8)
    """

    def __init__(self, embed_dim, num_heads, *, bias=True, rng=None, dtype=np.float64):
        self.embed_dim = check_int(embed_dim, "embed_dim", minimum=1)
        self.num_heads = check_int(num_heads, "num_heads", minimum=1)
        if self.embed_dim % self.num_heads:
            raise ValueError(f"embed_dim={self.embed_dim} must be divisible by num_heads={self.num_heads}")
        self.head_dim = self.embed_dim // self.num_heads
        bias = check_bool(bias, "bias")
        dtype = _check_dtype(dtype)
        rng = check_rng(rng)
        E = self.embed_dim
        self.q_proj = Linear(E, E, bias=bias, rng=rng, init="xavier", dtype=dtype)
        self.k_proj = Linear(E, E, bias=bias, rng=rng, init="xavier", dtype=dtype)
        self.v_proj = Linear(E, E, bias=bias, rng=rng, init="xavier", dtype=dtype)
        self.out_proj = Linear(E, E, bias=bias, rng=rng, init="xavier", dtype=dtype)

    def forward(self, query, key=None, value=None, *, mask=None, need_weights=False, average_attn_weights=True):
        """Attend from ``query`` to ``key``/``value``.

        Parameters
        ----------
        query : (batch, L, E) or (L, E) Tensor or array_like
            Target sequence; an unbatched 2-D input gives a 2-D output.
        key : (batch, S, E) or (S, E), optional
            Source sequence; defaults to ``query`` (self-attention).
        value : (batch, S, E) or (S, E), optional
            Defaults to ``key``.
        mask : array_like of bool or float, optional
            Broadcastable to ``(batch, num_heads, L, S)`` (so ``(L, S)`` for one mask
            shared by all, ``(batch, 1, 1, S)`` for key padding). Boolean True means
            *keep* -- the `scaled_dot_product_attention` convention, the opposite of
            ``torch.nn.MultiheadAttention`` where True means "masked out". Float
            masks are added to the scores. A query that sees no key raises.
        need_weights : bool, default False
            Also return the attention weights.
        average_attn_weights : bool, default True
            Average the returned weights over heads: ``(batch, L, S)``; else
            ``(batch, num_heads, L, S)``.

        Returns
        -------
        output : (batch, L, E) Tensor
        weights : Tensor, only when ``need_weights``
        """
        q = as_tensor(query, "query")
        k = q if key is None else as_tensor(key, "key")
        v = k if value is None else as_tensor(value, "value")
        unbatched = q.ndim == 2
        for name, t in (("query", q), ("key", k), ("value", v)):
            if t.ndim != q.ndim or t.ndim not in (2, 3):
                raise ValueError(
                    f"query, key and value must all be (batch, seq, embed_dim) or all (seq, embed_dim); "
                    f"got {name} of shape {t.shape} with query of shape {q.shape}"
                )
            if t.shape[-1] != self.embed_dim:
                raise ValueError(f"{name} has shape {t.shape}; its last axis must be embed_dim={self.embed_dim}")
        if unbatched:
            q, k, v = (t.reshape(1, *t.shape) for t in (q, k, v))
        if k.shape[:2] != v.shape[:2] or q.shape[0] != k.shape[0]:
            raise ValueError(
                f"key {k.shape} and value {v.shape} must have the same (batch, seq) axes and the "
                f"batch size of query {q.shape}"
            )
        heads_q = self._split_heads(self.q_proj(q))
        heads_k = self._split_heads(self.k_proj(k))
        heads_v = self._split_heads(self.v_proj(v))
        heads, weights = attention_with_weights(heads_q, heads_k, heads_v, mask)
        batch, _, length, _ = heads.shape
        # (batch, H, L, d) -> (batch, L, H, d) -> (batch, L, E): concat(head_1..head_H)
        concat = heads.transpose(0, 2, 1, 3).reshape(batch, length, self.embed_dim)
        output = self.out_proj(concat)
        if average_attn_weights:
            weights = weights.mean(axis=1)
        if unbatched:
            output = output.reshape(*output.shape[1:])
            weights = weights.reshape(*weights.shape[1:])
        return (output, weights) if need_weights else output

    def _split_heads(self, x: Tensor) -> Tensor:
        """(batch, n, E) -> (batch, H, n, d): head h sees features h d .. (h + 1) d - 1."""
        batch, n, _ = x.shape
        return x.reshape(batch, n, self.num_heads, self.head_dim).transpose(0, 2, 1, 3)

    def extra_repr(self) -> str:
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}"
