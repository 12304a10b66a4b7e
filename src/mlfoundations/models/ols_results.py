"""Inference for (weighted) least squares: standard errors, t, p, R², F, likelihood.

Under the linear model y = Z beta + e, e ~ N(0, sigma^2 W^{-1}), with the n x k design
Z (a column of ones first when there is an intercept) and W = diag(w), the weighted
least-squares estimate has

    Cov(beta_hat) = sigma^2 (Z^T W Z)^{-1},    sigma^2_hat = SSR / (n - rank),

and every other statistic follows from these two and the sums of squares: each is a
small cached property built on the ones before it, so the class reads in the order of
the chapter it implements (Greene, *Econometric Analysis*, 8th ed., ch. 4-5; the
definitions and names are those of statsmodels' ``RegressionResults``, so numbers
agree with ``statsmodels.api.WLS(y, Z, weights=w).fit()``).
"""

from __future__ import annotations

import warnings
from functools import cached_property

import numpy as np

from .._validation import check_probability
from ..probability import FDistribution, StudentT

__all__ = ["OLSResults"]


class OLSResults:
    """The fitted (weighted) least-squares model and its classical inference.

    Made by :class:`~mlfoundations.models.LinearRegression` (its ``results_``); the
    constructor is public so that any least-squares solver can report through it.

    Parameters
    ----------
    params : (k,) array_like
        beta_hat, the intercept first when the model has one.
    cov_root : (k, m) array_like
        A factor B with B B^T = (Z^T W Z)^{-1} (the pseudo-inverse when Z is rank
        deficient): standard errors are the row norms of B times sigma_hat, so the
        k x k covariance need not be formed unless asked for.
    nobs : int
        n, the number of rows (zero-weight rows included, as statsmodels counts them).
    rank : int
        Rank of the design Z (intercept column included).
    k_constant : int
        1 when the model contains a constant (then R² is centred), else 0.
    ssr : float
        Sum of squared (weighted) residuals, sum_i w_i (y_i - z_i beta_hat)^2.
    centered_tss, uncentered_tss : float
        sum_i w_i (y_i - ybar_w)^2 and sum_i w_i y_i^2.
    sum_log_weights : float, default 0.0
        sum_i log w_i, the Jacobian term of the weighted log-likelihood.
    fittedvalues, resid : (n,) array_like or None
        Z beta_hat and y - Z beta_hat; None when no per-sample data was kept.
    param_names : sequence of str or None
        Names for the summary table (default ``x1, x2, ...``).
    weighted : bool, default False
        Whether sample weights were given (the summary then says WLS).
    missing_data_reason : str
        Why ``resid``/``fittedvalues`` are None, used in the error raised on access.

    Notes
    -----
    With df_resid = nobs - rank = 0 the fit interpolates the data and sigma^2 has no
    estimate: the first statistic that needs it warns (``RuntimeWarning``) and
    ``mse_resid``, ``bse``, ``tvalues``, ``pvalues``, ``conf_int``, ``cov_params``,
    ``fvalue``, ``f_pvalue`` and ``rsquared_adj`` are NaN (statsmodels divides by
    zero there). Without per-sample data (a fit by ``partial_fit``), ``resid`` and
    ``fittedvalues`` raise ``AttributeError``; everything else is available.

    References
    ----------
    W. H. Greene, *Econometric Analysis*, 8th ed., Pearson (2018), ch. 4-5.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.models import LinearRegression
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0], [5.0]])
    >>> res = LinearRegression().fit(X, [2.1, 4.2, 6.1, 7.9, 10.2]).results_
    >>> np.round(res.params, 6)
    array([0.13, 1.99])
    >>> round(res.rsquared, 6), np.round(res.bse, 6)
    (0.998512, array([0.147083, 0.044347]))
    """

    def __init__(
        self,
        params,
        cov_root,
        *,
        nobs,
        rank,
        k_constant,
        ssr,
        centered_tss,
        uncentered_tss,
        sum_log_weights=0.0,
        fittedvalues=None,
        resid=None,
        param_names=None,
        weighted=False,
        missing_data_reason="no per-sample data was given",
    ):
        self.params = np.asarray(params, dtype=np.float64)
        self._cov_root = np.asarray(cov_root, dtype=np.float64)
        self.nobs = int(nobs)
        self.rank = int(rank)
        self.k_constant = int(k_constant)
        self.ssr = float(ssr)
        self.centered_tss = float(centered_tss)
        self.uncentered_tss = float(uncentered_tss)
        self.sum_log_weights = float(sum_log_weights)
        self._fittedvalues = fittedvalues
        self._resid = resid
        self._missing_data_reason = missing_data_reason
        self.weighted = bool(weighted)
        if param_names is None:
            param_names = [f"x{i}" for i in range(1, len(self.params) + 1)]
        self.param_names = list(param_names)

    # --- per-sample quantities -------------------------------------------------------------
    @property
    def fittedvalues(self) -> np.ndarray:
        """Fitted values y_hat = Z beta_hat."""
        return self._per_sample(self._fittedvalues, "fittedvalues")

    @property
    def resid(self) -> np.ndarray:
        """Residuals e = y - Z beta_hat (unweighted, as statsmodels' ``resid``)."""
        return self._per_sample(self._resid, "resid")

    def _per_sample(self, value, name):
        if value is None:
            raise AttributeError(f"{name} is not available: {self._missing_data_reason}")
        return value

    # --- degrees of freedom and the error variance -------------------------------------------
    @property
    def df_model(self) -> float:
        """Model degrees of freedom: rank - k_constant."""
        return float(self.rank - self.k_constant)

    @property
    def df_resid(self) -> float:
        """Residual degrees of freedom: nobs - rank."""
        return float(self.nobs - self.rank)

    @cached_property
    def mse_resid(self) -> float:
        """sigma^2_hat = ssr / df_resid, the unbiased error variance (NaN when df_resid = 0)."""
        if self.df_resid <= 0:
            warnings.warn(
                f"df_resid = {self.df_resid:g}: {self.nobs} sample(s) for {self.rank} "
                "parameter(s), so the fit interpolates the data and the error variance is "
                "undefined; standard errors, t, p-values, confidence intervals and F are NaN",
                RuntimeWarning,
                stacklevel=3,
            )
            return np.nan
        return self.ssr / self.df_resid

    @property
    def scale(self) -> float:
        """The error variance sigma^2_hat (statsmodels' name for ``mse_resid``)."""
        return self.mse_resid

    # --- the parameters ------------------------------------------------------------------------
    @cached_property
    def normalized_cov_params(self) -> np.ndarray:
        """(Z^T W Z)^{-1} (pseudo-inverse if rank deficient) = B B^T."""
        return self._cov_root @ self._cov_root.T

    def cov_params(self) -> np.ndarray:
        """Covariance of beta_hat: sigma^2_hat (Z^T W Z)^{-1}, shape (k, k)."""
        return self.mse_resid * self.normalized_cov_params

    @cached_property
    def bse(self) -> np.ndarray:
        """Standard errors sqrt(diag Cov(beta_hat)) = sigma_hat ||B_i.||."""
        return np.sqrt(self.mse_resid * np.einsum("ij,ij->i", self._cov_root, self._cov_root))

    @cached_property
    def tvalues(self) -> np.ndarray:
        """t statistics beta_hat / se(beta_hat) for H0: beta_j = 0."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.params / self.bse

    @cached_property
    def pvalues(self) -> np.ndarray:
        """Two-sided p-values 2 P(T > |t|), T ~ Student t with df_resid degrees of freedom."""
        return 2.0 * _t_sf(np.abs(self.tvalues), self.df_resid)

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        """(k, 2) confidence intervals beta_hat -/+ t_{1 - alpha/2, df_resid} se(beta_hat)."""
        alpha = check_probability(alpha, "alpha", open_interval=True)
        q = StudentT(df=self.df_resid).ppf(1.0 - alpha / 2.0) if self.df_resid > 0 else np.nan
        half_width = q * self.bse
        return np.column_stack([self.params - half_width, self.params + half_width])

    # --- sums of squares and goodness of fit ---------------------------------------------------
    @property
    def ess(self) -> float:
        """Explained sum of squares: (centred if a constant, else uncentred) TSS - ssr."""
        return (self.centered_tss if self.k_constant else self.uncentered_tss) - self.ssr

    @property
    def rsquared(self) -> float:
        """R² = 1 - ssr / TSS (TSS centred with a constant, uncentred without)."""
        tss = self.centered_tss if self.k_constant else self.uncentered_tss
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(1.0 - np.float64(self.ssr) / tss)

    @property
    def rsquared_adj(self) -> float:
        """Adjusted R² = 1 - (nobs - k_constant) / df_resid (1 - R²) (NaN if df_resid = 0)."""
        if self.df_resid <= 0:
            return np.nan
        return 1.0 - (self.nobs - self.k_constant) / self.df_resid * (1.0 - self.rsquared)

    @property
    def mse_model(self) -> float:
        """ess / df_model (NaN when df_model = 0)."""
        return self.ess / self.df_model if self.df_model > 0 else np.nan

    @property
    def mse_total(self) -> float:
        """TSS / (df_resid + df_model)."""
        tss = self.centered_tss if self.k_constant else self.uncentered_tss
        dof = self.df_resid + self.df_model
        return tss / dof if dof > 0 else np.nan

    @cached_property
    def fvalue(self) -> float:
        """F = mse_model / mse_resid for H0: every slope is 0."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(np.float64(self.mse_model) / self.mse_resid)

    @cached_property
    def f_pvalue(self) -> float:
        """P(F_{df_model, df_resid} > fvalue)."""
        if self.df_model <= 0 or self.df_resid <= 0 or np.isnan(self.fvalue):
            return np.nan
        return float(FDistribution(dfn=self.df_model, dfd=self.df_resid).sf(self.fvalue))

    # --- likelihood and information criteria ---------------------------------------------------
    @cached_property
    def llf(self) -> float:
        """Profile log-likelihood -n/2 (1 + log(2 pi ssr / n)) + 1/2 sum_i log w_i."""
        n = self.nobs
        with np.errstate(divide="ignore"):  # a perfect fit, ssr = 0, has llf = +inf
            log_ssr = np.log(2.0 * np.pi * np.float64(self.ssr) / n)
        return float(-0.5 * n * (1.0 + log_ssr) + 0.5 * self.sum_log_weights)

    @property
    def aic(self) -> float:
        """Akaike's criterion -2 llf + 2 (df_model + k_constant)."""
        return -2.0 * self.llf + 2.0 * (self.df_model + self.k_constant)

    @property
    def bic(self) -> float:
        """Schwarz's criterion -2 llf + log(nobs) (df_model + k_constant)."""
        return -2.0 * self.llf + np.log(self.nobs) * (self.df_model + self.k_constant)

    # --- report --------------------------------------------------------------------------------
    def summary(self, alpha: float = 0.05) -> str:
        """A text table in the layout of statsmodels' summary: fit statistics, then per parameter
        coef, std err, t, P>|t| and the (1 - alpha) confidence interval."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # NaNs are shown as such
            ci = self.conf_int(alpha)
            rows = [
                (name, f"{b:.4g}", f"{se:.4g}", f"{t:.3f}", f"{p:.3f}", f"{lo:.4g}", f"{hi:.4g}")
                for name, b, se, t, p, (lo, hi) in zip(
                    self.param_names, self.params, self.bse, self.tvalues, self.pvalues, ci
                )
            ]
            centred = "" if self.k_constant else " (uncentered)"
            left = [
                ("Model:", "WLS" if self.weighted else "OLS"),
                ("No. Observations:", f"{self.nobs}"),
                ("Df Residuals:", f"{self.df_resid:g}"),
                ("Df Model:", f"{self.df_model:g}"),
                ("Residual std err:", f"{np.sqrt(self.mse_resid):.4g}"),
            ]
            right = [
                (f"R-squared{centred}:", f"{self.rsquared:.3f}"),
                (f"Adj. R-squared{centred}:", f"{self.rsquared_adj:.3f}"),
                ("F-statistic:", f"{self.fvalue:.4g}"),
                ("Prob (F-statistic):", f"{self.f_pvalue:.3g}"),
                ("Log-Likelihood:", f"{self.llf:.5g}"),
                ("AIC:", f"{self.aic:.4g}"),
                ("BIC:", f"{self.bic:.4g}"),
            ]
        lo_q, hi_q = f"[{alpha / 2:g}", f"{1 - alpha / 2:g}]"
        header = ("", "coef", "std err", "t", "P>|t|", lo_q, hi_q)
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        table = [
            "  ".join([row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])])
            for row in [header, *rows]
        ]
        width = max(78, len(table[0]))
        half = width // 2 - 1
        stats = []
        for i in range(max(len(left), len(right))):
            a = "{:<20}{:>{w}}".format(*left[i], w=half - 20) if i < len(left) else " " * half
            b = "{:<25}{:>{w}}".format(*right[i], w=half - 25) if i < len(right) else ""
            stats.append(f"{a}  {b}")
        title = "Least Squares Regression Results".center(width)
        bar, thin = "=" * width, "-" * width
        return "\n".join([title, bar, *stats, bar, table[0], thin, *table[1:], bar])

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        k = len(self.params)
        return f"<OLSResults: {k} parameters, nobs={self.nobs}, R²={self.rsquared:.4g}>"


def _t_sf(t: np.ndarray, df: float) -> np.ndarray:
    """P(T > t) for Student's t with df degrees of freedom, NaN where t is NaN or df <= 0."""
    out = np.full(np.shape(t), np.nan)
    known = ~np.isnan(t)
    if df > 0 and known.any():
        out[known] = StudentT(df=df).sf(t[known])
    return out
