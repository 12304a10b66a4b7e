"""Decision tree against sklearn.tree.DecisionTreeClassifier on the same data.

N_SAMPLES = 100000 samples of N_FEATURES = 20 standard normal features; 3 classes from
a non-linear rule, class = [s > -0.6] + [s > 0.6] with s = sin(2 x0) + x1 x2 - x3 / 2
(about a third of the samples in each); criterion="entropy", max_depth=10, every
other hyperparameter at its default, both sides single-threaded (goal: ratio <= 1.0
with the same training accuracy). The trees differ only where two splits of a node
tie, which scikit-learn breaks by its random feature order.
"""

from __future__ import annotations

import numpy as np

from ._timing import Workload

N_SAMPLES = 100_000
N_FEATURES = 20
PARAMS = {"criterion": "entropy", "max_depth": 10}


def make_classification(rng):
    X = rng.standard_normal((N_SAMPLES, N_FEATURES))
    s = np.sin(2.0 * X[:, 0]) + X[:, 1] * X[:, 2] - 0.5 * X[:, 3]
    y = (s > -0.6).astype(np.int64) + (s > 0.6)
    return X, y


def workloads():
    from sklearn.tree import DecisionTreeClassifier as SklearnTree

    from mlfoundations.models import DecisionTreeClassifier

    X, y = make_classification(np.random.default_rng(0))

    def agreement(ours, peers):
        theirs = next(iter(peers.values()))
        ours_acc, theirs_acc = ours.score(X, y), theirs.score(X, y)
        same = np.mean(ours.predict(X) == theirs.predict(X))
        return (
            f"train accuracy {ours_acc:.5f} vs {theirs_acc:.5f} (accuracy diff "
            f"{abs(ours_acc - theirs_acc):.1e}), leaves {ours.get_n_leaves()} vs "
            f"{theirs.get_n_leaves()}, same predictions {same:.4f}"
        )

    yield Workload(
        name=f"tree entropy depth 10 {N_SAMPLES:.0e}x{N_FEATURES}",
        ours=lambda: DecisionTreeClassifier(**PARAMS).fit(X, y),
        peers={"sklearn DecisionTreeClassifier": lambda: SklearnTree(**PARAMS, random_state=0).fit(X, y)},
        check=agreement,
    )
