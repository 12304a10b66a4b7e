"""PCA, X = Z A with Z 200000x100 standard normal, A random 100x100, k = 10.

Peers: scikit-learn's PCA with each of its solvers. Goal: ratio <= 0.7 against the
fastest exact peer (covariance_eigh or full), explained variances equal to 1e-10.
"""

from __future__ import annotations

import numpy as np

from ._timing import Workload

N_SAMPLES, N_FEATURES, K = 200_000, 100, 10


def make_data(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((N_SAMPLES, N_FEATURES)) @ rng.standard_normal((N_FEATURES, N_FEATURES))


def workloads():
    from sklearn.decomposition import PCA as SkPCA

    from mlfoundations.models import PCA

    X = make_data()

    def ours():
        return PCA(K).fit(X).explained_variance_

    def peer(solver):
        return lambda: SkPCA(K, svd_solver=solver, random_state=0).fit(X).explained_variance_

    def check(ours_ev, peers):
        out = {}
        for name, ev in peers.items():
            out[name] = f"explained variance max rel diff {np.max(np.abs(ours_ev / ev - 1)):.1e}"
        return out

    yield Workload(
        name=f"PCA {N_SAMPLES}x{N_FEATURES} k={K}",
        ours=ours,
        peers={
            f"sklearn PCA {s}": peer(s) for s in ("covariance_eigh", "full", "randomized")
        },
        check=check,
    )
