"""The lasso and the elastic net, fitted by coordinate descent, and their cross-validation.

ElasticNet minimises

    (1 / (2 * n_samples)) * ||y - Xw - b||^2_2 + alpha * l1_ratio * ||w||_1
    + 0.5 * alpha * (1 - l1_ratio) * ||w||^2_2,

the Lasso is the case l1_ratio = 1. The intercept b is never penalised: the slope is
fitted on centred data and b = ȳ - x̄ · w. Coordinate descent updates one coefficient at
a time by soft thresholding (``soft_threshold``) and stops on the duality gap, exactly
as scikit-learn does, so results are directly comparable (Friedman, Hastie & Tibshirani
2010). The numba kernels live in ``_cd_kernels``, the solvers in ``_cd_solvers``, the
paths and the cross-validated estimators in ``_cd_path`` (re-exported here).
"""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import check_bool, check_random_state
from ..base import RegressorMixin
from ._cd_kernels import soft_threshold
from ._cd_path import ElasticNetCV, LassoCV, enet_path, lasso_path
from ._cd_solvers import (
    check_nonnegative,
    check_precompute,
    check_solver_params,
    check_user_gram,
    convergence_warning,
    gram_work,
    make_solver,
    rescaled_weights,
    solver_mode,
)
from ._linear_base import LinearModel
from ._targets import check_regression_target

__all__ = [
    "ElasticNet", "Lasso", "ElasticNetCV", "LassoCV", "enet_path", "lasso_path", "soft_threshold",
]


class ElasticNet(RegressorMixin, LinearModel):
    """Linear regression with a combined L1 and L2 penalty, by coordinate descent.

    Minimises

        (1 / (2 * n_samples)) * ||y - Xw - b||^2_2 + alpha * l1_ratio * ||w||_1
        + 0.5 * alpha * (1 - l1_ratio) * ||w||^2_2

    over w and the unpenalised intercept b (with sample weights, the squared error is
    their weighted mean, the weights rescaled to sum to n_samples).

    Parameters
    ----------
    alpha : float, default 1.0
        Overall penalty strength, >= 0 (0 is least squares, better solved directly).
    l1_ratio : float in [0, 1], default 0.5
        Share of the L1 penalty: 1 is the lasso, 0 ridge.
    fit_intercept : bool, default True
    precompute : "auto", bool or (n_features, n_features) array_like, default "auto"
        True uses covariance updates on the Gram matrix Xc^T Xc, computed once; False
        residual updates on the columns of X (with a working set); an array is taken as
        that Gram matrix. "auto" uses residual updates and, when n_samples >
        n_features, switches to the Gram matrix once the epochs have cost as much as
        computing it would (slowly converging, correlated designs).
    max_iter : int, default 1000
        Maximum number of epochs (passes over the coordinates).
    tol : float, default 1e-4
        Stop when the duality gap is <= tol * ||y - ȳ||^2 / n_samples; the gap is
        computed after an epoch that moves no coefficient by more than
        tol * max_j |w_j|.
    warm_start : bool, default False
        Start from the previous ``coef_``.
    positive : bool, default False
        Constrain the coefficients to be >= 0.
    random_state : None, int or numpy.random.Generator
        Seed for ``selection="random"``.
    selection : {"cyclic", "random"}, default "cyclic"
        Update the coordinates in order, or draw them uniformly at random.

    Attributes
    ----------
    coef_ : (n_features,) ndarray
    intercept_ : float
    dual_gap_ : float
        Duality gap of the solution, on the scale of the objective.
    n_iter_ : int
        Number of epochs run.
    n_features_in_ : int

    Raises
    ------
    ValueError
        On NaN/inf in X or y, mismatched lengths, negative or all-zero weights, or an
        invalid hyperparameter (quoting it). ``fit`` warns (UserWarning) for alpha=0
        and (ConvergenceWarning, with the gap and its tolerance) when max_iter epochs
        end above the tolerance.

    Notes
    -----
    Each step sets w_j to the minimiser of the objective in w_j alone,
    w_j = S(x_j . (r + w_j x_j), n alpha l1_ratio) / (||x_j||^2 + n alpha (1 - l1_ratio)),
    S the soft-thresholding operator and r the residual of the centred data (see
    ``_cd_kernels``). With residual updates, epochs run over a working set (glmnet's
    active-set strategy, see ``_cd_solvers``) and ``n_iter_`` counts those epochs; the
    objective and the stopping rule are unchanged.

    References
    ----------
    Zou & Hastie, "Regularization and variable selection via the elastic net",
    J. R. Stat. Soc. B 67 (2005). Friedman, Hastie & Tibshirani, J. Stat. Softw. 33(1)
    (2010).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-1.0], [0.0], [1.0]])
    >>> enet = ElasticNet(alpha=0.1, l1_ratio=0.5, tol=1e-10).fit(X, [-1.0, 0.0, 1.0])
    >>> # one feature: w = (x.y - n alpha l1_ratio) / (x.x + n alpha (1 - l1_ratio))
    >>> bool(np.isclose(enet.coef_[0], (2 - 0.15) / (2 + 0.15))), float(enet.intercept_)
    (True, 0.0)
    """

    def __init__(self, alpha=1.0, *, l1_ratio=0.5, fit_intercept=True, precompute="auto",
                 max_iter=1000, tol=1e-4, warm_start=False, positive=False, random_state=None,
                 selection="cyclic"):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def _l1_ratio(self):
        return self.l1_ratio

    @property
    def sparse_coef_(self):
        """``coef_`` as a (1, n_features) scipy.sparse CSR matrix."""
        import scipy.sparse

        return scipy.sparse.csr_matrix(np.atleast_2d(self.coef_))

    def fit(self, X, y, sample_weight=None):
        """Fit the coefficients and intercept. Returns self.

        Parameters
        ----------
        X : (n_samples, n_features) array_like
        y : (n_samples,) array_like
        sample_weight : float or (n_samples,) array_like, optional
            Non-negative weights, rescaled internally to sum to n_samples.
        """
        alpha = check_nonnegative(self.alpha, "alpha")
        l1_ratio, max_iter, tol = check_solver_params(
            l1_ratio=self._l1_ratio(), max_iter=self.max_iter, tol=self.tol,
            selection=self.selection, positive=self.positive,
        )
        fit_intercept = check_bool(self.fit_intercept, "fit_intercept")
        warm_start = check_bool(self.warm_start, "warm_start")
        if alpha == 0:
            warnings.warn(
                "With alpha=0, this is least squares, on which coordinate descent "
                "converges slowly; LinearRegression solves it directly",
                UserWarning,
                stacklevel=2,
            )
        previous = getattr(self, "coef_", None) if warm_start else None
        X = self._validate_data(X, reset=True, finite=False)  # checked by make_solver
        n_samples, n_features = X.shape
        y = check_regression_target(y, n_samples, estimator=type(self).__name__, stacklevel=3)
        sw = rescaled_weights(sample_weight, n_samples)
        precompute = check_precompute(self.precompute, n_features)
        if previous is not None and np.shape(previous) == (n_features,):
            w = np.array(previous, dtype=np.float64)
        else:
            w = np.zeros(n_features)
        gram = None
        if isinstance(precompute, np.ndarray):
            gram = check_user_gram(precompute, X, sw, fit_intercept, stacklevel=2)
            precompute = True if gram is None else gram
        mode = solver_mode(precompute, n_samples, n_features, path=False)
        solver, x_offset, y_offset = make_solver(X, y, sw, fit_intercept, mode == "gram", w, gram=gram)
        # the kernels minimise n_samples times the objective above
        l1, l2 = alpha * l1_ratio * n_samples, alpha * (1.0 - l1_ratio) * n_samples
        options = dict(tol=tol, positive=bool(self.positive), random=self.selection == "random",
                       rng=check_random_state(self.random_state))
        if mode == "adaptive":
            result = solver.solve(w, l1, l2, max_iter=max_iter, work_limit=gram_work(n_features),
                                  **options)
            if result.over_budget:
                solver, _, _ = make_solver(X, y, sw, fit_intercept, True, w)
                rest = solver.solve(w, l1, l2, max_iter=max_iter - result.n_iter, **options)
                result = rest._replace(n_iter=result.n_iter + rest.n_iter)
        else:
            result = solver.solve(w, l1, l2, max_iter=max_iter, **options)
        gap, gap_tol, n_iter, _ = result
        if gap > gap_tol:
            convergence_warning(gap, gap_tol, n_samples, max_iter, stacklevel=3)
        intercept = float(y_offset - x_offset @ w)
        if not (np.isfinite(w).all() and np.isfinite(intercept)):
            raise ValueError(
                "coordinate descent produced non-finite coefficients; X or y holds values "
                "so large that the computation overflows: rescale them"
            )
        self.coef_ = w
        self.intercept_ = intercept
        self.dual_gap_ = float(gap / n_samples)
        self.n_iter_ = int(n_iter)
        return self


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty (the lasso), by coordinate descent.

    Minimises

        (1 / (2 * n_samples)) * ||y - Xw - b||^2_2 + alpha * ||w||_1

    over w and the unpenalised intercept b: ElasticNet with l1_ratio = 1. Parameters,
    attributes and stopping rule are those of :class:`ElasticNet`.

    References
    ----------
    Tibshirani, "Regression shrinkage and selection via the lasso", J. R. Stat. Soc. B
    58 (1996). Friedman, Hastie & Tibshirani, J. Stat. Softw. 33(1) (2010).

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.array([[-1.0], [0.0], [1.0]]), np.array([-1.0, 0.0, 1.0])
    >>> [round(float(Lasso(alpha=a).fit(X, y).coef_[0]), 10) for a in (0.1, 0.5, 1.0)]
    [0.85, 0.25, 0.0]
    """

    def __init__(self, alpha=1.0, *, fit_intercept=True, precompute="auto", max_iter=1000,
                 tol=1e-4, warm_start=False, positive=False, random_state=None,
                 selection="cyclic"):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def _l1_ratio(self):
        return 1.0


