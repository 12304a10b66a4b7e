"""What an interval estimate returns: a confidence interval that carries its estimate.

:class:`IntervalEstimate` extends :class:`~mlfoundations.stats._results.ConfidenceInterval`
(frozen, unpacks as ``low, high``) with the point estimate, its standard error and
the method, and prints as one line such as
``mean = 5.11667, 95% CI [4.80951, 5.42382] (Student's t, df = 5, standard error = 0.11949)``.
:class:`BootstrapInterval` adds the bootstrap distribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._results import ConfidenceInterval, _fmt

__all__ = ["IntervalEstimate", "BootstrapInterval"]


@dataclass(frozen=True, kw_only=True)
class IntervalEstimate(ConfidenceInterval):
    """A confidence interval with its point estimate; unpacks as ``low, high``.

    Attributes
    ----------
    low, high : float
        The ends of the interval.
    confidence : float
        Its level.
    estimate : float
        The point estimate the interval is built around.
    estimate_name : str
        What ``estimate`` estimates ("mean", "mean(a) - mean(b)", ...).
    method : str
        How the interval was made ("Student's t", "Wilson score", ...).
    standard_error : float or None
        Estimated standard deviation of ``estimate``.
    df : float or None
        Degrees of freedom of the t reference distribution, if one was used.
    """

    estimate: float
    estimate_name: str = "estimate"
    method: str = ""
    standard_error: float | None = None
    df: float | None = None

    def _details(self) -> list[str]:
        details = [self.method] if self.method else []
        if self.df is not None:
            details.append(f"df = {_fmt(self.df)}")
        if self.standard_error is not None:
            details.append(f"standard error = {_fmt(self.standard_error)}")
        return details

    def __str__(self) -> str:
        head = f"{self.estimate_name} = {_fmt(self.estimate)}, {ConfidenceInterval.__str__(self)}"
        details = self._details()
        return f"{head} ({', '.join(details)})" if details else head


@dataclass(frozen=True, kw_only=True)
class BootstrapInterval(IntervalEstimate):
    """A bootstrap confidence interval; adds the bootstrap distribution.

    Attributes
    ----------
    n_resamples : int
        Number of bootstrap resamples B.
    bootstrap_distribution : ndarray, shape (B,)
        The statistic on each resample, ``theta*_1, ..., theta*_B``.
    bias_correction : float or None
        BCa's ``z0`` (None for the percentile interval).
    acceleration : float or None
        BCa's ``a`` (None for the percentile interval).

    ``standard_error`` is the bootstrap estimate, the standard deviation of the
    bootstrap distribution (divisor B - 1).
    """

    n_resamples: int = 0
    bootstrap_distribution: np.ndarray = field(default=None, compare=False, repr=False)
    bias_correction: float | None = None
    acceleration: float | None = None

    def _details(self) -> list[str]:
        details = super()._details()
        details.insert(1, f"{self.n_resamples} resamples")
        return details
