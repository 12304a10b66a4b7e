"""Numba kernels of the decision trees: impurities, the exact split search, growth.

The node impurities are written once here, as small compiled functions named after
their formulas, and used both inside the kernels and from Python:

    gini(t)     = 1 - sum_k p_k^2,                p_k = N_tk / N_t,
    entropy(t)  = -sum_k p_k log2 p_k             (bits; the base only scales it),
    variance(t) = sum_{i in t} w_i (y_i - ybar_t)^2 / N_t,

with N_t and N_tk the (weighted) number of samples at node t and of class k among
them. A split of t into L and R is scored by the weighted impurity decrease

    Delta(t) = N_t / N * [ i(t) - N_L / N_t i(L) - N_R / N_t i(R) ],

which for the entropy is the information gain of the split (Quinlan 1986). The
search maximises an equivalent *proxy*, Delta up to terms that do not depend on the
split, that needs no division by N_t and, for unweighted counts, no logarithm:

    gini:     sum_k N_Lk^2 / N_L + sum_k N_Rk^2 / N_R,
    entropy:  sum_k [N_Lk ln N_Lk + N_Rk ln N_Rk] - N_L ln N_L - N_R ln N_R,
    variance: S_L^2 / N_L + S_R^2 / N_R,   S = sum_i w_i (y_i - ybar_t).

(N_t i(t) - N_L i(L) - N_R i(R) equals the proxy minus a constant of the node, for
the entropy up to the factor ln 2.) Centring y at the node mean in S changes the
variance proxy by a constant only, and keeps it accurate when ybar_t >> std(y).

Growth is depth-first, left child first, so node ids come in pre-order. Every
feature is sorted once, at the root; each node owns one segment [start, end) of
every feature's sorted arrays, and a split partitions the segments stably into
[start, pos) and [pos, end), which keeps them sorted (Mehta, Agrawal & Rissanen
1996, SLIQ's pre-sorting). A split of a node of n_t samples thus costs
O(n_features n_t) instead of O(n_features n_t log n_t) for sorting again.

References
----------
L. Breiman, J. Friedman, R. Olshen and C. Stone, *Classification and Regression
Trees*, Wadsworth (1984), ch. 2-4 and 8.
J. R. Quinlan, "Induction of decision trees", Machine Learning 1 (1986), 81-106.
M. Mehta, R. Agrawal and J. Rissanen, "SLIQ: a fast scalable classifier for data
mining", EDBT (1996).
G. L. Steele, D. Lea and C. H. Flood, "Fast splittable pseudorandom number
generators", OOPSLA (2014): SplitMix64, which draws the features of a node.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# criterion codes passed to the kernels
GINI, ENTROPY, SQUARED_ERROR = 0, 1, 2
# sentinels of the node arrays (scikit-learn's values, so the arrays read the same)
LEAF = -1
UNDEFINED = -2
# Consecutive sorted values closer than this are one value: no split between them
# (scikit-learn's rule; its features are float32, which resolve no finer near 1).
FEATURE_GAP = 1e-7
# an impurity at or below this is zero up to rounding: the node is pure
PURE = np.finfo(np.float64).eps
LN2 = np.log(2.0)


# --- the impurity formulas ----------------------------------------------------------
@njit(cache=True)
def xlogx(x):
    """x ln x, with 0 ln 0 = 0 (its limit)."""
    return x * np.log(x) if x > 0.0 else 0.0


@njit(cache=True)
def gini(counts, n_t):
    """Gini impurity 1 - sum_k (N_tk / N_t)^2 of (weighted) class counts."""
    sum_sq = 0.0
    for k in range(counts.shape[0]):
        sum_sq += counts[k] * counts[k]
    return 1.0 - sum_sq / (n_t * n_t)


@njit(cache=True)
def entropy(counts, n_t):
    """Shannon entropy -sum_k p_k log2 p_k, in bits, of (weighted) class counts."""
    h = 0.0
    for k in range(counts.shape[0]):
        if counts[k] > 0.0:
            p = counts[k] / n_t
            h -= p * np.log(p)
    return h / LN2


@njit(cache=True)
def variance(y, w, weighted, start, end):
    """Weighted variance sum w_i (y_i - ybar)^2 / sum w_i of y[start:end] (two passes).

    Returns (sum w, sum w y, variance); the mean is taken first so that the squares
    are of centred values (no cancellation when ybar^2 >> variance).
    """
    n_t = 0.0
    s = 0.0
    for p in range(start, end):
        wp = w[p] if weighted else 1.0
        n_t += wp
        s += wp * y[p]
    ybar = s / n_t
    ss = 0.0
    for p in range(start, end):
        wp = w[p] if weighted else 1.0
        d = y[p] - ybar
        ss += wp * d * d
    return n_t, s, ss / n_t


@njit(cache=True)
def class_counts(y, w, weighted, start, end, counts):
    """Fill counts[k] = sum of w_i over y[start:end] == k; return the total weight."""
    counts[:] = 0.0
    n_t = 0.0
    for p in range(start, end):
        wp = w[p] if weighted else 1.0
        counts[np.int64(y[p])] += wp
        n_t += wp
    return n_t


@njit(cache=True)
def xlogx_table(n):
    """[k ln k for k = 0..n]: the entropy proxy of integer counts without logarithms."""
    table = np.empty(n + 1)
    for k in range(n + 1):
        table[k] = xlogx(np.float64(k))
    return table


# --- the split search on one feature ----------------------------------------------
@njit(cache=True)
def best_split_classes(x, y, w, weighted, start, end, totals, n_t, criterion,
                       min_samples_leaf, table, left):
    """Best split of the sorted segment x[start:end] for class counts.

    Scans the split positions p (left = [start, p), right = [p, end)) between
    consecutive distinct values, keeping the first maximum of the proxy (see the
    module docstring). Returns (proxy, p), with p = -1 when no position leaves
    ``min_samples_leaf`` samples on both sides.
    """
    n_classes = totals.shape[0]
    left[:] = 0.0
    n_left = 0.0
    best, best_pos = -np.inf, -1
    for p in range(start + 1, end):
        wq = w[p - 1] if weighted else 1.0
        left[np.int64(y[p - 1])] += wq
        n_left += wq
        if p - start < min_samples_leaf:
            continue
        if end - p < min_samples_leaf:
            break
        if x[p] <= x[p - 1] + FEATURE_GAP:
            continue
        n_right = n_t - n_left
        proxy = 0.0
        if criterion == GINI:
            sq_left = 0.0
            sq_right = 0.0
            for k in range(n_classes):
                sq_left += left[k] * left[k]
                r = totals[k] - left[k]
                sq_right += r * r
            proxy = sq_left / n_left + sq_right / n_right
        elif weighted:
            for k in range(n_classes):
                proxy += xlogx(left[k]) + xlogx(totals[k] - left[k])
            proxy -= xlogx(n_left) + xlogx(n_right)
        else:  # integer counts: k ln k from the table, the same numbers as xlogx
            for k in range(n_classes):
                proxy += table[np.int64(left[k])] + table[np.int64(totals[k] - left[k])]
            proxy -= table[np.int64(n_left)] + table[np.int64(n_right)]
        if proxy > best:
            best, best_pos = proxy, p
    return best, best_pos


@njit(cache=True)
def best_split_values(x, y, w, weighted, start, end, n_t, ybar, min_samples_leaf):
    """Best split of the sorted segment x[start:end] for the variance of y.

    Maximises S_L^2 / N_L + S_R^2 / N_R with S = sum w (y - ybar) (``ybar`` the node
    mean); returns (proxy, p) as ``best_split_classes`` does.
    """
    s_total = 0.0
    for p in range(start, end):
        s_total += (w[p] if weighted else 1.0) * (y[p] - ybar)
    s_left = 0.0
    n_left = 0.0
    best, best_pos = -np.inf, -1
    for p in range(start + 1, end):
        wq = w[p - 1] if weighted else 1.0
        s_left += wq * (y[p - 1] - ybar)
        n_left += wq
        if p - start < min_samples_leaf:
            continue
        if end - p < min_samples_leaf:
            break
        if x[p] <= x[p - 1] + FEATURE_GAP:
            continue
        s_right = s_total - s_left
        proxy = s_left * s_left / n_left + s_right * s_right / (n_t - n_left)
        if proxy > best:
            best, best_pos = proxy, p
    return best, best_pos


@njit(cache=True)
def midpoint(a, b):
    """Threshold between sorted values a < b: (a + b) / 2, or a if that rounds to b.

    Halves are summed, a / 2 + b / 2, so that the sum cannot overflow.
    """
    t = a / 2.0 + b / 2.0
    if t >= b or np.isinf(t):
        return a
    return t


# --- the split search over features ---------------------------------------------------
@njit(cache=True)
def random_below(state, m):
    """A random integer in [0, m) from SplitMix64 (Steele, Lea & Flood 2014).

    ``state`` is a one-element uint64 array, advanced in place; the top 53 bits of the
    output make a uniform double u in [0, 1), and floor(u m) is returned.
    """
    state[0] += np.uint64(0x9E3779B97F4A7C15)
    z = state[0]
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return np.int64((z >> np.uint64(11)) * (1.0 / 9007199254740992.0) * m)


@njit(cache=True)
def best_split(xs, ys, ws, weighted, start, end, totals, n_t, ybar, criterion,
               min_samples_leaf, table, left, max_features, perm, rng_state):
    """(feature, position) of the best split of the node [start, end), or (-1, -1).

    With max_features >= n_features every feature is scanned, in index order; else
    features are drawn without replacement (a Fisher-Yates shuffle of ``perm``, one
    step per draw) until max_features have been scanned and one of them gave a
    valid split. The first maximum of the proxy wins, so ties go to the feature
    scanned first, then to the smaller threshold.
    """
    n_features = xs.shape[0]
    best_proxy = -np.inf
    best_f, best_pos = -1, -1
    for k in range(n_features):
        if max_features >= n_features:
            f = k
        else:
            if k >= max_features and best_f >= 0:
                break
            j = k + random_below(rng_state, n_features - k)
            perm[k], perm[j] = perm[j], perm[k]
            f = perm[k]
        x = xs[f]
        if x[end - 1] <= x[start] + FEATURE_GAP:
            continue  # constant on this node
        w = ws[f] if weighted else ws[0]
        if criterion == SQUARED_ERROR:
            proxy, pos = best_split_values(x, ys[f], w, weighted, start, end, n_t, ybar, min_samples_leaf)
        else:
            proxy, pos = best_split_classes(x, ys[f], w, weighted, start, end, totals, n_t,
                                            criterion, min_samples_leaf, table, left)
        if pos >= 0 and proxy > best_proxy:
            best_proxy, best_f, best_pos = proxy, f, pos
    return best_f, best_pos


@njit(cache=True)
def node_impurity(y, w, weighted, start, end, criterion, counts):
    """(N_t, ybar_t, i(t)) of the samples [start, end); fills ``counts`` (classes)."""
    if criterion == SQUARED_ERROR:
        n_t, s, imp = variance(y, w, weighted, start, end)
        return n_t, s / n_t, imp
    n_t = class_counts(y, w, weighted, start, end, counts)
    return n_t, 0.0, gini(counts, n_t) if criterion == GINI else entropy(counts, n_t)


# --- growth ---------------------------------------------------------------------------
@njit(cache=True)
def partition_segments(order, xs, ys, ws, weighted, f_split, start, pos, end,
                       goes_left, buf_i, buf_x, buf_y, buf_w):
    """Split every feature's segment [start, end) stably into left and right parts.

    The samples of order[f_split, start:pos] go left. The left samples are moved
    down in place (the write position never passes the read position), the right
    ones go through a buffer, so both parts stay sorted by each feature.
    """
    for p in range(start, pos):
        goes_left[order[f_split, p]] = True
    for p in range(pos, end):
        goes_left[order[f_split, p]] = False
    for f in range(order.shape[0]):
        if f == f_split:
            continue
        o, x, y = order[f], xs[f], ys[f]
        i, r = start, 0
        for p in range(start, end):
            s = o[p]
            if goes_left[s]:
                o[i], x[i], y[i] = s, x[p], y[p]
                if weighted:
                    ws[f, i] = ws[f, p]
                i += 1
            else:
                buf_i[r], buf_x[r], buf_y[r] = s, x[p], y[p]
                if weighted:
                    buf_w[r] = ws[f, p]
                r += 1
        for q in range(r):
            o[i + q], x[i + q], y[i + q] = buf_i[q], buf_x[q], buf_y[q]
            if weighted:
                ws[f, i + q] = buf_w[q]


@njit(cache=True)
def grow_tree(order, xs, ys, ws, weighted, n_classes, criterion, max_depth,
              min_samples_split, min_samples_leaf, min_impurity_decrease,
              max_features, seed, n_total):
    """Grow a tree depth-first on pre-sorted features (see the module docstring).

    Parameters
    ----------
    order : (n_features, n) int array
        order[f] lists the samples sorted by feature f; rewritten in place.
    xs, ys : (n_features, n) float arrays
        Feature values and targets (class codes as floats for classification) in
        the same orders; rewritten in place.
    ws : (n_features, n) float array, or (1, 1) when ``weighted`` is False
        Sample weights in the same orders.
    n_classes : int
        Number of classes (1 for regression).
    criterion : int
        GINI, ENTROPY or SQUARED_ERROR.
    max_features : int
        Features examined per node (see ``best_split``).
    seed : uint64
        Seed of the feature draws (used only when max_features < n_features).
    n_total : float
        N, the total weight of the training samples (scales the impurity decrease).

    Returns
    -------
    nodes : (n_nodes, 5) int64 array
        Columns children_left, children_right, feature, n_node_samples, depth; in
        pre-order (a node, then its left subtree, then its right subtree).
    stats : (n_nodes, 3 + n_values) float64 array
        Columns threshold, impurity, weighted_n_node_samples, then the value (class
        frequencies, or the mean of y).
    """
    n_features, n = order.shape
    n_values = 1 if criterion == SQUARED_ERROR else n_classes
    table = xlogx_table(n) if criterion == ENTROPY and not weighted else np.zeros(1)
    # a binary tree with at most n leaves has at most 2n - 1 nodes, and at most
    # 2^(d + 1) - 1 if its depth is at most d
    capacity = 2 * n - 1
    if max_depth < 40:
        capacity = min(capacity, (1 << (max_depth + 1)) - 1)
    nodes = np.empty((capacity, 5), np.int64)
    stats = np.empty((capacity, 3 + n_values))
    counts = np.empty(n_classes)
    left = np.empty(n_classes)
    right = np.empty(n_classes)
    perm = np.arange(n_features)
    rng_state = np.full(1, seed, np.uint64)
    goes_left = np.empty(n, np.bool_)
    buf_i = np.empty(n, order.dtype)
    buf_x = np.empty(n)
    buf_y = np.empty(n)
    buf_w = np.empty(n if weighted else 1)

    # rows (start, end, depth, parent, is_left); depth-first, the stack holds at
    # most one pending right sibling per level, plus the node being split
    stack = np.empty((n + 1, 5), np.int64)
    stack[0, 0], stack[0, 1], stack[0, 2], stack[0, 3], stack[0, 4] = 0, n, 0, -1, 0
    top = 1
    node_count = 0
    while top > 0:
        top -= 1
        start, end, depth = stack[top, 0], stack[top, 1], stack[top, 2]
        parent, is_left = stack[top, 3], stack[top, 4]
        node = node_count
        node_count += 1
        if parent >= 0:
            nodes[parent, 0 if is_left else 1] = node

        w0 = ws[0]
        n_t, ybar, imp = node_impurity(ys[0], w0, weighted, start, end, criterion, counts)
        nodes[node, 3], nodes[node, 4] = end - start, depth
        stats[node, 1], stats[node, 2] = imp, n_t
        if criterion == SQUARED_ERROR:
            stats[node, 3] = ybar
        else:
            for k in range(n_classes):
                stats[node, 3 + k] = counts[k] / n_t

        is_leaf = (depth >= max_depth or end - start < min_samples_split
                   or end - start < 2 * min_samples_leaf or imp <= PURE)
        f, pos = -1, -1
        if not is_leaf:
            f, pos = best_split(xs, ys, ws, weighted, start, end, counts, n_t, ybar, criterion,
                                min_samples_leaf, table, left, max_features, perm, rng_state)
            is_leaf = f < 0
        if not is_leaf:
            # the impurity decrease of the best split, from fresh child statistics
            w = ws[f] if weighted else w0
            n_l, _, imp_l = node_impurity(ys[f], w, weighted, start, pos, criterion, left)
            n_r, _, imp_r = node_impurity(ys[f], w, weighted, pos, end, criterion, right)
            decrease = n_t / n_total * (imp - n_r / n_t * imp_r - n_l / n_t * imp_l)
            # PURE absorbs rounding, so min_impurity_decrease=0 accepts a zero gain
            is_leaf = decrease + PURE < min_impurity_decrease
        if is_leaf:
            nodes[node, 0], nodes[node, 1], nodes[node, 2] = LEAF, LEAF, UNDEFINED
            stats[node, 0] = UNDEFINED
            continue
        nodes[node, 2] = f
        stats[node, 0] = midpoint(xs[f, pos - 1], xs[f, pos])
        partition_segments(order, xs, ys, ws, weighted, f, start, pos, end,
                           goes_left, buf_i, buf_x, buf_y, buf_w)
        stack[top, 0], stack[top, 1], stack[top, 2], stack[top, 3], stack[top, 4] = (
            pos, end, depth + 1, node, 0)
        stack[top + 1, 0], stack[top + 1, 1], stack[top + 1, 2] = start, pos, depth + 1
        stack[top + 1, 3], stack[top + 1, 4] = node, 1
        top += 2
    return nodes[:node_count].copy(), stats[:node_count].copy()


@njit(cache=True)
def apply_tree(X, children_left, children_right, feature, threshold):
    """Leaf reached by each row of X: go left when x[feature] <= threshold."""
    leaves = np.empty(X.shape[0], np.int64)
    for i in range(X.shape[0]):
        node = 0
        while children_left[node] != LEAF:
            if X[i, feature[node]] <= threshold[node]:
                node = children_left[node]
            else:
                node = children_right[node]
        leaves[i] = node
    return leaves
