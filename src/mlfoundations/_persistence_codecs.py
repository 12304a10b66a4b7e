"""The value codecs of `mlfoundations.persistence`: Python objects <-> JSON nodes + arrays.

`Encoder` walks an object graph and turns every value into a JSON node, moving each
array into a table of named arrays; `Decoder` builds the graph back from the nodes and
the table. Only the kinds of value listed here exist in a model file, so reading one
can only ever produce these kinds (classes come from the registry the caller passes,
never from an import by name):

=================  ===============================================================
value              JSON node
=================  ===============================================================
None, bool, int,   itself (a JSON literal); non-finite floats as
float, str         ``{"type": "float", "value": "nan" | "inf" | "-inf"}``
complex            ``{"type": "complex", "real": x, "imag": y}``
list, tuple        ``{"type": "list" | "tuple", "items": [node, ...]}``
dict               ``{"type": "dict", "items": [[key node, value node], ...]}``
numpy.ndarray      ``{"type": "ndarray", "array": name, "id": n}`` (+ ``"object": true``
                   for an object array of str, stored as a unicode array)
numpy scalar       ``{"type": "numpy_scalar", "array": name}`` (a 0-d array)
numpy.dtype        ``{"type": "dtype", "str": "<f8"}``
scalar type        ``{"type": "scalar_type", "dtype": "<f8"}`` or
                   ``{"type": "builtin_type", "name": "float"}``
Generator          ``{"type": "generator", "bit_generator": "PCG64", "state": node, "id": n}``
RandomState        ``{"type": "random_state", "state": node, "id": n}``
autodiff.Tensor    ``{"type": "tensor", "array": name, "requires_grad": b, "id": n}``
registered class   ``{"type": "object" | "dataclass", "class": path, "state": [[attr,
                   node], ...], "id": n}`` or ``{"type": "namedtuple", "class": path,
                   "items": [[field, node], ...]}``
a repeat           ``{"type": "ref", "id": n}`` (shared arrays, Tensors, objects stay shared)
=================  ===============================================================
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
import types

import numpy as np

__all__ = ["Encoder", "Decoder", "DecodeError", "class_path", "instance_state"]

# the bit generators a Generator may be rebuilt with (all of NumPy's)
_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")
_BUILTIN_TYPES = {t.__name__: t for t in (bool, int, float, complex, str)}
# functions and modules are code, never state: they get the generic refusal
_CODE = (types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.ModuleType, functools.partial)
_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_SUPPORTED = (
    "None, bool, int, float, complex, str, list, tuple, dict, numpy arrays (not of objects), "
    "numpy scalars and dtypes, numpy random generators, autodiff Tensors and the registered "
    "mlfoundations classes"
)


class DecodeError(ValueError):
    """A node that no codec reads, or a reference to a missing array, id or class."""


def class_path(cls) -> str:
    """``module.QualifiedName``: how a class is named in a model file."""
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_namedtuple_class(cls) -> bool:
    return issubclass(cls, tuple) and hasattr(cls, "_fields")


def instance_state(obj) -> dict:
    """An object's attributes minus the values cached by ``functools.cached_property``.

    A cached property is recomputed from the other attributes on first access, so it
    is derived data: storing it would only let a file disagree with itself.
    """
    cls = type(obj)
    return {
        name: value
        for name, value in vars(obj).items()
        if not isinstance(inspect.getattr_static(cls, name, None), functools.cached_property)
    }


class Encoder:
    """Turn values into JSON nodes, collecting the arrays in ``self.arrays``.

    Parameters
    ----------
    registry : dict of type to str
        The classes whose instances may be stored, with their names in the file.
    array_names : dict of int to str, optional
        Preferred array names by ``id`` of a Tensor or array (a module's state-dict
        names); other arrays are named after the attribute path where they first occur.
    """

    def __init__(self, registry, array_names=None, label=""):
        self.registry = registry
        self.label = label
        self.arrays: dict[str, np.ndarray] = {}
        self._array_names = array_names or {}
        self._memo: dict[int, int] = {}
        self._keep: list = []  # keeps every memoised object alive, so no id is reused
        self._active: set[int] = set()

    # -- helpers ------------------------------------------------------------------
    def _where(self, path) -> str:
        """The attribute path of a value, as error messages name it."""
        return ".".join(part for part in (self.label, path) if part)

    def _remember(self, value) -> int | None:
        """The id of a value seen before (None the first time, when one is assigned)."""
        key = id(value)
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = len(self._memo)
        self._keep.append(value)
        return None

    def _add_array(self, array, path, original=None) -> str:
        name = self._array_names.get(id(original if original is not None else array), path) or "array"
        unique, n = name, 1
        while unique in self.arrays:
            unique, n = f"{name}~{n}", n + 1
        self.arrays[unique] = array
        return unique

    # -- the codecs -----------------------------------------------------------------
    def encode(self, value, path: str):
        """The JSON node of ``value``; ``path`` names it in error messages and array names."""
        kind = type(value)
        if value is None or kind in (bool, int, str):
            return value
        if kind is float:
            if math.isfinite(value):
                return value
            return {"type": "float", "value": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
        if kind is complex:
            return {"type": "complex", "real": self.encode(value.real, path), "imag": self.encode(value.imag, path)}
        if isinstance(value, np.generic):
            return self._encode_numpy_scalar(value, path)
        if kind is np.ndarray:
            return self._encode_ndarray(value, path)
        if isinstance(value, np.dtype):
            return {"type": "dtype", "str": _dtype_str(value, self._where(path))}
        if isinstance(value, type):
            return self._encode_type(value, path)
        if kind in (list, tuple, dict):
            return self._encode_container(value, path)
        if kind is np.random.Generator or kind is np.random.RandomState:
            return self._encode_random(value, path)
        from .autodiff import Tensor  # noqa: PLC0415 - autodiff is only needed for nn modules

        if kind is Tensor:
            return self._encode_tensor(value, path)
        if kind in self.registry:
            return self._encode_registered(value, path)
        if hasattr(value, "__dict__") and not isinstance(value, _CODE):
            raise TypeError(
                f"cannot save {self._where(path)}: the class {class_path(kind)} is not in mlfoundations' "
                "registry of loadable classes; add it with mlfoundations.persistence.register"
            )
        raise TypeError(
            f"cannot save {self._where(path)}: a value of type {kind.__module__}.{kind.__qualname__} is not "
            f"supported (supported: {_SUPPORTED})"
        )

    def _encode_numpy_scalar(self, value, path):
        array = np.asarray(value)
        if array.dtype.hasobject or array.dtype.fields is not None:
            raise TypeError(f"cannot save {self._where(path)}: numpy {array.dtype} scalars are not supported")
        return {"type": "numpy_scalar", "array": self._add_array(array, path)}

    def _encode_ndarray(self, value, path):
        seen = self._remember(value)
        if seen is not None:
            return {"type": "ref", "id": seen}
        node = {"type": "ndarray", "id": self._memo[id(value)]}
        if value.dtype.fields is not None:
            raise TypeError(f"cannot save {self._where(path)}: structured arrays are not supported")
        array = value
        if value.dtype.hasobject:
            array = _object_strings_as_unicode(value, self._where(path))
            node["object"] = True
        node["array"] = self._add_array(array, path, original=value)
        return node

    def _encode_type(self, value, path):
        if issubclass(value, np.generic) and value is not np.object_ and value is not np.generic:
            try:
                return {"type": "scalar_type", "dtype": _dtype_str(np.dtype(value), self._where(path))}
            except TypeError:
                pass  # abstract numpy types (np.floating...) have no dtype
        if _BUILTIN_TYPES.get(value.__name__) is value:
            return {"type": "builtin_type", "name": value.__name__}
        raise TypeError(f"cannot save {self._where(path)}: the type {value!r} is not supported as a value")

    def _encode_container(self, value, path):
        if id(value) in self._active:
            raise TypeError(f"cannot save {self._where(path)}: the {type(value).__name__} contains itself")
        self._active.add(id(value))
        try:
            if type(value) is dict:
                items = []
                for i, (k, v) in enumerate(value.items()):
                    step = k if isinstance(k, str) and k.isidentifier() else str(i)
                    items.append([self.encode(k, f"{path}[key {i}]"), self.encode(v, f"{path}.{step}")])
                return {"type": "dict", "items": items}
            return {
                "type": type(value).__name__,
                "items": [self.encode(v, f"{path}.{i}") for i, v in enumerate(value)],
            }
        finally:
            self._active.discard(id(value))

    def _encode_random(self, value, path):
        seen = self._remember(value)
        if seen is not None:
            return {"type": "ref", "id": seen}
        n = self._memo[id(value)]
        if type(value) is np.random.RandomState:
            return {"type": "random_state", "id": n, "state": self.encode(value.get_state(legacy=False), path)}
        name = type(value.bit_generator).__name__
        if name not in _BIT_GENERATORS:
            raise TypeError(
                f"cannot save {self._where(path)}: a Generator over the bit generator {name} is not supported"
            )
        return {
            "type": "generator",
            "id": n,
            "bit_generator": name,
            "state": self.encode(value.bit_generator.state, f"{path}.state"),
        }

    def _encode_tensor(self, value, path):
        seen = self._remember(value)
        if seen is not None:
            return {"type": "ref", "id": seen}
        # the gradient and the graph behind a non-leaf are not state: only the values are kept
        return {
            "type": "tensor",
            "id": self._memo[id(value)],
            "requires_grad": bool(value.requires_grad),
            "array": self._add_array(value.data, path, original=value),
        }

    def _encode_registered(self, value, path):
        name = self.registry[type(value)]
        if _is_namedtuple_class(type(value)):
            return self.encode_namedtuple(value, name, path)
        seen = self._remember(value)
        if seen is not None:
            return {"type": "ref", "id": seen}
        n = self._memo[id(value)]
        if dataclasses.is_dataclass(value):
            fields = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
            return {"type": "dataclass", "class": name, "id": n, "state": self._encode_pairs(fields, path)}
        return {"type": "object", "class": name, "id": n, "state": self.encode_state(value, path)}

    def encode_namedtuple(self, value, name, path):
        if id(value) in self._active:
            raise TypeError(f"cannot save {self._where(path)}: the {type(value).__name__} contains itself")
        self._active.add(id(value))
        try:
            return {"type": "namedtuple", "class": name,
                    "items": self._encode_pairs(zip(value._fields, value), path)}
        finally:
            self._active.discard(id(value))

    def encode_root(self, obj) -> None:
        """Give the saved object id 0, so that values inside it may refer back to it."""
        self._remember(obj)

    def encode_state(self, obj, path, exclude=()):
        """``[[attribute, node], ...]`` for an object's attributes (not cached ones)."""
        if not hasattr(obj, "__dict__"):
            raise TypeError(f"cannot save {self._where(path)}: {type(obj).__name__} objects keep no __dict__")
        state = [(k, v) for k, v in instance_state(obj).items() if k not in exclude]
        return self._encode_pairs(state, path)

    def _encode_pairs(self, pairs, path):
        return [[name, self.encode(v, f"{path}.{name}" if path else name)] for name, v in pairs]


def _dtype_str(dtype, path) -> str:
    if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
        raise TypeError(f"cannot save {path}: the dtype {dtype} is not supported as a value")
    return dtype.str


def _object_strings_as_unicode(value, path) -> np.ndarray:
    """An object array that holds only str, as a unicode array (no pickle needed)."""
    flat = value.ravel()
    if not all(type(item) is str for item in flat):
        kinds = sorted({type(item).__name__ for item in flat if type(item) is not str})
        raise TypeError(
            f"cannot save {path}: an object array can be saved only when it holds str "
            f"(stored as a unicode array); it holds {', '.join(kinds)}"
        )
    if any(item.endswith("\0") for item in flat):
        raise TypeError(f"cannot save {path}: a unicode array cannot keep a trailing NUL character")
    return np.array(value.tolist(), dtype=str).reshape(value.shape) if value.size else np.empty(value.shape, "U1")


class Decoder:
    """Build values back from JSON nodes and a table of arrays.

    Parameters
    ----------
    arrays : dict of str to numpy.ndarray
        Read with ``allow_pickle=False``.
    registry : dict of str to type
        The only classes that can be instantiated, by their name in the file.
    """

    def __init__(self, arrays, registry):
        self.arrays = arrays
        self.registry = registry
        self.used: set[str] = set()
        self.memo: dict[int, object] = {}

    def array(self, node) -> np.ndarray:
        name = node["array"]
        if not isinstance(name, str) or name not in self.arrays:
            raise DecodeError(f"the header refers to an array {name!r} that the file does not hold")
        self.used.add(name)
        return self.arrays[name]

    def lookup(self, name) -> type:
        cls = self.registry.get(name) if isinstance(name, str) else None
        if cls is None:
            raise DecodeError(f"the class {name!r} is not one that mlfoundations loads (not in its registry)")
        return cls

    def _remember(self, node, value):
        n = node["id"]
        if type(n) is not int or n in self.memo:
            raise DecodeError(f"invalid or repeated object id {n!r}")
        self.memo[n] = value
        return value

    def decode(self, node):
        """The value of one node."""
        if node is None or type(node) in (bool, int, float, str):
            return node
        if type(node) is not dict or not isinstance(node.get("type"), str):
            raise DecodeError(f"a value node must be a JSON literal or an object with a 'type', got {node!r:.80}")
        method = getattr(self, "_decode_" + node["type"], None)
        if method is None:
            raise DecodeError(f"unknown value type {node['type']!r}")
        return method(node)

    def _decode_float(self, node):
        if node["value"] not in _NON_FINITE:
            raise DecodeError(f"invalid float {node['value']!r}")
        return _NON_FINITE[node["value"]]

    def _decode_complex(self, node):
        real, imag = self.decode(node["real"]), self.decode(node["imag"])
        if type(real) is not float or type(imag) is not float:
            raise DecodeError("a complex number needs float parts")
        return complex(real, imag)

    def _decode_list(self, node):
        return [self.decode(v) for v in _items(node)]

    def _decode_tuple(self, node):
        return tuple(self.decode(v) for v in _items(node))

    def _decode_dict(self, node):
        out = {}
        for pair in _items(node):
            key, value = _pair(pair)
            key = self.decode(key)
            try:
                hash(key)
            except TypeError:
                raise DecodeError(f"invalid (unhashable) dict key {key!r:.80}") from None
            out[key] = self.decode(value)
        return out

    def _decode_ref(self, node):
        if type(node["id"]) is not int or node["id"] not in self.memo:
            raise DecodeError(f"reference to the unknown object id {node['id']!r}")
        return self.memo[node["id"]]

    def _decode_ndarray(self, node):
        array = self.array(node)
        if node.get("object") is True:
            if array.dtype.kind != "U":
                raise DecodeError("an object array of str must be stored as a unicode array")
            array = array.astype(object)
        return self._remember(node, array)

    def _decode_numpy_scalar(self, node):
        array = self.array(node)
        if array.ndim != 0:
            raise DecodeError(f"a numpy scalar must be stored as a 0-d array, got shape {array.shape}")
        return array[()]

    def _decode_dtype(self, node):
        return _safe_dtype(node["str"])

    def _decode_scalar_type(self, node):
        return _safe_dtype(node["dtype"]).type

    def _decode_builtin_type(self, node):
        if node["name"] not in _BUILTIN_TYPES:
            raise DecodeError(f"unknown builtin type {node['name']!r}")
        return _BUILTIN_TYPES[node["name"]]

    def _decode_generator(self, node):
        name = node["bit_generator"]
        if name not in _BIT_GENERATORS:
            raise DecodeError(f"unknown bit generator {name!r}")
        bit_generator = getattr(np.random, name)()
        try:
            bit_generator.state = self.decode(node["state"])
        except (TypeError, ValueError, KeyError) as exc:
            raise DecodeError(f"invalid {name} state: {exc}") from None
        return self._remember(node, np.random.Generator(bit_generator))

    def _decode_random_state(self, node):
        random_state = np.random.RandomState()
        try:
            random_state.set_state(self.decode(node["state"]))
        except (TypeError, ValueError, KeyError) as exc:
            raise DecodeError(f"invalid RandomState state: {exc}") from None
        return self._remember(node, random_state)

    def _decode_tensor(self, node):
        from .autodiff import Tensor  # noqa: PLC0415

        array = self.array(node)
        if array.dtype not in (np.float64, np.float32):
            raise DecodeError(f"a Tensor must hold float32 or float64 values, got {array.dtype}")
        tensor = Tensor(array)  # no copy: the array read from the file is the Tensor's own
        tensor.requires_grad = node["requires_grad"] is True
        return self._remember(node, tensor)

    def _decode_namedtuple(self, node):
        cls = self.lookup(node["class"])
        pairs = [_pair(p) for p in _items(node)]
        if not _is_namedtuple_class(cls) or tuple(name for name, _ in pairs) != cls._fields:
            raise DecodeError(f"the fields stored for {node['class']} do not match the class")
        return cls._make(self.decode(v) for _, v in pairs)

    def _decode_dataclass(self, node):
        cls = self.lookup(node["class"])
        if not dataclasses.is_dataclass(cls):
            raise DecodeError(f"{node['class']} is not a dataclass")
        obj = self._remember(node, object.__new__(cls))
        state = self.decode_state(node["state"])
        if sorted(state) != sorted(f.name for f in dataclasses.fields(cls)):
            raise DecodeError(f"the fields stored for {node['class']} do not match the class")
        for name, value in state.items():
            object.__setattr__(obj, name, value)  # frozen dataclasses too
        return obj

    def _decode_object(self, node):
        cls = self.lookup(node["class"])
        if _is_namedtuple_class(cls) or dataclasses.is_dataclass(cls):
            raise DecodeError(f"{node['class']} must be stored as a namedtuple or dataclass")
        obj = self._remember(node, new_instance(cls))
        vars(obj).update(self.decode_state(node["state"]))
        return obj

    def decode_state(self, pairs) -> dict:
        """``{attribute: value}`` from ``[[attribute, node], ...]``."""
        if type(pairs) is not list:
            raise DecodeError("an object's state must be a list of [name, value] pairs")
        state = {}
        for pair in pairs:
            name, value = _pair(pair)
            if type(name) is not str or name in state:
                raise DecodeError(f"invalid or repeated attribute name {name!r:.80}")
            state[name] = self.decode(value)
        return state


def new_instance(cls):
    """An instance made without running ``__init__`` (its state is set afterwards)."""
    return object.__new__(cls)


def _items(node) -> list:
    items = node["items"]
    if type(items) is not list:
        raise DecodeError(f"'items' must be a list, got {type(items).__name__}")
    return items


def _pair(pair):
    if type(pair) is not list or len(pair) != 2:
        raise DecodeError(f"expected a [name, value] pair, got {pair!r:.80}")
    return pair


def _safe_dtype(text) -> np.dtype:
    if type(text) is not str:
        raise DecodeError(f"a dtype must be given as a string, got {text!r:.80}")
    try:
        dtype = np.dtype(text)
    except (TypeError, ValueError):
        raise DecodeError(f"invalid dtype {text!r:.80}") from None
    if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
        raise DecodeError(f"the dtype {text!r:.80} is not allowed")
    return dtype
