"""Estimators you fit: scikit-learn compatible, built on the library's pillars."""

from .coordinate_descent import ElasticNet, ElasticNetCV, Lasso, LassoCV, enet_path, lasso_path
from .feature_selection import MutualInfoSelector
from .linear_regression import LinearRegression
from .logistic import LogisticRegression
from .naive_bayes import BernoulliNB, GaussianNB, MultinomialNB
from .ols_results import OLSResults
from .pca import PCA
from .ridge import Ridge, RidgeCV, RidgePath, ridge_path
from .tree import DecisionTreeClassifier, DecisionTreeRegressor

__all__ = ["PCA", "GaussianNB", "MultinomialNB", "BernoulliNB", "MutualInfoSelector",
           "Ridge", "RidgeCV", "RidgePath", "ridge_path"]
__all__ += ["LogisticRegression"]
__all__ += ["DecisionTreeClassifier", "DecisionTreeRegressor"]
__all__ += ["LinearRegression", "OLSResults"]
__all__ += ["Lasso", "ElasticNet", "LassoCV", "ElasticNetCV", "lasso_path", "enet_path"]
