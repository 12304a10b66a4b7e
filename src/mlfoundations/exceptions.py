"""The library's exceptions and warnings (one domain exception per kind of failure)."""

import sys

import numpy as np

__all__ = [
    "NotFittedError",
    "ConvergenceWarning",
    "DataConversionWarning",
    "LinAlgError",
    "IllConditionedWarning",
]


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit``.

    Subclasses both ``ValueError`` and ``AttributeError`` as scikit-learn's does, so code
    written against either convention catches it.
    """


_SKLEARN_COMPATIBLE: dict = {}


def not_fitted_error(message: str) -> NotFittedError:
    """A ``NotFittedError`` that is also scikit-learn's when scikit-learn is in use.

    scikit-learn's ``check_estimator`` expects its own exception class. Importing
    scikit-learn just for that would cost seconds, so the combined class is made only
    when the caller has already imported ``sklearn.exceptions``; it is still caught by
    ``except mlfoundations.exceptions.NotFittedError``.
    """
    theirs = sys.modules.get("sklearn.exceptions")
    if theirs is None:
        return NotFittedError(message)
    if "cls" not in _SKLEARN_COMPATIBLE:
        _SKLEARN_COMPATIBLE["cls"] = type(
            "NotFittedError", (NotFittedError, theirs.NotFittedError), {"__module__": __name__}
        )
    return _SKLEARN_COMPATIBLE["cls"](message)


class ConvergenceWarning(UserWarning):
    """An iterative algorithm stopped before meeting its tolerance."""


class DataConversionWarning(UserWarning):
    """An input was converted to the form the estimator expects (e.g. y of shape (n, 1))."""


class LinAlgError(np.linalg.LinAlgError):
    """A matrix does not have the property an algorithm needs (regular, positive definite...).

    A subclass of ``numpy.linalg.LinAlgError`` (itself a ``ValueError``), so code that
    catches NumPy's exception catches ours.
    """


class IllConditionedWarning(UserWarning):
    """A solve went through, but the matrix is so ill-conditioned that digits were lost."""
