"""`mlfoundations info`: entropy of the target and mutual information from mlfoundations.information."""

import json

import numpy as np
import pytest

pytest.importorskip("typer")
pd = pytest.importorskip("pandas")

from mlfoundations.cli.main import main  # noqa: E402
from mlfoundations.datasets import load_diabetes, load_digits, load_iris  # noqa: E402
from mlfoundations.information import mutual_info_classif, mutual_info_regression  # noqa: E402

RTOL = 1e-12


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("info")
    i = load_iris()
    frame = pd.DataFrame(i.X, columns=i.feature_names).assign(species=[i.target_names[k] for k in i.y])
    frame.to_csv(directory / "iris.csv", index=False)
    g = load_digits()
    pd.DataFrame(g.X.astype(int), columns=g.feature_names).assign(digit=g.y).to_csv(directory / "digits.csv", index=False)
    d = load_diabetes()
    pd.DataFrame(d.X, columns=d.feature_names).assign(progression=d.y).to_csv(directory / "diabetes.csv", index=False)
    return directory


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_iris_entropy_and_continuous_features(data_dir, capsys):
    code, out, err = run(capsys, "info", data_dir / "iris.csv", "--target", "species", "--json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert doc["n_classes"] == 3 and abs(doc["entropy"] - np.log2(3)) < 1e-15  # 50 of each species
    X, y = load_iris()
    mi = mutual_info_classif(X, y, discrete_features=False, base=2, rng=0)
    got = {f["name"]: f["mutual_information"] for f in doc["features"]}
    np.testing.assert_allclose([got[n] for n in load_iris().feature_names], mi, rtol=RTOL)
    assert [f["mutual_information"] for f in doc["features"]] == sorted(mi, reverse=True)
    assert {f["kind"] for f in doc["features"]} == {"continuous"}
    assert doc["features"][0]["name"] == "petal_length_cm"
    np.testing.assert_allclose(doc["features"][0]["share_of_entropy"], mi.max() / np.log2(3), rtol=RTOL)


def test_digits_pixels_are_discrete(data_dir, capsys):
    code, out, _ = run(capsys, "info", data_dir / "digits.csv", "-y", "digit", "--unit", "nats", "--json")
    doc = json.loads(out)
    X, y = load_digits()
    mi = mutual_info_classif(X.astype(int), y, discrete_features=True, base=np.e)
    got = {f["name"]: f["mutual_information"] for f in doc["features"]}
    assert code == 0 and {f["kind"] for f in doc["features"]} == {"discrete"}
    np.testing.assert_allclose([got[n] for n in load_digits().feature_names], mi, rtol=RTOL)
    counts = np.bincount(y)
    p = counts / counts.sum()
    np.testing.assert_allclose(doc["entropy"], -(p * np.log(p)).sum(), rtol=1e-14)


def test_overrides_and_text_output(data_dir, capsys):
    code, out, _ = run(capsys, "info", data_dir / "iris.csv", "-y", "species", "-x", "petal_width_cm,sepal_width_cm",
                       "--discrete", "petal_width_cm")
    assert code == 0
    assert "H(species)" in out and "1.5850 bits" in out and "discrete" in out and "continuous" in out
    X, y = load_iris()
    mi = mutual_info_classif(X[:, [3, 1]], y, discrete_features=[True, False], base=2, rng=0)
    assert f"{mi[0]:.4f}" in out and f"{mi[1]:.4f}" in out


def test_continuous_target(data_dir, capsys):
    code, out, _ = run(capsys, "info", data_dir / "diabetes.csv", "-y", "progression", "--seed", "3", "--json")
    doc = json.loads(out)
    X, y = load_diabetes()
    mi = mutual_info_regression(X, y, discrete_features=False, base=2, rng=3)
    got = {f["name"]: f["mutual_information"] for f in doc["features"]}
    assert code == 0 and doc["target_kind"] == "continuous" and doc["entropy"] is None
    np.testing.assert_allclose([got[n] for n in load_diabetes().feature_names], mi, rtol=RTOL)
    assert "no entropy from frequencies" in doc["notes"][0]


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--target", "nope"], 1, "no column 'nope' (given by --target)"),
        (["-y", "species", "--discrete", "sepal_width_cm", "--continuous", "sepal_width_cm"], 2,
         "column 'sepal_width_cm' is given to both --discrete and --continuous"),
        (["-y", "species", "-x", "species"], 2, "--features: column 'species' is also the target"),
        (["-y", "species", "--neighbors", "0"], 2, "Invalid value for '--neighbors'"),
    ],
)
def test_errors(data_dir, capsys, args, code, message):
    got, out, err = run(capsys, "info", data_dir / "iris.csv", *args)
    assert got == code and out == "" and message in err and len(err.strip().splitlines()) == 1
