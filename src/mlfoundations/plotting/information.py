r"""Information-theory pictures: the entropy of a coin, a decision tree's regions."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.colors import ListedColormap

from .._validation import as_matrix, check_int
from ..information import entropy
from ._style import COLORS, finite_range, new_figure, require_fitted

__all__ = ["plot_coin_entropy", "plot_tree_regions"]

#: the guide's two coins
_GUIDE_COINS = ((0.5, "fair coin"), (0.9, "the guide's biased coin"))
_MESH = 300


def plot_coin_entropy():
    r"""The entropy of a coin, H(p) = -p log2 p - (1 - p) log2(1 - p), against p.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: H(p) in bits from :func:`~mlfoundations.information.entropy` on 501
        points of [0, 1], with the guide's fair coin (1 bit, the maximum) and biased
        coin p = 0.9 (0.469 bits) marked, and the Gini impurity 2 p (1 - p) for
        comparison.

    Notes
    -----
    H is 0 for a certain outcome (0 log 0 = 0), symmetric about p = 1/2 and maximal
    there: one fair coin toss carries one bit. A decision tree grown by information
    gain picks the split that lowers this average uncertainty most.

    References
    ----------
    C. E. Shannon, "A mathematical theory of communication", Bell System Technical
    Journal 27 (1948). Cover & Thomas, *Elements of Information Theory*, 2nd ed.,
    Wiley (2006), section 2.1.

    Examples
    --------
    >>> fig = plot_coin_entropy()
    >>> p, h = fig.axes[0].lines[0].get_data()
    >>> float(h[np.argmin(np.abs(p - 0.5))])
    1.0
    """
    p = np.linspace(0.0, 1.0, 501)
    h = entropy(np.column_stack([p, 1.0 - p]), base=2)
    fig, (ax,) = new_figure(panel_width=6.0, title=r"Entropy of a coin: $H(p) = -p\log_2 p - (1-p)\log_2(1-p)$")
    ax.plot(p, h, color=COLORS[0], linewidth=2.5, label="entropy H(p) in bits")
    ax.plot(p, 2.0 * p * (1.0 - p), color=COLORS[7], linestyle="--", label="Gini impurity 2p(1 - p)")
    for (q, name), color in zip(_GUIDE_COINS, (COLORS[2], COLORS[3])):
        hq = float(entropy([q, 1.0 - q], base=2))
        ax.plot([q], [hq], marker="o", markersize=8, color=color, linestyle="none",
                label=f"{name}: p = {q:g}, H = {hq:.3f} bits")
    ax.set(xlabel="p = P(heads)", ylabel="bits", xlim=(0, 1), ylim=(0, 1.08),
           title="maximal (1 bit) at p = 1/2, zero when the outcome is certain")
    ax.legend(fontsize="small", loc="lower center")
    ax.grid(True, alpha=0.3)
    return fig


def _check_features(features, n_features: int) -> tuple[int, int]:
    if isinstance(features, (str, bytes)) or not isinstance(features, Sequence) or len(features) != 2:
        raise ValueError(f"features must be a pair of column indices (i, j), got {features!r}")
    i, j = (check_int(f, "features entry", minimum=0, maximum=n_features - 1) for f in features)
    if i == j:
        raise ValueError(f"features must be two different columns, got ({i}, {j})")
    return i, j


def plot_tree_regions(tree, X, y, features=(0, 1), *, feature_names=None):
    r"""A fitted tree's prediction over the plane of two features, with the data on top.

    Parameters
    ----------
    tree : DecisionTreeClassifier or DecisionTreeRegressor
        A fitted tree (any fitted estimator with ``predict`` works).
    X : (n_samples, n_features) array_like
        Data with the features the tree was fitted on.
    y : (n_samples,) array_like
        Labels (classifier) or values (regressor) for colouring the points.
    features : (int, int), default (0, 1)
        The columns of ``X`` on the horizontal and vertical axes. The tree is
        evaluated on a 300 x 300 grid over their range; any other feature is held at
        its median in ``X`` (said in the title).
    feature_names : sequence of str, optional
        A name per column of ``X`` for the axis labels; default the tree's
        ``feature_names_in_`` if it has them, else ``x1, x2, ...``.

    Returns
    -------
    matplotlib.figure.Figure
        The predicted class (coloured regions, one colour per class) or value (a
        colour scale, with a colour-bar axes) on the grid, and the points.

    Raises
    ------
    NotFittedError
        If ``tree`` has not been fitted.
    TypeError
        If ``tree`` is not an estimator.
    ValueError
        If ``X`` does not have the tree's number of features, ``y`` does not match
        ``X``, ``features`` is not two different valid columns, ``feature_names``
        has the wrong length, or ``y`` holds a class the classifier never saw.

    Notes
    -----
    Each split tests one feature against a threshold, so a tree cuts the plane into
    axis-aligned rectangles; within each leaf it predicts the majority class (or
    the mean). With a criterion of "entropy" each split is the one with the largest
    information gain IG = H(parent) - sum_k (n_k / n) H(child_k).

    References
    ----------
    L. Breiman, J. Friedman, R. Olshen and C. Stone, *Classification and Regression
    Trees*, Wadsworth (1984). J. R. Quinlan, "Induction of decision trees", Machine
    Learning 1 (1986).

    Examples
    --------
    >>> from mlfoundations.datasets import load_iris
    >>> from mlfoundations.models import DecisionTreeClassifier
    >>> X, y = load_iris()
    >>> tree = DecisionTreeClassifier(criterion="entropy", max_depth=3).fit(X[:, 2:], y)
    >>> fig = plot_tree_regions(tree, X[:, 2:], y)
    >>> fig.axes[0].images[0].get_array().shape
    (300, 300)
    """
    require_fitted(tree, "tree")
    n_features = getattr(tree, "n_features_in_", None)
    X = as_matrix(X, "X", min_rows=1)
    if X.shape[1] != n_features:
        raise ValueError(f"X has {X.shape[1]} features, but the tree was fitted on {n_features}")
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must be 1-D with one entry per row of X ({X.shape[0]}), got shape {y.shape}")
    i, j = _check_features(features, n_features)
    names = feature_names if feature_names is not None else getattr(tree, "feature_names_in_", None)
    names = [f"x{k + 1}" for k in range(n_features)] if names is None else [str(n) for n in names]
    if len(names) != n_features:
        raise ValueError(f"feature_names has {len(names)} names for {n_features} features")

    x_lo, x_hi = finite_range(X[:, i])
    y_lo, y_hi = finite_range(X[:, j])
    gx, gy = np.linspace(x_lo, x_hi, _MESH), np.linspace(y_lo, y_hi, _MESH)
    mesh = np.tile(np.median(X, axis=0), (_MESH * _MESH, 1))
    xx, yy = np.meshgrid(gx, gy)  # row r of the image is gy[r]
    mesh[:, i], mesh[:, j] = xx.ravel(), yy.ravel()
    predicted = np.asarray(tree.predict(mesh)).reshape(_MESH, _MESH)
    dx, dy = (x_hi - x_lo) / (_MESH - 1), (y_hi - y_lo) / (_MESH - 1)
    extent = (x_lo - dx / 2, x_hi + dx / 2, y_lo - dy / 2, y_hi + dy / 2)

    held = [names[k] for k in range(n_features) if k not in (i, j)]
    subtitle = (textwrap.fill(f"other features held at their medians ({', '.join(held)})", 60)
                if held else f"{X.shape[0]} samples")
    fig, (ax,) = new_figure(panel_width=6.0, panel_height=4.8,
                            title=f"Decision regions of {type(tree).__name__}: axis-aligned splits")
    classes = getattr(tree, "classes_", None)
    if classes is not None:
        unseen = np.setdiff1d(y, classes)
        if unseen.size:
            raise ValueError(f"y holds labels the tree never saw: {unseen[:5].tolist()}")
        n_classes = len(classes)
        palette = [COLORS[k % len(COLORS)] for k in range(n_classes)]
        index = np.searchsorted(classes, predicted)
        ax.imshow(index, origin="lower", extent=extent, aspect="auto", interpolation="nearest",
                  cmap=ListedColormap(palette), vmin=-0.5, vmax=n_classes - 0.5, alpha=0.35)
        for k, label in enumerate(classes):
            mask = y == label
            ax.scatter(X[mask, i], X[mask, j], s=16, color=palette[k], edgecolor="k", linewidth=0.4,
                       label=f"class {label}")
        ax.legend(fontsize="small", title="points and regions")
    else:
        values = np.asarray(y, dtype=np.float64)
        low = min(float(predicted.min()), float(values.min()))
        high = max(float(predicted.max()), float(values.max()))
        image = ax.imshow(predicted, origin="lower", extent=extent, aspect="auto", interpolation="nearest",
                          cmap="viridis", vmin=low, vmax=high, alpha=0.6)
        ax.scatter(X[:, i], X[:, j], s=16, c=values, cmap="viridis", vmin=low, vmax=high,
                   edgecolor="k", linewidth=0.4)
        fig.colorbar(image, ax=ax, label="prediction / y")
    ax.set(xlabel=names[i], ylabel=names[j], xlim=extent[:2], ylim=extent[2:], title=subtitle)
    return fig
