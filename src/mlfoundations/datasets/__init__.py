"""Small bundled data sets, synthetic data generators and a test picture.

Loaders return a :class:`Dataset` that unpacks as ``X, y``; generators take
``rng`` (None, an int seed or a ``numpy.random.Generator``) and never touch global
random state.
"""

from ._dataset import Dataset
from ._generators import make_blobs, make_classification, make_regression
from ._images import sample_image
from ._loaders import load_diabetes, load_digits, load_iris

__all__ = [
    "Dataset",
    "load_iris",
    "load_digits",
    "load_diabetes",
    "sample_image",
    "make_regression",
    "make_classification",
    "make_blobs",
]
