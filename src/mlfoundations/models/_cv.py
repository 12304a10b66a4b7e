"""Cross-validation splits shared by the estimators that choose their own penalty.

k-fold cross-validation holds out each of k contiguous blocks of the samples in turn
(no shuffling, the first n mod k blocks one sample larger: scikit-learn's ``KFold(k)``),
so that a model's choice of alpha is comparable with scikit-learn's on the same data.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["kfold", "cv_splits"]


def kfold(n_samples: int, n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index pairs of k contiguous, unshuffled folds."""
    if n_splits > n_samples:
        raise ValueError(
            f"cv={n_splits} folds need at least {n_splits} samples, got n_samples={n_samples} "
            f"(cannot have number of splits n_splits={n_splits} greater than the number of "
            f"samples: n_samples={n_samples})"
        )
    sizes = np.full(n_splits, n_samples // n_splits)
    sizes[: n_samples % n_splits] += 1
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    indices = np.arange(n_samples)
    return [
        (np.concatenate([indices[:lo], indices[hi:]]), indices[lo:hi])
        for lo, hi in zip(bounds[:-1], bounds[1:])
    ]


def cv_splits(cv, X, y) -> list[tuple[np.ndarray, np.ndarray]]:
    """Validated (train, test) pairs from an int k (k folds), a splitter with
    ``split(X, y)`` or an iterable of index pairs; each pair indexes the samples of X
    and neither side is empty."""
    n_samples = X.shape[0]
    if isinstance(cv, numbers.Integral) and not isinstance(cv, (bool, np.bool_)):
        if cv < 2:
            raise ValueError(f"cv={cv!r} must be at least 2 folds")
        return kfold(n_samples, int(cv))
    if isinstance(cv, (str, bytes)) or not (hasattr(cv, "split") or hasattr(cv, "__iter__")):
        raise ValueError(
            f"cv={cv!r} must be an int, a splitter with a split method or an iterable of "
            "(train, test) index arrays"
        )
    raw = cv.split(X, y) if hasattr(cv, "split") else cv
    positions = np.arange(n_samples)
    out = []
    for k, pair in enumerate(raw):
        try:
            # an empty list would become a float array, which cannot index
            train, test = (
                positions[np.asarray(part) if len(part) else np.empty(0, np.intp)] for part in pair
            )
        except (TypeError, ValueError, IndexError) as exc:
            raise ValueError(
                f"cv split {k} is not a (train, test) pair of indices into the "
                f"{n_samples} samples: {exc}"
            ) from None
        if train.size == 0 or test.size == 0:
            raise ValueError(f"cv split {k} has an empty training or test set")
        out.append((train, test))
    if not out:
        raise ValueError("cv produced no (train, test) splits")
    return out
