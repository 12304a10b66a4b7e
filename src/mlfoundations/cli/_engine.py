"""``--engine dask``: the data commands on tables larger than memory.

With ``--engine dask`` a command reads FILE, which may be a glob (``"data/part-*.csv"``,
``"*.parquet"``), with ``dask.dataframe`` into a :class:`DaskTable`, runs for its whole
duration inside a Dask client (:func:`dask_client`: a ``dask.distributed.LocalCluster``
of ``--workers`` single-threaded workers, or the scheduler at ``--scheduler``), and hands
Dask collections to the same library functions as the NumPy engine; those compute out
of core (one pass of per-block sufficient statistics, see :mod:`mlfoundations._dask`).

Everything Dask is imported inside the functions here, and this module is imported by a
command only when ``--engine dask`` is given: the NumPy engine never pays for Dask.

Differences from the in-memory :class:`~._data.Table`, by design:

* the files are parsed by pandas' CSV reader (or Parquet) partition by partition, so a
  column's type is the one pandas infers, integer columns are read as float64 (a later
  partition may hold a missing value), and a missing or non-numeric cell is found while
  the library computes: it is reported by the library's own message (for instance
  ``X contains NaN``) or pandas', as one line naming the files, not by line number;
* ``--drop-missing`` drops the incomplete rows lazily; the note cannot say how many.
"""

from __future__ import annotations

import glob
import logging
import os
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._data import DataError, Table, UsageError, _listing

__all__ = ["EngineSpec", "DaskTable", "dask_client", "read_dask_table", "quiet_dask"]

_PARQUET_MAGIC = b"PAR1"
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class EngineSpec:
    """The engine options of a command line, checked by :meth:`check`."""

    engine: str = "numpy"
    workers: int | None = None
    memory_limit: str | None = None
    scheduler: str | None = None
    processes: bool = True

    @property
    def dask(self) -> bool:
        return self.engine == "dask"

    def check(self, unsupported: dict | None = None) -> None:
        """UsageError for options that do not fit the engine, before any work is done.

        ``unsupported`` maps an option (as typed) to whether it was given; with
        ``--engine dask`` a given one is refused as needing the whole data in memory.
        """
        dask_only = {"--workers": self.workers is not None, "--memory-limit": self.memory_limit is not None,
                     "--scheduler": self.scheduler is not None, "--threads": not self.processes}
        if not self.dask:
            used = [name for name, given in dask_only.items() if given]
            if used:
                raise UsageError(f"{used[0]} needs --engine dask")
            return
        if self.scheduler is not None:
            clash = [name for name in ("--workers", "--memory-limit", "--threads") if dask_only[name]]
            if clash:
                raise UsageError(
                    f"--scheduler and {clash[0]} cannot be used together: the workers belong "
                    "to the existing cluster"
                )
        if self.workers is not None and self.workers < 1:
            raise UsageError(f"--workers {self.workers}: must be at least 1")
        for option, given in (unsupported or {}).items():
            if given:
                raise UsageError(
                    f"{option} needs the whole data in memory; it is not available with --engine dask"
                )


# --- the cluster --------------------------------------------------------------------------------
@contextmanager
def dask_client(spec: EngineSpec):
    """A ``dask.distributed.Client`` for the duration of a command, closed afterwards.

    A new ``LocalCluster(n_workers=--workers or 2, threads_per_worker=1,
    memory_limit=--memory-limit or "auto")`` (worker processes unless ``--threads``), or
    a connection to the existing scheduler at ``--scheduler``, which is left running.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise UsageError(
            f"--engine dask needs Dask ({exc.name} is missing); install it with: "
            'pip install "mlfoundations[dask]"'
        ) from None
    memory_limit = _memory_limit(spec.memory_limit)
    cluster = None
    with quiet_dask():
        try:
            if spec.scheduler is not None:
                try:
                    client = Client(spec.scheduler, timeout="10s")
                except (OSError, TimeoutError, ValueError) as exc:
                    raise UsageError(
                        f"--scheduler {spec.scheduler}: cannot connect ({_first_line(exc)})"
                    ) from None
            else:
                with _quiet_worker_processes():
                    cluster = LocalCluster(
                        n_workers=spec.workers if spec.workers is not None else 2, threads_per_worker=1,
                        memory_limit=memory_limit, processes=spec.processes,
                        # any free port, on this machine only: the default 8787 may be taken
                        dashboard_address="127.0.0.1:0",
                    )
                client = Client(cluster)
            try:
                yield client
            finally:
                client.close()
        finally:
            if cluster is not None:
                cluster.close()


@contextmanager
def quiet_dask():
    """Dask's and distributed's own chatter kept from the user, who gets one line per error:
    log messages below critical (a failed task is reported by the exception it raises), a
    probe socket left to the garbage collector, deprecations inside Dask's code (e.g. its
    Parquet reader on a newer pandas)."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=ResourceWarning)
            for category in (DeprecationWarning, FutureWarning):
                warnings.filterwarnings("ignore", category=category, module=r"(dask|distributed)(\.|$)")
            yield
    finally:
        logger.setLevel(level)


@contextmanager
def _quiet_worker_processes():
    """Worker processes set up their logging from the environment when they start: only
    critical messages, as in this process."""
    key = "DASK_DISTRIBUTED__LOGGING__DISTRIBUTED"
    before = os.environ.get(key)
    os.environ[key] = "critical"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = before


def mismatched_dtypes(message: str) -> str:
    """One line for dask's 'Mismatched dtypes' error: a later partition of a CSV holds text
    in a column the first one showed as numbers."""
    rows = re.findall(r"^\|\s*(.+?)\s*\|\s*(\S+)\s*\|\s*(\S+)\s*\|$", message, flags=re.M)
    rows = [r for r in rows if r[0] != "Column"]
    causes = re.findall(r"(could not convert [^\n]*)", message)
    if not rows:
        return "the files disagree on the type of a column"
    column, found, expected = rows[0]
    detail = f" ({causes[0].removesuffix(chr(34) + ')')})" if causes else ""
    return (f"column {column!r} is read as {expected} from the first rows but holds {found} values "
            f"further on{detail}; fix the cell, or leave the column out")


def _memory_limit(value):
    """'auto' (the default), or a size such as '4GiB' checked by Dask's own parser."""
    if value is None or value == "auto":
        return "auto"
    from dask.utils import parse_bytes

    try:
        limit = parse_bytes(value)
    except (ValueError, TypeError):
        raise UsageError(f"--memory-limit {value}: not a size (e.g. 4GiB, 512MB, or auto)") from None
    if limit <= 0:
        raise UsageError(f"--memory-limit {value}: must be positive")
    return limit


# --- reading ------------------------------------------------------------------------------------
def read_dask_table(pattern, *, encoding: str | None = None) -> "DaskTable":
    """The files matching the glob ``pattern`` as one lazy ``dask.dataframe`` table.

    All the files must be of one format: Parquet (recognised by its magic number) or
    CSV text (gzip-compressed if it starts with the gzip magic; tab-separated if named
    ``.tsv``/``.tab``), with the same columns.
    """
    import codecs

    pattern = str(pattern)
    paths = sorted(p for p in glob.glob(pattern) if Path(p).is_file()) if glob.has_magic(pattern) else (
        [pattern] if Path(pattern).is_file() else []
    )
    if not paths:
        if not glob.has_magic(pattern) and Path(pattern).is_dir():
            raise UsageError(
                f"{pattern}: is a directory; give the files as a glob such as '{pattern}/*.parquet'"
            )
        raise UsageError(f"{pattern}: {'no file matches' if glob.has_magic(pattern) else 'no such file'}")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(f"--encoding {encoding}: unknown text encoding") from None
    kinds = {p: _kind(p) for p in paths}
    if len(set(kinds.values())) > 1:
        parquet = [p for p, k in kinds.items() if k == "parquet"]
        other = [p for p, k in kinds.items() if k != "parquet"]
        raise UsageError(
            f"{pattern}: mixes Parquet ({parquet[0]}) and CSV ({other[0]}) files; give one format"
        )
    kind = kinds[paths[0]]
    try:
        with quiet_dask():
            frame = _read(paths, kind, encoding)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{pattern}: cannot be read as a table ({_first_line(exc)})") from None
    except Exception as exc:  # pyarrow's and pandas' parser errors have no common base
        raise DataError(
            f"{pattern}: cannot be read as a table ({type(exc).__name__}: {_first_line(exc)})"
        ) from None
    frame.columns = [str(name).strip() for name in frame.columns]
    names = list(frame.columns)
    for j, name in enumerate(names, start=1):
        if name == "" or name.startswith("Unnamed: "):
            raise DataError(f"{pattern}: column {j} of the header has no name")
    return DaskTable(Path(pattern), frame)


def _read(paths, kind, encoding):
    import dask.dataframe as dd

    if kind == "parquet":
        return dd.read_parquet(paths)
    name = Path(paths[0]).name.lower().removesuffix(".gz")
    sep = "\t" if name.endswith((".tsv", ".tab")) else ","
    options = {"compression": "gzip", "blocksize": None} if kind == "gzip" else {}
    # integer columns as float64: a later partition may hold a missing value
    return dd.read_csv(paths, sep=sep, encoding=encoding or "utf-8", assume_missing=True,
                       skipinitialspace=True, **options)


def _kind(path) -> str:
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if head.startswith(_PARQUET_MAGIC):
        return "parquet"
    return "gzip" if head.startswith(_GZIP_MAGIC) else "csv"


def _first_line(exc) -> str:
    return " ".join(str(exc).split())[:300]


@dataclass
class DaskTable:
    """A lazy ``dask.dataframe`` table with the interface the commands use of :class:`~._data.Table`.

    ``numeric`` returns a Dask array and ``labels`` a Dask series: the commands pass them
    to the library, which computes out of core.
    """

    path: Path
    frame: object
    notes: list = field(default_factory=list)
    unit = "row"

    # the name checks are the in-memory table's, on the column names alone
    require = Table.require
    numeric_columns = Table.numeric_columns

    @property
    def columns(self) -> list:
        return list(self.frame.columns)

    def is_numeric(self, name) -> bool:
        """Whether pandas read column ``name`` as numbers (bool, integer or float)."""
        return self.frame[name].dtype.kind in "biuf"

    def complete(self, names, *, drop_missing: bool) -> "DaskTable":
        """Without ``drop_missing`` this table (a missing value is found while computing,
        by the library); with it, the rows missing a value in ``names`` left out, lazily."""
        if not drop_missing or not names:
            return self
        note = f"dropped the rows with missing values in {_listing(names)}"
        return DaskTable(self.path, self.frame.dropna(subset=list(names)), self.notes + [note])

    def _check_numeric(self, names) -> None:
        for name in names:
            if not self.is_numeric(name):
                raise DataError(
                    f"{self.path}: column {name!r} is not numeric (read as {self.frame[name].dtype}); "
                    "a text cell in a column of numbers makes the whole column text"
                )

    def numeric(self, names):
        """The columns ``names`` as a float64 Dask array of shape (n_rows, len(names))."""
        names = list(names)
        self._check_numeric(names)
        return self.frame[names].astype("float64").to_dask_array()

    def numeric_frame(self, names):
        """The columns ``names`` as a float64 Dask DataFrame (keeps the names)."""
        names = list(names)
        self._check_numeric(names)
        return self.frame[names].astype("float64")

    def column(self, name):
        """Column ``name`` as a float64 Dask series."""
        self._check_numeric([name])
        return self.frame[name].astype("float64")

    def labels(self, name):
        """Column ``name`` as a Dask series of class labels."""
        return self.frame[name]

    def levels(self, name) -> np.ndarray:
        """The distinct values of column ``name`` in the order the files show them (one pass).

        Whole numbers read as floats are returned as integers, as the in-memory table does.
        """
        import pandas as pd

        def first_seen(part):
            return pd.Series(pd.unique(part), dtype=part.dtype)

        seen = self.frame[name].map_partitions(first_seen, meta=self.frame[name]).compute()
        if seen.isna().any():
            raise DataError(f"{self.path}: column {name!r} has missing labels; pass --drop-missing to "
                            "drop rows with missing values")
        values = pd.unique(seen.to_numpy())
        return _whole_numbers(values)

    def value_counts(self, name) -> tuple:
        """(distinct values sorted, counts) of column ``name``, from one pass."""
        # per-partition counts summed on the client: no shuffle, one small table per partition
        per_part = self.frame[name].map_partitions(
            lambda part: part.value_counts(dropna=False, sort=False), meta=(name, "int64")
        ).compute()
        counts = per_part.groupby(level=0, dropna=False).sum()
        if counts.index.isna().any():
            raise DataError(f"{self.path}: column {name!r} has missing labels; pass --drop-missing to "
                            "drop rows with missing values")
        counts = counts.sort_index()
        return _whole_numbers(counts.index.to_numpy()), counts.to_numpy(dtype=np.int64)


def _whole_numbers(values: np.ndarray) -> np.ndarray:
    if values.dtype.kind == "f" and np.all(np.isfinite(values)) and np.all(values == np.round(values)):
        return values.astype(np.int64)
    return values
