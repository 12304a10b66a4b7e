"""The ``Tensor``: a NumPy array that remembers how it was computed.

Every primitive operation (see ``elementwise``, ``reductions``, ``structure``,
``linear``) computes its value with NumPy and records a graph node holding its inputs
and one vector-Jacobian product (VJP) rule per input: given the gradient ``g`` of a
scalar loss with respect to the output, the rule returns the input's contribution
``g @ d(out)/d(input)``. ``backward`` visits the nodes in reverse topological order
and adds each contribution into the input's gradient (the chain rule, summed over
paths) -- micrograd's idea on arrays.

Conventions (PyTorch's, documented here once):

* Leaves (tensors created by the user) with ``requires_grad=True`` receive ``.grad``;
  gradients accumulate across calls to ``backward`` until ``zero_grad()``, which sets
  ``.grad`` back to ``None``.
* Intermediate tensors do not keep ``.grad`` unless ``retain_grad()`` was called on
  them; this keeps memory flat during training.
* Gradients have the shape and dtype of the tensor they belong to: broadcasting in a
  forward is undone by summing over the broadcast axes, and float32 tensors get float32
  gradients.
* ``backward(create_graph=True)`` evaluates the VJP rules with tensor operations, so
  the gradients are themselves recorded and can be differentiated again; ``.grad`` is
  then a ``Tensor`` (as in PyTorch). Without it the rules run on plain NumPy arrays,
  which keeps the per-operation overhead of training small.
* The graph is kept after ``backward`` (it is freed with the output tensor), so
  ``backward`` may be called on the same graph again.
"""

from __future__ import annotations

import itertools

import numpy as np

from .mode import _MODE

__all__ = ["Tensor", "tensor"]

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _as_data(data, copy: bool = True) -> np.ndarray:
    """Convert user data to a float32/float64 array, refusing non-numbers.

    A float32/float64 ndarray is used as is when ``copy`` is False.
    """
    if isinstance(data, Tensor):
        data = data.data
    if isinstance(data, np.ndarray) and data.dtype in _FLOATS:
        return data.copy() if copy else data
    if isinstance(data, (str, bytes)):
        raise TypeError(f"Tensor data must be numeric, got a string {data!r}")
    try:
        arr = np.array(data)
    except (TypeError, ValueError) as exc:  # ragged nested lists and the like
        raise TypeError(f"Tensor data could not be read as a numeric array: {exc}") from None
    if arr.dtype in _FLOATS:
        return arr
    if arr.dtype.kind in "biuf":
        return arr.astype(np.float64)
    raise TypeError(
        f"Tensor data must be numeric (bool, int or float), got dtype {arr.dtype}"
    )


class Tensor:
    """An array with a gradient, the node type of the autodiff graph.

    Parameters
    ----------
    data : array_like
        The values. float32 and float64 arrays keep their dtype; bools, ints and nested
        lists become float64. A tensor that requires grad (a parameter, which
        optimizers update in place) always copies its data; otherwise a float32/float64
        ndarray is used without a copy (as ``np.asarray``), so wrapping a batch of
        data costs nothing.
    requires_grad : bool, default False
        Whether ``backward`` computes a gradient for this tensor.

    Attributes
    ----------
    data : ndarray
        The values (the optimizer updates them in place).
    grad : ndarray or None
        The accumulated gradient d(loss)/d(self), same shape and dtype as ``data``;
        ``None`` until a backward pass reaches the tensor. A ``Tensor`` after
        ``backward(create_graph=True)``.
    requires_grad : bool
        True for leaves that asked for it and for results of recorded operations.

    Raises
    ------
    TypeError
        If ``data`` is not numeric (strings, objects, complex) or ``requires_grad`` is
        not a bool.

    Notes
    -----
    Operators broadcast like NumPy and accept Python numbers and arrays on either side:
    ``+ - * / ** @``, unary ``-``, indexing. Comparisons return plain boolean arrays.

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = (x * x).sum()
    >>> y.backward()
    >>> x.grad
    array([2., 4., 6.])
    """

    __slots__ = ("data", "grad", "requires_grad", "_args", "_vjps", "_extra", "_retain",
                 "_seq", "__weakref__")
    # Let Tensor's reflected operators win over ndarray's (ndarray * Tensor -> Tensor).
    __array_ufunc__ = None
    __hash__ = object.__hash__

    def __init__(self, data, requires_grad: bool = False) -> None:
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(
                f"requires_grad must be True or False, got {type(requires_grad).__name__}"
            )
        self.data = _as_data(data, copy=bool(requires_grad))
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self._args = None
        self._vjps = None
        self._extra = None
        self._retain = False

    # ------------------------------------------------------------------ properties
    @property
    def shape(self) -> tuple:
        """The shape of ``data``."""
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of dimensions of ``data``."""
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        """The dtype of ``data`` (float32 or float64)."""
        return self.data.dtype

    @property
    def size(self) -> int:
        """The number of entries of ``data``."""
        return self.data.size

    @property
    def is_leaf(self) -> bool:
        """True for tensors not produced by a recorded operation."""
        return self._vjps is None

    @property
    def T(self) -> Tensor:
        """The transpose (axes reversed), as ``transpose()``."""
        return _structure.transpose(self)

    @property
    def mT(self) -> Tensor:
        """The transpose of the last two axes (a stack of matrices transposed)."""
        return _structure.swapaxes(self, -1, -2)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __array__(self, dtype=None, copy=None):
        if dtype is not None and np.dtype(dtype) != self.data.dtype:
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def item(self) -> float:
        """Return the value of a one-element tensor as a Python float."""
        if self.data.size != 1:
            raise ValueError(f"item() needs a one-element tensor, this one has shape {self.shape}")
        return float(self.data.reshape(()))

    def numpy(self) -> np.ndarray:
        """Return ``data`` (the array itself, not a copy)."""
        return self.data

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extra = ""
        if self.data.dtype != np.float64:
            extra += f", dtype={self.data.dtype}"
        if self.requires_grad:
            extra += ", requires_grad=True"
        return f"Tensor({body}{extra})"

    # ------------------------------------------------------------------ graph
    def detach(self) -> Tensor:
        """Return a new leaf sharing ``data`` with this tensor, outside the graph.

        Examples
        --------
        >>> from mlfoundations.autodiff import Tensor
        >>> x = Tensor([1.0], requires_grad=True)
        >>> (x * 2).detach().requires_grad
        False
        """
        return _leaf(self.data)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``.grad`` becomes ``None``, as in PyTorch)."""
        self.grad = None

    def retain_grad(self) -> Tensor:
        """Ask an intermediate tensor to keep its ``.grad`` after ``backward``.

        Returns ``self``. Leaves that require grad always keep it.
        """
        if not self.requires_grad:
            raise ValueError("retain_grad() on a tensor that does not require grad")
        self._retain = True
        return self

    def backward(self, grad=None, create_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf) into ``.grad`` of every leaf that requires grad.

        Parameters
        ----------
        grad : array_like or Tensor, optional
            The cotangent ``g`` with the shape of ``self``; the pass computes ``g^T J``.
            May be omitted only for a one-element tensor (then ``g = 1``).
        create_graph : bool, default False
            Record the backward pass so the gradients can be differentiated again;
            ``.grad`` then holds Tensors.

        Raises
        ------
        ValueError
            If the tensor does not require grad, if ``grad`` is omitted for a tensor
            with more than one entry, or if ``grad`` has the wrong shape.
        TypeError
            If ``grad`` is not numeric.

        Notes
        -----
        The nodes are visited once each in reverse topological order, taken from their
        creation stamps with a heap (see ``engine``): no recursion, so graphs of any
        depth work (a chain of 10^5 operations is fine).

        Examples
        --------
        >>> from mlfoundations.autodiff import Tensor
        >>> x = Tensor(3.0, requires_grad=True)
        >>> y = x ** 3
        >>> y.backward(create_graph=True)
        >>> x.grad.item()        # 3 x^2
        27.0
        >>> g = x.grad
        >>> x.zero_grad()
        >>> g.backward()
        >>> x.grad.item()        # 6 x
        18.0
        """
        if not self.requires_grad:
            raise ValueError(
                "backward() called on a tensor that does not require grad; create the "
                "inputs with requires_grad=True (outside no_grad())"
            )
        seed = _engine.initial_cotangent(self, grad, create_graph)
        _engine.backpropagate(self, seed, create_graph)

    # ------------------------------------------------------------------ operators
    def __add__(self, other):
        return _arithmetic.add(self, other)

    def __radd__(self, other):
        return _arithmetic.add(other, self)

    def __sub__(self, other):
        return _arithmetic.sub(self, other)

    def __rsub__(self, other):
        return _arithmetic.sub(other, self)

    def __mul__(self, other):
        return _arithmetic.mul(self, other)

    def __rmul__(self, other):
        return _arithmetic.mul(other, self)

    def __truediv__(self, other):
        return _arithmetic.div(self, other)

    def __rtruediv__(self, other):
        return _arithmetic.div(other, self)

    def __pow__(self, other):
        return _arithmetic.pow(self, other)

    def __rpow__(self, other):
        return _arithmetic.pow(other, self)

    def __matmul__(self, other):
        return _linear.matmul(self, other)

    def __rmatmul__(self, other):
        return _linear.matmul(other, self)

    def __neg__(self):
        return _arithmetic.neg(self)

    def __pos__(self):
        return self

    def __getitem__(self, index):
        return _structure.getitem(self, index)

    # Comparisons are not differentiable: they return plain boolean arrays.
    def __lt__(self, other):
        return self.data < _plain(other)

    def __le__(self, other):
        return self.data <= _plain(other)

    def __gt__(self, other):
        return self.data > _plain(other)

    def __ge__(self, other):
        return self.data >= _plain(other)

    def __eq__(self, other):
        return self.data == _plain(other)

    def __ne__(self, other):
        return self.data != _plain(other)

    # ------------------------------------------------------------------ methods
    def sum(self, axis=None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (all axes by default); see ``reductions.sum``."""
        return _reductions.sum(self, axis, keepdims)

    def mean(self, axis=None, keepdims: bool = False) -> Tensor:
        """Arithmetic mean over ``axis``; see ``reductions.mean``."""
        return _reductions.mean(self, axis, keepdims)

    def max(self, axis=None, keepdims: bool = False) -> Tensor:
        """Maximum over ``axis``, gradient split evenly between ties; see ``reductions.max``."""
        return _reductions.max(self, axis, keepdims)

    def reshape(self, *shape) -> Tensor:
        """Same entries, new shape (``-1`` infers one axis); see ``structure.reshape``."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return _structure.reshape(self, shape)

    def transpose(self, *axes) -> Tensor:
        """Permute the axes (reverse them by default); see ``structure.transpose``."""
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        return _structure.transpose(self, axes or None)

    def astype(self, dtype) -> Tensor:
        """Cast to float32 or float64; the gradient is cast back."""
        return _arithmetic.astype(self, dtype)

    def exp(self) -> Tensor:
        """Elementwise e^x."""
        return _elementwise.exp(self)

    def log(self) -> Tensor:
        """Elementwise natural logarithm (ValueError for entries <= 0)."""
        return _elementwise.log(self)

    def sqrt(self) -> Tensor:
        """Elementwise square root (ValueError for negative entries)."""
        return _elementwise.sqrt(self)

    def abs(self) -> Tensor:
        """Elementwise |x|."""
        return _elementwise.abs(self)

    def tanh(self) -> Tensor:
        """Elementwise hyperbolic tangent."""
        return _elementwise.tanh(self)

    def sigmoid(self) -> Tensor:
        """Elementwise logistic function 1 / (1 + e^-x)."""
        return _elementwise.sigmoid(self)

    def relu(self) -> Tensor:
        """Elementwise max(x, 0)."""
        return _elementwise.relu(self)


_new = object.__new__
# Creation stamps: an operation is created after its inputs, so stamps sort the graph
# topologically (see engine.py).
_next_stamp = itertools.count().__next__


def _leaf(data: np.ndarray) -> Tensor:
    """Wrap an array (already float32/float64, not copied) as a constant leaf."""
    out = _new(Tensor)
    out.data = data
    out.grad = None
    out.requires_grad = False
    out._args = None
    out._vjps = None
    out._extra = None
    out._retain = False
    return out


def _node(data: np.ndarray, args: tuple, vjps: tuple, extra=None) -> Tensor:
    """Make the result of a primitive: record (args, vjps, extra) if any arg needs grad.

    ``vjps[i](g, out, args, extra)`` returns the contribution of ``args[i]``. In the
    plain pass ``g``, ``out`` and ``args`` are arrays; with ``create_graph`` they are
    Tensors, so every rule is written with operations both types share (arithmetic,
    ``@``, ``.sum``, ``.reshape``, ``.transpose``) or the dispatching helpers of the op
    modules.
    """
    if type(data) is not np.ndarray:  # NumPy returns scalars for 0-d results
        data = np.asarray(data)
    out = _new(Tensor)
    out.data = data
    out.grad = None
    out._retain = False
    if _MODE.enabled:
        for a in args:
            if a.requires_grad:
                out.requires_grad = True
                out._seq = _next_stamp()
                out._args = args
                out._vjps = vjps
                out._extra = extra
                return out
    out.requires_grad = False
    out._args = None
    out._vjps = None
    out._extra = None
    return out


def _operand(x, like: Tensor | None = None) -> Tensor:
    """Turn an operand into a Tensor; Python numbers take the dtype of ``like``."""
    if isinstance(x, Tensor):
        return x
    if like is not None and isinstance(x, (int, float)) and not isinstance(x, bool):
        return _leaf(np.asarray(x, dtype=like.data.dtype))
    if isinstance(x, np.ndarray) and x.dtype in _FLOATS:
        return _leaf(x)
    return _leaf(_as_data(x))


def _binary(a, b) -> tuple:
    """Coerce two operands to Tensors; a Python number takes the other's dtype."""
    if isinstance(a, Tensor):
        return a, _operand(b, a)
    b = _operand(b)
    return _operand(a, b), b


def _plain(x):
    return x.data if isinstance(x, Tensor) else x


def tensor(data, requires_grad: bool = False) -> Tensor:
    """Create a Tensor; the same as ``Tensor(data, requires_grad)``.

    Examples
    --------
    >>> from mlfoundations.autodiff import tensor
    >>> tensor([[1, 2]]).dtype
    dtype('float64')
    """
    return Tensor(data, requires_grad=requires_grad)


# The op modules import Tensor from here; they are bound after the class exists.
from . import arithmetic as _arithmetic  # noqa: E402
from . import elementwise as _elementwise  # noqa: E402
from . import engine as _engine  # noqa: E402
from . import linear as _linear  # noqa: E402
from . import reductions as _reductions  # noqa: E402
from . import structure as _structure  # noqa: E402

