"""``mlfoundations ttest``: Student's, Welch's or the paired t-test, its CI and effect size."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import numpy as np
import typer

from .._data import DataError
from . import _common as c


class Alternative(str, Enum):
    two_sided = "two-sided"
    less = "less"
    greater = "greater"


def ttest(
    file: c.EngineFileArgument,
    value: Annotated[
        Optional[str], typer.Option("--value", help="Numeric column compared between the groups.")
    ] = None,
    group: Annotated[
        Optional[str], typer.Option("--group", help="Column with exactly two groups (with --value).")
    ] = None,
    a: Annotated[
        Optional[str], typer.Option("--a", help="First sample: a numeric column (with --b).")
    ] = None,
    b: Annotated[
        Optional[str], typer.Option("--b", help="Second sample: a numeric column (with --a).")
    ] = None,
    welch: Annotated[
        bool, typer.Option("--welch", help="Welch's test: no equal-variance assumption.")
    ] = False,
    paired: Annotated[
        bool, typer.Option("--paired", help="Paired test of a - b, row by row (with --a/--b).")
    ] = False,
    alternative: Annotated[
        Alternative, typer.Option("--alternative", help="H1: mean(a) != mean(b), < or >.")
    ] = Alternative.two_sided,
    confidence: Annotated[
        float, typer.Option("--confidence", help="Level of the confidence interval.")
    ] = 0.95,
    as_json: c.JsonOption = False,
    encoding: c.EncodingOption = None,
    drop_missing: c.DropMissingOption = False,
    engine: c.EngineOption = c.Engine.numpy,
    workers: c.WorkersOption = None,
    memory_limit: c.MemoryLimitOption = None,
    scheduler: c.SchedulerOption = None,
    threads: c.ThreadsOption = False,
):
    """Compare two means: the t statistic, p-value, confidence interval and Cohen's d.

    Two samples come either from one numeric column split by a two-level group column
    (--value, --group; a is the level met first in the file) or from two columns
    (--a, --b). t = (mean(a) - mean(b)) / se, with the pooled variance (Student), each
    sample's own (Welch), or the differences a_i - b_i (paired).
    """
    from ...stats import ttest_ind, ttest_rel

    by_group = value is not None or group is not None
    by_columns = a is not None or b is not None
    if by_group == by_columns:
        raise c.UsageError("give either --value and --group, or --a and --b")
    if by_group and (value is None or group is None):
        raise c.UsageError("--value and --group go together")
    if by_columns and (a is None or b is None):
        raise c.UsageError("--a and --b go together")
    c.check_exclusive(**{"--welch": welch, "--paired": paired})
    if paired and by_group:
        raise c.UsageError("--paired needs --a and --b (pairs are rows)")
    if not 0.0 < confidence < 1.0:
        raise c.UsageError(f"--confidence {confidence:g}: must lie strictly between 0 and 1")
    spec = c.engine_spec(engine, workers, memory_limit, scheduler, threads, unsupported={"--paired": paired})
    with c.open_table(file, encoding, spec) as table:
        if by_group:
            (x, y), names, notes = _split_by_group(table, value, group, drop_missing)
        else:
            (x, y), names, notes = _two_columns(table, a, b, paired, drop_missing)
        with c.library_errors(table.path, "t-test"):
            if paired:
                result = ttest_rel(x, y, alternative=alternative.value)
            else:
                result = ttest_ind(x, y, equal_var=not welch, alternative=alternative.value)
            low, high = result.confidence_interval(confidence)
            samples = [{"name": name, **_sample(s)} for name, s in zip(names, (x, y))]
    doc = {
        "command": "ttest", "file": str(file), "test": result.test, "alternative": result.alternative,
        "statistic": result.statistic, "df": result.df, "pvalue": result.pvalue,
        "estimate_name": result.estimate_name, "estimate": result.estimate,
        "standard_error": result.standard_error, "confidence": confidence,
        "ci_low": low, "ci_high": high,
        "effect_size_name": result.effect_size_name, "effect_size": result.effect_size,
        "a": samples[0], "b": samples[1],
    }
    sample_table = c.table(
        None, ["sample", ">n", ">mean", ">std dev"],
        [(f"{tag}: {s['name']}", s["n"], c.num(s["mean"]), c.num(s["std"])) for tag, s in zip("ab", samples)],
    )
    result_table = c.key_values(
        f"{result.test} ({result.alternative})",
        [("t", f"{result.statistic:.4f}"), ("df", c.num(result.df)), ("p-value", c.pval(result.pvalue)),
         (result.estimate_name, c.num(result.estimate)),
         (f"{100 * confidence:g}% CI", f"[{c.num(low)}, {c.num(high)}]"),
         (result.effect_size_name, c.num(result.effect_size))],
    )
    c.emit(as_json, doc, [sample_table, result_table], notes)


def _sample(s) -> dict:
    """n, mean and standard deviation (n - 1) of a sample: a Dask one in one pass."""
    from ...stats import describe, mean, std

    if c.is_lazy(s):
        d = describe(s)
        n = int(d.nobs)
        return {"n": n, "mean": float(d.mean), "std": float(np.sqrt(d.variance)) if n > 1 else None}
    return {"n": int(s.size), "mean": mean(s), "std": std(s, ddof=1) if s.size > 1 else None}


def _split_by_group(table, value, group, drop_missing):
    table.require([value, group], option="--value/--group")
    table = table.complete([value, group], drop_missing=drop_missing)
    if c.is_lazy(table.frame):
        x, labels = table.column(value), table.labels(group)
        levels = table.levels(group)  # in the order the files show them
    else:
        x = table.numeric([value])[:, 0]
        labels = table.labels(group)
        levels, first = np.unique(labels, return_index=True)
        levels = levels[np.argsort(first)]  # in the order the file shows them
    if levels.size != 2:
        shown = ", ".join(repr(str(v)) for v in levels[:6]) + (", ..." if levels.size > 6 else "")
        raise DataError(
            f"{table.path}: column {group!r} has {levels.size} level(s) ({shown}); "
            "ttest --group needs exactly 2"
        )
    names = [f"{group} = {levels[0]}", f"{group} = {levels[1]}"]
    return (x[labels == levels[0]], x[labels == levels[1]]), names, table.notes


def _two_columns(table, a, b, paired, drop_missing):
    table.require([a, b], option="--a/--b")
    if a == b:
        raise c.UsageError(f"--a and --b name the same column {a!r}")
    if paired:
        table = table.complete([a, b], drop_missing=drop_missing)
        x, y = table.numeric([a, b]).T
        return (x, y), [a, b], table.notes
    if c.is_lazy(table.frame):
        ta = table.complete([a], drop_missing=drop_missing)
        tb = table.complete([b], drop_missing=drop_missing)
        notes = ta.notes + tb.notes[len(table.notes):]
        return (ta.column(a), tb.column(b)), [a, b], notes
    # independent samples: each column keeps all of its own values
    ta, tb = table.complete([a], drop_missing=drop_missing), table.complete([b], drop_missing=drop_missing)
    return (ta.numeric([a])[:, 0], tb.numeric([b])[:, 0]), [a, b], ta.notes + tb.notes[len(table.notes):]


def register(app) -> None:
    app.command("ttest", help=c.help_text(ttest.__doc__))(ttest)
