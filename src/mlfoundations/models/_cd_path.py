"""The regularisation paths of the elastic net and the lasso, and their cross-validation.

The path functions follow scikit-learn's ``enet_path``/``lasso_path``: no intercept,
no centring, alphas from alpha_max = max_j |x_j . y| / (n l1_ratio) down to
eps * alpha_max, each solve warm-started from the previous solution (Friedman, Hastie &
Tibshirani 2010, §2.5). ``LassoCV``/``ElasticNetCV`` fit such a path, with centring,
on each training fold and keep the alpha of least mean test error.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import as_matrix, as_vector, check_bool, check_random_state, check_sample_weight
from ..base import RegressorMixin
from ._cd_solvers import (
    alpha_grid,
    check_alphas,
    check_nonnegative,
    check_precompute,
    check_solver_params,
    check_user_gram,
    make_solver,
    rescaled_weights,
    run_path,
    solver_mode,
)
from ._cv import cv_splits
from ._linear_base import LinearModel
from ._targets import check_regression_target

__all__ = ["enet_path", "lasso_path", "LassoCV", "ElasticNetCV"]


def enet_path(X, y, *, l1_ratio=0.5, eps=1e-3, n_alphas=100, alphas=None, precompute="auto",
              Xy=None, coef_init=None, max_iter=1000, tol=1e-4, positive=False,
              selection="cyclic", random_state=None, return_n_iter=False):
    """Elastic-net coefficients along a decreasing grid of penalties, warm-started.

    For each alpha, minimises (no intercept, X and y used as given)

        (1 / (2 * n_samples)) * ||y - Xw||^2_2 + alpha * l1_ratio * ||w||_1
        + 0.5 * alpha * (1 - l1_ratio) * ||w||^2_2

    by coordinate descent, starting from the previous alpha's solution.

    Parameters
    ----------
    X : (n_samples, n_features) array_like
    y : (n_samples,) array_like
    l1_ratio : float in [0, 1], default 0.5
        Share of the L1 penalty (1 is the lasso).
    eps : float, default 1e-3
        alpha_min / alpha_max of the automatic grid.
    n_alphas : int, default 100
        Size of the automatic grid.
    alphas : None, int or (n_alphas,) array_like, default None
        Explicit penalties (sorted in decreasing order), or the grid size.
    precompute : "auto", bool or (n_features, n_features) array_like, default "auto"
        Use the Gram matrix X^T X (covariance updates); "auto" does when
        n_samples > n_features. An array is taken as X^T X.
    Xy : (n_features,) array_like, optional
        X^T y, when the Gram matrix is used.
    coef_init : (n_features,) array_like, optional
        Start of the first solve (zeros by default).
    max_iter : int, default 1000
        Maximum number of epochs per alpha.
    tol : float, default 1e-4
        Stop when the duality gap is <= tol * ||y||^2 / n_samples, checked after an
        epoch that moves no coefficient by more than tol * max|w|.
    positive : bool, default False
        Constrain the coefficients to be >= 0.
    selection : {"cyclic", "random"}, default "cyclic"
    random_state : None, int or numpy.random.Generator
        Seed for ``selection="random"``.
    return_n_iter : bool, default False
        Also return the number of epochs of each solve.

    Returns
    -------
    alphas : (n_alphas,) ndarray
        Decreasing penalties.
    coefs : (n_features, n_alphas) ndarray
    dual_gaps : (n_alphas,) ndarray
        Duality gap of each solution (on the scale of the objective above).
    n_iters : list of int
        Only when ``return_n_iter``.

    Raises
    ------
    ValueError
        On NaN/inf in X or y, mismatched lengths or an invalid hyperparameter.

    Notes
    -----
    The grid starts at alpha_max = max_j |x_j . y| / (n_samples * l1_ratio), the
    smallest penalty for which w = 0 satisfies the optimality conditions, and is
    geometric down to eps * alpha_max (scikit-learn's rule, so the grids coincide).

    References
    ----------
    Friedman, Hastie & Tibshirani, "Regularization paths for generalized linear models
    via coordinate descent", J. Stat. Softw. 33(1) (2010).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> alphas, coefs, gaps = enet_path(X, [1.0, 2.0, 3.0], l1_ratio=0.5, n_alphas=3)
    >>> coefs.shape, bool(np.all(np.diff(alphas) < 0)), bool(np.all(coefs[:, 0] == 0))
    ((2, 3), True, True)
    """
    return _path(
        X, y, l1_ratio=l1_ratio, eps=eps, n_alphas=n_alphas, alphas=alphas, precompute=precompute,
        Xy=Xy, coef_init=coef_init, max_iter=max_iter, tol=tol, positive=positive,
        selection=selection, random_state=random_state, return_n_iter=return_n_iter, stacklevel=3,
    )


def _path(X, y, *, l1_ratio, eps, n_alphas, alphas, precompute, Xy, coef_init, max_iter, tol,
          positive, selection, random_state, return_n_iter, stacklevel):
    """``enet_path``; ``stacklevel`` points warnings at the user's call (1 = here)."""
    l1_ratio, max_iter, tol = check_solver_params(
        l1_ratio=l1_ratio, max_iter=max_iter, tol=tol, selection=selection, positive=positive
    )
    if not (isinstance(eps, numbers.Real) and eps > 0):
        raise ValueError(f"eps={eps!r} must be > 0")
    X = as_matrix(X, "X", min_rows=1, min_cols=1, finite=False)  # checked by make_solver
    y = check_regression_target(y, X.shape[0], estimator="enet_path", stacklevel=stacklevel + 1)
    n_samples, n_features = X.shape
    precompute = check_precompute(precompute, n_features)
    grid_size, alphas = check_alphas(alphas, n_alphas)
    if Xy is not None:
        Xy = as_vector(Xy, "Xy")
        if Xy.shape[0] != n_features:
            raise ValueError(f"Xy must have {n_features} entries (X^T y), got {Xy.shape[0]}")
    w = np.zeros(n_features) if coef_init is None else as_vector(coef_init, "coef_init", copy=True)
    if w.shape[0] != n_features:
        raise ValueError(f"coef_init must have {n_features} entries, got {w.shape[0]}")
    use_gram = solver_mode(precompute, n_samples, n_features, path=True) == "gram"
    gram = None
    if isinstance(precompute, np.ndarray):
        gram = check_user_gram(precompute, X, None, False, stacklevel=stacklevel)
    solver, _, _ = make_solver(X, y, None, False, use_gram, w, gram=gram, xty=Xy)
    if alphas is None:
        Xy = solver.xty if use_gram else X.T @ y
        alphas = alpha_grid(X, y, l1_ratio=l1_ratio, fit_intercept=False, eps=eps,
                            n_alphas=grid_size, positive=positive, Xy=Xy)
    coefs, gaps, n_iters = run_path(
        solver, alphas, l1_ratio, n_samples, w, max_iter=max_iter, tol=tol, positive=bool(positive),
        random=selection == "random", rng=check_random_state(random_state),
        stacklevel=stacklevel + 1,
    )
    if return_n_iter:
        return alphas, coefs, gaps, n_iters
    return alphas, coefs, gaps


def lasso_path(X, y, *, eps=1e-3, n_alphas=100, alphas=None, precompute="auto", Xy=None,
               coef_init=None, max_iter=1000, tol=1e-4, positive=False, selection="cyclic",
               random_state=None, return_n_iter=False):
    """Lasso coefficients along a decreasing grid of penalties: ``enet_path`` with l1_ratio=1.

    For each alpha, minimises (no intercept, X and y used as given)

        (1 / (2 * n_samples)) * ||y - Xw||^2_2 + alpha * ||w||_1.

    Parameters and returns are those of :func:`enet_path`.

    References
    ----------
    Tibshirani, "Regression shrinkage and selection via the lasso", J. R. Stat. Soc. B
    58 (1996). Friedman, Hastie & Tibshirani, J. Stat. Softw. 33(1) (2010).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-1.0], [0.0], [1.0]])
    >>> alphas, coefs, gaps = lasso_path(X, [-1.0, 0.0, 1.0], alphas=[0.1, 0.5, 1.0])
    >>> alphas.tolist(), np.round(coefs, 12).tolist()
    ([1.0, 0.5, 0.1], [[0.0, 0.25, 0.85]])
    """
    return _path(
        X, y, l1_ratio=1.0, eps=eps, n_alphas=n_alphas, alphas=alphas, precompute=precompute,
        Xy=Xy, coef_init=coef_init, max_iter=max_iter, tol=tol, positive=positive,
        selection=selection, random_state=random_state, return_n_iter=return_n_iter, stacklevel=3,
    )


# --- cross-validation ----------------------------------------------------------------------
def _fold_mse(X, y, sample_weight, train, test, alphas, l1_ratio, params):
    """Mean squared test error of the path fitted on the training rows, one per alpha."""
    X_train, y_train = X[train], y[train]
    sw_train = None if sample_weight is None else rescaled_weights(sample_weight[train], len(train))
    n_train, n_features = X_train.shape
    w = np.zeros(n_features)
    use_gram = solver_mode(params["precompute"], n_train, n_features, path=True) == "gram"
    solver, x_offset, y_offset = make_solver(X_train, y_train, sw_train, params["fit_intercept"],
                                             use_gram, w)
    coefs, _, _ = run_path(
        solver, alphas, l1_ratio, n_train, w, max_iter=params["max_iter"], tol=params["tol"],
        positive=params["positive"], random=params["random"], rng=params["rng"], stacklevel=4,
    )
    intercepts = y_offset - x_offset @ coefs
    residuals = X[test] @ coefs + intercepts - y[test][:, None]
    weights = None if sample_weight is None else sample_weight[test]
    return np.average(residuals**2, axis=0, weights=weights)


class _CoordinateDescentCV(RegressorMixin, LinearModel):
    """K-fold choice of alpha (and l1_ratio) on a path of penalties, then a refit."""

    def _l1_ratios(self) -> np.ndarray:
        raise NotImplementedError

    def _estimator(self, alpha, l1_ratio):
        raise NotImplementedError

    def _record_l1_ratio(self, l1_ratio: float) -> None:
        """ElasticNetCV keeps the chosen ratio as ``l1_ratio_``; LassoCV has none."""

    def fit(self, X, y, sample_weight=None):
        """Choose the penalty by cross-validation and refit on all of X. Returns self.

        Parameters
        ----------
        X : (n_samples, n_features) array_like
        y : (n_samples,) array_like
        sample_weight : float or (n_samples,) array_like, optional
            Weights of the training losses (rescaled to sum to each training fold's size)
            and of each test fold's mean squared error.
        """
        l1_ratios = self._l1_ratios()
        for l1_ratio in l1_ratios:
            check_solver_params(l1_ratio=l1_ratio, max_iter=self.max_iter, tol=self.tol,
                                selection=self.selection, positive=self.positive)
        _, max_iter, tol = check_solver_params(
            l1_ratio=1.0, max_iter=self.max_iter, tol=self.tol, selection=self.selection,
            positive=self.positive,
        )
        fit_intercept = check_bool(self.fit_intercept, "fit_intercept")
        if not (isinstance(self.eps, numbers.Real) and self.eps > 0):
            raise ValueError(f"eps={self.eps!r} must be > 0")
        X = self._validate_data(X, reset=True)
        n_samples, n_features = X.shape
        y = check_regression_target(y, n_samples, estimator=type(self).__name__, stacklevel=3)
        precompute = check_precompute(self.precompute, n_features)
        if isinstance(precompute, np.ndarray):
            raise ValueError("precompute: a Gram matrix cannot be shared by the folds; use 'auto', True or False")
        if sample_weight is not None and not isinstance(sample_weight, numbers.Real):
            sample_weight = check_sample_weight(sample_weight, n_samples)
            if not sample_weight.sum() > 0:
                raise ValueError("sample_weight must have a positive sum; all weights are zero")
        else:
            rescaled_weights(sample_weight, n_samples)
            sample_weight = None
        grid_size, given = check_alphas(self.alphas, self.n_alphas)
        if given is None:
            grids = np.array([
                alpha_grid(X, y, l1_ratio=r, fit_intercept=fit_intercept, eps=self.eps,
                           n_alphas=grid_size, sample_weight=sample_weight, positive=self.positive)
                for r in l1_ratios
            ])
        else:
            grids = np.tile(given, (len(l1_ratios), 1))
        folds = cv_splits(5 if self.cv is None else self.cv, X, y)
        params = dict(precompute=precompute, fit_intercept=fit_intercept, max_iter=max_iter,
                      tol=tol, positive=bool(self.positive), random=self.selection == "random",
                      rng=check_random_state(self.random_state))
        mse = np.empty((len(l1_ratios), len(folds), grids.shape[1]))
        for i, (l1_ratio, grid) in enumerate(zip(l1_ratios, grids)):
            for k, (train, test) in enumerate(folds):
                mse[i, k] = _fold_mse(X, y, sample_weight, train, test, grid, l1_ratio, params)
        mean_mse = mse.mean(axis=1)
        best_ratio, best_alpha = np.unravel_index(np.argmin(mean_mse), mean_mse.shape)
        self.alpha_ = float(grids[best_ratio, best_alpha])
        self.mse_path_ = np.squeeze(np.moveaxis(mse, 2, 1))
        self.alphas_ = np.squeeze(grids) if given is None else given
        model = self._estimator(self.alpha_, l1_ratios[best_ratio]).fit(
            X, y, sample_weight=sample_weight
        )
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        self.dual_gap_ = model.dual_gap_
        self.n_iter_ = model.n_iter_
        self._record_l1_ratio(float(l1_ratios[best_ratio]))
        return self


class LassoCV(_CoordinateDescentCV):
    """Lasso with its penalty chosen by K-fold cross-validation along a path.

    For each fold, :func:`lasso_path` (with the fold's own centring) is fitted on the
    training rows over a common grid of alphas, and the mean squared error measured on
    the held-out rows; ``alpha_`` minimises the mean over folds, and the Lasso is refit
    with it on all the data. The objective is that of :class:`Lasso`,

        (1 / (2 * n_samples)) * ||y - Xw - b||^2_2 + alpha * ||w||_1.

    Parameters
    ----------
    eps : float, default 1e-3
        alpha_min / alpha_max of the grid.
    n_alphas : int, default 100
        Size of the grid.
    alphas : None, int or array_like, default None
        Explicit penalties, or the grid size (overriding ``n_alphas``).
    fit_intercept : bool, default True
    precompute : "auto" or bool, default "auto"
        As in :class:`Lasso`; the paths of the folds take the Gram matrix in "auto" mode
        when n_train > n_features.
    max_iter, tol, positive, random_state, selection :
        As in :class:`Lasso`.
    cv : None, int, splitter or iterable, default None
        None is 5 contiguous folds (no shuffling), an int k is k such folds; an object
        with ``split(X, y)`` or an iterable of (train, test) indices is used as is.
    n_jobs : None
        Accepted for compatibility; the folds run one after the other.

    Attributes
    ----------
    alpha_ : float
        The chosen penalty.
    alphas_ : (n_alphas,) ndarray
        The grid, decreasing. Without explicit alphas it runs from
        alpha_max = max_j |xc_j . W yc| / sum(W), computed on all the data, down to
        eps * alpha_max (scikit-learn's rule, so the grids coincide).
    mse_path_ : (n_alphas, n_folds) ndarray
        Test mean squared error of each alpha on each fold.
    coef_, intercept_, dual_gap_, n_iter_ :
        Those of the refit Lasso.

    References
    ----------
    Friedman, Hastie & Tibshirani, J. Stat. Softw. 33(1) (2010); Hastie, Tibshirani &
    Friedman, *The Elements of Statistical Learning*, 2nd ed. (2009), §7.10.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 5))
    >>> y = X @ np.array([2.0, 0.0, 0.0, -1.0, 0.0]) + 0.1 * rng.normal(size=60)
    >>> model = LassoCV(cv=3).fit(X, y)
    >>> model.mse_path_.shape, bool(model.alpha_ in model.alphas_)
    ((100, 3), True)
    """

    def __init__(self, *, eps=1e-3, n_alphas=100, alphas=None, fit_intercept=True,
                 precompute="auto", max_iter=1000, tol=1e-4, cv=None, n_jobs=None,
                 positive=False, random_state=None, selection="cyclic"):
        self.eps = eps
        self.n_alphas = n_alphas
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def _l1_ratios(self):
        return np.array([1.0])

    def _estimator(self, alpha, l1_ratio):
        from .coordinate_descent import Lasso  # the estimators import this module

        return Lasso(alpha, fit_intercept=self.fit_intercept, precompute=self.precompute,
                     max_iter=self.max_iter, tol=self.tol, positive=self.positive,
                     random_state=self.random_state, selection=self.selection)



class ElasticNetCV(_CoordinateDescentCV):
    """Elastic net with alpha (and l1_ratio) chosen by K-fold cross-validation.

    As :class:`LassoCV`, for the objective of :class:`ElasticNet`,

        (1 / (2 * n_samples)) * ||y - Xw - b||^2_2 + alpha * l1_ratio * ||w||_1
        + 0.5 * alpha * (1 - l1_ratio) * ||w||^2_2;

    ``l1_ratio`` may be a list, each value with its own grid of alphas (alpha_max
    divides by l1_ratio), and the pair of least mean test error is kept.

    Parameters
    ----------
    l1_ratio : float or list of float in (0, 1], default 0.5
        A ratio of 0 needs explicit ``alphas``.
    eps, n_alphas, alphas, fit_intercept, precompute, max_iter, tol, cv, n_jobs, positive,
    random_state, selection :
        As in :class:`LassoCV`.

    Attributes
    ----------
    alpha_, l1_ratio_ : float
        The chosen pair.
    alphas_ : (n_l1_ratio, n_alphas) or (n_alphas,) ndarray
    mse_path_ : (n_l1_ratio, n_alphas, n_folds) or (n_alphas, n_folds) ndarray
        Dimensions of size one (a single l1_ratio) are dropped.
    coef_, intercept_, dual_gap_, n_iter_ :
        Those of the refit ElasticNet.

    References
    ----------
    Zou & Hastie, J. R. Stat. Soc. B 67 (2005); Friedman, Hastie & Tibshirani,
    J. Stat. Softw. 33(1) (2010).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 5))
    >>> y = X @ np.array([2.0, 0.0, 0.0, -1.0, 0.0]) + 0.1 * rng.normal(size=60)
    >>> model = ElasticNetCV(l1_ratio=[0.5, 1.0], n_alphas=20, cv=3).fit(X, y)
    >>> model.mse_path_.shape, model.alphas_.shape
    ((2, 20, 3), (2, 20))
    """

    def __init__(self, *, l1_ratio=0.5, eps=1e-3, n_alphas=100, alphas=None, fit_intercept=True,
                 precompute="auto", max_iter=1000, tol=1e-4, cv=None, n_jobs=None,
                 positive=False, random_state=None, selection="cyclic"):
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.n_alphas = n_alphas
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def _l1_ratios(self):
        ratios = np.atleast_1d(np.asarray(self.l1_ratio, dtype=object))
        if ratios.ndim != 1 or ratios.size == 0:
            raise ValueError(f"l1_ratio={self.l1_ratio!r} must be a number or a non-empty list")
        return np.array([check_nonnegative(r, "l1_ratio") for r in ratios])

    def _estimator(self, alpha, l1_ratio):
        from .coordinate_descent import ElasticNet

        return ElasticNet(alpha, l1_ratio=l1_ratio, fit_intercept=self.fit_intercept,
                          precompute=self.precompute, max_iter=self.max_iter, tol=self.tol,
                          positive=self.positive, random_state=self.random_state,
                          selection=self.selection)

    def _record_l1_ratio(self, l1_ratio):
        self.l1_ratio_ = l1_ratio

