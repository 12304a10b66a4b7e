"""PCA on Dask collections: the covariance eigen-decomposition from one pass.

Each row block contributes its count, mean and centred scatter matrix
sum_i (x_i - xbar_b)(x_i - xbar_b)^T; the blocks merge by the pairwise update of
Chan, Golub & LeVeque (the ``_Moments`` of least squares, whose target slot stays
empty here), so the client receives n, the mean and the centred scatter of all the
data and diagonalises C = scatter / (n - 1) exactly as ``PCA(svd_solver=
"covariance_eigh")`` does in memory. The samples never leave the workers; memory per
task is one block plus a p x p matrix.

Only the covariance solvers apply: "full" needs the SVD of the whole centred matrix and
"randomized" several passes of products with it, so they raise a ``ValueError`` rather
than silently reading the data into memory. "auto" means "covariance_eigh" here
(Dask input is the tall case it is made for); "scratch" diagonalises C with the
library's own :func:`mlfoundations.linalg.eigh`.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_matrix
from ..base import _feature_names
from ..models._least_squares import _Moments
from ..models.pca import _covariance_axes, _float_dtype
from ._blocks import aligned_row_blocks, check_dask_matrix, compute, fitted_input, map_blocks, tree_reduce
from .linear import _merge_moments

__all__ = ["fit_pca", "transform"]

_COVARIANCE_SOLVERS = ("auto", "covariance_eigh", "scratch")


def _block_scatter(X):
    """The block's count, mean and centred scatter (as _Moments with an empty target)."""
    X = as_matrix(X, "X", finite=False)  # NaN/inf is named by centered_gram
    if X.shape[0] == 0:
        return None
    return _Moments.from_batch(X, np.zeros(X.shape[0]), None, True)


def fit_pca(est, X):
    """``PCA.fit`` for a Dask X; returns X as a Dask array (``fit_transform`` projects it)."""
    est._check_params()
    if est.svd_solver not in _COVARIANCE_SOLVERS:
        raise ValueError(
            f"svd_solver={est.svd_solver!r} needs the whole matrix in memory; with a Dask "
            "collection PCA uses svd_solver='covariance_eigh' (or 'auto', 'scratch'): one "
            "pass of the centred Gram matrix"
        )
    dtype = _float_dtype(X)
    names = _feature_names(X)
    X_array = check_dask_matrix(X)
    n_features = X_array.shape[1]
    if not np.isnan(X_array.shape[0]):  # known shape: refuse a bad n_components before the pass
        _check_size(est, int(X_array.shape[0]), n_features)
    blocks = aligned_row_blocks([X], ["X"])
    (moments,) = compute(tree_reduce(map_blocks(_block_scatter, blocks), _merge_moments))
    n_samples = 0 if moments is None else moments.nobs
    k, k_max = _check_size(est, n_samples, n_features)
    eigenvalues, components = _covariance_axes(
        moments.gram / (n_samples - 1), scratch=est.svd_solver == "scratch"
    )
    est.n_features_in_ = n_features
    if names is not None:
        est.feature_names_in_ = names
    elif hasattr(est, "feature_names_in_"):
        del est.feature_names_in_
    est._keep_components(
        k, k_max, eigenvalues, components, np.sqrt(eigenvalues * (n_samples - 1)),
        moments.X_mean, n_samples, dtype,
    )
    return X_array


def _check_size(est, n_samples, n_features):
    """(k, k_max) with the messages of the in-memory fit."""
    if n_samples == 0:
        raise ValueError(
            f"X has 0 sample(s) (shape=(0, {n_features})) while a minimum of 1 is required."
        )
    if n_samples < 2:
        raise ValueError(
            f"PCA needs at least 2 samples to estimate a variance; got n_samples={n_samples}"
        )
    k_max = min(n_samples, n_features)
    return est._requested_components(k_max), k_max


def transform(est, X):
    """(X - mu) V_k (whitened if asked) as a lazy Dask array, one block per row block."""
    dtype = _float_dtype(X)
    X = fitted_input(est, X)
    out_dtype = np.result_type(dtype, est.components_.dtype)
    return X.map_blocks(
        _project_block, est, dtype, chunks=(X.chunks[0], (est.n_components_,)), dtype=out_dtype
    )


def _project_block(X, est, dtype):
    return est._project(as_matrix(X, "X"), dtype)
