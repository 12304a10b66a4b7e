"""LU factorisation with partial pivoting, and what it buys: det, slogdet, solve, inv.

Gaussian elimination writes ``A = P L U``: ``P`` a permutation, ``L`` unit lower
triangular, ``U`` upper triangular. Each elimination step picks the largest entry
left in its column as the pivot (partial pivoting), which keeps every multiplier
``|l_ik| <= 1`` and the method backward stable in practice.

The elimination runs block by block (right-looking): a numba kernel factorises a
panel of ``_BLOCK`` columns, forward substitution forms the matching block row of
``U``, and one BLAS product updates the trailing Schur complement
``A22 <- A22 - L21 U12``.

References
----------
Golub, G. H. and Van Loan, C. F. (2013). *Matrix Computations*, 4th ed., Johns
Hopkins, sections 3.2 (Algorithms 3.2.1, 3.2.11 block LU), 3.4 (partial pivoting),
3.5.4 (condition estimation).
Hager, W. W. (1984). Condition estimates. *SIAM J. Sci. Stat. Comput.* 5(2), 311-316.
Higham, N. J. (2002). *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
SIAM, chapter 9 and Algorithm 15.4.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np

from .._validation import as_float_array, as_matrix, as_square_matrix
from ..exceptions import IllConditionedWarning, LinAlgError
from ._lu_kernels import lu_panel, lu_solve_transpose_vector, lu_solve_vector
from ._triangular import as_columns, lower_solve, solve_triangular

__all__ = ["LUResult", "SlogdetResult", "lu", "det", "slogdet", "solve", "inv"]

_BLOCK = 48
# Below this reciprocal condition number a solve warns: about 12 of the 16 digits
# in the data may be lost in the answer.
_RCOND_WARN = 1e-12


class LUResult(NamedTuple):
    """``A = P @ L @ U`` with ``P`` (M, M), ``L`` (M, K), ``U`` (K, N), K = min(M, N)."""

    P: np.ndarray
    L: np.ndarray
    U: np.ndarray


class SlogdetResult(NamedTuple):
    """``det(A) = sign * exp(logabsdet)``; a singular ``A`` gives ``(0.0, -inf)``."""

    sign: float
    logabsdet: float


# ------------------------------------------------------------------------ drivers


def _lu_factor(A):
    """Factor a float64 (M, N) matrix in place of a copy: returns ``(LU, perm)``.

    ``LU`` holds ``U`` on and above the diagonal and the multipliers of ``L`` below
    it; ``A[perm] == L @ U``.
    """
    LU = np.array(A, dtype=np.float64, order="C", copy=True)
    m, n = LU.shape
    k_max = min(m, n)
    perm = np.arange(m)
    for j0 in range(0, k_max, _BLOCK):
        j1 = min(j0 + _BLOCK, k_max)
        lu_panel(LU, perm, j0, j1)
        if j1 < n:
            # U12 = L11^{-1} A12: the block row of U right of the panel
            lower_solve(LU, LU, j0, j1, j1, n, True)
            if j1 < m:
                LU[j1:, j1:] -= LU[j1:, j0:j1] @ LU[j0:j1, j1:]
    return LU, perm


def _permutation_parity(perm):
    """+1 for an even permutation, -1 for an odd one (count the cycles)."""
    seen = np.zeros(perm.shape[0], dtype=bool)
    sign = 1.0
    for start in range(perm.shape[0]):
        if seen[start]:
            continue
        length = 0
        j = start
        while not seen[j]:
            seen[j] = True
            j = perm[j]
            length += 1
        if length % 2 == 0:
            sign = -sign
    return sign


def _lu_solve(LU, perm, B):
    """X = A^{-1} B from A[perm] = L U: permute, then L y = P^T b, then U x = y."""
    X = np.ascontiguousarray(B[perm])
    solve_triangular(LU, X, lower=True, unit=True)
    solve_triangular(LU, X, lower=False)
    return X


def _inverse_norm1_estimate(LU, perm):
    """Hager's lower bound for ||A^{-1}||_1 from a few solves with A and A^T.

    Maximises the convex function ||A^{-1} x||_1 over the unit 1-norm ball by a
    gradient step that moves to a vertex e_j, then (Higham's safeguard) also tries
    the alternating vector x_i = (-1)^i (1 + i/(n-1)), which catches the cases
    where the ascent stalls. Costs O(n^2) per iteration.
    """
    n = LU.shape[0]
    x = np.full(n, 1.0 / n)
    estimate = 0.0
    previous_signs = None
    for iteration in range(5):
        y = lu_solve_vector(LU, perm, x)
        new_estimate = float(np.abs(y).sum())
        if iteration > 0 and new_estimate <= estimate:
            break
        estimate = new_estimate
        signs = np.where(y >= 0.0, 1.0, -1.0)
        if previous_signs is not None and np.array_equal(signs, previous_signs):
            break
        previous_signs = signs
        z = lu_solve_transpose_vector(LU, perm, signs)
        j = int(np.argmax(np.abs(z)))
        if abs(z[j]) <= float(z @ x):
            break  # no vertex e_j increases ||A^{-1} x||_1: x is a local maximum
        x = np.zeros(n)
        x[j] = 1.0
    if n > 1:
        i = np.arange(n)
        alternating = np.where(i % 2 == 0, 1.0, -1.0) * (1.0 + i / (n - 1))
        y = lu_solve_vector(LU, perm, alternating)
        estimate = max(estimate, 2.0 * float(np.abs(y).sum()) / (3.0 * n))
    return estimate


# ------------------------------------------------------------------------ checks


def _check_regular(LU, A, perm, name="A"):
    """Raise ``LinAlgError`` if a pivot of U is zero or numerically zero.

    Pivot k comes from row ``perm[k]`` of A; a pivot with
    ``|u_kk| <= n * eps * max_j |A[perm[k], j]|`` is at the level of the rounding
    errors the elimination commits on that row, so the computed U cannot tell it from
    zero: the matrix is treated as singular. Measuring each pivot against its own row
    makes the test blind to row scaling: ``diag(1, 1e-20)`` is regular (and only
    ill-conditioned), ``[[1, 2, 3], [4, 5, 6], [7, 8, 9]]`` is singular.
    """
    n = LU.shape[0]
    pivots = np.abs(np.diagonal(LU))
    row_scale = np.abs(A[perm]).max(axis=1)
    tolerance = n * np.finfo(np.float64).eps * row_scale
    bad = np.flatnonzero(pivots <= tolerance)
    if bad.size:
        k = int(bad[0])
        value = float(np.diagonal(LU)[k])
        if value == 0.0:
            detail = f"pivot {k + 1} (U[{k}, {k}]) is exactly zero"
        else:
            detail = (
                f"pivot {k + 1} (U[{k}, {k}]) is {value:.3g}, below the rounding level "
                f"n * eps * max|row| = {tolerance[k]:.3g}"
            )
        raise LinAlgError(f"{name} is singular to working precision: {detail}")


def _warn_if_ill_conditioned(condition_number, how):
    if 1.0 / condition_number < _RCOND_WARN:
        lost = int(np.log10(condition_number))
        digits = "all" if lost >= 16 else f"about {lost} of the"
        warnings.warn(
            f"A is ill-conditioned: its 1-norm condition number is {how}"
            f"{condition_number:.3g} (reciprocal {1.0 / condition_number:.3g}); "
            f"{digits} 16 significant digits may be lost in the result",
            IllConditionedWarning,
            stacklevel=3,
        )


def _check_rhs(b, n):
    """b must be (n,) or (n, k) to match A (n, n)."""
    b = as_float_array(b, "b")
    if b.ndim not in (1, 2) or b.shape[0] != n:
        raise ValueError(
            f"b has shape {b.shape}; expected ({n},) or ({n}, k) to match A of shape ({n}, {n})"
        )
    return b


# ------------------------------------------------------------------------ public API


def lu(A) -> LUResult:
    """LU factorisation with partial (row) pivoting, ``A = P L U``.

    Parameters
    ----------
    A : (M, N) array_like
        Any real finite matrix; square, tall, wide or singular.

    Returns
    -------
    LUResult
        Named tuple ``(P, L, U)``: ``P`` (M, M) a permutation matrix, ``L`` (M, K)
        unit lower triangular (trapezoidal if M > N), ``U`` (K, N) upper triangular
        (trapezoidal if M < N), K = min(M, N); ``A == P @ L @ U`` up to rounding.

    Raises
    ------
    ValueError
        If ``A`` is not 2-D or holds NaN or inf.

    Notes
    -----
    Step k of Gaussian elimination swaps into row k the row i >= k with the
    largest ``|a_ik|``, stores the multipliers ``l_ik = a_ik / a_kk`` and subtracts
    ``l_ik`` times row k from row i. The record of the swaps gives ``P`` with
    ``P^T A = L U``. Every ``|l_ik| <= 1``; the computed factors satisfy
    ``P L U = A + E`` with ``|E| <= c n eps |L| |U|`` (Golub & Van Loan, Thm 3.4.4).
    Singular matrices factor without complaint (some ``u_kk`` is zero), as in
    LAPACK's ``getrf``. The convention is that of ``scipy.linalg.lu``.

    The work is split into panels of 48 columns: the panel is eliminated by a
    compiled loop, the rest of the matrix by matrix products (block LU).

    References
    ----------
    Golub & Van Loan (2013), *Matrix Computations*, 4th ed., Algorithms 3.4.1, 3.2.11.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import lu
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> P, L, U = lu(A)
    >>> L
    array([[1.        , 0.        ],
           [0.33333333, 1.        ]])
    >>> np.allclose(P @ L @ U, A)
    True
    """
    A = as_matrix(A, "A")
    m, n = A.shape
    k = min(m, n)
    LU, perm = _lu_factor(A)
    L = np.tril(LU[:, :k], -1)
    L[np.arange(k), np.arange(k)] = 1.0
    U = np.triu(LU[:k, :])
    P = np.zeros((m, m))
    # A[perm] = L U, so row perm[i] of A is row i of L U: P[perm[i], i] = 1
    P[perm, np.arange(m)] = 1.0
    return LUResult(P, L, U)


def slogdet(A) -> SlogdetResult:
    """Sign and natural log of ``|det(A)|``, safe from overflow and underflow.

    Parameters
    ----------
    A : (N, N) array_like
        Square real finite matrix (0x0 allowed: det = 1).

    Returns
    -------
    SlogdetResult
        Named tuple ``(sign, logabsdet)`` of floats with ``det(A) = sign *
        exp(logabsdet)``. A singular ``A`` gives ``(0.0, -inf)`` (no error).

    Raises
    ------
    ValueError
        If ``A`` is not square 2-D or holds NaN or inf.

    Notes
    -----
    From ``P^T A = L U``: ``det(A) = det(P) * prod_k u_kk`` because ``det(L) = 1``,
    and ``det(P) = (-1)^(number of row swaps)``. Summing ``log|u_kk|`` instead of
    multiplying keeps the answer representable when the product is not, e.g. for
    ``0.1 * I`` of order 400.

    References
    ----------
    Golub & Van Loan (2013), *Matrix Computations*, 4th ed., section 3.2.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import slogdet
    >>> sign, logabsdet = slogdet(0.1 * np.eye(400))
    >>> float(sign), round(float(logabsdet), 6)
    (1.0, -921.034037)
    """
    A = as_square_matrix(A, "A")
    if A.shape[0] == 0:
        return SlogdetResult(1.0, 0.0)
    LU, perm = _lu_factor(A)
    pivots = np.diagonal(LU)
    if np.any(pivots == 0.0):
        return SlogdetResult(0.0, -np.inf)
    sign = _permutation_parity(perm) * float(np.prod(np.sign(pivots)))
    return SlogdetResult(sign, float(np.sum(np.log(np.abs(pivots)))))


def det(A) -> float:
    """Determinant of a square matrix from its LU factors.

    Parameters
    ----------
    A : (N, N) array_like
        Square real finite matrix (0x0 allowed: the empty product, 1.0).

    Returns
    -------
    float
        ``det(A)``; 0.0 for an exactly singular matrix, ``+-inf`` or 0.0 when the
        true value is outside the float64 range (use :func:`slogdet` then).

    Raises
    ------
    ValueError
        If ``A`` is not square 2-D or holds NaN or inf.

    Notes
    -----
    ``det(A) = (-1)^s prod_k u_kk`` where ``s`` counts the row swaps of ``P^T A =
    L U``: O(n^3) instead of the n! terms of the Leibniz formula.

    References
    ----------
    Golub & Van Loan (2013), *Matrix Computations*, 4th ed., section 3.2.

    Examples
    --------
    >>> from mlfoundations.linalg import det
    >>> round(det([[1.0, 2.0], [3.0, 4.0]]), 12)
    -2.0
    """
    A = as_square_matrix(A, "A")
    if A.shape[0] == 0:
        return 1.0
    LU, perm = _lu_factor(A)
    with np.errstate(over="ignore", under="ignore"):
        product = float(np.prod(np.diagonal(LU)))
    if product == 0.0:
        return 0.0  # not -0.0: a zero determinant has no sign
    return _permutation_parity(perm) * product


def solve(A, b) -> np.ndarray:
    """Solve ``A x = b`` for square regular ``A`` by LU with partial pivoting.

    Parameters
    ----------
    A : (N, N) array_like
        Square real finite matrix.
    b : (N,) or (N, K) array_like
        Right-hand side(s); each column is solved for.

    Returns
    -------
    x : (N,) or (N, K) ndarray
        The solution, shaped like ``b``.

    Raises
    ------
    ValueError
        If ``A`` is not square 2-D, ``b`` does not match it, or either holds NaN
        or inf.
    LinAlgError
        If ``A`` is singular, exactly or to working precision (a pivot
        ``|u_kk| <= n eps`` times the largest entry of its row of A).

    Warns
    -----
    IllConditionedWarning
        If the estimated reciprocal 1-norm condition number is below 1e-12.

    Notes
    -----
    With ``P^T A = L U``: ``L y = P^T b`` by forward substitution, then ``U x =
    y`` by back substitution, 2n^2 flops per column after the 2n^3/3 of the
    factorisation. The computed x solves ``(A + E) x = b`` with small ``E``; its
    forward error is about ``cond(A) eps``, so ``cond_1(A) = ||A||_1
    ||A^{-1}||_1`` is estimated (Hager's method, a few extra solves) and a warning
    is issued when it exceeds 1e12.

    References
    ----------
    Golub & Van Loan (2013), *Matrix Computations*, 4th ed., Algorithms 3.1.1,
    3.1.2, 3.4.1 and section 3.5.4; Hager (1984); Higham (2002), Algorithm 15.4.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import solve
    >>> A = np.array([[3.0, 1.0], [1.0, 2.0]])
    >>> x = solve(A, [9.0, 8.0])
    >>> x
    array([2., 3.])
    >>> np.allclose(A @ x, [9.0, 8.0])
    True
    """
    A = as_square_matrix(A, "A")
    n = A.shape[0]
    b = _check_rhs(b, n)
    if n == 0:
        return np.zeros(b.shape)
    LU, perm = _lu_factor(A)
    _check_regular(LU, A, perm)
    if b.ndim == 1:
        x = lu_solve_vector(LU, perm, np.ascontiguousarray(b))
    else:
        x = _lu_solve(LU, perm, as_columns(b))
    condition_number = np.abs(A).sum(axis=0).max() * _inverse_norm1_estimate(LU, perm)
    _warn_if_ill_conditioned(condition_number, "estimated at ")
    return x


def inv(A) -> np.ndarray:
    """Inverse of a square regular matrix by LU with partial pivoting.

    Parameters
    ----------
    A : (N, N) array_like
        Square real finite matrix (0x0 gives a 0x0 inverse).

    Returns
    -------
    Ainv : (N, N) ndarray
        ``A^{-1}``, with ``A @ Ainv`` close to the identity.

    Raises
    ------
    ValueError
        If ``A`` is not square 2-D or holds NaN or inf.
    LinAlgError
        If ``A`` is singular, exactly or to working precision (a pivot
        ``|u_kk| <= n eps`` times the largest entry of its row of A).

    Warns
    -----
    IllConditionedWarning
        If ``1 / (||A||_1 ||A^{-1}||_1) < 1e-12`` (computed exactly from the result).

    Notes
    -----
    Column j of ``A^{-1}`` solves ``A x = e_j``: ``A^{-1} = U^{-1} L^{-1} P^T``,
    formed by solving with the permuted identity. To solve a system, prefer
    :func:`solve`, which is cheaper and more accurate than ``inv(A) @ b``.

    References
    ----------
    Golub & Van Loan (2013), *Matrix Computations*, 4th ed., section 3.4.9.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import inv
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> inv(A)
    array([[-2. ,  1. ],
           [ 1.5, -0.5]])
    >>> np.allclose(A @ inv(A), np.eye(2))
    True
    """
    A = as_square_matrix(A, "A")
    n = A.shape[0]
    if n == 0:
        return np.zeros((0, 0))
    LU, perm = _lu_factor(A)
    _check_regular(LU, A, perm)
    Ainv = _lu_solve(LU, perm, np.eye(n))
    condition_number = np.abs(A).sum(axis=0).max() * np.abs(Ainv).sum(axis=0).max()
    _warn_if_ill_conditioned(condition_number, "")
    return Ainv
