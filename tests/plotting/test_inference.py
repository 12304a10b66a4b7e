"""t-test, regression band and lasso path: the figures carry the library's numbers."""

import io

import numpy as np
import pytest
from scipy import stats as scipy_stats

pytest.importorskip("matplotlib")

from matplotlib.figure import Figure  # noqa: E402

from mlfoundations.datasets import load_diabetes  # noqa: E402
from mlfoundations.exceptions import NotFittedError  # noqa: E402
from mlfoundations.models import (  # noqa: E402
    DecisionTreeClassifier,
    LinearRegression,
    Ridge,
    lasso_path,
)
from mlfoundations.plotting import plot_lasso_path, plot_regression, plot_ttest  # noqa: E402
from mlfoundations.probability import Normal, StudentT  # noqa: E402
from mlfoundations.stats import chi2_contingency, ttest_1samp, ttest_ind, ztest  # noqa: E402

GROUP_A = [85, 87, 82, 86, 88, 85, 87]
GROUP_B = [78, 82, 79, 81, 80, 83, 78]
GUIDE_X = [[1.0], [2.0], [3.0], [4.0], [5.0]]
GUIDE_Y = [2.1, 4.2, 6.1, 7.9, 10.2]


def render(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    assert buffer.getvalue().startswith(b"\x89PNG")
    return buffer.getvalue()


def by_label(ax):
    return {artist.get_label(): artist for artist in [*ax.lines, *ax.collections]}


def test_ttest_null_distribution_statistic_and_interval():
    result = ttest_ind(GROUP_A, GROUP_B)
    fig = plot_ttest(result)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    ax_null, ax_ci = fig.axes
    artists = by_label(ax_null)
    null = artists["null: Student's t, df = 12"]
    x = null.get_xdata()
    np.testing.assert_array_equal(null.get_ydata(), StudentT(12.0).pdf(x))
    assert x.max() >= result.statistic  # the observed statistic is on the picture
    observed = artists[f"observed t = {result.statistic:.4g}"]
    assert observed.get_xdata()[0] == result.statistic
    critical = scipy_stats.t.ppf(0.975, 12)
    rejection = artists[f"rejection region, α = 0.05 (|t| ≥ {critical:.3g})"]
    shaded = np.abs(rejection.get_paths()[0].vertices[:, 0])
    assert shaded.min() >= critical - (x[1] - x[0])
    assert f"p-value = {result.pvalue:.3g}" in artists
    low, high = result.confidence_interval(0.95)
    ci = by_label(ax_ci)[f"95% CI [{low:.4g}, {high:.4g}]"]
    assert ci.get_xdata().tolist() == [low, high]
    assert by_label(ax_ci)[f"estimate {result.estimate:.4g}"].get_xdata()[0] == result.estimate
    assert ax_ci.get_xlabel() == "mean(a) - mean(b)"
    assert "Student's two-sample t-test" in fig.get_suptitle()
    render(fig)


def test_one_sided_interval_reaches_the_edge_and_z_test_uses_the_normal():
    result = ttest_1samp([1.0, 2.0, 3.0, 4.0, 0.5], 0.0, alternative="greater")
    ax_null, ax_ci = plot_ttest(result).axes
    p_area = next(c for c in ax_null.collections if c.get_label().startswith("p-value"))
    assert p_area.get_paths()[0].vertices[:, 0].min() >= result.statistic - 0.02  # one tail only
    ci_line = ax_ci.lines[0]
    low, high = result.confidence_interval(0.95)
    assert high == np.inf and ci_line.get_xdata()[0] == low
    assert ci_line.get_xdata()[1] == ax_ci.get_xlim()[1]  # infinity drawn to the edge

    z = ztest([1.2, 0.8, 1.9, 1.4, 0.3, 1.1], value=0.5, sigma=0.6)
    null = plot_ttest(z).axes[0].lines[0]
    assert null.get_label() == "null: standard normal"
    np.testing.assert_array_equal(null.get_ydata(), Normal().pdf(null.get_xdata()))


def test_ttest_errors():
    with pytest.raises(TypeError, match="result must be a TestResult"):
        plot_ttest((5.3, 0.0002))
    chi2 = chi2_contingency([[10, 20], [30, 25]])
    with pytest.raises(ValueError, match="plot_ttest needs a t or z test .* has none"):
        plot_ttest(chi2)


def band_limits(collection, xs):
    """(lower, upper) of a fill_between polygon at each x of the grid."""
    vertices = collection.get_paths()[0].vertices
    lower, upper = [], []
    for x in xs:
        ys = vertices[vertices[:, 0] == x, 1]
        lower.append(ys.min())
        upper.append(ys.max())
    return np.array(lower), np.array(upper)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_regression_band_has_the_textbook_width(fit_intercept):
    model = LinearRegression(fit_intercept=fit_intercept).fit(GUIDE_X, GUIDE_Y)
    fig = plot_regression(model, GUIDE_X, GUIDE_Y)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    artists = by_label(ax)
    line = artists["fitted line $\\hat y(x)$"]
    grid, y_hat = line.get_xdata(), line.get_ydata()
    np.testing.assert_allclose(y_hat, model.predict(grid[:, None]), rtol=1e-14)
    # the textbook formula, computed here independently with NumPy and SciPy
    x = np.array(GUIDE_X)[:, 0]
    Z = np.column_stack([np.ones(5), x]) if fit_intercept else x[:, None]
    beta, ssr = np.linalg.lstsq(Z, GUIDE_Y, rcond=None)[:2]
    p = Z.shape[1]
    s2 = ssr[0] / (5 - p)
    cov = s2 * np.linalg.inv(Z.T @ Z)
    G = np.column_stack([np.ones_like(grid), grid]) if fit_intercept else grid[:, None]
    se = np.sqrt(np.einsum("ij,jk,ik->i", G, cov, G))
    t = scipy_stats.t.ppf(0.975, 5 - p)
    mean_band = next(a for name, a in artists.items() if name.startswith("95% band of the mean"))
    lower, upper = band_limits(mean_band, grid)
    np.testing.assert_allclose(upper - y_hat, t * se, rtol=1e-9)
    np.testing.assert_allclose(y_hat - lower, t * se, rtol=1e-9)
    assert np.all((lower < y_hat) & (y_hat < upper))  # the band contains the line
    new_band = artists["95% prediction band (new y)"]
    lower_new, upper_new = band_limits(new_band, grid)
    np.testing.assert_allclose(upper_new - y_hat, t * np.sqrt(se**2 + s2), rtol=1e-9)
    assert np.all(upper_new > upper)
    if fit_intercept:
        # narrowest at the mean of x, where se = s / sqrt(n)
        assert abs(grid[np.argmin(upper - lower)] - 3.0) < grid[1] - grid[0]
    points = artists["data (n = 5)"]
    np.testing.assert_array_equal(points.get_offsets(), np.column_stack([x, GUIDE_Y]))
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "y"
    render(fig)


def test_regression_of_a_penalised_model_draws_the_line_only():
    X, y = load_diabetes()
    model = Ridge(alpha=1.0).fit(X[:, 2:3], y)
    fig = plot_regression(model, X[:, 2:3], y)
    ax = fig.axes[0]
    assert len(ax.collections) == 1  # the points; no band without results_
    np.testing.assert_allclose(ax.lines[0].get_ydata(), model.predict(ax.lines[0].get_xdata()[:, None]), rtol=1e-14)
    assert ax.get_title() == "Ridge: fitted line"


def test_regression_errors():
    X2 = np.column_stack([np.arange(6.0), np.arange(6.0) ** 2])
    y = np.arange(6.0) + 1
    with pytest.raises(ValueError, match="draws one feature against y; the model was fitted on 2 features"):
        plot_regression(LinearRegression().fit(X2, y), X2, y)
    with pytest.raises(NotFittedError, match="LinearRegression instance is not fitted yet"):
        plot_regression(LinearRegression(), GUIDE_X, GUIDE_Y)
    with pytest.raises(TypeError, match="DecisionTreeClassifier is a classifier"):
        plot_regression(DecisionTreeClassifier().fit(GUIDE_X, [0, 0, 1, 1, 1]), GUIDE_X, GUIDE_Y)
    with pytest.raises(TypeError, match="model must be an mlfoundations estimator, got list"):
        plot_regression([1.0, 2.0], GUIDE_X, GUIDE_Y)
    model = LinearRegression().fit(GUIDE_X, GUIDE_Y)
    with pytest.raises(ValueError, match=r"X must have exactly one column, got shape \(6, 2\)"):
        plot_regression(model, X2, y)
    with pytest.raises(ValueError, match="y has 4 entries but X has 5 rows"):
        plot_regression(model, GUIDE_X, GUIDE_Y[:4])
    with pytest.raises(ValueError, match="y contains NaN"):
        plot_regression(model, GUIDE_X, [1.0, np.nan, 2.0, 3.0, 4.0])


def test_regression_with_no_residual_degrees_of_freedom_has_no_band():
    X, y = [[1.0], [2.0]], [1.0, 3.0]
    model = LinearRegression().fit(X, y)
    assert model.results_.df_resid == 0
    ax = plot_regression(model, X, y).axes[0]
    assert ax.get_title() == "LinearRegression: fitted line (no band: df_resid = 0)"
    assert len(ax.collections) == 1


def test_lasso_path_lines_are_the_coefficients():
    data = load_diabetes()
    X = (data.X - data.X.mean(axis=0)) / data.X.std(axis=0)
    alphas, coefs, _ = lasso_path(X, data.y - data.y.mean(), n_alphas=30)
    fig = plot_lasso_path(alphas, coefs, feature_names=data.feature_names)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    for j, name in enumerate(data.feature_names):
        line = ax.lines[j]
        assert line.get_label() == name
        np.testing.assert_array_equal(line.get_xdata(), alphas)
        np.testing.assert_array_equal(line.get_ydata(), coefs[j])
    assert ax.get_xscale() == "log"
    left, right = ax.get_xlim()
    assert left == alphas.max() and right == alphas.min()  # the penalty weakens to the right
    nonzero = np.count_nonzero(coefs, axis=0)
    assert ax.get_title() == f"10 coefficients; non-zero: {nonzero[0]} at the largest α, {nonzero[-1]} at the smallest"
    assert nonzero[0] == 0  # alpha_max zeroes every coefficient
    assert "Lasso path" in fig.get_suptitle()
    render(fig)


def test_lasso_path_default_names_and_errors():
    ax = plot_lasso_path([1.0, 0.1], [[0.0, 0.5], [0.0, -0.2]]).axes[0]
    assert [line.get_label() for line in ax.lines[:2]] == ["x1", "x2"]
    with pytest.raises(ValueError, match="alphas must all be > 0"):
        plot_lasso_path([1.0, 0.0], [[0.0, 0.5]])
    with pytest.raises(ValueError, match=r"shape \(n_features, n_alphas\) = \(n_features, 2\), got \(2, 3\)"):
        plot_lasso_path([1.0, 0.1], np.zeros((2, 3)))
    with pytest.raises(ValueError, match="feature_names has 1 names for 2 features"):
        plot_lasso_path([1.0, 0.1], np.zeros((2, 2)), feature_names=["a"])
    with pytest.raises(ValueError, match="alphas needs at least 1 entries"):
        plot_lasso_path([], np.zeros((2, 0)))
    with pytest.raises(ValueError, match="coefs must be 2-D"):
        plot_lasso_path([1.0], [0.5])
