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
    file: c.FileArgument,
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

    table = c.load(file, encoding)
    table.require([target], option="--target")
    forced_discrete = set(table.require(c.column_list(discrete, table) or [], option="--discrete"))
    forced_continuous = set(table.require(c.column_list(continuous, table) or [], option="--continuous"))
    both = forced_discrete & forced_continuous
    if both:
        raise c.UsageError(f"column {sorted(both)[0]!r} is given to both --discrete and --continuous")
    names = c.column_list(features, table)
    names = table.require(names, option="--features") if names else [n for n in table.columns if n != target]
    if target in names:
        raise c.UsageError(f"--features: column {target!r} is also the target")
    if not names:
        raise c.DataError(f"{table.path}: no feature columns besides the target {target!r}")
    table = table.complete([target, *names], drop_missing=drop_missing)

    def kind(name) -> str:
        if name in forced_discrete or name in forced_continuous:
            return "discrete" if name in forced_discrete else "continuous"
        return "discrete" if _looks_discrete(table, name) else "continuous"

    kinds = [kind(n) for n in names]
    X = np.column_stack([_values(table, n, k) for n, k in zip(names, kinds)])
    target_kind = kind(target)
    base = 2.0 if unit is Unit.bits else np.e
    mask = np.array([k == "discrete" for k in kinds])
    with c.library_errors(table.path, "mutual information"):
        if target_kind == "discrete":
            y = table.labels(target)
            _, counts = np.unique(y, return_counts=True)
            h = entropy(counts, base=base, normalize=True)
            mi = mutual_info_classif(X, y, discrete_features=mask, n_neighbors=neighbors, base=base, rng=seed)
        else:
            y, counts, h = table.numeric([target])[:, 0], None, None
            mi = mutual_info_regression(X, y, discrete_features=mask, n_neighbors=neighbors, base=base,
                                        rng=seed)
    order = np.argsort(-mi, kind="stable")
    ranked = [
        {"name": names[j], "kind": kinds[j], "mutual_information": mi[j],
         "share_of_entropy": mi[j] / h if h else None}
        for j in order
    ]
    doc = {"command": "info", "file": str(file), "target": target, "target_kind": target_kind,
           "n_samples": table.n_rows, "n_classes": None if counts is None else int(counts.size),
           "entropy": h, "unit": unit.value, "features": ranked}
    about = [("rows", table.n_rows), ("target", f"{target} ({target_kind})")]
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
