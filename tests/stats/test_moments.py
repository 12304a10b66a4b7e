"""RunningMoments: batches, single values and merges against numpy/scipy and NIST."""

import math
import pickle

import numpy as np
import pytest
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlfoundations.stats import RunningMoments

NUMACC4 = np.array([10000000.2] + [10000000.1, 10000000.3] * 500)  # NIST StRD, 1001 values


# skewed data, so that skewness and kurtosis are far from 0 and a relative
# tolerance means something
def skewed(rng, shape):
    return 5.0 + rng.exponential(size=shape)


# ------------------------------------------------------------------ RunningMoments


def assert_matches_numpy(rm, x):
    """Every statistic of ``rm`` against numpy/scipy on the pooled ``x`` (rtol 1e-12)."""
    assert rm.n == x.shape[0]
    np.testing.assert_allclose(rm.mean, np.mean(x, axis=0), rtol=1e-12)
    for ddof in (0, 1):
        np.testing.assert_allclose(rm.var(ddof), np.var(x, axis=0, ddof=ddof), rtol=1e-12)
        np.testing.assert_allclose(rm.std(ddof=ddof), np.std(x, axis=0, ddof=ddof), rtol=1e-12)
    np.testing.assert_allclose(rm.sem(), scipy.stats.sem(x, axis=0), rtol=1e-12)
    np.testing.assert_allclose(rm.skewness, scipy.stats.skew(x, axis=0), rtol=1e-12)
    np.testing.assert_allclose(rm.kurtosis, scipy.stats.kurtosis(x, axis=0), rtol=1e-12)
    np.testing.assert_array_equal(rm.min, np.min(x, axis=0))
    np.testing.assert_array_equal(rm.max, np.max(x, axis=0))


def random_chunks(rng, x, n_chunks):
    cuts = np.sort(rng.integers(0, x.shape[0] + 1, size=n_chunks - 1))
    return np.split(x, cuts)  # some chunks may be empty


@pytest.mark.parametrize("shape", [(1000,), (1000, 3)])
def test_from_array_matches_numpy(rng, shape):
    x = skewed(rng, shape)
    rm = RunningMoments.from_array(x)
    assert_matches_numpy(rm, x)
    if len(shape) == 1:
        assert all(type(v) is float for v in (rm.mean, rm.var(), rm.skewness, rm.min))
    else:
        assert rm.mean.shape == (3,) and rm.kurtosis.shape == (3,)


@pytest.mark.parametrize("shape", [(2000,), (2000, 4)])
def test_chunks_merged_in_any_order_match_numpy(rng, shape):
    x = skewed(rng, shape)
    parts = [RunningMoments.from_array(c) for c in random_chunks(rng, x, 17)]
    # left to right by update, then shuffled sequential merges, then a balanced tree
    streamed = RunningMoments()
    for chunk in random_chunks(rng, x, 23):
        streamed.update(chunk)
    assert_matches_numpy(streamed, x)
    order = rng.permutation(len(parts))
    assert_matches_numpy(sum((parts[i] for i in order), RunningMoments()), x)
    level = parts
    while len(level) > 1:
        level = [level[i] + level[i + 1] if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
    assert_matches_numpy(level[0], x)
    assert_matches_numpy(sum(parts), x)  # sum() starts from 0


def test_push_one_value_at_a_time_is_welford(rng):
    x = skewed(rng, (500, 2))
    rm = RunningMoments()
    for row in x:
        rm.push(row)
    assert_matches_numpy(rm, x)
    scalar = RunningMoments()
    for value in x[:, 0]:
        scalar.push(value)
    assert_matches_numpy(scalar, x[:, 0])
    # mixing the three ways of feeding it
    mixed = RunningMoments().update(x[:100]).push(x[100])
    mixed = mixed + RunningMoments.from_array(x[101:300])
    mixed.update(x[300:])
    assert_matches_numpy(mixed, x)


def test_numacc4_certified_sd_by_chunks_and_by_welford():
    by_chunks = sum(RunningMoments.from_array(c) for c in np.array_split(NUMACC4, 7))
    by_welford = RunningMoments()
    for value in NUMACC4:
        by_welford.push(value)
    for rm in (by_chunks, by_welford):
        digits = -math.log10(abs(rm.std(ddof=1) - 0.1) / 0.1)
        print(f"NumAcc4 RunningMoments sd {rm.std(ddof=1)!r}: {digits:.2f} digits")
        assert digits >= 8
        assert abs(rm.mean - 10000000.2) / 10000000.2 < 1e-15
        # the rest is the data's: 10000000.1 is not a binary fraction. Against the
        # two-pass sd of the stored values (exact here) we are at rounding level.
        np.testing.assert_allclose(rm.std(ddof=1), np.std(NUMACC4, ddof=1), rtol=1e-14)


def test_large_offset_merges_lose_no_digits(rng):
    # mean 1e7, sd 0.1: a mean rounded to one float is off by ~1e-9, which would enter
    # every merge's delta (relative error ~3e-10 in var; 6e-9 for Welford); the
    # double-length mean keeps both at rounding level (tolerance 1e-13)
    x = 1e7 + 0.1 * rng.standard_normal(20000)
    parts = [RunningMoments.from_array(c) for c in np.array_split(x, 50)]
    merged = sum(parts[i] for i in rng.permutation(len(parts)))
    np.testing.assert_allclose(merged.var(), np.var(x), rtol=1e-13)
    np.testing.assert_allclose(merged.mean, np.mean(x), rtol=1e-15)
    welford = RunningMoments()
    for value in x[:3000]:
        welford.push(value)
    np.testing.assert_allclose(welford.var(ddof=1), np.var(x[:3000], ddof=1), rtol=1e-13)


def test_empty_updates_are_no_ops():
    rm = RunningMoments()
    rm.update([])
    rm.update(np.empty((0, 3)))
    assert rm.n == 0
    rm.update([[1.0, 2.0]])  # the first data fixes the shape; (0, 3) did not
    rm.update(np.empty((0, 2)))
    assert rm.n == 1 and rm.mean.tolist() == [1.0, 2.0]
    assert (rm + RunningMoments()).n == 1 and (RunningMoments() + rm).n == 1
    assert repr(RunningMoments()) == "RunningMoments(n=0)"
    assert repr(RunningMoments.from_array([1.0, 3.0])) == "RunningMoments(n=2, mean=2.0)"


def test_state_is_plain_arrays_and_never_aliases_the_input(rng):
    x = skewed(rng, (50, 2))
    rm = RunningMoments.from_array(x)
    clone = pickle.loads(pickle.dumps(rm))
    assert_matches_numpy(clone, x)
    row = np.array([100.0, 200.0])
    rm = RunningMoments().push(row)
    row[:] = 0.0  # the caller reuses its buffer
    assert rm.mean.tolist() == [100.0, 200.0]
    rm.mean[:] = -1.0  # a returned array is a copy
    assert rm.max.tolist() == [100.0, 200.0] and rm.mean.tolist() == [100.0, 200.0]


def test_merge_leaves_its_operands_alone(rng):
    a, b = RunningMoments.from_array(skewed(rng, 10)), RunningMoments.from_array(skewed(rng, 20))
    mean_a, n_a = a.mean, a.n
    c = a + b
    assert c is not a and (a.n, a.mean) == (n_a, mean_a) and c.n == 30


def test_running_moments_errors():
    rm = RunningMoments()
    with pytest.raises(ValueError, match=r"no observations yet: call update\(\) or push\(\) first"):
        rm.mean
    with pytest.raises(ValueError, match="ddof=0 must be smaller than the number of observations n=0"):
        rm.var()
    rm.push(4.0)
    with pytest.raises(ValueError, match="ddof=1 must be smaller than the number of observations n=1"):
        rm.var(ddof=1)
    with pytest.raises(ValueError, match="ddof=1 must be smaller"):
        rm.sem()
    with pytest.raises(ValueError, match="the skewness is undefined for data with zero variance"):
        rm.skewness
    with pytest.raises(ValueError, match=r"the kurtosis is undefined .* equal at index \(0,\)"):
        RunningMoments.from_array([[1.0, 2.0], [1.0, 3.0]]).kurtosis
    seen = r"but the observations seen so far have shape \(\)"
    with pytest.raises(ValueError, match=r"the observations in x have shape \(2,\), " + seen):
        rm.update(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"value has shape \(3,\), " + seen):
        rm.push([1.0, 2.0, 3.0])
    batch = r"x must be a batch of shape \(n,\) or \(n, p\)"
    with pytest.raises(ValueError, match=batch + r", got shape \(\); push\(\)"):
        rm.update(5.0)
    with pytest.raises(ValueError, match=r"x must be a batch .* got shape \(2, 2, 2\)"):
        rm.update(np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match=r"value must be a scalar or a 1-D row, got shape \(1, 1\)"):
        rm.push([[1.0]])
    with pytest.raises(ValueError, match="x contains NaN"):
        rm.update([1.0, np.nan])
    with pytest.raises(ValueError, match="value contains inf"):
        rm.push(np.inf)
    with pytest.raises(ValueError, match=r"cannot merge moments of .* shape \(\) with shape \(2,\)"):
        rm.merge(RunningMoments.from_array(np.ones((2, 2))))
    with pytest.raises(TypeError, match="other must be a RunningMoments, got int"):
        rm.merge(3)
    with pytest.raises(TypeError):
        rm + 1.0
    with pytest.raises(ValueError, match="x spreads too widely: its fourth-power sums overflow"):
        RunningMoments.from_array([1e100, -1e100])
    assert rm.n == 1 and rm.mean == 4.0  # failed calls changed nothing
    tiny = RunningMoments.from_array([1e-170, 2e-170, 4e-170])
    np.testing.assert_allclose(tiny.mean, 7e-170 / 3, rtol=1e-15)
    with pytest.raises(ValueError, match="the kurtosis cannot be computed from raw sums"):
        tiny.kurtosis


# ---------------------------------------------------------------------- properties

samples = arrays(np.float64, st.integers(1, 30), elements=st.floats(-1e3, 1e3))


@given(samples, samples, samples)
def test_merge_is_associative_and_commutative(x, y, z):
    a, b, c = (RunningMoments.from_array(v) for v in (x, y, z))
    left, right = (a + b) + c, a + (b + c)
    swapped = c + (b + a)
    pooled = np.concatenate([x, y, z])
    scale = np.max(np.abs(pooled)) + 1e-300
    for rm in (left, right, swapped):
        assert rm.n == pooled.size
        # tolerances relative to the data's size: the mean of cancelling values may be ~0
        np.testing.assert_allclose(rm.mean, left.mean, rtol=1e-12, atol=1e-13 * scale)
        np.testing.assert_allclose(rm.mean, np.mean(pooled), rtol=1e-12, atol=1e-13 * scale)
        # (a variance in the subnormal range carries few digits: an absolute floor there)
        var_atol = max(1e-13 * scale**2, 1e-300)
        np.testing.assert_allclose(rm.var(), np.var(pooled), rtol=1e-11, atol=var_atol)
        np.testing.assert_allclose(rm.var(), left.var(), rtol=1e-11, atol=var_atol)
        assert rm.min == pooled.min() and rm.max == pooled.max()


@given(samples, st.integers(-(2**20), 2**20))
def test_running_var_is_shift_invariant(x, c):
    x = np.round(x * 1024) / 1024  # dyadic, so x + c is exact
    split = len(x) // 2
    shifted = RunningMoments.from_array(x[:split] + c) + RunningMoments.from_array(x[split:] + c)
    plain = RunningMoments.from_array(x)
    scale = np.max(np.abs(x)) + 1.0
    np.testing.assert_allclose(shifted.var(), plain.var(), rtol=1e-9, atol=1e-12 * scale**2)


def test_central_sums_are_the_sums_of_powers_of_deviations():
    rng = np.random.default_rng(4)
    x = rng.normal(3.0, 2.0, (500, 3))
    m = RunningMoments.from_array(x[:200]) + RunningMoments.from_array(x[200:])
    sums = m.central_sums
    d = x - x.mean(axis=0)
    assert sums.n == 500
    for k, got in ((2, sums.m2), (3, sums.m3), (4, sums.m4)):
        # two-pass sums vs merged updates: rounding of a few hundred terms
        np.testing.assert_allclose(got, (d**k).sum(axis=0), rtol=1e-11, atol=1e-9)
    with pytest.raises(ValueError, match="no observations yet"):
        RunningMoments().central_sums
