"""`mlfoundations ttest`: Student's, Welch's and the paired test equal mlfoundations.stats."""

import json

import numpy as np
import pytest

pytest.importorskip("typer")
pd = pytest.importorskip("pandas")

from mlfoundations.cli.main import main  # noqa: E402
from mlfoundations.datasets import load_iris  # noqa: E402
from mlfoundations.stats import ttest_ind, ttest_rel  # noqa: E402

RTOL = 1e-12


@pytest.fixture(scope="module")
def iris(tmp_path_factory):
    data = load_iris()
    frame = pd.DataFrame(data.X, columns=data.feature_names)
    frame["species"] = [data.target_names[k] for k in data.y]
    directory = tmp_path_factory.mktemp("ttest")
    frame.to_csv(directory / "iris.csv", index=False)
    # versicolor first in the file: it is sample a
    two = pd.concat([frame[frame.species == "versicolor"], frame[frame.species == "virginica"]])
    two.to_csv(directory / "two.csv", index=False)
    return directory, frame


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def check(doc, ref, confidence=0.95):
    for key, value in [("statistic", ref.statistic), ("pvalue", ref.pvalue), ("df", ref.df),
                       ("estimate", ref.estimate), ("effect_size", ref.effect_size)]:
        np.testing.assert_allclose(doc[key], value, rtol=RTOL, err_msg=key)
    # JSON has no infinity: the open end of a one-sided interval is null
    low, high = (np.inf * sign if v is None else v for v, sign in ((doc["ci_low"], -1), (doc["ci_high"], 1)))
    np.testing.assert_allclose([low, high], list(ref.confidence_interval(confidence)), rtol=RTOL)


@pytest.mark.parametrize("welch", [False, True])
def test_group_split(iris, capsys, welch):
    directory, frame = iris
    args = ["ttest", directory / "two.csv", "--value", "sepal_length_cm", "--group", "species", "--json"]
    code, out, err = run(capsys, *args, *(["--welch"] if welch else []))
    assert code == 0 and err == ""
    doc = json.loads(out)
    a = frame.sepal_length_cm[frame.species == "versicolor"].to_numpy()
    b = frame.sepal_length_cm[frame.species == "virginica"].to_numpy()
    check(doc, ttest_ind(a, b, equal_var=not welch))
    assert doc["a"]["name"] == "species = versicolor" and doc["a"]["n"] == 50
    assert doc["test"] == ("Welch's two-sample t-test" if welch else "Student's two-sample t-test")


def test_paired_columns_and_confidence(iris, capsys):
    directory, frame = iris
    code, out, _ = run(capsys, "ttest", directory / "iris.csv", "--a", "sepal_length_cm", "--b", "petal_length_cm",
                       "--paired", "--confidence", "0.99", "--alternative", "greater", "--json")
    assert code == 0
    ref = ttest_rel(frame.sepal_length_cm, frame.petal_length_cm, alternative="greater")
    check(json.loads(out), ref, confidence=0.99)
    assert json.loads(out)["ci_high"] is None  # a one-sided interval's infinite end is null


def test_text_output(iris, capsys):
    directory, _ = iris
    code, out, _ = run(capsys, "ttest", directory / "two.csv", "--value", "petal_width_cm", "--group", "species")
    assert code == 0
    for text in ("Student's two-sample t-test (two-sided)", "p-value", "95% CI", "Cohen's d", "species = virginica"):
        assert text in out, text


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--value", "sepal_length_cm", "--group", "species"], 1,
         "column 'species' has 3 level(s) ('setosa', 'versicolor', 'virginica'); ttest --group needs exactly 2"),
        (["--value", "sepal_length_cm"], 2, "--value and --group go together"),
        ([], 2, "give either --value and --group, or --a and --b"),
        (["--a", "sepal_length_cm", "--b", "petal_length_cm", "--welch", "--paired"], 2,
         "--welch and --paired cannot be used together"),
        (["--value", "sepal_length_cm", "--group", "species", "--paired"], 2, "--paired needs --a and --b"),
        (["--a", "species", "--b", "petal_length_cm"], 1, "line 2, column 'species': 'setosa' is not a number"),
        (["--a", "x", "--b", "y", "--alternative", "both"], 2, "Invalid value for '--alternative'"),
    ],
)
def test_errors(iris, capsys, args, code, message):
    directory, _ = iris
    got, out, err = run(capsys, "ttest", directory / "iris.csv", *args)
    assert got == code and out == "" and message in err and len(err.strip().splitlines()) == 1


def test_single_level_group(tmp_path, capsys):
    path = tmp_path / "one.csv"
    path.write_text("v,g\n1,a\n2,a\n3,a\n")
    code, _, err = run(capsys, "ttest", path, "--value", "v", "--group", "g")
    assert code == 1 and "column 'g' has 1 level(s) ('a'); ttest --group needs exactly 2" in err
