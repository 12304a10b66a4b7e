"""Cholesky factorisation ``A = L L^T`` of a symmetric positive definite matrix.

Equating entries of ``A = L L^T`` row by row gives each ``l_ij`` from the ones
already known: the factorisation needs no pivoting, half the work of LU, and it
exists exactly when ``A`` is positive definite, so it doubles as the test for it.

The work runs in blocks (right-looking): a numba kernel factorises a panel of
``U = L^T`` (a block row, so that every update runs along contiguous memory), and
BLAS products subtract ``L21 L21^T`` from the upper triangle of the trailing block.

References
----------
Golub, G. H. and Van Loan, C. F. (2013). *Matrix Computations*, 4th ed., Johns
Hopkins, section 4.2 (Algorithms 4.2.1, 4.2.2 and 4.2.4 block Cholesky).
Higham, N. J. (2002). *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
SIAM, chapter 10.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._validation import as_float_array, as_square_matrix
from ..exceptions import LinAlgError
from ._triangular import as_columns, solve_triangular

__all__ = ["cholesky", "cho_solve"]

_BLOCK = 48
# |a_ij - a_ji| up to this multiple of max|a_ij| is taken for rounding in how the
# matrix was computed (X^T X, covariances) and ignored: only the lower half is read.
_SYMMETRY_RTOL = 1e-10


@njit(cache=True)
def _cholesky_rows(U, j0, j1):
    """Finish rows j0..j1-1 of the upper factor U = L^T, in place (outer-product form).

    Row k: u_kk = sqrt(a_kk), u_kj = a_kj / u_kk; then the rank-one update
    a_ij -= u_ki u_kj for the rows i of the block below k. Works on the upper
    triangle, so every update runs along a contiguous row. Returns -1, or the
    index of the first pivot a_kk that is not positive (A is then not PD).
    """
    n = U.shape[0]
    for k in range(j0, j1):
        d = U[k, k]
        if not d > 0.0:
            return k
        d = np.sqrt(d)
        U[k, k] = d
        for j in range(k + 1, n):
            U[k, j] /= d
        for i in range(k + 1, j1):
            u_ki = U[k, i]
            if u_ki != 0.0:
                for j in range(i, n):
                    U[i, j] -= u_ki * U[k, j]
    return -1


_TILE = 32  # square tiles keep both sides of a transposed copy in cache


@njit(cache=True)
def _upper_from_lower(A, U):
    """U[j, i] = A[i, j] for j <= i, tile by tile; returns (max|A - A^T|, max|A|).

    One pass both reads the lower triangle into the row-major upper factor and
    measures how far A is from symmetric.
    """
    n = A.shape[0]
    asymmetry = 0.0
    scale = 0.0
    for i0 in range(0, n, _TILE):
        for j0 in range(0, i0 + 1, _TILE):
            for i in range(i0, min(i0 + _TILE, n)):
                for j in range(j0, min(j0 + _TILE, i + 1)):
                    a_ij = A[i, j]
                    a_ji = A[j, i]
                    U[j, i] = a_ij
                    asymmetry = max(asymmetry, abs(a_ij - a_ji))
                    scale = max(scale, abs(a_ij), abs(a_ji))
    return asymmetry, scale


@njit(cache=True)
def _lower_from_upper(U):
    """L = U^T with zeros above the diagonal, transposed tile by tile."""
    n = U.shape[0]
    L = np.zeros((n, n))
    for i0 in range(0, n, _TILE):
        for j0 in range(0, i0 + 1, _TILE):
            for i in range(i0, min(i0 + _TILE, n)):
                for j in range(j0, min(j0 + _TILE, i + 1)):
                    L[i, j] = U[j, i]
    return L


def _cholesky_factor(U):
    """Blocked Cholesky in place on ``U`` (upper triangle = that of A): ``(U, failed)``.

    ``failed`` is -1 on success, else the index k whose pivot was not positive;
    that pivot's value is then left in ``U[k, k]``.
    """
    n = U.shape[0]
    for j0 in range(0, n, _BLOCK):
        j1 = min(j0 + _BLOCK, n)
        failed = _cholesky_rows(U, j0, j1)
        if failed >= 0:
            return U, failed
        U12 = U[j0:j1, :]
        # Schur complement A22 - U12^T U12 = A22 - L21 L21^T, what remains to
        # factorise; only its upper triangle is read, so update it block row by
        # block row from the diagonal rightwards (half the flops of the square)
        for r0 in range(j1, n, _BLOCK):
            r1 = min(r0 + _BLOCK, n)
            U[r0:r1, r0:] -= U12[:, r0:r1].T @ U12[:, r0:]
    return U, -1


def _raise_if_asymmetric(asymmetry, scale, name):
    if asymmetry > _SYMMETRY_RTOL * scale:
        raise ValueError(
            f"{name} is not symmetric: max|{name} - {name}^T| = {asymmetry:.3g} exceeds "
            f"{_SYMMETRY_RTOL:g} * max|{name}| = {_SYMMETRY_RTOL * scale:.3g}; if the "
            f"asymmetry is rounding error, pass ({name} + {name}.T) / 2"
        )


def cholesky(A) -> np.ndarray:
    """Lower triangular ``L`` with positive diagonal and ``A = L L^T``.

    Parameters
    ----------
    A : (N, N) array_like
        Symmetric positive definite real matrix (0x0 allowed). Asymmetry up to
        ``1e-10 * max|A|`` is tolerated and only the lower triangle is read.

    Returns
    -------
    L : (N, N) ndarray
        The Cholesky factor, zero above the diagonal.

    Raises
    ------
    ValueError
        If ``A`` is not square 2-D, holds NaN or inf, or is not symmetric
        (``max|A - A^T| > 1e-10 max|A|``).
    LinAlgError
        If ``A`` is not positive definite; the message names the first pivot
        ``d_k = a_kk - sum_{j<k} l_kj^2`` that is not positive, numbered from 1
        (``d_k <= 0`` means the leading k x k minor is not positive definite).

    Notes
    -----
    Matching entries of ``A = L L^T`` on and below the diagonal gives, for
    ``j < i``,

        l_ij = (a_ij - sum_{k<j} l_ik l_jk) / l_jj,
        l_ii = sqrt(a_ii - sum_{k<i} l_ik^2),

    n^3/3 flops. The square root exists for every i exactly when ``A`` is
    positive definite (Sylvester's criterion: all leading minors are positive,
    and ``d_k`` is the ratio of consecutive minors). No pivoting is needed: ``|l_ij|
    <= sqrt(a_ii)``, so the entries cannot grow and the algorithm is backward
    stable. Same convention as ``numpy.linalg.cholesky``.

    The code evaluates the same sums in outer-product order: once row k of
    ``U = L^T`` is known, ``u_ki u_kj`` is subtracted from every ``a_ij`` still to
    come; blocks of 48 rows are done by a compiled loop, the trailing update by
    matrix products over its upper triangle.

    References
    ----------
    Golub & Van Loan (2013), *Matrix Computations*, 4th ed., Algorithms 4.2.1, 4.2.4.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import cholesky
    >>> A = np.array([[4.0, 2.0], [2.0, 5.0]])
    >>> L = cholesky(A)
    >>> L
    array([[2., 0.],
           [1., 2.]])
    >>> np.allclose(L @ L.T, A)
    True
    """
    A = np.ascontiguousarray(as_square_matrix(A, "A"))
    # the factor is computed as U = L^T, whose updates run along contiguous rows
    U = np.zeros_like(A)
    _raise_if_asymmetric(*_upper_from_lower(A, U), "A")
    U, failed = _cholesky_factor(U)
    if failed >= 0:
        k = failed + 1
        raise LinAlgError(
            f"A is not positive definite: pivot {k} is {U[failed, failed]:.6g} "
            f"(the leading {k}x{k} minor is not positive definite)"
        )
    return _lower_from_upper(U)


def cho_solve(L, b) -> np.ndarray:
    """Solve ``A x = b`` given the Cholesky factor ``L`` of ``A = L L^T``.

    Parameters
    ----------
    L : (N, N) array_like
        Lower triangular factor with nonzero diagonal, as returned by
        :func:`cholesky`; only its lower triangle is read.
    b : (N,) or (N, K) array_like
        Right-hand side(s).

    Returns
    -------
    x : (N,) or (N, K) ndarray
        The solution, shaped like ``b``.

    Raises
    ------
    ValueError
        If ``L`` is not square 2-D, ``b`` does not match it, either holds NaN or
        inf, or ``L`` has a zero on its diagonal.

    Notes
    -----
    Two triangular solves: ``L y = b`` forwards, then ``L^T x = y`` backwards,
    2n^2 flops per column.

    References
    ----------
    Golub & Van Loan (2013), *Matrix Computations*, 4th ed., section 4.2.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import cholesky, cho_solve
    >>> A = np.array([[4.0, 2.0], [2.0, 5.0]])
    >>> cho_solve(cholesky(A), [10.0, 13.0])
    array([1.5, 2. ])
    """
    L = as_square_matrix(L, "L")
    n = L.shape[0]
    b = as_float_array(b, "b")
    if b.ndim not in (1, 2) or b.shape[0] != n:
        raise ValueError(
            f"b has shape {b.shape}; expected ({n},) or ({n}, k) to match L of shape ({n}, {n})"
        )
    if np.any(np.diagonal(L) == 0.0):
        raise ValueError("L has a zero on its diagonal; it is not a Cholesky factor")
    L = np.ascontiguousarray(L)
    X = as_columns(b)
    solve_triangular(L, X, lower=True)
    solve_triangular(L, X, lower=True, trans=True)
    return X[:, 0] if b.ndim == 1 else X
