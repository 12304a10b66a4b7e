"""Distributions against scipy.stats on the same inputs.

- pdf/pmf, cdf, ppf, rvs of Normal(0, 1), Poisson(4), Gamma(2.5) on N_POINTS points
  (goal: ratio <= 0.5 for the density, <= 1.0 for the rest);
- N_CALLS scalar calls ``Normal().pdf(0.3)`` vs ``scipy.stats.norm.pdf(0.3)``
  (goal <= 3 us per call, ratio <= 0.1);
- Gamma maximum likelihood on N_FIT samples vs ``scipy.stats.gamma.fit(x, floc=0)``
  (goal ratio <= 1.0 with a log-likelihood at least as high).
"""

from __future__ import annotations

import numpy as np

from ._timing import Workload

N_POINTS = 10_000_000
N_CALLS = 10_000
N_FIT = 100_000


def _rel_diff(a, b) -> str:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    finite = np.isfinite(b) & (b != 0)
    exact = np.array_equal(a[~finite], b[~finite])
    diff = np.max(np.abs(a[finite] / b[finite] - 1)) if finite.any() else 0.0
    return f"max rel diff {diff:.1e}" + ("" if exact else " (non-finite entries differ)")


def _families():
    from scipy import stats

    from mlfoundations.probability import Gamma, Normal, Poisson

    return [
        ("Normal(0,1)", Normal(0.0, 1.0), stats.norm(0.0, 1.0), "pdf"),
        ("Poisson(4)", Poisson(4.0), stats.poisson(4.0), "pmf"),
        ("Gamma(2.5)", Gamma(2.5, 1.0), stats.gamma(2.5), "pdf"),
    ]


def workloads():
    from scipy import stats

    from mlfoundations.probability import Gamma, Normal

    rng = np.random.default_rng(0)
    q = rng.random(N_POINTS)
    for label, ours, theirs, density in _families():
        x = theirs.ppf(rng.random(N_POINTS)) if label != "Normal(0,1)" else rng.standard_normal(N_POINTS)
        for method, arg in ((density, x), ("cdf", x), ("ppf", q)):
            slow = label == "Poisson(4)" and method == "ppf"  # scipy's pdtrik: ~25 s here
            yield Workload(
                name=f"{label} {method} n={N_POINTS:.0e}",
                ours=lambda o=ours, m=method, a=arg: getattr(o, m)(a),
                peers={f"scipy.stats {method}": lambda t=theirs, m=method, a=arg: getattr(t, m)(a)},
                check=lambda o, p: _rel_diff(o, next(iter(p.values()))),
                max_repeat=1 if slow else None,
                warmup=0 if slow else 1,
            )
        yield Workload(
            name=f"{label} rvs n={N_POINTS:.0e}",
            ours=lambda o=ours: o.rvs(N_POINTS, rng=1),
            peers={"scipy.stats rvs": lambda t=theirs: t.rvs(N_POINTS, random_state=np.random.default_rng(1))},
            check=lambda o, p: f"sample means {o.mean():.4f} / {next(iter(p.values())).mean():.4f}",
        )

    def scalar_ours():
        for _ in range(N_CALLS):
            Normal().pdf(0.3)
        return Normal().pdf(0.3)

    def scalar_scipy():
        for _ in range(N_CALLS):
            stats.norm.pdf(0.3)
        return float(stats.norm.pdf(0.3))

    yield Workload(
        name=f"{N_CALLS} x Normal().pdf(0.3)",
        ours=scalar_ours,
        peers={"scipy.stats.norm.pdf(0.3)": scalar_scipy},
        check=lambda o, p: _rel_diff(o, next(iter(p.values()))),
    )

    sample = Gamma(2.5, 1.0 / 3.0).rvs(N_FIT, rng=2)

    def fit_ours():
        return Gamma.fit(sample)

    def fit_scipy():
        return stats.gamma.fit(sample, floc=0)

    def check(ours, peers):
        a, loc, scale = next(iter(peers.values()))
        theirs = float(np.sum(stats.gamma.logpdf(sample, a, loc, scale)))
        return f"log-lik ours - scipy = {ours.fit_result.log_likelihood - theirs:+.2e}"

    yield Workload(
        name=f"Gamma MLE n={N_FIT:.0e}",
        ours=fit_ours,
        peers={"scipy.stats.gamma.fit(floc=0)": fit_scipy},
        check=check,
    )
