r"""Gradient transformations: each optimizer's formula as a pair of pure functions.

A transformation is ``init(params) -> state`` and ``update(grads, state, params) ->
(updates, state)`` (optax's design). Nothing is mutated: ``update`` returns a new
state, and the caller applies the updates with :func:`apply_updates`. Optimizers are
chains of these building blocks; Adam, for instance, is

    chain(scale_by_adam(b1, b2, eps), scale_by_learning_rate(learning_rate))

This module holds the generic steps (momentum, weight decay, learning rate, chain);
the adaptive rescalings of RMSprop and Adam live in :mod:`.adaptive`.

``params`` and ``grads`` are a NumPy array or a list / tuple / dict of arrays (nested
freely). Every formula works leaf by leaf and keeps the leaf's dtype (float32 stays
float32).
"""

from __future__ import annotations

import math
import numbers
from typing import Callable, NamedTuple

import numpy as np

from .._validation import check_bool, check_positive, check_real
from ._tree import tree_map

__all__ = [
    "GradientTransformation",
    "EmptyState",
    "TraceState",
    "ScaleByLearningRateState",
    "chain",
    "scale_by_learning_rate",
    "add_decayed_weights",
    "trace",
    "apply_updates",
]


class GradientTransformation(NamedTuple):
    """A pure optimizer: ``init(params) -> state``, ``update(grads, state, params) -> (updates, state)``."""

    init: Callable
    update: Callable


class EmptyState(NamedTuple):
    """The state of a stateless transformation."""


class TraceState(NamedTuple):
    """The momentum buffer ``b`` (None before the first step)."""

    momentum_buffer: object


class ScaleByLearningRateState(NamedTuple):
    """The number of updates made, at which a schedule is evaluated."""

    count: int



def zeros_like_tree(params):
    """Zeros shaped like each leaf (float leaves keep their dtype, others become float64)."""
    return tree_map(lambda p: np.zeros_like(np.asarray(p, dtype=np.result_type(p, np.float32))), params)


def check_decay_rate(value, name: str) -> float:
    """Return ``value`` as float if it lies in [0, 1) (betas, smoothing constants)."""
    value = check_real(value, name)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
    return value


def check_learning_rate(learning_rate, name: str = "learning_rate"):
    """Accept a finite number >= 0 or a schedule (a callable step -> learning rate)."""
    if callable(learning_rate):
        return learning_rate
    if isinstance(learning_rate, numbers.Real) and not isinstance(learning_rate, bool):
        return check_positive(learning_rate, name, strict=False)
    raise TypeError(
        f"{name} must be a number >= 0 or a schedule (a callable step -> learning rate), "
        f"got {type(learning_rate).__name__} {learning_rate!r}"
    )


def chain(*transforms: GradientTransformation) -> GradientTransformation:
    """Compose transformations: the updates of one are the gradients of the next.

    Parameters
    ----------
    *transforms : GradientTransformation
        Applied left to right.

    Returns
    -------
    GradientTransformation
        Its state is the tuple of the states of ``transforms``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import chain, add_decayed_weights, scale_by_learning_rate
    >>> tx = chain(add_decayed_weights(0.5), scale_by_learning_rate(0.1))
    >>> p = np.array([2.0])
    >>> tx.update(np.array([1.0]), tx.init(p), p)[0]  # -0.1 * (1 + 0.5 * 2)
    array([-0.2])
    """
    for i, tx in enumerate(transforms):
        if not isinstance(tx, GradientTransformation):
            raise TypeError(f"transforms[{i}] must be a GradientTransformation, got {type(tx).__name__}")

    def init(params):
        return tuple(tx.init(params) for tx in transforms)

    def update(grads, state, params=None):
        new_state = []
        for tx, s in zip(transforms, state):
            grads, s = tx.update(grads, s, params)
            new_state.append(s)
        return grads, tuple(new_state)

    return GradientTransformation(init, update)


def scale_by_learning_rate(learning_rate) -> GradientTransformation:
    r"""Turn a direction into a descent step: ``u = -eta_t d``.

    Parameters
    ----------
    learning_rate : float or callable
        ``eta >= 0``, or a schedule ``eta_t = learning_rate(t)`` evaluated at the
        number ``t = 0, 1, ...`` of updates made so far.

    Returns
    -------
    GradientTransformation
        State :class:`ScaleByLearningRateState` ``(count,)``.

    Raises
    ------
    ValueError
        If the learning rate (or a value a schedule returns) is negative or not finite.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import scale_by_learning_rate
    >>> tx = scale_by_learning_rate(lambda t: 0.1 / (t + 1))
    >>> g = np.array([1.0])
    >>> u, s = tx.update(g, tx.init(g))
    >>> u, tx.update(g, s)[0]
    (array([-0.1]), array([-0.05]))
    """
    learning_rate = check_learning_rate(learning_rate)

    def init(params):
        return ScaleByLearningRateState(count=0)

    def update(grads, state, params=None):
        eta = learning_rate
        if callable(learning_rate):
            eta = learning_rate(state.count)
            if not (isinstance(eta, numbers.Real) and math.isfinite(eta) and eta >= 0):
                raise ValueError(
                    f"the learning-rate schedule returned {eta!r} at step {state.count}; "
                    "it must return a finite number >= 0"
                )
        # a Python float keeps float32 leaves float32 (NumPy's weak scalars, NEP 50)
        minus_eta = -float(eta)
        return tree_map(lambda g: minus_eta * g, grads), ScaleByLearningRateState(state.count + 1)

    return GradientTransformation(init, update)


def add_decayed_weights(weight_decay: float) -> GradientTransformation:
    r"""Add the gradient of the L2 penalty ``(lambda / 2) ||w||^2``: ``d = g + lambda w``.

    Placed before a rescaling (SGD, RMSprop, Adam) this is L2 regularisation; placed
    after it and before the learning rate (AdamW) it is decoupled weight decay,
    ``w <- w - eta (d + lambda w)`` (Loshchilov & Hutter, 2019).

    Parameters
    ----------
    weight_decay : float
        ``lambda >= 0``.

    Returns
    -------
    GradientTransformation
        Stateless (:class:`EmptyState`); ``update`` needs ``params``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import add_decayed_weights
    >>> tx = add_decayed_weights(0.1)
    >>> tx.update(np.array([1.0]), tx.init(None), np.array([3.0]))[0]
    array([1.3])
    """
    weight_decay = check_positive(weight_decay, "weight_decay", strict=False)

    def init(params):
        return EmptyState()

    def update(grads, state, params=None):
        if weight_decay == 0.0:
            return grads, state
        if params is None:
            raise ValueError("add_decayed_weights needs params: call update(grads, state, params)")
        return tree_map(lambda g, w: g + weight_decay * w, grads, params), state

    return GradientTransformation(init, update)


def trace(momentum: float, *, dampening: float = 0.0, nesterov: bool = False) -> GradientTransformation:
    r"""Heavy-ball momentum, optionally with Nesterov's look-ahead.

    Parameters
    ----------
    momentum : float
        ``mu >= 0``.
    dampening : float, default 0.0
        ``tau``: the share of the new gradient removed from the buffer.
    nesterov : bool, default False
        Return ``g + mu b_t`` instead of ``b_t``.

    Returns
    -------
    GradientTransformation
        State :class:`TraceState` ``(momentum_buffer,)``, None until the first step.

    Notes
    -----
    With gradient ``g_t`` (PyTorch's convention, Sutskever et al. 2013):

    .. math::

        b_1 = g_1, \qquad b_t = \mu b_{t-1} + (1 - \tau) g_t, \qquad
        d_t = b_t \ \text{or, with Nesterov,}\ d_t = g_t + \mu b_t.

    The first buffer is the gradient itself, undamped.

    References
    ----------
    I. Sutskever, J. Martens, G. Dahl and G. Hinton, "On the importance of
    initialization and momentum in deep learning", ICML 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import trace
    >>> tx = trace(0.9)
    >>> g = np.array([1.0])
    >>> d1, s = tx.update(g, tx.init(g))
    >>> d1, tx.update(g, s)[0]  # b2 = 0.9 * 1 + 1
    (array([1.]), array([1.9]))
    """
    momentum = check_positive(momentum, "momentum", strict=False)
    dampening = check_real(dampening, "dampening")
    nesterov = check_bool(nesterov, "nesterov")
    if nesterov and (momentum <= 0 or dampening != 0):
        raise ValueError(
            f"Nesterov momentum needs momentum > 0 and dampening = 0, got "
            f"momentum={momentum!r}, dampening={dampening!r}"
        )

    def init(params):
        return TraceState(momentum_buffer=None)

    def update(grads, state, params=None):
        if state.momentum_buffer is None:
            buffer = tree_map(lambda g: np.array(g, copy=True), grads)
        else:
            buffer = tree_map(lambda b, g: momentum * b + (1.0 - dampening) * g, state.momentum_buffer, grads)
        if nesterov:
            direction = tree_map(lambda g, b: g + momentum * b, grads, buffer)
        else:
            direction = buffer
        return direction, TraceState(buffer)

    return GradientTransformation(init, update)


def apply_updates(params, updates):
    """Return ``params + updates`` leaf by leaf, each leaf keeping its dtype.

    Parameters
    ----------
    params, updates : array or list / tuple / dict of arrays
        Trees of the same structure and leaf shapes.

    Returns
    -------
    array or list / tuple / dict of arrays
        New arrays; ``params`` is not modified.

    Raises
    ------
    ValueError
        If the two trees differ in structure or in a leaf's shape.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.optim import apply_updates
    >>> apply_updates({"w": np.array([1.0, 2.0])}, {"w": np.array([0.5, -0.5])})
    {'w': array([1.5, 1.5])}
    """

    def add(p, u):
        p = np.asarray(p)
        return np.asarray(p + u, dtype=np.result_type(p.dtype, np.float32) if p.dtype.kind in "biu" else p.dtype)

    return tree_map(add, params, updates)
