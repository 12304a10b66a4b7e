"""Lasso, X 10000x1000 standard normal, 50 true non-zero coefficients, y = X w + 0.1 noise.

alpha = 0.05 alpha_max (alpha_max = max_j |xc_j . yc| / n, the smallest alpha with w = 0),
tol = 1e-6 on both sides. Peers: scikit-learn's ``Lasso`` given a Fortran-ordered X (its
fastest layout) and skglm's ``Lasso`` when it is installed. Ours runs on the C-ordered X
and on the Fortran-ordered one. Goal: ratio <= 1.0 for both orders, objective
(1/(2n)) ||y - Xw - b||^2 + alpha ||w||_1 equal to 1e-10 relative.

``lasso_path`` with 100 alphas on the same data (tol = 1e-6) against scikit-learn's
``lasso_path`` (Fortran-ordered X). Goal: ratio <= 1.0, coefficients equal along the path.
"""

from __future__ import annotations

import numpy as np

from ._timing import Workload

N_SAMPLES, N_FEATURES, N_INFORMATIVE = 10_000, 1_000, 50
ALPHA_FRACTION, TOL, N_ALPHAS = 0.05, 1e-6, 100


def make_data(seed: int = 0):
    """(X, y, alpha): X C-ordered, alpha = 0.05 alpha_max on the centred data."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N_SAMPLES, N_FEATURES))
    w = np.zeros(N_FEATURES)
    support = rng.choice(N_FEATURES, N_INFORMATIVE, replace=False)
    w[support] = rng.standard_normal(N_INFORMATIVE)
    y = X @ w + 0.1 * rng.standard_normal(N_SAMPLES)
    yc = y - y.mean()
    alpha_max = np.abs(X.T @ yc - X.mean(axis=0) * yc.sum()).max() / N_SAMPLES
    return X, y, ALPHA_FRACTION * alpha_max


def lasso_objective(X, y, coef, intercept, alpha) -> float:
    """(1 / (2 n)) ||y - X w - b||^2 + alpha ||w||_1."""
    r = y - X @ coef - intercept
    return float(0.5 * (r @ r) / len(y) + alpha * np.abs(coef).sum())


def _peers(alpha, XF, y):
    from sklearn.linear_model import Lasso as SkLasso

    peers = {"sklearn Lasso (F-ordered X)": lambda: SkLasso(alpha=alpha, tol=TOL).fit(XF, y)}
    try:
        from skglm import Lasso as SkglmLasso
    except ImportError:  # skglm is an optional peer
        pass
    else:
        peers["skglm Lasso"] = lambda: SkglmLasso(alpha=alpha, tol=TOL).fit(XF, y)
    return peers


def workloads():
    from sklearn.linear_model import lasso_path as sk_lasso_path

    from mlfoundations.models import Lasso, lasso_path

    X, y, alpha = make_data()
    XF = np.asfortranarray(X)

    def check(ours_model, peers):
        ours_f = lasso_objective(X, y, ours_model.coef_, ours_model.intercept_, alpha)
        out = {}
        for name, model in peers.items():
            theirs_f = lasso_objective(X, y, model.coef_, model.intercept_, alpha)
            out[name] = (
                f"objective rel diff {abs(ours_f / theirs_f - 1):.1e}, coef max abs diff "
                f"{np.abs(ours_model.coef_ - model.coef_).max():.1e} "
                f"(epochs {ours_model.n_iter_} vs {model.n_iter_})"
            )
        return out

    for order, data in (("C", X), ("F", XF)):
        yield Workload(
            name=f"Lasso {N_SAMPLES}x{N_FEATURES} {order}-ordered",
            ours=lambda data=data: Lasso(alpha=alpha, tol=TOL).fit(data, y),
            peers=_peers(alpha, XF, y),
            check=check,
        )

    def check_path(ours_path, peers):
        alphas, coefs, _ = ours_path
        out = {}
        for name, (their_alphas, their_coefs, _) in peers.items():
            objective = [lasso_objective(X, y, c, 0.0, a) for a, c in zip(alphas, coefs.T)]
            theirs = [lasso_objective(X, y, c, 0.0, a) for a, c in zip(their_alphas, their_coefs.T)]
            out[name] = (
                f"alphas max rel diff {np.max(np.abs(alphas / their_alphas - 1)):.1e}, objective "
                f"max rel diff {np.max(np.abs(np.array(objective) / theirs - 1)):.1e}"
            )
        return out

    yield Workload(
        name=f"lasso_path {N_ALPHAS} alphas {N_SAMPLES}x{N_FEATURES}",
        ours=lambda: lasso_path(X, y, n_alphas=N_ALPHAS, tol=TOL),
        peers={"sklearn lasso_path (F-ordered X)": lambda: sk_lasso_path(XF, y, alphas=N_ALPHAS, tol=TOL)},
        check=check_path,
    )
