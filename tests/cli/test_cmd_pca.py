"""`mlfoundations pca`: the numbers are the library's PCA on the bundled data written as CSV."""

import json
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("typer")
pd = pytest.importorskip("pandas")

from mlfoundations.cli.main import main  # noqa: E402
from mlfoundations.datasets import load_digits, load_iris  # noqa: E402
from mlfoundations.models import PCA  # noqa: E402

RTOL = 1e-12  # the CSV holds every float to round-trip precision, so only summation order differs


@pytest.fixture(scope="module")
def iris_csv(tmp_path_factory):
    data = load_iris()
    frame = pd.DataFrame(data.X, columns=data.feature_names)
    frame["species"] = [data.target_names[k] for k in data.y]
    path = tmp_path_factory.mktemp("pca") / "iris.csv"
    frame.to_csv(path, index=False)
    return path


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_iris_json_matches_the_library(iris_csv, capsys):
    code, out, err = run(capsys, "pca", iris_csv, "--json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    X = load_iris().X
    ref = PCA(n_components=2).fit(X)
    assert doc["n_components"] == 2 and doc["n_samples"] == 150
    assert doc["columns"] == list(load_iris().feature_names)
    np.testing.assert_allclose(doc["explained_variance"], ref.explained_variance_, rtol=RTOL)
    np.testing.assert_allclose(doc["explained_variance_ratio"], ref.explained_variance_ratio_, rtol=RTOL)
    np.testing.assert_allclose(doc["components"], ref.components_, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(doc["mean"], ref.mean_, rtol=RTOL)
    assert doc["notes"] == ["non-numeric column(s) left out: species"]


def test_text_output_shows_the_table(iris_csv, capsys):
    code, out, _ = run(capsys, "pca", iris_csv)
    assert code == 0
    assert "PC1" in out and "92.46" in out and "97.77" in out  # % and cumulative % of variance
    assert "petal_length_cm" in out and "0.8567" in out  # its loading on PC1


def test_variance_fraction_and_standardize(iris_csv, capsys):
    X = load_iris().X
    code, out, _ = run(capsys, "pca", iris_csv, "--variance", "0.99", "--json")
    assert code == 0 and json.loads(out)["n_components"] == PCA(n_components=0.99).fit(X).n_components_ == 3
    code, out, _ = run(capsys, "pca", iris_csv, "--standardize", "-k", "4", "--json")
    Z = (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
    np.testing.assert_allclose(json.loads(out)["explained_variance"], PCA().fit(Z).explained_variance_, rtol=1e-10)
    # on standardized data the eigenvalues of the correlation matrix sum to the number of columns
    assert abs(sum(json.loads(out)["explained_variance"]) - 4) < 1e-12


def test_output_is_the_projection(iris_csv, tmp_path, capsys):
    out_path = tmp_path / "proj.csv"
    code, _, _ = run(capsys, "pca", iris_csv, "-k", "3", "--columns", "sepal_length_cm,petal_length_cm",
                     "--columns", "petal_width_cm", "--output", out_path)
    assert code == 0
    X = load_iris().X[:, [0, 2, 3]]
    written = pd.read_csv(out_path)
    assert list(written.columns) == ["PC1", "PC2", "PC3"]
    np.testing.assert_allclose(written.to_numpy(), PCA(n_components=3).fit_transform(X), rtol=1e-10, atol=1e-12)


def test_plots_are_written(iris_csv, tmp_path, capsys):
    scree, scatter = tmp_path / "scree.png", tmp_path / "scatter.svg"
    code, _, _ = run(capsys, "pca", iris_csv, "-k", "1", "--plot", scree, "--plot-projection", scatter,
                     "--color-by", "species")
    assert code == 0
    assert scree.read_bytes().startswith(b"\x89PNG") and b"<svg" in scatter.read_bytes()[:500]
    code, _, err = run(capsys, "pca", iris_csv, "--plot", tmp_path / "x.txt")
    assert code == 2 and "must end in .png, .svg or .pdf" in err


def test_digits_has_64_columns(tmp_path, capsys):
    data = load_digits()
    path = tmp_path / "digits.csv"
    pd.DataFrame(data.X.astype(int), columns=data.feature_names).assign(digit=data.y).to_csv(path, index=False)
    code, out, _ = run(capsys, "pca", path, "--columns", ",".join(data.feature_names), "-k", "10", "--json")
    doc = json.loads(out)
    assert code == 0 and len(doc["columns"]) == 64
    ref = PCA(n_components=10).fit(data.X)
    np.testing.assert_allclose(doc["explained_variance"], ref.explained_variance_, rtol=1e-9)


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["-k", "2", "--variance", "0.5"], 2, "-k and --variance cannot be used together"),
        (["--variance", "1.5"], 2, "--variance 1.5: must lie strictly between 0 and 1"),
        (["-k", "0"], 2, "Invalid value for '-k'"),
        (["-k", "9"], 1, "n_components=9 must be between 1 and"),
        (["--columns", "nope"], 1, "no column 'nope' (given by --columns)"),
        (["--columns", "species"], 1, "line 2, column 'species': 'setosa' is not a number"),
        (["--color-by", "species"], 2, "--color-by needs --plot-projection"),
    ],
)
def test_errors(iris_csv, capsys, args, code, message):
    got, out, err = run(capsys, "pca", iris_csv, *args)
    assert got == code and out == "" and message in err and len(err.strip().splitlines()) == 1


def test_python_dash_m_pca(iris_csv):
    proc = subprocess.run([sys.executable, "-m", "mlfoundations", "pca", str(iris_csv), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["n_components"] == 2
