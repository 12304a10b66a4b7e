"""Ridge regression: least squares with an L2 penalty that leaves the intercept alone.

Ridge minimises, over the slope w and the intercept b,

    sum_i s_i (y_i - x_i . w - b)^2 + alpha * ||w||^2_2,

with sample weights s_i (all 1 by default): a sum, not a mean, as in scikit-learn, so
that alpha means the same in both. Centring with the weighted means frees b
(b = ȳ - x̄ . w, see ``_linear_base``) and leaves, with Xs = S^(1/2) (X - 1 x̄^T) and
ys = S^(1/2) (y - ȳ), the normal equations

    (Xs^T Xs + alpha I) w = Xs^T ys.

Three ways to solve them, each exact for the same problem:

- primal Cholesky (n_samples >= n_features): one threaded pass over X builds the
  p x p matrix Xs^T Xs, then a Cholesky factorisation of Xs^T Xs + alpha I.
- dual Cholesky (n_samples < n_features): the push-through identity
  (Xs^T Xs + alpha I)^{-1} Xs^T = Xs^T (Xs Xs^T + alpha I)^{-1} turns the problem into
  an n x n one, w = Xs^T c with (Xs Xs^T + alpha I) c = ys (the kernel form).
- SVD: Xs = U diag(s) V^T gives w = V diag(s_k / (s_k^2 + alpha)) U^T ys. It never
  forms Xs^T Xs, so it keeps the digits that squaring the condition number loses, and
  at alpha = 0 it gives the minimum-norm least-squares solution. One SVD serves every
  alpha, which is what :func:`ridge_path` and :class:`RidgeCV` exploit.

References
----------
A. E. Hoerl and R. W. Kennard, "Ridge regression: biased estimation for nonorthogonal
problems", Technometrics 12 (1970). G. H. Golub and C. F. Van Loan, *Matrix
Computations*, 4th ed. (2013), §4.2 (Cholesky), §5.3-5.5 (least squares, SVD).
"""

from __future__ import annotations

import contextlib
import numbers
import warnings
from typing import NamedTuple

import numpy as np
import scipy.linalg
from scipy.linalg import lapack

from .. import _dask
from .._dask import is_dask_collection
from .._utils import single_threaded_blas
from .._validation import as_matrix, as_vector, check_bool, check_finite, check_sample_weight
from ..base import RegressorMixin
from ..exceptions import IllConditionedWarning
from ._linear_base import LinearModel, centered_gram, data_offsets
from ._targets import check_regression_target

__all__ = ["Ridge", "RidgeCV", "RidgePath", "ridge_path"]

_SOLVERS = ("auto", "cholesky", "svd")
# "auto" keeps a Cholesky answer when eps / rcond <= ~2e-10: the forward error of a
# Cholesky solve is about cond * eps (Higham 2002, §10.1), here for the diagonally
# equilibrated matrix, whose condition is the one that matters (van der Sluis 1969).
_MIN_RCOND = 1e-6
# Below this many flops BLAS threads cost more (start-up, spinning on a busy machine)
# than they save.
_THREADED_FLOPS = 2e8


def _blas_threads(n_flops: float):
    """Let BLAS use its threads only for a call big enough to profit from them."""
    return contextlib.nullcontext() if n_flops >= _THREADED_FLOPS else single_threaded_blas()


# --- validation -------------------------------------------------------------------------
def _check_alpha(alpha, name: str = "alpha", *, strict: bool = False) -> float:
    """A finite penalty >= 0 (> 0 when ``strict``), as float; the message quotes it."""
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real):
        raise TypeError(
            f"{name} must be a non-negative real number, got {type(alpha).__name__} {alpha!r}"
        )
    value = float(alpha)
    bound_ok = value > 0 if strict else value >= 0
    if not (np.isfinite(value) and bound_ok):  # NaN fails both tests
        raise ValueError(f"{name}={value!r} must be finite and {'> 0' if strict else '>= 0'}")
    return value


def _check_alphas(alphas, *, strict: bool = False, hint: str = "") -> np.ndarray:
    """A non-empty 1-D array of penalties, each >= 0 (> 0 when ``strict``)."""
    if isinstance(alphas, numbers.Real) and not isinstance(alphas, (bool, np.bool_)):
        return np.array([_check_alpha(alphas, "alphas", strict=strict)])
    values = as_vector(alphas, "alphas")
    if values.size == 0:
        raise ValueError("alphas must not be empty; give at least one penalty")
    bad = ~(values > 0) if strict else ~(values >= 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"alphas[{i}]={float(values[i])!r} must be {'> 0' if strict else '>= 0'}{hint}"
        )
    return values


def _check_target(y, n_samples: int, estimator: str) -> np.ndarray:
    """check_regression_target, the warning pointed at the caller of ``fit``."""
    return check_regression_target(y, n_samples, estimator=estimator, stacklevel=4)


def _check_weights(sample_weight, n_samples: int):
    """check_sample_weight, plus a positive total (the weighted means divide by it)."""
    weights = check_sample_weight(sample_weight, n_samples)
    if weights is not None and not weights.sum() > 0:
        raise ValueError("sample_weight must have a positive sum; all weights are zero")
    return weights


# --- the linear algebra -----------------------------------------------------------------
class _Design(NamedTuple):
    """Xs = S^(1/2) (X - 1 x̄^T), ys = S^(1/2) (y - ȳ), the offsets and S^(1/2)."""

    Xs: np.ndarray
    ys: np.ndarray
    X_offset: np.ndarray
    y_offset: float
    sqrt_sw: np.ndarray | None


def _centred_design(X, y, sample_weight, fit_intercept: bool) -> _Design:
    X_offset, y_offset = data_offsets(X, y, sample_weight, fit_intercept)
    Xs = X - X_offset
    ys = y - y_offset
    sqrt_sw = None
    if sample_weight is not None:
        sqrt_sw = np.sqrt(sample_weight)
        Xs *= sqrt_sw[:, None]
        ys *= sqrt_sw
    return _Design(Xs, ys, X_offset, y_offset, sqrt_sw)


def _thin_svd(A: np.ndarray):
    """U, s, V^T of A, r = min(n, p) columns; divide-and-conquer, QR iteration if it fails."""
    try:
        return scipy.linalg.svd(A, full_matrices=False, check_finite=False)
    except np.linalg.LinAlgError:  # gesdd rarely fails to converge; gesvd is the fallback
        return scipy.linalg.svd(A, full_matrices=False, check_finite=False, lapack_driver="gesvd")


def _svd_coefs(U, s, Vt, ys, alphas) -> np.ndarray:
    """Rows w(alpha) = V diag(s_k / (s_k^2 + alpha)) U^T ys, one per alpha.

    Singular values below eps * max(n, p) * s_max are the rounding of exact zeros
    (numpy.linalg.lstsq's rank rule); they are dropped, so alpha -> 0 gives the
    minimum-norm least-squares solution instead of amplified noise.
    """
    cutoff = np.finfo(float).eps * max(U.shape[0], Vt.shape[1]) * (s[0] if s.size else 0.0)
    keep = s > cutoff
    s, Uty, Vt = s[keep], U[:, keep].T @ ys, Vt[keep]
    alphas = np.asarray(alphas, dtype=float)[:, None]
    # s / (s^2 + alpha) written so that s^2 can neither overflow nor underflow
    filt = 1.0 / (s + alphas / s)
    return (filt * Uty) @ Vt


def _spd_solve(A: np.ndarray, b: np.ndarray, *, min_rcond: float):
    """Solve A x = b for symmetric positive definite A by Cholesky; None if it is not.

    The factorisation is of H = D^{-1} A D^{-1}, D = diag(A)^(1/2) (unit diagonal):
    Cholesky's accuracy depends on cond(H), not on cond(A), so features in very
    different units do not push a sound problem onto the SVD. Returns None when H is
    not numerically positive definite or its estimated reciprocal 1-norm condition
    number (LAPACK ``pocon``) is below ``min_rcond``.
    """
    d = np.sqrt(np.diag(A))
    if not np.all(d > 0):
        return None
    H = A / d[:, None] / d[None, :]
    anorm = float(np.abs(H).sum(axis=0).max())
    factor, info = lapack.dpotrf(H, lower=0, clean=0, overwrite_a=1)
    if info != 0:
        return None
    if min_rcond > 0:
        rcond, info = lapack.dpocon(factor, anorm)
        if info != 0 or not rcond >= min_rcond:
            return None
    z, info = lapack.dpotrs(factor, (b / d)[:, None], lower=0)
    return z[:, 0] / d


def _fit_ridge(X, y, alpha, sample_weight, fit_intercept, solver):
    """(w, b, solver used) for one alpha; X and y validated, X maybe not yet finite-checked."""
    n_samples, n_features = X.shape
    min_rcond = _MIN_RCOND if solver == "auto" else 0.0
    if solver != "svd" and n_samples >= n_features:
        try:
            with np.errstate(all="ignore"):  # NaN/inf in X, or overflow: a ValueError
                stats = centered_gram(X, y, sample_weight, fit_intercept)
        except ValueError:
            if solver == "cholesky":
                raise
            stats = None  # X non-finite (reported just below), or X^T X beyond float64: SVD
        if stats is not None:
            A = stats.gram
            A[np.diag_indices_from(A)] += alpha
            with _blas_threads(n_features**3 / 3):
                w = _spd_solve(A, stats.xty, min_rcond=min_rcond)
            if w is not None:
                return w, stats.y_offset - float(stats.X_offset @ w), "cholesky"
    check_finite(X, "X")
    design = _centred_design(X, y, sample_weight, fit_intercept)
    if solver != "svd" and n_samples < n_features:
        with _blas_threads(n_samples * n_samples * n_features):
            K = design.Xs @ design.Xs.T
            K[np.diag_indices_from(K)] += alpha
            c = _spd_solve(K, design.ys, min_rcond=min_rcond)
            w = None if c is None else design.Xs.T @ c
        if w is not None:
            return w, design.y_offset - float(design.X_offset @ w), "cholesky"
    if solver == "cholesky":
        warnings.warn(
            f"Ridge(solver='cholesky'): the penalised Gram matrix is singular to working "
            f"precision at alpha={alpha!r}; solving by SVD instead",
            IllConditionedWarning,
            stacklevel=3,
        )
    with _blas_threads(n_samples * n_features * min(n_samples, n_features)):
        U, s, Vt = _thin_svd(design.Xs)
        w = _svd_coefs(U, s, Vt, design.ys, [alpha])[0]
    return w, design.y_offset - float(design.X_offset @ w), "svd"


# --- several alphas at once ----------------------------------------------------------
class RidgePath(NamedTuple):
    """Ridge solutions along a grid of penalties: row k belongs to ``alphas[k]``."""

    coefs: np.ndarray
    intercepts: np.ndarray


def _ridge_path(X, y, alphas, sample_weight, fit_intercept) -> RidgePath:
    design = _centred_design(X, y, sample_weight, fit_intercept)
    n_samples, n_features = X.shape
    with _blas_threads(n_samples * n_features * min(n_samples, n_features)):
        U, s, Vt = _thin_svd(design.Xs)
        coefs = _svd_coefs(U, s, Vt, design.ys, alphas)
    return RidgePath(coefs, design.y_offset - coefs @ design.X_offset)


def ridge_path(X, y, alphas, *, fit_intercept=True, sample_weight=None) -> RidgePath:
    """Ridge coefficients for many penalties from one singular value decomposition.

    Parameters
    ----------
    X : (n_samples, n_features) array_like
    y : (n_samples,) array_like
    alphas : (n_alphas,) array_like or float
        Penalties, each finite and >= 0 (0 gives the minimum-norm least-squares fit).
    fit_intercept : bool, default True
        Fit an unpenalised intercept (centre X and y with the weighted means first).
    sample_weight : (n_samples,) array_like, float or None
        Non-negative weights s_i.

    Returns
    -------
    RidgePath
        Named tuple ``(coefs, intercepts)``: ``coefs`` of shape (n_alphas, n_features),
        ``intercepts`` of shape (n_alphas,), row k minimising
        sum_i s_i (y_i - x_i . w - b)^2 + alphas[k] * ||w||^2_2.

    Raises
    ------
    ValueError
        NaN/inf in X, y or sample_weight, mismatched lengths, an empty or negative
        alphas, negative sample weights.
    TypeError
        Non-numeric input.

    Notes
    -----
    With Xs = S^(1/2) (X - 1 x̄^T) = U diag(s) V^T (thin SVD, O(n p min(n, p)) once)
    and ys = S^(1/2) (y - ȳ), every penalty costs only O(p min(n, p)):

        w(alpha) = V diag(s_k / (s_k^2 + alpha)) U^T ys,    b(alpha) = ȳ - x̄ . w(alpha).

    Each component of U^T ys is shrunk by s_k^2 / (s_k^2 + alpha), so ||w(alpha)|| falls
    monotonically to 0 as alpha grows and tends to the minimum-norm least-squares
    solution as alpha -> 0 (Hastie, Tibshirani & Friedman 2009, §3.4.1).

    References
    ----------
    T. Hastie, R. Tibshirani and J. Friedman, *The Elements of Statistical Learning*,
    2nd ed., Springer (2009), §3.4.1, eq. (3.47).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.models import Ridge, ridge_path
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(50, 3)), rng.normal(size=50)
    >>> coefs, intercepts = ridge_path(X, y, [0.1, 1.0, 10.0])
    >>> bool(np.allclose(coefs[1], Ridge(alpha=1.0).fit(X, y).coef_))
    True
    """
    X = as_matrix(X, "X", min_rows=1, min_cols=1)
    y = _check_target(y, X.shape[0], "ridge_path")
    alphas = _check_alphas(alphas)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    sample_weight = _check_weights(sample_weight, X.shape[0])
    return _ridge_path(X, y, alphas, sample_weight, fit_intercept)


# --- the estimator -------------------------------------------------------------------
class Ridge(RegressorMixin, LinearModel):
    """Linear least squares with an L2 penalty on the slope (not on the intercept).

    Minimises ``||y - Xw - b||^2_2 + alpha * ||w||^2_2`` (weighted:
    ``sum_i s_i (y_i - x_i . w - b)^2 + alpha * ||w||^2_2``), scikit-learn's objective.

    Parameters
    ----------
    alpha : float, default 1.0
        Penalty strength, finite and >= 0. At 0 the fit is the minimum-norm ordinary
        least-squares solution (by SVD).
    fit_intercept : bool, default True
        Fit an unpenalised intercept b = ȳ - x̄ . w (weighted means).
    solver : {"auto", "cholesky", "svd"}, default "auto"
        - "cholesky": Cholesky factorisation of the centred, penalised Gram matrix,
          Xs^T Xs + alpha I, built in one threaded pass over X when
          n_samples >= n_features, or of the n x n kernel Xs Xs^T + alpha I, with
          w = Xs^T c, when n_samples < n_features. Falls back to "svd" (with an
          ``IllConditionedWarning``) if the matrix is not numerically positive definite.
        - "svd": thin SVD of the centred design, exact for any alpha, including tiny
          ones and rank-deficient X; several times slower.
        - "auto": "cholesky" when the equilibrated penalised Gram matrix has an
          estimated reciprocal condition number >= 1e-6 (the Cholesky answer is then
          accurate to ~1e-10), "svd" otherwise, and also when X^T X would overflow
          float64 (|X| ~ 1e154 and beyond).

    Attributes
    ----------
    coef_ : (n_features,) ndarray
        The slope w.
    intercept_ : float
        The intercept b (0.0 when ``fit_intercept=False``).
    solver_ : str
        The solver that produced the fit ("cholesky" or "svd").
    n_iter_ : None
        No iterations (direct solvers); kept for scikit-learn's interface.
    n_features_in_ : int
    feature_names_in_ : (n_features_in_,) ndarray of str
        Only when X was a DataFrame with string column names.

    Notes
    -----
    See the module docstring for the three solutions of the normal equations
    (Xs^T Xs + alpha I) w = Xs^T ys. Results agree with ``sklearn.linear_model.Ridge``
    to rounding; where scikit-learn's Cholesky path loses digits (alpha tiny against an
    ill-conditioned X), "auto" switches to the SVD here and stays exact. Only a scalar
    alpha and a 1-D y are supported.

    A ``dask.array.Array`` or ``dask.dataframe`` X is fitted out of core: one pass of
    centred Gram matrices merged by a tree reduction gives Xs^T Xs and Xs^T ys for the
    Cholesky path; where the in-memory fit would take the SVD of Xs, the SVD of the R
    factor of a tall-skinny QR of [Xs | ys] (``dask.array.linalg.tsqr``, a second pass)
    gives the same answer. With n_samples < n_features that path replaces the dual one.

    References
    ----------
    A. E. Hoerl and R. W. Kennard, Technometrics 12 (1970), 55-67.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.models import Ridge
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 3))
    >>> y = X @ [1.0, -2.0, 0.5] + 3.0
    >>> model = Ridge(alpha=1e-8).fit(X, y)
    >>> bool(np.allclose(model.coef_, [1.0, -2.0, 0.5])), round(model.intercept_, 6)
    (True, 3.0)
    """

    def __init__(self, alpha=1.0, *, fit_intercept=True, solver="auto"):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver

    def fit(self, X, y, sample_weight=None):
        """Fit the penalised least-squares model. Returns self.

        Parameters
        ----------
        X : (n_samples, n_features) array_like, Dask array or Dask DataFrame
        y : (n_samples,) array_like or Dask array / Series
        sample_weight : (n_samples,) array_like, float or None
            Non-negative weights s_i of the squared residuals.
        """
        if is_dask_collection(X):
            return _dask.linear.fit_ridge(self, X, y, sample_weight)
        alpha = _check_alpha(self.alpha)
        fit_intercept = check_bool(self.fit_intercept, "fit_intercept")
        if self.solver not in _SOLVERS:
            raise ValueError(f"solver={self.solver!r} must be one of {_SOLVERS}")
        # finiteness is checked on the Gram matrix (one pass fewer) or before the SVD
        X = self._validate_data(X, reset=True, finite=False)
        y = _check_target(y, X.shape[0], "Ridge")
        sample_weight = _check_weights(sample_weight, X.shape[0])
        self.coef_, intercept, self.solver_ = _fit_ridge(
            X, y, alpha, sample_weight, fit_intercept, self.solver
        )
        self.intercept_ = float(intercept)
        self.n_iter_ = None
        return self


from ._ridge_cv import RidgeCV  # noqa: E402  (RidgeCV builds on the helpers above)
