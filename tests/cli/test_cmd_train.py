"""`mlfoundations train`: an MLP on standardized features; reproducible, saved with what predict needs."""

import json

import numpy as np
import pytest

pytest.importorskip("typer")
pd = pytest.importorskip("pandas")

import mlfoundations  # noqa: E402
from mlfoundations.models.mlp import MLPClassifier  # noqa: E402
from mlfoundations.cli.main import main  # noqa: E402
from mlfoundations.datasets import load_digits, load_iris  # noqa: E402


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("train")
    g = load_digits()
    pd.DataFrame(g.X.astype(int), columns=g.feature_names).assign(digit=g.y).to_csv(directory / "digits.csv", index=False)
    i = load_iris()
    frame = pd.DataFrame(i.X, columns=i.feature_names).assign(species=[i.target_names[k] for k in i.y])
    frame.to_csv(directory / "iris.csv", index=False)
    return directory


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_digits_mlp_learns_and_matches_the_estimator(data_dir, tmp_path, capsys):
    model_path = tmp_path / "digits.mlf"
    code, out, err = run(capsys, "train", data_dir / "digits.csv", "--target", "digit", "--hidden", "32",
                         "--epochs", "4", "--batch-size", "64", "--lr", "0.01", "--validation", "0.25",
                         "--save", model_path, "--json")
    assert code == 0 and err == ""  # no progress bar when not on a terminal
    doc = json.loads(out)
    assert doc["classes"] == list(range(10)) and doc["hidden"] == [32] and doc["n_parameters"] == 64 * 32 + 32 + 32 * 10 + 10
    assert len(doc["loss"]) == 4 and doc["loss"][-1] < doc["loss"][0]
    assert doc["accuracy"][-1] > 0.9 and doc["validation_accuracy"][-1] > 0.9
    # the same estimator, fitted in Python, gives the same curves bit for bit
    X, y = load_digits()
    ref = MLPClassifier(hidden=(32,), epochs=4, batch_size=64, lr=0.01, validation_fraction=0.25, seed=0)
    ref.fit(pd.DataFrame(X, columns=load_digits().feature_names), y)
    np.testing.assert_array_equal(doc["loss"], ref.loss_curve_)
    np.testing.assert_array_equal(doc["validation_accuracy"], ref.validation_accuracy_curve_)
    # the saved model carries the standardization and the labels
    loaded = mlfoundations.load(model_path)
    frame = pd.DataFrame(X, columns=load_digits().feature_names)
    np.testing.assert_array_equal(loaded.mean_, X[_train_rows(len(y), 0.25)].mean(axis=0))
    np.testing.assert_array_equal(loaded.predict(frame), ref.predict(frame))


def _train_rows(n, fraction, seed=0):
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    mask = np.zeros(n, dtype=bool)
    mask[order[int(round(fraction * n)):]] = True
    return mask


def test_text_output_text_labels_and_plot(data_dir, tmp_path, capsys):
    plot = tmp_path / "curves.png"
    code, out, _ = run(capsys, "train", data_dir / "iris.csv", "-y", "species", "--hidden", "8,8", "--epochs", "3",
                       "--optimizer", "sgd", "--plot", plot)
    assert code == 0 and plot.read_bytes().startswith(b"\x89PNG")
    assert "4 → 8 → 8 → 3" in out and "setosa, versicolor, virginica" in out and "sgd" in out
    assert out.count("\n│ ") >= 3 + 4  # three epochs in the table


def test_seed_makes_it_reproducible(data_dir, capsys):
    args = ["train", data_dir / "iris.csv", "-y", "species", "--hidden", "4", "--epochs", "2", "--json",
            "--optimizer", "rmsprop"]
    first = json.loads(run(capsys, *args)[1])["loss"]
    assert json.loads(run(capsys, *args)[1])["loss"] == first
    assert json.loads(run(capsys, *args, "--seed", "1")[1])["loss"] != first


def test_no_hidden_layer_is_softmax_regression(data_dir, capsys):
    code, out, _ = run(capsys, "train", data_dir / "iris.csv", "-y", "species", "--hidden", "", "--epochs", "1", "--json")
    assert code == 0 and json.loads(out)["n_parameters"] == 4 * 3 + 3


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--hidden", "12,x"], 2, "--hidden '12,x': expected comma-separated positive integers"),
        (["--hidden", "0"], 2, "every width must be at least 1"),
        (["--epochs", "0"], 2, "Invalid value for '--epochs'"),
        (["--optimizer", "lbfgs"], 2, "Invalid value for '--optimizer'"),
        (["--validation", "1"], 2, "--validation 1: must lie in [0, 1)"),
        (["-x", "sepal_length_cm,species"], 2, "column 'species' is also the target"),
    ],
)
def test_errors(data_dir, capsys, args, code, message):
    got, out, err = run(capsys, "train", data_dir / "iris.csv", "-y", "species", *args)
    assert got == code and out == "" and message in err and len(err.strip().splitlines()) == 1


def test_single_class_is_a_data_error(tmp_path, capsys):
    path = tmp_path / "one.csv"
    path.write_text("x,y\n1,a\n2,a\n")
    code, _, err = run(capsys, "train", path, "-y", "y", "--epochs", "1")
    assert code == 1 and "the target has a single class ('a')" in err
