"""PCA on Dask arrays and DataFrames against PCA(svd_solver="covariance_eigh") in memory.

Tolerance 1e-10 relative (the issue's) for the spectrum; the components are compared by
the sine of the largest principal angle between the subspaces (<= 1e-10) and, with the
deterministic sign convention, entry by entry.
"""

import numpy as np
import pytest
import scipy.linalg

da = pytest.importorskip("dask.array", reason="the dask extra is not installed")

from mlfoundations.models import PCA  # noqa: E402

RTOL = 1e-10


@pytest.fixture
def data(rng):
    # distinct variances 25, 9, 4, 1, 0.25 along random axes, the mean far from 0
    Q, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    Z = rng.normal(size=(1000, 5)) * [5.0, 3.0, 2.0, 1.0, 0.5]
    return Z @ Q.T + [10.0, -3.0, 0.0, 50.0, 2.0]


def assert_same_pca(dask_fit, numpy_fit):
    for name in ("explained_variance_", "explained_variance_ratio_", "singular_values_", "mean_"):
        np.testing.assert_allclose(getattr(dask_fit, name), getattr(numpy_fit, name), rtol=RTOL,
                                   err_msg=name)
    np.testing.assert_allclose(dask_fit.noise_variance_, numpy_fit.noise_variance_, rtol=RTOL)
    assert dask_fit.n_components_ == numpy_fit.n_components_
    assert dask_fit.n_samples_ == numpy_fit.n_samples_
    angles = scipy.linalg.subspace_angles(dask_fit.components_.T, numpy_fit.components_.T)
    assert np.sin(angles).max() <= 1e-10
    np.testing.assert_allclose(dask_fit.components_, numpy_fit.components_, rtol=0, atol=1e-10)
    assert isinstance(dask_fit.components_, np.ndarray)


@pytest.mark.parametrize("n_components", [None, 1, 3, 0.9])
def test_pca_equals_covariance_eigh(data, split, n_components):
    dask_fit = PCA(n_components).fit(split(data))
    numpy_fit = PCA(n_components, svd_solver="covariance_eigh").fit(data)
    assert_same_pca(dask_fit, numpy_fit)


def test_scratch_solver_and_whitening(data, split):
    dask_fit = PCA(2, svd_solver="scratch", whiten=True).fit(split(data))
    numpy_fit = PCA(2, svd_solver="covariance_eigh", whiten=True).fit(data)
    assert_same_pca(dask_fit, numpy_fit)
    lazy = dask_fit.transform(split(data))
    assert isinstance(lazy, da.Array)
    np.testing.assert_allclose(lazy.compute(), numpy_fit.transform(data), rtol=1e-9, atol=1e-12)


def test_fit_transform_is_lazy(data, split):
    Z = PCA(3).fit_transform(split(data))
    assert isinstance(Z, da.Array)
    expected = PCA(3, svd_solver="covariance_eigh").fit_transform(data)
    np.testing.assert_allclose(Z.compute(), expected, rtol=1e-9, atol=1e-12)


def test_empty_chunks_and_column_chunks(data, split_empty, client):
    numpy_fit = PCA(3, svd_solver="covariance_eigh").fit(data)
    assert_same_pca(PCA(3).fit(split_empty(data)), numpy_fit)
    assert_same_pca(PCA(3).fit(da.from_array(data, chunks=(100, 2))), numpy_fit)


def test_float32_keeps_its_dtype(data, split):
    dask_fit = PCA(2).fit(split(data.astype(np.float32)))
    numpy_fit = PCA(2, svd_solver="covariance_eigh").fit(data.astype(np.float32))
    assert dask_fit.components_.dtype == np.float32
    np.testing.assert_allclose(dask_fit.explained_variance_, numpy_fit.explained_variance_,
                               rtol=1e-6)


def test_dataframe_with_feature_names(data, frame):
    names = ["a", "b", "c", "d", "e"]
    ddf = frame(dict(zip(names, data.T)))
    dask_fit = PCA(2).fit(ddf)
    assert list(dask_fit.feature_names_in_) == names
    assert_same_pca(dask_fit, PCA(2, svd_solver="covariance_eigh").fit(data))


def test_solvers_that_need_the_whole_matrix_are_refused(data, split):
    for solver in ("full", "randomized"):
        with pytest.raises(ValueError, match=f"svd_solver='{solver}' needs the whole matrix"):
            PCA(2, svd_solver=solver).fit(split(data))


def test_errors_match_numpy(data, split):
    with pytest.raises(ValueError, match=r"n_components=6 must be between 1 and "
                                         r"min\(n_samples, n_features\)=5"):
        PCA(6).fit(split(data))
    with pytest.raises(ValueError, match="PCA needs at least 2 samples"):
        PCA().fit(split(data[:1]))
    bad = data.copy()
    bad[700, 1] = np.inf
    with pytest.raises(ValueError, match="^X contains inf; remove or impute"):
        PCA(2).fit(bad)
    with pytest.raises(ValueError, match="^X contains inf; remove or impute"):
        PCA(2).fit(split(bad))
    with pytest.raises(ValueError, match="X has 4 features, but PCA is expecting 5"):
        PCA(2).fit(split(data)).transform(split(data[:, :4]))
