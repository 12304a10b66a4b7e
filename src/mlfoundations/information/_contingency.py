"""Contingency counts for the plug-in mutual information, and the checks of label
arrays and feature matrices shared by the mutual-information functions.

Discrete values become codes: integer-valued features of moderate range are used as
they are (code = value - min, no sorting), anything else is ranked by a sort. The
plug-in estimate needs only the counts n_xy of the occupied cells and their margins.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array
from ._mi_kernels import count_cells, integer_ranges

# cells of one contingency pass (int64 counts, 128 MB); more features are counted in turns
_MAX_CELLS = 2**24
_EXACT_INTEGERS = 2.0**53


# ----------------------------------------------------------------- labels and counts
def labels_of(x, name: str) -> np.ndarray:
    """A 1-D array of labels of any type (NaN refused)."""
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a 1-D array of labels, got a string {x!r}")
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got an array of shape {arr.shape}")
    if arr.dtype.kind == "c":
        raise ValueError(f"{name}: complex labels are not supported; got dtype {arr.dtype}")
    if arr.dtype.kind == "f":
        as_float_array(arr, name)  # refuses NaN and inf
    return arr


def codes_of(labels: np.ndarray, name: str) -> tuple:
    """(codes in [0, k), k): each distinct label replaced by its rank."""
    try:
        uniques, codes = np.unique(labels, return_inverse=True)
    except TypeError as exc:  # mixed types in an object array
        raise TypeError(f"{name} holds labels that cannot be compared: {exc}") from None
    return codes.reshape(-1).astype(np.intp, copy=False), uniques.shape[0]


def same_length(x: np.ndarray, y: np.ndarray, names=("x", "y")) -> int:
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same number of samples, "
            f"got {x.shape[0]} and {y.shape[0]}"
        )
    if x.shape[0] == 0:
        raise ValueError(f"{names[0]} and {names[1]} are empty; need at least one sample")
    return x.shape[0]


def _plug_in_terms(n_xy, n_x, n_y, n: int) -> np.ndarray:
    """(n_xy / n) log(n n_xy / (n_x n_y)) per non-empty cell, from exact int64 products."""
    ratio = (n * n_xy) / (n_x * n_y)
    return (n_xy / n) * np.log(ratio)


def occupied_cells(cx: np.ndarray, kx: int, cy: np.ndarray, ky: int) -> tuple:
    """(n_xy, n_x, n_y) over the occupied cells of the contingency table of two codes."""
    n = cx.shape[0]
    joint = cx.astype(np.int64) * ky + cy
    if kx * ky <= max(8 * n, 1024):  # a small dense table: one bincount
        table = np.bincount(joint, minlength=kx * ky)
        cells = np.flatnonzero(table)
        n_xy = table[cells]
    else:  # e.g. all labels distinct: count only the occupied cells
        cells, n_xy = np.unique(joint, return_counts=True)
    n_x = np.bincount(cx, minlength=kx)[cells // ky]
    n_y = np.bincount(cy, minlength=ky)[cells % ky]
    return n_xy.astype(np.int64), n_x.astype(np.int64), n_y.astype(np.int64)


def plug_in_mi(cx: np.ndarray, kx: int, cy: np.ndarray, ky: int) -> float:
    """I(X; Y) in nats of two code arrays: sum (n_xy / n) log(n n_xy / (n_x n_y))."""
    n_xy, n_x, n_y = occupied_cells(cx, kx, cy, ky)
    return max(0.0, float(np.sum(_plug_in_terms(n_xy, n_x, n_y, cx.shape[0]))))


# ----------------------------------------------------------------- feature matrices
def feature_matrix(X) -> tuple:
    """(X as int64 or finite float64 2-D array, whether its dtype is integer).

    Integer and bool data stay integers (no copy to float for the counting path);
    uint64, whose values may not fit int64, is read as float.
    """
    probe = X
    if isinstance(X, (list, tuple)):
        try:
            probe = np.asarray(X)
        except ValueError:  # ragged: as_float_array words the error
            probe = X
    if isinstance(probe, np.ndarray) and probe.dtype.kind in "biu" and not (
            probe.dtype.kind == "u" and probe.dtype.itemsize == 8):
        if probe.ndim != 2:
            raise ValueError(f"X must be 2-D, got an array of shape {probe.shape}")
        return np.ascontiguousarray(probe, dtype=np.int64), True
    arr = as_float_array(X, "X")
    if arr.ndim != 2:
        raise ValueError(f"X must be 2-D, got an array of shape {arr.shape}")
    return np.ascontiguousarray(arr), False


def discrete_mask(discrete_features, n_features: int, integer_dtype: bool) -> np.ndarray:
    """The boolean mask of discrete features from "auto", a bool, a mask or indices."""
    if isinstance(discrete_features, str):
        if discrete_features != "auto":
            raise ValueError(
                "discrete_features must be 'auto', a bool, a boolean mask or an array "
                f"of feature indices, got {discrete_features!r}"
            )
        return np.full(n_features, integer_dtype)
    if isinstance(discrete_features, (bool, np.bool_)):
        return np.full(n_features, bool(discrete_features))
    arr = np.asarray(discrete_features)
    if arr.ndim == 1 and arr.size == 0:  # no index given: no discrete feature
        return np.zeros(n_features, dtype=bool)
    if arr.dtype == bool:
        if arr.shape != (n_features,):
            raise ValueError(
                f"discrete_features as a boolean mask must have shape ({n_features},), "
                f"got {arr.shape}"
            )
        return arr.copy()
    if arr.dtype.kind not in "iu" or arr.ndim != 1:
        raise TypeError(
            "discrete_features must be 'auto', a bool, a boolean mask or a 1-D array "
            f"of feature indices, got {discrete_features!r}"
        )
    if arr.size and (arr.min() < -n_features or arr.max() >= n_features):
        bad = arr[(arr < -n_features) | (arr >= n_features)][0]
        raise ValueError(f"discrete_features holds the index {int(bad)}, outside "
                         f"[-{n_features}, {n_features}) for {n_features} features")
    mask = np.zeros(n_features, dtype=bool)
    mask[arr] = True
    return mask


def _integer_coding(X: np.ndarray, columns: np.ndarray) -> tuple:
    """(lo, n_values, fast) per column: the codes v - lo in [0, n_values) are used
    directly where every value is an integer of moderate range (``fast``)."""
    k = columns.shape[0]
    lo, hi, integral = np.empty(k), np.empty(k), np.empty(k, dtype=np.bool_)
    integer_ranges(X, columns, lo, hi, integral)
    n_values = hi - lo + 1
    cap = max(X.shape[0], 1024)  # never more cells than a compacted column could need
    fast = integral & (n_values <= cap) & (np.maximum(-lo, hi) < _EXACT_INTEGERS)
    return lo, np.where(fast, n_values, 0).astype(np.int64), fast


def _compact_codes(X: np.ndarray, columns: np.ndarray) -> tuple:
    """(codes matrix, n_values) of the given columns by sorting (any real values)."""
    codes = np.empty((X.shape[0], columns.shape[0]), dtype=np.int64)
    n_values = np.empty(columns.shape[0], dtype=np.int64)
    for f, col in enumerate(columns):  # one sort per column: values of no fixed grid
        uniques, inverse = np.unique(X[:, col], return_inverse=True)
        codes[:, f] = inverse.reshape(-1)
        n_values[f] = uniques.shape[0]
    return codes, n_values


def discrete_feature_codes(X: np.ndarray, columns: np.ndarray) -> list:
    """Per discrete feature: (its codes, their number), integer grids used as they are."""
    lo, n_values, fast = _integer_coding(X, columns)
    slow_codes, slow_n = _compact_codes(X, columns[~fast])
    out, s = [], 0
    for f, col in enumerate(columns):
        if fast[f]:
            out.append(((X[:, col] - lo[f]).astype(np.intp), int(n_values[f])))
        else:
            out.append((slow_codes[:, s].astype(np.intp), int(slow_n[s])))
            s += 1
    return out


def discrete_mi_with_classes(X, columns, classes, n_classes) -> np.ndarray:
    """Plug-in I(X_f; y) in nats for the given discrete columns, counted in one pass."""
    n = X.shape[0]
    lo, n_values, fast = _integer_coding(X, columns)
    sources = [(X, columns[fast], lo[fast], n_values[fast], np.flatnonzero(fast))]
    if not fast.all():
        codes, n_slow = _compact_codes(X, columns[~fast])
        sources.append((codes, np.arange(codes.shape[1]), np.zeros(codes.shape[1]),
                        n_slow, np.flatnonzero(~fast)))
    class_counts = np.bincount(classes, minlength=n_classes).astype(np.int64)
    mi = np.empty(columns.shape[0])
    for source, cols, lows, sizes, positions in sources:
        cells = sizes * n_classes
        start = 0
        while start < cols.shape[0]:  # as many features per pass as fit in _MAX_CELLS
            stop = start + max(1, int(np.searchsorted(np.cumsum(cells[start:]), _MAX_CELLS,
                                                      side="right")))
            offsets = np.concatenate(([0], np.cumsum(cells[start:stop])[:-1]))
            counts = np.zeros(int(cells[start:stop].sum()), dtype=np.int64)
            count_cells(source, np.ascontiguousarray(cols[start:stop]), lows[start:stop],
                        offsets, classes, n_classes, counts)
            mi[positions[start:stop]] = _mi_of_tables(counts.reshape(-1, n_classes),
                                                      sizes[start:stop], class_counts, n)
            start = stop
    return mi


def _mi_of_tables(table: np.ndarray, n_values: np.ndarray, class_counts, n: int) -> np.ndarray:
    """Plug-in MI of stacked contingency tables (rows = (feature, value), cols = class)."""
    n_x = table.sum(axis=1)
    rows, cls = np.nonzero(table)
    terms = _plug_in_terms(table[rows, cls], n_x[rows], class_counts[cls], n)
    per_row = np.bincount(rows, weights=terms, minlength=table.shape[0])
    first_rows = np.concatenate(([0], np.cumsum(n_values)[:-1]))
    return np.maximum(np.add.reduceat(per_row, first_rows), 0.0)
