"""Reverse-mode sweep: apply the chain rule node by node, outputs before inputs.

For a scalar loss L and a node ``out = f(a_1, ..., a_k)``, the chain rule gives
``dL/da_i = sum over the uses of a_i of vjp_i(dL/dout)``. A node may propagate only
once ``dL/dout`` is complete, i.e. after every node that consumed it; that is a
reverse topological order of the graph.

The topological order is the order of creation: a recorded operation is created after
its inputs, so each node carries a creation stamp ``_seq`` and the stamps sort the
graph. The sweep keeps the pending nodes in a max-heap on the stamp and always
processes the most recently created one -- by then all its consumers, having larger
stamps, are done. This is an iterative topological sort merged with the sweep (no
recursion, O(n log n) for n nodes, one visit per node), so a chain of 10^5 operations
back-propagates without touching Python's recursion limit.
"""

from __future__ import annotations

import heapq

import numpy as np

from .mode import enable_grad
from .tensor import Tensor, _leaf

__all__ = ["backpropagate", "initial_cotangent"]

_heappush = heapq.heappush
_heappop = heapq.heappop


def initial_cotangent(root: Tensor, grad, create_graph: bool):
    """The starting cotangent of a backward pass, validated against ``root``."""
    if grad is None:
        if root.data.size != 1:
            raise ValueError(
                "grad can be omitted only for a scalar (one-element) tensor; this tensor "
                f"has shape {root.shape}, pass grad= with that shape"
            )
        g = np.ones(root.data.shape, dtype=root.data.dtype)
    else:
        g = grad.data if isinstance(grad, Tensor) else grad
        try:
            g = np.asarray(g)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"grad could not be read as a numeric array: {exc}") from None
        if g.dtype.kind not in "biuf":
            raise TypeError(f"grad must be numeric, got dtype {g.dtype}")
        if g.shape != root.data.shape:
            raise ValueError(f"grad has shape {g.shape} but the tensor has shape {root.shape}")
        g = np.array(g, dtype=root.data.dtype)
    if create_graph:
        if isinstance(grad, Tensor):
            return grad
        return _leaf(g)
    return g


def _unbroadcast(g, shape: tuple):
    """Sum ``g`` over the axes that broadcasting added or stretched to reach ``shape``."""
    extra = g.ndim - len(shape)
    if extra:
        g = g.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if stretched:
        g = g.sum(axis=stretched, keepdims=True)
    return g


def backpropagate(root: Tensor, seed, create_graph: bool, capture: dict | None = None):
    """Propagate ``seed`` = dL/droot through the graph of ``root``.

    Parameters
    ----------
    root : Tensor
        The output the sweep starts from (requires grad).
    seed : ndarray or Tensor
        Its cotangent, with root's shape; a Tensor when ``create_graph``.
    create_graph : bool
        Evaluate the VJP rules on Tensors (recorded, differentiable) rather than arrays.
    capture : dict or None
        If given, maps each tensor whose gradient is wanted to None; the gradients are
        stored in it and no ``.grad`` attribute is touched (``torch.autograd.grad``'s
        behaviour, used by the functional transforms).

    Returns
    -------
    capture : dict or None
    """
    if create_graph:
        with enable_grad():
            return _sweep(root, seed, True, capture)
    return _sweep(root, seed, False, capture)


def _sweep(root, seed, create_graph, capture):
    handed_out: set = set()  # ids of arrays already stored in some .grad
    if root._vjps is None:  # the root is itself a leaf
        _deliver(root, seed, create_graph, capture, handed_out)
        return capture
    grads = {root: seed}  # Tensors hash by identity
    pending = [(-root._seq, root)]
    while pending:
        node = _heappop(pending)[1]
        g = grads.pop(node)
        if capture is not None:
            if node in capture:
                capture[node] = g
        elif node._retain:
            _deliver(node, g, create_graph, None, handed_out)
        inputs = node._args
        if create_graph:
            out, args = node, inputs
        else:
            out, args = node.data, tuple([a.data for a in inputs])
        extra = node._extra
        for a, vjp in zip(inputs, node._vjps):
            if not a.requires_grad:
                continue
            ga = vjp(g, out, args, extra)
            if ga is None:
                continue
            data = a.data
            if ga.shape != data.shape:
                ga = _unbroadcast(ga, data.shape)
            if ga.dtype != data.dtype:
                ga = ga.astype(data.dtype)
            if a._vjps is None:
                _deliver(a, ga, create_graph, capture, handed_out)
            else:
                previous = grads.get(a)
                if previous is None:
                    grads[a] = ga
                    _heappush(pending, (-a._seq, a))
                else:
                    grads[a] = previous + ga
    return capture


def _deliver(t: Tensor, g, create_graph: bool, capture, handed_out: set) -> None:
    """Add a gradient contribution to a leaf's ``.grad`` (or to the capture dict)."""
    if capture is not None:
        if t in capture:
            previous = capture[t]
            capture[t] = g if previous is None else previous + g
        return
    if create_graph:
        if t.grad is None:
            t.grad = g
        else:
            previous = t.grad if isinstance(t.grad, Tensor) else _leaf(t.grad)
            t.grad = previous + g
        return
    if t.grad is None:
        # The stored array must belong to this .grad alone (optimizers may update it in
        # place): rules hand the same array to several inputs (addition), return views
        # of the incoming gradient (reshape, transpose, slices of concatenate) or
        # read-only broadcast views. Rules never return views of forward data, so a
        # copy is needed only when the memory owner was already handed out.
        owner = g if g.base is None else g.base
        if not g.flags.writeable or id(owner) in handed_out:
            g = np.array(g)
            owner = g
        handed_out.add(id(owner))
        t.grad = g
    else:
        previous = t.grad.data if isinstance(t.grad, Tensor) else t.grad
        t.grad = np.asarray(previous + g)  # asarray: 0-d sums come back as scalars
