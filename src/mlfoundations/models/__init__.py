"""Estimators you fit: scikit-learn compatible, built on the library's pillars."""

from .pca import PCA

__all__ = ["PCA"]
