"""Logistic regression, X 100000x50 standard normal, y ~ Bernoulli(sigma(X w + b)).

Both sides fit C = 1, tol = 1e-6 (max |gradient| of the mean loss), max_iter = 100.
Peers: scikit-learn's ``LogisticRegression`` with solver "lbfgs" (its default) and,
for our Newton solver, also "newton-cholesky". Goal: ratio <= 1.0 for our default
solver (lbfgs) against scikit-learn's lbfgs, with the mean log-loss equal to 1e-8
relative.
"""

from __future__ import annotations

import numpy as np

from ._timing import Workload

N_SAMPLES, N_FEATURES = 100_000, 50
C, TOL, MAX_ITER = 1.0, 1e-6, 100


def make_data(seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N_SAMPLES, N_FEATURES))
    w = rng.standard_normal(N_FEATURES) * (2.0 / np.sqrt(N_FEATURES))
    y = (rng.random(N_SAMPLES) < 1.0 / (1.0 + np.exp(-(X @ w + 0.3)))).astype(np.int64)
    return X, y


def mean_log_loss(model, X, y) -> float:
    """-(1/n) sum_i log P(y_i | x_i) from the model's predict_log_proba."""
    log_p = model.predict_log_proba(X)
    return float(-np.mean(log_p[np.arange(len(y)), np.searchsorted(model.classes_, y)]))


def workloads():
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression

    from mlfoundations.models import LogisticRegression

    X, y = make_data()

    def ours(solver):
        return lambda: LogisticRegression(C=C, tol=TOL, max_iter=MAX_ITER, solver=solver).fit(X, y)

    def peer(solver):
        return lambda: SkLogisticRegression(C=C, tol=TOL, max_iter=MAX_ITER, solver=solver).fit(X, y)

    def check(ours_model, peers):
        ours_loss = mean_log_loss(ours_model, X, y)
        out = {}
        for name, model in peers.items():
            diff = abs(ours_loss / mean_log_loss(model, X, y) - 1.0)
            out[name] = f"log-loss rel diff {diff:.1e} (iterations {ours_model.n_iter_[0]} vs {model.n_iter_[0]})"
        return out

    yield Workload(
        name=f"LogisticRegression lbfgs {N_SAMPLES}x{N_FEATURES}",
        ours=ours("lbfgs"),
        peers={"sklearn lbfgs": peer("lbfgs")},
        check=check,
    )
    yield Workload(
        name=f"LogisticRegression newton {N_SAMPLES}x{N_FEATURES}",
        ours=ours("newton"),
        peers={"sklearn lbfgs": peer("lbfgs"), "sklearn newton-cholesky": peer("newton-cholesky")},
        check=check,
    )
