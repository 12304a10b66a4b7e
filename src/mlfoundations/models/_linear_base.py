"""What the linear models share: the prediction X w + b and the centring that frees b.

Every linear model here fits an intercept the same way. With weights w_i (all 1 when
not given), the weighted means x̄ = sum_i w_i x_i / sum_i w_i and ȳ are subtracted
first; the slope w is then fitted on the centred data with no intercept column, and

    b = ȳ - x̄ · w,

which is exact for least squares (the normal equation of b is sum_i w_i r_i = 0) and
keeps the intercept out of any penalty (Hastie, Tibshirani & Friedman 2009, §3.4.1).
The guide instead appends a column of ones and penalises it with the rest.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import _dask
from .._dask import is_dask_collection
from .._utils import gram_and_column_sums
from .._validation import check_finite
from ..base import BaseEstimator

__all__ = ["LinearModel", "CenteredGram", "data_offsets", "centered_gram"]


class LinearModel(BaseEstimator):
    """Base of the linear estimators: ``coef_``, ``intercept_`` and X w + b."""

    def _decision_function(self, X) -> np.ndarray:
        X = self._validate_data(X, reset=False)
        return X @ self.coef_.T + self.intercept_

    def predict(self, X):
        """Predicted values X w + b.

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        (n_samples,) ndarray
            A lazy Dask array, one block per row block, when X is a Dask collection.
        """
        if is_dask_collection(X):
            return _dask.linear.predict(self, X)
        return self._decision_function(X)


def data_offsets(X: np.ndarray, y: np.ndarray, sample_weight, fit_intercept: bool):
    """(x̄, ȳ): the (weighted) column means of X and mean of y, or zeros without intercept."""
    if not fit_intercept:
        return np.zeros(X.shape[1]), 0.0
    if sample_weight is None:
        return X.mean(axis=0), float(y.mean())
    total = sample_weight.sum()
    return (sample_weight @ X) / total, float(sample_weight @ y / total)


class CenteredGram(NamedTuple):
    """Sufficient statistics of weighted least squares on centred data.

    With Xc = X - x̄, yc = y - ȳ and W = diag(w): ``gram`` = Xc^T W Xc,
    ``xty`` = Xc^T W yc, ``yty`` = yc^T W yc, ``X_offset`` = x̄, ``y_offset`` = ȳ,
    ``sum_weights`` = sum_i w_i (n_samples when unweighted).
    """

    gram: np.ndarray
    xty: np.ndarray
    yty: float
    X_offset: np.ndarray
    y_offset: float
    sum_weights: float


def centered_gram(X: np.ndarray, y: np.ndarray, sample_weight, fit_intercept: bool) -> CenteredGram:
    """Xc^T W Xc, Xc^T W yc and yc^T W yc in one pass over X (centred block by block).

    Centring before the product, rather than subtracting n x̄ x̄^T afterwards, keeps
    the digits that the subtraction would cancel when |x̄| dwarfs the spread. Raises
    ``ValueError`` naming X or y when they hold NaN/inf or the products overflow.
    """
    # NaN/inf in X or y is reported below, by name, not as NumPy's RuntimeWarnings.
    # BLAS keeps its threads: the Gram pass splits tall X over the cores itself and
    # leaves a smaller X to one threaded product.
    with np.errstate(over="ignore", invalid="ignore"):
        X_offset, y_offset = data_offsets(X, y, sample_weight, fit_intercept)
        yc = y - y_offset
        if sample_weight is None:
            gram, _ = gram_and_column_sums(X, shift=X_offset if fit_intercept else None)
            xty = X.T @ yc - X_offset * yc.sum()  # = (X - x̄)^T yc
            yty = float(yc @ yc)
            total = float(X.shape[0])
        else:
            root_w = np.sqrt(sample_weight)
            Xw = (X - X_offset) * root_w[:, None]
            gram = Xw.T @ Xw
            ycw = yc * root_w
            xty = Xw.T @ ycw
            yty = float(ycw @ ycw)
            total = float(sample_weight.sum())
    if not (np.isfinite(gram).all() and np.isfinite(xty).all() and np.isfinite(yty)):
        check_finite(X, "X")
        check_finite(y, "y")
        raise ValueError(
            "X or y has values so large that X^T X or X^T y overflows float64; rescale "
            "them (e.g. divide by their largest absolute value)"
        )
    return CenteredGram(gram, xty, yty, X_offset, y_offset, total)
