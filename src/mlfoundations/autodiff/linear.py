"""Matrix product with NumPy's ``matmul`` semantics, and its two VJPs.

For C = A B: dL/dA = G B^T and dL/dB = A^T G (G = dL/dC). Stacks of matrices
(leading "batch" axes) broadcast as in ``np.matmul`` and the engine sums the
gradient over broadcast batch axes; a 1-D operand is a vector (a row on the left,
a column on the right) whose axis is dropped from the result.
"""

from __future__ import annotations

import numpy as np

from .tensor import Tensor, _node, _operand

__all__ = ["matmul"]


def _col(v):
    return v.reshape(v.shape + (1,))


def _row_of(v):
    return v.reshape(v.shape[:-1] + (1, v.shape[-1]))


def _is_transposed(x) -> bool:
    """True for a plain-pass operand stored transposed (``W.T`` of a C-ordered ``W``).

    Its gradient is then computed as the transpose of a C-ordered product, so after the
    transpose's own VJP the gradient of ``W`` comes out C-ordered like ``W`` (no copy,
    and fast elementwise updates in the optimizer). Same flops either way.
    """
    return (type(x) is np.ndarray and x.ndim == 2
            and x.flags.f_contiguous and not x.flags.c_contiguous)


def _matmul_vjp_a(g, out, args, extra):
    a, b = args
    if b.ndim == 1:
        if a.ndim == 1:  # a . b: a scalar
            return g * b
        return _col(g) * b  # (..., n) g, b (m,): outer product per batch
    if a.ndim == 1:  # (n,) @ (..., n, m) -> (..., m)
        return (b @ _col(g)).reshape(g.shape[:-1] + (b.shape[-2],))
    if _is_transposed(a):
        return (b @ g.mT).mT
    return g @ b.mT


def _matmul_vjp_b(g, out, args, extra):
    a, b = args
    if a.ndim == 1:
        if b.ndim == 1:
            return g * a
        return _col(a) * _row_of(g)  # (n,) a, (..., m) g -> (..., n, m)
    if b.ndim == 1:  # (..., n, m) @ (m,) -> (..., n)
        return (a.mT @ _col(g)).reshape(g.shape[:-1] + (a.shape[-1],))
    if _is_transposed(b):
        return (g.mT @ a).mT
    return a.mT @ g


def matmul(a, b) -> Tensor:
    """Matrix product ``a @ b`` as ``np.matmul`` (vectors, matrices, stacks).

    Parameters
    ----------
    a : (..., n, k) or (k,) Tensor or array_like
    b : (..., k, m) or (k,) Tensor or array_like

    Returns
    -------
    (..., n, m) Tensor (the vector axes dropped for 1-D operands)

    Raises
    ------
    ValueError
        If an operand is 0-d or the inner dimensions (or batch axes) do not match; the
        message names both shapes.

    Notes
    -----
    VJPs: dL/dA = G B^T, dL/dB = A^T G (Magnus & Neudecker, matrix differential
    calculus); for a batch the transposes act on the last two axes.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import Tensor
    >>> A = Tensor(np.eye(2), requires_grad=True)
    >>> (A @ Tensor([1.0, 2.0])).sum().backward()
    >>> A.grad
    array([[1., 2.],
           [1., 2.]])
    """
    a = _operand(a)
    b = _operand(b)
    try:
        if a.data.ndim == 0 or b.data.ndim == 0:
            raise ValueError
        data = np.matmul(a.data, b.data)
    except ValueError:
        raise ValueError(
            f"matmul: shapes {a.shape} and {b.shape} are not aligned (need a (..., n, k) "
            "@ (..., k, m) product with broadcastable batch axes, no 0-d operands)"
        ) from None
    return _node(data, (a, b), (_matmul_vjp_a, _matmul_vjp_b))
