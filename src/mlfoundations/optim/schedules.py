r"""Learning-rate schedules: callables ``step -> learning rate``.

Pass one as the ``learning_rate`` of a pure transform (it is evaluated at the number
of updates made so far) or drive a stateful optimizer with
:class:`~mlfoundations.optim.LRScheduler`. The values follow PyTorch's
``torch.optim.lr_scheduler`` (``StepLR``, ``ExponentialLR``, ``CosineAnnealingLR``),
written in closed form.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Callable, Optional

from .._validation import check_int, check_positive

__all__ = ["step_lr", "exponential_lr", "cosine_annealing", "linear_warmup"]


def _check_step(step) -> int:
    if isinstance(step, bool) or not isinstance(step, numbers.Integral) or step < 0:
        raise ValueError(f"step must be an integer >= 0, got {step!r}")
    return int(step)


@dataclass(frozen=True)
class StepSchedule:
    """``lr * gamma ** (step // step_size)``."""

    lr: float
    step_size: int
    gamma: float

    def __call__(self, step: int) -> float:
        return self.lr * self.gamma ** (_check_step(step) // self.step_size)


@dataclass(frozen=True)
class ExponentialSchedule:
    """``lr * gamma ** step``."""

    lr: float
    gamma: float

    def __call__(self, step: int) -> float:
        return self.lr * self.gamma ** _check_step(step)


@dataclass(frozen=True)
class CosineSchedule:
    """``eta_min + (lr - eta_min) (1 + cos(pi step / T_max)) / 2``."""

    lr: float
    T_max: int
    eta_min: float

    def __call__(self, step: int) -> float:
        phase = math.pi * _check_step(step) / self.T_max
        return self.eta_min + (self.lr - self.eta_min) * (1.0 + math.cos(phase)) / 2.0


@dataclass(frozen=True)
class WarmupSchedule:
    """``lr * step / warmup_steps`` during warm-up, then ``after(step - warmup_steps)``."""

    lr: float
    warmup_steps: int
    after: Optional[Callable[[int], float]]

    def __call__(self, step: int) -> float:
        step = _check_step(step)
        if step < self.warmup_steps:
            return self.lr * step / self.warmup_steps
        if self.after is None:
            return self.lr
        return self.after(step - self.warmup_steps)


def step_lr(lr: float, step_size: int, gamma: float = 0.1) -> StepSchedule:
    r"""Multiply the learning rate by ``gamma`` every ``step_size`` steps.

    Parameters
    ----------
    lr : float
        Initial learning rate ``eta_0 >= 0``.
    step_size : int
        Period ``k >= 1`` of the decay.
    gamma : float, default 0.1
        Factor ``gamma >= 0``.

    Returns
    -------
    callable
        ``schedule(t) = eta_0 * gamma ** floor(t / k)`` for integer ``t >= 0``.

    Notes
    -----
    .. math:: \eta_t = \eta_0\, \gamma^{\lfloor t / k \rfloor}
              \quad\text{(PyTorch's StepLR)}.

    Examples
    --------
    >>> from mlfoundations.optim import step_lr
    >>> schedule = step_lr(0.1, step_size=2, gamma=0.5)
    >>> [schedule(t) for t in range(5)]
    [0.1, 0.1, 0.05, 0.05, 0.025]
    """
    return StepSchedule(
        check_positive(lr, "lr", strict=False),
        check_int(step_size, "step_size", minimum=1),
        check_positive(gamma, "gamma", strict=False),
    )


def exponential_lr(lr: float, gamma: float) -> ExponentialSchedule:
    r"""Multiply the learning rate by ``gamma`` every step.

    Parameters
    ----------
    lr : float
        Initial learning rate ``eta_0 >= 0``.
    gamma : float
        Factor ``gamma >= 0``.

    Returns
    -------
    callable
        ``schedule(t) = eta_0 * gamma ** t``.

    Notes
    -----
    .. math:: \eta_t = \eta_0\, \gamma^t \quad\text{(PyTorch's ExponentialLR)}.

    Examples
    --------
    >>> from mlfoundations.optim import exponential_lr
    >>> schedule = exponential_lr(1.0, gamma=0.5)
    >>> [schedule(t) for t in range(4)]
    [1.0, 0.5, 0.25, 0.125]
    """
    return ExponentialSchedule(check_positive(lr, "lr", strict=False), check_positive(gamma, "gamma", strict=False))


def cosine_annealing(lr: float, T_max: int, eta_min: float = 0.0) -> CosineSchedule:
    r"""Anneal the learning rate from ``lr`` to ``eta_min`` along half a cosine.

    Parameters
    ----------
    lr : float
        Initial learning rate ``eta_max >= 0``.
    T_max : int
        Steps ``T >= 1`` to reach ``eta_min``; beyond it the cosine rises again, as
        PyTorch's ``CosineAnnealingLR`` does.
    eta_min : float, default 0.0
        Final learning rate ``>= 0``.

    Returns
    -------
    callable
        The schedule below.

    Notes
    -----
    Loshchilov & Hutter's SGDR without restarts:

    .. math:: \eta_t = \eta_{min} + \tfrac12 (\eta_{max} - \eta_{min})
              \left(1 + \cos \frac{\pi t}{T}\right).

    References
    ----------
    I. Loshchilov and F. Hutter, "SGDR: Stochastic gradient descent with warm
    restarts", ICLR 2017, eq. (5).

    Examples
    --------
    >>> from mlfoundations.optim import cosine_annealing
    >>> schedule = cosine_annealing(1.0, T_max=4)
    >>> [round(schedule(t), 6) for t in range(5)]
    [1.0, 0.853553, 0.5, 0.146447, 0.0]
    """
    return CosineSchedule(
        check_positive(lr, "lr", strict=False),
        check_int(T_max, "T_max", minimum=1),
        check_positive(eta_min, "eta_min", strict=False),
    )


def linear_warmup(lr: float, warmup_steps: int, after: Optional[Callable[[int], float]] = None) -> WarmupSchedule:
    r"""Ramp the learning rate linearly from 0 to ``lr``, then hand over to ``after``.

    Parameters
    ----------
    lr : float
        Learning rate ``eta >= 0`` reached at the end of the warm-up.
    warmup_steps : int
        Length ``W >= 0`` of the warm-up.
    after : callable, optional
        Schedule for the steps after the warm-up, called with ``t - W`` (so a decay
        such as ``cosine_annealing(lr, T)`` starts from its beginning). Default: stay
        at ``lr``.

    Returns
    -------
    callable
        The schedule below.

    Notes
    -----
    .. math:: \eta_t = \eta\, t / W \ (t < W), \qquad \eta_t = \text{after}(t - W)
              \ (t \ge W).

    The first step (``t = 0``) has learning rate 0, as in optax's and Hugging Face's
    warm-up schedules (Goyal et al., 2017 use a gradual warm-up to avoid early
    instability with large learning rates).

    References
    ----------
    P. Goyal et al., "Accurate, large minibatch SGD: training ImageNet in 1 hour",
    arXiv:1706.02677, 2017, Section 2.2.

    Examples
    --------
    >>> from mlfoundations.optim import linear_warmup, exponential_lr
    >>> schedule = linear_warmup(1.0, 4, after=exponential_lr(1.0, 0.5))
    >>> [schedule(t) for t in range(7)]
    [0.0, 0.25, 0.5, 0.75, 1.0, 0.5, 0.25]
    """
    lr = check_positive(lr, "lr", strict=False)
    warmup_steps = check_int(warmup_steps, "warmup_steps", minimum=0)
    if after is not None and not callable(after):
        raise TypeError(f"after must be a schedule (a callable step -> learning rate), got {type(after).__name__}")
    return WarmupSchedule(lr, warmup_steps, after)
