"""Grad mode: whether operations on tensors record the graph for ``backward``.

Recording is on by default. Inside ``with no_grad():`` operations compute values only,
as when evaluating a model or updating parameters in place. The switch is per thread,
as in PyTorch.
"""

from __future__ import annotations

import functools
import threading

__all__ = ["no_grad", "enable_grad", "is_grad_enabled", "set_grad_enabled"]


class _GradMode(threading.local):
    enabled = True


_MODE = _GradMode()


def is_grad_enabled() -> bool:
    """Return True when new operations are recorded for differentiation.

    Examples
    --------
    >>> from mlfoundations.autodiff import is_grad_enabled, no_grad
    >>> is_grad_enabled()
    True
    >>> with no_grad():
    ...     is_grad_enabled()
    False
    """
    return _MODE.enabled


class set_grad_enabled:
    """Switch recording on or off; usable as a call, a context manager or a decorator.

    Parameters
    ----------
    mode : bool
        True records operations, False does not.

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor, set_grad_enabled
    >>> x = Tensor([1.0, 2.0], requires_grad=True)
    >>> with set_grad_enabled(False):
    ...     (x * 2).requires_grad
    False
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"mode must be True or False, got {type(mode).__name__} {mode!r}")
        self._previous = _MODE.enabled
        self._mode = mode
        _MODE.enabled = mode

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        _MODE.enabled = self._previous

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.__class__(self._mode):
                return func(*args, **kwargs)

        return wrapper


class no_grad:
    """Context manager (or decorator) in which operations are not recorded.

    Results of operations inside the block have ``requires_grad=False`` and hold no
    reference to their inputs, so no graph is kept alive.

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor, no_grad
    >>> w = Tensor([1.0, 2.0], requires_grad=True)
    >>> with no_grad():
    ...     y = w * 3
    >>> y.requires_grad
    False
    """

    _target = False

    def __enter__(self):
        self._previous = _MODE.enabled
        _MODE.enabled = self._target
        return self

    def __exit__(self, *exc_info) -> None:
        _MODE.enabled = self._previous

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return func(*args, **kwargs)

        return wrapper


class enable_grad(no_grad):
    """Context manager (or decorator) that switches recording back on.

    Examples
    --------
    >>> from mlfoundations.autodiff import enable_grad, is_grad_enabled, no_grad
    >>> with no_grad():
    ...     with enable_grad():
    ...         is_grad_enabled()
    True
    """

    _target = True
