"""LinearRegression and Ridge on Dask collections: one pass of centred Gram matrices.

Each row block is summarised by ``_Moments.from_batch``: its count, weight total, weighted
means and the centred cross-products G_b = sum_i w_i (x_i - xbar_b)(x_i - xbar_b)^T,
c_b, q_b. The summaries are merged pairwise by ``_Moments.merge`` (Chan, Golub & LeVeque
1979: G = G_a + G_b + (S_a S_b / S) d d^T with d the difference of the means), the very
statistics and update of ``LinearRegression.partial_fit``, so the p x p problem that
reaches the client is the one the in-memory fit builds, and the same functions solve it:

- least squares: ``_gram_factor`` (Cholesky of the equilibrated G, LAPACK's condition
  estimate deciding), ``factor.solution`` and ``LinearRegression._set_fit`` for the
  OLSResults. When the one-pass answer could miss the in-memory one (which refines its
  coefficients once against X) by more than ~1e-12 -- G with reciprocal condition number
  below 1e-3, or a residual sum of squares below 1e-3 of the total, where q - c . coef
  cancels digits -- a second pass makes the same step of iterative refinement
  (``_normal_residual`` summed over the blocks) and gets the residual sum of squares from
  the residuals;
- the ill-conditioned fallback: with the means of the first pass, the centred weighted
  [A | r] = W^{1/2}[X - xbar | y - ybar] is factored by ``dask.array.linalg.tsqr``
  (Demmel et al. 2012: QR of each block, then QR of the stacked R factors), and its
  (p + 1) x (p + 1) factor R goes to ``_solve_r``, as the NumPy QR path's does;
- ridge: (G + alpha I) w = c by ``_spd_solve``; where the NumPy path would take the SVD
  of the centred design, the SVD of the R factor of the same tall-skinny QR gives it
  (X_s = Q R_A, R_A = U S V^T, so X_s = (Q U) S V^T).

References
----------
T. F. Chan, G. H. Golub and R. J. LeVeque, "Updating formulae and a pairwise algorithm
for computing sample variances", Stanford report STAN-CS-79-773 (1979).
J. Demmel, L. Grigori, M. Hoemmen and J. Langou, "Communication-optimal parallel and
sequential QR and LU factorizations", SIAM J. Sci. Comput. 34 (2012).
"""

from __future__ import annotations

import contextlib
import warnings
from functools import reduce

import numpy as np

from .._validation import as_matrix, check_bool, check_sample_weight
from ..base import _feature_names
from ..exceptions import IllConditionedWarning
from ..models._least_squares import (
    _constant_columns,
    _gram_factor,
    _Moments,
    _normal_residual,
    _solve_r,
)
from ..models._targets import check_regression_target
from ..models.ridge import (
    _MIN_RCOND,
    _SOLVERS as _RIDGE_SOLVERS,
    _blas_threads,
    _check_alpha,
    _spd_solve,
    _svd_coefs,
    _thin_svd,
)
from ._blocks import aligned_row_blocks, check_dask_matrix, compute, fitted_input, map_blocks, tree_reduce

__all__ = ["fit_linear_regression", "fit_ridge", "predict"]

# the one-pass Cholesky answer is kept when eps / rcond and eps q / ssr stay below ~2e-13
_TRUSTED_RCOND = 1e-3
_TRUSTED_SSR_FRACTION = 1e-3

_NO_SAMPLES = (
    "the model was fitted on a Dask collection, whose samples stay on the workers; "
    "predict(X) gives the fitted values (lazily) and y - predict(X) the residuals"
)


# --- the map step: one row block ---------------------------------------------------------
def _block_data(X, y, w):
    """A row block as float64 arrays, checked as ``fit`` checks the whole data."""
    X = as_matrix(X, "X", finite=False)  # finiteness shows on the Gram matrix
    y = check_regression_target(y, X.shape[0], estimator="a Dask block", stacklevel=2)
    return X, y, check_sample_weight(w, X.shape[0])


def _block_moments(X, y, w, fit_intercept):
    """The block's _Moments (None for an empty block)."""
    X, y, w = _block_data(X, y, w)
    if X.shape[0] == 0:
        return None
    return _Moments.from_batch(X, y, w, fit_intercept)


def _merge_moments(parts):
    parts = [m for m in parts if m is not None]
    return reduce(_Moments.merge, parts) if parts else None


def _block_rows(moments) -> int:
    return 0 if moments is None else moments.nobs


def _block_refinement(X, y, w, X_offset, y_offset, coef):
    """(A^T (r - A coef), sum_i w_i e_i^2) of the block: the pieces of one refinement step."""
    X, y, w = _block_data(X, y, w)
    e = (y - y_offset) - (X @ coef - float(X_offset @ coef))
    ssr = float(e @ e) if w is None else float(w @ (e * e))
    return _normal_residual(X, y, w, X_offset, y_offset, coef), ssr


def _sum_pairs(parts):
    return tuple(sum(column) for column in zip(*parts))


def _augmented_block(X, y, w, X_offset, y_offset, zeroed):
    """W^{1/2} [X - xbar | y - ybar] of the block, the columns in ``zeroed`` set to 0."""
    X, y, w = _block_data(X, y, w)
    Ar = np.empty((X.shape[0], X.shape[1] + 1))
    np.subtract(X, X_offset, out=Ar[:, :-1])
    np.subtract(y, y_offset, out=Ar[:, -1])
    if w is not None:
        Ar *= np.sqrt(w)[:, None]
    Ar[:, :-1][:, zeroed] = 0.0
    return Ar


# --- the reduce step ---------------------------------------------------------------------
def _regression_blocks(est, X, y, sample_weight):
    """Check X (and lengths where known), record n_features_in_; the aligned row blocks."""
    names = _feature_names(X)
    n_features = check_dask_matrix(X).shape[1]
    if y is None:
        raise ValueError(f"{type(est).__name__} requires y to be passed, but the target y is None")
    for value, what in ((y, "y"), (sample_weight, "sample_weight")):
        n_value, n_samples = _known_length(value), _known_length(X)
        if n_value is not None and n_samples is not None and n_value != n_samples:
            raise ValueError(
                f"{what} has {n_value} entries but X has {n_samples} samples; they must match"
            )
    est.n_features_in_ = n_features
    if names is not None:
        est.feature_names_in_ = names
    elif hasattr(est, "feature_names_in_"):
        del est.feature_names_in_
    return aligned_row_blocks([X, y, sample_weight], ["X", "y", "sample_weight"])


def _known_length(value):
    """The number of rows when known without reading data (None for DataFrame columns)."""
    if hasattr(value, "to_dask_array"):  # a DataFrame's length is a lazy scalar
        return None
    shape = getattr(value, "shape", None)
    if shape is None:
        if value is None or np.ndim(value) == 0:
            return None
        shape = np.shape(value)
    if len(shape) == 0 or np.isnan(shape[0]):
        return None
    return int(shape[0])


def _sufficient_statistics(blocks, fit_intercept, n_features):
    """The merged _Moments and the rows of each block, from one pass over the data."""
    from dask import delayed

    per_block = map_blocks(_block_moments, blocks, fit_intercept)
    merged = tree_reduce(per_block, _merge_moments)
    moments, rows = compute(merged, [delayed(_block_rows)(m) for m in per_block])
    if moments is None:
        raise ValueError(
            f"X has 0 sample(s) (shape=(0, {n_features})) while a minimum of 1 is required."
        )
    return moments, rows


def _tsqr_factor(blocks, rows, X_offset, y_offset, zeroed):
    """R of the tall-skinny QR of the centred weighted [A | r] (a second pass)."""
    import dask.array as da
    from dask import delayed

    p = len(X_offset)
    pieces = [
        da.from_delayed(
            delayed(_augmented_block, pure=True)(*block, X_offset, y_offset, zeroed),
            shape=(n_rows, p + 1),
            dtype=np.float64,
        )
        for block, n_rows in zip(blocks, rows)
        if n_rows > 0
    ]
    _, R = da.linalg.tsqr(da.concatenate(pieces, axis=0))
    (R,) = compute(R)
    return R


@contextlib.contextmanager
def _warnings_for_the_caller():
    """Re-issue the warnings of the block at the caller of ``fit`` (three frames up).

    ``_solve_r`` words its warnings for the NumPy ``fit``, one frame less deep than here.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        # frames: this generator, contextlib's __exit__, fit_linear_regression, fit, caller
        warnings.warn(warning.message, warning.category, stacklevel=5)


def _offsets(moments):
    if moments.centered:
        return moments.X_mean, moments.y_mean
    return np.zeros_like(moments.X_mean), 0.0


# --- the solve step: LinearRegression ----------------------------------------------------
def fit_linear_regression(est, X, y, sample_weight):
    """``LinearRegression.fit`` for a Dask X: statistics in one pass, the solve on the client."""
    fit_intercept, solver = est._check_params()
    est.__dict__.pop("_moments", None)
    blocks = _regression_blocks(est, X, y, sample_weight)
    moments, rows = _sufficient_statistics(blocks, fit_intercept, est.n_features_in_)
    if moments.weighted and not moments.sum_weights > 0:
        raise ValueError(
            "sample_weight sums to zero (every weight is zero): at least one sample needs a "
            "positive weight"
        )
    n, p = moments.nobs, len(moments.X_mean)
    X_offset, y_offset = _offsets(moments)
    solution = None
    if solver == "cholesky" or (solver == "auto" and n - fit_intercept >= p):
        constant = _constant_columns(
            np.diag(moments.gram), moments.X_mean, moments.sum_weights, n
        )
        # stacklevel: a warning points at the caller of LinearRegression.fit
        factor = None if constant.any() else _gram_factor(moments.gram, solver, stacklevel=4)
        if factor is not None:
            coef = factor.solve(moments.xty)
            # ssr = q - c . coef from the statistics (error ~ eps q / ssr)
            ssr = max(moments.yty - float(moments.xty @ coef), 0.0)
            if factor.rcond < _TRUSTED_RCOND or ssr < _TRUSTED_SSR_FRACTION * moments.yty:
                coef, ssr = _refine(blocks, factor, X_offset, y_offset, coef)
            solution = factor.solution(coef)
    if solution is None:
        zeroed = _constant_columns(np.diag(moments.gram), moments.X_mean, moments.sum_weights, n)
        R_aug = _tsqr_factor(blocks, rows, X_offset, y_offset, zeroed)
        with _warnings_for_the_caller():
            solution = _solve_r(R_aug, n, solver)
        # [A | r] = Q R_aug, so the residual r - A coef is Q (R_aug[:, p] - R_aug[:, :p] coef)
        residual = R_aug[:, p] - R_aug[:, :p] @ solution.coef
        ssr = float(residual @ residual)
    intercept = y_offset - float(X_offset @ solution.coef) if fit_intercept else 0.0
    est._moments = moments  # partial_fit continues from here
    est._set_fit(solution, moments, intercept, ssr, None, None, missing_data_reason=_NO_SAMPLES)
    return est


def _refine(blocks, factor, X_offset, y_offset, coef):
    """One step of iterative refinement from a second pass, and the exact ssr."""
    parts = map_blocks(_block_refinement, blocks, X_offset, y_offset, coef)
    ((correction, ssr),) = compute(tree_reduce(parts, _sum_pairs))
    step = factor.solve(correction)
    # with g = A^T e and G step = g: ||e - A step||^2 = ||e||^2 - step . g
    return coef + step, max(ssr - float(step @ correction), 0.0)


# --- the solve step: Ridge ---------------------------------------------------------------
def fit_ridge(est, X, y, sample_weight):
    """``Ridge.fit`` for a Dask X: (G + alpha I) w = c from one pass; SVD of R as the fallback."""
    alpha = _check_alpha(est.alpha)
    fit_intercept = check_bool(est.fit_intercept, "fit_intercept")
    if est.solver not in _RIDGE_SOLVERS:
        raise ValueError(f"solver={est.solver!r} must be one of {_RIDGE_SOLVERS}")
    blocks = _regression_blocks(est, X, y, sample_weight)
    moments, rows = _sufficient_statistics(blocks, fit_intercept, est.n_features_in_)
    if moments.weighted and not moments.sum_weights > 0:
        raise ValueError("sample_weight must have a positive sum; all weights are zero")
    n, p = moments.nobs, len(moments.X_mean)
    X_offset, y_offset = _offsets(moments)
    w = None
    if est.solver != "svd" and n >= p:
        A = moments.gram.copy()
        A[np.diag_indices_from(A)] += alpha
        with _blas_threads(p**3 / 3):
            w = _spd_solve(A, moments.xty, min_rcond=_MIN_RCOND if est.solver == "auto" else 0.0)
        est.solver_ = "cholesky"
    if w is None:
        if est.solver == "cholesky":
            warnings.warn(
                f"Ridge(solver='cholesky'): the penalised Gram matrix is singular to working "
                f"precision at alpha={alpha!r}; solving by SVD instead",
                IllConditionedWarning,
                stacklevel=3,
            )
        R_aug = _tsqr_factor(blocks, rows, X_offset, y_offset, np.zeros(p, dtype=bool))
        U, s, Vt = _thin_svd(R_aug[:, :p])
        # the in-memory SVD of the n x p design drops s_k <= eps max(n, p) s_max; the p x p
        # R shares its singular values, so the same cutoff is applied here before
        # _svd_coefs (whose own cutoff uses max(p, p))
        keep = s > np.finfo(np.float64).eps * max(n, p) * (s[0] if s.size else 0.0)
        w = _svd_coefs(U[:, keep], s[keep], Vt[keep], R_aug[: U.shape[0], p], [alpha])[0]
        est.solver_ = "svd"
    est.coef_ = w
    est.intercept_ = float(y_offset - X_offset @ w) if fit_intercept else 0.0
    est.n_iter_ = None
    return est


# --- using a fit on Dask data ----------------------------------------------------------------
def predict(est, X):
    """X w + b as a lazy Dask array, one block per row block of X."""
    X = fitted_input(est, X)
    coef = np.asarray(est.coef_)
    if coef.ndim == 1:
        return X.map_blocks(_linear_block, coef, est.intercept_, drop_axis=1, dtype=np.float64)
    return X.map_blocks(
        _linear_block, coef, est.intercept_, chunks=(X.chunks[0], (coef.shape[0],)),
        dtype=np.float64,
    )


def _linear_block(X, coef, intercept):
    return as_matrix(X, "X") @ coef.T + intercept
