"""The ``Dataset`` container and the reader for the bundled gzip-CSV files."""

from __future__ import annotations

import functools
import gzip
import io
from dataclasses import dataclass
from importlib import resources

import numpy as np

__all__ = ["Dataset"]


@dataclass(frozen=True, eq=False)
class Dataset:
    """A design matrix, its targets and what they mean.

    Iterating over a ``Dataset`` yields ``X`` then ``y``, so it unpacks like the
    ``(X, y)`` pair most fitting code wants: ``X, y = load_iris()``.

    Attributes
    ----------
    X : (n_samples, n_features) ndarray of float64
        One row per sample, one column per feature.
    y : (n_samples,) ndarray
        int64 class labels ``0 .. n_classes - 1`` for classification,
        float64 values for regression.
    feature_names : tuple of str
        Name of each column of ``X``.
    target_names : tuple of str
        Name of each class, indexed by label; empty for regression.
    description : str
        A short account of the data: what was measured, by whom, the source and
        its licence.

    Notes
    -----
    The dataclass is frozen (the fields cannot be rebound) but the arrays are
    ordinary writable arrays; every loader call builds fresh copies, so editing
    them never changes what the next call returns. Equality is identity
    (``eq=False``), because element-wise array comparison has no single truth value.

    Examples
    --------
    >>> from mlfoundations.datasets import load_iris
    >>> X, y = load_iris()
    >>> X.shape, y.shape
    ((150, 4), (150,))
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    description: str

    def __iter__(self):
        yield self.X
        yield self.y

    @property
    def n_samples(self) -> int:
        """Number of rows of ``X``."""
        return self.X.shape[0]

    @property
    def n_features(self) -> int:
        """Number of columns of ``X``."""
        return self.X.shape[1]

    def __repr__(self) -> str:
        kind = f"{len(self.target_names)} classes" if self.target_names else "regression"
        return (
            f"Dataset(n_samples={self.n_samples}, n_features={self.n_features}, "
            f"{kind}, X dtype={self.X.dtype}, y dtype={self.y.dtype})"
        )


@functools.lru_cache(maxsize=None)
def _read_table(filename: str) -> tuple[tuple[str, ...], np.ndarray]:
    """Parse ``data/<filename>`` once: (header names, float64 table).

    The cached table is made read-only so that no caller can change it; loaders
    hand out copies.
    """
    raw = resources.files(__package__).joinpath("data").joinpath(filename).read_bytes()
    text = gzip.decompress(raw).decode("ascii")
    header, _, body = text.partition("\n")
    names = tuple(header.strip().split(","))
    table = np.loadtxt(io.StringIO(body), delimiter=",", dtype=np.float64, ndmin=2)
    if table.shape[1] != len(names):  # a corrupted install, not a user error
        raise RuntimeError(
            f"bundled file {filename} is damaged: header has {len(names)} columns, "
            f"rows have {table.shape[1]}"
        )
    table.setflags(write=False)
    return names, table


def _load_table(filename: str) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Return (feature names, fresh copy of X, fresh copy of the target column)."""
    names, table = _read_table(filename)
    X = np.array(table[:, :-1], dtype=np.float64, order="C")
    target = np.array(table[:, -1], dtype=np.float64)
    return names[:-1], X, target
