"""Information theory: entropy, divergences, mutual information.

Entropy, cross-entropy and the divergences of discrete distributions (in bits by
default, ``base=np.e`` for nats), with zeros handled exactly; the Gaussian KL term of
a variational autoencoder; mutual information from counts for discrete data and by
k-nearest neighbours (Kraskov et al.; Ross) for continuous data, feature by feature.
"""

from .entropy import (
    conditional_entropy, cross_entropy, entropy, gaussian_kl, joint_entropy, js_divergence,
    kl_divergence, perplexity,
)
from .mutual_information import (
    information_gain, mutual_info_classif, mutual_info_regression, mutual_information,
    normalized_mutual_information,
)

__all__ = [
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "js_divergence",
    "joint_entropy",
    "conditional_entropy",
    "perplexity",
    "gaussian_kl",
    "mutual_information",
    "normalized_mutual_information",
    "mutual_info_classif",
    "mutual_info_regression",
    "information_gain",
]
