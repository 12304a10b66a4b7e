r"""Statistics pictures: a t-test against its null distribution, a regression's confidence band,
the lasso path."""

from __future__ import annotations

import math

import numpy as np

from .._validation import as_matrix, as_vector
from ..probability import Normal, StudentT
from ..stats import TestResult
from ._style import COLORS, finite_range, new_figure, require_fitted

__all__ = ["plot_ttest", "plot_regression", "plot_lasso_path"]

_ALPHA = 0.05


def _null_distribution(result: TestResult):
    return StudentT(result.df) if result.reference == "t" else Normal()


def plot_ttest(result):
    r"""A t (or z) test as a picture: the null distribution, the observed statistic, the CI.

    Parameters
    ----------
    result : TestResult
        From :func:`~mlfoundations.stats.ttest_ind`, :func:`~mlfoundations.stats.ttest_rel`,
        :func:`~mlfoundations.stats.ttest_1samp` or :func:`~mlfoundations.stats.ztest`.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes. Left: the density of the statistic under the null hypothesis
        (Student's t with ``df`` degrees of freedom, or the standard normal), the
        rejection region at alpha = 0.05 for the test's alternative, the observed
        statistic and the tail area that is its p-value. Right: the estimate with
        its 95% confidence interval (``result.confidence_interval(0.95)``) against
        the null value.

    Raises
    ------
    TypeError
        If ``result`` is not a TestResult.
    ValueError
        If the test has no t or normal reference distribution or no confidence
        interval (the chi-square tests), or its statistic is not finite.

    Notes
    -----
    t = (estimate - null value) / se. Two-sided: p = P(|T| >= |t|) and the test
    rejects when |t| > t_{df, 1 - alpha/2}; the 95% interval estimate ± t_{df, 0.975} se
    excludes the null value exactly when the two-sided test rejects at 5%.

    References
    ----------
    Student, "The probable error of a mean", Biometrika 6(1) (1908).

    Examples
    --------
    >>> from mlfoundations.stats import ttest_ind
    >>> result = ttest_ind([85, 87, 82, 86, 88, 85, 87], [78, 82, 79, 81, 80, 83, 78])
    >>> fig = plot_ttest(result)
    >>> [line.get_label() for line in fig.axes[1].lines][:1]
    ['95% CI [3.284, 7.859]']
    """
    if not isinstance(result, TestResult):
        raise TypeError(f"result must be a TestResult (from ttest_ind, ttest_rel, ...), got {type(result).__name__}")
    if result.reference not in ("t", "normal") or result.estimate is None or result.standard_error is None:
        raise ValueError(
            f"plot_ttest needs a t or z test with an estimate and a confidence interval; "
            f"the {result.test} has none"
        )
    t_obs = float(result.statistic)
    if not math.isfinite(t_obs):
        raise ValueError(f"the statistic of the {result.test} is {t_obs}; nothing to draw")
    null = _null_distribution(result)
    symbol = result.statistic_name
    null_name = f"Student's t, df = {result.df:.4g}" if result.reference == "t" else "standard normal"
    title = (f"{result.test}: ${symbol}$ = (estimate − null value) / se = {t_obs:.4g}, "
             f"p = {result.pvalue:.3g}")
    fig, (ax_null, ax_ci) = new_figure(1, 2, panel_width=5.5, title=title)

    half_width = max(4.0, 1.15 * abs(t_obs))
    x = np.linspace(-half_width, half_width, 801)
    density = null.pdf(x)
    ax_null.plot(x, density, color="k", linewidth=1.5, label=f"null: {null_name}")
    alternative = result.alternative or "two-sided"
    if alternative == "two-sided":
        critical = float(null.ppf(1.0 - _ALPHA / 2))
        reject = np.abs(x) >= critical
        extreme = np.abs(x) >= abs(t_obs)
    elif alternative == "greater":
        critical = float(null.ppf(1.0 - _ALPHA))
        reject, extreme = x >= critical, x >= t_obs
    else:
        critical = float(null.ppf(_ALPHA))
        reject, extreme = x <= critical, x <= t_obs
    ax_null.fill_between(x, 0.0, density, where=reject, color=COLORS[3], alpha=0.25,
                         label=f"rejection region, α = {_ALPHA:g} (|{symbol}| ≥ {abs(critical):.3g})")
    ax_null.fill_between(x, 0.0, density, where=extreme, color=COLORS[0], alpha=0.5,
                         label=f"p-value = {result.pvalue:.3g}")
    ax_null.axvline(t_obs, color=COLORS[0], linewidth=2, label=f"observed {symbol} = {t_obs:.4g}")
    ax_null.set(xlabel=f"${symbol}$", ylabel="density under $H_0$", ylim=(0, None),
                title=f"null distribution of ${symbol}$ ({alternative})")
    ax_null.legend(fontsize="small", loc="upper left")

    ci = result.confidence_interval(1.0 - _ALPHA)
    estimate, null_value = float(result.estimate), float(result.null_value or 0.0)
    finite_ends = [v for v in (ci.low, ci.high, estimate, null_value) if math.isfinite(v)]
    x_lo, x_hi = finite_range(np.array(finite_ends), pad=0.25)
    low = ci.low if math.isfinite(ci.low) else x_lo
    high = ci.high if math.isfinite(ci.high) else x_hi
    ax_ci.plot([low, high], [0.0, 0.0], color=COLORS[0], linewidth=6, solid_capstyle="butt",
               label=f"95% CI [{ci.low:.4g}, {ci.high:.4g}]")
    ax_ci.plot([estimate], [0.0], marker="o", markersize=10, color="k", linestyle="none",
               label=f"estimate {estimate:.4g}")
    ax_ci.axvline(null_value, color=COLORS[3], linestyle="--", label=f"null value {null_value:.4g}")
    ax_ci.set(xlim=(x_lo, x_hi), ylim=(-1, 1), yticks=[], xlabel=result.estimate_name or "estimate",
              title=r"estimate $\pm\ t_{df,\,0.975}\cdot$ se" if result.reference == "t"
              else r"estimate $\pm\ z_{0.975}\cdot$ se")
    ax_ci.legend(fontsize="small", loc="upper left")
    return fig


def _regression_band(results, x: np.ndarray, confidence: float):
    """``y_hat(x)`` and the half-width t_{n-p, 1-alpha/2} sqrt(z^T Cov(beta_hat) z), z = (1, x) or (x)."""
    Z = np.column_stack([np.ones_like(x), x]) if results.params.size == 2 else x[:, None]
    y_hat = Z @ results.params
    se = np.sqrt(np.einsum("ij,jk,ik->i", Z, results.cov_params(), Z))
    t = float(StudentT(results.df_resid).ppf(0.5 + confidence / 2.0))
    return y_hat, t * se, t


def plot_regression(model, X, y):
    r"""A one-feature regression: the data, the fitted line and its 95% confidence band.

    Parameters
    ----------
    model : regressor
        A fitted linear regressor of :mod:`mlfoundations.models` on exactly one
        feature. A :class:`~mlfoundations.models.LinearRegression` (which has
        ``results_``) also gets the confidence band of the mean and the prediction
        band; other regressors (``Ridge``, ``Lasso``...) get the line only.
    X : (n_samples, 1) array_like
        The feature.
    y : (n_samples,) array_like
        The response.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: the points, the line ``y_hat(x) = model.predict(x)``, the 95% band
        of the mean ``y_hat ± t_{n-p, 0.975} se(y_hat)`` and the wider 95% band
        for a new observation ``y_hat ± t_{n-p, 0.975} sqrt(se(y_hat)^2 + s^2)``.

    Raises
    ------
    NotFittedError
        If ``model`` has not been fitted.
    TypeError
        If ``model`` is not an estimator or has no ``predict``, or is a classifier.
    ValueError
        If the model was fitted on more than one feature, ``X`` does not have one
        column, ``y`` does not match ``X``, or either is empty or not finite.

    Notes
    -----
    With z = (1, x) and Cov(beta_hat) = s^2 (Z^T Z)^{-1} (``results_.cov_params()``),
    se(y_hat(x)) = sqrt(z^T Cov(beta_hat) z); the band is narrowest at the mean of x
    and widens hyperbolically away from it. s^2 = SSR / (n - p) estimates the noise
    variance.

    References
    ----------
    W. H. Greene, *Econometric Analysis*, 8th ed., Pearson (2018), section 4.7.

    Examples
    --------
    >>> from mlfoundations.models import LinearRegression
    >>> X, y = [[1.0], [2.0], [3.0], [4.0], [5.0]], [2.1, 4.2, 6.1, 7.9, 10.2]
    >>> fig = plot_regression(LinearRegression().fit(X, y), X, y)
    >>> len(fig.axes)
    1
    """
    require_fitted(model)
    if not hasattr(model, "predict"):
        raise TypeError(f"model must be a regressor with predict, got {type(model).__name__}")
    if hasattr(model, "classes_"):
        raise TypeError(f"plot_regression draws a regression line; {type(model).__name__} is a classifier")
    n_features = getattr(model, "n_features_in_", None)
    if n_features != 1:
        raise ValueError(
            f"plot_regression draws one feature against y; the model was fitted on {n_features} "
            "features (fit it on a single column to plot it)"
        )
    X = as_matrix(X, "X", min_rows=1)
    if X.shape[1] != 1:
        raise ValueError(f"X must have exactly one column, got shape {X.shape}")
    y = as_vector(y, "y")
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y has {y.shape[0]} entries but X has {X.shape[0]} rows")

    x = X[:, 0]
    lo, hi = finite_range(x)
    grid = np.linspace(lo, hi, 200)
    line = np.asarray(model.predict(grid[:, None]), dtype=np.float64)
    name = type(model).__name__
    fig, (ax,) = new_figure(panel_width=6.5, panel_height=4.5)
    ax.scatter(x, y, s=18, color="k", alpha=0.7, label=f"data (n = {x.size})", zorder=3)
    results = getattr(model, "results_", None)
    has_band = results is not None and results.df_resid > 0
    if has_band:
        _, half, t = _regression_band(results, grid, 1.0 - _ALPHA)
        half_new = t * np.sqrt((half / t) ** 2 + results.scale)
        ax.fill_between(grid, line - half_new, line + half_new, color=COLORS[0], alpha=0.12,
                        label="95% prediction band (new y)")
        t_symbol = rf"t_{{{results.df_resid:.0f},\,0.975}}"
        ax.fill_between(grid, line - half, line + half, color=COLORS[0], alpha=0.35,
                        label=rf"95% band of the mean $\hat y \pm {t_symbol}\,\mathrm{{se}}(\hat y)$")
        slope = results.params[-1]
        if results.params.size == 2:
            sign = "+" if slope >= 0 else "−"
            equation = rf"$\hat y = {results.params[0]:.4g} {sign} {abs(slope):.4g}\,x$"
        else:
            equation = rf"$\hat y = {slope:.4g}\,x$ (no intercept)"
        title = f"{name}: {equation}, $R^2$ = {results.rsquared:.4f}"
    else:
        title = f"{name}: fitted line" + ("" if results is None else " (no band: df_resid = 0)")
    ax.plot(grid, line, color=COLORS[0], linewidth=2, label="fitted line $\\hat y(x)$")
    ax.set(xlabel="x", ylabel="y", title=title)
    fig.suptitle("Least squares: the fitted line and its 95% confidence band" if has_band
                 else "Regression: the fitted line")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return fig


def plot_lasso_path(alphas, coefs, *, feature_names=None):
    r"""The lasso path: each coefficient as the penalty alpha shrinks.

    Parameters
    ----------
    alphas : (n_alphas,) array_like
        Penalties, all > 0 (as returned by :func:`~mlfoundations.models.lasso_path`).
    coefs : (n_features, n_alphas) array_like
        ``coefs[j, i]`` is coefficient j at ``alphas[i]``.
    feature_names : sequence of str, optional
        One name per feature for the legend (default ``x1, x2, ...``).

    Returns
    -------
    matplotlib.figure.Figure
        One axes: each coefficient against alpha on a log scale, the axis reversed
        so that the penalty weakens to the right; the title counts the non-zero
        coefficients at both ends.

    Raises
    ------
    ValueError
        If ``alphas`` is empty, not 1-D, not finite or not positive, ``coefs`` is not
        (n_features, len(alphas)), or ``feature_names`` has the wrong length.

    Notes
    -----
    For each alpha the lasso minimises (1 / (2 n)) ||y - X w||_2^2 + alpha ||w||_1.
    From alpha_max = ||X^T y||_inf / n down, coefficients leave zero one by one (the
    soft threshold S(z, alpha) = sign(z) max(|z| - alpha, 0) of coordinate descent),
    which is why the lasso selects features.

    References
    ----------
    R. Tibshirani, "Regression shrinkage and selection via the lasso", J. R. Stat.
    Soc. B 58(1) (1996). Friedman, Hastie & Tibshirani, "Regularization paths for
    generalized linear models via coordinate descent", J. Stat. Softw. 33(1) (2010).

    Examples
    --------
    >>> from mlfoundations.models import lasso_path
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]])
    >>> alphas, coefs, _ = lasso_path(X, [1.0, 0.5, 1.4, -0.8], n_alphas=5)
    >>> fig = plot_lasso_path(alphas, coefs, feature_names=["a", "b"])
    >>> [line.get_label() for line in fig.axes[0].lines[:2]]
    ['a', 'b']
    """
    alphas = as_vector(alphas, "alphas", min_size=1)
    if np.any(alphas <= 0):
        raise ValueError("alphas must all be > 0 (they are drawn on a log scale)")
    coefs = as_matrix(coefs, "coefs")
    if coefs.shape[1] != alphas.size:
        raise ValueError(
            f"coefs must have shape (n_features, n_alphas) = (n_features, {alphas.size}), got {coefs.shape}"
        )
    n_features = coefs.shape[0]
    names = [f"x{j + 1}" for j in range(n_features)] if feature_names is None else [str(n) for n in feature_names]
    if len(names) != n_features:
        raise ValueError(f"feature_names has {len(names)} names for {n_features} features")
    fig, (ax,) = new_figure(panel_width=7.0, panel_height=4.8, title=(
        r"Lasso path: $\arg\min_w \frac{1}{2n}\|y - Xw\|_2^2 + \alpha \|w\|_1$ as $\alpha$ shrinks"
    ))
    for j in range(n_features):
        ax.plot(alphas, coefs[j], color=COLORS[j % len(COLORS)],
                linestyle="-" if j < len(COLORS) else "--", label=names[j])
    ax.axhline(0.0, color="0.5", linewidth=0.8)
    ax.set_xscale("log")
    if alphas.size > 1:
        ax.set_xlim(alphas.max(), alphas.min())  # strong penalty on the left
    ax.set(xlabel=r"penalty $\alpha$ (log scale, decreasing →)", ylabel="coefficient $w_j$")
    nonzero = np.count_nonzero(coefs, axis=0)
    ax.set_title(f"{n_features} coefficients; non-zero: {nonzero[np.argmax(alphas)]} at the largest α, "
                 f"{nonzero[np.argmin(alphas)]} at the smallest", fontsize="medium")
    ax.legend(fontsize="small", ncols=2 if n_features > 6 else 1, loc="upper left")
    ax.grid(True, alpha=0.3)
    return fig
