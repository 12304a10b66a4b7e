"""The categorical distribution: one draw from K categories {0, ..., K-1}."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ._discrete import DiscreteDistribution
from ._discrete_kernels import check_counts
from ._fitting import FitResult

__all__ = ["Categorical", "CategoricalFitResult"]


class CategoricalFitResult(FitResult):
    """A :class:`FitResult` whose one parameter ``probs`` is a vector.

    ``params["probs"]`` and ``stderr["probs"]`` are lists of K floats; ``cov`` is the
    K x K multinomial covariance (diag(p) - p p^T) / n, singular because the
    probabilities sum to 1; the number of free parameters is K - 1.
    """

    @property
    def n_params(self) -> int:
        """K - 1: the probabilities are tied by sum(p) = 1."""
        return len(self.params["probs"]) - 1

    def __str__(self) -> str:
        lines = [f"{self.family} maximum-likelihood fit (n = {self.nobs})"]
        for j, (p, se) in enumerate(zip(self.params["probs"], self.stderr["probs"])):
            lines.append(f"  probs[{j}] = {p:.6g}  (se {se:.6g})")
        lines.append(
            f"  log-likelihood {self.log_likelihood:.6f}   AIC {self.aic:.4f}   BIC {self.bic:.4f}"
        )
        return "\n".join(lines)


class Categorical(DiscreteDistribution):
    r"""Categorical distribution over the integers {0, ..., K-1}.

    .. math:: P(X = k) = p_k, \qquad k = 0, \ldots, K - 1

    Parameters
    ----------
    probs : (..., K) array_like
        Probabilities of the K categories along the last axis: non-negative and
        summing to 1 within 1e-10 K; they are divided by their sum. Leading axes are a
        batch of distributions (``batch_shape = probs.shape[:-1]``).

    Notes
    -----
    No SciPy class is this exact object; ``scipy.stats.rv_discrete(values=(range(K),
    probs))`` has the same pmf, cdf and quantile, and ``scipy.stats.multinomial(1,
    probs)`` the same probabilities on one-hot vectors. The cdf is the running sum
    F(k) = p_0 + ... + p_k (its last entry set to exactly 1), the sf the running sum
    from the other end S(k) = p_{k+1} + ... + p_{K-1}, so neither is a difference of
    nearly equal numbers. The quantile is exact: the smallest k with F(k) >= q, found
    by a search in the running sums. Sampling inverts the cdf at uniform draws.

    Entropy -sum_k p_k log p_k and KL(p || q) = sum_k p_k log(p_k / q_k) (``entr``,
    ``rel_entr``: 0 log 0 = 0, infinite where q_k = 0 < p_k), batched over rows.

    Maximum likelihood (:meth:`fit`): p_hat_k = n_k / n, the category frequencies,
    with standard errors sqrt(p_hat_k (1 - p_hat_k) / n).

    References
    ----------
    Murphy, *Probabilistic Machine Learning: An Introduction*, 2022, section 2.5.
    Cover & Thomas, *Elements of Information Theory*, 2nd ed., chapter 2.

    Examples
    --------
    >>> from mlfoundations.probability.categorical import Categorical
    >>> d = Categorical([0.2, 0.5, 0.3])
    >>> d.pmf(1), d.cdf(1), d.ppf(0.7)
    (0.5, 0.7, 1.0)
    >>> round(d.entropy(), 12) == round(-(0.2 * math.log(0.2) + 0.5 * math.log(0.5)
    ...                                    + 0.3 * math.log(0.3)), 12)
    True
    """

    _parameters = {"probs": "probability"}

    def __init__(self, probs):
        self._set_parameters(probs=probs)  # every entry finite and in [0, 1]
        probs = self.probs
        if np.ndim(probs) == 0 or probs.shape[-1] == 0:
            raise ValueError(
                "probs must have shape (..., K) with K >= 1 categories, "
                f"got shape {np.shape(probs)}"
            )
        n_categories = probs.shape[-1]
        total = probs.sum(axis=-1)
        off = np.abs(total - 1.0)
        if np.any(off > 1e-10 * n_categories):
            bad = float(np.ravel(total)[np.argmax(np.ravel(off))])
            raise ValueError(
                f"probs must sum to 1 along the last axis (within 1e-10 K), got a sum of {bad!r}"
            )
        probs = probs / total[..., None]
        self.__dict__["probs"] = probs
        self._batch_shape = probs.shape[:-1]
        self._scalar = probs.ndim == 1
        self._n_categories = n_categories
        cum = np.cumsum(probs, axis=-1)
        cum[..., -1] = 1.0
        self._cum = np.minimum(cum, 1.0)
        # S(k) = p_{k+1} + ... + p_{K-1}: running sums from the top, shifted by one
        upper = np.cumsum(probs[..., ::-1], axis=-1)[..., ::-1]
        self._upper = np.concatenate([upper[..., 1:], np.zeros(probs.shape[:-1] + (1,))], -1)

    @property
    def n_categories(self) -> int:
        """K, the number of categories."""
        return self._n_categories

    def _support(self):
        return 0.0, float(self._n_categories - 1)

    # -- lookups in a (..., K) table at integer points broadcast with the batch ---------------
    def _lookup(self, table, k):
        if self._scalar:
            if isinstance(k, float):
                return float(table[int(k)])
            return table[np.asarray(k).astype(np.intp)]
        k = np.asarray(k)
        shape = np.broadcast_shapes(k.shape, self._batch_shape)
        index = np.broadcast_to(k, shape).astype(np.intp)[..., None]
        rows = np.broadcast_to(table, shape + (self._n_categories,))
        return np.take_along_axis(rows, index, axis=-1)[..., 0]

    def _pmf(self, k):
        return self._lookup(self.probs, k)

    def _logpmf(self, k):
        p = self._pmf(k)
        if isinstance(p, float):
            return math.log(p) if p > 0.0 else -math.inf
        with np.errstate(divide="ignore"):
            return np.log(p)

    def _cdf(self, k):
        return self._lookup(self._cum, k)

    def _sf(self, k):
        return self._lookup(self._upper, k)

    def _count_below(self, table, q, strictly_above=False):
        # number of table entries < q (or > q), per distribution of the batch
        q = np.asarray(q, dtype=float)
        if self._scalar:
            if strictly_above:  # entries > q of the non-increasing S, via its reversal
                below = np.searchsorted(table[::-1], q, side="right")
                return (table.size - below).astype(float)
            return np.searchsorted(table, q, side="left").astype(float)
        shape = np.broadcast_shapes(q.shape, self._batch_shape)
        q = np.broadcast_to(q, shape)[..., None]
        hits = table > q if strictly_above else table < q
        return hits.sum(axis=-1).astype(float)

    def _ppf(self, q):
        # smallest k with F(k) >= q = number of k with F(k) < q
        return np.minimum(self._count_below(self._cum, q), self._n_categories - 1)

    def _isf(self, q):
        # smallest k with S(k) <= q = number of k with S(k) > q (S is non-increasing)
        return self._count_below(self._upper, q, strictly_above=True)

    def _sample(self, rng, shape):
        u = rng.random(shape)
        if self._scalar:
            k = np.searchsorted(self._cum, u, side="right")  # never a category with p = 0
        else:
            k = (u[..., None] >= self._cum).sum(axis=-1)
        return np.minimum(k, self._n_categories - 1)

    def _mean(self):
        return self.probs @ np.arange(self._n_categories, dtype=float)

    def _var(self):
        k = np.arange(self._n_categories, dtype=float)
        mean = self._mean()
        return np.sum(self.probs * (k - np.asarray(mean)[..., None]) ** 2, axis=-1)

    def _entropy(self):
        return special.entr(self.probs).sum(axis=-1)

    def _kl(self, other):
        if other._n_categories != self._n_categories:
            raise ValueError(
                "KL divergence needs the same number of categories, got "
                f"K={self._n_categories} and K={other._n_categories}"
            )
        return special.rel_entr(self.probs, other.probs).sum(axis=-1)

    # -- maximum likelihood ---------------------------------------------------------------
    @classmethod
    def fit(cls, data, n_categories=None):
        """Fit category probabilities to observed categories by maximum likelihood.

        Parameters
        ----------
        data : array_like of int
            Observed categories (flattened), integers in {0, ..., K-1}.
        n_categories : int, optional
            K. By default max(data) + 1; give it when the last categories may be
            unobserved (they then get probability 0).

        Returns
        -------
        Categorical
            The fitted distribution, with probs = counts / n. Its ``fit_result`` is a
            :class:`CategoricalFitResult`: ``params["probs"]`` and ``stderr["probs"]``
            are lists of K floats (standard errors sqrt(p_k (1 - p_k) / n)), ``cov``
            the K x K covariance (diag(p) - p p^T) / n, ``n_params`` = K - 1.

        Raises
        ------
        ValueError
            If ``data`` is empty, holds NaN or inf, or a value that is not an integer
            in {0, ..., K-1}.

        Examples
        --------
        >>> from mlfoundations.probability.categorical import Categorical
        >>> Categorical.fit([0, 2, 2, 1, 2]).probs.tolist()
        [0.2, 0.2, 0.6]
        """
        data = cls._check_fit_data(data)
        if n_categories is None:
            check_counts(data, cls.__name__)
            n_categories = int(data.max()) + 1
        else:
            if isinstance(n_categories, bool) or not isinstance(n_categories, (int, np.integer)):
                raise TypeError(f"n_categories must be an integer, got {n_categories!r}")
            if n_categories < 1:
                raise ValueError(f"n_categories must be >= 1, got {n_categories}")
            check_counts(data, cls.__name__, upper=float(n_categories - 1))
        n = data.size
        counts = np.bincount(data.astype(np.intp), minlength=n_categories).astype(float)
        probs = counts / n
        dist = cls(probs)
        cov = (np.diag(probs) - np.outer(probs, probs)) / n
        dist.fit_result = CategoricalFitResult(
            family=cls.__name__,
            params={"probs": probs.tolist()},
            free=("probs",),
            stderr={"probs": np.sqrt(probs * (1.0 - probs) / n).tolist()},
            cov=cov,
            log_likelihood=float(np.sum(special.xlogy(counts, probs))),
            nobs=n,
        )
        return dist

