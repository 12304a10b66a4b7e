"""Ridge regression and RidgeCV against scikit-learn on the same data.

- Ridge(alpha=1) on X 200000x100 standard normal, y = X w + noise: vs scikit-learn's
  ``Ridge(alpha=1)`` (goal: ratio <= 0.8). Ours: one threaded pass over X for the
  centred Gram matrix, then a 100x100 Cholesky solve.
- RidgeCV(alphas=logspace(-3, 3, 13)) with exact leave-one-out on 5000x100: vs
  scikit-learn's ``RidgeCV`` (no stated goal). Ours: one eigendecomposition for all
  alphas, O(n p) per alpha; scikit-learn's "cov" mode forms an n x p product per alpha.

Coefficients must agree to 1e-10 relative (the chosen alpha exactly).
"""

from __future__ import annotations

import numpy as np

from ._timing import Workload

N_SAMPLES, N_FEATURES, ALPHA = 200_000, 100, 1.0
CV_SAMPLES, CV_FEATURES = 5_000, 100
CV_ALPHAS = np.logspace(-3, 3, 13)


def make_data(n_samples: int, n_features: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    y = X @ rng.standard_normal(n_features) + rng.standard_normal(n_samples)
    return X, y


def _coef_agreement(ours, peers):
    out = {}
    for name, theirs in peers.items():
        diff = np.max(np.abs(ours.coef_ - theirs.coef_)) / np.max(np.abs(theirs.coef_))
        note = ""
        if hasattr(ours, "alpha_"):
            note = "same alpha_, " if ours.alpha_ == theirs.alpha_ else "DIFFERENT alpha_, "
        out[name] = f"{note}coef max rel diff {diff:.1e}"
    return out


def workloads():
    from sklearn.linear_model import Ridge as SkRidge
    from sklearn.linear_model import RidgeCV as SkRidgeCV

    from mlfoundations.models import Ridge, RidgeCV

    X, y = make_data(N_SAMPLES, N_FEATURES)
    yield Workload(
        name=f"Ridge {N_SAMPLES}x{N_FEATURES} alpha={ALPHA:g}",
        ours=lambda: Ridge(alpha=ALPHA).fit(X, y),
        peers={"sklearn Ridge": lambda: SkRidge(alpha=ALPHA).fit(X, y)},
        check=_coef_agreement,
    )

    Xcv, ycv = make_data(CV_SAMPLES, CV_FEATURES, seed=1)
    yield Workload(
        name=f"RidgeCV LOO {CV_SAMPLES}x{CV_FEATURES}, 13 alphas",
        ours=lambda: RidgeCV(alphas=CV_ALPHAS).fit(Xcv, ycv),
        peers={"sklearn RidgeCV": lambda: SkRidgeCV(alphas=CV_ALPHAS).fit(Xcv, ycv)},
        check=_coef_agreement,
    )
