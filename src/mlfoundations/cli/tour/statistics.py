"""Tour section: Statistics — tests and intervals.

The guide's two-sample t-test on its exam scores and its 95% t interval, each beside
the value SciPy and R give, then what a careful analyst adds: Welch's test, the
effect size, a distribution-free test, a stable variance on NIST's hardest data set.
Reference values were computed once with scipy.stats 1.17 (and R where named).
"""

from __future__ import annotations

import numpy as np

from ...stats import (
    RunningMoments,
    confidence_interval,
    mann_whitney_u,
    std,
    ttest_ind,
)
from . import Check

GROUP_A = [85, 87, 82, 86, 88, 85, 87]
GROUP_B = [78, 82, 79, 81, 80, 83, 78]
SCIPY = "scipy.stats 1.17"


def checks() -> list[Check]:
    out: list[Check] = []

    student = ttest_ind(GROUP_A, GROUP_B)
    t, p = student
    out.append(Check("the guide's t-test: t-statistic", t, 5.307227776030218, SCIPY, rtol=1e-12))
    out.append(Check("the guide's t-test: p-value", p, 0.00018613322232547498, SCIPY, rtol=1e-12))
    low, high = student.confidence_interval(0.95)
    out.append(Check("95% CI of mean(a) - mean(b) (pooled)", [low, high],
                     [3.2841515666938834, 7.858705576163255], SCIPY, rtol=1e-12))
    welch = ttest_ind(GROUP_A, GROUP_B, equal_var=False)
    out.append(Check("Welch's t-test: p-value, df", [welch.pvalue, welch.df],
                     [0.00018622898271533858, 11.99817128924108], SCIPY, rtol=1e-12))
    out.append(Check("R t.test(c(2,3,5), c(1.5), var.equal=TRUE): t, p",
                     list(ttest_ind([2, 3, 5], [1.5])), [1.0394023007754, 0.407779907736],
                     "R 4.x", rtol=1e-11))

    low, high = confidence_interval(GROUP_A, confidence=0.95)
    out.append(Check("the guide's 95% CI for mean(group_a)", [low, high],
                     [83.88674701075547, 87.54182441781595], SCIPY, rtol=1e-12))

    u, p_u = mann_whitney_u(GROUP_A, GROUP_B)
    out.append(Check("Mann-Whitney U (distribution-free), U and p", [u, p_u],
                     [47.5, 0.003881122474394837], SCIPY, rtol=1e-12))

    # NIST StRD NumAcc4: 10000000.2 then 500 pairs 10000000.1, 10000000.3; certified sd 0.1
    numacc4 = np.array([10000000.2] + [10000000.1, 10000000.3] * 500)
    out.append(Check("NIST NumAcc4 standard deviation (two-pass)", std(numacc4, ddof=1), 0.1,
                     "NIST StRD certified value", rtol=1e-8))
    chunks = [RunningMoments.from_array(c) for c in np.array_split(numacc4, 7)]
    merged = sum(chunks[1:], chunks[0])
    out.append(Check("NumAcc4 sd from 7 merged chunks (Chan et al.)", merged.std(ddof=1), 0.1,
                     "NIST StRD certified value", rtol=1e-8))
    return out
