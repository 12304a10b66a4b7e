"""Checking probability arguments and laying them out as rows for the kernels.

A probability argument is an array whose slices along ``axis`` are distributions.
It is moved to the last axis and viewed as a C-contiguous (rows, n) matrix; an
operand that is the same row for every output row (a single reference distribution)
stays a single row. The kernels return each row's total and whether it had a
negative or NaN entry; the check against the tolerance is then one vectorised
comparison, and only a failing row is looked at again to word the error.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .._validation import as_float_array, check_finite

# |sum - 1| allowed for a probability vector given in double precision: far above the
# rounding of any sum of doubles, far below a genuine mistake (0.33 + 0.33 + 0.33).
SUM_ATOL = 1e-8


def log_of_base(base) -> float:
    """log(base) for a valid logarithm base (a finite real > 0 other than 1)."""
    if isinstance(base, (bool, np.bool_)) or not isinstance(base, numbers.Real):
        raise TypeError(f"base must be a real number, got {type(base).__name__} {base!r}")
    value = float(base)
    if not (math.isfinite(value) and value > 0.0 and value != 1.0):
        raise ValueError(f"base must be a finite number > 0 and != 1, got {base!r}")
    return math.log(value)


def sum_tolerance(x) -> float:
    """SUM_ATOL for double (and integer) input; sqrt(eps) of a coarser float dtype,
    whose own rounding (a float32 softmax, say) is larger than SUM_ATOL."""
    dtype = getattr(x, "dtype", None)
    if dtype is not None and dtype.kind == "f" and dtype.itemsize < 8:
        return float(np.sqrt(np.finfo(dtype).eps))
    return SUM_ATOL


def check_axis(axis, ndim: int, name: str) -> int:
    """``axis`` as a non-negative axis of an ``ndim``-dimensional argument."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an int, got {type(axis).__name__} {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of bounds for {name} with {ndim} dimension(s)")
    return int(axis) % ndim


def as_probability_array(x, name: str) -> np.ndarray:
    """A float64 array of at least one dimension (entries are checked by the kernels)."""
    arr = as_float_array(x, name, finite=False)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be an array of probabilities, got the scalar {x!r}")
    return arr


class Rows:
    """An argument laid out as (rows, n) for the kernels, with what is needed to
    report a bad row: its name, the batch shape and the tolerance."""

    def __init__(self, arr: np.ndarray, name: str, axis: int, shape: tuple, tol: float):
        self.name = name
        self.axis = axis
        self.tol = tol
        self.batch_shape = shape[:axis] + shape[axis + 1:]
        n = shape[axis]
        moved = np.moveaxis(arr, axis, -1)
        if moved.ndim == 1 or all(s == 1 for s in moved.shape[:-1]):
            self.matrix = np.ascontiguousarray(moved.reshape(1, n) if moved.shape[-1] == n
                                               else np.broadcast_to(moved.reshape(1, -1), (1, n)))
        else:
            full = np.broadcast_to(moved, self.batch_shape + (n,))
            self.matrix = np.ascontiguousarray(full.reshape(-1, n))
        # marked read-only (the kernels only read): one compiled signature whether the
        # rows are the caller's data, a copy or a broadcast view
        self.matrix = self.matrix.view()
        self.matrix.flags.writeable = False
        m = self.matrix.shape[0]
        self.sums = np.empty(m)
        self.valid = np.empty(m, dtype=np.bool_)

    def check(self, normalize: bool) -> None:
        """Raise ValueError naming the argument if a row is not a distribution."""
        s = self.sums
        with np.errstate(invalid="ignore"):
            if normalize:
                bad = ~self.valid | ~(s > 0.0) | ~(s < np.inf)
            else:
                bad = ~self.valid | ~(np.abs(s - 1.0) <= self.tol)
        if not bad.any():
            return
        i = int(np.argmax(bad))
        row = self.matrix[i]
        where = ""
        if self.matrix.shape[0] > 1 and self.batch_shape:
            where = f" at index {tuple(int(k) for k in np.unravel_index(i, self.batch_shape))}"
        check_finite(row, self.name)
        if (row < 0).any():
            raise ValueError(
                f"{self.name} has the negative entry {float(row[row < 0][0])!r}{where}; "
                "probabilities must be >= 0"
            )
        total = float(s[i])
        if normalize:
            raise ValueError(
                f"{self.name} sums to {total!r} along axis {self.axis}{where}; "
                "normalize=True needs a positive total"
            )
        raise ValueError(
            f"{self.name} must sum to 1 along axis {self.axis} (within {self.tol:g}) but "
            f"sums to {total!r}{where}; pass normalize=True to divide by the sum"
        )


def probability_rows(arrays: list, names: list, axis, tols: list) -> tuple:
    """Broadcast the arguments, move ``axis`` last and lay each out as rows.

    Returns (rows, batch_shape): one ``Rows`` per argument and the shape of the result.
    """
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        shapes = " and ".join(f"{n} with shape {a.shape}" for n, a in zip(names, arrays))
        raise ValueError(f"{shapes} do not broadcast together") from None
    axis = check_axis(axis, len(shape), " and ".join(names) if len(names) > 1 else names[0])
    if shape[axis] == 0:
        raise ValueError(
            f"{' and '.join(names)} must hold at least one outcome along axis {axis}; "
            f"got shape {shape}"
        )
    rows = []
    for arr, name, tol in zip(arrays, names, tols):
        expanded = arr.reshape((1,) * (len(shape) - arr.ndim) + arr.shape)
        rows.append(Rows(expanded, name, axis, shape, tol))
    return rows, shape[:axis] + shape[axis + 1:]


def finish(values: np.ndarray, batch_shape: tuple, log_base: float):
    """Change the unit to ``base`` and return a float for a single distribution."""
    out = values / log_base if log_base != 1.0 else values
    out = out.reshape(batch_shape)
    return float(out) if out.ndim == 0 else out
