"""Bundled data sets (checked value for value against scikit-learn's copies) and
the formula-drawn sample image."""

import dataclasses
import gzip
from importlib import resources

import numpy as np
import pytest

from mlfoundations.datasets import Dataset, load_diabetes, load_digits, load_iris, sample_image

sklearn_datasets = pytest.importorskip("sklearn.datasets")

LOADERS = [load_iris, load_digits, load_diabetes]


# --- Iris ------------------------------------------------------------------------


def test_iris_matches_scikit_learn_exactly():
    ours, ref = load_iris(), sklearn_datasets.load_iris()
    np.testing.assert_array_equal(ours.X, ref.data)
    np.testing.assert_array_equal(ours.y, ref.target)
    assert ours.target_names == tuple(ref.target_names)


def test_iris_shape_dtypes_and_balanced_classes():
    data = load_iris()
    assert data.X.shape == (150, 4) and data.X.dtype == np.float64
    assert data.y.shape == (150,) and data.y.dtype == np.int64
    assert np.bincount(data.y).tolist() == [50, 50, 50]
    # classes come in blocks of 50, setosa first
    np.testing.assert_array_equal(data.y, np.repeat([0, 1, 2], 50))
    assert data.feature_names == (
        "sepal_length_cm",
        "sepal_width_cm",
        "petal_length_cm",
        "petal_width_cm",
    )
    assert data.target_names == ("setosa", "versicolor", "virginica")


def test_iris_carries_fishers_corrections_to_samples_35_and_38():
    X = load_iris().X
    np.testing.assert_array_equal(X[34], [4.9, 3.1, 1.5, 0.2])
    np.testing.assert_array_equal(X[37], [4.9, 3.6, 1.4, 0.1])


# --- Digits ----------------------------------------------------------------------


def test_digits_matches_scikit_learn_exactly():
    ours, ref = load_digits(), sklearn_datasets.load_digits()
    np.testing.assert_array_equal(ours.X, ref.data)
    np.testing.assert_array_equal(ours.y, ref.target)
    assert ours.feature_names == tuple(ref.feature_names)


def test_digits_shape_range_and_class_counts():
    data = load_digits()
    assert data.X.shape == (1797, 64) and data.X.dtype == np.float64
    assert data.y.shape == (1797,) and data.y.dtype == np.int64
    assert data.X.min() == 0.0 and data.X.max() == 16.0
    np.testing.assert_array_equal(data.X, np.round(data.X))  # block counts are integers
    # the per-class counts of the UCI test partition
    assert np.bincount(data.y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert data.target_names == tuple("0123456789")
    assert data.feature_names[0] == "pixel_0_0" and data.feature_names[-1] == "pixel_7_7"


# --- Diabetes --------------------------------------------------------------------


def test_diabetes_raw_matches_scikit_learn_exactly():
    ours, ref = load_diabetes(scaled=False), sklearn_datasets.load_diabetes(scaled=False)
    np.testing.assert_array_equal(ours.X, ref.data)
    np.testing.assert_array_equal(ours.y, ref.target)
    assert ours.feature_names == tuple(ref.feature_names)


def test_diabetes_scaled_matches_scikit_learn():
    ours, ref = load_diabetes(), sklearn_datasets.load_diabetes()
    # the same column transform computed in a different order: agree to 1e-12
    np.testing.assert_allclose(ours.X, ref.data, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ours.y, ref.target)


def test_diabetes_scaled_columns_have_mean_zero_and_unit_norm():
    data = load_diabetes(scaled=True)
    assert data.X.shape == (442, 10) and data.X.dtype == np.float64
    assert data.y.shape == (442,) and data.y.dtype == np.float64
    assert data.target_names == ()
    # tolerance: a few ulps times n_samples = 442
    np.testing.assert_allclose(data.X.mean(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(np.linalg.norm(data.X, axis=0), 1.0, rtol=1e-14)
    # the target is never scaled
    np.testing.assert_array_equal(data.y, load_diabetes(scaled=False).y)
    assert data.y.min() == 25.0 and data.y.max() == 346.0


def test_diabetes_scaled_is_the_affine_image_of_raw():
    raw, scaled = load_diabetes(scaled=False).X, load_diabetes().X
    centred = raw - raw.mean(axis=0)
    np.testing.assert_allclose(scaled, centred / np.sqrt((centred**2).sum(axis=0)), rtol=1e-13, atol=1e-16)


def test_diabetes_descriptions_say_which_scaling():
    assert "scaled" in load_diabetes().description
    assert "raw measurements" in load_diabetes(scaled=False).description


@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_diabetes_rejects_non_bool_scaled(bad):
    with pytest.raises(TypeError, match="scaled must be True or False"):
        load_diabetes(scaled=bad)


def test_diabetes_scaled_is_keyword_only():
    with pytest.raises(TypeError, match="positional argument"):
        load_diabetes(True)


# --- the Dataset contract, for every loader -------------------------------------


@pytest.mark.parametrize("loader", LOADERS)
def test_unpacks_as_X_then_y(loader):
    data = loader()
    X, y = data
    assert X is data.X and y is data.y
    items = list(data)
    assert len(items) == 2 and items[0] is data.X and items[1] is data.y
    assert data.n_samples == X.shape[0] == y.shape[0]
    assert data.n_features == X.shape[1] == len(data.feature_names)
    assert all(isinstance(name, str) for name in data.feature_names + data.target_names)
    if data.target_names:
        assert set(np.unique(y)) == set(range(len(data.target_names)))


@pytest.mark.parametrize("loader", LOADERS)
def test_each_call_returns_fresh_writable_copies(loader):
    first = loader()
    expected_X, expected_y = first.X.copy(), first.y.copy()
    assert first.X.flags.writeable and first.y.flags.writeable
    first.X[...] = -1.0
    first.y[...] = 0
    second = loader()
    assert not np.shares_memory(first.X, second.X)
    assert not np.shares_memory(first.y, second.y)
    np.testing.assert_array_equal(second.X, expected_X)
    np.testing.assert_array_equal(second.y, expected_y)


@pytest.mark.parametrize("loader", LOADERS)
def test_dataset_is_frozen_and_c_contiguous(loader):
    data = loader()
    assert isinstance(data, Dataset)
    assert data.X.flags.c_contiguous
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.X = np.zeros(3)


@pytest.mark.parametrize(
    "loader, words",
    [
        (load_iris, ["Fisher", "1936", "UCI", "CC BY 4.0"]),
        (load_digits, ["Alpaydin", "Kaynak", "1998", "UCI", "CC BY 4.0"]),
        (load_diabetes, ["Efron", "Hastie", "Johnstone", "Tibshirani", "Least angle regression"]),
    ],
)
def test_descriptions_and_docstrings_cite_the_source(loader, words):
    data = loader()
    for word in words:
        assert word in data.description
        assert word.lower() in loader.__doc__.lower()


def test_repr_is_short_and_informative():
    text = repr(load_iris())
    assert text == (
        "Dataset(n_samples=150, n_features=4, 3 classes, X dtype=float64, y dtype=int64)"
    )
    assert "regression" in repr(load_diabetes())


def test_package_data_files_have_the_documented_layout():
    data_dir = resources.files("mlfoundations.datasets").joinpath("data")
    assert data_dir.joinpath("README.md").is_file()
    for name, loader in [("iris", load_iris), ("digits", load_digits), ("diabetes", load_diabetes)]:
        text = gzip.decompress(data_dir.joinpath(f"{name}.csv.gz").read_bytes()).decode("ascii")
        header, *rows = text.strip().split("\n")
        names = header.split(",")
        assert tuple(names[:-1]) == loader().feature_names
        assert len(rows) == loader().n_samples
        assert all(len(row.split(",")) == len(names) for row in rows)


# --- sample_image ----------------------------------------------------------------


@pytest.mark.parametrize("size", [8, 9, 64, 128, 257])
def test_sample_image_shape_dtype_and_range(size):
    img = sample_image(size)
    assert img.shape == (size, size) and img.dtype == np.float64
    assert img.min() >= 0.0 and img.max() <= 1.0
    assert np.isfinite(img).all()


def test_sample_image_default_size_is_128():
    assert sample_image().shape == (128, 128)


def test_sample_image_is_deterministic_and_fresh():
    a, b = sample_image(64), sample_image(64)
    np.testing.assert_array_equal(a, b)
    a[...] = 0.0
    assert sample_image(64).max() > 0.5


def test_sample_image_is_not_flat():
    img = sample_image(128)
    assert img.max() - img.min() > 0.8  # near black disc and near white sun
    assert img.std() > 0.1


def test_sample_image_shows_the_same_scene_at_every_size():
    # 2x2 block means of the 256 picture against the 128 one: the scene is sampled
    # from the same formulas, so only the anti-aliased edges differ (mean |diff|
    # below 0.01, measured 0.0024)
    big, small = sample_image(256), sample_image(128)
    pooled = big.reshape(128, 2, 128, 2).mean(axis=(1, 3))
    assert np.abs(pooled - small).mean() < 0.01


def test_sample_image_low_rank_structure():
    img = sample_image(128)
    s = np.linalg.svd(img, compute_uv=False)
    energy = np.cumsum(s**2) / np.sum(s**2)
    # Eckart-Young: relative Frobenius error of the best rank-k approximation is
    # sqrt(1 - energy[k-1]). Rank 1 leaves visible structure, rank 30 almost none,
    # and the picture is full rank (no trivial low-rank image).
    assert np.sqrt(1 - energy[0]) > 0.2
    assert np.sqrt(1 - energy[29]) < 0.05
    assert np.all(np.diff(s) <= 1e-12)
    assert np.linalg.matrix_rank(img) > 64


def test_sample_image_accepts_numpy_integers():
    np.testing.assert_array_equal(sample_image(np.int64(16)), sample_image(16))


@pytest.mark.parametrize(
    "size, exc, match",
    [
        (7, ValueError, "size must be >= 8, got 7"),
        (0, ValueError, "size must be >= 8, got 0"),
        (-5, ValueError, "size must be >= 8, got -5"),
        (16.0, TypeError, "size must be an integer, got float 16.0"),
        (True, TypeError, "size must be an integer, got bool True"),
        ("64", TypeError, "size must be an integer, got str '64'"),
    ],
)
def test_sample_image_validates_size(size, exc, match):
    with pytest.raises(exc, match=match):
        sample_image(size)
