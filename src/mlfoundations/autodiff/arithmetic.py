"""Arithmetic primitives (+, -, *, /, unary -, **) and the dtype cast, each with its
local derivative next to its forward.

The rules follow the convention described in ``elementwise``: ``(g, out, args, extra)``
are arrays in a plain backward pass and Tensors under ``create_graph=True``.
Broadcasting is undone by the engine, so a rule may return a gradient of the
broadcast shape.
"""

from __future__ import annotations

import numpy as np

from .elementwise import _data, _log, _where
from .tensor import Tensor, _binary, _node, _operand

__all__ = ["add", "sub", "mul", "div", "neg", "pow", "astype"]


def _add_vjp(g, out, args, extra):
    return g


def add(a, b) -> Tensor:
    """a + b with broadcasting.  d/da = 1, d/db = 1.

    Parameters
    ----------
    a, b : Tensor, array_like or number
        Broadcast together; a Python number takes the other operand's dtype.

    Returns
    -------
    Tensor
        Of the broadcast shape.

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor, add
    >>> add(Tensor([1.0, 2.0]), 1.0)
    Tensor([2., 3.])
    """
    a, b = _binary(a, b)
    return _node(a.data + b.data, (a, b), (_add_vjp, _add_vjp))


def _sub_vjp_b(g, out, args, extra):
    return -g


def sub(a, b) -> Tensor:
    """a - b with broadcasting.  d/da = 1, d/db = -1.

    Parameters
    ----------
    a, b : Tensor, array_like or number
        Broadcast together; a Python number takes the other operand's dtype.

    Returns
    -------
    Tensor
        Of the broadcast shape.
    """
    a, b = _binary(a, b)
    return _node(a.data - b.data, (a, b), (_add_vjp, _sub_vjp_b))


def _mul_vjp_a(g, out, args, extra):
    return g * args[1]


def _mul_vjp_b(g, out, args, extra):
    return g * args[0]


def mul(a, b) -> Tensor:
    """a * b (elementwise) with broadcasting.  d/da = b, d/db = a.

    Parameters
    ----------
    a, b : Tensor, array_like or number
        Broadcast together; a Python number takes the other operand's dtype.

    Returns
    -------
    Tensor
        Of the broadcast shape.
    """
    a, b = _binary(a, b)
    return _node(a.data * b.data, (a, b), (_mul_vjp_a, _mul_vjp_b))


def _div_vjp_a(g, out, args, extra):
    return g / args[1]


def _div_vjp_b(g, out, args, extra):
    return -g * out / args[1]


def div(a, b) -> Tensor:
    """a / b (elementwise).  d/da = 1/b, d/db = -a/b^2 = -out/b.

    Parameters
    ----------
    a, b : Tensor, array_like or number
        Broadcast together; a Python number takes the other operand's dtype.

    Returns
    -------
    Tensor
        Of the broadcast shape.
    """
    a, b = _binary(a, b)
    return _node(a.data / b.data, (a, b), (_div_vjp_a, _div_vjp_b))


def _neg_vjp(g, out, args, extra):
    return -g


def neg(a) -> Tensor:
    """Negation -a.  d/da = -1.

    Parameters
    ----------
    a : Tensor or array_like

    Returns
    -------
    Tensor
    """
    a = _operand(a)
    return _node(-a.data, (a,), (_neg_vjp,))


def _pow_vjp_base(g, out, args, extra):
    x, p = args
    return g * p * x ** (p - 1)


def _pow_vjp_exponent(g, out, args, extra):
    # d(x^p)/dp = x^p log x, defined for x > 0; at x = 0 the limit is 0 (for p > 0).
    x = _data(args[0])
    if (x < 0).any():
        raise ValueError(
            f"pow: the gradient with respect to the exponent needs a non-negative base; "
            f"got {int((x < 0).sum())} negative entries"
        )
    positive = x > 0
    safe_base = _where(positive, args[0], 1.0)
    return _where(positive, g * out * _log(safe_base), 0.0)


def pow(a, b) -> Tensor:
    """a ** b (elementwise) with broadcasting.  d/da = b a^(b-1), d/db = a^b log a.

    Parameters
    ----------
    a, b : Tensor, array_like or number
        Base and exponent.

    Returns
    -------
    Tensor
        Of the broadcast shape.

    Raises
    ------
    ValueError
        If a negative base meets a non-integer exponent (a complex result).

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor
    >>> x = Tensor([2.0, 3.0], requires_grad=True)
    >>> (x ** 2).sum().backward()
    >>> x.grad
    array([4., 6.])
    """
    a, b = _binary(a, b)
    x, p = a.data, b.data
    if p.ndim == 0 and p == np.rint(p):
        pass  # integer exponent: any real base is fine
    elif (x < 0).any() and (p != np.rint(p)).any():
        raise ValueError(
            "pow: a negative base with a non-integer exponent has no real value; "
            f"got {int((x < 0).sum())} negative base entries"
        )
    return _node(x**p, (a, b), (_pow_vjp_base, _pow_vjp_exponent))


def _astype_vjp(g, out, args, extra):
    return g.astype(extra)


def astype(x, dtype) -> Tensor:
    """Cast to float32 or float64; the gradient is cast back to the input's dtype.

    Parameters
    ----------
    x : Tensor or array_like
    dtype : float32 or float64

    Returns
    -------
    Tensor
        ``x`` itself when it already has ``dtype``.
    """
    x = _operand(x)
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"dtype must be float32 or float64, got {dtype}")
    if dtype == x.data.dtype:
        return x
    return _node(x.data.astype(dtype), (x,), (_astype_vjp,), x.data.dtype)
