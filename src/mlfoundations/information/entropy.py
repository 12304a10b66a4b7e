"""Entropy and the divergences between discrete distributions, and the Gaussian KL.

Conventions shared by every function here:

* Units: ``base=2`` (the default, as in the guide) gives bits, ``base=np.e`` nats;
  any finite base > 0 other than 1 is allowed. A value in nats is divided by
  ``log(base)``.
* Zeros are exact: ``0 log 0 = 0`` and ``0 log(0 / q) = 0`` for every q, while a
  q = 0 where p > 0 gives ``inf`` -- the true value, with no warning.
* Distributions lie along ``axis`` (the last by default) and are batched over the
  other axes; ``p`` and ``q`` broadcast against each other. A single distribution
  gives a Python float, a batch an array of the batch shape.
* An argument must be a probability vector along ``axis``: entries >= 0 (NaN and
  inf refused) summing to 1 within 1e-8 (sqrt(eps) of the dtype for float32 input).
  Such a vector is still divided by its sum, so that the result does not depend on
  the rounding in how it was computed (as in ``scipy.stats.entropy``). With
  ``normalize=True`` any non-negative vector with a positive finite sum is accepted
  and divided by its sum, e.g. a vector of counts.
"""

from __future__ import annotations

import numpy as np

from .. import _dask
from .._dask import is_dask_collection
from .._validation import as_float_array
from . import _divergence_kernels as kernels
from ._probability_rows import (
    as_probability_array, check_axis, finish, log_of_base, probability_rows, sum_tolerance,
)

__all__ = [
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "js_divergence",
    "joint_entropy",
    "conditional_entropy",
    "perplexity",
    "gaussian_kl",
]

_LN2 = float(np.log(2.0))


def _entropy_nats(p, axis, normalize, name="p"):
    """(H in nats per row, batch shape) after checking ``p``."""
    arr = as_probability_array(p, name)
    (rows,), batch = probability_rows([arr], [name], axis, [sum_tolerance(p)])
    out = np.empty(int(np.prod(batch, dtype=np.int64)))
    kernels.entropy_rows(rows.matrix, out, rows.sums, rows.valid)
    rows.check(normalize)
    return np.maximum(out, 0.0), batch  # a sum of non-negative terms, up to rounding


def _pair_nats(kernel, p, q, axis, normalize):
    """(kernel value per row in nats, batch shape) after checking ``p`` and ``q``."""
    a, b = as_probability_array(p, "p"), as_probability_array(q, "q")
    (rp, rq), batch = probability_rows([a, b], ["p", "q"], axis,
                                       [sum_tolerance(p), sum_tolerance(q)])
    out = np.empty(int(np.prod(batch, dtype=np.int64)))
    kernel(rp.matrix, rq.matrix, out, rp.sums, rp.valid, rq.sums, rq.valid)
    rp.check(normalize)
    rq.check(normalize)
    return out, batch


def entropy(p, *, base=2, axis=-1, normalize=False):
    """Shannon entropy H(p) = -sum_i p_i log p_i of distributions along ``axis``.

    Parameters
    ----------
    p : (..., n, ...) array_like
        Probabilities along ``axis``: entries >= 0 summing to 1 (within 1e-8).
    base : float, default 2
        Logarithm base: 2 gives bits, ``np.e`` nats.
    axis : int, default -1
        The axis holding each distribution; the others are batch axes.
    normalize : bool, default False
        Divide ``p`` by its sum instead of requiring the sum to be 1 (counts, say).

    Returns
    -------
    float or ndarray
        A float for a 1-D ``p``, otherwise an array of ``p``'s shape without ``axis``.

    Raises
    ------
    ValueError
        If ``p`` is a scalar or has no outcome along ``axis``, holds NaN, inf or a
        negative entry, does not sum to 1 (or, with ``normalize``, sums to 0), or
        ``base`` is not a finite number > 0 other than 1.
    TypeError
        If ``base`` or ``axis`` is not a number.

    See Also
    --------
    perplexity : base ** entropy.

    Notes
    -----
    H(p) = -sum_i p_i log_b p_i with 0 log 0 = 0 (the limit of t log t as t -> 0), so
    outcomes of probability 0 contribute nothing. 0 <= H(p) <= log_b n, with equality
    for a point mass and for the uniform distribution. Agrees with
    ``scipy.stats.entropy(p, base=base, axis=axis)``, which always normalises.

    A ``dask.array.Array`` (or Dask Series) ``p`` is reduced block by block: each part
    of a distribution gives its total S_b and the entropy H_b of its normalised values,
    and parts merge by the grouping property H = sum_b (S_b / S) H_b + H(S_1/S, S_2/S, ...),
    in which every term is >= 0, so nothing cancels. The entropy of a discrete column of
    labels is that of its counts, ``entropy(counts, normalize=True)``.

    References
    ----------
    C. E. Shannon, "A mathematical theory of communication", Bell System Technical
    Journal 27 (1948). T. M. Cover and J. A. Thomas, *Elements of Information
    Theory*, 2nd ed., Wiley 2006, section 2.1.

    Examples
    --------
    >>> from mlfoundations.information import entropy
    >>> entropy([0.5, 0.5])  # a fair coin: one bit
    1.0
    >>> round(entropy([0.9, 0.1]), 3)  # a biased coin tells less
    0.469
    >>> import numpy as np
    >>> entropy([0, 1, 2], base=np.e, normalize=True)  # scipy.stats.entropy([0, 1, 2])
    0.6365141682948128
    """
    if is_dask_collection(p):
        return _dask.counts.entropy(p, base=base, axis=axis, normalize=normalize)
    log_base = log_of_base(base)
    h, batch = _entropy_nats(p, axis, normalize)
    return finish(h, batch, log_base)


def cross_entropy(p, q, *, base=2, axis=-1, normalize=False):
    """Cross-entropy H(p, q) = -sum_i p_i log q_i: the code length of p under q.

    Parameters
    ----------
    p, q : array_like, broadcastable
        Distributions along ``axis`` (entries >= 0 summing to 1 within 1e-8);
        ``p`` is the true distribution, ``q`` the model.
    base : float, default 2
        Logarithm base: 2 gives bits, ``np.e`` nats.
    axis : int, default -1
        The axis holding each distribution.
    normalize : bool, default False
        Divide ``p`` and ``q`` by their sums instead of requiring sums of 1.

    Returns
    -------
    float or ndarray
        A float for 1-D arguments, otherwise an array of the broadcast batch shape.
        ``inf`` where some q_i = 0 < p_i.

    Raises
    ------
    ValueError
        As `entropy`, naming ``p`` or ``q``; also if the shapes do not broadcast.

    Notes
    -----
    H(p, q) = H(p) + KL(p || q) >= H(p). Terms with p_i = 0 are 0 whatever q_i is.
    With a one-hot p (the label of a sample) it is the classification loss
    -log q_y; `mlfoundations.nn.functional.cross_entropy` is that loss on logits.

    References
    ----------
    Cover and Thomas, *Elements of Information Theory*, 2nd ed., 2006, section 5.4.

    Examples
    --------
    >>> from mlfoundations.information import cross_entropy
    >>> cross_entropy([1.0, 0.0], [0.5, 0.5])  # one bit to name a certain outcome
    1.0
    >>> cross_entropy([0.5, 0.5], [1.0, 0.0])  # q rules out an outcome p allows
    inf
    """
    log_base = log_of_base(base)
    out, batch = _pair_nats(kernels.cross_entropy_rows, p, q, axis, normalize)
    return finish(np.maximum(out, 0.0), batch, log_base)


def kl_divergence(p, q, *, base=2, axis=-1, normalize=False):
    """Kullback-Leibler divergence KL(p || q) = sum_i p_i log(p_i / q_i).

    Parameters
    ----------
    p, q : array_like, broadcastable
        Distributions along ``axis`` (entries >= 0 summing to 1 within 1e-8).
    base : float, default 2
        Logarithm base: 2 gives bits, ``np.e`` nats.
    axis : int, default -1
        The axis holding each distribution.
    normalize : bool, default False
        Divide ``p`` and ``q`` by their sums instead of requiring sums of 1.

    Returns
    -------
    float or ndarray
        KL >= 0, with 0 exactly when p = q; ``inf`` where some q_i = 0 < p_i.

    Raises
    ------
    ValueError
        As `entropy`, naming ``p`` or ``q``; also if the shapes do not broadcast.

    Notes
    -----
    KL(p || q) = H(p, q) - H(p), the extra code length paid for coding p with a code
    built for q; not symmetric. Each term is p_i log(p_i / q_i) with the ratio formed
    first, so that KL(p || p) is exactly 0 and nearly equal distributions lose no
    digits to cancellation. Agrees with ``scipy.special.rel_entr(p, q).sum(axis)``
    and ``scipy.stats.entropy(p, q)``. Rounding below 0 is clipped to 0.

    References
    ----------
    S. Kullback and R. A. Leibler, "On information and sufficiency", Annals of
    Mathematical Statistics 22 (1951). Cover and Thomas (2006), section 2.3.

    Examples
    --------
    >>> from mlfoundations.information import kl_divergence
    >>> round(kl_divergence([0.9, 0.1], [0.5, 0.5]), 6)  # 1 - H(0.9, 0.1) bits
    0.531004
    >>> kl_divergence([0.5, 0.5], [0.5, 0.5])
    0.0
    """
    log_base = log_of_base(base)
    out, batch = _pair_nats(kernels.kl_rows, p, q, axis, normalize)
    return finish(np.maximum(out, 0.0), batch, log_base)


def js_divergence(p, q, *, base=2, axis=-1, normalize=False):
    """Jensen-Shannon divergence JS(p, q) = (KL(p || m) + KL(q || m)) / 2, m = (p + q)/2.

    Parameters
    ----------
    p, q : array_like, broadcastable
        Distributions along ``axis`` (entries >= 0 summing to 1 within 1e-8).
    base : float, default 2
        Logarithm base; in bits 0 <= JS <= 1.
    axis : int, default -1
        The axis holding each distribution.
    normalize : bool, default False
        Divide ``p`` and ``q`` by their sums instead of requiring sums of 1.

    Returns
    -------
    float or ndarray
        The divergence, symmetric in p and q, finite, in [0, log_base 2].

    Raises
    ------
    ValueError
        As `entropy`, naming ``p`` or ``q``; also if the shapes do not broadcast.

    Notes
    -----
    JS(p, q) = H(m) - (H(p) + H(q)) / 2, never infinite since m_i >= p_i / 2. This is
    the *divergence*; its square root is a metric, the Jensen-Shannon *distance*
    that ``scipy.spatial.distance.jensenshannon`` returns (with ``base=e`` by
    default): ``jensenshannon(p, q, base=b) ** 2 == js_divergence(p, q, base=b)``.
    Rounding outside [0, log 2] is clipped to it.

    References
    ----------
    J. Lin, "Divergence measures based on the Shannon entropy", IEEE Transactions on
    Information Theory 37 (1991). D. M. Endres and J. E. Schindelin, "A new metric
    for probability distributions", IEEE Trans. Inf. Theory 49 (2003).

    Examples
    --------
    >>> from mlfoundations.information import js_divergence
    >>> js_divergence([1.0, 0.0], [0.0, 1.0])  # disjoint supports: the maximum, 1 bit
    1.0
    >>> js_divergence([0.9, 0.1], [0.1, 0.9]) == js_divergence([0.1, 0.9], [0.9, 0.1])
    True
    """
    log_base = log_of_base(base)
    out, batch = _pair_nats(kernels.js_rows, p, q, axis, normalize)
    return finish(np.clip(out, 0.0, _LN2), batch, log_base)


def joint_entropy(pxy, *, base=2, normalize=False):
    """Joint entropy H(X, Y, ...) = -sum p(x, y, ...) log p(x, y, ...) of a table.

    Parameters
    ----------
    pxy : array_like of any ndim >= 1
        The joint probability table, ``pxy[i, j, ...] = P(X = x_i, Y = y_j, ...)``;
        all entries together sum to 1 (within 1e-8).
    base : float, default 2
        Logarithm base: 2 gives bits, ``np.e`` nats.
    normalize : bool, default False
        Divide the table by its total (a table of counts, say).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        As `entropy`, naming ``pxy``.

    Notes
    -----
    The entropy of the table read as one distribution over all cells, so
    ``joint_entropy(pxy) == entropy(pxy.ravel())``. For independent X and Y,
    H(X, Y) = H(X) + H(Y); in general H(X, Y) = H(X) + H(Y | X) (the chain rule).

    Examples
    --------
    >>> from mlfoundations.information import joint_entropy
    >>> joint_entropy([[0.25, 0.25], [0.25, 0.25]])  # two fair coins: two bits
    2.0
    """
    log_base = log_of_base(base)
    arr = as_probability_array(pxy, "pxy")
    h, _ = _entropy_nats(arr.reshape(-1), -1, normalize, name="pxy")
    return finish(h, (), log_base)


def conditional_entropy(pxy, *, base=2, normalize=False):
    """Conditional entropy H(Y | X) = H(X, Y) - H(X) of a 2-D joint table (rows = X).

    Parameters
    ----------
    pxy : (n_x, n_y) array_like
        The joint table, ``pxy[i, j] = P(X = x_i, Y = y_j)``, summing to 1 (within
        1e-8). X, the variable conditioned on, indexes the rows; pass ``pxy.T`` for
        H(X | Y).
    base : float, default 2
        Logarithm base: 2 gives bits, ``np.e`` nats.
    normalize : bool, default False
        Divide the table by its total (a contingency table of counts, say).

    Returns
    -------
    float
        0 <= H(Y | X) <= H(Y), with 0 when Y is a function of X.

    Raises
    ------
    ValueError
        If ``pxy`` is not 2-D, or as `entropy`, naming ``pxy``.

    Notes
    -----
    Computed term by term, H(Y | X) = sum_{x,y} p(x, y) log(p(x) / p(x, y)) with
    p(x) = sum_y p(x, y): each term is >= 0, so no digits cancel as they would in the
    difference H(X, Y) - H(X). Equivalently sum_x p(x) H(Y | X = x), the expected
    entropy of the rows.

    References
    ----------
    Cover and Thomas, *Elements of Information Theory*, 2nd ed., 2006, section 2.2.

    Examples
    --------
    >>> from mlfoundations.information import conditional_entropy
    >>> conditional_entropy([[0.5, 0.0], [0.0, 0.5]])  # Y determined by X
    0.0
    >>> conditional_entropy([[0.25, 0.25], [0.25, 0.25]])  # Y independent of X
    1.0
    """
    log_base = log_of_base(base)
    arr = as_probability_array(pxy, "pxy")
    if arr.ndim != 2:
        raise ValueError(f"pxy must be a 2-D joint table (rows = X), got shape {arr.shape}")
    _entropy_nats(arr.reshape(-1), -1, normalize, name="pxy")  # checks the table
    joint = arr / arr.sum()
    px = joint.sum(axis=1, keepdims=True)  # >= every p(x, y) in its row
    cells = joint > 0.0
    p_x, p_xy = np.broadcast_to(px, joint.shape)[cells], joint[cells]
    with np.errstate(over="ignore"):
        log_ratio = np.log(p_x / p_xy)  # the ratio first: exact 0 where p(x, y) = p(x)
    overflow = ~np.isfinite(log_ratio)  # p(x, y) far below the normal range
    log_ratio[overflow] = np.log(p_x[overflow]) - np.log(p_xy[overflow])
    h = float(np.sum(p_xy * log_ratio))
    return max(h, 0.0) / log_base


def perplexity(p, *, base=2, axis=-1, normalize=False):
    """Perplexity base ** H_base(p): the effective number of equally likely outcomes.

    Parameters
    ----------
    p : array_like
        Distributions along ``axis`` (entries >= 0 summing to 1 within 1e-8).
    base : float, default 2
        The base of the entropy in ``base ** H``; the value does not depend on it
        (2 ** H_bits = e ** H_nats), it is accepted for symmetry with `entropy`.
    axis : int, default -1
        The axis holding each distribution.
    normalize : bool, default False
        Divide ``p`` by its sum instead of requiring the sum to be 1.

    Returns
    -------
    float or ndarray
        In [1, n]: 1 for a point mass, n for the uniform distribution on n outcomes.

    Raises
    ------
    ValueError
        As `entropy`.

    Notes
    -----
    Computed as exp(H in nats). The perplexity of a language model on a text is
    that of its per-token cross-entropy.

    Examples
    --------
    >>> from mlfoundations.information import perplexity
    >>> perplexity([0.25, 0.25, 0.25, 0.25])  # a fair four-sided die
    4.0
    """
    log_of_base(base)
    h, batch = _entropy_nats(p, axis, normalize)
    return finish(np.exp(h), batch, 1.0)


def gaussian_kl(mu, logvar, *, axis=-1):
    """KL(N(mu, diag(exp(logvar))) || N(0, I)) in nats: the KL term of a VAE.

    Parameters
    ----------
    mu : (..., d) array_like
        Means of the diagonal Gaussians (an encoder's output).
    logvar : (..., d) array_like, broadcastable with ``mu``
        Log-variances log sigma_i^2.
    axis : int, default -1
        The axis of the d latent dimensions, summed over; the others are a batch.

    Returns
    -------
    float or ndarray
        A float for 1-D arguments, otherwise one KL per batch entry. ``inf`` when a
        variance overflows (logvar > ~709).

    Raises
    ------
    ValueError
        If an argument holds NaN/inf, both are scalars, the shapes do not broadcast,
        or ``axis`` is out of range.

    See Also
    --------
    mlfoundations.autodiff.gaussian_kl : the same on Tensors, differentiable.
    mlfoundations.probability.MultivariateNormal.kl_divergence : any two Gaussians.

    Notes
    -----
    KL = 1/2 sum_i (sigma_i^2 + mu_i^2 - 1 - log sigma_i^2), the closed form of
    KL(N(mu_0, S_0) || N(mu_1, S_1)) for S_0 diagonal, mu_1 = 0, S_1 = I. The term
    sigma^2 - 1 - log sigma^2 is evaluated as expm1(logvar) - logvar, which keeps its
    digits when the variance is close to 1 (where the KL is small).

    References
    ----------
    D. P. Kingma and M. Welling, "Auto-encoding variational Bayes", ICLR 2014,
    appendix B.

    Examples
    --------
    >>> from mlfoundations.information import gaussian_kl
    >>> gaussian_kl([0.0, 0.0], [0.0, 0.0])  # the prior itself
    0.0
    >>> gaussian_kl([1.0], [0.0])  # a shifted mean costs mu^2 / 2
    0.5
    """
    m = as_float_array(mu, "mu")
    lv = as_float_array(logvar, "logvar")
    try:
        shape = np.broadcast_shapes(m.shape, lv.shape)
    except ValueError:
        raise ValueError(
            f"mu with shape {m.shape} and logvar with shape {lv.shape} do not broadcast together"
        ) from None
    if not shape:
        raise ValueError("mu and logvar are scalars; give at least one latent dimension")
    axis = check_axis(axis, len(shape), "mu and logvar")
    with np.errstate(over="ignore"):  # a huge variance is a huge (inf) divergence
        terms = np.expm1(lv) - lv + m * m
    kl = 0.5 * np.sum(terms, axis=axis)
    return float(kl) if kl.ndim == 0 else kl
