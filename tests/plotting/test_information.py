"""Coin entropy and tree regions: the figures carry the library's numbers."""

import io

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib.figure import Figure  # noqa: E402

from mlfoundations.datasets import load_diabetes, load_iris  # noqa: E402
from mlfoundations.exceptions import NotFittedError  # noqa: E402
from mlfoundations.information import entropy  # noqa: E402
from mlfoundations.models import DecisionTreeClassifier, DecisionTreeRegressor  # noqa: E402
from mlfoundations.plotting import plot_coin_entropy, plot_tree_regions  # noqa: E402


def render(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    assert buffer.getvalue().startswith(b"\x89PNG")
    return buffer.getvalue()


def test_coin_entropy_curve_is_the_library_entropy():
    fig = plot_coin_entropy()
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    curve = ax.lines[0]
    assert curve.get_label() == "entropy H(p) in bits"
    p, h = curve.get_data()
    assert p[0] == 0.0 and p[-1] == 1.0 and len(p) == 501
    for i in range(0, 501, 25):
        assert h[i] == entropy([p[i], 1.0 - p[i]])  # bits by default, exactly the same number
    assert h[0] == h[-1] == 0.0  # 0 log 0 = 0: no NaN at a certain outcome
    assert h[250] == 1.0 and h.max() == 1.0
    np.testing.assert_allclose(h, h[::-1], rtol=0, atol=1e-15)  # H(p) = H(1 - p)
    gini = ax.lines[1]
    np.testing.assert_allclose(gini.get_ydata(), 2 * p * (1 - p), rtol=1e-15)
    labels = [line.get_label() for line in ax.lines[2:]]
    assert labels == ["fair coin: p = 0.5, H = 1.000 bits", "the guide's biased coin: p = 0.9, H = 0.469 bits"]
    assert ax.lines[3].get_ydata()[0] == entropy([0.9, 0.1])
    assert ax.get_xlabel() == "p = P(heads)" and ax.get_ylabel() == "bits"
    assert fig.get_suptitle().startswith("Entropy of a coin: $H(p) =")
    render(fig)


def mesh_points(image, n_features, medians, i, j):
    """The grid the regions were predicted on, rebuilt from the image's extent."""
    x0, x1, y0, y1 = image.get_extent()
    n = image.get_array().shape[0]
    dx, dy = (x1 - x0) / n, (y1 - y0) / n
    gx = np.linspace(x0 + dx / 2, x1 - dx / 2, n)
    gy = np.linspace(y0 + dy / 2, y1 - dy / 2, n)
    xx, yy = np.meshgrid(gx, gy)
    points = np.tile(medians, (n * n, 1))
    points[:, i], points[:, j] = xx.ravel(), yy.ravel()
    return points


def test_classifier_regions_are_its_predictions_on_the_grid():
    data = load_iris()
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=3).fit(data.X, data.y)
    fig = plot_tree_regions(tree, data.X, data.y, features=(2, 3), feature_names=data.feature_names)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    image = ax.images[0]
    points = mesh_points(image, 4, np.median(data.X, axis=0), 2, 3)
    expected = np.searchsorted(tree.classes_, tree.predict(points)).reshape(image.get_array().shape)
    np.testing.assert_array_equal(image.get_array(), expected)
    assert set(np.unique(expected)) == {0, 1, 2}
    for k, points_k in enumerate(ax.collections):
        np.testing.assert_array_equal(points_k.get_offsets(), data.X[data.y == k][:, [2, 3]])
        assert points_k.get_label() == f"class {k}"
    assert ax.get_xlabel() == data.feature_names[2] and ax.get_ylabel() == data.feature_names[3]
    held = f"other features held at their medians ({data.feature_names[0]}, {data.feature_names[1]})"
    assert ax.get_title().replace("\n", " ") == held
    assert "Decision regions of DecisionTreeClassifier" in fig.get_suptitle()
    render(fig)


def test_regressor_regions_and_string_classes():
    X, y = load_diabetes()
    X2 = X[:, [2, 8]]
    tree = DecisionTreeRegressor(max_depth=3).fit(X2, y)
    fig = plot_tree_regions(tree, X2, y)
    assert len(fig.axes) == 2  # the regions and a colour bar
    image = fig.axes[0].images[0]
    points = mesh_points(image, 2, np.median(X2, axis=0), 0, 1)
    np.testing.assert_array_equal(image.get_array(), tree.predict(points).reshape(300, 300))
    assert fig.axes[0].get_title() == "442 samples"
    assert [fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()] == ["x1", "x2"]

    iris_X, iris_y = load_iris()
    names = np.array(["setosa", "versicolor", "virginica"])[iris_y]
    ax = plot_tree_regions(DecisionTreeClassifier(max_depth=2).fit(iris_X[:, 2:], names), iris_X[:, 2:], names).axes[0]
    assert [c.get_label() for c in ax.collections] == ["class setosa", "class versicolor", "class virginica"]
    render(fig)


def test_tree_regions_errors():
    X, y = load_iris()
    tree = DecisionTreeClassifier(max_depth=2).fit(X, y)
    with pytest.raises(NotFittedError, match="DecisionTreeClassifier instance is not fitted yet"):
        plot_tree_regions(DecisionTreeClassifier(), X, y)
    with pytest.raises(TypeError, match="tree must be an mlfoundations estimator, got str"):
        plot_tree_regions("tree", X, y)
    with pytest.raises(ValueError, match="X has 2 features, but the tree was fitted on 4"):
        plot_tree_regions(tree, X[:, :2], y)
    with pytest.raises(ValueError, match=r"y must be 1-D with one entry per row of X \(150\)"):
        plot_tree_regions(tree, X, y[:10])
    with pytest.raises(ValueError, match=r"features must be two different columns, got \(1, 1\)"):
        plot_tree_regions(tree, X, y, features=(1, 1))
    with pytest.raises(ValueError, match="features entry must be <= 3, got 4"):
        plot_tree_regions(tree, X, y, features=(0, 4))
    with pytest.raises(ValueError, match=r"features must be a pair of column indices \(i, j\), got \(0, 1, 2\)"):
        plot_tree_regions(tree, X, y, features=(0, 1, 2))
    with pytest.raises(ValueError, match=r"y holds labels the tree never saw: \[7\]"):
        plot_tree_regions(tree, X, np.where(y == 2, 7, y))
    with pytest.raises(ValueError, match="feature_names has 2 names for 4 features"):
        plot_tree_regions(tree, X, y, feature_names=["a", "b"])
