"""Row kernels for entropy, cross-entropy, KL and Jensen-Shannon divergence (in nats).

Each kernel walks the rows of ``P`` (and ``Q``) once. A row is read twice while it
is still in cache: first to add it up and check that no entry is negative or NaN,
then to accumulate the divergence of the normalised row ``a = p / sum(p)``. The
totals and checks are written out so that the caller can raise a precise error;
a row that fails them gets NaN and is never reported as a result.

Broadcasting: ``P`` has ``m`` rows or a single row used for every output row (the
same for ``Q``), so a single reference distribution is never copied ``m`` times.

The second pass goes block by block (``_BLOCK`` entries): a vectorised block
(`_fastlog.log_block`, four logarithms per instruction) gives the block's sum, and
the block sums are added with Neumaier's compensated summation, so the rounding
error is that of a 256-term sum whatever the length of the row. A block holding a
value the vectorised logarithm does not cover (a subnormal ratio; a zero or an
infinite ratio, where the answer is infinite) is done again term by term with
``np.log``, which is exact about zeros: 0 log 0 = 0, a log(a / 0) = inf.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._fastlog import FASTMATH, log_block

_BLOCK = 256
_TINY = 2.2250738585072014e-308  # the smallest normal double


# ---------------------------------------------------------------- totals
@njit(cache=True, inline="always")
def _neumaier_add(total, compensation, value):
    """One step of Neumaier's compensated sum: (total, compensation) += value."""
    t = total + value
    if abs(total) >= abs(value):
        compensation += (total - t) + value
    else:
        compensation += (value - t) + total
    return t, compensation


@njit(cache=True)
def _total(x):
    """(sum of the row, True if every entry is >= 0); NaN fails the check."""
    n = x.shape[0]
    total = 0.0
    comp = 0.0
    nonnegative = True
    for start in range(0, n, _BLOCK):
        part = 0.0
        for j in range(start, min(start + _BLOCK, n)):
            v = x[j]
            nonnegative &= v >= 0.0
            part += v
        total, comp = _neumaier_add(total, comp, part)
    return total + comp, nonnegative


@njit(cache=True)
def _row_total(X, i, sums, valid):
    """Total of row i of X (row 0 when X is a single broadcast row), computed once."""
    if X.shape[0] == 1:
        if i == 0:
            sums[0], valid[0] = _total(X[0])
        return sums[0], valid[0]
    sums[i], valid[i] = _total(X[i])
    return sums[i], valid[i]


@njit(cache=True, inline="always")
def _usable(total, valid):
    return valid and 0.0 < total < np.inf


@njit(cache=True)
def _scratch():
    """Buffers of one block: the arguments of the logarithms, their logarithms, and
    the bits and exponents `log_block` works in."""
    return (np.empty(_BLOCK), np.empty(_BLOCK), np.empty(_BLOCK), np.empty(_BLOCK),
            np.empty(_BLOCK, dtype=np.int64), np.empty(_BLOCK))


# ---------------------------------------------------------------- entropy
@njit(cache=True, fastmath=FASTMATH, error_model="numpy")
def _entropy_block(p, inv_s, arg, logs, bits, expo):
    """(sum_j a_j log a_j with a = p inv_s, True if the fast logarithm cannot do it)."""
    n = p.shape[0]
    for j in range(n):
        arg[j] = p[j] * inv_s if p[j] > 0.0 else 1.0  # log 1 = 0: zeros add nothing
    special = log_block(arg, n, logs, bits, expo)
    part = 0.0
    for j in range(n):
        part += (p[j] * inv_s) * logs[j]
    return part, special


@njit(cache=True)
def _entropy_block_exact(p, inv_s):
    part = 0.0
    for v in p:
        if v > 0.0:
            a = v * inv_s
            part += a * np.log(a)
    return part


@njit(cache=True)
def entropy_rows(P, out, sums, valid):
    """out[i] = -sum_j a_j log a_j with a = P[i] / sum(P[i]), and 0 log 0 = 0."""
    n = P.shape[1]
    arg, logs, _, _, bits, expo = _scratch()
    for i in range(out.shape[0]):
        s, ok = _row_total(P, i, sums, valid)
        if not _usable(s, ok):
            out[i] = np.nan
            continue
        row = P[i if P.shape[0] > 1 else 0]
        inv_s = 1.0 / s
        acc = 0.0
        comp = 0.0
        for start in range(0, n, _BLOCK):
            block = row[start:min(start + _BLOCK, n)]
            part, special = _entropy_block(block, inv_s, arg, logs, bits, expo)
            if special:
                part = _entropy_block_exact(block, inv_s)
            acc, comp = _neumaier_add(acc, comp, part)
        out[i] = -(acc + comp)


# ---------------------------------------------------------------- cross-entropy
@njit(cache=True, fastmath=FASTMATH, error_model="numpy")
def _cross_entropy_block(p, q, inv_s, inv_t, arg, logs, bits, expo):
    """(-sum_j a_j log b_j, True if the fast logarithm cannot do it or some b_j = 0 < a_j)."""
    n = p.shape[0]
    for j in range(n):
        arg[j] = q[j] * inv_t if p[j] > 0.0 else 1.0  # b = 0 < a: special, the exact path
    special = log_block(arg, n, logs, bits, expo)
    part = 0.0
    for j in range(n):
        part -= (p[j] * inv_s) * logs[j]
    return part, special


@njit(cache=True)
def _cross_entropy_block_exact(p, q, inv_s, inv_t):
    part = 0.0
    for j in range(p.shape[0]):
        if p[j] > 0.0:
            b = q[j] * inv_t
            if b == 0.0:
                return np.inf  # a log(1/0): the honest value is +inf
            part -= (p[j] * inv_s) * np.log(b)
    return part


@njit(cache=True)
def cross_entropy_rows(P, Q, out, sums_p, valid_p, sums_q, valid_q):
    """out[i] = -sum_j a_j log b_j (a, b the normalised rows); inf where b_j = 0 < a_j."""
    n = P.shape[1]
    arg, logs, _, _, bits, expo = _scratch()
    for i in range(out.shape[0]):
        s, ok_p = _row_total(P, i, sums_p, valid_p)
        t, ok_q = _row_total(Q, i, sums_q, valid_q)
        if not (_usable(s, ok_p) and _usable(t, ok_q)):
            out[i] = np.nan
            continue
        p = P[i if P.shape[0] > 1 else 0]
        q = Q[i if Q.shape[0] > 1 else 0]
        inv_s, inv_t = 1.0 / s, 1.0 / t
        acc = 0.0
        comp = 0.0
        for start in range(0, n, _BLOCK):
            stop = min(start + _BLOCK, n)
            part, special = _cross_entropy_block(p[start:stop], q[start:stop], inv_s, inv_t,
                                                 arg, logs, bits, expo)
            if special:
                part = _cross_entropy_block_exact(p[start:stop], q[start:stop], inv_s, inv_t)
                if part == np.inf:
                    acc, comp = np.inf, 0.0
                    break
            acc, comp = _neumaier_add(acc, comp, part)
        out[i] = acc + comp


# ---------------------------------------------------------------- KL divergence
@njit(cache=True, fastmath=FASTMATH, error_model="numpy")
def _kl_block(p, q, inv_s, t_over_s, arg, logs, bits, expo):
    """(sum_j a_j log(a_j / b_j), True if the fast logarithm cannot do it).

    a / b = (p / q)(t / s) is formed first: exactly 1 where p = q (and s = t), so no
    digits are lost when a ~ b. q = 0 < p gives an infinite ratio: special.
    """
    n = p.shape[0]
    for j in range(n):
        arg[j] = (p[j] / q[j]) * t_over_s if p[j] > 0.0 else 1.0
    special = log_block(arg, n, logs, bits, expo)
    part = 0.0
    for j in range(n):
        part += (p[j] * inv_s) * logs[j]
    return part, special


@njit(cache=True)
def _kl_block_exact(p, q, inv_s, inv_t, t_over_s):
    part = 0.0
    for j in range(p.shape[0]):
        if p[j] > 0.0:
            if q[j] == 0.0:
                return np.inf
            r = (p[j] / q[j]) * t_over_s
            if _TINY <= r < np.inf:
                part += (p[j] * inv_s) * np.log(r)
            else:  # the ratio leaves the normal range: subtract the logarithms
                a, b = p[j] * inv_s, q[j] * inv_t
                part += a * (np.log(a) - np.log(b))
    return part


@njit(cache=True)
def kl_rows(P, Q, out, sums_p, valid_p, sums_q, valid_q):
    """out[i] = sum_j a_j log(a_j / b_j); 0 where a_j = 0, inf where b_j = 0 < a_j."""
    n = P.shape[1]
    arg, logs, _, _, bits, expo = _scratch()
    for i in range(out.shape[0]):
        s, ok_p = _row_total(P, i, sums_p, valid_p)
        t, ok_q = _row_total(Q, i, sums_q, valid_q)
        if not (_usable(s, ok_p) and _usable(t, ok_q)):
            out[i] = np.nan
            continue
        p = P[i if P.shape[0] > 1 else 0]
        q = Q[i if Q.shape[0] > 1 else 0]
        inv_s, inv_t, t_over_s = 1.0 / s, 1.0 / t, t / s
        acc = 0.0
        comp = 0.0
        for start in range(0, n, _BLOCK):
            stop = min(start + _BLOCK, n)
            part, special = _kl_block(p[start:stop], q[start:stop], inv_s, t_over_s,
                                      arg, logs, bits, expo)
            if special:
                part = _kl_block_exact(p[start:stop], q[start:stop], inv_s, inv_t, t_over_s)
                if part == np.inf:
                    acc, comp = np.inf, 0.0
                    break
            acc, comp = _neumaier_add(acc, comp, part)
        out[i] = acc + comp


# ---------------------------------------------------------------- Jensen-Shannon
@njit(cache=True, fastmath=FASTMATH, error_model="numpy")
def _js_block(p, q, inv_s, inv_t, arg, logs, arg2, logs2, bits, expo):
    """(sum_j a_j log(a_j / m_j) + b_j log(b_j / m_j), True if the fast logarithm
    cannot do it); a / m = 2a / (a + b) <= 2, never infinite."""
    n = p.shape[0]
    for j in range(n):
        a = p[j] * inv_s
        b = q[j] * inv_t
        ab = a + b
        arg[j] = 2.0 * a / ab if a > 0.0 else 1.0
        arg2[j] = 2.0 * b / ab if b > 0.0 else 1.0
    special = log_block(arg, n, logs, bits, expo)
    special |= log_block(arg2, n, logs2, bits, expo)
    part = 0.0
    for j in range(n):
        part += (p[j] * inv_s) * logs[j] + (q[j] * inv_t) * logs2[j]
    return part, special


@njit(cache=True)
def _js_block_exact(p, q, inv_s, inv_t):
    part = 0.0
    for j in range(p.shape[0]):
        a = p[j] * inv_s
        b = q[j] * inv_t
        ab = a + b  # >= max(a, b): never underflows where m = (a + b) / 2 could
        if a > 0.0:
            part += a * np.log(2.0 * a / ab)
        if b > 0.0:
            part += b * np.log(2.0 * b / ab)
    return part


@njit(cache=True)
def js_rows(P, Q, out, sums_p, valid_p, sums_q, valid_q):
    """out[i] = (KL(a || m) + KL(b || m)) / 2 with m = (a + b) / 2."""
    n = P.shape[1]
    arg, logs, arg2, logs2, bits, expo = _scratch()
    for i in range(out.shape[0]):
        s, ok_p = _row_total(P, i, sums_p, valid_p)
        t, ok_q = _row_total(Q, i, sums_q, valid_q)
        if not (_usable(s, ok_p) and _usable(t, ok_q)):
            out[i] = np.nan
            continue
        p = P[i if P.shape[0] > 1 else 0]
        q = Q[i if Q.shape[0] > 1 else 0]
        inv_s, inv_t = 1.0 / s, 1.0 / t
        acc = 0.0
        comp = 0.0
        for start in range(0, n, _BLOCK):
            stop = min(start + _BLOCK, n)
            part, special = _js_block(p[start:stop], q[start:stop], inv_s, inv_t,
                                      arg, logs, arg2, logs2, bits, expo)
            if special:
                part = _js_block_exact(p[start:stop], q[start:stop], inv_s, inv_t)
            acc, comp = _neumaier_add(acc, comp, part)
        out[i] = 0.5 * (acc + comp)
