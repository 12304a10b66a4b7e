"""Private shared helpers: the threaded Gram pass and the sign convention."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from mlfoundations._utils import gram_and_column_sums, max_abs_signs


@pytest.mark.parametrize("n_threads", [1, 2, 3])
@pytest.mark.parametrize("n_samples", [5, 45_001])
def test_gram_and_column_sums_match_blas(rng, n_threads, n_samples):
    X = rng.standard_normal((n_samples, 7)) + 3.0
    gram, sums = gram_and_column_sums(X, n_threads=n_threads)
    assert_allclose(gram, X.T @ X, rtol=1e-12)
    assert_allclose(sums, X.sum(axis=0), rtol=1e-12)
    shift = X.mean(axis=0)
    scatter, centred_sums = gram_and_column_sums(X, n_threads=n_threads, shift=shift)
    assert_allclose(scatter, (X - shift).T @ (X - shift), rtol=1e-10, atol=1e-9)
    assert_allclose(centred_sums, 0.0, atol=1e-8 * n_samples)


def test_gram_leaves_input_alone_and_propagates_nan(rng):
    X = rng.standard_normal((50_000, 3))
    X[7, 1] = np.nan
    before = X.copy()
    gram, sums = gram_and_column_sums(X)
    assert_array_equal(X, before)
    assert np.isnan(gram[1, 1]) and np.isnan(sums[1])


def test_max_abs_signs():
    M = np.array([[1.0, -3.0, 2.0], [0.0, 0.0, 0.0], [-2.0, 2.0, 1.0]])
    # rows: largest |.| is -3 -> flip; zero row keeps +1; tie -2 vs 2 -> first wins -> flip
    assert_array_equal(max_abs_signs(M, axis=1), [-1.0, 1.0, -1.0])
    assert_array_equal(max_abs_signs(M, axis=0), [-1.0, -1.0, 1.0])
    assert max_abs_signs(np.zeros((0, 3)), axis=1).shape == (0,)
