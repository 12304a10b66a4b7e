"""Ordinary and weighted least squares, fitted in one batch or online, with inference.

The weighted least-squares coefficients minimise

    sum_i w_i (y_i - b - x_i . beta)^2.

Centring by the weighted means (see ``_linear_base``) gives b = ybar - xbar . beta and
leaves the slopes as the least-squares solution of A beta ~ r, with A = W^{1/2}(X - xbar)
and r = W^{1/2}(y - ybar). Three ways to solve it (Golub & Van Loan 2013, §5.3-5.5):

- normal equations: G beta = c with G = A^T A, c = A^T r, by Cholesky. One pass over X
  builds G and c, then everything costs O(p^3); but G has condition number kappa(A)^2.
- QR: A = Q R, so beta = R^{-1} Q^T r, with errors of order eps kappa(A). Factoring
  [A | r] gives Q^T r and the residual norm in the same pass.
- SVD: A = U S V^T; with the singular values below a cutoff set to zero, beta =
  V S^+ U^T r is the minimum-norm solution, the answer for a rank-deficient A.

Standard errors need (Z^T W Z)^{-1} for the design Z = [1, X]; by the Schur complement
of the intercept block, with M = G^{-1},

    (Z^T W Z)^{-1} = [[1/S + xbar^T M xbar, -(M xbar)^T], [-M xbar, M]],   S = sum_i w_i,

so every path only needs a factor F with F F^T = M: D^{-1} R_G^{-1} from Cholesky, R^{-1}
from QR, V S^{-1} from the SVD.

References
----------
G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., Johns Hopkins (2013),
§5.3 (full-rank least squares), §5.5 (rank-deficient problems).
Å. Björck, *Numerical Methods for Least Squares Problems*, SIAM (1996), ch. 2 (normal
and semi-normal equations, iterative refinement).
T. F. Chan, G. H. Golub and R. J. LeVeque, "Updating formulae and a pairwise algorithm
for computing sample variances", Stanford report STAN-CS-79-773 (1979).
"""

from __future__ import annotations

import numpy as np

from .. import _dask
from .._dask import is_dask_collection
from .._validation import check_bool, check_finite, check_sample_weight
from ..base import RegressorMixin
from ._least_squares import (
    _augmented_r,
    _constant_columns,
    _gram_factor,
    _Moments,
    _normal_residual,
    _solve_moments,
    _solve_r,
)
from ._linear_base import LinearModel, centered_gram, data_offsets
from ._targets import check_regression_target
from .ols_results import OLSResults

__all__ = ["LinearRegression"]

_SOLVERS = ("auto", "cholesky", "qr", "svd")


class LinearRegression(RegressorMixin, LinearModel):
    """Ordinary (or weighted) least squares with standard errors, t, p, R², F and AIC.

    Minimises sum_i sample_weight_i (y_i - intercept - x_i . coef)^2 (all weights 1 by
    default), as ``sklearn.linear_model.LinearRegression``; ``results_`` gives the
    inference of ``statsmodels`` ``OLS``/``WLS`` for the same fit.

    Parameters
    ----------
    fit_intercept : bool, default True
        Fit an intercept b (never constrained); False fits a line through the origin.
    solver : {"auto", "cholesky", "qr", "svd"}, default "auto"
        - "cholesky": the normal equations G coef = c from one pass over X (G = A^T A
          of the centred, sqrt(weight)-scaled data A), by Cholesky after scaling G to a
          unit diagonal, then one step of iterative refinement with residuals computed
          from X. The fastest. An ill-conditioned G warns (``IllConditionedWarning``):
          standard errors lose ~log10(cond G) digits. A G singular to working precision
          warns and is solved as "qr" would.
        - "qr": Householder QR of [A | r]; errors of order eps cond(A). A rank-deficient
          A warns (``IllConditionedWarning``) and gets the minimum-norm solution of "svd".
        - "svd": the same QR, then the SVD of its p x p factor R (the SVD of A); the
          minimum-norm solution, singular values below max(n, p) eps s_max ignored.
        - "auto": "cholesky" when G is well-conditioned (estimated reciprocal condition
          number >= 1e-5, so speed costs no accuracy), else "qr", or "svd" when A is
          rank deficient.

    Attributes
    ----------
    coef_ : (n_features,) ndarray
        The slopes beta.
    intercept_ : float
        b = ybar - xbar . coef_ (0.0 when ``fit_intercept=False``).
    rank_ : int
        Numerical rank of the centred, weighted design A.
    singular_ : (min(n_samples, n_features),) ndarray
        Singular values of A, decreasing.
    results_ : OLSResults
        Inference: params (intercept first), bse, tvalues, pvalues, conf_int(),
        rsquared, fvalue, llf, aic, bic, resid, summary()...
    n_features_in_ : int
    feature_names_in_ : (n_features_in_,) ndarray of str
        Only when X was a DataFrame with string column names.

    Notes
    -----
    ``partial_fit`` keeps mergeable sufficient statistics: the count, the sum of the
    weights S, the weighted means xbar, ybar and the centred cross-products G = sum_i
    w_i (x_i - xbar)(x_i - xbar)^T, c, q = sum_i w_i (y_i - ybar)^2. Batches A and B
    combine exactly (Chan, Golub & LeVeque 1979): with d = xbar_B - xbar_A,

        S = S_A + S_B,  xbar = xbar_A + d S_B / S,  G = G_A + G_B + (S_A S_B / S) d d^T,

    and likewise for c and q, so any order of batches gives the batch fit's answer;
    centring each batch before merging keeps the digits that X^T X - S xbar xbar^T
    would cancel. From G alone, "qr" and "cholesky" both use the Cholesky factor of G
    (which is QR's R) and "svd" its eigendecomposition (V and S^2); there are no
    samples to refine with, so accuracy is that of the normal equations (errors of
    order eps cond(A)^2), and ``results_.resid``/``fittedvalues`` are unavailable.
    ``fit`` resets the statistics; ``partial_fit`` after ``fit`` adds to them.

    Without an intercept, R² is uncentred unless X has a constant non-zero column, as
    in statsmodels (which also detects implicit constants such as a full set of
    dummies; this estimator does not). In a rank-deficient problem coef_ is the
    minimum-norm slope vector of scikit-learn (the intercept is not in the norm, while
    statsmodels' pseudo-inverse includes it, so there the two give different params)
    and ``results_.cov_params()`` uses the pseudo-inverse of G, the covariance of this
    estimator. A column whose centred norm is below max(n, p) eps times its norm is
    constant up to rounding: its coefficient is 0, as for an exactly constant column.

    Data larger than memory: a ``dask.array.Array`` or ``dask.dataframe`` X (y and
    sample_weight Dask or NumPy) is fitted out of core. One pass builds the statistics
    of ``partial_fit`` on the workers, block by block, and merges them by a tree
    reduction; the client solves with the code above: Cholesky of G, or, where "auto"
    would leave it (and for "qr"/"svd"), ``_solve_r`` on the R factor of a tall-skinny
    QR (``dask.array.linalg.tsqr``) of the centred, weighted [A | r], a second pass. A
    second pass also makes the refinement step when the one-pass answer could differ
    from the in-memory one by more than ~1e-12 (G with reciprocal condition number
    below 1e-3, or R² above 0.999). The fit equals the in-memory fit to ~1e-10;
    ``coef_`` and ``results_`` are NumPy, ``predict`` of a Dask X is a lazy Dask array,
    and ``results_.resid`` is not kept (the samples stay on the workers).

    Deliberate difference from scikit-learn: its ``tol=1e-6`` treats singular values
    below 1e-6 s_max as zero, so an ill-conditioned but full-rank design (say a 50 x 12
    Vandermonde matrix) gets a truncated solution; here only those below
    max(n, p) eps s_max are, as in ``numpy.linalg.lstsq``.

    References
    ----------
    Golub & Van Loan (2013), §5.3-5.5; Björck (1996), ch. 2; Chan, Golub & LeVeque (1979).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.models import LinearRegression
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0], [5.0]])
    >>> y = np.array([2.1, 4.2, 6.1, 7.9, 10.2])
    >>> model = LinearRegression().fit(X, y)
    >>> round(model.intercept_, 10), np.round(model.coef_, 10)
    (0.13, array([1.99]))
    >>> bool(np.allclose(model.results_.params, np.linalg.lstsq(np.c_[np.ones(5), X], y)[0]))
    True
    """

    def __init__(self, *, fit_intercept=True, solver="auto"):
        self.fit_intercept = fit_intercept
        self.solver = solver

    # --- fitting -------------------------------------------------------------------------------
    def fit(self, X, y, sample_weight=None):
        """Least-squares fit of y on X. Returns self.

        Parameters
        ----------
        X : (n_samples, n_features) array_like, Dask array or Dask DataFrame
        y : (n_samples,) array_like or Dask array / Series
        sample_weight : (n_samples,) array_like, float or None
            Non-negative weights w_i (WLS); None gives every sample weight 1.
        """
        if is_dask_collection(X):
            return _dask.linear.fit_linear_regression(self, X, y, sample_weight)
        fit_intercept, solver = self._check_params()
        self.__dict__.pop("_moments", None)  # fit starts afresh, partial_fit continues
        X, y, w = self._check_data(X, y, sample_weight, reset=True)
        if w is not None and not w.sum() > 0:
            raise ValueError(
                "sample_weight sums to zero (every weight is zero): at least one sample needs a "
                "positive weight"
            )
        n, p = X.shape
        solution = None
        if solver == "cholesky" or (solver == "auto" and n - fit_intercept >= p):
            cg = centered_gram(X, y, w, fit_intercept)
            constant = _constant_columns(np.diag(cg.gram), cg.X_offset, cg.sum_weights, n)
            factor = None if constant.any() else _gram_factor(cg.gram, solver)
            if factor is not None:
                coef = factor.solve(cg.xty)
                # one step of iterative refinement, the residual computed from X itself
                correction = _normal_residual(X, y, w, cg.X_offset, cg.y_offset, coef)
                coef = coef + factor.solve(correction)
                solution = factor.solution(coef)
            X_offset, y_offset = cg.X_offset, cg.y_offset
            gram, xty, yty = cg.gram, cg.xty, cg.yty
        else:
            check_finite(X, "X")
            X_offset, y_offset = data_offsets(X, y, w, fit_intercept)
        if solution is None:
            R_aug = _augmented_r(X, y, w, X_offset, y_offset)
            solution = _solve_r(R_aug, n, solver)
            gram_aug = R_aug.T @ R_aug  # [[G, c], [c^T, q]], for a later partial_fit
            gram, xty, yty = gram_aug[:p, :p], gram_aug[:p, p], float(gram_aug[p, p])
        moments = _Moments.from_fit(X, y, w, fit_intercept, X_offset, y_offset, gram, xty, yty)
        self._moments = moments  # partial_fit continues from here
        intercept = y_offset - float(X_offset @ solution.coef) if fit_intercept else 0.0
        fitted = X @ solution.coef + intercept
        resid = y - fitted
        ssr = float(resid @ resid) if w is None else float(w @ (resid * resid))
        self._set_fit(solution, moments, intercept, ssr, fitted, resid)
        return self

    def partial_fit(self, X, y, sample_weight=None):
        """Add one batch of samples to the fit (online least squares). Returns self.

        Parameters
        ----------
        X, y, sample_weight
            As in :meth:`fit`; X must have the features of the earlier batches.
        """
        fit_intercept, solver = self._check_params()
        first = not hasattr(self, "_moments")
        if not first and self._moments.centered != fit_intercept:
            raise ValueError(
                f"fit_intercept={fit_intercept} but the statistics so far were accumulated with "
                f"fit_intercept={self._moments.centered}; call fit() to start again"
            )
        X, y, w = self._check_data(X, y, sample_weight, reset=first)
        batch = _Moments.from_batch(X, y, w, fit_intercept)
        moments = batch if first else self._moments.merge(batch)
        if not moments.sum_weights > 0:
            raise ValueError(
                "sample_weight sums to zero over every batch seen so far: nothing to fit yet"
            )
        solution = _solve_moments(moments, solver)
        # ssr = q - c . coef: the Gram leaves no residuals to sum (error ~ eps q / ssr)
        ssr = max(moments.yty - float(moments.xty @ solution.coef), 0.0)
        intercept = moments.y_mean - float(moments.X_mean @ solution.coef) if fit_intercept else 0.0
        self._moments = moments
        self._set_fit(solution, moments, intercept, ssr, None, None)
        return self

    # --- helpers -------------------------------------------------------------------------------
    def _check_params(self):
        fit_intercept = check_bool(self.fit_intercept, "fit_intercept")
        if not isinstance(self.solver, str) or self.solver not in _SOLVERS:
            choices = ", ".join(map(repr, _SOLVERS))
            raise ValueError(f"solver={self.solver!r} is not one of {choices}")
        return fit_intercept, self.solver

    def _check_data(self, X, y, sample_weight, reset):
        # finiteness of X is checked later, on its Gram matrix (one pass fewer)
        X = self._validate_data(X, reset=reset, finite=False)
        y = check_regression_target(y, X.shape[0], estimator=type(self).__name__, stacklevel=4)
        return X, y, check_sample_weight(sample_weight, X.shape[0])

    def _set_fit(self, solution, moments, intercept, ssr, fitted, resid, missing_data_reason=None):
        fit_intercept = moments.centered
        self.coef_ = solution.coef
        self.intercept_ = float(intercept)
        self.rank_ = solution.rank
        self.singular_ = solution.singular[: min(moments.nobs, len(solution.coef))]
        names = getattr(self, "feature_names_in_", None)
        names = [f"x{j + 1}" for j in range(len(self.coef_))] if names is None else list(names)
        F = solution.cov_root
        if fit_intercept:
            # Schur complement of the intercept block (module docstring)
            params = np.concatenate([[self.intercept_], self.coef_])
            top = np.concatenate([[1.0 / np.sqrt(moments.sum_weights)], -(moments.X_mean @ F)])
            cov_root = np.vstack([top, np.hstack([np.zeros((F.shape[0], 1)), F])])
            names = ["const", *names]
            k_constant = 1
        else:
            params, cov_root = self.coef_.copy(), F
            k_constant = int(moments.has_constant_column())
        self.results_ = OLSResults(
            params,
            cov_root,
            nobs=moments.nobs,
            rank=solution.rank + fit_intercept,
            k_constant=k_constant,
            ssr=ssr,
            centered_tss=moments.y_css,
            uncentered_tss=moments.y_css + moments.sum_weights * moments.y_mean**2,
            sum_log_weights=moments.sum_log_weights,
            fittedvalues=fitted,
            resid=resid,
            param_names=names,
            weighted=moments.weighted,
            missing_data_reason=missing_data_reason or (
                "the model was fitted by partial_fit, which keeps sufficient statistics but "
                "no per-sample data; fit(X, y) gives residuals and fitted values"
            ),
        )
