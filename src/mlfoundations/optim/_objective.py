"""An objective function bundled with its derivatives, evaluation counts and a memo.

With ``jac=None`` the derivatives come from :mod:`mlfoundations.autodiff` and ``fun``
receives a Tensor; with ``jac`` (and ``hess``) given, ``fun`` receives a NumPy array.
Line searches evaluate ``f`` (and ``grad f``) at the point the optimizer then moves
to; the one-point memo hands those values back instead of computing them twice.
"""

from __future__ import annotations

import numpy as np

from ..autodiff import Tensor, hessian, no_grad, value_and_grad

__all__ = ["Objective"]


def _as_scalar(out) -> float:
    value = out.data if isinstance(out, Tensor) else out
    try:
        value = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"fun must return a real number, got {type(out).__name__}") from None
    if value.size != 1:
        raise ValueError(f"fun must return a scalar, got an array of shape {value.shape}")
    return float(value.reshape(()))


class Objective:
    """``f``, ``grad f`` and ``hess f`` at points of shape ``shape`` (float64 arrays)."""

    def __init__(self, fun, jac=None, hess=None):
        if not callable(fun):
            raise TypeError(f"fun must be callable, got {type(fun).__name__}")
        for name, d in (("jac", jac), ("hess", hess)):
            if d is not None and not callable(d):
                raise TypeError(f"{name} must be callable or None, got {type(d).__name__}")
        self.fun, self.jac, self.hess = fun, jac, hess
        self.nfev = self.njev = self.nhev = 0
        self._x = None
        self._f = None
        self._g = None

    @property
    def uses_autodiff(self) -> bool:
        return self.jac is None

    def _remember(self, x, f=None, g=None) -> None:
        if self._x is None or not np.array_equal(self._x, x):
            self._x, self._f, self._g = np.array(x, copy=True), f, g
        else:
            self._f = f if f is not None else self._f
            self._g = g if g is not None else self._g

    def _recall(self, x):
        if self._x is not None and self._x.shape == x.shape and np.array_equal(self._x, x):
            return self._f, self._g
        return None, None

    def value(self, x: np.ndarray) -> float:
        """``f(x)``."""
        f, _ = self._recall(x)
        if f is not None:
            return f
        self.nfev += 1
        if self.uses_autodiff:
            with no_grad():
                f = _as_scalar(self.fun(Tensor(x)))
        else:
            f = _as_scalar(self.fun(x.copy()))
        self._remember(x, f=f)
        return f

    def value_and_grad(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        """``(f(x), grad f(x))``, the gradient shaped like ``x``."""
        f, g = self._recall(x)
        if f is not None and g is not None:
            return f, g
        if self.uses_autodiff:
            self.nfev += 1
            self.njev += 1
            f, g = value_and_grad(self.fun)(x.copy())
            f = _as_scalar(f)
        else:
            f = self.value(x)
            self.njev += 1
            g = self.jac(x.copy())
        g = np.asarray(g.data if isinstance(g, Tensor) else g, dtype=np.float64)
        if g.shape != x.shape:
            if g.size != x.size:
                raise ValueError(f"the gradient has shape {g.shape}, x has shape {x.shape}")
            g = g.reshape(x.shape)
        self._remember(x, f=f, g=g)
        return f, g

    def hessian(self, x: np.ndarray) -> np.ndarray:
        """The Hessian as an ``(n, n)`` matrix, ``n = x.size``."""
        self.nhev += 1
        if self.hess is None:
            H = hessian(self.fun)(x.copy())
        else:
            H = self.hess(x.copy())
        H = np.asarray(H.data if isinstance(H, Tensor) else H, dtype=np.float64)
        n = x.size
        if H.size != n * n:
            raise ValueError(f"the Hessian has shape {H.shape}, expected ({n}, {n}) for x of size {n}")
        return H.reshape(n, n)


def as_objective(fun, jac=None, hess=None) -> Objective:
    """``fun`` itself if it is already an :class:`Objective`, else a new one."""
    if isinstance(fun, Objective):
        if jac is not None or hess is not None:
            raise ValueError("jac and hess belong to the Objective already given")
        return fun
    return Objective(fun, jac, hess)
