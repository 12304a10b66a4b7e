"""Principal component analysis.

The principal axes of centred data X_c = X - 1 mu^T are the eigenvectors of its sample
covariance C = X_c^T X_c / (n - 1), equivalently the right singular vectors of X_c:
X_c = U S V^T gives C = V (S^2 / (n - 1)) V^T. Projecting onto the first k axes keeps
the k directions of largest variance (Pearson 1901; Hotelling 1933).
"""

from __future__ import annotations

import numbers

import numpy as np
import scipy.linalg

from .. import _dask
from .._dask import is_dask_collection
from .._utils import gram_and_column_sums, max_abs_signs, single_threaded_blas
from .._validation import as_matrix, check_finite, check_int, check_random_state
from ..base import BaseEstimator, TransformerMixin, check_is_fitted
from ..exceptions import LinAlgError

__all__ = ["PCA"]

_SOLVERS = ("auto", "covariance_eigh", "full", "randomized", "scratch")


class PCA(TransformerMixin, BaseEstimator):
    """Principal component analysis by eigen-decomposition or SVD of the centred data.

    Parameters
    ----------
    n_components : int, float or None, default None
        Number of components to keep. An int k in [1, min(n_samples, n_features)]; a
        float in (0, 1) keeps the fewest components whose explained variance ratio
        adds up to more than that fraction; None keeps min(n_samples, n_features).
    svd_solver : {"auto", "covariance_eigh", "full", "randomized", "scratch"}, default "auto"
        - "covariance_eigh": one pass over X builds the Gram matrix X^T X and the column
          sums (rows split across cores), then C = (X^T X - n mu mu^T) / (n - 1) is
          diagonalised (LAPACK ``syevr``). Cost O(n p^2), memory O(p^2): the method of
          choice when n_samples >> n_features. If the mean dominates the spread so much
          that the subtraction would cancel digits, a second, centred pass is made.
        - "full": LAPACK SVD of the centred data, X_c = U S V^T.
        - "randomized": Halko, Martinsson & Tropp (2011) randomized range finder with
          ``iterated_power`` QR-normalised power iterations; approximate.
        - "scratch": as "auto", but with the library's own, written-out
          :func:`mlfoundations.linalg.eigh` / :func:`mlfoundations.linalg.svd`.
        - "auto": "covariance_eigh" when n_features <= 1000 and
          n_samples >= 10 * n_features; otherwise "full" for small data
          (max(n_samples, n_features) <= 500) or when n_components is a fraction,
          "randomized" when 1 <= k < 0.8 * min(n_samples, n_features); else "full".
          This is scikit-learn's policy, so both pick the same algorithm.
    whiten : bool, default False
        Scale the projected data to unit variance: X_new = X_c V_k diag(1 / sqrt(lambda_k)).
    iterated_power : int or "auto", default "auto"
        Power iterations of the randomized solver ("auto": 7 if k < 0.1 min(n, p), else 4).
    n_oversamples : int, default 10
        Extra random directions sampled by the randomized solver.
    random_state : None, int or numpy.random.Generator
        Seed of the randomized solver.

    Attributes
    ----------
    components_ : (n_components, n_features) ndarray
        Principal axes V_k^T, rows of unit norm, ordered by decreasing variance. Signs
        are deterministic: the entry of largest |value| in each row is positive.
    explained_variance_ : (n_components,) ndarray
        Variance along each axis, lambda_i = s_i^2 / (n_samples - 1).
    explained_variance_ratio_ : (n_components,) ndarray
        lambda_i / sum_j lambda_j over all min(n_samples, n_features) axes.
    singular_values_ : (n_components,) ndarray
        s_i = sqrt((n_samples - 1) lambda_i).
    mean_ : (n_features,) ndarray
    noise_variance_ : float
        Mean of the discarded eigenvalues (probabilistic PCA, Tipping & Bishop 1999).
    n_components_ : int
    n_samples_ : int
    n_features_in_ : int

    Notes
    -----
    The attribute names, sign convention and solver policy follow scikit-learn, so
    results agree with ``sklearn.decomposition.PCA`` to ~1e-10 for the exact solvers.
    float32 input is computed in float64 and gives float32 attributes and outputs, as
    scikit-learn's PCA does.

    A ``dask.array.Array`` or ``dask.dataframe`` X is fitted out of core by the
    covariance method: one pass of per-block centred scatter matrices merged by a tree
    reduction (Chan, Golub & LeVeque's update), then the same eigendecomposition, so the
    fit equals ``svd_solver="covariance_eigh"`` in memory to ~1e-10. "auto" means
    "covariance_eigh" there and "scratch" uses the library's eigh; "full" and
    "randomized" need the whole matrix and raise ``ValueError``. ``transform`` and
    ``fit_transform`` of a Dask X return lazy Dask arrays.

    References
    ----------
    Jolliffe, *Principal Component Analysis*, 2nd ed., Springer (2002).
    Halko, Martinsson & Tropp, "Finding structure with randomness", SIAM Review 53 (2011).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.models import PCA
    >>> X = np.random.default_rng(0).normal(size=(100, 5))
    >>> pca = PCA(n_components=2).fit(X)
    >>> Z = pca.transform(X)
    >>> bool(np.allclose(Z.var(axis=0, ddof=1), pca.explained_variance_))
    True
    """

    def __init__(
        self,
        n_components=None,
        *,
        svd_solver="auto",
        whiten=False,
        iterated_power="auto",
        n_oversamples=10,
        random_state=None,
    ):
        self.n_components = n_components
        self.svd_solver = svd_solver
        self.whiten = whiten
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.random_state = random_state

    # --- fitting ---------------------------------------------------------------------
    def fit(self, X, y=None):
        """Fit the principal axes of X (y is ignored). Returns self."""
        self._fit(X)
        return self

    def fit_transform(self, X, y=None):
        """Fit, then project X onto the principal axes."""
        dtype = _float_dtype(X)
        X = self._fit(X)
        return self._project(X, dtype)

    def _fit(self, X) -> np.ndarray:
        if is_dask_collection(X):
            return _dask.decomposition.fit_pca(self, X)
        self._check_params()
        dtype = _float_dtype(X)
        # finiteness is checked for free on the Gram matrix in the covariance path
        X = self._validate_data(X, reset=True, min_samples=1, finite=False)
        n_samples, n_features = X.shape
        if n_samples < 2:
            raise ValueError(
                f"PCA needs at least 2 samples to estimate a variance; got n_samples={n_samples}"
            )
        k_max = min(n_samples, n_features)
        k = self._requested_components(k_max)
        solver = self._choose_solver(n_samples, n_features, k, k_max)
        if solver in ("covariance_eigh", "scratch-eigh"):
            eigenvalues, components, mean = _covariance_eigh(X, scratch=solver == "scratch-eigh")
            singular_values = np.sqrt(eigenvalues * (n_samples - 1))
            n_axes = n_features
        else:
            check_finite(X, "X")
            mean = X.mean(axis=0)
            Xc = X - mean
            if solver == "randomized":
                return self._fit_randomized(X, Xc, mean, k, dtype)
            if solver == "scratch-svd":
                from ..linalg import svd

                _, s, vt = svd(Xc, full_matrices=False)
            else:
                _, s, vt = scipy.linalg.svd(Xc, full_matrices=False, check_finite=False)
            components = vt * max_abs_signs(vt, axis=1)[:, None]
            # s itself, not sqrt((n - 1) lambda): s^2 may overflow or underflow
            singular_values = s
            eigenvalues = s**2 / (n_samples - 1)
            n_axes = k_max
        self._keep_components(
            k, k_max, eigenvalues[:n_axes], components, singular_values, mean, n_samples, dtype
        )
        return X

    def _keep_components(
        self, k, k_max, eigenvalues, components, singular_values, mean, n_samples, dtype
    ):
        """Keep the leading k axes of a full spectrum (k None: all, a float: a variance share)."""
        total_var = eigenvalues.sum()
        ratio = eigenvalues / total_var if total_var > 0 else np.zeros_like(eigenvalues)
        if k is None:
            k = k_max
        elif isinstance(k, float):
            # fewest axes whose cumulative ratio exceeds the requested fraction
            k = int(np.searchsorted(np.cumsum(ratio), k, side="right") + 1)
            k = min(k, k_max)
        self._set_fitted(
            components[:k], eigenvalues[:k], singular_values[:k], ratio[:k], mean, n_samples,
            noise=float(eigenvalues[k:].mean()) if k < k_max else 0.0, dtype=dtype,
        )

    def _fit_randomized(self, X, Xc, mean, k, dtype):
        n_samples = X.shape[0]
        rng = check_random_state(self.random_state)
        n_iter = self.iterated_power
        if n_iter == "auto":
            n_iter = 7 if k < 0.1 * min(X.shape) else 4
        s, vt = _randomized_svd(Xc, k, self.n_oversamples, n_iter, rng)
        components = vt * max_abs_signs(vt, axis=1)[:, None]
        eigenvalues = s**2 / (n_samples - 1)
        # Xc is already centred: sum_ij Xc_ij^2 / (n - 1), no temporary the size of X
        total_var = np.einsum("ij,ij->", Xc, Xc) / (n_samples - 1)
        k_max = min(X.shape)
        noise = (total_var - eigenvalues.sum()) / (k_max - k) if k < k_max else 0.0
        self._set_fitted(
            components, eigenvalues, s, eigenvalues / total_var, mean, n_samples,
            noise=float(max(noise, 0.0)), dtype=dtype,
        )
        return X

    def _set_fitted(
        self, components, eigenvalues, singular_values, ratio, mean, n_samples, noise, dtype
    ):
        # computed in float64; float32 input gets float32 attributes, as in scikit-learn
        self.components_ = np.ascontiguousarray(components, dtype=dtype)
        self.explained_variance_ = eigenvalues.astype(dtype, copy=False)
        self.explained_variance_ratio_ = ratio.astype(dtype, copy=False)
        self.singular_values_ = singular_values.astype(dtype, copy=False)
        self.mean_ = mean.astype(dtype, copy=False)
        self.noise_variance_ = dtype(noise)
        self.n_components_ = components.shape[0]
        self.n_samples_ = n_samples

    def _check_params(self):
        if self.svd_solver not in _SOLVERS:
            raise ValueError(f"svd_solver={self.svd_solver!r} is not one of {_SOLVERS}")
        if not isinstance(self.whiten, (bool, np.bool_)):
            raise TypeError(f"whiten must be a bool, got {self.whiten!r}")
        if self.iterated_power != "auto":
            check_int(self.iterated_power, "iterated_power", minimum=0)
        check_int(self.n_oversamples, "n_oversamples", minimum=0)

    def _requested_components(self, k_max):
        k = self.n_components
        if k is None:
            return None
        if isinstance(k, numbers.Integral) and not isinstance(k, bool):
            if not 1 <= k <= k_max:
                raise ValueError(
                    f"n_components={k} must be between 1 and "
                    f"min(n_samples, n_features)={k_max}"
                )
            return int(k)
        if isinstance(k, numbers.Real) and not isinstance(k, bool):
            if not 0.0 < k < 1.0:
                raise ValueError(
                    f"n_components={k!r} as a fraction of variance must lie in (0, 1); "
                    "pass an int to keep a number of components"
                )
            return float(k)
        raise TypeError(
            f"n_components must be None, an int or a float in (0, 1), got {type(k).__name__} {k!r}"
        )

    def _choose_solver(self, n_samples, n_features, k, k_max) -> str:
        solver = self.svd_solver
        tall = n_features <= 1000 and n_samples >= 10 * n_features
        if solver == "scratch":
            return "scratch-eigh" if tall else "scratch-svd"
        if solver == "randomized" and not isinstance(k, int):
            raise ValueError(
                "svd_solver='randomized' needs an int n_components, "
                f"got n_components={self.n_components!r}"
            )
        if solver != "auto":
            return solver
        if tall:
            return "covariance_eigh"
        if max(n_samples, n_features) <= 500 or not isinstance(k, int):
            return "full"
        return "randomized" if k < 0.8 * k_max else "full"

    # --- using the fit ---------------------------------------------------------------
    def transform(self, X):
        """Project X onto the principal axes: Z = (X - mu) V_k (divided by sqrt(lambda) if whiten)."""
        if is_dask_collection(X):
            return _dask.decomposition.transform(self, X)
        dtype = _float_dtype(X)
        X = self._validate_data(X, reset=False)
        return self._project(X, dtype)

    def _project(self, X, dtype):
        Z = (X - self.mean_) @ self.components_.T
        if self.whiten:
            Z /= self._whitening_scale()
        return Z.astype(np.result_type(dtype, self.components_.dtype), copy=False)

    def _whitening_scale(self):
        # rank-deficient data give (near-)zero variances: clip so whitening stays finite
        return np.maximum(np.sqrt(self.explained_variance_), np.finfo(np.float64).eps)

    def inverse_transform(self, X):
        """Map projected data back: X ≈ Z V_k^T + mu (undoing the whitening first)."""
        check_is_fitted(self)
        dtype = np.result_type(_float_dtype(X), self.components_.dtype)
        Z = as_matrix(X, "X")
        if Z.shape[1] != self.n_components_:
            raise ValueError(
                f"X has {Z.shape[1]} columns, but inverse_transform expects "
                f"n_components_={self.n_components_}"
            )
        if self.whiten:
            Z = Z * self._whitening_scale()
        return (Z @ self.components_ + self.mean_).astype(dtype, copy=False)

    def get_covariance(self):
        """Model covariance of probabilistic PCA: C = W^T diag(lambda - sigma^2) W + sigma^2 I.

        W = ``components_``, sigma^2 = ``noise_variance_`` (Tipping & Bishop 1999).
        """
        check_is_fitted(self)
        cov = (self.components_.T * self._excess_variance()) @ self.components_
        cov[np.diag_indices_from(cov)] += self.noise_variance_
        return cov

    def _excess_variance(self):
        return np.maximum(self.explained_variance_ - self.noise_variance_, 0.0)

    def _model_eigenvalues(self):
        """Eigenvalues of C: sigma^2 + excess_i on the k principal axes, sigma^2 elsewhere."""
        inside = self.noise_variance_ + self._excess_variance()
        n_outside = self.n_features_in_ - self.n_components_
        if inside.min(initial=np.inf) <= 0 or (n_outside > 0 and self.noise_variance_ <= 0):
            raise LinAlgError(
                "the probabilistic PCA covariance is singular (a zero variance with "
                f"noise_variance_={self.noise_variance_!r}); keep fewer components"
            )
        return inside, n_outside

    def get_precision(self):
        """C^{-1} in closed form: W^T diag(1/(sigma^2 + e_i) - 1/sigma^2) W + I / sigma^2.

        W has orthonormal rows, so C acts as sigma^2 + e_i along each principal axis and
        as sigma^2 on their orthogonal complement; no matrix is inverted.
        """
        check_is_fitted(self)
        inside, n_outside = self._model_eigenvalues()
        outside = 1.0 / self.noise_variance_ if n_outside > 0 else 0.0
        W = self.components_
        precision = (W.T * (1.0 / inside - outside)) @ W
        precision[np.diag_indices_from(precision)] += outside
        return precision

    def score_samples(self, X):
        """Log-likelihood of each sample under probabilistic PCA, N(mu, C).

        log p(x) = -(1/2) [(x - mu)^T C^{-1} (x - mu) + p log(2 pi) + log det C].
        """
        X = self._validate_data(X, reset=False)
        inside, n_outside = self._model_eigenvalues()
        logdet = np.log(inside).sum() + (n_outside * np.log(self.noise_variance_) if n_outside else 0.0)
        Xc = X - self.mean_
        quad = np.einsum("ij,jk,ik->i", Xc, self.get_precision(), Xc)
        return -0.5 * (quad + X.shape[1] * np.log(2 * np.pi) + logdet)

    def score(self, X, y=None):
        """Average log-likelihood of the samples in X."""
        return float(np.mean(self.score_samples(X)))

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns: "pca0", "pca1", ..."""
        check_is_fitted(self)
        return np.asarray([f"pca{i}" for i in range(self.n_components_)], dtype=object)


def _float_dtype(X):
    """float32 for float32 input (scikit-learn keeps that precision), else float64."""
    dtype = getattr(X, "dtype", None)
    if dtype is None and hasattr(X, "dtypes"):  # a DataFrame: one dtype per column
        dtypes = set(X.dtypes)
        dtype = dtypes.pop() if len(dtypes) == 1 else None
    return np.float32 if dtype == np.float32 else np.float64


def _covariance_eigh(X, *, scratch=False):
    """Eigen-decomposition of the sample covariance from one Gram pass.

    C = (X^T X - n mu mu^T) / (n - 1). When n mu_j^2 dwarfs the centred sum of
    squares, that subtraction cancels digits, so X is re-read centred instead.
    """
    n_samples = X.shape[0]
    with single_threaded_blas():  # the Gram pass threads itself; the rest is small
        gram, sums = gram_and_column_sums(X)
        if not (np.isfinite(gram.diagonal()).all() and np.isfinite(sums).all()):
            check_finite(X, "X")  # names NaN/inf; otherwise the Gram overflowed
            raise ValueError(
                "X has values so large that X^T X overflows float64; rescale X "
                "(e.g. divide by its largest absolute value) or use svd_solver='full'"
            )
        mean = sums / n_samples
        scatter = gram - n_samples * np.outer(mean, mean)
        raw_ss = gram.diagonal().max()
        centred_ss = scatter.diagonal().max()
        if centred_ss <= 0.0 or raw_ss > 1e3 * centred_ss:
            scatter, _ = gram_and_column_sums(X, shift=mean)
    eigenvalues, components = _covariance_axes(scatter / (n_samples - 1), scratch=scratch)
    return eigenvalues, components, mean


def _covariance_axes(cov, *, scratch=False):
    """(eigenvalues decreasing, components as rows with signs fixed) of a covariance matrix."""
    with single_threaded_blas():
        if scratch:
            from ..linalg import eigh

            eigenvalues, vectors = eigh(cov)
        else:
            eigenvalues, vectors = np.linalg.eigh(cov)
    # descending order; tiny negative eigenvalues are round-off of a PSD matrix
    eigenvalues = np.maximum(eigenvalues[::-1], 0.0)
    components = vectors[:, ::-1].T
    components = components * max_abs_signs(components, axis=1)[:, None]
    return eigenvalues, components


def _randomized_svd(A, k, n_oversamples, n_iter, rng):
    """Top-k SVD of A by a randomized range finder (Halko et al. 2011, Alg. 4.4 + 5.1).

    Q spans range(A Omega) refined by q power iterations, (A A^T)^q A Omega, each step
    re-orthonormalised by QR; then the small matrix B = Q^T A is decomposed exactly.
    """
    n_random = min(k + n_oversamples, min(A.shape))
    omega = rng.standard_normal((A.shape[1], n_random))
    Q, _ = np.linalg.qr(A @ omega)
    for _ in range(n_iter):
        Q, _ = np.linalg.qr(A.T @ Q)
        Q, _ = np.linalg.qr(A @ Q)
    B = Q.T @ A
    _, s, vt = scipy.linalg.svd(B, full_matrices=False, check_finite=False)
    return s[:k], vt[:k]
