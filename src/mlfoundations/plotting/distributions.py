r"""Probability pictures: a distribution's pmf/pdf and cdf, a fit to data, a Bayesian update."""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array
from ..probability import ConjugateModel, DiscreteDistribution, Distribution
from ._style import COLORS, new_figure

__all__ = ["plot_distribution", "plot_fit", "plot_bayes_update"]

#: quantiles that bound the plotted range: the central 99.8% of the mass
_TAIL = 1e-3
_GRID = 400
#: the parameter each conjugate model is about, for axis labels
_PARAMETER_SYMBOL = {"BetaBernoulli": "p", "GammaPoisson": r"\lambda", "NormalKnownVariance": r"\mu"}


def _check_distribution(dist, name: str) -> Distribution:
    if not isinstance(dist, Distribution):
        raise TypeError(
            f"{name} must be a univariate mlfoundations.probability distribution, got {type(dist).__name__}"
        )
    if dist.batch_shape != ():
        raise ValueError(
            f"{name} must be a single distribution, got a batch of shape {dist.batch_shape}; "
            "index or build one distribution per plot"
        )
    return dist


def _describe(dist: Distribution) -> str:
    """``Gamma(shape=2, rate=0.5)``: the family and its parameters to 4 significant digits."""
    params = ", ".join(f"{k}={v:.4g}" for k, v in dist.parameters.items())
    return f"{type(dist).__name__}({params})"


def _check_samples(samples, name: str) -> np.ndarray:
    x = as_float_array(samples, name).ravel()
    if x.size == 0:
        raise ValueError(f"{name} is empty")
    return x


def _range(dists, data=None) -> tuple[float, float]:
    """The smallest interval holding the central 99.8% of each distribution and the data."""
    lows = [float(d.ppf(_TAIL)) for d in dists]
    highs = [float(d.ppf(1.0 - _TAIL)) for d in dists]
    if data is not None:
        lows.append(float(data.min()))
        highs.append(float(data.max()))
    low, high = min(lows), max(highs)
    if high <= low:  # a point mass
        low, high = low - 1.0, high + 1.0
    return low, high


def _continuous_grid(dists, data=None) -> np.ndarray:
    low, high = _range(dists, data)
    return np.linspace(low, high, _GRID)


def _integer_grid(dists, data=None) -> np.ndarray:
    low, high = _range(dists, data)
    return np.arange(np.floor(low), np.ceil(high) + 1.0)


def _histogram(ax, x: np.ndarray, discrete: bool, label: str):
    """Observed frequencies: density-scaled bars, or the share of each integer value."""
    if discrete:
        values, counts = np.unique(x, return_counts=True)
        ax.bar(values, counts / x.size, width=0.8, color="0.75", edgecolor="0.5", label=label)
    else:
        bins = min(60, max(10, int(np.ceil(2.0 * x.size ** (1.0 / 3.0)))))  # Rice's rule
        ax.hist(x, bins=bins, density=True, color="0.8", edgecolor="0.55", label=label)


def plot_distribution(dist, samples=None):
    r"""A distribution's density (or pmf) and its cdf, with samples as a histogram.

    Parameters
    ----------
    dist : Distribution
        A single univariate distribution from :mod:`mlfoundations.probability`,
        e.g. ``Normal(mu=0, sigma=1)`` or ``Poisson(3)``.
    samples : array_like, optional
        Draws to compare with: a density histogram beside the pdf (the share of
        each value beside the pmf) and the empirical cdf beside the cdf.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: ``pdf(x)`` (continuous) or ``pmf(k)`` as stems (discrete) over the
        central 99.8% of the mass, and ``cdf``.

    Raises
    ------
    TypeError
        If ``dist`` is not a univariate distribution.
    ValueError
        If ``dist`` is a batch of distributions, or ``samples`` is empty or holds
        NaN or inf.

    Notes
    -----
    F(x) = P(X <= x) = integral of f up to x (continuous) or sum_{k <= x} P(X = k)
    (discrete); the empirical cdf F_n(x) = #{i : x_i <= x} / n converges to it
    uniformly (Glivenko–Cantelli).

    Examples
    --------
    >>> from mlfoundations.probability import Normal
    >>> fig = plot_distribution(Normal(mu=0.0, sigma=1.0))
    >>> x, y = fig.axes[0].lines[0].get_data()
    >>> bool(np.allclose(y, Normal(mu=0.0, sigma=1.0).pdf(x)))
    True
    """
    dist = _check_distribution(dist, "dist")
    x_samples = None if samples is None else _check_samples(samples, "samples")
    discrete = isinstance(dist, DiscreteDistribution)
    fig, (ax_density, ax_cdf) = new_figure(
        1, 2, title=f"{_describe(dist)}: " + (
            "pmf P(X = k) and cdf F(x) = P(X ≤ x)" if discrete else "density f(x) and cdf F(x) = P(X ≤ x)"
        ),
    )
    if discrete:
        k = _integer_grid([dist], x_samples)
        if x_samples is not None:
            _histogram(ax_density, x_samples, True, f"{x_samples.size} samples")
        ax_density.plot(k, dist.pmf(k), color=COLORS[0], marker="o", linestyle="none", label="pmf P(X = k)")
        ax_density.vlines(k, 0.0, dist.pmf(k), color=COLORS[0], linewidth=1.5)
        ax_cdf.step(k, dist.cdf(k), where="post", color=COLORS[0], label="F(k)")
        ax_density.set(xlabel="k", ylabel="P(X = k)", title="probability mass function")
    else:
        x = _continuous_grid([dist], x_samples)
        ax_density.plot(x, dist.pdf(x), color=COLORS[0], linewidth=2, label="pdf f(x)")
        if x_samples is not None:
            _histogram(ax_density, x_samples, False, f"{x_samples.size} samples")
        ax_cdf.plot(x, dist.cdf(x), color=COLORS[0], linewidth=2, label="F(x)")
        ax_density.set(xlabel="x", ylabel="density f(x)", title="probability density function")
    if x_samples is not None:
        sorted_x = np.sort(x_samples)
        ax_cdf.step(sorted_x, np.arange(1, sorted_x.size + 1) / sorted_x.size, where="post",
                    color=COLORS[1], linewidth=1, label="empirical $F_n(x)$")
    ax_cdf.set(xlabel="k" if discrete else "x", ylabel="F(x) = P(X ≤ x)", ylim=(-0.02, 1.02),
               title="cumulative distribution function")
    for ax in (ax_density, ax_cdf):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    return fig


def _check_fitted_list(dist):
    dists = list(dist) if isinstance(dist, (list, tuple)) else [dist]
    if not dists:
        raise ValueError("dist is empty; give a fitted distribution")
    dists = [_check_distribution(d, "dist") for d in dists]
    kinds = {isinstance(d, DiscreteDistribution) for d in dists}
    if len(kinds) > 1:
        raise ValueError("dist mixes discrete and continuous distributions; plot them separately")
    return dists


def _fit_label(dist) -> str:
    """Family, parameters (± standard error when fitted) and AIC."""
    result = dist.fit_result
    if result is None:
        return _describe(dist)
    parts = []
    for name, value in result.params.items():
        se = result.stderr.get(name)
        parts.append(f"{name}={value:.4g}" + ("" if se is None else f" ± {se:.2g}"))
    return f"{type(dist).__name__}({', '.join(parts)}), AIC {result.aic:.1f}"


def plot_fit(data, dist):
    r"""Data as a histogram with the fitted density (or pmf) on top, and a Q-Q plot.

    Parameters
    ----------
    data : array_like
        The observations the distribution was fitted to (flattened); finite, not empty.
    dist : Distribution or sequence of Distribution
        Fitted distribution(s), e.g. ``Gamma.fit(data)`` or the candidates of
        :func:`~mlfoundations.probability.fit_best`; a ``fit_result`` adds the standard
        errors and AIC to the legend. Several distributions are overlaid, the first
        drawn boldest.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the histogram with each density (pmf), and the Q-Q plot of the
        sorted data against each distribution's quantiles ``ppf((i - 1/2) / n)``
        with the line y = x.

    Raises
    ------
    TypeError
        If ``dist`` holds something other than a univariate distribution.
    ValueError
        If ``data`` is empty or not finite, ``dist`` is empty, a batch, or mixes
        discrete and continuous families.

    Notes
    -----
    The maximum-likelihood estimate maximises l(theta) = sum_i log f(x_i; theta);
    AIC = 2k - 2 l(theta_hat). On the Q-Q plot a good fit puts the points on the
    diagonal; a bend at the ends shows tails heavier or lighter than the model's.

    References
    ----------
    M. B. Wilk and R. Gnanadesikan, "Probability plotting methods for the analysis of
    data", Biometrika 55(1) (1968).

    Examples
    --------
    >>> from mlfoundations.probability import Normal
    >>> data = Normal(mu=2.0, sigma=0.5).rvs(200, rng=0)
    >>> fig = plot_fit(data, Normal.fit(data))
    >>> len(fig.axes)
    2
    """
    x = _check_samples(data, "data")
    dists = _check_fitted_list(dist)
    discrete = isinstance(dists[0], DiscreteDistribution)
    names = " vs ".join(type(d).__name__ for d in dists)
    fig, (ax_fit, ax_qq) = new_figure(1, 2, panel_width=5.5,
                                      title=f"Maximum-likelihood fit of {names} to {x.size} observations")
    _histogram(ax_fit, x, discrete, "data")
    grid = _integer_grid(dists, x) if discrete else _continuous_grid(dists, x)
    n = x.size
    sorted_x = np.sort(x)
    plotting_positions = (np.arange(1, n + 1) - 0.5) / n
    for i, d in enumerate(dists):
        color = COLORS[i % len(COLORS)]
        width = 2.5 if i == 0 else 1.5
        if discrete:
            ax_fit.plot(grid, d.pmf(grid), color=color, marker="o", linewidth=width, label=_fit_label(d))
        else:
            ax_fit.plot(grid, d.pdf(grid), color=color, linewidth=width, label=_fit_label(d))
        ax_qq.plot(d.ppf(plotting_positions), sorted_x, color=color, marker=".", linestyle="none",
                   markersize=4, label=type(d).__name__)
    low, high = float(sorted_x[0]), float(sorted_x[-1])
    ax_qq.plot([low, high], [low, high], color="k", linewidth=1, label="y = x")
    ax_fit.set(xlabel="x", ylabel="share of observations" if discrete else "density",
               title="histogram and fitted " + ("pmf" if discrete else "density"))
    ax_qq.set(xlabel="model quantile $F^{-1}((i - 1/2) / n)$", ylabel="data quantile $x_{(i)}$",
              title="Q-Q plot")
    ax_fit.legend(fontsize="small", loc="upper right")
    ax_qq.legend(fontsize="small")
    ax_qq.grid(True, alpha=0.3)
    return fig


def _belief(obj, name: str):
    """A distribution over the parameter: the object itself or a conjugate model's posterior."""
    if isinstance(obj, ConjugateModel):
        belief = obj.posterior
        if not isinstance(belief, Distribution):
            raise TypeError(
                f"{name} is a {type(obj).__name__}, whose belief is over more than one "
                "parameter; give univariate distributions (e.g. its marginal)"
            )
        return belief
    return _check_distribution(obj, name)


def plot_bayes_update(prior, posterior):
    r"""Prior and posterior beliefs about a parameter on one axes: Bayes' rule as a picture.

    Parameters
    ----------
    prior, posterior : Distribution or ConjugateModel
        Univariate distributions over the parameter theta (e.g. ``Beta(1, 1)`` and
        ``Beta(8, 4)``), or conjugate models (``BetaBernoulli()`` and
        ``BetaBernoulli().update(data)``), whose ``posterior`` is then drawn.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with the prior (dashed) and the posterior density or pmf, the
        posterior's central 95% credible interval shaded and both means marked.

    Raises
    ------
    TypeError
        If an argument is neither a univariate distribution nor a conjugate model
        with a univariate belief.
    ValueError
        If one is discrete and the other continuous, or either is a batch.

    Notes
    -----
    p(theta | x) = p(x | theta) p(theta) / p(x): the data re-weight the prior by the
    likelihood. With a conjugate prior the posterior stays in the prior's family,
    e.g. Beta(a, b) -> Beta(a + s, b + n - s) after s successes in n Bernoulli trials.

    References
    ----------
    Gelman et al., *Bayesian Data Analysis*, 3rd ed., CRC (2013), ch. 2.

    Examples
    --------
    >>> from mlfoundations.probability import BetaBernoulli
    >>> prior = BetaBernoulli(a=2.0, b=2.0)
    >>> fig = plot_bayes_update(prior, prior.update([1, 1, 0, 1, 1, 1]))
    >>> [line.get_label() for line in fig.axes[0].lines[:2]]
    ['prior Beta(a=2, b=2)', 'posterior Beta(a=7, b=3)']
    """
    symbol = _PARAMETER_SYMBOL.get(type(prior).__name__, r"\theta")
    before, after = _belief(prior, "prior"), _belief(posterior, "posterior")
    discrete = isinstance(before, DiscreteDistribution)
    if discrete != isinstance(after, DiscreteDistribution):
        raise ValueError("prior and posterior must both be discrete or both be continuous")
    rule = rf"$p({symbol} \mid x) \propto p(x \mid {symbol})\,p({symbol})$"
    fig, (ax,) = new_figure(panel_width=6.5, title=rf"Bayes' rule: prior $p({symbol})$ → posterior {rule}")
    grid = _integer_grid([before, after]) if discrete else _continuous_grid([before, after])
    density = (lambda d: d.pmf(grid)) if discrete else (lambda d: d.pdf(grid))
    style = dict(marker="o", markersize=4) if discrete else {}
    ax.plot(grid, density(before), color=COLORS[7], linestyle="--", linewidth=2,
            label=f"prior {_describe(before)}", **style)
    ax.plot(grid, density(after), color=COLORS[0], linewidth=2.5, label=f"posterior {_describe(after)}", **style)
    low, high = float(after.ppf(0.025)), float(after.ppf(0.975))
    inside = (grid >= low) & (grid <= high)
    ax.fill_between(grid, 0.0, density(after), where=inside, color=COLORS[0], alpha=0.2,
                    label=f"95% credible interval [{low:.3g}, {high:.3g}]")
    for d, color in ((before, COLORS[7]), (after, COLORS[0])):
        ax.axvline(float(d.mean()), color=color, linestyle=":", linewidth=1)
    ax.set(xlabel=f"${symbol}$", ylabel=f"$p({symbol})$" + (" (pmf)" if discrete else " (density)"),
           title=f"posterior mean {float(after.mean()):.4g} (prior mean {float(before.mean()):.4g})")
    # a prior such as Beta(1/2, 1/2) is unbounded at the ends: keep the posterior in view
    top = max(float(np.max(density(after))), float(np.quantile(density(before), 0.9)))
    ax.set_ylim(0.0, 1.15 * top)
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return fig
