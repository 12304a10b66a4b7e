"""Symmetric eigendecomposition: Householder tridiagonalisation + implicit QR.

The textbook route (Golub & Van Loan, Ch. 8.3):

1. Reduce ``A`` to tridiagonal form ``T = Q^T A Q`` with ``n - 2`` Householder
   reflectors applied from both sides (Alg. 8.3.1).
2. Diagonalise ``T`` with the implicit symmetric QR algorithm: Wilkinson-shifted
   sweeps of Givens rotations that chase a bulge down the band (Alg. 8.3.2),
   deflating off-diagonal entries that have become negligible (Alg. 8.3.3).
3. The eigenvectors are ``V = Q Z`` where ``Z`` is the product of all the rotations.

Everything is kept row-contiguous: the reflectors are accumulated into ``Q`` by row
operations and transposed once, and each rotation then updates two rows of ``V^T``
(each row is one eigenvector), so the innermost loops run along memory.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from .._utils import max_abs_signs, power_of_two_exponent
from .._validation import as_square_matrix
from ..exceptions import LinAlgError
from ._reflectors import apply_householder_left, givens, householder

__all__ = ["EighResult", "eigh", "eigvalsh"]

# A QR sweep costs O(n) (values) or O(n^2) (vectors); Wilkinson's shift converges
# cubically in practice (about two sweeps per eigenvalue), so 30 per eigenvalue
# is a generous ceiling that only a pathological input reaches.
_SWEEPS_PER_EIGENVALUE = 30

# max |A - A^T| allowed relative to max |A| before ``eigh`` refuses the matrix.
_SYMMETRY_RTOL = 1e-10


class EighResult(NamedTuple):
    """Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric matrix."""

    eigenvalues: np.ndarray
    eigenvectors: np.ndarray


# --------------------------------------------------------------------------- kernels


@njit(cache=True)
def _tridiagonalize(A, d, e, betas):
    """Overwrite symmetric ``A`` with its Householder tridiagonalisation (G&VL Alg. 8.3.1).

    On exit ``d`` (n) and ``e`` (n-1) hold the diagonal and off-diagonal of ``T``,
    row ``k`` of ``A`` holds the reflector ``v_k`` in ``A[k, k+1:]`` (``v_k[0] = 1``)
    and ``betas[k]`` its ``beta``, so that ``Q = H_0 H_1 ... H_{n-3}``.
    """
    n = A.shape[0]
    for k in range(n - 2):
        d[k] = A[k, k]
        # by symmetry row k equals column k: read the contiguous one
        v, beta, alpha = householder(A[k, k + 1 :])
        e[k] = alpha
        betas[k] = beta
        m = n - k - 1
        if beta != 0.0:
            # p = beta A22 v; A22 is symmetric, so accumulate p = sum_i v_i A22[i, :]
            # row by row: a contiguous axpy instead of a strided dot product
            p = np.zeros(m)
            for i in range(m):
                vi = v[i]
                row = k + 1 + i
                for j in range(m):
                    p[j] += vi * A[row, k + 1 + j]
            pv = 0.0
            for j in range(m):
                p[j] *= beta
                pv += p[j] * v[j]
            # w = p - (beta p^T v / 2) v makes H A22 H = A22 - v w^T - w v^T
            half = 0.5 * beta * pv
            w = np.empty(m)
            for j in range(m):
                w[j] = p[j] - half * v[j]
            for i in range(m):
                vi = v[i]
                wi = w[i]
                row = k + 1 + i
                for j in range(m):
                    A[row, k + 1 + j] -= vi * w[j] + wi * v[j]
        for j in range(m):
            A[k, k + 1 + j] = v[j]
    if n >= 2:
        d[n - 2] = A[n - 2, n - 2]
        e[n - 2] = A[n - 2, n - 1]
    d[n - 1] = A[n - 1, n - 1]


@njit(cache=True)
def _form_q(A, betas):
    """Build ``Q = H_0 H_1 ... H_{n-3}`` from the reflectors stored by ``_tridiagonalize``.

    Backward accumulation (G&VL 5.1.6): ``Q = H_0 (H_1 (... (H_{n-3} I)))`` keeps the
    active block in the lower-right corner, about ``4n^3/3`` flops. Left-application
    works along rows (``w = beta v^T Q``, then ``Q -= v w^T``).
    """
    n = A.shape[0]
    Q = np.eye(n)
    for k in range(n - 3, -1, -1):
        apply_householder_left(Q, A[k, k + 1 :], betas[k], k + 1, k + 1, n)
    return Q


@njit(cache=True)
def _rotate_rows(Vt, k, c, s):
    """Rows k, k+1 of ``Vt`` <- [[c, s], [-s, c]] @ rows k, k+1 (one contiguous pass)."""
    n = Vt.shape[1]
    for j in range(n):
        a = Vt[k, j]
        b = Vt[k + 1, j]
        Vt[k, j] = c * a + s * b
        Vt[k + 1, j] = c * b - s * a


@njit(cache=True)
def _wilkinson_shift(a, b, c):
    """Eigenvalue of [[a, b], [b, c]] closer to c (G&VL 8.3.5), computed without cancellation."""
    delta = 0.5 * (a - c)
    if b == 0.0:
        return c
    sgn = 1.0 if delta >= 0.0 else -1.0
    return c - b * (b / (delta + sgn * np.hypot(delta, b)))


@njit(cache=True)
def _implicit_qr_step(d, e, l, m, mu, Vt, want_vectors):
    """One implicit Wilkinson-shifted QR sweep on the unreduced block T[l:m+1, l:m+1].

    G&VL Alg. 8.3.2: a first rotation is chosen from the shifted first column
    (d_l - mu, e_l); every later rotation chases the bulge it creates one step down.
    Each rotation is G = [[c, s], [-s, c]] acting on rows/columns (k, k+1):
    T <- G T G^T and V^T <- G V^T.
    """
    x = d[l] - mu
    z = e[l]
    for k in range(l, m):
        c, s, r = givens(x, z)
        if k > l:
            e[k - 1] = r
        a = d[k]
        b = e[k]
        cc = d[k + 1]
        cs = c * s
        d[k] = c * c * a + 2.0 * cs * b + s * s * cc
        d[k + 1] = s * s * a - 2.0 * cs * b + c * c * cc
        e[k] = cs * (cc - a) + (c * c - s * s) * b
        x = e[k]
        if k < m - 1:
            z = s * e[k + 1]  # the bulge T[k+2, k]
            e[k + 1] = c * e[k + 1]
        if want_vectors:
            _rotate_rows(Vt, k, c, s)


@njit(cache=True)
def _tridiagonal_qr(d, e, Vt, want_vectors, max_sweeps):
    """Diagonalise the tridiagonal (d, e) in place (G&VL Alg. 8.3.3).

    Returns the number of eigenvalues still unconverged (0 on success) after at most
    ``max_sweeps`` QR sweeps. An off-diagonal ``e_i`` is set to zero once
    ``|e_i| <= eps (|d_i| + |d_{i+1}|)`` (or it is below the underflow guard
    ``sqrt(tiny) / eps``); the trailing converged part then drops out and the
    sweeps run on the last unreduced block only.
    """
    eps = np.finfo(np.float64).eps
    # T is scaled so that ||T||_2 >= max |A| >= 0.5, so an |e_i| below
    # sqrt(tiny) / eps (about 7e-139) is negligible against eps ||T|| and is
    # deflated even when its neighbours on the diagonal are zero. Without this, the
    # products e_i e_{i+1} that carry the bulge down underflow to zero, the chase
    # stops half way and the sweeps never reach the bottom of the block.
    negligible = np.sqrt(np.finfo(np.float64).tiny) / eps
    n = d.shape[0]
    sweeps = 0
    m = n - 1
    while m > 0:
        # smallest l such that T[l:m+1, l:m+1] is unreduced
        l = m
        while l > 0:
            off = abs(e[l - 1])
            if off <= eps * (abs(d[l - 1]) + abs(d[l])) or off < negligible:
                e[l - 1] = 0.0
                break
            l -= 1
        if l == m:
            m -= 1  # d[m] has converged
            continue
        if sweeps >= max_sweeps:
            return m + 1
        sweeps += 1
        mu = _wilkinson_shift(d[m - 1], e[m - 1], d[m])
        _implicit_qr_step(d, e, l, m, mu, Vt, want_vectors)
    return 0


# --------------------------------------------------------------------------- helpers


def _symmetry_defect(A: np.ndarray) -> tuple[float, float]:
    """Return (max |A - A^T|, tolerance) with tolerance = 1e-10 * max |A|.

    Computed on A scaled by a power of two so that A - A^T cannot overflow.
    """
    anorm = float(np.max(np.abs(A))) if A.size else 0.0
    if anorm == 0.0:
        return 0.0, 0.0
    p = power_of_two_exponent(anorm)
    As = np.ldexp(A, -p)
    defect = float(np.max(np.abs(As - As.T)))
    return float(np.ldexp(defect, p)), _SYMMETRY_RTOL * anorm


def _check_symmetric(A: np.ndarray, name: str = "A") -> None:
    defect, tol = _symmetry_defect(A)
    if defect > tol:
        raise ValueError(
            f"{name} is not symmetric: max |{name} - {name}^T| = {defect:.3g} exceeds "
            f"tolerance {tol:.3g} (1e-10 * max |{name}|); pass a symmetric matrix, or "
            f"symmetrize it first with ({name} + {name}.T) / 2"
        )


def _symmetric_eigen(A, check_symmetric: bool, want_vectors: bool):
    """Validate, scale, reduce and iterate; return (w, V or None) in ascending order."""
    A = as_square_matrix(A, "A")
    if check_symmetric:
        _check_symmetric(A)
    n = A.shape[0]
    if n == 0:
        return np.empty(0), (np.empty((0, 0)) if want_vectors else None)
    anorm = float(np.max(np.abs(A)))
    if anorm == 0.0:
        return np.zeros(n), (np.eye(n) if want_vectors else None)
    # Scale by an exact power of two so that max |A| lies in [0.5, 1): no overflow
    # or underflow in the shifts and rotations, and the scaling itself is exact.
    p = power_of_two_exponent(anorm)
    As = np.ldexp(A, -p)
    # The nearest symmetric matrix (Frobenius norm); exact when A is symmetric.
    T = np.ascontiguousarray(0.5 * As + 0.5 * As.T)

    d = np.empty(n)
    e = np.empty(max(n - 1, 0))
    betas = np.zeros(max(n - 2, 0))
    _tridiagonalize(T, d, e, betas)
    # rotations act on rows of V^T = Q^T, each row one (future) eigenvector
    Vt = np.ascontiguousarray(_form_q(T, betas).T) if want_vectors else np.empty((0, 0))

    max_sweeps = _SWEEPS_PER_EIGENVALUE * n
    unconverged = _tridiagonal_qr(d, e, Vt, want_vectors, max_sweeps)
    if unconverged:
        raise LinAlgError(
            f"eigh: the symmetric QR iteration did not converge within {max_sweeps} "
            f"sweeps ({_SWEEPS_PER_EIGENVALUE} * n); {unconverged} of {n} eigenvalues "
            "are unconverged"
        )

    order = np.argsort(d, kind="stable")
    w = np.ldexp(d[order], p)
    if not want_vectors:
        return w, None
    V = np.ascontiguousarray(Vt[order].T)
    V *= max_abs_signs(V, axis=0)
    return w, V


# --------------------------------------------------------------------------- public API


def eigh(A, *, check_symmetric: bool = True) -> EighResult:
    r"""Eigenvalues and eigenvectors of a real symmetric matrix.

    Computes ``A = V diag(w) V^T`` with ``w`` ascending and ``V`` orthogonal, by
    Householder tridiagonalisation followed by the implicit symmetric QR algorithm
    with Wilkinson shifts.

    Parameters
    ----------
    A : (n, n) array_like
        Real symmetric matrix. ``n = 0`` is allowed.
    check_symmetric : bool, default True
        Refuse ``A`` when ``max |A - A^T| > 1e-10 * max |A|``. With ``False`` the
        check is skipped and the decomposition is that of ``(A + A^T) / 2`` (the
        nearest symmetric matrix), never of one triangle of ``A``.

    Returns
    -------
    EighResult
        Named tuple ``(eigenvalues, eigenvectors)``:

        eigenvalues : (n,) ndarray
            The eigenvalues in ascending order.
        eigenvectors : (n, n) ndarray
            Orthonormal eigenvectors; column ``i`` belongs to ``eigenvalues[i]``.
            Signs are fixed deterministically: in each column the entry of largest
            absolute value (the first such index on ties) is positive.

    Raises
    ------
    ValueError
        If ``A`` is not a square 2-D matrix, contains NaN or inf, or is not
        symmetric (with ``check_symmetric=True``).
    LinAlgError
        If the QR iteration has not converged after ``30 n`` sweeps.

    Notes
    -----
    1. Tridiagonalisation (G&VL Alg. 8.3.1). For ``k = 0, ..., n-3`` a reflector
       ``H_k = I - beta v v^T`` zeroes ``A[k+2:, k]``; the trailing block is updated by
       the symmetric rank-2 formula

       .. math:: p = \beta A_{22} v, \quad w = p - \tfrac{\beta}{2}(p^T v) v,
                 \quad A_{22} \leftarrow A_{22} - v w^T - w v^T,

       giving ``T = Q^T A Q`` with ``Q = H_0 \cdots H_{n-3}`` (about ``4n^3/3`` flops).
    2. Implicit symmetric QR (G&VL Alg. 8.3.2-8.3.3). On the last unreduced block
       ``T[l:m+1, l:m+1]`` take the Wilkinson shift ``mu`` (the eigenvalue of the
       trailing 2x2 block nearer ``T[m, m]``), choose a Givens rotation from
       ``(T[l,l] - mu, T[l+1,l])``, and chase the resulting bulge down with
       further rotations; this equals one QR step ``T - mu I = QR, T <- RQ + mu I``
       without forming it. ``|e_i| <= eps (|d_i| + |d_{i+1}|)`` is set to zero
       (deflation). Each rotation is also applied to the rows of ``V^T``
       (initialised to ``Q^T``), so ``V = Q Z`` accumulates in place.

    The matrix is first scaled by a power of two so that ``max |A|`` lies in
    ``[0.5, 1)``; this is exact and keeps the shifts free of overflow.
    The computed eigenvalues satisfy ``|w_i - lambda_i| = O(eps ||A||_2)``.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., Johns Hopkins
    University Press, 2013, Sections 8.3.1-8.3.5.

    J. W. Demmel, *Applied Numerical Linear Algebra*, SIAM, 1997, Section 5.3.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import eigh
    >>> A = np.array([[2.0, 1.0], [1.0, 2.0]])
    >>> w, V = eigh(A)
    >>> w
    array([1., 3.])
    >>> np.allclose(V @ np.diag(w) @ V.T, A)
    True
    >>> np.allclose(V.T @ V, np.eye(2))
    True
    """
    w, V = _symmetric_eigen(A, check_symmetric, want_vectors=True)
    return EighResult(w, V)


def eigvalsh(A, *, check_symmetric: bool = True) -> np.ndarray:
    """Eigenvalues of a real symmetric matrix, in ascending order.

    The same algorithm as :func:`eigh` without accumulating the rotations into
    eigenvectors, which makes the QR phase ``O(n^2)`` instead of ``O(n^3)``.

    Parameters
    ----------
    A : (n, n) array_like
        Real symmetric matrix. ``n = 0`` is allowed.
    check_symmetric : bool, default True
        Refuse ``A`` when ``max |A - A^T| > 1e-10 * max |A|``; with ``False`` the
        eigenvalues of ``(A + A^T) / 2`` are returned.

    Returns
    -------
    eigenvalues : (n,) ndarray
        The eigenvalues ``lambda_1 <= ... <= lambda_n``.

    Raises
    ------
    ValueError
        If ``A`` is not a square 2-D matrix, contains NaN or inf, or is not
        symmetric (with ``check_symmetric=True``).
    LinAlgError
        If the QR iteration has not converged after ``30 n`` sweeps.

    Notes
    -----
    Householder tridiagonalisation ``T = Q^T A Q`` (``4n^3/3`` flops) followed by
    Wilkinson-shifted implicit QR sweeps on the diagonal and off-diagonal of ``T``
    (``O(n)`` flops per sweep); see :func:`eigh`.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013,
    Algorithms 8.3.1-8.3.3.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import eigvalsh
    >>> eigvalsh(np.diag([3.0, -1.0, 2.0]))
    array([-1.,  2.,  3.])
    """
    w, _ = _symmetric_eigen(A, check_symmetric, want_vectors=False)
    return w
