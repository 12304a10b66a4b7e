"""The shared machinery of every distribution, written once.

A family (``Normal``, ``Gamma``, ...) declares its parameters and writes its formulas
as one-line hooks (``_logpdf``, ``_cdf``, ``_ppf``, ``_sample``, ``_mean`` ...). The base
classes here (and the discrete one in :mod:`._discrete`) do everything else: check the parameters, check and broadcast the points,
handle points outside the support, derive the hooks a family leaves out (``pdf`` from
``logpdf``, ``sf`` from ``cdf``, ``logcdf`` switching to ``log1p(-sf)`` in the upper
tail), and give scalars back for scalars. This is the design of SciPy's new-style
distributions (``scipy.stats.Normal(mu=, sigma=)``) without its generality.

Hooks receive points already inside the support (or on its boundary) and the
parameters as attributes of ``self``; they are plain NumPy formulas that broadcast.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .._validation import check_rng
from ._fitting import FitResult, numerical_information

__all__ = ["Distribution", "ContinuousDistribution"]


# --- parameter constraints: (test on a float array, test on a float, phrase for the error)
_CONSTRAINTS = {
    "real": (np.isfinite, math.isfinite, "a finite real number"),
    "positive": (
        lambda v: np.isfinite(v) & (v > 0),
        lambda v: 0 < v < math.inf,
        "finite and > 0",
    ),
    "nonnegative": (
        lambda v: np.isfinite(v) & (v >= 0),
        lambda v: 0 <= v < math.inf,
        "finite and >= 0",
    ),
    "probability": (lambda v: (v >= 0) & (v <= 1), lambda v: 0 <= v <= 1, "in [0, 1]"),
    "count": (
        lambda v: np.isfinite(v) & (v >= 0) & (v == np.floor(v)),
        lambda v: 0 <= v < math.inf and v == math.floor(v),
        "an integer >= 0",
    ),
}


def _check_parameter(value, name: str, constraint: str):
    """Return a valid parameter as a float (scalar) or a float array; raise otherwise."""
    test, test_scalar, phrase = _CONSTRAINTS[constraint]
    if type(value) is float or type(value) is int:  # the common case, kept fast
        if not test_scalar(value):
            raise ValueError(f"{name} must be {phrase}, got {value!r}")
        return float(value)
    if isinstance(value, (bool, np.bool_)) or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a real number or an array of them, got {value!r}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a real number or an array of them, got {type(value).__name__}"
        ) from None
    ok = test(arr)
    if not np.all(ok):
        bad = arr[~ok] if arr.ndim else arr
        raise ValueError(f"{name} must be {phrase}, got {float(np.ravel(bad)[0])!r}")
    return float(arr) if arr.ndim == 0 else arr


def _as_scalar_or_array(value):
    """A 0-d result becomes a Python float; anything else stays an array."""
    arr = np.asarray(value)
    return float(arr) if arr.ndim == 0 else arr


class Distribution:
    """Base of every univariate family: parameters, support, broadcasting, sampling.

    Subclasses set ``_parameters`` (name -> constraint) and call
    ``self._set_parameters(name=value, ...)`` from ``__init__``.
    """

    _parameters: dict[str, str] = {}
    fit_result: FitResult | None = None  # set by ``fit``

    # -- construction -------------------------------------------------------------------
    def _set_parameters(self, **values) -> None:
        shapes = []
        constraints = self._parameters
        for name, value in values.items():
            value = _check_parameter(value, name, constraints[name])
            self.__dict__[name] = value
            if type(value) is not float:
                shapes.append(value.shape)
        if shapes:
            try:
                self._batch_shape = np.broadcast_shapes(*shapes)
            except ValueError:
                raise ValueError(
                    f"parameters of shapes {shapes} do not broadcast together"
                ) from None
            self._scalar = False
        else:
            self._batch_shape = ()
            self._scalar = True

    @property
    def batch_shape(self) -> tuple:
        """Shape of the parameters after broadcasting; ``()`` for one distribution."""
        return self._batch_shape

    @property
    def parameters(self) -> dict:
        """The parameters by name (floats, or arrays for a batch of distributions)."""
        return {name: getattr(self, name) for name in self._parameters}

    def __repr__(self) -> str:
        def fmt(v):
            return repr(v) if isinstance(v, float) else f"array(shape={v.shape})"

        args = ", ".join(f"{k}={fmt(v)}" for k, v in self.parameters.items())
        return f"{type(self).__name__}({args})"

    # -- support ------------------------------------------------------------------------
    def _support(self):
        """(lower, upper) of the support; a family overrides when it is not the real line."""
        return -np.inf, np.inf

    @property
    def support(self) -> tuple:
        """The closed interval ``(lower, upper)`` outside which the density is zero."""
        lo, hi = self._support()
        return (_as_scalar_or_array(self._broadcast(lo)), _as_scalar_or_array(self._broadcast(hi)))

    def _broadcast(self, value):
        if self._scalar:
            return value
        return np.broadcast_to(value, self._batch_shape)

    # -- points -------------------------------------------------------------------------
    def _points(self, x, name: str = "x"):
        """Return (points, is_scalar): a Python float or a float array, NaN refused."""
        if type(x) is float or type(x) is int:
            if x != x:
                raise ValueError(f"{name} is NaN")
            return float(x), self._scalar
        if isinstance(x, (str, bytes)):
            raise TypeError(f"{name} must be numeric, got {x!r}")
        try:
            arr = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be numeric, got {type(x).__name__}") from None
        if np.isnan(arr).any():
            raise ValueError(f"{name} contains NaN")
        if arr.ndim == 0 and self._scalar:
            return float(arr), True
        return arr, False

    def _probabilities(self, q, name: str = "q"):
        """Like ``_points`` but every value must lie in [0, 1]."""
        q, scalar = self._points(q, name)
        if scalar or isinstance(q, float):  # a Python float q for a batch is not an array
            if not 0.0 <= q <= 1.0:
                raise ValueError(f"{name} must lie in [0, 1], got {q!r}")
        elif q.size and not ((q >= 0) & (q <= 1)).all():
            bad = q[(q < 0) | (q > 1)]
            raise ValueError(f"{name} must lie in [0, 1], got {float(bad[0])!r}")
        return q, scalar

    def _evaluate(self, hook, x, below, above):
        """Apply ``hook`` inside the support and the constants ``below``/``above`` outside."""
        x, scalar = self._points(x)
        lo, hi = self._support()
        if scalar:
            if x < lo:
                return below
            if x > hi:
                return above
            return float(hook(x))
        with np.errstate(all="ignore"):
            bounded = not (np.all(np.isneginf(lo)) and np.all(np.isposinf(hi)))
            if bounded and np.ndim(x) and x.size and np.ndim(lo) == 0 == np.ndim(hi):
                # two reductions are cheaper than a clip and two selects when (as usual)
                # every point lies inside the support
                bounded = not (lo <= x.min() and x.max() <= hi)
            if bounded:
                # clipping keeps the formula away from invalid arguments
                out = hook(np.clip(x, lo, hi))
                out = np.where(x < lo, below, np.where(x > hi, above, out))
            else:
                out = hook(x)
            out = np.broadcast_to(out, np.broadcast_shapes(np.shape(x), self._batch_shape))
        return _as_scalar_or_array(out)

    def _invert(self, hook, q, at_zero, at_one):
        """Apply a quantile hook; the endpoints 0 and 1 map to the ends of the support."""
        q, scalar = self._probabilities(q)
        if scalar:
            if q == 0.0:
                return float(at_zero())
            if q == 1.0:
                return float(at_one())
            return float(hook(q))
        with np.errstate(all="ignore"):
            out = hook(q)
            out = np.where(q == 0.0, at_zero(), np.where(q == 1.0, at_one(), out))
            out = np.broadcast_to(out, np.broadcast_shapes(np.shape(q), self._batch_shape))
        return _as_scalar_or_array(out)

    # -- distribution functions ---------------------------------------------------------
    def cdf(self, x):
        """Cumulative distribution function F(x) = P(X <= x)."""
        return self._evaluate(self._cdf, x, 0.0, 1.0)

    def sf(self, x):
        """Survival function S(x) = 1 - F(x) = P(X > x), accurate in the upper tail."""
        return self._evaluate(self._sf, x, 1.0, 0.0)

    def logcdf(self, x):
        """log F(x), accurate in both tails."""
        return self._evaluate(self._logcdf, x, -np.inf, 0.0)

    def logsf(self, x):
        """log S(x), accurate in both tails."""
        return self._evaluate(self._logsf, x, 0.0, -np.inf)

    def ppf(self, q):
        """Percent point function (quantile), the inverse of the cdf: F^{-1}(q)."""
        return self._invert(self._ppf, q, self._ppf_at_zero, lambda: self._support()[1])

    def isf(self, q):
        """Inverse survival function S^{-1}(q) = F^{-1}(1 - q), accurate for small q."""
        return self._invert(self._isf, q, lambda: self._support()[1], self._ppf_at_zero)

    def _ppf_at_zero(self):
        return self._support()[0]

    # -- default hooks: each derived from another, a family writes at least one of each pair
    def _sf(self, x):
        return 1.0 - self._cdf(x)

    def _logcdf(self, x):
        # log F = log1p(-S) where F is close to 1: log(F) would round to 0 there
        cdf = self._cdf(x)
        if np.ndim(cdf) == 0:
            if cdf <= 0.5:
                return math.log(cdf) if cdf > 0 else -math.inf  # no warning for an underflow
            return np.log1p(-self._sf(x))
        return np.where(cdf <= 0.5, np.log(cdf), np.log1p(-self._sf(x)))

    def _logsf(self, x):
        sf = self._sf(x)
        if np.ndim(sf) == 0:
            if sf <= 0.5:
                return math.log(sf) if sf > 0 else -math.inf
            return np.log1p(-self._cdf(x))
        return np.where(sf <= 0.5, np.log(sf), np.log1p(-self._cdf(x)))

    def _isf(self, q):
        return self._ppf(1.0 - q)

    # -- moments and summaries ----------------------------------------------------------
    def mean(self):
        """Expected value E[X]."""
        return _as_scalar_or_array(self._broadcast(self._mean()))

    def var(self):
        """Variance Var[X] = E[(X - E[X])^2]."""
        return _as_scalar_or_array(self._broadcast(self._var()))

    def std(self):
        """Standard deviation, the square root of the variance."""
        return _as_scalar_or_array(np.sqrt(self._broadcast(self._var())))

    def median(self):
        """The median F^{-1}(1/2)."""
        return _as_scalar_or_array(self._broadcast(self._median()))

    def entropy(self):
        """Differential (continuous) or Shannon (discrete) entropy in nats."""
        return _as_scalar_or_array(self._broadcast(self._entropy()))

    def _median(self):
        return self._ppf(0.5)

    # -- sampling -----------------------------------------------------------------------
    def rvs(self, size=None, rng=None):
        """Draw random variates.

        Parameters
        ----------
        size : int or tuple of ints, optional
            Output shape, broadcast with the parameters as NumPy's generators do.
            ``None`` gives one draw per distribution in the batch (a float for one).
        rng : None, int or numpy.random.Generator
            Source of randomness (SPEC 7).
        """
        rng = check_rng(rng)
        if size is None:
            shape = self._batch_shape
        else:
            shape = (size,) if isinstance(size, numbers.Integral) else tuple(size)
            if any((not isinstance(s, numbers.Integral)) or s < 0 for s in shape):
                raise ValueError(f"size must be a non-negative int or tuple of them, got {size!r}")
            try:
                np.broadcast_shapes(shape, self._batch_shape)
            except ValueError:
                raise ValueError(
                    f"size={shape} does not broadcast with the parameters' shape "
                    f"{self._batch_shape}"
                ) from None
            if np.broadcast_shapes(shape, self._batch_shape) != shape:
                raise ValueError(
                    f"size={shape} must contain the parameters' shape {self._batch_shape}"
                )
        out = self._sample(rng, shape)
        if size is None and self._scalar:
            return float(out) if np.ndim(out) == 0 else out
        return np.asarray(out, dtype=np.float64)

    # -- likelihood ---------------------------------------------------------------------
    def log_likelihood(self, data) -> float:
        """Sum of log densities (log masses) of ``data``: sum_i log f(x_i)."""
        data = self._check_data(data)
        return float(np.sum(self._log_density(data)))

    def _check_data(self, data):
        arr = np.asarray(data, dtype=np.float64) if not isinstance(data, (str, bytes)) else None
        if arr is None or arr.dtype.kind != "f":
            raise TypeError("data must be numeric")
        if arr.size == 0:
            raise ValueError("data is empty")
        if not np.isfinite(arr).all():
            raise ValueError("data contains NaN or inf")
        return arr

    # -- maximum likelihood -------------------------------------------------------------
    @classmethod
    def fit(cls, data, **fixed):
        """Fit the family to ``data`` by maximum likelihood.

        Parameters
        ----------
        data : array_like
            Observations (flattened); finite, non-empty and inside the support.
        **fixed
            Parameters held at a given value instead of estimated,
            e.g. ``Binomial.fit(k, n=10)``.

        Returns
        -------
        Distribution
            The fitted distribution. Its ``fit_result`` (:class:`FitResult`) holds the
            log-likelihood, the standard errors from the observed Fisher information,
            AIC and BIC.
        """
        data = cls._check_fit_data(data)
        unknown = sorted(set(fixed) - set(cls._parameters))
        if unknown:
            raise TypeError(
                f"{cls.__name__}.fit() got unknown parameter(s) {unknown}; "
                f"the parameters are {list(cls._parameters)}"
            )
        fixed = {k: _check_parameter(v, k, cls._parameters[k]) for k, v in fixed.items()}
        if any(not isinstance(v, float) for v in fixed.values()):
            raise ValueError("fixed parameters must be scalars")
        params, n_iter, converged = cls._fit(data, fixed)
        dist = cls(**params)
        free = tuple(p for p in cls._parameters if p not in fixed)
        loglik = dist.log_likelihood(data)
        if free:
            info = np.atleast_2d(dist._information(data, free))
            try:
                cov = np.linalg.inv(info)
            except np.linalg.LinAlgError:
                cov = np.full(info.shape, np.inf)
        else:
            cov = np.zeros((0, 0))
        with np.errstate(invalid="ignore"):
            stderr = dict(zip(free, np.sqrt(np.diag(cov)).tolist()))
        dist.fit_result = FitResult(
            family=cls.__name__,
            params={k: float(v) for k, v in dist.parameters.items()},
            free=free,
            stderr=stderr,
            cov=cov,
            log_likelihood=loglik,
            nobs=data.size,
            n_iter=n_iter,
            converged=converged,
        )
        return dist

    @classmethod
    def _check_fit_data(cls, data) -> np.ndarray:
        if isinstance(data, (str, bytes)):
            raise TypeError("data must be numeric")
        try:
            arr = np.asarray(data, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            raise TypeError("data must be numeric") from None
        if arr.size == 0:
            raise ValueError(f"data is empty; {cls.__name__}.fit needs at least one observation")
        if not np.isfinite(arr).all():
            raise ValueError("data contains NaN or inf; remove non-finite values first")
        return arr

    def _information(self, data, free) -> np.ndarray:
        """Observed information for the free parameters; families may give it exactly."""
        params = self.parameters
        cls = type(self)

        def loglik(theta):
            return cls(**{**params, **dict(zip(free, theta.tolist()))}).log_likelihood(data)

        return numerical_information(loglik, np.array([params[p] for p in free]))

    # -- divergence ---------------------------------------------------------------------
    def kl_divergence(self, other) -> float:
        """KL(self || other) = E_self[log f_self(X) - log f_other(X)] in nats, closed form."""
        if type(other) is not type(self) or not hasattr(self, "_kl"):
            raise TypeError(
                f"no closed-form KL divergence between {type(self).__name__} and "
                f"{type(other).__name__}"
            )
        with np.errstate(divide="ignore"):
            return _as_scalar_or_array(self._kl(other))


class ContinuousDistribution(Distribution):
    """A distribution with a density; a family writes ``_logpdf`` or ``_pdf``."""

    def pdf(self, x):
        """Probability density function f(x)."""
        return self._evaluate(self._pdf, x, 0.0, 0.0)

    def logpdf(self, x):
        """log f(x), computed directly so that it stays finite far in the tails."""
        return self._evaluate(self._logpdf, x, -np.inf, -np.inf)

    def _pdf(self, x):
        return np.exp(self._logpdf(x))

    def _logpdf(self, x):
        return np.log(self._pdf(x))

    def _log_density(self, data):
        return self.logpdf(data)
