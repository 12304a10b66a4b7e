"""The estimator contract shared by every model (scikit-learn's, without its machinery).

``__init__`` only stores its keyword arguments; ``fit`` validates, sets learned
attributes ending in ``_`` and returns ``self``. ``get_params``/``set_params`` read the
hyperparameters from the ``__init__`` signature, so ``sklearn.base.clone`` and grid
search work. scikit-learn is never imported here except lazily, in
``__sklearn_tags__``, which only scikit-learn itself calls.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np

from ._validation import as_matrix, as_vector
from .exceptions import not_fitted_error

__all__ = ["BaseEstimator", "RegressorMixin", "ClassifierMixin", "TransformerMixin", "check_is_fitted"]


class BaseEstimator:
    """Base class: parameters from the ``__init__`` signature, a readable repr, tags."""

    # --- hyperparameters -------------------------------------------------------------
    @classmethod
    def _param_names(cls) -> list[str]:
        init = cls.__init__
        if init is object.__init__:
            return []
        params = inspect.signature(init).parameters.values()
        for p in params:
            if p.kind == p.VAR_POSITIONAL:
                raise RuntimeError(f"{cls.__name__}.__init__ must not take *args")
        return sorted(p.name for p in params if p.name != "self" and p.kind != p.VAR_KEYWORD)

    def get_params(self, deep: bool = True) -> dict:
        """Hyperparameters as a dict (nested estimators as ``name__param`` when deep)."""
        out = {}
        for name in self._param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params):
        """Set hyperparameters by name; unknown names raise ``ValueError``."""
        valid = self._param_names()
        nested: dict[str, dict] = {}
        for key, value in params.items():
            name, sep, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}; "
                    f"valid parameters are {valid}"
                )
            if sep:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def __repr__(self) -> str:
        # show only the hyperparameters that differ from their defaults, as scikit-learn does
        sig = inspect.signature(type(self).__init__).parameters
        parts = []
        for name in self._param_names():
            value = getattr(self, name)
            default = sig[name].default
            if default is inspect.Parameter.empty or not _same(value, default):
                parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    # --- fitted state ----------------------------------------------------------------
    def __sklearn_is_fitted__(self) -> bool:
        return any(k.endswith("_") and not k.startswith("__") for k in vars(self))

    def _validate_data(
        self, X, *, reset: bool, name: str = "X", min_samples: int = 1, finite: bool = True
    ) -> np.ndarray:
        """Check X (2-D, float64, finite unless told) and record or compare ``n_features_in_``.

        ``reset=True`` in ``fit`` records the number of features (and column names when
        X is a DataFrame); ``reset=False`` in ``transform``/``predict`` checks them.
        ``finite=False`` lets a caller check finiteness later, more cheaply (e.g. on a
        Gram matrix, where any NaN or inf in X shows up).
        """
        names = _feature_names(X)
        X = as_matrix(X, name, min_rows=min_samples, min_cols=1, finite=finite)
        if reset:
            self.n_features_in_ = X.shape[1]
            if names is not None:
                self.feature_names_in_ = names
            elif hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
            return X
        check_is_fitted(self)
        fitted_names = getattr(self, "feature_names_in_", None)
        if fitted_names is not None and names is None:
            warnings.warn(
                f"X does not have valid feature names, but {type(self).__name__} was "
                "fitted with feature names",
                UserWarning,
                stacklevel=3,
            )
        elif fitted_names is None and names is not None:
            warnings.warn(
                f"X has feature names, but {type(self).__name__} was fitted without "
                "feature names",
                UserWarning,
                stacklevel=3,
            )
        elif fitted_names is not None and not np.array_equal(fitted_names, names):
            raise ValueError(
                "The feature names should match those that were passed during fit; "
                f"fitted with {list(fitted_names)}, got {list(names)}"
            )
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input"
            )
        return X

    # --- scikit-learn interoperability ----------------------------------------------
    def __sklearn_tags__(self):
        # imported lazily: only scikit-learn calls this, so it stays a test dependency
        from sklearn.utils import Tags, TargetTags

        tags = Tags(estimator_type=None, target_tags=TargetTags(required=False))
        # most general class first, so that an estimator's own hook has the last word
        for klass in reversed(type(self).__mro__):
            hook = klass.__dict__.get("_update_tags")
            if hook is not None:
                hook(self, tags)
        return tags


def _same(a, b) -> bool:
    if a is b:
        return True
    try:
        eq = a == b
        return bool(eq) if not isinstance(eq, np.ndarray) else bool(eq.all())
    except Exception:
        return False


def _feature_names(X):
    """Column names of a DataFrame-like input when they are all strings, else None."""
    columns = getattr(X, "columns", None)
    if columns is None or not hasattr(X, "iloc"):
        return None
    names = np.asarray(list(columns), dtype=object)
    kinds = {isinstance(n, str) for n in names}
    if kinds == {True}:
        return names
    if kinds == {True, False}:
        raise TypeError(
            "Feature names are only supported if all input features have string names, "
            f"but your input has {sorted({type(n).__name__ for n in names})} as feature name types"
        )
    return None


def check_is_fitted(estimator) -> None:
    """Raise ``NotFittedError`` if ``estimator`` has not been fitted yet."""
    if not estimator.__sklearn_is_fitted__():
        raise not_fitted_error(
            f"This {type(estimator).__name__} instance is not fitted yet; call 'fit' with "
            "appropriate arguments before using this estimator"
        )


class RegressorMixin:
    """``score`` is the coefficient of determination R² = 1 - SS_res / SS_tot."""

    def _update_tags(self, tags):
        from sklearn.utils import RegressorTags

        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags()
        tags.target_tags.required = True

    def score(self, X, y, sample_weight=None) -> float:
        """R² of ``predict(X)`` against ``y``: 1 - sum w (y - ŷ)² / sum w (y - ȳ_w)²."""
        y = as_vector(y, "y")
        y_pred = np.asarray(self.predict(X), dtype=np.float64)
        w = np.ones_like(y) if sample_weight is None else as_vector(sample_weight, "sample_weight")
        ss_res = np.sum(w * (y - y_pred) ** 2)
        ss_tot = np.sum(w * (y - np.average(y, weights=w)) ** 2)
        if ss_tot == 0.0:
            return 1.0 if ss_res == 0.0 else 0.0
        return float(1.0 - ss_res / ss_tot)


class ClassifierMixin:
    """``score`` is the accuracy, the fraction of labels predicted exactly."""

    def _update_tags(self, tags):
        from sklearn.utils import ClassifierTags

        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        tags.target_tags.required = True

    def score(self, X, y, sample_weight=None) -> float:
        """Accuracy: sum w [ŷ = y] / sum w."""
        y = np.asarray(y)
        correct = np.asarray(self.predict(X)) == y
        return float(np.average(correct, weights=sample_weight))


class TransformerMixin:
    """``fit_transform`` is ``fit`` then ``transform`` unless a subclass does better."""

    def _update_tags(self, tags):
        from sklearn.utils import TransformerTags

        tags.transformer_tags = TransformerTags()

    def fit_transform(self, X, y=None, **fit_params):
        return self.fit(X, y, **fit_params).transform(X)
