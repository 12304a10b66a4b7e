"""Loss functions with PyTorch's semantics: the formulas and their modules.

Each loss is first a function (re-exported by `mlfoundations.nn.functional`) that
computes the per-element losses from autodiff primitives and reduces them by
``reduction``: ``"mean"`` (the average over every element of the per-element loss),
``"sum"``, or ``"none"`` (the per-element losses). The modules only store the
settings and call the function.

Targets are data, not parameters: they are checked once (shape, range, integer
class indices) and raise a ``ValueError``/``TypeError`` that names them.
"""

from __future__ import annotations

import numpy as np

from .. import autodiff as ad
from .._validation import as_float_array, check_probability
from ..autodiff import Tensor
from ._tensors import as_tensor, check_reduction, reduce
from .module import Module

__all__ = [
    "mse_loss",
    "cross_entropy",
    "nll_loss",
    "binary_cross_entropy_with_logits",
    "softplus",
    "MSELoss",
    "CrossEntropyLoss",
    "NLLLoss",
    "BCEWithLogitsLoss",
]


def _target_tensor(target, like: Tensor, name="target") -> Tensor:
    """A float target of exactly ``like``'s shape; an array takes ``like``'s dtype, a Tensor
    is kept as it is (with its graph)."""
    shape = like.shape
    t = target if isinstance(target, Tensor) else Tensor(as_float_array(target, name, dtype=like.dtype))
    if t.shape != shape:
        raise ValueError(f"{name} has shape {t.shape} but input has shape {shape}; they must match")
    return t


def _class_indices(target, shape, n_classes, name="target") -> np.ndarray:
    """Integer class indices of exactly ``shape``, each in [0, n_classes)."""
    raw = target.data if isinstance(target, Tensor) else np.asarray(target)
    if raw.shape != shape:
        raise ValueError(f"{name} has shape {raw.shape}; class indices for this input must have shape {shape}")
    if raw.dtype.kind == "f":
        as_float_array(raw, name)  # refuses NaN and inf
        if not np.array_equal(raw, np.round(raw)):
            bad = raw[raw != np.round(raw)].flat[0]
            raise ValueError(f"{name} must hold integer class indices, got the non-integer value {float(bad)!r}")
        raw = raw.astype(np.int64)
    elif raw.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer class indices, got dtype {raw.dtype}")
    if raw.size and (raw.min() < 0 or raw.max() >= n_classes):
        bad = raw[(raw < 0) | (raw >= n_classes)].flat[0]
        raise ValueError(
            f"{name} holds the class index {int(bad)}, outside [0, {n_classes - 1}] "
            f"for an input with {n_classes} classes"
        )
    return raw.astype(np.intp, copy=False)


def _class_axis(x: Tensor, name="input") -> int:
    """PyTorch's layout: classes on axis 0 of an unbatched (C,) input, else on axis 1."""
    if x.ndim == 0:
        raise ValueError(f"{name} must have a class axis: shape (C,) or (N, C, ...), got a scalar")
    return 0 if x.ndim == 1 else 1


def mse_loss(input, target, reduction: str = "mean") -> Tensor:
    """Mean squared error ``l_i = (x_i - y_i)^2``, reduced.

    Parameters
    ----------
    input, target : Tensor or array_like of the same shape
        Predictions and targets (gradients flow into a target Tensor too).
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    Tensor
        A scalar, or the per-element losses for ``reduction="none"``.

    Raises
    ------
    ValueError
        If the shapes differ (no silent broadcasting) or ``reduction`` is unknown.

    Examples
    --------
    >>> from mlfoundations.nn.functional import mse_loss
    >>> mse_loss([1.0, 2.0], [1.0, 4.0]).item()
    2.0
    """
    check_reduction(reduction)
    x = as_tensor(input, "input")
    y = _target_tensor(target, x)
    return reduce((x - y) ** 2, reduction)


def nll_loss(input, target, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood ``l_n = -x[n, y_n]`` of log-probabilities ``x``.

    Parameters
    ----------
    input : (N, C, d1, ...) or (C,) Tensor or array_like
        Log-probabilities (e.g. from `log_softmax`), classes on axis 1 (axis 0
        for a single unbatched sample).
    target : (N, d1, ...) or () array_like of int
        Class indices in ``[0, C)``. Floats holding whole numbers are accepted.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` divides by the number of indices ``N * d1 * ...``.

    Returns
    -------
    Tensor
        A scalar, or the losses of shape ``target.shape`` for ``"none"``.

    Raises
    ------
    ValueError
        If ``target`` has the wrong shape, a non-integer value or an index outside
        ``[0, C)``.
    TypeError
        If ``target`` is not numeric (bool included).

    Notes
    -----
    The entry ``x[n, y_n]`` is picked by `mlfoundations.autodiff.gather` along the
    class axis, so the gradient is ``-1`` (divided by N for the mean) at the picked
    entry and 0 elsewhere.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn.functional import nll_loss
    >>> nll_loss(np.log([[0.5, 0.5], [0.25, 0.75]]), [0, 1], reduction="none").numpy()
    array([0.69314718, 0.28768207])
    """
    check_reduction(reduction)
    log_p = as_tensor(input, "input")
    axis = _class_axis(log_p)
    shape = log_p.shape[:axis] + log_p.shape[axis + 1:]
    index = _class_indices(target, shape, log_p.shape[axis])
    picked = ad.gather(log_p, np.expand_dims(index, axis), axis)
    return reduce(-picked.sum(axis=axis), reduction)


def cross_entropy(input, target, reduction: str = "mean", *, label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy of logits against class indices or class probabilities.

    Parameters
    ----------
    input : (N, C, d1, ...) or (C,) Tensor or array_like
        Unnormalised logits, classes on axis 1 (axis 0 when unbatched).
    target : array_like or Tensor
        Either class indices of shape ``(N, d1, ...)`` (or ``()``) with values in
        ``[0, C)``, or class probabilities / one-hot rows of the same shape as
        ``input`` with entries in [0, 1] (a probability Tensor keeps its gradient).
        The shape decides which.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` divides by ``N * d1 * ...`` in both cases, as PyTorch does.
    label_smoothing : float in [0, 1], default 0
        Mixes the target with the uniform distribution: ``(1 - eps) q + eps / C``.

    Returns
    -------
    Tensor
        A scalar, or per-sample losses of shape ``(N, d1, ...)`` for ``"none"``.

    Raises
    ------
    ValueError
        On a target of neither shape, a non-integer or out-of-range index, a
        probability outside [0, 1], or a bad ``reduction``/``label_smoothing``.

    Notes
    -----
    ``l_n = -sum_c q_{nc} log softmax(x_n)_c`` where ``q_n`` is the target
    distribution (one-hot at ``y_n`` for an index target, where it reduces to
    ``-x_{n,y_n} + log sum_c exp(x_{nc})``). ``log_softmax`` shifts by the row
    maximum, so no logit overflows, and the gradient is ``softmax(x_n) - q_n``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn.functional import cross_entropy
    >>> logits = np.array([[2.0, 0.0], [0.0, 0.0]])
    >>> a = cross_entropy(logits, [0, 1]).item()
    >>> b = cross_entropy(logits, [[1.0, 0.0], [0.0, 1.0]]).item()
    >>> bool(np.isclose(a, b)), round(a, 6)
    (True, 0.410038)
    """
    check_reduction(reduction)
    eps = check_probability(label_smoothing, "label_smoothing")
    x = as_tensor(input, "input")
    axis = _class_axis(x)
    n_classes = x.shape[axis]
    log_p = ad.log_softmax(x, axis=axis)
    if _is_probability_target(target, x.shape):
        q = _target_tensor(target, x)
        _check_unit_interval(q.data, "target")
        if eps:
            q = q * (1.0 - eps) + eps / n_classes
        return reduce(-(q * log_p).sum(axis=axis), reduction)
    loss = nll_loss(log_p, target, reduction="none")
    if eps:
        # the uniform part of the smoothed target: eps * mean_c(-log p_c)
        loss = loss * (1.0 - eps) - log_p.mean(axis=axis) * eps
    return reduce(loss, reduction)


def _is_probability_target(target, input_shape) -> bool:
    shape = target.shape if isinstance(target, Tensor) else np.shape(target)
    return tuple(shape) == tuple(input_shape)


def _check_unit_interval(values: np.ndarray, name: str) -> None:
    if values.size and (values.min() < 0.0 or values.max() > 1.0):
        bad = values[(values < 0.0) | (values > 1.0)].flat[0]
        raise ValueError(f"{name} probabilities must lie in [0, 1], got {float(bad)!r}")


def softplus(input) -> Tensor:
    """``log(1 + exp(x))``, computed without overflow, with derivative ``sigmoid(x)``.

    Notes
    -----
    Written as ``logsumexp([0, x])``: the primitive shifts by ``max(0, x)``, giving
    ``max(x, 0) + log(1 + exp(-|x|))``, and its gradient is the softmax weight of
    ``x``, ``exp(x) / (1 + exp(x)) = sigmoid(x)`` -- exact at ``x = 0`` too, where
    the composition ``relu(x) + log(1 + exp(-abs(x)))`` would differentiate through
    the kinks of ``relu`` and ``abs`` and get 0 instead of 1/2. For ``x < -37``
    ``1 + exp(x)`` rounds to 1 and the value to 0 (an absolute error below 1e-16);
    the gradient stays exact.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn.functional import softplus
    >>> bool(np.allclose(softplus([0.0, 1000.0]).numpy(), [np.log(2.0), 1000.0]))
    True
    """
    x = as_tensor(input, "input")
    zeros = Tensor(np.zeros(x.shape, dtype=x.dtype))
    return ad.logsumexp(ad.stack([zeros, x], axis=-1), axis=-1)


def binary_cross_entropy_with_logits(input, target, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of logits: ``l_i = -[y log s(x) + (1 - y) log(1 - s(x))]``.

    Parameters
    ----------
    input : Tensor or array_like
        Logits ``x`` (any shape).
    target : Tensor or array_like, same shape as ``input``
        Targets ``y`` in [0, 1] (labels or soft labels).
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    Tensor
        A scalar, or the per-element losses for ``"none"``.

    Raises
    ------
    ValueError
        If the shapes differ, a target lies outside [0, 1] or ``reduction`` is
        unknown.

    Notes
    -----
    With ``s = sigmoid``, ``-log s(x) = softplus(-x)`` and
    ``-log(1 - s(x)) = softplus(x)``, so ``l = softplus(x) - x y``
    ``= max(x, 0) - x y + log(1 + exp(-|x|))``: never ``log(0)``, no overflow for
    any finite logit, gradient ``sigmoid(x) - y``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn.functional import binary_cross_entropy_with_logits
    >>> bool(np.isclose(binary_cross_entropy_with_logits([0.0], [1.0]).item(), np.log(2.0)))
    True
    """
    check_reduction(reduction)
    x = as_tensor(input, "input")
    y = _target_tensor(target, x)
    _check_unit_interval(y.data, "target")
    return reduce(softplus(x) - x * y, reduction)


class _Loss(Module):
    """A loss module: stores ``reduction`` and calls its function."""

    def __init__(self, reduction: str = "mean"):
        self.reduction = check_reduction(reduction)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """Mean squared error module; see `mse_loss`.

    Examples
    --------
    >>> from mlfoundations.nn import MSELoss
    >>> MSELoss(reduction="sum")([1.0, 2.0], [0.0, 0.0]).item()
    5.0
    """

    def forward(self, input, target) -> Tensor:
        return mse_loss(input, target, self.reduction)


class CrossEntropyLoss(_Loss):
    """Cross-entropy of logits against class indices or probabilities; see `cross_entropy`.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn import CrossEntropyLoss
    >>> round(CrossEntropyLoss()(np.zeros((2, 4)), [0, 3]).item(), 6)  # log 4
    1.386294
    """

    def __init__(self, reduction: str = "mean", *, label_smoothing: float = 0.0):
        super().__init__(reduction)
        self.label_smoothing = check_probability(label_smoothing, "label_smoothing")

    def forward(self, input, target) -> Tensor:
        return cross_entropy(input, target, self.reduction, label_smoothing=self.label_smoothing)

    def extra_repr(self) -> str:
        smoothing = f", label_smoothing={self.label_smoothing}" if self.label_smoothing else ""
        return super().extra_repr() + smoothing


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities at class indices; see `nll_loss`."""

    def forward(self, input, target) -> Tensor:
        return nll_loss(input, target, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of logits; see `binary_cross_entropy_with_logits`."""

    def forward(self, input, target) -> Tensor:
        return binary_cross_entropy_with_logits(input, target, self.reduction)
