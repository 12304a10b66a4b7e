"""Statistics: descriptive summaries, moments, tests and intervals, checked against scipy.stats."""
from .descriptive import mean, var, std, sem, skewness, kurtosis, describe, DescribeResult
from .quantiles import median, quantile
from .moments import RunningMoments

__all__ = [
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
]
