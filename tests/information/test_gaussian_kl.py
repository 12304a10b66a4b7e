"""The VAE term KL(N(mu, diag(exp(logvar))) || N(0, I)): NumPy and autodiff versions
against the closed forms of mlfoundations.probability, Monte Carlo, gradcheck and
PyTorch."""

import math

import numpy as np
import pytest

import mlfoundations.autodiff as ad
from mlfoundations.autodiff import Tensor, gradcheck
from mlfoundations.information import gaussian_kl
from mlfoundations.probability import MultivariateNormal, Normal

# Closed forms evaluated two ways (Cholesky factors vs the diagonal formula): 1e-12
# relative, with an absolute floor for KLs near 0.
RTOL, ATOL = 1e-12, 1e-14


def _case(rng, shape):
    return rng.standard_normal(shape), rng.uniform(-3.0, 3.0, shape)


def test_matches_multivariate_normal_kl(rng):
    for d in (1, 2, 7):
        mu, logvar = _case(rng, d)
        ref = MultivariateNormal(mu, np.diag(np.exp(logvar))).kl_divergence(
            MultivariateNormal(np.zeros(d), np.eye(d)))
        assert gaussian_kl(mu, logvar) == pytest.approx(ref, rel=RTOL, abs=ATOL)
        assert ad.gaussian_kl(mu, logvar).item() == pytest.approx(ref, rel=RTOL, abs=ATOL)


def test_is_a_sum_of_univariate_normal_kls(rng):
    mu, logvar = _case(rng, (6, 4))
    per_dim = Normal(mu=mu, sigma=np.exp(logvar / 2)).kl_divergence(Normal(mu=0.0, sigma=1.0))
    np.testing.assert_allclose(gaussian_kl(mu, logvar), per_dim.sum(axis=-1), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(gaussian_kl(mu.T, logvar.T, axis=0), per_dim.sum(axis=-1),
                               rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ad.gaussian_kl(mu, logvar).numpy(), per_dim.sum(axis=-1),
                               rtol=RTOL, atol=ATOL)


def test_monte_carlo_estimate_agrees():
    rng = np.random.default_rng(7)
    mu, logvar = np.array([0.5, -1.0, 0.0]), np.array([0.3, -0.7, 1.2])
    sigma = np.exp(logvar / 2)
    z = mu + sigma * rng.standard_normal((400_000, 3))
    q = MultivariateNormal(mu, np.diag(sigma**2))
    prior = MultivariateNormal(np.zeros(3), np.eye(3))
    log_ratio = q.logpdf(z) - prior.logpdf(z)  # KL = E_q[log q(z) - log p(z)]
    estimate, se = log_ratio.mean(), log_ratio.std() / math.sqrt(z.shape[0])
    assert abs(estimate - gaussian_kl(mu, logvar)) < 4 * se


def test_known_values_and_accuracy_near_the_prior():
    assert gaussian_kl([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert gaussian_kl([3.0], [0.0]) == 4.5
    assert gaussian_kl([0.0], [math.log(2.0)]) == pytest.approx(0.5 * (1 - math.log(2)), rel=1e-15)
    # logvar = 1e-9: KL = (e^t - 1 - t) / 2 ~ t^2 / 4; expm1 keeps every digit
    t = 1e-9
    assert gaussian_kl([0.0], [t]) == pytest.approx(t * t / 4 + t**3 / 12, rel=1e-7)
    assert gaussian_kl(0.0, np.zeros(5)) == 0.0  # a scalar mean broadcasts
    assert gaussian_kl([0.0], [800.0]) == math.inf  # the variance overflows, no warning


def test_shapes_and_types(rng):
    mu, logvar = _case(rng, (2, 3, 4))
    assert gaussian_kl(mu, logvar).shape == (2, 3)
    assert gaussian_kl(mu, logvar, axis=1).shape == (2, 4)
    assert isinstance(gaussian_kl([1.0], [0.0]), float)
    out = ad.gaussian_kl(Tensor(mu.astype(np.float32)), Tensor(logvar.astype(np.float32)))
    assert out.shape == (2, 3) and out.dtype == np.float32


def test_autodiff_gradients_are_the_closed_form(rng):
    mu, logvar = _case(rng, (5, 3))
    m, lv = Tensor(mu, requires_grad=True), Tensor(logvar, requires_grad=True)
    ad.gaussian_kl(m, lv).mean().backward()
    np.testing.assert_allclose(m.grad, mu / 5, rtol=1e-15)
    np.testing.assert_allclose(lv.grad, np.expm1(logvar) / 2 / 5, rtol=1e-12, atol=1e-16)


def test_gradcheck_autodiff_version(rng):
    mu, logvar = _case(rng, (3, 4))
    report = gradcheck(lambda m, lv: ad.gaussian_kl(m, lv), [mu, logvar], rtol=1e-6, atol=1e-8)
    assert report.passed, str(report)
    report = gradcheck(lambda m, lv: ad.gaussian_kl(m, lv, axis=0), [mu, logvar[:1]],
                       rtol=1e-6, atol=1e-8)
    assert report.passed, str(report)


def test_second_derivatives(rng):
    # d2 KL / dlogvar2 = exp(logvar) / 2 on the diagonal: the graph differentiates twice
    _, logvar = _case(rng, 3)
    mu = np.zeros(3)
    h = ad.hessian(lambda lv: ad.gaussian_kl(mu, lv))(logvar)
    np.testing.assert_allclose(np.asarray(h), np.diag(np.exp(logvar) / 2), rtol=1e-12, atol=1e-15)


@pytest.mark.torch
def test_against_torch(rng):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install torch==2.13.0)")
    mu, logvar = _case(rng, (6, 5))
    m, lv = Tensor(mu, requires_grad=True), Tensor(logvar, requires_grad=True)
    ours = ad.gaussian_kl(m, lv).sum()
    ours.backward()
    tm = torch.tensor(mu, requires_grad=True)
    tlv = torch.tensor(logvar, requires_grad=True)
    ref = torch.distributions.kl_divergence(
        torch.distributions.Normal(tm, torch.exp(tlv / 2)),
        torch.distributions.Normal(torch.zeros_like(tm), torch.ones_like(tm))).sum()
    ref.backward()
    assert ours.item() == pytest.approx(ref.item(), rel=1e-12)
    np.testing.assert_allclose(m.grad, tm.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(lv.grad, tlv.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_errors():
    with pytest.raises(ValueError, match=r"mu with shape \(3,\) and logvar with shape \(2,\) do not broadcast"):
        gaussian_kl(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match=r"mu with shape \(3,\) and logvar with shape \(2,\) do not broadcast"):
        ad.gaussian_kl(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match="mu and logvar are scalars; give at least one latent dimension"):
        gaussian_kl(0.0, 0.0)
    with pytest.raises(ValueError, match="mu and logvar are scalars"):
        ad.gaussian_kl(0.0, 0.0)
    with pytest.raises(ValueError, match="logvar contains NaN"):
        gaussian_kl([0.0], [np.nan])
    with pytest.raises(ValueError, match="mu contains inf"):
        gaussian_kl([np.inf], [0.0])
    with pytest.raises(ValueError, match="axis 1 is out of bounds for mu and logvar with 1 dimension"):
        gaussian_kl([0.0], [0.0], axis=1)
    with pytest.raises(ValueError, match="axis 2 is out of bounds for a tensor with 1 dimensions"):
        ad.gaussian_kl([0.0], [0.0], axis=2)
