"""MultivariateNormal against scipy.stats.multivariate_normal, mpmath and closed forms."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.spatial import distance

from mlfoundations.exceptions import LinAlgError
from mlfoundations.probability import FitResult, Normal
from mlfoundations.probability._fitting import numerical_information
from mlfoundations.probability.multivariate_normal import MultivariateNormal

# scipy evaluates the same formula through an eigendecomposition instead of a Cholesky
# factor; on well-conditioned covariances only rounding order differs. The absolute
# floor is for log densities that happen to cross zero.
RTOL = 1e-12
ATOL = 1e-13
EPS = np.finfo(float).eps


def _spd(d, rng, shift=1.0):
    """A random well-conditioned SPD matrix: A A^T / d + shift I."""
    a = rng.standard_normal((d, d))
    return a @ a.T / d + shift * np.eye(d)


def _case(d, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(d) * 3, _spd(d, rng), rng


# -- densities against scipy --------------------------------------------------------------
@pytest.mark.parametrize("d", [1, 2, 5, 50])
def test_logpdf_pdf_match_scipy(d):
    mean, cov, rng = _case(d, d)
    ours, ref = MultivariateNormal(mean, cov), stats.multivariate_normal(mean, cov)
    x = mean + rng.standard_normal((200, d)) @ np.linalg.cholesky(cov).T * 2.0
    np.testing.assert_allclose(ours.logpdf(x), ref.logpdf(x), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.pdf(x), ref.pdf(x), rtol=RTOL, atol=0)


@pytest.mark.parametrize("d", [1, 3, 50])
def test_far_points_log_density_stays_finite(d):
    mean, cov, rng = _case(d, 10 + d)
    ours, ref = MultivariateNormal(mean, cov), stats.multivariate_normal(mean, cov)
    x = mean + rng.standard_normal((20, d)) * np.array([1e2, 1e4, 1e8, 1e100])[:, None, None]
    x = x.reshape(-1, d)
    lp = ours.logpdf(x)
    assert np.isfinite(lp).all()
    np.testing.assert_allclose(lp, ref.logpdf(x), rtol=RTOL, atol=0)
    # the density itself underflows there, exactly as scipy's does
    np.testing.assert_allclose(ours.pdf(x), ref.pdf(x), rtol=RTOL, atol=0)
    assert (ours.pdf(x[20:]) == 0.0).all()


def test_d1_agrees_with_univariate_normal_and_scipy():
    mvn = MultivariateNormal([1.5], [[4.0]])
    x = np.linspace(-50, 50, 101)
    np.testing.assert_allclose(mvn.logpdf(x), Normal(1.5, 2.0).logpdf(x), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(
        mvn.logpdf(x), stats.multivariate_normal(1.5, 4.0).logpdf(x), rtol=RTOL, atol=ATOL
    )
    np.testing.assert_allclose(mvn.pdf(x[:, None]), Normal(1.5, 2.0).pdf(x), rtol=RTOL, atol=0)
    assert mvn.entropy() == pytest.approx(Normal(1.5, 2.0).entropy(), rel=RTOL)


def test_shapes_of_points():
    mean, cov, _ = _case(3, 0)
    mvn = MultivariateNormal(mean, cov)
    assert type(mvn.logpdf([0.0, 1.0, 2.0])) is float
    assert type(mvn.pdf(np.zeros(3))) is float
    assert mvn.logpdf(np.zeros((1, 3))).shape == (1,)  # kept, unlike scipy's squeeze
    assert mvn.logpdf(np.zeros((4, 2, 3))).shape == (4, 2)
    assert mvn.logpdf(np.zeros((0, 3))).shape == (0,)
    # d = 1: a scalar or a length-1 vector is one point, a vector of length m is m points
    one = MultivariateNormal([0.0], [[1.0]])
    assert type(one.logpdf(0.5)) is float and type(one.logpdf([0.5])) is float
    assert one.logpdf([0.5, 1.0, 2.0]).shape == (3,)
    assert one.logpdf(np.zeros((3, 1))).shape == (3,)


def test_point_shape_errors():
    mvn = MultivariateNormal(np.zeros(3), np.eye(3))
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., 3\).*got shape \(4, 2\)"):
        mvn.logpdf(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., 3\).*got shape \(\)"):
        mvn.pdf(1.0)
    with pytest.raises(TypeError, match="x must be numeric"):
        mvn.logpdf("abc")
    one = MultivariateNormal([0.0], [[1.0]])
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., 1\)"):
        one.logpdf(np.zeros((2, 4)))


def test_nan_and_infinite_points():
    mvn = MultivariateNormal(np.zeros(3), np.eye(3) * 2.0)
    x = np.array([[0.0, 1.0, 2.0], [np.inf, 0.0, 0.0], [0.0, -np.inf, np.inf], [1e200, 0, 0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow/invalid warnings either
        lp = mvn.logpdf(x)
        p = mvn.pdf(x)
    assert np.isfinite(lp[0]) and (lp[1:] == -np.inf).all()
    assert p[0] > 0 and (p[1:] == 0.0).all()
    with pytest.raises(ValueError, match="x contains NaN"):
        mvn.logpdf([0.0, np.nan, 1.0])
    with pytest.raises(ValueError, match="x contains NaN"):
        mvn.pdf(np.array([[0.0, 0, 0], [np.nan, np.inf, 0]]))
    with pytest.raises(ValueError, match="x contains NaN"):
        mvn.mahalanobis([np.nan, 0.0, 0.0])


def test_mahalanobis_matches_scipy_spatial():
    mean, cov, rng = _case(4, 7)
    x = rng.standard_normal((30, 4)) * 5
    vi = np.linalg.inv(cov)  # scipy's function wants the explicit inverse
    ref = [distance.mahalanobis(row, mean, vi) for row in x]
    mvn = MultivariateNormal(mean, cov)
    np.testing.assert_allclose(mvn.mahalanobis(x), ref, rtol=1e-12)
    assert type(mvn.mahalanobis(x[0])) is float
    assert mvn.mahalanobis([np.inf, 0, 0, 0]) == np.inf


@pytest.mark.parametrize("cov_form", ["scalar", "diagonal"])
def test_scalar_and_diagonal_cov_as_scipy(cov_form):
    mean = np.array([1.0, -2.0, 0.5])
    cov = 2.5 if cov_form == "scalar" else np.array([0.5, 2.0, 9.0])
    ours, ref = MultivariateNormal(mean, cov), stats.multivariate_normal(mean, cov)
    np.testing.assert_allclose(ours.cov, ref.cov, rtol=0)
    x = np.random.default_rng(1).standard_normal((50, 3)) * 3
    np.testing.assert_allclose(ours.logpdf(x), ref.logpdf(x), rtol=RTOL, atol=ATOL)


# -- moments and entropy -----------------------------------------------------------------
@pytest.mark.parametrize("d", [1, 2, 10, 50])
def test_moments_entropy_support(d):
    mean, cov, _ = _case(d, 100 + d)
    ours, ref = MultivariateNormal(mean, cov), stats.multivariate_normal(mean, cov)
    assert ours.entropy() == pytest.approx(ref.entropy(), rel=RTOL)
    np.testing.assert_array_equal(ours.mean(), mean)
    np.testing.assert_array_equal(ours.cov, cov)
    np.testing.assert_array_equal(ours.var(), np.diag(cov))
    np.testing.assert_allclose(ours.std(), np.sqrt(np.diag(cov)), rtol=0)
    np.testing.assert_allclose(ours.cholesky @ ours.cholesky.T, cov, rtol=1e-14, atol=1e-14)
    lo, hi = ours.support
    assert lo.shape == hi.shape == (d,) and (lo == -np.inf).all() and (hi == np.inf).all()
    assert ours.dim == d and repr(ours) == f"MultivariateNormal(dim={d})"


def test_stored_parameters_cannot_be_changed():
    mvn = MultivariateNormal([0.0, 0.0], np.eye(2))
    with pytest.raises(ValueError, match="read-only"):
        mvn.cov[0, 0] = 5.0
    m = mvn.mean()
    m += 1.0  # a copy: the distribution does not change
    np.testing.assert_array_equal(mvn.mean(), [0.0, 0.0])
    # the caller's arrays are copied, not frozen
    mean, cov = np.zeros(2), np.eye(2)
    MultivariateNormal(mean, cov)
    mean[0] = cov[0, 0] = 3.0


# -- ill-conditioned covariances: scipy refuses them, mpmath is the reference --------------
def _mp_logpdf(mean, cov, x, dps=50):
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = dps
    d = mean.size
    s = mp.matrix(cov.tolist())
    chol = mp.cholesky(s)
    log_det = 2 * mp.fsum(mp.log(chol[i, i]) for i in range(d))
    out = []
    for row in x:
        dev = mp.matrix([mp.mpf(float(a)) - mp.mpf(float(b)) for a, b in zip(row, mean)])
        y = mp.lu_solve(s, dev)
        maha = mp.fsum(dev[i] * y[i] for i in range(d))
        out.append(float(-(d * mp.log(2 * mp.pi) + log_det + maha) / 2))
    entropy = float((d * (1 + mp.log(2 * mp.pi)) + log_det) / 2)
    return np.array(out), entropy


def _rotated(d, cond, seed):
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    cov = (q * np.logspace(0, -np.log10(cond), d)) @ q.T
    return rng.standard_normal(d), 0.5 * (cov + cov.T), rng


def test_near_singular_rotated_cov_within_backward_error():
    # condition 1e10 with the small eigenvalues in a rotated direction: scipy's default
    # eigenvalue cutoff (1e6 eps max eig ~ 2.2e-10) calls it singular; mpmath at 50
    # digits is exact on the stored matrix. Cholesky is backward stable, so the
    # Mahalanobis term and log det can lose up to ~cond * eps relative: 2.2e-6.
    mean, cov, rng = _rotated(6, 1e10, 3)
    assert 5e9 < np.linalg.cond(cov) < 2e10
    with pytest.raises(ValueError):
        stats.multivariate_normal(mean, cov)
    mvn = MultivariateNormal(mean, cov)
    x = np.vstack([mvn.rvs(10, rng=rng), mean + rng.standard_normal((10, 6))])
    ref, entropy = _mp_logpdf(mean, cov, x)
    tol = 1e10 * EPS
    np.testing.assert_allclose(mvn.logpdf(x), ref, rtol=tol)
    assert mvn.entropy() == pytest.approx(entropy, rel=tol)


def test_near_singular_graded_cov_is_exact_to_1e12():
    # condition 1e10 from scaling alone (Sigma = D C D, C well conditioned): Cholesky is
    # scaling-invariant in its error bounds (van der Sluis), so full accuracy remains.
    rng = np.random.default_rng(4)
    d = 6
    scale = np.logspace(0, -5, d)
    cov = _spd(d, rng) * np.outer(scale, scale)
    assert np.linalg.cond(cov) > 1e9
    mean = rng.standard_normal(d) * scale
    mvn = MultivariateNormal(mean, cov)
    x = np.vstack([mvn.rvs(10, rng=rng), mean + rng.standard_normal((5, d)) * scale * 10])
    ref, entropy = _mp_logpdf(mean, cov, x)
    np.testing.assert_allclose(mvn.logpdf(x), ref, rtol=RTOL)
    assert mvn.entropy() == pytest.approx(entropy, rel=RTOL)


def test_ill_conditioned_cov_as_accurate_as_scipy():
    # condition 1e9, which scipy still accepts: both against mpmath, ours no worse
    mean, cov, rng = _rotated(5, 1e9, 5)
    ours, ref_scipy = MultivariateNormal(mean, cov), stats.multivariate_normal(mean, cov)
    x = np.vstack([ours.rvs(10, rng=rng), mean + rng.standard_normal((10, 5))])
    exact, _ = _mp_logpdf(mean, cov, x)
    err_ours = np.max(np.abs(ours.logpdf(x) / exact - 1))
    err_scipy = np.max(np.abs(ref_scipy.logpdf(x) / exact - 1))
    assert err_ours <= max(4 * err_scipy, 1e-13), (err_ours, err_scipy)
    assert err_ours < 1e9 * EPS


# -- sampling -----------------------------------------------------------------------------
def test_rvs_shapes_and_reproducibility():
    mean, cov, _ = _case(3, 2)
    mvn = MultivariateNormal(mean, cov)
    assert mvn.rvs(rng=0).shape == (3,)
    assert mvn.rvs(5, rng=0).shape == (5, 3)
    assert mvn.rvs((2, 4), rng=0).shape == (2, 4, 3)
    assert mvn.rvs(0, rng=0).shape == (0, 3)
    np.testing.assert_array_equal(mvn.rvs(7, rng=11), mvn.rvs(7, rng=np.random.default_rng(11)))
    assert MultivariateNormal([0.0], 1.0).rvs(rng=0).shape == (1,)
    with pytest.raises(ValueError, match="size must be a non-negative int"):
        mvn.rvs(-1)
    with pytest.raises(ValueError, match="size must be a non-negative int"):
        mvn.rvs((2.5,))
    with pytest.raises(TypeError, match="rng must be None"):
        mvn.rvs(3, rng="seed")


@pytest.mark.parametrize("d", [1, 3, 10])
def test_rvs_mahalanobis_is_chi_square(d):
    mean, cov, _ = _case(d, 30 + d)
    mvn = MultivariateNormal(mean, cov)
    x = mvn.rvs(20000, rng=12345)
    # the reference's own Mahalanobis distance, so the test does not grade itself
    dev = x - mean
    maha_sq = np.einsum("ij,ij->i", dev, np.linalg.solve(cov, dev.T).T)
    assert stats.kstest(maha_sq, stats.chi2(d).cdf).pvalue > 0.01


@pytest.mark.parametrize("d", [2, 5])
def test_rvs_sample_mean_and_cov(d):
    mean, cov, _ = _case(d, 40 + d)
    n = 200000
    x = MultivariateNormal(mean, cov).rvs(n, rng=2024)
    # within 4 standard errors: se(mean_i) = sqrt(S_ii / n),
    # se(cov_ij) = sqrt((S_ij^2 + S_ii S_jj) / n) (Wishart second moments)
    se_mean = np.sqrt(np.diag(cov) / n)
    se_cov = np.sqrt((cov**2 + np.outer(np.diag(cov), np.diag(cov))) / n)
    assert (np.abs(x.mean(axis=0) - mean) < 4 * se_mean).all()
    assert (np.abs(np.cov(x.T, bias=True) - cov) < 4 * se_cov).all()


# -- KL divergence ------------------------------------------------------------------------
def _kl_reference(m0, s0, m1, s1):
    """The textbook formula with explicit inverse and slogdet (numpy), as an oracle."""
    inv1 = np.linalg.inv(s1)
    dm = m1 - m0
    return 0.5 * (
        np.trace(inv1 @ s0)
        + dm @ inv1 @ dm
        - m0.size
        + np.linalg.slogdet(s1)[1]
        - np.linalg.slogdet(s0)[1]
    )


@settings(max_examples=40)
@given(st.integers(1, 8), st.integers(0, 2**32 - 1))
def test_kl_matches_textbook_formula_and_is_nonnegative(d, seed):
    rng = np.random.default_rng(seed)
    m0, m1 = rng.standard_normal((2, d))
    s0, s1 = _spd(d, rng, 0.5), _spd(d, rng, 0.5)
    kl = MultivariateNormal(m0, s0).kl_divergence(MultivariateNormal(m1, s1))
    ref = _kl_reference(m0, s0, m1, s1)
    assert kl >= 0
    # the oracle's own rounding (explicit inverse, d terms cancelling) sets the floor
    assert kl == pytest.approx(ref, rel=1e-10, abs=1e-12 * d)


def test_kl_monte_carlo():
    mean0, cov0, rng = _case(3, 50)
    mean1, cov1 = rng.standard_normal(3), _spd(3, rng, 0.7)
    p, q = MultivariateNormal(mean0, cov0), MultivariateNormal(mean1, cov1)
    x = p.rvs(200000, rng=99)
    log_ratio = p.logpdf(x) - q.logpdf(x)
    se = log_ratio.std() / math.sqrt(x.shape[0])
    assert abs(p.kl_divergence(q) - log_ratio.mean()) < 4 * se


def test_kl_d1_equals_univariate_normal():
    p, q = MultivariateNormal([0.3], [[2.25]]), MultivariateNormal([-1.2], [[0.49]])
    # log(s1/s0) + (s0^2 + (m0 - m1)^2) / (2 s1^2) - 1/2
    closed = math.log(0.7 / 1.5) + (2.25 + 1.5**2) / (2 * 0.49) - 0.5
    assert p.kl_divergence(q) == pytest.approx(closed, rel=RTOL)
    univariate = Normal(0.3, 1.5).kl_divergence(Normal(-1.2, 0.7))
    assert p.kl_divergence(q) == pytest.approx(univariate, rel=RTOL)


def test_kl_diagonal_is_sum_of_univariate():
    rng = np.random.default_rng(6)
    m0, m1 = rng.standard_normal((2, 20))
    v0, v1 = rng.uniform(0.1, 5.0, (2, 20))
    kl = MultivariateNormal(m0, v0).kl_divergence(MultivariateNormal(m1, np.diag(v1)))
    parts = Normal(m0, np.sqrt(v0)).kl_divergence(Normal(m1, np.sqrt(v1)))
    assert kl == pytest.approx(float(np.sum(parts)), rel=RTOL)


def test_kl_vae_term():
    rng = np.random.default_rng(7)
    mu, log_var = rng.standard_normal(16), rng.standard_normal(16)
    prior = MultivariateNormal(np.zeros(16), 1.0)
    kl = MultivariateNormal(mu, np.exp(log_var)).kl_divergence(prior)
    vae = 0.5 * np.sum(np.exp(log_var) + mu**2 - 1.0 - log_var)
    assert kl == pytest.approx(vae, rel=RTOL)


def test_kl_of_close_distributions_does_not_cancel():
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 40
    # Sigma_1 = (1 + 1e-6) Sigma_0 in d = 5: KL = d/2 (r - 1 - log r), r = 1/(1 + 1e-6),
    # about 1.25e-12. The textbook sum tr - d + log det loses ~eps d / KL ~ 1e-3 of it.
    p = MultivariateNormal(np.zeros(5), np.diag([1.0, 2.0, 3.0, 4.0, 5.0]))
    q = MultivariateNormal(np.zeros(5), np.diag([1.0, 2.0, 3.0, 4.0, 5.0]) * (1 + 1e-6))
    r = mp.mpf(1) / (1 + mp.mpf(1e-6))
    exact = float(5 * (r - 1 - mp.log(r)) / 2)
    # the factor ratios themselves carry eps relative, i.e. ~eps/u ~ 2e-10 of KL
    assert p.kl_divergence(q) == pytest.approx(exact, rel=1e-8)
    assert p.kl_divergence(p) == 0.0


def test_kl_errors():
    p = MultivariateNormal(np.zeros(2), np.eye(2))
    with pytest.raises(TypeError, match="no closed-form KL divergence between Mu.* and Normal"):
        p.kl_divergence(Normal())
    with pytest.raises(ValueError, match="dimensions differ: self has d=2, other has d=3"):
        p.kl_divergence(MultivariateNormal(np.zeros(3), np.eye(3)))


# -- marginals and conditionals -----------------------------------------------------------
def test_marginal_matches_scipy_on_the_block():
    mean, cov, rng = _case(5, 60)
    idx = [3, 0, -1]
    sub = MultivariateNormal(mean, cov).marginal(idx)
    np.testing.assert_array_equal(sub.mean(), mean[[3, 0, 4]])
    np.testing.assert_array_equal(sub.cov, cov[np.ix_([3, 0, 4], [3, 0, 4])])
    x = rng.standard_normal((10, 3))
    ref = stats.multivariate_normal(mean[[3, 0, 4]], cov[np.ix_([3, 0, 4], [3, 0, 4])])
    np.testing.assert_allclose(sub.logpdf(x), ref.logpdf(x), rtol=RTOL, atol=ATOL)


def test_condition_matches_schur_complement_and_chain_rule():
    mean, cov, rng = _case(6, 61)
    mvn = MultivariateNormal(mean, cov)
    b, a = np.array([4, 1]), np.array([0, 2, 3, 5])
    xb = rng.standard_normal(2)
    cond = mvn.condition(b, xb)
    gain = cov[np.ix_(a, b)] @ np.linalg.inv(cov[np.ix_(b, b)])
    np.testing.assert_allclose(cond.mean(), mean[a] + gain @ (xb - mean[b]), rtol=1e-12)
    np.testing.assert_allclose(
        cond.cov, cov[np.ix_(a, a)] - gain @ cov[np.ix_(b, a)], rtol=1e-12, atol=1e-14
    )
    # chain rule: log f(x) = log f_B(x_B) + log f_{A|B}(x_A | x_B)
    x = np.empty(6)
    x[b], x[a] = xb, rng.standard_normal(4)
    total = mvn.marginal(b).logpdf(xb) + cond.logpdf(x[a])
    assert mvn.logpdf(x) == pytest.approx(total, rel=RTOL)


def test_condition_bivariate_closed_form():
    s1, s2, rho = 2.0, 0.5, -0.6
    cov = [[s1**2, rho * s1 * s2], [rho * s1 * s2, s2**2]]
    cond = MultivariateNormal([1.0, -1.0], cov).condition([1], [0.3])
    assert cond.mean()[0] == pytest.approx(1.0 + rho * s1 / s2 * (0.3 + 1.0), rel=RTOL)
    assert cond.cov[0, 0] == pytest.approx(s1**2 * (1 - rho**2), rel=RTOL)


def test_marginal_condition_errors():
    mvn = MultivariateNormal(np.zeros(3), np.eye(3))
    with pytest.raises(ValueError, match="indices must not repeat a coordinate"):
        mvn.marginal([0, -3])
    with pytest.raises(ValueError, match=r"indices must lie in \[-3, 3\)"):
        mvn.marginal([3])
    with pytest.raises(ValueError, match="indices must be a non-empty 1-D sequence of integers"):
        mvn.marginal([])
    with pytest.raises(ValueError, match="indices must be a non-empty 1-D sequence of integers"):
        mvn.marginal([0.5])
    with pytest.raises(ValueError, match="condition on every coordinate leaves no distribution"):
        mvn.condition([0, 1, 2], [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"values must have one entry per index \(2\)"):
        mvn.condition([0, 1], [0.0])
    with pytest.raises(ValueError, match="values contains NaN"):
        mvn.condition([0], [np.nan])


# -- maximum likelihood -------------------------------------------------------------------
@pytest.mark.parametrize("d", [1, 3, 20])
def test_fit_matches_numpy_and_scipy(d):
    mean, cov, rng = _case(d, 70 + d)
    data = MultivariateNormal(mean, cov).rvs(500, rng=rng)
    fitted = MultivariateNormal.fit(data)
    np.testing.assert_allclose(fitted.mean(), data.mean(axis=0), rtol=RTOL, atol=1e-14)
    np.testing.assert_allclose(
        fitted.cov, np.atleast_2d(np.cov(data.T, bias=True)), rtol=RTOL, atol=1e-14
    )
    if hasattr(stats.multivariate_normal, "fit"):
        m_ref, c_ref = stats.multivariate_normal.fit(data)
        np.testing.assert_allclose(fitted.mean(), m_ref, rtol=RTOL, atol=1e-14)
        np.testing.assert_allclose(fitted.cov, c_ref, rtol=RTOL, atol=1e-14)
        ref_ll = stats.multivariate_normal(m_ref, c_ref).logpdf(data).sum()
        assert fitted.fit_result.log_likelihood >= ref_ll - 1e-9 * abs(ref_ll)
    # the maximum: moving any parameter lowers the likelihood
    ll = fitted.log_likelihood(data)
    assert MultivariateNormal(fitted.mean() + 1e-3, fitted.cov).log_likelihood(data) < ll
    assert MultivariateNormal(fitted.mean(), fitted.cov * 1.01).log_likelihood(data) < ll


def test_fit_result_standard_errors_and_criteria():
    rng = np.random.default_rng(80)
    data = MultivariateNormal([1.0, -1.0], [[2.0, 0.6], [0.6, 1.0]]).rvs(400, rng=rng)
    fitted = MultivariateNormal.fit(data)
    res = fitted.fit_result
    assert isinstance(res, FitResult) and res is fitted.fit_result  # built once
    names = ("mean[0]", "mean[1]", "cov[0,0]", "cov[1,0]", "cov[1,1]")
    assert res.free == names and res.n_params == 5 and res.nobs == 400
    s, n = fitted.cov, 400
    assert res.stderr["mean[1]"] == pytest.approx(math.sqrt(s[1, 1] / n), rel=RTOL)
    assert res.stderr["cov[1,0]"] == pytest.approx(
        math.sqrt((s[1, 0] ** 2 + s[0, 0] * s[1, 1]) / n), rel=RTOL
    )
    assert res.stderr["cov[0,0]"] == pytest.approx(math.sqrt(2 * s[0, 0] ** 2 / n), rel=RTOL)
    assert res.params["cov[1,0]"] == s[1, 0] and res.params["mean[0]"] == fitted.mean()[0]
    ll = stats.multivariate_normal(fitted.mean(), s).logpdf(data).sum()
    assert res.log_likelihood == pytest.approx(ll, rel=RTOL)
    assert res.aic == pytest.approx(2 * 5 - 2 * ll, rel=RTOL)
    assert res.bic == pytest.approx(5 * math.log(400) - 2 * ll, rel=RTOL)
    assert "mean[0]" in str(res) and "(se " in str(res)

    # independent check: invert a numerical Hessian of the log-likelihood in
    # (mean[0], mean[1], cov[0,0], cov[1,0], cov[1,1]); central differences, ~1e-6 rel
    def loglik(theta):
        c = np.array([[theta[2], theta[3]], [theta[3], theta[4]]])
        return MultivariateNormal(theta[:2], c).log_likelihood(data)

    theta = np.array([*fitted.mean(), s[0, 0], s[1, 0], s[1, 1]])
    np.testing.assert_allclose(
        res.cov, np.linalg.inv(numerical_information(loglik, theta)), rtol=1e-4, atol=1e-8
    )
    assert MultivariateNormal([0.0], 1.0).fit_result is None


def test_fit_errors():
    with pytest.raises(ValueError, match=r"data has 3 row\(s\) in d=3 dimensions.*n >= d \+ 1 = 4"):
        MultivariateNormal.fit(np.random.default_rng(0).standard_normal((3, 3)))
    with pytest.raises(ValueError, match="data must be 2-D"):
        MultivariateNormal.fit([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="data contains NaN"):
        MultivariateNormal.fit([[1.0, 2.0], [np.nan, 1.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match="data contains inf"):
        MultivariateNormal.fit([[1.0, 2.0], [np.inf, 1.0], [0.0, 0.0]])
    constant_column = np.column_stack([np.arange(10.0), np.full(10, 3.0)])
    with pytest.raises(ValueError, match="singular sample covariance"):
        MultivariateNormal.fit(constant_column)


def test_log_likelihood():
    mean, cov, rng = _case(4, 90)
    data = rng.standard_normal((50, 4))
    mvn = MultivariateNormal(mean, cov)
    ref = stats.multivariate_normal(mean, cov).logpdf(data).sum()
    assert mvn.log_likelihood(data) == pytest.approx(ref, rel=RTOL)
    assert mvn.log_likelihood(data[0]) == pytest.approx(mvn.logpdf(data[0]), rel=RTOL)
    with pytest.raises(ValueError, match="data contains NaN"):
        mvn.log_likelihood(np.full((2, 4), np.nan))
    with pytest.raises(ValueError, match="data is empty"):
        mvn.log_likelihood(np.zeros((0, 4)))
    with pytest.raises(ValueError, match=r"data must have shape \(\.\.\., 4\)"):
        mvn.log_likelihood(np.zeros((5, 3)))


# -- construction errors ------------------------------------------------------------------
def test_constructor_errors():
    with pytest.raises(LinAlgError, match="cov must be symmetric positive definite"):
        MultivariateNormal([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]])  # eigenvalues 3, -1
    with pytest.raises(ValueError, match="cov must be symmetric positive definite"):
        MultivariateNormal([0.0, 0.0], [[1.0, 1.0], [1.0, 1.0]])  # PSD, singular
    with pytest.raises(ValueError, match="symmetric positive definite; it is not symmetric"):
        MultivariateNormal([0.0, 0.0], [[2.0, 0.5], [0.4, 2.0]])
    with pytest.raises(ValueError, match=r"cov must have shape \(3, 3\) to match mean of length 3"):
        MultivariateNormal(np.zeros(3), np.eye(2))
    with pytest.raises(ValueError, match="cov given as a diagonal must have length 3"):
        MultivariateNormal(np.zeros(3), [1.0, 2.0])
    with pytest.raises(ValueError, match="cov must be symmetric positive definite; a diagonal cov"):
        MultivariateNormal(np.zeros(2), [1.0, 0.0])
    with pytest.raises(ValueError, match="cov must be symmetric positive definite; a scalar cov"):
        MultivariateNormal(np.zeros(2), -1.0)
    with pytest.raises(ValueError, match="mean contains NaN"):
        MultivariateNormal([0.0, np.nan], np.eye(2))
    with pytest.raises(ValueError, match="cov contains inf"):
        MultivariateNormal([0.0, 0.0], [[np.inf, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match=r"mean must be a non-empty 1-D vector, got shape \(0,\)"):
        MultivariateNormal([], 1.0)
    with pytest.raises(ValueError, match=r"mean must be a non-empty 1-D vector, got shape \(2, 1"):
        MultivariateNormal([[0.0], [1.0]], np.eye(2))
    with pytest.raises(ValueError, match="cov must have shape"):
        MultivariateNormal([0.0, 0.0], np.ones((2, 2, 2)))


def test_rounding_asymmetry_is_averaged_away():
    cov = np.array([[2.0, 0.5], [0.5 + 1e-15, 1.0]])
    mvn = MultivariateNormal([0.0, 0.0], cov)
    np.testing.assert_array_equal(mvn.cov, mvn.cov.T)
    assert mvn.cov[0, 1] == pytest.approx(0.5, rel=1e-14)
    assert MultivariateNormal(0.0, 2.0).dim == 1  # a scalar mean is d = 1, as in scipy
