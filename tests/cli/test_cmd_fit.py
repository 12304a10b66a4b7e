"""`mlfoundations fit`: the ranking and estimates are mlfoundations.probability's fit_best."""

import json

import numpy as np
import pytest

pytest.importorskip("typer")
pd = pytest.importorskip("pandas")

from mlfoundations.cli.main import main  # noqa: E402
from mlfoundations.datasets import load_diabetes, load_digits  # noqa: E402
from mlfoundations.probability import (  # noqa: E402
    Beta, ChiSquare, Exponential, FDistribution, Gamma, InverseGamma, LogNormal, NegativeBinomial, Normal,
    Poisson, StudentT, Uniform, fit_best,
)

RTOL = 1e-12


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("fit")
    d = load_diabetes()
    pd.DataFrame(d.X, columns=d.feature_names).assign(progression=d.y).to_csv(directory / "diabetes.csv", index=False)
    g = load_digits()
    pd.DataFrame(g.X.astype(int), columns=g.feature_names).to_csv(directory / "digits.csv", index=False)
    return directory


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_all_continuous_families_ranked_by_aic(data_dir, capsys):
    code, out, _ = run(capsys, "fit", data_dir / "diabetes.csv", "--column", "progression", "-f", "continuous",
                       "--json")
    assert code == 0
    doc = json.loads(out)
    y = load_diabetes().y
    families = [Normal, LogNormal, Exponential, Gamma, ChiSquare, InverseGamma, Beta, Uniform, StudentT, FDistribution]
    ranked = fit_best(y, families)
    assert [f["family"] for f in doc["fits"]][:2] == ["gamma", "lognormal"]
    assert len(doc["fits"]) == len(ranked)
    for got, ref in zip(doc["fits"], ranked):
        res = ref.fit_result
        assert list(got["params"]) == list(res.params)
        np.testing.assert_allclose(list(got["params"].values()), list(res.params.values()), rtol=RTOL)
        np.testing.assert_allclose(list(got["stderr"].values()), list(res.stderr.values()), rtol=RTOL)
        np.testing.assert_allclose([got["aic"], got["bic"], got["log_likelihood"]],
                                   [res.aic, res.bic, res.log_likelihood], rtol=RTOL)
    assert doc["fits"][0]["delta"] == 0.0 and all(f["delta"] >= 0 for f in doc["fits"])
    # Beta needs data in (0, 1): skipped under "all", with the reason
    skipped = {s["family"]: s["reason"] for s in doc["skipped"]}
    assert "strictly inside (0, 1)" in skipped["beta"]
    assert any(n.startswith("beta skipped: Beta.fit needs data strictly inside") for n in doc["notes"])


def test_all_picks_the_kind_from_the_data(data_dir, capsys):
    # progression is whole numbers: "all" fits the discrete families; bmi is not: the continuous ones
    code, out, _ = run(capsys, "fit", data_dir / "diabetes.csv", "--column", "progression", "--json")
    assert code == 0 and {f["family"] for f in json.loads(out)["fits"]} == {"negative-binomial", "poisson"}
    code, out, _ = run(capsys, "fit", data_dir / "diabetes.csv", "--column", "bmi", "--json")
    doc = json.loads(out)
    ranked = fit_best(load_diabetes().X[:, 2], [Normal, Uniform, StudentT, LogNormal, Gamma])
    assert code == 0 and doc["notes"][0] == "fitted the continuous families"
    assert {f["family"] for f in doc["fits"]} == {"normal", "uniform", "student-t"} == {
        {Normal: "normal", Uniform: "uniform", StudentT: "student-t"}[type(d)] for d in ranked
    }
    assert {s["family"] for s in doc["skipped"]} >= {"gamma", "lognormal", "exponential", "beta"}


def test_named_family_that_does_not_apply_is_an_error(data_dir, capsys):
    code, out, err = run(capsys, "fit", data_dir / "diabetes.csv", "--column", "bmi", "--family", "gamma")
    assert code == 1 and out == ""
    assert f"{data_dir / 'diabetes.csv'}: column 'bmi': gamma cannot be fitted: Gamma.fit needs data > 0" in err


def test_named_families_and_bic(data_dir, capsys):
    code, out, _ = run(capsys, "fit", data_dir / "diabetes.csv", "--column", "bmi", "-f", "normal,student-t",
                       "--criterion", "bic", "--json")
    doc = json.loads(out)
    ranked = fit_best(load_diabetes().X[:, 2], [Normal, StudentT], criterion="bic")
    assert code == 0 and doc["criterion"] == "bic"
    assert [f["family"] for f in doc["fits"]] == [{Normal: "normal", StudentT: "student-t"}[type(d)] for d in ranked]


def test_counts_get_the_discrete_families(data_dir, capsys):
    code, out, _ = run(capsys, "fit", data_dir / "digits.csv", "--column", "pixel_3_4", "--json")
    doc = json.loads(out)
    x = load_digits().X[:, 28]
    ranked = fit_best(x, [Poisson, NegativeBinomial])
    assert code == 0 and [f["family"] for f in doc["fits"]] == ["negative-binomial", "poisson"]
    np.testing.assert_allclose(doc["fits"][0]["params"]["p"], ranked[0].fit_result.params["p"], rtol=1e-10)
    assert doc["skipped"][0]["family"] == "bernoulli"
    assert doc["notes"][0].startswith("every value is a whole number >= 0: fitted the discrete families")


def test_text_output_and_plot(data_dir, tmp_path, capsys):
    plot = tmp_path / "fit.png"
    code, out, _ = run(capsys, "fit", data_dir / "diabetes.csv", "--column", "progression", "-f", "gamma",
                       "-f", "normal", "--plot", plot)
    assert code == 0 and plot.read_bytes().startswith(b"\x89PNG")
    assert "gamma" in out and "shape = 3.64" in out and "±" in out and "ΔAIC" in out


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["-f", "weibull"], 2, "--family weibull: unknown family"),
        (["-f", "poisson,normal"], 2, "--family mixes discrete and continuous families"),
        (["-f", "all,normal"], 2, "--family all cannot be combined"),
        (["-f", "normal,discrete"], 2, "--family discrete cannot be combined"),
        (["-f", "normal", "-f", "normal"], 2, "a family is named twice"),
        (["-f", "poisson"], 1, "poisson cannot be fitted: Poisson data must be integers"),
    ],
)
def test_errors(data_dir, capsys, args, code, message):
    got, out, err = run(capsys, "fit", data_dir / "diabetes.csv", "--column", "bmi", *args)
    assert got == code and out == "" and message in err and len(err.strip().splitlines()) == 1
