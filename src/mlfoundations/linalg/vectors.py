"""Vectors: dot and cross products, norms, cosine similarity, orthogonal projection.

The first page of linear algebra for machine learning: an inner product measures
alignment (attention scores, similarity search), a norm measures size (loss
functions, regularisation, convergence tests), a projection finds the nearest
point of a subspace (least squares, Gram-Schmidt).

References
----------
Golub, G. H. and Van Loan, C. F. (2013). *Matrix Computations*, 4th ed., Johns
Hopkins, sections 2.3 (vector and matrix norms) and 5.3 (least squares).
Strang, G. (2016). *Introduction to Linear Algebra*, 5th ed., Wellesley-Cambridge,
sections 1.2 (lengths and dot products) and 4.2 (projections).
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import as_float_array, as_matrix, as_vector

__all__ = ["dot", "cross", "norm", "cosine_similarity", "project"]

# A sum of squares below this may have lost terms to underflow (tiny / eps), and
# an infinite one has overflowed: both are recomputed after scaling by the max.
_SUM_OF_SQUARES_FLOOR = np.finfo(np.float64).tiny / np.finfo(np.float64).eps
_MATRIX_ORDS = (None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf)


def dot(x, y):
    """Dot product of vectors, or matrix-vector / matrix-matrix product.

    Parameters
    ----------
    x : (N,) or (M, N) array_like
    y : (N,) or (N, K) array_like

    Returns
    -------
    float or ndarray
        ``sum_i x_i y_i`` as a float for two vectors; otherwise the product
        ``x @ y`` of shape (M,), (K,) or (M, K), as ``numpy.dot`` gives for 1-D and
        2-D inputs.

    Raises
    ------
    ValueError
        If an input is not 1-D or 2-D, holds NaN or inf, or the inner dimensions
        differ (the message quotes both shapes).

    Notes
    -----
    ``x . y = sum_i x_i y_i = ||x|| ||y|| cos(theta)``: zero for orthogonal
    vectors, largest when they point the same way. The product of a matrix and a
    vector is the dot product of each row with the vector. The sums are done by
    BLAS.

    References
    ----------
    Strang (2016), *Introduction to Linear Algebra*, section 1.2.

    Examples
    --------
    >>> from mlfoundations.linalg import dot
    >>> dot([1, 2, 3], [4, 5, 6])
    32.0
    """
    x = as_float_array(x, "x")
    y = as_float_array(y, "y")
    for name, a in (("x", x), ("y", y)):
        if a.ndim not in (1, 2):
            raise ValueError(f"{name} must be 1-D or 2-D, got an array of shape {a.shape}")
    if x.shape[-1] != y.shape[0]:
        raise ValueError(
            f"shapes {x.shape} (x) and {y.shape} (y) are not aligned: the last axis of x "
            f"has {x.shape[-1]} entries, the first axis of y has {y.shape[0]}"
        )
    product = x @ y
    return float(product) if product.ndim == 0 else product


def cross(x, y):
    """Cross product of 3-vectors; the z-component for 2-vectors.

    Parameters
    ----------
    x, y : (..., 3) or (..., 2) array_like
        Vectors along the last axis; leading axes broadcast (rows of a matrix are
        crossed pairwise). A 2-vector mixed with a 3-vector is read as (x, y, 0).

    Returns
    -------
    float or ndarray
        ``x x y`` of shape (..., 3); for two 2-vectors, the scalar
        ``x_0 y_1 - x_1 y_0`` (a float, or an array over the leading axes), the
        z-component of the cross product of the vectors lifted into the plane z = 0.

    Raises
    ------
    ValueError
        If the last axis has a length other than 2 or 3, an input has more than
        two dimensions or holds NaN or inf, or the leading axes do not broadcast.

    Notes
    -----
    ``x x y = (x_1 y_2 - x_2 y_1, x_2 y_0 - x_0 y_2, x_0 y_1 - x_1 y_0)``, the
    vector orthogonal to both with length ``||x|| ||y|| sin(theta)`` (the area of
    their parallelogram), oriented by the right-hand rule.

    References
    ----------
    Strang (2016), *Introduction to Linear Algebra*, section 5.2.

    Examples
    --------
    >>> from mlfoundations.linalg import cross
    >>> cross([1, 2, 3], [4, 5, 6])
    array([-3.,  6., -3.])
    >>> cross([1, 0], [0, 1])
    1.0
    """
    x = as_float_array(x, "x")
    y = as_float_array(y, "y")
    for name, a in (("x", x), ("y", y)):
        if a.ndim not in (1, 2) or a.shape[-1] not in (2, 3):
            raise ValueError(
                f"{name} must hold 2- or 3-vectors along its last axis (shape (3,), (2,), "
                f"(n, 3) or (n, 2)), got shape {a.shape}"
            )
    try:
        np.broadcast_shapes(x.shape[:-1], y.shape[:-1])
    except ValueError:
        raise ValueError(
            f"x of shape {x.shape} and y of shape {y.shape} do not broadcast"
        ) from None
    if x.shape[-1] == 2 and y.shape[-1] == 2:
        z = x[..., 0] * y[..., 1] - x[..., 1] * y[..., 0]
        return float(z) if z.ndim == 0 else z
    x0, x1 = x[..., 0], x[..., 1]
    y0, y1 = y[..., 0], y[..., 1]
    x2 = x[..., 2] if x.shape[-1] == 3 else np.zeros_like(x0)
    y2 = y[..., 2] if y.shape[-1] == 3 else np.zeros_like(y0)
    return np.stack([x1 * y2 - x2 * y1, x2 * y0 - x0 * y2, x0 * y1 - x1 * y0], axis=-1)


# ------------------------------------------------------------------------ norms


def _check_vector_ord(ord):
    if ord is None:
        return 2.0
    if isinstance(ord, bool) or not isinstance(ord, numbers.Real):
        raise ValueError(
            f"invalid norm order {ord!r} for vectors; use a real p > 0, 0, inf or -inf"
        )
    p = float(ord)
    if np.isnan(p) or p < 0.0 and p != -np.inf:
        raise ValueError(
            f"invalid norm order {ord!r} for vectors: sum(|x_i|^p)^(1/p) with p < 0 is "
            "not a norm (a zero entry makes it 0); use p > 0, 0, inf or -inf"
        )
    return p


def _check_matrix_ord(ord):
    valid = not isinstance(ord, bool) and (
        ord is None or (isinstance(ord, str) and ord in ("fro", "nuc"))
        or (isinstance(ord, numbers.Real) and float(ord) in (1.0, -1.0, 2.0, -2.0, np.inf, -np.inf))
    )
    if not valid:
        raise ValueError(
            f"invalid norm order {ord!r} for matrices; use None, 'fro', 'nuc', 1, -1, 2, "
            "-2, inf or -inf"
        )
    return ord


def _smallest(values, axis, ord, shape):
    """min along ``axis``, refusing an empty axis (the minimum of nothing)."""
    if values.shape[axis] == 0:
        raise ValueError(f"ord={ord!r} takes a minimum over an empty axis of x (shape {shape})")
    return values.min(axis=axis, keepdims=True)


def _euclidean(x, axis):
    """sqrt(sum x_i^2) over ``axis`` (kept), safe from overflow and underflow.

    The plain sum of squares is tried first (one BLAS-like pass, numpy's answer);
    where it overflowed or may have underflowed, ``s sqrt(sum (x_i / s)^2)`` with
    ``s = max|x_i|`` is used instead: every ratio is at most 1, so nothing
    overflows, and the largest term is exactly 1, so nothing that matters
    underflows.
    """
    with np.errstate(over="ignore", under="ignore"):
        sum_sq = np.sum(x * x, axis=axis, keepdims=True)
    risky = ~np.isfinite(sum_sq) | (sum_sq < _SUM_OF_SQUARES_FLOOR)
    if not risky.any():
        return np.sqrt(sum_sq)
    scale = np.abs(x).max(axis=axis, keepdims=True, initial=0.0)
    safe = np.where(scale == 0.0, 1.0, scale)
    with np.errstate(under="ignore"):
        ratio = x / safe
        scaled = scale * np.sqrt(np.sum(ratio * ratio, axis=axis, keepdims=True))
    return np.where(risky, scaled, np.sqrt(sum_sq))


def _vector_norm(x, p, axis):
    """||x||_p along ``axis`` (kept)."""
    a = np.abs(x)
    if p == np.inf:
        return a.max(axis=axis, keepdims=True, initial=0.0)
    if p == -np.inf:
        return _smallest(a, axis, p, x.shape)
    if p == 0.0:
        # not a norm: the number of nonzero entries, as numpy defines ord=0
        return np.count_nonzero(a, axis=axis, keepdims=True).astype(np.float64)
    if p == 1.0:
        return a.sum(axis=axis, keepdims=True)
    if p == 2.0:
        return _euclidean(x, axis)
    scale = a.max(axis=axis, keepdims=True, initial=0.0)
    safe = np.where(scale == 0.0, 1.0, scale)
    with np.errstate(under="ignore"):
        return scale * np.sum((a / safe) ** p, axis=axis, keepdims=True) ** (1.0 / p)


def _singular_value_norm(x, ord, row_axis, col_axis):
    """2, -2 or nuclear norm of each matrix over (row_axis, col_axis), kept."""
    from .svd import svd  # lazy: svd needs this module for its condition numbers

    stacked = np.moveaxis(x, (row_axis, col_axis), (-2, -1))
    batch_shape, (m, n) = stacked.shape[:-2], stacked.shape[-2:]
    if ord == -2 and min(m, n) == 0:
        raise ValueError(f"ord=-2 takes a minimum over no singular values (x of shape {x.shape})")
    matrices = stacked.reshape((int(np.prod(batch_shape)), m, n))
    values = np.empty(matrices.shape[0])
    for i, matrix in enumerate(matrices):
        s = svd(matrix, compute_uv=False)
        if ord == 2:
            values[i] = s[0] if s.size else 0.0
        elif ord == -2:
            values[i] = s[-1]
        else:
            values[i] = s.sum()
    return np.expand_dims(values.reshape(batch_shape), tuple(sorted((row_axis, col_axis))))


def _matrix_norm(x, ord, row_axis, col_axis):
    """Matrix norm over (row_axis, col_axis), both kept."""
    a = np.abs(x)
    if ord in (None, "fro"):
        return _euclidean(x, (row_axis, col_axis))
    if ord == "nuc" or ord in (2, -2):
        return _singular_value_norm(x, ord, row_axis, col_axis)
    # ||A||_1 = max_j sum_i |a_ij| (columns); ||A||_inf = max_i sum_j |a_ij| (rows)
    sum_axis, pick_axis = (row_axis, col_axis) if ord in (1, -1) else (col_axis, row_axis)
    sums = a.sum(axis=sum_axis, keepdims=True)
    if ord in (1, np.inf):
        return sums.max(axis=pick_axis, keepdims=True, initial=0.0)
    return _smallest(sums, pick_axis, ord, x.shape)


def _normalize_axis(axis, ndim):
    axes = (axis,) if isinstance(axis, numbers.Integral) else axis
    try:
        axes = tuple(axes)
    except TypeError:
        raise TypeError(f"axis must be None, an int or a tuple of ints, got {axis!r}") from None
    normalized = []
    for a in axes:
        if isinstance(a, bool) or not isinstance(a, numbers.Integral):
            raise TypeError(f"axis must be None, an int or a tuple of ints, got {axis!r}")
        if not -ndim <= a < ndim:
            raise ValueError(f"axis {a} is out of bounds for x with {ndim} dimension(s)")
        normalized.append(int(a) % ndim)
    if len(set(normalized)) != len(normalized):
        raise ValueError(f"axis {axis!r} repeats an axis")
    if len(normalized) not in (1, 2):
        raise ValueError(f"axis must name 1 axis (vector norm) or 2 (matrix norm), got {axis!r}")
    return tuple(normalized)


def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm, as ``numpy.linalg.norm`` but safe from overflow.

    Parameters
    ----------
    x : array_like
        Real finite array. With ``axis=None`` it must be 1-D (vector norm) or 2-D
        (matrix norm), unless ``ord`` is None, which takes the 2-norm of all
        entries (Frobenius for a matrix) whatever the dimension.
    ord : {None, real p > 0, 0, inf, -inf, 'fro', 'nuc', 1, -1, 2, -2}, optional
        Which norm (table below). Default None: 2-norm / Frobenius.
    axis : None, int or 2-tuple of ints, optional
        One axis: vector norms along it. Two axes: matrix norms of the matrices
        they span (rows, columns).
    keepdims : bool, default False
        Keep the reduced axes with length 1, so the result broadcasts against x.

    Returns
    -------
    float or ndarray
        A float for a full reduction, else an array over the remaining axes.

    Raises
    ------
    ValueError
        If ``x`` holds NaN or inf, ``ord`` is not valid for a vector or a matrix
        (including p < 0, which is not a norm), ``axis`` is out of range or
        repeated, ``ord`` is given for an array of more than 2 dimensions without
        ``axis``, or a minimum (``-inf``, ``-1``, ``-2``) is taken over nothing.
    TypeError
        If ``axis`` is not an int or a tuple of ints.

    Notes
    -----
    =====  ============================  ==========================
    ord    matrix                        vector
    =====  ============================  ==========================
    None   sqrt(sum_ij a_ij^2)           sqrt(sum_i x_i^2)
    'fro'  sqrt(sum_ij a_ij^2)           --
    'nuc'  sum_i s_i                     --
    inf    max_i sum_j |a_ij|            max_i |x_i|
    -inf   min_i sum_j |a_ij|            min_i |x_i|
    0      --                            #{i : x_i != 0}
    1      max_j sum_i |a_ij|            sum_i |x_i|
    -1     min_j sum_i |a_ij|            --
    2      s_1 (largest singular value)  sqrt(sum_i x_i^2)
    -2     s_min                         --
    p      --                            (sum_i |x_i|^p)^(1/p)
    =====  ============================  ==========================

    ``0``, ``-inf``, ``-1``, ``-2`` and ``0 < p < 1`` are not norms, but are
    given as numpy gives them. Singular values come from this library's
    :func:`~mlfoundations.linalg.svd`.

    Overflow and underflow: the 2-norm and Frobenius norm fall back to
    ``s sqrt(sum (x_i / s)^2)`` with ``s = max |x_i|`` when the plain sum of
    squares overflows or underflows, and p-norms always scale by ``s``. So
    ``norm([1e200, 1e200])`` is ``1.414e200`` here, where numpy returns ``inf``
    (and ``0.0`` for ``[1e-200, 1e-200]``).

    References
    ----------
    Golub & Van Loan (2013), *Matrix Computations*, 4th ed., sections 2.3, 2.4.

    Examples
    --------
    >>> from mlfoundations.linalg import norm
    >>> norm([3.0, 4.0])
    5.0
    >>> norm([[1.0, -2.0], [3.0, 4.0]], ord=1)
    6.0
    >>> round(norm([1e200, 1e200]) / 1e200, 12)  # numpy.linalg.norm gives inf
    1.414213562373
    """
    x = as_float_array(x, "x")
    if axis is None:
        if ord is None:
            result = _euclidean(x.reshape(-1), 0).reshape(())
            return result.reshape((1,) * x.ndim) if keepdims else float(result)
        if x.ndim not in (1, 2):
            raise ValueError(
                f"ord={ord!r} needs x to be 1-D or 2-D when axis is None, got shape "
                f"{x.shape}; pass axis to choose the vector or matrix axes"
            )
        axes = tuple(range(x.ndim))
    else:
        axes = _normalize_axis(axis, x.ndim)
    if len(axes) == 1:
        result = _vector_norm(x, _check_vector_ord(ord), axes[0])
    else:
        result = _matrix_norm(x, _check_matrix_ord(ord), axes[0], axes[1])
    if not keepdims:
        result = np.squeeze(result, axis=axes)
    return float(result) if result.ndim == 0 else result


# ------------------------------------------------------------------ similarity


def cosine_similarity(A, B=None) -> np.ndarray:
    """Cosine of the angle between every row of ``A`` and every row of ``B``.

    Parameters
    ----------
    A : (N, D) array_like
        One sample per row.
    B : (M, D) array_like, optional
        Second set of rows; default ``A`` itself.

    Returns
    -------
    S : (N, M) ndarray
        ``S[i, j] = a_i . b_j / (||a_i|| ||b_j||)`` in [-1, 1]. A zero row has no
        direction; its similarity to everything is defined as 0 (scikit-learn's
        convention).

    Raises
    ------
    ValueError
        If an input is not 2-D, has no rows or no columns, holds NaN or inf, or
        the two have different numbers of columns.

    Notes
    -----
    Rows are scaled to unit length first (with the overflow-safe :func:`norm`),
    then one matrix product gives all ``N M`` dot products. Rounding can push a
    product a few ulps past 1; results are clipped to [-1, 1]. This matches
    ``sklearn.metrics.pairwise.cosine_similarity``.

    References
    ----------
    Manning, C. D., Raghavan, P. and Schutze, H. (2008). *Introduction to
    Information Retrieval*, Cambridge, section 6.3.1.

    Examples
    --------
    >>> from mlfoundations.linalg import cosine_similarity
    >>> cosine_similarity([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]).round(4)
    array([[1.    , 0.7071, 0.    ],
           [0.7071, 1.    , 0.    ],
           [0.    , 0.    , 0.    ]])
    """
    A = as_matrix(A, "A", min_rows=1, min_cols=1)
    B = A if B is None else as_matrix(B, "B", min_rows=1, min_cols=1)
    if A.shape[1] != B.shape[1]:
        raise ValueError(
            f"A has {A.shape[1]} columns (shape {A.shape}) but B has {B.shape[1]} "
            f"(shape {B.shape}); rows must have the same length"
        )

    def unit_rows(X):
        lengths = norm(X, axis=1, keepdims=True)
        return X / np.where(lengths == 0.0, 1.0, lengths)  # a zero row stays zero

    A_unit = unit_rows(A)
    B_unit = A_unit if B is A else unit_rows(B)
    return np.clip(A_unit @ B_unit.T, -1.0, 1.0)


def project(v, onto) -> np.ndarray:
    """Orthogonal projection of ``v`` onto a vector or onto the column space of a matrix.

    Parameters
    ----------
    v : (N,) array_like
        The vector to project.
    onto : (N,) or (N, K) array_like
        A nonzero vector u, or a matrix A whose columns span the subspace (they
        need not be independent).

    Returns
    -------
    p : (N,) ndarray
        The point of the line or subspace nearest to ``v``; ``v - p`` is
        orthogonal to it.

    Raises
    ------
    ValueError
        If ``onto`` is the zero vector or a zero matrix (no direction to project
        on), shapes do not match, or an input holds NaN or inf.

    Notes
    -----
    Onto a vector: ``p = (v . u / u . u) u``, computed as ``(v . u_hat) u_hat``
    with ``u_hat = u / ||u||`` so that ``u . u`` cannot overflow. Onto the column
    space of A: ``p = A x`` with x the least-squares solution of ``A x ~= v``
    (:func:`~mlfoundations.linalg.lstsq`, QR based), i.e. ``P = A (A^T A)^{-1}
    A^T`` for independent columns, never forming ``A^T A``.

    References
    ----------
    Strang (2016), *Introduction to Linear Algebra*, section 4.2.

    Examples
    --------
    >>> from mlfoundations.linalg import project
    >>> project([2.0, 3.0], [1.0, 0.0])
    array([2., 0.])
    >>> project([1.0, 2.0, 3.0], [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    array([1., 2., 0.])
    """
    from .qr import lstsq  # lazy: keeps vectors importable on its own

    v = as_vector(v, "v")
    onto = as_float_array(onto, "onto")
    n = v.shape[0]
    if onto.ndim not in (1, 2) or onto.shape[0] != n:
        raise ValueError(
            f"onto has shape {onto.shape}; expected ({n},) or ({n}, k) to match v of "
            f"shape {v.shape}"
        )
    if not np.any(onto):
        what = "the zero vector" if onto.ndim == 1 else "a zero matrix (its columns span only 0)"
        raise ValueError(f"cannot project onto {what}: there is no direction to project on")
    if onto.ndim == 1:
        u_hat = onto / norm(onto)
        return (v @ u_hat) * u_hat
    return onto @ lstsq(onto, v).x
