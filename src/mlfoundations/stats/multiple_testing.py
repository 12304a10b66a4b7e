"""Adjusting p-values for multiple comparisons: Bonferroni, Holm, Benjamini-Hochberg.

Testing m hypotheses at level alpha each rejects some true null by chance far more
often than alpha. An adjusted p-value ``p~_i`` is the smallest level at which the
whole procedure would reject hypothesis ``i``, so "reject when ``p~_i <= alpha``"
runs the procedure at level ``alpha``:

- Bonferroni and Holm control the family-wise error rate, P(any false rejection)
  <= alpha, under any dependence between the tests;
- Benjamini-Hochberg controls the false discovery rate, E[false rejections /
  rejections] <= alpha, for independent (or positively dependent) tests.

References
----------
Holm, S. (1979). A simple sequentially rejective multiple test procedure.
*Scandinavian Journal of Statistics* 6(2), 65-70.
Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate: a
practical and powerful approach to multiple testing. *Journal of the Royal
Statistical Society B* 57(1), 289-300.
Wright, S. P. (1992). Adjusted p-values for simultaneous inference. *Biometrics*
48(4), 1005-1013.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array

__all__ = ["adjust_pvalues"]

METHODS = ("bonferroni", "holm", "fdr_bh")


def adjust_pvalues(p, method="holm"):
    r"""Adjusted p-values for a family of m tests (Bonferroni, Holm or Benjamini-Hochberg).

    With the p-values sorted, ``p_(1) <= ... <= p_(m)``:

    - ``"bonferroni"``: ``p~_i = min(1, m p_i)``;
    - ``"holm"`` (step-down): ``p~_(i) = min(1, max_{j <= i} (m - j + 1) p_(j))``;
    - ``"fdr_bh"`` (step-up): ``p~_(i) = min(1, min_{j >= i} m p_(j) / j)``.

    Parameters
    ----------
    p : (...) array_like
        The unadjusted p-values, each in [0, 1]. Any shape; the family is every
        entry.
    method : {"bonferroni", "holm", "fdr_bh"}, default "holm"
        The procedure. Holm is uniformly more powerful than Bonferroni with the
        same family-wise guarantee; "fdr_bh" controls the false discovery rate
        instead.

    Returns
    -------
    ndarray, shape of ``p``
        The adjusted p-values: ``p <= p~ <= 1``, in the same order as ``p``
        and monotone in it (a smaller p never gets a larger adjusted value). An
        empty ``p`` gives an empty array (a family of no tests needs no
        adjustment).

    Raises
    ------
    ValueError
        If ``p`` holds NaN, inf or values outside [0, 1], or ``method`` is unknown.

    Notes
    -----
    Holm's procedure rejects ``H_(1), ..., H_(k)`` while ``p_(j) <= alpha /
    (m - j + 1)``; the running maximum makes the adjusted values of a step-down
    procedure monotone (Wright 1992). Benjamini-Hochberg rejects every
    ``H_(j)`` with ``j <= max{k : p_(k) <= k alpha / m}``; the running minimum
    from the largest p-value down does the same for a step-up procedure. Ties
    get equal adjusted values whatever order the sort puts them in. The result
    equals ``statsmodels.stats.multitest.multipletests(p, method=method)[1]``.

    References
    ----------
    Holm (1979); Benjamini and Hochberg (1995); Wright (1992).

    Examples
    --------
    >>> from mlfoundations.stats.multiple_testing import adjust_pvalues
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.005], method="holm")
    array([0.03, 0.06, 0.06, 0.02])
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.005], method="fdr_bh")
    array([0.02, 0.04, 0.04, 0.02])
    """
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method must be 'bonferroni', 'holm' or 'fdr_bh', got {method!r}")
    p = as_float_array(p, "p")
    if p.size and not ((p >= 0.0) & (p <= 1.0)).all():
        bad = float(p[(p < 0.0) | (p > 1.0)][0])
        raise ValueError(f"p-values must lie in [0, 1], got {bad!r}")
    shape, p = p.shape, p.ravel()
    m = p.size
    if m == 0:
        return np.empty(shape)
    if method == "bonferroni":
        return np.minimum(p * m, 1.0).reshape(shape)
    order = np.argsort(p, kind="stable")
    p_sorted = p[order]
    if method == "holm":
        # the j-th smallest is compared with alpha / (m - j + 1)
        adjusted = np.maximum.accumulate(p_sorted * np.arange(m, 0, -1))
    else:
        # the j-th smallest is compared with j alpha / m. The factor m / j rounds to
        # >= 1 (exactly 1 at j = m, exactly m at j = 1), so p~ >= p and p~_(1) <= Holm's
        # m p_(1) hold in floating point too
        adjusted = np.minimum.accumulate((p_sorted * (m / np.arange(1, m + 1)))[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out.reshape(shape)
