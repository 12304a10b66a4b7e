"""The multivariate normal (Gaussian) distribution N(mu, Sigma) on R^d.

Everything goes through one Cholesky factor Sigma = L L^T, computed once in the
constructor: the Mahalanobis distance is a triangular solve,
(x - mu)^T Sigma^{-1} (x - mu) = ||L^{-1}(x - mu)||^2, the log-determinant is
2 sum_i log L_ii, a draw is mu + L z with z standard normal, and the KL divergence
solves with the other factor. No inverse is ever formed.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from scipy import linalg

from .._validation import as_float_array, as_matrix, as_vector, check_rng
from ..exceptions import LinAlgError
from ._fitting import FitResult

__all__ = ["MultivariateNormal"]

_LOG_2PI = math.log(2.0 * math.pi)
# |S_ij - S_ji| up to this multiple of max|S_ij| is rounding in how the covariance was
# computed (X^T X / n, Q diag Q^T) and is averaged away; the same rule as linalg.cholesky.
_SYMMETRY_RTOL = 1e-10


class MultivariateNormal:
    r"""Multivariate normal distribution N(mu, Sigma) on R^d.

    .. math::

        f(x) = (2\pi)^{-d/2} \det(\Sigma)^{-1/2}
               \exp\left(-\tfrac12 (x-\mu)^T \Sigma^{-1} (x-\mu)\right)

    Parameters
    ----------
    mean : (d,) array_like
        The mean vector mu, finite, d >= 1 (a scalar is taken as d = 1).
    cov : float, (d,) or (d, d) array_like, default 1.0
        The covariance Sigma: a (d, d) symmetric positive definite matrix; as in
        scipy, a positive scalar c means c I and a 1-D array of positive entries
        means diag(cov). Asymmetry up to ``1e-10 * max|cov|`` is rounding and is
        averaged away: the stored matrix is (cov + cov^T) / 2.

    Raises
    ------
    ValueError
        If ``mean`` is not a finite non-empty vector, ``cov`` holds NaN/inf, has a
        shape that does not match ``mean``, is not symmetric, or is not positive
        definite (a ``LinAlgError``, itself a ``ValueError``).

    Attributes
    ----------
    dim : int
        The dimension d.
    cov : (d, d) ndarray
        Sigma (read-only).
    cholesky : (d, d) ndarray
        The lower triangular factor L with Sigma = L L^T (read-only).
    fit_result : FitResult or None
        Set by :meth:`fit`; ``None`` otherwise.

    Notes
    -----
    ``scipy.stats.multivariate_normal(mean=mean, cov=cov)``. Points are arrays of
    shape (..., d) and each density method returns shape (...); one point of shape
    (d,) gives a Python float. When d = 1 a 1-D array of length m holds m points, as in
    scipy (length 1 gives a float). Unlike scipy, other size-1 axes are kept (x of
    shape (1, d) gives an array of shape (1,)), and a scalar x is refused for d > 1
    rather than read as the point (x, ..., x). Points with an infinite coordinate have
    density 0 (log-density -inf); NaN raises.

    Sigma = L L^T is factored once (LAPACK ``potrf`` through ``scipy.linalg``; the
    factorisation written out is :func:`mlfoundations.linalg.cholesky`). Then

    - log f(x) = -1/2 (d log 2 pi + log det Sigma + ||L^{-1}(x - mu)||^2) with
      log det Sigma = 2 sum_i log L_ii, so logpdf stays finite far from the mean where
      f(x) itself underflows;
    - entropy h = 1/2 log det(2 pi e Sigma) nats;
    - a draw is mu + L z with z ~ N(0, I_d), since Cov(L z) = L L^T.

    Maximum likelihood (:meth:`fit`): mu_hat = mean of the rows, Sigma_hat =
    (1/n) sum_i (x_i - mu_hat)(x_i - mu_hat)^T (the biased covariance).

    References
    ----------
    Anderson, T. W. (2003). *An Introduction to Multivariate Statistical Analysis*,
    3rd ed., Wiley, chapters 2-3.
    Golub, G. H. and Van Loan, C. F. (2013). *Matrix Computations*, 4th ed., section 4.2.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.probability.multivariate_normal import MultivariateNormal
    >>> mvn = MultivariateNormal([0.0, 0.0], [[2.0, 0.0], [0.0, 2.0]])
    >>> bool(np.isclose(mvn.pdf([0.0, 0.0]), 1 / (2 * np.pi * 2.0)))
    True
    >>> mvn.logpdf([1e3, 0.0]) < -2.5e5        # finite where pdf underflows to 0
    True
    """

    def __init__(self, mean, cov=1.0):
        mean = as_float_array(mean, "mean", copy=True)  # made read-only: not the caller's
        if mean.ndim == 0:
            mean = mean.reshape(1)
        if mean.ndim != 1 or mean.size == 0:
            raise ValueError(f"mean must be a non-empty 1-D vector, got shape {mean.shape}")
        d = mean.size
        cov = self._check_cov(cov, d)
        try:
            factor = linalg.cholesky(cov, lower=True, check_finite=False)
        except np.linalg.LinAlgError:
            raise LinAlgError(
                "cov must be symmetric positive definite; the Cholesky factorisation "
                "found a pivot <= 0 (an eigenvalue <= 0, or too small to resolve in "
                "double precision)"
            ) from None
        for a in (mean, cov, factor):
            a.flags.writeable = False
        self._mean = mean
        self._cov = cov
        self._factor = factor
        self._log_det = 2.0 * float(np.sum(np.log(np.diag(factor))))
        self._log_normaliser = 0.5 * (d * _LOG_2PI + self._log_det)
        self._factor_fortran = np.asfortranarray(factor)
        (self._trtrs,) = linalg.get_lapack_funcs(("trtrs",), (factor,))
        self._fit_data = None
        self._fit_result = None

    @staticmethod
    def _check_cov(cov, d: int) -> np.ndarray:
        """Return cov as a symmetric (d, d) float array; refuse what is not one."""
        cov = as_float_array(cov, "cov")
        if cov.ndim == 0:
            if not cov > 0:
                raise LinAlgError(
                    f"cov must be symmetric positive definite; a scalar cov must be > 0, "
                    f"got {float(cov)!r}"
                )
            return np.eye(d) * float(cov)
        if cov.ndim == 1:
            if cov.shape != (d,):
                raise ValueError(
                    f"cov given as a diagonal must have length {d} to match mean, "
                    f"got shape {cov.shape}"
                )
            if not (cov > 0).all():
                raise LinAlgError(
                    "cov must be symmetric positive definite; a diagonal cov needs "
                    f"entries > 0, got {float(cov[~(cov > 0)][0])!r}"
                )
            return np.diag(cov)
        if cov.shape != (d, d):
            raise ValueError(
                f"cov must have shape ({d}, {d}) to match mean of length {d}, "
                f"got shape {cov.shape}"
            )
        asymmetry = float(np.max(np.abs(cov - cov.T)))
        if asymmetry > _SYMMETRY_RTOL * float(np.max(np.abs(cov))):
            raise ValueError(
                "cov must be symmetric positive definite; it is not symmetric "
                f"(max |cov - cov.T| = {asymmetry:.3g})"
            )
        return 0.5 * (cov + cov.T) if asymmetry > 0 else cov.copy()

    # -- parameters ---------------------------------------------------------------------
    @property
    def dim(self) -> int:
        """The dimension d of the space."""
        return self._mean.size

    @property
    def cov(self) -> np.ndarray:
        """The covariance matrix Sigma, shape (d, d) (read-only)."""
        return self._cov

    @property
    def cholesky(self) -> np.ndarray:
        """The lower triangular L with Sigma = L L^T, shape (d, d) (read-only)."""
        return self._factor

    @property
    def support(self) -> tuple:
        """``(lower, upper)``, each of shape (d,): the whole of R^d."""
        return np.full(self.dim, -np.inf), np.full(self.dim, np.inf)

    def __repr__(self) -> str:
        return f"MultivariateNormal(dim={self.dim})"

    # -- moments and summaries ----------------------------------------------------------
    def mean(self) -> np.ndarray:
        """The mean vector E[X] = mu, shape (d,)."""
        return self._mean.copy()

    def var(self) -> np.ndarray:
        """The marginal variances Var[X_i] = Sigma_ii, shape (d,)."""
        return np.diag(self._cov).copy()

    def std(self) -> np.ndarray:
        """The marginal standard deviations sqrt(Sigma_ii), shape (d,)."""
        return np.sqrt(np.diag(self._cov))

    def entropy(self) -> float:
        """Differential entropy h = 1/2 log det(2 pi e Sigma) in nats."""
        return 0.5 * (self.dim * (1.0 + _LOG_2PI) + self._log_det)

    # -- densities ----------------------------------------------------------------------
    def _as_points(self, x, name: str = "x"):
        """Return (points of shape (n, d), output shape, is_one_point)."""
        if isinstance(x, (str, bytes)):
            raise TypeError(f"{name} must be numeric, got {x!r}")
        try:
            x = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be numeric, got {type(x).__name__}") from None
        d = self.dim
        if d == 1 and x.ndim <= 1:
            # d = 1: a scalar is one point, a vector of length m is m points (as scipy)
            return x.reshape(-1, 1), x.shape, x.size == 1
        if x.ndim == 0 or x.shape[-1] != d:
            raise ValueError(
                f"{name} must have shape (..., {d}) (points in R^{d} along the last axis), "
                f"got shape {x.shape}"
            )
        return x.reshape(-1, d), x.shape[:-1], x.ndim == 1

    def _mahalanobis_sq(self, points: np.ndarray) -> np.ndarray:
        """||L^{-1}(x_i - mu)||^2 for each row (n, d); +inf for a row with an inf."""
        deviation = points - self._mean  # a fresh (n, d) array the solve may overwrite
        # L Y = (X - mu)^T: the transpose is Fortran-ordered, as LAPACK wants it, no copy.
        # LAPACK trtrs is what scipy.linalg.solve_triangular calls, minus ~20 us of
        # wrapper checks per call that matter when the call is for one point.
        whitened, _ = self._trtrs(self._factor_fortran, deviation.T, lower=1, overwrite_b=1)
        # einsum, unlike matmul, sets no floating-point warning when a square overflows
        out = np.einsum("ij,ij->j", whitened, whitened)
        bad = np.isnan(out)
        if bad.any():
            # NaN in x is refused; otherwise the NaN is inf - inf inside the solve, from
            # an infinite (or overflowing) coordinate: the point is infinitely far
            if np.isnan(points[bad]).any():
                raise ValueError("x contains NaN")
            out[bad] = np.inf
        return out

    def _logpdf_points(self, points: np.ndarray) -> np.ndarray:
        out = self._mahalanobis_sq(points)
        out *= -0.5
        out -= self._log_normaliser
        return out

    def logpdf(self, x):
        """Log density log f(x), finite however far x lies from the mean.

        Parameters
        ----------
        x : (..., d) array_like
            Points along the last axis (for d = 1 also a scalar or a 1-D array of points).

        Returns
        -------
        float or ndarray of shape (...)
            -1/2 (d log 2 pi + log det Sigma + (x - mu)^T Sigma^{-1} (x - mu)); a float
            for one point.

        Raises
        ------
        ValueError
            If ``x`` holds NaN or its last axis is not of length d.
        """
        points, shape, one = self._as_points(x)
        out = self._logpdf_points(points)
        return float(out[0]) if one else out.reshape(shape)

    def pdf(self, x):
        """Density f(x) = exp(log f(x)); see :meth:`logpdf` for shapes."""
        points, shape, one = self._as_points(x)
        out = self._logpdf_points(points)
        with np.errstate(over="ignore"):  # a density above 1.8e308 is +inf
            np.exp(out, out=out)
        return float(out[0]) if one else out.reshape(shape)

    def mahalanobis(self, x):
        """Mahalanobis distance sqrt((x - mu)^T Sigma^{-1} (x - mu)) of each point.

        Same shapes as :meth:`logpdf`; the squared distance of a draw is chi-square
        with d degrees of freedom.
        """
        points, shape, one = self._as_points(x)
        out = np.sqrt(self._mahalanobis_sq(points))
        return float(out[0]) if one else out.reshape(shape)

    def log_likelihood(self, data) -> float:
        """Sum of log densities sum_i log f(x_i) of the rows of ``data``.

        Parameters
        ----------
        data : (n, d) array_like
            Finite observations, one per row (one point of shape (d,) also accepted).
        """
        data = as_float_array(data, "data")
        if data.size == 0:
            raise ValueError("data is empty")
        points, _, _ = self._as_points(data, "data")
        return float(np.sum(self._logpdf_points(points)))

    # -- sampling -----------------------------------------------------------------------
    def rvs(self, size=None, rng=None) -> np.ndarray:
        """Draw points mu + L z with z ~ N(0, I_d).

        Parameters
        ----------
        size : int or tuple of ints, optional
            Number (shape) of draws; ``None`` gives one point.
        rng : None, int or numpy.random.Generator
            Source of randomness (SPEC 7).

        Returns
        -------
        ndarray of shape size + (d,)
            (d,) when ``size`` is None.
        """
        rng = check_rng(rng)
        if size is None:
            shape = ()
        else:
            shape = (size,) if isinstance(size, numbers.Integral) else tuple(size)
            if any(not isinstance(s, numbers.Integral) or s < 0 for s in shape):
                raise ValueError(f"size must be a non-negative int or tuple of them, got {size!r}")
        z = rng.standard_normal(shape + (self.dim,))
        # rows z_i^T L^T = (L z_i)^T, one BLAS product for all draws
        out = z @ self._factor.T
        out += self._mean
        return out

    # -- divergence ---------------------------------------------------------------------
    def kl_divergence(self, other: MultivariateNormal) -> float:
        """KL(self || other) in nats, closed form.

        Parameters
        ----------
        other : MultivariateNormal
            N(mu_1, Sigma_1) of the same dimension.

        Returns
        -------
        float
            1/2 [tr(Sigma_1^{-1} Sigma_0) + (mu_1 - mu_0)^T Sigma_1^{-1} (mu_1 - mu_0)
            - d + log det Sigma_1 - log det Sigma_0], where self = N(mu_0, Sigma_0).

        Raises
        ------
        TypeError
            If ``other`` is not a MultivariateNormal.
        ValueError
            If the dimensions differ.

        Notes
        -----
        With M = L_1^{-1} L_0 (lower triangular, M_ii = L0_ii / L1_ii) and
        delta = L_1^{-1}(mu_1 - mu_0), both from one triangular solve,
        tr(Sigma_1^{-1} Sigma_0) = ||M||_F^2 and log det Sigma_1 - log det Sigma_0 =
        -sum_i log M_ii^2, so

            2 KL = sum_i (M_ii^2 - 1 - log M_ii^2) + sum_{i>j} M_ij^2 + ||delta||^2,

        a sum of non-negative terms: no cancellation when the two are close. For
        other = N(0, I) and Sigma_0 = diag(s^2) it is the VAE term
        1/2 sum_i (s_i^2 + mu_i^2 - 1 - log s_i^2) (Kingma & Welling 2014, appendix B).
        """
        if not isinstance(other, MultivariateNormal):
            raise TypeError(
                f"no closed-form KL divergence between MultivariateNormal and "
                f"{type(other).__name__}"
            )
        if other.dim != self.dim:
            raise ValueError(
                f"dimensions differ: self has d={self.dim}, other has d={other.dim}"
            )
        rhs = np.empty((self.dim, self.dim + 1))
        rhs[:, :-1] = self._factor
        rhs[:, -1] = other._mean - self._mean
        solved = linalg.solve_triangular(
            other._factor, rhs, lower=True, overwrite_b=True, check_finite=False
        )
        m, delta = solved[:, :-1], solved[:, -1]
        ratio = np.diag(m) ** 2
        # r - 1 - log r with u = r - 1 written so that it does not cancel near r = 1
        u = ratio - 1.0
        diagonal = float(np.sum(u - np.log1p(u)))
        off_diagonal = float(np.sum(np.square(np.tril(m, -1))))
        return 0.5 * (diagonal + off_diagonal + float(delta @ delta))

    # -- marginals and conditionals ----------------------------------------------------
    def _check_indices(self, indices, name: str = "indices") -> np.ndarray:
        idx = np.asarray(indices)
        if idx.ndim == 0:
            idx = idx.reshape(1)
        if idx.ndim != 1 or idx.size == 0 or idx.dtype.kind not in "iu":
            raise ValueError(
                f"{name} must be a non-empty 1-D sequence of integers, got {indices!r}"
            )
        d = self.dim
        if ((idx < -d) | (idx >= d)).any():
            raise ValueError(f"{name} must lie in [-{d}, {d}), got {indices!r}")
        idx = idx % d
        if np.unique(idx).size != idx.size:
            raise ValueError(f"{name} must not repeat a coordinate, got {indices!r}")
        return idx

    def marginal(self, indices) -> MultivariateNormal:
        """The distribution of the coordinates ``indices``: N(mu_A, Sigma_AA).

        Parameters
        ----------
        indices : int or sequence of int
            Coordinates to keep (in this order), distinct, negative counted from the end.
        """
        idx = self._check_indices(indices)
        return MultivariateNormal(self._mean[idx], self._cov[np.ix_(idx, idx)])

    def condition(self, indices, values) -> MultivariateNormal:
        """The distribution of the other coordinates given X[indices] = values.

        Parameters
        ----------
        indices : int or sequence of int
            The observed coordinates B (distinct; at least one coordinate must remain).
        values : (len(indices),) array_like
            Their observed values x_B.

        Returns
        -------
        MultivariateNormal
            N(mu_A + Sigma_AB Sigma_BB^{-1} (x_B - mu_B),
            Sigma_AA - Sigma_AB Sigma_BB^{-1} Sigma_BA) over the remaining coordinates A
            in increasing order.

        Notes
        -----
        The covariance is the Schur complement of Sigma_BB. With Sigma_BB = L_B L_B^T
        and W = L_B^{-1} Sigma_BA, it is Sigma_AA - W^T W and the mean is
        mu_A + W^T L_B^{-1}(x_B - mu_B) (Anderson 2003, theorem 2.5.1).
        """
        observed = self._check_indices(indices)
        values = as_vector(values, "values")
        if values.shape != observed.shape:
            raise ValueError(
                f"values must have one entry per index ({observed.size}), got shape "
                f"{values.shape}"
            )
        rest = np.setdiff1d(np.arange(self.dim), observed)
        if rest.size == 0:
            raise ValueError("condition on every coordinate leaves no distribution")
        s = self._cov
        try:
            factor_b = linalg.cholesky(
                s[np.ix_(observed, observed)], lower=True, check_finite=False
            )
            rhs = np.empty((observed.size, rest.size + 1))
            rhs[:, :-1] = s[np.ix_(observed, rest)]
            rhs[:, -1] = values - self._mean[observed]
            solved = linalg.solve_triangular(
                factor_b, rhs, lower=True, overwrite_b=True, check_finite=False
            )
            w, z = solved[:, :-1], solved[:, -1]
            return MultivariateNormal(
                self._mean[rest] + w.T @ z, s[np.ix_(rest, rest)] - w.T @ w
            )
        except np.linalg.LinAlgError:
            # exact arithmetic keeps both Sigma_BB and the Schur complement PD; rounding
            # can lose it when Sigma is near singular
            raise LinAlgError(
                "the conditional covariance (Schur complement of Sigma_BB) is not "
                "numerically positive definite: cov is too close to singular"
            ) from None

    # -- maximum likelihood -------------------------------------------------------------
    @classmethod
    def fit(cls, data) -> MultivariateNormal:
        """Fit N(mu, Sigma) to the rows of ``data`` by maximum likelihood.

        Parameters
        ----------
        data : (n, d) array_like
            Finite observations, one per row, n >= d + 1.

        Returns
        -------
        MultivariateNormal
            The fitted distribution; its ``fit_result`` is a :class:`FitResult`.

        Raises
        ------
        ValueError
            If ``data`` is not 2-D, holds NaN/inf, has n < d + 1 rows, or its sample
            covariance is singular (the rows lie in an affine subspace), where the
            likelihood has no maximum.

        Notes
        -----
        mu_hat = (1/n) sum_i x_i and Sigma_hat = (1/n) sum_i (x_i - mu_hat)(x_i - mu_hat)^T,
        computed from the centred rows (two passes, no loss to cancellation).

        ``fit_result`` names the k = d + d(d+1)/2 free parameters ``mean[i]`` and
        ``cov[i,j]`` (i >= j, rows of the lower triangle), so AIC and BIC count all of
        them. The inverse Fisher information at the estimate is block diagonal:
        Cov(mu_hat) = Sigma / n, so se(mean[i]) = sqrt(Sigma_ii / n), and
        Cov(s_ij, s_kl) = (s_ik s_jl + s_il s_jk) / n, so
        se(cov[i,j]) = sqrt((s_ij^2 + s_ii s_jj) / n) (Anderson 2003, chapter 3).
        At the MLE the observed and expected information coincide. ``fit_result`` is
        built on first access: its ``cov`` has k^2 entries, O(d^4) memory.
        """
        data = as_matrix(data, "data", min_cols=1)
        n, d = data.shape
        if n < d + 1:
            raise ValueError(
                f"data has {n} row(s) in d={d} dimensions; the maximum-likelihood "
                f"covariance needs n >= d + 1 = {d + 1} rows to be positive definite"
            )
        mean = data.mean(axis=0)
        centred = data - mean
        cov = centred.T @ centred  # NumPy's A^T A (syrk) is symmetric; else averaged
        cov /= n
        try:
            dist = cls(mean, cov)
        except LinAlgError:
            raise ValueError(
                "data has a singular sample covariance (the rows lie in a lower-"
                "dimensional affine subspace); the likelihood has no maximum"
            ) from None
        dist._fit_data = (n, dist.log_likelihood(data))
        return dist

    @property
    def fit_result(self) -> FitResult | None:
        """The :class:`FitResult` of :meth:`fit` (``None`` if not fitted); see fit's Notes."""
        if self._fit_data is None:
            return None
        if self._fit_result is None:
            self._fit_result = self._build_fit_result(*self._fit_data)
        return self._fit_result

    def _build_fit_result(self, n: int, loglik: float) -> FitResult:
        d, s, mu = self.dim, self._cov, self._mean
        rows, cols = np.tril_indices(d)
        names_mean = [f"mean[{i}]" for i in range(d)]
        names_cov = [f"cov[{i},{j}]" for i, j in zip(rows.tolist(), cols.tolist())]
        k = d + rows.size
        information_inverse = np.zeros((k, k))
        information_inverse[:d, :d] = s / n
        information_inverse[d:, d:] = (
            s[np.ix_(rows, rows)] * s[np.ix_(cols, cols)]
            + s[np.ix_(rows, cols)] * s[np.ix_(cols, rows)]
        ) / n
        stderr = np.sqrt(np.diag(information_inverse))
        names = names_mean + names_cov
        values = np.concatenate([mu, s[rows, cols]])
        return FitResult(
            family="MultivariateNormal",
            params=dict(zip(names, values.tolist())),
            free=tuple(names),
            stderr=dict(zip(names, stderr.tolist())),
            cov=information_inverse,
            log_likelihood=loglik,
            nobs=n,
        )
