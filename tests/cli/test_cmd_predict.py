"""`mlfoundations predict`: models saved by regress and train predict as in Python."""

import json
import pickle

import numpy as np
import pytest

pytest.importorskip("typer")
pd = pytest.importorskip("pandas")

import mlfoundations  # noqa: E402
from mlfoundations.cli.main import main  # noqa: E402
from mlfoundations.datasets import load_diabetes, load_iris  # noqa: E402
from mlfoundations.models import LogisticRegression, Ridge  # noqa: E402


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("predict")
    d = load_diabetes()
    pd.DataFrame(d.X, columns=d.feature_names).assign(progression=d.y).to_csv(directory / "diabetes.csv", index=False)
    i = load_iris()
    frame = pd.DataFrame(i.X, columns=i.feature_names).assign(species=[i.target_names[k] for k in i.y])
    frame.to_csv(directory / "iris.csv", index=False)
    # new rows, columns in another order, without the target
    frame.iloc[::10, [3, 0, 2, 1]].to_csv(directory / "new_iris.csv", index=False)
    return directory


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_ridge_from_regress(data_dir, tmp_path, capsys):
    model = tmp_path / "ridge.mlf"
    assert run(capsys, "regress", data_dir / "diabetes.csv", "-y", "progression", "-x", "bmi,bp,s5",
               "--ridge", "0.1", "--save", model)[0] == 0
    out_path = tmp_path / "preds.csv"
    code, out, err = run(capsys, "predict", model, data_dir / "diabetes.csv", "--json", "--output", out_path)
    assert code == 0 and err == ""
    doc = json.loads(out)
    d = load_diabetes()
    frame = pd.DataFrame(d.X[:, [2, 3, 8]], columns=["bmi", "bp", "s5"])
    expected = Ridge(alpha=0.1).fit(frame, d.y).predict(frame)
    np.testing.assert_array_equal(doc["predictions"], expected)  # same fit, same numbers
    assert doc["lines"][:3] == [2, 3, 4] and doc["model_class"] == "Ridge"
    written = pd.read_csv(out_path)
    assert list(written.columns) == [*d.feature_names, "progression", "prediction"]
    np.testing.assert_array_equal(written["prediction"], expected)


def test_logistic_with_probabilities(data_dir, tmp_path, capsys):
    model = tmp_path / "logit.mlf"
    assert run(capsys, "regress", data_dir / "iris.csv", "-y", "species", "--logistic", "--save", model)[0] == 0
    code, out, _ = run(capsys, "predict", model, data_dir / "new_iris.csv", "--proba", "--json")
    doc = json.loads(out)
    i = load_iris()
    ref = LogisticRegression(max_iter=1000).fit(pd.DataFrame(i.X, columns=i.feature_names),
                                               np.array(i.target_names)[i.y])
    new = pd.DataFrame(i.X[::10], columns=i.feature_names)
    assert code == 0 and doc["classes"] == ["setosa", "versicolor", "virginica"]
    assert doc["predictions"] == list(ref.predict(new))
    np.testing.assert_allclose(doc["probabilities"], ref.predict_proba(new), rtol=1e-12)
    code, out, _ = run(capsys, "predict", model, data_dir / "new_iris.csv", "--proba", "--limit", "3")
    assert code == 0 and "P(virginica)" in out and "12 more row(s) not shown" in out


def test_mlp_from_train(data_dir, tmp_path, capsys):
    model = tmp_path / "mlp"
    assert run(capsys, "train", data_dir / "iris.csv", "-y", "species", "--hidden", "8", "--epochs", "5",
               "--lr", "0.05", "--save", model)[0] == 0
    code, out, _ = run(capsys, "predict", tmp_path / "mlp.mlf", data_dir / "new_iris.csv", "--json", "--proba")
    doc = json.loads(out)
    loaded = mlfoundations.load(tmp_path / "mlp.mlf")
    new = pd.DataFrame(load_iris().X[::10], columns=load_iris().feature_names)
    assert code == 0 and doc["predictions"] == list(loaded.predict(new))
    np.testing.assert_allclose(np.sum(doc["probabilities"], axis=1), 1.0, rtol=1e-12)


def test_pickle_is_refused_and_never_run(data_dir, tmp_path, capsys):
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    bad = tmp_path / "evil.mlf"
    bad.write_bytes(pickle.dumps(Evil()))
    code, out, err = run(capsys, "predict", bad, data_dir / "iris.csv")
    assert code == 1 and out == "" and "is not an mlfoundations model file" in err
    assert not marker.exists()


@pytest.mark.parametrize(
    "make, code, message",
    [
        (lambda d, t: [t / "none.mlf", d / "iris.csv"], 2, "none.mlf: no such model file"),
        (lambda d, t: [t, d / "iris.csv"], 2, "is a directory, not a model file"),
        (lambda d, t: [t / "ridge.mlf", d / "iris.csv"], 1, "no column 'bmi'"),
        (lambda d, t: [t / "ridge.mlf", d / "diabetes.csv", "--proba"], 2, "gives no class probabilities"),
        (lambda d, t: [t / "ridge.mlf", d / "diabetes.csv", "--output", t / "ridge.mlf", "--force"], 2,
         "is the model file; inputs are never overwritten"),
    ],
)
def test_errors(data_dir, tmp_path, capsys, make, code, message):
    assert run(capsys, "regress", data_dir / "diabetes.csv", "-y", "progression", "-x", "bmi",
               "--save", tmp_path / "ridge.mlf", "--ridge", "1")[0] == 0
    got, out, err = run(capsys, "predict", *make(data_dir, tmp_path))
    assert got == code and out == "" and message in err and len(err.strip().splitlines()) == 1
