"""Optimizer paths on Rosenbrock and learning curves: the figures carry the library's numbers."""

import io

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib.figure import Figure  # noqa: E402

from mlfoundations.optim import minimize  # noqa: E402
from mlfoundations.plotting import (  # noqa: E402
    plot_learning_curves,
    plot_optimizer_paths,
    rosenbrock_paths,
)
from mlfoundations.plotting.optimization import rosenbrock  # noqa: E402

NAMES = ["GD", "Momentum", "Adam", "RMSprop", "Newton"]


def render(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    data = buffer.getvalue()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return data


def lines_by_label(ax):
    return {line.get_label(): line for line in ax.lines}


@pytest.fixture(scope="module")
def default_figure():
    return plot_optimizer_paths()


def test_default_figure_shows_every_optimizer(default_figure):
    fig = default_figure
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert fig.get_suptitle() == "Rosenbrock: paths of GD, Momentum, Adam, RMSprop, Newton"
    ax_path, ax_f = fig.axes
    assert ax_path.get_xlabel() == "x" and ax_path.get_ylabel() == "y"
    assert ax_f.get_xlabel() == "step k" and ax_f.get_yscale() == "log"
    paths = rosenbrock_paths()
    labels = lines_by_label(ax_path)
    for name in NAMES:
        history = paths[name].history_x
        line = labels[f"{name} ({len(history) - 1} steps)"]
        # the drawn path is minimize's history, point for point (exact: same floats)
        np.testing.assert_array_equal(line.get_xydata(), history)
        np.testing.assert_array_equal(line.get_xydata()[0], [-1.2, 1.0])
    render(fig)


def test_newton_ends_at_the_minimum_and_first_order_methods_do_not(default_figure):
    labels = lines_by_label(default_figure.axes[0])
    newton = next(line for name, line in labels.items() if name.startswith("Newton"))
    np.testing.assert_allclose(newton.get_xydata()[-1], [1.0, 1.0], rtol=0, atol=1e-10)
    assert len(newton.get_xydata()) < 40
    gd = next(line for name, line in labels.items() if name.startswith("GD ("))
    assert np.linalg.norm(gd.get_xydata()[-1] - [1.0, 1.0]) > 0.05  # GD is still crawling


def test_objective_panel_is_f_along_each_path(default_figure):
    ax_f = default_figure.axes[1]
    paths = rosenbrock_paths()
    for line, name in zip(ax_f.lines, NAMES):
        points = paths[name].history_x
        expected = np.maximum(rosenbrock(points[:, 0], points[:, 1]), np.finfo(float).tiny)
        np.testing.assert_allclose(line.get_ydata(), expected, rtol=1e-14)
        # and f is what minimize recorded at each step
        recorded = np.maximum(paths[name].history_f, np.finfo(float).tiny)
        np.testing.assert_allclose(line.get_ydata(), recorded, rtol=1e-12)


@pytest.mark.filterwarnings("ignore::mlfoundations.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("method,lr,steps", [("gd", 1e-3, 60), ("newton", None, 100)])
def test_closed_form_derivatives_agree_with_autodiff(method, lr, steps):
    # the race uses closed-form grad and Hessian for speed; autodiff must give the same path
    autodiff = minimize(lambda v: (1.0 - v[0]) ** 2 + 100.0 * (v[1] - v[0] ** 2) ** 2, np.array([-1.2, 1.0]),
                        method=method, learning_rate=lr, max_iter=steps, tol=1e-10)
    closed = rosenbrock_paths()["GD" if method == "gd" else "Newton"].history_x[: len(autodiff.history_x)]
    np.testing.assert_allclose(closed, autodiff.history_x, rtol=1e-9, atol=1e-12)


@pytest.mark.filterwarnings("ignore::mlfoundations.exceptions.ConvergenceWarning")
def test_user_paths_arrays_and_results():
    result = minimize(lambda v: (v * v).sum(), np.array([1.5, -0.5]), method="gd", learning_rate=0.1, max_iter=20)
    fig = plot_optimizer_paths({"mine": [[0.0, 0.0], [0.5, 0.25], [1.0, 1.0]], "GD on |x|^2": result})
    labels = lines_by_label(fig.axes[0])
    np.testing.assert_array_equal(labels["mine (2 steps)"].get_xydata(), [[0.0, 0.0], [0.5, 0.25], [1.0, 1.0]])
    np.testing.assert_array_equal(labels["GD on |x|^2 (20 steps)"].get_xydata(), result.history_x)
    assert fig.get_suptitle() == "Rosenbrock: paths of mine, GD on |x|^2"
    render(fig)


@pytest.mark.parametrize(
    "paths,error,match",
    [
        ([[0.0, 0.0]], TypeError, "paths must be a mapping"),
        ({}, ValueError, "paths is empty"),
        ({"a": [[0.0, 0.0, 0.0]]}, ValueError, r"paths\['a'\] must be a non-empty \(n_steps, 2\) array"),
        ({"a": np.zeros((0, 2))}, ValueError, r"non-empty \(n_steps, 2\)"),
        ({"a": [[0.0, np.nan]]}, ValueError, r"paths\['a'\] contains NaN"),
    ],
)
def test_bad_paths(paths, error, match):
    with pytest.raises(error, match=match):
        plot_optimizer_paths(paths)


def test_learning_curves_group_by_quantity():
    history = {"loss": [1.0, 0.6, 0.4, 0.45], "val_loss": [1.1, 0.8, 0.7, 0.75], "accuracy": [0.5, 0.7, 0.9, 0.85]}
    fig = plot_learning_curves(history)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    ax_loss, ax_acc = fig.axes
    assert ax_loss.get_ylabel() == "loss" and ax_acc.get_ylabel() == "accuracy"
    assert ax_loss.get_xlabel() == ax_acc.get_xlabel() == "epoch"
    curves = lines_by_label(ax_loss)
    np.testing.assert_array_equal(curves["loss"].get_xdata(), [1, 2, 3, 4])
    np.testing.assert_array_equal(curves["loss"].get_ydata(), history["loss"])
    np.testing.assert_array_equal(curves["val_loss"].get_ydata(), history["val_loss"])
    # the best epoch is circled: the minimum of a loss, the maximum of an accuracy
    markers = [line for line in ax_loss.lines if line.get_label().startswith("_")]
    assert [tuple(m.get_xydata()[0]) for m in markers] == [(3.0, 0.4), (3.0, 0.7)]
    best_acc = [line for line in ax_acc.lines if line.get_label().startswith("_")][0]
    assert tuple(best_acc.get_xydata()[0]) == (3.0, 0.9)
    assert "Learning curves" in fig.get_suptitle()
    render(fig)


@pytest.mark.parametrize(
    "history,error,match",
    [
        ([1.0, 2.0], TypeError, "history must be a mapping"),
        ({}, ValueError, "history is empty"),
        ({"loss": []}, ValueError, r"history\['loss'\] needs at least 1 entries"),
        ({"loss": [1.0, np.inf]}, ValueError, r"history\['loss'\] contains inf"),
        ({"loss": [[1.0, 2.0]]}, ValueError, r"history\['loss'\] must be 1-D"),
    ],
)
def test_bad_history(history, error, match):
    with pytest.raises(error, match=match):
        plot_learning_curves(history)
