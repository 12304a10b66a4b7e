r"""Newton's method with a damped Hessian and a backtracking line search.

Pure Newton, ``x <- x - H^{-1} g``, converges quadratically near a minimum but can
go uphill or diverge where the Hessian is indefinite. Two safeguards make it a
descent method everywhere (Nocedal & Wright, Sections 3.4-3.5): the Hessian is
shifted by ``tau I`` until it is positive definite (so ``p`` points downhill), and
the step ``alpha p`` is shortened until ``f`` decreases enough.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import check_int, check_real
from ..exceptions import LinAlgError
from ..linalg import cho_solve, cholesky
from ._objective import as_objective
from .linesearch import LineSearchError, backtracking
from .transforms import GradientTransformation

__all__ = ["NewtonState", "newton", "damped_cholesky"]


class NewtonState(NamedTuple):
    """Iterations made, and the shift ``tau`` and step ``alpha`` of the last one."""

    count: int
    damping: float
    step_size: float


def damped_cholesky(H: np.ndarray, beta: float = 1e-3):
    r"""Cholesky factor of ``H + tau I`` for the smallest ``tau`` tried that makes it positive definite.

    Parameters
    ----------
    H : (n, n) ndarray
        Symmetric, finite.
    beta : float, default 1e-3
        Relative size of the first shift.

    Returns
    -------
    L : (n, n) ndarray
        ``L L^T = H + tau I``.
    tau : float
        The shift used (0 when ``H`` is positive definite).

    Notes
    -----
    Nocedal & Wright, Algorithm 3.3 ("Cholesky with added multiple of the identity"),
    with ``beta`` scaled by ``||H||_F``: ``tau_0 = 0`` if ``min_i h_ii > 0`` else
    ``beta - min_i h_ii``; while the factorisation fails, ``tau <- max(2 tau, beta)``.
    A positive definite ``H + tau I`` interpolates between the Newton step
    (``tau = 0``) and a short gradient step (``tau`` large), like Levenberg's damping.
    """
    n = H.shape[0]
    beta = beta * max(np.linalg.norm(H), 1.0)
    min_diagonal = float(np.min(np.diag(H))) if n else 1.0
    tau = 0.0 if min_diagonal > 0 else beta - min_diagonal
    identity = np.eye(n)
    while True:
        try:
            return cholesky(H + tau * identity), tau
        except LinAlgError:
            tau = max(2.0 * tau, beta)


def newton(fun, *, jac=None, hess=None, c1: float = 1e-4, max_backtracks: int = 50) -> GradientTransformation:
    r"""Damped Newton's method with a backtracking (Armijo) line search.

    Parameters
    ----------
    fun : callable
        The objective ``f``. Without ``jac`` it receives an
        :class:`~mlfoundations.autodiff.Tensor` and must use Tensor operations (the
        Hessian then comes from autodiff); with ``jac`` it receives a NumPy array.
    jac : callable, optional
        ``x -> grad f(x)``; the caller passes it as ``grads`` to ``update``.
    hess : callable, optional
        ``x -> Hessian``, an ``(n, n)`` array for ``x`` of size ``n``; required when
        ``jac`` is given.
    c1 : float, default 1e-4
        Sufficient-decrease constant in (0, 1/2).
    max_backtracks : int, default 50
        Evaluations of ``f`` per line search.

    Returns
    -------
    GradientTransformation
        ``update(grads, state, params)`` takes ``params`` a single array (any shape,
        treated as a vector) and ``grads = grad f(params)``; state :class:`NewtonState`.

    Raises
    ------
    ValueError
        If ``jac`` is given without ``hess``, or ``c1`` is outside (0, 1/2).

    Notes
    -----
    At ``x_k`` with gradient ``g_k`` and Hessian ``H_k`` (Nocedal & Wright, Sections
    3.4-3.5):

    .. math::

        (H_k + \tau_k I) p_k = -g_k, \qquad
        x_{k+1} = x_k + \alpha_k p_k,

    with ``tau_k >= 0`` the smallest shift of :func:`damped_cholesky` making
    ``H_k + tau_k I`` positive definite, and ``alpha_k`` the first of
    ``1, ...`` (shrunk by safeguarded interpolation) with
    ``f(x_k + alpha p_k) <= f(x_k) + c_1 alpha g_k^T p_k``. Near a minimum with
    positive definite Hessian ``tau = 0`` and ``alpha = 1`` are accepted and the
    convergence is quadratic; on a quadratic the first step lands on the minimiser.

    References
    ----------
    J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer, 2006,
    Algorithms 3.1 and 3.3.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import newton, apply_updates
    >>> A, b = np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([1.0, -1.0])
    >>> tx = newton(lambda x: 0.5 * x @ A @ x - b @ x, jac=lambda x: A @ x - b, hess=lambda x: A)
    >>> x = np.zeros(2)
    >>> updates, state = tx.update(A @ x - b, tx.init(x), x)
    >>> np.allclose(apply_updates(x, updates), np.linalg.solve(A, b))
    True
    """
    if jac is not None and hess is None:
        raise ValueError("newton needs hess when jac is given (or neither, to use autodiff)")
    c1 = check_real(c1, "c1")
    if not 0.0 < c1 < 0.5:
        raise ValueError(f"c1 must lie in (0, 0.5), got {c1!r}")
    max_backtracks = check_int(max_backtracks, "max_backtracks", minimum=1)
    objective = as_objective(fun, jac, hess)

    def init(params):
        return NewtonState(count=0, damping=0.0, step_size=0.0)

    def update(grads, state, params):
        x = np.asarray(params, dtype=np.float64)
        g = np.asarray(grads, dtype=np.float64).ravel()
        if not np.any(g):  # a stationary point: nothing to do
            return np.zeros_like(x), NewtonState(state.count + 1, 0.0, 0.0)
        H = objective.hessian(x)
        if not np.all(np.isfinite(H)):
            raise LineSearchError("the Hessian is not finite")
        L, tau = damped_cholesky(0.5 * (H + H.T))
        p = (-cho_solve(L, g)).reshape(x.shape)
        f = objective.value(x)
        alpha, _ = backtracking(
            lambda a: objective.value(x + a * p), f, float(g @ p.ravel()), c1=c1, max_evals=max_backtracks
        )
        return alpha * p, NewtonState(state.count + 1, tau, alpha)

    return GradientTransformation(init, update)
