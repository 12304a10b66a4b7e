"""Elementwise functions (exp, log, sqrt, abs, tanh, sigmoid, relu, maximum, minimum,
where), each with its local derivative next to its forward.

Every rule receives ``(g, out, args, extra)``: the gradient flowing into the output,
the output, the inputs and any non-differentiable settings. ``g``, ``out`` and ``args``
are NumPy arrays in a plain backward pass and Tensors under ``create_graph=True``; the
rules use only operations both understand, or the dispatching helpers ``_exp``,
``_log``, ``_where``, ``_data`` below. Broadcasting is undone by the engine, so a rule
may return a gradient of the broadcast shape.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .tensor import Tensor, _binary, _node, _operand

__all__ = [
    "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu", "maximum", "minimum", "where",
]


def _data(x):
    """The array behind ``x`` (constants such as masks are computed from it)."""
    return x.data if isinstance(x, Tensor) else x


def _exp(x):
    return exp(x) if isinstance(x, Tensor) else np.exp(x)


def _log(x):
    return log(x) if isinstance(x, Tensor) else np.log(x)


def _where(cond, a, b):
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        return where(cond, a, b)
    return np.where(cond, a, b)


# ---------------------------------------------------------------- functions
def _exp_vjp(g, out, args, extra):
    return g * out


def exp(x) -> Tensor:
    """e^x (elementwise).  d/dx = e^x, reused from the forward.

    Parameters
    ----------
    x : Tensor or array_like

    Returns
    -------
    Tensor
        Same shape and dtype.

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor, exp
    >>> exp(Tensor([0.0]))
    Tensor([1.])
    """
    x = _operand(x)
    return _node(np.exp(x.data), (x,), (_exp_vjp,))


def _log_vjp(g, out, args, extra):
    return g / args[0]


def log(x) -> Tensor:
    """Natural logarithm (elementwise).  d/dx = 1/x.

    Parameters
    ----------
    x : Tensor or array_like
        Entries must be > 0.

    Returns
    -------
    Tensor
        Same shape and dtype.

    Raises
    ------
    ValueError
        If any entry is <= 0 (the message counts them). A loss such as
        ``log(softmax(z))`` then fails loudly instead of propagating -inf/NaN; use
        ``log_softmax`` (stable) or clip the argument yourself.
    """
    x = _operand(x)
    bad = x.data <= 0
    if bad.any():
        raise ValueError(
            f"log of 0 or of a negative number: {int(bad.sum())} of {x.data.size} entries "
            "are <= 0; use log_softmax/logsumexp for losses, or clip the argument"
        )
    return _node(np.log(x.data), (x,), (_log_vjp,))


def _sqrt_vjp(g, out, args, extra):
    return g / (2 * out)


def sqrt(x) -> Tensor:
    """Square root (elementwise).  d/dx = 1 / (2 sqrt x) (infinite at 0).

    Parameters
    ----------
    x : Tensor or array_like
        Entries must be >= 0.

    Returns
    -------
    Tensor
        Same shape and dtype.

    Raises
    ------
    ValueError
        If any entry is negative.
    """
    x = _operand(x)
    bad = x.data < 0
    if bad.any():
        raise ValueError(
            f"sqrt of a negative number: {int(bad.sum())} of {x.data.size} entries are < 0"
        )
    return _node(np.sqrt(x.data), (x,), (_sqrt_vjp,))


def _abs_vjp(g, out, args, extra):
    return g * np.sign(_data(args[0]))


def abs(x) -> Tensor:
    """|x| (elementwise).  d/dx = sign(x), taken as 0 at x = 0 (as PyTorch).

    Parameters
    ----------
    x : Tensor or array_like

    Returns
    -------
    Tensor
        Same shape and dtype.
    """
    x = _operand(x)
    return _node(np.abs(x.data), (x,), (_abs_vjp,))


def _tanh_vjp(g, out, args, extra):
    return g * (1 - out * out)


def tanh(x) -> Tensor:
    """Hyperbolic tangent (elementwise).  d/dx = 1 - tanh(x)^2, reused from the forward.

    Parameters
    ----------
    x : Tensor or array_like

    Returns
    -------
    Tensor
        Same shape and dtype, entries in [-1, 1].
    """
    x = _operand(x)
    return _node(np.tanh(x.data), (x,), (_tanh_vjp,))


def _sigmoid_vjp(g, out, args, extra):
    return g * out * (1 - out)


def sigmoid(x) -> Tensor:
    """Logistic function s(x) = 1 / (1 + e^-x) (elementwise).  d/dx = s (1 - s).

    Parameters
    ----------
    x : Tensor or array_like

    Returns
    -------
    Tensor
        Same shape and dtype, entries in [0, 1].

    Notes
    -----
    Evaluated as ``scipy.special.expit``, which never overflows: for x << 0 it uses
    e^x / (1 + e^x), so s(-1000) = 0 and s(1000) = 1 without warnings.
    """
    x = _operand(x)
    return _node(special.expit(x.data), (x,), (_sigmoid_vjp,))


def _relu_vjp(g, out, args, extra):
    return g * (_data(args[0]) > 0)


def relu(x) -> Tensor:
    """Rectified linear unit max(x, 0) (elementwise).

    Parameters
    ----------
    x : Tensor or array_like

    Returns
    -------
    Tensor
        Same shape and dtype.

    Notes
    -----
    d/dx = 1 for x > 0, else 0 (0 at the kink, as PyTorch).

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor, relu
    >>> relu(Tensor([-1.0, 2.0]))
    Tensor([0., 2.])
    """
    x = _operand(x)
    return _node(np.maximum(x.data, 0), (x,), (_relu_vjp,))


def _share(a: np.ndarray, b: np.ndarray, dtype) -> np.ndarray:
    """Weight of ``a`` in max(a, b): 1 where a wins, 1/2 on ties, 0 where b wins."""
    return ((a > b) + 0.5 * (a == b)).astype(dtype, copy=False)


def _maximum_vjp_a(g, out, args, extra):
    return g * _share(_data(args[0]), _data(args[1]), _data(g).dtype)


def _maximum_vjp_b(g, out, args, extra):
    return g * _share(_data(args[1]), _data(args[0]), _data(g).dtype)


def maximum(a, b) -> Tensor:
    """Elementwise max(a, b) with broadcasting.

    Parameters
    ----------
    a, b : Tensor, array_like or number

    Returns
    -------
    Tensor
        Of the broadcast shape.

    Notes
    -----
    The gradient goes to the larger input; on ties it is split evenly (1/2 each), as
    in PyTorch's ``torch.maximum``.

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor, maximum
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> maximum(x, 2.0).sum().backward()
    >>> x.grad
    array([0. , 0.5, 1. ])
    """
    a, b = _binary(a, b)
    return _node(np.maximum(a.data, b.data), (a, b), (_maximum_vjp_a, _maximum_vjp_b))


def _minimum_vjp_a(g, out, args, extra):
    return g * _share(_data(args[1]), _data(args[0]), _data(g).dtype)


def _minimum_vjp_b(g, out, args, extra):
    return g * _share(_data(args[0]), _data(args[1]), _data(g).dtype)


def minimum(a, b) -> Tensor:
    """Elementwise min(a, b) with broadcasting; ties split evenly, as ``maximum``.

    Parameters
    ----------
    a, b : Tensor, array_like or number

    Returns
    -------
    Tensor
        Of the broadcast shape.
    """
    a, b = _binary(a, b)
    return _node(np.minimum(a.data, b.data), (a, b), (_minimum_vjp_a, _minimum_vjp_b))


def _where_vjp_a(g, out, args, extra):
    return _where(extra, g, 0.0)


def _where_vjp_b(g, out, args, extra):
    return _where(extra, 0.0, g)


def where(cond, a, b) -> Tensor:
    """Pick ``a`` where ``cond`` holds, else ``b`` (all three broadcast together).

    Parameters
    ----------
    cond : array_like of bool (or a Tensor, read as nonzero)
    a, b : Tensor, array_like or number

    Returns
    -------
    Tensor
        Of the broadcast shape.

    Notes
    -----
    The gradient flows to the chosen entry only; ``cond`` is not differentiable.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import Tensor, where
    >>> x = Tensor([-1.0, 2.0])
    >>> where(x > 0, x, 0.1 * x)      # leaky ReLU
    Tensor([-0.1,  2. ])
    """
    cond = np.asarray(cond.data if isinstance(cond, Tensor) else cond, dtype=bool)
    a, b = _binary(a, b)
    return _node(np.where(cond, a.data, b.data), (a, b), (_where_vjp_a, _where_vjp_b), cond)
