"""Estimators you fit: scikit-learn compatible, built on the library's pillars."""

from .naive_bayes import BernoulliNB, GaussianNB, MultinomialNB
from .pca import PCA

__all__ = ["PCA", "GaussianNB", "MultinomialNB", "BernoulliNB"]
