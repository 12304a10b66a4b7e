"""Parametric hypothesis tests, gathered in one place.

- :mod:`.tests_t`: Student's and Welch's two-sample t (``ttest_ind``), the paired
  (``ttest_rel``) and one-sample (``ttest_1samp``) t-tests;
- :mod:`.tests_z`: the z-test (``ztest``), statsmodels' semantics;
- :mod:`.tests_chi2`: Pearson's chi-square tests, ``chi2_goodness_of_fit`` and
  ``chi2_contingency``.

Each returns a frozen :class:`~mlfoundations.stats._results.TestResult` that
unpacks as ``statistic, pvalue``, prints as a short report, and (for the tests of
means) gives ``confidence_interval(confidence=0.95)``. Effect sizes on their own
(Cohen's d, Hedges' g) are in :mod:`.effect_size`.

Examples
--------
>>> from mlfoundations.stats.tests import ttest_ind
>>> group_a = [85, 87, 82, 86, 88, 85, 87]
>>> group_b = [78, 82, 79, 81, 80, 83, 78]
>>> t, p = ttest_ind(group_a, group_b)
>>> round(t, 4), p < 0.001
(5.3072, True)
"""

from ._results import Chi2ContingencyResult, ConfidenceInterval, TestResult
from .tests_chi2 import chi2_contingency, chi2_goodness_of_fit
from .tests_t import ttest_1samp, ttest_ind, ttest_rel
from .tests_z import ztest

__all__ = [
    "ttest_ind",
    "ttest_rel",
    "ttest_1samp",
    "ztest",
    "chi2_contingency",
    "chi2_goodness_of_fit",
    "TestResult",
    "ConfidenceInterval",
    "Chi2ContingencyResult",
]
