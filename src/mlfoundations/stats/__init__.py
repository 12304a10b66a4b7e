"""Statistics: descriptive summaries, moments, tests and intervals, checked against scipy.stats.

The t, normal, chi-square and F distributions behind the tests come from
:mod:`mlfoundations.probability`.
"""

from ._interval_results import BootstrapInterval, IntervalEstimate
from ._results import Chi2ContingencyResult, ConfidenceInterval, TestResult
from .descriptive import DescribeResult, describe, kurtosis, mean, sem, skewness, std, var
from .effect_size import cohens_d, hedges_correction, hedges_g
from .intervals import bootstrap_ci, confidence_interval, mean_difference_ci, proportion_ci
from .moments import RunningMoments
from .multiple_testing import adjust_pvalues
from .nonparametric import (
    MannWhitneyResult,
    PermutationTestResult,
    mann_whitney_u,
    permutation_test,
    u_distribution,
)
from .quantiles import median, quantile
from .tests_chi2 import chi2_contingency, chi2_goodness_of_fit
from .tests_t import ttest_1samp, ttest_ind, ttest_rel
from .tests_z import ztest

__all__ = [
    # descriptive
    "mean",
    "var",
    "std",
    "sem",
    "median",
    "quantile",
    "skewness",
    "kurtosis",
    "describe",
    "DescribeResult",
    "RunningMoments",
    # tests
    "ttest_ind",
    "ttest_rel",
    "ttest_1samp",
    "ztest",
    "chi2_contingency",
    "chi2_goodness_of_fit",
    "permutation_test",
    "mann_whitney_u",
    "u_distribution",
    "cohens_d",
    "hedges_g",
    "hedges_correction",
    "adjust_pvalues",
    # intervals
    "confidence_interval",
    "mean_difference_ci",
    "proportion_ci",
    "bootstrap_ci",
    # results
    "TestResult",
    "ConfidenceInterval",
    "Chi2ContingencyResult",
    "IntervalEstimate",
    "BootstrapInterval",
    "PermutationTestResult",
    "MannWhitneyResult",
]
