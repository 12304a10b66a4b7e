"""Probability: distributions, maximum likelihood, Bayesian updating.

Each family is a class holding its parameters, ``Normal(mu=0, sigma=1)``, with the
methods pdf/pmf, logpdf/logpmf, cdf, logcdf, sf, logsf, ppf, isf, rvs, mean, var, std,
median, entropy, support, log_likelihood, kl_divergence and the class method ``fit``.
"""

from ._base import ContinuousDistribution, DiscreteDistribution, Distribution
from ._fitting import FitResult
from .normal import Normal

__all__ = [
    "Distribution",
    "ContinuousDistribution",
    "DiscreteDistribution",
    "FitResult",
    "Normal",
]
