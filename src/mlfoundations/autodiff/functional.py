"""Function transforms in the style of JAX: ``grad``, ``value_and_grad``,
``jacobian``, ``hessian`` and ``hvp`` of a function written with Tensor operations.

The transformed function takes plain NumPy inputs (floats converted to float64) and
returns NumPy arrays. Transforms compose: when a transformed function is called with
Tensors that require grad (as happens inside another transform), it records its own
backward pass (``create_graph``) and returns Tensors, so ``grad(grad(f))`` and
``jacobian(grad(f))`` work.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import as_float_array
from .engine import backpropagate
from .mode import enable_grad
from .structure import stack
from .tensor import Tensor, _leaf

__all__ = ["grad", "value_and_grad", "jacobian", "hessian", "hvp"]


def _argnums(argnums, n_args: int) -> tuple:
    """Normalize ``argnums`` (int or tuple of ints) against the number of arguments."""
    items = (argnums,) if isinstance(argnums, numbers.Integral) else argnums
    if not isinstance(items, tuple) or not items or not all(
        isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in items
    ):
        raise TypeError(f"argnums must be an int or a non-empty tuple of ints, got {argnums!r}")
    out = []
    for i in items:
        if not -n_args <= i < n_args:
            raise ValueError(f"argnums {i} is out of range for a function called with {n_args} "
                             "positional arguments")
        out.append(int(i) % n_args)
    return tuple(out)


def _inputs(args: tuple, argnums) -> tuple:
    """Replace the differentiated arguments by Tensors; say whether we are nested.

    Returns (call_args, wrt, nested): ``wrt`` are the Tensors to differentiate with
    respect to; ``nested`` is True when they come from an enclosing transform (Tensors
    that require grad), in which case the backward pass must be recorded.
    """
    nums = _argnums(argnums, len(args))
    call_args = list(args)
    wrt = []
    nested = False
    for i in nums:
        x = args[i]
        if isinstance(x, Tensor) and x.requires_grad:
            nested = True
            t = x
        else:
            data = x.data if isinstance(x, Tensor) else x
            t = Tensor(as_float_array(data, f"argument {i}"), requires_grad=True)
        call_args[i] = t
        wrt.append(t)
    return call_args, tuple(wrt), nested


def _call(f, call_args) -> Tensor:
    out = f(*call_args)
    if isinstance(out, Tensor):
        return out
    if isinstance(out, (tuple, list, dict)):
        raise TypeError(f"f must return a single Tensor, got {type(out).__name__}")
    return _leaf(as_float_array(out, "the value of f"))


def _vjp(out: Tensor, wrt: tuple, seed: np.ndarray, nested: bool) -> list:
    """seed^T d(out)/d(w) for each w in ``wrt`` (arrays, or Tensors when nested)."""
    if out.requires_grad:
        capture = dict.fromkeys(wrt)
        backpropagate(out, _leaf(seed) if nested else seed, nested, capture)
        grads = [capture[w] for w in wrt]
    else:  # f does not depend on its inputs
        grads = [None] * len(wrt)
    result = []
    for w, g in zip(wrt, grads):
        if g is None:
            g = np.zeros_like(w.data)
            result.append(_leaf(g) if nested else g)
        elif nested:
            result.append(g)
        else:
            result.append(np.array(g))  # own the array: the sweep may share buffers
    return result


def _scalar_seed(out: Tensor, name: str) -> np.ndarray:
    if out.data.size != 1:
        raise ValueError(f"{name} needs f to return a scalar, got shape {out.shape}; "
                         "use jacobian for vector-valued functions")
    return np.ones_like(out.data)


def _pack(items: list, argnums):
    return items[0] if isinstance(argnums, numbers.Integral) else tuple(items)


def value_and_grad(f, argnums=0):
    """Return a function computing ``(f(*args), grad f(*args))``.

    Parameters
    ----------
    f : callable
        Takes Tensors (and any other arguments) and returns a scalar Tensor.
    argnums : int or tuple of int, default 0
        The positional arguments to differentiate with respect to.

    Returns
    -------
    callable
        ``(*args) -> (value, gradient)``: ``value`` a float, ``gradient`` an array with
        the argument's shape (a tuple of them for tuple ``argnums``).

    Raises
    ------
    ValueError
        If f's value is not a scalar, or an argument holds NaN/inf.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import value_and_grad
    >>> value, g = value_and_grad(lambda x: (x ** 2).sum())(np.array([1.0, 2.0]))
    >>> value, g
    (5.0, array([2., 4.]))
    """
    def transformed(*args):
        with enable_grad():
            call_args, wrt, nested = _inputs(args, argnums)
            out = _call(f, call_args)
            seed = _scalar_seed(out, "grad")
            grads = _vjp(out, wrt, seed, nested)
        value = out if nested else float(out.data.reshape(()))
        return value, _pack(grads, argnums)

    return transformed


def grad(f, argnums=0):
    """Return the gradient function of a scalar function ``f``.

    Parameters
    ----------
    f : callable
        Takes Tensors and returns a scalar Tensor.
    argnums : int or tuple of int, default 0
        Which positional arguments to differentiate with respect to.

    Returns
    -------
    callable
        ``(*args) -> df/dx`` with the shape of x (a tuple for tuple ``argnums``).

    Notes
    -----
    One reverse sweep with cotangent 1 gives every partial derivative at the cost of a
    few evaluations of f (Griewank & Walther, *Evaluating Derivatives*, 2008).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import grad
    >>> grad(lambda x, y: (x * y).sum(), argnums=(0, 1))(np.array([1.0]), np.array([3.0]))
    (array([3.]), array([1.]))
    >>> grad(grad(lambda x: x ** 3))(2.0)     # d2/dx2 x^3 = 6x
    array(12.)
    """
    def transformed(*args):
        return value_and_grad(f, argnums)(*args)[1]

    return transformed


def _jacobian_rows(out: Tensor, wrt: tuple, nested: bool) -> list:
    """d(out)/d(w) for each w, shaped out.shape + w.shape, one reverse sweep per entry."""
    rows = [[] for _ in wrt]
    for k in range(out.data.size):
        seed = np.zeros(out.data.size, dtype=out.data.dtype)
        seed[k] = 1
        for r, g in zip(rows, _vjp(out, wrt, seed.reshape(out.data.shape), nested)):
            r.append(g)
    result = []
    for w, r in zip(wrt, rows):
        shape = out.data.shape + w.data.shape
        if not r:  # an empty output
            z = np.zeros(shape, dtype=w.data.dtype)
            result.append(_leaf(z) if nested else z)
        elif nested:
            result.append(stack(r).reshape(shape))
        else:
            result.append(np.stack(r).reshape(shape))
    return result


def jacobian(f, argnums=0):
    """Return the function computing the Jacobian of ``f`` by reverse mode.

    Parameters
    ----------
    f : callable
        Takes Tensors and returns a Tensor of any shape.
    argnums : int or tuple of int, default 0

    Returns
    -------
    callable
        ``(*args) -> J`` with ``J[i..., j...] = d f(x)[i...] / d x[j...]``, of shape
        ``f(x).shape + x.shape`` (a tuple for tuple ``argnums``).

    Notes
    -----
    Row i is the VJP with the one-hot cotangent e_i, so the cost is one reverse sweep
    per output entry (forward mode would be cheaper for few inputs, many outputs).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import jacobian
    >>> jacobian(lambda x: x * x)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    """
    def transformed(*args):
        with enable_grad():
            call_args, wrt, nested = _inputs(args, argnums)
            out = _call(f, call_args)
            return _pack(_jacobian_rows(out, wrt, nested), argnums)

    return transformed


def hessian(f, argnums=0):
    """Return the function computing the Hessian of a scalar function ``f``.

    Parameters
    ----------
    f : callable
        Takes Tensors and returns a scalar Tensor.
    argnums : int or tuple of int, default 0

    Returns
    -------
    callable
        ``(*args) -> H`` of shape ``x.shape + x.shape`` with
        ``H[i..., j...] = d^2 f / dx[i...] dx[j...]``; for tuple ``argnums`` a nested
        tuple ``H[a][b]`` of blocks ``d^2 f / dx_a dx_b``.

    Notes
    -----
    Reverse over reverse: the gradient is computed with its backward pass recorded,
    then each of its entries is differentiated again (the Jacobian of the gradient).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import hessian
    >>> hessian(lambda x: (x[0] ** 2) * x[1])(np.array([1.0, 3.0]))
    array([[6., 2.],
           [2., 0.]])
    """
    def transformed(*args):
        with enable_grad():
            call_args, wrt, nested = _inputs(args, argnums)
            out = _call(f, call_args)
            seed = _scalar_seed(out, "hessian")
            gradients = _vjp(out, wrt, seed, True)
            blocks = [_jacobian_rows(g, wrt, nested) for g in gradients]
        if isinstance(argnums, numbers.Integral):
            return blocks[0][0]
        return tuple(tuple(row) for row in blocks)

    return transformed


def hvp(f, x, v):
    """Hessian-vector product ``H(x) v`` of a scalar function ``f`` of one argument.

    Parameters
    ----------
    f : callable
        Takes a Tensor and returns a scalar Tensor.
    x : array_like
        The point.
    v : array_like, same shape as x
        The direction.

    Returns
    -------
    ndarray, shape of x
        ``sum_j d^2 f / dx_i dx_j v_j``.

    Raises
    ------
    ValueError
        If ``v`` and ``x`` have different shapes or f is not scalar.

    Notes
    -----
    H v = grad_x (grad f(x) . v): two reverse sweeps, never forming H (Pearlmutter,
    "Fast exact multiplication by the Hessian", Neural Computation, 1994).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import hvp
    >>> hvp(lambda x: (x ** 3).sum(), np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    array([ 6., 12.])
    """
    with enable_grad():
        call_args, wrt, nested = _inputs((x,), 0)
        v_data = v.data if isinstance(v, Tensor) else as_float_array(v, "v")
        if v_data.shape != wrt[0].data.shape:
            raise ValueError(f"v has shape {v_data.shape} but x has shape {wrt[0].shape}")
        out = _call(f, call_args)
        seed = _scalar_seed(out, "hvp")
        (g,) = _vjp(out, wrt, seed, True)
        directional = (g * (v if isinstance(v, Tensor) else v_data)).sum()
        (result,) = _vjp(directional, wrt, np.ones_like(directional.data), nested)
    return result
