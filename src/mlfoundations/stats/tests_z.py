"""The z-test for a mean or a difference of means, sigma known or estimated.

It is the t-test's statistic referred to the standard normal instead of Student's
t; validation, the zero-variance rules and the result come from :mod:`.tests_t`.
"""

from __future__ import annotations

import math
import numbers

from .._validation import check_bool, check_positive, check_real
from ._results import TestResult
from ._tests_kernels import as_sample, mean_and_rss
from .tests_t import _check_alternative, _location_test, _two_sample_se

__all__ = ["ztest"]


def _check_sigma(sigma, two_sample: bool):
    """sigma as (sigma_a, sigma_b) (equal for a scalar), or None."""
    if sigma is None:
        return None
    if isinstance(sigma, numbers.Real):
        s = check_positive(sigma, "sigma")
        return s, s
    if not two_sample:
        raise TypeError(f"sigma must be a positive number for a one-sample test, got {sigma!r}")
    try:
        s_a, s_b = sigma
    except (TypeError, ValueError):
        raise TypeError(
            f"sigma must be a positive number or a pair (sigma_a, sigma_b), got {sigma!r}"
        ) from None
    return check_positive(s_a, "sigma[0]"), check_positive(s_b, "sigma[1]")


def ztest(
    a, b=None, *, value=0.0, sigma=None, equal_var=True, alternative="two-sided"
) -> TestResult:
    r"""z-test for a mean (one sample) or a difference of means (two samples).

    .. math:: z = \frac{\bar a - \bar b - \delta_0}{se}, \qquad z \sim N(0, 1) \text{ under } H_0

    (``bbar = 0`` with one sample; ``delta_0 = value``). With ``sigma`` given (the
    textbook z-test, population standard deviation known) ``se = sigma / sqrt(n)``,
    or ``sqrt(sigma_a^2/n_a + sigma_b^2/n_b)`` for two samples. With ``sigma=None``
    (the default, as in ``statsmodels.stats.weightstats.ztest``) ``se`` is the
    *sample* standard error of the t-tests (pooled if ``equal_var``, else Welch's),
    so ``z`` equals the t statistic and only the reference distribution differs:
    a large-sample approximation.

    Parameters
    ----------
    a : (n_a,) array_like
        First sample, 1-D, finite.
    b : (n_b,) array_like, optional
        Second, independent sample. None for a one-sample test.
    value : float, default 0.0
        The mean (one sample) or the difference of means mean(a) - mean(b) (two
        samples) under the null hypothesis.
    sigma : float or (float, float), optional
        Known population standard deviation (one for both samples, or one per
        sample). None estimates it from the data.
    equal_var : bool, default True
        With ``sigma=None`` and two samples: pool the sample variances
        (statsmodels' ``usevar="pooled"``) or not (``usevar="unequal"``).
        Ignored when ``sigma`` is given.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        H1: the mean (difference) is != value, < value, or > value
        (statsmodels' "larger" is "greater", "smaller" is "less").

    Returns
    -------
    TestResult
        Unpacks as ``z, p``; ``df`` is None; ``estimate`` (mean(a) or
        mean(a) - mean(b)) with its normal-theory ``confidence_interval``. No
        effect size: use :func:`~mlfoundations.stats.effect_size.cohens_d`.

    Raises
    ------
    ValueError
        Empty, non 1-D, NaN or inf input; with ``sigma=None`` too few observations
        to estimate a variance (as for the t-tests) or zero variance with the
        estimate equal to ``value``; a ``sigma`` that is not > 0.
    TypeError
        ``sigma`` neither a number nor a pair.

    Notes
    -----
    ``statsmodels.stats.weightstats.ztest(a, b, value, alternative, usevar)`` and
    ``zconfint`` for the interval.

    References
    ----------
    Casella, G. and Berger, R. L. (2002). *Statistical Inference*, 2nd ed.,
    section 10.3.

    Examples
    --------
    >>> from mlfoundations.stats import ztest
    >>> z, p = ztest([5.1, 4.9, 5.6, 5.8, 6.0], value=5.0, sigma=0.5)
    >>> round(z, 6), round(p, 6)
    (2.146625, 0.031823)
    """
    a = as_sample(a, "a")
    value = check_real(value, "value")
    alternative = _check_alternative(alternative)
    equal_var = check_bool(equal_var, "equal_var")
    two_sample = b is not None
    sigma = _check_sigma(sigma, two_sample)
    n_a = a.shape[0]
    mean_a, rss_a = mean_and_rss(a, "a")
    if not two_sample:
        if sigma is not None:
            se = sigma[0] / math.sqrt(n_a)
        elif n_a < 2:
            raise ValueError(
                f"a needs at least 2 observations to estimate its variance, got {n_a}; "
                "pass sigma if it is known"
            )
        else:
            se = rss_a / math.sqrt(n_a * (n_a - 1.0))
        return _location_test(
            test="one-sample z-test", statistic_name="z", estimate=mean_a,
            estimate_name="mean(a)", null_value=value, se=se, df=None, alternative=alternative,
            constant_what="a has zero variance",
        )
    b = as_sample(b, "b")
    n_b = b.shape[0]
    mean_b, rss_b = mean_and_rss(b, "b")
    if sigma is not None:
        se = math.hypot(sigma[0] / math.sqrt(n_a), sigma[1] / math.sqrt(n_b))
    else:
        se, _ = _two_sample_se(n_a, rss_a, n_b, rss_b, equal_var, "a two-sample z-test")
    return _location_test(
        test="two-sample z-test", statistic_name="z", estimate=mean_a - mean_b,
        estimate_name="mean(a) - mean(b)", null_value=value, se=se, df=None,
        alternative=alternative, constant_what="both samples have zero variance",
    )
