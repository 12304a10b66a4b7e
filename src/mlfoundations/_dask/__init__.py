"""Out-of-core computation on Dask collections: one pass of mergeable statistics.

The estimators and functions that accept a ``dask.array.Array`` (or a
``dask.dataframe`` DataFrame or Series) test for one at the top of their public entry
point with :func:`is_dask_collection` and hand it to a private function here; the NumPy
path below that test is untouched. Every Dask computation has the same three steps:

1. **map**: each row block (a chunk of a Dask array, a partition of a DataFrame) is
   summarised by the library's own in-memory code into small sufficient statistics:
   the centred weighted Gram matrix and column sums of least squares and PCA
   (``models._least_squares._Moments``), the count, mean and central sums of
   ``stats.RunningMoments``, the per-block entropy and total of a distribution, or
   contingency counts;
2. **reduce**: the summaries are merged pairwise by a tree of ``dask.delayed`` calls
   (:func:`._blocks.tree_reduce`, ``split_every`` summaries per node), so no worker ever
   holds more than a few summaries and the client receives one;
3. **solve**: the small dense problem (a p x p Cholesky, eigen- or QR factorisation, a
   t statistic, an entropy) is solved on the client by the same functions the NumPy path
   calls, so the answer equals the in-memory one up to rounding.

Why a ``delayed`` tree rather than ``dask.array.reduction``: the summaries are not
arrays but small records (named tuples, ``RunningMoments``, dicts of counts) that merge
by the Chan-Golub-LeVeque update, and a DataFrame's partitions (rows per partition
unknown until read) reduce the same way as an array's chunks.

The submodules are loaded on first use (``_dask.linear`` etc., through the module
``__getattr__`` below) and import Dask inside their functions: ``import mlfoundations``
and the NumPy paths never pay for it, and the package imports where Dask is absent.

Module map: ``_blocks`` (row blocks, the tree reduction), ``linear`` (LinearRegression,
Ridge, predict), ``decomposition`` (PCA), ``moments`` (descriptive statistics, t-tests,
the t interval), ``counts`` (entropy, mutual_info_classif, value_counts).
"""

from __future__ import annotations

import importlib

__all__ = ["is_dask_collection"]

_SUBMODULES = ("linear", "decomposition", "moments", "counts")


def is_dask_collection(x) -> bool:
    """True if ``x`` is a Dask collection (array, DataFrame, Series...), without importing Dask.

    The test is on the module of the type, so that a NumPy call costs one attribute
    lookup and never triggers ``import dask``.
    """
    return type(x).__module__.startswith("dask.")


def __getattr__(name):
    # lazy submodules: the dispatch line ``_dask.linear.fit_...`` imports Dask on first use
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
