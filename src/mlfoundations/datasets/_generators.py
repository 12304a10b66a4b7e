"""Synthetic data with a known answer: linear regression, Guyon's classification
problems and isotropic Gaussian blobs.

Every generator draws from the ``numpy.random.Generator`` that ``rng`` names
(SPEC 7) and from nothing else, so the same seed gives the same data.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import (
    as_matrix,
    as_vector,
    check_bool,
    check_int,
    check_positive,
    check_probability,
    check_real,
    check_rng,
)

__all__ = ["make_regression", "make_classification", "make_blobs"]


def make_regression(
    n_samples=100,
    n_features=100,
    *,
    n_informative=10,
    n_targets=1,
    bias=0.0,
    noise=0.0,
    coef=False,
    rng=None,
):
    """Draw a linear regression problem whose true coefficients are known.

    Parameters
    ----------
    n_samples : int, default 100
        Number of rows, at least 1.
    n_features : int, default 100
        Number of columns, at least 1.
    n_informative : int, default 10
        Number of features with a nonzero coefficient, at least 0; values above
        ``n_features`` are clipped to ``n_features``.
    n_targets : int, default 1
        Number of response columns, at least 1.
    bias : float, default 0.0
        Intercept added to every response.
    noise : float, default 0.0
        Standard deviation of the Gaussian noise added to the responses, >= 0.
    coef : bool, default False
        Also return the true coefficients.
    rng : None, int or numpy.random.Generator, default None
        Source of randomness (SPEC 7).

    Returns
    -------
    X : (n_samples, n_features) ndarray of float64
        Independent standard normal entries.
    y : (n_samples,) or (n_samples, n_targets) ndarray of float64
        Responses; 1-D when ``n_targets == 1``.
    w : (n_features,) or (n_features, n_targets) ndarray of float64
        The true coefficients, returned only if ``coef`` is True.

    Raises
    ------
    TypeError
        If a count is not an integer, ``bias`` or ``noise`` not a real number,
        ``coef`` not a bool, or ``rng`` of the wrong type.
    ValueError
        If a count is out of range or ``bias``/``noise`` is not finite or
        ``noise < 0``.

    Notes
    -----
    The model is

    .. math:: y = X w + b + \\sigma \\varepsilon, \\qquad
              X_{ij}, \\varepsilon_i \\sim N(0, 1)\\ \\text{i.i.d.},

    where ``w`` is zero except on ``n_informative`` features chosen uniformly at
    random, whose entries are drawn from Uniform(0, 100). With ``noise=0``,
    ``y == X @ w + bias`` holds exactly, operation for operation.

    References
    ----------
    T. Hastie, R. Tibshirani and J. Friedman, *The Elements of Statistical
    Learning*, 2nd ed., Springer (2009), Ch. 3 (linear methods for regression).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.datasets import make_regression
    >>> X, y, w = make_regression(50, 8, n_informative=3, bias=2.0, coef=True, rng=0)
    >>> X.shape, y.shape, int(np.count_nonzero(w))
    ((50, 8), (50,), 3)
    >>> bool(np.array_equal(y, X @ w + 2.0))
    True
    """
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    n_features = check_int(n_features, "n_features", minimum=1)
    n_informative = min(check_int(n_informative, "n_informative", minimum=0), n_features)
    n_targets = check_int(n_targets, "n_targets", minimum=1)
    bias = check_real(bias, "bias")
    noise = check_positive(noise, "noise", strict=False)
    coef = check_bool(coef, "coef")
    rng = check_rng(rng)

    X = rng.standard_normal((n_samples, n_features))
    informative = rng.choice(n_features, size=n_informative, replace=False)
    w = np.zeros((n_features, n_targets))
    w[informative] = 100.0 * rng.random((n_informative, n_targets))
    if n_targets == 1:
        # Squeeze before the product so that y is exactly X @ w + bias for the w returned.
        w = w[:, 0]
    y = X @ w + bias
    if noise > 0.0:
        y += noise * rng.standard_normal(y.shape)
    return (X, y, w) if coef else (X, y)


def _class_proportions(weights, n_classes: int) -> np.ndarray:
    """Validate ``weights`` and turn them into class probabilities summing to one."""
    if weights is None:
        return np.full(n_classes, 1.0 / n_classes)
    w = as_vector(weights, "weights")
    if w.shape[0] not in (n_classes, n_classes - 1):
        raise ValueError(
            f"weights must have n_classes={n_classes} or n_classes - 1={n_classes - 1} "
            f"entries, got {w.shape[0]}"
        )
    if (w < 0).any():
        raise ValueError(f"weights must be non-negative, got {w.tolist()}")
    total = float(w.sum())
    if w.shape[0] == n_classes - 1:
        if total > 1.0 + 1e-12:
            raise ValueError(
                "weights with n_classes - 1 entries leave the rest to the last class, "
                f"so they must sum to at most 1; got sum {total!r}"
            )
        w = np.append(w, max(0.0, 1.0 - total))
        total = float(w.sum())
    if total == 0.0:
        raise ValueError("weights must not all be zero")
    return w / total


def _apportion(n: int, proportions: np.ndarray) -> np.ndarray:
    """Split ``n`` into integer counts proportional to ``proportions``.

    Largest-remainder (Hamilton) rounding: floor every share, then hand the
    leftover units to the largest fractional parts, so the counts sum to ``n``
    and each is within one of its exact share.
    """
    exact = n * proportions
    counts = np.floor(exact).astype(np.int64)
    leftover = n - int(counts.sum())
    counts[np.argsort(-(exact - counts), kind="stable")[:leftover]] += 1
    return counts


def _hypercube_vertices(n_vertices: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    """``n_vertices`` distinct random vertices of the cube {-1, +1}^dim."""
    if dim <= 30:
        # Draw distinct vertex numbers, then read their binary digits as signs.
        index = rng.choice(2**dim, size=n_vertices, replace=False)
        bits = (index[:, None] >> np.arange(dim)) & 1
    else:
        # 2**dim is too many to enumerate; collisions are so rare that redrawing
        # the whole set until it is duplicate-free ends after one try in practice.
        while True:
            bits = rng.integers(0, 2, size=(n_vertices, dim))
            if np.unique(bits, axis=0).shape[0] == n_vertices:
                break
    return 2.0 * bits - 1.0


def make_classification(
    n_samples=100,
    n_features=20,
    *,
    n_informative=2,
    n_redundant=2,
    n_classes=2,
    n_clusters_per_class=2,
    class_sep=1.0,
    flip_y=0.01,
    weights=None,
    shuffle=True,
    rng=None,
):
    """Draw a classification problem of Gaussian clusters on hypercube vertices.

    Parameters
    ----------
    n_samples : int, default 100
        Number of rows, at least 1.
    n_features : int, default 20
        Total number of columns: informative, redundant and pure-noise ones.
    n_informative : int, default 2
        Dimension of the subspace the clusters live in, at least 1.
    n_redundant : int, default 2
        Number of random linear combinations of the informative features, >= 0.
    n_classes : int, default 2
        Number of classes, at least 2.
    n_clusters_per_class : int, default 2
        Gaussian clusters making up each class, at least 1.
    class_sep : float, default 1.0
        Half the side of the hypercube; larger values separate the classes more.
    flip_y : float, default 0.01
        Fraction of samples, in [0, 1], whose label is redrawn uniformly at random
        (possibly to the same class), as label noise.
    weights : None or (n_classes,) or (n_classes - 1,) array_like, default None
        Class proportions. ``None`` gives balanced classes; ``n_classes`` entries
        are normalised to sum to one; with ``n_classes - 1`` entries the last class
        gets ``1 - sum(weights)``.
    shuffle : bool, default True
        Shuffle the samples and the features. If False, rows come cluster by
        cluster and columns in the order informative, redundant, noise.
    rng : None, int or numpy.random.Generator, default None
        Source of randomness (SPEC 7).

    Returns
    -------
    X : (n_samples, n_features) ndarray of float64
        The features.
    y : (n_samples,) ndarray of int64
        Class labels ``0 .. n_classes - 1``.

    Raises
    ------
    TypeError
        If a count is not an integer, a flag not a bool, or ``rng`` of the wrong type.
    ValueError
        If a count is out of range, ``n_informative + n_redundant > n_features``,
        ``n_classes * n_clusters_per_class > 2**n_informative`` (not enough
        vertices), ``class_sep < 0``, ``flip_y`` outside [0, 1], or ``weights``
        has the wrong length, a negative entry or an impossible sum.

    Notes
    -----
    Guyon's design. Let :math:`k = ` ``n_informative`` and :math:`s = `
    ``class_sep``. The ``n_classes * n_clusters_per_class`` cluster centres are
    distinct vertices of the cube :math:`\\{-s, +s\\}^k` (side :math:`2s`), chosen
    at random; cluster :math:`c` belongs to class ``c % n_classes``. A sample of
    cluster :math:`c` is

    .. math:: x = A_c^T z + \\mu_c, \\qquad z \\sim N(0, I_k),

    with :math:`A_c` a random :math:`k \\times k` matrix of Uniform(-1, 1) entries
    that gives each cluster its own covariance :math:`A_c^T A_c`. The redundant
    features are :math:`B^T x` with :math:`B` a random :math:`k \\times r`
    Uniform(-1, 1) matrix, and the remaining columns are independent N(0, 1) noise.
    Class sizes follow ``weights`` by largest-remainder rounding (exact counts when
    ``flip_y=0``); each class is split evenly among its clusters. Finally the
    labels are flipped and the rows and columns shuffled; the flips are drawn after
    ``X``, so the same seed with a different ``flip_y`` gives the same ``X``.

    References
    ----------
    I. Guyon, "Design of experiments for the NIPS 2003 variable selection
    benchmark" (2003), http://clopinet.com/isabelle/Projects/NIPS2003/Slides/NIPS2003-Datasets.pdf

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.datasets import make_classification
    >>> X, y = make_classification(200, 6, n_informative=3, n_redundant=1,
    ...                            n_classes=3, n_clusters_per_class=1,
    ...                            flip_y=0.0, rng=0)
    >>> X.shape, np.bincount(y).tolist()
    ((200, 6), [67, 67, 66])
    >>> int(np.linalg.matrix_rank(X))  # the redundant column adds no rank
    5
    """
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    n_features = check_int(n_features, "n_features", minimum=1)
    n_informative = check_int(n_informative, "n_informative", minimum=1)
    n_redundant = check_int(n_redundant, "n_redundant", minimum=0)
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    n_clusters_per_class = check_int(n_clusters_per_class, "n_clusters_per_class", minimum=1)
    if n_informative + n_redundant > n_features:
        raise ValueError(
            f"n_informative + n_redundant = {n_informative} + {n_redundant} = "
            f"{n_informative + n_redundant} must be <= n_features={n_features}"
        )
    n_clusters = n_classes * n_clusters_per_class
    if n_clusters > 2**n_informative:
        raise ValueError(
            f"n_classes * n_clusters_per_class = {n_clusters} must be <= "
            f"2**n_informative = {2**n_informative}: each cluster needs its own "
            "vertex of the hypercube; raise n_informative or lower the cluster count"
        )
    class_sep = check_positive(class_sep, "class_sep", strict=False)
    flip_y = check_probability(flip_y, "flip_y")
    proportions = _class_proportions(weights, n_classes)
    shuffle = check_bool(shuffle, "shuffle")
    rng = check_rng(rng)

    class_sizes = _apportion(n_samples, proportions)
    cluster_class = np.arange(n_clusters) % n_classes
    cluster_sizes = np.empty(n_clusters, dtype=np.int64)
    for k in range(n_classes):
        members = np.flatnonzero(cluster_class == k)
        even = np.full(members.size, 1.0 / members.size)
        cluster_sizes[members] = _apportion(int(class_sizes[k]), even)

    centroids = class_sep * _hypercube_vertices(n_clusters, n_informative, rng)
    X_informative = np.empty((n_samples, n_informative))
    y = np.repeat(cluster_class, cluster_sizes).astype(np.int64)
    start = 0
    for c in range(n_clusters):
        stop = start + int(cluster_sizes[c])
        z = rng.standard_normal((stop - start, n_informative))
        A = 2.0 * rng.random((n_informative, n_informative)) - 1.0
        X_informative[start:stop] = z @ A + centroids[c]
        start = stop

    B = 2.0 * rng.random((n_informative, n_redundant)) - 1.0
    n_noise = n_features - n_informative - n_redundant
    X = np.hstack(
        [X_informative, X_informative @ B, rng.standard_normal((n_samples, n_noise))]
    )

    # Drawn whatever flip_y is, so that X and the shuffles do not depend on it.
    flipped = rng.random(n_samples) < flip_y
    random_labels = rng.integers(0, n_classes, size=n_samples)
    y = np.where(flipped, random_labels, y)

    if shuffle:
        rows = rng.permutation(n_samples)
        cols = rng.permutation(n_features)
        X = X[rows][:, cols]
        y = y[rows]
    return np.ascontiguousarray(X), y


def _blob_sizes(n_samples):
    """(total, per-centre counts or None) from an int or a sequence of ints."""
    if isinstance(n_samples, numbers.Integral) and not isinstance(n_samples, (bool, np.bool_)):
        return check_int(n_samples, "n_samples", minimum=1), None
    sizes = np.asarray(n_samples) if not isinstance(n_samples, (str, bytes)) else None
    if sizes is None or sizes.ndim != 1 or sizes.dtype.kind not in "iu" or sizes.size == 0:
        raise TypeError(
            "n_samples must be an int or a non-empty 1-D sequence of ints (one count "
            f"per centre), got {n_samples!r}"
        )
    if (sizes < 0).any():
        raise ValueError(f"n_samples counts must be >= 0, got {sizes.tolist()}")
    if sizes.sum() == 0:
        raise ValueError("n_samples counts must add up to at least 1, got all zeros")
    return int(sizes.sum()), sizes.astype(np.int64)


def make_blobs(
    n_samples=100,
    n_features=2,
    *,
    centers=None,
    cluster_std=1.0,
    center_box=(-10.0, 10.0),
    shuffle=True,
    return_centers=False,
    rng=None,
):
    """Draw isotropic Gaussian blobs, one per centre, labelled by centre.

    Parameters
    ----------
    n_samples : int or sequence of int, default 100
        An int is the total, split as evenly as possible between the centres (the
        first ``n_samples % n_centers`` get one more). A sequence gives the count
        for each centre.
    n_features : int, default 2
        Dimension of the points, at least 1. Ignored when ``centers`` is an array
        (its column count decides).
    centers : None, int or (n_centers, n_features) array_like, default None
        An int draws that many centres uniformly in ``center_box``; ``None`` means 3
        if ``n_samples`` is an int, else one per entry of ``n_samples``; an array
        gives the centres themselves.
    cluster_std : float or (n_centers,) array_like, default 1.0
        Standard deviation of each blob, >= 0.
    center_box : (float, float), default (-10.0, 10.0)
        Bounds ``(low, high)``, ``low < high``, of the box random centres are drawn in.
    shuffle : bool, default True
        Shuffle the samples; if False they come blob by blob.
    return_centers : bool, default False
        Also return the centres.
    rng : None, int or numpy.random.Generator, default None
        Source of randomness (SPEC 7).

    Returns
    -------
    X : (n_samples, n_features) ndarray of float64
        The points.
    y : (n_samples,) ndarray of int64
        Index of the centre each point was drawn around.
    centers : (n_centers, n_features) ndarray of float64
        The centres, returned only if ``return_centers`` is True.

    Raises
    ------
    TypeError
        If ``n_samples`` is neither an int nor a sequence of ints, a count or flag
        has the wrong type, or ``rng`` is of the wrong type.
    ValueError
        If a count is out of range, the number of centres disagrees with the
        length of ``n_samples`` or ``cluster_std``, ``cluster_std`` is negative,
        ``centers`` or ``center_box`` is malformed or non-finite.

    Notes
    -----
    A point of blob :math:`k` is

    .. math:: x = \\mu_k + \\sigma_k z, \\qquad z \\sim N(0, I_d),

    a mixture of spherical Gaussians with fixed (not random) component sizes.
    Random centres are :math:`\\mu_k \\sim \\text{Uniform}([\\text{low},
    \\text{high}]^d)`.

    References
    ----------
    C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer (2006),
    Sec. 9.2 (mixtures of Gaussians).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.datasets import make_blobs
    >>> X, y, C = make_blobs([300, 100], centers=[[0.0, 0.0], [5.0, 5.0]],
    ...                      return_centers=True, rng=0)
    >>> X.shape, np.bincount(y).tolist()
    ((400, 2), [300, 100])
    >>> bool(np.allclose(X[y == 1].mean(axis=0), C[1], atol=0.4))
    True
    """
    n_total, sizes = _blob_sizes(n_samples)
    n_features = check_int(n_features, "n_features", minimum=1)
    box = as_vector(center_box, "center_box")
    if box.shape[0] != 2 or not box[0] < box[1]:
        raise ValueError(
            f"center_box must be a pair (low, high) with low < high, got {center_box!r}"
        )
    shuffle = check_bool(shuffle, "shuffle")
    return_centers = check_bool(return_centers, "return_centers")
    rng = check_rng(rng)

    given_centres = None
    if centers is None:
        n_centers = 3 if sizes is None else sizes.size
    elif isinstance(centers, numbers.Integral) and not isinstance(centers, (bool, np.bool_)):
        n_centers = check_int(centers, "centers", minimum=1)
    else:
        given_centres = as_matrix(centers, "centers", min_rows=1, min_cols=1, copy=True)
        n_centers, n_features = given_centres.shape
    if sizes is not None and sizes.size != n_centers:
        raise ValueError(
            f"n_samples has {sizes.size} counts but there are {n_centers} centres; "
            "give one count per centre"
        )

    if isinstance(cluster_std, numbers.Real):
        stds = np.full(n_centers, check_positive(cluster_std, "cluster_std", strict=False))
    else:
        stds = as_vector(cluster_std, "cluster_std")
        if stds.shape[0] != n_centers:
            raise ValueError(
                f"cluster_std has {stds.shape[0]} entries but there are {n_centers} centres"
            )
        if (stds < 0).any():
            raise ValueError(f"cluster_std must be >= 0, got {stds.tolist()}")

    if sizes is None:
        sizes = np.full(n_centers, n_total // n_centers, dtype=np.int64)
        sizes[: n_total % n_centers] += 1
    if given_centres is None:
        given_centres = rng.uniform(box[0], box[1], size=(n_centers, n_features))

    y = np.repeat(np.arange(n_centers, dtype=np.int64), sizes)
    X = given_centres[y] + stds[y, None] * rng.standard_normal((n_total, n_features))
    if shuffle:
        order = rng.permutation(n_total)
        X, y = X[order], y[order]
    return (X, y, given_centres) if return_centers else (X, y)
