"""Row blocks of Dask collections and the tree reduction that merges their summaries.

A Dask array is cut into chunks along every axis, a DataFrame into partitions of rows
whose lengths are unknown until read. The summaries of this package need whole rows,
so every input becomes a list of row blocks: the chunks of a Dask array rechunked to
a single chunk across its other axes, or the partitions of a DataFrame. Arrays that
travel together (X, y, sample weights) are cut into the same row blocks.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import as_float_array
from ..base import check_is_fitted

# Dask is imported inside the functions, so that importing this package (pytest's
# doctest collection, say) works where Dask is not installed

__all__ = ["as_dask_array", "check_dask_matrix", "fitted_input", "aligned_row_blocks", "tree_reduce", "compute"]

# summaries merged per node of the reduction tree: a log_8 depth keeps the client's last
# merge small while each node's merges stay a small task
SPLIT_EVERY = 8


def as_dask_array(x, name: str):
    """A ``dask.array.Array`` view of a Dask array, DataFrame or Series (lazy, no data read).

    A DataFrame's partitions become row chunks of unknown length (NaN in ``chunks``).
    """
    import dask.array as da

    if isinstance(x, da.Array):
        return x
    to_array = getattr(x, "to_dask_array", None)
    if to_array is None:
        raise TypeError(
            f"{name} is a Dask {type(x).__name__}; pass a dask.array.Array or a "
            "dask.dataframe DataFrame or Series"
        )
    return to_array()


def check_dask_matrix(X, name: str = "X", *, min_cols: int = 1):
    """A 2-D Dask array of numbers with ``min_cols`` columns or more; messages as ``as_matrix``."""
    X = as_dask_array(X, name)
    if X.ndim != 2:
        hint = ""
        if X.ndim == 1:
            hint = (
                ". Reshape your data: .reshape(-1, 1) for a single feature, "
                ".reshape(1, -1) for a single sample"
            )
        raise ValueError(f"{name} must be 2-D, got a {X.ndim}-D array of shape {X.shape}{hint}")
    check_dtype(X, name)
    if X.shape[1] < min_cols:
        raise ValueError(
            f"{name} has {X.shape[1]} feature(s) (shape={X.shape}) while a minimum of "
            f"{min_cols} is required."
        )
    return X


def fitted_input(est, X):
    """X for ``predict``/``transform`` of a fitted estimator: a 2-D Dask array with the
    fitted number of features, its columns in one block (messages as ``_validate_data``)."""
    check_is_fitted(est)
    X = check_dask_matrix(X)
    if X.shape[1] != est.n_features_in_:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(est).__name__} is expecting "
            f"{est.n_features_in_} features as input"
        )
    return X.rechunk({1: -1}) if len(X.chunks[1]) > 1 else X


def check_dtype(x, name: str) -> None:
    """Refuse a dtype that ``as_float_array`` refuses (complex), before any data is read.

    Object columns (strings in a DataFrame) can only be judged on their values: each
    block is converted by ``as_float_array`` and words its own error.
    """
    as_float_array(np.empty(0, dtype=x.dtype), name, finite=False)


def _whole_rows(x):
    """Rechunk so that each chunk holds whole rows (one chunk across the other axes)."""
    if x.ndim > 1 and any(len(c) > 1 for c in x.chunks[1:]):
        x = x.rechunk({axis: -1 for axis in range(1, x.ndim)})
    return x


def _known_rows(x) -> bool:
    return not any(np.isnan(c) for c in x.chunks[0])


def _is_frame(x) -> bool:
    """A dask.dataframe DataFrame or Series (whose partitions are the row blocks)."""
    return hasattr(x, "to_dask_array") and hasattr(x, "npartitions")


def aligned_row_blocks(arrays: list, names: list) -> list:
    """Cut ``arrays`` into the same row blocks: a list of per-block tuples.

    ``arrays[0]`` is a Dask collection and sets the blocks; each later entry is a Dask
    collection, a NumPy array-like, or a constant (None, a number) repeated for every
    block. The callers check that known lengths match (with their own messages) before
    calling; unknown lengths (DataFrame partitions) are checked block by block.

    DataFrames and Series with the same number of partitions (columns of one frame,
    typically) are zipped partition by partition, and handed to the blocks as pandas
    objects; so are Dask arrays with the same chunks. Anything else (a NumPy array
    beside a DataFrame, differently chunked arrays) is rechunked to the row chunks of
    ``arrays[0]``, which first costs a pass to count the rows of each partition.
    """
    import dask.array as da

    kinds = []
    for x in arrays:
        if x is None or isinstance(x, numbers.Number):
            kinds.append("constant")
        elif isinstance(x, da.Array):
            kinds.append("array")
        elif _is_frame(x):
            kinds.append("frame")
        else:
            kinds.append("numpy")
    collections = [x for x, kind in zip(arrays, kinds) if kind in ("array", "frame")]
    collection_kinds = {kind for kind in kinds if kind in ("array", "frame")}
    if "numpy" not in kinds and len(collection_kinds) == 1 and _same_blocks(collections):
        parts = list(arrays)
    else:
        parts = _rechunked_to_first(arrays, kinds, names)
    first = _row_delayed(parts[0])
    columns = [first] + [
        [x] * len(first) if kind == "constant" else _row_delayed(x)
        for x, kind in zip(parts[1:], kinds[1:])
    ]
    return list(zip(*columns))


def _same_blocks(collections) -> bool:
    """Whether the collections already share their row blocks (or may be zipped)."""
    first = collections[0]
    if _is_frame(first):
        return all(x.npartitions == first.npartitions for x in collections)
    first = _whole_rows(first)
    if _known_rows(first):
        return all(_known_rows(x) and x.chunks[0] == first.chunks[0] for x in collections)
    return all(not _known_rows(x) and x.numblocks[0] == first.numblocks[0] for x in collections)


def _rechunked_to_first(arrays, kinds, names) -> list:
    """Every non-constant entry as a Dask array with the row chunks of the first."""
    import dask.array as da

    def known(x, name):
        if _is_frame(x):
            return x.to_dask_array(lengths=True)
        x = as_dask_array(x, name)
        return x if _known_rows(x) else x.compute_chunk_sizes()

    ref = known(arrays[0], names[0])
    out = [ref]
    for x, kind, name in zip(arrays[1:], kinds[1:], names[1:]):
        if kind == "constant":
            out.append(x)
            continue
        if kind == "numpy":
            x = np.asarray(x)
            out.append(da.from_array(x, chunks=(ref.chunks[0],) + x.shape[1:]))
            continue
        x = known(x, name)
        out.append(x if x.chunks[0] == ref.chunks[0] else x.rechunk({0: ref.chunks[0]}))
    return out


def _row_delayed(x) -> list:
    """The row blocks of a Dask array (whole rows) or DataFrame as ``Delayed`` objects."""
    if _is_frame(x):
        return list(x.to_delayed())
    blocks = _whole_rows(x).to_delayed()
    return list(blocks.reshape(blocks.shape[0], -1)[:, 0])


def map_blocks(fn, blocks: list, *args) -> list:
    """``fn(*block, *args)`` as one lazy task per row block."""
    from dask import delayed

    task = delayed(fn, pure=True)
    return [task(*block, *args) for block in blocks]


def tree_reduce(parts: list, combine, split_every: int = SPLIT_EVERY):
    """Merge ``parts`` (Delayed summaries) by a tree of ``combine(list_of_summaries)`` calls.

    Each level merges groups of ``split_every`` summaries, so n blocks take
    ceil(log_split_every n) levels and no task sees more than ``split_every`` of them.
    ``combine`` must accept a list holding None (an empty block) and return None when
    everything in it is None.
    """
    from dask import delayed

    level = list(parts)
    if len(level) == 1:
        return delayed(combine, pure=True)(level)
    while len(level) > 1:
        node = delayed(combine, pure=True)
        level = [node(level[i:i + split_every]) for i in range(0, len(level), split_every)]
    return level[0]


def compute(*objects):
    """Compute on the active scheduler (a ``distributed.Client`` if one is running)."""
    import dask

    return dask.compute(*objects)
