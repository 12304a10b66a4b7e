"""Two-sample t-tests against scipy.stats.ttest_ind on the same data.

- Student's and Welch's test on two samples of N_LARGE = 10^6 (goal: ratio <= 0.3);
- N_CALLS = 10000 calls of Student's test on the guide's samples of size 7
  (goal: <= 20 us per call, i.e. <= 0.2 s for the batch; scipy takes ~450 us a call).

Statistic, p-value and degrees of freedom must agree to 1e-12 relative.
"""

from __future__ import annotations

import numpy as np

from ._timing import Workload

N_LARGE = 1_000_000
N_CALLS = 10_000
GROUP_A = [85, 87, 82, 86, 88, 85, 87]
GROUP_B = [78, 82, 79, 81, 80, 83, 78]


def _agreement(ours, peers) -> str:
    theirs = next(iter(peers.values()))
    pairs = [(ours.statistic, theirs.statistic), (ours.pvalue, theirs.pvalue), (ours.df, theirs.df)]
    worst = max(abs(float(o) / float(t) - 1.0) for o, t in pairs)
    return f"t, p, df max rel diff {worst:.1e}"


def workloads():
    from scipy import stats

    from mlfoundations.stats import ttest_ind

    rng = np.random.default_rng(0)
    a = rng.normal(0.0, 1.0, N_LARGE)
    b = rng.normal(0.002, 1.5, N_LARGE)
    for equal_var, label in ((True, "Student"), (False, "Welch")):
        yield Workload(
            name=f"ttest_ind {label} n={N_LARGE:.0e} x 2",
            ours=lambda e=equal_var: ttest_ind(a, b, equal_var=e),
            peers={"scipy.stats.ttest_ind": lambda e=equal_var: stats.ttest_ind(a, b, equal_var=e)},
            check=_agreement,
        )

    def many_ours():
        for _ in range(N_CALLS - 1):
            ttest_ind(GROUP_A, GROUP_B)
        return ttest_ind(GROUP_A, GROUP_B)

    def many_scipy():
        for _ in range(N_CALLS - 1):
            stats.ttest_ind(GROUP_A, GROUP_B)
        return stats.ttest_ind(GROUP_A, GROUP_B)

    yield Workload(
        name=f"{N_CALLS} x ttest_ind(n=7) (us per call = s * {1e6 / N_CALLS:g})",
        ours=many_ours,
        peers={"scipy.stats.ttest_ind": many_scipy},
        check=_agreement,
        repeat=5,
    )
