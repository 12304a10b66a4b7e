"""The fitted tree as data: parallel node arrays, and their rendering as text.

A tree of n nodes is stored the way scikit-learn's ``Tree`` stores it, as one array
per node attribute (children, split feature and threshold, value, impurity, sample
counts), node 0 the root and ids in pre-order. :func:`export_text` prints the rules
in scikit-learn's layout. The estimators that grow trees live in
:mod:`mlfoundations.models.tree`.
"""

from __future__ import annotations

import numpy as np

from ..base import check_is_fitted
from . import _tree_kernels as kernels

__all__ = ["Tree", "export_text"]


class Tree:
    """A fitted tree as parallel node arrays, named as scikit-learn's ``Tree``.

    Node 0 is the root and ids are in pre-order (a node, its left subtree, its right
    subtree). For node t:

    - ``children_left[t]``, ``children_right[t]``: ids of the children, -1 at a leaf;
    - ``feature[t]``, ``threshold[t]``: the question x[feature] <= threshold (samples
      that answer yes go left), -2 at a leaf;
    - ``value[t, 0, :]``: the weighted class frequencies N_tk / N_t (classification)
      or the weighted mean of y (regression), shape (node_count, 1, n_values);
    - ``impurity[t]``, ``n_node_samples[t]``, ``weighted_n_node_samples[t]``: i(t), the
      number of training samples (of positive weight) and N_t.
    """

    def __init__(self, nodes, stats, *, n_features, n_classes):
        # the kernel's two tables, one column per array
        self.children_left, self.children_right, self.feature, self.n_node_samples, depth = (
            np.ascontiguousarray(column) for column in nodes.T
        )
        self.threshold, self.impurity, self.weighted_n_node_samples = (
            np.ascontiguousarray(column) for column in stats[:, :3].T
        )
        self.value = np.ascontiguousarray(stats[:, np.newaxis, 3:])
        self.node_count = nodes.shape[0]
        self.n_features = n_features
        self.n_classes = np.array([n_classes], dtype=np.intp)
        self.n_outputs = 1
        self.max_depth = int(depth.max())
        self.n_leaves = int(np.sum(self.children_left == kernels.LEAF))

    def apply(self, X):
        """Id of the leaf that each row of a validated float64 X reaches."""
        return kernels.apply_tree(
            np.ascontiguousarray(X), self.children_left, self.children_right, self.feature, self.threshold
        )

    def compute_feature_importances(self):
        """Total weighted impurity decrease brought by each feature, normalised to sum 1.

        importance_j = sum over the nodes t split on j of
        N_t i(t) - N_L i(L) - N_R i(R), divided by the sum over all features; all
        zeros when the tree is a single leaf.
        """
        split = self.children_left != kernels.LEAF
        t = np.flatnonzero(split)
        left, right = self.children_left[t], self.children_right[t]
        wi = self.weighted_n_node_samples * self.impurity
        decrease = wi[t] - wi[left] - wi[right]
        importances = np.bincount(self.feature[t], weights=decrease, minlength=self.n_features)
        importances = importances / self.weighted_n_node_samples[0]
        total = importances.sum()
        return importances / total if total > 0.0 else importances

    def __repr__(self):
        return f"Tree(node_count={self.node_count}, max_depth={self.max_depth}, n_leaves={self.n_leaves})"


def export_text(decision_tree, *, feature_names=None, class_names=None, max_depth=10, spacing=3,
                decimals=2, show_weights=False) -> str:
    """The rules of a fitted tree as indented text (scikit-learn's layout).

    Each split prints two lines, ``name <= threshold`` before its left subtree and
    ``name >  threshold`` before its right one; each leaf prints its class (the most
    frequent) or its value.

    Parameters
    ----------
    decision_tree : DecisionTreeClassifier or DecisionTreeRegressor
        A fitted tree.
    feature_names : sequence of str, optional
        One name per feature; "feature_j" by default.
    class_names : sequence of str, optional
        One name per class, in the order of ``classes_`` (classifiers only); the
        labels themselves by default.
    max_depth : int, default 10
        Levels printed; deeper subtrees print as "truncated branch of depth d".
    spacing : int, default 3
        Width of one level of indentation.
    decimals : int, default 2
        Digits printed after the decimal point of thresholds and values.
    show_weights : bool, default False
        Print the weighted class counts N_tk at each leaf (classifiers).

    Returns
    -------
    str

    Examples
    --------
    >>> from mlfoundations.models import DecisionTreeRegressor
    >>> from mlfoundations.models.tree import export_text
    >>> reg = DecisionTreeRegressor(max_depth=1).fit([[0.0], [1.0], [2.0]], [1.0, 1.0, 4.0])
    >>> print(export_text(reg, decimals=1))
    |--- feature_0 <= 1.5
    |   |--- value: [1.0]
    |--- feature_0 >  1.5
    |   |--- value: [4.0]
    <BLANKLINE>
    """
    check_is_fitted(decision_tree)
    tree = decision_tree.tree_
    is_classifier = hasattr(decision_tree, "classes_")
    if feature_names is None:
        feature_names = [f"feature_{j}" for j in range(tree.n_features)]
    elif len(feature_names) != tree.n_features:
        raise ValueError(f"feature_names must contain {tree.n_features} elements, got {len(feature_names)}")
    if is_classifier:
        if class_names is None:
            class_names = decision_tree.classes_
        elif len(class_names) != decision_tree.n_classes_:
            raise ValueError(
                f"class_names must contain {decision_tree.n_classes_} elements (one per class), "
                f"got {len(class_names)}"
            )

    def number(v):
        return f"{v:.{decimals}f}"

    def leaf_text(node):
        value = tree.value[node, 0]
        if not is_classifier:
            return " value: [" + ", ".join(number(v) for v in value) + "]"
        text = f" class: {class_names[np.argmax(value)]}"
        if show_weights:
            counts = value * tree.weighted_n_node_samples[node]
            text = " weights: [" + ", ".join(number(c) for c in counts) + "]" + text
        return text

    lines = []

    def write(node, depth):
        indent = ("|" + " " * spacing) * (depth - 1) + "|" + "-" * spacing
        if tree.children_left[node] == kernels.LEAF:
            lines.append(indent + leaf_text(node))
        elif depth > max_depth + 1:
            lines.append(f"{indent} truncated branch of depth {_subtree_depth(tree, node)}")
        else:
            name, threshold = feature_names[tree.feature[node]], number(tree.threshold[node])
            lines.append(f"{indent} {name} <= {threshold}")
            write(tree.children_left[node], depth + 1)
            lines.append(f"{indent} {name} >  {threshold}")
            write(tree.children_right[node], depth + 1)

    write(0, 1)
    return "\n".join(lines) + "\n"


def _subtree_depth(tree, node) -> int:
    """Number of levels of the subtree rooted at node (1 for a leaf)."""
    depth, frontier = 0, [node]
    while frontier:
        depth += 1
        frontier = [c for t in frontier if tree.children_left[t] != kernels.LEAF
                    for c in (tree.children_left[t], tree.children_right[t])]
    return depth
