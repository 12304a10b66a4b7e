"""`mlfoundations regress`: OLS inference, ridge, lasso and logistic fits equal the library's."""

import json

import numpy as np
import pytest

pytest.importorskip("typer")
pd = pytest.importorskip("pandas")

import mlfoundations  # noqa: E402
from mlfoundations.cli.main import main  # noqa: E402
from mlfoundations.datasets import load_diabetes, load_iris  # noqa: E402
from mlfoundations.models import Lasso, LinearRegression, LogisticRegression, Ridge  # noqa: E402

RTOL = 1e-10  # same algorithm on the same (round-tripped) numbers


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("regress")
    d = load_diabetes()
    pd.DataFrame(d.X, columns=d.feature_names).assign(progression=d.y).to_csv(directory / "diabetes.csv", index=False)
    i = load_iris()
    frame = pd.DataFrame(i.X, columns=i.feature_names).assign(species=[i.target_names[k] for k in i.y])
    frame.to_csv(directory / "iris.csv", index=False)
    return directory


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_ols_summary_matches_results(data_dir, capsys):
    code, out, err = run(capsys, "regress", data_dir / "diabetes.csv", "--target", "progression", "--json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    X, y = load_diabetes()
    res = LinearRegression().fit(pd.DataFrame(X, columns=load_diabetes().feature_names), y).results_
    rows = doc["coefficients"]
    assert [r["term"] for r in rows] == ["const", *load_diabetes().feature_names]
    for key, ref in [("coef", res.params), ("std_err", res.bse), ("t", res.tvalues), ("p", res.pvalues)]:
        np.testing.assert_allclose([r[key] for r in rows], ref, rtol=RTOL, err_msg=key)
    ci = res.conf_int(0.05)
    np.testing.assert_allclose([[r["ci_low"], r["ci_high"]] for r in rows], ci, rtol=RTOL)
    for key, ref in [("r_squared", res.rsquared), ("adj_r_squared", res.rsquared_adj), ("f_statistic", res.fvalue),
                     ("f_pvalue", res.f_pvalue), ("aic", res.aic), ("bic", res.bic)]:
        np.testing.assert_allclose(doc[key], ref, rtol=RTOL, err_msg=key)
    assert doc["df_model"] == 10 and doc["df_resid"] == 431 and doc["n_samples"] == 442


def test_ols_text_table(data_dir, capsys):
    code, out, _ = run(capsys, "regress", data_dir / "diabetes.csv", "-y", "progression", "-x", "bmi,bp",
                       "--confidence", "0.9")
    assert code == 0
    for text in ("const", "bmi", "std err", "P>|t|", "[5%", "95%]", "R²", "F(2, 439)"):
        assert text in out, text


def test_ridge_and_lasso_coefficients(data_dir, capsys):
    X, y = load_diabetes()
    for option, model in [("--ridge", Ridge(alpha=0.5)), ("--lasso", Lasso(alpha=0.1))]:
        code, out, _ = run(capsys, "regress", data_dir / "diabetes.csv", "-y", "progression", option,
                           str(model.alpha), "--json")
        doc = json.loads(out)
        model.fit(X, y)
        assert code == 0 and doc["model"] == option[2:] and doc["alpha"] == model.alpha
        np.testing.assert_allclose([r["coef"] for r in doc["coefficients"]],
                                   [model.intercept_, *model.coef_], rtol=RTOL, atol=1e-9)
        np.testing.assert_allclose(doc["r_squared"], model.score(X, y), rtol=RTOL)
    assert doc["n_nonzero"] == 7  # the lasso at alpha 0.1 zeroes 3 of the 10 coefficients


def test_logistic_on_iris(data_dir, capsys):
    code, out, err = run(capsys, "regress", data_dir / "iris.csv", "-y", "species", "--logistic", "--json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    X, y = load_iris()
    names = np.array(load_iris().target_names)[y]
    model = LogisticRegression(max_iter=1000).fit(X, names)
    assert doc["classes"] == ["setosa", "versicolor", "virginica"]
    coef = [[r["coef"][f] for f in load_iris().feature_names] for r in doc["coefficients"]]
    np.testing.assert_allclose(coef, model.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose([r["intercept"] for r in doc["coefficients"]], model.intercept_, rtol=1e-8)
    assert doc["accuracy"] == model.score(X, names)


def test_save_writes_a_loadable_model(data_dir, tmp_path, capsys):
    path = tmp_path / "ols"
    code, _, _ = run(capsys, "regress", data_dir / "diabetes.csv", "-y", "progression", "--save", path)
    assert code == 0
    model = mlfoundations.load(tmp_path / "ols.mlf")  # .mlf is added
    X, y = load_diabetes()
    frame = pd.DataFrame(X, columns=load_diabetes().feature_names)
    assert list(model.feature_names_in_) == list(frame.columns)
    np.testing.assert_array_equal(model.predict(frame), LinearRegression().fit(frame, y).predict(frame))
    code, _, err = run(capsys, "regress", data_dir / "diabetes.csv", "-y", "progression", "--save", path)
    assert code == 2 and "ols.mlf: already exists; pass --force" in err


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--ridge", "1", "--lasso", "1"], 2, "--ridge and --lasso cannot be used together"),
        (["--ridge", "-1"], 2, "Invalid value for '--ridge'"),
        (["--confidence", "95"], 2, "--confidence 95: must lie strictly between 0 and 1"),
        (["-x", "bmi,progression"], 2, "--features: column 'progression' is also the target"),
        (["-x", "bmi,nope"], 1, "no column 'nope'"),
    ],
)
def test_errors(data_dir, capsys, args, code, message):
    got, out, err = run(capsys, "regress", data_dir / "diabetes.csv", "-y", "progression", *args)
    assert got == code and out == "" and message in err and len(err.strip().splitlines()) == 1


def test_text_target_needs_logistic(data_dir, capsys):
    code, _, err = run(capsys, "regress", data_dir / "iris.csv", "-y", "species")
    assert code == 1 and "line 2, column 'species': 'setosa' is not a number" in err
