"""Mergeable running moments: count, mean, central sums, min and max of a stream.

A sample is summarised by its count ``n``, mean ``xbar`` and the central sums
``M_k = sum_i (x_i - xbar)^k``; variance, skewness and kurtosis are ratios of them.
The sums of two disjoint samples combine exactly (Chan, Golub and LeVeque 1979),
so :class:`RunningMoments` can absorb a stream in batches, one value at a time
(Welford 1962) or as partial results from a tree reduction, in any order.

References
----------
Chan, T. F., Golub, G. H. and LeVeque, R. J. (1979). Updating formulae and a
pairwise algorithm for computing sample variances. Stanford report STAN-CS-79-773.
Pébay, P. (2008). Formulas for robust, one-pass parallel computation of
covariances and arbitrary-order statistical moments. Sandia report SAND2008-6212.
Welford, B. P. (1962). Note on a method for calculating corrected sums of squares
and products. *Technometrics* 4(3), 419-420.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import as_float_array
from ._common import (
    _check_ddof,
    _kurtosis_from_sums,
    _output,
    _reject_constant,
    _scaled_central_power_sums,
    _skewness_from_sums,
)

__all__ = ["RunningMoments"]


# --------------------------------------------------------------- running moments


class _Sums(NamedTuple):
    """The state of :class:`RunningMoments`: plain arrays of one observation's shape.

    The mean is kept as an unevaluated sum ``mean + mean_low`` of two floats (a
    double-length number): with data like 1e7 + 0.1 the rounding of a float mean,
    1e-9, would otherwise enter every merge's ``delta`` and cost digits of ``M2``.
    """

    n: int
    mean: np.ndarray
    mean_low: np.ndarray
    m2: np.ndarray
    m3: np.ndarray
    m4: np.ndarray
    low: np.ndarray
    high: np.ndarray


_EMPTY = _Sums(0, None, None, None, None, None, None, None)


def _two_sum(a, b):
    """``(s, err)`` with ``s = fl(a + b)`` and ``s + err = a + b`` exactly (Knuth)."""
    s = a + b
    b_virtual = s - a
    return s, (a - (s - b_virtual)) + (b - b_virtual)


def _add_to_mean(sums, step):
    """``mean + mean_low + step`` as a new normalised double-length pair."""
    hi, err = _two_sum(sums.mean, step)
    return _two_sum(hi, sums.mean_low + err)


def _merge_sums(a, b):
    """Moments of the union of two disjoint samples (Chan et al. 1979; Pébay 2008).

    With ``delta = mean_b - mean_a`` and ``n = n_a + n_b``::

        mean = mean_a + delta n_b / n
        M2 = M2_a + M2_b + delta^2 n_a n_b / n
        M3 = M3_a + M3_b + delta^3 n_a n_b (n_a - n_b) / n^2
             + 3 delta (n_a M2_b - n_b M2_a) / n
        M4 = M4_a + M4_b + delta^4 n_a n_b (n_a^2 - n_a n_b + n_b^2) / n^3
             + 6 delta^2 (n_a^2 M2_b + n_b^2 M2_a) / n^2 + 4 delta (n_a M3_b - n_b M3_a) / n
    """
    if b.n == 0:
        return a
    if a.n == 0:
        return b
    n = a.n + b.n
    na, nb, fn = float(a.n), float(b.n), float(n)
    delta = (b.mean - a.mean) + (b.mean_low - a.mean_low)
    m2 = a.m2 + b.m2 + delta**2 * (na * nb / fn)
    m3 = (
        a.m3 + b.m3
        + delta**3 * (na * nb * (na - nb) / fn**2)
        + 3.0 * delta * (na * b.m2 - nb * a.m2) / fn
    )
    m4 = (
        a.m4 + b.m4
        + delta**4 * (na * nb * (na * na - na * nb + nb * nb) / fn**3)
        + 6.0 * delta**2 * (na * na * b.m2 + nb * nb * a.m2) / fn**2
        + 4.0 * delta * (na * b.m3 - nb * a.m3) / fn
    )
    mean, mean_low = _add_to_mean(a, delta * (nb / fn))
    low, high = np.minimum(a.low, b.low), np.maximum(a.high, b.high)
    return _Sums(n, mean, mean_low, m2, m3, m4, low, high)


class RunningMoments:
    """Count, mean, central sums ``M2, M3, M4``, min and max of a growing sample.

    Feed it batches with :meth:`update`, single observations with :meth:`push`,
    or combine partial results with :meth:`merge` (also ``a + b``); the order does
    not matter. One observation is a scalar (1-D batches) or a row of ``p`` values
    (2-D batches of shape ``(n, p)``, each column summarised separately). The state
    is a few plain arrays, so it pickles and ships to workers as is.

    Notes
    -----
    A batch's sums come from the corrected two-pass algorithm and are then merged
    with Chan, Golub and LeVeque's pairwise update (see :meth:`merge`). A single
    value is Welford's recurrence, the same update with ``n_b = 1``. The mean is
    carried to twice the working precision, so that a large common offset costs
    no digits of the variance. The raw sums ``M4`` overflow for deviations beyond
    about 1e77 (refused) and underflow below about 1e-77 (kurtosis and skewness
    lose digits); :func:`.describe` rescales and has neither limit.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.stats import RunningMoments
    >>> x = np.arange(10.0)
    >>> rm = RunningMoments().update(x[:3]).update(x[3:7]).push(7.0)
    >>> rm = rm + RunningMoments.from_array(x[8:])
    >>> rm.n, rm.mean, rm.var(ddof=1), rm.min, rm.max
    (10, 4.5, 9.166666666666666, 0.0, 9.0)
    """

    def __init__(self):
        self._sums = _EMPTY

    @classmethod
    def from_array(cls, x):
        """The moments of the batch ``x``: ``RunningMoments().update(x)``."""
        return cls().update(x)

    def _check_shape(self, shape, what):
        if self.n and shape != self._sums.mean.shape:
            raise ValueError(
                f"{what} shape {shape}, but the observations seen so far have shape "
                f"{self._sums.mean.shape}"
            )

    def update(self, x):
        """Absorb a batch: ``x`` of shape ``(n,)`` (scalars) or ``(n, p)`` (rows).

        The batch's moments are computed two-pass and merged in; an empty batch
        changes nothing. Returns ``self``.
        """
        x = as_float_array(x, "x")
        if x.ndim not in (1, 2):
            raise ValueError(
                f"x must be a batch of shape (n,) or (n, p), got shape {x.shape}; "
                "push() adds a single observation"
            )
        self._check_shape(x.shape[1:], "the observations in x have")
        n = x.shape[0]
        if n == 0:
            return self
        sums = _scaled_central_power_sums(x, (0,), n)
        s, mu, e, m2, m3, m4 = (np.squeeze(a, axis=0) for a in sums)
        with np.errstate(over="ignore", invalid="ignore"):
            # M_k = s^k M_k(x / s), multiplied from the left so that M_k = 0 stays 0
            m2, m3, m4 = m2 * s * s, m3 * s * s * s, m4 * s * s * s * s
        if not np.isfinite(m4).all():
            raise ValueError("x spreads too widely: its fourth-power sums overflow float64")
        mean, mean_low = _two_sum(mu * s, e * s)
        batch = _Sums(n, mean, mean_low, m2, m3, m4, x.min(axis=0), x.max(axis=0))
        self._sums = _merge_sums(self._sums, batch)
        return self

    def push(self, value):
        """Absorb one observation (a scalar, or a row of ``p`` values) by Welford's update.

        With ``n`` the new count, ``delta = value - mean`` and ``r = delta / n``::

            mean += r
            M4 += delta r^3 (n-1)(n^2 - 3n + 3) + 6 r^2 M2 - 4 r M3
            M3 += delta r^2 (n-1)(n-2) - 3 r M2
            M2 += delta r (n-1)

        (right-hand sides use the old ``M2``, ``M3``). Returns ``self``.
        """
        value = as_float_array(value, "value", copy=True)
        if value.ndim > 1:
            raise ValueError(f"value must be a scalar or a 1-D row, got shape {value.shape}")
        self._check_shape(value.shape, "value has")
        old = self._sums
        if old.n == 0:
            zero = np.zeros_like(value)
            self._sums = _Sums(1, value, zero, zero, zero, zero, value, value)
            return self
        n = old.n + 1
        delta = (value - old.mean) - old.mean_low
        r = delta / n
        term = delta * r * old.n  # = delta^2 (n - 1) / n, the increase of M2
        m4 = (
            old.m4 + term * r * r * (n * n - 3.0 * n + 3.0) + 6.0 * r * r * old.m2 - 4.0 * r * old.m3
        )
        m3 = old.m3 + term * r * (n - 2.0) - 3.0 * r * old.m2
        m2 = old.m2 + term
        mean, mean_low = _add_to_mean(old, r)
        low, high = np.minimum(old.low, value), np.maximum(old.high, value)
        self._sums = _Sums(n, mean, mean_low, m2, m3, m4, low, high)
        return self

    def merge(self, other):
        """The moments of both samples together, as a new object (``self + other``).

        Chan, Golub and LeVeque's pairwise update: with ``delta = mean_b - mean_a``,
        ``mean = mean_a + delta n_b / n`` and
        ``M2 = M2_a + M2_b + delta^2 n_a n_b / n`` (Pébay 2008 for ``M3``, ``M4``).
        It is exact in exact arithmetic, so chunks may be merged in any order.
        """
        if not isinstance(other, RunningMoments):
            raise TypeError(f"other must be a RunningMoments, got {type(other).__name__}")
        if self.n and other.n and self._sums.mean.shape != other._sums.mean.shape:
            raise ValueError(
                f"cannot merge moments of observations of shape {self._sums.mean.shape} "
                f"with shape {other._sums.mean.shape}"
            )
        merged = RunningMoments()
        merged._sums = _merge_sums(self._sums, other._sums)
        return merged

    def __add__(self, other):
        if not isinstance(other, RunningMoments):
            return NotImplemented
        return self.merge(other)

    def __radd__(self, other):
        if isinstance(other, int) and other == 0:  # sum(parts) starts from 0
            return self.merge(RunningMoments())
        return NotImplemented

    def __repr__(self) -> str:
        if self.n == 0:
            return "RunningMoments(n=0)"
        return f"RunningMoments(n={self.n}, mean={self.mean!r})"

    # ------------------------------------------------------------ statistics

    def _require_data(self):
        if self.n == 0:
            raise ValueError("no observations yet: call update() or push() first")
        return self._sums

    @property
    def central_sums(self):
        """(n, mean, mean_low, m2, m3, m4, low, high): the mergeable state itself.

        M_k = sum_i (x_i - mean)^k for k = 2, 3, 4, per entry of an observation; the
        mean is the double-length sum ``mean + mean_low``. For code that needs the
        central sums rather than the ratios the other properties return.
        """
        return self._require_data()

    @property
    def n(self) -> int:
        """Number of observations absorbed."""
        return self._sums.n

    @property
    def mean(self):
        """``xbar = (1/n) sum_i x_i``."""
        sums = self._require_data()
        return _output(sums.mean + sums.mean_low)

    def var(self, ddof=0):
        """``M2 / (n - ddof)``; ``ddof`` must be smaller than ``n``."""
        ddof = _check_ddof(ddof, self.n)
        return _output(self._sums.m2 / (self.n - ddof))

    def std(self, ddof=0):
        """``sqrt(M2 / (n - ddof))``."""
        ddof = _check_ddof(ddof, self.n)
        return _output(np.sqrt(self._sums.m2 / (self.n - ddof)))

    def sem(self, ddof=1):
        """Standard error of the mean, ``sqrt(M2 / ((n - ddof) n))``."""
        ddof = _check_ddof(ddof, self.n)
        return _output(np.sqrt(self._sums.m2 / ((self.n - ddof) * self.n)))

    def _shape_sums(self, what):
        sums = self._require_data()
        _reject_constant(sums.low == sums.high, what)
        if np.any(sums.m2 == 0):
            raise ValueError(
                f"the {what} cannot be computed from raw sums: the deviations are too small "
                "for float64 (their squares underflow); use describe() on the data"
            )
        return sums

    @property
    def skewness(self):
        """``g1 = sqrt(n) M3 / M2^(3/2)`` (biased, as :func:`.skewness`)."""
        sums = self._shape_sums("skewness")
        return _output(_skewness_from_sums(sums.n, sums.m2, sums.m3))

    @property
    def kurtosis(self):
        """Excess kurtosis ``g2 = n M4 / M2^2 - 3`` (biased, as :func:`.kurtosis`)."""
        sums = self._shape_sums("kurtosis")
        return _output(_kurtosis_from_sums(sums.n, sums.m2, sums.m4))

    @property
    def min(self):
        """Smallest observation (per column)."""
        return _output(self._require_data().low.copy())

    @property
    def max(self):
        """Largest observation (per column)."""
        return _output(self._require_data().high.copy())
