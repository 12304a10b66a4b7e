"""Tour section: Statistics — regression.

The guide's least-squares line through its five points, then what it leaves out: the
standard errors, p-values and R² that statsmodels reports, a design on which its
normal equations fall apart, a ridge that leaves the intercept alone and a lasso that
zeroes coefficients, both on the bundled diabetes data. Reference values were computed
once with statsmodels 0.14 and scikit-learn 1.9 (the lasso at tol=1e-12, the softmax
regression with its Newton solver at tol=1e-14).
"""

from __future__ import annotations

import numpy as np

from ...datasets import load_diabetes, load_iris
from ...models import Lasso, LinearRegression, LogisticRegression, Ridge, RidgeCV
from . import Check

GUIDE_X = [[1], [2], [3], [4], [5]]
GUIDE_Y = [2.1, 4.2, 6.1, 7.9, 10.2]
STATSMODELS = "statsmodels 0.14 OLS"
SKLEARN = "scikit-learn 1.9"

RIDGE_COEF = [29.466111893476857, -83.15427636187538, 306.35268015068607, 201.6277343732696,
              5.90961436749715, -29.51549507968954, -152.04028006186417, 117.3117316003015,
              262.94429001431286, 111.87895643952402]
LASSO_COEF = [0.0, -155.34311062478315, 517.2162412028102, 275.0872229281515,
              -52.5520358118842, 0.0, -210.13950903531068, 0.0, 483.91717457199053,
              33.66219214324886]
DIABETES_INTERCEPT = 152.133484162896
LOGISTIC_IRIS_COEF = [  # scikit-learn's newton-cholesky at tol=1e-14 (its lbfgs stops ~1e-6 short)
    [-0.42350992012271566, 0.9673505795715511, -2.5171523776092095, -1.0793366485007188],
    [0.5344615089959139, -0.32158785519193533, -0.2063920712948653, -0.9442984653963401],
    [-0.11095158887321357, -0.6457627243796199, 2.723544448904082, 2.023635113897057],
]

def checks() -> list[Check]:
    out: list[Check] = []

    ols = LinearRegression().fit(GUIDE_X, GUIDE_Y)
    res = ols.results_
    out.append(Check("the guide's line: intercept, slope", [ols.intercept_, ols.coef_[0]],
                     [0.13, 1.99], "the guide (0.130, 1.990)", rtol=1e-12, atol=1e-13))
    out.append(Check("standard errors of intercept, slope", res.bse,
                     [0.1470827431527345, 0.04434711565216684], STATSMODELS, rtol=1e-10))
    out.append(Check("p-values of intercept, slope", res.pvalues,
                     [0.44186502004532285, 2.4363055283139357e-05], STATSMODELS, rtol=1e-10))
    out.append(Check("95% CI of the slope", res.conf_int(0.05)[1],
                     [1.8488676856427726, 2.131132314357228], STATSMODELS, rtol=1e-10))
    out.append(Check("R²", res.rsquared, 0.99851235501765, STATSMODELS, rtol=1e-12))

    # x^11 ... x^0 on 50 points of [0, 1]: cond(X) = 1.2e8, cond(X^T X) = 1.4e16, so the
    # guide's normal equations miss the coefficients by ~6; QR keeps them to ~1e-8
    x = np.linspace(0.0, 1.0, 50)
    V = np.vander(x, 12)
    w = np.arange(1, 13) / 3.0
    fit = LinearRegression(fit_intercept=False).fit(V, V @ w)
    out.append(Check("Vandermonde 50x12, cond 1.2e8: max |w_hat - w| (solver 'auto')",
                     np.abs(fit.coef_ - w).max(), 0.0, "exact coefficients", atol=1e-6))

    X, y = load_diabetes()
    ridge = Ridge(alpha=1.0).fit(X, y)
    out.append(Check("diabetes ridge alpha=1: coefficients", ridge.coef_, RIDGE_COEF, SKLEARN,
                     rtol=1e-10))
    out.append(Check("ridge leaves the intercept alone: b = mean(y)", ridge.intercept_,
                     DIABETES_INTERCEPT, "mean of y (the data are centred)", rtol=1e-12))
    cv = RidgeCV(alphas=np.logspace(-3, 3, 13)).fit(X, y)
    out.append(Check("RidgeCV leave-one-out choice of alpha", cv.alpha_, 0.0031622776601683794,
                     SKLEARN, rtol=1e-12))
    lasso = Lasso(alpha=0.1, tol=1e-10, max_iter=100_000).fit(X, y)
    out.append(Check("diabetes lasso alpha=0.1: coefficients (3 exactly zero)", lasso.coef_,
                     LASSO_COEF, SKLEARN, rtol=1e-6, atol=1e-6))
    out.append(Check("lasso zeroes age, s2 and s4", np.flatnonzero(lasso.coef_ == 0.0),
                     [0, 5, 7], "the lasso solution", rtol=0.0))

    X, y = load_iris()
    logit = LogisticRegression(C=1.0, tol=1e-10, max_iter=1000).fit(X, y)
    out.append(Check("softmax regression on iris: coefficients", logit.coef_,
                     LOGISTIC_IRIS_COEF, SKLEARN, rtol=1e-7, atol=1e-8))
    out.append(Check("softmax regression on iris: training accuracy", logit.score(X, y),
                     0.9733333333333334, SKLEARN, rtol=1e-12))
    return out
