"""Entropy, KL divergence and mutual information against SciPy and scikit-learn.

- Entropy of N_ROWS x N_OUTCOMES probability rows vs ``scipy.stats.entropy(p, axis=1)``
  (goal: ratio <= 0.5), in nats for both;
- KL divergence of the same rows vs ``scipy.special.rel_entr(p, q).sum(1)``
  (goal: ratio <= 0.5);
- ``mutual_info_classif`` of N_SAMPLES x N_FEATURES discrete features (values 0..9)
  and 3 classes vs ``sklearn.feature_selection.mutual_info_classif(...,
  discrete_features=True)`` (goal: ratio <= 0.1; scikit-learn takes ~0.8 s here).

Results must agree to 1e-12 (absolute, in nats).
"""

from __future__ import annotations

import numpy as np

from ._timing import Workload

N_ROWS = 10_000
N_OUTCOMES = 1_000
N_SAMPLES = 100_000
N_FEATURES = 50
N_VALUES = 10
N_CLASSES = 3


def _max_abs_diff(ours, peers) -> str:
    theirs = next(iter(peers.values()))
    return f"max abs diff {float(np.max(np.abs(np.asarray(ours) - np.asarray(theirs)))):.1e}"


def _probability_rows(rng) -> np.ndarray:
    p = rng.random((N_ROWS, N_OUTCOMES))
    p[p < 0.05] = 0.0  # some impossible outcomes: 0 log 0 on the path
    return p / p.sum(axis=1, keepdims=True)


def workloads():
    from scipy import special, stats
    from sklearn.feature_selection import mutual_info_classif as sklearn_mi_classif

    from mlfoundations.information import entropy, kl_divergence, mutual_info_classif

    rng = np.random.default_rng(0)
    p = _probability_rows(rng)
    q = rng.random((N_ROWS, N_OUTCOMES)) + 1e-3
    q /= q.sum(axis=1, keepdims=True)
    yield Workload(
        name=f"entropy {N_ROWS}x{N_OUTCOMES}",
        ours=lambda: entropy(p, base=np.e),
        peers={"scipy.stats.entropy": lambda: stats.entropy(p, axis=1)},
        check=_max_abs_diff,
    )
    yield Workload(
        name=f"KL divergence {N_ROWS}x{N_OUTCOMES}",
        ours=lambda: kl_divergence(p, q, base=np.e),
        peers={"scipy rel_entr(p, q).sum(1)": lambda: special.rel_entr(p, q).sum(axis=1)},
        check=_max_abs_diff,
    )

    X = rng.integers(0, N_VALUES, size=(N_SAMPLES, N_FEATURES)).astype(np.float64)
    y = (X[:, 0] + X[:, 1] // 3 + rng.integers(0, 2, N_SAMPLES)) % N_CLASSES
    yield Workload(
        name=f"mutual_info_classif {N_SAMPLES}x{N_FEATURES} discrete",
        ours=lambda: mutual_info_classif(X, y, discrete_features=True),
        peers={"sklearn mutual_info_classif": lambda: sklearn_mi_classif(
            X, y, discrete_features=True)},
        check=_max_abs_diff,
    )
