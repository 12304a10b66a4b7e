"""Tour section: Calculus.

The guide's gradient descent on x^2 from 10.0, its Linear and ReLU layers with the
backward pass now derived by autodiff (and checked against central differences),
the guide's list of optimizers racing on two test functions, and an MLP that really
learns the handwritten digits.
"""

from __future__ import annotations

import numpy as np

from ... import nn
from ...autodiff import Tensor, gradcheck, hessian, relu
from ...datasets import load_digits
from ...optim import Adam, exponential_lr, gradient_descent, minimize
from . import Check

GUIDE = "the guide"


def rosenbrock(x):
    """f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1)."""
    return (1.0 - x[0]) ** 2 + 100.0 * (x[1] - x[0] ** 2) ** 2


def train_digits_mlp(seed: int = 0, epochs: int = 30, batch_size: int = 32):
    """A 64-128-10 ReLU network trained by Adam on 75% of the digits.

    Returns the accuracy on the held-out 25%.
    """
    X, y = load_digits()
    X = X / 16.0  # pixel intensities 0..16 -> [0, 1]
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    n_test = len(y) // 4
    test, train = order[:n_test], order[n_test:]
    net = nn.Sequential(nn.Linear(64, 128, rng=rng), nn.ReLU(), nn.Linear(128, 10, rng=rng))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = Adam(net.parameters(), lr=3e-3)
    for _ in range(epochs):
        shuffled = rng.permutation(train)
        for i in range(0, len(shuffled), batch_size):
            batch = shuffled[i:i + batch_size]
            optimizer.zero_grad()
            loss_fn(net(Tensor(X[batch])), y[batch]).backward()
            optimizer.step()
    net.eval()
    predicted = net(Tensor(X[test])).numpy().argmax(axis=1)
    return float(np.mean(predicted == y[test]))


def checks() -> list[Check]:
    out: list[Check] = []

    # the guide's gradient descent: f(x) = x^2, f'(x) = 2x, from 10 with step 0.01
    x_min = gradient_descent(lambda x: x**2, lambda x: 2 * x, x0=10.0)
    out.append(Check("gradient_descent(x^2, x0=10) -> minimum ~0", x_min, 0.0, GUIDE, atol=1e-4))

    # the guide's LinearLayer + ReLU: backward by autodiff, checked by central differences
    rng = np.random.default_rng(0)
    X, W, b = rng.standard_normal((5, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3)
    report = gradcheck(lambda X, W, b: relu(X @ W + b).sum(), [X, W, b])
    out.append(Check("Linear + ReLU backward: gradcheck max |error|", report.max_abs_error, 0.0, "central differences", atol=1e-7))
    Xt, Wt, bt = Tensor(X, requires_grad=True), Tensor(W, requires_grad=True), Tensor(b, requires_grad=True)
    Y = Xt @ Wt + bt
    dY = rng.standard_normal(Y.shape)
    (Y * Tensor(dY)).sum().backward()
    # the guide divides dW by the batch size but not dX; for L = sum(dY * Y) the exact
    # gradients are dW = X^T dY, db = sum_i dY_i, dX = dY W^T
    out += [
        Check("dL/dW = X^T dY", Wt.grad, X.T @ dY, "chain rule"),
        Check("dL/db = sum over the batch of dY", bt.grad, dY.sum(axis=0), "chain rule"),
        Check("dL/dX = dY W^T", Xt.grad, dY @ W.T, "chain rule"),
    ]
    H = hessian(lambda v: rosenbrock(v))(np.array([1.0, 1.0]))
    out.append(Check("hessian(Rosenbrock) at (1, 1)", H, [[802.0, -400.0], [-400.0, 200.0]], "closed form"))

    # the guide's optimizers on a quadratic and on Rosenbrock
    A = np.array([[3.0, 0.5], [0.5, 1.0]])
    bq = np.array([1.0, -2.0])
    x_star = np.linalg.solve(A, bq)

    def quadratic(x):
        return 0.5 * (x * (Tensor(A) @ x)).sum() - (Tensor(bq) * x).sum()

    # RMSprop's steps have size ~lr whatever the gradient, so it needs a decaying rate
    methods = (
        ("gd", 0.1), ("momentum", 0.05), ("rmsprop", exponential_lr(0.05, 0.997)),
        ("adam", 0.05), ("newton", None), ("lbfgs", None),
    )
    for method, lr in methods:
        res = minimize(quadratic, np.zeros(2), method=method, learning_rate=lr, tol=1e-8, max_iter=20_000)
        out.append(
            Check(f"{method}: quadratic minimum in {res.nit} iterations", res.x, x_star, "A^-1 b", rtol=0, atol=1e-6)
        )
    for method in ("newton", "lbfgs"):
        res = minimize(rosenbrock, np.array([-1.2, 1.0]), method=method, tol=1e-10)
        out.append(
            Check(f"{method}: Rosenbrock from (-1.2, 1) in {res.nit} iterations", res.x, [1.0, 1.0], "closed form", rtol=0, atol=1e-8)
        )

    # an MLP that really learns
    accuracy = train_digits_mlp()
    out.append(Check(f"digits MLP 64-128-10, Adam: held-out accuracy {accuracy:.3f} >= 0.97", bool(accuracy >= 0.97), True, "issue goal"))
    return out
