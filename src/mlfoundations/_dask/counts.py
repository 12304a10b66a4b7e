"""Entropy and mutual information on Dask collections: mergeable totals and counts.

Entropy of distributions whose outcomes are spread over several blocks. Each block b
holds a part of every distribution: its total S_b and the entropy H_b of the part
normalised by S_b (the in-memory kernel). Shannon's grouping property merges two parts,

    H = (S_a / S) H_a + (S_b / S) H_b + h(S_a / S),   S = S_a + S_b,

with h(w) = -w log w - (1 - w) log(1 - w) the entropy of the choice between the parts
(Cover & Thomas 2006, ex. 2.27). Every term is >= 0, so the merge cancels no digits and
the result equals the in-memory entropy to a few ulps, whatever the block sizes.

Mutual information of discrete features with a class label: each block counts the
occupied cells (value, class) of every feature's contingency table and the classes; the
counts add exactly, and the plug-in estimate is formed from the merged table by the
in-memory formula. Continuous features need the k nearest neighbours of every sample
among all samples, which no mergeable summary provides: they are refused.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_int, check_rng
from ..information import _divergence_kernels as kernels
from ..information._contingency import (
    _plug_in_terms,
    discrete_mask,
    feature_matrix,
    labels_of,
    same_length,
)
from ..information._probability_rows import (
    as_probability_array,
    check_axis,
    finish,
    log_of_base,
    probability_rows,
    sum_tolerance,
)
from ._blocks import (
    aligned_row_blocks, as_dask_array, check_dtype, compute, map_blocks, tree_reduce,
)

__all__ = ["entropy", "mutual_info_classif", "value_counts"]


# --- entropy -------------------------------------------------------------------------------
def _block_entropy(block):
    """(S_b, H_b in nats) per row of a (rows, outcomes) block; None for an empty block."""
    P = as_probability_array(block, "p")
    if P.size == 0:
        return None
    (rows,), _ = probability_rows([P], ["p"], -1, [np.inf])
    H = np.empty(P.shape[0])
    kernels.entropy_rows(rows.matrix, H, rows.sums, rows.valid)
    bad = ~rows.valid | ~np.isfinite(rows.sums)
    if bad.any():
        # the in-memory check words the error (NaN, inf, a negative entry) for the bad rows
        rows.sums[~bad] = 1.0
        rows.check(normalize=True)
    H[rows.sums == 0.0] = 0.0  # an all-zero part: weight 0 in the merge
    return rows.sums.copy(), H


def _xlogx(w):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(w > 0.0, w * np.log(w), 0.0)


def _merge_entropy(parts):
    """Grouping property: the entropy of the union of parts from (S_b, H_b) of each."""
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    S, H = parts[0]
    for S_b, H_b in parts[1:]:
        total = S + S_b
        with np.errstate(divide="ignore", invalid="ignore"):
            w_a, w_b = S / total, S_b / total
            merged = w_a * H + w_b * H_b - _xlogx(w_a) - _xlogx(w_b)
        H = np.where(S == 0.0, H_b, np.where(S_b == 0.0, H, merged))
        S = total
    return S, H


def entropy(p, *, base=2, axis=-1, normalize=False):
    """``information.entropy`` of a Dask array: blocks along ``axis`` merged by grouping."""
    import dask.array as da

    log_base = log_of_base(base)
    p = as_dask_array(p, "p")
    if p.ndim == 0:
        raise ValueError(f"p must be an array of probabilities, got the scalar {p!r}")
    check_dtype(p, "p")
    axis = check_axis(axis, p.ndim, "p")
    if p.shape[axis] == 0:
        raise ValueError(f"p must hold at least one outcome along axis {axis}; got shape {p.shape}")
    tol = sum_tolerance(p)
    moved = da.moveaxis(p, axis, -1)
    batch_shape = moved.shape[:-1]
    if moved.ndim == 1:
        matrix = moved[None, :]
    elif moved.ndim == 2:
        matrix = moved
    else:
        matrix = moved.reshape(-1, moved.shape[-1])
    grid = matrix.to_delayed()
    task = map_blocks
    per_row_block = [
        tree_reduce(task(_block_entropy, [(block,) for block in grid[i]]), _merge_entropy)
        for i in range(grid.shape[0])
    ]
    parts = [part for part in compute(*per_row_block) if part is not None]
    S = np.concatenate([s for s, _ in parts]) if parts else np.zeros(0)
    H = np.concatenate([h for _, h in parts]) if parts else np.zeros(0)
    if moved.ndim == 2:
        batch_shape = (S.shape[0],)  # the rows of a DataFrame are counted only now
    _check_totals(S, normalize, tol, axis, batch_shape)
    return finish(np.maximum(H, 0.0), batch_shape, log_base)


def _check_totals(S, normalize, tol, axis, batch_shape):
    """Each distribution's total: 1 within ``tol``, or positive and finite when normalising."""
    with np.errstate(invalid="ignore"):
        bad = ~((S > 0.0) & (S < np.inf)) if normalize else ~(np.abs(S - 1.0) <= tol)
    if not bad.any():
        return
    i = int(np.argmax(bad))
    where = ""
    if S.shape[0] > 1 and batch_shape:
        where = f" at index {tuple(int(k) for k in np.unravel_index(i, batch_shape))}"
    total = float(S[i])
    if normalize:
        raise ValueError(
            f"p sums to {total!r} along axis {axis}{where}; normalize=True needs a positive total"
        )
    raise ValueError(
        f"p must sum to 1 along axis {axis} (within {tol:g}) but sums to {total!r}{where}; "
        "pass normalize=True to divide by the sum"
    )


# --- counts of discrete values ---------------------------------------------------------------
def _cell_counts(keys_a, keys_b, counts) -> dict:
    """{(a, b): count} over the occupied cells of two code arrays."""
    return dict(zip(zip(keys_a.tolist(), keys_b.tolist()), counts.tolist()))


def _add_counts(target: dict, other: dict) -> dict:
    for key, count in other.items():
        target[key] = target.get(key, 0) + count
    return target


def _block_tables(X, y):
    """(class counts, one {(value, class): count} table per column) of a row block."""
    X, _ = feature_matrix(X)  # NaN/inf named as in memory
    y = labels_of(y, "y")
    if X.shape[0] == 0 and y.shape[0] == 0:
        return None
    same_length(X, y, ("X", "y"))
    try:
        classes, class_codes = np.unique(y, return_inverse=True)
    except TypeError as exc:  # mixed types in an object array
        raise TypeError(f"y holds labels that cannot be compared: {exc}") from None
    class_codes = class_codes.reshape(-1)
    k = classes.shape[0]
    class_counts = dict(zip(classes.tolist(), np.bincount(class_codes, minlength=k).tolist()))
    tables = []
    for column in X.T:
        values, value_codes = np.unique(column, return_inverse=True)
        joint = value_codes.reshape(-1) * k + class_codes
        cells = np.bincount(joint, minlength=values.shape[0] * k)
        occupied = np.flatnonzero(cells)
        tables.append(_cell_counts(values[occupied // k], classes[occupied % k], cells[occupied]))
    return class_counts, tables


def _merge_tables(parts):
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    class_counts, tables = parts[0]
    for other_classes, other_tables in parts[1:]:
        _add_counts(class_counts, other_classes)
        for table, other in zip(tables, other_tables):
            _add_counts(table, other)
    return class_counts, tables


def _plug_in_mi(table: dict, class_counts: dict, n: int) -> float:
    """I(X; y) in nats from the occupied cells: sum (n_xy / n) log(n n_xy / (n_x n_y))."""
    n_x: dict = {}
    for (value, _), count in table.items():
        n_x[value] = n_x.get(value, 0) + count
    keys = list(table)
    n_xy = np.fromiter(table.values(), dtype=np.int64, count=len(keys))
    n_value = np.fromiter((n_x[v] for v, _ in keys), dtype=np.int64, count=len(keys))
    n_class = np.fromiter((class_counts[c] for _, c in keys), dtype=np.int64, count=len(keys))
    return max(0.0, float(np.sum(_plug_in_terms(n_xy, n_value, n_class, n))))


def mutual_info_classif(X, y, *, discrete_features="auto", n_neighbors=3, base=np.e, rng=None):
    """``information.mutual_info_classif`` of discrete features held in a Dask collection."""
    log_base = log_of_base(base)
    check_int(n_neighbors, "n_neighbors", minimum=1)
    check_rng(rng)
    array = as_dask_array(X, "X")
    if array.ndim != 2:
        raise ValueError(f"X must be 2-D, got an array of shape {array.shape}")
    check_dtype(array, "X")
    kind, size = array.dtype.kind, array.dtype.itemsize
    integer_dtype = kind in "biu" and not (kind == "u" and size == 8)  # as feature_matrix
    mask = discrete_mask(discrete_features, array.shape[1], integer_dtype)
    if not mask.all():
        raise ValueError(
            f"mutual_info_classif on a Dask collection counts discrete features only; feature "
            f"{int(np.argmin(mask))} is continuous (a float X is continuous under "
            "discrete_features='auto'). Nearest-neighbour estimates need every sample in "
            "memory: pass discrete_features=True for discrete values, or compute on a sample"
        )
    if y is None or np.ndim(y) == 0:
        raise ValueError("y must be a 1-D array of labels, one per row of X")
    n_y = None if hasattr(y, "to_dask_array") else np.shape(y)[0]
    n_x = array.shape[0]
    if n_y is not None and not math.isnan(n_y) and not math.isnan(n_x) and n_y != n_x:
        raise ValueError(f"X and y must have the same number of samples, got {n_x} and {n_y}")
    blocks = aligned_row_blocks([X, y], ["X", "y"])
    (merged,) = compute(tree_reduce(map_blocks(_block_tables, blocks), _merge_tables))
    if merged is None:
        raise ValueError("X and y are empty; need at least one sample")
    class_counts, tables = merged
    n = sum(class_counts.values())
    return np.array([_plug_in_mi(table, class_counts, n) for table in tables]) / log_base


def _block_values(x, name):
    """{value: count} of a block of labels."""
    labels = labels_of(np.asarray(x).reshape(-1), name)
    try:
        values, counts = np.unique(labels, return_counts=True)
    except TypeError as exc:
        raise TypeError(f"{name} holds labels that cannot be compared: {exc}") from None
    return dict(zip(values.tolist(), counts.tolist()))


def _merge_values(parts):
    merged: dict = {}
    for part in parts:
        _add_counts(merged, part)
    return merged


def value_counts(x, name="x"):
    """(values, counts) of the distinct labels of a Dask column, from one pass.

    The entropy of a discrete column is ``entropy(counts, normalize=True)`` of the
    counts returned, the plug-in estimate H = -sum_v (n_v / n) log(n_v / n).
    """
    blocks = aligned_row_blocks([x], [name])
    (merged,) = compute(tree_reduce(map_blocks(_block_values, blocks, name), _merge_values))
    if not merged:
        raise ValueError(f"{name} is empty; need at least one value")
    values = sorted(merged)
    return np.array(values), np.array([merged[v] for v in values], dtype=np.int64)
