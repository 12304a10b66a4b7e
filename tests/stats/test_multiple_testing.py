"""adjust_pvalues against statsmodels' multipletests, and the laws every adjustment obeys."""

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlfoundations.stats.multiple_testing import adjust_pvalues

multitest = pytest.importorskip("statsmodels.stats.multitest")

METHODS = ("bonferroni", "holm", "fdr_bh")
# the same formulas as statsmodels, possibly summed in another order: agree to rounding
RTOL = 1e-12


def reference(p, method):
    return multitest.multipletests(p, method=method)[1]


def p_value_families():
    rng = np.random.default_rng(7)
    yield "uniform m=10", rng.uniform(size=10)
    yield "uniform m=1000", rng.uniform(size=1000)
    yield "one test", np.array([0.03])
    yield "two equal", np.array([0.01, 0.01])
    yield "ties and ends", np.array([0.0, 0.2, 1.0, 0.2, 0.0, 0.04, 0.04, 1.0])
    yield "mostly signals", np.concatenate([rng.uniform(0, 1e-6, 40), rng.uniform(size=10)])
    yield "near one (capping)", 1.0 - rng.uniform(0, 1e-3, 25)
    yield "tiny", rng.uniform(size=30) * 1e-300
    yield "rounded to 2 digits", np.round(rng.uniform(size=200), 2)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", list(p_value_families()), ids=lambda c: c[0])
def test_equals_statsmodels(case, method):
    _, p = case
    np.testing.assert_allclose(adjust_pvalues(p, method=method), reference(p, method),
                               rtol=RTOL, atol=0)


@pytest.mark.parametrize("method", METHODS)
def test_keeps_the_shape_and_order_of_the_input(method):
    p = np.random.default_rng(3).uniform(size=(4, 6))
    out = adjust_pvalues(p, method=method)
    assert out.shape == (4, 6)
    np.testing.assert_allclose(out.ravel(), reference(p.ravel(), method), rtol=RTOL, atol=0)
    assert isinstance(adjust_pvalues([0.2, 0.3], method=method), np.ndarray)


@pytest.mark.parametrize("method", METHODS)
def test_empty_family_gives_empty_result(method):
    out = adjust_pvalues([], method=method)
    assert out.shape == (0,) and out.dtype == np.float64
    assert reference(np.array([]), method).shape == (0,)


def test_hand_computed_example():
    p = [0.01, 0.04, 0.03, 0.005]
    np.testing.assert_allclose(adjust_pvalues(p, "bonferroni"), [0.04, 0.16, 0.12, 0.02], rtol=1e-15)
    np.testing.assert_allclose(adjust_pvalues(p, "holm"), [0.03, 0.06, 0.06, 0.02], rtol=1e-15)
    np.testing.assert_allclose(adjust_pvalues(p, "fdr_bh"), [0.02, 0.04, 0.04, 0.02], rtol=1e-15)
    assert adjust_pvalues(p) == pytest.approx(adjust_pvalues(p, "holm"), rel=0, abs=0)


p_arrays = arrays(np.float64, st.integers(1, 40),
                  elements=st.floats(0.0, 1.0, allow_nan=False, allow_subnormal=False))


@given(p_arrays)
# rounding traps: p * m / m need not give back p, nor p / (1 / m) equal p * m
@example(np.full(9, 1.0 - 2.0**-53))
@example(np.array([0.2697867137638703] + [1.0] * 8))
def test_laws_of_adjusted_pvalues(p):
    bonf, holm, bh = (adjust_pvalues(p, m) for m in METHODS)
    for adj in (bonf, holm, bh):
        # never smaller than the raw p-value, never above 1
        assert np.all(adj >= p) and np.all(adj <= 1.0)
        # monotone: a smaller raw p-value never gets a larger adjusted one
        order = np.argsort(p, kind="stable")
        assert np.all(np.diff(adj[order]) >= 0.0)
    # Holm is uniformly at least as powerful as Bonferroni, BH at least as Holm
    assert np.all(holm <= bonf) and np.all(bh <= holm)


@given(p_arrays, st.randoms(use_true_random=False))
def test_equivariant_under_permutation(p, random):
    perm = np.array(random.sample(range(p.size), p.size))
    for method in METHODS:
        np.testing.assert_array_equal(adjust_pvalues(p[perm], method), adjust_pvalues(p, method)[perm])


@pytest.mark.parametrize(
    "p, method, error, match",
    [
        ([0.1, np.nan], "holm", ValueError, r"p contains NaN"),
        ([0.1, np.inf], "holm", ValueError, r"p contains inf"),
        ([0.1, 1.5], "holm", ValueError, r"p-values must lie in \[0, 1\], got 1.5"),
        ([-0.01, 0.5], "fdr_bh", ValueError, r"p-values must lie in \[0, 1\], got -0.01"),
        ([0.1], "sidak", ValueError, r"method must be 'bonferroni', 'holm' or 'fdr_bh', got 'sidak'"),
        ([0.1], None, ValueError, r"method must be .*got None"),
        ("0.1", "holm", TypeError, r"p must be array-like of numbers"),
        ([0.1, 1j], "holm", ValueError, r"p: Complex data not supported"),
    ],
)
def test_errors(p, method, error, match):
    with pytest.raises(error, match=match):
        adjust_pvalues(p, method=method)
