"""Parameter trees: a NumPy array, or a list / tuple / dict of them (nested freely).

The pure transforms map a formula over every leaf of such a tree. Leaves are arrays
(a Python number counts as a 0-d array); containers are walked in order, dict keys in
insertion order.
"""

from __future__ import annotations

import numpy as np

__all__ = ["tree_map", "tree_leaves"]

_CONTAINERS = (list, tuple, dict)


def _is_namedtuple(node) -> bool:
    return isinstance(node, tuple) and hasattr(node, "_fields")


def _mismatch(path: str, what: str) -> ValueError:
    where = path or "the top level"
    return ValueError(f"parameter trees do not match at {where}: {what}")


def tree_map(fn, tree, *rest, path: str = ""):
    """Apply ``fn(leaf, *matching_leaves)`` to every leaf; return a tree of the results.

    Every tree in ``rest`` must have the same containers (type, length, dict keys) and
    leaves of the same shape as ``tree``; otherwise ``ValueError`` names the first
    place where they differ. With several results per leaf, ``fn`` may return a tuple;
    use :func:`unzip` to split the resulting tree.
    """
    if isinstance(tree, dict):
        for other in rest:
            if not isinstance(other, dict) or other.keys() != tree.keys():
                got = f"keys {list(other)}" if isinstance(other, dict) else f"a {type(other).__name__}"
                raise _mismatch(path, f"a dict with keys {list(tree)} and {got}")
        return {
            key: tree_map(fn, tree[key], *(other[key] for other in rest), path=f"{path}[{key!r}]")
            for key in tree
        }
    if isinstance(tree, (list, tuple)):
        for other in rest:
            if not isinstance(other, (list, tuple)) or len(other) != len(tree):
                got = f"length {len(other)}" if isinstance(other, (list, tuple)) else f"a {type(other).__name__}"
                raise _mismatch(path, f"a sequence of length {len(tree)} and {got}")
        mapped = [
            tree_map(fn, leaf, *(other[i] for other in rest), path=f"{path}[{i}]")
            for i, leaf in enumerate(tree)
        ]
        if _is_namedtuple(tree):
            return type(tree)(*mapped)
        return type(tree)(mapped)
    shape = np.shape(tree)
    for other in rest:
        if isinstance(other, _CONTAINERS):
            raise _mismatch(path, f"an array of shape {shape} and a {type(other).__name__}")
        if np.shape(other) != shape:
            raise _mismatch(path, f"shapes {shape} and {np.shape(other)}")
    return fn(tree, *rest)


def tree_leaves(tree) -> list:
    """The leaves of ``tree`` in order (dict values in insertion order)."""
    if isinstance(tree, dict):
        return [leaf for value in tree.values() for leaf in tree_leaves(value)]
    if isinstance(tree, (list, tuple)):
        return [leaf for node in tree for leaf in tree_leaves(node)]
    return [tree]


def unzip(tree, structure, n: int):
    """Split a tree whose leaves are ``n``-tuples into ``n`` trees shaped like ``structure``."""
    if isinstance(structure, dict):
        parts = {key: unzip(tree[key], structure[key], n) for key in structure}
        return tuple({key: parts[key][i] for key in structure} for i in range(n))
    if isinstance(structure, (list, tuple)):
        parts = [unzip(t, s, n) for t, s in zip(tree, structure)]
        make = (lambda xs: type(structure)(*xs)) if _is_namedtuple(structure) else type(structure)
        return tuple(make([p[i] for p in parts]) for i in range(n))
    return tuple(tree)
