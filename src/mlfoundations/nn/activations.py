"""Elementwise and normalising activations as modules (no parameters)."""

from __future__ import annotations

from .._validation import check_int
from ..autodiff import Tensor
from . import functional as F
from .module import Module

__all__ = ["ReLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax"]


class ReLU(Module):
    """``max(x, 0)`` elementwise; derivative 1 for x > 0 and 0 for x <= 0.

    Examples
    --------
    >>> from mlfoundations.nn import ReLU
    >>> ReLU()([-1.0, 0.0, 2.0]).numpy()
    array([0., 0., 2.])
    """

    def forward(self, x) -> Tensor:
        return F.relu(x)


class Sigmoid(Module):
    """``1 / (1 + exp(-x))`` elementwise; derivative ``s (1 - s)``."""

    def forward(self, x) -> Tensor:
        return F.sigmoid(x)


class Tanh(Module):
    """``tanh(x)`` elementwise; derivative ``1 - tanh(x)^2``."""

    def forward(self, x) -> Tensor:
        return F.tanh(x)


class Softmax(Module):
    """``exp(x_i) / sum_j exp(x_j)`` along ``dim`` (default the last axis).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn import Softmax
    >>> Softmax(dim=0)(np.log([[1.0], [3.0]])).numpy()
    array([[0.25],
           [0.75]])
    """

    def __init__(self, dim: int = -1):
        self.dim = check_int(dim, "dim")

    def forward(self, x) -> Tensor:
        return F.softmax(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """``x_i - log sum_j exp(x_j)`` along ``dim``; pairs with `NLLLoss`."""

    def forward(self, x) -> Tensor:
        return F.log_softmax(x, self.dim)
