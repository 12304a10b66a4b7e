"""What a hypothesis test returns: a frozen result that unpacks as ``statistic, pvalue``.

Every test (t, z, chi-square, and the rank and resampling tests built later) returns
a :class:`TestResult`. It holds the statistic, the p-value, the degrees of freedom,
the alternative, and, where the test is about a location, the point estimate and
its standard error, from which :meth:`TestResult.confidence_interval` builds the
Wald-type interval ``estimate + standard_error * [q_low, q_high]`` with the
quantiles of the test's reference distribution (Student's t with ``df`` degrees of
freedom, or the standard normal). A test whose interval is not of that form
subclasses :class:`TestResult` and overrides ``confidence_interval``.

``t, p = ttest_ind(a, b)`` works because the result iterates over exactly those two
numbers; everything else is an attribute.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np

__all__ = ["ConfidenceInterval", "TestResult", "Chi2ContingencyResult", "ALTERNATIVES"]

ALTERNATIVES = ("two-sided", "less", "greater")


@dataclass(frozen=True)
class ConfidenceInterval:
    """An interval ``[low, high]`` at a confidence level; unpacks as ``low, high``.

    A one-sided interval has one infinite end: ``(-inf, high]`` for the alternative
    "less", ``[low, inf)`` for "greater".
    """

    low: float
    high: float
    confidence: float

    def __iter__(self):
        yield self.low
        yield self.high

    def __str__(self) -> str:
        return f"{100 * self.confidence:.6g}% CI [{_fmt(self.low)}, {_fmt(self.high)}]"


@dataclass(frozen=True, kw_only=True)
class TestResult:
    """The outcome of a hypothesis test.

    Attributes
    ----------
    test : str
        Name of the test, e.g. "Welch's two-sample t-test".
    statistic : float
        The test statistic.
    pvalue : float
        Probability, under the null hypothesis, of a statistic at least as extreme
        as the one observed (in the direction of ``alternative``).
    df : float or None
        Degrees of freedom of the reference distribution; None for the normal.
    alternative : {"two-sided", "less", "greater"} or None
        The alternative hypothesis; None for tests with a single rejection region
        (the chi-square tests reject for large statistics only).
    statistic_name : str
        Symbol of the statistic in the report ("t", "z", "chi2").
    estimate : float or None
        The point estimate the confidence interval is for (e.g. mean(a) - mean(b)).
    estimate_name : str or None
        What ``estimate`` estimates, for the report.
    null_value : float or None
        The value of the estimated quantity under the null hypothesis.
    standard_error : float or None
        Estimated standard deviation of ``estimate``; the statistic is
        ``(estimate - null_value) / standard_error``.
    effect_size : float or None
        A scale-free size of the effect (Cohen's d, Cramér's V ...).
    effect_size_name : str or None
        Which effect size ``effect_size`` is.
    reference : {"t", "normal"} or None
        Distribution of the pivot ``(estimate - true value) / standard_error`` used
        for the confidence interval.
    """

    test: str
    statistic: float
    pvalue: float
    df: float | None = None
    alternative: str | None = "two-sided"
    statistic_name: str = "statistic"
    estimate: float | None = None
    estimate_name: str | None = None
    null_value: float | None = None
    standard_error: float | None = None
    effect_size: float | None = None
    effect_size_name: str | None = None
    reference: str | None = field(default=None, repr=False)

    __test__ = False  # not a pytest test class, despite the name

    # -- the tuple a user unpacks --------------------------------------------------------
    def __iter__(self):
        yield self.statistic
        yield self.pvalue

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index):
        return (self.statistic, self.pvalue)[index]

    # -- interval ------------------------------------------------------------------------
    def confidence_interval(self, confidence: float = 0.95) -> ConfidenceInterval:
        """Confidence interval for ``estimate`` at level ``confidence``.

        Two-sided: ``estimate + se * [Q(alpha/2), Q(1 - alpha/2)]`` with ``alpha =
        1 - confidence`` and ``Q`` the quantile function of the reference
        distribution (Student's t with ``df`` degrees of freedom, or the standard
        normal). One-sided, matching the alternative: ``(-inf, estimate + se
        Q(confidence)]`` for "less", ``[estimate - se Q(confidence), inf)`` for
        "greater". This is the set of null values the test would not reject at
        level ``alpha``.

        Parameters
        ----------
        confidence : float, default 0.95
            Confidence level, strictly between 0 and 1.

        Returns
        -------
        ConfidenceInterval
            ``low, high = result.confidence_interval()``.

        Raises
        ------
        ValueError
            If ``confidence`` is not in (0, 1), or the test has no interval of this
            form (the chi-square tests).
        """
        if isinstance(confidence, (bool, np.bool_)) or not isinstance(confidence, numbers.Real):
            raise TypeError(
                f"confidence must be a real number, got {type(confidence).__name__} {confidence!r}"
            )
        confidence = float(confidence)
        if not 0.0 < confidence < 1.0:
            raise ValueError(f"confidence must lie in (0, 1), got {confidence!r}")
        if self.reference is None or self.estimate is None or self.standard_error is None:
            raise ValueError(f"the {self.test} has no confidence interval")
        pivot = self._reference_distribution()
        est, se = self.estimate, self.standard_error
        if self.alternative == "less":
            return ConfidenceInterval(-math.inf, est + se * pivot.ppf(confidence), confidence)
        if self.alternative == "greater":
            return ConfidenceInterval(est + se * pivot.isf(confidence), math.inf, confidence)
        tail = 0.5 * (1.0 - confidence)
        return ConfidenceInterval(est + se * pivot.ppf(tail), est + se * pivot.isf(tail), confidence)

    def _reference_distribution(self):
        # imported here: the distributions are only needed when an interval is asked for
        if self.reference == "t":
            from ..probability.student_t import StudentT

            return StudentT(self.df)
        if self.reference == "normal":
            from ..probability.normal import Normal

            return Normal()
        raise ValueError(f"unknown reference distribution {self.reference!r}")

    # -- report --------------------------------------------------------------------------
    def _report_lines(self) -> list[str]:
        head = self.test if self.alternative is None else f"{self.test} ({self.alternative})"
        stat = f"{self.statistic_name} = {_fmt(self.statistic)}"
        if self.df is not None:
            stat += f", df = {_fmt(self.df)}"
        stat += f", p-value = {_fmt_p(self.pvalue)}"
        lines = [head, "  " + stat]
        if self.estimate is not None:
            line = f"  {self.estimate_name or 'estimate'} = {_fmt(self.estimate)}"
            if self.null_value:  # a zero null value goes without saying
                line += f" (null value {_fmt(self.null_value)})"
            if self.reference is not None and self.standard_error is not None:
                line += f", {self.confidence_interval(0.95)}"
            lines.append(line)
        if self.effect_size is not None:
            lines.append(f"  {self.effect_size_name or 'effect size'} = {_fmt(self.effect_size)}")
        return lines

    def __str__(self) -> str:
        return "\n".join(self._report_lines())


@dataclass(frozen=True, kw_only=True)
class Chi2ContingencyResult(TestResult):
    """A chi-square test of independence; adds the table of expected frequencies.

    Attributes
    ----------
    expected : ndarray, shape (r, c)
        Expected frequencies under independence, ``E_ij = R_i C_j / N``.
    correction : bool
        Whether Yates' continuity correction was applied (2x2 tables only).
    """

    expected: np.ndarray = field(default=None, compare=False, repr=False)
    correction: bool = False

    def _report_lines(self) -> list[str]:
        lines = super()._report_lines()
        if self.correction:
            lines.insert(1, "  (with Yates' continuity correction)")
        return lines


def _fmt(x) -> str:
    """A number in at most 6 significant digits; integers as integers."""
    if x is None:
        return "None"
    x = float(x)
    if math.isfinite(x) and x == round(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6g}"


def _fmt_p(p: float) -> str:
    if p == 0.0:
        return "0"
    if p < 1e-4:
        return f"{p:.3g}"
    return f"{p:.4g}"
