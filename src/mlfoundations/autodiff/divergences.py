"""Divergences on Tensors, composed from primitives (no derivative code of their own)."""

from __future__ import annotations

import numpy as np

from .elementwise import exp
from .reductions import _check_axis
from .tensor import Tensor, _operand

__all__ = ["gaussian_kl"]


def gaussian_kl(mu, logvar, axis: int = -1) -> Tensor:
    """KL(N(mu, diag(exp(logvar))) || N(0, I)) in nats, differentiable: the VAE term.

    Parameters
    ----------
    mu : (..., d) Tensor or array_like
        Means of the diagonal Gaussians (an encoder's output).
    logvar : (..., d) Tensor or array_like, broadcastable with ``mu``
        Log-variances log sigma_i^2.
    axis : int, default -1
        The axis of the d latent dimensions, summed over; the others are a batch.

    Returns
    -------
    Tensor
        One KL per batch entry (a 0-d Tensor for 1-D arguments); call ``.mean()`` or
        ``.sum()`` on it for a loss.

    Raises
    ------
    ValueError
        If the shapes do not broadcast, both arguments are scalars or ``axis`` is
        out of range.

    See Also
    --------
    mlfoundations.information.gaussian_kl : the NumPy version (float results).

    Notes
    -----
    KL = 1/2 sum_i (exp(logvar_i) + mu_i^2 - 1 - logvar_i), written with the
    primitives ``exp``, ``*``, ``-`` and ``sum``; its gradients follow by the chain
    rule: dKL/dmu_i = mu_i and dKL/dlogvar_i = (exp(logvar_i) - 1) / 2. Parametrising
    by the log-variance keeps the variance positive without a constraint. The value
    is the NumPy version's to about 1e-16 per dimension (which uses expm1 near
    logvar = 0).

    References
    ----------
    D. P. Kingma and M. Welling, "Auto-encoding variational Bayes", ICLR 2014,
    appendix B.

    Examples
    --------
    >>> from mlfoundations.autodiff import Tensor, gaussian_kl
    >>> mu = Tensor([1.0, 0.0], requires_grad=True)
    >>> logvar = Tensor([0.0, 0.0], requires_grad=True)
    >>> kl = gaussian_kl(mu, logvar)
    >>> kl.item()
    0.5
    >>> kl.backward()
    >>> mu.grad, logvar.grad
    (array([1., 0.]), array([0., 0.]))
    """
    mu, logvar = _operand(mu), _operand(logvar)
    try:
        shape = np.broadcast_shapes(mu.shape, logvar.shape)
    except ValueError:
        raise ValueError(
            f"mu with shape {mu.shape} and logvar with shape {logvar.shape} do not "
            "broadcast together"
        ) from None
    if not shape:
        raise ValueError("mu and logvar are scalars; give at least one latent dimension")
    axis = _check_axis(axis, len(shape))
    terms = exp(logvar) + mu * mu - 1.0 - logvar
    return terms.sum(axis=axis) * 0.5
