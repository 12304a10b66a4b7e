"""t-tests for means: Student's and Welch's two-sample t, the paired and one-sample t.

Each compares an estimate with its null value in units of its standard error,
``T = (estimate - null_value) / se``, and refers ``T`` to Student's t (the sample
variance estimates sigma^2) or, for the z-test of :mod:`.tests_z`, which shares
these helpers, to the standard normal (sigma known, or large n).

Inputs are 1-D samples (no broadcasting over extra axes, no ``axis`` argument);
NaN or inf raise ``ValueError`` (there is no ``nan_policy``: drop missing values
first). Degenerate samples are handled explicitly, never by a silent NaN:

- too few observations (a one-sample or paired test needs n >= 2; Student's test
  n_a + n_b >= 3; Welch's test n >= 2 in each sample) raise ``ValueError``;
- zero variance (every sample constant) makes ``se = 0``. If the estimate equals
  its null value, ``T = 0/0`` is undefined and ``ValueError`` is raised. Otherwise
  ``T = +-inf`` with p-value 0 (1 for the one-sided alternative pointing the other
  way) is returned, the limit of the test as the spread goes to zero, with a
  ``RuntimeWarning``; the confidence interval shrinks to the point estimate.

``ttest_ind``, ``ttest_1samp`` and ``ttest_rel`` also take samples held in Dask arrays
or Series (one or both): their (n, mean, M2) (of the differences for ``ttest_rel``) come
from one pass of mergeable moments (``RunningMoments`` per block, merged in a tree) and
the test is formed from them by the same code.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import special

from .. import _dask
from .._dask import is_dask_collection
from .._validation import check_bool, check_finite, check_real
from ..probability.normal import Normal
from ..probability.student_t import StudentT
from ._results import ALTERNATIVES, TestResult
from ._tests_kernels import as_sample, mean_and_rss

__all__ = ["ttest_ind", "ttest_rel", "ttest_1samp"]


def _check_alternative(alternative) -> str:
    if not isinstance(alternative, str) or alternative not in ALTERNATIVES:
        raise ValueError(
            f"alternative must be 'two-sided', 'less' or 'greater', got {alternative!r}"
        )
    return alternative


# stdtr underflows below this; StudentT then recomputes the tail in log space
_UNDERFLOW = 1e-300


def _upper_tail(x: float, df: float | None) -> float:
    """P(T > x) for T ~ t(df), or N(0, 1) when ``df`` is None.

    This is ``StudentT(df).sf(x)``, whose scalar path is ``scipy.special.stdtr``;
    building the distribution object costs more than the rest of a t-test on a few
    values, so ``stdtr`` is called directly and the object only where it underflows.
    """
    if df is None:
        return Normal().sf(x)
    p = float(special.stdtr(df, -x))
    if p < _UNDERFLOW:
        return StudentT(df).sf(x)
    return p


def _pvalue(statistic: float, df: float | None, alternative: str) -> float:
    """P(T more extreme than ``statistic``) for a pivot symmetric about 0."""
    if alternative == "two-sided":
        return 2.0 * _upper_tail(abs(statistic), df)
    if alternative == "greater":
        return _upper_tail(statistic, df)
    return _upper_tail(-statistic, df)


def _location_test(
    *, test, statistic_name, estimate, estimate_name, null_value, se, df, alternative,
    effect_size=None, effect_size_name=None, constant_what, stacklevel=3,
) -> TestResult:
    """Form ``T = (estimate - null_value) / se``, its p-value, and the result.

    ``df`` None means a normal reference distribution. ``se == 0`` is the
    zero-variance case described in the module docstring.
    """
    shift = estimate - null_value
    if se > 0.0:
        statistic = shift / se
        if not math.isfinite(statistic):
            raise ValueError(
                f"{estimate_name} - {null_value!r} overflows float64 ({estimate!r}); "
                "rescale the data"
            )
        pvalue = _pvalue(statistic, df, alternative)
    else:
        if shift == 0.0:
            raise ValueError(
                f"{constant_what} and {estimate_name} equals its null value "
                f"{null_value!r}; the {statistic_name} statistic (0/0) is undefined"
            )
        statistic = math.copysign(math.inf, shift)
        toward = (alternative == "greater") == (shift > 0.0)
        pvalue = 0.0 if alternative == "two-sided" or toward else 1.0
        warnings.warn(
            f"{constant_what}: the standard error is 0, so {statistic_name} = "
            f"{statistic} and p = {pvalue}",
            RuntimeWarning,
            stacklevel=stacklevel,
        )
    return TestResult(
        test=test,
        statistic=statistic,
        pvalue=pvalue,
        df=df,
        alternative=alternative,
        statistic_name=statistic_name,
        estimate=estimate,
        estimate_name=estimate_name,
        null_value=null_value,
        standard_error=se,
        effect_size=effect_size,
        effect_size_name=effect_size_name,
        reference="normal" if df is None else "t",
    )


def _ratio(num: float, den: float) -> float:
    """num / den with +-inf for a zero denominator (the zero-variance effect size)."""
    if den > 0.0:
        return num / den
    return math.copysign(math.inf, num) if num != 0.0 else math.nan


def _two_sample_se(n_a, rss_a, n_b, rss_b, equal_var: bool, test: str):
    """Standard error of mean(a) - mean(b) and its degrees of freedom.

    Pooled (Student): s_p^2 = (M2_a + M2_b) / (n_a + n_b - 2),
    se = s_p sqrt(1/n_a + 1/n_b), df = n_a + n_b - 2.
    Unpooled (Welch): se^2 = s_a^2/n_a + s_b^2/n_b = u_a^2 + u_b^2 and the
    Welch-Satterthwaite df = se^4 / (u_a^4/(n_a - 1) + u_b^4/(n_b - 1)).
    Written with rss = sqrt(M2) and ``hypot`` so that nothing squares a large number.
    """
    if equal_var:
        if n_a + n_b < 3:
            raise ValueError(
                f"{test} needs n_a + n_b >= 3 observations (df = n_a + n_b - 2 >= 1), "
                f"got n_a={n_a}, n_b={n_b}"
            )
        df = float(n_a + n_b - 2)
        return math.hypot(rss_a, rss_b) / math.sqrt(df) * math.sqrt(1.0 / n_a + 1.0 / n_b), df
    if n_a < 2 or n_b < 2:
        raise ValueError(
            f"{test} needs at least 2 observations in each sample to estimate its "
            f"variance, got n_a={n_a}, n_b={n_b}"
        )
    u_a = rss_a / math.sqrt(n_a * (n_a - 1.0))
    u_b = rss_b / math.sqrt(n_b * (n_b - 1.0))
    se = math.hypot(u_a, u_b)
    if se > 0.0:
        r_a, r_b = (u_a / se) ** 2, (u_b / se) ** 2
        return se, 1.0 / (r_a * r_a / (n_a - 1.0) + r_b * r_b / (n_b - 1.0))
    # both variances zero: df is the limit along s_a = s_b -> 0 (not used by p or CI)
    w_a, w_b = 1.0 / n_a, 1.0 / n_b
    return 0.0, (w_a + w_b) ** 2 / (w_a * w_a / (n_a - 1.0) + w_b * w_b / (n_b - 1.0))


def ttest_ind(a, b, *, equal_var=True, alternative="two-sided") -> TestResult:
    r"""Two-sample t-test for equal means of independent samples: Student's or Welch's.

    .. math:: t = \frac{\bar a - \bar b}{se}

    Student (``equal_var=True``): ``se = s_p sqrt(1/n_a + 1/n_b)`` with the pooled
    variance ``s_p^2 = (sum (a_i - abar)^2 + sum (b_i - bbar)^2) / (n_a + n_b - 2)``,
    and ``t ~ t(n_a + n_b - 2)`` under H0 when both populations are normal with a
    common variance. Welch (``equal_var=False``): ``se^2 = s_a^2/n_a + s_b^2/n_b``
    and ``t`` is referred to t with the Welch-Satterthwaite degrees of freedom
    ``df = se^4 / ((s_a^2/n_a)^2/(n_a - 1) + (s_b^2/n_b)^2/(n_b - 1))``.

    Parameters
    ----------
    a, b : (n_a,), (n_b,) array_like
        The two samples, 1-D, finite.
    equal_var : bool, default True
        Pool the variances (Student) or not (Welch).
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        H1: mean(a) != mean(b), mean(a) < mean(b), or mean(a) > mean(b).

    Returns
    -------
    TestResult
        Unpacks as ``t, p``; also ``df``, ``estimate = mean(a) - mean(b)``,
        ``standard_error``, ``confidence_interval(confidence)`` for the difference
        of means, and ``effect_size``: Cohen's d with the pooled standard deviation
        ``(abar - bbar) / s_p`` (for both variants; it describes the samples, not
        the test).

    Raises
    ------
    ValueError
        Empty, non 1-D, NaN or inf input; too few observations (Student needs
        n_a + n_b >= 3, Welch n >= 2 in each); both samples constant with equal
        means. Both constant with different means gives t = +-inf with a
        ``RuntimeWarning`` (see the module docstring).

    Notes
    -----
    Means and sums of squares come from one corrected two-pass summary per sample
    (:mod:`._tests_kernels`). A sample of size 1 has no variance of its own but
    still enters Student's test: it adds nothing to the pooled sum of squares.
    ``scipy.stats.ttest_ind(a, b, equal_var=...)``; R's
    ``t.test(a, b, var.equal=TRUE)``.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika* 6(1), 1-25.
    Welch, B. L. (1947). The generalization of "Student's" problem when several
    different population variances are involved. *Biometrika* 34(1/2), 28-35.

    Examples
    --------
    >>> from mlfoundations.stats import ttest_ind
    >>> t, p = ttest_ind([2, 3, 5], [1.5])
    >>> round(t, 10), round(p, 10)   # R: t.test(c(2,3,5), c(1.5), var.equal=TRUE)
    (1.0394023008, 0.4077799077)
    """
    if is_dask_collection(a) or is_dask_collection(b):
        return _dask.moments.ttest_ind(a, b, equal_var=equal_var, alternative=alternative)
    a = as_sample(a, "a")
    b = as_sample(b, "b")
    if equal_var is not True and equal_var is not False:
        equal_var = check_bool(equal_var, "equal_var")
    alternative = _check_alternative(alternative)
    mean_a, rss_a = mean_and_rss(a, "a")
    mean_b, rss_b = mean_and_rss(b, "b")
    return _ttest_ind_from_summaries(
        a.shape[0], mean_a, rss_a, b.shape[0], mean_b, rss_b, equal_var, alternative
    )


def _ttest_ind_from_summaries(
    n_a, mean_a, rss_a, n_b, mean_b, rss_b, equal_var, alternative, stacklevel=4
):
    """Student's or Welch's test from each sample's (n, mean, sqrt(M2)).

    ``stacklevel`` points a zero-variance warning at the caller of the public function.
    """
    test = "Student's two-sample t-test" if equal_var else "Welch's two-sample t-test"
    se, df = _two_sample_se(n_a, rss_a, n_b, rss_b, equal_var, test)
    estimate = mean_a - mean_b
    pooled_sd = math.hypot(rss_a, rss_b) / math.sqrt(n_a + n_b - 2) if n_a + n_b > 2 else 0.0
    return _location_test(
        test=test, statistic_name="t", estimate=estimate, estimate_name="mean(a) - mean(b)",
        null_value=0.0, se=se, df=df, alternative=alternative,
        effect_size=_ratio(estimate, pooled_sd), effect_size_name="Cohen's d",
        constant_what="both samples have zero variance", stacklevel=stacklevel,
    )


def ttest_1samp(a, popmean=0.0, *, alternative="two-sided") -> TestResult:
    r"""One-sample t-test: is the mean of a normal population equal to ``popmean``?

    .. math:: t = \frac{\bar a - \mu_0}{s / \sqrt{n}}, \qquad t \sim t(n - 1) \text{ under } H_0

    with ``s^2 = sum (a_i - abar)^2 / (n - 1)``.

    Parameters
    ----------
    a : (n,) array_like
        The sample, 1-D, finite, n >= 2.
    popmean : float, default 0.0
        The mean under the null hypothesis, mu_0.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        H1: mean != popmean, mean < popmean, or mean > popmean.

    Returns
    -------
    TestResult
        Unpacks as ``t, p``; ``estimate = mean(a)``, ``confidence_interval`` for
        the population mean, ``effect_size``: Cohen's d = (abar - mu_0) / s.

    Raises
    ------
    ValueError
        Empty, non 1-D, NaN or inf input; n < 2; a constant sample equal to
        ``popmean`` (a constant sample elsewhere gives t = +-inf with a
        ``RuntimeWarning``).

    Notes
    -----
    ``scipy.stats.ttest_1samp(a, popmean)``.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika* 6(1), 1-25.

    Examples
    --------
    >>> from mlfoundations.stats import ttest_1samp
    >>> res = ttest_1samp([5.1, 4.9, 5.6, 5.8, 6.0], popmean=5.0)
    >>> round(res.statistic, 6), res.df
    (2.304074, 4.0)
    """
    if is_dask_collection(a):
        return _dask.moments.ttest_1samp(a, popmean, alternative=alternative)
    a = as_sample(a, "a")
    popmean = check_real(popmean, "popmean")
    alternative = _check_alternative(alternative)
    n = a.shape[0]
    _check_one_sample_size(n)
    mean, rss = mean_and_rss(a, "a")
    return _ttest_1samp_from_summary(n, mean, rss, popmean, alternative)


def _check_one_sample_size(n):
    if n < 2:
        raise ValueError(f"a needs at least 2 observations for a t-test (df = n - 1 >= 1), got {n}")


def _ttest_1samp_from_summary(n, mean, rss, popmean, alternative, stacklevel=4):
    """The one-sample t-test from the sample's (n, mean, sqrt(M2))."""
    sd = rss / math.sqrt(n - 1.0)
    return _location_test(
        test="one-sample t-test", statistic_name="t", estimate=mean, estimate_name="mean(a)",
        null_value=popmean, se=sd / math.sqrt(n), df=float(n - 1), alternative=alternative,
        effect_size=_ratio(mean - popmean, sd), effect_size_name="Cohen's d",
        constant_what="a has zero variance", stacklevel=stacklevel,
    )


def ttest_rel(a, b, *, alternative="two-sided") -> TestResult:
    r"""Paired t-test: the one-sample t-test on the differences ``d_i = a_i - b_i``.

    .. math:: t = \frac{\bar d}{s_d / \sqrt{n}}, \qquad t \sim t(n - 1) \text{ under } H_0

    Parameters
    ----------
    a, b : (n,) array_like
        Paired measurements (the same units before and after, say), 1-D, finite,
        of equal length n >= 2.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        H1: mean(a - b) != 0, < 0, or > 0.

    Returns
    -------
    TestResult
        Unpacks as ``t, p``; ``estimate = mean(a - b)``, its confidence interval,
        ``effect_size``: Cohen's d_z = dbar / s_d (which equals t / sqrt(n)).

    Raises
    ------
    ValueError
        Empty, non 1-D, NaN or inf input; different lengths; n < 2; constant
        differences equal to zero (constant non-zero differences give
        t = +-inf with a ``RuntimeWarning``); differences overflowing float64.

    Notes
    -----
    ``scipy.stats.ttest_rel(a, b)``; R's ``t.test(a, b, paired=TRUE)``.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika* 6(1), 1-25.

    Examples
    --------
    >>> from mlfoundations.stats import ttest_rel
    >>> t, p = ttest_rel([10.0, 12.0, 9.5, 11.0], [9.0, 11.5, 9.0, 10.0])
    >>> round(t, 6)
    5.196152
    """
    if is_dask_collection(a) or is_dask_collection(b):
        return _dask.moments.ttest_rel(a, b, alternative=alternative)
    a = as_sample(a, "a")
    b = as_sample(b, "b")
    alternative = _check_alternative(alternative)
    n = a.shape[0]
    _check_pairs(n, b.shape[0])
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            d = a - b
        mean, rss = mean_and_rss(d, "a - b")
    except ValueError:  # a - b holds NaN or inf: name the input, or say it overflowed
        check_finite(a, "a")
        check_finite(b, "b")
        raise ValueError("a - b overflows float64; rescale the data") from None
    return _ttest_rel_from_summary(n, mean, rss, alternative)


def _check_pairs(n_a, n_b):
    if n_b != n_a:
        raise ValueError(
            f"a and b must have the same length for a paired test, got {n_a} and {n_b}"
        )
    if n_a < 2:
        raise ValueError(f"a paired t-test needs at least 2 pairs (df = n - 1 >= 1), got {n_a}")


def _ttest_rel_from_summary(n, mean, rss, alternative, stacklevel=4):
    """The paired t-test from the differences' (n, mean, sqrt(M2))."""
    sd = rss / math.sqrt(n - 1.0)
    return _location_test(
        test="paired t-test", statistic_name="t", estimate=mean, estimate_name="mean(a - b)",
        null_value=0.0, se=sd / math.sqrt(n), df=float(n - 1), alternative=alternative,
        effect_size=_ratio(mean, sd), effect_size_name="Cohen's d_z",
        constant_what="the differences a - b have zero variance", stacklevel=stacklevel,
    )
