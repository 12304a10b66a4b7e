"""PCA against scikit-learn's PCA (the reference) and against its own identities."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from mlfoundations.exceptions import LinAlgError, NotFittedError
from mlfoundations.models import PCA

sk_decomposition = pytest.importorskip("sklearn.decomposition")

EXACT = ("covariance_eigh", "full", "scratch")
ATTRIBUTES = ("components_", "explained_variance_", "explained_variance_ratio_", "singular_values_", "mean_")


def correlated(rng, n_samples, n_features, offset=0.0):
    """X = Z A + offset: Gaussian data with a non-trivial covariance A^T A."""
    A = rng.standard_normal((n_features, n_features))
    return rng.standard_normal((n_samples, n_features)) @ A + offset


def assert_matches_sklearn(ours, theirs, rtol=1e-10):
    for name in ATTRIBUTES:
        a, b = getattr(ours, name), getattr(theirs, name)
        assert a.shape == b.shape, name
        # components and means compared in absolute terms (entries of unit vectors)
        atol = 1e-10 * max(1.0, np.abs(b).max()) if name in ("components_", "mean_") else 0
        assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=name)
    assert_allclose(ours.noise_variance_, theirs.noise_variance_, rtol=1e-9, atol=1e-12)
    assert ours.n_components_ == theirs.n_components_


# scikit-learn's own "scratch" has no counterpart: it is compared with "full"/"covariance_eigh".
@pytest.mark.parametrize("solver", EXACT)
@pytest.mark.parametrize("shape", [(500, 8), (60, 12), (25, 40), (3000, 30)])
@pytest.mark.parametrize("n_components", [None, 3, 0.8])
def test_matches_sklearn_exact_solvers(rng, solver, shape, n_components):
    X = correlated(rng, *shape, offset=2.5)
    ours = PCA(n_components, svd_solver=solver).fit(X)
    if n_components is None and shape[0] < shape[1]:
        # the trailing axis spans a null space (rank n-1 after centring): arbitrary basis
        n_components = shape[0] - 1
        ours = PCA(n_components, svd_solver=solver).fit(X)
    ref_solver = "full" if solver == "scratch" else solver
    if ref_solver == "covariance_eigh" and shape[0] < shape[1]:
        ref_solver = "full"
        ours = PCA(n_components, svd_solver="full").fit(X) if solver != "scratch" else ours
    theirs = sk_decomposition.PCA(n_components, svd_solver=ref_solver).fit(X)
    assert_matches_sklearn(ours, theirs)
    assert_allclose(ours.transform(X), theirs.transform(X), atol=1e-9 * np.abs(X).max())
    Z = ours.transform(X)
    assert_allclose(ours.inverse_transform(Z), theirs.inverse_transform(Z), atol=1e-9 * np.abs(X).max())


def test_auto_follows_sklearn_policy(rng):
    """auto picks covariance_eigh for tall data, full for small data."""
    for shape in [(2000, 20), (100, 30)]:
        X = correlated(rng, *shape)
        assert_matches_sklearn(PCA(5).fit(X), sk_decomposition.PCA(5).fit(X))


@pytest.mark.parametrize("whiten", [False, True])
def test_whiten_transform_and_inverse(rng, whiten):
    X = correlated(rng, 400, 6, offset=-1.0)
    ours = PCA(4, whiten=whiten).fit(X)
    theirs = sk_decomposition.PCA(4, whiten=whiten).fit(X)
    Z = ours.transform(X)
    assert_allclose(Z, theirs.transform(X), atol=1e-10)
    assert_allclose(ours.fit_transform(X), Z, atol=1e-10)
    assert_allclose(ours.inverse_transform(Z), theirs.inverse_transform(Z), atol=1e-10)
    if whiten:
        # whitened scores have unit sample variance and are uncorrelated
        assert_allclose(np.cov(Z, rowvar=False), np.eye(4), atol=1e-10)


@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "randomized"])
def test_float32_input_keeps_float32_like_sklearn(rng, solver):
    X = correlated(rng, 200, 6).astype(np.float32)
    ours = PCA(3, svd_solver=solver, random_state=0).fit(X)
    theirs = sk_decomposition.PCA(3, svd_solver=solver, random_state=0).fit(X)
    for name in ATTRIBUTES:
        assert getattr(ours, name).dtype == getattr(theirs, name).dtype == np.float32, name
    assert ours.transform(X).dtype == ours.fit_transform(X).dtype == np.float32
    assert ours.transform(X.astype(np.float64)).dtype == np.float64
    assert ours.inverse_transform(ours.transform(X)).dtype == np.float32
    assert PCA(3).fit(X.astype(np.float64)).transform(X).dtype == np.float64
    if solver != "randomized":
        # float32 rounding of values computed in float64: within float32 eps of sklearn's
        assert_allclose(ours.components_, theirs.components_, atol=1e-5)
        assert_allclose(ours.explained_variance_, theirs.explained_variance_, rtol=1e-5)


@pytest.mark.parametrize("scale", [1e-170, 1e-200])
def test_singular_values_survive_when_their_squares_underflow(rng, scale):
    # s^2 / (n - 1) underflows to 0 (or to subnormals) but s itself is representable
    X = correlated(rng, 30, 3) * scale
    ours = PCA(svd_solver="full").fit(X)
    # scikit-learn's singular_values_ (its S), without its 0/0 warning on the ratios
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    assert_allclose(ours.singular_values_, s, rtol=1e-10)
    assert np.all(np.isfinite(ours.singular_values_)) and np.all(ours.singular_values_ > 0)


def test_full_rank_reconstruction_is_exact(rng):
    X = correlated(rng, 50, 7)
    pca = PCA().fit(X)
    assert_allclose(pca.inverse_transform(pca.transform(X)), X, atol=1e-11)
    # the variances add up to the total variance
    assert_allclose(pca.explained_variance_.sum(), X.var(axis=0, ddof=1).sum(), rtol=1e-12)
    assert_allclose(pca.explained_variance_ratio_.sum(), 1.0, rtol=1e-12)


def test_sign_convention_largest_entry_positive(rng):
    X = correlated(rng, 300, 10)
    for solver in EXACT:
        C = PCA(svd_solver=solver).fit(X).components_
        assert np.all(C[np.arange(len(C)), np.abs(C).argmax(axis=1)] > 0)
    # flipping the data does not flip the components: deterministic signs
    assert_allclose(PCA(3).fit(X).components_, PCA(3).fit(-X).components_, atol=1e-12)


def test_variance_fraction_selects_fewest_components(rng):
    X = correlated(rng, 500, 10)
    ratio = PCA().fit(X).explained_variance_ratio_
    cumulative = np.cumsum(ratio)
    for fraction in (0.5, 0.9, 0.99):
        k = PCA(fraction).fit(X).n_components_
        assert cumulative[k - 1] > fraction and (k == 1 or cumulative[k - 2] <= fraction)


def test_large_offset_keeps_accuracy(rng):
    """Mean 1e6 x spread: the one-pass Gram would cancel ~12 digits; the fallback does not."""
    Z = correlated(rng, 5000, 5)
    X = Z + 1e6
    ev = PCA(svd_solver="covariance_eigh").fit(X).explained_variance_
    exact = np.linalg.svd(Z - Z.mean(axis=0), compute_uv=False) ** 2 / (len(Z) - 1)
    assert_allclose(ev, exact, rtol=1e-8)


def test_randomized_close_to_exact_on_decaying_spectrum(rng):
    n, p = 2000, 300
    U, _ = np.linalg.qr(rng.standard_normal((n, p)))
    V, _ = np.linalg.qr(rng.standard_normal((p, p)))
    s = 100.0 * 0.7 ** np.arange(p)
    X = (U * s) @ V.T
    exact = PCA(10, svd_solver="full").fit(X)
    approx = PCA(10, svd_solver="randomized", random_state=0).fit(X)
    assert_allclose(approx.explained_variance_, exact.explained_variance_, rtol=1e-8)
    assert_allclose(np.abs(approx.components_ @ exact.components_.T), np.eye(10), atol=1e-6)
    # same seed, same answer
    again = PCA(10, svd_solver="randomized", random_state=0).fit(X)
    assert_allclose(again.components_, approx.components_, rtol=0, atol=0)


def test_probabilistic_pca_likelihood_matches_sklearn(rng):
    X = correlated(rng, 300, 8)
    ours = PCA(3).fit(X)
    theirs = sk_decomposition.PCA(3).fit(X)
    assert_allclose(ours.get_covariance(), theirs.get_covariance(), rtol=1e-10)
    assert_allclose(ours.get_precision(), theirs.get_precision(), rtol=1e-8)
    assert_allclose(ours.get_precision() @ ours.get_covariance(), np.eye(8), atol=1e-10)
    assert_allclose(ours.score_samples(X), theirs.score_samples(X), rtol=1e-10)
    assert_allclose(ours.score(X), theirs.score(X), rtol=1e-10)


def test_precision_of_singular_model_raises(rng):
    X = correlated(rng, 30, 4)
    pca = PCA(2).fit(X)
    pca.noise_variance_ = 0.0
    with pytest.raises(LinAlgError, match="singular"):
        pca.get_precision()


def test_feature_names_out(rng):
    pca = PCA(3).fit(correlated(rng, 40, 5))
    assert list(pca.get_feature_names_out()) == ["pca0", "pca1", "pca2"]


@pytest.mark.parametrize(
    "X, error, match",
    [
        ([[1.0, np.nan], [2.0, 3.0], [3.0, 1.0]], ValueError, "NaN"),
        ([[1.0, np.inf], [2.0, 3.0], [3.0, 1.0]], ValueError, "inf"),
        ([1.0, 2.0, 3.0], ValueError, "2-D"),
        (np.zeros((0, 3)), ValueError, "0 sample"),
        ([[1.0, 2.0]], ValueError, "n_samples=1"),
        ([["a", "b"], ["c", "d"]], ValueError, "must hold numbers"),
    ],
)
def test_bad_input_raises(X, error, match):
    with pytest.raises(error, match=match):
        PCA().fit(X)


def test_nan_detected_in_covariance_path(rng):
    """The covariance path checks finiteness on the Gram matrix; it must still name NaN."""
    X = correlated(rng, 50_000, 5)
    X[123, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        PCA(svd_solver="covariance_eigh").fit(X)
    X[123, 2] = 1e200
    with pytest.raises(ValueError, match="overflows"):
        PCA(svd_solver="covariance_eigh").fit(X)


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"n_components": 0}, ValueError, "between 1 and"),
        ({"n_components": 9}, ValueError, r"min\(n_samples, n_features\)=5"),
        ({"n_components": 1.5}, ValueError, r"\(0, 1\)"),
        ({"n_components": "mle"}, TypeError, "n_components"),
        ({"svd_solver": "arpack"}, ValueError, "svd_solver"),
        ({"svd_solver": "randomized", "n_components": 0.5}, ValueError, "int n_components"),
        ({"whiten": "yes"}, TypeError, "whiten"),
        ({"iterated_power": -1}, ValueError, "iterated_power"),
    ],
)
def test_bad_parameters_raise_in_fit(rng, params, error, match):
    pca = PCA(**params)  # constructing never validates (scikit-learn's contract)
    with pytest.raises(error, match=match):
        pca.fit(correlated(rng, 20, 5))


def test_unfitted_and_wrong_width(rng):
    with pytest.raises(NotFittedError, match="not fitted"):
        PCA().transform(np.ones((2, 2)))
    pca = PCA(2).fit(correlated(rng, 20, 5))
    with pytest.raises(ValueError, match="X has 4 features, but PCA is expecting 5"):
        pca.transform(np.ones((3, 4)))
    with pytest.raises(ValueError, match="n_components_=2"):
        pca.inverse_transform(np.ones((3, 3)))


def test_passes_sklearn_check_estimator():
    from sklearn.utils.estimator_checks import check_estimator

    results = check_estimator(PCA(), on_fail=None)
    failed = [(r["check_name"], str(r["exception"])[:200]) for r in results if r["status"] == "failed"]
    assert not failed, failed
    assert len(results) > 30
