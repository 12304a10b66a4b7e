"""``mlfoundations train``: an MLP classifier trained by mini-batch gradient descent."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer

from . import _common as c


class OptimizerName(str, Enum):
    adam = "adam"
    sgd = "sgd"
    rmsprop = "rmsprop"


def train(
    file: c.FileArgument,
    target: Annotated[
        str, typer.Option("--target", "-y", help="The class-label column.", show_default=False)
    ],
    features: Annotated[
        c.ColumnsOption,
        typer.Option(
            "--features", "-x",
            help="Input columns, repeatable or comma-separated (default: every other numeric column).",
        ),
    ] = None,
    hidden: Annotated[
        str, typer.Option("--hidden", help="Hidden-layer widths, comma-separated ('' for none).")
    ] = "128,64",
    epochs: Annotated[int, typer.Option("--epochs", min=1, help="Passes over the training rows.")] = 20,
    optimizer: Annotated[
        OptimizerName, typer.Option("--optimizer", help="Adam, SGD with momentum 0.9, or RMSprop.")
    ] = OptimizerName.adam,
    lr: Annotated[
        Optional[float],
        typer.Option(
            "--lr", min=0.0,
            help="Learning rate (default: 1e-3 adam/rmsprop, 1e-2 sgd).",
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Rows per mini-batch.")] = 32,
    validation: Annotated[
        float,
        typer.Option(
            "--validation",
            help="Share of rows held out to measure accuracy after each epoch.",
        ),
    ] = 0.0,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the weights, the shuffling and the hold-out.")
    ] = 0,
    save: Annotated[
        Optional[Path], typer.Option("--save", help="Write the trained model (.mlf) for `predict`.")
    ] = None,
    plot: Annotated[
        Optional[Path], typer.Option("--plot", help="Write the learning curves (PNG, SVG or PDF).")
    ] = None,
    force: c.ForceOption = False,
    as_json: c.JsonOption = False,
    encoding: c.EncodingOption = None,
    drop_missing: c.DropMissingOption = False,
):
    """Train a multilayer perceptron classifier; a progress bar shows loss and accuracy per epoch.

    Features are standardized, z = (x - mean) / sd (the mean and sd are saved with the
    model); the network Linear -> ReLU -> ... -> Linear is trained on the cross-entropy
    -log softmax(f(z))_y with mini-batches (mlfoundations.nn, mlfoundations.optim).
    """
    from ...models.mlp import MLPClassifier

    widths = _widths(hidden)
    if not 0.0 <= validation < 1.0:
        raise c.UsageError(f"--validation {validation:g}: must lie in [0, 1)")
    save = c.model_path(save)
    c.check_outputs(file, force, figures={"--plot": plot}, others={"--save": save})
    table = c.load(file, encoding)
    table.require([target], option="--target")
    names, note = c.numeric_features(table, c.column_list(features, table), exclude=(target,),
                                     option="--features")
    table = table.complete([target, *names], drop_missing=drop_missing)
    X = c.features_frame(table.numeric(names), names)
    y = table.labels(target)
    model = MLPClassifier(hidden=widths, epochs=epochs, optimizer=optimizer.value, lr=lr,
                          batch_size=batch_size, validation_fraction=validation, seed=seed)
    with c.library_errors(table.path, "training failed"), _progress(epochs, enabled=not as_json) as callback:
        model.fit(X, y, callback=callback)
    if save is not None:
        save = c.save_model(model, save, force)
    history = {"loss": model.loss_curve_, "accuracy": model.accuracy_curve_}
    if model.validation_accuracy_curve_.size:
        history["validation_accuracy"] = model.validation_accuracy_curve_
    if plot is not None:
        from ...plotting import plot_learning_curves

        plot_learning_curves(history).savefig(plot)
    n_parameters = sum(int(np.prod(p.shape)) for p in model.net_.parameters())
    doc = {
        "command": "train", "file": str(file), "target": target, "features": names,
        "n_samples": int(X.shape[0]), "classes": model.classes_, "hidden": list(widths),
        "n_parameters": n_parameters, "optimizer": optimizer.value, "lr": lr, "epochs": epochs,
        "batch_size": batch_size, "validation": validation, "seed": seed, **history,
        "final_accuracy": float(model.accuracy_curve_[-1]), "saved": save, "plot": plot,
    }
    layout = " → ".join(str(w) for w in [len(names), *widths, len(model.classes_)])
    about = c.key_values(None, [
        ("network", f"{layout} ({n_parameters} parameters)"),
        ("optimizer", f"{optimizer.value}, lr {lr if lr is not None else 'default'}, batch {batch_size}"),
        ("training rows", X.shape[0] - int(round(validation * X.shape[0]))),
        ("classes", ", ".join(map(str, model.classes_))),
    ])
    epochs_shown = _epochs_to_show(epochs)
    heads = ["epoch", ">loss", ">accuracy"]
    heads += [">held-out accuracy"] if "validation_accuracy" in history else []
    rows = [
        (e + 1, f"{history['loss'][e]:.4f}", f"{history['accuracy'][e]:.4f}")
        + ((f"{history['validation_accuracy'][e]:.4f}",) if "validation_accuracy" in history else ())
        for e in epochs_shown
    ]
    notes = [note, *table.notes, f"saved the model to {save}" if save else None,
             f"wrote {plot}" if plot else None]
    c.emit(as_json, doc, [about, c.table(None, heads, rows)], notes)


def _widths(hidden: str) -> tuple:
    parts = [p.strip() for p in hidden.split(",") if p.strip()]
    try:
        widths = tuple(int(p) for p in parts)
    except ValueError:
        raise c.UsageError(
            f"--hidden {hidden!r}: expected comma-separated positive integers, e.g. 128,64"
        ) from None
    if any(w < 1 for w in widths):
        raise c.UsageError(f"--hidden {hidden!r}: every width must be at least 1")
    return widths


def _epochs_to_show(epochs: int) -> list:
    """Every epoch up to 30, else 20 evenly spaced ones including the first and last."""
    if epochs <= 30:
        return list(range(epochs))
    return sorted(set(np.linspace(0, epochs - 1, 20).round().astype(int).tolist()))


class _progress:
    """A Rich progress bar on stderr (when it is a terminal) fed by the fit's callback."""

    def __init__(self, epochs: int, *, enabled: bool):
        self.epochs = epochs
        self.enabled = enabled and sys.stderr.isatty()
        self.bar = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("epoch"), MofNCompleteColumn(), BarColumn(), TextColumn("{task.fields[metrics]}"),
            TimeElapsedColumn(), console=Console(stderr=True), transient=False,
        )
        self.bar.start()
        self.task = self.bar.add_task("train", total=self.epochs, metrics="")
        return self._update

    def _update(self, epoch, loss, accuracy, validation) -> None:
        metrics = f"loss {loss:.4f}  accuracy {accuracy:.4f}"
        if validation is not None:
            metrics += f"  held-out {validation:.4f}"
        self.bar.update(self.task, completed=epoch, metrics=metrics)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


def register(app) -> None:
    app.command("train", help=c.help_text(train.__doc__))(train)
