"""StudentT against scipy.stats.t, mpmath and closed forms.

Tolerances: 1e-12 relative against SciPy where SciPy is accurate. Where SciPy is not
(its stdtr underflows or overflows in the far tails, stdtrit loses up to 1e-8 near the
median and overflows for small df, its log-density loses ~1e-12 near df = 6000) the
reference is mpmath at 50+ digits or an exact formula (Cauchy df = 1, df = 2).
"""

from __future__ import annotations

import math
import warnings

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special, stats

from mlfoundations.probability._fitting import numerical_information
from mlfoundations.probability.student_t import StudentT

mp.mp.dps = 50


def assert_like(ours, ref, rtol):
    """Equal non-finite/zero pattern, finite non-zero entries to rtol."""
    ours, ref = np.asarray(ours, dtype=float), np.asarray(ref, dtype=float)
    assert ours.shape == ref.shape
    exact = ~np.isfinite(ref) | (ref == 0)
    np.testing.assert_array_equal(ours[exact], ref[exact])
    np.testing.assert_allclose(ours[~exact], ref[~exact], rtol=rtol, atol=0)


# --- mpmath oracles ------------------------------------------------------------------------
def mp_logpdf(df, z):
    df, z = mp.mpf(df), mp.mpf(z)
    return (
        mp.loggamma((df + 1) / 2)
        - mp.loggamma(df / 2)
        - mp.log(df * mp.pi) / 2
        - (df + 1) / 2 * mp.log1p(z * z / df)
    )


def mp_logcdf(df, z):
    """log F(z), z < 0: F = I_x(df/2, 1/2)/2, x = df/(df+z^2), by a positive series."""
    df, z = mp.mpf(df), mp.mpf(z)
    a, b = df / 2, mp.mpf(1) / 2
    x, y = df / (df + z * z), z * z / (df + z * z)
    if x < mp.mpf("0.9"):  # sum (a+b)_n/(a+1)_n x^n (DLMF 8.17.8): positive terms
        total, term, n = mp.mpf(1), mp.mpf(1), 0
        while term > total * mp.mpf(10) ** -45:
            term *= (a + b + n) / (a + 1 + n) * x
            total += term
            n += 1
        log_i = a * mp.log(x) + b * mp.log(y) - mp.log(a) - mp.log(mp.beta(a, b)) + mp.log(total)
        return log_i - mp.log(2)
    # x near 1 (large df): 1 - I_y(1/2, a) with enough digits to survive the cancellation
    digits = int(-float(mp_logpdf(df, z)) / 2.3) + 40
    with mp.workdps(digits):
        return +mp.log((1 - mp.betainc(b, a, 0, y, regularized=True)) / 2)


# --- values against SciPy ------------------------------------------------------------------
X = np.array([-1e30, -1e5, -40.0, -5.0, -1.0, -1e-3, 0.0, 1e-3, 0.5, 1.0, 5.0, 40.0, 1e5, 1e30])


@pytest.mark.parametrize("df", [0.3, 1.0, 2.5, 3.0, 30.0, 200.0])
@pytest.mark.parametrize("method", ["pdf", "logpdf", "cdf", "sf", "logcdf", "logsf"])
def test_matches_scipy(df, method):
    ours = getattr(StudentT(df, mu=0.5, sigma=2.0), method)(X)
    ref = getattr(stats.t(df, loc=0.5, scale=2.0), method)(X)
    if method in ("pdf", "cdf", "sf"):
        keep = ref > 1e-300  # SciPy underflows (or fails) beyond; mpmath tests cover those
    else:
        keep = np.isfinite(ref)
    assert_like(ours[keep], ref[keep], rtol=1e-12)


def test_logpdf_large_df_against_mpmath():
    # SciPy's log(poch(df/2, 1/2)) is off by ~2e-12 near df = 6000; log B via Stirling is not
    for df in [6000.0, 2.5e4, 1e6, 1e10]:
        d = StudentT(df)
        for z in [-50.0, -3.0, 0.0, 0.7, 10.0]:
            ref = float(mp_logpdf(df, z))
            assert d.logpdf(z) == pytest.approx(ref, rel=1e-14, abs=1e-15)


def test_logpdf_where_z_squared_overflows():
    d = StudentT(1.0)
    for z in [1e160, -1e200, 1e300]:
        assert d.logpdf(z) == pytest.approx(float(mp_logpdf(1.0, z)), rel=1e-14)
    expected = [float(mp_logpdf(1.0, 1e200)), float(mp_logpdf(1.0, 3))]
    np.testing.assert_allclose(d.logpdf(np.array([1e200, 3.0])), expected, rtol=1e-14)


@pytest.mark.parametrize(
    "df, z",
    [
        (0.05, -1e5),
        (0.3, -1e200),
        (1.0, -1e300),
        (2.5, -1e130),
        (30.0, -1e9),
        (1e3, -200.0),
        (1e6, -60.0),
        (1e10, -40.0),
        (1e10, -38.0),
    ],
)
def test_logcdf_far_tail_against_mpmath(df, z):
    # stdtr underflows (or its z^2 overflows) here and SciPy returns -inf; ours stays
    # within 1e-13 relative (measured: <= 1e-14)
    ref = float(mp_logcdf(df, z))
    d = StudentT(df)
    assert d.logcdf(z) == pytest.approx(ref, rel=1e-13)
    assert d.logsf(-z) == pytest.approx(ref, rel=1e-13)
    assert d.logcdf(np.array([z, z]))[1] == pytest.approx(ref, rel=1e-13)


def test_cdf_where_stdtr_fails():
    # stdtr(0.3, -1e200) returns 0, the true value is ~4e-61 (z^2 overflows inside it)
    for df, z in [(0.3, -1e200), (1.0, -1e300), (2.0, -1e160)]:
        ref = math.exp(float(mp_logcdf(df, z)))
        assert StudentT(df).cdf(z) == pytest.approx(ref, rel=1e-12)
        assert StudentT(df).sf(-z) == pytest.approx(ref, rel=1e-12)


def test_tails_saturate():
    d = StudentT(3.0, mu=1.0, sigma=2.0)
    assert d.cdf(-np.inf) == 0.0 and d.cdf(np.inf) == 1.0
    assert d.pdf(np.inf) == 0.0 and d.logpdf(-np.inf) == -np.inf
    assert d.logcdf(-np.inf) == -np.inf and d.logsf(np.inf) == -np.inf
    assert d.logcdf(np.inf) == 0.0 and d.logsf(-np.inf) == 0.0


# --- quantiles -----------------------------------------------------------------------------
Q = np.array([1e-20, 1e-8, 1e-3, 0.1, 0.3, 0.45, 0.55, 0.7, 0.9, 0.999, 1 - 1e-8])


@pytest.mark.parametrize("df", [0.7, 1.0, 2.5, 3.0, 30.0, 1e3])
def test_ppf_isf_match_scipy_away_from_median(df):
    d, ref = StudentT(df, mu=-1.0, sigma=0.5), stats.t(df, loc=-1.0, scale=0.5)
    np.testing.assert_allclose(d.ppf(Q), ref.ppf(Q), rtol=1e-12)
    np.testing.assert_allclose(d.isf(Q), ref.isf(Q), rtol=1e-12)


def cauchy_quantile(q):  # tan(pi (q - 1/2)) = -cot(pi q)
    return float(-mp.cot(mp.pi * mp.mpf(q)))


def t2_quantile(q):  # df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2))
    q = mp.mpf(q)
    return float((2 * q - 1) / mp.sqrt(2 * q * (1 - q)))


@pytest.mark.parametrize("df, exact", [(1.0, cauchy_quantile), (2.0, t2_quantile)])
def test_ppf_exact_near_median_and_in_far_tails(df, exact):
    # stdtrit loses up to 3e-8 relative at q = 1/2 - 1e-9 (df = 1) and overflows for
    # q < 1e-100 at small df; both are exact formulas here
    d = StudentT(df)
    qs = [1e-300, 1e-200, 1e-50, 1e-9, 0.3, 0.5 - 1e-3, 0.5 - 1e-9, 0.5 - 1e-14, 0.5 + 1e-9, 0.99]
    for q in qs:
        assert d.ppf(q) == pytest.approx(exact(q), rel=1e-13)
        assert d.isf(q) == pytest.approx(-exact(q), rel=1e-13)
    np.testing.assert_allclose(d.ppf(np.array(qs)), [exact(q) for q in qs], rtol=1e-13)
    assert d.ppf(0.5) == 0.0


@pytest.mark.parametrize(
    "df, q", [(0.3, 1e-60), (0.3, 1e-20), (2.5, 1e-300), (0.7, 1e-200), (5.0, 1e-300)]
)
def test_ppf_far_tail_against_mpmath(df, q):
    # relative error of t from the residual of log F: d log F / d log|t| = |t| f(t) / F(t)
    t = StudentT(df).ppf(q)
    assert np.isfinite(t) and t < 0
    log_f = mp_logcdf(df, t)
    slope = abs(t) * mp.exp(mp_logpdf(df, t) - log_f)
    assert abs(float((log_f - mp.log(q)) / slope)) < 1e-13


def test_ppf_overflows_to_infinity_when_the_quantile_exceeds_double_range():
    # df = 0.05, q = 1e-100: |t| ~ q^(-1/df) = 1e2000
    assert StudentT(0.05).ppf(1e-100) == -np.inf
    assert StudentT(0.05).isf(1e-100) == np.inf


def test_huge_df_is_normal():
    df = 1e10
    d = StudentT(df)
    z = np.array([-8.0, -1.0, 0.0, 0.5, 3.0])
    # f_t = phi(z) (1 + (z^4 - 2 z^2 - 1) / (4 df) + O(z^8 / df^2))
    first_order = stats.norm.pdf(z) * (1 + (z**4 - 2 * z**2 - 1) / (4 * df))
    np.testing.assert_allclose(d.pdf(z), first_order, rtol=1e-11)
    np.testing.assert_allclose(d.cdf(z[1:]), special.ndtr(z[1:]), rtol=1e-8)  # O(z^4 / df)
    q = np.array([1e-10, 0.2, 0.7])
    np.testing.assert_allclose(d.ppf(q), special.ndtri(q), rtol=1e-8)
    assert d.entropy() == pytest.approx(0.5 * math.log(2 * math.pi * math.e), rel=1e-10)


# --- batches, support, errors, types -------------------------------------------------------
def test_batch_broadcasting():
    df = np.array([[1.0], [3.5], [40.0]])
    mu = np.array([0.0, 2.0])
    d = StudentT(df, mu=mu, sigma=1.5)
    ref = stats.t(df, loc=mu, scale=1.5)
    x = np.array([-3.0, 0.1, 7.0]).reshape(3, 1, 1)
    for method in ["pdf", "logpdf", "cdf", "sf", "logcdf", "logsf"]:
        out = getattr(d, method)(x)
        assert out.shape == (3, 3, 2)
        np.testing.assert_allclose(out, getattr(ref, method)(x), rtol=1e-12)
    q = np.array([0.01, 0.5, 0.97]).reshape(3, 1, 1)
    np.testing.assert_allclose(d.ppf(q), ref.ppf(q), rtol=1e-12)
    np.testing.assert_allclose(d.isf(q), ref.isf(q), rtol=1e-12)
    assert d.batch_shape == (3, 2)
    assert d.median().shape == (3, 2)
    np.testing.assert_allclose(d.entropy(), ref.entropy(), rtol=1e-12)


def test_batched_far_tails_and_quantiles():
    d = StudentT(np.array([0.3, 2.5, 1e10]))
    z = np.array([-1e200, -1e130, -40.0])
    expected = [float(mp_logcdf(v, w)) for v, w in zip([0.3, 2.5, 1e10], z)]
    np.testing.assert_allclose(d.logcdf(z), expected, rtol=1e-13)
    q = np.array([1e-60, 1e-300, 0.5 - 1e-9])
    t = d.ppf(q)
    assert t[0] == pytest.approx(StudentT(0.3).ppf(1e-60), rel=1e-15)
    assert t[1] == pytest.approx(StudentT(2.5).ppf(1e-300), rel=1e-15)


def test_scalars_give_python_floats():
    d = StudentT(3.0)
    for value in [d.pdf(0.3), d.logpdf(0.3), d.cdf(0.3), d.sf(0.3), d.logcdf(-1e300),
                  d.logsf(2), d.ppf(0.3), d.isf(1e-300), d.mean(), d.var(), d.std(),
                  d.median(), d.entropy(), d.rvs(rng=0)]:
        assert type(value) is float


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"df": 0.0}, "df must be finite and > 0"),
        ({"df": -2.0}, "df must be finite and > 0"),
        ({"df": np.nan}, "df must be finite and > 0"),
        ({"df": np.inf}, "df must be finite and > 0"),
        ({"df": 3.0, "sigma": 0.0}, "sigma must be finite and > 0"),
        ({"df": 3.0, "mu": np.inf}, "mu must be a finite real number"),
        ({"df": [3.0, -1.0]}, "df must be finite and > 0"),
    ],
)
def test_invalid_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        StudentT(**kwargs)


def test_invalid_points():
    d = StudentT(3.0)
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\]"):
        d.ppf(1.5)
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\]"):
        d.isf(np.array([0.2, -0.1]))
    with pytest.raises(ValueError, match="q contains NaN"):
        d.ppf(np.array([0.2, np.nan]))
    with pytest.raises(ValueError, match="x is NaN"):
        d.cdf(float("nan"))
    assert d.ppf(0.0) == -np.inf and d.ppf(1.0) == np.inf and d.isf(0.0) == np.inf


# --- moments -------------------------------------------------------------------------------
def test_moments_match_scipy():
    for df in [1.5, 2.0, 2.5, 7.0, 1e6]:
        d, ref = StudentT(df, mu=-2.0, sigma=3.0), stats.t(df, loc=-2.0, scale=3.0)
        assert d.mean() == ref.mean()
        assert d.var() == pytest.approx(ref.var(), rel=1e-14)
        assert d.median() == -2.0
    assert StudentT(1.5).var() == np.inf and StudentT(2.0).std() == np.inf


def test_undefined_moments():
    with pytest.raises(ValueError, match="mean of StudentT is undefined for df <= 1"):
        StudentT(1.0).mean()
    with pytest.raises(ValueError, match="variance of StudentT is undefined for df <= 1"):
        StudentT(0.5).var()
    with pytest.raises(ValueError, match="variance of StudentT is undefined"):
        StudentT(0.5).std()
    batch = StudentT(np.array([0.5, 1.5, 3.0]), mu=1.0)
    np.testing.assert_array_equal(batch.mean(), [np.nan, 1.0, 1.0])  # documented NaN entries
    np.testing.assert_array_equal(batch.var(), [np.nan, np.inf, 3.0])


@pytest.mark.parametrize("df", [0.01, 0.3, 1.0, 3.0, 30.0, 99.0, 101.0, 1e3, 1e6, 1e10])
def test_entropy_matches_scipy(df):
    assert StudentT(df, sigma=2.5).entropy() == pytest.approx(
        stats.t(df, scale=2.5).entropy(), rel=1e-12
    )


def test_entropy_against_mpmath():
    def exact(df):
        df = mp.mpf(df)
        return (df + 1) / 2 * (mp.digamma((df + 1) / 2) - mp.digamma(df / 2)) + mp.log(
            mp.sqrt(df) * mp.beta(df / 2, mp.mpf(1) / 2)
        )

    for df in [0.05, 5.0, 39.0, 41.0, 6000.0, 1e8]:
        assert StudentT(df).entropy() == pytest.approx(float(exact(df)), rel=1e-14)


# --- sampling ------------------------------------------------------------------------------
@pytest.mark.parametrize("df, mu, sigma", [(3.0, 1.0, 2.0), (0.7, 0.0, 1.0), (50.5, -3.0, 0.1)])
def test_rvs_follow_the_cdf(df, mu, sigma):
    d = StudentT(df, mu=mu, sigma=sigma)
    sample = d.rvs(20000, rng=12)
    assert stats.kstest(sample, d.cdf).pvalue > 0.01


def test_rvs_shapes():
    d = StudentT(3.0)
    assert type(d.rvs(rng=1)) is float
    assert d.rvs(5, rng=1).shape == (5,)
    assert d.rvs((2, 3), rng=1).shape == (2, 3)
    np.testing.assert_array_equal(d.rvs(4, rng=7), d.rvs(4, rng=7))
    batch = StudentT(np.array([1.0, 2.0, 3.0]), mu=np.array([0.0, 10.0, 20.0]))
    assert batch.rvs(rng=1).shape == (3,)
    assert batch.rvs((1000, 3), rng=1).shape == (1000, 3)
    medians = np.median(batch.rvs((4000, 3), rng=2), axis=0)
    np.testing.assert_allclose(medians, [0, 10, 20], atol=0.1)
    with pytest.raises(ValueError, match="must contain the parameters' shape"):
        batch.rvs((4, 1), rng=1)


# --- maximum likelihood --------------------------------------------------------------------
def scipy_loglik(x, params):
    return float(np.sum(stats.t(*params).logpdf(x)))


@pytest.mark.parametrize("df", [1.0, 3.0, 12.0])
def test_fit_at_least_as_good_as_scipy(df):
    x = 2.0 + 0.5 * np.random.default_rng(int(df)).standard_t(df, 1500)
    fit = StudentT.fit(x)
    theirs = scipy_loglik(x, stats.t.fit(x))
    assert fit.fit_result.log_likelihood >= theirs - 1e-9 * abs(theirs)
    assert fit.fit_result.converged and fit.fit_result.free == ("df", "mu", "sigma")
    # the score vanishes at the estimate (checked by central differences)
    ll = fit.fit_result.log_likelihood
    for name in ("df", "mu", "sigma"):
        params = dict(fit.parameters)
        h = 1e-6 * max(abs(params[name]), 1.0)
        up = StudentT(**{**params, name: params[name] + h}).log_likelihood(x)
        down = StudentT(**{**params, name: params[name] - h}).log_likelihood(x)
        assert abs(up - down) / (2 * h) < 1e-4 * (1 + abs(ll)) ** 0.5


def test_fit_with_fixed_df_matches_scipy():
    x = np.random.default_rng(3).standard_t(3.0, 2000) * 1.7 - 4.0
    fit = StudentT.fit(x, df=3)
    assert fit.df == 3.0 and fit.fit_result.free == ("mu", "sigma")
    theirs = scipy_loglik(x, stats.t.fit(x, fix_df=3))
    assert fit.fit_result.log_likelihood >= theirs - 1e-9 * abs(theirs)
    fit_mu = StudentT.fit(x, df=3, mu=-4.0)
    assert fit_mu.mu == -4.0 and fit_mu.fit_result.free == ("sigma",)
    theirs = scipy_loglik(x, stats.t.fit(x, fix_df=3, floc=-4.0))
    assert fit_mu.fit_result.log_likelihood >= theirs - 1e-9 * abs(theirs)


def test_fit_standard_errors_match_numerical_hessian():
    x = np.random.default_rng(5).standard_t(4.0, 800) + 1.0
    fit = StudentT.fit(x)
    params = fit.parameters

    def loglik(theta):
        return StudentT(*theta).log_likelihood(x)

    theta = np.array([params["df"], params["mu"], params["sigma"]])
    info = fit._information(x, ("df", "mu", "sigma"))
    np.testing.assert_allclose(info, numerical_information(loglik, theta), rtol=2e-5, atol=1e-6)
    np.testing.assert_allclose(
        [fit.fit_result.stderr[p] for p in ("df", "mu", "sigma")],
        np.sqrt(np.diag(np.linalg.inv(numerical_information(loglik, theta)))),
        rtol=1e-4,
    )


def test_information_away_from_the_estimate():
    # the analytic Hessian is right everywhere, not just where the score vanishes
    x = np.random.default_rng(9).standard_t(2.0, 300)
    d = StudentT(5.0, mu=0.3, sigma=0.8)
    theta = np.array([5.0, 0.3, 0.8])
    numeric = numerical_information(lambda t: StudentT(*t).log_likelihood(x), theta)
    analytic = d._information(x, ("df", "mu", "sigma"))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6)


def test_fit_errors():
    with pytest.raises(ValueError, match="zero spread"):
        StudentT.fit([2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="data contains NaN or inf"):
        StudentT.fit([1.0, np.nan])
    with pytest.raises(ValueError, match="data is empty"):
        StudentT.fit([])
    with pytest.raises(TypeError, match="unknown parameter"):
        StudentT.fit([1.0, 2.0], nu=3)
    # light tails: the likelihood increases all the way to df -> inf
    uniform = np.random.default_rng(0).uniform(size=500)
    with pytest.raises(ValueError, match="maximum-likelihood df does not exist"):
        StudentT.fit(uniform)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fixed = StudentT.fit(uniform, df=30)
    assert fixed.fit_result.converged


def test_fit_constant_data_with_sigma_fixed():
    fit = StudentT.fit([1.5, 1.5, 1.5], df=4, sigma=1.0)
    assert fit.mu == pytest.approx(1.5, abs=1e-12)


# --- properties ----------------------------------------------------------------------------
@given(
    df=st.floats(0.2, 1e4),
    q=st.floats(1e-12, 1 - 1e-12),
)
def test_cdf_inverts_ppf(df, q):
    d = StudentT(df, mu=0.3, sigma=1.7)
    assert d.cdf(d.ppf(q)) == pytest.approx(q, rel=1e-9)
    assert d.sf(d.isf(q)) == pytest.approx(q, rel=1e-9)


@given(df=st.floats(0.2, 1e4), z=st.floats(-1e6, 1e6))
def test_symmetry(df, z):
    d = StudentT(df)
    assert d.cdf(z) == d.sf(-z)
    assert d.logcdf(z) == d.logsf(-z)
    assert d.pdf(z) == d.pdf(-z)
