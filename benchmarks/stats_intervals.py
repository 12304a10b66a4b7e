"""Intervals and nonparametric tests against scipy.stats and statsmodels, on the same data.

- t interval for a mean, n = 10^6 normal values, against the guide's recipe
  ``stats.t.interval(c, n - 1, loc=np.mean(x), scale=stats.sem(x))``.
  Goal: ratio <= 0.5, ends equal to 1e-12.
- bootstrap BCa interval of the mean, n = 1000, B = 9999, against
  ``scipy.stats.bootstrap`` with the same seed (same resamples, same interval).
- permutation test, mean difference, 50 + 50 observations, 9999 permutations, against
  ``scipy.stats.permutation_test`` with the same seed (same permutations).
- Mann-Whitney U, 5000 + 5000 with ties (asymptotic), against ``scipy.stats.mannwhitneyu``.
- Holm adjustment of 10^5 p-values against statsmodels' ``multipletests``.
"""

from __future__ import annotations

import numpy as np

from ._timing import Workload

N_MEAN = 1_000_000
N_BOOTSTRAP, B_BOOTSTRAP = 1000, 9999
N_PERMUTATION, B_PERMUTATION = 50, 9999
N_RANKS = 5000
N_PVALUES = 100_000


def _rel(ours, ref) -> float:
    ours, ref = np.asarray(ours, dtype=float), np.asarray(ref, dtype=float)
    return float(np.max(np.abs(ours - ref) / np.abs(ref)))


def _agreement(what):
    """The check of a workload: the largest relative difference from each peer."""
    def check(ours, peers):
        return {peer: f"{what} max rel diff {_rel(ours, ref):.1e}" for peer, ref in peers.items()}

    return check


def _mean_difference(x, y, axis):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def workloads():
    from scipy import stats

    from mlfoundations.stats.intervals import bootstrap_ci, confidence_interval
    from mlfoundations.stats.multiple_testing import adjust_pvalues
    from mlfoundations.stats.nonparametric import mann_whitney_u, permutation_test

    rng = np.random.default_rng(0)

    x = rng.normal(10.0, 2.0, N_MEAN)
    yield Workload(
        name=f"t interval n={N_MEAN}",
        ours=lambda: tuple(confidence_interval(x, 0.95)),
        peers={
            "scipy t.interval(mean, sem)": lambda: stats.t.interval(
                0.95, len(x) - 1, loc=np.mean(x), scale=stats.sem(x)
            )
        },
        check=_agreement("ends"),
        repeat=9,
    )

    data = rng.exponential(size=N_BOOTSTRAP)
    yield Workload(
        name=f"bootstrap BCa n={N_BOOTSTRAP} B={B_BOOTSTRAP}",
        ours=lambda: tuple(
            bootstrap_ci(data, np.mean, method="bca", n_resamples=B_BOOTSTRAP, rng=1)
        ),
        peers={
            "scipy bootstrap BCa": lambda: tuple(
                stats.bootstrap(
                    (data,), np.mean, method="BCa", n_resamples=B_BOOTSTRAP, rng=1
                ).confidence_interval
            )
        },
        check=_agreement("ends"),
    )

    a, b = rng.normal(size=N_PERMUTATION), rng.normal(0.3, 1.0, N_PERMUTATION)
    yield Workload(
        name=f"permutation test {N_PERMUTATION}+{N_PERMUTATION} B={B_PERMUTATION}",
        ours=lambda: permutation_test(a, b, n_resamples=B_PERMUTATION, rng=2).pvalue,
        peers={
            "scipy permutation_test": lambda: stats.permutation_test(
                (a, b), _mean_difference, n_resamples=B_PERMUTATION, rng=2, vectorized=True
            ).pvalue
        },
        check=_agreement("p-value"),
    )

    u = rng.integers(0, 100, N_RANKS).astype(float)
    v = rng.integers(0, 100, N_RANKS).astype(float)
    yield Workload(
        name=f"Mann-Whitney U {N_RANKS}+{N_RANKS} ties",
        ours=lambda: tuple(mann_whitney_u(u, v)),
        peers={"scipy mannwhitneyu": lambda: tuple(stats.mannwhitneyu(u, v))},
        check=_agreement("(U, p)"),
    )

    p = rng.uniform(size=N_PVALUES) ** 3

    def statsmodels_holm():
        from statsmodels.stats.multitest import multipletests

        return multipletests(p, method="holm")[1]

    yield Workload(
        name=f"Holm adjustment m={N_PVALUES}",
        ours=lambda: adjust_pvalues(p, method="holm"),
        peers={"statsmodels multipletests": statsmodels_holm},
        check=_agreement("adjusted p"),
    )
