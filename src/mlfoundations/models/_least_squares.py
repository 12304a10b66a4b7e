"""The numerical core of LinearRegression: least-squares solvers and sufficient statistics.

Each solver returns the slopes of the centred, sqrt(weight)-scaled problem A coef ~ r
together with a factor F, F F^T = (A^T A)^+, from which the estimator builds every
standard error (see ``linear_regression``'s module docstring for the algebra):

- ``_gram_factor``: Cholesky of the equilibrated Gram matrix, with LAPACK's condition
  estimate deciding whether "auto" may use it;
- ``_augmented_r`` + ``_solve_r``: Householder QR of [A | r], then a triangular solve or
  the SVD of the small factor R (the minimum-norm solution);
- ``_Moments`` + ``_solve_moments``: the mergeable statistics of ``partial_fit`` and the
  solve from them alone.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
import scipy.linalg
from scipy.linalg import lapack

from .._utils import single_threaded_blas
from .._validation import check_finite
from ..exceptions import IllConditionedWarning
from ._linear_base import centered_gram

# "auto" takes the Gram path only if the equilibrated Gram's reciprocal condition number
# (LAPACK's 1-norm estimate) is at least this: its inverse, and so every standard error,
# then carries a relative error below ~1e-11, and one refinement step brings the
# coefficients to the accuracy of QR.
_GRAM_RCOND = 1e-5


class _Solution(NamedTuple):
    """Slopes, a factor F with F F^T = G^+ (G = A^T A), the rank and singular values of A."""

    coef: np.ndarray
    cov_root: np.ndarray
    rank: int
    singular: np.ndarray


class _GramFactor(NamedTuple):
    """G = D R^T R D with D = diag(G)^{1/2}: Cholesky of the unit-diagonal D^{-1} G D^{-1}."""

    d: np.ndarray
    R: np.ndarray
    rcond: float

    def solve(self, rhs):
        """G^{-1} rhs = D^{-1} (R^T R)^{-1} D^{-1} rhs."""
        with single_threaded_blas():  # small LAPACK calls: threads cost more than they save
            x, _ = lapack.dpotrs(self.R, rhs / self.d)
        return x / self.d

    def solution(self, coef) -> _Solution:
        with single_threaded_blas():
            R_inv, _ = lapack.dtrtri(self.R)
            # the singular values of A are those of its triangular factor R D
            singular = scipy.linalg.svd(self.R * self.d, compute_uv=False, check_finite=False)
        return _Solution(coef, R_inv / self.d[:, None], len(self.d), singular)


def _gram_factor(gram, solver, stacklevel=3, online=False) -> _GramFactor | None:
    """The scaled Cholesky factor of G; None if G is singular to working precision, or
    for "auto" if it is not well-conditioned (the caller then solves another way)."""
    with single_threaded_blas():
        d = np.sqrt(np.diag(gram))
        R, info = (None, 1) if not (d > 0).all() else lapack.dpotrf(gram / np.outer(d, d), clean=1)
        rcond = 0.0
        if info == 0:
            # LAPACK's estimate of 1 / (||G_s||_1 ||G_s^{-1}||_1), G_s = D^{-1} G D^{-1}
            rcond, _ = lapack.dpocon(R, np.abs(gram / np.outer(d, d)).sum(axis=0).max())
    if rcond >= _GRAM_RCOND:
        return _GramFactor(d, R, rcond)
    if solver == "auto" or not rcond >= np.finfo(np.float64).eps:
        return None
    remedy = "solver='qr' or 'auto' avoids squaring the condition number"
    if online:
        remedy = f"partial_fit has only X^T X; fit(X, y) with {remedy}"
    warnings.warn(
        f"solver={solver!r}: X^T X is ill-conditioned (reciprocal condition number "
        f"{rcond:.1e}); the standard errors may have lost about {-np.log10(rcond):.0f} digits. "
        f"{remedy}",
        IllConditionedWarning,
        stacklevel=stacklevel,
    )
    return _GramFactor(d, R, rcond)


def _normal_residual(X, y, w, X_offset, y_offset, coef):
    """A^T (r - A coef), the right-hand side of one step of iterative refinement."""
    # the residual comes from X itself, so that the correction G^{-1} A^T e brings coef
    # to QR accuracy when eps cond(G) << 1 (Björck 1996, ch. 2)
    e = (y - y_offset) - (X @ coef - float(X_offset @ coef))
    we = e if w is None else w * e
    return X.T @ we - X_offset * we.sum()


def _augmented_r(X, y, w, X_offset, y_offset) -> np.ndarray:
    """R of the Householder QR [A | r] = Q R, A = W^{1/2}(X - xbar), r = W^{1/2}(y - ybar)."""
    n, p = X.shape
    Ar = np.empty((n, p + 1), order="F")
    np.subtract(X, X_offset, out=Ar[:, :p])
    np.subtract(y, y_offset, out=Ar[:, p])
    if w is not None:
        Ar *= np.sqrt(w)[:, None]
    sum_weights = n if w is None else w.sum()
    Ar[:, :p][:, _constant_columns(_column_sq_norms(Ar[:, :p]), X_offset, sum_weights, n)] = 0.0
    return scipy.linalg.qr(Ar, mode="raw", overwrite_a=True, check_finite=False)[1]


def _solve_r(R_aug, n, solver) -> _Solution:
    """Least squares from R = [[R_A, z], [0, rho]]: R_A coef = z, or its minimum-norm solution."""
    p = R_aug.shape[1] - 1
    R, z = R_aug[:, :p], R_aug[:, p]
    with single_threaded_blas():
        U, s, Vt = scipy.linalg.svd(R, full_matrices=False, check_finite=False)
        cutoff = max(n, p) * np.finfo(np.float64).eps * (s[0] if s.size else 0.0)
        rank = int(np.sum(s > cutoff))
        if rank == p and solver != "svd":
            if solver == "cholesky":
                warnings.warn(
                    "solver='cholesky': X^T X is singular to working precision although X has "
                    f"full rank {p}; solved by QR instead",
                    IllConditionedWarning,
                    stacklevel=3,
                )
            coef = scipy.linalg.solve_triangular(R[:p], z[:p], check_finite=False)
            R_inv, _ = lapack.dtrtri(np.ascontiguousarray(R[:p]))
            return _Solution(coef, R_inv, p, s)
        if solver != "svd" and solver != "auto":
            _warn_rank_deficient(solver, rank, p)
        # coef = V S^+ U^T z keeps only the directions that the data determine
        V_r = Vt[:rank].T
        coef = V_r @ ((U[:, :rank].T @ z) / s[:rank])
        return _Solution(coef, V_r / s[:rank], rank, s)


def _solve_moments(moments, solver) -> _Solution:
    """Least squares from the sufficient statistics alone (partial_fit)."""
    G, c = moments.gram, moments.xty
    p = len(c)
    constant = _constant_columns(np.diag(G), moments.X_mean, moments.sum_weights, moments.nobs)
    if constant.any():
        G, c = G.copy(), c.copy()
        G[constant], G[:, constant], c[constant] = 0.0, 0.0, 0.0
    if solver != "svd":
        factor = _gram_factor(G, solver, stacklevel=4, online=True)
        if factor is not None:
            return factor.solution(factor.solve(c))
        if solver != "auto":
            _warn_rank_deficient(solver, None, p)
    with single_threaded_blas():
        # G = V diag(lambda) V^T: V and sqrt(lambda) are A's right singular vectors and values
        lam, V = scipy.linalg.eigh(G, check_finite=False)
    lam, V = np.maximum(lam[::-1], 0.0), V[:, ::-1]
    # G resolves singular values only down to ~sqrt(eps) s_max: the cutoff is on lambda
    rank = int(np.sum(lam > max(moments.nobs, p) * np.finfo(np.float64).eps * lam[0]))
    V_r = V[:, :rank]
    coef = V_r @ ((V_r.T @ c) / lam[:rank])
    return _Solution(coef, V_r / np.sqrt(lam[:rank]), rank, np.sqrt(lam))


def _column_sq_norms(A):
    return np.einsum("ij,ij->j", A, A)


def _constant_columns(centred_sq_norms, X_mean, sum_weights, n_samples):
    """Mask of the columns that centring left as rounding noise: numerically constant.

    A constant column c minus its computed weighted mean is not exactly 0 but ~eps |c|
    per entry: noise that scaling (or a relative rank cutoff) would mistake for a real
    direction. A column whose centred norm is below max(n, p) eps times its uncentred
    norm sqrt(||x_c||^2 + S xbar^2) is treated as exactly constant (coefficient 0).
    """
    tol = max(n_samples, len(X_mean)) * np.finfo(np.float64).eps
    uncentred = np.sqrt(centred_sq_norms + sum_weights * X_mean**2)
    return np.sqrt(centred_sq_norms) <= tol * uncentred


def _warn_rank_deficient(solver, rank, p):
    what = f"has rank {rank} < {p}" if rank is not None else "is rank deficient"
    warnings.warn(
        f"solver={solver!r}: the centred, weighted X {what} (linearly dependent columns, e.g. "
        "a constant or duplicated one, or too few samples), so X^T X is singular and the "
        "least-squares solution is not unique; returning the minimum-norm solution (SVD)",
        IllConditionedWarning,
        stacklevel=4,
    )


class _Moments(NamedTuple):
    """Mergeable sufficient statistics of (weighted) least squares.

    With ``centered`` (an intercept), ``gram``, ``xty``, ``yty`` are taken about the
    weighted means; without, they are X^T W X, X^T W y, y^T W y. ``y_css`` is
    sum_i w_i (y_i - ybar)^2 in both cases; ``X_min``/``X_max`` (column ranges, only
    without intercept) tell whether X holds a constant column.
    """

    centered: bool
    weighted: bool
    nobs: int
    sum_weights: float
    sum_log_weights: float
    X_mean: np.ndarray
    y_mean: float
    gram: np.ndarray
    xty: np.ndarray
    yty: float
    y_css: float
    X_min: np.ndarray | None
    X_max: np.ndarray | None

    @classmethod
    def from_fit(cls, X, y, w, fit_intercept, X_offset, y_offset, gram, xty, yty):
        n = X.shape[0]
        S = float(n) if w is None else float(w.sum())
        if fit_intercept:
            y_mean, y_css, X_min, X_max = y_offset, yty, None, None
        else:
            y_mean = float(y.mean()) if w is None else float(w @ y / S)
            dev = y - y_mean
            y_css = float(dev @ dev) if w is None else float(w @ (dev * dev))
            X_min, X_max = X.min(axis=0), X.max(axis=0)
        with np.errstate(divide="ignore"):
            sum_log_weights = 0.0 if w is None else float(np.sum(np.log(w)))
        return cls(
            fit_intercept, w is not None, n, S, sum_log_weights, X_offset, y_mean,
            gram, xty, yty, y_css, X_min, X_max,
        )

    @classmethod
    def from_batch(cls, X, y, w, fit_intercept):
        n, p = X.shape
        if w is not None and not w.sum() > 0:
            # a batch of weight 0 adds rows (nobs) but nothing to the cross-products
            check_finite(X, "X")
            zero = np.zeros(p)
            return cls(
                fit_intercept, True, n, 0.0, -np.inf,
                zero, 0.0, np.zeros((p, p)), zero, 0.0, 0.0,
                None if fit_intercept else X.min(axis=0), None if fit_intercept else X.max(axis=0),
            )
        cg = centered_gram(X, y, w, fit_intercept)
        return cls.from_fit(
            X, y, w, fit_intercept, cg.X_offset, cg.y_offset, cg.gram, cg.xty, cg.yty
        )

    def merge(self, other: _Moments) -> _Moments:
        """The statistics of both batches together (Chan, Golub & LeVeque 1979)."""
        S = self.sum_weights + other.sum_weights
        X_min = X_max = None
        if not self.centered:
            X_min, X_max = np.minimum(self.X_min, other.X_min), np.maximum(self.X_max, other.X_max)
        common = dict(
            nobs=self.nobs + other.nobs,
            sum_log_weights=self.sum_log_weights + other.sum_log_weights,
            weighted=self.weighted or other.weighted,
            X_min=X_min,
            X_max=X_max,
        )
        if other.sum_weights == 0 or self.sum_weights == 0:
            return (self if other.sum_weights == 0 else other)._replace(**common)
        f = self.sum_weights * other.sum_weights / S
        dx, dy = other.X_mean - self.X_mean, other.y_mean - self.y_mean
        y_css = self.y_css + other.y_css + f * dy * dy
        if self.centered:
            gram = self.gram + other.gram + f * np.outer(dx, dx)
            xty, yty = self.xty + other.xty + f * dx * dy, y_css
        else:  # raw cross-products simply add
            gram, xty, yty = self.gram + other.gram, self.xty + other.xty, self.yty + other.yty
        return self._replace(
            sum_weights=S,
            X_mean=self.X_mean + dx * (other.sum_weights / S),
            y_mean=self.y_mean + dy * (other.sum_weights / S),
            gram=gram,
            xty=xty,
            yty=yty,
            y_css=y_css,
            **common,
        )

    def has_constant_column(self) -> bool:
        """A non-zero column constant over every sample (statsmodels' explicit constant)."""
        if self.X_min is None:
            return False
        return bool(np.any((self.X_min == self.X_max) & (self.X_max != 0)))
