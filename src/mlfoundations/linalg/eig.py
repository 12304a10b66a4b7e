"""Eigenvalues and eigenvectors of a general real square matrix.

A v = lambda v is solved the way LAPACK's driver does it, written out in four
stages (the first three are the numba kernels of ``_eig_kernels.py``, the fourth
is here):

1. balance: B = D^-1 P^T A P D, P a permutation that isolates eigenvalues readable
   off the diagonal, D diagonal of powers of two (Parlett & Reinsch), which
   shrinks ||B|| and so the backward error of everything that follows;
2. Hessenberg reduction B = Q H Q^T by Householder reflectors (GVL Alg. 7.4.2);
3. Francis implicit double-shift QR with deflation, H = U T U^T, T real
   quasi-upper-triangular (the real Schur form: 1x1 blocks for real eigenvalues,
   2x2 blocks for complex pairs; GVL Alg. 7.5.1/7.5.2);
4. eigenvectors of T by back substitution (``schur_eigenvectors``), mapped back
   by v = P D Q U x.

References: G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., Johns
Hopkins, 2013, sections 7.4-7.6; B. N. Parlett and C. Reinsch, "Balancing a matrix
for calculation of eigenvalues and eigenvectors", Numer. Math. 13 (1969) 293-304.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from .._validation import as_square_matrix
from ..exceptions import LinAlgError
from ._eig_kernels import balance, hessenberg, real_schur

__all__ = ["EigResult", "eig", "eigvals"]

# Francis steps allowed per row of A before giving up (the budget is 30 n in total).
_ITERATIONS_PER_ROW = 30
# Moduli this close (relatively) to a column's largest count as ties for the phase.
_PHASE_TIE_RTOL = 1e-10
# max |a_ij| outside this range: A is rescaled by a power of two first.
_SAFE_RANGE = (1e-100, 1e100)
_EPS = np.finfo(np.float64).eps
_TINY = np.finfo(np.float64).tiny
# Eigenvector back substitution keeps |x_j| <= _GROW and divides by at most _BIG.
_GROW = 1e100
_BIG = 1e200


class EigResult(NamedTuple):
    """Eigenvalues w (n,) and unit eigenvectors V (n, n) with A V = V diag(w)."""

    eigenvalues: np.ndarray
    eigenvectors: np.ndarray


@njit(cache=True)
def _solve_2x2(a11, a12, a21, a22, b1, b2, smin):
    """Solve [[a11, a12], [a21, a22]] y = b (complex) by complete pivoting.

    Pivots smaller than ``smin`` are replaced by ``smin`` (the eigenvalue of a
    repeated block perturbed by eps |lambda|). Returns (y1, y2, scale) where the
    right-hand side was multiplied by ``scale`` <= 1 to keep y finite.
    """
    # one complex type for every entry, whichever came in real
    a11 = a11 + 0j
    a12 = a12 + 0j
    a21 = a21 + 0j
    a22 = a22 + 0j
    m = np.array([abs(a11), abs(a12), abs(a21), abs(a22)])
    piv = np.argmax(m)
    swap_cols = piv == 1 or piv == 3
    if piv == 0:
        p, q, r, s, c1, c2 = a11, a12, a21, a22, b1, b2
    elif piv == 1:
        p, q, r, s, c1, c2 = a12, a11, a22, a21, b1, b2
    elif piv == 2:
        p, q, r, s, c1, c2 = a21, a22, a11, a12, b2, b1
    else:
        p, q, r, s, c1, c2 = a22, a21, a12, a11, b2, b1
    if abs(p) < smin:
        p = complex(smin, 0.0)
    mult = r / p
    s = s - mult * q
    c2 = c2 - mult * c1
    if abs(s) < smin:
        s = complex(smin, 0.0)
    scale = 1.0
    bound = max(abs(c1), abs(c2))
    if abs(s) < 1.0 and 4.0 * bound > abs(s) * _BIG:
        scale = abs(s) * _BIG / (4.0 * bound)
        c1 *= scale
        c2 *= scale
    u2 = c2 / s
    u1 = (c1 - q * u2) / p
    if swap_cols:
        return u2, u1, scale
    return u1, u2, scale


@njit(cache=True)
def _back_substitute(T, lam, x, top, i, smin):
    """Rows i, i-1, ..., 0 of (T - lam I) x = 0, with x[i+1:top+1] already known."""
    while i >= 0:
        if i > 0 and T[i, i - 1] != 0.0:
            r1 = 0j
            r2 = 0j
            for j in range(i + 1, top + 1):
                r1 -= T[i - 1, j] * x[j]
                r2 -= T[i, j] * x[j]
            y1, y2, scale = _solve_2x2(
                T[i - 1, i - 1] - lam, T[i - 1, i], T[i, i - 1], T[i, i] - lam, r1, r2, smin
            )
            if scale != 1.0:
                for j in range(i + 1, top + 1):
                    x[j] *= scale
            x[i - 1] = y1
            x[i] = y2
            new = i - 1
            i -= 2
        else:
            r = 0j
            for j in range(i + 1, top + 1):
                r -= T[i, j] * x[j]
            den = T[i, i] - lam
            if abs(den) < smin:
                den = complex(smin, 0.0)
            if abs(den) < 1.0 and abs(r) > abs(den) * _BIG:
                scale = abs(den) * _BIG / abs(r)
                for j in range(i + 1, top + 1):
                    x[j] *= scale
                r *= scale
            x[i] = r / den
            new = i
            i -= 1
        # rescale so the next right-hand sides cannot overflow
        big = 0.0
        for j in range(new, top + 1):
            big = max(big, abs(x[j]))
        if big > _GROW:
            for j in range(new, top + 1):
                x[j] /= big


@njit(cache=True)
def _max_modulus(x, top):
    """max |x_i| over i <= top."""
    big = 0.0
    for i in range(top + 1):
        big = max(big, abs(x[i]))
    return big


@njit(cache=True)
def schur_eigenvectors(T, wr, wi):
    """Eigenvectors of the real Schur form T, packed in a real n x n matrix X.

    For a real eigenvalue lambda_k, column k is x with x_k = 1, x_j = 0 for j > k
    and the rows above solved from (T - lambda_k I) x = 0 bottom-up. For a pair
    lambda = wr + i wi (wi > 0) in rows (k, k+1), x starts from the eigenvector of
    the 2x2 block and columns k, k+1 hold Re x and Im x (the conjugate pair's
    vector is their conjugate); each x is scaled to max |x_i| = 1. Near-singular
    diagonal pivots are replaced by smin = max(eps |lambda|, tiny n / eps), which
    perturbs T by no more than a backward-stable step would.
    """
    n = T.shape[0]
    X = np.zeros((n, n))
    x = np.zeros(n, dtype=np.complex128)
    small = _TINY * (n / _EPS)
    k = n - 1
    while k >= 0:
        if wi[k] == 0.0:
            lam = complex(wr[k], 0.0)
            smin = max(_EPS * abs(wr[k]), small)
            x[k] = 1.0
            _back_substitute(T, lam, x, k, k - 1, smin)
            big = _max_modulus(x, k)
            for i in range(k + 1):
                X[i, k] = x[i].real / big
            k -= 1
        else:
            j = k - 1  # the pair occupies rows j, k; wi[j] > 0
            lam = complex(wr[j], wi[j])
            smin = max(_EPS * (abs(wr[j]) + abs(wi[j])), small)
            b = T[j, k]
            c = T[k, j]
            # (B - lam I) y = 0 for B = [[a, b], [c, d]]: from the row with the
            # larger off-diagonal entry, y = [(lam - d) / c, 1] or [1, (lam - a) / b]
            if abs(c) >= abs(b):
                x[j] = (lam - T[k, k]) / c
                x[k] = 1.0
            else:
                x[j] = 1.0
                x[k] = (lam - T[j, j]) / b
            _back_substitute(T, lam, x, k, j - 1, smin)
            big = _max_modulus(x, k)
            for i in range(k + 1):
                X[i, j] = x[i].real / big
                X[i, k] = x[i].imag / big
            k -= 2
    return X


def _schur_eigenvalues(A, want_vectors: bool):
    """Scale, balance, reduce and iterate.

    Returns (wr, wi, T, Zt, d, perm, power) with A = power P D Z T Z^T D^-1 P^T
    (P the permutation ``perm``) and wr + i wi the eigenvalues of T.
    """
    n = A.shape[0]
    H = np.array(A, dtype=np.float64, order="C", copy=True)
    # far from 1, entries near under/overflow spoil the QR sweeps and the back
    # substitution: work on A / 2^k (exact) and scale the eigenvalues back
    a_max = np.abs(H).max()
    power = 1.0
    if a_max > 0.0 and not _SAFE_RANGE[0] <= a_max <= _SAFE_RANGE[1]:
        power = 2.0 ** np.round(np.log2(a_max))
        H /= power
    d, perm = balance(H)
    Zt = np.empty((n, n) if want_vectors else (0, 0))
    hessenberg(H, Zt, want_vectors)
    wr = np.empty(n)
    wi = np.empty(n)
    max_iter = _ITERATIONS_PER_ROW * n
    remaining = real_schur(H, Zt, wr, wi, want_vectors, max_iter)
    if remaining:
        raise LinAlgError(
            f"eig did not converge: {remaining} of {n} eigenvalues were still not "
            f"deflated after {max_iter} Francis QR steps ({_ITERATIONS_PER_ROW} per row)"
        )
    return wr, wi, H, Zt, d, perm, power


def _eigenvalues(wr: np.ndarray, wi: np.ndarray, power: float) -> np.ndarray:
    if np.any(wi != 0.0):
        return power * (wr + 1j * wi)
    return power * wr


def _scale_rows(Y: np.ndarray, d: np.ndarray, wi: np.ndarray) -> np.ndarray:
    """D Y, each column (or Re/Im pair of columns) divided by a power of two.

    The entries of D can reach 2^+-1000, so D Y is formed with exponent
    arithmetic: column k is shifted by the exponent of max_i d_i |y_ik|, which
    keeps it finite and its largest entry in [1/2, 1) before normalisation.
    """
    modulus = np.abs(Y)
    for k in np.flatnonzero(wi > 0.0):
        modulus[:, k] = modulus[:, k + 1] = np.hypot(Y[:, k], Y[:, k + 1])
    d_exp = np.frexp(d)[1] - 1  # d_i = 2^d_exp_i exactly
    mantissa, y_exp = np.frexp(modulus)
    col_exp = np.where(mantissa > 0, y_exp + d_exp[:, None], np.iinfo(np.int32).min).max(axis=0)
    return np.ldexp(Y, d_exp[:, None] - col_exp[None, :])


def _normalise_columns(V: np.ndarray) -> np.ndarray:
    """Unit 2-norm columns, then the largest-|entry| of each column made real positive.

    Entries within a relative 1e-10 of the largest modulus count as tied and the
    first of them is used, so that roundoff cannot flip the sign of, e.g.,
    (1, -1) / sqrt(2) from one platform to the next.
    """
    V = V / np.linalg.norm(V, axis=0)
    modulus = np.abs(V)
    peak = np.argmax(modulus >= (1.0 - _PHASE_TIE_RTOL) * modulus.max(axis=0), axis=0)
    cols = np.arange(V.shape[1])
    p = V[peak, cols]
    V = V * (np.conj(p) / np.abs(p))
    if np.iscomplexobj(V):
        V[peak, cols] = V[peak, cols].real  # drop the roundoff left in the imaginary part
    return V


def eig(A) -> EigResult:
    """Eigenvalues and right eigenvectors of a general real square matrix.

    Parameters
    ----------
    A : (n, n) array_like
        Real square matrix, finite entries. Symmetric input is accepted (it is a
        general matrix too) but ``eigh`` is the better tool for it.

    Returns
    -------
    EigResult
        Named tuple ``(eigenvalues, eigenvectors)``:

        eigenvalues : (n,) ndarray
            float64 when every eigenvalue is real, complex128 as soon as one
            complex-conjugate pair appears. Pairs are adjacent, the one with
            positive imaginary part first.
        eigenvectors : (n, n) ndarray
            Column ``V[:, i]`` is a unit 2-norm eigenvector of ``eigenvalues[i]``;
            float64 or complex128 like the eigenvalues. The columns of a conjugate
            pair are conjugates of each other.

    Raises
    ------
    ValueError
        If ``A`` is not a square 2-D matrix or holds NaN or inf.
    TypeError
        If ``A`` is not numeric.
    LinAlgError
        If the QR iteration has not deflated every eigenvalue after 30 n Francis
        steps.

    Notes
    -----
    Solves A v = lambda v by the real Schur decomposition:

    1. balancing B = D^{-1} P^T A P D: the permutation P moves rows and columns
       that are zero off the diagonal to the ends (their diagonal entries are
       eigenvalues, found exactly), the diagonal D of powers of two (exact)
       equalises row and column norms of the rest;
    2. Hessenberg reduction H = Q^T B Q by n - 2 Householder reflectors;
    3. Francis double-shift QR: repeated implicit steps with shifts the eigenvalues
       of the trailing 2x2 block of the active window (Wilkinson's exceptional
       shifts every 10th step without a deflation), until T = U^T H U is quasi upper
       triangular. A subdiagonal entry is set to zero when |h_{k,k-1}| <=
       eps (|h_{k-1,k-1}| + |h_{kk}|) and, as Ahues & Tisseur propose,
       |h_{k,k-1} h_{k-1,k}| <= eps |h_{kk}| |h_{k-1,k-1} - h_{kk}| (after 10
       steps without a deflation, only |h_{k,k-1}| <= eps max|h_ij|). A 2x2
       diagonal block with real eigenvalues is rotated to triangular form, so
       the 2x2 blocks of T are exactly the complex pairs;
    4. for each eigenvalue, (T - lambda I) x = 0 by back substitution on T
       (x_k = 1, x_j = 0 for j > k; for a pair, x starts from the eigenvector of
       its 2x2 block), then v = P D Q U x.

    A whose largest entry lies outside [1e-100, 1e100] is first divided by a
    power of two near it (exact), and the eigenvalues multiplied back.

    The cost is about 25 n^3 flops with eigenvectors. The computed eigenvalues are
    exact for a matrix within O(eps ||B||) of B, so an eigenvalue lambda_i is
    accurate to about eps ||B|| kappa_i, kappa_i its condition number. For a
    defective (non-diagonalisable) A, kappa_i is infinite: an eigenvalue of a
    Jordan block of size m moves by O(eps^{1/m}) and its computed eigenvectors
    are nearly parallel.

    Conventions (deterministic, unlike LAPACK's): eigenvalues come in the order
    they stand on the diagonal of T, top to bottom (not sorted); each eigenvector
    is scaled to unit 2-norm and then rotated so that its entry of largest modulus
    is real and positive (the first such entry when several moduli agree to a
    relative 1e-10).

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013,
    Algorithms 7.4.2, 7.5.1, 7.5.2 and section 7.6.
    B. N. Parlett and C. Reinsch, Balancing a matrix for calculation of eigenvalues
    and eigenvectors, *Numer. Math.* 13 (1969), 293-304.
    R. James, J. Langou and B. R. Lowery, On matrix balancing and eigenvector
    computation, arXiv:1401.5766 (2014).
    M. Ahues and F. Tisseur, A new deflation criterion for the QR algorithm,
    LAPACK Working Note 122 (1997).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import eig
    >>> A = np.array([[4.0, 2.0], [1.0, 3.0]])
    >>> w, V = eig(A)
    >>> np.sort(w)
    array([2., 5.])
    >>> bool(np.allclose(A @ V, V * w))
    True
    >>> w, V = eig([[0.0, -1.0], [1.0, 0.0]])  # a rotation by 90 degrees
    >>> w
    array([0.+1.j, 0.-1.j])
    """
    A = as_square_matrix(A, "A")
    n = A.shape[0]
    if n == 0:
        return EigResult(np.empty(0), np.empty((0, 0)))
    wr, wi, T, Zt, d, perm, power = _schur_eigenvalues(A, want_vectors=True)
    # V = P D Z X: X holds x (real eigenvalue) or Re x, Im x (a pair) column by column
    V = np.empty((n, n))
    V[perm] = _scale_rows(Zt.T @ schur_eigenvectors(T, wr, wi), d, wi)
    if np.any(wi != 0.0):
        Vc = V.astype(np.complex128)
        for k in np.flatnonzero(wi > 0.0):
            Vc[:, k] = V[:, k] + 1j * V[:, k + 1]
        Vc = _normalise_columns(Vc)
        for k in np.flatnonzero(wi > 0.0):
            Vc[:, k + 1] = np.conj(Vc[:, k])
        V = Vc
    else:
        V = _normalise_columns(V)
    return EigResult(_eigenvalues(wr, wi, power), V)


def eigvals(A) -> np.ndarray:
    """Eigenvalues of a general real square matrix.

    Parameters
    ----------
    A : (n, n) array_like
        Real square matrix, finite entries.

    Returns
    -------
    eigenvalues : (n,) ndarray
        float64 if all are real, else complex128 with conjugate pairs adjacent
        (positive imaginary part first); the same values in the same order as
        ``eig(A).eigenvalues``.

    Raises
    ------
    ValueError
        If ``A`` is not a square 2-D matrix or holds NaN or inf.
    TypeError
        If ``A`` is not numeric.
    LinAlgError
        If the QR iteration has not converged after 30 n Francis steps.

    Notes
    -----
    The same balancing, Hessenberg reduction and Francis double-shift QR as
    :func:`eig`, but each QR step only updates the active diagonal window and no
    transformation is accumulated, which is about 10 n^3 flops instead of 25 n^3.
    See :func:`eig` for the accuracy of the result.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013,
    Algorithm 7.5.2.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import eigvals
    >>> np.sort(eigvals([[4.0, 2.0], [1.0, 3.0]]))
    array([2., 5.])
    >>> A = np.array([[2.0, 1.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 3.0]])
    >>> bool(np.isclose(eigvals(A).prod(), np.linalg.det(A)))
    True
    """
    A = as_square_matrix(A, "A")
    if A.shape[0] == 0:
        return np.empty(0)
    wr, wi, _, _, _, _, power = _schur_eigenvalues(A, want_vectors=False)
    return _eigenvalues(wr, wi, power)
