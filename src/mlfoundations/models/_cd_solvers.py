"""Coordinate-descent solvers of the elastic net, and what the estimators and paths share.

Two solvers minimise P(w) = 1/2 ||y - X w||^2 + l1 ||w||_1 + l2/2 ||w||^2 on the
centred, weighted data (X and y with their weighted means removed and rows scaled by
sqrt(sample_weight)), both stopping on the same duality gap:

- ``GramSolver``: covariance updates on the Gram matrix X^T X, computed once (one
  threaded pass over X); best when many problems share X (a path) and n >> p.
- ``ResidualSolver``: residual updates on the columns of X, with the active-set
  strategy of glmnet (Friedman, Hastie & Tibshirani 2010, §2.6): epochs run over a
  working set (the non-zero coefficients and the features that violate the optimality
  conditions), whose columns are copied, centred and weighted, into a contiguous block
  that stays in cache whatever the memory order of X. Once an epoch moves no
  coefficient by more than tol * max|w| (and every so often, to catch violators early),
  the gradient X^T r of *every* feature (one BLAS pass) gives the duality gap; unless
  the gap is within the tolerance after such a small-step epoch, the violators join
  the working set and features that the gap-safe rule of Fercoq, Gramfort & Salmon
  (2015) proves to be zero at the optimum leave it. The objective and the stopping rule
  are those of plain cyclic coordinate descent over all features; only the order of
  the work differs, so ``n_iter_`` counts epochs over the working set.

A single fit with n_samples > n_features starts with residual updates and moves to the
Gram matrix only once the epochs have cost as much as computing it would
(``solver_mode``, ``gram_work``): few epochs on an easy design never pay for X^T X,
hundreds on a correlated one do.
"""

from __future__ import annotations

import numbers
import warnings
from typing import NamedTuple

import numpy as np

from .._utils import single_threaded_blas
from .._validation import as_matrix, as_vector, check_finite, check_sample_weight
from ..exceptions import ConvergenceWarning
from ._cd_kernels import cd_gram, cd_residual_epochs, enet_duality_gap, gather_columns
from ._linear_base import centered_gram, data_offsets

__all__ = ["GramSolver", "ResidualSolver", "SolveResult", "make_solver", "run_path", "alpha_grid",
           "solver_mode"]

_SELECTIONS = ("cyclic", "random")


# --- the two solvers ---------------------------------------------------------------------
class SolveResult(NamedTuple):
    """Outcome of a solve: the duality gap, the tolerance it is held to, the epochs run."""

    gap: float
    gap_tol: float
    n_iter: int
    over_budget: bool = False


class GramSolver:
    """Covariance updates: the kernel sees only Q = Xc^T Xc, q = Xc^T yc and yc . yc."""

    def __init__(self, gram: np.ndarray, xty: np.ndarray, yty: float):
        self.gram = np.ascontiguousarray(gram)
        self.xty = np.ascontiguousarray(xty)
        self.y_norm2 = float(yty)

    def solve(self, w, l1, l2, *, max_iter, tol, positive, random, rng):
        """Minimise P from the warm start w (updated in place)."""
        gap_tol = tol * self.y_norm2
        n_iter, gap = cd_gram(
            self.gram, self.xty, self.y_norm2, w, l1, l2, max_iter, tol, gap_tol,
            positive, random, _seed(rng, random),
        )
        return SolveResult(_clamp_rounding(gap, self.y_norm2), gap_tol, n_iter)


class ResidualSolver:
    """Residual updates on the columns of Xc = S (X - 1 x̄^T), without ever forming Xc.

    ``y`` is the centred, weighted target S (y - ȳ); ``row_scale`` is diag(S) (None
    for unit weights). The residual r = y - Xc w lives in ``self.R``. Columns of the
    working set are copied once, centred and weighted, into rows of ``self.store``
    (``self.slot[j]`` is the row of feature j, -1 when not copied) and reused across
    solves, so a path copies each column at most once.
    """

    def __init__(self, X, y, x_offset, row_scale, w):
        if not (X.flags.c_contiguous or X.flags.f_contiguous):
            X = np.ascontiguousarray(X)
        n_samples, n_features = X.shape
        self.X = X
        self.y = y
        self.x_offset = x_offset
        self.row_scale = np.ones(n_samples) if row_scale is None else row_scale
        self.y_norm2 = float(y @ y)
        self.active = np.empty(0, dtype=np.intp)
        self.slot = np.full(n_features, -1, dtype=np.intp)
        self.store = np.empty((0, n_samples))
        self.norm2 = np.empty(0)
        self.n_stored = 0
        nz = np.flatnonzero(w)
        Xw = X[:, nz] @ w[nz] - x_offset[nz] @ w[nz] if nz.size else 0.0
        self.R = y - self.row_scale * Xw

    def gradient(self) -> np.ndarray:
        """Xc^T r = X^T (S r) - x̄ (1 . S r): one BLAS pass over X, in either order."""
        v = self.R * self.row_scale
        return self.X.T @ v - self.x_offset * v.sum()

    def duality_gap(self, w, l1, l2, positive):
        """(gap, X^T r - l2 w, dual norm) at the current w."""
        grad = self.gradient()
        XtA = grad - l2 * w if l1 > 0 else grad
        dual_norm = (XtA.max() if positive and l1 > 0 else np.abs(XtA).max()) if XtA.size else 0.0
        gap = enet_duality_gap(
            l1, l2, np.abs(w).sum(), w @ w, self.R @ self.R, self.R @ self.y,
            dual_norm, grad @ grad,
        )
        return gap, XtA, dual_norm

    def _set_active(self, active):
        """Make ``active`` (sorted features) the working set, copying columns not yet stored."""
        new = active[self.slot[active] < 0]
        if new.size:
            needed = self.n_stored + new.size
            if needed > self.store.shape[0]:
                # headroom: the first gap check usually adds a few violators
                capacity = min(self.X.shape[1], max(needed + needed // 4 + 8, 2 * self.store.shape[0]))
                store = np.empty((capacity, self.X.shape[0]))
                store[: self.n_stored] = self.store[: self.n_stored]
                norm2 = np.empty(capacity)
                norm2[: self.n_stored] = self.norm2[: self.n_stored]
                self.store, self.norm2 = store, norm2
            rows = slice(self.n_stored, needed)
            gather_columns(
                self.X, new, self.x_offset, self.row_scale, self.X.flags.c_contiguous,
                self.store[rows], self.norm2[rows],
            )
            self.slot[new] = np.arange(self.n_stored, needed)
            self.n_stored = needed
        self.active = active

    def _update_working_set(self, w, XtA, gap, dual_norm, l1, l2, positive):
        """Drop provably-zero features, add the violators of the optimality conditions."""
        active = self.active
        if l1 > 0 and active.size:
            # gap-safe sphere test (Fercoq et al. 2015, eq. 11, on [X; sqrt(l2) I])
            radius = np.sqrt(2.0 * abs(gap)) / l1
            rows = self.slot[active]
            correlation = np.abs(XtA[active]) / max(l1, dual_norm)
            keep = (1.0 - correlation) <= radius * np.sqrt(self.norm2[rows] + l2)
            for j, row in zip(active[~keep], rows[~keep]):
                if w[j] != 0.0:
                    self.R += w[j] * self.store[row]
                    w[j] = 0.0
            active = active[keep]
        # a zero w_j moves in an epoch iff |x_j . r| exceeds l1 (x_j . r > l1 if positive)
        score = XtA if positive else np.abs(XtA)
        outside = np.ones(w.size, dtype=bool)
        outside[active] = False
        violators = np.flatnonzero(outside & (score > l1))
        self._set_active(np.union1d(active, violators) if violators.size else active)

    def solve(self, w, l1, l2, *, max_iter, tol, positive, random, rng, work_limit=np.inf):
        """Minimise P from the warm start w (updated in place).

        ``work_limit`` bounds the work, counted in passes over one column (an epoch
        costs one per working-set feature, a gap check one per feature): past it the
        solve stops unconverged with ``over_budget`` set, for the caller to go on with
        the Gram matrix.
        """
        # the gap checks' matrix-vector products are memory-bound: OpenBLAS threads gain
        # little there and, woken between epochs, cost more than they save (~6 ms a call)
        with single_threaded_blas():
            return self._solve(w, l1, l2, max_iter, tol, positive, random, rng, work_limit)

    def _solve(self, w, l1, l2, max_iter, tol, positive, random, rng, work_limit):
        gap_tol = tol * self.y_norm2
        gap, XtA, dual_norm = self.duality_gap(w, l1, l2, positive)
        if gap <= gap_tol:
            return SolveResult(_clamp_rounding(gap, self.y_norm2), gap_tol, 0)
        # the support of the warm start stays in play
        support = np.flatnonzero(w)
        if support.size:
            self._set_active(np.union1d(self.active, support))
        n_iter = 0
        work = w.size
        patience = 10
        while True:
            before = self.active.size
            self._update_working_set(w, XtA, gap, dual_norm, l1, l2, positive)
            # a working set that misses a feature can make a far harder problem: look for
            # violators every max(patience, p / |A|) epochs (one gradient costs p / |A|),
            # more rarely each time none turns up
            patience = 10 if self.active.size > before else 2 * patience
            n_active = max(self.active.size, 1)
            max_epochs = min(max_iter - n_iter, max(patience, -(-w.size // n_active)))
            if work_limit < np.inf:
                max_epochs = min(max_epochs, max(1, int((work_limit - work) // n_active)))
            w_active = w[self.active]
            epochs, small_step = cd_residual_epochs(
                self.store, self.slot[self.active], self.norm2, w_active, self.R, l1, l2,
                max_epochs, tol, positive, random, _seed(rng, random),
            )
            w[self.active] = w_active
            n_iter += epochs
            work += epochs * self.active.size + w.size
            gap, XtA, dual_norm = self.duality_gap(w, l1, l2, positive)
            # scikit-learn's rule: the gap decides only after an epoch of small steps
            if (small_step and gap <= gap_tol) or n_iter >= max_iter or work >= work_limit:
                return SolveResult(_clamp_rounding(gap, self.y_norm2), gap_tol, n_iter,
                                   over_budget=gap > gap_tol and n_iter < max_iter)


def _clamp_rounding(gap: float, y_norm2: float) -> float:
    """The gap is >= 0 in exact arithmetic; a negative value at rounding level reads as 0.

    Its terms are of the order of ||y||^2, so rounding leaves errors of a few
    eps * ||y||^2; anything more negative is returned as is, for all to see.
    """
    if gap < 0.0 and gap >= -64.0 * np.finfo(np.float64).eps * y_norm2:
        return 0.0
    return gap


def _seed(rng, random: bool) -> np.uint64:
    """A non-zero xorshift state drawn from the estimator's generator."""
    if not random:
        return np.uint64(1)
    return np.uint64(rng.integers(1, 2**63))


def make_solver(X, y, sample_weight, fit_intercept, use_gram, w, *, gram=None, xty=None):
    """The solver for the centred, weighted problem, and (x̄, ȳ) to recover the intercept.

    X may still hold NaN/inf: it is checked here, where it is cheapest. ``sample_weight``
    must already sum to n_samples (or be None). ``gram`` (and ``xty``) may be supplied
    by the caller; they must then be those of the centred, weighted data.
    """
    if use_gram:
        if gram is None and (fit_intercept or sample_weight is not None):
            stats = centered_gram(X, y, sample_weight, fit_intercept)  # raises on NaN/inf
            return GramSolver(stats.gram, stats.xty, stats.yty), stats.X_offset, stats.y_offset
        if gram is None:  # the paths: X as it is, one multi-threaded BLAS product
            with np.errstate(all="ignore"):
                gram = X.T @ X
            if not np.isfinite(gram).all():
                check_finite(X, "X")
                raise ValueError(
                    "X has values so large that X^T X overflows float64; rescale it "
                    "(e.g. divide by its largest absolute value)"
                )
        # (a Gram matrix from the user came through check_user_gram, which checked X)
        x_offset, y_offset = data_offsets(X, y, sample_weight, fit_intercept)
        yc = y - y_offset
        sw = np.ones_like(yc) if sample_weight is None else sample_weight
        if xty is None:
            v = sw * yc
            xty = X.T @ v - x_offset * v.sum()
        return GramSolver(gram, xty, float(sw @ (yc * yc))), x_offset, y_offset
    if sample_weight is not None or not fit_intercept:
        check_finite(X, "X")
    # otherwise the column means carry any NaN/inf of X, and spare a pass over it
    x_offset, y_offset = data_offsets(X, y, sample_weight, fit_intercept)
    if not np.isfinite(x_offset).all():
        check_finite(X, "X")
        raise ValueError(
            "X has values so large that its column sums overflow float64; rescale it "
            "(e.g. divide by its largest absolute value)"
        )
    row_scale = None if sample_weight is None else np.sqrt(sample_weight)
    yc = y - y_offset
    if row_scale is not None:
        yc = yc * row_scale
    return ResidualSolver(X, yc, x_offset, row_scale, w), x_offset, y_offset


def convergence_warning(gap, gap_tol, n_samples, max_iter, stacklevel):
    """Warn that the gap stayed above its tolerance (both shown on the objective's scale)."""
    warnings.warn(
        f"Coordinate descent did not converge in max_iter={max_iter} epochs: duality gap "
        f"{gap / n_samples:.6e} > tolerance {gap_tol / n_samples:.3e} "
        "(tol * ||y||^2 / n_samples). Increase max_iter, scale the features or increase "
        "alpha.",
        ConvergenceWarning,
        stacklevel=stacklevel,
    )


def run_path(solver, alphas, l1_ratio, n_samples, w, *, max_iter, tol, positive, random, rng,
             stacklevel):
    """Warm-started solves along ``alphas``: (coefs (p, n_alphas), dual gaps, n_iters)."""
    coefs = np.empty((w.size, len(alphas)))
    gaps = np.empty(len(alphas))
    n_iters = []
    for i, alpha in enumerate(alphas):
        # the kernels minimise n_samples times the objective of the docstrings
        l1 = alpha * l1_ratio * n_samples
        l2 = alpha * (1.0 - l1_ratio) * n_samples
        gap, gap_tol, n_iter, _ = solver.solve(
            w, l1, l2, max_iter=max_iter, tol=tol, positive=positive, random=random, rng=rng
        )
        if gap > gap_tol:
            convergence_warning(gap, gap_tol, n_samples, max_iter, stacklevel + 1)
        coefs[:, i] = w
        gaps[i] = gap / n_samples
        n_iters.append(n_iter)
    return coefs, gaps, n_iters


# --- hyperparameter checks shared with the estimators -------------------------------------
def check_nonnegative(value, name: str) -> float:
    """``value`` as a float if it is a finite real number >= 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(f"{name}={value!r} must be finite and >= 0")
    return value


def check_solver_params(*, l1_ratio, max_iter, tol, selection, positive):
    """Validate the hyperparameters shared by the estimators and the paths."""
    l1_ratio = check_nonnegative(l1_ratio, "l1_ratio")
    if l1_ratio > 1:
        raise ValueError(f"l1_ratio={l1_ratio!r} must lie in [0, 1]")
    if isinstance(max_iter, (bool, np.bool_)) or not isinstance(max_iter, numbers.Integral):
        raise TypeError(f"max_iter must be an integer, got {type(max_iter).__name__} {max_iter!r}")
    if max_iter < 1:
        raise ValueError(f"max_iter={max_iter!r} must be >= 1")
    tol = check_nonnegative(tol, "tol")
    if selection not in _SELECTIONS:
        raise ValueError(f"selection={selection!r} must be one of {_SELECTIONS}")
    if not isinstance(positive, (bool, np.bool_)):
        raise TypeError(f"positive must be True or False, got {type(positive).__name__} {positive!r}")
    return l1_ratio, int(max_iter), tol


def check_precompute(precompute, n_features: int):
    """'auto', a bool, or a (n_features, n_features) Gram matrix (returned as an array)."""
    if isinstance(precompute, str):
        if precompute != "auto":
            raise ValueError(f"precompute={precompute!r} must be 'auto', True, False or a Gram matrix")
        return precompute
    if isinstance(precompute, (bool, np.bool_)):
        return bool(precompute)
    if not hasattr(precompute, "__array__") and not isinstance(precompute, (list, tuple)):
        raise ValueError(
            f"precompute={precompute!r} must be 'auto', True, False or a Gram matrix"
        )
    gram = as_matrix(precompute, "precompute")
    if gram.shape != (n_features, n_features):
        raise ValueError(
            f"precompute (the Gram matrix) must have shape ({n_features}, {n_features}), "
            f"got {gram.shape}"
        )
    return gram


def check_alphas(alphas, n_alphas):
    """None (a grid of n_alphas), an int (a grid of that size) or explicit alphas >= 0.

    Returns (grid_size, None) or (None, alphas sorted in decreasing order).
    """
    if alphas is None or (isinstance(alphas, numbers.Integral) and not isinstance(alphas, bool)):
        size = n_alphas if alphas is None else alphas
        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
            raise ValueError(f"n_alphas={size!r} must be an integer >= 1")
        return int(size), None
    values = as_vector(alphas, "alphas")
    if values.size == 0:
        raise ValueError("alphas must not be empty; give at least one penalty")
    if (values < 0).any():
        i = int(np.flatnonzero(values < 0)[0])
        raise ValueError(f"alphas[{i}]={float(values[i])!r} must be >= 0")
    return None, np.sort(values)[::-1]


# --- the alpha grid ------------------------------------------------------------------------
def alpha_grid(X, y, *, l1_ratio=1.0, fit_intercept=True, eps=1e-3, n_alphas=100,
               sample_weight=None, positive=False, Xy=None):
    """Geometric grid from alpha_max, the smallest alpha with w = 0, down to eps * alpha_max.

    alpha_max = max_j |xc_j . W yc| / (sum(W) l1_ratio) (max_j xc_j . W yc for
    positive=True): the subgradient condition of w = 0 at the largest penalty.
    """
    if l1_ratio == 0:
        raise ValueError(
            "an automatic alpha grid needs l1_ratio > 0 (alpha_max is infinite for a pure "
            "L2 penalty); pass explicit alphas"
        )
    if Xy is None:
        x_offset, y_offset = data_offsets(X, y, sample_weight, fit_intercept)
        v = y - y_offset
        if sample_weight is not None:
            v = v * sample_weight
        Xy = X.T @ v - x_offset * v.sum()
    total = X.shape[0] if sample_weight is None else float(sample_weight.sum())
    top = max(0.0, Xy.max()) if positive else np.abs(Xy).max()
    alpha_max = top / (total * l1_ratio)
    resolution = np.finfo(np.float64).resolution
    if alpha_max <= resolution:
        return np.full(n_alphas, resolution)
    return np.geomspace(alpha_max, alpha_max * eps, num=n_alphas)


# --- choices and checks at the boundary ----------------------------------------------------
def solver_mode(precompute, n_samples: int, n_features: int, *, path: bool) -> str:
    """Which solver: "gram" (covariance updates), "residual", or "adaptive" (both in turn).

    A path reuses the Gram matrix for every alpha, so "auto" takes it whenever
    n_samples > n_features (scikit-learn's rule). A single fit with n_samples >
    n_features starts with residual updates, which are cheaper when few epochs are
    needed, and switches to the Gram matrix once they have cost as much as it would
    (see ``gram_work``): a rent-or-buy rule that is never more than about twice the
    better choice made in hindsight.
    """
    if isinstance(precompute, np.ndarray) or precompute is True:
        return "gram"
    if precompute is False or n_samples <= n_features:
        return "residual"
    return "gram" if path else "adaptive"


def gram_work(n_features: int) -> float:
    """The cost of the Gram matrix in passes over one column of X, for ``work_limit``.

    X^T X takes n p^2 / 2 multiply-adds at BLAS-3 speed; the dot products and axpys of
    an epoch stream their columns from memory, about eight times slower per
    multiply-add (measured on 10^4-10^5 samples): p^2 / 16 column passes.
    """
    return n_features * n_features / 16.0


def rescaled_weights(sample_weight, n_samples: int):
    """Weights scaled to sum to n_samples, so that alpha means the same with and without."""
    if sample_weight is None or (
        isinstance(sample_weight, numbers.Real) and not isinstance(sample_weight, bool)
    ):
        check_sample_weight(sample_weight, n_samples)  # still refuses negative numbers
        return None
    sw = check_sample_weight(sample_weight, n_samples)
    total = sw.sum()
    if not total > 0:
        raise ValueError("sample_weight must have a positive sum; all weights are zero")
    return sw * (n_samples / total)


def check_user_gram(gram, X, sample_weight, fit_intercept, stacklevel):
    """The Gram matrix a user passed as ``precompute``, or None when it must be recomputed.

    ``stacklevel`` points the warning at the user's call (1 = the caller of this function).
    """
    check_finite(X, "X")
    x_offset, _ = data_offsets(X, X[:, 0], sample_weight, fit_intercept)
    if fit_intercept and not np.allclose(x_offset, 0.0):
        warnings.warn(
            "precompute: the Gram matrix given is that of X as it is, but fit_intercept=True "
            "centres X; the Gram matrix of the centred data is computed instead",
            UserWarning,
            stacklevel=stacklevel + 1,
        )
        return None
    # a spot check of one entry, as cheap as it is useful against a stale matrix
    f1 = X.shape[1] // 2
    f2 = min(f1 + 1, X.shape[1] - 1)
    scale = 1.0 if sample_weight is None else np.sqrt(sample_weight)
    expected = (scale * (X[:, f1] - x_offset[f1])) @ (scale * (X[:, f2] - x_offset[f2]))
    if not np.isclose(expected, gram[f1, f2], rtol=1e-7, atol=1e-5):
        raise ValueError(
            f"precompute: the Gram matrix passed does not match X: entry ({f1}, {f2}) is "
            f"{float(gram[f1, f2])!r}, but x_{f1} . x_{f2} = {float(expected)!r}"
        )
    return gram


