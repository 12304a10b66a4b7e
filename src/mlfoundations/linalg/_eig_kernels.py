"""Numba kernels behind :func:`mlfoundations.linalg.eig`: the real Schur form.

The first three stages of the nonsymmetric eigenproblem, each a loop that is the
algorithm (the fourth, eigenvectors from the Schur form, is in ``eig.py``):

1. ``balance``: permutation and diagonal similarity D^-1 P^T A P D, D powers of
   two (Parlett & Reinsch).
2. ``hessenberg``: Householder reduction Q^T A Q = H, H upper Hessenberg
   (Golub & Van Loan Alg. 7.4.2).
3. ``real_schur``: Francis implicit double-shift QR with deflation, H -> T real
   quasi-upper-triangular, accumulating Z^T (Golub & Van Loan Alg. 7.5.1, 7.5.2).

Private: the public wrapper validates its input; these trust theirs (float64,
C-contiguous, square, finite).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._reflectors import apply_householder_left, apply_householder_right, givens, householder

_EPS = np.finfo(np.float64).eps
_TINY = np.finfo(np.float64).tiny
# Balancing never scales a row by more than this in one sweep, nor in total
# beyond _D_RANGE (keeps every entry of D a finite power of two).
_BALANCE_FACTOR_MAX = 2.0**60
_D_RANGE = (2.0**-1000, 2.0**1000)


@njit(cache=True)
def _swap(A, perm, i, j):
    """A <- P^T A P for the transposition P of i and j (rows and columns)."""
    if i == j:
        return
    n = A.shape[0]
    for k in range(n):
        t = A[i, k]
        A[i, k] = A[j, k]
        A[j, k] = t
    for k in range(n):
        t = A[k, i]
        A[k, i] = A[k, j]
        A[k, j] = t
    t = perm[i]
    perm[i] = perm[j]
    perm[j] = t


@njit(cache=True)
def _isolate(A, perm):
    """Permute A in place to block upper triangular form; return (lo, hi).

    A row whose off-diagonal entries in columns 0..hi are all zero holds an
    eigenvalue, its diagonal entry, exactly: it is moved to position hi, and hi
    shrinks. Likewise a column with zeros in rows lo..hi off the diagonal goes to
    position lo. Afterwards A[:lo, :lo] and A[hi+1:, hi+1:] are upper triangular
    with zeros below them, and only A[lo:hi+1, lo:hi+1] needs the QR iteration.
    """
    n = A.shape[0]
    lo = 0
    hi = n - 1
    found = True
    while found and hi > 0:
        found = False
        for j in range(hi, -1, -1):
            isolated = True
            for k in range(hi + 1):
                if k != j and A[j, k] != 0.0:
                    isolated = False
                    break
            if isolated:
                _swap(A, perm, j, hi)
                hi -= 1
                found = True
                break
    found = True
    while found and lo < hi:
        found = False
        for j in range(lo, hi + 1):
            isolated = True
            for k in range(lo, hi + 1):
                if k != j and A[k, j] != 0.0:
                    isolated = False
                    break
            if isolated:
                _swap(A, perm, j, lo)
                lo += 1
                found = True
                break
    return lo, hi


@njit(cache=True)
def _scaled_norm(A, i, lo, hi, column):
    """2-norm of A[lo:hi+1, i] (column) or A[i, lo:hi+1], summed on its own scale."""
    big = 0.0
    for j in range(lo, hi + 1):
        big = max(big, abs(A[j, i] if column else A[i, j]))
    if big == 0.0:
        return 0.0
    total = 0.0
    for j in range(lo, hi + 1):
        total += ((A[j, i] if column else A[i, j]) / big) ** 2
    return big * np.sqrt(total)


@njit(cache=True)
def balance(A):
    """Balance A in place to D^-1 P^T A P D; return (d, perm), d = diag(D).

    Two steps (Parlett & Reinsch). First a permutation P isolates the
    eigenvalues that can be read off exactly (``_isolate``). Then, on the
    remaining block, each sweep picks for every i the power of two f that best
    equalises the 2-norms of column i and row i (c f ~ r / f) and applies it when
    c + r drops by at least 5%. Powers of two make the scaling exact, so the
    eigenvalues are untouched while ||A|| may shrink by orders of magnitude, and
    the QR iteration's backward error is proportional to ||A||. The norms include
    the diagonal entry (James, Langou & Lowery 2014): a dominant diagonal then
    damps the scaling, which otherwise can grow D without bound on nearly
    triangular matrices and wreck the eigenvectors' backward error.

    The eigenvectors of the original A are v = P D u for u those of the result:
    v[perm[i]] = d[i] u[i].
    """
    n = A.shape[0]
    d = np.ones(n)
    perm = np.arange(n)
    lo, hi = _isolate(A, perm)
    converged = False
    while not converged:
        converged = True
        for i in range(lo, hi + 1):
            c = _scaled_norm(A, i, lo, hi, True)
            r = _scaled_norm(A, i, lo, hi, False)
            if c == 0.0 or r == 0.0:
                continue
            s = c + r
            f = 1.0
            # c f^2 ~ r: move c by factors of 4 until it sits in [r/2, 2r)
            g = r / 2.0
            while c < g and f < _BALANCE_FACTOR_MAX:
                f *= 2.0
                c *= 4.0
            g = r * 2.0
            while c >= g and f > 1.0 / _BALANCE_FACTOR_MAX:
                f /= 2.0
                c /= 4.0
            # (c + r) / f is the new column-plus-row norm c_old f + r / f
            if (c + r) / f < 0.95 * s and _D_RANGE[0] <= d[i] * f <= _D_RANGE[1]:
                converged = False
                d[i] *= f
                for j in range(n):
                    A[i, j] /= f
                for j in range(n):
                    A[j, i] *= f
    return d, perm


@njit(cache=True)
def hessenberg(H, Qt, want_q):
    """Reduce H in place to upper Hessenberg form; if ``want_q``, Qt (n x n) gets Q^T.

    Step k reflects H[k+1:, k] onto a multiple of e_1 from both sides, so
    H <- P_k H P_k keeps the similarity. Q^T = P_{n-3} ... P_1 P_0 is accumulated
    from the left end (Golub & Van Loan 5.1.6): P_k only touches rows and columns
    > k, which keeps the cost at 4/3 n^3 instead of 2 n^3. Q^T rather than Q
    because the QR iteration updates Z^T along rows.
    """
    n = H.shape[0]
    vs = np.zeros((max(n - 2, 0), n))
    betas = np.zeros(max(n - 2, 0))
    for k in range(n - 2):
        m = n - k - 1
        x = np.empty(m)
        for i in range(m):
            x[i] = H[k + 1 + i, k]
        v, beta, alpha = householder(x)
        betas[k] = beta
        vs[k, :m] = v
        if beta == 0.0:
            continue
        apply_householder_left(H, v, beta, k + 1, k + 1, n)
        apply_householder_right(H, v, beta, 0, n, k + 1)
        H[k + 1, k] = alpha
        for i in range(k + 2, n):
            H[i, k] = 0.0
    if want_q:
        for i in range(n):
            for j in range(n):
                Qt[i, j] = 0.0
            Qt[i, i] = 1.0
        for k in range(n - 3, -1, -1):
            m = n - k - 1
            apply_householder_right(Qt, vs[k, :m], betas[k], k + 1, n, k + 1)


@njit(cache=True)
def _apply_rotation(H, Zt, i, c, s, want_schur):
    """H <- G^T H G on rows/cols (i, i+1), G = [[c, -s], [s, c]]; Z^T <- G^T Z^T."""
    n = H.shape[0]
    for j in range(i, n):
        t1 = H[i, j]
        t2 = H[i + 1, j]
        H[i, j] = c * t1 + s * t2
        H[i + 1, j] = -s * t1 + c * t2
    for r in range(i + 2):
        t1 = H[r, i]
        t2 = H[r, i + 1]
        H[r, i] = c * t1 + s * t2
        H[r, i + 1] = -s * t1 + c * t2
    if want_schur:
        for j in range(n):
            t1 = Zt[i, j]
            t2 = Zt[i + 1, j]
            Zt[i, j] = c * t1 + s * t2
            Zt[i + 1, j] = -s * t1 + c * t2


@njit(cache=True)
def _deflate_2x2(H, Zt, i, wr, wi, want_schur):
    """Eigenvalues of the deflated block H[i:i+2, i:i+2] = [[a, b], [c, d]].

    lambda = d + p +- sqrt(p^2 + b c) with p = (a - d) / 2. A complex pair is left
    as a 2x2 block of T (the real Schur form); a real pair is rotated to upper
    triangular form by the Givens rotation whose first column is the eigenvector
    [z, c] of lambda_1 = d + z, so every remaining 2x2 block of T is complex.
    """
    a = H[i, i]
    b = H[i, i + 1]
    c = H[i + 1, i]
    d = H[i + 1, i + 1]
    p = 0.5 * (a - d)
    # discriminant on a scale where squaring cannot overflow
    sc = max(abs(p), max(abs(b), abs(c)))
    disc = 0.0
    if sc > 0.0:
        disc = (p / sc) * (p / sc) + (b / sc) * (c / sc)
    if disc >= 0.0:
        # z = p + sign(p) sqrt(disc): the root without cancellation, then the
        # second from lambda_1 lambda_2 = a d - b c, i.e. lambda_2 = d - b c / z
        z = p + np.copysign(sc * np.sqrt(disc), p)
        lam1 = d + z
        lam2 = d
        if z != 0.0:
            lam2 = d - (b / z) * c
        if want_schur:
            cs, sn, _ = givens(z, c)
            _apply_rotation(H, Zt, i, cs, sn, want_schur)
            H[i, i] = lam1
            H[i + 1, i + 1] = lam2
            H[i + 1, i] = 0.0
        wr[i] = lam1
        wr[i + 1] = lam2
        wi[i] = 0.0
        wi[i + 1] = 0.0
    else:
        im = sc * np.sqrt(-disc)
        wr[i] = d + p
        wr[i + 1] = d + p
        wi[i] = im
        wi[i + 1] = -im


@njit(cache=True)
def _reflect3_rows(A, v1, v2, beta, r, c0, c1):
    """A[r:r+3, c0:c1] <- (I - beta v v^T) A[r:r+3, c0:c1] with v = (1, v1, v2).

    The bulge chase applies some 10^5 reflectors of length 3 at n = 200; written
    out, they run without the work vector the general kernel allocates per call.
    """
    for j in range(c0, c1):
        s = beta * (A[r, j] + v1 * A[r + 1, j] + v2 * A[r + 2, j])
        A[r, j] -= s
        A[r + 1, j] -= s * v1
        A[r + 2, j] -= s * v2


@njit(cache=True)
def _reflect3_cols(A, v1, v2, beta, r0, r1, c):
    """A[r0:r1, c:c+3] <- A[r0:r1, c:c+3] (I - beta v v^T) with v = (1, v1, v2)."""
    for i in range(r0, r1):
        s = beta * (A[i, c] + v1 * A[i, c + 1] + v2 * A[i, c + 2])
        A[i, c] -= s
        A[i, c + 1] -= s * v1
        A[i, c + 2] -= s * v2


@njit(cache=True)
def _francis_step(H, Zt, lo, hi, want_schur, exceptional):
    """One implicit double-shift QR step on the unreduced block H[lo:hi+1, lo:hi+1].

    The shifts are the eigenvalues of the trailing 2x2 block (or, every 10th step
    without a deflation, Wilkinson's exceptional shifts that break cycles). Only the
    first column of (H - s1 I)(H - s2 I) is formed; a 3-element reflector puts the
    bulge in, and further reflectors chase it down the subdiagonal. ``Zt`` holds
    Z^T so that accumulating Z <- Z P is a sweep along three contiguous rows.
    """
    n = H.shape[0]
    # shifts: the eigenvalues of [[a, b], [c, d]], the trailing 2x2 block, or
    # Wilkinson's ad hoc exceptional pair diag +- i sqrt(0.4375) t
    if exceptional:
        t = abs(H[hi, hi - 1]) + abs(H[hi - 1, hi - 2])
        a = H[hi, hi] + 0.75 * t
        d = a
        b = np.sqrt(0.4375) * t
        c = -b
    else:
        a = H[hi - 1, hi - 1]
        b = H[hi - 1, hi]
        c = H[hi, hi - 1]
        d = H[hi, hi]
    h11 = H[lo, lo]
    h12 = H[lo, lo + 1]
    h21 = H[lo + 1, lo]
    h22 = H[lo + 1, lo + 1]
    h32 = H[lo + 2, lo + 1]
    # first column of (H - s1 I)(H - s2 I) = H^2 - (a + d) H + (a d - b c) I,
    # three nonzeros, each a sum of products of two entries: computed divided by
    # sigma^2, sigma a sum of the entries involved, so no product under- or
    # overflows unless the entries themselves span the whole exponent range
    sigma = (
        abs(h11) + abs(h12) + abs(h21) + abs(h22) + abs(h32)
        + abs(a) + abs(b) + abs(c) + abs(d)
    )
    h11 /= sigma
    h12 /= sigma
    h21 /= sigma
    h22 /= sigma
    h32 /= sigma
    a /= sigma
    b /= sigma
    c /= sigma
    d /= sigma
    x = (h11 - a) * (h11 - d) - b * c + h12 * h21
    y = h21 * (h11 + h22 - a - d)
    z = h21 * h32

    c_end = n if want_schur else hi + 1
    r_start = 0 if want_schur else lo
    u = np.empty(3)
    for k in range(lo, hi - 1):
        u[0] = x
        u[1] = y
        u[2] = z
        v, beta, alpha = householder(u)
        if beta != 0.0:
            _reflect3_rows(H, v[1], v[2], beta, k, max(k - 1, lo), c_end)
            _reflect3_cols(H, v[1], v[2], beta, r_start, min(k + 4, hi + 1), k)
            if want_schur:
                _reflect3_rows(Zt, v[1], v[2], beta, k, 0, n)
        if k > lo:
            # the bulge moved one column on: column k-1 is exactly alpha e_1
            H[k, k - 1] = alpha
            H[k + 1, k - 1] = 0.0
            H[k + 2, k - 1] = 0.0
        x = H[k + 1, k]
        y = H[k + 2, k]
        if k < hi - 2:
            z = H[k + 3, k]
    u2 = np.empty(2)
    u2[0] = x
    u2[1] = y
    v, beta, alpha = householder(u2)
    k = hi - 1
    if beta != 0.0:
        apply_householder_left(H, v, beta, k, k - 1, c_end)
        apply_householder_right(H, v, beta, r_start, hi + 1, k)
        if want_schur:
            apply_householder_left(Zt, v, beta, k, 0, n)
    H[k, k - 1] = alpha
    H[k + 1, k - 1] = 0.0


@njit(cache=True)
def _negligible(H, k, hnorm, small, strict):
    """Whether the subdiagonal H[k, k-1] may be set to zero.

    If ``strict``, two tests must agree. The classic one, |h_{k,k-1}| <= eps
    (|h_{k-1,k-1}| + |h_{kk}|), perturbs H by at most eps ||H||. Ahues and
    Tisseur's, |h_{k,k-1}| |h_{k-1,k}| <= eps |h_{kk}| |h_{k-1,k-1} - h_{kk}| (the
    off-diagonal pair small against the diagonal gap), keeps the small
    eigenvalues of graded (e.g. balanced) matrices, and their eigenvectors,
    accurate to high relative precision.

    Otherwise (the iteration has stalled) the test is only |h_{k,k-1}| <= eps
    max|h_ij|: still a perturbation below eps ||H||, so the result stays
    backward stable, but eigenvalues much smaller than ||H|| lose their
    relative accuracy.
    """
    sub = abs(H[k, k - 1])
    if sub <= small:
        return True
    if not strict:
        return sub <= _EPS * hnorm
    s = abs(H[k - 1, k - 1]) + abs(H[k, k])
    if s == 0.0:
        s = hnorm
    if sub > _EPS * s:
        return False
    sup = abs(H[k - 1, k])
    off_big = max(sub, sup)
    off_small = min(sub, sup)
    gap = abs(H[k - 1, k - 1] - H[k, k])
    diag_big = max(abs(H[k, k]), gap)
    diag_small = min(abs(H[k, k]), gap)
    # both sides divided by off_big + diag_big, so that neither product overflows
    total = off_big + diag_big
    return off_small * (off_big / total) <= max(small, _EPS * diag_small * (diag_big / total))


@njit(cache=True)
def real_schur(H, Zt, wr, wi, want_schur, max_iter):
    """Francis QR on the Hessenberg H; eigenvalues into (wr, wi). Returns 0 on success.

    H[k, k-1] is set to zero (deflation) once it is negligible (``_negligible``:
    Golub & Van Loan's test and Ahues & Tisseur's); the active window is the
    unreduced block ending at row ``hi``. A 1x1 block yields a real eigenvalue, a
    2x2 block a pair. With ``want_schur``
    the whole of H is updated into T = Z^T A Z and Zt = Z^T (holding Q^T on entry)
    is accumulated; otherwise only the active window is touched. After ``max_iter``
    QR steps in total the kernel gives up and returns the number of eigenvalues
    not yet found (> 0).
    """
    n = H.shape[0]
    hnorm = 0.0
    for i in range(n):
        for j in range(n):
            hnorm = max(hnorm, abs(H[i, j]))
    small = _TINY * (n / _EPS)  # below this a subdiagonal entry is noise whatever s
    hi = n - 1
    its = 0
    total = 0
    while hi >= 0:
        lo = hi
        while lo > 0:
            # after 10 steps without a deflation the test is relaxed: on graded
            # windows the bulge chase can stall once the tails of its reflectors
            # fall below the underflow threshold relative to their heads (about
            # 1e-154), and the strict tests then wait for ever
            if _negligible(H, lo, hnorm, small, its < 10):
                H[lo, lo - 1] = 0.0
                break
            lo -= 1
        if lo == hi:
            wr[hi] = H[hi, hi]
            wi[hi] = 0.0
            hi -= 1
            its = 0
            continue
        if lo == hi - 1:
            _deflate_2x2(H, Zt, hi - 1, wr, wi, want_schur)
            hi -= 2
            its = 0
            continue
        if total >= max_iter:
            return hi + 1
        _francis_step(H, Zt, lo, hi, want_schur, its > 0 and its % 10 == 0)
        its += 1
        total += 1
    return 0
