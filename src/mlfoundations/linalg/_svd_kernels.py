"""Compiled kernels of the Golub–Kahan–Reinsch SVD (private to :mod:`.svd`).

Three phases, each a numba kernel on float64 C-contiguous arrays:

1. ``bidiagonalize``: Householder reduction ``A = Q B P^T`` of a tall ``A``
   (Golub & Van Loan, Alg. 5.4.2), reflectors stored in the zeroed entries.
2. ``form_left_basis`` / ``form_right_basis``: ``Q`` and ``P`` accumulated
   backward from the stored reflectors (Golub & Van Loan, Sec. 5.1.6), so each
   reflector only touches the trailing block that is not yet the identity.
3. ``bidiagonal_svd``: implicit-shift QR sweeps on ``B`` (Golub & Van Loan,
   Alg. 8.6.1 / 8.6.2) with the Demmel–Kahan zero-shift sweep and relative
   convergence tests, so that tiny singular values of ``B`` keep their digits.

Singular vectors are kept transposed (``U^T`` and ``V^T``): a Givens rotation of
two columns of ``U`` is a rotation of two contiguous rows of ``U^T``.

References
----------
G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, Sec. 5.4, 8.6.
J. Demmel and W. Kahan, "Accurate singular values of bidiagonal matrices",
SIAM J. Sci. Stat. Comput. 11(5), 1990, 873-912.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._reflectors import apply_householder_left, apply_householder_right, givens, householder

EPS = 2.0**-52  # machine epsilon of float64, numpy.finfo(float).eps
TINY = 2.0**-1022  # smallest normal float64
# Relative accuracy asked of each singular value of B; a few ulps above EPS so that
# the convergence tests are not defeated by the rounding of the rotations themselves.
REL_TOL = 10.0 * EPS
MAX_SWEEP_FACTOR = 6  # at most 6 n^2 rotation steps in total, then give up


@njit(cache=True)
def bidiagonalize(A):
    """Reduce a tall ``A`` (m >= n) in place to upper bidiagonal form ``Q^T A P = B``.

    Returns ``(d, e, beta_left, beta_right)``: the diagonal and superdiagonal of
    ``B`` and the reflector coefficients. Left reflector ``j`` is
    ``I - beta_left[j] v v^T`` with ``v = [1, A[j+1:, j]]`` acting on rows ``j:``;
    right reflector ``j`` has ``v = [1, A[j, j+2:]]`` acting on columns ``j+1:``.
    """
    m, n = A.shape
    d = np.zeros(n)
    e = np.zeros(max(n - 1, 0))
    beta_left = np.zeros(n)
    beta_right = np.zeros(max(n - 2, 0))
    for j in range(n):
        # zero A[j+1:, j] from the left
        v, beta, alpha = householder(A[j:, j].copy())
        apply_householder_left(A, v, beta, j, j + 1, n)
        d[j] = alpha
        beta_left[j] = beta
        for i in range(j + 1, m):
            A[i, j] = v[i - j]
        if j < n - 2:
            # zero A[j, j+2:] from the right
            v, beta, alpha = householder(A[j, j + 1 :].copy())
            apply_householder_right(A, v, beta, j + 1, m, j + 1)
            e[j] = alpha
            beta_right[j] = beta
            for i in range(j + 2, n):
                A[j, i] = v[i - j - 1]
        elif j == n - 2:
            e[j] = A[j, j + 1]  # a 1-vector is already reduced
    return d, e, beta_left, beta_right


@njit(cache=True)
def form_left_basis(A, beta_left, n_cols):
    """First ``n_cols`` columns of ``Q = H_0 H_1 ... H_{n-1}`` (m x n_cols)."""
    m, n = A.shape
    Q = np.zeros((m, n_cols))
    for i in range(min(m, n_cols)):
        Q[i, i] = 1.0
    for j in range(n - 1, -1, -1):
        v = np.empty(m - j)
        v[0] = 1.0
        for i in range(j + 1, m):
            v[i - j] = A[i, j]
        # columns < j of H_{j+1}...H_{n-1} I are still e_c: only Q[j:, j:] changes
        apply_householder_left(Q, v, beta_left[j], j, j, n_cols)
    return Q


@njit(cache=True)
def form_right_basis(A, beta_right):
    """``P = G_0 G_1 ... G_{n-3}`` (n x n) from the stored right reflectors."""
    n = A.shape[1]
    P = np.eye(n)
    for j in range(n - 3, -1, -1):
        v = np.empty(n - j - 1)
        v[0] = 1.0
        for i in range(j + 2, n):
            v[i - j - 1] = A[j, i]
        apply_householder_left(P, v, beta_right[j], j + 1, j + 1, n)
    return P


@njit(cache=True)
def rotate_rows(X, i, k, c, s):
    """Rows ``(x_i, x_k) <- (c x_i + s x_k, c x_k - s x_i)``: a plane rotation."""
    for j in range(X.shape[1]):
        xi = X[i, j]
        xk = X[k, j]
        X[i, j] = c * xi + s * xk
        X[k, j] = c * xk - s * xi


@njit(cache=True)
def singular_values_2x2(f, g, h):
    """Singular values ``(s_max, s_min)`` of the upper triangular ``[[f, g], [0, h]]``.

    From ``(s_max + s_min)^2 = (|f| + |h|)^2 + g^2`` and
    ``(s_max - s_min)^2 = (|f| - |h|)^2 + g^2``; ``s_min = |f h| / s_max`` avoids
    the cancellation of the difference. Scaled by the largest entry against overflow.
    """
    fa = abs(f)
    ga = abs(g)
    ha = abs(h)
    scale = max(fa, ga, ha)
    if scale == 0.0:
        return 0.0, 0.0
    fa /= scale
    ga /= scale
    ha /= scale
    s_max = 0.5 * (np.sqrt((fa + ha) ** 2 + ga * ga) + np.sqrt((fa - ha) ** 2 + ga * ga))
    s_min = fa * ha / s_max
    return s_max * scale, s_min * scale


@njit(cache=True)
def chase_zero_diagonal_row(d, e, Ut, j, hi):
    """``d[j] = 0`` with ``j < hi``: rotate row ``j`` against rows ``j+1..hi`` until
    ``e[j]`` is zero, so that ``B`` splits at ``j`` (Golub & Van Loan, Sec. 8.6.2)."""
    x = e[j]  # the entry of row j to annihilate, moving right
    e[j] = 0.0
    for i in range(j + 1, hi + 1):
        c, s, r = givens(d[i], x)
        d[i] = r
        rotate_rows(Ut, i, j, c, s)
        if i < hi:
            x = -s * e[i]
            e[i] = c * e[i]


@njit(cache=True)
def chase_zero_diagonal_column(d, e, Vt, lo, hi):
    """``d[hi] = 0``: rotate column ``hi`` against columns ``hi-1..lo`` until
    ``e[hi-1]`` is zero, so that ``d[hi]`` splits off as a zero singular value."""
    x = e[hi - 1]  # the entry of column hi to annihilate, moving up
    e[hi - 1] = 0.0
    for i in range(hi - 1, lo - 1, -1):
        c, s, r = givens(d[i], x)
        d[i] = r
        rotate_rows(Vt, i, hi, c, s)
        if i > lo:
            x = -s * e[i - 1]
            e[i - 1] = c * e[i - 1]


@njit(cache=True)
def shifted_qr_sweep(d, e, Ut, Vt, lo, hi, shift):
    """One implicit-shift QR step on ``B[lo:hi+1, lo:hi+1]`` (Golub & Van Loan, Alg. 8.6.1).

    The first rotation is the one that would zero ``(B^T B - shift^2 I) e_lo`` below
    its first entry; ``(d^2 - shift^2, d e) / d`` is formed as
    ``(|d| - shift)(sign(d) + shift / d)`` to avoid squaring. The bulge it creates
    is chased down by alternating right (columns k, k+1) and left (rows k, k+1)
    rotations.
    """
    d_lo = d[lo]
    sign_lo = 1.0 if d_lo > 0.0 else -1.0
    f = (abs(d_lo) - shift) * (sign_lo + shift / d_lo)
    g = e[lo]
    for k in range(lo, hi):
        c, s, r = givens(f, g)
        if k > lo:
            e[k - 1] = r
        f = c * d[k] + s * e[k]
        e[k] = c * e[k] - s * d[k]
        g = s * d[k + 1]  # bulge at B[k+1, k]
        d[k + 1] = c * d[k + 1]
        rotate_rows(Vt, k, k + 1, c, s)
        c, s, r = givens(f, g)
        d[k] = r
        f = c * e[k] + s * d[k + 1]
        d[k + 1] = c * d[k + 1] - s * e[k]
        if k < hi - 1:
            g = s * e[k + 1]  # bulge at B[k, k+2]
            e[k + 1] = c * e[k + 1]
        rotate_rows(Ut, k, k + 1, c, s)
    e[hi - 1] = f


@njit(cache=True)
def zero_shift_qr_sweep(d, e, Ut, Vt, lo, hi):
    """One Demmel–Kahan zero-shift QR step on ``B[lo:hi+1, lo:hi+1]``.

    With shift 0 the bulge chase needs no subtraction at all, so every entry of
    ``B`` is computed to high relative accuracy and so are its tiny singular values.
    """
    cs = 1.0
    old_cs = 1.0
    old_sn = 0.0
    for i in range(lo, hi):
        cs, sn, r = givens(d[i] * cs, e[i])
        if i > lo:
            e[i - 1] = old_sn * r
        old_cs, old_sn, d[i] = givens(old_cs * r, d[i + 1] * sn)
        rotate_rows(Vt, i, i + 1, cs, sn)
        rotate_rows(Ut, i, i + 1, old_cs, old_sn)
    h = d[hi] * cs
    d[hi] = h * old_cs
    e[hi - 1] = h * old_sn


@njit(cache=True)
def bidiagonal_svd(d, e, Ut, Vt):
    """Diagonalise the upper bidiagonal ``B = bidiag(d, e)`` in place by QR sweeps.

    Rotations from the left are applied to the rows of ``Ut`` and from the right to
    the rows of ``Vt`` (pass arrays with zero columns to skip them). On return ``d``
    holds the singular values, non-negative and sorted descending, with the rows
    of ``Ut`` and ``Vt`` permuted and signed to match. Returns the number of
    rotation steps taken (the sum of the block sizes swept), or -1 if the
    iteration did not converge within ``6 n^2`` of them.
    """
    n = d.shape[0]
    steps = 0
    if n == 0:
        return steps
    s_max = 0.0
    for i in range(n):
        s_max = max(s_max, abs(d[i]))
    for i in range(n - 1):
        s_max = max(s_max, abs(e[i]))
    if s_max > 0.0:
        # Demmel–Kahan: with mu_0 = |d_0|, mu_{j+1} = |d_{j+1}| mu_j / (mu_j + |e_j|),
        # min_j mu_j = 1 / ||B^{-1}||_inf, so sigma_min(B) >= min_j mu_j / sqrt(n).
        # Entries below REL_TOL times that bound can be dropped without touching
        # any singular value's leading digits.
        mu = abs(d[0])
        s_min = mu
        for j in range(n - 1):
            if mu == 0.0:
                break
            mu = abs(d[j + 1]) * (mu / (mu + abs(e[j])))
            s_min = min(s_min, mu)
        # (floored a little above underflow, where relative accuracy ends anyway)
        threshold = max(REL_TOL * s_min / np.sqrt(n), n * n * TINY)

        max_steps = MAX_SWEEP_FACTOR * n * n
        hi = n - 1
        while hi > 0:
            if steps > max_steps:
                return -1
            # the unreduced block B[lo:hi+1, lo:hi+1]: e[lo-1] is negligible
            if abs(d[hi]) <= threshold:
                d[hi] = 0.0
            block_max = abs(d[hi])
            lo = 0
            for j in range(hi - 1, -1, -1):
                if abs(e[j]) <= threshold:
                    e[j] = 0.0
                    lo = j + 1
                    break
                if abs(d[j]) <= threshold:
                    d[j] = 0.0
                block_max = max(block_max, abs(d[j]), abs(e[j]))
            if lo == hi:
                hi -= 1
                continue
            # a zero on the diagonal: B is singular, rotate the zero out to split
            zero_at = -1
            for j in range(lo, hi + 1):
                if d[j] == 0.0:
                    zero_at = j
                    break
            if zero_at >= 0:
                if zero_at < hi:
                    chase_zero_diagonal_row(d, e, Ut, zero_at, hi)
                else:
                    chase_zero_diagonal_column(d, e, Vt, lo, hi)
                continue
            # relative convergence tests (Demmel–Kahan criterion 1), top to bottom
            if abs(e[hi - 1]) <= REL_TOL * abs(d[hi]):
                e[hi - 1] = 0.0
                continue
            mu = abs(d[lo])
            block_min = mu
            split = False
            for j in range(lo, hi):
                if abs(e[j]) <= REL_TOL * mu:
                    e[j] = 0.0
                    split = True
                    break
                mu = abs(d[j + 1]) * (mu / (mu + abs(e[j])))
                block_min = min(block_min, mu)
            if split:
                continue
            # Shift: the smaller singular value of the trailing 2x2. On a block so
            # ill-conditioned that subtracting the shift would wipe out the digits of
            # its smallest singular values, sweep with shift 0 instead.
            _, shift = singular_values_2x2(d[hi - 1], e[hi - 1], d[hi])
            if (hi - lo + 1) * REL_TOL * (block_min / block_max) <= EPS:
                shift = 0.0
            elif (shift / block_max) ** 2 <= EPS:
                shift = 0.0
            if shift == 0.0:
                zero_shift_qr_sweep(d, e, Ut, Vt, lo, hi)
            else:
                shifted_qr_sweep(d, e, Ut, Vt, lo, hi, shift)
            steps += hi - lo
    # sigma_i = |d_i|: a negative d_i is made positive by flipping v_i
    for i in range(n):
        if d[i] < 0.0:
            d[i] = -d[i]
            for j in range(Vt.shape[1]):
                Vt[i, j] = -Vt[i, j]
    # selection sort, descending; each swap moves a pair of singular vectors
    for i in range(n - 1):
        k = i
        for j in range(i + 1, n):
            if d[j] > d[k]:
                k = j
        if k != i:
            d[i], d[k] = d[k], d[i]
            for j in range(Ut.shape[1]):
                Ut[i, j], Ut[k, j] = Ut[k, j], Ut[i, j]
            for j in range(Vt.shape[1]):
                Vt[i, j], Vt[k, j] = Vt[k, j], Vt[i, j]
    return steps
