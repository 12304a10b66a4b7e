"""``mlfoundations info``: the entropy of a target and the features ranked by mutual information."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import numpy as np
import typer

from . import _common as c

#: a numeric column of whole numbers with at most this many distinct values is discrete
MAX_LEVELS = 20


class Unit(str, Enum):
    bits = "bits"
    nats = "nats"


def info(
    file: c.EngineFileArgument,
    target: Annotated[str, typer.Option("--target", "-y", help="The column to explain.", show_default=False)],
    features: Annotated[
        c.ColumnsOption,
        typer.Option(
            "--features", "-x",
            help="Columns to rank, repeatable or comma-separated (default: every other column).",
        ),
    ] = None,
    discrete: Annotated[
        c.ColumnsOption,
        typer.Option(
            "--discrete",
            help="Treat these columns as discrete (overrides the detection).",
        ),
    ] = None,
    continuous: Annotated[
        c.ColumnsOption,
        typer.Option(
            "--continuous",
            help="Treat these columns as continuous (overrides the detection).",
        ),
    ] = None,
    unit: Annotated[Unit, typer.Option("--unit", help="Logarithm base: bits (2) or nats (e).")] = Unit.bits,
    neighbors: Annotated[
        int,
        typer.Option(
            "--neighbors", min=1,
            help="k of the nearest-neighbour estimator (continuous columns).",
        ),
    ] = 3,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the tie-breaking jitter of continuous columns.")
    ] = 0,
    as_json: c.JsonOption = False,
    encoding: c.EncodingOption = None,
    drop_missing: c.DropMissingOption = False,
    engine: c.EngineOption = c.Engine.numpy,
    workers: c.WorkersOption = None,
    memory_limit: c.MemoryLimitOption = None,
    scheduler: c.SchedulerOption = None,
    threads: c.ThreadsOption = False,
):
    """Entropy of the target, and every feature ranked by its mutual information with it.

    H(Y) = -sum_y p(y) log p(y) from the target's frequencies; I(X; Y) = H(Y) - H(Y | X),
    the entropy of the target a feature removes: the plug-in estimate from counts for a
    discrete feature, the k-nearest-neighbour estimate (Ross 2014; Kraskov et al. 2004)
    for a continuous one (mlfoundations.information.mutual_info_classif /
    mutual_info_regression). A column is discrete when it holds text, or only whole
    numbers with at most 20 distinct values; --discrete/--continuous override. A
    continuous target has no entropy from frequencies: its features are ranked by
    I(X; Y) alone.
    """
    from ...information import entropy, mutual_info_classif, mutual_info_regression

    spec = c.engine_spec(engine, workers, memory_limit, scheduler, threads)
    with c.open_table(file, encoding, spec) as table:
        table.require([target], option="--target")
        forced_discrete = set(table.require(c.column_list(discrete, table) or [], option="--discrete"))
        forced_continuous = set(table.require(c.column_list(continuous, table) or [], option="--continuous"))
        both = forced_discrete & forced_continuous
        if both:
            raise c.UsageError(f"column {sorted(both)[0]!r} is given to both --discrete and --continuous")
        names = c.column_list(features, table)
        names = (table.require(names, option="--features") if names
                 else [n for n in table.columns if n != target])
        if target in names:
            raise c.UsageError(f"--features: column {target!r} is also the target")
        if not names:
            raise c.DataError(f"{table.path}: no feature columns besides the target {target!r}")
        table = table.complete([target, *names], drop_missing=drop_missing)
        lazy = c.is_lazy(table.frame)
        forced = forced_discrete | forced_continuous
        detected = _detect_discrete(table, [n for n in [target, *names] if n not in forced], lazy)

        def kind(name) -> str:
            if name in forced:
                return "discrete" if name in forced_discrete else "continuous"
            return "discrete" if detected[name] else "continuous"

        kinds = [kind(n) for n in names]
        target_kind = kind(target)
        if lazy:
            _check_dask_kinds(names, kinds, target, target_kind)
        X = _feature_matrix(table, names, kinds, lazy)
        base = 2.0 if unit is Unit.bits else np.e
        mask = np.array([k == "discrete" for k in kinds])
        with c.library_errors(table.path, "mutual information"):
            if target_kind == "discrete":
                y = table.labels(target)
                _, counts = table.value_counts(target) if lazy else np.unique(y, return_counts=True)
                h = entropy(counts, base=base, normalize=True)
                mi = mutual_info_classif(X, y, discrete_features=mask, n_neighbors=neighbors, base=base,
                                         rng=seed)
            else:
                y, counts, h = table.numeric([target])[:, 0], None, None
                mi = mutual_info_regression(X, y, discrete_features=mask, n_neighbors=neighbors, base=base,
                                            rng=seed)
        n_samples = int(counts.sum()) if lazy else table.n_rows
    order = np.argsort(-mi, kind="stable")
    ranked = [
        {"name": names[j], "kind": kinds[j], "mutual_information": mi[j],
         "share_of_entropy": mi[j] / h if h else None}
        for j in order
    ]
    doc = {"command": "info", "file": str(file), "target": target, "target_kind": target_kind,
           "n_samples": n_samples, "n_classes": None if counts is None else int(counts.size),
           "entropy": h, "unit": unit.value, "features": ranked}
    about = [("rows", n_samples), ("target", f"{target} ({target_kind})")]
    if h is not None:
        about += [("classes", counts.size), (f"H({target})", f"{h:.4f} {unit.value}"),
                  ("largest possible", f"{np.log(counts.size) / np.log(base):.4f} {unit.value}")]
    heads = ["#", "feature", "kind", f">I(X; {target}) [{unit.value}]"]
    heads += [f">share of H({target})"] if h else []
    rows = [
        (i + 1, r["name"], r["kind"], f"{r['mutual_information']:.4f}")
        + ((f"{100 * r['share_of_entropy']:.1f}%",) if h else ())
        for i, r in enumerate(ranked)
    ]
    notes = list(table.notes)
    if h is None:
        notes.append(f"{target!r} is continuous: no entropy from frequencies; "
                     "mutual information by k-nearest neighbours")
    c.emit(as_json, doc, [c.key_values(None, about), c.table(None, heads, rows)], notes)


def _detect_discrete(table, names, lazy) -> dict:
    """{name: whether the column looks discrete}: text, or whole numbers with at most
    MAX_LEVELS distinct values (a Dask table: every column in one pass)."""
    if not lazy:
        return {name: _looks_discrete(table, name) for name in names}
    import dask
    import pandas as pd

    def first_levels(part):
        return pd.Series(pd.unique(part.to_numpy())[: MAX_LEVELS + 1], dtype=part.dtype)

    numeric = [n for n in names if table.is_numeric(n)]
    seen = dask.compute(*[table.frame[n].map_partitions(first_levels, meta=table.frame[n]) for n in numeric])
    out = {n: True for n in names if n not in numeric}
    for name, values in zip(numeric, seen):
        values = pd.unique(values.to_numpy())
        if np.isnan(values).any():
            raise c.DataError(f"{table.path}: column {name!r} has missing values; pass --drop-missing to "
                              "drop rows with missing values")
        out[name] = values.size <= MAX_LEVELS and bool(np.all(values == np.round(values)))
    return out


def _check_dask_kinds(names, kinds, target, target_kind) -> None:
    """--engine dask counts discrete columns only: a continuous one is a usage error."""
    why = ("the nearest-neighbour estimate needs every sample in memory; it is not available "
           "with --engine dask")
    if target_kind == "continuous":
        raise c.UsageError(f"--target {target!r} is continuous: {why} (--discrete {target} if its "
                           "values are classes)")
    for name, kind in zip(names, kinds):
        if kind == "continuous":
            raise c.UsageError(f"feature {name!r} is continuous: {why}; choose discrete features "
                               "with --features, or --discrete if its values are classes")


def _feature_matrix(table, names, kinds, lazy):
    """The features as numbers, column by column: a NumPy matrix, or a Dask DataFrame
    of float64 columns partitioned as the table (text as codes of the sorted levels)."""
    if not lazy:
        return np.column_stack([_values(table, n, k) for n, k in zip(names, kinds)])
    import pandas as pd

    levels = {n: table.value_counts(n)[0] for n, k in zip(names, kinds)
              if k == "discrete" and not table.is_numeric(n)}

    def as_numbers(part):
        columns = {}
        for name in names:
            if name in levels:
                columns[name] = pd.Categorical(part[name], categories=levels[name]).codes.astype(np.float64)
            else:
                columns[name] = part[name].to_numpy(dtype=np.float64)
        return pd.DataFrame(columns, index=part.index)

    meta = pd.DataFrame({n: pd.Series(dtype=np.float64) for n in names})
    return table.frame.map_partitions(as_numbers, meta=meta)


def _looks_discrete(table, name) -> bool:
    """Text, or whole numbers with at most MAX_LEVELS distinct values."""
    if not table.is_numeric(name):
        return True
    values = table.numeric([name])[:, 0]
    return bool(np.all(values == np.round(values))) and np.unique(values).size <= MAX_LEVELS


def _values(table, name, kind) -> np.ndarray:
    """The column as numbers: a discrete text column as codes 0..k-1 in sorted order."""
    if kind == "discrete" and not table.is_numeric(name):
        return np.unique(table.labels(name), return_inverse=True)[1].astype(np.float64)
    return table.numeric([name])[:, 0]


def register(app) -> None:
    app.command("info", help=c.help_text(info.__doc__))(info)
