"""Reading and checking the tables the commands analyse: CSV or Parquet in, clear errors out.

Rules, in one place (the README's "Command line" section repeats them):

* The format is read from the content, not the name: a file beginning with the
  Parquet magic ``PAR1`` is Parquet, gzip data (``1f 8b``) is gzip-compressed CSV,
  anything else is CSV text (comma-separated; tab-separated when the name ends in
  ``.tsv`` or ``.tab``).
* CSV text is UTF-8 (a byte-order mark is dropped; a UTF-16 BOM switches to UTF-16)
  unless ``--encoding`` names another codec. Line endings may be LF, CRLF or CR;
  quoted fields may hold commas, quotes (doubled) and newlines. Blank lines are skipped.
* The first line is the header: every column needs a non-empty, unique name.
* Where: a CSV cell is named by its **line** in the file as an editor numbers it
  (the header is line 1, the first data row usually line 2); a Parquet cell by its
  **row**, counting data rows from 1.
* Missing values (an empty cell or ``NA``, ``N/A``, ``NaN``, ``nan``, ``null``,
  ``None``, ``<NA>``, ``#N/A``, any case) are refused with an error naming the line
  and column, unless the command is given ``--drop-missing``: then every row with a
  missing value in a column the command uses is dropped and a note says how many.
  Infinite values (``inf``, ``-Infinity``, ``1e999`` ...) are always refused.
* A column is numeric when most of its non-missing cells are numbers; a cell of a
  numeric column that is not a number is an error naming its line and column.

Errors are :class:`DataError` (exit status 1: the data cannot be used) or
:class:`UsageError` (exit status 2: the command line is wrong, including an input
path that is missing or a directory, or an output path that exists without ``--force``).
Both carry one line of text that names the file and, where there is one, the line
or row and the column.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = [
    "CLIError",
    "DataError",
    "UsageError",
    "Table",
    "read_table",
    "check_input_path",
    "check_output_path",
    "write_table",
    "MISSING_TOKENS",
]

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "-nan", "null", "none", "<na>", "#n/a", "#na"})
_PARQUET_MAGIC = b"PAR1"
_GZIP_MAGIC = b"\x1f\x8b"


class CLIError(Exception):
    """An error the command line reports in one line, with its exit status."""

    exit_code = 1


class DataError(CLIError):
    """The input data cannot be used as asked (exit status 1)."""

    exit_code = 1


class UsageError(CLIError):
    """The command line itself is wrong (exit status 2)."""

    exit_code = 2


# --- paths ------------------------------------------------------------------------------------
def check_input_path(path) -> Path:
    """The input ``path`` as a Path; UsageError if it is missing, a directory or unreadable."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if path.is_dir():
        raise UsageError(f"{path}: is a directory, not a data file")
    if not path.is_file():
        raise UsageError(f"{path}: is not a regular file")
    return path


def check_output_path(path, *, force: bool, inputs=(), option: str = "--output") -> Path:
    """Check that ``path`` may be written: not an input, not existing unless ``force``.

    Called before any work is done, so a long computation never ends in a refusal.
    """
    path = Path(path)
    for source in inputs:
        source = Path(source)
        if source.exists() and path.exists() and path.resolve() == source.resolve():
            raise UsageError(f"{option} {path}: is an input file; inputs are never overwritten")
    if path.is_dir():
        raise UsageError(f"{option} {path}: is a directory")
    if path.exists() and not force:
        raise UsageError(f"{option} {path}: already exists; pass --force to overwrite it")
    if not path.parent.is_dir():
        raise UsageError(f"{option} {path}: directory {path.parent} does not exist")
    return path


def write_table(frame, path: Path) -> None:
    """Write a DataFrame as Parquet (``.parquet``/``.pq``) or CSV (anything else)."""
    if path.suffix.lower() in (".parquet", ".pq"):
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False, lineterminator="\n")


# --- the table ----------------------------------------------------------------------------------
@dataclass
class Table:
    """A data table and where each of its rows came from.

    Attributes
    ----------
    path : Path
        The file it was read from (named in every error).
    frame : pandas.DataFrame
        The cells: strings for CSV, typed columns for Parquet.
    positions : (n_rows,) ndarray of int
        The line (CSV) or row (Parquet) number of each row, for messages.
    unit : {"line", "row"}
        What ``positions`` count.
    notes : list of str
        Remarks for the user (dropped rows ...).
    """

    path: Path
    frame: object
    positions: np.ndarray
    unit: str
    notes: list = field(default_factory=list)
    _parsed: dict = field(default_factory=dict, repr=False)  # column -> _cells(column)

    @property
    def columns(self) -> list:
        return list(self.frame.columns)

    @property
    def n_rows(self) -> int:
        return len(self.frame)

    def where(self, i: int, column=None) -> str:
        """'data.csv: line 7, column 'x'' for row index ``i``."""
        place = f"{self.path}: {self.unit} {int(self.positions[i])}"
        return place if column is None else f"{place}, column {column!r}"

    # -- columns --------------------------------------------------------------------------------
    def require(self, names, *, option: str) -> list:
        """Check that every name is a column (DataError otherwise) and return them as a list."""
        names = list(names)
        for name in names:
            if name not in self.frame.columns:
                raise DataError(
                    f"{self.path}: no column {name!r} (given by {option}); "
                    f"the columns are {_listing(self.columns)}"
                )
        seen = set()
        for name in names:
            if name in seen:
                raise UsageError(f"{option}: column {name!r} is named twice")
            seen.add(name)
        return names

    def is_numeric(self, name) -> bool:
        """Whether most non-missing cells of column ``name`` are numbers."""
        text, values = self._cells(name)
        if text is None:
            return values is not None
        present = ~self.missing_mask(name)
        n_present = int(np.count_nonzero(present))
        return n_present > 0 and np.count_nonzero(~np.isnan(values[present])) * 2 > n_present

    def numeric_columns(self, exclude=()) -> tuple:
        """(numeric column names, other column names), ``exclude`` left out of both."""
        numeric, other = [], []
        for name in self.columns:
            if name in exclude:
                continue
            (numeric if self.is_numeric(name) else other).append(name)
        return numeric, other

    # -- rows -----------------------------------------------------------------------------------
    def _cells(self, name) -> tuple:
        """(stripped text, or None for a typed column; float64 values, NaN where a cell is
        missing or not a number, or None for a date/time column), parsed once per column."""
        if name not in self._parsed:
            series = self.frame[name]
            kind = series.dtype.kind
            if kind in "biuf":
                self._parsed[name] = (None, series.to_numpy(dtype=np.float64, na_value=np.nan))
            elif kind in "mM":
                self._parsed[name] = (None, None)
            else:
                text = _text(series)
                self._parsed[name] = (text, _to_numeric(text))
        return self._parsed[name]

    def missing_mask(self, name) -> np.ndarray:
        """True where column ``name`` has no value (NaN, None or a missing-value token)."""
        mask = self.frame[name].isna().to_numpy(dtype=bool)
        text, _ = self._cells(name)
        if text is not None:
            mask = mask | text.str.lower().isin(MISSING_TOKENS).to_numpy(dtype=bool)
        return mask

    def complete(self, names, *, drop_missing: bool) -> "Table":
        """This table restricted to rows with a value in every column of ``names``.

        Without ``drop_missing`` the first missing cell is a DataError naming it; with
        it, the incomplete rows are dropped and a note says how many.
        """
        if not names:
            return self
        missing = np.zeros(self.n_rows, dtype=bool)
        for name in names:
            col_missing = self.missing_mask(name)
            if col_missing.any() and not drop_missing:
                i = int(np.argmax(col_missing))
                cell = _text(self.frame[name].iloc[i:i + 1]).iloc[0]
                raise _missing_value(self.where(i, name), cell, self.unit)
            missing |= col_missing
        if not missing.any():
            return self
        keep = ~missing
        notes = self.notes + [
            f"dropped {int(missing.sum())} row(s) with missing values in "
            f"{_listing(names)}; {int(keep.sum())} left"
        ]
        parsed = {
            name: (None if text is None else text[keep].reset_index(drop=True),
                   None if values is None else values[keep])
            for name, (text, values) in self._parsed.items()
        }
        table = Table(self.path, self.frame[keep].reset_index(drop=True), self.positions[keep],
                      self.unit, notes, parsed)
        if table.n_rows == 0:
            raise DataError(f"{self.path}: no rows left after dropping the missing values")
        return table

    # -- values ---------------------------------------------------------------------------------
    def numeric(self, names) -> np.ndarray:
        """The columns ``names`` as a float64 (n_rows, len(names)) matrix, finite.

        Raises DataError at the first cell that is missing, not a number or infinite.
        """
        out = np.empty((self.n_rows, len(names)), dtype=np.float64)
        for j, name in enumerate(names):
            out[:, j] = self._numeric_column(name)
        return out

    def _numeric_column(self, name) -> np.ndarray:
        raw, values = self._cells(name)
        if values is None:
            raise DataError(f"{self.path}: column {name!r} holds dates or times, not numbers")
        bad = ~np.isfinite(values)
        if bad.any():
            i = int(np.argmax(bad))
            cell = None if raw is None else raw.iloc[i]
            if np.isnan(values[i]):
                if cell is None or cell.lower() in MISSING_TOKENS:
                    raise _missing_value(self.where(i, name), cell, self.unit)
                raise DataError(f"{self.where(i, name)}: {cell!r} is not a number")
            shown = repr(cell) if cell is not None else repr(float(values[i]))
            raise DataError(f"{self.where(i, name)}: {shown} is not a finite number")
        return values

    def labels(self, name) -> np.ndarray:
        """Column ``name`` as class labels: int64 if every label is an integer, float64 if
        every label is a number, else str. Missing labels are a DataError."""
        mask = self.missing_mask(name)
        if mask.any():
            i = int(np.argmax(mask))
            raise DataError(f"{self.where(i, name)}: missing label; fill it in, or pass "
                            "--drop-missing to drop rows with missing values")
        series = self.frame[name]
        if series.dtype.kind in "biu":
            return series.to_numpy(dtype=np.int64)
        text, values = self._cells(name)
        if values is None or (text is not None and np.isnan(values).any()):
            return (text if text is not None else series.astype(str)).to_numpy(dtype=str)
        if np.all(np.isfinite(values)) and np.all(values == np.round(values)) and (
            np.abs(values).max(initial=0.0) < 2**53
        ):
            return values.astype(np.int64)
        if not np.all(np.isfinite(values)):
            i = int(np.argmax(~np.isfinite(values)))
            raise DataError(f"{self.where(i, name)}: label is not a finite number")
        return values


def _missing_value(where: str, cell, unit: str) -> DataError:
    shown = repr(cell) if cell else ("an empty cell" if unit == "line" else "null")
    return DataError(f"{where}: missing value ({shown}); fill it in, or pass --drop-missing to "
                     "drop rows with missing values")


def _to_numeric(text) -> np.ndarray:
    import pandas as pd

    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def _text(series):
    """The cells of ``series`` as stripped strings (object dtype), missing ones as ''."""
    return series.astype(object).where(series.notna(), "").astype(str).str.strip()


def _listing(names, limit: int = 12) -> str:
    shown = ", ".join(repr(n) for n in list(names)[:limit])
    return shown + (f", ... ({len(names)} in all)" if len(names) > limit else "")


# --- reading --------------------------------------------------------------------------------
def read_table(path, *, encoding: str | None = None) -> Table:
    """Read a CSV or Parquet file into a :class:`Table`, checking its structure.

    Parameters
    ----------
    path : str or Path
        The file. Parquet is recognised by its magic number, gzip by its own.
    encoding : str or None
        Text encoding of a CSV file; None means UTF-8 (with or without a BOM).

    Raises
    ------
    UsageError
        The path is missing or a directory, or ``encoding`` is not a known codec.
    DataError
        The content is not a usable table (see the module docstring).
    """
    path = check_input_path(path)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(f"--encoding {encoding}: unknown text encoding") from None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if data.startswith(_PARQUET_MAGIC):
        return _read_parquet(path)
    if data.startswith(_GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataError(f"{path}: damaged gzip data ({exc})") from None
    text = _decode(path, data, encoding)
    delimiter = "\t" if _base_suffix(path) in (".tsv", ".tab") else ","
    return _parse_csv(path, text, delimiter)


def _base_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    if encoding is None:
        if data.startswith(codecs.BOM_UTF8):
            data, offset = data[3:], 3
            encoding = "utf-8"
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding, offset = "utf-16", 0
        else:
            encoding, offset = "utf-8", 0
        nul = data.find(b"\x00")
        if nul >= 0 and encoding == "utf-8":
            raise DataError(
                f"{path}: not a text file (NUL byte at offset {nul + offset}); expected CSV "
                "text or a Parquet file"
            )
    else:
        offset = 0
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        hint = (
            "pass --encoding with the file's encoding (e.g. --encoding latin-1)"
            if encoding.replace("_", "-").lower() in ("utf-8", "utf8")
            else "check --encoding"
        )
        raise DataError(
            f"{path}: line {line}: byte 0x{byte:02X} at offset {exc.start + offset} is not "
            f"valid {encoding}; {hint}"
        ) from None
    return text.lstrip("\ufeff") if encoding.lower().startswith("utf") else text


def _parse_csv(path: Path, text: str, delimiter: str) -> Table:
    import pandas as pd

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header, header_line = None, 0
    records, starts = [], []
    previous_end = 0
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not record:  # a blank line
                continue
            if header is None:
                header, header_line = record, start
                continue
            if len(record) != len(header):
                raise DataError(
                    f"{path}: line {start} has {len(record)} field(s) but the header "
                    f"(line {header_line}) has {len(header)}"
                    + (" (a quoted field may be missing its closing quote)"
                       if reader.line_num > start else "")
                )
            records.append(record)
            starts.append(start)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise DataError(
                f"{path}: line {previous_end + 1}: a quoted field is not closed before the end of the file"
            ) from None
        raise DataError(f"{path}: line {reader.line_num}: malformed CSV ({exc})") from None
    if header is None:
        raise DataError(f"{path}: the file is empty; expected a header line with column names")
    names = [name.strip() for name in header]
    _check_names(path, names, f"line {header_line}")
    if not records:
        raise DataError(f"{path}: no data rows after the header (line {header_line})")
    frame = pd.DataFrame(records, columns=names, dtype=object)
    return Table(path, frame, np.asarray(starts, dtype=np.int64), "line")


def _check_names(path: Path, names: list, where: str) -> None:
    first = {}
    for j, name in enumerate(names, start=1):
        if name == "":
            raise DataError(f"{path}: {where}: column {j} of the header has no name")
        if name in first:
            raise DataError(
                f"{path}: {where}: column name {name!r} appears twice (columns {first[name]} "
                f"and {j})"
            )
        first[name] = j


def _read_parquet(path: Path) -> Table:
    import pyarrow
    import pyarrow.parquet as pq

    try:
        arrow = pq.read_table(path)
    except (pyarrow.ArrowException, OSError, ValueError) as exc:
        raise DataError(f"{path}: not a readable Parquet file ({exc})") from None
    if arrow.num_columns == 0:
        raise DataError(f"{path}: the Parquet file has no columns")
    try:
        frame = arrow.to_pandas().reset_index(drop=True)
    except (pyarrow.ArrowException, ValueError) as exc:
        raise DataError(f"{path}: the Parquet data cannot be converted to a table ({exc})") from None
    names = [str(name).strip() for name in frame.columns]
    _check_names(path, names, "Parquet schema")
    frame.columns = names
    if len(frame) == 0:
        raise DataError(f"{path}: the Parquet file has no rows")
    return Table(path, frame, np.arange(1, len(frame) + 1, dtype=np.int64), "row")
