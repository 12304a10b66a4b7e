"""The model ``mlfoundations train`` fits: an MLP classifier on standardized features.

It is an estimator (``fit``/``predict``/``predict_proba``, fitted attributes ending in
``_``) holding the network (an :class:`mlfoundations.nn.Sequential`), the
standardization (``mean_``, ``scale_``) and the class labels, so that one
``mlfoundations.save`` file carries everything ``predict`` needs; it is in the
registry of classes that ``mlfoundations.load`` may rebuild.
"""

from __future__ import annotations

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, check_is_fitted

__all__ = ["MLPClassifier", "OPTIMIZERS"]

#: optimizer name -> (class name in mlfoundations.optim, default learning rate, extra arguments)
OPTIMIZERS = {
    "adam": ("Adam", 1e-3, {}),
    "sgd": ("SGD", 1e-2, {"momentum": 0.9}),
    "rmsprop": ("RMSprop", 1e-3, {}),
}


class MLPClassifier(ClassifierMixin, BaseEstimator):
    """Multilayer perceptron: Linear -> ReLU -> ... -> Linear, trained on the cross-entropy.

    Parameters
    ----------
    hidden : tuple of int, default (128, 64)
        Width of each hidden layer; () gives softmax regression.
    epochs : int, default 20
        Passes over the training rows.
    optimizer : {"adam", "sgd", "rmsprop"}, default "adam"
        ``sgd`` uses momentum 0.9.
    lr : float or None
        Learning rate; None takes the optimizer's default (1e-3 for adam and rmsprop,
        1e-2 for sgd).
    batch_size : int, default 32
        Rows per mini-batch.
    validation_fraction : float, default 0.0
        Share of the rows held out (at random) to measure accuracy after every epoch.
    seed : int, default 0
        Seed of the initial weights, the shuffling and the hold-out split.

    Attributes
    ----------
    net_ : mlfoundations.nn.Sequential
        The trained network; its input is the standardized features.
    mean_, scale_ : (n_features,) ndarray
        Feature means and standard deviations (1 where a feature is constant): the
        network sees (x - mean_) / scale_.
    classes_ : (n_classes,) ndarray
        Sorted class labels; output unit k scores classes_[k].
    loss_curve_, accuracy_curve_ : (epochs,) ndarray
        Mean cross-entropy (nats) and accuracy on the training rows over each epoch,
        measured on the mini-batches as they were trained.
    validation_accuracy_curve_ : (epochs,) ndarray
        Accuracy on the held-out rows after each epoch (empty without hold-out).
    """

    def __init__(self, hidden=(128, 64), *, epochs=20, optimizer="adam", lr=None, batch_size=32,
                 validation_fraction=0.0, seed=0):
        self.hidden = hidden
        self.epochs = epochs
        self.optimizer = optimizer
        self.lr = lr
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.seed = seed

    def fit(self, X, y, *, callback=None):
        """Train on (X, y); ``callback(epoch, loss, accuracy, validation_accuracy)`` after each epoch."""
        from .. import nn, optim
        from ..autodiff import Tensor

        X = self._validate_data(X, reset=True)
        y = np.asarray(y)
        if y.shape != (X.shape[0],):
            raise ValueError(f"y must have one label per row of X ({X.shape[0]}), got shape {y.shape}")
        self.classes_, codes = np.unique(y, return_inverse=True)
        if self.classes_.size < 2:
            raise ValueError(
                f"the target has a single class ({self.classes_[0].item()!r}); a classifier needs 2 or more"
            )
        rng = np.random.default_rng(self.seed)
        train, held_out = self._split(X.shape[0], rng)
        self.mean_ = X[train].mean(axis=0)
        sd = X[train].std(axis=0)
        self.scale_ = np.where(sd > 0, sd, 1.0)
        Z = (X - self.mean_) / self.scale_
        widths = [X.shape[1], *[int(h) for h in self.hidden], self.classes_.size]
        layers = []
        for i, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:])):
            layers += [nn.Linear(n_in, n_out, rng=rng)] + ([nn.ReLU()] if i < len(widths) - 2 else [])
        self.net_ = nn.Sequential(*layers)
        name, default_lr, extra = OPTIMIZERS[self.optimizer]
        step = getattr(optim, name)(self.net_.parameters(), lr=self.lr or default_lr, **extra)
        loss_fn = nn.CrossEntropyLoss()
        losses, accuracies, validation = [], [], []
        for epoch in range(int(self.epochs)):
            order = rng.permutation(train)
            total, correct = 0.0, 0
            for start in range(0, order.size, int(self.batch_size)):
                batch = order[start:start + int(self.batch_size)]
                step.zero_grad()
                logits = self.net_(Tensor(Z[batch]))
                loss = loss_fn(logits, codes[batch])
                loss.backward()
                step.step()
                total += float(loss.numpy()) * batch.size
                correct += int(np.count_nonzero(logits.numpy().argmax(axis=1) == codes[batch]))
            losses.append(total / order.size)
            accuracies.append(correct / order.size)
            if held_out.size:
                validation.append(float(np.mean(self._scores(Z[held_out]).argmax(axis=1) == codes[held_out])))
            if callback is not None:
                callback(epoch + 1, losses[-1], accuracies[-1], validation[-1] if validation else None)
        self.loss_curve_ = np.asarray(losses)
        self.accuracy_curve_ = np.asarray(accuracies)
        self.validation_accuracy_curve_ = np.asarray(validation)
        return self

    def _split(self, n, rng):
        fraction = float(self.validation_fraction)
        if not 0.0 <= fraction < 1.0:
            raise ValueError(f"validation_fraction must lie in [0, 1), got {fraction!r}")
        n_held = int(round(fraction * n))
        if fraction > 0 and (n_held == 0 or n_held == n):
            raise ValueError(
                f"validation_fraction={fraction:g} of {n} rows leaves no rows to hold out or to train on"
            )
        order = rng.permutation(n)
        return np.sort(order[n_held:]), np.sort(order[:n_held])

    def _scores(self, Z) -> np.ndarray:
        from ..autodiff import Tensor, no_grad

        with no_grad():
            return self.net_(Tensor(Z)).numpy()

    def decision_function(self, X) -> np.ndarray:
        """The network's outputs (logits), one column per class."""
        check_is_fitted(self)
        X = self._validate_data(X, reset=False)
        return self._scores((X - self.mean_) / self.scale_)

    def predict_proba(self, X) -> np.ndarray:
        """softmax of the logits: P(class k | x), one column per ``classes_``."""
        from ..autodiff import Tensor, no_grad
        from ..nn.functional import softmax

        with no_grad():
            return softmax(Tensor(self.decision_function(X)), dim=1).numpy()

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row."""
        return self.classes_[self.decision_function(X).argmax(axis=1)]
