"""Layers with parameters or randomness: ``Linear`` and ``Dropout``."""

from __future__ import annotations

import numpy as np

from .._validation import check_bool, check_int, check_rng
from ..autodiff import Tensor
from . import functional as F
from . import init as nn_init
from ._tensors import check_dropout_p
from .module import Module

__all__ = ["Linear", "Dropout"]

_INITS = ("kaiming", "kaiming_normal", "xavier", "xavier_normal", "torch")


def _check_dtype(dtype):
    dtype = np.dtype(dtype)
    if dtype not in (np.float64, np.float32):
        raise ValueError(f"dtype must be float64 or float32, got {dtype}")
    return dtype


class Linear(Module):
    """Affine layer ``y = x W^T + b`` with ``W`` of shape ``(out_features, in_features)``.

    Parameters
    ----------
    in_features, out_features : int >= 1
        Sizes of each input and output vector.
    bias : bool, default True
        Whether to learn the offset ``b``.
    rng : None, int or numpy.random.Generator
        Source of the initial weights (None: fresh OS entropy).
    init : {"kaiming", "kaiming_normal", "xavier", "xavier_normal", "torch"}, default "kaiming"
        How to draw the initial weight (``fan_in = in_features``,
        ``fan_out = out_features``):

        - ``"kaiming"`` (He uniform, for ReLU networks): ``U(-a, a)``,
          ``a = sqrt(6 / fan_in)``, so ``Var(W) = 2 / fan_in``; bias zero.
        - ``"kaiming_normal"``: ``N(0, 2 / fan_in)``; bias zero.
        - ``"xavier"`` (Glorot uniform, for tanh/sigmoid/linear):
          ``U(-a, a)``, ``a = sqrt(6 / (fan_in + fan_out))``; bias zero.
        - ``"xavier_normal"``: ``N(0, 2 / (fan_in + fan_out))``; bias zero.
        - ``"torch"``: PyTorch's ``nn.Linear`` default, weight and bias both
          ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))`` (``kaiming_uniform_`` with
          ``a = sqrt(5)``). Same distribution, not the same numbers: to reproduce a
          PyTorch model, copy its weights with `load_state_dict`.
    dtype : {float64, float32}, default float64
        dtype of the parameters.

    Attributes
    ----------
    weight : (out_features, in_features) Tensor, requires_grad
    bias : (out_features,) Tensor or None

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn import Linear
    >>> layer = Linear(3, 2, rng=0)
    >>> layer.weight.shape, layer(np.ones((5, 3))).shape
    ((2, 3), (5, 2))
    """

    def __init__(self, in_features, out_features, *, bias=True, rng=None, init="kaiming", dtype=np.float64):
        self.in_features = check_int(in_features, "in_features", minimum=1)
        self.out_features = check_int(out_features, "out_features", minimum=1)
        if init not in _INITS:
            raise ValueError(f"init must be one of {', '.join(map(repr, _INITS))}, got {init!r}")
        dtype = _check_dtype(dtype)
        rng = check_rng(rng)
        weight = np.empty((self.out_features, self.in_features), dtype=dtype)
        if init == "kaiming":
            nn_init.kaiming_uniform_(weight, nonlinearity="relu", rng=rng)
        elif init == "kaiming_normal":
            nn_init.kaiming_normal_(weight, nonlinearity="relu", rng=rng)
        elif init == "xavier":
            nn_init.xavier_uniform_(weight, rng=rng)
        elif init == "xavier_normal":
            nn_init.xavier_normal_(weight, rng=rng)
        else:
            nn_init.kaiming_uniform_(weight, a=np.sqrt(5.0), rng=rng)
        self.weight = Tensor(weight, requires_grad=True)
        self.bias = None
        if check_bool(bias, "bias"):
            b = np.zeros(self.out_features, dtype=dtype)
            if init == "torch":
                bound = 1.0 / np.sqrt(self.in_features)
                nn_init.uniform_(b, -bound, bound, rng=rng)
            self.bias = Tensor(b, requires_grad=True)

    def forward(self, x) -> Tensor:
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Dropout(Module):
    """Inverted dropout in training mode, the identity in evaluation mode.

    Parameters
    ----------
    p : float in [0, 1), default 0.5
        Probability of zeroing each entry; kept entries are scaled by 1/(1-p).
    rng : None, int or numpy.random.Generator
        Source of the masks; a new mask is drawn at every call in training mode.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn import Dropout
    >>> drop = Dropout(0.25, rng=0)
    >>> drop.eval()(np.ones(3)).numpy()
    array([1., 1., 1.])
    """

    def __init__(self, p=0.5, rng=None):
        self.p = check_dropout_p(p)
        self.rng = check_rng(rng)

    def forward(self, x) -> Tensor:
        return F.dropout(x, self.p, self.training, rng=self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"
