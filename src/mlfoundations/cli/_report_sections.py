"""What the report shows for each tour section: the formulas and the pictures.

A section is a :class:`SectionContent`: plain-text formulas (escaped when written) and
figure builders, each a caption and a function returning a matplotlib Figure. Sections
are keyed by the tour's section names; a tour section without an entry here is
reported with its table only. Everything is imported when a figure is built, so
importing this module stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

__all__ = ["SectionContent", "SECTION_CONTENT", "train_digits_history"]


@dataclass(frozen=True)
class SectionContent:
    intro: str
    formulas: tuple[tuple[str, str], ...]  # (what, formula); x_{t+1}, x_t and e^{x} become sub/superscripts
    figures: tuple[tuple[str, Callable], ...] = field(default=())  # (caption, build() -> Figure)


# --- linear algebra ------------------------------------------------------------------------
def _iris_pca():
    from ..datasets import load_iris
    from ..models import PCA

    X, y = load_iris()
    return PCA().fit(X), X, y


def _scree():
    from ..plotting import plot_scree

    return plot_scree(_iris_pca()[0])


def _projection():
    from ..plotting import plot_projection

    pca, X, y = _iris_pca()
    return plot_projection(pca, X, y)


def _low_rank():
    from ..datasets import sample_image
    from ..plotting import plot_low_rank

    return plot_low_rank(sample_image(128), ranks=(1, 5, 20, 50))


# --- calculus ------------------------------------------------------------------------------
def train_digits_history(epochs: int = 12, seed: int = 0) -> dict[str, list[float]]:
    """Per-epoch mean training loss and held-out loss and accuracy of a 64-32-10 ReLU MLP
    trained by Adam on 75% of the digits."""
    from .. import nn
    from ..autodiff import Tensor, no_grad
    from ..datasets import load_digits
    from ..optim import Adam

    X, y = load_digits()
    X = X / 16.0
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    n_test = len(y) // 4
    test, train = order[:n_test], order[n_test:]
    net = nn.Sequential(nn.Linear(64, 32, rng=rng), nn.ReLU(), nn.Linear(32, 10, rng=rng))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = Adam(net.parameters(), lr=3e-3)
    history: dict[str, list[float]] = {"train loss": [], "held-out loss": [], "held-out accuracy": []}
    for _ in range(epochs):
        net.train()
        shuffled = rng.permutation(train)
        total = 0.0
        for i in range(0, len(shuffled), 32):
            batch = shuffled[i:i + 32]
            optimizer.zero_grad()
            loss = loss_fn(net(Tensor(X[batch])), y[batch])
            loss.backward()
            optimizer.step()
            total += float(loss.numpy()) * len(batch)
        net.eval()
        with no_grad():
            logits = net(Tensor(X[test]))
            history["held-out loss"].append(float(loss_fn(logits, y[test]).numpy()))
        history["train loss"].append(total / len(train))
        history["held-out accuracy"].append(float(np.mean(logits.numpy().argmax(axis=1) == y[test])))
    return history


def _paths():
    from ..plotting import plot_optimizer_paths

    return plot_optimizer_paths()


def _learning_curves():
    from ..plotting import plot_learning_curves

    return plot_learning_curves(train_digits_history())


# --- probability ---------------------------------------------------------------------------
def _normal():
    from ..plotting import plot_distribution
    from ..probability import Normal

    dist = Normal(mu=0.0, sigma=1.0)
    return plot_distribution(dist, dist.rvs(500, rng=0))


def _bayes():
    from ..plotting import plot_bayes_update
    from ..probability import BetaBernoulli

    prior = BetaBernoulli(a=2.0, b=2.0)
    return plot_bayes_update(prior, prior.update([1, 1, 0, 1, 1, 1, 0, 1, 1, 0]))


def _fit():
    from ..plotting import plot_fit
    from ..probability import Gamma, LogNormal, Normal, fit_best

    data = Gamma(shape=2.0, rate=0.5).rvs(300, rng=1)
    return plot_fit(data, fit_best(data, [Gamma, LogNormal, Normal]))


# --- statistics ----------------------------------------------------------------------------
def _ttest():
    from ..plotting import plot_ttest
    from ..stats import ttest_ind
    from .tour.statistics import GROUP_A, GROUP_B

    return plot_ttest(ttest_ind(GROUP_A, GROUP_B))


# --- regression ----------------------------------------------------------------------------
def _regression():
    from ..models import LinearRegression
    from ..plotting import plot_regression
    from .tour.regression import GUIDE_X, GUIDE_Y

    return plot_regression(LinearRegression().fit(GUIDE_X, GUIDE_Y), GUIDE_X, GUIDE_Y)


def _lasso():
    from ..datasets import load_diabetes
    from ..models import lasso_path
    from ..plotting import plot_lasso_path

    data = load_diabetes()
    X = (data.X - data.X.mean(axis=0)) / data.X.std(axis=0)
    alphas, coefs, _ = lasso_path(X, data.y - data.y.mean(), n_alphas=60)
    return plot_lasso_path(alphas, coefs, feature_names=data.feature_names)


# --- information ---------------------------------------------------------------------------
def _coin():
    from ..plotting import plot_coin_entropy

    return plot_coin_entropy()


def _tree():
    from ..datasets import load_iris
    from ..models import DecisionTreeClassifier
    from ..plotting import plot_tree_regions

    data = load_iris()
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=3).fit(data.X, data.y)
    return plot_tree_regions(tree, data.X, data.y, features=(2, 3), feature_names=data.feature_names)


SECTION_CONTENT: dict[str, SectionContent] = {
    "linear-algebra": SectionContent(
        intro="Decompositions written out and checked against LAPACK; PCA and compression are the SVD at work.",
        formulas=(
            ("singular value decomposition", "A = U Σ Vᵀ,   UᵀU = I,   VᵀV = I,   σ₁ ≥ σ₂ ≥ … ≥ 0"),
            ("best rank-k approximation (Eckart–Young)",
             "A_k = Σ_{i≤k} σᵢ uᵢ vᵢᵀ,   ‖A − A_k‖₂ = σ_{k+1},   ‖A − A_k‖_F = √(Σ_{i>k} σᵢ²)"),
            ("principal components",
             "C = (X − 1μᵀ)ᵀ(X − 1μᵀ) / (n − 1) = V Λ Vᵀ,   Z = (X − 1μᵀ) V_k,   share of variance λⱼ / Σᵢ λᵢ"),
            ("linear systems", "A x = b  ⇐  P A = L U (partial pivoting),   least squares via A = Q R"),
        ),
        figures=(
            ("PCA of the iris measurements: two components keep 97.8% of the variance.", _scree),
            ("The iris flowers projected on the first two principal axes, coloured by species.", _projection),
            ("A test picture and its best rank-k approximations: the error is the tail of the spectrum.", _low_rank),
        ),
    ),
    "calculus": SectionContent(
        intro="Derivatives by reverse-mode autodiff, and the optimizers that follow them downhill.",
        formulas=(
            ("gradient descent", "x_{t+1} = x_t − η ∇f(x_t)"),
            ("momentum (heavy ball)", "v_{t+1} = μ v_t + ∇f(x_t),   x_{t+1} = x_t − η v_{t+1}"),
            ("Adam", "m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,   x ← x − η m̂ / (√v̂ + ε),   "
                     "m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)"),
            ("RMSprop", "v ← αv + (1 − α)g²,   x ← x − η g / (√v + ε)"),
            ("Newton", "x_{t+1} = x_t − [∇²f(x_t)]⁻¹ ∇f(x_t)"),
            ("chain rule for Y = XW + b", "∂L/∂W = Xᵀ ∂L/∂Y,   ∂L/∂b = Σ_{rows} ∂L/∂Y,   ∂L/∂X = ∂L/∂Y Wᵀ"),
        ),
        figures=(
            ("Five optimizers from (−1.2, 1) down Rosenbrock's curved valley; Newton, which rescales by the "
             "curvature, arrives in 25 steps.", _paths),
            ("A 64-32-10 network learning the handwritten digits: loss and held-out accuracy per epoch.",
             _learning_curves),
        ),
    ),
    "probability": SectionContent(
        intro="Distributions as objects holding their parameters; fitting by maximum likelihood; Bayesian updating.",
        formulas=(
            ("normal density", "f(x) = exp(−(x − μ)² / (2σ²)) / (σ √(2π)),   F(x) = P(X ≤ x)"),
            ("Bayes' rule", "p(θ | x) = p(x | θ) p(θ) / p(x)"),
            ("conjugate update", "Beta(a, b) → Beta(a + s, b + n − s) after s successes in n trials"),
            ("maximum likelihood",
             "θ̂ = argmax_{θ} Σᵢ log f(xᵢ; θ),   se(θ̂) = √diag I(θ̂)⁻¹,   AIC = 2k − 2ℓ(θ̂)"),
        ),
        figures=(
            ("The standard normal's density and cdf beside 500 draws and their empirical cdf.", _normal),
            ("A Beta(2, 2) prior on a coin's bias updated on 7 heads in 10 tosses.", _bayes),
            ("Gamma, log-normal and normal fitted by maximum likelihood to 300 Gamma draws, best AIC first.", _fit),
        ),
    ),
    "statistics": SectionContent(
        intro="Tests and intervals: how surprising the data would be if nothing were going on.",
        formulas=(
            ("two-sample t (pooled)",
             "t = (x̄_a − x̄_b) / (s_p √(1/n_a + 1/n_b)),   s_p² = ((n_a − 1)s_a² + (n_b − 1)s_b²) / (n_a + n_b − 2)"),
            ("p-value", "p = P(|T_{df}| ≥ |t|),   df = n_a + n_b − 2"),
            ("confidence interval", "(x̄_a − x̄_b) ± t_{df, 0.975} · se"),
            ("effect size", "Cohen's d = (x̄_a − x̄_b) / s_p"),
        ),
        figures=(
            ("The guide's exam scores: the observed t against its null distribution, and the 95% interval "
             "for the difference of means.", _ttest),
        ),
    ),
    "regression": SectionContent(
        intro="Least squares with its inference, and the penalised fits that trade bias for variance.",
        formulas=(
            ("ordinary least squares", "β̂ = argmin_{β} ‖y − Zβ‖²  (solved by QR, never by inverting ZᵀZ)"),
            ("standard errors", "Cov(β̂) = s² (ZᵀZ)⁻¹,   s² = SSR / (n − p),   se(β̂ⱼ) = √Cov(β̂)ⱼⱼ"),
            ("confidence band of the mean", "ŷ(x) ± t_{n−p, 0.975} √(zᵀ Cov(β̂) z),   z = (1, x)"),
            ("ridge", "min ‖y − β₀ − Xβ‖² + α‖β‖²   (the intercept β₀ is not penalised)"),
            ("lasso", "min (1 / 2n) ‖y − Xw‖² + α‖w‖₁,   "
                      "coordinate step w_j ← S(z_j, α) = sign(z_j) max(|z_j| − α, 0)"),
        ),
        figures=(
            ("The guide's five points, the least-squares line and its 95% bands.", _regression),
            ("The lasso path on the (standardised) diabetes data: features enter one by one as α shrinks.", _lasso),
        ),
    ),
    "information": SectionContent(
        intro="Entropy measures uncertainty; divergences compare distributions; information gain grows trees.",
        formulas=(
            ("entropy", "H(p) = −Σᵢ pᵢ log₂ pᵢ   (0 log 0 = 0),   0 ≤ H ≤ log₂ n"),
            ("KL divergence and cross-entropy", "KL(p ‖ q) = Σᵢ pᵢ log(pᵢ / qᵢ) ≥ 0,   H(p, q) = H(p) + KL(p ‖ q)"),
            ("information gain", "IG = H(parent) − Σₖ (nₖ / n) H(childₖ)"),
            ("mutual information", "I(X; Y) = H(Y) − H(Y | X) = KL(p(x, y) ‖ p(x) p(y))"),
        ),
        figures=(
            ("The entropy of a coin against its bias: one bit at p = 1/2, the guide's biased coin 0.469 bits.", _coin),
            ("A depth-3 tree grown by information gain on iris: each split cuts the petal plane "
             "along one axis.", _tree),
        ),
    ),
}
