"""Entropy and mutual information on Dask collections vs in memory.

Entropy: the grouping merge adds only non-negative terms, so the result equals the
in-memory kernel's to a few ulps (1e-12 relative asserted, tighter than the issue's
1e-10). Mutual information: exact integer counts, the same plug-in terms summed in
another order (1e-12 relative, 1e-15 absolute for values near 0).
"""

import numpy as np
import pytest

da = pytest.importorskip("dask.array", reason="the dask extra is not installed")

from mlfoundations.information import entropy, mutual_info_classif, mutual_information  # noqa: E402

RTOL = 1e-12


def test_entropy_of_a_long_count_vector(rng, split):
    counts = rng.integers(0, 50, size=1000).astype(float)
    counts[100:200] = 0.0  # whole chunks of zeros: parts of weight 0
    for base in (2, np.e, 10):
        np.testing.assert_allclose(entropy(split(counts), base=base, normalize=True),
                                   entropy(counts, base=base, normalize=True), rtol=RTOL)
    p = counts / counts.sum()
    got = entropy(split(p))
    assert isinstance(got, float)
    np.testing.assert_allclose(got, entropy(p), rtol=RTOL)


def test_nearly_a_point_mass(split):
    # H = 4.1e-8 bits. Its condition number is ~1/H: the rounding of p_500 = 1 - 1e-9 alone
    # moves H by ~1e-8 relative, so both results are compared with the exact value (50
    # digits, mpmath) at 1e-7; log S - sum(p log p) / S would leave no digit at all
    mpmath = pytest.importorskip("mpmath")
    p = np.full(1000, 1e-12)
    p[500] = 1.0 - p.sum() + 1e-12
    with mpmath.workdps(50):
        total = mpmath.fsum(mpmath.mpf(float(v)) for v in p)
        exact = -mpmath.fsum((v / total) * mpmath.log(v / total) for v in map(mpmath.mpf, p))
        exact = float(exact / mpmath.log(2))
    np.testing.assert_allclose(entropy(p), exact, rtol=1e-7)
    np.testing.assert_allclose(entropy(split(p)), exact, rtol=1e-7)


@pytest.mark.parametrize("axis", [-1, 0])
def test_batches_of_distributions(rng, client, axis):
    P = rng.random((60, 90))
    P /= P.sum(axis=axis, keepdims=True)
    dP = da.from_array(P, chunks=(7, 13))
    got = entropy(dP, axis=axis)
    np.testing.assert_allclose(got, entropy(P, axis=axis), rtol=RTOL)
    cube = rng.random((4, 6, 30))
    np.testing.assert_allclose(entropy(da.from_array(cube, chunks=(2, 3, 7)), normalize=True),
                               entropy(cube, normalize=True), rtol=RTOL)


def test_entropy_of_a_dataframe_column_and_of_its_labels(rng, frame):
    counts = rng.integers(1, 9, size=300).astype(float)
    ddf = frame({"n": counts, "label": rng.choice(["a", "b", "c"], size=300)})
    np.testing.assert_allclose(entropy(ddf["n"], normalize=True), entropy(counts, normalize=True),
                               rtol=RTOL)
    # a discrete column's entropy: counts of its labels from one pass, then entropy
    from mlfoundations._dask.counts import value_counts

    labels = ddf["label"].compute().to_numpy()
    values, n = value_counts(ddf["label"])
    assert list(values) == ["a", "b", "c"] and n.sum() == 300
    np.testing.assert_allclose(entropy(n, normalize=True), mutual_information(labels, labels),
                               rtol=RTOL)


def test_entropy_errors_match_numpy(split):
    p = np.full(1000, 1e-3)
    bad_sum = p * 1.01
    with pytest.raises(ValueError, match=r"^p must sum to 1 along axis 0 \(within 1e-08\) but sums "
                                         r"to 1\.0[01]"):
        entropy(bad_sum)
    with pytest.raises(ValueError, match=r"^p must sum to 1 along axis 0 \(within 1e-08\) but sums "
                                         r"to 1\.0[01]"):
        entropy(split(bad_sum))
    for value, message in [(np.nan, "^p contains NaN"), (-0.5, "^p has the negative entry -0.5")]:
        q = p.copy()
        q[612] = value
        with pytest.raises(ValueError, match=message):
            entropy(q, normalize=True)
        with pytest.raises(ValueError, match=message):
            entropy(split(q), normalize=True)
    with pytest.raises(ValueError, match="^p sums to 0.0 along axis 0; normalize=True needs"):
        entropy(split(np.zeros(100)), normalize=True)
    with pytest.raises(ValueError, match="base must be a finite number > 0 and != 1"):
        entropy(split(p), base=1)


@pytest.fixture
def labelled(rng):
    X = rng.integers(-2, 4, size=(1000, 6))
    y = np.where(X[:, 0] + rng.integers(0, 2, size=1000) > 1, "yes", "no")
    X[:, 5] = 3  # a constant feature: I = 0 exactly
    return X, y


def test_mutual_info_classif_equals_numpy(labelled, split, split_empty):
    X, y = labelled
    expected = mutual_info_classif(X, y)
    assert expected[0] > 0.1 and expected[5] == 0.0
    for dX, dy in [(split(X), split(y)), (split_empty(X), y), (split(X, 100), split(y, 64))]:
        got = mutual_info_classif(dX, dy)
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=1e-15)
        assert got[5] == 0.0
    np.testing.assert_allclose(mutual_info_classif(split(X), split(y), base=2),
                               mutual_info_classif(X, y, base=2), rtol=RTOL, atol=1e-15)


def test_discrete_float_features_and_a_dataframe(labelled, frame):
    X, y = labelled
    Xf = X * 0.5
    expected = mutual_info_classif(Xf, y, discrete_features=True)
    ddf = frame({**{f"x{j}": Xf[:, j] for j in range(6)}, "y": y})
    got = mutual_info_classif(ddf[[f"x{j}" for j in range(6)]], ddf["y"], discrete_features=True)
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=1e-15)
    mask = np.array([True, True, False, False, False, False])
    with pytest.raises(ValueError, match="feature 2 is continuous"):
        mutual_info_classif(ddf[[f"x{j}" for j in range(6)]], ddf["y"], discrete_features=mask)
    with pytest.raises(ValueError, match="counts discrete features only"):
        mutual_info_classif(ddf[[f"x{j}" for j in range(6)]], ddf["y"])


def test_mutual_info_errors(labelled, split):
    X, y = labelled
    Xf = X.astype(float)
    Xf[5, 1] = np.nan
    with pytest.raises(ValueError, match="^X contains NaN"):
        mutual_info_classif(Xf, y, discrete_features=True)
    with pytest.raises(ValueError, match="^X contains NaN"):
        mutual_info_classif(split(Xf), split(y), discrete_features=True)
    with pytest.raises(ValueError, match="X and y must have the same number of samples, got 1000 "
                                         "and 999"):
        mutual_info_classif(split(X), split(y[:999]))
