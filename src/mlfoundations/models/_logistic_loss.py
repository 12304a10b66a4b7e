r"""The penalised logistic (binary) and softmax (multinomial) loss, its gradient and Hessian.

With sample weights s_i (all 1 when not given), S = sum_i s_i, the weight matrix W
(one row w_k per class; a single row for two classes) and the intercepts b, the
objective is the weighted mean negative log-likelihood plus an L2 penalty that
leaves b alone,

    f(W, b) = (1 / S) * sum_i s_i * loss(y_i, z_i) + (1 / (2 * C * S)) * ||W||_F^2,
    z_i = W x_i + b,

which is scikit-learn's (since 1.8 written this way; it is its
``C * sum_i s_i loss_i + ||W||^2 / 2`` divided by C S, with the same minimiser).
Writing r_i = s_i (p_i - y_i) / S for the weighted residual, the derivatives are

binary, y_i in {0, 1}, p_i = sigma(z_i) = 1 / (1 + exp(-z_i)):
    loss = log(1 + exp(-|z|)) + max(z, 0) - y z       (never exponentiates a large z)
    grad_w = sum_i r_i x_i + W / (C S),  grad_b = sum_i r_i,
    H = sum_i (s_i / S) p_i (1 - p_i) x~_i x~_i^T + diag(1, ..., 1, 0) / (C S),
    x~_i = (x_i, 1);

multinomial, K classes, p_ik = softmax(z_i)_k = exp(z_ik - logsumexp(z_i)):
    loss = logsumexp(z_i) - z_{i, y_i}
    grad_{w_k} = sum_i r_ik x_i + w_k / (C S),  r_ik = s_i (p_ik - [y_i = k]) / S,
    H_{kl} = sum_i (s_i / S) p_ik ([k = l] - p_il) x~_i x~_i^T + [k = l] diag(1, .., 1, 0) / (C S),

the full (K (p + 1)) x (K (p + 1)) block matrix (Bishop 2006, §4.3.4; Hastie,
Tibshirani & Friedman 2009, §4.4.1). Softmax is unchanged when the same vector is
added to every z_ik, so the multinomial Hessian is singular along those directions
(the intercepts always, every coefficient when unpenalised); the solvers stay in the
complement, the parameters summing to zero over the classes, as scikit-learn's do.

Loss and gradient come together from one pass over X: a compiled kernel computes
z_i, the loss and r_i for a row while it is in cache and adds r_i x_i to the
gradient. The rows are cut into fixed blocks whose partial sums are added in block
order, so the result does not depend on the number of threads that ran them.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numba import njit
from scipy.special import expit, softmax

from .._utils import single_threaded_blas

__all__ = ["LogisticLoss"]

# rows per block: each block's partial gradient is one row of a small array
_BLOCK_ROWS = 4096
# below this many rows a second thread costs more than it saves
_ROWS_PER_THREAD = 16_384
# reassociation lets the dot products and rank-1 updates vectorise; no flag that
# assumes finite values or approximates exp / log
_FASTMATH = {"reassoc", "contract"}


@njit(cache=True, nogil=True, fastmath=_FASTMATH)
def _binary_blocks(X, y, s, w, b, first_block, last_block, block_rows, loss_out, grad_out):
    """Blocks [first_block, last_block): sum_i s_i loss_i and sum_i s_i (p_i - y_i) x~_i."""
    n, p = X.shape
    for blk in range(first_block, last_block):
        g = grad_out[blk]
        g[:] = 0.0
        total = 0.0
        for i in range(blk * block_rows, min(n, (blk + 1) * block_rows)):
            z = b
            for j in range(p):
                z += X[i, j] * w[j]
            e = np.exp(-abs(z))  # in (0, 1]: exp never overflows
            total += s[i] * (np.log1p(e) + max(z, 0.0) - y[i] * z)
            prob = 1.0 / (1.0 + e) if z >= 0.0 else e / (1.0 + e)
            r = s[i] * (prob - y[i])
            for j in range(p):
                g[j] += r * X[i, j]
            g[p] += r
        loss_out[blk] = total


@njit(cache=True, nogil=True, fastmath=_FASTMATH)
def _multinomial_blocks(X, y, s, W, b, first_block, last_block, block_rows, loss_out, grad_out):
    """Blocks [first_block, last_block): sum_i s_i loss_i and sum_i s_i (p_ik - [y_i = k]) x~_i."""
    n, p = X.shape
    K = W.shape[0]
    z = np.empty(K)
    e = np.empty(K)
    for blk in range(first_block, last_block):
        G = grad_out[blk]
        G[:, :] = 0.0
        total = 0.0
        for i in range(blk * block_rows, min(n, (blk + 1) * block_rows)):
            z_max = -np.inf
            for k in range(K):
                zk = b[k]
                for j in range(p):
                    zk += X[i, j] * W[k, j]
                z[k] = zk
                z_max = max(z_max, zk)
            sum_exp = 0.0
            for k in range(K):
                e[k] = np.exp(z[k] - z_max)  # <= 1, the largest is 1: no overflow
                sum_exp += e[k]
            yi = y[i]
            total += s[i] * (z_max + np.log(sum_exp) - z[yi])  # logsumexp(z_i) - z_{i, y_i}
            for k in range(K):
                r = s[i] * (e[k] / sum_exp - (1.0 if k == yi else 0.0))
                for j in range(p):
                    G[k, j] += r * X[i, j]
                G[k, p] += r
        loss_out[blk] = total


class LogisticLoss:
    """The objective f(theta) above, with theta the rows (w_k, b_k) of the classes, flattened.

    Parameters
    ----------
    X : (n_samples, n_features) C-contiguous float64 ndarray
    y : (n_samples,) ndarray
        0.0 / 1.0 floats (binary) or int64 class indices in [0, n_classes) (multinomial).
    sample_weight : (n_samples,) ndarray
        Non-negative, with a positive sum S.
    n_classes : int
        2 for the logistic loss (one row of W), K >= 3 for the softmax (K rows).
    fit_intercept : bool
        Whether theta holds b (the last entry of each row).
    inverse_penalty : float
        C > 0, or inf for no penalty.
    """

    def __init__(self, X, y, sample_weight, n_classes, fit_intercept, inverse_penalty):
        self.X, self.y = X, y
        total_weight = float(sample_weight.sum())
        self.s = sample_weight / total_weight  # s_i / S
        self.n_rows = 1 if n_classes == 2 else n_classes
        self.n_features = X.shape[1]
        self.fit_intercept = fit_intercept
        # lambda = 1 / (C S): the penalty is (lambda / 2) ||W||_F^2
        self.l2 = 0.0 if np.isinf(inverse_penalty) else 1.0 / (inverse_penalty * total_weight)
        self.size = self.n_rows * (self.n_features + fit_intercept)
        n_samples = X.shape[0]
        self._n_blocks = -(-n_samples // _BLOCK_ROWS)
        self._n_threads = max(1, min(os.cpu_count() or 1, n_samples // _ROWS_PER_THREAD))
        self._pool = ThreadPoolExecutor(self._n_threads) if self._n_threads > 1 else None
        self._loss_parts = np.empty(self._n_blocks)
        # C-contiguous partial gradients: (blocks, p + 1) for the binary kernel's rows
        parts_shape = (self._n_blocks, self.n_features + 1)
        if self.n_rows > 1:
            parts_shape = (self._n_blocks, self.n_rows, self.n_features + 1)
        self._grad_parts = np.empty(parts_shape)
        self._cached = None  # (theta, f, g) at the last point evaluated
        self.n_evaluations = 0

    def close(self):
        """Stop the worker threads."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    # --- theta <-> (W, b) ---------------------------------------------------------------
    def unpack(self, theta):
        """(W, b): W of shape (n_rows, n_features), b of shape (n_rows,)."""
        rows = np.asarray(theta, dtype=np.float64).reshape(self.n_rows, -1)
        if self.fit_intercept:
            return np.ascontiguousarray(rows[:, :-1]), rows[:, -1].copy()
        return np.ascontiguousarray(rows), np.zeros(self.n_rows)

    def decision(self, theta):
        """z = X W^T + b, (n_samples, n_rows)."""
        W, b = self.unpack(theta)
        return self.X @ W.T + b

    # --- value and gradient ---------------------------------------------------------------
    def value_and_grad(self, theta):
        """(f(theta), grad f(theta)) from one pass over X; remembered for the last theta."""
        theta = np.asarray(theta, dtype=np.float64)
        if self._cached is not None and np.array_equal(self._cached[0], theta):
            return self._cached[1], self._cached[2].copy()
        self.n_evaluations += 1
        W, b = self.unpack(theta)
        if self.n_rows == 1:
            kernel, coef, offset = _binary_blocks, W[0], float(b[0])
        else:
            kernel, coef, offset = _multinomial_blocks, W, b
        loss_parts, grad_parts = self._loss_parts, self._grad_parts

        def run(blocks):
            first, last = blocks
            kernel(self.X, self.y, self.s, coef, offset, first, last, _BLOCK_ROWS, loss_parts, grad_parts)

        if self._pool is None:
            run((0, self._n_blocks))
        else:
            cuts = np.linspace(0, self._n_blocks, self._n_threads + 1).astype(int)
            list(self._pool.map(run, zip(cuts[:-1], cuts[1:])))
        # block order: independent of the threads
        grad = grad_parts.sum(axis=0).reshape(self.n_rows, self.n_features + 1)
        grad[:, :-1] += self.l2 * W
        if not self.fit_intercept:
            grad = grad[:, :-1]
        f = float(loss_parts.sum()) + 0.5 * self.l2 * float(np.sum(W * W))
        g = grad.ravel()
        self._cached = (theta.copy(), f, g)
        return f, g.copy()

    def value(self, theta) -> float:
        """f(theta)."""
        return self.value_and_grad(theta)[0]

    def grad(self, theta) -> np.ndarray:
        """grad f(theta), flattened like theta."""
        return self.value_and_grad(theta)[1]

    # --- Hessian --------------------------------------------------------------------------
    def hessian(self, theta) -> np.ndarray:
        """The exact Hessian of f, (size, size), rows and columns ordered like theta."""
        with single_threaded_blas():  # threaded BLAS would spin into the Gram threads' time
            Z = self.decision(theta)
        if self.n_rows == 1:
            p = expit(Z[:, 0])
            curvatures = {(0, 0): self.s * p * (1.0 - p)}
        else:
            P = softmax(Z, axis=1)
            curvatures = {}
            for k in range(self.n_rows):
                for l in range(k, self.n_rows):
                    # (s_i / S) p_ik ([k = l] - p_il)
                    d = -P[:, k] * P[:, l] if k != l else P[:, k] * (1.0 - P[:, k])
                    curvatures[k, l] = self.s * d
        blocks = weighted_grams(self.X, curvatures, self.fit_intercept, self._pool, self._n_threads)
        m = self.n_features + self.fit_intercept
        H = np.empty((self.size, self.size))
        for (k, l), block in blocks.items():
            H[k * m:(k + 1) * m, l * m:(l + 1) * m] = block
            H[l * m:(l + 1) * m, k * m:(k + 1) * m] = block.T
        penalised = np.arange(self.size) % m < self.n_features
        H[penalised, penalised] += self.l2
        return H

    def _flat_columns(self):
        """Columns of theta's rows along which the data term is flat (see null_space_projector)."""
        m = self.n_features + self.fit_intercept
        if self.n_rows == 1:
            return []
        return list(range(m)) if self.l2 == 0.0 else ([m - 1] if self.fit_intercept else [])

    def remove_flat_directions(self, theta) -> np.ndarray:
        """theta - P_N theta: the flat columns centred over the classes (no dense P_N)."""
        rows = np.array(theta, dtype=np.float64).reshape(self.n_rows, -1)
        columns = self._flat_columns()
        rows[:, columns] -= rows[:, columns].mean(axis=0)
        return rows.ravel()

    def null_space_projector(self) -> np.ndarray:
        """P_N, the projector on the directions along which the softmax loss is flat.

        Adding the same vector to every class's (w_k, b_k) changes no probability: for
        each column j left unpenalised (the intercept; every column when C = inf) the
        direction 1_K (x) e_j spans the null space of the data term, and P_N averages
        theta over the classes in those columns. Zero for the binary loss.
        """
        P = np.zeros((self.size, self.size))
        m = self.n_features + self.fit_intercept
        for j in self._flat_columns():
            idx = j + m * np.arange(self.n_rows)
            P[np.ix_(idx, idx)] = 1.0 / self.n_rows
        return P


def weighted_grams(X: np.ndarray, weights: dict, fit_intercept: bool, pool=None, n_threads: int = 1) -> dict:
    """X~^T diag(d) X~ for each weight vector d of ``weights`` (X~ = [X, 1] with an intercept).

    One pass over X in row blocks, every product of a block made while it is in cache;
    with a ``pool`` of ``n_threads`` workers the blocks are shared between them (one
    BLAS thread each), as in :func:`mlfoundations._utils.gram_and_column_sums`. Where d has one sign on a block
    (always, for the Hessian's weights), B^T diag(d) B = +-A^T A with A = sqrt(|d|) B, a
    symmetric rank-k update that costs half a general product.
    """
    n, p = X.shape
    m = p + fit_intercept

    def rows(bounds):
        out = {key: np.zeros((m, m)) for key in weights}
        for lo in range(bounds[0], bounds[1], _BLOCK_ROWS):
            hi = min(lo + _BLOCK_ROWS, bounds[1])
            B = X[lo:hi]
            for key, d in weights.items():
                d_block = d[lo:hi]
                G = out[key]
                sign = 1.0 if np.all(d_block >= 0) else -1.0 if np.all(d_block <= 0) else 0.0
                if sign:
                    A = np.sqrt(sign * d_block)[:, None] * B
                    G[:p, :p] += sign * (A.T @ A)  # NumPy calls syrk for A^T A
                else:
                    G[:p, :p] += B.T @ (d_block[:, None] * B)
                if fit_intercept:
                    G[p, :p] += d_block @ B
                    G[p, p] += d_block.sum()
        return out

    with single_threaded_blas():
        if pool is None:
            parts = [rows((0, n))]
        else:
            # whole blocks per worker, so every block starts where it does single-threaded
            n_blocks = -(-n // _BLOCK_ROWS)
            cuts = (np.linspace(0, n_blocks, n_threads + 1).astype(int) * _BLOCK_ROWS).clip(max=n)
            parts = list(pool.map(rows, zip(cuts[:-1], cuts[1:])))
    grams = parts[0]
    for part in parts[1:]:
        for key in grams:
            grams[key] += part[key]
    if fit_intercept:
        for G in grams.values():
            G[:p, p] = G[p, :p]
    return grams
