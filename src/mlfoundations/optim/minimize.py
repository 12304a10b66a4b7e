r"""Minimise a function of a vector: ``minimize(fun, x0, method=...)`` and the guide's ``gradient_descent``.

Every method is one of the pure transforms run by the same loop: evaluate
``f, grad f`` at ``x``, stop if ``||grad f(x)||_2 <= tol``, otherwise
``x <- x + update``. Derivatives come from :mod:`mlfoundations.autodiff` unless
``jac`` (and ``hess``) are given.
"""

from __future__ import annotations

import inspect
import math
import warnings
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_int, check_positive
from ..exceptions import ConvergenceWarning
from ._objective import Objective
from .aliases import adam, rmsprop, sgd
from .lbfgs import lbfgs
from .linesearch import LineSearchError
from .newton import newton
from .transforms import apply_updates, check_learning_rate

__all__ = ["OptimizeResult", "minimize", "gradient_descent", "METHODS"]

#: method -> default learning rate (None: the method chooses its steps by line search)
_DEFAULT_LEARNING_RATE = {
    "gd": 0.01,
    "sgd": 0.01,
    "momentum": 0.01,
    "rmsprop": 0.01,
    "adam": 0.01,
    "newton": None,
    "lbfgs": None,
}
METHODS = tuple(_DEFAULT_LEARNING_RATE)
_DEFAULT_MAX_ITER = {"newton": 100, "lbfgs": 1000}


@dataclass(frozen=True, eq=False)
class OptimizeResult:
    """The outcome of :func:`minimize`.

    Attributes
    ----------
    x : ndarray
        The best point reached, shaped like ``x0``.
    fun : float
        ``f(x)``.
    jac : ndarray
        ``grad f(x)``, shaped like ``x0``.
    nit : int
        Iterations (updates of ``x``) made.
    nfev : int
        Calls of ``fun`` (each autodiff gradient counts one).
    success : bool
        Whether ``||grad f(x)||_2 <= tol`` was reached.
    message : str
        Why the iteration stopped.
    history_x : (nit + 1, ...) ndarray
        ``x_0, x_1, ..., x_nit``.
    history_f : (nit + 1,) ndarray
        ``f(x_0), ..., f(x_nit)``.
    method : str
        The method used.
    """

    x: np.ndarray
    fun: float
    jac: np.ndarray
    nit: int
    nfev: int
    success: bool
    message: str
    history_x: np.ndarray
    history_f: np.ndarray
    method: str = ""

    def __str__(self) -> str:
        with np.printoptions(precision=6, threshold=20):
            lines = [
                f"OptimizeResult (method={self.method!r})",
                f"  success: {self.success}",
                f"  message: {self.message}",
                f"      fun: {self.fun:.10g}",
                f"        x: {self.x}",
                f"      jac: {self.jac}",
                f"      nit: {self.nit}",
                f"     nfev: {self.nfev}",
            ]
        return "\n".join(lines)


_BUILDERS = {"gd": None, "sgd": sgd, "momentum": sgd, "rmsprop": rmsprop, "adam": adam, "newton": newton, "lbfgs": lbfgs}
_NOT_OPTIONS = {"learning_rate", "fun", "jac", "hess"}


def _check_options(method: str, options) -> dict:
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise TypeError(f"options must be a dict, got {type(options).__name__}")
    builder = _BUILDERS[method]
    valid = [] if builder is None else [
        name for name in inspect.signature(builder).parameters if name not in _NOT_OPTIONS
    ]
    unknown = sorted(set(options) - set(valid))
    if unknown:
        raise ValueError(
            f"unknown options {unknown} for method={method!r}; valid options are "
            f"{', '.join(valid) if valid else 'none'}"
        )
    return dict(options)


def _transform(method: str, objective: Objective, learning_rate, options: dict):
    if method == "gd":
        return sgd(learning_rate)
    if method == "sgd":
        return sgd(learning_rate, **options)
    if method == "momentum":
        return sgd(learning_rate, **{"momentum": 0.9, **options})
    if method == "rmsprop":
        return rmsprop(learning_rate, **options)
    if method == "adam":
        return adam(learning_rate, **options)
    if method == "newton":
        return newton(objective, **options)
    return lbfgs(objective, **options)


def _frozen(a) -> np.ndarray:
    a = np.array(a, dtype=np.float64)
    a.flags.writeable = False
    return a


def minimize(
    fun,
    x0,
    *,
    method: str = "adam",
    jac=None,
    hess=None,
    learning_rate=None,
    max_iter: int | None = None,
    tol: float = 1e-6,
    callback=None,
    options: dict | None = None,
) -> OptimizeResult:
    r"""Minimise ``fun`` from ``x0`` with a first-order method, Newton or L-BFGS.

    Parameters
    ----------
    fun : callable
        The objective ``f(x) -> scalar``. Without ``jac`` it receives an
        :class:`~mlfoundations.autodiff.Tensor` shaped like ``x0`` and must use
        Tensor operations (``(x * x).sum()``, ``x.exp()``...); the gradient and
        Hessian then come from autodiff. With ``jac`` it receives a NumPy array.
    x0 : array_like
        Starting point, any shape (0-d allowed), finite, not empty.
    method : {"adam", "sgd", "momentum", "rmsprop", "gd", "newton", "lbfgs"}, default "adam"
        ``gd`` and ``sgd``: ``x <- x - eta grad f`` (on a deterministic objective the
        stochastic method is gradient descent); ``momentum``: heavy ball with
        ``mu = 0.9``; ``rmsprop``, ``adam``: :func:`rmsprop`, :func:`adam`;
        ``newton``: damped Newton with backtracking (:func:`newton`); ``lbfgs``:
        L-BFGS with a Wolfe line search (:func:`lbfgs`).
    jac : callable, optional
        ``x -> grad f(x)`` on NumPy arrays.
    hess : callable, optional
        ``x -> Hessian`` ``(n, n)``; only for ``method="newton"``, where it is
        required if ``jac`` is given.
    learning_rate : float or callable, optional
        ``eta >= 0`` or a schedule, for the first-order methods; default 0.01. Newton
        and L-BFGS choose their steps by line search and refuse it.
    max_iter : int, optional
        Maximum number of iterations; default 100 for Newton, 1000 for L-BFGS, 10000
        for the first-order methods.
    tol : float, default 1e-6
        Stop when ``||grad f(x)||_2 <= tol``.
    callback : callable, optional
        ``callback(x, f)`` after every iteration (``x`` a copy); returning True stops.
    options : dict, optional
        Keyword arguments of the method's transform: e.g. ``momentum``,
        ``nesterov`` (sgd, momentum), ``b1``, ``b2``, ``eps``, ``amsgrad`` (adam),
        ``alpha``, ``centered`` (rmsprop), ``memory_size``, ``c1``, ``c2`` (lbfgs),
        ``c1``, ``max_backtracks`` (newton).

    Returns
    -------
    OptimizeResult
        ``x, fun, jac, nit, nfev, success, message, history_x, history_f``.

    Raises
    ------
    ValueError
        For an unknown ``method`` (the message lists the valid ones), a non-finite or
        empty ``x0``, a negative ``learning_rate`` or ``tol``, betas outside [0, 1),
        ``hess`` with a method other than Newton, ``jac`` without ``hess`` for Newton,
        or ``learning_rate`` for Newton / L-BFGS.
    TypeError
        If ``fun``, ``jac``, ``hess`` or ``callback`` is not callable.

    Warns
    -----
    ConvergenceWarning
        When the result is not a success: ``max_iter`` reached, a line search
        failed, or ``f`` or its gradient became NaN or infinite. In the last case
        ``x`` is the last point where both were finite; a non-finite answer is never
        reported as a success.

    Notes
    -----
    The loop, the same for every method (an optax-style transform ``tx``)::

        f, g = f(x_0), grad f(x_0)
        while ||g||_2 > tol and k < max_iter:
            u, state = tx.update(g, state, x)   # Newton / L-BFGS run a line search here
            x = x + u; f, g = f(x), grad f(x)

    References
    ----------
    J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer, 2006.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import minimize
    >>> def rosenbrock(x):
    ...     return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    >>> res = minimize(rosenbrock, [-1.2, 1.0], method="newton")
    >>> res.success, np.allclose(res.x, [1.0, 1.0])
    (True, True)
    >>> res = minimize(lambda x: (x * x).sum(), np.array([3.0, -4.0]), method="gd", learning_rate=0.25)
    >>> res.nit, res.x  # x_{k+1} = x_k - 0.25 * 2 x_k = x_k / 2
    (24, array([ 1.78813934e-07, -2.38418579e-07]))
    """
    if not isinstance(method, str) or method not in _DEFAULT_LEARNING_RATE:
        raise ValueError(f"unknown method {method!r}; valid methods are {', '.join(METHODS)}")
    x0 = as_float_array(x0, "x0", copy=True)
    if x0.size == 0:
        raise ValueError("x0 is empty; it needs at least one coordinate")
    objective = Objective(fun, jac, hess)
    if hess is not None and method != "newton":
        raise ValueError(f"hess is only used by method='newton', not {method!r}")
    if method == "newton" and jac is not None and hess is None:
        raise ValueError("method='newton' needs hess when jac is given (or neither, to use autodiff)")
    if _DEFAULT_LEARNING_RATE[method] is None:
        if learning_rate is not None:
            raise ValueError(
                f"method={method!r} chooses its step by line search; it takes no learning_rate"
            )
    else:
        learning_rate = check_learning_rate(
            _DEFAULT_LEARNING_RATE[method] if learning_rate is None else learning_rate
        )
    max_iter = check_int(
        _DEFAULT_MAX_ITER.get(method, 10_000) if max_iter is None else max_iter, "max_iter", minimum=0
    )
    tol = check_positive(tol, "tol", strict=False)
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable, got {type(callback).__name__}")
    options = _check_options(method, options)
    tx = _transform(method, objective, learning_rate, options)
    return _run(tx, objective, x0, method, max_iter, tol, callback)


def _run(tx, objective: Objective, x0: np.ndarray, method: str, max_iter: int, tol: float, callback):
    x = x0
    f, g = objective.value_and_grad(x)
    history_x, history_f = [x], [f]
    state = tx.init(x)
    nit, warn, stopped_by_callback = 0, True, False
    while True:
        if not (math.isfinite(f) and np.all(np.isfinite(g))):
            which = "f(x0)" if nit == 0 else "f"
            message = f"{which} or its gradient is not finite (f = {f!r}); stopped"
            success = False
            break
        with np.errstate(over="ignore"):  # a huge but finite gradient has norm inf > tol
            grad_norm = float(np.linalg.norm(g))
        if grad_norm <= tol:
            message = f"converged: ||grad f(x)||_2 = {grad_norm:.3g} <= tol = {tol:g}"
            success = True
            break
        if stopped_by_callback:
            message = f"stopped by callback after {nit} iterations (||grad f(x)||_2 = {grad_norm:.3g})"
            success, warn = False, False
            break
        if nit >= max_iter:
            message = (
                f"did not converge in max_iter={max_iter} iterations: "
                f"||grad f(x)||_2 = {grad_norm:.3g} > tol = {tol:g}"
            )
            success = False
            break
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                updates, state = tx.update(g, state, x)
                x_new = apply_updates(x, updates)
        except LineSearchError as exc:
            message = f"stopped after {nit} iterations, no acceptable step: {exc} (||grad f(x)||_2 = {grad_norm:.3g})"
            success = False
            break
        if not np.all(np.isfinite(x_new)):
            message = f"the iterate became non-finite at iteration {nit + 1} (step too large?); stopped"
            success = False
            break
        with np.errstate(over="ignore", invalid="ignore"):
            f_new, g_new = objective.value_and_grad(x_new)
        if not (math.isfinite(f_new) and np.all(np.isfinite(g_new))):
            message = (
                f"f or its gradient became non-finite at iteration {nit + 1} (f = {f_new!r}); "
                "stopped at the last finite point (diverging? try a smaller learning_rate)"
            )
            success = False
            break
        x, f, g = x_new, f_new, g_new
        nit += 1
        history_x.append(x)
        history_f.append(f)
        if callback is not None and callback(x.copy(), f) is True:
            stopped_by_callback = True
    if not success and warn:
        warnings.warn(f"minimize(method={method!r}): {message}", ConvergenceWarning, stacklevel=3)
    return OptimizeResult(
        x=_frozen(x), fun=float(f), jac=_frozen(g), nit=nit, nfev=objective.nfev, success=success,
        message=message, history_x=_frozen(np.stack(history_x)), history_f=_frozen(history_f),
        method=method,
    )


def gradient_descent(f, grad_f, x0, learning_rate=0.01, max_iter=1000, tol=1e-6):
    r"""Minimise ``f`` by gradient descent with a hand-written gradient (the guide's function).

    Parameters
    ----------
    f : callable
        The objective, on NumPy arrays; only evaluated to report ``f(x)`` when the
        iteration does not converge.
    grad_f : callable
        ``x -> grad f(x)``, shaped like ``x``.
    x0 : float or array_like
        Starting point, finite.
    learning_rate : float, default 0.01
        Step size ``eta >= 0``.
    max_iter : int, default 1000
        Maximum number of steps.
    tol : float, default 1e-6
        Stop when the step is shorter than this: ``||x_new - x||_2 < tol``.

    Returns
    -------
    float or ndarray
        The last iterate ``x_new``; a float when ``x0`` is a scalar.

    Raises
    ------
    ValueError
        If ``x0`` is not finite, ``learning_rate`` is negative, ``max_iter`` is
        negative or ``tol`` is not positive, or if the iterates become non-finite
        (the message suggests a smaller learning rate).

    Warns
    -----
    ConvergenceWarning
        If ``max_iter`` steps end without a step shorter than ``tol``.

    Notes
    -----
    .. math:: x_{k+1} = x_k - \eta \nabla f(x_k), \quad\text{until}\quad
              \|x_{k+1} - x_k\|_2 < \text{tol}.

    Since ``x_{k+1} - x_k = -eta grad f(x_k)``, the rule stops when the gradient is
    below ``tol / eta``. :func:`minimize` with ``method="gd"`` runs the same update
    with a gradient-norm test and autodiff.

    Examples
    --------
    >>> from mlfoundations.optim import gradient_descent
    >>> x_min = gradient_descent(lambda x: x**2, lambda x: 2 * x, x0=10.0)
    >>> print(f"Minimum at x = {x_min:.6f}")  # ~0
    Minimum at x = 0.000048
    """
    if not callable(f) or not callable(grad_f):
        raise TypeError("f and grad_f must be callable")
    x = as_float_array(x0, "x0", copy=True)
    scalar = x.ndim == 0
    learning_rate = check_positive(learning_rate, "learning_rate", strict=False)
    max_iter = check_int(max_iter, "max_iter", minimum=0)
    tol = check_positive(tol, "tol")
    step = math.inf
    converged = False
    for k in range(max_iter):
        with np.errstate(over="ignore", invalid="ignore"):
            x_new = x - learning_rate * np.asarray(grad_f(x), dtype=np.float64)
            step = float(np.linalg.norm(x_new - x))
        if not np.all(np.isfinite(x_new)):
            raise ValueError(
                f"gradient descent diverged: x is not finite after {k + 1} steps; "
                f"learning_rate={learning_rate!r} is too large for this function"
            )
        x = x_new
        if step < tol:
            converged = True
            break
    if not converged:
        warnings.warn(
            f"gradient_descent did not converge in max_iter={max_iter} steps: last step "
            f"||x_new - x|| = {step:.3g} >= tol = {tol:g}, f(x) = {float(np.asarray(f(x))):.6g}",
            ConvergenceWarning,
            stacklevel=2,
        )
    return float(x) if scalar else x
