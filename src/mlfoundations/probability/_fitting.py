"""Maximum likelihood: the fit result, observed information, and Newton's method.

The maximum-likelihood estimate maximises l(theta) = sum_i log f(x_i; theta). Its
standard errors come from the observed Fisher information, the negative Hessian of l
at the estimate: Cov(theta_hat) ~= I(theta_hat)^{-1}, se_j = sqrt([I^{-1}]_jj)
(Casella & Berger, *Statistical Inference*, 2nd ed., section 10.1). AIC = 2k - 2 l and
BIC = k log n - 2 l rank models by fit penalised by the number k of free parameters
(Akaike 1974; Schwarz 1978).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ..exceptions import ConvergenceWarning

__all__ = ["FitResult", "newton_maximize", "numerical_information"]


@dataclass(frozen=True)
class FitResult:
    """What a maximum-likelihood fit found.

    Attributes
    ----------
    family : str
        Name of the fitted family.
    params : dict
        Every parameter of the fitted distribution, estimated or held fixed.
    free : tuple of str
        The parameters that were estimated (the others were passed to ``fit``).
    stderr : dict
        Standard error of each free parameter, sqrt of the diagonal of ``cov``.
    cov : ndarray, shape (len(free), len(free))
        Inverse of the observed Fisher information at the estimate.
    log_likelihood : float
        l(theta_hat) = sum_i log f(x_i; theta_hat).
    nobs : int
        Number of observations.
    n_iter : int
        Newton iterations (0 for a closed form).
    converged : bool
        False only if an iterative fit stopped at ``max_iter``.
    """

    family: str
    params: dict
    free: tuple
    stderr: dict
    cov: np.ndarray = field(repr=False)
    log_likelihood: float
    nobs: int
    n_iter: int = 0
    converged: bool = True

    @property
    def n_params(self) -> int:
        """Number k of estimated parameters."""
        return len(self.free)

    @property
    def aic(self) -> float:
        """Akaike information criterion 2k - 2 l."""
        return 2.0 * self.n_params - 2.0 * self.log_likelihood

    @property
    def bic(self) -> float:
        """Bayesian information criterion k log(n) - 2 l."""
        return self.n_params * np.log(self.nobs) - 2.0 * self.log_likelihood

    def __str__(self) -> str:
        lines = [f"{self.family} maximum-likelihood fit (n = {self.nobs})"]
        for name, value in self.params.items():
            se = self.stderr.get(name)
            tail = f"  (se {se:.6g})" if se is not None else "  (fixed)"
            lines.append(f"  {name:<8} = {value:.6g}{tail}")
        lines.append(
            f"  log-likelihood {self.log_likelihood:.6f}   AIC {self.aic:.4f}   BIC {self.bic:.4f}"
        )
        if not self.converged:
            lines.append(f"  warning: did not converge in {self.n_iter} iterations")
        return "\n".join(lines)


def numerical_information(loglik, theta: np.ndarray) -> np.ndarray:
    """Observed information -H(theta) by central differences of ``loglik(theta)``.

    Step h_j = 1e-4 max(|theta_j|, 1), where the truncation error O(h^2) and the
    rounding error O(eps / h^2) of the second difference roughly balance; if a step
    leaves the parameter space (``loglik`` raises ``ValueError``, e.g. a small positive
    scale), the relative step 1e-4 |theta_j| is used instead.
    """
    theta = np.asarray(theta, dtype=float)
    try:
        return _second_differences(loglik, theta, 1e-4 * np.maximum(np.abs(theta), 1.0))
    except ValueError:
        return _second_differences(loglik, theta, 1e-4 * np.where(theta != 0, np.abs(theta), 1.0))


def _second_differences(loglik, theta, h):
    k = theta.size
    hess = np.empty((k, k))
    f0 = loglik(theta)
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = h[i]
        hess[i, i] = (loglik(theta + ei) - 2.0 * f0 + loglik(theta - ei)) / h[i] ** 2
        for j in range(i):
            ej = np.zeros(k)
            ej[j] = h[j]
            hess[i, j] = hess[j, i] = (
                loglik(theta + ei + ej)
                - loglik(theta + ei - ej)
                - loglik(theta - ei + ej)
                + loglik(theta - ei - ej)
            ) / (4.0 * h[i] * h[j])
    return -hess


def newton_maximize(
    score_and_hessian,
    loglik,
    theta0,
    *,
    valid=lambda theta: True,
    tol: float = 1e-10,
    max_iter: int = 100,
    family: str = "",
):
    """Maximise ``loglik`` by Newton's method on the score, with step halving.

    Each step solves H d = -g for the score g and Hessian H of the log-likelihood and
    moves theta <- theta + t d, halving t until theta stays ``valid`` and the
    log-likelihood does not decrease (a safeguard that Newton's method alone lacks far
    from the optimum). Stops when every |t d_j| <= tol (1 + |theta_j|).

    Returns
    -------
    theta : ndarray
    n_iter : int
    converged : bool
    """
    theta = np.array(theta0, dtype=float)
    current = loglik(theta)
    for it in range(1, max_iter + 1):
        g, h = score_and_hessian(theta)
        g = np.atleast_1d(g)
        h = np.atleast_2d(h)
        if g.size == 1:  # one parameter: no factorisation needed
            g0, h0 = float(g[0]), float(h[0, 0])
            step = np.array([-g0 / h0 if h0 < 0 else g0 / max(abs(h0), 1.0)])
        elif np.all(np.linalg.eigvalsh((h + h.T) / 2) < 0):
            step = -np.linalg.solve(h, g)
        else:  # not concave here: a scaled gradient step still goes uphill
            step = g / max(np.max(np.abs(np.diag(h))), 1.0)
        t = 1.0
        while t > 1e-12:
            candidate = theta + t * step
            if valid(candidate):
                value = loglik(candidate)
                if value >= current - 1e-12 * abs(current):
                    break
            t /= 2.0
        else:
            return theta, it, True  # no uphill step exists at machine precision
        theta, current = candidate, value
        if np.all(np.abs(t * step) <= tol * (1.0 + np.abs(theta))):
            return theta, it, True
    warnings.warn(
        f"{family} maximum-likelihood fit did not converge in {max_iter} Newton iterations",
        ConvergenceWarning,
        stacklevel=3,
    )
    return theta, max_iter, False
