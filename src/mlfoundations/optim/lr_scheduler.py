"""Drive a stateful optimizer's learning rate with a schedule, as ``torch.optim.lr_scheduler``.

``scheduler.step()`` after each epoch (or batch) sets every group's ``"lr"`` to
``schedule(t)``; the optimizer reads it at its next ``step()``.
"""

from __future__ import annotations

from .._validation import check_int
from .schedules import cosine_annealing, exponential_lr, step_lr
from .stateful import Optimizer

__all__ = ["LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR"]


def _check_optimizer(optimizer) -> list[dict]:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an mlfoundations.optim Optimizer, got {type(optimizer).__name__}")
    return optimizer.param_groups


class LRScheduler:
    """Set the learning rate of each parameter group to ``schedule(t)``.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose groups' ``"lr"`` is set.
    schedule : callable or list of callables
        ``t -> learning rate`` (see :mod:`mlfoundations.optim.schedules`), one for all
        groups or one per group.

    Notes
    -----
    PyTorch's protocol: building the scheduler sets ``lr = schedule(0)`` (so
    ``last_epoch = 0``); each :meth:`step` advances ``t`` by one and sets
    ``lr = schedule(t)``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import Tensor
    >>> from mlfoundations.optim import SGD, LRScheduler, step_lr
    >>> opt = SGD([Tensor(np.zeros(2), requires_grad=True)], lr=0.1)
    >>> scheduler = LRScheduler(opt, step_lr(0.1, step_size=2, gamma=0.5))
    >>> lrs = []
    >>> for epoch in range(5):
    ...     lrs.append(scheduler.get_last_lr()[0])
    ...     opt.step()
    ...     scheduler.step()
    >>> lrs
    [0.1, 0.1, 0.05, 0.05, 0.025]
    """

    def __init__(self, optimizer: Optimizer, schedule):
        _check_optimizer(optimizer)
        n_groups = len(optimizer.param_groups)
        schedules = list(schedule) if isinstance(schedule, (list, tuple)) else [schedule] * n_groups
        if len(schedules) != n_groups:
            raise ValueError(f"got {len(schedules)} schedules for {n_groups} parameter groups")
        for i, s in enumerate(schedules):
            if not callable(s):
                raise TypeError(f"schedule {i} must be a callable step -> learning rate, got {type(s).__name__}")
        self.optimizer = optimizer
        self.schedules = schedules
        self.last_epoch = 0
        self._apply()

    def _apply(self) -> None:
        for group, schedule in zip(self.optimizer.param_groups, self.schedules):
            lr = schedule(self.last_epoch)
            if not (lr >= 0):  # also refuses NaN
                raise ValueError(f"the schedule returned lr={lr!r} at step {self.last_epoch}; it must be >= 0")
            group["lr"] = float(lr)

    def step(self) -> None:
        """Advance the schedule by one step and set the groups' learning rates."""
        self.last_epoch += 1
        self._apply()

    def get_last_lr(self) -> list[float]:
        """The learning rate of each group, as last set."""
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict:
        """``{"last_epoch": t}``."""
        return {"last_epoch": self.last_epoch}

    def load_state_dict(self, state_dict: dict) -> None:
        """Resume at step ``state_dict["last_epoch"]`` (and set the learning rates)."""
        self.last_epoch = check_int(state_dict["last_epoch"], "last_epoch", minimum=0)
        self._apply()


class StepLR(LRScheduler):
    """``lr_0 * gamma ** (t // step_size)`` from each group's current lr (``torch.optim.lr_scheduler.StepLR``)."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1):
        super().__init__(optimizer, [step_lr(g["lr"], step_size, gamma) for g in _check_optimizer(optimizer)])


class ExponentialLR(LRScheduler):
    """``lr_0 * gamma ** t`` from each group's current lr (``torch.optim.lr_scheduler.ExponentialLR``)."""

    def __init__(self, optimizer: Optimizer, gamma: float):
        super().__init__(optimizer, [exponential_lr(g["lr"], gamma) for g in _check_optimizer(optimizer)])


class CosineAnnealingLR(LRScheduler):
    """Cosine from each group's current lr to ``eta_min`` over ``T_max`` steps (``torch.optim.lr_scheduler.CosineAnnealingLR``)."""

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0):
        super().__init__(optimizer, [cosine_annealing(g["lr"], T_max, eta_min) for g in _check_optimizer(optimizer)])
