"""Reading tables for the command line: CSV edge cases, Parquet, exit codes and one-line errors.

Conventions checked here (documented in mlfoundations/cli/_data.py): a CSV cell is named by
its line in the file (the header is line 1); a Parquet cell by its row (from 1); missing
values are refused unless --drop-missing; inf is always refused; input path problems and
existing outputs are usage errors (exit 2), unusable content is a data error (exit 1).
"""

import gzip
import json

import numpy as np
import pytest

pytest.importorskip("typer")
pd = pytest.importorskip("pandas")

from mlfoundations.cli._data import DataError, UsageError, read_table  # noqa: E402
from mlfoundations.cli.main import main  # noqa: E402


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# --- structure ------------------------------------------------------------------------------------
def test_bom_and_crlf(tmp_path):
    table = read_table(write(tmp_path, "d.csv", b"\xef\xbb\xbfa,b\r\n1,2\r\n3,4\r\n"))
    assert table.columns == ["a", "b"]
    np.testing.assert_array_equal(table.numeric(["a", "b"]), [[1, 2], [3, 4]])
    np.testing.assert_array_equal(table.positions, [2, 3])


def test_bare_cr_line_endings(tmp_path):
    table = read_table(write(tmp_path, "d.csv", b"a,b\r1,2\r3,4\r"))
    np.testing.assert_array_equal(table.numeric(["a", "b"]), [[1, 2], [3, 4]])


def test_quoted_commas_quotes_and_newlines(tmp_path):
    text = 'x,"name, with comma"\n1,"a ""quoted"" word"\n2,"two\nlines"\n3,z\n4,"y"x\n'
    path = write(tmp_path, "d.csv", text)
    with pytest.raises(DataError, match=r"d.csv: line 6: malformed CSV"):
        read_table(path)
    table = read_table(write(tmp_path, "ok.csv", text.rsplit("4,", 1)[0]))
    assert table.columns == ["x", "name, with comma"]
    assert list(table.labels("name, with comma")) == ['a "quoted" word', "two\nlines", "z"]
    # the record after the two-line field starts on line 5
    np.testing.assert_array_equal(table.positions, [2, 3, 5])


def test_line_numbers_count_blank_lines_and_multiline_records(tmp_path):
    path = write(tmp_path, "d.csv", 'a,b\n\n1,"x\ny"\n\n2,u\nbad,v\n')
    with pytest.raises(DataError, match=r"^.*d.csv: line 7, column 'a': 'bad' is not a number$"):
        read_table(path).numeric(["a"])


@pytest.mark.parametrize(
    "content, message",
    [
        ("a,b\n1,2\n3\n", r"line 3 has 1 field\(s\) but the header \(line 1\) has 2"),
        ("a,b\n1,2\n3,4,5\n", r"line 3 has 3 field\(s\) but the header \(line 1\) has 2"),
        ("a,b\n1,2,\n", r"line 2 has 3 field\(s\)"),
        ("", r"the file is empty; expected a header line"),
        ("\n\n", r"the file is empty"),
        ("a,b\n", r"no data rows after the header \(line 1\)"),
        ("a,b\r\n\r\n", r"no data rows after the header \(line 1\)"),
        ("a,a\n1,2\n", r"line 1: column name 'a' appears twice \(columns 1 and 2\)"),
        ("a, a \n1,2\n", r"column name 'a' appears twice"),
        ("a,,c\n1,2,3\n", r"line 1: column 2 of the header has no name"),
        ('a,b\n1,"2\n3,4\n', r"line 2: a quoted field is not closed before the end of the file"),
    ],
)
def test_structural_errors(tmp_path, content, message):
    with pytest.raises(DataError, match=message):
        read_table(write(tmp_path, "d.csv", content))


# --- cells ----------------------------------------------------------------------------------------
def test_non_numeric_cell_names_line_and_column(tmp_path, capsys):
    path = write(tmp_path, "data.csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\nabc,7\n")
    code, out, err = run(capsys, "pca", path, "--columns", "x,y")
    assert code == 1 and out == ""
    assert one_error_line(err) == (
        f"mlfoundations pca: error: {path}: line 7, column 'x': 'abc' is not a number"
    )


@pytest.mark.parametrize("token", ["nan", "NaN", "NA", "", "null", "N/A", "None"])
def test_missing_values_are_refused_naming_the_cell(tmp_path, token):
    table = read_table(write(tmp_path, "d.csv", f"a,b\n1,2\n{token},3\n4,5\n"))
    shown = "an empty cell" if token == "" else repr(token)
    with pytest.raises(DataError, match=rf"d.csv: line 3, column 'a': missing value \({shown}\); .*--drop-missing"):
        table.complete(["a", "b"], drop_missing=False)
    with pytest.raises(DataError, match=r"line 3, column 'a': missing value"):
        table.numeric(["a"])


def test_drop_missing_drops_rows_with_a_note(tmp_path, capsys):
    path = write(tmp_path, "d.csv", "a,b,c\n1,2,x\nnan,3,y\n4,NA,z\n5,7,\n6,8,w\n")
    table = read_table(path).complete(["a", "b"], drop_missing=True)
    np.testing.assert_array_equal(table.numeric(["a", "b"]), [[1, 2], [5, 7], [6, 8]])
    np.testing.assert_array_equal(table.positions, [2, 5, 6])  # lines of the kept rows
    assert table.notes == ["dropped 2 row(s) with missing values in 'a', 'b'; 3 left"]
    code, out, _ = run(capsys, "pca", path, "--columns", "a,b", "--drop-missing", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["n_samples"] == 3 and doc["notes"][0].startswith("dropped 2 row(s)")


def test_drop_missing_leaving_nothing_is_a_data_error(tmp_path):
    table = read_table(write(tmp_path, "d.csv", "a\nnan\n\nNA\n"))
    with pytest.raises(DataError, match="no rows left after dropping the missing values"):
        table.complete(["a"], drop_missing=True)


@pytest.mark.parametrize("token", ["inf", "-inf", "Infinity", "+INF", "1e999", "-1e400"])
def test_infinite_values_are_refused(tmp_path, token):
    table = read_table(write(tmp_path, "d.csv", f"a\n1\n2\n{token}\n"))
    with pytest.raises(DataError, match=rf"d.csv: line 4, column 'a': '{re_escape(token)}' is not a finite number"):
        table.numeric(["a"])


def re_escape(text):
    import re

    return re.escape(text)


def test_numbers_keep_full_precision_and_whitespace_is_ignored(tmp_path):
    table = read_table(write(tmp_path, "d.csv", "a\n 0.1 \n1e-300\n-2.5E+3\n12345678901234567\n"))
    np.testing.assert_array_equal(table.numeric(["a"])[:, 0], [0.1, 1e-300, -2500.0, 12345678901234567.0])


def test_labels_are_integers_numbers_or_strings(tmp_path):
    table = read_table(write(tmp_path, "d.csv", "i,f,s\n1,0.5,x\n2,1.5,y\n10,2,10\n"))
    assert table.labels("i").dtype == np.int64 and list(table.labels("i")) == [1, 2, 10]
    assert table.labels("f").dtype == np.float64
    assert list(table.labels("s")) == ["x", "y", "10"]


def test_numeric_column_detection_is_by_majority(tmp_path):
    table = read_table(write(tmp_path, "d.csv", "a,b,c\n1,x,1\n2,y,2\n3,z,oops\n"))
    assert table.numeric_columns() == (["a", "c"], ["b"])
    with pytest.raises(DataError, match=r"line 4, column 'c': 'oops' is not a number"):
        table.numeric(["c"])


# --- encodings and binary files -------------------------------------------------------------
def test_non_utf8_bytes_name_line_and_offset(tmp_path, capsys):
    path = write(tmp_path, "latin.csv", b"name,x\nabc,1\ncaf\xe9,2\nxyz,3\n")
    with pytest.raises(DataError, match=r"latin.csv: line 3: byte 0xE9 at offset 16 is not valid utf-8; pass --encoding"):
        read_table(path)
    table = read_table(path, encoding="latin-1")
    assert list(table.labels("name")) == ["abc", "café", "xyz"]
    code, _, err = run(capsys, "ttest", path, "--a", "x", "--b", "x", "--encoding", "no-such-codec")
    assert code == 2 and "--encoding no-such-codec: unknown text encoding" in one_error_line(err)


def test_utf16_with_bom_is_decoded(tmp_path):
    path = write(tmp_path, "d.csv", "a,b\n1,2\n3,4\n".encode("utf-16"))
    np.testing.assert_array_equal(read_table(path).numeric(["a", "b"]), [[1, 2], [3, 4]])


def test_binary_file_named_csv_is_a_data_error(tmp_path, capsys):
    path = write(tmp_path, "data.csv", bytes(range(256)) * 4)
    code, out, err = run(capsys, "pca", path)
    assert code == 1 and out == ""
    assert f"{path}: not a text file (NUL byte at offset 0)" in one_error_line(err)


def test_gzip_csv_and_tsv_are_read(tmp_path):
    csv_gz = write(tmp_path, "d.csv.gz", gzip.compress(b"a,b\n1,2\n3,4\n"))
    np.testing.assert_array_equal(read_table(csv_gz).numeric(["a", "b"]), [[1, 2], [3, 4]])
    tsv = write(tmp_path, "d.tsv.gz", gzip.compress(b"a\tb\n1\t2\n3\t4\n"))
    np.testing.assert_array_equal(read_table(tsv).numeric(["a", "b"]), [[1, 2], [3, 4]])
    with pytest.raises(DataError, match="damaged gzip data"):
        read_table(write(tmp_path, "bad.csv", gzip.compress(b"a\n1\n")[:12]))


# --- paths and Parquet ----------------------------------------------------------------------------
def test_missing_path_and_directory_are_usage_errors(tmp_path, capsys):
    code, out, err = run(capsys, "pca", tmp_path / "nope.csv")
    assert code == 2 and out == "" and one_error_line(err).endswith("nope.csv: no such file")
    code, _, err = run(capsys, "pca", tmp_path)
    assert code == 2 and one_error_line(err).endswith(f"{tmp_path}: is a directory, not a data file")
    with pytest.raises(UsageError):
        read_table(tmp_path)


def test_parquet_gives_the_same_numbers_as_csv(tmp_path):
    frame = pd.DataFrame({"x": [1.5, 2.5, 4.0], "n": [1, 2, 3], "s": ["a", "b", "a"]})
    frame.to_csv(tmp_path / "d.csv", index=False)
    frame.to_parquet(tmp_path / "d.parquet", index=False)
    frame.to_parquet(tmp_path / "parquet_named.csv", index=False)  # the content decides
    tables = [read_table(tmp_path / n) for n in ("d.csv", "d.parquet", "parquet_named.csv")]
    for table in tables:
        np.testing.assert_array_equal(table.numeric(["x", "n"]), frame[["x", "n"]].to_numpy(float))
        assert list(table.labels("s")) == ["a", "b", "a"]
    assert [t.unit for t in tables] == ["line", "row", "row"]


def test_parquet_errors_name_the_row(tmp_path):
    pd.DataFrame({"x": [1.0, np.nan, 3.0], "k": pd.array([1, 2, None], dtype="Int64")}).to_parquet(
        tmp_path / "d.parquet", index=False
    )
    table = read_table(tmp_path / "d.parquet")
    with pytest.raises(DataError, match=r"d.parquet: row 2, column 'x': missing value \(null\)"):
        table.complete(["x"], drop_missing=False)
    with pytest.raises(DataError, match=r"d.parquet: row 3, column 'k': missing value"):
        table.complete(["k"], drop_missing=False)
    pd.DataFrame({"x": [1.0, np.inf]}).to_parquet(tmp_path / "inf.parquet")
    with pytest.raises(DataError, match=r"inf.parquet: row 2, column 'x': inf is not a finite number"):
        read_table(tmp_path / "inf.parquet").numeric(["x"])


def test_truncated_parquet_is_a_data_error(tmp_path):
    pd.DataFrame({"x": np.arange(100.0)}).to_parquet(tmp_path / "d.parquet")
    damaged = write(tmp_path, "bad.parquet", (tmp_path / "d.parquet").read_bytes()[:200])
    with pytest.raises(DataError, match=r"bad.parquet: not a readable Parquet file"):
        read_table(damaged)


# --- outputs --------------------------------------------------------------------------------------
def test_existing_output_needs_force_and_input_is_never_overwritten(tmp_path, capsys):
    path = write(tmp_path, "d.csv", "a,b\n1,2\n2,1\n3,5\n")
    before = path.read_bytes()
    out_path = write(tmp_path, "proj.csv", "old")
    code, _, err = run(capsys, "pca", path, "-k", "1", "--output", out_path)
    assert code == 2 and "already exists; pass --force to overwrite it" in one_error_line(err)
    assert out_path.read_text() == "old"
    code, _, _ = run(capsys, "pca", path, "-k", "1", "--output", out_path, "--force")
    assert code == 0 and out_path.read_text().startswith("PC1\n")
    code, _, err = run(capsys, "pca", path, "-k", "1", "--output", path, "--force")
    assert code == 2 and "is an input file; inputs are never overwritten" in one_error_line(err)
    code, _, err = run(capsys, "pca", path, "--output", tmp_path / "no" / "dir.csv")
    assert code == 2 and "does not exist" in one_error_line(err)
    assert path.read_bytes() == before


# --- errors, warnings and --debug -------------------------------------------------------------
def test_usage_errors_are_one_line_with_status_2(tmp_path, capsys):
    path = write(tmp_path, "d.csv", "a\n1\n2\n")
    for args in (["pca", path, "--no-such-option"], ["pca"], ["pca", path, "-k", "zero"], ["nope"]):
        code, out, err = run(capsys, *args)
        assert code == 2 and out == ""
        assert one_error_line(err).startswith("mlfoundations")


def test_no_arguments_shows_help_with_status_2(capsys):
    code, out, err = run(capsys)
    assert code == 2 and "pca" in out + err and "predict" in out + err


def test_debug_shows_the_traceback(tmp_path, capsys):
    path = write(tmp_path, "d.csv", "a\nx\n1\n2\n")
    code, _, err = run(capsys, "pca", path, "--columns", "a")
    assert code == 1 and "Traceback" not in err
    code, _, err = run(capsys, "--debug", "pca", path, "--columns", "a")
    assert code == 1 and "Traceback" in err
    assert err.strip().splitlines()[-1] == f"mlfoundations pca: error: {path}: line 2, column 'a': 'x' is not a number"


def test_internal_errors_are_one_line_unless_debug(tmp_path, capsys, monkeypatch):
    import mlfoundations.cli._data as data

    def boom(*args, **kwargs):
        raise RuntimeError("kaput")

    monkeypatch.setattr(data, "_parse_csv", boom)
    path = write(tmp_path, "d.csv", "a\n1\n2\n")
    code, _, err = run(capsys, "pca", path)
    assert code == 1
    assert one_error_line(err) == (
        "mlfoundations: internal error: RuntimeError: kaput (run 'mlfoundations --debug ...' for the traceback)"
    )
    code, _, err = run(capsys, "--debug", "pca", path)
    assert code == 1 and "Traceback" in err and "RuntimeError: kaput" in err


def test_library_warnings_are_single_lines(tmp_path, capsys):
    # a constant sample: the t-test warns that its standard error is 0
    path = write(tmp_path, "d.csv", "a,b\n1,2\n1,2\n1,2\n")
    code, out, err = run(capsys, "ttest", path, "--a", "a", "--b", "b", "--json")
    assert code == 0 and json.loads(out)["statistic"] is None  # -inf is not JSON: null
    assert err.startswith("mlfoundations: warning: ") and len(err.strip().splitlines()) == 1
