"""Pearson's chi-square tests for counts: goodness of fit and independence in a table.

Both compare observed counts ``O`` with the counts ``E`` expected under the null
hypothesis through Pearson's statistic

.. math:: X^2 = \\sum \\frac{(O - E)^2}{E},

which is approximately chi-square distributed for large expected counts (the usual
rule asks for every E >= 5). Large values speak against H0, so the p-value is the
upper tail ``P(chi2_df >= X^2)`` and there is no ``alternative`` argument.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import as_matrix, as_vector, check_bool, check_int
from ..probability.gamma import ChiSquare
from ._results import Chi2ContingencyResult, TestResult

__all__ = ["chi2_contingency", "chi2_goodness_of_fit"]


def _check_counts(counts: np.ndarray, name: str) -> None:
    if (counts < 0).any():
        raise ValueError(f"{name} must be non-negative counts, got {float(counts.min())!r}")


def chi2_goodness_of_fit(observed, expected=None, *, ddof=0) -> TestResult:
    r"""Pearson's chi-square goodness-of-fit test of k category counts.

    .. math:: X^2 = \sum_{i=1}^{k} \frac{(O_i - E_i)^2}{E_i}
              \sim \chi^2_{k - 1 - \text{ddof}} \text{ under } H_0

    Parameters
    ----------
    observed : (k,) array_like
        Observed counts (non-negative, finite; need not be integers), k >= 2.
    expected : (k,) array_like, optional
        Expected counts under H0, all > 0, with the same total as ``observed``
        (to a relative 1e-8). Default: equal counts, ``sum(observed) / k`` each.
    ddof : int, default 0
        Parameters estimated from the data to compute ``expected``; each one
        removes a degree of freedom: ``df = k - 1 - ddof``, which must stay >= 1.

    Returns
    -------
    TestResult
        Unpacks as ``chi2, p``; ``df``; ``effect_size``: Cohen's
        w = sqrt(X^2 / N), N the total count.

    Raises
    ------
    ValueError
        Non 1-D, NaN, inf or negative counts; k < 2; a total of zero; an expected
        count <= 0; totals that differ; ``ddof`` leaving df < 1.

    Notes
    -----
    ``scipy.stats.chisquare(observed, expected, ddof)``; R's
    ``chisq.test(x, p = expected / sum(expected))``.

    References
    ----------
    Pearson, K. (1900). On the criterion that a given system of deviations from the
    probable ... *Philosophical Magazine* 50(302), 157-175.
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*,
    2nd ed., chapter 7.

    Examples
    --------
    >>> from mlfoundations.stats import chi2_goodness_of_fit
    >>> chi2, p = chi2_goodness_of_fit([16, 18, 16, 14, 12, 12])   # a fair die?
    >>> round(chi2, 6), round(p, 6)
    (2.0, 0.849145)
    """
    observed = as_vector(observed, "observed")
    _check_counts(observed, "observed")
    k = observed.shape[0]
    if k < 2:
        raise ValueError(f"observed needs at least 2 categories, got {k}")
    ddof = check_int(ddof, "ddof", minimum=0)
    if k - 1 - ddof < 1:
        raise ValueError(
            f"ddof={ddof} leaves df = k - 1 - ddof = {k - 1 - ddof} with k={k} categories; "
            f"ddof must be <= {k - 2}"
        )
    total = float(np.sum(observed))
    if total == 0.0:
        raise ValueError("observed counts sum to 0; there is nothing to test")
    if expected is None:
        expected = np.full(k, total / k)
    else:
        expected = as_vector(expected, "expected")
        if expected.shape != observed.shape:
            raise ValueError(
                f"expected must have the shape of observed {observed.shape}, got {expected.shape}"
            )
        if not (expected > 0).all():
            raise ValueError(f"expected counts must all be > 0, got {float(expected.min())!r}")
        expected_total = float(np.sum(expected))
        if abs(total - expected_total) > 1e-8 * min(total, expected_total):
            raise ValueError(
                f"observed and expected must have the same total, got {total!r} and "
                f"{expected_total!r}; rescale expected to sum(observed)"
            )
    statistic = float(np.sum((observed - expected) ** 2 / expected))
    df = float(k - 1 - ddof)
    return TestResult(
        test="chi-square goodness-of-fit test",
        statistic=statistic,
        pvalue=ChiSquare(df).sf(statistic),
        df=df,
        alternative=None,
        statistic_name="chi2",
        effect_size=math.sqrt(statistic / total),
        effect_size_name="Cohen's w",
    )


def _expected_frequencies(observed: np.ndarray) -> np.ndarray:
    """E_ij = R_i C_j / N: the counts if rows and columns were independent."""
    row_totals = observed.sum(axis=1)
    column_totals = observed.sum(axis=0)
    for totals, kind in ((row_totals, "row"), (column_totals, "column")):
        empty = np.flatnonzero(totals == 0)
        if empty.size:
            raise ValueError(
                f"observed has an all-zero {kind} ({kind} {int(empty[0])}); its expected "
                "counts are 0 and the statistic is undefined; drop it"
            )
    return np.outer(row_totals, column_totals) / observed.sum()


def _yates_corrected(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Move each count toward its expectation by 0.5 (or less, not to overshoot it)."""
    gap = expected - observed
    return observed + np.sign(gap) * np.minimum(0.5, np.abs(gap))


def chi2_contingency(observed, *, correction=True) -> Chi2ContingencyResult:
    r"""Pearson's chi-square test of independence of the rows and columns of a table.

    With row totals ``R_i``, column totals ``C_j`` and grand total ``N``, the
    counts expected under independence are ``E_ij = R_i C_j / N`` and

    .. math:: X^2 = \sum_{i, j} \frac{(O_{ij} - E_{ij})^2}{E_{ij}}
              \sim \chi^2_{(r - 1)(c - 1)} \text{ under } H_0.

    For a 2x2 table (df = 1) with ``correction=True``, Yates' continuity correction
    first moves every ``O_ij`` by ``min(0.5, |O_ij - E_ij|)`` toward ``E_ij``,
    which makes the chi-square approximation of the discrete statistic
    conservative.

    Parameters
    ----------
    observed : (r, c) array_like
        Contingency table of counts (non-negative, finite), r >= 2 and c >= 2,
        without an all-zero row or column.
    correction : bool, default True
        Apply Yates' correction to 2x2 tables (other shapes are never corrected).

    Returns
    -------
    Chi2ContingencyResult
        Unpacks as ``chi2, p`` (not as scipy's 4-tuple); ``df = (r - 1)(c - 1)``;
        ``expected``, the table E; ``correction``, whether Yates' correction was
        applied; ``effect_size``: Cramér's V = sqrt(X^2 / (N (min(r, c) - 1)))
        computed from the *uncorrected* statistic.

    Raises
    ------
    ValueError
        A table that is not 2-D, has fewer than 2 rows or columns (no degrees of
        freedom for association), holds NaN, inf or negative counts, or has an
        all-zero row or column (expected counts of 0).

    Notes
    -----
    Only two-way tables (no N-way tables as in scipy). ``scipy.stats.chi2_contingency``
    with the default ``lambda_`` (Pearson); Cramér's V as
    ``scipy.stats.contingency.association(observed, method="cramer")``.

    References
    ----------
    Pearson, K. (1904). On the theory of contingency and its relation to
    association and normal correlation. *Drapers' Company Research Memoirs*.
    Yates, F. (1934). Contingency tables involving small numbers and the chi^2
    test. *Supplement to the JRSS* 1(2), 217-235.
    Cramér, H. (1946). *Mathematical Methods of Statistics*, section 21.9.

    Examples
    --------
    >>> from mlfoundations.stats import chi2_contingency
    >>> res = chi2_contingency([[10, 20], [30, 40]], correction=False)
    >>> round(res.statistic, 6), res.df, res.expected.tolist()
    (0.793651, 1.0, [[12.0, 18.0], [28.0, 42.0]])
    """
    observed = as_matrix(observed, "observed")
    correction = check_bool(correction, "correction")
    r, c = observed.shape
    if r < 2 or c < 2:
        raise ValueError(
            f"observed must have at least 2 rows and 2 columns, got shape {observed.shape}; "
            "a single row or column has no degrees of freedom for association"
        )
    _check_counts(observed, "observed")
    expected = _expected_frequencies(observed)
    df = float((r - 1) * (c - 1))
    pearson = float(np.sum((observed - expected) ** 2 / expected))
    corrected = correction and df == 1.0
    if corrected:
        statistic = float(np.sum((_yates_corrected(observed, expected) - expected) ** 2 / expected))
    else:
        statistic = pearson
    total = float(np.sum(observed))
    return Chi2ContingencyResult(
        test="chi-square test of independence",
        statistic=statistic,
        pvalue=ChiSquare(df).sf(statistic),
        df=df,
        alternative=None,
        statistic_name="chi2",
        effect_size=math.sqrt(pearson / (total * (min(r, c) - 1))),
        effect_size_name="Cramér's V",
        expected=expected,
        correction=corrected,
    )
