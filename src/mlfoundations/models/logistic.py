r"""Logistic regression: the logistic model for two classes, the softmax model for more.

The probability of class k given x is modelled as

    two classes:   P(y = 1 | x) = sigma(w . x + b),              sigma(z) = 1 / (1 + exp(-z)),
    K >= 3:        P(y = k | x) = exp(z_k) / sum_l exp(z_l),     z_k = w_k . x + b_k,

and (W, b) minimise the weighted mean negative log-likelihood plus an L2 penalty on
W (never on b); :mod:`._logistic_loss` writes out the loss, gradient and Hessian.

Two solvers, both started from zero and stopped as scikit-learn's lbfgs is, when the
largest gradient entry max_j |df/dtheta_j| is at most ``tol`` (scikit-learn's also stops
when f falls by less than 64 eps relative in a step; these do not, so that tight
tolerances are met rather than abandoned):

* ``"lbfgs"`` (the default, as in scikit-learn): the library's own L-BFGS,
  :func:`mlfoundations.optim.lbfgs` (two-loop recursion over the last 10 steps, strong
  Wolfe line search), run by a loop here that applies that stopping rule. It is used
  rather than ``scipy.optimize.minimize(method="L-BFGS-B")`` because the cost of a fit
  is the evaluations of f and grad f (each a pass over X), and it needs about as many
  as scipy's (9 against 8 on benchmarks/logistic.py); the bookkeeping between two
  evaluations is a few small vector operations. Each evaluation is one compiled pass over X computing the loss and the
  gradient together.
* ``"newton"``: Newton's method (iteratively reweighted least squares) with the exact
  Hessian, factorised by :func:`mlfoundations.optim.newton.damped_cholesky` (a shift
  tau I is added only if the Hessian is not numerically positive definite, as when the
  classes are separable and unpenalised) and a backtracking line search from the unit
  step, so it converges from theta = 0 (Nocedal & Wright 2006, §3.4; Boyd &
  Vandenberghe 2004, §9.5). Each iteration builds the (K (p + 1))^2 Hessian in
  O(n K^2 p^2): fast for moderate K p, quadratic convergence near the minimum.

References
----------
C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006, §4.3.2-4.3.4.
T. Hastie, R. Tibshirani and J. Friedman, *The Elements of Statistical Learning*, 2nd
ed., Springer, 2009, §4.4. J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd
ed., Springer, 2006, ch. 3 and 7. S. Boyd and L. Vandenberghe, *Convex Optimization*,
Cambridge University Press, 2004, §9.5.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from scipy.special import expit, log_expit, log_softmax, softmax

from .._validation import check_bool, check_int, check_positive, check_sample_weight
from ..base import ClassifierMixin
from ..exceptions import ConvergenceWarning
from ..linalg import cho_solve
from ..optim import LineSearchError, lbfgs
from ..optim.linesearch import backtracking
from ..optim.newton import damped_cholesky
from ._linear_base import LinearModel
from ._logistic_loss import LogisticLoss
from ._targets import check_labels

__all__ = ["LogisticRegression"]

PENALTIES = ("l2", None)
SOLVERS = ("lbfgs", "newton")
# A Newton step whose predicted decrease g^T H^-1 g / 2 is below this many roundings of
# f is in the quadratically convergent phase; Armijo's test would only compare noise.
_ROUNDING_UNITS = 1e3


class LogisticRegression(ClassifierMixin, LinearModel):
    r"""Logistic (two classes) or multinomial softmax (three or more) regression.

    Minimises, with sample weights s_i (1 by default) and S = sum_i s_i,

        (1 / S) * sum_i s_i * (-log P(y_i | x_i)) + (1 / (2 * C * S)) * ||W||_F^2

    over the coefficients W and intercepts b (which are not penalised): the same
    objective as scikit-learn's ``LogisticRegression`` (1.8 and later), so results
    compare directly.

    Parameters
    ----------
    C : float, default 1.0
        Inverse of the penalty strength, > 0; ``np.inf`` means no penalty.
    penalty : {"l2", None}, default "l2"
        ``None`` drops the penalty (C is then ignored); the minimum may then not
        exist (separable classes), which ends in a ``ConvergenceWarning``.
    fit_intercept : bool, default True
        Whether to fit b; without it b = 0.
    solver : {"lbfgs", "newton"}, default "lbfgs"
        L-BFGS (scikit-learn's default too) or Newton with the exact Hessian; see
        Notes.
    max_iter : int, default 100
        Maximum number of iterations (of L-BFGS or Newton), >= 0.
    tol : float, default 1e-6
        Stop when max_j |grad_j f| <= tol.

    Attributes
    ----------
    classes_ : (n_classes,) ndarray
        The sorted labels seen in ``fit`` (numbers or strings).
    coef_ : (1, n_features) or (n_classes, n_features) ndarray
        W: one row (for ``classes_[1]``) with two classes, one per class with more.
    intercept_ : (1,) or (n_classes,) ndarray
        b (zeros without ``fit_intercept``).
    n_iter_ : (1,) int32 ndarray
        Iterations made.
    n_features_in_ : int
    feature_names_in_ : (n_features_in_,) ndarray
        Only when X had string column names.

    Raises
    ------
    ValueError
        From ``fit``: C <= 0 or NaN, an unknown penalty or solver, a negative tol or
        max_iter, X not a finite 2-D array, y not class labels (e.g. continuous), X
        and y of different lengths, bad sample weights, fewer than two classes with
        positive weight.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached (or the line search stalls) with
        max_j |grad_j f| > tol; the message gives the figure.

    Notes
    -----
    Two classes: P(y = classes_[1] | x) = sigma(z), z = x . w + b, and
    -log P(y | x) = log(1 + exp(-|z|)) + max(z, 0) - y z with y in {0, 1}.
    K >= 3 classes: P(y = k | x) = softmax(z)_k, z_k = x . w_k + b_k, and
    -log P(y | x) = logsumexp(z) - z_y. As in scikit-learn, W has a row for every class
    (the penalty picks the one with sum_k w_k = 0 among the equivalent ones; b, and W
    when unpenalised, are taken with zero sum over the classes).

    ``solver="lbfgs"`` runs :func:`mlfoundations.optim.lbfgs`; ``solver="newton"``
    solves (H + tau I) p = -g with the exact Hessian H (``tau = 0`` unless H is not
    numerically positive definite) and backtracks from the unit step. Both
    start from zero. The module docstring says why L-BFGS is the library's own.

    References
    ----------
    C. M. Bishop, *Pattern Recognition and Machine Learning*, 2006, §4.3.2-4.3.4;
    Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2009, §4.4;
    scikit-learn's ``LogisticRegression`` (the reference for the objective).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.models import LogisticRegression
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> y = np.array(["no", "no", "yes", "yes"])
    >>> model = LogisticRegression(C=10.0).fit(X, y)
    >>> model.predict([[0.5], [2.5]])
    array(['no', 'yes'], dtype='<U3')
    >>> np.allclose(model.predict_proba(X).sum(axis=1), 1.0)
    True
    """

    def __init__(self, *, C=1.0, penalty="l2", fit_intercept=True, solver="lbfgs", max_iter=100, tol=1e-6):
        self.C = C
        self.penalty = penalty
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol

    def _check_params(self) -> float:
        """Validate the hyperparameters; return C (inf without a penalty)."""
        if self.penalty not in PENALTIES:
            raise ValueError(f"penalty={self.penalty!r} is not supported; use 'l2' or None")
        if not isinstance(self.solver, str) or self.solver not in SOLVERS:
            raise ValueError(f"solver={self.solver!r} is not supported; use 'lbfgs' or 'newton'")
        C = self.C
        if isinstance(C, (bool, np.bool_)) or not isinstance(C, numbers.Real):
            raise TypeError(f"C must be a real number, got {type(C).__name__} {C!r}")
        if not float(C) > 0:  # also refuses NaN
            raise ValueError(f"C={C!r} must be > 0 (np.inf for no penalty)")
        check_bool(self.fit_intercept, "fit_intercept")
        check_int(self.max_iter, "max_iter", minimum=0)
        check_positive(self.tol, "tol", strict=False)
        return np.inf if self.penalty is None else float(C)

    def fit(self, X, y, sample_weight=None):
        """Fit W and b to the labelled samples (X, y).

        Parameters
        ----------
        X : (n_samples, n_features) array_like
        y : (n_samples,) array_like
            Class labels (at least two distinct ones), numbers or strings.
        sample_weight : (n_samples,) array_like or float, optional
            Non-negative weights s_i; default 1.

        Returns
        -------
        self
        """
        C = self._check_params()
        y = check_labels(y, estimator=type(self).__name__, stacklevel=3)
        X = self._validate_data(X, reset=True)
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} samples but y has {y.shape[0]}; they must match")
        weights = check_sample_weight(sample_weight, X.shape[0])
        if weights is None:
            weights = np.ones(X.shape[0])
        elif not weights.any():
            raise ValueError("sample_weight is zero for every sample; at least one weight must be positive")
        classes, y_index = np.unique(y, return_inverse=True)
        present = np.bincount(y_index, weights=weights, minlength=len(classes)) > 0
        if len(classes) < 2 or present.sum() < 2:
            if len(classes) == 1:
                where, shown = "", classes[0].item()
            else:
                where, shown = " with positive sample_weight", classes[present].tolist()
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in the data, but "
                f"the data contains only one class{where}: {shown!r}"
            )
        self.classes_ = classes
        target = y_index.astype(np.float64) if len(classes) == 2 else y_index.astype(np.int64)
        loss = LogisticLoss(np.ascontiguousarray(X), target, weights, len(classes), self.fit_intercept, C)
        try:
            with np.errstate(over="ignore", under="ignore"):
                minimise = _newton if self.solver == "newton" else _lbfgs
                theta, n_iter, shortfall = minimise(loss, np.zeros(loss.size), self.max_iter, self.tol)
        finally:
            loss.close()
        # remove the rounding drift along the flat softmax directions (zero for binary)
        theta = loss.remove_flat_directions(theta)
        W, b = loss.unpack(theta)
        name = f"{type(self).__name__}(solver={self.solver!r})"
        if C == np.inf and _separates(loss.decision(theta), y_index, weights):
            # a separating (W, b) scaled up lowers the loss towards 0: no minimiser exists
            stop = "stopped early" if shortfall is None else f"did not converge ({shortfall})"
            warnings.warn(
                f"{name} {stop}: the classes are linearly separable, so with penalty=None "
                "the log-likelihood has no maximum and the coefficients grow without bound "
                f"(max|coef| = {np.max(np.abs(W)):.3g} after {n_iter} iterations). Use "
                "penalty='l2' with a finite C for a well-defined fit",
                ConvergenceWarning,
                stacklevel=2,
            )
        elif shortfall is not None:
            warnings.warn(
                f"{name} did not converge: {shortfall}. Increase max_iter, scale the data or "
                "loosen tol",
                ConvergenceWarning,
                stacklevel=2,
            )
        self.coef_, self.intercept_ = W, b
        self.n_iter_ = np.array([n_iter], dtype=np.int32)
        return self

    # --- prediction ---------------------------------------------------------------------
    def decision_function(self, X):
        """Scores z = X W^T + b: shape (n_samples,) for two classes, else (n_samples, n_classes).

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        ndarray
            For two classes the log-odds of ``classes_[1]``.
        """
        z = self._decision_function(X)
        return z[:, 0] if z.shape[1] == 1 else z

    def predict_proba(self, X):
        """P(y = k | x) for each class, columns in the order of ``classes_``.

        Computed as sigma(z) and sigma(-z) (two classes) or softmax(z), both without
        overflow; rows sum to 1.

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        (n_samples, n_classes) ndarray
        """
        z = self._decision_function(X)
        if z.shape[1] == 1:
            return np.column_stack([expit(-z[:, 0]), expit(z[:, 0])])
        return softmax(z, axis=1)

    def predict_log_proba(self, X):
        """log P(y = k | x), as log sigma(+-z) or log_softmax(z): exact where P underflows.

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        (n_samples, n_classes) ndarray
        """
        z = self._decision_function(X)
        if z.shape[1] == 1:
            return np.column_stack([log_expit(-z[:, 0]), log_expit(z[:, 0])])
        return log_softmax(z, axis=1)

    def predict(self, X):
        """The most probable class: ``classes_[argmax_k z_k]`` (z > 0 for two classes).

        Parameters
        ----------
        X : (n_samples, n_features) array_like

        Returns
        -------
        (n_samples,) ndarray of labels
        """
        z = self._decision_function(X)
        index = (z[:, 0] > 0).astype(np.intp) if z.shape[1] == 1 else np.argmax(z, axis=1)
        return self.classes_[index]


def _separates(Z: np.ndarray, y_index: np.ndarray, weights: np.ndarray) -> bool:
    """Whether z = X W^T + b puts every sample of positive weight strictly in its own class."""
    rows = weights > 0
    Z, y_index = Z[rows], y_index[rows]
    if Z.shape[1] == 1:
        return bool(np.all(np.where(y_index == 1, Z[:, 0], -Z[:, 0]) > 0))
    own = Z[np.arange(len(Z)), y_index]
    Z = Z.copy()
    Z[np.arange(len(Z)), y_index] = -np.inf
    return bool(np.all(own > Z.max(axis=1)))


# --- solvers: (loss, theta0, max_iter, tol) -> (theta, n_iter, shortfall or None) ----------
def _shortfall(reason: str, g: np.ndarray, tol: float) -> str:
    return f"{reason}: max|gradient| = {np.max(np.abs(g)):.3g} > tol = {tol:g}"


def _line_search_failed(n_iter: int, exc: Exception) -> str:
    return f"the line search failed after {n_iter} iterations ({exc})"


def _lbfgs(loss: LogisticLoss, theta: np.ndarray, max_iter: int, tol: float):
    """L-BFGS (:func:`mlfoundations.optim.lbfgs`) until max|g| <= tol."""
    transform = lbfgs(loss.value, jac=loss.grad)
    state = transform.init(theta)
    _, g = loss.value_and_grad(theta)
    for n_iter in range(max_iter + 1):
        if np.max(np.abs(g), initial=0.0) <= tol:
            return theta, n_iter, None
        if n_iter == max_iter:
            break
        try:
            step, state = transform.update(g, state, theta)
        except LineSearchError as exc:
            return theta, n_iter, _shortfall(_line_search_failed(n_iter, exc), g, tol)
        theta = theta + step
        _, g = loss.value_and_grad(theta)
    return theta, max_iter, _shortfall(f"max_iter={max_iter} iterations reached", g, tol)


def _newton(loss: LogisticLoss, theta: np.ndarray, max_iter: int, tol: float):
    """Damped Newton with the exact Hessian until max|g| <= tol.

    The softmax loss is flat along the directions of ``loss.null_space_projector()``
    P_N; g has no component there, so (H + P_N) p = -g gives the same step as the
    singular H would, from a positive definite matrix.
    """
    flat = loss.null_space_projector()
    f, g = loss.value_and_grad(theta)
    for n_iter in range(max_iter + 1):
        if np.max(np.abs(g), initial=0.0) <= tol:
            return theta, n_iter, None
        if n_iter == max_iter:
            break
        H = loss.hessian(theta) + flat
        L, _ = damped_cholesky(H)
        p = -cho_solve(L, g)
        slope = float(g @ p)  # -(Newton decrement)^2
        if -slope <= _ROUNDING_UNITS * np.finfo(float).eps * max(abs(f), np.finfo(float).tiny):
            alpha = 1.0
        else:
            try:
                alpha, _ = backtracking(lambda a: loss.value(theta + a * p), f, slope)
            except LineSearchError as exc:
                return theta, n_iter, _shortfall(_line_search_failed(n_iter, exc), g, tol)
        theta = theta + alpha * p
        f, g = loss.value_and_grad(theta)
    return theta, max_iter, _shortfall(f"max_iter={max_iter} iterations reached", g, tol)
