"""LinearRegression against scikit-learn, numpy.linalg.lstsq, NIST's certified Longley
results, and its own contracts (online fitting, solvers, errors).

Tolerances: 1e-10 relative for coefficients of well-conditioned problems (all four
solvers agree with lstsq to ~1e-13); NIST Longley to 1e-10 relative (>= 10 significant
digits, as the StRD asks); 1e-10 between partial_fit in chunks and fit; the 50 x 12
Vandermonde problem (cond 1.2e8) to 1e-6 absolute on coefficients of size <= 4,
where the normal equations are off by O(1).
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose

from mlfoundations.exceptions import DataConversionWarning, IllConditionedWarning, NotFittedError
from mlfoundations.models import LinearRegression, OLSResults

sk_linear = pytest.importorskip("sklearn.linear_model")
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

RTOL = 1e-10
SOLVERS = ("auto", "cholesky", "qr", "svd")

# NIST StRD, linear least squares, Longley (1967): 16 observations of y = total
# employment and x1..x6 = GNP deflator, GNP, unemployed, armed forces, population, year.
# Data and certified values (public domain) from
# https://www.itl.nist.gov/div898/strd/lls/data/Longley.shtml
LONGLEY = np.array([
    [60323, 83.0, 234289, 2356, 1590, 107608, 1947],
    [61122, 88.5, 259426, 2325, 1456, 108632, 1948],
    [60171, 88.2, 258054, 3682, 1616, 109773, 1949],
    [61187, 89.5, 284599, 3351, 1650, 110929, 1950],
    [63221, 96.2, 328975, 2099, 3099, 112075, 1951],
    [63639, 98.1, 346999, 1932, 3594, 113270, 1952],
    [64989, 99.0, 365385, 1870, 3547, 115094, 1953],
    [63761, 100.0, 363112, 3578, 3350, 116219, 1954],
    [66019, 101.2, 397469, 2904, 3048, 117388, 1955],
    [67857, 104.6, 419180, 2822, 2857, 118734, 1956],
    [68169, 108.4, 442769, 2936, 2798, 120445, 1957],
    [66513, 110.8, 444546, 4681, 2637, 121950, 1958],
    [68655, 112.6, 482704, 3813, 2552, 123366, 1959],
    [69564, 114.2, 502601, 3931, 2514, 125368, 1960],
    [69331, 115.7, 518173, 4806, 2572, 127852, 1961],
    [70551, 116.9, 554894, 4007, 2827, 130081, 1962],
], dtype=float)
LONGLEY_PARAMS = [
    -3482258.63459582, 15.0618722713733, -0.358191792925910e-01, -2.02022980381683,
    -1.03322686717359, -0.511041056535807e-01, 1829.15146461355,
]
LONGLEY_BSE = [
    890420.383607373, 84.9149257747669, 0.334910077722432e-01, 0.488399681651699,
    0.214274163161675, 0.226073200069370, 455.478499142212,
]
LONGLEY_RESIDUAL_SD = 304.854073561965
LONGLEY_RSQUARED = 0.995479004577296


def data(rng, n=200, p=6, offset=3.0):
    """Correlated columns of different scales and non-zero means, y = 1.5 + X w + noise."""
    X = rng.standard_normal((n, p)) @ (np.eye(p) + 0.3 * rng.standard_normal((p, p)))
    X = X * np.logspace(-1, 1, p) + offset
    return X, 1.5 + X @ rng.standard_normal(p) + 0.5 * rng.standard_normal(n)


def lstsq_fit(X, y, w=None, fit_intercept=True):
    """(intercept, slopes) by numpy's lstsq on the centred, sqrt(w)-scaled data (minimum norm)."""
    w = np.ones(len(y)) if w is None else w
    x_mean = w @ X / w.sum() if fit_intercept else np.zeros(X.shape[1])
    y_mean = w @ y / w.sum() if fit_intercept else 0.0
    root = np.sqrt(w)
    coef = np.linalg.lstsq((X - x_mean) * root[:, None], (y - y_mean) * root)[0]
    return y_mean - x_mean @ coef, coef


# --- the guide's example and the references ------------------------------------------------
@pytest.mark.parametrize("solver", SOLVERS)
def test_guide_example(solver):
    X = np.array([[1], [2], [3], [4], [5]])
    y = np.array([2.1, 4.2, 6.1, 7.9, 10.2])
    model = LinearRegression(solver=solver).fit(X, y)
    reference = np.linalg.lstsq(np.c_[np.ones(5), X], y)[0]
    assert_allclose([model.intercept_, *model.coef_], reference, rtol=1e-12)
    # by hand: slope = sum (x - 3)(y - 6.1) / sum (x - 3)^2 = 19.9 / 10, b = 6.1 - 3 slope
    assert_allclose([model.intercept_, model.coef_[0]], [0.13, 1.99], rtol=1e-12)
    assert_allclose(model.predict([[6.0]]), [0.13 + 6 * 1.99], rtol=1e-12)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_sklearn_and_lstsq(rng, solver, fit_intercept, weighted):
    X, y = data(rng)
    w = rng.uniform(0.2, 4.0, len(y)) if weighted else None
    ours = LinearRegression(fit_intercept=fit_intercept, solver=solver).fit(X, y, sample_weight=w)
    theirs = sk_linear.LinearRegression(fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL)
    assert_allclose(ours.intercept_, theirs.intercept_, rtol=RTOL)
    assert ours.rank_ == theirs.rank_ == X.shape[1]
    assert_allclose(ours.singular_, theirs.singular_, rtol=RTOL)
    intercept, coef = lstsq_fit(X, y, w, fit_intercept)
    assert_allclose(ours.coef_, coef, rtol=RTOL)
    assert_allclose(ours.predict(X), theirs.predict(X), rtol=RTOL)
    score = theirs.score(X, y, sample_weight=w)
    assert ours.score(X, y, sample_weight=w) == pytest.approx(score, rel=1e-12)
    assert isinstance(ours.intercept_, float) and ours.coef_.shape == (X.shape[1],)
    assert isinstance(ours.results_, OLSResults)


@pytest.mark.parametrize("solver", SOLVERS)
def test_nist_longley_certified_values(solver):
    y, X = LONGLEY[:, 0], LONGLEY[:, 1:]
    res = LinearRegression(solver=solver).fit(X, y).results_
    assert_allclose(res.params, LONGLEY_PARAMS, rtol=1e-10)
    assert_allclose(res.bse, LONGLEY_BSE, rtol=1e-10)
    assert_allclose(np.sqrt(res.mse_resid), LONGLEY_RESIDUAL_SD, rtol=1e-10)
    assert_allclose(res.rsquared, LONGLEY_RSQUARED, rtol=1e-12)
    assert res.df_model == 6 and res.df_resid == 9


@pytest.mark.parametrize("solver", ["auto", "qr", "svd"])
def test_vandermonde_solved_accurately(solver):
    # cond(X) = 1.2e8: the normal equations (cond 1e16) lose every digit, QR keeps ~8
    X = np.vander(np.linspace(0.0, 1.0, 50), 12)
    coef = np.arange(1.0, 13.0) / 3.0
    y = X @ coef
    model = LinearRegression(fit_intercept=False, solver=solver).fit(X, y)
    assert np.abs(model.coef_ - coef).max() < 1e-6
    assert model.rank_ == 12
    normal_equations = np.linalg.solve(X.T @ X, X.T @ y)
    assert np.abs(normal_equations - coef).max() > 1e-2  # the trap "auto" avoids
    # with an intercept the column of ones (x^0) is the intercept's: minimum norm puts 0 there
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = LinearRegression(solver=solver).fit(X, y)
    # only "qr", asked for explicitly, says that X is rank deficient
    assert [str(w.message)[:36] for w in caught] == (
        ["solver='qr': the centred, weighted X"] if solver == "qr" else []
    )
    assert np.abs(model.coef_[:-1] - coef[:-1]).max() < 1e-6
    assert model.coef_[-1] == 0.0 and abs(model.intercept_ - coef[-1]) < 1e-6
    assert model.rank_ == 11


# --- rank-deficient designs ----------------------------------------------------------------
def rank_deficient(rng, kind):
    X, y = data(rng, n=40, p=5)
    if kind == "duplicate":
        X[:, 3] = X[:, 1]
    elif kind == "combination":
        X[:, 4] = 2.0 * X[:, 0] - X[:, 2]
    elif kind == "constant":
        X[:, 2] = 7.0
    elif kind == "wide":
        X, y = data(rng, n=4, p=9)
    return X, y


@pytest.mark.parametrize("kind", ["duplicate", "combination", "constant", "wide"])
@pytest.mark.parametrize("weighted", [False, True])
def test_rank_deficient_minimum_norm_like_sklearn(rng, kind, weighted):
    X, y = rank_deficient(rng, kind)
    w = rng.uniform(0.5, 2.0, len(y)) if weighted else None
    theirs = sk_linear.LinearRegression().fit(X, y, sample_weight=w)
    for solver in ("auto", "svd"):
        ours = LinearRegression(solver=solver).fit(X, y, sample_weight=w)
        assert ours.rank_ == theirs.rank_ < X.shape[1]
        assert_allclose(ours.coef_, theirs.coef_, rtol=1e-9, atol=1e-12)
        assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-9)
        atol = 1e-12 * theirs.singular_[0]  # sklearn's zero singular values are ~1e-16 s_max
        assert_allclose(ours.singular_, theirs.singular_, rtol=1e-9, atol=atol)
        assert_allclose(ours.coef_, lstsq_fit(X, y, w)[1], rtol=1e-9, atol=1e-12)
        res = ours.results_
        assert res.df_model == ours.rank_ and res.df_resid == len(y) - ours.rank_ - 1


@pytest.mark.parametrize("solver", ["cholesky", "qr"])
def test_explicit_solver_on_singular_design_warns_and_gives_minimum_norm(rng, solver):
    X, y = rank_deficient(rng, "duplicate")
    message = rf"solver='{solver}': the centred, weighted X has rank 4 < 5"
    with pytest.warns(IllConditionedWarning, match=message):
        ours = LinearRegression(solver=solver).fit(X, y)
    assert_allclose(ours.coef_, LinearRegression(solver="svd").fit(X, y).coef_, rtol=1e-12)
    assert ours.coef_[1] == pytest.approx(ours.coef_[3], rel=1e-10)  # the norm is split evenly


def test_cholesky_warns_when_ill_conditioned(rng):
    X, y = data(rng, n=300, p=5)
    X[:, 4] = X[:, 0] + X[:, 1] + 1e-4 * rng.standard_normal(300)
    message = r"solver='cholesky': X\^T X is ill-conditioned \(reciprocal condition number"
    with pytest.warns(IllConditionedWarning, match=message):
        chol = LinearRegression(solver="cholesky").fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "auto" moves to QR without a word
        auto = LinearRegression().fit(X, y)
    # the refinement step still gives QR's coefficients; the standard errors lose digits
    qr = LinearRegression(solver="qr").fit(X, y)
    assert_allclose(chol.coef_, qr.coef_, rtol=1e-9)
    assert_allclose(auto.results_.bse, qr.results_.bse, rtol=1e-12)


def test_cholesky_singular_gram_of_full_rank_design_falls_back_to_qr():
    # cond(X) ~ 1e9: X^T X is singular to working precision, X is not
    X = np.vander(np.linspace(0.0, 1.0, 60), 14)[:, :-1]
    y = X @ np.ones(13) + 1.0
    message = "singular to working precision although X has full rank 13; solved by QR"
    with pytest.warns(IllConditionedWarning, match=message):
        model = LinearRegression(solver="cholesky").fit(X, y)
    assert_allclose(model.coef_, LinearRegression(solver="qr").fit(X, y).coef_, rtol=1e-12)


# --- online fitting -------------------------------------------------------------------------
RESULTS = (
    "params", "bse", "pvalues", "tvalues", "rsquared", "rsquared_adj", "fvalue", "f_pvalue", "llf",
    "aic", "bic", "ssr", "centered_tss", "uncentered_tss", "df_resid", "df_model", "nobs",
)


def assert_same_fit(online, batch, rtol=RTOL):
    assert_allclose(online.coef_, batch.coef_, rtol=rtol)
    assert_allclose(online.intercept_, batch.intercept_, rtol=rtol, atol=1e-300)
    assert online.rank_ == batch.rank_
    assert_allclose(online.singular_, batch.singular_, rtol=rtol)
    for name in RESULTS:
        ours, theirs = getattr(online.results_, name), getattr(batch.results_, name)
        assert_allclose(ours, theirs, rtol=rtol, err_msg=name)
    assert_allclose(online.results_.conf_int(), batch.results_.conf_int(), rtol=rtol)


def chunks(rng, n, n_chunks):
    order = rng.permutation(n)
    cuts = np.sort(rng.choice(np.arange(1, n), n_chunks - 1, replace=False))
    return np.split(order, cuts)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("solver", SOLVERS)
def test_partial_fit_in_shuffled_chunks_equals_fit(rng, fit_intercept, weighted, solver):
    X, y = data(rng, n=300, offset=10.0)
    w = rng.uniform(0.1, 3.0, len(y)) if weighted else None
    with warnings.catch_warnings():
        # uncentred, these columns (means 10 x their spread) give cond(X^T X) ~ 1e5-1e6:
        # "cholesky" and "qr" say so, at each partial_fit (tested below)
        warnings.simplefilter("ignore", IllConditionedWarning)
        params = dict(fit_intercept=fit_intercept, solver=solver)
        batch = LinearRegression(**params).fit(X, y, sample_weight=w)
        online = LinearRegression(**params)
        for idx in chunks(rng, len(y), 7):
            online.partial_fit(X[idx], y[idx], sample_weight=None if w is None else w[idx])
    assert_same_fit(online, batch, rtol=1e-9 if not fit_intercept else RTOL)


def test_partial_fit_centring_survives_large_means(rng):
    # means 1e6 times the spread: merging centred batches keeps ~10 digits (1e-8 stated),
    # the uncentred normal equations [1, X]^T [1, X] keep ~2
    X = rng.standard_normal((300, 4)) + 1e6
    y = 1.0 + X @ [1.0, 2.0, 3.0, 4.0] + rng.standard_normal(300)
    batch = LinearRegression().fit(X, y)
    online = LinearRegression()
    for idx in chunks(rng, 300, 7):
        online.partial_fit(X[idx], y[idx])
    assert_allclose(online.coef_, batch.coef_, rtol=1e-8)
    assert_allclose(online.results_.bse, batch.results_.bse, rtol=1e-8)
    Z = np.c_[np.ones(300), X]
    naive = np.linalg.solve(Z.T @ Z, Z.T @ y)[1:]
    assert np.abs(naive / batch.coef_ - 1).max() > 1e-4


def test_partial_fit_one_row_at_a_time(rng):
    X, y = data(rng, n=60)
    w = rng.uniform(0.5, 2.0, len(y))
    online = LinearRegression()
    for i in rng.permutation(len(y)):
        online.partial_fit(X[i:i + 1], y[i:i + 1], sample_weight=w[i:i + 1])
    assert_same_fit(online, LinearRegression().fit(X, y, sample_weight=w))


def test_partial_fit_continues_after_fit_and_fit_resets(rng):
    X, y = data(rng, n=200)
    model = LinearRegression().fit(X[:120], y[:120]).partial_fit(X[120:], y[120:])
    assert_same_fit(model, LinearRegression().fit(X, y))
    # fit() after partial_fit forgets the batches
    model.fit(X[:50], y[:50])
    assert_same_fit(model, LinearRegression().fit(X[:50], y[:50]))
    model.partial_fit(X[50:], y[50:])
    assert_same_fit(model, LinearRegression().fit(X, y))


def test_partial_fit_after_qr_fit(rng):
    # the QR path keeps its statistics as R^T R: partial_fit continues from them
    X, y = data(rng, n=200)
    model = LinearRegression(solver="qr").fit(X[:80], y[:80]).partial_fit(X[80:], y[80:])
    assert_same_fit(model, LinearRegression().fit(X, y))


def test_partial_fit_zero_weight_batches(rng):
    X, y = data(rng, n=100)
    w = rng.uniform(0.5, 2.0, 100)
    w[40:50] = 0.0
    with pytest.raises(ValueError, match="sample_weight sums to zero over every batch seen so far"):
        LinearRegression().partial_fit(X[40:50], y[40:50], sample_weight=w[40:50])
    online = LinearRegression()
    for idx in np.array_split(np.arange(100), 10):  # the fifth batch weighs nothing
        online.partial_fit(X[idx], y[idx], sample_weight=w[idx])
    batch = LinearRegression().fit(X, y, sample_weight=w)
    assert_allclose(online.coef_, batch.coef_, rtol=RTOL)
    assert online.results_.nobs == 100
    assert_allclose(online.results_.bse, batch.results_.bse, rtol=RTOL)


def test_partial_fit_rank_deficient_gives_minimum_norm(rng):
    X, y = rank_deficient(rng, "duplicate")
    online = LinearRegression()
    for idx in np.array_split(np.arange(len(y)), 4):
        online.partial_fit(X[idx], y[idx])
    batch = LinearRegression().fit(X, y)
    assert online.rank_ == batch.rank_ == 4
    assert_allclose(online.coef_, batch.coef_, rtol=1e-8)
    with pytest.warns(IllConditionedWarning, match="rank deficient.*minimum-norm"):
        LinearRegression(solver="cholesky").partial_fit(X, y)


def test_partial_fit_keeps_no_samples(rng):
    X, y = data(rng, n=50)
    res = LinearRegression().partial_fit(X, y).results_
    message = "partial_fit, which keeps sufficient statistics but no per-sample data"
    with pytest.raises(AttributeError, match=message):
        res.resid
    assert res.bse.shape == (7,) and np.isfinite(res.aic)


def test_partial_fit_warns_when_ill_conditioned(rng):
    X, y = data(rng, n=300, p=5)
    X[:, 4] = X[:, 0] + X[:, 1] + 1e-4 * rng.standard_normal(300)
    for solver in ("cholesky", "qr"):
        message = r"partial_fit has only X\^T X; fit\(X, y\) with solver='qr' or 'auto'"
        with pytest.warns(IllConditionedWarning, match=message):
            LinearRegression(solver=solver).partial_fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        online = LinearRegression().partial_fit(X, y)  # "auto" uses the eigendecomposition
    assert_allclose(online.coef_, LinearRegression().fit(X, y).coef_, rtol=1e-6)


def test_partial_fit_refuses_a_change_of_shape_or_intercept(rng):
    X, y = data(rng, n=50)
    model = LinearRegression().partial_fit(X, y)
    message = "X has 5 features, but LinearRegression is expecting 6 features"
    with pytest.raises(ValueError, match=message):
        model.partial_fit(X[:, :5], y)
    model.set_params(fit_intercept=False)
    message = "fit_intercept=False but the statistics so far were accumulated with fit_intercept=True"
    with pytest.raises(ValueError, match=message):
        model.partial_fit(X, y)


# --- properties -------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(
    X=hnp.arrays(
        np.float64, st.tuples(st.integers(1, 12), st.integers(1, 4)), elements=st.integers(-4, 4)
    ),
    fit_intercept=st.booleans(),
    solver=st.sampled_from(SOLVERS),
    seed=st.integers(0, 2**32 - 1),
)
def test_fitted_values_are_the_projection(X, fit_intercept, solver, seed):
    # fitted values are unique even when the coefficients are not: compare with lstsq's
    y = np.random.default_rng(seed).standard_normal(X.shape[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IllConditionedWarning)  # singular designs are common here
        model = LinearRegression(fit_intercept=fit_intercept, solver=solver).fit(X, y)
    intercept, coef = lstsq_fit(X, y, None, fit_intercept)
    assert_allclose(model.predict(X), X @ coef + intercept, rtol=0, atol=1e-9)
    assert_allclose(model.results_.resid, y - model.predict(X), rtol=0, atol=1e-12)
    assert model.rank_ <= min(X.shape[0] - fit_intercept, X.shape[1])


def test_invariant_to_row_order_and_float32(rng):
    X, y = data(rng, n=80)
    model = LinearRegression().fit(X, y)
    perm = rng.permutation(80)
    assert_allclose(LinearRegression().fit(X[perm], y[perm]).coef_, model.coef_, rtol=1e-12)
    model32 = LinearRegression().fit(X.astype(np.float32), y)
    assert model32.coef_.dtype == np.float64
    assert_allclose(model32.coef_, model.coef_, rtol=1e-4)


def test_integer_weights_equal_repeated_rows(rng):
    X, y = data(rng, n=30)
    w = rng.integers(1, 4, 30)
    weighted = LinearRegression().fit(X, y, sample_weight=w)
    repeated = LinearRegression().fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-11)
    assert_allclose(weighted.results_.ssr, repeated.results_.ssr, rtol=1e-11)


def test_column_vector_y_warns():
    X = np.arange(10.0).reshape(-1, 1)
    y = 2 * X + 1
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        model = LinearRegression().fit(X, y)
    assert_allclose([model.intercept_, model.coef_[0]], [1.0, 2.0], rtol=1e-12)


# --- errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
@pytest.mark.parametrize("solver", SOLVERS)
def test_rejects_bad_input(rng, method, solver):
    X, y = data(rng, n=20, p=3)
    fit = getattr(LinearRegression(solver=solver), method)
    for value, label in ((np.nan, "NaN"), (np.inf, "inf")):
        bad = X.copy()
        bad[3, 1] = value
        with pytest.raises(ValueError, match=f"X contains {label}"):
            fit(bad, y)
        bad_y = y.copy()
        bad_y[0] = value
        with pytest.raises(ValueError, match=f"y contains {label}"):
            fit(X, bad_y)
    with pytest.raises(ValueError, match="X must be 2-D, got a 1-D array of shape"):
        fit(X[:, 0], y)
    with pytest.raises(ValueError, match="y has 19 entries but X has 20 samples"):
        fit(X, y[:-1])
    with pytest.raises(ValueError, match=r"X has 0 sample\(s\)"):
        fit(X[:0], y[:0])
    with pytest.raises(ValueError, match="sample_weight must be non-negative, got min -1.0"):
        fit(X, y, sample_weight=np.r_[-1.0, np.ones(19)])
    with pytest.raises(ValueError, match="sample_weight has 3 entries but X has 20 samples"):
        fit(X, y, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match="sample_weight sums to zero"):
        fit(X, y, sample_weight=np.zeros(20))
    with pytest.raises(ValueError, match="requires y to be passed"):
        fit(X, None)


def test_rejects_bad_hyperparameters(rng):
    X, y = data(rng, n=20, p=3)
    message = "solver='lsqr' is not one of 'auto', 'cholesky', 'qr', 'svd'"
    with pytest.raises(ValueError, match=message):
        LinearRegression(solver="lsqr").fit(X, y)
    with pytest.raises(TypeError, match="fit_intercept must be True or False, got str 'yes'"):
        LinearRegression(fit_intercept="yes").partial_fit(X, y)


def test_overflowing_data_is_refused():
    X = np.array([[1e200, 1.0], [-1e200, 2.0], [3e200, 0.5]])
    with pytest.raises(ValueError, match="overflows float64"):
        LinearRegression().fit(X, [1.0, 2.0, 3.0])


def test_unfitted():
    with pytest.raises(NotFittedError, match="not fitted"):
        LinearRegression().predict(np.ones((2, 2)))


@parametrize_with_checks([
    LinearRegression(),
    LinearRegression(fit_intercept=False),
    LinearRegression(solver="cholesky"),
    LinearRegression(solver="qr"),
    LinearRegression(solver="svd"),
])
def test_sklearn_check_estimator(estimator, check):
    check(estimator)
