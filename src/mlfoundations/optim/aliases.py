r"""The named optimizers, each a chain of the transformations in :mod:`.transforms`.

One code path per algorithm: the stateful front ends (:class:`~mlfoundations.optim.SGD`
and friends) and :func:`~mlfoundations.optim.minimize` run exactly these chains.
"""

from __future__ import annotations

from .adaptive import scale_by_adam, scale_by_rms
from .transforms import (
    GradientTransformation,
    add_decayed_weights,
    chain,
    check_learning_rate,
    scale_by_learning_rate,
    trace,
)

__all__ = ["sgd", "rmsprop", "adam", "adamw"]


def sgd(
    learning_rate,
    momentum: float = 0.0,
    nesterov: bool = False,
    weight_decay: float = 0.0,
    *,
    dampening: float = 0.0,
) -> GradientTransformation:
    r"""Stochastic gradient descent with optional momentum, Nesterov and L2 weight decay.

    Parameters
    ----------
    learning_rate : float or callable
        ``eta >= 0`` or a schedule ``t -> eta_t``.
    momentum : float, default 0.0
        ``mu >= 0``; 0 is plain gradient descent.
    nesterov : bool, default False
        Nesterov momentum (needs ``mu > 0`` and no dampening).
    weight_decay : float, default 0.0
        ``lambda >= 0``, the L2 penalty ``(lambda / 2) ||w||^2`` added to the loss.
    dampening : float, default 0.0
        ``tau``, see :func:`~mlfoundations.optim.trace`.

    Returns
    -------
    GradientTransformation
        ``chain(add_decayed_weights(lambda), trace(mu, tau, nesterov), scale_by_learning_rate(eta))``
        (the trace is left out when ``mu = 0``).

    Raises
    ------
    ValueError
        If ``learning_rate``, ``momentum`` or ``weight_decay`` is negative or not finite,
        or Nesterov is asked for without momentum or with dampening.

    Notes
    -----
    PyTorch's ``torch.optim.SGD`` update, for gradient ``g_t`` of the loss at ``w_t``:

    .. math::

        d_t = g_t + \lambda w_t, \qquad
        b_1 = d_1, \quad b_t = \mu b_{t-1} + (1 - \tau) d_t,

        w_{t+1} = w_t - \eta\, b_t \quad\text{or, with Nesterov,}\quad
        w_{t+1} = w_t - \eta (d_t + \mu b_t).

    References
    ----------
    H. Robbins and S. Monro, "A stochastic approximation method", 1951.
    I. Sutskever et al., "On the importance of initialization and momentum in deep
    learning", ICML 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import sgd, apply_updates
    >>> tx = sgd(0.1)
    >>> w = np.array([1.0, -2.0])
    >>> updates, state = tx.update(2 * w, tx.init(w), w)  # gradient of ||w||^2
    >>> apply_updates(w, updates)
    array([ 0.8, -1.6])
    """
    learning_rate = check_learning_rate(learning_rate)
    momentum_tx = trace(momentum, dampening=dampening, nesterov=nesterov)
    parts = [add_decayed_weights(weight_decay)]
    if momentum != 0:
        parts.append(momentum_tx)
    parts.append(scale_by_learning_rate(learning_rate))
    return chain(*parts)


def rmsprop(
    learning_rate=1e-2,
    alpha: float = 0.99,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    centered: bool = False,
) -> GradientTransformation:
    r"""RMSprop: divide the gradient by a running root mean square of its recent values.

    Parameters
    ----------
    learning_rate : float or callable, default 1e-2
        ``eta >= 0`` or a schedule ``t -> eta_t``.
    alpha : float, default 0.99
        Smoothing constant in [0, 1].
    eps : float, default 1e-8
        ``epsilon >= 0`` added to the root mean square.
    weight_decay : float, default 0.0
        L2 penalty ``lambda >= 0``.
    momentum : float, default 0.0
        ``mu >= 0``, momentum on the rescaled gradient.
    centered : bool, default False
        Divide by the running standard deviation instead.

    Returns
    -------
    GradientTransformation
        ``chain(add_decayed_weights(lambda), scale_by_rms(alpha, eps, centered),
        trace(mu), scale_by_learning_rate(eta))`` (no trace when ``mu = 0``).

    Notes
    -----
    PyTorch's ``torch.optim.RMSprop``, with ``d_t = g_t + lambda w_t``:

    .. math::

        v_t = \alpha v_{t-1} + (1 - \alpha) d_t^2, \qquad
        \bar d_t = \alpha \bar d_{t-1} + (1 - \alpha) d_t \ \text{(centred only)},

        s_t = \frac{d_t}{\sqrt{v_t} + \epsilon} \ \text{or}\ \frac{d_t}{\sqrt{v_t - \bar d_t^2} + \epsilon},
        \qquad b_t = \mu b_{t-1} + s_t, \qquad w_{t+1} = w_t - \eta\, b_t,

    with ``v_0 = bar d_0 = b_0 = 0``.

    References
    ----------
    T. Tieleman and G. Hinton, Lecture 6.5 - RMSprop, COURSERA 2012; A. Graves,
    arXiv:1308.0850, 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import rmsprop
    >>> tx = rmsprop(0.01, alpha=0.99, eps=0.0)
    >>> g = np.array([4.0])
    >>> tx.update(g, tx.init(g), g)[0]  # -0.01 * 4 / sqrt(0.01 * 16)
    array([-0.1])
    """
    learning_rate = check_learning_rate(learning_rate)
    momentum_tx = trace(momentum)
    parts = [add_decayed_weights(weight_decay), scale_by_rms(alpha, eps, centered=centered)]
    if momentum != 0:
        parts.append(momentum_tx)
    parts.append(scale_by_learning_rate(learning_rate))
    return chain(*parts)


def adam(
    learning_rate=1e-3,
    b1: float = 0.9,
    b2: float = 0.999,
    eps: float = 1e-8,
    *,
    weight_decay: float = 0.0,
    amsgrad: bool = False,
) -> GradientTransformation:
    r"""Adam: momentum on the gradient, scaled per coordinate by its running RMS.

    Parameters
    ----------
    learning_rate : float or callable, default 1e-3
        ``eta >= 0`` or a schedule ``t -> eta_t``.
    b1, b2 : float, default 0.9, 0.999
        Decay rates in [0, 1) of the first and second moment estimates.
    eps : float, default 1e-8
        ``epsilon >= 0``.
    weight_decay : float, default 0.0
        L2 penalty ``lambda >= 0`` added to the gradient *before* the moments (PyTorch's
        ``Adam(weight_decay=...)``); see :func:`adamw` for decoupled decay.
    amsgrad : bool, default False
        Use the running maximum of the second moment.

    Returns
    -------
    GradientTransformation
        ``chain(add_decayed_weights(lambda), scale_by_adam(b1, b2, eps, amsgrad),
        scale_by_learning_rate(eta))``.

    Raises
    ------
    ValueError
        If ``b1`` or ``b2`` lies outside [0, 1), or ``learning_rate``, ``eps`` or
        ``weight_decay`` is negative.

    Notes
    -----
    With ``d_t = g_t + lambda w_t`` and ``m_0 = v_0 = 0`` (Kingma & Ba, Algorithm 1):

    .. math::

        m_t = \beta_1 m_{t-1} + (1 - \beta_1) d_t, \qquad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2) d_t^2,

        w_{t+1} = w_t - \eta\, \frac{m_t / (1 - \beta_1^t)}{\sqrt{v_t / (1 - \beta_2^t)} + \epsilon}.

    References
    ----------
    D. P. Kingma and J. Ba, "Adam: A method for stochastic optimization", ICLR 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import adam
    >>> tx = adam(0.1)
    >>> g = np.array([0.5, -20.0])
    >>> np.round(tx.update(g, tx.init(g), g)[0], 6)  # every first step has length eta
    array([-0.1,  0.1])
    """
    learning_rate = check_learning_rate(learning_rate)
    return chain(
        add_decayed_weights(weight_decay),
        scale_by_adam(b1, b2, eps, amsgrad=amsgrad),
        scale_by_learning_rate(learning_rate),
    )


def adamw(
    learning_rate=1e-3,
    b1: float = 0.9,
    b2: float = 0.999,
    eps: float = 1e-8,
    weight_decay: float = 1e-2,
    *,
    amsgrad: bool = False,
) -> GradientTransformation:
    r"""AdamW: Adam with weight decay decoupled from the gradient.

    Parameters
    ----------
    learning_rate : float or callable, default 1e-3
        ``eta >= 0`` or a schedule ``t -> eta_t``.
    b1, b2 : float, default 0.9, 0.999
        Decay rates in [0, 1).
    eps : float, default 1e-8
        ``epsilon >= 0``.
    weight_decay : float, default 1e-2
        ``lambda >= 0``; each step shrinks the weights by ``eta lambda w``.
    amsgrad : bool, default False
        Use the running maximum of the second moment.

    Returns
    -------
    GradientTransformation
        ``chain(scale_by_adam(b1, b2, eps, amsgrad), add_decayed_weights(lambda),
        scale_by_learning_rate(eta))``.

    Notes
    -----
    The moments ``m_t, v_t`` are Adam's on the raw gradient ``g_t``; the decay acts
    on the weights directly (Loshchilov & Hutter, Algorithm 2, with PyTorch's
    ``eta lambda`` scaling):

    .. math::

        w_{t+1} = w_t - \eta \left( \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}
        + \lambda w_t \right).

    References
    ----------
    I. Loshchilov and F. Hutter, "Decoupled weight decay regularization", ICLR 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import adamw
    >>> tx = adamw(0.1, weight_decay=0.5, eps=0.0)
    >>> w = np.array([2.0])
    >>> tx.update(np.array([3.0]), tx.init(w), w)[0]  # -0.1 * (1 + 0.5 * 2)
    array([-0.2])
    """
    learning_rate = check_learning_rate(learning_rate)
    return chain(
        scale_by_adam(b1, b2, eps, amsgrad=amsgrad),
        add_decayed_weights(weight_decay),
        scale_by_learning_rate(learning_rate),
    )
