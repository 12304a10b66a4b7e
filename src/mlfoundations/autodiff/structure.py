"""Primitives that move entries around: reshape, transpose, indexing, gather,
concatenate, stack. Their VJPs move the gradient back to where each entry came from;
an entry read several times (a repeated index) receives the sum of its gradients.
"""

from __future__ import annotations

import numpy as np

from .tensor import Tensor, _node, _operand

__all__ = ["reshape", "transpose", "swapaxes", "getitem", "index_add", "gather",
           "concatenate", "stack"]


# ---------------------------------------------------------------- reshape, transpose
def _reshape_vjp(g, out, args, extra):
    return g.reshape(extra)


def reshape(x, shape) -> Tensor:
    """The same entries in a new shape (C order; one ``-1`` is inferred).

    Parameters
    ----------
    x : Tensor or array_like
    shape : int or tuple of int

    Returns
    -------
    Tensor
        A view of ``x``'s data where NumPy can make one.

    Raises
    ------
    ValueError
        If the sizes differ.

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor
    >>> Tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, -1).shape
    (2, 2)
    """
    x = _operand(x)
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        data = x.data.reshape(shape)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"cannot reshape a tensor of shape {x.shape} to {shape}: {exc}") from None
    return _node(data, (x,), (_reshape_vjp,), x.data.shape)


def _transpose_vjp(g, out, args, extra):
    return g.transpose(extra)


def transpose(x, axes=None) -> Tensor:
    """Permute the axes (reverse them when ``axes`` is None).

    Parameters
    ----------
    x : Tensor or array_like
    axes : tuple of int, optional
        A permutation of the axes.

    Returns
    -------
    Tensor

    Notes
    -----
    VJP: the gradient transposed by the inverse permutation.
    """
    x = _operand(x)
    ndim = x.data.ndim
    if axes is None:
        axes = tuple(range(ndim))[::-1]
    axes = tuple(int(a) % ndim if ndim else int(a) for a in axes)
    if sorted(axes) != list(range(ndim)):
        raise ValueError(f"axes {axes} are not a permutation of the {ndim} axes")
    return _node(x.data.transpose(axes), (x,), (_transpose_vjp,), tuple(np.argsort(axes)))


def swapaxes(x, axis1: int, axis2: int) -> Tensor:
    """Exchange two axes (a transpose with the permutation that swaps them).

    Parameters
    ----------
    x : Tensor or array_like
    axis1, axis2 : int

    Returns
    -------
    Tensor
    """
    x = _operand(x)
    perm = list(range(x.data.ndim))
    if x.data.ndim < 2 and {axis1, axis2} == {-1, -2}:
        raise ValueError(f"swapaxes(-1, -2) needs at least 2 dimensions, got shape {x.shape}")
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return transpose(x, perm)


# ---------------------------------------------------------------- indexing
def _plain_index(index):
    """Replace Tensors inside an index by their arrays; keep slices, ints, None, ..."""
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
    return index.data if isinstance(index, Tensor) else index


def _is_basic(index) -> bool:
    """True for indices made of ints, slices, None and Ellipsis (no repeated reads)."""
    items = index if isinstance(index, tuple) else (index,)
    return all(
        i is None or i is Ellipsis or isinstance(i, (slice, int, np.integer))
        and not isinstance(i, (bool, np.bool_))
        for i in items
    )


def _getitem_vjp(g, out, args, extra):
    index, shape = extra
    return index_add(g, index, shape)


def getitem(x, index) -> Tensor:
    """``x[index]`` with NumPy's basic (slices, ints, None, ...) and advanced (integer
    arrays, boolean masks) indexing.

    Parameters
    ----------
    x : Tensor or array_like
    index : int, slice, None, Ellipsis, integer or boolean array (or Tensor), or a
        tuple of these

    Returns
    -------
    Tensor
        A copy (never a view), so in-place updates of ``x.data`` do not leak into it.

    Raises
    ------
    IndexError
        If an index is out of range; the message gives the tensor's shape.

    Notes
    -----
    The VJP scatters the gradient into zeros of the input's shape; entries selected
    several times accumulate (``np.add.at``).

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> x[[0, 0, 2]].sum().backward()
    >>> x.grad
    array([2., 0., 1.])
    """
    x = _operand(x)
    index = _plain_index(index)
    try:
        data = x.data[index]
    except IndexError as exc:
        raise IndexError(f"index into a tensor of shape {x.shape}: {exc}") from None
    if isinstance(data, np.ndarray) and data.base is not None:
        data = data.copy()  # a view would let in-place updates of x leak into it
    return _node(data, (x,), (_getitem_vjp,), (index, x.data.shape))


def _index_add_vjp(g, out, args, extra):
    index, _ = extra
    return g[index]


def index_add(values, index, shape) -> Tensor:
    """Zeros of ``shape`` with ``values`` added at ``index`` (repeats accumulate).

    Parameters
    ----------
    values : Tensor or ndarray
        Shaped like ``zeros(shape)[index]``.
    index : any NumPy index
    shape : tuple of int

    Returns
    -------
    Tensor (for a Tensor ``values``) or ndarray

    Notes
    -----
    The adjoint of ``getitem``: ``index_add(v, i, x.shape)`` is the gradient of
    ``x[i]`` for the cotangent ``v``; its own VJP is indexing again.
    """
    shape = tuple(shape)
    if isinstance(values, Tensor):
        g = values.data
        z = np.zeros(shape, dtype=g.dtype)
        _scatter(z, index, g)
        return _node(z, (values,), (_index_add_vjp,), (index, shape))
    z = np.zeros(shape, dtype=values.dtype)
    _scatter(z, index, values)
    return z


def _scatter(z: np.ndarray, index, g: np.ndarray) -> None:
    if _is_basic(index):
        z[index] = g  # a basic index reads each entry at most once
    else:
        np.add.at(z, index, g)


def _along_axis_index(index: np.ndarray, shape: tuple, axis: int) -> tuple:
    """The integer-array index tuple that makes x[...] equal take_along_axis(x, index, axis)."""
    ndim = len(shape)
    parts = []
    for d in range(ndim):
        if d == axis:
            parts.append(index)
        else:
            view = [1] * ndim
            view[d] = shape[d]
            parts.append(np.arange(shape[d]).reshape(view))
    return tuple(parts)


def gather(x, index, axis: int) -> Tensor:
    """Pick ``x`` entries along ``axis`` at ``index`` (``np.take_along_axis`` semantics).

    ``out[i, j] = x[i, index[i, j]]`` for ``axis=1`` in 2-D; ``index`` has ``x.ndim``
    dimensions and broadcasts against ``x`` on the other axes.

    Raises
    ------
    TypeError
        If ``index`` is not an integer array.
    ValueError
        If ``index`` has the wrong number of dimensions or ``axis`` is out of range.
    IndexError
        If an index is out of range.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import Tensor, gather
    >>> logp = Tensor([[0.1, 0.9], [0.8, 0.2]])
    >>> gather(logp, np.array([[1], [0]]), axis=1)
    Tensor([[0.9],
            [0.8]])
    """
    x = _operand(x)
    index = np.asarray(index.data if isinstance(index, Tensor) else index)
    if index.dtype.kind not in "iu":
        raise TypeError(f"gather: index must hold integers, got dtype {index.dtype}")
    ndim = x.data.ndim
    if index.ndim != ndim:
        raise ValueError(
            f"gather: index must have the tensor's {ndim} dimensions, got shape {index.shape}"
        )
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of bounds for a tensor with {ndim} dimensions")
    axis %= ndim
    n = x.data.shape[axis]
    if index.size and (index.min() < -n or index.max() >= n):
        raise IndexError(f"gather: index out of range for axis {axis} of size {n}")
    return getitem(x, _along_axis_index(index, x.data.shape, axis))


# ---------------------------------------------------------------- concatenate, stack
def _concatenate_vjp(k):
    def vjp(g, out, args, extra):
        axis, bounds = extra
        where = [slice(None)] * g.ndim
        where[axis] = slice(bounds[k], bounds[k + 1])
        return g[tuple(where)]
    return vjp


_CONCAT_VJPS: list = []


def _tensors(tensors, name: str) -> tuple:
    if isinstance(tensors, Tensor) or not hasattr(tensors, "__len__") or len(tensors) == 0:
        raise ValueError(f"{name} needs a non-empty sequence of tensors")
    first = next((t for t in tensors if isinstance(t, Tensor)), None)
    return tuple(_operand(t) if isinstance(t, Tensor) or first is None
                 else _operand(np.asarray(t, dtype=first.data.dtype)) for t in tensors)


def concatenate(tensors, axis: int = 0) -> Tensor:
    """Join tensors along an existing axis.  VJP: the matching slice of the gradient.

    Parameters
    ----------
    tensors : sequence of Tensor or array_like
    axis : int, default 0

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If the sequence is empty or the shapes differ off ``axis``.

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor, concatenate
    >>> concatenate([Tensor([1.0]), Tensor([2.0, 3.0])])
    Tensor([1., 2., 3.])
    """
    tensors = _tensors(tensors, "concatenate")
    try:
        data = np.concatenate([t.data for t in tensors], axis=axis)
    except (ValueError, np.exceptions.AxisError) as exc:
        shapes = [t.shape for t in tensors]
        raise ValueError(f"concatenate: shapes {shapes} along axis {axis}: {exc}") from None
    axis %= data.ndim
    bounds = np.concatenate([[0], np.cumsum([t.data.shape[axis] for t in tensors])])
    while len(_CONCAT_VJPS) < len(tensors):
        _CONCAT_VJPS.append(_concatenate_vjp(len(_CONCAT_VJPS)))
    return _node(data, tensors, tuple(_CONCAT_VJPS[: len(tensors)]), (axis, bounds))


def stack(tensors, axis: int = 0) -> Tensor:
    """Join same-shape tensors along a new axis (concatenate of expanded copies).

    Parameters
    ----------
    tensors : sequence of Tensor or array_like
    axis : int, default 0

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If the sequence is empty or the shapes differ.

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor, stack
    >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], axis=1).shape
    (2, 2)
    """
    tensors = _tensors(tensors, "stack")
    shapes = {t.shape for t in tensors}
    if len(shapes) != 1:
        raise ValueError(f"stack: all tensors must have the same shape, got {sorted(shapes)}")
    ndim = tensors[0].data.ndim + 1
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of bounds for stacking {ndim - 1}-d tensors")
    axis %= ndim
    shape = tensors[0].shape
    expanded = [reshape(t, shape[:axis] + (1,) + shape[axis:]) for t in tensors]
    return concatenate(expanded, axis=axis)
