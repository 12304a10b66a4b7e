"""OLSResults against statsmodels OLS/WLS (the reference) and its own identities.

Tolerance: 1e-10 relative for every statistic (statsmodels computes the same closed
forms through the pseudo-inverse of the design; both agree to ~1e-12 on these data),
1e-10 of the largest entry for residuals and the covariance matrix, 1e-10 t^2 for a
p-value of statistic t (its condition number in the tail, where p ~ 1e-66 and a
1e-13 difference in t is a 1e-10 difference in p).
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from mlfoundations.models import LinearRegression, OLSResults

sm = pytest.importorskip("statsmodels.api")

RTOL = 1e-10
SCALARS = (
    "rsquared", "rsquared_adj", "fvalue", "f_pvalue", "llf", "aic", "bic", "ssr", "ess",
    "centered_tss", "uncentered_tss", "mse_resid", "mse_model", "mse_total", "df_model",
    "df_resid", "nobs", "scale",
)


def make_data(rng, kind):
    """(X, y, sample_weight, fit_intercept) for each kind of problem the checks cover."""
    n, p = 120, 5
    X = rng.standard_normal((n, p)) * [1.0, 2.0, 3.0, 0.5, 10.0] + [0.0, 5.0, -3.0, 100.0, 2.0]
    w = None
    if kind == "tall":
        n, p = 20000, 30
        X = rng.standard_normal((n, p)) + rng.uniform(-3, 3, p)
    elif kind == "near-collinear":
        # x5 = x1 + x2 + 1e-4 noise: cond(X) ~ 1e5, "auto" leaves the normal equations
        X[:, 4] = X[:, 0] + X[:, 1] + 1e-4 * rng.standard_normal(n)
    # slopes of 0.02 on 20000 samples: t ~ 3, p-values that have not underflowed
    beta = rng.standard_normal(p) * (0.02 if kind == "tall" else 1.0)
    y = 2.0 + X @ beta + rng.standard_normal(n)
    if kind.startswith("weighted") or kind == "no-intercept weighted":
        w = rng.uniform(0.1, 3.0, n)
    return X, y, w, not kind.startswith("no-intercept")


def statsmodels_fit(X, y, w, fit_intercept):
    Z = sm.add_constant(X, has_constant="add") if fit_intercept else X
    return (sm.OLS(y, Z) if w is None else sm.WLS(y, Z, weights=w)).fit()


def assert_same_inference(ours, theirs, rtol=RTOL):
    for name in ("params", "bse", "tvalues"):
        assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=rtol, err_msg=name)
    # in the tail, P(T > t) ~ t^-df: a relative change d in t moves p by ~ d t^2
    condition = np.maximum(1.0, theirs.tvalues**2)
    rel = np.abs(ours.pvalues / theirs.pvalues - 1)
    assert np.all(rel <= rtol * condition), (rel, condition)
    for name in SCALARS:
        assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=rtol, err_msg=name)
    for alpha in (0.05, 0.1, 0.001):
        assert_allclose(ours.conf_int(alpha), theirs.conf_int(alpha), rtol=rtol, err_msg="conf_int")
    cov = theirs.cov_params()
    assert_allclose(ours.cov_params(), cov, rtol=0, atol=rtol * np.abs(cov).max())
    assert ours.k_constant == theirs.k_constant


KINDS = ["ordinary", "weighted", "no-intercept", "no-intercept weighted", "tall", "near-collinear"]


# solver="cholesky" on the near-collinear data loses cond(X)^2 eps ~ 1e-7 in the standard
# errors, with a warning (test_linear_regression.py::test_cholesky_warns_when_ill_conditioned)
CASES = [(k, s) for k in KINDS for s in ("auto", "cholesky", "qr", "svd")
         if (k, s) != ("near-collinear", "cholesky")]


@pytest.mark.parametrize(("kind", "solver"), CASES)
def test_matches_statsmodels(rng, kind, solver):
    X, y, w, fit_intercept = make_data(rng, kind)
    model = LinearRegression(fit_intercept=fit_intercept, solver=solver).fit(X, y, sample_weight=w)
    theirs = statsmodels_fit(X, y, w, fit_intercept)
    assert_same_inference(model.results_, theirs)
    scale = np.abs(theirs.resid).max()
    assert_allclose(model.results_.resid, theirs.resid, rtol=0, atol=RTOL * scale)
    assert_allclose(model.results_.fittedvalues, theirs.fittedvalues, rtol=RTOL)


def test_no_intercept_with_constant_column_is_centred_like_statsmodels(rng):
    # statsmodels sees the column of ones and reports the centred R² and F
    X, y, _, _ = make_data(rng, "ordinary")
    Z = sm.add_constant(X)
    res = LinearRegression(fit_intercept=False).fit(Z, y).results_
    assert res.k_constant == 1
    assert_same_inference(res, sm.OLS(y, Z).fit())
    # and it is the same model as fitting the intercept
    with_intercept = LinearRegression().fit(X, y).results_
    assert_allclose(res.rsquared, with_intercept.rsquared, rtol=RTOL)
    assert_allclose(res.bse, with_intercept.bse, rtol=RTOL)


def test_uncentred_r2_without_constant(rng):
    X, y, _, _ = make_data(rng, "no-intercept")
    res = LinearRegression(fit_intercept=False).fit(X, y).results_
    assert res.k_constant == 0
    assert_allclose(res.rsquared, 1 - res.ssr / np.sum(y**2), rtol=1e-13)
    assert_allclose(res.aic, -2 * res.llf + 2 * X.shape[1], rtol=1e-13)


def test_identities(rng):
    X, y, w, _ = make_data(rng, "weighted")
    res = LinearRegression().fit(X, y, sample_weight=w).results_
    cov = res.cov_params()
    assert_allclose(cov, cov.T, rtol=1e-13)
    assert_allclose(res.bse, np.sqrt(np.diag(cov)), rtol=1e-12)
    assert_allclose(res.tvalues, res.params / res.bse, rtol=1e-14)
    assert_allclose(res.ssr, np.sum(w * res.resid**2), rtol=1e-12)
    assert_allclose(res.resid + res.fittedvalues, y, rtol=1e-14)
    assert_allclose(res.fvalue, (res.ess / res.df_model) / (res.ssr / res.df_resid), rtol=1e-12)
    # the weighted residuals are orthogonal to the weighted design: Z^T W e = 0
    Z = np.c_[np.ones(len(y)), X]
    scale = np.abs(Z).max() * np.abs(res.resid).max() * len(y)
    assert np.abs(Z.T @ (w * res.resid)).max() < 1e-12 * scale
    lo, hi = res.conf_int(0.05).T
    assert np.all((lo < res.params) & (res.params < hi))


def test_zero_residual_degrees_of_freedom_gives_nan_with_warning(rng):
    # n == number of parameters: the fit interpolates; statsmodels divides by zero
    X = rng.standard_normal((4, 3))
    y = rng.standard_normal(4)
    model = LinearRegression().fit(X, y)  # no warning for a fit used for prediction only
    res = model.results_
    assert res.df_resid == 0
    assert_allclose(model.predict(X), y, rtol=1e-12)
    with pytest.warns(RuntimeWarning, match=r"df_resid = 0: 4 sample\(s\) for 4 parameter\(s\)"):
        bse = res.bse
    assert np.isnan(bse).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warned once; everything after is quietly NaN
        assert np.isnan(res.pvalues).all() and np.isnan(res.tvalues).all()
        assert np.isnan(res.conf_int()).all()
        assert np.isnan(res.fvalue) and np.isnan(res.f_pvalue) and np.isnan(res.rsquared_adj)
        assert np.isnan(res.cov_params()).all()
        assert res.rsquared == pytest.approx(1.0, abs=1e-12)
        assert "nan" in res.summary()
    assert_allclose(res.params, statsmodels_fit(X, y, None, True).params, rtol=1e-10)


def test_perfect_fit_with_residual_degrees_of_freedom(rng):
    X = rng.standard_normal((10, 2))
    y = 1.0 + X @ [2.0, -1.0]
    # exact data: ssr ~ 0, so bse ~ 0 and llf huge, but no exception or warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = LinearRegression().fit(X, y).results_
        assert res.ssr < 1e-25
        assert np.all(res.bse < 1e-12) and res.llf > 100
        assert res.summary()


def test_model_without_slopes_has_no_f_test():
    # every column constant: the centred X has rank 0, df_model = 0, as statsmodels' NaNs
    X = np.ones((6, 2))
    y = np.array([1.0, 2.0, 0.5, 3.0, 2.5, 1.5])
    res = LinearRegression().fit(X, y).results_
    assert res.df_model == 0 and res.df_resid == 5
    assert np.isnan(res.fvalue) and np.isnan(res.f_pvalue)
    assert_allclose(res.params[0], y.mean(), rtol=1e-14)
    assert_allclose(res.bse[0], y.std(ddof=1) / np.sqrt(6), rtol=1e-13)


def test_zero_weights_give_statsmodels_likelihood(rng):
    # statsmodels counts rows of weight 0 in nobs and adds log(0) to llf: -inf
    X, y, _, _ = make_data(rng, "ordinary")
    w = rng.uniform(0.5, 2.0, len(y))
    w[:3] = 0.0
    ours = LinearRegression().fit(X, y, sample_weight=w).results_
    theirs = statsmodels_fit(X, y, w, True)
    with np.errstate(divide="ignore"):
        assert ours.llf == theirs.llf == -np.inf
    assert ours.nobs == theirs.nobs == len(y)
    for name in ("params", "bse", "pvalues"):
        assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=RTOL, err_msg=name)


def test_summary_layout(rng):
    X, y, _, _ = make_data(rng, "ordinary")
    res = LinearRegression().fit(X, y).results_
    text = res.summary()
    assert str(res) == text
    for label in ("R-squared:", "Adj. R-squared:", "F-statistic:", "Prob (F-statistic):", "AIC:",
                  "BIC:", "No. Observations:", "coef", "std err", "P>|t|", "[0.025", "0.975]"):
        assert label in text
    rows = [line.split() for line in text.splitlines() if line.startswith(("const", "x"))]
    assert [r[0] for r in rows] == ["const", "x1", "x2", "x3", "x4", "x5"]
    assert float(rows[1][1]) == pytest.approx(res.params[1], rel=1e-3)
    assert float(rows[1][2]) == pytest.approx(res.bse[1], rel=1e-3)
    assert "[0.05" in res.summary(alpha=0.1)
    uncentred = LinearRegression(fit_intercept=False).fit(X, y).results_.summary()
    assert "R-squared (uncentered):" in uncentred
    assert "WLS" in LinearRegression().fit(X, y, sample_weight=np.ones(len(y))).results_.summary()


def test_param_names_from_dataframe(rng):
    pd = pytest.importorskip("pandas")
    X, y, _, _ = make_data(rng, "ordinary")
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d", "e"])
    res = LinearRegression().fit(frame, y).results_
    assert res.param_names == ["const", "a", "b", "c", "d", "e"]
    assert [line.split()[0] for line in res.summary().splitlines()[-7:-1]] == res.param_names


def test_conf_int_rejects_bad_alpha(rng):
    X, y, _, _ = make_data(rng, "ordinary")
    res = LinearRegression().fit(X, y).results_
    for alpha in (0.0, 1.0, -0.1, 2.0):
        with pytest.raises(ValueError, match=r"alpha must lie in \(0, 1\)"):
            res.conf_int(alpha)


def test_per_sample_data_missing_after_partial_fit(rng):
    X, y, _, _ = make_data(rng, "ordinary")
    res = LinearRegression().partial_fit(X, y).results_
    for name in ("resid", "fittedvalues"):
        message = rf"{name} is not available: .*partial_fit.*no per-sample data"
        with pytest.raises(AttributeError, match=message):
            getattr(res, name)
        assert not hasattr(res, name)


def test_constructor_from_any_solver(rng):
    # OLSResults is public: a fit from numpy's lstsq reports through it like statsmodels
    X, y, _, _ = make_data(rng, "ordinary")
    Z = np.c_[np.ones(len(y)), X]
    beta = np.linalg.lstsq(Z, y)[0]
    Q, R = np.linalg.qr(Z)
    resid = y - Z @ beta
    res = OLSResults(
        beta, np.linalg.inv(R), nobs=len(y), rank=Z.shape[1], k_constant=1, ssr=resid @ resid,
        centered_tss=np.sum((y - y.mean()) ** 2), uncentered_tss=y @ y, resid=resid,
        fittedvalues=Z @ beta, param_names=["const", *"abcde"],
    )
    assert_same_inference(res, sm.OLS(y, Z).fit())
    assert repr(res).startswith("<OLSResults: 6 parameters, nobs=120")
