"""Input checks shared by every pillar.

Validate once, at the public boundary; private functions trust their inputs. Every
error names the argument and what was wrong with it.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_float_array",
    "as_matrix",
    "as_vector",
    "as_square_matrix",
    "check_finite",
    "check_positive",
    "check_probability",
    "check_int",
    "check_bool",
    "check_real",
    "check_random_state",
    "check_rng",
    "check_sample_weight",
]


def _describe_nonfinite(a: np.ndarray) -> str:
    """Say which non-finite values ``a`` holds ("NaN", "inf" or both)."""
    kinds = []
    if np.isnan(a).any():
        kinds.append("NaN")
    if np.isinf(a).any():
        kinds.append("inf")
    return " and ".join(kinds)


def check_finite(a: np.ndarray, name: str) -> np.ndarray:
    """Raise ``ValueError`` naming ``name`` if ``a`` holds NaN or infinity."""
    if a.dtype.kind in "fc" and not np.isfinite(a).all():
        raise ValueError(
            f"{name} contains {_describe_nonfinite(a)}; "
            "remove or impute non-finite values (NaN, inf) first"
        )
    return a


def as_float_array(
    x,
    name: str,
    *,
    dtype=np.float64,
    keep_float32: bool = False,
    finite: bool = True,
    copy: bool = False,
) -> np.ndarray:
    """Convert an array-like to a floating NumPy array of any dimension.

    Parameters
    ----------
    x : array_like
        The input.
    name : str
        The argument's name, used in error messages.
    dtype : dtype, default float64
        Target dtype.
    keep_float32 : bool, default False
        Keep float32 input as float32 instead of promoting it.
    finite : bool, default True
        Reject NaN and infinity.
    copy : bool, default False
        Always return a fresh array.
    """
    if _is_sparse(x):
        raise TypeError(
            f"{name} is a sparse matrix; sparse input is not supported, "
            "pass a dense array (e.g. X.toarray())"
        )
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be array-like of numbers, got a string {x!r}")
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:  # ragged nested sequences and the like
        raise ValueError(f"{name} could not be read as a numeric array: {exc}") from None
    if np.iscomplexobj(arr):
        raise ValueError(f"{name}: Complex data not supported; got dtype {arr.dtype}")
    target = np.float32 if (keep_float32 and arr.dtype == np.float32) else dtype
    if arr.dtype.kind not in "biuf":
        try:
            arr = arr.astype(target)
        except (TypeError, ValueError) as exc:
            # keeps NumPy's wording ("argument must be a string or a real number")
            raise type(exc)(f"{name} must hold numbers: {exc}") from None
    else:
        arr = arr.astype(target, copy=copy)
    if finite:
        check_finite(arr, name)
    return arr


def _is_sparse(x) -> bool:
    try:
        import scipy.sparse as sp
    except ImportError:  # pragma: no cover - scipy is a core dependency
        return False
    return sp.issparse(x)


def as_vector(x, name: str, *, min_size: int = 0, **kwargs) -> np.ndarray:
    """Convert to a 1-D float array; reject other dimensions and too few entries."""
    arr = as_float_array(x, name, **kwargs)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got an array of shape {arr.shape}")
    if arr.shape[0] < min_size:
        raise ValueError(f"{name} needs at least {min_size} entries, got {arr.shape[0]}")
    return arr


def as_matrix(
    x,
    name: str,
    *,
    min_rows: int = 0,
    min_cols: int = 0,
    **kwargs,
) -> np.ndarray:
    """Convert to a 2-D float array; reject other dimensions and too small shapes.

    A 1-D input is refused with a hint (scikit-learn's convention), never silently
    reshaped.
    """
    arr = as_float_array(x, name, **kwargs)
    if arr.ndim != 2:
        hint = ""
        if arr.ndim == 1:
            hint = (
                ". Reshape your data: .reshape(-1, 1) for a single feature, "
                ".reshape(1, -1) for a single sample"
            )
        raise ValueError(f"{name} must be 2-D, got a {arr.ndim}-D array of shape {arr.shape}{hint}")
    n_rows, n_cols = arr.shape
    if n_rows < min_rows:
        raise ValueError(
            f"{name} has {n_rows} sample(s) (shape={arr.shape}) while a minimum of "
            f"{min_rows} is required."
        )
    if n_cols < min_cols:
        raise ValueError(
            f"{name} has {n_cols} feature(s) (shape={arr.shape}) while a minimum of "
            f"{min_cols} is required."
        )
    return arr


def as_square_matrix(x, name: str = "A", **kwargs) -> np.ndarray:
    """Convert to a square 2-D float array (0x0 allowed)."""
    arr = as_float_array(x, name, **kwargs)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name} must be a square 2-D matrix, got shape {arr.shape}")
    return arr


def check_positive(value, name: str, *, strict: bool = True) -> float:
    """Return ``value`` as float if it is a finite number > 0 (>= 0 if not strict)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    ok = value > 0 if strict else value >= 0
    if not np.isfinite(value) or not ok:
        bound = "> 0" if strict else ">= 0"
        raise ValueError(f"{name} must be finite and {bound}, got {value!r}")
    return value


def check_probability(value, name: str, *, open_interval: bool = False) -> float:
    """Return ``value`` as float if it lies in [0, 1] ((0, 1) if ``open_interval``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    ok = 0.0 < value < 1.0 if open_interval else 0.0 <= value <= 1.0
    if not ok:
        interval = "(0, 1)" if open_interval else "[0, 1]"
        raise ValueError(f"{name} must lie in {interval}, got {value!r}")
    return value


def check_int(value, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as int if it is an integer within [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_rng(rng=None, name: str = "rng") -> np.random.Generator:
    """Normalise a seed to a ``numpy.random.Generator`` (Scientific Python SPEC 7).

    ``None`` gives fresh OS entropy, an int or ``SeedSequence`` seeds a new
    generator, a ``Generator`` is used as is. Legacy ``RandomState`` objects are
    refused so that nothing draws from hidden global state.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"{name} seed must be non-negative, got {rng}")
        return np.random.default_rng(int(rng))
    if isinstance(rng, np.random.RandomState):
        raise TypeError(
            f"{name}: numpy.random.RandomState is not supported; pass an int seed or "
            "a numpy.random.Generator (np.random.default_rng(seed))"
        )
    raise TypeError(
        f"{name} must be None, an int seed or a numpy.random.Generator, got {type(rng).__name__}"
    )


def check_random_state(random_state=None) -> np.random.Generator:
    """Estimators take ``random_state``; it follows the same rules as ``rng``.

    A legacy ``RandomState`` is accepted here (scikit-learn's tests pass one) and used
    only to draw a seed for a fresh ``Generator``.
    """
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**31 - 1))
    return check_rng(random_state, "random_state")


def check_bool(value, name: str) -> bool:
    """Return ``value`` as bool; refuse anything that is not True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def check_real(value, name: str) -> float:
    """Return ``value`` as float if it is a finite real number."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def check_sample_weight(sample_weight, n_samples: int) -> np.ndarray | None:
    """None, a number (one weight for all) or a finite, non-negative vector of n_samples."""
    if sample_weight is None:
        return None
    if isinstance(sample_weight, numbers.Real) and not isinstance(sample_weight, bool):
        sample_weight = np.full(n_samples, float(sample_weight))
    w = as_vector(sample_weight, "sample_weight")
    if w.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight has {w.shape[0]} entries but X has {n_samples} samples; "
            "they must match"
        )
    if (w < 0).any():
        raise ValueError(f"sample_weight must be non-negative, got min {float(w.min())!r}")
    return w
