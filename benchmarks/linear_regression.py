"""LinearRegression (OLS with inference) against statsmodels and scikit-learn on the same data.

X is 200000x100: standard normal columns mixed with their neighbours (correlation
~0.4), then given scales from 0.1 to 10 and means from -5 to 5, so that centring and
scaling matter; y = 3 + X w + N(0, 1) noise.

- fit + ``results_.bse`` + ``results_.pvalues`` vs statsmodels
  ``OLS(y, add_constant(X)).fit()`` + ``.bse`` + ``.pvalues`` (goal: ratio <= 0.15);
- fit (coefficients only) vs scikit-learn ``LinearRegression().fit`` (goal: <= 0.3).

Ours: one threaded pass over X for the centred Gram matrix, a 100x100 Cholesky
factorisation (well-conditioned, so "auto" keeps it), one refinement step and the
residuals (two matrix-vector products each); standard errors from the inverse of the
Cholesky factor, not from X again. statsmodels takes the pseudo-inverse of the design
by SVD, scikit-learn calls LAPACK's ``gelsd`` on the centred X. Parameters, standard
errors and coefficients must agree to 1e-10 relative.
"""

from __future__ import annotations

import numpy as np

from ._timing import Workload

N_SAMPLES, N_FEATURES = 200_000, 100


def make_data(seed: int = 0):
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((N_SAMPLES, N_FEATURES))
    X = Z + 0.5 * np.roll(Z, 1, axis=1)  # neighbouring columns correlated
    X = X * np.logspace(-1, 1, N_FEATURES) + rng.uniform(-5, 5, N_FEATURES)
    y = 3.0 + X @ rng.standard_normal(N_FEATURES) + rng.standard_normal(N_SAMPLES)
    return X, y


def _max_rel_diff(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a) - b) / np.abs(b)))


def workloads():
    import statsmodels.api as sm
    from sklearn.linear_model import LinearRegression as SkLinearRegression

    from mlfoundations.models import LinearRegression

    X, y = make_data()

    def ours_inference():
        res = LinearRegression().fit(X, y).results_
        return res.params, res.bse, res.pvalues

    def statsmodels_inference():
        res = sm.OLS(y, sm.add_constant(X)).fit()
        return res.params, res.bse, res.pvalues

    def inference_agreement(ours, peers):
        params, bse, _ = peers["statsmodels OLS+bse+pvalues"]
        return (
            f"params max rel diff {_max_rel_diff(ours[0], params):.1e}, "
            f"bse max rel diff {_max_rel_diff(ours[1], bse):.1e}"
        )

    yield Workload(
        name=f"OLS + inference {N_SAMPLES}x{N_FEATURES}",
        ours=ours_inference,
        peers={"statsmodels OLS+bse+pvalues": statsmodels_inference},
        check=inference_agreement,
    )

    def coefficients(model):
        return lambda: np.concatenate([[model.fit(X, y).intercept_], model.coef_])

    yield Workload(
        name=f"LinearRegression fit {N_SAMPLES}x{N_FEATURES}",
        ours=coefficients(LinearRegression()),
        peers={"sklearn LinearRegression": coefficients(SkLinearRegression())},
        check=lambda ours, peers: (
            f"coef max rel diff {_max_rel_diff(ours, peers['sklearn LinearRegression']):.1e}"
        ),
    )
