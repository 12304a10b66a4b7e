"""`--engine dask`: each command on a glob of part files equals the NumPy engine on the whole file.

The data is written once as one CSV, as five CSV parts and as five Parquet parts. One
``LocalCluster(n_workers=2, threads_per_worker=1, processes=False)`` is shared by the
module and reached with ``--scheduler`` (which tests that option too); one test starts
its own cluster with ``--workers 1 --threads``. Tolerance: 1e-10 relative, 1e-13 absolute
for numbers that are zero in exact arithmetic (the parts are summarised block by block
and merged, the in-memory path sums in one go).
"""

import json
import math

import numpy as np
import pytest

pytest.importorskip("typer")
pd = pytest.importorskip("pandas")
distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
pytest.importorskip("dask.dataframe", reason="the dask extra is not installed")

from mlfoundations.cli.main import main  # noqa: E402

RTOL = 1e-10
ATOL = 1e-13  # for numbers that are zero in exact arithmetic (the mean of a standardized column)
N_PARTS = 5


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    rng = np.random.default_rng(9)
    n = 500
    frame = pd.DataFrame({
        "x1": rng.normal(size=n),
        "x2": 3.0 * rng.normal(size=n) + 1.0,
        "k": rng.integers(0, 4, n),
        "g": rng.choice(["ctl", "trt"], n),
    })
    frame["y"] = 1.0 + 2.0 * frame.x1 - 0.5 * frame.x2 + 0.3 * frame.k + rng.normal(size=n)
    frame["c"] = np.where(frame.x1 + rng.normal(size=n) > 0, "yes", "no")
    root = tmp_path_factory.mktemp("dask-engine")
    frame.to_csv(root / "all.csv", index=False)
    bounds = np.linspace(0, n, N_PARTS + 1).astype(int)
    for i, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:])):
        frame.iloc[lo:hi].to_csv(root / f"part-{i}.csv", index=False)
        frame.iloc[lo:hi].to_parquet(root / f"part-{i}.parquet", index=False)
    with_nan = frame.copy()
    with_nan.loc[n - 3, "x2"] = np.nan
    with_nan.iloc[: n // 2].to_csv(root / "nan-0.csv", index=False)
    with_nan.iloc[n // 2:].to_csv(root / "nan-1.csv", index=False)
    return root


@pytest.fixture(scope="module")
def scheduler():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address="127.0.0.1:0"
    )
    yield cluster.scheduler_address
    cluster.close()


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def both(capsys, data, scheduler, pattern, *args):
    """(--json of the Dask engine on the parts, --json of the NumPy engine on all.csv)."""
    code, out, err = run(capsys, *args[:1], data / pattern, *args[1:], "--json",
                         "--engine", "dask", "--scheduler", scheduler)
    assert code == 0 and err == "", err
    dask_doc = json.loads(out)
    code, out, err = run(capsys, *args[:1], data / "all.csv", *args[1:], "--json")
    assert code == 0, err
    return dask_doc, json.loads(out)


def assert_same(a, b, path="doc"):
    """Equal documents: numbers to RTOL, everything else exactly (but the file name)."""
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for key in a:
            if key != "file":
                assert_same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (u, v) in enumerate(zip(a, b)):
            assert_same(u, v, f"{path}[{i}]")
    elif isinstance(a, float) and not isinstance(b, bool):
        assert math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL), (path, a, b)
    else:
        assert a == b, (path, a, b)


def test_pca_csv_parts(capsys, data, scheduler):
    a, b = both(capsys, data, scheduler, "part-*.csv", "pca", "-c", "x1,x2,k,y", "-k", "3")
    assert a["n_samples"] == 500 and a["file"].endswith("part-*.csv")
    assert_same(a, b)


def test_pca_standardized_parquet_parts(capsys, data, scheduler):
    a, b = both(capsys, data, scheduler, "part-*.parquet", "pca", "--standardize")
    assert a["columns"] == ["x1", "x2", "k", "y"]
    assert a["notes"] == ["non-numeric column(s) left out: g, c"]
    assert_same(a, b)


def test_regress_ols_csv_parts(capsys, data, scheduler):
    a, b = both(capsys, data, scheduler, "part-*.csv", "regress", "-y", "y", "-x", "x1,x2,k")
    assert [r["term"] for r in a["coefficients"]] == ["const", "x1", "x2", "k"]
    assert a["n_samples"] == 500
    assert_same(a, b)


def test_regress_ridge_parquet_parts(capsys, data, scheduler):
    a, b = both(capsys, data, scheduler, "part-*.parquet", "regress", "-y", "y", "--ridge", "3")
    assert a["model"] == "ridge" and a["features"] == ["x1", "x2", "k"]
    assert_same(a, b)


@pytest.mark.parametrize("args", [["--value", "y", "--group", "g", "--welch"], ["--a", "x1", "--b", "x2"]])
def test_ttest_csv_parts(capsys, data, scheduler, args):
    a, b = both(capsys, data, scheduler, "part-*.csv", "ttest", *args)
    assert_same(a, b)


def test_info_discrete_features_csv_parts(capsys, data, scheduler):
    a, b = both(capsys, data, scheduler, "part-*.csv", "info", "-y", "c", "-x", "k,g")
    assert [f["kind"] for f in a["features"]] == ["discrete", "discrete"]
    assert a["n_classes"] == 2 and a["n_samples"] == 500
    assert_same(a, b)


def test_own_local_cluster(capsys, data):
    """Without --scheduler the command starts (and closes) a LocalCluster of its own."""
    code, out, err = run(capsys, "regress", data / "part-*.parquet", "-y", "y", "-x", "x1",
                         "--engine", "dask", "--workers", "1", "--threads", "--json")
    assert code == 0 and err == ""
    code, out_numpy, _ = run(capsys, "regress", data / "all.csv", "-y", "y", "-x", "x1", "--json")
    assert_same(json.loads(out), json.loads(out_numpy))


def test_glob_matching_nothing_is_a_usage_error(capsys, data, scheduler):
    code, out, err = run(capsys, "pca", data / "nothing-*.csv", "--engine", "dask", "--scheduler", scheduler)
    assert code == 2 and out == ""
    assert err.strip().endswith("nothing-*.csv: no file matches")


@pytest.mark.parametrize("option", [["--workers", "1"], ["--memory-limit", "1GiB"], ["--threads"]])
def test_scheduler_with_local_cluster_options_is_a_usage_error(capsys, data, option):
    code, _, err = run(capsys, "ttest", data / "part-*.csv", "--a", "x1", "--b", "x2", "--engine", "dask",
                       "--scheduler", "tcp://127.0.0.1:1", *option)
    assert code == 2
    assert f"--scheduler and {option[0]} cannot be used together" in err


def test_dask_options_need_the_dask_engine(capsys, data):
    code, _, err = run(capsys, "pca", data / "all.csv", "--workers", "2")
    assert code == 2 and "--workers needs --engine dask" in err


@pytest.mark.parametrize("option, command", [
    ("--output", ["pca", "--output", "projected.csv"]),
    ("--plot-projection", ["pca", "--plot-projection", "plane.png"]),
    ("--lasso", ["regress", "-y", "y", "--lasso", "0.1"]),
    ("--logistic", ["regress", "-y", "c", "--logistic"]),
    ("--paired", ["ttest", "--a", "x1", "--b", "x2", "--paired"]),
])
def test_options_needing_memory_are_refused(capsys, data, option, command, tmp_path):
    args = [tmp_path / a if a.endswith((".csv", ".png")) else a for a in command[1:]]
    code, out, err = run(capsys, command[0], data / "part-*.csv", *args, "--engine", "dask")
    assert code == 2 and out == ""
    assert f"{option} needs the whole data in memory; it is not available with --engine dask" in err
    assert not (tmp_path / "projected.csv").exists()


def test_continuous_feature_is_refused_in_info(capsys, data, scheduler):
    code, _, err = run(capsys, "info", data / "part-*.csv", "-y", "c", "-x", "x1",
                       "--engine", "dask", "--scheduler", scheduler)
    assert code == 2
    assert "feature 'x1' is continuous: the nearest-neighbour estimate needs every sample in memory" in err


def test_text_column_is_a_data_error(capsys, data, scheduler):
    code, _, err = run(capsys, "regress", data / "part-*.csv", "-y", "y", "-x", "x1,g",
                       "--engine", "dask", "--scheduler", scheduler)
    assert code == 1
    assert "column 'g' is not numeric" in err


def test_missing_value_is_the_library_error_or_dropped(capsys, data, scheduler):
    dask_args = ["--engine", "dask", "--scheduler", scheduler]
    code, _, err = run(capsys, "pca", data / "nan-*.csv", "-c", "x1,x2", *dask_args)
    assert code == 1
    assert "nan-*.csv: PCA: X contains NaN; remove or impute non-finite values" in err
    code, out, err = run(capsys, "pca", data / "nan-*.csv", "-c", "x1,x2", "--drop-missing", "--json",
                         *dask_args)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["n_samples"] == 499
    assert doc["notes"] == ["dropped the rows with missing values in 'x1', 'x2'"]


def test_text_in_a_later_part_is_named(capsys, data, scheduler, tmp_path):
    """pandas infers a column's type from the first part; a text cell further on is named."""
    frame = pd.read_csv(data / "all.csv")
    frame.iloc[:250].to_csv(tmp_path / "late-0.csv", index=False)
    later = frame.iloc[250:].astype({"x2": object})
    later.iloc[3, later.columns.get_loc("x2")] = "abc"
    later.to_csv(tmp_path / "late-1.csv", index=False)
    code, _, err = run(capsys, "regress", tmp_path / "late-*.csv", "-y", "y", "-x", "x1,x2",
                       "--engine", "dask", "--scheduler", scheduler)
    assert code == 1
    assert err.strip().endswith(
        "late-*.csv: column 'x2' is read as float64 from the first rows but holds str values further on "
        "(could not convert string to float: 'abc'); fix the cell, or leave the column out"
    )


def test_numpy_engine_does_not_import_dask(data):
    import subprocess
    import sys

    code = (
        "import sys; from mlfoundations.cli.main import main; "
        f"rc = main(['pca', {str(data / 'all.csv')!r}, '--json']); "
        "assert rc == 0; assert 'dask' not in sys.modules, 'dask imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
