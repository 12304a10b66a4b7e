"""Best rank-k approximation by the truncated SVD (the Eckart–Young theorem)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_matrix, check_int
from .svd import svd

__all__ = ["LowRankApproximation", "low_rank_approximation"]


@dataclass(frozen=True, eq=False)
class LowRankApproximation:
    """The truncated SVD ``A_k = U diag(S) Vt`` of rank ``k`` and how far it is from ``A``.

    Attributes
    ----------
    approximation : (M, N) ndarray
        ``A_k = U @ diag(S) @ Vt``, the best rank-k approximation of ``A``.
    U : (M, k) ndarray
        The leading ``k`` left singular vectors.
    S : (k,) ndarray
        The leading ``k`` singular values, descending.
    Vt : (k, N) ndarray
        The leading ``k`` right singular vectors, as rows.
    error_2 : float
        ``||A - A_k||_2 = s_{k+1}`` (0 when ``k = min(M, N)``).
    error_fro : float
        ``||A - A_k||_F = sqrt(s_{k+1}^2 + ... + s_K^2)``.
    relative_error_2 : float
        ``s_{k+1} / s_1``, 0 for the zero matrix.
    relative_error_fro : float
        ``||A - A_k||_F / ||A||_F``, 0 for the zero matrix.
    compression_ratio : float
        ``k (M + N + 1) / (M N)``: numbers stored for ``U``, ``S``, ``Vt``
        over numbers in ``A``; below 1 the factors are smaller than ``A``.
    """

    approximation: np.ndarray
    U: np.ndarray
    S: np.ndarray
    Vt: np.ndarray
    error_2: float
    error_fro: float
    relative_error_2: float
    relative_error_fro: float
    compression_ratio: float

    @property
    def rank(self) -> int:
        """``k``, the number of singular triplets kept."""
        return int(self.S.shape[0])

    def __str__(self) -> str:
        m, n = self.approximation.shape
        return (
            f"LowRankApproximation(rank {self.rank} of a {m}x{n} matrix)\n"
            f"  ||A - A_k||_2 = {self.error_2:.6g}  (relative {self.relative_error_2:.3g})\n"
            f"  ||A - A_k||_F = {self.error_fro:.6g}  (relative {self.relative_error_fro:.3g})\n"
            f"  compression ratio k(M + N + 1)/(MN) = {self.compression_ratio:.4g}"
        )


def _euclidean_length(x: np.ndarray) -> float:
    """``sqrt(sum x_i^2)`` scaled by ``max |x_i|`` so that it cannot overflow."""
    if x.size == 0:
        return 0.0
    scale = float(np.max(np.abs(x)))
    if scale == 0.0:
        return 0.0
    return scale * float(np.sqrt(np.sum((x / scale) ** 2)))


def low_rank_approximation(A, k) -> LowRankApproximation:
    """Best rank-k approximation ``A_k = sum_{i <= k} s_i u_i v_i^T`` (truncated SVD).

    Parameters
    ----------
    A : (M, N) array_like
        Real finite non-empty matrix (an image, a ratings matrix...).
    k : int
        Rank of the approximation, ``1 <= k <= min(M, N)``.

    Returns
    -------
    LowRankApproximation
        ``approximation``, the factors ``U`` (M, k), ``S`` (k,), ``Vt`` (k, N),
        the errors in the 2- and Frobenius norms (absolute and relative) and
        ``compression_ratio``.

    Raises
    ------
    ValueError
        If ``A`` is not 2-D, empty or not finite, or ``k`` is out of range.
    TypeError
        If ``k`` is not an integer.

    Notes
    -----
    Eckart–Young(–Mirsky) theorem: with ``A = sum_i s_i u_i v_i^T`` and
    ``s_1 >= s_2 >= ... >= s_K``, for every matrix ``X`` of rank at most ``k``

    ``||A - X||_2 >= ||A - A_k||_2 = s_{k+1}`` and
    ``||A - X||_F >= ||A - A_k||_F = sqrt(sum_{i > k} s_i^2)``,

    so truncating the SVD is the optimal compression in both norms, and its
    error is read off the discarded singular values without forming ``A - A_k``.
    Storing ``U_k``, ``S_k``, ``V_k`` takes ``k (M + N + 1)`` numbers instead of
    ``M N``.

    Singular vectors follow the sign convention of :func:`~mlfoundations.linalg.svd`.

    References
    ----------
    C. Eckart and G. Young, "The approximation of one matrix by another of lower
    rank", Psychometrika 1(3), 1936, 211-218.
    L. Mirsky, "Symmetric gauge functions and unitarily invariant norms",
    Quart. J. Math. 11, 1960, 50-59.
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, Thm. 2.4.8.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.linalg import low_rank_approximation
    >>> A = np.diag([3.0, 2.0, 1.0])
    >>> result = low_rank_approximation(A, 2)
    >>> result.error_2, result.error_fro
    (1.0, 1.0)
    >>> bool(np.allclose(result.approximation, np.diag([3.0, 2.0, 0.0])))
    True
    """
    A = as_matrix(A, "A")
    if A.size == 0:
        raise ValueError(f"A is empty (shape {A.shape}); it has no low-rank approximation")
    m, n = A.shape
    k_max = min(m, n)
    k = check_int(k, "k")
    if not 1 <= k <= k_max:
        raise ValueError(
            f"k={k} must be between 1 and min(M, N)={k_max} for A of shape {A.shape}"
        )
    U, S, Vt = svd(A)
    U_k, S_k, Vt_k = U[:, :k].copy(), S[:k].copy(), Vt[:k].copy()
    approximation = (U_k * S_k) @ Vt_k
    # Eckart–Young: the error is the part of the spectrum that was dropped
    error_2 = float(S[k]) if k < k_max else 0.0
    error_fro = _euclidean_length(S[k:])
    norm_2 = float(S[0])
    norm_fro = _euclidean_length(S)
    return LowRankApproximation(
        approximation=approximation,
        U=U_k,
        S=S_k,
        Vt=Vt_k,
        error_2=error_2,
        error_fro=error_fro,
        relative_error_2=error_2 / norm_2 if norm_2 > 0.0 else 0.0,
        relative_error_fro=error_fro / norm_fro if norm_fro > 0.0 else 0.0,
        compression_ratio=k * (m + n + 1) / (m * n),
    )
