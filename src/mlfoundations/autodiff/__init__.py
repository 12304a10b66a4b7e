"""Reverse-mode automatic differentiation on NumPy arrays.

``Tensor`` records each primitive operation with its local derivative (a
vector-Jacobian product rule written next to its forward); ``backward`` applies the
chain rule over the recorded graph in reverse topological order. On top of it:
functional transforms (``grad``, ``value_and_grad``, ``jacobian``, ``hessian``,
``hvp``) and ``gradcheck`` against central differences.

Examples
--------
>>> from mlfoundations.autodiff import Tensor
>>> w = Tensor([1.0, -2.0], requires_grad=True)
>>> loss = (w * w).sum()
>>> loss.backward()
>>> w.grad
array([ 2., -4.])
"""

# tensor first: it binds the op modules once the Tensor class exists.
from .tensor import Tensor, tensor  # isort: skip
from .arithmetic import add, astype, div, mul, neg, pow, sub
from .divergences import gaussian_kl
from .elementwise import abs, exp, log, maximum, minimum, relu, sigmoid, sqrt, tanh, where
from .functional import grad, hessian, hvp, jacobian, value_and_grad
from .gradcheck import GradcheckError, GradcheckReport, gradcheck
from .linear import matmul
from .mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .reductions import broadcast_to, log_softmax, logsumexp, max, mean, softmax, sum
from .structure import (
    concatenate, gather, getitem, index_add, reshape, stack, swapaxes, transpose,
)

__all__ = [
    "Tensor", "tensor",
    # sum, max and pow are importable by name but left out of ``import *`` so they
    # do not shadow the builtins
    "add", "sub", "mul", "div", "neg", "matmul",
    "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu", "maximum", "minimum",
    "where", "astype",
    "mean", "logsumexp", "log_softmax", "softmax", "broadcast_to",
    "reshape", "transpose", "swapaxes", "getitem", "index_add", "gather",
    "concatenate", "stack",
    "no_grad", "enable_grad", "is_grad_enabled", "set_grad_enabled",
    "grad", "value_and_grad", "jacobian", "hessian", "hvp",
    "gradcheck", "GradcheckReport", "GradcheckError",
    "gaussian_kl",
]
