"""Descriptive statistics, t-tests and the t interval on Dask collections.

Each row block becomes a :class:`~mlfoundations.stats.RunningMoments` (count, mean
carried to twice the working precision, central sums M2, M3, M4, min and max, by the
corrected two-pass algorithm); the blocks merge by its pairwise update (Chan, Golub &
LeVeque 1979; Pebay 2008), exact in exact arithmetic, so one pass gives every statistic
that is a function of those sums: mean, var, std, sem, skewness, kurtosis, describe, and
the (n, mean, sqrt(M2)) summary from which the t-tests and the t interval are formed by
the same code as in memory. (Medians and quantiles are not such functions: they are not
offered here.)

``axis`` may be None (every entry) or 0 (the rows: the axis along which Dask splits a
DataFrame and, usually, an array). Limitation of the raw sums: data whose deviations
from the mean exceed about 1e77 (fourth powers overflow) is refused with a
``ValueError``; the in-memory functions rescale and have no such limit.
"""

from __future__ import annotations

import math
from functools import reduce

import numpy as np

from .._validation import as_float_array, check_bool, check_int, check_real
from ..stats._common import (
    _check_ddof,
    _kurtosis_from_sums,
    _output,
    _reject_constant,
    _skewness_from_sums,
)
from ..stats._tests_kernels import as_sample, mean_and_rss
from ..stats.descriptive import DescribeResult
from ..stats.intervals import _check_confidence, _check_interval_size, _mean_interval
from ..stats.moments import RunningMoments
from ..stats.tests_t import (
    _check_alternative,
    _check_one_sample_size,
    _check_pairs,
    _ttest_1samp_from_summary,
    _ttest_ind_from_summaries,
    _ttest_rel_from_summary,
)
from . import is_dask_collection
from ._blocks import (
    aligned_row_blocks, as_dask_array, check_dtype, compute, map_blocks, tree_reduce,
)

__all__ = [
    "mean", "var", "std", "sem", "skewness", "kurtosis", "describe",
    "ttest_ind", "ttest_1samp", "ttest_rel", "confidence_interval",
]


# --- map and reduce ------------------------------------------------------------------------
def _block_moments(block, name, pooled):
    """RunningMoments of a block: of all its entries (``pooled``) or of its rows."""
    x = as_float_array(block, name)  # NaN/inf named as in memory
    if pooled or x.ndim == 1:
        x = x.reshape(-1)
    else:
        x = x.reshape(x.shape[0], int(np.prod(x.shape[1:])))
    if x.shape[0] == 0:
        return None
    return RunningMoments.from_array(x)


def _merge(parts):
    parts = [m for m in parts if m is not None]
    return reduce(RunningMoments.merge, parts) if parts else None


def _lazy_moments(x, name, axis):
    """(Delayed merged RunningMoments, shape of one observation) of a Dask collection."""
    array = as_dask_array(x, name)
    check_dtype(array, name)
    pooled = _pooled(axis, array.ndim)
    parts = map_blocks(_block_moments, aligned_row_blocks([x], [name]), name, pooled)
    return tree_reduce(parts, _merge), (() if pooled else array.shape[1:]), array.shape


def _pooled(axis, ndim) -> bool:
    """True for a reduction over every entry, False over the rows; refuse other axes."""
    if axis is None:
        return True
    axes = axis if isinstance(axis, tuple) else (axis,)
    normalized = set()
    for a in axes:
        a = check_int(a, "axis")
        if not -ndim <= a < ndim:
            raise ValueError(f"axis {a} is out of bounds for x with {ndim} dimension(s)")
        normalized.add(a % ndim)
    if normalized == set(range(ndim)):
        return True
    if normalized == {0}:
        return False
    raise ValueError(
        f"axis={axis!r}: on a Dask collection the statistics reduce over every entry "
        "(axis=None) or over the rows (axis=0), the axis along which the data is split"
    )


def _summary(x, name, axis):
    """(RunningMoments, observation shape) after one pass; an empty x is refused."""
    lazy, shape, full_shape = _lazy_moments(x, name, axis)
    (moments,) = compute(lazy)
    if moments is None:
        raise ValueError(
            f"{name} is empty (shape {full_shape}); at least one observation is needed"
        )
    return moments, shape


def _shaped(value, shape):
    """A per-column result back in the shape of one observation (a float for a scalar)."""
    return _output(np.reshape(value, shape)) if shape else _output(value)


# --- descriptive statistics ------------------------------------------------------------
def mean(x, axis=None):
    moments, shape = _summary(x, "x", axis)
    return _shaped(moments.mean, shape)


def var(x, axis=None, ddof=0):
    check_int(ddof, "ddof", minimum=0)
    moments, shape = _summary(x, "x", axis)
    return _shaped(moments.var(_check_ddof(ddof, moments.n)), shape)


def std(x, axis=None, ddof=0):
    check_int(ddof, "ddof", minimum=0)
    moments, shape = _summary(x, "x", axis)
    return _shaped(moments.std(_check_ddof(ddof, moments.n)), shape)


def sem(x, axis=None, ddof=1):
    check_int(ddof, "ddof", minimum=0)
    moments, shape = _summary(x, "x", axis)
    return _shaped(moments.sem(_check_ddof(ddof, moments.n)), shape)


def _shape_statistic(x, axis, min_n, what):
    moments, shape = _summary(x, "x", axis)
    sums = moments.central_sums
    if sums.n < min_n:
        raise ValueError(f"the unbiased {what} needs at least {min_n} observations, got n={sums.n}")
    _reject_constant(np.reshape(sums.low == sums.high, shape), what)
    return sums, shape


def skewness(x, axis=None, bias=True):
    bias = check_bool(bias, "bias")
    sums, shape = _shape_statistic(x, axis, 1 if bias else 3, "skewness")
    return _shaped(_skewness_from_sums(sums.n, sums.m2, sums.m3, bias), shape)


def kurtosis(x, axis=None, fisher=True, bias=True):
    fisher = check_bool(fisher, "fisher")
    bias = check_bool(bias, "bias")
    sums, shape = _shape_statistic(x, axis, 1 if bias else 4, "kurtosis")
    return _shaped(_kurtosis_from_sums(sums.n, sums.m2, sums.m4, fisher, bias), shape)


def describe(x, axis=0, ddof=1):
    check_int(ddof, "ddof", minimum=0)
    moments, shape = _summary(x, "x", axis)
    ddof = _check_ddof(ddof, moments.n)
    sums = moments.central_sums
    n = sums.n
    constant = sums.low == sums.high
    safe_m2 = np.where(constant, 1.0, sums.m2)  # 0 / 0 where constant, reported as NaN
    skew = np.where(constant, np.nan, _skewness_from_sums(n, safe_m2, sums.m3))
    kurt = np.where(constant, np.nan, _kurtosis_from_sums(n, safe_m2, sums.m4))
    return DescribeResult(
        n,
        (_shaped(moments.min, shape), _shaped(moments.max, shape)),
        _shaped(moments.mean, shape),
        _shaped(moments.var(ddof), shape),
        _shaped(skew, shape),
        _shaped(kurt, shape),
        ddof,
    )


# --- tests and intervals -------------------------------------------------------------------
def _sample_summaries(samples):
    """(n, mean, sqrt(M2)) of each 1-D sample: Dask ones in one pass, NumPy ones in memory."""
    lazy = {}
    for name, x in samples:
        if is_dask_collection(x):
            dx = as_dask_array(x, name)
            if dx.ndim != 1:
                raise ValueError(f"{name} must be 1-D, got an array of shape {dx.shape}")
            lazy[name] = _lazy_moments(dx, name, None)[0]
    computed = dict(zip(lazy, compute(*lazy.values())))
    out = []
    for name, x in samples:
        if name in computed:
            moments = computed[name]
            if moments is None:
                raise ValueError(f"{name} is empty; a test needs observations")
            n = moments.n
            # M2 = n var(ddof=0), the root kept as the tests keep it
            out.append((n, moments.mean, math.sqrt(moments.var(0) * n)))
        else:
            arr = as_sample(x, name)
            out.append((arr.shape[0], *mean_and_rss(arr, name)))
    return out


def ttest_ind(a, b, *, equal_var=True, alternative="two-sided"):
    if equal_var is not True and equal_var is not False:
        equal_var = check_bool(equal_var, "equal_var")
    alternative = _check_alternative(alternative)
    (n_a, mean_a, rss_a), (n_b, mean_b, rss_b) = _sample_summaries([("a", a), ("b", b)])
    return _ttest_ind_from_summaries(
        n_a, mean_a, rss_a, n_b, mean_b, rss_b, equal_var, alternative, stacklevel=5
    )


def ttest_1samp(a, popmean=0.0, *, alternative="two-sided"):
    popmean = check_real(popmean, "popmean")
    alternative = _check_alternative(alternative)
    ((n, mean_a, rss),) = _sample_summaries([("a", a)])
    _check_one_sample_size(n)
    return _ttest_1samp_from_summary(n, mean_a, rss, popmean, alternative, stacklevel=5)


def _block_differences(a, b):
    """RunningMoments of the differences a_i - b_i of a block of pairs."""
    a, b = as_float_array(a, "a").reshape(-1), as_float_array(b, "b").reshape(-1)
    if a.shape[0] != b.shape[0]:  # partitions of unknown length: checked block by block
        raise ValueError(
            f"a and b must have the same length for a paired test; a partition holds "
            f"{a.shape[0]} and {b.shape[0]}"
        )
    if a.shape[0] == 0:
        return None
    with np.errstate(over="ignore", invalid="ignore"):
        d = a - b
    if not np.isfinite(d).all():
        raise ValueError("a - b overflows float64; rescale the data")
    return RunningMoments.from_array(d)


def ttest_rel(a, b, *, alternative="two-sided"):
    alternative = _check_alternative(alternative)
    lengths = []
    for name, x in (("a", a), ("b", b)):
        shape = as_dask_array(x, name).shape if is_dask_collection(x) else np.shape(x)
        if len(shape) != 1:
            raise ValueError(f"{name} must be 1-D, got an array of shape {shape}")
        lengths.append(shape[0])
    if not any(math.isnan(n) for n in lengths):
        _check_pairs(int(lengths[0]), int(lengths[1]))
    order = (0, 1) if is_dask_collection(a) else (1, 0)  # a Dask sample sets the blocks
    pair, names = [(a, b)[i] for i in order], [("a", "b")[i] for i in order]
    blocks = [tuple(block[i] for i in order) for block in aligned_row_blocks(pair, names)]
    (moments,) = compute(tree_reduce(map_blocks(_block_differences, blocks), _merge))
    n = 0 if moments is None else moments.n
    _check_pairs(n, n)
    return _ttest_rel_from_summary(
        n, moments.mean, math.sqrt(moments.var(0) * n), alternative, stacklevel=5
    )


def confidence_interval(data, confidence=0.95):
    confidence = _check_confidence(confidence)
    ((n, mean_x, rss),) = _sample_summaries([("data", data)])
    _check_interval_size(n)
    return _mean_interval(n, mean_x, rss, confidence, stacklevel=5)
