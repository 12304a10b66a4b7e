"""The singular value decomposition A = U diag(S) V^T and what it measures.

``svd`` is the Golub–Kahan–Reinsch algorithm written out: Householder
bidiagonalisation, then implicit-shift QR sweeps on the bidiagonal matrix with
Givens rotations (see :mod:`._svd_kernels`). ``svdvals``, ``matrix_rank``,
``cond`` and ``pinv`` read their answers off the singular values.
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import NamedTuple

import numpy as np

from .._utils import max_abs_signs, power_of_two_exponent
from .._validation import as_matrix, check_positive
from ..exceptions import IllConditionedWarning, LinAlgError
from ._svd_kernels import bidiagonal_svd, bidiagonalize, form_left_basis, form_right_basis

__all__ = ["SVDResult", "svd", "svdvals", "matrix_rank", "cond", "pinv"]

EPS = np.finfo(np.float64).eps
# Entries beyond 2^±500 are rescaled by an exact power of two first, so that no
# intermediate of the reduction (sums of squares, products of entries) overflows.
_SAFE_MAX = 2.0**500
_SAFE_MIN = 2.0**-500


class SVDResult(NamedTuple):
    """``A = U @ diag(S) @ Vt``; unpacks as ``U, S, Vt = svd(A)``."""

    U: np.ndarray
    S: np.ndarray
    Vt: np.ndarray


def svd(A, full_matrices: bool = False, *, compute_uv: bool = True):
    """Singular value decomposition ``A = U diag(S) V^T`` (Golub–Kahan–Reinsch).

    Parameters
    ----------
    A : (M, N) array_like
        Real matrix, finite. Computed in float64.
    full_matrices : bool, default False
        If True, ``U`` is (M, M) and ``Vt`` is (N, N): the singular vectors are
        completed to orthonormal bases of R^M and R^N. If False (the thin SVD),
        ``U`` is (M, K) and ``Vt`` is (K, N) with ``K = min(M, N)``. (numpy's
        default is True; the thin SVD is what PCA and least squares use.)
    compute_uv : bool, default True
        If False, return only ``S``; no rotation is accumulated, which is several
        times faster.

    Returns
    -------
    SVDResult
        Named tuple ``(U, S, Vt)``: ``U`` has orthonormal columns, ``S`` (K,)
        holds the singular values ``s_1 >= s_2 >= ... >= s_K >= 0`` and ``Vt``
        has orthonormal rows. Only ``S`` when ``compute_uv`` is False.

    Raises
    ------
    ValueError
        If ``A`` is not 2-D or contains NaN or inf.
    LinAlgError
        If the QR iteration does not converge within ``6 K^2`` rotation steps
        (never observed on finite input).

    Notes
    -----
    For a tall ``A`` (a wide one is handled as ``A^T = V S U^T``):

    1. Householder bidiagonalisation ``A = Q B P^T`` with ``B`` upper
       bidiagonal: reflectors alternately zero a column below the diagonal and a
       row right of the superdiagonal (Golub & Van Loan, Alg. 5.4.2).
    2. Implicit-shift QR on ``B``: each sweep is the QR step of ``B^T B`` with a
       shift from the trailing 2x2 block, done without forming ``B^T B`` by
       chasing a bulge down ``B`` with Givens rotations (Alg. 8.6.1). When the
       block is so ill-conditioned that a shift would erase its small singular
       values, the Demmel–Kahan zero-shift sweep is used instead. Negligible
       superdiagonal entries split ``B`` into independent blocks (Alg. 8.6.2),
       a zero on the diagonal is rotated out first.
    3. The rotations accumulate into ``U = Q W`` and ``V = P Z`` where
       ``B = W diag(S) Z^T``; negative diagonal entries are made positive by
       flipping the matching column of ``V``, and the values are sorted.

    Sign convention: singular vectors are determined only up to a simultaneous
    sign flip of ``U[:, k]`` and ``Vt[k]``. Here, for each ``k``, the entry of
    largest absolute value in ``Vt[k]`` is positive (the first such entry on a
    tie) and ``U[:, k]`` is flipped with it. This is scikit-learn's
    ``svd_flip(U, Vt, u_based_decision=False)``, the convention of its PCA, so
    ``Vt`` can be compared with ``PCA().components_`` directly. With
    ``full_matrices=True`` the completing rows of ``Vt`` follow the same rule;
    the completing columns of ``U`` are left as computed.

    A matrix with entries beyond ``2^±500`` is first divided by a power of two
    (exact) so that no intermediate overflows or underflows; ``S`` is scaled
    back, and is ``inf`` only if ``s_1`` itself exceeds the float64 range.

    Cost: about ``4 M N^2 - 4 N^3 / 3`` flops to bidiagonalise, plus
    ``O(N^2)`` per sweep for ``S`` alone or ``O(N^2 + M N)`` with vectors.

    References
    ----------
    G. H. Golub and C. Reinsch, "Singular value decomposition and least squares
    solutions", Numer. Math. 14, 1970, 403-420.
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, Sec. 8.6.
    J. Demmel and W. Kahan, "Accurate singular values of bidiagonal matrices",
    SIAM J. Sci. Stat. Comput. 11(5), 1990, 873-912.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import svd
    >>> A = np.array([[3.0, 2.0, 2.0], [2.0, 3.0, -2.0]])
    >>> U, S, Vt = svd(A)
    >>> np.round(S, 12)
    array([5., 3.])
    >>> bool(np.allclose(U @ np.diag(S) @ Vt, A))
    True
    >>> bool(np.allclose(U.T @ U, np.eye(2)))
    True
    """
    A = as_matrix(A, "A")
    full_matrices = bool(full_matrices)
    compute_uv = bool(compute_uv)
    m, n = A.shape
    k = min(m, n)
    if k == 0:
        S = np.zeros(0)
        if not compute_uv:
            return S
        if full_matrices:
            return SVDResult(np.eye(m), S, np.eye(n))
        return SVDResult(np.zeros((m, 0)), S, np.zeros((0, n)))

    scale = _power_of_two_scale(A)
    wide = m < n
    # a private C-ordered copy: the kernels overwrite it with the reflectors
    work = np.array(A.T if wide else A, dtype=np.float64, order="C", copy=True)
    if scale != 1.0:
        work /= scale
    U_tall, S, Vt_tall = _svd_tall(work, full_matrices, compute_uv)
    with np.errstate(over="ignore"):  # s_1 > max float64 is inf, as in LAPACK
        S *= scale
    if not compute_uv:
        return S
    if wide:  # A^T = U_tall S Vt_tall  =>  A = Vt_tall^T S U_tall^T
        U, Vt = np.ascontiguousarray(Vt_tall.T), np.ascontiguousarray(U_tall.T)
    else:
        U, Vt = U_tall, Vt_tall
    # the largest-|.| entry of each row of Vt positive, U's columns flipped to match
    signs = max_abs_signs(Vt, axis=1)
    Vt *= signs[:, None]
    U[:, :k] *= signs[:k]
    return SVDResult(U, S, Vt)


def _power_of_two_scale(A: np.ndarray) -> float:
    """2^p with max |A_ij| / 2^p in [1, 2) if max |A_ij| is outside [2^-500, 2^500], else 1."""
    a_max = float(np.max(np.abs(A)))
    if a_max == 0.0 or _SAFE_MIN <= a_max <= _SAFE_MAX:
        return 1.0
    return math.ldexp(1.0, power_of_two_exponent(a_max) - 1)


def _svd_tall(work: np.ndarray, full_matrices: bool, compute_uv: bool):
    """SVD of a tall ``work`` (m >= n >= 1), overwritten. Returns ``(U, S, Vt)``."""
    m, n = work.shape
    d, e, beta_left, beta_right = bidiagonalize(work)
    if not compute_uv:
        no_vectors = np.empty((n, 0))
        _check_converged(bidiagonal_svd(d, e, no_vectors, no_vectors))
        return None, d, None
    Vt = np.ascontiguousarray(form_right_basis(work, beta_right).T)
    n_cols = m if full_matrices else n
    Q = form_left_basis(work, beta_left, n_cols)
    if m == n:
        # rotate the rows of Q^T directly: U^T = W^T Q^T
        Ut = np.ascontiguousarray(Q.T)
        _check_converged(bidiagonal_svd(d, e, Ut, Vt))
        return np.ascontiguousarray(Ut.T), d, Vt
    # m > n: rotating n x n rows and one BLAS product beats rotating n x m rows
    Wt = np.eye(n)
    _check_converged(bidiagonal_svd(d, e, Wt, Vt))
    U = Q.copy() if full_matrices else np.empty((m, n))
    U[:, :n] = Q[:, :n] @ Wt.T
    return U, d, Vt


def _check_converged(steps: int) -> None:
    if steps < 0:
        raise LinAlgError(
            "SVD did not converge: the bidiagonal QR iteration exceeded its budget "
            "of 6 min(M, N)^2 rotation steps"
        )


def svdvals(A) -> np.ndarray:
    """Singular values of ``A``, descending: ``svd(A, compute_uv=False)``.

    Parameters
    ----------
    A : (M, N) array_like
        Real finite matrix.

    Returns
    -------
    S : (min(M, N),) ndarray
        ``s_1 >= ... >= s_K >= 0``, the square roots of the eigenvalues of ``A^T A``.

    Raises
    ------
    ValueError
        If ``A`` is not 2-D or contains NaN or inf.

    Notes
    -----
    Householder bidiagonalisation and QR sweeps without accumulating any
    rotation (see :func:`svd`).

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, Sec. 8.6.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import svdvals
    >>> svdvals(np.diag([1.0, -3.0, 2.0]))
    array([3., 2., 1.])
    """
    return svd(A, compute_uv=False)


def matrix_rank(A, tol=None) -> int:
    """Numerical rank: the number of singular values above ``tol``.

    Parameters
    ----------
    A : (M, N) array_like
        Real finite matrix.
    tol : float, optional
        Threshold, finite and >= 0. Default ``S.max() * max(M, N) * eps`` (as
        numpy.linalg.matrix_rank): the size of the singular values that rounding
        alone can produce in a matrix of rank zero.

    Returns
    -------
    int
        ``#{i : s_i > tol}``; 0 for an empty matrix.

    Raises
    ------
    ValueError
        If ``A`` is not 2-D or not finite, or ``tol`` is negative or not finite.
    TypeError
        If ``tol`` is not a real number.

    Notes
    -----
    The rank is the dimension of the range of ``A``, the number of non-zero
    singular values. In floating point the computed ``s_i`` of a rank-r matrix
    are only O(eps ||A||_2) for ``i > r``; the default tolerance ignores those.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, Sec. 5.4.1.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import matrix_rank
    >>> matrix_rank(np.outer([1.0, 2.0, 3.0], [1.0, -1.0]))
    1
    """
    A = as_matrix(A, "A")
    if tol is not None:
        tol = check_positive(tol, "tol", strict=False)
    S = svdvals(A)
    if S.size == 0:
        return 0
    if tol is None:
        tol = S[0] * max(A.shape) * EPS
    return int(np.count_nonzero(S > tol))


def _check_norm_order(p) -> None:
    if p is None or (isinstance(p, str) and p in ("fro", "nuc")):
        return
    is_number = isinstance(p, numbers.Real) and not isinstance(p, bool)
    if is_number and p in (2, -2, 1, -1, np.inf, -np.inf):
        return
    raise ValueError(f"p must be one of None, 2, -2, 'fro', 'nuc', 1, -1, inf, -inf; got {p!r}")


def cond(A, p=None) -> float:
    """Condition number ``kappa_p(A) = ||A||_p ||A^{-1}||_p``.

    Parameters
    ----------
    A : (M, N) array_like
        Real finite non-empty matrix; square unless ``p`` is None, 2 or -2.
    p : {None, 2, -2, 'fro', 'nuc', 1, -1, inf, -inf}, default None
        The norm. None and 2 give ``s_max / s_min``, -2 gives ``s_min / s_max``;
        the others are the matching matrix norms (as numpy.linalg.cond), -1 and
        -inf being the minimum absolute column and row sums.

    Returns
    -------
    float
        ``inf`` when ``A`` is singular, for every ``p`` but -2, which gives 0.
        For None/2/-2 singular means ``s_min = 0`` (the zero matrix included);
        for the other norms it means singular to working precision, as the LU
        factorisation behind :func:`~mlfoundations.linalg.inv` judges it (a
        pivot ``|u_kk| <= n eps`` times the largest entry of its row); numpy
        returns a huge finite number for a matrix singular only to working
        precision.

    Raises
    ------
    ValueError
        If ``A`` is not 2-D, empty, not finite, not square for a ``p`` other
        than None/2/-2, or ``p`` is not one of the norms above.

    Notes
    -----
    ``kappa_2(A) = s_max / s_min`` comes from the singular values alone; the
    other norms multiply :func:`~mlfoundations.linalg.norm` of ``A`` and of
    ``inv(A)`` (LU with partial pivoting). ``kappa`` bounds the relative error
    amplification of a linear solve: ``||dx|| / ||x|| <= kappa(A) ||dA|| / ||A||``
    to first order. For non-square ``A``, ``kappa_2`` is the ratio of the
    extreme singular values, the condition number of the least-squares
    problem's ``A``.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, Sec. 2.6.2.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import cond
    >>> cond(np.diag([10.0, 0.1]))
    100.0
    >>> cond(np.array([[1.0, 0.0], [0.0, 0.0]]))
    inf
    """
    _check_norm_order(p)
    A = as_matrix(A, "A")
    if A.size == 0:
        raise ValueError(f"A is empty (shape {A.shape}); the condition number is undefined")
    if p is None or p == 2 or p == -2:
        S = svdvals(A)
        s_max, s_min = S[0], S[-1]
        if p == -2:
            return float(s_min / s_max) if s_max > 0.0 else 0.0
        return float(s_max / s_min) if s_min > 0.0 else float("inf")
    if A.shape[0] != A.shape[1]:
        raise ValueError(
            f"A must be square for the {p!r}-norm condition number, got shape {A.shape}"
        )
    return _cond_from_inverse(A, p)


def _cond_from_inverse(A: np.ndarray, p) -> float:
    """``||A||_p ||A^{-1}||_p`` for the norms that need the inverse itself."""
    # lazy: lu and vectors are siblings, and vectors itself calls back into svd
    from .lu import inv
    from .vectors import norm

    try:
        with warnings.catch_warnings():
            # a large condition number is the answer here, not a reason to warn
            warnings.simplefilter("ignore", IllConditionedWarning)
            A_inv = inv(A)
    except LinAlgError:
        return float("inf")
    return float(norm(A, p) * norm(A_inv, p))


def pinv(A, rtol=None) -> np.ndarray:
    """Moore–Penrose pseudo-inverse ``A^+ = V diag(1 / s_i) U^T`` over ``s_i > rtol s_1``.

    Parameters
    ----------
    A : (M, N) array_like
        Real finite matrix.
    rtol : float, optional
        Relative cutoff, finite and >= 0: singular values ``s_i <= rtol * s_1``
        are treated as zero. Default ``max(M, N) * eps``, as
        ``numpy.linalg.pinv(A, rtol=None)`` (without ``rtol`` numpy cuts at 1e-15).

    Returns
    -------
    A_pinv : (N, M) ndarray
        The pseudo-inverse; zeros for the zero (or an empty) matrix.

    Raises
    ------
    ValueError
        If ``A`` is not 2-D or not finite, or ``rtol`` is negative or not finite.
    TypeError
        If ``rtol`` is not a real number.

    Notes
    -----
    ``A^+`` is the unique matrix with ``A A^+ A = A``, ``A^+ A A^+ = A^+`` and
    ``A A^+``, ``A^+ A`` symmetric; ``x = A^+ b`` is the minimum-norm
    least-squares solution of ``A x = b``. From the thin SVD,
    ``A^+ = sum_{s_i > cutoff} v_i u_i^T / s_i``: discarding the singular values
    at rounding level keeps ``1 / s_i`` from amplifying noise.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, Sec. 5.5.2.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import pinv
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> A_pinv = pinv(A)
    >>> bool(np.allclose(A @ A_pinv @ A, A))
    True
    """
    A = as_matrix(A, "A")
    if rtol is None:
        rtol = max(A.shape) * EPS
    else:
        rtol = check_positive(rtol, "rtol", strict=False)
    m, n = A.shape
    if A.size == 0:
        return np.zeros((n, m))
    U, S, Vt = svd(A)
    keep = S > rtol * S[0]
    # A^+ = V_r diag(1/s) U_r^T, the scaling folded into V_r's columns
    return (Vt[keep].T / S[keep]) @ U[:, keep].T
