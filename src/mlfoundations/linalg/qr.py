"""Householder QR factorisation ``A = Q R`` and linear least squares built on it.

Each Householder reflector ``H_k = I - beta_k v_k v_k^T`` zeroes column k below
the diagonal; their product is ``Q^T``. Orthogonal transformations do not
magnify errors, so QR is the stable way to solve least-squares problems (the
normal equations ``A^T A x = A^T b`` square the condition number).

Reflectors are generated a panel of ``_BLOCK`` columns at a time by a numba kernel
and then applied to the rest of the matrix together, in the compact WY form
``H_1 ... H_b = I - V T V^T`` (Schreiber and Van Loan), as three BLAS products.

References
----------
Golub, G. H. and Van Loan, C. F. (2013). *Matrix Computations*, 4th ed., Johns
Hopkins, sections 5.1-5.3 (Algorithms 5.2.1, 5.2.2 and 5.2.3 block QR) and 5.5
(rank-deficient least squares).
Schreiber, R. and Van Loan, C. (1989). A storage-efficient WY representation for
products of Householder transformations. *SIAM J. Sci. Stat. Comput.* 10(1), 53-57.
Trefethen, L. N. and Bau, D. (1997). *Numerical Linear Algebra*, SIAM, Lectures
10, 11 and 19.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from .._validation import as_float_array, as_matrix, check_real
from ._reflectors import apply_householder_left, householder
from ._triangular import as_columns, solve_triangular

__all__ = ["QRResult", "LstsqResult", "qr", "lstsq"]

_BLOCK = 32
_MODES = ("reduced", "complete", "r")


class QRResult(NamedTuple):
    """``A = Q @ R``: ``Q`` with orthonormal columns, ``R`` upper triangular."""

    Q: np.ndarray
    R: np.ndarray


class LstsqResult(NamedTuple):
    """Least-squares solution and diagnostics, in ``numpy.linalg.lstsq``'s order."""

    x: np.ndarray
    residuals: np.ndarray
    rank: int
    singular_values: np.ndarray


# --------------------------------------------------------------------------- kernels


@njit(cache=True)
def _householder_panel(A, betas, j0, j1):
    """Reduce columns j0..j1-1 to upper triangular form, in place.

    Column k gets the reflector that maps A[k:, k] to alpha e_1; alpha is stored
    on the diagonal, v[1:] below it (v[0] = 1 is implicit), beta in betas[k].
    The reflector is applied to the rest of the panel only.
    """
    m = A.shape[0]
    for k in range(j0, j1):
        v, beta, alpha = householder(A[k:, k].copy())  # a column is strided in C order
        A[k, k] = alpha
        for i in range(k + 1, m):
            A[i, k] = v[i - k]
        betas[k] = beta
        apply_householder_left(A, v, beta, k, k + 1, j1)


@njit(cache=True)
def _compact_wy(gram, betas):
    """Upper triangular T with H_1 H_2 ... H_b = I - V T V^T, from G = V^T V.

    Appending H_c = I - beta_c v_c v_c^T to the product extends T by the column
    T[:c, c] = -beta_c T[:c, :c] V[:, :c]^T v_c and T[c, c] = beta_c.
    """
    b = betas.shape[0]
    T = np.zeros((b, b))
    for c in range(b):
        beta = betas[c]
        T[c, c] = beta
        if beta == 0.0:
            continue
        for i in range(c):
            s = 0.0
            for p in range(i, c):
                s += T[i, p] * gram[p, c]
            T[i, c] = -beta * s
    return T


# ------------------------------------------------------------------------ drivers


def _householder_qr(A):
    """Blocked Householder QR of a float64 (M, N) matrix.

    Returns ``(QR, blocks)``: ``R`` on and above the diagonal of ``QR``, and for
    each panel ``(j0, V, T)`` with ``H_{j0} ... H_{j1-1} = I - V T V^T`` acting on
    rows j0 onwards.
    """
    QR = np.array(A, dtype=np.float64, order="C", copy=True)
    m, n = QR.shape
    k_max = min(m, n)
    betas = np.zeros(k_max)
    blocks = []
    for j0 in range(0, k_max, _BLOCK):
        j1 = min(j0 + _BLOCK, k_max)
        _householder_panel(QR, betas, j0, j1)
        V = np.tril(QR[j0:, j0:j1], -1)
        V[np.arange(j1 - j0), np.arange(j1 - j0)] = 1.0
        T = _compact_wy(V.T @ V, betas[j0:j1])
        if j1 < n:
            # apply (I - V T V^T)^T = I - V T^T V^T to the columns right of the panel
            C = QR[j0:, j1:]
            C -= V @ (T.T @ (V.T @ C))
        blocks.append((j0, V, T))
    return QR, blocks


def _apply_qt(blocks, B):
    """Overwrite ``B`` (M, k) with ``Q^T B = H_K ... H_1 B``."""
    for j0, V, T in blocks:
        B[j0:] -= V @ (T.T @ (V.T @ B[j0:]))
    return B


def _apply_q(blocks, B):
    """Overwrite ``B`` (M, k) with ``Q B = H_1 ... H_K B``."""
    for j0, V, T in reversed(blocks):
        B[j0:] -= V @ (T @ (V.T @ B[j0:]))
    return B


def _form_q(blocks, m, n_cols):
    """The first ``n_cols`` columns of ``Q``, accumulated backwards.

    Applying the blocks last to first to the identity, block j changes only
    columns j0 onwards: the earlier columns are still e_c, zero in rows >= j0.
    """
    Q = np.eye(m, n_cols)
    for j0, V, T in reversed(blocks):
        if j0 >= n_cols:
            continue
        Q[j0:, j0:] -= V @ (T @ (V.T @ Q[j0:, j0:]))
    return Q


# ------------------------------------------------------------------------ public API


def qr(A, mode: str = "reduced"):
    """Householder QR factorisation ``A = Q R`` with ``diag(R) >= 0``.

    Parameters
    ----------
    A : (M, N) array_like
        Real finite matrix; tall, square or wide.
    mode : {"reduced", "complete", "r"}, default "reduced"
        ``"reduced"``: ``Q`` (M, K) and ``R`` (K, N) with K = min(M, N).
        ``"complete"``: ``Q`` (M, M) orthogonal and ``R`` (M, N).
        ``"r"``: only ``R`` (K, N), returned as a bare array (as numpy does);
        ``Q`` is never formed, which saves about half the work.

    Returns
    -------
    QRResult or ndarray
        Named tuple ``(Q, R)``, ``Q`` with orthonormal columns, ``R`` upper
        triangular (trapezoidal when M < N); or ``R`` alone for ``mode="r"``.

    Raises
    ------
    ValueError
        If ``A`` is not 2-D, holds NaN or inf, or ``mode`` is not one of the three.

    Notes
    -----
    Step k picks ``v_k`` and ``beta_k = 2 / (v_k^T v_k)`` so that ``H_k = I -
    beta_k v_k v_k^T`` maps ``x = A[k:, k]`` to ``-sign(x_1) ||x||_2 e_1`` (the
    sign that avoids cancellation in ``v_k = x - alpha e_1``). After K steps
    ``H_K ... H_1 A = R``, so ``Q = H_1 ... H_K``; 2N^2(M - N/3) flops for R.
    ``Q`` is accumulated backwards, so each block touches only the columns it
    changes.

    Sign convention: the factorisation is unique only up to the signs of the
    rows of R (and matching columns of Q). Here every diagonal entry of R is made
    non-negative, so the result is deterministic, and for full-rank tall A, ``R^T``
    is the Cholesky factor of ``A^T A``. LAPACK (numpy, scipy) makes no such choice, so
    its R may differ from this one by row signs.

    References
    ----------
    Golub & Van Loan (2013), *Matrix Computations*, 4th ed., Algorithms 5.2.1,
    5.1.2 (backward accumulation), 5.2.3 (block QR); Schreiber & Van Loan (1989).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import qr
    >>> A = np.array([[3.0, 1.0], [4.0, 2.0]])
    >>> Q, R = qr(A)
    >>> R
    array([[5. , 2.2],
           [0. , 0.4]])
    >>> np.allclose(Q @ R, A), np.allclose(Q.T @ Q, np.eye(2))
    (True, True)
    """
    if not isinstance(mode, str) or mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, got {mode!r}")
    A = as_matrix(A, "A")
    m, n = A.shape
    k = min(m, n)
    QR, blocks = _householder_qr(A)
    n_rows = m if mode == "complete" else k
    R = np.triu(QR[:n_rows, :])
    # make diag(R) >= 0: flip row i of R and, to keep Q R fixed, column i of Q
    signs = np.where(np.diagonal(R) < 0.0, -1.0, 1.0)
    R[:k] *= signs[:, None]
    if mode == "r":
        return R
    Q = _form_q(blocks, m, m if mode == "complete" else k)
    Q[:, :k] *= signs
    return QRResult(Q, R)


def _check_least_squares_rhs(b, m):
    b = as_float_array(b, "b")
    if b.ndim not in (1, 2) or b.shape[0] != m:
        raise ValueError(
            f"b has shape {b.shape}; expected ({m},) or ({m}, k) to match the {m} rows of A"
        )
    return b


def lstsq(A, b, rcond=None) -> LstsqResult:
    """Minimum-norm least-squares solution of ``A x ~= b``.

    Parameters
    ----------
    A : (M, N) array_like
        Real finite matrix; any shape and rank.
    b : (M,) or (M, K) array_like
        Right-hand side(s).
    rcond : float or None, default None
        Singular values ``s_i <= rcond * s_1`` count as zero when deciding the
        rank. ``None`` means ``eps * max(M, N)``; ``rcond <= 0`` (numpy's ``-1``)
        means machine precision ``eps``, as ``numpy.linalg.lstsq`` (LAPACK
        ``gelsd``) treats it.

    Returns
    -------
    LstsqResult
        Named tuple ``(x, residuals, rank, singular_values)``, as in
        ``numpy.linalg.lstsq``:

        - ``x`` (N,) or (N, K): minimises ``||b - A x||_2`` and, among the
          minimisers, ``||x||_2``.
        - ``residuals`` (1,) or (K,): ``||b - A x||_2^2`` per column when ``rank
          == N < M``; an empty array otherwise.
        - ``rank``: the numerical rank of A, an int.
        - ``singular_values`` (min(M, N),): those of A, descending.

    Raises
    ------
    ValueError
        If ``A`` is not 2-D, ``b`` does not have M rows, either holds NaN or inf,
        or ``rcond`` is not finite.
    TypeError
        If ``rcond`` is not a real number.

    Notes
    -----
    Tall A (M >= N): ``A = Q R``, so ``||b - A x|| = ||Q^T b - R x||`` and the
    minimiser solves ``R x = (Q^T b)[:N]`` by back substitution; this costs
    about half as much as an SVD of A and never forms ``A^T A``. Wide A (M < N):
    ``A^T = Q R`` gives ``A = R^T Q^T``; ``R^T y = b`` and ``x = Q y`` is the
    solution lying in the row space of A, hence the one of minimum norm.

    The singular values of A are those of the small triangular ``R`` (Q is
    orthogonal); they give the rank. If A is rank deficient, ``R = U S V^T``
    (library :func:`~mlfoundations.linalg.svd`) and the minimum-norm solution
    ``x = V_r S_r^{-1} U_r^T (Q^T b)`` (tall case) keeps only the r singular
    values above the cut-off, as ``numpy.linalg.lstsq`` (LAPACK ``gelsd``) does.

    References
    ----------
    Golub & Van Loan (2013), *Matrix Computations*, 4th ed., sections 5.3.3,
    5.5 and 5.6; Trefethen & Bau (1997), Lecture 11.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import lstsq
    >>> t = np.array([0.0, 1.0, 2.0, 3.0])
    >>> A = np.column_stack([np.ones(4), t])
    >>> x, residuals, rank, s = lstsq(A, [1.0, 3.0, 5.0, 7.0])
    >>> np.round(x, 12), rank
    (array([1., 2.]), 2)
    """
    from .svd import svd  # lazy: svd is a sibling module with its own kernels

    A = as_matrix(A, "A")
    m, n = A.shape
    b = _check_least_squares_rhs(b, m)
    eps = np.finfo(np.float64).eps
    if rcond is None:
        rcond = eps * max(m, n)
    else:
        rcond = check_real(rcond, "rcond")
        if rcond <= 0.0:
            # numpy's -1 (and LAPACK's rcond <= 0): cut at machine precision, so
            # that rounding noise in s_i of an exactly rank-deficient A is not inverted
            rcond = eps
    B = as_columns(b)
    k = min(m, n)
    if k == 0:
        x = np.zeros((n, B.shape[1]))
        rank, s = 0, np.zeros(0)
    elif m >= n:
        QR, blocks = _householder_qr(A)
        R = np.triu(QR[:n, :n])
        C = _apply_qt(blocks, B.copy())[:n]
        s = svd(R, compute_uv=False)
        rank = int(np.count_nonzero(s > rcond * s[0]))
        if rank == n:
            x = solve_triangular(R, np.ascontiguousarray(C), lower=False)
        else:
            U, s, Vt = svd(R)
            x = Vt[:rank].T @ ((U[:, :rank].T @ C) / s[:rank, None])
    else:
        QR, blocks = _householder_qr(A.T)
        R = np.triu(QR[:m, :m])
        s = svd(R, compute_uv=False)
        rank = int(np.count_nonzero(s > rcond * s[0]))
        Y = np.zeros((n, B.shape[1]))
        if rank == m:
            Y[:m] = solve_triangular(R, B.copy(), lower=False, trans=True)
        else:
            # A = R^T Q^T = V S (Q U)^T: right singular vectors Q U, left V
            U, s, Vt = svd(R)
            Y[:m] = U[:, :rank] @ ((Vt[:rank] @ B) / s[:rank, None])
        x = _apply_q(blocks, Y)
    if rank == n and m > n:
        residuals = np.sum((B - A @ x) ** 2, axis=0)
    else:
        residuals = np.zeros(0)
    if b.ndim == 1:
        x = x[:, 0]
    return LstsqResult(x, residuals, rank, s)
