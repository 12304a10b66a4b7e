"""Matplotlib figures of the mathematics: each function takes fitted objects or results
and returns a :class:`matplotlib.figure.Figure`.

Figures are built with the object-oriented API (no pyplot state, nothing shown): save
one with ``fig.savefig("out.png")`` or display it in a notebook cell. Importing
:mod:`mlfoundations` does not import matplotlib; importing this package does (it is in
the ``cli`` extra: ``pip install "mlfoundations[cli]"``).

- linear algebra: :func:`plot_scree`, :func:`plot_projection`, :func:`plot_low_rank`
- calculus: :func:`plot_optimizer_paths`, :func:`plot_learning_curves`
- probability: :func:`plot_distribution`, :func:`plot_fit`, :func:`plot_bayes_update`
- statistics: :func:`plot_ttest`, :func:`plot_regression`, :func:`plot_lasso_path`
- information theory: :func:`plot_coin_entropy`, :func:`plot_tree_regions`
"""

from .decomposition import plot_low_rank, plot_projection, plot_scree
from .distributions import plot_bayes_update, plot_distribution, plot_fit
from .inference import plot_lasso_path, plot_regression, plot_ttest
from .information import plot_coin_entropy, plot_tree_regions
from .optimization import plot_learning_curves, plot_optimizer_paths, rosenbrock_paths

__all__ = [
    "plot_optimizer_paths",
    "plot_learning_curves",
    "rosenbrock_paths",
    "plot_scree",
    "plot_projection",
    "plot_low_rank",
    "plot_distribution",
    "plot_fit",
    "plot_bayes_update",
    "plot_ttest",
    "plot_regression",
    "plot_lasso_path",
    "plot_coin_entropy",
    "plot_tree_regions",
]
