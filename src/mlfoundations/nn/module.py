"""``Module``: a tree of parameters and sub-modules, and ``Sequential``.

A module's parameters are the `mlfoundations.autodiff.Tensor` objects it holds as
attributes, directly or in a list/tuple; its children are the modules it holds the
same way. No registration call and no ``Parameter`` class: assigning
``self.weight = Tensor(..., requires_grad=True)`` makes ``weight`` a parameter, and
``self.layers = [Linear(...), ...]`` makes ``layers.0``, ``layers.1`` children.
Names are dotted paths as in PyTorch (``"0.weight"``, ``"attn.q_proj.bias"``); a
module lists its own Tensors first (those in lists included), then its children's,
each group in assignment order.
Arrays that are not Tensors (settings, cached values) are not parameters.

State dictionaries map names to NumPy arrays; on disk they are ``.npz`` archives
read back with ``allow_pickle=False``, so loading a file never runs code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from .._validation import as_float_array, check_bool
from ..autodiff import Tensor

__all__ = [
    "Module",
    "Sequential",
    "IncompatibleKeys",
    "functional_call",
    "save_state_dict",
    "load_state_dict_file",
]


class IncompatibleKeys(NamedTuple):
    """What `Module.load_state_dict` could not match (empty lists when strict)."""

    missing_keys: list
    unexpected_keys: list


class Module:
    """Base class of every layer, loss and model.

    A subclass assigns its parameters (Tensors with ``requires_grad=True``) and
    sub-modules as attributes in ``__init__`` and defines ``forward``; calling the
    module calls ``forward``. Calling ``super().__init__()`` is optional.

    Attributes
    ----------
    training : bool
        True (the default) in training mode, False after `eval`. Layers such as
        `Dropout` behave differently in the two modes.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import Tensor
    >>> from mlfoundations.nn import Module, Linear
    >>> class Affine(Module):
    ...     def __init__(self):
    ...         self.scale = Tensor(np.ones(2), requires_grad=True)
    ...         self.inner = Linear(2, 2, rng=0)
    ...     def forward(self, x):
    ...         return self.inner(x) * self.scale
    >>> [name for name, _ in Affine().named_parameters()]
    ['scale', 'inner.weight', 'inner.bias']
    """

    training = True

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    # -- the tree ---------------------------------------------------------------
    def _own_parameters(self):
        """(local name, Tensor) for the Tensors held directly, in assignment order."""
        for name, value in vars(self).items():
            if isinstance(value, Tensor):
                yield name, value
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, Tensor):
                        yield f"{name}.{i}", item

    def named_children(self):
        """Iterate over ``(name, module)`` for the direct sub-modules."""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, Module):
                        yield f"{name}.{i}", item

    def children(self):
        """Iterate over the direct sub-modules."""
        for _, child in self.named_children():
            yield child

    def modules(self):
        """Iterate over this module and every module below it, depth first, each once."""
        seen = set()
        stack = [self]
        while stack:
            module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield module
            stack.extend(reversed(list(module.children())))

    def _parameter_slots(self, prefix=""):
        """(full name, owning module, local name, Tensor) for every slot, repeats included."""
        for local, tensor in self._own_parameters():
            yield prefix + local, self, local, tensor
        for name, child in self.named_children():
            yield from child._parameter_slots(f"{prefix}{name}.")

    def named_parameters(self):
        """List of ``(dotted name, Tensor)``; a Tensor held twice is listed once (first name)."""
        seen = set()
        named = []
        for name, _, _, tensor in self._parameter_slots():
            if id(tensor) not in seen:
                seen.add(id(tensor))
                named.append((name, tensor))
        return named

    def parameters(self):
        """List of the parameter Tensors, each once, in `named_parameters` order."""
        return [tensor for _, tensor in self.named_parameters()]

    def zero_grad(self) -> None:
        """Clear the gradient of every parameter (``Tensor.zero_grad``)."""
        for tensor in self.parameters():
            tensor.zero_grad()

    def train(self, mode: bool = True):
        """Set training mode on this module and every sub-module; returns ``self``."""
        mode = check_bool(mode, "mode")
        for module in self.modules():
            module.training = mode
        return self

    def eval(self):
        """Evaluation mode (``train(False)``): dropout off. Returns ``self``."""
        return self.train(False)

    # -- state ------------------------------------------------------------------
    def state_dict(self) -> dict:
        """Ordered ``{name: copy of the parameter's array}``, every name of a shared Tensor."""
        return {name: tensor.data.copy() for name, _, _, tensor in self._parameter_slots()}

    def load_state_dict(self, state_dict, strict: bool = True) -> IncompatibleKeys:
        """Copy arrays into the parameters, in place (optimizers keep their references).

        Parameters
        ----------
        state_dict : mapping of str to array_like
            As returned by `state_dict` or `load_state_dict_file`.
        strict : bool, default True
            Require the keys to match the module's names exactly. When False,
            missing and unexpected keys are skipped and returned.

        Returns
        -------
        IncompatibleKeys
            ``(missing_keys, unexpected_keys)``; both empty when ``strict``.

        Raises
        ------
        ValueError
            When strict and a key is missing or unexpected; in any mode when an
            array's shape differs from its parameter's, or it holds NaN/inf. Nothing
            is written unless every check passes.
        TypeError
            If ``state_dict`` is not a mapping.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"state_dict must be a mapping of names to arrays, got {type(state_dict).__name__}")
        strict = check_bool(strict, "strict")
        slots = {name: tensor for name, _, _, tensor in self._parameter_slots()}
        missing = [name for name in slots if name not in state_dict]
        unexpected = [name for name in state_dict if name not in slots]
        problems = []
        if strict and missing:
            problems.append(f"missing keys {missing}")
        if strict and unexpected:
            problems.append(f"unexpected keys {unexpected}")
        arrays = {}
        for name, tensor in slots.items():
            if name not in state_dict:
                continue
            value = state_dict[name]
            value = as_float_array(value.data if isinstance(value, Tensor) else value, f"state_dict[{name!r}]")
            if value.shape != tensor.shape:
                problems.append(f"shape mismatch for {name!r}: the parameter has shape {tensor.shape}, "
                                f"the state_dict holds {value.shape}")
            arrays[name] = value
        if problems:
            raise ValueError(f"Error loading state_dict into {type(self).__name__}: " + "; ".join(problems))
        for name, value in arrays.items():
            slots[name].data[...] = value
        return IncompatibleKeys(missing, unexpected)

    def save(self, path) -> None:
        """Write `state_dict` to ``path`` as an ``.npz`` archive (the name is used as given)."""
        save_state_dict(self.state_dict(), path)

    def load(self, path, strict: bool = True) -> IncompatibleKeys:
        """Read an ``.npz`` written by `save` (no pickle) and `load_state_dict` it."""
        return self.load_state_dict(load_state_dict_file(path), strict=strict)

    # -- printing ---------------------------------------------------------------
    def extra_repr(self) -> str:
        """The settings shown between the parentheses of the repr (override)."""
        return ""

    def __repr__(self) -> str:
        lines = self.extra_repr().split("\n") if self.extra_repr() else []
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({''.join(lines)})"
        for name, child in children:
            lines.append(f"({name}): " + repr(child).replace("\n", "\n  "))
        return type(self).__name__ + "(\n  " + "\n  ".join(lines) + "\n)"


class Sequential(Module):
    """Modules applied one after the other: ``Sequential(f, g, h)(x) = h(g(f(x)))``.

    Children are named ``"0"``, ``"1"``, ... as in PyTorch; indexing returns a
    module (a slice returns a `Sequential` sharing the same modules).

    Examples
    --------
    >>> from mlfoundations.nn import Linear, ReLU, Sequential
    >>> net = Sequential(Linear(4, 3, rng=0), ReLU(), Linear(3, 2, rng=1))
    >>> net
    Sequential(
      (0): Linear(in_features=4, out_features=3, bias=True)
      (1): ReLU()
      (2): Linear(in_features=3, out_features=2, bias=True)
    )
    >>> len(net), [name for name, _ in net.named_parameters()][:2]
    (3, ['0.weight', '0.bias'])
    """

    def __init__(self, *modules):
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"Sequential takes Modules; argument {i} is a {type(module).__name__}")
        self._layers = list(modules)

    def named_children(self):
        for i, module in enumerate(self._layers):
            yield str(i), module

    def forward(self, x):
        for module in self._layers:
            x = module(x)
        return x

    def __len__(self) -> int:
        return len(self._layers)

    def __iter__(self):
        return iter(self._layers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self._layers[index])
        return self._layers[index]


def functional_call(module: Module, parameters, *args, **kwargs):
    """Call ``module(*args, **kwargs)`` with some parameters replaced by given Tensors.

    The module is restored afterwards (also on error). This turns a module into a
    function of its parameters: gradients flow into the Tensors passed here, which
    is what `mlfoundations.autodiff.gradcheck`, Hessians and ``optim.minimize``
    need. The idea is ``torch.func.functional_call``.

    Parameters
    ----------
    module : Module
    parameters : mapping of str to Tensor or array_like
        Dotted names as in `Module.state_dict`; names not given keep the module's own
        Tensor. Arrays become constant Tensors.
    *args, **kwargs
        Passed to ``module``.

    Raises
    ------
    ValueError
        On an unknown name or a shape that differs from the parameter's.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.nn import Linear, functional_call
    >>> layer = Linear(2, 1, rng=0)
    >>> functional_call(layer, {"weight": np.array([[1.0, 1.0]]), "bias": np.zeros(1)},
    ...                 np.array([[2.0, 3.0]])).numpy()
    array([[5.]])
    """
    slots = {name: (owner, local, tensor) for name, owner, local, tensor in module._parameter_slots()}
    replacements = []
    for name, value in parameters.items():
        if name not in slots:
            raise ValueError(f"{type(module).__name__} has no parameter named {name!r}")
        owner, local, old = slots[name]
        new = value if isinstance(value, Tensor) else Tensor(as_float_array(value, name, keep_float32=True))
        if new.shape != old.shape:
            raise ValueError(f"parameter {name!r} has shape {old.shape}, got {new.shape}")
        replacements.append((owner, local, old, new))
    try:
        for owner, local, _, new in replacements:
            _set_slot(owner, local, new)
        return module(*args, **kwargs)
    finally:
        for owner, local, old, _ in reversed(replacements):
            _set_slot(owner, local, old)


def _set_slot(owner: Module, local: str, tensor: Tensor) -> None:
    """Put ``tensor`` where `Module._own_parameters` found the name ``local``."""
    attribute, _, index = local.partition(".")
    if not index:
        setattr(owner, attribute, tensor)
        return
    container = getattr(owner, attribute)
    items = list(container)
    items[int(index)] = tensor
    if isinstance(container, list):
        container[int(index)] = tensor
    else:
        setattr(owner, attribute, type(container)(items))


def save_state_dict(state_dict, path) -> None:
    """Write ``{name: array}`` to ``path`` as an uncompressed ``.npz`` archive.

    The file name is used exactly as given (no ``.npz`` is appended). Only numeric
    arrays are written, so the file loads with ``allow_pickle=False``.
    """
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"state_dict must be a mapping of names to arrays, got {type(state_dict).__name__}")
    arrays = {}
    for name, value in state_dict.items():
        if not isinstance(name, str):
            raise TypeError(f"state_dict keys must be str, got {type(name).__name__} {name!r}")
        arrays[name] = as_float_array(value, f"state_dict[{name!r}]", keep_float32=True)
    with open(os.fspath(path), "wb") as f:
        np.savez(f, **arrays)


def load_state_dict_file(path) -> dict:
    """Read ``{name: array}`` from an ``.npz`` archive with ``allow_pickle=False``.

    Raises
    ------
    ValueError
        If the file is not an ``.npz`` archive or holds object arrays (which could
        only be read by unpickling).
    """
    try:
        archive = np.load(os.fspath(path), allow_pickle=False)
    except ValueError as exc:  # numpy tries unpickling whatever is not .npy/.npz
        raise ValueError(f"{path} is not an .npz archive of numeric arrays: {exc}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"{path} holds a single array, not an .npz archive of named arrays")
    with archive:
        try:
            return {name: archive[name] for name in archive.files}
        except ValueError as exc:
            raise ValueError(f"{path} holds object arrays, readable only by unpickling; refused ({exc})") from None
