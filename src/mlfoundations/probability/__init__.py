"""Probability: distributions, maximum likelihood, Bayesian updating.

Each family is a class holding its parameters, ``Normal(mu=0, sigma=1)``, with the
methods pdf/pmf, logpdf/logpmf, cdf, logcdf, sf, logsf, ppf, isf, rvs, mean, var, std,
median, entropy, support, log_likelihood, kl_divergence and the class method ``fit``
(maximum likelihood, with standard errors, AIC and BIC in ``fit_result``).
"""

from ._base import ContinuousDistribution, Distribution
from ._discrete import DiscreteDistribution
from ._fitting import FitResult
from .bayes import bayes_rule, bayes_rule_log, bayesian_update, evidence
from .bernoulli import Bernoulli, Binomial
from .beta import Beta
from .categorical import Categorical
from .conjugate import BetaBernoulli, ConjugateModel, GammaPoisson, NormalKnownVariance
from .exponential import Exponential
from .fisher_f import FDistribution
from .gamma import ChiSquare, Gamma
from .inverse_gamma import InverseGamma
from .lognormal import LogNormal
from .multivariate_normal import MultivariateNormal
from .negative_binomial import NegativeBinomial
from .normal import Normal
from .normal_inverse_gamma import NormalInverseGamma, NormalInverseGammaDistribution
from .poisson import Poisson
from .selection import fit_best
from .student_t import StudentT
from .uniform import Uniform

__all__ = [
    # base classes and results
    "Distribution",
    "ContinuousDistribution",
    "DiscreteDistribution",
    "FitResult",
    # continuous families
    "Normal",
    "LogNormal",
    "Exponential",
    "Gamma",
    "ChiSquare",
    "InverseGamma",
    "Beta",
    "Uniform",
    "StudentT",
    "FDistribution",
    "MultivariateNormal",
    # discrete families
    "Bernoulli",
    "Binomial",
    "Poisson",
    "NegativeBinomial",
    "Categorical",
    # fitting and Bayesian inference
    "fit_best",
    "bayes_rule",
    "bayes_rule_log",
    "bayesian_update",
    "evidence",
    "ConjugateModel",
    "BetaBernoulli",
    "GammaPoisson",
    "NormalKnownVariance",
    "NormalInverseGamma",
    "NormalInverseGammaDistribution",
]
