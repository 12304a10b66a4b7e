"""Weight initialisation: Glorot/Xavier and He/Kaiming, filled in place from an ``rng``.

Each function overwrites its argument (a Tensor's ``.data`` or a NumPy array) with
draws from ``rng`` and returns it; nothing touches global random state. For a
weight of shape ``(fan_out, fan_in, *kernel)`` (PyTorch's layout), ``fan_in`` is
``shape[1] * prod(kernel)`` and ``fan_out`` is ``shape[0] * prod(kernel)``.

The aim of both schemes is to keep the variance of activations (forward) and of
gradients (backward) the same from layer to layer, so deep networks neither blow
up nor die out at the start of training:

- Glorot & Bengio (2010) for tanh/sigmoid-like (linear near 0) units:
  ``Var(W) = gain^2 * 2 / (fan_in + fan_out)``.
- He et al. (2015) for ReLU units, which zero half their inputs and so need twice
  the variance: ``Var(W) = gain^2 / fan`` with ``gain = sqrt(2)``.

A uniform ``U(-a, a)`` has variance ``a^2 / 3``, which fixes the bounds below.

References
----------
Glorot, X. and Bengio, Y. (2010). Understanding the difficulty of training deep
feedforward neural networks. *AISTATS*.
He, K., Zhang, X., Ren, S. and Sun, J. (2015). Delving deep into rectifiers.
*ICCV*, section 2.2.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_real, check_rng
from ..autodiff import Tensor

__all__ = [
    "calculate_gain",
    "xavier_uniform_",
    "xavier_normal_",
    "kaiming_uniform_",
    "kaiming_normal_",
    "uniform_",
    "zeros_",
]


def calculate_gain(nonlinearity: str = "leaky_relu", param=None) -> float:
    """The factor by which a nonlinearity's variance is restored (PyTorch's table).

    ``linear``/``sigmoid``: 1, ``tanh``: 5/3, ``relu``: sqrt(2), ``leaky_relu``
    with negative slope ``a`` (``param``, default 0.01): ``sqrt(2 / (1 + a^2))``,
    ``selu``: 3/4.

    Examples
    --------
    >>> from mlfoundations.nn.init import calculate_gain
    >>> round(calculate_gain("relu"), 6), calculate_gain("tanh")
    (1.414214, 1.6666666666666667)
    """
    if nonlinearity in ("linear", "sigmoid", "identity"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else check_real(param, "param")
        return math.sqrt(2.0 / (1.0 + slope**2))
    if nonlinearity == "selu":
        return 0.75
    raise ValueError(
        f"unknown nonlinearity {nonlinearity!r}; expected one of 'linear', 'identity', "
        "'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu'"
    )


def _array_of(tensor, name="tensor") -> np.ndarray:
    array = tensor.data if isinstance(tensor, Tensor) else tensor
    if not isinstance(array, np.ndarray) or array.dtype.kind != "f":
        raise TypeError(f"{name} must be a floating Tensor or NumPy array to fill in place, got {type(tensor).__name__}")
    return array


def _fans(shape) -> tuple[int, int]:
    if len(shape) < 2:
        raise ValueError(f"fan_in and fan_out need a weight with at least 2 axes, got shape {shape}")
    if 0 in shape:
        raise ValueError(f"cannot compute fans of an empty weight of shape {shape}")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _fan(shape, mode: str) -> int:
    fan_in, fan_out = _fans(shape)
    if mode == "fan_in":
        return fan_in
    if mode == "fan_out":
        return fan_out
    raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")


def _check_gain(gain) -> float:
    gain = check_real(gain, "gain")
    if gain < 0:
        raise ValueError(f"gain must be >= 0, got {gain}")
    return gain


def uniform_(tensor, a: float = 0.0, b: float = 1.0, *, rng=None):
    """Fill with independent draws from ``U(a, b)``; returns ``tensor``."""
    array = _array_of(tensor)
    a, b = check_real(a, "a"), check_real(b, "b")
    if a > b:
        raise ValueError(f"the lower bound a={a} exceeds the upper bound b={b}")
    array[...] = check_rng(rng).uniform(a, b, size=array.shape)
    return tensor


def zeros_(tensor):
    """Fill with zeros; returns ``tensor``."""
    _array_of(tensor)[...] = 0.0
    return tensor


def _fill_normal(tensor, std, rng):
    array = _array_of(tensor)
    array[...] = check_rng(rng).normal(0.0, std, size=array.shape)
    return tensor


def xavier_uniform_(tensor, gain: float = 1.0, *, rng=None):
    """Glorot uniform: ``U(-a, a)`` with ``a = gain * sqrt(6 / (fan_in + fan_out))``.

    Parameters
    ----------
    tensor : Tensor or ndarray with at least 2 axes
        Filled in place, e.g. a weight of shape ``(fan_out, fan_in)``.
    gain : float, default 1.0
        See `calculate_gain`.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    The same ``tensor``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn.init import xavier_uniform_
    >>> W = xavier_uniform_(np.empty((300, 200)), rng=0)
    >>> bool(np.abs(W).max() <= np.sqrt(6 / 500))
    True
    """
    fan_in, fan_out = _fans(_array_of(tensor).shape)
    bound = _check_gain(gain) * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, rng=rng)


def xavier_normal_(tensor, gain: float = 1.0, *, rng=None):
    """Glorot normal: ``N(0, std^2)`` with ``std = gain * sqrt(2 / (fan_in + fan_out))``."""
    fan_in, fan_out = _fans(_array_of(tensor).shape)
    return _fill_normal(tensor, _check_gain(gain) * math.sqrt(2.0 / (fan_in + fan_out)), rng)


def kaiming_uniform_(tensor, a: float = 0.0, *, mode: str = "fan_in", nonlinearity: str = "leaky_relu", rng=None):
    """He uniform: ``U(-b, b)`` with ``b = gain * sqrt(3 / fan)``.

    Parameters
    ----------
    tensor : Tensor or ndarray with at least 2 axes
        Filled in place.
    a : float, default 0
        Negative slope of the leaky ReLU that follows (0: plain ReLU, gain sqrt(2)).
    mode : {"fan_in", "fan_out"}, default "fan_in"
        Preserve the variance of the forward activations (``fan_in``) or of the
        backward gradients (``fan_out``).
    nonlinearity : str, default "leaky_relu"
        See `calculate_gain`; with ``a = 0`` the default equals ``"relu"``.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    The same ``tensor``.

    Notes
    -----
    ``Var = gain^2 / fan``, so for a ReLU layer ``b = sqrt(6 / fan_in)``. PyTorch's
    default ``nn.Linear`` weight is this with ``a = sqrt(5)``, i.e.
    ``b = 1 / sqrt(fan_in)`` (``Linear(..., init="torch")``).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn.init import kaiming_uniform_
    >>> W = kaiming_uniform_(np.empty((400, 600)), rng=0)
    >>> bool(abs(W.var() - 2 / 600) < 1e-4)
    True
    """
    fan = _fan(_array_of(tensor).shape, mode)
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan)
    return uniform_(tensor, -bound, bound, rng=rng)


def kaiming_normal_(tensor, a: float = 0.0, *, mode: str = "fan_in", nonlinearity: str = "leaky_relu", rng=None):
    """He normal: ``N(0, std^2)`` with ``std = gain / sqrt(fan)`` (see `kaiming_uniform_`)."""
    fan = _fan(_array_of(tensor).shape, mode)
    return _fill_normal(tensor, calculate_gain(nonlinearity, a) / math.sqrt(fan), rng)
