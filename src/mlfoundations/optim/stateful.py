r"""PyTorch-style optimizers over model parameters, thin wrappers of the pure transforms.

``SGD(model.parameters(), lr=0.1)`` keeps one state per parameter object and, at each
``step()``, runs the same :mod:`.aliases` chain that the pure API exposes on that
parameter's ``.grad`` and adds the update to its ``.data`` in place. Names, defaults
and update rules are PyTorch's (``torch.optim``); the tests compare 100 steps of each
with ``torch.optim`` to 1e-10.
"""

from __future__ import annotations

from collections.abc import MutableMapping

import numpy as np

from .._validation import check_positive
from .aliases import adam, adamw, rmsprop, sgd
from .transforms import GradientTransformation, check_decay_rate

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW"]


class ParameterState(MutableMapping):
    """A dict keyed by parameter *identity*: ``optimizer.state[p]`` as in PyTorch.

    Tensors compare element-wise, so they cannot be dict keys themselves; two
    parameters with equal values still get separate slots.
    """

    def __init__(self):
        self._slots: dict[int, tuple[object, object]] = {}

    def __getitem__(self, param):
        return self._slots[id(param)][1]

    def __setitem__(self, param, state):
        self._slots[id(param)] = (param, state)

    def __delitem__(self, param):
        del self._slots[id(param)]

    def __iter__(self):
        return (param for param, _ in self._slots.values())

    def __len__(self):
        return len(self._slots)


def _is_tensor(p) -> bool:
    return isinstance(getattr(p, "data", None), np.ndarray) and hasattr(p, "grad")


def _flatten_state(state) -> dict:
    """A chain state (tuple of named tuples) as ``{field: array}``; None fields left out."""
    flat = {}
    for part in state:
        for name, value in part._asdict().items():
            if value is not None:
                flat[name] = np.array(value, copy=True)
    return flat


def _unflatten_state(template, flat: dict, param, where: str):
    """Rebuild a chain state shaped like ``template`` from ``{field: array}``."""
    shape, dtype = param.data.shape, param.data.dtype
    parts, used = [], set()
    for part in template:
        values = {}
        for name, default in part._asdict().items():
            if name not in flat:
                if default is not None:
                    raise ValueError(f"{where} is missing the entry {name!r}")
                values[name] = None
                continue
            used.add(name)
            value = np.asarray(flat[name])
            if isinstance(default, int):
                values[name] = int(value)
            elif value.shape != shape:
                raise ValueError(f"{where}[{name!r}] has shape {value.shape}, the parameter has shape {shape}")
            else:
                values[name] = np.array(value, dtype=dtype, copy=True)
        parts.append(type(part)(**values))
    unexpected = sorted(set(flat) - used)
    if unexpected:
        raise ValueError(f"{where} has unexpected entries {unexpected}")
    return tuple(parts)


class Optimizer:
    """Base class: parameter groups, per-parameter state, ``step``, ``zero_grad``, ``state_dict``.

    Subclasses name their hyperparameters in ``defaults`` and build the pure
    transformation of a group in :meth:`_transform`.
    """

    def __init__(self, params, defaults: dict):
        self.defaults = dict(defaults)
        self.param_groups: list[dict] = []
        self._transforms: list[GradientTransformation] = []
        self.state = ParameterState()
        if _is_tensor(params):
            raise TypeError("params must be an iterable of Tensors or of dicts, got a single Tensor")
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def _transform(self, group: dict) -> GradientTransformation:  # pragma: no cover - abstract
        raise NotImplementedError

    def _check_hyperparameters(self, group: dict) -> None:
        check_positive(group["lr"], "lr", strict=False)

    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters with its own hyperparameters (defaults fill the rest)."""
        if not isinstance(param_group, dict) or "params" not in param_group:
            raise TypeError("a parameter group must be a dict with a 'params' entry")
        params = param_group["params"]
        params = [params] if _is_tensor(params) else list(params)
        for i, p in enumerate(params):
            if not _is_tensor(p):
                raise TypeError(
                    f"params[{i}] must be a Tensor (with .data and .grad), got {type(p).__name__}"
                )
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        if len({id(p) for p in params}) != len(params) or seen & {id(p) for p in params}:
            raise ValueError("some parameters appear more than once among the parameter groups")
        unknown = sorted(set(param_group) - set(self.defaults) - {"params"})
        if unknown:
            raise ValueError(f"unknown hyperparameters {unknown} for {type(self).__name__}")
        group = {**self.defaults, **param_group, "params": params}
        self._check_hyperparameters(group)
        transform = self._transform(group)
        self.param_groups.append(group)
        self._transforms.append(transform)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: set ``p.grad`` to None (default) or fill it with zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad[...] = 0.0

    def step(self, closure=None):
        """Update every parameter that has a gradient; return ``closure()`` if given.

        Parameters whose ``.grad`` is None are skipped (their state does not advance).
        """
        loss = closure() if closure is not None else None
        for group, transform in zip(self.param_groups, self._transforms):
            for p in group["params"]:
                grad = p.grad
                if grad is None:
                    continue
                grad = np.asarray(grad)
                if grad.shape != p.data.shape:
                    raise ValueError(
                        f"a parameter of shape {p.data.shape} has a gradient of shape {grad.shape}"
                    )
                state = self.state.get(p)
                if state is None:
                    state = transform.init(p.data)
                updates, self.state[p] = transform.update(grad, state, p.data)
                p.data += updates
        return loss

    def _indexed_params(self):
        return [p for group in self.param_groups for p in group["params"]]

    def state_dict(self) -> dict:
        """The optimizer as plain data: ``{"state": {i: {name: array}}, "param_groups": [...]}``.

        Parameters are numbered in group order (PyTorch's convention); arrays are copies.
        """
        state, groups, index = {}, [], 0
        for group in self.param_groups:
            indices = []
            for p in group["params"]:
                if p in self.state:
                    state[index] = _flatten_state(self.state[p])
                indices.append(index)
                index += 1
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": indices})
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore hyperparameters and per-parameter state saved by :meth:`state_dict`."""
        if not isinstance(state_dict, dict) or set(state_dict) != {"state", "param_groups"}:
            raise ValueError("state_dict must be a dict with the keys 'state' and 'param_groups'")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"state_dict has {len(saved_groups)} parameter group(s), the optimizer has "
                f"{len(self.param_groups)}"
            )
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"parameter group {i} has {len(group['params'])} parameter(s), "
                    f"the state_dict's has {len(saved['params'])}"
                )
        params = self._indexed_params()
        saved_state = {int(index): flat for index, flat in state_dict["state"].items()}
        for index in saved_state:
            if not 0 <= index < len(params):
                raise ValueError(f"state_dict['state'] names parameter {index}, there are {len(params)}")
        # validate everything before changing anything
        candidates = [
            {**group, **{k: v for k, v in saved.items() if k in self.defaults}}
            for saved, group in zip(saved_groups, self.param_groups)
        ]
        for candidate in candidates:
            self._check_hyperparameters(candidate)
        transforms = [self._transform(candidate) for candidate in candidates]
        new_state, index = ParameterState(), 0
        for group, transform in zip(self.param_groups, transforms):
            for p in group["params"]:
                if index in saved_state:
                    where = f"state_dict['state'][{index}]"
                    new_state[p] = _unflatten_state(transform.init(p.data), saved_state[index], p, where)
                index += 1
        # the group dicts keep their identity: the transforms read "lr" from them
        for group, candidate in zip(self.param_groups, candidates):
            group.update(candidate)
        self._transforms = [self._transform(group) for group in self.param_groups]
        self.state = new_state

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        return "\n".join(lines) + "\n)"


def _group_lr(group: dict):
    """The group's current learning rate, read at every step (schedulers change it)."""

    def learning_rate(step: int) -> float:
        return check_positive(group["lr"], "lr", strict=False)

    return learning_rate


class SGD(Optimizer):
    r"""Stochastic gradient descent with momentum, as ``torch.optim.SGD``.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters (``requires_grad=True`` Tensors), or parameter groups: dicts with
        a ``"params"`` entry and any hyperparameters overriding the defaults.
    lr : float, default 1e-3
        Learning rate ``eta >= 0``.
    momentum : float, default 0
        ``mu >= 0``.
    dampening : float, default 0
        ``tau``.
    weight_decay : float, default 0
        L2 penalty ``lambda >= 0``.
    nesterov : bool, default False
        Nesterov momentum.

    Notes
    -----
    The update of :func:`~mlfoundations.optim.sgd` (same chain, one state per
    parameter):

    .. math::

        d_t = g_t + \lambda w_t, \quad b_1 = d_1, \quad
        b_t = \mu b_{t-1} + (1 - \tau) d_t, \quad
        w_{t+1} = w_t - \eta\, (b_t \ \text{or}\ d_t + \mu b_t).

    Only ``lr`` is read afresh at every step (that is what schedulers change); the
    other hyperparameters are fixed when the group is added or loaded.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import Tensor
    >>> from mlfoundations.optim import SGD
    >>> w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    >>> opt = SGD([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w.data
    array([ 0.8, -1.6])
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False):
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov)
        super().__init__(params, defaults)

    def _transform(self, group):
        return sgd(
            _group_lr(group), momentum=group["momentum"], nesterov=group["nesterov"],
            weight_decay=group["weight_decay"], dampening=group["dampening"],
        )


class RMSprop(Optimizer):
    r"""RMSprop, as ``torch.optim.RMSprop``.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters or parameter groups.
    lr : float, default 1e-2
        Learning rate ``eta >= 0``.
    alpha : float, default 0.99
        Smoothing constant in [0, 1].
    eps : float, default 1e-8
        ``epsilon >= 0`` added to the root mean square.
    weight_decay : float, default 0
        L2 penalty ``lambda >= 0``.
    momentum : float, default 0
        ``mu >= 0``.
    centered : bool, default False
        Normalise by the running standard deviation of the gradient.

    Notes
    -----
    The update of :func:`~mlfoundations.optim.rmsprop`:
    ``v_t = alpha v_{t-1} + (1 - alpha) d_t^2``,
    ``b_t = mu b_{t-1} + d_t / (sqrt(v_t) + epsilon)``, ``w_{t+1} = w_t - eta b_t``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import Tensor
    >>> from mlfoundations.optim import RMSprop
    >>> w = Tensor(np.array([3.0]), requires_grad=True)
    >>> opt = RMSprop([w], lr=0.01, eps=0.0)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w.data  # 3 - 0.01 * 6 / sqrt(0.01 * 36)
    array([2.9])
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False):
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum, centered=centered)
        super().__init__(params, defaults)

    def _transform(self, group):
        return rmsprop(
            _group_lr(group), alpha=group["alpha"], eps=group["eps"], weight_decay=group["weight_decay"],
            momentum=group["momentum"], centered=group["centered"],
        )


def _check_betas(betas) -> tuple[float, float]:
    try:
        b1, b2 = betas
    except (TypeError, ValueError):
        raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}") from None
    return check_decay_rate(b1, "betas[0]"), check_decay_rate(b2, "betas[1]")


class Adam(Optimizer):
    r"""Adam, as ``torch.optim.Adam`` (``weight_decay`` is an L2 penalty on the gradient).

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters or parameter groups.
    lr : float, default 1e-3
        Learning rate ``eta >= 0``.
    betas : (float, float), default (0.9, 0.999)
        ``(beta_1, beta_2)``, each in [0, 1).
    eps : float, default 1e-8
        ``epsilon >= 0``.
    weight_decay : float, default 0
        L2 penalty ``lambda >= 0`` added to the gradient.
    amsgrad : bool, default False
        Use the running maximum of the second moment.

    Notes
    -----
    The update of :func:`~mlfoundations.optim.adam`:
    ``w_{t+1} = w_t - eta m_hat_t / (sqrt(v_hat_t) + epsilon)``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import Tensor
    >>> from mlfoundations.optim import Adam
    >>> w = Tensor(np.array([1.0, -5.0]), requires_grad=True)
    >>> opt = Adam([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> np.round(w.data, 6)  # the first step moves each coordinate by lr
    array([ 0.9, -4.9])
    """

    _decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False):
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
        super().__init__(params, defaults)

    def _check_hyperparameters(self, group):
        super()._check_hyperparameters(group)
        _check_betas(group["betas"])

    def _transform(self, group):
        b1, b2 = _check_betas(group["betas"])
        make = adamw if self._decoupled else adam
        return make(
            _group_lr(group), b1=b1, b2=b2, eps=group["eps"], weight_decay=group["weight_decay"],
            amsgrad=group["amsgrad"],
        )


class AdamW(Adam):
    r"""AdamW, as ``torch.optim.AdamW``: Adam with decoupled weight decay.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters or parameter groups.
    lr : float, default 1e-3
        Learning rate ``eta >= 0``.
    betas : (float, float), default (0.9, 0.999)
        ``(beta_1, beta_2)``, each in [0, 1).
    eps : float, default 1e-8
        ``epsilon >= 0``.
    weight_decay : float, default 1e-2
        ``lambda >= 0``; each step also subtracts ``eta lambda w``.
    amsgrad : bool, default False
        Use the running maximum of the second moment.

    Notes
    -----
    The update of :func:`~mlfoundations.optim.adamw`:
    ``w_{t+1} = w_t - eta (m_hat_t / (sqrt(v_hat_t) + epsilon) + lambda w_t)``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import Tensor
    >>> from mlfoundations.optim import AdamW
    >>> w = Tensor(np.array([2.0]), requires_grad=True)
    >>> opt = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> np.round(w.data, 6)  # 2 - 0.1 * (1 + 0.5 * 2)
    array([1.8])
    """

    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
