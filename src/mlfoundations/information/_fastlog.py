"""A natural logarithm that the compiler can vectorise, for blocks of positive numbers.

The entropy and divergence kernels spend nearly all their time in logarithms; the
C library's ``log`` is a scalar call, so a loop over it runs one value at a time.
This one is straight-line arithmetic on four doubles per AVX2 instruction:

    x = m 2^e with m in [sqrt(2)/2, sqrt(2)),
    log x = e log 2 + log m,   log m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...),
    s = (m - 1) / (m + 1),     |s| <= (sqrt(2) - 1) / (sqrt(2) + 1) < 0.1716.

m and e are read from the bits of x. With s^2 < 0.0295, the series stopped after
s^21/21 leaves a truncation error below s^22/23 < 2^-60 relative, and log 2 is split into a
part with trailing zero bits (so that e * LN2_HI is exact) and a correction. The
result is within 2 ulp of the correctly rounded logarithm (tested against
``numpy.log``); the reduction to [sqrt(2)/2, sqrt(2)) keeps log m from cancelling
against e log 2 for x just below 1.

References: M. Abramowitz and I. A. Stegun, *Handbook of Mathematical Functions*,
formula 4.1.27 (the atanh series of the logarithm); J.-M. Muller, *Elementary
Functions*, 3rd ed., Birkhaeuser 2016, chapter 11 (range reduction).
"""

from __future__ import annotations

import numpy as np
from numba import njit

# reassociation lets LLVM split sums into vector lanes; no nnan/ninf: masked lanes
# may hold NaN or inf and are discarded by a select
FASTMATH = {"reassoc", "contract", "nsz", "arcp"}

LN2_HI = 6.93147180369123816490e-01  # log 2 with its last 21 bits zero: e * LN2_HI is exact
LN2_LO = 1.90821492927058770002e-10  # log 2 - LN2_HI
SQRT2 = 1.4142135623730951
_MANTISSA = 0x000FFFFFFFFFFFFF
_ONE = 0x3FF0000000000000  # the exponent bits of 1.0
_EXPONENT = 0x7FF


@njit(cache=True, fastmath=FASTMATH, error_model="numpy", inline="always")
def _log_reduced(m, e):
    """log(m 2^e) for m in [1, 2): fold m into [sqrt(2)/2, sqrt(2)), then the series."""
    above = m > SQRT2
    m = m * 0.5 if above else m
    e = e + 1.0 if above else e
    s = (m - 1.0) / (m + 1.0)
    z = s * s
    # 2 atanh(s) / s - 2 = z (2/3 + z (2/5 + ... + z 2/21)), by Horner
    p = 2.0 / 21.0
    p = p * z + 2.0 / 19.0
    p = p * z + 2.0 / 17.0
    p = p * z + 2.0 / 15.0
    p = p * z + 2.0 / 13.0
    p = p * z + 2.0 / 11.0
    p = p * z + 2.0 / 9.0
    p = p * z + 2.0 / 7.0
    p = p * z + 2.0 / 5.0
    p = p * z + 2.0 / 3.0
    return e * LN2_HI + (s * (2.0 + z * p) + e * LN2_LO)


@njit(cache=True, fastmath=FASTMATH, error_model="numpy")
def log_block(x, n, out, bits, exponent):
    """out[:n] = log(x[:n]) for positive normal numbers; ``bits`` and ``exponent`` are
    scratch of length >= n.

    Returns True if some x[j] is zero, subnormal, infinite or NaN, whose logarithm is
    not computed (the caller falls back to ``np.log``). Callers put 1 (log 1 = 0) in
    the places of terms that are 0 by convention, such as 0 log 0.
    """
    xi = x.view(np.int64)
    special = 0
    for j in range(n):
        b = xi[j]
        field = (b >> 52) & _EXPONENT
        special |= np.int64(field == _EXPONENT) | np.int64(field == 0)
        exponent[j] = field - 1023
        bits[j] = (b & _MANTISSA) | _ONE
    mantissa = bits.view(np.float64)
    for j in range(n):
        out[j] = _log_reduced(mantissa[j], exponent[j])
    return special != 0
