"""What the data commands share: the common options, reading the input, printing the result.

A command builds one JSON-ready ``doc`` (dict) holding every number it reports and a
list of Rich renderables showing them; :func:`emit` prints the one or the other, never
both, so ``--json`` output is a single document on stdout.
"""

from __future__ import annotations

import json
import math
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import numpy as np
import typer

from .._data import DataError, Table, UsageError, check_output_path, read_table

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout instead of tables.")
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite output files (--output, --plot, --save) that exist.")
]
EncodingOption = Annotated[
    Optional[str],
    typer.Option("--encoding", metavar="CODEC", help="Text encoding of a CSV file (default: UTF-8)."),
]
DropMissingOption = Annotated[
    bool,
    typer.Option(
        "--drop-missing",
        help="Drop rows with a missing value in a column used (default: refuse them, naming the cell).",
    ),
]
FileArgument = Annotated[
    Path, typer.Argument(metavar="FILE", help="CSV or Parquet file, one row per sample.", show_default=False)
]
#: FILE of the commands with --engine
EngineFileArgument = Annotated[
    Path,
    typer.Argument(
        metavar="FILE",
        help="CSV or Parquet file, one row per sample; with --engine dask a glob of such files "
        "(quote it: 'data/part-*.csv').",
        show_default=False,
    ),
]
ColumnsOption = Optional[List[str]]


class Engine(str, Enum):
    numpy = "numpy"
    dask = "dask"


EngineOption = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="numpy: read FILE into memory. dask: FILE may be a glob of CSV/Parquet files, "
        "computed out of core on a Dask cluster.",
    ),
]
WorkersOption = Annotated[
    Optional[int],
    typer.Option("--workers", metavar="N", help="--engine dask: workers of the local cluster (default: 2).",
                 show_default=False),
]
MemoryLimitOption = Annotated[
    Optional[str],
    typer.Option("--memory-limit", metavar="SIZE",
                 help="--engine dask: memory limit per worker, e.g. 4GiB (default: auto).",
                 show_default=False),
]
SchedulerOption = Annotated[
    Optional[str],
    typer.Option("--scheduler", metavar="ADDRESS",
                 help="--engine dask: use the existing Dask scheduler at ADDRESS (e.g. tcp://host:8786) "
                 "instead of starting a local cluster.", show_default=False),
]
ThreadsOption = Annotated[
    bool,
    typer.Option("--threads", help="--engine dask: run the local workers as threads of this process, "
                 "not as processes."),
]


def help_text(doc: str) -> str:
    """A command's docstring as help: paragraphs re-flowed (Rich keeps single line breaks)
    and square brackets escaped (Rich would read them as markup)."""
    import inspect

    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs).replace("[", "\\[")


def stdout_console():
    """A Rich console on stdout: the terminal's width, or 120 columns when piped."""
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 120)


def load(file: Path, encoding: str | None) -> Table:
    """Read the input table (errors are DataError/UsageError naming the file)."""
    return read_table(file, encoding=encoding)


def engine_spec(engine, workers, memory_limit, scheduler, threads, unsupported=None):
    """The checked engine options (UsageError before any work); ``unsupported`` maps the
    options that need the whole data in memory to whether they were given."""
    from .._engine import EngineSpec

    spec = EngineSpec(Engine(engine).value, workers, memory_limit, scheduler, not threads)
    spec.check(unsupported)
    return spec


@contextmanager
def open_table(file: Path, encoding: str | None, spec):
    """The input table for the engine of ``spec``, inside a Dask client with ``--engine dask``.

    Yields a :class:`~mlfoundations.cli._data.Table` (NumPy engine) or a
    :class:`~mlfoundations.cli._engine.DaskTable`; the Dask client (and a cluster it
    started) is closed when the block ends, also on error.
    """
    if not spec.dask:
        yield load(file, encoding)
        return
    from .._engine import dask_client, read_dask_table

    table = read_dask_table(file, encoding=encoding)  # a glob that matches nothing: before the cluster
    with dask_client(spec):
        yield table


def is_lazy(x) -> bool:
    """Whether ``x`` is a Dask collection (without importing Dask)."""
    return type(x).__module__.startswith("dask")


def column_list(values, table: Table) -> list | None:
    """Column names from a repeatable option, each value a name or a comma-separated list.

    A value that is itself a column name is taken whole, so names holding commas work.
    """
    if not values:
        return None
    names = []
    for value in values:
        if value in table.frame.columns:
            names.append(value)
        else:
            names.extend(part.strip() for part in value.split(",") if part.strip())
    return names


def numeric_features(table: Table, given, *, exclude=(), option: str) -> tuple:
    """The feature columns: those ``given`` (checked), or every numeric column but ``exclude``.

    Returns (names, note or None); the note lists the non-numeric columns left out.
    """
    if given:
        names = table.require(given, option=option)
        for name in names:
            if name in exclude:
                raise UsageError(f"{option}: column {name!r} is also the target")
        return names, None
    names, other = table.numeric_columns(exclude=exclude)
    if not names:
        raise DataError(f"{table.path}: no numeric columns to use (columns: {', '.join(table.columns)})")
    note = f"non-numeric column(s) left out: {', '.join(other)}" if other else None
    return names, note


FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def check_outputs(file: Path, force: bool, *, figures=None, others=None) -> None:
    """Check every output path before any work: the figure ones must be .png/.svg/.pdf."""
    for option, path in (figures or {}).items():
        if path is not None and path.suffix.lower() not in FIGURE_SUFFIXES:
            raise UsageError(f"{option} {path}: the file name must end in .png, .svg or .pdf")
    for option, path in {**(figures or {}), **(others or {})}.items():
        if path is not None:
            check_output_path(path, force=force, inputs=[file], option=option)


@contextmanager
def library_errors(path: Path, what: str):
    """Report a ValueError from the library as a DataError about ``path``."""
    try:
        yield
    except ValueError as exc:
        if str(exc).startswith("Mismatched dtypes found"):  # --engine dask: a CSV partition
            from .._engine import mismatched_dtypes

            raise DataError(f"{path}: {mismatched_dtypes(str(exc))}") from exc
        raise DataError(f"{path}: {what}: {exc}") from exc


def save_model(model, path: Path, force: bool) -> Path:
    """``mlfoundations.save`` with its errors reported in one line."""
    from ... import persistence

    try:
        return persistence.save(model, path, overwrite=force)
    except FileExistsError:
        raise UsageError(f"--save {path}: already exists; pass --force to overwrite it") from None
    except OSError as exc:
        raise UsageError(f"--save {path}: cannot be written ({exc.strerror or exc})") from None


def model_path(path: Path | None) -> Path | None:
    """The path ``mlfoundations.save`` will write: ``.mlf`` added when there is no extension."""
    if path is None or path.suffix:
        return path
    return path.with_name(path.name + ".mlf")


def features_frame(X: np.ndarray, names):
    """X as a DataFrame, so that a fitted estimator records ``feature_names_in_``."""
    import pandas as pd

    return pd.DataFrame(X, columns=list(names))


def check_exclusive(**given) -> None:
    """UsageError if more than one of the named options was given."""
    used = [name for name, value in given.items() if value not in (None, False)]
    if len(used) > 1:
        raise UsageError(f"{' and '.join(used)} cannot be used together")


# --- numbers ------------------------------------------------------------------------------------
def num(x, digits: int = 6) -> str:
    """A number in ``digits`` significant digits ('nan', 'inf' as such)."""
    if x is None:
        return "–"
    x = float(x)
    if math.isnan(x):
        return "nan"
    return f"{x:.{digits}g}"


def pval(p) -> str:
    """A p-value: four decimals, or scientific notation below 1e-4."""
    p = float(p)
    if math.isnan(p):
        return "nan"
    return f"{p:.4f}" if p >= 1e-4 else f"{p:.2e}"


def jsonable(x):
    """``x`` with NumPy values turned into Python ones and NaN/inf into None (valid JSON)."""
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return jsonable(x.tolist())
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer, int)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        x = float(x)
        return x if math.isfinite(x) else None
    if isinstance(x, (np.str_, Path)):
        return str(x)
    return x


def emit(as_json: bool, doc: dict, renderables, notes=()) -> None:
    """Print ``doc`` as one JSON document, or the renderables followed by the notes."""
    notes = [n for n in notes if n]
    if as_json:
        doc = dict(doc, notes=list(notes))
        sys.stdout.write(json.dumps(jsonable(doc), indent=2, allow_nan=False) + "\n")
        return
    from rich.text import Text

    console = stdout_console()
    for item in renderables:
        console.print(Text(item, style="bold") if isinstance(item, str) else item)
    for note in notes:
        console.print(Text(f"note: {note}", style="dim"))


def table(title: str | None, columns, rows, *, caption: str | None = None):
    """A Rich table; ``columns`` are names (a leading '>' right-aligns the column)."""
    from rich.table import Table as RichTable

    from rich.text import Text

    out = RichTable(caption=_text(caption), caption_justify="left")
    for col in columns:
        right = col.startswith(">")
        out.add_column(Text(col[1:] if right else col), justify="right" if right else "left")
    for row in rows:
        out.add_row(*[Text(str(cell)) for cell in row])
    return _titled(title, out)


def _titled(title, renderable):
    """The title on its own line above ``renderable`` (a table's own title wraps to its width)."""
    from rich.console import Group
    from rich.text import Text

    return renderable if title is None else Group(Text(title, style="italic"), renderable)


def _text(value):
    """User-supplied text (column names, file names) shown literally, never as Rich markup."""
    from rich.text import Text

    return None if value is None else Text(value)


def key_values(title: str | None, pairs):
    """A two-column table of (label, value) pairs."""
    from rich.table import Table as RichTable

    from rich.text import Text

    out = RichTable(show_header=False)
    out.add_column(style="bold")
    out.add_column(justify="right")
    for key, value in pairs:
        out.add_row(Text(str(key)), Text(str(value)))
    return _titled(title, out)
