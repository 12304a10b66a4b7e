"""Choosing the ridge penalty by cross-validation: exact leave-one-out, or k-fold.

Leave-one-out without n refits. Ridge's fitted values are linear in y, ŷ = H y, and
refitting without sample i gives the same fit as keeping it with y_i replaced by its
own leave-one-out prediction; solving that for the prediction gives the identity

    y_i - ŷ_(-i) = (y_i - ŷ_i) / (1 - h_ii),

exact for every penalised least-squares fit (Allen 1974). Golub, Heath & Wahba (1979)
replace each h_ii by the mean tr(H)/n, which gives generalized cross-validation,
GCV(alpha) = n ||(I - H) y||^2 / tr(I - H)^2, invariant under rotations of the data;
scikit-learn's RidgeCV, and this one, use the exact leave-one-out form above, from the
same decomposition. In the weighted, centred problem
(Xs = S^(1/2)(X - 1 x̄^T), ys = S^(1/2)(y - ȳ)) the hat matrix is

    H = S^(1/2) 1 1^T S^(1/2) / sum_i s_i  +  Xs (Xs^T Xs + alpha I)^{-1} Xs^T,

the first term the unpenalised intercept (Xs^T S^(1/2) 1 = 0, so the two parts are
orthogonal). One decomposition of Xs serves every alpha, at O(n min(n, p)) each:

- tall (n > p, or n - 1 > p with an intercept): Xs^T Xs = V diag(lambda) V^T and
  Z = Xs V (or the SVD, Z = U diag(s)): diag(Hc) = (Z∘Z) (1 / (lambda + alpha)) and
  Hc ys = Z diag(1 / (lambda + alpha)) Z^T ys.
- wide: Xs Xs^T = Q diag(lambda) Q^T with Q square orthogonal, and
  I - Hc = Q diag(alpha / (lambda + alpha)) Q^T, computed in this form so that a small
  1 - h_ii keeps its digits. With an intercept, a Householder reflection first maps
  the intercept's direction S^(1/2) 1 onto e_1; the remaining n - 1 coordinates
  span its orthogonal complement, where I - H itself has that form (nothing to
  subtract, so no cancellation when alpha << lambda).

The weighted scores follow scikit-learn: the squared leave-one-out errors are those of
the rescaled problem, s_i (y_i - ŷ_(-i))^2.
"""

from __future__ import annotations

import inspect
import numbers
import warnings

import numpy as np
import scipy.linalg

from .._validation import check_bool
from ..base import BaseEstimator, RegressorMixin
from ._cv import cv_splits
from ._linear_base import LinearModel
from .ridge import (
    Ridge,
    _blas_threads,
    _centred_design,
    _check_alphas,
    _check_target,
    _check_weights,
    _ridge_path,
    _thin_svd,
)

__all__ = ["RidgeCV"]

_GCV_MODES = (None, "auto", "svd", "eigen")


# --- scores ---------------------------------------------------------------------------
def _r2(y, y_pred, w):
    """R² = 1 - sum w (y - ŷ)^2 / sum w (y - ȳ_w)^2 (1 or 0 for a constant y).

    NaN, with a warning, for fewer than two samples (a test fold of one sample), as
    scikit-learn's r2_score; such a fold makes the mean score of every alpha NaN.
    """
    if y.shape[0] < 2:
        warnings.warn(
            "R² is not defined on fewer than two samples (a test fold of one sample); "
            "the score is NaN",
            UserWarning,
            stacklevel=4,
        )
        return float("nan")
    w = np.ones_like(y) if w is None else w
    ss_res = float(w @ (y - y_pred) ** 2)
    ss_tot = float(w @ (y - np.average(y, weights=w)) ** 2)
    if ss_tot == 0.0:
        return 1.0 if ss_res == 0.0 else 0.0
    return 1.0 - ss_res / ss_tot


_SCORES = {
    "r2": _r2,
    "neg_mean_squared_error": lambda y, p, w: -float(np.average((y - p) ** 2, weights=w)),
    "neg_root_mean_squared_error": lambda y, p, w: -float(
        np.sqrt(np.average((y - p) ** 2, weights=w))
    ),
    "neg_mean_absolute_error": lambda y, p, w: -float(np.average(np.abs(y - p), weights=w)),
}


class _Predictions(RegressorMixin, BaseEstimator):
    """Stands in for a fitted model whose predictions are already known (scorer(est, X, y))."""

    def predict(self, X):
        return X


def _check_scoring(scoring):
    if scoring is None or callable(scoring):
        return scoring
    if isinstance(scoring, str) and scoring in _SCORES:
        return scoring
    raise ValueError(
        f"scoring={scoring!r} must be None, a callable scorer(estimator, X, y) or one of "
        f"{sorted(_SCORES)}"
    )


def _accepts_sample_weight(scorer) -> bool:
    accept = getattr(scorer, "_accept_sample_weight", None)
    if accept is not None:
        return bool(accept())
    try:
        return "sample_weight" in inspect.signature(scorer).parameters
    except (TypeError, ValueError):
        return False


def _score(scoring, y, y_pred, w, *, model=None, X=None):
    """The score of predictions; a callable scorer gets ``model`` and ``X`` (or the predictions)."""
    if isinstance(scoring, str):
        return _SCORES[scoring](y, y_pred, w)
    kwargs = {"sample_weight": w} if w is not None and _accepts_sample_weight(scoring) else {}
    if model is None:
        return float(scoring(_Predictions(), y_pred, y, **kwargs))
    return float(scoring(model, X, y, **kwargs))


# --- leave-one-out --------------------------------------------------------------------
def _wide_factors(A, mode: str):
    """(Q, lambda, A^T Q) with A A^T = Q diag(lambda) Q^T, Q square orthogonal (A wide)."""
    if mode == "svd":
        Q, s, Vt = _thin_svd(A)
        return Q, s * s, Vt.T * s  # A^T Q = V diag(s)
    lam, Q = scipy.linalg.eigh(_finite_gram(A @ A.T), check_finite=False)
    return Q, lam, A.T @ Q


def _finite_gram(G):
    """G itself, after checking that forming it did not overflow."""
    if not np.isfinite(G).all():
        raise ValueError(
            "X or y has values so large that X^T X overflows float64; rescale them "
            "(e.g. divide by their largest absolute value)"
        )
    return G


def _reflect(u, M):
    """(I - 2 u u^T) M for a unit vector u: a Householder reflection, never formed."""
    return M - 2.0 * np.outer(u, u @ M) if M.ndim == 2 else M - 2.0 * u * (u @ M)


class _LeaveOneOut:
    """Leave-one-out errors and coefficients for any alpha from one decomposition of Xs."""

    def __init__(self, Xs, ys, sqrt_sw, fit_intercept: bool, mode: str):
        n_samples, n_features = Xs.shape
        self.ys = ys
        # the intercept's share of h_ii: s_i / sum_j s_j
        sw = np.ones(n_samples) if sqrt_sw is None else sqrt_sw * sqrt_sw
        self.intercept_leverage = sw / sw.sum() if fit_intercept else 0.0
        self.wide = n_samples - int(fit_intercept) <= n_features
        if self.wide and fit_intercept:
            # Xs and ys are orthogonal to q0 = s^(1/2) / ||s^(1/2)||, the intercept's
            # direction. A reflection taking q0 to a multiple of e_1 leaves the other
            # n - 1 coordinates spanning q0's complement; decomposing Xs there gives
            # I - H = Qc diag(alpha / (lambda + alpha)) Qc^T with no 1/n to subtract, so
            # 1 - h_ii keeps its digits even when alpha << lambda.
            q0 = np.sqrt(sw / sw.sum())
            u = q0.copy()
            u[0] += 1.0 if q0[0] >= 0 else -1.0
            u /= np.linalg.norm(u)
            Q, lam, self.map = _wide_factors(_reflect(u, Xs)[1:], mode)
            self.basis = _reflect(u, np.vstack([np.zeros(Q.shape[1]), Q]))
            self.intercept_leverage = 0.0
        elif self.wide:
            self.basis, lam, self.map = _wide_factors(Xs, mode)
        else:
            if mode == "svd":
                U, s, Vt = _thin_svd(Xs)
                lam, Z, V = s * s, U * s, Vt.T  # Z = Xs V = U diag(s)
            else:
                lam, V = scipy.linalg.eigh(_finite_gram(Xs.T @ Xs), check_finite=False)
                Z = Xs @ V
            self.basis, self.map = Z, V
        _finite_gram(lam)  # s^2 of the SVD overflows exactly when X^T X does
        self.lam = np.maximum(lam, 0.0)  # eigh may return -1e-17 for an exact 0
        self.proj_y = self.basis.T @ ys
        self.basis_sq = self.basis * self.basis

    def errors(self, alpha: float) -> np.ndarray:
        """Rescaled leave-one-out errors s_i^(1/2) (y_i - ŷ_(-i)) = r_i / (1 - h_ii)."""
        if self.wide:
            shrink = alpha / (self.lam + alpha)  # eigenvalues of I - Hc
            residual = self.basis @ (shrink * self.proj_y)
            one_minus_h = self.basis_sq @ shrink
        else:
            inv = 1.0 / (self.lam + alpha)
            residual = self.ys - self.basis @ (inv * self.proj_y)
            one_minus_h = 1.0 - self.basis_sq @ inv
        one_minus_h = one_minus_h - self.intercept_leverage
        with np.errstate(divide="ignore", invalid="ignore"):  # h_ii = 1: no LOO prediction
            return residual / one_minus_h

    def coef(self, alpha: float) -> np.ndarray:
        """w(alpha) = Xs^T Q diag(1/(lambda+alpha)) Q^T ys, or V diag(1/(lambda+alpha)) Z^T ys."""
        return self.map @ (self.proj_y / (self.lam + alpha))


# --- k-fold ---------------------------------------------------------------------------
def _check_cv(cv):
    if cv is None or (hasattr(cv, "split") and not isinstance(cv, (str, bytes))):
        return cv
    if isinstance(cv, numbers.Integral) and not isinstance(cv, (bool, np.bool_)):
        if cv < 2:
            raise ValueError(f"cv={cv!r} must be >= 2 (k-fold needs at least two folds)")
        return int(cv)
    if isinstance(cv, (str, bytes, numbers.Number)) or not hasattr(cv, "__iter__"):
        raise TypeError(
            "cv must be None (leave-one-out), an int >= 2 (k-fold), a splitter with a "
            f"split(X, y) method or an iterable of (train, test) index arrays; got {cv!r}"
        )
    return cv


def _first_best(scores) -> int:
    """Index of the first maximal score, NaN counting as worst (GridSearchCV's rule)."""
    scores = np.asarray(scores, dtype=float)
    if np.isnan(scores).all():
        return 0
    return int(np.nanargmax(scores))


# --- the estimator --------------------------------------------------------------------
class RidgeCV(RegressorMixin, LinearModel):
    """Ridge regression with the penalty chosen by cross-validation.

    For each candidate alpha, ridge minimises
    ``sum_i s_i (y_i - x_i . w - b)^2 + alpha * ||w||^2_2`` (see :class:`Ridge`); the alpha
    with the best cross-validated score is kept and the model refitted on all data.

    Parameters
    ----------
    alphas : array_like of float or float, default (0.1, 1.0, 10.0)
        Candidate penalties: > 0 with ``cv=None``, >= 0 otherwise.
    fit_intercept : bool, default True
        Fit an unpenalised intercept.
    scoring : None, str or callable, default None
        None: with ``cv=None`` the negative mean squared leave-one-out error, otherwise
        R² on each test fold. A string among "r2", "neg_mean_squared_error",
        "neg_root_mean_squared_error", "neg_mean_absolute_error", or a callable
        ``scorer(estimator, X, y)`` (scikit-learn's scorer protocol; with ``cv=None``
        it receives the leave-one-out predictions as X and an identity estimator).
    cv : None, int, splitter or iterable, default None
        None: exact, efficient leave-one-out. An int k >= 2: k contiguous folds, not
        shuffled (scikit-learn's ``KFold(k)``). A splitter: anything with
        ``split(X, y)`` yielding (train, test) indices; or an iterable of such pairs.
    gcv_mode : {None, "auto", "svd", "eigen"}, default None
        Decomposition used by leave-one-out: "svd" of the centred design, or "eigen" of
        its smaller Gram matrix (Xs^T Xs when n_samples > n_features, else Xs Xs^T);
        None and "auto" mean "eigen", the faster, as in scikit-learn.
    store_cv_results : bool, default False
        Keep ``cv_results_`` (``cv=None`` only).

    Attributes
    ----------
    alpha_ : float
        The chosen penalty (the first of the best when several tie).
    best_score_ : float
        Its score: with ``cv=None`` and ``scoring=None``,
        -(1/n) sum_i s_i (y_i - ŷ_(-i))^2; with k folds, the mean over folds of the
        test score (R² by default, weighted by the test fold's sample weights).
    coef_ : (n_features,) ndarray
    intercept_ : float
    cv_results_ : (n_samples, n_alphas) ndarray
        With ``store_cv_results``: the squared leave-one-out errors s_i (y_i - ŷ_(-i))^2
        (``scoring=None``) or the leave-one-out predictions ŷ_(-i) (a scoring given).
    n_features_in_ : int
    feature_names_in_ : (n_features_in_,) ndarray of str

    Raises
    ------
    ValueError
        From ``fit``: an empty ``alphas`` or a negative entry (zero too with
        ``cv=None``), an invalid ``cv`` or ``gcv_mode``, ``store_cv_results`` with a
        ``cv``, NaN/inf or mismatched inputs, ``cv=None`` with a single sample.

    Notes
    -----
    Leave-one-out uses the identity y_i - ŷ_(-i) = (y_i - ŷ_i) / (1 - h_ii) on the hat
    matrix of the centred problem with its unpenalised intercept, from one eigen- or
    singular value decomposition for all alphas: O(n p min(n, p)) once, then
    O(n min(n, p)) per alpha. It equals n explicit refits (see the module docstring).
    k-fold fits each training set for every alpha from one SVD
    (:func:`~mlfoundations.models.ridge_path`), scores the test fold, averages the
    fold scores and refits :class:`Ridge` at the best alpha, which is what
    scikit-learn's ``GridSearchCV`` inside its ``RidgeCV`` does. Only a 1-D y and one
    alpha for it are supported (no ``alpha_per_target``).

    References
    ----------
    D. M. Allen, "The relationship between variable selection and data augmentation
    and a method for prediction", Technometrics 16 (1974).
    G. H. Golub, M. Heath and G. Wahba, "Generalized cross-validation as a method for
    choosing a good ridge parameter", Technometrics 21 (1979), 215-223.
    R. Rifkin and R. Lippert, "Notes on regularized least squares", MIT-CSAIL-TR-2007-025.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.models import RidgeCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 4))
    >>> y = X @ [1.0, 0.0, -1.0, 2.0] + rng.normal(size=60)
    >>> model = RidgeCV(alphas=np.logspace(-3, 3, 13)).fit(X, y)
    >>> bool(model.alpha_ in np.logspace(-3, 3, 13)), bool(model.best_score_ < 0)
    (True, True)
    """

    def __init__(
        self,
        alphas=(0.1, 1.0, 10.0),
        *,
        fit_intercept=True,
        scoring=None,
        cv=None,
        gcv_mode=None,
        store_cv_results=False,
    ):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.gcv_mode = gcv_mode
        self.store_cv_results = store_cv_results

    def fit(self, X, y, sample_weight=None):
        """Choose alpha by cross-validation and fit ridge with it. Returns self.

        Parameters
        ----------
        X : (n_samples, n_features) array_like
        y : (n_samples,) array_like
        sample_weight : (n_samples,) array_like, float or None
            Non-negative weights, used by the fits and by the scores.
        """
        cv = _check_cv(self.cv)
        alphas = _check_alphas(
            self.alphas,
            strict=cv is None,
            hint=" with cv=None (leave-one-out needs a positive penalty)" if cv is None else "",
        )
        fit_intercept = check_bool(self.fit_intercept, "fit_intercept")
        store = check_bool(self.store_cv_results, "store_cv_results")
        scoring = _check_scoring(self.scoring)
        gcv_mode = self.gcv_mode
        if not (gcv_mode is None or (isinstance(gcv_mode, str) and gcv_mode in _GCV_MODES)):
            raise ValueError(f"gcv_mode={self.gcv_mode!r} must be one of {_GCV_MODES}")
        if cv is not None and store:
            raise ValueError(
                "store_cv_results=True needs cv=None: cv_results_ holds leave-one-out values"
            )
        X = self._validate_data(X, reset=True)
        y = _check_target(y, X.shape[0], "RidgeCV")
        sample_weight = _check_weights(sample_weight, X.shape[0])
        if cv is None:
            self._fit_leave_one_out(X, y, alphas, sample_weight, fit_intercept, scoring, store)
        else:
            self._fit_k_fold(X, y, alphas, sample_weight, fit_intercept, scoring, cv)
        return self

    def _fit_leave_one_out(self, X, y, alphas, sample_weight, fit_intercept, scoring, store):
        n_samples = X.shape[0]
        if n_samples < 2:
            raise ValueError(
                "RidgeCV with cv=None (leave-one-out) needs at least 2 samples, got n_samples=1"
            )
        design = _centred_design(X, y, sample_weight, fit_intercept)
        mode = "svd" if self.gcv_mode == "svd" else "eigen"
        with _blas_threads(n_samples * X.shape[1] * min(X.shape)):
            with np.errstate(over="ignore", invalid="ignore"):  # overflow: a ValueError below
                loo = _LeaveOneOut(design.Xs, design.ys, design.sqrt_sw, fit_intercept, mode)
            results = np.empty((n_samples, alphas.size)) if store else None
            best, best_score = 0, None
            for k, alpha in enumerate(alphas):
                errors = loo.errors(alpha)
                if scoring is None:
                    squared = errors * errors
                    score = -float(np.mean(squared))
                    stored = squared
                else:
                    stored = self._loo_predictions(X, y, design, loo, alpha, errors)
                    score = _score(scoring, y, stored, sample_weight)
                if results is not None:
                    results[:, k] = stored
                if best_score is None or score > best_score:
                    best, best_score = k, score
        self.alpha_ = float(alphas[best])
        self.best_score_ = best_score
        self.coef_ = loo.coef(self.alpha_)
        self.intercept_ = float(design.y_offset - design.X_offset @ self.coef_)
        if results is not None:
            self.cv_results_ = results
        elif hasattr(self, "cv_results_"):
            del self.cv_results_

    @staticmethod
    def _loo_predictions(X, y, design, loo, alpha, errors):
        """ŷ_(-i) = y_i - (rescaled error) / s_i^(1/2); a zero-weight sample's is its fit."""
        if design.sqrt_sw is None:
            return y - errors
        positive = design.sqrt_sw > 0
        predictions = np.empty_like(y)
        predictions[positive] = y[positive] - errors[positive] / design.sqrt_sw[positive]
        if not positive.all():  # it did not influence the fit, so leaving it out changes nothing
            w = loo.coef(alpha)
            intercept = design.y_offset - design.X_offset @ w
            predictions[~positive] = X[~positive] @ w + intercept
        return predictions

    def _fit_k_fold(self, X, y, alphas, sample_weight, fit_intercept, scoring, cv):
        scoring = "r2" if scoring is None else scoring
        splits = cv_splits(cv, X, y)
        scores = np.empty((len(splits), alphas.size))
        for f, (train, test) in enumerate(splits):
            sw_train = None if sample_weight is None else sample_weight[train]
            sw_test = None if sample_weight is None else sample_weight[test]
            if sw_train is not None and not sw_train.sum() > 0:
                raise ValueError(f"cv split {f}: all sample weights of the training set are zero")
            path = _ridge_path(X[train], y[train], alphas, sw_train, fit_intercept)
            predictions = X[test] @ path.coefs.T + path.intercepts
            for k, alpha in enumerate(alphas):
                model = None
                if callable(scoring):
                    model = _fitted_ridge(alpha, fit_intercept, path.coefs[k], path.intercepts[k])
                scores[f, k] = _score(
                    scoring, y[test], predictions[:, k], sw_test, model=model, X=X[test]
                )
        mean_scores = scores.mean(axis=0)
        best = _first_best(mean_scores)
        self.alpha_ = float(alphas[best])
        refit = Ridge(alpha=self.alpha_, fit_intercept=fit_intercept).fit(X, y, sample_weight)
        self.best_score_ = float(mean_scores[best])
        self.coef_ = refit.coef_
        self.intercept_ = refit.intercept_
        if hasattr(self, "cv_results_"):
            del self.cv_results_


def _fitted_ridge(alpha, fit_intercept, coef, intercept) -> Ridge:
    """A Ridge carrying a fold's solution, for callable scorers that call predict."""
    model = Ridge(alpha=float(alpha), fit_intercept=fit_intercept)
    model.coef_, model.intercept_ = coef, float(intercept)
    model.n_features_in_, model.solver_, model.n_iter_ = coef.shape[0], "svd", None
    return model
