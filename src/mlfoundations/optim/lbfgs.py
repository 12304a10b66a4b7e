r"""Limited-memory BFGS: a quasi-Newton method that keeps the last ``m`` steps.

BFGS builds an inverse-Hessian approximation from the steps ``s_k = x_{k+1} - x_k``
and gradient changes ``y_k = g_{k+1} - g_k``; L-BFGS never forms it and applies it
to the gradient by the two-loop recursion over the last ``m`` pairs (Nocedal, 1980).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import check_int, check_real
from ._objective import as_objective
from .linesearch import wolfe
from .transforms import GradientTransformation

__all__ = ["LbfgsState", "lbfgs", "two_loop_recursion"]


class LbfgsState(NamedTuple):
    """The last ``k <= m`` pairs, oldest first: rows of ``s`` and ``y``, ``rho_i = 1 / y_i^T s_i``."""

    count: int
    s: np.ndarray
    y: np.ndarray
    rho: np.ndarray


def two_loop_recursion(g: np.ndarray, s: np.ndarray, y: np.ndarray, rho: np.ndarray) -> np.ndarray:
    r"""``H_k g`` for the L-BFGS inverse-Hessian approximation ``H_k`` (Nocedal & Wright, Alg. 7.4).

    Parameters
    ----------
    g : (n,) ndarray
        The vector to multiply (the gradient).
    s, y : (k, n) ndarray
        Steps and gradient changes, oldest first.
    rho : (k,) ndarray
        ``1 / (y_i^T s_i)``.

    Returns
    -------
    (n,) ndarray
        ``H_k g`` with ``H_k^0 = gamma I``, ``gamma = s^T y / y^T y`` of the newest pair
        (``gamma = 1`` without pairs).
    """
    q = g.copy()
    k = s.shape[0]
    a = np.empty(k)
    for i in range(k - 1, -1, -1):
        a[i] = rho[i] * (s[i] @ q)
        q -= a[i] * y[i]
    gamma = (s[-1] @ y[-1]) / (y[-1] @ y[-1]) if k else 1.0
    r = gamma * q
    for i in range(k):
        b = rho[i] * (y[i] @ r)
        r += (a[i] - b) * s[i]
    return r


def lbfgs(
    fun,
    *,
    jac=None,
    memory_size: int = 10,
    c1: float = 1e-4,
    c2: float = 0.9,
    max_linesearch: int = 30,
) -> GradientTransformation:
    r"""L-BFGS with a strong Wolfe line search.

    Parameters
    ----------
    fun : callable
        The objective. Without ``jac`` it receives an
        :class:`~mlfoundations.autodiff.Tensor` (gradients from autodiff); with
        ``jac`` a NumPy array.
    jac : callable, optional
        ``x -> grad f(x)``.
    memory_size : int, default 10
        Number ``m >= 1`` of pairs kept.
    c1, c2 : float, default 1e-4, 0.9
        Wolfe constants, ``0 < c1 < c2 < 1``.
    max_linesearch : int, default 30
        Evaluations per line search.

    Returns
    -------
    GradientTransformation
        ``update(grads, state, params)`` takes ``params`` a single array (any shape,
        treated as a vector) and ``grads = grad f(params)``; state :class:`LbfgsState`.

    Notes
    -----
    Each iteration (Nocedal & Wright, Algorithm 7.5):

    1. ``p_k = -H_k g_k`` by :func:`two_loop_recursion` (``-g_k`` if that is not a
       descent direction, which rounding can cause);
    2. ``alpha_k`` satisfying the strong Wolfe conditions (:func:`.linesearch.wolfe`),
       first trial ``1``, or ``min(1, 1 / ||g_0||)`` on the first iteration;
    3. ``s_k = alpha_k p_k``, ``y_k = g_{k+1} - g_k``, stored when
       ``s_k^T y_k > eps ||y_k||^2`` (the curvature condition that keeps ``H_k``
       positive definite), dropping the oldest pair beyond ``m``.

    References
    ----------
    J. Nocedal, "Updating quasi-Newton matrices with limited storage", Math. Comp. 35
    (1980) 773-782. J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed.,
    2006, Algorithms 7.4 and 7.5.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import lbfgs, apply_updates
    >>> A, b = np.diag([1.0, 10.0]), np.array([1.0, 1.0])
    >>> tx = lbfgs(lambda x: 0.5 * x @ A @ x - b @ x, jac=lambda x: A @ x - b)
    >>> x, state = np.zeros(2), tx.init(np.zeros(2))
    >>> for _ in range(10):
    ...     updates, state = tx.update(A @ x - b, state, x)
    ...     x = apply_updates(x, updates)
    >>> np.round(x, 10)
    array([1. , 0.1])
    """
    memory_size = check_int(memory_size, "memory_size", minimum=1)
    c1, c2 = check_real(c1, "c1"), check_real(c2, "c2")
    if not 0.0 < c1 < c2 < 1.0:
        raise ValueError(f"the Wolfe constants need 0 < c1 < c2 < 1, got c1={c1!r}, c2={c2!r}")
    max_linesearch = check_int(max_linesearch, "max_linesearch", minimum=1)
    objective = as_objective(fun, jac)

    def init(params):
        n = np.size(params)
        return LbfgsState(count=0, s=np.empty((0, n)), y=np.empty((0, n)), rho=np.empty(0))

    def update(grads, state, params):
        x = np.asarray(params, dtype=np.float64)
        g = np.asarray(grads, dtype=np.float64).ravel()
        if not np.any(g):  # a stationary point: nothing to do
            return np.zeros_like(x), state._replace(count=state.count + 1)
        p = -two_loop_recursion(g, state.s, state.y, state.rho)
        if not g @ p < 0:
            p = -g
        p = p.reshape(x.shape)
        if state.count == 0:
            alpha0 = min(1.0, 1.0 / max(np.linalg.norm(g), np.finfo(float).tiny))
        else:
            alpha0 = 1.0

        def evaluate(a):
            f_a, g_a = objective.value_and_grad(x + a * p)
            return f_a, float(g_a.ravel() @ p.ravel()), g_a

        alpha, _, g_new = wolfe(
            evaluate, objective.value(x), float(g @ p.ravel()),
            alpha0=alpha0, c1=c1, c2=c2, max_evals=max_linesearch,
        )
        step = alpha * p
        s_k, y_k = step.ravel(), g_new.ravel() - g
        s, y, rho = state.s, state.y, state.rho
        curvature = s_k @ y_k
        if curvature > np.finfo(float).eps * (y_k @ y_k):
            keep = max(0, s.shape[0] + 1 - memory_size)
            s = np.vstack([s[keep:], s_k])
            y = np.vstack([y[keep:], y_k])
            rho = np.append(rho[keep:], 1.0 / curvature)
        return step, LbfgsState(state.count + 1, s, y, rho)

    return GradientTransformation(init, update)
