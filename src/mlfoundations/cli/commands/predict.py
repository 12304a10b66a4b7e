"""``mlfoundations predict``: apply a model saved by ``regress --save`` or ``train --save``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer

from .._data import DataError, UsageError, write_table
from . import _common as c


def predict(
    model_path: Annotated[
        Path,
        typer.Argument(
            metavar="MODEL",
            help="A model file (.mlf) written by --save.", show_default=False,
        ),
    ],
    file: c.FileArgument,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output", "-o",
            help="Write the input rows with the predictions appended (CSV, or Parquet if .parquet).",
        ),
    ] = None,
    proba: Annotated[
        bool, typer.Option("--proba", help="Also give each class's probability (classifiers).")
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="Rows shown in the table (all go to --output and --json).")
    ] = 20,
    force: c.ForceOption = False,
    as_json: c.JsonOption = False,
    encoding: c.EncodingOption = None,
    drop_missing: c.DropMissingOption = False,
):
    """Predict every row of FILE with a saved model; its feature columns must be in FILE.

    The model is read by mlfoundations.load, which never runs code from the file.
    """
    c.check_outputs(file, force, others={"--output": output})
    if output is not None and model_path.exists() and output.resolve() == model_path.resolve():
        raise UsageError(f"--output {output}: is the model file; inputs are never overwritten")
    model = _load_model(model_path)
    if proba and not hasattr(model, "predict_proba"):
        raise UsageError(f"--proba: the {type(model).__name__} in {model_path} gives no class probabilities")
    table = c.load(file, encoding)
    names = _feature_names(model, table, model_path)
    table.require(names, option=f"the model {model_path.name}")
    table = table.complete(names, drop_missing=drop_missing)
    X = c.features_frame(table.numeric(names), names)
    with c.library_errors(table.path, "prediction failed"):
        predictions = model.predict(X)
        probabilities = model.predict_proba(X) if proba else None
    classes = list(getattr(model, "classes_", [])) or None
    doc = {"command": "predict", "model": str(model_path), "model_class": type(model).__name__,
           "file": str(file), "features": names, "n_samples": table.n_rows, table.unit + "s": table.positions,
           "predictions": predictions, "classes": classes, "probabilities": probabilities, "output": output}
    if output is not None:
        _write(table, predictions, probabilities, classes, output)
    heads = [table.unit, ">prediction"] + ([f">P({k})" for k in classes] if proba else [])
    rows = [
        (int(table.positions[i]), _show(predictions[i]))
        + (tuple(f"{p:.4f}" for p in probabilities[i]) if proba else ())
        for i in range(min(limit, table.n_rows))
    ]
    notes = list(table.notes)
    if table.n_rows > limit:
        notes.append(f"{table.n_rows - limit} more row(s) not shown; see --output or --json")
    if output is not None:
        notes.append(f"wrote {output}")
    title = f"{type(model).__name__} from {model_path.name} on {file.name}: {table.n_rows} rows"
    c.emit(as_json, doc, [title, c.table(None, heads, rows)], notes)


def _load_model(path: Path):
    from ... import persistence

    try:
        model = persistence.load(path)
    except persistence.FormatError as exc:
        raise DataError(str(exc)) from None
    except FileNotFoundError:
        raise UsageError(f"{path}: no such model file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a model file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not hasattr(model, "predict"):
        raise DataError(f"{path}: holds a {type(model).__name__}, which does not predict; "
                        "use a model saved by `regress --save` or `train --save`")
    return model


def _feature_names(model, table, path) -> list:
    names = getattr(model, "feature_names_in_", None)
    if names is not None:
        return [str(n) for n in names]
    n = getattr(model, "n_features_in_", None)
    if n is None:
        raise DataError(f"{path}: the {type(model).__name__} is not fitted")
    numeric, _ = table.numeric_columns()
    if len(numeric) != n:
        raise DataError(f"{path}: the model has no feature names and expects {n} features; "
                        f"{table.path} has {len(numeric)} numeric columns")
    return numeric


def _show(value) -> str:
    return c.num(value) if isinstance(value, (float, np.floating)) else str(value)


def _write(table, predictions, probabilities, classes, output) -> None:
    frame = table.frame.copy()
    column = _free_name("prediction", frame.columns)
    frame[column] = predictions
    if probabilities is not None:
        for k, label in enumerate(classes):
            frame[_free_name(f"P({label})", frame.columns)] = probabilities[:, k]
    write_table(frame, output)


def _free_name(name: str, taken) -> str:
    """``name``, or ``name_2``, ``name_3``... if the input has such a column already."""
    candidate, i = name, 1
    while candidate in taken:
        i += 1
        candidate = f"{name}_{i}"
    return candidate


def register(app) -> None:
    app.command("predict", help=c.help_text(predict.__doc__))(predict)
