"""Beta against scipy.stats.beta, mpmath and closed forms.

Tolerances: 1e-12 relative against SciPy for moderate shapes. For large shapes SciPy's
logpdf (the direct formula) loses up to 1e-10 and its logcdf/logsf underflow to -inf;
there the reference is mpmath at 50 digits (positive hypergeometric series for I_x).
"""

from __future__ import annotations

import math
import warnings

import mpmath as mp
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import integrate, special, stats

from mlfoundations.probability._fitting import numerical_information
from mlfoundations.probability.beta import Beta

mp.mp.dps = 50


def assert_like(ours, ref, rtol):
    """Equal non-finite/zero pattern, finite non-zero entries to rtol."""
    ours, ref = np.asarray(ours, dtype=float), np.asarray(ref, dtype=float)
    assert ours.shape == ref.shape
    exact = ~np.isfinite(ref) | (ref == 0)
    np.testing.assert_array_equal(ours[exact], ref[exact])
    np.testing.assert_allclose(ours[~exact], ref[~exact], rtol=rtol, atol=0)


def mp_log_ibeta(a, b, x):
    """log I_x(a, b) = log[x^a (1-x)^b / (a B)] + log sum_n (a+b)_n/(a+1)_n x^n (DLMF 8.17.8)."""
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    total, term, n = mp.mpf(1), mp.mpf(1), 0
    while term > total * mp.mpf(10) ** -45:
        term *= (a + b + n) / (a + 1 + n) * x
        total += term
        n += 1
    return a * mp.log(x) + b * mp.log1p(-x) - mp.log(a) - mp.log(mp.beta(a, b)) + mp.log(total)


def mp_logpdf(a, b, x):
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    return (a - 1) * mp.log(x) + (b - 1) * mp.log1p(-x) - mp.log(mp.beta(a, b))


SHAPES = [(2.0, 3.0), (0.5, 0.5), (1.0, 1.0), (1.0, 3.0), (3.0, 1.0), (0.01, 0.02)]
SHAPES += [(50.0, 20.0), (0.2, 7.0)]
X = np.array([0.0, 1e-300, 1e-100, 1e-20, 1e-8, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
X = np.concatenate([X, [1 - 1e-8, 1 - 1e-16, 1.0]])


@pytest.mark.parametrize("a, b", SHAPES)
@pytest.mark.parametrize("method", ["pdf", "logpdf", "cdf", "sf", "logcdf", "logsf"])
def test_matches_scipy(a, b, method):
    ours = getattr(Beta(a, b), method)(X)
    ref = getattr(stats.beta(a, b), method)(X)
    if method == "sf":
        # SciPy's betaincc(0.5, 0.5, 1e-20) is 1.0, but the arcsine law has
        # S = 1 - 6.4e-11 there: where SciPy's cdf is <= 1/2, 1 - cdf is the exact reference
        cdf = stats.beta(a, b).cdf(X)
        ref = np.where(cdf <= 0.5, 1.0 - cdf, ref)
    if method in ("logcdf", "logsf"):
        keep = np.isfinite(ref) | (ref == np.inf)  # SciPy's log(0) = -inf: mpmath tests below
        assert_like(ours[keep], ref[keep], rtol=1e-12)
        assert not np.isnan(ours).any()
    else:
        assert_like(ours, ref, rtol=1e-12)


def test_arcsine_law_exactly():
    # Beta(1/2, 1/2): F(x) = (2/pi) arcsin(sqrt(x)); SciPy's sf(1e-20) returns 1.0
    d = Beta(0.5, 0.5)
    for x in [1e-300, 1e-20, 1e-6, 0.3, 0.5, 0.9]:
        exact = 2 / mp.pi * mp.asin(mp.sqrt(mp.mpf(x)))
        assert d.cdf(x) == pytest.approx(float(exact), rel=1e-14)
        assert d.sf(x) == pytest.approx(float(1 - exact), rel=1e-14)
    assert d.sf(1e-20) < 1.0


def test_density_at_the_ends():
    # +inf for a < 1, b for a = 1 (the density at 0 is 1/B(1, b) = b), 0 for a > 1
    assert Beta(0.5, 2.0).pdf(0.0) == np.inf
    assert Beta(1.0, 4.0).pdf(0.0) == pytest.approx(4.0, rel=1e-15)
    assert Beta(2.0, 4.0).pdf(0.0) == 0.0 and Beta(2.0, 4.0).logpdf(0.0) == -np.inf
    assert Beta(3.0, 1.0).pdf(1.0) == pytest.approx(3.0, rel=1e-15)
    assert Beta(3.0, 0.3).logpdf(1.0) == np.inf
    assert Beta(300.0, 200.0).logpdf(0.0) == -np.inf and Beta(300.0, 200.0).logpdf(1.0) == -np.inf


@pytest.mark.parametrize(
    "a, b",
    [(200.0, 150.0), (1e3, 2e3), (1e5, 1e5), (3e9, 1e9), (1e8, 3.0), (1e-3, 1e5), (1e4, 0.5)],
)
def test_logpdf_large_shapes_against_mpmath(a, b):
    # SciPy's (a-1) log x + (b-1) log1p(-x) - betaln(a, b) loses ~1e-10 at a = b = 1e5;
    # ours switches to the saddle-point form. Tolerance: 1e-14 plus the conditioning of
    # log f in x, 4 eps |x d log f/dx| (forming c x alone rounds x by eps).
    d = Beta(a, b)
    mean = a / (a + b)
    sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    xs = [x for x in [mean - 3 * sd, mean, mean + 2 * sd, 0.3, 0.9] if 0 < x < 1]
    for x in xs:
        ref = float(mp_logpdf(a, b, x))
        tol = 1e-14 * (1 + abs(ref)) + 4 * 2.2e-16 * abs((a - 1) - (b - 1) * x / (1 - x))
        assert abs(d.logpdf(x) - ref) <= tol
        assert d.pdf(x) == pytest.approx(math.exp(ref), rel=2 * tol, abs=1e-300)
    np.testing.assert_allclose(d.logpdf(np.array(xs)), [d.logpdf(x) for x in xs], rtol=1e-15)


@pytest.mark.parametrize(
    "a, b, x",
    [(2.0, 3.0, 1e-300), (0.5, 0.5, 1e-310), (1e3, 2e3, 1e-5), (1e3, 2e3, 0.1), (1e5, 1e5, 0.3),
     (1e8, 3.0, 0.5), (200.0, 150.0, 0.1), (30.0, 1e4, 0.3)],
)
def test_logcdf_deep_lower_tail_against_mpmath(a, b, x):
    # SciPy's logcdf is log(betainc), -inf once I_x underflows; ours comes from the
    # continued fraction. Tolerance 1e-13 plus the conditioning a eps of log I in x.
    ref = float(mp_log_ibeta(a, b, x))
    tol = 1e-13 * abs(ref) + 4 * 2.2e-16 * a
    assert abs(Beta(a, b).logcdf(x) - ref) <= tol
    if 1.0 - (1.0 - x) == x:  # the mirror I_x(a, b) = S_{b,a}(1 - x), where 1 - x is exact
        assert abs(Beta(b, a).logsf(1.0 - x) - ref) <= tol


def test_logsf_deep_upper_tail_against_mpmath():
    for a, b, x in [(2000.0, 1000.0, 0.1), (150.0, 200.0, 0.1), (1e5, 1e5, 0.3)]:
        # S(1 - x) for Beta(b, a) is I_x(a, b) with 1 - (1 - x) exact in binary here
        y = 1.0 - x
        ref = float(mp_log_ibeta(a, b, 1.0 - y))
        assert Beta(b, a).logsf(y) == pytest.approx(ref, rel=1e-13)
        both = Beta(b, a).logsf(np.array([y, 0.5]))
        np.testing.assert_allclose(both, [ref, Beta(b, a).logsf(0.5)], rtol=1e-13)


Q = np.array([0.0, 1e-10, 1e-8, 1e-3, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999, 1 - 1e-8, 1 - 1e-16, 1.0])


@pytest.mark.parametrize("a, b", SHAPES + [(1e3, 2e3), (0.5, 80.0)])
def test_ppf_isf_match_scipy(a, b):
    d, ref = Beta(a, b), stats.beta(a, b)
    for method in ("ppf", "isf"):
        assert_like(getattr(d, method)(Q), getattr(ref, method)(Q), rtol=1e-12)


@pytest.mark.parametrize("a, b", SHAPES + [(1e3, 2e3), (0.5, 80.0), (1e3, 20.0), (1e5, 1e3)])
def test_deep_quantiles_against_mpmath(a, b):
    # below q = 1e-10 SciPy's betaincinv is not reliable (NaN at (2, 5, 1e-300); at
    # (1e3, 20, 1e-300) its x has I_x = e^36 q); ours: relative error in x from the
    # residual of log I and its slope d log I / d log x, to ~|log q| eps
    # isf(q) = x near 1 is checked through y = 1 - x, I_y(b, a) = q, allowing for the
    # rounding of x itself, up to 2 ulp: 2.2e-16 / y relative in y
    d = Beta(a, b)
    for q in [1e-300, 1e-200, 1e-100, 1e-30, 1e-11]:
        y = 1.0 - d.isf(q)
        for p, r, v, slack in [(a, b, d.ppf(q), 0.0), (b, a, y, 2.2e-16 / y if y else 0.0)]:
            if not 0.0 < v < 0.5:  # under/overflows: nothing to compare
                continue
            log_i = mp_log_ibeta(p, r, v)
            log_pdf = mp_logpdf(p, r, v)
            slope = mp.exp(log_pdf + mp.log(v) - log_i)
            error = abs(float((log_i - mp.log(q)) / slope))
            assert error < 4e-16 * (1 + abs(math.log(q))) + slack


@pytest.mark.parametrize(
    "a, b, q", [(2.0, 5.0, 1e-300), (5.0, 1.5, 1e-250), (2.0, 1e4, 1e-300), (3.0, 3.0, 1e-250)]
)
def test_ppf_where_scipy_gives_nan(a, b, q):
    # scipy.special.betaincinv returns NaN here (and scipy.stats.beta(2, 5).ppf(1e-300)
    # returns 4e-51, whose cdf is 1e-100); the deep-tail Newton iteration does not
    assert np.isnan(special.betaincinv(a, b, q))
    x = Beta(a, b).ppf(q)
    assert 0.0 < x < 1.0
    residual = mp_log_ibeta(a, b, x) - mp.log(q)
    assert abs(float(residual)) < 1e-13 * abs(math.log(q))
    y = Beta(b, a).isf(q)  # isf of the mirror: 1 - y = x
    assert 1.0 - y == pytest.approx(x, rel=1e-10) or y == 1.0


def test_ppf_underflows_to_zero_not_to_the_smallest_normal():
    # betaincinv(0.01, 5, 1e-300) returns 2.2e-308, whose cdf is ~8e-4; the true x ~ 1e-30000
    assert Beta(0.01, 5.0).ppf(1e-300) == 0.0
    assert Beta(0.01, 5.0).cdf(Beta(0.01, 5.0).ppf(1e-3)) == pytest.approx(1e-3, rel=1e-12)


# --- batches, support, errors, types -------------------------------------------------------
def test_batch_broadcasting():
    a = np.array([[0.5], [2.0], [30.0]])
    b = np.array([0.7, 4.0])
    d, ref = Beta(a, b), stats.beta(a, b)
    x = np.array([0.05, 0.5, 0.93]).reshape(3, 1, 1)
    for method in ["pdf", "logpdf", "cdf", "sf", "logcdf", "logsf"]:
        out = getattr(d, method)(x)
        assert out.shape == (3, 3, 2)
        np.testing.assert_allclose(out, getattr(ref, method)(x), rtol=1e-12)
    q = np.array([0.01, 0.5, 0.97]).reshape(3, 1, 1)
    np.testing.assert_allclose(d.ppf(q), ref.ppf(q), rtol=1e-12)
    np.testing.assert_allclose(d.isf(q), ref.isf(q), rtol=1e-12)
    for method in ["mean", "var", "median", "entropy"]:
        np.testing.assert_allclose(getattr(d, method)(), getattr(ref, method)(), rtol=1e-12)


def test_batch_with_large_and_small_shapes():
    d = Beta(np.array([2.0, 1e5]), np.array([3.0, 1e5]))
    x = np.array([0.3, 0.499])
    expected = [float(mp_logpdf(2, 3, 0.3)), float(mp_logpdf(1e5, 1e5, 0.499))]
    np.testing.assert_allclose(d.logpdf(x), expected, rtol=1e-13)
    lo = d.logcdf(np.array([1e-300, 0.45]))
    expected = [float(mp_log_ibeta(2, 3, 1e-300)), float(mp_log_ibeta(1e5, 1e5, 0.45))]
    np.testing.assert_allclose(lo, expected, rtol=1e-13)


def test_outside_the_support():
    d = Beta(2.0, 3.0)
    x = np.array([-1.0, -1e-300, 1.0 + 1e-15, 5.0])
    np.testing.assert_array_equal(d.pdf(x), 0.0)
    np.testing.assert_array_equal(d.logpdf(x), -np.inf)
    np.testing.assert_array_equal(d.cdf(x), [0, 0, 1, 1])
    np.testing.assert_array_equal(d.sf(x), [1, 1, 0, 0])
    np.testing.assert_array_equal(d.logcdf(x), [-np.inf, -np.inf, 0, 0])
    np.testing.assert_array_equal(d.logsf(x), [0, 0, -np.inf, -np.inf])
    assert d.pdf(-0.5) == 0.0 and d.cdf(7.0) == 1.0 and d.logsf(1.0) == -np.inf
    assert d.support == (0.0, 1.0)


def test_scalars_give_python_floats():
    d = Beta(2.0, 3.0)
    for value in [d.pdf(0.3), d.logpdf(0.3), d.cdf(0.3), d.sf(0.3), d.logcdf(1e-300),
                  d.logsf(0.3), d.ppf(0.3), d.isf(0.3), d.mean(), d.var(), d.std(),
                  d.median(), d.entropy(), d.rvs(rng=0), d.kl_divergence(Beta(1.0, 1.0))]:
        assert type(value) is float


@pytest.mark.parametrize(
    "args, match",
    [
        ((0.0, 1.0), "a must be finite and > 0"),
        ((-1.0, 1.0), "a must be finite and > 0"),
        ((np.nan, 1.0), "a must be finite and > 0"),
        ((1.0, np.inf), "b must be finite and > 0"),
        (([1.0, 2.0], [1.0, -2.0]), "b must be finite and > 0"),
    ],
)
def test_invalid_parameters(args, match):
    with pytest.raises(ValueError, match=match):
        Beta(*args)


def test_invalid_shapes_and_points():
    with pytest.raises(ValueError, match="do not broadcast"):
        Beta(np.ones(3), np.ones(2))
    with pytest.raises(TypeError, match="a must be a real number"):
        Beta("2", 3.0)
    d = Beta(2.0, 3.0)
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\]"):
        d.ppf(-0.1)
    with pytest.raises(ValueError, match="q is NaN"):
        d.isf(float("nan"))
    with pytest.raises(ValueError, match="x contains NaN"):
        d.pdf(np.array([0.2, np.nan]))


# --- moments, entropy, divergence ----------------------------------------------------------
@pytest.mark.parametrize("a, b", SHAPES)
def test_moments_match_scipy(a, b):
    d, ref = Beta(a, b), stats.beta(a, b)
    assert d.mean() == pytest.approx(ref.mean(), rel=1e-15)
    assert d.var() == pytest.approx(ref.var(), rel=1e-14)
    assert d.median() == pytest.approx(ref.median(), rel=1e-12)
    assert d.entropy() == pytest.approx(ref.entropy(), rel=1e-12, abs=1e-14)


def test_entropy_against_mpmath():
    def exact(a, b):
        a, b = mp.mpf(a), mp.mpf(b)
        return (mp.log(mp.beta(a, b)) - (a - 1) * mp.digamma(a) - (b - 1) * mp.digamma(b)
                + (a + b - 2) * mp.digamma(a + b))

    # the O(a log a) terms cancel: SciPy's direct formula loses ~1e-10 at a = b = 1e5
    for a, b in [(1e-3, 1e-3), (19.0, 21.0), (1e5, 2e5), (1e8, 0.5), (1e10, 3e9), (7.0, 1e6)]:
        assert Beta(a, b).entropy() == pytest.approx(float(exact(a, b)), rel=1e-14, abs=1e-14)


def test_kl_divergence():
    p, q = Beta(2.0, 5.0), Beta(3.5, 1.5)
    closed = p.kl_divergence(q)
    integrand = lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x))  # noqa: E731
    assert closed == pytest.approx(integrate.quad(integrand, 0, 1, epsabs=1e-13)[0], rel=1e-9)
    sample = p.rvs(200_000, rng=4)
    log_ratio = p.logpdf(sample) - q.logpdf(sample)
    stderr = log_ratio.std() / math.sqrt(sample.size)
    assert abs(log_ratio.mean() - closed) < 4 * stderr
    assert p.kl_divergence(p) == 0.0
    batch = Beta(np.array([2.0, 3.5]), np.array([5.0, 1.5])).kl_divergence(Beta(3.5, 1.5))
    np.testing.assert_allclose(batch, [closed, 0.0], atol=1e-15)
    with pytest.raises(TypeError, match="no closed-form KL divergence"):
        p.kl_divergence(stats.beta(2, 5))


# --- sampling ------------------------------------------------------------------------------
@pytest.mark.parametrize("a, b", [(2.0, 3.0), (0.5, 0.5), (30.0, 70.0), (0.3, 4.0)])
def test_rvs_follow_the_cdf(a, b):
    d = Beta(a, b)
    assert stats.kstest(d.rvs(20000, rng=21), d.cdf).pvalue > 0.01


def test_rvs_shapes():
    d = Beta(2.0, 3.0)
    assert type(d.rvs(rng=1)) is float
    assert d.rvs(5, rng=1).shape == (5,)
    assert d.rvs((2, 3), rng=1).shape == (2, 3)
    np.testing.assert_array_equal(d.rvs(4, rng=np.random.default_rng(3)), d.rvs(4, rng=3))
    batch = Beta(np.array([1.0, 20.0, 300.0]), 10.0)
    assert batch.rvs(rng=1).shape == (3,)
    means = batch.rvs((5000, 3), rng=2).mean(axis=0)
    np.testing.assert_allclose(means, batch.mean(), rtol=0.02)
    with pytest.raises(ValueError, match="does not broadcast"):
        batch.rvs((4, 2), rng=1)


# --- maximum likelihood --------------------------------------------------------------------
def scipy_loglik(x, a, b):
    return float(np.sum(stats.beta(a, b).logpdf(x)))


@pytest.mark.parametrize("a, b", [(2.5, 0.7), (0.3, 0.4), (40.0, 60.0), (1e-2, 3.0)])
def test_fit_at_least_as_good_as_scipy(a, b):
    x = np.random.default_rng(8).beta(a, b, 3000)
    x = x[(x > 0) & (x < 1)]
    fit = Beta.fit(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ta, tb, _, _ = stats.beta.fit(x, floc=0, fscale=1)
    theirs = scipy_loglik(x, ta, tb)
    assert fit.fit_result.log_likelihood >= theirs - 1e-9 * abs(theirs)
    assert fit.fit_result.converged
    # the score n[s1 - psi(a) + psi(a+b), s2 - psi(b) + psi(a+b)] vanishes
    from scipy.special import digamma

    s1, s2 = np.mean(np.log(x)), np.mean(np.log1p(-x))
    psi_c = digamma(fit.a + fit.b)
    assert abs(s1 - digamma(fit.a) + psi_c) < 1e-10 * (1 + abs(s1))
    assert abs(s2 - digamma(fit.b) + psi_c) < 1e-10 * (1 + abs(s2))


def test_fit_with_one_shape_fixed():
    x = np.random.default_rng(2).beta(2.0, 5.0, 2000)
    fit = Beta.fit(x, a=2)
    assert fit.a == 2.0 and fit.fit_result.free == ("b",)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, tb, _, _ = stats.beta.fit(x, fa=2.0, floc=0, fscale=1)
    theirs = scipy_loglik(x, 2.0, tb)
    assert fit.fit_result.log_likelihood >= theirs - 1e-9 * abs(theirs)
    assert Beta.fit(x, a=2, b=5).fit_result.free == ()
    # constant data: with one shape fixed the other still has a unique maximum, where
    # psi(a) - psi(a + b) = log x
    from scipy.special import digamma

    a = Beta.fit([0.3, 0.3, 0.3], b=4.0).a
    assert digamma(a) - digamma(a + 4.0) == pytest.approx(math.log(0.3), rel=1e-12)


def test_fit_standard_errors():
    x = np.random.default_rng(6).beta(3.0, 1.2, 1000)
    fit = Beta.fit(x)
    theta = np.array([fit.a, fit.b])
    numeric = numerical_information(lambda t: Beta(*t).log_likelihood(x), theta)
    np.testing.assert_allclose(fit._information(x, ("a", "b")), numeric, rtol=1e-6)
    np.testing.assert_allclose(
        [fit.fit_result.stderr["a"], fit.fit_result.stderr["b"]],
        np.sqrt(np.diag(np.linalg.inv(numeric))),
        rtol=1e-6,
    )
    one = Beta.fit(x, a=3.0)
    info_b = numerical_information(lambda t: Beta(3.0, t[0]).log_likelihood(x), np.array([one.b]))
    assert one.fit_result.stderr["b"] == pytest.approx(1 / math.sqrt(info_b[0, 0]), rel=1e-6)


def test_fit_errors():
    with pytest.raises(ValueError, match=r"strictly inside \(0, 1\)"):
        Beta.fit([0.2, 0.0, 0.5])
    with pytest.raises(ValueError, match=r"strictly inside \(0, 1\)"):
        Beta.fit([0.2, 1.0])
    with pytest.raises(ValueError, match=r"strictly inside \(0, 1\)"):
        Beta.fit([-0.2, 0.5])
    with pytest.raises(ValueError, match="zero spread"):
        Beta.fit([0.4, 0.4, 0.4])
    with pytest.raises(ValueError, match="data contains NaN or inf"):
        Beta.fit([0.4, np.nan])
    with pytest.raises(ValueError, match="data is empty"):
        Beta.fit([])


# --- properties ----------------------------------------------------------------------------
@given(a=st.floats(0.05, 1e3), b=st.floats(0.05, 1e3), q=st.floats(1e-12, 1 - 1e-12))
def test_cdf_inverts_ppf(a, b, q):
    # allowance: 1e-9 relative plus what rounding x to a double moves the cdf by,
    # eps max(x, 1 - x) f(x) (near 1, 1 - x has only a few significant bits left)
    d = Beta(a, b)
    x = d.ppf(q)
    slack = 4 * 2.2e-16 * max(x, 1 - x) * d.pdf(x)
    assert abs(d.cdf(x) - q) <= 1e-9 * q + slack
    y = d.isf(q)
    slack = 4 * 2.2e-16 * max(y, 1 - y) * d.pdf(y)
    assert abs(d.sf(y) - q) <= 1e-9 * q + slack


@given(a=st.floats(0.05, 1e3), b=st.floats(0.05, 1e3), x=st.floats(0.0, 0.5))
def test_mirror_symmetry(a, b, x):
    # X ~ Beta(a, b) <=> 1 - X ~ Beta(b, a), checked where 1 - x is exact in binary
    y = 1.0 - x
    assume(1.0 - y == x)
    assert Beta(a, b).logpdf(x) == pytest.approx(Beta(b, a).logpdf(y), rel=1e-12, abs=1e-12)
    assert Beta(a, b).cdf(x) == pytest.approx(Beta(b, a).sf(y), rel=1e-12, abs=1e-300)
