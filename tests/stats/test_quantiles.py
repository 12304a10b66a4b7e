"""Quantiles and the median: every Hyndman-Fan method against numpy."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlfoundations.stats import median, quantile
from mlfoundations.stats.quantiles import _QUANTILE_METHODS

SHAPES_AND_AXES = [
    ((1,), None),
    ((7,), None),
    ((7,), 0),
    ((100,), -1),
    ((5, 6), None),
    ((5, 6), 0),
    ((5, 6), 1),
    ((3, 4, 5), (0, 2)),
    ((3, 4, 5), (2, 1)),
    ((3, 4, 5), -2),
]


# ---------------------------------------------------------------------- quantiles

DISCRETE = {
    "inverted_cdf", "averaged_inverted_cdf", "closest_observation",
    "lower", "higher", "nearest", "midpoint",
}


def _probability_grid(n, rng):
    """Random q plus every q where a method's position is a whole number (the ties)."""
    grids = [np.linspace(0, 1, 101), np.arange(n + 1) / n, np.arange(2 * n + 1) / (2 * n), rng.random(30)]
    if n > 1:
        grids.append(np.arange(n) / (n - 1))
        grids.append((np.arange(n - 1) + 0.5) / (n - 1))
    return np.unique(np.concatenate(grids))


@pytest.mark.parametrize("method", _QUANTILE_METHODS)
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 10, 11, 100])
def test_quantile_matches_numpy_for_every_method(rng, method, n):
    x = rng.standard_normal(n)
    q = _probability_grid(n, rng)
    ours, theirs = quantile(x, q, method=method), np.quantile(x, q, method=method)
    if method in DISCRETE:
        # the same order statistics (and, for midpoint/averaged, the same average)
        np.testing.assert_array_equal(ours, theirs)
    else:
        np.testing.assert_allclose(ours, theirs, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("axis", [None, 0, 1, 2, -1, (0, 2), (2, 1), (0, 1, 2)])
@pytest.mark.parametrize("method", ["linear", "hazen", "nearest", "closest_observation"])
def test_quantile_axes_and_shapes_match_numpy(rng, axis, method):
    x = rng.standard_normal((5, 6, 7))
    for q in (0.3, [0.1, 0.5, 0.9], [[0.0, 0.25], [0.75, 1.0]]):
        ours, theirs = quantile(x, q, axis=axis, method=method), np.quantile(x, q, axis=axis, method=method)
        assert np.shape(ours) == np.shape(theirs)
        np.testing.assert_allclose(ours, theirs, rtol=1e-14, atol=1e-15)


def test_median_matches_numpy(rng):
    for shape, axis in SHAPES_AND_AXES:
        x = rng.standard_normal(shape)
        np.testing.assert_allclose(median(x, axis=axis), np.median(x, axis=axis), rtol=1e-15)
    assert median([3.0, 1.0, 2.0]) == 2.0 and median([4.0, 1.0, 3.0, 2.0]) == 2.5


def test_quantile_extremes_are_the_sample_extremes(rng):
    x = rng.standard_normal(50)
    for method in _QUANTILE_METHODS:
        # every method's position clips to x_(1) at q = 0 and x_(n) at q = 1
        assert quantile(x, [0.0, 1.0], method=method).tolist() == [x.min(), x.max()]
        assert quantile([5.0], [0.0, 0.5, 1.0], method=method).tolist() == [5.0, 5.0, 5.0]


def test_quantile_rejects_bad_input():
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\], got 1.5"):
        quantile([1.0, 2.0], [0.5, 1.5])
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\], got -0.1"):
        quantile([1.0, 2.0], -0.1)
    with pytest.raises(ValueError, match="q contains NaN"):
        quantile([1.0, 2.0], np.nan)
    with pytest.raises(ValueError, match="method='linnear' is not one of inverted_cdf, "):
        quantile([1.0, 2.0], 0.5, method="linnear")
    with pytest.raises(ValueError, match="x contains NaN"):
        quantile([1.0, np.nan], 0.5)
    with pytest.raises(ValueError, match=r"x is empty"):
        quantile([], 0.5)
    with pytest.raises(ValueError, match="axis 1 is out of bounds for x with 1 dimension"):
        quantile([1.0, 2.0], 0.5, axis=1)


# --------------------------------------------------------------------- properties


@given(
    arrays(np.float64, st.integers(1, 30), elements=st.floats(-1e6, 1e6)),
    st.lists(st.floats(0, 1), min_size=2, max_size=5),
    st.sampled_from(_QUANTILE_METHODS),
)
def test_quantile_is_monotone_in_q_and_within_the_range(x, q, method):
    q = np.sort(q)
    values = quantile(x, q, method=method)
    assert np.all(np.diff(values) >= 0)
    assert x.min() <= values.min() and values.max() <= x.max()
    np.testing.assert_array_equal(values, np.quantile(x, q, method=method))
