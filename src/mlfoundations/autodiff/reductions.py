"""Reductions over axes (sum, mean, max) and the softmax family, shifted by the max.

A reduction's VJP spreads the output gradient back over the reduced axes: first
reshaped to the ``keepdims`` shape, then broadcast to the input's shape.
"""

from __future__ import annotations

import builtins

import numpy as np

from .elementwise import _data, _exp
from .tensor import Tensor, _node, _operand

__all__ = ["sum", "mean", "max", "logsumexp", "log_softmax", "softmax", "broadcast_to"]


def _normalize_axis(axis, ndim: int) -> tuple:
    """Axis argument -> sorted tuple of non-negative axes (all axes for None)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (int, np.integer)):
        axes = (axis,)
    elif isinstance(axis, (tuple, list)):
        axes = tuple(axis)
    else:
        raise TypeError(f"axis must be an int or a tuple of ints, got {axis!r}")
    out = []
    for ax in axes:
        if not isinstance(ax, (int, np.integer)) or isinstance(ax, bool):
            raise TypeError(f"axis must be an int or a tuple of ints, got {axis!r}")
        if not -ndim <= ax < ndim:
            raise ValueError(f"axis {ax} is out of bounds for a tensor with {ndim} dimensions")
        out.append(int(ax) % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in {axis!r}")
    return tuple(sorted(out))


def _kept_shape(shape: tuple, axes: tuple) -> tuple:
    """The shape of the result with ``keepdims=True``: reduced axes become 1."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _expand(g, shape: tuple, kept: tuple):
    """Broadcast a reduction's output gradient back to the input shape.

    ``kept`` is the ``keepdims`` shape of the reduction.
    """
    g = g.reshape(kept)
    if isinstance(g, Tensor):
        return broadcast_to(g, shape)
    # A filled array rather than np.broadcast_to: cheaper for the small arrays of a
    # training step, and the next rule would allocate its result anyway.
    full = np.empty(shape, dtype=g.dtype)
    full[...] = g
    return full


# ---------------------------------------------------------------- broadcast_to
def _broadcast_to_vjp(g, out, args, extra):
    return g  # the engine sums over the broadcast axes


def broadcast_to(x, shape) -> Tensor:
    """Repeat ``x`` along new or length-1 axes to ``shape`` (NumPy's rules).

    Parameters
    ----------
    x : Tensor or array_like
    shape : tuple of int

    Returns
    -------
    Tensor
        A read-only view of ``x``'s data with the new shape.

    Notes
    -----
    The VJP sums the gradient over the repeated axes.
    """
    x = _operand(x)
    shape = tuple(shape)
    try:
        data = np.broadcast_to(x.data, shape)
    except ValueError:
        raise ValueError(f"cannot broadcast a tensor of shape {x.shape} to {shape}") from None
    return _node(data, (x,), (_broadcast_to_vjp,))


# ---------------------------------------------------------------- sum, mean, max
def _sum_vjp(g, out, args, extra):
    shape, kept = extra
    return _expand(g, shape, kept)


def sum(x, axis=None, keepdims: bool = False) -> Tensor:
    """Sum over ``axis`` (int, tuple or None for all).  d/dx_i = 1 for every summand.

    Parameters
    ----------
    x : Tensor or array_like
    axis : None, int or tuple of int
        The axes to reduce (all when None).
    keepdims : bool, default False
        Keep the reduced axes with length 1.

    Returns
    -------
    Tensor

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor
    >>> x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> x.sum(axis=0)
    Tensor([4., 6.], requires_grad=True)
    """
    x = _operand(x)
    axes = _normalize_axis(axis, x.data.ndim)
    data = x.data.sum(axis=axes, keepdims=keepdims)
    return _node(data, (x,), (_sum_vjp,), (x.data.shape, _kept_shape(x.shape, axes)))


def _mean_vjp(g, out, args, extra):
    shape, kept, count = extra
    return _expand(g / count, shape, kept)


def mean(x, axis=None, keepdims: bool = False) -> Tensor:
    """Arithmetic mean over ``axis``.  d/dx_i = 1/n, n the number of averaged entries.

    Parameters
    ----------
    x : Tensor or array_like
    axis : None, int or tuple of int
        The axes to reduce (all when None).
    keepdims : bool, default False
        Keep the reduced axes with length 1.

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If the reduced axes are empty (the mean of nothing).
    """
    x = _operand(x)
    axes = _normalize_axis(axis, x.data.ndim)
    count = int(np.prod([x.data.shape[i] for i in axes]))
    if count == 0:
        raise ValueError(f"mean over an empty axis (tensor shape {x.shape}, axis={axis!r})")
    data = x.data.sum(axis=axes, keepdims=keepdims) / count
    return _node(data, (x,), (_mean_vjp,),
                 (x.data.shape, _kept_shape(x.shape, axes), count))


def _max_vjp(g, out, args, extra):
    shape, axes = extra
    x = _data(args[0])
    top = _data(out).reshape(_kept_shape(shape, axes))
    winners = x == top
    # Ties share the gradient evenly (PyTorch's amax convention).
    share = winners / winners.sum(axis=axes, keepdims=True)
    return _expand(g, shape, _kept_shape(shape, axes)) * share.astype(x.dtype, copy=False)


def max(x, axis=None, keepdims: bool = False) -> Tensor:
    """Maximum over ``axis``.

    Parameters
    ----------
    x : Tensor or array_like
    axis : None, int or tuple of int
        The axes to reduce (all when None).
    keepdims : bool, default False
        Keep the reduced axes with length 1.

    Returns
    -------
    Tensor

    Notes
    -----
    The gradient goes to the maximal entries; when several entries tie for the
    maximum it is split evenly between them (as ``torch.amax``), so the gradient of
    ``max([1, 3, 3])`` is ``[0, 1/2, 1/2]``.

    Raises
    ------
    ValueError
        If the reduced axes are empty.
    """
    x = _operand(x)
    axes = _normalize_axis(axis, x.data.ndim)
    if builtins.any(x.data.shape[i] == 0 for i in axes):
        raise ValueError(f"max over an empty axis (tensor shape {x.shape}, axis={axis!r})")
    data = x.data.max(axis=axes, keepdims=keepdims)
    return _node(data, (x,), (_max_vjp,), (x.data.shape, axes))


# ---------------------------------------------------------------- softmax family
def _shift(x: np.ndarray, axes: tuple) -> np.ndarray:
    """The max over ``axes`` (keepdims), 0 where it is infinite so x - m stays finite."""
    m = x.max(axis=axes, keepdims=True)
    if not np.isfinite(m).all():
        m = np.where(np.isfinite(m), m, 0)
    return m


def _logsumexp_vjp(g, out, args, extra):
    shape, axes = extra
    kept = _kept_shape(shape, axes)
    # d lse / dx = softmax(x) = exp(x - lse)
    return g.reshape(kept) * _exp(args[0] - out.reshape(kept))


def logsumexp(x, axis=-1, keepdims: bool = False) -> Tensor:
    """log(sum(exp(x))) over ``axis``, computed stably.

    Parameters
    ----------
    x : Tensor or array_like
    axis : None, int or tuple of int, default -1
    keepdims : bool, default False

    Returns
    -------
    Tensor

    Notes
    -----
    With m = max x, lse(x) = m + log(sum(exp(x - m))); every exponent is <= 0, so
    nothing overflows (logits of 1e4 are fine). The gradient is softmax(x).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import Tensor, logsumexp
    >>> logsumexp(Tensor([1e4, 1e4])).item() == 1e4 + float(np.log(2))
    True
    """
    x = _operand(x)
    axes = _normalize_axis(axis, x.data.ndim)
    if builtins.any(x.data.shape[i] == 0 for i in axes):
        raise ValueError(f"logsumexp over an empty axis (tensor shape {x.shape})")
    m = _shift(x.data, axes)
    with np.errstate(divide="ignore"):  # all -inf along an axis gives -inf, as it should
        data = np.log(np.exp(x.data - m).sum(axis=axes, keepdims=True)) + m
    if not keepdims:
        data = data.reshape([n for i, n in enumerate(data.shape) if i not in axes])
    return _node(data, (x,), (_logsumexp_vjp,), (x.data.shape, axes))


def _check_axis(axis, ndim: int) -> int:
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"axis must be an int, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of bounds for a tensor with {ndim} dimensions")
    return int(axis) % ndim


def _log_softmax_vjp(g, out, args, extra):
    return g - _exp(out) * g.sum(axis=extra, keepdims=True)


def log_softmax(x, axis: int = -1) -> Tensor:
    """log(softmax(x)) = x - logsumexp(x) along ``axis``, computed stably.

    Parameters
    ----------
    x : Tensor or array_like
    axis : int, default -1

    Returns
    -------
    Tensor
        Same shape; each slice along ``axis`` holds log-probabilities.

    Notes
    -----
    VJP: g - softmax(x) * sum(g). Never log(0): the subtraction is done in log space.
    """
    x = _operand(x)
    axis = _check_axis(axis, x.data.ndim)
    m = _shift(x.data, (axis,))
    shifted = x.data - m
    data = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    return _node(data, (x,), (_log_softmax_vjp,), axis)


def _softmax_vjp(g, out, args, extra):
    return out * (g - (g * out).sum(axis=extra, keepdims=True))


def softmax(x, axis: int = -1) -> Tensor:
    """softmax(x)_i = exp(x_i - m) / sum_j exp(x_j - m), m = max x, along ``axis``.

    Parameters
    ----------
    x : Tensor or array_like
    axis : int, default -1

    Returns
    -------
    Tensor
        Same shape; each slice along ``axis`` is a probability vector.

    Notes
    -----
    VJP: s * (g - sum(g * s)). The shift by the max makes 1e4 logits safe.

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor, softmax
    >>> softmax(Tensor([1e4, 1e4, -1e4]))
    Tensor([0.5, 0.5, 0. ])
    """
    x = _operand(x)
    axis = _check_axis(axis, x.data.ndim)
    e = np.exp(x.data - _shift(x.data, (axis,)))
    return _node(e / e.sum(axis=axis, keepdims=True), (x,), (_softmax_vjp,), axis)
