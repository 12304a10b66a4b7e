"""Numba kernels of coordinate descent for the elastic net (and so the lasso).

The problem, scaled by n_samples as the kernels see it, is

    P(w) = 1/2 ||y - X w||^2 + l1 ||w||_1 + l2/2 ||w||^2,

with l1 = n alpha l1_ratio and l2 = n alpha (1 - l1_ratio). Fixing every coordinate
but w_j, P is a one-dimensional quadratic plus l1 |w_j|, whose minimiser is

    w_j <- S(rho_j, l1) / (||x_j||^2 + l2),   rho_j = x_j . (r + w_j x_j),

with r = y - X w the residual and S the soft-thresholding operator (Friedman, Hastie
& Tibshirani 2010, eq. 5). An epoch updates every coordinate once. Two kernels keep
what rho_j needs current:

- residual updates (``cd_residual_epochs``): r itself, one axpy r -= (w_j' - w_j) x_j
  per change; each update costs O(n_samples).
- covariance updates (``cd_gram``): with the Gram matrix Q = X^T X and q = X^T y,
  x_j . r = q_j - (Q w)_j, and Q w is kept current by one row of Q per change; each
  update costs O(n_features), with no pass over the data at all.

Stopping is the duality gap of Kim et al. (2007) / Fercoq, Gramfort & Salmon (2015),
checked only once an epoch has moved no coefficient by more than tol * max_j |w_j|.
Kernels run on float64 C-contiguous arrays (``gather_columns`` also reads an F-ordered
X). ``fastmath`` is limited to reassociation (plus fused multiply-add), which lets LLVM
keep several partial sums of a dot product in flight; it changes rounding only.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = [
    "soft_threshold",
    "enet_duality_gap",
    "cd_residual_epochs",
    "cd_gram",
    "gather_columns",
    "xorshift",
]

_FASTMATH = {"reassoc", "contract"}


@njit(cache=True)
def soft_threshold(z, t):
    """The soft-thresholding operator S(z, t) = sign(z) max(|z| - t, 0).

    S(z, t) = argmin_w 1/2 (w - z)^2 + t |w| (t >= 0): the proximal operator of the
    l1 norm, which shrinks z towards 0 by t and sets it to exactly 0 when |z| <= t.

    Parameters
    ----------
    z : float
    t : float
        The threshold, t >= 0.

    Returns
    -------
    float

    Examples
    --------
    >>> soft_threshold(3.0, 1.0), soft_threshold(-3.0, 1.0), soft_threshold(0.5, 1.0)
    (2.0, -2.0, 0.0)
    """
    if z > t:
        return z - t
    if z < -t:
        return z + t
    return 0.0


@njit(cache=True)
def enet_duality_gap(l1, l2, w_l1, w_sq, r_sq, r_y, dual_norm, grad_sq):
    """Duality gap of P(w) = 1/2 ||r||^2 + l1 ||w||_1 + l2/2 ||w||^2, r = y - X w.

    With l2 > 0, the elastic net is a lasso on the augmented data X~ = [X; sqrt(l2) I],
    y~ = [y; 0], whose residual is r~ = [r; -sqrt(l2) w]. The lasso dual is
    D(v) = -1/2 ||v||^2 + y~ . v on {v : ||X~^T v||_inf <= l1}; the point
    v = s r~ with s = min(1, l1 / ||X^T r - l2 w||_inf) is dual feasible, and

        gap = P(w) - D(v) = 1/2 (1 + s^2) (||r||^2 + l2 ||w||^2) + l1 ||w||_1 - s r . y.

    With l1 = 0 (ridge) the dual is D(v) = -1/2 ||v||^2 + y . v - ||X^T v||^2 / (2 l2),
    unconstrained, and v = r gives gap = ||r||^2 + l2/2 ||w||^2 - r . y
    + ||X^T r||^2 / (2 l2). With l1 = l2 = 0 (least squares) there is no useful dual;
    the squared gradient ||X^T r||^2 stands in for the gap.

    Parameters
    ----------
    l1, l2 : float
        Penalties (already multiplied by n_samples).
    w_l1, w_sq : float
        ||w||_1 and ||w||^2.
    r_sq, r_y : float
        ||r||^2 and r . y.
    dual_norm : float
        max_j |x_j . r - l2 w_j| (max_j (x_j . r - l2 w_j) when w is constrained >= 0).
    grad_sq : float
        ||X^T r||^2 (used only when l1 = 0).

    Returns
    -------
    float
        P(w) - D(v) >= 0 up to rounding.
    """
    if l1 == 0.0:
        if l2 == 0.0:
            return grad_sq
        return r_sq + 0.5 * l2 * w_sq - r_y + grad_sq / (2.0 * l2)
    scale = l1 / dual_norm if dual_norm > l1 else 1.0
    penalised_sq = r_sq + l2 * w_sq
    primal = 0.5 * penalised_sq + l1 * w_l1
    dual = -0.5 * scale * scale * penalised_sq + scale * r_y
    return primal - dual


@njit(cache=True)
def xorshift(state):
    """Marsaglia's (2003) xorshift64 step: the next state of a 64-bit generator.

    ``selection="random"`` draws coordinates from this private stream, seeded from
    the estimator's ``numpy.random.Generator``, so no global state is touched.
    """
    state ^= state << np.uint64(13)
    state ^= state >> np.uint64(7)
    state ^= state << np.uint64(17)
    return state


@njit(cache=True)
def _coordinate_update(rho, norm2, l1, l2, positive):
    """argmin over w_j: 1/2 norm2 w_j^2 - rho w_j + l1 |w_j| + l2/2 w_j^2 (w_j >= 0 if positive)."""
    if positive and rho < 0.0:
        return 0.0
    return soft_threshold(rho, l1) / (norm2 + l2)


@njit(cache=True, fastmath=_FASTMATH)
def cd_residual_epochs(XT, rows, norm2, w, R, l1, l2, max_epochs, tol, positive, random, seed):
    """Coordinate-descent epochs with residual updates, until an epoch moves little.

    Parameters
    ----------
    XT : (n_stored, n_samples) ndarray
        Columns x_j of the design, one per row (contiguous, so each is read from cache).
    rows : (n_cols,) int ndarray
        ``XT[rows[k]]`` is the column of coordinate k.
    norm2 : (n_stored,) ndarray
        ||x||^2 of each stored column.
    w : (n_cols,) ndarray
        Coefficients, updated in place.
    R : (n_samples,) ndarray
        Residual y - X w, kept current in place.
    l1, l2 : float
        Penalties multiplied by n_samples.
    max_epochs : int
    tol : float
        Stop after the first epoch with max_k |dw_k| <= tol * max_k |w_k| (or w = 0);
        the caller then checks the duality gap.
    positive, random : bool
        Constrain w >= 0; draw coordinates uniformly at random instead of in order.
    seed : uint64
        Non-zero state of the xorshift stream (used when ``random``).

    Returns
    -------
    (n_epochs, small_step) : (int, bool)
    """
    n_cols = rows.shape[0]
    n_samples = XT.shape[1]
    state = seed
    for epoch in range(max_epochs):
        w_max = 0.0
        d_w_max = 0.0
        for step in range(n_cols):
            k = step
            if random:
                state = xorshift(state)
                k = np.int64(state % np.uint64(n_cols))
            row = rows[k]
            if norm2[row] == 0.0:
                continue
            w_k = w[k]
            # rho = x_k . (R + w_k x_k): the fit of x_k to the residual without it
            rho = 0.0
            for i in range(n_samples):
                rho += XT[row, i] * R[i]
            rho += w_k * norm2[row]
            new = _coordinate_update(rho, norm2[row], l1, l2, positive)
            if new != w_k:
                step_k = new - w_k
                for i in range(n_samples):
                    R[i] -= step_k * XT[row, i]
                w[k] = new
            d_w_max = max(d_w_max, abs(new - w_k))
            w_max = max(w_max, abs(new))
        if w_max == 0.0 or d_w_max <= tol * w_max:
            return epoch + 1, True
    return max_epochs, False


@njit(cache=True)
def _gram_gap(gram, q, y_norm2, w, Qw, l1, l2, positive, XtA):
    """Duality gap from the Gram matrix: r = y - X w is never formed.

    ||r||^2 = y.y - 2 q.w + w.Qw and r.y = y.y - q.w; X^T r = q - Q w. ``XtA`` receives
    X^T r - l2 w (X^T r when l1 = 0). Returns (gap, dual_norm).
    """
    n_features = w.shape[0]
    q_w = 0.0
    w_Qw = 0.0
    w_l1 = 0.0
    w_sq = 0.0
    for j in range(n_features):
        q_w += q[j] * w[j]
        w_Qw += w[j] * Qw[j]
        w_l1 += abs(w[j])
        w_sq += w[j] * w[j]
    r_sq = y_norm2 - 2.0 * q_w + w_Qw
    r_y = y_norm2 - q_w
    shrink = l2 if l1 > 0.0 else 0.0
    dual_norm = -np.inf if positive and l1 > 0.0 else 0.0
    grad_sq = 0.0
    for j in range(n_features):
        XtA[j] = q[j] - Qw[j] - shrink * w[j]
        grad_sq += XtA[j] * XtA[j]
        dual_norm = max(dual_norm, XtA[j] if positive else abs(XtA[j]))
    return enet_duality_gap(l1, l2, w_l1, w_sq, r_sq, r_y, dual_norm, grad_sq), dual_norm


@njit(cache=True)
def cd_gram(gram, q, y_norm2, w, l1, l2, max_iter, tol, gap_tol, positive, random, seed):
    """Coordinate descent with covariance updates, stopped on the duality gap.

    Parameters
    ----------
    gram : (n_features, n_features) ndarray
        Q = X^T X (symmetric; row j is used as column j).
    q : (n_features,) ndarray
        X^T y.
    y_norm2 : float
        y . y.
    w : (n_features,) ndarray
        Coefficients (the warm start), updated in place.
    l1, l2 : float
        Penalties multiplied by n_samples.
    max_iter : int
        Maximum number of epochs.
    tol : float
        The gap is checked after an epoch with max_j |dw_j| <= tol * max_j |w_j|.
    gap_tol : float
        Converged when the gap is <= gap_tol (tol * y.y).
    positive, random : bool
    seed : uint64

    Returns
    -------
    (n_iter, gap) : (int, float)
        Epochs run (0 if the warm start already met the tolerance) and the last gap.
    """
    n_features = w.shape[0]
    Qw = np.zeros(n_features)
    for j in range(n_features):  # Q w over the non-zero w_j only (a warm start is sparse)
        if w[j] != 0.0:
            for k in range(n_features):
                Qw[k] += w[j] * gram[j, k]
    XtA = np.empty(n_features)
    gap, _ = _gram_gap(gram, q, y_norm2, w, Qw, l1, l2, positive, XtA)
    if 0.0 <= gap <= gap_tol:
        return 0, gap
    state = seed
    for n_iter in range(max_iter):
        w_max = 0.0
        d_w_max = 0.0
        for step in range(n_features):
            j = step
            if random:
                state = xorshift(state)
                j = np.int64(state % np.uint64(n_features))
            norm2 = gram[j, j]
            if norm2 == 0.0:
                continue
            w_j = w[j]
            # x_j . (r + w_j x_j) = q_j - (Q w)_j + w_j Q_jj
            rho = q[j] - Qw[j] + w_j * norm2
            new = _coordinate_update(rho, norm2, l1, l2, positive)
            if new != w_j:
                step_j = new - w_j
                for k in range(n_features):
                    Qw[k] += step_j * gram[j, k]
                w[j] = new
            d_w_max = max(d_w_max, abs(new - w_j))
            w_max = max(w_max, abs(new))
        if w_max == 0.0 or d_w_max <= tol * w_max or n_iter == max_iter - 1:
            gap, _ = _gram_gap(gram, q, y_norm2, w, Qw, l1, l2, positive, XtA)
            if gap <= gap_tol:
                return n_iter + 1, gap
    return max_iter, gap


@njit(cache=True)
def gather_columns(X, columns, x_offset, row_scale, rows_outer, out, norm2):
    """out[k] = row_scale * (X[:, columns[k]] - x_offset[columns[k]]); norm2[k] = ||out[k]||^2.

    Copies the working set's centred, weighted columns into contiguous rows, so that
    the epochs of ``cd_residual_epochs`` read them from cache whatever the memory
    order of X. ``rows_outer`` walks X row by row (right for a C-ordered X).
    """
    n_samples = X.shape[0]
    n_cols = columns.shape[0]
    if rows_outer:
        for i in range(n_samples):
            for k in range(n_cols):
                j = columns[k]
                out[k, i] = row_scale[i] * (X[i, j] - x_offset[j])
    else:
        for k in range(n_cols):
            j = columns[k]
            for i in range(n_samples):
                out[k, i] = row_scale[i] * (X[i, j] - x_offset[j])
    for k in range(n_cols):
        s = 0.0
        for i in range(n_samples):
            s += out[k, i] * out[k, i]
        norm2[k] = s
