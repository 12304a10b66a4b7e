r"""Line searches: how far to go along a descent direction ``p`` from ``x``.

Both work on the one-dimensional restriction ``phi(alpha) = f(x + alpha p)``, which
falls at ``alpha = 0`` (``phi'(0) = grad f(x)^T p < 0``):

* :func:`backtracking` shrinks ``alpha`` from 1 until the sufficient-decrease
  (Armijo) condition holds (Nocedal & Wright, Algorithm 3.1);
* :func:`wolfe` brackets and zooms to a step satisfying the strong Wolfe conditions
  (Algorithms 3.5 and 3.6), which keep quasi-Newton updates positive definite.

A NaN or infinite ``phi`` counts as "too far": the step is shortened, never taken.
"""

from __future__ import annotations

import math

__all__ = ["LineSearchError", "backtracking", "wolfe"]

_APPROXIMATE_WOLFE_EPS = 1e-12


class LineSearchError(ArithmeticError):
    """No acceptable step was found along the search direction."""


def _armijo(phi_a, a, phi0, dphi0, c1) -> bool:
    return math.isfinite(phi_a) and phi_a <= phi0 + c1 * a * dphi0


def backtracking(phi, phi0: float, dphi0: float, *, c1: float = 1e-4, max_evals: int = 50):
    r"""Largest step of a shrinking sequence from 1 with sufficient decrease.

    Parameters
    ----------
    phi : callable
        ``alpha -> f(x + alpha p)``.
    phi0, dphi0 : float
        ``phi(0)`` and ``phi'(0) < 0``.
    c1 : float, default 1e-4
        Sufficient-decrease constant in (0, 1/2).
    max_evals : int, default 50
        Evaluations of ``phi`` allowed.

    Returns
    -------
    alpha, phi_alpha : float
        The accepted step and ``phi(alpha)``.

    Raises
    ------
    LineSearchError
        If ``p`` is not a descent direction or no step passes within ``max_evals``.

    Notes
    -----
    Accept the first ``alpha`` with ``phi(alpha) <= phi(0) + c1 alpha phi'(0)``
    (Armijo). A rejected step is replaced by the minimiser of the quadratic through
    ``phi(0), phi'(0), phi(alpha)``, kept within ``[alpha / 10, alpha / 2]``
    (Nocedal & Wright, Section 3.5); after a NaN it is halved.

    References
    ----------
    J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer, 2006,
    Algorithm 3.1 and Section 3.5.
    """
    if not dphi0 < 0:
        raise LineSearchError(f"not a descent direction: phi'(0) = {dphi0:.3g} >= 0")
    alpha = 1.0
    for _ in range(max_evals):
        phi_a = phi(alpha)
        if _armijo(phi_a, alpha, phi0, dphi0, c1):
            return alpha, phi_a
        if math.isfinite(phi_a):
            # minimiser of q(a) = phi0 + dphi0 a + c a^2 through phi(alpha)
            curvature = phi_a - phi0 - dphi0 * alpha
            trial = -dphi0 * alpha * alpha / (2.0 * curvature)
            alpha = min(max(trial, 0.1 * alpha), 0.5 * alpha)
        else:
            alpha *= 0.5
    raise LineSearchError(
        f"backtracking found no step with sufficient decrease in {max_evals} evaluations "
        f"(last step {alpha:.3g})"
    )


def _cubic_minimizer(a, fa, da, b, fb, db):
    """Minimiser of the cubic matching f and f' at a and b (N&W eq. 3.59), or None."""
    if not all(map(math.isfinite, (fa, da, fb, db))) or a == b:
        return None
    d1 = da + db - 3.0 * (fa - fb) / (a - b)
    radicand = d1 * d1 - da * db
    if radicand < 0:
        return None
    d2 = math.copysign(math.sqrt(radicand), b - a)
    denominator = db - da + 2.0 * d2
    if denominator == 0:
        return None
    return b - (b - a) * (db + d2 - d1) / denominator


def wolfe(
    evaluate,
    phi0: float,
    dphi0: float,
    *,
    alpha0: float = 1.0,
    c1: float = 1e-4,
    c2: float = 0.9,
    max_evals: int = 30,
):
    r"""A step satisfying the strong Wolfe conditions, by bracketing and zoom.

    Parameters
    ----------
    evaluate : callable
        ``alpha -> (phi(alpha), phi'(alpha), extra)``; ``extra`` (the gradient, say)
        is handed back for the accepted step.
    phi0, dphi0 : float
        ``phi(0)`` and ``phi'(0) < 0``.
    alpha0 : float, default 1.0
        First trial step.
    c1, c2 : float, default 1e-4, 0.9
        ``0 < c1 < c2 < 1``.
    max_evals : int, default 30
        Evaluations allowed.

    Returns
    -------
    alpha, phi_alpha, extra
        The accepted step, ``phi(alpha)`` and ``evaluate``'s extra output there.

    Raises
    ------
    LineSearchError
        If ``phi'(0) >= 0`` or no step with sufficient decrease is found.

    Notes
    -----
    Strong Wolfe conditions:

    .. math::

        \phi(\alpha) \le \phi(0) + c_1 \alpha \phi'(0), \qquad
        |\phi'(\alpha)| \le c_2 |\phi'(0)|.

    Trial steps double until one violates sufficient decrease, fails to decrease
    ``phi`` or has ``phi' >= 0``: an interval holding acceptable steps is then
    bracketed and shrunk by safeguarded cubic interpolation ("zoom").

    Near a minimum the decrease ``c1 alpha phi'(0)`` falls below the rounding error
    of ``phi`` and the first condition becomes a coin toss. As in Hager & Zhang's
    approximate Wolfe conditions, a step with ``phi(alpha) <= phi(0) + 1e-12
    |phi(0)|`` also counts as sufficiently decreasing when
    ``phi'(alpha) <= (2 c1 - 1) phi'(0)`` (the same condition written with
    derivatives, exact for a quadratic ``phi``). If the
    evaluations run out, the best step with sufficient decrease found is returned
    (the curvature condition may then fail; L-BFGS skips such a pair).

    References
    ----------
    J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer, 2006,
    Algorithms 3.5 and 3.6, eq. (3.59). W. W. Hager and H. Zhang, "A new conjugate
    gradient method with guaranteed descent and an efficient line search", SIAM J.
    Optim. 16 (2005) 170-192, Section 4 (approximate Wolfe conditions).
    """
    if not dphi0 < 0:
        raise LineSearchError(f"not a descent direction: phi'(0) = {dphi0:.3g} >= 0")
    evals = 0
    best = None  # (alpha, phi, extra) with sufficient decrease, lowest phi
    # differences of phi below this are rounding noise (Hager & Zhang's epsilon)
    noise = _APPROXIMATE_WOLFE_EPS * abs(phi0)

    def sufficient(alpha, phi_a, dphi_a):
        if _armijo(phi_a, alpha, phi0, dphi0, c1):
            return True
        # approximate Armijo: on a quadratic phi(a) <= phi(0) + c1 a phi'(0) is
        # phi'(a) <= (2 c1 - 1) phi'(0), which stays accurate when phi is all noise
        return math.isfinite(phi_a) and phi_a <= phi0 + noise and dphi_a <= (2.0 * c1 - 1.0) * dphi0

    def probe(alpha):
        nonlocal evals, best
        evals += 1
        phi_a, dphi_a, extra = evaluate(alpha)
        if sufficient(alpha, phi_a, dphi_a) and (best is None or phi_a < best[1]):
            best = (alpha, phi_a, extra)
        return phi_a, dphi_a, extra

    def curvature_ok(dphi_a):
        return abs(dphi_a) <= -c2 * dphi0

    def zoom(lo, f_lo, d_lo, hi, f_hi, d_hi):
        while evals < max_evals:
            width = hi - lo
            alpha = _cubic_minimizer(lo, f_lo, d_lo, hi, f_hi, d_hi)
            # stay clear of the ends, or the interval would barely shrink
            if alpha is None or not (min(lo, hi) + 0.1 * abs(width) <= alpha <= max(lo, hi) - 0.1 * abs(width)):
                alpha = lo + 0.5 * width
            if alpha == lo or alpha == hi:
                break
            phi_a, dphi_a, extra = probe(alpha)
            if not sufficient(alpha, phi_a, dphi_a) or phi_a > f_lo + noise:
                hi, f_hi, d_hi = alpha, phi_a, dphi_a
            else:
                if curvature_ok(dphi_a):
                    return alpha, phi_a, extra
                if dphi_a * (hi - lo) >= 0:
                    hi, f_hi, d_hi = lo, f_lo, d_lo
                lo, f_lo, d_lo = alpha, phi_a, dphi_a
        return None

    prev, f_prev, d_prev = 0.0, phi0, dphi0
    alpha = alpha0
    found = None
    while evals < max_evals:
        phi_a, dphi_a, extra = probe(alpha)
        if not sufficient(alpha, phi_a, dphi_a) or (evals > 1 and phi_a > f_prev + noise):
            found = zoom(prev, f_prev, d_prev, alpha, phi_a, dphi_a)
            break
        if curvature_ok(dphi_a):
            found = (alpha, phi_a, extra)
            break
        if dphi_a >= 0:
            found = zoom(alpha, phi_a, dphi_a, prev, f_prev, d_prev)
            break
        prev, f_prev, d_prev = alpha, phi_a, dphi_a
        alpha *= 2.0
    if found is not None:
        return found
    if best is not None:
        return best
    raise LineSearchError(
        f"the Wolfe line search found no step with sufficient decrease in {evals} evaluations"
    )
