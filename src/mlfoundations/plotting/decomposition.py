r"""Linear-algebra pictures: the PCA scree plot and projection, low-rank images."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .._validation import as_matrix, check_int
from ..linalg import low_rank_approximation, svd
from ..models import PCA
from ._style import COLORS, new_figure, require_fitted

__all__ = ["plot_scree", "plot_projection", "plot_low_rank"]

#: at most this many distinct labels are drawn as classes (legend), more as a colour scale
_MAX_CLASSES = 20


def _require_pca(pca) -> None:
    if not isinstance(pca, PCA):
        raise TypeError(f"pca must be a fitted mlfoundations.models.PCA, got {type(pca).__name__}")
    require_fitted(pca, "pca")


def plot_scree(pca):
    r"""Scree plot: the share of variance along each principal axis, and its running total.

    Parameters
    ----------
    pca : PCA
        A fitted :class:`~mlfoundations.models.PCA`.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: bars at ``explained_variance_ratio_`` for components 1..k and the
        cumulative share as a line, with dotted guides at 90% and 95%.

    Raises
    ------
    TypeError
        If ``pca`` is not a PCA.
    NotFittedError
        If ``pca`` has not been fitted.

    Notes
    -----
    Component j explains lambda_j / sum_i lambda_i of the total variance, where
    lambda_j = s_j^2 / (n - 1) are the eigenvalues of the sample covariance (s_j the
    singular values of the centred data). The "elbow" where the bars flatten
    suggests how many components to keep.

    References
    ----------
    R. B. Cattell, "The scree test for the number of factors", Multivariate
    Behavioral Research 1(2) (1966). I. T. Jolliffe, *Principal Component Analysis*,
    2nd ed., Springer (2002), section 6.1.

    Examples
    --------
    >>> from mlfoundations.datasets import load_iris
    >>> from mlfoundations.models import PCA
    >>> fig = plot_scree(PCA().fit(load_iris().X))
    >>> [round(float(b.get_height()), 4) for b in fig.axes[0].patches]
    [0.9246, 0.0531, 0.0171, 0.0052]
    """
    _require_pca(pca)
    ratio = np.asarray(pca.explained_variance_ratio_, dtype=np.float64)
    components = np.arange(1, ratio.size + 1)
    fig, (ax,) = new_figure(
        title=r"PCA scree plot: explained variance ratio $\lambda_j / \sum_i \lambda_i$"
    )
    ax.bar(components, ratio, color=COLORS[0], alpha=0.8, label="component j")
    ax.plot(components, np.cumsum(ratio), color=COLORS[1], marker="o", label="cumulative")
    for level in (0.9, 0.95):
        ax.axhline(level, color="0.5", linestyle=":", linewidth=1)
    ax.set(xlabel="principal component j", ylabel="fraction of the total variance",
           ylim=(0, 1.05), title=f"{ratio.size} components keep {100 * ratio.sum():.1f}% of the variance")
    ax.set_xticks(components if ratio.size <= 20 else components[:: max(1, ratio.size // 10)])
    ax.legend(loc="center right")
    return fig


def _is_categorical(y: np.ndarray) -> bool:
    if y.dtype.kind not in "biuf":
        return True
    finite = y[np.isfinite(y)] if y.dtype.kind == "f" else y
    return np.unique(y).size <= _MAX_CLASSES and bool(np.all(finite == np.round(finite)))


def plot_projection(pca, X, y=None):
    r"""The data projected onto the first two principal axes: a scatter of (z_1, z_2).

    Parameters
    ----------
    pca : PCA
        A fitted :class:`~mlfoundations.models.PCA` with at least 2 components.
    X : (n_samples, n_features) array_like
        Data to project, with the features ``pca`` was fitted on.
    y : (n_samples,) array_like, optional
        Labels or values to colour the points by: up to 20 distinct integers or
        strings are drawn as classes with a legend, anything else on a colour scale
        (which adds a colour-bar axes).

    Returns
    -------
    matplotlib.figure.Figure
        The scatter of ``pca.transform(X)[:, :2]``, axes labelled with each
        component's share of the variance.

    Raises
    ------
    TypeError
        If ``pca`` is not a PCA.
    NotFittedError
        If ``pca`` has not been fitted.
    ValueError
        If ``pca`` has fewer than 2 components, ``X`` does not match the fit, or
        ``y`` does not have one entry per row of ``X``.

    Notes
    -----
    z = (x - mu) V_2, with V_2 the first two rows of ``components_`` as columns: the
    plane through the mean that keeps the most variance of all planes.

    Examples
    --------
    >>> from mlfoundations.datasets import load_iris
    >>> from mlfoundations.models import PCA
    >>> X, y = load_iris()
    >>> fig = plot_projection(PCA(n_components=2).fit(X), X, y)
    >>> len(fig.axes[0].collections)  # one scatter per species
    3
    """
    _require_pca(pca)
    if pca.n_components_ < 2:
        raise ValueError(
            f"plot_projection needs a PCA with at least 2 components, got n_components_={pca.n_components_}"
        )
    Z = pca.transform(X)[:, :2]
    ratio = pca.explained_variance_ratio_
    fig, (ax,) = new_figure(
        panel_width=5.5, title=r"PCA projection $z = (x - \mu)\,V_2$ onto the first two principal axes"
    )
    if y is None:
        ax.scatter(Z[:, 0], Z[:, 1], s=14, color=COLORS[0], alpha=0.8)
    else:
        y = np.asarray(y)
        if y.ndim != 1 or y.shape[0] != Z.shape[0]:
            raise ValueError(f"y must be 1-D with one entry per row of X ({Z.shape[0]}), got shape {y.shape}")
        if _is_categorical(y):
            labels = np.unique(y)
            if labels.dtype.kind == "f":
                labels = labels[~np.isnan(labels)]  # unlabelled points are left out
            for i, label in enumerate(labels):
                mask = y == label
                ax.scatter(Z[mask, 0], Z[mask, 1], s=14, alpha=0.8, color=COLORS[i % len(COLORS)],
                           label=str(label))
            ax.legend(title="y", fontsize="small")
        else:
            points = ax.scatter(Z[:, 0], Z[:, 1], s=14, c=y.astype(np.float64), cmap="viridis")
            fig.colorbar(points, ax=ax, label="y")
    ax.set(xlabel=f"$z_1$, PC1 ({100 * ratio[0]:.1f}% of the variance)",
           ylabel=f"$z_2$, PC2 ({100 * ratio[1]:.1f}% of the variance)",
           title=f"{Z.shape[0]} samples, {pca.n_features_in_} features")
    ax.axhline(0, color="0.8", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.8", linewidth=0.8, zorder=0)
    return fig


def _check_ranks(ranks, k_max: int) -> list[int]:
    if isinstance(ranks, (str, bytes)) or not isinstance(ranks, Iterable):
        raise TypeError(f"ranks must be a sequence of integers, got {type(ranks).__name__}")
    out = [check_int(k, "ranks entry", minimum=1) for k in ranks]
    if not out:
        raise ValueError("ranks is empty; give at least one rank")
    too_big = [k for k in out if k > k_max]
    if too_big:
        raise ValueError(f"ranks {too_big} exceed min(M, N) = {k_max} of the image")
    return out


def plot_low_rank(image, ranks=(1, 5, 20, 50)):
    r"""An image beside its best rank-k approximations (truncated SVD), and its spectrum.

    Parameters
    ----------
    image : (M, N) array_like
        A grayscale image (any real, finite values; shown with the original's range).
    ranks : sequence of int, default (1, 5, 20, 50)
        The ranks k to show, each ``1 <= k <= min(M, N)``.

    Returns
    -------
    matplotlib.figure.Figure
        ``len(ranks) + 2`` axes: the image, each ``A_k`` from
        :func:`~mlfoundations.linalg.low_rank_approximation` (titled with its relative
        error and the share of numbers stored), and the singular values on a log
        scale with the chosen ranks marked.

    Raises
    ------
    ValueError
        If ``image`` is not a non-empty finite 2-D array, ``ranks`` is empty, or a rank
        is below 1 or above ``min(M, N)``.
    TypeError
        If ``ranks`` is not a sequence of integers.

    Notes
    -----
    A_k = sum_{i <= k} s_i u_i v_i^T is the closest matrix of rank k to A in the 2-
    and Frobenius norms (Eckart–Young), with ||A - A_k||_F / ||A||_F =
    sqrt(sum_{i > k} s_i^2 / sum_i s_i^2); it is stored in k (M + N + 1) numbers
    instead of M N.

    References
    ----------
    C. Eckart and G. Young, "The approximation of one matrix by another of lower
    rank", Psychometrika 1(3) (1936).

    Examples
    --------
    >>> from mlfoundations.datasets import sample_image
    >>> fig = plot_low_rank(sample_image(64), ranks=(1, 8))
    >>> len(fig.axes)
    4
    """
    A = as_matrix(image, "image", min_rows=1, min_cols=1)
    ks = _check_ranks(ranks, min(A.shape))
    s = svd(A, compute_uv=False)
    n_panels = len(ks) + 2
    fig, axes = new_figure(1, n_panels, panel_width=3.2, panel_height=3.6,
                           title=r"Low-rank approximation $A_k = \sum_{i \leq k} s_i u_i v_i^T$ (truncated SVD)")
    low, high = float(A.min()), float(A.max())
    shown = dict(cmap="gray", vmin=low, vmax=high if high > low else low + 1.0, interpolation="nearest")
    axes[0].imshow(A, **shown)
    axes[0].set_title(f"original A, {A.shape[0]} x {A.shape[1]}")
    for ax, k in zip(axes[1:-1], ks):
        approx = low_rank_approximation(A, k)
        ax.imshow(approx.approximation, **shown)
        ax.set_title(f"k = {k}: error {100 * approx.relative_error_fro:.2g}%,\n"
                     f"stores {100 * approx.compression_ratio:.3g}% of the numbers", fontsize="medium")
    for ax in axes[:-1]:
        ax.set(xticks=[], yticks=[], xlabel="column", ylabel="row")
    spectrum = axes[-1]
    index = np.arange(1, s.size + 1)
    positive = s > 0
    spectrum.semilogy(index[positive], s[positive], color=COLORS[0], marker=".", markersize=3,
                      label="$s_i$")
    for i, k in enumerate(ks):
        spectrum.axvline(k, color=COLORS[(i + 1) % len(COLORS)], linestyle="--", linewidth=1,
                         label=f"k = {k}")
    spectrum.set(xlabel="i", ylabel="singular value $s_i$ (log scale)", title="spectrum: error = tail of $s_i$")
    spectrum.legend(fontsize="small")
    return fig
