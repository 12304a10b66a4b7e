"""Scree plot, PCA projection and low-rank images: the figures carry the library's numbers."""

import io

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib.figure import Figure  # noqa: E402

from mlfoundations.datasets import load_diabetes, load_iris, sample_image  # noqa: E402
from mlfoundations.exceptions import NotFittedError  # noqa: E402
from mlfoundations.linalg import low_rank_approximation  # noqa: E402
from mlfoundations.models import PCA, LinearRegression  # noqa: E402
from mlfoundations.plotting import plot_low_rank, plot_projection, plot_scree  # noqa: E402


def render(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    assert buffer.getvalue().startswith(b"\x89PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris()
    return X, y, PCA().fit(X)


def test_scree_bars_are_the_explained_variance_ratio(iris):
    _, _, pca = iris
    fig = plot_scree(pca)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    heights = [bar.get_height() for bar in ax.patches]
    np.testing.assert_array_equal(heights, pca.explained_variance_ratio_)
    np.testing.assert_array_equal([bar.get_x() + bar.get_width() / 2 for bar in ax.patches], [1, 2, 3, 4])
    cumulative = next(line for line in ax.lines if line.get_label() == "cumulative")
    np.testing.assert_allclose(cumulative.get_ydata(), np.cumsum(pca.explained_variance_ratio_), rtol=1e-15)
    assert ax.get_xlabel() == "principal component j"
    assert "explained variance ratio" in fig.get_suptitle()
    render(fig)


def test_scree_of_a_truncated_pca(iris):
    X, _, _ = iris
    pca = PCA(n_components=2).fit(X)
    ax = plot_scree(pca).axes[0]
    assert len(ax.patches) == 2
    assert ax.get_title() == f"2 components keep {100 * pca.explained_variance_ratio_.sum():.1f}% of the variance"


@pytest.mark.parametrize("func", [plot_scree, lambda p: plot_projection(p, np.ones((3, 4)))])
def test_unfitted_or_wrong_model(func):
    with pytest.raises(NotFittedError, match="PCA instance is not fitted yet"):
        func(PCA())
    with pytest.raises(TypeError, match="pca must be a fitted mlfoundations.models.PCA, got LinearRegression"):
        func(LinearRegression())


def test_projection_points_are_the_scores_by_class(iris):
    X, y, pca = iris
    fig = plot_projection(pca, X, y)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    Z = pca.transform(X)
    assert len(ax.collections) == 3  # one scatter per species
    for label, points in zip(np.unique(y), ax.collections):
        np.testing.assert_array_equal(points.get_offsets(), Z[y == label, :2])
        assert points.get_label() == str(label)
    ratio = pca.explained_variance_ratio_
    assert ax.get_xlabel() == f"$z_1$, PC1 ({100 * ratio[0]:.1f}% of the variance)"
    assert ax.get_ylabel() == f"$z_2$, PC2 ({100 * ratio[1]:.1f}% of the variance)"
    render(fig)


def test_projection_without_labels_and_with_continuous_values():
    X, y = load_diabetes()
    pca = PCA(n_components=3).fit(X)
    plain = plot_projection(pca, X)
    assert len(plain.axes) == 1 and len(plain.axes[0].collections) == 1
    np.testing.assert_array_equal(plain.axes[0].collections[0].get_offsets(), pca.transform(X)[:, :2])
    coloured = plot_projection(pca, X, y)
    assert len(coloured.axes) == 2  # the scatter and its colour bar
    np.testing.assert_array_equal(coloured.axes[0].collections[0].get_array(), y)
    assert coloured.axes[1].get_ylabel() == "y"
    render(coloured)


def test_projection_string_labels(iris):
    X, y, pca = iris
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    ax = plot_projection(pca, X, names).axes[0]
    assert [c.get_label() for c in ax.collections] == ["setosa", "versicolor", "virginica"]


def test_projection_errors(iris):
    X, y, pca = iris
    with pytest.raises(ValueError, match="at least 2 components, got n_components_=1"):
        plot_projection(PCA(n_components=1).fit(X), X)
    with pytest.raises(ValueError, match=r"y must be 1-D with one entry per row of X \(150\), got shape \(149,\)"):
        plot_projection(pca, X, y[:-1])
    with pytest.raises(ValueError, match="X has 3 features, but PCA is expecting 4"):
        plot_projection(pca, X[:, :3])


def test_low_rank_images_are_the_truncated_svd():
    A = sample_image(48)
    ranks = (1, 4, 12)
    fig = plot_low_rank(A, ranks)
    assert isinstance(fig, Figure) and len(fig.axes) == len(ranks) + 2
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), A)
    for ax, k in zip(fig.axes[1:-1], ranks):
        approx = low_rank_approximation(A, k)
        np.testing.assert_array_equal(ax.images[0].get_array(), approx.approximation)
        assert ax.get_title().startswith(f"k = {k}: error {100 * approx.relative_error_fro:.2g}%")
        # the same grey scale as the original, so the pictures compare
        assert ax.images[0].get_clim() == (A.min(), A.max())
    spectrum = fig.axes[-1]
    s = np.linalg.svd(A, compute_uv=False)
    line = spectrum.lines[0]
    keep = s > 0
    np.testing.assert_allclose(line.get_ydata(), s[keep], rtol=1e-10, atol=1e-12 * s[0])
    assert spectrum.get_yscale() == "log"
    assert [ln.get_xdata()[0] for ln in spectrum.lines[1:]] == list(ranks)
    render(fig)


def test_low_rank_default_ranks_on_the_sample_image():
    fig = plot_low_rank(sample_image())
    assert [ax.get_title().split(":")[0] for ax in fig.axes[1:-1]] == ["k = 1", "k = 5", "k = 20", "k = 50"]


def test_low_rank_constant_image():
    fig = plot_low_rank(np.ones((5, 6)), ranks=(1,))
    np.testing.assert_allclose(fig.axes[1].images[0].get_array(), np.ones((5, 6)), rtol=1e-14)
    render(fig)


@pytest.mark.parametrize(
    "image,ranks,error,match",
    [
        (np.ones((8, 8)), (0,), ValueError, "ranks entry must be >= 1, got 0"),
        (np.ones((8, 6)), (2, 7, 9), ValueError, r"ranks \[7, 9\] exceed min\(M, N\) = 6 of the image"),
        (np.ones((8, 8)), (), ValueError, "ranks is empty"),
        (np.ones((8, 8)), "12", TypeError, "ranks must be a sequence of integers, got str"),
        (np.ones((8, 8)), (1.5,), TypeError, "ranks entry must be an integer, got float"),
        (np.ones(8), (1,), ValueError, "image must be 2-D"),
        (np.full((4, 4), np.nan), (1,), ValueError, "image contains NaN"),
        (np.ones((0, 4)), (1,), ValueError, r"image has 0 sample\(s\) \(shape=\(0, 4\)\)"),
    ],
)
def test_low_rank_errors(image, ranks, error, match):
    with pytest.raises(error, match=match):
        plot_low_rank(image, ranks)
