"""Checks of the target y shared by the estimators: class labels and regression targets.

Validation happens once, at the public boundary (``fit``); the estimators trust what
these functions return.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import as_vector
from ..exceptions import DataConversionWarning

__all__ = ["check_labels", "check_regression_target"]


def check_labels(y, *, name="y", estimator="", stacklevel: int = 3) -> np.ndarray:
    """Validate class labels: a 1-D array of discrete values (ints, bools or strings).

    A column vector of shape (n, 1) is accepted with a ``DataConversionWarning`` and
    flattened (scikit-learn's convention). Floats must be whole numbers: a float
    target with fractions is a regression target, which a classifier refuses.
    """
    if y is None:
        raise ValueError(
            f"{estimator or 'This estimator'} requires y to be passed, but the target y is None"
        )
    if isinstance(y, (str, bytes)):
        raise TypeError(f"{name} must be array-like of labels, got a string {y!r}")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn(
            f"A column-vector y was passed when a 1d array was expected; {name} of shape "
            f"{y.shape} is read as {name}.ravel(), of shape ({y.shape[0]},)",
            DataConversionWarning,
            stacklevel=stacklevel,
        )
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(f"{name} should be a 1d array, got an array of shape {y.shape} instead")
    if y.dtype.kind == "O":
        is_str = np.array([isinstance(v, str) for v in y], dtype=bool)
        if is_str.any() and not is_str.all():
            raise ValueError(f"Mix of label input types (string and number) in {name}")
        if not is_str.any():
            _check_numeric_labels(as_vector(y, name, finite=False), name)
    elif y.dtype.kind in "fc":
        _check_numeric_labels(y, name)
    elif y.dtype.kind not in "biuUS":
        raise ValueError(f"Unknown label type: {name} has dtype {y.dtype}")
    return y


def _check_numeric_labels(y, name):
    if np.iscomplexobj(y):
        raise ValueError(
            f"{name}: Complex data not supported; class labels must be ints, bools or "
            f"strings, got dtype {y.dtype}"
        )
    if np.isnan(y).any():
        raise ValueError(f"Input {name} contains NaN.")
    if np.isinf(y).any():
        raise ValueError(f"Input {name} contains infinity.")
    if np.any(y != np.round(y)):
        raise ValueError(
            f"Unknown label type: continuous. {name} holds non-integer values (e.g. "
            f"{y[y != np.round(y)][0].item()!r}); a classifier needs discrete class labels, "
            "not a regression target"
        )


def check_regression_target(y, n_samples: int, *, name="y", estimator="", stacklevel: int = 3) -> np.ndarray:
    """Validate a regression target: finite float64 of shape (n_samples,).

    A column vector of shape (n, 1) is accepted with a ``DataConversionWarning`` and
    flattened (scikit-learn's convention); ``stacklevel`` points the warning at the
    caller of ``fit``.
    """
    if y is None:
        raise ValueError(
            f"{estimator or 'This estimator'} requires y to be passed, but the target y is None"
        )
    if not isinstance(y, np.ndarray):
        y = np.asarray(y)  # np.shape would dispatch to an array-like's own functions
    shape = y.shape
    if len(shape) == 2 and shape[1] == 1:
        warnings.warn(
            f"A column-vector y was passed when a 1d array was expected; {name} of shape "
            f"{shape} is read as {name}.ravel(), of shape ({shape[0]},)",
            DataConversionWarning,
            stacklevel=stacklevel,
        )
        y = np.reshape(y, -1)
    y = as_vector(y, name)
    if y.shape[0] != n_samples:
        raise ValueError(
            f"{name} has {y.shape[0]} entries but X has {n_samples} samples; they must match"
        )
    return y
