"""pmf/pdf and cdf, fits with Q-Q plots, Bayesian updates: the figures carry the library's numbers."""

import io

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib.figure import Figure  # noqa: E402

from mlfoundations.plotting import plot_bayes_update, plot_distribution, plot_fit  # noqa: E402
from mlfoundations.probability import (  # noqa: E402
    Beta,
    BetaBernoulli,
    Gamma,
    GammaPoisson,
    LogNormal,
    MultivariateNormal,
    Normal,
    NormalInverseGamma,
    Poisson,
)


def render(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    assert buffer.getvalue().startswith(b"\x89PNG")
    return buffer.getvalue()


def by_label(ax):
    return {line.get_label(): line for line in ax.lines}


def test_continuous_pdf_and_cdf_with_samples():
    dist = Gamma(shape=2.0, rate=0.5)
    samples = dist.rvs(400, rng=3)
    fig = plot_distribution(dist, samples)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    ax_pdf, ax_cdf = fig.axes
    pdf = by_label(ax_pdf)["pdf f(x)"]
    x = pdf.get_xdata()
    np.testing.assert_array_equal(pdf.get_ydata(), dist.pdf(x))
    np.testing.assert_array_equal(by_label(ax_cdf)["F(x)"].get_ydata(), dist.cdf(x))
    # the grid covers the central 99.8% and every sample
    assert x[0] <= min(dist.ppf(1e-3), samples.min()) and x[-1] >= max(dist.ppf(1 - 1e-3), samples.max())
    # a density histogram has area 1
    area = sum(bar.get_height() * bar.get_width() for bar in ax_pdf.patches)
    assert area == pytest.approx(1.0, rel=1e-12)
    ecdf = by_label(ax_cdf)["empirical $F_n(x)$"]
    np.testing.assert_array_equal(ecdf.get_xdata(), np.sort(samples))
    np.testing.assert_allclose(ecdf.get_ydata(), np.arange(1, 401) / 400, rtol=1e-15)
    assert fig.get_suptitle().startswith("Gamma(shape=2, rate=0.5): density f(x) and cdf")
    assert ax_pdf.get_ylabel() == "density f(x)" and ax_cdf.get_ylabel() == "F(x) = P(X ≤ x)"
    render(fig)


def test_discrete_pmf_and_cdf_with_samples():
    dist = Poisson(rate=3.0)
    samples = dist.rvs(200, rng=0)
    fig = plot_distribution(dist, samples)
    ax_pmf, ax_cdf = fig.axes
    pmf = by_label(ax_pmf)["pmf P(X = k)"]
    k = pmf.get_xdata()
    np.testing.assert_array_equal(k, np.arange(k[0], k[-1] + 1))  # the integers only
    np.testing.assert_array_equal(pmf.get_ydata(), dist.pmf(k))
    np.testing.assert_array_equal(by_label(ax_cdf)["F(k)"].get_ydata(), dist.cdf(k))
    values, counts = np.unique(samples, return_counts=True)
    np.testing.assert_allclose([bar.get_height() for bar in ax_pmf.patches], counts / 200, rtol=1e-15)
    np.testing.assert_allclose([bar.get_x() + bar.get_width() / 2 for bar in ax_pmf.patches], values, rtol=1e-15)
    assert "pmf P(X = k)" in fig.get_suptitle()
    render(fig)


def test_distribution_without_samples():
    fig = plot_distribution(Normal(mu=1.0, sigma=2.0))
    ax_pdf, ax_cdf = fig.axes
    assert len(ax_pdf.patches) == 0 and len(ax_cdf.lines) == 1
    x = ax_pdf.lines[0].get_xdata()
    np.testing.assert_allclose([x[0], x[-1]], Normal(mu=1.0, sigma=2.0).ppf([1e-3, 1 - 1e-3]), rtol=1e-14)


@pytest.mark.parametrize(
    "dist,samples,error,match",
    [
        (Normal(mu=[0.0, 1.0], sigma=1.0), None, ValueError,
         r"dist must be a single distribution, got a batch of shape \(2,\)"),
        (MultivariateNormal(np.zeros(2), np.eye(2)), None, TypeError, "dist must be a univariate"),
        ("normal", None, TypeError, "got str"),
        (Normal(), [], ValueError, "samples is empty"),
        (Normal(), [0.0, np.nan], ValueError, "samples contains NaN"),
    ],
)
def test_distribution_errors(dist, samples, error, match):
    with pytest.raises(error, match=match):
        plot_distribution(dist, samples)


def test_fit_histogram_density_and_qq():
    data = Gamma(shape=3.0, rate=2.0).rvs(250, rng=4)
    fitted = Gamma.fit(data)
    fig = plot_fit(data, fitted)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    ax_fit, ax_qq = fig.axes
    density = ax_fit.lines[0]
    np.testing.assert_array_equal(density.get_ydata(), fitted.pdf(density.get_xdata()))
    r = fitted.fit_result
    assert density.get_label() == (
        f"Gamma(shape={r.params['shape']:.4g} ± {r.stderr['shape']:.2g}, "
        f"rate={r.params['rate']:.4g} ± {r.stderr['rate']:.2g}), AIC {r.aic:.1f}"
    )
    area = sum(bar.get_height() * bar.get_width() for bar in ax_fit.patches)
    assert area == pytest.approx(1.0, rel=1e-12)
    qq = by_label(ax_qq)["Gamma"]
    n = data.size
    np.testing.assert_array_equal(qq.get_xdata(), fitted.ppf((np.arange(1, n + 1) - 0.5) / n))
    np.testing.assert_array_equal(qq.get_ydata(), np.sort(data))
    assert by_label(ax_qq)["y = x"].get_xdata().tolist() == [data.min(), data.max()]
    assert fig.get_suptitle() == "Maximum-likelihood fit of Gamma to 250 observations"
    render(fig)


def test_fit_several_families_and_a_discrete_one():
    data = LogNormal(mu=0.0, sigma=0.5).rvs(120, rng=1)
    fits = [LogNormal.fit(data), Gamma.fit(data), Normal.fit(data)]
    fig = plot_fit(data, fits)
    ax_fit, ax_qq = fig.axes
    assert [line.get_label().split("(")[0] for line in ax_fit.lines] == ["LogNormal", "Gamma", "Normal"]
    for line, d in zip(ax_fit.lines, fits):
        np.testing.assert_array_equal(line.get_ydata(), d.pdf(line.get_xdata()))
    assert fig.get_suptitle() == "Maximum-likelihood fit of LogNormal vs Gamma vs Normal to 120 observations"

    counts = Poisson(rate=4.0).rvs(150, rng=2)
    poisson = Poisson.fit(counts)
    ax = plot_fit(counts, poisson).axes[0]
    k = ax.lines[0].get_xdata()
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), poisson.pmf(k))
    values, freq = np.unique(counts, return_counts=True)
    np.testing.assert_allclose([bar.get_height() for bar in ax.patches], freq / 150, rtol=1e-15)


def test_fit_of_an_unfitted_distribution_is_labelled_by_its_parameters():
    line = plot_fit([0.1, 0.5, -0.3], Normal(mu=0.0, sigma=1.0)).axes[0].lines[0]
    assert line.get_label() == "Normal(mu=0, sigma=1)"


@pytest.mark.parametrize(
    "data,dist,error,match",
    [
        ([], Normal(), ValueError, "data is empty"),
        ([1.0, np.inf], Normal(), ValueError, "data contains inf"),
        ([1.0, 2.0], [], ValueError, "dist is empty"),
        ([1.0, 2.0], [Normal(), Poisson(1.0)], ValueError, "mixes discrete and continuous"),
        ([1.0, 2.0], [Normal(), "gamma"], TypeError, "dist must be a univariate"),
    ],
)
def test_fit_errors(data, dist, error, match):
    with pytest.raises(error, match=match):
        plot_fit(data, dist)


def test_bayes_update_of_a_conjugate_model():
    prior = BetaBernoulli(a=2.0, b=2.0)
    data = [1, 1, 0, 1, 1, 1, 0, 1, 1, 0]
    fig = plot_bayes_update(prior, prior.update(data))
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    lines = by_label(ax)
    before, after = lines["prior Beta(a=2, b=2)"], lines["posterior Beta(a=9, b=5)"]
    theta = after.get_xdata()
    # Beta(a, b) -> Beta(a + s, b + n - s): 7 successes in 10
    np.testing.assert_array_equal(after.get_ydata(), Beta(9.0, 5.0).pdf(theta))
    np.testing.assert_array_equal(before.get_ydata(), Beta(2.0, 2.0).pdf(theta))
    interval = next(c for c in ax.collections if c.get_label().startswith("95% credible interval"))
    low, high = Beta(9.0, 5.0).ppf([0.025, 0.975])
    assert interval.get_label() == f"95% credible interval [{low:.3g}, {high:.3g}]"
    xs = interval.get_paths()[0].vertices[:, 0]
    assert xs.min() >= low and xs.max() <= high
    assert ax.get_xlabel() == "$p$"
    assert "Bayes' rule" in fig.get_suptitle()
    render(fig)


def test_bayes_update_of_distributions_and_a_discrete_belief():
    fig = plot_bayes_update(Beta(0.5, 0.5), Beta(3.5, 1.5))
    ax = fig.axes[0]
    assert ax.get_xlabel() == r"$\theta$"
    # the prior is unbounded at 0 and 1; the axis keeps the posterior in view
    assert ax.get_ylim()[1] >= Beta(3.5, 1.5).pdf(ax.lines[1].get_xdata()).max()
    fig = plot_bayes_update(GammaPoisson(shape=2.0, rate=1.0), GammaPoisson(shape=2.0, rate=1.0).update([3, 5, 4]))
    after = fig.axes[0].lines[1]
    np.testing.assert_array_equal(after.get_ydata(), Gamma(shape=14.0, rate=4.0).pdf(after.get_xdata()))
    fig = plot_bayes_update(Poisson(2.0), Poisson(3.0))
    k = fig.axes[0].lines[1].get_xdata()
    np.testing.assert_array_equal(k, np.round(k))
    np.testing.assert_array_equal(fig.axes[0].lines[1].get_ydata(), Poisson(3.0).pmf(k))


def test_bayes_update_errors():
    with pytest.raises(ValueError, match="both be discrete or both be continuous"):
        plot_bayes_update(Poisson(2.0), Gamma(2.0, 1.0))
    with pytest.raises(TypeError, match="NormalInverseGamma, whose belief is over more than one parameter"):
        plot_bayes_update(NormalInverseGamma(), NormalInverseGamma().update([1.0, 2.0]))
    with pytest.raises(TypeError, match="posterior must be a univariate"):
        plot_bayes_update(Beta(1.0, 1.0), [0.5])
