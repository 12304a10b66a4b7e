"""Mutual information between samples: exact counts for discrete data, nearest
neighbours for continuous data, and feature by feature for feature selection.

I(X; Y) = sum_{x,y} p(x, y) log(p(x, y) / (p(x) p(y))) = H(Y) - H(Y | X) >= 0.

* Discrete x and y: the plug-in estimate from the contingency table of counts n_xy,
  I = sum (n_xy / n) log(n n_xy / (n_x n_y)). The ratio is formed from exact integer
  products, so an independent-by-construction table (y constant, say) gives exactly 0.
* Continuous x and y: Kraskov-Stoegbauer-Grassberger (KSG) algorithm 1.
* One of each: Ross's estimator.

The continuous estimators follow scikit-learn's recipe: each continuous variable is
divided by its standard deviation and jittered with noise of relative size 1e-10
drawn from ``rng`` (to break ties between repeated values), then the estimate is
clipped at 0. An estimate depends on integer neighbour counts only, and the jitter
changes a count only where a distance lies within ~1e-10 of a neighbour radius. On
data without ties the estimates therefore equal scikit-learn's (whose jitter comes
from another generator): to rounding for thousands of samples, to ~1e-8 at 10^5
samples, where a few of the counts meet such a near-tie. Two exceptions, where the
jitter decides: data with ties (in both libraries the value depends on the draw),
and classes (or discrete values) of at most 2k + 1 samples, whose distances
scikit-learn computes by brute force as sqrt(x_i^2 - 2 x_i x_j + x_j^2); those are
reproduced here, but their rounding depends on the last bits of the jittered data.
On identical jittered data the estimators agree with scikit-learn's to the last
digit.
"""

from __future__ import annotations

import numpy as np

from .. import _dask
from .._dask import is_dask_collection
from .._validation import as_vector, check_int, check_rng
from ._contingency import (
    codes_of, discrete_feature_codes, discrete_mask, discrete_mi_with_classes, feature_matrix,
    labels_of, occupied_cells, plug_in_mi, same_length,
)
from ._ksg import ksg, ross, scale_with_noise
from ._probability_rows import log_of_base
from .entropy import entropy

__all__ = [
    "mutual_information",
    "normalized_mutual_information",
    "mutual_info_classif",
    "mutual_info_regression",
    "information_gain",
]

_AVERAGES = ("min", "geometric", "arithmetic", "max")


def _is_discrete(discrete, xa: np.ndarray, ya: np.ndarray) -> tuple:
    """(x discrete, y discrete) from "auto" (float dtype = continuous), a bool or a pair."""
    if isinstance(discrete, str):
        if discrete != "auto":
            raise ValueError(
                f"discrete must be 'auto', a bool or a pair of bools, got {discrete!r}")
        return xa.dtype.kind != "f", ya.dtype.kind != "f"
    if isinstance(discrete, (bool, np.bool_)):
        return bool(discrete), bool(discrete)
    if (isinstance(discrete, (tuple, list)) and len(discrete) == 2
            and all(isinstance(d, (bool, np.bool_)) for d in discrete)):
        return bool(discrete[0]), bool(discrete[1])
    raise TypeError(f"discrete must be 'auto', a bool or a pair of bools, got {discrete!r}")


def _check_neighbours(n_neighbors, n_samples: int) -> None:
    if n_neighbors >= n_samples:
        raise ValueError(
            f"n_neighbors={n_neighbors} must be smaller than the number of samples "
            f"({n_samples}) for the nearest-neighbour estimate"
        )


def _column(values: np.ndarray, rng) -> np.ndarray:
    """A continuous variable scaled to unit variance and jittered, as a contiguous vector."""
    return np.ascontiguousarray(scale_with_noise(values.reshape(-1, 1), rng)[:, 0])


def mutual_information(x, y, *, discrete="auto", n_neighbors=3, base=2, rng=None) -> float:
    """Mutual information I(X; Y) of paired samples: exact counts or nearest neighbours.

    Parameters
    ----------
    x, y : (n_samples,) array_like
        Paired observations. Discrete variables may hold labels of any type.
    discrete : "auto", bool or (bool, bool), default "auto"
        Which variables are discrete. "auto": a variable of floating-point dtype is
        continuous, any other (integers, bools, strings, objects) discrete; a bool
        applies to both; a pair gives (x, y) separately.
    n_neighbors : int, default 3
        k of the nearest-neighbour estimators (unused when both are discrete).
    base : float, default 2
        Logarithm base: 2 gives bits (like `entropy`, so that I(X; X) = H(X)),
        ``np.e`` nats (the unit of ``sklearn.metrics.mutual_info_score``).
    rng : None, int or numpy.random.Generator
        Source of the tie-breaking jitter of continuous variables.

    Returns
    -------
    float
        The estimate, >= 0.

    Raises
    ------
    ValueError
        If ``x`` and ``y`` are not 1-D of the same non-zero length, a continuous
        variable holds NaN/inf or non-numbers, ``n_neighbors`` is not smaller than
        the number of samples (two continuous variables), or ``base`` is invalid.
    TypeError
        If ``discrete`` or ``n_neighbors`` has the wrong type.

    Notes
    -----
    Both discrete: the plug-in estimate I = sum_{x,y} (n_xy / n) log(n n_xy / (n_x n_y))
    from the contingency counts, exactly 0 when one variable is constant; equal to
    ``sklearn.metrics.mutual_info_score`` (nats) and to H(X) + H(Y) - H(X, Y) of the
    empirical distribution.

    Both continuous: KSG algorithm 1. With eps_i the max-norm distance from
    (x_i, y_i) to its k-th nearest neighbour in the joint space, and n_x(i), n_y(i)
    the numbers of other points strictly within eps_i along x and along y,
    I = psi(N) + psi(k) - <psi(n_x + 1) + psi(n_y + 1)> (psi the digamma function).

    One of each: Ross's estimator (see `mutual_info_classif`).

    Continuous variables are first divided by their standard deviation and jittered
    by 1e-10 * max(1, mean|x|) * N(0, 1) (scikit-learn's recipe); the result is
    ``mutual_info_regression(x[:, None], y)`` (or ``_classif``) of scikit-learn on
    data without ties (see the module notes for the precise extent). The estimators
    are biased for small samples and may be slightly negative; negative values are
    clipped to 0.

    References
    ----------
    A. Kraskov, H. Stoegbauer and P. Grassberger, "Estimating mutual information",
    Physical Review E 69, 066138 (2004). B. C. Ross, "Mutual information between
    discrete and continuous data sets", PLoS ONE 9(2), e87357 (2014). Cover and
    Thomas, *Elements of Information Theory*, 2nd ed., 2006, section 2.4.

    Examples
    --------
    >>> from mlfoundations.information import mutual_information
    >>> mutual_information([0, 0, 1, 1], [0, 0, 1, 1])  # y = x: one bit
    1.0
    >>> mutual_information([0, 1, 0, 1], [0, 0, 1, 1])  # independent
    0.0
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(2000)
    >>> y = x + 0.5 * rng.standard_normal(2000)  # true I = log(5) / 2 = 0.805 nats
    >>> round(mutual_information(x, y, base=np.e, rng=0), 1)
    0.8
    """
    log_base = log_of_base(base)
    k = check_int(n_neighbors, "n_neighbors", minimum=1)
    xa, ya = labels_of(x, "x"), labels_of(y, "y")
    n = same_length(xa, ya)
    x_discrete, y_discrete = _is_discrete(discrete, xa, ya)
    if x_discrete and y_discrete:
        return plug_in_mi(*codes_of(xa, "x"), *codes_of(ya, "y")) / log_base
    generator = check_rng(rng)
    xs = codes_of(xa, "x") if x_discrete else _column(as_vector(xa, "x"), generator)
    ys = codes_of(ya, "y") if y_discrete else _column(as_vector(ya, "y"), generator)
    if x_discrete:
        return ross(ys, *xs, k) / log_base
    if y_discrete:
        return ross(xs, *ys, k) / log_base
    _check_neighbours(k, n)
    return ksg(xs, ys, k) / log_base


def normalized_mutual_information(x, y, *, average_method="arithmetic") -> float:
    """Normalised mutual information NMI = I(X; Y) / mean(H(X), H(Y)) of two labelings.

    Parameters
    ----------
    x, y : (n_samples,) array_like
        Two discrete labelings (class labels, cluster assignments) of any type.
    average_method : {"arithmetic", "geometric", "min", "max"}, default "arithmetic"
        The mean in the denominator: (H_x + H_y) / 2, sqrt(H_x H_y), min or max.

    Returns
    -------
    float
        In [0, 1]; 1 for labelings equal up to renaming, 0 for independent ones.
        Does not depend on the logarithm base.

    Raises
    ------
    ValueError
        If ``x`` and ``y`` are not 1-D of the same non-zero length, or
        ``average_method`` is unknown.

    Notes
    -----
    Plug-in estimates from the contingency counts. As in
    ``sklearn.metrics.normalized_mutual_info_score``: two labelings that each have a
    single label are a perfect match (1.0), and I = 0 gives 0.0 whatever the mean.

    References
    ----------
    N. X. Vinh, J. Epps and J. Bailey, "Information theoretic measures for
    clusterings comparison", JMLR 11 (2010).

    Examples
    --------
    >>> from mlfoundations.information import normalized_mutual_information
    >>> normalized_mutual_information([0, 0, 1, 1], ["b", "b", "a", "a"])
    1.0
    """
    if average_method not in _AVERAGES:
        raise ValueError(f"average_method must be one of {_AVERAGES}, got {average_method!r}")
    xa, ya = labels_of(x, "x"), labels_of(y, "y")
    same_length(xa, ya)
    (cx, kx), (cy, ky) = codes_of(xa, "x"), codes_of(ya, "y")
    if kx == ky == 1:
        return 1.0
    mi = plug_in_mi(cx, kx, cy, ky)
    if mi == 0.0:
        return 0.0
    hx = entropy(np.bincount(cx), base=np.e, normalize=True)
    hy = entropy(np.bincount(cy), base=np.e, normalize=True)
    normalizer = {"min": min(hx, hy), "max": max(hx, hy), "geometric": np.sqrt(hx * hy),
                  "arithmetic": (hx + hy) / 2}[average_method]
    return float(mi / normalizer)


def information_gain(y, groups, *, base=2) -> float:
    """Information gain of a split: H(y) - sum_g (n_g / n) H(y | group g).

    Parameters
    ----------
    y : (n_samples,) array_like
        Class labels of any type.
    groups : (n_samples,) array_like
        The group (child node) of each sample, e.g. ``x <= threshold`` for a binary
        split, or any labels.
    base : float, default 2
        Logarithm base: 2 gives bits, ``np.e`` nats.

    Returns
    -------
    float
        >= 0, and at most H(y): the gain when every group is pure.

    Raises
    ------
    ValueError
        If ``y`` and ``groups`` are not 1-D of the same non-zero length, or ``base``
        is invalid.

    Notes
    -----
    The parent entropy minus the weighted entropies of the children, computed from
    the counts n_gc of class c in group g: H(y | G) = sum_{g,c} (n_gc / n)
    log(n_g / n_gc). The gain is the plug-in mutual information I(y; G) of the
    labels and the split, the criterion by which ID3, C4.5 and CART (with
    ``criterion="entropy"``) choose splits.

    References
    ----------
    J. R. Quinlan, "Induction of decision trees", Machine Learning 1 (1986).

    Examples
    --------
    >>> from mlfoundations.information import information_gain
    >>> y = [0, 0, 1, 1]
    >>> information_gain(y, [0, 0, 1, 1])  # a perfect split gains H(y) = 1 bit
    1.0
    >>> information_gain(y, [0, 1, 0, 1])  # a useless split gains nothing
    0.0
    """
    log_base = log_of_base(base)
    ya, ga = labels_of(y, "y"), labels_of(groups, "groups")
    n = same_length(ya, ga, ("y", "groups"))
    (cy, ky), (cg, kg) = codes_of(ya, "y"), codes_of(ga, "groups")
    n_gc, n_g, _ = occupied_cells(cg, kg, cy, ky)
    parent = entropy(np.bincount(cy), base=np.e, normalize=True)
    children = float(np.sum((n_gc / n) * np.log(n_g / n_gc)))
    return max(parent - children, 0.0) / log_base


def mutual_info_classif(X, y, *, discrete_features="auto", n_neighbors=3, base=np.e,
                        rng=None) -> np.ndarray:
    """Mutual information I(X_j; y) between each feature and a class label.

    Parameters
    ----------
    X : (n_samples, n_features) array_like
        Features.
    y : (n_samples,) array_like
        Class labels of any type.
    discrete_features : "auto", bool, (n_features,) bool mask or array of indices
        Which features are discrete. "auto": all of them if ``X`` has an integer or
        bool dtype, none if floating point (scikit-learn's "auto" treats any dense
        ``X`` as continuous; pass ``False`` for that with an integer ``X``).
    n_neighbors : int, default 3
        k of Ross's estimator for the continuous features.
    base : float, default e
        Logarithm base; nats by default, as scikit-learn.
    rng : None, int or numpy.random.Generator
        Source of the tie-breaking jitter of the continuous features.

    Returns
    -------
    (n_features,) ndarray
        The estimates, >= 0.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D or holds NaN/inf, ``y`` does not have one label per row,
        ``discrete_features`` is malformed or out of range, or ``base`` is invalid.
    TypeError
        If ``n_neighbors`` is not an integer or ``discrete_features`` of a wrong type.

    Notes
    -----
    Discrete features: the plug-in estimate (see `mutual_information`) for every
    feature from one pass over the rows: the value v of feature f and class c of a
    row fall in the cell offset_f + (v - min_f) * n_classes + c of one table, whose
    blocks are the features' contingency tables. Integer-valued features are used
    as they are; other values are ranked first. Equal to
    ``sklearn.feature_selection.mutual_info_classif(X, y, discrete_features=True)``.

    Continuous features (scaled to unit variance and jittered, as scikit-learn):
    Ross's estimator. For a sample i whose class occurs N_i >= 2 times, d_i is the
    distance to its k_i-th nearest neighbour within its class (k_i = min(k, N_i - 1))
    and m_i the number of samples of all classes closer than d_i, itself included;
    I = psi(N) + <psi(k_i)> - <psi(N_i)> - <psi(m_i)> over those N samples, clipped
    at 0. Equal to scikit-learn's on data without ties and classes of more than
    2k + 1 samples (see the module notes).

    A Dask X (array or DataFrame, y a Dask or NumPy array of labels) is counted out of
    core: each block counts its (value, class) cells, the counts add in a tree, and the
    plug-in estimate is formed from the merged tables. Only discrete features can be
    counted: a continuous one (any float X under "auto") raises ``ValueError``.

    References
    ----------
    B. C. Ross, "Mutual information between discrete and continuous data sets",
    PLoS ONE 9(2), e87357 (2014).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.information import mutual_info_classif
    >>> X = np.array([[0, 1], [0, 0], [1, 1], [1, 0]])
    >>> mutual_info_classif(X, [0, 0, 1, 1], base=2)  # feature 0 is the class
    array([1., 0.])
    """
    if is_dask_collection(X):
        return _dask.counts.mutual_info_classif(X, y, discrete_features=discrete_features,
                                                n_neighbors=n_neighbors, base=base, rng=rng)
    log_base = log_of_base(base)
    k = check_int(n_neighbors, "n_neighbors", minimum=1)
    Xa, integer_dtype = feature_matrix(X)
    ya = labels_of(y, "y")
    same_length(Xa, ya, ("X", "y"))
    classes, n_classes = codes_of(ya, "y")
    mask = discrete_mask(discrete_features, Xa.shape[1], integer_dtype)
    generator = check_rng(rng)
    mi = np.empty(Xa.shape[1])
    if mask.any():
        mi[mask] = discrete_mi_with_classes(Xa, np.flatnonzero(mask), classes, n_classes)
    continuous = np.flatnonzero(~mask)
    if continuous.size:
        Z = np.ascontiguousarray(scale_with_noise(Xa[:, continuous].astype(np.float64),
                                                  generator).T)
        orders = np.argsort(Z, axis=1, kind="stable")
        for j, feature in enumerate(continuous):
            mi[feature] = ross(Z[j], classes, n_classes, k, order=orders[j])
    return mi / log_base


def mutual_info_regression(X, y, *, discrete_features="auto", n_neighbors=3, base=np.e,
                           rng=None) -> np.ndarray:
    """Mutual information I(X_j; y) between each feature and a continuous target.

    Parameters
    ----------
    X : (n_samples, n_features) array_like
        Features.
    y : (n_samples,) array_like
        A continuous target (finite numbers).
    discrete_features : "auto", bool, (n_features,) bool mask or array of indices
        Which features are discrete; "auto" as in `mutual_info_classif`.
    n_neighbors : int, default 3
        k of the nearest-neighbour estimators.
    base : float, default e
        Logarithm base; nats by default, as scikit-learn.
    rng : None, int or numpy.random.Generator
        Source of the tie-breaking jitter of the features and the target.

    Returns
    -------
    (n_features,) ndarray
        The estimates, >= 0.

    Raises
    ------
    ValueError
        As `mutual_info_classif`; also if ``y`` holds NaN/inf, or ``n_neighbors`` is
        not smaller than the number of samples while a feature is continuous.

    Notes
    -----
    The continuous features and the target are scaled to unit variance and
    jittered (scikit-learn's recipe, noise drawn for the features first). A
    continuous feature is paired with the target by KSG algorithm 1, a discrete one
    by Ross's estimator with the target as the continuous variable (see
    `mutual_information`). Equal to ``sklearn.feature_selection.
    mutual_info_regression`` on data without ties (see the module notes).

    References
    ----------
    Kraskov, Stoegbauer and Grassberger, Phys. Rev. E 69, 066138 (2004); Ross,
    PLoS ONE 9(2), e87357 (2014).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.information import mutual_info_regression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((1000, 2))
    >>> y = X[:, 0] + 0.1 * rng.standard_normal(1000)
    >>> mi = mutual_info_regression(X, y, rng=0)
    >>> bool(mi[0] > 1.5 and mi[1] < 0.05)
    True
    """
    log_base = log_of_base(base)
    k = check_int(n_neighbors, "n_neighbors", minimum=1)
    Xa, integer_dtype = feature_matrix(X)
    target = as_vector(y, "y")
    n = same_length(Xa, target, ("X", "y"))
    mask = discrete_mask(discrete_features, Xa.shape[1], integer_dtype)
    generator = check_rng(rng)
    continuous = np.flatnonzero(~mask)
    if continuous.size:
        _check_neighbours(k, n)
        Z = np.ascontiguousarray(scale_with_noise(Xa[:, continuous].astype(np.float64),
                                                  generator).T)
    ys = _column(target, generator)
    mi = np.empty(Xa.shape[1])
    for j, feature in enumerate(continuous):
        mi[feature] = ksg(Z[j], ys, k)
    discrete = np.flatnonzero(mask)
    if discrete.size:
        order = np.argsort(ys, kind="stable")
        for feature, (codes, n_values) in zip(discrete, discrete_feature_codes(Xa, discrete)):
            mi[feature] = ross(ys, codes, n_values, k, order=order)
    return mi / log_base
