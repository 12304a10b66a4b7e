"""Counting kernels for mutual information: contingency cells, and neighbours in 1-D.

Discrete features: a value v of feature f and class c fall in the cell
``offsets[f] + (v - lo[f]) * n_classes + c`` of one flat table, so a single pass
over the rows counts every feature's contingency table at once.

Continuous data: the k-nearest-neighbour estimators need, for each point, the
number of points within a radius along one coordinate. On sorted values that is two
binary searches. The predicate is the distance as a tree search computes it,
``|fl(x_j - x_i)| <= r``, so a point exactly at the boundary is counted the same way
as by scikit-learn's KDTree; both ``fl(x_i - x_j)`` and ``fl(x_j - x_i)`` are
monotone in x_j, which is what makes the binary search valid.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def integer_ranges(X, columns, lo, hi, integral):
    """Per selected column: its minimum, maximum and whether every value is an integer."""
    n = X.shape[0]
    for f in range(columns.shape[0]):
        lo[f] = np.inf
        hi[f] = -np.inf
        integral[f] = True
    for i in range(n):
        for f in range(columns.shape[0]):
            v = X[i, columns[f]]
            if v < lo[f]:
                lo[f] = v
            if v > hi[f]:
                hi[f] = v
            if v != np.floor(v):
                integral[f] = False


@njit(cache=True)
def count_cells(X, columns, lo, offsets, y, n_classes, counts):
    """counts[offsets[f] + (X[i, columns[f]] - lo[f]) * n_classes + y[i]] += 1 for all i, f."""
    n = X.shape[0]
    for i in range(n):
        c = y[i]
        for f in range(columns.shape[0]):
            cell = offsets[f] + np.int64(X[i, columns[f]] - lo[f]) * n_classes + c
            counts[cell] += 1


@njit(cache=True)
def count_within(sorted_values, centres, radii, out):
    """out[i] = #{j : |sorted_values[j] - centres[i]| <= radii[i]} (the point itself included)."""
    n = sorted_values.shape[0]
    for i in range(centres.shape[0]):
        v = centres[i]
        r = radii[i]
        # first j with v - s[j] <= r (false ... false true ... true)
        a, b = 0, n
        while a < b:
            mid = (a + b) >> 1
            if v - sorted_values[mid] <= r:
                b = mid
            else:
                a = mid + 1
        first = a
        # first j past the window: s[j] - v > r (true ... true false ... false)
        b = n
        while a < b:
            mid = (a + b) >> 1
            if sorted_values[mid] - v <= r:
                a = mid + 1
            else:
                b = mid
        out[i] = a - first


@njit(cache=True)
def kth_neighbour_within_groups(values, order, codes, group_counts, k, distance, k_used):
    """Distance from each point to its k-th nearest neighbour among the points of its group.

    ``order`` sorts ``values``; ``codes`` gives each point's group. A group of m >= 2
    points uses k' = min(k, m - 1) (written to ``k_used``); points of a group of one
    get k_used = 0. On a sorted line the k' nearest neighbours of a point are the
    first k' steps of a merge of its left and right neighbours by distance.
    """
    n = values.shape[0]
    n_groups = group_counts.shape[0]
    start = np.zeros(n_groups + 1, dtype=np.int64)
    for g in range(n_groups):
        start[g + 1] = start[g] + group_counts[g]
    fill = start[:-1].copy()
    # a stable partition of the sorted order by group: each group's values sorted
    grouped = np.empty(n)
    index = np.empty(n, dtype=np.int64)
    for t in range(n):
        i = order[t]
        g = codes[i]
        grouped[fill[g]] = values[i]
        index[fill[g]] = i
        fill[g] += 1
    for g in range(n_groups):
        lo, hi = start[g], start[g + 1]
        m = hi - lo
        kg = min(k, m - 1)
        if kg >= 1 and kg >= m // 2:
            _kth_by_expanded_squares(grouped, index, lo, hi, kg, distance, k_used)
            continue
        for t in range(lo, hi):
            v = grouped[t]
            left, right = t - 1, t + 1
            d = 0.0
            for _ in range(kg):
                d_left = v - grouped[left] if left >= lo else np.inf
                d_right = grouped[right] - v if right < hi else np.inf
                if d_left <= d_right:
                    d = d_left
                    left -= 1
                else:
                    d = d_right
                    right += 1
            distance[index[t]] = d
            k_used[index[t]] = max(kg, 0)


@njit(cache=True)
def _kth_by_expanded_squares(grouped, index, lo, hi, kg, distance, k_used):
    """The k-th neighbour distance in a group of at most 2k + 1 points, measured as
    scikit-learn measures it there: by brute force, with the squared distance expanded
    as x_i^2 - 2 x_i x_j + x_j^2 (clipped at 0) before the square root. Its rounding
    differs from |x_i - x_j| by an ulp or so, which is enough to move the radius across
    the k-th neighbour; reproducing it keeps the estimates identical."""
    others = np.empty(hi - lo - 1)
    for t in range(lo, hi):
        v = grouped[t]
        vv = v * v
        c = 0
        for u in range(lo, hi):
            if u != t:
                w = grouped[u]
                others[c] = max(0.0, (vv + -2.0 * (v * w)) + w * w)
                c += 1
        distance[index[t]] = np.sqrt(np.sort(others)[kg - 1])
        k_used[index[t]] = kg
