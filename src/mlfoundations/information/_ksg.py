"""k-nearest-neighbour estimators of mutual information, in nats.

* Two continuous variables: Kraskov, Stoegbauer and Grassberger (2004), algorithm 1.
* One continuous and one discrete variable: Ross (2014).

Both work on data that has been scaled to unit variance and jittered by
`scale_with_noise`, the recipe scikit-learn's ``mutual_info_regression`` /
``mutual_info_classif`` use. Every estimate is a function of integer neighbour
counts only, so the jitter changes it only where a distance lies within ~1e-10 of
a radius. Neighbour distances are measured as scikit-learn's trees measure them,
|fl(x_i - x_j)|, and, in groups of at most 2k + 1 points, as its brute force does;
given the same jittered data the estimates are identical to scikit-learn's.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma

from ._mi_kernels import count_within, kth_neighbour_within_groups

# relative size of the jitter that breaks ties between repeated values (Kraskov et al.
# 2004, section II: "add low-amplitude noise")
NOISE = 1e-10
_TINY_STD = 10 * np.finfo(np.float64).eps


def scale_with_noise(Z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Z / std(Z) column by column (a constant column is left as is), plus
    NOISE * max(1, mean|Z|) * N(0, 1) noise; a new array."""
    std = Z.std(axis=0)
    std[std < _TINY_STD] = 1.0
    scaled = Z / std
    amplitude = NOISE * np.maximum(1.0, np.mean(np.abs(scaled), axis=0))
    scaled += amplitude * rng.standard_normal(scaled.shape)
    return scaled


def _within(sorted_values, centres, radii) -> np.ndarray:
    out = np.empty(centres.shape[0], dtype=np.int64)
    count_within(sorted_values, centres, radii, out)
    return out


def ksg(x: np.ndarray, y: np.ndarray, k: int) -> float:
    """I(X; Y) of two continuous samples by KSG algorithm 1 (max-norm in the joint space).

    I = psi(N) + psi(k) - < psi(n_x + 1) + psi(n_y + 1) >, where eps_i is the distance
    from point i to its k-th neighbour in the joint space (max-norm) and n_x(i) counts
    the other points with |x_j - x_i| < eps_i (likewise n_y). Clipped at 0.
    """
    n = x.shape[0]
    xy = np.column_stack((x, y))
    distances, _ = cKDTree(xy).query(xy, k=k + 1, p=np.inf)  # the point itself first
    # strictly inside eps: the largest radius below it, compared with <=
    radius = np.nextafter(distances[:, -1], 0.0)
    nx = _within(np.sort(x), x, radius) - 1
    ny = _within(np.sort(y), y, radius) - 1
    mi = digamma(n) + digamma(k) - np.mean(digamma(nx + 1)) - np.mean(digamma(ny + 1))
    return max(0.0, float(mi))


def ross(c: np.ndarray, codes: np.ndarray, n_groups: int, k: int, order=None) -> float:
    """I(C; D) of a continuous sample c and discrete codes in [0, n_groups) (Ross 2014).

    For each point i whose label occurs N_i >= 2 times: d_i is the distance to its
    k_i-th nearest neighbour among the points with its label (k_i = min(k, N_i - 1)),
    and m_i counts all points (of those labels) with |c_j - c_i| < d_i, itself
    included. With N the number of such points,

        I = psi(N) + < psi(k_i) > - < psi(N_i) > - < psi(m_i) >,

    clipped at 0 (and 0 when no label repeats).
    """
    if order is None:
        order = np.argsort(c, kind="stable")
    group_counts = np.bincount(codes, minlength=n_groups)
    distance = np.empty(c.shape[0])
    k_used = np.empty(c.shape[0], dtype=np.int64)
    kth_neighbour_within_groups(c, order, codes, group_counts, k, distance, k_used)
    label_counts = group_counts[codes]
    kept = label_counts > 1  # a label seen once has no neighbour of its own
    n_kept = int(kept.sum())
    if n_kept == 0:
        return 0.0
    radius = np.nextafter(distance[kept], 0.0)
    m = _within(c[order][kept[order]], c[kept], radius)
    mi = (digamma(n_kept) + np.mean(digamma(k_used[kept])) - np.mean(digamma(label_counts[kept]))
          - np.mean(digamma(m)))
    return max(0.0, float(mi))
