"""Check analytic gradients against central finite differences, as PyTorch's gradcheck.

For f: R^n -> R^m and a cotangent u in R^m, reverse mode gives u^T J; central
differences give (u.f(x + eps e_j) - u.f(x - eps e_j)) / (2 eps) = (u^T J)_j + O(eps^2).
With one-hot cotangents u = e_i the whole Jacobian is compared entry by entry; with
random cotangents (``cotangents=k``) only k projections, which is cheaper for large
outputs and still catches a wrong rule with probability 1.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_rng
from .engine import backpropagate
from .mode import enable_grad, no_grad
from .tensor import Tensor

__all__ = ["gradcheck", "GradcheckReport", "GradcheckError"]


class GradcheckError(ValueError):
    """Raised by ``gradcheck(..., raise_exception=True)`` when gradients disagree.

    The ``report`` attribute holds the ``GradcheckReport``.
    """

    def __init__(self, report: GradcheckReport) -> None:
        super().__init__(str(report))
        self.report = report


@dataclass(frozen=True)
class GradcheckReport:
    """The outcome of ``gradcheck``.

    Attributes
    ----------
    passed : bool
        |analytic - numerical| <= atol + rtol |numerical| for every compared entry.
    max_abs_error : float
        The largest |analytic - numerical|.
    max_rel_error : float
        The largest |analytic - numerical| / |numerical| over entries with a non-zero
        numerical value.
    worst_input : int
        Index (in ``inputs``) of the input holding the worst entry (the largest
        |a - n| / (atol + rtol |n|)).
    worst_entry : tuple
        The entry of that input.
    worst_output : tuple or int
        The output entry (one-hot cotangents) or the number of the random cotangent.
    analytic, numerical : float
        The two values compared at the worst entry.
    """

    passed: bool
    max_abs_error: float
    max_rel_error: float
    worst_input: int
    worst_entry: tuple
    worst_output: tuple | int
    analytic: float
    numerical: float
    eps: float
    atol: float
    rtol: float

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        out = (f"cotangent {self.worst_output}" if isinstance(self.worst_output, int)
               else f"out{list(self.worst_output)}")
        return (
            f"gradcheck {verdict} (eps={self.eps:g}, atol={self.atol:g}, rtol={self.rtol:g}): "
            f"max abs error {self.max_abs_error:.3g}, max rel error {self.max_rel_error:.3g}; "
            f"worst entry d {out} / d inputs[{self.worst_input}]{list(self.worst_entry)}: "
            f"analytic {self.analytic:.10g}, numerical {self.numerical:.10g}"
        )


def _evaluate(f, xs: list) -> np.ndarray:
    with no_grad():
        out = f(*[Tensor(x) for x in xs])
    # a copy: f may return a view of its input (reshape), which the next step perturbs
    return np.array(out.data if isinstance(out, Tensor) else out, dtype=np.float64)


def gradcheck(f, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3, *,
              raise_exception: bool = False, cotangents="one-hot", rng=None) -> GradcheckReport:
    """Compare the reverse-mode VJPs of ``f`` with central differences, in float64.

    Parameters
    ----------
    f : callable
        Takes one Tensor per input and returns a Tensor of any shape.
    inputs : sequence of array_like (or a single array)
        The point; converted to float64 (float32 inputs are promoted, since finite
        differences in single precision are too coarse).
    eps : float, default 1e-6
        Finite-difference step.
    atol, rtol : float
        An entry passes when |analytic - numerical| <= atol + rtol |numerical|.
    raise_exception : bool, default False
        Raise ``GradcheckError`` instead of returning a failed report.
    cotangents : "one-hot" or int, default "one-hot"
        "one-hot": the full Jacobian (one reverse sweep per output entry). An int k: k
        random Gaussian cotangents u, comparing u^T J (cheaper for big outputs).
    rng : None, int or numpy.random.Generator
        Source of the random cotangents.

    Returns
    -------
    GradcheckReport
        Truthy when passed; ``str(report)`` names the worst entry.

    Raises
    ------
    GradcheckError
        If the check fails and ``raise_exception`` is True.
    ValueError
        If an input holds NaN/inf, ``eps`` is not positive, or f's value is not finite.
    TypeError
        If f does not return a Tensor.

    Notes
    -----
    The numerical derivative (f(x + eps e_j) - f(x - eps e_j)) / (2 eps) has error
    O(eps^2 f''') + O(macheps |f| / eps); eps = 1e-6 balances the two in float64.

    References
    ----------
    Griewank & Walther, *Evaluating Derivatives*, 2nd ed., SIAM 2008, ch. 3.
    PyTorch, ``torch.autograd.gradcheck`` (the procedure, not the code).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import gradcheck
    >>> gradcheck(lambda x: x.tanh() * x, [np.array([0.5, -1.0])]).passed
    True
    """
    if isinstance(inputs, (np.ndarray, Tensor, numbers.Real)):
        inputs = [inputs]
    xs = [as_float_array(x.data if isinstance(x, Tensor) else x, f"inputs[{i}]", copy=True)
          for i, x in enumerate(inputs)]
    for name, value in (("eps", eps), ("atol", atol), ("rtol", rtol)):
        if not isinstance(value, numbers.Real) or not np.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite non-negative number, got {value!r}")
    if eps <= 0:
        raise ValueError(f"eps must be positive, got {eps!r}")

    with enable_grad():
        wrt = [Tensor(x, requires_grad=True) for x in xs]
        out = f(*wrt)
    if not isinstance(out, Tensor):
        raise TypeError(f"f must return a Tensor, got {type(out).__name__}")
    if not np.isfinite(out.data).all():
        raise ValueError("f's value at inputs is not finite; gradcheck needs a finite point")
    y = out.data.astype(np.float64)
    if cotangents == "one-hot":
        us = list(np.eye(y.size).reshape((y.size,) + y.shape))
        labels = [np.unravel_index(k, y.shape) for k in range(y.size)]
    elif isinstance(cotangents, numbers.Integral) and cotangents > 0:
        us = list(check_rng(rng).standard_normal((int(cotangents),) + y.shape))
        labels = list(range(int(cotangents)))
    else:
        raise ValueError(f"cotangents must be 'one-hot' or a positive int, got {cotangents!r}")

    # analytic[i][k] = u_k^T d f / d x_i, one reverse sweep per cotangent
    analytic = [np.zeros((len(us),) + x.shape) for x in xs]
    for k, u in enumerate(us):
        if not out.requires_grad:
            break
        capture = dict.fromkeys(wrt)
        backpropagate(out, u.astype(out.data.dtype), False, capture)
        for i, w in enumerate(wrt):
            if capture[w] is not None:
                analytic[i][k] = capture[w]

    U = np.stack(us).reshape(len(us), -1) if us else np.zeros((0, y.size))
    numerical = [np.zeros_like(a) for a in analytic]
    for i, x in enumerate(xs):
        flat = x.reshape(-1)
        for j in range(flat.size):
            saved = flat[j]
            flat[j] = saved + eps
            f_plus = _evaluate(f, xs).reshape(-1)
            flat[j] = saved - eps
            f_minus = _evaluate(f, xs).reshape(-1)
            flat[j] = saved
            numerical[i].reshape(len(us), -1)[:, j] = U @ (f_plus - f_minus) / (2 * eps)

    return _report(analytic, numerical, labels, eps, atol, rtol, raise_exception)


def _report(analytic, numerical, labels, eps, atol, rtol, raise_exception) -> GradcheckReport:
    max_abs = max_rel = 0.0
    worst = (-1.0, 0, (), 0, 0.0, 0.0)
    for i, (a, n) in enumerate(zip(analytic, numerical)):
        if a.size == 0:
            continue
        err = np.abs(a - n)
        max_abs = max(max_abs, float(err.max()))
        nonzero = n != 0
        if nonzero.any():
            max_rel = max(max_rel, float((err[nonzero] / np.abs(n[nonzero])).max()))
        ratio = err / (atol + rtol * np.abs(n)) if atol or rtol else err
        k = int(np.argmax(ratio))
        if ratio.reshape(-1)[k] > worst[0]:
            where = np.unravel_index(k, a.shape)
            worst = (float(ratio.reshape(-1)[k]), i, tuple(int(t) for t in where[1:]),
                     where[0], float(a[where]), float(n[where]))
    ratio, i, entry, k, a_val, n_val = worst
    output = labels[k] if labels else ()
    if not isinstance(output, int):
        output = tuple(int(t) for t in output)
    report = GradcheckReport(
        passed=bool(ratio <= 1.0) if atol or rtol else bool(max_abs == 0.0),
        max_abs_error=max_abs, max_rel_error=max_rel, worst_input=i, worst_entry=entry,
        worst_output=output, analytic=a_val, numerical=n_val, eps=float(eps),
        atol=float(atol), rtol=float(rtol),
    )
    if raise_exception and not report.passed:
        raise GradcheckError(report)
    return report
