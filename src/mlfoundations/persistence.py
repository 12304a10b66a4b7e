"""Saving and loading models safely: a versioned JSON header and arrays, never a pickle.

`save` writes any estimator of `mlfoundations.models` or any `mlfoundations.nn.Module`
to one file; `load` reads it back into an object that predicts bit for bit as the
original did. Reading a file never runs code from it: nothing is unpickled (arrays
are read with ``numpy.load(..., allow_pickle=False)``), no module is imported by a
name found in the file, and the only classes that can be instantiated are those in
a fixed registry (see `register`).

File layout, format ``"mlfoundations-model"`` version 1 (extension ``.mlf``)
----------------------------------------------------------------------------
A zip archive (members stored, not compressed) holding exactly two members:

``header.json``
    UTF-8 JSON object::

        {"format": "mlfoundations-model",
         "format_version": 1,
         "library_version": "0.1.0",            # the mlfoundations that wrote it
         "kind": "estimator" | "module",
         "class": "mlfoundations.models.pca.PCA",
         "params": {name: value, ...},          # estimators: get_params(deep=False)
         "fitted": true | false,                # estimators only
         "state": [[attribute, value], ...],    # every other attribute, in order
         "arrays": {name: {"dtype": "<f8", "shape": [3, 4]}, ...},
         "sha256": "..."}

    ``state`` holds the rest of the object's ``__dict__``: for an estimator its fitted
    attributes (ending in ``_``) and private state such as ``LinearRegression._moments``
    used by ``partial_fit``; for a module its settings, its sub-modules (each stored
    the same way, with its own class) and its parameters. Each value is a JSON literal
    or a tagged node (``{"type": "ndarray", "array": "coef_", ...}``, ``"tuple"``,
    ``"object"`` for a registered class, ...; the table is in
    ``mlfoundations._persistence_codecs``). Values cached by ``functools.cached_property``
    are left out and recomputed on first use.

``arrays.npz``
    An uncompressed NumPy ``.npz`` archive with every array the header names, each a
    ``.npy`` file of a non-object dtype. An array is named after the attribute path
    where it first occurs (``"coef_"``, ``"results_.params"``, ``"tree_.threshold"``);
    a module's parameters carry their state-dict names (``"0.weight"``), so
    ``numpy.load`` of this member gives the module's ``state_dict``. Object arrays of
    str (class labels, feature names) are stored as unicode arrays.

``sha256`` is the SHA-256 of the canonical header (sorted keys, no spaces, without the
``sha256`` entry), a newline, and the bytes of ``arrays.npz``; `load` recomputes it
and refuses a file that does not match. It detects accidental or careless edits, not
an attacker, who could recompute it: safety comes from what loading can do (build
arrays, numbers, strings and instances of registered classes), not from the hash.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import inspect
import io
import json
import os
import pathlib
import secrets
import zipfile

import numpy as np

from . import __version__
from ._persistence_codecs import Decoder, DecodeError, Encoder, class_path, instance_state, new_instance
from ._validation import check_bool

__all__ = ["save", "load", "register", "FormatError", "FORMAT_NAME", "FORMAT_VERSION", "EXTENSION"]

FORMAT_NAME = "mlfoundations-model"
FORMAT_VERSION = 1
EXTENSION = ".mlf"
_HEADER, _ARRAYS = "header.json", "arrays.npz"
_MAX_HEADER_BYTES = 256 * 2**20
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same model gives the same bytes


class FormatError(ValueError):
    """A file that is not a model file of a format version this library reads.

    Raised by `load` for a file that is not a zip archive (a pickle, say), lacks its
    header, holds invalid JSON, has an unknown format version, names a class outside
    the registry, holds arrays that are missing, extra, of the wrong dtype or shape, or
    of object dtype, or was modified after it was saved (its SHA-256 does not match).
    """


# -- the registry: the only classes a file may name -----------------------------------
_USER_CLASSES: dict[str, type] = {}


def _library_classes() -> list[type]:
    """Estimators and result objects of `mlfoundations.models`, modules of `mlfoundations.nn`,
    and the structures they hold in their fitted state."""
    from . import models, nn  # noqa: PLC0415 - imported on first use: `import mlfoundations` stays light
    from .models._least_squares import _Moments  # noqa: PLC0415
    from .models._tree_structure import Tree  # noqa: PLC0415
    from .models.mlp import MLPClassifier  # noqa: PLC0415 - the model `mlfoundations train` fits

    found = [getattr(models, name) for name in models.__all__]
    found += [c for c in (getattr(nn, name) for name in nn.__all__) if inspect.isclass(c) and issubclass(c, nn.Module)]
    return [c for c in found if inspect.isclass(c)] + [Tree, _Moments, MLPClassifier]


def _registry() -> dict[str, type]:
    by_name = {class_path(cls): cls for cls in _library_classes()}
    by_name.update(_USER_CLASSES)
    return by_name


def register(cls):
    """Allow `save` and `load` to store instances of a class of your own.

    Use it for a `~mlfoundations.nn.Module` or estimator you wrote, or for a class
    that your model holds in its state. Loading can instantiate only the classes
    registered in the running process, under the name ``module.QualifiedName``
    stored in the file, so registration is a decision of the code that loads, never
    of the file. Usable as a decorator.

    Parameters
    ----------
    cls : type
        A class whose instances keep their state in ``__dict__``, a ``NamedTuple`` or
        a dataclass. Instances are rebuilt without calling ``__init__``: the stored
        attributes are set directly.

    Returns
    -------
    type
        ``cls`` itself.

    Raises
    ------
    TypeError
        If ``cls`` is not a class, or its instances cannot be rebuilt that way (no
        ``__dict__``, or a built-in base such as ``dict``).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.autodiff import Tensor
    >>> from mlfoundations.nn import Module
    >>> from mlfoundations.persistence import register
    >>> @register
    ... class Scale(Module):
    ...     def __init__(self):
    ...         self.factor = Tensor(np.ones(3), requires_grad=True)
    ...     def forward(self, x):
    ...         return x * self.factor
    """
    if not inspect.isclass(cls):
        raise TypeError(f"register takes a class, got {type(cls).__name__} {cls!r:.80}")
    is_namedtuple = issubclass(cls, tuple) and hasattr(cls, "_fields")
    if not is_namedtuple and not dataclasses.is_dataclass(cls):
        try:
            instance = new_instance(cls)
        except TypeError as exc:
            raise TypeError(f"{class_path(cls)} cannot be registered: {exc}") from None
        if not hasattr(instance, "__dict__"):
            raise TypeError(f"{class_path(cls)} cannot be registered: its instances have no __dict__")
    _USER_CLASSES[class_path(cls)] = cls
    return cls


# -- save -------------------------------------------------------------------------------
def save(obj, path, *, overwrite=False) -> pathlib.Path:
    """Write an estimator or a neural-network module to a model file.

    Parameters
    ----------
    obj : estimator or mlfoundations.nn.Module
        Any estimator of `mlfoundations.models` (fitted or not) or any module of
        `mlfoundations.nn` (a `Sequential` MLP, say), or an instance of a class
        added with `register`.
    path : str or os.PathLike
        Where to write. ``.mlf`` is appended when the name has no extension;
        otherwise the name is used as given.
    overwrite : bool, default False
        Replace an existing file. Without it an existing ``path`` is an error, so a
        file is never lost by accident.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    TypeError
        If ``obj`` is not a registered estimator or module, or holds a value that no
        codec stores (a callable, an open file...); the message names the attribute.
        Nothing is written then.
    FileExistsError
        If ``path`` exists and ``overwrite`` is False.
    IsADirectoryError
        If ``path`` is a directory.
    FileNotFoundError
        If the directory that should hold ``path`` does not exist.

    Notes
    -----
    The layout is described in the module docstring. The file is written under a
    temporary name in the target directory and renamed into place, so a crash never
    leaves a half-written model under ``path``. Gradients of parameters are not
    stored; a ``numpy.random.Generator`` (the ``rng`` of `~mlfoundations.nn.Dropout`)
    is stored with its state, so it continues the same stream after loading.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> import mlfoundations
    >>> from mlfoundations.models import Ridge
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 5.0]])
    >>> model = Ridge(alpha=0.5).fit(X, [1.0, 2.0, 3.0, 4.0])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = mlfoundations.save(model, os.path.join(tmp, "ridge"))
    ...     loaded = mlfoundations.load(path)
    >>> path.name, loaded
    ('ridge.mlf', Ridge(alpha=0.5))
    >>> np.array_equal(loaded.predict(X), model.predict(X))
    True
    """
    overwrite = check_bool(overwrite, "overwrite")
    target = _as_path(path)
    if not target.suffix and not target.is_dir():
        target = target.with_name(target.name + EXTENSION)
    header_text, arrays_blob = _serialize(obj)  # any TypeError comes before the disk is touched
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "cannot save a model: the path is a directory", str(target))
    if not overwrite and os.path.lexists(target):
        raise FileExistsError(
            errno.EEXIST, "cannot save a model: the file exists (pass overwrite=True to replace it)", str(target)
        )
    if not target.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "cannot save a model: no such directory", str(target.parent))
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        # os.open with 0o666 lets the umask decide the permissions, as for any new file
        with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb") as file:
            with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as archive:
                archive.writestr(zipfile.ZipInfo(_HEADER, _ZIP_TIME), header_text.encode("utf-8"))
                archive.writestr(zipfile.ZipInfo(_ARRAYS, _ZIP_TIME), arrays_blob)
        os.replace(temporary, target)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
    return target


def _serialize(obj) -> tuple[str, bytes]:
    """The header text and the ``arrays.npz`` bytes of a model."""
    from .base import BaseEstimator  # noqa: PLC0415
    from .nn import Module  # noqa: PLC0415

    cls = type(obj)
    if isinstance(obj, BaseEstimator):
        kind = "estimator"
    elif isinstance(obj, Module):
        kind = "module"
    else:
        raise TypeError(
            f"save takes an estimator of mlfoundations.models or an mlfoundations.nn.Module, "
            f"got {cls.__module__}.{cls.__qualname__}"
        )
    registry = {c: name for name, c in _registry().items()}
    if cls not in registry:
        raise TypeError(
            f"cannot save a {class_path(cls)}: the class is not in mlfoundations' registry of loadable "
            "classes; add it with mlfoundations.persistence.register"
        )
    names = {id(t): name for name, t in obj.named_parameters()} if kind == "module" else {}
    encoder = Encoder(registry, names, label=cls.__name__)
    encoder.encode_root(obj)
    header = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "library_version": __version__,
        "kind": kind,
        "class": registry[cls],
    }
    if kind == "estimator":
        params = list(obj.get_params(deep=False))
        state = instance_state(obj)
        for name in params:
            if name not in state:
                raise TypeError(f"cannot save {cls.__name__}: its hyperparameter {name!r} is not an attribute")
        header["params"] = {name: encoder.encode(state[name], name) for name in params}
        header["fitted"] = bool(obj.__sklearn_is_fitted__())
        header["state"] = encoder.encode_state(obj, "", exclude=params)
    else:
        header["state"] = encoder.encode_state(obj, "")
    header["arrays"] = {
        name: {"dtype": array.dtype.str, "shape": list(array.shape)} for name, array in encoder.arrays.items()
    }
    blob = _npz_bytes(encoder.arrays)
    header["sha256"] = _digest(header, blob)
    # one top-level field per line: readable with `unzip -p model.mlf header.json`
    lines = (f" {json.dumps(key)}: {json.dumps(value, allow_nan=False)}" for key, value in header.items())
    return "{\n" + ",\n".join(lines) + "\n}\n", blob


def _npz_bytes(arrays) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            with archive.open(zipfile.ZipInfo(name + ".npy", _ZIP_TIME), "w", force_zip64=array.nbytes > 2**30) as f:
                np.lib.format.write_array(f, array, allow_pickle=False)
    return buffer.getvalue()


def _digest(header, blob) -> str:
    """SHA-256 of the canonical header (without its ``sha256``), a newline and the arrays."""
    body = {k: v for k, v in header.items() if k != "sha256"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8") + b"\n" + blob).hexdigest()


# -- load -------------------------------------------------------------------------------
def load(path):
    """Read a model written by `save`, without running any code from the file.

    Parameters
    ----------
    path : str or os.PathLike
        The model file (used exactly as given).

    Returns
    -------
    estimator or mlfoundations.nn.Module
        A new object of the saved class with the saved hyperparameters and state:
        fitted if it was fitted when saved, and giving bit-for-bit the same
        predictions, transforms and probabilities (and, for ``partial_fit``, the same
        continuation) as the original.

    Raises
    ------
    FormatError
        If the file is not a model file (a pickle, a plain ``.npz``...), its header is
        missing or not valid JSON, its format version is not one this library reads,
        it names a class outside the registry, its arrays are missing, extra, of the
        wrong dtype or shape or of object dtype, or it was modified after it was saved.
    FileNotFoundError
        If ``path`` does not exist.
    IsADirectoryError
        If ``path`` is a directory.

    Notes
    -----
    The checks run in this order, each before anything that depends on it: the file
    is a zip archive with the two members; the header is JSON of this format and a
    known version; the SHA-256 of header and arrays matches; every array is read with
    ``allow_pickle=False`` and matches its entry in the header; the object graph is
    built from registered classes only, without calling their ``__init__``.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> import mlfoundations
    >>> from mlfoundations.nn import Linear, ReLU, Sequential
    >>> net = Sequential(Linear(3, 4, rng=0), ReLU(), Linear(4, 2, rng=1))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     loaded = mlfoundations.load(mlfoundations.save(net, os.path.join(tmp, "mlp.mlf")))
    >>> x = np.ones((5, 3))
    >>> np.array_equal(loaded(x).numpy(), net(x).numpy())
    True
    """
    target = _as_path(path)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "cannot load a model: the path is a directory", str(target))
    if not target.exists():
        hint = target.with_name(target.name + EXTENSION)
        message = "cannot load a model: no such file"
        if not target.suffix and hint.is_file():
            message += f" (did you mean {hint.name!r}?)"
        raise FileNotFoundError(errno.ENOENT, message, str(target))
    header, arrays = _read(target)
    return _rebuild(header, arrays, target)


def _read(target) -> tuple[dict, dict]:
    """The verified header and the arrays of a model file."""
    where = f"{target} is not an mlfoundations model file"
    with open(target, "rb") as file:  # errors opening the file (permissions...) are not format errors
        try:
            archive = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError):
            raise FormatError(
                f"{where}: it is not a zip archive (a model file is a zip of {_HEADER} and {_ARRAYS}; "
                "pickles are never loaded)"
            ) from None
        header, blob = _read_members(archive, target, where)
    recorded = header.get("sha256")
    if not isinstance(recorded, str):
        raise FormatError(f"{target}: the header has no sha256 checksum")
    if _digest(header, blob) != recorded:
        raise FormatError(
            f"{target} was modified after it was saved: the SHA-256 of its header and arrays does "
            "not match the one recorded when it was written"
        )
    return header, _read_arrays(blob, header.get("arrays"), target)


def _read_members(archive, target, where) -> tuple[dict, bytes]:
    """The parsed header and the ``arrays.npz`` bytes, once the archive's members are checked."""
    with archive:
        members = {info.filename: info for info in archive.infolist()}
        if _HEADER not in members:
            raise FormatError(f"{where}: the archive has no {_HEADER} header (members: {sorted(members)[:5]})")
        if set(members) != {_HEADER, _ARRAYS}:
            raise FormatError(f"{where}: it must hold exactly {_HEADER} and {_ARRAYS}, found {sorted(members)[:5]}")
        for info in members.values():
            if info.compress_type != zipfile.ZIP_STORED:
                raise FormatError(f"{where}: its member {info.filename} is compressed (model files store them)")
        if members[_HEADER].file_size > _MAX_HEADER_BYTES:
            raise FormatError(f"{where}: its header is larger than {_MAX_HEADER_BYTES} bytes")
        return _parse_header(_read_member(archive, _HEADER, target), target), _read_member(archive, _ARRAYS, target)


def _read_member(archive, name, target) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError) as exc:
        # a CRC-32 mismatch lands here: bytes changed after the archive was written
        raise FormatError(f"{target} is corrupted or was modified after it was saved ({exc})") from None


def _parse_header(raw, target) -> dict:
    def unique_keys(pairs):
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError(f"a JSON object repeats a key among {sorted(keys)[:5]}")
        return dict(pairs)

    def no_constants(name):
        raise ValueError(f"{name} is not valid JSON")

    try:
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=unique_keys, parse_constant=no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise FormatError(f"{target}: its {_HEADER} is not valid JSON: {exc}") from None
    if type(header) is not dict or header.get("format") != FORMAT_NAME:
        found = header.get("format") if type(header) is dict else type(header).__name__
        raise FormatError(f"{target} is not an mlfoundations model file: its header's format is {found!r:.80}")
    version = header.get("format_version")
    if version != FORMAT_VERSION or type(version) is not int:
        raise FormatError(
            f"{target} has format version {version!r:.40} (written by mlfoundations "
            f"{header.get('library_version')!r:.40}); this mlfoundations ({__version__}) reads "
            f"format version {FORMAT_VERSION} only"
        )
    return header


def _read_arrays(blob, manifest, target) -> dict:
    """The arrays of ``arrays.npz``, read with ``allow_pickle=False`` and checked against the header."""
    if type(manifest) is not dict:
        raise FormatError(f"{target}: the header has no 'arrays' table")
    not_npz = f"{target}: {_ARRAYS} is not an .npz archive of arrays"
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as inner:
            compressed = [i.filename for i in inner.infolist() if i.compress_type != zipfile.ZIP_STORED]
        npz = np.load(io.BytesIO(blob), allow_pickle=False)
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise FormatError(f"{not_npz} ({exc})") from None
    if not isinstance(npz, np.lib.npyio.NpzFile):  # zipfile tolerates bytes before a zip, np.load not
        raise FormatError(f"{not_npz} (it does not start as one)")
    if compressed:  # refused unread: a small compressed member may inflate to gigabytes
        npz.close()
        raise FormatError(f"{target}: the arrays {compressed[:5]} are compressed (model files store them)")
    with npz:
        names = set(npz.files)
        missing, extra = sorted(set(manifest) - names), sorted(names - set(manifest))
        if missing or extra:
            raise FormatError(
                f"{target}: the arrays do not match the header (missing {missing[:5]}, extra {extra[:5]})"
            )
        arrays = {}
        for name, spec in manifest.items():
            try:
                array = npz[name]
            except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
                # object arrays fail here, before any unpickling: allow_pickle=False
                raise FormatError(f"{target}: the array {name!r} cannot be read without pickle ({exc})") from None
            shape = spec.get("shape") if type(spec) is dict else None
            dtype = spec.get("dtype") if type(spec) is dict else None
            if array.dtype.hasobject or array.dtype.str != dtype or list(array.shape) != shape:
                raise FormatError(
                    f"{target}: the array {name!r} has dtype {array.dtype.str} and shape "
                    f"{list(array.shape)}, the header says {dtype!r:.20} and {shape!r:.40}"
                )
            arrays[name] = array
    return arrays


def _rebuild(header, arrays, target):
    """The saved object, built from registered classes only."""
    from .base import BaseEstimator  # noqa: PLC0415
    from .nn import Module  # noqa: PLC0415

    decoder = Decoder(arrays, _registry())
    try:
        kind = header.get("kind")
        cls = decoder.lookup(header.get("class"))
        if (kind, issubclass(cls, BaseEstimator), issubclass(cls, Module)) not in (
            ("estimator", True, False),
            ("module", False, True),
        ):
            raise DecodeError(f"{header.get('class')} is not a saved {kind!r:.20}")
        obj = new_instance(cls)
        decoder.memo[0] = obj
        if kind == "estimator":
            vars(obj).update(_decode_params(decoder, cls, header.get("params")))
        state = decoder.decode_state(header.get("state"))
        if set(state) & set(vars(obj)):
            raise DecodeError(f"the attributes {sorted(set(state) & set(vars(obj)))} are stored twice")
        vars(obj).update(state)
    except (DecodeError, KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError) as exc:
        raise FormatError(f"{target}: invalid model header: {exc}") from None
    unused = sorted(set(arrays) - decoder.used)
    if unused:
        raise FormatError(f"{target}: it holds arrays that its header never uses: {unused[:5]}")
    return obj


def _decode_params(decoder, cls, stored) -> dict:
    """Hyperparameters by name; one the file lacks (added to the class later) takes its default."""
    if type(stored) is not dict:
        raise DecodeError("an estimator's 'params' must be a JSON object")
    signature = inspect.signature(cls.__init__).parameters
    known = cls._param_names()
    unknown = sorted(set(stored) - set(known))
    if unknown:
        raise DecodeError(f"{cls.__name__} has no hyperparameters {unknown}")
    params = {}
    for name in known:
        if name in stored:
            params[name] = decoder.decode(stored[name])
        elif signature[name].default is not inspect.Parameter.empty:
            params[name] = signature[name].default
        else:
            raise DecodeError(f"the hyperparameter {name!r} of {cls.__name__} is missing")
    return params


def _as_path(path) -> pathlib.Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
    return pathlib.Path(path)
