"""The library's exceptions and warnings (one domain exception per kind of failure)."""

import numpy as np

__all__ = ["NotFittedError", "ConvergenceWarning", "LinAlgError", "IllConditionedWarning"]


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit``.

    Subclasses both ``ValueError`` and ``AttributeError`` as scikit-learn's does, so code
    written against either convention catches it.
    """


class ConvergenceWarning(UserWarning):
    """An iterative algorithm stopped before meeting its tolerance."""


class LinAlgError(np.linalg.LinAlgError):
    """A matrix does not have the property an algorithm needs (regular, positive definite...).

    A subclass of ``numpy.linalg.LinAlgError`` (itself a ``ValueError``), so code that
    catches NumPy's exception catches ours.
    """


class IllConditionedWarning(UserWarning):
    """A solve went through, but the matrix is so ill-conditioned that digits were lost."""
