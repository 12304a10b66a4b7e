r"""Calculus pictures: optimizer paths on Rosenbrock's valley, learning curves."""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
from matplotlib.ticker import MaxNLocator

from .._validation import as_float_array, as_vector
from ..exceptions import ConvergenceWarning
from ..optim import OptimizeResult, minimize
from ._style import COLORS, finite_range, new_figure

__all__ = ["rosenbrock", "rosenbrock_paths", "plot_optimizer_paths", "plot_learning_curves"]

ROSENBROCK_TEX = r"$f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2$"
ROSENBROCK_START = (-1.2, 1.0)

#: name -> (method, learning rate, iterations): the rates are near the largest stable
#: ones for Rosenbrock (its Hessian reaches ~1500 on the way down, so GD needs eta < 2/1500)
_RACE = (
    ("GD", "gd", 1e-3, 2000),
    ("Momentum", "momentum", 2e-4, 2000),
    ("Adam", "adam", 5e-2, 2000),
    ("RMSprop", "rmsprop", 3e-3, 2000),
    ("Newton", "newton", None, 100),
)


def rosenbrock(x, y):
    """Rosenbrock's banana f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1)."""
    return (1.0 - x) ** 2 + 100.0 * (y - x**2) ** 2


def _fun(v):
    return rosenbrock(v[0], v[1])


def _jac(v):
    x, y = v
    return np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x**2), 200.0 * (y - x**2)])


def _hess(v):
    x, y = v
    return np.array([[2.0 - 400.0 * (y - 3.0 * x**2), -400.0 * x], [-400.0 * x, 200.0]])


@lru_cache(maxsize=1)
def _race() -> tuple:
    out = []
    for name, method, lr, max_iter in _RACE:
        hess = _hess if method == "newton" else None
        # the race is cut at max_iter on purpose; the picture shows how far each got
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            result = minimize(_fun, np.array(ROSENBROCK_START), method=method, jac=_jac, hess=hess,
                              learning_rate=lr, max_iter=max_iter, tol=1e-10)
        out.append((name, result))
    return tuple(out)


def rosenbrock_paths() -> dict[str, OptimizeResult]:
    r"""Run GD, Momentum, Adam, RMSprop and Newton on Rosenbrock from (-1.2, 1).

    Returns
    -------
    dict of str to OptimizeResult
        ``{"GD": ..., "Momentum": ..., "Adam": ..., "RMSprop": ..., "Newton": ...}``,
        each from :func:`mlfoundations.optim.minimize` with the closed-form gradient
        (and Hessian for Newton); ``history_x`` holds the path.

    Notes
    -----
    grad f = (-2 (1 - x) - 400 x (y - x^2), 200 (y - x^2)). Learning rates: GD 1e-3,
    Momentum 2e-4 (mu = 0.9), Adam 5e-2, RMSprop 3e-3, 2000 iterations each; Newton
    (damped, backtracking) until ||grad f|| <= 1e-10. The first-order methods crawl
    along the curved valley; Newton, which rescales by the curvature, reaches (1, 1)
    in about 25 steps. Computed once per process.

    Examples
    --------
    >>> paths = rosenbrock_paths()
    >>> bool(np.allclose(paths["Newton"].x, [1.0, 1.0]))
    True
    """
    return dict(_race())


def _as_path(path, name) -> np.ndarray:
    points = path.history_x if isinstance(path, OptimizeResult) else path
    points = as_float_array(points, f"paths[{name!r}]")
    if points.ndim != 2 or points.shape[1] != 2 or points.shape[0] == 0:
        raise ValueError(
            f"paths[{name!r}] must be a non-empty (n_steps, 2) array of points (x, y), "
            f"got shape {points.shape}"
        )
    return points


def plot_optimizer_paths(paths=None):
    r"""The paths of optimizers on a contour plot of Rosenbrock's function, and f per step.

    Parameters
    ----------
    paths : mapping of str to (n_steps, 2) array_like or OptimizeResult, optional
        Points ``(x_k, y_k)`` visited by each optimizer on Rosenbrock's function
        (an :class:`~mlfoundations.optim.OptimizeResult` gives its ``history_x``).
        Default: :func:`rosenbrock_paths` (GD, Momentum, Adam, RMSprop, Newton from
        (-1.2, 1)).

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the paths over log-spaced contours of f (the minimum (1, 1)
        starred), and f(x_k, y_k) against the step k on a log scale.

    Raises
    ------
    TypeError
        If ``paths`` is not a mapping.
    ValueError
        If ``paths`` is empty, or a path is not a non-empty (n, 2) array of finite
        numbers.

    Notes
    -----
    f(x, y) = (1 - x)^2 + 100 (y - x^2)^2 has its minimum 0 at (1, 1) at the end of a
    long, curved, flat-bottomed valley: the Hessian at the minimum,
    [[802, -400], [-400, 200]], has condition number ~2500, which is what makes
    gradient descent crawl.

    References
    ----------
    H. H. Rosenbrock, "An automatic method for finding the greatest or least value of
    a function", The Computer Journal 3(3) (1960). Nocedal & Wright, *Numerical
    Optimization*, 2nd ed., Springer (2006), ch. 2-3.

    Examples
    --------
    >>> fig = plot_optimizer_paths({"two steps": [[-1.0, 1.0], [0.0, 0.0]]})
    >>> len(fig.axes)
    2
    """
    if paths is None:
        paths = rosenbrock_paths()
    if not isinstance(paths, Mapping):
        raise TypeError(f"paths must be a mapping of name to points, got {type(paths).__name__}")
    if not paths:
        raise ValueError("paths is empty; give at least one optimizer's path")
    points = {str(name): _as_path(path, name) for name, path in paths.items()}

    names = ", ".join(points)
    fig, (ax_path, ax_f) = new_figure(1, 2, panel_width=5.5, title=f"Rosenbrock: paths of {names}")
    everything = np.vstack([*points.values(), [[-1.5, -0.5], [1.5, 2.0]]])
    x_lo, x_hi = finite_range(everything[:, 0])
    y_lo, y_hi = finite_range(everything[:, 1])
    gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, 200), np.linspace(y_lo, y_hi, 200))
    fz = rosenbrock(gx, gy)
    levels = np.logspace(-1, np.log10(max(fz.max(), 1.0)), 20)
    ax_path.contour(gx, gy, fz, levels=levels, colors="0.7", linewidths=0.6)
    ax_path.plot([1.0], [1.0], marker="*", markersize=14, color="k", linestyle="none",
                 label="minimum (1, 1)")
    for i, (name, path) in enumerate(points.items()):
        color = COLORS[i % len(COLORS)]
        ax_path.plot(path[:, 0], path[:, 1], color=color, linewidth=1.4,
                     marker="." if len(path) <= 100 else None, markersize=4,
                     label=f"{name} ({len(path) - 1} steps)")
        f_path = rosenbrock(path[:, 0], path[:, 1])
        # log axis: an exact 0 (a hit of the minimum) is drawn at the smallest double
        ax_f.plot(np.arange(len(path)), np.maximum(f_path, np.finfo(float).tiny), color=color,
                  label=name)
    ax_path.plot(*points[next(iter(points))][0], marker="o", color="k", linestyle="none",
                 label="start")
    ax_path.set(xlim=(x_lo, x_hi), ylim=(y_lo, y_hi), xlabel="x", ylabel="y",
                title="paths over the contours of " + ROSENBROCK_TEX)
    fig.legend(*ax_path.get_legend_handles_labels(), loc="outside lower center",
               ncols=min(len(points) + 2, 7), fontsize="small")
    ax_f.set_yscale("log")
    lowest = min(float(np.min(rosenbrock(p[:, 0], p[:, 1]))) for p in points.values())
    # Newton lands within 1e-30 of the minimum: cut the axis where the others still show
    ax_f.set_ylim(bottom=max(lowest, 1e-14) / 2)
    ax_f.set(xlabel="step k", ylabel="$f(x_k, y_k)$", title="objective per step (log scale)")
    ax_f.grid(True, which="major", alpha=0.3)
    return fig


def _metric(name: str) -> str:
    """The quantity a curve measures: "val_loss" and "train loss" are both "loss"."""
    return re.split(r"[\s_]+", name.strip())[-1].lower() or name


def plot_learning_curves(history):
    r"""Training curves per epoch, one axes per quantity (loss, accuracy, ...).

    Parameters
    ----------
    history : mapping of str to sequence of float
        Curve name -> value per epoch, e.g. ``{"loss": [...], "val_loss": [...],
        "accuracy": [...]}``. Curves whose names end in the same word ("loss",
        "accuracy"; split at "_" or spaces) share an axes.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per quantity, value against epoch 1, 2, ...; the best value of each
        curve (minimum for a loss or error, maximum otherwise) is marked.

    Raises
    ------
    TypeError
        If ``history`` is not a mapping.
    ValueError
        If ``history`` is empty, or a curve is empty, not 1-D, or holds NaN or inf.

    Examples
    --------
    >>> fig = plot_learning_curves({"loss": [1.0, 0.5, 0.3], "accuracy": [0.5, 0.8, 0.9]})
    >>> len(fig.axes)
    2
    """
    if not isinstance(history, Mapping):
        raise TypeError(f"history must be a mapping of curve name to values, got {type(history).__name__}")
    if not history:
        raise ValueError("history is empty; give at least one curve")
    curves = {str(k): as_vector(v, f"history[{k!r}]", min_size=1) for k, v in history.items()}
    groups: dict[str, list[str]] = {}
    for name in curves:
        groups.setdefault(_metric(name), []).append(name)

    fig, axes = new_figure(1, len(groups), title="Learning curves: " + ", ".join(groups) + " per epoch")
    for ax, (metric, names) in zip(axes, groups.items()):
        lower_is_better = metric in ("loss", "error", "mse", "nll", "cost", "risk")
        for i, name in enumerate(names):
            values = curves[name]
            epochs = np.arange(1, len(values) + 1)
            color = COLORS[i % len(COLORS)]
            ax.plot(epochs, values, color=color, marker="." if len(values) <= 50 else None, label=name)
            best = int(np.argmin(values) if lower_is_better else np.argmax(values))
            ax.plot([epochs[best]], [values[best]], marker="o", markerfacecolor="none",
                    color=color, linestyle="none")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set(xlabel="epoch", ylabel=metric, title=f"{metric} ({'min' if lower_is_better else 'max'} circled)")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    return fig
