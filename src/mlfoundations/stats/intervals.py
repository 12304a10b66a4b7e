"""Confidence intervals: for a mean, a difference of means, a proportion, and by the bootstrap.

A level-``c`` confidence interval is a random interval that contains the true value
of the parameter with probability ``c`` over repeated samples. Each function here
returns an :class:`IntervalEstimate`: a
:class:`~mlfoundations.stats._results.ConfidenceInterval` (it unpacks as
``low, high``) that also carries the point estimate and how the interval was made,
and prints as one line.

- :func:`confidence_interval`: Student's t interval for a mean;
- :func:`mean_difference_ci`: the t interval for a difference of two means, pooled
  (Student) or unpooled (Welch);
- :func:`proportion_ci`: Wilson, Wald or Clopper-Pearson for a binomial proportion;
- :func:`bootstrap_ci`: the percentile or BCa bootstrap interval for any statistic.

Degenerate input is never a silent NaN: fewer observations than an interval needs,
NaN or inf raise ``ValueError``; zero variance (or a bootstrap distribution with a
single value) gives the zero-width interval at the estimate with a
``RuntimeWarning``.

References
----------
Casella, G. and Berger, R. L. (2002). *Statistical Inference*, 2nd ed., chapter 9.
Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation for a
binomial proportion. *Statistical Science* 16(2), 101-133.
Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*,
Chapman & Hall, chapters 13-14.
"""

from __future__ import annotations

import math
import warnings

from .. import _dask
from .._dask import is_dask_collection
from .._validation import check_bool, check_finite, check_int, check_probability, check_rng
from ..probability.beta import Beta
from ..probability.normal import Normal
from ..probability.student_t import StudentT
from ._interval_results import BootstrapInterval, IntervalEstimate
from ._resampling import (
    BATCH_ELEMENTS,
    acceleration,
    bca_levels,
    bias_correction,
    bootstrap_distribution,
    jackknife_values,
    statistic_of_rows,
    takes_axis,
)
from ._tests_kernels import as_sample, mean_and_rss
from .descriptive import std
from .quantiles import quantile
from .tests_t import _two_sample_se

__all__ = [
    "IntervalEstimate",
    "BootstrapInterval",
    "confidence_interval",
    "mean_difference_ci",
    "proportion_ci",
    "bootstrap_ci",
]

PROPORTION_METHODS = ("wilson", "wald", "clopper-pearson")
BOOTSTRAP_METHODS = ("percentile", "bca")


def _check_confidence(confidence) -> float:
    return check_probability(confidence, "confidence", open_interval=True)


def _t_interval(
    estimate, se, df, confidence, *, estimate_name, method, degenerate, stacklevel=3
):
    """``estimate -+ t_{df}(1 - alpha/2) se``; a zero ``se`` gives the point, with a warning."""
    if se > 0.0:
        half = se * float(StudentT(df).isf(0.5 * (1.0 - confidence)))
        low, high = estimate - half, estimate + half
    else:
        warnings.warn(
            f"{degenerate}: the standard error is 0 and the interval is the single point "
            f"{estimate!r}",
            RuntimeWarning,
            stacklevel=stacklevel,
        )
        low = high = estimate
    return IntervalEstimate(
        low, high, confidence, estimate=estimate, estimate_name=estimate_name, method=method,
        standard_error=se, df=df,
    )


def confidence_interval(data, confidence=0.95) -> IntervalEstimate:
    r"""Student's t confidence interval for the mean of a normal population.

    .. math:: \bar x \pm t_{n-1,\,1-\alpha/2} \frac{s}{\sqrt n}, \qquad \alpha = 1 - c

    with ``s^2 = sum (x_i - xbar)^2 / (n - 1)``. It contains the true mean with
    probability exactly ``c`` when the data are normal, approximately otherwise
    (central limit theorem).

    Parameters
    ----------
    data : (n,) array_like
        The sample, 1-D, finite, n >= 2; a Dask array or Series is summarised in one
        pass of mergeable moments.
    confidence : float, default 0.95
        Confidence level ``c``, strictly between 0 and 1.

    Returns
    -------
    IntervalEstimate
        ``low, high = confidence_interval(data)``; also ``estimate`` (the mean),
        ``standard_error`` (``s / sqrt(n)``) and ``df = n - 1``.

    Raises
    ------
    ValueError
        Empty, non 1-D, NaN or inf data; n < 2; ``confidence`` outside (0, 1).

    Warns
    -----
    RuntimeWarning
        Constant data: the standard error is 0 and the interval is the point
        ``[xbar, xbar]``.

    Notes
    -----
    The guide's recipe ``scipy.stats.t.interval(c, n - 1, loc=mean(x),
    scale=sem(x))``, computed in two passes over the data: the corrected two-pass
    sums of Chan, Golub and LeVeque give the mean and ``sum (x_i - xbar)^2``
    (:mod:`._tests_kernels`).

    References
    ----------
    Casella and Berger (2002), section 9.2.2 (pivotal quantities).

    Examples
    --------
    >>> from mlfoundations.stats.intervals import confidence_interval
    >>> low, high = confidence_interval([4.8, 5.1, 5.6, 5.0, 4.9, 5.3])
    >>> round(low, 6), round(high, 6)
    (4.809509, 5.423825)
    """
    if is_dask_collection(data):
        return _dask.moments.confidence_interval(data, confidence)
    x = as_sample(data, "data")
    confidence = _check_confidence(confidence)
    n = x.shape[0]
    _check_interval_size(n)
    mean, rss = mean_and_rss(x, "data")
    return _mean_interval(n, mean, rss, confidence)


def _check_interval_size(n):
    if n < 2:
        raise ValueError(
            f"data needs at least 2 observations for a t interval (df = n - 1 >= 1), got {n}"
        )


def _mean_interval(n, mean, rss, confidence, stacklevel=4):
    """The t interval for a mean from the sample's (n, mean, sqrt(M2))."""
    return _t_interval(
        mean, rss / math.sqrt(n * (n - 1.0)), float(n - 1), confidence,
        estimate_name="mean", method="Student's t", degenerate="data has zero variance",
        stacklevel=stacklevel,
    )


def mean_difference_ci(a, b, *, equal_var=True, confidence=0.95) -> IntervalEstimate:
    r"""t confidence interval for the difference of two means, pooled or Welch.

    .. math:: (\bar a - \bar b) \pm t_{df,\,1-\alpha/2}\, se

    Pooled (``equal_var=True``): ``se = s_p sqrt(1/n_a + 1/n_b)``,
    ``s_p^2 = (sum (a_i - abar)^2 + sum (b_i - bbar)^2) / (n_a + n_b - 2)``,
    ``df = n_a + n_b - 2``; exact for normal populations with a common variance.
    Welch (``equal_var=False``): ``se^2 = s_a^2/n_a + s_b^2/n_b`` with the
    Welch-Satterthwaite ``df = se^4 / ((s_a^2/n_a)^2/(n_a - 1) + (s_b^2/n_b)^2/(n_b - 1))``;
    approximate, and valid when the variances differ.

    Parameters
    ----------
    a, b : (n_a,), (n_b,) array_like
        The two independent samples, 1-D, finite.
    equal_var : bool, default True
        Pool the variances (Student) or not (Welch).
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    IntervalEstimate
        ``low, high``; ``estimate = mean(a) - mean(b)``, ``standard_error``, ``df``.

    Raises
    ------
    ValueError
        Empty, non 1-D, NaN or inf input; too few observations (pooled needs
        n_a + n_b >= 3, Welch n >= 2 in each sample); ``confidence`` outside (0, 1).

    Warns
    -----
    RuntimeWarning
        Both samples constant: the interval is the point ``abar - bbar``.

    Notes
    -----
    The interval of :func:`~mlfoundations.stats.ttest_ind`, and
    ``scipy.stats.ttest_ind(a, b, equal_var=...).confidence_interval(c)``.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several
    different population variances are involved. *Biometrika* 34(1/2), 28-35.

    Examples
    --------
    >>> from mlfoundations.stats.intervals import mean_difference_ci
    >>> ci = mean_difference_ci([85, 87, 82, 86, 88], [78, 82, 79, 81], equal_var=False)
    >>> round(ci.low, 4), round(ci.high, 4), round(ci.df, 4)
    (2.346, 8.854, 6.9962)
    >>> print(ci)  # doctest: +NORMALIZE_WHITESPACE
    mean(a) - mean(b) = 5.6, 95% CI [2.34595, 8.85405]
    (Welch's t, df = 6.99618, standard error = 1.37598)
    """
    a = as_sample(a, "a")
    b = as_sample(b, "b")
    equal_var = check_bool(equal_var, "equal_var")
    confidence = _check_confidence(confidence)
    mean_a, rss_a = mean_and_rss(a, "a")
    mean_b, rss_b = mean_and_rss(b, "b")
    method = "pooled t" if equal_var else "Welch's t"
    se, df = _two_sample_se(a.shape[0], rss_a, b.shape[0], rss_b, equal_var,
                            f"the {method} interval")
    return _t_interval(
        mean_a - mean_b, se, df, confidence, estimate_name="mean(a) - mean(b)", method=method,
        degenerate="both samples have zero variance",
    )


def proportion_ci(successes, n, *, confidence=0.95, method="wilson") -> IntervalEstimate:
    r"""Confidence interval for a binomial proportion from ``successes`` out of ``n`` trials.

    With ``p = successes / n`` and ``z = Phi^{-1}(1 - alpha/2)``:

    - ``"wilson"`` (score): the ``pi`` with ``|p - pi| <= z sqrt(pi (1 - pi) / n)``,

      .. math:: \frac{p + z^2/(2n)}{1 + z^2/n} \pm
                \frac{z}{1 + z^2/n}\sqrt{\frac{p(1-p)}{n} + \frac{z^2}{4n^2}}

    - ``"wald"``: ``p -+ z sqrt(p (1 - p) / n)``, clipped to [0, 1];
    - ``"clopper-pearson"`` ("exact"): the ``pi`` for which neither binomial tail
      probability is below ``alpha/2``; the ends are Beta quantiles,
      ``low = B^{-1}(alpha/2; x, n - x + 1)``, ``high = B^{-1}(1 - alpha/2; x + 1, n - x)``
      (0 when x = 0, 1 when x = n).

    Parameters
    ----------
    successes : int
        Number of successes x, 0 <= x <= n.
    n : int
        Number of trials, >= 1.
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.
    method : {"wilson", "wald", "clopper-pearson"}, default "wilson"
        Wilson's interval keeps close to its nominal coverage for every ``pi`` and
        ``n``; Wald's, the textbook one, covers far less than nominal for small
        ``n`` or ``pi`` near 0 or 1; Clopper-Pearson's never covers less than
        nominal and is usually wider (Brown, Cai and DasGupta 2001).

    Returns
    -------
    IntervalEstimate
        ``low, high``; ``estimate = x / n`` and ``standard_error = sqrt(p (1 - p) / n)``.

    Raises
    ------
    ValueError
        ``n < 1``, ``successes`` outside [0, n], ``confidence`` outside (0, 1), or
        an unknown ``method``.
    TypeError
        ``successes`` or ``n`` not an integer.

    Warns
    -----
    RuntimeWarning
        The Wald interval at x = 0 or x = n, where it collapses to a point.

    Notes
    -----
    ``statsmodels.stats.proportion.proportion_confint(x, n, alpha, method)`` with
    ``"normal"`` (Wald), ``"wilson"`` and ``"beta"`` (Clopper-Pearson).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22(158), 209-212.
    Clopper, C. J. and Pearson, E. S. (1934). The use of confidence or fiducial
    limits illustrated in the case of the binomial. *Biometrika* 26(4), 404-413.
    Brown, Cai and DasGupta (2001).

    Examples
    --------
    >>> from mlfoundations.stats.intervals import proportion_ci
    >>> low, high = proportion_ci(7, 20)
    >>> round(low, 6), round(high, 6)
    (0.181192, 0.567146)
    >>> low, high = proportion_ci(0, 20, method="clopper-pearson")
    >>> low, round(high, 6)
    (0.0, 0.168433)
    """
    n = check_int(n, "n", minimum=1)
    x = check_int(successes, "successes", minimum=0)
    if x > n:
        raise ValueError(f"successes={x} must not exceed the number of trials n={n}")
    confidence = _check_confidence(confidence)
    if not isinstance(method, str) or method not in PROPORTION_METHODS:
        raise ValueError(
            f"method must be 'wilson', 'wald' or 'clopper-pearson', got {method!r}"
        )
    alpha = 1.0 - confidence
    p = x / n
    se = math.sqrt(p * (1.0 - p) / n)
    if method == "clopper-pearson":
        low = 0.0 if x == 0 else float(Beta(x, n - x + 1).ppf(0.5 * alpha))
        high = 1.0 if x == n else float(Beta(x + 1, n - x).isf(0.5 * alpha))
        label = "Clopper-Pearson"
    else:
        z = float(Normal().isf(0.5 * alpha))
        if method == "wald":
            if x in (0, n):
                warnings.warn(
                    f"the Wald interval has zero width at successes={x}, n={n} (its "
                    "standard error p(1 - p)/n is 0); use method='wilson'",
                    RuntimeWarning,
                    stacklevel=2,
                )
            low, high = p - z * se, p + z * se
            label = "Wald"
        else:
            z2n = z * z / n
            center = (p + 0.5 * z2n) / (1.0 + z2n)
            half = z * math.sqrt(p * (1.0 - p) / n + 0.25 * z2n / n) / (1.0 + z2n)
            low, high = center - half, center + half
            label = "Wilson score"
        # the exact ends at x = 0 and x = n, free of rounding; clip Wald's overshoot
        low = 0.0 if x == 0 else max(low, 0.0)
        high = 1.0 if x == n else min(high, 1.0)
    return IntervalEstimate(
        low, high, confidence, estimate=p, estimate_name="proportion", method=label,
        standard_error=se,
    )


# ---------------------------------------------------------------------------- bootstrap


def bootstrap_ci(
    data, statistic, *, confidence=0.95, method="percentile", n_resamples=9999, rng=None,
    batch=None,
) -> BootstrapInterval:
    r"""Bootstrap confidence interval for ``statistic(data)``: percentile or BCa.

    Draw B resamples ``x*_b`` of size n from the data with replacement and compute
    ``theta*_b = statistic(x*_b)``; write ``G`` for their empirical distribution
    function and ``alpha = (1 - confidence) / 2``.

    - ``"percentile"``: ``[G^{-1}(alpha), G^{-1}(1 - alpha)]`` (Efron and
      Tibshirani 1993, section 13.3).
    - ``"bca"`` (bias-corrected and accelerated, section 14.3):
      ``[G^{-1}(alpha_1), G^{-1}(alpha_2)]`` with

      .. math:: \alpha_{1,2} = \Phi\left(z_0 + \frac{z_0 + z_{\alpha, 1-\alpha}}
                {1 - a (z_0 + z_{\alpha, 1-\alpha})}\right),

      the bias correction ``z0 = Phi^{-1}((#{theta*_b < theta} + #{theta*_b <= theta})
      / (2B))`` (E&T's ``#{theta*_b < theta} / B``, with replicates equal to
      ``theta`` counted as half below) and the acceleration
      ``a = sum d_i^3 / (6 (sum d_i^2)^{3/2})``, ``d_i = mean_j theta_(j) - theta_(i)``
      from the jackknife values ``theta_(i)`` (the statistic without ``x_i``).
      It corrects for bias and for a standard error that changes with the
      parameter, and is second-order accurate.

    Parameters
    ----------
    data : (n,) array_like
        The sample, 1-D, finite, n >= 2.
    statistic : callable
        ``statistic(x)`` returning a number. If it takes an ``axis`` keyword
        (``np.mean``, ``np.median``, ...) it is called vectorised on a 2-D array of
        resamples with ``axis=-1`` and must return one value per row, as in
        ``scipy.stats.bootstrap(..., vectorized=True)``; otherwise once per resample.
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.
    method : {"percentile", "bca"}, default "percentile"
        The interval.
    n_resamples : int, default 9999
        Number of bootstrap resamples B, >= 2.
    rng : None, int or numpy.random.Generator, optional
        Source of the resamples.
    batch : int, optional
        Resamples per vectorised call of ``statistic`` (memory ~ ``batch * n``).
        Default: as many as fit in about 32 MB. The result does not depend on it.

    Returns
    -------
    BootstrapInterval
        ``low, high``; ``estimate = statistic(data)``, ``standard_error`` (of the
        bootstrap distribution), ``bootstrap_distribution``, and for BCa
        ``bias_correction`` (z0) and ``acceleration`` (a).

    Raises
    ------
    ValueError
        Empty, non 1-D, NaN or inf data; n < 2; a statistic returning NaN, inf
        or more than one value; BCa when every bootstrap replicate lies on one side
        of ``statistic(data)`` (z0 infinite) or the acceleration makes
        ``1 - a (z0 + z)`` non-positive; bad ``confidence``, ``method``,
        ``n_resamples`` or ``batch``.
    TypeError
        ``statistic`` is not callable.

    Warns
    -----
    RuntimeWarning
        Every resample gives the same value (constant data): the interval is that
        single point. BCa with equal jackknife values: ``a = 0`` is used.

    Notes
    -----
    The quantiles ``G^{-1}`` interpolate linearly between order statistics
    (Hyndman and Fan's type 7). Resampling indices are drawn as
    ``rng.integers(0, n, size=(B, n))``, as ``scipy.stats.bootstrap`` draws them,
    so both give the same interval for the same seed.

    References
    ----------
    Efron and Tibshirani (1993), chapters 13-14 (eqs. 14.9-14.15).
    Efron, B. (1987). Better bootstrap confidence intervals. *JASA* 82(397), 171-185.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.stats.intervals import bootstrap_ci
    >>> x = np.random.default_rng(0).exponential(size=50)
    >>> ci = bootstrap_ci(x, np.mean, method="bca", rng=1)
    >>> bool(ci.low < np.mean(x) < ci.high)
    True
    """
    x = check_finite(as_sample(data, "data"), "data")
    n = x.shape[0]
    if n < 2:
        raise ValueError(
            f"data needs at least 2 observations to bootstrap (with 1, every resample "
            f"is the data itself), got {n}"
        )
    if not callable(statistic):
        raise TypeError(f"statistic must be callable, got {type(statistic).__name__}")
    confidence = _check_confidence(confidence)
    if not isinstance(method, str) or method.lower() not in BOOTSTRAP_METHODS:
        raise ValueError(f"method must be 'percentile' or 'bca', got {method!r}")
    method = method.lower()
    n_resamples = check_int(n_resamples, "n_resamples", minimum=2)
    if batch is not None:
        batch = check_int(batch, "batch", minimum=1)
    generator = check_rng(rng)
    vectorized = takes_axis(statistic)

    theta_hat = float(statistic_of_rows(statistic, vectorized, (x[None, :],), "data")[0])
    rows = batch or max(1, BATCH_ELEMENTS // n)
    theta_b = bootstrap_distribution(x, statistic, vectorized, n_resamples, rows, generator)
    label = "bootstrap percentile" if method == "percentile" else "bootstrap BCa"
    common = dict(estimate=theta_hat, estimate_name=getattr(statistic, "__name__", "statistic"),
                  method=label, n_resamples=n_resamples, bootstrap_distribution=theta_b)

    if theta_b.min() == theta_b.max():
        warnings.warn(
            f"every bootstrap resample gives the statistic the value {float(theta_b[0])!r}; "
            "the interval is that single point",
            RuntimeWarning,
            stacklevel=2,
        )
        point = float(theta_b[0])
        return BootstrapInterval(point, point, confidence, standard_error=0.0, **common)

    alpha = 0.5 * (1.0 - confidence)
    z0 = a = None
    if method == "percentile":
        levels = [alpha, 1.0 - alpha]
    else:
        z0 = bias_correction(theta_b, theta_hat)
        jackknife_rows = batch or max(1, BATCH_ELEMENTS // (n - 1))
        a = acceleration(jackknife_values(x, statistic, vectorized, jackknife_rows))
        levels = bca_levels(z0, a, alpha)
    low, high = quantile(theta_b, levels)
    return BootstrapInterval(
        float(low), float(high), confidence, standard_error=float(std(theta_b, ddof=1)),
        bias_correction=z0, acceleration=a, **common,
    )
