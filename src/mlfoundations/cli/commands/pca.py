"""``mlfoundations pca``: principal components of the numeric columns of a table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer

from .._data import DataError, write_table
from . import _common as c


def pca(
    file: c.EngineFileArgument,
    columns: Annotated[
        c.ColumnsOption,
        typer.Option(
            "--columns", "-c",
            help="Columns to use, repeatable or comma-separated (default: every numeric column).",
        ),
    ] = None,
    k: Annotated[
        Optional[int], typer.Option("-k", "--components", min=1, help="Number of components (default: 2).")
    ] = None,
    variance: Annotated[
        Optional[float],
        typer.Option(
            "--variance",
            help="Keep the fewest components explaining more than this fraction of the variance.",
        ),
    ] = None,
    standardize: Annotated[
        bool,
        typer.Option(
            "--standardize",
            help="Scale every column to unit variance first (PCA of the correlation matrix).",
        ),
    ] = False,
    plot: Annotated[
        Optional[Path], typer.Option("--plot", help="Write the scree plot (PNG, SVG or PDF).")
    ] = None,
    plot_projection: Annotated[
        Optional[Path],
        typer.Option(
            "--plot-projection",
            help="Write the data projected on the first two components (PNG, SVG or PDF).",
        ),
    ] = None,
    color_by: Annotated[
        Optional[str],
        typer.Option(
            "--color-by",
            help="Column whose values colour the points of --plot-projection.",
        ),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output", "-o",
            help="Write the projected data (CSV, or Parquet if .parquet).",
        ),
    ] = None,
    force: c.ForceOption = False,
    as_json: c.JsonOption = False,
    encoding: c.EncodingOption = None,
    drop_missing: c.DropMissingOption = False,
    engine: c.EngineOption = c.Engine.numpy,
    workers: c.WorkersOption = None,
    memory_limit: c.MemoryLimitOption = None,
    scheduler: c.SchedulerOption = None,
    threads: c.ThreadsOption = False,
):
    """Principal components: explained variance, loadings, the projected data.

    The components are the eigenvectors of the sample covariance of the centred columns
    (mlfoundations.models.PCA); the variance along component i is lambda_i, and
    lambda_i / sum_j lambda_j the fraction of the total variance it explains.
    """
    from ...models import PCA

    c.check_exclusive(**{"-k": k, "--variance": variance})
    if variance is not None and not 0.0 < variance < 1.0:
        raise c.UsageError(f"--variance {variance:g}: must lie strictly between 0 and 1")
    if color_by is not None and plot_projection is None:
        raise c.UsageError("--color-by needs --plot-projection")
    spec = c.engine_spec(engine, workers, memory_limit, scheduler, threads, unsupported={
        "--output": output is not None, "--plot-projection": plot_projection is not None,
        "--color-by": color_by is not None})
    c.check_outputs(file, force, figures={"--plot": plot, "--plot-projection": plot_projection},
                    others={"--output": output})
    with c.open_table(file, encoding, spec) as table:
        names, note = c.numeric_features(table, c.column_list(columns, table),
                                         exclude=(color_by,) if color_by else (), option="--columns")
        if color_by is not None:
            table.require([color_by], option="--color-by")
        table = table.complete(names + ([color_by] if color_by else []), drop_missing=drop_missing)
        X = table.numeric(names)
        if standardize:
            X = _standardize(X, names, table.path)
        known = [int(n) for n in X.shape if not np.isnan(n)]  # a Dask X counts its rows while fitting
        n_components = variance if variance is not None else (k if k is not None else min(2, *known))
        with c.library_errors(table.path, "PCA"):
            model = PCA(n_components=n_components).fit(X)
            Z = model.transform(X) if output is not None else None
        if plot is not None or plot_projection is not None:
            _plots(model, X, table.labels(color_by) if color_by else None, plot, plot_projection)
    ratio = model.explained_variance_ratio_
    labels = [f"PC{i + 1}" for i in range(model.n_components_)]
    if output is not None:
        import pandas as pd

        write_table(pd.DataFrame(Z, columns=labels), output)
    doc = {
        "command": "pca",
        "file": str(file),
        "n_samples": int(model.n_samples_),
        "columns": names,
        "standardized": standardize,
        "n_components": int(model.n_components_),
        "explained_variance": model.explained_variance_,
        "explained_variance_ratio": ratio,
        "cumulative_variance_ratio": np.cumsum(ratio),
        "singular_values": model.singular_values_,
        "mean": model.mean_,
        "components": model.components_,
        "noise_variance": model.noise_variance_,
        "output": output,
        "plot": plot,
        "plot_projection": plot_projection,
    }
    what = "standardized columns" if standardize else "columns"
    summary = c.table(
        f"PCA of {file.name}: {model.n_samples_} rows, {len(names)} {what}",
        ["component", ">variance", ">% of variance", ">cumulative %", ">singular value"],
        [
            (lab, c.num(v), f"{100 * r:.2f}", f"{100 * cr:.2f}", c.num(s))
            for lab, v, r, cr, s in zip(labels, model.explained_variance_, ratio, np.cumsum(ratio),
                                        model.singular_values_)
        ],
    )
    loadings = c.table(
        "Principal axes (loadings)",
        ["column", *[">" + lab for lab in labels]],
        [(name, *[f"{v:.4f}" for v in model.components_[:, j]]) for j, name in enumerate(names)],
    )
    notes = [note, *table.notes]
    notes += [f"wrote {p}" for p in (output, plot, plot_projection) if p is not None]
    c.emit(as_json, doc, [summary, loadings], notes)


def _standardize(X, names, path):
    """(X - mean) / sd, column by column, sd with n - 1 (the sample standard deviation).

    A Dask X: the means and standard deviations from one pass, the scaling lazy."""
    if c.is_lazy(X):
        import dask

        mean, sd = dask.compute(X.mean(axis=0), X.std(axis=0, ddof=1))
        bad = np.flatnonzero(~np.isfinite(mean))
        if bad.size:
            raise DataError(f"{path}: column {names[bad[0]]!r} holds missing or non-finite values; "
                            "pass --drop-missing to drop rows with missing values")
    else:
        mean = X.mean(axis=0)
        sd = X.std(axis=0, ddof=1) if X.shape[0] > 1 else np.zeros(X.shape[1])
    constant = np.flatnonzero(~(sd > 0))
    if constant.size:
        raise DataError(f"{path}: column {names[constant[0]]!r} is constant; it cannot be standardized")
    return (X - mean) / sd


def _plots(model, X, y, scree_path, projection_path) -> None:
    """The scree plot of every component, and the scatter on the first two (the components
    are nested, so these are the first two of any fit)."""
    from ...models import PCA
    from ...plotting import plot_projection, plot_scree

    if scree_path is not None:
        full = model if model.n_components_ == min(model.n_samples_, model.n_features_in_) else PCA().fit(X)
        plot_scree(full).savefig(scree_path)
    if projection_path is not None:
        if min(X.shape) < 2:
            raise DataError("--plot-projection needs at least 2 columns and 2 rows")
        plane = model if model.n_components_ >= 2 else PCA(n_components=2).fit(X)
        plot_projection(plane, X, y).savefig(projection_path)


def register(app) -> None:
    app.command("pca", help=c.help_text(pca.__doc__))(pca)
