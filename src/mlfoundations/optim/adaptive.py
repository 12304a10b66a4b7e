r"""Adaptive rescalings: divide each coordinate by a running estimate of its gradient's size.

``scale_by_rms`` (RMSprop) divides by a running root mean square, ``scale_by_adam``
adds a bias-corrected running mean on top (Adam). Both are pure transforms (see
:mod:`.transforms`) that work leaf by leaf on parameter trees and keep each leaf's
dtype.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from .._validation import check_bool, check_positive, check_real
from ._tree import tree_map, unzip
from .transforms import GradientTransformation, check_decay_rate, zeros_like_tree

__all__ = ["ScaleByRmsState", "ScaleByAdamState", "scale_by_rms", "scale_by_adam"]


class ScaleByRmsState(NamedTuple):
    """Running means of ``g**2`` and, when centred, of ``g``."""

    square_avg: object
    grad_avg: object


class ScaleByAdamState(NamedTuple):
    """Step count ``t`` and the first and second moment estimates ``m``, ``v``."""

    step: int
    exp_avg: object
    exp_avg_sq: object
    max_exp_avg_sq: object


_NO_MAX = np.empty(0)


@njit(inline="always")
def _adam_moments(gi, mi, vi, one, b1, b2):
    """m <- m + (1 - b1)(g - m),  v <- b2 v + (1 - b2) g^2."""
    return mi + (one - b1) * (gi - mi), b2 * vi + (one - b2) * (gi * gi)


# error_model="numpy": 0/0 gives NaN as in NumPy and PyTorch (not ZeroDivisionError),
# and without the zero checks LLVM vectorises the loop (3x faster)
@njit(cache=True, error_model="numpy")
def _adam_kernel(g, m, v, v_max, b1, b2, c1, c2, eps):
    """One Adam step on flat arrays, in one pass: the direction and the new moments.

    ``c1 = 1 / (1 - b1^t)`` and ``c2 = 1 / sqrt(1 - b2^t)``; the direction is
    ``c1 m / (c2 sqrt(v) + eps)``, with ``v`` replaced by its running maximum under
    AMSGrad (``v_max`` is empty otherwise). Fused because the NumPy form needs a dozen
    passes and temporaries over arrays as large as the model (this is the optimizer's
    whole cost per step).
    """
    amsgrad = v_max.size > 0
    direction = np.empty_like(g)
    m_new = np.empty_like(m)
    v_new = np.empty_like(v)
    v_max_new = np.empty_like(v_max)
    # the arithmetic runs in the parameters' precision (as PyTorch's does): float32
    # parameters get float32 math, which also lets LLVM use twice the SIMD lanes
    real = g.dtype.type
    one, b1, b2, c1, c2, eps = real(1.0), real(b1), real(b2), real(c1), real(c2), real(eps)
    # two loops rather than one with a branch inside, so that the plain one vectorises
    if amsgrad:
        for i in range(g.size):
            m_new[i], v_new[i] = _adam_moments(g[i], m[i], v[i], one, b1, b2)
            v_max_new[i] = max(v_max[i], v_new[i])
            direction[i] = (c1 * m_new[i]) / (np.sqrt(v_max_new[i]) * c2 + eps)
    else:
        for i in range(g.size):
            m_new[i], v_new[i] = _adam_moments(g[i], m[i], v[i], one, b1, b2)
            direction[i] = (c1 * m_new[i]) / (np.sqrt(v_new[i]) * c2 + eps)
    return direction, m_new, v_new, v_max_new


def scale_by_rms(alpha: float = 0.99, eps: float = 1e-8, *, centered: bool = False) -> GradientTransformation:
    r"""Divide by a running root mean square of the gradient (RMSprop).

    Parameters
    ----------
    alpha : float, default 0.99
        Smoothing constant ``alpha`` in [0, 1].
    eps : float, default 1e-8
        ``epsilon >= 0`` added to the root mean square.
    centered : bool, default False
        Divide by the running standard deviation instead (Graves, 2013).

    Returns
    -------
    GradientTransformation
        State :class:`ScaleByRmsState` ``(square_avg, grad_avg)``; ``grad_avg`` is
        None unless centred.

    Notes
    -----
    Starting from ``v_0 = 0`` (and ``m_0 = 0``):

    .. math::

        v_t = \alpha v_{t-1} + (1 - \alpha) g_t^2, \qquad
        d_t = \frac{g_t}{\sqrt{v_t} + \epsilon},

    and, centred, ``m_t = alpha m_{t-1} + (1 - alpha) g_t`` with
    ``d_t = g_t / (sqrt(v_t - m_t^2) + epsilon)``. ``epsilon`` is added outside the
    square root, as in PyTorch.

    References
    ----------
    T. Tieleman and G. Hinton, Lecture 6.5 - RMSprop, COURSERA: Neural Networks for
    Machine Learning, 2012. A. Graves, "Generating sequences with recurrent neural
    networks", arXiv:1308.0850, 2013, eqs. (38)-(41).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import scale_by_rms
    >>> tx = scale_by_rms(alpha=0.75, eps=0.0)
    >>> g = np.array([2.0])
    >>> tx.update(g, tx.init(g))[0]  # 2 / sqrt(0.25 * 4)
    array([2.])
    """
    alpha = check_real(alpha, "alpha")
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1], got {alpha!r}")
    eps = check_positive(eps, "eps", strict=False)
    centered = check_bool(centered, "centered")

    def init(params):
        zeros = zeros_like_tree(params)
        return ScaleByRmsState(square_avg=zeros, grad_avg=zeros_like_tree(params) if centered else None)

    def leaf(g, v, m):
        v = alpha * v + (1.0 - alpha) * (g * g)
        if m is None:
            return g / (np.sqrt(v) + eps), v, None
        m = m + (1.0 - alpha) * (g - m)
        return g / (np.sqrt(v - m * m) + eps), v, m

    def update(grads, state, params=None):
        if centered:
            out = tree_map(leaf, grads, state.square_avg, state.grad_avg)
            direction, v, m = unzip(out, grads, 3)
        else:
            out = tree_map(lambda g, v: leaf(g, v, None)[:2], grads, state.square_avg)
            (direction, v), m = unzip(out, grads, 2), None
        return direction, ScaleByRmsState(v, m)

    return GradientTransformation(init, update)


def scale_by_adam(
    b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8, *, amsgrad: bool = False
) -> GradientTransformation:
    r"""Adam's direction: the bias-corrected first moment over the root of the second.

    Parameters
    ----------
    b1, b2 : float, default 0.9, 0.999
        Decay rates ``beta_1, beta_2`` in [0, 1) of the moment estimates.
    eps : float, default 1e-8
        ``epsilon >= 0`` added to the root of the second moment.
    amsgrad : bool, default False
        Divide by the running maximum of the second moment (Reddi et al., 2018).

    Returns
    -------
    GradientTransformation
        State :class:`ScaleByAdamState` ``(step, exp_avg, exp_avg_sq, max_exp_avg_sq)``;
        ``max_exp_avg_sq`` is None unless ``amsgrad``.

    Notes
    -----
    Starting from ``m_0 = v_0 = 0`` (Kingma & Ba, 2015, Algorithm 1):

    .. math::

        m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2,

        \hat m_t = \frac{m_t}{1 - \beta_1^t}, \qquad \hat v_t = \frac{v_t}{1 - \beta_2^t},
        \qquad d_t = \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}.

    AMSGrad replaces ``v_t`` by ``max(v_1, ..., v_t)`` in ``hat v_t``.

    References
    ----------
    D. P. Kingma and J. Ba, "Adam: A method for stochastic optimization", ICLR 2015.
    S. J. Reddi, S. Kale and S. Kumar, "On the convergence of Adam and beyond",
    ICLR 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import scale_by_adam
    >>> tx = scale_by_adam(eps=0.0)
    >>> g = np.array([-3.0])
    >>> tx.update(g, tx.init(g))[0]  # the first step is sign(g): m_hat = g, v_hat = g^2
    array([-1.])
    """
    b1 = check_decay_rate(b1, "b1")
    b2 = check_decay_rate(b2, "b2")
    eps = check_positive(eps, "eps", strict=False)
    amsgrad = check_bool(amsgrad, "amsgrad")

    def init(params):
        return ScaleByAdamState(
            step=0,
            exp_avg=zeros_like_tree(params),
            exp_avg_sq=zeros_like_tree(params),
            max_exp_avg_sq=zeros_like_tree(params) if amsgrad else None,
        )

    def update(grads, state, params=None):
        t = state.step + 1
        # 1 / (1 - beta^t) applied as scalars: no extra pass over the arrays
        c1 = 1.0 / (1.0 - b1**t)
        c2 = 1.0 / math.sqrt(1.0 - b2**t)

        def leaf(g, m, v, v_max=None):
            # the moments carry the parameters' dtype; the gradient follows it
            g = np.asarray(g, dtype=m.dtype)
            flat = [np.ascontiguousarray(a).reshape(-1) for a in (g, m, v)]
            flat_max = _NO_MAX if v_max is None else np.ascontiguousarray(v_max).reshape(-1)
            d, m, v, v_max_new = _adam_kernel(*flat, flat_max, b1, b2, c1, c2, eps)
            shape = g.shape
            out = (d.reshape(shape), m.reshape(shape), v.reshape(shape))
            return out if v_max is None else out + (v_max_new.reshape(shape),)

        if amsgrad:
            out = tree_map(leaf, grads, state.exp_avg, state.exp_avg_sq, state.max_exp_avg_sq)
            direction, m, v, v_max = unzip(out, grads, 4)
        else:
            out = tree_map(leaf, grads, state.exp_avg, state.exp_avg_sq)
            (direction, m, v), v_max = unzip(out, grads, 3), None
        return direction, ScaleByAdamState(t, m, v, v_max)

    return GradientTransformation(init, update)
