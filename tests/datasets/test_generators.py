"""Synthetic data generators: shapes, reproducibility, the structure each one
promises (checked exactly or statistically with fixed seeds), and every error."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlfoundations.datasets import make_blobs, make_classification, make_regression

GENERATORS = [
    lambda rng: make_regression(30, 5, n_informative=2, noise=1.0, rng=rng),
    lambda rng: make_classification(30, 6, rng=rng),
    lambda rng: make_blobs(30, 3, rng=rng),
]


# --- reproducibility, for every generator ---------------------------------------


@pytest.mark.parametrize("generate", GENERATORS)
def test_same_seed_same_data(generate):
    for a, b in zip(generate(7), generate(7)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("generate", GENERATORS)
def test_different_seeds_different_data(generate):
    X1, _ = generate(1)
    X2, _ = generate(2)
    assert not np.array_equal(X1, X2)


@pytest.mark.parametrize("generate", GENERATORS)
def test_generator_instance_is_used_and_advanced(generate):
    rng = np.random.default_rng(3)
    X_first, _ = generate(rng)
    X_second, _ = generate(rng)
    assert not np.array_equal(X_first, X_second)
    X_again, _ = generate(np.random.default_rng(3))
    np.testing.assert_array_equal(X_first, X_again)


@pytest.mark.parametrize("generate", GENERATORS)
def test_global_numpy_state_is_untouched(generate):
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    generate(5)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


@pytest.mark.parametrize("generate", GENERATORS)
def test_rng_none_draws_fresh_entropy(generate):
    X1, _ = generate(None)
    X2, _ = generate(None)
    assert not np.array_equal(X1, X2)


@pytest.mark.parametrize("generate", GENERATORS)
@pytest.mark.parametrize(
    "rng, exc, match",
    [
        (np.random.RandomState(0), TypeError, "numpy.random.RandomState is not supported"),
        (-1, ValueError, "rng seed must be non-negative, got -1"),
        ("seed", TypeError, "rng must be None, an int seed or a numpy.random.Generator"),
    ],
)
def test_bad_rng_is_refused(generate, rng, exc, match):
    with pytest.raises(exc, match=match):
        generate(rng)


# --- make_regression --------------------------------------------------------------


def test_regression_shapes_and_dtypes():
    X, y = make_regression(rng=0)
    assert X.shape == (100, 100) and y.shape == (100,)
    assert X.dtype == y.dtype == np.float64
    X, y, w = make_regression(40, 7, n_targets=3, coef=True, rng=0)
    assert X.shape == (40, 7) and y.shape == (40, 3) and w.shape == (7, 3)


@pytest.mark.parametrize("n_targets", [1, 3])
@pytest.mark.parametrize("bias", [0.0, -2.5])
def test_regression_is_exactly_linear_without_noise(n_targets, bias):
    X, y, w = make_regression(
        60, 12, n_informative=4, n_targets=n_targets, bias=bias, coef=True, rng=1
    )
    # exact: the generator computes the same expression on the same arrays
    np.testing.assert_array_equal(y, X @ w + bias)


def test_regression_coefficients_are_sparse_on_shared_features():
    _, _, w = make_regression(10, 30, n_informative=6, n_targets=4, coef=True, rng=2)
    support = np.flatnonzero(np.any(w != 0, axis=1))
    assert support.size == 6
    assert np.all(w[support] > 0) and np.all(w[support] < 100)
    # the informative features are drawn at random, not always the first ones
    supports = {
        tuple(np.flatnonzero(make_regression(5, 30, n_informative=6, coef=True, rng=s)[2]))
        for s in range(5)
    }
    assert len(supports) > 1


def test_regression_n_informative_is_clipped_to_n_features():
    _, _, w = make_regression(20, 5, coef=True, rng=0)  # default n_informative=10
    assert np.count_nonzero(w) == 5


def test_regression_zero_informative_gives_constant_response():
    _, y, w = make_regression(20, 5, n_informative=0, bias=3.0, coef=True, rng=0)
    assert not w.any()
    np.testing.assert_array_equal(y, np.full(20, 3.0))


def test_regression_noise_has_the_stated_standard_deviation():
    X, y, w = make_regression(20000, 4, n_informative=2, noise=2.0, bias=1.0, coef=True, rng=3)
    residual = y - (X @ w + 1.0)
    # the sample sd of 20000 normals has relative sd 1/sqrt(2n) = 0.005; 0.03 is 6 sigma
    assert abs(residual.std() / 2.0 - 1.0) < 0.03
    assert abs(residual.mean()) < 6 * 2.0 / np.sqrt(20000)


def test_regression_design_is_standard_normal():
    X, _ = make_regression(5000, 8, rng=4)
    # mean: sd 1/sqrt(40000) = 0.005 over all entries; 0.03 is 6 sigma
    assert abs(X.mean()) < 0.03
    assert abs(X.std() - 1.0) < 0.03
    # columns uncorrelated: off-diagonal sd 1/sqrt(5000) = 0.014; 0.08 is ~6 sigma
    corr = np.corrcoef(X, rowvar=False)
    assert np.abs(corr - np.eye(8)).max() < 0.08


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"n_samples": 0}, ValueError, "n_samples must be >= 1, got 0"),
        ({"n_samples": 2.0}, TypeError, "n_samples must be an integer, got float 2.0"),
        ({"n_features": 0}, ValueError, "n_features must be >= 1, got 0"),
        ({"n_informative": -1}, ValueError, "n_informative must be >= 0, got -1"),
        ({"n_targets": 0}, ValueError, "n_targets must be >= 1, got 0"),
        ({"bias": np.nan}, ValueError, "bias must be finite, got nan"),
        ({"bias": "1"}, TypeError, "bias must be a real number, got str '1'"),
        ({"noise": -0.1}, ValueError, r"noise must be finite and >= 0, got -0.1"),
        ({"noise": np.inf}, ValueError, r"noise must be finite and >= 0, got inf"),
        ({"coef": 1}, TypeError, "coef must be True or False, got int 1"),
    ],
)
def test_regression_validation(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        make_regression(**kwargs)


# --- make_classification ---------------------------------------------------------


def test_classification_shapes_dtypes_and_labels():
    X, y = make_classification(rng=0)
    assert X.shape == (100, 20) and y.shape == (100,)
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert X.flags.c_contiguous
    assert set(np.unique(y)) == {0, 1}
    X, y = make_classification(300, 10, n_informative=4, n_classes=5, rng=0)
    assert set(np.unique(y)) == set(range(5))


def test_classification_balanced_by_default_without_flips():
    _, y = make_classification(1000, 5, n_classes=4, n_informative=3, flip_y=0.0, rng=0)
    assert np.bincount(y).tolist() == [250, 250, 250, 250]


@pytest.mark.parametrize(
    "n_classes, weights, expected",
    [
        (2, [0.1, 0.9], [100, 900]),
        (2, [0.25], [250, 750]),  # n_classes - 1 entries: the last class takes the rest
        (3, [1.0, 1.0, 2.0], [250, 250, 500]),  # full length: normalised
        (3, [0.2, 0.3], [200, 300, 500]),
        (3, [0.5, 0.5], [500, 500, 0]),
    ],
)
def test_classification_class_weights_give_exact_counts(n_classes, weights, expected):
    _, y = make_classification(
        1000, 4, n_informative=3, n_redundant=0, n_classes=n_classes,
        n_clusters_per_class=1, weights=weights, flip_y=0.0, rng=0,
    )
    assert np.bincount(y, minlength=n_classes).tolist() == expected


@settings(max_examples=40, deadline=None)
@given(
    n_samples=st.integers(1, 300),
    raw_weights=st.lists(st.floats(0.01, 10.0), min_size=2, max_size=5),
    n_clusters_per_class=st.integers(1, 2),
    seed=st.integers(0, 2**32 - 1),
)
def test_classification_counts_are_the_rounded_shares(n_samples, raw_weights, n_clusters_per_class, seed):
    n_classes = len(raw_weights)
    _, y = make_classification(
        n_samples, 5, n_informative=4, n_redundant=0, n_classes=n_classes,
        n_clusters_per_class=n_clusters_per_class, weights=raw_weights, flip_y=0.0, rng=seed,
    )
    counts = np.bincount(y, minlength=n_classes)
    share = n_samples * np.asarray(raw_weights) / np.sum(raw_weights)
    assert counts.sum() == n_samples
    # largest-remainder rounding: each count is the floor or the ceiling of its share
    assert np.all(np.abs(counts - share) < 1.0 + 1e-9)


@pytest.mark.parametrize("shuffle", [True, False])
def test_classification_rank_is_informative_plus_noise(shuffle):
    # redundant columns are linear combinations of the informative ones
    X, _ = make_classification(200, 10, n_informative=3, n_redundant=4, shuffle=shuffle, rng=5)
    assert np.linalg.matrix_rank(X) == 10 - 4


def test_classification_unshuffled_column_layout():
    n_inf, n_red = 3, 2
    X, _ = make_classification(
        4000, 9, n_informative=n_inf, n_redundant=n_red, shuffle=False, rng=6
    )
    informative, redundant, noise = X[:, :n_inf], X[:, n_inf:n_inf + n_red], X[:, n_inf + n_red:]
    B, *_ = np.linalg.lstsq(informative, redundant, rcond=None)
    # exact linear combination up to rounding (values are O(10))
    np.testing.assert_allclose(informative @ B, redundant, atol=1e-10)
    assert np.all((B > -1) & (B < 1))  # Uniform(-1, 1) mixing weights
    # the noise columns are N(0, 1): mean sd 1/sqrt(16000) = 0.008; 0.05 is 6 sigma
    assert abs(noise.mean()) < 0.05 and abs(noise.std() - 1.0) < 0.05


@pytest.mark.parametrize("n_informative, class_sep", [(3, 2.0), (40, 5.0)])
def test_classification_cluster_means_sit_on_hypercube_vertices(n_informative, class_sep):
    # one cluster per class, no flips, no shuffle: class means are the centroids
    n_classes, per_class = 4, 2500
    X, y = make_classification(
        n_classes * per_class, n_informative, n_informative=n_informative, n_redundant=0,
        n_classes=n_classes, n_clusters_per_class=1, class_sep=class_sep, flip_y=0.0,
        shuffle=False, rng=7,
    )
    means = np.array([X[y == k].mean(axis=0) for k in range(n_classes)])
    # each coordinate has variance sum_j A_jk^2 <= n_informative, so the sd of a mean
    # is at most sqrt(n_informative / 2500): 0.035 for k=3, 0.13 for k=40; allow 6x
    tol = 6 * np.sqrt(n_informative / per_class)
    np.testing.assert_allclose(np.abs(means), class_sep, atol=tol)
    signs = {tuple(row) for row in np.sign(means).astype(int)}
    assert len(signs) == n_classes  # distinct vertices


def test_classification_larger_class_sep_is_easier():
    # nearest-centroid accuracy on the class means grows with the separation
    def accuracy(sep):
        X, y = make_classification(
            2000, 2, n_informative=2, n_redundant=0, n_clusters_per_class=1,
            class_sep=sep, flip_y=0.0, rng=8,
        )
        means = np.array([X[y == k].mean(axis=0) for k in (0, 1)])
        predicted = np.argmin(((X[:, None, :] - means) ** 2).sum(axis=2), axis=1)
        return np.mean(predicted == y)

    assert accuracy(0.2) < accuracy(1.0) < accuracy(4.0)
    assert accuracy(4.0) > 0.95


def test_classification_flip_y_changes_labels_only():
    X0, y0 = make_classification(20000, 5, n_informative=3, flip_y=0.0, rng=9)
    X1, y1 = make_classification(20000, 5, n_informative=3, flip_y=0.3, rng=9)
    np.testing.assert_array_equal(X0, X1)
    # a flipped label is redrawn uniformly, so it changes with probability 1/2 for two
    # classes: expected fraction 0.15, sd sqrt(0.15 * 0.85 / 20000) = 0.0025; 0.015 is 6 sigma
    assert abs(np.mean(y0 != y1) - 0.15) < 0.015


def test_classification_flip_y_one_gives_uniform_labels():
    _, y = make_classification(6000, 4, n_informative=2, n_redundant=0, n_classes=3,
                               n_clusters_per_class=1, weights=[0.8, 0.1, 0.1],
                               flip_y=1.0, rng=10)
    # every label redrawn uniformly: counts near 2000 each (sd ~37; 250 is ~7 sigma)
    assert np.all(np.abs(np.bincount(y) - 2000) < 250)


def test_classification_unshuffled_rows_come_cluster_by_cluster():
    _, y = make_classification(90, 4, n_classes=3, n_informative=2, n_redundant=0,
                               n_clusters_per_class=1, flip_y=0.0, shuffle=False, rng=0)
    np.testing.assert_array_equal(y, np.repeat([0, 1, 2], 30))


def test_classification_maximal_cluster_count_is_allowed():
    # 2**3 = 8 vertices for 4 classes x 2 clusters: every vertex used
    X, y = make_classification(80, 3, n_informative=3, n_redundant=0, n_classes=4,
                               n_clusters_per_class=2, rng=0)
    assert X.shape == (80, 3) and set(np.unique(y)) <= set(range(4))


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"n_samples": 0}, ValueError, "n_samples must be >= 1, got 0"),
        ({"n_features": 1.5}, TypeError, "n_features must be an integer, got float 1.5"),
        ({"n_informative": 0}, ValueError, "n_informative must be >= 1, got 0"),
        ({"n_redundant": -1}, ValueError, "n_redundant must be >= 0, got -1"),
        ({"n_classes": 1}, ValueError, "n_classes must be >= 2, got 1"),
        ({"n_clusters_per_class": 0}, ValueError, "n_clusters_per_class must be >= 1, got 0"),
        (
            {"n_features": 4, "n_informative": 3, "n_redundant": 2},
            ValueError,
            r"n_informative \+ n_redundant = 3 \+ 2 = 5 must be <= n_features=4",
        ),
        (
            {"n_informative": 2, "n_classes": 3, "n_clusters_per_class": 2},
            ValueError,
            r"n_classes \* n_clusters_per_class = 6 must be <= 2\*\*n_informative = 4",
        ),
        ({"class_sep": -1.0}, ValueError, "class_sep must be finite and >= 0, got -1.0"),
        ({"flip_y": 1.5}, ValueError, r"flip_y must lie in \[0, 1\], got 1.5"),
        ({"flip_y": "0.1"}, TypeError, "flip_y must be a real number, got str"),
        (
            {"weights": [0.2, 0.3, 0.5]},
            ValueError,
            r"weights must have n_classes=2 or n_classes - 1=1 entries, got 3",
        ),
        ({"weights": [-0.1, 1.1]}, ValueError, r"weights must be non-negative, got \[-0.1, 1.1\]"),
        ({"weights": [1.2]}, ValueError, "must sum to at most 1; got sum 1.2"),
        ({"weights": [0.0, 0.0]}, ValueError, "weights must not all be zero"),
        ({"weights": [np.nan, 0.5]}, ValueError, "weights contains NaN"),
        ({"weights": [[0.5, 0.5]]}, ValueError, r"weights must be 1-D, got an array of shape \(1, 2\)"),
        ({"shuffle": "no"}, TypeError, "shuffle must be True or False, got str 'no'"),
    ],
)
def test_classification_validation(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        make_classification(**kwargs)


# --- make_blobs ------------------------------------------------------------------


def test_blobs_defaults():
    X, y = make_blobs(rng=0)
    assert X.shape == (100, 2) and y.shape == (100,)
    assert X.dtype == np.float64 and y.dtype == np.int64
    # 100 split over the default 3 centres, the first one taking the remainder
    assert np.bincount(y).tolist() == [34, 33, 33]


def test_blobs_random_centres_lie_in_the_box():
    _, _, C = make_blobs(10, 4, centers=50, center_box=(2.0, 3.0), return_centers=True, rng=0)
    assert C.shape == (50, 4)
    assert np.all((C >= 2.0) & (C <= 3.0))


def test_blobs_means_and_spreads_match_centres():
    centres = np.array([[0.0, 0.0, 0.0], [6.0, -3.0, 1.0], [-4.0, 8.0, 2.0]])
    stds = [0.5, 1.0, 2.0]
    n_per = 4000
    X, y, C = make_blobs(3 * n_per, centers=centres, cluster_std=stds, return_centers=True, rng=11)
    np.testing.assert_array_equal(C, centres)
    assert X.shape == (3 * n_per, 3)  # n_features taken from the centres
    for k, (centre, sd) in enumerate(zip(centres, stds)):
        points = X[y == k]
        assert points.shape[0] == n_per
        # the mean of 4000 points has sd sd/sqrt(4000) per coordinate; allow 6 sigma
        np.testing.assert_allclose(points.mean(axis=0), centre, atol=6 * sd / np.sqrt(n_per))
        # sample sd: relative sd 1/sqrt(2 * 4000) = 0.011; allow 0.05 (~4.5 sigma)
        np.testing.assert_allclose(points.std(axis=0), sd, rtol=0.05)


def test_blobs_per_centre_counts():
    X, y = make_blobs([5, 0, 12], n_features=3, rng=0)
    assert X.shape == (17, 3)
    assert np.bincount(y, minlength=3).tolist() == [5, 0, 12]
    _, y = make_blobs(np.array([3, 4]), centers=[[0.0], [1.0]], rng=0)
    assert np.bincount(y).tolist() == [3, 4]


def test_blobs_zero_std_puts_every_point_on_its_centre():
    X, y, C = make_blobs(20, centers=4, cluster_std=0.0, return_centers=True, rng=0)
    np.testing.assert_array_equal(X, C[y])


def test_blobs_unshuffled_rows_come_blob_by_blob():
    _, y = make_blobs(10, centers=3, shuffle=False, rng=0)
    np.testing.assert_array_equal(y, [0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
    _, y = make_blobs(300, centers=3, shuffle=True, rng=0)
    assert np.any(np.diff(y) < 0)


def test_blobs_return_centres_is_a_copy_of_the_input():
    centres = np.array([[1.0, 2.0], [3.0, 4.0]])
    _, _, C = make_blobs(10, centers=centres, return_centers=True, rng=0)
    C[0, 0] = 99.0
    assert centres[0, 0] == 1.0


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"n_samples": 0}, ValueError, "n_samples must be >= 1, got 0"),
        ({"n_samples": 2.5}, TypeError, "n_samples must be an int or a non-empty 1-D sequence of ints"),
        ({"n_samples": True}, TypeError, "n_samples must be an int or a non-empty 1-D sequence of ints"),
        ({"n_samples": []}, TypeError, "n_samples must be an int or a non-empty 1-D sequence of ints"),
        ({"n_samples": [1.5, 2]}, TypeError, "n_samples must be an int or a non-empty 1-D sequence"),
        ({"n_samples": "10"}, TypeError, "n_samples must be an int or a non-empty 1-D sequence"),
        ({"n_samples": [3, -1]}, ValueError, r"n_samples counts must be >= 0, got \[3, -1\]"),
        ({"n_samples": [0, 0]}, ValueError, "n_samples counts must add up to at least 1"),
        (
            {"n_samples": [10, 10], "centers": 3},
            ValueError,
            "n_samples has 2 counts but there are 3 centres",
        ),
        (
            {"n_samples": [10, 10], "centers": [[0.0, 0.0]]},
            ValueError,
            "n_samples has 2 counts but there are 1 centres",
        ),
        ({"n_features": 0}, ValueError, "n_features must be >= 1, got 0"),
        ({"centers": 0}, ValueError, "centers must be >= 1, got 0"),
        ({"centers": [1.0, 2.0]}, ValueError, r"centers must be 2-D, got .*1-D array of shape \(2,\)"),
        ({"centers": [[0.0, np.inf]]}, ValueError, "centers contains inf"),
        ({"centers": np.empty((0, 2))}, ValueError, r"centers has 0 .*shape.*\(0, 2\)"),
        ({"cluster_std": -1.0}, ValueError, "cluster_std must be finite and >= 0, got -1.0"),
        ({"cluster_std": [1.0, 2.0]}, ValueError, "cluster_std has 2 entries but there are 3 centres"),
        ({"cluster_std": [1.0, -2.0, 1.0]}, ValueError, r"cluster_std must be >= 0, got \[1.0, -2.0, 1.0\]"),
        ({"cluster_std": [1.0, np.nan, 1.0]}, ValueError, "cluster_std contains NaN"),
        ({"center_box": (1.0, 1.0)}, ValueError, r"center_box must be a pair \(low, high\) with low < high"),
        ({"center_box": (0.0, 1.0, 2.0)}, ValueError, r"center_box must be a pair \(low, high\)"),
        ({"center_box": (0.0, np.inf)}, ValueError, "center_box contains inf"),
        ({"shuffle": None}, TypeError, "shuffle must be True or False, got NoneType None"),
        ({"return_centers": "y"}, TypeError, "return_centers must be True or False, got str 'y'"),
    ],
)
def test_blobs_validation(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        make_blobs(**kwargs)
