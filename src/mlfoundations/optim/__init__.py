"""Optimizers: pure gradient transformations, PyTorch-style front ends, schedules, minimize.

* :mod:`.transforms`, :mod:`.adaptive`, :mod:`.aliases` -- each algorithm once, as ``init`` / ``update``
  pure functions (``sgd``, ``rmsprop``, ``adam``, ``adamw``) built from small steps.
* :mod:`.stateful` -- ``SGD``, ``RMSprop``, ``Adam``, ``AdamW`` over Tensors, with
  PyTorch's names, defaults and updates; :mod:`.lr_scheduler` drives their learning rate.
* :mod:`.schedules` -- learning-rate schedules ``step -> lr``.
* :mod:`.newton`, :mod:`.lbfgs`, :mod:`.linesearch` -- second-order and quasi-Newton steps.
* :mod:`.minimize` -- ``minimize(fun, x0, method=...)`` and the guide's ``gradient_descent``.
"""

from .transforms import (
    EmptyState,
    GradientTransformation,
    ScaleByLearningRateState,
    TraceState,
    add_decayed_weights,
    apply_updates,
    chain,
    scale_by_learning_rate,
    trace,
)
from .adaptive import ScaleByAdamState, ScaleByRmsState, scale_by_adam, scale_by_rms
from .aliases import adam, adamw, rmsprop, sgd
from .schedules import cosine_annealing, exponential_lr, linear_warmup, step_lr
from .stateful import SGD, Adam, AdamW, Optimizer, RMSprop
from .lr_scheduler import CosineAnnealingLR, ExponentialLR, LRScheduler, StepLR
from .linesearch import LineSearchError
from .newton import NewtonState, newton
from .lbfgs import LbfgsState, lbfgs
from .minimize import METHODS, OptimizeResult, gradient_descent, minimize

__all__ = [
    "GradientTransformation", "EmptyState", "TraceState", "ScaleByRmsState", "ScaleByAdamState",
    "ScaleByLearningRateState", "chain", "scale_by_learning_rate", "add_decayed_weights", "trace",
    "scale_by_rms", "scale_by_adam", "apply_updates",
    "sgd", "rmsprop", "adam", "adamw",
    "step_lr", "exponential_lr", "cosine_annealing", "linear_warmup",
    "Optimizer", "SGD", "RMSprop", "Adam", "AdamW",
    "LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR",
    "LineSearchError", "NewtonState", "newton", "LbfgsState", "lbfgs",
    "METHODS", "OptimizeResult", "minimize", "gradient_descent",
]
