"""Boundary checks shared by the nn modules: turning inputs into Tensors, axis and
probability arguments, loss reductions."""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import as_float_array, check_int
from ..autodiff import Tensor

REDUCTIONS = ("mean", "sum", "none")


def as_tensor(x, name: str) -> Tensor:
    """A Tensor as is; anything else as a constant float Tensor (float32 kept, finite)."""
    if isinstance(x, Tensor):
        return x
    return Tensor(as_float_array(x, name, keep_float32=True))


def check_dim(dim, ndim: int, name: str = "dim") -> int:
    """Return ``dim`` as a non-negative axis of an ``ndim``-dimensional array."""
    dim = check_int(dim, name)
    if not -ndim <= dim < ndim:
        raise ValueError(f"{name}={dim} is out of range for an input with {ndim} axes")
    return dim % ndim


def check_dropout_p(p) -> float:
    """Dropout probability: a real number in [0, 1)."""
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real):
        raise TypeError(f"p must be a real number, got {type(p).__name__} {p!r}")
    p = float(p)
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout probability p must lie in [0, 1), got {p!r}")
    return p


def check_reduction(reduction) -> str:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of 'mean', 'sum', 'none', got {reduction!r}")
    return reduction


def reduce(loss: Tensor, reduction: str) -> Tensor:
    """Apply a loss reduction to the per-element losses."""
    if reduction == "mean":
        if loss.size == 0:
            raise ValueError("the mean loss over an empty batch is 0/0; pass at least one sample")
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
