"""The normal (Gaussian) distribution."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ._base import ContinuousDistribution

__all__ = ["Normal", "normal_information"]

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


class Normal(ContinuousDistribution):
    r"""Normal distribution N(mu, sigma^2).

    .. math:: f(x) = \frac{1}{\sigma\sqrt{2\pi}} \exp\left(-\frac{(x-\mu)^2}{2\sigma^2}\right)

    Parameters
    ----------
    mu : float or array_like
        Mean (location), any real number.
    sigma : float or array_like
        Standard deviation (scale), > 0.

    Notes
    -----
    ``scipy.stats.norm(loc=mu, scale=sigma)``. The cdf is Phi((x - mu)/sigma) with
    Phi = ``scipy.special.ndtr``; the log-cdf uses ``log_ndtr``, which stays accurate far
    in the lower tail (log Phi(-40) = -804.608...) where Phi itself underflows. The sf
    uses the symmetry S(x) = Phi(-(x - mu)/sigma), so the upper tail is never 1 - F.
    Maximum likelihood: mu_hat = mean(x), sigma_hat^2 = mean((x - mu_hat)^2) (the biased
    variance), with standard errors sigma/sqrt(n) and sigma/sqrt(2n).

    References
    ----------
    Casella & Berger, *Statistical Inference*, 2nd ed., sections 3.3 and 7.2.

    Examples
    --------
    >>> from mlfoundations.probability import Normal
    >>> round(Normal(mu=0, sigma=1).cdf(1.959963984540054), 12)
    0.975
    >>> Normal().logcdf(-40) < -804.6
    True
    """

    _parameters = {"mu": "real", "sigma": "positive"}

    def __init__(self, mu=0.0, sigma=1.0):
        self._set_parameters(mu=mu, sigma=sigma)

    def _z(self, x):
        return (x - self.mu) / self.sigma

    def _pdf(self, x):
        z = self._z(x)
        return np.exp(-0.5 * z * z) / (self.sigma * math.sqrt(2.0 * math.pi))

    def _logpdf(self, x):
        z = self._z(x)
        return -0.5 * z * z - np.log(self.sigma) - _LOG_SQRT_2PI

    def _cdf(self, x):
        return special.ndtr(self._z(x))

    def _sf(self, x):
        return special.ndtr(-self._z(x))

    def _logcdf(self, x):
        return special.log_ndtr(self._z(x))

    def _logsf(self, x):
        return special.log_ndtr(-self._z(x))

    def _ppf(self, q):
        return self.mu + self.sigma * special.ndtri(q)

    def _isf(self, q):
        return self.mu - self.sigma * special.ndtri(q)

    def _sample(self, rng, shape):
        if not self._scalar:
            return rng.normal(self.mu, self.sigma, size=shape)
        z = rng.standard_normal(shape)  # X = mu + sigma Z, scaled in place
        if self.sigma != 1.0:
            z *= self.sigma
        if self.mu != 0.0:
            z += self.mu
        return z

    def _mean(self):
        return self.mu

    def _var(self):
        return np.square(self.sigma)

    def _median(self):
        return self.mu

    def _entropy(self):
        # h = log(sigma sqrt(2 pi e))
        return 0.5 + _LOG_SQRT_2PI + np.log(self.sigma)

    def _kl(self, other):
        # KL(N0 || N1) = log(s1/s0) + (s0^2 + (m0 - m1)^2) / (2 s1^2) - 1/2
        ratio = np.square(self.sigma / other.sigma)
        return 0.5 * (ratio - 1.0 - np.log(ratio)) + 0.5 * np.square(
            (self.mu - other.mu) / other.sigma
        )

    @classmethod
    def _fit(cls, data, fixed):
        mu = fixed.get("mu", float(np.mean(data)))
        if "sigma" in fixed:
            return {"mu": mu, "sigma": fixed["sigma"]}, 0, True
        sigma = float(np.sqrt(np.mean(np.square(data - mu))))
        if sigma == 0.0:
            raise ValueError(
                "data has zero spread; the normal likelihood has no maximum (sigma -> 0)"
            )
        return {"mu": mu, "sigma": sigma}, 0, True

    def _information(self, data, free):
        return normal_information(data - self.mu, self.sigma, free)


def normal_information(deviations: np.ndarray, sigma: float, free) -> np.ndarray:
    """Observed information of (mu, sigma) for normal deviations d_i = x_i - mu.

    -d2l/dmu2 = n/s^2, -d2l/ds2 = -n/s^2 + 3 sum d^2 / s^4, -d2l/dmu ds = 2 sum d / s^3;
    the entries for the parameters named in ``free``, in that order.
    """
    n, s, d = deviations.size, sigma, deviations
    entries = {
        ("mu", "mu"): n / s**2,
        ("sigma", "sigma"): -n / s**2 + 3.0 * np.sum(d * d) / s**4,
        ("mu", "sigma"): 2.0 * np.sum(d) / s**3,
    }
    return np.array([[entries.get((a, b), entries.get((b, a))) for b in free] for a in free])
