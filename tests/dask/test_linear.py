"""LinearRegression and Ridge on Dask arrays and DataFrames against the in-memory fits.

Every Dask result is compared with the NumPy result on the same data; tolerance 1e-10
relative (the issue's), unless a test says otherwise and why.
"""

import numpy as np
import pytest

da = pytest.importorskip("dask.array", reason="the dask extra is not installed")

from mlfoundations.exceptions import IllConditionedWarning  # noqa: E402
from mlfoundations.models import LinearRegression, Ridge  # noqa: E402

RTOL = 1e-10


@pytest.fixture
def data(rng):
    X = rng.normal(size=(1000, 5)) * [1.0, 3.0, 0.5, 2.0, 10.0] + [5.0, -2.0, 0.0, 100.0, 1.0]
    y = X @ np.array([1.5, -0.3, 2.0, 0.01, 0.2]) + 4.0 + rng.normal(size=1000)
    w = rng.uniform(0.1, 3.0, size=1000)
    return X, y, w


def assert_same_results(dask_fit, numpy_fit, rtol=RTOL):
    a, b = dask_fit.results_, numpy_fit.results_
    np.testing.assert_allclose(dask_fit.coef_, numpy_fit.coef_, rtol=rtol)
    np.testing.assert_allclose(dask_fit.intercept_, numpy_fit.intercept_, rtol=rtol, atol=1e-13)
    assert dask_fit.rank_ == numpy_fit.rank_
    np.testing.assert_allclose(dask_fit.singular_, numpy_fit.singular_, rtol=rtol)
    for name in ("params", "bse", "tvalues", "pvalues"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=rtol, err_msg=name)
    np.testing.assert_allclose(a.conf_int(), b.conf_int(), rtol=rtol)
    np.testing.assert_allclose(a.cov_params(), b.cov_params(), rtol=rtol, atol=1e-14)
    for name in ("nobs", "df_model", "df_resid", "k_constant"):
        assert getattr(a, name) == getattr(b, name), name
    for name in ("ssr", "rsquared", "rsquared_adj", "fvalue", "f_pvalue", "llf", "aic", "bic",
                 "centered_tss", "uncentered_tss"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=rtol, err_msg=name)


@pytest.mark.parametrize("solver", ["auto", "cholesky", "qr", "svd"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_linear_regression_equals_numpy(data, split, solver, fit_intercept, weighted):
    X, y, w = data
    sw = w if weighted else None
    # QR solvers make a second pass (tall-skinny QR, ~10 tasks per block): 8 blocks here
    rows = 37 if solver in ("auto", "cholesky") else 125
    model = LinearRegression(fit_intercept=fit_intercept, solver=solver)
    dask_fit = model.fit(split(X, rows), split(y, rows),
                         sample_weight=split(w, rows) if weighted else None)
    assert isinstance(dask_fit.coef_, np.ndarray) and dask_fit is model
    numpy_fit = LinearRegression(fit_intercept=fit_intercept, solver=solver).fit(X, y, sw)
    assert_same_results(dask_fit, numpy_fit)
    assert dask_fit.results_.weighted == weighted


def test_numpy_weights_and_scalar_weight_beside_dask_x(data, split):
    X, y, w = data
    np_weights = LinearRegression().fit(split(X), split(y), sample_weight=w)
    assert_same_results(np_weights, LinearRegression().fit(X, y, w))
    scalar = LinearRegression().fit(split(X), y, sample_weight=2.0)
    assert_same_results(scalar, LinearRegression().fit(X, y, 2.0))


def test_dataframe_columns(data, frame):
    X, y, _ = data
    ddf = frame({**{f"f{j}": X[:, j] for j in range(5)}, "target": y})
    features = [f"f{j}" for j in range(5)]
    model = LinearRegression().fit(ddf[features], ddf["target"])
    assert_same_results(model, LinearRegression().fit(X, y))
    assert list(model.feature_names_in_) == features
    assert model.results_.param_names == ["const", *features]


def test_dataframe_with_numpy_target(data, frame):
    # the partition lengths are unknown: they are computed first (one extra pass)
    X, y, _ = data
    ddf = frame({f"f{j}": X[:, j] for j in range(5)}, npartitions=5)
    assert_same_results(LinearRegression().fit(ddf, y), LinearRegression().fit(X, y))


def test_differently_chunked_target_and_empty_chunks(data, split, split_empty):
    X, y, w = data
    model = LinearRegression().fit(split_empty(X), split(y, 100), sample_weight=split(w, 250))
    assert_same_results(model, LinearRegression().fit(X, y, w))


def test_column_chunks_are_joined(data, client):
    X, y, _ = data
    dX = da.from_array(X, chunks=(64, 2))
    assert_same_results(LinearRegression().fit(dX, y), LinearRegression().fit(X, y))


def test_near_perfect_fit_takes_the_refinement_pass(rng, split):
    # R^2 = 1 - 1e-12: ssr = q - c . coef from the statistics alone would lose ~12 digits;
    # the second pass (refinement and residuals) must match the in-memory fit
    X = rng.normal(size=(1000, 4))
    y = X @ [1.0, 2.0, 3.0, 4.0] + 4.0 + 1e-6 * rng.normal(size=1000)
    dask_fit, numpy_fit = LinearRegression().fit(split(X), split(y)), LinearRegression().fit(X, y)
    assert numpy_fit.results_.rsquared > 1 - 1e-11
    assert_same_results(dask_fit, numpy_fit)


def test_ill_conditioned_auto_falls_back_to_tsqr(rng, split, monkeypatch):
    # monomials t .. t^7 on [0, 1]: cond(A) ~ 6e4, so the Gram matrix (cond ~ 4e9) fails
    # "auto"'s test and both paths solve by QR; each is accurate to ~eps cond(A) ~ 1e-11,
    # so they agree to ~1e-10 (1e-9 asserted)
    t = np.linspace(0.0, 1.0, 1000)
    X = np.column_stack([t**j for j in range(1, 8)])
    y = X @ [1.0, -2.0, 3.0, -1.0, 0.5, 0.2, -0.1] + 0.1 * rng.normal(size=1000)
    calls = []
    tsqr = da.linalg.tsqr
    monkeypatch.setattr(da.linalg, "tsqr", lambda A, **kw: calls.append(A.shape) or tsqr(A, **kw))
    dask_fit = LinearRegression().fit(split(X), split(y))
    assert calls[0] == (1000, 8)  # (dask's tsqr calls itself on the stacked R factors)
    numpy_fit = LinearRegression().fit(X, y)
    assert np.linalg.cond(X - X.mean(axis=0)) > 1e4
    assert_same_results(dask_fit, numpy_fit, rtol=1e-9)


def test_rank_deficient_gets_the_minimum_norm_solution(data, split):
    X, y, _ = data
    X = np.column_stack([X, X[:, 0] + X[:, 1]])  # a dependent column
    dask_fit = LinearRegression().fit(split(X), split(y))
    numpy_fit = LinearRegression().fit(X, y)
    assert dask_fit.rank_ == numpy_fit.rank_ == 5
    np.testing.assert_allclose(dask_fit.coef_, numpy_fit.coef_, rtol=1e-9)
    np.testing.assert_allclose(dask_fit.results_.bse, numpy_fit.results_.bse, rtol=1e-9)
    with pytest.warns(IllConditionedWarning, match="rank 5 < 6") as record:
        LinearRegression(solver="qr").fit(split(X), split(y))
    assert record[0].filename == __file__  # the warning points at the caller of fit


def test_constant_column_has_coefficient_zero(data, split):
    X, y, _ = data
    X = np.column_stack([X, np.full(1000, 7.0)])
    dask_fit = LinearRegression().fit(split(X), split(y))
    assert dask_fit.coef_[-1] == 0.0
    assert_same_results(dask_fit, LinearRegression().fit(X, y), rtol=1e-9)


def test_partial_fit_continues_a_dask_fit(data, split):
    X, y, _ = data
    model = LinearRegression().fit(split(X[:600]), split(y[:600])).partial_fit(X[600:], y[600:])
    batch = LinearRegression().fit(X, y)
    np.testing.assert_allclose(model.coef_, batch.coef_, rtol=1e-10)
    np.testing.assert_allclose(model.results_.bse, batch.results_.bse, rtol=1e-10)


def test_predict_is_lazy_and_equals_numpy(data, split):
    X, y, _ = data
    model = LinearRegression().fit(split(X), split(y))
    lazy = model.predict(split(X))
    assert isinstance(lazy, da.Array)
    np.testing.assert_allclose(lazy.compute(), model.predict(X), rtol=1e-13)
    with pytest.raises(AttributeError, match="fitted on a Dask collection"):
        model.results_.resid
    with pytest.raises(ValueError, match="X has 4 features, but LinearRegression is expecting 5"):
        model.predict(split(X[:, :4]))


def test_nan_in_one_chunk_is_named(data, split):
    X, y, _ = data
    X, y = X.copy(), y.copy()
    X[500, 2] = np.nan
    with pytest.raises(ValueError, match="^X contains NaN; remove or impute"):
        LinearRegression().fit(X, y)
    with pytest.raises(ValueError, match="^X contains NaN; remove or impute"):
        LinearRegression().fit(split(X), split(y))
    with pytest.raises(ValueError, match="^X contains NaN; remove or impute"):
        Ridge().fit(split(X), split(y))
    y[10] = np.inf
    with pytest.raises(ValueError, match="^y contains inf; remove or impute"):
        LinearRegression().fit(split(X[:, :2]), split(y))


def test_bad_shapes_and_weights_are_refused(data, split):
    X, y, w = data
    with pytest.raises(ValueError, match="y has 999 entries but X has 1000 samples"):
        LinearRegression().fit(split(X), split(y[:999]))
    with pytest.raises(ValueError, match="X must be 2-D, got a 1-D array of shape"):
        LinearRegression().fit(split(y), split(y))
    with pytest.raises(ValueError, match="sample_weight must be non-negative"):
        LinearRegression().fit(split(X), split(y), sample_weight=split(-w))
    with pytest.raises(ValueError, match="sample_weight sums to zero"):
        LinearRegression().fit(split(X), split(y), sample_weight=split(0 * w))
    with pytest.raises(ValueError, match="sample_weight must have a positive sum"):
        Ridge().fit(split(X), split(y), sample_weight=split(0 * w))
    with pytest.raises(ValueError, match=r"X has 0 sample\(s\)"):
        LinearRegression().fit(split(X[:0]), split(y[:0]))
    with pytest.raises(ValueError, match="solver='lu' is not one of"):
        LinearRegression(solver="lu").fit(split(X), split(y))


# --- Ridge ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "solver, alpha", [("auto", 0.1), ("auto", 1e3), ("cholesky", 0.0), ("svd", 0.0), ("svd", 0.1)]
)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_equals_numpy(data, split, solver, alpha, fit_intercept):
    X, y, w = data
    rows = 125 if solver == "svd" else 37  # the SVD makes a tall-skinny QR pass: 8 blocks
    dask_fit = Ridge(alpha=alpha, fit_intercept=fit_intercept, solver=solver).fit(
        split(X, rows), split(y, rows), sample_weight=split(w, rows)
    )
    numpy_fit = Ridge(alpha=alpha, fit_intercept=fit_intercept, solver=solver).fit(X, y, w)
    np.testing.assert_allclose(dask_fit.coef_, numpy_fit.coef_, rtol=RTOL)
    np.testing.assert_allclose(dask_fit.intercept_, numpy_fit.intercept_, rtol=RTOL, atol=1e-13)
    assert dask_fit.solver_ == numpy_fit.solver_
    assert isinstance(dask_fit.coef_, np.ndarray)


def test_ridge_rank_deficient_without_penalty_takes_the_svd(data, split):
    X, y, _ = data
    X = np.column_stack([X, 2.0 * X[:, 3]])
    dask_fit = Ridge(alpha=0.0).fit(split(X), split(y))
    numpy_fit = Ridge(alpha=0.0).fit(X, y)
    assert dask_fit.solver_ == numpy_fit.solver_ == "svd"
    np.testing.assert_allclose(dask_fit.coef_, numpy_fit.coef_, rtol=1e-9)
    with pytest.warns(IllConditionedWarning, match="solving by SVD instead") as record:
        forced = Ridge(alpha=0.0, solver="cholesky").fit(split(X), split(y))
    assert record[0].filename == __file__
    np.testing.assert_allclose(forced.coef_, numpy_fit.coef_, rtol=1e-9)


def test_ridge_on_a_dataframe(data, frame):
    X, y, _ = data
    ddf = frame({**{f"f{j}": X[:, j] for j in range(5)}, "target": y})
    features = [f"f{j}" for j in range(5)]
    dask_fit = Ridge(alpha=2.0).fit(ddf[features], ddf["target"])
    np.testing.assert_allclose(dask_fit.coef_, Ridge(alpha=2.0).fit(X, y).coef_, rtol=RTOL)
    assert list(dask_fit.feature_names_in_) == features
    expected = X @ dask_fit.coef_ + dask_fit.intercept_
    np.testing.assert_allclose(dask_fit.predict(ddf[features]).compute(), expected, rtol=1e-13)
